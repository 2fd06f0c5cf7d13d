/* The migrations' steps that db.c's schema_migrate runs in a transaction
 * (lib/store/schema.c): private to the store. */
#ifndef BTI_STORE_SCHEMA_H
#define BTI_STORE_SCHEMA_H

#include "store/store.h"

/* The database's user_version. */
int schema_user_version(struct bti_db *db, long long *out);

/* Bring a database at version v to this bti's schema (nothing when it is
 * there already); the caller holds a write transaction when one is due. */
int schema_migrate_from(struct bti_db *db, long long v);

#endif
