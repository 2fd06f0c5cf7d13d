/* Checks that many modules share and that read the database: event dates,
 * date columns, candidates. */
#include <stdio.h>
#include <string.h>
#include "checks.h"
#include "store/store.h"
#include "base/intl.h"

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
