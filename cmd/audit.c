/* bti audit: the hash-chained log of every change (SPEC section 9). */
#include <stdio.h>
#include "bti/audit.h"
#include "bti/error.h"
#include "cmd.h"

/* audit head: the row count and head hash, for cron to keep off the host. */
static int audit_head(struct cmd_ctx *c, int argc, char **argv)
{
    char head[BTI_AUDIT_HEAD_BUF];
    int rc = cmd_plain(c, argc, argv, 0, NULL, "");
    if (rc == 0)
        rc = bti_audit_head(c->db, head);
    if (rc == 0)
        fprintf(c->out.fp, "%s\n", head);
    return rc;
}

/* audit verify [--head HEAD] */
static int audit_verify(struct cmd_ctx *c, int argc, char **argv)
{
    const char *head = NULL;
    int opt, rc = 0;
    while (rc == 0 && (opt = cmd_opt(c, argc, argv)) != -1) {
        if (opt != 'H')
            return cmd_bad_option(c, opt, argv);
        head = optarg;
    }
    if (rc == 0)
        rc = cmd_args(c, argc, argv, 0, NULL, "");
    if (rc == 0)
        rc = bti_audit_verify(c->db, head);
    if (rc == 0)
        cmd_summary(c, "the audit chain verifies%s", head ? " and holds the head" : "");
    return rc;
}

static const struct option verify_opts[] = {{"head", required_argument, 0, 'H'}, {0, 0, 0, 0}};

static const struct cmd_verb verbs[] = {
    {"verify", audit_verify, CMD_DB, BTI_ROLE_REPORT, "audit verify [--head HEAD]",
     "check the hash chain (and that it still holds HEAD)", verify_opts},
    {"head", audit_head, CMD_DB, BTI_ROLE_REPORT, "audit head",
     "print the row count and head hash as ROWS:HASH", NULL},
};
const struct cmd_group cmd_audit_group = CMD_GROUP("audit", "the audit log", verbs);
