/* Reports: overview, decisions, coordinators, semiannual and the due list. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bti/report.h"
#include "store/store.h"
#include "base/list.h"
#include "base/intl.h"
#include "base/idset.h"

int bti_period_parse(struct bti_period *out, const char *s)
{
    int year = 0, n = 0;
    char half = 0;
    int ok = s && sscanf(s, "%4d%n", &year, &n) == 1 && n == 4 &&
             (s[4] == '\0' || ((s[4] == 'H') && (s[5] == '1' || s[5] == '2') && !s[6]));
    if (ok)
        half = s[4] ? s[5] : 0;
    if (!ok || bti_date_from_ymd(&out->from, year, half == '2' ? 7 : 1, 1) != 0 ||
        bti_date_from_ymd(&out->to, year, half == '1' ? 6 : 12, half == '1' ? 30 : 31) != 0)
        return bti_error_set(BTI_EINVAL, _("invalid value for --period: expected YYYYH1, YYYYH2 "
                                           "or YYYY"));
    return 0;
}

struct bti_period bti_period_default(bti_date today)
{
    int y, m, d;
    struct bti_period p;
    bti_date_to_ymd(today, &y, &m, &d);
    if (m >= 7) {
        bti_date_from_ymd(&p.from, y, 1, 1);
        bti_date_from_ymd(&p.to, y, 6, 30);
    } else {
        bti_date_from_ymd(&p.from, y - 1, 7, 1);
        bti_date_from_ymd(&p.to, y - 1, 12, 31);
    }
    return p;
}

static const struct bti_col due_cols[] = {
    {"case_id", BTI_T_INT}, {"kind", BTI_T_TEXT},   {"since", BTI_T_DATE},
    {"due", BTI_T_DATE},    {"action", BTI_T_TEXT}, {"person", BTI_T_TEXT},
};
const struct bti_cols bti_due_cols = BTI_COLS(due_cols);

/* Each arm of the due list gives case_id, kind, since, due, action, and
 * the unit and coordinator it concerns (for --unit and --coordinator).
 * ?1 is today, ?2 the retention period in years, ?5 the last day of
 * --within (NULL without it): an arm whose due date can lie ahead lists
 * what falls due by then too.  ?6 is the kinds of --kind as ",k1,k2,"
 * (NULL for every kind), ?7 whether the login sees names.  Every kind
 * is in due_kinds below. */
#define OPEN_CASE "c.status <> 'closed'"
/* The last day an arm lists what falls due by: today, or --within's. */
#define HORIZON "coalesce(?5, ?1)"
#define RUNNING_COORDINATOR(case_id)                                                               \
    "(SELECT coordinator_id FROM assignment WHERE case_id = " case_id " AND end IS NULL"           \
    " ORDER BY kind = 'child', id LIMIT 1)"

/* The half-years from today's to the one --within reaches, by their first
 * days; and the years likewise, as "YYYY". */
#define HALF_YEARS                                                                                 \
    "(WITH RECURSIVE half(start) AS (SELECT date(?1, 'start of year',"                             \
    "  CASE WHEN substr(?1, 6, 2) >= '07' THEN '+6 months' ELSE '+0 months' END)"                  \
    " UNION ALL SELECT bti_add_months(start, 6) FROM half"                                         \
    "  WHERE bti_add_months(start, 6) <= " HORIZON ") SELECT start FROM half)"
#define YEARS                                                                                      \
    "(WITH RECURSIVE year(start) AS (SELECT substr(?1, 1, 4)"                                      \
    " UNION ALL SELECT CAST(start + 1 AS TEXT) FROM year WHERE CAST(start + 1 AS TEXT)"            \
    "  <= substr(" HORIZON ", 1, 4)) SELECT start FROM year)"

/* The label of the person of case `id`: their name when `names` (a bound
 * parameter) is true, else the case id (a report that leaves the KE). */
#define PERSON_LABEL(names, id)                                                                    \
    "CASE WHEN " names " THEN (SELECT p.name FROM ke_case lc JOIN person p ON p.id = lc.person_id" \
    " WHERE lc.id = " id ") ELSE CAST(" id " AS TEXT) END"
/* The same label where the person's id is at hand already. */
#define PERSON_LABEL_OF(names, person, id)                                                         \
    "CASE WHEN " names " THEN (SELECT p.name FROM person p WHERE p.id = " person ")"               \
    " ELSE CAST(" id " AS TEXT) END"

/* clang-format off */
/* The outer query of every statement of the due list: its columns (the
 * person's label by `label`), and the filters of --unit, --coordinator,
 * --kind and the login's cases. */
#define DUE_SELECT(label) "SELECT case_id, kind, since, due, action, " label " FROM ("
#define DUE_FILTERS                                                                                \
    ") WHERE (?3 = 0 OR unit_id = ?3) AND (?4 = 0 OR coordinator_id = ?4)"                         \
    " AND (?6 IS NULL OR instr(?6, ',' || kind || ',') > 0)"                                        \
    " AND bti_case_allowed(case_id)"

/* The arms whose rows grow with the history, or with what is open, are
 * read in an index's order (below) and merged with the others' sorted
 * rows, so that the list is never held in memory whole (issue 19). */
static const char due_sql[] =
    DUE_SELECT(PERSON_LABEL("?7", "case_id"))
    /* an open case with nothing undecided, running or owed: to close */
    " SELECT c.id AS case_id, 'nothing_open' AS kind, e.ended AS since, e.ended AS due,"
    "  'bti case close ' || c.id || ' --cause need-ended' AS action, c.unit_id AS unit_id,"
    "  NULL AS coordinator_id"
    " FROM ke_case c JOIN (SELECT case_id, max(end) AS ended FROM (SELECT case_id, end"
    "  FROM assignment WHERE need_ended UNION ALL SELECT case_id, ended FROM plan"
    "  WHERE need_ended) GROUP BY case_id) e ON e.case_id = c.id"
    " WHERE " OPEN_CASE
    " AND NOT EXISTS (SELECT 1 FROM item_status s WHERE s.case_id = c.id"
    "  AND s.status IN ('undecided', 'granted'))"
    " AND NOT EXISTS (SELECT 1 FROM assignment a WHERE a.case_id = c.id AND a.end IS NULL)"
    " AND NOT EXISTS (SELECT 1 FROM plan p WHERE p.case_id = c.id AND p.status <> 'ended')"
    " AND NOT EXISTS (SELECT 1 FROM appeal a JOIN decision d ON d.id = a.decision_id"
    "  WHERE d.case_id = c.id AND a.result IS NULL)"
    /* a stand-in still running after its planned end (the running
     * assignments from assignment_one_running's few pages, not a lookup of
     * each of them in the table) */
    " UNION ALL SELECT a.case_id, 'stand_in_overdue', a.until, a.until,"
    "  'bti coordinator end ' || a.case_id"
    "  || CASE a.kind WHEN 'child' THEN ' --child' ELSE '' END || ' --temporary --reason TEXT',"
    "  c.unit_id, a.coordinator_id"
    " FROM assignment a INDEXED BY assignment_one_running JOIN ke_case c ON c.id = a.case_id"
    " WHERE a.end IS NULL AND a.temporary AND (a.until < ?1 OR a.until <= ?5)"
    /* a review whose journal note is not yet recorded */
    " UNION ALL SELECT r.case_id, 'no_journal_note', m.held, m.held,"
    "  'bti ke journal ' || r.id || ' --date DATE', c.unit_id, " RUNNING_COORDINATOR("c.id")
    " FROM review r JOIN ke_meeting m ON m.id = r.meeting_id JOIN ke_case c ON c.id = r.case_id"
    " WHERE r.journal IS NULL AND NOT r.anonymous"
    /* an escalation no review has followed yet */
    " UNION ALL SELECT e.case_id, 'escalation', e.escalated, e.escalated,"
    "  'bti ke review ' || e.case_id || ' --meeting ID --note CONCLUSION', c.unit_id, "
    RUNNING_COORDINATOR("c.id")
    " FROM escalation e JOIN ke_case c ON c.id = e.case_id"
    " WHERE " OPEN_CASE " AND NOT EXISTS (SELECT 1 FROM review r JOIN ke_meeting m"
    "  ON m.id = r.meeting_id WHERE r.case_id = e.case_id AND m.held >= e.escalated)"
    /* a denied case whose appeal deadlines have all passed: to close */
    " UNION ALL SELECT c.id, 'appeal_deadline_passed', max(d.appeal_deadline),"
    "  max(d.appeal_deadline), 'bti case close ' || c.id || ' --cause denied', c.unit_id, NULL"
    " FROM ke_case c JOIN decision d ON d.case_id = c.id"
    " WHERE c.status = 'denied' AND d.voided IS NULL AND d.outcome = 'denied'"
    " GROUP BY c.id HAVING count(d.appeal_deadline) = count(*)"
    " AND (max(d.appeal_deadline) < ?1 OR max(d.appeal_deadline) <= ?5)"
    /* appeals the KE has not forwarded, and those awaiting a result */
    " UNION ALL SELECT c.id, CASE WHEN a.forwarded IS NULL THEN 'appeal_not_forwarded'"
    "  ELSE 'appeal_awaiting_result' END, coalesce(a.forwarded, a.received),"
    "  coalesce(a.forwarded, a.received),"
    "  CASE WHEN a.forwarded IS NULL THEN 'bti ke appeal-forward ' ELSE 'bti ke appeal-result ' END"
    "  || c.id || ' --decision ' || d.id, c.unit_id, " RUNNING_COORDINATOR("c.id")
    " FROM appeal a JOIN decision d ON d.id = a.decision_id JOIN ke_case c ON c.id = d.case_id"
    " WHERE a.result IS NULL"
    /* plans overdue for evaluation, and plans paused for lack of consent */
    " UNION ALL SELECT p.case_id, 'plan_overdue', p.next_evaluation, p.next_evaluation,"
    "  'bti plan evaluate ' || p.case_id, c.unit_id, " RUNNING_COORDINATOR("c.id")
    " FROM plan p JOIN ke_case c ON c.id = p.case_id"
    " WHERE p.status = 'active' AND (p.next_evaluation < ?1 OR p.next_evaluation <= ?5)"
    " UNION ALL SELECT p.case_id, 'plan_paused', coalesce((SELECT max(withdrawn) FROM consent"
    "  WHERE case_id = p.case_id AND scope = 'plan'), p.started), ?1,"
    "  'bti consent give ' || p.case_id || ' --scope plan --by user --parties PARTIES',"
    "  c.unit_id, " RUNNING_COORDINATOR("c.id")
    " FROM plan p JOIN ke_case c ON c.id = p.case_id WHERE p.status = 'paused'"
    /* group meetings without minutes */
    " UNION ALL SELECT g.case_id, 'minutes_missing', g.held, g.held,"
    "  'bti group minutes ' || g.case_id || ' ' || g.id || ' --minutes REF', c.unit_id, g.led_by"
    " FROM group_meeting g JOIN ke_case c ON c.id = g.case_id WHERE g.minutes IS NULL"
    /* a barnekoordinator whose child has turned 18 (as above) */
    " UNION ALL SELECT a.case_id, 'child_turned_18', bti_add_months(p.born, 216),"
    "  bti_add_months(p.born, 216),"
    "  'bti coordinator end ' || a.case_id || ' --child --reason TEXT', c.unit_id,"
    "  a.coordinator_id"
    " FROM assignment a INDEXED BY assignment_one_running JOIN ke_case c ON c.id = a.case_id"
    " JOIN person p ON p.id = c.person_id"
    " WHERE a.end IS NULL AND a.kind = 'child' AND NOT a.temporary AND NOT p.expected"
    " AND bti_add_months(p.born, 216) <= " HORIZON
    /* a guardian's consent for a user who has turned 16 */
    " UNION ALL SELECT k.case_id, 'guardian_consent_16', bti_add_months(p.born, 192),"
    "  bti_add_months(p.born, 192), 'bti consent give ' || k.case_id || ' --scope ' || k.scope"
    "  || ' --by user --parties ' || k.parties, c.unit_id, " RUNNING_COORDINATOR("c.id")
    " FROM consent k JOIN ke_case c ON c.id = k.case_id JOIN person p ON p.id = c.person_id"
    " WHERE " OPEN_CASE " AND k.withdrawn IS NULL AND k.given_by = 'guardian'"
    " AND NOT p.expected AND bti_add_months(p.born, 192) <= " HORIZON
    /*  ... and no consent of the user's own of that scope since then */
    " AND NOT EXISTS (SELECT 1 FROM consent u WHERE u.case_id = k.case_id"
    "  AND u.scope = k.scope AND u.given_by = 'user' AND u.withdrawn IS NULL"
    "  AND u.given >= bti_add_months(p.born, 192))"
    /* coordinators with a running assignment and no gathering in twelve months */
    " UNION ALL SELECT NULL, 'coordinator_no_gathering',"
    "  coalesce(bti_add_months((SELECT max(g.held) FROM attendance t JOIN gathering g"
    "   ON g.id = t.gathering_id WHERE t.coordinator_id = k.id), 12),"
    "   (SELECT min(start) FROM assignment WHERE coordinator_id = k.id AND end IS NULL)),"
    "  max(coalesce(bti_add_months((SELECT max(g.held) FROM attendance t JOIN gathering g"
    "   ON g.id = t.gathering_id WHERE t.coordinator_id = k.id), 12), ?1), ?1),"
    "  'bti gathering attend GATHERING --coordinator ' || k.id, k.unit_id, k.id"
    " FROM coordinator k WHERE k.active"
    " AND EXISTS (SELECT 1 FROM assignment a WHERE a.coordinator_id = k.id AND a.end IS NULL)"
    " AND NOT EXISTS (SELECT 1 FROM attendance t JOIN gathering g ON g.id = t.gathering_id"
    "  WHERE t.coordinator_id = k.id AND g.held > bti_add_months(" HORIZON ", -12)"
    "  AND g.held <= ?1)"
    /* the handbook not updated in twelve months */
    " UNION ALL SELECT NULL, 'handbook_stale', bti_add_months(max(updated), 12),"
    "  coalesce(max(bti_add_months(max(updated), 12), ?1), ?1),"
    "  'bti ke handbook --note TEXT', NULL, NULL FROM handbook"
    " HAVING max(updated) IS NULL OR bti_add_months(max(updated), 12) <= " HORIZON
    /* the access log not reviewed in three months */
    " UNION ALL SELECT NULL, 'access_log_review', bti_add_months(max(reviewed), 3),"
    "  coalesce(max(bti_add_months(max(reviewed), 3), ?1), ?1),"
    "  'bti audit reviewed', NULL, NULL FROM access_review"
    " HAVING max(reviewed) IS NULL OR bti_add_months(max(reviewed), 3) <= " HORIZON
    /* no samling held or planned in a half-year three months into it */
    " UNION ALL SELECT NULL, 'samling_not_planned', bti_add_months(h.start, 3),"
    "  bti_add_months(h.start, 3), 'bti gathering add --kind samling --date DATE', NULL, NULL"
    " FROM " HALF_YEARS " h WHERE bti_add_months(h.start, 3) <= " HORIZON
    " AND NOT EXISTS (SELECT 1 FROM gathering g WHERE g.kind = 'samling'"
    "  AND g.held >= h.start AND g.held < bti_add_months(h.start, 6))"
    /* no fagdag held or planned in a year by 1 September */
    " UNION ALL SELECT NULL, 'fagdag_not_planned', y.start || '-09-01', y.start || '-09-01',"
    "  'bti gathering add --kind fagdag --date DATE', NULL, NULL"
    " FROM " YEARS " y WHERE y.start || '-09-01' <= " HORIZON
    " AND NOT EXISTS (SELECT 1 FROM gathering g WHERE g.kind = 'fagdag'"
    "  AND substr(g.held, 1, 4) = y.start)"
    DUE_FILTERS " ORDER BY due IS NULL, due, case_id IS NULL, case_id, kind";

/* A decision not yet notified, by day, case and decision from
 * decision_unnotified_day. */
static const char due_not_notified_sql[] =
    DUE_SELECT(PERSON_LABEL_OF("?7", "person_id", "case_id"))
    "SELECT d.case_id, 'not_notified' AS kind, d.decided AS since, d.decided AS due,"
    "  'bti ke notify ' || d.case_id || ' --decision ' || d.id || ' --date DATE' AS action,"
    "  c.unit_id, " RUNNING_COORDINATOR("c.id") " AS coordinator_id, c.person_id,"
    "  d.id AS decision_id"
    " FROM decision d INDEXED BY decision_unnotified_day JOIN ke_case c ON c.id = d.case_id"
    " WHERE " OPEN_CASE " AND d.voided IS NULL AND d.notified IS NULL"
    DUE_FILTERS " ORDER BY due, case_id, decision_id";

/* The open cases' requests, by their standing decision's day or their
 * referral's, and case, from request_standing's partial indexes (the
 * derived cache of lib/store/caches.h, which equals item_status's rows).
 * A month after a day keeps the order of the days but at a month's end,
 * where the 29th to the 31st fall on the next month's last: the days up
 * to the 28th, and each of the others, come sorted in statements of their
 * own (`days` picks them), merged like the rest. */
#define STANDING(index, kind, day, due, action, coordinator)                                       \
    DUE_SELECT(PERSON_LABEL_OF("?7", "person_id", "case_id"))                                      \
    "SELECT s.case_id, '" kind "' AS kind, " day " AS since, " due " AS due,"                     \
    "  " action " AS action, c.unit_id, " coordinator " AS coordinator_id, c.person_id,"           \
    "  s.request_id"                                                                               \
    " FROM request_standing s INDEXED BY " index " JOIN ke_case c ON c.id = s.case_id"
/* a granted item whose need has not ended (item_status's 'granted') */
#define GRANTED                                                                                    \
    " WHERE s.open AND s.outcome = 'granted'"                                                      \
    " AND NOT EXISTS (SELECT 1 FROM assignment a WHERE a.case_id = s.case_id"                      \
    "  AND a.kind = s.item AND a.need_ended)"                                                      \
    " AND NOT (s.item = 'ip' AND EXISTS (SELECT 1 FROM plan p WHERE p.case_id = s.case_id"         \
    "  AND p.need_ended))"
/* a granted coordinator or barnekoordinator without one running (also once
 * one ended while the need continues) */
static const char due_no_coordinator_sql[] =
    STANDING("request_standing_granted", "no_coordinator", "s.on_date", "s.on_date",
             "'bti coordinator assign ' || s.case_id || ' --coordinator C'"
             "  || CASE s.item WHEN 'child' THEN ' --child' ELSE '' END", "NULL")
    GRANTED " AND s.item IN ('coordinator', 'child')"
    " AND NOT EXISTS (SELECT 1 FROM assignment a WHERE a.case_id = s.case_id AND a.kind = s.item"
    "  AND a.end IS NULL)"
    DUE_FILTERS " ORDER BY due, case_id, request_id";
/* a granted IP with no plan started a month after the grant */
#define IP_NOT_STARTED(days)                                                                       \
    STANDING("request_standing_granted", "ip_not_started", "s.on_date",                            \
             "bti_add_months(s.on_date, 1)", "'bti plan start ' || s.case_id",                     \
             RUNNING_COORDINATOR("s.case_id"))                                                     \
    GRANTED " AND s.item = 'ip' AND substr(s.on_date, 9) " days                                    \
    " AND bti_add_months(s.on_date, 1) <= " HORIZON                                                \
    " AND NOT EXISTS (SELECT 1 FROM plan p WHERE p.case_id = s.case_id AND p.status <> 'ended')"  \
    DUE_FILTERS " ORDER BY since, case_id, request_id"
/* a requested item undecided a month after it was received: the case's
 * first such request (by day, then id) when no preliminary reply went */
#define PRELIMINARY_REPLY(days)                                                                    \
    STANDING("request_standing_undecided", "preliminary_reply", "s.received",                     \
             "bti_add_months(s.received, 1)", "'bti ke reply ' || s.case_id",                      \
             RUNNING_COORDINATOR("s.case_id"))                                                     \
    " WHERE s.open AND s.outcome IS NULL AND substr(s.received, 9) " days                         \
    " AND bti_add_months(s.received, 1) <= " HORIZON                                               \
    " AND NOT EXISTS (SELECT 1 FROM request_standing o WHERE o.case_id = s.case_id AND o.open"     \
    "  AND o.outcome IS NULL AND (o.received < s.received"                                         \
    "  OR (o.received = s.received AND o.request_id < s.request_id)))"                             \
    " AND NOT EXISTS (SELECT 1 FROM preliminary_reply p WHERE p.case_id = s.case_id)"             \
    DUE_FILTERS " ORDER BY since, case_id"
#define UP_TO_28 "<= '28'"
static const char due_ip_sql[] = IP_NOT_STARTED(UP_TO_28);
static const char due_ip_29_sql[] = IP_NOT_STARTED("= '29'");
static const char due_ip_30_sql[] = IP_NOT_STARTED("= '30'");
static const char due_ip_31_sql[] = IP_NOT_STARTED("= '31'");
static const char due_reply_sql[] = PRELIMINARY_REPLY(UP_TO_28);
static const char due_reply_29_sql[] = PRELIMINARY_REPLY("= '29'");
static const char due_reply_30_sql[] = PRELIMINARY_REPLY("= '30'");
static const char due_reply_31_sql[] = PRELIMINARY_REPLY("= '31'");

/* An appointment not reported to the KE, or not registered in the EHR (a
 * stand-in's is the regular one's, which only pauses), by start and case
 * from assignment_unconfirmed: of one case's two begun the same day, the
 * one of the lower coordinator id first, as the sort had them. */
#define UNCONFIRMED(kind, action, unconfirmed)                                                     \
    DUE_SELECT(PERSON_LABEL_OF("?7", "person_id", "case_id"))                                      \
    "SELECT a.case_id, '" kind "' AS kind, a.start AS since, a.start AS due,"                      \
    "  " action " AS action, c.unit_id, a.coordinator_id, a.id AS assignment_id, c.person_id"     \
    " FROM assignment a INDEXED BY assignment_unconfirmed JOIN ke_case c ON c.id = a.case_id"      \
    " WHERE a.end IS NULL AND NOT a.temporary AND " unconfirmed                                    \
    DUE_FILTERS " ORDER BY due, case_id, coordinator_id, assignment_id"
static const char due_not_reported_sql[] =
    UNCONFIRMED("not_reported", "'bti coordinator confirm ' || a.case_id"
                "  || CASE a.kind WHEN 'child' THEN ' --child' ELSE '' END",
                "a.reported IS NULL");
static const char due_not_registered_sql[] =
    UNCONFIRMED("not_registered", "'bti coordinator register ' || a.case_id"
                "  || CASE a.kind WHEN 'child' THEN ' --child' ELSE '' END || ' --date DATE'",
                /* confirm and register name the regular assignment */
                "a.ehr_registered IS NULL AND NOT a.own_system");

/* Closed cases kept past the retention period, by closing day from
 * ke_case_closed (which holds all the arm reads of them).  Adding whole years keeps the order of the days but for
 * 29 February, which a year without it moves to the 28th: the cases
 * closed on a 29 February come sorted in a statement of their own.  The
 * other days' retention has passed exactly when they lie on or before the
 * horizon's day that many years back (`bound`): the scan stops there
 * instead of reading every closed case.  The persons erased already are
 * read once into a list in memory (an id each), not looked up in the
 * audit's index for every case: 11% of the arm at 300,000 cases (issue
 * 19). */
#define RETENTION(days, bound, order)                                                              \
    DUE_SELECT(PERSON_LABEL_OF("?7", "person_id", "case_id"))                                      \
    "SELECT c.id AS case_id, 'retention_passed' AS kind,"                                          \
    "  bti_add_months(c.closed, 12 * ?2) AS since, bti_add_months(c.closed, 12 * ?2) AS due,"     \
    "  'bti person erase ' || c.person_id || ' --reason TEXT' AS action, c.unit_id,"               \
    "  NULL AS coordinator_id, c.closed AS closed, c.person_id"                                    \
    " FROM ke_case c INDEXED BY ke_case_closed"                                                    \
    " WHERE c.status = 'closed' AND substr(c.closed, 6) " days bound                               \
    " AND bti_add_months(c.closed, 12 * ?2) <= " HORIZON                                           \
    " AND c.person_id NOT IN (SELECT e.entity_id FROM audit e WHERE e.entity = 'erasure'"          \
    "  AND e.entity_id IS NOT NULL)"                                                               \
    DUE_FILTERS " ORDER BY " order
static const char due_retention_sql[] =
    RETENTION("<> '02-29'",
              " AND c.closed <= printf('%04d', substr(" HORIZON ", 1, 4) - ?2)"
              " || substr(" HORIZON ", 5)",
              "closed, case_id");
static const char due_retention_leap_sql[] = RETENTION("= '02-29'", "", "due, case_id");
/* clang-format on */

/* Whether due row a comes before b in the list's order: by due date (none
 * last), case (none last), kind. */
static int due_before(const struct bti_row *a, const struct bti_row *b)
{
    const struct bti_value *x = a->vals, *y = b->vals; /* case_id, kind, since, due, ... */
    if (x[3].null != y[3].null)
        return y[3].null;
    int c = x[3].null ? 0 : strcmp(x[3].s, y[3].s);
    if (c == 0 && x[0].null != y[0].null)
        return y[0].null;
    if (c == 0 && !x[0].null && x[0].i != y[0].i)
        return x[0].i < y[0].i;
    return c ? c < 0 : strcmp(x[1].s, y[1].s) < 0;
}

/* Every kind the due list gives (bti-due(1) lists them), and those SPEC
 * section 8 names for the arms issue 12's other part adds (ip_not_started,
 * nothing_open, stand_in_overdue), so that --kind accepts them once they
 * are there.  A new arm adds its kind here. */
static const char *const due_kinds[] = {
    "preliminary_reply",
    "not_notified",
    "no_coordinator",
    "not_reported",
    "not_registered",
    "no_journal_note",
    "escalation",
    "appeal_deadline_passed",
    "appeal_not_forwarded",
    "appeal_awaiting_result",
    "plan_overdue",
    "plan_paused",
    "minutes_missing",
    "child_turned_18",
    "guardian_consent_16",
    "coordinator_no_gathering",
    "handbook_stale",
    "access_log_review",
    "samling_not_planned",
    "fagdag_not_planned",
    "retention_passed",
    "ip_not_started",
    "nothing_open",
    "stand_in_overdue",
    NULL,
};

/* The kinds of --kind as ",k1,k2," into buf, each checked; "" for none. */
static int kinds_list(const struct bti_due_filter *f, char *buf, size_t size)
{
    size_t len = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < f->nkinds; i++) {
        int rc = check_word(f->kinds[i], due_kinds, "--kind");
        if (rc)
            return rc;
        int n = snprintf(buf + len, size - len, "%s%s,", len ? "" : ",", f->kinds[i]);
        if (n < 0 || (size_t)n >= size - len)
            return bti_error_set(BTI_EUSAGE, _("too many --kind filters"));
        len += (size_t)n;
    }
    return 0;
}

int bti_report_due(struct bti_db *db, const struct bti_due_filter *f, bti_row_fn fn, void *arg)
{
    static const char *const sqls[] = {due_sql,
                                       due_not_notified_sql,
                                       due_no_coordinator_sql,
                                       due_ip_sql,
                                       due_ip_29_sql,
                                       due_ip_30_sql,
                                       due_ip_31_sql,
                                       due_reply_sql,
                                       due_reply_29_sql,
                                       due_reply_30_sql,
                                       due_reply_31_sql,
                                       due_not_reported_sql,
                                       due_not_registered_sql,
                                       due_retention_sql,
                                       due_retention_leap_sql};
    enum { NSQL = sizeof sqls / sizeof sqls[0] };
    sqlite3_stmt *sts[NSQL];
    char kinds[1024];
    bti_date horizon = f->within > 0 ? db->ctx.today + f->within : BTI_NO_DATE;
    int names = db->names && !f->unnamed;
    int rc = kinds_list(f, kinds, sizeof kinds);
    for (size_t i = 0; rc == 0 && i < NSQL; i++) {
        sts[i] = db_stmt(db, sqls[i]);
        if (!sts[i] || db_bind(db, sts[i], "diiidtb", db->ctx.today, (long long)f->retention_years,
                               f->unit_id, f->coordinator_id, horizon, *kinds ? kinds : NULL,
                               names))
            rc = bti_error_code();
    }
    if (rc)
        return rc;
    struct db_merge m = {.sts = sts, .n = NSQL, .before = due_before};
    if (names)
        return db_rows_logged_merged(db, &m, &bti_due_cols, 0, fn, arg, "ke_case");
    return db_rows_merged(db, &m, due_cols, bti_due_cols.n, fn, arg, NULL);
}

static const struct bti_col overview_cols[] = {
    {"case_id", BTI_T_INT},
    {"person_id", BTI_T_INT},
    {"person", BTI_T_TEXT},
    {"nin", BTI_T_NIN},
    {"status", BTI_T_TEXT},
    {"unit_id", BTI_T_INT},
    {"unit", BTI_T_TEXT},
    {"coordinator_id", BTI_T_INT},
    {"coordinator", BTI_T_TEXT},
    {"child_coordinator_id", BTI_T_INT},
    {"child_coordinator", BTI_T_TEXT},
    {"plan_status", BTI_T_TEXT},
    {"next_evaluation", BTI_T_DATE},
};
const struct bti_cols bti_overview_cols = BTI_COLS(overview_cols);

int bti_report_overview(struct bti_db *db, bti_row_fn fn, void *arg)
{
    /* clang-format off */
    static const char sql[] =
        "SELECT c.id, CASE WHEN ?1 THEN c.person_id END,"
        " CASE WHEN ?1 THEN p.name ELSE CAST(c.id AS TEXT) END, CASE WHEN ?2 THEN p.nin END,"
        " c.status, c.unit_id, u.name,"
        " a.coordinator_id, k.name, b.coordinator_id, kb.name, pl.status, pl.next_evaluation"
        " FROM ke_case c JOIN person p ON p.id = c.person_id"
        " LEFT JOIN unit u ON u.id = c.unit_id"
        " LEFT JOIN assignment a ON a.case_id = c.id AND a.kind = 'coordinator' AND a.end IS NULL"
        "  AND NOT a.temporary"
        " LEFT JOIN coordinator k ON k.id = a.coordinator_id"
        " LEFT JOIN assignment b ON b.case_id = c.id AND b.kind = 'child' AND b.end IS NULL"
        "  AND NOT b.temporary"
        " LEFT JOIN coordinator kb ON kb.id = b.coordinator_id"
        " LEFT JOIN plan pl ON pl.case_id = c.id"
        " WHERE c.status <> 'closed' AND bti_case_allowed(c.id) ORDER BY c.id";
    /* clang-format on */
    sqlite3_stmt *st = db_stmt(db, sql);
    if (!st || db_bind(db, st, "bb", db->names || db->ctx.identify, db->ctx.identify))
        return bti_error_code();
    if (db->names || db->ctx.identify)
        return db_rows_logged(db, st, &bti_overview_cols, fn, arg, "ke_case");
    return db_rows(db, st, overview_cols, bti_overview_cols.n, fn, arg, NULL);
}

static const struct bti_col decisions_cols[] = {
    {"decision_id", BTI_T_INT},      {"case_id", BTI_T_INT},   {"items", BTI_T_LIST},
    {"outcome", BTI_T_TEXT},         {"basis", BTI_T_LIST},    {"received", BTI_T_DATE},
    {"decided", BTI_T_DATE},         {"days", BTI_T_INT},      {"notified", BTI_T_DATE},
    {"appeal_deadline", BTI_T_DATE}, {"appealed", BTI_T_DATE}, {"appeal_result", BTI_T_TEXT},
    {"voided", BTI_T_DATE},          {"person", BTI_T_TEXT},
};
const struct bti_cols bti_decisions_cols = BTI_COLS(decisions_cols);

/* The day number of an ISO date in SQL, for differences in days. */
#define DAYS(x) "CAST(julianday(" x ") AS INTEGER)"

int bti_report_decisions(struct bti_db *db, const struct bti_period *p, bti_row_fn fn, void *arg)
{
    /* clang-format off */
    static const char sql[] =
        "SELECT d.id, d.case_id,"
        " (SELECT group_concat(item, ',') FROM (SELECT item FROM decision_item"
        "  WHERE decision_id = d.id ORDER BY id)), d.outcome, d.basis, r.received, d.decided,"
        " " DAYS("d.decided") " - " DAYS("r.received") ", d.notified, d.appeal_deadline,"
        " a.received, a.result, d.voided, " PERSON_LABEL("?3", "d.case_id")
        " FROM decision d JOIN referral r ON r.id = (SELECT min(q.referral_id) FROM request q"
        "  JOIN decision_item i ON i.item = q.item WHERE q.case_id = d.case_id"
        "  AND i.decision_id = d.id)"
        " LEFT JOIN appeal a ON a.decision_id = d.id"
        " WHERE d.decided BETWEEN ?1 AND ?2 AND bti_case_allowed(d.case_id) ORDER BY d.id";
    /* clang-format on */
    int names = db->names || db->ctx.identify;
    sqlite3_stmt *st = db_stmt(db, sql);
    if (!st || db_bind(db, st, "ddb", p->from, p->to, names))
        return bti_error_code();
    if (names) /* the read is logged under the cases it named */
        return db_rows_logged_by(db, st, &bti_decisions_cols, 1, fn, arg, "ke_case");
    return db_rows(db, st, decisions_cols, bti_decisions_cols.n, fn, arg, NULL);
}

static const struct bti_col long_cols[] = {
    {"section", BTI_T_TEXT}, {"metric", BTI_T_TEXT}, {"value", BTI_T_REAL}};
const struct bti_cols bti_long_cols = BTI_COLS(long_cols);

/* A count as a public report may show it: 1 to 4 as "<5". */
static cJSON *count_json(long long n, int public)
{
    return public && n >= 1 && n <= 4 ? cJSON_CreateString("<5") : cJSON_CreateNumber((double)n);
}

/* The period as {"from": ..., "to": ...}. */
static cJSON *period_json(const struct bti_period *p)
{
    char a[BTI_DATE_BUF], b[BTI_DATE_BUF];
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "from", bti_date_format(p->from, a));
    cJSON_AddStringToObject(o, "to", bti_date_format(p->to, b));
    return o;
}

static const struct bti_col coordinators_cols[] = {
    {"coordinator_id", BTI_T_INT}, {"coordinator", BTI_T_TEXT}, {"unit_id", BTI_T_INT},
    {"unit", BTI_T_TEXT},          {"running", BTI_T_INT},      {"started_count", BTI_T_INT},
    {"ended_count", BTI_T_INT},          {"gatherings", BTI_T_INT},
};
const struct bti_cols bti_coordinators_cols = BTI_COLS(coordinators_cols);

/* Compare two long longs, for qsort. */
static int cmp_ll(const void *a, const void *b)
{
    long long x = *(const long long *)a, y = *(const long long *)b;
    return (x > y) - (x < y);
}

/* The median of n sorted values, or null when there are none. */
static cJSON *median_json(const long long *v, size_t n)
{
    if (n == 0)
        return cJSON_CreateNull();
    return cJSON_CreateNumber(n % 2 ? (double)v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0);
}

/* The concentration of caseload over the coordinators' running counts. */
static cJSON *concentration(long long *running, size_t n, int public)
{
    long long total = 0, busiest = 0;
    size_t holders = 0, fifth;
    if (n) /* running is NULL without coordinators */
        qsort(running, n, sizeof *running, cmp_ll);
    for (size_t i = 0; i < n; i++)
        if (running[i] > 0)
            running[holders++] = running[i]; /* keep those who coordinate, sorted */
    for (size_t i = 0; i < holders; i++)
        total += running[i];
    fifth = (holders + 4) / 5;
    for (size_t i = holders - fifth; i < holders; i++)
        busiest += running[i];
    cJSON *o = cJSON_CreateObject();
    cJSON_AddItemToObject(o, "coordinator_count", count_json((long long)holders, public));
    cJSON_AddItemToObject(o, "median", median_json(running, holders));
    cJSON_AddItemToObject(
        o, "max", holders ? cJSON_CreateNumber((double)running[holders - 1]) : cJSON_CreateNull());
    cJSON_AddItemToObject(o, "busiest_fifth_share",
                          total ? cJSON_CreateNumber((double)busiest / (double)total)
                                : cJSON_CreateNull());
    return o;
}

/* Add one coordinator row of st to arr, with counts made public. */
static void add_coordinator(cJSON *arr, sqlite3_stmt *st, int public)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "coordinator_id", (double)sqlite3_column_int64(st, 0));
    cJSON_AddStringToObject(o, "coordinator", (const char *)sqlite3_column_text(st, 1));
    cJSON_AddNumberToObject(o, "unit_id", (double)sqlite3_column_int64(st, 2));
    cJSON_AddStringToObject(o, "unit", (const char *)sqlite3_column_text(st, 3));
    for (int i = 4; i < 8; i++)
        cJSON_AddItemToObject(o, coordinators_cols[i].key,
                              count_json(sqlite3_column_int64(st, i), public));
    cJSON_AddItemToArray(arr, o);
}

/* The given columns of the assignments running on the period's last day
 * (?2), as the covering index assignment_running gives them: by their
 * ends (+start: not by their starts, which would read the whole history).
 * Those with no end and those ending after the period are two ranges of
 * the index read one after the other (as an OR, SQLite would gather every
 * rowid found in a set, to weed out a row found twice).  ?1 is named only
 * so that a statement of the period may hold it. */
#define RUNNING_AT_END(columns)                                                                    \
    "SELECT " columns " FROM assignment INDEXED BY assignment_running"                             \
    " WHERE end IS NULL AND start <= ?2 AND ?1 IS NOT NULL"                                        \
    " UNION ALL SELECT " columns " FROM assignment INDEXED BY assignment_running"                  \
    " WHERE end > ?2 AND +start <= ?2"

int bti_report_coordinators(struct bti_db *db, const struct bti_period *p, int public, cJSON **out)
{
    /* clang-format off */
    static const char sql[] =
        "SELECT k.id, k.name, k.unit_id, u.name, coalesce(r.n, 0), coalesce(s.n, 0),"
        " coalesce(e.n, 0),"
        " (SELECT count(*) FROM attendance t JOIN gathering g ON g.id = t.gathering_id"
        "  WHERE t.coordinator_id = k.id AND g.held > bti_add_months(?2, -12) AND g.held <= ?2)"
        " FROM coordinator k JOIN unit u ON u.id = k.unit_id"
        /* each count in one pass over the assignments it concerns (those
         * running at the end, begun, ended), not over each coordinator's
         * whole history */
        " LEFT JOIN (SELECT coordinator_id, count(*) AS n FROM (" RUNNING_AT_END("coordinator_id")
        "  ) GROUP BY coordinator_id) r"
        "  ON r.coordinator_id = k.id"
        " LEFT JOIN (SELECT coordinator_id, count(*) AS n FROM assignment"
        "  WHERE start BETWEEN ?1 AND ?2 GROUP BY coordinator_id) s ON s.coordinator_id = k.id"
        " LEFT JOIN (SELECT coordinator_id, count(*) AS n FROM assignment"
        "  WHERE end BETWEEN ?1 AND ?2 GROUP BY coordinator_id) e ON e.coordinator_id = k.id"
        " WHERE k.active OR EXISTS (SELECT 1 FROM assignment a WHERE a.coordinator_id = k.id"
        "  AND a.start <= ?2 AND (a.end IS NULL OR a.end >= ?1))"
        " ORDER BY k.id";
    /* clang-format on */
    sqlite3_stmt *st = db_stmt(db, sql);
    if (!st || db_bind(db, st, "dd", p->from, p->to))
        return bti_error_code();
    cJSON *arr = cJSON_CreateArray();
    long long *running = NULL;
    size_t n = 0, cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (n == cap) {
            long long *more = realloc(running, (cap = cap ? 2 * cap : 64) * sizeof *running);
            if (!more)
                break;
            running = more;
        }
        running[n++] = sqlite3_column_int64(st, 4);
        add_coordinator(arr, st, public);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        free(running);
        cJSON_Delete(arr);
        return rc == SQLITE_ROW ? bti_error_set(BTI_EDB, _("out of memory"))
                                : db_fail(db, rc, _("cannot read the coordinators"));
    }
    *out = cJSON_CreateObject();
    cJSON_AddItemToObject(*out, "period", period_json(p));
    cJSON_AddItemToObject(*out, "coordinators", arr);
    cJSON_AddItemToObject(*out, "concentration", concentration(running, n, public));
    free(running);
    return 0;
}

/* Whether regular assignment a follows an earlier regular one of its case
 * and kind (a change of coordinator, not a first appointment). */
#define LATER_APPOINTMENT(a)                                                                       \
    "EXISTS (SELECT 1 FROM assignment f WHERE f.case_id = " a ".case_id AND f.kind = " a ".kind"   \
    " AND NOT f.temporary AND f.id < " a ".id)"

/* The most figures one counting query gives. */
#define SEMIANNUAL_METRICS 6

/* The decisions made in the period as d, sorted (by the given order) so
 * that what is looked up for each is read in the order it lies in the
 * file, each page once, not at random over it, a page for nearly every
 * decision once the tables outgrow the cache; LIMIT -1 keeps the ORDER
 * BY, which SQLite drops from the subquery of an aggregate. */
#define PERIOD_DECISIONS(columns, order)                                                           \
    "(SELECT " columns " FROM decision INDEXED BY decision_decided"                                \
    " WHERE decided BETWEEN ?1 AND ?2 AND voided IS NULL ORDER BY " order " LIMIT -1) d"

/* The count of the rows where cond holds; of a decision's items by item
 * and outcome; of gatherings by kind. */
#define COUNT_IF(cond) "count(*) FILTER (WHERE " cond ")"
#define BY_ITEM(item, outcome) COUNT_IF("i.item = '" item "' AND d.outcome = '" outcome "'")
#define BY_KIND(kind) COUNT_IF("g.kind = '" kind "'")
#define BY_KINDS                                                                                   \
    BY_KIND("samling") ", " BY_KIND("fagdag") ", " BY_KIND("training") ", " BY_KIND("guidance")

/* The counted figures of the semiannual report: section, the metrics
 * (dotted paths inside the section) and the query counting them, one
 * column for each in its one row, so that the rows of the period are read
 * once for all the figures of a table; ?1 is the period's first day, ?2
 * its last.  States are counted as of ?2.  ?3 and ?4 are the coordinators
 * and the cases with an assignment running at ?2, counted in one pass over
 * those assignments (running_at_end), not each with a set of its own; ?5
 * the changes of coordinator, counted in the pass over the appointments
 * that the median needs too (appointments_in). */
/* clang-format off */
static const struct {
    const char *section, *metrics[SEMIANNUAL_METRICS], *sql;
} semiannual_counts[] = {
    {"referrals", {"received", "by_source.bti", "by_source.plo", "by_source.application"},
     "SELECT count(*), " COUNT_IF("source = 'bti'") ", " COUNT_IF("source = 'plo'") ", "
     COUNT_IF("source = 'application'") " FROM referral WHERE received BETWEEN ?1 AND ?2"},
    {"decisions", {"made", "by_outcome.granted", "by_outcome.denied"},
     "SELECT count(*), " COUNT_IF("outcome = 'granted'") ", " COUNT_IF("outcome = 'denied'")
     " FROM decision WHERE decided BETWEEN ?1 AND ?2 AND voided IS NULL"},
    {"decisions", {"by_item.coordinator.granted", "by_item.coordinator.denied",
                   "by_item.ip.granted", "by_item.ip.denied",
                   "by_item.child.granted", "by_item.child.denied"},
     "SELECT " BY_ITEM("coordinator", "granted") ", " BY_ITEM("coordinator", "denied") ", "
     BY_ITEM("ip", "granted") ", " BY_ITEM("ip", "denied") ", "
     BY_ITEM("child", "granted") ", " BY_ITEM("child", "denied")
     " FROM " PERIOD_DECISIONS("id, outcome", "id") " CROSS JOIN decision_item i"
     " ON i.decision_id = d.id"},
    {"coordinators", {"running", "appointed", "changed", "stand_ins"},
     "SELECT ?3, " COUNT_IF("NOT temporary") ", ?5, " COUNT_IF("temporary")
     " FROM assignment WHERE start BETWEEN ?1 AND ?2"},
    {"cases", {"active"}, "SELECT ?4"},
    {"plans", {"started"}, "SELECT count(*) FROM plan WHERE started BETWEEN ?1 AND ?2"},
    {"plans", {"adopted"}, "SELECT count(*) FROM plan WHERE adopted BETWEEN ?1 AND ?2"},
    {"plans", {"evaluated"}, "SELECT count(*) FROM evaluation WHERE evaluated BETWEEN ?1 AND ?2"},
    {"plans", {"overdue"},
     "SELECT count(*) FROM plan p WHERE p.adopted <= ?2 AND (p.ended IS NULL OR p.ended > ?2)"
     " AND coalesce((SELECT e.next_evaluation FROM evaluation e WHERE e.plan_id = p.id"
     "  AND e.evaluated <= ?2 ORDER BY e.evaluated DESC, e.id DESC LIMIT 1),"
     "  p.first_evaluation) < ?2 AND ?1 IS NOT NULL"},
    {"preliminary_replies", {"sent"},
     "SELECT count(*) FROM preliminary_reply WHERE sent BETWEEN ?1 AND ?2"},
    {"appeals", {"received"}, "SELECT count(*) FROM appeal WHERE received BETWEEN ?1 AND ?2"},
    {"appeals", {"forwarded"}, "SELECT count(*) FROM appeal WHERE forwarded BETWEEN ?1 AND ?2"},
    {"appeals", {"reversed", "upheld", "quashed"},
     "SELECT " COUNT_IF("result = 'reversed'") ", " COUNT_IF("result = 'upheld'") ", "
     COUNT_IF("result = 'quashed'") " FROM appeal WHERE result_date BETWEEN ?1 AND ?2"},
    {"escalations", {"received"},
     "SELECT count(*) FROM escalation WHERE escalated BETWEEN ?1 AND ?2"},
    {"gatherings", {"held", "by_kind.samling", "by_kind.fagdag", "by_kind.training",
                    "by_kind.guidance"},
     "SELECT count(*), " BY_KINDS " FROM gathering g WHERE g.held BETWEEN ?1 AND ?2"},
    {"gatherings", {"attendances_by_kind.samling", "attendances_by_kind.fagdag",
                    "attendances_by_kind.training", "attendances_by_kind.guidance",
                    "attendances", "coordinators_attended"},
     "SELECT " BY_KINDS ", count(*), count(DISTINCT t.coordinator_id)"
     " FROM attendance t JOIN gathering g ON g.id = t.gathering_id"
     " WHERE g.held BETWEEN ?1 AND ?2"},
};
/* clang-format on */
#undef BY_KINDS
#undef BY_KIND
#undef BY_ITEM
#undef COUNT_IF

/* The days from receipt to decision of the decisions made in the period,
 * in no order (a histogram orders them): decision first, by its date (the
 * planner would scan every request), in the order of their cases; its
 * items' first referral by a subquery, not a join grouped and so sorted by
 * decision; NULL, and so no value, when none was requested. */
/* clang-format off */
static const char received_to_decided_sql[] =
    "SELECT " DAYS("d.decided") " - (SELECT " DAYS("min(r.received)") " FROM decision_item i"
    " CROSS JOIN request q ON q.case_id = d.case_id AND q.item = i.item"
    " CROSS JOIN referral r ON r.id = q.referral_id WHERE i.decision_id = d.id)"
    " FROM " PERIOD_DECISIONS("id, case_id, decided", "case_id");
/* clang-format on */

/* The distinct values of a stream of integers, in order, each with how
 * often it came: held in memory that grows with the distinct values, not
 * the rows (day counts are few, and so are coordinators). */
struct histogram {
    struct histogram_bin *v;
    size_t n, cap;
    long long total;
};

/* A value of a histogram and how often it came. */
struct histogram_bin {
    long long value, count;
};

/* Count x once more in t; -1 when out of memory. */
static int histogram_add(struct histogram *t, long long x)
{
    size_t lo = 0, hi = t->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (t->v[mid].value < x)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == t->n || t->v[lo].value != x) {
        if (t->n == t->cap) {
            struct histogram_bin *more =
                realloc(t->v, (t->cap = t->cap ? 2 * t->cap : 64) * sizeof *more);
            if (!more)
                return -1;
            t->v = more;
        }
        memmove(t->v + lo + 1, t->v + lo, (t->n - lo) * sizeof *t->v);
        t->v[lo] = (struct histogram_bin){x, 0};
        t->n++;
    }
    t->v[lo].count++;
    t->total++;
    return 0;
}

/* The k-th value of t in order, counting from 0 (k < t->total). */
static long long histogram_nth(const struct histogram *t, long long k)
{
    size_t i = 0;
    while (k >= t->v[i].count)
        k -= t->v[i++].count;
    return t->v[i].value;
}

/* The median of t's values, or null when there are none (as median_json
 * gives it over the values sorted). */
static cJSON *histogram_median(const struct histogram *t)
{
    long long n = t->total;
    if (n == 0)
        return cJSON_CreateNull();
    return cJSON_CreateNumber(n % 2 ? (double)histogram_nth(t, n / 2)
                                    : (histogram_nth(t, n / 2 - 1) + histogram_nth(t, n / 2)) / 2.0);
}

/* Step sql, bound to the period, handing each row to row(st, arg), which
 * returns non-zero (with the error set) to stop. */
static int each_row(struct bti_db *db, const char *sql, const struct bti_period *p,
                    int (*row)(sqlite3_stmt *st, void *arg), void *arg)
{
    sqlite3_stmt *st = db_stmt(db, sql);
    int rc = st ? db_bind(db, st, "dd", p->from, p->to) : bti_error_code(), step = SQLITE_DONE;
    while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW)
        rc = row(st, arg);
    if (st)
        sqlite3_reset(st);
    if (rc == 0 && step != SQLITE_DONE)
        rc = db_fail(db, step, _("cannot read the database"));
    return rc;
}

/* Count column col of st's row in histogram t (a NULL is no value). */
static int histogram_column(struct histogram *t, sqlite3_stmt *st, int col)
{
    if (sqlite3_column_type(st, col) == SQLITE_NULL ||
        histogram_add(t, sqlite3_column_int64(st, col)) == 0)
        return 0;
    return bti_error_set(BTI_EDB, _("out of memory"));
}

/* each_row's row for a histogram of the first column. */
static int histogram_row(sqlite3_stmt *st, void *t)
{
    return histogram_column(t, st, 0);
}

/* The median of the day counts sql gives for the period. */
static int median_of(struct bti_db *db, const char *sql, const struct bti_period *p, cJSON **out)
{
    struct histogram t = {0};
    int rc = each_row(db, sql, p, histogram_row, &t);
    *out = rc ? NULL : histogram_median(&t);
    free(t.v);
    return rc;
}

/* The assignments running at the period's end: how many each coordinator
 * holds, and the cases they belong to, each counted once (a set of their
 * ids: one bit a case, not a row of a set of them). */
struct running {
    struct histogram coordinators;
    long long cases;
    struct idset seen;
};

/* each_row's row for running_at_end: coordinator_id, case_id. */
static int running_row(sqlite3_stmt *st, void *arg)
{
    struct running *r = arg;
    int added = idset_add(&r->seen, sqlite3_column_int64(st, 1));
    if (added < 0) /* a case id beyond the set's bound: none bti makes */
        return bti_error_set(BTI_EDB, _("out of memory"));
    r->cases += added;
    return histogram_column(&r->coordinators, st, 0);
}

/* Count the assignments running at the period's end into *r in one pass. */
static int running_at_end(struct bti_db *db, const struct bti_period *p, struct running *r)
{
    static const char sql[] = RUNNING_AT_END("coordinator_id, case_id");
    int rc = each_row(db, sql, p, running_row, r);
    idset_free(&r->seen);
    return rc;
}

/* The regular appointments made in the period: the changes of coordinator
 * among them, and the days from decision to coordinator of the others,
 * the first of each case and kind. */
struct appointments {
    long long changed;
    struct histogram first_days;
};

/* each_row's row for appointments_in: days, whether a change. */
static int appointment_row(sqlite3_stmt *st, void *arg)
{
    struct appointments *a = arg;
    if (!sqlite3_column_int(st, 1))
        return histogram_column(&a->first_days, st, 0);
    a->changed++;
    return 0;
}

/* Sort the regular appointments made in the period into *a in one pass,
 * each one's earlier appointments looked up once. */
static int appointments_in(struct bti_db *db, const struct bti_period *p, struct appointments *a)
{
    /* clang-format off */
    static const char sql[] =
        "SELECT " DAYS("a.start") " - " DAYS("a.granted_on") ", " LATER_APPOINTMENT("a")
        " FROM assignment a WHERE a.start BETWEEN ?1 AND ?2 AND NOT a.temporary";
    /* clang-format on */
    return each_row(db, sql, p, appointment_row, a);
}

/* The object at dotted path inside root, created as needed; *leaf gets
 * the last name. */
static cJSON *path_parent(cJSON *root, const char *path, char *leaf, size_t size)
{
    const char *dot;
    while ((dot = strchr(path, '.')) != NULL) {
        char name[64];
        snprintf(name, sizeof name, "%.*s", (int)(dot - path), path);
        cJSON *child = cJSON_GetObjectItem(root, name);
        root = child ? child : cJSON_AddObjectToObject(root, name);
        path = dot + 1;
    }
    snprintf(leaf, size, "%s", path);
    return root;
}

/* Set section.metric in report to item (taken). */
static void put(cJSON *report, const char *section, const char *metric, cJSON *item)
{
    char leaf[64];
    cJSON *sec = cJSON_GetObjectItem(report, section);
    if (!sec)
        sec = cJSON_AddObjectToObject(report, section);
    cJSON_AddItemToObject(path_parent(sec, metric, leaf, sizeof leaf), leaf, item);
}

/* The concentration section of report coordinators, from the running
 * assignments' histogram by coordinator (the same figures as report
 * coordinators' rows give, without its other columns and sort); NULL when
 * out of memory. */
static cJSON *running_concentration(const struct histogram *t, int public)
{
    long long *running = t->n ? malloc(t->n * sizeof *running) : NULL;
    if (t->n && !running)
        return NULL;
    for (size_t i = 0; i < t->n; i++)
        running[i] = t->v[i].count;
    cJSON *o = concentration(running, t->n, public);
    free(running);
    return o;
}

/* The figures of the semiannual report that need a pass of their own:
 * the running assignments and the appointments. */
struct passes {
    struct running running;
    struct appointments appointments;
};

/* Put the figures that counting query i gives for the period into report. */
static int put_counts(struct bti_db *db, size_t i, const struct bti_period *p,
                      const struct passes *f, int public, cJSON *report)
{
    sqlite3_stmt *st = db_stmt(db, semiannual_counts[i].sql);
    int rc = st ? db_bind(db, st, "ddiii", p->from, p->to, (long long)f->running.coordinators.n,
                          f->running.cases, f->appointments.changed)
                : bti_error_code();
    if (rc)
        return rc;
    int step = sqlite3_step(st);
    for (int c = 0; step == SQLITE_ROW && c < SEMIANNUAL_METRICS && semiannual_counts[i].metrics[c];
         c++)
        put(report, semiannual_counts[i].section, semiannual_counts[i].metrics[c],
            count_json(sqlite3_column_int64(st, c), public));
    sqlite3_reset(st);
    return step == SQLITE_ROW ? 0 : db_fail(db, step, _("cannot read the database"));
}

/* Fill report with the figures of the period (f: the passes made). */
static int semiannual_figures(struct bti_db *db, const struct bti_period *p, const struct passes *f,
                              int public, cJSON *report)
{
    cJSON *median, *conc;
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < sizeof semiannual_counts / sizeof semiannual_counts[0]; i++)
        rc = put_counts(db, i, p, f, public, report);
    if (rc == 0)
        rc = median_of(db, received_to_decided_sql, p, &median);
    if (rc)
        return rc;
    put(report, "median_days", "received_to_decided", median);
    put(report, "median_days", "decided_to_coordinator", histogram_median(&f->appointments.first_days));
    /* the caseload concentration of report coordinators (issue 16) */
    if (!(conc = running_concentration(&f->running.coordinators, public)))
        return bti_error_set(BTI_EDB, _("out of memory"));
    cJSON_AddItemToObject(report, "concentration", conc);
    return 0;
}

int bti_report_semiannual(struct bti_db *db, const struct bti_period *p, int public, cJSON **out)
{
    cJSON *report = cJSON_CreateObject();
    struct passes f = {0};
    int rc = running_at_end(db, p, &f.running);
    if (rc == 0)
        rc = appointments_in(db, p, &f.appointments);
    cJSON_AddItemToObject(report, "period", period_json(p));
    if (rc == 0)
        rc = semiannual_figures(db, p, &f, public, report);
    free(f.running.coordinators.v);
    free(f.appointments.first_days.v);
    if (rc) {
        cJSON_Delete(report);
        return rc;
    }
    *out = report;
    return 0;
}
