/*
 * bti export and bti restore: the whole database as one JSON document, a
 * row per line (SPEC section 6).  An export holds every identity: it needs
 * --identify, goes only to a private file (the writer of -o FILE: an
 * unnamed temporary file linked into place when complete) or to a stdout
 * others cannot read, and is logged.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "bti/error.h"
#include "bti/export.h"
#include "cmd.h"

/* Write one line and its line end to the FILE in arg. */
static int write_line(const char *line, size_t len, void *arg)
{
    FILE *fp = arg;
    if (fwrite(line, 1, len, fp) != len || putc('\n', fp) == EOF)
        return bti_error_set(BTI_EDB, _("cannot write the export: %s"), strerror(errno));
    return 0;
}

/* export --identify [FILE] [--force] */
static int export_cmd(struct cmd_ctx *c, int argc, char **argv)
{
    long long rows = 0;
    int rc = cmd_read_options(c, argc, argv, NULL);
    if (rc == 0 && argc - optind > 1)
        rc = cmd_args(c, argc, argv, 1, NULL, "FILE");
    if (rc == 0 && !c->bctx.identify) {
        bti_error_set(BTI_EUSAGE, _("an export holds every identity: it needs --identify"));
        return bti_error_set_hint(_("bti export --identify FILE"));
    }
    const char *target = rc == 0 && argc > optind ? argv[optind] : NULL;
    if (rc == 0 && target)
        rc = cmd_output_file(c, target); /* linked into place once the export is complete */
    if (rc == 0)
        rc = bti_export(c->db, write_line, c->out.fp, &rows);
    if (rc == 0)
        cmd_summary(c, _("%s %lld rows%s%s"),
                    c->dry_run && target ? _("would export") : _("exported"), rows,
                    target ? _(" to ") : "", target ? target : "");
    return rc;
}

static const struct cmd_verb export_verbs[] = {
    {NULL, export_cmd, CMD_DB | CMD_LOGS | CMD_FILE, BTI_ROLE_ADMIN,
     "export --identify [FILE] [--force]",
     N_("the whole database as one JSON document, a row per line (logged)"), NULL},
};
const struct cmd_group cmd_export_group =
    CMD_GROUP("export", N_("the whole database as JSON"), export_verbs);
