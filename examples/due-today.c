/*
 * due-today: what needs action today, as one JSON array, through libbti
 * rather than the command line.  A small program built against the
 * installed library:
 *
 *     cc -o due-today due-today.c $(pkg-config --cflags --libs bti)
 *     ./due-today [DATABASE]
 *
 * The database is DATABASE, else $BTI_DB, else `db` in /etc/bti.conf.  It
 * lists what `bti due --json` lists, but never a name (a case is its id),
 * so it reads nothing identified and its output may go anywhere: the login
 * needs a role in the database, a coordinator login sees its own cases,
 * and $BTI_TODAY may move today.  Exit status: 0, or the library's code
 * (SPEC section 7) with its message on stderr.
 */
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <bti/config.h>
#include <bti/db.h>
#include <bti/error.h>
#include <bti/report.h>

/* One value of a row as JSON: numbers as numbers, the rest as text. */
static cJSON *json_value(enum bti_type type, const struct bti_value *v)
{
    if (v->null)
        return cJSON_CreateNull();
    if (type == BTI_T_BOOL)
        return cJSON_CreateBool(v->i != 0);
    if (type == BTI_T_INT && !v->s)
        return cJSON_CreateNumber((double)v->i);
    if (type == BTI_T_REAL)
        return cJSON_CreateNumber(v->r);
    return cJSON_CreateString(v->s);
}

/* Append one row of the due list to the array arg as an object; the row's
 * values are the library's and live only during the call, so they are
 * copied. */
static int add_row(const struct bti_row *row, void *arg)
{
    cJSON *obj = cJSON_CreateObject();
    if (!obj || !cJSON_AddItemToArray(arg, obj))
        return cJSON_Delete(obj), bti_error_set(BTI_EDB, "out of memory");
    for (size_t i = 0; i < row->ncols; i++) {
        cJSON *item = json_value(row->cols[i].type, &row->vals[i]);
        if (!item || !cJSON_AddItemToObject(obj, row->cols[i].key, item))
            return cJSON_Delete(item), bti_error_set(BTI_EDB, "out of memory");
    }
    return 0;
}

/* The run's context: the OS login, and today from $BTI_TODAY or the clock. */
static int context(struct bti_ctx *ctx)
{
    const struct passwd *pw = getpwuid(getuid());
    *ctx = (struct bti_ctx){.command = "due-today", .busy_ms = 5000};
    ctx->login = pw ? pw->pw_name : NULL;
    if (!ctx->login)
        return bti_error_set(BTI_EDENIED, "no login name for this user");
    int rc = bti_date_today(&ctx->today, NULL, getenv("BTI_TODAY"));
    return rc ? rc : bti_date_today(&ctx->real_today, NULL, NULL);
}

/* Read the due list, without names, into *out (a new array) in one read
 * transaction. */
static int due_list(const char *path, const struct bti_ctx *ctx, int retention, cJSON **out)
{
    struct bti_db *db = NULL;
    struct bti_due_filter f = {.retention_years = retention, .unnamed = 1};
    *out = cJSON_CreateArray();
    int rc = *out ? bti_db_open(&db, path, ctx) : bti_error_set(BTI_EDB, "out of memory");
    if (rc == 0)
        rc = bti_db_login(db, BTI_ROLE_REPORT, 1, NULL);
    if (rc == 0)
        rc = bti_db_begin(db, 0);
    if (rc == 0)
        rc = bti_report_due(db, &f, add_row, *out);
    if (rc == 0)
        rc = bti_db_commit(db);
    else if (db)
        bti_db_rollback(db);
    bti_db_close(db);
    if (rc) {
        bti_json_free(*out);
        *out = NULL;
    }
    return rc;
}

int main(int argc, char **argv)
{
    struct bti_config cfg;
    struct bti_ctx ctx;
    cJSON *due = NULL;
    int rc = bti_config_read(BTI_CONFIG_PATH, &cfg);
    const char *path = argc > 1 ? argv[1] : getenv("BTI_DB") ? getenv("BTI_DB") : cfg.db;
    if (rc == 0 && !*path)
        rc = bti_error_set(BTI_EUSAGE, "no database: name it, or set BTI_DB");
    if (rc == 0)
        rc = context(&ctx);
    if (rc == 0)
        rc = due_list(path, &ctx, cfg.retention_years, &due);
    char *text = rc ? NULL : cJSON_PrintUnformatted(due);
    if (rc == 0 && (!text || printf("%s\n", text) < 0 || fflush(stdout) != 0))
        rc = bti_error_set(BTI_EDB, "cannot write the list");
    if (rc)
        fprintf(stderr, "due-today: error: %s\n", bti_error_last());
    cJSON_free(text);
    bti_json_free(due);
    return rc;
}
