/*
 * bti gathering: the KE's gatherings for its coordinators: samling, fagdag,
 * training and guidance; invitations and attendance.
 */
#include "base/intl.h"
#include "bti/coordinator.h"
#include "bti/error.h"
#include "bti/gathering.h"
#include "cmd.h"

/* gathering add --kind samling|fagdag|training|guidance --date DATE [--title TEXT] */
static int gathering_add(struct cmd_ctx *c, int argc, char **argv)
{
    const char *kind = NULL, *title = NULL;
    bti_date date = BTI_NO_DATE;
    long long id;
    int opt, rc = 0;
    while (rc == 0 && (opt = cmd_opt(c, argc, argv)) != -1) {
        switch (opt) {
        case 'k': kind = optarg; break;
        case 'd': rc = cmd_date(c, optarg, "--date", &date); break;
        case 't': rc = cmd_text(c, optarg, &title); break;
        default: return cmd_bad_option(c, opt, argv);
        }
    }
    if (rc == 0)
        rc = cmd_args(c, argc, argv, 0, NULL, "");
    if (rc == 0)
        rc = bti_gathering_add(c->db, kind, date, title, &id);
    if (rc)
        return rc;
    cmd_summary(c, _("gathering %lld: %s added"), id, out_value("kind", kind));
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
    const char *names[256];
    long long who[256], id;
    int n = 0, opt;
    while ((opt = cmd_opt(c, argc, argv)) != -1) {
        if (opt != 'c')
            return cmd_bad_option(c, opt, argv);
        if (n == 256)
            return bti_error_set(BTI_EUSAGE, _("at most 256 --coordinator at once"));
        names[n++] = optarg;
    }
    int rc = cmd_id_arg(c, argc, argv, "GATHERING", &id);
    for (int i = 0; rc == 0 && i < n; i++)
        rc = bti_coordinator_find(c->db, names[i], &who[i]);
    if (rc == 0)
        rc = bti_gathering_attend(c->db, id, who, n);
    if (rc == 0)
        cmd_summary(c, _("gathering %lld: %d attended"), id, n);
    return rc;
}

static const struct cmd_option add_opts[] = {
    {"kind", KIND_WORD, 'k', N_("what kind of gathering"), OPT_REQUIRED, NULL},
    {"date", KIND_DATE, 'd', N_("the day it is held"), OPT_REQUIRED, NULL},
    {"title", KIND_TEXT, 't', N_("its title"), 0, NULL},
    {0, 0, 0, 0, 0, 0}};
static const struct cmd_option attend_opts[] = {{"coordinator", KIND_COORDINATOR, 'c',
                                                 N_("a coordinator who attended (repeatable)"),
                                                 OPT_REQUIRED, NULL},
                                                {0, 0, 0, 0, 0, 0}};

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
