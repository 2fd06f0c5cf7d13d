/*
 * Privacy (SPEC section 9): who has looked at a case, the summary of the
 * access log and its review, and the erasure of a person.
 */
#ifndef BTI_PRIVACY_H
#define BTI_PRIVACY_H

#include <cjson/cJSON.h>
#include "bti/db.h"
#include "bti/row.h"

/* The access rows that concern a case: its own reads, its person's, its
 * plan's, identified reviews at meetings shown, exports and backups. */
extern const struct bti_cols bti_case_access_cols;
int bti_case_access(struct bti_db *db, long long case_id, bti_row_fn fn, void *arg);

struct bti_access_filter {
    const char *login;   /* NULL for all */
    long long person_id; /* 0 for all */
    bti_date from, to;   /* BTI_NO_DATE for open ends */
};

/* The access log summarised by login: reads, rows, identified reads,
 * exports and backups (flagged), first and last. */
extern const struct bti_cols bti_access_report_cols;
int bti_access_report(struct bti_db *db, const struct bti_access_filter *f, bti_row_fn fn,
                      void *arg);

/* Record that the KE reviewed the access log on date (BTI_NO_DATE: today). */
int bti_access_reviewed(struct bti_db *db, bti_date date, const char *note, long long *id);

/* Erase a person: their values go from the data (names, nin, birth date,
 * the free texts of their cases) and from the audit's JSON (the digests
 * stay, so the chain still verifies); the audit records that an erasure
 * happened.  The reason may not identify the person.  After the commit
 * the WAL is checkpointed and truncated. */
int bti_person_erase(struct bti_db *db, long long person_id, const char *reason, long long *rows);

/* A person's own access request (GDPR art. 15, and the right to see who
 * has read): everything bti holds about person_id as one new JSON object
 * (bti_json_free): `person` (as `person show`), `relatives` (the person's
 * entries about them), `cases` (each as `case show`, with its history),
 * `changes` (every audit row of the person's rows, with its change: null
 * where it was erased) and `access` (every access-log row that read their
 * data: who, when, which command, but not the ids it listed, which name
 * other people).  No other person's record.  The reads are logged. */
int bti_person_export(struct bti_db *db, long long person_id, cJSON **out);

#endif
