/* bti consent: consent to the plan process and to information exchange. */
#include "base/intl.h"
#include "bti/consent.h"
#include "bti/error.h"
#include "cmd.h"

/* consent give CASE --scope S --by B [--relative ID] --parties P [--date DATE] */
static int consent_give(struct cmd_ctx *c, int argc, char **argv)
{
    struct bti_consent_in in = {.given = BTI_NO_DATE};
    long long id;
    int rc = cmd_read_options(c, argc, argv, &in);
    if (rc == 0)
        rc = cmd_case(c, argc, argv, &in.case_id);
    if (rc == 0)
        rc = bti_consent_give(c->db, &in, &id);
    if (rc)
        return rc;
    cmd_summary(c, _("case %lld: %s consent %lld given by %s"), in.case_id,
                out_value("scope", in.scope), id, out_value("by", in.by));
    return cmd_created(c, "consent", id);
}

/* The options of consent withdraw. */
struct withdraw_args {
    const char *scope;
    long long consent;
    bti_date date;
};

/* consent withdraw CASE --scope S [--consent ID] [--date DATE] */
static int consent_withdraw(struct cmd_ctx *c, int argc, char **argv)
{
    struct withdraw_args a = {.date = BTI_NO_DATE};
    long long case_id, id;
    int rc = cmd_read_options(c, argc, argv, &a);
    if (rc == 0)
        rc = cmd_case(c, argc, argv, &case_id);
    if (rc == 0)
        rc = bti_consent_withdraw(c->db, case_id, a.scope, a.consent, a.date, &id);
    if (rc == 0)
        cmd_summary(c, _("case %lld: %s consent %lld withdrawn"), case_id, a.scope, id);
    return rc;
}

/* The options of consent edit. */
struct edit_args {
    const char *parties, *reason;
    bti_date given;
};

/* consent edit CONSENT [--parties P] [--date DATE] --reason TEXT */
static int consent_edit(struct cmd_ctx *c, int argc, char **argv)
{
    struct edit_args a = {.given = BTI_NO_DATE};
    long long id;
    int rc = cmd_read_options(c, argc, argv, &a);
    if (rc == 0)
        rc = cmd_id_arg(c, argc, argv, "CONSENT", &id);
    if (rc == 0 && !a.parties && a.given == BTI_NO_DATE)
        rc = bti_error_set(BTI_EUSAGE, _("consent edit needs --parties or --date, and --reason"));
    if (rc == 0)
        rc = bti_consent_edit(c->db, id, a.parties, a.given, a.reason);
    if (rc == 0)
        cmd_summary(c, _("consent %lld: edited"), id);
    return rc;
}

/* consent list [CASE] */
static int consent_list(struct cmd_ctx *c, int argc, char **argv)
{
    long long case_id = 0;
    int rc = cmd_read_options(c, argc, argv, NULL);
    if (rc == 0 && argc - optind > 0)
        rc = cmd_case(c, argc, argv, &case_id);
    struct out_list *l = rc ? NULL : cmd_list_begin(c, &bti_consent_cols);
    return rc ? rc : cmd_list_end(l, l ? bti_consent_list(c->db, case_id, out_list_row, l) : 0);
}

#define GIVE(field) offsetof(struct bti_consent_in, field)
static const struct cmd_option give_opts[] = {
    {"scope", KIND_WORD, GIVE(scope), N_("what the consent covers"), OPT_REQUIRED, NULL, NULL},
    {"by", KIND_WORD, GIVE(by), N_("who gave it"), OPT_REQUIRED, NULL, NULL},
    {"relative", KIND_ID, GIVE(relative_id),
     N_("the relative who gave it (a guardian or representative)"), 0, NULL, NULL},
    {"parties", KIND_TEXT, GIVE(parties),
     N_("whom it lets share information, comma-separated, or all"), OPT_REQUIRED, NULL, NULL},
    {"date", KIND_DATE, GIVE(given), N_("the day it was given (default today)"), 0, NULL, NULL},
    {0}};
#define WITHDRAW(field) offsetof(struct withdraw_args, field)
static const struct cmd_option withdraw_opts[] = {
    {"scope", KIND_WORD, WITHDRAW(scope), N_("which consent is withdrawn"), OPT_REQUIRED, NULL,
     NULL},
    {"consent", KIND_ID, WITHDRAW(consent),
     N_("the consent, when the case has more than one of the scope"), 0, NULL, NULL},
    {"date", KIND_DATE, WITHDRAW(date), N_("the day it was withdrawn (default today)"), 0, NULL,
     NULL},
    {0}};
static const struct cmd_option edit_opts[] = {
    {"parties", KIND_TEXT, offsetof(struct edit_args, parties),
     N_("the parties, comma-separated, or all"), 0, NULL, NULL},
    {"date", KIND_DATE, offsetof(struct edit_args, given), N_("the day it was given"), 0, NULL,
     NULL},
    {"reason", KIND_TEXT, offsetof(struct edit_args, reason),
     N_("why the change is made (kept in the audit log)"), OPT_REQUIRED, NULL, NULL},
    {0}};

static const struct cmd_verb verbs[] = {
    {"give", consent_give, CMD_DB | CMD_WRITE, BTI_ROLE_CASEWORKER,
     "consent give CASE --scope plan|exchange --by user|guardian|representative "
     "[--relative ID] --parties KE,fastlege,skole|all [--date DATE]",
     N_("record a consent (a guardian or representative is a relative who may consent)"),
     give_opts},
    {"withdraw", consent_withdraw, CMD_DB | CMD_WRITE, BTI_ROLE_CASEWORKER,
     "consent withdraw CASE --scope plan|exchange [--consent ID] [--date DATE]",
     N_("record that a consent was withdrawn (its history stays)"), withdraw_opts},
    {"list", consent_list, CMD_DB | CMD_PAGER, BTI_ROLE_CASEWORKER, "consent list [CASE]",
     N_("list consents, of one case or all"), NULL},
    {"edit", consent_edit, CMD_DB | CMD_WRITE, BTI_ROLE_CASEWORKER,
     "consent edit CONSENT [--parties P] [--date DATE] --reason TEXT",
     N_("correct a consent's parties or date"), edit_opts},
};
const struct cmd_group cmd_consent_group =
    CMD_GROUP("consent", N_("consent to plan and exchange"), verbs);
