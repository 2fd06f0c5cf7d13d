/*
 * bti report and bti due: the overview, the coordinators' caseload, the
 * decisions of a period, the semiannual figures for the coordinators'
 * gathering, and what needs action today (SPEC section 8).
 */
#include <stdio.h>
#include <string.h>
#include "base/intl.h"
#include "bti/config.h"
#include "bti/coordinator.h"
#include "bti/error.h"
#include "bti/report.h"
#include "bti/unit.h"
#include "cmd.h"

/* The options of a report of a period. */
struct period_args {
    const char *period;
    bti_date from, to;
    int public;
};

/* Read --period, --from, --to and --public into p and *public.  Without a
 * period, the last complete half-year. */
static int period_options(struct cmd_ctx *c, int argc, char **argv, struct bti_period *p,
                          int *public)
{
    struct period_args a = {.from = BTI_NO_DATE, .to = BTI_NO_DATE};
    int rc = cmd_read_options(c, argc, argv, &a);
    const char *period = a.period;
    bti_date from = a.from, to = a.to;
    *public = a.public;
    if (rc == 0)
        rc = cmd_args(c, argc, argv, 0, NULL, "");
    if (rc == 0 && period && (from != BTI_NO_DATE || to != BTI_NO_DATE))
        return bti_error_set(BTI_EUSAGE, _("give --period or --from and --to, not both"));
    if (rc == 0 && (from == BTI_NO_DATE) != (to == BTI_NO_DATE))
        return bti_error_set(BTI_EUSAGE, _("--from and --to go together"));
    if (rc == 0 && from != BTI_NO_DATE && from > to)
        return bti_error_set(BTI_EINVAL, _("--from lies after --to"));
    if (rc || !period)
        *p =
            from != BTI_NO_DATE ? (struct bti_period){from, to} : bti_period_default(c->bctx.today);
    return rc ? rc : period ? bti_period_parse(p, period) : 0;
}

/* Name the report and its period in the output: CSV gets the columns from
 * and to, xlsx and html a title and the period (bufs: two BTI_DATE_BUF). */
static void report_heading(struct cmd_ctx *c, const char *title, const struct bti_period *p,
                           char bufs[2][BTI_DATE_BUF])
{
    static char made[BTI_DATE_BUF];
    c->out.title = title;
    c->out.from = bti_date_format(p->from, bufs[0]);
    c->out.to = bti_date_format(p->to, bufs[1]);
    c->out.made = bti_date_format(c->bctx.today, made);
}

/* report overview */
static int report_overview(struct cmd_ctx *c, int argc, char **argv)
{
    return cmd_list_all(c, argc, argv, &bti_overview_cols, bti_report_overview);
}

/* report decisions [--period P | --from DATE --to DATE] */
static int report_decisions(struct cmd_ctx *c, int argc, char **argv)
{
    struct bti_period p;
    char dates[2][BTI_DATE_BUF];
    int public = 0;
    int rc = period_options(c, argc, argv, &p, &public);
    if (rc == 0)
        report_heading(c, _("Decisions"), &p, dates);
    struct out_list *l = rc ? NULL : cmd_list_begin(c, &bti_decisions_cols);
    return rc ? rc : cmd_list_end(l, l ? bti_report_decisions(c->db, &p, out_list_row, l) : 0);
}

/* A JSON member as a row value: a number, a string or null. */
static struct bti_value json_value(const cJSON *x)
{
    struct bti_value v = {.null = !x || cJSON_IsNull(x)};
    if (cJSON_IsNumber(x))
        v.i = (long long)x->valuedouble, v.r = x->valuedouble;
    else
        v.s = cJSON_GetStringValue(x);
    return v;
}

/* Write the objects of a JSON array as rows of cols; a string in a number
 * column is a count a public report hides. */
static int write_array(struct cmd_ctx *c, const struct bti_cols *cols, const cJSON *array)
{
    struct bti_value v[16];
    const cJSON *o;
    if (cols->n > sizeof v / sizeof v[0])
        return bti_error_set(BTI_EDB, _("internal error: too many columns"));
    struct out_list *l = cmd_list_begin(c, cols);
    int rc = l ? 0 : bti_error_code();
    cJSON_ArrayForEach(o, array)
    {
        for (size_t i = 0; rc == 0 && i < cols->n; i++)
            v[i] = json_value(cJSON_GetObjectItem(o, cols->col[i].key));
        struct bti_row row = {cols->col, cols->n, v};
        if (rc == 0)
            rc = out_list_row(&row, l);
    }
    return cmd_list_end(l, rc);
}

/* Add the rows section, metric, value of obj's numbers and strings below
 * `path` to the long form. */
static int long_rows(struct out_list *l, const char *section, const char *path, const cJSON *obj)
{
    const cJSON *x;
    int rc = 0;
    cJSON_ArrayForEach(x, obj)
    {
        char metric[128];
        snprintf(metric, sizeof metric, "%s%s%s", path, *path ? "." : "", x->string);
        if (cJSON_IsObject(x)) {
            rc = long_rows(l, section, metric, x);
        } else {
            struct bti_value v[3] = {{.s = section}, {.s = metric}, json_value(x)};
            struct bti_row row = {bti_long_cols.col, 3, v};
            rc = out_list_row(&row, l);
        }
        if (rc)
            break;
    }
    return rc;
}

/* A report object: JSON as it is, a table or CSV in the long form
 * section, metric, value (SPEC section 8). */
static int write_long(struct cmd_ctx *c, cJSON *report)
{
    if (c->out.format == OUT_JSON)
        return cmd_object(c, report);
    struct out_list *l = cmd_list_begin(c, &bti_long_cols);
    const cJSON *section;
    int rc = l ? 0 : bti_error_code();
    cJSON_ArrayForEach(section, report)
    {
        if (rc == 0 && strcmp(section->string, "period") != 0)
            rc = long_rows(l, section->string, "", section);
    }
    cJSON_Delete(report);
    return cmd_list_end(l, rc);
}

/* Add the chart {title, data} to charts; data is taken (a copy when it
 * belongs to another object). */
static void add_chart(cJSON *charts, const char *title, cJSON *data)
{
    cJSON *chart = cJSON_CreateObject();
    cJSON_AddStringToObject(chart, "title", title);
    cJSON_AddItemToObject(chart, "data", data ? data : cJSON_CreateObject());
    cJSON_AddItemToArray(charts, chart);
}

/* The medians of this period against those of the half-year before it:
 * {metric: {previous_half_year, this_period}}. */
static int medians_chart(struct cmd_ctx *c, const struct bti_period *p, int public,
                         const cJSON *report, cJSON **out)
{
    struct bti_period prev = {bti_date_add_months(p->from, -6), bti_date_add_days(p->from, -1)};
    cJSON *before, *m;
    int rc = bti_report_semiannual(c->db, &prev, public, &before);
    if (rc)
        return rc;
    *out = cJSON_CreateObject();
    cJSON_ArrayForEach(m, cJSON_GetObjectItem(report, "median_days"))
    {
        cJSON *pair = cJSON_AddObjectToObject(*out, m->string);
        cJSON *old = cJSON_GetObjectItem(cJSON_GetObjectItem(before, "median_days"), m->string);
        cJSON_AddItemToObject(pair, "previous_half_year",
                              old ? cJSON_Duplicate(old, 1) : cJSON_CreateNull());
        cJSON_AddItemToObject(pair, "this_period", cJSON_Duplicate(m, 1));
    }
    cJSON_Delete(before);
    return 0;
}

/* Caseload per coordinator at the period's end: {coordinator: running}. */
static int caseload_chart(struct cmd_ctx *c, const struct bti_period *p, int public, cJSON **out)
{
    cJSON *co, *k;
    int rc = bti_report_coordinators(c->db, p, public, &co);
    if (rc)
        return rc;
    *out = cJSON_CreateObject();
    cJSON_ArrayForEach(k, cJSON_GetObjectItem(co, "coordinators"))
    {
        const char *name = cJSON_GetStringValue(cJSON_GetObjectItem(k, "coordinator"));
        cJSON_AddItemToObject(*out, name ? name : "",
                              cJSON_Duplicate(cJSON_GetObjectItem(k, "running"), 1));
    }
    cJSON_Delete(co);
    return 0;
}

/* The charts of the gathering's page and workbook (SPEC section 6). */
static int semiannual_charts(struct cmd_ctx *c, const struct bti_period *p, int public,
                             const cJSON *report, cJSON **out)
{
    cJSON *medians = NULL, *caseload = NULL;
    int rc = medians_chart(c, p, public, report, &medians);
    if (rc == 0)
        rc = caseload_chart(c, p, public, &caseload);
    if (rc) {
        cJSON_Delete(medians);
        return rc;
    }
    const cJSON *referrals = cJSON_GetObjectItem(report, "referrals");
    const cJSON *decisions = cJSON_GetObjectItem(report, "decisions");
    *out = cJSON_CreateArray();
    add_chart(*out, _("Referrals by source"),
              cJSON_Duplicate(cJSON_GetObjectItem(referrals, "by_source"), 1));
    add_chart(*out, _("Decisions by item and outcome"),
              cJSON_Duplicate(cJSON_GetObjectItem(decisions, "by_item"), 1));
    add_chart(*out, _("Median days, against the previous half-year"), medians);
    add_chart(*out, _("Caseload per coordinator"), caseload);
    return 0;
}

/* report semiannual [--period P | --from DATE --to DATE] [--public] */
static int report_semiannual(struct cmd_ctx *c, int argc, char **argv)
{
    struct bti_period p;
    char dates[2][BTI_DATE_BUF];
    cJSON *report, *charts = NULL;
    int public = 0;
    int rc = period_options(c, argc, argv, &p, &public);
    if (rc == 0)
        rc = bti_report_semiannual(c->db, &p, public, &report);
    if (rc)
        return rc;
    report_heading(c, _("Semiannual report"), &p, dates);
    if (c->out.format == OUT_XLSX || c->out.format == OUT_HTML)
        rc = semiannual_charts(c, &p, public, report, &charts);
    c->out.charts = charts;
    rc = rc ? (cJSON_Delete(report), rc) : write_long(c, report);
    c->out.charts = NULL;
    cJSON_Delete(charts);
    return rc;
}

/* The concentration's figures as CSV columns beside each coordinator. */
static const struct {
    const char *key, *column;
    enum bti_type type;
} concentration_cols[] = {
    {"median", "caseload_median", BTI_T_REAL},
    {"max", "caseload_max", BTI_T_INT},
    {"busiest_fifth_share", "busiest_fifth_share", BTI_T_REAL},
};
#define NCONC (sizeof concentration_cols / sizeof concentration_cols[0])

/* The coordinators as one CSV table: each row carries the concentration's
 * figures too, so the CSV keeps every figure of the report. */
static int coordinators_csv(struct cmd_ctx *c, cJSON *report)
{
    struct bti_col col[16];
    size_t n = bti_coordinators_cols.n;
    cJSON *arr = cJSON_GetObjectItem(report, "coordinators"), *o;
    const cJSON *conc = cJSON_GetObjectItem(report, "concentration");
    if (n + NCONC > sizeof col / sizeof col[0])
        return bti_error_set(BTI_EDB, _("internal error: too many columns"));
    memcpy(col, bti_coordinators_cols.col, n * sizeof *col);
    for (size_t i = 0; i < NCONC; i++)
        col[n + i] = (struct bti_col){concentration_cols[i].column, concentration_cols[i].type};
    cJSON_ArrayForEach(o, arr)
    {
        for (size_t i = 0; i < NCONC; i++)
            cJSON_AddItemToObject(
                o, concentration_cols[i].column,
                cJSON_Duplicate(cJSON_GetObjectItem(conc, concentration_cols[i].key), 1));
    }
    struct bti_cols cols = {col, n + NCONC};
    return write_array(c, &cols, arr);
}

/* report coordinators [--period P | --from DATE --to DATE] [--public] */
static int report_coordinators(struct cmd_ctx *c, int argc, char **argv)
{
    struct bti_period p;
    char dates[2][BTI_DATE_BUF];
    cJSON *report;
    int public = 0;
    int rc = period_options(c, argc, argv, &p, &public);
    if (rc == 0)
        rc = bti_report_coordinators(c->db, &p, public, &report);
    if (rc || c->out.format == OUT_JSON || c->out.format == OUT_TABLE)
        return rc ? rc : cmd_object(c, report);
    report_heading(c, _("Coordinators"), &p, dates);
    if (c->out.format == OUT_XLSX || c->out.format == OUT_HTML)
        return cmd_object(c, report); /* a sheet each: coordinators, concentration */
    rc = coordinators_csv(c, report);
    cJSON_Delete(report);
    return rc;
}

/* --within DAYS: a whole number of days ahead, at most ten years, into an int. */
static int within_days(struct cmd_ctx *c, const struct cmd_option *o, const char *arg, void *to)
{
    long long days;
    int *out = to;
    (void)c, (void)o;
    if (strcmp(arg, "0") == 0)
        return *out = 0, 0;
    int rc = cmd_id(arg, "--within", &days);
    if (rc == 0 && days > 3660)
        rc = bti_error_set(BTI_EINVAL, _("invalid --within: at most 3660 days"));
    *out = rc ? 0 : (int)days;
    return rc;
}

/* The options of due. */
struct due_args {
    struct bti_due_filter f;
    struct cmd_list kinds;
    int check;
};

/* due [--unit U] [--coordinator C] [--kind K]... [--within DAYS] [--check] */
static int report_due(struct cmd_ctx *c, int argc, char **argv)
{
    struct due_args a = {0};
    struct bti_due_filter *f = &a.f;
    struct bti_config cfg;
    int rc = bti_config_read(BTI_CONFIG_PATH, &cfg);
    if (rc == 0)
        rc = cmd_read_options(c, argc, argv, &a);
    if (rc == 0 && a.kinds.n > 32)
        return bti_error_set(BTI_EUSAGE, _("at most 32 --kind filters"));
    if (rc == 0)
        rc = cmd_args(c, argc, argv, 0, NULL, "");
    f->kinds = a.kinds.v;
    f->nkinds = a.kinds.n;
    f->retention_years = cfg.retention_years;
    if (rc || !a.check) {
        struct out_list *l = rc ? NULL : cmd_list_begin(c, &bti_due_cols);
        return rc ? rc : cmd_list_end(l, l ? bti_report_due(c->db, f, out_list_row, l) : 0);
    }
    f->unnamed = 1; /* nothing is printed */
    rc = bti_report_due(c->db, f, cmd_stop_at_first, NULL);
    return rc == BTI_ECHECK ? bti_error_set(BTI_ECHECK, "%s", "") : rc; /* silent: for cron */
}

#define PERIOD(field) offsetof(struct period_args, field)
static const struct cmd_option period_opts[] = {
    {"period", KIND_TEXT, PERIOD(period), N_("a named period instead of --from and --to"), 0,
     "from", cmd_read_word},
    {"from", KIND_DATE, PERIOD(from), N_("the first day of the period"), 0, NULL, NULL},
    {"to", KIND_DATE, PERIOD(to), N_("the last day of the period"), 0, NULL, NULL},
    {"public", KIND_FLAG, PERIOD(public),
     N_("only figures that may be published (small counts hidden)"), 0, NULL, NULL},
    {0}};
static const struct cmd_option decisions_opts[] = {
    {"period", KIND_TEXT, PERIOD(period), N_("a named period instead of --from and --to"), 0,
     "from", cmd_read_word},
    {"from", KIND_DATE, PERIOD(from), N_("the first day of the period"), 0, NULL, NULL},
    {"to", KIND_DATE, PERIOD(to), N_("the last day of the period"), 0, NULL, NULL},
    {0}};
#define DUE(field) offsetof(struct due_args, field)
static const struct cmd_option due_opts[] = {
    {"unit", KIND_UNIT, DUE(f.unit_id), N_("only items of this unit"), 0, NULL, NULL},
    {"coordinator", KIND_COORDINATOR, DUE(f.coordinator_id), N_("only items of this coordinator"),
     0, NULL, NULL},
    {"kind", KIND_TEXT, DUE(kinds), N_("only items of this kind (repeatable)"), 0, NULL,
     cmd_read_list},
    {"within", KIND_ID, DUE(f.within), N_("items due within DAYS days, not only today"), 0, NULL,
     within_days},
    {"check", KIND_FLAG, DUE(check), N_("print nothing; exit 10 when something is due"), 0, NULL,
     NULL},
    {0}};

#define R (CMD_DB | CMD_PAGER)
/* a listing of cases: names for caseworkers (logged), a coordinator's own cases */
#define CASES (R | CMD_LOGS | CMD_OWN_CASES)

static const struct cmd_verb verbs[] = {
    {"overview", report_overview, CASES, BTI_ROLE_REPORT, "report overview",
     N_("every open case: status, unit, coordinator, plan and next evaluation"), NULL},
    {"coordinators", report_coordinators, R, BTI_ROLE_REPORT,
     "report coordinators [--period P | --from DATE --to DATE] [--public]",
     N_("per coordinator: running, started and ended assignments, gatherings; the concentration"),
     period_opts},
    {"decisions", report_decisions, CASES, BTI_ROLE_REPORT,
     "report decisions [--period P | --from DATE --to DATE]",
     N_("the decisions of a period: items, outcome, days from received, appeals"), decisions_opts},
    {"semiannual", report_semiannual, R, BTI_ROLE_REPORT,
     "report semiannual [--period P | --from DATE --to DATE] [--public]",
     N_("the figures for the coordinators' gathering"), period_opts},
    {"due", report_due, CASES, BTI_ROLE_REPORT,
     "report due [--unit U] [--coordinator C] [--kind K]... [--within DAYS] [--check]",
     N_("what needs action today (and in the next DAYS days), most urgent first"), due_opts},
};
const struct cmd_group cmd_report_group = CMD_GROUP("report", N_("reports"), verbs);

static const struct cmd_verb due_verbs[] = {
    {NULL, report_due, CASES, BTI_ROLE_REPORT,
     "due [--unit U] [--coordinator C] [--kind K]... [--within DAYS] [--check]",
     N_("what needs action today (and in the next DAYS days), most urgent first (exit 7 with "
        "--check when anything is due)"),
     due_opts},
};
const struct cmd_group cmd_due_group = CMD_GROUP("due", N_("what needs action today"), due_verbs);
