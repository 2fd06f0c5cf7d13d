/* bti backup FILE: a verified copy of the database (SPEC section 9). */
#include "bti/doctor.h"
#include "bti/error.h"
#include "cmd.h"

/* The backup as --json prints it: its path and SHA-256. */
static int print_json(struct cmd_ctx *c, const struct bti_backup_info *b)
{
    cJSON *obj = cJSON_CreateObject();
    if (!obj || !cJSON_AddStringToObject(obj, "target", b->target) ||
        !cJSON_AddStringToObject(obj, "sha256", b->sha256)) {
        cJSON_Delete(obj);
        return bti_error_set(BTI_EDB, _("out of memory"));
    }
    return cmd_object(c, obj);
}

/* backup FILE: nothing on stdout but with --json; the summary on stderr. */
static int backup(struct cmd_ctx *c, int argc, char **argv)
{
    char *file;
    struct bti_backup_info b;
    struct bti_backup_opts opts = {c->dry_run, cmd_user_files};
    int rc = cmd_plain(c, argc, argv, 1, &file, "FILE");
    if (rc == 0)
        rc = bti_backup(c->db, file, &opts, &b);
    if (rc == 0 && !c->dry_run)
        cmd_made(c, b.target);
    if (rc == 0 && c->out.format == OUT_JSON)
        rc = print_json(c, &b);
    if (rc == 0 && c->dry_run)
        cmd_summary(c, _("a backup of %lld bytes was made and checked; nothing written to %s"),
                    b.bytes, b.target);
    else if (rc == 0)
        cmd_summary(c, _("backup of %lld bytes written to %s, sha256 %s"), b.bytes, b.target,
                    b.sha256);
    return rc;
}

static const struct cmd_verb verbs[] = {
    {NULL, backup, CMD_DB | CMD_WRITE, BTI_ROLE_ADMIN, "backup FILE",
     N_("copy the database to a new FILE (0600), checked, never replacing a file"), NULL},
};
const struct cmd_group cmd_backup_group =
    CMD_GROUP("backup", N_("a verified copy of the database"), verbs);
