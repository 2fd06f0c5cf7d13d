#!/usr/bin/env python3
"""The floors of lib/ (README, Layout): lib/base/ needs no database,
lib/store/ is the only way to it, and the domain modules of lib/ stand on
both.  Fails, naming each arrow, when

- an object takes a symbol from a floor above its own (read with nm from
  the objects of a build: BUILD/lib/**/*.o),
- a source includes a private header of a floor above its own (read from
  the compiler's dependency files, BUILD/lib/**/*.d),
- the files of lib/ call each other in a circle, or
- a domain module writes a row of an audited table (or of a table it
  names at run time) by a raw statement instead of through the store's
  db_insert, db_update, db_delete or db_erase, which write its audit row
  (lib/store/record.c), or audits a row itself (calls audit_change, which
  only those writers call).  The store's one unaudited writer is the
  restore's insert (db_restore_insert), which writes the exported audit
  rows beside the rows.

Before that it feeds the raw-write check a few made-up sources and fails
when the check misses a raw write among them or takes a store write for
one, so that the check cannot go blind unnoticed.

Usage: python3 tests/floors.py BUILD"""
import glob
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FLOORS = ('base', 'store', 'domain')

# The audited tables: those whose rows the audit records (lib/store/stmt.c).
ROW_TABLE = re.compile(r'\{"(\w+)", "SELECT \* FROM \1 WHERE id = \?"\}')

# A write in an SQL string: the table it writes, or the placeholder of a
# table named at run time (%s, %w, "%w"), which may be any table.
WRITE = re.compile(r'\b(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+'
                   r'(\w+|%[sw]|\\"%[sw]\\")')

# The store's writers, which audit the row they write (lib/store/record.c).
STORE_WRITERS = ('db_insert', 'db_update', 'db_delete', 'db_erase')

# What the store's writers call to audit a row, and the domain never does.
ROW_AUDIT = 'audit_change'


def floor_of(path):
    """The floor of a source or header path under lib/ (relative to ROOT)."""
    part = path.split('/')
    if len(part) > 2 and part[1] in ('base', 'store'):
        return part[1]
    return 'domain'


def unit_name(path):
    """lib/store/db.c -> store/db; lib/case.c -> case."""
    return os.path.splitext(path[len('lib/'):])[0]


def sources():
    """Every C source of lib/, relative to ROOT."""
    found = glob.glob(os.path.join(ROOT, 'lib', '*.c')) + \
        glob.glob(os.path.join(ROOT, 'lib', '*', '*.c'))
    return sorted(os.path.relpath(p, ROOT) for p in found)


def symbols(obj):
    """The (defined, undefined) global symbols of an object file."""
    out = subprocess.run(['nm', obj], capture_output=True, text=True, check=True).stdout
    defined, undefined = set(), set()
    for line in out.splitlines():
        f = line.split()
        if len(f) == 3 and f[1] in 'TDBRC':
            defined.add(f[2])
        elif len(f) == 2 and f[0] == 'U':
            undefined.add(f[1])
    return defined, undefined


def call_graph(build):
    """unit -> {unit it takes a symbol from: [symbols]}."""
    owner, wants = {}, {}
    for src in sources():
        obj = os.path.join(build, os.path.splitext(src)[0] + '.o')
        if not os.path.exists(obj):
            sys.exit(f'floors: {obj} is missing; build first (make {build}/libbti.a)')
        defined, undefined = symbols(obj)
        for s in defined:
            owner[s] = unit_name(src)
        wants[unit_name(src)] = undefined
    graph = {}
    for unit, undefined in wants.items():
        graph[unit] = {}
        for s in sorted(undefined):
            if s in owner and owner[s] != unit:
                graph[unit].setdefault(owner[s], []).append(s)
    return graph


def unit_floor(unit):
    return floor_of('lib/' + unit + '.c')


def upward_calls(graph):
    """The arrows from a floor to one above it."""
    bad = []
    for unit, deps in sorted(graph.items()):
        for dep, syms in sorted(deps.items()):
            if FLOORS.index(unit_floor(dep)) > FLOORS.index(unit_floor(unit)):
                bad.append(f'lib/{unit}.c takes {", ".join(syms)} from lib/{dep}.c, a floor above')
    return bad


def upward_includes(build):
    """The private headers a source includes from a floor above its own."""
    bad = []
    for src in sources():
        dep = os.path.join(build, os.path.splitext(src)[0] + '.d')
        if not os.path.exists(dep):
            continue
        text = open(dep, encoding='utf-8').read().split('\n\n')[0].replace('\\\n', ' ')
        for header in text.split(':', 1)[1].split():
            header = os.path.normpath(header)
            if not header.startswith('lib/'):
                continue
            if FLOORS.index(floor_of(header)) > FLOORS.index(floor_of(src)):
                bad.append(f'{src} includes {header}, a floor above')
    return bad


def circles(graph):
    """The groups of files that call each other in a circle (Tarjan)."""
    index, low, stack, on, found = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append('a circle: ' + ', '.join(f'lib/{u}.c' for u in sorted(group)))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def audited_tables():
    text = open(os.path.join(ROOT, 'lib', 'store', 'stmt.c'), encoding='utf-8').read()
    return set(ROW_TABLE.findall(text))


def enclosing_call(text, pos):
    """The name of the call whose argument list holds pos, or None."""
    depth = 0
    for i in range(pos - 1, -1, -1):
        c = text[i]
        if c in ';{}' and depth == 0:
            return None
        if c == ')':
            depth += 1
        elif c == '(':
            if depth == 0:
                m = re.search(r'(\w+)\s*$', text[:i])
                return m.group(1) if m else None
            depth -= 1
    return None


def writer(text, pos):
    """What runs the SQL string at pos: the call it is an argument of, or,
    for a `static const char NAME[] = "...";`, the call that NAME is next an
    argument of."""
    decl = re.search(r'static const char (\w+)\[\]\s*=\s*(?:"(?:[^"\\]|\\.)*"\s*)*$',
                     text[:pos])
    if not decl:
        return enclosing_call(text, pos)
    use = re.compile(r'\b' + decl.group(1) + r'\b')
    m = use.search(text, text.index(';', pos))
    return enclosing_call(text, m.start()) if m else None


def own_audits(graph):
    """The domain files that audit a row themselves."""
    return [f'lib/{unit}.c calls {ROW_AUDIT}: write the row through'
            f' {", ".join(STORE_WRITERS)}, which audit it'
            for unit, deps in sorted(graph.items()) if unit_floor(unit) == 'domain'
            and any(ROW_AUDIT in syms for syms in deps.values())]


def raw_writes_in(text, tables):
    """The raw writes to audited tables in a source's text, as (line,
    table): a write is the store's when its SQL goes to one of
    STORE_WRITERS, which audit it."""
    return [(text.count('\n', 0, m.start()) + 1, m.group(1)) for m in WRITE.finditer(text)
            if (m.group(1) in tables or '%' in m.group(1))
            and writer(text, text.rindex('"', 0, m.start())) not in STORE_WRITERS]


def raw_writes():
    """Each raw write of a domain file to an audited table."""
    tables = audited_tables()
    bad = []
    for src in sources():
        if floor_of(src) != 'domain':
            continue
        text = open(os.path.join(ROOT, src), encoding='utf-8').read()
        bad += [f'{src}:{line} writes {table} by a raw statement: write through'
                f' {", ".join(STORE_WRITERS)}' for line, table in raw_writes_in(text, tables)]
    return bad


# Made-up sources for the raw-write check: (text, the tables it must find).
RAW_WRITE_SAMPLES = [
    ('rc = db_run(db, "INSERT INTO unit(name) VALUES (?)", "t", name);', ['unit']),
    ('rc = db_run(db, "INSERT OR IGNORE INTO unit(name)"\n " VALUES (?)", "t", x);', ['unit']),
    ('rc = db_run(db, "UPDATE unit SET name = ? WHERE id = ?", "ti", x, id);', ['unit']),
    ('rc = db_run(db, "DELETE FROM unit WHERE id = ?", "i", id);', ['unit']),
    ('static const char sql[] = "UPDATE unit SET name = ?"\n " WHERE id = ?";\n'
     'rc = db_run(db, sql, "ti", x, id);', ['unit']),
    ('rc = helper(db, "INSERT INTO unit(name) VALUES (?)", x);', ['unit']),
    ('rc = db_insert(db, "unit", &id, "INSERT INTO unit(name) VALUES (?)", "t", x);', []),
    ('rc = db_update(db, "unit", id, NULL,\n f(x) ? "a" : "b",\n'
     ' "UPDATE unit SET name = ? WHERE id = ?", "ti", x, id);', []),
    ('static const char sql[] = "DELETE FROM unit WHERE id = ?";\n'
     'rc = db_delete(db, "unit", id, NULL, sql);', []),
    ('rc = db_run(db, "UPDATE audit SET change = NULL WHERE id = ?", "i", id);', []),
    ('n = snprintf(sql, sizeof sql, "INSERT INTO %s(", table);', ['%s']),
    ('char *sql = sqlite3_mprintf("DELETE FROM \\"%w\\" WHERE id = ?", t);', ['\\"%w\\"']),
]


def raw_write_check_misses():
    """Where the raw-write check gets RAW_WRITE_SAMPLES wrong."""
    bad = []
    for text, want in RAW_WRITE_SAMPLES:
        got = [table for _, table in raw_writes_in(text, {'unit'})]
        if got != want:
            bad.append(f'the raw-write check finds {got} in {text!r}, not {want}')
    return bad


def main():
    build = sys.argv[1] if len(sys.argv) > 1 else 'build'
    os.chdir(ROOT)
    graph = call_graph(build)
    bad = raw_write_check_misses() + upward_calls(graph) + upward_includes(build) + \
        circles(graph) + raw_writes() + own_audits(graph)
    for line in bad:
        print('floors:', line, file=sys.stderr)
    if bad:
        sys.exit(1)
    print(f'floors: {len(graph)} files of lib/ on 3 floors, no upward arrow, no circle')


if __name__ == '__main__':
    main()
