/* bti group: a case's responsibility group (ansvarsgruppe) and its meetings. */
#include <stdio.h>
#include "base/intl.h"
#include "bti/error.h"
#include "bti/group.h"
#include "cmd.h"

/* Read one of --name, --role, --org and --date into in. */
static int member_option(struct cmd_ctx *c, int opt, char **argv, struct bti_group_in *in)
{
    switch (opt) {
    case 'n': return cmd_text(c, optarg, &in->name);
    case 'r': return cmd_text(c, optarg, &in->role);
    case 'o': return cmd_text(c, optarg, &in->org);
    case 'd': return cmd_date(c, optarg, "--date", &in->from);
    default: return cmd_bad_option(c, opt, argv);
    }
}

/* Read CASE and a second id argument after the options. */
static int case_and_id(struct cmd_ctx *c, int argc, char **argv, const char *name,
                       long long *case_id, long long *id)
{
    char *args[2], names[48];
    snprintf(names, sizeof names, _("CASE and %s"), name);
    int rc = cmd_args(c, argc, argv, 2, args, names);
    if (rc == 0)
        rc = cmd_case_id(c, args[0], case_id);
    return rc ? rc : cmd_id(args[1], name, id);
}

/* group add CASE --name NAME --role ROLE [--org ORG] [--date DATE] */
static int group_add(struct cmd_ctx *c, int argc, char **argv)
{
    struct bti_group_in in = {.from = BTI_NO_DATE};
    long long id;
    int opt, size, rc = 0;
    while (rc == 0 && (opt = cmd_opt(c, argc, argv)) != -1)
        rc = member_option(c, opt, argv, &in);
    if (rc == 0)
        rc = cmd_case(c, argc, argv, &in.case_id);
    if (rc == 0)
        rc = bti_group_add(c->db, &in, &id, &size);
    if (rc)
        return rc;
    if (size > BTI_GROUP_LARGE)
        cmd_warning(c, _("the group of case %lld has %d members; a smaller group works better"),
                    in.case_id, size);
    cmd_summary(c, _("case %lld: group member %lld added"), in.case_id, id);
    return cmd_created(c, "group_member", id);
}

/* group remove CASE MEMBER [--date DATE] */
static int group_remove(struct cmd_ctx *c, int argc, char **argv)
{
    bti_date date = BTI_NO_DATE;
    long long case_id, member;
    int opt, rc = 0;
    while (rc == 0 && (opt = cmd_opt(c, argc, argv)) != -1)
        rc = opt == 'd' ? cmd_date(c, optarg, "--date", &date) : cmd_bad_option(c, opt, argv);
    if (rc == 0)
        rc = case_and_id(c, argc, argv, "MEMBER", &case_id, &member);
    if (rc == 0)
        rc = bti_group_remove(c->db, case_id, member, date);
    if (rc == 0)
        cmd_summary(c, _("case %lld: group member %lld left"), case_id, member);
    return rc;
}

/* group edit CASE MEMBER [--name NAME] [--role ROLE] [--org ORG] --reason TEXT */
static int group_edit(struct cmd_ctx *c, int argc, char **argv)
{
    struct bti_group_in in = {.from = BTI_NO_DATE};
    const char *reason = NULL;
    long long member;
    int opt, rc = 0;
    while (rc == 0 && (opt = cmd_opt(c, argc, argv)) != -1)
        rc = opt == 'R' ? cmd_text(c, optarg, &reason) : member_option(c, opt, argv, &in);
    if (rc == 0)
        rc = case_and_id(c, argc, argv, "MEMBER", &in.case_id, &member);
    if (rc == 0)
        rc = bti_group_edit(c->db, in.case_id, member, &in, reason);
    if (rc == 0)
        cmd_summary(c, _("case %lld: group member %lld edited"), in.case_id, member);
    return rc;
}

/* group list CASE */
static int group_list(struct cmd_ctx *c, int argc, char **argv)
{
    long long case_id;
    int opt = cmd_opt(c, argc, argv);
    int rc = opt != -1 ? cmd_bad_option(c, opt, argv) : cmd_case(c, argc, argv, &case_id);
    struct out_list *l = rc ? NULL : cmd_list_begin(c, &bti_group_cols);
    return rc ? rc : cmd_list_end(l, l ? bti_group_list(c->db, case_id, out_list_row, l) : 0);
}

/* group meeting CASE [--date DATE] (--minutes REF | --no-minutes) */
static int group_meeting(struct cmd_ctx *c, int argc, char **argv)
{
    const char *minutes = NULL;
    bti_date date = BTI_NO_DATE;
    long long case_id, id;
    int opt, rc = 0;
    while (rc == 0 && (opt = cmd_opt(c, argc, argv)) != -1) {
        switch (opt) {
        case 'm': rc = cmd_text(c, optarg, &minutes); break;
        case 'M': break; /* without minutes: minutes stays NULL */
        case 'd': rc = cmd_date(c, optarg, "--date", &date); break;
        default: return cmd_bad_option(c, opt, argv);
        }
    }
    if (rc == 0)
        rc = cmd_case(c, argc, argv, &case_id);
    if (rc == 0)
        rc = bti_group_meeting(c->db, case_id, date, minutes, &id);
    if (rc)
        return rc;
    cmd_summary(c, _("case %lld: group meeting %lld recorded%s"), case_id, id,
                minutes ? "" : _(" without minutes"));
    return cmd_created(c, "group_meeting", id);
}

/* group minutes CASE MEETING --minutes REF */
static int group_minutes(struct cmd_ctx *c, int argc, char **argv)
{
    const char *minutes = NULL;
    long long case_id, meeting;
    int opt, rc = 0;
    while (rc == 0 && (opt = cmd_opt(c, argc, argv)) != -1)
        rc = opt == 'm' ? cmd_text(c, optarg, &minutes) : cmd_bad_option(c, opt, argv);
    if (rc == 0)
        rc = case_and_id(c, argc, argv, "MEETING", &case_id, &meeting);
    if (rc == 0)
        rc = bti_group_minutes(c->db, case_id, meeting, minutes);
    if (rc == 0)
        cmd_summary(c, _("case %lld: minutes of group meeting %lld recorded"), case_id, meeting);
    return rc;
}

static const struct cmd_option add_opts[] = {
    {"name", KIND_NAME, 'n', N_("the member's name"), OPT_REQUIRED, NULL},
    {"role", KIND_TEXT, 'r', N_("the member's role in the group"), OPT_REQUIRED, NULL},
    {"org", KIND_TEXT, 'o', N_("the organisation the member belongs to"), 0, NULL},
    {"date", KIND_DATE, 'd', N_("the day the member joined (default today)"), 0, NULL},
    {0, 0, 0, 0, 0, 0}};
static const struct cmd_option edit_opts[] = {
    {"name", KIND_NAME, 'n', N_("the corrected name"), 0, NULL},
    {"role", KIND_TEXT, 'r', N_("the corrected role"), 0, NULL},
    {"org", KIND_TEXT, 'o', N_("the organisation the member belongs to"), 0, NULL},
    {"reason", KIND_TEXT, 'R', N_("why the change is made (kept in the audit log)"), OPT_REQUIRED,
     NULL},
    {0, 0, 0, 0, 0, 0}};
static const struct cmd_option date_opts[] = {
    {"date", KIND_DATE, 'd', N_("the day the member left (default today)"), 0, NULL},
    {0, 0, 0, 0, 0, 0}};
static const struct cmd_option meeting_opts[] = {
    {"minutes", KIND_TEXT, 'm', N_("the reference of the minutes"), OPT_ONE_OF, NULL},
    {"no-minutes", KIND_FLAG, 'M', N_("the meeting has no minutes"), OPT_ONE_OF, NULL},
    {"date", KIND_DATE, 'd', N_("the day of the meeting (default today)"), 0, NULL},
    {0, 0, 0, 0, 0, 0}};
static const struct cmd_option minutes_opts[] = {
    {"minutes", KIND_TEXT, 'm', N_("the reference of the minutes"), OPT_REQUIRED, NULL},
    {0, 0, 0, 0, 0, 0}};

/* every verb serves a coordinator login too, on its own cases */
#define W (CMD_DB | CMD_WRITE | CMD_OWN_CASES)
#define CW BTI_ROLE_CASEWORKER

static const struct cmd_verb verbs[] = {
    {"add", group_add, W, CW, "group add CASE --name NAME --role ROLE [--org ORG] [--date DATE]",
     N_("add a member (needs exchange consent covering their organisation or role)"), add_opts},
    {"remove", group_remove, W, CW, "group remove CASE MEMBER [--date DATE]",
     N_("record that a member left the group"), date_opts},
    {"list", group_list, CMD_DB | CMD_LOGS | CMD_PAGER | CMD_OWN_CASES, CW, "group list CASE",
     N_("the group's members, present and past (logged)"), NULL},
    {"edit", group_edit, W, CW,
     "group edit CASE MEMBER [--name NAME] [--role ROLE] [--org ORG] --reason TEXT",
     N_("correct a member's details"), edit_opts},
    {"meeting", group_meeting, W, CW,
     "group meeting CASE [--date DATE] (--minutes REF | --no-minutes)",
     N_("record a group meeting led by the case's coordinator"), meeting_opts},
    {"minutes", group_minutes, W, CW, "group minutes CASE MEETING --minutes REF",
     N_("add the minutes reference of a meeting recorded without one"), minutes_opts},
};
const struct cmd_group cmd_group_group =
    CMD_GROUP("group", N_("responsibility groups and their meetings"), verbs);
