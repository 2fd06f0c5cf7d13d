/* A plan's states and the moves between them (lib/base/plan_state.c),
 * one table as the case lifecycle is. */
#ifndef BTI_BASE_PLAN_STATE_H
#define BTI_BASE_PLAN_STATE_H

enum plan_state {
    PLAN_NONE, /* an unknown name */
    PLAN_IN_PROGRESS,
    PLAN_ACTIVE,
    PLAN_PAUSED,
    PLAN_ENDED,
    PLAN_STATE_COUNT
};

enum plan_event {
    PLAN_EV_ADOPT,    /* plan adopt */
    PLAN_EV_EVALUATE, /* plan evaluate */
    PLAN_EV_PAUSE,    /* no plan consent active any more */
    PLAN_EV_RESUME,   /* plan consent active again */
    PLAN_EV_END,      /* plan end, case close */
    PLAN_EV_COUNT
};

/* The state's name as the plan table stores it ("in_progress", ...). */
const char *plan_state_name(enum plan_state s);

/* The state named s; PLAN_NONE for none. */
enum plan_state plan_state_parse(const char *s);

/* Where event e leads a plan in state `from` (`paused_from`, the state a
 * pause left, for a resume): 0 with *to set, or BTI_ERULE without a
 * message when the table has no such move. */
int plan_state_next(enum plan_state from, enum plan_event e, enum plan_state paused_from,
                    enum plan_state *to);

#endif
