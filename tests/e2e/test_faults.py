"""Injected I/O faults (issue 14): bti run with the test-only fault VFS
(tests/faults/faultvfs.c, preloaded; never in the shipped binary) failing
the Nth write, fsync or truncate and every later one with SQLITE_FULL or
SQLITE_IOERR, or the Nth read(2) of a file bti reads itself (restore's of
the export) with EIO, or the Nth thread's start (restore's reader) with
EAGAIN, swept over N for each kind of write command.

After every run with a fault: either bti exited 6 with `bti: error: `, and
nothing is written (the database dumps as before, a database or file the
command would have made is not there, and no -wal/-shm is left beside
one), or the fault came after the commit (the checkpoint at close) and
bti exited 0 with the whole change there.  Then PRAGMA integrity_check,
`bti audit verify` and `bti doctor` pass.

`make check` sweeps the writes with a stride and alternates full and ioerr;
tests/long/run_long.py sweeps every N with both (sweep(..., long=True)).
The figures (faults injected, errors found) are printed by run_long.
"""
import os
import shutil
import sqlite3

import story
from fixture import NB, has_locale, settle
from test_export import large_export

MARK = 'faultvfs: injected'
KINDS = ('write', 'sync', 'truncate', 'read', 'thread')
# Faults injected and runs that broke a rule, over the whole process (run_long prints them).
FIGURES = {'injected': 0, 'failed': 0}


def preload(t):
    """The fault VFS built beside the bti under test."""
    so = os.path.join(os.path.dirname(t.bti), 'faultvfs.so')
    assert os.path.exists(so), f'no {so}: make builds it with check-e2e'
    return so


def fault_env(t, fault, **more):
    """The environment of a run with the fault (under ASan too, which
    would refuse a preload ahead of its runtime)."""
    return dict(BTI_FAULT=fault, LD_PRELOAD=preload(t),
                ASAN_OPTIONS='verify_asan_link_order=0:exitcode=99:detect_leaks=0', **more)


def state(t, path):
    """What a command may change at path, or None when there is no
    database: every table but the access log and the audit as SQL lines,
    and the audit's row count (its times and salts differ run to run)."""
    if not os.path.exists(path):
        return None
    if path.endswith('.json'):
        with open(path, 'rb') as f:
            return f.read()
    lines = [x for x in t.dump(path) if not x.startswith('INSERT INTO "audit"')]
    con = sqlite3.connect(f'file:{path}?mode=ro', uri=True)
    try:
        return lines, con.execute('SELECT count(*) FROM audit').fetchone()[0]
    finally:
        con.close()


def leftovers(path):
    """The -wal, -shm and -journal files beside a database path that is not there."""
    return [p for p in (path + '-wal', path + '-shm', path + '-journal') if os.path.exists(p)]


def remove(path):
    """Remove the database at path with its -wal and -shm."""
    for tail in ('', '-wal', '-shm', '-journal'):
        if os.path.exists(path + tail):
            os.unlink(path + tail)


def reset(t, base):
    """Put the base state's database back at BTI_DB."""
    remove(t.db)
    if base:
        shutil.copyfile(base, t.db)
        os.chmod(t.db, 0o600)


def healthy(t, where):
    """integrity_check, audit verify and doctor pass on BTI_DB."""
    if not os.path.exists(t.db):
        return
    assert t.one('PRAGMA integrity_check') == 'ok', f'{where}: integrity_check failed'
    for cmd in (('audit', 'verify'), ('doctor',)):
        r = t.run(*cmd)
        assert r.rc == 0, f'{where}: bti {" ".join(cmd)} exit {r.rc}: {r.err.strip()}'


def one_fault(t, base, args, fault, target, clean):
    """Run args with the fault; check the outcome.  False when the fault
    never fired (N is past the last call of its kind)."""
    reset(t, base)
    before, db_before = state(t, target), state(t, t.db)
    r = t.run(*args, env=fault_env(t, fault))
    where = f'bti {" ".join(args)} with {fault}'
    if MARK not in r.err:
        assert r.rc == 0, f'{where}: exit {r.rc} without a fault: {r.err.strip()}'
        return False
    FIGURES['injected'] += 1
    try:
        if r.rc == 0:
            assert state(t, target) == clean, f'{where}: exit 0 but not the whole change'
        else:
            assert r.rc == 6, f'{where}: exit {r.rc}, expected 6: {r.err.strip()}'
            assert 'bti: error: ' in r.err, f'{where}: no error message: {r.err.strip()}'
            assert state(t, target) == before, f'{where}: failed but changed {target}'
            assert state(t, t.db) == db_before, f'{where}: failed but changed the database'
            if before is None:
                assert not leftovers(target), f'{where}: left {leftovers(target)}'
        healthy(t, where)
    except AssertionError:
        FIGURES['failed'] += 1
        raise
    return True


def sweep(t, args, target=None, long=False, stride=3, kinds=KINDS):
    """Sweep the faults over one command from the state at BTI_DB (or none):
    for each of kinds every N, but only every stride-th write unless long."""
    target = target or t.db
    base = t.path('base.db') if os.path.exists(t.db) else None
    if base:
        settle(t.db)  # the file alone is the whole database
        shutil.copyfile(t.db, base)
    reset(t, base)
    t.ok(*args)
    clean = state(t, target)
    if target != t.db:
        remove(target)
    hows = ('full', 'ioerr')
    for kind in kinds:
        n, step = 1, 1 if long or kind != 'write' else stride
        while True:
            fired = False
            for how in hows if long else (hows[n % 2],):
                if target != t.db:
                    remove(target)
                fired |= one_fault(t, base, args, f'{kind}:{n}:{how}', target, clean)
            if not fired:
                break
            n += step
    reset(t, base)


def populated(t):
    """The story's base database (units, coordinators, a meeting) and a
    case for person 1."""
    story.base(t)
    story.refer(t)


def test_faults_init(t):
    sweep(t, ('init',))


def test_faults_referral_add(t):
    populated(t)
    sweep(t, ('referral', 'add', '--name', 'Ola Feilsen', '--born', '1958-03-14', '--source', 'plo',
              '--requests', 'coordinator,ip', '--date', '2026-10-02'))


def test_faults_person_edit(t):
    populated(t)
    sweep(t, ('person', 'edit', '1', '--born', '1958-03-15', '--reason', 'typo in the referral'))


def test_faults_import_cases(t):
    populated(t)
    csv = t.write('cases.csv', 'name,born,source,requests,received\n'
                               'Kari Feilsen,1961-05-02,plo,coordinator,2026-09-01\n'
                               'Per Feilsen,1970-01-30,bti,ip,2026-09-02\n')
    sweep(t, ('import', 'cases', csv))


def test_faults_person_erase(t):
    populated(t)
    sweep(t, ('person', 'erase', '1', '--reason', 'asked to be forgotten'))


def test_faults_backup(t):
    populated(t)
    sweep(t, ('backup', t.path('copy.db')), target=t.path('copy.db'))


def test_faults_export(t):
    populated(t)
    sweep(t, ('--identify', 'export', t.path('export.json')), target=t.path('export.json'))


def test_faults_restore(t):
    populated(t)
    export = t.path('export.json')
    t.ok('--identify', 'export', export)
    db = t.path('restored.db')
    sweep(t, ('--db', db, 'restore', export), target=db)


def test_faults_restore_of_an_export_of_several_blocks(t):
    """A read of the export failing after whole blocks of it were restored
    (restore reads it in blocks of 1 MiB), or its reading thread failing to
    start: exit 6, the error said in each language, no database left."""
    db = t.path('restored.db')
    export = large_export(t)
    before = FIGURES['injected']
    sweep(t, ('--db', db, 'restore', export), target=db, kinds=('read',))
    assert FIGURES['injected'] - before >= 3, 'a read fails before, between and after blocks'
    said = {('read:3:ioerr', 'C.UTF-8'): 'bti: error: cannot read the export: Input/output error',
            ('read:3:ioerr', NB): 'bti: feil: kan ikke lese eksporten: ',
            ('thread:1:ioerr', 'C.UTF-8'): 'bti: error: cannot start reading the export: ',
            ('thread:1:ioerr', NB): 'bti: feil: kan ikke begynne å lese eksporten: '}
    for (fault, lang), words in said.items():
        if lang == NB and not has_locale(NB):
            continue
        remove(db)  # the sweep's last run, past the last read, restored it
        r = t.run('--db', db, 'restore', export, env=fault_env(t, fault, LC_ALL=lang))
        assert r.rc == 6 and words in r.err, f'{fault} {lang}: exit {r.rc}: {r.err.strip()}'
        assert not leftovers(db) and not os.path.exists(db), f'{fault} {lang}: left {db}'


def unlogged_reads(t, args):
    """Every run of an identified read whose access row cannot be committed
    (a write fault) exits 6 and prints nothing (finding 3)."""
    populated(t)
    t.ok('audit', 'verify')
    fired = 0
    for n in range(1, 200):
        r = t.run(*args, env=fault_env(t, f'write:{n}:full'))
        if MARK not in r.err:
            assert r.rc == 0 and r.out, r
            break
        fired += 1
        FIGURES['injected'] += 1
        where = f'bti {" ".join(args)} with write:{n}:full'
        if r.rc != 0:
            assert r.rc == 6, f'{where}: exit {r.rc}: {r.err.strip()}'
            assert r.out == '', f'{where}: failed, yet printed {r.out[:80]!r}'
    assert fired, 'no fault fired'


def test_faults_identified_case_show_prints_nothing_unlogged(t):
    unlogged_reads(t, ('--identify', 'case', 'show', '1'))


def test_faults_person_list_prints_nothing_unlogged(t):
    unlogged_reads(t, ('person', 'list'))
