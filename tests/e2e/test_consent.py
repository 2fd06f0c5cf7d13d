"""Consent (SPEC sections 2, 3, 5): give, withdraw, list, edit; an identified
KE review needs active exchange consent covering KE; a guardian or
representative must be a relative who may consent."""
import json

import story

TODAY = '2026-11-22'


def setup(t):
    """The shared database, a case received 2026-10-01, and KE meeting 2 held
    today; the case id."""
    story.base(t)
    c = story.refer(t)
    assert t.ok('ke', 'meeting', 'add') == '2\n'
    return c


def give(t, case, scope='exchange', parties='KE', by='user', *extra):
    return int(t.ok('consent', 'give', str(case), '--scope', scope, '--by', by,
                    '--parties', parties, *extra))


def identified_review(t, case, meeting='2'):
    return t.run('ke', 'review', str(case), '--meeting', meeting, '--note', story.NOTE)


def consents(t, case):
    return t.json('consent', 'list', str(case))


# ---- give, list, withdraw, edit ------------------------------------------------------

def test_give_prints_the_id_and_lists_it(t):
    c = setup(t)
    assert give(t, c, 'exchange', 'KE,fastlege') == 1
    assert give(t, c, 'plan', 'all', 'user', '--date', '2026-11-01') == 2
    rows = consents(t, c)
    assert [(r['id'], r['scope'], r['given_by'], r['parties'], r['given'], r['withdrawn'], r['active'])
            for r in rows] == [(1, 'exchange', 'user', ['KE', 'fastlege'], TODAY, None, True),
                               (2, 'plan', 'user', ['all'], '2026-11-01', None, True)], rows


def test_list_all_or_by_case(t):
    c = setup(t)
    c2 = story.refer(t)
    give(t, c)
    give(t, c2)
    assert [r['case_id'] for r in t.json('consent', 'list')] == [c, c2]
    assert [r['case_id'] for r in consents(t, c2)] == [c2]


def test_case_show_holds_the_consents(t):
    c = setup(t)
    give(t, c, 'plan', 'all')
    assert [x['scope'] for x in story.show(t, c)['consents']] == ['plan']


def test_withdraw_keeps_the_row(t):
    c = setup(t)
    give(t, c, 'exchange', 'KE', 'user', '--date', '2026-11-01')
    t.ok('consent', 'withdraw', str(c), '--scope', 'exchange', '--date', '2026-11-20')
    [row] = consents(t, c)
    assert (row['withdrawn'], row['active']) == ('2026-11-20', False), row
    assert t.count('consent') == 1


def test_withdraw_without_an_active_consent_exit_1(t):
    c = setup(t)
    t.fails(1, 'consent', 'withdraw', str(c), '--scope', 'plan')
    give(t, c, 'exchange')
    t.fails(1, 'consent', 'withdraw', str(c), '--scope', 'plan')


def test_withdraw_before_it_was_given_exit_4(t):
    c = setup(t)
    give(t, c, 'exchange', 'KE', 'user', '--date', '2026-11-10')
    t.fails(4, 'consent', 'withdraw', str(c), '--scope', 'exchange', '--date', '2026-11-09')


def test_two_active_consents_withdraw_needs_consent_exit_2_listing_both(t):
    c = setup(t)
    a = give(t, c, 'exchange', 'KE')
    b = give(t, c, 'exchange', 'skole')
    r = t.fails(2, 'consent', 'withdraw', str(c), '--scope', 'exchange', err_contains='--consent')
    assert f'{a}, {b}' in r.err or (str(a) in r.err and str(b) in r.err), r.err
    t.ok('consent', 'withdraw', str(c), '--scope', 'exchange', '--consent', str(b))
    assert [(r['id'], r['active']) for r in consents(t, c)] == [(a, True), (b, False)]


def test_withdraw_a_consent_of_another_scope_exit_3(t):
    c = setup(t)
    give(t, c, 'exchange')
    p = give(t, c, 'plan', 'all')
    give(t, c, 'exchange', 'skole')
    t.fails(3, 'consent', 'withdraw', str(c), '--scope', 'exchange', '--consent', str(p))


def test_edit_parties_and_date_with_reason_audited(t):
    c = setup(t)
    i = give(t, c, 'exchange', 'KE,fastlege')
    t.ok('consent', 'edit', str(i), '--parties', 'KE,fastlege,skole', '--date', '2026-11-02',
         '--reason', 'Skrevet feil')
    [row] = consents(t, c)
    assert (row['parties'], row['given']) == (['KE', 'fastlege', 'skole'], '2026-11-02'), row
    change = json.loads(t.one("SELECT change FROM audit WHERE command = 'consent edit'"))
    assert change['old']['parties'] == 'KE,fastlege' and change['new']['parties'] == 'KE,fastlege,skole'


def test_edit_without_reason_or_change_exit_2(t):
    c = setup(t)
    i = give(t, c)
    t.fails(2, 'consent', 'edit', str(i), '--parties', 'all')
    t.fails(2, 'consent', 'edit', str(i), '--reason', 'Ingenting')


def test_edit_missing_consent_exit_3(t):
    setup(t)
    t.fails(3, 'consent', 'edit', '9', '--parties', 'all', '--reason', 'Feil')


def test_edit_date_after_today_exit_4(t):
    c = setup(t)
    i = give(t, c)
    t.fails(4, 'consent', 'edit', str(i), '--date', '2026-11-23', '--reason', 'Feil')


# ---- invalid values ------------------------------------------------------------------

def test_dates_after_today_exit_4(t):
    c = setup(t)
    t.fails(4, 'consent', 'give', str(c), '--scope', 'plan', '--by', 'user', '--parties', 'all',
            '--date', '2026-11-23')
    give(t, c, 'plan', 'all')
    t.fails(4, 'consent', 'withdraw', str(c), '--scope', 'plan', '--date', '2026-11-23')


def test_bad_scope_or_by_exit_4(t):
    c = setup(t)
    for scope, by in (('everything', 'user'), ('Plan', 'user'), ('', 'user'),
                      ('plan', 'mother'), ('plan', 'User'), ('plan', '')):
        t.fails(4, 'consent', 'give', str(c), '--scope', scope, '--by', by, '--parties', 'all')
    t.fails(4, 'consent', 'withdraw', str(c), '--scope', 'everything')


def test_bad_parties_exit_4(t):
    c = setup(t)
    for parties in ('', ',KE', 'KE,,skole', 'KE, ,skole', ' ', 'all,KE', 'KE,all', 'KE, all',
                    'KE\u202eskole'):
        t.fails(4, 'consent', 'give', str(c), '--scope', 'exchange', '--by', 'user',
                '--parties', parties, err_contains='--parties')


def test_parties_are_trimmed_around_the_commas(t):
    # SPEC section 5: "fastlege, skole" is read as fastlege,skole
    c = setup(t)
    i = give(t, c, 'exchange', ' KE , fastlege,  skole ')
    assert [r['parties'] for r in consents(t, c)] == [['KE', 'fastlege', 'skole']]
    t.ok('consent', 'edit', str(i), '--parties', 'KE, BUP', '--reason', 'Feil parter')
    assert [r['parties'] for r in consents(t, c)] == [['KE', 'BUP']]
    assert identified_review(t, c).rc == 0   # KE is covered as trimmed


def test_parties_ending_with_a_comma_exit_4(t):
    # an empty last party, as --requests refuses 'ip,'
    c = setup(t)
    t.fails(4, 'consent', 'give', str(c), '--scope', 'exchange', '--by', 'user', '--parties', 'KE,')


def test_give_missing_options_exit_2(t):
    c = setup(t)
    t.fails(2, 'consent', 'give', str(c), '--by', 'user', '--parties', 'all')
    t.fails(2, 'consent', 'give', str(c), '--scope', 'plan', '--parties', 'all')
    t.fails(2, 'consent', 'give', str(c), '--scope', 'plan', '--by', 'user')
    t.fails(2, 'consent', 'withdraw', str(c))


def test_give_on_a_missing_case_exit_3(t):
    setup(t)
    t.fails(3, 'consent', 'give', '42', '--scope', 'plan', '--by', 'user', '--parties', 'all')


def test_give_on_a_closed_case_exit_1(t):
    c = setup(t)
    story.close(t, c)
    t.fails(1, 'consent', 'give', str(c), '--scope', 'plan', '--by', 'user', '--parties', 'all')


# ---- guardian and representative -------------------------------------------------------

def relative(t, case, may_consent):
    person = story.show(t, case)['person_id']
    extra = ('--may-consent',) if may_consent else ()
    return int(t.ok('person', 'relative', 'add', str(person), '--name', 'Mor Testesen',
                    '--relation', 'mor', *extra))


def test_guardian_without_relative_exit_2(t):
    c = setup(t)
    relative(t, c, False)   # one who may not consent is no candidate
    for by in ('guardian', 'representative'):
        t.fails(2, 'consent', 'give', str(c), '--scope', 'plan', '--by', by, '--parties', 'all',
                err_contains=['--relative', 'no relative who may consent'])


def test_guardian_is_the_one_relative_who_may_consent(t):
    # SPEC section 5: --relative is needed only when there are several
    c = setup(t)
    relative(t, c, False)
    r = relative(t, c, True)
    t.ok('consent', 'give', str(c), '--scope', 'plan', '--by', 'guardian', '--parties', 'all')
    [row] = consents(t, c)
    assert (row['given_by'], row['relative_id']) == ('guardian', r), row


def test_several_relatives_who_may_consent_exit_2_listing_them(t):
    c = setup(t)
    r1 = relative(t, c, True)
    r2 = relative(t, c, True)
    t.fails(2, 'consent', 'give', str(c), '--scope', 'plan', '--by', 'representative',
            '--parties', 'all', err_contains=[f'({r1}, {r2})', '--relative'],
            private='Mor Testesen')
    t.ok('consent', 'give', str(c), '--scope', 'plan', '--by', 'representative', '--relative',
         str(r2), '--parties', 'all')
    assert [row['relative_id'] for row in consents(t, c)] == [r2]


def test_guardian_who_may_not_consent_exit_1(t):
    c = setup(t)
    r = relative(t, c, False)
    t.fails(1, 'consent', 'give', str(c), '--scope', 'plan', '--by', 'guardian', '--relative', str(r),
            '--parties', 'all', private='Mor Testesen')


def test_guardian_who_may_consent(t):
    c = setup(t)
    r = relative(t, c, True)
    t.ok('consent', 'give', str(c), '--scope', 'plan', '--by', 'guardian', '--relative', str(r),
         '--parties', 'all')
    [row] = consents(t, c)
    assert (row['given_by'], row['relative_id'], row['relative']) == ('guardian', r, None), row
    n = t.count('access')
    [row] = t.json('--identify', 'consent', 'list', str(c))
    assert (row['relative_id'], row['relative']) == (r, 'Mor Testesen'), row
    assert t.sql('SELECT entity, what, identify FROM access ORDER BY id DESC LIMIT 1') == \
        [('consent', '1', 1)] and t.count('access') == n + 1


def test_relative_of_another_person_exit_3(t):
    c = setup(t)
    other = story.refer(t)
    r = relative(t, other, True)
    t.fails(3, 'consent', 'give', str(c), '--scope', 'plan', '--by', 'guardian', '--relative', str(r),
            '--parties', 'all')


def test_user_with_relative_exit_2(t):
    c = setup(t)
    r = relative(t, c, True)
    t.fails(2, 'consent', 'give', str(c), '--scope', 'plan', '--by', 'user', '--relative', str(r),
            '--parties', 'all')


# ---- consent and the KE review ------------------------------------------------------------

def test_review_without_exchange_consent_exit_1_with_hint(t):
    c = setup(t)
    give(t, c, 'plan', 'all')   # the wrong scope
    t.fails(1, 'ke', 'review', str(c), '--meeting', '2', '--note', story.NOTE,
            err_contains=['hint:', '--anonymous'])
    assert story.status(t, c) == 'received'


def test_review_with_consent_not_covering_ke_exit_1(t):
    c = setup(t)
    give(t, c, 'exchange', 'fastlege,skole')
    t.fails(1, 'ke', 'review', str(c), '--meeting', '2', '--note', story.NOTE)


def test_review_with_consent_covering_ke(t):
    c = setup(t)
    give(t, c, 'exchange', 'fastlege,ke')    # parties compare without case
    r = identified_review(t, c)
    assert r.rc == 0, r.err
    assert story.status(t, c) == 'review'
    [rev] = story.show(t, c)['reviews']
    assert rev['anonymous'] is False and rev['meeting_id'] == 2, rev


def test_review_with_consent_for_all(t):
    c = setup(t)
    give(t, c, 'exchange', 'all')
    assert identified_review(t, c).rc == 0
    assert story.status(t, c) == 'review'


def test_review_at_a_meeting_before_the_consent_was_given_exit_1(t):
    c = setup(t)
    give(t, c, 'exchange', 'all')   # today, after meeting 1 (2026-10-15)
    t.fails(1, 'ke', 'review', str(c), '--meeting', '1', '--note', story.NOTE)


def test_withdrawal_then_review_exit_1_and_giving_again_allows_it(t):
    c = setup(t)
    give(t, c, 'exchange', 'all', 'user', '--date', '2026-11-01')
    t.ok('consent', 'withdraw', str(c), '--scope', 'exchange')
    t.fails(1, 'ke', 'review', str(c), '--meeting', '2', '--note', story.NOTE)
    give(t, c, 'exchange', 'KE')
    assert identified_review(t, c).rc == 0
    assert story.status(t, c) == 'review'


def test_anonymous_review_needs_no_consent(t):
    c = setup(t)
    story.review(t, c, meeting='2')
    assert story.status(t, c) == 'review'


def test_consent_history_in_case_show(t):
    c = setup(t)
    give(t, c, 'exchange', 'all', 'user', '--date', '2026-11-01')
    t.ok('consent', 'withdraw', str(c), '--scope', 'exchange', '--date', '2026-11-05')
    events = [(h['date'], h['event']) for h in story.show(t, c)['history']]
    assert ('2026-11-01', 'consent_given') in events and ('2026-11-05', 'consent_withdrawn') in events, events
