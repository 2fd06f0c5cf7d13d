/*
 * The audit: an append-only, hash-chained log of every change (SPEC
 * sections 2 and 9).
 *
 * Each row's change JSON is digested with a random per-row salt; each row's
 * hash covers the previous row's hash, its id and every field,
 * length-prefixed, with the digest standing in for the JSON.  So a person's
 * values can be erased from the JSON without breaking the chain, while any
 * other change to any row is found.
 *
 * The access log is chained the same way, in a chain of its own (issue 14):
 * each access row's hash covers the previous access row's hash, its id and
 * every field.  Access rows from before that chain (restored from an older
 * export, or written before the migration) have no hash and may only come
 * first.  The head covers both logs.
 */
#ifndef BTI_AUDIT_H
#define BTI_AUDIT_H

#include "bti/db.h"

/* "ROWS:HEX" of the head: the rows of both logs it covers and its hash in
 * hex.  While no access row is chained, the hash is the audit's last row's
 * hash; else the SHA-256 of that and the last access row's hash. */
#define BTI_AUDIT_HEAD_BUF 96

/* The rows a head covers: the audit's, and the access log's chained ones
 * (ROWS is their sum). */
struct bti_audit_rows {
    long long audit, access;
};

/* Write the head of the logs ("ROWS:HASH") into buf (BTI_AUDIT_HEAD_BUF
 * bytes); *rows, when rows is not NULL, gets the rows of each log. */
int bti_audit_head(struct bti_db *db, char *buf, struct bti_audit_rows *rows);

/* Verify both chains (the audit's and the access log's) and, when head is
 * not NULL, that the logs still hold that head ("ROWS:HASH") and have at
 * least that many rows.  BTI_ECHECK naming the first row that does not
 * match ("audit row N" or "access row N"); BTI_EINVAL for a malformed head. */
int bti_audit_verify(struct bti_db *db, const char *head);

#endif
