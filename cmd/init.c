/*
 * bti init: create the database, its file 0600 in a 0700 directory, with
 * the caller as its first admin.  Never overwrites.
 */
#include <grp.h>
#include <sys/stat.h>
#include "base/intl.h"
#include "bti/error.h"
#include "cmd.h"

/* The id of group name; BTI_EINVAL when there is none. */
static int group_id(const char *name, unsigned *gid)
{
    struct group *g = getgrnam(name);
    if (!g)
        return bti_error_set(BTI_EINVAL, _("no group '%s' on this machine"), name);
    *gid = (unsigned)g->gr_gid;
    return 0;
}

/* A dry run creates nothing: it says whether init would, refusing where a
 * file exists as init does. */
static int dry_run(struct cmd_ctx *c)
{
    struct stat st;
    if (lstat(c->db_path, &st) == 0) {
        bti_error_set(BTI_ERULE, _("a file already exists at '%s'"), c->db_path);
        return bti_error_set_hint(
            _("bti never overwrites a database; choose another path with --db"));
    }
    cmd_summary(c, _("would create %s with '%s' as admin"), c->db_path, c->bctx.login);
    return 0;
}

/* init [--shared GROUP] */
static int init(struct cmd_ctx *c, int argc, char **argv)
{
    const char *shared = NULL;
    unsigned gid = 0;
    int rc = cmd_read_options(c, argc, argv, &shared);
    if (rc == 0)
        rc = cmd_args(c, argc, argv, 0, NULL, "");
    if (rc == 0 && shared)
        rc = group_id(shared, &gid);
    if (rc)
        return rc;
    if (c->dry_run)
        return dry_run(c);
    struct bti_db *db;
    rc = bti_db_create(&db, c->db_path, &c->bctx);
    if (rc)
        return rc;
    bti_db_close(db);
    if (shared && (rc = bti_db_share(c->db_path, gid)) != 0) {
        bti_db_remove(c->db_path);
        return rc;
    }
    cmd_summary(c, _("created %s with '%s' as admin%s%s"), c->db_path, c->bctx.login,
                shared ? _(", shared with group ") : "", shared ? shared : "");
    return 0;
}

static const struct cmd_option init_opts[] = {
    {"shared", KIND_TEXT, 0, N_("share the database with this OS group"), 0, NULL, cmd_read_word},
    {0}};

static const struct cmd_verb verbs[] = {
    {NULL, init, 0, BTI_ROLE_NONE, "init [--shared GROUP]",
     N_("create the database (never overwrites); --shared for a multi-user server"), init_opts},
};
const struct cmd_group cmd_init_group = CMD_GROUP("init", N_("create the database"), verbs);
