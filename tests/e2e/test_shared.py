"""Shared mode (SPEC section 9, issue 7): the mode holds against a user who
has a shell but not the group.

As root: a system group no person belongs to, an unprivileged user in no
such group, a copy of bti setgid that group, `bti init --shared GROUP` and
the user made a caseworker.  Then, as that user, with no BTI_DB:

- the setgid bti works for them and takes the database from /etc/bti.conf,
  never from --db or BTI_DB, and the login from getuid(), never $USER;
- the database cannot be read or written except through bti (sqlite3, cat,
  python, a new file in its directory, listing the directory);
- a file the user names (@FILE) is opened with the user's own group, not
  the shared one;
- what bti wrote for them stays 0660 in the shared group, and `bti doctor`
  (as root) passes its permissions check on the shared layout.

/etc/bti.conf is written in a private mount namespace (an overlay on /etc
that only this test's commands see) so other tests running at the same
time never see it; where that cannot be done the real file is written and
restored afterwards.  Everything made (user, group, files) is removed even
when the test fails.  Every person is synthetic."""
import grp
import json
import os
import pwd
import shutil
import sqlite3
import subprocess
import tempfile

import fixture
from oslogins import free_name, known

NAME = 'Kari Testesen'
BORN = '2010-05-05'
CONF = '/etc/bti.conf'
SAN_VARS = ('ASAN_OPTIONS', 'UBSAN_OPTIONS', 'LSAN_OPTIONS')


def _sys(*cmd, check=True):
    """Run a system command as root; its CompletedProcess."""
    p = subprocess.run(list(cmd), capture_output=True, text=True, timeout=30,
                       stdin=subprocess.DEVNULL)
    assert not check or p.returncode == 0, f'{" ".join(cmd)}: exit {p.returncode}: {p.stderr.strip()}'
    return p


def _system_python():
    """A python3 the unprivileged user can run (not root's pyenv), or None."""
    for p in ('/usr/bin/python3', '/usr/local/bin/python3', '/bin/python3'):
        real = os.path.realpath(p)
        if not os.path.isfile(real):
            continue
        parts, ok = real.split('/')[1:-1], True
        for i in range(len(parts)):
            if not os.stat('/' + '/'.join(parts[:i + 1])).st_mode & 0o001:
                ok = False
        if ok and os.stat(real).st_mode & 0o001:
            return p
    return None


def _is_sanitizer_build(path):
    with open(path, 'rb') as f:
        data = f.read()
    return b'AddressSanitizer' in data or b'__ubsan_handle' in data


class _Etc:
    """/etc/bti.conf holding `db = PATH` for the commands run through
    `prefix`: in a private mount namespace when possible, else the real
    file (saved and restored)."""

    def __init__(self, work, db):
        self.proc = None
        self.saved = None     # the real file's bytes, or False when there was none
        self.prefix = []
        upper, wk = os.path.join(work, 'upper'), os.path.join(work, 'work')
        os.mkdir(upper, 0o755)
        os.mkdir(wk, 0o700)
        script = ('mount -t overlay overlay -o "lowerdir=/etc,upperdir=$1,workdir=$2" /etc '
                  '&& printf "db = %s\\n" "$3" > /etc/bti.conf && chmod 0644 /etc/bti.conf '
                  '&& echo ready && exec sleep 120')
        if shutil.which('unshare') and shutil.which('nsenter'):
            try:
                self.proc = subprocess.Popen(
                    ['unshare', '--mount', '--propagation', 'private', 'sh', '-c', script, 'sh',
                     upper, wk, db], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                    stderr=subprocess.DEVNULL, text=True)
                ready = self.proc.stdout.readline().strip() == 'ready'
            except OSError:
                ready = False
            if ready and self._ns(self.proc.pid) != self._ns('self'):
                self.prefix = ['nsenter', '-t', str(self.proc.pid), '-m', '--']
                return
            self._stop()
        # no private namespace here: the real file, put back afterwards
        try:
            with open(CONF, 'rb') as f:
                self.saved = f.read()
        except FileNotFoundError:
            self.saved = False
        try:
            fd = os.open(CONF + '.bti-test', os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
            with os.fdopen(fd, 'w') as f:
                f.write(f'db = {db}\n')
            os.chmod(CONF + '.bti-test', 0o644)
            os.rename(CONF + '.bti-test', CONF)
        except OSError:
            if os.path.exists(CONF + '.bti-test'):
                os.unlink(CONF + '.bti-test')
            raise

    @staticmethod
    def _ns(pid):
        try:
            return os.readlink(f'/proc/{pid}/ns/mnt')
        except OSError:
            return None

    def _stop(self):
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait()
            self.proc.stdout.close()
            self.proc = None

    def close(self):
        self._stop()
        if self.saved is None:
            return
        if self.saved is False:
            try:
                os.unlink(CONF)
            except FileNotFoundError:
                pass
        else:
            with open(CONF + '.bti-test', 'wb') as f:
                f.write(self.saved)
            os.rename(CONF + '.bti-test', CONF)


def test_shared_mode_holds_against_a_user_with_a_shell_but_not_the_group(t):
    if os.geteuid() != 0:
        t.skip('needs root to make a group, a user and a setgid binary')
    for tool in ('groupadd', 'useradd', 'userdel', 'groupdel'):
        if not shutil.which(tool):
            t.skip(f'no {tool} on this machine')
    if shutil.which('setpriv'):
        drop_via = 'setpriv'
    elif shutil.which('runuser'):
        drop_via = 'runuser'
    else:
        t.skip('neither setpriv nor runuser to run a command as another user')

    group = free_name('btid', lambda n: known(grp.getgrnam, n))
    user = free_name('btiu', lambda n: known(pwd.getpwnam, n) or known(grp.getgrnam, n))
    made_group = made_user = False
    user_group = None
    mail = [p for p in (f'/var/mail/{user}', f'/var/spool/mail/{user}') if not os.path.exists(p)]
    base = tempfile.mkdtemp(prefix='bti-shared-', dir='/tmp')  # not /dev/shm: nosuid there
    etc = None
    try:
        os.chmod(base, 0o755)
        if os.statvfs(base).f_flag & os.ST_NOSUID:
            t.skip('/tmp is mounted nosuid: a setgid bti cannot run from it')
        _sys('groupadd', '--system', group)
        made_group = True
        _sys('useradd', '--system', '--no-create-home', '--shell', '/bin/sh', user)
        made_user = True
        gid = grp.getgrnam(group).gr_gid
        pw = pwd.getpwnam(user)
        uid, ugid = pw.pw_uid, pw.pw_gid
        user_group = grp.getgrgid(ugid).gr_name
        assert ugid != gid and user not in grp.getgrnam(group).gr_mem

        # the binary: a setgid copy the user can reach
        bindir = os.path.join(base, 'bin')
        os.mkdir(bindir)
        os.chmod(bindir, 0o755)
        sbti = os.path.join(bindir, 'bti')
        shutil.copyfile(t.bti, sbti)
        os.chown(sbti, 0, gid)
        os.chmod(sbti, 0o2755)
        assert os.stat(sbti).st_mode & 0o7777 == 0o2755

        # the data directory (bti init wants it private; --shared opens it to the group)
        data = os.path.join(base, 'data')
        os.mkdir(data, 0o700)
        db = os.path.join(data, 'bti.db')
        home = os.path.join(base, 'home')
        os.mkdir(home, 0o700)
        os.chown(home, uid, ugid)
        elsewhere = os.path.join(home, 'elsewhere.db')  # where the user would point bti
        etc = _Etc(base, db)

        def root(*args):
            """The plain bti as root on the shared database."""
            return t.run('--db', db, *args)

        env = {'PATH': '/usr/local/bin:/usr/bin:/bin', 'HOME': home, 'LC_ALL': 'C.UTF-8',
               'BTI_TODAY': fixture.TODAY}
        env.update({k: os.environ[k] for k in SAN_VARS if k in os.environ})
        if drop_via == 'setpriv':
            drop = ['setpriv', f'--reuid={uid}', f'--regid={ugid}', '--clear-groups', '--']
        else:
            drop = ['runuser', '-u', user, '--']

        def as_user(*cmd, extra=None):
            """cmd as the user, with a clean environment (no BTI_DB unless in extra)."""
            e = dict(env, **(extra or {}))
            full = [*etc.prefix, *drop, 'env', '-i', *[f'{k}={v}' for k, v in e.items()], *cmd]
            p = subprocess.run(full, capture_output=True, timeout=fixture.TIMEOUT, cwd=home,
                               stdin=subprocess.DEVNULL)
            return fixture.Result(p.returncode, p.stdout.decode('utf-8', 'surrogateescape'),
                                  p.stderr.decode('utf-8', 'surrogateescape'))

        def bti(*args, extra=None):
            return as_user(sbti, *args, extra=extra)

        def doctor_passes():
            """doctor as root with the plain binary: the permissions check accepts
            the shared layout; nothing worse than a WARN for encryption."""
            r = root('--json', 'doctor')
            assert r.rc == 0, f'doctor on the shared database: exit {r.rc}: {r.err.strip()} {r.out}'
            rows = json.loads(r.out)
            perm = [x for x in rows if x['check'] == 'permissions']
            assert len(perm) == 1 and perm[0]['status'] == 'ok' \
                and perm[0]['detail'].startswith('shared: '), perm
            for x in rows:
                assert x['status'] == 'ok' or (x['check'], x['status']) == ('encryption', 'WARN'), rows

        # ---- as root: init --shared and the caseworker ----------------------------
        r = root('init', '--shared', group)
        assert r.rc == 0, f'init --shared {group}: exit {r.rc}: {r.err.strip()}'
        st = os.stat(data)
        assert st.st_mode & 0o7777 == 0o2770, f'data directory mode {st.st_mode & 0o7777:04o}, expected 2770'
        assert st.st_gid == gid, f'data directory group {st.st_gid}, expected {gid} ({group})'
        st = os.stat(db)
        assert st.st_mode & 0o7777 == 0o660, f'database mode {st.st_mode & 0o7777:04o}, expected 0660'
        assert st.st_gid == gid, f'database group {st.st_gid}, expected {gid} ({group})'
        r = root('user', 'add', user, '--role', 'caseworker')
        assert r.rc == 0, f'user add {user}: exit {r.rc}: {r.err.strip()}'
        doctor_passes()

        # ---- can the setgid copy run as the user at all? -----------------------------
        probe = bti('--version')
        if probe.rc != 0:
            first = (probe.err.strip().splitlines() or [''])[0][:200]
            if _is_sanitizer_build(t.bti):
                t.skip(f'sanitizer build: a setgid bti does not run as another user (a '
                       f'setgid process cannot read /proc/self/environ, so ASAN_OPTIONS are '
                       f'lost and LeakSanitizer cannot trace it; exit {probe.rc}: {first})')
            raise AssertionError(f'setgid bti --version as {user}: exit {probe.rc}: {probe.err.strip()}')
        sanity = as_user('id', '-G')
        assert sanity.rc == 0 and str(gid) not in sanity.out.split(), \
            f'the user should not have group {group}: {sanity.out.strip()} {sanity.err.strip()}'

        # ---- the setgid bti works for them ---------------------------------------------
        r = bti('referral', 'add', '--name', NAME, '--born', BORN, '--source', 'plo',
                '--requests', 'coordinator')
        assert r.rc == 0, f'referral add as {user}: exit {r.rc}: {r.err.strip()}'

        def cases(*extra_args, extra=None):
            r = bti('--json', *extra_args, 'case', 'list', extra=extra)
            assert r.rc == 0, f'case list as {user} {extra_args} {extra}: exit {r.rc}: {r.err.strip()}'
            return json.loads(r.out)

        got = cases()
        assert [(c['id'], c['source'], c['status']) for c in got] == [(1, 'plo', 'received')], got
        # --db and BTI_DB are ignored: still the configured database, nothing made elsewhere
        assert cases('--db', elsewhere) == got
        assert cases(extra={'BTI_DB': elsewhere}) == got
        assert not os.path.exists(elsewhere), f'bti made {elsewhere}: --db or BTI_DB was obeyed'
        # the login is getuid()'s, not $USER's: a caseworker even when claiming root
        r = bti('user', 'list', extra={'USER': 'root', 'LOGNAME': 'root'})
        assert r.rc == 8, f'user list as {user} with USER=root: exit {r.rc}, expected 8; {r.err.strip()}'
        r = bti('--actor', 'root', 'user', 'list')
        assert r.rc == 8, f'user list as {user} --actor root: exit {r.rc}, expected 8; {r.err.strip()}'
        # a caseworker may not identify: refused before any file is made
        out = os.path.join(home, 'export.csv')
        r = bti('--identify', 'export', out)
        assert r.rc == 8, f'--identify export as caseworker: exit {r.rc}, expected 8; {r.err.strip()}'
        assert not os.path.exists(out), 'a refused export left a file'

        # ---- but nothing else reaches the database --------------------------------------
        r = as_user('sqlite3', db, 'SELECT name FROM person')
        assert r.rc != 0 and NAME not in r.out, f'sqlite3 read the database: {r}'
        r = as_user('sqlite3', db, 'DELETE FROM audit')
        assert r.rc != 0, f'sqlite3 wrote the database: {r}'
        r = as_user('cat', db)
        assert r.rc != 0 and r.out == '' and 'Permission denied' in r.err, f'cat read the database: {r}'
        py = _system_python()
        if py:
            r = as_user(py, '-c', 'import sys\n'
                                  'try:\n    open(sys.argv[1], "rb")\n'
                                  'except PermissionError:\n    print("denied")\n'
                                  'else:\n    print("opened")', db)
            assert (r.rc, r.out.strip()) == (0, 'denied'), f'python open(): {r}'
        r = as_user('sh', '-c', 'echo x > "$1"', 'sh', os.path.join(data, 'planted'))
        assert r.rc != 0, f'the user wrote a file in the data directory: {r}'
        assert not os.path.exists(os.path.join(data, 'planted'))
        r = as_user('ls', data)
        assert r.rc != 0 and 'Permission denied' in r.err and 'bti.db' not in r.out, f'ls listed it: {r}'

        # ---- files the user names are opened with the user's own group -------------------
        secret = os.path.join(base, 'group-only.txt')
        with open(secret, 'w') as f:
            f.write('Ola Gruppesen\n')
        os.chown(secret, 0, gid)
        os.chmod(secret, 0o640)
        r = bti('person', 'add', '--name', '@' + secret)
        assert r.rc == 4, f'person add --name @{secret} (0640 root:{group}): exit {r.rc}, expected 4; {r.err.strip()}'
        assert r.err.startswith('bti: error: ') and 'Permission denied' in r.err, r.err
        assert 'Ola' not in r.out + r.err
        mine = os.path.join(home, 'name.txt')
        with open(mine, 'w') as f:
            f.write('Per Eiesen\n')
        os.chown(mine, uid, ugid)
        os.chmod(mine, 0o600)
        r = bti('person', 'add', '--name', '@' + mine)
        assert r.rc == 0, f'person add --name @{mine} (the user\'s own file): exit {r.rc}; {r.err.strip()}'
        # the group is back after the file: bti still writes the database
        r = bti('person', 'add', '--name', 'Lise Testesen', '--born', '2011-06-06')
        assert r.rc == 0, f'person add after @FILE: exit {r.rc}; {r.err.strip()}'
        persons = json.loads(t.ok('--db', db, '--json', 'person', 'list'))
        names = sorted(p['name'] for p in persons)
        assert names == ['Kari Testesen', 'Lise Testesen', 'Per Eiesen'], names

        # ---- what bti made for the user stays in the group, 0660 ---------------------------
        st = os.stat(data)
        assert (st.st_mode & 0o7777, st.st_gid) == (0o2770, gid), f'{st.st_mode & 0o7777:04o} {st.st_gid}'
        for name in os.listdir(data):
            st = os.lstat(os.path.join(data, name))
            assert name.startswith('bti.db'), f'unexpected file {name} in the data directory'
            assert (st.st_mode & 0o7777, st.st_gid) == (0o660, gid), \
                f'{name}: mode {st.st_mode & 0o7777:04o} group {st.st_gid}, expected 0660 group {gid}'

        # ---- doctor (as root, the plain binary) still accepts the shared layout ------------
        doctor_passes()
        # and the audit names the user's login for what they did
        con = sqlite3.connect(f'file:{db}?mode=ro', uri=True)
        try:
            logins = {row[0] for row in con.execute(
                "SELECT login FROM audit WHERE command IN ('referral add', 'person add')")}
        finally:
            con.close()
        assert logins == {user}, logins
    finally:
        if etc is not None:
            etc.close()
        if made_user:
            _sys('userdel', user, check=False)
        if user_group == user and known(grp.getgrnam, user_group):  # useradd's own group for the user
            _sys('groupdel', user_group, check=False)
        if made_group:
            _sys('groupdel', group, check=False)
        for p in mail:
            if os.path.exists(p):
                os.unlink(p)
        shutil.rmtree(base, ignore_errors=True)


def test_init_shared_with_a_bare_file_name_shares_its_directory(t):
    # dirname() of "bti.db" is "." and leaves the name alone: the directory,
    # not the file, must become 2770 for the group
    if os.geteuid() != 0:
        t.skip('needs root to give the directory to another group')
    group = grp.getgrgid(os.getegid() if os.getegid() != 0 else 1).gr_name
    d = t.path('ke')
    os.mkdir(d, 0o700)
    r = subprocess.run([t.bti, '--db', 'bti.db', 'init', '--shared', group], cwd=d,
                       env={k: v for k, v in t.env.items() if k != 'BTI_DB'},
                       capture_output=True, text=True, timeout=30)
    assert r.returncode == 0, r.stderr
    assert stat_mode(d) == 0o2770, oct(stat_mode(d))
    assert stat_mode(os.path.join(d, 'bti.db')) == 0o660, oct(stat_mode(os.path.join(d, 'bti.db')))


def stat_mode(path):
    return os.stat(path).st_mode & 0o7777
