/* Unit tests of lib/store/record.c: a row written through db_insert,
 * db_update, db_delete or db_erase comes with its audit row, and a failed
 * write leaves no audit row. */
#include <check.h>
#include <stdio.h>
#include <string.h>
#include "bti/audit.h"
#include "bti/db.h"
#include "bti/error.h"
#include "store/store.h"
#include "testutil.h"

static const char insert_unit[] = "INSERT INTO unit(name) VALUES (?)";
static const char rename_unit[] = "UPDATE unit SET name = ? WHERE id = ?";
static const char delete_unit[] = "DELETE FROM unit WHERE id = ?";
static const char insert_unit_once[] = "INSERT OR IGNORE INTO unit(name) VALUES (?)";
static const char erase_unit[] = "UPDATE unit SET name = '(erased)' WHERE id = ?1";

/* The number of audit rows of unit id. */
static long long unit_audits(const struct tu_db *t, long long id)
{
    char sql[96];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM audit WHERE entity = 'unit' AND entity_id = %lld",
             id);
    return tu_count(t, sql);
}

START_TEST(insert_update_delete_each_audit_their_row)
{
    struct tu_db t;
    tu_open(&t);
    long long id = 0;
    TU_TX(t.db, db_insert(t.db, "unit", &id, insert_unit, "t", "Familiesenter"));
    ck_assert_int_gt(id, 0);
    ck_assert_int_eq(unit_audits(&t, id), 1);
    TU_TX(t.db, db_update(t.db, "unit", id, "typo", rename_unit, "ti", "Familiesenteret", id));
    ck_assert_int_eq(unit_audits(&t, id), 2);
    TU_TX(t.db, db_delete(t.db, "unit", id, "made by mistake", delete_unit));
    ck_assert_int_eq(unit_audits(&t, id), 3);
    char buf[256];
    ck_assert_str_eq(tu_query(&t,
                              "SELECT json_extract(change, '$.old.name') || '/' ||"
                              " json_type(change, '$.new') FROM audit ORDER BY id DESC LIMIT 1",
                              buf, sizeof buf),
                     "Familiesenteret/null");
    ck_assert_int_eq(tu_count(&t, "SELECT count(*) FROM unit WHERE name LIKE 'Familie%'"), 0);
    tu_close(&t);
}
END_TEST

START_TEST(a_change_to_a_missing_row_writes_nothing)
{
    struct tu_db t;
    tu_open(&t);
    long long before = tu_count(&t, "SELECT count(*) FROM audit");
    ck_assert_int_eq(bti_db_begin(t.db, 1), BTI_OK);
    ck_assert_int_eq(db_delete(t.db, "unit", 999, NULL, delete_unit), BTI_ENOTFOUND);
    ck_assert_str_eq(bti_error_last(), "no unit 999");
    ck_assert_int_eq(db_update(t.db, "unit", 999, NULL, rename_unit, "ti", "X", 999LL),
                     BTI_ENOTFOUND);
    ck_assert_int_eq(bti_db_rollback(t.db), BTI_OK);
    ck_assert_int_eq(tu_count(&t, "SELECT count(*) FROM audit"), before);
    tu_close(&t);
}
END_TEST

START_TEST(an_insert_of_nothing_is_not_audited)
{
    struct tu_db t;
    tu_open(&t);
    long long id = 0, again = -1;
    TU_TX(t.db, db_insert(t.db, "unit", &id, insert_unit_once, "t", "Familiesenteret"));
    ck_assert_int_gt(id, 0);
    long long before = tu_count(&t, "SELECT count(*) FROM audit");
    TU_TX(t.db, db_insert(t.db, "unit", &again, insert_unit_once, "t", "Familiesenteret"));
    ck_assert_int_eq(again, 0);
    ck_assert_int_eq(tu_count(&t, "SELECT count(*) FROM audit"), before);
    ck_assert_int_eq(unit_audits(&t, id), 1);
    tu_close(&t);
}
END_TEST

/* The old names of unit id's audit rows, in order, joined by '/'. */
static const char *old_names(const struct tu_db *t, long long id, char *buf, size_t size)
{
    char sql[200];
    snprintf(sql, sizeof sql,
             "SELECT group_concat(coalesce(json_extract(change, '$.old.name'), '-'), '/')"
             " FROM (SELECT change FROM audit WHERE entity = 'unit' AND entity_id = %lld"
             " ORDER BY id)",
             id);
    return tu_query(t, sql, buf, size);
}

START_TEST(an_update_starts_from_the_row_as_it_stands)
{
    /* the image before an update comes from the last audited write when
     * nothing changed since (issue 19): a change behind the audit's back,
     * another audited row between, a rollback */
    struct tu_db t;
    tu_open(&t);
    long long id = 0, other = 0;
    char buf[256];
    ck_assert_int_eq(bti_db_begin(t.db, 1), BTI_OK);
    ck_assert_int_eq(db_insert(t.db, "unit", &id, insert_unit, "t", "A"), BTI_OK);
    ck_assert_int_eq(db_update(t.db, "unit", id, NULL, rename_unit, "ti", "B", id), BTI_OK);
    ck_assert_int_eq(db_run(t.db, "UPDATE unit SET name = 'C' WHERE id = ?", "i", id), BTI_OK);
    ck_assert_int_eq(db_update(t.db, "unit", id, NULL, rename_unit, "ti", "D", id), BTI_OK);
    ck_assert_int_eq(db_insert(t.db, "unit", &other, insert_unit, "t", "E"), BTI_OK);
    ck_assert_int_eq(db_update(t.db, "unit", id, NULL, rename_unit, "ti", "F", id), BTI_OK);
    ck_assert_int_eq(bti_db_commit(t.db), BTI_OK);
    ck_assert_str_eq(old_names(&t, id, buf, sizeof buf), "-/A/C/D");
    ck_assert_int_eq(bti_db_begin(t.db, 1), BTI_OK);
    ck_assert_int_eq(db_update(t.db, "unit", other, NULL, rename_unit, "ti", "G", other), BTI_OK);
    ck_assert_int_eq(bti_db_rollback(t.db), BTI_OK);
    ck_assert_int_eq(bti_db_begin(t.db, 1), BTI_OK);
    ck_assert_int_eq(db_update(t.db, "unit", other, NULL, rename_unit, "ti", "H", other), BTI_OK);
    ck_assert_int_eq(bti_db_commit(t.db), BTI_OK);
    ck_assert_str_eq(old_names(&t, other, buf, sizeof buf), "-/E");
    ck_assert_int_eq(bti_audit_verify(t.db, NULL), BTI_OK);
    tu_close(&t);
}
END_TEST

START_TEST(an_erasure_audits_the_new_image_only)
{
    struct tu_db t;
    tu_open(&t);
    long long id = 0;
    TU_TX(t.db, db_insert(t.db, "unit", &id, insert_unit, "t", "Familiesenteret"));
    TU_TX(t.db, db_erase(t.db, "unit", id, erase_unit));
    ck_assert_int_eq(unit_audits(&t, id), 2);
    char buf[256];
    ck_assert_str_eq(tu_query(&t,
                              "SELECT json_type(change, '$.old') || '/' ||"
                              " json_extract(change, '$.new.name') || '/' ||"
                              " instr(change, 'Familiesenteret') FROM audit ORDER BY id DESC LIMIT 1",
                              buf, sizeof buf),
                     "null/(erased)/0");
    tu_close(&t);
}
END_TEST

/* The audit rows' changes in order, each "entity:id old.name>new.name
 * reason" ("-" for null), joined by "; ". */
static const char *changes(const struct tu_db *t, char *buf, size_t size)
{
    return tu_query(t,
                    "SELECT group_concat(entity || ':' || entity_id || ' '"
                    " || coalesce(json_extract(change, '$.old.name'), '-') || '>'"
                    " || coalesce(json_extract(change, '$.new.name'), '-') || ' '"
                    " || coalesce(json_extract(change, '$.reason'), '-'), '; ')"
                    " FROM (SELECT * FROM audit WHERE entity = 'unit' ORDER BY id)",
                    buf, size);
}

START_TEST(net_changes_audit_each_changed_row_once)
{
    /* an import's steps on a row come to one audit row (SPEC section 10):
     * its image before the first write and after the last, the last
     * reason, in the order the rows were first written; a row inserted and
     * deleted again leaves none */
    struct tu_db t;
    tu_open(&t);
    long long a = 0, b = 0, gone = 0, old = 0;
    TU_TX(t.db, db_insert(t.db, "unit", &old, insert_unit, "t", "O"));
    long long before = tu_count(&t, "SELECT count(*) FROM audit");
    ck_assert_int_eq(bti_db_begin(t.db, 1), BTI_OK);
    audit_net_begin(t.db);
    ck_assert_int_eq(db_insert(t.db, "unit", &a, insert_unit, "t", "A"), BTI_OK);
    ck_assert_int_eq(db_update(t.db, "unit", old, "first", rename_unit, "ti", "P", old), BTI_OK);
    ck_assert_int_eq(db_update(t.db, "unit", a, "typo", rename_unit, "ti", "B", a), BTI_OK);
    ck_assert_int_eq(db_insert(t.db, "unit", &gone, insert_unit, "t", "G"), BTI_OK);
    ck_assert_int_eq(db_delete(t.db, "unit", gone, NULL, delete_unit), BTI_OK);
    ck_assert_int_eq(db_update(t.db, "unit", old, NULL, rename_unit, "ti", "Q", old), BTI_OK);
    ck_assert_int_eq(tu_count(&t, "SELECT count(*) FROM audit"), before); /* noted only */
    ck_assert_int_eq(audit_net_flush(t.db), BTI_OK);
    ck_assert_int_eq(db_insert(t.db, "unit", &b, insert_unit, "t", "C"), BTI_OK);
    ck_assert_int_eq(audit_net_end(t.db), BTI_OK);
    ck_assert_int_eq(db_update(t.db, "unit", b, NULL, rename_unit, "ti", "D", b), BTI_OK);
    ck_assert_int_eq(bti_db_commit(t.db), BTI_OK);
    char buf[512], want[512];
    snprintf(want, sizeof want,
             "unit:%lld ->O -; unit:%lld ->B typo; unit:%lld O>Q first; unit:%lld ->C -;"
             " unit:%lld C>D -",
             old, a, old, b, b);
    ck_assert_str_eq(changes(&t, buf, sizeof buf), want);
    ck_assert_int_eq(bti_audit_verify(t.db, NULL), BTI_OK);
    tu_close(&t);
}
END_TEST

START_TEST(net_changes_go_with_their_transaction)
{
    /* a commit appends what was noted and not flushed; a rollback forgets it */
    struct tu_db t;
    tu_open(&t);
    long long a = 0, b = 0;
    ck_assert_int_eq(bti_db_begin(t.db, 1), BTI_OK);
    audit_net_begin(t.db);
    ck_assert_int_eq(db_insert(t.db, "unit", &a, insert_unit, "t", "A"), BTI_OK);
    ck_assert_int_eq(bti_db_rollback(t.db), BTI_OK);
    ck_assert_int_eq(bti_db_begin(t.db, 1), BTI_OK);
    ck_assert_int_eq(db_insert(t.db, "unit", &b, insert_unit, "t", "B"), BTI_OK);
    ck_assert_int_eq(bti_db_commit(t.db), BTI_OK);
    ck_assert_int_eq(audit_net_end(t.db), BTI_OK);
    char buf[512], want[512];
    snprintf(want, sizeof want, "unit:%lld ->B -", b);
    ck_assert_str_eq(changes(&t, buf, sizeof buf), want);
    ck_assert_int_eq(bti_audit_verify(t.db, NULL), BTI_OK);
    tu_close(&t);
}
END_TEST

Suite *make_record_suite(void)
{
    Suite *s = suite_create("record");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, insert_update_delete_each_audit_their_row);
    tcase_add_test(tc, a_change_to_a_missing_row_writes_nothing);
    tcase_add_test(tc, an_insert_of_nothing_is_not_audited);
    tcase_add_test(tc, an_erasure_audits_the_new_image_only);
    tcase_add_test(tc, an_update_starts_from_the_row_as_it_stands);
    tcase_add_test(tc, net_changes_audit_each_changed_row_once);
    tcase_add_test(tc, net_changes_go_with_their_transaction);
    suite_add_tcase(s, tc);
    return s;
}
