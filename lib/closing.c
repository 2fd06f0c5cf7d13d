/* The close cascade: what closing a case ends (its assignments, its plan)
 * and records, in one place for `case close` and an upheld appeal against
 * a grant (lib/decision.c). */
#include "store/store.h"
#include "closing.h"
#include "coordinator.h"
#include "plan.h"

/* The end reason of what a case close ended (a reopen finds it by the
 * closure's id; by this reason and the date only for a close made before
 * migration 9 recorded that id). */
#define CLOSED_BY_CASE "case closed"

int case_close_row(struct bti_db *db, long long case_id, const char *cause, bti_date date,
                   enum bti_state before)
{
    long long closure = 0;
    int rc = db_insert(db, "closure", &closure,
                       "INSERT INTO closure(case_id, closed, cause, status_before)"
                       " VALUES (?, ?, ?, ?)",
                       "idtt", case_id, date, cause, bti_state_name(before));
    if (rc == 0)
        rc = assignments_close(db, case_id, closure, date, CLOSED_BY_CASE, 0);
    if (rc == 0)
        rc = plan_close(db, case_id, closure, date, CLOSED_BY_CASE, 0);
    if (rc)
        return rc;
    return db_update(db, "ke_case", case_id, NULL,
                     "UPDATE ke_case SET status = 'closed', closed = ?, close_cause = ?"
                     " WHERE id = ?",
                     "dti", date, cause, case_id);
}

int case_close_undo(struct bti_db *db, long long case_id, long long closure, bti_date closed)
{
    int rc = assignments_close(db, case_id, closure, closed, CLOSED_BY_CASE, 1);
    return rc ? rc : plan_close(db, case_id, closure, closed, CLOSED_BY_CASE, 1);
}
