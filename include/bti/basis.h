/*
 * Legal bases of decisions (SPEC section 4): one table, each code with its
 * appeal period and appeal body.
 */
#ifndef BTI_BASIS_H
#define BTI_BASIS_H

#include "bti/date.h"
#include "bti/row.h"

/* Check a comma-separated list of basis codes; BTI_EINVAL naming the
 * first unknown one. */
int bti_basis_check(const char *codes);

/* The longest appeal period in weeks of the codes (checked first). */
int bti_basis_weeks(const char *codes);

/* The health-law basis of a request item ("pbrl-2-5b" for coordinator). */
const char *bti_basis_of_item(const char *item);

/* The appeal deadline of a decision notified on `notified` on these bases. */
bti_date bti_basis_deadline(const char *codes, bti_date notified);

/* basis list: code, law, covers, weeks, appeal body. */
extern const struct bti_cols bti_basis_cols;
int bti_basis_list(bti_row_fn fn, void *arg);

#endif
