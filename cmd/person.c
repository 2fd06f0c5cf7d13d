/* bti person: the users of the services and their relatives. */
#include <stdio.h>
#include <unistd.h>
#include "base/intl.h"
#include "bti/error.h"
#include "bti/person.h"
#include "bti/privacy.h"
#include "cmd.h"

/* person add --name NAME [--born DATE | --expected DATE] [--nin NIN] */
static int person_add(struct cmd_ctx *c, int argc, char **argv)
{
    struct bti_person_in p = {.born = BTI_NO_DATE};
    long long id;
    int rc = cmd_read_options(c, argc, argv, &p);
    if (rc == 0)
        rc = cmd_args(c, argc, argv, 0, NULL, "");
    if (rc == 0)
        rc = bti_person_add(c->db, &p, &id);
    if (rc)
        return rc;
    cmd_summary(c, _("person %lld: added"), id);
    return cmd_created(c, "person", id);
}

/* The options of person edit. */
struct edit_args {
    struct bti_person_in p;
    const char *reason;
};

/* person edit PERSON [--name NAME] [--born DATE | --expected DATE] [--nin NIN] --reason TEXT */
static int person_edit(struct cmd_ctx *c, int argc, char **argv)
{
    struct edit_args a = {.p = {.born = BTI_NO_DATE, .expected = -1}};
    long long id;
    int rc = cmd_read_options(c, argc, argv, &a);
    if (rc == 0)
        rc = cmd_id_arg(c, argc, argv, "PERSON", &id);
    if (rc == 0)
        rc = bti_person_edit(c->db, id, &a.p, a.reason);
    if (rc == 0)
        cmd_summary(c, _("person %lld: edited"), id);
    return rc;
}

/* The options of person relative add. */
struct relative_args {
    const char *name, *relation;
    int may_consent;
};

/* person relative add PERSON --name NAME --relation TEXT [--may-consent] */
static int relative_add(struct cmd_ctx *c, int argc, char **argv)
{
    struct relative_args a = {0};
    long long person, id;
    int rc = cmd_read_options(c, argc, argv, &a);
    if (rc == 0)
        rc = cmd_id_arg(c, argc, argv, "PERSON", &person);
    if (rc == 0)
        rc = bti_relative_add(c->db, person, a.name, a.relation, a.may_consent, &id);
    if (rc)
        return rc;
    cmd_summary(c, _("person %lld: relative %lld added"), person, id);
    return cmd_created(c, "relative", id);
}

/* The options of person erase. */
struct erase_args {
    const char *reason;
    int yes;
};

/* person erase PERSON --reason TEXT [--yes] */
static int person_erase(struct cmd_ctx *c, int argc, char **argv)
{
    struct erase_args a = {0};
    char question[64];
    long long id, rows;
    int rc = cmd_read_options(c, argc, argv, &a);
    if (rc == 0)
        rc = cmd_id_arg(c, argc, argv, "PERSON", &id);
    if (rc == 0 && !a.yes) {
        snprintf(question, sizeof question, _("erase person %lld for good?"), id);
        rc = cmd_confirm(c, question);
    }
    if (rc == 0)
        rc = bti_person_erase(c->db, id, a.reason, &rows);
    if (rc == 0)
        cmd_summary(c, _("person %lld: erased from %lld rows and their audit entries"), id, rows);
    return rc;
}

/* person list [--name TEXT] [--born DATE] [--limit N] */
static int person_list(struct cmd_ctx *c, int argc, char **argv)
{
    struct bti_person_filter f = {.born = BTI_NO_DATE};
    int rc = cmd_read_options(c, argc, argv, &f);
    if (rc == 0)
        rc = cmd_args(c, argc, argv, 0, NULL, "");
    struct out_list *l = rc ? NULL : cmd_list_begin(c, &bti_person_cols);
    return rc ? rc : cmd_list_end(l, l ? bti_person_list(c->db, &f, out_list_row, l) : 0);
}

/* person show PERSON */
static int person_show(struct cmd_ctx *c, int argc, char **argv)
{
    char *arg;
    long long id;
    cJSON *obj;
    int rc = cmd_plain(c, argc, argv, 1, &arg, "PERSON");
    if (rc == 0)
        rc = cmd_id(arg, "PERSON", &id);
    if (rc == 0)
        rc = bti_person_show(c->db, id, &obj);
    return rc ? rc : cmd_object(c, obj);
}

/* person export PERSON: everything bti holds about the person, and who
 * has read it (an access request); JSON unless --format html */
static int person_export(struct cmd_ctx *c, int argc, char **argv)
{
    char *arg, title[160];
    long long id;
    cJSON *obj;
    int rc = cmd_plain(c, argc, argv, 1, &arg, "PERSON");
    if (rc == 0)
        rc = cmd_id(arg, "PERSON", &id);
    if (rc == 0 && c->out.format != OUT_JSON && c->out.format != OUT_HTML &&
        c->out.format != OUT_TABLE)
        rc = bti_error_set(BTI_EUSAGE, _("person export writes json or html"));
    if (rc == 0)
        rc = bti_person_export(c->db, id, &obj);
    if (rc)
        return rc;
    if (c->out.format == OUT_TABLE) /* the document is JSON unless html is asked for */
        c->out.format = OUT_JSON;
    snprintf(title, sizeof title, _("What bti holds about person %lld, and who has read it"), id);
    c->out.title = title;
    return cmd_object(c, obj);
}

#define PERSON(field) offsetof(struct bti_person_in, field)
static const struct cmd_option add_opts[] = {
    {"name", KIND_NAME, PERSON(name), N_("the person's name"), OPT_REQUIRED, NULL, NULL},
    {"born", KIND_DATE, PERSON(born), N_("the date of birth"), 0, "expected", cmd_read_born},
    {"expected", KIND_DATE, PERSON(born), N_("the expected date of birth (an expected child)"), 0,
     NULL, cmd_read_expected},
    {"nin", KIND_TEXT, PERSON(nin), N_("the national identity number"), 0, NULL, NULL},
    {0}};
#define EDIT(field) offsetof(struct edit_args, field)
static const struct cmd_option edit_opts[] = {
    {"name", KIND_NAME, EDIT(p.name), N_("the corrected name"), 0, NULL, NULL},
    {"born", KIND_DATE, EDIT(p.born), N_("the date of birth"), 0, "expected", cmd_read_born},
    {"expected", KIND_DATE, EDIT(p.born), N_("the expected date of birth (an expected child)"), 0,
     NULL, cmd_read_expected},
    {"nin", KIND_TEXT, EDIT(p.nin), N_("the national identity number"), 0, NULL, NULL},
    {"reason", KIND_TEXT, EDIT(reason), N_("why the change is made (kept in the audit log)"),
     OPT_REQUIRED, NULL, NULL},
    {0}};
static const struct cmd_option relative_opts[] = {
    {"name", KIND_NAME, offsetof(struct relative_args, name), N_("the relative's name"),
     OPT_REQUIRED, NULL, NULL},
    {"relation", KIND_TEXT, offsetof(struct relative_args, relation),
     N_("how the relative is related"), OPT_REQUIRED, NULL, NULL},
    {"may-consent", KIND_FLAG, offsetof(struct relative_args, may_consent),
     N_("the relative may consent for the person"), 0, NULL, NULL},
    {0}};
static const struct cmd_option erase_opts[] = {
    {"reason", KIND_TEXT, offsetof(struct erase_args, reason), N_("why the person is erased"),
     OPT_REQUIRED, NULL, NULL},
    {"yes", KIND_FLAG, offsetof(struct erase_args, yes), N_("do not ask for confirmation"), 0, NULL,
     NULL},
    {0}};
#define FILTER(field) offsetof(struct bti_person_filter, field)
static const struct cmd_option list_opts[] = {
    {"name", KIND_TEXT, FILTER(name), N_("only persons whose name contains TEXT"), 0, NULL, NULL},
    {"born", KIND_DATE, FILTER(born), N_("only persons born on this day"), 0, NULL, NULL},
    {"limit", KIND_ID, FILTER(limit), N_("show at most N rows"), 0, NULL, NULL},
    {0}};

static const struct cmd_verb verbs[] = {
    {"add", person_add, CMD_DB | CMD_WRITE, BTI_ROLE_CASEWORKER,
     "person add --name NAME [--born DATE | --expected DATE] [--nin NIN]",
     N_("add a person (or an unborn child by its expected date)"), add_opts},
    {"list", person_list, CMD_DB | CMD_LOGS | CMD_PAGER, BTI_ROLE_CASEWORKER,
     "person list [--name TEXT] [--born DATE] [--limit N]",
     N_("list persons (an identified read: logged)"), list_opts},
    {"show", person_show, CMD_DB | CMD_LOGS | CMD_PAGER, BTI_ROLE_CASEWORKER, "person show PERSON",
     N_("one person with relatives and cases (logged)"), NULL},
    {"edit", person_edit, CMD_DB | CMD_WRITE, BTI_ROLE_CASEWORKER,
     "person edit PERSON [--name NAME] [--born DATE | --expected DATE] [--nin NIN] "
     "--reason TEXT",
     N_("correct a person's name, dates or nin"), edit_opts},
    {"relative add", relative_add, CMD_DB | CMD_WRITE, BTI_ROLE_CASEWORKER,
     "person relative add PERSON --name NAME --relation TEXT [--may-consent]",
     N_("add a relative or guardian"), relative_opts},
    {"export", person_export, CMD_DB | CMD_LOGS, BTI_ROLE_ADMIN,
     "person export PERSON [--format json|html]",
     N_("everything bti holds about a person, and who has read it: an access request (logged)"),
     NULL},
    {"erase", person_erase, CMD_DB | CMD_WRITE | CMD_ASKS, BTI_ROLE_ADMIN,
     "person erase PERSON --reason TEXT [--yes]",
     N_("remove a person's values from the data and the audit (asks at a terminal)"), erase_opts},
};
const struct cmd_group cmd_person_group = CMD_GROUP("person", N_("persons and relatives"), verbs);
