/*
 * bti init: create the database, its file 0600 in a 0700 directory, with
 * the caller as its first admin.  Never overwrites.
 */
#include "bti/error.h"
#include "cmd.h"

/* init */
static int init(struct cmd_ctx *c, int argc, char **argv)
{
    int rc = cmd_plain(c, argc, argv, 0, NULL, "");
    if (rc)
        return rc;
    struct bti_db *db;
    rc = bti_db_create(&db, c->db_path, &c->bctx);
    if (rc)
        return rc;
    bti_db_close(db);
    cmd_summary(c, "created %s with '%s' as admin", c->db_path, c->bctx.login);
    return 0;
}

static const struct cmd_verb verbs[] = {
    {NULL, init, 0, BTI_ROLE_NONE, "init", "create the database (never overwrites)", NULL},
};
const struct cmd_group cmd_init_group = CMD_GROUP("init", "create the database", verbs);
