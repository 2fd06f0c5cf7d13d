/* Unit tests of lib/plan.c: the library checks a plan's values, not the
 * command line that gathers them.  Only synthetic persons. */
#include <check.h>
#include <string.h>
#include "bti/case.h"
#include "bti/consent.h"
#include "bti/decision.h"
#include "bti/person.h"
#include "bti/plan.h"
#include "bti/unit.h"
#include "testutil.h"

/* A case with a granted IP, plan consent and a plan in progress; its id. */
static long long with_plan(struct tu_db *t)
{
    long long unit, id;
    long long case_id = tu_granted_case(t, "ip", &unit);
    TU_TX(t->db, bti_plan_start(t->db, case_id, NULL, BTI_NO_DATE, &id));
    return case_id;
}

/* A measure without what is done or who is responsible is a bad value of
 * the caller's, named as values, and nothing is written. */
START_TEST(a_measure_without_what_or_responsible_is_a_bad_value)
{
    struct tu_db t;
    tu_open(&t);
    long long case_id = with_plan(&t), id = 0;
    struct bti_measure_in no_what = {.responsible = "Hjemmetjenesten"};
    struct bti_measure_in no_one = {.what = "Praktisk bistand"};
    TU_BAD_VALUE(&t, bti_plan_measure(t.db, case_id, &no_what, &id));
    ck_assert_str_eq(bti_error_last(), "a measure needs what is done and who is responsible");
    TU_BAD_VALUE(&t, bti_plan_measure(t.db, case_id, &no_one, &id));
    ck_assert_int_eq(tu_count(&t, "SELECT count(*) FROM measure"), 0);
    no_one.responsible = "Hjemmetjenesten";
    TU_TX(t.db, bti_plan_measure(t.db, case_id, &no_one, &id));
    ck_assert_int_eq(tu_count(&t, "SELECT count(*) FROM measure"), 1);
    tu_close(&t);
}
END_TEST

Suite *make_plan_suite(void)
{
    Suite *s = suite_create("plan");
    TCase *tc = tcase_create("plan");
    tcase_set_timeout(tc, 30);
    tcase_add_unchecked_fixture(tc, tu_fixture_begin, tu_fixture_end);
    tcase_add_test(tc, a_measure_without_what_or_responsible_is_a_bad_value);
    suite_add_tcase(s, tc);
    return s;
}
