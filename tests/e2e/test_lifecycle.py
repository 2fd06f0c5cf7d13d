"""The case lifecycle (SPEC section 3): every (state, event) pair the
command line can raise, against a table written from the SPEC, plus the
preconditions the table names (--unit, --reason, --cause)."""
import os
import shutil

import story
from fixture import drop_db, place_db, settle
from story import UNIT, K2, drive

STATES = ('received', 'review', 'granted', 'denied', 'appealed', 'active', 'closed')

REFUSED = 'refused'   # the table does not allow it: exit 1, "... 'state' ...; allowed: ..."
USAGE = 'usage'       # allowed, but an option the row needs is missing: exit 2
RULE = 'rule'         # allowed by the table, refused by another rule: exit 1

# SPEC section 3, written out per state.  'deny' denies every undecided
# item, 'deny-part' only `child`; 'assign' has no --reason, 'reassign' has;
# 'refer' adds a request for `ip`, which these cases have already (the
# table allows it in every open state; the transitions it makes are walked
# in test_stuck.py); 'stand-in' is a temporary assignment, 'end' a
# coordinator end.
# The cases are driven by story.drive: received and review hold a partial
# denial of `ip`; granted a denial of `ip` and a grant of `coordinator`;
# denied denials of every item; appealed the second of those appealed;
# active a grant of `coordinator`, a running coordinator and a denial of `ip`.
EXPECTED = {
    'received': {
        'review': 'review', 'grant': 'granted', 'deny': 'denied', 'deny-part': 'received',
        'void': 'received', 'appeal': 'received', 'reversed': 'granted',
        'quashed': 'received', 'upheld': 'received', 'assign': REFUSED, 'reassign': REFUSED,
        'close': 'closed', 'reopen': REFUSED,
        'escalate': 'received',
        'refer': RULE, 'stand-in': REFUSED, 'end': REFUSED,
    },
    'review': {
        'review': 'review', 'grant': 'granted', 'deny': 'denied', 'deny-part': 'review',
        'void': 'review', 'appeal': 'review', 'reversed': 'granted',
        'quashed': 'review', 'upheld': 'review', 'assign': REFUSED, 'reassign': REFUSED,
        'close': 'closed', 'reopen': REFUSED,
        'escalate': 'review',
        'refer': RULE, 'stand-in': REFUSED, 'end': REFUSED,
    },
    'granted': {
        'review': 'granted', 'grant': 'granted', 'deny': 'granted', 'deny-part': 'granted',
        'void': 'review',  # the grant, made in review
        'appeal': 'granted', 'reversed': 'granted', 'quashed': 'granted', 'upheld': 'granted',
        'assign': 'active', 'reassign': 'active', 'close': 'closed', 'reopen': REFUSED,
        'escalate': 'granted',
        'refer': RULE, 'stand-in': REFUSED, 'end': REFUSED,
    },
    'denied': {
        'review': 'denied', 'grant': REFUSED, 'deny': REFUSED, 'deny-part': REFUSED,
        'void': 'review',  # the denial that left every item denied, made in review
        'appeal': 'appealed', 'reversed': 'granted', 'quashed': 'denied', 'upheld': 'denied',
        'assign': REFUSED, 'reassign': REFUSED, 'close': 'closed', 'reopen': REFUSED,
        'escalate': 'denied',
        'refer': RULE, 'stand-in': REFUSED, 'end': REFUSED,
    },
    'appealed': {
        'review': 'appealed', 'grant': REFUSED, 'deny': REFUSED, 'deny-part': REFUSED,
        'void': RULE,  # the latest decision is under appeal: it cannot be voided
        'appeal': 'appealed',  # the first, partial denial
        'reversed': 'granted', 'quashed': 'review', 'upheld': 'closed',
        'assign': REFUSED, 'reassign': REFUSED, 'close': 'closed', 'reopen': REFUSED,
        'escalate': 'appealed',
        'refer': RULE, 'stand-in': REFUSED, 'end': REFUSED,
    },
    'active': {
        'review': 'active', 'grant': 'active', 'deny': 'active', 'deny-part': 'active',
        'void': 'active',  # the partial denial made while active
        'appeal': 'active', 'reversed': 'active', 'quashed': 'active', 'upheld': 'active',
        'assign': USAGE,  # a change of coordinator needs --reason
        'reassign': 'active', 'close': 'closed', 'reopen': REFUSED,
        'escalate': 'active',
        'refer': RULE, 'stand-in': 'active', 'end': 'granted',
    },
    'closed': {
        'review': REFUSED, 'grant': REFUSED, 'deny': REFUSED, 'deny-part': REFUSED,
        'void': REFUSED, 'appeal': REFUSED, 'reversed': REFUSED, 'quashed': REFUSED,
        'upheld': REFUSED, 'assign': REFUSED, 'reassign': REFUSED, 'close': REFUSED,
        'reopen': 'received',  # the state before closing
        'escalate': REFUSED,
        'refer': REFUSED, 'stand-in': REFUSED, 'end': REFUSED,
    },
}

# The command each event is raised by, as a refusal names it.
COMMAND = {
    'review': 'ke review', 'grant': 'ke decide', 'deny': 'ke decide', 'deny-part': 'ke decide',
    'void': 'ke decide --void', 'appeal': 'ke appeal', 'reversed': 'ke appeal-result',
    'quashed': 'ke appeal-result', 'upheld': 'ke appeal-result', 'assign': 'coordinator assign',
    'reassign': 'coordinator assign', 'close': 'case close', 'reopen': 'case reopen',
    'escalate': 'ke escalate',
    'refer': 'referral add --case', 'stand-in': 'coordinator assign --temporary',
    'end': 'coordinator end',
}

RESULTS = ('reversed', 'quashed', 'upheld')


def event_args(event, ids):
    """The command line raising event on the case of ids."""
    c = str(ids['case'])
    return {
        'review': ('ke', 'review', c, '--meeting', '1', '--note', story.NOTE, '--anonymous'),
        'grant': ('ke', 'decide', c, '--grant', '--unit', UNIT),
        'deny': ('ke', 'decide', c, '--deny', '--reason', story.REASON),
        'deny-part': ('ke', 'decide', c, '--deny', '--covers', 'child', '--reason', story.REASON),
        'void': ('ke', 'decide', c, '--void', str(ids['void']), '--reason', 'Registrert ved en feil'),
        'appeal': ('ke', 'appeal', c, '--decision', str(ids['appeal'])),
        'reversed': ('ke', 'appeal-result', c, '--reversed', '--unit', UNIT),
        'quashed': ('ke', 'appeal-result', c, '--quashed'),
        'upheld': ('ke', 'appeal-result', c, '--upheld'),
        'assign': ('coordinator', 'assign', c, '--coordinator', K2),
        'reassign': ('coordinator', 'assign', c, '--coordinator', K2, '--reason', 'Brukeren ba om bytte'),
        'close': ('case', 'close', c, '--cause', 'need-ended'),
        'reopen': ('case', 'reopen', c, '--reason', 'Lukket ved en feil'),
        'escalate': ('ke', 'escalate', c, '--note', 'Tjenestene blir ikke enige'),
        'refer': ('referral', 'add', '--case', c, '--source', 'plo', '--requests', 'ip'),
        'stand-in': ('coordinator', 'assign', c, '--coordinator', K2, '--temporary', '--until',
                     '2026-12-20', '--reason', 'Koordinator i permisjon'),
        'end': ('coordinator', 'end', c, '--reason', 'Enheten melder at behovet er over'),
    }[event]


def allowed_commands(state):
    """The commands the table allows from state (what a refusal lists)."""
    return {COMMAND[e] for e, to in EXPECTED[state].items() if to not in (REFUSED,)}


def check_refusal(state, event, err):
    line = err.splitlines()[0]
    assert 'allowed:' in line, f'{state} + {event}: the refusal lists nothing allowed: {err!r}'
    head, allowed = line.split('allowed:', 1)
    assert state in head, f'{state} + {event}: the refusal does not name the state: {line!r}'
    listed = {w.strip().strip('\'"`') for w in allowed.split(',') if w.strip()}
    assert listed == allowed_commands(state), \
        f'{state} + {event}: allowed {sorted(listed)}, SPEC allows {sorted(allowed_commands(state))}'


def saved_case(t, state, with_appeal):
    """A database copy holding one case driven to state; (ids, path)."""
    drop_db(t.db)
    story.base(t)
    ids = drive(t, state, with_appeal)
    path = t.path(f'{state}-{int(with_appeal)}.db')
    settle(t.db)
    shutil.copyfile(t.db, path)
    return ids, path


def walk(t, state):
    """Raise every event on a fresh copy of a case in state; collect the
    mismatches."""
    saved = {False: saved_case(t, state, False), True: saved_case(t, state, True)}
    problems = []
    for event, expected in EXPECTED[state].items():
        ids, path = saved[event in RESULTS]
        place_db(path, t.db)
        args = event_args(event, ids)
        try:
            if expected == REFUSED:
                r = t.fails(1, *args)
                check_refusal(state, event, r.err)
            elif expected == USAGE:
                t.fails(2, *args)
            elif expected == RULE:
                t.fails(1, *args)
            else:
                r = t.run(*args)
                assert r.rc == 0, f'exit {r.rc}, expected 0: {r.err.strip()}'
                got = story.status(t, ids['case'])
                assert got == expected, f'status {got}, expected {expected}'
                assert state in r.err and expected in r.err, \
                    f'the summary does not say {state} -> {expected}: {r.err.strip()!r}'
        except AssertionError as e:
            problems.append(f'[{state} + {event}] {e}')
    assert not problems, '\n'.join(problems)


def test_table_covers_every_state_and_event(t):
    events = set(COMMAND)
    assert set(EXPECTED) == set(STATES)
    for state in STATES:
        assert set(EXPECTED[state]) == events, state


def test_walk_from_received(t):
    walk(t, 'received')


def test_walk_from_review(t):
    walk(t, 'review')


def test_walk_from_granted(t):
    walk(t, 'granted')


def test_walk_from_denied(t):
    walk(t, 'denied')


def test_walk_from_appealed(t):
    walk(t, 'appealed')


def test_walk_from_active(t):
    walk(t, 'active')


def test_walk_from_closed(t):
    walk(t, 'closed')


# ---- preconditions ---------------------------------------------------------------

def test_grant_without_unit_exit_2(t):
    story.base(t)
    c = story.refer(t)
    t.fails(2, 'ke', 'decide', str(c), '--grant',
            err_contains=["'ke decide' needs a responsible unit", 'with --unit UNIT'])


def test_deny_without_reason_exit_2(t):
    story.base(t)
    c = story.refer(t)
    t.fails(2, 'ke', 'decide', str(c), '--deny',
            err_contains=["'ke decide' needs a reason", 'with --reason TEXT'])


def test_void_without_reason_exit_2(t):
    story.base(t)
    ids = drive(t, 'granted')
    t.fails(2, 'ke', 'decide', str(ids['case']), '--void', str(ids['void']),
            err_contains=["'ke decide --void' needs a reason", 'with --reason TEXT'])


def test_change_of_coordinator_without_reason_exit_2(t):
    story.base(t)
    c, _ = story.active_case(t)
    t.fails(2, 'coordinator', 'assign', str(c), '--coordinator', K2,
            err_contains=["'coordinator assign' needs a reason", 'with --reason TEXT'])


def test_close_without_cause_exit_2(t):
    story.base(t)
    c = story.refer(t)
    t.fails(2, 'case', 'close', str(c), err_contains='--cause')


def test_reopen_without_reason_exit_2(t):
    story.base(t)
    c = story.refer(t)
    story.close(t, c)
    t.fails(2, 'case', 'reopen', str(c), err_contains='--reason')


def test_reversed_without_unit_exit_2(t):
    story.base(t)
    ids = drive(t, 'appealed')
    t.fails(2, 'ke', 'appeal-result', str(ids['case']), '--reversed',
            err_contains=["'ke appeal-result' needs a responsible unit", 'with --unit UNIT'])


def test_close_with_unknown_cause_exit_4(t):
    story.base(t)
    c = story.refer(t)
    t.fails(4, 'case', 'close', str(c), '--cause', 'bored')


def test_refusal_on_a_missing_case_exit_3(t):
    story.base(t)
    t.fails(3, 'ke', 'review', '42', '--meeting', '1', '--note', story.NOTE, '--anonymous',
            err_contains='no case 42')
    t.fails(3, 'case', 'close', '42', '--cause', 'other', err_contains='no case 42')
    t.fails(3, 'ke', 'decide', '42', '--grant', '--unit', UNIT, err_contains='no case 42')


def test_every_command_on_a_missing_case_exit_3_naming_it(t):
    # the case's own "not found" is not taken for a missing plan, decision,
    # appeal or coordinator of it (those are rule refusals, exit 1)
    story.base(t)
    for args in [('plan', 'goal', '42', 'Bo hjemme'), ('plan', 'adopt', '42'),
                 ('plan', 'evaluate', '42'), ('plan', 'end', '42', '--reason', 'Ferdig'),
                 ('plan', 'edit', '42', '--ref', 'X', '--reason', 'Feil'), ('plan', 'show', '42'),
                 ('coordinator', 'confirm', '42'), ('coordinator', 'register', '42', '--own-system', 'SamPro'),
                 ('ke', 'notify', '42', '--date', '2026-11-01'), ('ke', 'appeal', '42'),
                 ('ke', 'appeal-forward', '42'), ('ke', 'appeal-result', '42', '--upheld'),
                 ('group', 'meeting', '42', '--no-minutes'), ('ke', 'reply', '42'), ('plan', 'start', '42'),
                 ('case', 'unit', '42', '--unit', UNIT, '--reason', 'Flyttet'),
                 ('coordinator', 'assign', '42', '--coordinator', K2)]:
        t.fails(3, *args, err_contains='no case 42')


# ---- commands that only ask the table whether the state allows them -------------------------

GUARDED = {
    # the command, and the states it is refused in
    ('referral', 'add', '--case', '{case}', '--source', 'bti', '--requests', 'child'):
        ('closed',),
    ('ke', 'reply', '{case}'): ('closed',),
    ('case', 'unit', '{case}', '--unit', '2', '--reason', 'Flyttet'): ('closed',),
    ('consent', 'give', '{case}', '--scope', 'exchange', '--by', 'user', '--parties', 'all'):
        ('closed',),
    ('group', 'add', '{case}', '--name', 'Per Fiktivsen', '--role', 'lærer', '--org', 'skole'):
        ('closed',),
    ('plan', 'start', '{case}'): ('received', 'review', 'denied', 'appealed', 'closed'),
}


def test_guarded_commands_are_refused_by_state_naming_it(t):
    problems = []
    for state in STATES:
        ids, path = saved_case(t, state, False)
        for args, refused_in in GUARDED.items():
            if state not in refused_in:
                continue
            place_db(path, t.db)
            argv = [a.format(case=ids['case']) for a in args]
            command = ' '.join(argv[:2]) + (' --case' if argv[2] == '--case' else '')
            try:
                t.fails(1, *argv, err_contains=[f"'{command}' is not allowed for a case that is "
                                                f"'{state}'", 'allowed:'])
            except AssertionError as e:
                problems.append(f'[{state}: {command}] {e}')
    assert not problems, '\n'.join(problems)
