"""Changes made behind bti's back, with python's sqlite3 as an intruder with
write access to the file would make them (SPEC section 9).  Each check finds
what is its to find, with exit 7:

- `audit verify` finds a changed audit row (any field, the change JSON, the
  digest, the hash), even with the append-only trigger put back afterwards;
- `audit verify --head H` finds a deleted tail, and a chain rewritten from
  a changed row to its end, which plain verify cannot;
- `doctor` finds a data row changed without touching the audit, rows
  without their audit entries, and a dropped trigger.

The doctor parts skip while `bti doctor` is still being written.
"""
import hashlib
import os
import sqlite3

import story

MALLORY = 'Mallory Endretsen'


def tamper_base(t):
    """story.base and three cases: received, granted, active (with a review)."""
    def build(t):
        story.base(t)
        c1 = story.refer(t, name='Test Testesen 1')
        story.review(t, c1)
        c2 = story.refer(t, 'coordinator,ip', name='Test Testesen 2')
        story.grant(t, c2, covers='coordinator')
        story.active_case(t, 'coordinator')
        t.ok('ke', 'handbook', '--date', '2026-11-01', '--note', 'Oppdatert')
    t.snapshot('tamper-base', build)


def head(t):
    return t.ok('audit', 'head').strip()


def doctor_finds(t, private=()):
    """bti doctor exits 7 (its report on stdout is the data asked for), with
    the database unchanged and no name in what it says."""
    before = t.dump()
    r = t.run('doctor')
    assert r.rc == 7, f'bti doctor: exit {r.rc}, expected 7; stdout: {r.out[-600:]!r}; stderr: {r.err.strip()}'
    for s in (MALLORY, 'Testesen', *private):
        assert s not in r.out + r.err, f'bti doctor quotes a name or text {s!r}: {r.out + r.err}'
    assert t.dump() == before, 'bti doctor changed the database'
    return r


def trigger_sql(t, name):
    return t.one("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", (name,))


def behind_the_back(t, trigger, *statements):
    """Drop trigger, run statements, and put the trigger back as it was, so
    that only the data tells what happened."""
    sql = trigger_sql(t, trigger)
    t.write_sql(f'DROP TRIGGER {trigger}', *statements, sql)
    assert trigger_sql(t, trigger) == sql


def last_id(t):
    return t.one('SELECT max(id) FROM audit')


# ---- a changed audit row ------------------------------------------------------

AUDIT_CHANGES = {
    'login': "UPDATE audit SET login = 'mallory' WHERE id = {id}",
    'actor': "UPDATE audit SET actor = 'Mallory' WHERE id = {id}",
    'at': "UPDATE audit SET at = '2026-01-01T00:00:00Z' WHERE id = {id}",
    'command': "UPDATE audit SET command = 'unit add' WHERE id = {id}",
    'entity': "UPDATE audit SET entity = 'unit' WHERE id = {id}",
    'entity_id': 'UPDATE audit SET entity_id = entity_id + 1 WHERE id = {id}',
    'today': "UPDATE audit SET today = '2026-01-01' WHERE id = {id}",
    'change': "UPDATE audit SET change = replace(change, 'Testesen', 'Endretsen') WHERE id = {id}",
    'salt': 'UPDATE audit SET salt = zeroblob(16) WHERE id = {id}',
    'json only erased': 'UPDATE audit SET change = NULL WHERE id = {id}',
    'digest': 'UPDATE audit SET digest = zeroblob(32) WHERE id = {id}',
    'hash': 'UPDATE audit SET hash = zeroblob(32) WHERE id = {id}',
    'id': 'UPDATE audit SET id = 100000 WHERE id = {id}',
}


def fresh(t, base=tamper_base):
    """Start again from the untouched database."""
    for suffix in ('', '-wal', '-shm'):
        if os.path.exists(t.db + suffix):
            os.unlink(t.db + suffix)
    base(t)


def test_verify_finds_a_changed_audit_row_exit_7(t):
    tamper_base(t)
    target = t.one("SELECT id FROM audit WHERE entity = 'person' AND change LIKE '%Testesen%'"
                   " ORDER BY id LIMIT 1")
    problems = []
    for what, sql in AUDIT_CHANGES.items():
        fresh(t)
        h = head(t)
        behind_the_back(t, 'audit_only_erase', sql.format(id=target))
        for args in (('audit', 'verify'), ('audit', 'verify', '--head', h)):
            r = t.run(*args)
            if r.rc != 7 or not r.err.startswith('bti: error: ') or r.out:
                problems.append(f'{what}: bti {" ".join(args)}: exit {r.rc}: {r.err.strip()}')
            elif args == ('audit', 'verify') and what != 'id' and f'row {target}' not in r.err:
                problems.append(f'{what}: the message does not name row {target}: {r.err.strip()}')
            if 'Testesen' in r.err or 'Endretsen' in r.err:
                problems.append(f'{what}: the message quotes a name: {r.err.strip()}')
    assert not problems, '\n'.join(problems)


def test_doctor_finds_a_changed_audit_row_exit_7(t):
    tamper_base(t)
    behind_the_back(t, 'audit_only_erase', "UPDATE audit SET login = 'mallory' WHERE id = 3")
    doctor_finds(t)


def test_insert_or_replace_cannot_swap_an_audit_row(t):
    """REPLACE deletes without firing delete triggers: it is refused too."""
    tamper_base(t)
    before = t.dump()
    try:
        t.write_sql('INSERT OR REPLACE INTO audit SELECT id, at, \'mallory\', actor, command, entity,'
                    ' entity_id, today, change, salt, digest, hash FROM audit WHERE id = 2')
    except sqlite3.DatabaseError:
        pass
    assert t.dump() == before
    t.ok('audit', 'verify')


# ---- a rewritten chain ------------------------------------------------------------

def _field(h, value):
    if value is None:
        h.update(b'\x01')
        return
    if isinstance(value, int):
        value = str(value)
    if isinstance(value, str):
        value = value.encode()
    h.update(b'\x00' + len(value).to_bytes(8, 'big') + value)


def row_hash(prev, row):
    """The chain hash of an audit row as lib/store/audit.c computes it."""
    rid, at, login, actor, command, entity, entity_id, today, digest = row
    h = hashlib.sha256(prev)
    for v in (rid, at, login, actor, command, entity, entity_id, today, digest):
        _field(h, v)
    return h.digest()


COLS = 'id, at, login, actor, command, entity, entity_id, today, digest'


def test_verify_head_finds_a_rewritten_chain_exit_7(t):
    """An intruder who changes a row and recomputes its digest and every
    hash after it leaves a chain that verifies; only the head kept off the
    host (audit head, sent away by cron) finds it."""
    tamper_base(t)
    rows = t.sql(f'SELECT {COLS}, hash FROM audit ORDER BY id')
    prev = bytes(32)
    for row in rows:
        if row_hash(prev, row[:-1]) != row[-1]:
            t.skip("the audit hash layout is not the one this test recomputes")
        prev = row[-1]
    h = head(t)
    target = t.one("SELECT min(id) FROM audit WHERE command = 'ke review' AND entity = 'review'")
    salt, change = t.sql('SELECT salt, change FROM audit WHERE id = ?', (target,))[0]
    forged = change.replace('"anonymous":1', '"anonymous":0') + ' '
    digest = hashlib.sha256(salt + forged.encode()).digest()
    statements = [('UPDATE audit SET change = ?, digest = ? WHERE id = ?', (forged, digest, target))]
    prev = rows[target - 2][-1] if target > 1 else bytes(32)
    for row in rows[target - 1:]:
        fields = list(row[:-1])
        if fields[0] == target:
            fields[-1] = digest
        new = row_hash(prev, fields)
        statements.append(('UPDATE audit SET hash = ? WHERE id = ?', (new, fields[0])))
        prev = new
    behind_the_back(t, 'audit_only_erase', *statements)
    t.ok('audit', 'verify')  # the rewritten chain holds together ...
    r = t.fails(7, 'audit', 'verify', '--head', h)  # ... but not the head sent away
    assert str(len(rows)) in r.err, r.err


# ---- a deleted tail -------------------------------------------------------------------

def test_verify_head_finds_a_deleted_tail_exit_7(t):
    tamper_base(t)
    h = head(t)
    n = last_id(t)
    behind_the_back(t, 'audit_no_delete', f'DELETE FROM audit WHERE id > {n - 3}')
    r = t.fails(7, 'audit', 'verify', '--head', h)
    assert str(n) in r.err, r.err


def test_verify_head_finds_a_deleted_tail_after_new_writes_exit_7(t):
    """Rows cut and then as many written again: the count is back, the head is not."""
    tamper_base(t)
    h = head(t)
    n = last_id(t)
    behind_the_back(t, 'audit_no_delete', f'DELETE FROM audit WHERE id > {n - 2}')
    for name in ('Enhet A', 'Enhet B', 'Enhet C'):
        t.ok('unit', 'add', name)
    assert last_id(t) > n
    t.ok('audit', 'verify')
    t.fails(7, 'audit', 'verify', '--head', h)


def test_verify_head_finds_an_emptied_audit_exit_7(t):
    tamper_base(t)
    h = head(t)
    behind_the_back(t, 'audit_no_delete', 'DELETE FROM audit')
    t.fails(7, 'audit', 'verify', '--head', h)


def test_doctor_finds_a_deleted_tail_exit_7(t):
    """The data rows whose audit entries were cut no longer equal their last
    audit entry (they have none)."""
    tamper_base(t)
    n = last_id(t)
    behind_the_back(t, 'audit_no_delete', f'DELETE FROM audit WHERE id > {n - 3}')
    doctor_finds(t)


# ---- a changed data row ---------------------------------------------------------------

DATA_CHANGES = {
    'a name': f"UPDATE person SET name = '{MALLORY}' WHERE id = 1",
    'a status': "UPDATE ke_case SET status = 'active' WHERE id = 1",
    'a decision date': "UPDATE decision SET decided = '2026-10-21' WHERE id = 1",
    'a unit': "UPDATE ke_case SET unit_id = 2 WHERE unit_id = 1",
    'a review note': "UPDATE review SET conclusion = 'Endret i ettertid'",
    'a row added': "INSERT INTO unit(name) VALUES ('Skyggeenheten')",
    'a row deleted': 'DELETE FROM handbook',
}


def test_doctor_finds_a_data_row_changed_behind_the_audit_exit_7(t):
    problems = []
    for what, sql in DATA_CHANGES.items():
        fresh(t)
        t.write_sql('PRAGMA foreign_keys = OFF', sql)
        try:
            doctor_finds(t, private=['Endret i ettertid', 'Skyggeenheten'])
        except AssertionError as e:
            problems.append(f'{what}: {e}')
    assert not problems, '\n'.join(problems)


def test_doctor_is_clean_on_an_untouched_database(t):
    tamper_base(t)
    t.ok('doctor')


def test_doctor_finds_a_dropped_trigger_exit_7(t):
    tamper_base(t)
    t.write_sql('DROP TRIGGER audit_no_delete')
    doctor_finds(t)


def test_doctor_finds_a_changed_trigger_exit_7(t):
    """A trigger of the same name that no longer refuses anything."""
    tamper_base(t)
    t.write_sql('DROP TRIGGER audit_only_erase',
                'CREATE TRIGGER audit_only_erase BEFORE UPDATE ON audit WHEN 0 BEGIN SELECT 1; END')
    doctor_finds(t)


# ---- the access log (issue 14, finding 4) -------------------------------------------

def access_base(t):
    """tamper_base and identified reads after it: a few more access rows."""
    tamper_base(t)
    for args in (('person', 'list'), ('case', 'show', '1'), ('person', 'show', '2'),
                 ('case', 'show', '2')):
        t.ok(*args)
    assert t.count('access') == 4


def everything(t):
    """Every table, the access log included."""
    return t.dump(), t.sql('SELECT * FROM access ORDER BY id')


def test_a_deleted_access_row_is_found_exit_7(t):
    """Issue 14, finding 4: drop the access log's trigger, delete a row, put
    the trigger back, and every check passed.  Now audit verify, verify
    --head and doctor fail on it, naming the row after the gap, and change
    nothing."""
    access_base(t)
    h = head(t)
    target = t.one('SELECT max(id) - 2 FROM access')
    behind_the_back(t, 'access_no_delete', f'DELETE FROM access WHERE id = {target}')
    before = everything(t)
    msg = f'access row {target + 1} does not match the chain'
    t.fails(7, 'audit', 'verify', err_contains=msg, private=[MALLORY, 'Testesen'])
    t.fails(7, 'audit', 'verify', '--head', h, err_contains=msg, private=[MALLORY, 'Testesen'])
    r = doctor_finds(t)
    assert msg in r.out, r.out
    assert everything(t) == before, 'a check changed the database'


def test_a_deleted_last_access_row_is_found_with_the_head_exit_7(t):
    access_base(t)
    h = head(t)
    behind_the_back(t, 'access_no_delete', 'DELETE FROM access WHERE id = (SELECT max(id) FROM access)')
    t.ok('audit', 'verify')  # a cut tail still chains ...
    t.fails(7, 'audit', 'verify', '--head', h,
            err_contains=f"have {int(h.split(':')[0]) - 1} rows, fewer than the head's")


ACCESS_CHANGES = {
    'at': "UPDATE access SET at = '2026-01-01T00:00:00Z' WHERE id = {id}",
    'login': "UPDATE access SET login = 'mallory' WHERE id = {id}",
    'actor': "UPDATE access SET actor = 'Mallory' WHERE id = {id}",
    'command': "UPDATE access SET command = 'unit list' WHERE id = {id}",
    'entity': "UPDATE access SET entity = 'unit' WHERE id = {id}",
    'what': "UPDATE access SET what = '99' WHERE id = {id}",
    'rows': 'UPDATE access SET rows = rows + 1 WHERE id = {id}',
    'identify': 'UPDATE access SET identify = 1 - identify WHERE id = {id}',
    'hash': 'UPDATE access SET hash = zeroblob(32) WHERE id = {id}',
    'hash nulled': 'UPDATE access SET hash = NULL WHERE id = {id}',
    'swapped with the next': ('UPDATE access SET id = -1 WHERE id = {id}',
                              'UPDATE access SET id = {id} WHERE id = {id} + 1',
                              'UPDATE access SET id = {id} + 1 WHERE id = -1'),
}


def test_a_changed_access_row_is_found_exit_7(t):
    """Any field of an access row changed (or two rows swapped) behind bti's
    back: audit verify names the row, verify --head and doctor fail too."""
    access_base(t)
    target = t.one('SELECT max(id) - 2 FROM access')
    problems = []
    for what, sql in ACCESS_CHANGES.items():
        fresh(t, access_base)
        h = head(t)
        sqls = (sql,) if isinstance(sql, str) else sql
        behind_the_back(t, 'access_no_update', *(s.format(id=target) for s in sqls))
        before = everything(t)
        for args in (('audit', 'verify'), ('audit', 'verify', '--head', h), ('doctor',)):
            r = t.run(*args)
            said = r.out + r.err if args == ('doctor',) else r.err
            if r.rc != 7:
                problems.append(f'{what}: bti {" ".join(args)}: exit {r.rc}: {r.err.strip()}')
            elif f'access row {target} does not match the chain' not in said:
                problems.append(f'{what}: bti {" ".join(args)} does not name access row {target}: {said.strip()[-300:]}')
            if 'Testesen' in said or 'Mallory' in said:
                problems.append(f'{what}: the message quotes a name: {said.strip()}')
        if everything(t) != before:
            problems.append(f'{what}: a check changed the database')
    assert not problems, '\n'.join(problems)
