/* Unit tests of lib/base/idset.c: the set of ids that the access log and
 * the semiannual report count each id of once. */
#include <check.h>
#include "base/idset.h"

START_TEST(an_id_is_added_once_and_comes_back_in_order)
{
    struct idset s = {0};
    ck_assert_int_eq(idset_next(&s, 1), 0); /* empty */
    ck_assert_int_eq(idset_add(&s, 40000), 1); /* beyond the first 4096 bytes */
    ck_assert_int_eq(idset_add(&s, 7), 1);
    ck_assert_int_eq(idset_add(&s, 8), 1);
    ck_assert_int_eq(idset_add(&s, 7), 0);
    ck_assert_int_eq(idset_next(&s, 1), 7);
    ck_assert_int_eq(idset_next(&s, 8), 8);
    ck_assert_int_eq(idset_next(&s, 9), 40000);
    ck_assert_int_eq(idset_next(&s, 40001), 0);
    idset_free(&s);
    ck_assert_int_eq(idset_next(&s, 1), 0);
}
END_TEST

START_TEST(an_id_outside_its_bounds_is_refused)
{
    struct idset s = {0};
    ck_assert_int_eq(idset_add(&s, 0), -1);
    ck_assert_int_eq(idset_add(&s, -3), -1);
    ck_assert_int_eq(idset_add(&s, IDSET_MAX), -1);
    ck_assert_int_eq(idset_add(&s, IDSET_MAX - 1), 1);
    ck_assert_int_eq(idset_next(&s, 1), IDSET_MAX - 1);
    idset_free(&s);
}
END_TEST

Suite *make_idset_suite(void)
{
    Suite *s = suite_create("idset");
    TCase *tc = tcase_create("idset");
    tcase_add_test(tc, an_id_is_added_once_and_comes_back_in_order);
    tcase_add_test(tc, an_id_outside_its_bounds_is_refused);
    suite_add_tcase(s, tc);
    return s;
}
