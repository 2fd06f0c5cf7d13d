/*
 * bti coordinator: the coordinators, their appointment to cases (as
 * coordinator or barnekoordinator), and the unit's reports of it.
 */
#include <stdio.h>
#include "base/intl.h"
#include "bti/coordinator.h"
#include "bti/error.h"
#include "cmd.h"

/* Read one of --name, --unit, --email and --phone into in. */
static int coordinator_option(struct cmd_ctx *c, int opt, char **argv,
                              struct bti_coordinator_in *in)
{
    switch (opt) {
    case 'n': return cmd_text(c, optarg, &in->name);
    case 'u': return cmd_unit(c, optarg, &in->unit_id);
    case 'e': return cmd_text(c, optarg, &in->email);
    case 'p': return cmd_text(c, optarg, &in->phone);
    default: return cmd_bad_option(c, opt, argv);
    }
}

/* Read the coordinator named by the argument after the options. */
static int coordinator_arg(struct cmd_ctx *c, int argc, char **argv, long long *id)
{
    char *arg;
    int rc = cmd_args(c, argc, argv, 1, &arg, "COORDINATOR");
    return rc ? rc : bti_coordinator_find(c->db, arg, id);
}

/* coordinator add --name NAME --unit UNIT [--email EMAIL] [--phone PHONE] */
static int coordinator_add(struct cmd_ctx *c, int argc, char **argv)
{
    struct bti_coordinator_in in = {0};
    long long id;
    int opt, rc = 0;
    while (rc == 0 && (opt = cmd_opt(c, argc, argv)) != -1)
        rc = coordinator_option(c, opt, argv, &in);
    if (rc == 0)
        rc = cmd_args(c, argc, argv, 0, NULL, "");
    if (rc == 0)
        rc = bti_coordinator_add(c->db, &in, &id);
    if (rc)
        return rc;
    cmd_summary(c, _("coordinator %lld: added to unit %lld"), id, in.unit_id);
    return cmd_created(c, "coordinator", id);
}

/* coordinator edit COORDINATOR [--name ...] [--unit ...] [--email ...] [--phone ...] --reason TEXT
 */
static int coordinator_edit(struct cmd_ctx *c, int argc, char **argv)
{
    struct bti_coordinator_in in = {0};
    const char *reason = NULL;
    long long id;
    int opt, rc = 0;
    while (rc == 0 && (opt = cmd_opt(c, argc, argv)) != -1)
        rc = opt == 'r' ? cmd_text(c, optarg, &reason) : coordinator_option(c, opt, argv, &in);
    if (rc == 0)
        rc = coordinator_arg(c, argc, argv, &id);
    if (rc == 0)
        rc = bti_coordinator_edit(c->db, id, &in, reason);
    if (rc == 0)
        cmd_summary(c, _("coordinator %lld: edited"), id);
    return rc;
}

/* coordinator retire COORDINATOR */
static int coordinator_retire(struct cmd_ctx *c, int argc, char **argv)
{
    long long id;
    int opt = cmd_opt(c, argc, argv);
    int rc = opt != -1 ? cmd_bad_option(c, opt, argv) : coordinator_arg(c, argc, argv, &id);
    if (rc == 0)
        rc = bti_coordinator_retire(c->db, id);
    if (rc == 0)
        cmd_summary(c, _("coordinator %lld: retired"), id);
    return rc;
}

/* coordinator list [--all] */
static int coordinator_list(struct cmd_ctx *c, int argc, char **argv)
{
    int all = 0, opt, rc = 0;
    while (rc == 0 && (opt = cmd_opt(c, argc, argv)) != -1)
        rc = opt == 'a' ? (all = 1, 0) : cmd_bad_option(c, opt, argv);
    if (rc == 0)
        rc = cmd_args(c, argc, argv, 0, NULL, "");
    struct out_list *l = rc ? NULL : cmd_list_begin(c, &bti_coordinator_cols);
    return rc ? rc : cmd_list_end(l, l ? bti_coordinator_list(c->db, all, out_list_row, l) : 0);
}

/* coordinator show COORDINATOR */
static int coordinator_show(struct cmd_ctx *c, int argc, char **argv)
{
    long long id;
    cJSON *obj;
    int opt = cmd_opt(c, argc, argv);
    int rc = opt != -1 ? cmd_bad_option(c, opt, argv) : coordinator_arg(c, argc, argv, &id);
    if (rc == 0)
        rc = bti_coordinator_show(c->db, id, &obj);
    return rc ? rc : cmd_object(c, obj);
}

/* Read one option of coordinator assign into in. */
static int assign_option(struct cmd_ctx *c, int opt, char **argv, struct bti_assign_in *in)
{
    switch (opt) {
    case 'c': return bti_coordinator_find(c->db, optarg, &in->coordinator_id);
    case 'k': in->child = 1; return 0;
    case 'p': in->user_preferred = 1; return 0;
    case 'w': return cmd_text(c, optarg, &in->user_wish);
    case 'r': return cmd_text(c, optarg, &in->reason);
    case 'd': return cmd_date(c, optarg, "--date", &in->start);
    case 'C': return cmd_date(c, optarg, "--confirmed", &in->confirmed);
    case 't': in->temporary = 1; return 0;
    case 'U': return cmd_date(c, optarg, "--until", &in->until);
    default: return cmd_bad_option(c, opt, argv);
    }
}

/* coordinator assign CASE --coordinator C [--child] [--user-preferred] [--user-wish TEXT]
 * [--reason TEXT] [--date DATE] [--confirmed DATE]
 * coordinator assign CASE --coordinator C --temporary --until DATE --reason TEXT [--date DATE] */
static int coordinator_assign(struct cmd_ctx *c, int argc, char **argv)
{
    struct bti_assign_in in = {
        .start = BTI_NO_DATE, .confirmed = BTI_NO_DATE, .until = BTI_NO_DATE};
    struct bti_assign_out out;
    long long id;
    int opt, rc = 0;
    while (rc == 0 && (opt = cmd_opt(c, argc, argv)) != -1)
        rc = assign_option(c, opt, argv, &in);
    if (rc == 0)
        rc = cmd_case(c, argc, argv, &in.case_id);
    if (rc == 0 && !in.temporary && in.until != BTI_NO_DATE)
        rc = bti_error_set(BTI_EUSAGE, _("--until goes with --temporary"));
    if (rc == 0)
        rc = bti_assign(c->db, &in, &id, &out);
    if (rc)
        return rc;
    if (out.other_unit)
        cmd_warning(c, _("coordinator %lld belongs to another unit than case %lld's"),
                    in.coordinator_id, in.case_id);
    cmd_summary(c, _("case %lld: %s -> %s; %s %lld assigned%s"), in.case_id,
                cmd_state_word(out.before), cmd_state_word(out.after),
                in.child ? "barnekoordinator" : _("coordinator"), in.coordinator_id,
                in.temporary ? _(" as a stand-in; the regular assignment pauses")
                : out.ended  ? _(", replacing the running assignment")
                             : "");
    return cmd_created(c, "assignment", id);
}

/* Read one option of coordinator end into in. */
static int end_option(struct cmd_ctx *c, int opt, char **argv, struct bti_end_in *in)
{
    switch (opt) {
    case 'k': in->child = 1; return 0;
    case 't': in->temporary = 1; return 0;
    case 'n': in->need_continues = 1; return 0;
    case 'r': return cmd_text(c, optarg, &in->reason);
    case 'd': return cmd_date(c, optarg, "--date", &in->date);
    default: return cmd_bad_option(c, opt, argv);
    }
}

/* coordinator end CASE [--child] [--temporary] --reason TEXT [--need-continues] [--date DATE] */
static int coordinator_end(struct cmd_ctx *c, int argc, char **argv)
{
    struct bti_end_in in = {.date = BTI_NO_DATE};
    struct bti_assign_out out;
    long long id;
    int opt, rc = 0;
    while (rc == 0 && (opt = cmd_opt(c, argc, argv)) != -1)
        rc = end_option(c, opt, argv, &in);
    if (rc == 0)
        rc = cmd_case(c, argc, argv, &in.case_id);
    if (rc == 0)
        rc = bti_assignment_end(c->db, &in, &id, &out);
    if (rc == 0)
        cmd_summary(c, _("case %lld: %s -> %s; assignment %lld ended%s"), in.case_id,
                    cmd_state_word(out.before), cmd_state_word(out.after), id,
                    in.temporary        ? _("; the regular assignment resumes")
                    : in.need_continues ? _("; the need continues: 'bti due' asks for a new one")
                                        : _("; its item has ended"));
    return rc;
}

/* Read --child, --date and (for register) --own-system NAME. */
static int report_opts(struct cmd_ctx *c, int argc, char **argv, int *child, bti_date *date,
                       const char **own_system)
{
    int opt, rc = 0;
    while (rc == 0 && (opt = cmd_opt(c, argc, argv)) != -1) {
        if (opt == 'k')
            *child = 1;
        else if (opt == 'd')
            rc = cmd_date(c, optarg, "--date", date);
        else if (opt == 'o' && own_system)
            rc = cmd_text(c, optarg, own_system);
        else
            return cmd_bad_option(c, opt, argv);
    }
    return rc;
}

/* coordinator confirm CASE [--child] [--date DATE] */
static int coordinator_confirm(struct cmd_ctx *c, int argc, char **argv)
{
    bti_date date = BTI_NO_DATE;
    long long case_id, id;
    int child = 0;
    int rc = report_opts(c, argc, argv, &child, &date, NULL);
    if (rc == 0)
        rc = cmd_case(c, argc, argv, &case_id);
    if (rc == 0)
        rc = bti_assignment_confirm(c->db, case_id, child, date, &id);
    if (rc == 0)
        cmd_summary(c, _("case %lld: assignment %lld reported to the KE"), case_id, id);
    return rc;
}

/* coordinator register CASE [--child] (--date DATE | --own-system NAME) */
static int coordinator_register(struct cmd_ctx *c, int argc, char **argv)
{
    bti_date date = BTI_NO_DATE;
    long long case_id, id;
    const char *own = NULL;
    int child = 0;
    int rc = report_opts(c, argc, argv, &child, &date, &own);
    if (rc == 0)
        rc = cmd_case(c, argc, argv, &case_id);
    if (rc == 0)
        rc = bti_assignment_register(c->db, case_id, child, date, own, &id);
    if (rc == 0)
        cmd_summary(c, _("case %lld: assignment %lld %s"), case_id, id,
                    own ? _("documents in the coordinator's own system")
                        : _("registered as primary contact in the EHR"));
    return rc;
}

static const struct cmd_option add_opts[] = {
    {"name", KIND_NAME, 'n', N_("the coordinator's name"), OPT_REQUIRED, NULL},
    {"unit", KIND_UNIT, 'u', N_("the unit the coordinator works in, by id or name"), OPT_REQUIRED,
     NULL},
    {"email", KIND_TEXT, 'e', N_("the e-mail address"), 0, NULL},
    {"phone", KIND_TEXT, 'p', N_("the telephone number"), 0, NULL},
    {0, 0, 0, 0, 0, 0}};
static const struct cmd_option edit_opts[] = {
    {"name", KIND_NAME, 'n', N_("the corrected name"), 0, NULL},
    {"unit", KIND_UNIT, 'u', N_("the unit the coordinator works in, by id or name"), 0, NULL},
    {"email", KIND_TEXT, 'e', N_("the e-mail address"), 0, NULL},
    {"phone", KIND_TEXT, 'p', N_("the telephone number"), 0, NULL},
    {"reason", KIND_TEXT, 'r', N_("why the change is made (kept in the audit log)"), OPT_REQUIRED,
     NULL},
    {0, 0, 0, 0, 0, 0}};
static const struct cmd_option list_opts[] = {
    {"all", KIND_FLAG, 'a', N_("retired coordinators too"), 0, NULL}, {0, 0, 0, 0, 0, 0}};
static const struct cmd_option assign_opts[] = {
    {"coordinator", KIND_COORDINATOR, 'c', N_("the coordinator appointed, by id or name"),
     OPT_REQUIRED, NULL},
    {"child", KIND_FLAG, 'k', N_("the barnekoordinator, not the coordinator"), 0, NULL},
    {"user-preferred", KIND_FLAG, 'p', N_("the user asked for this coordinator"), 0, NULL},
    {"user-wish", KIND_TEXT, 'w', N_("what the user wished for"), 0, NULL},
    {"reason", KIND_TEXT, 'r', N_("why the coordinator changes (needed for a change)"), 0, NULL},
    {"date", KIND_DATE, 'd', N_("the day of the appointment (default today)"), 0, NULL},
    {"confirmed", KIND_DATE, 'C', N_("the day the coordinator confirmed"), 0, NULL},
    {"temporary", KIND_FLAG, 't', N_("a stand-in while the regular coordinator is away"), 0, NULL},
    {"until", KIND_DATE, 'U', N_("the last day of the stand-in"), 0, NULL},
    {0, 0, 0, 0, 0, 0}};
static const struct cmd_option end_opts[] = {
    {"child", KIND_FLAG, 'k', N_("the barnekoordinator, not the coordinator"), 0, NULL},
    {"temporary", KIND_FLAG, 't', N_("a stand-in while the regular coordinator is away"), 0, NULL},
    {"reason", KIND_TEXT, 'r', N_("why the assignment ends"), OPT_REQUIRED, NULL},
    {"need-continues", KIND_FLAG, 'n', N_("the need continues (a new coordinator is due)"), 0,
     NULL},
    {"date", KIND_DATE, 'd', N_("the day it ended (default today)"), 0, NULL},
    {0, 0, 0, 0, 0, 0}};
static const struct cmd_option confirm_opts[] = {
    {"child", KIND_FLAG, 'k', N_("the barnekoordinator, not the coordinator"), 0, NULL},
    {"date", KIND_DATE, 'd', N_("the day the coordinator confirmed (default today)"), 0, NULL},
    {0, 0, 0, 0, 0, 0}};
static const struct cmd_option register_opts[] = {
    {"child", KIND_FLAG, 'k', N_("the barnekoordinator, not the coordinator"), 0, NULL},
    {"date", KIND_DATE, 'd', N_("the day of the EHR registration (default today)"), OPT_ONE_OF,
     NULL},
    {"own-system", KIND_TEXT, 'o', N_("the coordinator's own documentation system"), OPT_ONE_OF,
     NULL},
    {0, 0, 0, 0, 0, 0}};

#define W (CMD_DB | CMD_WRITE)
#define CW BTI_ROLE_CASEWORKER

static const struct cmd_verb verbs[] = {
    {"add", coordinator_add, W, CW,
     "coordinator add --name NAME --unit UNIT [--email EMAIL] [--phone PHONE]",
     N_("add a coordinator employed by a unit"), add_opts},
    {"list", coordinator_list, CMD_DB | CMD_PAGER, CW, "coordinator list [--all]",
     N_("list the active coordinators (--all: retired too) with their running assignments"),
     list_opts},
    {"show", coordinator_show, CMD_DB | CMD_PAGER, CW, "coordinator show COORDINATOR",
     N_("a coordinator with running assignments and gatherings attended"), NULL},
    {"edit", coordinator_edit, W, CW,
     "coordinator edit COORDINATOR [--name NAME] [--unit UNIT] [--email EMAIL] [--phone PHONE] "
     "--reason TEXT",
     N_("correct a coordinator's details"), edit_opts},
    {"retire", coordinator_retire, W, CW, "coordinator retire COORDINATOR",
     N_("retire a coordinator who holds no running assignment"), NULL},
    {"assign", coordinator_assign, W, CW,
     "coordinator assign CASE --coordinator C [--child] [--user-preferred] [--user-wish TEXT] "
     "[--reason TEXT] [--date DATE] [--confirmed DATE] | assign CASE --coordinator C --temporary "
     "--until DATE --reason TEXT [--date DATE]",
     N_("appoint a coordinator (or barnekoordinator) to a case; a change needs --reason; "
        "--temporary: a stand-in while the regular one is away"),
     assign_opts},
    {"end", coordinator_end, W, CW,
     "coordinator end CASE [--child] [--temporary] --reason TEXT [--need-continues] "
     "[--date DATE]",
     N_("end an assignment: the unit reported the need ended (or the child turned 18); "
        "--temporary ends a stand-in"),
     end_opts},
    {"confirm", coordinator_confirm, W | CMD_OWN_CASES, CW,
     "coordinator confirm CASE [--child] [--date DATE]",
     N_("record that the unit reported the appointment to the KE"), confirm_opts},
    {"register", coordinator_register, W | CMD_OWN_CASES, CW,
     "coordinator register CASE [--child] (--date DATE | --own-system NAME)",
     N_("record the coordinator as primary contact in the EHR with access to the coordinator "
        "journal, or the name of their own documentation system"),
     register_opts},
};
const struct cmd_group cmd_coordinator_group =
    CMD_GROUP("coordinator", N_("coordinators and their assignments"), verbs);
