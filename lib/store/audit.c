/*
 * The hash-chained audit and the access log (SPEC section 9).
 */
#include <errno.h>
#include <stdarg.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <nettle/sha2.h>
#include "bti/audit.h"
#include "store/store.h"
#include "base/intl.h"
#include "base/idset.h"

#define SALT_LEN 16
#define HASH_LEN SHA256_DIGEST_SIZE

/* A hash fed through a buffer: a row's fields are many short pieces, and
 * one sha256_update per piece cost more than the hashing (issue 19); the
 * bytes hashed are the same. */
struct hasher {
    struct sha256_ctx h;
    size_t n;
    uint8_t buf[512];
};

static void hasher_init(struct hasher *x)
{
    sha256_init(&x->h);
    x->n = 0;
}

/* Feed len bytes at p. */
static void hasher_put(struct hasher *x, const void *p, size_t len)
{
    if (x->n + len > sizeof x->buf) {
        sha256_update(&x->h, x->n, x->buf);
        x->n = 0;
    }
    if (len > sizeof x->buf) {
        sha256_update(&x->h, len, p);
        return;
    }
    memcpy(x->buf + x->n, p, len);
    x->n += len;
}

/* The digest of everything fed. */
static void hasher_digest(struct hasher *x, unsigned char *out)
{
    sha256_update(&x->h, x->n, x->buf);
    sha256_digest(&x->h, HASH_LEN, out);
}

/* Feed one length-prefixed field to the hash: a tag byte (0 present,
 * 1 NULL), then for a present value its length as 8 bytes big-endian and
 * the bytes. */
static void hash_field(struct hasher *h, const void *p, size_t len)
{
    uint8_t tag = p ? 0 : 1;
    hasher_put(h, &tag, 1);
    if (!p)
        return;
    uint8_t n[8];
    for (int i = 0; i < 8; i++)
        n[i] = (uint8_t)((uint64_t)len >> (56 - 8 * i));
    hasher_put(h, n, sizeof n);
    hasher_put(h, p, len);
}

static void hash_text(struct hasher *h, const char *s)
{
    hash_field(h, s, s ? strlen(s) : 0);
}

static void hash_int(struct hasher *h, long long v, int present)
{
    char buf[JTEXT_INT_BUF];
    size_t n = jtext_format_int(v, buf);
    hash_field(h, present ? buf : NULL, n);
}

/* The row's hash: the previous hash, then every field in a fixed order. */
static void row_hash(const unsigned char *prev, const struct audit_row *r, unsigned char *out)
{
    struct hasher h;
    hasher_init(&h);
    hasher_put(&h, prev, HASH_LEN);
    hash_int(&h, r->id, 1);
    hash_text(&h, r->at);
    hash_text(&h, r->login);
    hash_text(&h, r->actor);
    hash_text(&h, r->command);
    hash_text(&h, r->entity);
    hash_int(&h, r->entity_id, r->has_entity_id);
    hash_text(&h, r->today);
    hash_field(&h, r->digest, HASH_LEN);
    hasher_digest(&h, out);
}

/* The access row's hash: the previous access row's hash, then every field
 * in a fixed order, as the audit's. */
static void access_hash(const unsigned char *prev, const struct access_row *r, unsigned char *out)
{
    struct hasher h;
    hasher_init(&h);
    hasher_put(&h, prev, HASH_LEN);
    hash_int(&h, r->id, 1);
    hash_text(&h, r->at);
    hash_text(&h, r->login);
    hash_text(&h, r->actor);
    hash_text(&h, r->command);
    hash_text(&h, r->entity);
    hash_text(&h, r->what);
    hash_int(&h, r->rows, 1);
    hash_int(&h, r->identify, 1);
    hasher_digest(&h, out);
}

/* The salted digest of a change document. */
static void change_digest(const unsigned char *salt, const char *json, unsigned char *out)
{
    struct sha256_ctx h;
    sha256_init(&h);
    sha256_update(&h, SALT_LEN, salt);
    sha256_update(&h, strlen(json), (const uint8_t *)json);
    sha256_digest(&h, HASH_LEN, out);
}

static const char last_audit[] =
    "SELECT id, hash FROM audit WHERE id = (SELECT max(id) FROM audit)";
static const char last_access[] =
    "SELECT id, hash FROM access WHERE id = (SELECT max(id) FROM access)";

/* The id and hash of the last row of a log (sql: last_audit or
 * last_access); id 0 when empty, a zero hash when empty or unhashed (an
 * access row from before its chain). */
static int last_row(struct bti_db *db, const char *sql, long long *id, unsigned char *hash)
{
    sqlite3_stmt *st = db_stmt(db, sql);
    if (!st)
        return bti_error_code();
    *id = 0;
    memset(hash, 0, HASH_LEN);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *id = sqlite3_column_int64(st, 0);
    if (rc == SQLITE_ROW && sqlite3_column_bytes(st, 1) == HASH_LEN)
        memcpy(hash, sqlite3_column_blob(st, 1), HASH_LEN);
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : db_fail(db, rc, _("cannot read the log"));
}

/* The real time now as an ISO UTC timestamp. */
static char *now_utc(char *buf)
{
    return bti_time_format_utc(time(NULL), buf);
}

/* db_bind's texts without a copy, for a statement run before they go. */
static int bind_borrowed(struct bti_db *db, sqlite3_stmt *st, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = db_bind_va_borrowed(db, st, fmt, &ap);
    va_end(ap);
    return rc;
}

/* Insert a finished row with its change JSON and salt. */
static int insert_row(struct bti_db *db, const struct audit_row *r, const char *json,
                      const unsigned char *salt, const unsigned char *hash)
{
    static const char sql[] = "INSERT INTO audit(id, at, login, actor, command, entity,"
                              " entity_id, today, change, salt, digest, hash)"
                              " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    sqlite3_stmt *st = db_stmt(db, sql);
    if (!st)
        return bti_error_code();
    int rc = bind_borrowed(db, st, "itttttitt", r->id, r->at, r->login, r->actor, r->command,
                           r->entity, r->entity_id, r->today, json);
    if (rc)
        return rc;
    if (!r->has_entity_id)
        sqlite3_bind_null(st, 7);
    sqlite3_bind_blob(st, 10, salt, SALT_LEN, SQLITE_STATIC);
    sqlite3_bind_blob(st, 11, r->digest, HASH_LEN, SQLITE_STATIC);
    sqlite3_bind_blob(st, 12, hash, HASH_LEN, SQLITE_STATIC);
    return db_exec_stmt(db, st);
}

/* Fill salt with random bytes from the kernel. */
static int random_salt(unsigned char *salt)
{
    static unsigned char pool[4096]; /* one system call for many rows */
    static size_t left;
    if (left < SALT_LEN) {
        if (getrandom(pool, sizeof pool, 0) != (ssize_t)sizeof pool)
            return bti_error_set(BTI_EDB, _("cannot get random bytes: %s"), strerror(errno));
        left = sizeof pool;
    }
    left -= SALT_LEN;
    memcpy(salt, pool + left, SALT_LEN);
    memset(pool + left, 0, SALT_LEN);
    return 0;
}

/* Append one row for the change document json. */
static int append_json(struct bti_db *db, const char *entity, long long id, const char *json)
{
    unsigned char salt[SALT_LEN], digest[HASH_LEN], prev[HASH_LEN], hash[HASH_LEN];
    char at[BTI_TIME_UTC_BUF], today[BTI_DATE_BUF];
    long long last = db->audit_last;
    int rc = random_salt(salt);
    if (rc == 0 && !db->audit_known)
        rc = last_row(db, last_audit, &last, prev);
    else
        memcpy(prev, db->audit_hash, HASH_LEN);
    if (rc)
        return rc;
    const struct bti_ctx *c = &db->ctx;
    change_digest(salt, json, digest);
    struct audit_row r = {
        .id = last + 1,
        .at = now_utc(at),
        .login = c->login,
        .actor = c->actor,
        .command = c->command,
        .entity = entity,
        .entity_id = id,
        .has_entity_id = id > 0,
        .today = c->today != c->real_today ? bti_date_format(c->today, today) : NULL,
        .digest = digest,
    };
    row_hash(prev, &r, hash);
    rc = insert_row(db, &r, json, salt, hash);
    db->audit_known = rc == 0;
    db->audit_last = r.id;
    memcpy(db->audit_hash, hash, HASH_LEN);
    return rc;
}

int audit_append(struct bti_db *db, const char *entity, long long id, cJSON *change)
{
    char *json = change ? cJSON_PrintUnformatted(change) : NULL;
    cJSON_Delete(change);
    if (!json)
        return bti_error_set(BTI_EDB, _("out of memory"));
    int rc = append_json(db, entity, id, json);
    cJSON_free(json);
    return rc;
}

void db_images_forget(struct bti_db *db)
{
    for (int i = 0; i < ROW_IMAGES; i++) {
        free(db->images[i].text);
        db->images[i] = (struct row_image){0};
    }
    db->image_mark = -1;
}

/* The kept image of row id of table, or NULL. */
static struct row_image *image_find(struct bti_db *db, const char *table, long long id)
{
    for (int i = 0; i < ROW_IMAGES; i++) {
        struct row_image *m = &db->images[i];
        if (m->text && m->id == id && strcmp(m->table, table) == 0)
            return m;
    }
    return NULL;
}

int db_row_image_known(struct bti_db *db, const char *table, long long id, struct jtext *j)
{
    struct row_image *m = sqlite3_total_changes64(db->h) == db->image_mark
                              ? image_find(db, table, id)
                              : NULL;
    if (!m)
        return db_row_image(db, table, id, j);
    jtext_lit(j, m->text);
    return j->failed ? bti_error_set(BTI_EDB, _("out of memory")) : 0;
}

/* Keep the image (len bytes at text; NULL for a row deleted) of row id of
 * table, just audited.  The other images stay true only when the one row
 * change since they were kept is this write's (SQLite counts the audit
 * row apart: the write's changes, then one); anything else (a write that
 * changed no row or several, a trigger's, one without audit) forgets
 * them. */
static void image_keep(struct bti_db *db, const char *table, long long id, const char *text,
                       size_t len, long long write_changes)
{
    long long now = sqlite3_total_changes64(db->h);
    if (db->image_mark < 0 || write_changes != 1 || now != db->image_mark + 2)
        db_images_forget(db);
    struct row_image *m = image_find(db, table, id);
    if (!m) {
        m = &db->images[db->next_image];
        db->next_image = (db->next_image + 1) % ROW_IMAGES;
    }
    free(m->text);
    *m = (struct row_image){table, id, text ? strndup(text, len) : NULL};
    db->image_mark = text && !m->text ? -1 : now; /* out of memory: forget them all */
}

/* The change document of row id of table into j: {"old": old (null when
 * NULL), "new": the row as it stands (null when gone), "reason": reason
 * when given}; *image and *image_len get where the row's image lies in
 * j->s (length 0 when gone). */
static int change_document(struct bti_db *db, const char *table, long long id, const char *old,
                           const char *reason, struct jtext *j, size_t *image, size_t *image_len)
{
    jtext_lit(j, "{\"old\":");
    jtext_lit(j, old ? old : "null");
    jtext_lit(j, ",\"new\":");
    *image = j->len;
    int rc = db_row_image(db, table, id, j);
    *image_len = rc == 0 ? j->len - *image : 0;
    if (rc == BTI_ENOTFOUND)
        jtext_lit(j, "null"), rc = 0;
    if (reason) {
        jtext_lit(j, ",\"reason\":");
        jtext_string(j, reason);
    }
    jtext_lit(j, "}");
    return rc == 0 && j->failed ? bti_error_set(BTI_EDB, _("out of memory")) : rc;
}

/* The noted change of row id of table, or NULL. */
static struct net_change *net_find(const struct bti_db *db, const char *table, long long id)
{
    for (size_t i = 0; i < db->nnet; i++)
        if (db->net[i].id == id && strcmp(db->net[i].table, table) == 0)
            return &db->net[i];
    return NULL;
}

/* Note row id of table for audit_net_flush: its image before (old) if it
 * is new to the list, and the reason when one is given. */
static int net_note(struct bti_db *db, const char *table, long long id, const char *old,
                    const char *reason)
{
    struct net_change *n = net_find(db, table, id);
    if (!n && db->nnet == db->net_cap) {
        size_t cap = db->net_cap ? 2 * db->net_cap : 16;
        struct net_change *more = realloc(db->net, cap * sizeof *more);
        if (!more)
            return bti_error_set(BTI_EDB, _("out of memory"));
        db->net = more;
        db->net_cap = cap;
    }
    if (!n) {
        n = &db->net[db->nnet++];
        *n = (struct net_change){table, id, old ? strdup(old) : NULL, NULL};
        if (old && !n->old)
            return bti_error_set(BTI_EDB, _("out of memory"));
    }
    if (reason) {
        free(n->reason);
        if (!(n->reason = strdup(reason)))
            return bti_error_set(BTI_EDB, _("out of memory"));
    }
    return 0;
}

int audit_change(struct bti_db *db, const char *table, long long id, const char *old,
                 const char *reason)
{
    if (db->net_on)
        return net_note(db, table, id, old, reason);
    long long write_changes = sqlite3_changes64(db->h); /* the write's, before the audit row's */
    struct jtext j;
    size_t image, image_len;
    jtext_init(&j);
    int rc = change_document(db, table, id, old, reason, &j, &image, &image_len);
    if (rc == 0)
        rc = append_json(db, table, id, j.s);
    if (rc == 0)
        image_keep(db, table, id, image_len ? j.s + image : NULL, image_len, write_changes);
    else
        db_images_forget(db);
    jtext_free(&j);
    return rc;
}

void audit_net_begin(struct bti_db *db)
{
    db->net_on = 1;
}

int audit_net_noted(const struct bti_db *db, const char *table, long long id)
{
    return net_find(db, table, id) != NULL;
}

void audit_net_forget(struct bti_db *db)
{
    for (size_t i = 0; i < db->nnet; i++) {
        free(db->net[i].old);
        free(db->net[i].reason);
    }
    db->nnet = 0;
}

int audit_net_flush(struct bti_db *db)
{
    int rc = 0;
    for (size_t i = 0; i < db->nnet && rc == 0; i++) {
        const struct net_change *n = &db->net[i];
        struct jtext j;
        size_t image, image_len;
        jtext_init(&j);
        rc = change_document(db, n->table, n->id, n->old, n->reason, &j, &image, &image_len);
        if (rc == 0 && (n->old || image_len))
            rc = append_json(db, n->table, n->id, j.s);
        jtext_free(&j);
    }
    audit_net_forget(db);
    return rc;
}

int audit_net_end(struct bti_db *db)
{
    int rc = audit_net_flush(db);
    db->net_on = 0;
    return rc;
}

int access_log(struct bti_db *db, const char *entity, const char *what, long long rows)
{
    struct pending_access *more = realloc(db->pending, (db->npending + 1) * sizeof *more);
    if (!more)
        return bti_error_set(BTI_EDB, _("out of memory"));
    db->pending = more;
    struct pending_access *p = &more[db->npending];
    now_utc(p->at);
    p->entity = strdup(entity);
    p->what = what ? strdup(what) : NULL;
    p->rows = rows;
    if (!p->entity || (what && !p->what)) {
        free(p->entity), free(p->what);
        return bti_error_set(BTI_EDB, _("out of memory"));
    }
    db->npending++;
    return 0;
}

/* Insert one access row with its hash. */
static int insert_access(struct bti_db *db, const struct access_row *r, const unsigned char *hash)
{
    static const char sql[] = "INSERT INTO access(id, at, login, actor, command, entity, what,"
                              " rows, identify, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    sqlite3_stmt *st = db_stmt(db, sql);
    if (!st)
        return bti_error_code();
    int rc = db_bind(db, st, "itttttnib", r->id, r->at, r->login, r->actor, r->command, r->entity,
                     r->rows, r->identify);
    if (rc)
        return rc;
    /* the ids of a long listing are not copied again: they outlive the insert */
    if (r->what)
        sqlite3_bind_text(st, 7, r->what, -1, SQLITE_STATIC);
    sqlite3_bind_blob(st, 10, hash, HASH_LEN, SQLITE_TRANSIENT);
    return db_exec_stmt(db, st);
}

/* Insert the pending rows, each chained to the one before; the caller
 * holds a write transaction. */
static int insert_pending(struct bti_db *db)
{
    const struct bti_ctx *c = &db->ctx;
    unsigned char hash[HASH_LEN];
    long long last;
    int rc = last_row(db, last_access, &last, hash);
    for (size_t i = 0; rc == 0 && i < db->npending; i++) {
        struct pending_access *p = &db->pending[i];
        struct access_row r = {.id = last + 1 + (long long)i, .at = p->at, .login = c->login,
                               .actor = c->actor, .command = c->command, .entity = p->entity,
                               .what = p->what, .rows = p->rows, .identify = c->identify != 0};
        access_hash(hash, &r, hash);
        rc = insert_access(db, &r, hash);
    }
    return rc;
}

/* Forget the pending rows (written or not). */
static void clear_pending(struct bti_db *db)
{
    for (size_t i = 0; i < db->npending; i++)
        free(db->pending[i].entity), free(db->pending[i].what);
    db->npending = 0;
}

int bti_db_identified_reads(const struct bti_db *db)
{
    for (size_t i = 0; i < db->npending; i++)
        if (db->pending[i].rows > 0)
            return 1;
    return 0;
}

void bti_db_forget_reads(struct bti_db *db)
{
    clear_pending(db);
}

int access_flush(struct bti_db *db)
{
    if (db->npending == 0)
        return 0;
    if (db->in_tx) { /* inside the command's own transaction, before its commit */
        int rc = insert_pending(db);
        if (rc == 0) /* else the rollback tries again in a transaction of its own */
            clear_pending(db);
        return rc;
    }
    int rc = sqlite3_exec(db->h, "BEGIN IMMEDIATE", NULL, NULL, NULL);
    rc = rc == SQLITE_OK ? insert_pending(db) : db_fail(db, rc, _("cannot log the read"));
    if (rc == 0 && sqlite3_exec(db->h, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        db->commit_failed = 1; /* bti_db_close removes the WAL */
        rc = db_fail(db, sqlite3_errcode(db->h), _("cannot log the read"));
    }
    if (rc)
        sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
    clear_pending(db);
    return rc;
}

/* Write hash as lowercase hex into out (2 * HASH_LEN + 1 bytes). */
static void to_hex(const unsigned char *hash, char *out)
{
    for (int i = 0; i < HASH_LEN; i++)
        sprintf(out + 2 * i, "%02x", hash[i]);
}

/* The head hash over both logs: the audit's last hash alone while no
 * access row is chained (so a head kept before the access log had a chain
 * still holds), else the hash of the audit's and the access log's last. */
static void head_hash(const unsigned char *audit, long long access_rows,
                      const unsigned char *access, unsigned char *out)
{
    struct sha256_ctx h;
    if (access_rows == 0) {
        memcpy(out, audit, HASH_LEN);
        return;
    }
    sha256_init(&h);
    sha256_update(&h, HASH_LEN, audit);
    sha256_update(&h, HASH_LEN, access);
    sha256_digest(&h, HASH_LEN, out);
}

/* Copy column i of st into hash when it holds one, else zeros. */
static void column_hash(sqlite3_stmt *st, int i, unsigned char *hash)
{
    memset(hash, 0, HASH_LEN);
    if (sqlite3_column_bytes(st, i) == HASH_LEN)
        memcpy(hash, sqlite3_column_blob(st, i), HASH_LEN);
}

int bti_audit_head(struct bti_db *db, char *buf, struct bti_audit_rows *rows)
{
    /* one statement, so one snapshot of both logs; audit ids run 1, 2, ...
     * without gaps (the chain verifies that): the last is the count */
    static const char sql[] =
        "SELECT (SELECT coalesce(max(id), 0) FROM audit),"
        " (SELECT hash FROM audit ORDER BY id DESC LIMIT 1),"
        " (SELECT count(hash) FROM access),"
        " (SELECT hash FROM access ORDER BY id DESC LIMIT 1)";
    sqlite3_stmt *st = db_stmt(db, sql);
    if (!st)
        return bti_error_code();
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        sqlite3_reset(st);
        return db_fail(db, rc, _("cannot read the audit"));
    }
    struct bti_audit_rows n = {sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 2)};
    unsigned char audit[HASH_LEN], access[HASH_LEN], hash[HASH_LEN];
    char hex[2 * HASH_LEN + 1];
    column_hash(st, 1, audit);
    column_hash(st, 3, access);
    sqlite3_reset(st);
    head_hash(audit, n.access, access, hash);
    to_hex(hash, hex);
    snprintf(buf, BTI_AUDIT_HEAD_BUF, "%lld:%s", n.audit + n.access, hex);
    if (rows)
        *rows = n;
    return 0;
}

/* Where the fields of a log row are read from: the current row of a
 * statement (the verify query, its columns in the order of the log's
 * fields), or the values a restore bound for the row (map: the value of
 * each field, -1 for none).  doubt is set when the walk cannot know what
 * the log holds from the values: a field without one, or a value of
 * another type than its column's (a text bound to an integer column,
 * which SQLite may convert). */
struct row_source {
    sqlite3_stmt *st;
    const struct db_value *v;
    const int *map;
    int doubt;
};

/* The bound value of field f, or NULL (none: doubt). */
static const struct db_value *bound_value(struct row_source *s, int f)
{
    int k = s->map[f];
    s->doubt |= k < 0;
    return k < 0 ? NULL : &s->v[k];
}

/* Whether bound value v is NULL or of type t, as a column of type t
 * stores it unchanged (else doubt). */
static int stored_as_bound(struct row_source *s, const struct db_value *v, enum db_value_type t)
{
    int ok = v && (v->type == t || v->type == DB_NULL);
    s->doubt |= !ok;
    return ok && v->type == t;
}

/* Text field f, or NULL for a NULL. */
static const char *field_text(struct row_source *s, int f)
{
    if (s->st)
        return (const char *)sqlite3_column_text(s->st, f);
    const struct db_value *v = bound_value(s, f);
    return stored_as_bound(s, v, DB_TEXT) ? v->s : NULL;
}

/* Integer field f, 0 for a NULL; *present whether it is not NULL. */
static long long field_int(struct row_source *s, int f, int *present)
{
    if (s->st) {
        *present = sqlite3_column_type(s->st, f) != SQLITE_NULL;
        return sqlite3_column_int64(s->st, f);
    }
    const struct db_value *v = bound_value(s, f);
    *present = stored_as_bound(s, v, DB_INT);
    return *present ? v->i : 0;
}

/* Blob field f: its bytes, NULL when it is NULL or empty (as SQLite gives
 * them), and in *len their number, -1 for a NULL. */
static const unsigned char *field_blob(struct row_source *s, int f, int *len)
{
    if (s->st) {
        const unsigned char *b = sqlite3_column_blob(s->st, f);
        *len = sqlite3_column_type(s->st, f) == SQLITE_NULL ? -1 : sqlite3_column_bytes(s->st, f);
        return b;
    }
    const struct db_value *v = bound_value(s, f);
    *len = stored_as_bound(s, v, DB_BLOB) ? v->n : -1;
    return *len > 0 ? v->b : NULL;
}

/* Hash field f: its HASH_LEN bytes, or NULL when it holds no hash. */
static const unsigned char *field_hash(struct row_source *s, int f)
{
    int len;
    const unsigned char *b = field_blob(s, f, &len);
    return len == HASH_LEN ? b : NULL;
}

/* The audit's fields, in the order of its verify query's columns. */
/* clang-format off */
enum { A_ID, A_AT, A_LOGIN, A_ACTOR, A_COMMAND, A_ENTITY, A_ENTITY_ID, A_TODAY, A_CHANGE,
       A_SALT, A_DIGEST, A_HASH };
static const char *const audit_fields[] = {"id", "at", "login", "actor", "command", "entity",
    "entity_id", "today", "change", "salt", "digest", "hash", NULL};
/* clang-format on */

/* Read the fields of the audit row s holds into r. */
static void read_audit(struct row_source *s, struct audit_row *r)
{
    int id_present;
    r->id = field_int(s, A_ID, &id_present);
    s->doubt |= !id_present; /* a restore's NULL id: SQLite picks one */
    r->at = field_text(s, A_AT);
    r->login = field_text(s, A_LOGIN);
    r->actor = field_text(s, A_ACTOR);
    r->command = field_text(s, A_COMMAND);
    r->entity = field_text(s, A_ENTITY);
    r->entity_id = field_int(s, A_ENTITY_ID, &r->has_entity_id);
    r->today = field_text(s, A_TODAY);
    r->change = field_text(s, A_CHANGE);
    r->salt = field_blob(s, A_SALT, &r->salt_len);
    r->digest = field_hash(s, A_DIGEST);
    r->hash = field_hash(s, A_HASH);
}

/* Check the change JSON against its digest; an erased row (JSON and salt
 * both gone) passes. */
static int digest_matches(const struct audit_row *r)
{
    if (!r->change && !r->salt)
        return 1;
    if (!r->change || !r->salt || r->salt_len != SALT_LEN)
        return 0;
    unsigned char d[HASH_LEN];
    change_digest(r->salt, r->change, d);
    return memcmp(d, r->digest, HASH_LEN) == 0;
}

/* Check audit row r, expected to have id expect_id, against the previous
 * hash: whether it matches, its hash then in hash. */
static int row_matches(const struct audit_row *r, long long expect_id, const unsigned char *prev,
                       unsigned char *hash)
{
    if (r->id != expect_id || !r->digest || !r->at || !r->login || !r->command || !r->entity)
        return 0;
    if (!digest_matches(r))
        return 0;
    row_hash(prev, r, hash);
    return r->hash && memcmp(hash, r->hash, HASH_LEN) == 0;
}

/* The access log's fields, in the order of its verify query's columns. */
/* clang-format off */
enum { X_ID, X_AT, X_LOGIN, X_ACTOR, X_COMMAND, X_ENTITY, X_WHAT, X_ROWS, X_IDENTIFY, X_HASH };
static const char *const access_fields[] = {"id", "at", "login", "actor", "command", "entity",
    "what", "rows", "identify", "hash", NULL};
/* clang-format on */

/* Read the fields of the access row s holds into r. */
static void read_access(struct row_source *s, struct access_row *r)
{
    int present, len;
    r->id = field_int(s, X_ID, &present);
    s->doubt |= !present; /* a restore's NULL id: SQLite picks one */
    r->at = field_text(s, X_AT);
    r->login = field_text(s, X_LOGIN);
    r->actor = field_text(s, X_ACTOR);
    r->command = field_text(s, X_COMMAND);
    r->entity = field_text(s, X_ENTITY);
    r->what = field_text(s, X_WHAT);
    r->rows = field_int(s, X_ROWS, &present);
    r->identify = (int)field_int(s, X_IDENTIFY, &present);
    const unsigned char *hash = field_blob(s, X_HASH, &len);
    r->hashed = len >= 0;
    r->hash = len == HASH_LEN ? hash : NULL;
}

/* Check access row r as row_matches does an audit row; 2 for a row
 * without a hash (from before the access log had a chain). */
static int access_matches(const struct access_row *r, long long expect_id,
                          const unsigned char *prev, unsigned char *hash)
{
    if (r->id != expect_id || !r->at || !r->login || !r->command || !r->entity)
        return 0;
    if (!r->hashed)
        return 2;
    access_hash(prev, r, hash);
    return r->hash && memcmp(hash, r->hash, HASH_LEN) == 0;
}

/* A walk along one log's chain: the log's name (for messages), the rows
 * taken, the chained ones among them, the hash of the last chained row
 * (zeros before the first) and, when keep is set, the hash after each
 * chained row, hashes[0] being zeros. */
struct walk {
    const char *name;
    long long rows, chained;
    unsigned char prev[HASH_LEN];
    int keep;
    unsigned char (*hashes)[HASH_LEN];
    size_t cap;
};

/* Keep hash as the walk's hashes[chained]. */
static int keep_hash(struct walk *w, const unsigned char *hash)
{
    size_t i = (size_t)w->chained;
    if (i >= w->cap) {
        size_t cap = w->cap ? 2 * w->cap : 64;
        void *more = realloc(w->hashes, cap * sizeof *w->hashes);
        if (!more)
            return bti_error_set(BTI_EDB, _("out of memory"));
        w->hashes = more, w->cap = cap;
    }
    memcpy(w->hashes[i], hash, HASH_LEN);
    return 0;
}

/* Take a row that matched: a chained one with its hash, or (hash NULL)
 * one from before the chain. */
static int walk_take(struct walk *w, const unsigned char *hash)
{
    w->rows++;
    if (!hash)
        return 0;
    memcpy(w->prev, hash, HASH_LEN);
    w->chained++;
    return w->keep ? keep_hash(w, hash) : 0;
}

/* The refusal of row id of the walk's log. */
static int mismatch(const struct walk *w, long long id)
{
    return bti_error_set(BTI_ECHECK, _("%s row %lld does not match the chain"), w->name, id);
}

/* Take the next audit row r of the walk, which must match the chain. */
static int audit_step(struct walk *w, const struct audit_row *r)
{
    unsigned char hash[HASH_LEN];
    return row_matches(r, w->rows + 1, w->prev, hash) ? walk_take(w, hash) : mismatch(w, r->id);
}

/* Take the next access row r of the walk: unhashed rows may only come
 * before the first hashed one; every other row must match the chain. */
static int access_step(struct walk *w, const struct access_row *r)
{
    unsigned char hash[HASH_LEN];
    int m = access_matches(r, w->rows + 1, w->prev, hash);
    if (m == 0 || (m == 2 && w->chained > 0))
        return mismatch(w, r->id);
    return walk_take(w, m == 1 ? hash : NULL);
}

/* Whether a restore's row of id the walk cannot judge in its place: its
 * rows come in the file's order, and one out of id order goes elsewhere
 * in the log, which is read in id order. */
static int out_of_order(const struct row_source *s, const struct walk *w, long long id)
{
    return s->v && id != w->rows + 1;
}

/* Read the audit row s holds and take it; nothing when in doubt. */
static int take_audit(struct walk *w, struct row_source *s)
{
    struct audit_row r;
    read_audit(s, &r);
    s->doubt |= out_of_order(s, w, r.id);
    return s->doubt ? 0 : audit_step(w, &r);
}

/* Read the access row s holds and take it; nothing when in doubt. */
static int take_access(struct walk *w, struct row_source *s)
{
    struct access_row r;
    read_access(s, &r);
    s->doubt |= out_of_order(s, w, r.id);
    return s->doubt ? 0 : access_step(w, &r);
}

/* A hash-chained log: its name, its fields, its rows in id order with the
 * fields as columns, and how a row is taken. */
struct chain {
    const char *name;
    const char *const *fields;
    const char *sql;
    int (*take)(struct walk *w, struct row_source *s);
};

static const struct chain audit_chain = {
    "audit", audit_fields,
    "SELECT id, at, login, actor, command, entity, entity_id, today, change, salt, digest, hash"
    " FROM audit ORDER BY id",
    take_audit};
static const struct chain access_chain = {
    "access", access_fields,
    "SELECT id, at, login, actor, command, entity, what, rows, identify, hash"
    " FROM access ORDER BY id",
    take_access};

#define MAX_FIELDS 12 /* the most fields of a log */

struct chain_walk {
    struct walk audit, access;
    const struct chain *chain; /* the log whose rows come (chain_walk_log) */
    struct walk *walk;         /* ... and its walk */
    int map[MAX_FIELDS];       /* the value of each of its fields, -1 for none */
    int doubt;                 /* a row the walk could not judge */
};

/* Start a walk of both logs (hashes kept when keep is set). */
static int walk_init(struct chain_walk *w, int keep)
{
    static const unsigned char zeros[HASH_LEN];
    *w = (struct chain_walk){.audit = {.name = audit_chain.name, .keep = keep},
                             .access = {.name = access_chain.name, .keep = keep}};
    int rc = keep ? keep_hash(&w->audit, zeros) : 0;
    return rc == 0 && keep ? keep_hash(&w->access, zeros) : rc;
}

/* Free what the walk kept. */
static void walk_clear(struct chain_walk *w)
{
    free(w->audit.hashes);
    free(w->access.hashes);
}

/* Walk chain c's rows as the log holds them, in id order, with w. */
static int walk_chain(struct bti_db *db, const struct chain *c, struct walk *w)
{
    sqlite3_stmt *st = db_stmt(db, c->sql);
    if (!st)
        return bti_error_code();
    struct row_source s = {.st = st};
    int rc = 0, step = SQLITE_DONE;
    while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW)
        rc = c->take(w, &s);
    sqlite3_reset(st);
    return rc == 0 && step != SQLITE_DONE ? db_fail(db, step, _("cannot read the log")) : rc;
}

/* Whether some row of the audit and some chained access row, as many as
 * the head's in all, give its hash. */
static int holds_head(const struct walk *audit, const struct walk *access, long long want_rows,
                      const unsigned char *want)
{
    unsigned char hash[HASH_LEN];
    for (long long a = 0; a <= audit->rows && a <= want_rows; a++) {
        long long b = want_rows - a;
        if (b > access->chained)
            continue;
        head_hash(audit->hashes[a], b, access->hashes[b], hash);
        if (memcmp(hash, want, HASH_LEN) == 0)
            return 1;
    }
    return 0;
}

/* Parse "ROWS:HEX" into its row count and hash. */
static int parse_head(const char *head, long long *rows, unsigned char *hash)
{
    char *end;
    errno = 0;
    long long n = strtoll(head, &end, 10);
    int ok = errno == 0 && end != head && n > 0 && *end == ':' && strlen(end + 1) == 2 * HASH_LEN &&
             strspn(end + 1, "0123456789abcdef") == 2 * HASH_LEN && head[0] != '+';
    for (int i = 0; ok && i < HASH_LEN; i++) {
        unsigned v;
        ok = sscanf(end + 1 + 2 * i, "%2x", &v) == 1;
        hash[i] = (unsigned char)v;
    }
    if (!ok)
        return bti_error_set(BTI_EINVAL, _("invalid value for --head: expected ROWS:HASH as "
                                           "'bti audit head' prints it"));
    *rows = n;
    return 0;
}

/* Whether the walked logs (hashes kept) hold the head of want_rows rows
 * and hash want. */
static int check_head(const struct chain_walk *w, long long want_rows, const unsigned char *want)
{
    long long rows = w->audit.rows + w->access.chained;
    if (rows < want_rows)
        return bti_error_set(BTI_ECHECK,
                             _("the audit and the access log have %lld rows, fewer"
                               " than the head's %lld"),
                             rows, want_rows);
    if (!holds_head(&w->audit, &w->access, want_rows, want))
        return bti_error_set(BTI_ECHECK,
                             _("the audit and the access log no longer hold the head"
                               " at row %lld"),
                             want_rows);
    return 0;
}

int bti_audit_verify(struct bti_db *db, const char *head)
{
    long long want_rows = 0;
    unsigned char want[HASH_LEN];
    struct chain_walk w;
    int rc = walk_init(&w, head != NULL);
    if (rc == 0 && head)
        rc = parse_head(head, &want_rows, want);
    if (rc == 0)
        rc = walk_chain(db, &audit_chain, &w.audit);
    if (rc == 0)
        rc = walk_chain(db, &access_chain, &w.access);
    if (rc == 0 && head)
        rc = check_head(&w, want_rows, want);
    walk_clear(&w);
    return rc;
}

int chain_walk_new(struct chain_walk **out, int keep)
{
    *out = malloc(sizeof **out);
    if (!*out)
        return bti_error_set(BTI_EDB, _("out of memory"));
    return walk_init(*out, keep);
}

void chain_walk_free(struct chain_walk *w)
{
    if (!w)
        return;
    walk_clear(w);
    free(w);
}

void chain_walk_log(struct chain_walk *w, const char *log, const char *const *cols, int n)
{
    w->chain = strcmp(log, audit_chain.name) == 0 ? &audit_chain : &access_chain;
    w->walk = w->chain == &audit_chain ? &w->audit : &w->access;
    for (int f = 0; w->chain->fields[f]; f++) {
        w->map[f] = -1;
        for (int k = 0; k < n && w->map[f] < 0; k++)
            if (strcmp(cols[k], w->chain->fields[f]) == 0)
                w->map[f] = k;
    }
}

int chain_walk_row(struct chain_walk *w, const struct db_value *v)
{
    if (w->doubt)
        return 0;
    struct row_source s = {.v = v, .map = w->map};
    int rc = w->chain->take(w->walk, &s);
    w->doubt = s.doubt;
    return rc;
}

int chain_walk_end(struct chain_walk *w, struct bti_db *db, const char *head)
{
    long long want_rows = 0;
    unsigned char want[HASH_LEN];
    if (w->doubt || (head && !w->audit.keep))
        return bti_audit_verify(db, head);
    int rc = head ? parse_head(head, &want_rows, want) : 0;
    return rc == 0 && head ? check_head(w, want_rows, want) : rc;
}

/* A list of ids being written: runs of three or more consecutive ids
 * first-last ("1-4,7,9-12"), the run not yet written in first..last. */
struct id_run {
    struct jtext *out;
    long long first, last; /* first 0: none */
};

/* Write the pending run of ids to the list. */
static void flush_run(struct id_run *r)
{
    if (!r->first)
        return;
    if (r->out->len)
        jtext_lit(r->out, ",");
    jtext_int(r->out, r->first);
    if (r->last > r->first) {
        jtext_lit(r->out, r->last == r->first + 1 ? "," : "-");
        jtext_int(r->out, r->last);
    }
    r->first = 0;
}

/* Add id to the pending run, or write the run and begin another. */
static void note_id(struct id_run *r, long long id)
{
    if (r->first && id == r->last) {
        /* the one just noted */
    } else if (r->first && id == r->last + 1) {
        r->last = id;
    } else {
        flush_run(r);
        r->first = r->last = id;
    }
}

/* Collects the ids of the rows a logged listing hands on: every id once,
 * in id order.  The ids are marked in a bitmap as the rows pass and
 * written after, so that a listing in another order than the ids' (due's,
 * by date) takes a few bytes per run of ids, not per row, and memory by
 * the largest id, not by the rows (issue 19).  An id beyond the set's
 * bound (none bti makes) is written as it comes, after the others. */
struct id_log {
    bti_row_fn fn;
    void *arg;
    int col; /* the column that holds the id */
    long long rows;
    struct idset read;   /* the ids read */
    int failed;          /* no memory for the set */
    struct jtext beyond; /* the ids beyond the set's bound */
    struct id_run far;   /* ... and their run */
};

/* Note row's id, then hand the row on. */
static int log_row(const struct bti_row *row, void *p)
{
    struct id_log *l = p;
    long long id = row->vals[l->col].null ? 0 : row->vals[l->col].i;
    l->rows++;
    if (id >= IDSET_MAX)
        note_id(&l->far, id);
    else if (id > 0 && idset_add(&l->read, id) < 0)
        l->failed = 1;
    return l->fn(row, l->arg);
}

/* Write the ids l noted to ids: the set's in order, then the others. */
static void write_ids(struct id_log *l, struct jtext *ids)
{
    struct id_run r = {.out = ids};
    for (long long id = idset_next(&l->read, 1); id; id = idset_next(&l->read, id + 1))
        note_id(&r, id);
    flush_run(&r);
    flush_run(&l->far);
    if (l->beyond.len && ids->len)
        jtext_lit(ids, ",");
    jtext_raw(ids, l->beyond.s, l->beyond.len);
    ids->failed |= l->failed || l->beyond.failed;
}

int db_rows_logged(struct bti_db *db, sqlite3_stmt *st, const struct bti_cols *cols, bti_row_fn fn,
                   void *arg, const char *entity)
{
    return db_rows_logged_by(db, st, cols, 0, fn, arg, entity);
}

int db_rows_logged_by(struct bti_db *db, sqlite3_stmt *st, const struct bti_cols *cols, int col,
                      bti_row_fn fn, void *arg, const char *entity)
{
    struct db_merge one = {.sts = &st, .n = 1};
    return db_rows_logged_merged(db, &one, cols, col, fn, arg, entity);
}

int db_rows_logged_merged(struct bti_db *db, struct db_merge *m, const struct bti_cols *cols,
                          int col, bti_row_fn fn, void *arg, const char *entity)
{
    struct id_log l = {.fn = fn, .arg = arg, .col = col, .far = {.out = &l.beyond}};
    struct jtext ids;
    jtext_init(&l.beyond);
    jtext_init(&ids);
    int rc = db_rows_merged(db, m, cols->col, cols->n, log_row, &l, NULL);
    write_ids(&l, &ids);
    idset_free(&l.read);
    jtext_free(&l.beyond);
    int logged = 0;
    /* the rows handed on were read, even when the listing stopped early;
     * without memory for their ids the read is logged with its count */
    if (rc == 0 || l.rows > 0)
        logged = access_log(db, entity, ids.failed ? NULL : ids.s, l.rows);
    if (logged == 0 && ids.failed)
        logged = bti_error_set(BTI_EDB, _("out of memory"));
    jtext_free(&ids);
    return rc ? rc : logged;
}
