/* Unit tests of lib/base/nin.c.  Every number here is computed by the tests
 * themselves: synthetic test numbers (month + 80), D-numbers and plain
 * numbers with a birth date in the future, never a real person's nin. */
#include <check.h>
#include <stdio.h>
#include <string.h>
#include "bti/error.h"
#include "bti/nin.h"

static const int w1[9] = {3, 7, 6, 1, 8, 9, 4, 5, 2};
static const int w2[10] = {5, 4, 3, 2, 7, 6, 5, 4, 3, 2};

/* The mod-11 check digit over the first n digits of s, or -1 for none. */
static int mod11(const char *s, const int *w, int n)
{
    int sum = 0;
    for (int i = 0; i < n; i++)
        sum += w[i] * (s[i] - '0');
    int k = 11 - sum % 11;
    return k == 11 ? 0 : k == 10 ? -1 : k;
}

/* Write the nin with day field dd, month field mm, year yy (each 0..99)
 * and individual number iii (0..999) to out (BTI_NIN_BUF bytes); 0 when
 * those digits have no valid check digits. */
static int build(char *out, int dd, int mm, int yy, int iii)
{
    const int digits[9] = {dd / 10, dd % 10,   mm / 10,       mm % 10, yy / 10,
                           yy % 10, iii / 100, iii / 10 % 10, iii % 10};
    for (int i = 0; i < 9; i++)
        out[i] = (char)('0' + digits[i]);
    out[11] = '\0';
    int k1 = mod11(out, w1, 9);
    if (k1 < 0)
        return 0;
    out[9] = (char)('0' + k1);
    int k2 = mod11(out, w2, 10);
    if (k2 < 0)
        return 0;
    out[10] = (char)('0' + k2);
    return 1;
}

/* A valid nin for day 1..28 (plus day_add) that fits the fixed fields;
 * returns the day, or 0 when no day gives valid check digits. */
static int gen_day(char *out, int day_add, int mm, int yy, int iii)
{
    for (int d = 1; d <= 28; d++) {
        if (build(out, d + day_add, mm, yy, iii))
            return d;
    }
    return 0;
}

/* A valid nin with fixed day and month fields and iii in lo..hi; returns
 * iii, or -1 when none has valid check digits. */
static int gen_iii(char *out, int dd, int mm, int yy, int lo, int hi)
{
    for (int iii = lo; iii <= hi; iii++) {
        if (build(out, dd, mm, yy, iii))
            return iii;
    }
    return -1;
}

static bti_date ymd(int y, int m, int d)
{
    bti_date out = 0;
    ck_assert_int_eq(bti_date_from_ymd(&out, y, m, d), BTI_OK);
    return out;
}

/* The last message names the rule and never the digits of nin. */
static void assert_message(const char *nin, const char *rule)
{
    const char *msg = bti_error_last();
    ck_assert_ptr_nonnull(strstr(msg, rule));
    ck_assert_ptr_nonnull(strstr(msg, "--nin"));
    size_t n = strlen(nin);
    if (n >= 5)
        ck_assert_ptr_null(strstr(msg, nin));
    if (n >= 11) {
        char head[7], tail[6];
        memcpy(head, nin, 6), head[6] = '\0';
        memcpy(tail, nin + n - 5, 5), tail[5] = '\0';
        ck_assert_ptr_null(strstr(msg, head));
        ck_assert_ptr_null(strstr(msg, tail));
    }
}

/* nin is refused with BTI_EINVAL for rule. */
static void assert_refused(const char *nin, const char *rule)
{
    bti_error_clear();
    ck_assert_int_eq(bti_nin_check(nin, NULL, "--nin"), BTI_EINVAL);
    assert_message(nin, rule);
}

/* The nin built from these fields is valid with birth date y-m-day. */
static void assert_valid(int day_add, int mm, int yy, int iii, int y, int m)
{
    char nin[BTI_NIN_BUF];
    bti_date born = -1;
    int day = gen_day(nin, day_add, mm, yy, iii);
    ck_assert_int_ne(day, 0);
    ck_assert_int_eq(bti_nin_check(nin, &born, "--nin"), BTI_OK);
    ck_assert_int_eq(born, ymd(y, m, day));
    ck_assert_int_eq(bti_nin_check(nin, NULL, "--nin"), BTI_OK);
}

/* Born 1990-03-15, synthetic: 15 83 90 and an individual number. */
START_TEST(synthetic_valid)
{
    char nin[BTI_NIN_BUF];
    bti_date born;
    ck_assert_int_ge(gen_iii(nin, 15, 83, 90, 100, 499), 100);
    ck_assert_int_eq(bti_nin_check(nin, &born, "--nin"), BTI_OK);
    ck_assert_int_eq(born, ymd(1990, 3, 15));
}
END_TEST

/* Plain and D-numbers are tested with a birth date in 2039, so that they
 * cannot be anyone's number. */
START_TEST(plain_valid)
{
    assert_valid(0, 12, 39, 512, 2039, 12);
    assert_valid(0, 1, 39, 999, 2039, 1);
}
END_TEST

START_TEST(d_number_valid)
{
    assert_valid(40, 11, 39, 600, 2039, 11);
    char nin[BTI_NIN_BUF];
    bti_date born;
    ck_assert_int_ge(gen_iii(nin, 71, 12, 39, 500, 999), 500);
    ck_assert_int_eq(bti_nin_check(nin, &born, "--nin"), BTI_OK);
    ck_assert_int_eq(born, ymd(2039, 12, 31));
}
END_TEST

START_TEST(d_synthetic_valid)
{
    assert_valid(40, 83, 90, 123, 1990, 3);
    assert_valid(40, 92, 5, 700, 2005, 12);
}
END_TEST

/* Each century rule on both sides of its individual-number and year bounds. */
START_TEST(centuries)
{
    assert_valid(0, 81, 0, 0, 1900, 1);
    assert_valid(0, 85, 99, 499, 1999, 5);
    assert_valid(0, 86, 54, 500, 1854, 6);
    assert_valid(0, 87, 99, 749, 1899, 7);
    assert_valid(0, 88, 0, 500, 2000, 8);
    assert_valid(0, 89, 39, 999, 2039, 9);
    assert_valid(0, 90, 20, 750, 2020, 10);
    assert_valid(0, 91, 40, 900, 1940, 11);
    assert_valid(0, 92, 99, 999, 1999, 12);
}
END_TEST

/* Individual numbers that belong to no century for their year. */
START_TEST(no_century)
{
    const int cases[][2] = {{500, 53}, {749, 40}, {750, 54}, {899, 99}, {800, 40}, {899, 53}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char nin[BTI_NIN_BUF];
        ck_assert_int_ne(gen_day(nin, 0, 84, cases[i][1], cases[i][0]), 0);
        assert_refused(nin, "no such birth date");
    }
}
END_TEST

/* Any single changed digit, check digits included, is caught. */
START_TEST(wrong_check_digits)
{
    char nin[BTI_NIN_BUF], bad[BTI_NIN_BUF];
    ck_assert_int_ne(gen_day(nin, 0, 83, 90, 123), 0);
    for (int pos = 0; pos < BTI_NIN_LEN; pos++) {
        for (char c = '0'; c <= '9'; c++) {
            if (c == nin[pos])
                continue;
            memcpy(bad, nin, sizeof bad);
            bad[pos] = c;
            assert_refused(bad, "wrong check digits");
        }
    }
}
END_TEST

START_TEST(wrong_shape)
{
    char nin[BTI_NIN_BUF], s[32];
    ck_assert_int_ne(gen_day(nin, 0, 83, 90, 123), 0);
    snprintf(s, sizeof s, "%.10s", nin);
    assert_refused(s, "expected 11 digits");
    snprintf(s, sizeof s, "%s5", nin);
    assert_refused(s, "expected 11 digits");
    snprintf(s, sizeof s, "%.10sa", nin);
    assert_refused(s, "expected 11 digits");
    snprintf(s, sizeof s, "a%.10s", nin);
    assert_refused(s, "expected 11 digits");
    snprintf(s, sizeof s, "%.6s %.5s", nin, nin + 6);
    assert_refused(s, "expected 11 digits");
    snprintf(s, sizeof s, " %s", nin);
    assert_refused(s, "expected 11 digits");
    assert_refused("", "expected 11 digits");
    assert_refused("abcdefghijk", "expected 11 digits");
}
END_TEST

/* The fields give a valid nin with day dd and month mm that is refused. */
static void assert_no_date(int dd, int mm, int yy, int lo, int hi)
{
    char nin[BTI_NIN_BUF];
    ck_assert_int_ge(gen_iii(nin, dd, mm, yy, lo, hi), lo);
    assert_refused(nin, "no such birth date");
}

START_TEST(impossible_dates)
{
    assert_no_date(31, 84, 90, 0, 499);   /* 31 April */
    assert_no_date(29, 82, 21, 500, 999); /* 29 February 2021 */
    assert_no_date(29, 82, 0, 0, 499);    /* 29 February 1900 */
    assert_no_date(0, 83, 90, 0, 499);
    assert_no_date(32, 83, 90, 0, 499);
    assert_no_date(40, 83, 90, 0, 499); /* D-number with day 0 */
    assert_no_date(72, 83, 90, 0, 499); /* D-number with day 32 */
    assert_no_date(85, 83, 90, 0, 499); /* first digit 8 */
    assert_no_date(15, 80, 90, 0, 499);
    assert_no_date(15, 93, 90, 0, 499);
    assert_no_date(15, 43, 90, 0, 499); /* month + 40 is not accepted */
    assert_no_date(15, 13, 39, 500, 999);
    assert_no_date(15, 0, 39, 500, 999);
    assert_no_date(15, 63, 90, 0, 499);
}
END_TEST

START_TEST(leap_days)
{
    char nin[BTI_NIN_BUF];
    bti_date born;
    ck_assert_int_ge(gen_iii(nin, 29, 82, 0, 500, 999), 500);
    ck_assert_int_eq(bti_nin_check(nin, &born, "--nin"), BTI_OK);
    ck_assert_int_eq(born, ymd(2000, 2, 29));
    ck_assert_int_ge(gen_iii(nin, 69, 82, 96, 0, 499), 0);
    ck_assert_int_eq(bti_nin_check(nin, &born, "--nin"), BTI_OK);
    ck_assert_int_eq(born, ymd(1996, 2, 29));
}
END_TEST

START_TEST(born_agrees)
{
    char nin[BTI_NIN_BUF];
    ck_assert_int_ge(gen_iii(nin, 15, 83, 90, 0, 499), 0);
    ck_assert_int_eq(bti_nin_check_born(nin, ymd(1990, 3, 15), "--nin"), BTI_OK);
    bti_error_clear();
    ck_assert_int_eq(bti_nin_check_born(nin, ymd(1990, 3, 16), "--nin"), BTI_EINVAL);
    assert_message(nin, "--nin does not agree with the birth date");
    ck_assert_int_eq(bti_nin_check_born(nin, ymd(2090, 3, 15), "--nin"), BTI_EINVAL);
    nin[10] = nin[10] == '9' ? '0' : (char)(nin[10] + 1);
    ck_assert_int_eq(bti_nin_check_born(nin, ymd(1990, 3, 15), "--nin"), BTI_EINVAL);
    assert_message(nin, "wrong check digits");
}
END_TEST

START_TEST(normalize_plain_and_spaced)
{
    char nin[BTI_NIN_BUF], out[BTI_NIN_BUF], spaced[BTI_NIN_BUF];
    int padded = -1;
    ck_assert_int_ne(gen_day(nin, 0, 83, 90, 123), 0);
    ck_assert_int_eq(bti_nin_normalize(out, nin, &padded, "--nin"), BTI_OK);
    ck_assert_str_eq(out, nin);
    ck_assert_int_eq(padded, 0);
    snprintf(spaced, sizeof spaced, "%.6s %.5s", nin, nin + 6);
    padded = -1;
    ck_assert_int_eq(bti_nin_normalize(out, spaced, &padded, "--nin"), BTI_OK);
    ck_assert_str_eq(out, nin);
    ck_assert_int_eq(padded, 0);
    ck_assert_int_eq(bti_nin_normalize(out, nin, NULL, "--nin"), BTI_OK);
}
END_TEST

/* Excel dropped the leading zero of a day below 10. */
START_TEST(normalize_padded)
{
    char nin[BTI_NIN_BUF], out[BTI_NIN_BUF];
    int padded = 0;
    ck_assert_int_ne(gen_day(nin, 0, 83, 90, 456), 0);
    ck_assert_int_eq(nin[0], '0');
    ck_assert_int_eq(bti_nin_normalize(out, nin + 1, &padded, "--nin"), BTI_OK);
    ck_assert_str_eq(out, nin);
    ck_assert_int_eq(padded, 1);
    ck_assert_int_eq(bti_nin_check(out, NULL, "--nin"), BTI_OK);
}
END_TEST

/* s is refused by bti_nin_normalize. */
static void assert_bad_shape(const char *s)
{
    char out[BTI_NIN_BUF];
    int padded = -1;
    bti_error_clear();
    ck_assert_int_eq(bti_nin_normalize(out, s, &padded, "--nin"), BTI_EINVAL);
    ck_assert_int_eq(padded, 0);
    assert_message(s, "expected 11 digits");
}

/* The nin printed with format fmt is refused by bti_nin_normalize. */
#define BAD_SHAPE(fmt)                                                                             \
    do {                                                                                           \
        snprintf(s, sizeof s, fmt, nin, nin + 6);                                                  \
        assert_bad_shape(s);                                                                       \
    } while (0)

START_TEST(normalize_bad_shapes)
{
    char nin[BTI_NIN_BUF], s[32];
    ck_assert_int_ne(gen_day(nin, 0, 83, 90, 123), 0);
    BAD_SHAPE("%.6s  %.5s");
    BAD_SHAPE("%.5s %.6s");
    BAD_SHAPE("%.6s-%.5s");
    BAD_SHAPE("%.6s\t%.5s");
    BAD_SHAPE(" %.6s%.5s");
    BAD_SHAPE("%.6s%.5s ");
    BAD_SHAPE(" %.6s %.5s");
    BAD_SHAPE("%.6s %.4s");
    BAD_SHAPE("%.6s %.5s1");
    BAD_SHAPE("%.6s%.3s");
    BAD_SHAPE("%.6s%.5s12");
    BAD_SHAPE("%.6sx%.4s");
    BAD_SHAPE("%.6s%.4sx");
    assert_bad_shape("");
    assert_bad_shape("1234 56789");
    assert_bad_shape("12345 67890");
}
END_TEST

START_TEST(mask_and_spaced)
{
    char nin[BTI_NIN_BUF], out[BTI_NIN_BUF], want[BTI_NIN_BUF];
    ck_assert_int_ne(gen_day(nin, 0, 83, 90, 123), 0);
    snprintf(want, sizeof want, "%.6s*****", nin);
    ck_assert_ptr_eq(bti_nin_mask(nin, out), out);
    ck_assert_str_eq(out, want);
    snprintf(want, sizeof want, "%.6s %.5s", nin, nin + 6);
    ck_assert_ptr_eq(bti_nin_spaced(nin, out), out);
    ck_assert_str_eq(out, want);
    ck_assert_uint_eq(strlen(out), 12);
}
END_TEST

START_TEST(message_names_what)
{
    ck_assert_int_eq(bti_nin_check("123", NULL, "column 'nin'"), BTI_EINVAL);
    ck_assert_str_eq(bti_error_last(), "invalid nin for column 'nin': expected 11 digits");
}
END_TEST

Suite *make_nin_suite(void)
{
    Suite *s = suite_create("nin");
    TCase *tc = tcase_create("nin");
    tcase_add_test(tc, synthetic_valid);
    tcase_add_test(tc, plain_valid);
    tcase_add_test(tc, d_number_valid);
    tcase_add_test(tc, d_synthetic_valid);
    tcase_add_test(tc, centuries);
    tcase_add_test(tc, no_century);
    tcase_add_test(tc, wrong_check_digits);
    tcase_add_test(tc, wrong_shape);
    tcase_add_test(tc, impossible_dates);
    tcase_add_test(tc, leap_days);
    tcase_add_test(tc, born_agrees);
    tcase_add_test(tc, normalize_plain_and_spaced);
    tcase_add_test(tc, normalize_padded);
    tcase_add_test(tc, normalize_bad_shapes);
    tcase_add_test(tc, mask_and_spaced);
    tcase_add_test(tc, message_names_what);
    suite_add_tcase(s, tc);
    return s;
}
