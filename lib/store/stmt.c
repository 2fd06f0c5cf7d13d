/*
 * Binding values, running statements and turning result rows into bti rows
 * or JSON objects.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "store/store.h"
#include "bti/case.h"
#include "base/intl.h"

const char *date_sql(bti_date d, char *buf)
{
    return d == BTI_NO_DATE ? NULL : bti_date_format(d, buf);
}

bti_date date_col(sqlite3_stmt *st, int col)
{
    const char *s = (const char *)sqlite3_column_text(st, col);
    bti_date d;
    if (s && bti_date_parse(&d, s, 0, "") == 0)
        return d;
    /* the message (translated) made for a bad date only (issue 19) */
    if (s)
        bti_date_parse(&d, s, 0, _("a stored date"));
    return BTI_NO_DATE;
}

/* Consume one value of format character f from ap. */
static void skip_one(char f, va_list *ap)
{
    if (f == 'i' || f == 'I')
        (void)va_arg(*ap, long long);
    else if (f == 'b')
        (void)va_arg(*ap, int);
    else if (f == 't')
        (void)va_arg(*ap, const char *);
    else if (f == 'd')
        (void)va_arg(*ap, bti_date);
}

/* Bind one value of format character f from ap to parameter i; i 0 only
 * consumes the value (a statement of a table that shares one binding may
 * not use every parameter); text is copied, or borrowed (SQLITE_STATIC)
 * when text_kind says so. */
static int bind_one(sqlite3_stmt *st, int i, char f, va_list *ap, sqlite3_destructor_type text_kind)
{
    char buf[BTI_DATE_BUF];
    const char *s;
    if (i == 0) {
        skip_one(f, ap);
        return SQLITE_OK;
    }
    switch (f) {
    case 'i': return sqlite3_bind_int64(st, i, va_arg(*ap, long long));
    case 'I': {
        long long id = va_arg(*ap, long long);
        return id > 0 ? sqlite3_bind_int64(st, i, id) : sqlite3_bind_null(st, i);
    }
    case 'b': return sqlite3_bind_int(st, i, va_arg(*ap, int) != 0);
    case 't':
        s = va_arg(*ap, const char *);
        return s ? sqlite3_bind_text(st, i, s, -1, text_kind) : sqlite3_bind_null(st, i);
    case 'd':
        s = date_sql(va_arg(*ap, bti_date), buf);
        return s ? sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT) : sqlite3_bind_null(st, i);
    case 'n': return sqlite3_bind_null(st, i);
    default: return SQLITE_MISUSE;
    }
}

/* Bind the values of fmt from ap, texts as text_kind says (bind_one). */
static int bind_values(struct bti_db *db, sqlite3_stmt *st, const char *fmt, va_list *ap,
                       sqlite3_destructor_type text_kind)
{
    int params = sqlite3_bind_parameter_count(st);
    for (int i = 0; fmt[i]; i++) {
        int rc = bind_one(st, i + 1 <= params ? i + 1 : 0, fmt[i], ap, text_kind);
        if (rc != SQLITE_OK)
            return db_fail(db, rc, _("cannot bind a value"));
    }
    return 0;
}

int db_bind_va(struct bti_db *db, sqlite3_stmt *st, const char *fmt, va_list *ap)
{
    return bind_values(db, st, fmt, ap, SQLITE_TRANSIENT);
}

int db_bind_va_borrowed(struct bti_db *db, sqlite3_stmt *st, const char *fmt, va_list *ap)
{
    return bind_values(db, st, fmt, ap, SQLITE_STATIC);
}

int db_bind(struct bti_db *db, sqlite3_stmt *st, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = db_bind_va(db, st, fmt, &ap);
    va_end(ap);
    return rc;
}

int db_exec_stmt(struct bti_db *db, sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc == SQLITE_DONE || rc == SQLITE_ROW)
        return 0;
    return db_fail(db, rc, _("cannot write to the database"));
}

int db_run(struct bti_db *db, const char *sql, const char *fmt, ...)
{
    sqlite3_stmt *st = db_stmt(db, sql);
    if (!st)
        return bti_error_code();
    va_list ap;
    va_start(ap, fmt);
    int rc = db_bind_va(db, st, fmt, &ap);
    va_end(ap);
    return rc ? rc : db_exec_stmt(db, st);
}

int db_int(struct bti_db *db, long long *out, const char *sql, const char *fmt, ...)
{
    sqlite3_stmt *st = db_stmt(db, sql);
    if (!st)
        return bti_error_code();
    va_list ap;
    va_start(ap, fmt);
    int rc = db_bind_va(db, st, fmt, &ap);
    va_end(ap);
    if (rc)
        return rc;
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *out = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    if (rc == SQLITE_ROW)
        return 0;
    return rc == SQLITE_DONE ? BTI_ENOTFOUND : db_fail(db, rc, _("cannot read the database"));
}

int db_ints(struct bti_db *db, sqlite3_stmt *st, long long **out, size_t *n)
{
    size_t cap = 0;
    int step = SQLITE_DONE, rc = 0;
    *out = NULL, *n = 0;
    while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) {
            long long *more = realloc(*out, (cap = cap ? 2 * cap : 64) * sizeof *more);
            if (!more) {
                rc = bti_error_set(BTI_EDB, _("out of memory"));
                break;
            }
            *out = more;
        }
        (*out)[(*n)++] = sqlite3_column_int64(st, 0);
    }
    sqlite3_reset(st);
    if (rc == 0 && step != SQLITE_DONE) /* a list cut short must not pass for the whole */
        rc = db_fail(db, step, _("cannot read the database"));
    if (rc) {
        free(*out);
        *out = NULL, *n = 0;
    }
    return rc;
}

long long db_last_id(struct bti_db *db)
{
    return sqlite3_last_insert_rowid(db->h);
}

/* Fill v from column i of st as a value of type t. */
static void column_value(sqlite3_stmt *st, int i, enum bti_type t, struct bti_value *v)
{
    memset(v, 0, sizeof *v);
    v->null = sqlite3_column_type(st, i) == SQLITE_NULL;
    if (v->null)
        return;
    if (t == BTI_T_INT || t == BTI_T_BOOL)
        v->i = sqlite3_column_int64(st, i);
    else if (t == BTI_T_REAL)
        v->r = sqlite3_column_double(st, i);
    else
        v->s = (const char *)sqlite3_column_text(st, i);
}

/* Step source k of m to its next row: its values filled, or not live at
 * its end; an error of the step is kept in m->rc. */
static void merge_step(struct db_merge *m, size_t k, const struct bti_col *cols, size_t ncols,
                       struct bti_value (*vals)[64], int *live)
{
    int rc = sqlite3_step(m->sts[k]);
    live[k] = rc == SQLITE_ROW;
    for (size_t i = 0; live[k] && i < ncols; i++)
        column_value(m->sts[k], (int)i, cols[i].type, &vals[k][i]);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE && m->rc == SQLITE_DONE)
        m->rc = rc;
}

/* The live source whose row comes first (the first source of equal rows),
 * or m->n when none is live. */
static size_t merge_first(const struct db_merge *m, const struct bti_row *rows, const int *live)
{
    size_t best = m->n;
    for (size_t k = 0; k < m->n; k++)
        if (live[k] && (best == m->n || m->before(&rows[k], &rows[best])))
            best = k;
    return best;
}

int db_rows_merged(struct bti_db *db, struct db_merge *m, const struct bti_col *cols,
                   size_t ncols, bti_row_fn fn, void *arg, long long *count)
{
    struct bti_value vals[DB_MERGE_MAX][64];
    struct bti_row rows[DB_MERGE_MAX];
    int live[DB_MERGE_MAX];
    long long n = 0;
    int stop = 0;
    if (ncols > 64)
        return bti_error_set(BTI_EDB, _("internal error: too many columns"));
    if (m->n > DB_MERGE_MAX || (m->n > 1 && !m->before))
        return bti_error_set(BTI_EDB, _("internal error: statements that cannot be merged"));
    m->rc = SQLITE_DONE;
    for (size_t k = 0; k < m->n; k++) {
        rows[k] = (struct bti_row){cols, ncols, vals[k]};
        merge_step(m, k, cols, ncols, vals, live);
    }
    size_t k = merge_first(m, rows, live);
    while (!stop && m->rc == SQLITE_DONE && k < m->n) {
        n++;
        stop = fn(&rows[k], arg);
        if (!stop)
            merge_step(m, k, cols, ncols, vals, live);
        k = merge_first(m, rows, live);
    }
    for (k = 0; k < m->n; k++)
        sqlite3_reset(m->sts[k]);
    if (stop)
        return stop;
    if (count)
        *count = n;
    return m->rc == SQLITE_DONE ? 0 : db_fail(db, m->rc, _("cannot read the database"));
}

int db_rows(struct bti_db *db, sqlite3_stmt *st, const struct bti_col *cols, size_t ncols,
            bti_row_fn fn, void *arg, long long *count)
{
    struct db_merge one = {.sts = &st, .n = 1};
    return db_rows_merged(db, &one, cols, ncols, fn, arg, count);
}

/* The value of column i of st as a new JSON item. */
static cJSON *column_json(sqlite3_stmt *st, int i)
{
    switch (sqlite3_column_type(st, i)) {
    case SQLITE_INTEGER: return cJSON_CreateNumber((double)sqlite3_column_int64(st, i));
    case SQLITE_FLOAT: return cJSON_CreateNumber(sqlite3_column_double(st, i));
    case SQLITE_NULL: return cJSON_CreateNull();
    default: return cJSON_CreateString((const char *)sqlite3_column_text(st, i));
    }
}

/* Build an object from the current row of st, one member per column. */
static cJSON *row_object(sqlite3_stmt *st)
{
    cJSON *obj = cJSON_CreateObject();
    for (int i = 0; obj && i < sqlite3_column_count(st); i++)
        cJSON_AddItemToObject(obj, sqlite3_column_name(st, i), column_json(st, i));
    return obj;
}

/* The compiled list of tables whose rows the audit records, each with the
 * statement that reads one row.  Table names never come from input. */
static const struct {
    const char *table;
    const char *select;
} row_tables[] = {
    {"user", "SELECT * FROM user WHERE id = ?"},
    {"unit", "SELECT * FROM unit WHERE id = ?"},
    {"person", "SELECT * FROM person WHERE id = ?"},
    {"relative", "SELECT * FROM relative WHERE id = ?"},
    {"ke_case", "SELECT * FROM ke_case WHERE id = ?"},
    {"referral", "SELECT * FROM referral WHERE id = ?"},
    {"request", "SELECT * FROM request WHERE id = ?"},
    {"closure", "SELECT * FROM closure WHERE id = ?"},
    {"unit_change", "SELECT * FROM unit_change WHERE id = ?"},
    {"consent", "SELECT * FROM consent WHERE id = ?"},
    {"ke_member", "SELECT * FROM ke_member WHERE id = ?"},
    {"ke_meeting", "SELECT * FROM ke_meeting WHERE id = ?"},
    {"ke_attendance", "SELECT * FROM ke_attendance WHERE id = ?"},
    {"review", "SELECT * FROM review WHERE id = ?"},
    {"escalation", "SELECT * FROM escalation WHERE id = ?"},
    {"decision", "SELECT * FROM decision WHERE id = ?"},
    {"decision_item", "SELECT * FROM decision_item WHERE id = ?"},
    {"preliminary_reply", "SELECT * FROM preliminary_reply WHERE id = ?"},
    {"appeal", "SELECT * FROM appeal WHERE id = ?"},
    {"handbook", "SELECT * FROM handbook WHERE id = ?"},
    {"coordinator", "SELECT * FROM coordinator WHERE id = ?"},
    {"assignment", "SELECT * FROM assignment WHERE id = ?"},
    {"plan", "SELECT * FROM plan WHERE id = ?"},
    {"evaluation", "SELECT * FROM evaluation WHERE id = ?"},
    {"goal", "SELECT * FROM goal WHERE id = ?"},
    {"measure", "SELECT * FROM measure WHERE id = ?"},
    {"contribution", "SELECT * FROM contribution WHERE id = ?"},
    {"cooperation", "SELECT * FROM cooperation WHERE id = ?"},
    {"group_member", "SELECT * FROM group_member WHERE id = ?"},
    {"group_meeting", "SELECT * FROM group_meeting WHERE id = ?"},
    {"gathering", "SELECT * FROM gathering WHERE id = ?"},
    {"invitation", "SELECT * FROM invitation WHERE id = ?"},
    {"attendance", "SELECT * FROM attendance WHERE id = ?"},
    {"access_review", "SELECT * FROM access_review WHERE id = ?"},
    {"user_coordinator", "SELECT * FROM user_coordinator WHERE id = ?"}, /* issue 20 */
};

const char *db_table(size_t i)
{
    return i < sizeof row_tables / sizeof row_tables[0] ? row_tables[i].table : NULL;
}

/* The statement that reads row id of table, bound; NULL (error set) when
 * table is not in the list or on failure. */
static sqlite3_stmt *row_select(struct bti_db *db, const char *table, long long id)
{
    for (size_t i = 0; i < sizeof row_tables / sizeof row_tables[0]; i++) {
        if (strcmp(row_tables[i].table, table) != 0)
            continue;
        sqlite3_stmt *st = db_stmt(db, row_tables[i].select);
        return st && db_bind(db, st, "i", id) == 0 ? st : NULL;
    }
    bti_error_set(BTI_EDB, _("internal error: no table '%s' in the audit's list"), table);
    return NULL;
}

cJSON *db_row_json(struct bti_db *db, const char *table, long long id)
{
    sqlite3_stmt *st = row_select(db, table, id);
    if (!st)
        return NULL;
    cJSON *obj = sqlite3_step(st) == SQLITE_ROW ? row_object(st) : NULL;
    sqlite3_reset(st);
    return obj;
}

int db_row_text(struct bti_db *db, const char *table, long long id, const char *column, char *buf,
                size_t size)
{
    sqlite3_stmt *st = row_select(db, table, id);
    if (!st)
        return bti_error_code();
    int rc = sqlite3_step(st), col = -1;
    for (int i = 0; rc == SQLITE_ROW && i < sqlite3_column_count(st); i++)
        if (strcmp(sqlite3_column_name(st, i), column) == 0)
            col = i;
    if (col >= 0) {
        const char *s = (const char *)sqlite3_column_text(st, col);
        snprintf(buf, size, "%s", s ? s : "");
    }
    sqlite3_reset(st);
    if (rc == SQLITE_DONE)
        return bti_error_set(BTI_ENOTFOUND, _("no %s %lld"), table, id);
    if (rc != SQLITE_ROW)
        return db_fail(db, rc, _("cannot read the database"));
    return col >= 0 ? 0 : bti_error_set(BTI_EDB, _("internal error: %s has no %s"), table, column);
}

/* Append column i of st to j as the JSON value column_json makes: cJSON's
 * text but for integers of 1e15 and more, which it prints rounded through
 * a double and this exactly (no audited table holds a real number). */
static void column_text(struct jtext *j, sqlite3_stmt *st, int i)
{
    const char *s;
    switch (sqlite3_column_type(st, i)) {
    case SQLITE_INTEGER: jtext_int(j, sqlite3_column_int64(st, i)); break;
    case SQLITE_FLOAT: jtext_double(j, sqlite3_column_double(st, i)); break;
    case SQLITE_NULL: jtext_lit(j, "null"); break;
    default:
        s = (const char *)sqlite3_column_text(st, i);
        if (s)
            jtext_string(j, s);
        else
            j->failed = 1; /* a text column without text: SQLite ran out of memory */
    }
}

int db_row_image(struct bti_db *db, const char *table, long long id, struct jtext *j)
{
    sqlite3_stmt *st = row_select(db, table, id);
    if (!st)
        return bti_error_code();
    int rc = sqlite3_step(st);
    for (int i = 0; rc == SQLITE_ROW && i < sqlite3_column_count(st); i++) {
        const char *name = sqlite3_column_name(st, i); /* compiled: nothing to escape */
        if (!name)
            j->failed = 1; /* SQLite ran out of memory */
        jtext_key(j, i == 0, name ? name : "");
        column_text(j, st, i);
    }
    if (rc == SQLITE_ROW)
        jtext_lit(j, "}");
    sqlite3_reset(st);
    if (rc == SQLITE_DONE)
        return BTI_ENOTFOUND;
    if (rc != SQLITE_ROW)
        return db_fail(db, rc, _("cannot read the database"));
    return j->failed ? bti_error_set(BTI_EDB, _("out of memory")) : 0;
}

/* The comma-joined words of s as a JSON array of strings (NULL when out
 * of memory). */
static cJSON *list_json(const char *s)
{
    cJSON *arr = cJSON_CreateArray();
    while (arr && *s) {
        size_t n = strcspn(s, ",");
        char *w = strndup(s, n);
        cJSON *e = w ? cJSON_CreateString(w) : NULL;
        free(w);
        if (!e) {
            cJSON_Delete(arr);
            return NULL;
        }
        cJSON_AddItemToArray(arr, e);
        s += n + (s[n] == ',');
    }
    return arr;
}

/* Column i of st as a JSON item of the column's type. */
static cJSON *typed_json(sqlite3_stmt *st, int i, enum bti_type t)
{
    if (sqlite3_column_type(st, i) == SQLITE_NULL)
        return cJSON_CreateNull();
    if (t == BTI_T_LIST)
        return list_json((const char *)sqlite3_column_text(st, i));
    if (t == BTI_T_OBJECT)
        return cJSON_Parse((const char *)sqlite3_column_text(st, i));
    if (t == BTI_T_BOOL)
        return cJSON_CreateBool(sqlite3_column_int(st, i));
    if (t == BTI_T_INT)
        return cJSON_CreateNumber((double)sqlite3_column_int64(st, i));
    if (t == BTI_T_REAL)
        return cJSON_CreateNumber(sqlite3_column_double(st, i));
    return cJSON_CreateString((const char *)sqlite3_column_text(st, i));
}

/* The current row of st as an object typed by cols. */
static cJSON *typed_object(sqlite3_stmt *st, const struct bti_col *cols, size_t ncols)
{
    cJSON *obj = cJSON_CreateObject();
    for (size_t i = 0; obj && i < ncols; i++)
        cJSON_AddItemToObject(obj, cols[i].key, typed_json(st, (int)i, cols[i].type));
    return obj;
}

cJSON *db_array(struct bti_db *db, sqlite3_stmt *st, const struct bti_col *cols, size_t ncols,
                const char *fmt, ...)
{
    if (!st)
        return NULL;
    va_list ap;
    va_start(ap, fmt);
    int rc = db_bind_va(db, st, fmt, &ap);
    va_end(ap);
    cJSON *arr = rc ? NULL : cJSON_CreateArray();
    while (arr && (rc = sqlite3_step(st)) == SQLITE_ROW)
        cJSON_AddItemToArray(arr, typed_object(st, cols, ncols));
    sqlite3_reset(st);
    if (arr && rc != SQLITE_DONE) {
        db_fail(db, rc, _("cannot read the database"));
        cJSON_Delete(arr);
        return NULL;
    }
    return arr;
}

cJSON *db_object(struct bti_db *db, sqlite3_stmt *st, const struct bti_col *cols, size_t ncols,
                 const char *fmt, ...)
{
    bti_error_clear();
    if (!st)
        return NULL;
    va_list ap;
    va_start(ap, fmt);
    int rc = db_bind_va(db, st, fmt, &ap);
    va_end(ap);
    if (rc)
        return NULL;
    rc = sqlite3_step(st);
    cJSON *obj = rc == SQLITE_ROW ? typed_object(st, cols, ncols) : NULL;
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        db_fail(db, rc, _("cannot read the database"));
    return obj;
}

int db_fail(struct bti_db *db, int rc, const char *what)
{
    if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED) {
        bti_error_set(BTI_EBUSY, _("the database stayed locked past the timeout"));
        return bti_error_set_hint(_("it is safe to try again"));
    }
    return bti_error_set(BTI_EDB, "%s: %s", what,
                         db && db->h ? sqlite3_errmsg(db->h) : sqlite3_errstr(rc));
}

sqlite3_stmt *db_stmt(struct bti_db *db, const char *sql)
{
    for (int i = 0; i < db->ncache; i++)
        if (db->cache[i].sql == sql) {
            sqlite3_reset(db->cache[i].st);
            sqlite3_clear_bindings(db->cache[i].st);
            return db->cache[i].st;
        }
    if (db->ncache == STMT_CACHE) {
        bti_error_set(BTI_EDB, _("internal error: the statement cache is full"));
        return NULL;
    }
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v3(db->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
    if (rc != SQLITE_OK) {
        db_fail(db, rc, _("cannot prepare a statement"));
        return NULL;
    }
    db->cache[db->ncache].sql = sql;
    db->cache[db->ncache++].st = st;
    return st;
}
