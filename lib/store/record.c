/*
 * Writing a row of an audited table: each write here appends its audit row
 * (SPEC section 6) in the same transaction, so a domain module never writes
 * such a row by a raw statement (tests/floors/check_floors.py refuses one).
 */
#include <stdarg.h>
#include <stdio.h>
#include "store/store.h"

int db_update(struct bti_db *db, const char *table, long long id, const char *reason,
              const char *sql, const char *fmt, ...)
{
    struct jtext old;
    jtext_init(&old);
    int rc = db_row_image(db, table, id, &old);
    if (rc == BTI_ENOTFOUND)
        rc = bti_error_set(BTI_ENOTFOUND, "no %s %lld", table, id);
    sqlite3_stmt *st = rc ? NULL : db_stmt(db, sql);
    if (rc == 0 && !st)
        rc = bti_error_code();
    va_list ap;
    va_start(ap, fmt);
    if (rc == 0)
        rc = db_bind_va(db, st, fmt, &ap);
    va_end(ap);
    if (rc == 0)
        rc = db_exec_stmt(db, st);
    if (rc == 0)
        rc = audit_change(db, table, id, old.s, reason);
    jtext_free(&old);
    return rc;
}
