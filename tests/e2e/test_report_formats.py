"""Output people open (SPEC sections 6 and 8, issue 16): the excel dialect
writes every decimal with a decimal comma and rounded for people, report
CSVs carry their period, xlsx holds typed cells, and the semiannual html
page draws its charts."""
import csv
import io
import glob
import json
import os
import re
import subprocess

import fixture
import story
import synth
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


# ---- xlsx ------------------------------------------------------------------------------------

def openpyxl():
    """openpyxl (Debian's python3-openpyxl, which the Makefile installs)."""
    try:
        import openpyxl as module
    except ImportError:
        import sys
        sys.path.append('/usr/lib/python3/dist-packages')   # a python3 beside Debian's
        import openpyxl as module
    return module


def workbook(t, *args):
    path = t.path('out.xlsx')
    if os.path.exists(path):
        os.unlink(path)
    t.ok('-o', path, '--xlsx', *args)
    assert open(path, 'rb').read(2) == b'PK'
    return openpyxl().load_workbook(path)


def header(ws, row):
    return [c.value for c in ws[row]]


def test_xlsx_case_list_has_typed_cells_and_a_frozen_bold_header(t):
    built(t)
    t.ok('referral', 'add', '--name', 'Per Formelsen', '--born', '2011-03-03', '--source', 'plo',
         '--requests', 'ip', '--referrer', '=1+2', '--date', '2026-09-01')
    wb = workbook(t, '--identify', 'case', 'list')
    ws = wb.worksheets[0]
    head = header(ws, 1)
    assert head[0] == 'Id' and all(isinstance(h, str) and '_' not in h for h in head), head
    assert all(c.font.b for c in ws[1]), 'header not bold'
    assert ws.freeze_panes == 'A2' and ws.auto_filter.ref, (ws.freeze_panes, ws.auto_filter.ref)
    rows = list(ws.iter_rows(min_row=2))
    assert len(rows) == 5, len(rows)
    col = {h: i for i, h in enumerate(head)}
    for r in rows:
        assert r[col['Id']].data_type == 'n' and isinstance(r[col['Id']].value, int)
        assert r[col['Status']].data_type == 's'
        assert r[col['Received']].is_date, r[col['Received']].value
    names = [r[col['Person']].value for r in rows]
    assert 'Per Formelsen' in names, names
    assert ws.column_dimensions['A'].width > 0


def test_xlsx_text_is_never_retyped(t):
    built(t)
    nin = synth.nin('2010-05-05')
    assert nin.startswith('0')
    t.ok('coordinator', 'add', '--name', 'Ola Tallesen', '--unit', story.UNIT, '--phone',
         '00471234')
    t.ok('person', 'add', '--name', 'Kari Nullesen', '--nin', nin)
    ws = workbook(t, 'coordinator', 'list').worksheets[0]
    head = header(ws, 1)
    row = [r for r in ws.iter_rows(min_row=2) if r[head.index('Name')].value == 'Ola Tallesen'][0]
    phone = row[head.index('Phone')]
    assert (phone.value, phone.data_type) == ('00471234', 's'), (phone.value, phone.data_type)
    ws = workbook(t, '--identify', 'person', 'list').worksheets[0]
    head = header(ws, 1)
    cells = [r[head.index('National identity number')] for r in ws.iter_rows(min_row=2)]
    assert [(c.value, c.data_type) for c in cells if c.value] == [(nin, 's')], cells


def test_xlsx_semiannual_has_title_period_figures_and_charts(t):
    built(t)
    wb = workbook(t, 'report', 'semiannual', '--period', '2026H2')
    figures, charts = wb.worksheets[0], wb['Charts']
    assert figures['A1'].value == 'Semiannual report' and figures['A1'].font.b
    assert '2026-07-01' in figures['A2'].value and '2026-12-31' in figures['A2'].value
    assert header(figures, 4) == ['Section', 'Metric', 'Value'], header(figures, 4)
    assert figures.freeze_panes == 'A5'
    got = {(r[0].value, r[1].value): r[2] for r in figures.iter_rows(min_row=5)}
    share = got[('concentration', 'busiest_fifth_share')]
    assert share.data_type == 'n' and abs(share.value - 2 / 3) < 1e-9, share.value
    assert got[('referrals', 'received')].value == 4
    titles = [r[0].value for r in charts.iter_rows() if r[0].font.b]
    assert titles == ['Referrals by source', 'Decisions by item and outcome',
                      'Median days, against the previous half-year', 'Caseload per coordinator']
    assert len(charts._charts) == 4, charts._charts


def test_xlsx_public_semiannual_hides_small_counts(t):
    built(t)
    ws = workbook(t, 'report', 'semiannual', '--period', '2026H2', '--public').worksheets[0]
    got = {(r[0].value, r[1].value): r[2] for r in ws.iter_rows(min_row=5)}
    assert (got[('decisions', 'made')].value, got[('decisions', 'made')].data_type) == ('<5', 's')


def test_xlsx_coordinators_concentration_on_its_own_sheet(t):
    built(t)
    wb = workbook(t, 'report', 'coordinators', '--period', '2026H2')
    assert [ws.title for ws in wb.worksheets] == ['Coordinators', 'Caseload concentration'], \
        wb.sheetnames
    conc = {r[0].value: r[1].value for r in wb.worksheets[1].iter_rows(min_row=5)}
    assert conc['Median'] == 1.5 and conc['Maximum'] == 2, conc
    ws = wb.worksheets[0]
    assert ws['A1'].value == 'Coordinators' and header(ws, 4)[:2] == ['Coordinator id', 'Coordinator']


ISO_DATE = re.compile(r'^\d{4}-\d{2}-\d{2}$')
ISO_TIME = re.compile(r'^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$')


def same_cell(cell, value):
    """The xlsx cell holds the JSON value with the right type."""
    if value is None:
        return cell.value is None
    if isinstance(value, bool):
        return cell.data_type == 'b' and cell.value == value
    if isinstance(value, (int, float)):
        return cell.data_type == 'n' and abs(cell.value - value) < 1e-9
    if isinstance(value, dict):   # a part of a row: one text cell of its JSON
        return cell.data_type == 's' and json.loads(cell.value) == value
    if isinstance(value, list):   # one text cell, joined as the CSV cell is
        return cell.data_type == 's' and cell.value == ','.join(map(str, value))
    if ISO_DATE.match(value):
        return cell.is_date and cell.value.strftime('%Y-%m-%d') == value
    if ISO_TIME.match(value):
        return cell.is_date   # shown in Oslo time
    return cell.data_type == 's' and cell.value == value


def test_xlsx_every_listing_cell_by_cell_as_its_json(t):
    built(t)
    for args in (('case', 'list'), ('--identify', 'person', 'list'), ('unit', 'list'),
                 ('coordinator', 'list'), ('report', 'overview'), ('due',),
                 ('report', 'decisions', '--period', '2026H2'), ('gathering', 'list'),
                 ('audit', 'report'), ('basis', 'list'), ('ke', 'meeting', 'list'),
                 ('case', 'log', '1'), ('user', 'list'), ('consent', 'list', '1')):
        rows = t.json(*args)
        ws = workbook(t, *args).worksheets[0]
        all_rows = list(ws.iter_rows())
        titled = len(all_rows) > 1 and '\u2013' in str(all_rows[1][0].value)   # "from – to"
        got = all_rows[4 if titled else 1:]
        assert len(got) == len(rows), (args, len(got), len(rows))
        for row, obj in zip(got, rows):
            for cell, (key, value) in zip(row, obj.items()):
                assert same_cell(cell, value), (args, key, value, cell.value, cell.data_type)
    assert workbook(t, 'case', 'show', '1').sheetnames[:3] == ['bti', 'Person', 'Requests']


def test_xlsx_never_to_a_terminal_exit_2(t):
    built(t)
    import pty
    pid, fd = pty.fork()
    if pid == 0:
        os.execve(t.bti, [t.bti, '--xlsx', 'unit', 'list'], t.env)
    out = b''
    try:
        while True:
            out += os.read(fd, 1024)
    except OSError:
        pass
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 2, out
    assert b'not for a terminal' in out and b'-o FILE' in out, out


def test_xlsx_without_its_library_exit_6(t):
    """bti loads libxlsxwriter only when a workbook starts: where the
    system's copy cannot be loaded (here a broken file of its name, found
    first through LD_LIBRARY_PATH) the workbook is refused, no file is
    left, and the commands that write no workbook still run."""
    built(t)
    broken = t.path('lib')
    os.makedirs(broken)
    sonames = [os.path.basename(p) for p in glob.glob('/usr/lib/*/libxlsxwriter.so.*')]
    assert sonames, 'libxlsxwriter is not installed'
    for name in sonames:
        with open(os.path.join(broken, name), 'wb') as f:
            f.write(b'not a library')
    env = {'LD_LIBRARY_PATH': broken}
    t.fails(6, 'unit', 'list', '--xlsx', '-o', t.path('units.xlsx'), env=env,
            err_contains=['cannot load the xlsx library libxlsxwriter.so.', broken])
    assert not os.path.exists(t.path('units.xlsx'))
    assert t.ok('unit', 'list', env=env).strip(), 'unit list printed nothing'


def test_html_only_for_the_semiannual_report_exit_2(t):
    built(t)
    t.fails(2, '--format', 'html', 'case', 'list', err_contains='report semiannual')
    t.fails(2, '--format', 'html', 'report', 'coordinators', err_contains='report semiannual')


# ---- html: the gathering's page -------------------------------------------------------------

CHART_TITLES = ('Referrals by source', 'Decisions by item and outcome',
                'Median days, against the previous half-year', 'Caseload per coordinator')


def page(t, *extra):
    path = t.path('page.html')
    if os.path.exists(path):
        os.unlink(path)
    t.ok('-o', path, '--format', 'html', 'report', 'semiannual', '--period', '2026H2', *extra)
    return path, open(path, encoding='utf-8').read()


def test_html_page_is_self_contained_with_its_charts_and_tables(t):
    built(t)
    _, html = page(t)
    assert html.startswith('<!DOCTYPE html>') and html.rstrip().endswith('</html>')
    low = html.lower()
    for banned in ('<script', 'src=', 'href=', 'url(', '<link', '@import', 'http://', 'https://'):
        rest = low.replace('xmlns="http://www.w3.org/2000/svg"', '')
        assert banned not in rest, banned
    assert '<h1>Semiannual report</h1>' in html and '2026-07-01' in html and '2026-12-31' in html
    assert 'Made 2026-' in html and '@page{size:A4' in html
    assert html.count('<svg') == 4 and all(f'<title>{c}</title>' in html for c in CHART_TITLES)
    assert html.count('<rect') >= 4, 'no bars'
    assert '<h2>Referrals</h2>' in html and '<h2>Caseload concentration</h2>' in html
    assert '0.67' in html and '0.666' not in html   # rounded for people


def test_html_public_hides_small_counts(t):
    built(t)
    _, html = page(t, '--public')
    assert '&lt;5' in html and html.count('<svg') == 4


def _png_pixels(path):
    """(width, height, rows of RGB(A) bytes) of an 8-bit PNG, unfiltered."""
    import struct
    import zlib
    data = open(path, 'rb').read()
    assert data[:8] == b'\x89PNG\r\n\x1a\n', 'not a PNG'
    pos, idat, width = 8, b'', 0
    while pos < len(data):
        n, kind = struct.unpack('>I4s', data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b'IHDR':
            width, height, depth, colour = struct.unpack('>IIBB', body[:10])
            assert depth == 8 and colour in (2, 6), (depth, colour)
            bpp = 3 if colour == 2 else 4
        elif kind == b'IDAT':
            idat += body
        pos += 12 + n
    raw, stride, rows, prev = zlib.decompress(idat), width * bpp, [], bytearray(width * bpp)
    for y in range(height):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return width, height, bpp, rows


def test_html_page_renders_in_chromium(t):
    """Headless Chromium draws the page: the charts' bars are on the screenshot."""
    import shutil
    built(t)
    path, _ = page(t)
    browser = shutil.which('chromium') or shutil.which('chromium-browser')
    if not browser:
        t.skip('no chromium on this machine')
    shot = t.path('page.png')
    try:
        p = subprocess.run([browser, '--headless', '--no-sandbox', '--disable-gpu',
                            '--user-data-dir=' + t.path('chromium'), '--screenshot=' + shot,
                            '--window-size=900,1000', 'file://' + path],
                           capture_output=True, timeout=120, env={**t.env, 'HOME': t.dir})
    except subprocess.TimeoutExpired:
        t.skip('chromium did not finish in time')
    if p.returncode != 0 or not os.path.exists(shot):
        t.skip(f'chromium cannot run here (exit {p.returncode})')
    width, height, bpp, rows = _png_pixels(shot)
    blue = bytes((0x4e, 0x79, 0xa7))   # the first series' bars
    orange = bytes((0xf2, 0x8e, 0x2b))  # the second's
    pixels = [row[i:i + 3] for row in rows[::4] for i in range(0, len(row), bpp * 4)]
    assert len(set(pixels)) > 10, 'the screenshot is blank'
    assert pixels.count(blue) > 50 and pixels.count(orange) > 10, \
        (pixels.count(blue), pixels.count(orange))


def test_cron_semiannual_writes_the_page_and_the_xlsx_beside_the_json(t):
    built(t)
    script = os.path.join(os.path.dirname(__file__), '..', '..', 'examples', 'cron-semiannual.sh')
    p = subprocess.run(['sh', script, t.path('reports')], env={**t.env, 'BTI': t.bti},
                       cwd=t.dir, capture_output=True, timeout=120)
    assert p.returncode == 0, p.stderr
    (day,) = os.listdir(t.path('reports'))
    folder = t.path('reports', day)
    names = sorted(os.listdir(folder))
    assert {'semiannual.json', 'semiannual.xlsx', 'semiannual.html'} <= set(names), names
    for name in names:
        assert os.stat(os.path.join(folder, name)).st_mode & 0o077 == 0, name
    assert open(os.path.join(folder, 'semiannual.html'), encoding='utf-8').read().count('<svg') == 4
    assert open(os.path.join(folder, 'semiannual.xlsx'), 'rb').read(2) == b'PK'
