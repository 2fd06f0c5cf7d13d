/*
 * The schema, as numbered migrations keyed on PRAGMA user_version (SPEC
 * section 2).  Opening an older database runs the missing migrations inside
 * one transaction; a newer one is refused.
 */
#include <stdio.h>
#include "store/store.h"
#include "store/schema.h"
#include "store/checks.h"
#include "base/intl.h"
#include "store/caches.h"

/* Migration N takes user_version N-1 to N.  Append; never edit a released one. */
/* One migration: its SQL (or NULL); whether an export made before it
 * restores after it: 1 when every table keeps its columns (an index, a
 * view or a CHECK), 2 when it only adds tables, or columns that are
 * nullable or have a default (the older rows read as null or that default,
 * the new tables start empty), 0 otherwise; and a step in C run after the
 * SQL (or NULL), for a change no fixed SQL text can make. */
struct migration {
    const char *sql;
    int keeps_rows;
    int (*step)(struct bti_db *db);
};

/* Migration 18's triggers (issue 19): the row of request_standing of the
 * request NEW, by the query the cache is rebuilt and checked with; and the
 * statement by which a case's items stand anew when a decision, its items
 * or its appeal change. */
#define STANDING_OF_NEW CACHES_REQUEST_STANDING " WHERE q.id = NEW.id;"
#define RESTAND(case_id)                                                                           \
    " UPDATE request_standing SET (outcome, on_date) = (SELECT s.outcome, s.on_date"               \
    "  FROM standing_item s WHERE s.case_id = request_standing.case_id"                            \
    "  AND s.item = request_standing.item) WHERE case_id = " case_id ";"
#define CASE_OF(row) "(SELECT case_id FROM decision WHERE id = " row ".decision_id)"

/* A migration without a step leaves the field out: {"sql", 1}. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
static const struct migration migrations[] = {
    /* 1: users, units, persons, cases, referrals and requests; the audit and access log. */
    {"CREATE TABLE user ("
     "  id INTEGER PRIMARY KEY,"
     "  login TEXT NOT NULL UNIQUE,"
     "  role TEXT NOT NULL CHECK (role IN ('admin', 'caseworker', 'report')),"
     "  added TEXT NOT NULL,"
     "  retired TEXT"
     ") STRICT;"
     "CREATE TABLE unit ("
     "  id INTEGER PRIMARY KEY,"
     "  name TEXT NOT NULL UNIQUE"
     ") STRICT;"
     "CREATE TABLE person ("
     "  id INTEGER PRIMARY KEY,"
     "  name TEXT NOT NULL,"
     "  born TEXT,"
     "  expected INTEGER NOT NULL DEFAULT 0 CHECK (expected IN (0, 1)),"
     "  nin TEXT UNIQUE"
     ") STRICT;"
     "CREATE INDEX person_name_born ON person(name, born);"
     "CREATE TABLE relative ("
     "  id INTEGER PRIMARY KEY,"
     "  person_id INTEGER NOT NULL REFERENCES person(id),"
     "  name TEXT NOT NULL,"
     "  relation TEXT NOT NULL,"
     "  may_consent INTEGER NOT NULL DEFAULT 0 CHECK (may_consent IN (0, 1))"
     ") STRICT;"
     "CREATE INDEX relative_person ON relative(person_id);"
     /* A case's source, referrer and received date are its first referral's. */
     "CREATE TABLE ke_case ("
     "  id INTEGER PRIMARY KEY,"
     "  person_id INTEGER NOT NULL REFERENCES person(id),"
     "  status TEXT NOT NULL CHECK (status IN ('received', 'review', 'granted', 'denied',"
     "    'appealed', 'active', 'closed')),"
     "  unit_id INTEGER REFERENCES unit(id),"
     "  closed TEXT,"
     "  close_cause TEXT CHECK (close_cause IN ('need-ended', 'declined', 'denied', 'moved',"
     "    'deceased', 'other')),"
     "  previous_case_id INTEGER REFERENCES ke_case(id)"
     ") STRICT;"
     "CREATE UNIQUE INDEX ke_case_one_open ON ke_case(person_id) WHERE status <> 'closed';"
     "CREATE INDEX ke_case_person ON ke_case(person_id);"
     "CREATE INDEX ke_case_status ON ke_case(status);"
     "CREATE INDEX ke_case_unit ON ke_case(unit_id);"
     "CREATE TABLE referral ("
     "  id INTEGER PRIMARY KEY,"
     "  case_id INTEGER NOT NULL REFERENCES ke_case(id),"
     "  source TEXT NOT NULL CHECK (source IN ('bti', 'plo', 'application')),"
     "  referrer TEXT,"
     "  received TEXT NOT NULL"
     ") STRICT;"
     "CREATE INDEX referral_case ON referral(case_id);"
     "CREATE INDEX referral_received ON referral(received);"
     "CREATE TABLE request ("
     "  id INTEGER PRIMARY KEY,"
     "  case_id INTEGER NOT NULL REFERENCES ke_case(id),"
     "  referral_id INTEGER NOT NULL REFERENCES referral(id),"
     "  item TEXT NOT NULL CHECK (item IN ('coordinator', 'ip', 'child'))"
     ") STRICT;"
     "CREATE INDEX request_case ON request(case_id);"
     "CREATE INDEX request_referral ON request(referral_id);"
     "CREATE TABLE audit ("
     "  id INTEGER PRIMARY KEY,"
     "  at TEXT NOT NULL,"
     "  login TEXT NOT NULL,"
     "  actor TEXT,"
     "  command TEXT NOT NULL,"
     "  entity TEXT NOT NULL,"
     "  entity_id INTEGER,"
     "  today TEXT,"
     "  change TEXT,"
     "  salt BLOB,"
     "  digest BLOB NOT NULL,"
     "  hash BLOB NOT NULL"
     ") STRICT;"
     "CREATE INDEX audit_entity ON audit(entity, entity_id);"
     /* INSERT OR REPLACE deletes without firing delete triggers: refuse it */
     "CREATE TRIGGER audit_no_replace BEFORE INSERT ON audit"
     " WHEN EXISTS (SELECT 1 FROM audit WHERE id = NEW.id)"
     " BEGIN SELECT RAISE(ABORT, 'the audit is append-only'); END;"
     "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit"
     " BEGIN SELECT RAISE(ABORT, 'the audit is append-only'); END;"
     /* The one update allowed: erasing a change's JSON and salt, all else kept. */
     "CREATE TRIGGER audit_only_erase BEFORE UPDATE ON audit"
     " WHEN NOT (NEW.change IS NULL AND NEW.salt IS NULL AND NEW.id = OLD.id"
     "  AND NEW.at = OLD.at AND NEW.login = OLD.login AND NEW.actor IS OLD.actor"
     "  AND NEW.command = OLD.command AND NEW.entity = OLD.entity"
     "  AND NEW.entity_id IS OLD.entity_id AND NEW.today IS OLD.today"
     "  AND NEW.digest = OLD.digest AND NEW.hash = OLD.hash)"
     " BEGIN SELECT RAISE(ABORT, 'the audit is append-only'); END;"
     "CREATE TABLE access ("
     "  id INTEGER PRIMARY KEY,"
     "  at TEXT NOT NULL,"
     "  login TEXT NOT NULL,"
     "  actor TEXT,"
     "  command TEXT NOT NULL,"
     "  entity TEXT NOT NULL,"
     "  what TEXT,"
     "  rows INTEGER NOT NULL,"
     "  identify INTEGER NOT NULL DEFAULT 0 CHECK (identify IN (0, 1))"
     ") STRICT;"
     "CREATE INDEX access_entity ON access(entity, what);"
     "CREATE TRIGGER access_no_replace BEFORE INSERT ON access"
     " WHEN EXISTS (SELECT 1 FROM access WHERE id = NEW.id)"
     " BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END;"
     "CREATE TRIGGER access_no_delete BEFORE DELETE ON access"
     " BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END;"
     "CREATE TRIGGER access_no_update BEFORE UPDATE ON access"
     " BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END;",
     0},

    /* 2: the lifecycle: closures, unit changes, consent, the KE's members,
     * meetings and reviews, decisions, preliminary replies and appeals. */
    {"CREATE TABLE closure ("
     "  id INTEGER PRIMARY KEY,"
     "  case_id INTEGER NOT NULL REFERENCES ke_case(id),"
     "  closed TEXT NOT NULL,"
     "  cause TEXT NOT NULL CHECK (cause IN ('need-ended', 'declined', 'denied', 'moved',"
     "    'deceased', 'other')),"
     "  status_before TEXT NOT NULL,"
     "  reopened TEXT,"
     "  reopen_reason TEXT"
     ") STRICT;"
     "CREATE INDEX closure_case ON closure(case_id);"
     "CREATE TABLE unit_change ("
     "  id INTEGER PRIMARY KEY,"
     "  case_id INTEGER NOT NULL REFERENCES ke_case(id),"
     "  changed TEXT NOT NULL,"
     "  from_unit_id INTEGER REFERENCES unit(id),"
     "  unit_id INTEGER NOT NULL REFERENCES unit(id),"
     "  reason TEXT NOT NULL"
     ") STRICT;"
     "CREATE INDEX unit_change_case ON unit_change(case_id);"
     "CREATE TABLE consent ("
     "  id INTEGER PRIMARY KEY,"
     "  case_id INTEGER NOT NULL REFERENCES ke_case(id),"
     "  scope TEXT NOT NULL CHECK (scope IN ('plan', 'exchange')),"
     "  given_by TEXT NOT NULL CHECK (given_by IN ('user', 'guardian', 'representative')),"
     "  relative_id INTEGER REFERENCES relative(id),"
     "  parties TEXT NOT NULL,"
     "  given TEXT NOT NULL,"
     "  withdrawn TEXT"
     ") STRICT;"
     "CREATE INDEX consent_case ON consent(case_id, scope);"
     "CREATE TABLE ke_member ("
     "  id INTEGER PRIMARY KEY,"
     "  name TEXT NOT NULL,"
     "  role TEXT NOT NULL,"
     "  case_reviews INTEGER NOT NULL DEFAULT 1 CHECK (case_reviews IN (0, 1))"
     ") STRICT;"
     "CREATE TABLE ke_meeting ("
     "  id INTEGER PRIMARY KEY,"
     "  held TEXT NOT NULL"
     ") STRICT;"
     "CREATE TABLE ke_attendance ("
     "  id INTEGER PRIMARY KEY,"
     "  meeting_id INTEGER NOT NULL REFERENCES ke_meeting(id),"
     "  member_id INTEGER NOT NULL REFERENCES ke_member(id),"
     "  UNIQUE (meeting_id, member_id)"
     ") STRICT;"
     "CREATE TABLE review ("
     "  id INTEGER PRIMARY KEY,"
     "  case_id INTEGER NOT NULL REFERENCES ke_case(id),"
     "  meeting_id INTEGER NOT NULL REFERENCES ke_meeting(id),"
     "  anonymous INTEGER NOT NULL CHECK (anonymous IN (0, 1)),"
     "  conclusion TEXT NOT NULL,"
     "  journal TEXT"
     ") STRICT;"
     "CREATE INDEX review_case ON review(case_id);"
     "CREATE INDEX review_meeting ON review(meeting_id);"
     "CREATE TABLE decision ("
     "  id INTEGER PRIMARY KEY,"
     "  case_id INTEGER NOT NULL REFERENCES ke_case(id),"
     "  outcome TEXT NOT NULL CHECK (outcome IN ('granted', 'denied')),"
     "  basis TEXT NOT NULL,"
     "  reason TEXT,"
     "  unit_id INTEGER REFERENCES unit(id),"
     "  decided TEXT NOT NULL,"
     "  notified TEXT,"
     "  appeal_deadline TEXT,"
     "  decided_by TEXT NOT NULL,"
     "  status_before TEXT NOT NULL,"
     "  status_after TEXT NOT NULL,"
     "  voided TEXT,"
     "  void_reason TEXT"
     ") STRICT;"
     "CREATE INDEX decision_case ON decision(case_id);"
     "CREATE TABLE decision_item ("
     "  id INTEGER PRIMARY KEY,"
     "  decision_id INTEGER NOT NULL REFERENCES decision(id),"
     "  item TEXT NOT NULL CHECK (item IN ('coordinator', 'ip', 'child')),"
     "  UNIQUE (decision_id, item)"
     ") STRICT;"
     "CREATE TABLE preliminary_reply ("
     "  id INTEGER PRIMARY KEY,"
     "  case_id INTEGER NOT NULL REFERENCES ke_case(id),"
     "  sent TEXT NOT NULL"
     ") STRICT;"
     "CREATE INDEX preliminary_reply_case ON preliminary_reply(case_id);"
     "CREATE TABLE appeal ("
     "  id INTEGER PRIMARY KEY,"
     "  decision_id INTEGER NOT NULL UNIQUE REFERENCES decision(id),"
     "  received TEXT NOT NULL,"
     "  late_reason TEXT,"
     "  forwarded TEXT,"
     "  result TEXT CHECK (result IN ('reversed', 'upheld', 'quashed')),"
     "  result_by TEXT CHECK (result_by IN ('ke', 'statsforvalteren')),"
     "  result_date TEXT,"
     "  status_before TEXT NOT NULL"
     ") STRICT;"
     "CREATE TABLE handbook ("
     "  id INTEGER PRIMARY KEY,"
     "  updated TEXT NOT NULL,"
     "  note TEXT"
     ") STRICT;",
     0},

    /* 3: coordinators and assignments, plans, responsibility groups and
     * gatherings. */
    {"CREATE TABLE coordinator ("
     "  id INTEGER PRIMARY KEY,"
     "  name TEXT NOT NULL,"
     "  unit_id INTEGER NOT NULL REFERENCES unit(id),"
     "  email TEXT,"
     "  phone TEXT,"
     "  active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))"
     ") STRICT;"
     "CREATE INDEX coordinator_unit ON coordinator(unit_id);"
     "CREATE TABLE assignment ("
     "  id INTEGER PRIMARY KEY,"
     "  case_id INTEGER NOT NULL REFERENCES ke_case(id),"
     "  coordinator_id INTEGER NOT NULL REFERENCES coordinator(id),"
     "  kind TEXT NOT NULL CHECK (kind IN ('coordinator', 'child')),"
     "  granted_on TEXT NOT NULL," /* when its item was granted: reports need no join */
     "  start TEXT NOT NULL,"
     "  end TEXT,"
     "  end_reason TEXT,"
     "  user_preferred INTEGER NOT NULL DEFAULT 0 CHECK (user_preferred IN (0, 1)),"
     "  user_wish TEXT,"
     "  reported TEXT,"
     "  ehr_registered TEXT,"
     "  own_system INTEGER NOT NULL DEFAULT 0 CHECK (own_system IN (0, 1))"
     ") STRICT;"
     "CREATE UNIQUE INDEX assignment_one_running ON assignment(case_id, kind) WHERE end IS NULL;"
     "CREATE INDEX assignment_coordinator ON assignment(coordinator_id, end);"
     "CREATE INDEX assignment_start ON assignment(start);"
     "CREATE TABLE plan ("
     "  id INTEGER PRIMARY KEY,"
     "  case_id INTEGER NOT NULL UNIQUE REFERENCES ke_case(id),"
     "  status TEXT NOT NULL CHECK (status IN ('in_progress', 'active', 'paused', 'ended')),"
     "  paused_from TEXT CHECK (paused_from IN ('in_progress', 'active')),"
     "  ref TEXT,"
     "  started TEXT NOT NULL,"
     "  adopted TEXT,"
     "  period_end TEXT,"
     "  first_evaluation TEXT," /* set at adoption, so reports can count as of a date */
     "  next_evaluation TEXT,"
     "  ended TEXT,"
     "  end_reason TEXT"
     ") STRICT;"
     "CREATE INDEX plan_status ON plan(status, next_evaluation);"
     "CREATE TABLE evaluation ("
     "  id INTEGER PRIMARY KEY,"
     "  plan_id INTEGER NOT NULL REFERENCES plan(id),"
     "  evaluated TEXT NOT NULL,"
     "  goals_note TEXT,"
     "  process_note TEXT,"
     "  next_evaluation TEXT NOT NULL"
     ") STRICT;"
     "CREATE INDEX evaluation_plan ON evaluation(plan_id);"
     "CREATE TABLE goal ("
     "  id INTEGER PRIMARY KEY,"
     "  plan_id INTEGER NOT NULL REFERENCES plan(id),"
     "  kind TEXT NOT NULL CHECK (kind IN ('goal', 'resource', 'need')),"
     "  text TEXT NOT NULL"
     ") STRICT;"
     "CREATE INDEX goal_plan ON goal(plan_id);"
     "CREATE TABLE measure ("
     "  id INTEGER PRIMARY KEY,"
     "  plan_id INTEGER NOT NULL REFERENCES plan(id),"
     "  what TEXT NOT NULL,"
     "  scope TEXT,"
     "  how TEXT,"
     "  responsible TEXT NOT NULL,"
     "  unit_id INTEGER REFERENCES unit(id)"
     ") STRICT;"
     "CREATE INDEX measure_plan ON measure(plan_id);"
     "CREATE TABLE contribution ("
     "  id INTEGER PRIMARY KEY,"
     "  plan_id INTEGER NOT NULL REFERENCES plan(id),"
     "  by TEXT NOT NULL CHECK (by IN ('user', 'relative', 'provider')),"
     "  text TEXT NOT NULL"
     ") STRICT;"
     "CREATE INDEX contribution_plan ON contribution(plan_id);"
     "CREATE TABLE cooperation ("
     "  id INTEGER PRIMARY KEY,"
     "  plan_id INTEGER NOT NULL REFERENCES plan(id),"
     "  with_org TEXT NOT NULL,"
     "  what TEXT"
     ") STRICT;"
     "CREATE INDEX cooperation_plan ON cooperation(plan_id);"
     "CREATE TABLE group_member ("
     "  id INTEGER PRIMARY KEY,"
     "  case_id INTEGER NOT NULL REFERENCES ke_case(id),"
     "  name TEXT NOT NULL,"
     "  role TEXT NOT NULL,"
     "  org TEXT,"
     "  from_date TEXT NOT NULL,"
     "  to_date TEXT"
     ") STRICT;"
     "CREATE INDEX group_member_case ON group_member(case_id);"
     "CREATE TABLE group_meeting ("
     "  id INTEGER PRIMARY KEY,"
     "  case_id INTEGER NOT NULL REFERENCES ke_case(id),"
     "  held TEXT NOT NULL,"
     "  led_by INTEGER NOT NULL REFERENCES coordinator(id),"
     "  minutes TEXT"
     ") STRICT;"
     "CREATE INDEX group_meeting_case ON group_meeting(case_id);"
     "CREATE TABLE gathering ("
     "  id INTEGER PRIMARY KEY,"
     "  kind TEXT NOT NULL CHECK (kind IN ('samling', 'fagdag', 'training', 'guidance')),"
     "  held TEXT NOT NULL,"
     "  title TEXT"
     ") STRICT;"
     "CREATE TABLE invitation ("
     "  id INTEGER PRIMARY KEY,"
     "  gathering_id INTEGER NOT NULL REFERENCES gathering(id),"
     "  coordinator_id INTEGER NOT NULL REFERENCES coordinator(id),"
     "  UNIQUE (gathering_id, coordinator_id)"
     ") STRICT;"
     "CREATE TABLE attendance ("
     "  id INTEGER PRIMARY KEY,"
     "  gathering_id INTEGER NOT NULL REFERENCES gathering(id),"
     "  coordinator_id INTEGER NOT NULL REFERENCES coordinator(id),"
     "  UNIQUE (gathering_id, coordinator_id)"
     ") STRICT;"
     "CREATE INDEX attendance_coordinator ON attendance(coordinator_id);",
     0},

    /* 4: the items of a case as its standing decisions have them: not
     * voided, not quashed on appeal, flipped when reversed on appeal. */
    {"CREATE VIEW standing_item AS"
     " SELECT d.case_id, di.item, d.id AS decision_id,"
     "  CASE WHEN a.result = 'reversed' THEN"
     "   (CASE d.outcome WHEN 'granted' THEN 'denied' ELSE 'granted' END)"
     "  ELSE d.outcome END AS outcome,"
     "  CASE WHEN a.result = 'reversed' THEN a.result_date ELSE d.decided END AS on_date"
     " FROM decision d JOIN decision_item di ON di.decision_id = d.id"
     " LEFT JOIN appeal a ON a.decision_id = d.id"
     " WHERE d.voided IS NULL AND a.result IS NOT 'quashed';"
     "CREATE INDEX decision_item_decision ON decision_item(decision_id);"
     "CREATE INDEX appeal_decision ON appeal(decision_id);"
     "CREATE INDEX review_journal ON review(journal);"
     "CREATE INDEX decision_decided ON decision(decided);"
     "CREATE INDEX assignment_case ON assignment(case_id);"
     /* the KE's reviews of the access log */
     "CREATE TABLE access_review ("
     "  id INTEGER PRIMARY KEY,"
     "  reviewed TEXT NOT NULL,"
     "  note TEXT"
     ") STRICT;",
     0},

    /* 5: decision_item's UNIQUE (decision_id, item) serves the lookups by
     * decision already; a second index on decision_id only slowed inserts. */
    {"DROP INDEX decision_item_decision;", 1},

    /* 6 (issue 13): the date an appeal was posted or sent, when known: one
     * posted by the deadline is in time even when received after it. */
    {"ALTER TABLE appeal ADD COLUMN posted TEXT;", 2},

    /* 7 (issue 12): escalations a coordinator brings to the KE, and the
     * name of the documentation system a coordinator keeps instead of the
     * EHR's coordinator journal. */
    {"CREATE TABLE escalation ("
     "  id INTEGER PRIMARY KEY,"
     "  case_id INTEGER NOT NULL REFERENCES ke_case(id),"
     "  escalated TEXT NOT NULL,"
     "  note TEXT NOT NULL"
     ") STRICT;"
     "CREATE INDEX escalation_case ON escalation(case_id);"
     "ALTER TABLE assignment ADD COLUMN own_system_name TEXT;",
     2},

    /* 8 (issue 17 (and 14, finding 8): the duplicate-person check compares
     * folded names among the persons born that day. */
    {"CREATE INDEX IF NOT EXISTS person_born ON person(born);", 1},

    /* 9 (issue 12): cases never stuck.  An assignment may be a stand-in
     * (temporary, until) beside the paused regular one, and says why it
     * began (a stand-in's reason); an assignment or plan whose end the unit
     * reported as the end of the need marks its item ended (need_ended);
     * each records the close that ended it (closure_id), so a reopen
     * restores exactly that.  The plan loses UNIQUE (case_id): a new plan
     * can follow an ended one.  SQLite drops a constraint only by building
     * the table again: its rows wait in a temporary table, and the deferred
     * foreign keys of the plan's parts find their rows again when the rows
     * come back.  Older rows read as the new columns' defaults. */
    {"ALTER TABLE assignment ADD COLUMN temporary INTEGER NOT NULL DEFAULT 0"
     "  CHECK (temporary IN (0, 1));"
     "ALTER TABLE assignment ADD COLUMN until TEXT;"
     "ALTER TABLE assignment ADD COLUMN reason TEXT;"
     "ALTER TABLE assignment ADD COLUMN need_ended INTEGER NOT NULL DEFAULT 0"
     "  CHECK (need_ended IN (0, 1));"
     "ALTER TABLE assignment ADD COLUMN closure_id INTEGER REFERENCES closure(id);"
     "DROP INDEX assignment_one_running;"
     "CREATE UNIQUE INDEX assignment_one_running ON assignment(case_id, kind, temporary)"
     " WHERE end IS NULL;"
     "PRAGMA defer_foreign_keys = ON;"
     "CREATE TEMP TABLE plan_rows AS SELECT * FROM plan;"
     "DROP TABLE plan;"
     "CREATE TABLE plan ("
     "  id INTEGER PRIMARY KEY,"
     "  case_id INTEGER NOT NULL REFERENCES ke_case(id),"
     "  status TEXT NOT NULL CHECK (status IN ('in_progress', 'active', 'paused', 'ended')),"
     "  paused_from TEXT CHECK (paused_from IN ('in_progress', 'active')),"
     "  ref TEXT,"
     "  started TEXT NOT NULL,"
     "  adopted TEXT,"
     "  period_end TEXT,"
     "  first_evaluation TEXT,"
     "  next_evaluation TEXT,"
     "  ended TEXT,"
     "  end_reason TEXT,"
     "  need_ended INTEGER NOT NULL DEFAULT 0 CHECK (need_ended IN (0, 1)),"
     "  closure_id INTEGER REFERENCES closure(id)"
     ") STRICT;"
     "INSERT INTO plan(id, case_id, status, paused_from, ref, started, adopted, period_end,"
     " first_evaluation, next_evaluation, ended, end_reason)"
     " SELECT id, case_id, status, paused_from, ref, started, adopted, period_end,"
     " first_evaluation, next_evaluation, ended, end_reason FROM plan_rows;"
     "DROP TABLE plan_rows;"
     "CREATE INDEX plan_status ON plan(status, next_evaluation);"
     "CREATE INDEX plan_case ON plan(case_id);"
     /* each requested item's status (SPEC section 2): undecided, denied,
      * granted, or ended once the unit reported the granted need ended */
     "CREATE VIEW item_status AS"
     " SELECT q.case_id, q.item, s.on_date,"
     "  CASE WHEN s.outcome IS NULL THEN 'undecided' WHEN s.outcome = 'denied' THEN 'denied'"
     "  WHEN EXISTS (SELECT 1 FROM assignment a WHERE a.case_id = q.case_id"
     "   AND a.kind = q.item AND a.need_ended)"
     "  OR EXISTS (SELECT 1 FROM plan p WHERE p.case_id = q.case_id AND q.item = 'ip'"
     "   AND p.need_ended) THEN 'ended' ELSE 'granted' END AS status"
     " FROM request q LEFT JOIN standing_item s ON s.case_id = q.case_id AND s.item = q.item;",
     2},

    /* 10 (issue 20): the coordinator role, and the coordinator a
     * coordinator login is bound to.  The user table is rebuilt with the
     * same columns (only its CHECK changes), so its rows still equal their
     * audit entries; an export made before it restores as it is. */
    {"CREATE TABLE user_new ("
     "  id INTEGER PRIMARY KEY,"
     "  login TEXT NOT NULL UNIQUE,"
     "  role TEXT NOT NULL CHECK (role IN ('admin', 'caseworker', 'coordinator', 'report')),"
     "  added TEXT NOT NULL,"
     "  retired TEXT"
     ") STRICT;"
     "INSERT INTO user_new(id, login, role, added, retired)"
     " SELECT id, login, role, added, retired FROM user;"
     "DROP TABLE user;"
     "ALTER TABLE user_new RENAME TO user;"
     "CREATE TABLE IF NOT EXISTS user_coordinator ("
     "  id INTEGER PRIMARY KEY,"
     "  user_id INTEGER NOT NULL UNIQUE REFERENCES user(id),"
     "  coordinator_id INTEGER NOT NULL REFERENCES coordinator(id)"
     ") STRICT;",
     2},

    /* 11 (issue 14): an audit row loses its JSON only under a later erasure
     * entry that names it (["table",id] in its "erased" list, found as
     * text: the JSON functions are not allowed in a trigger without
     * trusted_schema); an erasure entry never loses its own. */
    {"DROP TRIGGER audit_only_erase;"
     "CREATE TRIGGER audit_only_erase BEFORE UPDATE ON audit"
     " WHEN NOT (NEW.change IS NULL AND NEW.salt IS NULL AND NEW.id = OLD.id"
     "  AND NEW.at = OLD.at AND NEW.login = OLD.login AND NEW.actor IS OLD.actor"
     "  AND NEW.command = OLD.command AND NEW.entity = OLD.entity"
     "  AND NEW.entity_id IS OLD.entity_id AND NEW.today IS OLD.today"
     "  AND NEW.digest = OLD.digest AND NEW.hash = OLD.hash AND OLD.entity <> 'erasure'"
     "  AND EXISTS (SELECT 1 FROM audit e WHERE e.entity = 'erasure' AND e.id > OLD.id"
     "   AND instr(e.change, '[\"' || OLD.entity || '\",' || OLD.entity_id || ']') > 0))"
     " BEGIN SELECT RAISE(ABORT, 'the audit is append-only'); END;",
     1},

    /* 12 (issue 14, finding 4): the access log's own hash chain.  Each new
     * access row's hash covers the previous access row's hash and every
     * field (lib/audit.c); the rows written before, or restored from an
     * export made before, have none and form the chain's unhashed prefix. */
    {"ALTER TABLE access ADD COLUMN hash BLOB;", 2},

    /* 13 (issue 19): item_status without a LEFT JOIN to standing_item.  The
     * join view on the right of a LEFT JOIN cannot be flattened, so SQLite
     * built all of standing_item for every lookup of one case's item: an
     * import slowed with every case it added.  The standing decision is now
     * looked up per request (a case's item has at most one); the rows are
     * the same. */
    {"DROP VIEW item_status;"
     "CREATE VIEW item_status AS"
     " SELECT case_id, item, on_date,"
     "  CASE WHEN outcome IS NULL THEN 'undecided' WHEN outcome = 'denied' THEN 'denied'"
     "  WHEN EXISTS (SELECT 1 FROM assignment a WHERE a.case_id = r.case_id"
     "   AND a.kind = r.item AND a.need_ended)"
     "  OR EXISTS (SELECT 1 FROM plan p WHERE p.case_id = r.case_id AND r.item = 'ip'"
     "   AND p.need_ended) THEN 'ended' ELSE 'granted' END AS status"
     " FROM (SELECT q.case_id, q.item,"
     "  (SELECT s.outcome FROM standing_item s WHERE s.case_id = q.case_id"
     "   AND s.item = q.item) AS outcome,"
     "  (SELECT s.on_date FROM standing_item s WHERE s.case_id = q.case_id"
     "   AND s.item = q.item) AS on_date"
     "  FROM request q) r;",
     1},

    /* 14 (issue 19): report semiannual reads assignments from indexes
     * alone: those begun in the period (assignment_period, which serves
     * every lookup by start that assignment_start served) and those
     * running on its last day (assignment_running: the null or later ends
     * only, not the whole history). */
    {"DROP INDEX assignment_start;"
     "CREATE INDEX assignment_period ON assignment(start, temporary, kind, case_id, granted_on);"
     "CREATE INDEX assignment_running ON assignment(end, start, coordinator_id, case_id);"
     /* due reads only what is open or owed: the open cases, the decisions
      * not notified, the items whose need ended (partial indexes) */
     "CREATE INDEX ke_case_open ON ke_case(status) WHERE status <> 'closed';"
     "CREATE INDEX decision_unnotified ON decision(case_id) WHERE notified IS NULL"
     " AND voided IS NULL;"
     "CREATE INDEX assignment_need_ended ON assignment(case_id, end) WHERE need_ended;"
     "CREATE INDEX plan_need_ended ON plan(case_id, ended) WHERE need_ended;",
     1},

    /* 15 (issue 19): due reads the arms that grow with the history in an
     * index's order instead of sorting them: the closed cases by closing
     * day (with what due reads of them), the running regular assignments
     * by start and case. */
    {"CREATE INDEX ke_case_closed ON ke_case(closed, id, person_id, unit_id)"
     " WHERE status = 'closed';"
     "CREATE INDEX assignment_unconfirmed ON assignment(start, case_id, coordinator_id, id, kind,"
     " reported, ehr_registered, own_system) WHERE end IS NULL AND NOT temporary;",
     1},

    /* 16 (issue 19): every table's CHECK IN lists as OR chains, the same
     * truth without a temporary B-tree per row written (lib/store/checks.c).
     * A step in C: it rewrites the tables' live SQL, columns later
     * migrations added and all. */
    {NULL, 1, checks_as_or_chains},

    /* 17 (issue 19): the semiannual report counts the period's decisions
     * and referrals from their indexes alone, not by a lookup of each row
     * (scattered over the years' pages): same names, so INDEXED BY holds. */
    {"DROP INDEX decision_decided;"
     "CREATE INDEX decision_decided ON decision(decided, voided, outcome, case_id);"
     "DROP INDEX referral_received;"
     "CREATE INDEX referral_received ON referral(received, source);",
     1},

    /* clang-format off */
    /* 18 (issue 19): a maintained standing decision per request, so that
     * due reads the requests undecided, or granted and owed, of the open
     * cases in its output order from partial indexes instead of sorting
     * them.  request_standing is a derived cache, not audited state: every
     * value in it is a function of audited rows (lib/store/caches.h has
     * the query), so it is neither audited nor exported; the triggers keep
     * it on every write whichever path makes it (decisions, voids, appeals,
     * requests, closes and reopens, imports, erasures), a bulk load puts
     * them off and rebuilds it, and the doctor compares it with the query.
     * The step fills it for the rows already there. */
    {"CREATE TABLE request_standing ("
     "  request_id INTEGER PRIMARY KEY,"
     "  case_id INTEGER NOT NULL,"
     "  item TEXT NOT NULL,"
     "  received TEXT NOT NULL," /* its referral's */
     "  open INTEGER NOT NULL,"  /* its case is not closed */
     "  outcome TEXT,"           /* its item's standing decision's, NULL while undecided */
     "  on_date TEXT"            /* ... and the day it stands from */
     ") STRICT;"
     "CREATE INDEX request_standing_case ON request_standing(case_id, item);"
     "CREATE INDEX request_standing_granted ON request_standing(on_date, case_id)"
     " WHERE open AND outcome = 'granted';"
     "CREATE INDEX request_standing_undecided ON request_standing(received, case_id)"
     " WHERE open AND outcome IS NULL;"
     /* not_notified by day and case */
     "CREATE INDEX decision_unnotified_day ON decision(decided, case_id)"
     " WHERE notified IS NULL AND voided IS NULL;"
     "CREATE TRIGGER cache_request_insert AFTER INSERT ON request BEGIN"
     " INSERT INTO request_standing " STANDING_OF_NEW " END;"
     "CREATE TRIGGER cache_request_update AFTER UPDATE OF case_id, referral_id, item ON request"
     " BEGIN REPLACE INTO request_standing " STANDING_OF_NEW " END;"
     "CREATE TRIGGER cache_request_delete AFTER DELETE ON request BEGIN"
     " DELETE FROM request_standing WHERE request_id = OLD.id; END;"
     "CREATE TRIGGER cache_referral_received AFTER UPDATE OF received ON referral BEGIN"
     " UPDATE request_standing SET received = NEW.received"
     "  WHERE request_id IN (SELECT id FROM request WHERE referral_id = NEW.id); END;"
     "CREATE TRIGGER cache_case_status AFTER UPDATE OF status ON ke_case"
     " WHEN (OLD.status = 'closed') IS NOT (NEW.status = 'closed') BEGIN"
     " UPDATE request_standing SET open = NEW.status <> 'closed' WHERE case_id = NEW.id; END;"
     "CREATE TRIGGER cache_decision_update AFTER UPDATE OF case_id, outcome, decided, voided"
     " ON decision BEGIN" RESTAND("OLD.case_id") RESTAND("NEW.case_id") " END;"
     "CREATE TRIGGER cache_decision_delete AFTER DELETE ON decision BEGIN" RESTAND("OLD.case_id")
     " END;"
     "CREATE TRIGGER cache_decision_item_insert AFTER INSERT ON decision_item BEGIN"
     RESTAND(CASE_OF("NEW")) " END;"
     "CREATE TRIGGER cache_decision_item_update AFTER UPDATE ON decision_item BEGIN"
     RESTAND(CASE_OF("OLD")) RESTAND(CASE_OF("NEW")) " END;"
     "CREATE TRIGGER cache_decision_item_delete AFTER DELETE ON decision_item BEGIN"
     RESTAND(CASE_OF("OLD")) " END;"
     "CREATE TRIGGER cache_appeal_insert AFTER INSERT ON appeal BEGIN" RESTAND(CASE_OF("NEW"))
     " END;"
     "CREATE TRIGGER cache_appeal_update AFTER UPDATE OF decision_id, result, result_date"
     " ON appeal BEGIN" RESTAND(CASE_OF("OLD")) RESTAND(CASE_OF("NEW")) " END;"
     "CREATE TRIGGER cache_appeal_delete AFTER DELETE ON appeal BEGIN" RESTAND(CASE_OF("OLD"))
     " END;",
     2, caches_rebuild},
    /* clang-format on */

    /* 19 (issue 19d): due's arms that scan what is granted and open test
     * each row's item and the case's ended needs from the indexes alone,
     * not by a lookup of the row (scattered over the table's pages, which
     * outgrow the page cache as the history grows): same names, so
     * INDEXED BY holds, and request_id keeps the arms' order. */
    {"DROP INDEX request_standing_granted;"
     "CREATE INDEX request_standing_granted ON request_standing(on_date, case_id, request_id, item)"
     " WHERE open AND outcome = 'granted';"
     "DROP INDEX assignment_need_ended;"
     "CREATE INDEX assignment_need_ended ON assignment(case_id, kind, end) WHERE need_ended;",
     1},

    /* 20 (issue 19): the duplicate-person check reads the names of the
     * persons born that day from the index alone: it read each one's row,
     * scattered over the table, and an import of 300,000 cases spent a
     * fifth of its time there (more persons a day, fewer of their pages
     * in the cache).  Same name, so every reader of person_born keeps it. */
    {"DROP INDEX person_born;"
     "CREATE INDEX person_born ON person(born, name);",
     1},
};
#pragma GCC diagnostic pop

#define SCHEMA_VERSION ((int)(sizeof migrations / sizeof migrations[0]))

int bti_db_schema_version(void)
{
    return SCHEMA_VERSION;
}

int schema_loads_rows_of(int version)
{
    if (version < 1 || version > SCHEMA_VERSION)
        return 0;
    for (int v = version; v < SCHEMA_VERSION; v++)
        if (!migrations[v].keeps_rows)
            return 0;
    return 1;
}

int schema_user_version(struct bti_db *db, long long *out)
{
    static const char sql[] = "PRAGMA user_version";
    return db_int(db, out, sql, "");
}

/* Run migrations from+1 .. SCHEMA_VERSION and set user_version; the caller
 * holds a write transaction. */
static int apply(struct bti_db *db, long long from)
{
    for (long long v = from; v < SCHEMA_VERSION; v++) {
        const struct migration *m = &migrations[v];
        int rc = m->sql ? sqlite3_exec(db->h, m->sql, NULL, NULL, NULL) : SQLITE_OK;
        if (rc != SQLITE_OK)
            return db_fail(db, rc, _("cannot migrate the schema"));
        if (m->step && (rc = m->step(db)) != 0)
            return rc;
    }
    char sql[64]; /* user_version cannot be a bound parameter */
    snprintf(sql, sizeof sql, "PRAGMA user_version = %d", SCHEMA_VERSION);
    int rc = sqlite3_exec(db->h, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? 0 : db_fail(db, rc, _("cannot set the schema version"));
}

int schema_migrate_from(struct bti_db *db, long long v)
{
    if (v > SCHEMA_VERSION)
        return bti_error_set(BTI_EDB, _("the database has schema %lld, newer than this bti (%d)"),
                             v, SCHEMA_VERSION);
    return v == SCHEMA_VERSION ? 0 : apply(db, v);
}
