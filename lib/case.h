/* What case show (lib/case_show.c) takes from lib/case.c: private to lib/. */
#ifndef BTI_CASE_PRIV_H
#define BTI_CASE_PRIV_H

#include "store/store.h"

/* The columns of a case; ?1 says whether the person's name may be shown. */
#define CASE_SELECT                                                                                \
    "SELECT c.id, c.person_id, CASE WHEN ?1 THEN p.name END, c.status, r.source, r.received,"      \
    " (SELECT group_concat(item, ',') FROM (SELECT item FROM request q"                            \
    "   WHERE q.case_id = c.id ORDER BY q.id)),"                                                   \
    " c.unit_id, u.name, c.closed, c.close_cause, c.previous_case_id"                              \
    " FROM ke_case c JOIN person p ON p.id = c.person_id LEFT JOIN unit u ON u.id = c.unit_id"     \
    " JOIN referral r ON r.id = (SELECT min(id) FROM referral WHERE case_id = c.id)"

/* The referrals of a case as an array (for case show). */
cJSON *referral_array(struct bti_db *db, long long case_id);

#endif
