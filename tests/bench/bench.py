#!/usr/bin/env python3
"""make bench: bti's speed and memory against SPEC section 10.

The data is a municipality's history, built through bti's own `import cases`
with its status columns: referrals over fifteen years, most decided, granted,
assigned a coordinator (with a plan and its next evaluation) and closed, some
denied, a few percent open; at 10,000, 100,000 and 300,000 cases.  The old
everything-open data (every case received, granted or active: everything
owed) is the worst case, measured beside it.

Every figure is a median over several runs with its spread (min..max):

  1. the floor: a C program (tests/bench/floor.c, built here) that opens the
     database, inserts one access row and commits durably; `case show` and
     `referral add` as a ratio to it, runs interleaved;
  2. `due`, `report overview` and `report semiannual` against 50x the floor,
     and their growth from 100,000 to 300,000 cases;
  3. the `sqlite3` shell running the very statements bti ran, captured with
     BTI_TRACE (bti's own SQL functions loaded from tests/bench/functions.c);
     for the point commands in the same rounds as bti and the floor;
  4. `import cases` and `restore` in cases per second, and the import's
     write floor: the sqlite3 shell writing the import's rows again, the
     least any import of them takes (write_floor_script);
  5. peak memory (RSS) of export, due --json, the JSON and CSV reports and
     import at each scale.

Built databases are cached (default ~/.cache/bti-bench) with the figures of
their import, keyed by the generator's source, the bti binary, SQLite's
version and the scale: a second run of the same build imports only what it
times again.  Figures go to
stdout as Markdown and to --out FILE.  Every person and nin is synthetic.
"""
import argparse
import datetime
import hashlib
import inspect
import json
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
UNITS = ['Hjembaserte tjenester', 'Familiesenteret', 'BOAK', 'Psykisk helse', 'Rehabilitering']
SOURCES = ['bti', 'plo', 'application']
TODAY = '2026-11-22'
COORDINATORS = 120
D = datetime.date
DAY = datetime.timedelta(days=1)


# ---- running and timing ----------------------------------------------------

def run(cmd, env, stdin=None):
    """Run cmd; return seconds."""
    start = time.perf_counter()
    p = subprocess.run(cmd, env=env, stdin=stdin, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    took = time.perf_counter() - start
    if p.returncode != 0:
        sys.exit(f'bench: {" ".join(cmd)} failed: {p.stderr.decode(errors="replace")[:2000]}')
    return took


def timed_rss(cmd, env, stdin=None):
    """Run cmd under GNU time; return (seconds, peak RSS in MiB).  Measured
    by time(1): a child forked from Python would count Python's pages too."""
    start = time.perf_counter()
    p = subprocess.run(['/usr/bin/time', '-f', '%M'] + cmd, env=env, stdin=stdin,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    took = time.perf_counter() - start
    if p.returncode != 0:
        sys.exit(f'bench: {" ".join(cmd)} failed: {p.stderr[:2000]}')
    return took, int(p.stderr.strip().splitlines()[-1]) / 1024


class Spread:
    """Samples of one figure: median and min..max."""

    def __init__(self, samples):
        self.s = sorted(samples)

    @property
    def med(self):
        return statistics.median(self.s)

    def fmt(self, digits=1):
        m, lo, hi = self.med, self.s[0], self.s[-1]
        return f'{m:,.{digits}f} ({lo:,.{digits}f}..{hi:,.{digits}f})'


def ms_runs(cmd, env, runs):
    """Milliseconds of cmd over runs."""
    return Spread([run(cmd, env) * 1000 for _ in range(runs)])


# ---- the data ----------------------------------------------------------------

USED_NINS = set()


def nin(born, i):
    """A synthetic nin (month + 80) for birth date born, not used before, or
    None.  Individual numbers 000-499 for 1900-1999."""
    y, m, d = born.year, born.month, born.day
    w1, w2 = [3, 7, 6, 1, 8, 9, 4, 5, 2], [5, 4, 3, 2, 7, 6, 5, 4, 3, 2]
    if not 1900 <= y <= 1999:
        return None
    for ind in range(i % 400, 500):
        digits = [int(c) for c in f'{d:02d}{m + 80:02d}{y % 100:02d}{ind:03d}']
        k1 = (11 - sum(a * b for a, b in zip(w1, digits)) % 11) % 11
        if k1 == 10:
            continue
        k2 = (11 - sum(a * b for a, b in zip(w2, digits + [k1])) % 11) % 11
        if k2 == 10:
            continue
        n = ''.join(map(str, digits + [k1, k2]))
        if n not in USED_NINS:
            USED_NINS.add(n)
            return n
    return None


HISTORY_COLUMNS = ['name', 'born', 'nin', 'source', 'requests', 'received', 'status', 'unit',
                   'decided', 'notified', 'basis', 'reason', 'coordinator', 'assigned',
                   'consent_plan', 'plan', 'next_evaluation', 'closed', 'close_cause']
# before pbrl 2-5 b came into force a coordinator was granted under hol 7-2
COORDINATOR_RIGHT_FROM = D(2022, 8, 1)


def history_row(rnd, i, today):
    """One case of a municipality's history as an import row: received on a
    day of 2012-2026; decided 5-40 days later (a tenth denied); a grant's
    coordinator appointed 3-30 days after it, with a plan when asked for;
    closed after about a year (exponential), unless that lies ahead."""
    first = D(2012, 1, 2)
    received = first + rnd.randrange((today - first).days - 7) * DAY
    born = D(rnd.randint(1925, 1999), rnd.randint(1, 12), rnd.randint(1, 28))
    requests = 'coordinator,ip' if rnd.random() < 0.65 else 'coordinator'
    row = dict.fromkeys(HISTORY_COLUMNS, '')
    row.update(name=f'Person {i} Historiesen', born=born.isoformat(), nin=nin(born, i) or '',
               source=SOURCES[i % 3], requests=requests, received=received.isoformat(),
               status='received')
    decided = received + rnd.randint(5, 40) * DAY
    if decided >= today:
        return row
    row.update(decided=decided.isoformat(), notified=min(decided + rnd.randint(0, 3) * DAY,
                                                         today).isoformat())
    if decided < COORDINATOR_RIGHT_FROM:
        row['basis'] = 'hol-7-2,pbrl-2-5' if 'ip' in requests else 'hol-7-2'
    ends = decided + int(60 + rnd.expovariate(1 / 300)) * DAY
    if rnd.random() < 0.1:
        row.update(status='denied', reason='Behovet dekkes av tjenestene i dag.')
        if ends < today:
            row.update(status='closed', closed=ends.isoformat(), close_cause='denied')
        return row
    row.update(status='granted', unit=UNITS[i % 5])
    assigned = decided + rnd.randint(3, 30) * DAY
    if assigned >= today:
        return row
    row.update(status='active', coordinator=f'Koordinator {i % COORDINATORS}',
               assigned=assigned.isoformat())
    if ends <= assigned:
        ends = assigned + 30 * DAY
    if ends < today:
        cause = rnd.choices(['need-ended', 'deceased', 'moved', 'declined'], [60, 25, 10, 5])[0]
        row.update(status='closed', closed=ends.isoformat(), close_cause=cause)
    elif 'ip' in requests:
        row.update(consent_plan='all', plan=f'SP-{i}',
                   next_evaluation=(assigned + 365 * DAY).isoformat())
    return row


def write_history(path, n, seed=1):
    """A cases file of n rows of history_row."""
    rnd = random.Random(seed)
    today = D.fromisoformat(TODAY)
    USED_NINS.clear()
    with open(path, 'w', encoding='utf-8') as f:
        f.write(','.join(HISTORY_COLUMNS) + '\n')
        for i in range(n):
            row = history_row(rnd, i, today)
            f.write(','.join(f'"{row[c]}"' if ',' in row[c] else row[c]
                             for c in HISTORY_COLUMNS) + '\n')


def write_open(path, n, seed=1):
    """The worst case: n rows all open and owing, a quarter received, a
    quarter granted, the rest active with a coordinator (a tenth of those
    closed), all from the last two years."""
    rnd = random.Random(seed)
    USED_NINS.clear()
    with open(path, 'w', encoding='utf-8') as f:
        f.write('name,born,nin,source,requests,received,status,unit,decided,coordinator,'
                'assigned,closed,close_cause\n')
        for i in range(n):
            born = D(rnd.randint(1930, 1999), rnd.randint(1, 12), rnd.randint(1, 28))
            month = rnd.randint(1, 10)
            received = f'2025-{month:02d}-{rnd.randint(1, 28):02d}'
            decided = f'2025-{month + 1:02d}-{rnd.randint(1, 28):02d}'
            assigned = f'2026-{month:02d}-{rnd.randint(1, 28):02d}'
            kind = i % 4
            status = ['received', 'granted', 'active', 'active'][kind]
            closed = f'2026-{month + 1:02d}-01' if kind == 3 and i % 10 == 3 else ''
            row = [f'Person {i} Testesen', born.isoformat(), nin(born, i) or '', SOURCES[i % 3],
                   '"coordinator,ip"', received, 'closed' if closed else status,
                   UNITS[i % 5] if kind else '', decided if kind else '',
                   f'Koordinator {i % COORDINATORS}' if kind >= 2 else '',
                   assigned if kind >= 2 else '', closed, 'need-ended' if closed else '']
            f.write(','.join(row) + '\n')


MODES = {'history': write_history, 'open': write_open}


def write_coordinators(path):
    with open(path, 'w', encoding='utf-8') as f:
        f.write('name,unit,email,phone\n')
        for i in range(COORDINATORS):
            f.write(f'Koordinator {i},{UNITS[i % 5]},k{i}@example.org,\n')


# ---- databases -------------------------------------------------------------

class Bench:
    def __init__(self, a):
        self.bti = os.path.abspath(a.bti)
        self.work = tempfile.mkdtemp(prefix='bti-bench-', dir=a.workdir)
        os.chmod(self.work, 0o700)
        self.env = dict(os.environ, BTI_TODAY=TODAY)
        for k in ('BTI_DB', 'BTI_TRACE', 'BTI_ACTOR'):
            self.env.pop(k, None)
        self.cache = a.cache
        os.makedirs(self.cache, mode=0o700, exist_ok=True)
        self.key = self.cache_key()
        self.prune_cache()
        self.imports = {}  # (mode, n) -> [(seconds, MiB)]
        self.n = 0

    def path(self, name):
        return os.path.join(self.work, name)

    def with_db(self, db):
        return dict(self.env, BTI_DB=db)

    def cache_key(self):
        """The generator's source, the bti binary and SQLite's version."""
        gen = ''.join(inspect.getsource(f) for f in
                      (nin, history_row, write_history, write_open, write_coordinators, Bench.empty,
                       Bench.fresh))
        sqlite = subprocess.run(['sqlite3', '--version'], capture_output=True, text=True).stdout
        with open(self.bti, 'rb') as f:
            binary = f.read()
        return hashlib.sha256(gen.encode() + binary + sqlite.encode()).hexdigest()[:16]

    def prune_cache(self):
        """Remove the cache's databases of other keys (older builds)."""
        mine = re.compile(r'^(history|open)-\d+-([0-9a-f]{16})\.db(\.json|\.tmp)?$')
        for name in os.listdir(self.cache):
            m = mine.match(name)
            if m and m.group(2) != self.key:
                os.unlink(os.path.join(self.cache, name))

    def cases_file(self, mode, n):
        path = self.path(f'cases-{mode}-{n}.csv')
        if not os.path.exists(path):
            MODES[mode](path, n)
        return path

    def empty(self, name):
        """A new database of name with the units and coordinators of the
        bench, and no case: what an import of cases starts from."""
        db = self.path(name)
        self.drop(db)
        env = self.with_db(db)
        run([self.bti, 'init', '-q'], env)
        for u in UNITS:
            run([self.bti, 'unit', 'add', '-q', u], env)
        coordinators = self.path('coordinators.csv')
        write_coordinators(coordinators)
        run([self.bti, 'import', 'coordinators', '-q', coordinators], env)
        return db

    def fresh(self, mode, n, name):
        """A new database of n cases of mode, built by bti import; returns
        its path and (import seconds, import peak MiB)."""
        db = self.empty(name)
        env = self.with_db(db)
        cases = self.cases_file(mode, n)
        os.sync()  # the databases built before: their writes are not the import's
        figure = timed_rss([self.bti, 'import', 'cases', '-q', cases], env)
        self.imports.setdefault((mode, n), []).append(figure)
        return db, figure

    def cached(self, mode, n):
        """The cached database of n cases of mode, built (and its import
        timed) when the cache lacks it; the import's figure joins
        self.imports either way."""
        cached = os.path.join(self.cache, f'{mode}-{n}-{self.key}.db')
        meta = cached + '.json'
        if os.path.exists(cached) and os.path.exists(meta):
            if (mode, n) not in self.imports:
                with open(meta) as f:
                    self.imports[(mode, n)] = [tuple(json.load(f))]
            return cached
        db, figure = self.fresh(mode, n, f'build-{mode}-{n}.db')
        subprocess.run(['sqlite3', db, 'PRAGMA wal_checkpoint(TRUNCATE)'], check=True,
                       stdout=subprocess.DEVNULL)
        shutil.move(db, cached + '.tmp')
        os.replace(cached + '.tmp', cached)
        with open(meta, 'w') as f:
            json.dump(figure, f)
        self.drop(db)
        return cached

    def database(self, mode, n):
        """A working copy of the cached database of n cases of mode, synced
        to disk before any timing."""
        cached = self.cached(mode, n)
        self.n += 1
        return self.copy(cached, self.path(f'db-{mode}-{n}-{self.n}.db'))

    def copy(self, src, dst):
        """Copy database src to dst and sync it (dirty pages would be written
        by the next timed fsync)."""
        for suffix in ('-wal', '-shm', ''):
            if os.path.exists(dst + suffix):
                os.unlink(dst + suffix)
        shutil.copyfile(src, dst)
        if os.path.exists(src + '-wal'):
            shutil.copyfile(src + '-wal', dst + '-wal')
        for p in (dst, dst + '-wal'):
            if os.path.exists(p):
                fd = os.open(p, os.O_RDONLY)
                os.fsync(fd)
                os.close(fd)
        return dst

    def drop(self, db):
        for suffix in ('', '-wal', '-shm'):
            if os.path.exists(db + suffix):
                os.unlink(db + suffix)

    # ---- helpers built here ------------------------------------------------

    def build_helpers(self):
        """The floor program and the shell's extension of bti's functions."""
        cc = os.environ.get('CC', 'cc')
        libs = subprocess.run(['pkg-config', '--libs', 'sqlite3'], capture_output=True,
                              text=True).stdout.split()
        self.floor = self.path('floor')
        subprocess.run([cc, '-O2', '-o', self.floor, os.path.join(HERE, 'floor.c')] + libs,
                       check=True)
        self.ext = self.path('functions.so')
        utf8 = subprocess.run(['pkg-config', '--libs', 'libutf8proc'], capture_output=True,
                              text=True).stdout.split()
        subprocess.run([cc, '-std=c11', '-D_GNU_SOURCE', '-O2', '-fPIC', '-shared',
                        '-I' + os.path.join(ROOT, 'include'), '-I' + os.path.join(ROOT, 'lib'),
                        '-o', self.ext, os.path.join(HERE, 'functions.c')] +
                       [os.path.join(ROOT, 'lib', 'base', f) for f in ('date.c', 'text.c', 'error.c')] +
                       libs + utf8, check=True)

    # ---- what bti runs, for the shell --------------------------------------

    def trace(self, db, args, name):
        """Run bti args once on a copy of db with BTI_TRACE; return the
        statements as a script for the sqlite3 shell, and a copy of db as
        it was before (the script's writes need that state)."""
        before = self.copy(db, self.path(f'{name}-before.db'))
        scratch = self.copy(db, self.path(f'{name}-scratch.db'))
        trace = self.path(f'{name}.sql')
        if os.path.exists(trace):
            os.unlink(trace)
        run([self.bti, '--no-pager'] + args, dict(self.with_db(scratch), BTI_TRACE=trace))
        self.drop(scratch)
        script = self.path(f'{name}-shell.sql')
        with open(script, 'w') as f:
            f.write(f'.load {self.ext[:-3]}\n')
            f.write(open(trace).read())
        return script, before

    def shell_script(self, db, args, name, writes=False):
        """bti's statements of args as a script for the shell, and the
        database it runs on (see shell_once).  A read's one write, its
        access row, takes the next id from SQLite instead of the traced
        one (taken by the run before), so it runs again on one copy."""
        script, before = self.trace(db, args, name)
        if not writes:
            text = open(script).read()
            with open(script, 'w') as f:
                f.write(re.sub(r'^INSERT INTO access\(id, (.*) VALUES \(\d+, ',
                               r'INSERT INTO access(id, \1 VALUES (NULL, ', text, flags=re.M))
        return script, before

    def shell_once(self, script, before, name, writes=False):
        """Milliseconds of one run of the shell on script; a write runs on
        a fresh copy of the database as it was when traced."""
        target = self.copy(before, self.path(f'{name}-run.db')) if writes else before
        with open(script, 'rb') as f:
            took = run(['sqlite3', '-batch', '-bail', target], self.env, stdin=f) * 1000
        if writes:
            self.drop(target)
        return took

    def shell(self, db, args, name, runs, writes=False):
        """Milliseconds of the sqlite3 shell running bti's statements of
        args, runs times."""
        script, before = self.shell_script(db, args, name, writes)
        out = [self.shell_once(script, before, name, writes) for _ in range(runs)]
        self.drop(before)
        return Spread(out)


# ---- the measurements ------------------------------------------------------

def point_commands(b, db, runs):
    """The floor, case show and referral add, and the shell running each
    one's statements, interleaved: each round runs them all once, so a
    noisy moment falls on all alike; ratios are per round."""
    env = b.with_db(db)
    case = str(b.case)
    cmds = {
        'case show': (lambda i: ['case', 'show', case, '--json'], False),
        'referral add': (lambda i: ['referral', 'add', '-q', '--name', f'Bench {i} Testesen',
                                    '--born', '1970-01-01', '--source', 'bti', '--requests', 'ip'],
                         True),
    }
    scripts = {k: b.shell_script(db, args('shell'), k.replace(' ', '-'), writes)
               for k, (args, writes) in cmds.items()}
    times = {'floor': [], **{k: [] for k in cmds}}
    shell = {k: [] for k in cmds}
    for i in range(2):  # warm the cache and the WAL
        run([b.floor, db], env)
    for i in range(runs):
        times['floor'].append(run([b.floor, db], env) * 1000)
        for k, (args, writes) in cmds.items():
            times[k].append(run([b.bti, '--no-pager'] + args(i), env) * 1000)
            shell[k].append(b.shell_once(*scripts[k], k.replace(' ', '-'), writes))
    for script, before in scripts.values():
        b.drop(before)
    ratios = {k: Spread([t / f for t, f in zip(times[k], times['floor'])]) for k in cmds}
    return ({k: Spread(v) for k, v in times.items()}, ratios,
            {k: Spread(v) for k, v in shell.items()})


REPORTS = [('due', ['due', '--json']),
           ('report overview', ['report', 'overview', '--json']),
           ('report semiannual', ['report', 'semiannual', '--period', '2026H1', '--json'])]


def reports(b, db, runs):
    env = b.with_db(db)
    out = {}
    for label, args in REPORTS:
        run([b.bti, '--no-pager'] + args, env)  # warm
        out[label] = ms_runs([b.bti, '--no-pager'] + args, env, runs)
    return out


MEMORY = [('export --identify', ['--identify', 'export']),
          ('due --json', ['due', '--json']),
          ('report overview --json', ['report', 'overview', '--json']),
          ('report semiannual --json', ['report', 'semiannual', '--period', '2026H1', '--json']),
          ('case list --csv', ['case', 'list', '--csv'])]


def memory(b, db):
    env = b.with_db(db)
    return {label: timed_rss([b.bti, '--no-pager'] + args, env)[1] for label, args in MEMORY}


def restore(b, db, runs):
    """(seconds, peak MiB) of restoring an export of db into a new
    database, over runs; db is dropped."""
    export = b.path('export.json')
    if os.path.exists(export):
        os.unlink(export)
    run([b.bti, '--identify', 'export', export], b.with_db(db))
    out = []
    for i in range(runs):
        target = b.path(f'restored-{i}.db')
        b.drop(target)
        os.sync()  # the export just written, and what was dropped
        out.append(timed_rss([b.bti, '--db', target, 'restore', export], b.env))
        b.drop(target)
    os.unlink(export)
    b.drop(db)
    return out


def write_floor_script(src):
    """A script for the sqlite3 shell that writes again what an import
    wrote into src, on a database as the bench's import starts from
    (Bench.empty): in one transaction, table by table in rowid order by
    INSERT ... SELECT, with bti's pragmas and import cache (lib/import.c),
    every trigger and every index but the unique ones and the audit's by
    entity built after the rows (bti keeps that one: it is faster so, here
    too).  No import that writes the same rows durably takes less."""
    schema = json.loads(subprocess.run(
        ['sqlite3', '-json', src,
         "SELECT type, name, sql FROM sqlite_master WHERE (type = 'index' AND sql IS NOT NULL"
         " AND sql NOT LIKE 'CREATE UNIQUE%' AND name <> 'audit_entity') OR type = 'trigger'"
         " OR (type = 'table' AND name NOT LIKE 'sqlite_%') ORDER BY rowid"],
        capture_output=True, text=True, check=True).stdout)
    later = [o for o in schema if o['type'] != 'table']
    out = ['PRAGMA foreign_keys = ON;', 'PRAGMA synchronous = FULL;',
           'PRAGMA cache_size = -32768;', f"ATTACH '{src}' AS src;", 'BEGIN;']
    out += [f'DROP {o["type"].upper()} main."{o["name"]}";' for o in later]
    out += [f'INSERT INTO main."{o["name"]}" SELECT * FROM src."{o["name"]}" WHERE rowid > '
            f'(SELECT coalesce(max(rowid), 0) FROM main."{o["name"]}") ORDER BY rowid;'
            for o in schema if o['type'] == 'table']
    out += [o['sql'] + ';' for o in later] + ['COMMIT;']
    return '\n'.join(out) + '\n'


def write_floor(b, n, runs):
    """(seconds, peak MiB) of the sqlite3 shell writing the rows of the
    cached history of n cases again (write_floor_script), over runs."""
    src = b.cached('history', n)
    script = b.path('write-floor.sql')
    with open(script, 'w') as f:
        f.write(write_floor_script(src))
    out = []
    for _ in range(runs):
        db = b.empty('write-floor.db')
        os.sync()  # the empty database and what was dropped: not the floor's writes
        with open(script) as f:
            out.append(timed_rss(['sqlite3', '-batch', '-bail', db], b.env, stdin=f))
        b.drop(db)
    os.unlink(script)
    return out


def machine():
    cpu = next((l.split(':', 1)[1].strip() for l in open('/proc/cpuinfo') if l.startswith('model name')),
               platform.processor())
    mem = next((l.split()[1] for l in open('/proc/meminfo') if l.startswith('MemTotal')), '?')
    sqlite = subprocess.run(['sqlite3', '--version'], capture_output=True, text=True).stdout.split()[0]
    load = open('/proc/loadavg').read().split()[0]
    return (f'{cpu}, {os.cpu_count()} cores, {int(mem) // 1024} MiB, Linux {platform.release()}, '
            f'SQLite {sqlite}; load average {load} at the start')


def mark(ok):
    return 'met' if ok else '**missed**'


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--bti', default='build/bti')
    ap.add_argument('--scales', default='10000,100000,300000',
                    help='three case counts: small, the reference scale, large')
    ap.add_argument('--runs', type=int, default=7,
                    help='runs of each light command (of the point commands: three times as many)')
    ap.add_argument('--heavy-runs', type=int, default=2,
                    help='runs of each import and its write floor at the reference and the '
                    'large scale, and of restore at the reference scale')
    ap.add_argument('--cache', default=os.path.join(os.environ.get(
        'XDG_CACHE_HOME', os.path.expanduser('~/.cache')), 'bti-bench'))
    ap.add_argument('--workdir', default=None, help='where the databases live while measured '
                    '(a disk, not memory: the floor syncs)')
    ap.add_argument('--out')
    ap.add_argument('--readme', help='a README whose figures between its marks to replace')
    a = ap.parse_args()
    a.scales = tuple(int(x) for x in a.scales.split(','))
    b = Bench(a)
    started = time.perf_counter()
    try:
        b.build_helpers()
        lines = report(b, a, started)
    finally:
        shutil.rmtree(b.work, ignore_errors=True)
    text = '\n'.join(lines) + '\n'
    sys.stdout.write(text)
    if a.out:
        with open(a.out, 'w') as f:
            f.write(text)
    if a.readme:
        into_readme(a.readme, lines)


README_START, README_END = '<!-- make bench: start -->', '<!-- make bench: end -->'


def into_readme(path, lines):
    """Put the figures (without their title) between the README's marks."""
    text = open(path).read()
    start, end = text.index(README_START) + len(README_START), text.index(README_END)
    body = '\n'.join(l if not l.startswith('## ') else '#' + l for l in lines[2:])
    with open(path, 'w') as f:
        f.write(text[:start] + '\n' + body + '\n' + text[end:])


def measure(b, a):
    """Every measurement; returns the figures by name."""
    small, ref, large = a.scales
    f = {'scales': a.scales}
    scales = {'history': (small, ref, large), 'open': (small, ref)}
    for m, ns in scales.items():
        for n in ns:
            b.cached(m, n)
    for n in (ref, large):  # more imports at the scales of the import's targets
        for _ in range(a.heavy_runs - 1):
            db, _ = b.fresh('history', n, 'import.db')
            b.drop(db)
    f['imports'] = b.imports
    f['write floor'] = {n: write_floor(b, n, a.heavy_runs) for n in (ref, large)}
    dbs = {(m, n): b.database(m, n) for m, ns in scales.items() for n in ns}
    f['counts'] = {k: counts(db) for k, db in dbs.items()}
    main = dbs[('history', ref)]
    b.case = ref // 2
    # a point command and the shell running its statements take the same
    # few milliseconds, within the noise of a round: three times the rounds
    # (a second) for a median that tells them apart
    f['points'], f['ratios'], f['shell'] = point_commands(b, main, 3 * a.runs)
    for label, args in REPORTS:
        f['shell'][label] = b.shell(main, args, label.replace(' ', '-'), a.runs)
    f['reports'] = {k: reports(b, dbs[k], a.runs if k[1] <= ref else max(3, a.runs // 2))
                    for k in (('history', ref), ('history', large), ('open', ref))}
    f['memory'] = {k: memory(b, db) for k, db in dbs.items()}
    # the floor's access rows are outside the access log's chain: restore
    # checks it, so the export is taken from an untouched copy
    f['restore'] = restore(b, b.database('history', ref), a.heavy_runs)
    for db in dbs.values():
        b.drop(db)
    return f


def counts(db):
    """Cases, open cases and audit rows of db."""
    q = subprocess.run(['sqlite3', db, "SELECT count(*), sum(status <> 'closed') FROM ke_case;"
                        ' SELECT count(*) FROM audit'], capture_output=True, text=True).stdout.split()
    return [int(x) for x in q[0].split('|')] + [int(q[1])]


def format_data(f):
    out = ['| data | cases | open | audit rows |', '|---|---|---|---|']
    for (m, n), (cases, open_, audit) in sorted(f['counts'].items()):
        out.append(f'| {m} | {cases:,} | {open_:,} | {audit:,} |')
    return out + ['', '"history": a municipality\'s history through `bti import cases` '
                  '(referrals since 2012, most decided, assigned and closed); "open": every case '
                  'open and owing, the worst case.']


def format_points(f):
    ref = f['scales'][1]
    floor = f['points']['floor']
    out = [f'## Point commands against the floor (history, {ref:,} cases)', '',
           '| what | ms | ratio to the floor (per round) | sqlite3 shell, bti\'s statements, ms '
           '| target |', '|---|---|---|---|---|',
           f'| floor: open, one access row, durable commit | {floor.fmt()} | 1 | | |']
    for k in ('case show', 'referral add'):
        r, ours, sh = f['ratios'][k], f['points'][k], f['shell'][k]
        out.append(f'| `{k}` | {ours.fmt()} | {r.fmt(2)} | {sh.fmt()} | within 1.5x: '
                   f'{mark(r.med <= 1.5)}; not slower than the shell: {mark(ours.med <= sh.med)} |')
    return out


def format_reports(f):
    small, ref, large = f['scales']
    limit = 50 * f['points']['floor'].med
    out = [f'## Reports (50x the floor: {limit:,.0f} ms)', '',
           f'| what | {ref:,} history, ms | {large:,} history, ms | growth | sqlite3 shell at '
           f'{ref:,}, ms | {ref:,} open (worst case), ms | target: under 50x, growth at most 3.3 |',
           '|---|---|---|---|---|---|---|']
    for label, _ in REPORTS:
        at_ref, at_large = f['reports'][('history', ref)][label], f['reports'][('history', large)][label]
        growth = at_large.med / at_ref.med
        out.append(f'| `{label}` | {at_ref.fmt()} | {at_large.fmt()} | {growth:.2f} | '
                   f'{f["shell"][label].fmt()} | {f["reports"][("open", ref)][label].fmt()} | '
                   f'{mark(at_ref.med < limit)}, {mark(growth <= 3.3)} |')
    return out


def format_rates(f):
    small, ref, large = f['scales']
    imports = {n: f['imports'][('history', n)] for n in (small, ref, large)}
    seconds = {n: statistics.median(t for t, _ in imports[n]) for n in (ref, large)}
    floor = {n: statistics.median(t for t, _ in f['write floor'][n]) for n in (ref, large)}
    out = ['## Import and restore (history)', '',
           '| what | cases/s | runs | peak MiB | target |', '|---|---|---|---|---|']
    for n, figures in imports.items():
        rate = Spread([n / t for t, _ in figures])
        memory = f'under 64 MiB: {mark(max(m for _, m in figures) < 64)}'
        target = (f'14,000/s: {mark(rate.med >= 14000)}'
                  f'{"" if rate.med >= 14000 else f" ({14000 / rate.med:.2f}x short)"}; {memory}'
                  if n == ref else memory)
        out.append(f'| `import cases`, {n:,} | {rate.fmt(0)} | {len(figures)} | '
                   f'{max(m for _, m in figures):.1f} | {target} |')
    for n in (ref, large):
        rate = Spread([n / t for t, _ in f['write floor'][n]])
        out.append(f'| write floor, {n:,} | {rate.fmt(0)} | {len(rate.s)} | '
                   f'{max(m for _, m in f["write floor"][n]):.1f} | |')
    rest = Spread([ref / t for t, _ in f['restore']])
    out.append(f'| `restore`, {ref:,} | {rest.fmt(0)} | {len(rest.s)} | '
               f'{max(m for _, m in f["restore"]):.1f} | 10,000/s: {mark(rest.med >= 10000)} |')
    growth = seconds[large] / seconds[ref]
    return out + [
        '', f'`import cases` from {ref:,} to {large:,} cases takes {growth:.2f}x the time (at most '
        f'3.3: {mark(growth <= 3.3)}); the write floor {floor[large] / floor[ref]:.2f}x.', '',
        'The write floor is the sqlite3 shell writing the rows of the import again into a '
        'database as the import starts from, in one durable transaction: INSERT ... SELECT '
        'table by table, bti\'s pragmas and page cache, every index but the unique ones and the '
        'audit\'s built after the rows (as restore builds them).  No import that writes those rows durably can be faster; '
        f'`import cases` takes {seconds[ref] / floor[ref]:.2f}x its time at {ref:,} cases.']


def format_memory(f):
    small, ref, large = f['scales']
    cols = [('history', small), ('history', ref), ('history', large), ('open', small), ('open', ref)]
    out = ['## Peak memory (RSS, MiB)', '',
           '| what | ' + ' | '.join(f'{n:,} {m}' for m, n in cols) + ' | target: under 16, flat |',
           '|---' * (len(cols) + 2) + '|']
    for label, _ in MEMORY:
        vals = [f['memory'][k][label] for k in cols]
        flat = vals[2] <= vals[0] * 1.25 + 1 and vals[4] <= vals[3] * 1.25 + 1
        out.append(f'| `{label}` | ' + ' | '.join(f'{v:.1f}' for v in vals) +
                   f' | {mark(max(vals) < 16 and flat)} |')
    return out + ['', '"Flat": at most a quarter (and 1 MiB) more at the largest scale than at '
                  'the smallest.']


def report(b, a, started):
    """The figures as Markdown lines."""
    f = measure(b, a)
    out = ['# bti benchmark', '', f'Machine: {machine()}.', '',
           f'Run: {datetime.datetime.now().strftime("%Y-%m-%d %H:%M")}, `make bench` '
           f'(tests/bench/bench.py --scales {",".join(map(str, a.scales))} --runs {a.runs} '
           f'--heavy-runs {a.heavy_runs}).  Every figure is the median with min..max over the runs.',
           '']
    for part in (format_data, format_points, format_reports, format_rates, format_memory):
        out += part(f) + ['']
    return out + [f'The bench took {(time.perf_counter() - started) / 60:.1f} minutes.']


if __name__ == '__main__':
    main()
