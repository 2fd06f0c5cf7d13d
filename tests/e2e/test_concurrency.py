"""Concurrency: several bti processes writing one database at once, and a
database another connection keeps locked (SPEC sections 7 and 9: writes take
BEGIN IMMEDIATE and wait up to BTI_BUSY_TIMEOUT seconds; past it, exit 5,
nothing changed, "safe to retry").

Four processes write at once: referrals, KE reviews, coordinator assignments
and decisions, OPS operations each, on cases imported first.  Every operation
must succeed (exit 0, no "database is locked"), be there exactly once, and
the audit chain must verify.
"""
import contextlib
import os
import re
import sqlite3
import subprocess
import threading
import time

import schema5
import story

OPS = 25
WRITERS_ENV = {'BTI_BUSY_TIMEOUT': '30'}

def cases_csv(ops):
    lines = ['name,born,source,requests,received,status,unit,decided']
    for part, status, extra in (('R', 'received', ',,'), ('A', 'granted', f',{story.UNIT},{story.DECIDED}'),
                                ('D', 'received', ',,')):
        for j in range(ops):
            born = f'{2001 + j % 20}-{j % 12 + 1:02d}-{j % 28 + 1:02d}'
            requests = 'coordinator' if part == 'A' else 'coordinator,ip'
            lines.append(f'Test Samtidig {part}{j},{born},plo,"{requests}",{story.RECEIVED},{status}{extra}')
    return '\n'.join(lines) + '\n'


def prepared(t, ops=OPS):
    """story.base with 3 * ops imported cases: received, granted, received."""
    def build(t):
        story.base(t)
        t.write('cases.csv', cases_csv(ops))
        t.ok('-q', 'import', 'cases', t.path('cases.csv'))
    t.snapshot(f'concurrency-{ops}', build)
    r, a, d = (range(k * ops + 1, (k + 1) * ops + 1) for k in range(3))
    assert [s for (s,) in t.sql('SELECT status FROM ke_case ORDER BY id')] == \
        ['received'] * ops + ['granted'] * ops + ['received'] * ops
    return r, a, d


def run_all(t, jobs, env=WRITERS_ENV):
    """Run each job (a list of argument lists) in its own thread, its
    commands one after another, all jobs at once; the failures as
    (job, args, rc, stderr)."""
    failures, lock = [], threading.Lock()
    start = threading.Barrier(len(jobs))

    def work(name, commands):
        start.wait()
        for args in commands:
            r = t.run(*args, env=env)
            if r.rc != 0 or 'locked' in r.err:
                with lock:
                    failures.append((name, args, r.rc, r.err.strip()))

    threads = [threading.Thread(target=work, args=job) for job in jobs.items()]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return failures


def integrity(t, path=None):
    con = sqlite3.connect(path or t.db, timeout=30)
    try:
        found = [r[0] for r in con.execute('PRAGMA integrity_check')]
        return ([] if found == ['ok'] else found) + list(con.execute('PRAGMA foreign_key_check'))
    finally:
        con.close()


def unaudited(t, table, entity):
    """Rows of table without an audit row of their own."""
    return t.sql(f'SELECT id FROM "{table}" t WHERE NOT EXISTS (SELECT 1 FROM audit a'
                 f' WHERE a.entity = ? AND a.entity_id = t.id)', (entity,))


def four_writers(t, ops=OPS):
    """The four writers, ops operations each; asserts what must hold after."""
    r, a, d = prepared(t, ops)
    coordinators = (story.K1, story.K2, story.K3)
    jobs = {
        'referrals': [('referral', 'add', '--name', f'Test Parallell {i}', '--source', 'bti',
                       '--requests', 'coordinator', '--date', story.RECEIVED) for i in range(ops)],
        'reviews': [('ke', 'review', str(c), '--meeting', '1', '--note', f'Drøftet i KE-møtet, sak {c}',
                     '--anonymous') for c in r],
        'assignments': [('coordinator', 'assign', str(c), '--coordinator', coordinators[c % 3],
                         '--date', story.ASSIGNED) for c in a],
        'decisions': [('ke', 'decide', str(c), '--grant', '--unit', story.OTHER_UNIT, '--covers',
                       'coordinator', '--date', story.DECIDED) for c in d],
    }
    audit_before = t.count('audit')
    failures = run_all(t, jobs)
    assert not failures, f'{len(failures)} of {4 * ops} writes failed, e.g. {failures[:3]}'
    assert integrity(t) == []
    # every operation exactly once
    names = [n for (n,) in t.sql("SELECT name FROM person WHERE name LIKE 'Test Parallell %'")]
    assert sorted(names) == sorted(f'Test Parallell {i}' for i in range(ops)), names
    assert t.one("SELECT count(*) FROM ke_case c JOIN person p ON p.id = c.person_id"
                 " WHERE p.name LIKE 'Test Parallell %'") == ops
    per = dict(t.sql('SELECT case_id, count(*) FROM review GROUP BY case_id'))
    assert per == {c: 1 for c in r}, per
    per = dict(t.sql('SELECT case_id, count(*) FROM assignment GROUP BY case_id'))
    assert per == {c: 1 for c in a}, per
    assert {s for (s,) in t.sql(f'SELECT status FROM ke_case WHERE id BETWEEN {a[0]} AND {a[-1]}')} == {'active'}
    per = dict(t.sql(f'SELECT case_id, count(*) FROM decision WHERE case_id >= {d[0]} GROUP BY case_id'))
    assert per == {c: 1 for c in d}, per
    assert {s for (s,) in t.sql(f'SELECT status FROM ke_case WHERE id BETWEEN {d[0]} AND {d[-1]}')} == {'granted'}
    # ... each with its audit row, in one unbroken chain
    for table, entity in (('review', 'review'), ('assignment', 'assignment'),
                          ('decision', 'decision'), ('ke_case', 'ke_case'), ('person', 'person')):
        assert unaudited(t, table, entity) == [], (table, unaudited(t, table, entity)[:5])
    rows, top = t.sql('SELECT count(*), max(id) FROM audit')[0]
    assert rows == top and rows > audit_before, (rows, top, audit_before)
    t.ok('audit', 'verify')


def test_four_writers_at_once_all_succeed_exactly_once(t):
    four_writers(t)


def test_identified_reads_while_writers_write_are_all_logged(t):
    """Reads that print identified data log an access row each (a write of
    its own): they too wait for the lock instead of failing."""
    r, a, d = prepared(t)
    ops = 12
    jobs = {
        'referrals': [('referral', 'add', '--name', f'Test Leser {i}', '--source', 'plo',
                       '--requests', 'ip') for i in range(ops)],
        'reviews': [('ke', 'review', str(c), '--meeting', '1', '--note', 'Drøftet',
                     '--anonymous') for c in r[:ops]],
        'reader 1': [('case', 'show', str(c)) for c in a[:ops]],
        'reader 2': [('person', 'show', str(c)) for c in r[:ops]],
    }
    before = t.count('access')
    failures = run_all(t, jobs)
    assert not failures, f'{len(failures)} commands failed, e.g. {failures[:3]}'
    logged = dict(t.sql(f'SELECT command, count(*) FROM access WHERE id > {before} GROUP BY command'))
    assert logged.get('case show') == ops and logged.get('person show') == ops, logged
    t.ok('audit', 'verify')


def test_export_and_backup_while_writers_write_are_consistent(t):
    """An export or backup taken while others write is one consistent
    snapshot: it restores (chain, references, doctor's checks) or verifies."""
    r, a, d = prepared(t)
    ops = 10
    exports = [t.path(f'export{k}.json') for k in range(3)]
    backups = [t.path(f'backup{k}.db') for k in range(2)]
    has_backup = 'being written' not in t.run('backup', '-h').out
    jobs = {
        'referrals': [('referral', 'add', '--name', f'Test Kopi {i}', '--source', 'plo',
                       '--requests', 'ip') for i in range(ops)],
        'decisions': [('ke', 'decide', str(c), '--grant', '--unit', story.UNIT, '--covers',
                       'coordinator', '--date', story.DECIDED) for c in d[:ops]],
        'exports': [('-q', '--identify', 'export', p) for p in exports],
    }
    if has_backup:
        jobs['backups'] = [('-q', 'backup', p) for p in backups]
    failures = run_all(t, jobs)
    assert not failures, failures[:3]
    for k, p in enumerate(exports):
        db = t.path(f'restored{k}', 'bti.db')
        t.ok('-q', 'restore', p, env={'BTI_DB': db})
        t.ok('audit', 'verify', env={'BTI_DB': db})
    for p in backups if has_backup else ():
        assert integrity(t, p) == []
        t.ok('audit', 'verify', env={'BTI_DB': p})
    t.ok('audit', 'verify')


# ---- a database kept locked by another connection ---------------------------

class Held:
    """A python sqlite3 connection holding BEGIN IMMEDIATE (the write lock)."""

    def __init__(self, t):
        self.con = sqlite3.connect(t.db, isolation_level=None, check_same_thread=False)
        self.con.execute('BEGIN IMMEDIATE')

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.con.execute('ROLLBACK')
        self.con.close()


SAFE = re.compile(r'safe to (try again|retry)', re.I)


def locked_write(t, *args, private=(), held=False):
    """args exit 5 after BTI_BUSY_TIMEOUT=1 while the lock is held: nothing
    changed, nothing printed, a message that retrying is safe."""
    with (Held(t) if not held else contextlib.nullcontext()):
        start = time.monotonic()
        r = t.fails(5, *args, env={'BTI_BUSY_TIMEOUT': '1'}, private=private)
        took = time.monotonic() - start
    assert SAFE.search(r.err), f'bti {" ".join(args)}: the message does not say it is safe to retry: {r.err!r}'
    assert 'database is locked' not in r.err, r.err
    assert took >= 0.9, f'gave up after {took:.2f} s, before BTI_BUSY_TIMEOUT=1'
    assert took < 15, f'waited {took:.1f} s with BTI_BUSY_TIMEOUT=1'
    return r


def test_locked_database_referral_add_exits_5_safe_to_retry(t):
    story.base(t)
    before = t.count('ke_case')
    locked_write(t, 'referral', 'add', '--name', 'Test Låstesen', '--source', 'bti', '--requests',
                 'coordinator', private=['Låstesen'])
    assert t.count('ke_case') == before
    # and once the lock is gone, the same command goes through
    t.ok('referral', 'add', '--name', 'Test Låstesen', '--source', 'bti', '--requests', 'coordinator',
         env={'BTI_BUSY_TIMEOUT': '1'})
    assert t.count('ke_case') == before + 1
    t.ok('audit', 'verify')


def test_locked_database_other_writes_exit_5(t):
    r, a, d = prepared(t)
    t.write('more.csv', 'name,source,requests,received\nTest Importlås,bti,ip,2026-10-01\n')
    writes = (('ke', 'decide', str(d[0]), '--grant', '--unit', story.UNIT, '--date', story.DECIDED),
              ('coordinator', 'assign', str(a[0]), '--coordinator', story.K1, '--date', story.ASSIGNED),
              ('ke', 'review', str(r[0]), '--meeting', '1', '--note', 'Drøftet', '--anonymous'),
              ('import', 'cases', t.path('more.csv')))
    errors = []

    def one(args):
        try:
            locked_write(t, *args, private=['Importlås'], held=True)
        except AssertionError as e:
            errors.append(str(e))
    with Held(t):  # all four wait at once, for one lock
        threads = [threading.Thread(target=one, args=(args,)) for args in writes]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
    assert not errors, errors
    t.ok('audit', 'verify')


def test_locked_database_identified_read_prints_nothing_unlogged(t):
    """An identified read (case show) must not print the person's data when
    it cannot write the access row that records the read (SPEC section 9:
    every command that prints identified data appends an access row)."""
    r, a, d = prepared(t)
    before = t.count('access')
    with Held(t):
        res = t.run('case', 'show', str(a[0]), env={'BTI_BUSY_TIMEOUT': '1'})
    logged = t.count('access') - before
    assert res.rc == 0 and logged == 1 or res.rc == 5, res
    assert res.rc != 5 or res.out == '', \
        (f'bti case show {a[0]}: exit 5 (the access row could not be written) but the case was '
         f'printed on stdout, unlogged: {res.out[:120]!r}')
    assert res.rc != 5 or SAFE.search(res.err), res.err


def test_busy_timeout_is_waited_out_when_the_lock_goes(t):
    """A writer that meets a lock released within BTI_BUSY_TIMEOUT waits and succeeds."""
    story.base(t)
    held = Held(t)
    timer = threading.Timer(0.5, lambda: held.__exit__(None, None, None))
    timer.start()
    try:
        start = time.monotonic()
        t.ok('unit', 'add', 'Venteenheten', env={'BTI_BUSY_TIMEOUT': '10'})
        took = time.monotonic() - start
    finally:
        timer.join()
    assert 0.4 <= took < 10, took
    assert t.one("SELECT count(*) FROM unit WHERE name = 'Venteenheten'") == 1
    t.ok('audit', 'verify')


def test_a_reader_holding_a_transaction_does_not_block_writes(t):
    """WAL: an open read transaction elsewhere never makes a write exit 5."""
    story.base(t)
    con = sqlite3.connect(t.db, isolation_level=None)
    try:
        con.execute('BEGIN')
        con.execute('SELECT count(*) FROM audit').fetchall()
        t.ok('unit', 'add', 'Leseenheten', env={'BTI_BUSY_TIMEOUT': '1'})
    finally:
        con.execute('ROLLBACK')
        con.close()
    t.ok('audit', 'verify')


def test_several_commands_opening_a_database_to_migrate_all_succeed(t):
    # each reads the schema version again under the write lock: the first
    # migrates, the others find the work done (they used to run it again)
    failures = []
    for attempt in range(4):
        t.init()
        current = t.one('PRAGMA user_version')
        schema5.downgrade(t.db)
        con = sqlite3.connect(t.db)
        con.executescript('CREATE INDEX decision_item_decision ON decision_item(decision_id);'
                          'PRAGMA user_version = 4;')
        con.close()
        procs = [subprocess.Popen([t.bti, 'unit', 'list'], env=t.env, cwd=t.dir,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
                 for _ in range(4)]
        for p in procs:
            _, err = p.communicate(timeout=60)
            if p.returncode != 0:
                failures.append(err.strip())
        assert t.one('PRAGMA user_version') == current
        os.unlink(t.db)
        for suffix in ('-wal', '-shm'):
            if os.path.exists(t.db + suffix):
                os.unlink(t.db + suffix)
    assert not failures, failures


def _asking(t, *args):
    """Start bti with a terminal on stdin; return (process, pty master) once
    it asks its [y/N] question on stderr."""
    import pty
    master, slave = pty.openpty()
    p = subprocess.Popen([t.bti, *args], stdin=slave, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, env=t.env, cwd=t.dir)
    os.close(slave)
    seen = b''
    deadline = time.time() + 30
    while b'[y/N]' not in seen and time.time() < deadline and p.poll() is None:
        seen += os.read(p.stderr.fileno(), 256)
    assert b'[y/N]' in seen, seen
    return p, master


def test_a_question_is_asked_while_no_lock_is_held(t):
    # case close and person erase ask at a terminal; someone who has not yet
    # answered must not block the other users' writes
    story.base(t)
    c = story.refer(t, 'ip')
    p, master = _asking(t, 'case', 'close', str(c), '--cause', 'moved')
    try:
        t.ok('unit', 'add', 'Skolehelsetjenesten')       # not locked out while the question waits
        assert story.status(t, c) == 'received'
        os.write(master, b'y\n')
        _, err = p.communicate(timeout=30)
        assert p.returncode == 0, err
    finally:
        os.close(master)
    assert story.status(t, c) == 'closed'


def test_a_question_answered_no_changes_nothing(t):
    story.base(t)
    c = story.refer(t, 'ip')
    before = t.dump()
    for args in (('case', 'close', str(c), '--cause', 'moved'),
                 ('person', 'erase', '1', '--reason', 'Krav om sletting')):
        p, master = _asking(t, *args)
        try:
            os.write(master, b'n\n')
            out, err = p.communicate(timeout=30)
        finally:
            os.close(master)
        assert p.returncode == 1 and b'not done: not confirmed' in err, (args, err)
        assert out == b'' and t.dump() == before, args


def test_a_paged_listing_holds_no_lock_while_it_is_read(t):
    # an identified listing takes the write lock; at a terminal its pages are
    # shown after the commit, so someone reading in less blocks nobody
    import pty
    t.init()
    t.write_sql(*[("INSERT INTO person(name, born) VALUES (?, '2010-05-05')", (f'Testperson {i:05d}',))
                  for i in range(3000)])               # well over a pipe's 64 KiB
    shown = t.path('paged.txt')
    release = t.path('release')
    env = dict(t.env, PAGER=f"sh -c 'while [ ! -e {release} ]; do sleep 0.1; done; cat > {shown}'")
    master, slave = pty.openpty()
    p = subprocess.Popen([t.bti, 'person', 'list'], stdin=subprocess.DEVNULL, stdout=slave,
                         stderr=subprocess.PIPE, env=env, cwd=t.dir)
    os.close(slave)
    try:
        time.sleep(1)                                   # the listing is done, the pager not reading
        r = t.run('unit', 'add', 'Skolehelsetjenesten', env={'BTI_BUSY_TIMEOUT': '2'})
        assert r.rc == 0, r.err
    finally:
        open(release, 'w').close()
        p.communicate(timeout=30)
        os.close(master)
    assert p.returncode == 0
    assert open(shown).read().count('Testperson') == 3000
