/* Unit tests for lib/base/basis.c, the table of law: rows in force on a date,
 * the rows judging a decision, and the future-row test of SPEC section 4:
 * a made-up row of the new forvaltningsloven (a five-week appeal period
 * from 2030-03-04) added to a copy of the table, as a real change of law
 * will be made.  Decisions from that date get it; older ones keep theirs,
 * even when notified after it. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bti/basis.h"
#include "bti/error.h"

/* The date written "YYYY-MM-DD". */
static bti_date day(const char *s)
{
    bti_date d = BTI_NO_DATE;
    ck_assert_int_eq(bti_date_parse(&d, s, 0, "test"), BTI_OK);
    return d;
}

#define ASSERT_DAY(d, want)                                                                        \
    do {                                                                                           \
        char buf_[BTI_DATE_BUF];                                                                   \
        ck_assert_str_eq(bti_date_format((d), buf_), (want));                                      \
    } while (0)

/* The made-up row: the new forvaltningsloven's appeal period, five weeks. */
static const struct bti_law future = {
    .code = "appeal-period-fvl",
    .kind = "rule",
    .what = "an appeal within 5 weeks (made up for this test)",
    .act = "forvaltningsloven",
    .lovdata = "LOV-2025-06-20-81",
    .from = "2030-03-04",
    .weeks = 5,
    .runs_from = "notified",
};

/* bti's table with the future row appended, in rows (freed by the caller). */
static struct bti_law_table with_future(struct bti_law **rows)
{
    *rows = calloc(bti_law.n + 1, sizeof **rows);
    ck_assert_ptr_nonnull(*rows);
    memcpy(*rows, bti_law.rows, bti_law.n * sizeof **rows);
    (*rows)[bti_law.n] = future;
    return (struct bti_law_table){*rows, bti_law.n + 1};
}

START_TEST(test_future_row_judges_decisions_from_its_date)
{
    struct bti_law *rows;
    struct bti_law_table t = with_future(&rows);
    /* decided the day the row takes effect, notified that day: five weeks */
    ASSERT_DAY(bti_law_deadline(&t, "sotjl-28", day("2030-03-04"), day("2030-03-04")),
               "2030-04-08");
    /* decided the day before, notified after it: the three weeks it had */
    ASSERT_DAY(bti_law_deadline(&t, "sotjl-28", day("2030-03-03"), day("2030-03-05")),
               "2030-03-26");
    ASSERT_DAY(bti_law_deadline(&t, "bvl", day("2030-03-01"), day("2030-03-04")), "2030-03-25");
    /* the health-law bases have their own period: four weeks either side */
    ASSERT_DAY(bti_law_deadline(&t, "pbrl-2-5", day("2030-03-04"), day("2030-03-04")),
               "2030-04-01");
    /* several bases: the longest, of the law of the decision's day */
    ASSERT_DAY(bti_law_deadline(&t, "pbrl-2-5,sotjl-28", day("2030-03-04"), day("2030-03-04")),
               "2030-04-08");
    ASSERT_DAY(bti_law_deadline(&t, "pbrl-2-5,sotjl-28", day("2030-03-01"), day("2030-03-04")),
               "2030-04-01");
    ck_assert_int_eq(bti_law_find(&t, "appeal-period-fvl", day("2030-03-04"))->weeks, 5);
    ck_assert_int_eq(bti_law_find(&t, "appeal-period-fvl", day("2030-03-03"))->weeks, 3);
    free(rows);
}
END_TEST

START_TEST(test_bti_table_is_unchanged_by_the_test_row)
{
    struct bti_law *rows;
    struct bti_law_table t = with_future(&rows);
    ck_assert_uint_eq(t.n, bti_law.n + 1);
    ASSERT_DAY(bti_basis_deadline("sotjl-28", day("2030-03-04"), day("2030-03-04")), "2030-03-25");
    free(rows);
}
END_TEST

START_TEST(test_rows_in_force_and_judging)
{
    ck_assert_str_eq(bti_law_find(&bti_law, "ip-items", day("2022-07-31"))->section, "§ 19");
    ck_assert_ptr_null(bti_law_find(&bti_law, "ip-items", day("2022-08-01"))->section);
    ck_assert_ptr_null(bti_law_find(&bti_law, "oppl", day("2026-12-06")));
    /* a decision recorded on oppl is judged by its last row */
    ck_assert_str_eq(bti_law_judging(&bti_law, "oppl", day("2026-12-06"))->to, "2024-07-31");
    ck_assert_ptr_null(bti_law_judging(&bti_law, "nope", day("2026-12-06")));
    ASSERT_DAY(bti_basis_deadline("oppl", day("2026-10-20"), day("2026-10-20")), "2026-11-10");
}
END_TEST

START_TEST(test_cite_takes_the_act_and_section_from_the_table)
{
    char buf[128];
    ck_assert_str_eq(bti_law_cite("one-year-bar", day("2026-12-06"), buf, sizeof buf),
                     "forvaltningsloven § 31");
    ck_assert_str_eq(bti_law_cite("appeal-posted", day("2026-12-06"), buf, sizeof buf),
                     "forvaltningsloven");
    ck_assert_str_eq(bti_law_cite("ip-items", day("2026-12-06"), buf, sizeof buf),
                     "forskrift om individuell plan ved ytelse av velferdstjenester");
}
END_TEST

START_TEST(test_basis_check_by_decision_date)
{
    ck_assert_int_eq(bti_basis_check("pbrl-2-5,sotjl-28", day("2026-12-06")), BTI_OK);
    ck_assert_int_eq(bti_basis_check("appeal-period-fvl", day("2026-12-06")), BTI_EINVAL);
    ck_assert_int_eq(bti_basis_check("oppl", day("2020-01-01")), BTI_ERULE);
    ck_assert_int_eq(bti_basis_check("bvl", day("2022-12-31")), BTI_ERULE);
    ck_assert_int_eq(bti_basis_check("bvl", day("2023-01-01")), BTI_OK);
    ck_assert_str_eq(bti_basis_of_item("coordinator", day("2026-12-06")), "pbrl-2-5b");
    ck_assert_ptr_null(bti_basis_of_item("coordinator", day("2020-01-01")));
}
END_TEST

Suite *make_basis_suite(void)
{
    Suite *s = suite_create("basis");
    TCase *tc = tcase_create("law");
    tcase_add_test(tc, test_future_row_judges_decisions_from_its_date);
    tcase_add_test(tc, test_bti_table_is_unchanged_by_the_test_row);
    tcase_add_test(tc, test_rows_in_force_and_judging);
    tcase_add_test(tc, test_cite_takes_the_act_and_section_from_the_table);
    tcase_add_test(tc, test_basis_check_by_decision_date);
    suite_add_tcase(s, tc);
    return s;
}
