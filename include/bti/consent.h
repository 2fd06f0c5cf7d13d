/*
 * Consent (samtykke) of a case, scope `plan` (the plan process) or
 * `exchange` (information exchange), each for named parties or `all`.
 * Nothing is deleted: a withdrawal keeps the history.
 */
#ifndef BTI_CONSENT_H
#define BTI_CONSENT_H

#include "bti/db.h"
#include "bti/row.h"

struct bti_consent_in {
    long long case_id;
    const char *scope;     /* plan or exchange */
    const char *by;        /* user, guardian or representative */
    long long relative_id; /* who gave it, for a guardian or representative */
    const char *parties;   /* comma-separated organisations or roles, or "all" */
    bti_date given;        /* BTI_NO_DATE for today */
};

/* Record a consent.  A guardian or representative must be a relative of
 * the case's person marked as one who may consent (BTI_ERULE). */
int bti_consent_give(struct bti_db *db, const struct bti_consent_in *in, long long *id);

/* Withdraw the active consent of scope (consent_id when the case holds
 * several: without it BTI_EUSAGE listing them) on `date` (BTI_NO_DATE: today). */
int bti_consent_withdraw(struct bti_db *db, long long case_id, const char *scope,
                         long long consent_id, bti_date date, long long *id);

/* Correct the parties or given date of a consent, with the reason audited. */
int bti_consent_edit(struct bti_db *db, long long id, const char *parties, bti_date given,
                     const char *reason);

/* The consents of a case (or all, case_id 0), ordered by id. */
extern const struct bti_cols bti_consent_cols;
int bti_consent_list(struct bti_db *db, long long case_id, bti_row_fn fn, void *arg);

/* *covered: whether the case has consent of scope covering party on date. */
int bti_consent_covers(struct bti_db *db, long long case_id, const char *scope, const char *party,
                       bti_date date, int *covered);

#endif
