"""The person at the terminal (issue 17): help without man, the pager,
colour, tables that fit the terminal and measure Unicode right, --quiet.
The points about a terminal run bti at a pseudo-terminal (t.tty)."""
import os
import re
import subprocess
import unicodedata

from synth import KARI, OLA

ESC = re.compile(r'\x1b\[[0-9;]*[A-Za-z]')
LONG_NAME = 'Kari Mangeordsen Langnavnsdatter Testesen'
LONG_REFERRER = 'Fastlege Ola Legesen ved Storbyen legesenter, avdeling nord'


def width(s):
    """Terminal columns of s: wide and emoji characters two, combining
    marks and joiners none (enough for the strings these tests use)."""
    w = 0
    for ch in s:
        if unicodedata.combining(ch) or ch in '\u200d\ufe0f':
            continue
        w += 2 if unicodedata.east_asian_width(ch) in 'WF' else 1
    return w


def screen_lines(out):
    """The lines bti wrote to the terminal, without escape sequences."""
    return [ESC.sub('', line) for line in out.split('\n') if line.strip()]


def three_cases(t):
    t.init()
    for i in range(3):
        t.ok('referral', 'add', '--name', f'{LONG_NAME} {i}', '--born', f'2010-0{i + 1}-1{i}',
             '--source', 'bti', '--requests', 'coordinator,ip', '--referrer', LONG_REFERRER)


# ---- help -----------------------------------------------------------------

def test_help_without_man_prints_the_usage(t):
    t.init()
    r = t.run('help', 'case', env={'PATH': '/nonexistent'})
    assert r.rc == 0 and r.err == '', r
    assert r.out.startswith('usage: bti case <subcommand>') and 'bti case close CASE' in r.out, r.out
    r = t.run('help', env={'PATH': '/nonexistent'})
    assert r.rc == 0 and 'commands:' in r.out and 'status' in r.out, r


def test_help_into_a_closed_pipe_is_quiet(t):
    """The reader is gone before help writes: no message, exit 0 (man got
    bti's ignored SIGPIPE and exited 3 on the write error)."""
    for args in (('help', 'ke'), ('help',)):
        for env in ({'PATH': '/usr/bin:/bin'}, {'PATH': '/nonexistent'}):
            p = subprocess.Popen([t.bti, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                 env=dict(t.env, **env), cwd=t.dir)
            p.stdout.close()
            err = p.stderr.read()
            rc = p.wait(timeout=30)
            assert rc == 0 and err == b'', (args, env, rc, err)


# ---- pager and colour -----------------------------------------------------

def test_pager_less_shows_colours_not_escapes(t):
    """LESS unset: bti sets LESS=FRX as git does, so less passes the bold
    header through instead of showing 'ESC[1m'."""
    if not os.path.exists('/usr/bin/less'):
        t.skip('no less')
    three_cases(t)
    r = t.tty('case', 'list', env={'PAGER': 'less', 'LESS': None}, cols=160)
    assert r.rc == 0, r
    assert '\x1b[1m' in r.out and 'ESC' not in r.out, r.out[:300]
    assert 'received' in r.out


def test_pager_that_cannot_start_means_plain_output(t):
    three_cases(t)
    for pager in ('lesss', 'lesss -R', '/nonexistent/pager'):
        r = t.tty('case', 'list', env={'PAGER': pager}, cols=160)
        assert r.rc == 0, (pager, r)
        lines = screen_lines(r.out)
        assert lines[0].startswith('id') and len(lines) == 4, (pager, lines)
        assert "bti: warning: cannot run the pager '" in r.err, (pager, r.err)
    r = t.tty('-q', 'case', 'list', env={'PAGER': 'lesss'}, cols=160)
    assert r.rc == 0 and r.err == '' and len(screen_lines(r.out)) == 4, r


def test_empty_no_color_keeps_colour_at_a_terminal(t):
    three_cases(t)
    assert '\x1b[1m' in t.tty('case', 'list', env={'NO_COLOR': ''}, cols=160).out
    assert '\x1b[1m' not in t.tty('case', 'list', env={'NO_COLOR': '1'}, cols=160).out
    assert '\x1b[' not in t.ok('case', 'list', env={'NO_COLOR': ''})


# ---- tables that fit ------------------------------------------------------

def test_table_fits_a_terminal_of_120_columns(t):
    """The identified case list at 120 columns: no line wraps; the widest
    text columns end in '…'; piped, nothing is shortened."""
    three_cases(t)
    r = t.tty('--identify', 'case', 'list', cols=120, env={'PAGER': 'cat'})
    assert r.rc == 0, r
    lines = screen_lines(r.out)
    assert len(lines) == 4, lines
    for line in lines:
        assert width(line) <= 120, (width(line), line)
    assert all('…' in line for line in lines[1:]), lines
    assert lines[1].split()[2] == 'Kari', lines
    piped = t.ok('--identify', 'case', 'list').splitlines()
    assert '…' not in ''.join(piped) and LONG_NAME + ' 0' in piped[1]


def test_table_fits_columns_from_the_environment(t):
    three_cases(t)
    r = t.tty('--identify', 'case', 'list', cols=200, env={'PAGER': 'cat', 'COLUMNS': '100'})
    assert max(width(line) for line in screen_lines(r.out)) <= 100, r.out


def test_show_sub_tables_fit_the_terminal(t):
    three_cases(t)
    r = t.tty('case', 'show', '1', cols=70, env={'PAGER': 'cat'})
    assert r.rc == 0, r
    referrals = [line for line in screen_lines(r.out) if line.startswith(' 1        1')]
    assert referrals and all(width(line) <= 70 for line in referrals), r.out
    assert '…' in referrals[0], referrals


def test_columns_do_not_shift_after_id_9999(t):
    """1,005 persons with ids 9000..10004: the table sizes its columns on
    the first 1,000 rows (ids up to 9999) and the later ids still fit."""
    t.init()
    t.write_sql(*[("INSERT INTO person(id, name, born) VALUES (?, ?, '2010-05-05')",
                   (9000 + i, f'Testperson {i:04d}')) for i in range(1005)])
    lines = t.ok('person', 'list').splitlines()
    assert len(lines) == 1006
    col = lines[0].index('name')
    assert {line[col:col + 10] for line in lines[1:]} == {'Testperson'}, \
        [line for line in lines[1:] if line[col:col + 10] != 'Testperson'][:3]


def test_table_measures_emoji_and_combining_marks(t):
    """Units whose names hold an emoji, a flag, combining marks and wide
    characters: the number column after them ends at the same terminal
    column in every row (a zero-width joiner has no place in a name: it is
    invisible)."""
    t.init()
    names = ['Team \U0001F600', 'Team \U0001F680', 'Team \u2615', 'Team \U0001F1F3\U0001F1F4',
             'Tea\u0301m e\u0301', 'Team xy', 'Team \u65e5\u672c']
    for n in names:
        t.ok('unit', 'add', n)
    lines = t.ok('unit', 'list').splitlines()
    assert len(lines) == len(names) + 1, lines
    # open_cases, right-aligned, ends every line at the header's last column
    for line in lines[1:]:
        assert line.endswith(' 0') and width(line) == width(lines[0]), (line, width(line))


# ---- --quiet --------------------------------------------------------------

def test_quiet_is_the_long_form_of_q(t):
    t.init()
    r = t.run('--quiet', 'person', 'add', '--name', KARI[0])
    assert r.rc == 0 and r.err == '' and r.out.strip() == '1', r
    r = t.run('person', 'add', '--name', OLA[0], '--quiet')
    assert r.rc == 0 and r.err == '' and r.out.strip() == '2', r
    assert 'person 3' in t.run('person', 'add', '--name', 'Per Testesen').err
    r = t.fails(2, '--quiet', 'person', 'nosuch')
    assert 'hint:' not in r.err, r.err
    assert '--quiet' in t.ok('__complete', 'person', 'add', '')
