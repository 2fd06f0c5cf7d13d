/*
 * What the library's modules share and nothing outside lib/ may see: the
 * database handle, the statement cache, binding and row helpers, the audit
 * and the access log.
 */
#ifndef BTI_STORE_H
#define BTI_STORE_H

#include <stdarg.h>
#include <stdio.h>
#include <sqlite3.h>
#include <cjson/cJSON.h>
#include "bti/date.h"
#include "bti/db.h"
#include "bti/error.h"
#include "bti/lifecycle.h"
#include "bti/row.h"
#include "base/jtext.h"

/* Every distinct SQL string of the library fits; more is a programming error. */
#define STMT_CACHE 512
#define ROW_IMAGES 16 /* row images kept (struct bti_db) */

/* An identified read, kept until the command's transaction ends so that it
 * is logged even when the command fails or is a dry run. */
struct pending_access {
    char at[24];
    char *entity, *what;
    long long rows;
};

struct bti_db {
    sqlite3 *h;
    struct bti_ctx ctx;
    int in_tx;
    struct pending_access *pending;
    size_t npending;
    int checkpoint; /* truncate the WAL after the commit (an erasure) */
    int commit_failed; /* a COMMIT failed: its frames may lie in the WAL */
    int names;      /* listings may show person names (bti_db_login) */
    long long scope; /* a coordinator login's coordinator: only its cases; 0 for all */
    int writing;    /* the transaction is a write */
    const char *warning; /* what the last commit could not finish, or NULL */
    FILE *trace;         /* BTI_TRACE's file, or NULL (issue 19: make bench) */
    /* the audit's last id and hash, known once read in this transaction
     * (which holds the write lock: nobody else appends meanwhile) */
    int audit_known;
    long long audit_last;
    unsigned char audit_hash[32];
    /* the images of the rows last written in this transaction, true while
     * SQLite's count of changed rows stands at image_mark (-1: none), so
     * an update's image before comes without a read (issue 19) */
    struct row_image {
        const char *table;
        long long id;
        char *text;
    } images[ROW_IMAGES];
    int next_image;
    long long image_mark;
    /* while audit_net is on: the rows written since the last flush, each
     * with its image before the first write (NULL: inserted) and the last
     * reason given, in the order first written */
    struct net_change {
        const char *table;
        long long id;
        char *old, *reason;
    } *net;
    size_t nnet, net_cap;
    int net_on;
    struct {
        const char *sql; /* identity: the address of a static SQL string */
        sqlite3_stmt *st;
    } cache[STMT_CACHE];
    int ncache;
};

/* How long to wait for a locked database, in milliseconds (5 s unless the
 * context says). */
int db_busy_ms(const struct bti_db *db);

/* Map an SQLite result to a bti code with a message about `what`
 * (SQLITE_BUSY becomes BTI_EBUSY; anything else BTI_EDB). */
int db_fail(struct bti_db *db, int sqlite_rc, const char *what);

/* The prepared statement for the static string sql, reset and with its
 * bindings cleared; prepared once per handle.  NULL on failure (error set). */
sqlite3_stmt *db_stmt(struct bti_db *db, const char *sql);

/* Set the connection's page cache to `size` (PRAGMA cache_size: pages,
 * or KiB when negative); *was gets the setting it had. */
int db_cache_size(struct bti_db *db, long long size, long long *was);

/* Bind values by a format: 'i' long long, 'I' an optional id (long long;
 * 0 binds NULL), 't' const char * (NULL binds
 * NULL), 'd' bti_date (BTI_NO_DATE binds NULL), 'b' int as 0/1,
 * 'n' NULL.  Parameters are numbered from 1 in order; values past the
 * statement's last parameter are ignored. */
int db_bind(struct bti_db *db, sqlite3_stmt *st, const char *fmt, ...);

/* db_bind with the values in a va_list of the caller's. */
int db_bind_va(struct bti_db *db, sqlite3_stmt *st, const char *fmt, va_list *ap);

/* db_bind_va for a statement stepped and reset before the values' texts
 * go: they are bound without a copy (an audited write copied each of its
 * texts, the change JSON among them; issue 19). */
int db_bind_va_borrowed(struct bti_db *db, sqlite3_stmt *st, const char *fmt, va_list *ap);

/* Step a statement that returns no row (or whose row is ignored). */
int db_exec_stmt(struct bti_db *db, sqlite3_stmt *st);

/* Run sql with the bound values of fmt and no result. */
int db_run(struct bti_db *db, const char *sql, const char *fmt, ...);

/* Run sql (bound by fmt) expecting at most one integer: *out gets it, or
 * the call returns BTI_ENOTFOUND (without a message) when no row came. */
int db_int(struct bti_db *db, long long *out, const char *sql, const char *fmt, ...);

/* Stream the rows of an already bound statement to fn, mapping each SQLite
 * column to the bti_col of the same position.  Returns fn's non-zero code,
 * or 0; *count (may be NULL) gets the number of rows. */
int db_rows(struct bti_db *db, sqlite3_stmt *st, const struct bti_col *cols, size_t ncols,
            bti_row_fn fn, void *arg, long long *count);

/* Several bound statements whose rows come in one order (before: whether
 * row a comes before row b), read as one listing in that order: the rows
 * of each in turn as they come, none held back.  A source's rows must
 * come in that order already; of equal rows, the earlier source's come
 * first. */
#define DB_MERGE_MAX 16
struct db_merge {
    sqlite3_stmt *const *sts;
    size_t n;
    int (*before)(const struct bti_row *a, const struct bti_row *b);
    int rc; /* the last step's failure (db_rows_merged's own) */
};

/* Like db_rows, over the merged rows of m. */
int db_rows_merged(struct bti_db *db, struct db_merge *m, const struct bti_col *cols,
                   size_t ncols, bti_row_fn fn, void *arg, long long *count);

/* Like db_rows, and then record the identified read in the access log:
 * the ids of the rows handed on (their first column) under entity, as
 * ids_hold reads them. */
int db_rows_logged(struct bti_db *db, sqlite3_stmt *st, const struct bti_cols *cols, bti_row_fn fn,
                   void *arg, const char *entity);

/* Like db_rows_logged, with the ids from column `col` (a NULL id, a row
 * of no case, is counted but not listed). */
int db_rows_logged_by(struct bti_db *db, sqlite3_stmt *st, const struct bti_cols *cols, int col,
                      bti_row_fn fn, void *arg, const char *entity);

/* Like db_rows_logged_by, over the merged rows of m. */
int db_rows_logged_merged(struct bti_db *db, struct db_merge *m, const struct bti_cols *cols,
                          int col, bti_row_fn fn, void *arg, const char *entity);

/* Bind st by fmt and return its rows as a new JSON array of objects typed by
 * cols (ncols columns); NULL on failure (st may be NULL: error already set). */
cJSON *db_array(struct bti_db *db, sqlite3_stmt *st, const struct bti_col *cols, size_t ncols,
                const char *fmt, ...);

/* Bind st by fmt and return its first row as a new JSON object typed by
 * cols, or NULL when there is no row (then the error code is 0) or on
 * failure. */
cJSON *db_object(struct bti_db *db, sqlite3_stmt *st, const struct bti_col *cols, size_t ncols,
                 const char *fmt, ...);

/* The writes to an audited table (lib/store/record.c), each with its audit
 * row.  Insert at most one row of table with sql (bound by fmt) and audit
 * it; *id (may be NULL) gets its id, or 0 when the statement inserted
 * nothing (an INSERT OR IGNORE of a row already there, an INSERT ...
 * SELECT that selected none), which is then not audited. */
int db_insert(struct bti_db *db, const char *table, long long *id, const char *sql,
              const char *fmt, ...);

/* Change row id of table with sql (bound by fmt) and audit the change
 * with its old and new values and the reason (may be NULL). */
int db_update(struct bti_db *db, const char *table, long long id, const char *reason,
              const char *sql, const char *fmt, ...);

/* Delete row id of table with sql, which deletes row ?1 (bound to id),
 * and audit the row it was, with the reason (may be NULL). */
int db_delete(struct bti_db *db, const char *table, long long id, const char *reason,
              const char *sql);

/* Blank a person's values in row id of table with sql, which changes row
 * ?1 (bound to id), and audit the row's new image only: the values it
 * held do not go into the audit (an erasure, SPEC section 9). */
int db_erase(struct bti_db *db, const char *table, long long id, const char *sql);

/* The i-th table whose rows the audit records, in an order that satisfies
 * their foreign keys; NULL past the last. */
const char *db_table(size_t i);

/* The row of `table` with this id as a JSON object of its columns, or NULL
 * when there is none.  table comes from the compiled list of tables. */
cJSON *db_row_json(struct bti_db *db, const char *table, long long id);

/* Append the row of `table` with this id to j as the JSON object
 * db_row_json returns, in text; BTI_ENOTFOUND (no message, nothing
 * appended) when there is none. */
int db_row_image(struct bti_db *db, const char *table, long long id, struct jtext *j);

/* Step the bound statement st to its end, collecting its first column
 * into a new array *out of *n integers (freed by the caller). */
int db_ints(struct bti_db *db, sqlite3_stmt *st, long long **out, size_t *n);

/* Column `column` of row id of `table` (from the compiled list) as text
 * into buf ("" for NULL); BTI_ENOTFOUND "no TABLE ID" when there is none. */
int db_row_text(struct bti_db *db, const char *table, long long id, const char *column, char *buf,
                size_t size);

/* The last inserted row id. */
long long db_last_id(struct bti_db *db);

/* Append to j the image of row id of table as db_row_image does, from the
 * images audit_change kept when nothing changed since, else read. */
int db_row_image_known(struct bti_db *db, const char *table, long long id, struct jtext *j);

/* Forget the kept row images (a transaction begins or rolls back). */
void db_images_forget(struct bti_db *db);

/* Append an audit row for a change to table/id: `old`, the row's image
 * before it (db_row_image's text; NULL for an insert), the row as it stands
 * now (null when deleted) and the reason given for an edit (NULL when
 * none). */
int audit_change(struct bti_db *db, const char *table, long long id, const char *old,
                 const char *reason);

/* One audit row per changed row (SPEC section 10), for a bulk write that
 * replays many steps on each row (an import): from audit_net_begin on, an
 * audited write notes its row instead of appending a row for each write,
 * and audit_net_flush appends one per row noted, with its image before the
 * first write and after the last (a row inserted and deleted again leaves
 * none).  audit_net_end flushes and stops; a commit flushes what is left,
 * a rollback forgets it. */
void audit_net_begin(struct bti_db *db);
int audit_net_flush(struct bti_db *db);
int audit_net_end(struct bti_db *db);
void audit_net_forget(struct bti_db *db);

/* Whether row id of table is noted for audit_net_flush already: its image
 * before is kept, so a write need not read it. */
int audit_net_noted(const struct bti_db *db, const char *table, long long id);

/* Append an audit row with a change document of the caller's (taken). */
int audit_append(struct bti_db *db, const char *entity, long long id, cJSON *change);

/* Record that identified data was read: the entity, the ids or the filter
 * (text; never a name), and the number of rows.  The row is written when
 * the command's transaction ends, committed or not (access_flush). */
int access_log(struct bti_db *db, const char *entity, const char *what, long long rows);

/* Write the pending access rows: inside the open transaction, else in a
 * transaction of their own (after a rollback). */
int access_flush(struct bti_db *db);

/* The fields of one audit row as its chain covers them, with the change
 * JSON, salt and hash that prove it (hashes are 32 bytes; a blob that is
 * NULL or empty has a NULL pointer, as SQLite gives it). */
struct audit_row {
    long long id;
    const char *at, *login, *actor, *command, *entity, *today;
    long long entity_id;
    int has_entity_id;
    const unsigned char *digest; /* NULL: no hash there */
    const char *change;          /* NULL: erased */
    const unsigned char *salt;   /* salt_len bytes (-1: NULL) */
    int salt_len;
    const unsigned char *hash; /* NULL: no hash there */
};

/* The fields of one access row as its chain covers them, and its hash. */
struct access_row {
    long long id;
    const char *at, *login, *actor, *command, *entity, *what;
    long long rows;
    int identify;
    int hashed;                /* it has a hash: it is not from before the chain */
    const unsigned char *hash; /* NULL: no hash there */
};

/* A value as a bulk load bound it to a statement: NULL, an integer, a
 * text or a blob of n bytes. */
struct db_value {
    enum db_value_type { DB_NULL, DB_INT, DB_TEXT, DB_BLOB } type;
    long long i;
    const char *s;
    const unsigned char *b;
    int n;
};

/* The verification of the audit's and the access log's chains from the
 * values of their rows as a restore binds them, one row at a time, with
 * the rules bti_audit_verify applies to the logs as they are stored; keep
 * (the hashes after every row) when a head is to be checked. */
struct chain_walk;
int chain_walk_new(struct chain_walk **w, int keep);
void chain_walk_free(struct chain_walk *w);

/* The log ("audit" or "access") whose rows come next, with its columns in
 * the order of the values chain_walk_row gets. */
void chain_walk_log(struct chain_walk *w, const char *log, const char *const *cols, int n);

/* The values v (one per column) of the log's next row, as bound and
 * stored: BTI_ECHECK, with bti_audit_verify's message, when the row does
 * not match the chain.  A row out of id order, or a value the log may
 * not hold as bound (a text bound to an integer column), ends the walk
 * in doubt: chain_walk_end then reads the logs back. */
int chain_walk_row(struct chain_walk *w, const struct db_value *v);

/* The walk's verdict on the rows taken, and on the head when not NULL:
 * bti_audit_verify's over the logs in db when the walk ended in doubt or
 * kept no hashes for a head. */
int chain_walk_end(struct chain_walk *w, struct bti_db *db, const char *head);

/* Indexes dropped for a bulk load (lib/store/bulk.c), with the CREATE
 * statements that build them again; and whether the derived caches'
 * triggers are among them (the caches are rebuilt after). */
struct db_put_off {
    char **create;
    size_t n;
    int caches;
};

/* Drop the non-unique indexes among names (NULL-terminated; NULL for
 * every non-unique index but the audit's, which is cheaper kept), the
 * derived caches' triggers and the logs' guards against INSERT OR REPLACE
 * (a bulk load appends to the logs by plain INSERT, which a taken id
 * refuses anyway), inside the caller's write transaction, keeping their
 * CREATE statements in p (zeroed by the caller; db_put_off_free it).
 * Unique indexes always stay, so a duplicate is refused at its own row. */
int db_indexes_put_off(struct bti_db *db, const char *const *names, struct db_put_off *p);

/* Build the indexes p holds again (and the derived caches, when their
 * triggers were put off), then forget them. */
int db_indexes_build(struct bti_db *db, struct db_put_off *p);

/* Write the dirty pages of the open write transaction to the WAL and set
 * the page cache to size (as PRAGMA cache_size takes it), so that the
 * pages a bulk load's large cache held are freed before the indexes are
 * built (with temporary data in memory, each sorts its whole index there). */
int db_cache_shrink(struct bti_db *db, long long size);

/* Forget the indexes p holds without building them (the transaction's
 * rollback brings them back). */
void db_put_off_free(struct db_put_off *p);

/* Prepare in *st the insert of a row of table with its columns cols[0..n)
 * bound as ?1..?n, for a restore, which writes every row as it was exported
 * with the audit rows exported beside it and appends one `restore` audit
 * row of its own (SPEC section 6): the one writer of audited tables that
 * does not audit each row, kept here where floors.py allows it. */
int db_restore_insert(struct bti_db *db, const char *table, const char *const *cols, int n,
                      sqlite3_stmt **st);

/* Run the schema's migrations up to the current version. */
int schema_migrate(struct bti_db *db);

/* Whether rows exported under schema `version` load into the current
 * schema: the same version, or an older one that only index and view
 * migrations follow, or ones that add columns with defaults (a row
 * without such a column gets its default). */
int schema_loads_rows_of(int version);

/* Format a date for SQL: the ISO text in buf, or NULL for BTI_NO_DATE. */
const char *date_sql(bti_date d, char *buf);

/* Read an ISO date column (NULL gives BTI_NO_DATE). */
bti_date date_col(sqlite3_stmt *st, int col);

#endif
