/*
 * Calendar dates, the Norwegian public holidays and deadlines (SPEC section 4).
 *
 * A date is a day number: days since 1970-01-01 in the proleptic Gregorian
 * calendar.  Dates are read as YYYY-MM-DD, DD.MM.YYYY, "today" or
 * "yesterday" and always printed as ISO.
 */
#ifndef BTI_DATE_H
#define BTI_DATE_H

#include <stdint.h>
#include <time.h>

typedef int32_t bti_date;

/* An optional date that is absent. */
#define BTI_NO_DATE INT32_MIN

/* Room for "YYYY-MM-DD" and its NUL. */
#define BTI_DATE_BUF 11

/* Build a date from year, month (1-12), day; BTI_EINVAL when no such day
 * (2027-02-29) or the year lies outside 1800..9999. */
int bti_date_from_ymd(bti_date *out, int year, int month, int day);

void bti_date_to_ymd(bti_date d, int *year, int *month, int *day);

/* Parse s as YYYY-MM-DD, DD.MM.YYYY, "today" or "yesterday" (relative to
 * today).  On failure BTI_EINVAL with a message naming `what` (say "--date"),
 * quoting s only when it is short and plainly date-like. */
int bti_date_parse(bti_date *out, const char *s, bti_date today, const char *what);

/* Write d as YYYY-MM-DD into buf (BTI_DATE_BUF bytes); returns buf. */
char *bti_date_format(bti_date d, char *buf);

/* ISO weekday: 1 Monday ... 7 Sunday. */
int bti_date_weekday(bti_date d);

bti_date bti_date_add_days(bti_date d, int days);

/* Add n months (n may be negative), clamping to the last day of the month:
 * six months after 31 August is the last day of February. */
bti_date bti_date_add_months(bti_date d, int n);

/* Whole years from `from` to `to` (an age): 0 when to < from's first
 * anniversary.  A 29 February birthday is reached on 1 March in common years. */
int bti_date_years_between(bti_date from, bti_date to);

/* Easter Sunday of year (Gregorian computus, never a table). */
bti_date bti_date_easter(int year);

/* Non-zero when d is a Norwegian public holiday: 1 Jan, Maundy Thursday, Good
 * Friday, Easter Sunday and Monday, 1 May, 17 May, Ascension Day, Whit Sunday
 * and Monday, 25 and 26 Dec. */
int bti_date_is_holiday(bti_date d);

/* Non-zero when d is a Saturday, Sunday or public holiday. */
int bti_date_is_day_off(bti_date d);

/* d itself when it is a working day, else the next working day
 * (the table of law's "holidays" rule, lib/basis.c). */
bti_date bti_date_next_working_day(bti_date d);

/* A period of `weeks` weeks from `from`: the same weekday `weeks` weeks on,
 * moved to the next working day when that is a day off. */
bti_date bti_date_deadline_weeks(bti_date from, int weeks);

/* The calendar date in Europe/Oslo at the instant t. */
bti_date bti_date_oslo(time_t t);

/* Resolve "today" for this run: the --today option wins over the BTI_TODAY
 * value, and each is parsed as a date (relative to the real Oslo date);
 * without either, the real Oslo date.  Either string may be NULL. */
int bti_date_today(bti_date *out, const char *option, const char *env);

/* Room for "YYYY-MM-DD HH:MM" and its NUL. */
#define BTI_TIME_LOCAL_BUF 17

/* Room for "YYYY-MM-DDTHH:MM:SSZ" and its NUL. */
#define BTI_TIME_UTC_BUF 21

/* Write the instant t as "YYYY-MM-DD HH:MM" in Europe/Oslo local time into
 * buf (BTI_TIME_LOCAL_BUF bytes); returns buf. */
char *bti_time_format_local(time_t t, char *buf);

/* Write the instant t as "YYYY-MM-DDTHH:MM:SSZ" (UTC) into buf
 * (BTI_TIME_UTC_BUF bytes); returns buf. */
char *bti_time_format_utc(time_t t, char *buf);

/* Parse exactly "YYYY-MM-DDTHH:MM:SSZ" (UTC) into *out; BTI_EINVAL for any
 * other form or an impossible date or time. */
int bti_time_parse_utc(const char *s, time_t *out);

#endif
