/*
 * Decisions (enkeltvedtak) on the requested items of a case, preliminary
 * replies and appeals (SPEC sections 3 and 4).  Each item of a case is
 * decided once, unless that decision is voided or quashed on appeal.
 */
#ifndef BTI_DECISION_H
#define BTI_DECISION_H

#include "bti/db.h"
#include "bti/lifecycle.h"

/* What a lifecycle step did, for the command's summary line. */
struct bti_step {
    enum bti_state before, after;
    bti_date deadline; /* an appeal deadline it set, or BTI_NO_DATE */
    int late;          /* an appeal: received after its deadline */
};

struct bti_decide_in {
    long long case_id;
    int grant;          /* 1 grant, 0 deny */
    const char *covers; /* comma-separated items; NULL: the undecided requested items */
    const char *basis;  /* comma-separated codes; NULL: each item's health-law basis */
    long long unit_id;  /* the responsible unit of a grant */
    const char *reason; /* the reason of a denial */
    bti_date decided;   /* BTI_NO_DATE: today */
    bti_date notified;  /* BTI_NO_DATE: not yet (ke notify later) */
};

/* Register a decision; the case moves as the lifecycle table says. */
int bti_decide(struct bti_db *db, const struct bti_decide_in *in, long long *id,
               struct bti_step *step);

/* Annul the case's latest decision, registered in error, with a reason:
 * the case returns to where it was before it. */
int bti_decision_void(struct bti_db *db, long long case_id, long long decision_id,
                      const char *reason, struct bti_step *step);

/* Record the date a decision was notified; its appeal deadline runs from
 * there.  decision_id 0: the case's only decision awaiting notification. */
int bti_decision_notify(struct bti_db *db, long long case_id, long long decision_id, bti_date date,
                        long long *id, struct bti_step *step);

/* Record the preliminary reply (the table of law's "preliminary-reply"). */
int bti_reply_add(struct bti_db *db, long long case_id, bti_date date, long long *id);

struct bti_appeal_in {
    long long case_id, decision_id; /* decision 0: the only one open to appeal */
    bti_date received;              /* BTI_NO_DATE: today */
    bti_date posted;                /* when the user posted or sent it; BTI_NO_DATE: unknown */
    const char *late_reason;        /* needed after the deadline */
};

/* Record an appeal (klage): received, or posted or sent, by the deadline
 * (any time when the decision was never notified), or late with a reason
 * and within the one-year bar of the table of law. */
int bti_appeal_add(struct bti_db *db, const struct bti_appeal_in *in, long long *id,
                   struct bti_step *step);

/* Record that an appeal was sent on to statsforvalteren. */
int bti_appeal_forward(struct bti_db *db, long long case_id, long long decision_id, bti_date date,
                       long long *id);

struct bti_appeal_result_in {
    long long case_id, decision_id;
    const char *result; /* reversed, upheld or quashed */
    const char *by;     /* ke or statsforvalteren; NULL: statsforvalteren once forwarded */
    long long unit_id;  /* the responsible unit when reversed */
    bti_date date;      /* BTI_NO_DATE: today */
};

/* Record an appeal's result; the case moves as the lifecycle table says. */
int bti_appeal_result(struct bti_db *db, const struct bti_appeal_result_in *in, long long *id,
                      struct bti_step *step);

#endif
