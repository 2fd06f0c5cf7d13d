"""Hostile and malformed input across the commands (SPEC sections 5, 6, 7):
one table of inputs, each with the exit code of section 7 it must give.

For every row: exit code as listed, stderr beginning 'bti: error: ', nothing
on stdout, the database unchanged (t.fails), and no personal value of the
input in stderr: every name, nin or free text in this table carries the
marker 'Qzx' (or is one of the nins below), and a message may name the line,
column and rule but never quote them (section 6).  Around the whole table,
`bti export --identify` before and after must be identical but for the
access log, which is the export's last table and grows with each export.

CSV input goes through `import cases` and `import coordinators`, export
documents through `restore`, and files through `@FILE` values: unterminated
quotes, wrong column counts, a FIFO, a symlink or a directory for FILE, a
line over 1 MiB.
"""
import json
import os

import story
from synth import nin, wrong_check

MARK = 'Qzx'
BORN = '2010-05-05'
NIN = nin(BORN)          # the nin of person 1 (case 1)
OTHER = nin('2011-06-07')
BAD_NIN = wrong_check(OTHER)
PRIVATE = [MARK, NIN, OTHER, BAD_NIN, 'Testesen']
MIB = 1024 * 1024

REFER = ('--source', 'bti', '--requests', 'coordinator')
DROP = "'; DROP TABLE ke_case; --"


def base(t):
    """story.base, case 1 (received: coordinator, ip, child) for a person
    with a nin, case 2 granted a coordinator."""
    def build(t):
        story.base(t)
        t.ok('referral', 'add', '--name', 'Test Testesen 1', '--born', BORN, '--nin', NIN,
             '--source', 'bti', '--requests', 'coordinator,ip,child', '--date', story.RECEIVED)
        c = story.refer(t, 'coordinator', name='Test Testesen 2')
        story.grant(t, c, covers='coordinator')
    t.snapshot('bad-input-base', build)


# ---- the files the table reads ---------------------------------------------------

CSV_HEAD = 'name,born,nin,source,requests,received,status,unit,decided\n'


def csv_row(name=f'{MARK} Importsen', born='2012-03-04', nin_='', source='bti',
            requests='coordinator', received=story.RECEIVED, status='received', unit='', decided=''):
    return f'{name},{born},{nin_},{source},{requests},{received},{status},{unit},{decided}\n'


FILES = {
    # import cases
    'unterminated.csv': CSV_HEAD + f'"{MARK} Sitatsen,2012-03-04,,bti,coordinator,{story.RECEIVED},received,,\n',
    'unterminated_mid.csv': CSV_HEAD + csv_row() + f'{MARK} To,"2012-03-04,,bti,ip,{story.RECEIVED},,,\n' + csv_row(f'{MARK} Tre'),
    'too_few.csv': CSV_HEAD + f'{MARK} Kortsen,2012-03-04,,bti,coordinator\n',
    'too_many.csv': CSV_HEAD + csv_row().rstrip('\n') + f',{MARK} ekstra,mer\n',
    'unknown_column.csv': 'name,source,requests,received,diagnosis\n'
                          f'{MARK} Kolonnesen,bti,ip,{story.RECEIVED},{MARK} hemmelig\n',
    'sql_column.csv': f'name,source,requests,received,"{DROP}"\n{MARK} Sqlsen,bti,ip,{story.RECEIVED},x\n',
    'missing_received.csv': f'name,source,requests\n{MARK} Mangelsen,bti,ip\n',
    'duplicate_column.csv': f'name,name,source,requests,received\n{MARK} A,{MARK} B,bti,ip,{story.RECEIVED}\n',
    'bad_date.csv': CSV_HEAD + csv_row(born='2027-02-29'),
    'bad_received.csv': CSV_HEAD + csv_row(received='2026-02-30'),
    'future_received.csv': CSV_HEAD + csv_row(received='2026-12-24'),
    'bad_nin.csv': CSV_HEAD + csv_row(born='2011-06-07', nin_=BAD_NIN),
    'bad_source.csv': CSV_HEAD + csv_row(source='fax'),
    'bad_requests.csv': CSV_HEAD + csv_row(requests='house'),
    'bad_status.csv': CSV_HEAD + csv_row(status='sleeping'),
    'unknown_unit.csv': CSV_HEAD + csv_row(status='granted', unit='Ingen slik enhet', decided=story.DECIDED),
    'granted_no_unit.csv': CSV_HEAD + csv_row(status='granted', decided=story.DECIDED),
    'formula_name.csv': CSV_HEAD + csv_row(name=f'"=HYPERLINK(""http://x"";""{MARK}"")"'),
    'at_name.csv': CSV_HEAD + csv_row(name=f'@{MARK}'),
    'bidi_name.csv': CSV_HEAD + csv_row(name=f'{MARK}\u202eneslik'),
    'c1_name.csv': CSV_HEAD + csv_row(name=f'{MARK}\u0085Nel'),
    'isolate_name.csv': CSV_HEAD + csv_row(name=f'{MARK}\u2066Iso'),
    'long_name.csv': CSV_HEAD + csv_row(name=MARK + 'n' * 200),
    'empty_name.csv': CSV_HEAD + csv_row(name=''),
    'bad_utf8.csv': (CSV_HEAD + csv_row(name=f'{MARK} \udcff\udcfesen')).encode('utf-8', 'surrogateescape'),
    'long_line.csv': CSV_HEAD + csv_row(name=MARK + 'L' * (MIB + 10)),
    'empty.csv': '',
    'nul.csv': (CSV_HEAD + csv_row(name=f'{MARK} Nul\x00sen')),
    'coordinators_unknown_unit.csv': f'name,unit,email,phone\n{MARK} Koordinatorsen,Ingen slik enhet,k@example.org,\n',
    'coordinators_too_few.csv': f'name,unit,email,phone\n{MARK} Koordinatorsen,{story.UNIT}\n',
    # @FILE values
    'value_nul.txt': f'{MARK} Nul\x00Nulsen\n',
    'value_two_lines.txt': f'{MARK} Linje\n{MARK} Linje to\n',
    'value_bidi.txt': f'{MARK}\u202eOverstyrt\n',
    'value_bad_utf8.txt': f'{MARK} '.encode() + b'\xc3\x28sen\n',
    'value_at.txt': f'@{MARK}\n',
    'value_eq.txt': f'={MARK}+1\n',
    'value_huge.txt': MARK + 'H' * (MIB + 10) + '\n',
    'value_empty.txt': '',
}
SPECIAL = {  # name: kind
    'fifo.csv': 'fifo', 'link.csv': 'symlink', 'dir.csv': 'dir',
    'fifo.txt': 'fifo', 'link.txt': 'symlink', 'dir.txt': 'dir',
    'fifo.json': 'fifo', 'link.json': 'symlink', 'dir.json': 'dir',
}


def make_files(t, export_lines):
    for name, content in FILES.items():
        t.write(name, content)
    t.write('target.csv', CSV_HEAD + csv_row())
    t.write('target.txt', f'{MARK} Lenkesen\n')
    t.write('target.json', '\n'.join(export_lines) + '\n')
    for name, kind in SPECIAL.items():
        p = t.path(name)
        if kind == 'fifo':
            os.mkfifo(p, 0o600)
        elif kind == 'symlink':
            os.symlink(t.path('target' + os.path.splitext(name)[1]), p)
        else:
            os.mkdir(p, 0o700)
    for name, lines in bad_exports(export_lines).items():
        data = b'\n'.join(x if isinstance(x, bytes) else x.encode('utf-8', 'surrogateescape')
                          for x in lines) + b'\n'
        t.write(name, data)


# ---- bad exports for restore ----------------------------------------------------------

def _row(lines, table, pred=lambda o: True):
    """The index of the first row line of table matching pred."""
    i = lines.index(f'"{table}":[') + 1
    while not lines[i].startswith(']'):
        o = json.loads(lines[i].rstrip(','))
        if pred(o):
            return i
        i += 1
    raise KeyError(table)


def _with(lines, table, pred, change):
    """lines with the first row of table matching pred changed by change(obj)."""
    out = list(lines)
    i = _row(out, table, pred)
    comma = out[i].endswith(',')
    o = json.loads(out[i].rstrip(','))
    change(o)
    out[i] = json.dumps(o, ensure_ascii=False, separators=(',', ':')) + (',' if comma else '')
    return out


def _set(**kv):
    return lambda o: o.update(kv)


def bad_exports(lines):
    person1 = lambda o: o.get('nin') == NIN  # noqa: E731
    first = lambda o: True  # noqa: E731
    i = _row(lines, 'person', person1)
    raw_bad_utf8 = lines[i].encode().replace(b'"Test Testesen 1"', f'"{MARK} '.encode() + b'\xff"')
    assert raw_bad_utf8 != lines[i].encode()
    broken = list(lines)
    broken[i] = lines[i][:len(lines[i]) // 2]  # an unterminated JSON string or object
    long_line = _with(lines, 'person', person1, _set(name=MARK + 'x' * (MIB + 5)))
    return {
        'export_bidi.json': _with(lines, 'person', person1, _set(name=f'{MARK}\u202eOverstyrt')),
        'export_c1.json': _with(lines, 'person', person1, _set(name=f'{MARK}\u0085Nel')),
        'export_formula.json': _with(lines, 'person', person1, _set(name=f'={MARK}()')),
        'export_bad_nin.json': _with(lines, 'person', person1, _set(nin=wrong_check(NIN))),
        'export_bad_date.json': _with(lines, 'person', person1, _set(born='2027-02-29')),
        'export_long_name.json': _with(lines, 'person', person1, _set(name=MARK + 'n' * 200)),
        'export_bad_utf8.json': lines[:i] + [raw_bad_utf8] + lines[i + 1:],
        'export_unterminated.json': broken,
        'export_truncated.json': lines[:-4],
        'export_long_line.json': long_line,
        'export_extra_column.json': _with(lines, 'person', person1, _set(diagnosis=f'{MARK} hemmelig')),
        'export_wrong_type.json': _with(lines, 'person', person1, _set(name=12345)),
        'export_sql_table.json': [x if x != '"unit":[' else f'"{DROP}":[' for x in lines],
        'export_bad_reference.json': _with(lines, 'ke_case', first, _set(person_id=999)),
        'export_duplicate_id.json': lines[:i] + [lines[i] if lines[i].endswith(',') else lines[i] + ','] + lines[i:],
        'export_tampered_audit.json': _with(lines, 'audit', lambda o: o['id'] == 2, _set(login='mallory')),
        'export_not_export.json': ['name,born', f'{MARK} Feilsen,2010-05-05'],
        'export_trailing.json': lines + [f'{{"name":"{MARK} Etter"}}'],
    }


# ---- the table: (exit code, arguments) -----------------------------------------------
# '{d}' in an argument is the test's directory; an argument given as bytes is
# passed as it is (invalid UTF-8); a dict at the end adds to t.fails (err_contains).

Q = MARK
CASES = [
    # impossible and malformed dates (4)
    (4, 'person', 'add', '--name', f'{Q} Datosen', '--born', '2027-02-29'),
    (4, 'person', 'add', '--name', f'{Q} Datosen', '--born', '2026-02-29'),
    (4, 'person', 'add', '--name', f'{Q} Datosen', '--born', '2026-13-01'),
    (4, 'person', 'add', '--name', f'{Q} Datosen', '--born', '2026-04-31'),
    (4, 'person', 'add', '--name', f'{Q} Datosen', '--born', '31.04.2026'),
    (4, 'person', 'add', '--name', f'{Q} Datosen', '--born', '2026-1-5'),
    (4, 'person', 'add', '--name', f'{Q} Datosen', '--born', ''),
    (4, 'person', 'add', '--name', f'{Q} Datosen', '--born', '2010-05-05T00:00'),
    (4, 'referral', 'add', '--name', f'{Q} Datosen', *REFER, '--date', '2027-02-29'),
    (4, 'referral', 'add', '--name', f'{Q} Datosen', *REFER, '--date', '2026-11-23'),
    (4, 'ke', 'decide', '1', '--grant', '--unit', story.UNIT, '--covers', 'coordinator', '--date', '2026-09-30'),
    (4, 'ke', 'decide', '1', '--grant', '--unit', story.UNIT, '--covers', 'coordinator', '--date', '2026-02-29'),
    (4, 'ke', 'meeting', 'add', '--date', '2026-11-31'),
    (4, 'gathering', 'add', '--kind', 'samling', '--date', '2027-02-29'),
    (4, '--today', '2027-02-29', 'unit', 'add', 'Dato-enheten'),
    (4, 'case', 'close', '1', '--cause', 'other', '--date', '29.02.2026'),
    # nins (4)
    (4, 'person', 'add', '--name', f'{Q} Ninsen', '--born', '2011-06-07', '--nin', BAD_NIN),
    (4, 'person', 'add', '--name', f'{Q} Ninsen', '--nin', OTHER[1:]),
    (4, 'person', 'add', '--name', f'{Q} Ninsen', '--nin', OTHER + '0'),
    (4, 'person', 'add', '--name', f'{Q} Ninsen', '--nin', OTHER[:10] + 'X'),
    (4, 'person', 'add', '--name', f'{Q} Ninsen', '--born', '2012-06-07', '--nin', OTHER),
    (4, 'person', 'add', '--name', f'{Q} Ninsen', '--nin', ''),
    (4, 'referral', 'add', '--name', f'{Q} Ninsen', '--nin', BAD_NIN, *REFER),
    (4, 'person', 'edit', '1', '--nin', wrong_check(NIN), '--reason', f'{Q} retting'),
    # unknown enum values (4)
    (4, 'referral', 'add', '--name', f'{Q} Enumsen', '--source', 'fax', '--requests', 'ip'),
    (4, 'referral', 'add', '--name', f'{Q} Enumsen', '--source', 'bti', '--requests', 'coordinator,house'),
    (4, 'referral', 'add', '--name', f'{Q} Enumsen', '--source', 'bti', '--requests', ''),
    (4, 'case', 'close', '1', '--cause', 'bored'),
    (4, 'consent', 'give', '1', '--scope', 'everything', '--by', 'user', '--parties', 'KE'),
    (4, 'consent', 'give', '1', '--scope', 'plan', '--by', 'neighbour', '--parties', 'KE'),
    (4, 'user', 'add', 'nobody', '--role', 'god'),
    (4, 'gathering', 'add', '--kind', 'party', '--date', '2026-11-01'),
    (4, '--format', 'yaml', 'case', 'list'),
    (4, '--color', 'sometimes', 'case', 'list'),
    (4, 'ke', 'decide', '1', '--grant', '--unit', story.UNIT, '--basis', 'pbrl-9-9', '--date', story.DECIDED),
    (4, 'ke', 'decide', '1', '--grant', '--unit', story.UNIT, '--covers', 'house', '--date', story.DECIDED),
    (4, 'case', 'list', '--status', 'sleeping'),
    (4, 'case', 'list', '--status', DROP),
    (4, 'report', 'semiannual', '--period', '2026H3'),
    (4, 'import', 'cases', '{d}/target.csv', '--encoding', 'latin-7'),
    # ids that do not exist (3) and ids that are no ids (4)
    (3, 'case', 'show', '999'),
    (3, 'person', 'show', '999'),
    (3, 'referral', 'show', '999'),
    (3, 'referral', 'add', '--person', '999', *REFER),
    (3, 'referral', 'add', '--case', '999', *REFER),
    (3, 'ke', 'decide', '999', '--grant', '--unit', story.UNIT),
    (3, 'ke', 'decide', '1', '--grant', '--unit', 'Ingen slik enhet', '--date', story.DECIDED),
    (3, 'ke', 'decide', '1', '--grant', '--unit', DROP, '--date', story.DECIDED),
    (3, 'ke', 'review', '1', '--meeting', '999', '--note', 'Drøftet', '--anonymous'),
    (3, 'ke', 'meeting', 'show', '999'),
    (3, 'ke', 'notify', '2', '--decision', '999', '--date', '2026-11-01'),
    (3, 'coordinator', 'assign', '2', '--coordinator', '999', '--date', story.ASSIGNED),
    (3, 'gathering', 'attend', '999', '--coordinator', story.K1, {'err_contains': 'gathering 999'}),
    (3, 'person', 'relative', 'add', '999', '--name', f'{Q} Mor', '--relation', 'mor'),
    (3, 'consent', 'withdraw', '999', '--scope', 'plan'),
    (3, 'case', 'close', '999', '--cause', 'other'),
    (3, 'unit', 'edit', '999', '--name', 'Ny enhet', '--reason', 'omorganisering'),
    (4, 'case', 'show', '0'),
    (4, 'case', 'show', 'abc'),
    (4, 'case', 'show', '99999999999999999999999'),
    (4, 'case', 'show', f'1; {DROP}'),
    (4, 'case', 'show', '1 OR 1=1'),
    # empty strings (4)
    (4, 'person', 'add', '--name', ''),
    (4, 'unit', 'add', ''),
    (4, 'referral', 'add', '--name', '', *REFER),
    (4, 'coordinator', 'add', '--name', '', '--unit', story.UNIT),
    (4, 'ke', 'member', 'add', '--name', '', '--role', 'leder'),
    # over-long values (4)
    (4, 'person', 'add', '--name', Q + 'a' * 198),
    (4, 'unit', 'add', 'U' * 201),
    (4, 'referral', 'add', '--name', f'{Q} Langsen', *REFER, '--referrer', Q + 'r' * 4001),
    (4, 'ke', 'review', '1', '--meeting', '1', '--anonymous', '--note', Q + 'n' * 4000),
    (4, 'person', 'add', '--name', '@{d}/value_huge.txt'),
    # invalid UTF-8 (4)
    (4, 'person', 'add', '--name', f'{Q} '.encode() + b'\xff\xfe'),
    (4, 'person', 'add', '--name', f'{Q} '.encode() + b'\xc3\x28'),
    (4, 'person', 'add', '--name', f'{Q} '.encode() + b'\xc0\xaf'),
    (4, 'person', 'add', '--name', f'{Q} '.encode() + b'\xed\xa0\x80'),
    (4, 'unit', 'add', b'Enhet \xe2\x82'),
    (4, 'ke', 'review', '1', '--meeting', '1', '--anonymous', '--note', f'{Q} '.encode() + b'\xf8\x88\x80\x80\x80'),
    (4, 'person', 'add', '--name', '@{d}/value_bad_utf8.txt'),
    # control characters: C0, DEL, C1, bidi overrides and isolates (4)
    (4, 'person', 'add', '--name', f'{Q}\u0085Nel'),
    (4, 'person', 'add', '--name', f'{Q}\u202eOverstyrt'),
    (4, 'person', 'add', '--name', f'{Q}\u2066Isolert'),
    (4, 'person', 'add', '--name', f'{Q}\u061cMerke'),
    (4, 'person', 'add', '--name', f'{Q}\x1b[31mRød'),
    (4, 'person', 'add', '--name', f'{Q}\nLinje'),
    (4, 'person', 'add', '--name', f'{Q}\tTab'),
    (4, 'person', 'add', '--name', f'{Q}\x7fDel'),
    (4, 'ke', 'review', '1', '--meeting', '1', '--anonymous', '--note', f'Drøftet {Q}\u202e'),
    (4, 'ke', 'review', '1', '--meeting', '1', '--anonymous', '--note', f'Drøftet {Q}\u0085'),
    (4, 'ke', 'decide', '1', '--deny', '--reason', f'{Q} \u2067grunn', '--date', story.DECIDED),
    (4, '--actor', f'{Q}\u202e', 'unit', 'add', 'Aktørenheten'),
    (4, 'person', 'add', '--name', '@{d}/value_bidi.txt'),
    (4, 'person', 'add', '--name', '@{d}/value_two_lines.txt'),
    (4, 'person', 'add', '--name', '@{d}/value_nul.txt'),
    (4, 'unit', 'edit', '1', '--name', f'{Q}\u2066', '--reason', 'omorganisering'),
    # names that a spreadsheet would run as a formula (4)
    (4, 'person', 'add', '--name', f'=HYPERLINK("http://x","{Q}")'),
    (4, 'person', 'add', '--name', f'+{Q}'),
    (4, 'person', 'add', '--name', f'-{Q}'),
    (4, 'person', 'add', '--name', '@{d}/value_at.txt'),
    (4, 'person', 'edit', '1', '--name', '@{d}/value_eq.txt', '--reason', 'retting'),
    (4, 'unit', 'add', '=1+1'),
    (4, 'coordinator', 'add', '--name', '@{d}/value_at.txt', '--unit', story.UNIT),
    (4, 'ke', 'member', 'add', '--name', f'+{Q}', '--role', 'leder'),
    (4, 'referral', 'add', '--name', f'={Q}', *REFER),
    (4, 'person', 'relative', 'add', '1', '--name', '@{d}/value_at.txt', '--relation', 'mor'),
    # @FILE that is no regular file (4)
    (4, 'person', 'add', '--name', '@{d}/fifo.txt'),
    (4, 'person', 'add', '--name', '@{d}/link.txt'),
    (4, 'person', 'add', '--name', '@{d}/dir.txt'),
    (4, 'ke', 'review', '1', '--meeting', '1', '--anonymous', '--note', '@{d}/fifo.txt'),
    # import: CSV files (4)
    (4, 'import', 'cases', '{d}/unterminated.csv'),
    (4, 'import', 'cases', '{d}/unterminated_mid.csv'),
    (4, 'import', 'cases', '{d}/too_few.csv'),
    (4, 'import', 'cases', '{d}/too_many.csv'),
    (4, 'import', 'cases', '{d}/unknown_column.csv'),
    (4, 'import', 'cases', '{d}/sql_column.csv'),
    (4, 'import', 'cases', '{d}/missing_received.csv'),
    (4, 'import', 'cases', '{d}/duplicate_column.csv'),
    (4, 'import', 'cases', '{d}/bad_date.csv'),
    (4, 'import', 'cases', '{d}/bad_received.csv'),
    (4, 'import', 'cases', '{d}/future_received.csv'),
    (4, 'import', 'cases', '{d}/bad_nin.csv'),
    (4, 'import', 'cases', '{d}/bad_source.csv'),
    (4, 'import', 'cases', '{d}/bad_requests.csv'),
    (4, 'import', 'cases', '{d}/bad_status.csv'),
    (4, 'import', 'cases', '{d}/unknown_unit.csv'),
    (4, 'import', 'cases', '{d}/granted_no_unit.csv'),
    (4, 'import', 'cases', '{d}/formula_name.csv'),
    (4, 'import', 'cases', '{d}/at_name.csv'),
    (4, 'import', 'cases', '{d}/bidi_name.csv'),
    (4, 'import', 'cases', '{d}/c1_name.csv'),
    (4, 'import', 'cases', '{d}/isolate_name.csv'),
    (4, 'import', 'cases', '{d}/long_name.csv'),
    (4, 'import', 'cases', '{d}/empty_name.csv'),
    (4, 'import', 'cases', '{d}/bad_utf8.csv', '--encoding', 'utf-8'),
    (4, 'import', 'cases', '{d}/long_line.csv'),
    (4, 'import', 'cases', '{d}/empty.csv'),
    (4, 'import', 'cases', '{d}/nul.csv'),
    (4, 'import', 'cases', '{d}/fifo.csv'),
    (4, 'import', 'cases', '{d}/link.csv'),
    (4, 'import', 'cases', '{d}/dir.csv'),
    (4, 'import', 'coordinators', '{d}/coordinators_unknown_unit.csv'),
    (4, 'import', 'coordinators', '{d}/coordinators_too_few.csv'),
    (4, 'import', 'coordinators', '{d}/unterminated.csv'),
    # restore: export documents (into a new database at {d}/restored/bti.db)
    (4, 'restore', '{d}/export_bidi.json'),
    (4, 'restore', '{d}/export_c1.json'),
    (4, 'restore', '{d}/export_formula.json'),
    (4, 'restore', '{d}/export_bad_nin.json'),
    (4, 'restore', '{d}/export_bad_date.json'),
    (4, 'restore', '{d}/export_long_name.json'),
    (4, 'restore', '{d}/export_bad_utf8.json'),
    (4, 'restore', '{d}/export_unterminated.json'),
    (4, 'restore', '{d}/export_truncated.json'),
    (4, 'restore', '{d}/export_long_line.json'),
    (4, 'restore', '{d}/export_extra_column.json'),
    (4, 'restore', '{d}/export_wrong_type.json'),
    (4, 'restore', '{d}/export_sql_table.json'),
    (4, 'restore', '{d}/export_bad_reference.json'),
    (4, 'restore', '{d}/export_duplicate_id.json'),
    (7, 'restore', '{d}/export_tampered_audit.json'),
    (4, 'restore', '{d}/export_not_export.json'),
    (4, 'restore', '{d}/export_trailing.json'),
    (4, 'restore', '{d}/unterminated.csv'),
    (4, 'restore', '{d}/fifo.json'),
    (4, 'restore', '{d}/link.json'),
    (4, 'restore', '{d}/dir.json'),
    # usage (2): the message names the option, never the value
    (2, 'person', 'add'),
    (2, 'person', 'add', '--name'),
    (2, 'referral', 'add', '--name', f'{Q} Brukesen'),
    (2, 'referral', 'add', f'--nmae={Q} Skrivefeilsen', *REFER),
    (2, 'person', 'add', '--name', f'{Q} Ekstrasen', f'{Q} Løsord'),
    (2, 'case', 'frobnicate', '1'),
    (2, 'case', 'show'),
    (2, 'case', 'show', '1', '2'),
    (2, 'ke', 'decide', '1'),
    (2, 'restore'),
    (2, 'import', 'cases'),
    # rules (1)
    (1, 'referral', 'add', '--name', 'Test Testesen 1', '--born', BORN, *REFER),
    (1, 'referral', 'add', '--name', f'{Q} Ninsen', '--nin', NIN, *REFER),
    (1, 'ke', 'review', '1', '--meeting', '1', '--note', 'Drøftet'),
    (1, 'coordinator', 'assign', '1', '--coordinator', story.K1, '--date', story.ASSIGNED),
    (1, 'case', 'reopen', '1', '--reason', f'{Q} feil'),
    (1, 'init'),
]


def expand(t, args):
    d = t.dir
    return [a.replace('{d}', d) if isinstance(a, str) else a for a in args]


def export_lines(t, name):
    """The export of the database as lines, without the access table's rows."""
    path = t.path(name)
    t.ok('-q', '--identify', 'export', path)
    with open(path, 'rb') as f:
        lines = f.read().decode('utf-8').split('\n')
    os.unlink(path)
    cut = lines.index('"access":[')
    assert lines[-1] == '' and lines[-2].endswith(']}}'), lines[-3:]
    return lines[:cut + 1]


def test_hostile_inputs_table(t):
    base(t)
    assert len(CASES) >= 80
    before = export_lines(t, 'before.json')
    t.ok('-q', '--identify', 'export', t.path('export.json'))
    with open(t.path('export.json')) as f:
        full = f.read().rstrip('\n').split('\n')
    make_files(t, full)
    restored = t.path('restored', 'bti.db')
    failures = []
    for row in CASES:
        more = row[-1] if isinstance(row[-1], dict) else {}
        code, args = row[0], expand(t, row[1:len(row) - bool(more)])
        if args[0] == 'restore':
            args = ['--db', restored] + args
        try:
            t.fails(code, *args, private=PRIVATE, **more)
            if args[0] == '--db':
                assert not os.path.exists(restored), 'a failed restore left its database behind'
        except AssertionError as e:
            failures.append(str(e).replace(t.dir, '{d}')[:300])
    after = export_lines(t, 'after.json')
    if before != after:
        diff = [x for x in after if x not in before][:3] + ['-' + x for x in before if x not in after][:3]
        failures.append(f'bti export --identify differs after the hostile inputs: {diff}')
    assert not failures, f'{len(failures)} of {len(CASES)} inputs:\n' + '\n'.join(failures)


def test_sql_in_values_is_only_ever_data(t):
    """SQL in a name, a note, a filter and a referrer is stored and matched
    as text: every table is still there and the chain verifies."""
    base(t)
    tables = t.sql("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
    case = t.ok('referral', 'add', '--name', DROP, '--source', 'plo', '--requests', 'ip',
                '--referrer', "Robert'); DROP TABLE person;--", '--date', story.RECEIVED).strip()
    t.ok('ke', 'review', case, '--meeting', '1', '--anonymous', '--note', "x' OR '1'='1")
    assert t.ok('person', 'list', '--name', "' OR 1=1 --") == ''
    assert t.json('person', 'list', '--name', DROP)[0]['name'] == DROP
    assert t.ok('case', 'list', '--name', "%' OR '%'='") == ''
    assert t.sql("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name") == tables
    t.ok('audit', 'verify')


def test_messages_name_the_line_and_column_not_the_value(t):
    """A bad CSV cell is reported as FILE:LINE: column 'x' (SPEC section 5)."""
    base(t)
    t.write('two_bad.csv', CSV_HEAD + csv_row() + csv_row(name=f'{MARK} To', born='2027-02-29')
            + csv_row(name=f'{MARK} Tre', born='2011-06-07', nin_=BAD_NIN))
    r = t.fails(4, 'import', 'cases', t.path('two_bad.csv'), private=PRIVATE)
    assert 'two_bad.csv:3' in r.err and "column 'born'" in r.err, r.err
    assert 'two_bad.csv:4' in r.err and "column 'nin'" in r.err, r.err
