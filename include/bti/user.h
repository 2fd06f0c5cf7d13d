/*
 * Users: OS logins bound to a role (SPEC section 9).  `init` makes its
 * caller admin; an unknown login is refused.
 */
#ifndef BTI_USER_H
#define BTI_USER_H

#include "bti/db.h"
#include "bti/row.h"

/* Parse admin, caseworker, coordinator or report; BTI_EINVAL otherwise. */
int bti_role_parse(enum bti_role *out, const char *s);

/* Bind login to role; a retired login is taken back with the new role.
 * A coordinator login is bound to coordinator_id (0 for any other role;
 * BTI_EUSAGE when they do not go together).  BTI_ERULE when the login
 * already has a role. */
int bti_user_add(struct bti_db *db, const char *login, enum bti_role role,
                 long long coordinator_id, long long *id);

/* Retire login (its rows stay).  BTI_ERULE for the caller's own login, so
 * the admin doing it always remains. */
int bti_user_retire(struct bti_db *db, const char *login);

extern const struct bti_cols bti_user_cols;
int bti_user_list(struct bti_db *db, bti_row_fn fn, void *arg);

#endif
