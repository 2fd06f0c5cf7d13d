/* Gatherings, invitations and attendance. */
#include <stdlib.h>
#include "bti/gathering.h"
#include "bti/text.h"
#include "store/store.h"
#include "base/list.h"
#include "checks.h"
#include "base/intl.h"

int bti_gathering_add(struct bti_db *db, const char *kind, bti_date held, const char *title,
                      long long *id)
{
    static const char *const kinds[] = {"samling", "fagdag", "training", "guidance", NULL};
    int rc = check_word(kind, kinds, "--kind");
    if (rc == 0 && title)
        rc = bti_text_check(title, BTI_TEXT_LABEL, "--title");
    if (rc == 0)
        rc = db_insert(db, "gathering", id,
                       "INSERT INTO gathering(kind, held, title) VALUES (?, ?, ?)", "tdt", kind,
                       held == BTI_NO_DATE ? db->ctx.today : held, title);
    return rc;
}

static const struct bti_col gathering_cols[] = {
    {"id", BTI_T_INT},     {"kind", BTI_T_TEXT},   {"held", BTI_T_DATE},
    {"title", BTI_T_TEXT}, {"invited", BTI_T_INT}, {"attended", BTI_T_INT},
};
const struct bti_cols bti_gathering_cols = BTI_COLS(gathering_cols);

int bti_gathering_list(struct bti_db *db, bti_row_fn fn, void *arg)
{
    static const char sql[] = "SELECT g.id, g.kind, g.held, g.title,"
                              " (SELECT count(*) FROM invitation i WHERE i.gathering_id = g.id),"
                              " (SELECT count(*) FROM attendance a WHERE a.gathering_id = g.id)"
                              " FROM gathering g ORDER BY g.id";
    sqlite3_stmt *st = db_stmt(db, sql);
    return st ? db_rows(db, st, gathering_cols, bti_gathering_cols.n, fn, arg, NULL)
              : bti_error_code();
}

/* BTI_ENOTFOUND unless gathering id exists. */
static int gathering_exists(struct bti_db *db, long long id)
{
    long long one;
    int rc = db_int(db, &one, "SELECT 1 FROM gathering WHERE id = ?", "i", id);
    return rc == BTI_ENOTFOUND ? bti_error_set(BTI_ENOTFOUND, _("no gathering %lld"), id) : rc;
}

/* Invite the active coordinators not yet invited, in the order of their
 * ids, each invitation audited. */
static int invite_new(struct bti_db *db, long long id, int *added)
{
    static const char uninvited[] = "SELECT k.id FROM coordinator k WHERE k.active"
                                    " AND NOT EXISTS (SELECT 1 FROM invitation i"
                                    " WHERE i.gathering_id = ?1 AND i.coordinator_id = k.id)"
                                    " ORDER BY k.id";
    long long *ids = NULL;
    size_t n = 0;
    sqlite3_stmt *st = db_stmt(db, uninvited);
    int rc = st ? db_bind(db, st, "i", id) : bti_error_code();
    if (rc == 0)
        rc = db_ints(db, st, &ids, &n);
    for (*added = 0; rc == 0 && (size_t)*added < n; (*added)++)
        rc = db_insert(db, "invitation", NULL,
                       "INSERT INTO invitation(gathering_id, coordinator_id) VALUES (?, ?)", "ii",
                       id, ids[*added]);
    free(ids);
    return rc;
}

static const struct bti_col invitation_cols[] = {
    {"coordinator_id", BTI_T_INT},
    {"coordinator", BTI_T_TEXT},
    {"unit_id", BTI_T_INT},
    {"unit", BTI_T_TEXT},
    {"email", BTI_T_TEXT},
};
const struct bti_cols bti_invitation_cols = BTI_COLS(invitation_cols);

int bti_gathering_invite(struct bti_db *db, long long id, int *added, bti_row_fn fn, void *arg)
{
    static const char sql[] = "SELECT k.id, k.name, k.unit_id, u.name, k.email FROM invitation i"
                              " JOIN coordinator k ON k.id = i.coordinator_id"
                              " JOIN unit u ON u.id = k.unit_id WHERE i.gathering_id = ?"
                              " ORDER BY k.id";
    int rc = gathering_exists(db, id);
    if (rc == 0)
        rc = invite_new(db, id, added);
    sqlite3_stmt *st = rc ? NULL : db_stmt(db, sql);
    if (rc == 0 && (!st || db_bind(db, st, "i", id)))
        rc = bti_error_code();
    return rc ? rc : db_rows(db, st, invitation_cols, bti_invitation_cols.n, fn, arg, NULL);
}

/* Record one coordinator's attendance (once). */
static int attend(struct bti_db *db, long long id, long long coordinator_id)
{
    long long one;
    int rc = db_int(db, &one, "SELECT 1 FROM coordinator WHERE id = ?", "i", coordinator_id);
    if (rc == BTI_ENOTFOUND)
        return bti_error_set(BTI_ENOTFOUND, _("no coordinator %lld"), coordinator_id);
    if (rc == 0)
        rc = db_insert(db, "attendance", NULL,
                       "INSERT OR IGNORE INTO attendance(gathering_id, coordinator_id)"
                       " VALUES (?, ?)",
                       "ii", id, coordinator_id);
    return rc;
}

int bti_gathering_attend(struct bti_db *db, long long id, const long long *coordinators, int n)
{
    bti_date held;
    int rc = row_date(db, "gathering", id, "held", &held);
    if (rc == 0)
        rc = check_event_date(db, held, BTI_NO_DATE, _("the gathering's date"));
    for (int i = 0; rc == 0 && i < n; i++)
        rc = attend(db, id, coordinators[i]);
    return rc;
}
