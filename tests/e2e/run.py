#!/usr/bin/env python3
"""End-to-end test runner for bti (standard library only).

Discovers tests/e2e/test_*.py, runs every function named test_* with a fresh
fixture `t` (see fixture.py) in a pool of 4 processes, prints one line per
failure and ends with exactly one line `N passed, N failed`.

    python3 tests/e2e/run.py --bti build/bti [-k SUBSTRING]
"""
import argparse
import concurrent.futures
import importlib
import os
import shutil
import sys
import tempfile
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # no __pycache__ in the source tree

import fixture  # noqa: E402  (needs HERE on sys.path)

WORKERS = 4


def discover():
    """(module name, function name) of every test, in file and source order."""
    tests, broken = [], []
    for fname in sorted(os.listdir(HERE)):
        if not (fname.startswith('test_') and fname.endswith('.py')):
            continue
        modname = fname[:-3]
        try:
            mod = importlib.import_module(modname)
        except Exception as e:  # a module that does not import is one failure
            broken.append((f'{fname}::<import>', f'{type(e).__name__}: {e}'))
            continue
        funcs = [(getattr(f, '__code__').co_firstlineno, name)
                 for name, f in vars(mod).items()
                 if name.startswith('test_') and callable(f) and hasattr(f, '__code__')
                 and f.__module__ == modname]
        tests.extend((modname, name) for _, name in sorted(funcs))
    return tests, broken


def where(tb):
    """file:line of the innermost frame inside a test module."""
    frames = [f for f in traceback.extract_tb(tb) if os.path.basename(f.filename).startswith('test_')]
    if not frames:
        frames = traceback.extract_tb(tb)[-1:]
    if not frames:
        return ''
    f = frames[-1]
    return f'{os.path.basename(f.filename)}:{f.lineno}'


def set_cache(path):
    """Worker initialiser: the run's directory of cached databases."""
    fixture.CACHE = path


def run_one(bti, modname, funcname):
    """Run one test with a fresh fixture; (ok, message), message 'SKIP: ...'
    for a skipped test."""
    t = None
    try:
        fn = getattr(importlib.import_module(modname), funcname)
        t = fixture.Fixture(bti)
        fn(t)
        return True, ''
    except fixture.Skip as e:
        return True, f'SKIP: {e}'
    except AssertionError as e:
        msg = str(e) or 'assertion failed'
        return False, f'{msg} ({where(e.__traceback__)})'
    except Exception as e:
        return False, f'{type(e).__name__}: {e} ({where(e.__traceback__)})'
    finally:
        if t is not None:
            t.close()


def one_line(s, limit=600):
    s = ' | '.join(part for part in str(s).splitlines() if part.strip()) or str(s)
    return s if len(s) <= limit else s[:limit] + '...'


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--bti', required=True, help='the bti binary to test')
    ap.add_argument('-k', dest='select', default=None, help='run only tests whose name contains this')
    args = ap.parse_args()
    sys.stdout.reconfigure(errors='backslashreplace')
    bti = os.path.abspath(args.bti)
    if not os.access(bti, os.X_OK):
        print(f'run.py: no executable bti at {args.bti}', file=sys.stderr)
        print('0 passed, 1 failed')
        return 1

    tests, failures = discover()
    if args.select:
        tests = [(m, f) for m, f in tests if args.select in f'{m}.py::{f}']
        failures = [x for x in failures if args.select in x[0]]
    passed = 0
    cache = tempfile.mkdtemp(prefix='bti-e2e-cache-', dir=fixture.temp_base())
    try:
        with concurrent.futures.ProcessPoolExecutor(max_workers=WORKERS, initializer=set_cache,
                                                    initargs=(cache,)) as pool:
            futures = {pool.submit(run_one, bti, m, f): f'{m}.py::{f}' for m, f in tests}
            results = {}
            for fut in concurrent.futures.as_completed(futures):
                name = futures[fut]
                try:
                    results[name] = fut.result()
                except Exception as e:  # the worker itself died
                    results[name] = (False, f'worker failed: {type(e).__name__}: {e}')
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    for m, f in tests:
        name = f'{m}.py::{f}'
        ok, msg = results[name]
        if ok:
            passed += 1
            if msg:  # a skipped test: said on stderr, counted as passed
                print(f'{msg.split(":")[0]} {name}:{msg.split(":", 1)[1]}', file=sys.stderr)
        else:
            failures.append((name, msg))
    for name, msg in failures:
        print(f'FAIL {name}: {one_line(msg)}')
    print(f'{passed} passed, {len(failures)} failed')
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
