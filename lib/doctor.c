/*
 * bti doctor (SPEC section 9): integrity, foreign keys, the audit chain,
 * every data row against its last audit entry, the schema as this bti makes
 * it, file modes, WAL and encryption.  Each check hands its result on as
 * rows of one listing; a detail names tables, ids, columns and files, never
 * a value.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include "bti/audit.h"
#include "bti/doctor.h"
#include "doctor.h"
#include "store/store.h"
#include "store/caches.h"
#include "base/intl.h"
#include "base/list.h"

/* FAIL rows one check hands on; past that they are only counted. */
#define FINDINGS_MAX 100
/* Room for one detail. */
#define DETAIL_MAX 1024
/* How deep the encryption check follows devices stacked on devices. */
#define CRYPT_DEPTH 8

static const struct bti_col doctor_col[] = {
    {"check", BTI_T_TEXT},
    {"status", BTI_T_TEXT},
    {"detail", BTI_T_TEXT},
};
const struct bti_cols bti_doctor_cols = BTI_COLS(doctor_col);

/* The objects of one kind in the schema this bti creates. */
struct objects {
    size_t n;
    struct object {
        char *type, *name, *sql;
        int seen;
    } * v;
};

/* One run of the doctor. */
struct doctor {
    struct bti_db *db;
    struct bti_db *fresh; /* the schema this bti creates, in memory */
    char path[PATH_MAX];  /* the database file */
    bti_row_fn fn;
    void *arg;
    const char *check;  /* the running check */
    long long findings; /* its findings so far */
    int failed;         /* checks that found something */
    /* the data check: the table being compared, and its counts */
    const char *table;
    long long rows, matched, skipped;
    struct objects *want; /* the schema check: the fresh schema's objects */
};

/* Hand on a row of the running check with a formatted detail. */
static int emit_v(struct doctor *d, const char *status, const char *fmt, va_list ap)
{
    char detail[DETAIL_MAX];
    vsnprintf(detail, sizeof detail, fmt, ap);
    struct bti_value vals[3] = {{.s = d->check}, {.s = status}, {.s = detail}};
    struct bti_row row = {doctor_col, 3, vals};
    return d->fn(&row, d->arg);
}

/* Hand on a row of the running check. */
static int __attribute__((format(printf, 3, 4)))
emit(struct doctor *d, const char *status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = emit_v(d, status, fmt, ap);
    va_end(ap);
    return rc;
}

/* A problem the running check found: a FAIL row, while there are few. */
static int __attribute__((format(printf, 2, 3))) finding(struct doctor *d, const char *fmt, ...)
{
    if (++d->findings > FINDINGS_MAX)
        return 0;
    va_list ap;
    va_start(ap, fmt);
    int rc = emit_v(d, "FAIL", fmt, ap);
    va_end(ap);
    return rc;
}

/* End the running check: the count of findings not shown, or the ok row
 * with this detail when it found nothing. */
static int __attribute__((format(printf, 2, 3))) conclude(struct doctor *d, const char *fmt, ...)
{
    if (d->findings > FINDINGS_MAX)
        return emit(d, "FAIL", _("%lld more findings not shown"), d->findings - FINDINGS_MAX);
    if (d->findings > 0)
        return 0;
    va_list ap;
    va_start(ap, fmt);
    int rc = emit_v(d, "ok", fmt, ap);
    va_end(ap);
    return rc;
}

/* What a check does with one row of its query. */
typedef int (*row_fn)(struct doctor *d, sqlite3_stmt *st);

/* Step st, a statement of db, to its end, handing each row to row.  A
 * corrupt database is a finding; another failure ends the doctor. */
static int each_row(struct doctor *d, struct bti_db *db, sqlite3_stmt *st, row_fn row)
{
    int rc, stop = 0;
    while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW)
        stop = row(d, st);
    if (stop || rc == SQLITE_DONE)
        return stop;
    if ((rc & 0xff) == SQLITE_CORRUPT || (rc & 0xff) == SQLITE_NOTADB)
        return finding(d, _("cannot read the database: %s"), sqlite3_errmsg(db->h));
    return db_fail(db, rc, _("cannot read the database"));
}

/* Run the cached statement sql of db, handing each row to row. */
static int each_cached(struct doctor *d, struct bti_db *db, const char *sql, row_fn row)
{
    sqlite3_stmt *st = db_stmt(db, sql);
    if (!st)
        return bti_error_code();
    int rc = each_row(d, db, st, row);
    sqlite3_reset(st);
    return rc;
}

/* ---- erasures ------------------------------------------------------------- */

/* A finding for an audit row whose JSON is gone without an erasure. */
static int unerased_row(struct doctor *d, sqlite3_stmt *st)
{
    return finding(d, _("audit row %lld (%s %lld) lost its values, but no erasure entry names it"),
                   (long long)sqlite3_column_int64(st, 0), (const char *)sqlite3_column_text(st, 1),
                   (long long)sqlite3_column_int64(st, 2));
}

/* Every audit row without its JSON lies under a later erasure entry that
 * names it (an entry written before erasures named their rows covers every
 * row before it), and no erasure entry lost its own. */
static int check_erasures(struct doctor *d)
{
    static const char sql[] =
        "SELECT a.id, a.entity, coalesce(a.entity_id, 0) FROM audit a WHERE a.change IS NULL"
        " AND (a.entity = 'erasure' OR NOT EXISTS (SELECT 1 FROM audit e"
        "  WHERE e.entity = 'erasure' AND e.id > a.id AND e.change IS NOT NULL"
        "  AND (instr(e.change, '[\"' || a.entity || '\",' || a.entity_id || ']') > 0"
        "   OR instr(e.change, '\"erased\":') = 0)))"
        " ORDER BY a.id";
    int rc = each_cached(d, d->db, sql, unerased_row);
    return rc ? rc : conclude(d, _("every erased audit row lies under an erasure entry"));
}

/* A finding for a row that ends before it began. */
static int backwards_row(struct doctor *d, sqlite3_stmt *st)
{
    return finding(d, _("%s %lld ends before it began"), (const char *)sqlite3_column_text(st, 0),
                   (long long)sqlite3_column_int64(st, 1));
}

/* No assignment or plan ends before it began (issue 14: a close or a
 * change of coordinator dated before them made such rows). */
static int check_dates(struct doctor *d)
{
    static const char sql[] =
        "SELECT 'assignment', id FROM assignment WHERE end < start"
        " UNION ALL SELECT 'plan', id FROM plan WHERE ended < started ORDER BY 1, 2";
    int rc = each_cached(d, d->db, sql, backwards_row);
    return rc ? rc : conclude(d, _("no assignment or plan ends before it began"));
}

/* A finding for a request whose derived standing differs from its rows. */
static int stale_row(struct doctor *d, sqlite3_stmt *st)
{
    return finding(d, _("request %lld: its derived standing differs from its decisions"),
                   (long long)sqlite3_column_int64(st, 0));
}

/* The derived caches equal what the audited rows give (issue 19): each
 * request's row of request_standing, none missing and none left over.
 * One pass over each table in request order, no set held in memory. */
static int check_caches(struct doctor *d)
{
    static const char sql[] =
        "SELECT w.request_id FROM (" CACHES_REQUEST_STANDING ") w"
        " LEFT JOIN request_standing s ON s.request_id = w.request_id"
        " WHERE s.request_id IS NULL OR s.case_id IS NOT w.case_id OR s.item IS NOT w.item"
        " OR s.received IS NOT w.received OR s.open IS NOT w.open"
        " OR s.outcome IS NOT w.outcome OR s.on_date IS NOT w.on_date"
        " UNION ALL SELECT s.request_id FROM request_standing s"
        " WHERE NOT EXISTS (SELECT 1 FROM request q WHERE q.id = s.request_id) ORDER BY 1";
    int rc = each_cached(d, d->db, sql, stale_row);
    return rc ? rc : conclude(d, _("every request's derived standing is up to date"));
}

/* ---- integrity and foreign keys ------------------------------------------ */

/* One line of integrity_check: "ok", or a problem. */
static int integrity_row(struct doctor *d, sqlite3_stmt *st)
{
    const char *msg = (const char *)sqlite3_column_text(st, 0);
    return msg && strcmp(msg, "ok") == 0 ? 0 : finding(d, "%s", msg ? msg : _("(no message)"));
}

/* SQLite's integrity_check: pages, records and indexes. */
static int check_integrity(struct doctor *d)
{
    int rc = each_cached(d, d->db, "PRAGMA integrity_check", integrity_row);
    return rc ? rc : conclude(d, _("integrity_check: ok"));
}

/* One dangling reference: table, rowid, parent table. */
static int foreign_key_row(struct doctor *d, sqlite3_stmt *st)
{
    return finding(d, _("%s %lld refers to a %s row that does not exist"),
                   (const char *)sqlite3_column_text(st, 0), sqlite3_column_int64(st, 1),
                   (const char *)sqlite3_column_text(st, 2));
}

/* foreign_key_check: every reference finds its row. */
static int check_foreign_keys(struct doctor *d)
{
    int rc = each_cached(d, d->db, "PRAGMA foreign_key_check", foreign_key_row);
    return rc ? rc : conclude(d, _("every reference resolves"));
}

/* ---- the audit ------------------------------------------------------------ */

/* The hash chains of the audit and the access log, as audit verify checks them. */
static int check_audit_chain(struct doctor *d)
{
    long long rows = 0, access = 0;
    int rc = bti_audit_verify(d->db, NULL);
    if (rc == BTI_ECHECK) {
        rc = finding(d, "%s", bti_error_last());
        bti_error_clear();
        return rc;
    }
    if (rc == 0)
        rc = db_int(d->db, &rows, "SELECT count(*) FROM audit", "");
    if (rc == 0)
        rc = db_int(d->db, &access, "SELECT count(*) FROM access", "");
    return rc ? rc
              : conclude(d, _("%lld rows and %lld access rows, the chains hold"), rows, access);
}

/* Whether column i of st holds the value item has, as db_row_json would
 * have written it: numbers, null, or the text. */
static int value_equal(sqlite3_stmt *st, int i, const cJSON *item)
{
    switch (sqlite3_column_type(st, i)) {
    case SQLITE_NULL: return cJSON_IsNull(item);
    case SQLITE_INTEGER:
        return cJSON_IsNumber(item) && item->valuedouble == (double)sqlite3_column_int64(st, i);
    case SQLITE_FLOAT:
        return cJSON_IsNumber(item) && item->valuedouble == sqlite3_column_double(st, i);
    default: {
        const char *s = (const char *)sqlite3_column_text(st, i);
        return cJSON_IsString(item) && strcmp(item->valuestring, s ? s : "") == 0;
    }
    }
}

/* Append word to the comma-separated list in buf (size bytes). */
static void list_add(char *buf, size_t size, const char *word)
{
    size_t len = strlen(buf);
    snprintf(buf + len, size - len, "%s%s", len ? ", " : "", word);
}

/* Whether st has a column of this name from column `first` on. */
static int has_column(sqlite3_stmt *st, int first, const char *name)
{
    for (int i = first; i < sqlite3_column_count(st); i++)
        if (strcmp(sqlite3_column_name(st, i), name) == 0)
            return 1;
    return 0;
}

/* Whether column i of st, which the audit entry does not name (a column
 * a migration added after it was written), holds the column's default. */
static int default_equal(struct doctor *d, sqlite3_stmt *st, int i)
{
    static const char sql[] = "SELECT dflt_value FROM pragma_table_info(?) WHERE name = ?";
    sqlite3_stmt *q = db_stmt(d->db, sql);
    if (!q || db_bind(d->db, q, "tt", d->table, sqlite3_column_name(st, i)))
        return 0;
    int found = sqlite3_step(q) == SQLITE_ROW;
    const char *dflt = found ? (const char *)sqlite3_column_text(q, 0) : NULL;
    const char *now = (const char *)sqlite3_column_text(st, i);
    int equal = found && (dflt ? now && strcmp(dflt, now) == 0 : now == NULL);
    sqlite3_reset(q);
    return equal;
}

/* The columns from `first` on of st's row that differ from obj's members,
 * named in diff (size bytes); the number of differences. */
static int diff_row(struct doctor *d, sqlite3_stmt *st, int first, const cJSON *obj, char *diff,
                    size_t size)
{
    int n = 0, extra = 0;
    diff[0] = '\0';
    for (int i = first; i < sqlite3_column_count(st); i++) {
        const char *name = sqlite3_column_name(st, i);
        const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, name);
        if (item ? !value_equal(st, i, item) : !default_equal(d, st, i)) {
            list_add(diff, size, name);
            n++;
        }
    }
    /* members no column has are counted, never named: the audit may be forged */
    for (const cJSON *m = obj->child; m; m = m->next)
        extra += !m->string || !has_column(st, first, m->string);
    if (extra > 0) {
        char more[64];
        snprintf(more, sizeof more,
                 dngettext(BTI_TEXTDOMAIN, "%d column the table lacks",
                           "%d columns the table lacks", (unsigned long)extra),
                 extra);
        list_add(diff, size, more);
    }
    return n + extra;
}

/* The `new` member of an audit row's change text, from doc (freed by the
 * caller); NULL when it is not an object or null. */
static const cJSON *change_new(sqlite3_stmt *st, int col, cJSON **doc)
{
    *doc = cJSON_ParseWithLength((const char *)sqlite3_column_text(st, col),
                                 (size_t)sqlite3_column_bytes(st, col));
    const cJSON *now = cJSON_GetObjectItemCaseSensitive(*doc, "new");
    return cJSON_IsObject(now) || cJSON_IsNull(now) ? now : NULL;
}

/* One data row (t.id, audit id, change, t.*) against its last audit entry. */
static int data_row(struct doctor *d, sqlite3_stmt *st)
{
    long long id = sqlite3_column_int64(st, 0), aid = sqlite3_column_int64(st, 1);
    char diff[DETAIL_MAX / 2];
    cJSON *doc = NULL;
    d->rows++;
    if (sqlite3_column_type(st, 1) == SQLITE_NULL)
        return finding(d, _("%s %lld has no audit entry"), d->table, id);
    if (sqlite3_column_type(st, 2) == SQLITE_NULL) {
        d->skipped++;
        return 0;
    }
    const cJSON *now = change_new(st, 2, &doc);
    int rc = 0;
    if (!now)
        rc = finding(d, _("audit row %lld of %s %lld cannot be read"), aid, d->table, id);
    else if (cJSON_IsNull(now))
        rc = finding(d, _("%s %lld exists, but audit row %lld says it was deleted"), d->table, id,
                     aid);
    else if (diff_row(d, st, 3, now, diff, sizeof diff))
        rc = finding(d, _("%s %lld differs from audit row %lld in: %s"), d->table, id, aid, diff);
    else
        d->matched++;
    cJSON_Delete(doc);
    return rc;
}

/* One last audit entry (entity id, audit id, erased, type of `new`) of a
 * row that does not exist. */
static int gone_row(struct doctor *d, sqlite3_stmt *st)
{
    long long id = sqlite3_column_int64(st, 0), aid = sqlite3_column_int64(st, 1);
    const char *type = (const char *)sqlite3_column_text(st, 3);
    if (sqlite3_column_int(st, 2)) {
        d->skipped++;
        return 0;
    }
    if (type && strcmp(type, "null") == 0)
        return 0;
    if (type && strcmp(type, "object") == 0)
        return finding(d, _("audit row %lld says %s %lld exists, but it does not"), aid, d->table,
                       id);
    return finding(d, _("audit row %lld of %s %lld cannot be read"), aid, d->table, id);
}

/* Run sql (a format with one %w for the table) for the current table,
 * with the table's name bound to ?1, handing each row to row. */
static int each_in_table(struct doctor *d, const char *sql, row_fn row)
{
    char *text = sqlite3_mprintf(sql, d->table);
    sqlite3_stmt *st = NULL;
    if (!text)
        return bti_error_set(BTI_EDB, _("out of memory"));
    int rc = sqlite3_prepare_v2(d->db->h, text, -1, &st, NULL);
    sqlite3_free(text);
    if (rc != SQLITE_OK)
        return db_fail(d->db, rc, _("cannot prepare a statement"));
    rc = sqlite3_bind_text(st, 1, d->table, -1, SQLITE_STATIC);
    rc = rc == SQLITE_OK ? each_row(d, d->db, st, row)
                         : db_fail(d->db, rc, _("cannot bind a value"));
    sqlite3_finalize(st);
    return rc;
}

/* Compare every row of the current table with the last audit entry of its
 * id, and find last entries of rows that are gone: one query each,
 * streamed. */
static int compare_table(struct doctor *d)
{
    static const char rows_sql[] =
        "SELECT t.id, a.id, a.change, t.* FROM \"%w\" AS t LEFT JOIN audit AS a"
        " ON a.id = (SELECT max(id) FROM audit WHERE entity = ?1 AND entity_id = t.id)";
    static const char gone_sql[] =
        "SELECT l.entity_id, a.id, a.change IS NULL,"
        "  CASE WHEN json_valid(a.change) THEN json_type(a.change, '$.new') END"
        " FROM (SELECT max(id) AS id, entity_id FROM audit"
        "  WHERE entity = ?1 AND entity_id IS NOT NULL GROUP BY entity_id) AS l"
        " JOIN audit AS a ON a.id = l.id"
        " WHERE NOT EXISTS (SELECT 1 FROM \"%w\" AS t WHERE t.id = l.entity_id)";
    int rc = each_in_table(d, rows_sql, data_row);
    return rc ? rc : each_in_table(d, gone_sql, gone_row);
}

/* Every row of every table in the compiled list against its last audit
 * entry. */
static int check_data(struct doctor *d)
{
    char skipped[128] = "";
    int rc = 0;
    for (size_t i = 0; rc == 0 && (d->table = db_table(i)) != NULL; i++)
        rc = compare_table(d);
    d->table = NULL;
    if (d->skipped)
        snprintf(skipped, sizeof skipped, _("; %lld not compared: their audit values were erased"),
                 d->skipped);
    if (rc == 0)
        rc = conclude(d, _("%lld rows match their last audit entry%s"), d->matched, skipped);
    if (rc == 0 && d->findings)
        rc = emit(d, "FAIL",
                  dngettext(BTI_TEXTDOMAIN,
                            "%lld finding; %lld of %lld rows match their last audit entry%s",
                            "%lld findings; %lld of %lld rows match their last audit entry%s",
                            (unsigned long)d->findings),
                  d->findings, d->matched, d->rows, skipped);
    return rc;
}

/* ---- the schema ----------------------------------------------------------- */

/* Free the objects of o. */
static void objects_free(struct objects *o)
{
    for (size_t i = 0; i < o->n; i++) {
        free(o->v[i].type);
        free(o->v[i].name);
        free(o->v[i].sql);
    }
    free(o->v);
}

/* A copy of column i of st ("" for NULL), or NULL when out of memory. */
static char *column_dup(sqlite3_stmt *st, int i)
{
    const char *s = (const char *)sqlite3_column_text(st, i);
    return strdup(s ? s : "");
}

/* Add the current row of st (type, name, sql) to o. */
static int objects_add(struct objects *o, sqlite3_stmt *st)
{
    struct object *v = realloc(o->v, (o->n + 1) * sizeof *v);
    if (!v)
        return bti_error_set(BTI_EDB, _("out of memory"));
    o->v = v;
    struct object *obj = &v[o->n++];
    obj->type = column_dup(st, 0);
    obj->name = column_dup(st, 1);
    obj->sql = column_dup(st, 2);
    obj->seen = 0;
    return obj->type && obj->name && obj->sql ? 0 : bti_error_set(BTI_EDB, _("out of memory"));
}

/* Keep one object of the fresh schema. */
static int object_row(struct doctor *d, sqlite3_stmt *st)
{
    return objects_add(d->want, st);
}

/* The object of o with this type and name, or NULL. */
static struct object *objects_find(struct objects *o, const char *type, const char *name)
{
    for (size_t i = 0; i < o->n; i++)
        if (strcmp(o->v[i].type, type) == 0 && strcmp(o->v[i].name, name) == 0)
            return &o->v[i];
    return NULL;
}

/* One object of the database (type, name, sql) against the fresh schema. */
static int schema_row(struct doctor *d, sqlite3_stmt *st)
{
    const char *type = (const char *)sqlite3_column_text(st, 0);
    const char *name = (const char *)sqlite3_column_text(st, 1);
    const char *text = (const char *)sqlite3_column_text(st, 2);
    struct object *o = objects_find(d->want, type, name);
    if (!o)
        return finding(d, _("%s %s was not made by bti"), type, name);
    o->seen = 1;
    if (strcmp(o->sql, text ? text : "") != 0)
        return finding(d, _("%s %s differs from the one bti made"), type, name);
    return 0;
}

/* Compare the database's objects that sql selects (type, name, sql) with
 * those of the fresh schema; `what` names them. */
static int compare_schema(struct doctor *d, const char *sql, const char *what)
{
    struct objects want = {0};
    d->want = &want;
    int rc = each_cached(d, d->fresh, sql, object_row);
    if (rc == 0)
        rc = each_cached(d, d->db, sql, schema_row);
    for (size_t i = 0; rc == 0 && i < want.n; i++)
        if (!want.v[i].seen)
            rc = finding(d, _("%s %s is missing"), want.v[i].type, want.v[i].name);
    if (rc == 0)
        rc = conclude(d, _("%zu %s as bti made them"), want.n, what);
    objects_free(&want);
    d->want = NULL;
    return rc;
}

/* The triggers, which keep the logs append-only, exactly as bti makes them. */
static int check_triggers(struct doctor *d)
{
    static const char sql[] = "SELECT type, name, sql FROM sqlite_master WHERE type = 'trigger'"
                              " ORDER BY name";
    return compare_schema(d, sql, "triggers");
}

/* The tables, indexes and views as bti makes them. */
static int check_schema(struct doctor *d)
{
    static const char sql[] = "SELECT type, name, sql FROM sqlite_master"
                              " WHERE type IN ('table', 'index', 'view')"
                              " AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY type, name";
    return compare_schema(d, sql, _("tables, indexes and views"));
}

/* A database in memory with the schema this bti creates. */
static int fresh_schema(struct bti_db *db, struct bti_db **out)
{
    struct bti_db *f = calloc(1, sizeof *f);
    if (!f)
        return bti_error_set(BTI_EDB, _("out of memory"));
    f->ctx = db->ctx;
    int rc = sqlite3_open_v2(":memory:", &f->h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    rc =
        rc == SQLITE_OK ? schema_migrate(f) : db_fail(f, rc, _("cannot open a database in memory"));
    if (rc) {
        bti_db_close(f);
        return rc;
    }
    *out = f;
    return 0;
}

/* ---- files ---------------------------------------------------------------- */

/* The modes a database's files must have: private (directory 0700, files
 * 0600, all this user's) or shared (SPEC section 9: directory 2770, files
 * 0660, all in the directory's group, owned by whoever made them). */
struct layout {
    int shared;
    mode_t dir, file;
    gid_t gid;
};

/* The layout the directory's mode chooses. */
static struct layout pick_layout(const struct stat *dir)
{
    struct layout l = {0, 0700, 0600, 0};
    if ((dir->st_mode & 07777) == 02770)
        l = (struct layout){1, 02770, 0660, dir->st_gid};
    return l;
}

/* Check the owner (private) or group (shared) of the file at path. */
static int check_owner(struct doctor *d, const char *path, const struct stat *st,
                       const struct layout *l)
{
    if (l->shared && st->st_gid != l->gid)
        return finding(d, _("'%s' belongs to group %u, not to the database's group %u"), path,
                       (unsigned)st->st_gid, (unsigned)l->gid);
    if (!l->shared && st->st_uid != geteuid())
        return finding(d, _("'%s' belongs to uid %u, not to this user (uid %u)"), path,
                       (unsigned)st->st_uid, (unsigned)geteuid());
    return 0;
}

/* Check that path is of file type `type` with mode `want` and the
 * layout's owner or group; a missing optional file passes. */
static int check_mode(struct doctor *d, const char *path, mode_t type, mode_t want, int optional,
                      const struct layout *l)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return optional && errno == ENOENT
                   ? 0
                   : finding(d, _("cannot read '%s': %s"), path, strerror(errno));
    if ((st.st_mode & S_IFMT) != type)
        return finding(d, _("'%s' is not a %s"), path,
                       type == S_IFDIR ? _("directory") : _("regular file"));
    int rc = 0;
    if ((st.st_mode & 07777) != want)
        rc = finding(d, _("'%s' has mode %04o; it should be %04o"), path,
                     (unsigned)(st.st_mode & 07777), (unsigned)want);
    return rc ? rc : check_owner(d, path, &st, l);
}

/* A shared database's group must be one no person belongs to. */
static int check_group(struct doctor *d, gid_t gid)
{
    const struct group *g = getgrgid(gid);
    if (g && g->gr_mem && g->gr_mem[0])
        return finding(d,
                       _("the database's group %s has members; it should be one no person"
                         " belongs to"),
                       g->gr_name);
    return 0;
}

/* The database file, its -wal and -shm files and its directory, private
 * or shared. */
static int check_permissions(struct doctor *d)
{
    static const char *const sidecars[] = {"-wal", "-shm"};
    char buf[PATH_MAX], side[PATH_MAX + 8];
    struct stat st;
    snprintf(buf, sizeof buf, "%s", d->path);
    const char *dir = dirname(buf);
    if (lstat(dir, &st) != 0)
        return finding(d, _("cannot read '%s': %s"), dir, strerror(errno));
    struct layout l = pick_layout(&st);
    int rc = check_mode(d, dir, S_IFDIR, l.dir, 0, &l);
    if (rc == 0)
        rc = check_mode(d, d->path, S_IFREG, l.file, 0, &l);
    for (size_t i = 0; rc == 0 && i < sizeof sidecars / sizeof sidecars[0]; i++) {
        snprintf(side, sizeof side, "%s%s", d->path, sidecars[i]);
        rc = check_mode(d, side, S_IFREG, l.file, 1, &l);
    }
    if (rc == 0 && l.shared)
        rc = check_group(d, l.gid);
    if (rc)
        return rc;
    if (l.shared)
        return conclude(d,
                        _("shared: the database and its -wal and -shm 0660, its directory 2770,"
                          " all in group %u"),
                        (unsigned)l.gid);
    return conclude(d, _("the database and its -wal and -shm 0600, its directory 0700"));
}

/* The journal mode, which must be wal. */
static int journal_row(struct doctor *d, sqlite3_stmt *st)
{
    const char *mode = (const char *)sqlite3_column_text(st, 0);
    if (mode && strcmp(mode, "wal") == 0)
        return 0;
    return finding(d, _("journal_mode is %s, not wal"), mode ? mode : "unknown");
}

/* WAL mode, and the size of the WAL file. */
static int check_wal(struct doctor *d)
{
    char wal[PATH_MAX + 8];
    struct stat st;
    int rc = each_cached(d, d->db, "PRAGMA journal_mode", journal_row);
    snprintf(wal, sizeof wal, "%s-wal", d->path);
    long long size = stat(wal, &st) == 0 ? (long long)st.st_size : 0;
    char marker[PATH_MAX + 16];
    if (rc == 0 && size > 0 && access(bti_db_erased_marker(d->path, marker), F_OK) == 0)
        return emit(d, "WARN",
                    _("an erasure's old values still wait in the WAL (%lld bytes): a reader"
                      " blocked its truncation; the next write removes them"),
                    size);
    return rc ? rc : conclude(d, _("journal_mode wal; the WAL file holds %lld bytes"), size);
}

/* Read the first line of the file at path into buf (size bytes). */
static int read_line(const char *path, char *buf, size_t size)
{
    FILE *fp = fopen(path, "re");
    int ok = fp && fgets(buf, (int)size, fp) != NULL;
    if (fp)
        fclose(fp);
    if (ok)
        buf[strcspn(buf, "\n")] = '\0';
    return ok;
}

/* Whether the block device maj:min is a dm-crypt device, or stands wholly
 * on such devices (LVM on LUKS). */
static int dm_crypt(const char *sys_block, unsigned maj, unsigned min, int depth)
{
    char path[PATH_MAX], line[256];
    snprintf(path, sizeof path, "%s/%u:%u/dm/uuid", sys_block, maj, min);
    if (read_line(path, line, sizeof line) && strncmp(line, "CRYPT-", 6) == 0)
        return 1;
    snprintf(path, sizeof path, "%s/%u:%u/slaves", sys_block, maj, min);
    DIR *dir = depth < CRYPT_DEPTH ? opendir(path) : NULL;
    int n = 0, all = dir != NULL;
    for (struct dirent *e; dir && (e = readdir(dir)) != NULL;) {
        char dev[PATH_MAX + 300];
        unsigned smaj, smin;
        if (e->d_name[0] == '.')
            continue;
        snprintf(dev, sizeof dev, "%s/%s/dev", path, e->d_name);
        n++;
        all = all && read_line(dev, line, sizeof line) &&
              sscanf(line, "%u:%u", &smaj, &smin) == 2 &&
              dm_crypt(sys_block, smaj, smin, depth + 1);
    }
    if (dir)
        closedir(dir);
    return n > 0 && all;
}

/* Find the mount of device dev in mountinfo: its file system type and
 * source (buffers of 256 bytes).  Non-zero when found. */
static int find_mount(const char *mountinfo, dev_t dev, char *fstype, char *source)
{
    FILE *fp = fopen(mountinfo, "re");
    char *line = NULL;
    size_t cap = 0;
    int found = 0;
    while (fp && !found && getline(&line, &cap, fp) > 0) {
        unsigned maj, min;
        const char *sep = strstr(line, " - ");
        found = sep && sscanf(line, "%*s %*s %u:%u", &maj, &min) == 2 && makedev(maj, min) == dev &&
                sscanf(sep + 3, "%255s %255s", fstype, source) == 2;
    }
    free(line);
    if (fp)
        fclose(fp);
    return found;
}

enum bti_crypt bti_doctor_crypt(dev_t dev, const char *mountinfo, const char *sys_block)
{
    char fstype[256], source[256];
    struct stat st;
    if (!find_mount(mountinfo, dev, fstype, source))
        return BTI_CRYPT_NONE;
    if (strcmp(fstype, "ecryptfs") == 0)
        return BTI_CRYPT_ECRYPTFS;
    /* a file system without a device number of its own (btrfs): its source */
    if (major(dev) == 0 && stat(source, &st) == 0 && S_ISBLK(st.st_mode))
        dev = st.st_rdev;
    if (major(dev) == 0)
        return BTI_CRYPT_NONE;
    return dm_crypt(sys_block, major(dev), minor(dev), 0) ? BTI_CRYPT_DM : BTI_CRYPT_NONE;
}

/* A warning, never a failure, when the database is on no encrypted device. */
static int check_encryption(struct doctor *d)
{
    static const char *const names[] = {
        [BTI_CRYPT_NONE] = "none",
        [BTI_CRYPT_DM] = "dm-crypt",
        [BTI_CRYPT_ECRYPTFS] = "ecryptfs",
        [BTI_CRYPT_FSCRYPT] = "fscrypt",
    };
    struct statx sx;
    enum bti_crypt crypt = BTI_CRYPT_NONE;
    if (statx(AT_FDCWD, d->path, AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, &sx) != 0)
        return finding(d, _("cannot read '%s': %s"), d->path, strerror(errno));
    if (sx.stx_attributes_mask & sx.stx_attributes & STATX_ATTR_ENCRYPTED)
        crypt = BTI_CRYPT_FSCRYPT;
    else
        crypt = bti_doctor_crypt(makedev(sx.stx_dev_major, sx.stx_dev_minor),
                                 "/proc/self/mountinfo", "/sys/dev/block");
    if (crypt == BTI_CRYPT_NONE)
        return emit(d, "WARN",
                    _("the database is not on an encrypted device (dm-crypt, fscrypt or"
                      " ecryptfs)"));
    return conclude(d, _("the database is encrypted with %s"), names[crypt]);
}

/* ---- the run -------------------------------------------------------------- */

/* The checks, in the order they run, by the names the listing gives them. */
static const struct {
    const char *name;
    int (*run)(struct doctor *d);
    int file; /* looks at the files: skipped for a database in memory */
} checks[] = {
    {"integrity", check_integrity, 0},
    {"foreign keys", check_foreign_keys, 0},
    {"audit chain", check_audit_chain, 0},
    {"erasures", check_erasures, 0},
    {"data", check_data, 0},
    {"dates", check_dates, 0},
    {"caches", check_caches, 0},
    {"triggers", check_triggers, 0},
    {"schema", check_schema, 0},
    {"permissions", check_permissions, 1},
    {"wal", check_wal, 1},
    {"encryption", check_encryption, 1},
};

int bti_doctor(struct bti_db *db, bti_row_fn fn, void *arg)
{
    return doctor_run(db, fn, arg, NULL);
}

int doctor_run(struct bti_db *db, bti_row_fn fn, void *arg, const char *const *skip)
{
    struct doctor d = {.db = db, .fn = fn, .arg = arg};
    const char *path = sqlite3_db_filename(db->h, "main");
    if (path && strlen(path) >= sizeof d.path)
        return bti_error_set(BTI_EDB, _("the database has no file the doctor can check"));
    snprintf(d.path, sizeof d.path, "%s", path ? path : "");
    int rc = fresh_schema(db, &d.fresh);
    for (size_t i = 0; rc == 0 && i < sizeof checks / sizeof checks[0]; i++) {
        if ((checks[i].file && !d.path[0]) /* a dry run's restore, in memory */ ||
            list_has(skip, checks[i].name))
            continue;
        d.check = checks[i].name;
        d.findings = 0;
        rc = checks[i].run(&d);
        d.failed += d.findings > 0;
    }
    bti_db_close(d.fresh);
    if (rc == 0 && d.failed)
        rc = bti_error_set(BTI_ECHECK,
                           dngettext(BTI_TEXTDOMAIN, "the doctor found problems in %d check",
                                     "the doctor found problems in %d checks",
                                     (unsigned long)d.failed),
                           d.failed);
    return rc;
}
