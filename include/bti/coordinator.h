/*
 * Coordinators (koordinatorer) and their assignments to cases: who
 * coordinates which case, as coordinator or barnekoordinator.
 */
#ifndef BTI_COORDINATOR_H
#define BTI_COORDINATOR_H

#include <cjson/cJSON.h>
#include "bti/db.h"
#include "bti/lifecycle.h"
#include "bti/row.h"

struct bti_coordinator_in {
    const char *name;
    long long unit_id;
    const char *email, *phone; /* NULL when not given */
};

int bti_coordinator_add(struct bti_db *db, const struct bti_coordinator_in *in, long long *id);

/* Find a coordinator by id or by name; several of one name: BTI_EUSAGE
 * listing their ids. */
int bti_coordinator_find(struct bti_db *db, const char *ref, long long *id);

/* Change some fields (NULL or unit 0 keeps), with a reason audited. */
int bti_coordinator_edit(struct bti_db *db, long long id, const struct bti_coordinator_in *in,
                         const char *reason);

/* Retire a coordinator: BTI_ERULE listing the cases while they hold
 * running assignments. */
int bti_coordinator_retire(struct bti_db *db, long long id);

/* The coordinators (active ones unless all), with their running assignments. */
extern const struct bti_cols bti_coordinator_cols;
int bti_coordinator_list(struct bti_db *db, int all, bti_row_fn fn, void *arg);

/* One coordinator with running assignments and recent gatherings, as a
 * new object (bti_json_free). */
int bti_coordinator_show(struct bti_db *db, long long id, cJSON **out);

struct bti_assign_in {
    long long case_id, coordinator_id;
    int child;             /* a barnekoordinator (basis hol-7-2a) */
    int user_preferred;    /* the user asked for this coordinator */
    const char *user_wish; /* the wish in the user's words, or NULL */
    const char *reason;    /* needed for a change of coordinator */
    bti_date start;        /* BTI_NO_DATE: today */
    bti_date confirmed;    /* reported to the KE, or BTI_NO_DATE */
    int temporary;         /* a stand-in while the regular coordinator is away */
    bti_date until;        /* a stand-in's planned end */
};

struct bti_assign_out {
    enum bti_state before, after;
    long long ended; /* the running assignment this one replaced, or 0 */
    int other_unit;  /* the coordinator belongs to another unit than the case's */
};

/* Appoint a coordinator to a case with a granted coordinator (or child)
 * item; on a case with one running it is a change and needs a reason;
 * with temporary, a stand-in beside the running one (which pauses), with
 * until and a reason. */
int bti_assign(struct bti_db *db, const struct bti_assign_in *in, long long *id,
               struct bti_assign_out *out);

struct bti_end_in {
    long long case_id;
    int child;          /* the barnekoordinator (whose child turned 18, say) */
    int temporary;      /* end the stand-in: the regular assignment resumes */
    int need_continues; /* the need goes on: the item stays granted */
    const char *reason;
    bti_date date; /* BTI_NO_DATE: today */
};

/* End a running assignment because the unit reported that the need ended
 * (its item then ends, unless need_continues), or end a stand-in; the
 * case stays active while another assignment runs, else granted. */
int bti_assignment_end(struct bti_db *db, const struct bti_end_in *in, long long *id,
                       struct bti_assign_out *out);

/* Record that the unit reported the running assignment to the KE. */
int bti_assignment_confirm(struct bti_db *db, long long case_id, int child, bti_date date,
                           long long *id);

/* Record that the coordinator was registered as primary contact in the
 * EHR, with access to the coordinator journal, on `date`; or (own_system
 * not NULL) the name of the coordinator's own documentation system. */
int bti_assignment_register(struct bti_db *db, long long case_id, int child, bti_date date,
                            const char *own_system, long long *id);

#endif
