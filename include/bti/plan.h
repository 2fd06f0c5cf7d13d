/*
 * The individual plan (IP) of a case and the nine items the IP regulation
 * asks of it (SPEC section 2).
 */
#ifndef BTI_PLAN_H
#define BTI_PLAN_H

#include <cjson/cJSON.h>
#include "bti/db.h"

/* Start the plan of an active case with active plan consent. */
int bti_plan_start(struct bti_db *db, long long case_id, const char *ref, bti_date date,
                   long long *id);

/* A goal, resource or need in the user's words (kind goal|resource|need). */
int bti_plan_goal(struct bti_db *db, long long case_id, const char *kind, const char *text,
                  long long *id);

/* A contribution by user, relative or provider. */
int bti_plan_contribution(struct bti_db *db, long long case_id, const char *by, const char *text,
                          long long *id);

/* Cooperation needed with another provider or agency, and what for. */
int bti_plan_cooperation(struct bti_db *db, long long case_id, const char *with, const char *what,
                         long long *id);

struct bti_measure_in {
    const char *what, *responsible; /* required */
    const char *scope, *how;        /* NULL when not given (adopt needs them) */
    long long unit_id;              /* 0 when none */
};

int bti_plan_measure(struct bti_db *db, long long case_id, const struct bti_measure_in *in,
                     long long *id);

/* Adopt the plan when its nine items are there (BTI_ERULE listing what is
 * missing): adopted on `date`, period end, next evaluation (default six
 * months on).  *next gets the next evaluation date. */
int bti_plan_adopt(struct bti_db *db, long long case_id, bti_date date, bti_date period_end,
                   bti_date next_in, bti_date *next);

/* Record an evaluation of an active plan: goals and work process notes,
 * and the next evaluation (default six months on). */
int bti_plan_evaluate(struct bti_db *db, long long case_id, bti_date date, bti_date next_in,
                      const char *note, const char *process, bti_date *next);

/* End the plan (the coordinator goes on); need_ended: the unit reported
 * that the IP's need ended, so the 'ip' item ends too (else it stays
 * granted and a new plan can be started on it). */
int bti_plan_end(struct bti_db *db, long long case_id, const char *reason, int need_ended,
                 bti_date date);

/* Correct the plan's reference, period end or next evaluation. */
int bti_plan_edit(struct bti_db *db, long long case_id, const char *ref, bti_date period_end,
                  bti_date next, const char *reason);

/* Correct a measure of the case's plan: NULL fields and unit 0 keep. */
int bti_plan_measure_edit(struct bti_db *db, long long case_id, long long measure_id,
                          const struct bti_measure_in *in, const char *reason);

/* The plan with its items and the list of what adoption still lacks, as a
 * new object (bti_json_free).  Logged as an identified read. */
int bti_plan_show(struct bti_db *db, long long case_id, cJSON **out);

#endif
