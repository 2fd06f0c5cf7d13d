/* Who looked at a case, the access log's summary and review, and erasure. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bti/case.h"
#include "bti/person.h"
#include "bti/privacy.h"
#include "bti/text.h"
#include "store/store.h"
#include "checks.h"
#include "person.h"
#include "base/intl.h"

static const struct bti_col case_access_cols[] = {
    {"id", BTI_T_INT},     {"at", BTI_T_TIME},       {"login", BTI_T_TEXT},
    {"actor", BTI_T_TEXT}, {"command", BTI_T_TEXT},  {"entity", BTI_T_TEXT},
    {"rows", BTI_T_INT},   {"identify", BTI_T_BOOL},
};
const struct bti_cols bti_case_access_cols = BTI_COLS(case_access_cols);

/* An access row's id list (what) holds x. */
#define LISTS(x) "bti_ids_hold(a.what, " x ")"

int bti_case_access(struct bti_db *db, long long case_id, bti_row_fn fn, void *arg)
{
    /* clang-format off */
    static const char sql[] =
        "SELECT a.id, a.at, a.login, a.actor, a.command, a.entity, a.rows, a.identify"
        " FROM access a WHERE (a.entity IN ('ke_case', 'plan') AND " LISTS("?1") ")"
        " OR (a.entity = 'person' AND " LISTS("(SELECT person_id FROM ke_case WHERE id = ?1)") ")"
        " OR (a.entity = 'ke_meeting' AND a.what IN (SELECT CAST(meeting_id AS TEXT) FROM review"
        "  WHERE case_id = ?1 AND NOT anonymous))"
        " OR a.entity IN ('export', 'backup')"
        " ORDER BY a.id";
    /* clang-format on */
    int rc = bti_case_state(db, case_id, NULL);
    sqlite3_stmt *st = rc ? NULL : db_stmt(db, sql);
    if (rc == 0 && (!st || db_bind(db, st, "i", case_id)))
        rc = bti_error_code();
    return rc ? rc : db_rows(db, st, case_access_cols, bti_case_access_cols.n, fn, arg, NULL);
}

static const struct bti_col access_report_cols[] = {
    {"login", BTI_T_TEXT},     {"reads", BTI_T_INT},   {"rows", BTI_T_INT},
    {"identified", BTI_T_INT}, {"exports", BTI_T_INT}, {"backups", BTI_T_INT},
    {"first", BTI_T_TIME},     {"last", BTI_T_TIME},
};
const struct bti_cols bti_access_report_cols = BTI_COLS(access_report_cols);

int bti_access_report(struct bti_db *db, const struct bti_access_filter *f, bti_row_fn fn,
                      void *arg)
{
    /* clang-format off */
    static const char sql[] =
        "SELECT a.login, count(*), sum(a.rows), sum(a.identify),"
        " sum(a.entity = 'export'), sum(a.entity = 'backup'), min(a.at), max(a.at)"
        " FROM access a WHERE (?1 IS NULL OR a.login = ?1)"
        " AND (?2 IS NULL OR substr(a.at, 1, 10) >= ?2) AND (?3 IS NULL OR substr(a.at, 1, 10) <= ?3)"
        " AND (?4 = 0 OR (a.entity = 'person' AND " LISTS("?4") ")"
        "  OR (a.entity IN ('ke_case', 'plan') AND EXISTS (SELECT 1 FROM ke_case c"
        "   WHERE c.person_id = ?4 AND " LISTS("c.id") "))"
        "  OR a.entity IN ('export', 'backup'))"
        " GROUP BY a.login ORDER BY a.login";
    /* clang-format on */
    sqlite3_stmt *st = db_stmt(db, sql);
    if (!st || db_bind(db, st, "tddi", f->login, f->from, f->to, f->person_id))
        return bti_error_code();
    return db_rows(db, st, access_report_cols, bti_access_report_cols.n, fn, arg, NULL);
}

int bti_access_reviewed(struct bti_db *db, bti_date date, const char *note, long long *id)
{
    bti_date when = date == BTI_NO_DATE ? db->ctx.today : date;
    int rc = note ? bti_text_check(note, BTI_TEXT_FREE, "--note") : 0;
    if (rc == 0)
        rc = check_event_date(db, when, BTI_NO_DATE, "--date");
    if (rc == 0)
        rc = db_insert(db, "access_review", id,
                       "INSERT INTO access_review(reviewed, note) VALUES (?, ?)", "dt", when, note);
    return rc;
}

#define ERASED "'(erased)'"
#define BLANK(col) col " = CASE WHEN " col " IS NULL THEN NULL ELSE " ERASED " END"
#define OF_CASES(table)                                                                            \
    "SELECT t.id FROM " table " t JOIN ke_case c ON c.id = t.case_id WHERE c.person_id = ?1"
#define OF_PLANS(table)                                                                            \
    "SELECT t.id FROM " table " t JOIN plan p ON p.id = t.plan_id JOIN ke_case c"                  \
    " ON c.id = p.case_id WHERE c.person_id = ?1"

/* The UPDATE that blanks row ?1 of table with the SET clause set. */
#define ERASE(table, set) "UPDATE " table " SET " set " WHERE id = ?1"

/* The rows that hold a person's values, and how each loses them: the ids
 * (?1 the person) and the UPDATE (NULL: only the audit JSON goes). */
static const struct {
    const char *table, *ids, *erase;
} erase_targets[] = {
    {"person", "SELECT id FROM person WHERE id = ?1",
     ERASE("person", "name = " ERASED ", born = NULL, nin = NULL, expected = 0")},
    {"relative", "SELECT id FROM relative WHERE person_id = ?1",
     ERASE("relative", "name = " ERASED ", relation = " ERASED)},
    {"referral", OF_CASES("referral"), ERASE("referral", "referrer = NULL")},
    {"review", OF_CASES("review"), ERASE("review", "conclusion = " ERASED)},
    {"escalation", OF_CASES("escalation"), ERASE("escalation", "note = " ERASED)},
    {"decision", OF_CASES("decision"),
     ERASE("decision", BLANK("reason") ", " BLANK("void_reason"))},
    {"appeal",
     "SELECT a.id FROM appeal a JOIN decision d ON d.id = a.decision_id JOIN ke_case c"
     " ON c.id = d.case_id WHERE c.person_id = ?1",
     ERASE("appeal", BLANK("late_reason"))},
    {"assignment", OF_CASES("assignment"),
     ERASE("assignment", "user_wish = NULL, " BLANK("end_reason"))},
    {"plan", OF_CASES("plan"), ERASE("plan", "ref = NULL, " BLANK("end_reason"))},
    {"goal", OF_PLANS("goal"), ERASE("goal", "text = " ERASED)},
    {"measure", OF_PLANS("measure"),
     ERASE("measure",
           "what = " ERASED ", " BLANK("scope") ", " BLANK("how") ", responsible = " ERASED)},
    {"contribution", OF_PLANS("contribution"), ERASE("contribution", "text = " ERASED)},
    {"cooperation", OF_PLANS("cooperation"), ERASE("cooperation", BLANK("what"))},
    {"evaluation", OF_PLANS("evaluation"),
     ERASE("evaluation", BLANK("goals_note") ", " BLANK("process_note"))},
    {"group_member", OF_CASES("group_member"), ERASE("group_member", "name = " ERASED)},
    {"group_meeting", OF_CASES("group_meeting"), ERASE("group_meeting", BLANK("minutes"))},
    {"unit_change", OF_CASES("unit_change"), ERASE("unit_change", "reason = " ERASED)},
    {"closure", OF_CASES("closure"), ERASE("closure", BLANK("reopen_reason"))},
    /* rows without the person's values, whose audit JSON still goes */
    {"ke_case", "SELECT id FROM ke_case WHERE person_id = ?1", NULL},
    {"request", OF_CASES("request"), NULL},
    {"consent", OF_CASES("consent"), NULL},
    {"preliminary_reply", OF_CASES("preliminary_reply"), NULL},
    {"decision_item",
     "SELECT i.id FROM decision_item i JOIN decision d ON d.id = i.decision_id JOIN ke_case c"
     " ON c.id = d.case_id WHERE c.person_id = ?1",
     NULL},
};

/* The ids sql gives for the person, in a new array (*n of them). */
static int ids_of(struct bti_db *db, const char *sql, long long person, long long **ids, size_t *n)
{
    sqlite3_stmt *st = db_stmt(db, sql);
    *ids = NULL, *n = 0;
    if (!st || db_bind(db, st, "i", person))
        return bti_error_code();
    return db_ints(db, st, ids, n);
}

/* Blank one target's rows (ids), each change audited with its new values
 * only, and erase the JSON of their earlier audit entries (ids up to
 * `before`, which the erasure entry names). */
static int erase_target(struct bti_db *db, size_t t, const long long *ids, size_t n,
                        long long before)
{
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        if (erase_targets[t].erase)
            rc = db_erase(db, erase_targets[t].table, ids[i], erase_targets[t].erase);
        if (rc == 0)
            rc = db_run(db,
                        "UPDATE audit SET change = NULL, salt = NULL WHERE entity = ?"
                        " AND entity_id = ? AND id <= ? AND change IS NOT NULL",
                        "tii", erase_targets[t].table, ids[i], before);
    }
    return rc;
}

/* The person's rows of every target: ids[t] (free each) and n[t]; and the
 * erasure entry's list of them, [[table, id], ...], added to change. */
static int collect(struct bti_db *db, long long person, long long **ids, size_t *n, cJSON *change,
                   long long *rows)
{
    cJSON *erased = cJSON_AddArrayToObject(change, "erased");
    int rc = erased ? 0 : bti_error_set(BTI_EDB, _("out of memory"));
    *rows = 0;
    for (size_t t = 0; rc == 0 && t < sizeof erase_targets / sizeof erase_targets[0]; t++) {
        rc = ids_of(db, erase_targets[t].ids, person, &ids[t], &n[t]);
        for (size_t i = 0; rc == 0 && i < n[t]; i++) {
            cJSON *pair = cJSON_CreateArray();
            cJSON_AddItemToArray(erased, pair);
            cJSON_AddItemToArray(pair, cJSON_CreateString(erase_targets[t].table));
            cJSON_AddItemToArray(pair, cJSON_CreateNumber((double)ids[t][i]));
        }
        *rows += (long long)n[t];
    }
    return rc;
}

int bti_person_erase(struct bti_db *db, long long person_id, const char *reason, long long *rows)
{
    enum { T = sizeof erase_targets / sizeof erase_targets[0] };
    long long before = 0, *ids[T] = {0};
    size_t n[T] = {0};
    int named = 0;
    int rc = bti_text_check(reason, BTI_TEXT_FREE, "--reason");
    if (rc == 0)
        rc = bti_person_exists(db, person_id);
    if (rc == 0)
        rc = person_named_in(db, person_id, reason, &named);
    if (rc == 0 && named)
        return bti_error_set(BTI_EINVAL, _("--reason may not hold the person's name, nin or "
                                           "birth date"));
    if (rc == 0)
        rc = db_int(db, &before, "SELECT coalesce(max(id), 0) FROM audit", "");
    *rows = 0;
    cJSON *change = rc ? NULL : cJSON_CreateObject();
    if (rc == 0 && !change)
        rc = bti_error_set(BTI_EDB, _("out of memory"));
    if (rc == 0) {
        cJSON_AddStringToObject(change, "reason", reason);
        rc = collect(db, person_id, ids, n, change, rows);
    }
    if (rc == 0) {
        cJSON_AddNumberToObject(change, "rows", (double)*rows);
        /* first the entry that names every row whose audit JSON goes: the
         * audit's trigger lets a row lose its JSON only under such an entry */
        rc = audit_append(db, "erasure", person_id, change);
        change = NULL;
    }
    for (size_t t = 0; rc == 0 && t < T; t++)
        rc = erase_target(db, t, ids[t], n[t], before);
    for (size_t t = 0; t < T; t++)
        free(ids[t]);
    cJSON_Delete(change);
    db->checkpoint = rc == 0; /* the WAL still holds the old pages until then */
    return rc;
}

/* ---- a person's own access request (issue 20) ------------------------- */

static const struct bti_col change_cols[] = {
    {"id", BTI_T_INT},      {"at", BTI_T_TIME},     {"login", BTI_T_TEXT},
    {"actor", BTI_T_TEXT},  {"command", BTI_T_TEXT}, {"entity", BTI_T_TEXT},
    {"entity_id", BTI_T_INT}, {"change", BTI_T_TEXT},
};

/* Move the audit rows of `entity` with these ids into arr (change as text). */
static int add_changes(struct bti_db *db, const char *entity, const long long *ids, size_t n,
                       cJSON *arr)
{
    static const char sql[] = "SELECT id, at, login, actor, command, entity, entity_id, change"
                              " FROM audit WHERE entity = ? AND entity_id = ? ORDER BY id";
    for (size_t i = 0; i < n; i++) {
        cJSON *rows = db_array(db, db_stmt(db, sql), change_cols, 8, "ti", entity, ids[i]);
        if (!rows)
            return bti_error_code() ? bti_error_code() : BTI_EDB;
        while (cJSON_GetArraySize(rows) > 0)
            cJSON_AddItemToArray(arr, cJSON_DetachItemFromArray(rows, 0));
        cJSON_Delete(rows);
    }
    return 0;
}

/* Order audit row objects by their id. */
static int by_id(const void *a, const void *b)
{
    double x = cJSON_GetNumberValue(cJSON_GetObjectItem(*(cJSON *const *)a, "id"));
    double y = cJSON_GetNumberValue(cJSON_GetObjectItem(*(cJSON *const *)b, "id"));
    return (x > y) - (x < y);
}

/* The collected audit rows in id order, each change as JSON (null where
 * it was erased), in a new array. */
static cJSON *ordered_changes(cJSON *arr)
{
    size_t n = (size_t)cJSON_GetArraySize(arr), k = 0;
    cJSON **items = calloc(n ? n : 1, sizeof *items), *out = cJSON_CreateArray();
    if (!items || !out) {
        free(items);
        cJSON_Delete(out);
        return NULL;
    }
    while (cJSON_GetArraySize(arr) > 0)
        items[k++] = cJSON_DetachItemFromArray(arr, 0);
    qsort(items, n, sizeof *items, by_id);
    for (k = 0; k < n; k++) {
        const char *text = cJSON_GetStringValue(cJSON_GetObjectItem(items[k], "change"));
        cJSON *change = text ? cJSON_Parse(text) : NULL;
        cJSON_ReplaceItemInObject(items[k], "change", change ? change : cJSON_CreateNull());
        cJSON_AddItemToArray(out, items[k]);
    }
    free(items);
    return out;
}

/* Every audited change of the person's rows, the erasure included. */
static cJSON *person_changes(struct bti_db *db, long long person_id)
{
    cJSON *arr = cJSON_CreateArray();
    int rc = arr ? add_changes(db, "erasure", &person_id, 1, arr) : BTI_EDB;
    for (size_t t = 0; rc == 0 && t < sizeof erase_targets / sizeof erase_targets[0]; t++) {
        long long *ids;
        size_t n;
        rc = ids_of(db, erase_targets[t].ids, person_id, &ids, &n);
        if (rc == 0)
            rc = add_changes(db, erase_targets[t].table, ids, n, arr);
        free(ids);
    }
    cJSON *out = rc == 0 ? ordered_changes(arr) : NULL;
    cJSON_Delete(arr);
    return out;
}

/* Every access row that read the person's data: their person, their
 * cases and plans, meetings shown with an identified review of theirs,
 * and exports and backups of the whole database.  Without the row's id
 * list, which names other people's rows. */
static cJSON *person_access(struct bti_db *db, long long person_id)
{
    /* clang-format off */
    static const char sql[] =
        "SELECT a.id, a.at, a.login, a.actor, a.command, a.entity, a.rows, a.identify"
        " FROM access a WHERE (a.entity = 'person' AND " LISTS("?1") ")"
        " OR (a.entity IN ('ke_case', 'plan') AND EXISTS (SELECT 1 FROM ke_case c"
        "  WHERE c.person_id = ?1 AND " LISTS("c.id") "))"
        " OR (a.entity = 'ke_meeting' AND a.what IN (SELECT CAST(r.meeting_id AS TEXT)"
        "  FROM review r JOIN ke_case c ON c.id = r.case_id"
        "  WHERE c.person_id = ?1 AND NOT r.anonymous))"
        " OR a.entity IN ('export', 'backup')"
        " ORDER BY a.id";
    /* clang-format on */
    return db_array(db, db_stmt(db, sql), case_access_cols, bti_case_access_cols.n, "i",
                    person_id);
}

/* The person's cases, each as `case show` gives it (each read logged). */
static cJSON *person_cases(struct bti_db *db, long long person_id)
{
    static const char sql[] = "SELECT id FROM ke_case WHERE person_id = ? ORDER BY id";
    long long *ids;
    size_t n;
    int rc = ids_of(db, sql, person_id, &ids, &n);
    cJSON *arr = rc ? NULL : cJSON_CreateArray();
    for (size_t i = 0; arr && i < n; i++) {
        cJSON *one;
        rc = bti_case_show(db, ids[i], &one);
        if (rc) {
            cJSON_Delete(arr);
            arr = NULL;
        } else {
            cJSON_AddItemToArray(arr, one);
        }
    }
    free(ids);
    return arr;
}

int bti_person_export(struct bti_db *db, long long person_id, cJSON **out)
{
    cJSON *doc = NULL;
    int rc = bti_person_show(db, person_id, &doc); /* logs the read of the person */
    cJSON *parts[] = {rc ? NULL : person_cases(db, person_id),
                      rc ? NULL : person_changes(db, person_id),
                      rc ? NULL : person_access(db, person_id)};
    static const char *const keys[] = {"cases", "changes", "access"};
    cJSON *export = cJSON_CreateObject();
    if (rc == 0 && export) {
        cJSON_AddNumberToObject(export, "person_export", 1);
        cJSON_AddItemToObject(export, "person", doc);
        cJSON_AddItemToObject(export, "relatives", cJSON_DetachItemFromObject(doc, "relatives"));
        cJSON_DeleteItemFromObject(doc, "cases"); /* the whole cases follow */
        doc = NULL;
    }
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        if (!parts[i] && rc == 0)
            rc = bti_error_code() ? bti_error_code() : BTI_EDB;
        if (export && parts[i])
            cJSON_AddItemToObject(export, keys[i], parts[i]);
        else
            cJSON_Delete(parts[i]);
    }
    cJSON_Delete(doc);
    if (rc || !export) {
        cJSON_Delete(export);
        return rc ? rc : bti_error_set(BTI_EDB, _("out of memory"));
    }
    *out = export;
    return 0;
}
