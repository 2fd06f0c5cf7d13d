"""The KE's own work (SPEC sections 2, 4, 9): members, meetings, case reviews
(anonymous ones must not identify the person), the handbook and the
preliminary reply."""
import json

import story
from synth import KARI, nin

KARI_NIN = nin(KARI[1])
BORN_DOTTED = '05.05.2010'
NIN_SPACED = KARI_NIN[:6] + ' ' + KARI_NIN[6:]
PRIVATE = [KARI[0], 'Kari', 'Testesen', KARI_NIN, KARI[1], BORN_DOTTED]


def kari(t, date=story.RECEIVED):
    """The shared database and Kari's case (name, birth date and nin)."""
    story.base(t)
    return story.refer(t, 'coordinator,ip', date, extra=('--born', KARI[1], '--nin', KARI_NIN),
                       name=KARI[0])


def anonymous(t, case, note, meeting='1'):
    return ('ke', 'review', str(case), '--meeting', meeting, '--note', note, '--anonymous')


# ---- members -----------------------------------------------------------------------

def test_member_add_and_list(t):
    t.init()
    assert t.ok('ke', 'member', 'add', '--name', 'Ola Prøvesen', '--role', 'leder') == '1\n'
    assert t.ok('ke', 'member', 'add', '--name', 'Per Fiktivsen', '--role', 'fysioterapeut',
                '--no-case-reviews') == '2\n'
    rows = t.json('ke', 'member', 'list')
    assert [(r['id'], r['name'], r['role'], r['case_reviews']) for r in rows] == [
        (1, 'Ola Prøvesen', 'leder', True), (2, 'Per Fiktivsen', 'fysioterapeut', False)], rows
    assert 'Per Fiktivsen' in t.ok('ke', 'member', 'list')


def test_member_add_needs_name_and_role_exit_2(t):
    t.init()
    t.fails(2, 'ke', 'member', 'add', '--name', 'Ola Prøvesen')
    t.fails(2, 'ke', 'member', 'add', '--role', 'leder')


def test_member_add_invalid_name_exit_4(t):
    t.init()
    t.fails(4, 'ke', 'member', 'add', '--name', '=Ola', '--role', 'leder')
    t.fails(4, 'ke', 'member', 'add', '--name', 'O' * 201, '--role', 'leder')


# ---- meetings -----------------------------------------------------------------------

def members(t):
    t.init()
    t.ok('ke', 'member', 'add', '--name', 'Ola Prøvesen', '--role', 'leder')
    t.ok('ke', 'member', 'add', '--name', 'Per Fiktivsen', '--role', 'lege')
    t.ok('ke', 'member', 'add', '--name', 'Åse Øvreås', '--role', 'sykepleier')


def meetings(t):
    return [(m['id'], m['held'], m['attendee_count'], m['review_count']) for m in t.json('ke', 'meeting', 'list')]


def test_meeting_add_with_attendees_by_name_and_id(t):
    members(t)
    assert t.ok('ke', 'meeting', 'add', '--date', '2026-11-02', '--attendee', 'Åse Øvreås',
                '--attendee', '2') == '1\n'
    m = t.json('ke', 'meeting', 'show', '1')
    assert m['held'] == '2026-11-02', m
    assert [(a['member_id'], a['member']) for a in m['attendees']] == [(2, 'Per Fiktivsen'),
                                                                     (3, 'Åse Øvreås')], m
    assert m['reviews'] == [], m


def test_meeting_add_today_by_default(t):
    members(t)
    t.ok('ke', 'meeting', 'add')
    assert meetings(t) == [(1, '2026-11-22', 0, 0)]


def test_meeting_add_unknown_attendee_exit_3(t):
    members(t)
    t.fails(3, 'ke', 'meeting', 'add', '--attendee', 'Ola Prøvesen', '--attendee', 'Ukjent Person')
    t.fails(3, 'ke', 'meeting', 'add', '--attendee', '9')
    assert t.json('ke', 'meeting', 'list') == []


def test_meeting_add_after_today_exit_4(t):
    # a meeting is something that happened (SPEC section 4: "held")
    members(t)
    t.fails(4, 'ke', 'meeting', 'add', '--date', '2026-11-23')


def test_meeting_add_bad_date_exit_4(t):
    members(t)
    t.fails(4, 'ke', 'meeting', 'add', '--date', '2026-02-30')


def test_meeting_list_counts_attendees_and_reviews(t):
    story.base(t)
    c = story.refer(t)
    story.review(t, c)
    t.ok('ke', 'meeting', 'add')
    assert meetings(t) == [(1, story.MEETING, 1, 1), (2, '2026-11-22', 0, 0)]


def test_meeting_show_hides_the_case_of_anonymous_reviews(t):
    story.base(t)
    c1 = story.refer(t)
    c2 = story.refer(t)
    t.ok('consent', 'give', str(c2), '--scope', 'exchange', '--by', 'user', '--parties', 'KE',
         '--date', '2026-10-02')
    story.review(t, c1, note='Anonym drøfting')
    rid = int(t.ok('ke', 'review', str(c2), '--meeting', '1', '--note', 'Identifisert drøfting'))
    reviews = t.json('ke', 'meeting', 'show', '1')['reviews']
    anon = [r for r in reviews if r['anonymous']]
    named = [r for r in reviews if not r['anonymous']]
    assert len(anon) == 1 and len(named) == 1, reviews
    assert anon[0].get('id') is None and anon[0].get('case_id') is None, anon
    assert named[0]['id'] == rid and named[0]['case_id'] == c2, named
    table = t.ok('ke', 'meeting', 'show', '1')
    assert 'Anonym drøfting' in table


def test_meeting_show_missing_exit_3(t):
    t.init()
    t.fails(3, 'ke', 'meeting', 'show', '7')


# ---- reviews --------------------------------------------------------------------------

def test_anonymous_review_with_the_first_name_exit_4(t):
    c = kari(t)
    for note in ('Kari trenger koordinator', 'Drøftet saken til kari.', 'KARI og familien',
                 'Samtale med Testesen'):
        t.fails(4, *anonymous(t, c, note), private=PRIVATE)
    assert story.status(t, c) == 'received'


def test_anonymous_review_with_the_nin_exit_4(t):
    c = kari(t)
    t.fails(4, *anonymous(t, c, f'Gjelder {KARI_NIN}'), private=PRIVATE)
    t.fails(4, *anonymous(t, c, f'Gjelder {NIN_SPACED}'), private=PRIVATE)


def test_anonymous_review_with_the_birth_date_exit_4(t):
    c = kari(t)
    t.fails(4, *anonymous(t, c, f'Barn født {KARI[1]}'), private=PRIVATE)
    t.fails(4, *anonymous(t, c, f'Barn født {BORN_DOTTED}'), private=PRIVATE)


def test_anonymous_review_without_identity_is_accepted(t):
    c = kari(t)
    note = 'Jente på 16 år med sammensatte behov; anbefaler koordinator fra 2026-12-01'
    rid = int(t.ok(*anonymous(t, c, note)))
    [rev] = story.show(t, c)['reviews']
    assert (rev['id'], rev['anonymous'], rev['conclusion']) == (rid, True, note), rev
    assert story.status(t, c) == 'review'


def test_review_journal_date_recorded(t):
    story.base(t)
    c = story.refer(t)
    t.ok('ke', 'review', str(c), '--meeting', '1', '--note', story.NOTE, '--anonymous',
         '--journal', '2026-10-16')
    assert story.show(t, c)['reviews'][0]['journal'] == '2026-10-16'


def test_review_journal_before_the_meeting_exit_4(t):
    story.base(t)
    c = story.refer(t)
    t.fails(4, 'ke', 'review', str(c), '--meeting', '1', '--note', story.NOTE, '--anonymous',
            '--journal', '2026-10-14')


def test_review_journal_after_today_exit_4(t):
    story.base(t)
    c = story.refer(t)
    t.fails(4, 'ke', 'review', str(c), '--meeting', '1', '--note', story.NOTE, '--anonymous',
            '--journal', '2026-11-23')


def test_review_at_a_meeting_before_the_referral_exit_4(t):
    story.base(t)
    c = story.refer(t, date='2026-10-16')   # meeting 1 was held 2026-10-15
    t.fails(4, 'ke', 'review', str(c), '--meeting', '1', '--note', story.NOTE, '--anonymous')


def test_review_unknown_meeting_exit_3(t):
    story.base(t)
    c = story.refer(t)
    t.fails(3, 'ke', 'review', str(c), '--meeting', '9', '--note', story.NOTE, '--anonymous')


def test_review_needs_meeting_and_note_exit_2(t):
    story.base(t)
    c = story.refer(t)
    t.fails(2, 'ke', 'review', str(c), '--note', story.NOTE, '--anonymous')
    t.fails(2, 'ke', 'review', str(c), '--meeting', '1', '--anonymous')


def test_review_appears_in_history(t):
    story.base(t)
    c = story.refer(t)
    story.review(t, c)
    assert {'date': story.MEETING, 'event': 'reviewed', 'detail': 'anonymously, meeting 1'} \
        in story.show(t, c)['history']


# ---- handbook -----------------------------------------------------------------------------

def test_handbook_update_recorded(t):
    t.init()
    assert t.ok('ke', 'handbook', '--date', '2026-11-01', '--note', 'Nye rutiner for samtykke') == '1\n'
    assert t.ok('ke', 'handbook') == '2\n'
    assert t.sql('SELECT updated, note FROM handbook ORDER BY id') == [
        ('2026-11-01', 'Nye rutiner for samtykke'), ('2026-11-22', None)]


def test_handbook_after_today_exit_4(t):
    t.init()
    t.fails(4, 'ke', 'handbook', '--date', '2026-11-23')


# ---- preliminary reply --------------------------------------------------------------------

def test_reply_recorded(t):
    story.base(t)
    c = story.refer(t)
    assert t.ok('ke', 'reply', str(c), '--date', '2026-11-02') == '1\n'
    s = story.show(t, c)
    assert [r['sent'] for r in s['preliminary_replies']] == ['2026-11-02'], s['preliminary_replies']
    assert any(h['event'] == 'preliminary_reply' and h['date'] == '2026-11-02' for h in s['history'])


def test_reply_owed_until_recorded(t):
    story.base(t)
    c = story.refer(t)   # received 2026-10-01, undecided on 2026-11-22
    r = t.run('--json', 'due')
    assert r.rc == 0, r.err
    owed = [d for d in json.loads(r.out) if d['case_id'] == c and 'ke reply' in (d['action'] or '')]
    assert owed, r.out
    t.ok('ke', 'reply', str(c))
    after = [d for d in t.json('due') if d['case_id'] == c and 'ke reply' in (d['action'] or '')]
    assert after == [], after


def test_reply_when_nothing_is_undecided_exit_1(t):
    story.base(t)
    c = story.refer(t, 'coordinator')
    story.grant(t, c)
    t.fails(1, 'ke', 'reply', str(c))


def test_reply_on_a_closed_case_exit_1(t):
    story.base(t)
    c = story.refer(t)
    story.close(t, c)
    t.fails(1, 'ke', 'reply', str(c))


def test_reply_before_received_or_after_today_exit_4(t):
    story.base(t)
    c = story.refer(t)
    t.fails(4, 'ke', 'reply', str(c), '--date', '2026-09-30')
    t.fails(4, 'ke', 'reply', str(c), '--date', '2026-11-23')
