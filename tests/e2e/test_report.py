"""Reports (SPEC section 8): periods, the semiannual figures, --public,
the long CSV form, the overview, the coordinators' caseload and the
decisions of a period.

One small story, cached: four cases of three sources received in 2026,
decisions, two coordinators appointed in H1, a case closed in H2, a plan,
a preliminary reply, an appeal and two gatherings.  Every person is
synthetic."""
import csv
import fcntl
import io
import json
import os

import fixture
import story
import synth
from story import UNIT, K1, K2, K3, REASON

NIN_A = synth.nin('2010-05-05')
NAME_A = 'Kari Testesen'

# The story's dates and what they make.
A_RECEIVED, A_GRANTED, A_DENIED, A_ASSIGNED = '2026-02-01', '2026-02-15', '2026-03-01', '2026-03-10'
B_RECEIVED, B_GRANTED, B_ASSIGNED, B_CLOSED = '2026-03-01', '2026-04-10', '2026-04-20', '2026-08-01'
C_RECEIVED, C_REPLIED, C_DENIED = '2026-05-01', '2026-06-01', '2026-07-10'
D_RECEIVED = '2026-07-05'

H1 = {
    'referrals': {'received': 3, 'by_source': {'bti': 1, 'plo': 1, 'application': 1}},
    'decisions': {'made': 3, 'by_outcome': {'granted': 2, 'denied': 1},
                  'by_item': {'coordinator': {'granted': 2, 'denied': 0},
                              'ip': {'granted': 1, 'denied': 0},
                              'child': {'granted': 0, 'denied': 1}}},
    'coordinators': {'running': 2, 'appointed': 2, 'changed': 0, 'stand_ins': 0},
    'cases': {'active': 2},
    'plans': {'started': 1, 'adopted': 0, 'evaluated': 0, 'overdue': 0},
    'preliminary_replies': {'sent': 1},
    'appeals': {'received': 1, 'forwarded': 1, 'reversed': 0, 'upheld': 0, 'quashed': 0},
    'escalations': {'received': 0},
    'gatherings': {'held': 1, 'attendances': 2, 'coordinators_attended': 2,
                   'by_kind': {'samling': 1, 'fagdag': 0, 'training': 0, 'guidance': 0},
                   'attendances_by_kind': {'samling': 2, 'fagdag': 0, 'training': 0, 'guidance': 0}},
    # received->decided: 14, 28 and 40 days; decided->coordinator: 23 and 10 days
    'median_days': {'received_to_decided': 28, 'decided_to_coordinator': 16.5},
    # the caseload concentration of report coordinators (SPEC section 8)
    'concentration': {'coordinator_count': 2, 'median': 1, 'max': 1, 'busiest_fifth_share': 0.5},
}


def snapshot(t, key, build):
    """t.snapshot(key, build), built by one worker while the others wait
    for it rather than build it too."""
    if fixture.CACHE is None:
        return t.snapshot(key, build)
    with open(os.path.join(fixture.CACHE, key + '.lock'), 'w') as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return t.snapshot(key, build)


def _refer(t, source, requests, date, *extra):
    return int(t.ok('referral', 'add', '--name', story._next_name(t), '--source', source,
                    '--requests', requests, '--date', date, *extra))


def _build(t):
    story.base(t)
    # A: bti, coordinator and ip granted, a barnekoordinator denied, K1 appointed, appeal
    # forwarded, a plan (which needs the granted ip)
    a = int(t.ok('referral', 'add', '--name', NAME_A, '--nin', NIN_A, '--source', 'bti',
                 '--requests', 'coordinator,ip,child', '--date', A_RECEIVED))
    t.ok('ke', 'decide', str(a), '--grant', '--unit', UNIT, '--covers', 'coordinator,ip',
         '--date', A_GRANTED, '--notified', A_GRANTED)
    d2 = t.ok('ke', 'decide', str(a), '--deny', '--reason', REASON, '--covers', 'child',
              '--date', A_DENIED, '--notified', A_DENIED).strip()
    t.ok('coordinator', 'assign', str(a), '--coordinator', K1, '--date', A_ASSIGNED,
         '--confirmed', A_ASSIGNED)
    t.ok('ke', 'appeal', str(a), '--decision', d2, '--date', '2026-03-12')
    t.ok('ke', 'appeal-forward', str(a), '--decision', d2, '--date', '2026-03-20')
    t.ok('consent', 'give', str(a), '--scope', 'plan', '--by', 'user', '--parties', 'all',
         '--date', '2026-03-11')
    t.ok('plan', 'start', str(a), '--date', '2026-03-15')
    # B: plo, granted, K2 appointed, closed after the period
    b = _refer(t, 'plo', 'coordinator', B_RECEIVED)
    t.ok('ke', 'decide', str(b), '--grant', '--unit', UNIT, '--date', B_GRANTED,
         '--notified', B_GRANTED)
    t.ok('coordinator', 'assign', str(b), '--coordinator', K2, '--date', B_ASSIGNED)
    t.ok('case', 'close', str(b), '--cause', 'need-ended', '--date', B_CLOSED)
    # C: application, a preliminary reply in H1, denied in H2
    c = _refer(t, 'application', 'ip', C_RECEIVED)
    t.ok('ke', 'reply', str(c), '--date', C_REPLIED)
    t.ok('ke', 'decide', str(c), '--deny', '--reason', REASON, '--date', C_DENIED,
         '--notified', C_DENIED)
    # D: bti in H2, undecided
    _refer(t, 'bti', 'coordinator', D_RECEIVED)
    # a samling in H1 (K1, K2) and a fagdag in H2 (K1)
    g1 = t.ok('gathering', 'add', '--kind', 'samling', '--date', '2026-05-20').strip()
    t.ok('gathering', 'attend', g1, '--coordinator', K1, '--coordinator', K2)
    g2 = t.ok('gathering', 'add', '--kind', 'fagdag', '--date', '2026-09-10').strip()
    t.ok('gathering', 'attend', g2, '--coordinator', K1)
    assert (a, b, c) == (1, 2, 3)


def built(t):
    snapshot(t, 'report-story', _build)


def semi(t, *args):
    return t.json('report', 'semiannual', *args)


def figures(report):
    """The report without its period."""
    return {k: v for k, v in report.items() if k != 'period'}


def flat(obj, path=''):
    """{section.metric...: value} of the leaves of a report object."""
    out = {}
    for k, v in obj.items():
        p = f'{path}.{k}' if path else k
        if isinstance(v, dict):
            out.update(flat(v, p))
        else:
            out[p] = v
    return out


def refused(t, code, *args):
    """A report refused with exit code (reports write nothing, so this is
    lighter than t.fails, which compares the database)."""
    r = t.run(*args)
    assert (r.rc, r.out) == (code, ''), f'{args}: exit {r.rc}, expected {code}: {r.err.strip()}'
    assert r.err.startswith('bti: error: '), (args, r.err)
    return r


def csv_rows(text):
    return list(csv.reader(io.StringIO(text)))


# ---- periods ---------------------------------------------------------------------------------

def test_period_h1_h2_and_year(t):
    built(t)
    for period, want in (('2026H1', ('2026-01-01', '2026-06-30')),
                         ('2026H2', ('2026-07-01', '2026-12-31')),
                         ('2026', ('2026-01-01', '2026-12-31'))):
        r = semi(t, '--period', period)
        assert (r['period']['from'], r['period']['to']) == want, (period, r['period'])
    assert semi(t, '--period', '2026H1')['referrals']['received'] == 3
    assert semi(t, '--period', '2026H2')['referrals']['received'] == 1
    assert semi(t, '--period', '2026')['referrals']['received'] == 4
    assert semi(t, '--period', '2025')['referrals']['received'] == 0


def test_from_and_to_are_inclusive(t):
    built(t)
    r = semi(t, '--from', A_RECEIVED, '--to', A_RECEIVED)
    assert (r['period']['from'], r['period']['to']) == (A_RECEIVED, A_RECEIVED), r['period']
    assert r['referrals']['received'] == 1, r['referrals']
    # B on the last day; none between A and B
    assert semi(t, '--from', '2026-02-02', '--to', B_RECEIVED)['referrals']['received'] == 1
    assert semi(t, '--from', '2026-02-02', '--to', '2026-02-28')['referrals']['received'] == 0
    r = semi(t, '--from', A_GRANTED, '--to', A_DENIED)
    assert r['decisions']['made'] == 2, r['decisions']
    assert semi(t, '--from', '01.02.2026', '--to', '30.04.2026')['referrals']['received'] == 2


def test_default_period_is_the_last_complete_half_year(t):
    built(t)
    for today, want in (('2026-06-01', ('2025-07-01', '2025-12-31')),
                        ('2026-06-30', ('2025-07-01', '2025-12-31')),
                        ('2026-07-01', ('2026-01-01', '2026-06-30')),
                        ('2026-12-01', ('2026-01-01', '2026-06-30')),
                        ('2027-01-01', ('2026-07-01', '2026-12-31'))):
        r = semi(t, '--today', today)
        assert (r['period']['from'], r['period']['to']) == want, (today, r['period'])
    assert figures(semi(t, '--today', '2026-12-01')) == H1
    r = t.json('report', 'coordinators', '--today', '2026-06-01')
    assert (r['period']['from'], r['period']['to']) == ('2025-07-01', '2025-12-31'), r


def test_default_period_of_the_decisions_report(t):
    built(t)
    got = [d['decided'] for d in t.json('--today', '2026-12-01', 'report', 'decisions')]
    assert got == [A_GRANTED, A_DENIED, B_GRANTED], got
    assert t.json('--today', '2026-06-01', 'report', 'decisions') == []


def test_bad_period_exit_4(t):
    built(t)
    for bad in ('2026H3', '2026H0', '26H1', '2026h1', '2026-H1', 'H1', '2026H1x', '', 'abcd',
                '2026H12', '+202H1', ' 202H1'):
        refused(t, 4, 'report', 'semiannual', '--period', bad)
    for cmd in ('coordinators', 'decisions'):
        t.fails(4, 'report', cmd, '--period', '2026H3')


def test_bad_dates_of_a_period_exit_4(t):
    built(t)
    t.fails(4, 'report', 'semiannual', '--from', '2026-02-30', '--to', '2026-06-30')
    refused(t, 4, 'report', 'semiannual', '--from', '2026-01-01', '--to', 'juni')
    refused(t, 4, 'report', 'coordinators', '--from', '2026-07-01', '--to', '2026-06-30')


def test_from_without_to_and_period_with_from_exit_2(t):
    built(t)
    t.fails(2, 'report', 'semiannual', '--from', '2026-01-01')
    for cmd in ('semiannual', 'coordinators', 'decisions'):
        refused(t, 2, 'report', cmd, '--from', '2026-01-01')
        refused(t, 2, 'report', cmd, '--to', '2026-06-30')
        refused(t, 2, 'report', cmd, '--period', '2026H1', '--from', '2026-01-01', '--to',
                '2026-06-30')
        refused(t, 2, 'report', cmd, '--period')
    refused(t, 2, 'report', 'overview', '--period', '2026H1')


# ---- semiannual ------------------------------------------------------------------------------

def test_semiannual_h1_figures(t):
    built(t)
    r = semi(t, '--period', '2026H1')
    assert r['period'] == {'from': '2026-01-01', 'to': '2026-06-30'}, r['period']
    for section, want in H1.items():
        assert r[section] == want, (section, r[section], want)
    assert set(r) == set(H1) | {'period'}, sorted(r)


def test_semiannual_h2_figures(t):
    built(t)
    r = semi(t, '--period', '2026H2')
    assert r['referrals'] == {'received': 1, 'by_source': {'bti': 1, 'plo': 0, 'application': 0}}, r
    assert (r['decisions']['made'], r['decisions']['by_outcome'],
            r['decisions']['by_item']['ip']) == (1, {'granted': 0, 'denied': 1},
                                                 {'granted': 0, 'denied': 1}), r['decisions']
    # as of 31 December: K1 still coordinates A; B was closed in August
    assert r['coordinators'] == {'running': 1, 'appointed': 0, 'changed': 0, 'stand_ins': 0}, \
        r['coordinators']
    assert r['cases'] == {'active': 1}, r['cases']
    assert r['preliminary_replies'] == {'sent': 0}
    assert r['appeals']['received'] == 0
    assert r['gatherings'] == {'held': 1, 'attendances': 1, 'coordinators_attended': 1,
                               'by_kind': {'samling': 0, 'fagdag': 1, 'training': 0, 'guidance': 0},
                               'attendances_by_kind': {'samling': 0, 'fagdag': 1, 'training': 0, 'guidance': 0}}, r['gatherings']
    assert r['median_days'] == {'received_to_decided': 70, 'decided_to_coordinator': None}, r


def test_semiannual_whole_year(t):
    built(t)
    r = semi(t, '--period', '2026')
    assert r['referrals']['received'] == 4 and r['decisions']['made'] == 4, r
    assert r['gatherings'] == {'held': 2, 'attendances': 3, 'coordinators_attended': 2,
                               'by_kind': {'samling': 1, 'fagdag': 1, 'training': 0, 'guidance': 0},
                               'attendances_by_kind': {'samling': 2, 'fagdag': 1, 'training': 0, 'guidance': 0}}, r
    assert r['cases']['active'] == 1 and r['coordinators']['running'] == 1, r
    assert r['median_days']['received_to_decided'] == 34, r   # 14, 28, 40, 70


def test_semiannual_counts_escalations_in_the_period(t):
    built(t)
    t.ok('ke', 'escalate', '1', '--note', 'Tjenestene blir ikke enige', '--date', '2026-06-30')
    t.ok('ke', 'escalate', '1', '--note', 'Fortsatt uenige', '--date', '2026-07-01')
    t.ok('ke', 'escalate', '4', '--note', 'Ny uenighet')
    assert semi(t, '--period', '2026H1')['escalations'] == {'received': 1}
    assert semi(t, '--period', '2026H2')['escalations'] == {'received': 2}
    assert semi(t, '--period', '2026H2', '--public')['escalations'] == {'received': '<5'}


def test_voided_decision_is_not_counted(t):
    built(t)
    d = int(t.ok('ke', 'decide', '4', '--grant', '--unit', UNIT, '--date', '2026-07-20',
                 '--notified', '2026-07-20'))
    assert semi(t, '--period', '2026H2')['decisions']['made'] == 2
    t.ok('ke', 'decide', '4', '--void', str(d), '--reason', 'Registrert i feil sak')
    r = semi(t, '--period', '2026H2')
    assert r['decisions']['made'] == 1 and r['decisions']['by_outcome']['granted'] == 0, r
    # the decisions report lists it, voided
    listed = [x for x in t.json('report', 'decisions', '--period', '2026H2') if x['decision_id'] == d]
    assert [(x['case_id'], x['voided']) for x in listed] == [(4, '2026-11-22')], listed


def test_state_figures_count_as_of_the_periods_last_day(t):
    built(t)
    # B was closed on 1 August: in H1 it still counts as an active case with K2 running
    r = semi(t, '--period', '2026H1')
    assert (r['cases']['active'], r['coordinators']['running']) == (2, 2), r
    # a period ending the day before B's close counts it; one ending on that day does not
    assert semi(t, '--from', '2026-07-01', '--to', '2026-07-31')['cases']['active'] == 2
    assert semi(t, '--from', '2026-07-01', '--to', B_CLOSED)['cases']['active'] == 1
    # a period ending before anyone was appointed
    r = semi(t, '--from', '2026-01-01', '--to', '2026-03-09')
    assert (r['cases']['active'], r['coordinators']['running']) == (0, 0), r


def test_rerun_later_gives_identical_figures(t):
    built(t)
    before = semi(t, '--period', '2026H1')
    # later work: A closed today, a new referral, an evaluation-free plan change
    t.ok('case', 'close', '1', '--cause', 'need-ended')
    _refer(t, 'plo', 'ip', '2026-11-01')
    t.ok('ke', 'reply', '4')
    for today in ('2026-12-01', '2027-03-01', '2031-06-30'):
        assert semi(t, '--today', today, '--period', '2026H1') == before, today
    assert figures(semi(t, '--today', '2026-12-01')) == H1


def test_plans_overdue_as_the_next_evaluation_stood_on_the_last_day(t):
    import test_due
    snapshot(t, 'due-plan-adopted', test_due._adopted)   # adopted today, next 2027-05-22

    def overdue(frm, to):
        r = semi(t, '--today', '2027-07-01', '--from', frm, '--to', to)
        return r['plans']['overdue'], r['plans']['evaluated']
    assert overdue('2027-01-01', '2027-05-22') == (0, 0)
    assert overdue('2027-01-01', '2027-05-31') == (1, 0)
    t.ok('--today', '2027-06-10', 'plan', 'evaluate', '1', '--note', 'Godt i gang')
    # evaluated on 10 June: the next evaluation moves to 10 December
    assert overdue('2027-01-01', '2027-06-30') == (0, 1)
    # as it stood on 31 May, the plan was overdue, and it still counts so
    assert overdue('2027-01-01', '2027-05-31') == (1, 0)
    assert semi(t, '--period', '2026H2')['plans']['adopted'] == 1


def test_semiannual_public_hides_counts_from_one_to_four(t):
    built(t)
    for _ in range(5):
        _refer(t, 'application', 'ip', '2026-09-01')
    r = semi(t, '--period', '2026H2', '--public')
    assert r['referrals'] == {'received': 6, 'by_source': {'bti': '<5', 'plo': 0, 'application': 5}}, r
    assert r['decisions']['made'] == '<5' and r['decisions']['by_outcome']['granted'] == 0, r
    assert r['cases']['active'] == '<5' and r['coordinators']['appointed'] == 0, r
    assert r['gatherings']['attendances'] == '<5', r
    # medians print as they are
    assert r['median_days']['received_to_decided'] == 70, r
    h1 = flat(figures(semi(t, '--period', '2026H1', '--public')))
    as_they_are = ('concentration.median', 'concentration.max', 'concentration.busiest_fifth_share')
    for key, value in flat(H1).items():
        counted = key.split('.')[0] != 'median_days' and key not in as_they_are
        want = '<5' if counted and 1 <= value <= 4 else value
        assert h1[key] == want, (key, h1[key], want)


def test_semiannual_public_csv_and_table(t):
    built(t)
    rows = csv_rows(t.ok('--csv', 'report', 'semiannual', '--period', '2026H1', '--public'))
    assert ['referrals', 'by_source.bti', '<5', '2026-01-01', '2026-06-30'] in rows, rows
    assert ['decisions', 'by_item.child.granted', '0', '2026-01-01', '2026-06-30'] in rows, rows
    out = t.ok('report', 'semiannual', '--period', '2026H1', '--public')
    assert '<5' in out and '28' in out, out


def test_semiannual_csv_is_the_long_form(t):
    built(t)
    rows = csv_rows(t.ok('--csv', 'report', 'semiannual', '--period', '2026H1'))
    assert rows[0] == ['section', 'metric', 'value', 'from', 'to'], rows[0]
    assert {(f, to) for *_, f, to in rows[1:]} == {('2026-01-01', '2026-06-30')}, rows
    got = {(s, m): v for s, m, v, _, _ in rows[1:]}
    assert len(got) == len(rows) - 1, 'a figure twice'
    want = {}
    for key, value in flat(H1).items():
        section, metric = key.split('.', 1)
        want[(section, metric)] = '' if value is None else f'{value:g}'
    assert got == want, (sorted(set(got.items()) ^ set(want.items())))
    assert ('referrals', 'by_source.bti') in got and ('median_days', 'decided_to_coordinator') in got
    assert not any(s == 'period' for s, _ in got), got


def test_semiannual_table_is_the_long_form(t):
    built(t)
    lines = t.ok('report', 'semiannual', '--period', '2026H1').splitlines()
    assert lines[0].split() == ['section', 'metric', 'value'], lines[0]
    assert ['referrals', 'by_source.plo', '1'] in [x.split() for x in lines], lines


def test_semiannual_writes_nothing_and_logs_no_access(t):
    built(t)
    before = t.dump()
    accesses = t.count('access')
    semi(t, '--period', '2026H1')
    t.ok('--csv', 'report', 'semiannual')
    assert t.dump() == before and t.count('access') == accesses


# ---- overview --------------------------------------------------------------------------------

def test_overview_lists_every_open_case_with_labels(t):
    built(t)
    rows = t.json('--pseudonymous', 'report', 'overview')
    assert [r['case_id'] for r in rows] == [1, 3, 4], rows
    a, c, d = rows
    assert (a['person'], a['nin'], a['status'], a['unit'], a['coordinator_id'], a['coordinator'],
            a['plan_status']) == ('1', None, 'active', UNIT, 1, K1, 'in_progress'), a
    assert (c['person'], c['status'], c['coordinator'], c['plan_status']) == \
        ('3', 'denied', None, None), c
    assert (d['person'], d['status'], d['unit']) == ('4', 'received', None), d
    assert [r['person_id'] for r in rows] == [None, None, None], rows
    out = t.ok('--pseudonymous', 'report', 'overview') + \
        t.ok('--pseudonymous', '--csv', 'report', 'overview')
    assert NAME_A not in out and NIN_A not in out and synth.masked(NIN_A) not in out, out
    assert 'Test Testesen' not in out, out


def test_overview_writes_no_access_row_when_pseudonymous(t):
    # issue 20: names (and an access row) for admin and caseworker logins
    built(t)
    n = t.count('access')
    t.ok('--pseudonymous', 'report', 'overview')
    t.json('--pseudonymous', 'report', 'overview')
    assert t.count('access') == n
    assert t.json('report', 'overview')[0]['person'] == NAME_A
    assert t.count('access') == n + 1


def test_overview_identify_names_people_and_is_logged(t):
    built(t)
    n = t.count('access')
    rows = t.json('--identify', 'report', 'overview')
    assert (rows[0]['person'], rows[0]['nin']) == (NAME_A, NIN_A), rows[0]
    assert rows[0]['person_id'] == t.one("SELECT person_id FROM ke_case WHERE id = 1"), rows[0]
    assert rows[1]['person'] == 'Test Testesen 3', rows[1]
    assert t.count('access') == n + 1
    row = t.sql('SELECT login, command, entity, what, rows, identify FROM access ORDER BY id DESC'
                ' LIMIT 1')[0]
    assert row == (t.login, 'report overview', 'ke_case', '1,3,4', 3, 1), row


def test_overview_identify_needs_admin_exit_8(t):
    built(t)
    for role, label in (('caseworker', NAME_A), ('report', '1')):
        t.write_sql(("UPDATE user SET role = ? WHERE login = ?", (role, t.login)))
        t.fails(8, '--identify', 'report', 'overview', private=[NAME_A, NIN_A])
        assert t.json('report', 'overview')[0]['person'] == label  # issue 20


def test_overview_of_an_empty_database(t):
    t.init()
    assert t.json('report', 'overview') == []
    assert t.ok('report', 'overview') == ''


def test_overview_child_coordinator(t):
    story.base(t)
    c = story.refer(t, 'child')
    story.grant(t, c)
    t.ok('coordinator', 'assign', str(c), '--coordinator', K3, '--child', '--date', '2026-10-25')
    [row] = t.json('report', 'overview')
    assert (row['coordinator'], row['child_coordinator_id'], row['child_coordinator']) == \
        (None, 3, K3), row


# ---- coordinators ----------------------------------------------------------------------------

def test_coordinators_h1_rows(t):
    built(t)
    r = t.json('report', 'coordinators', '--period', '2026H1')
    assert r['period'] == {'from': '2026-01-01', 'to': '2026-06-30'}, r
    got = [(k['coordinator_id'], k['coordinator'], k['unit'], k['running'], k['started_count'],
            k['ended_count'], k['gatherings']) for k in r['coordinators']]
    assert got == [(1, K1, UNIT, 1, 1, 0, 1), (2, K2, UNIT, 1, 1, 0, 1),
                   (3, K3, story.OTHER_UNIT, 0, 0, 0, 0)], got
    assert r['concentration'] == {'coordinator_count': 2, 'median': 1, 'max': 1,
                                  'busiest_fifth_share': 0.5}, r['concentration']


def test_coordinators_h2_rows(t):
    built(t)
    r = t.json('report', 'coordinators', '--period', '2026H2')
    got = {k['coordinator_id']: (k['running'], k['started_count'], k['ended_count'], k['gatherings'])
           for k in r['coordinators']}
    # K2's assignment ended when B was closed; gatherings count twelve months back
    assert got == {1: (1, 0, 0, 2), 2: (0, 0, 1, 1), 3: (0, 0, 0, 0)}, got
    assert r['concentration'] == {'coordinator_count': 1, 'median': 1, 'max': 1,
                                  'busiest_fifth_share': 1}, r['concentration']


def test_coordinators_concentration(t):
    story.base(t)
    # K1 holds three, K2 one and K3 one running assignment
    for k in (K1, K1, K1, K2, K3):
        story.active_case(t, coordinator=k)
    r = t.json('report', 'coordinators', '--period', '2026H2')
    assert [k['running'] for k in r['coordinators']] == [3, 1, 1], r
    assert r['concentration'] == {'coordinator_count': 3, 'median': 1, 'max': 3,
                                  'busiest_fifth_share': 0.6}, r['concentration']
    pub = t.json('report', 'coordinators', '--period', '2026H2', '--public')
    assert [k['running'] for k in pub['coordinators']] == ['<5', '<5', '<5'], pub
    assert pub['concentration']['max'] == 3, pub


def test_coordinators_without_any_assignment(t):
    story.base(t)
    r = t.json('report', 'coordinators', '--period', '2026H2')
    assert len(r['coordinators']) == 3
    assert r['concentration'] == {'coordinator_count': 0, 'median': None, 'max': None,
                                  'busiest_fifth_share': None}, r


def test_coordinators_retired_are_listed_while_they_ran_in_the_period(t):
    built(t)
    t.ok('coordinator', 'retire', K2)     # B's assignment ended on 1 August
    t.ok('coordinator', 'retire', K3)     # never appointed
    ids = {p: [k['coordinator_id'] for k in
               t.json('--today', '2027-07-01', 'report', 'coordinators', '--period', p)['coordinators']]
           for p in ('2026H1', '2026H2', '2027H1')}
    assert ids == {'2026H1': [1, 2], '2026H2': [1, 2], '2027H1': [1]}, ids


def test_coordinators_csv_is_the_coordinators_table(t):
    built(t)
    rows = csv_rows(t.ok('--csv', 'report', 'coordinators', '--period', '2026H1'))
    # each row carries the concentration and the period (SPEC sections 6 and 8)
    conc, period = ['1', '1', '0.5'], ['2026-01-01', '2026-06-30']
    assert rows == [
        ['coordinator_id', 'coordinator', 'unit_id', 'unit', 'running', 'started_count', 'ended_count',
         'gatherings', 'caseload_median', 'caseload_max', 'busiest_fifth_share', 'from', 'to'],
        ['1', K1, '1', UNIT, '1', '1', '0', '1'] + conc + period,
        ['2', K2, '1', UNIT, '1', '1', '0', '1'] + conc + period,
        ['3', K3, '2', story.OTHER_UNIT, '0', '0', '0', '0'] + conc + period,
    ], rows
    pub = csv_rows(t.ok('--csv', 'report', 'coordinators', '--period', '2026H1', '--public'))
    assert pub[1][4:8] == ['<5', '<5', '0', '<5'], pub


# ---- decisions -------------------------------------------------------------------------------

def test_decisions_of_the_period_with_days(t):
    built(t)
    rows = t.json('report', 'decisions', '--period', '2026H1')
    got = [(d['decision_id'], d['case_id'], d['items'], d['outcome'], d['received'], d['decided'],
            d['days']) for d in rows]
    assert got == [(1, 1, ['coordinator', 'ip'], 'granted', A_RECEIVED, A_GRANTED, 14),
                   (2, 1, ['child'], 'denied', A_RECEIVED, A_DENIED, 28),
                   (3, 2, ['coordinator'], 'granted', B_RECEIVED, B_GRANTED, 40)], got
    assert (rows[1]['appealed'], rows[1]['appeal_result']) == ('2026-03-12', None), rows[1]
    assert rows[0]['appealed'] is None and rows[0]['notified'] == A_GRANTED, rows[0]
    h2 = t.json('report', 'decisions', '--period', '2026H2')
    assert [(d['case_id'], d['days']) for d in h2] == [(3, 70)], h2
    assert t.json('report', 'decisions', '--from', A_DENIED, '--to', A_DENIED)[0]['decision_id'] == 2


def test_decisions_csv_header(t):
    built(t)
    rows = csv_rows(t.ok('--csv', 'report', 'decisions', '--period', '2026H1'))
    assert rows[0][:8] == ['decision_id', 'case_id', 'items', 'outcome', 'basis', 'received',
                           'decided', 'days'], rows[0]
    assert len(rows) == 4 and rows[2][7] == '28', rows
    # issue 20: the admin sees names; --pseudonymous the case id alone
    person = rows[0].index('person')
    assert rows[1][person] == NAME_A and rows[0][-2:] == ['from', 'to'], rows
    rows = csv_rows(t.ok('--pseudonymous', '--csv', 'report', 'decisions', '--period', '2026H1'))
    assert rows[1][person] == rows[1][1] and NAME_A not in json.dumps(rows), rows
