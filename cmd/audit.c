/* bti audit: the hash-chained log of every change (SPEC section 9). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/intl.h"
#include "bti/audit.h"
#include "bti/error.h"
#include "bti/privacy.h"
#include "cmd.h"

/* Print the head "ROWS:HASH" as an object {rows, hash, head, audit_rows,
 * access_rows} (with "verified": true after a verify). */
static int print_head_object(struct cmd_ctx *c, const char *head,
                             const struct bti_audit_rows *rows, int verified)
{
    cJSON *obj = cJSON_CreateObject();
    if (!obj)
        return bti_error_set(BTI_EDB, _("out of memory"));
    if (verified)
        cJSON_AddBoolToObject(obj, "verified", 1);
    cJSON_AddNumberToObject(obj, "rows", strtod(head, NULL));
    cJSON_AddStringToObject(obj, "hash", strchr(head, ':') + 1);
    cJSON_AddStringToObject(obj, "head", head);
    cJSON_AddNumberToObject(obj, "audit_rows", (double)rows->audit);
    cJSON_AddNumberToObject(obj, "access_rows", (double)rows->access);
    return cmd_object(c, obj);
}

/* audit head: the row count and head hash, for cron to keep off the host;
 * ROWS:HASH in a table, an object in JSON and CSV. */
static int audit_head(struct cmd_ctx *c, int argc, char **argv)
{
    char head[BTI_AUDIT_HEAD_BUF];
    struct bti_audit_rows rows;
    int rc = cmd_plain(c, argc, argv, 0, NULL, "");
    if (rc == 0)
        rc = bti_audit_head(c->db, head, &rows);
    if (rc == 0 && c->out.format != OUT_TABLE)
        return print_head_object(c, head, &rows, 0);
    if (rc == 0)
        fprintf(c->out.fp, "%s\n", head);
    return rc;
}

/* audit verify [--head HEAD]: nothing on stdout in a table; in JSON and CSV
 * the head it verified. */
static int audit_verify(struct cmd_ctx *c, int argc, char **argv)
{
    char now[BTI_AUDIT_HEAD_BUF];
    const char *head = NULL;
    int rc = cmd_read_options(c, argc, argv, &head);
    if (rc == 0)
        rc = cmd_args(c, argc, argv, 0, NULL, "");
    if (rc == 0)
        rc = bti_audit_verify(c->db, head);
    if (rc)
        return rc;
    cmd_summary(c, _("the audit chain verifies%s"), head ? _(" and holds the head") : "");
    if (c->out.format == OUT_TABLE)
        return 0;
    struct bti_audit_rows rows;
    rc = bti_audit_head(c->db, now, &rows);
    return rc ? rc : print_head_object(c, now, &rows, 1);
}

/* audit report [--login L] [--person P] [--from DATE] [--to DATE] */
static int audit_report(struct cmd_ctx *c, int argc, char **argv)
{
    struct bti_access_filter f = {.from = BTI_NO_DATE, .to = BTI_NO_DATE};
    int rc = cmd_read_options(c, argc, argv, &f);
    if (rc == 0)
        rc = cmd_args(c, argc, argv, 0, NULL, "");
    struct out_list *l = rc ? NULL : cmd_list_begin(c, &bti_access_report_cols);
    return rc ? rc : cmd_list_end(l, l ? bti_access_report(c->db, &f, out_list_row, l) : 0);
}

/* audit reviewed [--date DATE] [--note TEXT] */
static int audit_reviewed(struct cmd_ctx *c, int argc, char **argv)
{
    struct cmd_date_note e;
    long long id;
    int rc = cmd_date_note(c, argc, argv, &e);
    if (rc == 0)
        rc = bti_access_reviewed(c->db, e.date, e.note, &id);
    if (rc)
        return rc;
    cmd_summary(c, _("access log review %lld recorded"), id);
    return cmd_created(c, "access_review", id);
}

static const struct cmd_option verify_opts[] = {
    {"head", KIND_TEXT, 0, N_("the audit chain head kept off the host, to check against"), 0, NULL,
     cmd_read_word},
    {0}};
#define REPORT(field) offsetof(struct bti_access_filter, field)
static const struct cmd_option report_opts[] = {
    {"login", KIND_NAME, REPORT(login), N_("only rows of this OS login"), 0, NULL, cmd_read_word},
    {"person", KIND_ID, REPORT(person_id), N_("only rows about this person"), 0, NULL, NULL},
    {"from", KIND_DATE, REPORT(from), N_("the first day of the period"), 0, NULL, NULL},
    {"to", KIND_DATE, REPORT(to), N_("the last day of the period"), 0, NULL, NULL},
    {0}};
static const struct cmd_option reviewed_opts[] = {
    {"date", KIND_DATE, offsetof(struct cmd_date_note, date),
     N_("the day the access log was reviewed (default today)"), 0, NULL, NULL},
    {"note", KIND_TEXT, offsetof(struct cmd_date_note, note), N_("what the review found"), 0, NULL,
     NULL},
    {0}};

static const struct cmd_verb verbs[] = {
    {"verify", audit_verify, CMD_DB, BTI_ROLE_REPORT, "audit verify [--head HEAD]",
     N_("check the hash chain (and that it still holds HEAD)"), verify_opts},
    {"head", audit_head, CMD_DB, BTI_ROLE_REPORT, "audit head",
     N_("print the row count and head hash as ROWS:HASH"), NULL},
    {"report", audit_report, CMD_DB | CMD_PAGER, BTI_ROLE_CASEWORKER,
     "audit report [--login L] [--person P] [--from DATE] [--to DATE]",
     N_("who read identified data: reads per login, exports and --identify flagged"), report_opts},
    {"reviewed", audit_reviewed, CMD_DB | CMD_WRITE, BTI_ROLE_CASEWORKER,
     "audit reviewed [--date DATE] [--note TEXT]",
     N_("record that the KE reviewed the access log (due asks every three months)"), reviewed_opts},
};
const struct cmd_group cmd_audit_group = CMD_GROUP("audit", N_("the audit log"), verbs);
