/* Checks the domain modules share that read the database (lib/check.c;
 * named checks.h, as check.h is the Check framework's). */
#ifndef BTI_CHECKS_H
#define BTI_CHECKS_H

#include "store/store.h"

/* Check the date of something that happened: not after today, and not
 * before `not_before` (BTI_NO_DATE: no lower bound). */
int check_event_date(struct bti_db *db, bti_date d, bti_date not_before, const char *what);

/* A date column of one row of a compiled table (BTI_NO_DATE when NULL). */
int row_date(struct bti_db *db, const char *table, long long id, const char *column, bti_date *out);

/* Pick the one candidate id a bound statement returns: `given` when the
 * caller named one (BTI_ERULE with a message when it is no candidate),
 * else the only one.  Several without `given`: BTI_EUSAGE listing them
 * (`what` names them: "decisions") and naming `option`.  None: BTI_ENOTFOUND without a message. */
int pick_one(struct bti_db *db, sqlite3_stmt *st, long long given, const char *what,
             const char *option, long long *out);

#endif
