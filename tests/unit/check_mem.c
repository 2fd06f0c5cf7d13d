/* Unit tests of the frees that go with what the library hands back
 * (include/bti/mem.h): each accepts NULL, and each frees what it pairs
 * with (the leak check of make check-san sees what one would miss). */
#include <check.h>
#include <string.h>
#include "bti/export.h"
#include "bti/mem.h"
#include "bti/status.h"
#include "bti/text.h"
#include "testutil.h"

START_TEST(every_free_accepts_null)
{
    bti_free(NULL);
    bti_json_free(NULL);
    bti_db_close(NULL);
    bti_restore_free(NULL);
}
END_TEST

START_TEST(bti_free_frees_a_returned_string)
{
    char *nfc = bti_text_nfc("Prøvesen");
    char *fold = bti_text_fold("Ola  PRØVESEN");
    ck_assert_ptr_nonnull(nfc);
    ck_assert_str_eq(fold, "ola prøvesen");
    bti_free(nfc);
    bti_free(fold);
}
END_TEST

START_TEST(bti_json_free_frees_a_returned_object)
{
    struct tu_db t;
    cJSON *s = NULL;
    tu_open(&t);
    ck_assert_int_eq(bti_db_begin(t.db, 0), BTI_OK);
    ck_assert_int_eq(bti_status(t.db, 10, &s), BTI_OK);
    ck_assert_int_eq(bti_db_commit(t.db), BTI_OK);
    ck_assert(cJSON_IsObject(s));
    bti_json_free(s);
    tu_close(&t);
}
END_TEST

START_TEST(bti_restore_free_frees_an_unfinished_restore)
{
    struct tu_db t;
    struct bti_restore *r = NULL;
    tu_prepare(&t);
    ck_assert_int_eq(bti_db_create_empty(&t.db, t.path, &t.ctx), BTI_OK);
    ck_assert_int_eq(bti_db_begin(t.db, 1), BTI_OK);
    ck_assert_int_eq(bti_restore_begin(t.db, &r), BTI_OK);
    ck_assert_ptr_nonnull(r);
    bti_restore_free(r);
    ck_assert_int_eq(bti_db_rollback(t.db), BTI_OK);
    tu_close(&t);
}
END_TEST

Suite *make_mem_suite(void)
{
    Suite *s = suite_create("mem");
    TCase *tc = tcase_create("mem");
    tcase_add_unchecked_fixture(tc, tu_fixture_begin, tu_fixture_end);
    tcase_add_test(tc, every_free_accepts_null);
    tcase_add_test(tc, bti_free_frees_a_returned_string);
    tcase_add_test(tc, bti_json_free_frees_a_returned_object);
    tcase_add_test(tc, bti_restore_free_frees_an_unfinished_restore);
    suite_add_tcase(s, tc);
    return s;
}
