/* Shared helpers of the database unit tests (check_db.c, check_audit.c,
 * check_person.c, check_case.c): a fresh database in its own mkdtemp
 * directory, a raw second SQLite connection, synthetic nins, and a case
 * granted for a plan.
 *
 * Everything here is static inline: only tests/unit/check_*.c files are
 * compiled.  Every nin made here is synthetic (month + 80), never a real
 * person's. */
#ifndef BTI_TESTUTIL_H
#define BTI_TESTUTIL_H

#include <check.h>
#include <ftw.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "bti/date.h"
#include "bti/db.h"
#include "bti/error.h"
#include "bti/case.h"
#include "bti/consent.h"
#include "bti/decision.h"
#include "bti/person.h"
#include "bti/row.h"
#include "bti/unit.h"

/* One test database: its directory, path, context and handle. */
struct tu_db {
    char dir[32];
    char path[128];
    struct bti_ctx ctx;
    struct bti_db *db;
};

static inline int tu_rm_entry(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    return remove(p);
}

/* Remove dir and everything below it (never following a symlink). */
static inline void tu_rmtree(const char *dir)
{
    if (dir[0])
        nftw(dir, tu_rm_entry, 8, FTW_DEPTH | FTW_PHYS);
}

/* A failed assertion ends a forked test with _exit, skipping its clean-up:
 * so every test directory is also listed in a registry file that the
 * parent process reads after the test case (tu_fixture_end) to remove
 * what is left.  Add both with tcase_add_unchecked_fixture. */
static char tu_registry[32];

static inline void tu_fixture_begin(void)
{
    snprintf(tu_registry, sizeof tu_registry, "/tmp/bti-unit-XXXXXX");
    int fd = mkstemp(tu_registry);
    if (fd < 0)
        tu_registry[0] = '\0';
    else
        close(fd);
}

static inline void tu_fixture_end(void)
{
    if (!tu_registry[0])
        return;
    FILE *fp = fopen(tu_registry, "r");
    char line[64];
    while (fp && fgets(line, sizeof line, fp)) {
        line[strcspn(line, "\n")] = '\0';
        if (strncmp(line, "/tmp/bti", 8) == 0)
            tu_rmtree(line);
    }
    if (fp)
        fclose(fp);
    unlink(tu_registry);
    tu_registry[0] = '\0';
}

/* The fixed date y-m-d. */
static inline bti_date tu_ymd(int y, int m, int d)
{
    bti_date out = 0;
    ck_assert_int_eq(bti_date_from_ymd(&out, y, m, d), BTI_OK);
    return out;
}

/* The test context: login tester, command test, today = real today =
 * 2026-11-22, busy timeout 1 s. */
static inline struct bti_ctx tu_ctx(void)
{
    struct bti_ctx c = {0};
    c.login = "tester";
    c.command = "test";
    c.today = c.real_today = tu_ymd(2026, 11, 22);
    c.busy_ms = 1000;
    return c;
}

/* A fresh 0700 directory /tmp/btiXXXXXX into dir (32 bytes). */
static inline void tu_mkdtemp(char *dir)
{
    snprintf(dir, 32, "/tmp/btiXXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    FILE *fp = tu_registry[0] ? fopen(tu_registry, "a") : NULL;
    if (fp) {
        fprintf(fp, "%s\n", dir);
        fclose(fp);
    }
}

/* Make the directory and path of a database without creating it. */
static inline void tu_prepare(struct tu_db *t)
{
    memset(t, 0, sizeof *t);
    t->ctx = tu_ctx();
    tu_mkdtemp(t->dir);
    snprintf(t->path, sizeof t->path, "%s/bti.db", t->dir);
}

/* Create the database at t->path with t->ctx (to change the context, call
 * tu_prepare, change t->ctx, then tu_create; tu_open does both). */
static inline void tu_create(struct tu_db *t)
{
    int rc = bti_db_create(&t->db, t->path, &t->ctx);
    ck_assert_msg(rc == BTI_OK, "bti_db_create: %d %s", rc, bti_error_last());
    ck_assert_ptr_nonnull(t->db);
}

static inline void tu_open(struct tu_db *t)
{
    tu_prepare(t);
    tu_create(t);
}

/* Close the handle and remove the directory. */
static inline void tu_close(struct tu_db *t)
{
    bti_db_close(t->db);
    t->db = NULL;
    tu_rmtree(t->dir);
}

/* A second handle on the same file with context c. */
static inline struct bti_db *tu_reopen(const struct tu_db *t, const struct bti_ctx *c)
{
    struct bti_db *db = NULL;
    int rc = bti_db_open(&db, t->path, c);
    ck_assert_msg(rc == BTI_OK, "bti_db_open: %d %s", rc, bti_error_last());
    return db;
}

/* A raw SQLite connection to path, as a program behind bti's back would
 * open it. */
static inline sqlite3 *tu_raw(const char *path)
{
    sqlite3 *h = NULL;
    ck_assert_int_eq(sqlite3_open_v2(path, &h, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    sqlite3_busy_timeout(h, 2000);
    return h;
}

/* Run sql on h; the SQLite result code. */
static inline int tu_exec(sqlite3 *h, const char *sql)
{
    return sqlite3_exec(h, sql, NULL, NULL, NULL);
}

/* Run sql on h and require success. */
static inline void tu_exec_ok(sqlite3 *h, const char *sql)
{
    char *err = NULL;
    int rc = sqlite3_exec(h, sql, NULL, NULL, &err);
    ck_assert_msg(rc == SQLITE_OK, "%s: %s", sql, err ? err : "?");
    sqlite3_free(err);
}

/* The integer of the first column of the first row of sql with one
 * optional text parameter; -999 when there is no row. */
static inline long long tu_int_p(sqlite3 *h, const char *sql, const char *param)
{
    sqlite3_stmt *st = NULL;
    ck_assert_msg(sqlite3_prepare_v2(h, sql, -1, &st, NULL) == SQLITE_OK, "%s: %s", sql,
                  sqlite3_errmsg(h));
    if (param)
        sqlite3_bind_text(st, 1, param, -1, SQLITE_TRANSIENT);
    long long v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -999;
    sqlite3_finalize(st);
    return v;
}

static inline long long tu_int(sqlite3 *h, const char *sql)
{
    return tu_int_p(h, sql, NULL);
}

/* The text of the first column of the first row of sql, copied into buf
 * (size bytes): "" when there is no row, "(null)" for NULL. */
static inline char *tu_text(sqlite3 *h, const char *sql, char *buf, size_t size)
{
    sqlite3_stmt *st = NULL;
    ck_assert_msg(sqlite3_prepare_v2(h, sql, -1, &st, NULL) == SQLITE_OK, "%s: %s", sql,
                  sqlite3_errmsg(h));
    buf[0] = '\0';
    if (sqlite3_step(st) == SQLITE_ROW) {
        const char *s = (const char *)sqlite3_column_text(st, 0);
        snprintf(buf, size, "%s", s ? s : "(null)");
    }
    sqlite3_finalize(st);
    return buf;
}

/* Query the test database through a raw connection of its own. */
static inline long long tu_count(const struct tu_db *t, const char *sql)
{
    sqlite3 *h = tu_raw(t->path);
    long long v = tu_int(h, sql);
    sqlite3_close(h);
    return v;
}

static inline char *tu_query(const struct tu_db *t, const char *sql, char *buf, size_t size)
{
    sqlite3 *h = tu_raw(t->path);
    tu_text(h, sql, buf, size);
    sqlite3_close(h);
    return buf;
}

/* Run a write of the library inside one transaction, as a command does. */
#define TU_TX(db, call)                                                                            \
    do {                                                                                           \
        ck_assert_int_eq(bti_db_begin((db), 1), BTI_OK);                                           \
        int tu_rc_ = (call);                                                                       \
        ck_assert_msg(tu_rc_ == BTI_OK, "%s: %d %s", #call, tu_rc_, bti_error_last());             \
        ck_assert_int_eq(bti_db_commit(db), BTI_OK);                                               \
    } while (0)

/* Expect a call to fail with code rc (inside its own transaction, rolled
 * back, as a failing command's). */
#define TU_FAILS(db, call, rc)                                                                     \
    do {                                                                                           \
        ck_assert_int_eq(bti_db_begin((db), 1), BTI_OK);                                           \
        int tu_rc_ = (call);                                                                       \
        bti_db_rollback(db);                                                                       \
        ck_assert_msg(tu_rc_ == (rc), "%s: got %d (%s), expected %d", #call, tu_rc_,               \
                      bti_error_last(), (rc));                                                     \
    } while (0)

/* A synthetic person's new case, referred for requests; its id. */
static inline long long tu_referred_case(struct tu_db *t, const char *requests)
{
    struct bti_person_in p = {.name = "Kari Testesen", .born = tu_ymd(1970, 1, 2)};
    struct bti_referral_in r = {
        .person = &p, .source = "plo", .requests = requests, .received = tu_ymd(2026, 10, 1)};
    struct bti_referral_out out;
    TU_TX(t->db, bti_referral_add(t->db, &r, &out));
    return out.case_id;
}

/* A case referred for requests, with consent to share for the plan and a
 * grant of them to a new unit (*unit); its id. */
static inline long long tu_granted_case(struct tu_db *t, const char *requests, long long *unit)
{
    long long id;
    TU_TX(t->db, bti_unit_add(t->db, "Hjem", unit));
    long long case_id = tu_referred_case(t, requests);
    struct bti_consent_in c = {.case_id = case_id,
                               .scope = "plan",
                               .by = "user",
                               .parties = "all",
                               .given = BTI_NO_DATE};
    TU_TX(t->db, bti_consent_give(t->db, &c, &id));
    struct bti_decide_in d = {.case_id = case_id,
                              .grant = 1,
                              .unit_id = *unit,
                              .decided = BTI_NO_DATE,
                              .notified = BTI_NO_DATE};
    struct bti_step s;
    TU_TX(t->db, bti_decide(t->db, &d, &id, &s));
    return case_id;
}

/* The mod-11 check digit over the first n digits of s, or -1 for none. */
static inline int tu_mod11(const char *s, const int *w, int n)
{
    int sum = 0;
    for (int i = 0; i < n; i++)
        sum += w[i] * (s[i] - '0');
    int k = 11 - sum % 11;
    return k == 11 ? 0 : k == 10 ? -1 : k;
}

/* A synthetic nin (month + 80) for the birth date y-m-d into out (12
 * bytes), the nth valid one (n from 0) of that date: the individual
 * number is searched from the start of the century's range (000 for
 * 1900-1999, 500 for 2000-2039) for valid check digits. */
static inline char *tu_nin(char *out, int y, int m, int d, int n)
{
    static const int w1[9] = {3, 7, 6, 1, 8, 9, 4, 5, 2};
    static const int w2[10] = {5, 4, 3, 2, 7, 6, 5, 4, 3, 2};
    int iii = y >= 2000 ? 500 : 0, last = y >= 2000 ? 999 : 499;
    ck_assert(y >= 1900 && y <= 2039);
    for (; iii <= last; iii++) {
        char digits[64];
        snprintf(digits, sizeof digits, "%02d%02d%02d%03d", d, m + 80, y % 100, iii);
        memcpy(out, digits, 9);
        int k1 = tu_mod11(out, w1, 9);
        if (k1 < 0)
            continue;
        out[9] = (char)('0' + k1);
        out[10] = '\0';
        int k2 = tu_mod11(out, w2, 10);
        if (k2 < 0)
            continue;
        out[10] = (char)('0' + k2);
        out[11] = '\0';
        if (n-- == 0)
            return out;
    }
    ck_abort_msg("no synthetic nin left for that date");
    return NULL;
}

/* A row collector for listings: the rows' ids and the text of one
 * column (by key) of each, joined with '|'. */
struct tu_rows {
    const char *key; /* column whose text is collected, or NULL */
    int n;
    long long ids[64];
    char text[2048];
};

static inline int tu_collect(const struct bti_row *row, void *arg)
{
    struct tu_rows *r = arg;
    if (r->n < 64)
        r->ids[r->n] = row->vals[0].i;
    r->n++;
    for (size_t i = 0; r->key && i < row->ncols; i++) {
        if (strcmp(row->cols[i].key, r->key) != 0)
            continue;
        size_t len = strlen(r->text);
        const char *s = row->vals[i].null ? "NULL" : row->vals[i].s ? row->vals[i].s : "?";
        snprintf(r->text + len, sizeof r->text - len, "%s%s", len ? "|" : "", s);
    }
    return 0;
}

/* Expect a library call on t's database to refuse a bad or missing value:
 * BTI_EINVAL, a message naming the value and no command-line option, and
 * nothing written (the transaction is committed after the refusal, and the
 * audit, which records every write, has no new row). */
#define TU_BAD_VALUE(t, call)                                                                      \
    do {                                                                                           \
        long long tu_audit_ = tu_count((t), "SELECT count(*) FROM audit");                         \
        ck_assert_int_eq(bti_db_begin((t)->db, 1), BTI_OK);                                        \
        int tu_rc_ = (call);                                                                       \
        ck_assert_msg(tu_rc_ == BTI_EINVAL, "%s: got %d (%s), expected BTI_EINVAL", #call, tu_rc_, \
                      bti_error_last());                                                           \
        ck_assert_msg(strstr(bti_error_last(), "--") == NULL, "%s names an option: %s", #call,     \
                      bti_error_last());                                                           \
        ck_assert_int_eq(bti_db_commit((t)->db), BTI_OK);                                          \
        ck_assert_int_eq(tu_count((t), "SELECT count(*) FROM audit"), tu_audit_);                  \
    } while (0)

#endif
