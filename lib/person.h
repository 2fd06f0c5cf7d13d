/* What other modules read of persons (lib/person.c): private to lib/. */
#ifndef BTI_PERSON_PRIV_H
#define BTI_PERSON_PRIV_H

#include "store/store.h"

/* The person's identity as an object (id, name, born, expected, nin masked
 * unless --identify), or NULL on failure or when there is none. */
cJSON *person_object(struct bti_db *db, long long id);

/* *named is non-zero when text names person_id by a part of their name,
 * their nin or their birth date. */
int person_named_in(struct bti_db *db, long long person_id, const char *text, int *named);

/* *out is the id of a person other than `self` born on `born` (or with no
 * birth date when it is BTI_NO_DATE) whose name folds to the same key as
 * name (bti_text_fold: case, composition and spaces do not count), or 0. */
int person_same_name(struct bti_db *db, const char *name, bti_date born, long long self,
                     long long *out);

#endif
