/* What case show reads of consents (lib/consent.c): private to lib/. */
#ifndef BTI_CONSENT_PRIV_H
#define BTI_CONSENT_PRIV_H

#include "store/store.h"

/* The consents of a case as an array (for case show). */
cJSON *consent_array(struct bti_db *db, long long case_id);

#endif
