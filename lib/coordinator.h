/* What other modules read and change of assignments (lib/coordinator.c): private to lib/. */
#ifndef BTI_COORDINATOR_PRIV_H
#define BTI_COORDINATOR_PRIV_H

#include "store/store.h"

/* The assignments of a case as an array (for case show). */
cJSON *assignment_array(struct bti_db *db, long long case_id);

/* End the case's running assignments on `date` with reason for the close
 * `closure` (case close), or with restore set undo exactly what that close
 * ended (case reopen). */
int assignments_close(struct bti_db *db, long long case_id, long long closure, bti_date date,
                      const char *reason, int restore);

#endif
