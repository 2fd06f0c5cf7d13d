/* What other modules use of the doctor (lib/doctor.c): private to lib/. */
#ifndef BTI_DOCTOR_PRIV_H
#define BTI_DOCTOR_PRIV_H

#include "store/store.h"

/* bti_doctor without the check named skip (NULL: every check): a restore
 * has verified the audit chain against its head just before. */
int doctor_run(struct bti_db *db, bti_row_fn fn, void *arg, const char *skip);

#endif
