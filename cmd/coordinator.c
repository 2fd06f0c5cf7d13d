/*
 * bti coordinator: the coordinators, their appointment to cases (as
 * coordinator or barnekoordinator), and the unit's reports of it.
 */
#include <stdio.h>
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
    if (rc == 0 && (!in.name || !in.unit_id))
        rc = bti_error_set(BTI_EUSAGE, _("coordinator add needs --name and --unit"));
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
    if (rc == 0 && !reason)
        rc = bti_error_set(BTI_EUSAGE, _("missing --reason"));
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
    if (rc == 0 && !in.coordinator_id)
        rc = bti_error_set(BTI_EUSAGE, _("coordinator assign needs --coordinator"));
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
    if (rc == 0 && !in.reason)
        rc = bti_error_set(BTI_EUSAGE, _("coordinator end needs --reason"));
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
    if (rc == 0 && (!own == (date == BTI_NO_DATE)))
        rc = bti_error_set(BTI_EUSAGE, _("coordinator register needs one of --date and "
                                         "--own-system"));
    if (rc == 0)
        rc = bti_assignment_register(c->db, case_id, child, date, own, &id);
    if (rc == 0)
        cmd_summary(c, _("case %lld: assignment %lld %s"), case_id, id,
                    own ? _("documents in the coordinator's own system")
                        : _("registered as primary contact in the EHR"));
    return rc;
}

static const struct option add_opts[] = {{"name", required_argument, 0, 'n'},
                                         {"unit", required_argument, 0, 'u'},
                                         {"email", required_argument, 0, 'e'},
                                         {"phone", required_argument, 0, 'p'},
                                         {0, 0, 0, 0}};
static const struct option edit_opts[] = {
    {"name", required_argument, 0, 'n'},   {"unit", required_argument, 0, 'u'},
    {"email", required_argument, 0, 'e'},  {"phone", required_argument, 0, 'p'},
    {"reason", required_argument, 0, 'r'}, {0, 0, 0, 0}};
static const struct option list_opts[] = {{"all", no_argument, 0, 'a'}, {0, 0, 0, 0}};
static const struct option assign_opts[] = {
    {"coordinator", required_argument, 0, 'c'}, {"child", no_argument, 0, 'k'},
    {"user-preferred", no_argument, 0, 'p'},    {"user-wish", required_argument, 0, 'w'},
    {"reason", required_argument, 0, 'r'},      {"date", required_argument, 0, 'd'},
    {"confirmed", required_argument, 0, 'C'},   {"temporary", no_argument, 0, 't'},
    {"until", required_argument, 0, 'U'},       {0, 0, 0, 0}};
static const struct option end_opts[] = {
    {"child", no_argument, 0, 'k'},        {"temporary", no_argument, 0, 't'},
    {"reason", required_argument, 0, 'r'}, {"need-continues", no_argument, 0, 'n'},
    {"date", required_argument, 0, 'd'},   {0, 0, 0, 0}};
static const struct option confirm_opts[] = {
    {"child", no_argument, 0, 'k'}, {"date", required_argument, 0, 'd'}, {0, 0, 0, 0}};
static const struct option register_opts[] = {{"child", no_argument, 0, 'k'},
                                              {"date", required_argument, 0, 'd'},
                                              {"own-system", required_argument, 0, 'o'},
                                              {0, 0, 0, 0}};

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
