/*
 * bti plan: the individual plan (IP) of a case: its goals, measures,
 * contributions and cooperation, adoption when the nine items are there,
 * evaluations, and its end.
 */
#include "base/intl.h"
#include "bti/error.h"
#include "bti/plan.h"
#include "cmd.h"

/* The options of plan adopt, evaluate, end, edit and start: the dates
 * --date, --next, --period-end, the texts --note, --process, --reason,
 * --ref, and the measure a plan edit corrects. */
struct plan_opts {
    bti_date date, next, period_end;
    const char *note, *process, *reason, *ref;
    int need_ended;             /* plan end --need-ended */
    long long measure;          /* plan edit --measure: the measure to correct */
    struct bti_measure_in mfix; /* its fields given */
};

/* Read those options into o, then the CASE argument. */
static int plan_step_args(struct cmd_ctx *c, int argc, char **argv, struct plan_opts *o,
                          long long *case_id)
{
    *o = (struct plan_opts){.date = BTI_NO_DATE, .next = BTI_NO_DATE, .period_end = BTI_NO_DATE};
    int rc = cmd_read_options(c, argc, argv, o);
    return rc ? rc : cmd_case(c, argc, argv, case_id);
}

/* plan start CASE [--ref EXTERNAL-ID] [--date DATE] */
static int plan_start(struct cmd_ctx *c, int argc, char **argv)
{
    struct plan_opts o;
    long long case_id, id;
    int rc = plan_step_args(c, argc, argv, &o, &case_id);
    if (rc == 0)
        rc = bti_plan_start(c->db, case_id, o.ref, o.date, &id);
    if (rc)
        return rc;
    cmd_summary(c, _("case %lld: plan %lld started (in progress)"), case_id, id);
    return cmd_created(c, "plan", id);
}

/* Read CASE and TEXT after the options. */
static int case_and_text(struct cmd_ctx *c, int argc, char **argv, long long *case_id,
                         const char **text)
{
    char *args[2];
    int rc = cmd_args(c, argc, argv, 2, args, "CASE and TEXT");
    if (rc == 0)
        rc = cmd_case_id(c, args[0], case_id);
    return rc ? rc : cmd_text(c, args[1], text);
}

/* plan goal CASE [--kind goal|resource|need] TEXT */
static int plan_goal(struct cmd_ctx *c, int argc, char **argv)
{
    const char *kind = "goal", *text;
    long long case_id, id;
    int rc = cmd_read_options(c, argc, argv, &kind);
    if (rc == 0)
        rc = case_and_text(c, argc, argv, &case_id, &text);
    if (rc == 0)
        rc = bti_plan_goal(c->db, case_id, kind, text, &id);
    if (rc)
        return rc;
    cmd_summary(c, _("case %lld: %s %lld added to the plan"), case_id, out_value("kind", kind), id);
    return cmd_created(c, "goal", id);
}

/* plan contribution CASE --by user|relative|provider TEXT */
static int plan_contribution(struct cmd_ctx *c, int argc, char **argv)
{
    const char *by = NULL, *text;
    long long case_id, id;
    int rc = cmd_read_options(c, argc, argv, &by);
    if (rc == 0)
        rc = case_and_text(c, argc, argv, &case_id, &text);
    if (rc == 0)
        rc = bti_plan_contribution(c->db, case_id, by, text, &id);
    if (rc)
        return rc;
    cmd_summary(c, _("case %lld: contribution %lld by %s added to the plan"), case_id, id,
                out_value("by", by));
    return cmd_created(c, "contribution", id);
}

/* The options of plan cooperation. */
struct cooperation_args {
    const char *with, *what;
};

/* plan cooperation CASE --with ORGANISATION [--what TEXT] */
static int plan_cooperation(struct cmd_ctx *c, int argc, char **argv)
{
    struct cooperation_args a = {0};
    long long case_id, id;
    int rc = cmd_read_options(c, argc, argv, &a);
    if (rc == 0)
        rc = cmd_case(c, argc, argv, &case_id);
    if (rc == 0)
        rc = bti_plan_cooperation(c->db, case_id, a.with, a.what, &id);
    if (rc)
        return rc;
    cmd_summary(c, _("case %lld: cooperation %lld added to the plan"), case_id, id);
    return cmd_created(c, "cooperation", id);
}

/* plan measure CASE --what TEXT --responsible WHO [--scope TEXT] [--how TEXT] [--unit UNIT] */
static int plan_measure(struct cmd_ctx *c, int argc, char **argv)
{
    struct bti_measure_in m = {0};
    long long case_id, id;
    int rc = cmd_read_options(c, argc, argv, &m);
    if (rc == 0)
        rc = cmd_case(c, argc, argv, &case_id);
    if (rc == 0)
        rc = bti_plan_measure(c->db, case_id, &m, &id);
    if (rc)
        return rc;
    cmd_summary(c, _("case %lld: measure %lld added to the plan"), case_id, id);
    return cmd_created(c, "measure", id);
}

/* Say that the plan of case_id took `step`, and when it is evaluated next. */
static void next_summary(struct cmd_ctx *c, long long case_id, const char *step, bti_date next)
{
    char d[BTI_DATE_BUF];
    cmd_summary(c, _("case %lld: plan %s; next evaluation %s"), case_id, step,
                bti_date_format(next, d));
}

/* plan adopt CASE [--date DATE] [--period-end DATE] [--next DATE] */
static int plan_adopt(struct cmd_ctx *c, int argc, char **argv)
{
    struct plan_opts o;
    long long case_id;
    bti_date next;
    int rc = plan_step_args(c, argc, argv, &o, &case_id);
    if (rc == 0)
        rc = bti_plan_adopt(c->db, case_id, o.date, o.period_end, o.next, &next);
    if (rc == 0)
        next_summary(c, case_id, _("adopted"), next);
    return rc;
}

/* plan evaluate CASE [--date DATE] [--next DATE] [--note TEXT] [--process TEXT] */
static int plan_evaluate(struct cmd_ctx *c, int argc, char **argv)
{
    struct plan_opts o;
    long long case_id;
    bti_date next;
    int rc = plan_step_args(c, argc, argv, &o, &case_id);
    if (rc == 0)
        rc = bti_plan_evaluate(c->db, case_id, o.date, o.next, o.note, o.process, &next);
    if (rc == 0)
        next_summary(c, case_id, _("evaluated"), next);
    return rc;
}

/* plan end CASE --reason TEXT [--need-ended] [--date DATE] */
static int plan_end(struct cmd_ctx *c, int argc, char **argv)
{
    struct plan_opts o;
    long long case_id;
    int rc = plan_step_args(c, argc, argv, &o, &case_id);
    if (rc == 0)
        rc = bti_plan_end(c->db, case_id, o.reason, o.need_ended, o.date);
    if (rc == 0)
        cmd_summary(c, _("case %lld: plan ended; %s; the coordinator goes on"), case_id,
                    o.need_ended ? _("the 'ip' item ended") : _("a new plan can be started"));
    return rc;
}

/* plan edit CASE [--ref REF] [--period-end DATE] [--next DATE] --reason TEXT */
static int plan_edit(struct cmd_ctx *c, int argc, char **argv)
{
    struct plan_opts o;
    long long case_id;
    int rc = plan_step_args(c, argc, argv, &o, &case_id);
    int fixes_measure =
        o.mfix.what || o.mfix.scope || o.mfix.how || o.mfix.responsible || o.mfix.unit_id;
    if (rc == 0 && fixes_measure != (o.measure != 0))
        rc = bti_error_set(BTI_EUSAGE, _("--measure ID goes with --what, --scope, --how, "
                                         "--responsible or --unit"));
    if (rc == 0 && o.measure)
        rc = bti_plan_measure_edit(c->db, case_id, o.measure, &o.mfix, o.reason);
    if (rc == 0 && (o.ref || o.period_end != BTI_NO_DATE || o.next != BTI_NO_DATE || !o.measure))
        rc = bti_plan_edit(c->db, case_id, o.ref, o.period_end, o.next, o.reason);
    if (rc == 0)
        cmd_summary(c, _("case %lld: plan edited"), case_id);
    return rc;
}

/* plan show CASE */
static int plan_show(struct cmd_ctx *c, int argc, char **argv)
{
    long long case_id;
    cJSON *obj;
    int rc = cmd_read_options(c, argc, argv, NULL);
    if (rc == 0)
        rc = cmd_case(c, argc, argv, &case_id);
    if (rc == 0)
        rc = bti_plan_show(c->db, case_id, &obj);
    return rc ? rc : cmd_object(c, obj);
}

#define PLAN(field) offsetof(struct plan_opts, field)
static const struct cmd_option start_opts[] = {
    {"ref", KIND_TEXT, PLAN(ref), N_("the plan's reference in the external system"), 0, NULL, NULL},
    {"date", KIND_DATE, PLAN(date), N_("the day the plan started (default today)"), 0, NULL, NULL},
    {0}};
static const struct cmd_option goal_opts[] = {
    {"kind", KIND_WORD, 0, N_("what the line is (default goal)"), 0, NULL, NULL}, {0}};
static const struct cmd_option contribution_opts[] = {
    {"by", KIND_WORD, 0, N_("who contributes"), OPT_REQUIRED, NULL, NULL}, {0}};
static const struct cmd_option cooperation_opts[] = {
    {"with", KIND_TEXT, offsetof(struct cooperation_args, with),
     N_("the organisation cooperated with"), OPT_REQUIRED, NULL, NULL},
    {"what", KIND_TEXT, offsetof(struct cooperation_args, what),
     N_("what the cooperation is about"), 0, NULL, NULL},
    {0}};
#define MEASURE(field) offsetof(struct bti_measure_in, field)
static const struct cmd_option measure_opts[] = {
    {"what", KIND_TEXT, MEASURE(what), N_("what is done"), OPT_REQUIRED, NULL, NULL},
    {"responsible", KIND_TEXT, MEASURE(responsible), N_("who is responsible"), OPT_REQUIRED, NULL,
     NULL},
    {"scope", KIND_TEXT, MEASURE(scope), N_("how much of it"), 0, NULL, NULL},
    {"how", KIND_TEXT, MEASURE(how), N_("how it is done"), 0, NULL, NULL},
    {"unit", KIND_UNIT, MEASURE(unit_id), N_("the unit that carries it out, by id or name"), 0,
     NULL, NULL},
    {0}};
static const struct cmd_option adopt_opts[] = {
    {"date", KIND_DATE, PLAN(date), N_("the day the plan was adopted (default today)"), 0, NULL,
     NULL},
    {"period-end", KIND_DATE, PLAN(period_end), N_("the last day the plan runs to"), 0, NULL, NULL},
    {"next", KIND_DATE, PLAN(next), N_("the date of the next evaluation"), 0, NULL, NULL},
    {0}};
static const struct cmd_option evaluate_opts[] = {
    {"date", KIND_DATE, PLAN(date), N_("the day of the evaluation (default today)"), 0, NULL, NULL},
    {"next", KIND_DATE, PLAN(next), N_("the date of the next evaluation"), 0, NULL, NULL},
    {"note", KIND_TEXT, PLAN(note), N_("what the evaluation found"), 0, NULL, NULL},
    {"process", KIND_TEXT, PLAN(process), N_("how the evaluation was done"), 0, NULL, NULL},
    {0}};
static const struct cmd_option end_opts[] = {
    {"reason", KIND_TEXT, PLAN(reason), N_("why the plan ends"), OPT_REQUIRED, NULL, NULL},
    {"need-ended", KIND_FLAG, PLAN(need_ended), N_("the need for the plan ended"), 0, NULL, NULL},
    {"date", KIND_DATE, PLAN(date), N_("the day it ended (default today)"), 0, NULL, NULL},
    {0}};
static const struct cmd_option edit_opts[] = {
    {"ref", KIND_TEXT, PLAN(ref), N_("the plan's reference in the external system"), 0, NULL, NULL},
    {"period-end", KIND_DATE, PLAN(period_end), N_("the last day the plan runs to"), 0, NULL, NULL},
    {"next", KIND_DATE, PLAN(next), N_("the date of the next evaluation"), 0, NULL, NULL},
    {"reason", KIND_TEXT, PLAN(reason), N_("why the change is made (kept in the audit log)"),
     OPT_REQUIRED, NULL, NULL},
    {"measure", KIND_ID, PLAN(measure), N_("the measure to correct"), 0, NULL, NULL},
    {"what", KIND_TEXT, PLAN(mfix.what), N_("what is done"), 0, NULL, NULL},
    {"scope", KIND_TEXT, PLAN(mfix.scope), N_("the measure's corrected scope"), 0, NULL, NULL},
    {"how", KIND_TEXT, PLAN(mfix.how), N_("how it is done"), 0, NULL, NULL},
    {"responsible", KIND_TEXT, PLAN(mfix.responsible), N_("who is responsible"), 0, NULL, NULL},
    {"unit", KIND_UNIT, PLAN(mfix.unit_id), N_("the measure's unit, by id or name"), 0, NULL, NULL},
    {0}};

/* every verb serves a coordinator login too, on its own cases */
#define W (CMD_DB | CMD_WRITE | CMD_OWN_CASES)
#define CW BTI_ROLE_CASEWORKER

static const struct cmd_verb verbs[] = {
    {"start", plan_start, W, CW, "plan start CASE [--ref EXTERNAL-ID] [--date DATE]",
     N_("start a plan on a granted 'ip' item with plan consent"), start_opts},
    {"goal", plan_goal, W, CW, "plan goal CASE [--kind goal|resource|need] TEXT",
     N_("add a goal, resource or need in the user's words"), goal_opts},
    {"measure", plan_measure, W, CW,
     "plan measure CASE --what TEXT --responsible WHO [--scope TEXT] [--how TEXT] [--unit UNIT]",
     N_("add a measure with its scope, how it is carried out and who is responsible"),
     measure_opts},
    {"contribution", plan_contribution, W, CW,
     "plan contribution CASE --by user|relative|provider TEXT",
     N_("add what the user, a relative or a provider contributes"), contribution_opts},
    {"cooperation", plan_cooperation, W, CW,
     "plan cooperation CASE --with ORGANISATION [--what TEXT]",
     N_("add the cooperation needed with another provider or agency"), cooperation_opts},
    {"adopt", plan_adopt, W, CW, "plan adopt CASE [--date DATE] [--period-end DATE] [--next DATE]",
     N_("adopt the plan once its nine items are there"), adopt_opts},
    {"evaluate", plan_evaluate, W, CW,
     "plan evaluate CASE [--date DATE] [--next DATE] [--note TEXT] [--process TEXT]",
     N_("record an evaluation of goals and work process"), evaluate_opts},
    {"end", plan_end, W, CW, "plan end CASE --reason TEXT [--need-ended] [--date DATE]",
     N_("end the plan (the coordinator goes on); --need-ended: the IP's need ended"), end_opts},
    {"show", plan_show, CMD_DB | CMD_LOGS | CMD_PAGER | CMD_OWN_CASES, CW, "plan show CASE",
     N_("the plan, its items, and what adoption still lacks (logged)"), NULL},
    {"edit", plan_edit, W, CW,
     "plan edit CASE [--ref REF] [--period-end DATE] [--next DATE] [--measure ID [--what TEXT] "
     "[--scope TEXT] [--how TEXT] [--responsible WHO] [--unit UNIT]] --reason TEXT",
     N_("correct the plan's reference or dates, or one of its measures"), edit_opts},
};
const struct cmd_group cmd_plan_group = CMD_GROUP("plan", N_("individual plans"), verbs);
