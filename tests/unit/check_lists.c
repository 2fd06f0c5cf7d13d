/* Unit tests of the comma lists of lib/base/list.c: list_elem and the access
 * log's id lists (ids_hold). */
#include <check.h>
#include "store/store.h"
#include "base/list.h"

START_TEST(elements)
{
    const char *next;
    ck_assert_uint_eq(list_elem("ip,child", &next), 2);
    ck_assert_str_eq(next, "child");
    ck_assert_uint_eq(list_elem(next, &next), 5);
    ck_assert_ptr_null(next);
    ck_assert_uint_eq(list_elem("ip,", &next), 2);
    ck_assert_uint_eq(list_elem(next, &next), 0); /* the empty last element */
    ck_assert_ptr_null(next);
}
END_TEST

START_TEST(single_ids_and_runs)
{
    const char *list = "1,3-5,9,11,20-22";
    static const long long in[] = {1, 3, 4, 5, 9, 11, 20, 21, 22};
    static const long long out[] = {0, 2, 6, 8, 10, 12, 19, 23, 100};
    for (size_t i = 0; i < sizeof in / sizeof in[0]; i++)
        ck_assert_msg(ids_hold(list, in[i]), "%lld", in[i]);
    for (size_t i = 0; i < sizeof out / sizeof out[0]; i++)
        ck_assert_msg(!ids_hold(list, out[i]), "%lld", out[i]);
    ck_assert(ids_hold("7", 7));
    ck_assert(!ids_hold("17", 7));
    ck_assert(!ids_hold("", 7));
}
END_TEST

START_TEST(older_and_broken_lists)
{
    ck_assert(ids_hold("4,5,+12 more", 5)); /* a cut list of an older row */
    ck_assert(!ids_hold("4,5,+12 more", 12));
    ck_assert(!ids_hold("4-,x,5x,-5,,9-a", 5));
    ck_assert(!ids_hold("4-,x,5x,-5,,9-a", 4));
    ck_assert(!ids_hold("123456789012345678901234567890123456789012345678901", 1));
}
END_TEST

START_TEST(a_name_in_a_null_terminated_list)
{
    static const char *const names[] = {"integrity", "audit chain", NULL};
    ck_assert(list_has(names, "audit chain"));
    ck_assert(!list_has(names, "audit"));
    ck_assert(!list_has(NULL, "integrity")); /* no list holds nothing */
}
END_TEST

Suite *make_lists_suite(void)
{
    Suite *s = suite_create("lists");
    TCase *tc = tcase_create("lists");
    tcase_add_test(tc, elements);
    tcase_add_test(tc, single_ids_and_runs);
    tcase_add_test(tc, older_and_broken_lists);
    tcase_add_test(tc, a_name_in_a_null_terminated_list);
    suite_add_tcase(s, tc);
    return s;
}
