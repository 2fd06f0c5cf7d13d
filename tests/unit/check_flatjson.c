/* Unit tests of lib/base/flatjson.c: wherever it reads an object, it reads
 * the members cJSON reads, and every line of a real export (and every
 * change text in it) is read by it, not left to cJSON. */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>
#include "base/flatjson.h"
#include "bti/export.h"
#include "testutil.h"

#define MAX 32

/* Read s with fj_flat and with cJSON: where fj_flat reads it, the members
 * and the end are cJSON's.  Returns whether fj_flat read it. */
static int same_as_cjson(const char *s)
{
    struct fj_member a[MAX], b[MAX];
    char *text = malloc(strlen(s) + 1), *p = text;
    const char *end = NULL, *cend = NULL;
    int n = fj_flat(s, &end, a, MAX, &p);
    cJSON *o = cJSON_ParseWithOpts(s, &cend, 0);
    if (n >= 0) {
        ck_assert_msg(cJSON_IsObject(o), "cJSON reads no object in %s", s);
        ck_assert_ptr_eq(end, cend);
        ck_assert_int_eq(fj_from_cjson(o, b, MAX), n);
        ck_assert_uint_le((size_t)(p - text), strlen(s) + 1);
        for (int i = 0; i < n; i++) {
            ck_assert_str_eq(a[i].key, b[i].key);
            ck_assert_int_eq(a[i].kind, b[i].kind);
            ck_assert(memcmp(&a[i].number, &b[i].number, sizeof a[i].number) == 0);
            ck_assert(!a[i].string == !b[i].string);
            if (a[i].string)
                ck_assert_str_eq(a[i].string, b[i].string);
        }
    }
    cJSON_Delete(o);
    free(text);
    return n >= 0;
}

START_TEST(the_export_shape_is_read_as_cjson_reads_it)
{
    ck_assert(same_as_cjson("{}"));
    ck_assert(same_as_cjson("{\"id\":1,\"name\":\"BOAK\",\"retired\":null}"));
    ck_assert(same_as_cjson("{\"id\":1},"));
    ck_assert(same_as_cjson("{\"a\":1}x"));
    ck_assert(same_as_cjson("{\"a\":0,\"b\":-0,\"c\":-12,\"d\":123456789012345}"));
    ck_assert(same_as_cjson("{\"a\":\"\\\"\\\\\\/\\b\\f\\n\\r\\t\",\"\":\"\"}"));
    ck_assert(same_as_cjson("{\"k\\\"ey\":\"x\\\\\"}"));
    ck_assert(same_as_cjson("{\"a\":\"\xc3\xb8 \x01 \xff raw\"}"));
    ck_assert(same_as_cjson("{\"a\":1,\"a\":2,\"A\":3}")); /* duplicates kept in order */
    ck_assert(same_as_cjson("{\"a\":\"{\\\"x\\\":[1]}\"}"));
}
END_TEST

START_TEST(anything_else_is_left_to_cjson)
{
    static const char *const others[] = {
        "{\"a\":\"\\u0041\"}",         /* \u escapes */
        "{\"a\":\"\\ud83d\\ude00\"}",  /* a surrogate pair */
        "{\"a\":\"\\ud83d\"}",         /* a lone surrogate */
        "{\"a\":\"\\u0000b\"}",        /* a NUL */
        "{\"a\":\"\\x\"}",             /* no escape of JSON */
        "{\"a\":\"open",               /* unterminated */
        "{\"a\":\"open\\",
        "{\"a\":1.5}",                 /* numbers but short integers */
        "{\"a\":1e3}",
        "{\"a\":007}",
        "{\"a\":1234567890123456}",
        "{\"a\":-}",
        "{\"a\":+1}",
        "{\"a\":{\"b\":1}}", /* nesting */
        "{\"a\":[1,2]}",
        "{\"a\":true}",
        "{\"a\":false}",
        "{\"a\":nul}",
        "{\"a\":nullx}",
        "{ \"a\":1}", /* white space */
        "{\"a\" :1}",
        "{\"a\":1 }",
        "\xef\xbb\xbf{\"a\":1}", /* a byte-order mark */
        "{\"a\":1,}",            /* broken */
        "{\"a\"}",
        "{a:1}",
        "[1]",
        "",
    };
    for (size_t i = 0; i < sizeof others / sizeof *others; i++)
        ck_assert_msg(!same_as_cjson(others[i]), "read: %s", others[i]);
    char many[16 * (MAX + 1)] = "{"; /* more than MAX members */
    for (int i = 0; i <= MAX; i++)
        snprintf(many + strlen(many), 16, "%s\"m%d\":%d", i ? "," : "", i, i);
    ck_assert(!same_as_cjson(strcat(many, "}")));
    strcpy(strrchr(many, ','), "}"); /* MAX members */
    ck_assert(same_as_cjson(many));
}
END_TEST

START_TEST(lookups_find_what_cjson_finds)
{
    const char *s = "{\"Name\":1,\"name\":2,\"id\":3}";
    struct fj_member m[MAX];
    char text[64], *p = text;
    const char *end;
    int n = fj_flat(s, &end, m, MAX, &p);
    cJSON *o = cJSON_Parse(s);
    ck_assert_int_eq(n, 3);
    ck_assert(fj_get(m, n, "name")->number == cJSON_GetObjectItem(o, "name")->valuedouble);
    ck_assert(fj_get_exact(m, n, "name")->number ==
              cJSON_GetObjectItemCaseSensitive(o, "name")->valuedouble);
    ck_assert_ptr_null(fj_get(m, n, "other"));
    ck_assert_ptr_null(fj_get_exact(m, n, "ID"));
    ck_assert_ptr_nonnull(fj_get(m, n, "ID"));
    cJSON_Delete(o);
}
END_TEST

START_TEST(an_integer_is_a_whole_number_a_double_holds_exactly)
{
    static const double whole[] = {0, -1, 42, 9007199254740992.0, -9007199254740992.0};
    static const double not_whole[] = {0.5, -1.25, 9007199254740994.0, 1e300, -1e300};
    long long out = 7;
    for (size_t i = 0; i < sizeof whole / sizeof *whole; i++) {
        struct fj_member m = {.key = "id", .kind = FJ_NUMBER, .number = whole[i]};
        ck_assert(fj_integer(&m, &out));
        ck_assert(out == (long long)whole[i]);
    }
    out = 7;
    for (size_t i = 0; i < sizeof not_whole / sizeof *not_whole; i++) {
        struct fj_member m = {.key = "id", .kind = FJ_NUMBER, .number = not_whole[i]};
        ck_assert_msg(!fj_integer(&m, &out), "%g taken as an integer", not_whole[i]);
    }
    struct fj_member text = {.key = "id", .kind = FJ_STRING, .string = "1"};
    ck_assert(!fj_integer(&text, &out));
    ck_assert_int_eq(out, 7);
}
END_TEST

/* Check a line of an export: a row (maybe with its comma) is read by
 * fj_flat as cJSON reads it, and so is an audit row's change text. */
static int check_line(const char *line, size_t len, void *arg)
{
    int *rows = arg;
    cJSON *o = cJSON_ParseWithLength(line, len);
    if (!cJSON_IsObject(o) || line[0] != '{' || cJSON_GetObjectItem(o, "bti_export")) {
        cJSON_Delete(o); /* the header and the lines that open and close a table */
        return 0;
    }
    char *copy = strndup(line, len);
    ck_assert_msg(same_as_cjson(copy), "left to cJSON: line of %zu bytes", len);
    const cJSON *change = cJSON_GetObjectItem(o, "change");
    const char *c = cJSON_IsString(change) ? change->valuestring : "";
    if (strncmp(c, "{\"old\":", 7) == 0) {
        /* its old image (or null) and its new one, each read as cJSON reads it */
        c += 7;
        ck_assert(strncmp(c, "null", 4) == 0 || same_as_cjson(c));
        c = strstr(c, "},\"new\":{") ? strstr(c, "},\"new\":{") + 8 : strstr(c, ",\"new\":{") + 7;
        ck_assert(same_as_cjson(c));
    }
    free(copy);
    cJSON_Delete(o);
    (*rows)++;
    return 0;
}

START_TEST(every_line_of_a_real_export_is_read_as_cjson_reads_it)
{
    struct tu_db t;
    long long unit, id;
    tu_open(&t);
    tu_granted_case(&t, "coordinator,ip", &unit);
    TU_TX(t.db, bti_unit_add(t.db, "Enhet \"Ø\" \\ /", &id));
    int rows = 0;
    long long exported = 0;
    TU_TX(t.db, bti_export(t.db, check_line, &rows, &exported));
    ck_assert_int_gt(rows, 10);
    ck_assert_int_eq(rows, exported);
    tu_close(&t);
}
END_TEST

Suite *make_flatjson_suite(void)
{
    Suite *s = suite_create("flatjson");
    TCase *tc = tcase_create("flatjson");
    tcase_add_unchecked_fixture(tc, tu_fixture_begin, tu_fixture_end);
    tcase_add_test(tc, the_export_shape_is_read_as_cjson_reads_it);
    tcase_add_test(tc, anything_else_is_left_to_cjson);
    tcase_add_test(tc, lookups_find_what_cjson_finds);
    tcase_add_test(tc, an_integer_is_a_whole_number_a_double_holds_exactly);
    tcase_add_test(tc, every_line_of_a_real_export_is_read_as_cjson_reads_it);
    suite_add_tcase(s, tc);
    return s;
}
