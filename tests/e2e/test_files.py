"""The files bti makes and the files it must not touch (SPEC section 9):
the database, its -wal and -shm, a backup and an export are 0600 and the
folders bti makes 0700, even under umask 000 (bti sets umask 077 itself);
`init` refuses a folder that another user owns or others may enter (exit 1);
a symlink planted where a backup or export goes is never followed.

bti runs here through `sh -c 'umask 000; exec bti ...'`.  The backup parts
skip while `bti backup` is still being written.
"""
import os
import pwd
import sqlite3
import stat
import subprocess
import time

import story

VICTIM = 'the file a symlink points at\n'


def umask0(t, *args, env=None, stdout=None, input=None):
    """Run bti under umask 000; (rc, stdout bytes, stderr str)."""
    e = dict(t.env)
    e.update(env or {})
    p = subprocess.run(['sh', '-c', 'umask 000; exec "$0" "$@"', t.bti, *args], env=e,
                       cwd=t.dir, input=input, stdin=None if input is not None else subprocess.DEVNULL,
                       stdout=stdout or subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
    return p.returncode, p.stdout, p.stderr.decode(errors='replace')


def mode(path):
    return stat.S_IMODE(os.lstat(path).st_mode)


def assert_mode(path, want):
    got = mode(path)
    assert got == want, f'{path}: mode {got:04o}, expected {want:04o}'


def victim(t, name='victim.txt'):
    """A file a planted symlink will point at: (path, its stat)."""
    p = t.write(name, VICTIM, mode=0o644)
    return p, os.stat(p)


def assert_untouched(path, st):
    with open(path) as f:
        assert f.read() == VICTIM, f'{path} was written through a symlink'
    now = os.stat(path)
    assert (now.st_mode, now.st_size, now.st_mtime_ns, now.st_ino) == \
        (st.st_mode, st.st_size, st.st_mtime_ns, st.st_ino), f'{path} was changed through a symlink'


def private_dir(t, name):
    p = t.path(name)
    os.mkdir(p, 0o700)
    return p


def cases_csv(n):
    lines = ['name,born,source,requests,received']
    lines += [f'Test Filsen {i},{2000 + i % 20}-0{i % 9 + 1}-1{i % 9},bti,"coordinator,ip",{story.RECEIVED}'
              for i in range(n)]
    return '\n'.join(lines) + '\n'


def watch_sidecars(t, args, db, env=None):
    """Run bti under umask 000 and poll for db-wal and db-shm while it runs:
    {suffix: mode} of those seen, and the exit code."""
    e = dict(t.env)
    e.update(env or {})
    p = subprocess.Popen(['sh', '-c', 'umask 000; exec "$0" "$@"', t.bti, *args], env=e, cwd=t.dir,
                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    seen = {}
    deadline = time.monotonic() + 60
    while p.poll() is None and time.monotonic() < deadline:
        for suffix in ('-wal', '-shm', '-journal'):
            try:
                seen.setdefault(suffix, mode(db + suffix))
            except FileNotFoundError:
                pass
        time.sleep(0.0005)
    _, err = p.communicate(timeout=60)
    assert p.returncode == 0, f'bti {" ".join(args)}: exit {p.returncode}: {err.decode(errors="replace")}'
    return seen


# ---- modes under umask 000 ------------------------------------------------------------

def test_init_under_umask_000_makes_a_0600_file_in_0700_folders(t):
    db = t.path('a', 'b', 'c', 'bti.db')
    rc, out, err = umask0(t, 'init', env={'BTI_DB': db})
    assert rc == 0, err
    assert_mode(db, 0o600)
    for d in ('a', 'a/b', 'a/b/c'):
        assert_mode(t.path(d), 0o700)
    for suffix in ('-wal', '-shm'):
        if os.path.exists(db + suffix):
            assert_mode(db + suffix, 0o600)


def test_wal_and_shm_are_0600_under_umask_000(t):
    story.base(t)
    t.write('cases.csv', cases_csv(300))
    seen = watch_sidecars(t, ['-q', 'import', 'cases', t.path('cases.csv')], t.db)
    assert '-wal' in seen and '-shm' in seen, f'never saw the -wal and -shm files: {seen}'
    assert all(m == 0o600 for m in seen.values()), {k: f'{v:04o}' for k, v in seen.items()}
    assert_mode(t.db, 0o600)


def test_export_under_umask_000_is_0600(t):
    story.base(t)
    out = private_dir(t, 'out')
    target = os.path.join(out, 'export.json')
    rc, _, err = umask0(t, '--identify', 'export', target)
    assert rc == 0, err
    assert_mode(target, 0o600)
    assert os.listdir(out) == ['export.json'], os.listdir(out)  # no temporary file left


def test_export_to_a_file_name_in_the_working_directory(t):
    """`bti export --identify FILE` with FILE a bare name (no folder):
    written in the working directory like any other command would."""
    story.base(t)
    r = t.run('--identify', 'export', 'export.json')
    assert r.rc == 0, f'bti --identify export export.json: exit {r.rc}, expected 0; stderr: {r.err.strip()}'
    assert_mode(t.path('export.json'), 0o600)
    with open(t.path('export.json')) as f:
        assert f.readline().startswith('{"bti_export":1,')


def test_export_to_stdout_readable_by_others_is_refused(t):
    """Under umask 000 the shell makes the redirect's file 0666: bti refuses it."""
    story.base(t)
    p = t.path('stdout.json')
    before = t.dump()
    with open(p, 'wb') as f:
        rc, _, err = umask0(t, '--identify', 'export', stdout=f)
    assert rc == 1, (rc, err)
    assert err.startswith('bti: error: identified output to a standard output that is a file '
                          'others can read\nhint: write it to a private file with -o FILE'), err
    assert os.path.getsize(p) == 0, 'the export went to a file others can read'
    assert t.dump() == before, 'a refused export logged its reads'
    fd = os.open(t.path('private.json'), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, 'wb') as f:
        rc, _, err = umask0(t, '--identify', 'export', stdout=f)
    assert rc == 0, err
    assert os.path.getsize(t.path('private.json')) > 0


def test_export_to_a_file_while_stdout_is_readable_by_others(t):
    """`bti --identify export FILE` from a cron job whose standard output
    is a log file others can read: nothing identified goes to that log,
    so the export is made (0600) and the log gets nothing."""
    story.base(t)
    log = t.path('cron.log')
    with open(log, 'wb') as f:
        os.chmod(log, 0o644)
        rc, _, err = umask0(t, '--identify', 'export', t.path('export.json'), stdout=f)
    assert rc == 0, (rc, err)
    assert os.path.getsize(log) == 0, 'the export wrote to standard output'
    assert_mode(t.path('export.json'), 0o600)
    with open(t.path('export.json')) as f:
        assert f.readline().startswith('{"bti_export":1,')


def test_restore_under_umask_000_makes_0600_in_0700_folders(t):
    story.base(t)
    export = t.path('export.json')
    t.ok('-q', '--identify', 'export', export)
    db = t.path('r', 's', 'bti.db')
    seen = watch_sidecars(t, ['-q', 'restore', export], db, env={'BTI_DB': db})
    assert_mode(db, 0o600)
    assert_mode(t.path('r'), 0o700)
    assert_mode(t.path('r', 's'), 0o700)
    assert all(m == 0o600 for m in seen.values()), {k: f'{v:04o}' for k, v in seen.items()}


def test_backup_under_umask_000_is_0600(t):
    story.base(t)
    out = private_dir(t, 'backups')
    target = os.path.join(out, 'bti-backup.db')
    rc, _, err = umask0(t, 'backup', target)
    assert rc == 0, err
    assert_mode(target, 0o600)
    for suffix in ('-wal', '-shm', '-journal'):
        if os.path.exists(target + suffix):
            assert_mode(target + suffix, 0o600)
    con = sqlite3.connect(f'file:{target}?mode=ro', uri=True)
    try:
        assert con.execute('PRAGMA integrity_check').fetchall() == [('ok',)]
        rows = con.execute('SELECT count(*) FROM audit').fetchone()[0]
    finally:
        con.close()
    # the live audit records the backup (with the file's SHA-256) after it
    assert rows == t.count('audit') - 1, (rows, t.count('audit'))
    assert t.one('SELECT command FROM audit ORDER BY id DESC LIMIT 1') == 'backup'


def test_backup_refuses_an_existing_file(t):
    story.base(t)
    target, st = victim(t, 'existing.db')
    t.fails(1, 'backup', target)
    assert_untouched(target, st)


# ---- folders init refuses ----------------------------------------------------------

def test_init_refuses_a_folder_owned_by_another_user_exit_1(t):
    if os.geteuid() != 0:
        t.skip('needs root to give a folder to nobody')
    try:
        nobody = pwd.getpwnam('nobody')
    except KeyError:
        t.skip('no user nobody')
    d = private_dir(t, 'theirs')
    os.chown(d, nobody.pw_uid, nobody.pw_gid)
    db = os.path.join(d, 'bti.db')
    rc, out, err = umask0(t, 'init', env={'BTI_DB': db})
    assert rc == 1, (rc, err)
    assert err.startswith('bti: error: '), err
    assert not os.path.exists(db), 'init created the database in a folder of another user'


def test_init_refuses_a_folder_open_to_others_exit_1(t):
    for m in (0o755, 0o711, 0o707):
        d = t.path(f'open{m:o}')
        os.mkdir(d)
        os.chmod(d, m)
        db = os.path.join(d, 'bti.db')
        rc, out, err = umask0(t, 'init', env={'BTI_DB': db})
        assert rc == 1, (f'{m:04o}', rc, err)
        assert err.startswith('bti: error: '), err
        assert os.listdir(d) == [], (f'{m:04o}', os.listdir(d))
        assert mode(d) == m, 'init changed the folder instead of refusing it'


# ---- symlinks planted at a target --------------------------------------------------

def test_export_does_not_follow_a_symlink_at_its_target(t):
    story.base(t)
    path, st = victim(t)
    out = private_dir(t, 'out')
    link = os.path.join(out, 'export.json')
    os.symlink(path, link)
    rc, _, err = umask0(t, '--identify', 'export', link)
    assert rc != 0, 'export wrote over a planted symlink'
    assert err.startswith('bti: error: '), err
    assert_untouched(path, st)
    assert os.path.islink(link) and os.readlink(link) == path


def test_export_does_not_follow_a_dangling_symlink(t):
    story.base(t)
    out = private_dir(t, 'out')
    planted = t.path('created-through-link.json')
    link = os.path.join(out, 'export.json')
    os.symlink(planted, link)
    rc, _, err = umask0(t, '--identify', 'export', link)
    assert rc != 0, 'export wrote to a dangling symlink'
    assert not os.path.exists(planted), 'export created the file a dangling symlink names'


def test_export_force_replaces_a_symlink_without_writing_through_it(t):
    """--force replaces what stands at FILE; the file a symlink there points
    at is never written."""
    story.base(t)
    path, st = victim(t)
    out = private_dir(t, 'out')
    link = os.path.join(out, 'export.json')
    os.symlink(path, link)
    rc, _, err = umask0(t, '--identify', 'export', link, '--force')
    assert_untouched(path, st)
    if rc == 0:
        assert not os.path.islink(link)
        assert_mode(link, 0o600)


def test_restore_does_not_follow_a_symlink_at_the_database_path(t):
    story.base(t)
    export = t.path('export.json')
    t.ok('-q', '--identify', 'export', export)
    path, st = victim(t)
    d = private_dir(t, 'restored')
    link = os.path.join(d, 'bti.db')
    os.symlink(path, link)
    rc, _, err = umask0(t, 'restore', export, env={'BTI_DB': link})
    assert rc != 0, 'restore wrote over a planted symlink'
    assert err.startswith('bti: error: '), err
    assert_untouched(path, st)
    assert os.path.islink(link)


def test_backup_does_not_follow_a_symlink_at_its_target(t):
    story.base(t)
    path, st = victim(t)
    out = private_dir(t, 'backups')
    link = os.path.join(out, 'bti-backup.db')
    os.symlink(path, link)
    rc, _, err = umask0(t, 'backup', link)
    assert rc != 0, 'backup wrote over a planted symlink'
    assert err.startswith('bti: error: '), err
    assert_untouched(path, st)
    assert os.path.islink(link) and os.readlink(link) == path


def test_backup_does_not_follow_a_dangling_symlink(t):
    story.base(t)
    out = private_dir(t, 'backups')
    planted = t.path('created-through-link.db')
    link = os.path.join(out, 'bti-backup.db')
    os.symlink(planted, link)
    rc, _, err = umask0(t, 'backup', link)
    assert rc != 0, 'backup wrote to a dangling symlink'
    assert not os.path.exists(planted), 'backup created the file a dangling symlink names'


def test_the_wal_stays_between_commands_and_bounded(t):
    """SPEC section 10: no checkpoint at every close, so the WAL stays
    between commands, and a checkpoint once it passes 64 pages keeps it
    bounded; it is 0600 like the database."""
    t.init()
    sizes = []
    for i in range(60):
        t.ok('unit', 'add', f'Enhet {i}')
        sizes.append(os.path.getsize(t.db + '-wal'))
        assert_mode(t.db + '-wal', 0o600)
        assert_mode(t.db + '-shm', 0o600)
    assert sum(1 for n in sizes if n) > len(sizes) // 2, f'the WAL did not stay: {sizes}'
    assert max(sizes) <= 80 * 4120, f'the WAL grew past its bound: {max(sizes)} bytes'
    assert any(b < a for a, b in zip(sizes, sizes[1:])), f'the WAL was never checkpointed: {sizes}'
    assert t.one('SELECT count(*) FROM unit') == 60
