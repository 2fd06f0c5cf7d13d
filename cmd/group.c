/* bti group: a case's responsibility group (ansvarsgruppe) and its meetings. */
#include <stdio.h>
#include "base/intl.h"
#include "bti/error.h"
#include "bti/group.h"
#include "cmd.h"

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
    int size, rc = cmd_read_options(c, argc, argv, &in);
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
    int rc = cmd_read_options(c, argc, argv, &date);
    if (rc == 0)
        rc = case_and_id(c, argc, argv, "MEMBER", &case_id, &member);
    if (rc == 0)
        rc = bti_group_remove(c->db, case_id, member, date);
    if (rc == 0)
        cmd_summary(c, _("case %lld: group member %lld left"), case_id, member);
    return rc;
}

/* The options of group edit. */
struct edit_args {
    struct bti_group_in in;
    const char *reason;
};

/* group edit CASE MEMBER [--name NAME] [--role ROLE] [--org ORG] --reason TEXT */
static int group_edit(struct cmd_ctx *c, int argc, char **argv)
{
    struct edit_args a = {.in.from = BTI_NO_DATE};
    long long member;
    int rc = cmd_read_options(c, argc, argv, &a);
    if (rc == 0)
        rc = case_and_id(c, argc, argv, "MEMBER", &a.in.case_id, &member);
    if (rc == 0)
        rc = bti_group_edit(c->db, a.in.case_id, member, &a.in, a.reason);
    if (rc == 0)
        cmd_summary(c, _("case %lld: group member %lld edited"), a.in.case_id, member);
    return rc;
}

/* group list CASE */
static int group_list(struct cmd_ctx *c, int argc, char **argv)
{
    long long case_id;
    int rc = cmd_read_options(c, argc, argv, NULL);
    if (rc == 0)
        rc = cmd_case(c, argc, argv, &case_id);
    struct out_list *l = rc ? NULL : cmd_list_begin(c, &bti_group_cols);
    return rc ? rc : cmd_list_end(l, l ? bti_group_list(c->db, case_id, out_list_row, l) : 0);
}

/* The options of group meeting: without minutes, minutes stays NULL. */
struct meeting_args {
    const char *minutes;
    int no_minutes;
    bti_date date;
};

/* group meeting CASE [--date DATE] (--minutes REF | --no-minutes) */
static int group_meeting(struct cmd_ctx *c, int argc, char **argv)
{
    struct meeting_args a = {.date = BTI_NO_DATE};
    long long case_id, id;
    int rc = cmd_read_options(c, argc, argv, &a);
    if (rc == 0)
        rc = cmd_case(c, argc, argv, &case_id);
    if (rc == 0)
        rc = bti_group_meeting(c->db, case_id, a.date, a.minutes, &id);
    if (rc)
        return rc;
    cmd_summary(c, _("case %lld: group meeting %lld recorded%s"), case_id, id,
                a.minutes ? "" : _(" without minutes"));
    return cmd_created(c, "group_meeting", id);
}

/* group minutes CASE MEETING --minutes REF */
static int group_minutes(struct cmd_ctx *c, int argc, char **argv)
{
    const char *minutes = NULL;
    long long case_id, meeting;
    int rc = cmd_read_options(c, argc, argv, &minutes);
    if (rc == 0)
        rc = case_and_id(c, argc, argv, "MEETING", &case_id, &meeting);
    if (rc == 0)
        rc = bti_group_minutes(c->db, case_id, meeting, minutes);
    if (rc == 0)
        cmd_summary(c, _("case %lld: minutes of group meeting %lld recorded"), case_id, meeting);
    return rc;
}

#define ADD(field) offsetof(struct bti_group_in, field)
static const struct cmd_option add_opts[] = {
    {"name", KIND_NAME, ADD(name), N_("the member's name"), OPT_REQUIRED, NULL, NULL},
    {"role", KIND_TEXT, ADD(role), N_("the member's role in the group"), OPT_REQUIRED, NULL, NULL},
    {"org", KIND_TEXT, ADD(org), N_("the organisation the member belongs to"), 0, NULL, NULL},
    {"date", KIND_DATE, ADD(from), N_("the day the member joined (default today)"), 0, NULL, NULL},
    {0}};
#define EDIT(field) offsetof(struct edit_args, field)
static const struct cmd_option edit_opts[] = {
    {"name", KIND_NAME, EDIT(in.name), N_("the corrected name"), 0, NULL, NULL},
    {"role", KIND_TEXT, EDIT(in.role), N_("the corrected role"), 0, NULL, NULL},
    {"org", KIND_TEXT, EDIT(in.org), N_("the organisation the member belongs to"), 0, NULL, NULL},
    {"reason", KIND_TEXT, EDIT(reason), N_("why the change is made (kept in the audit log)"),
     OPT_REQUIRED, NULL, NULL},
    {0}};
static const struct cmd_option date_opts[] = {
    {"date", KIND_DATE, 0, N_("the day the member left (default today)"), 0, NULL, NULL}, {0}};
#define MEETING(field) offsetof(struct meeting_args, field)
static const struct cmd_option meeting_opts[] = {
    {"minutes", KIND_TEXT, MEETING(minutes), N_("the reference of the minutes"), OPT_ONE_OF, NULL,
     NULL},
    {"no-minutes", KIND_FLAG, MEETING(no_minutes), N_("the meeting has no minutes"), OPT_ONE_OF,
     NULL, NULL},
    {"date", KIND_DATE, MEETING(date), N_("the day of the meeting (default today)"), 0, NULL, NULL},
    {0}};
static const struct cmd_option minutes_opts[] = {
    {"minutes", KIND_TEXT, 0, N_("the reference of the minutes"), OPT_REQUIRED, NULL, NULL}, {0}};

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
