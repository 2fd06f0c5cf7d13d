/*
 * bti referral: a referral opens a case (for a new or known person) or adds
 * requests to an open one.
 */
#include "base/intl.h"
#include "bti/case.h"
#include "bti/error.h"
#include "cmd.h"

/* Read one option of referral add into r and its inline person p. */
static int referral_option(struct cmd_ctx *c, int opt, char **argv, struct bti_referral_in *r,
                           struct bti_person_in *p)
{
    switch (opt) {
    case 'p': return cmd_id(optarg, "--person", &r->person_id);
    case 'c': return cmd_id(optarg, "--case", &r->case_id);
    case 'n': r->person = p; return cmd_person_option(c, opt, argv, p);
    case 'b':
    case 'e':
    case 'N': return cmd_person_option(c, opt, argv, p);
    case 's': r->source = optarg; return 0;
    case 'q': r->requests = optarg; return 0;
    case 'r': return cmd_text(c, optarg, &r->referrer);
    case 'd': return cmd_date(c, optarg, "--date", &r->received);
    default: return cmd_bad_option(c, opt, argv);
    }
}

/* Refuse person options that came without --name. */
static int check_person_options(const struct bti_referral_in *r, const struct bti_person_in *p)
{
    if (!r->person && (p->born != BTI_NO_DATE || p->nin))
        return bti_error_set(BTI_EUSAGE, _("--born, --expected and --nin go with --name"));
    return 0;
}

/* referral add (--person ID | --name NAME [...] | --case CASE) --source S --requests ITEMS */
static int referral_add(struct cmd_ctx *c, int argc, char **argv)
{
    struct bti_person_in p = {.born = BTI_NO_DATE};
    struct bti_referral_in r = {.received = BTI_NO_DATE};
    struct bti_referral_out out;
    int opt, rc = 0;
    while (rc == 0 && (opt = cmd_opt(c, argc, argv)) != -1)
        rc = referral_option(c, opt, argv, &r, &p);
    if (rc == 0)
        rc = cmd_args(c, argc, argv, 0, NULL, "");
    if (rc == 0)
        rc = check_person_options(&r, &p);
    if (rc == 0)
        rc = bti_referral_add(c->db, &r, &out);
    if (rc)
        return rc;
    char words[256]; /* the items in the reader's language */
    const char *items = out_words("requests", r.requests, words, sizeof words);
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
    int opt, rc = 0;
    while (rc == 0 && (opt = cmd_opt(c, argc, argv)) != -1)
        rc = opt == 'c' ? cmd_id(optarg, "--case", &case_id) : cmd_bad_option(c, opt, argv);
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

static const struct cmd_option add_opts[] = {
    {"person", KIND_ID, 'p', N_("a person bti has already"), OPT_ONE_OF, NULL},
    {"case", KIND_CASE, 'c', N_("a later referral for this open case"), OPT_ONE_OF, NULL},
    {"name", KIND_NAME, 'n', N_("the person's name (a new person)"), OPT_ONE_OF, NULL},
    {"born", KIND_DATE, 'b', N_("the date of birth"), 0, "expected"},
    {"expected", KIND_DATE, 'e', N_("the expected date of birth (an expected child)"), 0, NULL},
    {"nin", KIND_TEXT, 'N', N_("the national identity number"), 0, NULL},
    {"source", KIND_WORD, 's', N_("where the referral came from"), OPT_REQUIRED, NULL},
    {"requests", KIND_TEXT, 'q', N_("what it asks for, comma-separated"), OPT_REQUIRED, NULL},
    {"referrer", KIND_TEXT, 'r', N_("who referred the person"), 0, NULL},
    {"date", KIND_DATE, 'd', N_("the day it was received (default today)"), 0, NULL},
    {0, 0, 0, 0, 0, 0}};
static const struct cmd_option list_opts[] = {
    {"case", KIND_CASE, 'c', N_("only the referrals of this case"), 0, NULL}, {0, 0, 0, 0, 0, 0}};

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
