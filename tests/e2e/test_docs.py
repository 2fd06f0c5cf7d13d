"""The manual pages and the shell completions (man/, completions/): every
command has a page with the standard sections that documents each of its
options, every page renders without a warning, and the bash completion
completes from `bti __complete`.

A check that needs a tool the machine lacks (man, groff, bash, zsh) is
skipped with a message on stderr, never failed."""
import os
import re
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MAN = os.path.join(ROOT, 'man')
BASH_COMPLETION = os.path.join(ROOT, 'completions', 'bti.bash')
ZSH_COMPLETION = os.path.join(ROOT, 'completions', '_bti')

SECTIONS = ['NAME', 'SYNOPSIS', 'DESCRIPTION', 'OPTIONS', 'EXIT STATUS', 'EXAMPLES', 'SEE ALSO']
OVERVIEW_SECTIONS = ['NAME', 'SYNOPSIS', 'DESCRIPTION', 'GLOBAL OPTIONS', 'DATES', 'OUTPUT',
                     'ENVIRONMENT', 'FILES', 'EXIT STATUS', 'SECURITY', 'EXAMPLES', 'SEE ALSO']


def skip(t, why):
    """Skip the calling test: through the fixture when it can, else with a
    line on stderr (the test then counts as passed)."""
    if hasattr(t, 'skip'):
        t.skip(why)
        return
    caller = sys._getframe(1).f_code.co_name
    print(f'SKIP test_docs.py::{caller}: {why}', file=sys.stderr)


def pages():
    """Every page in man/, by file name."""
    return sorted(f for f in os.listdir(MAN) if f.endswith('.1'))


def read(page):
    with open(os.path.join(MAN, page), encoding='utf-8') as f:
        return f.read()


def plain(source):
    """The page source with the escapes that hide option names taken out:
    `\\-` becomes `-`, and font changes and zero-width marks go."""
    s = source.replace('\\-', '-')
    s = re.sub(r'\\f(\[[^]]*\]|\(..|.)', '', s)
    return s.replace('\\&', '').replace('\\%', '').replace('\\ ', ' ')


def sections(source):
    """The .SH headings of a page, in order."""
    return [m.group(1).strip().strip('"') for m in re.finditer(r'^\.SH[ \t]+(.*)$', source, re.M)]


def groups(t):
    """The command groups bti has, less the internal ones (`_...`)."""
    words = t.ok('__complete', '').split()
    assert words, 'bti __complete "" printed no command'
    return [w for w in words if not w.startswith('_')]


def verbs(t, group):
    """The subcommands of group; [None] for a command without any."""
    words = t.ok('__complete', group, '').split()
    if not words or all(w.startswith('-') for w in words):
        return [None]
    return [w for w in words if not w.startswith('-')]


def usage_options(t, group, verb):
    """The long options `bti GROUP VERB -h` lists under its `options:`
    heading, one a line with its help line: {name: help}."""
    out = t.ok(group, *([verb] if verb else []), '-h')
    block = out.split('\noptions:\n', 1)[1].split('\n\n', 1)[0] if '\noptions:\n' in out else ''
    opts = {}
    for m in re.finditer(r'^    --([a-z0-9][a-z0-9-]*)(?: \S+)?\s+(\S.*)$', block, re.M):
        opts[m.group(1)] = m.group(2)
    return opts


def man_env():
    env = dict(os.environ)
    for k in ('MANPAGER', 'PAGER', 'MANOPT', 'MANROFFOPT', 'GROFF_TMAC_PATH'):
        env.pop(k, None)
    env.update(MANWIDTH='80', LC_ALL='C.UTF-8')
    return env


# ---- every command has its page ----------------------------------------------

def test_every_command_has_a_man_page_named_in_bti_1(t):
    overview = plain(read('bti.1'))
    for group in groups(t):
        page = f'bti-{group}.1'
        assert os.path.exists(os.path.join(MAN, page)), f'man/{page} is missing'
        assert re.search(rf'bti-{re.escape(group)}(?![\w-])', overview), \
            f'man/bti.1 does not name bti-{group}'
        assert re.search(rf'^\.B[A-Z]*\s+{re.escape(group)}\b', read('bti.1'), re.M), \
            f'man/bti.1 does not list the command {group}'


def test_every_page_has_the_standard_sections(t):
    for page in pages():
        have = sections(read(page))
        want = OVERVIEW_SECTIONS if page == 'bti.1' else \
            [s for s in SECTIONS if not (page == 'bti-help.1' and s == 'OPTIONS')]
        missing = [s for s in want if s not in have]
        assert not missing, f'man/{page} lacks the sections {missing}'
        assert have.index('NAME') == 0, f'man/{page}: NAME is not the first section'


def test_every_page_names_itself(t):
    for page in pages():
        source = read(page)
        name = page[:-2]
        th = re.search(r'^\.TH\s+(\S+)\s+1\b', source, re.M)
        assert th, f'man/{page} has no .TH line for section 1'
        assert th.group(1).replace('\\-', '-').upper() == name.upper(), \
            f'man/{page}: .TH says {th.group(1)}'
        assert re.search(rf'^{re.escape(name)} - ', plain(source), re.M), \
            f'man/{page}: NAME does not begin "{name} \\- "'


def test_pages_document_every_subcommand_and_option(t):
    for group in groups(t):
        page = f'bti-{group}.1'
        if not os.path.exists(os.path.join(MAN, page)):
            continue  # reported by test_every_command_has_a_man_page_named_in_bti_1
        text = plain(read(page))
        for verb in verbs(t, group):
            words = [group] + ([verb] if verb else [])
            assert re.search(r'bti\s+' + r'\s+'.join(map(re.escape, words)) + r'(?![\w-])', text), \
                f'man/{page} has no "bti {" ".join(words)}"'
            for opt in usage_options(t, group, verb):
                assert re.search(rf'(?<![\w-])--{re.escape(opt)}(?![\w-])', text), \
                    f'man/{page} does not document --{opt} of "bti {" ".join(words)}"'


def global_options(t):
    """The global options `bti -h` lists, without their dashes."""
    out = t.ok('-h')
    return set(re.findall(r'(?<![\w-])--?([a-z][a-z-]*)', out[out.index('global options:'):]))


def documented_options(source):
    """The options each subsection of a page's OPTIONS section describes
    as an item (.TP or .TQ), by the commands its heading names:
    {"case close": {"cause", ...}}.  An item that says the option is
    refused is no option of the command."""
    section = source.split('\n.SH OPTIONS', 1)[1].split('\n.SH ', 1)[0]
    parts = re.split(r'^\.SS\s+', section, flags=re.M)
    chunks = [parts[0]] if parts[0].strip() else []
    chunks += parts[1:]
    found = {}
    for i, body in enumerate(chunks):
        head = plain(body.split('\n', 1)[0]).strip().strip('"').split(' (')[0]
        opts = set()
        for m in re.finditer(r'^\.T[PQ]\n(.*)$(?=\n(.*))', body, re.M):
            if not m.group(2).startswith('Refused'):
                opts |= set(re.findall(r'--([a-z0-9][a-z0-9-]*)', plain(m.group(1))))
        for command in ([] if i == 0 and parts[0].strip() else head.split(', ')):
            found[command] = opts
        if i == 0 and parts[0].strip():
            found[''] = opts
    return found


def test_man_page_options_are_the_option_tables(t):
    """Each command's subsection of OPTIONS describes exactly the options
    its table declares (`-h` lists them): none missing, none the command
    does not take (but the global options a page may describe again)."""
    globals_ = global_options(t)
    for group in groups(t):
        page = f'bti-{group}.1'
        source = read(page)
        if '\n.SH OPTIONS' not in source:
            continue  # bti-help.1, reported by test_every_page_has_the_standard_sections
        documented = documented_options(source)
        for verb in verbs(t, group):
            command = f'{group} {verb}' if verb else group
            have = set(usage_options(t, group, verb))
            doc = documented.get(command, documented.get('' if not verb else None))
            assert doc is not None or not have, f'man/{page}: no OPTIONS subsection for "{command}"'
            doc = doc or set()
            assert not have - doc, f'man/{page} does not describe {sorted(have - doc)} of "{command}"'
            assert not doc - have - globals_, \
                f'man/{page} describes {sorted(doc - have - globals_)}, not options of "{command}"'


def test_dash_h_describes_every_option(t):
    """`bti GROUP VERB -h` gives every option its help line."""
    for group in groups(t):
        for verb in verbs(t, group):
            for opt, help_line in usage_options(t, group, verb).items():
                assert len(help_line) > 5 and not help_line.startswith('?'), (group, verb, opt)
    out = t.ok('case', 'close', '-h')
    assert re.search(r'^    --cause need-ended\|declined\|denied\|moved\|deceased\|other\n'
                     r' +why the case is closed \(required\)$', out, re.M), out
    assert re.search(r'^    --date DATE +the day it closed \(default today\)$', out, re.M), out
    assert re.search(r'^    --yes +do not ask for confirmation$', out, re.M), out


def test_overview_documents_the_global_options(t):
    text = plain(read('bti.1'))
    out = t.ok('-h')
    start = out.index('global options:')
    for opt in set(re.findall(r'(?<![\w-])(--?[a-z][a-z-]*)', out[start:])):
        assert re.search(rf'(?<![\w-]){re.escape(opt)}(?![\w-])', text), \
            f'man/bti.1 does not document the global option {opt}'
    for var in ('BTI_DB', 'BTI_TODAY', 'BTI_ACTOR', 'BTI_BUSY_TIMEOUT', 'XDG_DATA_HOME',
                'PAGER', 'NO_COLOR', '/etc/bti.conf', 'retention_years'):
        assert var in text, f'man/bti.1 does not mention {var}'
    for code in range(9):
        assert re.search(rf'^\.B {code}$', read('bti.1'), re.M), \
            f'man/bti.1 EXIT STATUS lacks exit code {code}'


def test_examples_use_only_synthetic_nins(t):
    """An 11-digit number in a page is a synthetic nin (month + 80)."""
    for page in pages():
        for nin in re.findall(r'(?<!\d)\d{11}(?!\d)', plain(read(page))):
            assert int(nin[2:4]) > 80, f'man/{page}: {nin} is not a synthetic nin'


# ---- every page renders cleanly ----------------------------------------------

def test_man_pages_render_without_warnings_in_man(t):
    if not shutil.which('man'):
        return skip(t, 'man is not installed')
    for page in pages():
        p = subprocess.run(['man', '--warnings', '-E', 'UTF-8', '-l', os.path.join(MAN, page)],
                           stdin=subprocess.DEVNULL, capture_output=True, env=man_env(),
                           timeout=60)
        err = p.stderr.decode('utf-8', 'replace').strip()
        assert p.returncode == 0 and not err, f'man/{page}: man exits {p.returncode}: {err}'
        assert p.stdout.strip(), f'man/{page}: man printed nothing'


def test_man_pages_render_without_warnings_in_groff(t):
    if not shutil.which('groff'):
        return skip(t, 'groff is not installed')
    for page in pages():
        p = subprocess.run(['groff', '-man', '-Tutf8', '-ww', '-z', os.path.join(MAN, page)],
                           stdin=subprocess.DEVNULL, capture_output=True, env=man_env(),
                           timeout=60)
        err = p.stderr.decode('utf-8', 'replace').strip()
        assert p.returncode == 0 and not err, f'man/{page}: groff exits {p.returncode}: {err}'


def test_rendered_lines_fit_80_columns(t):
    if not shutil.which('man'):
        return skip(t, 'man is not installed')
    for page in pages():
        p = subprocess.run(['man', '-E', 'UTF-8', '-l', os.path.join(MAN, page)],
                           stdin=subprocess.DEVNULL, capture_output=True, env=man_env(),
                           timeout=60)
        for line in p.stdout.decode('utf-8', 'replace').splitlines():
            assert len(line) <= 80, f'man/{page}: a line of {len(line)} columns: {line!r}'


# ---- the completions ----------------------------------------------------------

def complete(t, *words):
    """What the bash completion offers for `bti WORDS...`, the last word
    being the one completed; bti is found through PATH as `bti`."""
    bindir = t.path('bin')
    os.makedirs(bindir, exist_ok=True)
    link = os.path.join(bindir, 'bti')
    if not os.path.lexists(link):
        os.symlink(os.path.abspath(t.bti), link)
    env = dict(t.env)
    env['PATH'] = bindir + os.pathsep + os.environ.get('PATH', '/usr/bin:/bin')
    script = ('source "$1"; shift; COMP_WORDS=(bti "$@"); COMP_CWORD=$#; _bti; '
              'printf "%s\\n" "${COMPREPLY[@]}"')
    p = subprocess.run(['bash', '--norc', '--noprofile', '-c', script, 'bash', BASH_COMPLETION,
                        *words], stdin=subprocess.DEVNULL, capture_output=True, env=env,
                       cwd=t.dir, timeout=60)
    err = p.stderr.decode('utf-8', 'replace').strip()
    assert p.returncode == 0 and not err, f'bash completion of {words}: exit {p.returncode}: {err}'
    return [w for w in p.stdout.decode().splitlines() if w]


def test_bash_completion_completes_commands_and_subcommands(t):
    if not shutil.which('bash'):
        return skip(t, 'bash is not installed')
    assert complete(t, 'ca') == ['case'], complete(t, 'ca')
    assert complete(t, 'case', 's') == ['show'], complete(t, 'case', 's')
    assert complete(t, '') == groups(t)
    assert complete(t, 'person', 'rel') == ['relative']


def test_bash_completion_completes_options_and_values(t):
    if not shutil.which('bash'):
        return skip(t, 'bash is not installed')
    assert complete(t, 'case', 'list', '--st') == ['--status']
    assert complete(t, 'case', 'list', '--ide') == ['--identify']
    assert complete(t, '--db', 'x.db', 'case', 's') == ['show']
    assert complete(t, '--format', '') == ['table', 'json', 'csv', 'excel', 'xlsx', 'html']
    assert complete(t, 'case', 'list', '--format', '=', 'c') == ['csv']
    assert complete(t, '--color', 'n') == ['never']
    t.write('notes.txt', 'x')
    assert complete(t, '--db', 'not') == ['notes.txt']
    assert complete(t, '-o', 'not') == ['notes.txt']
    assert complete(t, '--output', 'not') == ['notes.txt']
    assert complete(t, '-o', 'x.csv', 'case', 's') == ['show']
    assert complete(t, 'nosuchcommand', '') == []


def test_bash_completion_offers_option_values_from_their_kind(t):
    """Issue 15: `bti case close 1 --cause <TAB>` offers the causes (it
    inserted '-'), a date offers today and yesterday, a state the states,
    and `bti --for<TAB>` the global option."""
    if not shutil.which('bash'):
        return skip(t, 'bash is not installed')
    causes = ['need-ended', 'declined', 'denied', 'moved', 'deceased', 'other']
    assert complete(t, 'case', 'close', '1', '--cause', '') == causes
    assert complete(t, 'case', 'close', '1', '--cause', 'de') == ['declined', 'denied', 'deceased']
    assert complete(t, 'case', 'close', '1', '--date', '') == ['today', 'yesterday']
    assert complete(t, 'case', 'list', '--status', 'a') == ['appealed', 'active']
    assert complete(t, 'user', 'add', 'kari', '--role', 'c') == ['caseworker', 'coordinator']
    assert complete(t, '--for') == ['--format', '--force']
    assert complete(t, '--pse') == ['--pseudonymous']
    assert complete(t, 'case', 'close', '--ye') == ['--yes']
    assert complete(t, 'case', 'reopen', '1', '--reason', '') == []  # text: nothing to offer


def typed_at_bash(t, keys):
    """The line an interactive bash runs after `keys` are typed at it (a
    pseudo-terminal, the completion script sourced, bti found through PATH
    as `bti`): each key's completion is what readline really inserts.  The
    line is run as `printf '<%s>' LINE`, so what comes back is its words,
    each in <>."""
    import pty
    import select
    bindir = t.path('bin')
    os.makedirs(bindir, exist_ok=True)
    if not os.path.lexists(os.path.join(bindir, 'bti')):
        os.symlink(os.path.abspath(t.bti), os.path.join(bindir, 'bti'))
    env = dict(t.env, PATH=bindir + os.pathsep + os.environ.get('PATH', '/usr/bin:/bin'),
               PS1='$ ', TERM='dumb', LANG='C.UTF-8')
    pid, fd = pty.fork()
    if pid == 0:
        os.chdir(t.dir)
        os.execve('/bin/bash', ['bash', '--norc', '--noprofile', '-i'], env)
    script = f"source {BASH_COMPLETION}\r{keys}\x01printf '<%s>' \x05; echo\rexit\r".encode()
    out = b''
    os.write(fd, script)
    while True:
        r, _, _ = select.select([fd], [], [], 30)
        if not r:
            break
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    os.waitpid(pid, 0)
    lines = out.decode('utf-8', 'replace').replace('\r', '').split('\n')
    printed = [line for line in lines if line.startswith('<') and line.endswith('>')]
    assert printed, f'bash ran no printf: {out!r}'
    return printed[-1]


def test_bash_completion_inserts_names_with_spaces(t):
    """A unit's or a coordinator's name of two words is offered, escaped
    where the word is bare and as it is after a quote, so the line bash
    runs has the name as one word."""
    if not shutil.which('bash'):
        return skip(t, 'bash is not installed')
    t.init()
    t.ok('unit', 'add', 'Psykisk helse')
    t.ok('unit', 'add', 'BOAK')
    t.ok('coordinator', 'add', '--name', 'Anne Koordinator', '--unit', 'BOAK')
    assert complete(t, 'case', 'list', '--unit', 'Psy') == ['Psykisk\\ helse']
    assert complete(t, 'due', '--coordinator', '') == ['Anne\\ Koordinator']
    unit = '<bti><case><list><--unit><Psykisk helse>'
    assert typed_at_bash(t, 'bti case list --unit Psy\t') == unit
    assert typed_at_bash(t, 'bti case list --unit "Psy\t') == unit
    assert typed_at_bash(t, 'bti case list --unit=Psykisk\\ h\t') == \
        '<bti><case><list><--unit=Psykisk helse>'
    assert typed_at_bash(t, "bti due --coordinator 'An\t") == '<bti><due><--coordinator><Anne Koordinator>'


def test_completions_derive_everything_from_bti(t):
    """No command list in the scripts: a new command needs no edit there."""
    for path in (BASH_COMPLETION, ZSH_COMPLETION):
        with open(path, encoding='utf-8') as f:
            code = '\n'.join(line for line in f if not line.lstrip().startswith('#'))
        assert '__complete' in code, f'{path} does not ask bti __complete'
        for word in ('referral', 'person', 'audit'):
            assert not re.search(rf'\b{word}\b', code), f'{path} names the command {word}'


def test_zsh_completion_is_valid_zsh(t):
    if not shutil.which('zsh'):
        return skip(t, 'zsh is not installed')
    with open(ZSH_COMPLETION, encoding='utf-8') as f:
        assert f.readline().startswith('#compdef bti'), '_bti does not begin with #compdef bti'
    p = subprocess.run(['zsh', '-n', ZSH_COMPLETION], capture_output=True, timeout=60)
    assert p.returncode == 0, p.stderr.decode('utf-8', 'replace')


def test_the_readme_tour_runs(t):
    # every command of the README's tour, in order, on a fresh database, run
    # from the tree as the tour says (the /secure lines name files a reader
    # has, not the test); it ends with non-zero figures for the gathering
    import shlex
    text = open(os.path.join(ROOT, 'README.md'), encoding='utf-8').read()
    tour = text[text.index('## A short tour'):text.index('Names and nins')].replace('\\\n', '')
    ran, report = 0, None
    for line in tour.splitlines():
        line = re.sub(r'\s+#.*$', '', line.strip())
        if not line.startswith('bti ') or '/secure' in line:
            continue
        args = shlex.split(line.split(' > ')[0])[1:]    # the shell's redirection is no argument
        args = [os.path.join(ROOT, a) if a.startswith('examples/') else a for a in args]
        if args[0] == 'init':
            t.ok(*args)
        else:
            t.ok('--no-pager', *args)
        if args[:2] == ['report', 'semiannual']:
            report = args
        ran += 1
    assert ran >= 25, ran
    figures = t.json(*report)
    assert figures['referrals']['received'] > 0 and figures['decisions']['made'] > 0, figures
    assert figures['coordinators']['appointed'] > 0 and figures['plans']['started'] > 0, figures


def test_readme_says_what_the_chain_and_a_failed_exit_do_not_prove(t):
    """Issue 14, finding 14: the README says the chain proves nothing against
    a forger who recomputes it unless the head went off the host, and that
    stdout is not to be trusted after a non-zero exit."""
    text = ' '.join(open(os.path.join(ROOT, 'README.md'), encoding='utf-8').read().split())
    assert 'proves nothing against someone who can write the file and recompute the chain' in text
    assert 'only a head kept off the host' in text
    assert 'On a non-zero exit, do not trust what came out on stdout' in text
