/* The individual plan: its items, adoption, evaluation, pausing and end. */
#include <stdio.h>
#include <string.h>
#include "bti/case.h"
#include "bti/plan.h"
#include "bti/text.h"
#include "store/store.h"
#include "base/intl.h"
#include "base/list.h"
#include "base/plan_state.h"
#include "checks.h"
#include "case_state.h"
#include "item_status.h"
#include "plan.h"

#define EVALUATION_MONTHS 6

/* The plan of a case (its latest); BTI_ERULE when it has none (or only
 * ended ones and `open` is set). */
static int plan_of(struct bti_db *db, long long case_id, int open, long long *id)
{
    int rc = bti_case_state(db, case_id, NULL);
    if (rc) /* before the plan's lookup, whose "not found" means no plan */
        return rc;
    rc = db_int(db, id,
                "SELECT id FROM plan WHERE case_id = ? AND (NOT ? OR status <> 'ended')"
                " ORDER BY id DESC LIMIT 1",
                "ib", case_id, open);
    if (rc == BTI_ENOTFOUND) {
        bti_error_set(BTI_ERULE,
                      open ? _("case %lld has no open plan") : _("case %lld has no plan"), case_id);
        return bti_error_set_hint(_("start one with 'bti plan start CASE'"));
    }
    return rc;
}

/* Where event e leads plan, as the plan table (lib/base/plan_state.c) has
 * it: *to, or BTI_ERULE without a message when its state allows no such
 * move. */
static int plan_move(struct bti_db *db, long long plan, enum plan_event e, enum plan_state *to)
{
    char status[16], paused_from[16];
    int rc = db_row_text(db, "plan", plan, "status", status, sizeof status);
    if (rc == 0)
        rc = db_row_text(db, "plan", plan, "paused_from", paused_from, sizeof paused_from);
    return rc ? rc
              : plan_state_next(plan_state_parse(status), e, plan_state_parse(paused_from), to);
}

/* *yes: whether the case has active plan consent (for any party) on date. */
static int has_plan_consent(struct bti_db *db, long long case_id, bti_date date, int *yes)
{
    long long n = 0;
    int rc = db_int(db, &n,
                    "SELECT count(*) FROM consent WHERE case_id = ? AND scope = 'plan'"
                    " AND given <= ?2 AND (withdrawn IS NULL OR withdrawn > ?2)",
                    "id", case_id, date);
    *yes = n > 0;
    return rc;
}

int bti_plan_start(struct bti_db *db, long long case_id, const char *ref, bti_date date,
                   long long *id)
{
    bti_date received, when = date == BTI_NO_DATE ? db->ctx.today : date;
    long long existing;
    char ip[16] = "";
    int rc = case_allows(db, case_id, BTI_EV_PLAN_START);
    if (rc == 0 &&
        db_int(db, &existing, "SELECT id FROM plan WHERE case_id = ? AND status <> 'ended'", "i",
               case_id) == 0)
        return bti_error_set(BTI_ERULE, _("case %lld has a plan already, %lld"), case_id, existing);
    if (rc == 0)
        rc = item_status(db, case_id, "ip", ip, sizeof ip);
    if (rc == 0 && strcmp(ip, "ended") == 0) {
        bti_error_set(BTI_ERULE, _("the 'ip' item of case %lld has ended"), case_id);
        return bti_error_set_hint(_("a new referral for the case asks for a new plan"));
    }
    if (rc == 0 && strcmp(ip, "granted") != 0) {
        bti_error_set(BTI_ERULE, _("case %lld has no granted 'ip' item"), case_id);
        return bti_error_set_hint(_("a plan follows a grant that covers 'ip': "
                                    "'bti ke decide CASE --grant --covers ip ...'"));
    }
    if (rc == 0 && ref)
        rc = bti_text_check(ref, BTI_TEXT_LABEL, "--ref");
    if (rc == 0)
        rc = case_received(db, case_id, &received);
    if (rc == 0)
        rc = check_event_date(db, when, received, "--date");
    int consent = 0;
    if (rc == 0)
        rc = has_plan_consent(db, case_id, when, &consent);
    if (rc == 0 && !consent) {
        bti_error_set(BTI_ERULE, _("case %lld has no active 'plan' consent"), case_id);
        return bti_error_set_hint(_("record it with 'bti consent give CASE --scope plan ...'"));
    }
    if (rc == 0)
        rc = db_insert(db, "plan", id,
                       "INSERT INTO plan(case_id, status, ref, started)"
                       " VALUES (?, 'in_progress', ?, ?)",
                       "itd", case_id, ref, when);
    return rc;
}

int bti_plan_goal(struct bti_db *db, long long case_id, const char *kind, const char *text,
                  long long *id)
{
    static const char *const kinds[] = {"goal", "resource", "need", NULL};
    long long plan;
    int rc = check_word(kind, kinds, "--kind");
    if (rc == 0)
        rc = bti_text_check(text, BTI_TEXT_FREE, "TEXT");
    if (rc == 0)
        rc = plan_of(db, case_id, 1, &plan);
    return rc ? rc
              : db_insert(db, "goal", id, "INSERT INTO goal(plan_id, kind, text) VALUES (?, ?, ?)",
                          "itt", plan, kind, text);
}

int bti_plan_contribution(struct bti_db *db, long long case_id, const char *by, const char *text,
                          long long *id)
{
    static const char *const givers[] = {"user", "relative", "provider", NULL};
    long long plan;
    int rc = check_word(by, givers, "--by");
    if (rc == 0)
        rc = bti_text_check(text, BTI_TEXT_FREE, "TEXT");
    if (rc == 0)
        rc = plan_of(db, case_id, 1, &plan);
    return rc ? rc
              : db_insert(db, "contribution", id,
                          "INSERT INTO contribution(plan_id, by, text) VALUES (?, ?, ?)", "itt",
                          plan, by, text);
}

int bti_plan_cooperation(struct bti_db *db, long long case_id, const char *with, const char *what,
                         long long *id)
{
    long long plan;
    int rc = bti_text_check(with, BTI_TEXT_LABEL, "--with");
    if (rc == 0 && what)
        rc = bti_text_check(what, BTI_TEXT_FREE, "--what");
    if (rc == 0)
        rc = plan_of(db, case_id, 1, &plan);
    return rc ? rc
              : db_insert(db, "cooperation", id,
                          "INSERT INTO cooperation(plan_id, with_org, what) VALUES (?, ?, ?)",
                          "itt", plan, with, what);
}

/* Check the texts a measure holds (those given). */
static int check_measure(const struct bti_measure_in *in)
{
    int rc = in->what ? bti_text_check(in->what, BTI_TEXT_FREE, "--what") : 0;
    if (rc == 0 && in->responsible)
        rc = bti_text_check(in->responsible, BTI_TEXT_LABEL, "--responsible");
    if (rc == 0 && in->scope)
        rc = bti_text_check(in->scope, BTI_TEXT_FREE, "--scope");
    if (rc == 0 && in->how)
        rc = bti_text_check(in->how, BTI_TEXT_FREE, "--how");
    return rc;
}

int bti_plan_measure(struct bti_db *db, long long case_id, const struct bti_measure_in *in,
                     long long *id)
{
    long long plan;
    int rc =
        in->what && in->responsible
            ? check_measure(in)
            : bti_error_set(BTI_EINVAL, _("a measure needs what is done and who is responsible"));
    if (rc == 0)
        rc = plan_of(db, case_id, 1, &plan);
    if (rc == 0)
        rc = db_insert(db, "measure", id,
                       "INSERT INTO measure(plan_id, what, scope, how, responsible, unit_id)"
                       " VALUES (?, ?, ?, ?, ?, ?)",
                       "ittttI", plan, in->what, in->scope, in->how, in->responsible, in->unit_id);
    return rc;
}

/* The nine items of an individual plan (the table of law's "ip-items"),
 * each as a count query that is non-zero when the item is there; ?1 is the
 * plan, ?2 its case, ?3 the period end to adopt with, ?4 today.  Item 8 is
 * the user's consent to the plan; a consent to share information is
 * counted where given (plan show lists both). */
static const struct {
    const char *missing;
    const char *sql;
} nine_items[] = {
    {N_("the user's goals"), "SELECT count(*) FROM goal WHERE plan_id = ?1 AND kind = 'goal'"},
    {N_("the user's resources"),
     "SELECT count(*) FROM goal WHERE plan_id = ?1 AND kind = 'resource'"},
    {N_("the user's needs"), "SELECT count(*) FROM goal WHERE plan_id = ?1 AND kind = 'need'"},
    {N_("who takes part (group members)"),
     "SELECT count(*) FROM group_member WHERE case_id = ?2 AND to_date IS NULL"},
    {N_("who coordinates"), "SELECT count(*) FROM assignment WHERE case_id = ?2 AND end IS NULL"},
    {N_("the user's contribution"),
     "SELECT count(*) FROM contribution WHERE plan_id = ?1 AND by = 'user'"},
    {N_("the providers' contributions"),
     "SELECT count(*) FROM contribution WHERE plan_id = ?1 AND by = 'provider'"},
    {N_("measures"), "SELECT count(*) FROM measure WHERE plan_id = ?1"},
    {N_("each measure's scope"),
     "SELECT count(*) = 0 FROM measure WHERE plan_id = ?1 AND scope IS NULL"},
    {N_("how each measure is carried out"),
     "SELECT count(*) = 0 FROM measure WHERE plan_id = ?1 AND how IS NULL"},
    {N_("the plan period"),
     "SELECT count(*) FROM plan WHERE id = ?1 AND coalesce(?3, period_end) IS NOT NULL"},
    {N_("the user's consent"),
     "SELECT count(*) FROM consent WHERE case_id = ?2 AND scope = 'plan' AND given <= ?4"
     " AND (withdrawn IS NULL OR withdrawn > ?4)"},
    {N_("cooperation with other providers"), "SELECT count(*) FROM cooperation WHERE plan_id = ?1"},
};

/* What the plan still lacks, as an array of strings (empty when complete). */
static cJSON *missing_items(struct bti_db *db, long long plan, long long case_id,
                            bti_date period_end)
{
    cJSON *missing = cJSON_CreateArray();
    for (size_t i = 0; missing && i < sizeof nine_items / sizeof nine_items[0]; i++) {
        long long n = 0;
        if (db_int(db, &n, nine_items[i].sql, "iidd", plan, case_id, period_end, db->ctx.today) !=
            0) {
            cJSON_Delete(missing);
            return NULL;
        }
        if (!n)
            cJSON_AddItemToArray(missing, cJSON_CreateString(nine_items[i].missing));
    }
    return missing;
}

/* BTI_ERULE listing what the plan lacks, or 0 when all nine items are there. */
static int check_complete(struct bti_db *db, long long plan, long long case_id, bti_date period_end)
{
    cJSON *missing = missing_items(db, plan, case_id, period_end), *m;
    char list[512] = "";
    if (!missing)
        return bti_error_code() ? bti_error_code() : BTI_EDB;
    cJSON_ArrayForEach(m, missing)
    {
        size_t len = strlen(list);
        snprintf(list + len, sizeof list - len, "%s%s", len ? ", " : "", _(m->valuestring));
    }
    int n = cJSON_GetArraySize(missing);
    cJSON_Delete(missing);
    if (!n)
        return 0;
    bti_error_set(BTI_ERULE, _("the plan of case %lld lacks %s"), case_id, list);
    return bti_error_set_hint(_("'bti plan show %lld' lists what is there"), case_id);
}

/* A plan date that is planned rather than happened: not before `from`. */
static int check_planned(bti_date d, bti_date from, const char *what)
{
    char a[BTI_DATE_BUF], b[BTI_DATE_BUF];
    if (d != BTI_NO_DATE && d < from)
        return bti_error_set(BTI_EINVAL, _("%s %s lies before %s"), what, bti_date_format(d, a),
                             bti_date_format(from, b));
    return 0;
}

int bti_plan_adopt(struct bti_db *db, long long case_id, bti_date date, bti_date period_end,
                   bti_date next_in, bti_date *next)
{
    bti_date started, when = date == BTI_NO_DATE ? db->ctx.today : date;
    long long plan;
    enum plan_state after;
    int rc = plan_of(db, case_id, 1, &plan);
    if (rc == 0)
        rc = plan_move(db, plan, PLAN_EV_ADOPT, &after);
    if (rc == BTI_ERULE)
        return bti_error_set(BTI_ERULE, _("the plan of case %lld is not in progress"), case_id);
    if (rc == 0)
        rc = row_date(db, "plan", plan, "started", &started);
    if (rc == 0)
        rc = check_event_date(db, when, started, "--date");
    if (rc == 0)
        rc = check_planned(period_end, when, "--period-end");
    if (rc == 0)
        rc = check_planned(next_in, when, "--next");
    if (rc == 0)
        rc = check_complete(db, plan, case_id, period_end);
    *next = next_in != BTI_NO_DATE ? next_in : bti_date_add_months(when, EVALUATION_MONTHS);
    return rc ? rc
              : db_update(db, "plan", plan, NULL,
                          "UPDATE plan SET status = ?5, adopted = ?1,"
                          " period_end = coalesce(?2, period_end), first_evaluation = ?3,"
                          " next_evaluation = ?3 WHERE id = ?4",
                          "dddit", when, period_end, *next, plan, plan_state_name(after));
}

int bti_plan_evaluate(struct bti_db *db, long long case_id, bti_date date, bti_date next_in,
                      const char *note, const char *process, bti_date *next)
{
    static const char last[] = "SELECT coalesce(max(e.evaluated), p.adopted) FROM plan p"
                               " LEFT JOIN evaluation e ON e.plan_id = p.id WHERE p.id = ?";
    bti_date since, when = date == BTI_NO_DATE ? db->ctx.today : date;
    long long plan;
    enum plan_state after;
    int rc = plan_of(db, case_id, 1, &plan);
    if (rc == 0)
        rc = plan_move(db, plan, PLAN_EV_EVALUATE, &after);
    if (rc == BTI_ERULE)
        return bti_error_set(BTI_ERULE, _("the plan of case %lld is not active"), case_id);
    sqlite3_stmt *st = rc ? NULL : db_stmt(db, last);
    if (rc == 0 && (!st || db_bind(db, st, "i", plan)))
        rc = bti_error_code();
    since = rc == 0 && sqlite3_step(st) == SQLITE_ROW ? date_col(st, 0) : BTI_NO_DATE;
    if (st)
        sqlite3_reset(st);
    if (rc == 0 && note)
        rc = bti_text_check(note, BTI_TEXT_FREE, "--note");
    if (rc == 0 && process)
        rc = bti_text_check(process, BTI_TEXT_FREE, "--process");
    if (rc == 0)
        rc = check_event_date(db, when, since, "--date");
    if (rc == 0)
        rc = check_planned(next_in, when, "--next");
    *next = next_in != BTI_NO_DATE ? next_in : bti_date_add_months(when, EVALUATION_MONTHS);
    if (rc == 0)
        rc = db_insert(db, "evaluation", NULL,
                       "INSERT INTO evaluation(plan_id, evaluated, goals_note, process_note,"
                       " next_evaluation) VALUES (?, ?, ?, ?, ?)",
                       "idttd", plan, when, note, process, *next);
    return rc ? rc
              : db_update(db, "plan", plan, NULL,
                          "UPDATE plan SET next_evaluation = ? WHERE id = ?", "di", *next, plan);
}

/* How a plan ends: a plan end (its reason kept as the audit row's, and
 * whether the IP's need ended) or the case close `closure`. */
struct plan_ending {
    const char *edit_reason;
    int need_ended;
    long long closure;
};

/* End plan on date for reason as `how` says. */
static int end_plan(struct bti_db *db, long long plan, bti_date date, const char *reason,
                    const struct plan_ending *how)
{
    enum plan_state after;
    int rc = plan_move(db, plan, PLAN_EV_END, &after);
    if (rc == BTI_ERULE) /* its open plan is never ended already */
        rc = bti_error_set(BTI_EDB, _("internal error: plan %lld cannot end"), plan);
    return rc ? rc
              : db_update(db, "plan", plan, how->edit_reason,
                          "UPDATE plan SET status = ?, paused_from = NULL, ended = ?,"
                          " end_reason = ?, need_ended = ?, closure_id = ? WHERE id = ?",
                          "tdtbIi", plan_state_name(after), date, reason, how->need_ended,
                          how->closure, plan);
}

int bti_plan_end(struct bti_db *db, long long case_id, const char *reason, int need_ended,
                 bti_date date)
{
    bti_date started, when = date == BTI_NO_DATE ? db->ctx.today : date;
    long long plan;
    int rc = plan_of(db, case_id, 1, &plan);
    if (rc == 0)
        rc = bti_text_check(reason, BTI_TEXT_FREE, "--reason");
    if (rc == 0)
        rc = row_date(db, "plan", plan, "started", &started);
    if (rc == 0)
        rc = check_event_date(db, when, started, "--date");
    struct plan_ending how = {.edit_reason = reason, .need_ended = need_ended};
    return rc ? rc : end_plan(db, plan, when, reason, &how);
}

int bti_plan_measure_edit(struct bti_db *db, long long case_id, long long measure_id,
                          const struct bti_measure_in *in, const char *reason)
{
    long long plan, one;
    int rc = plan_of(db, case_id, 1, &plan);
    if (rc == 0)
        rc = bti_text_check(reason, BTI_TEXT_FREE, "--reason");
    if (rc == 0)
        rc = check_measure(in);
    if (rc == 0 && db_int(db, &one, "SELECT 1 FROM measure WHERE id = ? AND plan_id = ?", "ii",
                          measure_id, plan) == BTI_ENOTFOUND)
        return bti_error_set(BTI_ENOTFOUND, _("the plan of case %lld has no measure %lld"), case_id,
                             measure_id);
    return rc ? rc
              : db_update(db, "measure", measure_id, reason,
                          "UPDATE measure SET what = coalesce(?, what),"
                          " scope = coalesce(?, scope), how = coalesce(?, how),"
                          " responsible = coalesce(?, responsible),"
                          " unit_id = coalesce(?, unit_id) WHERE id = ?",
                          "ttttIi", in->what, in->scope, in->how, in->responsible, in->unit_id,
                          measure_id);
}

int bti_plan_edit(struct bti_db *db, long long case_id, const char *ref, bti_date period_end,
                  bti_date next, const char *reason)
{
    long long plan;
    int rc = plan_of(db, case_id, 0, &plan);
    if (rc == 0)
        rc = bti_text_check(reason, BTI_TEXT_FREE, "--reason");
    if (rc == 0 && ref)
        rc = bti_text_check(ref, BTI_TEXT_LABEL, "--ref");
    return rc ? rc
              : db_update(db, "plan", plan, reason,
                          "UPDATE plan SET ref = coalesce(?, ref),"
                          " period_end = coalesce(?, period_end),"
                          " next_evaluation = coalesce(?, next_evaluation) WHERE id = ?",
                          "tddi", ref, period_end, next, plan);
}

#define PLAN_SELECT                                                                                \
    "SELECT id, case_id, status, ref, started, adopted, period_end, next_evaluation, ended,"       \
    " end_reason FROM plan"

static const struct bti_col plan_cols[] = {
    {"id", BTI_T_INT},          {"case_id", BTI_T_INT},          {"status", BTI_T_TEXT},
    {"ref", BTI_T_TEXT},        {"started", BTI_T_DATE},         {"adopted", BTI_T_DATE},
    {"period_end", BTI_T_DATE}, {"next_evaluation", BTI_T_DATE}, {"ended", BTI_T_DATE},
    {"end_reason", BTI_T_TEXT},
};

/* One part of a plan: its rows of table as an array. */
static const struct {
    const char *key;
    const char *sql;
    struct bti_col cols[7];
    size_t ncols;
} plan_parts[] = {
    {"goals",
     "SELECT id, kind, text FROM goal WHERE plan_id = ? ORDER BY id",
     {{"id", BTI_T_INT}, {"kind", BTI_T_TEXT}, {"text", BTI_T_TEXT}},
     3},
    {"measures",
     "SELECT m.id, m.what, m.scope, m.how, m.responsible, m.unit_id, u.name FROM measure m"
     " LEFT JOIN unit u ON u.id = m.unit_id WHERE m.plan_id = ? ORDER BY m.id",
     {{"id", BTI_T_INT},
      {"what", BTI_T_TEXT},
      {"scope", BTI_T_TEXT},
      {"how", BTI_T_TEXT},
      {"responsible", BTI_T_TEXT},
      {"unit_id", BTI_T_INT},
      {"unit", BTI_T_TEXT}},
     7},
    {"contributions",
     "SELECT id, by, text FROM contribution WHERE plan_id = ? ORDER BY id",
     {{"id", BTI_T_INT}, {"by", BTI_T_TEXT}, {"text", BTI_T_TEXT}},
     3},
    {"cooperation",
     "SELECT id, with_org, what FROM cooperation WHERE plan_id = ? ORDER BY id",
     {{"id", BTI_T_INT}, {"with", BTI_T_TEXT}, {"what", BTI_T_TEXT}},
     3},
    {"evaluations",
     "SELECT id, evaluated, goals_note, process_note FROM evaluation WHERE plan_id = ?"
     " ORDER BY id",
     {{"id", BTI_T_INT},
      {"evaluated", BTI_T_DATE},
      {"goals_note", BTI_T_TEXT},
      {"process_note", BTI_T_TEXT}},
     4},
};

/* The consents item 8 counts today: the user's consent to the plan and,
 * where given, to sharing confidential information with the participants
 * (the active plan and exchange consents). */
static cJSON *counted_consents(struct bti_db *db, long long case_id)
{
    static const char sql[] = "SELECT id, scope, given_by, given FROM consent WHERE case_id = ?1"
                              " AND given <= ?2 AND (withdrawn IS NULL OR withdrawn > ?2)"
                              " ORDER BY id";
    static const struct bti_col cols[] = {
        {"id", BTI_T_INT},
        {"scope", BTI_T_TEXT},
        {"given_by", BTI_T_TEXT},
        {"given", BTI_T_DATE},
    };
    return db_array(db, db_stmt(db, sql), cols, 4, "id", case_id, db->ctx.today);
}

cJSON *plan_object(struct bti_db *db, long long case_id)
{
    static const char sql[] = PLAN_SELECT " WHERE case_id = ? ORDER BY id DESC LIMIT 1";
    cJSON *obj = db_object(db, db_stmt(db, sql), plan_cols, 10, "i", case_id);
    if (!obj)
        return bti_error_code() ? NULL : cJSON_CreateNull();
    long long plan = (long long)cJSON_GetNumberValue(cJSON_GetObjectItem(obj, "id"));
    for (size_t i = 0; i < sizeof plan_parts / sizeof plan_parts[0]; i++) {
        cJSON *part = db_array(db, db_stmt(db, plan_parts[i].sql), plan_parts[i].cols,
                               plan_parts[i].ncols, "i", plan);
        if (!part) {
            cJSON_Delete(obj);
            return NULL;
        }
        cJSON_AddItemToObject(obj, plan_parts[i].key, part);
    }
    cJSON *missing = missing_items(db, plan, case_id, BTI_NO_DATE);
    cJSON_AddItemToObject(obj, "missing", missing ? missing : cJSON_CreateNull());
    cJSON *consents = counted_consents(db, case_id);
    if (!consents) {
        cJSON_Delete(obj);
        return NULL;
    }
    cJSON_AddItemToObject(obj, "consents_counted", consents);
    return obj;
}

int bti_plan_show(struct bti_db *db, long long case_id, cJSON **out)
{
    long long plan;
    char what[32];
    int rc = plan_of(db, case_id, 0, &plan);
    *out = rc ? NULL : plan_object(db, case_id);
    if (rc == 0 && !*out)
        rc = bti_error_code() ? bti_error_code() : BTI_EDB;
    snprintf(what, sizeof what, "%lld", case_id);
    if (rc == 0)
        rc = access_log(db, "plan", what, 1);
    if (rc) {
        cJSON_Delete(*out);
        *out = NULL;
    }
    return rc;
}

int plan_consent_changed(struct bti_db *db, long long case_id)
{
    static const char sql[] = "SELECT id, status, paused_from FROM plan WHERE case_id = ?"
                              " AND status <> 'ended'";
    sqlite3_stmt *st = db_stmt(db, sql);
    if (!st || db_bind(db, st, "i", case_id))
        return bti_error_code();
    int step = sqlite3_step(st);
    long long plan = step == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    enum plan_state now = step == SQLITE_ROW
                              ? plan_state_parse((const char *)sqlite3_column_text(st, 1))
                              : PLAN_NONE,
                    from = step == SQLITE_ROW
                               ? plan_state_parse((const char *)sqlite3_column_text(st, 2))
                               : PLAN_NONE,
                    to;
    sqlite3_reset(st);
    if (step != SQLITE_ROW) /* no open plan, or a failure */
        return step == SQLITE_DONE ? 0 : db_fail(db, step, _("cannot read the plan"));
    int consent;
    int rc = has_plan_consent(db, case_id, db->ctx.today, &consent);
    if (rc)
        return rc;
    if (consent && plan_state_next(now, PLAN_EV_RESUME, from, &to) == 0)
        return db_update(db, "plan", plan, NULL,
                         "UPDATE plan SET status = ?, paused_from = NULL WHERE id = ?", "ti",
                         plan_state_name(to), plan);
    if (!consent && plan_state_next(now, PLAN_EV_PAUSE, from, &to) == 0)
        return db_update(db, "plan", plan, NULL,
                         "UPDATE plan SET paused_from = status, status = ? WHERE id = ?", "ti",
                         plan_state_name(to), plan);
    return 0;
}

int plan_close(struct bti_db *db, long long case_id, long long closure, bti_date date,
               const char *reason, int restore)
{
    static const char end[] = "SELECT id FROM plan WHERE case_id = ? AND status <> 'ended'";
    /* the plan that close ended; before migration 9 recorded it, the one
     * ended on its date with its reason */
    static const char ended[] =
        "SELECT id FROM plan WHERE case_id = ?1 AND (closure_id = ?4 OR (closure_id IS NULL"
        " AND ended = ?2 AND end_reason = ?3"
        " AND NOT EXISTS (SELECT 1 FROM assignment WHERE case_id = ?1 AND closure_id = ?4)"
        " AND NOT EXISTS (SELECT 1 FROM plan WHERE case_id = ?1 AND closure_id = ?4)))"
        " ORDER BY id DESC LIMIT 1";
    long long plan;
    int rc = restore ? db_int(db, &plan, ended, "idti", case_id, date, reason, closure)
                     : db_int(db, &plan, end, "i", case_id);
    if (rc == BTI_ENOTFOUND)
        return 0;
    struct plan_ending how = {.closure = closure};
    if (rc == 0 && !restore)
        rc = end_plan(db, plan, date, reason, &how);
    else if (rc == 0)
        rc = db_update(db, "plan", plan, NULL,
                       "UPDATE plan SET status = CASE WHEN adopted IS NULL THEN 'in_progress'"
                       " ELSE 'active' END, ended = NULL, end_reason = NULL, closure_id = NULL"
                       " WHERE id = ?",
                       "i", plan);
    return rc == 0 && restore ? plan_consent_changed(db, case_id) : rc;
}
