/* Persons and their relatives. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bti/nin.h"
#include "bti/person.h"
#include "bti/text.h"
#include "store/store.h"
#include "person.h"
#include "base/intl.h"

/* Check the birth date: a real birth lies no later than today; an expected
 * date is planned and may lie ahead. */
static int check_born(struct bti_db *db, const struct bti_person_in *p)
{
    if (p->expected && p->born == BTI_NO_DATE)
        return bti_error_set(BTI_EUSAGE, _("an expected child needs --expected DATE"));
    if (!p->expected && p->born != BTI_NO_DATE && p->born > db->ctx.today)
        return bti_error_set(BTI_EINVAL, _("--born lies after today"));
    if (p->expected && p->nin)
        return bti_error_set(BTI_EINVAL, _("an expected child has no nin yet"));
    return 0;
}

/* Validate p, filling in a missing birth date from the nin. */
static int validate(struct bti_db *db, struct bti_person_in *p)
{
    int rc = bti_text_check(p->name, BTI_TEXT_NAME, "--name");
    if (rc == 0 && p->nin && !p->expected)
        rc = p->born == BTI_NO_DATE ? bti_nin_check(p->nin, &p->born, "--nin")
                                    : bti_nin_check_born(p->nin, p->born, "--nin");
    return rc ? rc : check_born(db, p);
}

int person_same_name(struct bti_db *db, const char *name, bti_date born, long long self,
                     long long *out)
{
    static const char sql[] = "SELECT id, name FROM person WHERE born IS ? AND id <> ?";
    *out = 0;
    if (!bti_text_is_utf8(name, strlen(name)))
        return 0; /* no one's: the name's check refuses it */
    sqlite3_stmt *st = db_stmt(db, sql);
    char *key = bti_text_fold(name);
    int rc = !key ? bti_error_set(BTI_EDB, _("out of memory")) : st ? 0 : bti_error_code();
    int step = SQLITE_DONE;
    if (rc == 0)
        rc = db_bind(db, st, "di", born, self);
    while (rc == 0 && !*out && (step = sqlite3_step(st)) == SQLITE_ROW) {
        char *other = bti_text_fold((const char *)sqlite3_column_text(st, 1));
        if (other && strcmp(other, key) == 0)
            *out = sqlite3_column_int64(st, 0);
        free(other);
    }
    if (rc == 0 && step != SQLITE_ROW && step != SQLITE_DONE)
        rc = db_fail(db, step, _("cannot read persons"));
    if (st)
        sqlite3_reset(st);
    free(key);
    return rc;
}

/* BTI_ERULE when another person than `self` has the nin, or the name
 * (folded: case, composition and spaces do not count) and birth date, of p. */
static int check_duplicate(struct bti_db *db, const struct bti_person_in *p, long long self)
{
    long long other = 0;
    int rc = p->nin ? db_int(db, &other, "SELECT id FROM person WHERE nin = ? AND id <> ?", "ti",
                             p->nin, self)
                    : BTI_ENOTFOUND;
    if (rc == BTI_ENOTFOUND)
        rc = person_same_name(db, p->name, p->born, self, &other);
    if (rc || !other)
        return rc;
    bti_error_set(BTI_ERULE, _("person %lld already has that nin, or that name and birth date"),
                  other);
    return bti_error_set_hint(_("use --person %lld"), other);
}

/* Validate p, put its name in NFC (into *nfc, which the caller frees) and
 * refuse a duplicate of anyone but `self`. */
static int prepare(struct bti_db *db, struct bti_person_in *p, long long self, char **nfc)
{
    int rc = validate(db, p);
    if (rc)
        return rc;
    *nfc = bti_text_nfc(p->name);
    if (!*nfc)
        return bti_error_set(BTI_EDB, _("out of memory"));
    p->name = *nfc;
    return check_duplicate(db, p, self);
}

int bti_person_add(struct bti_db *db, const struct bti_person_in *in, long long *id)
{
    struct bti_person_in p = *in;
    char *nfc = NULL;
    int rc = prepare(db, &p, 0, &nfc);
    if (rc == 0)
        rc = db_insert(db, "person", id,
                       "INSERT INTO person(name, born, expected, nin) VALUES (?, ?, ?, ?)", "tdbt",
                       p.name, p.born, p.expected, p.nin);
    free(nfc);
    return rc;
}

int bti_person_exists(struct bti_db *db, long long id)
{
    long long one;
    int rc = db_int(db, &one, "SELECT 1 FROM person WHERE id = ?", "i", id);
    return rc == BTI_ENOTFOUND ? bti_error_set(BTI_ENOTFOUND, _("no person %lld"), id) : rc;
}

/* The person as stored, for an edit to start from. */
static int load(struct bti_db *db, long long id, struct bti_person_in *p, cJSON **row)
{
    *row = db_row_json(db, "person", id);
    if (!*row)
        return bti_error_set(BTI_ENOTFOUND, _("no person %lld"), id);
    const char *born = cJSON_GetStringValue(cJSON_GetObjectItem(*row, "born"));
    p->name = cJSON_GetStringValue(cJSON_GetObjectItem(*row, "name"));
    p->nin = cJSON_GetStringValue(cJSON_GetObjectItem(*row, "nin"));
    p->expected = cJSON_GetNumberValue(cJSON_GetObjectItem(*row, "expected")) != 0;
    if (!born || bti_date_parse(&p->born, born, 0, "born") != 0)
        p->born = BTI_NO_DATE;
    return 0;
}

/* Lay the given fields of `in` over p. */
static void overlay(struct bti_person_in *p, const struct bti_person_in *in)
{
    if (in->name)
        p->name = in->name;
    if (in->born != BTI_NO_DATE)
        p->born = in->born;
    if (in->expected >= 0)
        p->expected = in->expected;
    if (in->nin)
        p->nin = in->nin;
}

int bti_person_edit(struct bti_db *db, long long id, const struct bti_person_in *in,
                    const char *reason)
{
    struct bti_person_in p;
    cJSON *row;
    int rc = bti_text_check(reason, BTI_TEXT_FREE, "--reason");
    if (rc == 0)
        rc = load(db, id, &p, &row);
    if (rc)
        return rc;
    overlay(&p, in);
    char *nfc = NULL;
    rc = prepare(db, &p, id, &nfc);
    if (rc == 0)
        rc = db_update(db, "person", id, reason,
                       "UPDATE person SET name = ?, born = ?, expected = ?, nin = ? WHERE id = ?",
                       "tdbti", p.name, p.born, p.expected, p.nin, id);
    free(nfc);
    cJSON_Delete(row); /* p's strings point into it */
    return rc;
}

int bti_relative_add(struct bti_db *db, long long person_id, const char *name, const char *relation,
                     int may_consent, long long *id)
{
    int rc = bti_text_check(name, BTI_TEXT_NAME, "--name");
    if (rc == 0)
        rc = bti_text_check(relation, BTI_TEXT_LABEL, "--relation");
    if (rc == 0)
        rc = bti_person_exists(db, person_id);
    if (rc == 0)
        rc = db_insert(db, "relative", id,
                       "INSERT INTO relative(person_id, name, relation, may_consent)"
                       " VALUES (?, ?, ?, ?)",
                       "ittb", person_id, name, relation, may_consent);
    return rc;
}

static const struct bti_col person_cols[] = {
    {"id", BTI_T_INT},        {"name", BTI_T_TEXT}, {"born", BTI_T_DATE},
    {"expected", BTI_T_BOOL}, {"nin", BTI_T_NIN},   {"open_case_id", BTI_T_INT},
};
const struct bti_cols bti_person_cols = BTI_COLS(person_cols);

int bti_person_list(struct bti_db *db, const struct bti_person_filter *f, bti_row_fn fn, void *arg)
{
    static const char sql[] =
        "SELECT p.id, p.name, p.born, p.expected,"
        " CASE WHEN ?1 THEN p.nin ELSE substr(p.nin, 1, 6) || '*****' END,"
        " (SELECT c.id FROM ke_case c WHERE c.person_id = p.id AND c.status <> 'closed')"
        " FROM person p WHERE (?2 IS NULL OR bti_contains(p.name, ?2))"
        " AND (?3 IS NULL OR p.born = ?3) ORDER BY p.id LIMIT ?4";
    sqlite3_stmt *st = db_stmt(db, sql);
    if (!st ||
        db_bind(db, st, "btdi", db->ctx.identify, f->name, f->born, f->limit > 0 ? f->limit : -1))
        return bti_error_code();
    return db_rows_logged(db, st, &bti_person_cols, fn, arg, "person");
}

/* The person's relatives as an array. */
static cJSON *relatives(struct bti_db *db, long long id)
{
    static const char sql[] = "SELECT id, name, relation, may_consent FROM relative"
                              " WHERE person_id = ? ORDER BY id";
    static const struct bti_col cols[] = {
        {"id", BTI_T_INT},
        {"name", BTI_T_TEXT},
        {"relation", BTI_T_TEXT},
        {"may_consent", BTI_T_BOOL},
    };
    return db_array(db, db_stmt(db, sql), cols, 4, "i", id);
}

/* The person's cases as an array. */
static cJSON *cases(struct bti_db *db, long long id)
{
    static const char sql[] = "SELECT c.id, c.status, (SELECT min(received) FROM referral r"
                              " WHERE r.case_id = c.id), c.closed FROM ke_case c"
                              " WHERE c.person_id = ? ORDER BY c.id";
    static const struct bti_col cols[] = {
        {"id", BTI_T_INT},
        {"status", BTI_T_TEXT},
        {"received", BTI_T_DATE},
        {"closed", BTI_T_DATE},
    };
    return db_array(db, db_stmt(db, sql), cols, 4, "i", id);
}

cJSON *person_object(struct bti_db *db, long long id)
{
    static const char sql[] = "SELECT id, name, born, expected,"
                              " CASE WHEN ?2 THEN nin ELSE substr(nin, 1, 6) || '*****' END AS nin"
                              " FROM person WHERE id = ?1";
    static const struct bti_col cols[] = {
        {"id", BTI_T_INT},        {"name", BTI_T_TEXT}, {"born", BTI_T_DATE},
        {"expected", BTI_T_BOOL}, {"nin", BTI_T_NIN},
    };
    return db_object(db, db_stmt(db, sql), cols, 5, "ib", id, db->ctx.identify);
}

int bti_person_show(struct bti_db *db, long long id, cJSON **out)
{
    cJSON *obj = person_object(db, id);
    if (!obj)
        return bti_error_code() ? bti_error_code()
                                : bti_error_set(BTI_ENOTFOUND, _("no person %lld"), id);
    cJSON *rel = relatives(db, id), *cs = rel ? cases(db, id) : NULL;
    int rc = cs ? 0 : bti_error_code() ? bti_error_code() : BTI_EDB;
    cJSON_AddItemToObject(obj, "relatives", rel);
    cJSON_AddItemToObject(obj, "cases", cs);
    char what[32];
    snprintf(what, sizeof what, "%lld", id);
    if (rc == 0)
        rc = access_log(db, "person", what, 1);
    if (rc) {
        cJSON_Delete(obj);
        return rc;
    }
    *out = obj;
    return 0;
}

/* A separator a number may be written with: space, dash, dot, slash. */
static int separator(char c)
{
    return c == ' ' || c == '-' || c == '.' || c == '/';
}

/* Non-zero when text holds the digits of nin in order, with at most one
 * separator between two of them ("140380 12345", "1403-80-12345"). */
static int holds_digits(const char *text, const char *nin)
{
    size_t n = strlen(nin);
    for (const char *p = text; *p; p++) {
        if (p > text && isdigit((unsigned char)p[-1]))
            continue; /* a match starts a number */
        const char *q = p;
        size_t i = 0;
        while (i < n && *q == nin[i]) {
            q++, i++;
            if (i < n && separator(*q) && q[1] == nin[i])
                q++;
        }
        if (i == n && !isdigit((unsigned char)*q))
            return 1;
    }
    return 0;
}

/* The next number at *p (at most 4 digits) into *out; non-zero when there
 * was one, *p moved past it. */
static int take_number(const char **p, int *out, int *digits)
{
    *out = 0, *digits = 0;
    while (isdigit((unsigned char)**p) && *digits < 5) {
        *out = *out * 10 + (**p - '0');
        (*p)++, (*digits)++;
    }
    return *digits > 0 && *digits <= 4 && !isdigit((unsigned char)**p);
}

/* Non-zero when text writes the date y-m-d as numbers joined by one
 * separator: 2010-05-05, 5.5.2010, 05/05/10, 5. 5. 2010. */
static int holds_date(const char *text, int y, int m, int d)
{
    for (const char *p = text; *p; p++) {
        if (!isdigit((unsigned char)*p) || (p > text && isdigit((unsigned char)p[-1])))
            continue;
        const char *q = p;
        int v[3], len[3], k = 0;
        while (k < 3 && take_number(&q, &v[k], &len[k])) {
            k++;
            if (k < 3 && separator(*q))
                q += 1 + (*q == '.' && q[1] == ' ');
            else
                break;
        }
        if (k < 3)
            continue;
        if (len[0] == 4 && v[0] == y && v[1] == m && v[2] == d)
            return 1;
        if (v[0] == d && v[1] == m && (v[2] == y || (len[2] == 2 && v[2] == y % 100)))
            return 1;
    }
    return 0;
}

/* Non-zero when text names the person by a part of their name (two letters
 * or more, as a whole word), their nin (its digits in order, however
 * spaced) or their birth date (in any of the usual ways to write it). */
static int names_person(const char *text, const char *name, const char *nin, const char *born)
{
    char part[256];
    for (const char *p = name; *p;) {
        size_t n = strcspn(p, " -");
        if (n >= 2 && n < sizeof part) {
            memcpy(part, p, n);
            part[n] = '\0';
            if (bti_text_mentions_word(text, part))
                return 1;
        }
        p += n + (p[n] != '\0');
    }
    if (nin && holds_digits(text, nin))
        return 1;
    int y, m, d;
    return born && sscanf(born, "%4d-%2d-%2d", &y, &m, &d) == 3 && holds_date(text, y, m, d);
}

int person_named_in(struct bti_db *db, long long person_id, const char *text, int *named)
{
    static const char sql[] = "SELECT name, nin, born FROM person WHERE id = ?";
    sqlite3_stmt *st = db_stmt(db, sql);
    if (!st || db_bind(db, st, "i", person_id))
        return bti_error_code();
    int rc = sqlite3_step(st);
    *named = rc == SQLITE_ROW && names_person(text, (const char *)sqlite3_column_text(st, 0),
                                              (const char *)sqlite3_column_text(st, 1),
                                              (const char *)sqlite3_column_text(st, 2));
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : db_fail(db, rc, _("cannot read the person"));
}
