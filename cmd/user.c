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

/* The options of user add: the coordinator is found once the role is read. */
struct add_args {
    const char *role, *coordinator;
};

/* user add LOGIN --role admin|caseworker|report
 * user add LOGIN --role coordinator --coordinator C */
static int user_add(struct cmd_ctx *c, int argc, char **argv)
{
    struct add_args a = {0};
    char *login;
    int rc = cmd_read_options(c, argc, argv, &a);
    if (rc == 0)
        rc = cmd_args(c, argc, argv, 1, &login, "LOGIN");
    if (rc)
        return rc;
    enum bti_role role;
    long long id, coordinator_id = 0;
    rc = bti_role_parse(&role, a.role);
    if (rc == 0 && a.coordinator)
        rc = bti_coordinator_find(c->db, a.coordinator, &coordinator_id);
    if (rc == 0)
        rc = bti_user_add(c->db, login, role, coordinator_id, &id);
    if (rc)
        return rc;
    cmd_summary(c, _("user %s: %s"), login, out_value("role", a.role));
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
    {"role", KIND_WORD, offsetof(struct add_args, role), N_("what the login may do"), OPT_REQUIRED,
     NULL, NULL},
    {"coordinator", KIND_COORDINATOR, offsetof(struct add_args, coordinator),
     N_("the coordinator a coordinator login is"), 0, NULL, cmd_read_word},
    {0}};

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
