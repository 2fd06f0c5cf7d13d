"""bti due (SPEC sections 4, 6, 8; bti-due(1)): each kind appears when it
should, with its since, due and action, and goes when the action (or what
the manual says clears it) is recorded; the JSON shape; the order; --unit
and --coordinator; --check for cron; the report role."""
import fcntl
import os

import fixture
import story
from story import UNIT, OTHER_UNIT, K1, K3, MEETING, DECIDED, ASSIGNED

KEYS = ['case_id', 'kind', 'since', 'due', 'action', 'person']  # person: issue 20
TODAY = '2026-11-22'
PLAN_END = '2027-12-31'


def snapshot(t, key, build):
    """t.snapshot(key, build), built by one worker while the others wait
    for it rather than build it too."""
    if fixture.CACHE is None:
        return t.snapshot(key, build)
    with open(os.path.join(fixture.CACHE, key + '.lock'), 'w') as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return t.snapshot(key, build)


def due(t, *args):
    return t.json('due', *args)


def rows(t, kind, *args):
    """(case_id, since, due, action) of the rows of kind."""
    return [(r['case_id'], r['since'], r['due'], r['action']) for r in due(t, *args)
            if r['kind'] == kind]


def kinds(t, *args):
    return {(r['case_id'], r['kind']) for r in due(t, *args)}


def plan_gatherings(t):
    """The half-year's samling and the year's fagdag, planned (SPEC section 8)."""
    t.ok('gathering', 'add', '--kind', 'samling', '--date', '2026-12-03')
    t.ok('gathering', 'add', '--kind', 'fagdag', '--date', '2026-11-05')


def quiet(t):
    """A fresh database where nothing is due."""
    t.init()
    t.ok('ke', 'handbook', '--note', 'Revidert')
    t.ok('audit', 'reviewed')
    plan_gatherings(t)


# ---- shape -----------------------------------------------------------------------------------

def test_json_keys_exactly(t):
    story.base(t)
    story.refer(t, date='2026-09-01')
    got = due(t)
    assert got, got
    for r in got:
        assert list(r) == KEYS, r
        assert isinstance(r['kind'], str) and r['action'].startswith('bti '), r


def test_csv_has_the_same_columns(t):
    story.base(t)
    story.refer(t, date='2026-09-01')
    lines = t.ok('--csv', 'due', '--kind', 'preliminary_reply').splitlines()
    assert lines[0] == ','.join(KEYS), lines[0]
    assert lines[1] == '1,preliminary_reply,2026-09-01,2026-10-01,bti ke reply 1,Test Testesen 1', \
        lines


def test_nothing_due_is_an_empty_list(t):
    quiet(t)
    assert due(t) == []
    assert t.ok('due') == ''


# ---- preliminary reply -----------------------------------------------------------------------

def test_preliminary_reply_after_one_month_clamped(t):
    story.base(t)
    c = story.refer(t, date='2026-01-31')
    assert rows(t, 'preliminary_reply', '--today', '2026-02-27') == []
    want = [(c, '2026-01-31', '2026-02-28', f'bti ke reply {c}')]
    assert rows(t, 'preliminary_reply', '--today', '2026-02-28') == want
    assert rows(t, 'preliminary_reply') == want
    t.ok('ke', 'reply', str(c))
    assert rows(t, 'preliminary_reply') == []


def test_preliminary_reply_leap_year(t):
    story.base(t)
    c = story.refer(t, date='2024-01-31')
    assert rows(t, 'preliminary_reply', '--today', '2024-02-28') == []
    assert rows(t, 'preliminary_reply', '--today', '2024-02-29') == \
        [(c, '2024-01-31', '2024-02-29', f'bti ke reply {c}')]


def test_preliminary_reply_until_every_item_is_decided(t):
    story.base(t)
    c = story.refer(t, 'coordinator,ip', date='2026-09-15')
    assert [r[:3] for r in rows(t, 'preliminary_reply')] == [(c, '2026-09-15', '2026-10-15')]
    story.grant(t, c, covers='coordinator')
    assert len(rows(t, 'preliminary_reply')) == 1    # ip still undecided
    story.deny(t, c, covers='ip')
    assert rows(t, 'preliminary_reply') == []


def test_preliminary_reply_not_before_a_month(t):
    story.base(t)
    story.refer(t, date='2026-10-23')
    assert rows(t, 'preliminary_reply') == []
    assert len(rows(t, 'preliminary_reply', '--today', '2026-11-23')) == 1


# ---- decisions -------------------------------------------------------------------------------

def test_not_notified_until_notified(t):
    story.base(t)
    c = story.refer(t, 'coordinator,ip')
    d1 = story.grant(t, c, covers='coordinator')
    d2 = story.deny(t, c, covers='ip', date='2026-10-21')
    assert rows(t, 'not_notified') == [
        (c, DECIDED, DECIDED, f'bti ke notify {c} --decision {d1} --date DATE'),
        (c, '2026-10-21', '2026-10-21', f'bti ke notify {c} --decision {d2} --date DATE')]
    t.ok('ke', 'notify', str(c), '--decision', str(d1), '--date', '2026-10-22')
    assert [r[0] for r in rows(t, 'not_notified')] == [c]
    t.ok('ke', 'notify', str(c), '--decision', str(d2), '--date', '2026-10-22')
    assert rows(t, 'not_notified') == []


def test_notified_at_decision_is_not_listed(t):
    story.base(t)
    c = story.refer(t, 'ip')
    story.grant(t, c, '--notified', DECIDED)
    assert rows(t, 'not_notified') == []


def test_no_coordinator_until_assigned(t):
    story.base(t)
    c = story.refer(t, 'coordinator,child')
    story.grant(t, c, '--notified', DECIDED)
    assert rows(t, 'no_coordinator') == [
        (c, DECIDED, DECIDED, f'bti coordinator assign {c} --coordinator C'),
        (c, DECIDED, DECIDED, f'bti coordinator assign {c} --coordinator C --child')]
    story.assign(t, c, K1)
    assert [r[3] for r in rows(t, 'no_coordinator')] == \
        [f'bti coordinator assign {c} --coordinator C --child']
    t.ok('coordinator', 'assign', str(c), '--coordinator', K3, '--child', '--date', ASSIGNED)
    assert rows(t, 'no_coordinator') == []


def test_not_reported_and_not_registered_until_recorded(t):
    story.base(t)
    c, _ = story.active_case(t)
    assert rows(t, 'not_reported') == [(c, ASSIGNED, ASSIGNED, f'bti coordinator confirm {c}')]
    assert rows(t, 'not_registered') == \
        [(c, ASSIGNED, ASSIGNED, f'bti coordinator register {c} --date DATE')]
    t.ok('coordinator', 'confirm', str(c), '--date', '2026-10-26')
    assert rows(t, 'not_reported') == []
    assert len(rows(t, 'not_registered')) == 1
    t.ok('coordinator', 'register', str(c), '--date', '2026-10-27')
    assert rows(t, 'not_registered') == []


def test_not_registered_cleared_by_own_system_and_child_actions(t):
    story.base(t)
    c = story.refer(t, 'child')
    story.grant(t, c, '--notified', DECIDED)
    t.ok('coordinator', 'assign', str(c), '--coordinator', K3, '--child', '--date', ASSIGNED)
    assert rows(t, 'not_reported')[0][3] == f'bti coordinator confirm {c} --child'
    assert rows(t, 'not_registered')[0][3] == f'bti coordinator register {c} --child --date DATE'
    t.ok('coordinator', 'register', str(c), '--child', '--own-system', 'SamPro')
    t.ok('coordinator', 'confirm', str(c), '--child')
    assert rows(t, 'not_registered') == [] and rows(t, 'not_reported') == []


def test_no_journal_note_cleared_by_ke_journal(t):
    story.base(t)
    c = story.refer(t)
    t.ok('consent', 'give', str(c), '--scope', 'exchange', '--by', 'user', '--parties', 'KE',
         '--date', story.RECEIVED)
    r = int(t.ok('ke', 'review', str(c), '--meeting', '1', '--note', story.NOTE))
    assert rows(t, 'no_journal_note') == [(c, MEETING, MEETING, f'bti ke journal {r} --date DATE')]
    t.ok('ke', 'journal', str(r), '--date', '2026-10-16')
    assert rows(t, 'no_journal_note') == []


def test_no_journal_note_only_for_identified_reviews(t):
    # an anonymous review names no one whose journal could hold the note (SPEC section 8)
    story.base(t)
    c = story.refer(t)
    story.review(t, c)
    assert rows(t, 'no_journal_note') == []


# ---- appeals ---------------------------------------------------------------------------------

def test_appeal_deadline_passed_then_closed(t):
    story.base(t)
    c = story.refer(t, 'ip')
    story.deny(t, c, '--notified', DECIDED)
    deadline = story.show(t, c)['decisions'][0]['appeal_deadline']
    assert deadline == '2026-11-17', deadline    # four weeks from Tuesday 20 October
    assert rows(t, 'appeal_deadline_passed', '--today', deadline) == []
    want = [(c, deadline, deadline, f'bti case close {c} --cause denied')]
    assert rows(t, 'appeal_deadline_passed', '--today', '2026-11-18') == want
    assert rows(t, 'appeal_deadline_passed') == want
    t.ok('case', 'close', str(c), '--cause', 'denied')
    assert rows(t, 'appeal_deadline_passed') == []
    assert (c, 'preliminary_reply') not in kinds(t)


def test_denial_not_notified_is_not_yet_to_close(t):
    story.base(t)
    c = story.refer(t, 'ip')
    story.deny(t, c)
    got = kinds(t, '--today', '2027-06-01')
    assert (c, 'not_notified') in got and (c, 'appeal_deadline_passed') not in got, got


def test_appeal_not_forwarded_then_awaiting_result(t):
    story.base(t)
    c = story.refer(t, 'ip')
    d = story.deny(t, c, '--notified', DECIDED)
    story.appeal(t, c, d)
    assert rows(t, 'appeal_not_forwarded') == \
        [(c, story.APPEALED, story.APPEALED, f'bti ke appeal-forward {c} --decision {d}')]
    assert rows(t, 'appeal_awaiting_result') == []
    t.ok('ke', 'appeal-forward', str(c), '--decision', str(d), '--date', '2026-10-30')
    assert rows(t, 'appeal_not_forwarded') == []
    assert rows(t, 'appeal_awaiting_result') == \
        [(c, '2026-10-30', '2026-10-30', f'bti ke appeal-result {c} --decision {d}')]
    t.ok('ke', 'appeal-result', str(c), '--decision', str(d), '--upheld')
    assert rows(t, 'appeal_awaiting_result') == []
    assert not [k for k in kinds(t) if k[0] == c], kinds(t)


def test_appeal_quashed_by_the_ke_clears_not_forwarded(t):
    story.base(t)
    c = story.refer(t, 'ip')
    d = story.deny(t, c, '--notified', DECIDED)
    story.appeal(t, c, d)
    t.ok('ke', 'appeal-result', str(c), '--decision', str(d), '--quashed', '--by', 'ke')
    assert rows(t, 'appeal_not_forwarded') == [] and rows(t, 'appeal_awaiting_result') == []


# ---- plans and groups -------------------------------------------------------------------------

def _plan(t):
    """An active case (1) with consent and a plan in progress."""
    story.base(t)
    c, _ = story.active_case(t, covers='coordinator,ip')
    t.ok('consent', 'give', str(c), '--scope', 'plan', '--by', 'user', '--parties', 'all',
         '--date', '2026-10-26')
    t.ok('consent', 'give', str(c), '--scope', 'exchange', '--by', 'user', '--parties', 'all',
         '--date', '2026-10-26')
    t.ok('plan', 'start', str(c))
    return c


def _adopted(t):
    c = _plan(t)
    for args in (('plan', 'goal', str(c), 'Gå på skolen hver dag'),
                 ('plan', 'goal', str(c), '--kind', 'resource', 'God støtte fra familien'),
                 ('plan', 'goal', str(c), '--kind', 'need', 'Hjelp til struktur'),
                 ('plan', 'contribution', str(c), '--by', 'user', 'Møter på avtalene'),
                 ('plan', 'contribution', str(c), '--by', 'provider', 'Fysioterapi'),
                 ('plan', 'measure', str(c), '--what', 'Praktisk bistand', '--responsible',
                  'Hjemmetjenesten', '--scope', 'To timer i uken', '--how', 'Hjemmebesøk',
                  '--unit', UNIT),
                 ('plan', 'cooperation', str(c), '--with', 'BUP', '--what', 'Oppfølging'),
                 ('group', 'add', str(c), '--name', 'Per Fiktivsen', '--role', 'lærer',
                  '--org', 'skole'),
                 ('plan', 'adopt', str(c), '--period-end', PLAN_END)):
        t.ok(*args)
    return c


def test_plan_overdue_until_evaluated(t):
    snapshot(t, 'due-plan-adopted', _adopted)
    c = 1
    nxt = t.json('plan', 'show', str(c))['next_evaluation']
    assert nxt == '2027-05-22', nxt
    assert rows(t, 'plan_overdue', '--today', nxt) == []
    assert rows(t, 'plan_overdue', '--today', '2027-05-23') == \
        [(c, nxt, nxt, f'bti plan evaluate {c}')]
    t.ok('--today', '2027-05-23', 'plan', 'evaluate', str(c), '--note', 'Godt i gang')
    assert rows(t, 'plan_overdue', '--today', '2027-05-23') == []
    assert rows(t, 'plan_overdue', '--today', '2027-11-24')[0][1] == '2027-11-23'


def test_plan_paused_until_consent_is_given_again(t):
    snapshot(t, 'due-plan-started', _plan)
    c = 1
    assert rows(t, 'plan_paused') == []
    t.ok('consent', 'withdraw', str(c), '--scope', 'plan', '--date', '2026-11-01')
    assert t.json('plan', 'show', str(c))['status'] == 'paused'
    assert rows(t, 'plan_paused') == [
        (c, '2026-11-01', TODAY, f'bti consent give {c} --scope plan --by user --parties PARTIES')]
    t.ok('consent', 'give', str(c), '--scope', 'plan', '--by', 'user', '--parties', 'all')
    assert rows(t, 'plan_paused') == []


def test_minutes_missing_until_recorded(t):
    snapshot(t, 'due-plan-started', _plan)
    c = 1
    m = int(t.ok('group', 'meeting', str(c), '--date', '2026-11-02', '--no-minutes'))
    assert rows(t, 'minutes_missing') == \
        [(c, '2026-11-02', '2026-11-02', f'bti group minutes {c} {m} --minutes REF')]
    t.ok('group', 'minutes', str(c), str(m), '--minutes', 'Referat-17')
    assert rows(t, 'minutes_missing') == []
    t.ok('group', 'meeting', str(c), '--minutes', 'Referat-18')
    assert rows(t, 'minutes_missing') == []


# ---- ages ------------------------------------------------------------------------------------

def _child_case(t, born):
    c = int(t.ok('referral', 'add', '--name', story._next_name(t), '--born', born, '--source',
                 'bti', '--requests', 'child', '--date', story.RECEIVED))
    story.grant(t, c, '--notified', DECIDED)
    t.ok('coordinator', 'assign', str(c), '--coordinator', K3, '--child', '--date', ASSIGNED,
         '--confirmed', ASSIGNED)
    t.ok('coordinator', 'register', str(c), '--child', '--own-system', 'SamPro')
    return c


def test_child_turned_18(t):
    story.base(t)
    c = _child_case(t, '2008-11-01')
    young = _child_case(t, '2008-11-23')
    assert rows(t, 'child_turned_18') == \
        [(c, '2026-11-01', '2026-11-01', f'bti coordinator end {c} --child --reason TEXT')]
    assert [r[0] for r in rows(t, 'child_turned_18', '--today', '2026-11-23')] == [c, young]
    # the action it prints clears it (SPEC section 8)
    t.ok('coordinator', 'end', str(c), '--child', '--reason', 'Barnet er fylt 18 år')
    assert rows(t, 'child_turned_18') == []
    # ... and closing the case clears it too
    t.ok('case', 'close', str(young), '--cause', 'need-ended')
    assert rows(t, 'child_turned_18', '--today', '2026-11-23') == []


def test_child_turned_18_born_29_february(t):
    story.base(t)
    c = _child_case(t, '2008-02-29')
    assert rows(t, 'child_turned_18', '--today', '2026-02-27') == []
    assert rows(t, 'child_turned_18', '--today', '2026-02-28')[0][:3] == \
        (c, '2026-02-28', '2026-02-28')


def _guardian_case(t, born):
    p = int(t.ok('person', 'add', '--name', story._next_name(t), '--born', born))
    r = t.ok('person', 'relative', 'add', str(p), '--name', 'Mor Testesen', '--relation', 'mor',
             '--may-consent').strip()
    c = int(t.ok('referral', 'add', '--person', str(p), '--source', 'application', '--requests',
                 'ip', '--date', story.RECEIVED))
    t.ok('ke', 'reply', str(c))
    k = int(t.ok('consent', 'give', str(c), '--scope', 'exchange', '--by', 'guardian',
                 '--relative', r, '--parties', 'KE,skole', '--date', '2026-10-02'))
    return c, k


def test_guardian_consent_16(t):
    story.base(t)
    c, k = _guardian_case(t, '2010-05-05')
    young, _ = _guardian_case(t, '2010-11-23')
    assert rows(t, 'guardian_consent_16') == [
        (c, '2026-05-05', '2026-05-05',
         f'bti consent give {c} --scope exchange --by user --parties KE,skole')]
    assert [r[0] for r in rows(t, 'guardian_consent_16', '--today', '2026-11-23')] == [c, young]
    # the row goes when the guardian's consent is withdrawn ...
    t.ok('consent', 'withdraw', str(c), '--scope', 'exchange', '--consent', str(k))
    assert rows(t, 'guardian_consent_16') == []


def test_guardian_consent_16_cleared_by_the_users_own_consent(t):
    story.base(t)
    c, k = _guardian_case(t, '2010-05-05')
    # ... or when the user, now 16, gives their own consent of that scope (the action)
    t.ok('consent', 'give', str(c), '--scope', 'plan', '--by', 'user', '--parties', 'all')
    assert [r[0] for r in rows(t, 'guardian_consent_16')] == [c]
    t.ok('consent', 'give', str(c), '--scope', 'exchange', '--by', 'user', '--parties', 'KE,skole',
         '--date', '2026-05-04')
    assert [r[0] for r in rows(t, 'guardian_consent_16')] == [c]   # given before 16: not theirs alone
    u = int(t.ok('consent', 'give', str(c), '--scope', 'exchange', '--by', 'user', '--parties',
                 'KE,skole'))
    assert rows(t, 'guardian_consent_16') == []
    t.ok('consent', 'withdraw', str(c), '--scope', 'exchange', '--consent', str(u))
    assert [r[0] for r in rows(t, 'guardian_consent_16')] == [c]


# ---- coordinators, the handbook, the access log, retention ------------------------------------

def test_coordinator_no_gathering_until_attended(t):
    story.base(t)
    story.active_case(t)
    assert rows(t, 'coordinator_no_gathering') == \
        [(None, ASSIGNED, TODAY, 'bti gathering attend GATHERING --coordinator 1')]
    g = t.ok('gathering', 'add', '--kind', 'samling', '--date', '2026-11-02').strip()
    t.ok('gathering', 'attend', g, '--coordinator', K1)
    assert rows(t, 'coordinator_no_gathering') == []
    assert rows(t, 'coordinator_no_gathering', '--today', '2027-11-01') == []
    assert rows(t, 'coordinator_no_gathering', '--today', '2027-11-02') == \
        [(None, '2027-11-02', '2027-11-02', 'bti gathering attend GATHERING --coordinator 1')]


def test_coordinator_without_assignment_needs_no_gathering(t):
    story.base(t)
    assert rows(t, 'coordinator_no_gathering') == []


def test_handbook_stale(t):
    t.init()
    assert rows(t, 'handbook_stale') == [(None, None, TODAY, 'bti ke handbook --note TEXT')]
    t.ok('ke', 'handbook', '--note', 'Ny versjon', '--date', '2026-01-10')
    assert rows(t, 'handbook_stale') == []
    assert rows(t, 'handbook_stale', '--today', '2027-01-09') == []
    assert rows(t, 'handbook_stale', '--today', '2027-01-10') == \
        [(None, '2027-01-10', '2027-01-10', 'bti ke handbook --note TEXT')]


def test_access_log_review(t):
    t.init()
    assert rows(t, 'access_log_review') == [(None, None, TODAY, 'bti audit reviewed')]
    t.ok('audit', 'reviewed', '--date', '2026-10-01')
    assert rows(t, 'access_log_review') == []
    assert rows(t, 'access_log_review', '--today', '2026-12-31') == []
    assert rows(t, 'access_log_review', '--today', '2027-01-01') == \
        [(None, '2027-01-01', '2027-01-01', 'bti audit reviewed')]


def _closed(t):
    story.base(t)
    c = story.refer(t, 'ip')
    story.deny(t, c, '--notified', DECIDED)
    story.close(t, c, 'denied')
    return c


def test_retention_passed_ten_years_after_closing(t):
    c = _closed(t)
    pid = story.show(t, c)['person_id']
    assert rows(t, 'retention_passed', '--today', '2036-11-21') == []
    assert rows(t, 'retention_passed', '--today', '2036-11-22') == \
        [(c, '2036-11-22', '2036-11-22', f'bti person erase {pid} --reason TEXT')]
    assert rows(t, 'retention_passed', '--today', '2040-01-01')[0][:3] == \
        (c, '2036-11-22', '2036-11-22')


def test_retention_passed_cleared_by_person_erase(t):
    c = _closed(t)
    pid = story.show(t, c)['person_id']
    t.ok('person', 'erase', str(pid), '--reason', 'Arkivplan: kassert', '--yes')
    assert rows(t, 'retention_passed', '--today', '2036-11-22') == [], \
        'the action of retention_passed (person erase) does not clear it'


# ---- order and filters -----------------------------------------------------------------------

def test_most_urgent_first(t):
    story.base(t)
    c1 = story.refer(t, date='2026-09-30')          # preliminary reply due 2026-10-30
    c2 = story.refer(t, 'ip', date='2026-01-31')     # due 2026-02-28
    c3 = story.refer(t, 'coordinator')
    story.grant(t, c3, date='2026-10-05')              # not notified, no coordinator 2026-10-05
    plan_gatherings(t)
    got = due(t)
    dues = [r['due'] for r in got]
    assert dues == sorted(dues), dues
    assert [(r['case_id'], r['kind']) for r in got[:4]] == [
        (c2, 'preliminary_reply'), (c3, 'no_coordinator'), (c3, 'not_notified'),
        (c1, 'preliminary_reply')], got
    # work due today comes last, after everything overdue
    assert [r['kind'] for r in got[4:]] == ['access_log_review', 'handbook_stale'], got


def _closed_on(t, day):
    """A case referred, denied and closed on day; its id."""
    c = story.refer(t, 'ip', date='2024-01-10')
    story.deny(t, c, '--notified', '2024-01-20', date='2024-01-20')
    t.ok('case', 'close', str(c), '--cause', 'other', '--date', day)
    return c


def test_retention_order_when_29_february_moves_to_the_28th(t):
    """Issue 19: the closed cases are read in closing order, not sorted;
    ten years on, a case closed on 29 February 2024 falls due on 28
    February 2034 beside one closed on the 28th, and still comes in case
    order."""
    story.base(t)
    leap = _closed_on(t, '2024-02-29')
    before = _closed_on(t, '2024-02-28')
    earlier = _closed_on(t, '2024-02-27')
    got = rows(t, 'retention_passed', '--today', '2034-03-01')
    assert [(r[0], r[2]) for r in got] == [
        (earlier, '2034-02-27'), (leap, '2034-02-28'), (before, '2034-02-28')], got


def test_retention_passed_names_its_persons(t):
    """Issue 19d: retention_passed names its persons from the names read
    in id order before the list (the cases come by closing day, the
    persons here in the other order), for every --within and --kind; the
    report role still sees the case ids."""
    story.base(t)
    names = ['Kari Nordfiktiv', 'Ola Sørfiktiv', 'Åse Vestfiktiv']
    cases = []
    for name, day in zip(names, ['2024-03-07', '2024-03-06', '2024-03-05']):
        c = story.refer(t, 'ip', date='2024-01-10', name=name)
        story.deny(t, c, '--notified', '2024-01-20', date='2024-01-20')
        t.ok('case', 'close', str(c), '--cause', 'other', '--date', day)
        cases.append(c)
    want = list(zip(reversed(cases), reversed(names)))
    for args in [(), ('--within', '30'), ('--kind', 'retention_passed')]:
        got = [(r['case_id'], r['person']) for r in due(t, '--today', '2034-03-10', *args)
               if r['kind'] == 'retention_passed']
        assert got == want, (args, got)
    assert [r['person'] for r in due(t, '--today', '2034-03-06')
            if r['kind'] == 'retention_passed'] == [names[2], names[1]]
    t.write_sql(("UPDATE user SET role = 'report' WHERE login = ?", (t.login,)))
    assert [r['person'] for r in due(t, '--today', '2034-03-10')
            if r['kind'] == 'retention_passed'] == [str(c) for c in reversed(cases)]


def test_order_holds_across_the_arms_read_in_index_order(t):
    """Issue 19: retention_passed, not_reported and not_registered come
    from indexes in their own order and are merged with the other kinds:
    the whole list is still by due date, case and kind."""
    story.base(t)
    closed = _closed_on(t, '2024-03-05')
    late = story.refer(t, 'coordinator', date='2026-09-01')   # preliminary reply 2026-10-01
    a, _ = story.active_case(t, requests='coordinator')        # assigned 2026-10-25
    b = story.refer(t, 'coordinator,child')
    story.grant(t, b, covers='coordinator,child', date='2026-10-02')
    story.assign(t, b, K3, date='2026-10-03')
    story.assign(t, b, K1, '--child', date='2026-10-03')
    got = due(t, '--today', '2034-03-10')
    keys = [(r['due'] is None, r['due'], r['case_id'] is None, r['case_id'] or 0, r['kind'])
            for r in got]
    assert keys == sorted(keys), got
    kinds_of = {(r['case_id'], r['kind']) for r in got}
    for k in [(closed, 'retention_passed'), (late, 'preliminary_reply'), (a, 'not_reported'),
              (b, 'not_reported'), (b, 'not_registered'), (b, 'not_notified')]:
        assert k in kinds_of, (k, got)
    # of one case's two appointments begun the same day, the one of the
    # lower coordinator id first (K1, the barnekoordinator), as the sort had them
    assert [r['action'] for r in got if r['case_id'] == b and r['kind'] == 'not_reported'] == \
        [f'bti coordinator confirm {b} --child', f'bti coordinator confirm {b}'], got


def test_unit_filter(t):
    story.base(t)
    a = story.refer(t, 'coordinator')
    story.grant(t, a, unit=UNIT)
    b = story.refer(t, 'coordinator')
    story.grant(t, b, unit=OTHER_UNIT)
    story.refer(t, 'ip', date='2026-09-01')     # no unit yet
    assert {r['case_id'] for r in due(t, '--unit', OTHER_UNIT)} == {b}
    assert {r['case_id'] for r in due(t, '--unit', '1')} == {a}
    t.fails(3, 'due', '--unit', 'Ukjent enhet')
    t.fails(2, 'due', '--unit')


def test_coordinator_filter(t):
    story.base(t)
    a, _ = story.active_case(t, requests='coordinator', coordinator=K1)
    b = story.refer(t, 'coordinator')
    story.grant(t, b, unit=OTHER_UNIT)
    story.assign(t, b, K3)
    c = story.refer(t, 'coordinator')
    story.grant(t, c)
    got = due(t, '--coordinator', K3)
    assert {r['case_id'] for r in got} == {b, None}, got
    assert {r['kind'] for r in got} == {'not_notified', 'not_reported', 'not_registered',
                                        'coordinator_no_gathering'}, got
    assert [r['action'] for r in got if r['case_id'] is None] == \
        ['bti gathering attend GATHERING --coordinator 3'], got
    assert {r['case_id'] for r in due(t, '--coordinator', '1')} == {a, None}
    assert due(t, '--coordinator', K1, '--unit', OTHER_UNIT) == []
    assert {r['case_id'] for r in due(t, '--coordinator', K3, '--unit', OTHER_UNIT)} == {b, None}
    # no_coordinator concerns no coordinator
    assert (c, 'no_coordinator') in kinds(t)
    assert not [r for r in due(t, '--coordinator', K1) if r['case_id'] == c]
    t.fails(3, 'due', '--coordinator', 'Ukjent Koordinator')


# ---- --check and roles -----------------------------------------------------------------------

def _check(t, *args):
    r = t.run(*args)
    assert (r.out, r.err) == ('', ''), (args, r)
    return r.rc


def test_check_exit_7_silently_when_something_is_due(t):
    story.base(t)
    story.refer(t, date='2026-09-01')
    assert _check(t, 'due', '--check') == 7
    assert _check(t, 'report', 'due', '--check') == 7
    assert _check(t, '--json', 'due', '--check') == 7


def test_check_exit_0_when_nothing_is_due(t):
    quiet(t)
    assert _check(t, 'due', '--check') == 0
    assert _check(t, 'report', 'due', '--check') == 0
    # and 7 again when the handbook has grown stale
    assert _check(t, '--today', '2027-11-22', 'due', '--check') == 7


def test_check_with_a_filter(t):
    story.base(t)
    a = story.refer(t, 'coordinator')
    story.grant(t, a, '--notified', DECIDED, unit=OTHER_UNIT)
    t.ok('ke', 'handbook', '--note', 'Revidert')
    t.ok('audit', 'reviewed')
    assert _check(t, 'due', '--check', '--unit', OTHER_UNIT) == 7
    assert _check(t, 'due', '--check', '--unit', UNIT) == 0


def test_check_bad_option_still_says_why(t):
    t.init()
    t.fails(2, 'due', '--check', '--lunch')


def test_report_role_may_run_due_but_not_read_cases(t):
    story.base(t)
    c = story.refer(t, date='2026-09-01')
    before = due(t)
    t.write_sql(("UPDATE user SET role = 'report' WHERE login = ?", (t.login,)))
    # the report role sees the case id where admin saw the name (issue 20)
    assert due(t) == [dict(r, person=str(r['case_id']) if r['case_id'] else None)
                      for r in before]
    assert t.run('due', '--check').rc == 7
    t.fails(8, 'case', 'show', str(c))
    t.fails(8, 'ke', 'reply', str(c))
    assert os.path.exists(t.db)
