/* Where each requested item of a case stands (lib/item_status.c): private
 * to lib/. */
#ifndef BTI_ITEM_STATUS_PRIV_H
#define BTI_ITEM_STATUS_PRIV_H

#include "store/store.h"

/* The date item (coordinator, ip, child) of the case was granted, as it
 * stands; BTI_ENOTFOUND without a message when it is not granted (or its
 * need has ended). */
int item_granted_on(struct bti_db *db, long long case_id, const char *item, bti_date *on);

/* The status of item (coordinator, ip, child) of the case as SPEC section
 * 2 has it ("undecided", "granted", "denied", "ended") in buf; "" when the
 * case never requested it. */
int item_status(struct bti_db *db, long long case_id, const char *item, char *buf, size_t size);

#endif
