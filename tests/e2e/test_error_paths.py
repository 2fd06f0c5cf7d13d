"""Error paths that had no test of their own (found in review): each checks
the exit code of SPEC section 7, the message, and (t.fails) that the
database is unchanged.  Every person is synthetic."""
import os

import story
from story import K1, UNIT, refer, grant, deny


def test_void_of_a_decision_the_case_has_moved_on_from_exit_1(t):
    story.base(t)
    c = refer(t, 'coordinator')
    d = grant(t, c)
    story.assign(t, c)
    t.fails(1, 'ke', 'decide', str(c), '--void', str(d), '--reason', 'Feil sak',
            err_contains='moved on')


def test_ke_journal_errors(t):
    story.base(t)
    c = refer(t)
    r = story.review(t, c)                             # held 2026-10-15
    t.fails(3, 'ke', 'journal', '99', '--date', '2026-10-16', err_contains='no review 99')
    t.fails(2, 'ke', 'journal', str(r), err_contains='--date')
    t.fails(4, 'ke', 'journal', str(r), '--date', '2026-10-14')
    t.ok('ke', 'journal', str(r), '--date', '2026-10-16')
    t.fails(1, 'ke', 'journal', str(r), '--date', '2026-10-17', err_contains='already')


def test_notifying_a_decision_again_exit_1(t):
    # a second notice would move the appeal deadline
    story.base(t)
    c = refer(t, 'coordinator')
    d = grant(t, c, '--notified', '2026-10-20')
    t.fails(1, 'ke', 'notify', str(c), '--decision', str(d), '--date', '2026-10-21',
            err_contains='awaiting notification')


def test_assign_by_a_name_two_coordinators_share_exit_2(t):
    story.base(t)
    t.ok('coordinator', 'add', '--name', K1, '--unit', story.OTHER_UNIT)
    c = refer(t, 'coordinator')
    grant(t, c)
    t.fails(2, 'coordinator', 'assign', str(c), '--coordinator', K1, err_contains='several')


def test_case_unit_to_the_unit_already_responsible_exit_1(t):
    story.base(t)
    c = refer(t, 'coordinator')
    grant(t, c)
    t.fails(1, 'case', 'unit', str(c), '--unit', UNIT, '--reason', 'Fylte 18 år',
            err_contains='already responsible')


def test_init_shared_with_no_such_group_exit_4(t):
    t.fails(4, 'init', '--shared', 'no-such-group-bti', err_contains='no group')
    assert not os.path.exists(t.db)


def test_database_under_a_file_exit_6(t):
    t.write('afile', 'x')
    t.fails(6, '--db', os.path.join(t.path('afile'), 'bti.db'), 'init',
            err_contains='is not a directory')
    assert open(t.path('afile')).read() == 'x'


def test_backup_to_a_directory_path_exit_4(t):
    t.init()
    for target in (t.dir + '/', t.path('.')):
        t.fails(4, 'backup', target, err_contains='names no file')


def test_coordinator_edit_with_bad_values(t):
    story.base(t)
    t.fails(4, 'coordinator', 'edit', story.K2, '--email', 'nope', '--reason', 'Ny adresse')
    t.fails(3, 'coordinator', 'edit', 'Ukjent Koordinator', '--email', 'a@example.org',
            '--reason', 'Ny adresse')
    t.fails(3, 'coordinator', 'edit', story.K2, '--unit', 'Ukjent enhet', '--reason', 'Flyttet')
