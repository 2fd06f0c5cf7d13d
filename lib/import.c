/*
 * The import of cases and coordinators from CSV (SPEC section 5).
 *
 * The text is fed to libcsv a physical line at a time, so that every
 * message names its line; a row that a quoted line end carries over
 * several lines is named by its first.  Each data row is checked on its
 * own (values, dates in order, what its status needs, known units and
 * coordinators, whether the person exists), then replayed through the
 * library's lifecycle functions, each event on the date of its column.
 * Problems go to the caller's callback as "column 'x': what is wrong"; the
 * import goes on to find them all and then fails whole.
 */
#include <ctype.h>
#include <csv.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "bti/case.h"
#include "bti/consent.h"
#include "bti/coordinator.h"
#include "bti/decision.h"
#include "bti/import.h"
#include "bti/nin.h"
#include "bti/plan.h"
#include "bti/unit.h"
#include "store/store.h"
#include "person.h"
#include "base/encoding.h"
#include "base/intl.h"

#define MAX_COLS 22   /* the most columns a kind of file has */
#define MAX_CELLS 64  /* cells of a row kept; more are only counted */
/* unit and coordinator names remembered: a KE's coordinators all (a name
 * the cache has no room for was looked up per row, 64,000 instructions
 * each through coordinator.name, which has no index; issue 19) */
#define NAME_CACHE 1024
#define MSG_MAX 512

/* ---- the columns --------------------------------------------------------------------------- */

enum case_col {
    C_NAME,
    C_BORN,
    C_NIN,
    C_SOURCE,
    C_REQUESTS,
    C_REFERRER,
    C_RECEIVED,
    C_STATUS,
    C_UNIT,
    C_COVERS,
    C_DECIDED,
    C_NOTIFIED,
    C_BASIS,
    C_REASON,
    C_COORDINATOR,
    C_ASSIGNED,
    C_CONSENT_PLAN,
    C_CONSENT_EXCHANGE,
    C_PLAN,
    C_NEXT_EVALUATION,
    C_CLOSED,
    C_CLOSE_CAUSE,
    C_COUNT
};

static const char *const case_names[C_COUNT] = {
    "name",         "born",
    "nin",          "source",
    "requests",     "referrer",
    "received",     "status",
    "unit",         "covers",
    "decided",      "notified",
    "basis",        "reason",
    "coordinator",  "assigned",
    "consent_plan", "consent_exchange",
    "plan",         "next_evaluation",
    "closed",       "close_cause",
};

enum coordinator_col { K_NAME, K_UNIT, K_EMAIL, K_PHONE, K_COUNT };

static const char *const coordinator_names[K_COUNT] = {"name", "unit", "email", "phone"};

struct importer;

/* A kind of file: its columns, the required ones (a bit per column), what
 * one row is called, and how a row is imported. */
struct kind {
    const char *const *names;
    int ncols;
    unsigned required;
    const char *noun;
    void (*row)(struct importer *im, const char **v);
};

/* ---- the importer's state ------------------------------------------------------------------ */

/* Ids of names already looked up (units, coordinators). */
struct name_cache {
    int n;
    char *name[NAME_CACHE];
    long long id[NAME_CACHE];
};

/* One import: the file's notes and counts, the parser, the row being read
 * and the header's map of columns to cells. */
struct importer {
    struct bti_db *db;
    const struct bti_import_in *in;
    struct bti_import_out *out;
    const struct kind *kind;
    struct csv_parser csv;
    char delim;
    long long line;     /* the physical line being fed */
    long long row_line; /* the line the current row began on */
    size_t row_bytes;   /* bytes of the current row so far */
    int in_row, row_bad, header_done, header_bad, stop;
    int invalid;       /* some bad row holds a bad value (not only a rule refusal) */
    int existing;      /* some row was refused as an existing person */
    int fatal;         /* a database failure: its code */
    int pos[MAX_COLS]; /* the cell of each column, -1 when the header lacks it */
    size_t ncells_header;
    unsigned char unnamed[MAX_CELLS]; /* header cells without a name */
    size_t ncells;
    size_t cell_off[MAX_CELLS];
    char *arena;
    size_t arena_len, arena_cap;
    struct name_cache units, coordinators;
};

/* ---- reporting ----------------------------------------------------------------------------- */

/* Hand a note to the caller. */
static void note(struct importer *im, enum bti_import_note n, long long line, const char *msg)
{
    if (im->in->fn)
        im->in->fn(n, line, msg, im->in->arg);
}

/* Count the current row bad (once) and report msg on line, unless past the
 * report limit; rc BTI_ERULE marks a rule refusal, anything else a bad value. */
static void report(struct importer *im, long long line, int rc, const char *msg)
{
    if (!im->row_bad) {
        im->row_bad = 1;
        im->out->bad++;
    }
    im->invalid |= rc != BTI_ERULE;
    if (im->out->bad <= BTI_IMPORT_REPORT_MAX)
        note(im, BTI_IMPORT_ERROR, line, msg);
}

/* Report a problem of the current row, printf-style. */
static void problem(struct importer *im, int rc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void problem(struct importer *im, int rc, const char *fmt, ...)
{
    char msg[MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    report(im, im->row_line, rc, msg);
}

/* Where token (an option such as "--date", or "column 'x'") stands in msg
 * as a whole word, or NULL. */
static const char *find_token(const char *msg, const char *token)
{
    size_t n = strlen(token);
    for (const char *p = strstr(msg, token); p; p = strstr(p + 1, token)) {
        int before = p > msg && (p[-1] == '-' || (p[-1] >= 'a' && p[-1] <= 'z'));
        int after = p[n] == '-' || p[n] == '_' || (p[n] >= 'a' && p[n] <= 'z');
        if (!before && !after)
            return p;
    }
    return NULL;
}

/* Rewrite the library's message msg about token into "column 'col': what
 * is wrong": "invalid date for --date (no such day)" becomes "column
 * 'decided': invalid date (no such day)".  NULL when msg does not name token. */
static char *column_message(char *out, size_t size, const char *msg, const char *token,
                            const char *col)
{
    const char *at = find_token(msg, token);
    if (!at)
        return NULL;
    size_t head = (size_t)(at - msg);
    while (head && msg[head - 1] == ' ')
        head--;
    if (head >= 4 && strncmp(msg + head - 4, " for", 4) == 0)
        head -= 4;
    const char *tail = at + strlen(token);
    tail += strspn(tail, ": ");
    const char *sep = head && *tail ? (*tail == '(' ? " " : ": ") : "";
    snprintf(out, size, _("column '%s': %.*s%s%s"), col, (int)head, msg, sep, tail);
    return out;
}

/* Report the library's last error about column col (it was called with
 * what = "column 'col'"). */
static void column_problem(struct importer *im, int col, int rc)
{
    char token[64], msg[MSG_MAX];
    const char *name = im->kind->names[col];
    snprintf(token, sizeof token, _("column '%s'"), name);
    if (!column_message(msg, sizeof msg, bti_error_last(), token, name))
        snprintf(msg, sizeof msg, _("column '%s': %s"), name, bti_error_last());
    report(im, im->row_line, rc, msg);
}

/* What an option of a library call reads from: "--date" is column 'decided'. */
struct alias {
    const char *option;
    int col;
};

/* Report a failed library call of a replay: a database failure stops the
 * import; anything else is this row's problem, its message turned to the
 * column the option named. */
static int replay_problem(struct importer *im, int rc, const struct alias *aliases)
{
    char msg[MSG_MAX];
    if (rc == BTI_EBUSY || rc == BTI_EDB) {
        im->fatal = rc;
        im->stop = 1;
        return rc;
    }
    const char *m = bti_error_last();
    int done = 0;
    for (const struct alias *a = aliases; a && a->option && !done; a++)
        done = column_message(msg, sizeof msg, m, a->option, im->kind->names[a->col]) != NULL;
    report(im, im->row_line, rc == BTI_ERULE ? BTI_ERULE : BTI_EINVAL, done ? msg : m);
    return rc;
}

/* ---- looking up names ---------------------------------------------------------------------- */

/* The id of name through find (bti_unit_find, bti_coordinator_find), asked
 * once per name and import. */
static int cached_find(struct importer *im, struct name_cache *nc, const char *name,
                       int (*find)(struct bti_db *, const char *, long long *), long long *id)
{
    for (int i = 0; i < nc->n; i++)
        if (strcmp(nc->name[i], name) == 0) {
            *id = nc->id[i];
            return 0;
        }
    int rc = find(im->db, name, id);
    if (rc == 0 && nc->n < NAME_CACHE && (nc->name[nc->n] = strdup(name)) != NULL)
        nc->id[nc->n++] = *id;
    return rc;
}

/* Forget the remembered names. */
static void cache_free(struct name_cache *nc)
{
    for (int i = 0; i < nc->n; i++)
        free(nc->name[i]);
    nc->n = 0;
}

/* Look up the unit or coordinator named in column col; an unknown name is
 * a bad value of the file (exit 4), a database failure stops the import. */
static int lookup(struct importer *im, const char **v, int col, struct name_cache *nc,
                  int (*find)(struct bti_db *, const char *, long long *), long long *id)
{
    int rc = cached_find(im, nc, v[col], find, id);
    if (rc == BTI_EBUSY || rc == BTI_EDB) {
        im->fatal = rc;
        im->stop = 1;
    } else if (rc) {
        column_problem(im, col, BTI_EINVAL);
    }
    return rc;
}

/* ---- reading cells ------------------------------------------------------------------------- */

/* Parse the date in column col (when given) into *out, else BTI_NO_DATE;
 * an event that happened (past set) may not lie after today. */
static int read_date(struct importer *im, const char **v, int col, int past, bti_date *out)
{
    char what[64];
    *out = BTI_NO_DATE;
    if (!v[col])
        return 0;
    /* the message's name for the cell is made for a bad date only: a
     * translated one per date was 1% of an import (issue 19) */
    int rc = bti_date_parse(out, v[col], im->db->ctx.today, "");
    if (rc) {
        snprintf(what, sizeof what, _("column '%s'"), im->kind->names[col]);
        rc = bti_date_parse(out, v[col], im->db->ctx.today, what);
        column_problem(im, col, rc);
        return rc;
    }
    if (past && *out > im->db->ctx.today) {
        problem(im, BTI_EINVAL, _("column '%s': lies after today"), im->kind->names[col]);
        return BTI_EINVAL;
    }
    return 0;
}

/* Drop the spaces around the commas of a list cell ("coordinator, ip"). */
static void squeeze_list(char *s)
{
    char *w = s;
    for (char *r = s; *r; r++)
        if (*r != ' ' ||
            (w > s && w[-1] != ',' && r[strspn(r, " ")] != ',' && r[strspn(r, " ")] != '\0'))
            *w++ = *r;
    *w = '\0';
}

/* ---- cases --------------------------------------------------------------------------------- */

/* The steps a case row replays after its referral. */
enum step {
    S_DECIDE = 1,  /* ke decide */
    S_GRANT = 2,   /* ... granting, with a unit */
    S_DENY = 4,    /* ... denying, with a reason */
    S_ASSIGN = 8,  /* coordinator assign */
    S_PLAN = 16,   /* plan start */
    S_CLOSE = 32,  /* case close */
    S_ALWAYS = 64, /* the referral and the consents */
};

/* A case row read and checked, ready to replay. */
struct case_row {
    const char **v; /* the cells by column, NULL when empty */
    enum bti_state status;
    unsigned steps;
    unsigned granted; /* items the decision grants (assign picks the kind) */
    char nin[BTI_NIN_BUF];
    bti_date born, received, decided, notified, assigned, next_evaluation, closed;
    long long unit_id, coordinator_id;
};

/* The step that uses each column. */
static const unsigned case_col_step[C_COUNT] = {
    [C_NAME] = S_ALWAYS,       [C_BORN] = S_ALWAYS,          [C_NIN] = S_ALWAYS,
    [C_SOURCE] = S_ALWAYS,     [C_REQUESTS] = S_ALWAYS,      [C_REFERRER] = S_ALWAYS,
    [C_RECEIVED] = S_ALWAYS,   [C_STATUS] = S_ALWAYS,        [C_UNIT] = S_GRANT,
    [C_COVERS] = S_DECIDE,     [C_DECIDED] = S_DECIDE,       [C_NOTIFIED] = S_DECIDE,
    [C_BASIS] = S_DECIDE,      [C_REASON] = S_DECIDE,        [C_COORDINATOR] = S_ASSIGN,
    [C_ASSIGNED] = S_ASSIGN,   [C_CONSENT_PLAN] = S_ALWAYS,  [C_CONSENT_EXCHANGE] = S_ALWAYS,
    [C_PLAN] = S_PLAN,         [C_NEXT_EVALUATION] = S_PLAN, [C_CLOSED] = S_CLOSE,
    [C_CLOSE_CAUSE] = S_CLOSE,
};

/* What each step needs, and the rule it breaks without it. */
static const struct {
    unsigned step;
    int col;
    const char *rule;
} case_needs[] = {
    {S_GRANT, C_UNIT, N_("a grant needs the responsible unit")},
    {S_DECIDE, C_DECIDED, N_("a decision needs its date")},
    {S_DENY, C_REASON, N_("a denial needs a reason")},
    {S_ASSIGN, C_COORDINATOR, N_("an active case needs its coordinator")},
    {S_ASSIGN, C_ASSIGNED, N_("an appointment needs its date")},
    {S_PLAN, C_PLAN, N_("the next evaluation needs the plan")},
    {S_PLAN, C_CONSENT_PLAN, N_("a plan needs the user's consent to the plan")},
    {S_CLOSE, C_CLOSED, N_("a closed case needs the date it was closed")},
    {S_CLOSE, C_CLOSE_CAUSE, N_("a closed case needs a cause")},
};

/* The step each step follows, and the rule a row breaks without it. */
static const struct {
    unsigned step, after;
    int col;
    const char *rule;
} case_follows[] = {
    {S_ASSIGN, S_GRANT, C_COORDINATOR,
     N_("an appointment needs a grant (columns 'unit' and 'decided')")},
    {S_PLAN, S_ASSIGN, C_PLAN,
     N_("a plan needs an appointment (columns 'coordinator' and 'assigned')")},
};

/* The steps of a closed row: those its columns record. */
static unsigned closed_steps(const char **v)
{
    unsigned s = S_CLOSE;
    if (v[C_UNIT])
        s |= S_DECIDE | S_GRANT;
    else if (v[C_REASON] || v[C_DECIDED])
        s |= S_DECIDE | S_DENY;
    if (v[C_COORDINATOR] || v[C_ASSIGNED])
        s |= S_ASSIGN;
    return s | (v[C_PLAN] || v[C_NEXT_EVALUATION] ? S_PLAN : 0);
}

/* Read the status column (received when empty) into r->status and the
 * steps it implies into r->steps. */
static int case_status(struct importer *im, struct case_row *r)
{
    const char **v = r->v;
    r->status = v[C_STATUS] ? bti_state_parse(v[C_STATUS]) : BTI_ST_RECEIVED;
    switch (r->status) {
    case BTI_ST_RECEIVED: r->steps = 0; break;
    case BTI_ST_GRANTED: r->steps = S_DECIDE | S_GRANT; break;
    case BTI_ST_DENIED: r->steps = S_DECIDE | S_DENY; break;
    case BTI_ST_ACTIVE:
        r->steps = S_DECIDE | S_GRANT | S_ASSIGN | (v[C_PLAN] || v[C_NEXT_EVALUATION] ? S_PLAN : 0);
        break;
    case BTI_ST_CLOSED: r->steps = closed_steps(v); break;
    default:
        problem(im, BTI_EINVAL,
                _("column 'status': invalid value: expected received, granted, denied, active or "
                  "closed"));
        return BTI_EINVAL;
    }
    r->steps |= S_ALWAYS;
    return 0;
}

/* Check that the row holds what its steps need, that each step follows
 * the one it needs, and that no cell is left unused. */
static int case_shape(struct importer *im, struct case_row *r)
{
    int bad = 0;
    for (size_t i = 0; i < sizeof case_needs / sizeof case_needs[0]; i++)
        if ((r->steps & case_needs[i].step) && !r->v[case_needs[i].col]) {
            problem(im, BTI_EINVAL, _("column '%s': %s"), case_names[case_needs[i].col],
                    _(case_needs[i].rule));
            bad = 1;
        }
    for (size_t i = 0; i < sizeof case_follows / sizeof case_follows[0]; i++)
        if ((r->steps & case_follows[i].step) && !(r->steps & case_follows[i].after)) {
            problem(im, BTI_EINVAL, _("column '%s': %s"), case_names[case_follows[i].col],
                    _(case_follows[i].rule));
            bad = 1;
        }
    for (int c = 0; c < C_COUNT; c++)
        if (r->v[c] && !(r->steps & case_col_step[c])) {
            problem(im, BTI_EINVAL, _("column '%s': not used for a case that is '%s'"),
                    case_names[c], bti_state_name(r->status));
            bad = 1;
        }
    return bad ? BTI_EINVAL : 0;
}

/* Normalise and check the nin (a 10-digit one gets its leading zero back,
 * with a warning) and take the birth date from it or check it against born. */
static int case_nin(struct importer *im, struct case_row *r)
{
    int padded = 0;
    int rc = bti_nin_normalize(r->nin, r->v[C_NIN], &padded, _("column 'nin'"));
    if (rc == 0 && padded)
        note(im, BTI_IMPORT_WARNING, im->row_line,
             _("column 'nin': 10 digits, read with a leading zero"));
    if (rc == 0)
        rc = r->born == BTI_NO_DATE ? bti_nin_check(r->nin, &r->born, _("column 'nin'"))
                                    : bti_nin_check_born(r->nin, r->born, _("column 'nin'"));
    if (rc)
        column_problem(im, C_NIN, rc);
    return rc;
}

/* Check that the event dates follow each other: decided after received,
 * notified and assigned after decided, closed after all of them. */
static int case_order(struct importer *im, const struct case_row *r)
{
    const struct {
        int col, after_col;
        bti_date d, after;
    } order[] = {
        {C_DECIDED, C_RECEIVED, r->decided, r->received},
        {C_NOTIFIED, C_DECIDED, r->notified, r->decided},
        {C_ASSIGNED, C_DECIDED, r->assigned, r->decided},
        {C_CLOSED, C_RECEIVED, r->closed, r->received},
        {C_CLOSED, C_DECIDED, r->closed, r->decided},
        {C_CLOSED, C_ASSIGNED, r->closed, r->assigned},
    };
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++)
        if (order[i].d != BTI_NO_DATE && order[i].after != BTI_NO_DATE &&
            order[i].d < order[i].after) {
            problem(im, BTI_EINVAL, _("column '%s': lies before column '%s'"),
                    case_names[order[i].col], case_names[order[i].after_col]);
            return BTI_EINVAL;
        }
    return 0;
}

/* Read the row's dates; every one but next_evaluation happened. */
static int case_dates(struct importer *im, struct case_row *r)
{
    const char **v = r->v;
    int rc = read_date(im, v, C_BORN, 1, &r->born);
    rc |= read_date(im, v, C_RECEIVED, 1, &r->received);
    rc |= read_date(im, v, C_DECIDED, 1, &r->decided);
    rc |= read_date(im, v, C_NOTIFIED, 1, &r->notified);
    rc |= read_date(im, v, C_ASSIGNED, 1, &r->assigned);
    rc |= read_date(im, v, C_CLOSED, 1, &r->closed);
    rc |= read_date(im, v, C_NEXT_EVALUATION, 0, &r->next_evaluation);
    if (rc == 0 && v[C_NIN])
        rc = case_nin(im, r);
    return rc ? BTI_EINVAL : case_order(im, r);
}

/* Work out the granted items, whose kind the assignment takes: a
 * coordinator, else a barnekoordinator. */
static int case_items(struct importer *im, struct case_row *r)
{
    unsigned requested;
    int rc = bti_items_parse(r->v[C_REQUESTS], &requested, _("column 'requests'"));
    if (rc) {
        column_problem(im, C_REQUESTS, rc);
        return rc;
    }
    r->granted = requested;
    if (r->v[C_COVERS] &&
        (rc = bti_items_parse(r->v[C_COVERS], &r->granted, _("column 'covers'")))) {
        column_problem(im, C_COVERS, rc);
        return rc;
    }
    if (r->granted & ~requested) {
        problem(im, BTI_EINVAL, _("column 'covers': names an item column 'requests' does not"));
        return BTI_EINVAL;
    }
    if ((r->steps & S_ASSIGN) && !(r->granted & (BTI_ITEM_COORDINATOR | BTI_ITEM_CHILD))) {
        problem(im, BTI_EINVAL,
                _("column 'coordinator': the grant holds no coordinator or child "
                  "item"));
        return BTI_EINVAL;
    }
    return 0;
}

/* Find a person with the row's nin, or its name and birth date: *id, or 0. */
static int find_person(struct importer *im, const struct case_row *r, long long *id, int *col)
{
    int rc = BTI_ENOTFOUND;
    *id = 0;
    *col = r->v[C_NIN] ? C_NIN : C_NAME;
    if (r->v[C_NIN])
        rc = db_int(im->db, id, "SELECT id FROM person WHERE nin = ?", "t", r->nin);
    if (rc == BTI_ENOTFOUND) {
        *col = C_NAME;
        rc = person_same_name(im->db, r->v[C_NAME], r->born, 0, id);
    }
    if (rc == BTI_ENOTFOUND)
        *id = 0, rc = 0;
    return rc;
}

/* Whether the row is of a person who exists: skipped with --skip-existing,
 * else refused by the rule.  Returns non-zero when the row goes no further. */
static int case_existing(struct importer *im, const struct case_row *r)
{
    long long id;
    int col;
    int rc = find_person(im, r, &id, &col);
    if (rc)
        return replay_problem(im, rc, NULL);
    if (!id)
        return 0;
    if (im->in->skip_existing) {
        im->out->skipped++;
        return 1;
    }
    im->existing = 1;
    problem(im, BTI_ERULE, _("column '%s': person %lld has this %s"), case_names[col], id,
            col == C_NIN ? _("nin") : _("name and birth date"));
    return 1;
}

/* Read and check every cell of a case row into r. */
static int case_read(struct importer *im, struct case_row *r)
{
    static const int list_cols[] = {C_REQUESTS, C_COVERS, C_BASIS};
    for (size_t i = 0; i < sizeof list_cols / sizeof list_cols[0]; i++)
        if (r->v[list_cols[i]])
            squeeze_list((char *)r->v[list_cols[i]]);
    int rc = case_status(im, r);
    if (rc == 0)
        rc = case_shape(im, r);
    rc |= case_dates(im, r);
    if (rc == 0)
        rc = case_items(im, r);
    if (rc == 0 && (r->steps & S_GRANT))
        rc = lookup(im, r->v, C_UNIT, &im->units, bti_unit_find, &r->unit_id);
    if (rc == 0 && (r->steps & S_ASSIGN))
        rc = lookup(im, r->v, C_COORDINATOR, &im->coordinators, bti_coordinator_find,
                    &r->coordinator_id);
    return rc;
}

/* ---- replaying a case ---------------------------------------------------------------------- */

/* The referral: the person and a new case in state received. */
static int replay_referral(struct importer *im, const struct case_row *r, long long *case_id,
                           enum bti_state *state)
{
    static const struct alias aliases[] = {
        {"--name", C_NAME},         {"--born", C_BORN},
        {"--nin", C_NIN},           {"--source", C_SOURCE},
        {"--requests", C_REQUESTS}, {"--referrer", C_REFERRER},
        {"--date", C_RECEIVED},     {NULL, 0},
    };
    struct bti_person_in p = {
        .name = r->v[C_NAME], .born = r->born, .nin = r->v[C_NIN] ? r->nin : NULL};
    struct bti_referral_in in = {.person = &p,
                                 .source = r->v[C_SOURCE],
                                 .requests = r->v[C_REQUESTS],
                                 .referrer = r->v[C_REFERRER],
                                 .received = r->received};
    struct bti_referral_out out;
    int rc = bti_referral_add(im->db, &in, &out);
    *case_id = out.case_id;
    *state = out.after;
    return rc ? replay_problem(im, rc, aliases) : 0;
}

/* The user's consent of scope, from column col, given on the received date. */
static int replay_consent(struct importer *im, const struct case_row *r, long long case_id,
                          const char *scope, int col)
{
    const struct alias aliases[] = {{"--parties", col}, {"--date", C_RECEIVED}, {NULL, 0}};
    struct bti_consent_in in = {.case_id = case_id,
                                .scope = scope,
                                .by = "user",
                                .parties = r->v[col],
                                .given = r->received};
    long long id;
    int rc = r->v[col] ? bti_consent_give(im->db, &in, &id) : 0;
    return rc ? replay_problem(im, rc, aliases) : 0;
}

/* The decision: a grant with its unit, or a denial with its reason. */
static int replay_decision(struct importer *im, const struct case_row *r, long long case_id,
                           enum bti_state *state)
{
    static const struct alias aliases[] = {
        {"--covers", C_COVERS},
        {"--basis", C_BASIS},
        {"--reason", C_REASON},
        {"--date", C_DECIDED},
        {"--notified", C_NOTIFIED},
        {"--unit", C_UNIT},
        {NULL, 0},
    };
    struct bti_decide_in in = {.case_id = case_id,
                               .grant = (r->steps & S_GRANT) != 0,
                               .covers = r->v[C_COVERS],
                               .basis = r->v[C_BASIS],
                               .unit_id = r->unit_id,
                               .reason = r->v[C_REASON],
                               .decided = r->decided,
                               .notified = r->notified};
    struct bti_step step = {.after = BTI_ST_NONE};
    long long id;
    int rc = bti_decide(im->db, &in, &id, &step);
    *state = step.after;
    return rc ? replay_problem(im, rc, aliases) : 0;
}

/* The coordinator (or barnekoordinator) from the assigned date. */
static int replay_assignment(struct importer *im, const struct case_row *r, long long case_id,
                             enum bti_state *state)
{
    static const struct alias aliases[] = {{"--date", C_ASSIGNED}, {NULL, 0}};
    struct bti_assign_in in = {.case_id = case_id,
                               .coordinator_id = r->coordinator_id,
                               .child = !(r->granted & BTI_ITEM_COORDINATOR),
                               .start = r->assigned,
                               .confirmed = BTI_NO_DATE};
    struct bti_assign_out out = {.after = BTI_ST_NONE};
    long long id;
    int rc = bti_assign(im->db, &in, &id, &out);
    *state = out.after;
    return rc ? replay_problem(im, rc, aliases) : 0;
}

/* The plan, started on the assigned date with the plan column as its
 * external reference, and its next evaluation. */
static int replay_plan(struct importer *im, const struct case_row *r, long long case_id)
{
    static const struct alias aliases[] = {{"--ref", C_PLAN}, {"--date", C_ASSIGNED}, {NULL, 0}};
    long long id;
    int rc = bti_plan_start(im->db, case_id, r->v[C_PLAN], r->assigned, &id);
    if (rc == 0 && r->next_evaluation != BTI_NO_DATE)
        rc = bti_plan_edit(im->db, case_id, NULL, BTI_NO_DATE, r->next_evaluation,
                           "imported with bti import cases");
    return rc ? replay_problem(im, rc, aliases) : 0;
}

/* The close, on the closed date with its cause. */
static int replay_close(struct importer *im, const struct case_row *r, long long case_id,
                        enum bti_state *state)
{
    static const struct alias aliases[] = {
        {"--cause", C_CLOSE_CAUSE}, {"--date", C_CLOSED}, {NULL, 0}};
    enum bti_state before;
    int rc = bti_case_close(im->db, case_id, r->v[C_CLOSE_CAUSE], r->closed, &before);
    *state = BTI_ST_CLOSED;
    return rc ? replay_problem(im, rc, aliases) : 0;
}

/* Replay the row's events in their order; the case must end in its status. */
static int case_replay(struct importer *im, const struct case_row *r)
{
    long long id = 0;
    enum bti_state state = BTI_ST_NONE;
    int rc = replay_referral(im, r, &id, &state);
    if (rc == 0)
        rc = replay_consent(im, r, id, "plan", C_CONSENT_PLAN);
    if (rc == 0)
        rc = replay_consent(im, r, id, "exchange", C_CONSENT_EXCHANGE);
    if (rc == 0 && (r->steps & S_DECIDE))
        rc = replay_decision(im, r, id, &state);
    if (rc == 0 && (r->steps & S_ASSIGN))
        rc = replay_assignment(im, r, id, &state);
    if (rc == 0 && (r->steps & S_PLAN))
        rc = replay_plan(im, r, id);
    if (rc == 0 && (r->steps & S_CLOSE))
        rc = replay_close(im, r, id, &state);
    if (rc == 0 && state != r->status) {
        problem(im, BTI_EINVAL, _("column 'status': the row's events leave the case '%s'"),
                bti_state_name(state));
        rc = BTI_EINVAL;
    }
    return rc;
}

/* Import one case row: check it, skip or refuse an existing person, replay. */
static void case_row(struct importer *im, const char **v)
{
    struct case_row r = {.v = v};
    if (case_read(im, &r) || im->stop || case_existing(im, &r) || im->stop)
        return;
    if (case_replay(im, &r) == 0)
        im->out->imported++;
}

/* ---- coordinators -------------------------------------------------------------------------- */

/* Import one coordinator row: name and unit, email and phone. */
static void coordinator_row(struct importer *im, const char **v)
{
    static const struct alias aliases[] = {
        {"--name", K_NAME}, {"--email", K_EMAIL}, {"--phone", K_PHONE}, {NULL, 0}};
    struct bti_coordinator_in in = {.name = v[K_NAME], .email = v[K_EMAIL], .phone = v[K_PHONE]};
    long long id;
    if (lookup(im, v, K_UNIT, &im->units, bti_unit_find, &in.unit_id))
        return;
    int rc = db_int(im->db, &id, "SELECT id FROM coordinator WHERE name = ? AND unit_id = ?", "ti",
                    in.name, in.unit_id);
    if (rc == 0 && im->in->skip_existing) {
        im->out->skipped++;
        return;
    }
    if (rc == 0) {
        im->existing = 1;
        problem(im, BTI_ERULE, _("column 'name': coordinator %lld has this name in this unit"), id);
        return;
    }
    rc = rc == BTI_ENOTFOUND ? bti_coordinator_add(im->db, &in, &id) : rc;
    if (rc)
        replay_problem(im, rc, aliases);
    else
        im->out->imported++;
}

static const struct kind kinds[] = {
    [BTI_IMPORT_CASES] = {case_names, C_COUNT,
                          1u << C_NAME | 1u << C_SOURCE | 1u << C_REQUESTS | 1u << C_RECEIVED,
                          "cases", case_row},
    [BTI_IMPORT_COORDINATORS] = {coordinator_names, K_COUNT, 1u << K_NAME | 1u << K_UNIT,
                                 "coordinators", coordinator_row},
};

/* ---- the header ---------------------------------------------------------------------------- */

/* Non-zero when the row holds a digit in some cell: a data row (a date, a
 * nin) of a file without a header, not a header. */
static int holds_digit(const char **cells, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strpbrk(cells[i], "0123456789"))
            return 1;
    return 0;
}

/* Name a header cell the way a message may: one word of letters (a
 * spreadsheet's "Navn" or "fodselsdato") in a row without digits is
 * quoted; anything else (the first row of a file without a header holds a
 * person's name and dates) is named by its position. */
static void header_label(char *out, size_t size, const char *cell, size_t i, int digits)
{
    size_t n = strlen(cell), letters = 0;
    while (letters < n && (isalpha((unsigned char)cell[letters]) || cell[letters] == '_' ||
                           (unsigned char)cell[letters] >= 0x80))
        letters++;
    if (!digits && n > 0 && n <= 32 && letters == n)
        snprintf(out, size, "'%s'", cell);
    else
        snprintf(out, size, "%zu", i + 1);
}

/* The column names of the import's kind, comma-separated, into out. */
static void column_list(const struct kind *kind, char *out, size_t size)
{
    size_t at = 0;
    out[0] = '\0';
    for (int c = 0; c < kind->ncols && at < size; c++)
        at += (size_t)snprintf(out + at, size - at, "%s%s", c ? ", " : "", kind->names[c]);
}

/* Map one header cell at position i to its column; digits says the row
 * holds a digit. */
static void header_cell(struct importer *im, const char *cell, size_t i, int digits)
{
    char label[48], names[320];
    if (!*cell) {
        im->unnamed[i] = 1;
        return;
    }
    for (int c = 0; c < im->kind->ncols; c++) {
        if (strcasecmp(cell, im->kind->names[c]) != 0)
            continue;
        if (im->pos[c] >= 0)
            problem(im, BTI_EINVAL, _("column '%s' appears twice"), im->kind->names[c]);
        im->pos[c] = (int)i;
        return;
    }
    header_label(label, sizeof label, cell, i, digits);
    column_list(im->kind, names, sizeof names);
    problem(im, BTI_EINVAL, _("unknown column %s; the columns of %s are: %s"), label,
            im->kind->noun, names);
}

/* Read the header row: every cell a known column, each at most once, and
 * the required ones there.  A bad header stops the import. */
static void header_row(struct importer *im, const char **cells, size_t n)
{
    im->header_done = 1;
    im->ncells_header = n;
    if (n > MAX_CELLS) {
        problem(im, BTI_EINVAL, _("the header has %zu columns; at most %d"), n, MAX_CELLS);
        im->stop = 1;
        return;
    }
    int digits = holds_digit(cells, n);
    for (size_t i = 0; i < n; i++)
        header_cell(im, cells[i], i, digits);
    for (int c = 0; c < im->kind->ncols; c++)
        if ((im->kind->required >> c & 1) && im->pos[c] < 0)
            problem(im, BTI_EINVAL, _("missing column '%s'"), im->kind->names[c]);
    im->stop = im->header_bad = im->row_bad;
}

/* ---- rows ---------------------------------------------------------------------------------- */

/* Append the audit rows of the data row just replayed: one per row it
 * wrote (audit_net), whatever steps it took.  A failure stops the import. */
static void audit_row_writes(struct importer *im)
{
    int rc = im->fatal ? 0 : audit_net_flush(im->db);
    if (rc) {
        im->fatal = rc;
        im->stop = 1;
    }
}

/* Check a data row's shape and hand its cells, by column, to the kind. */
static void data_row(struct importer *im, const char **cells, size_t n)
{
    const char *v[MAX_COLS];
    im->out->rows++;
    if (n != im->ncells_header) {
        problem(im, BTI_EINVAL, _("%zu cells where the header has %zu"), n, im->ncells_header);
    } else {
        for (size_t i = 0; i < n; i++)
            if (im->unnamed[i] && *cells[i])
                problem(im, BTI_EINVAL, _("column %zu has no name in the header but holds a value"),
                        i + 1);
        for (int c = 0; c < im->kind->ncols; c++)
            v[c] = im->pos[c] >= 0 && *cells[im->pos[c]] ? cells[im->pos[c]] : NULL;
        for (int c = 0; c < im->kind->ncols && !im->row_bad; c++)
            if ((im->kind->required >> c & 1) && !v[c])
                problem(im, BTI_EINVAL, _("column '%s': is empty"), im->kind->names[c]);
        if (!im->row_bad) {
            im->kind->row(im, v);
            audit_row_writes(im);
        }
    }
    if (im->out->rows % BTI_IMPORT_PROGRESS_EVERY == 0)
        note(im, BTI_IMPORT_PROGRESS, im->out->rows, NULL);
}

/* The cell s without the spaces and tabs around it (in place). */
static char *trim(char *s)
{
    s += strspn(s, " \t");
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    s[n] = '\0';
    return s;
}

/* libcsv: a cell ended; keep a copy in the row's arena. */
static void on_cell(void *s, size_t len, void *arg)
{
    struct importer *im = arg;
    if (im->ncells < MAX_CELLS && !im->fatal) {
        if (im->arena_len + len + 1 > im->arena_cap) {
            size_t cap = (im->arena_len + len + 1) * 2;
            char *a = realloc(im->arena, cap);
            if (!a) {
                im->fatal = bti_error_set(BTI_EDB, _("out of memory"));
                im->stop = 1;
                return;
            }
            im->arena = a, im->arena_cap = cap;
        }
        im->cell_off[im->ncells] = im->arena_len;
        memcpy(im->arena + im->arena_len, s ? s : "", len);
        im->arena[im->arena_len + len] = '\0';
        im->arena_len += len + 1;
    }
    im->ncells++;
}

/* libcsv: a row ended; hand it on as the header or a data row.  A row of
 * separators only (spreadsheets write them below the data) is a blank line. */
static void on_row(int c, void *arg)
{
    struct importer *im = arg;
    const char *cells[MAX_CELLS];
    size_t kept = im->ncells < MAX_CELLS ? im->ncells : MAX_CELLS, filled = 0;
    (void)c;
    im->in_row = 0;
    for (size_t i = 0; i < kept; i++)
        filled += *(cells[i] = trim(im->arena + im->cell_off[i])) != '\0';
    int blank = !filled && im->ncells <= MAX_CELLS;
    if (!im->fatal && !im->stop && !blank && !im->header_done)
        header_row(im, cells, im->ncells);
    else if (!im->fatal && !im->stop && !blank)
        data_row(im, cells, im->ncells);
    im->ncells = 0;
    im->arena_len = 0;
}

/* ---- feeding libcsv ------------------------------------------------------------------------ */

/* libcsv: nothing is a space, so it trims no cell; the import trims itself. */
static int no_space(unsigned char c)
{
    (void)c;
    return 0;
}

/* Start the parser afresh (at the start, and after a broken line). */
static int parser_start(struct importer *im)
{
    if (csv_init(&im->csv, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
        return bti_error_set(BTI_EDB, _("out of memory"));
    csv_set_delim(&im->csv, (unsigned char)im->delim);
    csv_set_space_func(&im->csv, no_space);
    im->ncells = 0;
    im->arena_len = 0;
    im->in_row = 0;
    return 0;
}

/* Report a broken line and drop the row it belongs to. */
static void line_problem(struct importer *im, long long line, const char *msg)
{
    report(im, line, BTI_EINVAL, msg);
    csv_free(&im->csv);
    if ((im->fatal = parser_start(im)) != 0)
        im->stop = 1;
}

/* The length of the run of bytes of set at the start of the len bytes at s
 * (the text is not NUL-terminated). */
static size_t blank_span(const char *s, size_t len, const char *set)
{
    size_t n = 0;
    while (n < len && s[n] && strchr(set, s[n]))
        n++;
    return n;
}

/* The length of the line at s, with its line end (LF, CRLF or CR). */
static size_t line_length(const char *s, size_t len)
{
    const char *end = s;
    while (end < s + len && *end != '\n' && *end != '\r')
        end++;
    if (end < s + len)
        end += (*end == '\r' && end + 1 < s + len && end[1] == '\n') ? 2 : 1;
    return (size_t)(end - s);
}

/* A row begins at the current line. */
static void begin_row(struct importer *im)
{
    im->in_row = 1, im->row_line = im->line, im->row_bytes = 0, im->row_bad = 0;
}

/* Feed one physical line (n bytes with its line end, content bytes without). */
static void feed_line(struct importer *im, const char *s, size_t n, size_t content)
{
    if (!im->in_row && blank_span(s, content, " \t") == content)
        return; /* a blank line between rows */
    if (!im->in_row)
        begin_row(im);
    im->row_bytes += n;
    if (content > BTI_IMPORT_LINE_MAX)
        line_problem(im, im->line, _("the line is longer than 1 MiB"));
    else if (im->row_bytes > BTI_IMPORT_LINE_MAX)
        line_problem(im, im->row_line,
                     _("a quoted cell runs on past 1 MiB: a closing quote missing?"));
    else if (memchr(s, '\0', content))
        line_problem(im, im->line, _("the line holds a NUL byte"));
    else if (csv_parse(&im->csv, s, n, on_cell, on_row, im) != n)
        line_problem(im, im->line,
                     csv_error(&im->csv) == CSV_EPARSE
                         ? _("a quote inside an unquoted cell, or text after a closing quote")
                         : _("the line cannot be read"));
}

/* The length of the whole line at the front of the window (with its line
 * end), or 0 when the window does not yet hold all of it.  A CR at the
 * window's end waits for the next part: it may be the CR of a CRLF. */
static size_t whole_line(const struct text_in *t)
{
    size_t avail = t->end - t->start, n = line_length(t->text + t->start, avail);
    if (n < avail || (t->eof && n > 0))
        return n;
    return n && t->text[t->start + n - 1] == '\n' ? n : 0;
}

/* Drop a line longer than the window holds (past BTI_IMPORT_LINE_MAX):
 * between rows a line of spaces and tabs is blank, any other is a problem
 * of its own line. */
static int skip_long_line(struct importer *im, struct text_in *t)
{
    int blank = !im->in_row, rc = 0;
    size_t n;
    while (rc == 0 && (n = whole_line(t)) == 0) {
        size_t look = t->end - t->start - 1; /* keep the last byte: a CR of a CRLF */
        blank &= blank_span(t->text + t->start, look, " \t") == look;
        t->start += look;
        rc = text_in_more(t);
    }
    if (rc)
        return rc;
    size_t content = n;
    while (content && (t->text[t->start + content - 1] == '\n' ||
                       t->text[t->start + content - 1] == '\r'))
        content--;
    blank &= blank_span(t->text + t->start, content, " \t") == content;
    t->start += n;
    im->line++;
    if (!blank && !im->in_row)
        begin_row(im);
    if (!blank)
        line_problem(im, im->line, _("the line is longer than 1 MiB"));
    return 0;
}

/* Feed the text a line at a time as it is read, then finish the last row. */
static void feed(struct importer *im, struct text_in *t)
{
    int rc = 0;
    while (rc == 0 && !im->stop && (t->start < t->end || !t->eof)) {
        size_t n = whole_line(t);
        if (!n && t->end - t->start > BTI_IMPORT_LINE_MAX + 2) {
            rc = skip_long_line(im, t);
            continue;
        }
        if (!n) {
            rc = text_in_more(t);
            continue;
        }
        const char *s = t->text + t->start;
        size_t content = n;
        while (content && (s[content - 1] == '\n' || s[content - 1] == '\r'))
            content--;
        im->line++;
        feed_line(im, s, n, content);
        t->start += n;
    }
    if (rc) {
        im->fatal = rc;
        im->stop = 1;
    }
    if (!im->stop && csv_fini(&im->csv, on_cell, on_row, im) != 0)
        report(im, im->row_line, BTI_EINVAL, _("a quoted cell has no closing quote"));
}

/* ---- the import ---------------------------------------------------------------------------- */

/* The result once the whole file is read: the database failure, the bad
 * rows, or success. */
static int outcome(struct importer *im)
{
    long long bad = im->out->bad;
    if (im->fatal)
        return im->fatal;
    if (!bad)
        return 0;
    if (im->header_bad)
        return bti_error_set(BTI_EINVAL, _("%s: the header row is not usable; nothing imported"),
                             im->in->name);
    bti_error_set(im->invalid ? BTI_EINVAL : BTI_ERULE,
                  dngettext(BTI_TEXTDOMAIN, "%s: %lld bad row; nothing imported",
                            "%s: %lld bad rows; nothing imported", (unsigned long)bad),
                  im->in->name, bad);
    if (bad > BTI_IMPORT_REPORT_MAX)
        bti_error_set_hint(_("only the first %d are shown"), BTI_IMPORT_REPORT_MAX);
    else if (im->existing)
        bti_error_set_hint(_("--skip-existing skips the rows of those who exist already"));
    return im->invalid ? BTI_EINVAL : BTI_ERULE;
}

/* Read the text: the header, then every row.  The separator comes from
 * the header line, read first (a header longer than the window is refused
 * as too long anyway). */
static int import_text(struct importer *im, struct text_in *t)
{
    int rc = 0;
    if (t->blank)
        return bti_error_set(BTI_EINVAL, _("%s is empty: it needs a header row naming the columns"),
                             im->in->name);
    while (rc == 0 && !t->eof && t->end - t->start <= BTI_IMPORT_LINE_MAX + 2)
        rc = text_in_more(t);
    if (rc)
        return rc;
    im->delim = bti_import_delimiter(t->text + t->start, t->end - t->start);
    for (int c = 0; c < MAX_COLS; c++)
        im->pos[c] = -1;
    rc = parser_start(im);
    if (rc)
        return rc;
    feed(im, t);
    csv_free(&im->csv);
    return outcome(im);
}

/* The page cache of an import, in KiB (negative, as PRAGMA cache_size
 * takes it).  An import inserts into indexes in random order (nins, birth
 * dates with names); with SQLite's default of 2 MB, every few inserts read an evicted
 * page back from the WAL, and 100,000 cases took 20 s instead of 14.  With
 * the indexes it does not read put off (import_put_off), those two are
 * what stays random: by their keys' size about 12 MB at 300,000 cases,
 * and the stream of new pages (the audit's, 1.5 a case) pushed them out of
 * a 16 MB cache: 300,000 cases took 4.8 times the CPU of 100,000.  With
 * 32 MB 3.8 times; the file read in parts and the cache shrunk before the
 * indexes are built keep the peak at 45 MB (issue 19).  (Most of what
 * grew faster than the cases was the duplicate-person check reading each
 * row born that day: migration 20 reads their names from the index.) */
#define IMPORT_CACHE (-32768)

/* The indexes a case import writes but never reads (issue 19): put off
 * while the rows go in and built once after, with the logs' guards
 * (db_indexes_put_off).  An index not listed here (one the import reads,
 * or a unique one, which refuses a duplicate at its row) is kept up to
 * date row by row. */
static const char *const import_put_off[] = {
    "person_name_born",      "ke_case_status",    "ke_case_unit",           "ke_case_open",
    "referral_received",     "request_referral",  "closure_case",           "decision_decided",
    "decision_unnotified",   "assignment_period", "assignment_coordinator", "assignment_running",
    "assignment_need_ended", "plan_status",       "plan_need_ended",        "ke_case_closed",
    NULL,
};

/* Put off the indexes of import_put_off for a case import whose file has
 * at least as many lines as the database has cases: building them again
 * then costs less than keeping them up to date row by row (a few rows
 * into a large database keep them). */
static int put_off(struct importer *im, long long lines, struct db_put_off *p)
{
    long long cases = 0;
    if (im->in->what != BTI_IMPORT_CASES)
        return 0;
    int rc = db_int(im->db, &cases, "SELECT coalesce(max(id), 0) FROM ke_case", "");
    if (rc == 0 && lines >= cases)
        rc = db_indexes_put_off(im->db, import_put_off, p);
    return rc;
}

int bti_import(struct bti_db *db, const struct bti_import_in *in, struct bti_import_out *out)
{
    struct importer im = {.db = db, .in = in, .out = out, .kind = &kinds[in->what]};
    struct text_in *t = malloc(sizeof *t);
    int converted;
    memset(out, 0, sizeof *out);
    if (!t)
        return bti_error_set(BTI_EDB, _("out of memory"));
    int rc = text_in_open(t, in->name, in->data, in->fd, in->len, in->encoding, &converted);
    if (rc == 0 && converted && in->encoding == BTI_ENC_AUTO)
        note(&im, BTI_IMPORT_ENCODING, 0, NULL);
    long long cache;
    struct db_put_off indexes = {0};
    if (rc == 0)
        rc = db_cache_size(db, IMPORT_CACHE, &cache);
    if (rc == 0) {
        rc = put_off(&im, t->lines, &indexes);
        audit_net_begin(db);
        if (rc == 0)
            rc = import_text(&im, t);
        int audited = audit_net_end(db);
        if (rc == 0)
            rc = audited;
        int restored = rc == 0 ? db_cache_shrink(db, cache) : db_cache_size(db, cache, &cache);
        if (rc == 0)
            rc = restored;
        if (rc == 0)
            rc = db_indexes_build(db, &indexes);
        db_put_off_free(&indexes);
    }
    text_in_close(t);
    free(t);
    free(im.arena);
    cache_free(&im.units);
    cache_free(&im.coordinators);
    return rc;
}
