/* What other modules read and change of plans (lib/plan.c): private to lib/. */
#ifndef BTI_PLAN_PRIV_H
#define BTI_PLAN_PRIV_H

#include "store/store.h"

/* The plan of a case with its items as an object, a JSON null when it has
 * none, or NULL on failure. */
cJSON *plan_object(struct bti_db *db, long long case_id);

/* Pause the case's plan when no plan consent is active today any more,
 * and resume a paused one when consent is there again. */
int plan_consent_changed(struct bti_db *db, long long case_id);

/* End the case's plan on `date` with reason for the close `closure` (case
 * close), or with restore set undo exactly what that close ended (case
 * reopen). */
int plan_close(struct bti_db *db, long long case_id, long long closure, bti_date date,
               const char *reason, int restore);

#endif
