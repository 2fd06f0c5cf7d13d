"""bti referral add, list and show (SPEC sections 3 and 5)."""
from synth import KARI, OLA, masked, nin, wrong_check

KARI_NIN = nin(KARI[1])


def refer(t, *who, source='bti', requests='coordinator,ip', extra=()):
    """referral add for who (default: Kari by name); the printed case id."""
    who = who or ('--name', KARI[0], '--born', KARI[1])
    return t.ok('referral', 'add', *who, '--source', source, '--requests', requests, *extra).strip()


def kari_case(t):
    """A database with one case: Kari (born) referred for coordinator and ip."""
    t.snapshot('kari-referral', lambda t: (t.init(), refer(t)))


# ---- referral add ---------------------------------------------------------

def test_add_new_person_opens_a_received_case(t):
    t.init()
    assert refer(t) == '1'
    cases = t.json('case', 'list')
    assert [(c['id'], c['status'], c['person_id']) for c in cases] == [(1, 'received', 1)], cases
    assert t.sql('SELECT name, born FROM person') == [KARI]


def test_add_prints_the_case_id_not_the_referral_id(t):
    t.init()
    t.ok('person', 'add', '--name', OLA[0])
    refer(t)
    assert refer(t, '--person', '1') == '2'
    assert refer(t, '--case', '1', requests='child') == '1'


def test_add_json_returns_the_case(t):
    t.init()
    c = t.json('referral', 'add', '--name', KARI[0], '--source', 'plo', '--requests', 'ip')
    assert c['id'] == 1 and c['status'] == 'received' and c['source'] == 'plo', c
    assert c['person']['name'] == KARI[0], c


def test_add_for_an_existing_person(t):
    t.init()
    t.ok('person', 'add', '--name', OLA[0], '--born', OLA[1])
    refer(t, '--person', '1')
    assert t.json('case', 'list')[0]['person_id'] == 1
    assert t.count('person') == 1


def test_add_with_nin_inline(t):
    t.init()
    refer(t, '--name', KARI[0], '--nin', KARI_NIN)
    assert t.sql('SELECT born, nin FROM person') == [(KARI[1], KARI_NIN)]


def test_add_unborn_child_by_expected_date(t):
    t.init()
    refer(t, '--name', 'Ufødt Testesen', '--expected', '2027-03-01', source='application',
          requests='child')
    p = t.json('case', 'show', '1')['person']
    assert p['expected'] is True and p['born'] == '2027-03-01', p


def test_add_records_every_requested_item(t):
    t.init()
    refer(t, requests='coordinator,ip,child')
    items = [r['item'] for r in t.json('case', 'show', '1')['requests']]
    assert items == ['coordinator', 'ip', 'child'], items


def test_add_every_source(t):
    t.init()
    for i, source in enumerate(('bti', 'plo', 'application'), 1):
        refer(t, '--name', f'Testperson {i}', source=source)
    assert [c['source'] for c in t.json('case', 'list')] == ['bti', 'plo', 'application']


def test_add_received_today_by_default(t):
    kari_case(t)
    assert t.json('referral', 'list')[0]['received'] == '2026-11-22'


def test_add_with_a_past_date(t):
    t.init()
    refer(t, extra=('--date', '2026-10-01'))
    assert t.json('referral', 'list')[0]['received'] == '2026-10-01'


def test_add_date_words_and_dotted_form(t):
    t.init()
    refer(t, extra=('--date', 'yesterday'))
    refer(t, '--name', OLA[0], extra=('--date', '01.11.2026'))
    assert [r['received'] for r in t.json('referral', 'list')] == ['2026-11-21', '2026-11-01']


def test_add_date_after_today_exit_4(t):
    t.init()
    t.fails(4, 'referral', 'add', '--name', KARI[0], '--source', 'bti', '--requests', 'ip',
            '--date', '2026-11-23', private=KARI[0])


def test_add_impossible_dates_exit_4(t):
    t.init()
    for bad in ('2027-02-29', '2026-13-01', '31.04.2026', '2026-02-30'):
        t.fails(4, 'referral', 'add', '--name', KARI[0], '--source', 'bti', '--requests', 'ip',
                '--date', bad, private=KARI[0])


def test_add_unknown_source_exit_4(t):
    t.init()
    for bad in ('fax', 'BTI', ''):
        t.fails(4, 'referral', 'add', '--name', KARI[0], '--source', bad, '--requests', 'ip',
                private=KARI[0])


def test_add_unknown_request_item_exit_4(t):
    t.init()
    for bad in ('lunch', 'ip,lunch', '', 'ip,', 'ip,,child'):
        t.fails(4, 'referral', 'add', '--name', KARI[0], '--source', 'bti', '--requests', bad,
                private=KARI[0])


def test_add_missing_source_or_requests_exit_2(t):
    t.init()
    t.fails(2, 'referral', 'add', '--name', KARI[0], '--requests', 'ip', private=KARI[0])
    t.fails(2, 'referral', 'add', '--name', KARI[0], '--source', 'bti', private=KARI[0])


def test_add_person_and_name_together_exit_2(t):
    t.init()
    t.ok('person', 'add', '--name', OLA[0])
    t.fails(2, 'referral', 'add', '--person', '1', '--name', KARI[0], '--source', 'bti',
            '--requests', 'ip', private=KARI[0])


def test_add_person_and_case_together_exit_2(t):
    kari_case(t)
    t.fails(2, 'referral', 'add', '--person', '1', '--case', '1', '--source', 'bti', '--requests', 'child')


def test_add_without_anyone_exit_2(t):
    t.init()
    t.fails(2, 'referral', 'add', '--source', 'bti', '--requests', 'ip')


def test_add_born_without_name_exit_2(t):
    t.init()
    t.ok('person', 'add', '--name', OLA[0])
    t.fails(2, 'referral', 'add', '--person', '1', '--born', OLA[1], '--source', 'bti', '--requests', 'ip')


def test_add_second_referral_for_open_case_exit_1_hints_case(t):
    kari_case(t)
    t.fails(1, 'referral', 'add', '--person', '1', '--source', 'plo', '--requests', 'child',
            err_contains=['hint: ', '--case 1'])


def test_add_existing_person_by_nin_via_name_exit_1(t):
    t.init()
    t.ok('person', 'add', '--name', KARI[0], '--nin', KARI_NIN)
    t.fails(1, 'referral', 'add', '--name', 'Kari Annensen', '--nin', KARI_NIN, '--source', 'bti',
            '--requests', 'ip', err_contains='hint: use --person 1',
            private=[KARI_NIN, 'Kari Annensen', KARI[0]])


def test_add_existing_person_by_name_and_born_via_name_exit_1(t):
    t.init()
    t.ok('person', 'add', '--name', KARI[0], '--born', KARI[1])
    t.fails(1, 'referral', 'add', '--name', KARI[0], '--born', KARI[1], '--source', 'bti',
            '--requests', 'ip', err_contains='hint: use --person 1', private=KARI[0])


def test_add_invalid_inline_person_creates_nothing(t):
    t.init()
    for bad in (['--name', '=Kari'], ['--name', KARI[0], '--nin', wrong_check(KARI_NIN)],
                ['--name', KARI[0], '--nin', KARI_NIN[1:]],
                ['--name', KARI[0], '--born', '2010-05-06', '--nin', KARI_NIN],
                ['--name', 'K' * 201], ['--name', 'Kari\u202eTestesen']):
        t.fails(4, 'referral', 'add', *bad, '--source', 'bti', '--requests', 'ip',
                private=[KARI_NIN, KARI_NIN[1:], wrong_check(KARI_NIN), bad[1]])
    assert t.count('person') == 0 and t.count('ke_case') == 0


def test_add_invalid_utf8_name_exit_4(t):
    t.init()
    t.fails(4, b'referral', b'add', b'--name', b'Kari \xfe', b'--source', b'bti', b'--requests', b'ip',
            private=b'Kari \xfe')


def test_add_sql_name_is_stored_literally(t):
    t.init()
    name = "'; DROP TABLE ke_case; --"
    refer(t, '--name', name)
    assert t.one('SELECT name FROM person') == name
    assert len(t.json('case', 'list')) == 1


def test_add_name_from_stdin(t):
    t.init()
    assert t.ok('referral', 'add', '--name', '@-', '--source', 'bti', '--requests', 'ip',
                input=OLA[0] + '\n') == '1\n'
    assert t.one('SELECT name FROM person') == OLA[0]


def test_add_case_adds_requests_to_the_open_case(t):
    t.init()
    refer(t, requests='coordinator')
    before = t.json('case', 'show', '1')['status']
    assert refer(t, '--case', '1', source='plo', requests='ip,child') == '1'
    c = t.json('case', 'show', '1')
    assert [r['item'] for r in c['requests']] == ['coordinator', 'ip', 'child'], c['requests']
    assert c['status'] == before == 'received'
    assert t.count('ke_case') == 1 and t.count('referral') == 2


def test_add_case_item_already_requested_exit_1(t):
    t.init()
    refer(t, requests='coordinator,ip')
    t.fails(1, 'referral', 'add', '--case', '1', '--source', 'plo', '--requests', 'ip')


def test_add_case_that_does_not_exist_exit_3(t):
    t.init()
    t.fails(3, 'referral', 'add', '--case', '42', '--source', 'bti', '--requests', 'ip')


def test_add_person_that_does_not_exist_exit_3(t):
    t.init()
    t.fails(3, 'referral', 'add', '--person', '42', '--source', 'bti', '--requests', 'ip')


def test_add_malformed_ids_exit_4(t):
    kari_case(t)
    for opt, bad in (('--person', 'abc'), ('--person', '-1'), ('--person', '0'), ('--case', '1.0'), ('--case', '')):
        t.fails(4, 'referral', 'add', opt, bad, '--source', 'bti', '--requests', 'child')


def test_add_referrer_label_is_stored(t):
    t.init()
    refer(t, extra=('--referrer', 'Fastlege Testesen, Legesenteret'))
    assert t.json('referral', 'list')[0]['referrer'] == 'Fastlege Testesen, Legesenteret'


def test_add_referrer_invalid_label_exit_4(t):
    t.init()
    for bad in ('r' * 201, 'line\nbreak', 'x\u202ey', ''):
        t.fails(4, 'referral', 'add', '--name', KARI[0], '--source', 'bti', '--requests', 'ip',
                '--referrer', bad, private=KARI[0])


def test_add_case_on_a_closed_case_exit_1_hints_person(t):
    kari_case(t)
    t.ok('case', 'close', '1', '--cause', 'declined', '--yes')
    t.fails(1, 'referral', 'add', '--case', '1', '--source', 'bti', '--requests', 'child',
            err_contains=['hint: ', '--person'])


def test_add_after_a_closed_case_opens_a_new_linked_case(t):
    kari_case(t)
    t.ok('case', 'close', '1', '--cause', 'declined', '--yes')
    assert refer(t, '--person', '1', requests='child') == '2'
    new = t.json('case', 'show', '2')
    assert new['status'] == 'received' and new['previous_case_id'] == 1, new


def test_add_writes_person_case_referral_and_requests_to_the_audit(t):
    t.init()
    refer(t, requests='coordinator,ip')
    entities = [r[0] for r in t.sql("SELECT entity FROM audit WHERE command = 'referral add' ORDER BY id")]
    assert entities == ['person', 'ke_case', 'referral', 'request', 'request'], entities


# ---- referral list and show -----------------------------------------------

def test_list_empty_is_empty_array(t):
    t.init()
    assert t.json('referral', 'list') == []
    assert t.ok('referral', 'list') == ''


def test_list_all_and_by_case(t):
    t.init()
    refer(t, requests='coordinator')
    refer(t, '--name', OLA[0], requests='ip')
    refer(t, '--case', '1', requests='child')
    assert [(r['id'], r['case_id']) for r in t.json('referral', 'list')] == [(1, 1), (2, 2), (3, 1)]
    assert [r['id'] for r in t.json('referral', 'list', '--case', '1')] == [1, 3]
    assert t.json('referral', 'list', '--case', '9') == []


def test_list_keys_and_requests_joined(t):
    t.init()
    refer(t, requests='coordinator,child')
    r = t.json('referral', 'list')[0]
    assert set(r) == {'id', 'case_id', 'source', 'referrer', 'received', 'requests'}, r
    assert r['requests'] == ['coordinator', 'child'] and r['referrer'] is None, r


def test_list_never_shows_the_person(t):
    t.init()
    refer(t, '--name', KARI[0], '--nin', KARI_NIN)
    out = t.ok('referral', 'list') + t.ok('referral', 'list', '--json') + t.ok('referral', 'list', '--csv')
    assert KARI[0] not in out and KARI_NIN not in out and masked(KARI_NIN) not in out


def test_list_bad_case_exit_4(t):
    t.init()
    t.fails(4, 'referral', 'list', '--case', 'abc')
    t.fails(4, 'referral', 'list', '--case', '-1')


def test_show_one_referral(t):
    t.init()
    refer(t, source='plo', requests='ip', extra=('--referrer', 'Sykehuset', '--date', '2026-11-02'))
    r = t.json('referral', 'show', '1')
    assert r == {'id': 1, 'case_id': 1, 'source': 'plo', 'referrer': 'Sykehuset',
                 'received': '2026-11-02', 'requests': ['ip']}, r


def test_show_missing_referral_exit_3(t):
    t.init()
    t.fails(3, 'referral', 'show', '1')


def test_show_malformed_id_exit_4(t):
    kari_case(t)
    t.fails(4, 'referral', 'show', 'abc')
    t.fails(4, 'referral', 'show', '0')
    t.fails(4, 'referral', 'show', '--', '-1')
