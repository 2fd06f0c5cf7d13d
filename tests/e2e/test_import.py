"""bti import coordinators|cases (SPEC section 5): the examples, encodings,
separators, line ends, the header, bad rows (reported as FILE:LINE without
personal values, the database unchanged), files that are not regular
files, --dry-run, --skip-existing, the replayed statuses and the role."""
import os
import re
import sqlite3

from synth import KARI, OLA, ASE, PER, nin, wrong_check

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EXAMPLES = os.path.join(ROOT, 'examples')
HOME = 'Hjembaserte tjenester'
FAMILY = 'Familiesenteret'
K1 = 'Kari Koordinator'
HEADER = 'name,born,source,requests,received'


def units(t):
    """A database with the two units the examples name."""
    t.snapshot('import-units', lambda t: (t.init(), t.ok('unit', 'add', HOME),
                                          t.ok('unit', 'add', FAMILY)))


def staffed(t):
    """The units and the coordinators of examples/coordinators.csv."""
    t.snapshot('import-staffed', lambda t: (units(t), t.ok(
        'import', 'coordinators', os.path.join(EXAMPLES, 'coordinators.csv'))))


def csv(*rows, sep=',', end='\n'):
    """rows joined into a CSV text."""
    return end.join(sep.join(r) if isinstance(r, (list, tuple)) else r for r in rows) + end


def simple(name=KARI[0], born=KARI[1], received='2026-01-02'):
    return f'{name},{born},bti,ip,{received}'


def statuses(t):
    """{case id: status} of every case."""
    return {c['id']: c['status'] for c in t.json('case', 'list')}


def show(t, case):
    return t.json('case', 'show', str(case))


# ---- the examples -------------------------------------------------------------------------

def test_examples_import_coordinators_then_cases(t):
    units(t)
    r = t.run('import', 'coordinators', os.path.join(EXAMPLES, 'coordinators.csv'))
    assert r.rc == 0 and r.out == '', r
    assert 'imported 3 coordinators (0 skipped)' in r.err, r.err
    r = t.run('import', 'cases', os.path.join(EXAMPLES, 'cases.csv'))
    assert r.rc == 0, r.err
    assert 'cases.csv is not UTF-8; read as Windows-1252' in r.err, r.err
    assert "cases.csv:3: column 'nin': 10 digits, read with a leading zero" in r.err, r.err
    assert 'imported 10 cases (0 skipped)' in r.err, r.err
    assert statuses(t) == {1: 'active', 2: 'granted', 3: 'active', 4: 'denied', 5: 'received',
                           6: 'granted', 7: 'closed', 8: 'closed', 9: 'received', 10: 'active'}
    names = [p['name'] for p in t.json('--identify', 'person', 'list')]
    assert names[0] == 'Åse Øvreås' and 'Marit Sætre' in names, names
    assert t.one('SELECT nin FROM person WHERE id = 2') == nin(KARI[1])


def test_examples_hold_only_synthetic_nins(t):
    with open(os.path.join(EXAMPLES, 'cases.csv'), 'rb') as f:
        text = f.read().decode('cp1252')
    assert '\r\n' in text and text.splitlines()[0].count(';') == 21
    for value in re.findall(r'(?<!\d)(\d{6} ?\d{4,5})(?!\d)', text):
        digits = value.replace(' ', '').rjust(11, '0')
        assert int(digits[2:4]) > 80, f'{value} is not a synthetic nin'


# ---- encodings, separators, line ends -----------------------------------------------------

def test_windows_1252_read_in_auto_with_a_note(t):
    t.init()
    path = t.write('w.csv', csv(HEADER, simple(*OLA)).encode('cp1252'))
    r = t.run('import', 'cases', path)
    assert r.rc == 0, r.err
    assert r.err.startswith('bti: note: '), r.err
    assert t.one('SELECT name FROM person') == OLA[0]
    assert t.run('-q', 'import', 'cases', path, '--skip-existing').err == ''


def test_windows_1252_named_explicitly(t):
    t.init()
    path = t.write('w.csv', csv(HEADER, simple(*ASE)).encode('cp1252'))
    r = t.run('import', 'cases', path, '--encoding', 'windows-1252')
    assert r.rc == 0 and 'note' not in r.err, r.err
    assert t.one('SELECT name FROM person') == ASE[0]


def test_windows_1252_read_as_utf8_is_refused_per_cell(t):
    t.init()
    path = t.write('w.csv', csv(HEADER, simple(*OLA)).encode('cp1252'))
    t.fails(4, 'import', 'cases', path, '--encoding', 'utf-8',
            err_contains="w.csv:2: column 'name': is not valid UTF-8")


def test_utf8_with_bom_semicolons_and_crlf(t):
    t.init()
    text = csv(HEADER.replace(',', ';'), simple(*ASE).replace(',', ';'), sep=';', end='\r\n')
    path = t.write('b.csv', b'\xef\xbb\xbf' + text.encode())
    r = t.run('import', 'cases', path)
    assert r.rc == 0 and 'note' not in r.err, r.err
    assert t.sql('SELECT name, born FROM person') == [ASE]


def test_commas_with_quoted_lists(t):
    t.init()
    path = t.write('c.csv', csv(HEADER, f'"{PER[0]}",{PER[1]},bti,"coordinator, ip",2026-01-02'))
    t.ok('import', 'cases', path)
    assert [r['item'] for r in show(t, 1)['requests']] == ['coordinator', 'ip']


def test_utf16_unicode_text_tab_separated(t):
    """Excel's "Unicode text": UTF-16 with a byte order mark, tab-separated."""
    t.init()
    text = csv(HEADER.replace(',', '\t'), simple(*ASE).replace(',', '\t'),
               simple(*OLA).replace(',', '\t'), end='\r\n')
    path = t.write('u.txt', text.encode('utf-16'))
    r = t.run('import', 'cases', path)
    assert r.rc == 0 and 'note' not in r.err and 'NUL' not in r.err, r.err
    assert t.sql('SELECT name, born FROM person ORDER BY id') == [ASE, OLA]


def test_utf16_big_endian_whatever_encoding_says(t):
    t.init()
    path = t.write('u.txt', b'\xfe\xff' + csv(HEADER, simple(*OLA)).encode('utf-16-be'))
    t.ok('import', 'cases', path, '--encoding', 'windows-1252')
    assert t.one('SELECT name FROM person') == OLA[0]


def test_utf16_invalid_sequence_named_by_line_and_character(t):
    t.init()
    body = csv(HEADER, simple(*OLA)).encode('utf-16-le')
    path = t.write('u.txt', b'\xff\xfe' + body + 'Å'.encode('utf-16-le') + b'\x00\xd8')
    t.fails(4, 'import', 'cases', path, private=OLA[0],
            err_contains='u.txt:3: not valid UTF-16 at character 2 of the line')


def test_windows_1252_undefined_byte_named_by_line_and_character(t):
    t.init()
    path = t.write('w.csv', csv(HEADER, simple(*OLA)).encode('cp1252') + b'ab\x81\n')
    t.fails(4, 'import', 'cases', path, '--encoding', 'windows-1252', private=OLA[0],
            err_contains='w.csv:3: not valid Windows-1252 at character 3 of the line')


def test_unknown_encoding_exit_4(t):
    t.init()
    t.fails(4, 'import', 'cases', t.write('a.csv', csv(HEADER)), '--encoding', 'latin1')


# ---- the header ---------------------------------------------------------------------------

def test_unknown_column_exit_4(t):
    t.init()
    path = t.write('h.csv', csv(HEADER + ',fodselsdato', simple() + ',x'))
    t.fails(4, 'import', 'cases', path, err_contains="h.csv:1: unknown column 'fodselsdato'")


def test_norwegian_header_named_with_the_accepted_names(t):
    t.init()
    path = t.write('n.csv', csv('Navn;Født;Kilde;Ønsker;Mottatt', f'{OLA[0]};{OLA[1]};bti;ip;2026-01-02',
                                sep=';'))
    r = t.fails(4, 'import', 'cases', path, private=OLA[0],
                err_contains="n.csv:1: unknown column 'Navn'; the columns of cases are: name, born, "
                             "nin, source, requests,")
    assert "unknown column 'Født'" in r.err and 'close_cause' in r.err, r.err
    t.fails(4, 'import', 'coordinators', path, private=OLA[0],
            err_contains="unknown column 'Navn'; the columns of coordinators are: name, unit, email, "
                         "phone")


def test_missing_required_column_exit_4(t):
    t.init()
    path = t.write('h.csv', csv('name,born,source,requests', f'{KARI[0]},{KARI[1]},bti,ip'))
    t.fails(4, 'import', 'cases', path, err_contains="h.csv:1: missing column 'received'")


def test_file_without_header_names_no_person(t):
    t.init()
    path = t.write('h.csv', csv(simple(*KARI), simple(*OLA)))
    t.fails(4, 'import', 'cases', path, private=[KARI[0], OLA[0]])


# ---- bad rows -------------------------------------------------------------------------------

def test_bad_date_exit_4(t):
    t.init()
    path = t.write('d.csv', csv(HEADER, simple(), simple(*OLA, received='31.02.2026')))
    r = t.fails(4, 'import', 'cases', path, private=[OLA[0], KARI[0]])
    assert r.err.splitlines()[0] == \
        f"bti: error: {path}:3: column 'received': invalid date: '31.02.2026' (no such day)", r.err


def test_bad_nin_exit_4(t):
    t.init()
    bad = wrong_check(nin(OLA[1]))
    path = t.write('n.csv', csv('name,nin,source,requests,received',
                                f'{OLA[0]},{bad},bti,ip,2026-01-02'))
    t.fails(4, 'import', 'cases', path, private=[bad, OLA[0], bad[:6]],
            err_contains="n.csv:2: column 'nin': invalid nin: wrong check digits")


def test_unknown_unit_exit_4(t):
    units(t)
    path = t.write('u.csv', csv('name;source;requests;received;status;unit;decided',
                                f'{KARI[0]};bti;ip;02.01.2026;granted;Ukjent enhet;05.01.2026',
                                sep=';'))
    t.fails(4, 'import', 'cases', path, private=[KARI[0], 'Ukjent enhet'],
            err_contains="u.csv:2: column 'unit': no unit of that name")


def test_unknown_coordinator_exit_4(t):
    staffed(t)
    path = t.write('k.csv', csv(
        'name;source;requests;received;status;unit;decided;coordinator;assigned',
        f'{KARI[0]};bti;coordinator;02.01.2026;active;{HOME};05.01.2026;Ingen Slik;06.01.2026',
        sep=';'))
    t.fails(4, 'import', 'cases', path, private=[KARI[0], 'Ingen Slik'],
            err_contains="k.csv:2: column 'coordinator': no coordinator of that name")


def test_every_bad_row_reported_up_to_100(t):
    t.init()
    rows = [simple(f'Person {i:03d}', '1990-01-01', '2026-13-01') for i in range(150)]
    r = t.fails(4, 'import', 'cases', t.write('m.csv', csv(HEADER, *rows)))
    reported = [line for line in r.err.splitlines()
                if re.match(r'bti: error: .*m\.csv:\d+: ', line)]
    assert len(reported) == 100, r.err[-400:]
    assert 'm.csv: 150 bad rows; nothing imported' in r.err, r.err[-400:]


def test_unterminated_quote_exit_4(t):
    t.init()
    path = t.write('q.csv', csv(HEADER, simple(), f'"{OLA[0]},{OLA[1]},bti,ip,2026-01-02'))
    t.fails(4, 'import', 'cases', path, private=OLA[0],
            err_contains='q.csv:3: a quoted cell has no closing quote')


def test_wrong_column_count_exit_4(t):
    t.init()
    path = t.write('w.csv', csv(HEADER, simple(), f'{OLA[0]},{OLA[1]},bti,ip'))
    t.fails(4, 'import', 'cases', path, private=OLA[0],
            err_contains='w.csv:3: 4 cells where the header has 5')


def test_line_over_a_mebibyte_exit_4(t):
    t.init()
    path = t.write('l.csv', csv('name,source,requests,referrer,received',
                                f'{KARI[0]},bti,ip,{"x" * (1024 * 1024 + 1)},2026-01-02'))
    t.fails(4, 'import', 'cases', path, err_contains='l.csv:2: the line is longer than 1 MiB')


def test_existing_person_exit_1_and_skip_existing(t):
    t.init()
    path = t.write('s.csv', csv(HEADER, simple(*KARI), simple(*OLA)))
    t.ok('import', 'cases', path)
    before = t.dump()
    t.fails(1, 'import', 'cases', path, private=[KARI[0], OLA[0]],
            err_contains="s.csv:2: column 'name': person 1 has this name and birth date")
    r = t.run('import', 'cases', path, '--skip-existing')
    assert r.rc == 0 and 'imported 0 cases (2 skipped)' in r.err, r
    assert t.count('person') == 2 and t.count('ke_case') == 2


def test_near_duplicate_person_exit_1(t):
    """Issue 14, finding 8: a row whose name differs from an existing
    person's only in case and spaces is that person."""
    t.init()
    t.ok('import', 'cases', t.write('a.csv', csv(HEADER, simple(*KARI))))
    near = '  ' + KARI[0].upper().replace(' ', '   ') + ' '
    t.fails(1, 'import', 'cases', t.write('b.csv', csv(HEADER, simple(f'"{near}"', KARI[1]))),
            private=[KARI[0], near.strip()],
            err_contains="b.csv:2: column 'name': person 1 has this name and birth date")


def test_name_with_a_byte_order_mark_inside_exit_4(t):
    t.init()
    path = t.write('m.csv', csv(HEADER, simple('Kari\ufeffTestesen', KARI[1])))
    t.fails(4, 'import', 'cases', path,
            err_contains="m.csv:2: column 'name': holds an invisible character (U+FEFF)")


def test_lifecycle_refusal_reported_on_its_line(t):
    units(t)
    path = t.write('p.csv', csv(
        'name;source;requests;received;status;unit;decided;covers',
        f'{KARI[0]};bti;ip;02.01.2026;granted;{HOME};05.01.2026;coordinator', sep=';'))
    t.fails(4, 'import', 'cases', path, private=KARI[0],
            err_contains="p.csv:2: column 'covers': names an item column 'requests' does not")


# ---- the file itself ------------------------------------------------------------------------

def test_fifo_symlink_directory_missing_exit_4(t):
    t.init()
    real = t.write('real.csv', csv(HEADER, simple()))
    fifo = t.path('fifo.csv')
    os.mkfifo(fifo)
    link = t.path('link.csv')
    os.symlink(real, link)
    t.fails(4, 'import', 'cases', fifo, err_contains='is not a regular file')
    t.fails(4, 'import', 'cases', link, err_contains='is a symbolic link')
    t.fails(4, 'import', 'cases', t.dir, err_contains='is not a regular file')
    t.fails(4, 'import', 'cases', t.path('none.csv'), err_contains='cannot read')


def test_missing_file_argument_exit_2(t):
    t.init()
    t.fails(2, 'import', 'cases')
    t.fails(2, 'import', 'cases', 'a.csv', 'b.csv')
    t.fails(2, 'import', 'people', 'a.csv')


def test_empty_file_exit_4(t):
    t.init()
    t.fails(4, 'import', 'cases', t.write('e.csv', ''), err_contains='e.csv is empty')


# ---- dry run, statuses, roles ---------------------------------------------------------------

def test_dry_run_writes_nothing(t):
    staffed(t)
    before = t.dump()
    r = t.run('--dry-run', 'import', 'cases', os.path.join(EXAMPLES, 'cases.csv'))
    assert r.rc == 0 and 'dry run: imported 10 cases (0 skipped)' in r.err, r.err


def test_statuses_replayed_through_the_lifecycle(t):
    staffed(t)
    t.ok('-q', 'import', 'cases', os.path.join(EXAMPLES, 'cases.csv'))
    granted = show(t, 2)
    assert granted['status'] == 'granted' and granted['unit'] == FAMILY, granted
    assert [(d['outcome'], d['items'], d['decided'], d['notified']) for d in granted['decisions']] \
        == [('granted', ['coordinator', 'ip'], '2026-01-20', '2026-01-21')], granted['decisions']
    denied = show(t, 4)
    assert denied['status'] == 'denied', denied
    assert [(d['outcome'], d['decided']) for d in denied['decisions']] == [('denied', '2026-03-24')]
    active = show(t, 3)
    assert active['status'] == 'active', active
    assert [(a['coordinator'], a['kind'], a['start']) for a in active['assignments']] == \
        [(K1, 'coordinator', '2026-03-02')], active['assignments']
    child = show(t, 1)
    assert [(a['kind'], a['start']) for a in child['assignments']] == [('child', '2026-04-01')]
    assert child['plan']['ref'] == 'SP-2026-014' and child['plan']['status'] == 'in_progress'
    assert child['plan']['next_evaluation'] == '2026-10-01', child['plan']
    assert sorted(c['scope'] for c in child['consents']) == ['exchange', 'plan']
    closed = show(t, 7)
    assert (closed['status'], closed['closed'], closed['close_cause']) == \
        ('closed', '2026-06-30', 'deceased'), closed
    assert closed['assignments'][0]['end'] == '2026-06-30', closed['assignments']


def test_summary_quiet_and_nothing_on_stdout(t):
    t.init()
    path = t.write('s.csv', csv(HEADER, simple(*KARI)))
    r = t.run('-q', 'import', 'cases', path)
    assert (r.rc, r.out, r.err) == (0, '', ''), r


def test_coordinators_skip_existing(t):
    units(t)
    path = os.path.join(EXAMPLES, 'coordinators.csv')
    t.ok('import', 'coordinators', path)
    t.fails(1, 'import', 'coordinators', path, private=K1,
            err_contains="coordinators.csv:2: column 'name': coordinator 1 has this name")
    r = t.run('import', 'coordinators', path, '--skip-existing')
    assert r.rc == 0 and 'imported 0 coordinators (3 skipped)' in r.err, r
    assert t.count('coordinator') == 3


def test_needs_the_admin_role_exit_8(t):
    t.init()
    path = t.write('s.csv', csv(HEADER, simple()))
    t.write_sql(("UPDATE user SET role = 'caseworker' WHERE login = ?", (t.login,)))
    t.fails(8, 'import', 'cases', path)
    t.fails(8, 'import', 'coordinators', path)


def test_one_audit_row_per_imported_row(t):
    """An import writes one audit row per row it wrote, with the row as
    the replay left it, not one per lifecycle step (SPEC section 10); the
    doctor finds every row equal to its audit row."""
    staffed(t)
    t.ok('-q', 'import', 'cases', os.path.join(EXAMPLES, 'cases.csv'))
    rows = t.sql("SELECT entity, entity_id, json_type(change, '$.old'),"
                 " json_extract(change, '$.new.status') FROM audit"
                 " WHERE command = 'import cases' ORDER BY id")
    assert len(rows) == len({(e, i) for e, i, _, _ in rows}), rows
    assert all(old == 'null' for _, _, old, _ in rows), rows
    assert [s for e, i, _, s in rows if e == 'ke_case' and i == 7] == ['closed'], rows
    cases = t.one("SELECT count(*) FROM audit WHERE command = 'import cases'"
                  " AND entity = 'ke_case'")
    assert cases == t.count('ke_case'), cases
    t.ok('doctor')


# ---- indexes put off (issue 19) ---------------------------------------------------------------

def schema(t):
    """Every table, index, view and trigger with its SQL."""
    return t.sql("SELECT type, name, sql FROM sqlite_master ORDER BY name")


def test_put_off_indexes_are_built_again(t):
    staffed(t)
    before = schema(t)
    t.ok('import', 'cases', os.path.join(EXAMPLES, 'cases.csv'))
    assert schema(t) == before
    assert t.one("PRAGMA integrity_check") == 'ok'


def listed(path, array):
    """The quoted names of the C array `array` in the source file path."""
    with open(os.path.join(ROOT, path), encoding='utf-8') as f:
        text = f.read()
    return re.findall(r'"(\w+)"', re.search(array + r'\[\] = \{(.*?)\};', text, re.S)[1])


def test_put_off_indexes_name_indexes_of_the_schema(t):
    """The lists of what a bulk load puts off or keeps name what exists (a
    renamed one would silently stay): lib/import.c's indexes put off and
    lib/store/bulk.c's kept index, non-unique indexes; bulk.c's log
    guards, both logs' triggers."""
    t.init()
    indexes = {n: s for n, s in t.sql("SELECT name, sql FROM sqlite_master WHERE type = 'index'")}
    triggers = {n for (n,) in t.sql("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    names = listed('lib/import.c', 'import_put_off') + listed('lib/store/bulk.c', 'kept_index')
    assert names and all(n in indexes and not indexes[n].startswith('CREATE UNIQUE')
                         for n in names), names
    guards = listed('lib/store/bulk.c', 'log_guards')
    assert sorted(guards) == ['access_no_replace', 'audit_no_replace'], guards
    assert set(guards) <= triggers, guards


def test_import_keeps_the_audit_guard_against_replace(t):
    """The import puts off the audit's guard against INSERT OR REPLACE
    (issue 19); after it the guard refuses a swapped audit row again."""
    staffed(t)
    t.ok('import', 'cases', os.path.join(EXAMPLES, 'cases.csv'))
    before = t.dump()
    try:
        t.write_sql("INSERT OR REPLACE INTO audit SELECT id, at, 'mallory', actor, command, entity,"
                    " entity_id, today, change, salt, digest, hash FROM audit WHERE id = 2")
        raise AssertionError('the audit took an INSERT OR REPLACE')
    except sqlite3.DatabaseError as e:
        assert 'the audit is append-only' in str(e)
    assert t.dump() == before
    t.ok('audit', 'verify')


def test_refused_import_keeps_every_index(t):
    staffed(t)
    before = schema(t)
    path = t.write('bad.csv', csv(HEADER, simple(), 'Per Hansen,2014-13-01,bti,ip,2026-01-02'))
    t.fails(4, 'import', 'cases', path, err_contains="bad.csv:3: column 'born'")
    assert schema(t) == before
