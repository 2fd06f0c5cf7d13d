/*
 * bti ke: the KE's own work: members, meetings and their agenda, case
 * reviews, escalations, decisions and their notification, preliminary
 * replies, appeals, and the coordinators' handbook.
 */
#include <stdlib.h>
#include "base/intl.h"
#include "bti/decision.h"
#include "bti/error.h"
#include "bti/ke.h"
#include "cmd.h"

/* The summary of a lifecycle step: the states, and a deadline it set. */
static void step_summary(struct cmd_ctx *c, long long case_id, const struct bti_step *s,
                         const char *what)
{
    char d[BTI_DATE_BUF];
    cmd_summary(c, _("case %lld: %s -> %s; %s%s%s"), case_id, cmd_state_word(s->before),
                cmd_state_word(s->after), what, s->deadline != BTI_NO_DATE ? _("; appeal by ") : "",
                s->deadline != BTI_NO_DATE ? bti_date_format(s->deadline, d) : "");
}

/* The options of ke member add. */
struct member_args {
    const char *name, *role;
    int no_reviews;
};

/* ke member add --name NAME --role ROLE [--no-case-reviews] */
static int member_add(struct cmd_ctx *c, int argc, char **argv)
{
    struct member_args a = {0};
    long long id;
    int rc = cmd_read_options(c, argc, argv, &a);
    if (rc == 0)
        rc = cmd_args(c, argc, argv, 0, NULL, "");
    if (rc == 0)
        rc = bti_member_add(c->db, a.name, a.role, !a.no_reviews, &id);
    if (rc)
        return rc;
    cmd_summary(c, _("KE member %lld: added"), id);
    return cmd_created(c, "ke_member", id);
}

/* ke member list */
static int member_list(struct cmd_ctx *c, int argc, char **argv)
{
    return cmd_list_all(c, argc, argv, &bti_member_cols, bti_member_list);
}

/* The options of ke meeting add. */
struct meeting_args {
    bti_date held;
    struct cmd_list attendees;
};

/* ke meeting add [--date DATE] [--attendee MEMBER]... */
static int meeting_add(struct cmd_ctx *c, int argc, char **argv)
{
    struct meeting_args a = {.held = BTI_NO_DATE};
    long long id;
    int rc = cmd_read_options(c, argc, argv, &a);
    if (rc == 0 && a.attendees.n > 64)
        rc = bti_error_set(BTI_EUSAGE, _("at most 64 attendees"));
    if (rc == 0)
        rc = cmd_args(c, argc, argv, 0, NULL, "");
    if (rc == 0)
        rc = bti_meeting_add(c->db, a.held, a.attendees.v, a.attendees.n, &id);
    if (rc)
        return rc;
    cmd_summary(c, _("KE meeting %lld: added with %zu attendees"), id, a.attendees.n);
    return cmd_created(c, "ke_meeting", id);
}

/* ke meeting list */
static int meeting_list(struct cmd_ctx *c, int argc, char **argv)
{
    return cmd_list_all(c, argc, argv, &bti_meeting_cols, bti_meeting_list);
}

/* ke meeting show MEETING */
static int meeting_show(struct cmd_ctx *c, int argc, char **argv)
{
    char *arg;
    long long id;
    cJSON *obj;
    int rc = cmd_plain(c, argc, argv, 1, &arg, "MEETING");
    if (rc == 0)
        rc = cmd_id(arg, "MEETING", &id);
    if (rc == 0)
        rc = bti_meeting_show(c->db, id, &obj);
    return rc ? rc : cmd_object(c, obj);
}

/* ke meeting agenda [MEETING] */
static int meeting_agenda(struct cmd_ctx *c, int argc, char **argv)
{
    long long id = 0;
    int rc = cmd_read_options(c, argc, argv, NULL);
    if (rc == 0 && argc - optind > 0)
        rc = cmd_id_arg(c, argc, argv, "MEETING", &id);
    struct out_list *l = rc ? NULL : cmd_list_begin(c, &bti_agenda_cols);
    return rc ? rc : cmd_list_end(l, l ? bti_meeting_agenda(c->db, id, out_list_row, l) : 0);
}

/* Warn about one attending member who takes no part in case reviews. */
static int warn_non_reviewer(const struct bti_row *row, void *arg)
{
    struct cmd_ctx *c = arg;
    cmd_warning(c,
                _("KE member %lld (role '%s') takes no part in case reviews but attended the "
                  "meeting of this identified review"),
                row->vals[0].i, row->vals[1].s);
    return 0;
}

/* ke review CASE --meeting ID --note CONCLUSION [--journal DATE] [--anonymous] */
static int ke_review(struct cmd_ctx *c, int argc, char **argv)
{
    struct bti_review_in in = {.journal = BTI_NO_DATE};
    struct bti_step s = {.deadline = BTI_NO_DATE};
    long long id;
    int rc = cmd_read_options(c, argc, argv, &in);
    if (rc == 0)
        rc = cmd_case(c, argc, argv, &in.case_id);
    if (rc == 0)
        rc = bti_review_add(c->db, &in, &id, &s.before, &s.after);
    if (rc == 0 && !in.anonymous)
        rc = bti_meeting_non_reviewers(c->db, in.meeting_id, warn_non_reviewer, c);
    if (rc)
        return rc;
    step_summary(c, in.case_id, &s, in.anonymous ? _("reviewed anonymously") : _("reviewed"));
    return cmd_created(c, "review", id);
}

/* ke escalate CASE --note TEXT [--date DATE] */
static int ke_escalate(struct cmd_ctx *c, int argc, char **argv)
{
    struct bti_escalation_in in = {.date = BTI_NO_DATE};
    enum bti_state state;
    long long id;
    int rc = cmd_read_options(c, argc, argv, &in);
    if (rc == 0)
        rc = cmd_case(c, argc, argv, &in.case_id);
    if (rc == 0)
        rc = bti_escalate(c->db, &in, &id, &state);
    if (rc)
        return rc;
    cmd_summary(c,
                _("case %lld: %s -> %s; escalation %lld on the KE's agenda until a review follows"),
                in.case_id, cmd_state_word(state), cmd_state_word(state), id);
    return cmd_created(c, "escalation", id);
}

/* The options of ke decide: a decision, or the one --void voids. */
struct decide_args {
    struct bti_decide_in in;
    int deny;          /* --deny: in.grant stays 0 */
    long long void_id; /* --void DECISION */
};

/* ke decide CASE (--grant --unit UNIT | --deny --reason TEXT | --void DECISION --reason TEXT) */
static int ke_decide(struct cmd_ctx *c, int argc, char **argv)
{
    struct decide_args a = {.in = {.decided = BTI_NO_DATE, .notified = BTI_NO_DATE}};
    struct bti_decide_in *in = &a.in;
    struct bti_step s = {.deadline = BTI_NO_DATE};
    long long id = 0;
    char what[96];
    int rc = cmd_read_options(c, argc, argv, &a);
    if (rc == 0)
        rc = cmd_case(c, argc, argv, &in->case_id);
    if (rc == 0 && a.void_id)
        rc = bti_decision_void(c->db, in->case_id, a.void_id, in->reason, &s);
    else if (rc == 0)
        rc = bti_decide(c->db, in, &id, &s);
    if (rc)
        return rc;
    if (a.void_id)
        snprintf(what, sizeof what, _("decision %lld voided"), a.void_id);
    else
        snprintf(what, sizeof what, _("decision %lld: %s%s"), id,
                 in->grant ? _("granted") : _("denied"),
                 in->notified == BTI_NO_DATE ? _(" (not yet notified)") : "");
    step_summary(c, in->case_id, &s, what);
    return a.void_id ? 0 : cmd_created(c, "decision", id);
}

/* The options --decision and --date shared by several ke verbs. */
struct decision_date {
    long long decision; /* 0: the case's latest */
    bti_date date;
};

/* ke notify CASE [--decision ID] --date DATE */
static int ke_notify(struct cmd_ctx *c, int argc, char **argv)
{
    struct decision_date a = {.date = BTI_NO_DATE};
    long long case_id, id;
    struct bti_step s;
    char what[96];
    int rc = cmd_read_options(c, argc, argv, &a);
    if (rc == 0)
        rc = cmd_case(c, argc, argv, &case_id);
    if (rc == 0 && a.date == BTI_NO_DATE)
        rc = bti_error_set(BTI_EUSAGE, _("ke notify needs --date"));
    if (rc == 0)
        rc = bti_decision_notify(c->db, case_id, a.decision, a.date, &id, &s);
    if (rc)
        return rc;
    snprintf(what, sizeof what, _("decision %lld notified"), id);
    step_summary(c, case_id, &s, what);
    return 0;
}

/* ke reply CASE [--date DATE] */
static int ke_reply(struct cmd_ctx *c, int argc, char **argv)
{
    long long case_id, id;
    bti_date date = BTI_NO_DATE;
    int rc = cmd_read_options(c, argc, argv, &date);
    if (rc == 0)
        rc = cmd_case(c, argc, argv, &case_id);
    if (rc == 0)
        rc = bti_reply_add(c->db, case_id, date, &id);
    if (rc)
        return rc;
    cmd_summary(c, _("case %lld: preliminary reply %lld recorded"), case_id, id);
    return cmd_created(c, "preliminary_reply", id);
}

/* ke appeal CASE [--decision ID] [--date DATE] [--posted DATE] [--late-reason TEXT] */
static int ke_appeal(struct cmd_ctx *c, int argc, char **argv)
{
    struct bti_appeal_in in = {.received = BTI_NO_DATE, .posted = BTI_NO_DATE};
    struct bti_step s;
    long long id;
    char what[80];
    int rc = cmd_read_options(c, argc, argv, &in);
    if (rc == 0)
        rc = cmd_case(c, argc, argv, &in.case_id);
    if (rc == 0)
        rc = bti_appeal_add(c->db, &in, &id, &s);
    if (rc)
        return rc;
    snprintf(what, sizeof what, _("appeal %lld recorded%s"), id,
             s.late           ? _(" (late)")
             : in.late_reason ? _(" (in time: the late reason is not kept)")
                              : "");
    step_summary(c, in.case_id, &s, what);
    return cmd_created(c, "appeal", id);
}

/* ke appeal-forward CASE [--decision ID] [--date DATE] */
static int ke_appeal_forward(struct cmd_ctx *c, int argc, char **argv)
{
    struct decision_date a = {.date = BTI_NO_DATE};
    long long case_id, id;
    int rc = cmd_read_options(c, argc, argv, &a);
    if (rc == 0)
        rc = cmd_case(c, argc, argv, &case_id);
    if (rc == 0)
        rc = bti_appeal_forward(c->db, case_id, a.decision, a.date, &id);
    if (rc == 0)
        cmd_summary(c, _("case %lld: appeal %lld forwarded to statsforvalteren"), case_id, id);
    return rc;
}

/* ke appeal-result CASE [--decision ID] (--reversed --unit U | --upheld | --quashed) */
static int ke_appeal_result(struct cmd_ctx *c, int argc, char **argv)
{
    struct bti_appeal_result_in in = {.date = BTI_NO_DATE};
    struct bti_step s;
    long long id;
    char what[96];
    int rc = cmd_read_options(c, argc, argv, &in);
    if (rc == 0)
        rc = cmd_case(c, argc, argv, &in.case_id);
    if (rc == 0)
        rc = bti_appeal_result(c->db, &in, &id, &s);
    if (rc)
        return rc;
    snprintf(what, sizeof what, _("appeal %lld %s"), id, out_value("result", in.result));
    step_summary(c, in.case_id, &s, what);
    return 0;
}

/* ke journal REVIEW --date DATE */
static int ke_journal(struct cmd_ctx *c, int argc, char **argv)
{
    bti_date date = BTI_NO_DATE;
    long long id;
    int rc = cmd_read_options(c, argc, argv, &date);
    if (rc == 0)
        rc = cmd_id_arg(c, argc, argv, "REVIEW", &id);
    if (rc == 0)
        rc = bti_review_journal(c->db, id, date);
    if (rc == 0)
        cmd_summary(c, _("review %lld: journal note recorded"), id);
    return rc;
}

/* ke handbook [--date DATE] [--note TEXT] */
static int ke_handbook(struct cmd_ctx *c, int argc, char **argv)
{
    struct cmd_date_note e;
    long long id;
    int rc = cmd_date_note(c, argc, argv, &e);
    if (rc == 0)
        rc = bti_handbook_add(c->db, e.date, e.note, &id);
    if (rc)
        return rc;
    cmd_summary(c, _("handbook update %lld recorded"), id);
    return cmd_created(c, "handbook", id);
}

static const struct cmd_option member_opts[] = {
    {"name", KIND_NAME, offsetof(struct member_args, name), N_("the member's name"), OPT_REQUIRED,
     NULL, NULL},
    {"role", KIND_TEXT, offsetof(struct member_args, role), N_("the member's role in the KE"),
     OPT_REQUIRED, NULL, NULL},
    {"no-case-reviews", KIND_FLAG, offsetof(struct member_args, no_reviews),
     N_("the member takes no part in case reviews"), 0, NULL, NULL},
    {0}};
static const struct cmd_option meeting_opts[] = {
    {"date", KIND_DATE, offsetof(struct meeting_args, held),
     N_("the day of the meeting (default today)"), 0, NULL, NULL},
    {"attendee", KIND_NAME, offsetof(struct meeting_args, attendees),
     N_("a member who attended, by name (repeatable)"), 0, NULL, cmd_read_list},
    {0}};
static const struct cmd_option escalate_opts[] = {
    {"note", KIND_TEXT, offsetof(struct bti_escalation_in, note),
     N_("why the case goes back to the KE"), OPT_REQUIRED, NULL, NULL},
    {"date", KIND_DATE, offsetof(struct bti_escalation_in, date),
     N_("the day it was escalated (default today)"), 0, NULL, NULL},
    {0}};
#define REVIEW(field) offsetof(struct bti_review_in, field)
static const struct cmd_option review_opts[] = {
    {"meeting", KIND_ID, REVIEW(meeting_id), N_("the KE meeting that reviewed the case"),
     OPT_REQUIRED, NULL, NULL},
    {"note", KIND_TEXT, REVIEW(conclusion), N_("the conclusion"), OPT_REQUIRED, NULL, NULL},
    {"journal", KIND_DATE, REVIEW(journal), N_("the day the conclusion was journalled"), 0, NULL,
     NULL},
    {"anonymous", KIND_FLAG, REVIEW(anonymous), N_("reviewed without the person's name"), 0, NULL,
     NULL},
    {0}};
#define DECIDE(field) offsetof(struct decide_args, field)
static const struct cmd_option decide_opts[] = {
    {"grant", KIND_FLAG, DECIDE(in.grant), N_("grant a coordinator or plan"), OPT_ONE_OF, NULL,
     NULL},
    {"deny", KIND_FLAG, DECIDE(deny), N_("deny it"), OPT_ONE_OF, NULL, NULL},
    {"void", KIND_ID, DECIDE(void_id), N_("void this decision made in error"), OPT_ONE_OF, NULL,
     NULL},
    {"unit", KIND_UNIT, DECIDE(in.unit_id), N_("the unit responsible for a grant, by id or name"),
     0, NULL, NULL},
    {"reason", KIND_TEXT, DECIDE(in.reason), N_("why it is denied or voided"), 0, NULL, NULL},
    {"covers", KIND_TEXT, DECIDE(in.covers), N_("what the decision covers, comma-separated"), 0,
     NULL, cmd_read_word},
    {"basis", KIND_TEXT, DECIDE(in.basis),
     N_("the legal bases, comma-separated codes (bti basis list)"), 0, NULL, cmd_read_word},
    {"date", KIND_DATE, DECIDE(in.decided), N_("the day of the decision (default today)"), 0, NULL,
     NULL},
    {"notified", KIND_DATE, DECIDE(in.notified), N_("the day the user was notified"), 0, NULL,
     NULL},
    {0}};
static const struct cmd_option notify_opts[] = {
    {"decision", KIND_ID, offsetof(struct decision_date, decision),
     N_("which decision (default the case's latest)"), 0, NULL, NULL},
    {"date", KIND_DATE, offsetof(struct decision_date, date),
     N_("the day the user was notified or the appeal forwarded"), 0, NULL, NULL},
    {0}};
static const struct cmd_option reply_opts[] = {
    {"date", KIND_DATE, 0, N_("the day the reply was sent (default today)"), 0, NULL, NULL}, {0}};
static const struct cmd_option journal_opts[] = {
    {"date", KIND_DATE, 0, N_("the day the conclusion was journalled"), OPT_REQUIRED, NULL, NULL},
    {0}};
#define APPEAL(field) offsetof(struct bti_appeal_in, field)
static const struct cmd_option appeal_opts[] = {
    {"decision", KIND_ID, APPEAL(decision_id), N_("which decision (default the case's latest)"), 0,
     NULL, NULL},
    {"date", KIND_DATE, APPEAL(received), N_("the day the appeal arrived (default today)"), 0, NULL,
     NULL},
    {"posted", KIND_DATE, APPEAL(posted), N_("the day the user posted or sent the appeal"), 0, NULL,
     NULL},
    {"late-reason", KIND_TEXT, APPEAL(late_reason), N_("why a late appeal is taken all the same"),
     0, NULL, NULL},
    {0}};
#define RESULT(field) offsetof(struct bti_appeal_result_in, field)
static const struct cmd_option result_opts[] = {
    {"reversed", KIND_FLAG, RESULT(result), N_("the decision was reversed: a grant"), OPT_ONE_OF,
     NULL, cmd_read_choice},
    {"upheld", KIND_FLAG, RESULT(result), N_("the decision was upheld"), OPT_ONE_OF, NULL,
     cmd_read_choice},
    {"quashed", KIND_FLAG, RESULT(result), N_("the decision was quashed: the KE decides again"),
     OPT_ONE_OF, NULL, cmd_read_choice},
    {"unit", KIND_UNIT, RESULT(unit_id), N_("the unit responsible after a reversal, by id or name"),
     0, NULL, NULL},
    {"by", KIND_WORD, RESULT(by), N_("who decided the appeal"), 0, NULL, NULL},
    {"decision", KIND_ID, RESULT(decision_id), N_("which decision (default the case's latest)"), 0,
     NULL, NULL},
    {"date", KIND_DATE, RESULT(date), N_("the day of the result (default today)"), 0, NULL, NULL},
    {0}};
static const struct cmd_option handbook_opts[] = {
    {"date", KIND_DATE, offsetof(struct cmd_date_note, date),
     N_("the day of the update (default today)"), 0, NULL, NULL},
    {"note", KIND_TEXT, offsetof(struct cmd_date_note, note), N_("what changed"), 0, NULL, NULL},
    {0}};

#define W (CMD_DB | CMD_WRITE)
#define CW BTI_ROLE_CASEWORKER

static const struct cmd_verb verbs[] = {
    {"member add", member_add, W, CW, "ke member add --name NAME --role ROLE [--no-case-reviews]",
     N_("add a member of the KE"), member_opts},
    {"member list", member_list, CMD_DB | CMD_PAGER, CW, "ke member list",
     N_("list the KE's members"), NULL},
    {"meeting add", meeting_add, W, CW, "ke meeting add [--date DATE] [--attendee MEMBER]...",
     N_("record a KE meeting and who attended"), meeting_opts},
    {"meeting list", meeting_list, CMD_DB | CMD_PAGER, CW, "ke meeting list",
     N_("list the KE's meetings"), NULL},
    {"meeting show", meeting_show, CMD_DB | CMD_LOGS | CMD_PAGER, CW, "ke meeting show MEETING",
     N_("a meeting, its attendees and reviews (anonymous ones without case)"), NULL},
    {"meeting agenda", meeting_agenda, CMD_DB | CMD_PAGER, CW, "ke meeting agenda [MEETING]",
     N_("what a KE meeting should take: new cases, escalations, appeals, quashed decisions"), NULL},
    {"escalate", ke_escalate, W, CW, "ke escalate CASE --note TEXT [--date DATE]",
     N_("record a problem a coordinator cannot solve at service level; it goes on the agenda"),
     escalate_opts},
    {"review", ke_review, W, CW,
     "ke review CASE --meeting ID --note CONCLUSION [--journal DATE] [--anonymous]",
     N_("record that the KE discussed a case, and its conclusion"), review_opts},
    {"journal", ke_journal, W, CW, "ke journal REVIEW --date DATE",
     N_("record the date a review's journal note was written in the EHR"), journal_opts},
    {"decide", ke_decide, W, CW,
     "ke decide CASE (--grant --unit UNIT | --deny --reason TEXT) [--covers ITEMS] "
     "[--basis CODES] [--date DATE] [--notified DATE] | ke decide CASE --void DECISION "
     "--reason TEXT",
     N_("register a decision (enkeltvedtak) on requested items, or void one"), decide_opts},
    {"notify", ke_notify, W, CW, "ke notify CASE [--decision ID] --date DATE",
     N_("record when a decision was notified; its appeal deadline runs from then"), notify_opts},
    {"reply", ke_reply, W, CW, "ke reply CASE [--date DATE]",
     N_("record the preliminary reply (foreløpig svar)"), reply_opts},
    {"appeal", ke_appeal, W, CW,
     "ke appeal CASE [--decision ID] [--date DATE] [--posted DATE] [--late-reason TEXT]",
     N_("record an appeal (klage) of a decision"), appeal_opts},
    {"appeal-forward", ke_appeal_forward, W, CW,
     "ke appeal-forward CASE [--decision ID] [--date DATE]",
     N_("record that an appeal went to statsforvalteren"), notify_opts},
    {"appeal-result", ke_appeal_result, W, CW,
     "ke appeal-result CASE [--decision ID] (--reversed --unit UNIT | --upheld | --quashed) "
     "[--by ke|statsforvalteren] [--date DATE]",
     N_("record the result of an appeal"), result_opts},
    {"handbook", ke_handbook, W, CW, "ke handbook [--date DATE] [--note TEXT]",
     N_("record an update of the coordinators' handbook"), handbook_opts},
};
const struct cmd_group cmd_ke_group = CMD_GROUP("ke",
                                                N_("the KE's meetings, reviews, decisions "
                                                   "and appeals"),
                                                verbs);
