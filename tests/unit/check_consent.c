/* Unit tests of lib/consent.c: the library checks a consent's values, not
 * the command line that gathers them.  Only synthetic persons. */
#include <check.h>
#include <string.h>
#include "bti/case.h"
#include "bti/consent.h"
#include "bti/person.h"
#include "testutil.h"

/* A consent without parties is no consent: a bad value of the caller's,
 * named as a value, and nothing is written. */
START_TEST(a_consent_without_parties_is_a_bad_value)
{
    struct tu_db t;
    tu_open(&t);
    struct bti_consent_in in = {
        .case_id = tu_referred_case(&t, "ip"), .scope = "plan", .by = "user", .given = BTI_NO_DATE};
    long long id = 0;
    TU_BAD_VALUE(&t, bti_consent_give(t.db, &in, &id));
    ck_assert_str_eq(bti_error_last(), "a consent needs the parties it covers, or 'all'");
    ck_assert_int_eq(tu_count(&t, "SELECT count(*) FROM consent"), 0);
    in.parties = "all";
    TU_TX(t.db, bti_consent_give(t.db, &in, &id));
    ck_assert_int_eq(tu_count(&t, "SELECT count(*) FROM consent"), 1);
    tu_close(&t);
}
END_TEST

Suite *make_consent_suite(void)
{
    Suite *s = suite_create("consent");
    TCase *tc = tcase_create("consent");
    tcase_set_timeout(tc, 30);
    tcase_add_unchecked_fixture(tc, tu_fixture_begin, tu_fixture_end);
    tcase_add_test(tc, a_consent_without_parties_is_a_bad_value);
    suite_add_tcase(s, tc);
    return s;
}
