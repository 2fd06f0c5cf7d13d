"""bti speaks bokmål to people and English to scripts (SPEC section 12):
under nb_NO.UTF-8 messages, questions, headers, enum words and table dates
are Norwegian; JSON and CSV are byte for byte what they are under C."""
import os
import re
import subprocess

import fixture
import story
from test_demo import DEMO

NB = {'LC_ALL': fixture.NB}


def need_nb(t):
    """Skip where the system lacks the Norwegian locale (make deps makes it)."""
    if not fixture.has_locale(fixture.NB):
        t.skip(f'no {fixture.NB} locale')


def _a_day_of_work(t):
    """Cases in several states, a decision, an appeal, a plan's consent."""
    story.base(t)
    story.active_case(t)
    denied = story.refer(t, 'ip')
    story.review(t, denied)
    story.deny(t, denied)
    story.appeal(t, denied)
    story.refer(t, 'coordinator')
    t.ok('gathering', 'add', '--kind', 'samling', '--date', '2026-12-03')


LISTINGS = [
    ('case', 'list'), ('case', 'show', '1'), ('case', 'show', '2'), ('person', 'list'),
    ('referral', 'list'), ('coordinator', 'list'), ('coordinator', 'show', '1'),
    ('consent', 'list'), ('unit', 'list'), ('user', 'list'), ('gathering', 'list'),
    ('ke', 'meeting', 'agenda'), ('ke', 'meeting', 'show', '1'), ('basis', 'list'), ('due',),
    ('due', '--within', '60'), ('status',), ('report', 'overview'),
    ('report', 'semiannual', '--from', '2026-01-01', '--to', '2026-11-22'),
    ('report', 'coordinators', '--from', '2026-01-01', '--to', '2026-11-22'),
    ('report', 'decisions', '--from', '2026-01-01', '--to', '2026-11-22'),
]


def test_json_and_csv_are_the_same_in_c_and_in_norwegian(t):
    need_nb(t)
    _a_day_of_work(t)
    for args in LISTINGS:
        for fmt in ('--json', '--csv'):
            c = t.run(fmt, *args)
            nb = t.run(fmt, *args, env=NB)
            if fmt == '--csv' and c.rc == 2 and 'does not fit one CSV table' in c.err:
                assert nb.rc == 2, (args, nb.err)  # a show: JSON only
                continue
            assert c.rc == 0, (args, fmt, c.err)
            assert nb.rc == 0 and nb.outb == c.outb, (args, fmt, nb.err, nb.out[:300], c.out[:300])


def test_numbers_keep_their_point_whatever_the_numeric_locale(t):
    # LC_NUMERIC stays "C": a Norwegian LC_NUMERIC (decimal comma) changes
    # neither a number bti reads nor one it writes
    need_nb(t)
    _a_day_of_work(t)
    env = {'LC_ALL': None, 'LANG': fixture.NB, 'LC_NUMERIC': fixture.NB, 'BTI_BUSY_TIMEOUT': '1.5'}
    report = ('report', 'coordinators', '--from', '2026-01-01', '--to', '2026-11-22')
    story.active_case(t, coordinator=story.K2)  # two coordinators: a share of 0.5
    out = t.ok('--json', *report, env=env)
    assert out == t.ok('--json', *report)
    assert '"busiest_fifth_share":0.5}' in out.replace(' ', ''), out


def test_a_table_speaks_norwegian_and_shows_dates_day_first(t):
    need_nb(t)
    _a_day_of_work(t)
    c = t.ok('case', 'list')
    nb = t.ok('case', 'list', env=NB)
    assert c.splitlines()[0].split()[:4] == ['id', 'person_id', 'person', 'status'], c
    assert nb.splitlines()[0].split()[:4] == ['Id', 'Person-id', 'Person', 'Status'], nb
    assert '2026-10-01' in c and '01.10.2026' in nb and '2026-10-01' not in nb, nb
    assert re.search(r'\baktiv\b', nb) and re.search(r'\bactive\b', c), nb
    show = t.ok('case', 'show', '1', env=NB)
    assert 'Mottatt:' in show and '01.10.2026' in show and 'Samtykker' in show, show
    # a list of enum words in a cell is in Norwegian too (the referral's requests)
    assert 'koordinator, individuell plan, barnekoordinator' in show, show
    assert 'coordinator, ip, child' in t.ok('case', 'show', '1'), 'English under C'
    r = t.run('referral', 'add', '--case', '3', '--source', 'bti', '--requests', 'ip,child',
              env=NB)
    assert r.rc == 0 and r.err.endswith('legger til individuell plan,barnekoordinator\n'), r.err
    excel = t.ok('--excel', 'case', 'list', env=NB)
    assert excel.lstrip('\ufeff').startswith('Id;Person-id;Person;Status;Kilde;Mottatt'), excel[:200]


def test_messages_summaries_and_usage_in_norwegian(t):
    need_nb(t)
    t.init()
    r = t.run('unit', 'add', 'Familiesenter', env=NB)
    assert r.rc == 0 and r.err == 'enhet 1: lagt til\n', r.err
    usage = t.ok('case', '-h', env=NB)
    assert usage.startswith('bruk: bti case <underkommando>') and 'avslutt en sak' in usage, usage
    assert not fixture.untranslated(usage), fixture.untranslated(usage)
    commands = t.ok('-h', env=NB)
    assert 'kommandoer:' in commands and not fixture.untranslated(commands), commands
    r = t.fails(2, 'cse', 'list', err_contains="unknown command: 'cse'")
    nb = t.run('cse', 'list', env=NB)
    assert "bti: feil: ukjent kommando: 'cse'" in nb.err and 'tips: mente du' in nb.err, nb.err


def _ask(t, args, answer, env):
    """Run bti with a terminal on stdin, answer its question; (rc, stderr)."""
    import pty
    master, slave = pty.openpty()
    p = subprocess.Popen([t.bti, *args], stdin=slave, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, env=dict(t.env, **env), cwd=t.dir)
    os.close(slave)
    try:
        os.write(master, answer)
        _, err = p.communicate(timeout=30)
    finally:
        os.close(master)
    return p.returncode, err.decode()


def test_a_question_in_norwegian_takes_j_and_ja(t):
    need_nb(t)
    story.base(t)
    first, second, third = (story.refer(t, 'ip') for _ in range(3))
    rc, err = _ask(t, ['case', 'close', str(first), '--cause', 'moved'], b'j\n', NB)
    assert rc == 0 and f'avslutte sak {first}? [j/N]' in err, err
    assert story.status(t, first) == 'closed'
    rc, err = _ask(t, ['case', 'close', str(second), '--cause', 'moved'], b'ja\n', NB)
    assert rc == 0 and story.status(t, second) == 'closed', err
    before = t.dump()
    rc, err = _ask(t, ['case', 'close', str(third), '--cause', 'moved'], b'n\n', NB)
    assert rc == 1 and 'ikke utført: ikke bekreftet' in err and t.dump() == before, err
    rc, err = _ask(t, ['case', 'close', str(third), '--cause', 'moved'], b'j\n', {})
    assert rc == 1 and '[y/N]' in err and t.dump() == before, err  # English takes y alone


def test_the_demo_in_norwegian_shows_no_english_from_the_catalogue(t):
    # a KE administrator's day, run in bokmål: nothing bti says is English
    need_nb(t)
    env = {k: v for k, v in t.env.items() if k not in ('BTI_DB', 'BTI_TODAY')}
    env['LC_ALL'] = fixture.NB
    p = subprocess.run(['sh', DEMO, os.path.abspath(t.bti)], env=env, cwd=t.dir,
                       capture_output=True, text=True, timeout=300)
    assert p.returncode == 0 and p.stderr == '', p.stderr
    # what bti printed: not the story's own lines (#) nor the commands ($)
    said = '\n'.join(line for line in p.stdout.splitlines() if not line.startswith(('# ', '$ ')))
    english = fixture.untranslated(said)
    assert not english, english
    assert 'søker om' in said and 'Henvendelser' in said and 'revisjonskjeden er hel' in said, said
