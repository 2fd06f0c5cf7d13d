"""Real OS logins for the tests of access by need (issue 20).

`with Logins(t, 'case', 'rep', 'koa') as L:` makes a group and one system
user per name (each given a unique OS name, L.login['case']), a database
made by root with `bti init --shared GROUP` in a directory under /tmp
(reachable by the users), and a copy of bti they can run.  `L.bti(name,
*args)` runs bti as that user with the shared group as their only group
(so they reach the database as the shared mode lets them, through the
group); `L.root(*args)` runs it as root, the database's admin.  Everything
is removed afterwards.  Needs root, useradd and setpriv (else the test is
skipped).
"""
import grp
import json
import os
import pwd
import random
import shutil
import string
import subprocess
import tempfile

import fixture

SAN_VARS = ('ASAN_OPTIONS', 'UBSAN_OPTIONS', 'LSAN_OPTIONS')


def free_name(prefix, exists):
    """prefix and six random letters, a name nobody has yet."""
    for _ in range(20):
        name = prefix + ''.join(random.choices(string.ascii_lowercase, k=6))
        if not exists(name):
            return name
    raise AssertionError(f'no free name with prefix {prefix!r}')


def known(lookup, name):
    """Whether lookup (grp.getgrnam, pwd.getpwnam) finds name."""
    try:
        lookup(name)
        return True
    except KeyError:
        return False


def _sys(*cmd):
    p = subprocess.run(list(cmd), capture_output=True, text=True, timeout=30,
                       stdin=subprocess.DEVNULL)
    assert p.returncode == 0, f'{" ".join(cmd)}: exit {p.returncode}: {p.stderr.strip()}'


class Logins:
    def __init__(self, t, *names):
        if os.geteuid() != 0:
            t.skip('needs root to make OS users')
        for tool in ('groupadd', 'useradd', 'userdel', 'groupdel', 'setpriv'):
            if not shutil.which(tool):
                t.skip(f'no {tool} on this machine')
        self.t, self.names = t, names
        self.login, self.users, self.group, self.base = {}, [], None, None

    def __enter__(self):
        try:
            self._make()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def _make(self):
        self.group = free_name('btig', lambda n: known(grp.getgrnam, n))
        _sys('groupadd', '--system', self.group)
        self.gid = grp.getgrnam(self.group).gr_gid
        for name in self.names:
            user = free_name('btiu', lambda n: known(pwd.getpwnam, n) or known(grp.getgrnam, n))
            _sys('useradd', '--system', '--no-create-home', '--user-group', '--shell',
                 '/usr/sbin/nologin', user)
            self.users.append(user)
            self.login[name] = user
        self.base = tempfile.mkdtemp(prefix='bti-logins-', dir='/tmp')
        os.chmod(self.base, 0o755)
        self.bin = os.path.join(self.base, 'bti')
        shutil.copyfile(self.t.bti, self.bin)
        os.chmod(self.bin, 0o755)
        self.db = os.path.join(self.base, 'data', 'bti.db')
        self.t.db = self.db  # t.dump() and t.one() read this database
        r = self.root('init', '--shared', self.group)
        assert r.rc == 0, f'init --shared: exit {r.rc}: {r.err.strip()}'

    def __exit__(self, *exc):
        for user in self.users:
            subprocess.run(['userdel', user], capture_output=True, timeout=30)
            if known(grp.getgrnam, user):
                subprocess.run(['groupdel', user], capture_output=True, timeout=30)
        if self.group:
            subprocess.run(['groupdel', self.group], capture_output=True, timeout=30)
        if self.base:
            shutil.rmtree(self.base, ignore_errors=True)

    def root(self, *args):
        """bti as root (the admin) on the database."""
        return self.t.run('--db', self.db, *args)

    def root_ok(self, *args):
        r = self.root(*args)
        assert r.rc == 0, f'bti {" ".join(args)} as root: exit {r.rc}: {r.err.strip()}'
        return r.out

    def bti(self, name, *args):
        """bti as the user `name`, whose only group is the shared one."""
        uid = pwd.getpwnam(self.login[name]).pw_uid
        env = {'PATH': '/usr/bin:/bin', 'HOME': self.base, 'LC_ALL': 'C.UTF-8',
               'BTI_TODAY': fixture.TODAY, 'BTI_DB': self.db}
        env.update({k: os.environ[k] for k in SAN_VARS if k in os.environ})
        cmd = ['setpriv', f'--reuid={uid}', f'--regid={self.gid}', '--clear-groups', '--',
               'env', '-i', *[f'{k}={v}' for k, v in env.items()], self.bin, *args]
        p = subprocess.run(cmd, capture_output=True, timeout=fixture.TIMEOUT, cwd=self.base,
                           stdin=subprocess.DEVNULL)
        return fixture.Result(p.returncode, p.stdout.decode('utf-8', 'surrogateescape'),
                              p.stderr.decode('utf-8', 'surrogateescape'))

    def ok(self, name, *args):
        r = self.bti(name, *args)
        assert r.rc == 0, f'bti {" ".join(args)} as {name}: exit {r.rc}: {r.err.strip()}'
        return r.out

    def json(self, name, *args):
        return json.loads(self.ok(name, '--json', *args))

    def fails(self, code, name, *args, err_contains=(), private=()):
        """As user `name`: exit `code`, a `bti: error: ` message holding
        err_contains and no value of private, nothing on stdout, and the
        database unchanged (but for its access log)."""
        before = self.t.dump()
        r = self.bti(name, *args)
        cmd = f'bti {" ".join(args)} as {name}'
        assert r.rc == code, f'{cmd}: exit {r.rc}, expected {code}; stderr: {r.err.strip()}'
        assert r.err.startswith('bti: error: '), f'{cmd}: {r.err[:200]!r}'
        assert r.out == '', f'{cmd}: printed {r.out[:200]!r}'
        for s in [err_contains] if isinstance(err_contains, str) else err_contains:
            assert s in r.err, f'{cmd}: stderr lacks {s!r}: {r.err.strip()}'
        for s in [private] if isinstance(private, str) else private:
            assert s not in r.err, f'{cmd}: stderr quotes {s!r}'
        assert self.t.dump() == before, f'{cmd}: failed but the database changed'
        return r
