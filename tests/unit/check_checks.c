/* The CHECK IN lists as OR chains (lib/store/checks.c): what the rewriter
 * changes and what it leaves alone, that a second pass changes nothing,
 * and that a write into a table of the migrated schema builds no temporary
 * B-tree (OpenEphemeral) for its CHECKs any more. */
#include <check.h>
#include <string.h>
#include "store/store.h"
#include "store/checks.h"
#include "testutil.h"

/* Fail unless sql rewrites to want, and want rewrites to itself. */
static void rewrites(const char *sql, const char *want)
{
    char *got = checks_in_as_or(sql);
    ck_assert_ptr_nonnull(got);
    ck_assert_str_eq(got, want);
    char *again = checks_in_as_or(got);
    ck_assert_ptr_nonnull(again);
    ck_assert_str_eq(again, want);
    sqlite3_free(again);
    sqlite3_free(got);
}

START_TEST(strings_and_numbers)
{
    rewrites("CREATE TABLE t (k TEXT CHECK (k IN ('a', 'b', 'c')))",
             "CREATE TABLE t (k TEXT CHECK ((k = 'a' OR k = 'b' OR k = 'c')))");
    rewrites("CREATE TABLE t (b INTEGER CHECK (b IN (0, 1)), n REAL CHECK (n IN (-1, 2.5, 1e-3)))",
             "CREATE TABLE t (b INTEGER CHECK ((b = 0 OR b = 1)),"
             " n REAL CHECK ((n = -1 OR n = 2.5 OR n = 1e-3)))");
    rewrites("CREATE TABLE t (k TEXT CHECK (k IN ('only')))",
             "CREATE TABLE t (k TEXT CHECK ((k = 'only')))");
}
END_TEST

START_TEST(spacing_and_case)
{
    rewrites("CREATE TABLE t (k TEXT CHECK(k in('a','b',\n    'c' ) ))",
             "CREATE TABLE t (k TEXT CHECK((k = 'a' OR k = 'b' OR k = 'c') ))");
    rewrites("CREATE TABLE t (\"by\" TEXT check (  \"by\"   IN  ( 'x' ,  'y' ) ))",
             "CREATE TABLE t (\"by\" TEXT check (  (\"by\" = 'x' OR \"by\" = 'y') ))");
}
END_TEST

START_TEST(several_checks_in_one_table)
{
    rewrites("CREATE TABLE t (a TEXT CHECK (a IN ('x', 'y')), b TEXT, c INTEGER NOT NULL"
             " DEFAULT 0 CHECK (c IN (0, 1)), CHECK (a IN ('x') OR c IN (1, 2)))",
             "CREATE TABLE t (a TEXT CHECK ((a = 'x' OR a = 'y')), b TEXT, c INTEGER NOT NULL"
             " DEFAULT 0 CHECK ((c = 0 OR c = 1)), CHECK ((a = 'x') OR (c = 1 OR c = 2)))");
}
END_TEST

START_TEST(null_or_in)
{
    rewrites("CREATE TABLE t (k TEXT CHECK (k IS NULL OR k IN ('a', 'b')))",
             "CREATE TABLE t (k TEXT CHECK (k IS NULL OR (k = 'a' OR k = 'b')))");
    rewrites("CREATE TABLE t (k TEXT CHECK (NOT k IN ('a', 'b') AND k <> ''))",
             "CREATE TABLE t (k TEXT CHECK (NOT (k = 'a' OR k = 'b') AND k <> ''))");
}
END_TEST

START_TEST(quotes_inside_literals)
{
    rewrites("CREATE TABLE t (k TEXT CHECK (k IN ('it''s', 'a, b)', 'IN (')))",
             "CREATE TABLE t (k TEXT CHECK ((k = 'it''s' OR k = 'a, b)' OR k = 'IN (')))");
}
END_TEST

/* Everything that is no `name IN (literal, ...)` of a CHECK stays as it
 * was, byte for byte. */
START_TEST(leaves_the_rest_alone)
{
    static const char *const alone[] = {
        "CREATE TABLE t (k TEXT CHECK (k IN (SELECT k FROM u)))",
        "CREATE TABLE t (k TEXT CHECK (k IN (a, b)))",
        "CREATE TABLE t (k TEXT CHECK (k IN ('a', upper('b'))))",
        "CREATE TABLE t (k TEXT CHECK (k NOT IN ('a', 'b')))",
        "CREATE TABLE t (k TEXT CHECK (lower(k) IN ('a', 'b')))",
        "CREATE TABLE t (k TEXT CHECK (t.k IN ('a', 'b')))",
        "CREATE TABLE t (k TEXT CHECK (k COLLATE NOCASE IN ('a', 'b')))",
        "CREATE TABLE t (k INTEGER CHECK (1 = k IN (0, 1)))",
        "CREATE TABLE t (k INTEGER CHECK (k BETWEEN 0 AND k IN (0, 1)))",
        "CREATE TABLE t (k TEXT DEFAULT 'x IN (''a'', ''b'')', CHECK (k <> 'CHECK (k IN (1, 2))'))",
        "CREATE TABLE t (k TEXT /* CHECK (k IN ('a', 'b')) */ -- CHECK (k IN (1, 2))\n)",
        "CREATE VIEW v AS SELECT * FROM t WHERE k IN ('a', 'b')",
        "CREATE INDEX i ON t(k) WHERE k IN ('a', 'b')",
        "",
        NULL,
    };
    for (int i = 0; alone[i]; i++) {
        char *got = checks_in_as_or(alone[i]);
        ck_assert_ptr_nonnull(got);
        ck_assert_str_eq(got, alone[i]);
        sqlite3_free(got);
    }
}
END_TEST

/* Whether the program of `EXPLAIN sql` on h has an OpenEphemeral. */
static int builds_ephemeral(sqlite3 *h, const char *sql)
{
    char explain[512];
    snprintf(explain, sizeof explain, "EXPLAIN %s", sql);
    sqlite3_stmt *st;
    ck_assert_int_eq(sqlite3_prepare_v2(h, explain, -1, &st, NULL), SQLITE_OK);
    int found = 0;
    while (sqlite3_step(st) == SQLITE_ROW)
        found |= strcmp((const char *)sqlite3_column_text(st, 1), "OpenEphemeral") == 0;
    sqlite3_finalize(st);
    return found;
}

/* A write into the tables whose CHECKs had IN lists of three values or
 * more builds no temporary B-tree; the same write against the old CHECK
 * text did (so the test would see one come back). */
START_TEST(writes_build_no_ephemeral)
{
    static const char *const writes[] = {
        "INSERT INTO decision_item(decision_id, item) VALUES (1, 'ip')",
        "INSERT INTO ke_case(person_id, status) VALUES (1, 'received')",
        "UPDATE ke_case SET status = 'closed', close_cause = 'moved' WHERE id = 1",
        "INSERT INTO plan(case_id, status, started) VALUES (1, 'active', '2026-01-01')",
        "INSERT INTO closure(case_id, closed, cause, status_before) VALUES (1, 'x', 'moved', 'x')",
        "INSERT INTO request(case_id, item) VALUES (1, 'ip')",
        NULL,
    };
    struct tu_db t;
    tu_open(&t);
    sqlite3 *h = tu_raw(t.path);
    for (int i = 0; writes[i]; i++)
        ck_assert_msg(!builds_ephemeral(h, writes[i]), "OpenEphemeral in: %s", writes[i]);
    ck_assert(sqlite3_exec(h, "CREATE TEMP TABLE old (item TEXT CHECK (item IN ('a', 'b', 'c')))",
                           NULL, NULL, NULL) == SQLITE_OK);
    ck_assert(builds_ephemeral(h, "INSERT INTO old VALUES ('a')"));
    sqlite3_close(h);
    tu_close(&t);
}
END_TEST

/* A value outside the list is still refused, NULL still passes. */
START_TEST(same_truth)
{
    struct tu_db t;
    tu_open(&t);
    sqlite3 *h = tu_raw(t.path);
    ck_assert_int_eq(sqlite3_exec(h,
                                  "INSERT INTO user(login, role, added)"
                                  " VALUES ('x', 'boss', '2026-01-01')",
                                  NULL, NULL, NULL),
                     SQLITE_CONSTRAINT);
    ck_assert_ptr_nonnull(strstr(sqlite3_errmsg(h), "CHECK constraint failed"));
    ck_assert_int_eq(sqlite3_exec(h, "UPDATE ke_case SET close_cause = NULL", NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(h);
    tu_close(&t);
}
END_TEST

Suite *make_checks_suite(void)
{
    Suite *s = suite_create("checks");
    TCase *tc = tcase_create("checks");
    tcase_add_unchecked_fixture(tc, tu_fixture_begin, tu_fixture_end);
    tcase_add_test(tc, strings_and_numbers);
    tcase_add_test(tc, spacing_and_case);
    tcase_add_test(tc, several_checks_in_one_table);
    tcase_add_test(tc, null_or_in);
    tcase_add_test(tc, quotes_inside_literals);
    tcase_add_test(tc, leaves_the_rest_alone);
    tcase_add_test(tc, writes_build_no_ephemeral);
    tcase_add_test(tc, same_truth);
    suite_add_tcase(s, tc);
    return s;
}
