/* Every statement a point command runs uses an index on the large tables:
 * the statements are captured with SQLite's trace hook while the library
 * runs case show, person show, referral add and the like on a small story,
 * and each one's EXPLAIN QUERY PLAN must not scan a large table. */
#include <check.h>
#include <string.h>
#include "../../lib/internal.h"
#include "bti/case.h"
#include "bti/consent.h"
#include "bti/coordinator.h"
#include "bti/decision.h"
#include "bti/person.h"
#include "bti/plan.h"
#include "bti/unit.h"
#include "testutil.h"

/* Tables that grow with the cases; a full scan of one is a bug in a point
 * command. */
static const char *const large[] = {
    "person",     "relative", "ke_case",      "referral",      "request",
    "consent",    "review",   "decision",     "decision_item", "appeal",
    "assignment", "plan",     "goal",         "measure",       "audit",
    "access",     "closure",  "group_member", "group_meeting", "preliminary_reply",
    NULL,
};

#define MAX_SQL 256

struct captured {
    char *sql[MAX_SQL];
    int n;
};

/* The trace hook: keep each distinct statement's text. */
static int capture(unsigned type, void *arg, void *p, void *x)
{
    struct captured *c = arg;
    (void)type, (void)x;
    const char *sql = sqlite3_sql(p);
    for (int i = 0; sql && i < c->n; i++)
        if (strcmp(c->sql[i], sql) == 0)
            return 0;
    if (sql && c->n < MAX_SQL && strncmp(sql, "PRAGMA", 6) != 0)
        c->sql[c->n++] = strdup(sql);
    return 0;
}

/* Whether a plan line scans, without an index, a name that is no table:
 * an alias, whose table the line does not name (a subquery's own rows are
 * no table's). */
static int scans_alias(sqlite3 *h, const char *detail)
{
    char name[64];
    if (sscanf(detail, "SCAN %63s", name) != 1 || name[0] == '(' || strstr(detail, "USING"))
        return 0;
    sqlite3_stmt *st;
    ck_assert_int_eq(sqlite3_prepare_v2(h, "SELECT 1 FROM sqlite_schema WHERE name = ?", -1, &st,
                                        NULL), SQLITE_OK);
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    int table = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
    return !table;
}

/* Fail when the plan of sql scans a large table without an index. */
static void check_plan(sqlite3 *h, const char *sql)
{
    char eqp[8192];
    sqlite3_stmt *st;
    snprintf(eqp, sizeof eqp, "EXPLAIN QUERY PLAN %s", sql);
    if (sqlite3_prepare_v2(h, eqp, -1, &st, NULL) != SQLITE_OK)
        return; /* not a query (BEGIN, COMMIT) */
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *detail = (const char *)sqlite3_column_text(st, 3);
        for (const char *const *t = large; *t; t++) {
            char scan[64];
            snprintf(scan, sizeof scan, "SCAN %s", *t);
            size_t n = strlen(scan);
            int hit = strncmp(detail, scan, n) == 0 && (detail[n] == '\0' || detail[n] == ' ');
            ck_assert_msg(!hit || strstr(detail, "USING"), "'%s' in: %s", detail, sql);
        }
        /* a view built whole reads every row of its tables, whatever the
         * plan calls them; and an alias hides the table's name from SCAN */
        ck_assert_msg(strncmp(detail, "MATERIALIZE", 11) != 0, "'%s' in: %s", detail, sql);
        ck_assert_msg(!scans_alias(h, detail), "'%s' in: %s", detail, sql);
    }
    sqlite3_finalize(st);
}

/* A small story: a unit, a person's case with consent, a grant, a
 * coordinator and a plan. */
static void story(struct tu_db *t, long long *case_id)
{
    long long unit, id;
    struct bti_person_in p = {.name = "Kari Testesen", .born = tu_ymd(1970, 1, 2)};
    struct bti_referral_in r = {.person = &p,
                                .source = "plo",
                                .requests = "coordinator,ip",
                                .received = tu_ymd(2026, 10, 1)};
    struct bti_referral_out out;
    TU_TX(t->db, bti_unit_add(t->db, "Hjem", &unit));
    TU_TX(t->db, bti_referral_add(t->db, &r, &out));
    *case_id = out.case_id;
    struct bti_consent_in c = {.case_id = out.case_id,
                               .scope = "plan",
                               .by = "user",
                               .parties = "all",
                               .given = BTI_NO_DATE};
    TU_TX(t->db, bti_consent_give(t->db, &c, &id));
    struct bti_decide_in d = {.case_id = out.case_id,
                              .grant = 1,
                              .unit_id = unit,
                              .decided = BTI_NO_DATE,
                              .notified = BTI_NO_DATE};
    struct bti_step s;
    TU_TX(t->db, bti_decide(t->db, &d, &id, &s));
    struct bti_coordinator_in k = {.name = "Anne Koordinator", .unit_id = unit};
    long long coordinator;
    TU_TX(t->db, bti_coordinator_add(t->db, &k, &coordinator));
    struct bti_assign_in a = {.case_id = out.case_id,
                              .coordinator_id = coordinator,
                              .start = BTI_NO_DATE,
                              .confirmed = BTI_NO_DATE};
    struct bti_assign_out ao;
    TU_TX(t->db, bti_assign(t->db, &a, &id, &ao));
    TU_TX(t->db, bti_plan_start(t->db, out.case_id, NULL, BTI_NO_DATE, &id));
}

/* Issue 12's point commands: a stand-in and its end, the end of the
 * regular assignment, a close and a reopen that restores it. */
static void stand_in_and_end(struct tu_db *t, long long case_id)
{
    long long id, k2;
    enum bti_state before, after;
    struct bti_coordinator_in k = {.name = "Bjørn Vikar", .unit_id = 1};
    TU_TX(t->db, bti_coordinator_add(t->db, &k, &k2));
    struct bti_assign_in a = {.case_id = case_id,
                              .coordinator_id = k2,
                              .reason = "permisjon",
                              .start = BTI_NO_DATE,
                              .confirmed = BTI_NO_DATE,
                              .temporary = 1,
                              .until = tu_ymd(2030, 1, 1)};
    struct bti_assign_out ao;
    TU_TX(t->db, bti_assign(t->db, &a, &id, &ao));
    struct bti_end_in e = {
        .case_id = case_id, .temporary = 1, .reason = "tilbake", .date = BTI_NO_DATE};
    TU_TX(t->db, bti_assignment_end(t->db, &e, &id, &ao));
    TU_TX(t->db, bti_case_close(t->db, case_id, "other", BTI_NO_DATE, &before));
    TU_TX(t->db, bti_case_reopen(t->db, case_id, "feil", &after));
    e.temporary = 0;
    e.need_continues = 1;
    TU_TX(t->db, bti_assignment_end(t->db, &e, &id, &ao));
}

/* Run the point commands with the trace on. */
static void point_commands(struct tu_db *t, long long case_id, struct captured *c)
{
    cJSON *obj;
    long long id;
    struct bti_person_in p = {.name = "Ola Prøvesen", .born = tu_ymd(1980, 5, 6)};
    struct bti_referral_in r = {
        .person = &p, .source = "bti", .requests = "ip", .received = BTI_NO_DATE};
    struct bti_referral_out out;
    sqlite3_trace_v2(t->db->h, SQLITE_TRACE_STMT, capture, c);
    TU_TX(t->db, bti_case_show(t->db, case_id, &obj));
    cJSON_Delete(obj);
    TU_TX(t->db, bti_person_show(t->db, 1, &obj));
    cJSON_Delete(obj);
    TU_TX(t->db, bti_plan_show(t->db, case_id, &obj));
    cJSON_Delete(obj);
    TU_TX(t->db, bti_coordinator_show(t->db, 1, &obj));
    cJSON_Delete(obj);
    TU_TX(t->db, bti_referral_add(t->db, &r, &out));
    TU_TX(t->db, bti_entity_get(t->db, "ke_case", out.case_id, &obj));
    cJSON_Delete(obj);
    stand_in_and_end(t, case_id);
    (void)id;
    sqlite3_trace_v2(t->db->h, 0, NULL, NULL);
}

START_TEST(point_commands_use_indexes)
{
    struct tu_db t;
    struct captured c = {0};
    long long case_id;
    tu_open(&t);
    story(&t, &case_id);
    point_commands(&t, case_id, &c);
    ck_assert_int_gt(c.n, 20);
    sqlite3 *h = tu_raw(t.path);
    for (int i = 0; i < c.n; i++) {
        check_plan(h, c.sql[i]);
        free(c.sql[i]);
    }
    sqlite3_close(h);
    tu_close(&t);
}
END_TEST

Suite *make_plans_suite(void)
{
    Suite *s = suite_create("plans");
    TCase *tc = tcase_create("plans");
    tcase_add_unchecked_fixture(tc, tu_fixture_begin, tu_fixture_end);
    tcase_add_test(tc, point_commands_use_indexes);
    suite_add_tcase(s, tc);
    return s;
}
