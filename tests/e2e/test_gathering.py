"""Gatherings for coordinators (SPEC sections 1, 2, 5): add, list, invite
(a write and a listing of name, unit and email), attend."""
import csv
import io
import json

import story
from story import K1, K2, K3, UNIT, OTHER_UNIT, EMAILS

INVITED = [(1, K1, UNIT, EMAILS[K1]), (2, K2, UNIT, EMAILS[K2]), (3, K3, OTHER_UNIT, EMAILS[K3])]


def gathering(t, kind='samling', date='2026-11-01', title='Høstsamling'):
    return int(t.ok('gathering', 'add', '--kind', kind, '--date', date, '--title', title))


def invited(rows):
    return [(r['coordinator_id'], r['coordinator'], r['unit'], r['email']) for r in rows]


# ---- add and list -------------------------------------------------------------------------

def test_add_every_kind_and_list(t):
    story.base(t)
    for i, kind in enumerate(('samling', 'fagdag', 'training', 'guidance'), 1):
        assert gathering(t, kind, f'2026-11-0{i}', f'Samling {i}') == i
    rows = t.json('gathering', 'list')
    assert [(r['id'], r['kind'], r['held'], r['title'], r['invited'], r['attended']) for r in rows] == [
        (1, 'samling', '2026-11-01', 'Samling 1', 0, 0), (2, 'fagdag', '2026-11-02', 'Samling 2', 0, 0),
        (3, 'training', '2026-11-03', 'Samling 3', 0, 0), (4, 'guidance', '2026-11-04', 'Samling 4', 0, 0)]


def test_add_bad_kind_exit_4(t):
    story.base(t)
    for bad in ('party', 'Samling', ''):
        t.fails(4, 'gathering', 'add', '--kind', bad, '--date', '2026-11-01')


def test_add_needs_kind_and_date_exit_2(t):
    story.base(t)
    t.fails(2, 'gathering', 'add', '--date', '2026-11-01')
    t.fails(2, 'gathering', 'add', '--kind', 'samling')


def test_add_in_the_future_is_planned(t):
    story.base(t)
    assert gathering(t, 'fagdag', '2027-03-15', 'Fagdag 2027') == 1
    assert t.json('gathering', 'list')[0]['held'] == '2027-03-15'


def test_add_bad_date_exit_4(t):
    story.base(t)
    t.fails(4, 'gathering', 'add', '--kind', 'samling', '--date', '2026-02-30')


# ---- invite -------------------------------------------------------------------------------------

def test_invite_lists_every_active_coordinator_as_json(t):
    story.base(t)
    g = gathering(t)
    rows = t.json('gathering', 'invite', str(g))
    assert invited(rows) == INVITED
    assert [r['unit_id'] for r in rows] == [1, 1, 2], rows
    assert t.json('gathering', 'list')[0]['invited'] == 3


def test_invite_as_a_table(t):
    story.base(t)
    g = gathering(t)
    out = t.ok('gathering', 'invite', str(g))
    for _, name, unit, email in INVITED:
        line = [ln for ln in out.splitlines() if name in ln]
        assert len(line) == 1 and unit in line[0] and email in line[0], out


def test_invite_as_csv(t):
    story.base(t)
    g = gathering(t)
    rows = list(csv.DictReader(io.StringIO(t.ok('--csv', 'gathering', 'invite', str(g)))))
    assert [(r['coordinator'], r['unit'], r['email']) for r in rows] == [x[1:] for x in INVITED], rows


def test_second_invite_adds_nobody_new(t):
    story.base(t)
    g = gathering(t)
    t.ok('gathering', 'invite', str(g))
    before = t.count('invitation')
    r = t.run('--json', 'gathering', 'invite', str(g))
    assert r.rc == 0, r.err
    assert invited(json.loads(r.out)) == INVITED
    assert t.count('invitation') == before == 3
    assert t.json('gathering', 'list')[0]['invited'] == 3


def test_invite_later_adds_only_the_new_coordinator(t):
    story.base(t)
    g = gathering(t)
    t.ok('gathering', 'invite', str(g))
    t.ok('coordinator', 'add', '--name', 'Ny Koordinatorsen', '--unit', UNIT, '--email', 'ny@example.org')
    assert [r['coordinator'] for r in t.json('gathering', 'invite', str(g))] == [K1, K2, K3, 'Ny Koordinatorsen']
    assert t.count('invitation') == 4


def test_invite_skips_retired_coordinators(t):
    story.base(t)
    t.ok('coordinator', 'retire', K2)
    g = gathering(t)
    assert [r['coordinator'] for r in t.json('gathering', 'invite', str(g))] == [K1, K3]


def test_invite_unknown_gathering_exit_3(t):
    story.base(t)
    t.fails(3, 'gathering', 'invite', '9')


# ---- attend ------------------------------------------------------------------------------------

def attended(t, coordinator):
    return [g['id'] for g in t.json('coordinator', 'show', coordinator)['gatherings']]


def test_attend_by_name_and_id(t):
    story.base(t)
    g = gathering(t)
    t.ok('gathering', 'attend', str(g), '--coordinator', K1, '--coordinator', '3')
    assert attended(t, K1) == [g] and attended(t, '3') == [g] and attended(t, K2) == []
    assert t.json('gathering', 'list')[0]['attended'] == 2


def test_attend_twice_counts_once(t):
    story.base(t)
    g = gathering(t)
    t.ok('gathering', 'attend', str(g), '--coordinator', K1)
    t.ok('gathering', 'attend', str(g), '--coordinator', '1')
    assert t.json('gathering', 'list')[0]['attended'] == 1


def test_attend_a_gathering_in_the_future_exit_4(t):
    story.base(t)
    g = gathering(t, 'fagdag', '2026-11-23', 'Fagdag')
    t.fails(4, 'gathering', 'attend', str(g), '--coordinator', K1)


def test_attend_unknown_gathering_exit_3(t):
    story.base(t)
    t.fails(3, 'gathering', 'attend', '9', '--coordinator', K1)


def test_attend_unknown_coordinator_exit_3(t):
    story.base(t)
    g = gathering(t)
    t.fails(3, 'gathering', 'attend', str(g), '--coordinator', 'Ukjent Koordinator')
    t.fails(3, 'gathering', 'attend', str(g), '--coordinator', K1, '--coordinator', '9')


def test_attend_needs_a_coordinator_exit_2(t):
    story.base(t)
    g = gathering(t)
    t.fails(2, 'gathering', 'attend', str(g))
