/*
 * Reports (SPEC section 8): the overview of open cases, the coordinators'
 * caseload, the decisions of a period, the semiannual figures for the
 * coordinators' gathering, and the due list.
 *
 * Figures about a state are counted as of the period's last day, so a rerun
 * later gives the same figures.  A public report shows counts from 1 to 4
 * as "<5".
 */
#ifndef BTI_REPORT_H
#define BTI_REPORT_H

#include <cjson/cJSON.h>
#include "bti/db.h"
#include "bti/row.h"

struct bti_period {
    bti_date from, to; /* both inclusive */
};

/* Parse 2026H1, 2026H2 or 2026 into a period; BTI_EINVAL otherwise. */
int bti_period_parse(struct bti_period *out, const char *s);

/* The last complete half-year before today: on 1 June the previous H2, on
 * 1 December the H1 just ended. */
struct bti_period bti_period_default(bti_date today);

/* overview: every open case with its person label, status, unit,
 * coordinator, plan status and next evaluation.  The label is the name
 * where the login may see names (then logged), else the case id; the full
 * nin only with --identify.  A coordinator login: its own cases only. */
extern const struct bti_cols bti_overview_cols;
int bti_report_overview(struct bti_db *db, bti_row_fn fn, void *arg);

/* decisions: every decision made in the period with its items, outcome,
 * days from received to decided, its appeal, and the person label as
 * overview gives it (a read of names is logged under the cases). */
extern const struct bti_cols bti_decisions_cols;
int bti_report_decisions(struct bti_db *db, const struct bti_period *p, bti_row_fn fn, void *arg);

/* coordinators: per coordinator the unit, running assignments (at the
 * period's end), started and ended in the period, gatherings attended in
 * the twelve months before its end; and the caseload's concentration.  A
 * new object {period, coordinators: [...], concentration: {...}}
 * (bti_json_free). */
extern const struct bti_cols bti_coordinators_cols;
int bti_report_coordinators(struct bti_db *db, const struct bti_period *p, int public, cJSON **out);

/* semiannual: the figures for the coordinators' gathering as one object of
 * named sections, a new object (bti_json_free). */
int bti_report_semiannual(struct bti_db *db, const struct bti_period *p, int public, cJSON **out);

/* The long form of a report object for CSV: rows of section, metric, value. */
extern const struct bti_cols bti_long_cols;

struct bti_due_filter {
    long long unit_id;        /* 0 for any */
    long long coordinator_id; /* 0 for any */
    int retention_years;      /* closed cases older than this are due for erasure */
    int within;               /* also what falls due in the next `within` days; 0: today's */
    const char *const *kinds; /* only these kinds (nkinds of them; none: every kind) */
    size_t nkinds;
    int unnamed;              /* no names even where the login may see them (due --check) */
};

/* due: what needs action today, most urgent first: case, kind, since, due,
 * the command that clears it, and the person (their name where the login
 * may see names, a logged read; else the case id).  An unknown kind in
 * f->kinds is BTI_EINVAL listing the kinds. */
extern const struct bti_cols bti_due_cols;
int bti_report_due(struct bti_db *db, const struct bti_due_filter *f, bti_row_fn fn, void *arg);

#endif
