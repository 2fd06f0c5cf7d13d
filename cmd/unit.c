/* bti unit: the units (enhet, seksjon) responsible for cases. */
#include "base/intl.h"
#include "bti/error.h"
#include "bti/unit.h"
#include "cmd.h"

/* unit add NAME */
static int unit_add(struct cmd_ctx *c, int argc, char **argv)
{
    char *arg;
    const char *name;
    long long id;
    int rc = cmd_plain(c, argc, argv, 1, &arg, "NAME");
    if (rc == 0)
        rc = cmd_text(c, arg, &name);
    if (rc == 0)
        rc = bti_unit_add(c->db, name, &id);
    if (rc)
        return rc;
    cmd_summary(c, _("unit %lld: added"), id);
    return cmd_created(c, "unit", id);
}

/* The options of unit edit. */
struct edit_args {
    const char *name, *reason;
};

/* unit edit UNIT --name NAME --reason TEXT */
static int unit_edit(struct cmd_ctx *c, int argc, char **argv)
{
    struct edit_args a = {0};
    char *ref;
    long long id;
    int rc = cmd_read_options(c, argc, argv, &a);
    if (rc == 0)
        rc = cmd_args(c, argc, argv, 1, &ref, "UNIT");
    if (rc == 0)
        rc = cmd_unit(c, ref, &id);
    if (rc == 0)
        rc = bti_unit_edit(c->db, id, a.name, a.reason);
    if (rc == 0)
        cmd_summary(c, _("unit %lld: renamed"), id);
    return rc;
}

/* unit list */
static int unit_list(struct cmd_ctx *c, int argc, char **argv)
{
    return cmd_list_all(c, argc, argv, &bti_unit_cols, bti_unit_list);
}

static const struct cmd_option edit_opts[] = {
    {"name", KIND_NAME, offsetof(struct edit_args, name), N_("the new name"), OPT_REQUIRED, NULL,
     NULL},
    {"reason", KIND_TEXT, offsetof(struct edit_args, reason),
     N_("why the change is made (kept in the audit log)"), OPT_REQUIRED, NULL, NULL},
    {0}};

static const struct cmd_verb verbs[] = {
    {"add", unit_add, CMD_DB | CMD_WRITE, BTI_ROLE_CASEWORKER, "unit add NAME", N_("add a unit"),
     NULL},
    {"list", unit_list, CMD_DB | CMD_PAGER, BTI_ROLE_CASEWORKER, "unit list",
     N_("list the units with their open cases"), NULL},
    {"edit", unit_edit, CMD_DB | CMD_WRITE, BTI_ROLE_CASEWORKER,
     "unit edit UNIT --name NAME --reason TEXT", N_("rename a unit"), edit_opts},
};
const struct cmd_group cmd_unit_group = CMD_GROUP("unit", N_("units responsible for cases"), verbs);
