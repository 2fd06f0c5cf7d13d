"""bti backup FILE (SPEC section 9): SQLite's online backup into a new 0600
file, checked with integrity_check, renamed into place without replacing
anything (a symlink at FILE is never followed), recorded in the audit and
the access log; admin only.  Every person is synthetic."""
import hashlib
import json
import os
import shutil
import subprocess

import story

NAME = 'Vilde Kopisen'


def _data(t):
    story.base(t)
    t.ok('referral', 'add', '--name', NAME, '--born', '2010-05-05', '--source', 'bti',
         '--requests', 'coordinator,ip', '--date', story.RECEIVED)
    story.grant(t, 1, covers='coordinator')
    story.assign(t, 1, story.K1)


def data(t):
    t.snapshot('backup-data', _data)


def sha256(path):
    with open(path, 'rb') as f:
        return hashlib.sha256(f.read()).hexdigest()


def leftovers(t):
    """Temporary files a backup left in the test directory."""
    return [f for f in os.listdir(t.dir) if f.startswith('.')]


def test_backup_writes_a_private_copy_with_the_same_data(t):
    data(t)
    before = t.dump()
    r = t.run('backup', t.path('copy.db'))
    assert r.rc == 0, r.err
    assert r.out == '', r.out
    assert r.err.startswith('backup of ') and t.path('copy.db') in r.err, r.err
    assert os.stat(t.path('copy.db')).st_mode & 0o7777 == 0o600
    assert t.dump(t.path('copy.db')) == before
    assert leftovers(t) == [], leftovers(t)


def test_backup_passes_integrity_check_in_the_sqlite3_shell(t):
    if not shutil.which('sqlite3'):
        t.skip('the sqlite3 shell is not installed')
    data(t)
    t.ok('backup', t.path('copy.db'))
    p = subprocess.run(['sqlite3', t.path('copy.db'), 'PRAGMA integrity_check'],
                       capture_output=True, text=True, timeout=60)
    assert p.returncode == 0 and p.stdout == 'ok\n', (p.stdout, p.stderr)


def test_backup_json_prints_target_and_sha256(t):
    data(t)
    got = t.json('backup', 'copy.db')  # relative to the working directory (t.dir)
    assert got == {'target': t.path('copy.db'), 'sha256': sha256(t.path('copy.db'))}, got


def test_backup_is_recorded_in_the_audit_and_the_access_log(t):
    data(t)
    t.ok('backup', t.path('copy.db'))
    rows = t.sql("SELECT command, entity_id, change FROM audit WHERE entity = 'backup'")
    assert len(rows) == 1 and rows[0][:2] == ('backup', None), rows
    assert json.loads(rows[0][2]) == {'target': t.path('copy.db'),
                                      'sha256': sha256(t.path('copy.db'))}, rows
    acc = t.sql("SELECT command, entity, what, rows FROM access WHERE entity = 'backup'")
    assert acc == [('backup', 'backup', t.path('copy.db'), t.count('person'))], acc
    t.ok('audit', 'verify')


def test_backup_is_a_database_bti_opens_and_the_doctor_passes(t):
    data(t)
    t.ok('backup', t.path('copy.db'))
    r = t.run('--db', t.path('copy.db'), 'doctor')
    assert r.rc == 0, r.out + r.err
    assert t.json('--db', t.path('copy.db'), 'case', 'show', '1')['status'] == 'active'


def test_backup_refuses_an_existing_file_and_leaves_it_exit_1(t):
    data(t)
    existing = t.write('copy.db', 'an older backup')
    t.fails(1, 'backup', existing, err_contains='already exists')
    with open(existing) as f:
        assert f.read() == 'an older backup'
    assert t.one("SELECT count(*) FROM audit WHERE entity = 'backup'") == 0
    assert leftovers(t) == [], leftovers(t)


def test_backup_refuses_the_database_itself_and_a_directory_exit_1(t):
    data(t)
    t.fails(1, 'backup', t.db)
    os.mkdir(t.path('sub'), 0o700)
    t.fails(1, 'backup', t.path('sub'))


def test_backup_does_not_follow_a_symlink_at_file_exit_1(t):
    data(t)
    os.mkdir(t.path('other'), 0o700)
    target = t.path('other', 'stolen.db')
    link = t.path('copy.db')
    os.symlink(target, link)
    t.fails(1, 'backup', link)
    assert not os.path.exists(target) and os.readlink(link) == target
    existing = t.write('kept.db', 'keep')
    os.unlink(link)
    os.symlink(existing, link)
    t.fails(1, 'backup', link)
    assert os.readlink(link) == existing
    with open(existing) as f:
        assert f.read() == 'keep'


def test_backup_into_a_missing_directory_exit_6(t):
    data(t)
    t.fails(6, 'backup', t.path('no', 'such', 'copy.db'))
    assert not os.path.exists(t.path('no'))


def test_backup_is_0600_under_umask_000(t):
    data(t)
    env = dict(t.env)
    p = subprocess.run(['sh', '-c', 'umask 000; exec "$0" "$@"', t.bti, 'backup',
                        t.path('copy.db')], capture_output=True, env=env, cwd=t.dir, timeout=60)
    assert p.returncode == 0, p.stderr
    assert os.stat(t.path('copy.db')).st_mode & 0o7777 == 0o600
    for f in os.listdir(t.dir):
        st = os.stat(t.path(f))
        assert st.st_mode & 0o077 == 0, (f, oct(st.st_mode))


def test_backup_dry_run_writes_nothing(t):
    data(t)
    before = t.dump()
    r = t.run('--dry-run', 'backup', t.path('copy.db'))
    assert r.rc == 0 and r.out == '', r
    assert r.err.startswith('dry run: '), r.err
    assert not os.path.exists(t.path('copy.db'))
    assert t.dump() == before and leftovers(t) == []


def test_backup_needs_admin_exit_8(t):
    data(t)
    for role in ('caseworker', 'report'):
        t.write_sql(("UPDATE user SET role = ? WHERE login = ?", (role, t.login)))
        t.fails(8, 'backup', t.path('copy.db'))
        assert not os.path.exists(t.path('copy.db'))


def test_backup_needs_exactly_one_file_exit_2(t):
    data(t)
    t.fails(2, 'backup')
    t.fails(2, 'backup', t.path('a.db'), t.path('b.db'))
    t.fails(2, 'backup', '--force', t.path('a.db'))


def test_backup_without_a_database_exit_6(t):
    t.fails(6, 'backup', t.path('copy.db'))
    assert not os.path.exists(t.path('copy.db'))


def test_backup_never_quotes_a_personal_value(t):
    data(t)
    r = t.run('backup', t.path('copy.db'))
    assert NAME not in r.out + r.err
    t.fails(1, 'backup', t.path('copy.db'), private=[NAME])
