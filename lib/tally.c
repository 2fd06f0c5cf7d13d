/*
 * The doctor's data check (lib/doctor.c, check_data) done while a restore
 * streams the export, which holds every data row before the audit: each
 * data row leaves a digest of its values, each audit entry the outcome of
 * comparing its `new` values with the row of its (table, id), and the last
 * entry of each row decides.  The doctor reads the last entry of each row
 * back by a random lookup in the audit, a third of a restore's time; this
 * reads nothing back (issue 19).
 *
 * It proves only what the doctor would find, never more: a value is
 * digested only in a form that equal digests make equal as the doctor
 * compares them (value_equal, default_equal), and whatever it cannot
 * digest so, or any entry that is not a match, leaves the rows in doubt;
 * then the doctor's own check runs and names what is wrong.  The digest
 * is SHA-256, cut to 128 bits: no export can be made to collide with it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <nettle/sha2.h>
#include "tally.h"
#include "store/store.h"
#include "base/flatjson.h"
#include "base/intl.h"

/* The bytes of a row's digest. */
#define DIGEST_LEN 16
/* Ids and audit ids are kept in 56 bits beside a table number or state. */
#define ID_LIMIT (1LL << 56)
/* The members of an audit image the tally reads (more: not a row's). */
#define IMAGE_MEMBERS 64

/* The outcome of a row's last audit entry so far. */
enum outcome {
    NO_ENTRY, /* none yet: the doctor's "has no audit entry" */
    MATCH,    /* its new values are the row's */
    ERASED,   /* its values were erased: not compared */
    DOUBT,    /* anything else: differs, deleted, unreadable, not digested */
};
/* In an entry's meta: the row's own values could not be digested. */
#define ROW_DOUBT 0x80

/* A data row: key (table << 56 | id), audit id << 8 | flags, digest. */
struct entry {
    uint64_t key, meta;
    unsigned char digest[DIGEST_LEN];
};

/* An audit entry of a (table, id) with no row: key, audit id << 8 | outcome. */
struct gone {
    uint64_t key, meta;
};

/* The columns of one data table. */
struct columns {
    int n, id; /* id: the index of the id column, or -1 */
    struct tally_column *v;
    char *name; /* the table's name (db_table) */
};

/* One value in the form it is digested: NULL, an exact integer or a text;
 * or one that cannot be digested so. */
struct value {
    enum { V_NULL, V_INT, V_TEXT, V_DOUBT } kind;
    long long i;
    const char *s;
};

struct tally {
    struct entry *rows;
    size_t n, cap;
    int sorted; /* the keys came in ascending order */
    struct gone *gone;
    size_t ngone, capgone;
    struct columns *tables;
    size_t ntables, current;
    long last_table;       /* the table the last audit entry named */
    struct sha256_ctx row; /* the digest of the row being restored */
    int row_doubt;
    long long row_id;
    int doubt; /* something no row holds is in doubt */
    char *text; /* the decoded strings of the change being judged */
    size_t text_cap;
};

int tally_new(struct tally **out)
{
    *out = calloc(1, sizeof **out);
    if (!*out)
        return bti_error_set(BTI_EDB, _("out of memory"));
    (*out)->sorted = 1;
    return 0;
}

void tally_free(struct tally *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->ntables; i++) {
        free(t->tables[i].v);
        free(t->tables[i].name);
    }
    free(t->tables);
    free(t->rows);
    free(t->gone);
    free(t->text);
    free(t);
}

/* Grow *v (of *cap elements of size bytes) to hold one more than n. */
static int grow(void **v, size_t *cap, size_t n, size_t size)
{
    if (n < *cap)
        return 0;
    size_t more = *cap ? 2 * *cap : 1024;
    void *p = realloc(*v, more * size);
    if (!p)
        return bti_error_set(BTI_EDB, _("out of memory"));
    *v = p;
    *cap = more;
    return 0;
}

/* The length of the strings of n columns with their terminators. */
static size_t strings_len(const struct tally_column *cols, int n)
{
    size_t len = 0;
    for (int k = 0; k < n; k++)
        len += strlen(cols[k].name) + 1 + (cols[k].dflt ? strlen(cols[k].dflt) + 1 : 0);
    return len;
}

/* Copy n columns into c, their strings into one block after them. */
static int copy_columns(struct columns *c, const struct tally_column *cols, int n)
{
    c->v = malloc(n * sizeof *c->v + strings_len(cols, n));
    if (!c->v)
        return bti_error_set(BTI_EDB, _("out of memory"));
    char *s = (char *)(c->v + n);
    c->n = n;
    c->id = -1;
    for (int k = 0; k < n; k++) {
        c->v[k] = cols[k];
        c->v[k].name = strcpy(s, cols[k].name);
        s += strlen(s) + 1;
        if (cols[k].dflt) {
            c->v[k].dflt = strcpy(s, cols[k].dflt);
            s += strlen(s) + 1;
        }
        if (strcmp(cols[k].name, "id") == 0)
            c->id = k;
    }
    return 0;
}

int tally_table(struct tally *t, size_t table, const struct tally_column *cols, int n)
{
    if (table >= t->ntables) {
        struct columns *v = realloc(t->tables, (table + 1) * sizeof *v);
        if (!v)
            return bti_error_set(BTI_EDB, _("out of memory"));
        memset(v + t->ntables, 0, (table + 1 - t->ntables) * sizeof *v);
        t->tables = v;
        t->ntables = table + 1;
    }
    struct columns *c = &t->tables[table];
    free(c->v);
    free(c->name);
    c->v = NULL;
    c->name = strdup(db_table(table));
    t->current = table;
    return c->name ? copy_columns(c, cols, n) : bti_error_set(BTI_EDB, _("out of memory"));
}

/* Whether s is an integer as SQLite writes one (the text of an integer
 * default the doctor compares with the column's text); its value in *v. */
static int canonical_int(const char *s, long long *v)
{
    char *end, again[24];
    long long x = strtoll(s, &end, 10);
    snprintf(again, sizeof again, "%lld", x);
    *v = x;
    return end != s && *end == '\0' && strcmp(again, s) == 0;
}

/* A column's default as its value where a row or an audit image lacks the
 * column: the doctor compares the value's text with the default's. */
static struct value default_value(const struct tally_column *c)
{
    struct value v = {V_DOUBT, 0, NULL};
    if (!c->dflt)
        v.kind = V_NULL;
    else if (c->type == 'i' && canonical_int(c->dflt, &v.i))
        v.kind = V_INT;
    else if (c->type == 't')
        v = (struct value){V_TEXT, 0, c->dflt};
    return v;
}

/* The value the restore stored from member x of a data row (NULL: the
 * column's default, bound by an export of an older schema). */
static struct value row_value(const struct tally_column *c, const struct fj_member *x)
{
    if (!x)
        return default_value(c);
    if (x->kind == FJ_NULL)
        return (struct value){V_NULL, 0, NULL};
    if (c->type == 'i' && x->kind == FJ_NUMBER && x->number > -9.2e18 && x->number < 9.2e18)
        return (struct value){V_INT, (long long)x->number, NULL};
    if (c->type == 't' && x->kind == FJ_STRING)
        return (struct value){V_TEXT, 0, x->string};
    return (struct value){V_DOUBT, 0, NULL}; /* the table's type converted it, or a blob */
}

/* The value member m of an audit image names for column c (NULL: the
 * image lacks the column, as one written before a migration added it). */
static struct value image_value(const struct tally_column *c, const struct fj_member *m)
{
    if (!m)
        return default_value(c);
    if (m->kind == FJ_NULL)
        return (struct value){V_NULL, 0, NULL};
    if (m->kind == FJ_STRING)
        return (struct value){V_TEXT, 0, m->string};
    long long i;
    return fj_integer(m, &i) ? (struct value){V_INT, i, NULL} : (struct value){V_DOUBT, 0, NULL};
}

/* Feed v to h as a tag and its bytes (a text with its length first). */
static void digest_value(struct sha256_ctx *h, const struct value *v)
{
    uint8_t tag = (uint8_t)v->kind;
    uint64_t len = v->kind == V_TEXT ? strlen(v->s) : 0;
    sha256_update(h, 1, &tag);
    if (v->kind == V_INT)
        sha256_update(h, sizeof v->i, (const uint8_t *)&v->i);
    if (v->kind == V_TEXT) {
        sha256_update(h, sizeof len, (const uint8_t *)&len);
        sha256_update(h, len, (const uint8_t *)v->s);
    }
}

void tally_value(struct tally *t, int k, const struct fj_member *x)
{
    const struct columns *c = &t->tables[t->current];
    if (k == 0) {
        sha256_init(&t->row);
        t->row_doubt = 0;
        t->row_id = -1;
    }
    if (k >= c->n)
        return;
    struct value v = row_value(&c->v[k], x);
    t->row_doubt |= v.kind == V_DOUBT;
    if (k == c->id && v.kind == V_INT)
        t->row_id = v.i;
    digest_value(&t->row, &v);
}

int tally_row(struct tally *t)
{
    if (t->row_id < 0 || t->row_id >= ID_LIMIT || t->current > 255) {
        t->doubt = 1; /* a row the tally cannot key: the doctor compares it */
        return 0;
    }
    int rc = grow((void **)&t->rows, &t->cap, t->n, sizeof *t->rows);
    if (rc)
        return rc;
    struct entry *e = &t->rows[t->n];
    e->key = (uint64_t)t->current << 56 | (uint64_t)t->row_id;
    e->meta = t->row_doubt ? ROW_DOUBT : 0;
    sha256_digest(&t->row, DIGEST_LEN, e->digest);
    t->sorted = t->sorted && (t->n == 0 || t->rows[t->n - 1].key < e->key);
    t->n++;
    return 0;
}

/* Order entries (or gone entries) by key, then by meta (the audit id). */
static int by_key(const void *a, const void *b)
{
    const uint64_t *x = a, *y = b;
    return x[0] != y[0] ? (x[0] < y[0] ? -1 : 1) : x[1] < y[1] ? -1 : x[1] > y[1];
}

/* The data row of key, or NULL. */
static struct entry *find_row(struct tally *t, uint64_t key)
{
    size_t lo = 0, hi = t->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (t->rows[mid].key == key)
            return &t->rows[mid];
        if (t->rows[mid].key < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* The number of the data table named entity, or -1. */
static long table_of(struct tally *t, const char *entity)
{
    size_t last = (size_t)t->last_table;
    if (last < t->ntables && t->tables[last].name && strcmp(t->tables[last].name, entity) == 0)
        return t->last_table; /* an entity's entries come in runs */
    for (size_t i = 0; i < t->ntables; i++)
        if (t->tables[i].name && strcmp(t->tables[i].name, entity) == 0)
            return t->last_table = (long)i;
    return -1;
}

/* Whether member m of a restored row is the exact integer the restore
 * stored from it, in *v. */
static int stored_int(const struct fj_member *m, long long *v)
{
    struct value x = image_value(&(struct tally_column){"", 'i', NULL}, m);
    *v = x.i;
    return m && x.kind == V_INT;
}

/* The outcome of comparing the n members of the audit image `now` (its
 * `new` member; its first IMAGE_MEMBERS in m) with the data row e of table
 * c: the doctor's diff_row finds no difference when the digests are equal
 * and every member of now is a column. */
static enum outcome compare(const struct columns *c, const struct fj_member *m, int n,
                            const struct entry *e)
{
    struct sha256_ctx h;
    unsigned char digest[DIGEST_LEN];
    int next = 0, found = 0, doubt = 0, held = n < IMAGE_MEMBERS ? n : IMAGE_MEMBERS;
    sha256_init(&h);
    for (int k = 0; k < c->n; k++) {
        const char *name = c->v[k].name;
        /* the image holds the columns in the table's order: try the next first */
        const struct fj_member *x = next < held && strcmp(m[next].key, name) == 0
                                        ? &m[next]
                                        : fj_get_exact(m, held, name);
        struct value v = image_value(&c->v[k], x);
        next = x ? (int)(x - m) + 1 : next;
        found += x != NULL;
        doubt |= v.kind == V_DOUBT;
        digest_value(&h, &v);
    }
    sha256_digest(&h, DIGEST_LEN, digest);
    if (doubt || found != n)
        return DOUBT; /* duplicate members, or members no column has */
    return memcmp(digest, e->digest, DIGEST_LEN) == 0 ? MATCH : DOUBT;
}

/* Make room for n bytes of decoded text in t->text. */
static int text_room(struct tally *t, size_t n)
{
    if (n <= t->text_cap)
        return 0;
    char *grown = realloc(t->text, n);
    if (!grown)
        return bti_error_set(BTI_EDB, _("out of memory"));
    t->text = grown;
    t->text_cap = n;
    return 0;
}

/* Move *p past the literal lit; non-zero when *p does not start with it. */
static int skip(const char **p, const char *lit)
{
    size_t n = strlen(lit);
    if (strncmp(*p, lit, n) != 0)
        return -1;
    *p += n;
    return 0;
}

/* The members of the `new` object of the change text s when s has the
 * export's own shape exactly, {"old":null or an object,"new":an object}
 * (the first IMAGE_MEMBERS in m, their text decoded into t->text); -1 for
 * any other text. */
static int flat_change(struct tally *t, const char *s, struct fj_member *m)
{
    struct fj_member old[IMAGE_MEMBERS];
    char *text = t->text;
    if (skip(&s, "{\"old\":") != 0)
        return -1;
    if (skip(&s, "null") != 0 && fj_flat(s, &s, old, IMAGE_MEMBERS, &text) < 0)
        return -1;
    if (skip(&s, ",\"new\":") != 0)
        return -1;
    int n = fj_flat(s, &s, m, IMAGE_MEMBERS, &text);
    return n >= 0 && strcmp(s, "}") == 0 ? n : -1;
}

/* The members of the `new` object of the change text s, read as the doctor
 * reads it (change_new): the export's own shape directly (flat_change),
 * anything else through cJSON (into *doc, to be freed after).  Returns how
 * many members it has (the first IMAGE_MEMBERS in m), or -1 when `new` is
 * no object. */
static int change_new(struct tally *t, const char *s, struct fj_member *m, cJSON **doc)
{
    int n = flat_change(t, s, m);
    if (n >= 0)
        return n;
    *doc = cJSON_ParseWithLength(s, strlen(s));
    const cJSON *now = cJSON_GetObjectItemCaseSensitive(*doc, "new");
    return cJSON_IsObject(now) ? fj_from_cjson(now, m, IMAGE_MEMBERS) : -1;
}

/* The outcome of the audit change for the data row e of table c (NULL: a
 * row that is gone, whose entries the tally does not compare). */
static enum outcome judge(struct tally *t, const struct columns *c,
                          const struct fj_member *change, const struct entry *e)
{
    struct fj_member m[IMAGE_MEMBERS];
    cJSON *doc = NULL;
    if (change && change->kind == FJ_NULL)
        return ERASED;
    if (!e || !change || change->kind != FJ_STRING ||
        text_room(t, strlen(change->string) + 1) != 0)
        return DOUBT;
    int n = change_new(t, change->string, m, &doc);
    enum outcome o = n >= 0 ? compare(c, m, n, e) : DOUBT;
    cJSON_Delete(doc);
    return o;
}

/* Keep an audit entry of a (table, id) that has no row. */
static int add_gone(struct tally *t, uint64_t key, uint64_t meta)
{
    int rc = grow((void **)&t->gone, &t->capgone, t->ngone, sizeof *t->gone);
    if (rc == 0)
        t->gone[t->ngone++] = (struct gone){key, meta};
    return rc;
}

/* Sort the data rows once, before the first audit entry looks one up:
 * an export holds them in order, so this is a check more than a sort. */
static void sort_rows(struct tally *t)
{
    if (t->sorted || t->n < 2)
        return;
    qsort(t->rows, t->n, sizeof *t->rows, by_key);
    for (size_t i = 1; i < t->n; i++)
        t->doubt |= t->rows[i - 1].key == t->rows[i].key;
    t->sorted = 1;
}

int tally_audit(struct tally *t, const struct fj_member *row, int n)
{
    const struct fj_member *entity = fj_get(row, n, "entity");
    const struct fj_member *entity_id = fj_get(row, n, "entity_id");
    long long aid, id;
    long table = entity && entity->kind == FJ_STRING ? table_of(t, entity->string) : -2;
    if (table == -1 || (entity_id && entity_id->kind == FJ_NULL))
        return 0; /* an entry of no data row: the doctor does not compare it */
    if (table < 0 || !stored_int(fj_get(row, n, "id"), &aid) ||
        !stored_int(entity_id, &id) || aid <= 0 || id < 0 || id >= ID_LIMIT || table > 255) {
        t->doubt = 1;
        return 0;
    }
    sort_rows(t);
    uint64_t key = (uint64_t)table << 56 | (uint64_t)id;
    struct entry *e = find_row(t, key);
    if (e && (long long)(e->meta >> 8) > aid)
        return 0; /* a later entry of the row came first */
    enum outcome o = judge(t, &t->tables[table], fj_get(row, n, "change"), e);
    if (!e)
        return add_gone(t, key, (uint64_t)aid << 8 | o);
    e->meta = (uint64_t)aid << 8 | (e->meta & ROW_DOUBT) | o;
    return 0;
}

int tally_proves(struct tally *t)
{
    if (t->doubt)
        return 0;
    for (size_t i = 0; i < t->n; i++) {
        unsigned o = t->rows[i].meta & 0xff;
        if (o != MATCH && o != ERASED)
            return 0;
    }
    if (t->ngone > 1)
        qsort(t->gone, t->ngone, sizeof *t->gone, by_key);
    for (size_t i = 0; i < t->ngone; i++) {
        int last = i + 1 == t->ngone || t->gone[i + 1].key != t->gone[i].key;
        if (last && (t->gone[i].meta & 0xff) != ERASED)
            return 0;
    }
    return 1;
}
