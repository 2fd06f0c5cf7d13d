/* Units: the services responsible for cases and employing coordinators. */
#include <stdlib.h>
#include <string.h>
#include "bti/text.h"
#include "bti/unit.h"
#include "store/store.h"
#include "base/intl.h"

/* BTI_ERULE when another unit than `self` already has this name. */
static int check_unique(struct bti_db *db, const char *name, long long self)
{
    long long other;
    int rc = db_int(db, &other, "SELECT id FROM unit WHERE name = ? AND id <> ?", "ti", name, self);
    if (rc == BTI_ENOTFOUND)
        return 0;
    if (rc == 0)
        return bti_error_set(BTI_ERULE, _("unit %lld already has that name"), other);
    return rc;
}

int bti_unit_add(struct bti_db *db, const char *name, long long *id)
{
    int rc = bti_text_check(name, BTI_TEXT_NAME, "NAME");
    if (rc == 0)
        rc = check_unique(db, name, 0);
    if (rc == 0)
        rc = db_insert(db, "unit", id, "INSERT INTO unit(name) VALUES (?)", "t", name);
    return rc;
}

/* Non-zero when s is all digits (an id rather than a name). */
static int is_id(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return 0;
    return 1;
}

int bti_unit_find(struct bti_db *db, const char *ref, long long *id)
{
    int rc = is_id(ref) ? db_int(db, id, "SELECT id FROM unit WHERE id = ?", "i", atoll(ref))
                        : db_int(db, id, "SELECT id FROM unit WHERE name = ?", "t", ref);
    if (rc == BTI_ENOTFOUND && is_id(ref))
        return bti_error_set(BTI_ENOTFOUND, _("no unit %s"), ref);
    if (rc == BTI_ENOTFOUND) {
        bti_error_set(BTI_ENOTFOUND, _("no unit of that name"));
        return bti_error_set_hint(_("'bti unit list' shows the units"));
    }
    return rc;
}

int bti_unit_edit(struct bti_db *db, long long id, const char *name, const char *reason)
{
    int rc = bti_text_check(name, BTI_TEXT_NAME, "--name");
    if (rc == 0)
        rc = bti_text_check(reason, BTI_TEXT_FREE, "--reason");
    if (rc == 0)
        rc = check_unique(db, name, id);
    if (rc)
        return rc;
    return db_update(db, "unit", id, reason, "UPDATE unit SET name = ? WHERE id = ?", "ti", name,
                     id);
}

static const struct bti_col unit_cols[] = {
    {"id", BTI_T_INT},
    {"name", BTI_T_TEXT},
    {"open_cases", BTI_T_INT},
};
const struct bti_cols bti_unit_cols = BTI_COLS(unit_cols);

int bti_unit_list(struct bti_db *db, bti_row_fn fn, void *arg)
{
    static const char sql[] = "SELECT u.id, u.name, (SELECT count(*) FROM ke_case c"
                              " WHERE c.unit_id = u.id AND c.status <> 'closed')"
                              " FROM unit u ORDER BY u.id";
    sqlite3_stmt *st = db_stmt(db, sql);
    return st ? db_rows(db, st, unit_cols, bti_unit_cols.n, fn, arg, NULL) : bti_error_code();
}
