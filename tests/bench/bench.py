#!/usr/bin/env python3
"""make bench: bti's speed and memory on a synthetic municipality (SPEC section 10).

Builds a database of N synthetic cases through bti's own import (decisions,
coordinators and their audit rows included), then measures, several runs
each, median and spread:

  1. point commands (case show, referral add) against the same queries in the
     sqlite3 shell on the same database;
  2. report semiannual, report overview --json and due against their SQL in
     the sqlite3 shell;
  3. import cases of N rows, against the sqlite3 shell's .import of the same
     file into a bare table;
  4. peak memory (RSS) of export and report overview --json at a small and at
     the full size.

Figures go to stdout as Markdown (and to --out FILE).  Every person and nin
is synthetic.
"""
import argparse
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

UNITS = ['Hjembaserte tjenester', 'Familiesenteret', 'BOAK', 'Psykisk helse', 'Rehabilitering']
SOURCES = ['bti', 'plo', 'application']
TODAY = '2026-11-22'


def run(cmd, env, stdin=None, out=subprocess.DEVNULL):
    """Run cmd; return seconds."""
    start = time.perf_counter()
    p = subprocess.run(cmd, env=env, stdin=stdin, stdout=out, stderr=subprocess.PIPE)
    took = time.perf_counter() - start
    if p.returncode != 0:
        sys.exit(f'bench: {" ".join(cmd)} failed: {p.stderr.decode(errors="replace")}')
    return took


def peak_rss(cmd, env):
    """Peak RSS of cmd in KiB, by GNU time: a child forked from Python would
    count Python's own pages too."""
    p = subprocess.run(['/usr/bin/time', '-f', '%M'] + cmd, env=env, stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, text=True)
    if p.returncode != 0:
        sys.exit(f'bench: {" ".join(cmd)} failed: {p.stderr}')
    return int(p.stderr.strip().splitlines()[-1])


def timed(cmd, env, runs, stdin_text=None):
    """Median and spread (min..max) in milliseconds over runs."""
    times = []
    for _ in range(runs):
        if stdin_text is None:
            took = run(cmd, env)
        else:
            with tempfile.TemporaryFile() as f:
                f.write(stdin_text.encode())
                f.seek(0)
                took = run(cmd, env, stdin=f)
        times.append(took * 1000)
    return statistics.median(times), min(times), max(times)


USED_NINS = set()


def nin(born, i):
    """A synthetic nin (month + 80) for birth date born (YYYY-MM-DD) not used
    before, or None."""
    y, m, d = int(born[:4]), int(born[5:7]), int(born[8:10])
    w1, w2 = [3, 7, 6, 1, 8, 9, 4, 5, 2], [5, 4, 3, 2, 7, 6, 5, 4, 3, 2]
    for ind in range(i % 400, 500):
        if not (1900 <= y <= 1999):
            return None
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


def write_cases(path, n, seed=1):
    """A cases file of n synthetic rows: a quarter received, a quarter granted,
    the rest active with a coordinator (a tenth of those closed)."""
    rnd = random.Random(seed)
    with open(path, 'w', encoding='utf-8') as f:
        f.write('name,born,nin,source,requests,received,status,unit,decided,coordinator,'
                'assigned,closed,close_cause\n')
        for i in range(n):
            born = f'{rnd.randint(1930, 1999)}-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}'
            month = rnd.randint(1, 10)
            received = f'2025-{month:02d}-{rnd.randint(1, 28):02d}'
            decided = f'2025-{month + 1:02d}-{rnd.randint(1, 28):02d}'
            assigned = f'2026-{month:02d}-{rnd.randint(1, 28):02d}'
            kind = i % 4
            status = ['received', 'granted', 'active', 'active'][kind]
            closed = f'2026-{month + 1:02d}-01' if kind == 3 and i % 10 == 3 else ''
            row = [f'Person {i} Testesen', born, nin(born, i) or '', SOURCES[i % 3],
                   '"coordinator,ip"', received, 'closed' if closed else status,
                   UNITS[i % 5] if kind else '', decided if kind else '',
                   f'Koordinator {i % 50}' if kind >= 2 else '', assigned if kind >= 2 else '',
                   closed, 'need-ended' if closed else '']
            f.write(','.join(row) + '\n')


def write_coordinators(path):
    with open(path, 'w', encoding='utf-8') as f:
        f.write('name,unit,email,phone\n')
        for i in range(50):
            f.write(f'Koordinator {i},{UNITS[i % 5]},k{i}@example.org,\n')


def build(bti, work, n, env):
    """A fresh database of n cases; returns (import seconds, the cases file)."""
    db = os.path.join(work, f'bti-{n}.db')
    env = dict(env, BTI_DB=db)
    run([bti, 'init', '-q'], env)
    for u in UNITS:
        run([bti, 'unit', 'add', '-q', u], env)
    coordinators = os.path.join(work, 'coordinators.csv')
    write_coordinators(coordinators)
    run([bti, 'import', 'coordinators', '-q', coordinators], env)
    cases = os.path.join(work, f'cases-{n}.csv')
    write_cases(cases, n)
    took = run([bti, 'import', 'cases', '-q', cases], env)
    return env, took, cases


def sqlite_import(work, cases):
    """Seconds for the sqlite3 shell's .import of the same file."""
    db = os.path.join(work, 'bare.db')
    took = run(['sqlite3', db, '.mode csv', f'.import {cases} bare'], os.environ)
    return took


def machine():
    cpu = next((l.split(':', 1)[1].strip() for l in open('/proc/cpuinfo') if l.startswith('model name')),
               platform.processor())
    mem = next((l.split()[1] for l in open('/proc/meminfo') if l.startswith('MemTotal')), '?')
    sqlite = subprocess.run(['sqlite3', '--version'], capture_output=True, text=True).stdout.split()[0]
    return f'{platform.node()}: {cpu}, {os.cpu_count()} cores, {int(mem) // 1024} MiB, ' \
           f'Linux {platform.release()}, SQLite {sqlite}'


def sql_of(name):
    """The single SQL statement bti's report runs, for the sqlite3 shell."""
    return open(os.path.join(os.path.dirname(__file__), name + '.sql')).read()


def compare(bti, env, runs, label, args, sql, rows):
    db = env['BTI_DB']
    ours = timed([bti, '--no-pager'] + args, env, runs)
    shell = timed(['sqlite3', db], env, runs, stdin_text=sql)
    rows.append((label, ours, shell))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--bti', default='build/bti')
    ap.add_argument('--cases', type=int, default=100000)
    ap.add_argument('--small', type=int, default=10000)
    ap.add_argument('--runs', type=int, default=7)
    ap.add_argument('--out')
    a = ap.parse_args()
    bti = os.path.abspath(a.bti)
    work = tempfile.mkdtemp(prefix='bti-bench-')
    os.chmod(work, 0o700)
    env = dict(os.environ, BTI_TODAY=TODAY)
    env.pop('BTI_DB', None)
    try:
        lines = report(bti, work, env, a)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    text = '\n'.join(lines) + '\n'
    sys.stdout.write(text)
    if a.out:
        with open(a.out, 'w') as f:
            f.write(text)


def report(bti, work, env, a):
    big, import_s, cases = build(bti, work, a.cases, env)
    bare_s = sqlite_import(work, cases)
    small, _, _ = build(bti, work, a.small, env)
    audit = subprocess.run(['sqlite3', big['BTI_DB'], 'SELECT count(*) FROM audit'],
                           capture_output=True, text=True).stdout.strip()
    rows = []
    case = str(a.cases // 2)
    compare(bti, big, a.runs, 'case show', ['case', 'show', case, '--json'],
            sql_of('case_show').replace(':case', case), rows)
    rows.append(referral_add(bti, big, a.runs))
    compare(bti, big, a.runs, 'report semiannual', ['report', 'semiannual', '--period', '2026H1',
                                                    '--json'], sql_of('semiannual'), rows)
    compare(bti, big, a.runs, 'report overview --json', ['report', 'overview', '--json'],
            sql_of('overview'), rows)
    compare(bti, big, a.runs, 'due', ['due', '--json'], sql_of('due'), rows)
    out = ['# bti benchmark', '', f'Machine: {machine()}', '',
           f'Database: {a.cases} cases, {audit} audit rows (built by `bti import cases`).', '',
           '| what | bti ms (median, min..max) | sqlite3 ms (median, min..max) | ratio |',
           '|---|---|---|---|']
    for label, ours, shell in rows:
        out.append(f'| {label} | {ours[0]:.1f} ({ours[1]:.1f}..{ours[2]:.1f}) | '
                   f'{shell[0]:.1f} ({shell[1]:.1f}..{shell[2]:.1f}) | {ours[0] / shell[0]:.2f} |')
    out += ['', f'Import: {a.cases} cases in {import_s:.2f} s = {a.cases / import_s:,.0f} cases/s; '
            f'sqlite3 .import of the same file {bare_s:.2f} s (ratio {import_s / bare_s:.1f}).', '',
            '| peak RSS (MiB) | ' + f'{a.small} cases | {a.cases} cases |', '|---|---|---|']
    for label, args in [('export --identify', ['--identify', 'export']),
                        ('report overview --json', ['report', 'overview', '--json'])]:
        sizes = []
        for e in (small, big):
            sizes.append(peak_rss([bti, '--no-pager'] + args, e) / 1024)
        out.append(f'| {label} | {sizes[0]:.1f} | {sizes[1]:.1f} |')
    out += ['', f'Command: `make bench` (tests/bench/bench.py --cases {a.cases} '
            f'--small {a.small} --runs {a.runs}).']
    return out


def referral_add(bti, env, runs):
    """referral add against the same inserts in the sqlite3 shell."""
    ours = []
    for i in range(runs):
        took = run([bti, 'referral', 'add', '-q', '--name', f'Bench Testesen {i}', '--born',
                       '1970-01-01', '--source', 'bti', '--requests', 'ip'], env)
        ours.append(took * 1000)
    shell = timed(['sqlite3', env['BTI_DB']], env, runs, stdin_text=sql_of('referral_add'))
    return ('referral add', (statistics.median(ours), min(ours), max(ours)), shell)


if __name__ == '__main__':
    main()
