/* What other modules read of decisions (lib/decision.c): private to lib/. */
#ifndef BTI_DECISION_PRIV_H
#define BTI_DECISION_PRIV_H

#include "store/store.h"

/* The decisions of a case as an array, each with its items, appeal
 * deadline and appeal (an object, or null). */
cJSON *decision_array(struct bti_db *db, long long case_id);

#endif
