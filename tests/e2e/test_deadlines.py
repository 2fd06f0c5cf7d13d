"""Appeal deadlines (SPEC section 4): 4 weeks for the health-law bases, 3 for
the other sectors', the longest of several; a deadline ends on the same
weekday and moves past Saturdays, Sundays and Norwegian public holidays
(Easter computed, here independently of bti); `ke notify`; `basis list`."""
import datetime
import os

import story

FAR = '2031-06-30'  # --today, far enough ahead for every date below

FOUR_WEEK = ('pbrl-2-5', 'pbrl-2-5b', 'pbrl-2-5c', 'hol-7-1', 'hol-7-2', 'hol-7-2a')
THREE_WEEK = ('sotjl-28', 'bvl')


# ---- the calendar, written from SPEC section 4 -------------------------------

def easter(year):
    """Easter Sunday (Gregorian), by the anonymous algorithm."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 19 * l) // 433
    month = (h + l - 7 * m + 90) // 25
    day = (h + l - 7 * m + 33 * month + 19) % 32
    return datetime.date(year, month, day)


def holidays(year):
    e = easter(year)
    moving = {e + datetime.timedelta(days=n) for n in (-3, -2, 0, 1, 39, 49, 50)}
    fixed = {datetime.date(year, m, d) for m, d in ((1, 1), (5, 1), (5, 17), (12, 25), (12, 26))}
    return moving | fixed


def deadline(notified, weeks):
    """The expected appeal deadline (ISO) of a decision notified on notified."""
    day = datetime.date.fromisoformat(notified) + datetime.timedelta(weeks=weeks)
    while day.weekday() >= 5 or day in holidays(day.year):
        day += datetime.timedelta(days=1)
    return day.isoformat()


def minus(iso, days):
    return (datetime.date.fromisoformat(iso) - datetime.timedelta(days=days)).isoformat()


def test_computus_matches_known_easter_sundays(t):
    known = {2026: '2026-04-05', 2027: '2027-03-28', 2028: '2028-04-16', 2029: '2029-04-01',
             2030: '2030-04-21', 2038: '2038-04-25', 2285: '2285-03-22'}
    assert {y: easter(y).isoformat() for y in known} == known


# ---- helpers ---------------------------------------------------------------------

def decide(t, notified, basis=None, grant=True, today=FAR):
    """A new case received and decided on `notified` and notified that day;
    (appeal_deadline in case show, stderr of ke decide)."""
    c = story.refer(t, 'ip', notified, extra=('--today', today))
    args = ['--today', today, 'ke', 'decide', str(c)]
    args += ['--grant', '--unit', story.UNIT] if grant else ['--deny', '--reason', story.REASON]
    args += ['--date', notified, '--notified', notified]
    if basis:
        args += ['--basis', basis]
    r = t.run(*args)
    assert r.rc == 0, f'{args}: exit {r.rc}: {r.err.strip()}'
    d = story.show(t, c, '--today', today)['decisions'][0]
    return d['appeal_deadline'], r.err


def check(t, cases, basis=None, grant=True):
    """cases: (notified, expected deadline); the deadline in case show and on stderr."""
    if not os.path.exists(t.db):
        t.init()
        t.ok('unit', 'add', story.UNIT)
    weeks = 3 if basis and all(b in THREE_WEEK for b in basis.split(',')) else 4
    problems = []
    for notified, expected in cases:
        assert deadline(notified, weeks) == expected, f'the test table is wrong for {notified}'
        got, err = decide(t, notified, basis, grant)
        if got != expected:
            problems.append(f'notified {notified} ({basis or "default"}): deadline {got}, expected {expected}')
        elif expected not in err:
            problems.append(f'notified {notified}: the summary does not print {expected}: {err.strip()!r}')
    assert not problems, '\n'.join(problems)


# ---- weeks and bases -----------------------------------------------------------

def test_default_bases_give_four_weeks(t):
    check(t, [('2027-01-13', '2027-02-10'), ('2028-09-06', '2028-10-04')])


def test_default_basis_of_a_denial_gives_four_weeks(t):
    check(t, [('2027-01-13', '2027-02-10')], grant=False)


def test_every_health_law_basis_gives_four_weeks(t):
    for basis in FOUR_WEEK:
        check(t, [('2027-01-13', '2027-02-10')], basis)


def test_sotjl_gives_three_weeks(t):
    check(t, [('2027-01-13', '2027-02-03')], 'sotjl-28')


def test_bvl_gives_three_weeks(t):
    check(t, [('2029-10-10', '2029-10-31')], 'bvl')


def test_a_new_decision_on_oppl_is_refused_with_why_and_a_hint(t):
    story.base(t)
    c = story.refer(t, 'ip')
    t.fails(1, 'ke', 'decide', str(c), '--grant', '--unit', story.UNIT, '--basis', 'oppl',
            err_contains=["'oppl' is retired", 'never gave a right to an individual plan',
                          'hint:', 'plan cooperation CASE --with skole'])
    t.fails(1, 'ke', 'decide', str(c), '--grant', '--unit', story.UNIT, '--basis', 'pbrl-2-5,oppl',
            '--date', '2024-01-10', err_contains="'oppl' is retired")


def test_a_decision_recorded_on_oppl_keeps_it_and_reads_as_before(t):
    # a decision recorded with oppl before it was retired: its basis stays,
    # and notifying it now still gives the three weeks it had
    story.base(t)
    c = story.refer(t, 'ip')
    d = story.deny(t, c, date='2026-10-20')
    t.write_sql(("UPDATE decision SET basis = 'oppl' WHERE id = ?", (d,)))
    t.ok('ke', 'notify', str(c), '--date', '2026-10-20')
    got = story.show(t, c)['decisions'][0]
    assert (got['basis'], got['appeal_deadline']) == (['oppl'], deadline('2026-10-20', 3)), got
    rows = {r['code']: r for r in t.json('basis', 'list')}
    assert rows['oppl']['valid_to'] == '2024-07-31' and rows['oppl']['note'], rows['oppl']
    assert 'oppl' not in {r['code'] for r in t.json('basis', 'list', '--at', '2026-12-06')}


def test_several_bases_take_the_longest(t):
    check(t, [('2027-01-13', '2027-02-10')], 'sotjl-28,pbrl-2-5')
    check(t, [('2027-01-13', '2027-02-10')], 'bvl,hol-7-1')
    check(t, [('2027-01-13', '2027-02-03')], 'bvl,sotjl-28')


# ---- weekdays and holidays -------------------------------------------------------

def test_notified_on_a_friday_ends_on_a_friday_four_weeks_on(t):
    check(t, [('2027-01-08', '2027-02-05'), ('2029-08-31', '2029-09-28')])
    assert datetime.date(2027, 2, 5).weekday() == 4


def test_saturday_and_sunday_move_to_monday(t):
    check(t, [('2027-01-09', '2027-02-08'), ('2027-01-10', '2027-02-08'),
              ('2030-02-02', '2030-03-04')])


def test_seventeenth_of_may_moves_on(t):
    check(t, [(minus('2028-05-17', 28), '2028-05-18'),     # a Wednesday
              (minus('2030-05-17', 28), '2030-05-20'),     # a Friday: to Monday
              (minus('2027-05-17', 28), '2027-05-18')])    # Monday, and Whit Monday


def test_first_of_may_moves_on(t):
    check(t, [(minus('2029-05-01', 28), '2029-05-02')])


def test_ascension_day_moves_to_friday(t):
    check(t, [(minus('2027-05-06', 28), '2027-05-07'), (minus('2028-05-25', 28), '2028-05-26'),
              (minus('2030-05-30', 28), '2030-05-31')])


def test_whit_monday_moves_to_tuesday(t):
    check(t, [(minus('2028-06-05', 28), '2028-06-06'), (minus('2029-05-21', 28), '2029-05-22'),
              (minus('2030-06-10', 28), '2030-06-11')])


def test_easter_moves_to_the_tuesday_after(t):
    check(t, [(minus('2027-03-25', 28), '2027-03-30'),    # Maundy Thursday
              (minus('2028-04-14', 28), '2028-04-18'),    # Good Friday
              (minus('2029-04-02', 28), '2029-04-03'),    # Easter Monday
              (minus('2030-04-18', 28), '2030-04-23'),    # Maundy Thursday
              (minus('2030-04-19', 28), '2030-04-23')])   # Good Friday


def test_christmas_moves_past_both_days(t):
    check(t, [(minus('2028-12-25', 28), '2028-12-27'), (minus('2029-12-26', 28), '2029-12-27'),
              (minus('2030-12-25', 28), '2030-12-27')])


def test_new_years_day_moves_on(t):
    check(t, [(minus('2029-01-01', 28), '2029-01-02'), (minus('2030-01-01', 28), '2030-01-02')])


def test_three_week_deadline_on_holidays(t):
    check(t, [(minus('2029-12-25', 21), '2029-12-27'), (minus('2029-05-17', 21), '2029-05-18'),
              (minus('2028-04-13', 21), '2028-04-18')], 'bvl')


def test_a_plain_working_day_stays(t):
    check(t, [('2028-04-20', '2028-05-18')])   # the day after 17 May, no holiday


# ---- ke notify ------------------------------------------------------------------

def test_without_notified_there_is_no_deadline_yet(t):
    story.base(t)
    c = story.refer(t, 'coordinator')
    story.grant(t, c)
    d = story.show(t, c)['decisions'][0]
    assert d['notified'] is None and d['appeal_deadline'] is None, d


def test_notify_later_sets_the_deadline_from_then(t):
    story.base(t)
    c = story.refer(t, 'coordinator')
    d = story.grant(t, c, date='2026-10-20')
    r = t.run('ke', 'notify', str(c), '--date', '2026-10-23')
    assert r.rc == 0, r.err
    got = story.show(t, c)['decisions'][0]
    assert (got['id'], got['notified'], got['appeal_deadline']) == (d, '2026-10-23', '2026-11-20'), got
    assert '2026-11-20' in r.err, r.err


def test_notify_three_week_basis_later(t):
    story.base(t)
    c = story.refer(t, 'ip')
    story.deny(t, c, '--basis', 'sotjl-28', date='2026-10-20')
    t.ok('ke', 'notify', str(c), '--date', '2026-10-20')
    assert story.show(t, c)['decisions'][0]['appeal_deadline'] == deadline('2026-10-20', 3)


def test_notify_with_two_decisions_awaiting_exit_2_listing_them(t):
    story.base(t)
    c = story.refer(t, 'coordinator,ip')
    d1 = story.grant(t, c, covers='coordinator')
    d2 = story.deny(t, c, covers='ip')
    r = t.fails(2, 'ke', 'notify', str(c), '--date', '2026-10-21', err_contains='--decision')
    assert str(d1) in r.err and str(d2) in r.err, r.err
    t.ok('ke', 'notify', str(c), '--decision', str(d2), '--date', '2026-10-21')
    ds = {d['id']: d for d in story.show(t, c)['decisions']}
    assert ds[d1]['notified'] is None and ds[d1]['appeal_deadline'] is None, ds
    assert ds[d2]['notified'] == '2026-10-21' and ds[d2]['appeal_deadline'] == '2026-11-18', ds
    # now only d1 awaits: no --decision needed
    t.ok('ke', 'notify', str(c), '--date', '2026-10-22')
    assert story.show(t, c)['decisions'][0]['appeal_deadline'] == '2026-11-19'


def test_notify_needs_a_date_exit_2(t):
    story.base(t)
    c = story.refer(t, 'coordinator')
    story.grant(t, c)
    t.fails(2, 'ke', 'notify', str(c))


def test_notify_before_the_decision_or_after_today_exit_4(t):
    story.base(t)
    c = story.refer(t, 'coordinator')
    story.grant(t, c, date='2026-10-20')
    t.fails(4, 'ke', 'notify', str(c), '--date', '2026-10-19')
    t.fails(4, 'ke', 'notify', str(c), '--date', '2026-11-23')


def test_notify_when_nothing_awaits_exit_1(t):
    story.base(t)
    c = story.refer(t, 'coordinator')
    story.grant(t, c, '--notified', '2026-10-20')
    t.fails(1, 'ke', 'notify', str(c), '--date', '2026-10-21')


# ---- basis list -------------------------------------------------------------------

def test_basis_list_every_code_with_three_or_four_weeks(t):
    t.init()
    rows = [r for r in t.json('basis', 'list') if r['kind'] == 'basis' and not r['valid_to']]
    weeks = {r['code']: r['appeal_weeks'] for r in rows}
    assert weeks == {**{b: 4 for b in FOUR_WEEK}, **{b: 3 for b in THREE_WEEK}}, weeks
    assert {r['appeal_body'] for r in rows} == {'statsforvalteren'}, rows
    table = t.ok('basis', 'list')
    for code in FOUR_WEEK + THREE_WEEK:
        assert code in table, code


def test_basis_list_gives_every_row_its_source_and_validity(t):
    t.init()
    rows = t.json('basis', 'list')
    keys = {'code', 'kind', 'source', 'valid_from', 'valid_to'}
    assert all(keys <= set(r) for r in rows), rows[0]
    by = {(r['code'], r['valid_from']): r for r in rows}
    assert by[('pbrl-2-5b', '2022-08-01')]['source'] == \
        'pasient- og brukerrettighetsloven (LOV-1999-07-02-63) § 2-5 b'
    assert by[('appeal-period-pbrl', '2012-01-01')]['source'].endswith('§ 7-5')
    assert by[('appeal-period-pbrl', '2012-01-01')]['appeal_from'] == 'knowledge'
    assert by[('appeal-body-pbrl', '2012-01-01')]['source'].endswith('§ 7-2')
    assert by[('bvl', '2023-01-01')]['source'] == 'barnevernsloven (LOV-2021-06-18-97)'
    assert by[('one-year-bar', '1970-01-01')]['source'].endswith('§ 31')
    items = [r for r in rows if r['code'] == 'ip-items']
    assert [(r['valid_from'], r['valid_to']) for r in items] == \
        [('2012-01-01', '2022-07-31'), ('2022-08-01', None)], items
    assert 'velferdstjenester' in items[1]['source'] and items[0]['source'].endswith('§ 19')
    csv = t.ok('--csv', 'basis', 'list')
    assert csv.splitlines()[0].startswith('code,kind,what,source,valid_from,valid_to'), csv[:200]
    assert len(csv.splitlines()) == len(rows) + 1
    excel = t.ok('--excel', 'basis', 'list')
    assert 'code;kind;what;source;valid_from;valid_to' in excel, excel[:200]
    table = t.ok('basis', 'list')
    assert 'valid_from' in table and 'LOV-1999-07-02-63' in table, table[:300]


def test_basis_list_at_a_date_shows_the_law_of_that_day(t):
    t.init()
    now = {(r['code'], r['valid_from']) for r in t.json('basis', 'list', '--at', '2026-12-06')}
    assert ('ip-items', '2022-08-01') in now and ('ip-items', '2012-01-01') not in now, now
    assert not {c for c, _ in now} & {'oppl', 'appeal-body-oppl'}, now
    then = {r['code']: r for r in t.json('basis', 'list', '--at', '2020-06-15')}
    assert 'oppl' in then and 'bvl' not in then and 'pbrl-2-5b' not in then, sorted(then)
    assert then['ip-items']['valid_to'] == '2022-07-31', then['ip-items']
    t.fails(4, 'basis', 'list', '--at', '2026-13-01', err_contains='--at')


def test_a_decision_before_its_basis_was_in_force_exit_1(t):
    story.base(t)
    c = story.refer(t, 'ip', '2020-01-10')
    t.fails(1, 'ke', 'decide', str(c), '--grant', '--unit', story.UNIT, '--basis', 'bvl',
            '--date', '2020-02-03', err_contains=["'bvl' was not in force on 2020-02-03",
                                                  'basis list --at 2020-02-03'])


def test_an_item_without_a_basis_in_force_on_the_decision_date_exit_1(t):
    # the right to a coordinator (pbrl-2-5b) is in force from 2022-08-01
    story.base(t)
    c = story.refer(t, 'coordinator', '2022-06-01')
    t.fails(1, 'ke', 'decide', str(c), '--grant', '--unit', story.UNIT, '--date', '2022-07-29',
            err_contains=["no legal basis of 'coordinator' was in force on 2022-07-29",
                          'hint:', '--basis'])
    t.ok('ke', 'decide', str(c), '--grant', '--unit', story.UNIT, '--date', '2022-07-29',
         '--basis', 'hol-7-2', '--notified', '2022-07-29')
    assert story.show(t, c)['decisions'][0]['appeal_deadline'] == deadline('2022-07-29', 4)

