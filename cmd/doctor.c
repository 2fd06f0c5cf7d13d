/* bti doctor: being written (placeholder so the tree builds). */
#include "bti/error.h"
#include "cmd.h"

static int placeholder(struct cmd_ctx *c, int argc, char **argv)
{
    (void)c, (void)argc, (void)argv;
    return bti_error_set(BTI_EUSAGE, "not built yet");
}

static const struct cmd_verb verbs[] = {
    {NULL, placeholder, 0, BTI_ROLE_ADMIN, "doctor", "being written", NULL},
};
const struct cmd_group cmd_doctor_group = CMD_GROUP("doctor", "being written", verbs);
