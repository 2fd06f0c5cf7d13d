"""What a KE lead plans the weeks with (SPEC sections 5 and 8; issue 12):
the gatherings `due` asks for (samling_not_planned, fagdag_not_planned),
`due --within DAYS` (what falls due in the coming days, keeping its kind
and its future due date), `due --kind K...` (any of them), and the rule
that only the options a synopsis shows with "..." repeat."""
import story
from story import DECIDED
import test_due
from test_due import rows, snapshot

SAMLING = 'bti gathering add --kind samling --date DATE'
FAGDAG = 'bti gathering add --kind fagdag --date DATE'


def gathering(t, kind, date):
    t.ok('gathering', 'add', '--kind', kind, '--date', date)


# ---- gatherings to plan ----------------------------------------------------------------------

def test_samling_asked_for_three_months_into_the_half_year(t):
    t.init()
    assert rows(t, 'samling_not_planned', '--today', '2026-09-30') == []
    want = [(None, '2026-10-01', '2026-10-01', SAMLING)]
    assert rows(t, 'samling_not_planned', '--today', '2026-10-01') == want
    assert rows(t, 'samling_not_planned') == want
    gathering(t, 'samling', '2026-05-20')   # last half-year's does not count
    assert rows(t, 'samling_not_planned') == want
    gathering(t, 'samling', '2026-12-03')   # planned ahead: enough
    assert rows(t, 'samling_not_planned') == []
    # the first half of 2027, three months in
    assert rows(t, 'samling_not_planned', '--today', '2027-04-01') == \
        [(None, '2027-04-01', '2027-04-01', SAMLING)]


def test_fagdag_asked_for_by_1_september(t):
    t.init()
    assert rows(t, 'fagdag_not_planned', '--today', '2026-08-31') == []
    want = [(None, '2026-09-01', '2026-09-01', FAGDAG)]
    assert rows(t, 'fagdag_not_planned', '--today', '2026-09-01') == want
    gathering(t, 'fagdag', '2027-03-01')    # next year's does not count
    gathering(t, 'samling', '2026-10-01')   # nor another kind
    assert rows(t, 'fagdag_not_planned') == want
    gathering(t, 'fagdag', '2026-03-12')    # held earlier in the year
    assert rows(t, 'fagdag_not_planned') == []


# ---- --within DAYS -----------------------------------------------------------------------------

def test_within_adds_gatherings_to_plan_with_their_future_date(t):
    t.init()
    assert rows(t, 'fagdag_not_planned', '--today', '2026-08-20') == []
    assert rows(t, 'fagdag_not_planned', '--today', '2026-08-20', '--within', '11') == []
    assert rows(t, 'fagdag_not_planned', '--today', '2026-08-20', '--within', '12') == \
        [(None, '2026-09-01', '2026-09-01', FAGDAG)]
    got = rows(t, 'samling_not_planned', '--today', '2026-08-20', '--within', '300')
    assert got == [(None, '2026-10-01', '2026-10-01', SAMLING),
                   (None, '2027-04-01', '2027-04-01', SAMLING)], got


def test_within_adds_the_next_evaluation(t):
    snapshot(t, 'due-plan-adopted', test_due._adopted)   # adopted today, next 2027-05-22
    assert rows(t, 'plan_overdue') == []
    assert rows(t, 'plan_overdue', '--within', '180') == []
    assert rows(t, 'plan_overdue', '--within', '181') == \
        [(1, '2027-05-22', '2027-05-22', 'bti plan evaluate 1')]


def test_within_adds_an_appeal_deadline(t):
    story.base(t)
    c = story.refer(t, 'ip')
    story.deny(t, c, '--notified', DECIDED)   # deadline 2026-11-17
    today = ('--today', '2026-11-01')
    assert rows(t, 'appeal_deadline_passed', *today) == []
    assert rows(t, 'appeal_deadline_passed', *today, '--within', '16') == \
        [(c, '2026-11-17', '2026-11-17', f'bti case close {c} --cause denied')]


def test_within_adds_a_user_turning_16(t):
    story.base(t)
    c = story.refer(t, extra=('--born', '2010-12-01'))
    person = story.show(t, c)['person_id']
    t.ok('person', 'relative', 'add', str(person), '--name', 'Mor Testesen', '--relation', 'mor',
         '--may-consent')
    t.ok('consent', 'give', str(c), '--scope', 'exchange', '--by', 'guardian', '--parties', 'KE')
    assert rows(t, 'guardian_consent_16') == []
    assert [r[:3] for r in rows(t, 'guardian_consent_16', '--within', '9')] == \
        [(c, '2026-12-01', '2026-12-01')]


def test_within_keeps_what_is_due_today_and_orders_by_due(t):
    t.init()
    today = [(r['kind'], r['due']) for r in t.json('due')]
    ahead = [(r['kind'], r['due']) for r in t.json('due', '--within', '365')]
    assert set(today) <= set(ahead), (today, ahead)
    dues = [d for _, d in ahead]
    assert dues == sorted(dues), ahead
    assert ('handbook_stale', '2026-11-22') in ahead


def test_within_bad_values(t):
    t.init()
    for bad in ('-1', 'x', '1.5', '3661', ''):
        t.fails(4, 'due', '--within', bad, err_contains='--within')
    t.fails(2, 'due', '--within', err_contains="option '--within' needs a value")
    t.fails(2, 'due', '--within', '3', '--within', '4', err_contains="option '--within' given twice")
    assert t.json('due', '--within', '0') == t.json('due')


# ---- --kind K... -------------------------------------------------------------------------------

def test_kind_filters_and_repeats_mean_any(t):
    t.init()
    assert {r['kind'] for r in t.json('due')} == \
        {'access_log_review', 'handbook_stale', 'samling_not_planned', 'fagdag_not_planned'}
    assert [r['kind'] for r in t.json('due', '--kind', 'handbook_stale')] == ['handbook_stale']
    got = {r['kind'] for r in t.json('due', '--kind', 'handbook_stale', '--kind', 'fagdag_not_planned')}
    assert got == {'handbook_stale', 'fagdag_not_planned'}
    assert t.json('due', '--kind', 'escalation') == []
    r = t.run('due', '--kind', 'escalation', '--check')
    assert r.rc == 0, r
    r = t.run('due', '--kind', 'handbook_stale', '--check')
    assert r.rc == 7, r


def test_kind_unknown_exit_4_listing_the_kinds(t):
    t.init()
    t.fails(4, 'due', '--kind', 'handbook', err_contains=['invalid value for --kind',
                                                          'handbook_stale', 'fagdag_not_planned'])
    t.fails(4, 'due', '--kind', 'handbook_stale', '--kind', 'x', err_contains='--kind')


def test_every_kind_in_the_manual_is_a_kind_filter(t):
    import re
    t.init()
    page = open(test_due.__file__.replace('tests/e2e/test_due.py', 'man/bti-due.1')).read()
    section = page.split('.SH KINDS', 1)[1].split('\n.SH ', 1)[0]
    kinds = set(re.findall(r'^\.TP\n\.B (\w+)$', section, re.M))
    assert {'escalation', 'samling_not_planned', 'fagdag_not_planned'} <= kinds, kinds
    for kind in sorted(kinds):
        t.ok('due', '--kind', kind)


# ---- only options shown with "..." repeat ----------------------------------------------------

def test_case_list_repeated_status_means_any(t):
    story.base(t)
    a = story.refer(t)
    b = story.refer(t)
    story.review(t, b)
    c = story.refer(t)
    story.close(t, c)
    ids = lambda *args: [r['id'] for r in t.json('case', 'list', *args)]
    assert ids('--status', 'received') == [a]
    assert ids('--status', 'received', '--status', 'review') == [a, b]
    assert ids('--status', 'closed', '--status', 'received') == [a, c]
    t.fails(4, 'case', 'list', '--status', 'received', '--status', 'open', err_contains='--status')


def test_an_option_given_twice_that_does_not_repeat_exit_2(t):
    story.base(t)
    c = story.refer(t)
    for args in (('case', 'list', '--open', '--open'),
                 ('case', 'list', '--limit', '1', '--limit', '2'),
                 ('due', '--unit', '1', '--unit', '1'),
                 ('ke', 'review', str(c), '--meeting', '1', '--meeting', '1', '--note', 'x',
                  '--anonymous'),
                 ('referral', 'add', '--case', str(c), '--source', 'bti', '--source', 'plo',
                  '--requests', 'ip')):
        opt = next(a for a in args if a.startswith('--') and args.count(a) > 1)
        t.fails(2, *args, err_contains=[f"option '{opt}' given twice", 'usage: bti'])
    # the repeatable ones
    t.ok('ke', 'meeting', 'add', '--attendee', '1', '--attendee', story.MEMBER)
    g = t.ok('gathering', 'add', '--kind', 'training', '--date', '2026-11-20').strip()
    t.ok('gathering', 'attend', g, '--coordinator', story.K1, '--coordinator', story.K2)


# ---- list values: spaces around commas trimmed (SPEC section 5) ------------------------------

def test_list_values_are_trimmed_around_their_commas(t):
    story.base(t)
    c = int(t.ok('referral', 'add', '--name', story._next_name(t), '--source', 'bti',
                 '--requests', 'coordinator, ip'))
    assert [r['item'] for r in story.show(t, c)['requests']] == ['coordinator', 'ip']
    t.ok('ke', 'decide', str(c), '--grant', '--unit', story.UNIT, '--covers', 'coordinator ,ip',
         '--basis', 'pbrl-2-5b, pbrl-2-5')
    [d] = story.show(t, c)['decisions']
    assert d['basis'] == ['pbrl-2-5b', 'pbrl-2-5'], d
    for opt, value in (('--requests', 'ip, ,child'), ('--requests', 'ip,')):
        t.fails(4, 'referral', 'add', '--case', str(c), '--source', 'bti', opt, value,
                err_contains=[opt, 'empty'])
    c2 = story.refer(t, 'ip')
    t.fails(4, 'ke', 'decide', str(c2), '--grant', '--unit', story.UNIT, '--basis', 'pbrl-2-5, ',
            err_contains=['--basis', 'empty'])
