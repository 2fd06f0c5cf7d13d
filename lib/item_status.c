/* Where each requested item of a case stands (the item_status view, SPEC
 * section 2), for the modules that act on a granted item. */
#include <stdio.h>
#include "store/store.h"
#include "item_status.h"
#include "base/intl.h"

int item_granted_on(struct bti_db *db, long long case_id, const char *item, bti_date *on)
{
    static const char sql[] = "SELECT min(on_date) FROM item_status WHERE case_id = ?"
                              " AND item = ? AND status = 'granted'";
    sqlite3_stmt *st = db_stmt(db, sql);
    if (!st || db_bind(db, st, "it", case_id, item))
        return bti_error_code();
    int rc = sqlite3_step(st);
    *on = rc == SQLITE_ROW ? date_col(st, 0) : BTI_NO_DATE;
    sqlite3_reset(st);
    if (rc != SQLITE_ROW)
        return db_fail(db, rc, _("cannot read the decisions"));
    return *on == BTI_NO_DATE ? BTI_ENOTFOUND : 0;
}

int item_status(struct bti_db *db, long long case_id, const char *item, char *buf, size_t size)
{
    static const char sql[] = "SELECT status FROM item_status WHERE case_id = ? AND item = ?";
    sqlite3_stmt *st = db_stmt(db, sql);
    if (!st || db_bind(db, st, "it", case_id, item))
        return bti_error_code();
    int rc = sqlite3_step(st);
    snprintf(buf, size, "%s", rc == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0) : "");
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : db_fail(db, rc, _("cannot read the items"));
}
