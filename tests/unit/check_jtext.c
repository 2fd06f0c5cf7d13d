/* Unit tests of lib/base/jtext.c: the audit's JSON text must be what cJSON
 * printed for the same values, since old and new rows share one log. */
#include <check.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>
#include "store/store.h"
#include "base/jtext.h"
#include "testutil.h"

/* What cJSON_PrintUnformatted prints for the string s. */
static char *cjson_string(const char *s)
{
    cJSON *item = cJSON_CreateString(s);
    char *text = cJSON_PrintUnformatted(item);
    cJSON_Delete(item);
    ck_assert_ptr_nonnull(text);
    return text;
}

/* jtext_string(s) equals cJSON's text for s. */
static void same_as_cjson(const char *s)
{
    struct jtext j;
    jtext_init(&j);
    jtext_string(&j, s);
    char *want = cjson_string(s);
    ck_assert(!j.failed);
    ck_assert_str_eq(j.s, want);
    ck_assert_uint_eq(j.len, strlen(want));
    cJSON_free(want);
    jtext_free(&j);
}

START_TEST(every_byte)
{
    char s[256];
    for (int c = 1; c < 256; c++)
        s[c - 1] = (char)c;
    s[255] = '\0';
    same_as_cjson(s);
    same_as_cjson("");
    same_as_cjson("\"quoted\" and back\\slash");
    same_as_cjson("line\nbreak\ttab\r\b\f\x01\x1f end");
    same_as_cjson("\xC3\x98ystein \xC3\x85s\xE2\x80\x94");
}
END_TEST

START_TEST(grows_past_its_space)
{
    size_t n = 3 * sizeof((struct jtext *)0)->space + 7;
    char *s = malloc(n + 1);
    ck_assert_ptr_nonnull(s);
    for (size_t i = 0; i < n; i++)
        s[i] = i % 97 == 0 ? '\n' : (char)('a' + i % 26);
    s[n] = '\0';
    same_as_cjson(s);
    free(s);
}
END_TEST

START_TEST(integers_and_literals)
{
    struct jtext j;
    jtext_init(&j);
    jtext_lit(&j, "[");
    jtext_int(&j, 0);
    jtext_lit(&j, ",");
    jtext_int(&j, -42);
    jtext_lit(&j, ",");
    jtext_int(&j, LLONG_MAX); /* exact (cJSON would round it through a double) */
    jtext_raw(&j, ",nullXX", 5);
    jtext_lit(&j, "]");
    ck_assert_str_eq(j.s, "[0,-42,9223372036854775807,null]");
    jtext_free(&j);
    ck_assert_str_eq(j.s, "");
    ck_assert_ptr_eq(j.s, j.space);
}
END_TEST

START_TEST(integers_as_printf_prints_them)
{
    static const long long values[] = {0, 1, -1, 9, 10, -10, 99, 100, 123456789, -987654321,
                                       999999999999999LL, 1000000000000000LL, LLONG_MAX, LLONG_MIN};
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        char got[JTEXT_INT_BUF], want[32];
        int n = snprintf(want, sizeof want, "%lld", values[i]);
        ck_assert_uint_eq(jtext_format_int(values[i], got), (size_t)n);
        ck_assert_str_eq(got, want);
    }
}
END_TEST

START_TEST(doubles_as_cjson_prints_them)
{
    static const double values[] = {0, -0.5, 0.1, 1.0 / 3, 1e15, 123456789.125, -2.5e-8, 1e300};
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        struct jtext j;
        jtext_init(&j);
        jtext_double(&j, values[i]);
        cJSON *item = cJSON_CreateNumber(values[i]);
        char *want = cJSON_PrintUnformatted(item);
        ck_assert_str_eq(j.s, want);
        cJSON_free(want);
        cJSON_Delete(item);
        jtext_free(&j);
    }
}
END_TEST

/* The audit's row image of a stored row equals what cJSON printed for it:
 * quotes, backslashes, control characters, Norwegian letters, NULL and
 * integers. */
START_TEST(keys_open_and_join_members)
{
    struct jtext j;
    jtext_init(&j);
    jtext_key(&j, 1, "id");
    jtext_int(&j, 7);
    for (int i = 0; i < 100; i++) { /* past the space it starts with */
        jtext_key(&j, 0, "name");
        jtext_lit(&j, "null");
    }
    jtext_lit(&j, "}");
    ck_assert_uint_eq(j.len, strlen("{\"id\":7}") + 100 * strlen(",\"name\":null"));
    ck_assert_int_eq(strncmp(j.s, "{\"id\":7,\"name\":null,\"name\":", 24), 0);
    ck_assert_str_eq(j.s + j.len - 13, ",\"name\":null}");
    ck_assert_ptr_ne(j.s, j.space);
    jtext_free(&j);
}
END_TEST

START_TEST(row_image_as_cjson_printed_it)
{
    struct tu_db t;
    tu_open(&t);
    sqlite3 *h = tu_raw(t.path);
    tu_exec_ok(h, "INSERT INTO person(id, name, born, expected, nin) VALUES"
                  " (7, 'Ås \"Øy\" \\ æ' || char(10, 9, 1, 31) || 'x', NULL, 0, NULL)");
    sqlite3_close(h);
    struct jtext j;
    jtext_init(&j);
    ck_assert_int_eq(db_row_image(t.db, "person", 7, &j), BTI_OK);
    cJSON *row = db_row_json(t.db, "person", 7);
    char *want = cJSON_PrintUnformatted(row);
    ck_assert_str_eq(j.s, want);
    ck_assert_ptr_nonnull(strstr(j.s, "\\u0001"));
    cJSON_free(want);
    cJSON_Delete(row);
    jtext_free(&j);
    ck_assert_int_eq(db_row_image(t.db, "person", 8, &j), BTI_ENOTFOUND);
    ck_assert_str_eq(j.s, "");
    tu_close(&t);
}
END_TEST

Suite *make_jtext_suite(void)
{
    Suite *s = suite_create("jtext");
    TCase *tc = tcase_create("jtext");
    tcase_add_unchecked_fixture(tc, tu_fixture_begin, tu_fixture_end);
    tcase_add_test(tc, every_byte);
    tcase_add_test(tc, grows_past_its_space);
    tcase_add_test(tc, integers_and_literals);
    tcase_add_test(tc, integers_as_printf_prints_them);
    tcase_add_test(tc, doubles_as_cjson_prints_them);
    tcase_add_test(tc, keys_open_and_join_members);
    tcase_add_test(tc, row_image_as_cjson_printed_it);
    suite_add_tcase(s, tc);
    return s;
}
