/* Unit tests of lib/base/plan_state.c: the plan's moves, each allowed
 * from its states only, and a resume back to where the pause left. */
#include <check.h>
#include "bti/error.h"
#include "base/plan_state.h"

START_TEST(moves_follow_the_table)
{
    enum plan_state to = PLAN_NONE;
    ck_assert_int_eq(plan_state_next(PLAN_IN_PROGRESS, PLAN_EV_ADOPT, PLAN_NONE, &to), 0);
    ck_assert_int_eq(to, PLAN_ACTIVE);
    ck_assert_int_eq(plan_state_next(PLAN_ACTIVE, PLAN_EV_ADOPT, PLAN_NONE, &to), BTI_ERULE);
    ck_assert_int_eq(plan_state_next(PLAN_PAUSED, PLAN_EV_EVALUATE, PLAN_NONE, &to), BTI_ERULE);
    ck_assert_int_eq(plan_state_next(PLAN_ACTIVE, PLAN_EV_PAUSE, PLAN_NONE, &to), 0);
    ck_assert_int_eq(to, PLAN_PAUSED);
    ck_assert_int_eq(plan_state_next(PLAN_PAUSED, PLAN_EV_PAUSE, PLAN_NONE, &to), BTI_ERULE);
    ck_assert_int_eq(plan_state_next(PLAN_PAUSED, PLAN_EV_RESUME, PLAN_IN_PROGRESS, &to), 0);
    ck_assert_int_eq(to, PLAN_IN_PROGRESS);
    ck_assert_int_eq(plan_state_next(PLAN_ACTIVE, PLAN_EV_RESUME, PLAN_NONE, &to), BTI_ERULE);
    ck_assert_int_eq(plan_state_next(PLAN_PAUSED, PLAN_EV_END, PLAN_ACTIVE, &to), 0);
    ck_assert_int_eq(to, PLAN_ENDED);
    ck_assert_int_eq(plan_state_next(PLAN_ENDED, PLAN_EV_END, PLAN_NONE, &to), BTI_ERULE);
}
END_TEST

START_TEST(names_read_back)
{
    for (int s = PLAN_IN_PROGRESS; s < PLAN_STATE_COUNT; s++)
        ck_assert_int_eq(plan_state_parse(plan_state_name((enum plan_state)s)), s);
    ck_assert_str_eq(plan_state_name(PLAN_IN_PROGRESS), "in_progress");
    ck_assert_int_eq(plan_state_parse("closed"), PLAN_NONE);
    ck_assert_int_eq(plan_state_parse(NULL), PLAN_NONE);
}
END_TEST

Suite *make_plan_state_suite(void)
{
    Suite *s = suite_create("plan_state");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, moves_follow_the_table);
    tcase_add_test(tc, names_read_back);
    suite_add_tcase(s, tc);
    return s;
}
