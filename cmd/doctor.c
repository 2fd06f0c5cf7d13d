/* bti doctor: check the database's health (SPEC section 9). */
#include "bti/doctor.h"
#include "bti/error.h"
#include "cmd.h"

/* doctor: every check as a listing of check, status and detail; exit 7
 * when one failed (a warning does not fail). */
static int doctor(struct cmd_ctx *c, int argc, char **argv)
{
    int rc = cmd_plain(c, argc, argv, 0, NULL, "");
    if (rc)
        return rc;
    struct out_list *list = cmd_list_begin(c, &bti_doctor_cols);
    if (!list)
        return bti_error_code();
    return cmd_list_end(list, bti_doctor(c->db, out_list_row, list));
}

static const struct cmd_verb verbs[] = {
    {NULL, doctor, CMD_DB | CMD_PAGER, BTI_ROLE_ADMIN, "doctor",
     N_("check integrity, foreign keys, the audit against the data, the schema, files and "
        "encryption"),
     NULL},
};
const struct cmd_group cmd_doctor_group = CMD_GROUP(
    "doctor", N_("check the database: integrity, audit against data, schema, files"), verbs);
