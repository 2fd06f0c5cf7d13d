/* bti case: the cases, one per person at a time. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "base/intl.h"
#include "bti/case.h"
#include "bti/coordinator.h"
#include "bti/error.h"
#include "bti/privacy.h"
#include "bti/unit.h"
#include "cmd.h"

/* case list [--status S]... [--open] [--unit U] [--coordinator C] [--name TEXT] [--limit N] */
static int case_list(struct cmd_ctx *c, int argc, char **argv)
{
    struct bti_case_filter f = {0};
    int rc = cmd_read_options(c, argc, argv, &f);
    if (rc == 0)
        rc = cmd_args(c, argc, argv, 0, NULL, "");
    struct out_list *l = rc ? NULL : cmd_list_begin(c, &bti_case_cols);
    return rc ? rc : cmd_list_end(l, l ? bti_case_list(c->db, &f, out_list_row, l) : 0);
}

/* Read the CASE argument of a verb without options. */
static int case_arg(struct cmd_ctx *c, int argc, char **argv, long long *id)
{
    char *arg;
    int rc = cmd_plain(c, argc, argv, 1, &arg, "CASE");
    return rc ? rc : cmd_case_id(c, arg, id);
}

/* case show CASE */
static int case_show(struct cmd_ctx *c, int argc, char **argv)
{
    long long id;
    cJSON *obj;
    int rc = case_arg(c, argc, argv, &id);
    if (rc == 0)
        rc = bti_case_show(c->db, id, &obj);
    return rc ? rc : cmd_object(c, obj);
}

/* The options of case edit. */
struct edit_args {
    struct bti_case_edit e;
    const char *reason;
};

/* case edit CASE [--referrer TEXT] [--date DATE] --reason TEXT */
static int case_edit(struct cmd_ctx *c, int argc, char **argv)
{
    struct edit_args a = {.e.received = BTI_NO_DATE};
    long long id;
    int rc = cmd_read_options(c, argc, argv, &a);
    if (rc == 0)
        rc = cmd_case(c, argc, argv, &id);
    if (rc == 0 && !a.e.referrer && a.e.received == BTI_NO_DATE)
        rc = bti_error_set(BTI_EUSAGE, _("case edit needs --referrer or --date"));
    if (rc == 0)
        rc = bti_case_edit(c->db, id, &a.e, a.reason);
    if (rc == 0)
        cmd_summary(c, _("case %lld: edited"), id);
    return rc;
}

/* The options of case close. */
struct close_args {
    const char *cause;
    bti_date date;
    int yes;
};

/* case close CASE --cause C [--date DATE] [--yes] */
static int case_close(struct cmd_ctx *c, int argc, char **argv)
{
    struct close_args a = {.date = BTI_NO_DATE};
    enum bti_state before;
    char question[64];
    long long id;
    int rc = cmd_read_options(c, argc, argv, &a);
    if (rc == 0)
        rc = cmd_case(c, argc, argv, &id);
    if (rc == 0)
        rc = bti_case_close(c->db, id, a.cause, a.date, &before);
    if (rc == 0 && !a.yes) {
        snprintf(question, sizeof question, _("close case %lld?"), id);
        rc = cmd_confirm(c, question);
    }
    if (rc == 0)
        cmd_summary(c, _("case %lld: %s -> closed (%s)"), id, cmd_state_word(before), a.cause);
    return rc;
}

/* case reopen CASE --reason TEXT */
static int case_reopen(struct cmd_ctx *c, int argc, char **argv)
{
    const char *reason = NULL;
    enum bti_state after;
    long long id;
    int rc = cmd_read_options(c, argc, argv, &reason);
    if (rc == 0)
        rc = cmd_case(c, argc, argv, &id);
    if (rc == 0)
        rc = bti_case_reopen(c->db, id, reason, &after);
    if (rc == 0)
        cmd_summary(c, _("case %lld: closed -> %s"), id, cmd_state_word(after));
    return rc;
}

/* The options of case unit: the unit is found once the case is read. */
struct unit_args {
    const char *unit, *reason;
};

/* case unit CASE --unit UNIT --reason TEXT */
static int case_unit(struct cmd_ctx *c, int argc, char **argv)
{
    struct unit_args a = {0};
    long long id, unit_id;
    int rc = cmd_read_options(c, argc, argv, &a);
    if (rc == 0)
        rc = cmd_case(c, argc, argv, &id);
    if (rc == 0)
        rc = cmd_unit(c, a.unit, &unit_id);
    if (rc == 0)
        rc = bti_case_unit(c->db, id, unit_id, a.reason);
    if (rc == 0)
        cmd_summary(c, _("case %lld: unit %lld responsible"), id, unit_id);
    return rc;
}

/* case access CASE: who has looked at the case */
static int case_access(struct cmd_ctx *c, int argc, char **argv)
{
    long long id;
    int rc = case_arg(c, argc, argv, &id);
    struct out_list *l = rc ? NULL : cmd_list_begin(c, &bti_case_access_cols);
    return rc ? rc : cmd_list_end(l, l ? bti_case_access(c->db, id, out_list_row, l) : 0);
}

/* case log CASE */
static int case_log(struct cmd_ctx *c, int argc, char **argv)
{
    long long id;
    int rc = case_arg(c, argc, argv, &id);
    struct out_list *l = rc ? NULL : cmd_list_begin(c, &bti_case_log_cols);
    return rc ? rc : cmd_list_end(l, l ? bti_case_log(c->db, id, out_list_row, l) : 0);
}

static const struct cmd_option close_opts[] = {
    {"cause", KIND_WORD, offsetof(struct close_args, cause), N_("why the case is closed"),
     OPT_REQUIRED, NULL, NULL},
    {"date", KIND_DATE, offsetof(struct close_args, date), N_("the day it closed (default today)"),
     0, NULL, NULL},
    {"yes", KIND_FLAG, offsetof(struct close_args, yes), N_("do not ask for confirmation"), 0, NULL,
     NULL},
    {0}};
static const struct cmd_option reopen_opts[] = {
    {"reason", KIND_TEXT, 0, N_("why the change is made (kept in the audit log)"), OPT_REQUIRED,
     NULL, NULL},
    {0}};
static const struct cmd_option unit_opts[] = {
    {"unit", KIND_UNIT, offsetof(struct unit_args, unit),
     N_("the unit now responsible, by id or name"), OPT_REQUIRED, NULL, cmd_read_word},
    {"reason", KIND_TEXT, offsetof(struct unit_args, reason),
     N_("why the change is made (kept in the audit log)"), OPT_REQUIRED, NULL, NULL},
    {0}};

#define LIST(field) offsetof(struct bti_case_filter, field)
static const struct cmd_option list_opts[] = {
    {"status", KIND_STATE, LIST(statuses), N_("only cases in this state (repeatable)"), 0, NULL,
     NULL},
    {"open", KIND_FLAG, LIST(open), N_("only cases not closed"), 0, NULL, NULL},
    {"unit", KIND_UNIT, LIST(unit_id), N_("only cases of this unit"), 0, NULL, NULL},
    {"name", KIND_TEXT, LIST(name), N_("only persons whose name contains TEXT"), 0, NULL, NULL},
    {"coordinator", KIND_COORDINATOR, LIST(coordinator_id), N_("only cases of this coordinator"), 0,
     NULL, NULL},
    {"limit", KIND_ID, LIST(limit), N_("show at most N rows"), 0, NULL, NULL},
    {0}};
static const struct cmd_option edit_opts[] = {
    {"referrer", KIND_TEXT, offsetof(struct edit_args, e.referrer), N_("who referred the person"),
     0, NULL, NULL},
    {"date", KIND_DATE, offsetof(struct edit_args, e.received),
     N_("the day the first referral was received"), 0, NULL, NULL},
    {"reason", KIND_TEXT, offsetof(struct edit_args, reason),
     N_("why the change is made (kept in the audit log)"), OPT_REQUIRED, NULL, NULL},
    {0}};

static const struct cmd_verb verbs[] = {
    {"list", case_list, CMD_DB | CMD_LOGS | CMD_PAGER | CMD_OWN_CASES, BTI_ROLE_CASEWORKER,
     "case list [--status S]... [--open] [--unit U] [--coordinator C] [--name TEXT] [--limit N]",
     N_("list cases with the person's name (logged; --pseudonymous: the case id alone)"),
     list_opts},
    {"show", case_show, CMD_DB | CMD_LOGS | CMD_PAGER | CMD_OWN_CASES, BTI_ROLE_CASEWORKER,
     "case show CASE", N_("everything about one case (logged)"), NULL},
    {"edit", case_edit, CMD_DB | CMD_WRITE, BTI_ROLE_CASEWORKER,
     "case edit CASE [--referrer TEXT] [--date DATE] --reason TEXT",
     N_("correct the referrer or received date of a case's first referral"), edit_opts},
    {"close", case_close, CMD_DB | CMD_WRITE | CMD_ASKS, BTI_ROLE_CASEWORKER,
     "case close CASE --cause need-ended|declined|denied|moved|deceased|other [--date DATE] "
     "[--yes]",
     N_("close a case (asks at a terminal unless --yes)"), close_opts},
    {"reopen", case_reopen, CMD_DB | CMD_WRITE, BTI_ROLE_CASEWORKER,
     "case reopen CASE --reason TEXT", N_("undo a close made in error, within a year"),
     reopen_opts},
    {"unit", case_unit, CMD_DB | CMD_WRITE, BTI_ROLE_CASEWORKER,
     "case unit CASE --unit UNIT --reason TEXT", N_("change the responsible unit"), unit_opts},
    {"log", case_log, CMD_DB | CMD_PAGER, BTI_ROLE_CASEWORKER, "case log CASE",
     N_("the audit rows of a case: who changed what, when"), NULL},
    {"access", case_access, CMD_DB | CMD_PAGER, BTI_ROLE_CASEWORKER, "case access CASE",
     N_("who has looked at the case (from the access log)"), NULL},
};
const struct cmd_group cmd_case_group = CMD_GROUP("case", N_("cases"), verbs);
