"""Turn a database of this bti back into one of schema 5, the last before
migrations 6 to 9 (issue 13's appeal.posted, issue 12's escalations and
own_system_name, issue 17's person_born index, and issue 12's stand-ins and
closures), of 12 (issue 14's access.hash), of 13 (issue 19's item_status,
dropped with migration 9's view), of 14 and 15 (issue 19's indexes), of
16 (issue 19's CHECK IN lists as OR chains, turned back into IN lists) and
of 17 (issue 19's covering decision_decided and referral_received, made
again as migrations 4 and 1 made them), of 18 (issue 19's derived cache
request_standing, its triggers and decision_unnotified_day), of 19 (issue
19d's request_standing_granted and assignment_need_ended with more
columns, dropped with their tables),
rows and all, so that tests can open it with this bti and watch it
migrate.  Migration 9 added columns to `assignment` (ALTER TABLE appends
them to the table's SQL), rebuilt `plan` without UNIQUE (case_id) and with
two columns more, and added a view and indexes."""
import re
import sqlite3

# a literal of a CHECK's list, and migration 16's OR chain of them
LITERAL = r"(?:'(?:[^']|'')*'|-?[\w.]+)"
OR_CHAIN = re.compile(rf"\((\w+) = {LITERAL}(?: OR \1 = {LITERAL})*\)")


def in_list(chain):
    """The IN list an OR chain of migration 16 was made from."""
    name = chain.group(1)
    return f"{name} IN ({', '.join(re.findall(rf'= ({LITERAL})', chain.group(0)))})"


def restore_in_lists(con):
    """Give every table its CHECK IN lists back, the writable_schema way
    migration 16 took them (lib/store/checks.c)."""
    tables = con.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'"
                         " AND sql IS NOT NULL").fetchall()
    version = con.execute('PRAGMA schema_version').fetchone()[0]
    con.execute('BEGIN')
    con.execute('PRAGMA writable_schema = ON')
    for name, sql in tables:
        con.execute("UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = ?",
                    (OR_CHAIN.sub(in_list, sql), name))
    con.execute(f'PRAGMA schema_version = {version + 1}')
    con.execute('PRAGMA writable_schema = OFF')
    con.execute('COMMIT')


# migration 3's plan, as it was
PLAN_5 = ("CREATE TABLE plan ("
          "  id INTEGER PRIMARY KEY,"
          "  case_id INTEGER NOT NULL UNIQUE REFERENCES ke_case(id),"
          "  status TEXT NOT NULL CHECK (status IN ('in_progress', 'active', 'paused', 'ended')),"
          "  paused_from TEXT CHECK (paused_from IN ('in_progress', 'active')),"
          "  ref TEXT,"
          "  started TEXT NOT NULL,"
          "  adopted TEXT,"
          "  period_end TEXT,"
          "  first_evaluation TEXT,"
          "  next_evaluation TEXT,"
          "  ended TEXT,"
          "  end_reason TEXT"
          ") STRICT")
PLAN_COLUMNS = ('id, case_id, status, paused_from, ref, started, adopted, period_end,'
                ' first_evaluation, next_evaluation, ended, end_reason')
ASSIGNMENT_COLUMNS = ('id, case_id, coordinator_id, kind, granted_on, start, end, end_reason,'
                      ' user_preferred, user_wish, reported, ehr_registered, own_system')


def downgrade(path):
    """Rewrite the database at path as schema 5 (foreign keys off meanwhile)."""
    con = sqlite3.connect(path, isolation_level=None)
    try:
        restore_in_lists(con)
        triggers = [n for (n,) in con.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger'"
            " AND name LIKE 'cache\\_%' ESCAPE '\\'")]
        con.executescript('BEGIN;' + ''.join(f'DROP TRIGGER {n};' for n in triggers)
                          + 'DROP TABLE request_standing; DROP INDEX decision_unnotified_day;'
                          ' COMMIT;')
        sql = con.execute("SELECT sql FROM sqlite_master WHERE name = 'assignment'").fetchone()[0]
        assignment_5 = sql[:sql.index(', own_system_name TEXT')] + ')' + sql[sql.rindex(')') + 1:]
        con.executescript(
            'PRAGMA foreign_keys = OFF; BEGIN;'
            'DROP VIEW item_status; DROP INDEX plan_case; DROP INDEX assignment_one_running;'
            'DROP INDEX ke_case_open; DROP INDEX decision_unnotified; DROP INDEX ke_case_closed;'
            'DROP INDEX person_born; DROP TABLE escalation; DROP TABLE user_coordinator; ALTER TABLE appeal DROP COLUMN posted;'
            'ALTER TABLE access DROP COLUMN hash;'
            'DROP INDEX decision_decided; CREATE INDEX decision_decided ON decision(decided);'
            'DROP INDEX referral_received; CREATE INDEX referral_received ON referral(received);'
            f'CREATE TEMP TABLE a5 AS SELECT {ASSIGNMENT_COLUMNS} FROM assignment;'
            f'CREATE TEMP TABLE p5 AS SELECT {PLAN_COLUMNS} FROM plan;'
            'DROP TABLE assignment; DROP TABLE plan;'
            f'{assignment_5};'
            f'INSERT INTO assignment SELECT * FROM a5;'
            f'{PLAN_5};'
            f'INSERT INTO plan SELECT * FROM p5;'
            'CREATE UNIQUE INDEX assignment_one_running ON assignment(case_id, kind)'
            ' WHERE end IS NULL;'
            'CREATE INDEX assignment_coordinator ON assignment(coordinator_id, end);'
            'CREATE INDEX assignment_start ON assignment(start);'
            'CREATE INDEX assignment_case ON assignment(case_id);'
            'CREATE INDEX plan_status ON plan(status, next_evaluation);'
            'PRAGMA user_version = 5; COMMIT;')
    finally:
        con.close()
