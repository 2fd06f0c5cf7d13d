/*
 * bti plan: the individual plan (IP) of a case: its goals, measures,
 * contributions and cooperation, adoption when the nine items are there,
 * evaluations, and its end.
 */
#include "base/intl.h"
#include "bti/error.h"
#include "bti/plan.h"
#include "cmd.h"

/* plan start CASE [--ref EXTERNAL-ID] [--date DATE] */
static int plan_start(struct cmd_ctx *c, int argc, char **argv)
{
    const char *ref = NULL;
    bti_date date = BTI_NO_DATE;
    long long case_id, id;
    int opt, rc = 0;
    while (rc == 0 && (opt = cmd_opt(c, argc, argv)) != -1) {
        if (opt == 'f')
            rc = cmd_text(c, optarg, &ref);
        else if (opt == 'd')
            rc = cmd_date(c, optarg, "--date", &date);
        else
            return cmd_bad_option(c, opt, argv);
    }
    if (rc == 0)
        rc = cmd_case(c, argc, argv, &case_id);
    if (rc == 0)
        rc = bti_plan_start(c->db, case_id, ref, date, &id);
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
    int opt, rc = 0;
    while (rc == 0 && (opt = cmd_opt(c, argc, argv)) != -1)
        rc = opt == 'k' ? (kind = optarg, 0) : cmd_bad_option(c, opt, argv);
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
    int opt, rc = 0;
    while (rc == 0 && (opt = cmd_opt(c, argc, argv)) != -1)
        rc = opt == 'b' ? (by = optarg, 0) : cmd_bad_option(c, opt, argv);
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

/* plan cooperation CASE --with ORGANISATION [--what TEXT] */
static int plan_cooperation(struct cmd_ctx *c, int argc, char **argv)
{
    const char *with = NULL, *what = NULL;
    long long case_id, id;
    int opt, rc = 0;
    while (rc == 0 && (opt = cmd_opt(c, argc, argv)) != -1) {
        if (opt == 'w')
            rc = cmd_text(c, optarg, &with);
        else if (opt == 'W')
            rc = cmd_text(c, optarg, &what);
        else
            return cmd_bad_option(c, opt, argv);
    }
    if (rc == 0)
        rc = cmd_case(c, argc, argv, &case_id);
    if (rc == 0)
        rc = bti_plan_cooperation(c->db, case_id, with, what, &id);
    if (rc)
        return rc;
    cmd_summary(c, _("case %lld: cooperation %lld added to the plan"), case_id, id);
    return cmd_created(c, "cooperation", id);
}

/* Read one option of plan measure into m. */
static int measure_option(struct cmd_ctx *c, int opt, char **argv, struct bti_measure_in *m)
{
    switch (opt) {
    case 'w': return cmd_text(c, optarg, &m->what);
    case 'r': return cmd_text(c, optarg, &m->responsible);
    case 's': return cmd_text(c, optarg, &m->scope);
    case 'h': return cmd_text(c, optarg, &m->how);
    case 'u': return cmd_unit(c, optarg, &m->unit_id);
    default: return cmd_bad_option(c, opt, argv);
    }
}

/* plan measure CASE --what TEXT --responsible WHO [--scope TEXT] [--how TEXT] [--unit UNIT] */
static int plan_measure(struct cmd_ctx *c, int argc, char **argv)
{
    struct bti_measure_in m = {0};
    long long case_id, id;
    int opt, rc = 0;
    while (rc == 0 && (opt = cmd_opt(c, argc, argv)) != -1)
        rc = measure_option(c, opt, argv, &m);
    if (rc == 0)
        rc = cmd_case(c, argc, argv, &case_id);
    if (rc == 0)
        rc = bti_plan_measure(c->db, case_id, &m, &id);
    if (rc)
        return rc;
    cmd_summary(c, _("case %lld: measure %lld added to the plan"), case_id, id);
    return cmd_created(c, "measure", id);
}

/* The options of adopt, evaluate, end and edit: the dates --date, --next,
 * --period-end, the texts --note, --process, --reason, --ref, and the
 * measure a plan edit corrects. */
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
    int opt, rc = 0;
    *o = (struct plan_opts){.date = BTI_NO_DATE, .next = BTI_NO_DATE, .period_end = BTI_NO_DATE};
    while (rc == 0 && (opt = cmd_opt(c, argc, argv)) != -1) {
        switch (opt) {
        case 'd': rc = cmd_date(c, optarg, "--date", &o->date); break;
        case 'x': rc = cmd_date(c, optarg, "--next", &o->next); break;
        case 'p': rc = cmd_date(c, optarg, "--period-end", &o->period_end); break;
        case 'n': rc = cmd_text(c, optarg, &o->note); break;
        case 'P': rc = cmd_text(c, optarg, &o->process); break;
        case 'r': rc = cmd_text(c, optarg, &o->reason); break;
        case 'f': rc = cmd_text(c, optarg, &o->ref); break;
        case 'm': rc = cmd_id(optarg, "--measure", &o->measure); break;
        case 'N': o->need_ended = 1; break;
        case 'M':
        case 'w':
        case 's':
        case 'h':
        case 'u': rc = measure_option(c, opt == 'M' ? 'r' : opt, argv, &o->mfix); break;
        default: return cmd_bad_option(c, opt, argv);
        }
    }
    return rc ? rc : cmd_case(c, argc, argv, case_id);
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
    int opt = cmd_opt(c, argc, argv);
    int rc = opt != -1 ? cmd_bad_option(c, opt, argv) : cmd_case(c, argc, argv, &case_id);
    if (rc == 0)
        rc = bti_plan_show(c->db, case_id, &obj);
    return rc ? rc : cmd_object(c, obj);
}

static const struct cmd_option start_opts[] = {
    {"ref", KIND_TEXT, 'f', N_("the plan's reference in the external system"), 0, NULL},
    {"date", KIND_DATE, 'd', N_("the day the plan started (default today)"), 0, NULL},
    {0, 0, 0, 0, 0, 0}};
static const struct cmd_option goal_opts[] = {
    {"kind", KIND_WORD, 'k', N_("what the line is (default goal)"), 0, NULL}, {0, 0, 0, 0, 0, 0}};
static const struct cmd_option contribution_opts[] = {
    {"by", KIND_WORD, 'b', N_("who contributes"), OPT_REQUIRED, NULL}, {0, 0, 0, 0, 0, 0}};
static const struct cmd_option cooperation_opts[] = {
    {"with", KIND_TEXT, 'w', N_("the organisation cooperated with"), OPT_REQUIRED, NULL},
    {"what", KIND_TEXT, 'W', N_("what the cooperation is about"), 0, NULL},
    {0, 0, 0, 0, 0, 0}};
static const struct cmd_option measure_opts[] = {
    {"what", KIND_TEXT, 'w', N_("what is done"), OPT_REQUIRED, NULL},
    {"responsible", KIND_TEXT, 'r', N_("who is responsible"), OPT_REQUIRED, NULL},
    {"scope", KIND_TEXT, 's', N_("how much of it"), 0, NULL},
    {"how", KIND_TEXT, 'h', N_("how it is done"), 0, NULL},
    {"unit", KIND_UNIT, 'u', N_("the unit that carries it out, by id or name"), 0, NULL},
    {0, 0, 0, 0, 0, 0}};
static const struct cmd_option adopt_opts[] = {
    {"date", KIND_DATE, 'd', N_("the day the plan was adopted (default today)"), 0, NULL},
    {"period-end", KIND_DATE, 'p', N_("the last day the plan runs to"), 0, NULL},
    {"next", KIND_DATE, 'x', N_("the date of the next evaluation"), 0, NULL},
    {0, 0, 0, 0, 0, 0}};
static const struct cmd_option evaluate_opts[] = {
    {"date", KIND_DATE, 'd', N_("the day of the evaluation (default today)"), 0, NULL},
    {"next", KIND_DATE, 'x', N_("the date of the next evaluation"), 0, NULL},
    {"note", KIND_TEXT, 'n', N_("what the evaluation found"), 0, NULL},
    {"process", KIND_TEXT, 'P', N_("how the evaluation was done"), 0, NULL},
    {0, 0, 0, 0, 0, 0}};
static const struct cmd_option end_opts[] = {
    {"reason", KIND_TEXT, 'r', N_("why the plan ends"), OPT_REQUIRED, NULL},
    {"need-ended", KIND_FLAG, 'N', N_("the need for the plan ended"), 0, NULL},
    {"date", KIND_DATE, 'd', N_("the day it ended (default today)"), 0, NULL},
    {0, 0, 0, 0, 0, 0}};
static const struct cmd_option edit_opts[] = {
    {"ref", KIND_TEXT, 'f', N_("the plan's reference in the external system"), 0, NULL},
    {"period-end", KIND_DATE, 'p', N_("the last day the plan runs to"), 0, NULL},
    {"next", KIND_DATE, 'x', N_("the date of the next evaluation"), 0, NULL},
    {"reason", KIND_TEXT, 'r', N_("why the change is made (kept in the audit log)"), OPT_REQUIRED,
     NULL},
    {"measure", KIND_ID, 'm', N_("the measure to correct"), 0, NULL},
    {"what", KIND_TEXT, 'w', N_("what is done"), 0, NULL},
    {"scope", KIND_TEXT, 's', N_("the measure's corrected scope"), 0, NULL},
    {"how", KIND_TEXT, 'h', N_("how it is done"), 0, NULL},
    {"responsible", KIND_TEXT, 'M', N_("who is responsible"), 0, NULL},
    {"unit", KIND_UNIT, 'u', N_("the measure's unit, by id or name"), 0, NULL},
    {0, 0, 0, 0, 0, 0}};

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
