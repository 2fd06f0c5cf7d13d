"""bti export and bti restore (SPEC sections 6 and 9): an export needs
--identify, is a private file (or a stdout no one else can read) laid out a
row per line, is logged; restore builds a new database from it, validating
every value and the audit chain, and leaves nothing behind when it fails."""
import fcntl
import hashlib
import json
import os
import re
import sqlite3
import stat
import subprocess

import fixture
import story
import synth

NIN = synth.nin('2010-05-05')
NAME = 'Kari Testesen'
ERASED_NAME = 'Ola Prøvesen'


def snapshot(t, key, build):
    """t.snapshot(key, build), built by one worker while the others wait
    for it rather than build it too."""
    if fixture.CACHE is None:
        return t.snapshot(key, build)
    with open(os.path.join(fixture.CACHE, key + '.lock'), 'w') as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return t.snapshot(key, build)


def _build(t):
    story.base(t)
    p = t.ok('person', 'add', '--name', NAME, '--nin', NIN).strip()
    t.ok('person', 'relative', 'add', p, '--name', 'Åse Øvreås', '--relation', 'mor',
         '--may-consent')
    c = int(t.ok('referral', 'add', '--person', p, '--source', 'plo', '--requests',
                 'coordinator,ip', '--date', story.RECEIVED, '--referrer', 'Sykehuset'))
    t.ok('consent', 'give', str(c), '--scope', 'exchange', '--by', 'user', '--parties', 'KE,skole',
         '--date', '2026-10-02')
    t.ok('ke', 'review', str(c), '--meeting', '1', '--note', 'Anbefaler koordinator')
    story.grant(t, c, covers='coordinator')
    story.deny(t, c, covers='ip')
    story.assign(t, c)
    # a person erased: restore must accept audit rows without their JSON
    e = int(t.ok('referral', 'add', '--name', ERASED_NAME, '--born', '1980-01-31', '--source', 'bti',
                 '--requests', 'ip', '--date', story.RECEIVED))
    t.ok('person', 'erase', str(story.show(t, e)['person_id']), '--reason', 'Etter krav', '--yes')


def built(t):
    snapshot(t, 'export-story', _build)


def export(t, name='export.json', *extra):
    path = t.path(name)
    t.ok('--identify', 'export', path, *extra)
    return path


def lines(path):
    with open(path, encoding='utf-8') as f:
        return f.read().split('\n')


def write_lines(t, name, ls):
    return t.write(name, '\n'.join(ls))


def run_sh(t, script, *args):
    """Run a shell script with bti as $0's first word: sh -c SCRIPT bti ARGS."""
    return subprocess.run(['sh', '-c', script, 'sh', t.bti, *args], env=t.env, cwd=t.dir,
                          capture_output=True, timeout=30)


def gone(path):
    """No database, and none of SQLite's side files, at path."""
    for p in (path, path + '-wal', path + '-shm', path + '-journal'):
        assert not os.path.exists(p), f'{p} left behind'


# ---- export ----------------------------------------------------------------------------------

def test_export_needs_identify_exit_2(t):
    built(t)
    t.fails(2, 'export', err_contains='--identify')
    t.fails(2, 'export', t.path('x.json'))
    assert not os.path.exists(t.path('x.json'))


def test_export_file_is_0600(t):
    built(t)
    path = export(t)
    st = os.lstat(path)
    assert stat.S_ISREG(st.st_mode) and stat.S_IMODE(st.st_mode) == 0o600, oct(st.st_mode)
    assert [f for f in os.listdir(t.dir) if f.startswith('.bti-export')] == []
    t.ok('--identify', 'export', 'relative.json')      # beside the working directory
    assert stat.S_IMODE(os.lstat(t.path('relative.json')).st_mode) == 0o600


def test_export_file_is_0600_under_umask_000(t):
    built(t)
    path = t.path('open.json')
    p = run_sh(t, 'umask 000; exec "$@"', '--identify', 'export', path)
    assert p.returncode == 0, p.stderr
    assert stat.S_IMODE(os.lstat(path).st_mode) == 0o600, oct(os.lstat(path).st_mode)


def test_export_layout_header_and_one_row_per_line(t):
    built(t)
    ls = lines(export(t))
    schema = t.one('PRAGMA user_version')
    assert ls[0] == '{"bti_export":1,"schema":%d,"tables":{' % schema, ls[0]
    assert ls[-1] == '' and ls[-2] == ']}}', ls[-3:]
    doc = json.loads('\n'.join(ls))
    assert doc['bti_export'] == 1 and doc['schema'] == schema
    tables = doc['tables']
    nrows = sum(len(v) for v in tables.values())
    assert len(ls) - 1 == 1 + 2 * len(tables) + nrows, (len(ls), len(tables), nrows)
    rowlines = [x for x in ls[1:] if x.startswith('{')]
    assert len(rowlines) == nrows
    for x in rowlines:
        obj = json.loads(x[:-1] if x.endswith(',') else x)
        assert isinstance(obj, dict) and 'id' in obj, x
    for name in ('user', 'person', 'ke_case', 'decision', 'audit', 'access'):
        assert name in tables, sorted(tables)
    for name in ('person', 'ke_case', 'decision', 'assignment', 'audit'):
        assert len(tables[name]) == t.count(name), name
    [p] = [p for p in tables['person'] if p['nin']]
    assert (p['name'], p['nin']) == (NAME, NIN), p


def test_export_is_logged(t):
    built(t)
    n = t.count('access')
    export(t)
    rows = t.sql('SELECT login, command, entity, what, rows, identify FROM access WHERE id > ?', (n,))
    assert len(rows) == 1, rows
    login, command, entity, what, nrows, identify = rows[0]
    assert (login, command, entity, what, identify) == (t.login, 'export', 'export', 'all', 1), rows
    assert nrows > 0


def test_export_to_an_existing_file_exit_1_and_keeps_it(t):
    built(t)
    path = t.write('export.json', 'mine\n')
    t.fails(1, '--identify', 'export', path, err_contains='--force')
    assert open(path).read() == 'mine\n'
    t.ok('--identify', 'export', path, '--force')
    assert lines(path)[0].startswith('{"bti_export":1,')
    assert stat.S_IMODE(os.lstat(path).st_mode) == 0o600


def test_export_force_over_a_0644_file_makes_it_0600(t):
    built(t)
    path = t.write('export.json', 'mine\n', mode=0o644)
    t.ok('--identify', 'export', path, '--force')
    assert stat.S_IMODE(os.lstat(path).st_mode) == 0o600


def test_export_does_not_follow_a_symlink(t):
    built(t)
    target = t.write('target', 'untouched\n')
    link = t.path('export.json')
    os.symlink(target, link)
    t.fails(1, '--identify', 'export', link)
    assert open(target).read() == 'untouched\n' and os.path.islink(link)
    t.ok('--identify', 'export', link, '--force')
    assert open(target).read() == 'untouched\n'
    assert not os.path.islink(link) and lines(link)[0].startswith('{"bti_export":1,')


def test_export_does_not_follow_a_dangling_symlink(t):
    built(t)
    target = t.path('elsewhere.json')
    link = t.path('export.json')
    os.symlink(target, link)
    t.fails(1, '--identify', 'export', link)
    assert not os.path.exists(target) and os.path.islink(link)


def test_export_into_a_missing_directory_fails(t):
    built(t)
    r = t.run('--identify', 'export', t.path('nowhere', 'export.json'))
    assert r.rc == 6 and r.out == '' and r.err.startswith('bti: error: '), r


def test_export_to_a_pipe(t):
    built(t)
    r = t.run('--identify', 'export')
    assert r.rc == 0, r.err
    doc = json.loads(r.out)
    assert r.out.startswith('{"bti_export":1,') and doc['tables']['person'], r.out[:80]


def _to_file(t, mode):
    out = t.path('out.json')
    fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    os.fchmod(fd, mode)
    try:
        p = subprocess.run([t.bti, '--identify', 'export'], stdout=fd, stderr=subprocess.PIPE,
                           stdin=subprocess.DEVNULL, env=t.env, cwd=t.dir, timeout=30)
    finally:
        os.close(fd)
    with open(out, 'rb') as f:
        return p.returncode, p.stderr.decode(), f.read()


def test_export_to_stdout_redirected_into_a_readable_file_exit_1(t):
    built(t)
    n = t.count('access')
    rc, err, data = _to_file(t, 0o644)
    assert rc == 1 and err.startswith('bti: error: '), (rc, err)
    assert data == b'', data[:80]
    assert t.count('access') == n, 'a refused export was logged as a read'


def test_export_to_stdout_redirected_into_a_private_file(t):
    built(t)
    rc, err, data = _to_file(t, 0o600)
    assert rc == 0, err
    assert data.startswith(b'{"bti_export":1,'), data[:80]


def test_export_needs_admin_exit_8(t):
    built(t)
    t.write_sql(("UPDATE user SET role = 'caseworker' WHERE login = ?", (t.login,)))
    t.fails(8, '--identify', 'export', t.path('x.json'))
    assert not os.path.exists(t.path('x.json'))


# ---- restore ---------------------------------------------------------------------------------

def restored(t, src, name='restored.db', *extra):
    db = t.path(name)
    t.ok('--db', db, 'restore', src, *extra)
    return db


def test_export_restore_export_differs_by_the_restore_row_only(t):
    built(t)
    first = export(t, 'first.json')
    db = restored(t, first)
    assert stat.S_IMODE(os.stat(db).st_mode) == 0o600
    second = t.path('second.json')
    t.ok('--db', db, '--identify', 'export', second)
    a, b = lines(first), lines(second)
    i = a.index('"access":[')
    assert a[i - 1] == '],' and a[i - 2].startswith('{"id":'), a[i - 3:i + 1]
    assert b[:i - 2] == a[:i - 2]
    assert b[i - 2] == a[i - 2] + ','
    row = json.loads(b[i - 1])
    assert b[i:] == a[i - 1:], 'the export after restore differs beyond the restore row'
    assert (row['command'], row['entity'], row['login']) == ('restore', 'restore', t.login), row
    change = json.loads(row['change'])
    with open(first, 'rb') as f:
        assert change['sha256'] == hashlib.sha256(f.read()).hexdigest(), change
    t.ok('--db', db, 'audit', 'verify')


def large_export(t):
    """The export of a database of 1,000 cases: over two of restore's
    blocks of 1 MiB."""
    t.init()
    t.ok('unit', 'add', 'Familiesenteret')
    rows = ['name,born,source,requests,received'] + [
        f'Person {i} Blokksen,{1950 + i % 50}-01-{1 + i % 28:02d},bti,"coordinator,ip",2026-01-02'
        for i in range(1000)]
    t.ok('-q', 'import', 'cases', t.write('cases.csv', '\n'.join(rows) + '\n'))
    first = export(t, 'first.json')
    assert os.path.getsize(first) > 2 * 1024 * 1024, os.path.getsize(first)
    return first


def test_restore_of_an_export_larger_than_its_read_blocks(t):
    """restore reads the export in blocks of 1 MiB, read and hashed by a
    second thread ahead of it (issue 19): lines that straddle two blocks,
    and a last line without its line end, restore as they were, and the
    restore row holds the whole file's SHA-256."""
    first = large_export(t)
    with open(first, 'rb') as f:
        data = f.read()
    assert data.endswith(b'\n')
    for name, text in (('whole.json', data), ('no_line_end.json', data[:-1])):
        src = t.write(name, text.decode('utf-8'))
        db = restored(t, src, name + '.db')
        again = lines(export(t, name + '.again', '--db', db))
        audit = again.index('"audit":[')
        assert again[:audit] == lines(first)[:audit]
        row = json.loads(again[again.index('"access":[') - 2].rstrip(','))
        assert json.loads(row['change'])['sha256'] == hashlib.sha256(text).hexdigest(), row
        t.ok('--db', db, 'audit', 'verify')


def test_restore_of_a_line_over_a_mebibyte_exit_4_names_the_line(t):
    """A line longer than 1 MiB is refused by its number as soon as it is
    that long, whichever blocks it spans; nothing is left behind."""
    built(t)
    ls = lines(export(t))
    k = next(k for k, x in enumerate(ls) if x.startswith('{"id":') and '"name":' in x)
    ls[k] = ls[k].replace('"name":"', '"name":"' + 'x' * (1024 * 1024 + 5), 1)
    db = t.path('r.db')
    t.fails(4, '--db', db, 'restore', write_lines(t, 'long.json', ls),
            err_contains=f'line {k + 1} is longer than 1 MiB')
    gone(db)


def test_restored_database_works(t):
    built(t)
    db = restored(t, export(t))
    shown = t.json('--db', db, 'case', 'show', '1')
    assert shown['person']['name'] == NAME and shown['status'] == 'active', shown
    t.ok('--db', db, 'referral', 'add', '--name', 'Per Fiktivsen', '--source', 'bti',
         '--requests', 'ip')
    t.ok('--db', db, 'audit', 'verify')


def test_restored_schema_is_the_source_schema(t):
    """What the restore put off for the load (indexes, the derived caches'
    triggers, the logs' guards against INSERT OR REPLACE) is back, as it
    was, and the guard refuses a replaced audit row."""
    built(t)
    db = restored(t, export(t))
    schema = "SELECT type, name, sql FROM sqlite_master ORDER BY name"
    con = sqlite3.connect(db)
    try:
        assert con.execute(schema).fetchall() == t.sql(schema)
        try:
            con.execute("INSERT OR REPLACE INTO audit SELECT * FROM audit WHERE id = 2")
            raise AssertionError('the restored audit took an INSERT OR REPLACE')
        except sqlite3.DatabaseError as e:
            assert 'the audit is append-only' in str(e)
    finally:
        con.close()
    t.ok('--db', db, 'audit', 'verify')


def test_restore_into_an_existing_database_exit_1(t):
    built(t)
    src = export(t)
    other = t.path('other.db')
    t.ok('--db', other, 'init')
    before = t.dump(other)
    r = t.run('--db', other, 'restore', src)
    assert r.rc == 1 and r.err.startswith('bti: error: '), r
    assert t.dump(other) == before
    t.fails(1, 'restore', src, err_contains='already exists')   # onto the database in use


def test_restore_of_a_truncated_file_exit_4_leaves_nothing(t):
    built(t)
    ls = lines(export(t))
    half = write_lines(t, 'half.json', ls[:len(ls) // 2] + [''])
    db = t.path('r.db')
    t.fails(4, '--db', db, 'restore', half)
    gone(db)
    with open(t.path('export.json'), 'rb') as f:
        data = f.read()
    cut = t.write('cut.json', data[:len(data) - 40])
    t.fails(4, '--db', db, 'restore', cut)
    gone(db)
    empty = t.write('empty.json', '')
    t.fails(4, '--db', db, 'restore', empty)
    gone(db)


def test_restore_of_a_tampered_audit_row_exit_7_leaves_nothing(t):
    built(t)
    ls = lines(export(t))
    i = ls.index('"audit":[')
    # the audit row of `unit add BOAK`: its change JSON names the unit
    [k] = [k for k in range(i, len(ls)) if '"entity":"unit","entity_id":2,' in ls[k]
           and 'BOAK' in ls[k]]
    ls[k] = ls[k].replace('BOAK', 'BOAX')
    bad = write_lines(t, 'tampered.json', ls)
    db = t.path('r.db')
    t.fails(7, '--db', db, 'restore', bad)
    gone(db)


def test_restore_of_an_audit_row_emptied_without_an_erasure_exit_7(t):
    """An audit row without its change and no erasure entry naming it: the
    chain holds (it covers the digest) and the row equals its emptied entry,
    so only the doctor's erasure check finds it, which a restore runs
    whenever an audit row comes without its change."""
    story.base(t)
    ls = lines(export(t))
    i = ls.index('"audit":[')
    [k] = [k for k in range(i, len(ls)) if '"entity":"unit","entity_id":2,' in ls[k]]
    comma = ',' if ls[k].endswith(',') else ''
    row = json.loads(ls[k].rstrip(','))
    row['change'] = row['salt'] = None
    ls[k] = json.dumps(row, separators=(',', ':'), ensure_ascii=False) + comma
    db = t.path('r.db')
    t.fails(7, '--db', db, 'restore', write_lines(t, 'emptied.json', ls),
            err_contains="the restored data fails the doctor's checks: erasures: audit row")
    gone(db)


def test_restore_of_a_tampered_timestamp_exit_7(t):
    built(t)
    ls = lines(export(t))
    i = ls.index('"audit":[') + 3
    at = json.loads(ls[i].rstrip(','))['at']
    other = at[:-3] + ('58Z' if at[-3:] != '58Z' else '59Z')
    ls[i] = ls[i].replace(f'"at":"{at}"', f'"at":"{other}"')
    assert ls[i] != lines(t.path('export.json'))[i]
    db = t.path('r.db')
    t.fails(7, '--db', db, 'restore', write_lines(t, 'tampered.json', ls))
    gone(db)


def test_restore_of_a_tampered_access_row_exit_7_leaves_nothing(t):
    """The access log's chain is verified too (issue 14, finding 4): an
    access row changed or left out of an export is refused."""
    built(t)
    t.ok('person', 'list')  # an access row in the export for certain
    ls = lines(export(t))
    i = ls.index('"access":[')
    j = next(k for k in range(i + 1, len(ls)) if ls[k].startswith(']'))
    assert j - i >= 2, 'no access rows to tamper with'
    row = json.loads(ls[i + 1].rstrip(','))
    changed = ls[:i + 1] + [ls[i + 1].replace(f'"rows":{row["rows"]}', f'"rows":{row["rows"] + 1}')] + ls[i + 2:]
    cut = ls[:i + 1] + ls[i + 2:] if j - i > 2 else None
    db = t.path('r.db')
    for name, bad in (('changed.json', changed), ('cut.json', cut)):
        if bad is None:
            continue
        assert bad != ls
        r = t.fails(7, '--db', db, 'restore', write_lines(t, name, bad))
        assert 'access row ' in r.err, r.err
        gone(db)


def test_restore_with_head(t):
    built(t)
    head = t.ok('audit', 'head').strip()
    src = export(t)
    restored(t, src, 'a.db', '--head', head)
    rows, h = head.split(':')
    wrong = f'{rows}:{h[:-1]}{"0" if h[-1] != "0" else "1"}'
    db = t.path('b.db')
    t.fails(7, '--db', db, 'restore', src, '--head', wrong)
    gone(db)
    t.fails(7, '--db', db, 'restore', src, '--head', f'{int(rows) + 5}:{h}')
    gone(db)
    t.fails(4, '--db', db, 'restore', src, '--head', 'nonsense')
    gone(db)


def log_rows(ls, table):
    """The indexes of the row lines of table (a log) in the export's lines."""
    i = ls.index(f'"{table}":[')
    j = next(k for k in range(i + 1, len(ls)) if ls[k].startswith(']'))
    return list(range(i + 1, j))


def set_row(ls, k, **values):
    """Line k with the row's values changed, its trailing comma kept."""
    comma = ',' if ls[k].endswith(',') else ''
    row = json.loads(ls[k].rstrip(','))
    row.update(values)
    ls[k] = json.dumps(row, separators=(',', ':'), ensure_ascii=False) + comma


def swap_rows(ls, a, b):
    """Lines a and b swapped, each trailing comma left where it was."""
    ca, cb = ls[a].endswith(','), ls[b].endswith(',')
    ra, rb = ls[a].rstrip(','), ls[b].rstrip(',')
    ls[a], ls[b] = rb + (',' if ca else ''), ra + (',' if cb else '')


def test_restore_of_audit_rows_out_of_id_order(t):
    """The chain is verified as the rows go in; rows that come out of id
    order are verified in the order the log holds them, as before (issue
    19): the log holds the chain, so the restore does; a row changed among
    them is still refused."""
    built(t)
    ls = lines(export(t))
    rows = log_rows(ls, 'audit')
    swap_rows(ls, rows[2], rows[5])
    db = restored(t, write_lines(t, 'swapped.json', ls))
    t.ok('--db', db, 'audit', 'verify')
    k = rows[7]
    set_row(ls, k, login=json.loads(ls[k].rstrip(','))['login'] + 'x')
    bad = t.path('bad.db')
    t.fails(7, '--db', bad, 'restore', write_lines(t, 'changed.json', ls),
            err_contains=f'audit row {json.loads(ls[k].rstrip(","))["id"]} does not match the chain')
    gone(bad)


def test_restore_of_a_duplicate_or_missing_audit_row_exit_4_or_7(t):
    built(t)
    ls = lines(export(t))
    rows = log_rows(ls, 'audit')
    db = t.path('r.db')
    twice = ls[:rows[3] + 1] + [ls[rows[3]]] + ls[rows[3] + 1:]
    t.fails(4, '--db', db, 'restore', write_lines(t, 'twice.json', twice),
            err_contains=['the row is refused', 'audit.id'])
    gone(db)
    without = ls[:rows[3]] + ls[rows[3] + 1:]
    t.fails(7, '--db', db, 'restore', write_lines(t, 'without.json', without),
            err_contains='audit row 5 does not match the chain')
    gone(db)
    # the whole audit left out: the access log comes where the audit should
    i, j = rows[0] - 1, rows[-1] + 2
    assert ls[i] == '"audit":[' and ls[j - 1] == '],', ls[i:j]
    t.fails(4, '--db', db, 'restore', write_lines(t, 'no-audit.json', ls[:i] + ls[j:]),
            err_contains='not the table that comes next in an export')
    gone(db)


def test_restore_of_an_unhashed_access_row_after_a_hashed_one_exit_7(t):
    built(t)
    t.ok('person', 'list')
    t.ok('person', 'list')  # two access rows at least
    ls = lines(export(t))
    rows = log_rows(ls, 'access')
    k = rows[-1]
    set_row(ls, k, hash=None)
    db = t.path('r.db')
    t.fails(7, '--db', db, 'restore', write_lines(t, 'unhashed.json', ls),
            err_contains=f'access row {json.loads(ls[k].rstrip(","))["id"]} does not match the chain')
    gone(db)


def test_restore_of_a_log_value_of_another_type(t):
    """An integer written as text is stored as the integer (SQLite converts
    it), so it is verified as the log holds it: the right one restores, a
    wrong one is refused.  A blob that is no lowercase hex, or a number
    where a blob goes, is refused at its line."""
    built(t)
    ls = lines(export(t))
    rows = log_rows(ls, 'audit')
    [k] = [k for k in rows if '"entity":"unit","entity_id":2,' in ls[k]]
    text = list(ls)
    set_row(text, k, entity_id='2')
    db = restored(t, write_lines(t, 'text.json', text))
    t.ok('--db', db, 'audit', 'verify')
    wrong = t.path('wrong.db')
    set_row(text, k, entity_id='3')
    t.fails(7, '--db', wrong, 'restore', write_lines(t, 'wrong.json', text),
            err_contains=f'audit row {json.loads(ls[k].rstrip(","))["id"]} does not match the chain')
    gone(wrong)
    hash = json.loads(ls[k].rstrip(','))['hash']
    for value, words in ((hash.upper(), 'not a hex blob'), (hash[:-1], 'not a hex blob'),
                         (12, 'has a value of the wrong type')):
        bad = list(ls)
        set_row(bad, k, hash=value)
        t.fails(4, '--db', wrong, 'restore', write_lines(t, 'bad.json', bad),
                err_contains=[f'line {k + 1}', 'hash', words])
        gone(wrong)


def test_restore_of_a_number_no_integer_column_holds_exit_4(t):
    """A fraction where an integer goes, or a number beyond those a double
    holds exactly, is refused at its line: not cut to its whole part (2.5
    restored as the right entity_id 2), nor converted beyond long long."""
    built(t)
    ls = lines(export(t))
    [k] = [k for k in log_rows(ls, 'audit') if '"entity":"unit","entity_id":2,' in ls[k]]
    wrong = t.path('wrong.db')
    for value in (2.5, 1e300, -1e300):
        bad = list(ls)
        set_row(bad, k, entity_id=value)
        t.fails(4, '--db', wrong, 'restore', write_lines(t, 'bad.json', bad),
                err_contains=[f'line {k + 1}', 'entity_id', 'has a value of the wrong type'])
        gone(wrong)


def names_line_and_rule(err, line, column, *rule):
    """The message names the line once, the column, and the rule, whole."""
    assert err.count(f'line {line}') == 1, f'line {line} not named once: {err.strip()}'
    assert re.search(rf'\b{column}\b', err.split(f'line {line}', 1)[1]), err
    for words in rule:
        assert words in err, f'the rule ({words!r}) is not said whole: {err.strip()}'


def test_restore_of_an_invalid_name_exit_4_names_the_line(t):
    built(t)
    ls = lines(export(t))
    [k] = [k for k, x in enumerate(ls) if f'"name":"{NAME}"' in x and '"nin"' in x]
    ls[k] = ls[k].replace(f'"name":"{NAME}"', f'"name":"={NAME}"')
    db = t.path('r.db')
    r = t.fails(4, '--db', db, 'restore', write_lines(t, 'bad.json', ls), private=[NAME, NIN])
    names_line_and_rule(r.err, k + 1, 'name', 'may not begin with')
    gone(db)


def test_restore_of_a_bad_date_exit_4_names_the_line(t):
    built(t)
    ls = lines(export(t))
    [k] = [k for k, x in enumerate(ls) if x.startswith('{"id":1,"case_id":1,"source":"plo"')]
    assert f'"received":"{story.RECEIVED}"' in ls[k], ls[k]
    ls[k] = ls[k].replace(f'"received":"{story.RECEIVED}"', '"received":"2026-02-30"')
    db = t.path('r.db')
    r = t.fails(4, '--db', db, 'restore', write_lines(t, 'bad.json', ls))
    names_line_and_rule(r.err, k + 1, 'received', 'no such day')
    gone(db)


def test_restore_of_a_bad_nin_exit_4(t):
    built(t)
    ls = lines(export(t))
    [k] = [k for k, x in enumerate(ls) if f'"nin":"{NIN}"' in x]
    ls[k] = ls[k].replace(NIN, synth.wrong_check(NIN))
    db = t.path('r.db')
    r = t.fails(4, '--db', db, 'restore', write_lines(t, 'bad.json', ls),
                private=[NIN, synth.wrong_check(NIN)])
    names_line_and_rule(r.err, k + 1, 'nin', 'check digits')
    gone(db)


def test_restore_by_a_login_that_is_no_admin_in_the_export_exit_8(t):
    built(t)
    ls = lines(export(t))
    mine = f'"login":"{t.login}","role":"admin"'
    [k] = [k for k, x in enumerate(ls) if mine in x]
    db = t.path('r.db')
    for role in ('caseworker', 'report'):
        ls[k] = ls[k].replace(mine, f'"login":"{t.login}","role":"{role}"')
        t.fails(8, '--db', db, 'restore', write_lines(t, f'{role}.json', ls))
        gone(db)
        ls = lines(t.path('export.json'))
    ls[k] = ls[k].replace(mine, '"login":"someoneelse","role":"admin"')
    t.fails(8, '--db', db, 'restore', write_lines(t, 'other.json', ls))
    gone(db)


def test_restore_of_a_missing_file_or_a_directory(t):
    built(t)
    db = t.path('r.db')
    for src in (t.path('missing.json'), t.dir):
        r = t.run('--db', db, 'restore', src)
        assert r.rc == 4 and r.err.startswith('bti: error: '), r
        gone(db)
    t.fails(2, '--db', db, 'restore')
    gone(db)


def test_restore_of_a_data_row_changed_behind_the_audit_exit_7(t):
    # SPEC 6: restore runs the doctor's checks before it commits, and the
    # doctor finds a data row that no longer equals its last audit entry
    built(t)
    ls = lines(export(t))
    [k] = [k for k, x in enumerate(ls) if x.startswith('{"id":2,"name":"BOAK"}')]
    ls[k] = ls[k].replace('BOAK', 'BOAX')
    db = t.path('r.db')
    t.fails(7, '--db', db, 'restore', write_lines(t, 'changed.json', ls))
    gone(db)


def test_restore_of_a_broken_reference_or_another_schema_exit_4(t):
    built(t)
    src = export(t)
    ls = lines(src)
    i = ls.index('"ke_case":[')
    assert ls[i + 1].startswith('{"id":1,"person_id":1,'), ls[i + 1]
    ls[i + 1] = ls[i + 1].replace('"person_id":1,', '"person_id":99,')
    db = t.path('r.db')
    t.fails(4, '--db', db, 'restore', write_lines(t, 'broken.json', ls))
    gone(db)
    ls = lines(src)
    schema = t.one('PRAGMA user_version')
    ls[0] = ls[0].replace(f'"schema":{schema},', f'"schema":{schema + 1},')
    t.fails(4, '--db', db, 'restore', write_lines(t, 'newer.json', ls))
    gone(db)


def test_restore_of_an_export_from_before_a_nullable_column_was_added(t):
    # migration 6 only adds appeal.posted: an export of schema 5 lacks it,
    # and restores with it null
    story.base(t)
    c = story.refer(t, 'ip')
    story.deny(t, c, '--notified', story.DECIDED)
    story.appeal(t, c)
    src = export(t)
    ls = lines(src)
    schema = t.one('PRAGMA user_version')
    ls[0] = ls[0].replace(f'"schema":{schema},', '"schema":5,')
    i = ls.index('"appeal":[')
    assert ',"posted":null}' in ls[i + 1], ls[i + 1]
    ls[i + 1] = ls[i + 1].replace(',"posted":null}', '}')
    db = t.path('r.db')
    t.ok('--db', db, 'restore', write_lines(t, 'v5.json', ls))
    con = sqlite3.connect(f'file:{db}?mode=ro', uri=True)
    try:
        assert con.execute('SELECT received, posted FROM appeal').fetchall() == \
            [(story.APPEALED, None)]
    finally:
        con.close()
    # a row of the current schema must hold every column
    ls[0] = lines(src)[0]
    t.fails(4, '--db', t.path('r2.db'), 'restore', write_lines(t, 'v6.json', ls),
            err_contains="the row's columns are not the table's")
    gone(t.path('r2.db'))


def test_restore_of_an_export_from_before_an_index_migration(t):
    # migration 5 only drops an index and 6-10 only add: an export of schema 4 restores
    built(t)
    src = export(t)
    ls = lines(src)
    schema = t.one('PRAGMA user_version')
    assert schema >= 5
    ls[0] = ls[0].replace(f'"schema":{schema},', '"schema":4,')
    db = t.path('r.db')
    t.ok('--db', db, 'restore', write_lines(t, 'v4.json', ls))
    assert 'FAIL' not in t.ok('--db', db, 'doctor')
    con = sqlite3.connect(f'file:{db}?mode=ro', uri=True)
    try:
        assert con.execute('PRAGMA user_version').fetchone() == (schema,)
    finally:
        con.close()


def test_restore_of_an_export_before_a_table_changed_exit_4_with_hint(t):
    # migration 4 added a table: an export of schema 3 needs the bti that wrote it
    built(t)
    ls = lines(export(t))
    schema = t.one('PRAGMA user_version')
    ls[0] = ls[0].replace(f'"schema":{schema},', '"schema":3,')
    db = t.path('r.db')
    t.fails(4, '--db', db, 'restore', write_lines(t, 'v3.json', ls),
            err_contains=['schema 3', 'hint: restore it with the bti that wrote it'])
    gone(db)


def test_restore_does_not_read_through_a_symlink(t):
    built(t)
    src = export(t)
    link = t.path('link.json')
    os.symlink(src, link)
    db = t.path('r.db')
    r = t.run('--db', db, 'restore', link)
    assert r.rc == 4 and r.err.startswith('bti: error: '), r
    gone(db)


# ---- issue 14, finding 6: a dry run writes nothing anywhere -------------------

def test_dry_run_export_writes_no_file(t):
    t.init()
    t.ok('unit', 'add', 'Familiesenter')
    target = t.path('dry.json')
    r = t.run('--dry-run', '--identify', 'export', target)
    assert r.rc == 0, r.err
    assert r.err.startswith('dry run: would export'), r.err
    assert not os.path.exists(target) and os.listdir(t.dir).count('dry.json') == 0
    assert not [f for f in os.listdir(t.dir) if f.startswith('.bti-export')]


def test_dry_run_restore_creates_no_database(t):
    t.init()
    t.ok('unit', 'add', 'Familiesenter')
    export = t.path('export.json')
    t.ok('--identify', 'export', export)
    new = t.path('new', 'bti.db')
    r = t.run('--dry-run', '--db', new, 'restore', export)
    assert r.rc == 0, r.err
    assert 'nothing written' in r.err, r.err
    assert not os.path.exists(t.path('new'))
    t.ok('--db', new, 'restore', export)  # the real one is not refused after it


def test_dry_run_restore_of_a_bad_export_fails_and_creates_nothing(t):
    t.init()
    bad = t.write('bad.json', '{"bti_export":1,"schema":%d,"tables":{\n' % t.one('PRAGMA user_version'))
    new = t.path('new.db')
    t.fails(4, '--dry-run', '--db', new, 'restore', bad, err_contains='ends too early')
    assert not os.path.exists(new)


def test_restore_refuses_a_word_outside_a_checks_list(t):
    # a CHECK's list (an OR chain since migration 16) still refuses the row,
    # with restore's message and SQLite's words for the constraint
    t.init()
    t.ok('gathering', 'add', '--kind', 'samling', '--date', '2026-11-01')
    ls = lines(export(t))
    [k] = [k for k, x in enumerate(ls) if '"kind":"samling"' in x]
    ls[k] = ls[k].replace('"kind":"samling"', '"kind":"party"')
    t.fails(4, '--db', t.path('r.db'), 'restore', write_lines(t, 'bad.json', ls),
            err_contains=['the row is refused', 'CHECK constraint failed', "kind = 'samling'"])
    gone(t.path('r.db'))
