"""Cases never get stuck (SPEC section 3, issue 12): a new referral in every
open state, an upheld appeal that leaves items, plans on granted cases and
after ended ones, coordinator end and stand-ins, the due kinds that name
what is owed, a reopen that restores exactly what its close ended, and a
walk over every open state proving each has a way on that `due` names."""
import json
import os
import sqlite3

import schema5
import story
from fixture import TODAY, drop_db
from story import K1, K2, UNIT, DECIDED, ASSIGNED

LATER = '2026-11-10'


def due(t, *args):
    return t.json('due', *args)


def due_of(t, case, *args):
    """{kind: action} of the due rows of case."""
    return {r['kind']: r['action'] for r in due(t, *args) if r['case_id'] == case}


def items(t, case):
    """{item: status} as case show has them."""
    return {q['item']: q['status'] for q in story.show(t, case)['requests']}


def running(t, case):
    return [(a['coordinator_id'], a['temporary']) for a in story.show(t, case)['assignments']
            if a['end'] is None]


# ---- a new referral in every open state ---------------------------------------------------


def unnamed(row):
    """A due row without its person label (the name the login sees)."""
    return {k: v for k, v in row.items() if k != 'person'}

def test_referral_on_a_denied_case_makes_it_received(t):
    story.base(t)
    c = story.refer(t, 'coordinator')
    story.deny(t, c)
    assert story.status(t, c) == 'denied'
    r = t.run('referral', 'add', '--case', str(c), '--source', 'plo', '--requests', 'ip')
    assert r.rc == 0 and 'denied -> received' in r.err, r
    r = t.run('referral', 'add', '--case', str(c), '--source', 'plo', '--requests', 'child')
    assert r.rc == 0 and 'case 1: received;' in r.err, r
    assert story.status(t, c) == 'received'
    assert items(t, c) == {'coordinator': 'denied', 'ip': 'undecided', 'child': 'undecided'}


def test_referral_while_appealed_keeps_the_state_and_upheld_returns_to_received(t):
    story.base(t)
    c = story.refer(t, 'coordinator')
    d = story.deny(t, c, '--notified', DECIDED)
    story.appeal(t, c, d)
    story.forward(t, c)
    assert story.status(t, c) == 'appealed'
    t.ok('referral', 'add', '--case', str(c), '--source', 'plo', '--requests', 'ip')
    assert story.status(t, c) == 'appealed'
    assert items(t, c) == {'coordinator': 'denied', 'ip': 'undecided'}
    t.ok('ke', 'appeal-result', str(c), '--upheld', '--by', 'statsforvalteren')
    assert story.status(t, c) == 'received'     # the ip item is still undecided: not closed
    story.grant(t, c, covers='ip', date=TODAY)
    assert story.status(t, c) == 'granted'


def test_referral_on_a_closed_case_is_refused_exit_1(t):
    story.base(t)
    c = story.refer(t, 'coordinator')
    story.close(t, c)
    t.fails(1, 'referral', 'add', '--case', str(c), '--source', 'plo', '--requests', 'ip',
            err_contains=["'referral add --case' is not allowed for a case that is 'closed'",
                          'hint: a referral for a closed case opens a new one'])


# ---- plans ----------------------------------------------------------------------------------

def _granted_ip(t):
    """A case granted coordinator and ip, without a coordinator, with plan consent."""
    story.base(t)
    c = story.refer(t, 'coordinator,ip')
    story.grant(t, c)
    t.ok('consent', 'give', str(c), '--scope', 'plan', '--by', 'user', '--parties', 'all',
         '--date', DECIDED)
    return c


def test_plan_on_a_granted_case_without_coordinator_but_adoption_needs_one(t):
    c = _granted_ip(t)
    assert 'ip_not_started' in due_of(t, c)
    t.ok('plan', 'start', str(c), '--date', DECIDED)
    assert story.status(t, c) == 'granted' and 'ip_not_started' not in due_of(t, c)
    t.fails(1, 'plan', 'adopt', str(c), err_contains='who coordinates')


def test_ip_not_started_is_due_a_month_after_the_grant(t):
    c = _granted_ip(t)
    assert due_of(t, c, '--today', '2026-11-19').get('ip_not_started') is None
    # the weeks ahead: --within lists it before it falls due, with its date
    ahead = [r['due'] for r in due(t, '--today', '2026-11-19', '--within', '1')
             if r['case_id'] == c and r['kind'] == 'ip_not_started']
    assert ahead == ['2026-11-20'], ahead
    row = [unnamed(r) for r in due(t) if r['case_id'] == c and r['kind'] == 'ip_not_started']
    assert row == [{'case_id': c, 'kind': 'ip_not_started', 'since': DECIDED,
                    'due': '2026-11-20', 'action': f'bti plan start {c}'}], row


def test_a_new_plan_after_an_ended_one_keeps_the_first_in_the_history(t):
    c = _granted_ip(t)
    t.ok('plan', 'start', str(c), '--ref', 'SamPro-1', '--date', DECIDED)
    t.fails(1, 'plan', 'start', str(c), err_contains='has a plan already')
    t.ok('plan', 'end', str(c), '--reason', 'Planen var feil oppsatt', '--date', LATER)
    assert items(t, c)['ip'] == 'granted'
    assert 'ip_not_started' in due_of(t, c)
    t.ok('plan', 'start', str(c), '--ref', 'SamPro-2')
    s = story.show(t, c)
    assert s['plan']['ref'] == 'SamPro-2' and s['plan']['status'] == 'in_progress', s['plan']
    started = [h['detail'] for h in s['history'] if h['event'] == 'plan_started']
    assert started == ['SamPro-1', 'SamPro-2'], started
    assert t.one('SELECT count(*) FROM plan WHERE case_id = ?', (c,)) == 2


def test_plan_end_need_ended_ends_the_ip_item(t):
    c = _granted_ip(t)
    t.ok('plan', 'start', str(c), '--date', DECIDED)
    t.ok('plan', 'end', str(c), '--reason', 'Behovet er over', '--need-ended')
    assert items(t, c)['ip'] == 'ended'
    assert 'ip_not_started' not in due_of(t, c)
    t.fails(1, 'plan', 'start', str(c), err_contains="the 'ip' item of case 1 has ended")


# ---- coordinator end ----------------------------------------------------------------------

def _active(t, requests='coordinator'):
    story.base(t)
    c = story.refer(t, requests)
    story.grant(t, c)
    story.assign(t, c, K1, '--confirmed', ASSIGNED)
    return c


def test_coordinator_end_ends_the_item_and_due_asks_to_close(t):
    c = _active(t)
    r = t.run('coordinator', 'end', str(c), '--reason', 'Enheten melder at behovet er over',
              '--date', LATER)
    assert r.rc == 0 and 'active -> granted' in r.err, r
    assert items(t, c) == {'coordinator': 'ended'}
    a = story.show(t, c)['assignments'][0]
    assert (a['end'], a['need_ended']) == (LATER, True), a
    kinds = due_of(t, c)
    assert kinds.get('nothing_open') == f'bti case close {c} --cause need-ended', kinds
    assert 'no_coordinator' not in kinds
    t.ok('case', 'close', str(c), '--cause', 'need-ended')
    assert due_of(t, c) == {}


def test_coordinator_end_need_continues_asks_for_a_new_coordinator(t):
    c = _active(t)
    t.ok('coordinator', 'end', str(c), '--reason', 'Koordinator sluttet', '--need-continues')
    assert items(t, c) == {'coordinator': 'granted'}
    assert story.status(t, c) == 'granted'
    kinds = due_of(t, c)
    assert kinds.get('no_coordinator') == f'bti coordinator assign {c} --coordinator C', kinds
    assert 'nothing_open' not in kinds
    story.assign(t, c, K2, date=TODAY)
    assert story.status(t, c) == 'active' and 'no_coordinator' not in due_of(t, c)


def test_coordinator_end_keeps_the_case_active_while_another_runs(t):
    story.base(t)
    c = story.refer(t, 'coordinator,child')
    story.grant(t, c)
    story.assign(t, c, K1)
    story.assign(t, c, K2, '--child')
    t.ok('coordinator', 'end', str(c), '--child', '--reason', 'Barnet er fylt 18 år')
    assert story.status(t, c) == 'active'
    assert items(t, c) == {'coordinator': 'granted', 'child': 'ended'}


def test_coordinator_end_refusals(t):
    c = _active(t)
    t.fails(2, 'coordinator', 'end', str(c), err_contains="'coordinator end' needs --reason")
    t.fails(1, 'coordinator', 'end', str(c), '--child', '--reason', 'Ferdig',
            err_contains='case 1 has no running barnekoordinator')
    t.fails(1, 'coordinator', 'end', str(c), '--temporary', '--reason', 'Ferdig',
            err_contains='case 1 has no running coordinator stand-in')
    t.fails(2, 'coordinator', 'end', str(c), '--temporary', '--need-continues', '--reason', 'X',
            err_contains='--need-continues is for a regular assignment')
    t.fails(4, 'coordinator', 'end', str(c), '--reason', 'Ferdig', '--date', '2026-10-01',
            err_contains='--date')
    t.fails(3, 'coordinator', 'end', '42', '--reason', 'Ferdig', err_contains='no case 42')
    g = story.refer(t, 'coordinator')
    story.grant(t, g)
    t.fails(1, 'coordinator', 'end', str(g), '--reason', 'Ferdig',
            err_contains=["'coordinator end' is not allowed for a case that is 'granted'",
                          'allowed:'])


# ---- stand-ins ----------------------------------------------------------------------------

def _stand_in(t, until='2026-12-01'):
    c = _active(t)
    r = t.run('coordinator', 'assign', str(c), '--coordinator', K2, '--temporary', '--until',
              until, '--reason', 'Koordinator i foreldrepermisjon', '--date', LATER)
    assert r.rc == 0 and 'pauses' in r.err, r
    return c


def test_stand_in_pauses_the_regular_one_which_resumes(t):
    c = _stand_in(t)
    assert sorted(running(t, c)) == [(1, False), (2, True)]
    a = story.show(t, c)['assignments'][1]
    assert (a['until'], a['reason']) == ('2026-12-01', 'Koordinator i foreldrepermisjon'), a
    over = t.json('report', 'overview')
    assert [o['coordinator'] for o in over if o['case_id'] == c] == [K1], over
    t.fails(1, 'coordinator', 'end', str(c), '--reason', 'Ferdig',
            err_contains=['a stand-in, assignment 2, runs beside the coordinator of case 1',
                          'hint: end it first'])
    t.ok('coordinator', 'end', str(c), '--temporary', '--reason', 'Koordinator er tilbake')
    assert running(t, c) == [(1, False)] and story.status(t, c) == 'active'
    assert items(t, c) == {'coordinator': 'granted'}


def test_stand_in_overdue_is_due_after_its_planned_end(t):
    c = _stand_in(t, until='2026-11-20')
    ahead = [r['due'] for r in due(t, '--today', '2026-11-18', '--within', '2')
             if r['kind'] == 'stand_in_overdue']
    assert ahead == ['2026-11-20'], ahead   # --within: the planned end ahead
    rows = [unnamed(r) for r in due(t) if r['kind'] == 'stand_in_overdue']
    assert rows == [{'case_id': c, 'kind': 'stand_in_overdue', 'since': '2026-11-20',
                     'due': '2026-11-20',
                     'action': f'bti coordinator end {c} --temporary --reason TEXT'}], rows
    t.ok('coordinator', 'end', str(c), '--temporary', '--reason', 'Tilbake')
    assert 'stand_in_overdue' not in due_of(t, c)


def test_stand_in_refusals(t):
    c = _active(t)
    args = ('coordinator', 'assign', str(c), '--coordinator', K2, '--temporary')
    t.fails(2, *args, '--reason', 'Permisjon', err_contains='a stand-in needs --until DATE')
    t.fails(2, *args, '--until', '2026-12-01', err_contains=['needs a reason', 'with --reason TEXT'])
    t.fails(4, *args, '--until', '2026-11-01', '--reason', 'Permisjon',
            err_contains='--until 2026-11-01 lies before the stand-in starts')
    t.fails(2, 'coordinator', 'assign', str(c), '--coordinator', K2, '--until', '2026-12-01',
            '--reason', 'Bytte', err_contains='--until goes with --temporary')
    t.fails(1, *args, '--child', '--until', '2026-12-01', '--reason', 'Permisjon',
            err_contains='case 1 has no running barnekoordinator to stand in for')
    t.ok(*args, '--until', '2026-12-01', '--reason', 'Permisjon')
    t.fails(1, 'coordinator', 'assign', str(c), '--coordinator', story.K3, '--temporary',
            '--until', '2026-12-01', '--reason', 'Permisjon',
            err_contains='case 1 has a running stand-in already, assignment 2')
    g = story.refer(t, 'coordinator')
    story.grant(t, g)
    t.fails(1, 'coordinator', 'assign', str(g), '--coordinator', K2, '--temporary', '--until',
            '2026-12-01', '--reason', 'Permisjon',
            err_contains="'coordinator assign --temporary' is not allowed for a case that is "
                         "'granted'")


def test_semiannual_counts_changes_and_stand_ins_apart(t):
    story.base(t)
    c = story.refer(t, 'coordinator', date='2026-07-01')
    story.grant(t, c, date='2026-07-10')
    story.assign(t, c, K1, date='2026-07-20')                         # 10 days: first
    story.assign(t, c, K2, '--reason', 'Brukeren ba om bytte', date='2026-08-20')   # a change
    t.ok('coordinator', 'assign', str(c), '--coordinator', story.K3, '--temporary', '--until',
         '2026-10-01', '--reason', 'Permisjon', '--date', '2026-09-01')
    t.ok('coordinator', 'end', str(c), '--temporary', '--reason', 'Tilbake', '--date',
         '2026-10-01')
    r = t.json('report', 'semiannual', '--period', '2026H2', '--today', '2027-01-02')
    assert {k: r['coordinators'][k] for k in ('appointed', 'changed', 'stand_ins')} == \
        {'appointed': 2, 'changed': 1, 'stand_ins': 1}, r['coordinators']
    assert r['median_days']['decided_to_coordinator'] == 10, r['median_days']


# ---- case reopen restores exactly what its close ended ----------------------------------------

def test_reopen_restores_the_stand_in_the_regular_one_and_the_plan(t):
    c = _stand_in(t)
    t.ok('consent', 'give', str(c), '--scope', 'plan', '--by', 'user', '--parties', 'all')
    t.ok('referral', 'add', '--case', str(c), '--source', 'plo', '--requests', 'ip',
         '--date', LATER)
    story.grant(t, c, covers='ip', date=LATER)
    t.ok('plan', 'start', str(c))
    story.close(t, c)
    assert running(t, c) == [] and story.show(t, c)['plan']['status'] == 'ended'
    t.ok('case', 'reopen', str(c), '--reason', 'Lukket ved en feil')
    assert sorted(running(t, c)) == [(1, False), (2, True)]
    assert story.show(t, c)['plan']['status'] == 'in_progress'
    assert t.one('SELECT count(*) FROM assignment WHERE closure_id IS NOT NULL') == 0


def test_reopen_leaves_a_change_made_that_day_with_the_same_words_ended(t):
    c = _active(t)
    story.assign(t, c, K2, '--reason', 'case closed', date=TODAY)   # the words a close writes
    story.close(t, c)
    t.ok('case', 'reopen', str(c), '--reason', 'Lukket ved en feil')
    assert running(t, c) == [(2, False)]


# ---- the schema ------------------------------------------------------------------------------

def test_a_schema_5_database_migrates_rows_and_all(t):
    c = _granted_ip(t)
    story.assign(t, c, K1)
    t.ok('plan', 'start', str(c), '--ref', 'SamPro-5')
    t.ok('plan', 'goal', str(c), 'Bo hjemme')
    before = {tb: t.sql(f'SELECT * FROM {tb} ORDER BY id') for tb in ('goal', 'assignment')}
    schema5.downgrade(t.db)
    assert t.one('PRAGMA user_version') == 5
    out = t.ok('doctor')
    assert 'FAIL' not in out, out
    assert t.one('PRAGMA user_version') > 5
    assert t.sql('SELECT * FROM goal ORDER BY id') == before['goal']
    assert [r[:13] for r in t.sql('SELECT * FROM assignment ORDER BY id')] == \
        [r[:13] for r in before['assignment']]
    assert story.show(t, c)['plan']['ref'] == 'SamPro-5'


def test_a_close_made_before_migration_9_reopens_by_its_date_and_words(t):
    c = _active(t)
    story.close(t, c)
    con = sqlite3.connect(t.db)   # as a close before migration 9 left it: no closure id
    con.execute('UPDATE assignment SET closure_id = NULL')
    con.commit()
    con.close()
    t.ok('case', 'reopen', str(c), '--reason', 'Lukket ved en feil')
    assert running(t, c) == [(1, False)]


def test_an_export_of_schema_5_restores_with_the_new_columns_at_their_defaults(t):
    _active(t)
    src = t.path('e.json')
    t.ok('--identify', 'export', src)
    with open(src, encoding='utf-8') as f:
        ls = f.read().split('\n')
    schema = t.one('PRAGMA user_version')
    ls[0] = ls[0].replace(f'"schema":{schema},', '"schema":5,')
    added = ('temporary', 'until', 'reason', 'need_ended', 'closure_id')
    for i, line in enumerate(ls):
        if line.startswith('{"id":') and '"coordinator_id"' in line and '"granted_on"' in line:
            row = json.loads(line.rstrip(','))
            row = {k: v for k, v in row.items() if k not in added}
            ls[i] = json.dumps(row, ensure_ascii=False, separators=(',', ':')) + \
                (',' if line.endswith(',') else '')
    old = t.path('v5.json')
    with open(old, 'w', encoding='utf-8') as f:
        f.write('\n'.join(ls))
    os.chmod(old, 0o600)
    db = t.path('r.db')
    t.ok('--db', db, 'restore', old)
    assert 'FAIL' not in t.ok('--db', db, 'doctor')
    con = sqlite3.connect(f'file:{db}?mode=ro', uri=True)
    try:
        assert con.execute('SELECT temporary, need_ended, closure_id FROM assignment').fetchall() \
            == [(0, 0, None)]
    finally:
        con.close()


# ---- every open state has a way on, and due names it ------------------------------------------

def _placeholders(action, t):
    """The due action as an argv, its placeholders filled in."""
    fill = {'C': K2, 'DATE': TODAY, 'TEXT': 'Registrert fra due', 'UNIT': UNIT,
            'REF': 'Referat-1', 'PARTIES': 'all'}
    return [fill.get(w, w) for w in action.split()[1:]]


def _ended(t):
    c = story.refer(t, 'coordinator')
    story.grant(t, c)
    story.assign(t, c, K1, '--confirmed', ASSIGNED)
    t.ok('coordinator', 'register', str(c), '--own-system', 'Visma Familia')
    t.ok('coordinator', 'end', str(c), '--reason', 'Behovet er over')
    return c


def _stood_in(t):
    c = story.refer(t, 'coordinator')
    story.grant(t, c, '--notified', DECIDED)
    story.assign(t, c, K1, '--confirmed', ASSIGNED)
    t.ok('coordinator', 'register', str(c), '--own-system', 'Visma Familia')
    t.ok('coordinator', 'assign', str(c), '--coordinator', K2, '--temporary', '--until',
         '2026-11-15', '--reason', 'Permisjon', '--date', '2026-11-01', '--confirmed',
         '2026-11-01')
    t.ok('coordinator', 'register', str(c), '--own-system', 'Visma Familia')
    return c


# each open state, as story.drive leaves it or as issue 12's steps do
WAYS = {
    'received': lambda t: story.drive(t, 'received')['case'],
    'review': lambda t: story.drive(t, 'review')['case'],
    'granted': lambda t: story.drive(t, 'granted')['case'],
    'denied': lambda t: story.drive(t, 'denied')['case'],
    'appealed': lambda t: story.drive(t, 'appealed')['case'],
    'active': lambda t: story.drive(t, 'active')['case'],
    'granted, every item ended': _ended,
    'active, a stand-in overdue': _stood_in,
}


def test_every_open_state_has_a_way_on_that_due_names(t):
    problems = []
    for name, build in WAYS.items():
        drop_db(t.db)
        story.base(t)
        c = build(t)
        state = story.status(t, c)
        rows = [r for r in due(t) if r['case_id'] == c]
        if not rows:
            problems.append(f'{name} ({state}): due names nothing')
            continue
        r = t.run(*_placeholders(rows[0]['action'], t))
        if r.rc != 0:
            problems.append(f'{name} ({state}): {rows[0]["action"]}: exit {r.rc}: {r.err.strip()}')
            continue
        after = [x for x in due(t) if x['case_id'] == c and x['kind'] == rows[0]['kind']]
        if after == rows[:1]:
            problems.append(f'{name} ({state}): {rows[0]["action"]} did not clear it')
    assert not problems, '\n'.join(problems)
