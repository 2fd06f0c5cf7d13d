/* bti export and restore: being written (placeholder so the tree builds). */
#include "bti/error.h"
#include "cmd.h"

static int placeholder(struct cmd_ctx *c, int argc, char **argv)
{
    (void)c, (void)argc, (void)argv;
    return bti_error_set(BTI_EUSAGE, "not built yet");
}

static const struct cmd_verb export_verbs[] = {
    {NULL, placeholder, 0, BTI_ROLE_ADMIN, "export", "being written", NULL},
};
const struct cmd_group cmd_export_group = CMD_GROUP("export", "being written", export_verbs);
static const struct cmd_verb restore_verbs[] = {
    {NULL, placeholder, 0, BTI_ROLE_ADMIN, "restore", "being written", NULL},
};
const struct cmd_group cmd_restore_group = CMD_GROUP("restore", "being written", restore_verbs);
