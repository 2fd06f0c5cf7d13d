"""Shared set-up for the end-to-end tests of the case lifecycle and the work
around it (SPEC sections 3 and 4): one database with two units, three
coordinators, a KE member and a KE meeting, and helpers that drive a fresh
case through the command line to a given state.

Every person is synthetic ("Test Testesen 3"), every nin comes from synth.py.
Dates: a case is received on RECEIVED, reviewed at the meeting held on
MEETING, decided on DECIDED; today is 2026-11-22 (fixture.TODAY).
"""
import json

RECEIVED = '2026-10-01'
MEETING = '2026-10-15'   # KE meeting 1
DECIDED = '2026-10-20'
APPEALED = '2026-10-25'
ASSIGNED = '2026-10-25'

UNIT = 'Familiesenter'          # unit 1
OTHER_UNIT = 'BOAK'             # unit 2
K1 = 'Kari Koordinatorsen'      # coordinator 1, Familiesenter
K2 = 'Per Veiledersen'          # coordinator 2, Familiesenter
K3 = 'Åse Andreassen'           # coordinator 3, BOAK
EMAILS = {K1: 'kari.k@example.org', K2: 'per.v@example.org', K3: 'ase.a@example.org'}
MEMBER = 'Ola Prøvesen'         # KE member 1

REASON = 'Vilkårene er ikke oppfylt'
NOTE = 'Drøftet i KE, anbefaler koordinator'


def base(t):
    """The shared database: units, coordinators, a KE member and meeting 1."""
    t.snapshot('story-base', _build_base)


def _build_base(t):
    t.init()
    t.ok('unit', 'add', UNIT)
    t.ok('unit', 'add', OTHER_UNIT)
    t.ok('coordinator', 'add', '--name', K1, '--unit', UNIT, '--email', EMAILS[K1],
         '--phone', '+47 400 00 001')
    t.ok('coordinator', 'add', '--name', K2, '--unit', UNIT, '--email', EMAILS[K2])
    t.ok('coordinator', 'add', '--name', K3, '--unit', OTHER_UNIT, '--email', EMAILS[K3])
    t.ok('ke', 'member', 'add', '--name', MEMBER, '--role', 'leder')
    t.ok('ke', 'meeting', 'add', '--date', MEETING, '--attendee', MEMBER)


# ---- small steps -------------------------------------------------------------

def _next_name(t):
    """A name no person in the database has."""
    return f'Test Testesen {t.one("SELECT coalesce(max(id), 0) + 1 FROM person")}'


def refer(t, requests='coordinator,ip,child', date=RECEIVED, extra=(), name=None):
    """A new person referred for requests; the case id (int)."""
    out = t.ok('referral', 'add', '--name', name or _next_name(t), '--source', 'bti',
               '--requests', requests, '--date', date, *extra)
    return int(out)


def show(t, case, *glob):
    return t.json(*glob, 'case', 'show', str(case))


def status(t, case):
    return show(t, case)['status']


def review(t, case, meeting='1', note=NOTE):
    """An anonymous review (no consent needed)."""
    return int(t.ok('ke', 'review', str(case), '--meeting', meeting, '--note', note, '--anonymous'))


def grant(t, case, *extra, covers=None, date=DECIDED, unit=UNIT):
    cov = ('--covers', covers) if covers else ()
    return int(t.ok('ke', 'decide', str(case), '--grant', '--unit', unit, *cov, '--date', date,
                    *extra))


def deny(t, case, *extra, covers=None, date=DECIDED):
    cov = ('--covers', covers) if covers else ()
    return int(t.ok('ke', 'decide', str(case), '--deny', '--reason', REASON, *cov, '--date', date,
                    *extra))


def appeal(t, case, decision=None, date=APPEALED):
    dec = ('--decision', str(decision)) if decision else ()
    return int(t.ok('ke', 'appeal', str(case), *dec, '--date', date))


def forward(t, case):
    t.ok('ke', 'appeal-forward', str(case))


def assign(t, case, coordinator=K1, *extra, date=ASSIGNED):
    return int(t.ok('coordinator', 'assign', str(case), '--coordinator', coordinator,
                    '--date', date, *extra))


def close(t, case, cause='other'):
    t.ok('case', 'close', str(case), '--cause', cause)


def active_case(t, requests='coordinator,ip,child', coordinator=K1, covers='coordinator'):
    """A case granted `covers` and given `coordinator`: (case, decision)."""
    case = refer(t, requests)
    d = grant(t, case, covers=covers)
    assign(t, case, coordinator)
    return case, d


# ---- a fresh case in a given state ---------------------------------------------

def drive(t, state, with_appeal=False):
    """A new case (requests coordinator, ip and child) brought to `state`
    through the CLI.  Returns {'case', 'void', 'appeal'}: the decision a
    `--void` takes (the latest) and one still open to appeal.  With
    with_appeal, a denial of the case has an appeal forwarded to
    statsforvalteren that awaits its result."""
    c = refer(t)
    ids = {'case': c}
    if state in ('received', 'closed'):
        d1 = deny(t, c, covers='ip')
        if with_appeal:
            appeal(t, c, d1)
            forward(t, c)
        ids.update(void=d1, appeal=d1)
        if state == 'closed':
            close(t, c)
    elif state in ('review', 'granted', 'denied'):
        review(t, c)
        d1 = deny(t, c, covers='ip')
        if with_appeal:
            appeal(t, c, d1)
            forward(t, c)
        ids.update(void=d1, appeal=d1)
        if state == 'granted':
            ids['void'] = grant(t, c, covers='coordinator')
        elif state == 'denied':
            ids['void'] = ids['appeal'] = deny(t, c)
    elif state == 'appealed':
        review(t, c)
        d1 = deny(t, c, covers='ip')
        d2 = deny(t, c)
        appeal(t, c, d2)
        forward(t, c)
        ids.update(void=d2, appeal=d1)
    elif state == 'active':
        review(t, c)
        grant(t, c, covers='coordinator')
        assign(t, c, K1)
        d2 = deny(t, c, covers='ip', date='2026-10-26')
        if with_appeal:
            appeal(t, c, d2, date='2026-10-27')
            forward(t, c)
        ids.update(void=d2, appeal=d2)
    else:
        raise ValueError(state)
    got = status(t, c)
    assert got == state, f'drive to {state}: the case is {got}'
    return ids


def dumps(value):
    return json.dumps(value, ensure_ascii=False)
