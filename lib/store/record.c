/*
 * Writing a row of an audited table: each write here appends its audit row
 * (SPEC section 6) in the same transaction, so the domain modules write
 * such rows through these and never by a raw statement (tests/floors.py
 * counts the raw writes that remain from before and refuses a new one).
 */
#include <stdarg.h>
#include <stdio.h>
#include "store/store.h"
#include "base/intl.h"

int db_insert(struct bti_db *db, const char *table, long long *id, const char *sql,
              const char *fmt, ...)
{
    sqlite3_stmt *st = db_stmt(db, sql);
    int rc = st ? 0 : bti_error_code();
    va_list ap;
    va_start(ap, fmt);
    if (rc == 0)
        rc = db_bind_va(db, st, fmt, &ap);
    va_end(ap);
    if (rc == 0)
        rc = db_exec_stmt(db, st);
    long long row = rc ? 0 : db_last_id(db);
    if (rc == 0)
        rc = audit_change(db, table, row, NULL, NULL);
    if (rc == 0 && id)
        *id = row;
    return rc;
}

/* Run sql (bound by the values of ap) on row id of table, which must
 * exist, and audit its image before and after (none after a delete). */
static int change_row(struct bti_db *db, const char *table, long long id, const char *reason,
                      const char *sql, const char *fmt, va_list *ap)
{
    struct jtext old;
    jtext_init(&old);
    int rc = db_row_image(db, table, id, &old);
    if (rc == BTI_ENOTFOUND)
        rc = bti_error_set(BTI_ENOTFOUND, _("no %s %lld"), table, id);
    sqlite3_stmt *st = rc ? NULL : db_stmt(db, sql);
    if (rc == 0 && !st)
        rc = bti_error_code();
    if (rc == 0)
        rc = db_bind_va(db, st, fmt, ap);
    if (rc == 0)
        rc = db_exec_stmt(db, st);
    if (rc == 0)
        rc = audit_change(db, table, id, old.s, reason);
    jtext_free(&old);
    return rc;
}

int db_update(struct bti_db *db, const char *table, long long id, const char *reason,
              const char *sql, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = change_row(db, table, id, reason, sql, fmt, &ap);
    va_end(ap);
    return rc;
}

int db_delete(struct bti_db *db, const char *table, long long id, const char *reason,
              const char *sql, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = change_row(db, table, id, reason, sql, fmt, &ap);
    va_end(ap);
    return rc;
}
