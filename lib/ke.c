/* The KE's members, meetings and case reviews, and the handbook. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bti/case.h"
#include "bti/consent.h"
#include "bti/ke.h"
#include "bti/text.h"
#include "store/store.h"
#include "checks.h"
#include "case_state.h"
#include "person.h"
#include "base/intl.h"

int bti_member_add(struct bti_db *db, const char *name, const char *role, int case_reviews,
                   long long *id)
{
    int rc = bti_text_check(name, BTI_TEXT_NAME, "--name");
    if (rc == 0)
        rc = bti_text_check(role, BTI_TEXT_LABEL, "--role");
    if (rc == 0)
        rc = db_insert(db, "ke_member", id,
                       "INSERT INTO ke_member(name, role, case_reviews) VALUES (?, ?, ?)", "ttb",
                       name, role, case_reviews);
    return rc;
}

static const struct bti_col member_cols[] = {
    {"id", BTI_T_INT},
    {"name", BTI_T_TEXT},
    {"role", BTI_T_TEXT},
    {"case_reviews", BTI_T_BOOL},
};
const struct bti_cols bti_member_cols = BTI_COLS(member_cols);

int bti_member_list(struct bti_db *db, bti_row_fn fn, void *arg)
{
    static const char sql[] = "SELECT id, name, role, case_reviews FROM ke_member ORDER BY id";
    sqlite3_stmt *st = db_stmt(db, sql);
    return st ? db_rows(db, st, member_cols, bti_member_cols.n, fn, arg, NULL) : bti_error_code();
}

/* The member named by id or exact name. */
static int find_member(struct bti_db *db, const char *ref, long long *id)
{
    char *end;
    long long n = strtoll(ref, &end, 10);
    int rc = *ref && !*end ? db_int(db, id, "SELECT id FROM ke_member WHERE id = ?", "i", n)
                           : db_int(db, id,
                                    "SELECT id FROM ke_member WHERE name = ?"
                                    " ORDER BY id LIMIT 1",
                                    "t", ref);
    if (rc == BTI_ENOTFOUND) {
        bti_error_set(BTI_ENOTFOUND, _("an --attendee is no KE member"));
        return bti_error_set_hint(_("'bti ke member list' shows the members"));
    }
    return rc;
}

int bti_meeting_add(struct bti_db *db, bti_date held, const char *const *attendees, size_t n,
                    long long *id)
{
    bti_date when = held == BTI_NO_DATE ? db->ctx.today : held;
    int rc = check_event_date(db, when, BTI_NO_DATE, "--date");
    if (rc == 0)
        rc = db_insert(db, "ke_meeting", id, "INSERT INTO ke_meeting(held) VALUES (?)", "d", when);
    if (rc)
        return rc;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        long long member;
        rc = find_member(db, attendees[i], &member);
        if (rc == 0)
            rc = db_insert(db, "ke_attendance", NULL,
                           "INSERT OR IGNORE INTO ke_attendance(meeting_id, member_id)"
                           " VALUES (?, ?)",
                           "ii", *id, member);
    }
    return rc;
}

static const struct bti_col meeting_cols[] = {
    {"id", BTI_T_INT},
    {"held", BTI_T_DATE},
    {"attendee_count", BTI_T_INT},
    {"review_count", BTI_T_INT},
};
const struct bti_cols bti_meeting_cols = BTI_COLS(meeting_cols);

int bti_meeting_list(struct bti_db *db, bti_row_fn fn, void *arg)
{
    static const char sql[] =
        "SELECT m.id, m.held, (SELECT count(*) FROM ke_attendance a WHERE a.meeting_id = m.id),"
        " (SELECT count(*) FROM review r WHERE r.meeting_id = m.id) FROM ke_meeting m ORDER BY "
        "m.id";
    sqlite3_stmt *st = db_stmt(db, sql);
    return st ? db_rows(db, st, meeting_cols, bti_meeting_cols.n, fn, arg, NULL) : bti_error_code();
}

int bti_meeting_show(struct bti_db *db, long long id, cJSON **out)
{
    static const char sql[] = "SELECT id, held FROM ke_meeting WHERE id = ?";
    static const char attendees[] = "SELECT m.id, m.name, m.role FROM ke_attendance a"
                                    " JOIN ke_member m ON m.id = a.member_id"
                                    " WHERE a.meeting_id = ? ORDER BY m.id";
    static const char reviews[] =
        "SELECT CASE WHEN anonymous THEN NULL ELSE id END,"
        " CASE WHEN anonymous THEN NULL ELSE case_id END, anonymous, conclusion, journal"
        " FROM review WHERE meeting_id = ? ORDER BY id";
    static const struct bti_col member[] = {
        {"member_id", BTI_T_INT}, {"member", BTI_T_TEXT}, {"role", BTI_T_TEXT}};
    static const struct bti_col review[] = {{"id", BTI_T_INT},
                                            {"case_id", BTI_T_INT},
                                            {"anonymous", BTI_T_BOOL},
                                            {"conclusion", BTI_T_TEXT},
                                            {"journal", BTI_T_DATE}};
    *out = db_object(db, db_stmt(db, sql), meeting_cols, 2, "i", id);
    if (!*out)
        return bti_error_code() ? bti_error_code()
                                : bti_error_set(BTI_ENOTFOUND, _("no meeting %lld"), id);
    cJSON_AddItemToObject(*out, "attendees",
                          db_array(db, db_stmt(db, attendees), member, 3, "i", id));
    cJSON_AddItemToObject(*out, "reviews", db_array(db, db_stmt(db, reviews), review, 5, "i", id));
    char what[32];
    snprintf(what, sizeof what, "%lld", id);
    int rc = access_log(db, "ke_meeting", what, 1);
    if (rc) {
        cJSON_Delete(*out);
        *out = NULL;
    }
    return rc;
}

/* Refuse an anonymous conclusion that identifies the case's person. */
static int check_anonymous(struct bti_db *db, long long case_id, const char *conclusion)
{
    long long person;
    int named = 0;
    int rc = db_int(db, &person, "SELECT person_id FROM ke_case WHERE id = ?", "i", case_id);
    if (rc == 0)
        rc = person_named_in(db, person, conclusion, &named);
    if (rc || !named)
        return rc;
    bti_error_set(BTI_EINVAL, _("the conclusion of an anonymous review holds the person's name, "
                                "nin or birth date"));
    return bti_error_set_hint(_("describe the case without identifying the person"));
}

/* Check the review's dates and its consent (or anonymity). */
static int check_review(struct bti_db *db, const struct bti_review_in *in, bti_date held)
{
    bti_date received;
    int rc = bti_text_check(in->conclusion, BTI_TEXT_FREE, "--note");
    if (rc == 0)
        rc = case_received(db, in->case_id, &received);
    if (rc == 0)
        rc = check_event_date(db, held, received, _("the meeting's date"));
    if (rc == 0 && in->journal != BTI_NO_DATE)
        rc = check_event_date(db, in->journal, held, "--journal");
    if (rc || in->anonymous)
        return rc ? rc : check_anonymous(db, in->case_id, in->conclusion);
    int covered;
    rc = bti_consent_covers(db, in->case_id, "exchange", "KE", held, &covered);
    if (rc || covered)
        return rc;
    bti_error_set(BTI_ERULE,
                  _("case %lld has no active 'exchange' consent covering KE on the "
                    "meeting's date"),
                  in->case_id);
    return bti_error_set_hint(
        _("record consent with 'bti consent give', or review it --anonymous"));
}

int bti_review_add(struct bti_db *db, const struct bti_review_in *in, long long *id,
                   enum bti_state *before, enum bti_state *after)
{
    struct bti_event_args args = {0};
    bti_date held;
    int rc = bti_case_state(db, in->case_id, before);
    if (rc) /* before the meeting's lookup, whose "not found" names the meeting */
        return rc;
    rc = row_date(db, "ke_meeting", in->meeting_id, "held", &held);
    if (rc == BTI_ENOTFOUND)
        rc = bti_error_set(BTI_ENOTFOUND, _("no KE meeting %lld"), in->meeting_id);
    if (rc == 0)
        rc = bti_lifecycle_next(*before, BTI_EV_REVIEW, &args, after);
    if (rc == 0)
        rc = check_review(db, in, held);
    if (rc == 0)
        rc = db_insert(db, "review", id,
                       "INSERT INTO review(case_id, meeting_id, anonymous, conclusion, journal)"
                       " VALUES (?, ?, ?, ?, ?)",
                       "iibtd", in->case_id, in->meeting_id, in->anonymous, in->conclusion,
                       in->journal);
    return rc ? rc : case_set_state(db, in->case_id, *before, *after);
}

int bti_review_journal(struct bti_db *db, long long review_id, bti_date date)
{
    static const char sql[] = "SELECT m.held, r.journal IS NOT NULL FROM review r"
                              " JOIN ke_meeting m ON m.id = r.meeting_id WHERE r.id = ?";
    sqlite3_stmt *st = db_stmt(db, sql);
    if (!st || db_bind(db, st, "i", review_id))
        return bti_error_code();
    int found = sqlite3_step(st) == SQLITE_ROW;
    bti_date held = found ? date_col(st, 0) : BTI_NO_DATE;
    int has = found && sqlite3_column_int(st, 1);
    sqlite3_reset(st);
    if (!found)
        return bti_error_set(BTI_ENOTFOUND, _("no review %lld"), review_id);
    if (has)
        return bti_error_set(BTI_ERULE, _("review %lld has its journal note date already"),
                             review_id);
    int rc = check_event_date(db, date, held, "--date");
    return rc ? rc
              : db_update(db, "review", review_id, NULL,
                          "UPDATE review SET journal = ? WHERE id = ?", "di", date, review_id);
}

int bti_handbook_add(struct bti_db *db, bti_date updated, const char *note, long long *id)
{
    bti_date when = updated == BTI_NO_DATE ? db->ctx.today : updated;
    int rc = note ? bti_text_check(note, BTI_TEXT_FREE, "--note") : 0;
    if (rc == 0)
        rc = check_event_date(db, when, BTI_NO_DATE, "--date");
    if (rc == 0)
        rc = db_insert(db, "handbook", id, "INSERT INTO handbook(updated, note) VALUES (?, ?)",
                       "dt", when, note);
    return rc;
}

int bti_escalate(struct bti_db *db, const struct bti_escalation_in *in, long long *id,
                 enum bti_state *state)
{
    struct bti_event_args args = {.note = in->note};
    bti_date received, when = in->date == BTI_NO_DATE ? db->ctx.today : in->date;
    enum bti_state after;
    int rc = bti_case_state(db, in->case_id, state);
    if (rc == 0)
        rc = bti_lifecycle_next(*state, BTI_EV_ESCALATE, &args, &after);
    if (rc == 0)
        rc = bti_text_check(in->note, BTI_TEXT_FREE, "--note");
    if (rc == 0)
        rc = case_received(db, in->case_id, &received);
    if (rc == 0)
        rc = check_event_date(db, when, received, "--date");
    if (rc == 0)
        rc = db_insert(db, "escalation", id,
                       "INSERT INTO escalation(case_id, escalated, note) VALUES (?, ?, ?)", "idt",
                       in->case_id, when, in->note);
    return rc;
}

static const struct bti_col agenda_cols[] = {
    {"case_id", BTI_T_INT},
    {"reason", BTI_T_TEXT},
    {"since", BTI_T_DATE},
};
const struct bti_cols bti_agenda_cols = BTI_COLS(agenda_cols);

/* The date an agenda is for: the meeting's, or the first meeting's on or
 * after today, or today. */
static int agenda_date(struct bti_db *db, long long meeting_id, bti_date *out)
{
    static const char next[] = "SELECT min(held) FROM ke_meeting WHERE held >= ?";
    if (meeting_id) {
        int rc = row_date(db, "ke_meeting", meeting_id, "held", out);
        return rc == BTI_ENOTFOUND
                   ? bti_error_set(BTI_ENOTFOUND, _("no KE meeting %lld"), meeting_id)
                   : rc;
    }
    sqlite3_stmt *st = db_stmt(db, next);
    if (!st || db_bind(db, st, "d", db->ctx.today))
        return bti_error_code();
    int rc = sqlite3_step(st);
    *out = rc == SQLITE_ROW ? date_col(st, 0) : BTI_NO_DATE;
    sqlite3_reset(st);
    if (rc != SQLITE_ROW)
        return db_fail(db, rc, _("cannot read the meetings"));
    if (*out == BTI_NO_DATE)
        *out = db->ctx.today;
    return 0;
}

/* A review of case `c` at a meeting held before the agenda's date ?1 and on
 * or after `from`: what takes an item off the agenda. */
#define REVIEWED_BEFORE_AGENDA(c, from)                                                            \
    "EXISTS (SELECT 1 FROM review r JOIN ke_meeting m ON m.id = r.meeting_id"                      \
    " WHERE r.case_id = " c " AND m.held < ?1 AND m.held >= " from ")"

int bti_meeting_agenda(struct bti_db *db, long long meeting_id, bti_row_fn fn, void *arg)
{
    /* clang-format off */
    static const char sql[] =
        "SELECT case_id, reason, since FROM ("
        /* a case received and not yet reviewed */
        " SELECT c.id AS case_id, 'received' AS reason,"
        "  (SELECT min(received) FROM referral WHERE case_id = c.id) AS since"
        " FROM ke_case c WHERE c.status IN ('received', 'review')"
        " AND NOT " REVIEWED_BEFORE_AGENDA("c.id", "''")
        /* an escalation no review has followed */
        " UNION ALL SELECT e.case_id, 'escalation', e.escalated"
        " FROM escalation e JOIN ke_case c ON c.id = e.case_id"
        " WHERE c.status <> 'closed' AND NOT " REVIEWED_BEFORE_AGENDA("e.case_id", "e.escalated")
        /* an appeal the KE has to reconsider: not forwarded, no result */
        " UNION ALL SELECT d.case_id, 'appeal', a.received"
        " FROM appeal a JOIN decision d ON d.id = a.decision_id JOIN ke_case c ON c.id = d.case_id"
        " WHERE c.status <> 'closed' AND a.forwarded IS NULL AND a.result IS NULL"
        /* a decision quashed on appeal whose items are not decided again */
        " UNION ALL SELECT d.case_id, 'quashed', a.result_date"
        " FROM appeal a JOIN decision d ON d.id = a.decision_id JOIN ke_case c ON c.id = d.case_id"
        " WHERE c.status <> 'closed' AND a.result = 'quashed' AND EXISTS (SELECT 1"
        "  FROM decision_item i WHERE i.decision_id = d.id AND NOT EXISTS (SELECT 1"
        "  FROM standing_item s WHERE s.case_id = d.case_id AND s.item = i.item))"
        ") WHERE since <= ?1 ORDER BY since, case_id, reason";
    /* clang-format on */
    bti_date on;
    int rc = agenda_date(db, meeting_id, &on);
    sqlite3_stmt *st = rc ? NULL : db_stmt(db, sql);
    if (!st || db_bind(db, st, "d", on))
        return bti_error_code();
    return db_rows(db, st, agenda_cols, bti_agenda_cols.n, fn, arg, NULL);
}

static const struct bti_col non_reviewer_cols[] = {
    {"member_id", BTI_T_INT},
    {"role", BTI_T_TEXT},
};
const struct bti_cols bti_non_reviewer_cols = BTI_COLS(non_reviewer_cols);

int bti_meeting_non_reviewers(struct bti_db *db, long long meeting_id, bti_row_fn fn, void *arg)
{
    static const char sql[] = "SELECT m.id, m.role FROM ke_attendance a"
                              " JOIN ke_member m ON m.id = a.member_id"
                              " WHERE a.meeting_id = ? AND NOT m.case_reviews ORDER BY m.id";
    sqlite3_stmt *st = db_stmt(db, sql);
    if (!st || db_bind(db, st, "i", meeting_id))
        return bti_error_code();
    return db_rows(db, st, non_reviewer_cols, bti_non_reviewer_cols.n, fn, arg, NULL);
}
