/*
 * Persons: the users of the services (and an unborn child, by its expected
 * date), with their relatives.
 */
#ifndef BTI_PERSON_H
#define BTI_PERSON_H

#include <cjson/cJSON.h>
#include "bti/db.h"
#include "bti/row.h"

/* A person as entered.  born is BTI_NO_DATE when unknown; with a nin and no
 * born date, the date comes from the nin. */
struct bti_person_in {
    const char *name;
    bti_date born;
    int expected;    /* born is the expected date of an unborn child */
    const char *nin; /* NULL when none */
};

/* Validate and add a person.  BTI_ERULE, with a hint naming the existing
 * id, when a person with that nin, or that name and birth date, exists. */
int bti_person_add(struct bti_db *db, const struct bti_person_in *in, long long *id);

/* BTI_ENOTFOUND unless person id exists. */
int bti_person_exists(struct bti_db *db, long long id);

/* Change some of a person's fields: a NULL name or nin, a BTI_NO_DATE born
 * and an expected of -1 keep the old value.  The reason goes to the audit. */
int bti_person_edit(struct bti_db *db, long long id, const struct bti_person_in *in,
                    const char *reason);

/* Add a relative (name, relation, whether they may consent for the person). */
int bti_relative_add(struct bti_db *db, long long person_id, const char *name, const char *relation,
                     int may_consent, long long *id);

struct bti_person_filter {
    const char *name; /* a case-insensitive part of the name, or NULL */
    bti_date born;    /* BTI_NO_DATE for any */
    long long limit;  /* 0 for no limit */
};

/* The persons matching filter, ordered by id.  The names make this an
 * identified read: it is written to the access log. */
extern const struct bti_cols bti_person_cols;
int bti_person_list(struct bti_db *db, const struct bti_person_filter *f, bti_row_fn fn, void *arg);

/* One person with relatives and cases, as a new object the caller frees
 * with bti_json_free.  Logged as an identified read. */
int bti_person_show(struct bti_db *db, long long id, cJSON **out);

#endif
