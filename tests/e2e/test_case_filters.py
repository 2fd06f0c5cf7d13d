"""case list --coordinator: the cases where a coordinator holds a running
assignment (SPEC section 5)."""
import story


def test_case_list_by_coordinator(t):
    story.base(t)
    mine, _ = story.active_case(t, coordinator=story.K1)
    theirs, _ = story.active_case(t, coordinator=story.K2)
    story.refer(t)  # no coordinator at all
    ids = [c['id'] for c in t.json('case', 'list', '--coordinator', story.K1)]
    assert ids == [int(mine)], ids
    ids = [c['id'] for c in t.json('case', 'list', '--coordinator', '2')]
    assert ids == [int(theirs)], ids


def test_case_list_by_coordinator_after_a_change(t):
    story.base(t)
    case, _ = story.active_case(t, coordinator=story.K1)
    t.ok('coordinator', 'assign', str(case), '--coordinator', story.K2, '--reason', 'Bytte')
    assert t.json('case', 'list', '--coordinator', story.K1) == []
    assert [c['id'] for c in t.json('case', 'list', '--coordinator', story.K2)] == [int(case)]


def test_case_list_by_unknown_coordinator_exit_3(t):
    story.base(t)
    t.fails(3, 'case', 'list', '--coordinator', '99')


def test_reopen_does_not_restore_a_retired_coordinator(t):
    story.base(t)
    case, _ = story.active_case(t, coordinator=story.K1)
    t.ok('case', 'close', str(case), '--cause', 'moved', '--yes')
    t.ok('coordinator', 'retire', story.K1)
    t.ok('case', 'reopen', str(case), '--reason', 'Lukket ved en feil')
    shown = t.json('case', 'show', str(case))
    assert [a['end'] for a in shown['assignments']] != [None], shown['assignments']
    kinds = [d['kind'] for d in t.json('due') if d['case_id'] == int(case)]
    assert 'no_coordinator' in kinds, kinds


def test_stdin_value_is_read_before_the_database_is_locked(t):
    """@- is read before the write lock is taken: a write waiting for a
    person to type must not block other writers (SPEC section 5)."""
    import subprocess
    import time
    t.init()
    waiting = subprocess.Popen([t.bti, 'person', 'add', '--name', '@-'], env=t.env,
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
    try:
        time.sleep(0.3)
        r = t.run('unit', 'add', 'Familiesenter', env={'BTI_BUSY_TIMEOUT': '1'})
        assert r.rc == 0, r
    finally:
        out, err = waiting.communicate(b'Kari Testesen\n', timeout=30)
    assert waiting.returncode == 0, err


def test_two_stdin_values_exit_2(t):
    t.init()
    t.fails(2, 'person', 'add', '--name', '@-', '--nin', '@-', input=b'x\n')
