"""The law as data (SPEC section 4): no paragraph of a law is named outside
the table of law (lib/base/basis.c), the man pages (and their translation in
po/man/) and the tests; messages cite through the table.  The table's own rows are tested in test_deadlines.py
and tests/unit/check_basis.c."""
import os
import re

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# Where a paragraph may be named (po/man/ holds the man pages' text for
# their bokmål translation).
ALLOWED = ('lib/base/basis.c', 'man/', 'po/man/', 'tests/')
SKIP_DIRS = {'.git', 'build', 'build-san'}

# A paragraph: the section sign (or roff's), a law named with "section N",
# or a section numbered like a Norwegian law's ("section 7-2").
PARAGRAPH = re.compile(
    r'§|\\\(sc'
    r'|\b(?:\w*(?:loven|lova)|hol|pbrl|fvl|sotjl|bvl|forskrift\w*)\s+(?:sections?|paragraphs?)\s+\d'
    r'|\bsections?\s+\d+\s*-\s*\d+', re.IGNORECASE)


def tree_files():
    """Every text file of the source tree, as a path relative to ROOT."""
    for top, dirs, files in os.walk(ROOT):
        dirs[:] = [d for d in dirs if d not in SKIP_DIRS and not d.startswith('build')]
        for name in files:
            rel = os.path.relpath(os.path.join(top, name), ROOT)
            try:
                text = open(os.path.join(ROOT, rel), encoding='utf-8').read()
            except (UnicodeDecodeError, OSError):
                continue
            yield rel, text


def test_no_paragraph_outside_the_table_the_man_pages_and_the_tests(t):
    found = []
    for rel, text in tree_files():
        if rel.startswith(ALLOWED):
            continue
        for n, line in enumerate(text.splitlines(), 1):
            if PARAGRAPH.search(line):
                found.append(f'{rel}:{n}: {line.strip()}')
    assert not found, 'a paragraph named outside the table of law:\n' + '\n'.join(found)


def test_the_pattern_finds_what_it_must(t):
    for line in ('forvaltningsloven § 31', 'domstolloven \\(sc\\(sc 148', 'hol section 7-2 a',
                 'pasient- og brukerrettighetsloven sections 7-2, 7-5', 'see section 7-5'):
        assert PARAGRAPH.search(line), line
    for line in ('(SPEC section 4)', 'SPEC sections 2 and 9', 'the nine items of an IP'):
        assert not PARAGRAPH.search(line), line


def test_the_table_is_where_the_paragraphs_are(t):
    table = open(os.path.join(ROOT, 'lib', 'base', 'basis.c'), encoding='utf-8').read()
    for cite in ('"§ 7-5"', '"§ 7-2"', '"§ 29"', '"§ 31"', '"§ 11 a"', '"§ 2-7"', '"§ 19"'):
        assert cite in table, cite
