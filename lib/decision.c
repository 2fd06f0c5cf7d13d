/* Decisions, preliminary replies and appeals. */
#include <stdio.h>
#include <string.h>
#include "bti/basis.h"
#include "bti/case.h"
#include "bti/decision.h"
#include "bti/text.h"
#include "store/store.h"
#include "base/list.h"
#include "checks.h"
#include "case_state.h"
#include "closing.h"
#include "decision.h"
#include "base/intl.h"

/* The items of a case: requested, and decided granted or denied. */
struct items {
    unsigned requested, granted, denied;
};

/* Fill it from the requests and standing decisions of case_id. */
static int case_items(struct bti_db *db, long long case_id, struct items *it)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT item FROM request WHERE case_id = ?");
    unsigned bit;
    memset(it, 0, sizeof *it);
    if (!st || db_bind(db, st, "i", case_id))
        return bti_error_code();
    while (sqlite3_step(st) == SQLITE_ROW)
        if (bti_items_parse((const char *)sqlite3_column_text(st, 0), &bit, _("item")) == 0)
            it->requested |= bit;
    sqlite3_reset(st);
    st = db_stmt(db, "SELECT item, outcome FROM standing_item WHERE case_id = ?");
    if (!st || db_bind(db, st, "i", case_id))
        return bti_error_code();
    while (sqlite3_step(st) == SQLITE_ROW)
        if (bti_items_parse((const char *)sqlite3_column_text(st, 0), &bit, _("item")) == 0)
            *(strcmp((const char *)sqlite3_column_text(st, 1), "granted") ? &it->denied
                                                                          : &it->granted) |= bit;
    sqlite3_reset(st);
    return 0;
}

/* The items the decision covers: --covers, or the undecided requested
 * ones; each must be requested and undecided. */
static int covered_items(const struct bti_decide_in *in, const struct items *it, unsigned *covers)
{
    unsigned undecided = it->requested & ~(it->granted | it->denied);
    char buf[64];
    int rc = in->covers ? bti_items_parse(in->covers, covers, "--covers") : 0;
    if (rc)
        return rc;
    if (!in->covers)
        *covers = undecided;
    if (!*covers)
        return bti_error_set(BTI_ERULE, _("case %lld has no undecided item"), in->case_id);
    if (*covers & ~it->requested)
        return bti_error_set(BTI_ERULE, _("case %lld has no request for '%s'"), in->case_id,
                             bti_items_format(*covers & ~it->requested, buf, sizeof buf));
    if (*covers & ~undecided) {
        bti_error_set(BTI_ERULE, _("'%s' of case %lld is decided already"),
                      bti_items_format(*covers & ~undecided, buf, sizeof buf), in->case_id);
        return bti_error_set_hint(_("a decision registered in error is annulled with "
                                    "'bti ke decide CASE --void DECISION --reason TEXT'"));
    }
    return 0;
}

/* The bases of a decision of `decided`: --basis, or each covered item's
 * health-law basis in force that day. */
static int decision_basis(const char *given, unsigned covers, bti_date decided, char *buf,
                          size_t size)
{
    if (given) { /* kept with the spaces around its commas trimmed */
        int rc = *given ? list_trim(given, buf, size, "--basis") : 0;
        return rc ? rc : bti_basis_check(*given ? buf : given, decided);
    }
    buf[0] = '\0';
    for (unsigned bit = 1; bit <= covers; bit <<= 1) {
        char item[16], d[BTI_DATE_BUF];
        size_t len = strlen(buf);
        const char *code =
            covers & bit ? bti_basis_of_item(bti_items_format(bit, item, sizeof item), decided)
                         : "";
        if (!code) {
            bti_error_set(BTI_ERULE, _("no legal basis of '%s' was in force on %s"), item,
                          bti_date_format(decided, d));
            return bti_error_set_hint(_("name one with --basis; 'bti basis list --at %s' shows "
                                        "those of that day"),
                                      d);
        }
        if (*code)
            snprintf(buf + len, size - len, "%s%s", len ? "," : "", code);
    }
    return 0;
}

/* The lifecycle event of a decision: a grant, or a denial that leaves
 * every requested item denied, or one that does not. */
static enum bti_event decision_event(const struct bti_decide_in *in, const struct items *it,
                                     unsigned covers)
{
    if (in->grant)
        return BTI_EV_GRANT;
    return (it->denied | covers) == it->requested ? BTI_EV_DENY_ALL : BTI_EV_DENY_PART;
}

/* Who decided: the actor on whose behalf, else the login. */
static const char *decided_by(struct bti_db *db)
{
    return db->ctx.actor ? db->ctx.actor : db->ctx.login;
}

/* Insert the decision row and its items. */
static int insert_decision(struct bti_db *db, const struct bti_decide_in *in, unsigned covers,
                           const char *basis, bti_date decided, const struct bti_step *step,
                           long long *id)
{
    static const char sql[] =
        "INSERT INTO decision(case_id, outcome, basis, reason, unit_id, decided, notified,"
        " appeal_deadline, decided_by, status_before, status_after)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    int rc = db_insert(db, "decision", id, sql, "itttIdddttt", in->case_id,
                       in->grant ? "granted" : "denied", basis, in->reason,
                       in->grant ? in->unit_id : 0, decided, in->notified, step->deadline,
                       decided_by(db), bti_state_name(step->before), bti_state_name(step->after));
    if (rc)
        return rc;
    for (unsigned bit = 1; rc == 0 && bit <= covers; bit <<= 1) {
        char item[16];
        if (!(covers & bit))
            continue;
        rc = db_insert(db, "decision_item", NULL,
                       "INSERT INTO decision_item(decision_id, item) VALUES (?, ?)", "it", *id,
                       bti_items_format(bit, item, sizeof item));
    }
    return rc;
}

/* Check the texts and dates of a decision. */
static int check_decision(struct bti_db *db, const struct bti_decide_in *in, bti_date decided)
{
    bti_date received;
    int rc = in->reason ? bti_text_check(in->reason, BTI_TEXT_FREE, "--reason") : 0;
    if (rc == 0 && in->grant && in->unit_id)
        rc = db_int(db, &(long long){0}, "SELECT id FROM unit WHERE id = ?", "i", in->unit_id);
    if (rc == BTI_ENOTFOUND)
        rc = bti_error_set(BTI_ENOTFOUND, _("no unit %lld"), in->unit_id);
    if (rc == 0)
        rc = case_received(db, in->case_id, &received);
    if (rc == 0)
        rc = check_event_date(db, decided, received, "--date");
    if (rc == 0 && in->notified != BTI_NO_DATE)
        rc = check_event_date(db, in->notified, decided, "--notified");
    return rc;
}

int bti_decide(struct bti_db *db, const struct bti_decide_in *in, long long *id,
               struct bti_step *step)
{
    struct bti_event_args args = {.unit_id = in->grant ? in->unit_id : 0,
                                  .reason = in->grant ? "" : in->reason};
    bti_date decided = in->decided == BTI_NO_DATE ? db->ctx.today : in->decided;
    struct items it;
    unsigned covers = 0;
    char basis[256];
    int rc = bti_case_state(db, in->case_id, &step->before);
    /* states that allow no decision at all are refused before the items */
    if (rc == 0)
        rc = bti_lifecycle_next(step->before, in->grant ? BTI_EV_GRANT : BTI_EV_DENY_PART, &args,
                                &step->after);
    if (rc == 0)
        rc = case_items(db, in->case_id, &it);
    if (rc == 0)
        rc = covered_items(in, &it, &covers);
    if (rc == 0)
        rc = decision_basis(in->basis, covers, decided, basis, sizeof basis);
    if (rc == 0)
        rc = bti_lifecycle_next(step->before, decision_event(in, &it, covers), &args, &step->after);
    if (rc == 0)
        rc = check_decision(db, in, decided);
    if (rc)
        return rc;
    step->deadline = in->notified == BTI_NO_DATE ? BTI_NO_DATE
                                                 : bti_basis_deadline(basis, decided, in->notified);
    rc = insert_decision(db, in, covers, basis, decided, step, id);
    if (rc)
        return rc;
    if (in->grant)
        return case_set_state_unit(db, in->case_id, step->before, step->after, in->unit_id);
    return case_set_state(db, in->case_id, step->before, step->after);
}

/* BTI_ENOTFOUND unless the case has a decision with this id (0: none named). */
static int decision_of_case(struct bti_db *db, long long case_id, long long decision_id)
{
    long long one;
    if (decision_id == 0)
        return 0;
    int rc = db_int(db, &one, "SELECT 1 FROM decision WHERE id = ? AND case_id = ?", "ii",
                    decision_id, case_id);
    return rc == BTI_ENOTFOUND ? bti_error_set(BTI_ENOTFOUND, _("case %lld has no decision %lld"),
                                               case_id, decision_id)
                               : rc;
}

int bti_decision_void(struct bti_db *db, long long case_id, long long decision_id,
                      const char *reason, struct bti_step *step)
{
    static const char latest[] =
        "SELECT max(id) FROM decision WHERE case_id = ? AND voided IS NULL";
    long long last = 0, appealed = 0;
    char before[16];
    struct bti_event_args args = {.reason = reason};
    int rc = bti_case_state(db, case_id, &step->before);
    if (rc == 0) /* the state and --reason first; where it returns to, below */
        rc = bti_lifecycle_next(step->before, BTI_EV_VOID, &args, &step->after);
    if (rc == 0)
        rc = decision_of_case(db, case_id, decision_id);
    if (rc == 0)
        rc = db_int(db, &last, latest, "i", case_id);
    if (rc == 0 && last != decision_id)
        return bti_error_set(BTI_ERULE,
                             _("decision %lld is not the latest standing decision of case %lld"),
                             decision_id, case_id);
    if (rc == 0)
        rc = db_int(db, &appealed, "SELECT count(*) FROM appeal WHERE decision_id = ?", "i",
                    decision_id);
    if (rc == 0 && appealed)
        return bti_error_set(
            BTI_ERULE, _("decision %lld has an appeal: it can no longer be voided"), decision_id);
    if (rc == 0)
        rc = db_row_text(db, "decision", decision_id, "status_after", before, sizeof before);
    if (rc == 0 && bti_state_parse(before) != step->before)
        return bti_error_set(BTI_ERULE, _("case %lld has moved on since decision %lld (now '%s')"),
                             case_id, decision_id, bti_state_name(step->before));
    if (rc == 0)
        rc = db_row_text(db, "decision", decision_id, "status_before", before, sizeof before);
    args.previous = bti_state_parse(before);
    if (rc == 0 && reason)
        rc = bti_text_check(reason, BTI_TEXT_FREE, "--reason");
    if (rc == 0)
        rc = bti_lifecycle_next(step->before, BTI_EV_VOID, &args, &step->after);
    if (rc == 0)
        rc = db_update(db, "decision", decision_id, reason,
                       "UPDATE decision SET voided = ?, void_reason = ? WHERE id = ?", "dti",
                       db->ctx.today, reason, decision_id);
    step->deadline = BTI_NO_DATE;
    return rc ? rc : case_set_state(db, case_id, step->before, step->after);
}

int bti_decision_notify(struct bti_db *db, long long case_id, long long decision_id, bti_date date,
                        long long *id, struct bti_step *step)
{
    static const char sql[] = "SELECT id FROM decision WHERE case_id = ? AND voided IS NULL"
                              " AND notified IS NULL ORDER BY id";
    char basis[256];
    bti_date decided;
    int rc = bti_case_state(db, case_id, &step->before);
    if (rc) /* before the lookups below, whose "not found" means no decision */
        return rc;
    sqlite3_stmt *st = db_stmt(db, sql);
    rc = st ? db_bind(db, st, "i", case_id) : bti_error_code();
    if (rc == 0)
        rc = decision_of_case(db, case_id, decision_id);
    if (rc == 0)
        rc = pick_one(db, st, decision_id, _("decisions awaiting notification"), "--decision", id);
    if (rc == BTI_ENOTFOUND && !decision_id)
        return bti_error_set(BTI_ERULE, _("case %lld has no decision awaiting notification"),
                             case_id);
    if (rc == 0)
        rc = row_date(db, "decision", *id, "decided", &decided);
    if (rc == 0)
        rc = check_event_date(db, date, decided, "--date");
    if (rc == 0)
        rc = db_row_text(db, "decision", *id, "basis", basis, sizeof basis);
    if (rc)
        return rc;
    step->after = step->before;
    step->deadline = bti_basis_deadline(basis, decided, date);
    return db_update(db, "decision", *id, NULL,
                     "UPDATE decision SET notified = ?, appeal_deadline = ? WHERE id = ?", "ddi",
                     date, step->deadline, *id);
}

int bti_reply_add(struct bti_db *db, long long case_id, bti_date date, long long *id)
{
    struct items it;
    bti_date received, when = date == BTI_NO_DATE ? db->ctx.today : date;
    int rc = case_allows(db, case_id, BTI_EV_REPLY);
    if (rc == 0)
        rc = case_items(db, case_id, &it);
    if (rc == 0 && !(it.requested & ~(it.granted | it.denied)))
        return bti_error_set(BTI_ERULE,
                             _("case %lld has no undecided item: no preliminary reply "
                               "is owed"),
                             case_id);
    if (rc == 0)
        rc = case_received(db, case_id, &received);
    if (rc == 0)
        rc = check_event_date(db, when, received, "--date");
    if (rc == 0)
        rc = db_insert(db, "preliminary_reply", id,
                       "INSERT INTO preliminary_reply(case_id, sent) VALUES (?, ?)", "id", case_id,
                       when);
    return rc;
}

/* Check when an appeal was posted: not before the decision, nor after it
 * was received (nor after today). */
static int check_posted(struct bti_db *db, bti_date posted, bti_date decided, bti_date received)
{
    char a[BTI_DATE_BUF], b[BTI_DATE_BUF];
    int rc = check_event_date(db, posted, decided, "--posted");
    if (rc == 0 && posted > received)
        return bti_error_set(BTI_EINVAL, _("--posted %s lies after the appeal was received (%s)"),
                             bti_date_format(posted, a), bti_date_format(received, b));
    return rc;
}

/* Check that an appeal is in time: received, or posted or sent, by the
 * deadline; a decision never notified has no deadline, so any appeal of
 * it is in time.  A late one needs a reason, and is refused more than a
 * year after the decision (the one-year bar, only where a deadline ran). */
static int check_in_time(struct bti_db *db, long long decision_id, const struct bti_appeal_in *in,
                         bti_date received, int *late)
{
    bti_date decided, deadline, lodged = in->posted != BTI_NO_DATE ? in->posted : received;
    char buf[BTI_DATE_BUF], law[160];
    int rc = row_date(db, "decision", decision_id, "decided", &decided);
    if (rc == 0)
        rc = row_date(db, "decision", decision_id, "appeal_deadline", &deadline);
    if (rc == 0)
        rc = check_event_date(db, received, decided, "--date");
    if (rc == 0 && in->posted != BTI_NO_DATE)
        rc = check_posted(db, in->posted, decided, received);
    *late = rc == 0 && deadline != BTI_NO_DATE && lodged > deadline;
    if (rc || !*late)
        return rc;
    if (lodged > bti_date_add_months(decided, 12))
        return bti_error_set(BTI_ERULE,
                             _("the appeal came more than a year after decision %lld: "
                               "it cannot be considered (%s)"),
                             decision_id, bti_law_cite("one-year-bar", decided, law, sizeof law));
    if (!in->late_reason) {
        bti_error_set(BTI_ERULE, _("the appeal came after the deadline %s"),
                      bti_date_format(deadline, buf));
        return bti_error_set_hint(_("record why it is considered anyway with --late-reason"));
    }
    return bti_text_check(in->late_reason, BTI_TEXT_FREE, "--late-reason");
}

int bti_appeal_add(struct bti_db *db, const struct bti_appeal_in *in, long long *id,
                   struct bti_step *step)
{
    static const char sql[] = "SELECT d.id FROM decision d WHERE d.case_id = ? AND d.voided IS NULL"
                              " AND NOT EXISTS (SELECT 1 FROM appeal a WHERE a.decision_id = d.id)"
                              " ORDER BY d.id";
    struct bti_event_args args = {0};
    bti_date received = in->received == BTI_NO_DATE ? db->ctx.today : in->received;
    long long decision;
    step->late = 0;
    int rc = bti_case_state(db, in->case_id, &step->before);
    if (rc) /* before the lookups below, whose "not found" means no decision */
        return rc;
    rc = bti_lifecycle_next(step->before, BTI_EV_APPEAL, &args, &step->after);
    sqlite3_stmt *st = rc ? NULL : db_stmt(db, sql);
    if (rc == 0)
        rc = st ? db_bind(db, st, "i", in->case_id) : bti_error_code();
    if (rc == 0)
        rc = decision_of_case(db, in->case_id, in->decision_id);
    if (rc == 0)
        rc = pick_one(db, st, in->decision_id, _("decisions open to appeal"), "--decision",
                      &decision);
    if (rc == BTI_ENOTFOUND && !in->decision_id)
        return bti_error_set(BTI_ERULE, _("case %lld has no decision open to appeal"), in->case_id);
    if (rc == 0)
        rc = check_in_time(db, decision, in, received, &step->late);
    if (rc == 0) /* a late reason is kept only for an appeal that was late */
        rc = db_insert(
            db, "appeal", id,
            "INSERT INTO appeal(decision_id, received, posted, late_reason, status_before)"
            " VALUES (?, ?, ?, ?, ?)",
            "iddtt", decision, received, in->posted, step->late ? in->late_reason : NULL,
            bti_state_name(step->before));
    if (rc)
        return rc;
    step->deadline = BTI_NO_DATE;
    return case_set_state(db, in->case_id, step->before, step->after);
}

/* The appeal of the case still awaiting `what` (forwarding or a result). */
static int pick_appeal(struct bti_db *db, long long case_id, long long decision_id, int forwarding,
                       long long *id)
{
    static const char sql[] =
        "SELECT a.id FROM appeal a JOIN decision d ON d.id = a.decision_id"
        " WHERE d.case_id = ?1 AND a.result IS NULL AND (NOT ?2 OR a.forwarded IS NULL)"
        " AND (?3 = 0 OR d.id = ?3) ORDER BY a.id";
    int rc = bti_case_state(db, case_id, NULL);
    if (rc) /* before the lookups below, whose "not found" means no appeal */
        return rc;
    sqlite3_stmt *st = db_stmt(db, sql);
    rc = st ? db_bind(db, st, "ibi", case_id, forwarding, decision_id) : bti_error_code();
    if (rc == 0)
        rc = decision_of_case(db, case_id, decision_id);
    if (rc == 0)
        rc = pick_one(db, st, 0, _("open appeals"), "--decision", id);
    if (rc == BTI_ENOTFOUND)
        return bti_error_set(BTI_ERULE, _("case %lld has no appeal awaiting %s"), case_id,
                             forwarding ? _("forwarding") : _("a result"));
    return rc;
}

int bti_appeal_forward(struct bti_db *db, long long case_id, long long decision_id, bti_date date,
                       long long *id)
{
    bti_date received, when = date == BTI_NO_DATE ? db->ctx.today : date;
    int rc = pick_appeal(db, case_id, decision_id, 1, id);
    if (rc == 0)
        rc = row_date(db, "appeal", *id, "received", &received);
    if (rc == 0)
        rc = check_event_date(db, when, received, "--date");
    return rc ? rc
              : db_update(db, "appeal", *id, NULL, "UPDATE appeal SET forwarded = ? WHERE id = ?",
                          "di", when, *id);
}

/* Check who gives an appeal's result: statsforvalteren only once the
 * appeal is forwarded; the KE reverses or quashes its own decision but
 * does not uphold it (it forwards the appeal instead). */
static int check_result_by(long long appeal, const char *result, const char *by, int forwarded)
{
    static const char *const bodies[] = {"ke", "statsforvalteren", NULL};
    int rc = check_word(by, bodies, "--by");
    if (rc == 0 && strcmp(by, "statsforvalteren") == 0 && !forwarded) {
        bti_error_set(BTI_ERULE, _("appeal %lld has not been forwarded to statsforvalteren"),
                      appeal);
        return bti_error_set_hint(_("record that with 'bti ke appeal-forward'"));
    }
    if (rc == 0 && strcmp(by, "ke") == 0 && strcmp(result, "upheld") == 0) {
        bti_error_set(BTI_ERULE, _("the KE does not uphold its own decision"));
        return bti_error_set_hint(_("forward the appeal to statsforvalteren with "
                                    "'bti ke appeal-forward'"));
    }
    return rc;
}

/* The event of an appeal's result. */
static enum bti_event result_event(const char *result)
{
    if (strcmp(result, "reversed") == 0)
        return BTI_EV_REVERSED;
    return strcmp(result, "quashed") == 0 ? BTI_EV_QUASHED : BTI_EV_UPHELD;
}

/* Check an appeal result against its appeal and decision. */
static int check_result(struct bti_db *db, const struct bti_appeal_result_in *in, long long id,
                        bti_date when, const char **by)
{
    static const char *const results[] = {"reversed", "upheld", "quashed", NULL};
    bti_date received, forwarded;
    char outcome[16];
    long long decision;
    int rc = check_word(in->result, results, _("the result"));
    if (rc == 0)
        rc = row_date(db, "appeal", id, "received", &received);
    if (rc == 0)
        rc = row_date(db, "appeal", id, "forwarded", &forwarded);
    if (rc == 0)
        rc = db_int(db, &decision, "SELECT decision_id FROM appeal WHERE id = ?", "i", id);
    if (rc == 0)
        rc = db_row_text(db, "decision", decision, "outcome", outcome, sizeof outcome);
    if (rc == 0 && !strcmp(in->result, "reversed") && strcmp(outcome, "denied"))
        return bti_error_set(BTI_ERULE,
                             _("decision %lld granted what was asked: only a denial is "
                               "reversed"),
                             decision);
    *by = in->by ? in->by : forwarded != BTI_NO_DATE ? "statsforvalteren" : "ke";
    if (rc == 0)
        rc = check_result_by(id, in->result, *by, forwarded != BTI_NO_DATE);
    if (rc == 0)
        rc = check_event_date(db, when, forwarded != BTI_NO_DATE ? forwarded : received, "--date");
    return rc;
}

int bti_appeal_result(struct bti_db *db, const struct bti_appeal_result_in *in, long long *id,
                      struct bti_step *step)
{
    struct bti_event_args args = {.unit_id = in->unit_id, .cause = "denied"};
    bti_date when = in->date == BTI_NO_DATE ? db->ctx.today : in->date;
    const char *by = NULL;
    int rc = bti_case_state(db, in->case_id, &step->before);
    if (rc == 0)
        rc = pick_appeal(db, in->case_id, in->decision_id, 0, id);
    if (rc == 0)
        rc = check_result(db, in, *id, when, &by);
    enum bti_event event = result_event(in->result);
    long long left = 0;
    if (rc == 0 && event == BTI_EV_UPHELD)
        rc = db_int(db, &left,
                    "SELECT count(*) FROM item_status WHERE case_id = ?"
                    " AND status IN ('undecided', 'granted')",
                    "i", in->case_id);
    if (rc == 0)
        rc = bti_lifecycle_next(step->before, left ? BTI_EV_UPHELD_OPEN : event, &args,
                                &step->after);
    if (rc == 0)
        rc = db_update(db, "appeal", *id, NULL,
                       "UPDATE appeal SET result = ?, result_by = ?, result_date = ? WHERE id = ?",
                       "ttdi", in->result, by, when, *id);
    step->deadline = BTI_NO_DATE;
    if (rc)
        return rc;
    if (result_event(in->result) == BTI_EV_REVERSED) /* a grant: never a close */
        return case_set_state_unit(db, in->case_id, step->before, step->after, in->unit_id);
    if (step->after == step->before)
        return 0;
    if (step->after == BTI_ST_CLOSED)
        return case_close_row(db, in->case_id, "denied", when, step->before);
    return case_set_state(db, in->case_id, step->before, step->after);
}

/* The appeal of a decision as an object, or a JSON null. */
static cJSON *appeal_object(struct bti_db *db, long long decision_id)
{
    static const char sql[] = "SELECT id, received, posted, late_reason, forwarded, result,"
                              " result_by, result_date FROM appeal WHERE decision_id = ?";
    static const struct bti_col cols[] = {
        {"id", BTI_T_INT},           {"received", BTI_T_DATE},    {"posted", BTI_T_DATE},
        {"late_reason", BTI_T_TEXT}, {"forwarded", BTI_T_DATE},   {"result", BTI_T_TEXT},
        {"result_by", BTI_T_TEXT},   {"result_date", BTI_T_DATE},
    };
    cJSON *obj = db_object(db, db_stmt(db, sql), cols, 8, "i", decision_id);
    return obj ? obj : cJSON_CreateNull();
}

cJSON *decision_array(struct bti_db *db, long long case_id)
{
    static const char sql[] =
        "SELECT d.id, (SELECT group_concat(item, ',') FROM (SELECT item FROM decision_item"
        "  WHERE decision_id = d.id ORDER BY id)), d.outcome, d.basis, d.reason, d.unit_id,"
        " u.name, d.decided, d.notified, d.appeal_deadline, d.decided_by, d.voided, d.void_reason"
        " FROM decision d LEFT JOIN unit u ON u.id = d.unit_id WHERE d.case_id = ? ORDER BY d.id";
    static const struct bti_col cols[] = {
        {"id", BTI_T_INT},           {"items", BTI_T_LIST},
        {"outcome", BTI_T_TEXT},     {"basis", BTI_T_LIST},
        {"reason", BTI_T_TEXT},      {"unit_id", BTI_T_INT},
        {"unit", BTI_T_TEXT},        {"decided", BTI_T_DATE},
        {"notified", BTI_T_DATE},    {"appeal_deadline", BTI_T_DATE},
        {"decided_by", BTI_T_TEXT},  {"voided", BTI_T_DATE},
        {"void_reason", BTI_T_TEXT},
    };
    cJSON *arr = db_array(db, db_stmt(db, sql), cols, 13, "i", case_id), *d;
    cJSON_ArrayForEach(d, arr)
    {
        long long id = (long long)cJSON_GetNumberValue(cJSON_GetObjectItem(d, "id"));
        cJSON_AddItemToObject(d, "appeal", appeal_object(db, id));
    }
    return arr;
}
