/* Export and restore: the whole database as one row per line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bti/doctor.h"
#include "bti/export.h"
#include "bti/nin.h"
#include "bti/text.h"
#include "doctor.h"
#include "tally.h"
#include "store/store.h"
#include "base/flatjson.h"
#include "base/intl.h"

/* The tables of an export in order: the audited tables (foreign keys
 * satisfied in this order), then the audit and the access log. */
static const char *export_table(size_t i)
{
    static const char *const logs[] = {"audit", "access"};
    const char *t = db_table(i);
    size_t n = 0;
    while (db_table(n))
        n++;
    return t ? t : i - n < 2 ? logs[i - n] : NULL;
}

/* Append column i of st to j as the export writes it: an integer as
 * cJSON prints a number, a blob as a hex string, NULL as null, and any
 * other value as its text. */
static void export_value(struct jtext *j, sqlite3_stmt *st, int i)
{
    static const char digits[] = "0123456789abcdef";
    const unsigned char *b;
    const char *s;
    switch (sqlite3_column_type(st, i)) {
    case SQLITE_INTEGER: jtext_double(j, (double)sqlite3_column_int64(st, i)); break;
    case SQLITE_NULL: jtext_lit(j, "null"); break;
    case SQLITE_BLOB:
        b = sqlite3_column_blob(st, i);
        jtext_raw(j, "\"", 1);
        for (int k = 0; k < sqlite3_column_bytes(st, i); k++) {
            char two[2] = {digits[b[k] >> 4], digits[b[k] & 15]};
            jtext_raw(j, two, 2);
        }
        jtext_raw(j, "\"", 1);
        break;
    default:
        s = (const char *)sqlite3_column_text(st, i);
        if (s)
            jtext_string(j, s);
        else
            j->failed = 1; /* a text without text: SQLite ran out of memory */
    }
}

/* The current row of st as one line of JSON in j (emptied first), with a
 * ',' after it when `comma`.  The text is what a cJSON object of the row
 * printed, written straight from the values: a row as long as the access
 * row of a `due` that read every case is held once, not five times. */
static int row_line(sqlite3_stmt *st, struct jtext *j, int comma)
{
    jtext_free(j);
    for (int i = 0; i < sqlite3_column_count(st); i++) {
        const char *name = sqlite3_column_name(st, i);
        jtext_raw(j, i ? "," : "{", 1);
        if (name)
            jtext_string(j, name);
        else
            j->failed = 1; /* SQLite ran out of memory */
        jtext_raw(j, ":", 1);
        export_value(j, st, i);
    }
    jtext_lit(j, comma ? "}," : "}");
    return j->failed ? bti_error_set(BTI_EDB, _("out of memory")) : 0;
}

/* The largest id of table in *last (0 when it has no rows). */
static int last_id(struct bti_db *db, const char *table, long long *last)
{
    char sql[96];
    sqlite3_stmt *st;
    snprintf(sql, sizeof sql, "SELECT max(id) FROM %s", table); /* compiled names only */
    int rc = sqlite3_prepare_v2(db->h, sql, -1, &st, NULL);
    if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW)
        *last = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? 0 : db_fail(db, rc, _("cannot read for the export"));
}

/* Write a table's rows, each line ending in ',' but the last (the row of
 * the largest id: the rows come in id order, inside one transaction). */
static int export_rows(struct bti_db *db, const char *table, bti_line_fn fn, void *arg,
                       long long *rows)
{
    char sql[96];
    struct jtext line;
    long long last = 0;
    sqlite3_stmt *st = NULL;
    int rc = last_id(db, table, &last), step = SQLITE_DONE;
    snprintf(sql, sizeof sql, "SELECT * FROM %s ORDER BY id", table); /* compiled names only */
    if (rc == 0 && (step = sqlite3_prepare_v2(db->h, sql, -1, &st, NULL)) != SQLITE_OK)
        rc = db_fail(db, step, _("cannot read for the export"));
    jtext_init(&line);
    int id = 0; /* the id column */
    for (int i = 0; st && i < sqlite3_column_count(st); i++) {
        const char *name = sqlite3_column_name(st, i);
        if (name && strcmp(name, "id") == 0)
            id = i;
    }
    while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
        rc = row_line(st, &line, sqlite3_column_int64(st, id) != last);
        if (rc == 0)
            rc = fn(line.s, line.len, arg);
        (*rows)++;
    }
    if (rc == 0 && step != SQLITE_DONE)
        rc = db_fail(db, step, _("cannot read for the export"));
    jtext_free(&line);
    sqlite3_finalize(st);
    return rc;
}

int bti_export(struct bti_db *db, bti_line_fn fn, void *arg, long long *rows)
{
    char line[96];
    const char *t;
    *rows = 0;
    int n = snprintf(line, sizeof line, "{\"bti_export\":1,\"schema\":%d,\"tables\":{",
                     bti_db_schema_version());
    int rc = fn(line, (size_t)n, arg);
    for (size_t i = 0; rc == 0 && (t = export_table(i)) != NULL; i++) {
        n = snprintf(line, sizeof line, "\"%s\":[", t);
        rc = fn(line, (size_t)n, arg);
        if (rc == 0)
            rc = export_rows(db, t, fn, arg, rows);
        if (rc == 0)
            rc = export_table(i + 1) ? fn("],", 2, arg) : fn("]}}", 3, arg);
    }
    return rc ? rc : access_log(db, "export", "all", *rows);
}

/* Columns that hold ISO dates. */
static const char *const date_columns[] = {
    "added",           "retired", "born",       "received",
    "closed",          "given",   "withdrawn",  "held",
    "journal",         "decided", "notified",   "appeal_deadline",
    "voided",          "sent",    "forwarded",  "result_date",
    "start",           "end",     "reported",   "ehr_registered",
    "started",         "adopted", "period_end", "first_evaluation",
    "next_evaluation", "ended",   "evaluated",  "from_date",
    "to_date",         "updated", "changed",    "reopened",
    "today",           "posted",  "escalated", "until",
    NULL,
};

#define MAX_COLUMNS 32

struct bti_restore {
    struct bti_db *db;
    enum { R_HEADER, R_TABLE, R_ROWS, R_DONE } state;
    size_t table;
    enum { T_DATA, T_AUDIT, T_ACCESS } kind; /* the table's (worked out once, not per row) */
    int last;                                /* it is the export's last table */
    sqlite3_stmt *insert;
    int ncols;
    char cols[MAX_COLUMNS][32];
    char types[MAX_COLUMNS];     /* 'i' integer, 't' text, 'b' blob */
    char kinds[MAX_COLUMNS];     /* how a text value is checked (text_kind) */
    char *defaults[MAX_COLUMNS]; /* each column's default as SQL text, or NULL */
    int older;                   /* the export's schema is older: columns may be missing */
    long long rows, lineno;
    struct db_put_off indexes;   /* the non-unique indexes, built after the rows are in */
    long long cache_was;         /* the connection's cache_size before the restore */
    struct tally *tally;         /* the data rows against their last audit entries */
    struct chain_walk *chain;    /* the logs' rows against their chains */
    int erased;                  /* an audit row came without its change (erased) */
    char *text;                  /* the decoded strings of the row being restored */
    size_t text_cap;
    struct fj_member m[MAX_COLUMNS]; /* its members (the first MAX_COLUMNS of them) */
    int nm;                          /* how many members it has */
    struct db_value vals[MAX_COLUMNS]; /* the values bound for its columns */
    unsigned char blobs[MAX_COLUMNS][64]; /* ... the blobs among them */
};

/* A restore's page cache, in KiB: as large as import's, and kept through
 * the chain's verification and the doctor's checks (with SQLite's default
 * they read twice as many pages from the file, 1.5 million at 100,000
 * cases: issue 19). */
#define RESTORE_CACHE (-32768)

int bti_restore_begin(struct bti_db *db, struct bti_restore **out)
{
    *out = calloc(1, sizeof **out);
    if (!*out)
        return bti_error_set(BTI_EDB, _("out of memory"));
    (*out)->db = db;
    int rc = tally_new(&(*out)->tally);
    if (rc == 0)
        rc = chain_walk_new(&(*out)->chain, 0); /* a head is known at the end only */
    if (rc == 0)
        rc = db_cache_size(db, RESTORE_CACHE, &(*out)->cache_was);
    return rc ? rc : db_indexes_put_off(db, NULL, &(*out)->indexes);
}

/* Forget the defaults of the table read last. */
static void free_defaults(struct bti_restore *r)
{
    for (int k = 0; k < MAX_COLUMNS; k++) {
        sqlite3_free(r->defaults[k]);
        r->defaults[k] = NULL;
    }
}

void bti_restore_free(struct bti_restore *r)
{
    if (!r)
        return;
    sqlite3_finalize(r->insert);
    free_defaults(r);
    db_put_off_free(&r->indexes);
    tally_free(r->tally);
    chain_walk_free(r->chain);
    free(r->text);
    if (r->cache_was)
        db_cache_size(r->db, r->cache_was, &r->cache_was);
    free(r);
}

/* A message about the line being restored. */
static int bad_line(struct bti_restore *r, const char *what)
{
    return bti_error_set(BTI_EINVAL, _("line %lld: %s"), r->lineno, what);
}

/* Non-zero when name is one of the NULL-terminated words. */
static int listed(const char *name, const char *const *words)
{
    for (; *words; words++)
        if (strcmp(name, *words) == 0)
            return 1;
    return 0;
}

/* How a text value of column col of table t is checked (check_text): 'a'
 * a UTC time, 'd' an ISO date, 'n' a nin, 'u' any UTF-8 (the logs), 'N' a
 * name, 'f' free text.  Worked out once per table, not per value: per value
 * it was a tenth of a restore (issue 19). */
static char text_kind(const char *t, const char *col)
{
    if (!strcmp(col, "at"))
        return 'a';
    if (listed(col, date_columns))
        return 'd';
    if (!strcmp(col, "nin"))
        return 'n';
    if (!strcmp(t, "audit") || !strcmp(t, "access"))
        return 'u';
    return !strcmp(col, "name") ? 'N' : 'f';
}

/* Read the columns of table t (their names, declared types, defaults and
 * the checks of their text). */
static int read_columns(struct bti_restore *r, const char *t)
{
    char sql[96];
    sqlite3_stmt *info;
    snprintf(sql, sizeof sql, "PRAGMA table_info(%s)", t); /* compiled names only */
    if (sqlite3_prepare_v2(r->db->h, sql, -1, &info, NULL) != SQLITE_OK)
        return db_fail(r->db, sqlite3_errcode(r->db->h), _("cannot read the schema"));
    free_defaults(r);
    for (r->ncols = 0; r->ncols < MAX_COLUMNS && sqlite3_step(info) == SQLITE_ROW; r->ncols++) {
        const char *type = (const char *)sqlite3_column_text(info, 2);
        const unsigned char *dflt = sqlite3_column_text(info, 4);
        snprintf(r->cols[r->ncols], sizeof r->cols[0], "%s", sqlite3_column_text(info, 1));
        r->types[r->ncols] = !strcmp(type, "INTEGER") ? 'i' : !strcmp(type, "BLOB") ? 'b' : 't';
        r->kinds[r->ncols] = text_kind(t, r->cols[r->ncols]);
        r->defaults[r->ncols] = dflt ? sqlite3_mprintf("%s", dflt) : NULL;
    }
    sqlite3_finalize(info);
    return 0;
}

/* Whether the table being restored is a data table (not a log). */
static int data_table(const struct bti_restore *r)
{
    return r->kind == T_DATA;
}

/* Hand the columns of the data table being restored to the tally. */
static int tally_columns(struct bti_restore *r)
{
    struct tally_column cols[MAX_COLUMNS];
    for (int k = 0; k < r->ncols; k++)
        cols[k] = (struct tally_column){r->cols[k], r->types[k], r->defaults[k]};
    return tally_table(r->tally, r->table, cols, r->ncols);
}

/* Read the columns of table t and prepare its INSERT. */
static int prepare_table(struct bti_restore *r, const char *t)
{
    const char *cols[MAX_COLUMNS];
    int rc = read_columns(r, t);
    for (int k = 0; k < r->ncols; k++)
        cols[k] = r->cols[k];
    sqlite3_finalize(r->insert);
    r->insert = NULL;
    if (rc == 0 && data_table(r))
        rc = tally_columns(r);
    else if (rc == 0)
        chain_walk_log(r->chain, t, cols, r->ncols);
    return rc ? rc : db_restore_insert(r->db, t, cols, r->ncols, &r->insert);
}

/* Validate a text value s of column col, of kind (text_kind), as the
 * commands would. */
static int check_text(char kind, const char *col, const char *s)
{
    bti_date d;
    time_t when;
    switch (kind) {
    case 'a': return bti_time_parse_utc(s, &when);
    case 'd':
        return strlen(s) == 10 && s[4] == '-' ? bti_date_parse(&d, s, 0, col)
                                              : bti_error_set(BTI_EINVAL, _("not an ISO date"));
    case 'n': return bti_nin_check(s, NULL, "nin");
    case 'u':
        return bti_text_is_utf8(s, strlen(s)) ? 0 : bti_error_set(BTI_EINVAL, _("not valid UTF-8"));
    default: return bti_text_check(s, kind == 'N' ? BTI_TEXT_NAME : BTI_TEXT_FREE, col);
    }
}

/* The value of lower-case hex digit c (export writes no other), or -1:
 * looked up, for a restore decodes three hashes of every audit row. */
static int hex_digit(char c)
{
    static const signed char plus_one[256] = {
        ['0'] = 1,   ['1'] = 2,   ['2'] = 3,   ['3'] = 4,   ['4'] = 5,   ['5'] = 6,
        ['6'] = 7,   ['7'] = 8,   ['8'] = 9,   ['9'] = 10,  ['a'] = 11,  ['b'] = 12,
        ['c'] = 13,  ['d'] = 14,  ['e'] = 15,  ['f'] = 16,
    };
    return plus_one[(unsigned char)c] - 1;
}

/* The result of binding a value: 0, or the database's failure. */
static int bound(struct bti_restore *r, int sqlite_rc)
{
    return sqlite_rc == SQLITE_OK ? 0 : db_fail(r->db, sqlite_rc, _("cannot bind a value"));
}

/* Bind v to column k of the row and keep it in r->vals[k], where the
 * chain walk reads a log row's values: exactly the values bound.  Not
 * copied: texts and blobs outlive the insert, and restore_row clears the
 * bindings before it reads the next line. */
static int bind_value(struct bti_restore *r, int k, struct db_value v)
{
    sqlite3_stmt *st = r->insert;
    r->vals[k] = v;
    switch (v.type) {
    case DB_NULL: return bound(r, sqlite3_bind_null(st, k + 1));
    case DB_INT: return bound(r, sqlite3_bind_int64(st, k + 1, v.i));
    case DB_TEXT: return bound(r, sqlite3_bind_text(st, k + 1, v.s, -1, SQLITE_STATIC));
    default: return bound(r, sqlite3_bind_blob(st, k + 1, v.b, v.n, SQLITE_STATIC));
    }
}

/* The refusal of column k's value, which is no hex blob. */
static int not_hex(const struct bti_restore *r, int k)
{
    return bti_error_set(BTI_EINVAL, _("column '%s' is not a hex blob"), r->cols[k]);
}

/* Bind hex string s as a blob to column k, decoded once into r->blobs[k].
 * Decoded by hand: sscanf per byte was a fifth of a whole restore's time
 * (issue 19). */
static int bind_hex(struct bti_restore *r, int k, const char *s)
{
    size_t n = strlen(s);
    unsigned char *buf = r->blobs[k];
    if (n % 2 || n / 2 > sizeof r->blobs[k])
        return not_hex(r, k);
    for (size_t i = 0; i < n / 2; i++) {
        int hi = hex_digit(s[2 * i]), lo = hex_digit(s[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return not_hex(r, k);
        buf[i] = (unsigned char)(hi << 4 | lo);
    }
    return bind_value(r, k, (struct db_value){.type = DB_BLOB, .b = buf, .n = (int)(n / 2)});
}

/* Check and bind x, the row's member for column k (NULL: it has none). */
static int bind_column(struct bti_restore *r, const struct fj_member *x, int k)
{
    int rc = 0;
    if (!x && r->older) /* a column added since the export was made */
        return bind_value(r, k,
                          r->defaults[k] ? (struct db_value){.type = DB_TEXT, .s = r->defaults[k]}
                                         : (struct db_value){.type = DB_NULL});
    if (!x)
        return bti_error_set(BTI_EINVAL, _("column '%s' is missing"), r->cols[k]);
    if (x->kind == FJ_NULL)
        return bind_value(r, k, (struct db_value){.type = DB_NULL});
    long long whole;
    if (r->types[k] == 'i' && fj_integer(x, &whole))
        return bind_value(r, k, (struct db_value){.type = DB_INT, .i = whole});
    if (x->kind != FJ_STRING) /* a fraction or a number beyond 2^53 too */
        return bti_error_set(BTI_EINVAL, _("column '%s' has a value of the wrong type"),
                             r->cols[k]);
    if (r->types[k] == 'b')
        return bind_hex(r, k, x->string);
    rc = check_text(r->kinds[k], r->cols[k], x->string); /* its message names the column */
    return rc ? rc : bind_value(r, k, (struct db_value){.type = DB_TEXT, .s = x->string});
}

/* The member of the row being restored for the column named col, found as
 * cJSON_GetObjectItem finds it (the first whose key is col in any case). */
static const struct fj_member *member(const struct bti_restore *r, const char *col)
{
    return fj_get(r->m, r->nm < MAX_COLUMNS ? r->nm : MAX_COLUMNS, col);
}

/* How many members a row object of this table should hold: all its
 * columns, or those of them the row holds when the export's schema is
 * older (it may lack the columns added since). */
static int known_columns(const struct bti_restore *r)
{
    int n = 0;
    for (int k = 0; r->older && k < r->ncols; k++)
        n += member(r, r->cols[k]) != NULL;
    return r->older ? n : r->ncols;
}

/* Check and bind every column of the row being restored, handing the
 * values of a data row to the tally as they are bound. */
static int bind_row(struct bti_restore *r)
{
    int rc = 0, data = data_table(r), in_order = 1;
    for (int k = 0; rc == 0 && k < r->ncols; k++) {
        /* members in the columns' order, as the export writes them, are
         * the ones a search finds: no two columns are equal in any case */
        in_order = in_order && k < r->nm && strcmp(r->m[k].key, r->cols[k]) == 0;
        const struct fj_member *x = in_order ? &r->m[k] : member(r, r->cols[k]);
        rc = bind_column(r, x, k);
        if (data)
            tally_value(r->tally, k, x);
    }
    return rc;
}

/* The message of a failed check of line's values, naming the line and
 * table unless it names its line already. */
static int locate(struct bti_restore *r, int rc)
{
    /* a message that names its line already begins as bad_line's does, in any language */
    const char *located = _("line %lld: %s");
    if (bti_error_code() == rc && strncmp(bti_error_last(), located, strcspn(located, "%")) != 0) {
        char msg[512]; /* bti_error_set must not read the buffer it writes */
        snprintf(msg, sizeof msg, "%s", bti_error_last());
        return bti_error_set(rc, _("line %lld: table '%s': %s"), r->lineno, export_table(r->table),
                             msg);
    }
    return rc;
}

/* Insert the bound row, and hand it to the tally (a data row, or an audit
 * entry) and a log's row to the chain walk. */
static int insert_row(struct bti_restore *r)
{
    int step = sqlite3_step(r->insert);
    if ((step & 0xff) == SQLITE_CONSTRAINT) /* the schema refuses the row itself */
        return bti_error_set(BTI_EINVAL, _("line %lld: the row is refused: %s"), r->lineno,
                             sqlite3_errmsg(r->db->h));
    if (step != SQLITE_DONE) /* a full disk or a lock: not the export's fault */
        return db_fail(r->db, step, _("cannot write the restored row"));
    r->rows++;
    if (data_table(r))
        return tally_row(r->tally);
    int rc = chain_walk_row(r->chain, r->vals);
    if (rc || r->kind != T_AUDIT)
        return rc;
    const struct fj_member *change = fj_get(r->m, r->nm, "change");
    r->erased |= !change || change->kind == FJ_NULL;
    return tally_audit(r->tally, r->m, r->nm);
}

/* Read the row object of line into r->m: the export's own shape
 * directly, anything else through cJSON (into *doc, to be freed once the
 * row is in).  Non-zero when the line holds no row object. */
static int read_row(struct bti_restore *r, const char *line, cJSON **doc)
{
    size_t need = strlen(line) + 1;
    const char *end = "";
    if (need > r->text_cap) {
        char *grown = realloc(r->text, need);
        if (!grown)
            return bti_error_set(BTI_EDB, _("out of memory"));
        r->text = grown;
        r->text_cap = need;
    }
    char *text = r->text;
    r->nm = fj_flat(line, &end, r->m, MAX_COLUMNS, &text);
    if (r->nm < 0) {
        *doc = cJSON_ParseWithOpts(line, &end, 0);
        if (!cJSON_IsObject(*doc))
            return bad_line(r, _("not a row of an export"));
        r->nm = fj_from_cjson(*doc, r->m, MAX_COLUMNS);
    }
    return *end == '\0' || (*end == ',' && end[1] == '\0')
               ? 0
               : bad_line(r, _("not a row of an export"));
}

/* Insert one row line (a JSON object, maybe with a trailing comma). */
static int restore_row(struct bti_restore *r, const char *line)
{
    cJSON *doc = NULL;
    int rc = read_row(r, line, &doc);
    if (rc == 0 && r->nm != known_columns(r))
        rc = bad_line(r, _("the row's columns are not the table's"));
    sqlite3_reset(r->insert);
    if (rc == 0 && (rc = bind_row(r)) != 0)
        rc = locate(r, rc);
    if (rc == 0)
        rc = insert_row(r);
    sqlite3_clear_bindings(r->insert);
    cJSON_Delete(doc);
    return rc;
}

/* The header line: this bti's export format and schema. */
static int restore_header(struct bti_restore *r, const char *line)
{
    int schema = 0, n = 0;
    if (sscanf(line, "{\"bti_export\":1,\"schema\":%d,\"tables\":{%n", &schema, &n) != 1 ||
        line[n] != '\0')
        return bad_line(r, _("not the first line of a bti export"));
    if (!schema_loads_rows_of(schema)) {
        bti_error_set(BTI_EINVAL, _("the export has schema %d; this bti writes schema %d"), schema,
                      bti_db_schema_version());
        return bti_error_set_hint(schema < bti_db_schema_version()
                                      ? _("restore it with the bti that wrote it; this one opens"
                                          " the restored database and migrates it")
                                      : _("restore it with a bti as new as the one that wrote it"));
    }
    r->older = schema < bti_db_schema_version();
    r->state = R_TABLE;
    return 0;
}

/* The line that opens the next table: "name":[ */
static int restore_table(struct bti_restore *r, const char *line)
{
    const char *t = export_table(r->table);
    char want[64];
    snprintf(want, sizeof want, "\"%s\":[", t ? t : "");
    if (!t || strcmp(line, want) != 0)
        return bad_line(r, _("not the table that comes next in an export"));
    r->state = R_ROWS;
    r->kind = db_table(r->table) ? T_DATA : strcmp(t, "audit") == 0 ? T_AUDIT : T_ACCESS;
    r->last = !export_table(r->table + 1);
    return prepare_table(r, t);
}

int bti_restore_line(struct bti_restore *r, const char *line, long long lineno)
{
    r->lineno = lineno;
    if (r->state == R_HEADER)
        return restore_header(r, line);
    if (r->state == R_TABLE)
        return restore_table(r, line);
    if (r->state == R_DONE)
        return *line ? bad_line(r, _("text after the end of the export")) : 0;
    if (strcmp(line, r->last ? "]}}" : "],") == 0) {
        r->table++;
        r->state = r->last ? R_DONE : R_TABLE;
        return 0;
    }
    return restore_row(r, line);
}

/* The restoring login must be an admin of the restored data. */
static int check_admin(struct bti_db *db)
{
    long long n = 0;
    int rc = db_int(db, &n,
                    "SELECT count(*) FROM user WHERE login = ? AND role = 'admin'"
                    " AND retired IS NULL",
                    "t", db->ctx.login);
    if (rc == 0 && n == 0)
        return bti_error_set(BTI_EDENIED, _("the login '%s' is no admin in the export"),
                             db->ctx.login);
    return rc;
}

/* Keep the first failed finding of the doctor (its detail names tables and
 * ids, never a value). */
static int first_failure(const struct bti_row *row, void *arg)
{
    char *msg = arg;
    if (!msg[0] && row->vals[1].s && strcmp(row->vals[1].s, "FAIL") == 0)
        snprintf(msg, 256, "%s: %s", row->vals[0].s, row->vals[2].s ? row->vals[2].s : "");
    return 0;
}

/* The doctor's checks on the restored data, before it is committed: its
 * integrity (the one proof that the file SQLite built holds together,
 * which a disaster-recovery path keeps: SPEC section 6), foreign keys
 * (each insert enforced them too), erasures, dates, schema and files.  Not
 * those the restore proves itself, each a pass over the whole file
 * (issue 19):
 * - the audit chain: verified as the rows went in, and against the head
 *   (chain_walk_end);
 * - every row against its last audit entry, when the tally proved it as
 *   the rows went in (else the doctor compares them and names the rows);
 * - the WAL: the restore writes through a rollback journal and puts the
 *   database in WAL mode once it has committed;
 * - the caches: rebuilt from the restored rows just before
 *   (db_indexes_build);
 * - the erasures, when no audit row came erased (the check looks at
 *   those rows only). */
static int check_doctor(struct bti_db *db, int rows_proved, int none_erased)
{
    const char *skip[6] = {"audit chain", "wal", "caches"};
    int n = 3;
    if (rows_proved)
        skip[n++] = "data";
    if (none_erased)
        skip[n++] = "erasures";
    skip[n] = NULL;
    char msg[256] = "";
    int rc = doctor_run(db, first_failure, msg, skip);
    if (rc == BTI_ECHECK)
        return bti_error_set(BTI_ECHECK, _("the restored data fails the doctor's checks: %s"), msg);
    return rc;
}

int bti_restore_end(struct bti_restore *r, const char *head, const char *sha256)
{
    int rc = r->state == R_DONE ? 0 : bti_error_set(BTI_EINVAL, _("the export ends too early"));
    struct bti_db *db = r->db;
    long long rows = r->rows;
    int rows_proved = rc == 0 && tally_proves(r->tally);
    if (rc == 0)
        rc = db_indexes_build(db, &r->indexes);
    if (rc == 0)
        rc = chain_walk_end(r->chain, db, head);
    if (rc == 0)
        rc = check_admin(db); /* who may restore it, before what is wrong in it */
    if (rc == 0)
        rc = check_doctor(db, rows_proved, !r->erased);
    bti_restore_free(r); /* the restore's cache kept for the checks */
    if (rc)
        return rc;
    cJSON *change = cJSON_CreateObject();
    cJSON_AddStringToObject(change, "sha256", sha256);
    cJSON_AddNumberToObject(change, "rows", (double)rows);
    return audit_append(db, "restore", 0, change);
}
