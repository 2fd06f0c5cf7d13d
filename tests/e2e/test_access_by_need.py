"""Access by need (issue 20; SPEC sections 5, 8 and 9), run as separate OS
logins in the shared mode's group (oslogins.py):

- names for caseworkers: `case list`, `report overview`, `report
  decisions` and `due` show the person's name to admin and caseworker
  logins, each such read logged with the ids it printed; the report role,
  and anyone adding --pseudonymous, sees the case id alone;
- a coordinator login sees and writes only the cases its coordinator
  holds or held; everything else is exit 8, and a refusal for a case
  outside them does not say whether the case exists;
- `person export PERSON` answers a person's access request.
"""
import json
import os
import shutil
import subprocess

import synth
from oslogins import Logins

UNIT = 'Familiesenter'
KA, KB = 'Kari Koordinatorsen', 'Per Veiledersen'
OLA, KARI, ASE, NILS = 'Ola Prøvesen', 'Kari Testesen', 'Åse Øvreås', 'Nils Nullsen'
MOR = 'Mor Prøvesen'


def build(L):
    """Four cases: 1 (Ola) held by KA; 2 (Kari) by KB; 3 (Åse) held by KA,
    then changed to KB; 4 (Nils) with no coordinator.  Logins: case
    (caseworker), rep (report), koa (coordinator KA), kob (coordinator KB)."""
    ok = L.root_ok
    ok('unit', 'add', UNIT)
    ok('coordinator', 'add', '--name', KA, '--unit', UNIT)
    ok('coordinator', 'add', '--name', KB, '--unit', UNIT)
    for name, born in ((OLA, '1958-03-14'), (KARI, '1990-01-01'), (ASE, '2001-05-05'),
                       (NILS, '1970-07-07')):
        ok('referral', 'add', '--name', name, '--born', born, '--source', 'bti',
           '--requests', 'coordinator,ip', '--date', '2026-10-01')
    for case in ('1', '2', '3'):
        ok('ke', 'decide', case, '--grant', '--unit', UNIT, '--date', '2026-10-20',
           '--notified', '2026-10-21')
    ok('coordinator', 'assign', '1', '--coordinator', KA, '--date', '2026-10-25')
    ok('coordinator', 'assign', '2', '--coordinator', KB, '--date', '2026-10-25')
    ok('coordinator', 'assign', '3', '--coordinator', KA, '--date', '2026-10-25')
    ok('coordinator', 'assign', '3', '--coordinator', KB, '--date', '2026-11-01',
       '--reason', 'Ny arbeidsplass')
    for case in ('1', '2', '3'):
        ok('consent', 'give', case, '--scope', 'plan', '--by', 'user', '--parties', 'all',
           '--date', '2026-10-26')
        ok('consent', 'give', case, '--scope', 'exchange', '--by', 'user', '--parties', 'all',
           '--date', '2026-10-26')
    ok('user', 'add', L.login['case'], '--role', 'caseworker')
    ok('user', 'add', L.login['rep'], '--role', 'report')
    if 'koa' in L.login:
        ok('user', 'add', L.login['koa'], '--role', 'coordinator', '--coordinator', KA)
    if 'kob' in L.login:
        ok('user', 'add', L.login['kob'], '--role', 'coordinator', '--coordinator', '2')


def access_rows(L, login):
    """The access rows of a login: (command, entity, what, rows)."""
    return L.t.sql('SELECT command, entity, what, rows FROM access WHERE login = ? ORDER BY id',
                   (L.login.get(login, login),))



def logged_ids(what):
    """The ids an access row's list names ('1-4,7' names 1, 2, 3, 4 and 7)."""
    ids = set()
    for part in what.split(','):
        first, _, last = part.partition('-')
        ids.update(range(int(first), int(last or first) + 1))
    return ids

# ---- names for caseworkers ---------------------------------------------------

def test_a_caseworker_sees_names_in_listings_and_each_read_is_logged(t):
    with Logins(t, 'case', 'rep') as L:
        build(L)
        cases = L.json('case', 'case', 'list')
        assert [c['person'] for c in cases] == [OLA, KARI, ASE, NILS], cases
        over = L.json('case', 'report', 'overview')
        assert [(o['case_id'], o['person'], o['nin']) for o in over] == [
            (1, OLA, None), (2, KARI, None), (3, ASE, None), (4, NILS, None)], over
        dec = L.json('case', 'report', 'decisions', '--period', '2026H2')
        assert [(d['case_id'], d['person']) for d in dec] == [(1, OLA), (2, KARI), (3, ASE)], dec
        due = L.json('case', 'due')
        assert {(d['case_id'], d['person']) for d in due if d['case_id']} >= {(4, NILS)}, due
        assert all(d['person'] is None for d in due if d['case_id'] is None), due
        table = L.ok('case', 'case', 'list')
        assert OLA in table and NILS in table, table
        rows = access_rows(L, 'case')
        assert rows[:4] == [('case list', 'ke_case', '1-4', 4),
                            ('report overview', 'ke_case', '1-4', 4),
                            ('report decisions', 'ke_case', '1-3', 3),
                            ('due', 'ke_case', rows[3][2], len(due))], rows
        assert 4 in logged_ids(rows[3][2]), rows
        # who looked at case 4 shows the caseworker's listings
        seen = json.loads(L.root_ok('--json', 'case', 'access', '4'))
        assert {(a['login'], a['command']) for a in seen} >= {
            (L.login['case'], 'case list'), (L.login['case'], 'due')}, seen


def test_pseudonymous_and_the_report_role_see_the_case_id_alone_unlogged(t):
    with Logins(t, 'case', 'rep') as L:
        build(L)
        cases = L.json('case', '--pseudonymous', 'case', 'list')
        assert [c['person'] for c in cases] == [None] * 4, cases
        for who, extra in (('case', ('--pseudonymous',)), ('rep', ())):
            over = L.json(who, *extra, 'report', 'overview')
            assert [o['person'] for o in over] == ['1', '2', '3', '4'], over
            dec = L.json(who, *extra, 'report', 'decisions', '--period', '2026H2')
            assert [d['person'] for d in dec] == ['1', '2', '3'], dec
            due = L.json(who, *extra, 'due')
            assert all(d['person'] == (str(d['case_id']) if d['case_id'] else None)
                       for d in due), due
            out = L.ok(who, *extra, 'report', 'overview') + L.ok(who, *extra, 'due')
            for name in (OLA, KARI, ASE, NILS):
                assert name not in out, (who, out)
        assert access_rows(L, 'case') == [] and access_rows(L, 'rep') == []
        # the report role still may not list cases
        L.fails(8, 'rep', 'case', 'list', err_contains="needs the role 'caseworker'")


def test_the_full_nin_still_needs_identify_which_needs_admin(t):
    with Logins(t, 'case', 'rep') as L:
        build(L)
        L.root_ok('person', 'edit', '1', '--nin', synth.nin('1958-03-14'), '--reason', 'nin fra PLO')
        over = L.json('case', 'report', 'overview')
        assert over[0]['person'] == OLA and over[0]['nin'] is None, over
        L.fails(8, 'case', '--identify', 'report', 'overview', err_contains="needs the role 'admin'")
        full = json.loads(L.root_ok('--json', '--identify', 'report', 'overview'))
        assert full[0]['nin'] == synth.nin('1958-03-14'), full
        r = L.bti('case', '--identify', '--pseudonymous', 'case', 'list')
        assert r.rc == 2 and 'exclude each other' in r.err and r.out == '', r


# ---- the coordinator role ----------------------------------------------------

def test_user_add_binds_a_coordinator_login_and_refuses_a_missing_binding(t):
    with Logins(t, 'case', 'rep', 'koa') as L:
        build(L)
        users = json.loads(L.root_ok('--json', 'user', 'list'))
        koa = [u for u in users if u['login'] == L.login['koa']]
        assert [(u['role'], u['coordinator_id'], u['coordinator']) for u in koa] == [
            ('coordinator', 1, KA)], users
        case = [u for u in users if u['login'] == L.login['case']][0]
        assert case['coordinator_id'] is None and case['coordinator'] is None, case
        before = t.dump()
        for args, code, msg in (
                (('user', 'add', 'nykoord', '--role', 'coordinator'), 2,
                 '--role coordinator needs --coordinator C'),
                (('user', 'add', 'nykoord', '--role', 'caseworker', '--coordinator', KA), 2,
                 '--coordinator is only for --role coordinator'),
                (('user', 'add', 'nykoord', '--role', 'coordinator', '--coordinator', 'Ingen'), 3,
                 'no coordinator')):
            r = L.root(*args)
            assert r.rc == code and msg in r.err and r.out == '', (args, r)
            assert t.dump() == before, args
        # the caseworker may not make users
        L.fails(8, 'case', 'user', 'add', 'nykoord', '--role', 'coordinator', '--coordinator', KA,
                err_contains="needs the role 'admin'")
        assert 'FAIL' not in L.root_ok('doctor')


def test_a_coordinator_lists_only_the_cases_its_coordinator_holds_or_held(t):
    with Logins(t, 'case', 'rep', 'koa', 'kob') as L:
        build(L)
        assert [c['id'] for c in L.json('koa', 'case', 'list')] == [1, 3]
        assert [c['id'] for c in L.json('kob', 'case', 'list')] == [2, 3]
        assert [o['case_id'] for o in L.json('koa', 'report', 'overview')] == [1, 3]
        assert [d['case_id'] for d in
                L.json('koa', 'report', 'decisions', '--period', '2026H2')] == [1, 3]
        due = L.json('koa', 'due')
        assert due and {d['case_id'] for d in due} <= {1, 3}, due
        assert {d['case_id'] for d in L.json('case', 'due')} > {1, 3}
        out = L.ok('koa', 'case', 'list') + L.ok('koa', 'due')
        assert OLA in out and KARI not in out and NILS not in out, out
        shown = L.json('koa', 'case', 'show', '3')
        assert shown['person']['name'] == ASE
        assert ('case list', 'ke_case', '1,3', 2) in access_rows(L, 'koa')


def test_a_coordinator_does_its_own_cases_work(t):
    with Logins(t, 'case', 'rep', 'koa') as L:
        build(L)
        L.ok('koa', 'coordinator', 'confirm', '1', '--date', '2026-10-26')
        L.ok('koa', 'coordinator', 'register', '1', '--date', '2026-10-27')
        L.ok('koa', 'plan', 'start', '1', '--ref', 'SamPro-1')
        L.ok('koa', 'plan', 'goal', '1', 'Bo hjemme')
        L.ok('koa', 'group', 'add', '1', '--name', 'Lege Legesen', '--role', 'lege',
             '--org', 'fastlege')
        L.ok('koa', 'group', 'meeting', '1', '--date', '2026-11-10', '--no-minutes')
        L.ok('koa', 'group', 'minutes', '1', '1', '--minutes', 'REF-1')
        assert [m['name'] for m in L.json('koa', 'group', 'list', '1')] == ['Lege Legesen']
        assert L.json('koa', 'plan', 'show', '1')['ref'] == 'SamPro-1'
        logins = {r[0] for r in t.sql("SELECT DISTINCT login FROM audit WHERE command IN"
                                      " ('plan goal', 'group add', 'coordinator confirm')")}
        assert logins == {L.login['koa']}, logins
        # a case it held once is one of its own too
        L.ok('koa', 'plan', 'start', '3')
        assert 'FAIL' not in L.root_ok('doctor')


def test_a_coordinator_is_refused_other_cases_without_learning_whether_they_exist(t):
    with Logins(t, 'case', 'rep', 'koa') as L:
        build(L)
        for case in ('2', '4', '99'):
            for args in (('case', 'show', case), ('plan', 'start', case),
                         ('plan', 'goal', case, 'Et mål'), ('plan', 'show', case),
                         ('group', 'list', case),
                         ('group', 'add', case, '--name', 'X Y', '--role', 'lege', '--org', 'skole'),
                         ('group', 'minutes', case, '1', '--minutes', 'R'),
                         ('coordinator', 'confirm', case)):
                r = L.fails(8, 'koa', *args, err_contains=f'case {case}: not allowed',
                            private=(KARI, NILS))
                assert 'no case' not in r.err, r
        # the same message for a case that exists and one that does not
        a = L.bti('koa', 'case', 'show', '2').err.replace('2', 'N')
        b = L.bti('koa', 'case', 'show', '99').err.replace('99', 'N')
        assert a == b, (a, b)


def test_a_coordinator_may_run_nothing_else(t):
    with Logins(t, 'case', 'rep', 'koa') as L:
        build(L)
        for args in (('case', 'log', '1'), ('case', 'access', '1'), ('case', 'close', '1',
                     '--cause', 'other', '--yes'), ('person', 'show', '1'), ('person', 'list'),
                     ('person', 'export', '1'), ('referral', 'list'), ('consent', 'list', '1'),
                     ('ke', 'meeting', 'list'), ('ke', 'decide', '4', '--grant', '--unit', UNIT),
                     ('coordinator', 'list'), ('coordinator', 'assign', '4', '--coordinator', KA),
                     ('unit', 'list'), ('gathering', 'list'),
                     ('report', 'semiannual', '--period', '2026H2'), ('report', 'coordinators'),
                     ('audit', 'verify'), ('user', 'list'), ('doctor',),
                     ('--identify', 'case', 'list'), ('--identify', 'case', 'show', '1')):
            L.fails(8, 'koa', *args, err_contains='not allowed', private=(OLA, KARI))


# ---- a person's access request -----------------------------------------------

def test_person_export_answers_an_access_request_and_holds_no_one_else(t):
    with Logins(t, 'case', 'rep') as L:
        build(L)
        # Åse's mother is a person with a case of her own, and Åse's relative
        L.root_ok('referral', 'add', '--name', MOR, '--born', '1975-02-02', '--source', 'bti',
                  '--requests', 'ip', '--date', '2026-10-01')
        L.root_ok('person', 'relative', 'add', '3', '--name', MOR, '--relation', 'mor',
                  '--may-consent')
        L.root_ok('person', 'edit', '3', '--born', '2001-05-06', '--reason', 'feil i henvisningen')
        L.root_ok('group', 'add', '3', '--name', 'Lærer Lærersen', '--role', 'lærer',
                  '--org', 'skole')
        L.ok('case', 'case', 'show', '3')
        L.ok('case', 'case', 'list')
        L.ok('case', 'case', 'show', '1')
        doc = json.loads(L.root_ok('person', 'export', '3'))
        assert doc['person']['id'] == 3 and doc['person']['name'] == ASE, doc['person']
        assert [r['name'] for r in doc['relatives']] == [MOR], doc['relatives']
        assert [c['id'] for c in doc['cases']] == [3]
        case = doc['cases'][0]
        assert [m['name'] for m in case['group']['members']] == ['Lærer Lærersen']
        assert [a['coordinator'] for a in case['assignments']] == [KA, KB], case['assignments']
        assert case['history'], case
        # every audited change of her rows, with old and new values
        edit = [c for c in doc['changes'] if c['command'] == 'person edit']
        assert len(edit) == 1 and edit[0]['change']['old']['born'] == '2001-05-05' \
            and edit[0]['change']['new']['born'] == '2001-05-06', edit
        assert {c['entity'] for c in doc['changes']} >= {
            'person', 'relative', 'ke_case', 'referral', 'decision', 'assignment', 'consent',
            'group_member'}, doc['changes']
        # who read her data: the caseworker's show and list, not the show of case 1
        reads = [(a['login'], a['command']) for a in doc['access']]
        assert (L.login['case'], 'case show') in reads and (L.login['case'], 'case list') in reads
        assert reads.count((L.login['case'], 'case show')) == 1, reads
        assert all('what' not in a for a in doc['access']), doc['access']
        # no other person's data: not the mother's own record, no other case's names
        text = json.dumps(doc, ensure_ascii=False)
        for other in (OLA, KARI, NILS, '1975-02-02'):
            assert other not in text, other
        # the export is itself logged
        assert ('person export', 'person', '3', 1) in access_rows(L, 'root')


def test_person_export_as_html_is_a_self_contained_page(t):
    with Logins(t, 'case', 'rep') as L:
        build(L)
        L.ok('case', 'case', 'show', '1')
        page = L.root_ok('--format', 'html', 'person', 'export', '1')
        assert page.startswith('<!DOCTYPE html>') and page.rstrip().endswith('</html>')
        assert '<title>What bti holds about person 1, and who has read it</title>' in page
        assert OLA in page and KA in page and L.login['case'] in page
        for other in (KARI, ASE, NILS):
            assert other not in page, other
        for external in ('<script', 'src=', 'href=', 'http:', 'https:', '@import'):
            assert external not in page, external
        assert page.count('<table>') >= 3
        # a browser shows it: headless Chromium draws a page that is not blank
        chromium = shutil.which('chromium')
        if chromium:
            html, png = t.write('export.html', page), t.path('export.png')
            subprocess.run([chromium, '--headless', '--no-sandbox', '--disable-gpu',
                            f'--screenshot={png}', '--window-size=1000,1400', f'file://{html}'],
                           capture_output=True, timeout=120)
            assert os.path.getsize(png) > 20000, os.path.getsize(png)


def test_person_export_refusals(t):
    with Logins(t, 'case', 'rep') as L:
        build(L)
        L.fails(8, 'case', 'person', 'export', '1', err_contains="needs the role 'admin'")
        before = t.dump()
        for args, code, msg in ((('person', 'export', '99'), 3, 'no person 99'),
                                (('person', 'export'), 2, 'PERSON'),
                                (('--csv', 'person', 'export', '1'), 2, 'json or html'),
                                (('--format', 'html', 'case', 'list'), 2,
                                 '--format html is for')):
            r = L.root(*args)
            assert r.rc == code and msg in r.err and r.out == '', (args, r)
            assert t.dump() == before, args
        # identified output to a file others can read is refused
        path = t.path('export.json')
        with open(path, 'w') as f:
            os.chmod(path, 0o644)
            p = subprocess.run([t.bti, '--db', L.db, 'person', 'export', '1'], stdout=f,
                               stderr=subprocess.PIPE, env=t.env, timeout=30)
        assert p.returncode == 1 and b'others can read' in p.stderr, p
        assert os.path.getsize(path) == 0
