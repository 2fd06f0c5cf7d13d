"""The fixture every end-to-end test gets as `t`.

A fresh private temporary directory (0700, removed afterwards) with
BTI_DB=<tmp>/bti.db, BTI_TODAY=2026-11-22, HOME=<tmp>, LC_ALL=C.UTF-8 and
XDG_DATA_HOME, NO_COLOR and PAGER unset.  bti runs without a shell.

Speed: `t.init()` runs `bti init` once per run and copies that fresh
database for every later test (tests of `init` itself run `bti init`);
`t.snapshot(key, build)` does the same for a state several tests share.
The temporary directories live on /dev/shm when it is there (and TMPDIR
is not set), so the database's fsyncs cost nothing.
"""
import functools
import json
import os
import pwd
import re
import shutil
import sqlite3
import subprocess
import tempfile
from typing import NamedTuple

TODAY = '2026-11-22'
TIMEOUT = 30

# A directory shared by the whole run for cached databases (set by run.py).
CACHE = None


def temp_base():
    """Where temporary directories go: TMPDIR, else /dev/shm, else the default."""
    if 'TMPDIR' not in os.environ and os.path.isdir('/dev/shm') and os.access('/dev/shm', os.W_OK | os.X_OK):
        return '/dev/shm'
    return None


# The Norwegian locale every refusal is tried in as well (SPEC section 12),
# and the catalogue whose English must not show there.
NB = 'nb_NO.UTF-8'
CATALOGUE = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                         'po', 'nb.po')
_FORMAT = re.compile(r"%(\d+\$)?[-#0 +']*(\d+|\*)?(\.(\d+|\*))?(hh|h|ll|l|z|j|t|L)?[diouxXeEfFgGcspn%]|\\n")
_english = None


def _po_string(lines):
    """The text of a po entry's quoted lines, its escapes kept ("\\n")."""
    return ''.join(re.findall(r'"((?:[^"\\]|\\.)*)"', lines))


def english_fragments():
    """The English of the catalogue a Norwegian run must not show: each
    msgid's pieces between format directives that hold two words or more
    and that no translation uses as they are (an option list, a command)."""
    global _english
    if _english is None:
        with open(CATALOGUE, encoding='utf-8') as f:
            entries = f.read().split('\n\n')
        ids, strs = [], []
        for e in entries:
            if 'msgctxt' in e:
                continue
            m = re.search(r'^msgid ((?:".*"\n?)+)', e, re.M)
            tr = re.findall(r'^msgstr(?:\[\d\])? ((?:".*"\n?)+)', e, re.M)
            if m and _po_string(m.group(1)):
                ids.append(_po_string(m.group(1)))
                strs.extend(_po_string(x) for x in tr)
        translated = '\n'.join(strs)
        frags = set()
        for msgid in ids:
            for piece in _FORMAT.split(msgid):
                piece = (piece or '').strip(" '.,;:()")
                if piece.count(' ') >= 1 and len(piece) >= 10 and piece not in translated:
                    frags.add(piece.replace('\\"', '"'))
        _english = sorted(frags)
    return _english


def untranslated(text):
    """The catalogue's English fragments that text shows."""
    return [f for f in english_fragments() if f in text]


# Whether fails() runs each refusal again in Norwegian: off for the run
# under the sanitizers (make check-san), which the plain run's Norwegian
# pass already covers, to keep make check within its ten minutes.
NORWEGIAN_AGAIN = os.environ.get('BTI_E2E_NORWEGIAN', '1') != '0'

_messages = None
_PREFIXES = ('bti: feil: ', 'tips: ', 'bti: advarsel: ', 'bti: merk: ')


def _catalogue_messages():
    """Each one-line msgid of the catalogue as a pattern of the whole line
    (a format directive stands for anything), leaving out those that match
    a literal lib/ still holds unmarked (the library's own message, not yet
    in the catalogue: it counts once it is marked)."""
    global _messages
    if _messages is None:
        root = os.path.dirname(CATALOGUE) + '/../lib'
        lib = ''
        for d, _, fs in os.walk(root):
            for f in fs:
                if f.endswith('.c'):
                    with open(os.path.join(d, f), encoding='utf-8') as src:
                        lib += src.read()
        unmarked = set(re.findall(r'(?<!_\()"((?:[^"\\\n]|\\.)*)"', lib))
        with open(CATALOGUE, encoding='utf-8') as f:
            entries = f.read().split('\n\n')
        pats = []
        for e in entries:
            if 'msgctxt' in e:
                continue
            for m in re.finditer(r'^msgid(?:_plural)? ((?:".*"\n?)+)', e, re.M):
                msgid = _po_string(m.group(1))
                if not msgid or '\\n' in msgid or ' ' not in msgid.strip():
                    continue
                parts = _FORMAT.split(msgid)[::6]  # the text between the directives
                pat = re.compile('.*'.join(re.escape(x.replace('\\"', '"')) for x in parts))
                if not any(pat.fullmatch(x) for x in unmarked if parts[-1] in x):
                    pats.append(pat)
        _messages = pats
    return _messages


def untranslated_messages(err):
    """The lines of err (after bti's prefix) that are a catalogue message in English."""
    lines = [line for line in err.splitlines() if line]
    for i, line in enumerate(lines):
        for prefix in _PREFIXES:
            if line.startswith(prefix):
                lines[i] = line[len(prefix):]
    return [line for line in lines if any(p.fullmatch(line) for p in _catalogue_messages())]


@functools.lru_cache(maxsize=None)
def has_locale(name):
    """Whether the system has the locale name (locale -a writes utf8)."""
    want = name.lower().replace('utf-8', 'utf8')
    out = subprocess.run(['locale', '-a'], capture_output=True, text=True).stdout
    return want in out.lower().split()


class Skip(Exception):
    """Raised by t.skip(): the test cannot run here; it counts as passed."""

# Inherited variables that would change what bti does.
_DROP_PREFIXES = ('BTI_', 'LC_')
_DROP = {'LANG', 'LANGUAGE', 'XDG_DATA_HOME', 'NO_COLOR', 'PAGER', 'HOME', 'TERM', 'COLUMNS'}


class Result(NamedTuple):
    rc: int
    out: str  # decoded as UTF-8 with surrogateescape: outb gives the bytes back
    err: str

    @property
    def outb(self):
        return self.out.encode('utf-8', 'surrogateescape')

    @property
    def errb(self):
        return self.err.encode('utf-8', 'surrogateescape')


def _b(value):
    """value as bytes, for searching raw output."""
    return value if isinstance(value, bytes) else os.fsencode(str(value))


def _copy(src, dst):
    """Copy file src to a new file dst, mode 0600."""
    fd = os.open(dst, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    with open(src, 'rb') as f, os.fdopen(fd, 'wb') as g:
        shutil.copyfileobj(f, g)


def settle(path):
    """Checkpoint the WAL that bti leaves beside the database at path into
    the file, and remove it, so the file alone holds the whole database."""
    con = sqlite3.connect(path, isolation_level=None)
    try:
        con.execute('PRAGMA wal_checkpoint(TRUNCATE)')
    finally:
        con.close()


def drop_db(path):
    """Remove the database at path with the WAL and shared memory beside it."""
    for tail in ('', '-wal', '-shm'):
        if os.path.exists(path + tail):
            os.unlink(path + tail)


def place_db(src, path):
    """Put a copy of the database file src (settled) at path, where no WAL
    of an earlier database may stay beside it."""
    drop_db(path)
    shutil.copyfile(src, path)


def _show(args):
    """The command line, for a message."""
    return 'bti ' + ' '.join(a.decode('utf-8', 'backslashreplace') if isinstance(a, bytes) else str(a)
                             for a in args)


class Fixture:
    def __init__(self, bti):
        self.bti = bti
        self.dir = tempfile.mkdtemp(prefix='bti-e2e-', dir=temp_base())
        os.chmod(self.dir, 0o700)
        self.db = os.path.join(self.dir, 'bti.db')
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(_DROP_PREFIXES) and k not in _DROP}
        env.update(BTI_DB=self.db, BTI_TODAY=TODAY, HOME=self.dir, LC_ALL='C.UTF-8')
        self.env = env
        self.login = pwd.getpwuid(os.getuid()).pw_name

    def close(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def skip(self, why):
        """Stop the test: it cannot run on this machine."""
        raise Skip(why)

    # ---- running bti -------------------------------------------------------

    def run(self, *args, input=None, env=None):
        """Run bti with args (str or bytes); env entries set to None are unset."""
        e = dict(self.env)
        for k, v in (env or {}).items():
            if v is None:
                e.pop(k, None)
            else:
                e[k] = v
        if isinstance(input, str):
            input = input.encode()
        p = subprocess.run([self.bti, *args], input=input,
                           stdin=None if input is not None else subprocess.DEVNULL,
                           capture_output=True, env=e, cwd=self.dir, timeout=TIMEOUT)
        return Result(p.returncode, p.stdout.decode('utf-8', 'surrogateescape'),
                      p.stderr.decode('utf-8', 'surrogateescape'))

    def tty(self, *args, cols=80, rows=24, env=None):
        """Run bti with standard input and output at a pseudo-terminal of
        cols x rows (TERM=xterm); stderr is a pipe.  The terminal's output
        comes back with its CRLF line ends made LF."""
        import fcntl
        import pty
        import select
        import struct
        import termios
        e = dict(self.env, TERM='xterm')
        for k, v in (env or {}).items():
            if v is None:
                e.pop(k, None)
            else:
                e[k] = v
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack('HHHH', rows, cols, 0, 0))
        p = subprocess.Popen([self.bti, *args], stdin=slave, stdout=slave, stderr=subprocess.PIPE,
                             env=e, cwd=self.dir, start_new_session=True)
        os.close(slave)
        out = b''
        try:
            while select.select([master], [], [], TIMEOUT)[0]:
                try:
                    chunk = os.read(master, 65536)
                except OSError:  # EIO: every holder of the terminal closed it
                    break
                if not chunk:
                    break
                out += chunk
            err = p.stderr.read()
            p.wait(TIMEOUT)
        finally:
            os.close(master)
            if p.poll() is None:
                p.kill()
                p.wait()
            p.stderr.close()
        return Result(p.returncode, out.replace(b'\r\n', b'\n').decode('utf-8', 'surrogateescape'),
                      err.decode('utf-8', 'surrogateescape'))

    def ok(self, *args, input=None, env=None):
        """Run, assert exit 0, return stdout."""
        r = self.run(*args, input=input, env=env)
        assert r.rc == 0, f'{_show(args)}: exit {r.rc}, expected 0; stderr: {r.err.strip()}'
        return r.out

    def json(self, *args, input=None, env=None):
        """Run with --json, assert exit 0, return the parsed output."""
        out = self.ok('--json', *args, input=input, env=env)
        try:
            return json.loads(out)
        except ValueError as e:
            raise AssertionError(f'{_show(args)} --json: not JSON ({e}): {out[:200]!r}')

    def fails(self, code, *args, err_contains=None, private=(), input=None, env=None):
        """Run, assert exit `code`, a `bti: error: ` message, nothing on stdout,
        no value of `private` (names, nins) in stderr, and an unchanged
        database (every table but `access`).  Then the same in Norwegian
        (SPEC section 12): the same exit code, the message in bokmål (its
        prefix, no line a catalogue message in English), nothing on stdout, no
        private value, the database unchanged.  Returns the C Result."""
        existed = os.path.exists(self.db)
        before = self.dump() if existed else None
        r = self.run(*args, input=input, env=env)
        cmd = _show(args)
        assert r.rc == code, f'{cmd}: exit {r.rc}, expected {code}; stderr: {r.err.strip()}'
        assert r.err.startswith('bti: error: '), f'{cmd}: stderr does not start with "bti: error: ": {r.err[:200]!r}'
        assert r.out == '', f'{cmd}: failed but printed on stdout: {r.out[:200]!r}'
        if isinstance(err_contains, (str, bytes)):
            err_contains = [err_contains]
        for s in err_contains or ():
            assert _b(s) in r.errb, f'{cmd}: stderr lacks {s!r}: {r.err.strip()}'
        if isinstance(private, (str, bytes)):
            private = [private]
        for s in private:
            assert _b(s) not in r.errb, f'{cmd}: stderr quotes a private value {s!r}: {r.err.strip()}'
        self._unchanged(cmd, r.rc, existed, before)
        if NORWEGIAN_AGAIN and has_locale(NB) and \
                not (env and any(k.startswith('LC_') or k in ('LANG', 'LANGUAGE') for k in env)):
            self._fails_in_norwegian(code, args, private, input, env, existed, before)
        return r

    def _unchanged(self, cmd, rc, existed, before):
        """Assert that the database is as `before` (or still missing)."""
        if existed:
            after = self.dump()
            if after != before:
                diff = [x for x in after if x not in before] + ['-' + x for x in before if x not in after]
                raise AssertionError(f'{cmd}: exit {rc} but the database changed: {diff[:3]}')
        else:
            assert not os.path.exists(self.db), f'{cmd}: failed but created the database'

    def _fails_in_norwegian(self, code, args, private, input, env, existed, before):
        """The refusal of fails() again under LC_ALL=nb_NO.UTF-8."""
        r = self.run(*args, input=input, env=dict(env or {}, LC_ALL=NB))
        cmd = f'LC_ALL={NB} {_show(args)}'
        assert r.rc == code, f'{cmd}: exit {r.rc}, expected {code}; stderr: {r.err.strip()}'
        assert r.err.startswith('bti: feil: '), f'{cmd}: stderr does not start with "bti: feil: ": {r.err[:200]!r}'
        assert r.out == '', f'{cmd}: failed but printed on stdout: {r.out[:200]!r}'
        english = untranslated_messages(r.err)
        assert not english, f'{cmd}: untranslated {english[:3]} in: {r.err.strip()}'
        for s in private:
            assert _b(s) not in r.errb, f'{cmd}: stderr quotes a private value {s!r}: {r.err.strip()}'
        self._unchanged(cmd, r.rc, existed, before)

    def init(self):
        """A database fresh from `bti init` at BTI_DB (run once, then copied)."""
        if CACHE is None:
            return self.ok('init')
        return self.snapshot('init', lambda t: t.ok('init'))

    def snapshot(self, key, build):
        """Put the database that build(t) makes from nothing at BTI_DB: built
        by the first test that asks, copied for the others."""
        assert not os.path.exists(self.db), 'snapshot over an existing database'
        cached = os.path.join(CACHE, key + '.db') if CACHE else None
        if cached and os.path.exists(cached):
            _copy(cached, self.db)
            return ''
        out = build(self)
        if cached:
            settle(self.db)
            tmp = f'{cached}.{os.getpid()}'
            _copy(self.db, tmp)
            try:
                os.link(tmp, cached)  # the first one wins
            except FileExistsError:
                pass
            os.unlink(tmp)
        return out

    # ---- the database behind bti's back --------------------------------------

    def _ro(self, path=None):
        return sqlite3.connect(f'file:{path or self.db}?mode=ro', uri=True)

    def dump(self, path=None):
        """Every table but `access`, as SQL lines."""
        con = self._ro(path)
        try:
            return [line for line in con.iterdump() if not line.startswith('INSERT INTO "access"')]
        finally:
            con.close()

    def sql(self, query, params=()):
        """Rows of a read-only query."""
        con = self._ro()
        try:
            return con.execute(query, params).fetchall()
        finally:
            con.close()

    def one(self, query, params=()):
        """The single value of a read-only query."""
        rows = self.sql(query, params)
        assert len(rows) == 1, f'{query}: {len(rows)} rows'
        return rows[0][0]

    def count(self, table):
        return self.one(f'SELECT count(*) FROM "{table}"')

    def write_sql(self, *statements):
        """Change the database behind bti's back: each statement is SQL or (SQL, params)."""
        con = sqlite3.connect(self.db, isolation_level=None)
        try:
            con.execute('BEGIN')
            for s in statements:
                sql, params = (s, ()) if isinstance(s, str) else s
                con.execute(sql, params)
            con.execute('COMMIT')
        finally:
            con.close()

    # ---- files -------------------------------------------------------------

    def path(self, *parts):
        return os.path.join(self.dir, *parts)

    def write(self, name, content, mode=0o600):
        """A file in the test directory holding content (str or bytes); its path."""
        p = self.path(name)
        with open(p, 'wb') as f:
            f.write(_b(content) if isinstance(content, bytes) else content.encode())
        os.chmod(p, mode)
        return p
