/*
 * The responsibility group (ansvarsgruppe) of a case: its members and its
 * meetings, led by the case's coordinator.
 */
#ifndef BTI_GROUP_H
#define BTI_GROUP_H

#include "bti/db.h"
#include "bti/row.h"

/* More members than this gives a warning, never a refusal. */
#define BTI_GROUP_LARGE 8

struct bti_group_in {
    long long case_id;
    const char *name, *role;
    const char *org; /* NULL when none */
    bti_date from;   /* BTI_NO_DATE: today */
};

/* Add a member: needs active exchange consent covering their organisation
 * or role.  *size gets the group's size after. */
int bti_group_add(struct bti_db *db, const struct bti_group_in *in, long long *id, int *size);

/* A member leaves the group on `date` (BTI_NO_DATE: today). */
int bti_group_remove(struct bti_db *db, long long case_id, long long member_id, bti_date date);

/* Correct a member's name, role or organisation (NULL keeps), with a reason. */
int bti_group_edit(struct bti_db *db, long long case_id, long long member_id,
                   const struct bti_group_in *in, const char *reason);

/* The members of a case's group, present and past (logged: names). */
extern const struct bti_cols bti_group_cols;
int bti_group_list(struct bti_db *db, long long case_id, bti_row_fn fn, void *arg);

/* A group meeting led by the case's running coordinator, with its minutes
 * reference, or NULL for missing minutes. */
int bti_group_meeting(struct bti_db *db, long long case_id, bti_date date, const char *minutes,
                      long long *id);

/* Add the minutes reference of a meeting recorded without one. */
int bti_group_minutes(struct bti_db *db, long long case_id, long long meeting_id,
                      const char *minutes);

#endif
