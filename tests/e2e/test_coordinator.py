"""Coordinators and their assignments (SPEC sections 2, 3, 5): add, list,
show, edit, retire; assign (first, change, barnekoordinator, another unit),
confirm, register; close and reopen end and restore the assignment."""
import json

import story
from story import K1, K2, K3, UNIT, OTHER_UNIT, refer, grant, show, status


def assignments(t, case):
    return show(t, case)['assignments']


# ---- add, list, show, edit -------------------------------------------------------------

def test_add_prints_the_id_and_lists_it(t):
    t.init()
    t.ok('unit', 'add', UNIT)
    assert t.ok('coordinator', 'add', '--name', K1, '--unit', UNIT, '--email', 'kari.k@example.org',
                '--phone', '+47 400 00 001') == '1\n'
    assert t.ok('coordinator', 'add', '--name', K2, '--unit', '1') == '2\n'
    rows = t.json('coordinator', 'list')
    assert [(r['id'], r['name'], r['unit_id'], r['unit'], r['email'], r['phone'], r['active'], r['running'])
            for r in rows] == [(1, K1, 1, UNIT, 'kari.k@example.org', '+47 400 00 001', True, 0),
                               (2, K2, 1, UNIT, None, None, True, 0)], rows


def test_add_needs_name_and_unit_exit_2(t):
    t.init()
    t.ok('unit', 'add', UNIT)
    t.fails(2, 'coordinator', 'add', '--name', K1)
    t.fails(2, 'coordinator', 'add', '--unit', UNIT)


def test_add_unknown_unit_exit_3(t):
    t.init()
    t.fails(3, 'coordinator', 'add', '--name', K1, '--unit', 'Ukjent enhet')


def test_add_bad_email_or_phone_exit_4(t):
    t.init()
    t.ok('unit', 'add', UNIT)
    t.fails(4, 'coordinator', 'add', '--name', K1, '--unit', UNIT, '--email', 'kari.example.org')
    t.fails(4, 'coordinator', 'add', '--name', K1, '--unit', UNIT, '--phone', '400 CALL ME')
    t.fails(4, 'coordinator', 'add', '--name', '=K1', '--unit', UNIT)


def test_show_has_running_assignments(t):
    story.base(t)
    c, _ = story.active_case(t)
    s = t.json('coordinator', 'show', K1)
    assert (s['id'], s['name'], s['running']) == (1, K1, 1), s
    assert [(a['case_id'], a['kind']) for a in s['assignments']] == [(c, 'coordinator')], s
    assert t.json('coordinator', 'show', '2')['assignments'] == []


def test_show_unknown_coordinator_exit_3(t):
    story.base(t)
    t.fails(3, 'coordinator', 'show', '9')
    t.fails(3, 'coordinator', 'show', 'Ukjent Koordinator')


def test_edit_with_reason_audited(t):
    story.base(t)
    t.ok('coordinator', 'edit', K2, '--email', 'per.ny@example.org', '--unit', OTHER_UNIT,
         '--reason', 'Byttet enhet')
    s = t.json('coordinator', 'show', '2')
    assert (s['email'], s['unit']) == ('per.ny@example.org', OTHER_UNIT), s
    change = json.loads(t.one("SELECT change FROM audit WHERE command = 'coordinator edit'"))
    assert change['old']['email'] == story.EMAILS[K2] and change['new']['email'] == 'per.ny@example.org'


def test_edit_without_reason_exit_2(t):
    story.base(t)
    t.fails(2, 'coordinator', 'edit', K2, '--email', 'per.ny@example.org')


# ---- retire ---------------------------------------------------------------------------------

def test_retire_an_idle_coordinator(t):
    story.base(t)
    t.ok('coordinator', 'retire', K3)
    assert [r['id'] for r in t.json('coordinator', 'list')] == [1, 2]
    assert [(r['id'], r['active']) for r in t.json('coordinator', 'list', '--all')] == \
        [(1, True), (2, True), (3, False)]


def test_retire_refused_while_running_lists_the_cases(t):
    story.base(t)
    refer(t)                                   # case 1, never assigned
    c2, _ = story.active_case(t)
    c3, _ = story.active_case(t)
    r = t.fails(1, 'coordinator', 'retire', K1)
    listed = r.err.split('\n')[0]
    assert str(c2) in listed and str(c3) in listed, r.err
    assert [c2, c3] == [2, 3]


def test_retire_after_the_case_closes(t):
    story.base(t)
    c, _ = story.active_case(t)
    t.fails(1, 'coordinator', 'retire', K1)
    story.close(t, c)
    t.ok('coordinator', 'retire', K1)
    assert t.json('coordinator', 'show', '1')['active'] is False


def test_retire_twice_exit_1_and_unknown_exit_3(t):
    story.base(t)
    t.ok('coordinator', 'retire', K3)
    t.fails(1, 'coordinator', 'retire', K3)
    t.fails(3, 'coordinator', 'retire', '9')


def test_retired_coordinator_cannot_be_assigned_exit_1(t):
    story.base(t)
    t.ok('coordinator', 'retire', K2)
    c = refer(t)
    grant(t, c, covers='coordinator')
    t.fails(1, 'coordinator', 'assign', str(c), '--coordinator', K2)


# ---- assign ------------------------------------------------------------------------------------

def test_assign_before_a_grant_exit_1(t):
    story.base(t)
    c = refer(t)
    t.fails(1, 'coordinator', 'assign', str(c), '--coordinator', K1)
    story.review(t, c)
    t.fails(1, 'coordinator', 'assign', str(c), '--coordinator', K1)


def test_assign_when_only_ip_was_granted_exit_1(t):
    story.base(t)
    c = refer(t)
    grant(t, c, covers='ip')
    t.fails(1, 'coordinator', 'assign', str(c), '--coordinator', K1, err_contains="'coordinator'")


def test_assign_the_first_coordinator_makes_the_case_active(t):
    story.base(t)
    c = refer(t)
    grant(t, c, covers='coordinator')
    r = t.run('coordinator', 'assign', str(c), '--coordinator', K1, '--user-preferred',
              '--user-wish', 'Ønsker en rolig person', '--date', '2026-11-01')
    assert r.rc == 0 and r.out == '1\n', r
    assert 'granted' in r.err and 'active' in r.err, r.err
    assert status(t, c) == 'active'
    [a] = assignments(t, c)
    assert (a['kind'], a['coordinator_id'], a['coordinator'], a['start'], a['end'], a['user_preferred'],
            a['user_wish']) == ('coordinator', 1, K1, '2026-11-01', None, True, 'Ønsker en rolig person'), a


def test_assign_before_the_grant_date_or_after_today_exit_4(t):
    story.base(t)
    c = refer(t)
    grant(t, c, covers='coordinator', date='2026-10-20')
    t.fails(4, 'coordinator', 'assign', str(c), '--coordinator', K1, '--date', '2026-10-19')
    t.fails(4, 'coordinator', 'assign', str(c), '--coordinator', K1, '--date', '2026-11-23')


def test_assign_unknown_coordinator_exit_3(t):
    story.base(t)
    c = refer(t)
    grant(t, c, covers='coordinator')
    t.fails(3, 'coordinator', 'assign', str(c), '--coordinator', 'Ukjent Koordinator')
    t.fails(3, 'coordinator', 'assign', str(c), '--coordinator', '9')


def test_assign_needs_coordinator_exit_2(t):
    story.base(t)
    c = refer(t)
    grant(t, c, covers='coordinator')
    t.fails(2, 'coordinator', 'assign', str(c))


def test_change_without_reason_exit_2(t):
    story.base(t)
    c, _ = story.active_case(t)
    t.fails(2, 'coordinator', 'assign', str(c), '--coordinator', K2, err_contains='--reason')


def test_change_with_reason_ends_the_old_assignment_that_day(t):
    story.base(t)
    c, _ = story.active_case(t)
    r = t.run('coordinator', 'assign', str(c), '--coordinator', K2, '--reason', 'Brukeren ba om bytte',
              '--date', '2026-11-10')
    assert r.rc == 0, r.err
    old, new = assignments(t, c)
    assert (old['coordinator_id'], old['end'], old['end_reason']) == (1, '2026-11-10', 'Brukeren ba om bytte'), old
    assert (new['coordinator_id'], new['start'], new['end']) == (2, '2026-11-10', None), new
    assert status(t, c) == 'active'
    assert t.json('coordinator', 'show', K1)['running'] == 0


def test_change_today_by_default(t):
    story.base(t)
    c, _ = story.active_case(t)
    t.ok('coordinator', 'assign', str(c), '--coordinator', K2, '--reason', 'Sluttet')
    old, new = assignments(t, c)
    assert old['end'] == new['start'] == '2026-11-22', (old, new)


def test_child_needs_a_granted_child_item_exit_1(t):
    story.base(t)
    c, _ = story.active_case(t, 'coordinator,child')
    t.fails(1, 'coordinator', 'assign', str(c), '--coordinator', K2, '--child')
    story.deny(t, c, covers='child')
    t.fails(1, 'coordinator', 'assign', str(c), '--coordinator', K2, '--child')


def test_second_kind_on_an_active_case_needs_no_reason(t):
    story.base(t)
    c, _ = story.active_case(t, 'coordinator,child')
    grant(t, c, covers='child')
    t.ok('coordinator', 'assign', str(c), '--coordinator', K2, '--child')
    kinds = [(a['kind'], a['coordinator_id'], a['end']) for a in assignments(t, c)]
    assert kinds == [('coordinator', 1, None), ('child', 2, None)], kinds
    # a change of the barnekoordinator needs --reason and ends only that one
    t.fails(2, 'coordinator', 'assign', str(c), '--coordinator', K1, '--child')
    t.ok('coordinator', 'assign', str(c), '--coordinator', K1, '--child', '--reason', 'Bytte')
    ends = [(a['kind'], a['end']) for a in assignments(t, c)]
    assert ends == [('coordinator', None), ('child', '2026-11-22'), ('child', None)], ends


def test_only_a_child_item_makes_the_case_active(t):
    story.base(t)
    c = refer(t, 'child')
    grant(t, c)
    t.fails(1, 'coordinator', 'assign', str(c), '--coordinator', K1)
    t.ok('coordinator', 'assign', str(c), '--coordinator', K1, '--child')
    assert status(t, c) == 'active'


def test_assign_from_another_unit_warns_and_succeeds(t):
    story.base(t)
    c = refer(t)
    grant(t, c, covers='coordinator')       # unit Familiesenter
    r = t.run('coordinator', 'assign', str(c), '--coordinator', K3)
    assert r.rc == 0, r.err
    assert 'warning:' in r.err, r.err
    assert status(t, c) == 'active'


def test_assign_from_the_same_unit_does_not_warn(t):
    story.base(t)
    c = refer(t)
    grant(t, c, covers='coordinator')
    r = t.run('coordinator', 'assign', str(c), '--coordinator', K1)
    assert r.rc == 0 and 'warning:' not in r.err, r.err


def test_quiet_silences_the_warning(t):
    story.base(t)
    c = refer(t)
    grant(t, c, covers='coordinator')
    r = t.run('-q', 'coordinator', 'assign', str(c), '--coordinator', K3)
    assert r.rc == 0 and r.err == '', r.err
    assert status(t, c) == 'active'


# ---- confirm and register -------------------------------------------------------------------------

def test_confirm_records_the_report_to_ke(t):
    story.base(t)
    c, _ = story.active_case(t)
    t.ok('coordinator', 'confirm', str(c), '--date', '2026-11-01')
    assert assignments(t, c)[0]['reported'] == '2026-11-01'


def test_confirm_at_assign(t):
    story.base(t)
    c = refer(t)
    grant(t, c, covers='coordinator')
    story.assign(t, c, K1, '--confirmed', '2026-10-26')
    assert assignments(t, c)[0]['reported'] == '2026-10-26'


def test_confirm_before_the_start_or_without_assignment(t):
    story.base(t)
    c, _ = story.active_case(t)   # started 2026-10-25
    t.fails(4, 'coordinator', 'confirm', str(c), '--date', '2026-10-24')
    t.fails(1, 'coordinator', 'confirm', str(c), '--child')
    c2 = refer(t)
    t.fails(1, 'coordinator', 'confirm', str(c2))


def test_register_by_date(t):
    story.base(t)
    c, _ = story.active_case(t)
    t.ok('coordinator', 'register', str(c), '--date', '2026-11-02')
    a = assignments(t, c)[0]
    assert (a['ehr_registered'], a['own_system']) == ('2026-11-02', False), a


def test_register_own_system(t):
    # the name of the coordinator's own documentation system is kept (SPEC section 2)
    story.base(t)
    c, _ = story.active_case(t)
    t.ok('coordinator', 'register', str(c), '--own-system', 'Familiesenterets journal')
    a = assignments(t, c)[0]
    assert (a['ehr_registered'], a['own_system'], a['own_system_name']) == \
        (None, True, 'Familiesenterets journal'), a
    shown = t.json('coordinator', 'show', story.K1)['assignments'][0]
    assert shown['own_system_name'] == 'Familiesenterets journal', shown


def test_register_own_system_needs_a_valid_name(t):
    story.base(t)
    c, _ = story.active_case(t)
    t.fails(2, 'coordinator', 'register', str(c), '--own-system', err_contains="needs a value")
    t.fails(4, 'coordinator', 'register', str(c), '--own-system', 'x' * 201,
            err_contains='--own-system')
    t.fails(4, 'coordinator', 'register', str(c), '--own-system', '',
            err_contains='--own-system')


def test_register_needs_exactly_one_of_date_and_own_system_exit_2(t):
    story.base(t)
    c, _ = story.active_case(t)
    t.fails(2, 'coordinator', 'register', str(c), err_contains='one of --date and --own-system')
    t.fails(2, 'coordinator', 'register', str(c), '--date', '2026-11-02', '--own-system', 'SamPro',
            err_contains='one of --date and --own-system')


def test_register_after_today_exit_4(t):
    story.base(t)
    c, _ = story.active_case(t)
    t.fails(4, 'coordinator', 'register', str(c), '--date', '2026-11-23')


# ---- close and reopen ---------------------------------------------------------------------------------

def test_close_ends_the_assignment_and_reopen_restores_it(t):
    story.base(t)
    c, _ = story.active_case(t)
    t.ok('case', 'close', str(c), '--cause', 'moved', '--date', '2026-11-15')
    [a] = assignments(t, c)
    assert a['end'] == '2026-11-15' and a['end_reason'], a
    assert t.json('coordinator', 'show', K1)['running'] == 0
    t.ok('case', 'reopen', str(c), '--reason', 'Lukket ved en feil')
    [a] = assignments(t, c)
    assert (a['end'], a['end_reason']) == (None, None), a
    assert status(t, c) == 'active'
    assert t.json('coordinator', 'show', K1)['running'] == 1


def test_reopen_does_not_restore_an_assignment_ended_before(t):
    story.base(t)
    c, _ = story.active_case(t)
    t.ok('coordinator', 'assign', str(c), '--coordinator', K2, '--reason', 'Bytte',
         '--date', '2026-11-01')
    t.ok('case', 'close', str(c), '--cause', 'other', '--date', '2026-11-15')
    t.ok('case', 'reopen', str(c), '--reason', 'Lukket ved en feil')
    ends = [(a['coordinator_id'], a['end']) for a in assignments(t, c)]
    assert ends == [(1, '2026-11-01'), (2, None)], ends


def test_reopen_does_not_restore_a_change_of_coordinator_in_the_close_s_words(t):
    # a change that day whose reason reads like the close's own must stay ended
    story.base(t)
    c, _ = story.active_case(t)
    t.ok('coordinator', 'assign', str(c), '--coordinator', K2, '--reason', 'case closed',
         '--date', '2026-11-15')
    t.ok('case', 'close', str(c), '--cause', 'other', '--date', '2026-11-15')
    t.ok('case', 'reopen', str(c), '--reason', 'Lukket ved en feil')
    ends = [(a['coordinator_id'], a['end']) for a in assignments(t, c)]
    assert ends == [(1, '2026-11-15'), (2, None)], ends


# ---- issue 14, finding 5: an end never lies before what it ends began ----------

def test_change_dated_before_the_running_assignment_began_exit_4(t):
    story.base(t)
    case, _ = story.active_case(t)
    t.fails(4, 'coordinator', 'assign', str(case), '--coordinator', story.K2, '--reason',
            'Bytte etter ønske', '--date', '2026-10-24', err_contains='lies before the step it follows')
    t.ok('coordinator', 'assign', str(case), '--coordinator', story.K2, '--reason',
         'Bytte etter ønske', '--date', story.ASSIGNED)


def test_close_dated_before_the_running_assignment_began_exit_4(t):
    story.base(t)
    case, _ = story.active_case(t)
    t.fails(4, 'case', 'close', str(case), '--cause', 'other', '--date', '2026-10-22', '--yes',
            err_contains='lies before the step it follows')


def test_doctor_finds_an_assignment_ending_before_it_began(t):
    story.base(t)
    case, _ = story.active_case(t)
    t.write_sql(("UPDATE assignment SET end = '2026-10-01', end_reason = 'x' WHERE case_id = ?",
                 (case,)))
    r = t.run('doctor')
    assert r.rc == 7 and 'ends before it began' in r.out, r
