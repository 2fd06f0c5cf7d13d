/* The derived caches (issue 19): tables the database keeps from audited
 * rows by triggers, for reads no index of the audited tables can order.
 * Not audited and not exported: each is a function of the audited rows,
 * so a restore rebuilds it and the doctor checks it.  Private to the
 * store. */
#ifndef BTI_STORE_CACHES_H
#define BTI_STORE_CACHES_H

#include "store/store.h"

/* The rows request_standing holds, computed from the audited tables (its
 * columns in order: request_id, case_id, item, received, open, outcome,
 * on_date); the doctor compares the cache with them. */
#define CACHES_REQUEST_STANDING                                                                    \
    "SELECT q.id AS request_id, q.case_id AS case_id, q.item AS item, r.received AS received,"     \
    " c.status <> 'closed' AS open,"                                                               \
    " (SELECT s.outcome FROM standing_item s WHERE s.case_id = q.case_id AND s.item = q.item)"     \
    "  AS outcome,"                                                                                \
    " (SELECT s.on_date FROM standing_item s WHERE s.case_id = q.case_id AND s.item = q.item)"     \
    "  AS on_date"                                                                                 \
    " FROM request q JOIN referral r ON r.id = q.referral_id JOIN ke_case c ON c.id = q.case_id"

/* item_status's status (SPEC section 2) of the request whose
 * request_standing row is s, in SQL: the same word the view gives, without
 * expanding the view and its standing_item twice (case show prepares it in
 * a quarter of the time).  The view is the rule's definition: the unit
 * test status_of_agrees_with_item_status holds the two equal. */
#define CACHES_STATUS_OF(s)                                                                        \
    "CASE WHEN " s ".outcome IS NULL THEN 'undecided' WHEN " s ".outcome = 'denied' THEN 'denied'"  \
    " WHEN EXISTS (SELECT 1 FROM assignment a WHERE a.case_id = " s ".case_id"                     \
    "  AND a.kind = " s ".item AND a.need_ended)"                                                  \
    " OR EXISTS (SELECT 1 FROM plan p WHERE p.case_id = " s ".case_id AND " s ".item = 'ip'"       \
    "  AND p.need_ended) THEN 'ended' ELSE 'granted' END"

/* Fill every derived cache again from the audited rows (a migration's
 * step, and a bulk load's end, whose triggers were put off).  The caller
 * holds the write transaction. */
int caches_rebuild(struct bti_db *db);

#endif
