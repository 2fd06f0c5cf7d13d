/*
 * Referrals and cases: a person's KE case from the first referral on
 * (SPEC sections 2 and 3).
 */
#ifndef BTI_CASE_H
#define BTI_CASE_H

#include <cjson/cJSON.h>
#include "bti/db.h"
#include "bti/lifecycle.h"
#include "bti/person.h"
#include "bti/row.h"

/* A referral: for exactly one of an existing person, a new person, or an
 * open case (adding requests to it). */
struct bti_referral_in {
    long long person_id;                /* --person, 0 when not given */
    const struct bti_person_in *person; /* --name ..., NULL when not given */
    long long case_id;                  /* --case, 0 when not given */
    const char *source;                 /* bti, plo or application */
    const char *requests;               /* comma-separated: coordinator, ip, child */
    const char *referrer;               /* NULL when not given */
    bti_date received;                  /* BTI_NO_DATE for today */
};

/* What a referral did, for the command's summary line. */
struct bti_referral_out {
    long long case_id, referral_id, person_id;
    enum bti_state before, after;
};

/* Record a referral: a new case in state received for a person without an
 * open case (BTI_ERULE with a hint to use --case when there is one), or new
 * requests on an open case. */
int bti_referral_add(struct bti_db *db, const struct bti_referral_in *in,
                     struct bti_referral_out *out);

/* The referrals, of one case or (case_id 0) of all, ordered by id. */
extern const struct bti_cols bti_referral_cols;
int bti_referral_list(struct bti_db *db, long long case_id, bti_row_fn fn, void *arg);

/* One referral with its requests, as a new object (bti_json_free). */
int bti_referral_show(struct bti_db *db, long long id, cJSON **out);

/* BTI_ENOTFOUND unless case id exists; *state (may be NULL) gets its state. */
int bti_case_state(struct bti_db *db, long long id, enum bti_state *state);

struct bti_case_filter {
    unsigned statuses;        /* 1 << each state wanted (any of them); 0 for any */
    int open;                 /* only open cases */
    long long unit_id;        /* 0 for any */
    long long coordinator_id; /* 0 for any: cases where they hold a running assignment */
    const char *name;         /* a case-insensitive part of the person's name */
    long long limit;          /* 0 for no limit */
};

/* The cases matching f, ordered by id; the person's name only with
 * --identify (and then the read is logged). */
extern const struct bti_cols bti_case_cols;
int bti_case_list(struct bti_db *db, const struct bti_case_filter *f, bti_row_fn fn, void *arg);

/* Everything about one case (SPEC section 6) as a new object
 * (bti_json_free).  Logged as an identified read. */
int bti_case_show(struct bti_db *db, long long id, cJSON **out);

/* Plain fields of a case an edit may change: NULL or BTI_NO_DATE keeps. */
struct bti_case_edit {
    const char *referrer;
    bti_date received;
};

/* Correct a case's plain fields with a reason kept in the audit. */
int bti_case_edit(struct bti_db *db, long long id, const struct bti_case_edit *e,
                  const char *reason);

/* Close an open case with a cause (need-ended, declined, denied, moved,
 * deceased, other) on `date` (BTI_NO_DATE: today).  *before gets the state
 * it had. */
int bti_case_close(struct bti_db *db, long long id, const char *cause, bti_date date,
                   enum bti_state *before);

/* Undo a close made in error, within a year of it: the case returns to the
 * state it had.  *after gets that state. */
int bti_case_reopen(struct bti_db *db, long long id, const char *reason, enum bti_state *after);

/* Change the responsible unit of an open case, with a reason. */
int bti_case_unit(struct bti_db *db, long long id, long long unit_id, const char *reason);

/* The audit rows of a case and everything recorded on it, in order. */
extern const struct bti_cols bti_case_log_cols;
int bti_case_log(struct bti_db *db, long long id, bti_row_fn fn, void *arg);

/* The bits of a set of request items. */
enum bti_item { BTI_ITEM_COORDINATOR = 1, BTI_ITEM_IP = 2, BTI_ITEM_CHILD = 4 };

/* Parse a comma-separated list of request items into a bit set of enum
 * bti_item; BTI_EINVAL naming `what`. */
int bti_items_parse(const char *s, unsigned *items, const char *what);

/* The item names of a bit set, comma-separated, into buf. */
char *bti_items_format(unsigned items, char *buf, size_t size);

#endif
