"""Crash safety: bti killed with SIGKILL at random moments during writes
(SPEC sections 7 and 9: "a command that fails changes nothing: every command
is one transaction"; writes keep synchronous=FULL).

After every kill: PRAGMA integrity_check and foreign_key_check are clean
(python's sqlite3, which also recovers a hot WAL as the next bti would),
`bti audit verify` passes, `bti doctor` is clean (skipped while doctor is
not built), any
-wal/-shm file left behind is 0600, and the killed operation is wholly there
or wholly absent (rows counted).

The delays are random but seeded: the seed is printed in every failure and
BTI_CRASH_SEED=N reruns the same random draws.  A delay is drawn between 0
and a little more than one uninterrupted run of the same command (measured
first, then followed: shorter when bti ended before its kill, longer when
the kill landed), so the kills land in start-up, in the transaction and
around the commit, under load and under the sanitizers too.  Only kills
that landed (exit by SIGKILL) count.

At least 50 kills in all: 20 in `referral add`, 10 in `ke decide`, 10 in
`restore` of an export and 10 in `import cases`, and 5 more in `backup`.
tests/long/run_long.py runs the same loops with hundreds of kills and bigger
files.
"""
import os
import random
import sqlite3
import stat
import subprocess
import time

import story

SEED = int(os.environ.get('BTI_CRASH_SEED') or random.SystemRandom().randrange(1 << 32))

# The tables restore fills, as the export lists them (the access log excepted:
# each read appends to it).
COUNTED = ('person', 'ke_case', 'referral', 'request', 'decision', 'decision_item', 'assignment',
           'unit', 'coordinator', 'review', 'audit')


class Crash:
    """The kills of one test: a seeded random source and a count of kills."""

    def __init__(self, t, name):
        self.t = t
        self.name = name
        self.rng = random.Random(f'{SEED}:{name}')
        self.kills = 0
        self.runs = 0
        self.span = None
        self.log = []

    def where(self):
        return (f'[{self.name}: BTI_CRASH_SEED={SEED}, run {self.runs}, kills so far {self.kills}; '
                f'last delays {self.log[-3:]}]')

    def check(self, cond, msg):
        if not cond:
            raise AssertionError(f'{msg} {self.where()}')

    def timed(self, args, env=None):
        """Run bti to its end; (seconds, Result)."""
        start = time.monotonic()
        r = self.t.run(*args, env=env)
        return time.monotonic() - start, r

    def calibrate(self, runs):
        """The shortest of the uninterrupted runs [(args, env), ...], each of
        which must succeed: how long the kills' delays may be."""
        best = None
        for args, env in runs:
            secs, r = self.timed(args, env)
            assert r.rc == 0, f'bti {" ".join(args)}: exit {r.rc}: {r.err.strip()}'
            best = secs if best is None else min(best, secs)
        return best

    def kill_during(self, args, longest, env=None):
        """Start bti with args, SIGKILL it after a random delay in [0, 1.2 *
        span]; its exit status (-9 when the kill landed).  span starts as
        longest (an uninterrupted run) and follows the machine's load: it
        shrinks when bti ended before the kill and grows when the kill landed."""
        if self.span is None:
            self.span = longest
        delay = self.rng.uniform(0, 1.2 * self.span)
        self.runs += 1
        self.log.append(round(delay, 4))
        e = dict(self.t.env)
        e.update(env or {})
        p = subprocess.Popen([self.t.bti, *args], env=e, cwd=self.t.dir, stdin=subprocess.DEVNULL,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            time.sleep(delay)
            p.kill()
            _, err = p.communicate(timeout=30)
        finally:
            if p.poll() is None:
                p.kill()
                p.wait()
        if p.returncode == -9:
            self.kills += 1
            self.span *= 1.05
        else:
            self.span *= 0.8
            self.check(p.returncode == 0, f'bti {" ".join(args)} ended by itself with exit '
                       f'{p.returncode}: {err.decode(errors="replace").strip()}')
        return p.returncode

    def after(self, path=None, verify=True):
        """The checks after each kill, on the database at path (BTI_DB)."""
        t = self.t
        path = path or t.db
        for suffix in ('-wal', '-shm', '-journal'):
            try:
                mode = stat.S_IMODE(os.lstat(path + suffix).st_mode)
            except FileNotFoundError:
                continue
            self.check(mode == 0o600, f'{os.path.basename(path + suffix)} left with mode {mode:04o}')
        problems = integrity(path)
        self.check(not problems, f'the database is damaged after a kill: {problems}')
        if not verify:
            return
        env = {'BTI_DB': path}
        r = t.run('audit', 'verify', env=env)
        self.check(r.rc == 0, f'audit verify after a kill: exit {r.rc}: {r.err.strip()}')
        if doctor_built(t):
            r = t.run('doctor', env=env)
            self.check(r.rc == 0, f'doctor after a kill: exit {r.rc}: {r.err.strip()}')

    def enough(self, want, runs):
        """Go on until want kills landed (at most runs runs)."""
        return self.kills < want and self.runs < runs


def integrity(path):
    """What integrity_check and foreign_key_check find (empty when clean)."""
    con = sqlite3.connect(path, timeout=30)
    try:
        found = [r[0] for r in con.execute('PRAGMA integrity_check')]
        if found == ['ok']:
            found = []
        found += [f'foreign key {r}' for r in con.execute('PRAGMA foreign_key_check')]
        return found
    finally:
        con.close()


_DOCTOR = {}


def doctor_built(t):
    """Whether `bti doctor` exists yet (its colleague is writing it)."""
    if t.bti not in _DOCTOR:
        r = t.run('doctor', '-h')
        _DOCTOR[t.bti] = r.rc == 0 and 'being written' not in r.out + r.err
    return _DOCTOR[t.bti]


def counts(path, tables=COUNTED):
    """{table: rows} of the database at path; {} for a file without tables."""
    con = sqlite3.connect(f'file:{path}?mode=ro', uri=True, timeout=30)
    try:
        have = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        return {tb: con.execute(f'SELECT count(*) FROM "{tb}"').fetchone()[0]
                for tb in tables if tb in have}
    finally:
        con.close()


def cases_csv(tag, n, status='received'):
    """An import file of n synthetic people referred on story.RECEIVED."""
    lines = ['name,born,source,requests,received,status,unit,decided']
    extra = {'received': ',,', 'granted': f',{story.UNIT},{story.DECIDED}'}[status]
    for j in range(n):
        born = f'{2000 + j % 20}-{j % 12 + 1:02d}-{j % 28 + 1:02d}'
        lines.append(f'Test Krasjesen {tag}-{j},{born},bti,"coordinator,ip",{story.RECEIVED},'
                     f'{status}{extra}')
    return '\n'.join(lines) + '\n'


# ---- the loops (tests/long/run_long.py runs them with more kills) -----------

def referral(i):
    return ['referral', 'add', '--name', f'Test Krasjesen {i}', '--born', '2010-05-05',
            '--source', 'bti', '--requests', 'coordinator,ip', '--referrer', 'Fastlegen']


def crash_referrals(t, kills, name='referral add'):
    """SIGKILL `referral add` (person, case, referral, two requests and
    their audit rows in one transaction) kills times."""
    c = Crash(t, name)
    t.init()
    base = counts(t.db)
    secs = c.calibrate([(referral(0), None)])
    one = {k: v - base[k] for k, v in counts(t.db).items()}  # the rows of one referral
    secs = min(secs, c.calibrate([(referral(-1), None), (referral(-2), None)]))
    base = counts(t.db)
    i = 0
    while c.enough(kills, 5 * kills):
        i += 1
        c.kill_during(referral(i), secs)
        c.after()
        now = counts(t.db)
        n = now['ke_case'] - base['ke_case']
        want = {k: base[k] + n * one[k] for k in base}
        c.check(now == want, f'after {n} whole referrals the rows are {now}, expected {want}')
        names = [x for (x,) in t.sql('SELECT name FROM person')]
        c.check(len(names) == len(set(names)), f'a referral was stored twice: {names}')
    c.check(c.kills >= kills, f'only {c.kills} kills landed')
    return c


def decide(case):
    return ['ke', 'decide', str(case), '--grant', '--unit', story.UNIT, '--covers', 'coordinator',
            '--date', story.DECIDED]


def crash_decisions(t, kills, name='ke decide'):
    """SIGKILL `ke decide --grant` (a decision, its items, the case's new
    state and their audit rows)."""
    c = Crash(t, name)

    def build(t):
        story.base(t)
        t.write('cases.csv', cases_csv('d', 3 * kills + 3))
        t.ok('-q', 'import', 'cases', t.path('cases.csv'))
    t.snapshot(f'crash-decide-{kills}', build)
    before = counts(t.db)
    secs = c.calibrate([(decide(1), None)])
    one = {k: v - before[k] for k, v in counts(t.db).items()}
    secs = min(secs, c.calibrate([(decide(2), None), (decide(3), None)]))
    before = counts(t.db)
    case = 3
    while c.enough(kills, 5 * kills):
        case += 1
        rc = c.kill_during(decide(case), secs)
        c.after()
        got = t.sql('SELECT count(*) FROM decision WHERE case_id = ?', (case,))[0][0]
        st = t.one('SELECT status FROM ke_case WHERE id = ?', (case,))
        c.check((got, st) in ((0, 'received'), (1, 'granted')),
                f'case {case}: {got} decisions and status {st!r} after a kill')
        c.check(rc != 0 or got == 1, f'case {case}: exit 0 but no decision')
        now = counts(t.db)
        done = now['decision'] - before['decision']
        want = {k: before[k] + done * one[k] for k in before}
        c.check(now == want, f'after {done} whole decisions the rows are {now}, expected {want}')
    c.check(c.kills >= kills, f'only {c.kills} kills landed')
    return c


def imported(t, cases):
    """story.base with `cases` imported granted cases."""
    def build(t):
        story.base(t)
        t.write('cases.csv', cases_csv('r', cases, 'granted'))
        t.ok('-q', 'import', 'cases', t.path('cases.csv'))
    t.snapshot(f'crash-restore-{cases}', build)


def exported(t, cases):
    """imported(t, cases) and its export; the export's path."""
    imported(t, cases)
    path = t.path('export.json')
    t.ok('-q', '--identify', 'export', path)
    return path


def crash_restore(t, kills, cases=40, name='restore'):
    """SIGKILL `restore` of an export into a new database: afterwards there
    is no database, or one without rows, or the whole restore."""
    c = Crash(t, name)
    export = exported(t, cases)
    want = counts(t.db)
    want['audit'] += 1  # restore appends its own row
    secs = c.calibrate([(['restore', export], {'BTI_DB': t.path(f'c{k}', 'bti.db')})
                        for k in range(2)])
    assert counts(t.path('c0', 'bti.db')) == want, (counts(t.path('c0', 'bti.db')), want)
    i = 0
    while c.enough(kills, 5 * kills):
        i += 1
        target = t.path(f'r{i}', 'bti.db')
        rc = c.kill_during(['restore', export], secs, env={'BTI_DB': target})
        if not os.path.exists(target):
            continue
        c.after(target, verify=False)
        got = counts(target)
        empty = all(v == 0 for v in got.values())
        c.check(got == want or empty,
                f'a killed restore left part of the export: {got}, expected {want} or nothing')
        c.check(rc != 0 or got == want, 'restore exited 0 without the whole export')
        if got == want:
            r = t.run('audit', 'verify', env={'BTI_DB': target})
            c.check(r.rc == 0, f'audit verify of a restored database: exit {r.rc}: {r.err.strip()}')
    c.check(c.kills >= kills, f'only {c.kills} kills landed')
    return c


def crash_import(t, kills, rows=150, name='import cases'):
    """SIGKILL `import cases` of a file of `rows` cases: all of them or none."""
    c = Crash(t, name)
    story.base(t)
    before = counts(t.db)
    files = [t.write(f'c{k}.csv', cases_csv(f'c{k}', rows)) for k in range(2)]
    secs = c.calibrate([(['-q', 'import', 'cases', f], None) for f in files[:1]])
    one = {k: v - before[k] for k, v in counts(t.db).items()}
    assert one['ke_case'] == rows, one
    secs = min(secs, c.calibrate([(['-q', 'import', 'cases', f], None) for f in files[1:]]))
    before = counts(t.db)
    done = 0
    i = 0
    while c.enough(kills, 5 * kills):
        i += 1
        f = t.write(f'i{i}.csv', cases_csv(f'i{i}', rows))
        rc = c.kill_during(['-q', 'import', 'cases', f], secs)
        os.unlink(f)
        c.after()
        now = counts(t.db)
        whole, part = divmod(now['ke_case'] - before['ke_case'], rows)
        c.check(part == 0, f'a killed import left {part} of its {rows} cases')
        c.check(whole - done in ((1,) if rc == 0 else (0, 1)),
                f'{whole - done} imports more after one exited {rc}')
        done = whole
        want = {k: before[k] + done * one[k] for k in before}
        c.check(now == want, f'after {done} whole imports the rows are {now}, expected {want}')
    c.check(c.kills >= kills, f'only {c.kills} kills landed')
    return c


def crash_backup(t, kills, name='backup'):
    """SIGKILL `backup FILE`: the live database stays whole, and what stands
    at FILE afterwards is nothing or a whole, checked copy; any temporary
    file left beside it is 0600."""
    c = Crash(t, name)
    imported(t, 40)
    folder = t.path('backups')
    os.mkdir(folder, 0o700)
    secs = c.calibrate([(['backup', os.path.join(folder, f'c{k}.db')], None) for k in range(2)])
    i = 0
    while c.enough(kills, 5 * kills):
        i += 1
        target = os.path.join(folder, f'b{i}.db')
        rc = c.kill_during(['backup', target], secs)
        c.after()
        for f in os.listdir(folder):
            m = stat.S_IMODE(os.lstat(os.path.join(folder, f)).st_mode)
            c.check(m == 0o600, f'{f} left beside the backups with mode {m:04o}')
        if os.path.exists(target):
            c.check(integrity(target) == [], f'a killed backup left a damaged copy: {integrity(target)}')
            r = t.run('audit', 'verify', env={'BTI_DB': target})
            c.check(r.rc == 0, f'audit verify of a backup: exit {r.rc}: {r.err.strip()}')
        else:
            c.check(rc != 0, 'backup exited 0 without its file')
    c.check(c.kills >= kills, f'only {c.kills} kills landed')
    return c


# ---- the tests ---------------------------------------------------------------

def test_crash_referral_add_20_kills(t):
    crash_referrals(t, 20)


def test_crash_ke_decide_10_kills(t):
    crash_decisions(t, 10)


def test_crash_restore_10_kills(t):
    crash_restore(t, 10)


def test_crash_import_cases_10_kills(t):
    crash_import(t, 10)


def test_crash_backup_5_kills(t):
    crash_backup(t, 5)


def test_restore_can_be_retried_after_a_crash(t):
    """A restore killed once it has begun writing must not block the next
    attempt: it leaves no database, or an empty one (SPEC section 6 restores
    "into an empty database"), and the same restore then goes through.
    Killed at two moments: as soon as the database file exists (before its
    schema), and once its WAL exists (inside the restore's transaction)."""
    export = exported(t, 40)
    want = counts(t.db)
    want['audit'] += 1
    problems, killed = [], 0
    for moment, suffix in (('as the file appeared', ''), ('inside the transaction', '-wal')):
        folder = t.path(f'again{len(suffix)}')
        os.mkdir(folder, 0o700)
        target = os.path.join(folder, 'bti.db')
        p = subprocess.Popen([t.bti, 'restore', export], env={**t.env, 'BTI_DB': target}, cwd=t.dir,
                             stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + 20
            while not os.path.exists(target + suffix) and p.poll() is None and time.monotonic() < deadline:
                time.sleep(0.0001)
            p.kill()
        finally:
            p.wait()
        if p.returncode == 0:
            continue  # it finished first: nothing to retry
        killed += 1
        if os.path.exists(target) and not all(v == 0 for v in counts(target).values()):
            problems.append(f'killed {moment}: part of the export was left: {counts(target)}')
            continue
        r = t.run('restore', export, env={'BTI_DB': target})
        if r.rc != 0:
            problems.append(f'killed {moment}: bti restore again: exit {r.rc}, expected 0; '
                            f'stderr: {r.err.strip()}')
        elif counts(target) != want:
            problems.append(f'killed {moment}: the retry restored {counts(target)}, expected {want}')
    if not killed:
        t.skip('the restores finished before they could be killed')
    assert not problems, ' | '.join(problems)
