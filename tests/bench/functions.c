/*
 * make bench: bti's own SQL functions as an extension of the sqlite3 shell,
 * so the shell can run the statements bti traced (BTI_TRACE).  Each calls
 * the library's function, as lib/db.c's do.  bti_case_allowed is always 1:
 * the bench runs as an admin, whom no coordinator binds to some cases.
 */
#include <sqlite3ext.h>
SQLITE_EXTENSION_INIT1
#include "bti/date.h"
#include "bti/text.h"

/* bti_add_months(date, n): as in lib/db.c. */
static void add_months(sqlite3_context *c, int argc, sqlite3_value **v)
{
    (void)argc;
    const char *s = (const char *)sqlite3_value_text(v[0]);
    bti_date d;
    char buf[BTI_DATE_BUF];
    if (!s || bti_date_parse(&d, s, 0, "date") != 0) {
        sqlite3_result_null(c);
        return;
    }
    d = bti_date_add_months(d, sqlite3_value_int(v[1]));
    sqlite3_result_text(c, bti_date_format(d, buf), -1, SQLITE_TRANSIENT);
}

/* bti_contains(hay, needle): as in lib/db.c. */
static void contains(sqlite3_context *c, int argc, sqlite3_value **v)
{
    (void)argc;
    const char *hay = (const char *)sqlite3_value_text(v[0]);
    const char *needle = (const char *)sqlite3_value_text(v[1]);
    sqlite3_result_int(c, hay && needle && bti_text_contains_fold(hay, needle));
}

/* bti_case_allowed(case): every case, for the bench's admin. */
static void case_allowed(sqlite3_context *c, int argc, sqlite3_value **v)
{
    (void)argc;
    (void)v;
    sqlite3_result_int(c, 1);
}

int sqlite3_functions_init(sqlite3 *h, char **err, const sqlite3_api_routines *api)
{
    (void)err;
    SQLITE_EXTENSION_INIT2(api);
    int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC;
    int rc = sqlite3_create_function(h, "bti_add_months", 2, flags, NULL, add_months, NULL, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_create_function(h, "bti_contains", 2, flags, NULL, contains, NULL, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_create_function(h, "bti_case_allowed", 1, SQLITE_UTF8, NULL, case_allowed,
                                     NULL, NULL);
    return rc;
}
