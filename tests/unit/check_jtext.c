/* Unit tests of lib/jtext.c: the audit's JSON text must be what cJSON
 * printed for the same values, since old and new rows share one log. */
#include <check.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>
#include "../../lib/internal.h"

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
    jtext_int(&j, LLONG_MAX);
    jtext_raw(&j, ",nullXX", 5);
    jtext_lit(&j, "]");
    ck_assert_str_eq(j.s, "[0,-42,9223372036854775807,null]");
    jtext_free(&j);
    ck_assert_str_eq(j.s, "");
    ck_assert_ptr_eq(j.s, j.space);
}
END_TEST

Suite *make_jtext_suite(void)
{
    Suite *s = suite_create("jtext");
    TCase *tc = tcase_create("jtext");
    tcase_add_test(tc, every_byte);
    tcase_add_test(tc, grows_past_its_space);
    tcase_add_test(tc, integers_and_literals);
    suite_add_tcase(s, tc);
    return s;
}
