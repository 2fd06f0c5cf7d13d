/*
 * The table of law (SPEC section 4): every legal basis of a decision and
 * every procedural rule, each row with its source (act, Lovdata id,
 * section) and the dates it is valid.  This table is the one place in bti
 * that names a section of a law; messages cite through bti_law_cite.
 *
 * A section is cited only where its text was verified (Lovdata, the
 * preparatory works, Helsedirektoratet's commentary); elsewhere the act
 * alone.  The new forvaltningsloven (LOV-2025-06-20-81) had no in-force
 * date on 2026-12-06: when it gets one, its rows are the whole change.
 */
#include <stdio.h>
#include <string.h>
#include "bti/basis.h"
#include "bti/error.h"
#include "base/list.h"
#include "base/intl.h"

#define PBRL "pasient- og brukerrettighetsloven", "LOV-1999-07-02-63"
#define HOL "helse- og omsorgstjenesteloven", "LOV-2011-06-24-30"
#define FVL "forvaltningsloven", "LOV-1967-02-10"
#define SOTJL "sosialtjenesteloven", "LOV-2009-12-18-131"
#define BVL "barnevernsloven", "LOV-2021-06-18-97"
#define STATSFORVALTEREN "statsforvalteren"

/* A legal basis: code, what, act and id, section, from, to, item, the
 * rules of its appeal period and body. */
#define BASIS(code, what, act, section, from, to, item, period, body)                              \
    {                                                                                              \
        code, "basis", what, act, section, from, to, item, period, body, 0, NULL, NULL, NULL, NULL \
    }

/* A procedural rule: code, what, act and id, section, from, to, an appeal
 * period's weeks and what it runs from, an appeal body. */
#define RULE(code, what, act, section, from, to, weeks, runs_from, body)                           \
    {                                                                                              \
        code, "rule", what, act, section, from, to, NULL, NULL, NULL, weeks, runs_from, body,      \
            NULL, NULL                                                                             \
    }

#define OPPL "opplæringslova", NULL
#define DOMSTOLLOVEN "domstolloven", "LOV-1915-08-13-5"
#define HEALTH_IP_REG                                                                              \
    "forskrift om habilitering og rehabilitering, individuell plan og koordinator", NULL
#define WELFARE_IP_REG "forskrift om individuell plan ved ytelse av velferdstjenester", NULL

static const struct bti_law rows[] = {
    /* the health-law rights and the municipality's duties */
    BASIS("pbrl-2-5", N_("the right to an individual plan"), PBRL, "§ 2-5", "2001-01-01", NULL,
          "ip", "appeal-period-pbrl", "appeal-body-pbrl"),
    BASIS("pbrl-2-5b", N_("the right to a coordinator"), PBRL, "§ 2-5 b", "2022-08-01", NULL,
          "coordinator", "appeal-period-pbrl", "appeal-body-pbrl"),
    BASIS("pbrl-2-5c", N_("the right to a barnekoordinator"), PBRL, "§ 2-5 c", "2022-08-01", NULL,
          "child", "appeal-period-pbrl", "appeal-body-pbrl"),
    BASIS("hol-7-1", N_("the municipality's duty to offer an individual plan"), HOL, "§ 7-1",
          "2012-01-01", NULL, NULL, "appeal-period-pbrl", "appeal-body-pbrl"),
    BASIS("hol-7-2", N_("the municipality's duty to appoint a coordinator"), HOL, "§ 7-2",
          "2012-01-01", NULL, NULL, "appeal-period-pbrl", "appeal-body-pbrl"),
    BASIS("hol-7-2a", N_("the municipality's duty to appoint a barnekoordinator"), HOL, "§ 7-2 a",
          "2022-08-01", NULL, NULL, "appeal-period-pbrl", "appeal-body-pbrl"),
    /* the other sectors' individual plans */
    BASIS("sotjl-28", N_("the individual plan of the social services (NAV)"), SOTJL, "§ 28",
          "2010-01-01", NULL, NULL, "appeal-period-fvl", "appeal-body-sotjl"),
    BASIS("bvl", N_("the individual plan of the child welfare service (barnevernstjenesten)"), BVL,
          NULL, "2023-01-01", NULL, NULL, "appeal-period-fvl", "appeal-body-bvl"),
    {"oppl", "basis", N_("the school's part in an individual plan (opplæringslova 1998)"), OPPL,
     NULL, "1999-08-01", "2024-07-31", NULL, "appeal-period-fvl", "appeal-body-oppl", 0, NULL, NULL,
     N_("opplæringslova never gave a right to an individual plan, only the school's duty to take "
        "part in one"),
     N_("record the school's part in the plan with 'bti plan cooperation CASE --with skole'")},

    /* appeal periods, from what they run, and appeal bodies */
    RULE("appeal-period-pbrl", N_("an appeal within 4 weeks of knowledge of the decision"), PBRL,
         "§ 7-5", "2012-01-01", NULL, 4, "knowledge", NULL),
    RULE("appeal-body-pbrl", N_("appeals go to statsforvalteren"), PBRL, "§ 7-2", "2012-01-01",
         NULL, 0, NULL, STATSFORVALTEREN),
    RULE("appeal-period-fvl", N_("an appeal within 3 weeks of the notification"), FVL, "§ 29",
         "1970-01-01", NULL, 3, "notified", NULL),
    RULE("appeal-body-sotjl", N_("appeals go to statsforvalteren"), SOTJL, NULL, "2010-01-01", NULL,
         0, NULL, STATSFORVALTEREN),
    RULE("appeal-body-bvl", N_("appeals go to statsforvalteren"), BVL, NULL, "2023-01-01", NULL, 0,
         NULL, STATSFORVALTEREN),
    RULE("appeal-body-oppl", N_("appeals go to statsforvalteren"), OPPL, NULL, "1999-08-01",
         "2024-07-31", 0, NULL, STATSFORVALTEREN),

    /* the other procedural rules */
    RULE("pbrl-decision-routine",
         N_("forvaltningsloven's chapters on preparing and writing an enkeltvedtak do not apply to "
            "these decisions; the KE keeps the preliminary reply and the written decision as its "
            "routine"),
         PBRL, "§ 2-7", "2001-01-01", NULL, 0, NULL, NULL),
    RULE("appeal-posted", N_("an appeal posted or sent by the deadline is in time"), FVL, NULL,
         "1970-01-01", NULL, 0, NULL, NULL),
    RULE("one-year-bar",
         N_("a late appeal more than a year after the decision cannot be considered"), FVL, "§ 31",
         "1970-01-01", NULL, 0, NULL, NULL),
    RULE("preliminary-reply",
         N_("a preliminary reply when an application is undecided a month after it came"), FVL,
         "§ 11 a", "1970-01-01", NULL, 0, NULL, NULL),
    RULE("holidays",
         N_("a deadline on a Saturday, Sunday or public holiday moves to the next working day"),
         DOMSTOLLOVEN, "§§ 148-149", "1970-01-01", NULL, 0, NULL, NULL),
    RULE("ip-items", N_("the nine items an individual plan holds"), HEALTH_IP_REG, "§ 19",
         "2012-01-01", "2022-07-31", 0, NULL, NULL),
    RULE("ip-items", N_("the nine items an individual plan holds"), WELFARE_IP_REG, NULL,
         "2022-08-01", NULL, 0, NULL, NULL),
};

const struct bti_law_table bti_law = {rows, sizeof rows / sizeof rows[0]};

/* An ISO date of the table as a date; BTI_NO_DATE for NULL. */
static bti_date iso(const char *s)
{
    bti_date d = BTI_NO_DATE;
    if (s)
        bti_date_parse(&d, s, 0, "law");
    return d;
}

/* Non-zero when r is in force on `on`. */
static int in_force(const struct bti_law *r, bti_date on)
{
    return iso(r->from) <= on && (!r->to || on <= iso(r->to));
}

/* Non-zero when r's code is the n bytes at code. */
static int is_code(const struct bti_law *r, const char *code, size_t n)
{
    return strlen(r->code) == n && strncmp(r->code, code, n) == 0;
}

/* The row of the n-byte code in force on `on` (the latest from), or NULL. */
static const struct bti_law *find_n(const struct bti_law_table *t, const char *code, size_t n,
                                    bti_date on)
{
    const struct bti_law *best = NULL;
    for (size_t i = 0; i < t->n; i++)
        if (is_code(&t->rows[i], code, n) && in_force(&t->rows[i], on) &&
            (!best || iso(t->rows[i].from) > iso(best->from)))
            best = &t->rows[i];
    return best;
}

const struct bti_law *bti_law_find(const struct bti_law_table *t, const char *code, bti_date on)
{
    return find_n(t, code, strlen(code), on);
}

/* How far `on` lies from r's validity: 0 inside, days before or after. */
static long distance(const struct bti_law *r, bti_date on)
{
    if (on < iso(r->from))
        return (long)iso(r->from) - on;
    return r->to && on > iso(r->to) ? (long)on - iso(r->to) : 0;
}

/* bti_law_judging for the n bytes at code. */
static const struct bti_law *judging_n(const struct bti_law_table *t, const char *code, size_t n,
                                       bti_date on)
{
    const struct bti_law *best = find_n(t, code, n, on);
    for (size_t i = 0; !best && i < t->n; i++)
        if (is_code(&t->rows[i], code, n))
            best = &t->rows[i];
    for (size_t i = 0; best && !in_force(best, on) && i < t->n; i++)
        if (is_code(&t->rows[i], code, n) && distance(&t->rows[i], on) < distance(best, on))
            best = &t->rows[i];
    return best;
}

const struct bti_law *bti_law_judging(const struct bti_law_table *t, const char *code, bti_date on)
{
    return judging_n(t, code, strlen(code), on);
}

/* "act § x", or the act alone, of row r into buf. */
static char *cite(const struct bti_law *r, char *buf, size_t size)
{
    snprintf(buf, size, "%s%s%s", r->act, r->section ? " " : "", r->section ? r->section : "");
    return buf;
}

char *bti_law_cite(const char *code, bti_date on, char *buf, size_t size)
{
    const struct bti_law *r = bti_law_judging(&bti_law, code, on);
    if (!r)
        snprintf(buf, size, "%s", code);
    return r ? cite(r, buf, size) : buf;
}

/* Check one basis code (the n bytes at code) for a decision of `decided`. */
static int check_one(const char *code, size_t n, bti_date decided)
{
    const struct bti_law *r = judging_n(&bti_law, code, n, decided);
    char d[BTI_DATE_BUF];
    if (!r || strcmp(r->kind, "basis") != 0) {
        bti_error_set(BTI_EINVAL, _("invalid value for --basis: unknown code"));
        return bti_error_set_hint(_("'bti basis list' shows the codes"));
    }
    if (r->retired) {
        bti_error_set(BTI_ERULE, _("'%s' is retired: %s"), r->code, _(r->retired));
        return r->instead ? bti_error_set_hint("%s", _(r->instead)) : BTI_ERULE;
    }
    if (!in_force(r, decided)) {
        bti_error_set(BTI_ERULE, _("'%s' was not in force on %s"), r->code,
                      bti_date_format(decided, d));
        return bti_error_set_hint(_("'bti basis list --at %s' shows the bases of that day"), d);
    }
    return 0;
}

int bti_basis_check(const char *codes, bti_date decided)
{
    int rc = 0;
    if (!codes || !*codes)
        return bti_error_set(BTI_EINVAL, _("--basis names no code"));
    for (const char *p = codes, *next; rc == 0 && p; p = next) {
        size_t n = list_elem(p, &next);
        rc = check_one(p, n, decided);
    }
    return rc;
}

const char *bti_basis_of_item(const char *item, bti_date decided)
{
    for (size_t i = 0; i < bti_law.n; i++)
        if (rows[i].item && strcmp(rows[i].item, item) == 0 && in_force(&rows[i], decided))
            return rows[i].code;
    return NULL;
}

/* The appeal period in weeks of a basis row on `on` (0: none). */
static int period_weeks(const struct bti_law_table *t, const struct bti_law *basis, bti_date on)
{
    const struct bti_law *p = basis->period ? bti_law_judging(t, basis->period, on) : NULL;
    return p ? p->weeks : 0;
}

bti_date bti_law_deadline(const struct bti_law_table *t, const char *codes, bti_date decided,
                          bti_date notified)
{
    int weeks = 0;
    for (const char *p = codes, *next; p; p = next) {
        const struct bti_law *b = judging_n(t, p, list_elem(p, &next), decided);
        int w = b ? period_weeks(t, b, decided) : 0;
        if (w > weeks)
            weeks = w;
    }
    return bti_date_deadline_weeks(notified, weeks);
}

bti_date bti_basis_deadline(const char *codes, bti_date decided, bti_date notified)
{
    return bti_law_deadline(&bti_law, codes, decided, notified);
}

static const struct bti_col basis_cols[] = {
    {"code", BTI_T_TEXT},        {"kind", BTI_T_TEXT},        {"what", BTI_T_TEXT},
    {"source", BTI_T_TEXT},      {"valid_from", BTI_T_DATE},  {"valid_to", BTI_T_DATE},
    {"item", BTI_T_TEXT},        {"appeal_weeks", BTI_T_INT}, {"appeal_from", BTI_T_TEXT},
    {"appeal_body", BTI_T_TEXT}, {"note", BTI_T_TEXT},
};
const struct bti_cols bti_basis_cols = BTI_COLS(basis_cols);

/* "act (id) § x" of row r into buf. */
static char *source(const struct bti_law *r, char *buf, size_t size)
{
    snprintf(buf, size, "%s%s%s%s%s%s", r->act, r->lovdata ? " (" : "",
             r->lovdata ? r->lovdata : "", r->lovdata ? ")" : "", r->section ? " " : "",
             r->section ? r->section : "");
    return buf;
}

/* The day whose appeal rules a row shows: at, else today within its
 * validity (its last day when it has ended, its first before it begins). */
static bti_date shown_day(const struct bti_law *r, bti_date at, bti_date today)
{
    if (at != BTI_NO_DATE)
        return at;
    if (r->to && today > iso(r->to))
        return iso(r->to);
    return today < iso(r->from) ? iso(r->from) : today;
}

/* Hand row r to fn, its appeal rules as of `on`. */
static int list_row(const struct bti_law *r, bti_date on, bti_row_fn fn, void *arg)
{
    const struct bti_law *period = r->period ? bti_law_judging(&bti_law, r->period, on) : r;
    const struct bti_law *body = r->body_rule ? bti_law_judging(&bti_law, r->body_rule, on) : r;
    char src[256];
    struct bti_value v[11] = {
        {.s = r->code},
        {.s = r->kind},
        {.s = r->what},
        {.s = source(r, src, sizeof src)},
        {.s = r->from},
        {.null = !r->to, .s = r->to},
        {.null = !r->item, .s = r->item},
        {.null = !period || !period->weeks, .i = period ? period->weeks : 0},
        {.null = !period || !period->runs_from, .s = period ? period->runs_from : NULL},
        {.null = !body || !body->body, .s = body ? body->body : NULL},
        {.null = !r->retired, .s = r->retired},
    };
    struct bti_row row = {basis_cols, 11, v};
    return fn(&row, arg);
}

int bti_basis_list(bti_date at, bti_date today, bti_row_fn fn, void *arg)
{
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < bti_law.n; i++)
        if (at == BTI_NO_DATE || in_force(&rows[i], at))
            rc = list_row(&rows[i], shown_day(&rows[i], at, today), fn, arg);
    return rc;
}
