"""bti status (issue 17): the start of the day on one screen, and its JSON."""
import os

from synth import KARI, OLA, PER

KEYS = ['database', 'today', 'login', 'role', 'open_cases', 'due_today', 'due_next_14_days',
        'last_backup', 'last_access_review', 'audit_head']
OPEN = ['received', 'review', 'granted', 'denied', 'appealed', 'active']


def test_status_of_a_fresh_database(t):
    t.init()
    head = t.ok('audit', 'head').strip()  # status's own access row comes after its head
    s = t.json('status')
    assert list(s) == KEYS, list(s)
    assert os.path.realpath(s['database']) == os.path.realpath(t.db)
    assert s['today'] == '2026-11-22' and s['login'] == t.login and s['role'] == 'admin', s
    assert s['open_cases'] == {state: 0 for state in OPEN} and list(s['open_cases']) == OPEN
    assert s['due_today'] == len(t.json('due')), s
    assert s['last_backup'] is None and s['last_access_review'] is None, s
    assert s['audit_head'] == head


def test_status_counts_open_cases_and_what_falls_due(t):
    """A referral received 2026-10-30 owes a preliminary reply on
    2026-11-30: not due today (2026-11-22), due within 14 days."""
    t.init()
    t.ok('referral', 'add', '--name', KARI[0], '--born', KARI[1], '--source', 'bti',
         '--requests', 'ip', '--date', '2026-11-20')
    t.ok('referral', 'add', '--name', OLA[0], '--born', OLA[1], '--source', 'plo',
         '--requests', 'ip', '--date', '2026-10-30')
    t.ok('referral', 'add', '--name', PER[0], '--born', PER[1], '--source', 'plo',
         '--requests', 'ip', '--date', '2026-11-01')
    t.ok('case', 'close', '3', '--cause', 'declined', '--yes')
    s = t.json('status')
    assert s['open_cases'] == dict({state: 0 for state in OPEN}, received=2), s
    due_now = t.json('due')
    assert s['due_today'] == len(due_now), (s, due_now)
    assert not any(r['kind'] == 'preliminary_reply' and r['case_id'] == 2 for r in due_now)
    assert s['due_next_14_days'] >= 1, s
    later = t.json('--today', '2026-11-30', 'due')
    assert any(r['case_id'] == 2 and r['kind'] == 'preliminary_reply' for r in later), later
    assert t.json('--today', '2026-11-30', 'status')['due_today'] == len(later)


def test_status_shows_the_last_backup_and_access_review(t):
    t.init()
    target = t.path('bti-2026-11-22.db')
    t.ok('backup', target)
    t.ok('audit', 'reviewed', '--date', '2026-11-20')
    s = t.json('status')
    assert s['last_backup']['target'] == target and s['last_backup']['at'].endswith('Z'), s
    assert s['last_access_review'] == '2026-11-20', s
    out = t.ok('status')
    for line in ('database:', 'role:               admin', 'open_cases', '  received: 0',
                 'last_backup', f'  target: {target}', 'last_access_review: 2026-11-20'):
        assert line in out, (line, out)


def test_status_reads_no_name_and_writes_nothing(t):
    t.init()
    t.ok('referral', 'add', '--name', KARI[0], '--born', KARI[1], '--source', 'bti',
         '--requests', 'ip')
    before, access = t.dump(), t.count('access')
    out = t.ok('status') + t.ok('--json', 'status')
    assert KARI[0] not in out
    assert t.dump() == before and t.count('access') == access


def test_status_for_the_report_role(t):
    t.init()
    t.write_sql(("UPDATE user SET role = 'report' WHERE login = ?", (t.login,)))
    assert t.json('status')['role'] == 'report'


def test_status_without_a_role_exit_8(t):
    t.init()
    t.write_sql(("UPDATE user SET login = 'someoneelse' WHERE login = ?", (t.login,)))
    t.fails(8, 'status', err_contains='has no role in this database')


def test_status_refuses_arguments_and_csv_exit_2(t):
    t.init()
    t.fails(2, 'status', 'extra')
    t.fails(2, 'status', '--open', err_contains='--open')
    t.fails(2, '--csv', 'status', err_contains='this output does not fit one CSV table')


def test_status_without_a_database_exit_6(t):
    t.fails(6, 'status', err_contains='no database at')


def test_status_is_completed_and_listed(t):
    assert 'status' in t.ok('__complete', '').split()
    assert 'status' in t.ok('-h')
