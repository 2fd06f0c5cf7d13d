/* Responsibility groups: members and meetings. */
#include <stdio.h>
#include "bti/case.h"
#include "bti/consent.h"
#include "bti/group.h"
#include "bti/text.h"
#include "store/store.h"
#include "checks.h"
#include "case_state.h"
#include "group.h"
#include "base/intl.h"

/* Check a member's texts (name and role required unless editing). */
static int check_member(const struct bti_group_in *in, int edit)
{
    int rc = in->name || !edit ? bti_text_check(in->name, BTI_TEXT_NAME, "--name") : 0;
    if (rc == 0 && (in->role || !edit))
        rc = bti_text_check(in->role, BTI_TEXT_LABEL, "--role");
    if (rc == 0 && in->org)
        rc = bti_text_check(in->org, BTI_TEXT_LABEL, "--org");
    return rc;
}

/* A member joins only under exchange consent covering their organisation or role. */
static int check_group_consent(struct bti_db *db, const struct bti_group_in *in, bti_date from)
{
    int covered = 0;
    int rc = in->org ? bti_consent_covers(db, in->case_id, "exchange", in->org, from, &covered) : 0;
    if (rc == 0 && !covered)
        rc = bti_consent_covers(db, in->case_id, "exchange", in->role, from, &covered);
    if (rc || covered)
        return rc;
    bti_error_set(BTI_ERULE,
                  _("case %lld has no active 'exchange' consent covering the member's "
                    "organisation or role"),
                  in->case_id);
    return bti_error_set_hint(_("record it with 'bti consent give CASE --scope exchange "
                                "--parties ...'"));
}

int bti_group_add(struct bti_db *db, const struct bti_group_in *in, long long *id, int *size)
{
    bti_date received, from = in->from == BTI_NO_DATE ? db->ctx.today : in->from;
    long long n = 0;
    int rc = check_member(in, 0);
    if (rc == 0)
        rc = case_allows(db, in->case_id, BTI_EV_GROUP_ADD);
    if (rc == 0)
        rc = case_received(db, in->case_id, &received);
    if (rc == 0)
        rc = check_event_date(db, from, received, "--date");
    if (rc == 0)
        rc = check_group_consent(db, in, from);
    if (rc == 0)
        rc = db_insert(db, "group_member", id,
                       "INSERT INTO group_member(case_id, name, role, org, from_date)"
                       " VALUES (?, ?, ?, ?, ?)",
                       "itttd", in->case_id, in->name, in->role, in->org, from);
    if (rc == 0)
        rc = db_int(db, &n,
                    "SELECT count(*) FROM group_member WHERE case_id = ?"
                    " AND to_date IS NULL",
                    "i", in->case_id);
    *size = (int)n;
    return rc;
}

/* A current member of the case's group; BTI_ENOTFOUND otherwise. */
static int member_of(struct bti_db *db, long long case_id, long long member_id)
{
    long long one;
    int rc = db_int(db, &one, "SELECT 1 FROM group_member WHERE id = ? AND case_id = ?", "ii",
                    member_id, case_id);
    return rc == BTI_ENOTFOUND ? bti_error_set(BTI_ENOTFOUND,
                                               _("no member %lld in the group of "
                                                 "case %lld"),
                                               member_id, case_id)
                               : rc;
}

int bti_group_remove(struct bti_db *db, long long case_id, long long member_id, bti_date date)
{
    bti_date from, to = BTI_NO_DATE, when = date == BTI_NO_DATE ? db->ctx.today : date;
    int rc = member_of(db, case_id, member_id);
    if (rc == 0)
        rc = row_date(db, "group_member", member_id, "to_date", &to);
    if (rc == 0 && to != BTI_NO_DATE)
        return bti_error_set(BTI_ERULE, _("member %lld has left the group already"), member_id);
    if (rc == 0)
        rc = row_date(db, "group_member", member_id, "from_date", &from);
    if (rc == 0)
        rc = check_event_date(db, when, from, "--date");
    return rc ? rc
              : db_update(db, "group_member", member_id, NULL,
                          "UPDATE group_member SET to_date = ? WHERE id = ?", "di", when,
                          member_id);
}

int bti_group_edit(struct bti_db *db, long long case_id, long long member_id,
                   const struct bti_group_in *in, const char *reason)
{
    int rc = check_member(in, 1);
    if (rc == 0)
        rc = bti_text_check(reason, BTI_TEXT_FREE, "--reason");
    if (rc == 0)
        rc = member_of(db, case_id, member_id);
    return rc ? rc
              : db_update(db, "group_member", member_id, reason,
                          "UPDATE group_member SET name = coalesce(?, name),"
                          " role = coalesce(?, role), org = coalesce(?, org) WHERE id = ?",
                          "ttti", in->name, in->role, in->org, member_id);
}

static const struct bti_col member_cols[] = {
    {"id", BTI_T_INT},   {"case_id", BTI_T_INT}, {"name", BTI_T_TEXT}, {"role", BTI_T_TEXT},
    {"org", BTI_T_TEXT}, {"from", BTI_T_DATE},   {"to", BTI_T_DATE},
};
const struct bti_cols bti_group_cols = BTI_COLS(member_cols);

#define MEMBER_SELECT "SELECT id, case_id, name, role, org, from_date, to_date FROM group_member"

int bti_group_list(struct bti_db *db, long long case_id, bti_row_fn fn, void *arg)
{
    static const char sql[] = MEMBER_SELECT " WHERE case_id = ? ORDER BY id";
    int rc = bti_case_state(db, case_id, NULL);
    sqlite3_stmt *st = rc ? NULL : db_stmt(db, sql);
    if (rc == 0 && (!st || db_bind(db, st, "i", case_id)))
        rc = bti_error_code();
    return rc ? rc : db_rows_logged(db, st, &bti_group_cols, fn, arg, "group_member");
}

int bti_group_meeting(struct bti_db *db, long long case_id, bti_date date, const char *minutes,
                      long long *id)
{
    static const char leader[] = "SELECT coordinator_id FROM assignment WHERE case_id = ?"
                                 " AND end IS NULL ORDER BY kind = 'child', NOT temporary, id"
                                 " LIMIT 1"; /* a stand-in leads while it runs */
    bti_date received, when = date == BTI_NO_DATE ? db->ctx.today : date;
    long long led_by;
    int rc = minutes ? bti_text_check(minutes, BTI_TEXT_LABEL, "--minutes") : 0;
    if (rc == 0)
        rc = case_received(db, case_id, &received);
    if (rc == 0)
        rc = check_event_date(db, when, received, "--date");
    if (rc) /* before the leader's lookup, whose "not found" means no coordinator */
        return rc;
    rc = db_int(db, &led_by, leader, "i", case_id);
    if (rc == BTI_ENOTFOUND) {
        bti_error_set(BTI_ERULE, _("case %lld has no running coordinator to lead the meeting"),
                      case_id);
        return bti_error_set_hint(_("appoint one with 'bti coordinator assign'"));
    }
    if (rc == 0)
        rc = db_insert(db, "group_meeting", id,
                       "INSERT INTO group_meeting(case_id, held, led_by, minutes)"
                       " VALUES (?, ?, ?, ?)",
                       "idit", case_id, when, led_by, minutes);
    return rc;
}

int bti_group_minutes(struct bti_db *db, long long case_id, long long meeting_id,
                      const char *minutes)
{
    long long missing;
    int rc = bti_text_check(minutes, BTI_TEXT_LABEL, "--minutes");
    if (rc == 0)
        rc = db_int(db, &missing,
                    "SELECT minutes IS NULL FROM group_meeting"
                    " WHERE id = ? AND case_id = ?",
                    "ii", meeting_id, case_id);
    if (rc == BTI_ENOTFOUND)
        return bti_error_set(BTI_ENOTFOUND, _("no group meeting %lld in case %lld"), meeting_id,
                             case_id);
    if (rc == 0 && !missing)
        return bti_error_set(BTI_ERULE, _("group meeting %lld has its minutes already"),
                             meeting_id);
    return rc ? rc
              : db_update(db, "group_meeting", meeting_id, NULL,
                          "UPDATE group_meeting SET minutes = ? WHERE id = ?", "ti", minutes,
                          meeting_id);
}

cJSON *group_object(struct bti_db *db, long long case_id)
{
    static const char members[] = MEMBER_SELECT " WHERE case_id = ? ORDER BY id";
    static const char meetings[] = "SELECT m.id, m.held, m.led_by, k.name, m.minutes"
                                   " FROM group_meeting m JOIN coordinator k ON k.id = m.led_by"
                                   " WHERE m.case_id = ? ORDER BY m.id";
    static const struct bti_col mcols[] = {{"id", BTI_T_INT},
                                           {"held", BTI_T_DATE},
                                           {"coordinator_id", BTI_T_INT},
                                           {"coordinator", BTI_T_TEXT},
                                           {"minutes", BTI_T_TEXT}};
    cJSON *obj = cJSON_CreateObject();
    cJSON *m = db_array(db, db_stmt(db, members), member_cols, 7, "i", case_id);
    cJSON *g = m ? db_array(db, db_stmt(db, meetings), mcols, 5, "i", case_id) : NULL;
    if (!obj || !m || !g) {
        cJSON_Delete(obj), cJSON_Delete(m), cJSON_Delete(g);
        return NULL;
    }
    cJSON_AddItemToObject(obj, "members", m);
    cJSON_AddItemToObject(obj, "meetings", g);
    return obj;
}
