"""BTI_TRACE=FILE: the statements bti runs, for make bench's sqlite3 comparisons."""
import os
import sqlite3
import stat
import subprocess
import sys

from fixture import place_db, settle


def test_trace_holds_the_statements_with_their_values(t):
    t.init()
    trace = os.path.join(t.dir, 'trace.sql')
    t.ok('unit', 'add', 'Familiesenter', env={'BTI_TRACE': trace})
    text = open(trace).read()
    assert stat.S_IMODE(os.stat(trace).st_mode) == 0o600
    assert 'PRAGMA synchronous=FULL;\n' in text
    assert "'Familiesenter'" in text, 'the parameters are expanded'
    assert 'BEGIN IMMEDIATE;\n' in text and 'COMMIT;\n' in text
    assert '-- TRIGGER' not in text, "a trigger's program is part of its statement"


def test_the_sqlite3_shell_runs_a_read_commands_trace(t):
    t.init()
    t.ok('unit', 'add', 'Familiesenter')
    trace = os.path.join(t.dir, 'trace.sql')
    t.ok('unit', 'list', env={'BTI_TRACE': trace})
    p = subprocess.run(['sqlite3', '-bail', t.db], stdin=open(trace), capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    assert 'Familiesenter' in p.stdout


def test_no_trace_without_the_variable(t):
    t.init()
    before = set(os.listdir(t.dir))
    t.ok('unit', 'add', 'Familiesenter')
    assert set(os.listdir(t.dir)) - before <= {'bti.db-wal', 'bti.db-shm'}


def test_a_trace_file_that_cannot_be_opened_is_refused(t):
    t.init()
    link = os.path.join(t.dir, 'link.sql')
    os.symlink(os.path.join(t.dir, 'elsewhere.sql'), link)
    t.fails(6, 'unit', 'add', 'Familiesenter', env={'BTI_TRACE': link},
            err_contains='cannot open the trace file')
    assert not os.path.exists(os.path.join(t.dir, 'elsewhere.sql'))


def _bench():
    """tests/bench/bench.py as a module."""
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path.insert(0, os.path.join(os.path.dirname(here), 'bench'))
    try:
        import bench
    finally:
        sys.path.pop(0)
    return bench


def _rows_and_schema(path):
    """The database at path as a set of SQL lines (the order of its schema
    and rows aside)."""
    con = sqlite3.connect(f'file:{path}?mode=ro', uri=True)
    try:
        return set(con.iterdump())
    finally:
        con.close()


def test_the_write_floor_writes_the_rows_of_an_import_again(t):
    bench = _bench()
    t.init()
    for unit in bench.UNITS:
        t.ok('unit', 'add', unit)
    coordinators = t.path('coordinators.csv')
    bench.write_coordinators(coordinators)
    t.ok('import', 'coordinators', coordinators)
    settle(t.db)
    empty = t.path('floor.db')
    place_db(t.db, empty)
    cases = t.path('cases.csv')
    bench.write_history(cases, 40)
    t.ok('import', 'cases', cases)
    settle(t.db)
    p = subprocess.run(['sqlite3', '-batch', '-bail', empty], input=bench.write_floor_script(t.db),
                       capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    imported = _rows_and_schema(t.db)
    assert any(line.startswith('INSERT INTO "audit"') for line in imported)
    assert _rows_and_schema(empty) == imported
