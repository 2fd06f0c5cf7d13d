/* What other modules use of the doctor (lib/doctor.c): private to lib/. */
#ifndef BTI_DOCTOR_PRIV_H
#define BTI_DOCTOR_PRIV_H

#include "store/store.h"

/* bti_doctor without the checks named in skip, a NULL-terminated list
 * (NULL: every check): a restore skips those it has proved itself. */
int doctor_run(struct bti_db *db, bti_row_fn fn, void *arg, const char *const *skip);

#endif
