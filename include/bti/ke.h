/*
 * The KE's own work: its members, its meetings, the cases reviewed at them,
 * and the coordinators' handbook.
 */
#ifndef BTI_KE_H
#define BTI_KE_H

#include <cjson/cJSON.h>
#include "bti/db.h"
#include "bti/lifecycle.h"
#include "bti/row.h"

/* Add a KE member; case_reviews says whether they take part in reviews. */
int bti_member_add(struct bti_db *db, const char *name, const char *role, int case_reviews,
                   long long *id);

extern const struct bti_cols bti_member_cols;
int bti_member_list(struct bti_db *db, bti_row_fn fn, void *arg);

/* Add a meeting held (or planned) on `held` with the members named by id or
 * exact name in attendees[0..n). */
int bti_meeting_add(struct bti_db *db, bti_date held, const char *const *attendees, size_t n,
                    long long *id);

extern const struct bti_cols bti_meeting_cols;
int bti_meeting_list(struct bti_db *db, bti_row_fn fn, void *arg);

/* A meeting with its attendees and reviews; an anonymous review shows
 * neither its id nor its case.  A new object (bti_json_free). */
int bti_meeting_show(struct bti_db *db, long long id, cJSON **out);

struct bti_review_in {
    long long case_id, meeting_id;
    const char *conclusion;
    bti_date journal; /* the date the journal note was written in the EHR, or BTI_NO_DATE */
    int anonymous;
};

/* Record that the case was discussed at the meeting (the lifecycle's review
 * event).  Identified, it needs active exchange consent covering KE on the
 * meeting's date; anonymous, the conclusion may not hold the person's name,
 * nin or birth date. */
int bti_review_add(struct bti_db *db, const struct bti_review_in *in, long long *id,
                   enum bti_state *before, enum bti_state *after);

/* Record the date the journal note of a review was written in the EHR. */
int bti_review_journal(struct bti_db *db, long long review_id, bti_date date);

/* The members attending a meeting who take no part in case reviews
 * (member_id, role): an identified review at it is recorded with a warning
 * naming each. */
extern const struct bti_cols bti_non_reviewer_cols;
int bti_meeting_non_reviewers(struct bti_db *db, long long meeting_id, bti_row_fn fn, void *arg);

struct bti_escalation_in {
    long long case_id;
    bti_date date;    /* BTI_NO_DATE: today */
    const char *note; /* what the coordinator cannot solve at service level */
};

/* Record that a coordinator brought a problem the service level cannot
 * solve to the KE (the lifecycle's escalate event, in any open state; the
 * state stays, *state gets it).  It stands on the KE's agenda and in due
 * until a review of the case at a meeting held on or after its date. */
int bti_escalate(struct bti_db *db, const struct bti_escalation_in *in, long long *id,
                 enum bti_state *state);

/* What a KE meeting should take, as {case_id, reason, since}, oldest
 * first: reason `received` (a case not yet reviewed), `escalation` (no
 * review has followed it), `appeal` (for the KE to reconsider: not
 * forwarded, no result) or `quashed` (items to decide again).  The agenda
 * is for the date of meeting_id, or (0) of the first meeting on or after
 * today, else today: it holds what arose by that date and was not taken
 * at a meeting held before it. */
extern const struct bti_cols bti_agenda_cols;
int bti_meeting_agenda(struct bti_db *db, long long meeting_id, bti_row_fn fn, void *arg);

/* Record an update of the coordinators' handbook. */
int bti_handbook_add(struct bti_db *db, bti_date updated, const char *note, long long *id);

#endif
