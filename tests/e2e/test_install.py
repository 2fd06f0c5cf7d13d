"""make install and make uninstall with DESTDIR, and the cron examples they
install, run as cron runs them: PATH=/usr/bin:/bin, no BTI_DB, no BTI, no
terminal (issue 17)."""
import os
import stat
import subprocess

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PREFIX = '/usr/local'
EXAMPLES = PREFIX + '/share/bti/examples'
CRON_PATH = '/usr/bin:/bin'


def make(t, target, destdir):
    """Run `make TARGET DESTDIR=destdir` in the tree, with the bti under test."""
    build = os.path.relpath(os.path.dirname(os.path.abspath(t.bti)), ROOT)
    if build.startswith('..'):
        t.skip('the bti under test was not built in this tree')
    env = {k: v for k, v in os.environ.items() if not k.startswith('MAKE')}
    p = subprocess.run(['make', '-s', '--no-print-directory', target, f'BUILD={build}',
                        f'DESTDIR={destdir}', f'PREFIX={PREFIX}'],
                       cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert p.returncode == 0, (target, p.stdout, p.stderr)
    return p.stdout


def installed(t):
    """A DESTDIR with bti installed in it (install makes the DESTDIR too)."""
    root = t.path('root')
    make(t, 'install', root)
    return root


def cron(script, *args, home):
    """Run an installed cron example in cron's bare environment."""
    return subprocess.run(['/bin/sh', script, *args], env={'PATH': CRON_PATH, 'HOME': home},
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60)


def bare_bti(bti, *args, home):
    """Run bti as cron would: no BTI_DB, no BTI_TODAY, only PATH and HOME."""
    p = subprocess.run([bti, *args], env={'PATH': CRON_PATH, 'HOME': home},
                       stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, (args, p.stderr)


def files_under(root):
    return sorted(os.path.relpath(os.path.join(d, f), root)
                  for d, _, fs in os.walk(root) for f in fs)


def test_install_and_uninstall_with_destdir(t):
    root = t.path('root')
    os.makedirs(root + PREFIX + '/bin')                 # a directory that was there
    with open(root + PREFIX + '/bin/other', 'w') as f:
        f.write('not bti\n')
    out = make(t, 'install', root)
    assert all(line.startswith('bti: ') for line in out.splitlines()), out
    files = files_under(root)
    for want in ('usr/local/bin/bti', 'usr/local/share/man/man1/bti-case.1',
                 'usr/local/share/man/nb/man1/bti-case.1',
                 'usr/local/share/bash-completion/completions/bti',
                 'usr/local/share/zsh/vendor-completions/_bti',
                 'usr/local/share/bti/examples/cron-due.sh',
                 'usr/local/share/bti/examples/cron-semiannual.sh',
                 'usr/local/share/locale/nb/LC_MESSAGES/bti.mo'):
        assert want in files, files
    assert os.stat(root + EXAMPLES + '/cron-due.sh').st_mode & stat.S_IXUSR
    out = make(t, 'uninstall', root)
    assert all(line.startswith('bti: ') for line in out.splitlines()), out
    # what install made is gone, directories included; what was there stays
    left = [os.path.relpath(os.path.join(d, x), root)
            for d, ds, fs in os.walk(root) for x in ds + fs]
    assert sorted(left) == ['usr', 'usr/local', 'usr/local/bin', 'usr/local/bin/other'], left


def test_cron_examples_run_in_crons_bare_environment(t):
    root = installed(t)
    bti = root + PREFIX + '/bin/bti'
    home = t.path('home')
    os.mkdir(home, 0o700)
    bare_bti(bti, '--db', home + '/.local/share/bti/bti.db', 'init', home=home)
    # something is due on a new database (the handbook, the access-log review)
    r = cron(root + EXAMPLES + '/cron-due.sh', home=home)
    assert r.returncode == 0 and r.stderr == '', r
    assert 'handbook_stale' in r.stdout and 'access_log_review' in r.stdout, r.stdout
    # nothing due: nothing printed, so cron mails nothing
    bare_bti(bti, '-q', 'ke', 'handbook', '--note', 'Revidert', home=home)
    bare_bti(bti, '-q', 'audit', 'reviewed', home=home)
    for kind in ('samling', 'fagdag'):  # the gatherings planned for the half-year and year
        bare_bti(bti, '-q', 'gathering', 'add', '--kind', kind, '--date', 'today', home=home)
    r = cron(root + EXAMPLES + '/cron-due.sh', home=home)
    assert (r.returncode, r.stdout, r.stderr) == (0, '', ''), r
    # the semiannual report into a dated private folder
    reports = t.path('reports')
    r = cron(root + EXAMPLES + '/cron-semiannual.sh', reports, home=home)
    assert (r.returncode, r.stdout, r.stderr) == (0, '', ''), r
    [dated] = os.listdir(reports)
    assert stat.S_IMODE(os.stat(os.path.join(reports, dated)).st_mode) == 0o700
    made = os.listdir(os.path.join(reports, dated))
    assert {'semiannual.json', 'semiannual.csv', 'audit-head'} <= set(made), made


def test_cron_example_without_a_database_says_what_to_set(t):
    if os.path.exists('/etc/bti.conf'):
        t.skip('/etc/bti.conf names a database on this machine')
    root = installed(t)
    home = t.path('home')
    os.mkdir(home, 0o700)
    for script, args in (('cron-due.sh', ()), ('cron-semiannual.sh', (t.path('reports'),))):
        r = cron(root + EXAMPLES + '/' + script, *args, home=home)
        assert r.returncode == 1 and r.stdout == '', r
        assert "no bti database: set 'db = /path/to/bti.db' in /etc/bti.conf, or " \
               "BTI_DB=/path/to/bti.db in the crontab" in r.stderr, r.stderr
