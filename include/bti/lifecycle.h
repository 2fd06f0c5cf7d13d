/*
 * The case lifecycle (SPEC section 3): one table of (state, event) -> new
 * state with its preconditions, in lib/lifecycle.c.  Commands never compare
 * states; they name an event and the library applies it.
 */
#ifndef BTI_LIFECYCLE_H
#define BTI_LIFECYCLE_H

enum bti_state {
    BTI_ST_NONE, /* before the case exists */
    BTI_ST_RECEIVED,
    BTI_ST_REVIEW,
    BTI_ST_GRANTED,
    BTI_ST_DENIED,
    BTI_ST_APPEALED,
    BTI_ST_ACTIVE,
    BTI_ST_CLOSED,
    BTI_ST_COUNT
};

enum bti_event {
    BTI_EV_REFERRAL,  /* referral add */
    BTI_EV_REVIEW,    /* ke review */
    BTI_EV_GRANT,     /* ke decide, some item granted */
    BTI_EV_DENY_ALL,  /* ke decide, every requested item now denied */
    BTI_EV_DENY_PART, /* ke decide, a denial leaving items undecided or granted */
    BTI_EV_VOID,      /* ke decide --void */
    BTI_EV_APPEAL,    /* ke appeal */
    BTI_EV_REVERSED,  /* ke appeal-result --reversed */
    BTI_EV_QUASHED,   /* ke appeal-result --quashed */
    BTI_EV_UPHELD,    /* ke appeal-result --upheld */
    BTI_EV_ASSIGN,    /* coordinator assign, none of that kind running */
    BTI_EV_REASSIGN,  /* coordinator assign, a change of coordinator */
    BTI_EV_CLOSE,     /* case close */
    BTI_EV_REOPEN,    /* case reopen */
    /* commands that leave the state as it is, but only from some states */
    BTI_EV_REQUEST,    /* referral add --case: a request the KE can still decide */
    BTI_EV_REPLY,      /* ke reply */
    BTI_EV_UNIT,       /* case unit */
    BTI_EV_CONSENT,    /* consent give */
    BTI_EV_GROUP_ADD,  /* group add */
    BTI_EV_PLAN_START, /* plan start */
    BTI_EV_ESCALATE,   /* ke escalate: a problem the service level cannot solve */
    /* issue 12: no case gets stuck */
    BTI_EV_UPHELD_OPEN, /* ke appeal-result --upheld, items still undecided or granted */
    BTI_EV_STAND_IN,    /* coordinator assign --temporary */
    BTI_EV_END,         /* coordinator end, another assignment still running */
    BTI_EV_END_LAST,    /* coordinator end of the case's last running assignment */
    BTI_EV_COUNT
};

/* What an event brings along; the table says which of these it needs. */
struct bti_event_args {
    long long unit_id;       /* --unit, 0 when not given */
    const char *reason;      /* --reason, NULL when not given */
    const char *cause;       /* --cause, NULL when not given */
    const char *note;        /* --note, NULL when not given */
    enum bti_state previous; /* where VOID and REOPEN return to */
};

/* The name of a state as stored and printed ("received", ...). */
const char *bti_state_name(enum bti_state s);

/* The state named s, or BTI_ST_NONE. */
enum bti_state bti_state_parse(const char *s);

/* The state named s into *out, or BTI_EINVAL naming `what` and the states. */
int bti_state_read(const char *s, const char *what, enum bti_state *out);

/* The command that raises event e ("ke decide"). */
const char *bti_event_command(enum bti_event e);

/* Look up (from, e) in the table and check its preconditions against args.
 * On success *to is the new state.  BTI_ERULE when the table does not allow
 * the event, naming the state and the commands allowed from it; BTI_EUSAGE
 * when a required option is missing. */
int bti_lifecycle_next(enum bti_state from, enum bti_event e, const struct bti_event_args *args,
                       enum bti_state *to);

/* Non-zero for the open states (all but NONE and CLOSED). */
int bti_state_is_open(enum bti_state s);

#endif
