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

/* ke member add --name NAME --role ROLE [--no-case-reviews] */
static int member_add(struct cmd_ctx *c, int argc, char **argv)
{
    const char *name = NULL, *role = NULL;
    int reviews = 1, opt, rc = 0;
    long long id;
    while (rc == 0 && (opt = cmd_opt(c, argc, argv)) != -1) {
        switch (opt) {
        case 'n': rc = cmd_text(c, optarg, &name); break;
        case 'r': rc = cmd_text(c, optarg, &role); break;
        case 'x': reviews = 0; break;
        default: return cmd_bad_option(c, opt, argv);
        }
    }
    if (rc == 0)
        rc = cmd_args(c, argc, argv, 0, NULL, "");
    if (rc == 0)
        rc = bti_member_add(c->db, name, role, reviews, &id);
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

/* ke meeting add [--date DATE] [--attendee MEMBER]... */
static int meeting_add(struct cmd_ctx *c, int argc, char **argv)
{
    const char *attendees[64];
    size_t n = 0;
    bti_date held = BTI_NO_DATE;
    long long id;
    int opt, rc = 0;
    while (rc == 0 && (opt = cmd_opt(c, argc, argv)) != -1) {
        if (opt == 'd')
            rc = cmd_date(c, optarg, "--date", &held);
        else if (opt == 'a' && n < 64)
            rc = cmd_text(c, optarg, &attendees[n++]);
        else if (opt == 'a')
            rc = bti_error_set(BTI_EUSAGE, _("at most 64 attendees"));
        else
            return cmd_bad_option(c, opt, argv);
    }
    if (rc == 0)
        rc = cmd_args(c, argc, argv, 0, NULL, "");
    if (rc == 0)
        rc = bti_meeting_add(c->db, held, attendees, n, &id);
    if (rc)
        return rc;
    cmd_summary(c, _("KE meeting %lld: added with %zu attendees"), id, n);
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
    int opt = cmd_opt(c, argc, argv);
    int rc = opt != -1 ? cmd_bad_option(c, opt, argv) : 0;
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
    int opt, rc = 0;
    while (rc == 0 && (opt = cmd_opt(c, argc, argv)) != -1) {
        switch (opt) {
        case 'm': rc = cmd_id(optarg, "--meeting", &in.meeting_id); break;
        case 'n': rc = cmd_text(c, optarg, &in.conclusion); break;
        case 'j': rc = cmd_date(c, optarg, "--journal", &in.journal); break;
        case 'a': in.anonymous = 1; break;
        default: return cmd_bad_option(c, opt, argv);
        }
    }
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
    int opt, rc = 0;
    while (rc == 0 && (opt = cmd_opt(c, argc, argv)) != -1) {
        if (opt == 'n')
            rc = cmd_text(c, optarg, &in.note);
        else if (opt == 'd')
            rc = cmd_date(c, optarg, "--date", &in.date);
        else
            return cmd_bad_option(c, opt, argv);
    }
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

/* Read one option of ke decide into in (and *void_id for --void). */
static int decide_option(struct cmd_ctx *c, int opt, char **argv, struct bti_decide_in *in,
                         int *mode, long long *void_id)
{
    switch (opt) {
    case 'g':
        *mode |= 1;
        in->grant = 1;
        return 0;
    case 'D': *mode |= 2; return 0;
    case 'V': *mode |= 4; return cmd_id(optarg, "--void", void_id);
    case 'u': return cmd_unit(c, optarg, &in->unit_id);
    case 'r': return cmd_text(c, optarg, &in->reason);
    case 'c': in->covers = optarg; return 0;
    case 'b': in->basis = optarg; return 0;
    case 'd': return cmd_date(c, optarg, "--date", &in->decided);
    case 'n': return cmd_date(c, optarg, "--notified", &in->notified);
    default: return cmd_bad_option(c, opt, argv);
    }
}

/* ke decide CASE (--grant --unit UNIT | --deny --reason TEXT | --void DECISION --reason TEXT) */
static int ke_decide(struct cmd_ctx *c, int argc, char **argv)
{
    struct bti_decide_in in = {.decided = BTI_NO_DATE, .notified = BTI_NO_DATE};
    struct bti_step s = {.deadline = BTI_NO_DATE};
    long long id = 0, void_id = 0;
    int mode = 0, opt, rc = 0;
    char what[96];
    while (rc == 0 && (opt = cmd_opt(c, argc, argv)) != -1)
        rc = decide_option(c, opt, argv, &in, &mode, &void_id);
    if (rc == 0)
        rc = cmd_case(c, argc, argv, &in.case_id);
    if (rc == 0 && mode == 4)
        rc = bti_decision_void(c->db, in.case_id, void_id, in.reason, &s);
    else if (rc == 0)
        rc = bti_decide(c->db, &in, &id, &s);
    if (rc)
        return rc;
    if (mode == 4)
        snprintf(what, sizeof what, _("decision %lld voided"), void_id);
    else
        snprintf(what, sizeof what, _("decision %lld: %s%s"), id,
                 in.grant ? _("granted") : _("denied"),
                 in.notified == BTI_NO_DATE ? _(" (not yet notified)") : "");
    step_summary(c, in.case_id, &s, what);
    return mode == 4 ? 0 : cmd_created(c, "decision", id);
}

/* Read the --decision and --date options shared by several ke verbs. */
static int decision_date_opts(struct cmd_ctx *c, int argc, char **argv, long long *decision,
                              bti_date *date)
{
    int opt, rc = 0;
    while (rc == 0 && (opt = cmd_opt(c, argc, argv)) != -1) {
        if (opt == 'i')
            rc = cmd_id(optarg, "--decision", decision);
        else if (opt == 'd')
            rc = cmd_date(c, optarg, "--date", date);
        else
            return cmd_bad_option(c, opt, argv);
    }
    return rc;
}

/* ke notify CASE [--decision ID] --date DATE */
static int ke_notify(struct cmd_ctx *c, int argc, char **argv)
{
    long long case_id, decision = 0, id;
    bti_date date = BTI_NO_DATE;
    struct bti_step s;
    char what[96];
    int rc = decision_date_opts(c, argc, argv, &decision, &date);
    if (rc == 0)
        rc = cmd_case(c, argc, argv, &case_id);
    if (rc == 0 && date == BTI_NO_DATE)
        rc = bti_error_set(BTI_EUSAGE, _("ke notify needs --date"));
    if (rc == 0)
        rc = bti_decision_notify(c->db, case_id, decision, date, &id, &s);
    if (rc)
        return rc;
    snprintf(what, sizeof what, _("decision %lld notified"), id);
    step_summary(c, case_id, &s, what);
    return 0;
}

/* ke reply CASE [--date DATE] */
static int ke_reply(struct cmd_ctx *c, int argc, char **argv)
{
    long long case_id, id, none = 0;
    bti_date date = BTI_NO_DATE;
    int rc = decision_date_opts(c, argc, argv, &none, &date); /* --decision is not in its table */
    if (rc == 0)
        rc = cmd_case(c, argc, argv, &case_id);
    if (rc == 0)
        rc = bti_reply_add(c->db, case_id, date, &id);
    if (rc)
        return rc;
    cmd_summary(c, _("case %lld: preliminary reply %lld recorded"), case_id, id);
    return cmd_created(c, "preliminary_reply", id);
}

/* Read the options of ke appeal into in. */
static int appeal_opts_read(struct cmd_ctx *c, int argc, char **argv, struct bti_appeal_in *in)
{
    int opt, rc = 0;
    while (rc == 0 && (opt = cmd_opt(c, argc, argv)) != -1) {
        switch (opt) {
        case 'i': rc = cmd_id(optarg, "--decision", &in->decision_id); break;
        case 'd': rc = cmd_date(c, optarg, "--date", &in->received); break;
        case 'p': rc = cmd_date(c, optarg, "--posted", &in->posted); break;
        case 'l': rc = cmd_text(c, optarg, &in->late_reason); break;
        default: return cmd_bad_option(c, opt, argv);
        }
    }
    return rc;
}

/* ke appeal CASE [--decision ID] [--date DATE] [--posted DATE] [--late-reason TEXT] */
static int ke_appeal(struct cmd_ctx *c, int argc, char **argv)
{
    struct bti_appeal_in in = {.received = BTI_NO_DATE, .posted = BTI_NO_DATE};
    struct bti_step s;
    long long id;
    char what[80];
    int rc = appeal_opts_read(c, argc, argv, &in);
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
    long long case_id, decision = 0, id;
    bti_date date = BTI_NO_DATE;
    int rc = decision_date_opts(c, argc, argv, &decision, &date);
    if (rc == 0)
        rc = cmd_case(c, argc, argv, &case_id);
    if (rc == 0)
        rc = bti_appeal_forward(c->db, case_id, decision, date, &id);
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
    int opt, rc = 0;
    char what[96];
    while (rc == 0 && (opt = cmd_opt(c, argc, argv)) != -1) {
        switch (opt) {
        case 'R': in.result = "reversed"; break;
        case 'U': in.result = "upheld"; break;
        case 'Q': in.result = "quashed"; break;
        case 'u': rc = cmd_unit(c, optarg, &in.unit_id); break;
        case 'b': in.by = optarg; break;
        case 'i': rc = cmd_id(optarg, "--decision", &in.decision_id); break;
        case 'd': rc = cmd_date(c, optarg, "--date", &in.date); break;
        default: return cmd_bad_option(c, opt, argv);
        }
    }
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
    int opt, rc = 0;
    while (rc == 0 && (opt = cmd_opt(c, argc, argv)) != -1)
        rc = opt == 'd' ? cmd_date(c, optarg, "--date", &date) : cmd_bad_option(c, opt, argv);
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
    bti_date date = BTI_NO_DATE;
    const char *note = NULL;
    long long id;
    int rc = cmd_date_note(c, argc, argv, &date, &note);
    if (rc == 0)
        rc = bti_handbook_add(c->db, date, note, &id);
    if (rc)
        return rc;
    cmd_summary(c, _("handbook update %lld recorded"), id);
    return cmd_created(c, "handbook", id);
}

static const struct cmd_option member_opts[] = {
    {"name", KIND_NAME, 'n', N_("the member's name"), OPT_REQUIRED, NULL},
    {"role", KIND_TEXT, 'r', N_("the member's role in the KE"), OPT_REQUIRED, NULL},
    {"no-case-reviews", KIND_FLAG, 'x', N_("the member takes no part in case reviews"), 0, NULL},
    {0, 0, 0, 0, 0, 0}};
static const struct cmd_option meeting_opts[] = {
    {"date", KIND_DATE, 'd', N_("the day of the meeting (default today)"), 0, NULL},
    {"attendee", KIND_NAME, 'a', N_("a member who attended, by name (repeatable)"), 0, NULL},
    {0, 0, 0, 0, 0, 0}};
static const struct cmd_option escalate_opts[] = {
    {"note", KIND_TEXT, 'n', N_("why the case goes back to the KE"), OPT_REQUIRED, NULL},
    {"date", KIND_DATE, 'd', N_("the day it was escalated (default today)"), 0, NULL},
    {0, 0, 0, 0, 0, 0}};
static const struct cmd_option review_opts[] = {
    {"meeting", KIND_ID, 'm', N_("the KE meeting that reviewed the case"), OPT_REQUIRED, NULL},
    {"note", KIND_TEXT, 'n', N_("the conclusion"), OPT_REQUIRED, NULL},
    {"journal", KIND_DATE, 'j', N_("the day the conclusion was journalled"), 0, NULL},
    {"anonymous", KIND_FLAG, 'a', N_("reviewed without the person's name"), 0, NULL},
    {0, 0, 0, 0, 0, 0}};
static const struct cmd_option decide_opts[] = {
    {"grant", KIND_FLAG, 'g', N_("grant a coordinator or plan"), OPT_ONE_OF, NULL},
    {"deny", KIND_FLAG, 'D', N_("deny it"), OPT_ONE_OF, NULL},
    {"void", KIND_ID, 'V', N_("void this decision made in error"), OPT_ONE_OF, NULL},
    {"unit", KIND_UNIT, 'u', N_("the unit responsible for a grant, by id or name"), 0, NULL},
    {"reason", KIND_TEXT, 'r', N_("why it is denied or voided"), 0, NULL},
    {"covers", KIND_TEXT, 'c', N_("what the decision covers, comma-separated"), 0, NULL},
    {"basis", KIND_TEXT, 'b', N_("the legal bases, comma-separated codes (bti basis list)"), 0,
     NULL},
    {"date", KIND_DATE, 'd', N_("the day of the decision (default today)"), 0, NULL},
    {"notified", KIND_DATE, 'n', N_("the day the user was notified"), 0, NULL},
    {0, 0, 0, 0, 0, 0}};
static const struct cmd_option notify_opts[] = {
    {"decision", KIND_ID, 'i', N_("which decision (default the case's latest)"), 0, NULL},
    {"date", KIND_DATE, 'd', N_("the day the user was notified or the appeal forwarded"), 0, NULL},
    {0, 0, 0, 0, 0, 0}};
static const struct cmd_option reply_opts[] = {
    {"date", KIND_DATE, 'd', N_("the day the reply was sent (default today)"), 0, NULL},
    {0, 0, 0, 0, 0, 0}};
static const struct cmd_option journal_opts[] = {
    {"date", KIND_DATE, 'd', N_("the day the conclusion was journalled"), OPT_REQUIRED, NULL},
    {0, 0, 0, 0, 0, 0}};
static const struct cmd_option appeal_opts[] = {
    {"decision", KIND_ID, 'i', N_("which decision (default the case's latest)"), 0, NULL},
    {"date", KIND_DATE, 'd', N_("the day the appeal arrived (default today)"), 0, NULL},
    {"posted", KIND_DATE, 'p', N_("the day the user posted or sent the appeal"), 0, NULL},
    {"late-reason", KIND_TEXT, 'l', N_("why a late appeal is taken all the same"), 0, NULL},
    {0, 0, 0, 0, 0, 0}};
static const struct cmd_option result_opts[] = {
    {"reversed", KIND_FLAG, 'R', N_("the decision was reversed: a grant"), OPT_ONE_OF, NULL},
    {"upheld", KIND_FLAG, 'U', N_("the decision was upheld"), OPT_ONE_OF, NULL},
    {"quashed", KIND_FLAG, 'Q', N_("the decision was quashed: the KE decides again"), OPT_ONE_OF,
     NULL},
    {"unit", KIND_UNIT, 'u', N_("the unit responsible after a reversal, by id or name"), 0, NULL},
    {"by", KIND_WORD, 'b', N_("who decided the appeal"), 0, NULL},
    {"decision", KIND_ID, 'i', N_("which decision (default the case's latest)"), 0, NULL},
    {"date", KIND_DATE, 'd', N_("the day of the result (default today)"), 0, NULL},
    {0, 0, 0, 0, 0, 0}};
static const struct cmd_option handbook_opts[] = {
    {"date", KIND_DATE, 'd', N_("the day of the update (default today)"), 0, NULL},
    {"note", KIND_TEXT, 'n', N_("what changed"), 0, NULL},
    {0, 0, 0, 0, 0, 0}};

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
