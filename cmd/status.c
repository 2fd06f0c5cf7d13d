/*
 * bti status: one screen for the start of the day: the database in use,
 * the login and its role, open cases by state, what is due today and in
 * the next 14 days, the last backup, the last access-log review and the
 * audit head.  Counts only: no name is read, nothing is logged.
 */
#include "bti/config.h"
#include "bti/status.h"
#include "cmd.h"

/* status */
static int status(struct cmd_ctx *c, int argc, char **argv)
{
    struct bti_config cfg;
    cJSON *obj = NULL;
    int rc = cmd_plain(c, argc, argv, 0, NULL, "");
    if (rc == 0)
        rc = bti_config_read(BTI_CONFIG_PATH, &cfg);
    if (rc == 0)
        rc = bti_status(c->db, cfg.retention_years, &obj);
    return rc ? rc : cmd_object(c, obj);
}

static const struct cmd_verb verbs[] = {
    {NULL, status, CMD_DB, BTI_ROLE_REPORT, "status",
     N_("the start of the day: database, login and role, open cases by state, what is due today "
        "and in 14 days, last backup, last access-log review, audit head"),
     NULL},
};
const struct cmd_group cmd_status_group = CMD_GROUP("status", N_("the start of the day"), verbs);
