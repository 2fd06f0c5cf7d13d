/*
 * The derived caches (issue 19; lib/store/caches.h).  request_standing
 * holds, per request, what item_status would compute of it: its referral's
 * day, whether its case is open, and its item's standing decision (outcome
 * and day, none while undecided), so that due reads the open requests by
 * those days from partial indexes, in its output order, instead of
 * sorting them.  Migration 18's triggers keep it on every write.
 */
#include "store/caches.h"
#include "base/intl.h"

int caches_rebuild(struct bti_db *db)
{
    static const char sql[] = "DELETE FROM request_standing;"
                              "INSERT INTO request_standing " CACHES_REQUEST_STANDING ";";
    int rc = sqlite3_exec(db->h, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? 0 : db_fail(db, rc, _("cannot rebuild the derived caches"));
}
