/* bti status: the start of the day, counts only (no name is read). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bti/audit.h"
#include "bti/lifecycle.h"
#include "bti/report.h"
#include "bti/status.h"
#include "store/store.h"
#include "base/intl.h"

/* The keys of the due rows of one day ("case|kind|action"), sorted. */
struct due_keys {
    char **key;
    size_t n, cap;
    int oom;
};

/* A bti_row_fn: add the row's key (case_id, kind, action) to the keys. */
static int collect_due(const struct bti_row *row, void *arg)
{
    struct due_keys *k = arg;
    char buf[1024];
    const struct bti_value *v = row->vals; /* case_id, kind, since, due, action */
    snprintf(buf, sizeof buf, "%lld|%s|%s", v[0].null ? 0 : v[0].i, v[1].s ? v[1].s : "",
             v[4].s ? v[4].s : "");
    if (k->n == k->cap) {
        size_t cap = k->cap ? 2 * k->cap : 64;
        char **key = realloc(k->key, cap * sizeof *key);
        if (!key)
            return bti_error_set(BTI_EDB, _("out of memory"));
        k->key = key, k->cap = cap;
    }
    k->key[k->n] = strdup(buf);
    if (!k->key[k->n])
        return bti_error_set(BTI_EDB, _("out of memory"));
    k->n++;
    return 0;
}

/* strcmp for qsort and bsearch over an array of strings. */
static int key_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Free the keys. */
static void due_keys_free(struct due_keys *k)
{
    for (size_t i = 0; i < k->n; i++)
        free(k->key[i]);
    free(k->key);
}

/* The keys of the due list as it stands on day `on` (judged as if that
 * were today), sorted. */
static int due_on(struct bti_db *db, int retention_years, bti_date on, struct due_keys *k)
{
    struct bti_due_filter f = {.retention_years = retention_years, .unnamed = 1};
    bti_date today = db->ctx.today;
    db->ctx.today = on;
    int rc = bti_report_due(db, &f, collect_due, k);
    db->ctx.today = today;
    if (rc == 0 && k->n > 1)
        qsort(k->key, k->n, sizeof *k->key, key_cmp);
    return rc;
}

/* Add due_today and due_next_14_days to obj: the due list's rows today,
 * and those it holds in BTI_STATUS_DAYS_AHEAD days that it does not today. */
static int add_due(struct bti_db *db, int retention_years, cJSON *obj)
{
    struct due_keys now = {0}, ahead = {0};
    bti_date later = db->ctx.today + BTI_STATUS_DAYS_AHEAD;
    int rc = due_on(db, retention_years, db->ctx.today, &now);
    if (rc == 0)
        rc = due_on(db, retention_years, later, &ahead);
    size_t coming = 0;
    for (size_t i = 0; rc == 0 && i < ahead.n; i++)
        coming += !bsearch(&ahead.key[i], now.key, now.n, sizeof *now.key, key_cmp);
    if (rc == 0 && (!cJSON_AddNumberToObject(obj, "due_today", (double)now.n) ||
                    !cJSON_AddNumberToObject(obj, "due_next_14_days", (double)coming)))
        rc = bti_error_set(BTI_EDB, _("out of memory"));
    due_keys_free(&now);
    due_keys_free(&ahead);
    return rc;
}

/* A new object of the open cases by state, every open state named. */
static cJSON *open_cases(struct bti_db *db)
{
    static const char sql[] = "SELECT count(*) FROM ke_case WHERE status = ?";
    cJSON *obj = cJSON_CreateObject();
    for (enum bti_state s = 0; obj && s < BTI_ST_COUNT; s++) {
        long long n = 0;
        if (!bti_state_is_open(s))
            continue;
        if (db_int(db, &n, sql, "t", bti_state_name(s)) != 0 ||
            !cJSON_AddNumberToObject(obj, bti_state_name(s), (double)n)) {
            cJSON_Delete(obj);
            return NULL;
        }
    }
    return obj;
}

/* A new object of who and where: the database file, today, the login and
 * its role, and the date of the last access-log review (null if none). */
static cJSON *who_and_where(struct bti_db *db)
{
    static const char sql[] =
        "SELECT ?1, ?2, ?3, (SELECT role FROM user WHERE login = ?3 AND retired IS NULL),"
        " (SELECT max(reviewed) FROM access_review)";
    static const struct bti_col cols[] = {
        {"database", BTI_T_TEXT},
        {"today", BTI_T_DATE},
        {"login", BTI_T_TEXT},
        {"role", BTI_T_TEXT},
        {"last_access_review", BTI_T_DATE},
    };
    const char *file = sqlite3_db_filename(db->h, "main");
    return db_object(db, db_stmt(db, sql), cols, 5, "tdt", file ? file : "", db->ctx.today,
                     db->ctx.login);
}

/* The last backup as {at, target}, or a JSON null when there was none. */
static cJSON *last_backup(struct bti_db *db)
{
    static const char sql[] = "SELECT at, json_extract(change, '$.target') FROM audit"
                              " WHERE entity = 'backup' ORDER BY id DESC LIMIT 1";
    static const struct bti_col cols[] = {{"at", BTI_T_TIME}, {"target", BTI_T_TEXT}};
    cJSON *obj = db_object(db, db_stmt(db, sql), cols, 2, "");
    return obj || bti_error_code() ? obj : cJSON_CreateNull();
}

/* Add the parts that follow who and where, in the order status shows. */
static int add_parts(struct bti_db *db, int retention_years, cJSON *obj)
{
    char head[BTI_AUDIT_HEAD_BUF];
    cJSON *review = cJSON_DetachItemFromObject(obj, "last_access_review");
    cJSON *cases = open_cases(db);
    int rc = cases ? 0 : bti_error_code() ? bti_error_code() : BTI_EDB;
    cJSON_AddItemToObject(obj, "open_cases", cases);
    if (rc == 0)
        rc = add_due(db, retention_years, obj);
    cJSON *backup = rc ? NULL : last_backup(db);
    if (rc == 0 && !backup)
        rc = bti_error_code() ? bti_error_code() : BTI_EDB;
    cJSON_AddItemToObject(obj, "last_backup", backup);
    cJSON_AddItemToObject(obj, "last_access_review", review);
    if (rc == 0)
        rc = bti_audit_head(db, head, NULL);
    if (rc == 0 && !cJSON_AddStringToObject(obj, "audit_head", head))
        rc = bti_error_set(BTI_EDB, _("out of memory"));
    return rc;
}

int bti_status(struct bti_db *db, int retention_years, cJSON **out)
{
    cJSON *obj = who_and_where(db);
    int rc = obj                ? add_parts(db, retention_years, obj)
             : bti_error_code() ? bti_error_code()
                                : BTI_EDB;
    if (rc) {
        cJSON_Delete(obj);
        return rc;
    }
    *out = obj;
    return 0;
}
