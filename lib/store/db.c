/*
 * Opening and creating the database (SPEC sections 9 and 11), transactions,
 * roles, and the small statement helpers every module uses.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>
#include "base/intl.h"
#include "bti/text.h"
#include "store/store.h"
#include "store/schema.h"
#include "base/list.h"

/* The WAL's bound in pages: 256 KiB of 4 KiB pages (wal_bound). */
#define WAL_BOUND_PAGES 64

/* File systems where SQLite's locking and WAL cannot be trusted. */
static const long network_fs[] = {
    0x6969,     /* nfs */
    0x517B,     /* smb */
    0xFF534D42, /* cifs */
    0xFE534D42, /* smb2 */
    0x01021997, /* 9p */
    0x00C36400, /* ceph */
    0x5346414F, /* afs */
    0x73757245, /* coda */
    0x564C,     /* ncp */
    0x0BD00BD0, /* lustre */
    0x01161970, /* gfs2 */
    0x7461636F, /* ocfs2 */
};

/* Non-zero when the file system holding path is a network one. */
static int on_network_fs(const char *path)
{
    struct statfs fs;
    if (statfs(path, &fs) != 0)
        return 0;
    for (size_t i = 0; i < sizeof network_fs / sizeof network_fs[0]; i++)
        if ((long)(unsigned)fs.f_type == network_fs[i])
            return 1;
    return 0;
}

/* SQL bti_contains(hay, needle): a case-insensitive substring test that
 * folds ae, o-slash and a-ring too, for --name filters. */
static void sql_contains(sqlite3_context *c, int argc, sqlite3_value **v)
{
    (void)argc;
    const char *hay = (const char *)sqlite3_value_text(v[0]);
    const char *needle = (const char *)sqlite3_value_text(v[1]);
    sqlite3_result_int(c, hay && needle && bti_text_contains_fold(hay, needle));
}

/* SQL bti_ids_hold(list, id): whether an access row's id list holds id. */
static void sql_ids_hold(sqlite3_context *c, int argc, sqlite3_value **v)
{
    (void)argc;
    const char *list = (const char *)sqlite3_value_text(v[0]);
    sqlite3_result_int(c, list && ids_hold(list, sqlite3_value_int64(v[1])));
}

/* Whether the login may see case_id (NULL: a row of no case): every case
 * for a login that is not bound to a coordinator; else those the
 * coordinator holds or held, and no row of no case.  *in gets the answer. */
static int case_in_scope(struct bti_db *db, long long case_id, int *in)
{
    static const char sql[] = "SELECT 1 FROM assignment WHERE case_id = ? AND coordinator_id = ?"
                              " LIMIT 1";
    long long one;
    *in = db->scope == 0;
    if (db->scope == 0 || case_id <= 0)
        return 0;
    int rc = db_int(db, &one, sql, "ii", case_id, db->scope);
    *in = rc == 0;
    return rc == BTI_ENOTFOUND ? 0 : rc;
}

/* SQL bti_case_allowed(case_id): case_in_scope for the listings. */
static void sql_case_allowed(sqlite3_context *c, int argc, sqlite3_value **v)
{
    (void)argc;
    int in;
    long long id = sqlite3_value_type(v[0]) == SQLITE_NULL ? 0 : sqlite3_value_int64(v[0]);
    if (case_in_scope(sqlite3_user_data(c), id, &in) == 0)
        sqlite3_result_int(c, in);
    else
        sqlite3_result_error(c, bti_error_last(), -1);
}

int bti_case_allowed(struct bti_db *db, long long case_id)
{
    int in;
    int rc = case_in_scope(db, case_id, &in);
    if (rc == 0 && !in)
        rc = bti_error_set(BTI_EDENIED, _("case %lld: not allowed for the login '%s'"), case_id,
                           db->ctx.login);
    return rc;
}

/* SQL bti_add_months(date, n): n months on, clamped to the month's end
 * (SQLite's own date modifiers overflow into the next month). */
static void sql_add_months(sqlite3_context *c, int argc, sqlite3_value **v)
{
    (void)argc;
    const char *s = (const char *)sqlite3_value_text(v[0]);
    bti_date d;
    char buf[BTI_DATE_BUF];
    if (!s || bti_date_parse(&d, s, 0, "date") != 0) {
        sqlite3_result_null(c);
        return;
    }
    d = bti_date_add_months(d, sqlite3_value_int(v[1]));
    sqlite3_result_text(c, bti_date_format(d, buf), -1, SQLITE_TRANSIENT);
}

int db_busy_ms(const struct bti_db *db)
{
    return db->ctx.busy_ms > 0 ? db->ctx.busy_ms : 5000;
}

/* The WAL hook after every commit: once the WAL holds WAL_BOUND_PAGES
 * pages (256 KiB of 4 KiB pages) or more, checkpoint it and cut it to
 * nothing, unless a reader or writer is there right now (then a later
 * commit does it; the committed change never waits for this).  SQLite's
 * own autocheckpoint cannot bound a WAL that outlives the connection: a
 * new process rebuilds the WAL index as if nothing were checkpointed, so
 * the WAL would never start over. */
static int wal_bound(void *arg, sqlite3 *h, const char *name, int pages)
{
    struct bti_db *db = arg;
    if (pages < WAL_BOUND_PAGES)
        return SQLITE_OK;
    sqlite3_busy_timeout(h, 0);
    sqlite3_wal_checkpoint_v2(h, name, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
    sqlite3_busy_timeout(h, db_busy_ms(db));
    return SQLITE_OK;
}

/* Set the connection's safety options: defensive mode, untrusted schema,
 * foreign keys, full sync, secure delete, temporary data in memory; and
 * its checkpoint policy (SPEC section 10): no checkpoint at close, so the
 * WAL stays between commands, and wal_bound keeps it bounded. */
static int configure(struct bti_db *db)
{
    static const char pragmas[] = "PRAGMA foreign_keys=ON; PRAGMA synchronous=FULL;"
                                  "PRAGMA secure_delete=ON; PRAGMA temp_store=MEMORY;";
    sqlite3_db_config(db->h, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, (int *)0);
    sqlite3_db_config(db->h, SQLITE_DBCONFIG_DEFENSIVE, 1, (int *)0);
    sqlite3_db_config(db->h, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, (int *)0);
    sqlite3_busy_timeout(db->h, db_busy_ms(db));
    sqlite3_wal_hook(db->h, wal_bound, db);
    int rc = sqlite3_create_function(db->h, "bti_contains", 2,
                                     SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL,
                                     sql_contains, NULL, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_create_function(db->h, "bti_ids_hold", 2,
                                     SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL,
                                     sql_ids_hold, NULL, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_create_function(db->h, "bti_add_months", 2,
                                     SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL,
                                     sql_add_months, NULL, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_create_function(db->h, "bti_case_allowed", 1, SQLITE_UTF8 | SQLITE_DIRECTONLY,
                                     db, sql_case_allowed, NULL, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(db->h, pragmas, NULL, NULL, NULL);
    return rc == SQLITE_OK ? 0 : db_fail(db, rc, _("cannot configure the database"));
}

/* sqlite3_trace_v2 callback: one statement the connection starts, its
 * parameters expanded, to the trace file (a trigger's program is part of
 * the statement that fired it, and is left out). */
static int trace_statement(unsigned type, void *file, void *stmt, void *text)
{
    (void)type;
    if (strncmp(text, "--", 2) == 0)
        return 0;
    char *sql = sqlite3_expanded_sql(stmt);
    size_t n = sql ? strlen(sql) : 0;
    while (n > 0 && (sql[n - 1] == ';' || sql[n - 1] == ' ' || sql[n - 1] == '\n'))
        n--;
    if (sql)
        fprintf(file, "%.*s;\n", (int)n, sql);
    sqlite3_free(sql);
    return 0;
}

/* BTI_TRACE=FILE (for make bench; never set by bti): append every statement
 * the connection runs to FILE, created 0600, so the sqlite3 shell can run
 * exactly bti's statements.  The file holds what the statements hold. */
static int trace_open(struct bti_db *db)
{
    const char *path = secure_getenv("BTI_TRACE");
    if (!path || !*path)
        return 0;
    int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd >= 0 && !(db->trace = fdopen(fd, "a")))
        close(fd);
    if (!db->trace)
        return bti_error_set(BTI_EDB, _("cannot open the trace file '%s': %s"), path,
                             strerror(errno));
    sqlite3_trace_v2(db->h, SQLITE_TRACE_STMT, trace_statement, db->trace);
    return 0;
}

/* Open path with SQLite (never following a symlink) into a new handle. */
static int connect(struct bti_db **out, const char *path, const struct bti_ctx *ctx)
{
    struct bti_db *db = calloc(1, sizeof *db);
    if (!db)
        return bti_error_set(BTI_EDB, _("out of memory"));
    db->image_mark = -1;
    db->ctx = *ctx;
    /* no mutex per call: a handle (its statement cache, its audit head)
     * serves one thread at a time; the locks were 4% of an import (issue 19) */
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW | SQLITE_OPEN_EXRESCODE |
                SQLITE_OPEN_NOMUTEX;
    int rc = sqlite3_open_v2(path, &db->h, flags, NULL);
    if (rc != SQLITE_OK) {
        rc = bti_error_set(BTI_EDB, _("cannot open the database '%s': %s"), path,
                           sqlite3_errstr(rc));
        bti_db_close(db);
        return rc;
    }
    rc = trace_open(db);
    if (rc == 0)
        rc = configure(db);
    if (rc) {
        bti_db_close(db);
        return rc;
    }
    *out = db;
    return 0;
}

/* Refuse a database directory that another user owns or others may enter. */
static int check_private_dir(const char *dir)
{
    struct stat st;
    if (lstat(dir, &st) != 0)
        return bti_error_set(BTI_EDB, _("cannot read the directory '%s': %s"), dir,
                             strerror(errno));
    if (!S_ISDIR(st.st_mode))
        return bti_error_set(BTI_EDB, _("'%s' is not a directory"), dir);
    if (st.st_uid != geteuid())
        return bti_error_set(BTI_ERULE, _("the directory '%s' belongs to another user"), dir);
    if (st.st_mode & 077) {
        bti_error_set(BTI_ERULE, _("the directory '%s' is open to others (mode %04o)"), dir,
                      (unsigned)(st.st_mode & 07777));
        return bti_error_set_hint(_("run 'chmod 700 %s' or choose another directory"), dir);
    }
    return 0;
}

/* Create dir and any missing parents, each 0700. */
static int make_dirs(const char *dir)
{
    struct stat st;
    if (lstat(dir, &st) == 0)
        return 0;
    char parent[PATH_MAX];
    snprintf(parent, sizeof parent, "%s", dir);
    int rc = make_dirs(dirname(parent));
    if (rc)
        return rc;
    if (mkdir(dir, 0700) != 0 && errno != EEXIST)
        return bti_error_set(BTI_EDB, _("cannot create the directory '%s': %s"), dir,
                             strerror(errno));
    return 0;
}

/* Refuse a WAL left beside a database path where no database is (its
 * database was removed by hand): SQLite would read its pages into the new
 * database.  bti keeps the WAL between commands (SPEC section 10). */
static int check_no_stale_wal(const char *path)
{
    char wal[PATH_MAX + 8];
    struct stat st;
    snprintf(wal, sizeof wal, "%s-wal", path);
    if (lstat(path, &st) == 0 || lstat(wal, &st) != 0)
        return 0;
    bti_error_set(BTI_ERULE, _("the WAL of a removed database is still at '%s'"), wal);
    return bti_error_set_hint(_("its pages would enter the new database: move it away, or "
                                "remove it with the database's -shm file"));
}

/* Create the empty database file: exclusive, no symlink, 0600. */
static int create_file(const char *path)
{
    char dir[PATH_MAX];
    if (strlen(path) >= sizeof dir)
        return bti_error_set(BTI_EINVAL, _("the database path is too long"));
    snprintf(dir, sizeof dir, "%s", path);
    char *d = dirname(dir);
    int rc = make_dirs(d);
    if (rc == 0)
        rc = check_private_dir(d);
    if (rc == 0)
        rc = check_no_stale_wal(path);
    if (rc)
        return rc;
    int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0 && errno == EEXIST) {
        bti_error_set(BTI_ERULE, _("a file already exists at '%s'"), path);
        return bti_error_set_hint(
            _("bti never overwrites a database; choose another path with --db"));
    }
    if (fd < 0)
        return bti_error_set(BTI_EDB, _("cannot create '%s': %s"), path, strerror(errno));
    close(fd);
    if (on_network_fs(path)) {
        unlink(path);
        return bti_error_set(BTI_EDB, _("'%s' is on a network file system"), path);
    }
    return 0;
}

/* Insert the creating login as the first admin. */
static int add_first_admin(struct bti_db *db)
{
    char today[BTI_DATE_BUF];
    int rc = db_run(db, "INSERT INTO user(login, role, added) VALUES (?, 'admin', ?)", "tt",
                    db->ctx.login, bti_date_format(db->ctx.today, today));
    return rc ? rc : audit_change(db, "user", db_last_id(db), NULL, NULL);
}

/* Build the schema (and, unless empty, the first admin) inside one
 * transaction. */
static int initialise(struct bti_db *db, int empty)
{
    int rc = bti_db_wal(db);
    if (rc == 0)
        rc = bti_db_begin(db, 1);
    if (rc == 0)
        rc = schema_migrate(db);
    if (rc == 0 && !empty)
        rc = add_first_admin(db);
    if (rc == 0)
        return bti_db_commit(db);
    bti_db_rollback(db);
    return rc;
}

/* Create the file, connect, and initialise it; remove it on failure.  A
 * NULL path is a database in memory (a dry run's). */
static int create(struct bti_db **out, const char *path, const struct bti_ctx *ctx, int empty)
{
    *out = NULL;
    int rc = path ? create_file(path) : 0;
    if (rc)
        return rc;
    struct bti_db *db = NULL;
    rc = connect(&db, path ? path : ":memory:", ctx);
    if (rc == 0)
        rc = initialise(db, empty);
    if (rc) {
        bti_db_close(db);
        if (path)
            bti_db_remove(path); /* with the WAL or journal a full disk left */
        return rc;
    }
    *out = db;
    return 0;
}

int bti_db_create(struct bti_db **out, const char *path, const struct bti_ctx *ctx)
{
    return create(out, path, ctx, 0);
}

int bti_db_create_empty(struct bti_db **out, const char *path, const struct bti_ctx *ctx)
{
    return create(out, path, ctx, 1);
}

int bti_db_create_scratch(struct bti_db **out, const struct bti_ctx *ctx)
{
    return create(out, NULL, ctx, 1);
}

/* Check that path holds a file bti may open (it exists, is no symlink, and
 * is not on a network file system). */
static int check_existing(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0) {
        bti_error_set(BTI_EDB, _("no database at '%s'"), path);
        return bti_error_set_hint(_("run 'bti init' to create one, or name it with --db"));
    }
    if (!S_ISREG(st.st_mode))
        return bti_error_set(BTI_EDB, _("'%s' is not a regular file"), path);
    if (on_network_fs(path))
        return bti_error_set(BTI_EDB, _("'%s' is on a network file system"), path);
    return 0;
}

int bti_db_wal(struct bti_db *db)
{
    sqlite3_stmt *st;
    int wal = sqlite3_prepare_v2(db->h, "PRAGMA journal_mode", -1, &st, NULL) == SQLITE_OK &&
              sqlite3_step(st) == SQLITE_ROW &&
              strcmp((const char *)sqlite3_column_text(st, 0), "wal") == 0;
    sqlite3_finalize(st);
    if (wal)
        return 0;
    int rc = sqlite3_exec(db->h, "PRAGMA journal_mode=WAL", NULL, NULL, NULL);
    return rc == SQLITE_OK ? 0 : db_fail(db, rc, _("cannot switch to WAL"));
}

int bti_db_rollback_journal(struct bti_db *db)
{
    int rc = sqlite3_exec(db->h, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL);
    return rc == SQLITE_OK ? 0 : db_fail(db, rc, _("cannot switch to a rollback journal"));
}

int bti_db_open(struct bti_db **out, const char *path, const struct bti_ctx *ctx)
{
    *out = NULL;
    int rc = check_existing(path);
    if (rc)
        return rc;
    struct bti_db *db = NULL;
    rc = connect(&db, path, ctx);
    if (rc == 0)
        rc = schema_migrate(db);
    if (rc) {
        bti_db_close(db);
        return rc;
    }
    *out = db;
    return 0;
}

int bti_db_share(const char *path, unsigned gid)
{
    static const char *const suffixes[] = {"", "-wal", "-shm"};
    char dir[PATH_MAX], p[PATH_MAX + 8];
    snprintf(dir, sizeof dir, "%s", path);
    const char *d = dirname(dir); /* "." for a bare file name, not dir itself */
    if (chown(d, (uid_t)-1, (gid_t)gid) != 0 || chmod(d, 02770) != 0)
        return bti_error_set(BTI_EDB, _("cannot share the directory '%s': %s"), d, strerror(errno));
    for (size_t i = 0; i < 3; i++) {
        snprintf(p, sizeof p, "%s%s", path, suffixes[i]);
        if (access(p, F_OK) != 0)
            continue;
        if (chown(p, (uid_t)-1, (gid_t)gid) != 0 || chmod(p, 0660) != 0)
            return bti_error_set(BTI_EDB, _("cannot share '%s': %s"), p, strerror(errno));
    }
    return 0;
}

int bti_db_is_empty(struct bti_db *db)
{
    long long rows = 1;
    for (size_t i = 0; db_table(i); i++) {
        char sql[96];
        sqlite3_stmt *st;
        snprintf(sql, sizeof sql, "SELECT EXISTS (SELECT 1 FROM %s)", db_table(i));
        if (sqlite3_prepare_v2(db->h, sql, -1, &st, NULL) != SQLITE_OK)
            return 0;
        rows = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : 1;
        sqlite3_finalize(st);
        if (rows)
            return 0;
    }
    return db_int(db, &rows, "SELECT count(*) FROM audit", "") == 0 && rows == 0;
}

void bti_db_remove(const char *path)
{
    static const char *const suffixes[] = {"-wal", "-shm", "-journal", "-erased", ""};
    char p[PATH_MAX + 16];
    for (size_t i = 0; i < sizeof suffixes / sizeof *suffixes; i++) {
        snprintf(p, sizeof p, "%s%s", path, suffixes[i]);
        unlink(p);
    }
}

void bti_db_close(struct bti_db *db)
{
    if (!db)
        return;
    if (db->in_tx) /* before the statements go: logging the reads uses them */
        bti_db_rollback(db);
    else
        access_flush(db);
    for (int i = 0; i < db->ncache; i++)
        sqlite3_finalize(db->cache[i].st);
    free(db->pending);
    audit_net_forget(db);
    free(db->net);
    db_images_forget(db);
    if (db->commit_failed) /* checkpoint what committed and remove the WAL (issue 19) */
        sqlite3_db_config(db->h, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 0, (int *)0);
    sqlite3_close(db->h);
    if (db->trace)
        fclose(db->trace);
    free(db);
}

/* Reset every cached statement so none holds the transaction open. */
static void reset_all(struct bti_db *db)
{
    for (int i = 0; i < db->ncache; i++)
        sqlite3_reset(db->cache[i].st);
}

int bti_db_begin(struct bti_db *db, int write)
{
    int rc = sqlite3_exec(db->h, write ? "BEGIN IMMEDIATE" : "BEGIN", NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        return db_fail(db, rc, _("cannot begin a transaction"));
    db->in_tx = 1;
    db->writing = write;
    db->audit_known = 0;
    db_images_forget(db);
    return 0;
}

char *bti_db_erased_marker(const char *path, char *out)
{
    snprintf(out, PATH_MAX + 16, "%s-erased", path);
    return out;
}

/* Note, before an erasure commits, that its old values are in the WAL. */
static int mark_erased(struct bti_db *db)
{
    char marker[PATH_MAX + 16];
    bti_db_erased_marker(sqlite3_db_filename(db->h, "main"), marker);
    int fd = open(marker, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0)
        return bti_error_set(BTI_EDB, _("cannot create '%s': %s"), marker, strerror(errno));
    close(fd);
    return 0;
}

/* After a write's commit: truncate the WAL when an erasure (this one or
 * an earlier one whose truncation a reader blocked) left old values in it,
 * waiting for readers up to the busy timeout.  A truncation that cannot be
 * done now is a warning: the change is committed. */
static void truncate_wal(struct bti_db *db)
{
    char marker[PATH_MAX + 16];
    const char *path = sqlite3_db_filename(db->h, "main");
    if (!path || !*path) /* in memory */
        return;
    bti_db_erased_marker(path, marker);
    if (!db->checkpoint && access(marker, F_OK) != 0)
        return;
    if (sqlite3_wal_checkpoint_v2(db->h, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL) ==
        SQLITE_OK) {
        unlink(marker);
        return;
    }
    if (db->checkpoint)
        db->warning = _("the erasure is committed, but a reader kept its old values in the WAL; "
                        "the next write removes them");
}

int bti_db_commit(struct bti_db *db)
{
    /* the reads are logged in the transaction that made them: a command
     * holding the write lock cannot fail to log after it printed */
    int rc = audit_net_flush(db); /* no change commits without its audit row */
    if (rc == 0)
        rc = access_flush(db);
    if (rc) {
        bti_db_rollback(db);
        return rc;
    }
    reset_all(db);
    rc = db->checkpoint ? mark_erased(db) : 0;
    if (rc == 0 && (rc = sqlite3_exec(db->h, "COMMIT", NULL, NULL, NULL)) != SQLITE_OK) {
        /* a commit whose sync failed may have left whole, valid frames in
         * the WAL: a later process rebuilding the WAL index would take
         * them for committed, so the close removes the WAL, as it did
         * before the WAL stayed between commands */
        db->commit_failed = 1;
        rc = db_fail(db, rc, _("cannot commit"));
    }
    if (rc) {
        bti_db_rollback(db);
        return rc;
    }
    db->in_tx = 0;
    if (db->writing)
        truncate_wal(db);
    db->checkpoint = 0;
    return 0;
}

const char *bti_db_warning(const struct bti_db *db)
{
    return db ? db->warning : NULL;
}

int bti_db_rollback(struct bti_db *db)
{
    if (!db || !db->in_tx)
        return 0;
    reset_all(db);
    sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
    db->in_tx = 0;
    db->audit_known = 0;
    audit_net_forget(db);
    db_images_forget(db);
    return access_flush(db); /* what was read was read, dry run or not */
}

static const char *const role_names[] = {
    [BTI_ROLE_NONE] = "none",
    [BTI_ROLE_REPORT] = "report",
    [BTI_ROLE_CASEWORKER] = "caseworker",
    [BTI_ROLE_ADMIN] = "admin",
    [BTI_ROLE_COORDINATOR] = "coordinator",
};

/* The role named by s. */
static enum bti_role role_from_name(const char *s)
{
    for (int r = BTI_ROLE_REPORT; r <= BTI_ROLE_COORDINATOR; r++)
        if (strcmp(s, role_names[r]) == 0)
            return (enum bti_role)r;
    return BTI_ROLE_NONE;
}

/* The active role of the context's login in *have, and for a coordinator
 * login its coordinator in *coordinator. */
static int login_role(struct bti_db *db, enum bti_role *have, long long *coordinator)
{
    static const char sql[] = "SELECT role, coalesce((SELECT coordinator_id FROM user_coordinator"
                              " WHERE user_id = u.id), 0) FROM user u"
                              " WHERE login = ? AND retired IS NULL";
    sqlite3_stmt *st = db_stmt(db, sql);
    if (!st || db_bind(db, st, "t", db->ctx.login))
        return bti_error_code();
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return db_fail(db, rc, _("cannot read the user table"));
    *have = rc == SQLITE_ROW ? role_from_name((const char *)sqlite3_column_text(st, 0))
                             : BTI_ROLE_NONE;
    *coordinator = rc == SQLITE_ROW ? sqlite3_column_int64(st, 1) : 0;
    sqlite3_reset(st);
    return 0;
}

/* Whether role `have` may run a verb that needs `need` (own_cases: a
 * coordinator may run it on its own cases). */
static int role_meets(enum bti_role have, enum bti_role need, int own_cases)
{
    if (have == BTI_ROLE_COORDINATOR)
        return own_cases;
    return have >= need && need != BTI_ROLE_COORDINATOR;
}

int bti_db_login(struct bti_db *db, enum bti_role need, int own_cases, enum bti_role *have)
{
    enum bti_role role = BTI_ROLE_NONE;
    long long coordinator = 0;
    int rc = login_role(db, &role, &coordinator);
    if (rc)
        return rc;
    if (have)
        *have = role;
    if (role == BTI_ROLE_NONE) {
        bti_error_set(BTI_EDENIED, _("the login '%s' has no role in this database"), db->ctx.login);
        return bti_error_set_hint(_("an admin can add it with 'bti user add %s --role ROLE'"),
                                  db->ctx.login);
    }
    if (role == BTI_ROLE_COORDINATOR && coordinator == 0)
        return bti_error_set(BTI_EDENIED, _("the login '%s' is bound to no coordinator"),
                             db->ctx.login);
    if (!role_meets(role, need, own_cases) && role == BTI_ROLE_COORDINATOR)
        return bti_error_set(BTI_EDENIED,
                             _("not allowed: the login '%s' is a coordinator's, for"
                               " the work on its own cases"),
                             db->ctx.login);
    if (!role_meets(role, need, own_cases))
        return bti_error_set(BTI_EDENIED, _("this needs the role '%s'; the login '%s' has '%s'"),
                             role_names[need], db->ctx.login, role_names[role]);
    db->scope = role == BTI_ROLE_COORDINATOR ? coordinator : 0;
    db->names = role != BTI_ROLE_REPORT && !db->ctx.pseudonymous;
    return 0;
}

int bti_db_require_role(struct bti_db *db, enum bti_role need)
{
    return bti_db_login(db, need, 0, NULL);
}

int db_cache_size(struct bti_db *db, long long size, long long *was)
{
    char sql[64];
    int rc = db_int(db, was, "PRAGMA cache_size", "");
    snprintf(sql, sizeof sql, "PRAGMA cache_size = %lld", size);
    if (rc == 0)
        rc = sqlite3_exec(db->h, sql, NULL, NULL, NULL) == SQLITE_OK
                 ? 0
                 : db_fail(db, sqlite3_errcode(db->h), _("cannot size the page cache"));
    return rc;
}

/* Migrate inside the caller's transaction when there is one, else in a
 * transaction of its own, reading the version again under its lock:
 * another bti may have migrated while this one waited for it. */
int schema_migrate(struct bti_db *db)
{
    long long v = 0;
    int rc = schema_user_version(db, &v);
    if (rc || v >= bti_db_schema_version() || db->in_tx)
        return rc ? rc : schema_migrate_from(db, v);
    rc = bti_db_begin(db, 1);
    if (rc == 0)
        rc = schema_user_version(db, &v);
    if (rc == 0)
        rc = schema_migrate_from(db, v);
    if (rc == 0)
        return bti_db_commit(db);
    bti_db_rollback(db);
    return rc;
}
