"""The dispatcher: command words, options, usage, global options anywhere,
--today, --format, completion (SPEC section 5)."""
import json
import os
import re

COMMANDS = ['init', 'user', 'unit', 'person', 'referral', 'case', 'audit', 'help']
SUBCOMMANDS = {
    'user': ['add', 'list', 'retire'],
    'unit': ['add', 'list', 'edit'],
    'person': ['add', 'list', 'show', 'edit', 'relative', 'export', 'erase'],
    'referral': ['add', 'list', 'show'],
    'case': ['list', 'show', 'edit', 'close', 'reopen', 'unit', 'log', 'access'],
    'audit': ['verify', 'head', 'report', 'reviewed'],
}


def test_unknown_command_exit_2_suggests_near_word(t):
    r = t.fails(2, 'persn')
    assert "did you mean 'person'" in r.err, r.err
    for word in COMMANDS:
        assert word in r.err, (word, r.err)


def test_unknown_command_far_from_any_lists_valid_words(t):
    r = t.fails(2, 'xyzzy')
    assert 'did you mean' not in r.err
    assert 'valid:' in r.err and 'referral' in r.err, r.err


def test_command_words_are_never_abbreviated(t):
    t.init()
    t.fails(2, 'pers', 'list')
    t.fails(2, 'person', 'li')


def test_unknown_subcommand_exit_2_suggests(t):
    r = t.fails(2, 'person', 'lst')
    assert "did you mean 'list'" in r.err, r.err


def test_missing_subcommand_exit_2_lists_subcommands(t):
    for cmd in ('person', 'case'):
        r = t.run(cmd)
        assert r.rc == 2 and r.out == '', r
        assert f"bti: error: '{cmd}' needs a subcommand" in r.err, r.err
        assert f'bti {cmd} list' in r.err, r.err


def test_no_command_exit_2_usage_on_stderr(t):
    r = t.run()
    assert r.rc == 2 and r.out == '', r
    assert r.err.startswith('usage:') and 'bti: error: ' in r.err, r.err


def test_unknown_option_exit_2(t):
    t.init()
    r = t.fails(2, 'person', 'add', '--name', 'Kari Testesen', '--bogus')
    assert '--bogus' in r.err and 'hint: usage:' in r.err, r.err


def test_short_unknown_option_exit_2(t):
    t.init()
    t.fails(2, 'case', 'list', '-x')


def test_unknown_short_option_cluster_is_named_exit_2(t):
    t.init()
    r = t.fails(2, 'person', 'list', '-xyz')
    first = r.err.splitlines()[0]
    assert '-x' in first and "'list'" not in first, first


def test_missing_option_value_exit_2(t):
    t.init()
    r = t.fails(2, 'person', 'add', '--name')
    assert 'needs a value' in r.err, r.err


def test_missing_global_option_value_exit_2(t):
    t.init()
    t.fails(2, 'case', 'list', '--db')
    t.fails(2, 'case', 'list', '--today')


def test_unexpected_argument_exit_2(t):
    t.init()
    t.fails(2, 'case', 'list', 'extra')
    t.fails(2, 'audit', 'head', 'extra')


def test_missing_argument_exit_2(t):
    t.init()
    t.fails(2, 'case', 'show')
    t.fails(2, 'person', 'edit', '--reason', 'x')
    t.fails(2, 'user', 'retire')


def test_dash_h_on_every_command_prints_usage(t):
    bad = []
    for cmd in COMMANDS:
        r = t.run(cmd, '-h')
        if r.rc != 0 or 'usage:' not in r.out:
            bad.append(f'bti {cmd} -h: exit {r.rc}, stdout {r.out[:40]!r}')
    assert not bad, f'no "usage:" on stdout: {bad}'


def test_dash_h_on_every_subcommand_prints_usage(t):
    bad = []
    for cmd, subs in SUBCOMMANDS.items():
        for sub in subs:
            r = t.run(cmd, sub, '-h')
            if r.rc != 0 or not r.out.startswith('usage: bti') or f'bti {cmd} {sub}' not in r.out:
                bad.append(f'bti {cmd} {sub} -h: exit {r.rc}, stdout {r.out[:40]!r}, stderr {r.err.strip()!r}')
    assert not bad, bad


def test_help_of_a_first_word_lists_only_its_verbs(t):
    out = t.ok('ke', 'member', '-h')
    assert 'bti ke member add' in out and 'bti ke member list' in out, out
    assert 'bti ke decide' not in out and 'bti ke meeting' not in out, out
    assert 'bti ke decide' in t.ok('ke', '-h')


def test_help_option_long_form_and_position(t):
    assert 'usage: bti person add' in t.ok('--help', 'person', 'add')
    assert 'usage: bti case list' in t.ok('case', 'list', '--json', '--help')
    assert 'usage: bti person relative add' in t.ok('person', 'relative', 'add', '-h')


def test_dash_h_alone_lists_commands(t):
    out = t.ok('-h')
    assert out.startswith('usage:'), out[:80]
    for word in COMMANDS:
        assert re.search(rf'^\s+{word}\s', out, re.M), word
    assert '__complete' not in out


def test_dash_h_needs_no_database_and_creates_none(t):
    t.ok('person', 'add', '-h')
    t.ok('case', '-h')
    assert not os.path.exists(t.db)


def test_version(t):
    out = t.ok('--version')
    assert re.fullmatch(r'bti \d+\.\d+\.\d+\S*\n', out), out


def test_global_options_anywhere_on_the_line(t):
    t.init()
    t.ok('referral', 'add', '--name', 'Kari Testesen', '--source', 'bti', '--requests', 'ip')
    a = json.loads(t.ok('case', 'list', '--json'))
    b = json.loads(t.ok('--json', 'case', 'list'))
    c = json.loads(t.ok('case', '--json', 'list'))
    assert a == b == c and len(a) == 1, (a, b, c)


def test_format_option_and_shorthands(t):
    t.init()
    t.ok('unit', 'add', 'Familiesenter')
    assert t.ok('--format', 'json', 'unit', 'list').startswith('[')
    assert t.ok('--format=csv', 'unit', 'list').startswith('id,name')
    assert t.ok('unit', 'list', '--format', 'table').startswith('id')


def test_last_format_given_wins(t):
    t.init()
    t.ok('unit', 'add', 'Familiesenter')
    assert t.ok('--json', 'unit', 'list', '--csv').startswith('id,name,')
    assert t.ok('--csv', 'unit', 'list', '--format', 'json').startswith('[')


def test_format_bogus_exit_4(t):
    t.init()
    t.fails(4, '--format', 'bogus', 'case', 'list')
    t.fails(4, 'unit', 'add', 'Familiesenter', '--format', 'xml')


def test_color_bogus_exit_4(t):
    t.init()
    t.fails(4, '--color', 'sometimes', 'unit', 'list')


def test_today_impossible_date_exit_4(t):
    t.init()
    t.fails(4, '--today', '2027-02-29', 'case', 'list')
    t.fails(4, '--today', 'tomorrow', 'unit', 'add', 'Familiesenter')


def test_bti_today_invalid_exit_4(t):
    t.init()
    t.fails(4, 'unit', 'add', 'Familiesenter', env={'BTI_TODAY': '2026-02-30'})


def test_bti_today_fixes_today(t):
    t.init()
    t.ok('referral', 'add', '--name', 'Kari Testesen', '--source', 'bti', '--requests', 'ip')
    assert t.json('case', 'list')[0]['received'] == '2026-11-22'


def test_today_option_wins_over_bti_today(t):
    t.init()
    t.ok('--today', '2026-12-01', 'referral', 'add', '--name', 'Kari Testesen',
         '--source', 'bti', '--requests', 'ip')
    assert t.json('case', 'list')[0]['received'] == '2026-12-01'


def test_today_option_moves_the_future_limit(t):
    t.init()
    t.fails(4, 'person', 'add', '--name', 'Kari Testesen', '--born', '2026-11-30')
    t.ok('--today', '2026-12-01', 'person', 'add', '--name', 'Kari Testesen', '--born', '2026-11-30')


def test_today_accepts_dotted_form(t):
    t.init()
    t.ok('--today', '01.12.2026', 'referral', 'add', '--name', 'Kari Testesen',
         '--source', 'bti', '--requests', 'ip')
    assert t.json('case', 'list')[0]['received'] == '2026-12-01'


def test_complete_lists_command_names(t):
    words = t.ok('__complete', '').split()
    assert set(COMMANDS) <= set(words) and '__complete' not in words, words
    assert words[:6] == COMMANDS[:6], words


def test_complete_lists_subcommands(t):
    assert t.ok('__complete', 'person', '').split() == SUBCOMMANDS['person']
    assert t.ok('__complete', 'audit', '').split() == SUBCOMMANDS['audit']


def test_complete_lists_options_and_global_options(t):
    words = t.ok('__complete', 'person', 'add', '').split()
    for opt in ('--name', '--born', '--expected', '--nin', '--db', '--format', '--today', '--identify'):
        assert opt in words, (opt, words)
    assert '--status' not in words


def test_help_refuses_odd_words_exit_2(t):
    t.fails(2, 'help', '../../etc/passwd')
    t.fails(2, 'help', 'person', 'case')


def test_quiet_silences_the_summary(t):
    t.init()
    r = t.run('unit', 'add', 'Familiesenter')
    assert r.rc == 0 and r.err.strip(), r
    r = t.run('-q', 'unit', 'add', 'BOAK')
    assert r.rc == 0 and r.err == '' and r.out == '2\n', r


def test_write_prints_bare_id_on_stdout(t):
    t.init()
    assert t.ok('unit', 'add', 'Familiesenter') == '1\n'
    assert t.ok('unit', 'add', 'BOAK') == '2\n'


def test_dry_run_changes_nothing(t):
    t.init()
    before = t.dump()
    r = t.run('--dry-run', 'unit', 'add', 'Familiesenter')
    assert r.rc == 0, r
    assert 'dry run' in r.err, r.err
    assert t.dump() == before


def test_actor_is_recorded_in_the_audit(t):
    t.init()
    t.ok('--actor', 'Saksbehandler Ås', 'unit', 'add', 'Familiesenter')
    t.ok('unit', 'add', 'BOAK', env={'BTI_ACTOR': 'Leder Testesen'})
    rows = t.sql("SELECT actor FROM audit WHERE entity = 'unit' ORDER BY id")
    assert rows == [('Saksbehandler Ås',), ('Leder Testesen',)], rows


def test_actor_option_wins_over_bti_actor(t):
    t.init()
    t.ok('--actor', 'Saksbehandler Ås', 'unit', 'add', 'Familiesenter', env={'BTI_ACTOR': 'Leder Testesen'})
    assert t.one("SELECT actor FROM audit WHERE entity = 'unit'") == 'Saksbehandler Ås'


def test_actor_invalid_exit_4(t):
    t.init()
    t.fails(4, '--actor', '=cmd', 'unit', 'add', 'Familiesenter')
    t.fails(4, '--actor', 'Ola\u202eX', 'unit', 'add', 'Familiesenter')


def test_audit_login_comes_from_uid_not_user(t):
    t.init()
    t.ok('unit', 'add', 'Familiesenter', env={'USER': 'mallory', 'LOGNAME': 'mallory'})
    assert t.one("SELECT login FROM audit WHERE entity = 'unit'") == t.login


def test_audit_command_holds_the_name_not_the_arguments(t):
    t.init()
    t.ok('unit', 'add', 'Familiesenter')
    assert t.one("SELECT command FROM audit WHERE entity = 'unit'") == 'unit add'


def test_dash_dash_makes_a_negative_id_an_argument_exit_4(t):
    t.init()
    t.fails(4, 'case', 'show', '--', '-1')


# ---- issue 14: options are never abbreviated, single-valued ones given once ----

def test_abbreviated_long_option_exit_2(t):
    """Finding 10: '--nam' was taken for '--name'."""
    t.init()
    r = t.fails(2, 'person', 'add', '--nam', 'Kari Testesen', '--born', '1961-05-02',
                err_contains="never abbreviated: write '--name' in full", private='Kari')
    assert 'hint: usage: bti person add' in r.err, r.err
    t.fails(2, 'person', 'add', '--name=Kari Testesen', '--bor=1961-05-02',
            err_contains="'--born'", private='Kari')
    t.fails(2, 'case', 'list', '--op', err_contains="write '--open' in full")


def test_repeated_single_valued_option_exit_2(t):
    """Finding 10: a second --name silently replaced the first."""
    t.init()
    t.fails(2, 'person', 'add', '--name', 'Kari Testesen', '--name', 'Per Testesen',
            err_contains="option '--name' given twice", private=['Kari', 'Per'])
    t.fails(2, 'person', 'add', '--name=Kari Testesen', '--born', '1961-05-02',
            '--born=1961-05-03', err_contains="option '--born' given twice", private='Kari')
    t.fails(2, '--db', t.db, '--db', t.path('other.db'), 'unit', 'list',
            err_contains="option '--db' given twice")
    assert t.count('person') == 0


def test_options_shown_with_dots_repeat(t):
    """Only the options a synopsis shows with '...' repeat (SPEC section 5)."""
    t.init()
    t.ok('ke', 'member', 'add', '--name', 'Ingrid Leder', '--role', 'leder')
    t.ok('ke', 'member', 'add', '--name', 'Ola Medlem', '--role', 'medlem')
    t.ok('ke', 'meeting', 'add', '--attendee', 'Ingrid Leder', '--attendee', 'Ola Medlem')
    t.fails(2, 'ke', 'meeting', 'add', '--date', '2026-11-01', '--date', '2026-11-02',
            err_contains="option '--date' given twice")


def test_unknown_option_quotes_only_its_name(t):
    """Finding 13: '--nameOla Nordmann' was echoed whole, name and all."""
    t.init()
    r = t.fails(2, 'person', 'add', '--nameOla Nordmann', '--born', '1961-05-02',
                private=['Ola', 'Nordmann'])
    assert "unknown option starting '--name' (the rest is not shown)" in r.err, r.err
    r = t.fails(2, 'person', 'add', '--bogus=Ola Nordmann', private=['Ola', 'Nordmann'])
    assert "unknown option '--bogus'" in r.err, r.err


def test_garbage_busy_timeout_exit_4(t):
    """Finding 11: a garbage BTI_BUSY_TIMEOUT silently became 5 s."""
    t.init()
    for bad in ('abc', '5s', '', '-1', 'nan', '99999'):
        t.fails(4, 'unit', 'add', 'Familiesenter', env={'BTI_BUSY_TIMEOUT': bad},
                err_contains='BTI_BUSY_TIMEOUT')
    t.ok('unit', 'add', 'Familiesenter', env={'BTI_BUSY_TIMEOUT': '0.5'})


def required_options(t, *words):
    """The options `bti WORDS -h` marks as required, in its order."""
    out = t.ok(*words, '-h')
    return re.findall(r'^    --([a-z0-9-]+)(?: \S+)?\s+.*\(required\)$', out, re.M)


def every_verb(t):
    """Every command as its words: ('case', 'close'), ('due',)."""
    for group in [w for w in t.ok('__complete', '').split() if not w.startswith('_')]:
        firsts = [w for w in t.ok('__complete', group, '').split() if not w.startswith('-')]
        for first in firsts or [None]:
            seconds = [w for w in t.ok('__complete', group, first, '').split()
                       if not w.startswith('-')] if first else []
            for words in ([(group, first, s) for s in seconds] or
                          [(group, first) if first else (group,)]):
                yield words


def test_a_missing_required_option_has_one_wording_everywhere(t):
    """Issue 15: the option table's reader refuses a verb without a required
    option, before its arguments, with one wording: exit 2, the command and
    the first option missing, the synopsis as hint, nothing changed."""
    t.init()
    checked = 0
    for words in every_verb(t):
        required = required_options(t, *words)
        if not required:
            continue
        r = t.fails(2, *words, err_contains=f"'{' '.join(words)}' needs --{required[0]}")
        assert f'hint: usage: bti {" ".join(words)}' in r.err, r.err
        checked += 1
    assert checked >= 30, checked


def test_options_a_table_excludes_are_refused_together_in_either_order(t):
    t.init()
    for args in (['--born', '2000-01-01', '--expected', '2027-01-01'],
                 ['--expected', '2027-01-01', '--born', '2000-01-01']):
        t.fails(2, 'person', 'add', '--name', 'Kari Testesen', *args,
                err_contains='--born and --expected exclude each other')
    for args in (['--period', '2026', '--from', '2026-01-01'],
                 ['--from', '2026-01-01', '--period', '2026']):
        t.fails(2, 'report', 'decisions', *args, err_contains='--period and --from exclude each other')


def test_exactly_one_of_a_set_of_options_has_one_wording(t):
    """None, or two, of the options a table marks as one of a set: one
    wording for every verb."""
    t.init()
    one_of = "'ke decide' needs one of --grant, --deny and --void"
    t.fails(2, 'ke', 'decide', '1', err_contains=one_of)
    t.fails(2, 'ke', 'decide', '1', '--grant', '--deny', err_contains=one_of)
    t.fails(2, 'ke', 'decide', '1', '--void', '1', '--grant', err_contains=one_of)
    t.fails(2, 'group', 'meeting', '1', '--no-minutes', '--minutes', 'M-1',
            err_contains="'group meeting' needs one of --minutes and --no-minutes")
    t.fails(2, 'referral', 'add', '--source', 'bti', '--requests', 'ip',
            err_contains="'referral add' needs one of --person, --case and --name")
    t.fails(2, 'referral', 'add', '--case', '1', '--person', '1', '--source', 'bti',
            '--requests', 'ip', err_contains="'referral add' needs one of --person, --case and --name")


def test_complete_offers_cases_units_and_coordinators_from_the_database(t):
    """Issue 15: a unit, coordinator or case option offers what the database
    holds, read pseudonymously (no access row, nothing changed); without a
    database, nothing."""
    assert t.ok('__complete', 'case', 'list', '--unit', '') == ''  # no database yet
    assert not os.path.exists(t.db)
    t.init()
    t.ok('unit', 'add', 'BOAK')
    t.ok('unit', 'add', 'Familiesenteret')
    t.ok('coordinator', 'add', '--name', 'Anne Koordinator', '--unit', 'BOAK')
    t.ok('referral', 'add', '--name', 'Kari Testesen', '--source', 'bti', '--requests', 'ip')
    before, reads = t.dump(), t.sql('SELECT count(*) FROM access')
    assert t.ok('__complete', 'case', 'unit', '1', '--unit', '').split() == ['BOAK', 'Familiesenteret']
    assert t.ok('__complete', 'due', '--coordinator', '') == 'Anne Koordinator\n'
    assert t.ok('__complete', 'referral', 'list', '--case', '').split() == ['1']
    assert t.ok('__complete', '--db', t.db, 'referral', 'list', '--case', '').split() == ['1']
    assert t.dump() == before and t.sql('SELECT count(*) FROM access') == reads
    assert 'Kari' not in t.ok('__complete', 'referral', 'list', '--case', '')
