/* A case's state as the lifecycle table (lib/base/lifecycle.c) moves it:
 * read, asked, and set, audited; and the date the case was received. */
#include "bti/case.h"
#include "store/store.h"
#include "case_state.h"
#include "base/intl.h"

int bti_case_state(struct bti_db *db, long long id, enum bti_state *state)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT status FROM ke_case WHERE id = ?");
    if (!st || db_bind(db, st, "i", id))
        return bti_error_code();
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW && state)
        *state = bti_state_parse((const char *)sqlite3_column_text(st, 0));
    sqlite3_reset(st);
    if (rc == SQLITE_DONE)
        return bti_error_set(BTI_ENOTFOUND, _("no case %lld"), id);
    return rc == SQLITE_ROW ? 0 : db_fail(db, rc, _("cannot read the case"));
}

int case_allows(struct bti_db *db, long long case_id, enum bti_event e)
{
    static const struct bti_event_args none = {0};
    enum bti_state state, after;
    int rc = bti_case_state(db, case_id, &state);
    return rc ? rc : bti_lifecycle_next(state, e, &none, &after);
}

int case_received(struct bti_db *db, long long case_id, bti_date *out)
{
    static const char sql[] = "SELECT min(received) FROM referral WHERE case_id = ?";
    sqlite3_stmt *st = db_stmt(db, sql);
    if (!st || db_bind(db, st, "i", case_id))
        return bti_error_code();
    int rc = sqlite3_step(st);
    *out = rc == SQLITE_ROW ? date_col(st, 0) : BTI_NO_DATE;
    sqlite3_reset(st);
    if (rc != SQLITE_ROW)
        return db_fail(db, rc, _("cannot read the case"));
    return *out == BTI_NO_DATE ? bti_error_set(BTI_ENOTFOUND, _("no case %lld"), case_id) : 0;
}

int case_set_state(struct bti_db *db, long long case_id, enum bti_state before,
                   enum bti_state after)
{
    if (before == after)
        return 0;
    return db_update(db, "ke_case", case_id, NULL, "UPDATE ke_case SET status = ? WHERE id = ?",
                     "ti", bti_state_name(after), case_id);
}

int case_set_state_unit(struct bti_db *db, long long case_id, enum bti_state before,
                        enum bti_state after, long long unit_id)
{
    long long now;
    int rc =
        db_int(db, &now, "SELECT coalesce(unit_id, 0) FROM ke_case WHERE id = ?", "i", case_id);
    if (rc || (now == unit_id && before == after))
        return rc;
    return db_update(db, "ke_case", case_id, NULL,
                     "UPDATE ke_case SET status = ?, unit_id = ? WHERE id = ?", "tii",
                     bti_state_name(after), unit_id, case_id);
}
