/* `case show`: a case with every part of it (person, requests, referrals,
 * consents, reviews, escalations, decisions, replies, assignments, group,
 * plan, history) in one object, its read logged. */
#include <stdio.h>
#include "bti/case.h"
#include "store/store.h"
#include "store/caches.h"
#include "case.h"
#include "consent.h"
#include "coordinator.h"
#include "decision.h"
#include "group.h"
#include "person.h"
#include "plan.h"
#include "base/intl.h"

/* The case's requests as an array, each with its item's status (from the
 * derived cache request_standing, which holds item_status's rows). */
static cJSON *requests(struct bti_db *db, long long id)
{
    static const char sql[] = "SELECT q.id, q.item, q.referral_id, r.source, r.received,"
                              " " CACHES_STATUS_OF("s") " FROM request q"
                              " JOIN referral r ON r.id = q.referral_id"
                              " JOIN request_standing s ON s.request_id = q.id"
                              " WHERE q.case_id = ? ORDER BY q.id";
    static const struct bti_col cols[] = {
        {"id", BTI_T_INT},      {"item", BTI_T_TEXT},     {"referral_id", BTI_T_INT},
        {"source", BTI_T_TEXT}, {"received", BTI_T_DATE}, {"status", BTI_T_TEXT},
    };
    return db_array(db, db_stmt(db, sql), cols, 6, "i", id);
}

/* Every event of the case in date order: one UNION over the tables that
 * record events, each giving date, event (a snake_case word, listed in
 * bti-case(1)) and detail, then what orders the
 * events of one day: the rank of the row's table in a case's life, the
 * row's id, and the event's step within its row (decided, notified,
 * voided).  So a reassignment reads "ended" then "assigned", and a close,
 * reopen and close again on one day keep their order (rank, id and step
 * tell any two events apart).  The ORDER BY is outside the UNION: on the
 * compound itself SQLite merges its 22 branches each sorted on its own,
 * which takes 1.6 times as long to prepare and 2.7 times as long to run. */
static cJSON *history(struct bti_db *db, long long id)
{
    static const char sql[] =
        "SELECT * FROM (SELECT received, 'referral', source || ': ' ||"
        "  (SELECT group_concat(item, ',') FROM request WHERE referral_id = referral.id),"
        "  1, id, 0 FROM referral WHERE case_id = ?1"
        " UNION ALL SELECT sent, 'preliminary_reply', NULL, 2, id, 0 FROM preliminary_reply"
        "  WHERE case_id = ?1"
        " UNION ALL SELECT given, 'consent_given', scope || ' by ' || given_by || ' for '"
        "  || parties, 3, id, 0 FROM consent WHERE case_id = ?1"
        " UNION ALL SELECT withdrawn, 'consent_withdrawn', scope, 3, id, 1 FROM consent"
        "  WHERE case_id = ?1 AND withdrawn IS NOT NULL"
        " UNION ALL SELECT m.held, 'reviewed', CASE WHEN r.anonymous THEN 'anonymously, '"
        "  ELSE '' END || 'meeting ' || m.id, 4, r.id, 0 FROM review r JOIN ke_meeting m"
        "  ON m.id = r.meeting_id WHERE r.case_id = ?1"
        " UNION ALL SELECT escalated, 'escalated', 'escalation ' || id, 3.5, id, 0"
        "  FROM escalation WHERE case_id = ?1"
        " UNION ALL SELECT r.journal, 'journal_note', 'review ' || r.id, 4, r.id, 1"
        "  FROM review r WHERE r.case_id = ?1 AND r.journal IS NOT NULL"
        " UNION ALL SELECT decided, 'decided', outcome || ' ' || (SELECT group_concat(item, ',')"
        "  FROM decision_item WHERE decision_id = decision.id) || ' (decision ' || id || ')',"
        "  5, id, 0 FROM decision WHERE case_id = ?1"
        " UNION ALL SELECT notified, 'notified', 'decision ' || id || ', appeal by '"
        "  || appeal_deadline, 5, id, 1 FROM decision WHERE case_id = ?1 AND notified IS NOT NULL"
        " UNION ALL SELECT voided, 'voided', 'decision ' || id, 5, id, 2 FROM decision"
        "  WHERE case_id = ?1 AND voided IS NOT NULL"
        " UNION ALL SELECT a.received, 'appealed', 'decision ' || d.id, 6, a.id, 0 FROM appeal a"
        "  JOIN decision d ON d.id = a.decision_id WHERE d.case_id = ?1"
        " UNION ALL SELECT a.forwarded, 'appeal_forwarded', 'decision ' || d.id, 6, a.id, 1"
        "  FROM appeal a JOIN decision d ON d.id = a.decision_id WHERE d.case_id = ?1"
        "  AND a.forwarded IS NOT NULL"
        " UNION ALL SELECT a.result_date, 'appeal_' || a.result, 'by ' || a.result_by, 6, a.id, 2"
        "  FROM appeal a JOIN decision d ON d.id = a.decision_id WHERE d.case_id = ?1"
        "  AND a.result IS NOT NULL"
        " UNION ALL SELECT changed, 'unit_changed', 'unit ' || unit_id, 7, id, 0 FROM unit_change"
        "  WHERE case_id = ?1"
        " UNION ALL SELECT start, 'assigned', kind || ': coordinator ' || coordinator_id, 8, id, 0"
        "  FROM assignment WHERE case_id = ?1"
        " UNION ALL SELECT end, 'assignment_ended', kind || ': coordinator ' || coordinator_id,"
        "  8, id, 1 FROM assignment WHERE case_id = ?1 AND end IS NOT NULL"
        " UNION ALL SELECT started, 'plan_started', ref, 9, id, 0 FROM plan WHERE case_id = ?1"
        " UNION ALL SELECT adopted, 'plan_adopted', NULL, 9, id, 1 FROM plan"
        "  WHERE case_id = ?1 AND adopted IS NOT NULL"
        " UNION ALL SELECT held, 'group_meeting', CASE WHEN minutes IS NULL"
        "  THEN 'minutes missing' END, 10, id, 0 FROM group_meeting WHERE case_id = ?1"
        " UNION ALL SELECT e.evaluated, 'plan_evaluated', NULL, 11, e.id, 0 FROM evaluation e"
        "  JOIN plan p ON p.id = e.plan_id WHERE p.case_id = ?1"
        " UNION ALL SELECT ended, 'plan_ended', NULL, 12, id, 0 FROM plan"
        "  WHERE case_id = ?1 AND ended IS NOT NULL"
        " UNION ALL SELECT closed, 'closed', cause, 13, id, 0 FROM closure WHERE case_id = ?1"
        " UNION ALL SELECT reopened, 'reopened', NULL, 13, id, 1 FROM closure"
        "  WHERE case_id = ?1 AND reopened IS NOT NULL)"
        " ORDER BY 1, 4, 5, 6";
    static const struct bti_col cols[] = {
        {"date", BTI_T_DATE},
        {"event", BTI_T_TEXT},
        {"detail", BTI_T_TEXT},
    };
    return db_array(db, db_stmt(db, sql), cols, 3, "i", id);
}

/* The case's reviews as an array. */
static cJSON *reviews(struct bti_db *db, long long id)
{
    static const char sql[] = "SELECT r.id, r.meeting_id, m.held, r.anonymous, r.conclusion,"
                              " r.journal FROM review r JOIN ke_meeting m ON m.id = r.meeting_id"
                              " WHERE r.case_id = ? ORDER BY r.id";
    static const struct bti_col cols[] = {
        {"id", BTI_T_INT},         {"meeting_id", BTI_T_INT},  {"held", BTI_T_DATE},
        {"anonymous", BTI_T_BOOL}, {"conclusion", BTI_T_TEXT}, {"journal", BTI_T_DATE},
    };
    return db_array(db, db_stmt(db, sql), cols, 6, "i", id);
}

/* The case's escalations as an array. */
static cJSON *escalations(struct bti_db *db, long long id)
{
    static const char sql[] = "SELECT id, escalated, note FROM escalation WHERE case_id = ?"
                              " ORDER BY id";
    static const struct bti_col cols[] = {
        {"id", BTI_T_INT}, {"escalated", BTI_T_DATE}, {"note", BTI_T_TEXT}};
    return db_array(db, db_stmt(db, sql), cols, 3, "i", id);
}

/* The case's preliminary replies as an array. */
static cJSON *replies(struct bti_db *db, long long id)
{
    static const char sql[] = "SELECT id, sent FROM preliminary_reply WHERE case_id = ?"
                              " ORDER BY id";
    static const struct bti_col cols[] = {{"id", BTI_T_INT}, {"sent", BTI_T_DATE}};
    return db_array(db, db_stmt(db, sql), cols, 2, "i", id);
}

/* Attach the case's parts to its object; NULL members mean a failed read. */
static int add_parts(struct bti_db *db, long long id, long long person_id, cJSON *obj)
{
    cJSON *parts[] = {person_object(db, person_id), requests(db, id),    referral_array(db, id),
                      consent_array(db, id),        reviews(db, id),     escalations(db, id),
                      decision_array(db, id),       replies(db, id),     assignment_array(db, id),
                      group_object(db, id),         plan_object(db, id), history(db, id)};
    static const char *const keys[] = {
        "person",      "requests",    "referrals", "consents",
        "reviews",     "escalations", "decisions", "preliminary_replies",
        "assignments", "group",       "plan",      "history"};
    int rc = 0;
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        if (!parts[i])
            rc = bti_error_code() ? bti_error_code() : BTI_EDB;
        else
            cJSON_AddItemToObject(obj, keys[i], parts[i]);
    }
    return rc;
}

int bti_case_show(struct bti_db *db, long long id, cJSON **out)
{
    static const char sql[] = CASE_SELECT " WHERE c.id = ?2";
    cJSON *obj = db_object(db, db_stmt(db, sql), bti_case_cols.col, bti_case_cols.n, "ii", 0LL, id);
    if (!obj)
        return bti_error_code() ? bti_error_code()
                                : bti_error_set(BTI_ENOTFOUND, _("no case %lld"), id);
    cJSON_DeleteItemFromObject(obj, "person"); /* replaced by the objects below */
    cJSON_DeleteItemFromObject(obj, "requests");
    long long person_id = (long long)cJSON_GetNumberValue(cJSON_GetObjectItem(obj, "person_id"));
    char what[32];
    snprintf(what, sizeof what, "%lld", id);
    int rc = add_parts(db, id, person_id, obj);
    if (rc == 0)
        rc = access_log(db, "ke_case", what, 1);
    if (rc) {
        cJSON_Delete(obj);
        return rc;
    }
    *out = obj;
    return 0;
}
