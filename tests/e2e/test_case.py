"""bti case list, show and edit (SPEC sections 3, 6)."""
import json

from synth import KARI, OLA, ASE, masked, nin

KARI_NIN = nin(KARI[1])


def refer(t, name=KARI[0], *extra, requests='coordinator,ip'):
    return t.ok('referral', 'add', '--name', name, '--source', 'bti', '--requests', requests,
                *extra).strip()


def kari_case(t):
    """A database with one case: Kari, referred for coordinator and ip today."""
    t.snapshot('kari-case', lambda t: (t.init(), refer(t)))


# ---- case list ------------------------------------------------------------

def test_list_empty_prints_nothing_and_json_is_empty_array(t):
    t.init()
    assert t.ok('case', 'list') == ''
    assert t.json('case', 'list') == []


def test_list_keys(t):
    kari_case(t)
    c = t.json('case', 'list')[0]
    assert set(c) == {'id', 'person_id', 'person', 'status', 'source', 'received', 'requests',
                      'unit_id', 'unit', 'closed', 'close_cause', 'previous_case_id'}, c
    assert c['requests'] == ['coordinator', 'ip'] and c['unit_id'] is None, c


def test_list_hides_the_name_when_pseudonymous(t):
    # issue 20: names for admin and caseworker logins, the case id alone
    # with --pseudonymous
    kari_case(t)
    assert t.json('case', 'list')[0]['person'] == KARI[0]
    assert t.json('--pseudonymous', 'case', 'list')[0]['person'] is None
    assert KARI[0] not in t.ok('--pseudonymous', 'case', 'list') + \
        t.ok('--pseudonymous', 'case', 'list', '--csv')


def test_list_identify_shows_the_name_and_is_logged(t):
    kari_case(t)
    before = t.count('access')
    assert t.json('--identify', 'case', 'list')[0]['person'] == KARI[0]
    assert t.count('access') == before + 1


def test_list_pseudonymous_is_not_logged(t):
    kari_case(t)
    before = t.count('access')
    t.ok('--pseudonymous', 'case', 'list')
    assert t.count('access') == before
    t.ok('case', 'list')
    assert t.count('access') == before + 1


def test_list_status_filter(t):
    kari_case(t)
    assert [c['id'] for c in t.json('case', 'list', '--status', 'received')] == [1]
    assert t.json('case', 'list', '--status', 'closed') == []
    assert [c['id'] for c in t.json('case', 'list', '--open')] == [1]


def test_list_unknown_status_exit_4(t):
    t.init()
    for bad in ('open-ish', 'Received', ''):
        t.fails(4, 'case', 'list', '--status', bad, err_contains=[
            'invalid value for --status: expected received, review, granted, denied, appealed,'
            ' active, closed'])


def test_list_unit_filter(t):
    t.init()
    t.ok('unit', 'add', 'Familiesenter')
    refer(t)
    assert t.json('case', 'list', '--unit', 'Familiesenter') == []
    assert t.json('case', 'list', '--unit', '1') == []


def test_list_unknown_unit_exit_3(t):
    t.init()
    t.fails(3, 'case', 'list', '--unit', 'Ukjent enhet')
    t.fails(3, 'case', 'list', '--unit', '7')


def test_list_name_filter(t):
    t.init()
    refer(t, KARI[0])
    refer(t, ASE[0])
    assert [c['id'] for c in t.json('case', 'list', '--name', 'øvreås')] == [2]


def test_list_limit_and_order(t):
    t.init()
    for name in (KARI[0], OLA[0], ASE[0]):
        refer(t, name)
    assert [c['id'] for c in t.json('case', 'list')] == [1, 2, 3]
    assert [c['id'] for c in t.json('case', 'list', '--limit', '2')] == [1, 2]
    t.fails(4, 'case', 'list', '--limit', '0')


# ---- case show ------------------------------------------------------------

def test_show_is_one_object_with_person_requests_and_history(t):
    t.init()
    refer(t, KARI[0], '--born', KARI[1], '--referrer', 'Fastlegen', '--date', '2026-11-02')
    c = t.json('case', 'show', '1')
    assert c['id'] == 1 and c['status'] == 'received' and c['received'] == '2026-11-02', c
    assert c['person']['name'] == KARI[0] and c['person']['born'] == KARI[1], c['person']
    assert [r['item'] for r in c['requests']] == ['coordinator', 'ip'], c['requests']
    assert isinstance(c['history'], list) and c['history'][0]['date'] == '2026-11-02', c['history']


def test_show_history_is_in_date_order(t):
    t.init()
    refer(t, KARI[0], '--date', '2026-10-01', requests='coordinator')
    t.ok('referral', 'add', '--case', '1', '--source', 'plo', '--requests', 'ip', '--date', '2026-11-20')
    dates = [h['date'] for h in t.json('case', 'show', '1')['history']]
    assert dates == sorted(dates) and len(dates) == 2, dates


def test_show_masks_the_nin_without_identify(t):
    t.init()
    refer(t, KARI[0], '--nin', KARI_NIN)
    out = t.ok('case', 'show', '1', '--json')
    assert json.loads(out)['person']['nin'] == masked(KARI_NIN)
    assert KARI_NIN not in out and KARI_NIN not in t.ok('case', 'show', '1')


def test_show_identify_shows_the_full_nin(t):
    t.init()
    refer(t, KARI[0], '--nin', KARI_NIN)
    assert t.json('case', 'show', '1', '--identify')['person']['nin'] == KARI_NIN


def test_show_is_logged_as_an_access(t):
    kari_case(t)
    before = t.count('access')
    t.ok('case', 'show', '1')
    assert t.count('access') == before + 1
    assert t.sql('SELECT command, entity, what, rows FROM access ORDER BY id DESC LIMIT 1') == [
        ('case show', 'ke_case', '1', 1)]


def test_show_csv_does_not_fit_exit_2(t):
    kari_case(t)
    t.fails(2, 'case', 'show', '1', '--csv', private=KARI[0])
    t.fails(2, 'case', 'show', '1', '--excel')


def test_show_missing_case_exit_3(t):
    t.init()
    t.fails(3, 'case', 'show', '1')
    refer(t)
    t.fails(3, 'case', 'show', '2')


def test_show_malformed_ids_exit_4(t):
    kari_case(t)
    for bad in ('abc', '0', '1e3'):
        t.fails(4, 'case', 'show', bad)
    t.fails(4, 'case', 'show', '--', '-1')


def test_show_table_lists_the_sections(t):
    kari_case(t)
    out = t.ok('case', 'show', '1')
    assert 'received' in out and 'requests' in out and 'coordinator' in out, out


# ---- case edit ------------------------------------------------------------

def test_edit_referrer_with_reason_in_audit(t):
    t.init()
    refer(t, KARI[0], '--referrer', 'Fastlege X')
    assert t.ok('case', 'edit', '1', '--referrer', 'Fastlege Y', '--reason', 'feil lege') == ''
    assert t.json('case', 'show', '1')['referrals'][0]['referrer'] == 'Fastlege Y'
    change = json.loads(t.one("SELECT change FROM audit WHERE command = 'case edit'"))
    assert change['old']['referrer'] == 'Fastlege X' and change['new']['referrer'] == 'Fastlege Y'
    assert change['reason'] == 'feil lege', change


def test_edit_received_date(t):
    kari_case(t)
    t.ok('case', 'edit', '1', '--date', '01.11.2026', '--reason', 'feil dato')
    assert t.json('case', 'list')[0]['received'] == '2026-11-01'


def test_edit_changes_only_the_first_referral(t):
    t.init()
    refer(t, KARI[0], '--date', '2026-10-01', requests='coordinator')
    t.ok('referral', 'add', '--case', '1', '--source', 'plo', '--requests', 'ip', '--date', '2026-11-20')
    t.ok('case', 'edit', '1', '--date', '2026-10-02', '--reason', 'feil dato')
    assert [r['received'] for r in t.json('referral', 'list')] == ['2026-10-02', '2026-11-20']


def test_edit_date_after_today_exit_4(t):
    kari_case(t)
    t.fails(4, 'case', 'edit', '1', '--date', '2026-11-23', '--reason', 'r')


def test_edit_impossible_date_exit_4(t):
    kari_case(t)
    t.fails(4, 'case', 'edit', '1', '--date', '2027-02-29', '--reason', 'r')


def test_edit_without_reason_exit_2(t):
    kari_case(t)
    t.fails(2, 'case', 'edit', '1', '--referrer', 'Fastlege Y')


def test_edit_without_a_change_exit_2(t):
    kari_case(t)
    t.fails(2, 'case', 'edit', '1', '--reason', 'ingenting')


def test_edit_missing_case_exit_3(t):
    t.init()
    t.fails(3, 'case', 'edit', '3', '--referrer', 'Fastlege Y', '--reason', 'r')


def test_edit_malformed_case_exit_4(t):
    kari_case(t)
    t.fails(4, 'case', 'edit', 'abc', '--referrer', 'Fastlege Y', '--reason', 'r')


def test_edit_invalid_referrer_or_reason_exit_4(t):
    kari_case(t)
    t.fails(4, 'case', 'edit', '1', '--referrer', 'a\nb', '--reason', 'r')
    t.fails(4, 'case', 'edit', '1', '--referrer', 'x' * 201, '--reason', 'r')
    t.fails(4, 'case', 'edit', '1', '--referrer', 'Fastlege Y', '--reason', 'r' * 4001)
    t.fails(4, 'case', 'edit', '1', '--referrer', 'Fastlege Y', '--reason', 'bad\u202etext')


def test_edit_reason_may_hold_newline_and_tab(t):
    kari_case(t)
    t.ok('case', 'edit', '1', '--referrer', 'Fastlege Y', '--reason', 'linje 1\nlinje 2\tmed tab')
    t.ok('case', 'edit', '1', '--referrer', 'Fastlege Z', '--reason', 'r' * 4000)
