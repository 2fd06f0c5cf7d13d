/* Consent: given, withdrawn, never deleted. */
#include <stdio.h>
#include <string.h>
#include "bti/case.h"
#include "bti/consent.h"
#include "bti/text.h"
#include "store/store.h"
#include "base/list.h"
#include "checks.h"
#include "case_state.h"
#include "plan.h"
#include "consent.h"
#include "base/intl.h"

/* Room for the parties as given: a label with spaces around its commas. */
#define PARTIES_MAX 1024

/* Non-zero when the comma-separated list holds party (ASCII case folded). */
static int listed(const char *list, const char *party)
{
    size_t n = strlen(party);
    for (const char *p = list, *next; p; p = next) {
        size_t m = list_elem(p, &next);
        if (m == n && strncasecmp(p, party, n) == 0)
            return 1;
    }
    return 0;
}

/* Read the parties into out (size bytes) with the spaces around each
 * comma trimmed ("fastlege, skole" is "fastlege,skole"), and check them:
 * "all" alone, or comma-separated labels, none empty. */
static int read_parties(const char *parties, char *out, size_t size)
{
    if (!parties) /* a consent without parties is no consent */
        return bti_error_set(BTI_EINVAL, _("a consent needs the parties it covers, or 'all'"));
    if (strlen(parties) >= size) /* far past a label's length: refused as one */
        return bti_text_check(parties, BTI_TEXT_LABEL, "--parties");
    int rc = list_trim(parties, out, size, "--parties");
    if (rc == 0)
        rc = bti_text_check(out, BTI_TEXT_LABEL, "--parties");
    if (rc == 0 && listed(out, "all") && strcmp(out, "all") != 0)
        return bti_error_set(BTI_EINVAL, _("--parties: 'all' stands alone"));
    return rc;
}

/* The person's one relative who may consent, when --relative is not
 * given: several are a usage error listing them. */
static int only_relative(struct bti_db *db, const struct bti_consent_in *in, long long *out)
{
    static const char sql[] = "SELECT r.id FROM relative r JOIN ke_case c"
                              " ON c.person_id = r.person_id WHERE c.id = ? AND r.may_consent"
                              " ORDER BY r.id";
    sqlite3_stmt *st = db_stmt(db, sql);
    int rc = st ? db_bind(db, st, "i", in->case_id) : bti_error_code();
    if (rc == 0)
        rc = pick_one(db, st, 0, _("relatives who may consent"), "--relative", out);
    if (rc == BTI_ENOTFOUND) {
        bti_error_set(BTI_EUSAGE,
                      _("--by %s needs --relative: the person has no relative who may "
                        "consent"),
                      in->by);
        return bti_error_set_hint(_("add one with 'bti person relative add PERSON --name NAME "
                                    "--relation TEXT --may-consent'"));
    }
    return rc;
}

/* A guardian or representative must be the person's relative who may
 * consent: the one given, or the only one; *relative gets them (0 for the
 * user). */
static int check_giver(struct bti_db *db, const struct bti_consent_in *in, long long *relative)
{
    static const char sql[] = "SELECT r.may_consent FROM relative r JOIN ke_case c"
                              " ON c.person_id = r.person_id WHERE r.id = ? AND c.id = ?";
    long long may;
    *relative = in->relative_id;
    if (strcmp(in->by, "user") == 0)
        return in->relative_id ? bti_error_set(BTI_EUSAGE, _("--relative goes with --by guardian "
                                                             "or representative"))
                               : 0;
    if (!in->relative_id)
        return only_relative(db, in, relative);
    int rc = db_int(db, &may, sql, "ii", in->relative_id, in->case_id);
    if (rc == BTI_ENOTFOUND)
        return bti_error_set(BTI_ENOTFOUND, _("no relative %lld of the person of case %lld"),
                             in->relative_id, in->case_id);
    if (rc == 0 && !may) {
        bti_error_set(BTI_ERULE, _("relative %lld may not consent on the person's behalf"),
                      in->relative_id);
        return bti_error_set_hint(_("only a relative added with --may-consent can"));
    }
    return rc;
}

/* Check everything about a consent before it is written: *relative gets
 * who gave it for the person, parties the parties as kept. */
static int check_consent(struct bti_db *db, const struct bti_consent_in *in, bti_date given,
                         long long *relative, char *parties, size_t size)
{
    static const char *const scopes[] = {"plan", "exchange", NULL};
    static const char *const givers[] = {"user", "guardian", "representative", NULL};
    int rc = check_word(in->scope, scopes, "--scope");
    if (rc == 0)
        rc = check_word(in->by, givers, "--by");
    if (rc == 0)
        rc = read_parties(in->parties, parties, size);
    if (rc == 0)
        rc = check_event_date(db, given, BTI_NO_DATE, "--date");
    if (rc == 0)
        rc = case_allows(db, in->case_id, BTI_EV_CONSENT);
    return rc ? rc : check_giver(db, in, relative);
}

int bti_consent_give(struct bti_db *db, const struct bti_consent_in *in, long long *id)
{
    bti_date given = in->given == BTI_NO_DATE ? db->ctx.today : in->given;
    char parties[PARTIES_MAX];
    long long relative = 0;
    int rc = check_consent(db, in, given, &relative, parties, sizeof parties);
    if (rc == 0)
        rc = db_insert(db, "consent", id,
                       "INSERT INTO consent(case_id, scope, given_by, relative_id, parties, given)"
                       " VALUES (?, ?, ?, ?, ?, ?)",
                       "ittItd", in->case_id, in->scope, in->by, relative, parties, given);
    return rc ? rc : plan_consent_changed(db, in->case_id);
}

int bti_consent_withdraw(struct bti_db *db, long long case_id, const char *scope,
                         long long consent_id, bti_date date, long long *id)
{
    static const char sql[] = "SELECT id FROM consent WHERE case_id = ? AND scope = ?"
                              " AND withdrawn IS NULL ORDER BY id";
    static const char *const scopes[] = {"plan", "exchange", NULL};
    bti_date when = date == BTI_NO_DATE ? db->ctx.today : date;
    int rc = check_word(scope, scopes, "--scope");
    if (rc == 0)
        rc = bti_case_state(db, case_id, NULL);
    if (rc)
        return rc;
    sqlite3_stmt *st = db_stmt(db, sql);
    rc = st ? db_bind(db, st, "it", case_id, scope) : bti_error_code();
    if (rc == 0 && consent_id &&
        db_int(db, &(long long){0},
               "SELECT 1 FROM consent WHERE id = ? AND case_id = ?"
               " AND scope = ?",
               "iit", consent_id, case_id, scope) == BTI_ENOTFOUND)
        return bti_error_set(BTI_ENOTFOUND, _("case %lld has no '%s' consent %lld"), case_id, scope,
                             consent_id);
    if (rc == 0)
        rc = pick_one(db, st, consent_id, _("active consents"), "--consent", id);
    if (rc == BTI_ENOTFOUND && !consent_id)
        rc = bti_error_set(BTI_ERULE, _("case %lld has no active '%s' consent"), case_id, scope);
    if (rc)
        return rc;
    bti_date given = BTI_NO_DATE;
    rc = row_date(db, "consent", *id, "given", &given);
    if (rc == 0)
        rc = check_event_date(db, when, given, "--date");
    if (rc == 0)
        rc = db_update(db, "consent", *id, NULL, "UPDATE consent SET withdrawn = ? WHERE id = ?",
                       "di", when, *id);
    return rc ? rc : plan_consent_changed(db, case_id);
}

int bti_consent_edit(struct bti_db *db, long long id, const char *parties, bti_date given,
                     const char *reason)
{
    bti_date withdrawn = BTI_NO_DATE;
    char kept[PARTIES_MAX];
    int rc = bti_text_check(reason, BTI_TEXT_FREE, "--reason");
    if (rc == 0 && parties)
        rc = read_parties(parties, kept, sizeof kept);
    if (rc == 0 && given != BTI_NO_DATE)
        rc = check_event_date(db, given, BTI_NO_DATE, "--date");
    if (rc == 0)
        rc = row_date(db, "consent", id, "withdrawn", &withdrawn);
    if (rc == 0 && given != BTI_NO_DATE && withdrawn != BTI_NO_DATE && given > withdrawn)
        rc = bti_error_set(BTI_EINVAL, _("--date lies after the consent was withdrawn"));
    return rc ? rc
              : db_update(db, "consent", id, reason,
                          "UPDATE consent SET parties = coalesce(?, parties),"
                          " given = coalesce(?, given) WHERE id = ?",
                          "tdi", parties ? kept : NULL, given, id);
}

static const struct bti_col consent_cols[] = {
    {"id", BTI_T_INT},        {"case_id", BTI_T_INT},     {"scope", BTI_T_TEXT},
    {"given_by", BTI_T_TEXT}, {"relative_id", BTI_T_INT}, {"relative", BTI_T_TEXT},
    {"parties", BTI_T_LIST},  {"given", BTI_T_DATE},      {"withdrawn", BTI_T_DATE},
    {"active", BTI_T_BOOL},
};
const struct bti_cols bti_consent_cols = BTI_COLS(consent_cols);

/* The columns of a consent; ?1 says whether the relative's name may be
 * shown (--identify). */
#define CONSENT_SELECT                                                                             \
    "SELECT c.id, c.case_id, c.scope, c.given_by, c.relative_id, CASE WHEN ?1 THEN r.name END,"   \
    " c.parties, c.given, c.withdrawn, c.withdrawn IS NULL FROM consent c"                         \
    " LEFT JOIN relative r ON r.id = c.relative_id"

int bti_consent_list(struct bti_db *db, long long case_id, bti_row_fn fn, void *arg)
{
    static const char sql[] = CONSENT_SELECT " WHERE ?2 = 0 OR c.case_id = ?2 ORDER BY c.id";
    sqlite3_stmt *st = db_stmt(db, sql);
    if (!st || db_bind(db, st, "bi", db->ctx.identify, case_id))
        return bti_error_code();
    if (db->ctx.identify) /* relatives' names shown */
        return db_rows_logged(db, st, &bti_consent_cols, fn, arg, "consent");
    return db_rows(db, st, consent_cols, bti_consent_cols.n, fn, arg, NULL);
}

cJSON *consent_array(struct bti_db *db, long long case_id)
{
    static const char sql[] = CONSENT_SELECT " WHERE c.case_id = ?2 ORDER BY c.id";
    return db_array(db, db_stmt(db, sql), consent_cols, bti_consent_cols.n, "bi",
                    db->ctx.identify, case_id);
}

int bti_consent_covers(struct bti_db *db, long long case_id, const char *scope, const char *party,
                       bti_date date, int *covered)
{
    static const char sql[] = "SELECT parties FROM consent WHERE case_id = ? AND scope = ?"
                              " AND given <= ?3 AND (withdrawn IS NULL OR withdrawn > ?3)";
    sqlite3_stmt *st = db_stmt(db, sql);
    *covered = 0;
    if (!st || db_bind(db, st, "itd", case_id, scope, date))
        return bti_error_code();
    int step = SQLITE_DONE;
    while (!*covered && (step = sqlite3_step(st)) == SQLITE_ROW) {
        const char *parties = (const char *)sqlite3_column_text(st, 0);
        *covered = strcmp(parties, "all") == 0 || listed(parties, party);
    }
    sqlite3_reset(st);
    return *covered || step == SQLITE_DONE ? 0 : db_fail(db, step, _("cannot read the consents"));
}
