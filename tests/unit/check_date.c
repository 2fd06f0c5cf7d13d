/* Unit tests for lib/base/date.c: parsing, calendar arithmetic, Easter, holidays,
 * deadlines, month clamps, ages and Oslo time. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bti/date.h"
#include "bti/error.h"

#define EXPECTED "(expected YYYY-MM-DD, DD.MM.YYYY, today or yesterday)"

#define ASSERT_DATE(d, want)                                                                       \
    do {                                                                                           \
        char buf_[BTI_DATE_BUF];                                                                   \
        ck_assert_str_eq(bti_date_format((d), buf_), (want));                                      \
    } while (0)

/* The date y-m-d, which must exist. */
static bti_date ymd(int y, int m, int d)
{
    bti_date out = -1000000;
    ck_assert_int_eq(bti_date_from_ymd(&out, y, m, d), BTI_OK);
    return out;
}

/* The date written "YYYY-MM-DD", read without bti_date_parse. */
static bti_date iso(const char *s)
{
    int y, m, d;
    ck_assert_int_eq(sscanf(s, "%d-%d-%d", &y, &m, &d), 3);
    return ymd(y, m, d);
}

/* The instant y-m-d h:mi:s UTC, computed without libc. */
static time_t utc(int y, int m, int d, int h, int mi, int s)
{
    return (time_t)ymd(y, m, d) * 86400 + h * 3600 + mi * 60 + s;
}

static int test_leap(int y)
{
    return y % 400 == 0 || (y % 4 == 0 && y % 100 != 0);
}

static int test_days_in_month(int y, int m)
{
    static const int n[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && test_leap(y) ? 29 : n[m - 1];
}

START_TEST(test_epoch_and_known_day_numbers)
{
    ck_assert_int_eq(ymd(1970, 1, 1), 0);
    ck_assert_int_eq(ymd(1970, 1, 2), 1);
    ck_assert_int_eq(ymd(1969, 12, 31), -1);
    ck_assert_int_eq(ymd(2000, 3, 1), 11017);
    ck_assert_int_eq(ymd(1900, 1, 1), -25567);
    ck_assert_int_eq(ymd(1800, 1, 1), -62091);
    ck_assert_int_eq(ymd(9999, 12, 31), 2932896);
    ck_assert_int_eq(ymd(2100, 12, 31), 47846);
}
END_TEST

START_TEST(test_from_ymd_rejects)
{
    bti_date d = 42;
    ck_assert_int_eq(bti_date_from_ymd(&d, 2027, 2, 29), BTI_EINVAL);
    ck_assert_int_eq(bti_date_from_ymd(&d, 1900, 2, 29), BTI_EINVAL);
    ck_assert_int_eq(bti_date_from_ymd(&d, 2026, 4, 31), BTI_EINVAL);
    ck_assert_int_eq(bti_date_from_ymd(&d, 2026, 6, 31), BTI_EINVAL);
    ck_assert_int_eq(bti_date_from_ymd(&d, 2026, 9, 31), BTI_EINVAL);
    ck_assert_int_eq(bti_date_from_ymd(&d, 2026, 11, 31), BTI_EINVAL);
    ck_assert_int_eq(bti_date_from_ymd(&d, 2026, 1, 32), BTI_EINVAL);
    ck_assert_int_eq(bti_date_from_ymd(&d, 2026, 1, 0), BTI_EINVAL);
    ck_assert_int_eq(bti_date_from_ymd(&d, 2026, 0, 1), BTI_EINVAL);
    ck_assert_int_eq(bti_date_from_ymd(&d, 2026, 13, 1), BTI_EINVAL);
    ck_assert_int_eq(bti_date_from_ymd(&d, 2026, -1, 1), BTI_EINVAL);
    ck_assert_int_eq(bti_date_from_ymd(&d, 1799, 12, 31), BTI_EINVAL);
    ck_assert_int_eq(bti_date_from_ymd(&d, 10000, 1, 1), BTI_EINVAL);
    ck_assert_int_eq(bti_error_code(), BTI_EINVAL);
    ck_assert_int_eq(d, 42);
    ck_assert_int_eq(bti_date_from_ymd(&d, 2024, 2, 29), BTI_OK);
    ASSERT_DATE(d, "2024-02-29");
    ck_assert_int_eq(bti_date_from_ymd(&d, 2000, 2, 29), BTI_OK);
    ASSERT_DATE(d, "2000-02-29");
}
END_TEST

START_TEST(test_round_trip_1900_2100)
{
    bti_date expect = ymd(1900, 1, 1);
    int count = 0;

    for (int y = 1900; y <= 2100; y++) {
        for (int m = 1; m <= 12; m++) {
            for (int d = 1; d <= test_days_in_month(y, m); d++, expect++, count++) {
                int ry, rm, rd;
                bti_date got = -1;
                bti_date_to_ymd(expect, &ry, &rm, &rd);
                if (bti_date_from_ymd(&got, y, m, d) != BTI_OK || got != expect || ry != y ||
                    rm != m || rd != d)
                    ck_abort_msg("%04d-%02d-%02d: day %d, expected %d, back %04d-%02d-%02d", y, m,
                                 d, (int)got, (int)expect, ry, rm, rd);
            }
        }
    }
    ck_assert_int_eq(count, 201 * 365 + 49);
    ck_assert_int_eq(expect - 1, ymd(2100, 12, 31));
}
END_TEST

START_TEST(test_round_trip_whole_range)
{
    bti_date last = ymd(9999, 12, 31);
    for (bti_date d = ymd(1800, 1, 1); d <= last; d += 13) {
        int y, m, day;
        bti_date back = -1;
        bti_date_to_ymd(d, &y, &m, &day);
        if (bti_date_from_ymd(&back, y, m, day) != BTI_OK || back != d)
            ck_abort_msg("day %d: %04d-%02d-%02d gives %d", (int)d, y, m, day, (int)back);
    }
}
END_TEST

START_TEST(test_format)
{
    char buf[BTI_DATE_BUF + 1];
    memset(buf, '#', sizeof buf);
    ck_assert_ptr_eq(bti_date_format(0, buf), buf);
    ck_assert_str_eq(buf, "1970-01-01");
    ck_assert_int_eq(buf[BTI_DATE_BUF], '#');
    ASSERT_DATE(11017, "2000-03-01");
    ASSERT_DATE(-62091, "1800-01-01");
    ASSERT_DATE(2932896, "9999-12-31");
    ASSERT_DATE(ymd(2026, 5, 7), "2026-05-07");
}
END_TEST

START_TEST(test_parse_good)
{
    static const struct {
        const char *in, *want;
    } cases[] = {
        {"2026-06-01", "2026-06-01"}, {"01.06.2026", "2026-06-01"}, {"1.6.2026", "2026-06-01"},
        {"01.6.2026", "2026-06-01"},  {"1.06.2026", "2026-06-01"},  {"31.12.2026", "2026-12-31"},
        {"29.02.2028", "2028-02-29"}, {"2028-02-29", "2028-02-29"}, {"2000-02-29", "2000-02-29"},
        {"1800-01-01", "1800-01-01"}, {"9999-12-31", "9999-12-31"}, {"31.12.9999", "9999-12-31"},
        {"1.1.1800", "1800-01-01"},   {"2026-12-31", "2026-12-31"}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        bti_date d = -1;
        ck_assert_msg(bti_date_parse(&d, cases[i].in, 0, "--date") == BTI_OK, "%s", cases[i].in);
        ASSERT_DATE(d, cases[i].want);
    }
}
END_TEST

START_TEST(test_parse_today_yesterday)
{
    bti_date today = iso("2026-03-01"), d = -1;
    ck_assert_int_eq(bti_date_parse(&d, "today", today, "--date"), BTI_OK);
    ASSERT_DATE(d, "2026-03-01");
    ck_assert_int_eq(bti_date_parse(&d, "yesterday", today, "--date"), BTI_OK);
    ASSERT_DATE(d, "2026-02-28");
    ck_assert_int_eq(bti_date_parse(&d, "yesterday", iso("2026-01-01"), "--date"), BTI_OK);
    ASSERT_DATE(d, "2025-12-31");
}
END_TEST

START_TEST(test_parse_bad)
{
    static const char *const bad[] = {"2027-02-29",
                                      "2026-13-01",
                                      "2026-00-10",
                                      "2026-01-00",
                                      "31.04.2026",
                                      "2026-04-31",
                                      "29.02.2027",
                                      "32.01.2026",
                                      "0.1.2026",
                                      "1.0.2026",
                                      "1.13.2026",
                                      "2026-1-1",
                                      "2026-01-1",
                                      "2026-1-01",
                                      " 2026-01-01",
                                      "2026-01-01 ",
                                      "2026-01-01x",
                                      "2026-01-01\n",
                                      "",
                                      "tomorrow",
                                      "Today",
                                      "TODAY",
                                      "today ",
                                      "yesterday1",
                                      "1799-12-31",
                                      "31.12.1799",
                                      "0000-01-01",
                                      "01.06.26",
                                      "001.06.2026",
                                      "1.6.20260",
                                      "2026/01/01",
                                      "20260101",
                                      "+2026-01-01",
                                      "-2026-01-01",
                                      "12026-01-01",
                                      "2026--01-01",
                                      "2026-0a-01",
                                      "2026-01-01T00:00",
                                      "1.6.",
                                      "..2026",
                                      "2026-01",
                                      "01.06-2026"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        bti_date d = 4711;
        bti_error_clear();
        ck_assert_msg(bti_date_parse(&d, bad[i], 0, "--date") == BTI_EINVAL, "accepted '%s'",
                      bad[i]);
        ck_assert_int_eq(bti_error_code(), BTI_EINVAL);
        ck_assert_msg(strncmp(bti_error_last(), "invalid date for --date", 23) == 0, "%s",
                      bti_error_last());
        ck_assert_int_eq(d, 4711);
    }
    bti_date d = 4711;
    ck_assert_int_eq(bti_date_parse(&d, NULL, 0, "--date"), BTI_EINVAL);
    ck_assert_int_eq(d, 4711);
}
END_TEST

/* bti_date_parse(s) fails with exactly the message want. */
static void assert_parse_message(const char *s, const char *what, const char *want)
{
    bti_date d;
    ck_assert_int_eq(bti_date_parse(&d, s, 0, what), BTI_EINVAL);
    ck_assert_str_eq(bti_error_last(), want);
}

START_TEST(test_parse_messages)
{
    assert_parse_message("2027-02-29", "--date",
                         "invalid date for --date: '2027-02-29' (no such day)");
    assert_parse_message("31.04.2026", "--received",
                         "invalid date for --received: '31.04.2026' (no such day)");
    assert_parse_message("1799-12-31", "--date",
                         "invalid date for --date: '1799-12-31' (year outside 1800..9999)");
    assert_parse_message("31.4.2026", "--date",
                         "invalid date for --date: '31.4.2026' (no such day)");
    /* Only a date-shaped attempt is quoted: digits with '-' or '.', at most
     * ten characters; a word may be a name and eleven digits a nin. */
    assert_parse_message("tomorrow", "--date", "invalid date for --date " EXPECTED);
    assert_parse_message("2026-01-01x", "--date", "invalid date for --date " EXPECTED);
    assert_parse_message("", "--date", "invalid date for --date " EXPECTED);
    assert_parse_message("2026-01-01-2026-01-0", "--date", "invalid date for --date " EXPECTED);
    assert_parse_message(" 2026-01-01", "--date", "invalid date for --date " EXPECTED);
    assert_parse_message("Kari Nordmann", "--date", "invalid date for --date " EXPECTED);
    assert_parse_message("12345678901", "--date", "invalid date for --date " EXPECTED);
    assert_parse_message("0101901234", "--date", "invalid date for --date " EXPECTED);
    assert_parse_message("x'y", "--date", "invalid date for --date " EXPECTED);
    assert_parse_message("2026-01-01\n", "--date", "invalid date for --date " EXPECTED);
    assert_parse_message("a%sb", "--date", "invalid date for --date " EXPECTED);
}
END_TEST

START_TEST(test_weekday)
{
    ck_assert_int_eq(bti_date_weekday(iso("1970-01-01")), 4);
    ck_assert_int_eq(bti_date_weekday(iso("1969-12-31")), 3);
    ck_assert_int_eq(bti_date_weekday(iso("1969-12-28")), 7);
    ck_assert_int_eq(bti_date_weekday(iso("1900-01-01")), 1);
    ck_assert_int_eq(bti_date_weekday(iso("1800-01-01")), 3);
    ck_assert_int_eq(bti_date_weekday(iso("2000-01-01")), 6);
    ck_assert_int_eq(bti_date_weekday(iso("2024-02-29")), 4);
    ck_assert_int_eq(bti_date_weekday(iso("2026-05-17")), 7);
    ck_assert_int_eq(bti_date_weekday(iso("2027-05-17")), 1);
    ck_assert_int_eq(bti_date_weekday(iso("2026-12-25")), 5);
    bti_date end = ymd(2200, 1, 1);
    for (bti_date d = ymd(1800, 1, 1); d < end; d++) {
        if (bti_date_weekday(d + 1) != bti_date_weekday(d) % 7 + 1)
            ck_abort_msg("weekday of day %d", (int)d + 1);
    }
}
END_TEST

START_TEST(test_add_days)
{
    ASSERT_DATE(bti_date_add_days(iso("2026-02-28"), 1), "2026-03-01");
    ASSERT_DATE(bti_date_add_days(iso("2028-02-28"), 1), "2028-02-29");
    ASSERT_DATE(bti_date_add_days(iso("2026-01-01"), -1), "2025-12-31");
    ASSERT_DATE(bti_date_add_days(iso("2026-01-01"), 365), "2027-01-01");
    ASSERT_DATE(bti_date_add_days(iso("2026-01-01"), 0), "2026-01-01");
}
END_TEST

START_TEST(test_easter_known)
{
    static const char *const known[] = {"2024-03-31", "2025-04-20", "2026-04-05", "2027-03-28",
                                        "2028-04-16", "2029-04-01", "2030-04-21", "2038-04-25",
                                        "2008-03-23", "2011-04-24", "2285-03-22", "1818-03-22",
                                        "1943-04-25", "2000-04-23", "1900-04-15"};
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
        int y = atoi(known[i]);
        ASSERT_DATE(bti_date_easter(y), known[i]);
    }
}
END_TEST

START_TEST(test_easter_always_sunday_in_window)
{
    for (int y = 1800; y <= 9999; y++) {
        bti_date e = bti_date_easter(y), first = 0, last = -1;
        bti_date_from_ymd(&first, y, 3, 22);
        bti_date_from_ymd(&last, y, 4, 25);
        if (bti_date_weekday(e) != 7 || e < first || e > last)
            ck_abort_msg("Easter %d", y);
    }
}
END_TEST

/* Count the public holidays of year y. */
static int holidays_in_year(int y)
{
    int n = 0;
    bti_date last = ymd(y, 12, 31);
    for (bti_date d = ymd(y, 1, 1); d <= last; d++)
        n += bti_date_is_holiday(d) != 0;
    return n;
}

START_TEST(test_holidays_2026)
{
    static const char *const days[] = {"2026-01-01", "2026-04-02", "2026-04-03", "2026-04-05",
                                       "2026-04-06", "2026-05-01", "2026-05-14", "2026-05-17",
                                       "2026-05-24", "2026-05-25", "2026-12-25", "2026-12-26"};
    for (size_t i = 0; i < sizeof days / sizeof days[0]; i++)
        ck_assert_msg(bti_date_is_holiday(iso(days[i])), "%s", days[i]);
    ck_assert_int_eq(holidays_in_year(2026), 12);
    ck_assert(!bti_date_is_holiday(iso("2026-04-04")));
    ck_assert(!bti_date_is_holiday(iso("2026-04-01")));
    ck_assert(!bti_date_is_holiday(iso("2026-04-07")));
    ck_assert(!bti_date_is_holiday(iso("2026-05-13")));
    ck_assert(!bti_date_is_holiday(iso("2026-05-26")));
    ck_assert(!bti_date_is_holiday(iso("2026-12-24")));
    ck_assert(!bti_date_is_holiday(iso("2026-12-31")));
    ck_assert(!bti_date_is_holiday(iso("2026-01-02")));
}
END_TEST

START_TEST(test_holidays_2027)
{
    /* Whit Monday falls on 17 May in 2027, so there are 11 distinct days. */
    static const char *const days[] = {"2027-01-01", "2027-03-25", "2027-03-26", "2027-03-28",
                                       "2027-03-29", "2027-05-01", "2027-05-06", "2027-05-16",
                                       "2027-05-17", "2027-12-25", "2027-12-26"};
    for (size_t i = 0; i < sizeof days / sizeof days[0]; i++)
        ck_assert_msg(bti_date_is_holiday(iso(days[i])), "%s", days[i]);
    ck_assert_int_eq(holidays_in_year(2027), 11);
    ck_assert(!bti_date_is_holiday(iso("2027-03-27")));
    ck_assert(!bti_date_is_holiday(iso("2027-05-18")));
    ck_assert(!bti_date_is_holiday(iso("2027-04-05")));
    /* 2008: Ascension Day is 1 May. */
    ck_assert(bti_date_is_holiday(iso("2008-05-01")));
    ck_assert_int_eq(holidays_in_year(2008), 11);
}
END_TEST

START_TEST(test_day_off)
{
    ck_assert(bti_date_is_day_off(iso("2026-01-10")));  /* Saturday */
    ck_assert(bti_date_is_day_off(iso("2026-01-11")));  /* Sunday */
    ck_assert(bti_date_is_day_off(iso("2026-05-14")));  /* Ascension, Thursday */
    ck_assert(!bti_date_is_day_off(iso("2026-01-12"))); /* Monday */
    ck_assert(!bti_date_is_day_off(iso("2026-12-24"))); /* Christmas Eve, Thursday */
    ASSERT_DATE(bti_date_next_working_day(iso("2026-01-12")), "2026-01-12");
    ASSERT_DATE(bti_date_next_working_day(iso("2026-01-10")), "2026-01-12");
    ASSERT_DATE(bti_date_next_working_day(iso("2026-04-02")), "2026-04-07");
}
END_TEST

START_TEST(test_deadlines)
{
    static const struct {
        const char *from;
        int weeks;
        const char *lands, *due;
    } cases[] = {
        {"2026-03-02", 3, "2026-03-23", "2026-03-23"}, /* Monday, a working day */
        {"2026-01-10", 3, "2026-01-31", "2026-02-02"}, /* Saturday */
        {"2026-01-04", 4, "2026-02-01", "2026-02-02"}, /* Sunday */
        {"2026-01-09", 4, "2026-02-06", "2026-02-06"}, /* Friday */
        {"2028-04-26", 3, "2028-05-17", "2028-05-18"}, /* 17 May, a Wednesday */
        {"2026-04-19", 4, "2026-05-17", "2026-05-18"}, /* 17 May, a Sunday */
        {"2027-04-26", 3, "2027-05-17", "2027-05-18"}, /* 17 May and Whit Monday */
        {"2026-04-23", 3, "2026-05-14", "2026-05-15"}, /* Ascension Day */
        {"2008-04-10", 3, "2008-05-01", "2008-05-02"}, /* Ascension Day on 1 May */
        {"2026-04-27", 4, "2026-05-25", "2026-05-26"}, /* Whit Monday */
        {"2026-05-03", 3, "2026-05-24", "2026-05-26"}, /* Whit Sunday */
        {"2026-03-12", 3, "2026-04-02", "2026-04-07"}, /* Maundy Thursday -> Tuesday */
        {"2026-03-05", 4, "2026-04-02", "2026-04-07"}, /* Maundy Thursday, 4 weeks */
        {"2026-03-13", 3, "2026-04-03", "2026-04-07"}, /* Good Friday */
        {"2026-03-16", 3, "2026-04-06", "2026-04-07"}, /* Easter Monday */
        {"2027-02-25", 4, "2027-03-25", "2027-03-30"}, /* Maundy Thursday 2027 */
        {"2026-04-10", 3, "2026-05-01", "2026-05-04"}, /* 1 May, a Friday */
        {"2026-12-04", 3, "2026-12-25", "2026-12-28"}, /* Christmas Friday + weekend */
        {"2025-11-27", 4, "2025-12-25", "2025-12-29"}, /* Thu 25, Fri 26, weekend */
        {"2027-12-05", 3, "2027-12-26", "2027-12-27"}, /* 26 Dec on a Sunday */
        {"2027-12-04", 3, "2027-12-25", "2027-12-27"}, /* 25 Dec on a Saturday */
        {"2026-12-11", 3, "2027-01-01", "2027-01-04"}, /* 1 Jan Friday + weekend */
        {"2025-12-04", 4, "2026-01-01", "2026-01-02"}, /* 1 Jan Thursday */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        bti_date from = iso(cases[i].from);
        ASSERT_DATE(from + 7 * cases[i].weeks, cases[i].lands);
        ASSERT_DATE(bti_date_deadline_weeks(from, cases[i].weeks), cases[i].due);
    }
}
END_TEST

START_TEST(test_add_months)
{
    ASSERT_DATE(bti_date_add_months(iso("2026-08-31"), 6), "2027-02-28");
    ASSERT_DATE(bti_date_add_months(iso("2027-08-31"), 6), "2028-02-29");
    ASSERT_DATE(bti_date_add_months(iso("2026-01-31"), 1), "2026-02-28");
    ASSERT_DATE(bti_date_add_months(iso("2028-01-31"), 1), "2028-02-29");
    ASSERT_DATE(bti_date_add_months(iso("2026-03-31"), 1), "2026-04-30");
    ASSERT_DATE(bti_date_add_months(iso("2026-01-15"), 1), "2026-02-15");
    ASSERT_DATE(bti_date_add_months(iso("2026-12-15"), 1), "2027-01-15");
    ASSERT_DATE(bti_date_add_months(iso("2026-01-31"), 12), "2027-01-31");
    ASSERT_DATE(bti_date_add_months(iso("2026-01-31"), 0), "2026-01-31");
    ASSERT_DATE(bti_date_add_months(iso("2028-02-29"), 12), "2029-02-28");
    ASSERT_DATE(bti_date_add_months(iso("2028-02-29"), 48), "2032-02-29");
    ASSERT_DATE(bti_date_add_months(iso("2026-03-31"), -1), "2026-02-28");
    ASSERT_DATE(bti_date_add_months(iso("2026-05-31"), -3), "2026-02-28");
    ASSERT_DATE(bti_date_add_months(iso("2026-01-15"), -1), "2025-12-15");
    ASSERT_DATE(bti_date_add_months(iso("2026-01-15"), -12), "2025-01-15");
    ASSERT_DATE(bti_date_add_months(iso("2026-01-15"), -13), "2024-12-15");
    ASSERT_DATE(bti_date_add_months(iso("2026-12-31"), -10), "2026-02-28");
    ASSERT_DATE(bti_date_add_months(iso("2026-02-28"), 6), "2026-08-28");
}
END_TEST

START_TEST(test_years_between)
{
    ck_assert_int_eq(bti_date_years_between(iso("2008-05-10"), iso("2026-05-09")), 17);
    ck_assert_int_eq(bti_date_years_between(iso("2008-05-10"), iso("2026-05-10")), 18);
    ck_assert_int_eq(bti_date_years_between(iso("2008-05-10"), iso("2026-04-30")), 17);
    ck_assert_int_eq(bti_date_years_between(iso("2010-01-01"), iso("2010-12-31")), 0);
    ck_assert_int_eq(bti_date_years_between(iso("2010-01-01"), iso("2011-01-01")), 1);
    ck_assert_int_eq(bti_date_years_between(iso("2010-06-01"), iso("2010-06-01")), 0);
    ck_assert_int_eq(bti_date_years_between(iso("2010-06-01"), iso("2009-06-01")), 0);
    ck_assert_int_eq(bti_date_years_between(iso("1900-01-01"), iso("2026-01-01")), 126);
    /* A 29 February birthday. */
    ck_assert_int_eq(bti_date_years_between(iso("2000-02-29"), iso("2018-02-28")), 17);
    ck_assert_int_eq(bti_date_years_between(iso("2000-02-29"), iso("2018-03-01")), 18);
    ck_assert_int_eq(bti_date_years_between(iso("2008-02-29"), iso("2024-02-28")), 15);
    ck_assert_int_eq(bti_date_years_between(iso("2008-02-29"), iso("2024-02-29")), 16);
    ck_assert_int_eq(bti_date_years_between(iso("2008-02-29"), iso("2025-02-28")), 16);
    ck_assert_int_eq(bti_date_years_between(iso("2008-02-29"), iso("2025-03-01")), 17);
    ck_assert_int_eq(bti_date_years_between(iso("2008-02-29"), iso("2009-02-28")), 0);
    ck_assert_int_eq(bti_date_years_between(iso("2008-02-29"), iso("2009-03-01")), 1);
}
END_TEST

START_TEST(test_oslo_winter)
{
    ASSERT_DATE(bti_date_oslo(utc(2026, 1, 15, 22, 59, 59)), "2026-01-15");
    ASSERT_DATE(bti_date_oslo(utc(2026, 1, 15, 23, 0, 0)), "2026-01-16");
    ASSERT_DATE(bti_date_oslo(utc(2026, 1, 15, 0, 30, 0)), "2026-01-15");
    ASSERT_DATE(bti_date_oslo(utc(2026, 1, 14, 23, 30, 0)), "2026-01-15");
    ASSERT_DATE(bti_date_oslo(utc(2026, 12, 31, 22, 59, 59)), "2026-12-31");
    ASSERT_DATE(bti_date_oslo(utc(2026, 12, 31, 23, 0, 0)), "2027-01-01");
}
END_TEST

START_TEST(test_oslo_summer)
{
    ASSERT_DATE(bti_date_oslo(utc(2026, 7, 1, 21, 59, 59)), "2026-07-01");
    ASSERT_DATE(bti_date_oslo(utc(2026, 7, 1, 22, 0, 0)), "2026-07-02");
    ASSERT_DATE(bti_date_oslo(utc(2026, 6, 30, 23, 30, 0)), "2026-07-01");
    ASSERT_DATE(bti_date_oslo(utc(2026, 6, 30, 22, 30, 0)), "2026-07-01");
    ASSERT_DATE(bti_date_oslo(utc(2026, 6, 30, 21, 30, 0)), "2026-06-30");
    /* The evening before the switch to winter time is still summer time. */
    ASSERT_DATE(bti_date_oslo(utc(2026, 10, 24, 21, 59, 0)), "2026-10-24");
    ASSERT_DATE(bti_date_oslo(utc(2026, 10, 24, 22, 0, 0)), "2026-10-25");
    /* The evening before the switch to summer time is winter time. */
    ASSERT_DATE(bti_date_oslo(utc(2026, 3, 28, 22, 59, 0)), "2026-03-28");
    ASSERT_DATE(bti_date_oslo(utc(2026, 3, 28, 23, 0, 0)), "2026-03-29");
}
END_TEST

START_TEST(test_oslo_without_tz_database)
{
    /* The fallback rule must agree with the tz database for today's rules. */
    setenv("TZDIR", "/nonexistent-bti-tzdir", 1);
    ASSERT_DATE(bti_date_oslo(utc(2026, 1, 15, 23, 0, 0)), "2026-01-16");
    ASSERT_DATE(bti_date_oslo(utc(2026, 7, 1, 21, 59, 59)), "2026-07-01");
    ASSERT_DATE(bti_date_oslo(utc(2026, 7, 1, 22, 0, 0)), "2026-07-02");
    char buf[BTI_TIME_LOCAL_BUF];
    ck_assert_str_eq(bti_time_format_local(utc(2026, 3, 29, 1, 0, 0), buf), "2026-03-29 03:00");
    ck_assert_str_eq(bti_time_format_local(utc(2026, 10, 25, 1, 0, 0), buf), "2026-10-25 02:00");
    /* Each test runs in a fresh process unless CK_FORK=no: then the rule is in use. */
    const char *fork = getenv("CK_FORK");
    if (!fork || strcmp(fork, "no") != 0)
        ck_assert_str_eq(getenv("TZ"), "CET-1CEST,M3.5.0,M10.5.0/3");
    unsetenv("TZDIR");
}
END_TEST

START_TEST(test_time_format_local)
{
    char buf[BTI_TIME_LOCAL_BUF + 1];
    memset(buf, '#', sizeof buf);
    ck_assert_ptr_eq(bti_time_format_local(utc(2026, 1, 15, 23, 0, 0), buf), buf);
    ck_assert_str_eq(buf, "2026-01-16 00:00");
    ck_assert_int_eq(buf[BTI_TIME_LOCAL_BUF], '#');
    ck_assert_str_eq(bti_time_format_local(utc(2026, 7, 1, 21, 59, 30), buf), "2026-07-01 23:59");
    ck_assert_str_eq(bti_time_format_local(utc(2026, 3, 29, 0, 59, 0), buf), "2026-03-29 01:59");
    ck_assert_str_eq(bti_time_format_local(utc(2026, 3, 29, 1, 0, 0), buf), "2026-03-29 03:00");
    ck_assert_str_eq(bti_time_format_local(utc(2026, 10, 25, 0, 59, 0), buf), "2026-10-25 02:59");
    ck_assert_str_eq(bti_time_format_local(utc(2026, 10, 25, 1, 0, 0), buf), "2026-10-25 02:00");
    ck_assert_str_eq(bti_time_format_local(0, buf), "1970-01-01 01:00");
}
END_TEST

START_TEST(test_time_format_utc)
{
    char buf[BTI_TIME_UTC_BUF + 1];
    memset(buf, '#', sizeof buf);
    ck_assert_ptr_eq(bti_time_format_utc(0, buf), buf);
    ck_assert_str_eq(buf, "1970-01-01T00:00:00Z");
    ck_assert_int_eq(buf[BTI_TIME_UTC_BUF], '#');
    ck_assert_str_eq(bti_time_format_utc(1700000000, buf), "2023-11-14T22:13:20Z");
    ck_assert_str_eq(bti_time_format_utc(utc(2026, 7, 1, 21, 59, 30), buf), "2026-07-01T21:59:30Z");
    /* UTC formatting does not depend on the Oslo zone having been set up. */
    bti_date_oslo(0);
    ck_assert_str_eq(bti_time_format_utc(utc(2026, 1, 15, 23, 5, 9), buf), "2026-01-15T23:05:09Z");
}
END_TEST

START_TEST(test_time_parse_utc)
{
    time_t t = -1;
    char buf[BTI_TIME_UTC_BUF];
    ck_assert_int_eq(bti_time_parse_utc("1970-01-01T00:00:00Z", &t), BTI_OK);
    ck_assert_int_eq(t, 0);
    ck_assert_int_eq(bti_time_parse_utc("2023-11-14T22:13:20Z", &t), BTI_OK);
    ck_assert_int_eq(t, 1700000000);
    ck_assert_int_eq(bti_time_parse_utc("2028-02-29T23:59:59Z", &t), BTI_OK);
    ck_assert_int_eq(t, utc(2028, 2, 29, 23, 59, 59));
    bti_date_oslo(0); /* the Oslo zone must not shift a UTC parse */
    ck_assert_int_eq(bti_time_parse_utc("2026-07-01T12:00:00Z", &t), BTI_OK);
    ck_assert_int_eq(t, utc(2026, 7, 1, 12, 0, 0));
    for (time_t x = utc(1999, 12, 31, 23, 59, 59); x < utc(2001, 1, 1, 0, 0, 0); x += 86399) {
        ck_assert_int_eq(bti_time_parse_utc(bti_time_format_utc(x, buf), &t), BTI_OK);
        ck_assert_int_eq(t, x);
    }
}
END_TEST

START_TEST(test_time_parse_utc_bad)
{
    static const char *const bad[] = {"2026-01-01T00:00:00",   "2026-01-01 00:00:00Z",
                                      "2026-02-30T00:00:00Z",  "2026-01-01T24:00:00Z",
                                      "2026-01-01T00:60:00Z",  "2026-01-01T00:00:60Z",
                                      "2026-01-01T00:00:00Zx", "",
                                      "2026-1-01T00:00:00Z",   "2026-01-01t00:00:00z",
                                      "2026-13-01T00:00:00Z",  "1799-12-31T00:00:00Z",
                                      "2026-01-01T00:00Z",     " 2026-01-01T00:00:00Z"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        time_t t = 4711;
        ck_assert_msg(bti_time_parse_utc(bad[i], &t) == BTI_EINVAL, "accepted '%s'", bad[i]);
        ck_assert_int_eq(t, 4711);
        ck_assert_msg(strncmp(bti_error_last(), "invalid timestamp", 17) == 0, "%s",
                      bti_error_last());
    }
    time_t t = 4711;
    ck_assert_int_eq(bti_time_parse_utc(NULL, &t), BTI_EINVAL);
}
END_TEST

/* bti_date_today(option, env) succeeds with the real Oslo date plus delta. */
static void assert_today_real(const char *option, const char *env, int delta)
{
    bti_date before = bti_date_oslo(time(NULL)), d = -1;
    ck_assert_int_eq(bti_date_today(&d, option, env), BTI_OK);
    bti_date after = bti_date_oslo(time(NULL));
    ck_assert(d == before + delta || d == after + delta);
}

START_TEST(test_today)
{
    bti_date d = -1;
    ck_assert_int_eq(bti_date_today(&d, "2026-03-01", "2025-01-01"), BTI_OK);
    ASSERT_DATE(d, "2026-03-01");
    ck_assert_int_eq(bti_date_today(&d, "1.3.2026", NULL), BTI_OK);
    ASSERT_DATE(d, "2026-03-01");
    ck_assert_int_eq(bti_date_today(&d, NULL, "01.02.2025"), BTI_OK);
    ASSERT_DATE(d, "2025-02-01");
    ck_assert_int_eq(bti_date_today(&d, "2026-03-01", ""), BTI_OK);
    ASSERT_DATE(d, "2026-03-01");
    assert_today_real(NULL, NULL, 0);
    assert_today_real(NULL, "", 0);
    assert_today_real("today", "2020-01-01", 0);
    assert_today_real("yesterday", NULL, -1);
    assert_today_real(NULL, "yesterday", -1);
}
END_TEST

START_TEST(test_today_bad)
{
    bti_date d = 4711;
    ck_assert_int_eq(bti_date_today(&d, "bad", "2025-01-01"), BTI_EINVAL);
    ck_assert_str_eq(bti_error_last(), "invalid date for --today " EXPECTED);
    ck_assert_int_eq(bti_date_today(&d, "", "2025-01-01"), BTI_EINVAL);
    ck_assert_int_eq(bti_date_today(&d, NULL, "2027-02-29"), BTI_EINVAL);
    ck_assert_str_eq(bti_error_last(), "invalid date for BTI_TODAY: '2027-02-29' (no such day)");
    ck_assert_int_eq(bti_date_today(&d, NULL, "next week"), BTI_EINVAL);
    ck_assert_str_eq(bti_error_last(), "invalid date for BTI_TODAY " EXPECTED);
    ck_assert_int_eq(d, 4711);
}
END_TEST

Suite *make_date_suite(void)
{
    Suite *s = suite_create("date");
    TCase *tc = tcase_create("calendar");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_epoch_and_known_day_numbers);
    tcase_add_test(tc, test_from_ymd_rejects);
    tcase_add_test(tc, test_round_trip_1900_2100);
    tcase_add_test(tc, test_round_trip_whole_range);
    tcase_add_test(tc, test_format);
    tcase_add_test(tc, test_weekday);
    tcase_add_test(tc, test_add_days);
    tcase_add_test(tc, test_add_months);
    tcase_add_test(tc, test_years_between);
    suite_add_tcase(s, tc);

    tc = tcase_create("parse");
    tcase_add_test(tc, test_parse_good);
    tcase_add_test(tc, test_parse_today_yesterday);
    tcase_add_test(tc, test_parse_bad);
    tcase_add_test(tc, test_parse_messages);
    suite_add_tcase(s, tc);

    tc = tcase_create("holidays");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_easter_known);
    tcase_add_test(tc, test_easter_always_sunday_in_window);
    tcase_add_test(tc, test_holidays_2026);
    tcase_add_test(tc, test_holidays_2027);
    tcase_add_test(tc, test_day_off);
    tcase_add_test(tc, test_deadlines);
    suite_add_tcase(s, tc);

    tc = tcase_create("time");
    tcase_add_test(tc, test_oslo_winter);
    tcase_add_test(tc, test_oslo_summer);
    tcase_add_test(tc, test_oslo_without_tz_database);
    tcase_add_test(tc, test_time_format_local);
    tcase_add_test(tc, test_time_format_utc);
    tcase_add_test(tc, test_time_parse_utc);
    tcase_add_test(tc, test_time_parse_utc_bad);
    tcase_add_test(tc, test_today);
    tcase_add_test(tc, test_today_bad);
    suite_add_tcase(s, tc);
    return s;
}
