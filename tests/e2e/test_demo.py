"""The demo (`make demo`, examples/demo.sh) tells a true story: it runs on
a fresh database, its echoed commands pasted into a shell do the same
again, and no step contradicts another (issue 17)."""
import os
import re
import subprocess

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEMO = os.path.join(ROOT, 'examples', 'demo.sh')


def demo(t):
    """The demo's output, run with the bti under test."""
    env = {k: v for k, v in t.env.items() if k not in ('BTI_DB', 'BTI_TODAY')}
    p = subprocess.run(['sh', DEMO, os.path.abspath(t.bti)], env=env, cwd=t.dir,
                       capture_output=True, text=True, timeout=300)
    assert p.returncode == 0 and p.stderr == '', p.stderr
    return p.stdout


def section(out, command):
    """What the demo's last `$ bti COMMAND` printed."""
    part = out.split(f'$ bti {command}\n')[-1]
    return part.split('\n$ ')[0]


def test_the_demo_tells_a_consistent_story(t):
    out = demo(t)
    due = section(out, 'due')
    # case 2 got its barnekoordinator, confirmed and registered: nothing owed
    assert not any(line.split()[0] == '2' for line in due.splitlines()[1:]), due
    figures = section(out, 'report semiannual --period 2026H1')
    assert re.search(r'^decisions +made +4$', figures, re.M), figures


def test_the_demos_commands_can_be_pasted(t):
    out = demo(t)
    lines = [line[2:] for line in out.splitlines() if line.startswith('$ ')]
    db = t.path('pasted', 'bti.db')
    script = '\n'.join(['set -e', f'bti() {{ "{os.path.abspath(t.bti)}" "$@"; }}'] +
                       [f'export BTI_DB={db}' if line.startswith('export BTI_DB=') else line
                        for line in lines]) + '\n'
    env = {k: v for k, v in t.env.items() if k not in ('BTI_DB', 'BTI_TODAY')}
    os.mkdir(t.path('pasted'), 0o700)
    p = subprocess.run(['sh', '-c', script], env=env, cwd=t.path('pasted'), capture_output=True,
                       text=True, timeout=300)
    assert p.returncode == 0, p.stderr[-2000:]
    # the pasted run ends where the demo ended: the same cases
    assert section(out, 'case list') in p.stdout, p.stdout[-1500:]
