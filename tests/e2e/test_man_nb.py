"""The man pages in bokmål (SPEC section 12): po4a writes them from the
English man/*.1 and po/man/nb.po into BUILD/man/nb at build time; every
page is in po4a's configuration, the template is current with the English
pages, nb.po translates all of it (nothing untranslated, nothing fuzzy),
the pages render cleanly and keep the command and option names, and
`bti help COMMAND` opens the bokmål page under a Norwegian locale, in the
tree and installed."""
import os
import re
import shutil
import subprocess

from test_docs import ROOT, man_env, pages, plain, read, skip
from test_install import PREFIX, installed

PO_MAN = os.path.join(ROOT, 'po', 'man')
CFG = os.path.join(PO_MAN, 'po4a.cfg')
NB_ENV = {'LANG': 'nb_NO.UTF-8', 'LC_ALL': None, 'LC_MESSAGES': None, 'MANPAGER': 'cat',
          'PAGER': 'cat', 'MANWIDTH': '80'}


def nb_dir(t):
    """Where make wrote the bokmål pages: BUILD/man/nb beside the bti under
    test (skipped for a bti built elsewhere)."""
    build = os.path.dirname(os.path.abspath(t.bti))
    if os.path.relpath(build, ROOT).startswith('..'):
        t.skip('the bti under test was not built in this tree')
    d = os.path.join(build, 'man', 'nb')
    assert os.path.isdir(d), f'{d} is missing: make writes it'
    return d


def msgids(po):
    """The msgids of a PO file or template, its header left out."""
    with open(po, encoding='utf-8') as f:
        text = f.read()
    ids = set()
    for block in re.findall(r'^msgid ((?:".*"\n)+)', text, re.M):
        s = ''.join(re.findall(r'"(.*)"', block))
        if s:
            ids.add(s)
    return ids


def gettext_tool(*args):
    p = subprocess.run(list(args), capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, (args, p.stderr)
    return p.stdout


def not_done(po):
    """The msgids of po that are untranslated or fuzzy, the first few."""
    out = gettext_tool('msgattrib', '--no-obsolete', '--untranslated', po)
    out += gettext_tool('msgattrib', '--no-obsolete', '--only-fuzzy', po)
    return sorted(msgids_text(out))[:5]


def msgids_text(text):
    return {''.join(re.findall(r'"(.*)"', b)) for b in re.findall(r'^msgid ((?:".*"\n)+)', text, re.M)} - {''}


# ---- the catalogue is complete and current -------------------------------------

def test_every_page_is_in_the_po4a_configuration(t):
    with open(CFG, encoding='utf-8') as f:
        listed = re.findall(r'^\[type: ?man\] man/(\S+\.1) \$lang:man/\$lang/(\S+\.1)', f.read(), re.M)
    assert all(a == b for a, b in listed), listed
    assert sorted(a for a, _ in listed) == pages(), 'po/man/po4a.cfg does not list every man/*.1'


def test_the_translation_is_complete_and_current(t):
    """po4a run as `make man-po` runs it, on a copy of po/man: the template
    it makes has the strings of the committed one (else the English pages
    changed and `make man-po` was not run), and nb.po, then and as
    committed, has no untranslated or fuzzy string."""
    if not shutil.which('po4a') or not shutil.which('msgattrib'):
        raise AssertionError('po4a and gettext are needed: make deps installs them')
    work = t.path('po4a')
    shutil.copytree(PO_MAN, os.path.join(work, 'po', 'man'))
    p = subprocess.run(['po4a', '-q', '--no-translations', '--srcdir', ROOT, 'po/man/po4a.cfg'],
                       cwd=work, capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr
    fresh = msgids(os.path.join(work, 'po', 'man', 'bti-man.pot'))
    committed = msgids(os.path.join(PO_MAN, 'bti-man.pot'))
    new, gone = sorted(fresh - committed)[:5], sorted(committed - fresh)[:5]
    assert not new and not gone, \
        f'po/man/bti-man.pot is stale (run make man-po and translate): new {new}, gone {gone}'
    for po in (os.path.join(PO_MAN, 'nb.po'), os.path.join(work, 'po', 'man', 'nb.po')):
        missing = not_done(po)
        assert not missing, f'po/man/nb.po leaves untranslated or fuzzy: {missing}'
    gettext_tool('msgfmt', '--check', '-o', os.devnull, os.path.join(PO_MAN, 'nb.po'))


# ---- the pages ------------------------------------------------------------------

def test_every_page_has_its_bokmal_page_keeping_names_and_options(t):
    d = nb_dir(t)
    assert sorted(f for f in os.listdir(d) if f.endswith('.1')) == pages()
    for page in pages():
        with open(os.path.join(d, page), encoding='utf-8') as f:
            nb = plain(f.read())
        name = page[:-2]
        assert re.search(rf'^\.SH NAVN\n{re.escape(name)} - ', nb, re.M), \
            f'man/nb/{page}: NAVN does not begin "{name} - "'
        for opt in sorted(set(re.findall(r'(?<![\w-])--[a-z][a-z0-9-]*', plain(read(page))))):
            assert re.search(rf'(?<![\w-]){opt}(?![\w-])', nb), f'man/nb/{page} lacks {opt}'


def test_bokmal_pages_render_without_warnings_and_fit_80_columns(t):
    d = nb_dir(t)
    if not shutil.which('man') or not shutil.which('groff'):
        return skip(t, 'man or groff is not installed')
    for page in pages():
        path = os.path.join(d, page)
        p = subprocess.run(['groff', '-k', '-man', '-Tutf8', '-ww', '-z', path],
                           capture_output=True, env=man_env(), timeout=60)
        err = p.stderr.decode('utf-8', 'replace').strip()
        assert p.returncode == 0 and not err, f'man/nb/{page}: groff: {err}'
        p = subprocess.run(['man', '--warnings', '-E', 'UTF-8', '-l', path],
                           capture_output=True, env=man_env(), timeout=60)
        err = p.stderr.decode('utf-8', 'replace').strip()
        assert p.returncode == 0 and not err, f'man/nb/{page}: man: {err}'
        for line in p.stdout.decode('utf-8').splitlines():
            assert len(line) <= 80, f'man/nb/{page}: a line of {len(line)} columns: {line!r}'


# ---- bti help in the user's language ------------------------------------------

def test_help_opens_the_page_in_the_users_language(t):
    nb_dir(t)
    if not shutil.which('man'):
        return skip(t, 'man is not installed')
    for lang in ('nb_NO.UTF-8', 'nn_NO.UTF-8', 'no_NO'):
        out = t.ok('help', 'case', env=dict(NB_ENV, LANG=lang))
        assert re.search(r'^NAVN$', out, re.M) and 'bti-case - ' in out, (lang, out[:300])
    out = t.ok('help', env=NB_ENV)
    assert re.search(r'^NAVN$', out, re.M) and 'bti - ' in out, out[:300]
    for env in (dict(NB_ENV, LANG='C'), dict(NB_ENV, LC_ALL='C'), dict(NB_ENV, LC_MESSAGES='en_GB.UTF-8')):
        out = t.ok('help', 'case', env=env)
        assert re.search(r'^NAME$', out, re.M) and 'NAVN' not in out, (env, out[:300])


def test_installed_help_and_man_find_the_bokmal_page(t):
    """make install puts the pages in share/man/nb/man1, where `man -L nb`
    and an installed bti under a Norwegian LANG find them."""
    nb_dir(t)
    if not shutil.which('man'):
        return skip(t, 'man is not installed')
    root = installed(t)
    manpath = root + PREFIX + '/share/man'
    assert sorted(os.listdir(manpath + '/nb/man1')) == pages()
    env = dict(t.env, MANPATH=manpath, MANPAGER='cat', MANWIDTH='80', LC_ALL='C.UTF-8')
    p = subprocess.run(['man', '-L', 'nb', 'bti-case'], capture_output=True, text=True, env=env,
                       timeout=60)
    assert p.returncode == 0 and re.search(r'^NAVN$', p.stdout, re.M), p
    bti = root + PREFIX + '/bin/bti'
    env = dict(t.env, MANPATH=manpath, **{k: v for k, v in NB_ENV.items() if v})
    env.pop('LC_ALL')
    for lang, heading in (('nb_NO.UTF-8', 'NAVN'), ('C.UTF-8', 'NAME')):
        p = subprocess.run([bti, 'help', 'case'], capture_output=True, text=True,
                           env=dict(env, LANG=lang), timeout=60)
        assert p.returncode == 0 and re.search(rf'^{heading}$', p.stdout, re.M), (lang, p)
