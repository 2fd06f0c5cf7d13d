/* Unit tests of lib/store/db.c, lib/store/schema.c and lib/base/config.c:
 * creating and opening the database file safely, the connection's pragmas,
 * migrations, roles, transactions and /etc/bti.conf. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "bti/config.h"
#include "bti/coordinator.h"
#include "bti/db.h"
#include "bti/error.h"
#include "bti/unit.h"
#include "bti/user.h"
#include "store/store.h"
#include "testutil.h"

/* Write text to the file at path. */
static void write_file(const char *path, const char *text)
{
    FILE *fp = fopen(path, "w");
    ck_assert_ptr_nonnull(fp);
    fputs(text, fp);
    fclose(fp);
}

/* The text of one PRAGMA on the handle's own connection. */
static char *pragma(struct bti_db *db, const char *sql, char *buf, size_t size)
{
    return tu_text(db->h, sql, buf, size);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

START_TEST(create_makes_file_0600)
{
    struct tu_db t;
    tu_open(&t);
    struct stat st;
    ck_assert_int_eq(lstat(t.path, &st), 0);
    ck_assert(S_ISREG(st.st_mode));
    ck_assert_int_eq(st.st_mode & 07777, 0600);
    tu_close(&t);
}
END_TEST

START_TEST(create_makes_missing_directory_0700)
{
    struct tu_db t;
    tu_prepare(&t);
    char sub[64];
    snprintf(sub, sizeof sub, "%s/sub", t.dir);
    snprintf(t.path, sizeof t.path, "%s/bti.db", sub);
    tu_create(&t);
    struct stat st;
    ck_assert_int_eq(lstat(sub, &st), 0);
    ck_assert_int_eq(st.st_mode & 07777, 0700);
    tu_close(&t);
}
END_TEST

START_TEST(create_refuses_existing_file)
{
    struct tu_db t;
    tu_prepare(&t);
    write_file(t.path, "keep me\n");
    struct bti_db *db = (struct bti_db *)1;
    ck_assert_int_eq(bti_db_create(&db, t.path, &t.ctx), BTI_ERULE);
    ck_assert_ptr_null(db);
    char buf[32];
    FILE *fp = fopen(t.path, "r");
    ck_assert_ptr_nonnull(fp);
    ck_assert_ptr_nonnull(fgets(buf, sizeof buf, fp));
    fclose(fp);
    ck_assert_str_eq(buf, "keep me\n");
    tu_close(&t);
}
END_TEST

START_TEST(create_refuses_existing_database)
{
    struct tu_db t;
    tu_open(&t);
    struct bti_db *db = NULL;
    ck_assert_int_eq(bti_db_create(&db, t.path, &t.ctx), BTI_ERULE);
    ck_assert_ptr_null(db);
    ck_assert_int_eq(bti_db_require_role(t.db, BTI_ROLE_ADMIN), BTI_OK);
    tu_close(&t);
}
END_TEST

START_TEST(create_refuses_directory_open_to_others)
{
    struct tu_db t;
    tu_prepare(&t);
    char open_dir[64];
    snprintf(open_dir, sizeof open_dir, "%s/open", t.dir);
    ck_assert_int_eq(mkdir(open_dir, 0755), 0);
    ck_assert_int_eq(chmod(open_dir, 0755), 0);
    snprintf(t.path, sizeof t.path, "%s/bti.db", open_dir);
    struct bti_db *db = NULL;
    ck_assert_int_eq(bti_db_create(&db, t.path, &t.ctx), BTI_ERULE);
    ck_assert_ptr_null(db);
    ck_assert_int_eq(access(t.path, F_OK), -1);
    ck_assert_int_eq(errno, ENOENT);
    tu_close(&t);
}
END_TEST

START_TEST(open_missing_is_edb)
{
    struct tu_db t;
    tu_prepare(&t);
    struct bti_db *db = (struct bti_db *)1;
    ck_assert_int_eq(bti_db_open(&db, t.path, &t.ctx), BTI_EDB);
    ck_assert_ptr_null(db);
    ck_assert_int_eq(access(t.path, F_OK), -1);
    tu_close(&t);
}
END_TEST

START_TEST(open_refuses_symlink)
{
    struct tu_db t;
    tu_open(&t);
    char link[64];
    snprintf(link, sizeof link, "%s/link.db", t.dir);
    ck_assert_int_eq(symlink(t.path, link), 0);
    struct bti_db *db = (struct bti_db *)1;
    int rc = bti_db_open(&db, link, &t.ctx);
    ck_assert_int_eq(rc, BTI_EDB);
    ck_assert_ptr_null(db);
    tu_close(&t);
}
END_TEST

START_TEST(open_sets_pragmas)
{
    struct tu_db t;
    tu_open(&t);
    struct bti_db *db = tu_reopen(&t, &t.ctx);
    char buf[64], want[16];
    ck_assert_str_eq(pragma(db, "PRAGMA foreign_keys", buf, sizeof buf), "1");
    ck_assert_str_eq(pragma(db, "PRAGMA journal_mode", buf, sizeof buf), "wal");
    snprintf(want, sizeof want, "%d", bti_db_schema_version());
    ck_assert_str_eq(pragma(db, "PRAGMA user_version", buf, sizeof buf), want);
    ck_assert_str_eq(pragma(db, "PRAGMA secure_delete", buf, sizeof buf), "1");
    ck_assert_str_eq(pragma(db, "PRAGMA trusted_schema", buf, sizeof buf), "0");
    ck_assert_str_eq(pragma(db, "PRAGMA synchronous", buf, sizeof buf), "2");
    bti_db_close(db);
    tu_close(&t);
}
END_TEST

START_TEST(open_refuses_newer_schema)
{
    struct tu_db t;
    tu_open(&t);
    bti_db_close(t.db);
    t.db = NULL;
    sqlite3 *h = tu_raw(t.path);
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA user_version = %d", bti_db_schema_version() + 1);
    tu_exec_ok(h, sql);
    sqlite3_close(h);
    struct bti_db *db = (struct bti_db *)1;
    ck_assert_int_eq(bti_db_open(&db, t.path, &t.ctx), BTI_EDB);
    ck_assert_ptr_null(db);
    ck_assert_int_eq(tu_count(&t, "PRAGMA user_version"), bti_db_schema_version() + 1);
    tu_close(&t);
}
END_TEST

START_TEST(open_migrates_older_schema)
{
    struct tu_db t;
    tu_prepare(&t);
    sqlite3 *h = NULL;
    ck_assert_int_eq(sqlite3_open_v2(t.path, &h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL),
                     SQLITE_OK);
    tu_exec_ok(h, "PRAGMA user_version = 0");
    sqlite3_close(h);
    t.db = tu_reopen(&t, &t.ctx);
    ck_assert_int_eq(tu_count(&t, "PRAGMA user_version"), bti_db_schema_version());
    ck_assert_int_eq(tu_count(&t, "SELECT count(*) FROM sqlite_schema WHERE name = 'audit'"), 1);
    tu_close(&t);
}
END_TEST

START_TEST(creator_is_admin)
{
    struct tu_db t;
    tu_open(&t);
    ck_assert_int_eq(bti_db_require_role(t.db, BTI_ROLE_ADMIN), BTI_OK);
    ck_assert_int_eq(bti_db_require_role(t.db, BTI_ROLE_REPORT), BTI_OK);
    char buf[32];
    ck_assert_str_eq(tu_query(&t, "SELECT role FROM user WHERE login = 'tester'", buf, sizeof buf),
                     "admin");
    tu_close(&t);
}
END_TEST

START_TEST(unknown_login_denied)
{
    struct tu_db t;
    tu_open(&t);
    struct bti_ctx c = t.ctx;
    c.login = "other";
    struct bti_db *db = tu_reopen(&t, &c);
    ck_assert_int_eq(bti_db_require_role(db, BTI_ROLE_REPORT), BTI_EDENIED);
    ck_assert_int_eq(bti_db_require_role(db, BTI_ROLE_ADMIN), BTI_EDENIED);
    bti_db_close(db);
    tu_close(&t);
}
END_TEST

START_TEST(report_user_is_report_only)
{
    struct tu_db t;
    tu_open(&t);
    long long id = 0;
    TU_TX(t.db, bti_user_add(t.db, "reporter", BTI_ROLE_REPORT, 0, &id));
    ck_assert_int_gt(id, 0);
    struct bti_ctx c = t.ctx;
    c.login = "reporter";
    struct bti_db *db = tu_reopen(&t, &c);
    ck_assert_int_eq(bti_db_require_role(db, BTI_ROLE_REPORT), BTI_OK);
    ck_assert_int_eq(bti_db_require_role(db, BTI_ROLE_CASEWORKER), BTI_EDENIED);
    ck_assert_int_eq(bti_db_require_role(db, BTI_ROLE_ADMIN), BTI_EDENIED);
    bti_db_close(db);
    tu_close(&t);
}
END_TEST

START_TEST(retired_login_denied)
{
    struct tu_db t;
    tu_open(&t);
    long long id = 0;
    TU_TX(t.db, bti_user_add(t.db, "worker", BTI_ROLE_CASEWORKER, 0, &id));
    struct bti_ctx c = t.ctx;
    c.login = "worker";
    struct bti_db *db = tu_reopen(&t, &c);
    ck_assert_int_eq(bti_db_require_role(db, BTI_ROLE_CASEWORKER), BTI_OK);
    TU_TX(t.db, bti_user_retire(t.db, "worker"));
    ck_assert_int_eq(bti_db_require_role(db, BTI_ROLE_REPORT), BTI_EDENIED);
    TU_FAILS(t.db, bti_user_retire(t.db, "tester"), BTI_ERULE); /* never one's own login */
    bti_db_close(db);
    tu_close(&t);
}
END_TEST

/* issue 20: a coordinator login runs only the verbs that serve its own
 * cases, and sees no case its coordinator never held. */
START_TEST(coordinator_login_is_kept_to_its_cases)
{
    struct tu_db t;
    tu_open(&t);
    long long unit = 0, k = 0, id = 0;
    struct bti_coordinator_in in = {.name = "Kari Koordinatorsen"};
    TU_TX(t.db, bti_unit_add(t.db, "Familiesenter", &unit));
    in.unit_id = unit;
    TU_TX(t.db, bti_coordinator_add(t.db, &in, &k));
    TU_FAILS(t.db, bti_user_add(t.db, "koord", BTI_ROLE_COORDINATOR, 0, &id), BTI_EUSAGE);
    TU_FAILS(t.db, bti_user_add(t.db, "koord", BTI_ROLE_CASEWORKER, k, &id), BTI_EUSAGE);
    TU_TX(t.db, bti_user_add(t.db, "koord", BTI_ROLE_COORDINATOR, k, &id));
    struct bti_ctx c = t.ctx;
    c.login = "koord";
    struct bti_db *db = tu_reopen(&t, &c);
    ck_assert_int_eq(bti_db_login(db, BTI_ROLE_REPORT, 0, NULL), BTI_EDENIED);
    ck_assert_int_eq(bti_db_login(db, BTI_ROLE_CASEWORKER, 0, NULL), BTI_EDENIED);
    enum bti_role have = BTI_ROLE_NONE;
    ck_assert_int_eq(bti_db_login(db, BTI_ROLE_CASEWORKER, 1, &have), BTI_OK);
    ck_assert_int_eq(have, BTI_ROLE_COORDINATOR);
    ck_assert_int_eq(db->scope, k);
    ck_assert_int_eq(db->names, 1);
    ck_assert_int_eq(bti_case_allowed(db, 1), BTI_EDENIED); /* no such case: the same answer */
    ck_assert_str_eq(bti_error_last(), "case 1: not allowed for the login 'koord'");
    bti_db_close(db);
    /* the caseworker sees every case; the report role no names */
    ck_assert_int_eq(bti_db_login(t.db, BTI_ROLE_CASEWORKER, 1, NULL), BTI_OK);
    ck_assert_int_eq(bti_case_allowed(t.db, 1), BTI_OK);
    ck_assert_int_eq(t.db->names, 1);
    TU_TX(t.db, bti_user_add(t.db, "reporter", BTI_ROLE_REPORT, 0, &id));
    c.login = "reporter";
    db = tu_reopen(&t, &c);
    ck_assert_int_eq(bti_db_login(db, BTI_ROLE_REPORT, 1, NULL), BTI_OK);
    ck_assert_int_eq(db->names, 0);
    bti_db_close(db);
    tu_close(&t);
}
END_TEST

START_TEST(rolled_back_write_leaves_nothing)
{
    struct tu_db t;
    tu_open(&t);
    long long audit = tu_count(&t, "SELECT count(*) FROM audit");
    long long id = 0;
    ck_assert_int_eq(bti_db_begin(t.db, 1), BTI_OK);
    ck_assert_int_eq(bti_unit_add(t.db, "Familiesenter", &id), BTI_OK);
    bti_db_rollback(t.db);
    ck_assert_int_eq(tu_count(&t, "SELECT count(*) FROM unit"), 0);
    ck_assert_int_eq(tu_count(&t, "SELECT count(*) FROM audit"), audit);
    TU_TX(t.db, bti_unit_add(t.db, "Familiesenter", &id));
    ck_assert_int_eq(tu_count(&t, "SELECT count(*) FROM unit"), 1);
    tu_close(&t);
}
END_TEST

START_TEST(begin_immediate_busy_after_timeout)
{
    struct tu_db t;
    tu_prepare(&t);
    t.ctx.busy_ms = 200;
    tu_create(&t);
    sqlite3 *h = tu_raw(t.path);
    tu_exec_ok(h, "BEGIN IMMEDIATE");
    double start = now_s();
    int rc = bti_db_begin(t.db, 1);
    double waited = now_s() - start;
    tu_exec_ok(h, "ROLLBACK");
    sqlite3_close(h);
    ck_assert_int_eq(rc, BTI_EBUSY);
    ck_assert_msg(waited >= 0.15 && waited < 3.0, "waited %.3f s", waited);
    ck_assert_int_eq(bti_db_begin(t.db, 1), BTI_OK);
    bti_db_rollback(t.db);
    tu_close(&t);
}
END_TEST

START_TEST(config_reads_settings)
{
    char dir[32], path[64];
    tu_mkdtemp(dir);
    snprintf(path, sizeof path, "%s/bti.conf", dir);
    write_file(path, "# the KE's database\n\n  db = /srv/bti/bti.db  \n"
                     "\t# retention\nretention_years=12\n");
    struct bti_config cfg;
    ck_assert_int_eq(bti_config_read(path, &cfg), BTI_OK);
    ck_assert_str_eq(cfg.db, "/srv/bti/bti.db");
    ck_assert_int_eq(cfg.retention_years, 12);
    tu_rmtree(dir);
}
END_TEST

START_TEST(config_bad_key_names_line)
{
    char dir[32], path[64];
    tu_mkdtemp(dir);
    snprintf(path, sizeof path, "%s/bti.conf", dir);
    write_file(path, "# comment\ndb = /srv/bti.db\ncolour = blue\n");
    struct bti_config cfg;
    ck_assert_int_eq(bti_config_read(path, &cfg), BTI_EINVAL);
    ck_assert_msg(strstr(bti_error_last(), ":3:") != NULL, "message: %s", bti_error_last());
    tu_rmtree(dir);
}
END_TEST

START_TEST(config_bad_values_refused)
{
    static const char *const bad[] = {"retention_years = 0\n", "retention_years = ten\n",
                                      "retention_years =\n", "db =\n", "just words\n"};
    char dir[32], path[64];
    tu_mkdtemp(dir);
    snprintf(path, sizeof path, "%s/bti.conf", dir);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        write_file(path, bad[i]);
        struct bti_config cfg;
        ck_assert_msg(bti_config_read(path, &cfg) == BTI_EINVAL, "accepted %s", bad[i]);
        ck_assert_ptr_nonnull(strstr(bti_error_last(), ":1:"));
    }
    tu_rmtree(dir);
}
END_TEST

START_TEST(config_missing_file_defaults)
{
    char dir[32], path[64];
    tu_mkdtemp(dir);
    snprintf(path, sizeof path, "%s/none.conf", dir);
    struct bti_config cfg;
    memset(&cfg, 'x', sizeof cfg);
    ck_assert_int_eq(bti_config_read(path, &cfg), BTI_OK);
    ck_assert_str_eq(cfg.db, "");
    ck_assert_int_eq(cfg.retention_years, 10);
    tu_rmtree(dir);
}
END_TEST

/* Keeps the rows db_rows_merged hands on as "id:word " and stops after
 * `stop` rows (0: never). */
struct kept {
    char text[256];
    int n, stop;
};

static int keep_row(const struct bti_row *row, void *arg)
{
    struct kept *k = arg;
    size_t len = strlen(k->text);
    snprintf(k->text + len, sizeof k->text - len, "%lld:%s ", row->vals[0].i, row->vals[1].s);
    return ++k->n == k->stop ? 42 : 0;
}

/* Whether row a's first column is less than b's. */
static int first_less(const struct bti_row *a, const struct bti_row *b)
{
    return a->vals[0].i < b->vals[0].i;
}

/* Issue 19: db_rows_merged reads several ordered statements as one
 * listing in that order, equal rows in the order of the statements, and
 * stops when the callback does, leaving the statements reset. */
START_TEST(rows_merged_in_order)
{
    struct tu_db t;
    tu_open(&t);
    static const struct bti_col cols[] = {{"n", BTI_T_INT}, {"w", BTI_T_TEXT}};
    sqlite3_stmt *sts[3];
    const char *sql[] = {"SELECT * FROM (VALUES (1, 'a'), (3, 'c'), (5, 'e'))",
                         "SELECT * FROM (VALUES (2, 'b'), (3, 'x'), (6, 'f'))",
                         "SELECT 1, 'y' WHERE 0"};
    for (int i = 0; i < 3; i++)
        ck_assert_int_eq(sqlite3_prepare_v2(t.db->h, sql[i], -1, &sts[i], NULL), SQLITE_OK);
    struct db_merge m = {.sts = sts, .n = 3, .before = first_less};
    struct kept k = {.stop = 0};
    long long count = 0;
    ck_assert_int_eq(db_rows_merged(t.db, &m, cols, 2, keep_row, &k, &count), 0);
    ck_assert_str_eq(k.text, "1:a 2:b 3:c 3:x 5:e 6:f ");
    ck_assert_int_eq(count, 6);
    struct kept early = {.stop = 3};
    ck_assert_int_eq(db_rows_merged(t.db, &m, cols, 2, keep_row, &early, NULL), 42);
    ck_assert_str_eq(early.text, "1:a 2:b 3:c ");
    for (int i = 0; i < 3; i++) {
        ck_assert(!sqlite3_stmt_busy(sts[i]));
        sqlite3_finalize(sts[i]);
    }
    tu_close(&t);
}
END_TEST

Suite *make_db_suite(void)
{
    Suite *s = suite_create("db");
    TCase *tc = tcase_create("db");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, create_makes_file_0600);
    tcase_add_test(tc, create_makes_missing_directory_0700);
    tcase_add_test(tc, create_refuses_existing_file);
    tcase_add_test(tc, create_refuses_existing_database);
    tcase_add_test(tc, create_refuses_directory_open_to_others);
    tcase_add_test(tc, open_missing_is_edb);
    tcase_add_test(tc, open_refuses_symlink);
    tcase_add_test(tc, open_sets_pragmas);
    tcase_add_test(tc, open_refuses_newer_schema);
    tcase_add_test(tc, open_migrates_older_schema);
    tcase_add_test(tc, creator_is_admin);
    tcase_add_test(tc, unknown_login_denied);
    tcase_add_test(tc, report_user_is_report_only);
    tcase_add_test(tc, retired_login_denied);
    tcase_add_test(tc, coordinator_login_is_kept_to_its_cases);
    tcase_add_test(tc, rolled_back_write_leaves_nothing);
    tcase_add_test(tc, begin_immediate_busy_after_timeout);
    tcase_add_test(tc, config_reads_settings);
    tcase_add_test(tc, rows_merged_in_order);
    tcase_add_test(tc, config_bad_key_names_line);
    tcase_add_test(tc, config_bad_values_refused);
    tcase_add_test(tc, config_missing_file_defaults);
    tcase_add_unchecked_fixture(tc, tu_fixture_begin, tu_fixture_end);
    suite_add_tcase(s, tc);
    return s;
}
