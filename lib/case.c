/* Referrals and cases. */
#include <stdio.h>
#include <string.h>
#include "bti/case.h"
#include "bti/text.h"
#include "store/store.h"
#include "case.h"
#include "base/items.h"
#include "base/list.h"
#include "checks.h"
#include "case_state.h"
#include "closing.h"
#include "base/intl.h"

/* Check a referral source. */
static int check_source(const char *s)
{
    if (s && (!strcmp(s, "bti") || !strcmp(s, "plo") || !strcmp(s, "application")))
        return 0;
    return bti_error_set(BTI_EINVAL, _("invalid value for --source: expected bti, plo or "
                                       "application"));
}

/* Validate the values of a referral that do not depend on the database. */
static int check_referral(struct bti_db *db, const struct bti_referral_in *in, unsigned *items)
{
    int given = (in->person_id > 0) + (in->person != NULL) + (in->case_id > 0);
    if (given != 1) /* whom the referral is for: one person, new or known, or one case */
        return bti_error_set(BTI_EINVAL, _("a referral is for exactly one of a known person, a new"
                                           " person and an open case"));
    int rc = check_source(in->source);
    if (rc == 0)
        rc = bti_items_parse(in->requests, items, "--requests");
    if (rc == 0 && in->referrer)
        rc = bti_text_check(in->referrer, BTI_TEXT_LABEL, "--referrer");
    if (rc == 0 && in->received != BTI_NO_DATE)
        rc = check_event_date(db, in->received, BTI_NO_DATE, "--date");
    return rc;
}

/* Refuse a request for an item the case already has: each item of a case is
 * requested and decided once (an appeal, not a new request, challenges a
 * decision). */
static int check_not_pending(struct bti_db *db, long long case_id, unsigned items)
{
    for (int i = 0; i < NITEMS; i++) {
        long long n;
        if (!(items & (1u << i)))
            continue;
        int rc = db_int(db, &n, "SELECT count(*) FROM request WHERE case_id = ? AND item = ?", "it",
                        case_id, item_names[i]);
        if (rc)
            return rc;
        if (n)
            return bti_error_set(BTI_ERULE, _("case %lld already has a request for '%s'"), case_id,
                                 item_names[i]);
    }
    return 0;
}

/* Insert the referral row and one request per item. */
static int insert_referral(struct bti_db *db, const struct bti_referral_in *in, unsigned items,
                           bti_date received, struct bti_referral_out *out)
{
    int rc = db_insert(db, "referral", &out->referral_id,
                       "INSERT INTO referral(case_id, source, referrer, received)"
                       " VALUES (?, ?, ?, ?)",
                       "ittd", out->case_id, in->source, in->referrer, received);
    if (rc)
        return rc;
    for (int i = 0; rc == 0 && i < NITEMS; i++) {
        if (!(items & (1u << i)))
            continue;
        rc = db_insert(db, "request", NULL,
                       "INSERT INTO request(case_id, referral_id, item) VALUES (?, ?, ?)", "iit",
                       out->case_id, out->referral_id, item_names[i]);
    }
    return rc;
}

/* The person's open case in *open (0 when none) and latest closed case in
 * *previous (0 when none). */
static int person_cases(struct bti_db *db, long long person_id, long long *open,
                        long long *previous)
{
    int rc = db_int(db, open, "SELECT id FROM ke_case WHERE person_id = ? AND status <> 'closed'",
                    "i", person_id);
    if (rc == BTI_ENOTFOUND)
        *open = 0, rc = 0;
    if (rc == 0)
        rc =
            db_int(db, previous, "SELECT max(id) FROM ke_case WHERE person_id = ?", "i", person_id);
    return rc;
}

/* Open a new case for the person, in the state the lifecycle gives a referral. */
static int open_case(struct bti_db *db, struct bti_referral_out *out)
{
    long long open, previous;
    struct bti_event_args args = {0};
    int rc = person_cases(db, out->person_id, &open, &previous);
    if (rc == 0 && open) {
        bti_error_set(BTI_ERULE, _("person %lld already has an open case, %lld"), out->person_id,
                      open);
        return bti_error_set_hint(_("add the referral to it with --case %lld"), open);
    }
    if (rc == 0)
        rc = bti_lifecycle_next(BTI_ST_NONE, BTI_EV_REFERRAL, &args, &out->after);
    if (rc == 0)
        rc = db_insert(db, "ke_case", &out->case_id,
                       "INSERT INTO ke_case(person_id, status, previous_case_id)"
                       " VALUES (?, ?, ?)",
                       "itI", out->person_id, bti_state_name(out->after), previous);
    return rc;
}

/* Check that requests may be added to an open case (a denied one is
 * received again: an item is undecided). */
static int add_to_case(struct bti_db *db, unsigned items, struct bti_referral_out *out)
{
    static const struct bti_event_args none = {0};
    int rc = bti_case_state(db, out->case_id, &out->before);
    if (rc == 0 && bti_lifecycle_next(out->before, BTI_EV_REQUEST, &none, &out->after) != 0)
        return bti_error_set_hint(_("a referral for a closed case opens a new one with --person"
                                    " (close a case that is done first)"));
    if (rc == 0)
        rc = check_not_pending(db, out->case_id, items);
    if (rc == 0)
        rc = db_int(db, &out->person_id, "SELECT person_id FROM ke_case WHERE id = ?", "i",
                    out->case_id);
    return rc;
}

int bti_referral_add(struct bti_db *db, const struct bti_referral_in *in,
                     struct bti_referral_out *out)
{
    unsigned items;
    memset(out, 0, sizeof *out);
    bti_date received = in->received == BTI_NO_DATE ? db->ctx.today : in->received;
    int rc = check_referral(db, in, &items);
    if (rc)
        return rc;
    out->case_id = in->case_id;
    out->person_id = in->person_id;
    if (in->case_id)
        rc = add_to_case(db, items, out);
    else if (in->person)
        rc = bti_person_add(db, in->person, &out->person_id);
    else
        rc = bti_person_exists(db, in->person_id);
    if (rc == 0 && !in->case_id)
        rc = open_case(db, out);
    if (rc == 0)
        rc = insert_referral(db, in, items, received, out);
    return rc || !in->case_id ? rc : case_set_state(db, out->case_id, out->before, out->after);
}

static const struct bti_col referral_cols[] = {
    {"id", BTI_T_INT},        {"case_id", BTI_T_INT},   {"source", BTI_T_TEXT},
    {"referrer", BTI_T_TEXT}, {"received", BTI_T_DATE}, {"requests", BTI_T_LIST},
};
const struct bti_cols bti_referral_cols = BTI_COLS(referral_cols);

/* The columns of a referral, with its request items joined. */
#define REFERRAL_SELECT                                                                            \
    "SELECT r.id, r.case_id, r.source, r.referrer, r.received,"                                    \
    " (SELECT group_concat(item, ',') FROM (SELECT item FROM request q"                            \
    "   WHERE q.referral_id = r.id ORDER BY q.id)) FROM referral r"

cJSON *referral_array(struct bti_db *db, long long case_id)
{
    static const char sql[] = REFERRAL_SELECT " WHERE r.case_id = ? ORDER BY r.id";
    return db_array(db, db_stmt(db, sql), referral_cols, bti_referral_cols.n, "i", case_id);
}

int bti_referral_list(struct bti_db *db, long long case_id, bti_row_fn fn, void *arg)
{
    static const char sql[] = REFERRAL_SELECT " WHERE ?1 = 0 OR r.case_id = ?1 ORDER BY r.id";
    sqlite3_stmt *st = db_stmt(db, sql);
    if (!st || db_bind(db, st, "i", case_id))
        return bti_error_code();
    return db_rows(db, st, referral_cols, bti_referral_cols.n, fn, arg, NULL);
}

int bti_referral_show(struct bti_db *db, long long id, cJSON **out)
{
    static const char sql[] = REFERRAL_SELECT " WHERE r.id = ?";
    *out = db_object(db, db_stmt(db, sql), referral_cols, bti_referral_cols.n, "i", id);
    if (*out)
        return 0;
    return bti_error_code() ? bti_error_code()
                            : bti_error_set(BTI_ENOTFOUND, _("no referral %lld"), id);
}

static const struct bti_col case_cols[] = {
    {"id", BTI_T_INT},        {"person_id", BTI_T_INT},    {"person", BTI_T_TEXT},
    {"status", BTI_T_TEXT},   {"source", BTI_T_TEXT},      {"received", BTI_T_DATE},
    {"requests", BTI_T_LIST}, {"unit_id", BTI_T_INT},      {"unit", BTI_T_TEXT},
    {"closed", BTI_T_DATE},   {"close_cause", BTI_T_TEXT}, {"previous_case_id", BTI_T_INT},
};
const struct bti_cols bti_case_cols = BTI_COLS(case_cols);

/* The states of the set as a JSON array of names in buf, or NULL for the
 * empty set (any state). */
static const char *state_set_json(unsigned set, char *buf, size_t size)
{
    size_t len = 0;
    if (!set)
        return NULL;
    buf[0] = '\0';
    for (int s = BTI_ST_RECEIVED; s < BTI_ST_COUNT; s++)
        if (set & (1u << s))
            len += (size_t)snprintf(buf + len, size - len, "%s\"%s\"", len ? "," : "[",
                                    bti_state_name((enum bti_state)s));
    snprintf(buf + len, size - len, "]");
    return buf;
}

int bti_case_list(struct bti_db *db, const struct bti_case_filter *f, bti_row_fn fn, void *arg)
{
    static const char sql[] =
        CASE_SELECT " WHERE (?2 IS NULL OR c.status IN (SELECT value FROM json_each(?2)))"
                    " AND (NOT ?3 OR c.status <> 'closed')"
                    " AND (?4 = 0 OR c.unit_id = ?4) AND (?5 IS NULL OR bti_contains(p.name, ?5))"
                    " AND (?7 = 0 OR EXISTS (SELECT 1 FROM assignment a WHERE a.case_id = c.id"
                    "  AND a.coordinator_id = ?7 AND a.end IS NULL))"
                    " AND bti_case_allowed(c.id) ORDER BY c.id LIMIT ?6";
    char statuses[160];
    int names = db->names || db->ctx.identify;
    sqlite3_stmt *st = db_stmt(db, sql);
    if (!st || db_bind(db, st, "btbitii", names,
                       state_set_json(f->statuses, statuses, sizeof statuses), f->open, f->unit_id,
                       f->name, f->limit > 0 ? f->limit : -1, f->coordinator_id))
        return bti_error_code();
    if (names || f->name) /* names shown, or cases found by a name */
        return db_rows_logged(db, st, &bti_case_cols, fn, arg, "ke_case");
    return db_rows(db, st, case_cols, bti_case_cols.n, fn, arg, NULL);
}

int bti_case_edit(struct bti_db *db, long long id, const struct bti_case_edit *e,
                  const char *reason)
{
    long long first;
    int rc = bti_text_check(reason, BTI_TEXT_FREE, "--reason");
    if (rc == 0 && e->referrer)
        rc = bti_text_check(e->referrer, BTI_TEXT_LABEL, "--referrer");
    if (rc == 0 && e->received != BTI_NO_DATE)
        rc = check_event_date(db, e->received, BTI_NO_DATE, "--date");
    if (rc == 0)
        rc = bti_case_state(db, id, NULL);
    if (rc == 0)
        rc = db_int(db, &first, "SELECT min(id) FROM referral WHERE case_id = ?", "i", id);
    if (rc)
        return rc;
    return db_update(db, "referral", first, reason,
                     "UPDATE referral SET referrer = coalesce(?, referrer),"
                     " received = coalesce(?, received) WHERE id = ?",
                     "tdi", e->referrer, e->received, first);
}

/* The latest start of what a close would end: the running assignments and
 * the running plan (BTI_NO_DATE when none runs). */
static int latest_running_start(struct bti_db *db, long long case_id, bti_date *out)
{
    static const char sql[] = "SELECT max(d) FROM (SELECT start AS d FROM assignment"
                              " WHERE case_id = ?1 AND end IS NULL UNION ALL SELECT started"
                              " FROM plan WHERE case_id = ?1 AND ended IS NULL)";
    sqlite3_stmt *st = db_stmt(db, sql);
    if (!st || db_bind(db, st, "i", case_id))
        return bti_error_code();
    int rc = sqlite3_step(st);
    *out = rc == SQLITE_ROW ? date_col(st, 0) : BTI_NO_DATE;
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? 0 : db_fail(db, rc, _("cannot read the case"));
}

int bti_case_close(struct bti_db *db, long long id, const char *cause, bti_date date,
                   enum bti_state *before)
{
    static const char *const causes[] = {"need-ended", "declined", "denied", "moved",
                                         "deceased",   "other",    NULL};
    struct bti_event_args args = {.cause = cause};
    enum bti_state after;
    bti_date received, when = date == BTI_NO_DATE ? db->ctx.today : date;
    int rc = bti_case_state(db, id, before);
    if (rc == 0)
        rc = bti_lifecycle_next(*before, BTI_EV_CLOSE, &args, &after);
    if (rc == 0)
        rc = check_word(cause, causes, "--cause");
    if (rc == 0)
        rc = case_received(db, id, &received);
    if (rc == 0)
        rc = check_event_date(db, when, received, "--date");
    bti_date running = BTI_NO_DATE;
    if (rc == 0)
        rc = latest_running_start(db, id, &running);
    if (rc == 0) /* an end never lies before what it ends began */
        rc = check_event_date(db, when, running, "--date");
    return rc ? rc : case_close_row(db, id, cause, when, *before);
}

/* Refuse reopening when the person has opened another case since. */
static int check_no_other_open(struct bti_db *db, long long id)
{
    static const char sql[] = "SELECT o.id FROM ke_case c JOIN ke_case o"
                              " ON o.person_id = c.person_id AND o.id <> c.id"
                              " WHERE c.id = ? AND o.status <> 'closed'";
    long long other;
    int rc = db_int(db, &other, sql, "i", id);
    if (rc == BTI_ENOTFOUND)
        return 0;
    return rc ? rc
              : bti_error_set(BTI_ERULE, _("the person of case %lld has an open case, %lld"), id,
                              other);
}

int bti_case_reopen(struct bti_db *db, long long id, const char *reason, enum bti_state *after)
{
    static const char sql[] = "SELECT max(id) FROM closure WHERE case_id = ? AND reopened IS NULL";
    struct bti_event_args args = {.reason = reason};
    enum bti_state before;
    long long closure = 0;
    bti_date closed = BTI_NO_DATE;
    int rc = bti_case_state(db, id, &before);
    if (rc == 0 && reason)
        rc = bti_text_check(reason, BTI_TEXT_FREE, "--reason");
    if (rc == 0 && before == BTI_ST_CLOSED)
        rc = db_int(db, &closure, sql, "i", id);
    if (rc == 0 && closure) {
        char status[16] = "";
        rc = db_row_text(db, "closure", closure, "status_before", status, sizeof status);
        args.previous = bti_state_parse(status);
        if (rc == 0)
            rc = row_date(db, "closure", closure, "closed", &closed);
    }
    if (rc == 0)
        rc = bti_lifecycle_next(before, BTI_EV_REOPEN, &args, after);
    if (rc == 0 && db->ctx.today > bti_date_add_months(closed, 12))
        return bti_error_set(BTI_ERULE, _("case %lld was closed more than a year ago"), id);
    if (rc == 0)
        rc = check_no_other_open(db, id);
    if (rc == 0)
        rc = db_update(db, "closure", closure, reason,
                       "UPDATE closure SET reopened = ?, reopen_reason = ? WHERE id = ?", "dti",
                       db->ctx.today, reason, closure);
    if (rc == 0)
        rc = case_close_undo(db, id, closure, closed);
    return rc ? rc
              : db_update(db, "ke_case", id, reason,
                          "UPDATE ke_case SET status = ?, closed = NULL, close_cause = NULL"
                          " WHERE id = ?",
                          "ti", bti_state_name(*after), id);
}

int bti_case_unit(struct bti_db *db, long long id, long long unit_id, const char *reason)
{
    long long from;
    int rc = case_allows(db, id, BTI_EV_UNIT);
    if (rc == 0)
        rc = bti_text_check(reason, BTI_TEXT_FREE, "--reason");
    if (rc == 0)
        rc = db_int(db, &from, "SELECT coalesce(unit_id, 0) FROM ke_case WHERE id = ?", "i", id);
    if (rc == 0 && from == unit_id)
        return bti_error_set(BTI_ERULE, _("unit %lld is already responsible for case %lld"),
                             unit_id, id);
    if (rc == 0)
        rc = db_insert(db, "unit_change", NULL,
                       "INSERT INTO unit_change(case_id, changed, from_unit_id, unit_id, reason)"
                       " VALUES (?, ?, ?, ?, ?)",
                       "idIit", id, db->ctx.today, from, unit_id, reason);
    return rc ? rc
              : db_update(db, "ke_case", id, reason, "UPDATE ke_case SET unit_id = ? WHERE id = ?",
                          "ii", unit_id, id);
}

static const struct bti_col log_cols[] = {
    {"id", BTI_T_INT},        {"at", BTI_T_TIME},      {"login", BTI_T_TEXT},
    {"actor", BTI_T_TEXT},    {"command", BTI_T_TEXT}, {"entity", BTI_T_TEXT},
    {"entity_id", BTI_T_INT}, {"old", BTI_T_OBJECT},   {"new", BTI_T_OBJECT},
    {"reason", BTI_T_TEXT},
};
const struct bti_cols bti_case_log_cols = BTI_COLS(log_cols);

/* The audit's columns as the log reads them: the change JSON last. */
static const struct bti_col audit_cols[] = {
    {"id", BTI_T_INT},        {"at", BTI_T_TIME},      {"login", BTI_T_TEXT},
    {"actor", BTI_T_TEXT},    {"command", BTI_T_TEXT}, {"entity", BTI_T_TEXT},
    {"entity_id", BTI_T_INT}, {"change", BTI_T_TEXT},
};

/* What a case log hands each row to, and the caller's row function. */
struct log_rows {
    bti_row_fn fn;
    void *arg;
    long long rows; /* rows handed on */
};

/* Drop the members that old and new share, so that an update shows only
 * what changed. */
static void keep_changes(cJSON *old, cJSON *new)
{
    cJSON *n = new->child;
    while (n) {
        cJSON *next = n->next;
        cJSON *o = cJSON_GetObjectItemCaseSensitive(old, n->string);
        if (o && cJSON_Compare(o, n, 1)) {
            cJSON_DeleteItemFromObjectCaseSensitive(old, n->string);
            cJSON_DeleteItemFromObjectCaseSensitive(new, n->string);
        }
        n = next;
    }
}

/* The text of the object member key of change (NULL when it is no object,
 * or out of memory: free). */
static char *member_text(const cJSON *change, const char *key)
{
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(change, key);
    return cJSON_IsObject(m) ? cJSON_PrintUnformatted(m) : NULL;
}

/* Hand one audit row on with its change split into old and new values (an
 * update: only the members that changed) and its reason.  An erased row's
 * change is gone: all three are null. */
static int log_row(const struct bti_row *row, void *arg)
{
    struct log_rows *l = arg;
    struct bti_value vals[10];
    memcpy(vals, row->vals, 7 * sizeof vals[0]);
    cJSON *change = row->vals[7].null ? NULL : cJSON_Parse(row->vals[7].s);
    cJSON *old = cJSON_GetObjectItemCaseSensitive(change, "old");
    cJSON *new = cJSON_GetObjectItemCaseSensitive(change, "new");
    cJSON *reason = cJSON_GetObjectItemCaseSensitive(change, "reason");
    if (cJSON_IsObject(old) && cJSON_IsObject(new))
        keep_changes(old, new);
    char *texts[2] = {member_text(change, "old"), member_text(change, "new")};
    for (int i = 0; i < 2; i++)
        vals[7 + i] = (struct bti_value){.null = !texts[i], .s = texts[i]};
    vals[9] = (struct bti_value){.null = !cJSON_IsString(reason),
                                 .s = cJSON_IsString(reason) ? reason->valuestring : NULL};
    struct bti_row out = {log_cols, 10, vals};
    int rc = l->fn(&out, l->arg);
    l->rows++;
    cJSON_free(texts[0]);
    cJSON_free(texts[1]);
    cJSON_Delete(change);
    return rc;
}

/* One arm of the case log: the audit rows of `entity` whose rows belong to
 * the case by the subquery that follows. */
#define LOG_ARM(entity, ids)                                                                       \
    " UNION ALL SELECT id, at, login, actor, command, entity, entity_id, change FROM audit"        \
    " WHERE entity = '" entity "' AND entity_id IN (" ids ")"

/* The ids of a plan part's rows for the case ?1. */
#define PLAN_PART(table)                                                                           \
    "SELECT t.id FROM " table " t JOIN plan p ON p.id = t.plan_id WHERE p.case_id = ?1"

int bti_case_log(struct bti_db *db, long long id, bti_row_fn fn, void *arg)
{
    /* clang-format off */
    static const char sql[] =
        "SELECT id, at, login, actor, command, entity, entity_id, change FROM audit"
        " WHERE entity = 'ke_case' AND entity_id = ?1"
        LOG_ARM("referral", "SELECT id FROM referral WHERE case_id = ?1")
        LOG_ARM("request", "SELECT id FROM request WHERE case_id = ?1")
        LOG_ARM("consent", "SELECT id FROM consent WHERE case_id = ?1")
        LOG_ARM("review", "SELECT id FROM review WHERE case_id = ?1")
        LOG_ARM("decision", "SELECT id FROM decision WHERE case_id = ?1")
        LOG_ARM("decision_item", "SELECT i.id FROM decision_item i JOIN decision d"
                                 " ON d.id = i.decision_id WHERE d.case_id = ?1")
        LOG_ARM("appeal", "SELECT a.id FROM appeal a JOIN decision d ON d.id = a.decision_id"
                          " WHERE d.case_id = ?1")
        LOG_ARM("preliminary_reply", "SELECT id FROM preliminary_reply WHERE case_id = ?1")
        LOG_ARM("closure", "SELECT id FROM closure WHERE case_id = ?1")
        LOG_ARM("unit_change", "SELECT id FROM unit_change WHERE case_id = ?1")
        LOG_ARM("assignment", "SELECT id FROM assignment WHERE case_id = ?1")
        LOG_ARM("plan", "SELECT id FROM plan WHERE case_id = ?1")
        LOG_ARM("goal", PLAN_PART("goal"))
        LOG_ARM("measure", PLAN_PART("measure"))
        LOG_ARM("contribution", PLAN_PART("contribution"))
        LOG_ARM("cooperation", PLAN_PART("cooperation"))
        LOG_ARM("evaluation", PLAN_PART("evaluation"))
        LOG_ARM("group_member", "SELECT id FROM group_member WHERE case_id = ?1")
        LOG_ARM("group_meeting", "SELECT id FROM group_meeting WHERE case_id = ?1")
        " ORDER BY 1";
    /* clang-format on */
    struct log_rows l = {fn, arg, 0};
    char what[32];
    int rc = bti_case_state(db, id, NULL);
    sqlite3_stmt *st = rc ? NULL : db_stmt(db, sql);
    if (rc == 0 && (!st || db_bind(db, st, "i", id)))
        rc = bti_error_code();
    if (rc == 0)
        rc = db_rows(db, st, audit_cols, 8, log_row, &l, NULL);
    /* the values are the case's data: a read of it, even when the listing
     * stopped early */
    snprintf(what, sizeof what, "%lld", id);
    int logged = rc == 0 || l.rows > 0 ? access_log(db, "ke_case", what, 1) : 0;
    return rc ? rc : logged;
}
