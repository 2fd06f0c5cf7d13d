/*
 * Writing a row of an audited table: each write here appends its audit row
 * (SPEC section 6) in the same transaction, so the domain modules write
 * such rows through these and never by a raw statement (tests/floors.py
 * refuses one).
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
        rc = db_bind_va_borrowed(db, st, fmt, &ap);
    va_end(ap);
    if (rc == 0)
        rc = db_exec_stmt(db, st);
    /* an INSERT OR IGNORE or an INSERT ... SELECT may insert nothing */
    long long row = rc || sqlite3_changes(db->h) == 0 ? 0 : db_last_id(db);
    if (rc == 0 && row)
        rc = audit_change(db, table, row, NULL, NULL);
    if (rc == 0 && id)
        *id = row;
    return rc;
}

/* Run the bound statement st on row id of table, which must exist, and
 * audit its image before and after (none after a delete). */
static int change_row(struct bti_db *db, const char *table, long long id, const char *reason,
                      sqlite3_stmt *st)
{
    struct jtext old;
    jtext_init(&old);
    int rc = audit_net_noted(db, table, id) ? 0 : db_row_image_known(db, table, id, &old);
    if (rc == BTI_ENOTFOUND)
        rc = bti_error_set(BTI_ENOTFOUND, _("no %s %lld"), table, id);
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
    sqlite3_stmt *st = db_stmt(db, sql);
    va_list ap;
    va_start(ap, fmt);
    int rc = st ? db_bind_va_borrowed(db, st, fmt, &ap) : bti_error_code();
    va_end(ap);
    return rc ? rc : change_row(db, table, id, reason, st);
}

int db_delete(struct bti_db *db, const char *table, long long id, const char *reason,
              const char *sql)
{
    sqlite3_stmt *st = db_stmt(db, sql);
    int rc = st ? db_bind(db, st, "i", id) : bti_error_code();
    return rc ? rc : change_row(db, table, id, reason, st);
}

int db_erase(struct bti_db *db, const char *table, long long id, const char *sql)
{
    sqlite3_stmt *st = db_stmt(db, sql);
    int rc = st ? db_bind(db, st, "i", id) : bti_error_code();
    if (rc == 0)
        rc = db_exec_stmt(db, st);
    return rc ? rc : audit_change(db, table, id, NULL, NULL);
}
