/* bti basis list: the table of law, each row with its source and validity. */
#include "base/intl.h"
#include "bti/basis.h"
#include "bti/error.h"
#include "cmd.h"

/* basis list [--at DATE] */
static int basis_list(struct cmd_ctx *c, int argc, char **argv)
{
    bti_date at = BTI_NO_DATE;
    int rc = cmd_read_options(c, argc, argv, &at);
    if (rc == 0)
        rc = cmd_args(c, argc, argv, 0, NULL, "");
    struct out_list *l = rc ? NULL : cmd_list_begin(c, &bti_basis_cols);
    return rc ? rc : cmd_list_end(l, l ? bti_basis_list(at, c->bctx.today, out_list_row, l) : 0);
}

static const struct cmd_option list_opts[] = {
    {"at", KIND_DATE, 0, N_("the law as it stood on this day"), 0, NULL, NULL}, {0}};

static const struct cmd_verb verbs[] = {
    {"list", basis_list, CMD_PAGER, BTI_ROLE_NONE, "basis list [--at DATE]",
     N_("the legal bases and procedural rules, their sources and validity"), list_opts},
};
const struct cmd_group cmd_basis_group = CMD_GROUP("basis", N_("the law bti follows"), verbs);
