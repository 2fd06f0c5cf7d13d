/* The semiannual report's medians, taken from a histogram of the day counts
 * (issue 19) rather than from every row sorted: repeated values, an even
 * and an odd number of them, and none. */
#include <check.h>
#include "bti/case.h"
#include "bti/consent.h"
#include "bti/decision.h"
#include "bti/report.h"
#include "bti/unit.h"
#include "testutil.h"

/* A synthetic person's (born on day n of January 1970) case, referred on
 * 2 January 2026 for a coordinator and granted `days` later to unit. */
static void decided_after(struct tu_db *t, int n, int days, long long unit)
{
    long long id;
    struct bti_person_in p = {.name = "Kari Testesen", .born = tu_ymd(1970, 1, n)};
    struct bti_referral_in r = {
        .person = &p, .source = "plo", .requests = "coordinator", .received = tu_ymd(2026, 1, 2)};
    struct bti_referral_out out;
    TU_TX(t->db, bti_referral_add(t->db, &r, &out));
    struct bti_consent_in c = {.case_id = out.case_id,
                               .scope = "plan",
                               .by = "user",
                               .parties = "all",
                               .given = BTI_NO_DATE};
    TU_TX(t->db, bti_consent_give(t->db, &c, &id));
    struct bti_decide_in d = {.case_id = out.case_id,
                              .grant = 1,
                              .unit_id = unit,
                              .decided = bti_date_add_days(tu_ymd(2026, 1, 2), days),
                              .notified = BTI_NO_DATE};
    struct bti_step s;
    TU_TX(t->db, bti_decide(t->db, &d, &id, &s));
}

/* The semiannual report's median_days.metric for 2026H1. */
static double median_days(struct tu_db *t, const char *metric, int *null)
{
    struct bti_period p = {.from = tu_ymd(2026, 1, 1), .to = tu_ymd(2026, 6, 30)};
    cJSON *report;
    TU_TX(t->db, bti_report_semiannual(t->db, &p, 0, &report));
    cJSON *v = cJSON_GetObjectItem(cJSON_GetObjectItem(report, "median_days"), metric);
    ck_assert_ptr_nonnull(v);
    *null = cJSON_IsNull(v);
    double out = cJSON_GetNumberValue(v);
    cJSON_Delete(report);
    return out;
}

START_TEST(semiannual_median_of_repeated_days)
{
    struct tu_db t;
    long long unit;
    int null;
    tu_open(&t);
    TU_TX(t.db, bti_unit_add(t.db, "Hjem", &unit));
    median_days(&t, "received_to_decided", &null);
    ck_assert_int_eq(null, 1); /* no decision in the period */
    static const int days[] = {30, 10, 40, 10};
    for (int i = 0; i < 4; i++)
        decided_after(&t, i + 1, days[i], unit);
    /* 10 10 30 40: the mean of the middle two */
    ck_assert_double_eq(median_days(&t, "received_to_decided", &null), 20);
    ck_assert_int_eq(null, 0);
    decided_after(&t, 5, 10, unit);
    /* 10 10 10 30 40 */
    ck_assert_double_eq(median_days(&t, "received_to_decided", &null), 10);
    decided_after(&t, 6, 40, unit);
    decided_after(&t, 7, 40, unit);
    /* 10 10 10 30 40 40 40 */
    ck_assert_double_eq(median_days(&t, "received_to_decided", &null), 30);
    decided_after(&t, 8, 25, unit);
    /* 10 10 10 25 30 40 40 40 */
    ck_assert_double_eq(median_days(&t, "received_to_decided", &null), 27.5);
    median_days(&t, "decided_to_coordinator", &null);
    ck_assert_int_eq(null, 1); /* nobody appointed */
    tu_close(&t);
}
END_TEST

Suite *make_report_suite(void)
{
    Suite *s = suite_create("report");
    TCase *tc = tcase_create("report");
    tcase_add_unchecked_fixture(tc, tu_fixture_begin, tu_fixture_end);
    tcase_add_test(tc, semiannual_median_of_repeated_days);
    suite_add_tcase(s, tc);
    return s;
}
