/* Reports: overview, decisions, coordinators, semiannual and the due list. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bti/report.h"
#include "internal.h"

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
        return bti_error_set(BTI_EINVAL, "invalid value for --period: expected YYYYH1, YYYYH2 "
                                         "or YYYY");
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
    {"case_id", BTI_T_INT}, {"kind", BTI_T_TEXT}, {"since", BTI_T_DATE},
    {"due", BTI_T_DATE},    {"action", BTI_T_TEXT},
};
const struct bti_cols bti_due_cols = BTI_COLS(due_cols);

/* Each arm of the due list gives case_id, kind, since, due, action, and
 * the unit and coordinator it concerns (for --unit and --coordinator).
 * ?1 is today, ?2 the retention period in years. */
#define OPEN_CASE "c.status <> 'closed'"
#define RUNNING_COORDINATOR(case_id)                                                               \
    "(SELECT coordinator_id FROM assignment WHERE case_id = " case_id " AND end IS NULL"           \
    " ORDER BY kind = 'child', id LIMIT 1)"

/* clang-format off */
static const char due_sql[] =
    "SELECT case_id, kind, since, due, action FROM ("
    /* a requested item undecided a month after it was received */
    " SELECT c.id AS case_id, 'preliminary_reply' AS kind, min(r.received) AS since,"
    "  bti_add_months(min(r.received), 1) AS due, 'bti ke reply ' || c.id AS action,"
    "  c.unit_id AS unit_id, " RUNNING_COORDINATOR("c.id") " AS coordinator_id"
    " FROM ke_case c JOIN request q ON q.case_id = c.id JOIN referral r ON r.id = q.referral_id"
    " WHERE " OPEN_CASE " AND NOT EXISTS (SELECT 1 FROM standing_item s"
    "  WHERE s.case_id = c.id AND s.item = q.item)"
    " AND NOT EXISTS (SELECT 1 FROM preliminary_reply p WHERE p.case_id = c.id)"
    " GROUP BY c.id HAVING bti_add_months(min(r.received), 1) <= ?1"
    /* a decision not yet notified */
    " UNION ALL SELECT c.id, 'not_notified', d.decided, d.decided,"
    "  'bti ke notify ' || c.id || ' --decision ' || d.id || ' --date DATE', c.unit_id, "
    RUNNING_COORDINATOR("c.id")
    " FROM decision d JOIN ke_case c ON c.id = d.case_id"
    " WHERE " OPEN_CASE " AND d.voided IS NULL AND d.notified IS NULL"
    /* a granted coordinator or barnekoordinator without one running */
    " UNION ALL SELECT c.id, 'no_coordinator', s.on_date, s.on_date,"
    "  'bti coordinator assign ' || c.id || ' --coordinator C'"
    "  || CASE s.item WHEN 'child' THEN ' --child' ELSE '' END, c.unit_id, NULL"
    " FROM standing_item s JOIN ke_case c ON c.id = s.case_id"
    " WHERE " OPEN_CASE " AND s.outcome = 'granted' AND s.item IN ('coordinator', 'child')"
    " AND NOT EXISTS (SELECT 1 FROM assignment a WHERE a.case_id = c.id AND a.kind = s.item"
    "  AND a.end IS NULL)"
    /* an appointment not reported to the KE, or not registered in the EHR */
    " UNION ALL SELECT a.case_id, 'not_reported', a.start, a.start,"
    "  'bti coordinator confirm ' || a.case_id"
    "  || CASE a.kind WHEN 'child' THEN ' --child' ELSE '' END, c.unit_id, a.coordinator_id"
    " FROM assignment a JOIN ke_case c ON c.id = a.case_id"
    " WHERE a.end IS NULL AND a.reported IS NULL"
    " UNION ALL SELECT a.case_id, 'not_registered', a.start, a.start,"
    "  'bti coordinator register ' || a.case_id"
    "  || CASE a.kind WHEN 'child' THEN ' --child' ELSE '' END || ' --date DATE',"
    "  c.unit_id, a.coordinator_id"
    " FROM assignment a JOIN ke_case c ON c.id = a.case_id"
    " WHERE a.end IS NULL AND a.ehr_registered IS NULL AND NOT a.own_system"
    /* a review whose journal note is not yet recorded */
    " UNION ALL SELECT r.case_id, 'no_journal_note', m.held, m.held,"
    "  'bti ke journal ' || r.id || ' --date DATE', c.unit_id, " RUNNING_COORDINATOR("c.id")
    " FROM review r JOIN ke_meeting m ON m.id = r.meeting_id JOIN ke_case c ON c.id = r.case_id"
    " WHERE r.journal IS NULL"
    /* a denied case whose appeal deadlines have all passed: to close */
    " UNION ALL SELECT c.id, 'appeal_deadline_passed', max(d.appeal_deadline),"
    "  max(d.appeal_deadline), 'bti case close ' || c.id || ' --cause denied', c.unit_id, NULL"
    " FROM ke_case c JOIN decision d ON d.case_id = c.id"
    " WHERE c.status = 'denied' AND d.voided IS NULL AND d.outcome = 'denied'"
    " GROUP BY c.id HAVING count(d.appeal_deadline) = count(*) AND max(d.appeal_deadline) < ?1"
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
    " WHERE p.status = 'active' AND p.next_evaluation < ?1"
    " UNION ALL SELECT p.case_id, 'plan_paused', coalesce((SELECT max(withdrawn) FROM consent"
    "  WHERE case_id = p.case_id AND scope = 'plan'), p.started), ?1,"
    "  'bti consent give ' || p.case_id || ' --scope plan --by user --parties PARTIES',"
    "  c.unit_id, " RUNNING_COORDINATOR("c.id")
    " FROM plan p JOIN ke_case c ON c.id = p.case_id WHERE p.status = 'paused'"
    /* group meetings without minutes */
    " UNION ALL SELECT g.case_id, 'minutes_missing', g.held, g.held,"
    "  'bti group minutes ' || g.case_id || ' ' || g.id || ' --minutes REF', c.unit_id, g.led_by"
    " FROM group_meeting g JOIN ke_case c ON c.id = g.case_id WHERE g.minutes IS NULL"
    /* a barnekoordinator whose child has turned 18 */
    " UNION ALL SELECT a.case_id, 'child_turned_18', bti_add_months(p.born, 216),"
    "  bti_add_months(p.born, 216),"
    "  'bti case unit ' || a.case_id || ' --unit UNIT --reason TEXT', c.unit_id, a.coordinator_id"
    " FROM assignment a JOIN ke_case c ON c.id = a.case_id JOIN person p ON p.id = c.person_id"
    " WHERE a.end IS NULL AND a.kind = 'child' AND NOT p.expected"
    " AND bti_add_months(p.born, 216) <= ?1"
    /* a guardian's consent for a user who has turned 16 */
    " UNION ALL SELECT k.case_id, 'guardian_consent_16', bti_add_months(p.born, 192),"
    "  bti_add_months(p.born, 192), 'bti consent give ' || k.case_id || ' --scope ' || k.scope"
    "  || ' --by user --parties ' || k.parties, c.unit_id, " RUNNING_COORDINATOR("c.id")
    " FROM consent k JOIN ke_case c ON c.id = k.case_id JOIN person p ON p.id = c.person_id"
    " WHERE " OPEN_CASE " AND k.withdrawn IS NULL AND k.given_by = 'guardian'"
    " AND NOT p.expected AND bti_add_months(p.born, 192) <= ?1"
    /* coordinators with a running assignment and no gathering in twelve months */
    " UNION ALL SELECT NULL, 'coordinator_no_gathering',"
    "  coalesce(bti_add_months((SELECT max(g.held) FROM attendance t JOIN gathering g"
    "   ON g.id = t.gathering_id WHERE t.coordinator_id = k.id), 12),"
    "   (SELECT min(start) FROM assignment WHERE coordinator_id = k.id AND end IS NULL)), ?1,"
    "  'bti gathering attend GATHERING --coordinator ' || k.id, k.unit_id, k.id"
    " FROM coordinator k WHERE k.active"
    " AND EXISTS (SELECT 1 FROM assignment a WHERE a.coordinator_id = k.id AND a.end IS NULL)"
    " AND NOT EXISTS (SELECT 1 FROM attendance t JOIN gathering g ON g.id = t.gathering_id"
    "  WHERE t.coordinator_id = k.id AND g.held > bti_add_months(?1, -12) AND g.held <= ?1)"
    /* the handbook not updated in twelve months */
    " UNION ALL SELECT NULL, 'handbook_stale', bti_add_months(max(updated), 12), ?1,"
    "  'bti ke handbook --note TEXT', NULL, NULL FROM handbook"
    " HAVING max(updated) IS NULL OR bti_add_months(max(updated), 12) <= ?1"
    /* closed cases kept past the retention period */
    " UNION ALL SELECT c.id, 'retention_passed', bti_add_months(c.closed, 12 * ?2),"
    "  bti_add_months(c.closed, 12 * ?2), 'bti person erase ' || c.person_id || ' --reason TEXT',"
    "  c.unit_id, NULL FROM ke_case c"
    " WHERE c.status = 'closed' AND bti_add_months(c.closed, 12 * ?2) <= ?1"
    ") WHERE (?3 = 0 OR unit_id = ?3) AND (?4 = 0 OR coordinator_id = ?4)"
    " ORDER BY due IS NULL, due, case_id IS NULL, case_id, kind";
/* clang-format on */

int bti_report_due(struct bti_db *db, const struct bti_due_filter *f, bti_row_fn fn, void *arg)
{
    sqlite3_stmt *st = db_stmt(db, due_sql);
    if (!st || db_bind(db, st, "diii", db->ctx.today, (long long)f->retention_years, f->unit_id,
                       f->coordinator_id))
        return bti_error_code();
    return db_rows(db, st, due_cols, bti_due_cols.n, fn, arg, NULL);
}

static const struct bti_col overview_cols[] = {
    {"case_id", BTI_T_INT},         {"person", BTI_T_TEXT},       {"nin", BTI_T_NIN},
    {"status", BTI_T_TEXT},         {"unit_id", BTI_T_INT},       {"unit", BTI_T_TEXT},
    {"coordinator_id", BTI_T_INT},  {"coordinator", BTI_T_TEXT},  {"child_coordinator_id", BTI_T_INT},
    {"child_coordinator", BTI_T_TEXT}, {"plan_status", BTI_T_TEXT}, {"next_evaluation", BTI_T_DATE},
};
const struct bti_cols bti_overview_cols = BTI_COLS(overview_cols);

int bti_report_overview(struct bti_db *db, bti_row_fn fn, void *arg)
{
    /* clang-format off */
    static const char sql[] =
        "SELECT c.id, CASE WHEN ?1 THEN p.name ELSE CAST(c.id AS TEXT) END,"
        " CASE WHEN ?1 THEN p.nin END, c.status, c.unit_id, u.name,"
        " a.coordinator_id, k.name, b.coordinator_id, kb.name, pl.status, pl.next_evaluation"
        " FROM ke_case c JOIN person p ON p.id = c.person_id"
        " LEFT JOIN unit u ON u.id = c.unit_id"
        " LEFT JOIN assignment a ON a.case_id = c.id AND a.kind = 'coordinator' AND a.end IS NULL"
        " LEFT JOIN coordinator k ON k.id = a.coordinator_id"
        " LEFT JOIN assignment b ON b.case_id = c.id AND b.kind = 'child' AND b.end IS NULL"
        " LEFT JOIN coordinator kb ON kb.id = b.coordinator_id"
        " LEFT JOIN plan pl ON pl.case_id = c.id"
        " WHERE c.status <> 'closed' ORDER BY c.id";
    /* clang-format on */
    sqlite3_stmt *st = db_stmt(db, sql);
    if (!st || db_bind(db, st, "b", db->ctx.identify))
        return bti_error_code();
    if (db->ctx.identify)
        return db_rows_logged(db, st, &bti_overview_cols, fn, arg, "ke_case");
    return db_rows(db, st, overview_cols, bti_overview_cols.n, fn, arg, NULL);
}

static const struct bti_col decisions_cols[] = {
    {"decision_id", BTI_T_INT}, {"case_id", BTI_T_INT},     {"items", BTI_T_TEXT},
    {"outcome", BTI_T_TEXT},    {"basis", BTI_T_TEXT},      {"received", BTI_T_DATE},
    {"decided", BTI_T_DATE},    {"days", BTI_T_INT},        {"notified", BTI_T_DATE},
    {"appeal_deadline", BTI_T_DATE}, {"appealed", BTI_T_DATE}, {"appeal_result", BTI_T_TEXT},
    {"voided", BTI_T_DATE},
};
const struct bti_cols bti_decisions_cols = BTI_COLS(decisions_cols);

/* The day number of an ISO date in SQL, for differences in days. */
#define DAYS(x) "CAST(julianday(" x ") AS INTEGER)"

int bti_report_decisions(struct bti_db *db, const struct bti_period *p, bti_row_fn fn,
                         void *arg)
{
    /* clang-format off */
    static const char sql[] =
        "SELECT d.id, d.case_id,"
        " (SELECT group_concat(item, ',') FROM (SELECT item FROM decision_item"
        "  WHERE decision_id = d.id ORDER BY id)), d.outcome, d.basis, r.received, d.decided,"
        " " DAYS("d.decided") " - " DAYS("r.received") ", d.notified, d.appeal_deadline,"
        " a.received, a.result, d.voided"
        " FROM decision d JOIN referral r ON r.id = (SELECT min(q.referral_id) FROM request q"
        "  JOIN decision_item i ON i.item = q.item WHERE q.case_id = d.case_id"
        "  AND i.decision_id = d.id)"
        " LEFT JOIN appeal a ON a.decision_id = d.id"
        " WHERE d.decided BETWEEN ?1 AND ?2 ORDER BY d.id";
    /* clang-format on */
    sqlite3_stmt *st = db_stmt(db, sql);
    if (!st || db_bind(db, st, "dd", p->from, p->to))
        return bti_error_code();
    return db_rows(db, st, decisions_cols, bti_decisions_cols.n, fn, arg, NULL);
}
