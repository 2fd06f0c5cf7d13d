"""Decisions, appeals, closing and reopening (SPEC sections 2, 3, 4, 6):
`ke decide` per item with default covers and bases, `--void`, `ke appeal`
in and out of time, `appeal-forward`, `appeal-result`, `case close`,
`case reopen`, `case unit`, `case log` and the shape of `case show`."""
import csv
import io
import json

import story
from story import UNIT, OTHER_UNIT, DECIDED, REASON, refer, grant, deny, show, status

BASIS_OF = {'coordinator': 'pbrl-2-5b', 'ip': 'pbrl-2-5', 'child': 'pbrl-2-5c'}


def decisions(t, case):
    return show(t, case)['decisions']


def decision(t, case, did):
    [d] = [d for d in decisions(t, case) if d['id'] == did]
    return d


def reviewed(t, requests='coordinator,ip,child'):
    story.base(t)
    c = refer(t, requests)
    story.review(t, c)
    return c


# ---- ke decide --------------------------------------------------------------------------

def test_each_item_is_decided_on_its_own(t):
    c = reviewed(t)
    d1 = grant(t, c, covers='coordinator')
    d2 = deny(t, c, covers='ip')
    d3 = grant(t, c, covers='child')
    got = [(d['id'], d['items'], d['outcome']) for d in decisions(t, c)]
    assert got == [(d1, ['coordinator'], 'granted'), (d2, ['ip'], 'denied'),
                   (d3, ['child'], 'granted')], got
    assert status(t, c) == 'granted'


def test_default_covers_the_undecided_requested_items(t):
    c = reviewed(t)
    deny(t, c, covers='ip')
    d = grant(t, c)
    assert decision(t, c, d)['items'] == ['coordinator', 'child']


def test_default_basis_per_item(t):
    c = reviewed(t)
    for item in ('coordinator', 'ip', 'child'):
        d = grant(t, c, covers=item) if item != 'ip' else deny(t, c, covers=item)
        assert decision(t, c, d)['basis'] == [BASIS_OF[item]], (item, decision(t, c, d))


def test_default_basis_of_several_items_names_each(t):
    c = reviewed(t)
    d = grant(t, c)
    assert set(decision(t, c, d)['basis']) == set(BASIS_OF.values())


def test_explicit_basis_is_kept(t):
    c = reviewed(t)
    d = grant(t, c, '--basis', 'hol-7-2,sotjl-28', covers='coordinator')
    assert decision(t, c, d)['basis'] == ['hol-7-2', 'sotjl-28']


def test_decision_records_reason_unit_and_who(t):
    c = reviewed(t, 'coordinator,ip')
    d1 = grant(t, c, covers='coordinator')
    d2 = deny(t, c)
    a, b = decision(t, c, d1), decision(t, c, d2)
    assert (a['unit'], a['reason'], a['decided']) == (UNIT, None, DECIDED), a
    assert (b['unit_id'], b['reason']) == (None, REASON), b
    assert a['decided_by'] == t.login, a
    t.ok('--actor', 'Saksbehandler Testesen', 'ke', 'decide', str(refer(t, 'ip')), '--grant',
         '--unit', UNIT)
    assert t.one('SELECT decided_by FROM decision ORDER BY id DESC LIMIT 1') == 'Saksbehandler Testesen'


def test_grant_sets_the_responsible_unit(t):
    c = reviewed(t)
    grant(t, c, covers='coordinator', unit=OTHER_UNIT)
    s = show(t, c)
    assert (s['unit_id'], s['unit']) == (2, OTHER_UNIT), s


def test_deciding_a_decided_item_exit_1_with_hint_about_void(t):
    c = reviewed(t)
    grant(t, c, covers='coordinator')
    t.fails(1, 'ke', 'decide', str(c), '--deny', '--covers', 'coordinator,ip', '--reason', REASON,
            err_contains=['hint:', '--void'])
    t.fails(1, 'ke', 'decide', str(c), '--grant', '--covers', 'coordinator', '--unit', UNIT,
            err_contains='--void')


def test_deciding_with_nothing_undecided_exit_1(t):
    c = reviewed(t, 'coordinator')
    grant(t, c)
    t.fails(1, 'ke', 'decide', str(c), '--grant', '--unit', UNIT)


def test_item_not_requested_exit_1(t):
    c = reviewed(t, 'coordinator')
    t.fails(1, 'ke', 'decide', str(c), '--grant', '--covers', 'child', '--unit', UNIT)
    t.fails(1, 'ke', 'decide', str(c), '--grant', '--covers', 'coordinator,ip', '--unit', UNIT)


def test_unknown_basis_exit_4(t):
    c = reviewed(t)
    for bad in ('pbrl-9', 'pbrl-2-5,nope', 'PBRL-2-5', '', ',pbrl-2-5', 'pbrl-2-5,,bvl'):
        t.fails(4, 'ke', 'decide', str(c), '--grant', '--unit', UNIT, '--basis', bad)


def test_basis_ending_with_a_comma_exit_4(t):
    # an empty last code is no code (and would be stored as 'pbrl-2-5,')
    c = reviewed(t)
    t.fails(4, 'ke', 'decide', str(c), '--grant', '--unit', UNIT, '--basis', 'pbrl-2-5,')


def test_bad_covers_exit_4(t):
    c = reviewed(t)
    for bad in ('lunch', 'ip,lunch', '', 'ip,'):
        t.fails(4, 'ke', 'decide', str(c), '--grant', '--unit', UNIT, '--covers', bad)


def test_deny_without_reason_exit_2(t):
    c = reviewed(t)
    t.fails(2, 'ke', 'decide', str(c), '--deny', '--covers', 'ip')


def test_grant_without_unit_exit_2(t):
    c = reviewed(t)
    t.fails(2, 'ke', 'decide', str(c), '--grant', '--covers', 'ip')


def test_grant_deny_and_void_are_exclusive_exit_2(t):
    c = reviewed(t)
    t.fails(2, 'ke', 'decide', str(c), '--grant', '--deny', '--unit', UNIT, '--reason', REASON)
    t.fails(2, 'ke', 'decide', str(c))


def test_unknown_unit_exit_3(t):
    c = reviewed(t)
    t.fails(3, 'ke', 'decide', str(c), '--grant', '--unit', 'Ukjent enhet')
    t.fails(3, 'ke', 'decide', str(c), '--grant', '--unit', '9')


def test_decided_before_the_referral_exit_4(t):
    c = reviewed(t)
    t.fails(4, 'ke', 'decide', str(c), '--grant', '--unit', UNIT, '--date', '2026-09-30')


def test_decided_after_today_exit_4(t):
    c = reviewed(t)
    t.fails(4, 'ke', 'decide', str(c), '--grant', '--unit', UNIT, '--date', '2026-11-23')


def test_notified_before_decided_or_after_today_exit_4(t):
    c = reviewed(t)
    t.fails(4, 'ke', 'decide', str(c), '--grant', '--unit', UNIT, '--date', '2026-10-20',
            '--notified', '2026-10-19')
    t.fails(4, 'ke', 'decide', str(c), '--grant', '--unit', UNIT, '--date', '2026-10-20',
            '--notified', '2026-11-23')


def test_decide_on_a_missing_case_exit_3(t):
    story.base(t)
    t.fails(3, 'ke', 'decide', '9', '--grant', '--unit', UNIT)


# ---- --void ----------------------------------------------------------------------------

def test_void_the_latest_decision_returns_the_state(t):
    c = reviewed(t, 'coordinator,ip')
    d = grant(t, c)
    assert status(t, c) == 'granted'
    r = t.run('ke', 'decide', str(c), '--void', str(d), '--reason', 'Feil sak')
    assert r.rc == 0, r.err
    assert status(t, c) == 'review'
    v = decision(t, c, d)
    assert (v['voided'], v['void_reason']) == ('2026-11-22', 'Feil sak'), v
    # the items are undecided again
    d2 = deny(t, c)
    assert decision(t, c, d2)['items'] == ['coordinator', 'ip']
    assert status(t, c) == 'denied'


def test_void_a_denial_returns_to_received(t):
    story.base(t)
    c = refer(t, 'ip')
    d = deny(t, c)
    assert status(t, c) == 'denied'
    t.ok('ke', 'decide', str(c), '--void', str(d), '--reason', 'Feil sak')
    assert status(t, c) == 'received'


def test_void_an_older_decision_exit_1(t):
    c = reviewed(t)
    d1 = grant(t, c, covers='coordinator')
    deny(t, c, covers='ip')
    t.fails(1, 'ke', 'decide', str(c), '--void', str(d1), '--reason', 'Feil sak')


def test_void_a_decision_under_appeal_exit_1(t):
    c = reviewed(t, 'ip')
    d = deny(t, c)
    story.appeal(t, c, d)
    t.fails(1, 'ke', 'decide', str(c), '--void', str(d), '--reason', 'Feil sak')


def test_void_a_voided_decision_exit_1(t):
    c = reviewed(t, 'coordinator,ip')
    d1 = grant(t, c, covers='coordinator')
    d2 = grant(t, c, covers='ip')
    t.ok('ke', 'decide', str(c), '--void', str(d2), '--reason', 'Feil sak')
    t.fails(1, 'ke', 'decide', str(c), '--void', str(d2), '--reason', 'Feil sak')
    assert d1 < d2


def test_void_the_only_voided_decision_again_exit_1(t):
    # decision d exists, voided: a rule refuses it (exit 1), it is not missing (3)
    c = reviewed(t, 'ip')
    d = grant(t, c)
    t.ok('ke', 'decide', str(c), '--void', str(d), '--reason', 'Feil sak')
    t.fails(1, 'ke', 'decide', str(c), '--void', str(d), '--reason', 'Feil sak')


# ---- appeals ------------------------------------------------------------------------------

def denied(t, notified='2026-10-20'):
    """A case whose only item (ip) was denied on 2026-10-20, notified on
    `notified` (deadline 2026-11-17 by default); (case, decision)."""
    story.base(t)
    c = refer(t, 'ip')
    extra = ('--notified', notified) if notified else ()
    return c, deny(t, c, *extra)


def test_appeal_on_the_deadline_is_in_time(t):
    c, d = denied(t)
    assert decision(t, c, d)['appeal_deadline'] == '2026-11-17'
    t.ok('ke', 'appeal', str(c), '--date', '2026-11-17')
    a = decision(t, c, d)['appeal']
    assert (a['received'], a['late_reason'], a['forwarded'], a['result']) == \
        ('2026-11-17', None, None, None), a
    assert status(t, c) == 'appealed'


def test_late_appeal_without_reason_exit_1_with_hint(t):
    c, d = denied(t)
    t.fails(1, 'ke', 'appeal', str(c), '--date', '2026-11-18', err_contains=['hint:', '--late-reason'])
    t.fails(1, 'ke', 'appeal', str(c), err_contains='--late-reason')


def test_late_appeal_with_reason(t):
    c, d = denied(t)
    r = t.run('ke', 'appeal', str(c), '--date', '2026-11-18', '--late-reason', 'Var innlagt på sykehus')
    assert r.rc == 0 and '(late)' in r.err, r.err
    assert decision(t, c, d)['appeal']['late_reason'] == 'Var innlagt på sykehus'
    assert status(t, c) == 'appealed'


def test_appeal_in_time_says_its_late_reason_is_not_kept(t):
    c, d = denied(t)
    r = t.run('ke', 'appeal', str(c), '--date', '2026-11-17', '--late-reason', 'Var innlagt på sykehus')
    assert r.rc == 0 and '(late)' not in r.err, r.err
    assert 'in time: the late reason is not kept' in r.err, r.err
    assert decision(t, c, d)['appeal']['late_reason'] is None


def test_appeal_more_than_a_year_after_the_decision_exit_1(t):
    c, d = denied(t)
    t.fails(1, '--today', '2027-12-01', 'ke', 'appeal', str(c), '--date', '2027-10-21',
            '--late-reason', 'Visste ikke om klageretten',
            err_contains=['more than a year', 'forvaltningsloven § 31'])
    t.ok('--today', '2027-12-01', 'ke', 'appeal', str(c), '--date', '2027-10-20',
         '--late-reason', 'Visste ikke om klageretten')


def test_appeal_posted_by_the_deadline_is_in_time_though_received_later(t):
    c, d = denied(t)
    r = t.run('ke', 'appeal', str(c), '--date', '2026-11-20', '--posted', '2026-11-17')
    assert r.rc == 0 and '(late)' not in r.err, r.err
    a = decision(t, c, d)['appeal']
    assert (a['received'], a['posted'], a['late_reason']) == ('2026-11-20', '2026-11-17', None), a
    assert status(t, c) == 'appealed'


def test_appeal_posted_after_the_deadline_is_late(t):
    c, d = denied(t)
    t.fails(1, 'ke', 'appeal', str(c), '--date', '2026-11-20', '--posted', '2026-11-18',
            err_contains=['after the deadline 2026-11-17', '--late-reason'])
    t.ok('ke', 'appeal', str(c), '--date', '2026-11-20', '--posted', '2026-11-18',
         '--late-reason', 'Var innlagt på sykehus')
    assert decision(t, c, d)['appeal']['late_reason'] == 'Var innlagt på sykehus'


def test_posted_after_received_before_the_decision_or_after_today_exit_4(t):
    c, d = denied(t)
    t.fails(4, 'ke', 'appeal', str(c), '--date', '2026-11-10', '--posted', '2026-11-11',
            err_contains='--posted')
    t.fails(4, 'ke', 'appeal', str(c), '--date', '2026-11-10', '--posted', '2026-10-19',
            err_contains='--posted')
    t.fails(4, 'ke', 'appeal', str(c), '--posted', '2026-11-23', err_contains='--posted')


def test_appeal_of_a_decision_never_notified_is_in_time_after_a_year(t):
    # no deadline ever ran: the one-year bar does not apply
    c, d = denied(t, notified=None)
    r = t.run('--today', '2028-03-01', 'ke', 'appeal', str(c), '--date', '2028-02-28')
    assert r.rc == 0 and '(late)' not in r.err, r.err
    a = decision(t, c, d)['appeal']
    assert (a['received'], a['late_reason']) == ('2028-02-28', None), a
    assert status(t, c) == 'appealed'


def test_one_year_bar_counts_the_posted_date(t):
    c, d = denied(t)
    t.ok('--today', '2027-12-01', 'ke', 'appeal', str(c), '--date', '2027-10-25',
         '--posted', '2027-10-20', '--late-reason', 'Visste ikke om klageretten')


def test_appeal_before_notification_is_in_time(t):
    c, d = denied(t, notified=None)
    t.ok('ke', 'appeal', str(c))
    assert status(t, c) == 'appealed'


def test_appeal_before_the_decision_or_after_today_exit_4(t):
    c, d = denied(t)
    t.fails(4, 'ke', 'appeal', str(c), '--date', '2026-10-19')
    t.fails(4, 'ke', 'appeal', str(c), '--date', '2026-11-23')


def test_one_appeal_per_decision(t):
    c, d = denied(t)
    story.appeal(t, c, d)
    t.fails(1, 'ke', 'appeal', str(c))


def test_second_appeal_naming_the_decision_exit_1(t):
    # the decision exists (not exit 3): it has its one appeal already
    c, d = denied(t)
    story.appeal(t, c, d)
    t.fails(1, 'ke', 'appeal', str(c), '--decision', str(d))


def test_appeal_of_a_missing_decision_exit_3(t):
    c, d = denied(t)
    t.fails(3, 'ke', 'appeal', str(c), '--decision', '99')


def test_appeal_of_a_grant_keeps_the_case_granted(t):
    c = reviewed(t, 'coordinator')
    d = grant(t, c)
    story.appeal(t, c)
    assert status(t, c) == 'granted'
    assert decision(t, c, d)['appeal']['received'] == story.APPEALED


def test_appeal_without_any_decision_exit_1(t):
    story.base(t)
    c = refer(t)
    t.fails(1, 'ke', 'appeal', str(c))


def test_appeal_of_two_open_decisions_needs_decision_exit_2(t):
    c = reviewed(t, 'coordinator,ip')
    d1 = grant(t, c, covers='coordinator')
    d2 = deny(t, c, covers='ip')
    r = t.fails(2, 'ke', 'appeal', str(c), err_contains='--decision')
    assert str(d1) in r.err and str(d2) in r.err, r.err
    story.appeal(t, c, d2)
    assert decision(t, c, d2)['appeal'] is not None and decision(t, c, d1)['appeal'] is None


def test_forward_records_the_date(t):
    c, d = denied(t)
    story.appeal(t, c, d)
    t.ok('ke', 'appeal-forward', str(c), '--date', '2026-11-01')
    assert decision(t, c, d)['appeal']['forwarded'] == '2026-11-01'
    t.fails(1, 'ke', 'appeal-forward', str(c))


def test_forward_before_the_appeal_exit_4(t):
    c, d = denied(t)
    story.appeal(t, c, d)
    t.fails(4, 'ke', 'appeal-forward', str(c), '--date', '2026-10-24')


def test_forward_without_appeal_exit_1(t):
    c, d = denied(t)
    t.fails(1, 'ke', 'appeal-forward', str(c))


def test_upheld_by_ke_exit_1(t):
    c, d = denied(t)
    story.appeal(t, c, d)
    t.fails(1, 'ke', 'appeal-result', str(c), '--upheld', '--by', 'ke', err_contains='appeal-forward')
    story.forward(t, c)
    t.fails(1, 'ke', 'appeal-result', str(c), '--upheld', '--by', 'ke')


def test_upheld_by_statsforvalteren_before_forwarding_exit_1(t):
    c, d = denied(t)
    story.appeal(t, c, d)
    t.fails(1, 'ke', 'appeal-result', str(c), '--upheld', '--by', 'statsforvalteren',
            err_contains='appeal-forward')
    t.fails(1, 'ke', 'appeal-result', str(c), '--upheld')


def test_upheld_after_forwarding_closes_the_case_as_denied(t):
    c, d = denied(t)
    story.appeal(t, c, d)
    t.ok('ke', 'appeal-forward', str(c), '--date', '2026-11-01')
    t.ok('ke', 'appeal-result', str(c), '--upheld', '--date', '2026-11-20')
    s = show(t, c)
    assert (s['status'], s['closed'], s['close_cause']) == ('closed', '2026-11-20', 'denied'), s
    a = s['decisions'][0]['appeal']
    assert (a['result'], a['result_by'], a['result_date']) == ('upheld', 'statsforvalteren', '2026-11-20'), a


def test_result_before_forwarding_date_exit_4(t):
    c, d = denied(t)
    story.appeal(t, c, d)
    t.ok('ke', 'appeal-forward', str(c), '--date', '2026-11-01')
    t.fails(4, 'ke', 'appeal-result', str(c), '--upheld', '--date', '2026-10-31')


def test_quashed_returns_to_review_with_the_items_undecided(t):
    story.base(t)
    c = refer(t, 'coordinator,ip')
    d = deny(t, c)
    story.appeal(t, c, d)
    t.ok('ke', 'appeal-result', str(c), '--quashed', '--by', 'ke')
    assert status(t, c) == 'review'
    assert decision(t, c, d)['appeal']['result'] == 'quashed'
    d2 = grant(t, c)
    assert decision(t, c, d2)['items'] == ['coordinator', 'ip']
    assert status(t, c) == 'granted'


def test_reversed_on_a_denial_grants_with_the_unit(t):
    c, d = denied(t)
    story.appeal(t, c, d)
    story.forward(t, c)
    t.ok('ke', 'appeal-result', str(c), '--reversed', '--unit', OTHER_UNIT)
    s = show(t, c)
    assert (s['status'], s['unit_id'], s['unit']) == ('granted', 2, OTHER_UNIT), s
    assert s['decisions'][0]['appeal']['result'] == 'reversed'
    # the item now stands granted: nothing is left to decide
    t.fails(1, 'ke', 'decide', str(c), '--grant', '--unit', UNIT)


def test_reversed_by_ke_before_forwarding(t):
    c, d = denied(t)
    story.appeal(t, c, d)
    t.ok('ke', 'appeal-result', str(c), '--reversed', '--unit', UNIT)
    assert decision(t, c, d)['appeal']['result_by'] == 'ke'
    assert status(t, c) == 'granted'


def test_reversed_on_a_grant_exit_1(t):
    c = reviewed(t, 'coordinator')
    grant(t, c)
    story.appeal(t, c)
    t.fails(1, 'ke', 'appeal-result', str(c), '--reversed', '--unit', UNIT)


def test_result_without_an_appeal_exit_1(t):
    c, d = denied(t)
    t.fails(1, 'ke', 'appeal-result', str(c), '--quashed')


def test_result_needs_exactly_one_outcome_exit_2(t):
    c, d = denied(t)
    story.appeal(t, c, d)
    t.fails(2, 'ke', 'appeal-result', str(c))
    t.fails(2, 'ke', 'appeal-result', str(c), '--quashed', '--upheld')


def test_result_by_unknown_body_exit_4(t):
    c, d = denied(t)
    story.appeal(t, c, d)
    t.fails(4, 'ke', 'appeal-result', str(c), '--quashed', '--by', 'tingretten')


# ---- close, reopen, unit ----------------------------------------------------------------------

def test_close_records_date_and_cause(t):
    story.base(t)
    c = refer(t)
    t.ok('case', 'close', str(c), '--cause', 'moved', '--date', '2026-11-10')
    s = show(t, c)
    assert (s['status'], s['closed'], s['close_cause']) == ('closed', '2026-11-10', 'moved'), s
    assert {'date': '2026-11-10', 'event': 'closed', 'detail': 'moved'} in s['history']


def test_close_every_cause(t):
    story.base(t)
    for cause in ('need-ended', 'declined', 'denied', 'moved', 'deceased', 'other'):
        c = refer(t)
        story.close(t, c, cause)
        assert show(t, c)['close_cause'] == cause


def test_close_before_received_or_after_today_exit_4(t):
    story.base(t)
    c = refer(t)
    t.fails(4, 'case', 'close', str(c), '--cause', 'other', '--date', '2026-09-30')
    t.fails(4, 'case', 'close', str(c), '--cause', 'other', '--date', '2026-11-23')


def test_reopen_restores_the_state_before_closing(t):
    c = reviewed(t)
    grant(t, c, covers='coordinator')
    story.close(t, c)
    t.ok('case', 'reopen', str(c), '--reason', 'Lukket ved en feil')
    s = show(t, c)
    assert (s['status'], s['closed'], s['close_cause']) == ('granted', None, None), s
    assert any(h['event'] == 'reopened' for h in s['history'])


def test_reopen_more_than_a_year_later_exit_1(t):
    story.base(t)
    c = refer(t, date='2025-09-01')
    t.ok('case', 'close', str(c), '--cause', 'other', '--date', '2025-11-21')
    t.fails(1, 'case', 'reopen', str(c), '--reason', 'Lukket ved en feil')
    t.ok('--today', '2026-11-21', 'case', 'reopen', str(c), '--reason', 'Lukket ved en feil')


def test_reopen_when_the_person_has_another_open_case_exit_1(t):
    story.base(t)
    c = refer(t)
    story.close(t, c)
    person = show(t, c)['person_id']
    c2 = int(t.ok('referral', 'add', '--person', str(person), '--source', 'plo', '--requests', 'ip'))
    assert c2 != c and show(t, c2)['previous_case_id'] == c
    t.fails(1, 'case', 'reopen', str(c), '--reason', 'Lukket ved en feil')


def test_unit_change_with_reason(t):
    c = reviewed(t)
    grant(t, c, covers='coordinator')
    t.ok('case', 'unit', str(c), '--unit', OTHER_UNIT, '--reason', 'Fylte 18 år')
    s = show(t, c)
    assert (s['unit_id'], s['unit']) == (2, OTHER_UNIT), s
    assert any(h['event'] == 'unit_changed' for h in s['history']), s['history']


def test_unit_change_needs_unit_and_reason_exit_2(t):
    c = reviewed(t)
    t.fails(2, 'case', 'unit', str(c), '--unit', OTHER_UNIT)
    t.fails(2, 'case', 'unit', str(c), '--reason', 'Fylte 18 år')


def test_unit_change_unknown_unit_exit_3(t):
    c = reviewed(t)
    t.fails(3, 'case', 'unit', str(c), '--unit', 'Ukjent enhet', '--reason', 'Fylte 18 år')


def test_unit_change_on_a_closed_case_exit_1(t):
    story.base(t)
    c = refer(t)
    story.close(t, c)
    t.fails(1, 'case', 'unit', str(c), '--unit', OTHER_UNIT, '--reason', 'Fylte 18 år')


# ---- case log and case show -----------------------------------------------------------------

def test_case_log_lists_the_audit_rows_of_the_case(t):
    story.base(t)
    other = refer(t, 'ip')
    c = refer(t, 'coordinator,ip')
    story.review(t, c)
    d = grant(t, c, covers='coordinator')
    deny(t, other)
    rows = t.json('case', 'log', str(c))
    pairs = {(r['entity'], r['entity_id']) for r in rows}
    assert ('ke_case', c) in pairs and ('decision', d) in pairs, pairs
    assert {r['entity'] for r in rows} >= {'ke_case', 'referral', 'request', 'review', 'decision',
                                           'decision_item'}, rows
    assert ('ke_case', other) not in pairs
    commands = {r['command'] for r in rows}
    assert commands >= {'referral add', 'ke review', 'ke decide'}, commands
    assert [r['id'] for r in rows] == sorted(r['id'] for r in rows)
    # exactly the audit rows that touch the case's own rows
    expected = t.sql("SELECT id FROM audit WHERE (entity = 'ke_case' AND entity_id = ?)"
                     " OR (entity = 'decision' AND entity_id = ?)", (c, d))
    assert {i for (i,) in expected} <= {r['id'] for r in rows}


def test_case_log_shows_old_and_new_values_and_the_reason(t):
    story.base(t)
    c = refer(t, 'coordinator')
    story.review(t, c)
    grant(t, c, covers='coordinator')
    t.ok('case', 'unit', str(c), '--unit', story.OTHER_UNIT, '--reason', 'Flyttet til BOAK')
    rows = t.json('case', 'log', str(c))
    # an update shows only what changed, with its reason
    [move] = [r for r in rows if r['command'] == 'case unit' and r['entity'] == 'ke_case']
    assert (move['old'], move['new'], move['reason']) == ({'unit_id': 1}, {'unit_id': 2},
                                                        'Flyttet til BOAK'), move
    # an insert shows the new row, no old one
    [ref] = [r for r in rows if r['entity'] == 'referral']
    assert ref['old'] is None and ref['new']['source'] == 'bti' and ref['reason'] is None, ref
    # the same in CSV (the objects as JSON text) and in a table
    [line] = [r for r in csv.DictReader(io.StringIO(t.ok('--csv', 'case', 'log', str(c))))
              if r['command'] == 'case unit' and r['entity'] == 'ke_case']
    assert (json.loads(line['old']), json.loads(line['new']), line['reason']) == \
        ({'unit_id': 1}, {'unit_id': 2}, 'Flyttet til BOAK'), line
    [text] = [ln for ln in t.ok('case', 'log', str(c)).splitlines()
              if 'Flyttet til BOAK' in ln and 'ke_case' in ln]
    assert 'unit_id=1' in text and 'unit_id=2' in text, text


def test_case_log_is_an_access_to_the_case(t):
    story.base(t)
    c = refer(t, 'coordinator')
    n = t.count('access')
    t.ok('case', 'log', str(c))
    assert t.count('access') == n + 1
    assert t.sql('SELECT command, entity, what FROM access ORDER BY id DESC LIMIT 1') == \
        [('case log', 'ke_case', str(c))]


def test_case_log_of_a_missing_case_exit_3(t):
    story.base(t)
    t.fails(3, 'case', 'log', '9')


def test_case_show_has_every_part(t):
    story.base(t)
    c, _ = story.active_case(t, 'coordinator,ip')
    deny(t, c, '--notified', '2026-10-21', covers='ip')
    s = show(t, c)
    for key in ('requests', 'consents', 'reviews', 'decisions', 'assignments', 'group', 'plan',
                'history', 'person'):
        assert key in s, (key, sorted(s))
    for key in ('requests', 'consents', 'reviews', 'decisions', 'assignments', 'history'):
        assert isinstance(s[key], list), (key, s[key])
    assert s['plan'] is None
    for d in s['decisions']:
        assert 'appeal_deadline' in d and 'appeal' in d, d
    assert [d['appeal_deadline'] for d in s['decisions']] == [None, '2026-11-18']


def test_case_show_history_in_date_order(t):
    story.base(t)
    c = refer(t, 'coordinator,ip,child', '2026-09-01')
    t.ok('consent', 'give', str(c), '--scope', 'plan', '--by', 'user', '--parties', 'all',
         '--date', '2026-11-20')
    story.review(t, c)                                  # 2026-10-15
    grant(t, c, covers='coordinator', date='2026-11-01')
    deny(t, c, covers='ip', date='2026-09-20')
    story.assign(t, c, date='2026-11-05')
    t.ok('ke', 'reply', str(c), '--date', '2026-09-25')
    h = show(t, c)['history']
    dates = [e['date'] for e in h]
    assert dates == sorted(dates), h
    assert dates[0] == '2026-09-01' and len(h) >= 7, h


def test_case_show_history_orders_the_events_of_one_day_as_they_happen(t):
    story.base(t)
    c = refer(t, 'coordinator', '2026-10-01')
    t.ok('consent', 'give', str(c), '--scope', 'plan', '--by', 'user', '--parties', 'all',
         '--date', '2026-10-01')
    t.ok('ke', 'reply', str(c), '--date', '2026-10-01')
    grant(t, c, '--notified', '2026-10-20', date='2026-10-20')
    story.assign(t, c, date='2026-10-20')
    story.assign(t, c, story.K2, '--reason', 'Bytte etter ønske', date='2026-11-02')
    t.ok('case', 'close', str(c), '--cause', 'moved', '--date', '2026-11-10')
    events = [(e['date'], e['event']) for e in show(t, c)['history']]
    assert events == [
        ('2026-10-01', 'referral'), ('2026-10-01', 'preliminary_reply'),
        ('2026-10-01', 'consent_given'), ('2026-10-20', 'decided'), ('2026-10-20', 'notified'),
        ('2026-10-20', 'assigned'), ('2026-11-02', 'assignment_ended'), ('2026-11-02', 'assigned'),
        ('2026-11-10', 'assignment_ended'), ('2026-11-10', 'closed'),
    ], events


def test_case_show_history_keeps_a_close_reopen_close_of_one_day_in_order(t):
    story.base(t)
    c = refer(t, 'ip', '2026-10-01')
    d = deny(t, c, date='2026-11-22')
    t.ok('ke', 'decide', str(c), '--void', str(d), '--reason', 'Feil sak')
    t.ok('case', 'close', str(c), '--cause', 'moved', '--date', '2026-11-22')
    t.ok('case', 'reopen', str(c), '--reason', 'Lukket ved en feil')
    t.ok('case', 'close', str(c), '--cause', 'other', '--date', '2026-11-22')
    events = [(e['event'], e['detail']) for e in show(t, c)['history'] if e['date'] == '2026-11-22']
    assert events == [('decided', f'denied ip (decision {d})'), ('voided', f'decision {d}'),
                      ('closed', 'moved'), ('reopened', None), ('closed', 'other')], events
