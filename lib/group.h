/* What case show reads of the responsibility group (lib/group.c): private to lib/. */
#ifndef BTI_GROUP_PRIV_H
#define BTI_GROUP_PRIV_H

#include "store/store.h"

/* The responsibility group of a case: {members: [...], meetings: [...]}. */
cJSON *group_object(struct bti_db *db, long long case_id);

#endif
