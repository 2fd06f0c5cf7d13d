"""The hash-chained audit: audit verify and audit head, tampering, and an
audit row for every write (SPEC sections 2 and 9; exit 7)."""
import json
import re
import sqlite3
import time

from synth import KARI, OLA

HEAD = re.compile(r'(\d+):([0-9a-f]{64})\n')

# Writes in an order that works on a fresh database.
WRITES = [
    ('user', 'add', 'kari', '--role', 'caseworker'),
    ('user', 'retire', 'kari'),
    ('user', 'add', 'kari', '--role', 'report'),
    ('unit', 'add', 'Familiesenter'),
    ('unit', 'edit', '1', '--name', 'BOAK', '--reason', 'omorganisering'),
    ('person', 'add', '--name', OLA[0], '--born', OLA[1]),
    ('person', 'edit', '1', '--name', 'Ola Rettesen', '--reason', 'skrivefeil'),
    ('person', 'relative', 'add', '1', '--name', 'Mor Prøvesen', '--relation', 'mor'),
    ('referral', 'add', '--person', '1', '--source', 'bti', '--requests', 'coordinator'),
    ('referral', 'add', '--name', KARI[0], '--source', 'plo', '--requests', 'ip'),
    ('referral', 'add', '--case', '1', '--source', 'application', '--requests', 'ip,child'),
    ('case', 'edit', '1', '--referrer', 'Fastlegen', '--reason', 'manglet'),
]

READS = [
    ('user', 'list'), ('unit', 'list'), ('person', 'list'), ('person', 'show', '1'),
    ('referral', 'list'), ('referral', 'show', '1'), ('case', 'list'), ('case', 'show', '1'),
    ('--identify', 'case', 'list'), ('audit', 'verify'), ('audit', 'head'),
]


def writes(t):
    """The database after init and WRITES."""
    t.snapshot('audit-writes', build)


def build(t):
    t.init()
    for args in WRITES:
        t.ok(*args)


def head(t):
    out = t.ok('audit', 'head')
    assert HEAD.fullmatch(out), out
    return out.strip()


def test_verify_passes_after_a_series_of_writes(t):
    writes(t)
    r = t.run('audit', 'verify')
    assert r.rc == 0 and r.out == '', r


def test_verify_passes_on_a_fresh_database(t):
    t.init()
    t.ok('audit', 'verify')


def test_init_writes_one_audit_row(t):
    t.init()
    assert t.sql('SELECT command, entity, entity_id FROM audit') == [('init', 'user', 1)]


def test_every_write_adds_audit_rows(t):
    t.init()
    for args in WRITES:
        before = t.count('audit')
        t.ok(*args)
        assert t.count('audit') > before, f'bti {" ".join(args)} wrote no audit row'


def test_audit_rows_name_the_command_and_entity(t):
    writes(t)
    rows = t.sql("SELECT command, entity, entity_id FROM audit WHERE command IN ('unit add', 'case edit')")
    assert rows == [('unit add', 'unit', 1), ('case edit', 'referral', 1)], rows


def test_reads_add_no_audit_rows(t):
    writes(t)
    for args in READS:
        before = t.count('audit')
        t.ok(*args)
        assert t.count('audit') == before, f'bti {" ".join(args)} wrote to the audit'


def test_refused_write_adds_no_audit_row(t):
    writes(t)
    before = t.count('audit')
    t.fails(4, 'unit', 'add', '=x')
    t.fails(1, 'unit', 'add', 'BOAK')
    t.fails(3, 'person', 'edit', '9', '--name', 'X Testesen', '--reason', 'r')
    assert t.count('audit') == before


def test_dry_run_adds_no_audit_row(t):
    t.init()
    before = t.count('audit')
    t.ok('--dry-run', 'unit', 'add', 'Familiesenter')
    assert t.count('audit') == before


def test_edit_records_old_new_and_reason(t):
    writes(t)
    change = json.loads(t.one("SELECT change FROM audit WHERE command = 'person edit'"))
    assert change['old']['name'] == OLA[0] and change['new']['name'] == 'Ola Rettesen', change
    assert change['reason'] == 'skrivefeil'


def test_audit_timestamp_is_utc_from_the_real_clock(t):
    t.init()
    t.ok('--today', '2020-06-15', 'unit', 'add', 'Familiesenter')
    at, today = t.sql("SELECT at, today FROM audit WHERE entity = 'unit'")[0]
    assert re.fullmatch(r'\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ', at), at
    now = time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())
    assert abs(time.mktime(time.strptime(at, '%Y-%m-%dT%H:%M:%SZ'))
               - time.mktime(time.strptime(now, '%Y-%m-%dT%H:%M:%SZ'))) < 300, (at, now)
    assert today == '2020-06-15', today


def test_head_format_rows_and_hash(t):
    writes(t)
    rows, digest = HEAD.fullmatch(t.ok('audit', 'head')).groups()
    assert int(rows) == t.count('audit')
    assert bytes.fromhex(digest) == t.one('SELECT hash FROM audit ORDER BY id DESC LIMIT 1')


def test_head_and_verify_print_json(t):
    writes(t)
    line = t.ok('audit', 'head').strip()
    rows, digest = line.split(':')
    parts = {'audit_rows': t.count('audit'), 'access_rows': t.count('access')}
    assert parts['audit_rows'] + parts['access_rows'] == int(rows)
    assert t.json('audit', 'head') == {'rows': int(rows), 'hash': digest, 'head': line, **parts}
    assert t.json('audit', 'verify') == {'verified': True, 'rows': int(rows), 'hash': digest,
                                         'head': line, **parts}
    assert t.json('audit', 'verify', '--head', line)['head'] == line
    assert t.ok('--csv', 'audit', 'head') == (f'rows,hash,head,audit_rows,access_rows\n'
                                              f'{rows},{digest},{line},{parts["audit_rows"]},'
                                              f'{parts["access_rows"]}\n')
    assert t.ok('audit', 'verify') == ''


def test_head_changes_with_every_write(t):
    t.init()
    first = head(t)
    t.ok('unit', 'add', 'Familiesenter')
    second = head(t)
    assert first != second and first.startswith('1:') and second.startswith('2:'), (first, second)


def test_tampered_row_fails_verify_exit_7(t):
    writes(t)
    t.write_sql('DROP TRIGGER audit_only_erase', "UPDATE audit SET login = 'mallory' WHERE id = 3")
    r = t.fails(7, 'audit', 'verify')
    assert 'row 3' in r.err, r.err


def test_tampered_change_json_fails_verify_exit_7(t):
    writes(t)
    t.write_sql('DROP TRIGGER audit_only_erase',
                "UPDATE audit SET change = replace(change, 'BOAK', 'XXXX') WHERE command = 'unit edit'")
    t.fails(7, 'audit', 'verify')


def test_tampered_timestamp_fails_verify_exit_7(t):
    writes(t)
    t.write_sql('DROP TRIGGER audit_only_erase', "UPDATE audit SET at = '2020-01-01T00:00:00Z' WHERE id = 2")
    t.fails(7, 'audit', 'verify')


def test_deleted_middle_row_fails_verify_exit_7(t):
    writes(t)
    t.write_sql('DROP TRIGGER audit_no_delete', 'DELETE FROM audit WHERE id = 4')
    t.fails(7, 'audit', 'verify')


def test_erased_change_json_keeps_the_chain(t):
    writes(t)
    # only an erasure entry's rows may lose their JSON (issue 14): the chain's
    # part is tested with the trigger out of the way
    t.write_sql('DROP TRIGGER audit_only_erase',
                "UPDATE audit SET change = NULL, salt = NULL WHERE entity = 'person'")
    t.ok('audit', 'verify')


def test_json_nulled_without_an_erasure_is_refused_and_found(t):
    """Issue 14, finding 1: nulling a row's JSON and then changing the data
    passed audit verify, verify --head and doctor."""
    writes(t)
    try:
        t.write_sql("UPDATE audit SET change = NULL, salt = NULL WHERE entity = 'person'")
        raise AssertionError('the trigger let a row lose its JSON without an erasure')
    except sqlite3.DatabaseError:
        pass
    trigger = t.one("SELECT sql FROM sqlite_master WHERE name = 'audit_only_erase'")
    t.write_sql('DROP TRIGGER audit_only_erase',
                "UPDATE audit SET change = NULL, salt = NULL WHERE entity = 'person'", trigger,
                "UPDATE person SET name = 'Endret Testesen' WHERE id = 1")
    r = t.run('doctor')
    assert r.rc == 7 and 'lost its values, but no erasure entry names it' in r.out, r


def test_triggers_refuse_update_and_delete(t):
    writes(t)
    for sql in ("UPDATE audit SET login = 'mallory' WHERE id = 2", 'DELETE FROM audit WHERE id = 2'):
        try:
            t.write_sql(sql)
        except sqlite3.DatabaseError:
            continue
        raise AssertionError(f'the audit allowed: {sql}')
    t.ok('audit', 'verify')


def test_verify_head_passes_after_more_writes(t):
    writes(t)
    earlier = head(t)
    t.ok('audit', 'verify', '--head', earlier)
    t.ok('unit', 'add', 'Hjembaserte tjenester')
    t.ok('person', 'add', '--name', 'Per Fiktivsen')
    t.ok('audit', 'verify', '--head', earlier)


def test_verify_head_fails_when_rows_are_deleted_exit_7(t):
    writes(t)
    earlier = head(t)
    t.ok('unit', 'add', 'Hjembaserte tjenester')
    t.write_sql('DROP TRIGGER audit_no_delete', 'DELETE FROM audit WHERE id >= (SELECT max(id) - 2 FROM audit)')
    t.ok('audit', 'verify')  # a cut tail still chains ...
    t.fails(7, 'audit', 'verify', '--head', earlier)  # ... but no longer holds the head


def test_verify_head_fails_when_the_head_row_changed_exit_7(t):
    writes(t)
    rows, digest = head(t).split(':')
    wrong = f'{rows}:{"0" * 64}'
    t.fails(7, 'audit', 'verify', '--head', wrong)


def test_verify_head_with_more_rows_than_the_log_exit_7(t):
    writes(t)
    rows, digest = head(t).split(':')
    t.fails(7, 'audit', 'verify', '--head', f'{int(rows) + 1}:{digest}')


def test_verify_head_malformed_exit_4(t):
    writes(t)
    rows, digest = head(t).split(':')
    for bad in ('abc', f'{rows}:{digest[:-1]}', f'0:{digest}', f'{rows}-{digest}', f'{rows}:{"g" * 64}'):
        t.fails(4, 'audit', 'verify', '--head', bad)


def test_verify_head_needs_a_value_exit_2(t):
    t.init()
    t.fails(2, 'audit', 'verify', '--head')
