"""Roles (SPEC section 9, exit 8): one representative command per group, a
read and a write, run as admin, caseworker and report.  report may run
only the unidentified reports and due; caseworker everything but
--identify, export, restore, import, backup, user and erase; admin all.
A login with no role, or a retired one, is refused everything that opens
the database.

The role is set behind bti's back on the current OS login (the audit
triggers guard only the audit), as tests/e2e/test_user.py does."""
import fcntl
import os

import fixture
import story
from story import UNIT, K1

# what the report role may run: unidentified reports and due
REPORTS = [
    ('report', 'overview'),
    ('report', 'semiannual', '--period', '2026H2'),
    ('report', 'coordinators'),
    ('report', 'decisions'),
    ('due',),
]

# a read of each group: a caseworker may run them, the report role may not
READS = [
    ('unit', 'list'),
    ('person', 'show', '1'),
    ('referral', 'list'),
    ('case', 'show', '1'),
    ('case', 'access', '1'),
    ('consent', 'list', '1'),
    ('ke', 'meeting', 'list'),
    ('coordinator', 'list'),
    ('plan', 'show', '1'),
    ('group', 'list', '1'),
    ('gathering', 'list'),
]

# a write of each group, in an order in which each succeeds
WRITES = [
    ('unit', 'add', 'Ny enhet'),
    ('person', 'add', '--name', 'Per Fiktivsen'),
    ('referral', 'add', '--name', 'Åse Øvreås', '--source', 'bti', '--requests', 'ip'),
    ('consent', 'give', '2', '--scope', 'exchange', '--by', 'user', '--parties', 'all'),
    ('ke', 'reply', '2'),
    ('coordinator', 'add', '--name', 'Nina Nykoordinator', '--unit', UNIT),
    ('plan', 'goal', '1', 'Gå på skolen'),
    ('group', 'add', '1', '--name', 'Per Fiktivsen', '--role', 'lærer', '--org', 'skole'),
    ('gathering', 'add', '--kind', 'samling', '--date', '2026-12-01'),
    ('case', 'close', '2', '--cause', 'other', '--yes'),
]

PRIVATE = ['Per Fiktivsen', 'Åse Øvreås', 'Kari Testesen', 'Nina Nykoordinator']

COORDINATORS_CSV = 'name,unit,email,phone\nLise Importsen,Familiesenter,lise@example.org,\n'


def snapshot(t, key, build):
    """t.snapshot(key, build), built by one worker while the others wait
    for it rather than build it too."""
    if fixture.CACHE is None:
        return t.snapshot(key, build)
    with open(os.path.join(fixture.CACHE, key + '.lock'), 'w') as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return t.snapshot(key, build)


def admin_only(t):
    """Commands only an admin may run (FILE paths in the test directory)."""
    return [
        ('--identify', 'case', 'list'),
        ('--identify', 'case', 'show', '1'),
        ('--identify', 'report', 'overview'),
        ('--identify', 'export', t.path('export.json')),
        ('user', 'list'),
        ('user', 'add', 'kari', '--role', 'report'),
        ('import', 'coordinators', t.write('coordinators.csv', COORDINATORS_CSV)),
        ('backup', t.path('backup.db')),
        ('person', 'erase', '2', '--reason', 'Etter krav', '--yes'),
    ]


def _build(t):
    story.base(t)
    t.ok('referral', 'add', '--name', 'Kari Testesen', '--source', 'bti', '--requests',
         'coordinator,ip', '--date', story.RECEIVED)
    story.grant(t, 1, covers='coordinator,ip')
    story.assign(t, 1, K1)
    t.ok('consent', 'give', '1', '--scope', 'plan', '--by', 'user', '--parties', 'all',
         '--date', '2026-10-26')
    t.ok('consent', 'give', '1', '--scope', 'exchange', '--by', 'user', '--parties', 'skole',
         '--date', '2026-10-26')
    t.ok('plan', 'start', '1')


def built(t, role=None):
    snapshot(t, 'roles-story', _build)
    if role:
        set_role(t, role)


def set_role(t, role):
    t.write_sql(("UPDATE user SET role = ? WHERE login = ?", (role, t.login)))


def allowed(t, args):
    r = t.run(*args)
    assert r.rc == 0, f'{args}: exit {r.rc}, expected 0; stderr: {r.err.strip()}'


def denied(t, args, hint=None):
    """Refused with exit 8 (the database is compared by denied_all or t.fails)."""
    r = t.run(*args)
    assert r.rc == 8, f'{args}: exit {r.rc}, expected 8; stderr: {r.err.strip()}'
    assert r.out == '' and r.err.startswith('bti: error: '), (args, r)
    for value in PRIVATE:
        assert value not in r.err, (args, r.err)
    assert hint is None or hint in r.err, (args, r.err)
    return r


def denied_all(t, commands, hint=None):
    """Each of commands refused with exit 8, and the database unchanged."""
    before = t.dump()
    errs = [denied(t, args, hint).err for args in commands]
    assert t.dump() == before, 'a refused command changed the database'
    return errs


# ---- the table -------------------------------------------------------------------------------

def test_admin_may_run_everything(t):
    built(t)
    for args in REPORTS + READS + WRITES + admin_only(t):
        allowed(t, args)
    allowed(t, ('audit', 'report'))
    allowed(t, ('audit', 'reviewed'))
    t.ok('audit', 'verify')


def test_caseworker_reads_and_writes_but_nothing_of_admin(t):
    built(t, 'caseworker')
    for args in REPORTS + READS + WRITES:
        allowed(t, args)
    denied_all(t, admin_only(t))
    t.fails(8, 'person', 'erase', '2', '--reason', 'Etter krav', '--yes')
    assert not os.path.exists(t.path('export.json')) and not os.path.exists(t.path('backup.db'))


def test_caseworker_is_refused_identify_on_every_kind_of_read(t):
    built(t, 'caseworker')
    denied_all(t, [('--identify', *args) for args in (('person', 'list'), ('person', 'show', '1'),
                                                      ('report', 'semiannual'), ('due',))])


def test_caseworker_may_review_the_access_log(t):
    # SPEC 9 reserves for admin only --identify, export, restore, import,
    # backup, user and erase; the access log's review is the KE's work
    built(t, 'caseworker')
    allowed(t, ('audit', 'report'))
    allowed(t, ('audit', 'reviewed'))


def test_report_role_runs_only_reports_and_due(t):
    built(t, 'report')
    for args in REPORTS:
        allowed(t, args)
    denied_all(t, READS + WRITES + admin_only(t) + [('audit', 'report'), ('audit', 'reviewed')])
    t.fails(8, 'referral', 'add', '--name', 'Åse Øvreås', '--source', 'bti', '--requests', 'ip',
            private='Åse Øvreås')
    assert t.one('SELECT count(*) FROM access') == 0, 'a refused read was logged'


def test_report_role_sees_no_names(t):
    built(t, 'report')
    out = ''.join(t.ok(*args) for args in REPORTS)
    assert 'Kari Testesen' not in out, out
    t.fails(8, '--identify', 'report', 'overview', private='Kari Testesen')


def test_restore_needs_admin_in_the_export(t):
    built(t)
    src = t.path('export.json')
    t.ok('--identify', 'export', src)
    with open(src, encoding='utf-8') as f:
        text = f.read()
    mine = f'"login":"{t.login}","role":"admin"'
    assert text.count(mine) == 1
    for role in ('caseworker', 'report'):
        path = t.write(f'{role}.json', text.replace(mine, f'"login":"{t.login}","role":"{role}"'))
        db = t.path(f'{role}.db')
        t.fails(8, '--db', db, 'restore', path)
        assert not os.path.exists(db)
    t.ok('--db', t.path('admin.db'), 'restore', src)


# ---- no role, retired, retire yourself -------------------------------------------------------

def test_login_without_a_role_is_refused_everything_with_a_hint(t):
    built(t)
    t.write_sql(("UPDATE user SET login = 'someoneelse' WHERE login = ?", (t.login,)))
    errs = denied_all(t, REPORTS + READS + WRITES + admin_only(t) + [
        ('audit', 'verify'), ('audit', 'head'), ('audit', 'report'), ('audit', 'reviewed'),
        ('due', '--check')], hint='bti user add')
    for err in errs:
        assert 'hint: ' in err and f'bti user add {t.login}' in err, err
    t.fails(8, 'unit', 'add', 'Ny enhet', err_contains='bti user add')
    # what opens no database needs no role
    t.ok('basis', 'list')


def test_retired_login_is_refused(t):
    built(t)
    t.write_sql(("UPDATE user SET retired = '2026-11-01' WHERE login = ?", (t.login,)))
    denied_all(t, [('due',), ('report', 'overview'), ('case', 'show', '1'), ('unit', 'add', 'Ny'),
                   ('user', 'list'), ('--identify', 'export', t.path('x.json'))])


def test_retire_own_login_exit_1(t):
    built(t)
    t.ok('user', 'add', 'kari', '--role', 'admin')
    t.fails(1, 'user', 'retire', t.login)
    t.ok('user', 'retire', 'kari')
