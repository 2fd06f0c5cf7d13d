/* Coordinators and their assignments to cases. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bti/case.h"
#include "bti/coordinator.h"
#include "bti/text.h"
#include "store/store.h"
#include "checks.h"
#include "case_state.h"
#include "item_status.h"
#include "coordinator.h"
#include "base/intl.h"

/* Check the optional contact fields of a coordinator. */
static int check_contact(const struct bti_coordinator_in *in)
{
    int rc = in->email ? bti_text_check(in->email, BTI_TEXT_LABEL, "--email") : 0;
    if (rc == 0 && in->email && !strchr(in->email, '@'))
        rc =
            bti_error_set(BTI_EINVAL, _("invalid value for --email: expected an address with '@'"));
    if (rc == 0 && in->phone)
        rc = bti_text_check(in->phone, BTI_TEXT_LABEL, "--phone");
    if (rc == 0 && in->phone && strspn(in->phone, "+0123456789 -") != strlen(in->phone))
        rc = bti_error_set(BTI_EINVAL, _("invalid value for --phone: digits, spaces, '+' and '-'"));
    return rc;
}

int bti_coordinator_add(struct bti_db *db, const struct bti_coordinator_in *in, long long *id)
{
    int rc = bti_text_check(in->name, BTI_TEXT_NAME, "--name");
    if (rc == 0)
        rc = check_contact(in);
    if (rc == 0)
        rc = db_insert(db, "coordinator", id,
                       "INSERT INTO coordinator(name, unit_id, email, phone) VALUES (?, ?, ?, ?)",
                       "titt", in->name, in->unit_id, in->email, in->phone);
    return rc;
}

int bti_coordinator_find(struct bti_db *db, const char *ref, long long *id)
{
    static const char by_name[] = "SELECT id FROM coordinator WHERE name = ? ORDER BY id";
    char *end;
    long long n = strtoll(ref, &end, 10);
    if (*ref && !*end) {
        int rc = db_int(db, id, "SELECT id FROM coordinator WHERE id = ?", "i", n);
        return rc == BTI_ENOTFOUND ? bti_error_set(BTI_ENOTFOUND, _("no coordinator %lld"), n) : rc;
    }
    sqlite3_stmt *st = db_stmt(db, by_name);
    int rc = st ? db_bind(db, st, "t", ref) : bti_error_code();
    if (rc == 0)
        rc = pick_one(db, st, 0, _("coordinators of that name"), "their id", id);
    if (rc == BTI_ENOTFOUND) {
        bti_error_set(BTI_ENOTFOUND, _("no coordinator of that name"));
        return bti_error_set_hint(_("'bti coordinator list' shows them"));
    }
    return rc;
}

int bti_coordinator_edit(struct bti_db *db, long long id, const struct bti_coordinator_in *in,
                         const char *reason)
{
    int rc = bti_text_check(reason, BTI_TEXT_FREE, "--reason");
    if (rc == 0 && in->name)
        rc = bti_text_check(in->name, BTI_TEXT_NAME, "--name");
    if (rc == 0)
        rc = check_contact(in);
    return rc ? rc
              : db_update(db, "coordinator", id, reason,
                          "UPDATE coordinator SET name = coalesce(?, name),"
                          " unit_id = coalesce(?, unit_id), email = coalesce(?, email),"
                          " phone = coalesce(?, phone) WHERE id = ?",
                          "tItti", in->name, in->unit_id, in->email, in->phone, id);
}

/* The cases in which coordinator id holds running assignments, as "1, 4". */
static int running_cases(struct bti_db *db, long long id, char *buf, size_t size, int *n)
{
    static const char sql[] = "SELECT case_id FROM assignment WHERE coordinator_id = ?"
                              " AND end IS NULL ORDER BY case_id";
    sqlite3_stmt *st = db_stmt(db, sql);
    if (!st || db_bind(db, st, "i", id))
        return bti_error_code();
    buf[0] = '\0';
    *n = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        size_t len = strlen(buf);
        if (len + 24 < size)
            snprintf(buf + len, size - len, "%s%lld", *n ? ", " : "",
                     (long long)sqlite3_column_int64(st, 0));
        (*n)++;
    }
    sqlite3_reset(st);
    return 0;
}

int bti_coordinator_retire(struct bti_db *db, long long id)
{
    char cases[256];
    int n = 0;
    long long active;
    int rc = db_int(db, &active, "SELECT active FROM coordinator WHERE id = ?", "i", id);
    if (rc == BTI_ENOTFOUND)
        return bti_error_set(BTI_ENOTFOUND, _("no coordinator %lld"), id);
    if (rc == 0 && !active)
        return bti_error_set(BTI_ERULE, _("coordinator %lld is retired already"), id);
    if (rc == 0)
        rc = running_cases(db, id, cases, sizeof cases, &n);
    if (rc == 0 && n) {
        bti_error_set(BTI_ERULE, _("coordinator %lld holds running assignments in cases %s"), id,
                      cases);
        return bti_error_set_hint(_("appoint another coordinator to each with "
                                    "'bti coordinator assign CASE --coordinator C --reason TEXT'"));
    }
    return rc ? rc
              : db_update(db, "coordinator", id, NULL,
                          "UPDATE coordinator SET active = 0 WHERE id = ?", "i", id);
}

static const struct bti_col coordinator_cols[] = {
    {"id", BTI_T_INT},     {"name", BTI_T_TEXT},  {"unit_id", BTI_T_INT}, {"unit", BTI_T_TEXT},
    {"email", BTI_T_TEXT}, {"phone", BTI_T_TEXT}, {"active", BTI_T_BOOL}, {"running", BTI_T_INT},
};
const struct bti_cols bti_coordinator_cols = BTI_COLS(coordinator_cols);

#define COORDINATOR_SELECT                                                                         \
    "SELECT k.id, k.name, k.unit_id, u.name, k.email, k.phone, k.active,"                          \
    " (SELECT count(*) FROM assignment a WHERE a.coordinator_id = k.id AND a.end IS NULL)"         \
    " FROM coordinator k JOIN unit u ON u.id = k.unit_id"

int bti_coordinator_list(struct bti_db *db, int all, bti_row_fn fn, void *arg)
{
    static const char sql[] = COORDINATOR_SELECT " WHERE ? OR k.active ORDER BY k.id";
    sqlite3_stmt *st = db_stmt(db, sql);
    if (!st || db_bind(db, st, "b", all))
        return bti_error_code();
    return db_rows(db, st, coordinator_cols, bti_coordinator_cols.n, fn, arg, NULL);
}

int bti_coordinator_show(struct bti_db *db, long long id, cJSON **out)
{
    static const char sql[] = COORDINATOR_SELECT " WHERE k.id = ?";
    static const char running[] = "SELECT id, case_id, kind, start, reported, ehr_registered,"
                                  " own_system, own_system_name FROM assignment"
                                  " WHERE coordinator_id = ?"
                                  " AND end IS NULL ORDER BY id";
    static const char gatherings[] =
        "SELECT g.id, g.kind, g.held, g.title FROM attendance t JOIN gathering g"
        " ON g.id = t.gathering_id WHERE t.coordinator_id = ? ORDER BY g.held DESC, g.id";
    static const struct bti_col acols[] = {
        {"id", BTI_T_INT},          {"case_id", BTI_T_INT},          {"kind", BTI_T_TEXT},
        {"start", BTI_T_DATE},      {"reported", BTI_T_DATE},        {"ehr_registered", BTI_T_DATE},
        {"own_system", BTI_T_BOOL}, {"own_system_name", BTI_T_TEXT},
    };
    static const struct bti_col gcols[] = {
        {"id", BTI_T_INT}, {"kind", BTI_T_TEXT}, {"held", BTI_T_DATE}, {"title", BTI_T_TEXT}};
    *out = db_object(db, db_stmt(db, sql), coordinator_cols, bti_coordinator_cols.n, "i", id);
    if (!*out)
        return bti_error_code() ? bti_error_code()
                                : bti_error_set(BTI_ENOTFOUND, _("no coordinator %lld"), id);
    cJSON_AddItemToObject(*out, "assignments",
                          db_array(db, db_stmt(db, running), acols, 8, "i", id));
    cJSON_AddItemToObject(*out, "gatherings",
                          db_array(db, db_stmt(db, gatherings), gcols, 4, "i", id));
    return 0;
}

/* The running regular assignment (or with temporary, the running
 * stand-in) of a case and kind; BTI_ENOTFOUND without a message when
 * there is none. */
static int running_as(struct bti_db *db, long long case_id, const char *kind, int temporary,
                      long long *id)
{
    return db_int(db, id,
                  "SELECT id FROM assignment WHERE case_id = ? AND kind = ?"
                  " AND end IS NULL AND temporary = ?",
                  "itb", case_id, kind, temporary);
}

/* The running regular assignment of a case and kind, as running_as. */
static int running(struct bti_db *db, long long case_id, const char *kind, long long *id)
{
    return running_as(db, case_id, kind, 0, id);
}

/* Check that the coordinator may be appointed: active; *other_unit says
 * whether they belong to another unit than the case's. */
static int check_coordinator(struct bti_db *db, const struct bti_assign_in *in, int *other_unit)
{
    static const char sql[] = "SELECT k.active + 2 * (k.unit_id IS NOT c.unit_id)"
                              " FROM coordinator k, ke_case c WHERE k.id = ? AND c.id = ?";
    long long v;
    int rc = db_int(db, &v, sql, "ii", in->coordinator_id, in->case_id);
    if (rc == BTI_ENOTFOUND)
        return bti_error_set(BTI_ENOTFOUND, _("no coordinator %lld"), in->coordinator_id);
    if (rc == 0 && !(v & 1))
        return bti_error_set(BTI_ERULE, _("coordinator %lld is retired"), in->coordinator_id);
    *other_unit = (v & 2) != 0;
    return rc;
}

/* Check the assignment's texts and dates: it starts after the item was granted. */
static int check_assignment(struct bti_db *db, const struct bti_assign_in *in, const char *kind,
                            bti_date start, bti_date *granted)
{
    int rc = in->user_wish ? bti_text_check(in->user_wish, BTI_TEXT_FREE, "--user-wish") : 0;
    if (rc == 0 && in->reason)
        rc = bti_text_check(in->reason, BTI_TEXT_FREE, "--reason");
    if (rc == 0)
        rc = item_granted_on(db, in->case_id, kind, granted);
    if (rc == BTI_ENOTFOUND) {
        bti_error_set(BTI_ERULE, _("case %lld has no granted '%s' item"), in->case_id, kind);
        return bti_error_set_hint(
            _("a coordinator is appointed after 'bti ke decide CASE --grant'"));
    }
    if (rc == 0)
        rc = check_event_date(db, start, *granted, "--date");
    if (rc == 0 && in->confirmed != BTI_NO_DATE)
        rc = check_event_date(db, in->confirmed, start, "--confirmed");
    return rc;
}

/* End a running assignment on `date` for `reason`. */
static int end_assignment(struct bti_db *db, long long id, bti_date date, const char *reason)
{
    return db_update(db, "assignment", id, NULL,
                     "UPDATE assignment SET end = ?, end_reason = ? WHERE id = ?", "dti", date,
                     reason, id);
}

/* Check a stand-in: the regular assignment it stands in for runs, no
 * other stand-in does, and its planned end lies ahead of its start. */
static int check_stand_in(struct bti_db *db, const struct bti_assign_in *in, const char *kind,
                          bti_date start, long long regular)
{
    long long other;
    char a[BTI_DATE_BUF], b[BTI_DATE_BUF];
    if (!regular)
        return bti_error_set(BTI_ERULE, _("case %lld has no running %s to stand in for"),
                             in->case_id, in->child ? "barnekoordinator" : "coordinator");
    if (running_as(db, in->case_id, kind, 1, &other) == 0) {
        bti_error_set(BTI_ERULE, _("case %lld has a running stand-in already, assignment %lld"),
                      in->case_id, other);
        return bti_error_set_hint(_("end it with 'bti coordinator end %lld%s --temporary"
                                    " --reason TEXT'"),
                                  in->case_id, in->child ? " --child" : "");
    }
    if (in->until == BTI_NO_DATE)
        return bti_error_set(BTI_EUSAGE, _("a stand-in needs --until DATE"));
    if (in->until < start)
        return bti_error_set(BTI_EINVAL, _("--until %s lies before the stand-in starts, %s"),
                             bti_date_format(in->until, a), bti_date_format(start, b));
    return 0;
}

/* The lifecycle step of an appointment: a first one, a change of
 * coordinator (ending the running one), or a stand-in beside it. */
static int assign_step(struct bti_db *db, const struct bti_assign_in *in, const char *kind,
                       bti_date start, struct bti_assign_out *out)
{
    struct bti_event_args args = {.reason = in->reason};
    long long regular = 0;
    int rc = running(db, in->case_id, kind, &regular);
    if (rc == BTI_ENOTFOUND)
        rc = 0, regular = 0;
    enum bti_event e = in->temporary ? BTI_EV_STAND_IN : regular ? BTI_EV_REASSIGN : BTI_EV_ASSIGN;
    if (rc == 0)
        rc = bti_lifecycle_next(out->before, e, &args, &out->after);
    if (rc == 0 && in->temporary)
        rc = check_stand_in(db, in, kind, start, regular);
    out->ended = in->temporary ? 0 : regular;
    return rc;
}

int bti_assign(struct bti_db *db, const struct bti_assign_in *in, long long *id,
               struct bti_assign_out *out)
{
    bti_date granted = BTI_NO_DATE;
    const char *kind = in->child ? "child" : "coordinator";
    bti_date start = in->start == BTI_NO_DATE ? db->ctx.today : in->start;
    memset(out, 0, sizeof *out);
    int rc = bti_case_state(db, in->case_id, &out->before);
    if (rc) /* before the lookup below, whose "not found" means none runs */
        return rc;
    rc = assign_step(db, in, kind, start, out);
    if (rc == 0)
        rc = check_coordinator(db, in, &out->other_unit);
    if (rc == 0)
        rc = check_assignment(db, in, kind, start, &granted);
    bti_date began = BTI_NO_DATE;
    if (rc == 0 && out->ended)
        rc = row_date(db, "assignment", out->ended, "start", &began);
    if (rc == 0 && out->ended) /* the change ends the running one: not before it began */
        rc = check_event_date(db, start, began, "--date");
    if (rc == 0 && out->ended)
        rc = end_assignment(db, out->ended, start, in->reason);
    if (rc == 0)
        rc = db_insert(db, "assignment", id,
                       "INSERT INTO assignment(case_id, coordinator_id, kind, granted_on, start,"
                       " user_preferred, user_wish, reported, temporary, until, reason)"
                       " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       "iitddbtdbdt", in->case_id, in->coordinator_id, kind, granted, start,
                       in->user_preferred, in->user_wish, in->confirmed, in->temporary, in->until,
                       in->temporary ? in->reason : NULL);
    return rc ? rc : case_set_state(db, in->case_id, out->before, out->after);
}

/* The running assignment to end: the stand-in with temporary, else the
 * regular one while no stand-in runs beside it. */
static int to_end(struct bti_db *db, const struct bti_end_in *in, const char *kind, long long *id)
{
    const char *who = in->child ? _("barnekoordinator") : _("coordinator");
    long long stand_in;
    int rc = running_as(db, in->case_id, kind, in->temporary, id);
    if (rc == BTI_ENOTFOUND)
        return bti_error_set(BTI_ERULE,
                             in->temporary ? _("case %lld has no running %s stand-in")
                                           : _("case %lld has no running %s"),
                             in->case_id, who);
    if (rc == 0 && !in->temporary && running_as(db, in->case_id, kind, 1, &stand_in) == 0) {
        bti_error_set(BTI_ERULE, _("a stand-in, assignment %lld, runs beside the %s of case %lld"),
                      stand_in, who, in->case_id);
        return bti_error_set_hint(_("end it first with 'bti coordinator end %lld%s --temporary"
                                    " --reason TEXT'"),
                                  in->case_id, in->child ? " --child" : "");
    }
    return rc;
}

int bti_assignment_end(struct bti_db *db, const struct bti_end_in *in, long long *id,
                       struct bti_assign_out *out)
{
    const char *kind = in->child ? "child" : "coordinator";
    struct bti_event_args args = {.reason = in->reason};
    bti_date start, when = in->date == BTI_NO_DATE ? db->ctx.today : in->date;
    long long others = 0;
    memset(out, 0, sizeof *out);
    int rc = bti_case_state(db, in->case_id, &out->before);
    if (rc == 0)
        rc = db_int(db, &others,
                    "SELECT count(*) FROM assignment WHERE case_id = ? AND end IS NULL"
                    " AND NOT (kind = ? AND temporary = ?)",
                    "itb", in->case_id, kind, in->temporary);
    if (rc == 0)
        rc = bti_lifecycle_next(out->before, others ? BTI_EV_END : BTI_EV_END_LAST, &args,
                                &out->after);
    if (rc == 0 && in->temporary && in->need_continues)
        rc = bti_error_set(BTI_EUSAGE, _("--need-continues is for a regular assignment, not a "
                                         "stand-in"));
    if (rc == 0)
        rc = bti_text_check(in->reason, BTI_TEXT_FREE, "--reason");
    if (rc == 0)
        rc = to_end(db, in, kind, id);
    if (rc == 0)
        rc = row_date(db, "assignment", *id, "start", &start);
    if (rc == 0)
        rc = check_event_date(db, when, start, "--date");
    if (rc == 0)
        rc = db_update(db, "assignment", *id, in->reason,
                       "UPDATE assignment SET end = ?, end_reason = ?, need_ended = ? WHERE id = ?",
                       "dtbi", when, in->reason, !in->temporary && !in->need_continues, *id);
    out->ended = *id;
    return rc ? rc : case_set_state(db, in->case_id, out->before, out->after);
}

/* The running assignment of case and kind, for confirm and register. */
static int running_of(struct bti_db *db, long long case_id, int child, long long *id)
{
    int rc = bti_case_state(db, case_id, NULL);
    if (rc) /* before the assignment's lookup, whose "not found" means none runs */
        return rc;
    rc = running(db, case_id, child ? "child" : "coordinator", id);
    if (rc == BTI_ENOTFOUND)
        return bti_error_set(BTI_ERULE, _("case %lld has no running %s"), case_id,
                             child ? "barnekoordinator" : "coordinator");
    return rc;
}

int bti_assignment_confirm(struct bti_db *db, long long case_id, int child, bti_date date,
                           long long *id)
{
    bti_date start, when = date == BTI_NO_DATE ? db->ctx.today : date;
    int rc = running_of(db, case_id, child, id);
    if (rc == 0)
        rc = row_date(db, "assignment", *id, "start", &start);
    if (rc == 0)
        rc = check_event_date(db, when, start, "--date");
    return rc ? rc
              : db_update(db, "assignment", *id, NULL,
                          "UPDATE assignment SET reported = ? WHERE id = ?", "di", when, *id);
}

int bti_assignment_register(struct bti_db *db, long long case_id, int child, bti_date date,
                            const char *own_system, long long *id)
{
    bti_date start;
    int rc = own_system ? bti_text_check(own_system, BTI_TEXT_LABEL, "--own-system") : 0;
    if (rc == 0)
        rc = running_of(db, case_id, child, id);
    if (rc == 0)
        rc = row_date(db, "assignment", *id, "start", &start);
    if (rc == 0 && !own_system)
        rc = check_event_date(db, date, start, "--date");
    return rc ? rc
              : db_update(db, "assignment", *id, NULL,
                          "UPDATE assignment SET ehr_registered = ?, own_system = ?,"
                          " own_system_name = ? WHERE id = ?",
                          "dbti", own_system ? BTI_NO_DATE : date, own_system != NULL, own_system,
                          *id);
}

cJSON *assignment_array(struct bti_db *db, long long case_id)
{
    static const char sql[] =
        "SELECT a.id, a.kind, a.coordinator_id, k.name, k.unit_id, u.name, a.start, a.end,"
        " a.end_reason, a.user_preferred, a.user_wish, a.reported, a.ehr_registered, a.own_system,"
        " a.own_system_name, a.temporary, a.until, a.reason, a.need_ended"
        " FROM assignment a JOIN coordinator k ON k.id = a.coordinator_id"
        " JOIN unit u ON u.id = k.unit_id WHERE a.case_id = ? ORDER BY a.id";
    static const struct bti_col cols[] = {
        {"id", BTI_T_INT},
        {"kind", BTI_T_TEXT},
        {"coordinator_id", BTI_T_INT},
        {"coordinator", BTI_T_TEXT},
        {"unit_id", BTI_T_INT},
        {"unit", BTI_T_TEXT},
        {"start", BTI_T_DATE},
        {"end", BTI_T_DATE},
        {"end_reason", BTI_T_TEXT},
        {"user_preferred", BTI_T_BOOL},
        {"user_wish", BTI_T_TEXT},
        {"reported", BTI_T_DATE},
        {"ehr_registered", BTI_T_DATE},
        {"own_system", BTI_T_BOOL},
        {"own_system_name", BTI_T_TEXT},
        {"temporary", BTI_T_BOOL},
        {"until", BTI_T_DATE},
        {"reason", BTI_T_TEXT},
        {"need_ended", BTI_T_BOOL},
    };
    return db_array(db, db_stmt(db, sql), cols, 19, "i", case_id);
}

/* The ids (at most four: a regular assignment and a stand-in per kind) of
 * the assignments of a case that a close ends (running) or a reopen
 * restores: those the close `closure` ended, or for a close made before
 * migration 9 recorded it, those ended on its date with its reason, the
 * last of their kind; and only where the coordinator has not retired
 * since: `due` then asks for a new one. */
static int closing_ids(struct bti_db *db, long long case_id, long long closure, bti_date date,
                       const char *reason, int restore, long long *ids, int *n)
{
    static const char sql[] =
        "SELECT a.id FROM assignment a JOIN coordinator k ON k.id = a.coordinator_id"
        " WHERE a.case_id = ?1 AND CASE WHEN ?4 THEN k.active AND (a.closure_id = ?5"
        "  OR (a.closure_id IS NULL AND a.end = ?2 AND a.end_reason = ?3"
        "   AND NOT EXISTS (SELECT 1 FROM assignment WHERE case_id = ?1 AND closure_id = ?5)"
        "   AND NOT EXISTS (SELECT 1 FROM plan WHERE case_id = ?1 AND closure_id = ?5)"
        "   AND a.id = (SELECT max(id) FROM assignment"
        "    WHERE case_id = a.case_id AND kind = a.kind)))"
        " ELSE a.end IS NULL END";
    sqlite3_stmt *st = db_stmt(db, sql);
    if (!st || db_bind(db, st, "idtbi", case_id, date, reason, restore, closure))
        return bti_error_code();
    for (*n = 0; *n < 4 && sqlite3_step(st) == SQLITE_ROW; (*n)++)
        ids[*n] = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return 0;
}

int assignments_close(struct bti_db *db, long long case_id, long long closure, bti_date date,
                      const char *reason, int restore)
{
    long long ids[4];
    int n = 0, rc = closing_ids(db, case_id, closure, date, reason, restore, ids, &n);
    for (int i = 0; rc == 0 && i < n; i++)
        rc = restore ? db_update(db, "assignment", ids[i], NULL,
                                 "UPDATE assignment SET end = NULL, end_reason = NULL,"
                                 " closure_id = NULL WHERE id = ?",
                                 "i", ids[i])
                     : db_update(db, "assignment", ids[i], NULL,
                                 "UPDATE assignment SET end = ?, end_reason = ?, closure_id = ?"
                                 " WHERE id = ?",
                                 "dtii", date, reason, closure, ids[i]);
    return rc;
}
