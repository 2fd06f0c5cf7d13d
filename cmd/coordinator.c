/*
 * bti coordinator: the coordinators, their appointment to cases (as
 * coordinator or barnekoordinator), and the unit's reports of it.
 */
#include <stdio.h>
#include "base/intl.h"
#include "bti/coordinator.h"
#include "bti/error.h"
#include "cmd.h"

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
    int rc = cmd_read_options(c, argc, argv, &in);
    if (rc == 0)
        rc = cmd_args(c, argc, argv, 0, NULL, "");
    if (rc == 0)
        rc = bti_coordinator_add(c->db, &in, &id);
    if (rc)
        return rc;
    cmd_summary(c, _("coordinator %lld: added to unit %lld"), id, in.unit_id);
    return cmd_created(c, "coordinator", id);
}

/* The options of coordinator edit. */
struct edit_args {
    struct bti_coordinator_in in;
    const char *reason;
};

/* coordinator edit COORDINATOR [--name ...] [--unit ...] [--email ...] [--phone ...] --reason TEXT
 */
static int coordinator_edit(struct cmd_ctx *c, int argc, char **argv)
{
    struct edit_args a = {0};
    long long id;
    int rc = cmd_read_options(c, argc, argv, &a);
    if (rc == 0)
        rc = coordinator_arg(c, argc, argv, &id);
    if (rc == 0)
        rc = bti_coordinator_edit(c->db, id, &a.in, a.reason);
    if (rc == 0)
        cmd_summary(c, _("coordinator %lld: edited"), id);
    return rc;
}

/* coordinator retire COORDINATOR */
static int coordinator_retire(struct cmd_ctx *c, int argc, char **argv)
{
    long long id;
    int rc = cmd_read_options(c, argc, argv, NULL);
    if (rc == 0)
        rc = coordinator_arg(c, argc, argv, &id);
    if (rc == 0)
        rc = bti_coordinator_retire(c->db, id);
    if (rc == 0)
        cmd_summary(c, _("coordinator %lld: retired"), id);
    return rc;
}

/* coordinator list [--all] */
static int coordinator_list(struct cmd_ctx *c, int argc, char **argv)
{
    int all = 0;
    int rc = cmd_read_options(c, argc, argv, &all);
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
    int rc = cmd_read_options(c, argc, argv, NULL);
    if (rc == 0)
        rc = coordinator_arg(c, argc, argv, &id);
    if (rc == 0)
        rc = bti_coordinator_show(c->db, id, &obj);
    return rc ? rc : cmd_object(c, obj);
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
    int rc = cmd_read_options(c, argc, argv, &in);
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

/* coordinator end CASE [--child] [--temporary] --reason TEXT [--need-continues] [--date DATE] */
static int coordinator_end(struct cmd_ctx *c, int argc, char **argv)
{
    struct bti_end_in in = {.date = BTI_NO_DATE};
    struct bti_assign_out out;
    long long id;
    int rc = cmd_read_options(c, argc, argv, &in);
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

/* The options of coordinator confirm and register. */
struct report_args {
    int child;
    bti_date date;
    const char *own_system; /* register --own-system */
};

/* coordinator confirm CASE [--child] [--date DATE] */
static int coordinator_confirm(struct cmd_ctx *c, int argc, char **argv)
{
    struct report_args a = {.date = BTI_NO_DATE};
    long long case_id, id;
    int rc = cmd_read_options(c, argc, argv, &a);
    if (rc == 0)
        rc = cmd_case(c, argc, argv, &case_id);
    if (rc == 0)
        rc = bti_assignment_confirm(c->db, case_id, a.child, a.date, &id);
    if (rc == 0)
        cmd_summary(c, _("case %lld: assignment %lld reported to the KE"), case_id, id);
    return rc;
}

/* coordinator register CASE [--child] (--date DATE | --own-system NAME) */
static int coordinator_register(struct cmd_ctx *c, int argc, char **argv)
{
    struct report_args a = {.date = BTI_NO_DATE};
    long long case_id, id;
    int rc = cmd_read_options(c, argc, argv, &a);
    if (rc == 0)
        rc = cmd_case(c, argc, argv, &case_id);
    if (rc == 0)
        rc = bti_assignment_register(c->db, case_id, a.child, a.date, a.own_system, &id);
    if (rc == 0)
        cmd_summary(c, _("case %lld: assignment %lld %s"), case_id, id,
                    a.own_system ? _("documents in the coordinator's own system")
                        : _("registered as primary contact in the EHR"));
    return rc;
}

#define ADD(field) offsetof(struct bti_coordinator_in, field)
static const struct cmd_option add_opts[] = {
    {"name", KIND_NAME, ADD(name), N_("the coordinator's name"), OPT_REQUIRED, NULL, NULL},
    {"unit", KIND_UNIT, ADD(unit_id), N_("the unit the coordinator works in, by id or name"),
     OPT_REQUIRED, NULL, NULL},
    {"email", KIND_TEXT, ADD(email), N_("the e-mail address"), 0, NULL, NULL},
    {"phone", KIND_TEXT, ADD(phone), N_("the telephone number"), 0, NULL, NULL},
    {0}};
#define EDIT(field) offsetof(struct edit_args, field)
static const struct cmd_option edit_opts[] = {
    {"name", KIND_NAME, EDIT(in.name), N_("the corrected name"), 0, NULL, NULL},
    {"unit", KIND_UNIT, EDIT(in.unit_id), N_("the unit the coordinator works in, by id or name"), 0,
     NULL, NULL},
    {"email", KIND_TEXT, EDIT(in.email), N_("the e-mail address"), 0, NULL, NULL},
    {"phone", KIND_TEXT, EDIT(in.phone), N_("the telephone number"), 0, NULL, NULL},
    {"reason", KIND_TEXT, EDIT(reason), N_("why the change is made (kept in the audit log)"),
     OPT_REQUIRED, NULL, NULL},
    {0}};
static const struct cmd_option list_opts[] = {
    {"all", KIND_FLAG, 0, N_("retired coordinators too"), 0, NULL, NULL}, {0}};
#define ASSIGN(field) offsetof(struct bti_assign_in, field)
static const struct cmd_option assign_opts[] = {
    {"coordinator", KIND_COORDINATOR, ASSIGN(coordinator_id),
     N_("the coordinator appointed, by id or name"), OPT_REQUIRED, NULL, NULL},
    {"child", KIND_FLAG, ASSIGN(child), N_("the barnekoordinator, not the coordinator"), 0, NULL,
     NULL},
    {"user-preferred", KIND_FLAG, ASSIGN(user_preferred), N_("the user asked for this coordinator"),
     0, NULL, NULL},
    {"user-wish", KIND_TEXT, ASSIGN(user_wish), N_("what the user wished for"), 0, NULL, NULL},
    {"reason", KIND_TEXT, ASSIGN(reason), N_("why the coordinator changes (needed for a change)"),
     0, NULL, NULL},
    {"date", KIND_DATE, ASSIGN(start), N_("the day of the appointment (default today)"), 0, NULL,
     NULL},
    {"confirmed", KIND_DATE, ASSIGN(confirmed), N_("the day the coordinator confirmed"), 0, NULL,
     NULL},
    {"temporary", KIND_FLAG, ASSIGN(temporary),
     N_("a stand-in while the regular coordinator is away"), 0, NULL, NULL},
    {"until", KIND_DATE, ASSIGN(until), N_("the last day of the stand-in"), 0, NULL, NULL},
    {0}};
#define END(field) offsetof(struct bti_end_in, field)
static const struct cmd_option end_opts[] = {
    {"child", KIND_FLAG, END(child), N_("the barnekoordinator, not the coordinator"), 0, NULL,
     NULL},
    {"temporary", KIND_FLAG, END(temporary), N_("a stand-in while the regular coordinator is away"),
     0, NULL, NULL},
    {"reason", KIND_TEXT, END(reason), N_("why the assignment ends"), OPT_REQUIRED, NULL, NULL},
    {"need-continues", KIND_FLAG, END(need_continues),
     N_("the need continues (a new coordinator is due)"), 0, NULL, NULL},
    {"date", KIND_DATE, END(date), N_("the day it ended (default today)"), 0, NULL, NULL},
    {0}};
#define REPORT(field) offsetof(struct report_args, field)
static const struct cmd_option confirm_opts[] = {
    {"child", KIND_FLAG, REPORT(child), N_("the barnekoordinator, not the coordinator"), 0, NULL,
     NULL},
    {"date", KIND_DATE, REPORT(date), N_("the day the coordinator confirmed (default today)"), 0,
     NULL, NULL},
    {0}};
static const struct cmd_option register_opts[] = {
    {"child", KIND_FLAG, REPORT(child), N_("the barnekoordinator, not the coordinator"), 0, NULL,
     NULL},
    {"date", KIND_DATE, REPORT(date), N_("the day of the EHR registration (default today)"),
     OPT_ONE_OF, NULL, NULL},
    {"own-system", KIND_TEXT, REPORT(own_system), N_("the coordinator's own documentation system"),
     OPT_ONE_OF, NULL, NULL},
    {0}};

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
