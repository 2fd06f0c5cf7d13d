/*
 * bti gathering: the KE's gatherings for its coordinators: samling, fagdag,
 * training and guidance; invitations and attendance.
 */
#include "base/intl.h"
#include "bti/coordinator.h"
#include "bti/error.h"
#include "bti/gathering.h"
#include "cmd.h"

/* The options of gathering add. */
struct add_args {
    const char *kind, *title;
    bti_date date;
};

/* gathering add --kind samling|fagdag|training|guidance --date DATE [--title TEXT] */
static int gathering_add(struct cmd_ctx *c, int argc, char **argv)
{
    struct add_args a = {.date = BTI_NO_DATE};
    long long id;
    int rc = cmd_read_options(c, argc, argv, &a);
    if (rc == 0)
        rc = cmd_args(c, argc, argv, 0, NULL, "");
    if (rc == 0)
        rc = bti_gathering_add(c->db, a.kind, a.date, a.title, &id);
    if (rc)
        return rc;
    cmd_summary(c, _("gathering %lld: %s added"), id, out_value("kind", a.kind));
    return cmd_created(c, "gathering", id);
}

/* gathering list */
static int gathering_list(struct cmd_ctx *c, int argc, char **argv)
{
    return cmd_list_all(c, argc, argv, &bti_gathering_cols, bti_gathering_list);
}

/* gathering invite GATHERING: a write, and a listing of who is invited. */
static int gathering_invite(struct cmd_ctx *c, int argc, char **argv)
{
    char *arg;
    long long id;
    int added = 0;
    int rc = cmd_plain(c, argc, argv, 1, &arg, "GATHERING");
    if (rc == 0)
        rc = cmd_id(arg, "GATHERING", &id);
    struct out_list *l = rc ? NULL : cmd_list_begin(c, &bti_invitation_cols);
    if (rc == 0)
        rc = cmd_list_end(l, l ? bti_gathering_invite(c->db, id, &added, out_list_row, l) : 0);
    if (rc == 0)
        cmd_summary(c, _("gathering %lld: %d coordinators invited now"), id, added);
    return rc;
}

/* gathering attend GATHERING --coordinator C... */
static int gathering_attend(struct cmd_ctx *c, int argc, char **argv)
{
    struct cmd_list names = {0};
    long long who[256], id;
    int rc = cmd_read_options(c, argc, argv, &names), n = (int)names.n;
    if (rc == 0 && names.n > 256)
        return bti_error_set(BTI_EUSAGE, _("at most 256 --coordinator at once"));
    if (rc == 0)
        rc = cmd_id_arg(c, argc, argv, "GATHERING", &id);
    for (int i = 0; rc == 0 && i < n; i++)
        rc = bti_coordinator_find(c->db, names.v[i], &who[i]);
    if (rc == 0)
        rc = bti_gathering_attend(c->db, id, who, n);
    if (rc == 0)
        cmd_summary(c, _("gathering %lld: %d attended"), id, n);
    return rc;
}

static const struct cmd_option add_opts[] = {
    {"kind", KIND_WORD, offsetof(struct add_args, kind), N_("what kind of gathering"), OPT_REQUIRED,
     NULL, NULL},
    {"date", KIND_DATE, offsetof(struct add_args, date), N_("the day it is held"), OPT_REQUIRED,
     NULL, NULL},
    {"title", KIND_TEXT, offsetof(struct add_args, title), N_("its title"), 0, NULL, NULL},
    {0}};
static const struct cmd_option attend_opts[] = {
    {"coordinator", KIND_COORDINATOR, 0, N_("a coordinator who attended (repeatable)"),
     OPT_REQUIRED, NULL, cmd_read_list},
    {0}};

static const struct cmd_verb verbs[] = {
    {"add", gathering_add, CMD_DB | CMD_WRITE, BTI_ROLE_CASEWORKER,
     "gathering add --kind samling|fagdag|training|guidance --date DATE [--title TEXT]",
     N_("add a gathering (samling twice a year, fagdag yearly)"), add_opts},
    {"list", gathering_list, CMD_DB | CMD_PAGER, BTI_ROLE_CASEWORKER, "gathering list",
     N_("list gatherings with invited and attended counts"), NULL},
    {"invite", gathering_invite, CMD_DB | CMD_WRITE, BTI_ROLE_CASEWORKER,
     "gathering invite GATHERING",
     N_("invite every active coordinator and list the invited (name, unit, email)"), NULL},
    {"attend", gathering_attend, CMD_DB | CMD_WRITE, BTI_ROLE_CASEWORKER,
     "gathering attend GATHERING --coordinator C...", N_("record who attended"), attend_opts},
};
const struct cmd_group cmd_gathering_group =
    CMD_GROUP("gathering", N_("gatherings, training and guidance for coordinators"), verbs);
