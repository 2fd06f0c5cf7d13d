/* Unit tests of lib/person.c: adding and validating persons, duplicates,
 * edits with their audit, listing with masking and the access log.  Only
 * synthetic nins (month + 80), made by tu_nin. */
#include <check.h>
#include <stdio.h>
#include <string.h>
#include "bti/case.h"
#include "bti/error.h"
#include "bti/nin.h"
#include "bti/person.h"
#include "testutil.h"
#include "store/store.h"
#include "person.h"

/* Add a person; the new id. */
static long long add(struct tu_db *t, const char *name, bti_date born, const char *nin)
{
    struct bti_person_in p = {.name = name, .born = born, .nin = nin};
    long long id = 0;
    TU_TX(t->db, bti_person_add(t->db, &p, &id));
    ck_assert_int_gt(id, 0);
    return id;
}

/* The result of adding a person that should be refused, rolled back. */
static int add_rc(struct tu_db *t, const struct bti_person_in *p)
{
    long long id = 0;
    ck_assert_int_eq(bti_db_begin(t->db, 1), BTI_OK);
    int rc = bti_person_add(t->db, p, &id);
    bti_db_rollback(t->db);
    return rc;
}

/* "--person ID" for the hint. */
static int hint_names(long long id)
{
    char want[32];
    snprintf(want, sizeof want, "--person %lld", id);
    return bti_error_hint() && strstr(bti_error_hint(), want) != NULL;
}

START_TEST(add_with_agreeing_nin_and_born)
{
    struct tu_db t;
    tu_open(&t);
    char nin[12], buf[32];
    tu_nin(nin, 1990, 5, 12, 0);
    ck_assert_int_eq(bti_nin_check(nin, NULL, "nin"), BTI_OK);
    long long id = add(&t, "Kari Nordmann", tu_ymd(1990, 5, 12), nin);
    ck_assert_str_eq(tu_query(&t, "SELECT born FROM person", buf, sizeof buf), "1990-05-12");
    ck_assert_str_eq(tu_query(&t, "SELECT nin FROM person", buf, sizeof buf), nin);
    ck_assert_int_eq(tu_count(&t, "SELECT count(*) FROM audit WHERE entity = 'person'"), 1);
    ck_assert_int_eq(tu_count(&t, "SELECT entity_id FROM audit WHERE entity = 'person'"), id);
    tu_close(&t);
}
END_TEST

START_TEST(nin_gives_missing_born)
{
    struct tu_db t;
    tu_open(&t);
    char nin[12], buf[32];
    add(&t, "Ola Nordmann", BTI_NO_DATE, tu_nin(nin, 2011, 2, 28, 0));
    ck_assert_str_eq(tu_query(&t, "SELECT born FROM person", buf, sizeof buf), "2011-02-28");
    tu_close(&t);
}
END_TEST

START_TEST(nin_disagreeing_with_born_refused)
{
    struct tu_db t;
    tu_open(&t);
    char nin[12];
    struct bti_person_in p = {
        .name = "Kari Nordmann", .born = tu_ymd(1990, 5, 13), .nin = tu_nin(nin, 1990, 5, 12, 0)};
    ck_assert_int_eq(add_rc(&t, &p), BTI_EINVAL);
    ck_assert_ptr_null(strstr(bti_error_last(), nin));
    nin[10] = nin[10] == '9' ? '0' : (char)(nin[10] + 1); /* a wrong check digit */
    p.born = tu_ymd(1990, 5, 12);
    ck_assert_int_eq(add_rc(&t, &p), BTI_EINVAL);
    ck_assert_int_eq(tu_count(&t, "SELECT count(*) FROM person"), 0);
    tu_close(&t);
}
END_TEST

START_TEST(born_after_today_refused)
{
    struct tu_db t;
    tu_open(&t);
    struct bti_person_in p = {.name = "Kari Nordmann", .born = tu_ymd(2026, 11, 23)};
    ck_assert_int_eq(add_rc(&t, &p), BTI_EINVAL);
    p.born = tu_ymd(2026, 11, 22);
    long long id;
    TU_TX(t.db, bti_person_add(t.db, &p, &id));
    tu_close(&t);
}
END_TEST

START_TEST(nin_born_after_today_refused)
{
    struct tu_db t;
    tu_open(&t);
    char nin[12];
    struct bti_person_in p = {
        .name = "Kari Nordmann", .born = BTI_NO_DATE, .nin = tu_nin(nin, 2027, 1, 5, 0)};
    ck_assert_int_eq(add_rc(&t, &p), BTI_EINVAL);
    ck_assert_int_eq(tu_count(&t, "SELECT count(*) FROM person"), 0);
    tu_close(&t);
}
END_TEST

START_TEST(expected_child_in_future_without_nin)
{
    struct tu_db t;
    tu_open(&t);
    struct bti_person_in p = {.name = "Baby Nordmann", .born = tu_ymd(2027, 3, 1), .expected = 1};
    long long id;
    TU_TX(t.db, bti_person_add(t.db, &p, &id));
    ck_assert_int_eq(tu_count(&t, "SELECT expected FROM person"), 1);
    char nin[12];
    struct bti_person_in q = {.name = "Baby Hansen",
                              .born = tu_ymd(2027, 3, 1),
                              .expected = 1,
                              .nin = tu_nin(nin, 2027, 3, 1, 0)};
    ck_assert_int_eq(add_rc(&t, &q), BTI_EINVAL);
    ck_assert_int_eq(tu_count(&t, "SELECT count(*) FROM person"), 1);
    tu_close(&t);
}
END_TEST

START_TEST(names_with_formula_lead_refused)
{
    static const char *const bad[] = {"=HYPERLINK(\"x\")", "+Kari", "-Kari", "@Kari", "",
                                      "Kari\x01Nordmann"};
    struct tu_db t;
    tu_open(&t);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct bti_person_in p = {.name = bad[i], .born = tu_ymd(1990, 1, 1)};
        ck_assert_msg(add_rc(&t, &p) == BTI_EINVAL, "accepted name %zu", i);
    }
    struct bti_person_in ok = {.name = "Kari =Nordmann", .born = tu_ymd(1990, 1, 1)};
    long long id;
    TU_TX(t.db, bti_person_add(t.db, &ok, &id));
    ck_assert_int_eq(tu_count(&t, "SELECT count(*) FROM person"), 1);
    tu_close(&t);
}
END_TEST

START_TEST(duplicate_nin_refused_with_hint)
{
    struct tu_db t;
    tu_open(&t);
    char nin[12];
    tu_nin(nin, 1985, 7, 1, 0);
    add(&t, "Per Hansen", tu_ymd(1950, 1, 1), NULL);
    long long first = add(&t, "Kari Nordmann", BTI_NO_DATE, nin);
    struct bti_person_in p = {.name = "Kari Nordmann-Hansen", .born = BTI_NO_DATE, .nin = nin};
    ck_assert_int_eq(add_rc(&t, &p), BTI_ERULE);
    ck_assert_msg(hint_names(first), "hint: %s", bti_error_hint() ? bti_error_hint() : "(none)");
    ck_assert_ptr_null(strstr(bti_error_last(), nin));
    ck_assert_int_eq(tu_count(&t, "SELECT count(*) FROM person"), 2);
    tu_close(&t);
}
END_TEST

START_TEST(duplicate_name_and_born_refused_with_hint)
{
    struct tu_db t;
    tu_open(&t);
    add(&t, "Per Hansen", tu_ymd(1950, 1, 1), NULL);
    long long first = add(&t, "Kari Nordmann", tu_ymd(1990, 5, 12), NULL);
    char nin[12];
    struct bti_person_in p = {
        .name = "Kari Nordmann", .born = tu_ymd(1990, 5, 12), .nin = tu_nin(nin, 1990, 5, 12, 1)};
    ck_assert_int_eq(add_rc(&t, &p), BTI_ERULE);
    ck_assert_msg(hint_names(first), "hint: %s", bti_error_hint() ? bti_error_hint() : "(none)");
    p.nin = NULL;
    ck_assert_int_eq(add_rc(&t, &p), BTI_ERULE);
    ck_assert(hint_names(first));
    p.born = tu_ymd(1990, 5, 13); /* another birth date: another person */
    long long id;
    TU_TX(t.db, bti_person_add(t.db, &p, &id));
    tu_close(&t);
}
END_TEST

/* Issue 14, finding 8: a name that differs only in case, composition or
 * spaces is the same name; the name is stored in NFC. */
START_TEST(near_duplicate_name_refused_and_nfc_stored)
{
    struct tu_db t;
    char buf[64];
    tu_open(&t);
    long long first = add(&t, "C\xCC\x8C\x61\xCC\x81hppes Nils", tu_ymd(1990, 5, 12), NULL);
    ck_assert_str_eq(tu_query(&t, "SELECT name FROM person", buf, sizeof buf),
                     "\xC4\x8C\xC3\xA1hppes Nils");
    const char *near[] = {" \xC4\x8C\xC3\xA1hppes  Nils ", "\xC4\x8D\xC3\x81HPPES NILS",
                          "\xC4\x8C\xC3\xA1hppes\xC2\xA0Nils"};
    for (size_t i = 0; i < sizeof near / sizeof near[0]; i++) {
        struct bti_person_in p = {.name = near[i], .born = tu_ymd(1990, 5, 12)};
        ck_assert_int_eq(add_rc(&t, &p), BTI_ERULE);
        ck_assert(hint_names(first));
    }
    long long other;
    ck_assert_int_eq(bti_db_begin(t.db, 0), BTI_OK);
    ck_assert_int_eq(
        person_same_name(t.db, "\xC4\x8D\xC3\xA1hppes nils", tu_ymd(1990, 5, 12), first, &other),
        BTI_OK);
    ck_assert_int_eq(other, 0); /* the person itself does not count */
    bti_db_rollback(t.db);
    tu_close(&t);
}
END_TEST

START_TEST(edit_records_old_and_new_in_audit)
{
    struct tu_db t;
    tu_open(&t);
    long long id = add(&t, "Kari Nordman", tu_ymd(1990, 5, 12), NULL);
    struct bti_person_in e = {.name = "Kari Nordmann", .born = BTI_NO_DATE, .expected = -1};
    TU_TX(t.db, bti_person_edit(t.db, id, &e, "misspelt at intake"));
    char buf[128];
    const char *last = "SELECT %s FROM audit WHERE entity = 'person' ORDER BY id DESC LIMIT 1";
    char sql[160];
#define LAST(x) (snprintf(sql, sizeof sql, last, x), tu_query(&t, sql, buf, sizeof buf))
    ck_assert_str_eq(LAST("json_extract(change, '$.old.name')"), "Kari Nordman");
    ck_assert_str_eq(LAST("json_extract(change, '$.new.name')"), "Kari Nordmann");
    ck_assert_str_eq(LAST("json_extract(change, '$.reason')"), "misspelt at intake");
    ck_assert_str_eq(LAST("json_extract(change, '$.new.born')"), "1990-05-12");
    ck_assert_int_eq(atoll(LAST("entity_id")), id);
#undef LAST
    ck_assert_str_eq(tu_query(&t, "SELECT name FROM person", buf, sizeof buf), "Kari Nordmann");
    tu_close(&t);
}
END_TEST

START_TEST(edit_needs_reason_and_revalidates)
{
    struct tu_db t;
    tu_open(&t);
    char nin[12];
    long long id = add(&t, "Kari Nordmann", BTI_NO_DATE, tu_nin(nin, 1990, 5, 12, 0));
    long long audit = tu_count(&t, "SELECT count(*) FROM audit");
    struct bti_person_in e = {.name = "Kari Nordmann", .born = BTI_NO_DATE, .expected = -1};
    ck_assert_int_eq(bti_db_begin(t.db, 1), BTI_OK);
    int rc = bti_person_edit(t.db, id, &e, NULL);
    bti_db_rollback(t.db);
    ck_assert_int_ne(rc, BTI_OK);
    e.born = tu_ymd(1990, 5, 13); /* no longer agrees with the kept nin */
    TU_FAILS(t.db, bti_person_edit(t.db, id, &e, "typo"), BTI_EINVAL);
    e.born = tu_ymd(2026, 11, 23); /* after today */
    TU_FAILS(t.db, bti_person_edit(t.db, id, &e, "typo"), BTI_EINVAL);
    e.born = BTI_NO_DATE;
    e.name = "=Kari";
    TU_FAILS(t.db, bti_person_edit(t.db, id, &e, "typo"), BTI_EINVAL);
    TU_FAILS(t.db, bti_person_edit(t.db, 999, &e, "typo"), BTI_ENOTFOUND);
    ck_assert_int_eq(tu_count(&t, "SELECT count(*) FROM audit"), audit);
    char buf[32];
    ck_assert_str_eq(tu_query(&t, "SELECT born || name FROM person", buf, sizeof buf),
                     "1990-05-12Kari Nordmann");
    tu_close(&t);
}
END_TEST

START_TEST(edit_to_existing_person_refused)
{
    struct tu_db t;
    tu_open(&t);
    long long kari = add(&t, "Kari Nordmann", tu_ymd(1990, 5, 12), NULL);
    long long ola = add(&t, "Ola Nordmann", tu_ymd(1990, 5, 12), NULL);
    struct bti_person_in e = {.name = "Kari Nordmann", .born = BTI_NO_DATE, .expected = -1};
    TU_FAILS(t.db, bti_person_edit(t.db, ola, &e, "typo"), BTI_ERULE);
    ck_assert(hint_names(kari));
    tu_close(&t);
}
END_TEST

/* Persons with the Norwegian letters in upper and lower case. */
static void add_norwegians(struct tu_db *t, char nins[4][12])
{
    add(t, "Kari Ærlig", BTI_NO_DATE, tu_nin(nins[0], 1980, 1, 2, 0));
    add(t, "Ola Østby", BTI_NO_DATE, tu_nin(nins[1], 1981, 3, 4, 0));
    add(t, "Åse Ås", BTI_NO_DATE, tu_nin(nins[2], 1982, 5, 6, 0));
    add(t, "per hansen", BTI_NO_DATE, tu_nin(nins[3], 2001, 7, 8, 0));
}

/* The names of the persons listed by a name filter, '|'-joined. */
static const char *names_for(struct bti_db *db, const char *filter, struct tu_rows *r)
{
    memset(r, 0, sizeof *r);
    r->key = "name";
    struct bti_person_filter f = {.name = filter, .born = BTI_NO_DATE};
    ck_assert_int_eq(bti_person_list(db, &f, tu_collect, r), BTI_OK);
    return r->text;
}

START_TEST(list_filters_name_ignoring_case)
{
    struct tu_db t;
    tu_open(&t);
    char nins[4][12];
    add_norwegians(&t, nins);
    struct tu_rows r;
    ck_assert_str_eq(names_for(t.db, "ærlig", &r), "Kari Ærlig");
    ck_assert_str_eq(names_for(t.db, "ÆRLIG", &r), "Kari Ærlig");
    ck_assert_str_eq(names_for(t.db, "østby", &r), "Ola Østby");
    ck_assert_str_eq(names_for(t.db, "OLA ØSTBY", &r), "Ola Østby");
    ck_assert_str_eq(names_for(t.db, "åSE", &r), "Åse Ås");
    ck_assert_str_eq(names_for(t.db, "ÅS", &r), "Åse Ås");
    ck_assert_str_eq(names_for(t.db, "HANSEN", &r), "per hansen");
    ck_assert_str_eq(names_for(t.db, "nordmann", &r), "");
    ck_assert_str_eq(names_for(t.db, NULL, &r), "Kari Ærlig|Ola Østby|Åse Ås|per hansen");
    ck_assert_int_eq(r.n, 4);
    struct bti_person_filter f = {.born = tu_ymd(1981, 3, 4)};
    memset(&r, 0, sizeof r);
    ck_assert_int_eq(bti_person_list(t.db, &f, tu_collect, &r), BTI_OK);
    ck_assert_int_eq(r.n, 1);
    ck_assert_int_eq(r.ids[0], 2);
    tu_close(&t);
}
END_TEST

START_TEST(list_masks_nin_unless_identify)
{
    struct tu_db t;
    tu_open(&t);
    char nins[4][12], masked[64], want[64];
    add_norwegians(&t, nins);
    struct tu_rows r = {.key = "nin"};
    struct bti_person_filter f = {.name = "kari", .born = BTI_NO_DATE};
    ck_assert_int_eq(bti_person_list(t.db, &f, tu_collect, &r), BTI_OK);
    snprintf(masked, sizeof masked, "%.6s*****", nins[0]);
    ck_assert_str_eq(r.text, masked);
    ck_assert_ptr_null(strstr(r.text, nins[0] + 6));
    struct bti_ctx c = t.ctx;
    c.identify = 1;
    struct bti_db *db = tu_reopen(&t, &c);
    memset(&r, 0, sizeof r);
    r.key = "nin";
    ck_assert_int_eq(bti_person_list(db, &f, tu_collect, &r), BTI_OK);
    snprintf(want, sizeof want, "%s", nins[0]);
    ck_assert_str_eq(r.text, want);
    bti_db_close(db);
    tu_close(&t);
}
END_TEST

START_TEST(list_logs_access_with_ids)
{
    struct tu_db t;
    tu_open(&t);
    char nins[4][12], buf[128];
    add_norwegians(&t, nins);
    ck_assert_int_eq(tu_count(&t, "SELECT count(*) FROM access"), 0);
    struct tu_rows r = {0};
    struct bti_person_filter f = {.name = "A", .born = BTI_NO_DATE};
    TU_TX(t.db, bti_person_list(t.db, &f, tu_collect, &r)); /* logged as the read ends */
    ck_assert_int_eq(r.n, 3); /* Kari, Ola, per hansen: the Å of Åse is no A */
    ck_assert_int_eq(tu_count(&t, "SELECT count(*) FROM access"), 1);
    ck_assert_str_eq(tu_query(&t,
                              "SELECT entity || ' ' || what || ' ' || rows || ' ' || login"
                              " || ' ' || command FROM access",
                              buf, sizeof buf),
                     "person 1,2,4 3 tester test");
    tu_close(&t);
}
END_TEST

START_TEST(show_logs_access_and_masks_nin)
{
    struct tu_db t;
    tu_open(&t);
    char nins[4][12], buf[128];
    add_norwegians(&t, nins);
    long long rel;
    TU_TX(t.db, bti_relative_add(t.db, 2, "Anne Østby", "mother", 1, &rel));
    struct bti_referral_in in = {
        .person_id = 2, .source = "bti", .requests = "ip", .received = tu_ymd(2026, 11, 20)};
    struct bti_referral_out out;
    TU_TX(t.db, bti_referral_add(t.db, &in, &out));
    cJSON *obj = NULL;
    TU_TX(t.db, bti_person_show(t.db, 2, &obj)); /* logged as the read ends */
    ck_assert_ptr_nonnull(obj);
    ck_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(obj, "name")), "Ola Østby");
    ck_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(obj, "born")), "1981-03-04");
    const char *nin = cJSON_GetStringValue(cJSON_GetObjectItem(obj, "nin"));
    ck_assert_ptr_nonnull(nin);
    ck_assert_int_eq(strncmp(nin, nins[1], 6), 0);
    ck_assert_str_eq(nin + 6, "*****");
    ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(obj, "relatives")), 1);
    cJSON *cases = cJSON_GetObjectItem(obj, "cases");
    ck_assert_msg(cJSON_IsArray(cases), "no cases array (%s)", bti_error_last());
    ck_assert_int_eq(cJSON_GetArraySize(cases), 1);
    cJSON *c0 = cJSON_GetArrayItem(cases, 0);
    ck_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(c0, "status")), "received");
    ck_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(c0, "received")), "2026-11-20");
    cJSON_Delete(obj);
    ck_assert_str_eq(
        tu_query(&t, "SELECT entity || ' ' || what || ' ' || rows FROM access", buf, sizeof buf),
        "person 2 1");
    obj = NULL;
    ck_assert_int_eq(bti_person_show(t.db, 99, &obj), BTI_ENOTFOUND);
    ck_assert_ptr_null(obj);
    ck_assert_int_eq(tu_count(&t, "SELECT count(*) FROM access"), 1);
    tu_close(&t);
}
END_TEST

Suite *make_person_suite(void)
{
    Suite *s = suite_create("person");
    TCase *tc = tcase_create("person");
    tcase_set_timeout(tc, 30);
    tcase_add_unchecked_fixture(tc, tu_fixture_begin, tu_fixture_end);
    tcase_add_test(tc, add_with_agreeing_nin_and_born);
    tcase_add_test(tc, nin_gives_missing_born);
    tcase_add_test(tc, nin_disagreeing_with_born_refused);
    tcase_add_test(tc, born_after_today_refused);
    tcase_add_test(tc, nin_born_after_today_refused);
    tcase_add_test(tc, expected_child_in_future_without_nin);
    tcase_add_test(tc, names_with_formula_lead_refused);
    tcase_add_test(tc, duplicate_nin_refused_with_hint);
    tcase_add_test(tc, duplicate_name_and_born_refused_with_hint);
    tcase_add_test(tc, near_duplicate_name_refused_and_nfc_stored);
    tcase_add_test(tc, edit_records_old_and_new_in_audit);
    tcase_add_test(tc, edit_needs_reason_and_revalidates);
    tcase_add_test(tc, edit_to_existing_person_refused);
    tcase_add_test(tc, list_filters_name_ignoring_case);
    tcase_add_test(tc, list_masks_nin_unless_identify);
    tcase_add_test(tc, list_logs_access_with_ids);
    tcase_add_test(tc, show_logs_access_and_masks_nin);
    suite_add_tcase(s, tc);
    return s;
}
