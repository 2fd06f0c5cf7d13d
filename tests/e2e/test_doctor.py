"""bti doctor (SPEC section 9): integrity, foreign keys, the audit chain,
every data row against its last audit entry, the schema and its triggers,
file modes, WAL and encryption; exit 7 when a check fails, never for a
warning.  Changes are made behind bti's back with SQLite, as the sqlite3
shell would make them.  Every person is synthetic."""
import grp
import json
import os
import sqlite3

import story
import synth

NAME = 'Vilde Doktorsen'
BORN = '2010-05-05'
NIN = synth.nin(BORN)
CHECKS = ['integrity', 'foreign keys', 'audit chain', 'erasures', 'data', 'dates', 'caches',
          'triggers', 'schema', 'permissions', 'wal', 'encryption']


def _writes(t):
    """A database after a series of writes touching most tables: cases in
    several states, an edit, consents, a plan, a group, a gathering."""
    story.base(t)
    t.ok('referral', 'add', '--name', NAME, '--nin', NIN, '--source', 'bti', '--requests',
         'coordinator,ip', '--date', story.RECEIVED, '--referrer', 'Fastlegen')
    story.grant(t, 1, covers='coordinator,ip')
    story.assign(t, 1, story.K1)
    t.ok('person', 'edit', '1', '--name', 'Vilde Retting', '--reason', 'skrivefeil')
    for scope in ('plan', 'exchange'):
        t.ok('consent', 'give', '1', '--scope', scope, '--by', 'user', '--parties', 'all',
             '--date', '2026-10-26')
    t.ok('plan', 'start', '1', '--ref', 'SamPro-1')
    t.ok('plan', 'goal', '1', 'Gå på skolen hver dag')
    t.ok('group', 'add', '1', '--name', 'Lærer Testesen', '--role', 'lærer', '--org', 'skole')
    t.ok('gathering', 'add', '--kind', 'samling', '--date', '2026-11-01', '--title', 'Høst')
    for state in ('appealed', 'closed', 'active'):
        story.drive(t, state)
    t.ok('unit', 'edit', '2', '--name', 'BOAK sør', '--reason', 'omorganisering')


def writes(t):
    t.snapshot('doctor-writes', _writes)


def rows(t, *extra, code=0):
    """`bti doctor --json` run with exit `code`: its rows."""
    r = t.run('--json', *extra, 'doctor')
    assert r.rc == code, f'doctor: exit {r.rc}, expected {code}; stderr: {r.err.strip()}'
    try:
        got = json.loads(r.out)
    except ValueError as e:
        raise AssertionError(f'doctor --json: not JSON ({e}): {r.out[:300]!r}')
    if code:
        assert r.err.startswith('bti: error: '), r.err
    return got


def statuses(got):
    """{check: set of statuses}."""
    out = {}
    for row in got:
        out.setdefault(row['check'], set()).add(row['status'])
    return out


def assert_clean(t):
    got = rows(t)
    st = statuses(got)
    assert list(st) == CHECKS, st
    for check in CHECKS[:-1]:
        assert st[check] == {'ok'}, got
    assert st['encryption'] <= {'ok', 'WARN'}, got
    return got


def fails(t, check, *details, private=()):
    """Run doctor expecting exit 7 with FAIL rows of `check` whose details
    hold each of `details`; and no value of `private` anywhere.  The table
    output, for more checks."""
    r = t.run('doctor')
    assert r.rc == 7, f'doctor: exit {r.rc}, expected 7; stderr: {r.err.strip()}'
    assert r.err.startswith('bti: error: '), r.err
    lines = [ln for ln in r.out.splitlines() if ln.startswith(check + ' ') and ' FAIL ' in ln]
    for d in details:
        assert any(d in ln for ln in lines), f'no {check} FAIL row with {d!r} in:\n{r.out}'
    for p in private:
        assert p not in r.out and p not in r.err, f'doctor quotes {p!r}:\n{r.out}\n{r.err}'
    return r.out


# ---- clean --------------------------------------------------------------------

def test_doctor_is_clean_on_a_fresh_database(t):
    t.init()
    r = t.run('doctor')
    assert r.rc == 0, r.err
    lines = r.out.splitlines()
    assert lines[0].split() == ['check', 'status', 'detail'], r.out
    assert [ln.split()[0] for ln in lines[1:]] == [c.split()[0] for c in CHECKS], r.out
    assert 'integrity     ok' in r.out, r.out
    assert_clean(t)


def test_doctor_is_clean_after_a_series_of_writes(t):
    writes(t)
    got = assert_clean(t)
    data = [row['detail'] for row in got if row['check'] == 'data']
    # the logs, and the derived cache (issue 19), which the audit does not record
    tables = [r[0] for r in t.sql("SELECT name FROM sqlite_master WHERE type = 'table'"
                                  " AND name NOT LIKE 'sqlite%'"
                                  " AND name NOT IN ('audit', 'access', 'request_standing')")]
    n = sum(t.count(tbl) for tbl in tables)
    assert data == [f'{n} rows match their last audit entry'], (data, n)


def test_doctor_is_clean_after_backup_and_reads(t):
    writes(t)
    t.ok('case', 'show', '1')
    t.ok('backup', t.path('copy.db'))
    assert_clean(t)


def test_doctor_after_an_erasure_says_how_many_rows_it_skipped(t):
    writes(t)
    t.ok('person', 'erase', '1', '--reason', 'Etter krav fra brukeren', '--yes')
    got = assert_clean(t)
    data = [row['detail'] for row in got if row['check'] == 'data'][0]
    assert 'not compared: their audit values were erased' in data, data


def test_doctor_writes_nothing(t):
    writes(t)
    before = t.dump()
    n = t.count('access')
    t.ok('doctor')
    assert t.dump() == before and t.count('access') == n


def test_doctor_json_and_csv_parse(t):
    t.init()
    got = rows(t)
    assert all(set(row) == {'check', 'status', 'detail'} for row in got), got
    assert all(row['status'] in ('ok', 'WARN', 'FAIL') for row in got), got
    out = t.ok('--csv', 'doctor')
    assert out.splitlines()[0] == 'check,status,detail', out


def test_doctor_warns_but_passes_off_an_encrypted_device(t):
    t.init()
    enc = [row for row in rows(t) if row['check'] == 'encryption']
    assert len(enc) == 1 and enc[0]['status'] in ('ok', 'WARN'), enc
    if enc[0]['status'] == 'WARN':
        assert 'not on an encrypted device' in enc[0]['detail'], enc


def test_doctor_reports_the_wal(t):
    t.init()
    wal = [row for row in rows(t) if row['check'] == 'wal']
    assert wal[0]['status'] == 'ok' and wal[0]['detail'].startswith('journal_mode wal; '), wal


# ---- data changed behind bti's back ---------------------------------------------

def test_doctor_finds_an_update_behind_btis_back_exit_7(t):
    writes(t)
    t.write_sql(("UPDATE person SET name = 'Mallory Endresen', nin = NULL WHERE id = 1", ()))
    out = fails(t, 'data', 'person 1 differs from audit row', 'in: name, nin',
                private=('Mallory', 'Endresen', 'Vilde', 'Retting', 'Doktorsen', NIN))
    assert 'audit chain   ok' in out, out  # the chain itself is intact
    got = rows(t, code=7)
    assert [r['status'] for r in got if r['check'] == 'audit chain'] == ['ok'], got


def test_doctor_finds_a_changed_state_and_date(t):
    writes(t)
    t.write_sql("UPDATE ke_case SET status = 'closed' WHERE id = 1",
                "UPDATE decision SET decided = '2026-10-21' WHERE id = 1")
    fails(t, 'data', 'ke_case 1 differs from audit row', 'in: status',
          'decision 1 differs from audit row', 'in: decided')


def test_doctor_finds_a_row_inserted_or_deleted_behind_btis_back(t):
    writes(t)
    t.write_sql("INSERT INTO unit(name) VALUES ('Skyggeenheten')",
                'DELETE FROM goal WHERE id = 1')
    fails(t, 'data', 'unit 3 has no audit entry', 'says goal 1 exists, but it does not')


def test_doctor_finds_a_dropped_trigger(t):
    writes(t)
    t.write_sql('DROP TRIGGER audit_no_delete')
    fails(t, 'triggers', 'trigger audit_no_delete is missing')


def test_doctor_finds_an_altered_trigger(t):
    writes(t)
    t.write_sql('DROP TRIGGER access_no_update',
                'CREATE TRIGGER access_no_update BEFORE UPDATE ON access WHEN 0'
                " BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END")
    fails(t, 'triggers', 'trigger access_no_update differs from the one bti made')


def test_doctor_finds_an_added_trigger_and_table(t):
    writes(t)
    t.write_sql('CREATE TABLE stash(x TEXT)',
                'CREATE TRIGGER leak AFTER INSERT ON person BEGIN INSERT INTO stash VALUES (NEW.name); END')
    fails(t, 'triggers', 'trigger leak was not made by bti')
    fails(t, 'schema', 'table stash was not made by bti')


def test_doctor_finds_a_changed_audit_row(t):
    writes(t)
    t.write_sql('DROP TRIGGER audit_only_erase', "UPDATE audit SET login = 'mallory' WHERE id = 3")
    out = fails(t, 'audit chain', 'audit row 3 does not match the chain')
    assert 'trigger audit_only_erase is missing' in out, out


def test_doctor_finds_changed_audit_values(t):
    writes(t)
    t.write_sql('DROP TRIGGER audit_only_erase',
                "UPDATE audit SET change = replace(change, 'BOAK sør', 'BOAK nord')"
                " WHERE command = 'unit edit'")
    out = fails(t, 'audit chain', 'does not match the chain')
    assert 'unit 2 differs from audit row' in out, out
    assert 'nord' not in out and 'sør' not in out, out


def test_doctor_finds_a_dangling_reference(t):
    writes(t)
    t.write_sql('DELETE FROM coordinator WHERE id = 1')  # Python leaves foreign keys off
    fails(t, 'foreign keys', 'refers to a coordinator row that does not exist')
    fails(t, 'data', 'says coordinator 1 exists, but it does not')


# ---- files -----------------------------------------------------------------------

def test_doctor_finds_a_database_open_to_others(t):
    t.init()
    os.chmod(t.db, 0o644)
    fails(t, 'permissions', f"'{t.db}' has mode 0644; it should be 0600")


def test_doctor_finds_a_directory_open_to_others(t):
    t.init()
    os.chmod(t.dir, 0o755)
    fails(t, 'permissions', f"'{t.dir}' has mode 0755; it should be 0700")


def test_doctor_finds_wal_and_shm_files_open_to_others(t):
    t.init()
    # an open connection keeps the -wal and -shm files; SQLite resets the
    # mode of an empty -wal, so this one holds a write (to the access log)
    con = sqlite3.connect(t.db, isolation_level=None)
    try:
        con.execute("INSERT INTO access(at, login, command, entity, rows)"
                    " VALUES ('2026-11-22T08:00:00Z', 'x', 'case show', 'ke_case', 1)")
        for side in ('-wal', '-shm'):
            assert os.path.exists(t.db + side), side
            os.chmod(t.db + side, 0o644)
        fails(t, 'permissions', f"'{t.db}-wal' has mode 0644", f"'{t.db}-shm' has mode 0644")
    finally:
        con.close()


def test_doctor_accepts_and_checks_a_shared_database(t):
    try:
        gid = grp.getgrnam('nogroup').gr_gid
    except KeyError:
        t.skip('no group nogroup')
    if os.geteuid() != 0:
        t.skip('only root can give the database another group here')
    t.ok('init', '--shared', 'nogroup')
    perm = [r for r in rows(t) if r['check'] == 'permissions']
    assert perm[0]['status'] == 'ok' and perm[0]['detail'].startswith('shared: '), perm
    os.chmod(t.db, 0o664)
    fails(t, 'permissions', f"'{t.db}' has mode 0664; it should be 0660")
    os.chmod(t.db, 0o660)
    os.chown(t.db, -1, 0 if gid else 1)
    fails(t, 'permissions', f"'{t.db}' belongs to group")


def test_doctor_finds_a_database_not_in_wal_mode(t):
    t.init()
    con = sqlite3.connect(t.db, isolation_level=None)
    con.execute('PRAGMA journal_mode = DELETE')
    con.close()
    fails(t, 'wal', 'journal_mode is delete, not wal')


# ---- usage and roles ---------------------------------------------------------------

def test_doctor_json_on_failure_still_parses(t):
    writes(t)
    t.write_sql('DROP TRIGGER audit_no_delete')
    got = rows(t, code=7)
    assert {'check': 'triggers', 'status': 'FAIL',
            'detail': 'trigger audit_no_delete is missing'} in got, got


def test_doctor_needs_admin_exit_8(t):
    t.init()
    t.write_sql(("UPDATE user SET role = 'caseworker' WHERE login = ?", (t.login,)))
    t.fails(8, 'doctor')


def test_doctor_takes_no_arguments_exit_2(t):
    t.init()
    t.fails(2, 'doctor', 'extra')
    t.fails(2, 'doctor', '--fix')


def test_doctor_without_a_database_exit_6(t):
    t.fails(6, 'doctor')
