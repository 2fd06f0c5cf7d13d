"""Escalations and the KE meeting's agenda (SPEC sections 2, 3, 5, 8;
issue 12): `ke escalate` records a problem a coordinator cannot solve at
service level, which stands on `ke meeting agenda` and in `due` until a
review follows it; the agenda lists received cases not yet reviewed,
escalations, appeals for the KE to reconsider and quashed decisions; an
identified review at a meeting attended by a member who takes no part in
case reviews is recorded with a warning."""
import story
from story import MEETING, RECEIVED, UNIT

TODAY = '2026-11-22'
NOTE = 'Tjenestene blir ikke enige om hvem som gjør hva'


def escalate(t, case, *extra, note=NOTE):
    return int(t.ok('ke', 'escalate', str(case), '--note', note, *extra))


def agenda(t, *args):
    return [(r['case_id'], r['reason'], r['since']) for r in t.json('ke', 'meeting', 'agenda', *args)]


def due_rows(t, kind):
    return [(r['case_id'], r['since'], r['due'], r['action']) for r in t.json('due')
            if r['kind'] == kind]


# ---- ke escalate -------------------------------------------------------------------------

def test_escalate_records_it_and_keeps_the_state(t):
    story.base(t)
    c = story.refer(t)
    r = t.run('ke', 'escalate', str(c), '--note', NOTE, '--date', '2026-11-01')
    assert r.rc == 0 and r.out == '1\n', r
    assert f'case {c}: received -> received; escalation 1' in r.err, r.err
    assert NOTE not in r.err
    assert story.status(t, c) == 'received'
    assert t.sql('SELECT case_id, escalated, note FROM escalation') == [(c, '2026-11-01', NOTE)]
    assert t.one("SELECT count(*) FROM audit WHERE entity = 'escalation'") == 1


def test_escalation_in_case_show_and_its_history(t):
    story.base(t)
    c = story.refer(t)
    escalate(t, c, '--date', '2026-11-01')
    shown = story.show(t, c)
    assert shown['escalations'] == [{'id': 1, 'escalated': '2026-11-01', 'note': NOTE}], shown
    assert {'date': '2026-11-01', 'event': 'escalated', 'detail': 'escalation 1'} in shown['history']


def test_escalate_json_and_today_by_default(t):
    story.base(t)
    c = story.refer(t)
    got = t.json('ke', 'escalate', str(c), '--note', NOTE)
    assert got == {'id': 1, 'case_id': c, 'escalated': TODAY, 'note': NOTE}, got


def test_escalate_in_every_open_state(t):
    story.base(t)
    for state in ('received', 'review', 'granted', 'denied', 'appealed', 'active'):
        c = story.drive(t, state)['case']
        escalate(t, c)
        assert story.status(t, c) == state, state


def test_escalate_on_a_closed_case_exit_1(t):
    story.base(t)
    c = story.refer(t)
    story.close(t, c)
    t.fails(1, 'ke', 'escalate', str(c), '--note', NOTE,
            err_contains=["'ke escalate' is not allowed for a case that is 'closed'", 'case reopen'])


def test_escalate_refusals(t):
    story.base(t)
    c = story.refer(t)
    t.fails(2, 'ke', 'escalate', str(c), err_contains="'ke escalate' needs --note")
    t.fails(2, 'ke', 'escalate', '--note', NOTE, err_contains='missing CASE')
    t.fails(2, 'ke', 'escalate', str(c), '--note', NOTE, '--note', 'igjen',
            err_contains="option '--note' given twice")
    t.fails(3, 'ke', 'escalate', '42', '--note', NOTE, err_contains='no case 42')
    t.fails(4, 'ke', 'escalate', str(c), '--note', NOTE, '--date', '2026-11-23',
            err_contains='lies after today')
    t.fails(4, 'ke', 'escalate', str(c), '--note', NOTE, '--date', '2026-09-30',
            err_contains='--date')   # before the case was received
    t.fails(4, 'ke', 'escalate', str(c), '--note', 'x' * 4001, err_contains='--note')
    t.fails(4, 'ke', 'escalate', str(c), '--note', 'a\x1bb', err_contains='--note')


def test_escalation_note_never_in_messages_and_erased_with_the_person(t):
    story.base(t)
    c = story.refer(t)
    escalate(t, c)
    person = story.show(t, c)['person_id']
    t.ok('person', 'erase', str(person), '--reason', 'Slettet etter krav', '--yes')
    assert t.sql('SELECT note FROM escalation') == [('(erased)',)]
    t.ok('audit', 'verify')


# ---- due: escalation ---------------------------------------------------------------------

def test_due_lists_an_escalation_until_a_review_follows_it(t):
    story.base(t)
    c = story.refer(t)
    escalate(t, c, '--date', '2026-11-01')
    want = [(c, '2026-11-01', '2026-11-01',
             f'bti ke review {c} --meeting ID --note CONCLUSION')]
    assert due_rows(t, 'escalation') == want
    # a review at a meeting held before the escalation does not follow it
    story.review(t, c)   # meeting 1, 2026-10-15
    assert due_rows(t, 'escalation') == want
    assert t.ok('ke', 'meeting', 'add', '--date', '2026-11-10') == '2\n'
    story.review(t, c, meeting='2')
    assert due_rows(t, 'escalation') == []


def test_due_escalation_kind_filter(t):
    story.base(t)
    c = story.refer(t)
    escalate(t, c)
    assert [(r['case_id'], r['kind']) for r in t.json('due', '--kind', 'escalation')] == \
        [(c, 'escalation')]


# ---- ke meeting agenda -------------------------------------------------------------------

def test_agenda_lists_received_cases_until_reviewed(t):
    story.base(t)
    c1 = story.refer(t, date='2026-10-01')
    c2 = story.refer(t, date='2026-10-20')
    assert agenda(t) == [(c1, 'received', '2026-10-01'), (c2, 'received', '2026-10-20')]
    assert t.ok('ke', 'meeting', 'add', '--date', '2026-11-01') == '2\n'
    story.review(t, c1, meeting='2')
    # the next meeting's agenda no longer holds it; meeting 2's own agenda does
    assert agenda(t) == [(c2, 'received', '2026-10-20')]
    assert agenda(t, '2') == [(c1, 'received', '2026-10-01'), (c2, 'received', '2026-10-20')]
    # meeting 1 (15 October) came before c2 was received
    assert agenda(t, '1') == [(c1, 'received', '2026-10-01')]


def test_agenda_json_keys_and_table(t):
    story.base(t)
    c = story.refer(t)
    rows = t.json('ke', 'meeting', 'agenda')
    assert rows and all(list(r) == ['case_id', 'reason', 'since'] for r in rows), rows
    out = t.ok('ke', 'meeting', 'agenda')
    assert 'received' in out and RECEIVED in out, out
    assert t.ok('--csv', 'ke', 'meeting', 'agenda').splitlines()[0] == 'case_id,reason,since'
    story.review(t, c)
    assert t.json('ke', 'meeting', 'agenda') == []
    assert t.ok('ke', 'meeting', 'agenda') == ''


def test_agenda_holds_escalations_until_a_review_follows(t):
    story.base(t)
    c = story.refer(t)
    story.review(t, c)   # 15 October
    escalate(t, c, '--date', '2026-11-01')
    assert agenda(t) == [(c, 'escalation', '2026-11-01')]
    t.ok('ke', 'meeting', 'add', '--date', '2026-11-05')
    story.review(t, c, meeting='2')
    assert agenda(t) == []
    assert agenda(t, '2') == [(c, 'escalation', '2026-11-01')]


def test_agenda_holds_appeals_to_reconsider_and_quashed_decisions(t):
    story.base(t)
    c = story.refer(t, 'coordinator')
    story.review(t, c)
    story.deny(t, c, '--notified', story.DECIDED)
    story.appeal(t, c)
    assert agenda(t) == [(c, 'appeal', story.APPEALED)]
    story.forward(t, c)
    assert agenda(t) == []
    t.ok('ke', 'appeal-result', str(c), '--quashed', '--by', 'statsforvalteren')
    assert agenda(t) == [(c, 'quashed', TODAY)]
    story.deny(t, c, date=TODAY)
    assert agenda(t) == []


def test_agenda_of_a_missing_or_bad_meeting(t):
    story.base(t)
    story.refer(t)
    t.fails(3, 'ke', 'meeting', 'agenda', '7', err_contains='no KE meeting 7')
    t.fails(4, 'ke', 'meeting', 'agenda', 'x', err_contains='MEETING')
    t.fails(2, 'ke', 'meeting', 'agenda', '1', '2', err_contains='too many')
    t.fails(2, 'ke', 'meeting', 'agenda', '--date', TODAY, err_contains="unknown option '--date'")


# ---- members who take no part in case reviews ----------------------------------------------

def test_identified_review_warns_of_a_member_without_case_reviews(t):
    story.base(t)
    t.ok('ke', 'member', 'add', '--name', 'Enhetsleder Testesen', '--role', 'enhetsleder',
         '--no-case-reviews')
    assert t.ok('ke', 'meeting', 'add', '--attendee', '1', '--attendee', '2') == '2\n'
    c = story.refer(t)
    t.ok('consent', 'give', str(c), '--scope', 'exchange', '--by', 'user', '--parties', 'KE',
         '--date', RECEIVED)
    r = t.run('ke', 'review', str(c), '--meeting', '2', '--note', story.NOTE)
    assert r.rc == 0, r
    assert "bti: warning: KE member 2 (role 'enhetsleder') takes no part in case reviews" in r.err, r.err
    assert 'Enhetsleder Testesen' not in r.err and 'Test Testesen' not in r.err
    assert t.one('SELECT count(*) FROM review') == 1
    # an anonymous review names no one, so no warning
    c2 = story.refer(t)
    r = t.run('ke', 'review', str(c2), '--meeting', '2', '--note', story.NOTE, '--anonymous')
    assert r.rc == 0 and 'warning' not in r.err, r.err
    # a meeting without such a member: no warning
    r = t.run('ke', 'review', str(c), '--meeting', '1', '--note', story.NOTE)
    assert r.rc == 0 and 'warning' not in r.err, r.err
