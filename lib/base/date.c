/* Calendar dates, Norwegian public holidays, deadlines and Oslo time. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "bti/date.h"
#include "bti/error.h"
#include "base/intl.h"

#define YEAR_MIN 1800
#define YEAR_MAX 9999
#define SECS_PER_DAY 86400

/* Europe/Oslo as a POSIX rule, for systems without the tz database. */
#define OSLO_POSIX_TZ "CET-1CEST,M3.5.0,M10.5.0/3"

#define EXPECTED_FORMS _("expected YYYY-MM-DD, DD.MM.YYYY, today or yesterday")

static int is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

/* Day number of a proleptic Gregorian date, unchecked (Hinnant's days_from_civil). */
static bti_date days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;
    int doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

int bti_date_from_ymd(bti_date *out, int year, int month, int day)
{
    if (year < YEAR_MIN || year > YEAR_MAX)
        return bti_error_set(BTI_EINVAL, _("invalid date (year outside 1800..9999)"));
    if (month < 1 || month > 12 || day < 1 || day > days_in_month(year, month))
        return bti_error_set(BTI_EINVAL, _("invalid date (no such day)"));
    *out = days_from_civil(year, month, day);
    return BTI_OK;
}

/* Split a day number into year, month and day (Hinnant's civil_from_days). */
void bti_date_to_ymd(bti_date d, int *year, int *month, int *day)
{
    int z = d + 719468;
    int era = (z >= 0 ? z : z - 146096) / 146097;
    int doe = z - era * 146097;
    int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int mp = (5 * doy + 2) / 153;
    int m = mp < 10 ? mp + 3 : mp - 9;
    *day = doy - (153 * mp + 2) / 5 + 1;
    *month = m;
    *year = yoe + era * 400 + (m <= 2);
}

/* Non-zero when s matches pattern exactly: 'D' is any digit, others literal. */
static int matches(const char *s, const char *pattern)
{
    for (; *pattern; s++, pattern++) {
        if (*pattern == 'D' ? (*s < '0' || *s > '9') : *s != *pattern)
            return 0;
    }
    return *s == '\0';
}

/* Read the first n runs of digits in s into v (s is known to hold them). */
static void read_numbers(const char *s, int *v, int n)
{
    for (int i = 0; i < n; i++) {
        while (*s < '0' || *s > '9')
            s++;
        for (v[i] = 0; *s >= '0' && *s <= '9'; s++)
            v[i] = v[i] * 10 + (*s - '0');
    }
}

/* Non-zero when s may appear in a message: a date-shaped attempt of digits
 * with a '-' or '.', at most ten characters, which no name or nin is. */
static int quotable(const char *s)
{
    size_t n = strlen(s);
    return n <= 10 && strspn(s, "0123456789.-") == n && strpbrk(s, ".-") != NULL;
}

/* Report a bad date for `what`, quoting s only when that is harmless. */
static int date_error(const char *s, const char *what, const char *why)
{
    if (s && quotable(s))
        return bti_error_set(BTI_EINVAL, _("invalid date for %s: '%s' (%s)"), what, s, why);
    return bti_error_set(BTI_EINVAL, _("invalid date for %s (%s)"), what, why);
}

/* Split s into year, month and day when it has one of the accepted numeric forms. */
static int split_date(const char *s, int *y, int *m, int *d)
{
    static const char *const dotted[] = {"DD.DD.DDDD", "D.DD.DDDD", "DD.D.DDDD", "D.D.DDDD"};
    int v[3];

    if (matches(s, "DDDD-DD-DD")) {
        read_numbers(s, v, 3);
        *y = v[0];
        *m = v[1];
        *d = v[2];
        return 1;
    }
    for (size_t i = 0; i < sizeof dotted / sizeof dotted[0]; i++) {
        if (matches(s, dotted[i])) {
            read_numbers(s, v, 3);
            *d = v[0];
            *m = v[1];
            *y = v[2];
            return 1;
        }
    }
    return 0;
}

int bti_date_parse(bti_date *out, const char *s, bti_date today, const char *what)
{
    int y, m, d;

    if (s && (strcmp(s, "today") == 0 || strcmp(s, "yesterday") == 0)) {
        *out = s[0] == 't' ? today : today - 1;
        return BTI_OK;
    }
    if (!s || !split_date(s, &y, &m, &d))
        return date_error(s, what, EXPECTED_FORMS);
    if (y < YEAR_MIN || y > YEAR_MAX)
        return date_error(s, what, _("year outside 1800..9999"));
    if (bti_date_from_ymd(out, y, m, d) != BTI_OK)
        return date_error(s, what, _("no such day"));
    return BTI_OK;
}

/* Write v as exactly `width` decimal digits at p (the low digits when longer). */
static void put_number(char *p, int v, int width)
{
    unsigned u = v < 0 ? 0u : (unsigned)v;
    for (int i = width - 1; i >= 0; i--, u /= 10)
        p[i] = (char)('0' + u % 10);
}

/* Write "YYYY-MM-DD" (no NUL) at buf. */
static void put_ymd(char *buf, int y, int m, int d)
{
    put_number(buf, y, 4);
    buf[4] = '-';
    put_number(buf + 5, m, 2);
    buf[7] = '-';
    put_number(buf + 8, d, 2);
}

char *bti_date_format(bti_date d, char *buf)
{
    int y, m, day;
    bti_date_to_ymd(d, &y, &m, &day);
    put_ymd(buf, y, m, day);
    buf[10] = '\0';
    return buf;
}

int bti_date_weekday(bti_date d)
{
    /* 1970-01-01 was a Thursday (ISO 4). */
    int r = ((d % 7) + 7) % 7;
    return (r + 3) % 7 + 1;
}

bti_date bti_date_add_days(bti_date d, int days)
{
    return d + days;
}

/* Add n months to d, clamping the day to the end of the target month. */
bti_date bti_date_add_months(bti_date d, int n)
{
    int y, m, day;
    bti_date_to_ymd(d, &y, &m, &day);
    long idx = (long)y * 12 + (m - 1) + n;
    long ny = idx / 12;
    if (idx % 12 < 0)
        ny--;
    y = (int)ny;
    m = (int)(idx - ny * 12) + 1;
    if (day > days_in_month(y, m))
        day = days_in_month(y, m);
    return days_from_civil(y, m, day);
}

/* Whole years from `from` to `to`; 0 when `to` is before the first anniversary. */
int bti_date_years_between(bti_date from, bti_date to)
{
    int fy, fm, fd, ty, tm, td;
    bti_date_to_ymd(from, &fy, &fm, &fd);
    bti_date_to_ymd(to, &ty, &tm, &td);
    int years = ty - fy;
    if (tm < fm || (tm == fm && td < fd))
        years--;
    return years < 0 ? 0 : years;
}

/* Easter Sunday by the anonymous Gregorian algorithm (Meeus/Jones/Butcher). */
bti_date bti_date_easter(int year)
{
    int a = year % 19, b = year / 100, c = year % 100;
    int d = b / 4, e = b % 4;
    int f = (b + 8) / 25;
    int g = (b - f + 1) / 3;
    int h = (19 * a + b - d - g + 15) % 30;
    int i = c / 4, k = c % 4;
    int l = (32 + 2 * e + 2 * i - h - k) % 7;
    int m = (a + 11 * h + 22 * l) / 451;
    int month = (h + l - 7 * m + 114) / 31;
    int day = (h + l - 7 * m + 114) % 31 + 1;
    return days_from_civil(year, month, day);
}

/* Non-zero for the fixed holidays and those that move with Easter. */
int bti_date_is_holiday(bti_date d)
{
    static const int from_easter[] = {-3, -2, 0, 1, 39, 49, 50};
    int y, m, day;

    bti_date_to_ymd(d, &y, &m, &day);
    if ((m == 1 && day == 1) || (m == 5 && (day == 1 || day == 17)) ||
        (m == 12 && (day == 25 || day == 26)))
        return 1;
    int offset = d - bti_date_easter(y);
    for (size_t i = 0; i < sizeof from_easter / sizeof from_easter[0]; i++) {
        if (offset == from_easter[i])
            return 1;
    }
    return 0;
}

int bti_date_is_day_off(bti_date d)
{
    return bti_date_weekday(d) >= 6 || bti_date_is_holiday(d);
}

bti_date bti_date_next_working_day(bti_date d)
{
    while (bti_date_is_day_off(d))
        d++;
    return d;
}

bti_date bti_date_deadline_weeks(bti_date from, int weeks)
{
    return bti_date_next_working_day(from + 7 * weeks);
}

/* Switch the process to Oslo time once: the tz database entry when present,
 * else the equivalent POSIX rule. */
static void use_oslo_time(void)
{
    static int done;
    char path[512];

    if (done)
        return;
    const char *dir = getenv("TZDIR");
    snprintf(path, sizeof path, "%s/Europe/Oslo", dir && *dir ? dir : "/usr/share/zoneinfo");
    setenv("TZ", access(path, R_OK) == 0 ? "Europe/Oslo" : OSLO_POSIX_TZ, 1);
    tzset();
    done = 1;
}

/* Break t down in Oslo time; falls back to UTC if that fails. */
static void oslo_tm(time_t t, struct tm *tm)
{
    use_oslo_time();
    if (!localtime_r(&t, tm) && !gmtime_r(&t, tm))
        memset(tm, 0, sizeof *tm);
}

bti_date bti_date_oslo(time_t t)
{
    struct tm tm;
    oslo_tm(t, &tm);
    return days_from_civil(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

int bti_date_today(bti_date *out, const char *option, const char *env)
{
    bti_date real = bti_date_oslo(time(NULL));

    if (option)
        return bti_date_parse(out, option, real, "--today");
    if (env && *env)
        return bti_date_parse(out, env, real, "BTI_TODAY");
    *out = real;
    return BTI_OK;
}

/* Write "YYYY-MM-DD HH:MM" or, with seconds, "YYYY-MM-DDTHH:MM:SSZ" from tm. */
static void put_tm(char *buf, const struct tm *tm, int utc)
{
    put_ymd(buf, tm->tm_year + 1900, tm->tm_mon + 1, tm->tm_mday);
    buf[10] = utc ? 'T' : ' ';
    put_number(buf + 11, tm->tm_hour, 2);
    buf[13] = ':';
    put_number(buf + 14, tm->tm_min, 2);
    if (!utc) {
        buf[16] = '\0';
        return;
    }
    buf[16] = ':';
    put_number(buf + 17, tm->tm_sec, 2);
    buf[19] = 'Z';
    buf[20] = '\0';
}

char *bti_time_format_local(time_t t, char *buf)
{
    struct tm tm;
    oslo_tm(t, &tm);
    put_tm(buf, &tm, 0);
    return buf;
}

char *bti_time_format_utc(time_t t, char *buf)
{
    struct tm tm;
    if (!gmtime_r(&t, &tm))
        memset(&tm, 0, sizeof tm);
    put_tm(buf, &tm, 1);
    return buf;
}

/* Parse exactly "YYYY-MM-DDTHH:MM:SSZ" into seconds since the epoch. */
int bti_time_parse_utc(const char *s, time_t *out)
{
    int v[6];
    bti_date day;

    if (!s || !matches(s, "DDDD-DD-DDTDD:DD:DDZ"))
        return bti_error_set(BTI_EINVAL, _("invalid timestamp (expected YYYY-MM-DDTHH:MM:SSZ)"));
    read_numbers(s, v, 6);
    if (bti_date_from_ymd(&day, v[0], v[1], v[2]) != BTI_OK || v[3] > 23 || v[4] > 59 || v[5] > 59)
        return bti_error_set(BTI_EINVAL, _("invalid timestamp (no such date or time)"));
    struct tm tm = {.tm_year = v[0] - 1900,
                    .tm_mon = v[1] - 1,
                    .tm_mday = v[2],
                    .tm_hour = v[3],
                    .tm_min = v[4],
                    .tm_sec = v[5]};
    *out = timegm(&tm);
    return BTI_OK;
}
