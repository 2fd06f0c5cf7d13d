/*
 * The law as data (SPEC section 4): one table holds every legal basis of a
 * decision and every procedural rule bti applies (appeal period and body,
 * an appeal posted in time, the one-year bar, the preliminary reply, the
 * holiday calendar, the nine items of an individual plan), each row with
 * its source and the dates it is valid.  A decision is judged by the rows
 * in force on its decision date; a change of law is new rows.
 */
#ifndef BTI_BASIS_H
#define BTI_BASIS_H

#include <stddef.h>
#include "bti/date.h"
#include "bti/row.h"

/* One row of the table of law. */
struct bti_law {
    const char *code;      /* a basis code ("pbrl-2-5b") or a rule's name ("one-year-bar") */
    const char *kind;      /* "basis" or "rule" */
    const char *what;      /* what it gives or sets, in a few words */
    const char *act;       /* the act or regulation */
    const char *lovdata;   /* its Lovdata id, or NULL */
    const char *section;   /* the section cited, or NULL where the act as a whole is */
    const char *from, *to; /* valid from and to (ISO, both days included); to NULL: in force */
    const char *item;      /* a basis: the request item it is the health-law basis of */
    const char *period;    /* a basis: the rule that sets its appeal period */
    const char *body_rule; /* a basis: the rule that names its appeal body */
    int weeks;             /* an appeal period: its length in weeks */
    const char *runs_from; /* an appeal period: "knowledge" or "notified" */
    const char *body;      /* an appeal body: who decides the appeal */
    const char *retired;   /* a basis no new decision may use: why */
    const char *instead;   /* a retired basis: what to record instead (a hint) */
};

/* A table of law: the rows bti follows, or (in a test) those and more. */
struct bti_law_table {
    const struct bti_law *rows;
    size_t n;
};

/* The law bti follows. */
extern const struct bti_law_table bti_law;

/* The row of `code` in force on `on` (the latest valid_from among those in
 * force), or NULL. */
const struct bti_law *bti_law_find(const struct bti_law_table *t, const char *code, bti_date on);

/* The row of `code` that judges a decision of `on`: the one in force then,
 * else the nearest before it, else the first after it (a decision recorded
 * before its basis's row was written reads as it did); NULL: no such code. */
const struct bti_law *bti_law_judging(const struct bti_law_table *t, const char *code, bti_date on);

/* The act and section of `code` on `on`, as a message cites them (the act
 * alone where the row cites no section), into buf; returns buf. */
char *bti_law_cite(const char *code, bti_date on, char *buf, size_t size);

/* Check a comma-separated list of basis codes for a new decision of
 * `decided`: BTI_EINVAL naming no code, or an unknown one; BTI_ERULE for a
 * retired basis (with why, and a hint) or one not in force that day. */
int bti_basis_check(const char *codes, bti_date decided);

/* The health-law basis of a request item in force on `decided` ("pbrl-2-5b"
 * for coordinator), or NULL. */
const char *bti_basis_of_item(const char *item, bti_date decided);

/* The appeal deadline of a decision of `decided` on these bases, notified
 * on `notified`: the longest appeal period of the rows judging it. */
bti_date bti_law_deadline(const struct bti_law_table *t, const char *codes, bti_date decided,
                          bti_date notified);
bti_date bti_basis_deadline(const char *codes, bti_date decided, bti_date notified);

/* basis list: every row, or (at not BTI_NO_DATE) the rows in force on at;
 * a basis shows its appeal period and body of that day (of today, or of
 * its last day when retired). */
extern const struct bti_cols bti_basis_cols;
int bti_basis_list(bti_date at, bti_date today, bti_row_fn fn, void *arg);

#endif
