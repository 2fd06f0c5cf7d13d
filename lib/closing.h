/* The close cascade (lib/closing.c): private to lib/. */
#ifndef BTI_CLOSING_PRIV_H
#define BTI_CLOSING_PRIV_H

#include "store/store.h"

/* Close a case that was `before` on `date` with cause: the closure row,
 * the case's closed date and cause, and its state, audited. */
int case_close_row(struct bti_db *db, long long case_id, const char *cause, bti_date date,
                   enum bti_state before);

/* Undo what the close `closure` of the case on `closed` ended: its
 * assignments and its plan run again (case reopen). */
int case_close_undo(struct bti_db *db, long long case_id, long long closure, bti_date closed);

#endif
