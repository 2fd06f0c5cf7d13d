/*
 * The audit: an append-only, hash-chained log of every change (SPEC
 * sections 2 and 9).
 *
 * Each row's change JSON is digested with a random per-row salt; each row's
 * hash covers the previous row's hash, its id and every field,
 * length-prefixed, with the digest standing in for the JSON.  So a person's
 * values can be erased from the JSON without breaking the chain, while any
 * other change to any row is found.
 */
#ifndef BTI_AUDIT_H
#define BTI_AUDIT_H

#include "bti/db.h"

/* "ROWS:HEX" of the head: the row count and the last row's hash in hex. */
#define BTI_AUDIT_HEAD_BUF 96

/* Write the head of the log ("ROWS:HASH") into buf (BTI_AUDIT_HEAD_BUF bytes). */
int bti_audit_head(struct bti_db *db, char *buf);

/* Verify the whole chain and, when head is not NULL, that the log still
 * holds that head ("ROWS:HASH") and has at least that many rows.  BTI_ECHECK
 * naming the first row that does not match; BTI_EINVAL for a malformed head. */
int bti_audit_verify(struct bti_db *db, const char *head);

#endif
