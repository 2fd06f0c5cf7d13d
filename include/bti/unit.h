/*
 * Units (enhet, seksjon): the services that take responsibility for a case
 * and employ the coordinators.
 */
#ifndef BTI_UNIT_H
#define BTI_UNIT_H

#include "bti/db.h"
#include "bti/row.h"

/* Add a unit; BTI_ERULE when one of that name exists. */
int bti_unit_add(struct bti_db *db, const char *name, long long *id);

/* Find a unit by id or by its unique name; BTI_ENOTFOUND otherwise. */
int bti_unit_find(struct bti_db *db, const char *ref, long long *id);

/* Rename a unit, with the reason kept in the audit. */
int bti_unit_edit(struct bti_db *db, long long id, const char *name, const char *reason);

extern const struct bti_cols bti_unit_cols;
int bti_unit_list(struct bti_db *db, bti_row_fn fn, void *arg);

#endif
