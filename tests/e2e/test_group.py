"""The responsibility group (SPEC sections 2, 3, 5): members join under
exchange consent covering their organisation or role; meetings are led by
the case's running coordinator and have minutes or say they are missing."""
import json

import story
from story import K1, K2


def case_with_consent(t, parties='skole,fastlege'):
    story.base(t)
    c = story.refer(t)
    t.ok('consent', 'give', str(c), '--scope', 'exchange', '--by', 'user', '--parties', parties,
         '--date', '2026-10-02')
    return c


def add(t, case, name, role, org=None, *extra):
    o = ('--org', org) if org else ()
    return t.run('group', 'add', str(case), '--name', name, '--role', role, *o, *extra)


def members(t, case):
    return t.json('group', 'list', str(case))


# ---- add, list, remove, edit ---------------------------------------------------------------

def test_add_covered_by_organisation(t):
    c = case_with_consent(t)
    r = add(t, c, 'Per Fiktivsen', 'kontaktlærer', 'skole')
    assert r.rc == 0 and r.out == '1\n', r
    [m] = members(t, c)
    assert (m['id'], m['case_id'], m['name'], m['role'], m['org'], m['from'], m['to']) == \
        (1, c, 'Per Fiktivsen', 'kontaktlærer', 'skole', '2026-11-22', None), m


def test_add_covered_by_role(t):
    c = case_with_consent(t)
    assert add(t, c, 'Åse Øvreås', 'fastlege', 'Legesenteret').rc == 0
    assert add(t, c, 'Ola Prøvesen', 'Fastlege').rc == 0   # parties compare without case
    assert [m['role'] for m in members(t, c)] == ['fastlege', 'Fastlege']


def test_add_covered_by_all(t):
    c = case_with_consent(t, 'all')
    assert add(t, c, 'Per Fiktivsen', 'psykolog', 'BUP').rc == 0


def test_add_without_covering_consent_exit_1(t):
    c = case_with_consent(t)
    t.fails(1, 'group', 'add', str(c), '--name', 'Per Fiktivsen', '--role', 'psykolog', '--org', 'BUP',
            err_contains='hint:', private='Per Fiktivsen')


def test_add_without_any_consent_exit_1(t):
    story.base(t)
    c = story.refer(t)
    t.ok('consent', 'give', str(c), '--scope', 'plan', '--by', 'user', '--parties', 'all')
    t.fails(1, 'group', 'add', str(c), '--name', 'Per Fiktivsen', '--role', 'lærer', '--org', 'skole')


def test_add_after_consent_withdrawn_exit_1(t):
    c = case_with_consent(t)
    t.ok('consent', 'withdraw', str(c), '--scope', 'exchange', '--date', '2026-11-01')
    t.fails(1, 'group', 'add', str(c), '--name', 'Per Fiktivsen', '--role', 'lærer', '--org', 'skole')


def test_add_on_a_date_before_the_consent_exit_1(t):
    c = case_with_consent(t)   # given 2026-10-02
    t.fails(1, 'group', 'add', str(c), '--name', 'Per Fiktivsen', '--role', 'lærer', '--org', 'skole',
            '--date', '2026-10-01')
    assert add(t, c, 'Per Fiktivsen', 'lærer', 'skole', '--date', '2026-10-02').rc == 0


def test_add_needs_name_and_role_exit_2(t):
    c = case_with_consent(t)
    t.fails(2, 'group', 'add', str(c), '--role', 'lærer', '--org', 'skole')
    t.fails(2, 'group', 'add', str(c), '--name', 'Per Fiktivsen', '--org', 'skole')


def test_add_on_a_closed_case_exit_1(t):
    c = case_with_consent(t)
    story.close(t, c)
    t.fails(1, 'group', 'add', str(c), '--name', 'Per Fiktivsen', '--role', 'lærer', '--org', 'skole')


def test_more_than_eight_members_warns_but_adds(t):
    c = case_with_consent(t, 'all')
    for i in range(1, 9):
        r = add(t, c, f'Medlem Testesen {i}', 'lærer', 'skole')
        assert r.rc == 0 and 'warning:' not in r.err, (i, r.err)
    r = add(t, c, 'Medlem Testesen 9', 'lærer', 'skole')
    assert r.rc == 0 and 'warning:' in r.err, r
    assert len(members(t, c)) == 9
    r = t.run('-q', 'group', 'add', str(c), '--name', 'Medlem Testesen 10', '--role', 'lærer')
    assert r.rc == 0 and r.err == '', r.err


def test_remove_keeps_the_member_with_an_end_date(t):
    c = case_with_consent(t)
    add(t, c, 'Per Fiktivsen', 'lærer', 'skole', '--date', '2026-10-10')
    t.ok('group', 'remove', str(c), '1', '--date', '2026-11-01')
    [m] = members(t, c)
    assert (m['from'], m['to']) == ('2026-10-10', '2026-11-01'), m
    t.fails(1, 'group', 'remove', str(c), '1')


def test_remove_before_joining_or_unknown_member(t):
    c = case_with_consent(t)
    add(t, c, 'Per Fiktivsen', 'lærer', 'skole', '--date', '2026-10-10')
    t.fails(4, 'group', 'remove', str(c), '1', '--date', '2026-10-09')
    t.fails(3, 'group', 'remove', str(c), '9')
    other = case_with_consent_again(t)
    t.fails(3, 'group', 'remove', str(other), '1')


def case_with_consent_again(t):
    c = story.refer(t)
    t.ok('consent', 'give', str(c), '--scope', 'exchange', '--by', 'user', '--parties', 'all')
    return c


def test_list_shows_present_and_past_members(t):
    c = case_with_consent(t)
    add(t, c, 'Per Fiktivsen', 'lærer', 'skole')
    add(t, c, 'Åse Øvreås', 'fastlege')
    t.ok('group', 'remove', str(c), '1')
    assert [(m['name'], m['to']) for m in members(t, c)] == [('Per Fiktivsen', '2026-11-22'),
                                                              ('Åse Øvreås', None)]
    assert 'Åse Øvreås' in t.ok('group', 'list', str(c))
    g = story.show(t, c)['group']
    assert [m['name'] for m in g['members']] == ['Per Fiktivsen', 'Åse Øvreås'], g


def test_list_of_a_missing_case_exit_3(t):
    story.base(t)
    t.fails(3, 'group', 'list', '9')


def test_edit_with_reason_audited(t):
    c = case_with_consent(t)
    add(t, c, 'Per Fiktivsen', 'lærer', 'skole')
    t.ok('group', 'edit', str(c), '1', '--role', 'rektor', '--reason', 'Feil rolle')
    assert members(t, c)[0]['role'] == 'rektor'
    change = json.loads(t.one("SELECT change FROM audit WHERE command = 'group edit'"))
    assert (change['old']['role'], change['new']['role']) == ('lærer', 'rektor'), change


def test_edit_without_reason_exit_2(t):
    c = case_with_consent(t)
    add(t, c, 'Per Fiktivsen', 'lærer', 'skole')
    t.fails(2, 'group', 'edit', str(c), '1', '--role', 'rektor')


# ---- meetings and minutes -------------------------------------------------------------------

def active(t):
    story.base(t)
    c, _ = story.active_case(t)
    return c


def meetings(t, case):
    return story.show(t, case)['group']['meetings']


def test_meeting_needs_a_running_coordinator_exit_1(t):
    story.base(t)
    c = story.refer(t)
    t.fails(1, 'group', 'meeting', str(c), '--minutes', 'Gerica-123', err_contains='hint:')
    story.grant(t, c, covers='coordinator')
    t.fails(1, 'group', 'meeting', str(c), '--minutes', 'Gerica-123')


def test_meeting_led_by_the_coordinator_with_minutes(t):
    c = active(t)
    assert t.ok('group', 'meeting', str(c), '--date', '2026-11-05', '--minutes', 'Gerica-123') == '1\n'
    [m] = meetings(t, c)
    assert (m['id'], m['held'], m['coordinator_id'], m['coordinator'], m['minutes']) == \
        (1, '2026-11-05', 1, K1, 'Gerica-123'), m


def test_meeting_led_by_the_current_coordinator_after_a_change(t):
    c = active(t)
    t.ok('coordinator', 'assign', str(c), '--coordinator', K2, '--reason', 'Bytte')
    t.ok('group', 'meeting', str(c), '--no-minutes')
    assert meetings(t, c)[0]['coordinator'] == K2


def test_meeting_without_minutes_then_minutes_later(t):
    c = active(t)
    t.ok('group', 'meeting', str(c), '--no-minutes')
    assert meetings(t, c)[0]['minutes'] is None
    assert {'date': '2026-11-22', 'event': 'group_meeting', 'detail': 'minutes missing'} in \
        story.show(t, c)['history']
    t.ok('group', 'minutes', str(c), '1', '--minutes', 'Gerica-124')
    assert meetings(t, c)[0]['minutes'] == 'Gerica-124'


def test_meeting_needs_minutes_or_no_minutes_exit_2(t):
    c = active(t)
    t.fails(2, 'group', 'meeting', str(c))
    t.fails(2, 'group', 'meeting', str(c), '--minutes', 'Gerica-123', '--no-minutes')


def test_meeting_after_today_or_before_received_exit_4(t):
    c = active(t)
    t.fails(4, 'group', 'meeting', str(c), '--no-minutes', '--date', '2026-11-23')
    t.fails(4, 'group', 'meeting', str(c), '--no-minutes', '--date', '2026-09-30')


def test_minutes_on_a_meeting_that_has_them_exit_1(t):
    c = active(t)
    t.ok('group', 'meeting', str(c), '--minutes', 'Gerica-123')
    t.fails(1, 'group', 'minutes', str(c), '1', '--minutes', 'Gerica-999')


def test_minutes_of_an_unknown_meeting_exit_3(t):
    c = active(t)
    t.fails(3, 'group', 'minutes', str(c), '7', '--minutes', 'Gerica-123')


def test_minutes_needs_minutes_exit_2(t):
    c = active(t)
    t.ok('group', 'meeting', str(c), '--no-minutes')
    t.fails(2, 'group', 'minutes', str(c), '1')
