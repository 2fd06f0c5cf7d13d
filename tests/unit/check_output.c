/* Unit tests of the output layer (cmd/output.c): the exact bytes of each
 * format, written into a memory stream. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bti/error.h"
#include "output.h"

/* clang-format off */
#define I(x) {.i = (x)}
#define R(x) {.r = (x)}
#define S(x) {.s = (x)}
#define NUL {.null = 1}
#define LEN(a) (sizeof(a) / sizeof((a)[0]))
#define BOM "\xEF\xBB\xBF"
/* clang-format on */

/* Run a listing of nrows rows (vals holds nrows * ncols values) and return
 * what it wrote; the caller frees it. */
static char *run_list(enum out_format f, int raw, int color, const struct bti_col *cols,
                      size_t ncols, const struct bti_value *vals, size_t nrows)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    ck_assert_ptr_nonnull(fp);
    struct out_opts o = {.format = f, .raw = raw, .color = color, .fp = fp};
    struct out_list *l = out_list_begin(&o, cols, ncols);
    ck_assert_ptr_nonnull(l);
    for (size_t r = 0; r < nrows; r++) {
        struct bti_row row = {cols, ncols, vals + r * ncols};
        ck_assert_int_eq(out_list_row(&row, l), 0);
    }
    ck_assert_int_eq(out_list_end(l), 0);
    fclose(fp);
    return buf;
}

/* Write the object parsed from json with out_object; *rc gets its return.
 * Returns what it wrote; the caller frees it. */
static char *run_object(enum out_format f, int raw, const char *json, int *rc)
{
    char *buf = NULL;
    size_t len = 0;
    cJSON *obj = cJSON_Parse(json);
    ck_assert_ptr_nonnull(obj);
    FILE *fp = open_memstream(&buf, &len);
    ck_assert_ptr_nonnull(fp);
    struct out_opts o = {.format = f, .raw = raw, .color = 0, .fp = fp};
    *rc = out_object(&o, obj);
    fclose(fp);
    cJSON_Delete(obj);
    return buf;
}

/* Assert that got is exactly want, and free got. */
static void expect(char *got, const char *want)
{
    ck_assert_str_eq(got, want);
    free(got);
}

START_TEST(test_json_escaping)
{
    static const struct bti_col cols[] = {
        {"id", BTI_T_INT}, {"name", BTI_T_TEXT}, {"ok", BTI_T_BOOL}, {"note", BTI_T_TEXT}};
    /* clang-format off */
    static const struct bti_value vals[] = {
        I(1), S("a\"b\\c\n\t\r\b\f\x01\x1f\x7f æøå \xe2\x80\xa8\xe2\x80\xa9"), I(1), NUL,
        I(2), S("x"), I(0), S(""),
    };
    /* clang-format on */
    expect(run_list(OUT_JSON, 0, 0, cols, LEN(cols), vals, 2),
           "[{\"id\":1,\"name\":\"a\\\"b\\\\c\\n\\t\\r\\b\\f\\u0001\\u001f\x7f æøå "
           "\\u2028\\u2029\",\"ok\":true,\"note\":null},\n"
           "{\"id\":2,\"name\":\"x\",\"ok\":false,\"note\":\"\"}]\n");
}
END_TEST

START_TEST(test_json_types)
{
    static const struct bti_col cols[] = {{"r", BTI_T_REAL},
                                          {"d", BTI_T_DATE},
                                          {"t", BTI_T_TIME},
                                          {"nin", BTI_T_NIN},
                                          {"n", BTI_T_INT}};
    /* clang-format off */
    const struct bti_value vals[] = {
        R(0.1),       S("2024-03-01"), S("2024-03-01T10:00:00Z"), S("010199*****"), I(-42),
        R(0.1 + 0.2), NUL,             NUL,                       NUL,              NUL,
        R(-2.5),      NUL,             NUL,                       NUL,              I(9007199254740993LL),
    };
    /* clang-format on */
    expect(run_list(OUT_JSON, 0, 0, cols, LEN(cols), vals, 3),
           "[{\"r\":0.1,\"d\":\"2024-03-01\",\"t\":\"2024-03-01T10:00:00Z\","
           "\"nin\":\"010199*****\",\"n\":-42},\n"
           "{\"r\":0.30000000000000004,\"d\":null,\"t\":null,\"nin\":null,\"n\":null},\n"
           "{\"r\":-2.5,\"d\":null,\"t\":null,\"nin\":null,\"n\":9007199254740993}]\n");
}
END_TEST

START_TEST(test_json_empty)
{
    static const struct bti_col cols[] = {{"id", BTI_T_INT}};
    expect(run_list(OUT_JSON, 0, 0, cols, LEN(cols), NULL, 0), "[]\n");
}
END_TEST

START_TEST(test_csv_quoting)
{
    static const struct bti_col cols[] = {
        {"id", BTI_T_INT}, {"name", BTI_T_TEXT}, {"ok", BTI_T_BOOL}};
    /* clang-format off */
    static const struct bti_value vals[] = {
        I(1), S("plain"),        I(1),
        I(2), S("a,b"),          I(0),
        I(3), S("say \"hi\""),   NUL,
        I(4), S("two\nlines"),   NUL,
        I(5), S(" lead"),        NUL,
        I(6), S("trail "),       NUL,
        I(7), S("semi;colon æ"), NUL,
        I(8), NUL,               NUL,
    };
    /* clang-format on */
    const char *want = "id,name,ok\n"
                       "1,plain,true\n"
                       "2,\"a,b\",false\n"
                       "3,\"say \"\"hi\"\"\",\n"
                       "4,\"two\nlines\",\n"
                       "5,\" lead\",\n"
                       "6,\"trail \",\n"
                       "7,semi;colon æ,\n"
                       "8,,\n";
    expect(run_list(OUT_CSV, 0, 0, cols, LEN(cols), vals, 8), want);
}
END_TEST

/* Cells that a spreadsheet would run, and numbers that it would not. */
static const struct bti_col formula_cols[] = {
    {"n", BTI_T_INT}, {"r", BTI_T_REAL}, {"t", BTI_T_TEXT}};
/* clang-format off */
static const struct bti_value formula_vals[] = {
    I(-5), R(-2.5), S("=SUM(A1)"),
    NUL,   NUL,     S("+1+1"),
    NUL,   NUL,     S("-1+2"),
    NUL,   NUL,     S("@cmd"),
    NUL,   NUL,     S("\tx"),
    NUL,   NUL,     S("\rx"),
    NUL,   NUL,     S("-12"),
    NUL,   NUL,     S("+4.5"),
    NUL,   NUL,     S("-0,5"),
    NUL,   NUL,     S("-"),
    NUL,   NUL,     S("=a,b"),
    NUL,   NUL,     S("a=b"),
};
/* clang-format on */

START_TEST(test_csv_formula)
{
    expect(run_list(OUT_CSV, 0, 0, formula_cols, LEN(formula_cols), formula_vals, 12),
           "n,r,t\n"
           "-5,-2.5,'=SUM(A1)\n"
           ",,'+1+1\n"
           ",,'-1+2\n"
           ",,'@cmd\n"
           ",,\"'\tx\"\n"
           ",,\"'\rx\"\n"
           ",,-12\n"
           ",,+4.5\n"
           ",,\"-0,5\"\n"
           ",,'-\n"
           ",,\"'=a,b\"\n"
           ",,a=b\n");
}
END_TEST

START_TEST(test_csv_raw)
{
    expect(run_list(OUT_CSV, 1, 0, formula_cols, LEN(formula_cols), formula_vals, 12),
           "n,r,t\n"
           "-5,-2.5,=SUM(A1)\n"
           ",,+1+1\n"
           ",,-1+2\n"
           ",,@cmd\n"
           ",,\"\tx\"\n"
           ",,\"\rx\"\n"
           ",,-12\n"
           ",,+4.5\n"
           ",,\"-0,5\"\n"
           ",,-\n"
           ",,\"=a,b\"\n"
           ",,a=b\n");
}
END_TEST

START_TEST(test_csv_empty)
{
    static const struct bti_col cols[] = {{"id", BTI_T_INT}, {"name", BTI_T_TEXT}};
    expect(run_list(OUT_CSV, 0, 0, cols, LEN(cols), NULL, 0), "id,name\n");
    expect(run_list(OUT_EXCEL, 0, 0, cols, LEN(cols), NULL, 0), BOM "id;name\r\n");
}
END_TEST

START_TEST(test_excel)
{
    static const struct bti_col cols[] = {
        {"id", BTI_T_INT}, {"r", BTI_T_REAL}, {"nin", BTI_T_NIN}, {"name", BTI_T_TEXT}};
    /* clang-format off */
    static const struct bti_value vals[] = {
        I(1), R(2.5),   S("01019912345"), S("Ærlig; ja"),
        I(2), R(-0.25), S("010199*****"), S("a,b"),
        I(3), NUL,      NUL,              S("-0,5"),
        I(4), R(3),     S("0101991234"),  S("=1+1"),
    };
    /* clang-format on */
    expect(run_list(OUT_EXCEL, 0, 0, cols, LEN(cols), vals, 4),
           BOM "id;r;nin;name\r\n"
               "1;2,5;010199 12345;\"Ærlig; ja\"\r\n"
               "2;-0,25;010199*****;a,b\r\n"
               "3;;;-0,5\r\n"
               "4;3;0101991234;'=1+1\r\n");
}
END_TEST

/* The columns of the table tests: numbers, text with æøå, yes/no, times. */
static const struct bti_col table_cols[] = {
    {"id", BTI_T_INT}, {"name", BTI_T_TEXT}, {"ok", BTI_T_BOOL}, {"at", BTI_T_TIME}};
/* clang-format off */
static const struct bti_value table_vals[] = {
    I(1),   S("Åse Øren"),         I(1), S("2024-01-15T12:00:00Z"),
    I(22),  S("Bo"),               I(0), NUL,
    I(333), S("line\nbreak\ttab"), I(1), S("2024-07-01T12:00:00Z"),
    I(4),   S("x"),                NUL,  S("not a time"),
};
/* clang-format on */

START_TEST(test_table_alignment)
{
    expect(run_list(OUT_TABLE, 0, 0, table_cols, LEN(table_cols), table_vals, 4),
           " id  name            ok   at\n"
           "  1  Åse Øren        yes  2024-01-15 13:00\n"
           " 22  Bo              no\n"
           "333  line break tab  yes  2024-07-01 14:00\n"
           "  4  x                    not a time\n");
}
END_TEST

START_TEST(test_table_color)
{
    expect(run_list(OUT_TABLE, 0, 1, table_cols, LEN(table_cols), table_vals, 2),
           "\033[1mid  name      ok   at\033[0m\n"
           " 1  Åse Øren  yes  2024-01-15 13:00\n"
           "22  Bo        no\n");
}
END_TEST

START_TEST(test_table_real)
{
    static const struct bti_col cols[] = {{"median", BTI_T_REAL}, {"unit", BTI_T_TEXT}};
    static const struct bti_value vals[] = {R(12.5), S("Øst"), R(3), S("Vest"), NUL, S("Nord")};
    expect(run_list(OUT_TABLE, 0, 0, cols, LEN(cols), vals, 3), "median  unit\n"
                                                                "  12.5  Øst\n"
                                                                "     3  Vest\n"
                                                                "        Nord\n");
}
END_TEST

START_TEST(test_table_empty)
{
    char *out = run_list(OUT_TABLE, 0, 1, table_cols, LEN(table_cols), NULL, 0);
    ck_assert_uint_eq(strlen(out), 0);
    free(out);
}
END_TEST

/* 1,000 short rows size the columns, the number column with two spare
 * digits; a later, longer text is shortened with "…" so the columns do
 * not shift, and a number past the spare digits still shows whole. */
START_TEST(test_table_many_rows)
{
    static const struct bti_col cols[] = {{"name", BTI_T_TEXT}, {"n", BTI_T_INT}};
    enum { ROWS = 1003 };
    struct bti_value *vals = calloc(ROWS * 2, sizeof *vals);
    for (size_t r = 0; r < ROWS; r++) {
        vals[2 * r].s = r < 1000 ? "x" : "longer";
        vals[2 * r + 1].i = r < 1000 ? 1 : 12345;
    }
    char *out = run_list(OUT_TABLE, 0, 0, cols, LEN(cols), vals, ROWS);
    free(vals);
    size_t lines = 0;
    for (const char *p = out; *p; p++)
        lines += *p == '\n';
    ck_assert_uint_eq(lines, ROWS + 1);
    ck_assert(strncmp(out, "name    n\nx       1\nx       1\n", 30) == 0);
    ck_assert_ptr_null(strstr(out + 1, "name"));
    size_t len = strlen(out);
    const char *tail = "x       1\nlon\xE2\x80\xA6  12345\nlon\xE2\x80\xA6  12345\n"
                       "lon\xE2\x80\xA6  12345\n";
    ck_assert_str_eq(out + len - strlen(tail), tail);
    free(out);
}
END_TEST

START_TEST(test_object_json)
{
    int rc;
    expect(run_object(OUT_JSON, 0, "{\"id\":1, \"name\":\"Å\\\"\", \"ok\":true, \"x\":null}", &rc),
           "{\"id\":1,\"name\":\"Å\\\"\",\"ok\":true,\"x\":null}\n");
    ck_assert_int_eq(rc, 0);
}
END_TEST

START_TEST(test_object_table)
{
    int rc;
    const char *json =
        "{\"id\":7,\"status\":\"open\",\"opened_at\":\"2024-01-15T12:00:00Z\","
        "\"urgent\":false,\"note\":null,\"tags\":[\"a\",\"b\"],\"ratio\":1.5,"
        "\"person\":{\"id\":3,\"name\":\"Åse\"},"
        "\"requests\":[{\"id\":1,\"kind\":\"x\"},{\"id\":12,\"kind\":\"længre\",\"extra\":true}],"
        "\"consents\":[]}";
    expect(run_object(OUT_TABLE, 0, json, &rc), "id:        7\n"
                                                "status:    open\n"
                                                "opened_at: 2024-01-15 13:00\n"
                                                "urgent:    no\n"
                                                "note:\n"
                                                "tags:      a, b\n"
                                                "ratio:     1.5\n"
                                                "\n"
                                                "person\n"
                                                "  id:   3\n"
                                                "  name: Åse\n"
                                                "\n"
                                                "requests\n"
                                                "id  kind    extra\n"
                                                " 1  x\n"
                                                "12  længre  yes\n"
                                                "\n"
                                                "consents\n"
                                                "(none)\n");
    ck_assert_int_eq(rc, 0);
}
END_TEST

START_TEST(test_object_table_sections_only)
{
    int rc;
    expect(run_object(OUT_TABLE, 0, "{\"rows\":[{\"a\":\"b\\nc\"}]}", &rc), "rows\na\nb c\n");
    ck_assert_int_eq(rc, 0);
}
END_TEST

START_TEST(test_object_csv)
{
    int rc;
    const char *json = "{\"id\":5,\"name\":\"=cmd\",\"ratio\":2.5,\"ok\":true,\"none\":null,"
                       "\"nin\":\"01019912345\"}";
    expect(run_object(OUT_CSV, 0, json, &rc),
           "id,name,ratio,ok,none,nin\n5,'=cmd,2.5,true,,01019912345\n");
    ck_assert_int_eq(rc, 0);
    expect(run_object(OUT_EXCEL, 0, json, &rc),
           BOM "id;name;ratio;ok;none;nin\r\n5;'=cmd;2,5;true;;010199 12345\r\n");
    ck_assert_int_eq(rc, 0);
    expect(run_object(OUT_CSV, 1, json, &rc),
           "id,name,ratio,ok,none,nin\n5,=cmd,2.5,true,,01019912345\n");
    ck_assert_int_eq(rc, 0);
}
END_TEST

START_TEST(test_object_csv_refused)
{
    int rc;
    static const char *const nested[] = {"{\"id\":1,\"person\":{\"id\":2}}",
                                         "{\"id\":1,\"requests\":[{\"id\":2}]}",
                                         "{\"id\":1,\"tags\":[1]}"};
    for (size_t i = 0; i < LEN(nested); i++) {
        bti_error_clear();
        expect(run_object(i % 2 ? OUT_EXCEL : OUT_CSV, 0, nested[i], &rc), "");
        ck_assert_int_eq(rc, BTI_EUSAGE);
        ck_assert_str_eq(bti_error_last(), "this output does not fit one CSV table");
        ck_assert_str_eq(bti_error_hint(), "use --json");
    }
}
END_TEST

/* A list (an array of strings) fits one cell, joined by commas. */
START_TEST(test_object_csv_list)
{
    int rc;
    expect(run_object(OUT_CSV, 0, "{\"id\":1,\"requests\":[\"coordinator\",\"ip\"]}", &rc),
           "id,requests\n1,\"coordinator,ip\"\n");
    ck_assert_int_eq(rc, 0);
    expect(run_object(OUT_CSV, 0, "{\"id\":1,\"requests\":[]}", &rc), "id,requests\n1,\n");
    ck_assert_int_eq(rc, 0);
}
END_TEST

/* A list column: a JSON array of strings; the CSV cell keeps the commas. */
START_TEST(test_list_column)
{
    static const struct bti_col cols[] = {{"id", BTI_T_INT}, {"items", BTI_T_LIST}};
    static const struct bti_value vals[] = {I(1), S("coordinator,ip"), I(2), S(""), I(3), NUL};
    expect(run_list(OUT_JSON, 0, 0, cols, LEN(cols), vals, 3),
           "[{\"id\":1,\"items\":[\"coordinator\",\"ip\"]},\n{\"id\":2,\"items\":[]},\n"
           "{\"id\":3,\"items\":null}]\n");
    expect(run_list(OUT_CSV, 0, 0, cols, LEN(cols), vals, 3),
           "id,items\n1,\"coordinator,ip\"\n2,\n3,\n");
}
END_TEST

/* Decimals for people: two at most, trailing zeros dropped. */
START_TEST(test_people_number)
{
    static const struct {
        double d;
        const char *s;
    } cases[] = {{1.0 / 3, "0.33"}, {2.0 / 3, "0.67"}, {14.5, "14.5"},     {28, "28"},
                 {0, "0"},          {-0.001, "0"},     {0.1 + 0.2, "0.3"}, {1234.001, "1234"}};
    char buf[32];
    for (size_t i = 0; i < LEN(cases); i++)
        ck_assert_str_eq(out_people_number(cases[i].d, buf), cases[i].s);
}
END_TEST

/* Labels: from the one table, else made from the key. */
START_TEST(test_labels)
{
    char buf[64];
    ck_assert_str_eq(out_label("case_id", buf, sizeof buf), "Case");
    ck_assert_str_eq(out_label("busiest_fifth_share", buf, sizeof buf),
                     "Share held by the busiest fifth");
    ck_assert_str_eq(out_label("next_evaluation", buf, sizeof buf), "Next evaluation");
    ck_assert_str_eq(out_label("by_source.bti", buf, sizeof buf), "By source bti");
    ck_assert_str_eq(out_label("", buf, sizeof buf), "");
}
END_TEST

/* Without a catalogue (the C locale) the human words stay as they are:
 * headers are the keys, enum words and dates unchanged (SPEC section 12). */
START_TEST(test_words_in_english)
{
    char buf[64];
    ck_assert_str_eq(out_header("case_id"), "case_id");
    ck_assert_str_eq(out_header("no_such_key"), "no_such_key");
    ck_assert_str_eq(out_value("status", "granted"), "granted");
    ck_assert_str_eq(out_value("name", "granted"), "granted");
    const char *list = "coordinator,ip";
    ck_assert_ptr_eq(out_words("requests", list, buf, sizeof buf), list);
    ck_assert_ptr_null(out_date("2026-10-02", buf, sizeof buf));
    ck_assert_ptr_null(out_date("1-2-3 not a date", buf, sizeof buf));
}
END_TEST

START_TEST(test_format_parse)
{
    static const struct {
        const char *s;
        enum out_format f;
    } ok[] = {{"table", OUT_TABLE}, {"json", OUT_JSON}, {"csv", OUT_CSV},
              {"excel", OUT_EXCEL}, {"xlsx", OUT_XLSX}, {"html", OUT_HTML}};
    enum out_format f;
    for (size_t i = 0; i < LEN(ok); i++) {
        f = (enum out_format) - 1;
        ck_assert_int_eq(out_format_parse(&f, ok[i].s), 0);
        ck_assert_int_eq(f, ok[i].f);
    }
    static const char *const bad[] = {"xml", "JSON", "", "csv ", "xls"};
    for (size_t i = 0; i < LEN(bad); i++) {
        ck_assert_int_eq(out_format_parse(&f, bad[i]), BTI_EINVAL);
        ck_assert_str_eq(bti_error_last(), "invalid value for --format: expected table, json, csv, "
                                           "excel, xlsx or html");
    }
}
END_TEST

START_TEST(test_write_error)
{
    static const struct bti_col cols[] = {{"id", BTI_T_INT}};
    static const struct bti_value val = I(1);
    static const enum out_format formats[] = {OUT_TABLE, OUT_JSON, OUT_CSV, OUT_EXCEL};
    for (size_t i = 0; i < LEN(formats); i++) {
        FILE *fp = fopen("/dev/full", "w");
        ck_assert_ptr_nonnull(fp);
        struct out_opts o = {.format = formats[i], .fp = fp};
        struct out_list *l = out_list_begin(&o, cols, 1);
        struct bti_row row = {cols, 1, &val};
        int rc = out_list_row(&row, l);
        ck_assert(rc == 0 || rc == BTI_EDB);
        ck_assert_int_eq(out_list_end(l), BTI_EDB);
        ck_assert_str_eq(bti_error_last(), "cannot write output");
        fclose(fp);
        o.fp = fp = fopen("/dev/full", "w");
        ck_assert_ptr_nonnull(fp);
        bti_error_clear();
        cJSON *obj = cJSON_Parse("{\"id\":1,\"rows\":[{\"a\":1}]}");
        if (formats[i] == OUT_CSV || formats[i] == OUT_EXCEL)
            cJSON_DeleteItemFromObject(obj, "rows");
        ck_assert_int_eq(out_object(&o, obj), BTI_EDB);
        ck_assert_str_eq(bti_error_last(), "cannot write output");
        cJSON_Delete(obj);
        fclose(fp);
    }
}
END_TEST

Suite *make_output_suite(void)
{
    Suite *s = suite_create("output");
    TCase *tc = tcase_create("output");
    tcase_add_test(tc, test_json_escaping);
    tcase_add_test(tc, test_json_types);
    tcase_add_test(tc, test_json_empty);
    tcase_add_test(tc, test_csv_quoting);
    tcase_add_test(tc, test_csv_formula);
    tcase_add_test(tc, test_csv_raw);
    tcase_add_test(tc, test_csv_empty);
    tcase_add_test(tc, test_excel);
    tcase_add_test(tc, test_table_alignment);
    tcase_add_test(tc, test_table_color);
    tcase_add_test(tc, test_table_real);
    tcase_add_test(tc, test_table_empty);
    tcase_add_test(tc, test_table_many_rows);
    tcase_add_test(tc, test_object_json);
    tcase_add_test(tc, test_object_table);
    tcase_add_test(tc, test_object_table_sections_only);
    tcase_add_test(tc, test_object_csv);
    tcase_add_test(tc, test_object_csv_refused);
    tcase_add_test(tc, test_object_csv_list);
    tcase_add_test(tc, test_list_column);
    tcase_add_test(tc, test_format_parse);
    tcase_add_test(tc, test_people_number);
    tcase_add_test(tc, test_labels);
    tcase_add_test(tc, test_words_in_english);
    tcase_add_test(tc, test_write_error);
    suite_add_tcase(s, tc);
    return s;
}
