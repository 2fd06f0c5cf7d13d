"""bti person add, list, show, edit and relative add, with hostile input."""
import json
import os

from synth import ASE, KARI, OLA, PER, masked, nin, with_check, wrong_check

KARI_NIN = nin(KARI[1])
OLA_NIN = nin(OLA[1])


def add(t, *extra, name=KARI[0]):
    return t.ok('person', 'add', '--name', name, *extra).strip()


# ---- person add -----------------------------------------------------------

def test_add_prints_the_new_id(t):
    t.init()
    assert t.ok('person', 'add', '--name', KARI[0], '--born', KARI[1]) == '1\n'
    assert t.ok('person', 'add', '--name', OLA[0]) == '2\n'


def test_add_json_returns_the_person(t):
    t.init()
    p = t.json('person', 'add', '--name', KARI[0], '--nin', KARI_NIN)
    assert p['id'] == 1 and p['name'] == KARI[0] and p['born'] == KARI[1], p
    assert p['expected'] is False and p['nin'] == masked(KARI_NIN), p


def test_add_stores_the_values(t):
    t.init()
    add(t, '--born', OLA[1], '--nin', OLA_NIN, name=OLA[0])
    assert t.sql('SELECT name, born, expected, nin FROM person') == [(OLA[0], OLA[1], 0, OLA_NIN)]


def test_add_takes_the_birth_date_from_the_nin(t):
    t.init()
    add(t, '--nin', KARI_NIN)
    assert t.one('SELECT born FROM person') == KARI[1]


def test_add_reads_a_dotted_date(t):
    t.init()
    add(t, '--born', '05.05.2010')
    assert t.one('SELECT born FROM person') == '2010-05-05'


def test_add_born_today_is_allowed(t):
    t.init()
    add(t, '--born', 'today')
    assert t.one('SELECT born FROM person') == '2026-11-22'


def test_add_expected_child_may_lie_ahead(t):
    t.init()
    p = t.json('person', 'add', '--name', 'Ufødt Testesen', '--expected', '2027-03-01')
    assert p['expected'] is True and p['born'] == '2027-03-01', p


def test_born_and_expected_together_exit_2(t):
    # either order: an unborn child with a birth date of 1990 was recorded before
    t.init()
    for dates in (('--expected', '2027-01-01', '--born', '1990-01-01'),
                  ('--born', '1990-01-01', '--expected', '2027-01-01')):
        t.fails(2, 'person', 'add', '--name', 'Ufødt Testesen', *dates,
                err_contains='--born and --expected exclude each other')
        t.fails(2, 'referral', 'add', '--name', 'Ufødt Testesen', *dates, '--source', 'bti',
                '--requests', 'child', err_contains='--born and --expected exclude each other')
    t.ok('person', 'add', '--name', 'Ufødt Testesen', '--expected', '2027-01-01')
    t.fails(2, 'person', 'edit', '1', '--born', '2026-11-01', '--expected', '2027-01-01',
            '--reason', 'Født', err_contains='exclude each other')


def test_add_expected_child_with_nin_exit_4(t):
    t.init()
    t.fails(4, 'person', 'add', '--name', 'Ufødt Testesen', '--expected', '2027-03-01',
            '--nin', KARI_NIN, private=KARI_NIN)


def test_add_born_after_today_exit_4(t):
    t.init()
    t.fails(4, 'person', 'add', '--name', KARI[0], '--born', '2026-11-23', private=KARI[0])


def test_add_impossible_dates_exit_4(t):
    t.init()
    for bad in ('2027-02-29', '2026-13-01', '31.04.2026', 'soon'):
        t.fails(4, 'person', 'add', '--name', KARI[0], '--born', bad, private=KARI[0])


def test_add_nin_with_wrong_check_digits_exit_4(t):
    t.init()
    bad = wrong_check(KARI_NIN)
    t.fails(4, 'person', 'add', '--name', KARI[0], '--nin', bad, private=[bad, KARI[0]])


def test_add_nin_with_wrong_first_check_digit_exit_4(t):
    t.init()
    bad = KARI_NIN[:9] + str((int(KARI_NIN[9]) + 1) % 10) + KARI_NIN[10]
    t.fails(4, 'person', 'add', '--name', KARI[0], '--nin', bad, private=bad)


def test_add_ten_digit_nin_exit_4(t):
    t.init()
    short = OLA_NIN[1:]
    t.fails(4, 'person', 'add', '--name', OLA[0], '--nin', short, private=short)


def test_add_nin_with_letters_or_space_exit_4(t):
    t.init()
    for bad in (KARI_NIN[:10] + 'X', KARI_NIN[:6] + ' ' + KARI_NIN[6:], KARI_NIN + '0'):
        t.fails(4, 'person', 'add', '--name', KARI[0], '--nin', bad, private=KARI_NIN[6:])


def test_add_nin_that_disagrees_with_born_exit_4(t):
    t.init()
    t.fails(4, 'person', 'add', '--name', KARI[0], '--born', '2010-05-06', '--nin', KARI_NIN,
            private=[KARI_NIN, KARI[0]])


def test_add_nin_for_an_impossible_date_exit_4(t):
    t.init()
    # 31 April (month 04 + 80) does not exist, though the check digits fit.
    bad = next(n for n in (with_check(f'318410{i:03d}') for i in range(500, 1000)) if n)
    t.fails(4, 'person', 'add', '--name', KARI[0], '--nin', bad, private=bad)


def test_add_duplicate_nin_exit_1_hints_use_person(t):
    t.init()
    add(t, '--nin', KARI_NIN)
    t.fails(1, 'person', 'add', '--name', 'Kari Annensen', '--nin', KARI_NIN,
            err_contains='hint: use --person 1', private=[KARI_NIN, 'Kari Annensen', KARI[0]])


def test_add_duplicate_name_and_born_exit_1(t):
    t.init()
    add(t, '--born', KARI[1])
    t.fails(1, 'person', 'add', '--name', KARI[0], '--born', KARI[1],
            err_contains='use --person 1', private=KARI[0])


def test_add_same_name_other_birth_date_is_another_person(t):
    t.init()
    add(t, '--born', KARI[1])
    assert add(t, '--born', '2011-05-05') == '2'


def test_add_near_duplicate_name_exit_1(t):
    """Issue 14, finding 8: spaces and case do not make another person."""
    t.init()
    add(t, '--born', KARI[1], name='Kari Testesen')
    for near in ('Kari Testesen ', ' Kari  Testesen', 'KARI TESTESEN', 'kari\u00a0testesen'):
        t.fails(1, 'person', 'add', '--name', near, '--born', KARI[1],
                err_contains=['person 1 already has that nin, or that name and birth date',
                              'hint: use --person 1'], private=near.strip())
    assert t.count('person') == 1


def test_edit_to_a_near_duplicate_name_exit_1(t):
    t.init()
    add(t, '--born', KARI[1], name='Kari Testesen')
    add(t, '--born', KARI[1], name='Kari Annensen')
    t.fails(1, 'person', 'edit', '2', '--name', 'kari  testesen', '--reason', 'typo',
            err_contains='person 1 already has', private='testesen')


def test_add_decomposed_name_is_stored_composed_and_found(t):
    """A name given decomposed (NFD) is stored NFC; either form finds it,
    and the decomposed form is a duplicate of the composed one."""
    t.init()
    nfd = 'C\u030ca\u0301hppes Nils'
    add(t, '--born', KARI[1], name=nfd)
    assert t.one('SELECT name FROM person') == '\u010c\u00e1hppes Nils'
    t.fails(1, 'person', 'add', '--name', '\u010c\u00e1hppes Nils', '--born', KARI[1],
            err_contains='use --person 1')
    for needle in ('\u010d\u00e1hppes', 'c\u030ca\u0301HPPES', '\u00e1HPP'):
        assert [r['id'] for r in t.json('person', 'list', '--name', needle)] == [1], needle


def test_list_name_filter_folds_sami_letters(t):
    t.init()
    add(t, name='\u010c\u00e1hppes Nils')
    add(t, name='\u0160\u00e1mi \u014a\u0101ja')
    assert [r['id'] for r in t.json('person', 'list', '--name', '\u010d\u00e1hppes')] == [1]
    assert [r['id'] for r in t.json('person', 'list', '--name', '\u0161\u00c1MI \u014b')] == [2]


def test_add_blank_name_exit_4(t):
    t.init()
    for blank in ('   ', '\u00a0', ' \u3000 '):
        t.fails(4, 'person', 'add', '--name', blank, err_contains='--name is blank')


def test_add_name_with_invisible_characters_exit_4(t):
    """Issue 14, finding 8: a byte order mark, a line separator, a soft
    hyphen and the zero-width characters are refused, named by code point."""
    t.init()
    for cp in (0xFEFF, 0x2028, 0x00AD, 0x200B, 0x200C, 0x200D, 0x2060):
        name = f'Kari{chr(cp)} Testesen'
        t.fails(4, 'person', 'add', '--name', name, private=name,
                err_contains=f'--name holds an invisible character (U+{cp:04X})')
    path = t.write('bom.txt', '\ufeffKari Testesen')
    t.fails(4, 'person', 'add', '--name', '@' + path,
            err_contains='--name holds an invisible character (U+FEFF)')


def test_add_missing_name_exit_2(t):
    t.init()
    t.fails(2, 'person', 'add', '--born', KARI[1])


def test_add_empty_name_exit_4(t):
    t.init()
    t.fails(4, 'person', 'add', '--name', '')


def test_add_name_of_200_characters_passes_201_fails(t):
    t.init()
    add(t, name='K' * 200)
    t.fails(4, 'person', 'add', '--name', 'K' * 201, private='K' * 201)
    assert t.one('SELECT length(name) FROM person') == 200


def test_add_name_limit_counts_characters_not_bytes(t):
    t.init()
    add(t, name='Å' * 200)
    t.fails(4, 'person', 'add', '--name', 'Ø' * 201)


def test_add_invalid_utf8_name_exit_4(t):
    t.init()
    for raw in (b'Kari \xff Testesen', b'Kari \xc3', b'Kari \xc0\xaf', b'Kari \xed\xa0\x80'):
        t.fails(4, b'person', b'add', b'--name', raw, private=raw)


def test_add_name_with_c1_control_exit_4(t):
    t.init()
    name = 'Kari\u0085Testesen'
    t.fails(4, 'person', 'add', '--name', name, private=name)


def test_add_name_with_bidi_override_exit_4(t):
    t.init()
    for name in ('Kari \u202eTestesen', 'Kari \u2066Testesen', 'Kari \u200fTestesen'):
        t.fails(4, 'person', 'add', '--name', name, private=name)


def test_add_name_with_ascii_controls_exit_4(t):
    t.init()
    for name in ('Kari\nTestesen', 'Kari\tTestesen', 'Kari\x1b[31mTestesen', 'Kari\x7fTestesen'):
        t.fails(4, 'person', 'add', '--name', name, private=name)


def test_add_name_beginning_with_formula_character_exit_4(t):
    t.init()
    for name in ('=HYPERLINK("x")', '+Kari Testesen', '-Kari Testesen', '-2+3'):
        t.fails(4, 'person', 'add', '--name', name, private=name)


def test_add_name_beginning_with_at_from_a_file_exit_4(t):
    t.init()
    path = t.write('name.txt', '@SUM(1) Testesen\n')
    t.fails(4, 'person', 'add', '--name', '@' + path, private='SUM(1) Testesen')


def test_add_sql_in_a_name_is_stored_literally(t):
    t.init()
    name = "'; DROP TABLE ke_case; --"
    add(t, name=name)
    assert t.one('SELECT name FROM person') == name
    assert t.one("SELECT count(*) FROM sqlite_master WHERE name = 'ke_case'") == 1
    t.ok('case', 'list')


def test_add_sql_like_name_quotes_and_percent(t):
    t.init()
    name = 'Robert\'); DELETE FROM person; -- "%_'
    add(t, name=name)
    add(t, name=OLA[0])
    assert [p['name'] for p in t.json('person', 'list')] == [name, OLA[0]]


def test_add_name_read_from_a_file(t):
    t.init()
    path = t.write('name.txt', ASE[0] + '\n')
    add(t, name='@' + path)
    assert t.one('SELECT name FROM person') == ASE[0]


def test_add_name_read_from_stdin(t):
    t.init()
    assert t.ok('person', 'add', '--name', '@-', input=ASE[0] + '\n') == '1\n'
    assert t.one('SELECT name FROM person') == ASE[0]


def test_add_nin_read_from_a_file(t):
    t.init()
    path = t.write('nin.txt', KARI_NIN + '\n')
    add(t, '--nin', '@' + path)
    assert t.one('SELECT nin FROM person') == KARI_NIN


def test_add_name_from_missing_file_exit_4(t):
    t.init()
    t.fails(4, 'person', 'add', '--name', '@/nonexistent/name.txt')


def test_add_name_from_a_fifo_exit_4(t):
    t.init()
    os.mkfifo(t.path('fifo'), 0o600)
    t.fails(4, 'person', 'add', '--name', '@' + t.path('fifo'))


def test_add_name_from_a_symlink_exit_4(t):
    t.init()
    target = t.write('name.txt', KARI[0] + '\n')
    os.symlink(target, t.path('link.txt'))
    t.fails(4, 'person', 'add', '--name', '@' + t.path('link.txt'), private=KARI[0])


def test_add_name_from_a_directory_exit_4(t):
    t.init()
    t.fails(4, 'person', 'add', '--name', '@' + t.dir)


def test_add_name_from_a_huge_file_exit_4(t):
    t.init()
    path = t.write('big.txt', 'K' * (70 * 1024))
    t.fails(4, 'person', 'add', '--name', '@' + path)


def test_add_invalid_name_from_stdin_exit_4(t):
    t.init()
    t.fails(4, 'person', 'add', '--name', '@-', input=b'Kari\x85Testesen\n', private=b'Testesen')


def test_add_date_errors_never_quote_a_nin(t):
    t.init()
    t.fails(4, 'person', 'add', '--name', KARI[0], '--born', KARI_NIN, private=KARI_NIN)


def test_add_date_errors_never_quote_a_name(t):
    t.init()
    t.fails(4, 'person', 'add', '--name', 'Ola Prøvesen', '--born', 'Kari', private='Kari')


def test_stray_name_argument_is_not_quoted_exit_2(t):
    t.init()
    t.fails(2, 'person', 'add', KARI[0], '--born', KARI[1], private=KARI[0])


# ---- person list ----------------------------------------------------------

def test_list_empty_json_is_empty_array(t):
    t.init()
    assert t.json('person', 'list') == []


def test_list_in_id_order_with_keys(t):
    t.init()
    add(t, name=OLA[0])
    add(t, '--born', KARI[1])
    rows = t.json('person', 'list')
    assert [r['id'] for r in rows] == [1, 2]
    assert set(rows[0]) == {'id', 'name', 'born', 'expected', 'nin', 'open_case_id'}, rows[0]


def test_list_name_filter_folds_case_and_norwegian_letters(t):
    t.init()
    add(t, name=ASE[0])
    add(t, name=OLA[0])
    assert [r['name'] for r in t.json('person', 'list', '--name', 'øvreÅs')] == [ASE[0]]
    assert [r['name'] for r in t.json('person', 'list', '--name', 'PRØVE')] == [OLA[0]]


def test_list_born_filter(t):
    t.init()
    add(t, '--born', KARI[1])
    add(t, '--born', OLA[1], name=OLA[0])
    assert [r['id'] for r in t.json('person', 'list', '--born', OLA[1])] == [2]


def test_list_limit(t):
    t.init()
    for i in range(3):
        add(t, name=f'Testperson {i}')
    assert [r['id'] for r in t.json('person', 'list', '--limit', '2')] == [1, 2]


def test_list_bad_limit_exit_4(t):
    t.init()
    for bad in ('0', 'abc', '-1', '1.5'):
        t.fails(4, 'person', 'list', '--limit', bad)


def test_list_bad_born_filter_exit_4(t):
    t.init()
    t.fails(4, 'person', 'list', '--born', '2027-02-29')


def test_list_is_logged_as_an_access(t):
    t.init()
    add(t)
    before = t.count('access')
    t.ok('person', 'list')
    assert t.count('access') == before + 1


def test_list_shows_the_open_case(t):
    t.init()
    t.ok('referral', 'add', '--name', KARI[0], '--source', 'bti', '--requests', 'ip')
    assert t.json('person', 'list')[0]['open_case_id'] == 1


# ---- person show ----------------------------------------------------------

def test_show_one_object(t):
    t.init()
    add(t, '--nin', KARI_NIN)
    p = t.json('person', 'show', '1')
    assert p['id'] == 1 and p['name'] == KARI[0] and p['nin'] == masked(KARI_NIN), p
    assert p['relatives'] == [], p


def test_show_lists_the_persons_cases(t):
    t.init()
    t.ok('referral', 'add', '--name', KARI[0], '--source', 'bti', '--requests', 'ip')
    p = t.json('person', 'show', '1')
    assert 'cases' in p, f'person show has no "cases": {sorted(p)}'
    assert [c['id'] for c in p['cases']] == [1], p['cases']
    assert p['cases'][0]['status'] == 'received', p['cases']


def test_show_is_logged_as_an_access(t):
    t.init()
    add(t)
    before = t.count('access')
    t.ok('person', 'show', '1')
    assert t.count('access') == before + 1
    assert t.sql('SELECT command, entity, what FROM access ORDER BY id DESC LIMIT 1') == [
        ('person show', 'person', '1')]


def test_show_missing_person_exit_3(t):
    t.init()
    t.fails(3, 'person', 'show', '99')


def test_show_malformed_ids_exit_4(t):
    t.init()
    add(t)
    for bad in ('abc', '0', '+1', '99999999999999999999'):
        t.fails(4, 'person', 'show', bad)
    t.fails(4, 'person', 'show', '--', '-1')


def test_show_table_has_the_fields(t):
    t.init()
    add(t, '--born', KARI[1])
    out = t.ok('person', 'show', '1')
    assert KARI[0] in out and '2010-05-05' in out, out


# ---- person edit ----------------------------------------------------------

def test_edit_changes_the_name_and_keeps_the_reason_in_the_audit(t):
    t.init()
    add(t, '--born', KARI[1])
    assert t.ok('person', 'edit', '1', '--name', 'Kari Rettesen', '--reason', 'skrivefeil') == ''
    assert t.one('SELECT name FROM person') == 'Kari Rettesen'
    change = json.loads(t.one("SELECT change FROM audit WHERE entity = 'person' ORDER BY id DESC LIMIT 1"))
    assert change['old']['name'] == KARI[0] and change['new']['name'] == 'Kari Rettesen', change
    assert change['reason'] == 'skrivefeil', change


def test_edit_adds_a_nin(t):
    t.init()
    add(t, '--born', KARI[1])
    t.ok('person', 'edit', '1', '--nin', KARI_NIN, '--reason', 'fikk nin')
    assert t.one('SELECT nin FROM person') == KARI_NIN


def test_edit_without_reason_exit_2(t):
    t.init()
    add(t)
    t.fails(2, 'person', 'edit', '1', '--name', 'Kari Rettesen', private='Kari Rettesen')


def test_edit_missing_person_exit_3(t):
    t.init()
    t.fails(3, 'person', 'edit', '7', '--name', 'Kari Rettesen', '--reason', 'r', private='Kari Rettesen')


def test_edit_malformed_id_exit_4(t):
    t.init()
    add(t)
    t.fails(4, 'person', 'edit', 'abc', '--name', 'Kari Rettesen', '--reason', 'r')


def test_edit_invalid_name_exit_4(t):
    t.init()
    add(t)
    for name in ('', '=Kari', 'K' * 201, 'Kari\u202e'):
        t.fails(4, 'person', 'edit', '1', '--name', name, '--reason', 'r', private=[name] if name else ())


def test_edit_nin_that_disagrees_with_born_exit_4(t):
    t.init()
    add(t, '--born', '2010-05-06')
    t.fails(4, 'person', 'edit', '1', '--nin', KARI_NIN, '--reason', 'r', private=KARI_NIN)


def test_edit_born_after_today_exit_4(t):
    t.init()
    add(t)
    t.fails(4, 'person', 'edit', '1', '--born', '2026-12-24', '--reason', 'r')


def test_edit_to_another_persons_nin_exit_1(t):
    t.init()
    add(t, '--nin', KARI_NIN)
    add(t, '--born', KARI[1], name='Kari Annensen')
    t.fails(1, 'person', 'edit', '2', '--nin', KARI_NIN, '--reason', 'r', private=KARI_NIN)


def test_edit_reason_free_text_control_exit_4(t):
    t.init()
    add(t)
    t.fails(4, 'person', 'edit', '1', '--name', 'Kari Rettesen', '--reason', 'feil\x1b')


# ---- person relative add --------------------------------------------------

def test_relative_add_prints_id_and_shows_in_person(t):
    t.init()
    add(t)
    assert t.ok('person', 'relative', 'add', '1', '--name', 'Mor Testesen', '--relation', 'mor',
                '--may-consent') == '1\n'
    rel = t.json('person', 'show', '1')['relatives']
    assert rel == [{'id': 1, 'name': 'Mor Testesen', 'relation': 'mor', 'may_consent': True}], rel


def test_relative_may_consent_defaults_to_false(t):
    t.init()
    add(t)
    t.ok('person', 'relative', 'add', '1', '--name', 'Far Testesen', '--relation', 'far')
    assert t.json('person', 'show', '1')['relatives'][0]['may_consent'] is False


def test_relative_add_missing_person_exit_3(t):
    t.init()
    t.fails(3, 'person', 'relative', 'add', '5', '--name', 'Mor Testesen', '--relation', 'mor',
            private='Mor Testesen')


def test_relative_add_malformed_person_exit_4(t):
    t.init()
    t.fails(4, 'person', 'relative', 'add', 'x', '--name', 'Mor Testesen', '--relation', 'mor')


def test_relative_add_missing_relation_exit_2(t):
    t.init()
    add(t)
    t.fails(2, 'person', 'relative', 'add', '1', '--name', 'Mor Testesen')


def test_relative_add_invalid_name_exit_4(t):
    t.init()
    add(t)
    for name in ('+Mor', 'Mor\u0085Testesen', ''):
        t.fails(4, 'person', 'relative', 'add', '1', '--name', name, '--relation', 'mor',
                private=[name] if name else ())


def test_relative_add_relation_over_200_exit_4(t):
    t.init()
    add(t)
    t.fails(4, 'person', 'relative', 'add', '1', '--name', 'Mor Testesen', '--relation', 'm' * 201)


def test_relative_unknown_subcommand_exit_2(t):
    t.init()
    add(t)
    t.fails(2, 'person', 'relative', 'remove', '1', '--name', 'Mor Testesen', '--relation', 'mor')


def test_person_names_never_in_error_messages_of_duplicates(t):
    t.init()
    add(t, '--born', PER[1], '--nin', nin(PER[1]), name=PER[0])
    t.fails(1, 'person', 'add', '--name', PER[0], '--born', PER[1],
            private=[PER[0], nin(PER[1]), 'Fiktivsen'])
