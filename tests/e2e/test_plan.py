"""The individual plan (SPEC sections 2, 3, 4): start on an active case with
plan consent, the items, adoption refused until the nine items of the IP
regulation are there, evaluation, pausing on withdrawn consent, end,
edit, and close/reopen."""
import json
import os

import story
from story import UNIT

PERIOD_END = '2027-12-31'


def plan(t, case, *glob):
    return t.json(*glob, 'plan', 'show', str(case))


def consented(t, scope='plan', date='2026-10-26', parties='all'):
    """An active case (in the shared database) granted coordinator and ip, with
    consent of scope."""
    if not os.path.exists(t.db):
        story.base(t)
    c, _ = story.active_case(t, covers='coordinator,ip')
    t.ok('consent', 'give', str(c), '--scope', scope, '--by', 'user', '--parties', parties,
         '--date', date)
    return c


def _start(t):
    c = consented(t)
    t.ok('plan', 'start', str(c), '--ref', 'SamPro-4711')
    return c


def started(t):
    """An active case with plan consent and a plan in progress (a cached
    database when it is the first case)."""
    if os.path.exists(t.db):
        return _start(t)
    t.snapshot('story-plan-started', _start)
    return 1


def fill(t, c, skip=()):
    """Every item of the nine but those named in skip."""
    steps = {
        'goal': ('plan', 'goal', str(c), 'Gå på skolen hver dag'),
        'resource': ('plan', 'goal', str(c), '--kind', 'resource', 'God støtte fra familien'),
        'need': ('plan', 'goal', str(c), '--kind', 'need', 'Hjelp til struktur i hverdagen'),
        'user': ('plan', 'contribution', str(c), '--by', 'user', 'Møter på avtalene'),
        'provider': ('plan', 'contribution', str(c), '--by', 'provider', 'Fysioterapi hver uke'),
        'measure': ('plan', 'measure', str(c), '--what', 'Praktisk bistand', '--responsible',
                    'Hjemmetjenesten', '--scope', 'To timer i uken', '--how', 'Hjemmebesøk',
                    '--unit', UNIT),
        'cooperation': ('plan', 'cooperation', str(c), '--with', 'BUP', '--what', 'Felles oppfølging'),
        'member': ('group', 'add', str(c), '--name', 'Per Fiktivsen', '--role', 'lærer', '--org', 'skole'),
    }
    if 'member' not in skip:
        t.ok('consent', 'give', str(c), '--scope', 'exchange', '--by', 'user', '--parties', 'skole')
    for key, args in steps.items():
        if key not in skip:
            t.ok(*args)


def complete(t):
    """A plan holding every item but the plan period (cached)."""
    t.snapshot('story-plan-complete', lambda t: fill(t, started(t)))
    return 1


# ---- start ----------------------------------------------------------------------------------

def test_start_on_an_active_case_with_plan_consent(t):
    c = consented(t)
    assert t.ok('plan', 'start', str(c), '--ref', 'SamPro-4711') == '1\n'
    p = plan(t, c)
    assert (p['id'], p['case_id'], p['status'], p['ref'], p['started'], p['adopted']) == \
        (1, c, 'in_progress', 'SamPro-4711', '2026-11-22', None), p
    assert story.show(t, c)['plan']['id'] == 1


def test_start_needs_a_granted_or_active_case_exit_1(t):
    # SPEC section 3 (issue 12): a plan starts on a granted case, with or
    # without a coordinator yet; adoption needs the one who coordinates
    story.base(t)
    c = story.refer(t)
    t.ok('consent', 'give', str(c), '--scope', 'plan', '--by', 'user', '--parties', 'all')
    before = t.dump()
    t.fails(1, 'plan', 'start', str(c),
            err_contains="'plan start' is not allowed for a case that is 'received'")
    assert t.dump() == before
    story.grant(t, c, covers='coordinator,ip')
    t.ok('plan', 'start', str(c))       # granted, no coordinator yet
    assert story.status(t, c) == 'granted'
    assert 'who coordinates' in story.show(t, c)['plan']['missing']


def test_start_needs_a_granted_ip_item_exit_1(t):
    # SPEC section 3: `plan start` needs a granted `ip` item; one not decided
    # yet or denied is refused, naming the item, with the grant as the hint
    story.base(t)
    c = story.refer(t)
    t.ok('consent', 'give', str(c), '--scope', 'plan', '--by', 'user', '--parties', 'all')
    story.grant(t, c, covers='coordinator')
    for deny_first in (False, True):
        if deny_first:
            story.deny(t, c, covers='ip')
        before = t.dump()
        t.fails(1, 'plan', 'start', str(c),
                err_contains=[f"case {c} has no granted 'ip' item",
                              "hint: a plan follows a grant that covers 'ip'"])
        assert t.dump() == before, deny_first


def test_start_needs_plan_consent_exit_1(t):
    c = consented(t, 'exchange')
    t.fails(1, 'plan', 'start', str(c), err_contains='hint:')


def test_start_needs_consent_given_by_then_exit_1(t):
    c = consented(t, date='2026-11-20')
    t.fails(1, 'plan', 'start', str(c), '--date', '2026-11-19')
    t.ok('plan', 'start', str(c), '--date', '2026-11-20')


def test_start_twice_exit_1(t):
    c = started(t)
    t.fails(1, 'plan', 'start', str(c))


def test_start_after_today_exit_4(t):
    c = consented(t)
    t.fails(4, 'plan', 'start', str(c), '--date', '2026-11-23')


def test_start_on_a_missing_case_exit_3(t):
    story.base(t)
    t.fails(3, 'plan', 'start', '9')


# ---- items -----------------------------------------------------------------------------------

def test_items_are_in_the_plan(t):
    c = started(t)
    fill(t, c)
    p = plan(t, c)
    assert [(g['kind'], g['text']) for g in p['goals']] == [
        ('goal', 'Gå på skolen hver dag'), ('resource', 'God støtte fra familien'),
        ('need', 'Hjelp til struktur i hverdagen')], p['goals']
    assert [(x['by'], x['text']) for x in p['contributions']] == [
        ('user', 'Møter på avtalene'), ('provider', 'Fysioterapi hver uke')], p
    [m] = p['measures']
    assert (m['what'], m['scope'], m['how'], m['responsible'], m['unit']) == \
        ('Praktisk bistand', 'To timer i uken', 'Hjemmebesøk', 'Hjemmetjenesten', UNIT), m
    assert [(x['with'], x['what']) for x in p['cooperation']] == [('BUP', 'Felles oppfølging')], p


def test_items_need_a_plan_exit_1(t):
    c = consented(t)
    t.fails(1, 'plan', 'goal', str(c), 'Gå på skolen')
    t.fails(1, 'plan', 'cooperation', str(c), '--with', 'NAV')


def test_item_bad_values(t):
    c = started(t)
    t.fails(4, 'plan', 'goal', str(c), '--kind', 'wish', 'Gå på skolen')
    t.fails(4, 'plan', 'contribution', str(c), '--by', 'neighbour', 'Handler')
    t.fails(2, 'plan', 'contribution', str(c), 'Handler')
    t.fails(2, 'plan', 'measure', str(c), '--what', 'Bistand')
    t.fails(2, 'plan', 'cooperation', str(c), '--what', 'Oppfølging')
    t.fails(2, 'plan', 'goal', str(c))


# ---- adopt ---------------------------------------------------------------------------------------

def test_adopt_refused_listing_what_is_missing(t):
    c = started(t)
    r = t.fails(1, 'plan', 'adopt', str(c), '--period-end', PERIOD_END)
    for word in ('goals', 'resources', 'needs', 'measures', 'cooperation'):
        assert word in r.err, (word, r.err)
    assert plan(t, c)['status'] == 'in_progress'


def test_adopt_refused_until_each_item_is_there(t):
    for missing in ('goal', 'need', 'resource', 'member', 'user', 'provider', 'measure',
                    'cooperation'):
        c = started(t)
        fill(t, c, skip=(missing,))
        t.fails(1, 'plan', 'adopt', str(c), '--period-end', PERIOD_END)
        assert len(plan(t, c)['missing']) >= 1, missing


def test_adopt_refused_without_the_plan_period(t):
    c = complete(t)
    r = t.fails(1, 'plan', 'adopt', str(c))
    assert 'period' in r.err, r.err


def test_adopt_refused_without_scope_or_how_of_a_measure(t):
    c = complete(t)
    t.ok('plan', 'measure', str(c), '--what', 'Støttekontakt', '--responsible', 'Kulturetaten')
    r = t.fails(1, 'plan', 'adopt', str(c), '--period-end', PERIOD_END)
    assert 'scope' in r.err, r.err


def test_show_lists_missing(t):
    c = started(t)
    before = plan(t, c)['missing']
    assert len(before) >= 9, before
    fill(t, c)
    after = plan(t, c)['missing']
    assert len(after) == 1 and 'period' in after[0], after
    t.ok('plan', 'edit', str(c), '--period-end', PERIOD_END, '--reason', 'Avtalt periode')
    assert plan(t, c)['missing'] == []


def test_show_says_which_consents_item_8_counted(t):
    # item 8: the consent to the plan and, where given, to sharing
    # confidential information with the participants
    c = started(t)
    got = [(x['scope'], x['given_by']) for x in plan(t, c)['consents_counted']]
    assert got == [('plan', 'user')], got
    t.ok('consent', 'give', str(c), '--scope', 'exchange', '--by', 'user', '--parties', 'skole')
    got = [x['scope'] for x in plan(t, c)['consents_counted']]
    assert got == ['plan', 'exchange'], got
    t.ok('consent', 'withdraw', str(c), '--scope', 'exchange')
    assert [x['scope'] for x in plan(t, c)['consents_counted']] == ['plan']
    assert [x['scope'] for x in story.show(t, c)['plan']['consents_counted']] == ['plan']


def test_adopt_when_complete_sets_next_evaluation_six_months_on(t):
    c = complete(t)
    r = t.run('plan', 'adopt', str(c), '--period-end', PERIOD_END)
    assert r.rc == 0, r.err
    p = plan(t, c)
    assert (p['status'], p['adopted'], p['period_end'], p['next_evaluation']) == \
        ('active', '2026-11-22', PERIOD_END, '2027-05-22'), p
    assert '2027-05-22' in r.err


def test_adopt_on_the_31st_of_august_clamps_to_february(t):
    c = complete(t)
    t.ok('--today', '2027-08-31', 'plan', 'adopt', str(c), '--period-end', PERIOD_END)
    assert plan(t, c, '--today', '2027-08-31')['next_evaluation'] == '2028-02-29'


def test_adopt_with_explicit_next(t):
    c = complete(t)
    t.ok('plan', 'adopt', str(c), '--period-end', PERIOD_END, '--next', '2027-02-01')
    assert plan(t, c)['next_evaluation'] == '2027-02-01'


def test_adopt_before_the_start_exit_4(t):
    c = complete(t)
    t.fails(4, 'plan', 'adopt', str(c), '--period-end', PERIOD_END, '--date', '2026-11-21')


def test_adopt_twice_exit_1(t):
    c = complete(t)
    t.ok('plan', 'adopt', str(c), '--period-end', PERIOD_END)
    t.fails(1, 'plan', 'adopt', str(c), '--period-end', PERIOD_END)


# ---- evaluate --------------------------------------------------------------------------------------

def test_evaluate_needs_an_active_plan_exit_1(t):
    c = complete(t)
    t.fails(1, 'plan', 'evaluate', str(c), '--note', 'Godt i gang')


def test_evaluate_records_and_moves_the_next_evaluation(t):
    c = complete(t)
    t.ok('plan', 'adopt', str(c), '--period-end', PERIOD_END, '--date', '2026-11-22')
    today = '2027-03-31'
    t.ok('--today', today, 'plan', 'evaluate', str(c), '--note', 'Målene nås', '--process',
         'Godt samarbeid')
    p = plan(t, c, '--today', today)
    assert [(e['evaluated'], e['goals_note'], e['process_note']) for e in p['evaluations']] == \
        [(today, 'Målene nås', 'Godt samarbeid')], p
    assert p['next_evaluation'] == '2027-09-30', p


def test_evaluate_before_adoption_date_exit_4(t):
    c = complete(t)
    t.ok('plan', 'adopt', str(c), '--period-end', PERIOD_END)
    t.fails(4, 'plan', 'evaluate', str(c), '--date', '2026-11-21')


# ---- consent pauses and resumes ----------------------------------------------------------------------

def test_withdrawn_plan_consent_pauses_and_giving_it_again_resumes(t):
    c = complete(t)
    t.ok('plan', 'adopt', str(c), '--period-end', PERIOD_END)
    t.ok('consent', 'withdraw', str(c), '--scope', 'plan')
    assert plan(t, c)['status'] == 'paused'
    t.fails(1, 'plan', 'evaluate', str(c))
    t.ok('consent', 'give', str(c), '--scope', 'plan', '--by', 'user', '--parties', 'all')
    assert plan(t, c)['status'] == 'active'


def test_a_plan_in_progress_pauses_and_resumes_in_progress(t):
    c = started(t)
    t.ok('consent', 'withdraw', str(c), '--scope', 'plan')
    assert plan(t, c)['status'] == 'paused'
    t.ok('consent', 'give', str(c), '--scope', 'plan', '--by', 'user', '--parties', 'all')
    assert plan(t, c)['status'] == 'in_progress'


def test_exchange_consent_does_not_pause(t):
    c = started(t)
    t.ok('consent', 'give', str(c), '--scope', 'exchange', '--by', 'user', '--parties', 'all')
    t.ok('consent', 'withdraw', str(c), '--scope', 'exchange')
    assert plan(t, c)['status'] == 'in_progress'


# ---- end, edit, close --------------------------------------------------------------------------------

def test_end_with_reason(t):
    c = complete(t)
    t.ok('plan', 'adopt', str(c), '--period-end', PERIOD_END)
    t.ok('plan', 'end', str(c), '--reason', 'Brukeren ønsker ikke plan lenger')
    p = plan(t, c)
    assert (p['status'], p['ended'], p['end_reason']) == \
        ('ended', '2026-11-22', 'Brukeren ønsker ikke plan lenger'), p
    assert story.status(t, c) == 'active'     # the coordinator goes on
    t.fails(1, 'plan', 'goal', str(c), 'Nytt mål')
    t.fails(1, 'plan', 'end', str(c), '--reason', 'Igjen')


def test_end_without_reason_exit_2(t):
    c = started(t)
    t.fails(2, 'plan', 'end', str(c))


def test_edit_with_reason_audited(t):
    c = started(t)
    t.ok('plan', 'edit', str(c), '--ref', 'SamPro-4712', '--period-end', PERIOD_END,
         '--reason', 'Feil referanse')
    p = plan(t, c)
    assert (p['ref'], p['period_end']) == ('SamPro-4712', PERIOD_END), p
    change = json.loads(t.one("SELECT change FROM audit WHERE command = 'plan edit'"))
    assert change['old']['ref'] == 'SamPro-4711' and change['new']['ref'] == 'SamPro-4712'


def test_edit_without_reason_exit_2(t):
    c = started(t)
    t.fails(2, 'plan', 'edit', str(c), '--ref', 'SamPro-4712')


def test_case_close_ends_the_plan_and_reopen_restores_it(t):
    c = complete(t)
    t.ok('plan', 'adopt', str(c), '--period-end', PERIOD_END)
    t.ok('case', 'close', str(c), '--cause', 'moved', '--date', '2026-11-22')
    p = plan(t, c)
    assert (p['status'], p['ended']) == ('ended', '2026-11-22'), p
    t.ok('case', 'reopen', str(c), '--reason', 'Lukket ved en feil')
    p = plan(t, c)
    assert (p['status'], p['ended'], p['end_reason']) == ('active', None, None), p


def test_case_close_after_plan_end_does_not_revive_it(t):
    c = started(t)
    t.ok('plan', 'end', str(c), '--reason', 'Ikke lenger ønsket')
    story.close(t, c)
    t.ok('case', 'reopen', str(c), '--reason', 'Lukket ved en feil')
    assert plan(t, c)['status'] == 'ended'



def test_edit_completes_a_measure_so_the_plan_can_be_adopted(t):
    c = complete(t)
    m = t.ok('plan', 'measure', str(c), '--what', 'Støttekontakt', '--responsible',
             'Kulturetaten').strip()
    t.fails(1, 'plan', 'adopt', str(c), '--period-end', PERIOD_END)
    t.ok('plan', 'edit', str(c), '--measure', m, '--scope', 'Tre timer i uken', '--how',
         'Fritidsaktivitet', '--reason', 'Manglet omfang')
    t.ok('plan', 'adopt', str(c), '--period-end', PERIOD_END)
    measure = [x for x in plan(t, c)['measures'] if str(x['id']) == m][0]
    assert measure['scope'] == 'Tre timer i uken' and measure['how'] == 'Fritidsaktivitet'


def test_edit_of_an_unknown_measure_exit_3(t):
    c = complete(t)
    t.fails(3, 'plan', 'edit', str(c), '--measure', '99', '--scope', 'x', '--reason', 'y')


def test_edit_measure_fields_without_measure_exit_2(t):
    c = complete(t)
    t.fails(2, 'plan', 'edit', str(c), '--scope', 'x', '--reason', 'y')
