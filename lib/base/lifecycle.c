/*
 * The case lifecycle: the one table of SPEC section 3.  Every state change
 * of a case is looked up here; nothing else in bti compares states.
 */
#include <stdio.h>
#include <string.h>
#include "bti/error.h"
#include "bti/lifecycle.h"
#include "base/intl.h"

#define S(x) (1u << BTI_ST_##x)
#define OPEN (S(RECEIVED) | S(REVIEW) | S(GRANTED) | S(DENIED) | S(APPEALED) | S(ACTIVE))

/* Where an event leads besides a named state. */
enum { SAME = -1, PREVIOUS = -2 };

/* The preconditions an event's options must meet; GUARD marks a command
 * that only asks whether the state allows it (not in SPEC section 3's
 * table, so not offered as a way on in a refusal). */
enum { NEED_UNIT = 1, NEED_REASON = 2, NEED_CAUSE = 4, GUARD = 8, NEED_NOTE = 16 };

/* The first row matching (state, event) wins, so the specific rows come
 * before the "any other open state" rows. */
static const struct transition {
    unsigned from;
    enum bti_event event;
    int to;
    unsigned needs;
} table[] = {
    {S(NONE), BTI_EV_REFERRAL, BTI_ST_RECEIVED, 0},
    {S(RECEIVED), BTI_EV_REVIEW, BTI_ST_REVIEW, 0},
    {OPEN, BTI_EV_REVIEW, SAME, 0},
    {S(RECEIVED) | S(REVIEW) | S(GRANTED), BTI_EV_GRANT, BTI_ST_GRANTED, NEED_UNIT},
    {S(ACTIVE), BTI_EV_GRANT, SAME, NEED_UNIT},
    {S(RECEIVED) | S(REVIEW), BTI_EV_DENY_ALL, BTI_ST_DENIED, NEED_REASON},
    {S(RECEIVED) | S(REVIEW) | S(GRANTED) | S(ACTIVE), BTI_EV_DENY_PART, SAME, NEED_REASON},
    {OPEN, BTI_EV_VOID, PREVIOUS, NEED_REASON},
    {S(DENIED), BTI_EV_APPEAL, BTI_ST_APPEALED, 0},
    {OPEN, BTI_EV_APPEAL, SAME, 0},
    {S(ACTIVE), BTI_EV_REVERSED, SAME, NEED_UNIT},
    {OPEN, BTI_EV_REVERSED, BTI_ST_GRANTED, NEED_UNIT},
    {S(APPEALED), BTI_EV_QUASHED, BTI_ST_REVIEW, 0},
    {S(APPEALED), BTI_EV_UPHELD, BTI_ST_CLOSED, 0},
    {OPEN, BTI_EV_QUASHED, SAME, 0},
    {OPEN, BTI_EV_UPHELD, SAME, 0},
    {S(GRANTED), BTI_EV_ASSIGN, BTI_ST_ACTIVE, 0},
    {S(ACTIVE), BTI_EV_ASSIGN, BTI_ST_ACTIVE, 0}, /* a barnekoordinator beside a coordinator */
    {S(ACTIVE), BTI_EV_REASSIGN, BTI_ST_ACTIVE, NEED_REASON},
    {OPEN, BTI_EV_CLOSE, BTI_ST_CLOSED, NEED_CAUSE},
    {S(CLOSED), BTI_EV_REOPEN, PREVIOUS, NEED_REASON},
    {S(DENIED), BTI_EV_REQUEST, BTI_ST_RECEIVED, 0},
    {S(RECEIVED) | S(REVIEW) | S(GRANTED) | S(APPEALED) | S(ACTIVE), BTI_EV_REQUEST, SAME, 0},
    {S(APPEALED), BTI_EV_UPHELD_OPEN, BTI_ST_RECEIVED, 0},
    {OPEN, BTI_EV_UPHELD_OPEN, SAME, 0},
    {S(ACTIVE), BTI_EV_STAND_IN, SAME, NEED_REASON},
    {S(ACTIVE), BTI_EV_END, SAME, NEED_REASON},
    {S(ACTIVE), BTI_EV_END_LAST, BTI_ST_GRANTED, NEED_REASON},
    {OPEN, BTI_EV_REPLY, SAME, GUARD},
    {OPEN, BTI_EV_UNIT, SAME, GUARD},
    {OPEN, BTI_EV_CONSENT, SAME, GUARD},
    {OPEN, BTI_EV_GROUP_ADD, SAME, GUARD},
    {S(GRANTED) | S(ACTIVE), BTI_EV_PLAN_START, SAME, GUARD},
    {OPEN, BTI_EV_ESCALATE, SAME, NEED_NOTE},
};

static const char *const state_names[BTI_ST_COUNT] = {
    [BTI_ST_NONE] = "none",       [BTI_ST_RECEIVED] = "received", [BTI_ST_REVIEW] = "review",
    [BTI_ST_GRANTED] = "granted", [BTI_ST_DENIED] = "denied",     [BTI_ST_APPEALED] = "appealed",
    [BTI_ST_ACTIVE] = "active",   [BTI_ST_CLOSED] = "closed",
};

static const char *const event_commands[BTI_EV_COUNT] = {
    [BTI_EV_REFERRAL] = "referral add",
    [BTI_EV_REVIEW] = "ke review",
    [BTI_EV_GRANT] = "ke decide",
    [BTI_EV_DENY_ALL] = "ke decide",
    [BTI_EV_DENY_PART] = "ke decide",
    [BTI_EV_VOID] = "ke decide --void",
    [BTI_EV_APPEAL] = "ke appeal",
    [BTI_EV_REVERSED] = "ke appeal-result",
    [BTI_EV_QUASHED] = "ke appeal-result",
    [BTI_EV_UPHELD] = "ke appeal-result",
    [BTI_EV_ASSIGN] = "coordinator assign",
    [BTI_EV_REASSIGN] = "coordinator assign",
    [BTI_EV_CLOSE] = "case close",
    [BTI_EV_REOPEN] = "case reopen",
    [BTI_EV_REQUEST] = "referral add --case",
    [BTI_EV_REPLY] = "ke reply",
    [BTI_EV_UNIT] = "case unit",
    [BTI_EV_CONSENT] = "consent give",
    [BTI_EV_GROUP_ADD] = "group add",
    [BTI_EV_PLAN_START] = "plan start",
    [BTI_EV_ESCALATE] = "ke escalate",
    [BTI_EV_UPHELD_OPEN] = "ke appeal-result",
    [BTI_EV_STAND_IN] = "coordinator assign --temporary",
    [BTI_EV_END] = "coordinator end",
    [BTI_EV_END_LAST] = "coordinator end",
};

const char *bti_state_name(enum bti_state s)
{
    return s < BTI_ST_COUNT ? state_names[s] : "?";
}

enum bti_state bti_state_parse(const char *s)
{
    for (int i = BTI_ST_RECEIVED; i < BTI_ST_COUNT; i++)
        if (s && strcmp(s, state_names[i]) == 0)
            return (enum bti_state)i;
    return BTI_ST_NONE;
}

int bti_state_read(const char *s, const char *what, enum bti_state *out)
{
    char list[128] = "";
    *out = bti_state_parse(s);
    if (*out != BTI_ST_NONE)
        return 0;
    for (int i = BTI_ST_RECEIVED; i < BTI_ST_COUNT; i++) {
        size_t len = strlen(list);
        snprintf(list + len, sizeof list - len, "%s%s", i == BTI_ST_RECEIVED ? "" : ", ",
                 state_names[i]);
    }
    return bti_error_set(BTI_EINVAL, _("invalid value for %s: expected %s"), what, list);
}

const char *bti_event_command(enum bti_event e)
{
    return e < BTI_EV_COUNT ? event_commands[e] : "?";
}

int bti_state_is_open(enum bti_state s)
{
    return (OPEN & (1u << s)) != 0;
}

/* The commands allowed from state s, quoted and comma-separated, each once. */
static void allowed_from(enum bti_state s, char *buf, size_t size)
{
    size_t len = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        char quoted[64]; /* quoted, so that 'ke decide' is not found in 'ke decide --void' */
        snprintf(quoted, sizeof quoted, "'%s'", event_commands[table[i].event]);
        if (!(table[i].from & (1u << s)) || (table[i].needs & GUARD) || strstr(buf, quoted))
            continue;
        int n = snprintf(buf + len, size - len, "%s%s", len ? ", " : "", quoted);
        if (n < 0 || (size_t)n >= size - len)
            break;
        len += (size_t)n;
    }
}

/* The values a row may need: what the refusal calls each, and the option
 * that gives it on the command line (for the hint). */
static const struct {
    unsigned need;
    const char *value, *option;
} needed[] = {
    {NEED_UNIT, N_("a responsible unit"), "--unit UNIT"},
    {NEED_REASON, N_("a reason"), "--reason TEXT"},
    {NEED_CAUSE, N_("a cause"), "--cause CAUSE"},
    {NEED_NOTE, N_("a note"), "--note TEXT"},
};

/* Whether the event brings the value `need` (one NEED_ flag). */
static int brings(const struct bti_event_args *a, unsigned need)
{
    const char *text = need == NEED_REASON ? a->reason : need == NEED_CAUSE ? a->cause : a->note;
    return need == NEED_UNIT ? a->unit_id > 0 : text && *text;
}

/* Check the values the row needs against what the event brings: a missing
 * one is a missing argument (exit 2, SPEC section 7), named as a value,
 * with the option that gives it as the hint. */
static int check_needs(const struct transition *t, const struct bti_event_args *a)
{
    for (size_t i = 0; i < sizeof needed / sizeof needed[0]; i++) {
        if (!(t->needs & needed[i].need) || brings(a, needed[i].need))
            continue;
        bti_error_set(BTI_EUSAGE, _("'%s' needs %s"), event_commands[t->event], _(needed[i].value));
        return bti_error_set_hint(_("give it with %s"), needed[i].option);
    }
    return 0;
}

int bti_lifecycle_next(enum bti_state from, enum bti_event e, const struct bti_event_args *args,
                       enum bti_state *to)
{
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        const struct transition *t = &table[i];
        if (t->event != e || !(t->from & (1u << from)))
            continue;
        int rc = check_needs(t, args);
        if (rc)
            return rc;
        *to = t->to == SAME ? from : t->to == PREVIOUS ? args->previous : (enum bti_state)t->to;
        return 0;
    }
    char allowed[512];
    allowed_from(from, allowed, sizeof allowed);
    return bti_error_set(BTI_ERULE, _("'%s' is not allowed for a case that is '%s'; allowed: %s"),
                         event_commands[e], state_names[from], *allowed ? allowed : "nothing");
}
