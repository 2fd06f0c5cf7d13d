/*
 * bti user: bind OS logins to the roles admin, caseworker, coordinator and
 * report (SPEC section 9).
 */
#include <string.h>
#include "base/intl.h"
#include "bti/coordinator.h"
#include "bti/error.h"
#include "bti/user.h"
#include "cmd.h"

/* user add LOGIN --role admin|caseworker|report
 * user add LOGIN --role coordinator --coordinator C */
static int user_add(struct cmd_ctx *c, int argc, char **argv)
{
    const char *role_name = NULL, *coordinator = NULL;
    char *login;
    int opt;
    while ((opt = cmd_opt(c, argc, argv)) != -1) {
        if (opt == 'r')
            role_name = optarg;
        else if (opt == 'c')
            coordinator = optarg;
        else
            return cmd_bad_option(c, opt, argv);
    }
    int rc = cmd_args(c, argc, argv, 1, &login, "LOGIN");
    if (rc)
        return rc;
    enum bti_role role;
    long long id, coordinator_id = 0;
    rc = bti_role_parse(&role, role_name);
    if (rc == 0 && coordinator)
        rc = bti_coordinator_find(c->db, coordinator, &coordinator_id);
    if (rc == 0)
        rc = bti_user_add(c->db, login, role, coordinator_id, &id);
    if (rc)
        return rc;
    cmd_summary(c, _("user %s: %s"), login, out_value("role", role_name));
    return cmd_created(c, "user", id);
}

/* user retire LOGIN */
static int user_retire(struct cmd_ctx *c, int argc, char **argv)
{
    char *login;
    int rc = cmd_plain(c, argc, argv, 1, &login, "LOGIN");
    if (rc == 0)
        rc = bti_user_retire(c->db, login);
    if (rc == 0)
        cmd_summary(c, _("user %s: retired"), login);
    return rc;
}

/* user list */
static int user_list(struct cmd_ctx *c, int argc, char **argv)
{
    return cmd_list_all(c, argc, argv, &bti_user_cols, bti_user_list);
}

static const struct cmd_option add_opts[] = {
    {"role", KIND_WORD, 'r', N_("what the login may do"), OPT_REQUIRED, NULL},
    {"coordinator", KIND_COORDINATOR, 'c', N_("the coordinator a coordinator login is"), 0, NULL},
    {0, 0, 0, 0, 0, 0}};

static const struct cmd_verb verbs[] = {
    {"add", user_add, CMD_DB | CMD_WRITE, BTI_ROLE_ADMIN,
     "user add LOGIN --role admin|caseworker|coordinator|report [--coordinator C]",
     N_("give an OS login a role (a coordinator login: its coordinator's cases only)"), add_opts},
    {"list", user_list, CMD_DB | CMD_PAGER, BTI_ROLE_ADMIN, "user list",
     N_("list the logins and their roles"), NULL},
    {"retire", user_retire, CMD_DB | CMD_WRITE, BTI_ROLE_ADMIN, "user retire LOGIN",
     N_("take a login's role away (its history stays)"), NULL},
};
const struct cmd_group cmd_user_group = CMD_GROUP("user", N_("logins and their roles"), verbs);
