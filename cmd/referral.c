/*
 * bti referral: a referral opens a case (for a new or known person) or adds
 * requests to an open one.
 */
#include "base/intl.h"
#include "bti/case.h"
#include "bti/error.h"
#include "cmd.h"

/* The options of referral add: the referral, and the person --name adds. */
struct add_args {
    struct bti_referral_in r;
    struct bti_person_in person;
};

/* Refuse person options that came without --name. */
static int check_person_options(const struct add_args *a)
{
    if (!a->person.name && (a->person.born != BTI_NO_DATE || a->person.nin))
        return bti_error_set(BTI_EUSAGE, _("--born, --expected and --nin go with --name"));
    return 0;
}

/* referral add (--person ID | --name NAME [...] | --case CASE) --source S --requests ITEMS */
static int referral_add(struct cmd_ctx *c, int argc, char **argv)
{
    struct add_args a = {.r.received = BTI_NO_DATE, .person.born = BTI_NO_DATE};
    struct bti_referral_in *r = &a.r;
    struct bti_referral_out out;
    int rc = cmd_read_options(c, argc, argv, &a);
    if (rc == 0)
        rc = cmd_args(c, argc, argv, 0, NULL, "");
    if (rc == 0)
        rc = check_person_options(&a);
    if (rc == 0 && a.person.name)
        r->person = &a.person;
    if (rc == 0)
        rc = bti_referral_add(c->db, r, &out);
    if (rc)
        return rc;
    char words[256]; /* the items in the reader's language */
    const char *items = out_words("requests", r->requests, words, sizeof words);
    if (out.before == BTI_ST_NONE)
        cmd_summary(c, _("case %lld: new, %s; requests %s"), out.case_id, cmd_state_word(out.after),
                    items);
    else if (out.before != out.after)
        cmd_summary(c, _("case %lld: %s -> %s; referral %lld adds %s"), out.case_id,
                    cmd_state_word(out.before), cmd_state_word(out.after), out.referral_id, items);
    else
        cmd_summary(c, _("case %lld: %s; referral %lld adds %s"), out.case_id,
                    cmd_state_word(out.after), out.referral_id, items);
    return cmd_created(c, "ke_case", out.case_id);
}

/* referral list [--case CASE] */
static int referral_list(struct cmd_ctx *c, int argc, char **argv)
{
    long long case_id = 0;
    int rc = cmd_read_options(c, argc, argv, &case_id);
    if (rc == 0)
        rc = cmd_args(c, argc, argv, 0, NULL, "");
    struct out_list *l = rc ? NULL : cmd_list_begin(c, &bti_referral_cols);
    return rc ? rc : cmd_list_end(l, l ? bti_referral_list(c->db, case_id, out_list_row, l) : 0);
}

/* referral show REFERRAL */
static int referral_show(struct cmd_ctx *c, int argc, char **argv)
{
    char *arg;
    long long id;
    cJSON *obj;
    int rc = cmd_plain(c, argc, argv, 1, &arg, "REFERRAL");
    if (rc == 0)
        rc = cmd_id(arg, "REFERRAL", &id);
    if (rc == 0)
        rc = bti_referral_show(c->db, id, &obj);
    return rc ? rc : cmd_object(c, obj);
}

#define ADD(field) offsetof(struct add_args, field)
static const struct cmd_option add_opts[] = {
    {"person", KIND_ID, ADD(r.person_id), N_("a person bti has already"), OPT_ONE_OF, NULL, NULL},
    {"case", KIND_CASE, ADD(r.case_id), N_("a later referral for this open case"), OPT_ONE_OF, NULL,
     NULL},
    {"name", KIND_NAME, ADD(person.name), N_("the person's name (a new person)"), OPT_ONE_OF, NULL,
     NULL},
    {"born", KIND_DATE, ADD(person.born), N_("the date of birth"), 0, "expected", cmd_read_born},
    {"expected", KIND_DATE, ADD(person.born), N_("the expected date of birth (an expected child)"),
     0, NULL, cmd_read_expected},
    {"nin", KIND_TEXT, ADD(person.nin), N_("the national identity number"), 0, NULL, NULL},
    {"source", KIND_WORD, ADD(r.source), N_("where the referral came from"), OPT_REQUIRED, NULL,
     NULL},
    {"requests", KIND_TEXT, ADD(r.requests), N_("what it asks for, comma-separated"), OPT_REQUIRED,
     NULL, cmd_read_word},
    {"referrer", KIND_TEXT, ADD(r.referrer), N_("who referred the person"), 0, NULL, NULL},
    {"date", KIND_DATE, ADD(r.received), N_("the day it was received (default today)"), 0, NULL,
     NULL},
    {0}};
static const struct cmd_option list_opts[] = {
    {"case", KIND_CASE, 0, N_("only the referrals of this case"), 0, NULL, NULL}, {0}};

static const struct cmd_verb verbs[] = {
    {"add", referral_add, CMD_DB | CMD_WRITE, BTI_ROLE_CASEWORKER,
     "referral add (--person ID | --name NAME [--born DATE | --expected DATE] [--nin NIN] | "
     "--case CASE) --source bti|plo|application --requests coordinator,ip,child "
     "[--referrer TEXT] [--date DATE]",
     N_("record a referral: a new case, or new requests on an open case"), add_opts},
    {"list", referral_list, CMD_DB | CMD_PAGER, BTI_ROLE_CASEWORKER, "referral list [--case CASE]",
     N_("list referrals with their requested items"), list_opts},
    {"show", referral_show, CMD_DB | CMD_PAGER, BTI_ROLE_CASEWORKER, "referral show REFERRAL",
     N_("one referral"), NULL},
};
const struct cmd_group cmd_referral_group =
    CMD_GROUP("referral", N_("referrals and requests"), verbs);
