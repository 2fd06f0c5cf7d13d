/* Every statement a point command runs uses an index on the large tables:
 * the statements are captured with SQLite's trace hook while the library
 * runs case show, person show, referral add and the like on a small story,
 * and each one's EXPLAIN QUERY PLAN must not scan a large table. */
#include <check.h>
#include <string.h>
#include "store/store.h"
#include "bti/case.h"
#include "bti/consent.h"
#include "bti/coordinator.h"
#include "bti/decision.h"
#include "bti/person.h"
#include "bti/plan.h"
#include "bti/report.h"
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
    ck_assert_int_eq(
        sqlite3_prepare_v2(h, "SELECT 1 FROM sqlite_schema WHERE name = ?", -1, &st, NULL),
        SQLITE_OK);
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
        /* a view built whole, or an index built for one statement, reads
         * its tables in full whatever aliases the plan names them by */
        ck_assert_msg(!strstr(detail, "MATERIALIZE") && !strstr(detail, "AUTOMATIC"), "'%s' in: %s",
                      detail, sql);
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
    *case_id = tu_granted_case(t, "coordinator,ip", &unit);
    struct bti_coordinator_in k = {.name = "Anne Koordinator", .unit_id = unit};
    long long coordinator;
    TU_TX(t->db, bti_coordinator_add(t->db, &k, &coordinator));
    struct bti_assign_in a = {.case_id = *case_id,
                              .coordinator_id = coordinator,
                              .start = BTI_NO_DATE,
                              .confirmed = BTI_NO_DATE};
    struct bti_assign_out ao;
    TU_TX(t->db, bti_assign(t->db, &a, &id, &ao));
    TU_TX(t->db, bti_plan_start(t->db, *case_id, NULL, BTI_NO_DATE, &id));
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

/* Append the EXPLAIN QUERY PLAN lines of sql to plans (size bytes). */
static void plan_text(sqlite3 *h, const char *sql, char *plans, size_t size)
{
    char *eqp = sqlite3_mprintf("EXPLAIN QUERY PLAN %s", sql);
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(h, eqp, -1, &st, NULL);
    sqlite3_free(eqp);
    if (rc != SQLITE_OK)
        return; /* not a query (BEGIN, COMMIT) */
    while (sqlite3_step(st) == SQLITE_ROW) {
        size_t len = strlen(plans);
        snprintf(plans + len, size - len, "%s\n", (const char *)sqlite3_column_text(st, 3));
    }
    sqlite3_finalize(st);
}

/* The duplicate-person check (a referral for a new person) reads the
 * names of those born that day from person_born alone (migration 20),
 * not each one's row; *seen counts it. */
static void check_duplicate_plan(sqlite3 *h, const char *sql, int *seen)
{
    if (strncmp(sql, "SELECT id, name FROM person WHERE born", 38) != 0)
        return;
    static char plans[4096];
    plans[0] = '\0';
    plan_text(h, sql, plans, sizeof plans);
    ck_assert_msg(strstr(plans, "USING COVERING INDEX person_born (born=?)"), "%s", plans);
    ++*seen;
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
    int duplicate_checks = 0;
    for (int i = 0; i < c.n; i++) {
        check_plan(h, c.sql[i]);
        check_duplicate_plan(h, c.sql[i], &duplicate_checks);
        free(c.sql[i]);
    }
    ck_assert_int_eq(duplicate_checks, 1);
    sqlite3_close(h);
    tu_close(&t);
}
END_TEST

/* A stand-in for bti's own SQL functions, which a plan only names. */
static void stub_fn(sqlite3_context *ctx, int argc, sqlite3_value **v)
{
    (void)argc, (void)v;
    sqlite3_result_null(ctx);
}

/* The plans of the statements captured on the database at path, into
 * plans (size bytes); the captured texts are freed.  bti's SQL functions
 * are stubs, for a plan does not call them. */
static void plan_captured(const char *path, struct captured *c, char *plans, size_t size)
{
    sqlite3 *h = tu_raw(path);
    sqlite3_create_function(h, "bti_add_months", 2, SQLITE_UTF8, NULL, stub_fn, NULL, NULL);
    sqlite3_create_function(h, "bti_case_allowed", 1, SQLITE_UTF8, NULL, stub_fn, NULL, NULL);
    plans[0] = '\0';
    for (int i = 0; i < c->n; i++) {
        plan_text(h, c->sql[i], plans, size);
        free(c->sql[i]);
    }
    sqlite3_close(h);
}

/* The plans of the statements a report of the first half of 2026 runs
 * (run: bti_report_semiannual or the like) on the story's database, into
 * plans (size bytes). */
static void report_plans(int (*run)(struct bti_db *, const struct bti_period *, int, cJSON **),
                         char *plans, size_t size)
{
    struct tu_db t;
    struct captured c = {0};
    long long case_id;
    cJSON *report;
    tu_open(&t);
    story(&t, &case_id);
    struct bti_period p = {.from = tu_ymd(2026, 1, 1), .to = tu_ymd(2026, 6, 30)};
    sqlite3_trace_v2(t.db->h, SQLITE_TRACE_STMT, capture, &c);
    TU_TX(t.db, run(t.db, &p, 0, &report));
    sqlite3_trace_v2(t.db->h, 0, NULL, NULL);
    cJSON_Delete(report);
    plan_captured(t.path, &c, plans, size);
    tu_close(&t);
}

/* Whether the plan of sql sorts its own rows (a sort at its top level,
 * not one of a subquery's). */
static int sorts_its_rows(sqlite3 *h, const char *sql)
{
    char *eqp = sqlite3_mprintf("EXPLAIN QUERY PLAN %s", sql);
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(h, eqp, -1, &st, NULL), sorts = 0;
    sqlite3_free(eqp);
    while (rc == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) {
        const char *detail = (const char *)sqlite3_column_text(st, 3);
        sorts |=
            sqlite3_column_int(st, 1) == 0 && strcmp(detail, "USE TEMP B-TREE FOR ORDER BY") == 0;
    }
    sqlite3_finalize(st);
    return sorts;
}

/* Issue 19: report semiannual reads the assignments begun in the period
 * and those running at its end from covering indexes (the latter only the
 * running ones), and joins from the decisions of the period, sorted,
 * never from every request. */
START_TEST(semiannual_uses_its_indexes)
{
    static char plans[65536];
    report_plans(bti_report_semiannual, plans, sizeof plans);
    ck_assert_msg(strstr(plans, "COVERING INDEX assignment_period (start>? AND start<?)"), "%s",
                  plans);
    ck_assert_msg(strstr(plans, "COVERING INDEX assignment_running (end=? AND start<?)"), "%s",
                  plans);
    ck_assert_msg(strstr(plans, "COVERING INDEX assignment_running (end>?)"), "%s", plans);
    /* the running ones as two ranges, not an OR that gathers their rowids */
    ck_assert_msg(!strstr(plans, "MULTI-INDEX OR"), "%s", plans);
    /* the decisions of the period sorted first, so that what each one
     * looks up is read in file order */
    ck_assert_msg(strstr(plans,
                         "CO-ROUTINE d\nSEARCH decision USING COVERING INDEX decision_decided"
                         " (decided>? AND decided<?)\nUSE TEMP B-TREE FOR ORDER BY\n"),
                  "%s", plans);
    ck_assert_msg(strstr(plans, "SEARCH referral USING COVERING INDEX referral_received"), "%s",
                  plans);
    ck_assert_msg(!strstr(plans, "USING INDEX decision_decided"), "%s", plans);
    ck_assert_msg(!strstr(plans, "SCAN q") && !strstr(plans, "SCAN request"), "%s", plans);
}
END_TEST

/* A row callback that keeps nothing. */
static int drop_row(const struct bti_row *row, void *arg)
{
    (void)row, (void)arg;
    return 0;
}

/* Report coordinators (and the coordinators chart) counts the
 * assignments running at the period's end as two ranges of the covering
 * index, not an OR that gathers their rowids in a set. */
START_TEST(coordinators_read_running_as_two_ranges)
{
    static char plans[65536];
    report_plans(bti_report_coordinators, plans, sizeof plans);
    /* the running counts (r), up to the begun ones (s) */
    char *running = strstr(plans, "MATERIALIZE r\n"), *begun = strstr(plans, "MATERIALIZE s\n");
    ck_assert_msg(running && begun && running < begun, "%s", plans);
    *begun = '\0';
    ck_assert_msg(strstr(running,
                         "COVERING INDEX assignment_running (end=? AND start<?)\n"
                         "UNION ALL\n"
                         "SEARCH assignment USING COVERING INDEX assignment_running (end>?)"),
                  "%s", running);
    ck_assert_msg(!strstr(running, "MULTI-INDEX OR"), "%s", running);
}
END_TEST

/* Issue 19: due reads the open requests, the decisions not notified and
 * the items whose need ended from partial indexes, not the whole history;
 * the closed cases, the running assignments, the open requests and the
 * decisions not notified in the order of theirs. */
START_TEST(due_uses_its_partial_indexes)
{
    struct tu_db t;
    struct captured c = {0};
    long long case_id;
    static char plans[65536];
    tu_open(&t);
    story(&t, &case_id);
    struct bti_due_filter f = {.retention_years = 10};
    sqlite3_trace_v2(t.db->h, SQLITE_TRACE_STMT, capture, &c);
    TU_TX(t.db, bti_report_due(t.db, &f, drop_row, NULL));
    sqlite3_trace_v2(t.db->h, 0, NULL, NULL);
    sqlite3 *h = tu_raw(t.path);
    sqlite3_create_function(h, "bti_add_months", 2, SQLITE_UTF8, NULL, stub_fn, NULL, NULL);
    sqlite3_create_function(h, "bti_case_allowed", 1, SQLITE_UTF8, NULL, stub_fn, NULL, NULL);
    plans[0] = '\0';
    int sorted = 0;
    for (int i = 0; i < c.n; i++) {
        plan_text(h, c.sql[i], plans, sizeof plans);
        sorted += sorts_its_rows(h, c.sql[i]);
        free(c.sql[i]);
    }
    sqlite3_close(h);
    /* two statements sort their rows: the small arms' and the cases
     * closed on a 29 February (one day in 1,461) */
    ck_assert_int_eq(sorted, 2);
    ck_assert_msg(strstr(plans, "SCAN d USING INDEX decision_unnotified"), "due: no %s",
                  "SCAN d USING INDEX decision_unnotified");
    ck_assert_msg(strstr(plans, "INDEX assignment_need_ended"), "due: no %s",
                  "INDEX assignment_need_ended");
    ck_assert_msg(strstr(plans, "INDEX plan_need_ended"), "due: no %s", "INDEX plan_need_ended");
    /* and the arms that grow with the history in an index's order */
    ck_assert_msg(strstr(plans, "SCAN c USING INDEX ke_case_closed"), "due: no %s",
                  "SCAN c USING INDEX ke_case_closed");
    ck_assert_msg(strstr(plans, "SEARCH c USING INDEX ke_case_closed (closed<?)"), "due: no %s",
                  "SEARCH c USING INDEX ke_case_closed (closed<?)");
    ck_assert_msg(strstr(plans, "SCAN a USING INDEX assignment_unconfirmed"), "due: no %s",
                  "SCAN a USING INDEX assignment_unconfirmed");
    /* the persons erased already read once, not looked up for every case */
    ck_assert_msg(strstr(plans, "LIST SUBQUERY"), "due: no %s", "LIST SUBQUERY of the erased");
    ck_assert_msg(!strstr(plans, "audit_entity (entity=? AND entity_id=?)"), "due: %s",
                  "the audit looked up for every closed case");
    /* and the open requests and decisions, by request_standing (issue 19) */
    static const char *const ordered[] = {
        "SCAN d USING INDEX decision_unnotified_day",
        "SCAN s USING INDEX request_standing_granted",
        "SCAN s USING INDEX request_standing_undecided",
        "SEARCH o USING INDEX request_standing_case (case_id=?)",
        /* ... whose items and ended needs come from indexes (issue 19d) */
        "SEARCH a USING INDEX assignment_need_ended (case_id=? AND kind=?)",
        /* and the stand-ins and barnekoordinatorer from the running ones */
        "SCAN a USING INDEX assignment_one_running",
    };
    for (size_t i = 0; i < sizeof ordered / sizeof ordered[0]; i++)
        ck_assert_msg(strstr(plans, ordered[i]), "due: no %s", ordered[i]);
    tu_close(&t);
}
END_TEST

Suite *make_plans_suite(void)
{
    Suite *s = suite_create("plans");
    TCase *tc = tcase_create("plans");
    tcase_add_unchecked_fixture(tc, tu_fixture_begin, tu_fixture_end);
    tcase_add_test(tc, point_commands_use_indexes);
    tcase_add_test(tc, semiannual_uses_its_indexes);
    tcase_add_test(tc, coordinators_read_running_as_two_ranges);
    tcase_add_test(tc, due_uses_its_partial_indexes);
    suite_add_tcase(s, tc);
    return s;
}
