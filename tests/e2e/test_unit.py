"""bti unit add, list and edit."""
import json


def test_add_prints_the_id_and_lists_it(t):
    t.init()
    assert t.ok('unit', 'add', 'Hjembaserte tjenester') == '1\n'
    assert t.ok('unit', 'add', 'Familiesenter') == '2\n'
    assert t.json('unit', 'list') == [
        {'id': 1, 'name': 'Hjembaserte tjenester', 'open_cases': 0},
        {'id': 2, 'name': 'Familiesenter', 'open_cases': 0},
    ]


def test_list_empty_prints_nothing(t):
    t.init()
    assert t.ok('unit', 'list') == ''
    assert t.json('unit', 'list') == []


def test_add_duplicate_name_exit_1(t):
    t.init()
    t.ok('unit', 'add', 'Familiesenter')
    t.fails(1, 'unit', 'add', 'Familiesenter')


def test_add_invalid_names_exit_4(t):
    t.init()
    for bad in ('', '=cmd|calc', '-Familiesenter', 'F' * 201, 'Familie\u0085senter', 'Familie\u202esenter'):
        t.fails(4, 'unit', 'add', '--', bad)


def test_add_name_of_200_characters(t):
    t.init()
    t.ok('unit', 'add', 'Æ' * 200)
    assert t.one('SELECT name FROM unit') == 'Æ' * 200


def test_add_invalid_utf8_exit_4(t):
    t.init()
    t.fails(4, b'unit', b'add', b'Familie\xe9senter')


def test_add_name_from_a_file(t):
    t.init()
    t.ok('unit', 'add', '@' + t.write('unit.txt', 'BOAK\n'))
    assert t.one('SELECT name FROM unit') == 'BOAK'


def test_add_needs_exactly_one_name_exit_2(t):
    t.init()
    t.fails(2, 'unit', 'add')
    t.fails(2, 'unit', 'add', 'BOAK', 'Familiesenter')


def test_add_sql_in_the_name_is_literal(t):
    t.init()
    t.ok('unit', 'add', "x'); DROP TABLE unit; --")
    assert t.one('SELECT name FROM unit') == "x'); DROP TABLE unit; --"


def test_edit_by_id_renames_with_reason_in_audit(t):
    t.init()
    t.ok('unit', 'add', 'Familiesenter')
    assert t.ok('unit', 'edit', '1', '--name', 'Familiens hus', '--reason', 'omorganisering') == ''
    assert t.one('SELECT name FROM unit') == 'Familiens hus'
    change = json.loads(t.one("SELECT change FROM audit WHERE command = 'unit edit'"))
    assert change['old']['name'] == 'Familiesenter' and change['new']['name'] == 'Familiens hus'
    assert change['reason'] == 'omorganisering'


def test_edit_by_name(t):
    t.init()
    t.ok('unit', 'add', 'Familiesenter')
    t.ok('unit', 'edit', 'Familiesenter', '--name', 'BOAK', '--reason', 'r')
    assert t.one('SELECT name FROM unit') == 'BOAK'


def test_edit_to_an_existing_name_exit_1(t):
    t.init()
    t.ok('unit', 'add', 'Familiesenter')
    t.ok('unit', 'add', 'BOAK')
    t.fails(1, 'unit', 'edit', '2', '--name', 'Familiesenter', '--reason', 'r')


def test_edit_missing_unit_exit_3(t):
    t.init()
    t.fails(3, 'unit', 'edit', '9', '--name', 'BOAK', '--reason', 'r')
    t.fails(3, 'unit', 'edit', 'Ingen slik', '--name', 'BOAK', '--reason', 'r', err_contains='hint: ')


def test_edit_needs_name_and_reason_exit_2(t):
    t.init()
    t.ok('unit', 'add', 'Familiesenter')
    t.fails(2, 'unit', 'edit', '1', '--name', 'BOAK')
    t.fails(2, 'unit', 'edit', '1', '--reason', 'r')
    t.fails(2, 'unit', 'edit', '--name', 'BOAK', '--reason', 'r')


def test_edit_invalid_name_exit_4(t):
    t.init()
    t.ok('unit', 'add', 'Familiesenter')
    t.fails(4, 'unit', 'edit', '1', '--name', '@' + t.write('n', '@BOAK'), '--reason', 'r')
    t.fails(4, 'unit', 'edit', '1', '--name', '', '--reason', 'r')


def test_list_counts_open_cases(t):
    t.init()
    t.ok('unit', 'add', 'Familiesenter')
    assert t.json('unit', 'list')[0]['open_cases'] == 0
    t.ok('referral', 'add', '--name', 'Kari Testesen', '--source', 'bti', '--requests', 'ip')
    t.write_sql("UPDATE ke_case SET unit_id = 1")
    assert t.json('unit', 'list')[0]['open_cases'] == 1
