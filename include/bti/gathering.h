/*
 * Gatherings the KE holds for its coordinators: samling (twice a year),
 * fagdag (yearly), training and guidance; invitations and attendance.
 */
#ifndef BTI_GATHERING_H
#define BTI_GATHERING_H

#include "bti/db.h"
#include "bti/row.h"

/* Add a gathering (its date may lie ahead). */
int bti_gathering_add(struct bti_db *db, const char *kind, bti_date held, const char *title,
                      long long *id);

extern const struct bti_cols bti_gathering_cols;
int bti_gathering_list(struct bti_db *db, bti_row_fn fn, void *arg);

/* Invite every active coordinator not yet invited, then list everyone
 * invited (name, unit, email) for mailing. */
extern const struct bti_cols bti_invitation_cols;
int bti_gathering_invite(struct bti_db *db, long long id, int *added, bti_row_fn fn, void *arg);

/* Record that the n coordinators attended a gathering that has taken place
 * (BTI_ENOTFOUND for a missing gathering or coordinator, BTI_EINVAL while
 * the gathering lies ahead); one already recorded is left as it is. */
int bti_gathering_attend(struct bti_db *db, long long id, const long long *coordinators, int n);

#endif
