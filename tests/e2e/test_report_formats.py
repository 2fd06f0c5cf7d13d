"""Output people open (SPEC sections 6 and 8, issue 16): the excel dialect
writes every decimal with a decimal comma and rounded for people, report
CSVs carry their period, xlsx holds typed cells, and the semiannual html
page draws its charts."""
import csv
import io
import json
import os
import re

import fixture
import story
from story import K1, K2

PERIOD = ('2026-07-01', '2026-12-31')


def _build(t):
    story.base(t)
    # K1 holds two running cases and K2 one: a share of 2/3, a median of 1.5
    for k in (K1, K1, K2):
        story.active_case(t, coordinator=k)
    story.deny(t, story.refer(t, requests='ip'))


def built(t):
    if fixture.CACHE is None:
        return t.snapshot('formats', _build)
    import fcntl
    with open(os.path.join(fixture.CACHE, 'formats.lock'), 'w') as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return t.snapshot('formats', _build)


def excel_rows(out):
    assert out.startswith('\ufeff'), out[:10]
    return list(csv.reader(io.StringIO(out[1:], newline=''), delimiter=';'))


DECIMAL_POINT = re.compile(r'^-?\d+\.\d+$')


def test_excel_semiannual_has_decimal_commas_rounded_and_the_period(t):
    built(t)
    rows = excel_rows(t.ok('--excel', 'report', 'semiannual', '--period', '2026H2'))
    assert rows[0] == ['section', 'metric', 'value', 'from', 'to'], rows[0]
    got = {(s, m): v for s, m, v, *_ in rows[1:]}
    assert got[('concentration', 'median')] == '1,5', got
    assert got[('concentration', 'busiest_fifth_share')] == '0,67', got   # 0.666… for people
    assert not [v for v in got.values() if DECIMAL_POINT.match(v)], got
    assert {tuple(r[3:]) for r in rows[1:]} == {PERIOD}, rows
    # JSON keeps full precision
    r = t.json('report', 'semiannual', '--period', '2026H2')
    assert r['concentration']['busiest_fifth_share'] == 2 / 3, r['concentration']


def test_excel_coordinators_keeps_the_concentration(t):
    built(t)
    rows = excel_rows(t.ok('--excel', 'report', 'coordinators', '--period', '2026H2'))
    head = rows[0]
    assert head[-5:] == ['caseload_median', 'caseload_max', 'busiest_fifth_share', 'from', 'to']
    assert [r[-5:] for r in rows[1:3]] == [['1,5', '2', '0,67', *PERIOD]] * 2, rows
    assert not [c for r in rows[1:] for c in r if DECIMAL_POINT.match(c)], rows


def test_excel_decisions_carry_the_period(t):
    built(t)
    rows = excel_rows(t.ok('--excel', 'report', 'decisions', '--period', '2026H2'))
    assert rows[0][-2:] == ['from', 'to'] and all(r[-2:] == list(PERIOD) for r in rows[1:]), rows


def test_table_rounds_decimals_for_people(t):
    built(t)
    out = t.ok('report', 'coordinators', '--period', '2026H2')
    assert '0.67' in out and '0.666' not in out, out
    csv_out = t.ok('--csv', 'report', 'semiannual', '--period', '2026H2')   # for scripts: in full
    assert '0.6666666666666666' in csv_out, csv_out
