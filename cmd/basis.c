/* bti basis list: the legal basis codes with their appeal periods and bodies. */
#include "bti/basis.h"
#include "cmd.h"

/* basis list */
static int basis_list(struct cmd_ctx *c, int argc, char **argv)
{
    int rc = cmd_plain(c, argc, argv, 0, NULL, "");
    struct out_list *l = rc ? NULL : cmd_list_begin(c, &bti_basis_cols);
    return rc ? rc : cmd_list_end(l, l ? bti_basis_list(out_list_row, l) : 0);
}

static const struct cmd_verb verbs[] = {
    {"list", basis_list, CMD_PAGER, BTI_ROLE_NONE, "basis list",
     "the legal basis codes, their appeal periods and appeal bodies", NULL},
};
const struct cmd_group cmd_basis_group = CMD_GROUP("basis", "legal bases of decisions", verbs);
