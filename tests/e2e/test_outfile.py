"""Private output files (SPEC section 6): -o FILE writes any output to a new
file 0600 through an unnamed temporary file linked into place only when the
command succeeded; an existing file is refused unless --force; export FILE
uses the same writer, so a killed export leaves nothing behind; identified
output to a standard output that others can read is refused."""
import os
import signal
import stat
import subprocess
import time

import story

NAME = 'Kari Testesen'


def private(path):
    st = os.lstat(path)
    return stat.S_ISREG(st.st_mode) and stat.S_IMODE(st.st_mode) == 0o600


def listing(t):
    """The names in the test directory but the database's own files."""
    return sorted(f for f in os.listdir(t.dir) if not os.path.basename(t.db) in f)


def with_person(t):
    story.base(t)
    t.ok('person', 'add', '--name', NAME, '--born', '2010-05-05')


def test_output_option_writes_a_private_file(t):
    with_person(t)
    for opt in ('-o', '--output'):
        path = t.path(f'people{opt}.csv')
        assert t.ok(opt, path, '--csv', 'person', 'list') == ''
        assert private(path), oct(os.lstat(path).st_mode)
        assert NAME in open(path, encoding='utf-8').read()
    t.ok('person', 'list', '-o=' + t.path('eq.txt'))     # anywhere on the line, with =
    assert NAME in open(t.path('eq.txt'), encoding='utf-8').read()


def test_output_option_refuses_an_existing_file_exit_1(t):
    with_person(t)
    path = t.write('taken.csv', 'untouched\n', mode=0o644)
    t.fails(1, '-o', path, 'person', 'list', err_contains=["exists", "--force"])
    assert open(path).read() == 'untouched\n'
    link = t.path('link.csv')
    os.symlink(path, link)
    t.fails(1, '-o', link, 'person', 'list', err_contains='exists')
    assert open(path).read() == 'untouched\n' and os.path.islink(link)


def test_output_force_replaces_through_a_rename(t):
    with_person(t)
    path = t.write('old.csv', 'old\n', mode=0o644)
    ino = os.lstat(path).st_ino
    t.ok('--force', '-o', path, '--csv', 'person', 'list')
    assert private(path) and os.lstat(path).st_ino != ino
    assert NAME in open(path, encoding='utf-8').read()
    link = t.path('link.csv')
    os.symlink(path, link)
    t.ok('-o', link, '--force', 'person', 'list')
    assert not os.path.islink(link) and private(link)
    assert listing(t) == ['link.csv', 'old.csv'], listing(t)


def test_output_of_a_failed_command_leaves_nothing(t):
    with_person(t)
    t.fails(3, '-o', t.path('case.json'), '--json', 'case', 'show', '99', err_contains='99')
    t.fails(2, '-o', t.path('bad.json'), 'person', 'list', '--bogus', err_contains='--bogus')
    assert listing(t) == [], listing(t)


def test_output_refused_on_a_missing_directory_exit_6(t):
    with_person(t)
    t.fails(6, '-o', t.path('nowhere', 'x.csv'), 'person', 'list', err_contains='nowhere')


def test_output_and_an_export_file_together_exit_2(t):
    with_person(t)
    t.fails(2, '--identify', '-o', t.path('a.json'), 'export', t.path('b.json'),
            err_contains='not both')
    assert listing(t) == []


def _bulk(t, n):
    """n more people behind bti's back: an export that takes a while."""
    t.write_sql(*[("INSERT INTO person(name, born) VALUES (?, '2001-01-01')", (f'Test Person {i}',))
                  for i in range(n)])


def _writing(t, pid):
    """Non-zero when process pid holds a file in the test directory, not the
    database's, with data in it: the export being written."""
    try:
        for fd in os.listdir(f'/proc/{pid}/fd'):
            target = os.readlink(f'/proc/{pid}/fd/{fd}')
            if (target.startswith(t.dir) and not target.startswith(t.db)
                    and os.stat(f'/proc/{pid}/fd/{fd}').st_size > 0):
                return True
    except OSError:
        pass
    return False


def test_killed_export_leaves_nothing_behind(t):
    """Issue 14 finding 7: SIGKILL while the export is being written."""
    with_person(t)
    _bulk(t, 20000)
    killed = 0
    for attempt in range(5):
        p = subprocess.Popen([t.bti, '--identify', 'export', t.path('all.json')], env=t.env,
                             cwd=t.dir, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                             stdin=subprocess.DEVNULL)
        deadline = time.time() + 20
        while p.poll() is None and not _writing(t, p.pid) and time.time() < deadline:
            pass
        if p.poll() is None:
            p.send_signal(signal.SIGKILL)
            killed += 1
        p.wait()
        if killed:
            break
        os.unlink(t.path('all.json'))  # it finished before the kill: again
    if not killed:
        t.skip('the export always finished before it could be killed')
    assert listing(t) == [], listing(t)


def test_identified_output_to_a_readable_file_exit_1(t):
    with_person(t)
    before = t.dump()
    accesses = t.count('access')
    for args in (('person', 'list'), ('--csv', 'person', 'list'), ('--identify', 'case', 'list')):
        out = t.path('out.txt')
        fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        os.fchmod(fd, 0o644)
        try:
            p = subprocess.run([t.bti, *args], stdout=fd, stderr=subprocess.PIPE, env=t.env,
                               cwd=t.dir, stdin=subprocess.DEVNULL, timeout=30)
        finally:
            os.close(fd)
        err = p.stderr.decode()
        assert p.returncode == 1, (args, p.returncode, err)
        assert err.startswith('bti: error: ') and 'others can read' in err and '-o' in err, err
        assert NAME not in err and open(out).read() == '', args
        os.unlink(out)
    assert t.dump() == before and t.count('access') == accesses, 'a refused read was logged'


def test_unidentified_output_to_a_readable_file_is_written(t):
    with_person(t)
    out = t.path('report.json')
    fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    os.fchmod(fd, 0o644)
    try:
        p = subprocess.run([t.bti, '--json', 'report', 'semiannual', '--period', '2026H2'],
                           stdout=fd, stderr=subprocess.PIPE, env=t.env, cwd=t.dir,
                           stdin=subprocess.DEVNULL, timeout=30)
    finally:
        os.close(fd)
    assert p.returncode == 0, p.stderr
    assert open(out).read().startswith('{"period"')
    fd = os.open(t.path('people.txt'), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:   # a private file may hold names
        p = subprocess.run([t.bti, 'person', 'list'], stdout=fd, stderr=subprocess.PIPE,
                           env=t.env, cwd=t.dir, stdin=subprocess.DEVNULL, timeout=30)
    finally:
        os.close(fd)
    assert p.returncode == 0 and NAME in open(t.path('people.txt'), encoding='utf-8').read()


def test_force_without_an_output_file_exit_2(t):
    with_person(t)
    t.fails(2, '--force', 'person', 'list', err_contains='-o FILE')
    t.fails(2, 'backup', '--force', t.path('copy.db'), err_contains='-o FILE')
    assert listing(t) == []


def test_dry_run_writes_no_output_file(t):
    with_person(t)
    t.ok('--dry-run', '-o', t.path('out.txt'), 'unit', 'add', 'Skolehelsetjenesten')
    t.ok('--dry-run', '--identify', 'export', t.path('all.json'))
    assert listing(t) == [], listing(t)
