/* Unit tests of lib/store/caches.c and migration 18's triggers (issue 19):
 * request_standing equals what the audited rows give after every kind of
 * write (new requests, decisions, voids, appeals, closes and reopens,
 * imports, erasures), and a bulk load's put-off rebuilds it.  Only
 * synthetic persons. */
#include <check.h>
#include <string.h>
#include "store/store.h"
#include "store/caches.h"
#include "bti/case.h"
#include "bti/coordinator.h"
#include "bti/decision.h"
#include "bti/import.h"
#include "bti/plan.h"
#include "bti/privacy.h"
#include "testutil.h"

/* The requests whose row of request_standing differs from the computed
 * one, missing ones and ones left over included. */
#define STALE                                                                                      \
    "SELECT count(*) FROM (SELECT * FROM (" CACHES_REQUEST_STANDING                                \
    " EXCEPT SELECT * FROM request_standing) UNION ALL SELECT * FROM (SELECT * FROM"               \
    " request_standing EXCEPT " CACHES_REQUEST_STANDING "))"

/* Require the cache to equal the computed rows, after `what`, and to hold
 * `rows` rows. */
static void assert_fresh(const struct tu_db *t, const char *what, long long rows)
{
    ck_assert_msg(tu_count(t, STALE) == 0, "request_standing is stale after %s", what);
    ck_assert_int_eq(tu_count(t, "SELECT count(*) FROM request_standing"), rows);
}

/* One column of case_id's request for item in the cache, as text. */
static char *standing(const struct tu_db *t, long long case_id, const char *item,
                      const char *column, char *buf, size_t size)
{
    char sql[256];
    snprintf(sql, sizeof sql,
             "SELECT coalesce(%s, 'null') FROM request_standing WHERE case_id = %lld"
             " AND item = '%s'",
             column, case_id, item);
    return tu_query(t, sql, buf, size);
}

START_TEST(standing_follows_decisions_voids_appeals_and_closes)
{
    struct tu_db t;
    struct bti_step s;
    char buf[64];
    long long unit, id;
    enum bti_state before;
    tu_open(&t);
    long long c = tu_referred_case(&t, "coordinator,ip");
    assert_fresh(&t, "a referral", 2);
    ck_assert_str_eq(standing(&t, c, "ip", "outcome", buf, sizeof buf), "null");
    TU_TX(t.db, bti_unit_add(t.db, "Hjem", &unit));
    struct bti_decide_in d = {.case_id = c,
                              .grant = 1,
                              .covers = "coordinator",
                              .unit_id = unit,
                              .decided = tu_ymd(2026, 10, 5),
                              .notified = BTI_NO_DATE};
    long long first;
    TU_TX(t.db, bti_decide(t.db, &d, &first, &s));
    assert_fresh(&t, "a decision", 2);
    ck_assert_str_eq(standing(&t, c, "coordinator", "on_date", buf, sizeof buf), "2026-10-05");
    ck_assert_str_eq(standing(&t, c, "ip", "outcome", buf, sizeof buf), "null");
    TU_TX(t.db, bti_decision_void(t.db, c, first, "registrert feil", &s));
    assert_fresh(&t, "a void", 2);
    ck_assert_str_eq(standing(&t, c, "coordinator", "outcome", buf, sizeof buf), "null");
    d.covers = NULL, d.grant = 0, d.reason = "ikke behov", d.unit_id = 0;
    d.decided = tu_ymd(2026, 10, 7), d.notified = tu_ymd(2026, 10, 8);
    long long denial;
    TU_TX(t.db, bti_decide(t.db, &d, &denial, &s));
    assert_fresh(&t, "a denial", 2);
    ck_assert_str_eq(standing(&t, c, "ip", "outcome", buf, sizeof buf), "denied");
    struct bti_appeal_in a = {.case_id = c,
                              .decision_id = denial,
                              .received = tu_ymd(2026, 10, 9),
                              .posted = BTI_NO_DATE};
    TU_TX(t.db, bti_appeal_add(t.db, &a, &id, &s));
    assert_fresh(&t, "an appeal", 2);
    struct bti_appeal_result_in r = {.case_id = c,
                                     .decision_id = denial,
                                     .result = "reversed",
                                     .by = "ke",
                                     .unit_id = unit,
                                     .date = tu_ymd(2026, 10, 20)};
    TU_TX(t.db, bti_appeal_result(t.db, &r, &id, &s));
    assert_fresh(&t, "an appeal reversed", 2);
    ck_assert_str_eq(standing(&t, c, "ip", "outcome", buf, sizeof buf), "granted");
    ck_assert_str_eq(standing(&t, c, "ip", "on_date", buf, sizeof buf), "2026-10-20");
    ck_assert_str_eq(standing(&t, c, "ip", "open", buf, sizeof buf), "1");
    TU_TX(t.db, bti_case_close(t.db, c, "other", BTI_NO_DATE, &before));
    assert_fresh(&t, "a close", 2);
    ck_assert_str_eq(standing(&t, c, "ip", "open", buf, sizeof buf), "0");
    enum bti_state after;
    TU_TX(t.db, bti_case_reopen(t.db, c, "feil lukket", &after));
    assert_fresh(&t, "a reopen", 2);
    ck_assert_str_eq(standing(&t, c, "ip", "open", buf, sizeof buf), "1");
    struct bti_referral_in more = {.case_id = c, .source = "bti", .requests = "child"};
    struct bti_referral_out out;
    TU_TX(t.db, bti_referral_add(t.db, &more, &out));
    assert_fresh(&t, "a later referral", 3);
    tu_close(&t);
}
END_TEST

START_TEST(standing_follows_an_import_and_an_erasure)
{
    struct tu_db t;
    long long unit, rows;
    tu_open(&t);
    TU_TX(t.db, bti_unit_add(t.db, "Hjembaserte tjenester", &unit));
    static const char csv[] =
        "name;source;requests;received;status;unit;decided;closed;close_cause\n"
        "Kari Testesen;bti;ip;2026-01-02;received;;;;\n"
        "Ola Prøvesen;bti;ip,coordinator;2026-01-02;granted;Hjembaserte "
        "tjenester;2026-01-05;;\n"
        "Åse Øvreås;bti;coordinator;2026-01-02;closed;;;2026-02-01;moved\n";
    struct bti_import_in in = {
        .what = BTI_IMPORT_CASES, .name = "f.csv", .data = csv, .len = strlen(csv)};
    struct bti_import_out out;
    TU_TX(t.db, bti_import(t.db, &in, &out));
    assert_fresh(&t, "an import (a bulk load: triggers put off, the cache rebuilt)", 4);
    ck_assert_int_eq(tu_count(&t, "SELECT count(*) FROM request_standing WHERE open"
                                  " AND outcome = 'granted'"),
                     2);
    /* fewer rows than cases: the triggers keep the cache row by row */
    static const char more[] =
        "name;source;requests;received;status;unit;decided;closed;close_cause\n"
        "Per Fiktivsen;bti;child;2026-01-03;granted;Hjembaserte "
        "tjenester;2026-01-06;;\n";
    in.data = more, in.len = strlen(more);
    TU_TX(t.db, bti_import(t.db, &in, &out));
    assert_fresh(&t, "an import row by row", 5);
    TU_TX(t.db, bti_person_erase(t.db, 3, "slettet etter klage", &rows));
    assert_fresh(&t, "an erasure", 5);
    tu_close(&t);
}
END_TEST

/* A bulk load puts off the cache's triggers with the indexes and rebuilds
 * the cache after (restore's way). */
/* The requests whose status by CACHES_STATUS_OF differs from the
 * item_status view's (the rule's one definition in the schema). */
#define STATUS_DIFFERS                                                                             \
    "SELECT count(*) FROM request_standing s JOIN item_status i ON i.case_id = s.case_id"          \
    " AND i.item = s.item WHERE i.status IS NOT " CACHES_STATUS_OF("s")

/* Require every status of SPEC section 2 to be given alike by both. */
static void assert_status_agrees(const struct tu_db *t, const char *what)
{
    ck_assert_msg(tu_count(t, STATUS_DIFFERS) == 0, "CACHES_STATUS_OF differs after %s", what);
}

START_TEST(status_of_agrees_with_item_status)
{
    struct tu_db t;
    long long unit, coordinator, id;
    struct bti_assign_out out;
    tu_open(&t);
    long long c = tu_granted_case(&t, "coordinator,ip", &unit);
    struct bti_referral_in more = {.case_id = c, .source = "bti", .requests = "child"};
    struct bti_referral_out later;
    TU_TX(t.db, bti_referral_add(t.db, &more, &later));
    assert_status_agrees(&t, "a grant and a request undecided");
    struct bti_coordinator_in k = {.name = "Koordinator Test", .unit_id = unit};
    TU_TX(t.db, bti_coordinator_add(t.db, &k, &coordinator));
    struct bti_assign_in a = {.case_id = c,
                              .coordinator_id = coordinator,
                              .start = BTI_NO_DATE,
                              .confirmed = BTI_NO_DATE};
    TU_TX(t.db, bti_assign(t.db, &a, &id, &out));
    TU_TX(t.db, bti_plan_start(t.db, c, "IP-1", BTI_NO_DATE, &id));
    TU_TX(t.db, bti_plan_end(t.db, c, "behovet er borte", 1, BTI_NO_DATE));
    assert_status_agrees(&t, "a plan ended with its need");
    struct bti_end_in e = {.case_id = c, .reason = "behovet er borte", .date = BTI_NO_DATE};
    TU_TX(t.db, bti_assignment_end(t.db, &e, &id, &out));
    assert_status_agrees(&t, "an assignment ended with its need");
    struct bti_decide_in d = {.case_id = c,
                              .covers = "child",
                              .reason = "ikke behov",
                              .decided = BTI_NO_DATE,
                              .notified = BTI_NO_DATE};
    struct bti_step s;
    TU_TX(t.db, bti_decide(t.db, &d, &id, &s));
    assert_status_agrees(&t, "a denial");
    /* each status was there to compare: ended (both ways), denied */
    ck_assert_int_eq(tu_count(&t, "SELECT count(*) FROM item_status WHERE status = 'ended'"), 2);
    ck_assert_int_eq(tu_count(&t, "SELECT count(*) FROM item_status WHERE status = 'denied'"), 1);
    tu_close(&t);
}
END_TEST

START_TEST(put_off_rebuilds_the_cache)
{
    struct tu_db t;
    struct db_put_off p = {0};
    tu_open(&t);
    long long c = tu_referred_case(&t, "coordinator,ip");
    (void)c;
    ck_assert_int_eq(bti_db_begin(t.db, 1), BTI_OK);
    ck_assert_int_eq(db_indexes_put_off(t.db, NULL, &p), 0);
    ck_assert_int_eq(p.caches, 1);
    ck_assert_int_eq(sqlite3_exec(t.db->h, "DELETE FROM request_standing", NULL, NULL, NULL),
                     SQLITE_OK);
    ck_assert_int_eq(db_indexes_build(t.db, &p), 0);
    ck_assert_int_eq(bti_db_commit(t.db), BTI_OK);
    assert_fresh(&t, "a bulk load", 2);
    ck_assert_int_eq(tu_count(&t, "SELECT count(*) FROM sqlite_master WHERE type = 'trigger'"
                                  " AND name LIKE 'cache_%'"),
                     13);
    tu_close(&t);
}
END_TEST

Suite *make_caches_suite(void)
{
    Suite *s = suite_create("caches");
    TCase *tc = tcase_create("caches");
    tcase_add_unchecked_fixture(tc, tu_fixture_begin, tu_fixture_end);
    tcase_add_test(tc, standing_follows_decisions_voids_appeals_and_closes);
    tcase_add_test(tc, standing_follows_an_import_and_an_erasure);
    tcase_add_test(tc, status_of_agrees_with_item_status);
    tcase_add_test(tc, put_off_rebuilds_the_cache);
    suite_add_tcase(s, tc);
    return s;
}
