/* Norwegian national identity numbers: shape, check digits, birth date. */
#include <string.h>
#include "bti/error.h"
#include "bti/nin.h"
#include "base/intl.h"

static const int k1_weights[9] = {3, 7, 6, 1, 8, 9, 4, 5, 2};
static const int k2_weights[10] = {5, 4, 3, 2, 7, 6, 5, 4, 3, 2};

/* Non-zero when s begins with n ASCII digits. */
static int leading_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return 0;
    }
    return 1;
}

/* Non-zero when s is exactly n ASCII digits. */
static int all_digits(const char *s, size_t n)
{
    return leading_digits(s, n) && s[n] == '\0';
}

/* The two digits at s as a number. */
static int two(const char *s)
{
    return (s[0] - '0') * 10 + (s[1] - '0');
}

/* The mod-11 check digit over the first n digits of nin, or -1 when the
 * weighted sum leaves remainder 1 (check digit 10: no valid number). */
static int check_digit(const char *nin, const int *weights, int n)
{
    int sum = 0;
    for (int i = 0; i < n; i++)
        sum += weights[i] * (nin[i] - '0');
    int k = 11 - sum % 11;
    if (k == 11)
        return 0;
    return k == 10 ? -1 : k;
}

/* Non-zero when both check digits of the 11 digits at nin are right. */
static int check_digits_ok(const char *nin)
{
    int k1 = check_digit(nin, k1_weights, 9);
    if (k1 < 0 || k1 != nin[9] - '0')
        return 0;
    int k2 = check_digit(nin, k2_weights, 10);
    return k2 >= 0 && k2 == nin[10] - '0';
}

/* The full year of two-digit year yy with individual number iii, or -1
 * when the individual number belongs to no century for that year. */
static int century_year(int yy, int iii)
{
    if (iii <= 499)
        return 1900 + yy;
    if (iii <= 749 && yy >= 54)
        return 1800 + yy;
    if (yy <= 39)
        return 2000 + yy;
    if (iii >= 900)
        return 1900 + yy;
    return -1;
}

/* The birth date of the 11 digits at nin: D-numbers add 40 to the day,
 * synthetic numbers 80 to the month.  Returns 0 or -1 when there is none. */
static int birth_date(const char *nin, bti_date *out)
{
    int day = two(nin), month = two(nin + 2);
    int iii = (nin[6] - '0') * 100 + two(nin + 7);
    int year = century_year(two(nin + 4), iii);
    if (day >= 40 && day < 80)
        day -= 40;
    if (month > 80)
        month -= 80;
    if (year < 0 || day < 1 || day > 31 || month < 1 || month > 12)
        return -1;
    return bti_date_from_ymd(out, year, month, day) == BTI_OK ? 0 : -1;
}

/* Check shape, check digits and birth date, in that order. */
int bti_nin_check(const char *nin, bti_date *born, const char *what)
{
    bti_date d;
    if (nin == NULL || !all_digits(nin, BTI_NIN_LEN))
        return bti_error_set(BTI_EINVAL, _("invalid nin for %s: expected 11 digits"), what);
    if (!check_digits_ok(nin))
        return bti_error_set(BTI_EINVAL, _("invalid nin for %s: wrong check digits"), what);
    if (birth_date(nin, &d) != 0)
        return bti_error_set(BTI_EINVAL, _("invalid nin for %s: no such birth date"), what);
    if (born != NULL)
        *born = d;
    return BTI_OK;
}

/* Check nin and compare its birth date with born. */
int bti_nin_check_born(const char *nin, bti_date born, const char *what)
{
    bti_date d;
    int rc = bti_nin_check(nin, &d, what);
    if (rc != BTI_OK)
        return rc;
    if (d != born)
        return bti_error_set(BTI_EINVAL, _("%s does not agree with the birth date"), what);
    return BTI_OK;
}

/* Accept 11 digits, "DDMMYY NNNNN" or 10 digits (padded with a zero). */
int bti_nin_normalize(char *out, const char *in, int *padded, const char *what)
{
    if (padded != NULL)
        *padded = 0;
    if (in == NULL)
        return bti_error_set(BTI_EINVAL, _("invalid nin for %s: expected 11 digits"), what);
    if (all_digits(in, BTI_NIN_LEN)) {
        memcpy(out, in, BTI_NIN_LEN + 1);
    } else if (all_digits(in, BTI_NIN_LEN - 1)) {
        out[0] = '0';
        memcpy(out + 1, in, BTI_NIN_LEN);
        if (padded != NULL)
            *padded = 1;
    } else if (leading_digits(in, 6) && in[6] == ' ' && all_digits(in + 7, 5)) {
        memcpy(out, in, 6);
        memcpy(out + 6, in + 7, 6);
    } else {
        return bti_error_set(BTI_EINVAL, _("invalid nin for %s: expected 11 digits"), what);
    }
    return BTI_OK;
}

/* The first six digits and five asterisks. */
char *bti_nin_mask(const char *nin, char *out)
{
    size_t n = strnlen(nin, 6);
    memcpy(out, nin, n);
    memcpy(out + n, "*****", 6);
    return out;
}

/* The birth date digits, a space and the last five digits. */
char *bti_nin_spaced(const char *nin, char *out)
{
    size_t n = strnlen(nin, BTI_NIN_LEN);
    size_t head = n < 6 ? n : 6;
    memcpy(out, nin, head);
    out[head] = ' ';
    memcpy(out + head + 1, nin + head, n - head);
    out[n + 1] = '\0';
    return out;
}
