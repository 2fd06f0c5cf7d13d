"""bti init, the database path (--db, BTI_DB, XDG_DATA_HOME, HOME) and a
missing or unusable database (SPEC sections 5, 7 and 9)."""
import os
import sqlite3
import stat

# Every command that opens the database, with arguments that would pass.
DB_COMMANDS = [
    ('user', 'list'), ('user', 'add', 'kari', '--role', 'caseworker'), ('user', 'retire', 'kari'),
    ('unit', 'add', 'Familiesenter'), ('unit', 'list'),
    ('unit', 'edit', '1', '--name', 'BOAK', '--reason', 'ny'),
    ('person', 'add', '--name', 'Kari Testesen'), ('person', 'list'), ('person', 'show', '1'),
    ('person', 'edit', '1', '--name', 'Kari Testesen', '--reason', 'r'),
    ('person', 'relative', 'add', '1', '--name', 'Mor Testesen', '--relation', 'mor'),
    ('referral', 'add', '--name', 'Kari Testesen', '--source', 'bti', '--requests', 'ip'),
    ('referral', 'list'), ('referral', 'show', '1'),
    ('case', 'list'), ('case', 'show', '1'), ('case', 'edit', '1', '--referrer', 'X', '--reason', 'r'),
    ('audit', 'verify'), ('audit', 'head'),
]


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def test_init_creates_0600_file(t):
    t.init()
    assert mode(t.db) == 0o600, oct(mode(t.db))


def test_init_prints_nothing_on_stdout(t):
    assert t.ok('init') == ''


def test_init_creates_missing_directories_0700(t):
    db = t.path('a', 'b', 'bti.db')
    t.ok('--db', db, 'init')
    assert mode(db) == 0o600
    assert mode(t.path('a', 'b')) == 0o700, oct(mode(t.path('a', 'b')))
    assert mode(t.path('a')) == 0o700, oct(mode(t.path('a')))


def test_init_makes_caller_admin(t):
    t.init()
    users = t.json('user', 'list')
    assert [(u['login'], u['role']) for u in users] == [(t.login, 'admin')], users


def test_init_schema_is_strict_with_foreign_keys_and_audit_triggers(t):
    t.init()
    names = {r[0] for r in t.sql("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    assert {'audit_no_delete', 'audit_only_erase'} <= names, names
    assert t.one('PRAGMA user_version') >= 1


def test_init_refuses_existing_database_exit_1(t):
    t.init()
    t.fails(1, 'init', err_contains='hint: ')


def test_init_refuses_existing_other_file_exit_1(t):
    t.write('bti.db', 'not a database\n')
    r = t.run('init')
    assert r.rc == 1, r
    assert r.err.startswith('bti: error: ')
    with open(t.db) as f:
        assert f.read() == 'not a database\n'


def test_init_refuses_the_wal_of_a_removed_database_exit_1(t):
    """bti keeps the WAL between commands (SPEC section 10): a database
    removed by hand leaves it, and its pages must not enter a new one."""
    t.init()
    t.ok('unit', 'add', 'Hjem')
    os.unlink(t.db)
    with open(t.db + '-wal', 'rb') as f:
        wal = f.read()
    assert wal, 'no WAL kept after the command'
    t.fails(1, 'init', err_contains=["the WAL of a removed database is still at '", 'hint: '])
    assert not os.path.exists(t.db), 'init created the database anyway'
    with open(t.db + '-wal', 'rb') as f:
        assert f.read() == wal, 'init changed the WAL'


def test_init_refuses_directory_open_to_others_exit_1(t):
    os.mkdir(t.path('open'), 0o755)
    os.chmod(t.path('open'), 0o755)
    db = t.path('open', 'bti.db')
    r = t.run('--db', db, 'init')
    assert r.rc == 1, r
    assert r.err.startswith('bti: error: ')
    assert not os.path.exists(db)


def test_init_refuses_group_writable_directory_exit_1(t):
    os.mkdir(t.path('grp'))
    os.chmod(t.path('grp'), 0o770)
    r = t.run('--db', t.path('grp', 'bti.db'), 'init')
    assert r.rc == 1, r
    assert not os.path.exists(t.path('grp', 'bti.db'))


def test_init_does_not_follow_a_symlink(t):
    os.symlink(t.path('target.db'), t.db)
    r = t.run('init')
    assert r.rc != 0, r
    assert r.err.startswith('bti: error: ')
    assert not os.path.exists(t.path('target.db'))


def test_init_takes_no_arguments_exit_2(t):
    t.fails(2, 'init', 'extra')
    assert not os.path.exists(t.db)


def test_every_command_on_missing_db_exits_6_with_init_hint(t):
    for args in DB_COMMANDS:
        r = t.fails(6, *args)
        assert 'hint: ' in r.err and 'bti init' in r.err, f'{args}: {r.err!r}'


def test_missing_db_is_not_created_by_a_command(t):
    t.fails(6, 'case', 'list')
    t.fails(6, 'person', 'add', '--name', 'Kari Testesen')
    assert not os.path.exists(t.db)


def test_db_option_wins_over_bti_db(t):
    other = t.path('other.db')
    t.ok('--db', other, 'init')
    assert os.path.exists(other) and not os.path.exists(t.db)
    t.ok('--db', other, 'unit', 'add', 'Familiesenter')
    t.fails(6, 'unit', 'list')


def test_db_option_with_equals_sign(t):
    other = t.path('eq.db')
    t.ok(f'--db={other}', 'init')
    assert os.path.exists(other)


def test_db_option_after_the_command(t):
    other = t.path('late.db')
    t.ok('init', '--db', other)
    assert os.path.exists(other) and not os.path.exists(t.db)


def test_bti_db_names_the_database(t):
    t.init()
    assert os.path.exists(t.db)
    t.ok('unit', 'add', 'Familiesenter')
    assert t.count('unit') == 1


def test_default_path_is_xdg_data_home(t):
    if os.path.exists('/etc/bti.conf'):
        t.skip('/etc/bti.conf names the database on this machine')
    xdg = t.path('xdg')
    t.ok('init', env={'BTI_DB': None, 'XDG_DATA_HOME': xdg})
    assert os.path.exists(os.path.join(xdg, 'bti', 'bti.db'))


def test_default_path_is_under_home_without_xdg(t):
    if os.path.exists('/etc/bti.conf'):
        t.skip('/etc/bti.conf names the database on this machine')
    t.ok('init', env={'BTI_DB': ''})
    assert os.path.exists(t.path('.local', 'share', 'bti', 'bti.db'))
    assert not os.path.exists(t.db)


def test_newer_schema_is_refused_exit_6(t):
    t.init()
    con = sqlite3.connect(t.db)
    con.execute('PRAGMA user_version = 9999')
    con.commit()
    con.close()
    t.fails(6, 'case', 'list')
    t.fails(6, 'unit', 'add', 'Familiesenter')


def test_db_that_is_a_symlink_is_refused_exit_6(t):
    t.init()
    link = t.path('link.db')
    os.symlink(t.db, link)
    t.fails(6, '--db', link, 'unit', 'add', 'Familiesenter')


def test_db_that_is_a_directory_exit_6(t):
    os.mkdir(t.path('dir.db'), 0o700)
    r = t.run('--db', t.path('dir.db'), 'case', 'list')
    assert r.rc == 6, r
    assert r.err.startswith('bti: error: ')


def test_db_that_is_not_sqlite_exit_6(t):
    t.write('bti.db', 'just text, no database\n' * 50)
    r = t.run('case', 'list')
    assert r.rc == 6, r
    assert r.err.startswith('bti: error: ')
    with open(t.db) as f:
        assert f.read() == 'just text, no database\n' * 50


def test_locked_database_exits_5_busy(t):
    t.init()
    con = sqlite3.connect(t.db, isolation_level=None)
    try:
        con.execute('BEGIN IMMEDIATE')
        con.execute("INSERT INTO unit(name) VALUES ('Holder låsen')")
        r = t.run('unit', 'add', 'Familiesenter', env={'BTI_BUSY_TIMEOUT': '0.2'})
    finally:
        con.execute('ROLLBACK')
        con.close()
    assert r.rc == 5, r
    assert r.err.startswith('bti: error: ')
    assert t.count('unit') == 0


def test_dry_run_init_creates_nothing(t):
    """Issue 14, finding 6: --dry-run init made a real database."""
    r = t.run('--dry-run', 'init')
    assert r.rc == 0, r.err
    assert r.err.startswith('dry run: would create'), r.err
    assert not os.path.exists(t.db)
    t.ok('init')
    t.fails(1, '--dry-run', 'init', err_contains='already exists')
