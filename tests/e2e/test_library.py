"""libbti as a real library (SPEC section 11, issue 15): make install puts
libbti.so with its SONAME, the public headers and bti.pc under a prefix;
the .so exports only what the headers declare; examples/due-today.c builds
against the installed library through `pkg-config --cflags --libs bti` and
lists what bti due lists."""
import glob
import json
import os
import re
import subprocess

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PREFIX = '/opt/bti'
# The library under test is the plain build's: a sanitized .so would need
# its runtime loaded first in every program that links it.
BUILD = 'build'


def run(args, env=None, **kw):
    """Run a program, assert exit 0, return stdout."""
    p = subprocess.run(args, env=env, capture_output=True, text=True, timeout=600, **kw)
    assert p.returncode == 0, (args, p.stdout, p.stderr)
    return p.stdout


def make(target, destdir):
    """`make TARGET` in the tree into destdir, reusing the plain build."""
    env = {k: v for k, v in os.environ.items() if not k.startswith('MAKE')}
    env.pop('OPT', None)  # make check-san exports its own OPT and SAN
    return run(['make', '-s', '--no-print-directory', target, f'BUILD={BUILD}', 'SAN=',
                f'DESTDIR={destdir}', f'PREFIX={PREFIX}'], env=env, cwd=ROOT)


def pkg_config(root, *args):
    """pkg-config over the installed bti.pc, its paths inside the DESTDIR."""
    env = dict(os.environ, PKG_CONFIG_PATH=root + PREFIX + '/lib/pkgconfig',
               PKG_CONFIG_SYSROOT_DIR=root)
    return run(['pkg-config', *args, 'bti'], env=env).split()


def declared(root):
    """Every bti_ function and extern table the installed headers declare."""
    names = set()
    for h in glob.glob(root + PREFIX + '/include/bti/*.h'):
        text = re.sub(r'/\*.*?\*/', '', open(h).read(), flags=re.S)
        names |= set(re.findall(r'\b(bti_\w+)\s*\(', text))
        names |= set(re.findall(r'^extern [^;]*\b(bti_\w+);', text, flags=re.M))
    return names


def check_installed(root):
    """The files, the links, the SONAME and the exported names."""
    lib = root + PREFIX + '/lib/'
    [real] = glob.glob(lib + 'libbti.so.*.*.*')
    major = os.path.basename(real).split('.')[2]
    assert os.readlink(lib + 'libbti.so.' + major) == os.path.basename(real)
    assert os.readlink(lib + 'libbti.so') == 'libbti.so.' + major
    assert not os.path.exists(lib + 'libbti.a')  # the static library stays in the tree
    dyn = run(['readelf', '-d', real])
    assert f'Library soname: [libbti.so.{major}]' in dyn, dyn
    for h in ('db.h', 'error.h', 'mem.h', 'report.h'):
        assert os.path.exists(root + PREFIX + '/include/bti/' + h), h
    pc = open(lib + 'pkgconfig/bti.pc').read()
    assert f'prefix={PREFIX}\n' in pc and root not in pc, pc
    exported = {line.split()[-1] for line in
                run(['nm', '-D', '--defined-only', real]).splitlines()}
    assert exported and exported <= declared(root), sorted(exported - declared(root))
    assert {'bti_db_open', 'bti_report_due', 'bti_free', 'bti_json_free',
            'bti_due_cols'} <= exported
    return real


def build_example(t, root):
    """Compile examples/due-today.c as a user of the installed library would."""
    flags = pkg_config(root, '--cflags', '--libs')
    assert '-lbti' in flags and '-lcjson' in flags and '-lsqlite3' not in flags, flags
    static = pkg_config(root, '--static', '--libs')
    assert {'-lsqlite3', '-lnettle', '-lutf8proc', '-lcsv'} <= set(static), static
    exe = t.path('due-today')
    run(['cc', '-std=c11', '-Wall', '-Wextra', '-Werror', '-o', exe,
         os.path.join(ROOT, 'examples', 'due-today.c'), *flags])
    needed = run(['readelf', '-d', exe])
    assert re.search(r'NEEDED.*\[libbti\.so\.\d+\]', needed), needed
    return exe


def test_library_installs_links_through_pkg_config_and_runs(t):
    root = t.path('root')
    make('install', root)
    check_installed(root)
    exe = build_example(t, root)
    # a database with something due on a case and on the unit's whole
    t.init()
    t.ok('referral', 'add', '--name', 'Ola Prøvesen', '--born', '1958-03-14',
         '--source', 'plo', '--requests', 'coordinator', '--date', '2026-10-02')
    want = t.json('due')
    before, reads = t.dump(), t.sql('SELECT count(*) FROM access')
    env = dict(t.env, LD_LIBRARY_PATH=root + PREFIX + '/lib')
    out = run([exe], env=env, cwd=t.dir)
    got = json.loads(out)
    # what bti due lists, but a case by its id, never a name
    assert [{k: v for k, v in r.items() if k != 'person'} for r in got] == \
           [{k: v for k, v in r.items() if k != 'person'} for r in want], (got, want)
    assert any(r['kind'] == 'preliminary_reply' and r['case_id'] == 1 for r in got), got
    assert all(r['person'] in (None, str(r['case_id'])) for r in got), got
    assert 'Prøvesen' not in out
    assert t.dump() == before  # a read: nothing written
    assert t.sql('SELECT count(*) FROM access') == reads  # nothing identified read
    # no database: the library's code (6) and its message
    p = subprocess.run([exe, t.path('none.db')], env=env, capture_output=True, text=True,
                       timeout=60)
    assert (p.returncode, p.stdout) == (6, ''), p
    assert p.stderr.startswith('due-today: error: no database at'), p.stderr
    make('uninstall', root)
    left = [os.path.join(d, f) for d, _, fs in os.walk(root) for f in fs]
    assert left == [], left
