/*
 * The start of the day (bti status, SPEC section 5): one object with the
 * database in use, the login and its role, open cases by state, what is
 * due today and in the next days, the last backup, the last review of the
 * access log and the audit head.  It holds counts only, never a name.
 */
#ifndef BTI_STATUS_H
#define BTI_STATUS_H

#include <cjson/cJSON.h>
#include "bti/db.h"

/* Days ahead that status counts what falls due. */
#define BTI_STATUS_DAYS_AHEAD 14

/* A new object {database, today, login, role, open_cases: {STATE: n, ...},
 * due_today, due_next_14_days, last_backup: {at, target} | null,
 * last_access_review, audit_head}.  due_next_14_days counts the rows the
 * due list (closed cases kept past retention_years included) will hold by
 * then that it does not hold today.  The caller frees *out with
 * bti_json_free. */
int bti_status(struct bti_db *db, int retention_years, cJSON **out);

#endif
