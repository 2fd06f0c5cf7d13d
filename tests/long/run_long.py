#!/usr/bin/env python3
"""The long reliability runs of bti (`make check-long`), too slow for
`make check`: hundreds of SIGKILLs, big files, many concurrent writes.

    python3 tests/long/run_long.py --bti build/bti [--scale 1.0] [--seed N] [-k SUBSTRING]

It reuses the loops of tests/e2e/test_crash.py, test_concurrency.py, the
fault sweep of test_faults.py (every N, full and ioerr) and the fixture of
tests/e2e, runs one test at a time (the crash loops time their
kills and the concurrency test wants the cores), prints one line per test
and ends with `N passed, N failed`.  --scale multiplies the kill counts and
file sizes (0.1 for a quick look).  A failing crash loop prints its seed:
rerun with --seed N.
"""
import argparse
import json
import os
import shutil
import sys
import tempfile
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
E2E = os.path.join(os.path.dirname(HERE), 'e2e')
sys.path.insert(0, E2E)
sys.dont_write_bytecode = True

SCALE = 1.0


def n(x, least=1):
    return max(least, int(x * SCALE))


def crash():
    """tests/e2e/test_crash.py, imported once --seed is in BTI_CRASH_SEED.
    At scale 1 its loops kill bti 500 times in all."""
    import test_crash
    return test_crash


def test_crash_referral_add(t):
    crash().crash_referrals(t, n(200), name='long referral add')


def test_crash_ke_decide(t):
    crash().crash_decisions(t, n(100), name='long ke decide')


def test_crash_restore_of_a_big_export(t):
    crash().crash_restore(t, n(100), cases=n(1500, 10), name='long restore')


def test_crash_import_of_a_big_file(t):
    crash().crash_import(t, n(100), rows=n(1000, 10), name='long import cases')


def test_crash_backup(t):
    crash().crash_backup(t, n(100), name='long backup')


def test_four_writers_250_operations_each(t):
    import test_concurrency as c
    c.four_writers(t, ops=n(250, 5))


# ---- big files ------------------------------------------------------------------------

def big_csv(rows, bad_at=None, name='Test Storsen'):
    import story
    lines = ['name,born,source,requests,received']
    for i in range(rows):
        born = '2027-02-29' if i == bad_at else f'{1950 + i % 70}-{i % 12 + 1:02d}-{i % 28 + 1:02d}'
        lines.append(f'{name} {i},{born},bti,"coordinator,ip",{story.RECEIVED}')
    return '\n'.join(lines) + '\n'


def test_import_of_a_big_file_with_one_bad_row_imports_nothing(t):
    import story
    story.base(t)
    rows = n(50000, 100)
    t.write('big.csv', big_csv(rows, bad_at=rows - 2))
    r = t.fails(4, 'import', 'cases', t.path('big.csv'), private=['Storsen'])
    assert f'big.csv:{rows}:' in r.err and "column 'born'" in r.err, r.err[-300:]
    assert t.count('ke_case') == 0


def test_import_reports_at_most_100_bad_rows(t):
    import story
    story.base(t)
    lines = ['name,born,source,requests,received']
    lines += [f'Test Feilsen {i},2027-02-29,bti,ip,{story.RECEIVED}' for i in range(n(1000, 150))]
    t.write('bad.csv', '\n'.join(lines) + '\n')
    r = t.fails(4, 'import', 'cases', t.path('bad.csv'), private=['Feilsen'])
    reported = [x for x in r.err.splitlines() if 'bad.csv:' in x and "column 'born'" in x]
    assert len(reported) == 100, len(reported)


def test_import_of_many_lines_over_1_mib(t):
    import story
    story.base(t)
    long = 'Test ' + 'L' * (1024 * 1024 + 100)
    body = ''.join(f'{long},2010-01-01,bti,ip,{story.RECEIVED}\n' for _ in range(n(20, 2)))
    t.write('long.csv', 'name,born,source,requests,received\n' + body)
    r = t.fails(4, 'import', 'cases', t.path('long.csv'), private=['LLLLLLLLLL'])
    assert '1 MiB' in r.err, r.err[:300]


def test_import_of_one_5_mib_line(t):
    import story
    story.base(t)
    t.write('one.csv', 'name,source,requests,received\n' + 'x' * (5 * 1024 * 1024)
            + f',bti,ip,{story.RECEIVED}\n')
    t.fails(4, 'import', 'cases', t.path('one.csv'), private=['xxxxxxxxxx'])


def imported(t, rows):
    import story

    def build(t):
        story.base(t)
        t.write('big.csv', big_csv(rows))
        t.ok('-q', 'import', 'cases', t.path('big.csv'))
    t.snapshot(f'long-imported-{rows}', build)


def export_lines(t, path, db=None):
    """The export at path without the access table's rows."""
    env = {'BTI_DB': db} if db else None
    t.ok('-q', '--identify', 'export', path, env=env)
    with open(path) as f:
        lines = f.read().split('\n')
    return lines[:lines.index('"access":[') + 1]


def test_export_restore_export_of_a_big_database_is_identical(t):
    """SPEC section 6: identical but for the restore row (and the access log)."""
    imported(t, n(5000, 50))
    first = [x.rstrip(',') for x in export_lines(t, t.path('first.json'))]
    db = t.path('restored', 'bti.db')
    t.ok('-q', 'restore', t.path('first.json'), env={'BTI_DB': db})
    second = [x.rstrip(',') for x in export_lines(t, t.path('second.json'), db=db)]
    restore_rows = [x for x in second if x not in first]
    assert len(restore_rows) == 1 and '"command":"restore"' in restore_rows[0], restore_rows[:3]
    assert [x for x in second if x not in restore_rows] == first


def test_restore_of_a_big_export_with_a_bad_last_row_leaves_nothing(t):
    """A bad value on one of the last data lines: nothing restored."""
    imported(t, n(5000, 50))
    path = t.path('export.json')
    t.ok('-q', '--identify', 'export', path)
    with open(path) as f:
        lines = f.read().rstrip('\n').split('\n')
    i = lines.index('"audit":[')
    while True:  # the last data row with a date in it
        i -= 1
        if not lines[i].startswith('{'):
            continue
        row = json.loads(lines[i].rstrip(','))
        dated = [k for k, v in row.items() if isinstance(v, str) and len(v) == 10 and v[4] == '-']
        if dated:
            break
    row[dated[0]] = '2027-02-29'
    lines[i] = json.dumps(row, separators=(',', ':')) + (',' if lines[i].endswith(',') else '')
    t.write('bad.json', '\n'.join(lines) + '\n')
    db = t.path('restored', 'bti.db')
    r = t.fails(4, 'restore', t.path('bad.json'), env={'BTI_DB': db})
    assert not os.path.exists(db), 'a failed restore left its database'
    assert f'line {i + 1}' in r.err, r.err


def faults():
    """tests/e2e/test_faults.py: the sweep of injected I/O faults."""
    import test_faults
    return test_faults


def long_sweep(t, name):
    """The e2e fault test `name` with every N and both errors, full and ioerr."""
    f = faults()
    sweep = f.sweep
    f.sweep = lambda t, args, target=None, long=False, stride=3, kinds=f.KINDS: \
        sweep(t, args, target, long=True, kinds=kinds)
    try:
        getattr(f, name)(t)
    finally:
        f.sweep = sweep
    print(f'     faults injected so far {f.FIGURES["injected"]}, rule broken {f.FIGURES["failed"]}',
          flush=True)


def test_fault_sweep_init(t):
    long_sweep(t, 'test_faults_init')


def test_fault_sweep_referral_add(t):
    long_sweep(t, 'test_faults_referral_add')


def test_fault_sweep_person_edit(t):
    long_sweep(t, 'test_faults_person_edit')


def test_fault_sweep_import_cases(t):
    long_sweep(t, 'test_faults_import_cases')


def test_fault_sweep_person_erase(t):
    long_sweep(t, 'test_faults_person_erase')


def test_fault_sweep_backup(t):
    long_sweep(t, 'test_faults_backup')


def test_fault_sweep_export(t):
    long_sweep(t, 'test_faults_export')


def test_fault_sweep_restore(t):
    long_sweep(t, 'test_faults_restore')


def test_fault_sweep_restore_of_several_blocks(t):
    long_sweep(t, 'test_faults_restore_of_an_export_of_several_blocks')


TESTS = [v for k, v in list(globals().items()) if k.startswith('test_') and callable(v)]


def main():
    global SCALE
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--bti', required=True)
    ap.add_argument('--scale', type=float, default=1.0)
    ap.add_argument('--seed', type=int, default=None, help='BTI_CRASH_SEED for the crash loops')
    ap.add_argument('-k', dest='select', default=None)
    args = ap.parse_args()
    SCALE = args.scale
    if args.seed is not None:
        os.environ['BTI_CRASH_SEED'] = str(args.seed)
    import fixture
    bti = os.path.abspath(args.bti)
    if not os.access(bti, os.X_OK):
        print(f'run_long.py: no executable bti at {args.bti}', file=sys.stderr)
        print('0 passed, 1 failed')
        return 1
    fixture.CACHE = tempfile.mkdtemp(prefix='bti-long-cache-', dir=fixture.temp_base())
    passed, failed = 0, 0
    try:
        for fn in TESTS:
            if args.select and args.select not in fn.__name__:
                continue
            t = fixture.Fixture(bti)
            start = time.monotonic()
            try:
                fn(t)
                passed += 1
                print(f'ok   {fn.__name__} ({time.monotonic() - start:.1f} s)', flush=True)
            except fixture.Skip as e:
                passed += 1
                print(f'SKIP {fn.__name__}: {e}', flush=True)
            except Exception as e:
                failed += 1
                where = traceback.extract_tb(e.__traceback__)[-1]
                msg = ' | '.join(str(e).splitlines())[:800]
                print(f'FAIL {fn.__name__}: {type(e).__name__}: {msg} '
                      f'({os.path.basename(where.filename)}:{where.lineno})', flush=True)
            finally:
                t.close()
    finally:
        shutil.rmtree(fixture.CACHE, ignore_errors=True)
    print(f'{passed} passed, {failed} failed')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
