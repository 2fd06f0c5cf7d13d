/*
 * Export and restore (SPEC section 6): the whole database as one JSON
 * document laid out one row per line, so that both directions stream:
 *
 *     {"bti_export":1,"schema":N,"tables":{
 *     "user":[
 *     {"id":1,"login":"kari",...},
 *     ...
 *     ],
 *     ...
 *     "access":[
 *     ]}}
 *
 * Blobs (the audit's salts, digests and hashes) are lowercase hex strings.
 */
#ifndef BTI_EXPORT_H
#define BTI_EXPORT_H

#include <stddef.h>
#include "bti/db.h"

/* Receives the export a line at a time (without its line end). */
typedef int (*bti_line_fn)(const char *line, size_t len, void *arg);

/* Write the whole database to fn, a line at a time, and log the read in
 * the access log (after the rows, so an export does not hold its own
 * access row). *rows gets the number of rows. */
int bti_export(struct bti_db *db, bti_line_fn fn, void *arg, long long *rows);

struct bti_restore;

/* Start restoring into db, a database bti_db_create_empty made, inside the
 * caller's write transaction. */
int bti_restore_begin(struct bti_db *db, struct bti_restore **out);

/* Feed the next line of an export (without its line end); lineno names it
 * in messages. */
int bti_restore_line(struct bti_restore *r, const char *line, long long lineno);

/* Finish: the document must be complete; the chain must verify (and hold
 * head, when not NULL), the database's checks pass, and the login must be
 * an admin of the restored data.  Appends the restore audit row with the
 * file's SHA-256 (hex) and frees r. */
int bti_restore_end(struct bti_restore *r, const char *head, const char *sha256);

/* Free r without finishing (after a failure). */
void bti_restore_free(struct bti_restore *r);

#endif
