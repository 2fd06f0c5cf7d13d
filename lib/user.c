/* Users and their roles. */
#include <string.h>
#include "bti/text.h"
#include "bti/user.h"
#include "store/store.h"
#include "base/intl.h"

static const char *const role_names[] = {
    [BTI_ROLE_NONE] = NULL,
    [BTI_ROLE_REPORT] = "report",
    [BTI_ROLE_CASEWORKER] = "caseworker",
    [BTI_ROLE_ADMIN] = "admin",
    [BTI_ROLE_COORDINATOR] = "coordinator",
};

int bti_role_parse(enum bti_role *out, const char *s)
{
    for (int r = BTI_ROLE_REPORT; r <= BTI_ROLE_COORDINATOR; r++)
        if (s && strcmp(s, role_names[r]) == 0) {
            *out = (enum bti_role)r;
            return 0;
        }
    return bti_error_set(BTI_EINVAL, _("invalid value for --role: expected admin, caseworker, "
                                       "coordinator or report"));
}

/* Check that login looks like a Unix login name. */
static int check_login(const char *login)
{
    size_t n = strlen(login);
    int ok = n > 0 && n <= 32 && strchr("abcdefghijklmnopqrstuvwxyz_", login[0]);
    for (size_t i = 1; ok && i < n; i++)
        ok = strchr("abcdefghijklmnopqrstuvwxyz0123456789_.-", login[i]) != NULL;
    if (!ok)
        return bti_error_set(BTI_EINVAL, _("invalid login: expected a Unix login name"));
    return 0;
}

/* Bind user id to coordinator_id (a coordinator login), or change the
 * binding a retired login kept. */
static int bind_coordinator(struct bti_db *db, long long id, long long coordinator_id)
{
    long long bound;
    int rc = db_int(db, &bound, "SELECT id FROM user_coordinator WHERE user_id = ?", "i", id);
    if (rc == 0)
        return db_update(db, "user_coordinator", bound, NULL,
                         "UPDATE user_coordinator SET coordinator_id = ? WHERE id = ?", "ii",
                         coordinator_id, bound);
    if (rc == BTI_ENOTFOUND)
        rc = db_insert(db, "user_coordinator", NULL,
                       "INSERT INTO user_coordinator(user_id, coordinator_id) VALUES (?, ?)", "ii",
                       id, coordinator_id);
    return rc;
}

/* Check that a coordinator login names its coordinator, and no other
 * login does. */
static int check_binding(enum bti_role role, long long coordinator_id)
{
    if (role == BTI_ROLE_COORDINATOR && coordinator_id <= 0)
        return bti_error_set(BTI_EUSAGE, _("--role coordinator needs --coordinator C"));
    if (role != BTI_ROLE_COORDINATOR && coordinator_id > 0)
        return bti_error_set(BTI_EUSAGE, _("--coordinator is only for --role coordinator"));
    return 0;
}

/* Make login a user with role, or take a retired login back with it. */
static int add_login(struct bti_db *db, const char *login, enum bti_role role, long long *id)
{
    long long retired;
    int rc = db_int(db, id, "SELECT id FROM user WHERE login = ?", "t", login);
    if (rc == BTI_ENOTFOUND) {
        char today[BTI_DATE_BUF];
        return db_insert(db, "user", id, "INSERT INTO user(login, role, added) VALUES (?, ?, ?)",
                         "ttt", login, role_names[role], bti_date_format(db->ctx.today, today));
    }
    if (rc == 0)
        rc = db_int(db, &retired, "SELECT retired IS NOT NULL FROM user WHERE id = ?", "i", *id);
    if (rc)
        return rc;
    if (!retired)
        return bti_error_set(BTI_ERULE, _("the login '%s' already has a role"), login);
    return db_update(db, "user", *id, NULL, "UPDATE user SET role = ?, retired = NULL WHERE id = ?",
                     "ti", role_names[role], *id);
}

int bti_user_add(struct bti_db *db, const char *login, enum bti_role role,
                 long long coordinator_id, long long *id)
{
    int rc = check_login(login);
    if (rc == 0)
        rc = check_binding(role, coordinator_id);
    if (rc == 0)
        rc = add_login(db, login, role, id);
    if (rc == 0 && role == BTI_ROLE_COORDINATOR)
        rc = bind_coordinator(db, *id, coordinator_id);
    return rc;
}

int bti_user_retire(struct bti_db *db, const char *login)
{
    long long id;
    int rc = db_int(db, &id, "SELECT id FROM user WHERE login = ? AND retired IS NULL", "t", login);
    if (rc == BTI_ENOTFOUND)
        return bti_error_set(BTI_ENOTFOUND, _("no active user with the login '%s'"), login);
    if (rc == 0 && strcmp(login, db->ctx.login) == 0)
        return bti_error_set(BTI_ERULE, _("you cannot retire your own login"));
    if (rc)
        return rc;
    return db_update(db, "user", id, NULL, "UPDATE user SET retired = ? WHERE id = ?", "di",
                     db->ctx.today, id);
}

static const struct bti_col user_cols[] = {
    {"id", BTI_T_INT},      {"login", BTI_T_TEXT},          {"role", BTI_T_TEXT},
    {"added", BTI_T_DATE},  {"retired", BTI_T_DATE},        {"coordinator_id", BTI_T_INT},
    {"coordinator", BTI_T_TEXT},
};
const struct bti_cols bti_user_cols = BTI_COLS(user_cols);

int bti_user_list(struct bti_db *db, bti_row_fn fn, void *arg)
{
    static const char sql[] =
        "SELECT u.id, u.login, u.role, u.added, u.retired, b.coordinator_id, k.name FROM user u"
        " LEFT JOIN user_coordinator b ON b.user_id = u.id AND u.role = 'coordinator'"
        " LEFT JOIN coordinator k ON k.id = b.coordinator_id ORDER BY u.id";
    sqlite3_stmt *st = db_stmt(db, sql);
    return st ? db_rows(db, st, user_cols, bti_user_cols.n, fn, arg, NULL) : bti_error_code();
}
