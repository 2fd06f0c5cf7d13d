/*
 * Bulk loads (restore, import cases; issue 19): indexes put off while the
 * rows go in and built once after, which is faster than keeping each
 * up to date row by row (a sort instead of a random insert per row); and
 * the restore's insert of a table's rows as exported.
 */
#include <stdlib.h>
#include <string.h>
#include "store/store.h"
#include "store/caches.h"
#include "base/intl.h"
#include "base/list.h"

/* Keep the CREATE statement of the index st's row names in p. */
static int keep_index(struct db_put_off *p, sqlite3_stmt *st)
{
    char **grown = realloc(p->create, (p->n + 1) * sizeof *grown);
    if (grown)
        p->create = grown;
    char *create = grown ? sqlite3_mprintf("%s", sqlite3_column_text(st, 0)) : NULL;
    if (!create)
        return bti_error_set(BTI_EDB, _("out of memory"));
    p->create[p->n++] = create;
    return 0;
}

/* Whether the trigger name keeps a derived cache (lib/store/caches.h). */
static int cache_trigger(const char *name)
{
    return strncmp(name, "cache_", 6) == 0;
}

/* The logs' guards against INSERT OR REPLACE: a lookup for every row
 * appended (a tenth of an import), which a bulk load's plain INSERTs do
 * not need; no other writer can come between their drop and their
 * return in the load's one write transaction (a rollback brings them
 * back). */
static const char *const log_guards[] = {"audit_no_replace", "access_no_replace", NULL};

/* The index a load of every table keeps: the audit's by entity takes its
 * rows in entity runs, so keeping it costs a restore of 100,000 cases
 * 0.8 s, and building it after 1.1 s more (a read of the whole, wide
 * audit) and a sort that took the restore's peak from 80 to 127 MB. */
static const char *const kept_index[] = {"audit_entity", NULL};

/* Whether the index or trigger name (a trigger when trigger is set) is put
 * off for names: a derived cache's trigger or a log's guard always
 * (rebuilt after), no other trigger, an index when it is listed or, when
 * names is NULL, unless it is kept. */
static int put_off_one(const char *const *names, const char *name, int trigger)
{
    if (trigger)
        return cache_trigger(name) || list_has(log_guards, name);
    return names ? list_has(names, name) : !list_has(kept_index, name);
}

int db_indexes_put_off(struct bti_db *db, const char *const *names, struct db_put_off *p)
{
    static const char sql[] = "SELECT sql, name, type FROM sqlite_master WHERE (type = 'index'"
                              " AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%') OR"
                              " type = 'trigger'";
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db->h, sql, -1, &st, NULL) != SQLITE_OK)
        return db_fail(db, sqlite3_errcode(db->h), _("cannot read the schema"));
    char *drops = sqlite3_mprintf("");
    int rc = drops ? 0 : bti_error_set(BTI_EDB, _("out of memory"));
    int step = SQLITE_DONE;
    while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(st, 1);
        int trigger = strcmp((const char *)sqlite3_column_text(st, 2), "trigger") == 0;
        if (!put_off_one(names, name, trigger))
            continue;
        rc = keep_index(p, st);
        p->caches |= trigger && cache_trigger(name);
        char *more = rc ? NULL
                        : sqlite3_mprintf("%sDROP %s \"%w\";", drops, trigger ? "TRIGGER" : "INDEX",
                                          sqlite3_column_text(st, 1));
        sqlite3_free(drops);
        drops = more;
        if (rc == 0 && !drops)
            rc = bti_error_set(BTI_EDB, _("out of memory"));
    }
    if (rc == 0 && step != SQLITE_DONE)
        rc = db_fail(db, step, _("cannot read the schema"));
    sqlite3_finalize(st); /* the schema cannot change while it is being read */
    if (rc == 0 && sqlite3_exec(db->h, drops, NULL, NULL, NULL) != SQLITE_OK)
        rc = db_fail(db, sqlite3_errcode(db->h), _("cannot put off the indexes"));
    sqlite3_free(drops);
    return rc;
}

int db_indexes_build(struct bti_db *db, struct db_put_off *p)
{
    for (size_t i = 0; i < p->n; i++)
        if (sqlite3_exec(db->h, p->create[i], NULL, NULL, NULL) != SQLITE_OK)
            return db_fail(db, sqlite3_errcode(db->h), _("cannot build an index"));
    int rc = p->caches ? caches_rebuild(db) : 0;
    db_put_off_free(p);
    return rc;
}

int db_cache_shrink(struct bti_db *db, long long size)
{
    long long was;
    if (sqlite3_db_cacheflush(db->h) != SQLITE_OK)
        return db_fail(db, sqlite3_errcode(db->h), _("cannot write the page cache"));
    return db_cache_size(db, size, &was);
}

void db_put_off_free(struct db_put_off *p)
{
    for (size_t i = 0; i < p->n; i++)
        sqlite3_free(p->create[i]);
    free(p->create);
    p->create = NULL;
    p->n = 0;
    p->caches = 0;
}

int db_restore_insert(struct bti_db *db, const char *table, const char *const *cols, int n,
                      sqlite3_stmt **st)
{
    sqlite3_str *sql = sqlite3_str_new(db->h);
    sqlite3_str_appendf(sql, "INSERT INTO \"%w\"(", table);
    for (int k = 0; k < n; k++)
        sqlite3_str_appendf(sql, "%s\"%w\"", k ? "," : "", cols[k]);
    sqlite3_str_appendall(sql, ") VALUES (");
    for (int k = 0; k < n; k++)
        sqlite3_str_appendf(sql, "%s?", k ? "," : "");
    sqlite3_str_appendall(sql, ")");
    char *text = sqlite3_str_finish(sql);
    *st = NULL;
    if (!text)
        return bti_error_set(BTI_EDB, _("out of memory"));
    int rc = sqlite3_prepare_v2(db->h, text, -1, st, NULL);
    sqlite3_free(text);
    return rc == SQLITE_OK ? 0 : db_fail(db, rc, _("cannot prepare the restore"));
}
