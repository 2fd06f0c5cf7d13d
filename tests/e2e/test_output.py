"""Output formats: table, json, csv, excel; formula neutralising; the nin
mask; --identify (SPEC section 6)."""
import csv
import io
import json
import os
import subprocess

import story
from synth import ASE, KARI, OLA, masked, nin

KARI_NIN = nin(KARI[1])
OLA_NIN = nin(OLA[1])

LISTS = [('person', 'list'), ('case', 'list'), ('referral', 'list'), ('unit', 'list'), ('user', 'list')]


def populate(t):
    """Two persons with nins, two cases, a unit."""
    t.snapshot('output-populate', build)


def build(t):
    t.init()
    t.ok('referral', 'add', '--name', KARI[0], '--nin', KARI_NIN, '--source', 'bti',
         '--requests', 'coordinator,ip', '--referrer', 'Fastlege Testesen')
    t.ok('referral', 'add', '--name', OLA[0], '--nin', OLA_NIN, '--source', 'plo', '--requests', 'ip')
    t.ok('unit', 'add', 'Familiesenter')


def rows(text):
    return list(csv.reader(io.StringIO(text)))


# ---- json -----------------------------------------------------------------

def test_json_lists_are_one_parseable_array(t):
    populate(t)
    for cmd in LISTS:
        data = json.loads(t.ok('--json', *cmd))
        assert isinstance(data, list) and data and all(isinstance(x, dict) for x in data), cmd


def test_json_empty_lists_are_empty_arrays(t):
    t.init()
    for cmd in LISTS[:4]:
        assert t.ok(*cmd, '--json').strip() == '[]', cmd


def test_json_types_booleans_nulls_dates(t):
    populate(t)
    p = t.json('person', 'list')[0]
    assert p['expected'] is False and isinstance(p['id'], int), p
    c = t.json('case', 'list')[0]
    assert c['unit'] is None and c['closed'] is None and c['received'] == '2026-11-22', c


def test_json_show_is_one_object(t):
    populate(t)
    for cmd in (('case', 'show', '1'), ('person', 'show', '1'), ('referral', 'show', '1')):
        assert isinstance(t.json(*cmd), dict), cmd


def test_json_reference_has_id_and_display_name(t):
    populate(t)
    c = t.json('case', 'list')[0]
    assert 'unit_id' in c and 'unit' in c and 'person_id' in c, c


def test_write_with_json_prints_the_person_object(t):
    t.init()
    p = t.json('person', 'add', '--name', ASE[0])
    assert p['id'] == 1 and p['name'] == ASE[0], p


def test_write_with_json_prints_the_unit_object(t):
    t.init()
    out = t.ok('unit', 'add', 'Familiesenter', '--json')
    obj = json.loads(out)
    assert isinstance(obj, dict) and obj.get('id') == 1 and obj.get('name') == 'Familiesenter', \
        f'unit add --json printed {out!r}, not the unit object'


def test_write_with_json_prints_the_user_object(t):
    t.init()
    out = t.ok('user', 'add', 'kari', '--role', 'caseworker', '--json')
    obj = json.loads(out)
    assert isinstance(obj, dict) and obj.get('login') == 'kari', \
        f'user add --json printed {out!r}, not the user object'


def test_write_with_json_prints_the_relative_object(t):
    t.init()
    t.ok('person', 'add', '--name', KARI[0])
    out = t.ok('person', 'relative', 'add', '1', '--name', 'Mor Testesen', '--relation', 'mor', '--json')
    obj = json.loads(out)
    assert isinstance(obj, dict) and obj.get('name') == 'Mor Testesen', \
        f'person relative add --json printed {out!r}, not the relative object'


# ---- csv ------------------------------------------------------------------

def test_csv_header_equals_json_keys(t):
    populate(t)
    for cmd in LISTS:
        header = rows(t.ok('--csv', *cmd))[0]
        keys = list(t.json(*cmd)[0])
        assert header == keys, (cmd, header, keys)


def test_csv_values_match_json(t):
    populate(t)
    table = rows(t.ok('referral', 'list', '--csv'))
    data = t.json('referral', 'list')
    assert len(table) == len(data) + 1
    assert table[1] == ['1', '1', 'bti', 'Fastlege Testesen', '2026-11-22', 'coordinator,ip'], table[1]
    assert table[2][3] == '', table[2]  # NULL is an empty field


def test_csv_lf_line_ends_and_rfc4180_quoting(t):
    t.init()
    t.ok('person', 'add', '--name', 'Kari "Kua" Testesen, jr.')
    out = t.ok('person', 'list', '--csv')
    assert '\r' not in out and out.endswith('\n'), repr(out)
    assert '"Kari ""Kua"" Testesen, jr."' in out, out
    assert rows(out)[1][1] == 'Kari "Kua" Testesen, jr.'


def test_csv_empty_list_is_the_header_only(t):
    t.init()
    assert t.ok('case', 'list', '--csv') == (
        'id,person_id,person,status,source,received,requests,unit_id,unit,closed,close_cause,'
        'previous_case_id\n')


def test_csv_neutralises_a_cell_starting_with_at(t):
    t.init()
    ref = t.write('referrer.txt', '@SUM(1)\n')
    t.ok('referral', 'add', '--name', KARI[0], '--source', 'bti', '--requests', 'ip', '--referrer', '@' + ref)
    assert t.json('referral', 'list')[0]['referrer'] == '@SUM(1)'
    assert rows(t.ok('referral', 'list', '--csv'))[1][3] == "'@SUM(1)"


def test_csv_neutralises_plus_equals_and_minus(t):
    t.init()
    for i, ref in enumerate(('+SUM(1)', '=1+1', '-2+3'), 1):
        t.ok('referral', 'add', '--name', f'Testperson {i}', '--source', 'bti', '--requests', 'ip',
             '--referrer', ref)
    cells = [r[3] for r in rows(t.ok('referral', 'list', '--csv'))[1:]]
    assert cells == ["'+SUM(1)", "'=1+1", "'-2+3"], cells


def test_csv_raw_does_not_neutralise(t):
    t.init()
    t.ok('referral', 'add', '--name', KARI[0], '--source', 'bti', '--requests', 'ip', '--referrer', '+SUM(1)')
    assert rows(t.ok('referral', 'list', '--csv', '--raw'))[1][3] == '+SUM(1)'


def test_csv_leaves_a_number_alone(t):
    t.init()
    t.ok('referral', 'add', '--name', KARI[0], '--source', 'bti', '--requests', 'ip', '--referrer', '-12')
    t.ok('referral', 'add', '--name', OLA[0], '--source', 'bti', '--requests', 'ip', '--referrer', '+47')
    cells = [r[3] for r in rows(t.ok('referral', 'list', '--csv'))[1:]]
    assert cells == ['-12', '+47'], cells


def test_excel_neutralises_too(t):
    t.init()
    t.ok('referral', 'add', '--name', KARI[0], '--source', 'bti', '--requests', 'ip', '--referrer', '=1+1')
    assert ";'=1+1;" in t.ok('referral', 'list', '--excel')


def test_excel_has_bom_semicolons_and_crlf(t):
    populate(t)
    r = t.run('referral', 'list', '--excel')
    assert r.rc == 0
    assert r.outb.startswith(b'\xef\xbb\xbfid;case_id;source;'), r.outb[:40]
    lines = r.outb[3:].split(b'\r\n')
    assert lines[-1] == b'' and len(lines) == 4, lines
    assert all(b'\n' not in line for line in lines)
    assert lines[1] == b'1;1;bti;Fastlege Testesen;2026-11-22;coordinator,ip', lines[1]


def test_hostile_name_is_refused_at_input(t):
    t.init()
    for name in ('=HYPERLINK("http://x","y")', '+cmd|calc', '-1+1', '@SUM(A1)'):
        t.fails(4, 'person', 'add', '--name', '@' + t.write('n.txt', name), private=name)
    assert t.count('person') == 0


# ---- the nin and --identify -------------------------------------------------

def test_nin_is_masked_without_identify(t):
    populate(t)
    assert [p['nin'] for p in t.json('person', 'list')] == [masked(KARI_NIN), masked(OLA_NIN)]
    assert t.json('person', 'show', '1')['nin'] == masked(KARI_NIN)
    out = ''.join(t.ok(*cmd, *fmt) for cmd in (('person', 'list'), ('case', 'show', '1'), ('person', 'show', '1'))
                  for fmt in ((), ('--json',)))
    out += t.ok('person', 'list', '--csv') + t.ok('person', 'list', '--excel')
    assert KARI_NIN not in out and OLA_NIN not in out
    assert KARI_NIN[6:] not in out.replace(masked(KARI_NIN), '')


def test_nin_mask_is_ddmmyy_and_five_stars(t):
    populate(t)
    assert masked(KARI_NIN) == KARI_NIN[:6] + '*****'
    assert rows(t.ok('person', 'list', '--csv'))[1][4] == KARI_NIN[:6] + '*****'


def test_identify_shows_the_full_nin(t):
    populate(t)
    assert [p['nin'] for p in t.json('--identify', 'person', 'list')] == [KARI_NIN, OLA_NIN]
    assert t.json('person', 'show', '2', '--identify')['nin'] == OLA_NIN


def test_excel_with_identify_writes_the_nin_spaced(t):
    populate(t)
    out = t.ok('person', 'list', '--excel', '--identify')
    assert f';{KARI_NIN[:6]} {KARI_NIN[6:]};' in out, out


def test_identify_is_logged(t):
    populate(t)
    before = t.count('access')
    t.ok('--identify', 'person', 'list')
    assert t.count('access') == before + 1


# ---- tables -----------------------------------------------------------------

def test_empty_table_prints_nothing(t):
    t.init()
    for cmd in LISTS[:4]:
        assert t.ok(*cmd) == '', cmd


def test_table_has_a_header_and_one_line_per_row(t):
    populate(t)
    lines = t.ok('case', 'list').splitlines()
    assert lines[0].split()[:2] == ['id', 'person_id'], lines[0]
    assert len(lines) == 3, lines


def test_table_shows_a_nested_object_as_key_value_pairs(t):
    # a decision's appeal inside case show: readable pairs, no JSON braces
    story.base(t)
    c = story.refer(t, 'ip')
    story.deny(t, c, '--notified', story.DECIDED)
    story.appeal(t, c)
    out = t.ok('case', 'show', str(c))
    [row] = [l for l in out.splitlines() if 'received=' in l]
    assert row.endswith(f'id=1 received={story.APPEALED}'), row
    assert '{' not in out and 'late_reason' not in row, out


def test_table_columns_align_with_norwegian_letters(t):
    t.init()
    t.ok('person', 'add', '--name', ASE[0], '--born', ASE[1])
    t.ok('person', 'add', '--name', 'Ola Olsen', '--born', OLA[1])
    lines = t.ok('person', 'list').splitlines()
    col = lines[0].index('born')
    assert lines[1][col:col + 10] == ASE[1] and lines[2][col:col + 10] == OLA[1], lines


def test_table_no_colour_when_not_a_terminal(t):
    populate(t)
    assert '\x1b[' not in t.ok('case', 'list')


def test_colour_always_and_no_color(t):
    populate(t)
    assert '\x1b[' in t.ok('--color', 'always', 'case', 'list')
    assert '\x1b[' not in t.ok('--color', 'always', 'case', 'list', env={'NO_COLOR': '1'})
    assert '\x1b[' not in t.ok('--color', 'never', 'case', 'list')


def test_table_is_not_paged_when_not_a_terminal(t):
    populate(t)
    marker = t.path('pager-ran')
    out = t.ok('case', 'list', env={'PAGER': f'touch {marker}; cat'})
    assert not os.path.exists(marker) and out.startswith('id')


def test_closed_pipe_ends_quietly(t):
    t.init()
    t.write_sql(*[("INSERT INTO person(name, born) VALUES (?, '2010-05-05')", (f'Testperson {i:05d}',))
                  for i in range(6000)])
    p = subprocess.Popen([t.bti, 'person', 'list', '--csv'], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, env=t.env, cwd=t.dir)
    first = p.stdout.readline()
    p.stdout.close()
    err = p.stderr.read()
    rc = p.wait(timeout=30)
    assert first.startswith(b'id,name'), first
    assert rc == 0 and err == b'', (rc, err)


def test_a_write_whose_output_cannot_be_written_changes_nothing(t):
    # SPEC section 7: a command that fails changes nothing; its output is
    # flushed before the commit, so a full disk undoes the write
    if not os.path.exists('/dev/full'):
        t.skip('no /dev/full here')
    t.init()
    before = t.dump()
    for args in [('unit', 'add', 'Familiesenter'),
                 ('person', 'add', '--name', KARI[0], '--born', KARI[1]),
                 ('referral', 'add', '--name', OLA[0], '--born', OLA[1], '--source', 'bti',
                  '--requests', 'ip')]:
        with open('/dev/full', 'w') as full:
            p = subprocess.run([t.bti, *args], stdout=full, stderr=subprocess.PIPE, env=t.env,
                               cwd=t.dir, timeout=30)
        err = p.stderr.decode()
        assert p.returncode == 6 and err.startswith('bti: error: cannot write output'), (args, err)
        assert t.dump() == before, args
    t.ok('unit', 'add', 'Familiesenter')     # and with somewhere to write, it is made
    assert t.dump() != before


# ---- one type per key (SPEC section 6) -------------------------------------

EXAMPLES = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                        'examples')

# Every listing and every show, on the examples' cases and what the KE adds
# to them; each is run with --identify --json.  `report semiannual` is left
# out: its named sections (`.referrals.by_source`, `.decisions`, counts
# named `received` or `held`) are a document SPEC section 8 lays out, not
# rows.
EVERY_OUTPUT = [
    ('person', 'list'), ('person', 'show', '1'), ('referral', 'list'), ('referral', 'show', '1'),
    ('case', 'list'), ('case', 'show', '1'), ('case', 'show', '7'), ('case', 'log', '1'),
    ('case', 'access', '1'), ('consent', 'list'), ('ke', 'member', 'list'),
    ('ke', 'meeting', 'list'), ('ke', 'meeting', 'show', '1'),
    ('basis', 'list'), ('unit', 'list'), ('coordinator', 'list'), ('coordinator', 'show', '1'),
    ('plan', 'show', '1'), ('group', 'list', '1'), ('gathering', 'list'),
    ('gathering', 'invite', '1'), ('user', 'list'), ('report', 'overview'),
    ('report', 'decisions', '--period', '2026'), ('report', 'coordinators', '--period', '2026'),
    ('due',),
    ('audit', 'report'), ('audit', 'head'), ('audit', 'verify'), ('doctor',),
]


def json_kind(value):
    """The JSON type of a value."""
    if isinstance(value, bool):
        return 'boolean'
    if isinstance(value, (int, float)):
        return 'number'
    if isinstance(value, list):
        return 'array'
    return {str: 'string', dict: 'object'}[type(value)]


def collect_kinds(value, where, kinds):
    """Record the type of every key under value in kinds: {key: {type: where}}.
    The `old` and `new` values of `case log` are not walked: they are the
    stored rows as the audit recorded them (booleans 0 or 1, lists as text)."""
    items = value.items() if isinstance(value, dict) else enumerate(value) \
        if isinstance(value, list) else ()
    for key, v in items:
        if isinstance(key, str) and v is not None and v != []:
            kinds.setdefault(key, {}).setdefault(json_kind(v), where)
        if key not in ('old', 'new'):
            collect_kinds(v, where, kinds)


def test_every_listing_keeps_one_type_per_key(t):
    t.init()
    t.ok('unit', 'add', 'Hjembaserte tjenester')
    t.ok('unit', 'add', 'Familiesenteret')
    t.ok('-q', 'import', 'coordinators', os.path.join(EXAMPLES, 'coordinators.csv'))
    t.ok('-q', 'import', 'cases', os.path.join(EXAMPLES, 'cases.csv'))
    t.ok('-q', 'person', 'relative', 'add', '1', '--name', 'Mor Øvreås', '--relation', 'mor',
         '--may-consent')
    t.ok('-q', 'consent', 'give', '1', '--scope', 'plan', '--by', 'guardian', '--relative', '1',
         '--parties', 'KE')
    t.ok('-q', 'ke', 'member', 'add', '--name', 'Ingrid Leder', '--role', 'leder')
    t.ok('-q', 'ke', 'meeting', 'add', '--attendee', 'Ingrid Leder', '--date', '2026-11-20')
    t.ok('-q', 'ke', 'review', '1', '--meeting', '1', '--note', 'Drøftet', '--journal', '2026-11-20')
    t.ok('-q', 'ke', 'review', '9', '--meeting', '1', '--note', 'Anonym drøfting', '--anonymous')
    t.ok('-q', 'gathering', 'add', '--kind', 'samling', '--date', '2026-05-03')
    kinds = {}
    for args in EVERY_OUTPUT:
        r = t.run('--identify', '--json', '--no-pager', *args)
        assert r.rc in (0, 7) and r.out, (args, r.err)
        collect_kinds(json.loads(r.out), ' '.join(args), kinds)
    # SPEC section 6 names both: a list's `person` (the display name beside
    # person_id) and case show's `person` object
    assert kinds.pop('person') == {'string': 'case list', 'object': 'case show 1'}
    mixed = {key: seen for key, seen in kinds.items() if len(seen) > 1}
    assert mixed == {}, '\n'.join(f'{k}: {v}' for k, v in mixed.items())


def test_a_list_is_an_array_in_json_and_comma_joined_in_csv(t):
    populate(t)
    assert t.json('case', 'list')[0]['requests'] == ['coordinator', 'ip']
    [header, first, _] = rows(t.ok('--csv', 'case', 'list'))
    assert first[header.index('requests')] == 'coordinator,ip', first
    # a show holding a list still fits one CSV table
    [header, row] = rows(t.ok('--csv', 'referral', 'show', '1'))
    assert row[header.index('requests')] == 'coordinator,ip', row
    assert 'coordinator, ip' in t.ok('referral', 'show', '1')
