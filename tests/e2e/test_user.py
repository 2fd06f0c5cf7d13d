"""bti user add, list and retire, and the roles (SPEC section 9; exit 8)."""


def set_role(t, role):
    t.write_sql(("UPDATE user SET role = ? WHERE login = ?", (role, t.login)))


def test_list_shows_the_first_admin(t):
    t.init()
    users = t.json('user', 'list')
    assert len(users) == 1 and users[0]['login'] == t.login and users[0]['role'] == 'admin', users
    assert users[0]['added'] == '2026-11-22' and users[0]['retired'] is None, users


def test_add_prints_the_id_and_lists_the_role(t):
    t.init()
    assert t.ok('user', 'add', 'kari', '--role', 'caseworker') == '2\n'
    t.ok('user', 'add', 'ola', '--role', 'report')
    t.ok('user', 'add', 'ase', '--role', 'admin')
    roles = [(u['login'], u['role']) for u in t.json('user', 'list')]
    assert roles == [(t.login, 'admin'), ('kari', 'caseworker'), ('ola', 'report'), ('ase', 'admin')]


def test_add_existing_login_exit_1(t):
    t.init()
    t.ok('user', 'add', 'kari', '--role', 'caseworker')
    t.fails(1, 'user', 'add', 'kari', '--role', 'admin')
    t.fails(1, 'user', 'add', t.login, '--role', 'report')


def test_add_unknown_role_exit_4(t):
    t.init()
    for bad in ('god', 'Admin', ''):
        t.fails(4, 'user', 'add', 'kari', '--role', bad)


def test_add_missing_role_exit_2(t):
    t.init()
    t.fails(2, 'user', 'add', 'kari')
    t.fails(2, 'user', 'add', '--role', 'admin')


def test_add_invalid_login_exit_4(t):
    t.init()
    for bad in ('Kari', 'kari testesen', '../etc', 'k' * 33):
        t.fails(4, 'user', 'add', bad, '--role', 'caseworker')


def test_retire_sets_the_date_and_keeps_the_row(t):
    t.init()
    t.ok('user', 'add', 'kari', '--role', 'caseworker')
    assert t.ok('user', 'retire', 'kari') == ''
    users = {u['login']: u for u in t.json('user', 'list')}
    assert users['kari']['retired'] == '2026-11-22', users


def test_retire_twice_exit_3(t):
    t.init()
    t.ok('user', 'add', 'kari', '--role', 'caseworker')
    t.ok('user', 'retire', 'kari')
    t.fails(3, 'user', 'retire', 'kari')


def test_retire_unknown_login_exit_3(t):
    t.init()
    t.fails(3, 'user', 'retire', 'nobody')


def test_retire_own_login_exit_1(t):
    t.init()
    t.fails(1, 'user', 'retire', t.login)


def test_add_a_retired_login_again_with_a_new_role(t):
    t.init()
    t.ok('user', 'add', 'kari', '--role', 'caseworker')
    t.ok('user', 'retire', 'kari')
    t.ok('user', 'add', 'kari', '--role', 'report')
    users = {u['login']: u for u in t.json('user', 'list')}
    assert users['kari']['role'] == 'report' and users['kari']['retired'] is None, users
    assert t.count('user') == 2


def test_unknown_login_is_refused_exit_8(t):
    t.init()
    t.write_sql(("UPDATE user SET login = 'someoneelse' WHERE login = ?", (t.login,)))
    for args in (('case', 'list'), ('person', 'add', '--name', 'Kari Testesen'), ('user', 'list'),
                 ('audit', 'verify'), ('unit', 'add', 'BOAK'), ('referral', 'list')):
        t.fails(8, *args, err_contains='hint: ', private='Kari Testesen')


def test_retired_login_is_refused_exit_8(t):
    t.init()
    t.write_sql(("UPDATE user SET retired = '2026-11-01' WHERE login = ?", (t.login,)))
    t.fails(8, 'case', 'list')


def test_report_role_cannot_read_persons_exit_8(t):
    t.init()
    t.ok('person', 'add', '--name', 'Kari Testesen')
    set_role(t, 'report')
    t.fails(8, 'person', 'list')
    t.fails(8, 'person', 'show', '1')
    t.fails(8, 'case', 'list')
    t.fails(8, 'person', 'add', '--name', 'Ola Prøvesen', private='Ola Prøvesen')


def test_report_role_may_verify_the_audit(t):
    t.init()
    set_role(t, 'report')
    t.ok('audit', 'verify')
    t.ok('audit', 'head')


def test_caseworker_cannot_manage_users_exit_8(t):
    t.init()
    set_role(t, 'caseworker')
    t.fails(8, 'user', 'list')
    t.fails(8, 'user', 'add', 'kari', '--role', 'admin')
    t.fails(8, 'user', 'retire', 'kari')


def test_caseworker_cannot_identify_exit_8(t):
    t.init()
    t.ok('referral', 'add', '--name', 'Kari Testesen', '--source', 'bti', '--requests', 'ip')
    set_role(t, 'caseworker')
    t.fails(8, '--identify', 'case', 'list', private='Kari Testesen')
    t.fails(8, 'case', 'show', '1', '--identify', private='Kari Testesen')


def test_caseworker_does_the_casework(t):
    t.init()
    set_role(t, 'caseworker')
    t.ok('unit', 'add', 'BOAK')
    t.ok('referral', 'add', '--name', 'Kari Testesen', '--source', 'bti', '--requests', 'ip')
    assert len(t.json('case', 'list')) == 1
