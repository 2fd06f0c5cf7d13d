/* The case's state and the steps that move it (lib/case_state.c): private to lib/. */
#ifndef BTI_CASE_STATE_PRIV_H
#define BTI_CASE_STATE_PRIV_H

#include "store/store.h"

/* The date a case was received (its first referral's). */
int case_received(struct bti_db *db, long long case_id, bti_date *out);

/* Whether the case's state allows event e, which leaves it as it is: the
 * table's answer (BTI_ERULE naming the state and what is allowed), or
 * BTI_ENOTFOUND when there is no such case. */
int case_allows(struct bti_db *db, long long case_id, enum bti_event e);

/* Move a case from `before` to `after` (nothing when they are equal),
 * audited. */
int case_set_state(struct bti_db *db, long long case_id, enum bti_state before,
                   enum bti_state after);

/* Move a case from `before` to `after` and make unit_id its responsible
 * unit (a grant names it): one audited change, none when neither moves. */
int case_set_state_unit(struct bti_db *db, long long case_id, enum bti_state before,
                        enum bti_state after, long long unit_id);

#endif
