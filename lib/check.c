/* Checks that many modules share: enum words, event dates, candidates, id
 * lists. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"
#include "base/intl.h"

size_t list_elem(const char *p, const char **next)
{
    size_t n = strcspn(p, ",");
    *next = p[n] == ',' ? p + n + 1 : NULL;
    return n;
}

int list_trim(const char *s, char *out, size_t size, const char *what)
{
    size_t len = 0;
    out[0] = '\0';
    for (const char *p = s, *next; p; p = next) {
        size_t n = list_elem(p, &next);
        while (n && *p == ' ')
            p++, n--;
        while (n && p[n - 1] == ' ')
            n--;
        if (n == 0)
            return bti_error_set(BTI_EINVAL, _("%s holds an empty element"), what);
        if (len + n + 2 > size)
            return bti_error_set(BTI_EINVAL, _("%s is too long"), what);
        len += (size_t)snprintf(out + len, size - len, "%s%.*s", len ? "," : "", (int)n, p);
    }
    return 0;
}

/* The first and last id of one element of an id list ("7" or "9-12"), of
 * n bytes at p; 0 for anything else (the "+N more" of older rows). */
static int id_run(const char *p, size_t n, long long *first, long long *last)
{
    char buf[48], *end;
    if (n == 0 || n >= sizeof buf || !isdigit((unsigned char)p[0]))
        return 0;
    memcpy(buf, p, n);
    buf[n] = '\0';
    *first = *last = strtoll(buf, &end, 10);
    if (*end == '-' && isdigit((unsigned char)end[1]))
        *last = strtoll(end + 1, &end, 10);
    return *end == '\0';
}

int ids_hold(const char *list, long long id)
{
    for (const char *p = list, *next; p; p = next) {
        long long first, last;
        size_t n = list_elem(p, &next);
        if (id_run(p, n, &first, &last) && first <= id && id <= last)
            return 1;
    }
    return 0;
}

int check_word(const char *s, const char *const *words, const char *what)
{
    char list[512] = "";
    for (const char *const *w = words; *w; w++) {
        if (s && strcmp(s, *w) == 0)
            return 0;
        size_t len = strlen(list);
        snprintf(list + len, sizeof list - len, "%s%s", w == words ? "" : ", ", *w);
    }
    return bti_error_set(BTI_EINVAL, _("invalid value for %s: expected %s"), what, list);
}

int check_event_date(struct bti_db *db, bti_date d, bti_date not_before, const char *what)
{
    char a[BTI_DATE_BUF], b[BTI_DATE_BUF];
    if (d > db->ctx.today)
        return bti_error_set(BTI_EINVAL, _("%s %s lies after today (%s)"), what,
                             bti_date_format(d, a), bti_date_format(db->ctx.today, b));
    if (not_before != BTI_NO_DATE && d < not_before)
        return bti_error_set(BTI_EINVAL, _("%s %s lies before the step it follows (%s)"), what,
                             bti_date_format(d, a), bti_date_format(not_before, b));
    return 0;
}

int row_date(struct bti_db *db, const char *table, long long id, const char *column, bti_date *out)
{
    char s[BTI_DATE_BUF + 8];
    int rc = db_row_text(db, table, id, column, s, sizeof s);
    *out = BTI_NO_DATE;
    return rc == 0 && s[0] ? bti_date_parse(out, s, 0, column) : rc;
}

int pick_one(struct bti_db *db, sqlite3_stmt *st, long long given, const char *what,
             const char *option, long long *out)
{
    char ids[200] = "";
    long long n = 0, found = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        long long id = sqlite3_column_int64(st, 0);
        size_t len = strlen(ids);
        if (len < sizeof ids - 24)
            snprintf(ids + len, sizeof ids - len, "%s%lld", n ? ", " : "", id);
        found = given ? (id == given ? id : found) : id;
        n++;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return db_fail(db, rc, _("cannot read the database"));
    if (given && !found)
        return bti_error_set(BTI_ERULE, _("%s %lld is none of the %s (%s)"), option, given, what,
                             n ? ids : _("none"));
    if (n == 0)
        return BTI_ENOTFOUND;
    if (!given && n > 1)
        return bti_error_set(BTI_EUSAGE, _("there are several %s (%s): name one with %s"), what,
                             ids, option);
    *out = found;
    return 0;
}
