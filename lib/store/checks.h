/* The CHECK constraints' IN lists as OR chains (issue 19): SQLite builds a
 * temporary B-tree for each `x IN (a, b, c)` of a CHECK on every row it
 * writes; `(x = a OR x = b OR x = c)` has the same truth (NULL included)
 * and costs a few comparisons.  Private to the store. */
#ifndef BTI_STORE_CHECKS_H
#define BTI_STORE_CHECKS_H

#include "store/store.h"

/* The CREATE TABLE text sql with each `ident IN (literal, ...)` inside its
 * CHECK constraints written as `(ident = literal OR ...)`; everything else
 * (an IN over a subquery or expressions, NOT IN, an IN outside a CHECK)
 * as it was.  A second pass changes nothing.  The result is freed with
 * sqlite3_free; NULL when memory ran out. */
char *checks_in_as_or(const char *sql);

/* The migration step: rewrite every table's CHECK IN lists in
 * sqlite_schema (the writable_schema way of SQLite's ALTER TABLE page: the
 * on-disk format does not change), bump schema_version and check the
 * database.  The caller holds the write transaction. */
int checks_as_or_chains(struct bti_db *db);

#endif
