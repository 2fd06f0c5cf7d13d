/*
 * A plan's lifecycle (SPEC section 2): in progress until adopted, then
 * active; paused while no plan consent is active and back where it was
 * when one is; ended.  Every move of a plan's state is looked up here.
 */
#include <string.h>
#include "bti/error.h"
#include "base/plan_state.h"

#define S(x) (1u << PLAN_##x)
#define OPEN (S(IN_PROGRESS) | S(ACTIVE) | S(PAUSED))

/* Where a move leads besides a named state: back to where a pause left. */
enum { PAUSED_FROM = -1 };

static const struct plan_move {
    unsigned from;
    enum plan_event event;
    int to;
} moves[] = {
    {S(IN_PROGRESS), PLAN_EV_ADOPT, PLAN_ACTIVE},
    {S(ACTIVE), PLAN_EV_EVALUATE, PLAN_ACTIVE},
    {S(IN_PROGRESS) | S(ACTIVE), PLAN_EV_PAUSE, PLAN_PAUSED},
    {S(PAUSED), PLAN_EV_RESUME, PAUSED_FROM},
    {OPEN, PLAN_EV_END, PLAN_ENDED},
};

static const char *const state_names[PLAN_STATE_COUNT] = {
    [PLAN_NONE] = "none",     [PLAN_IN_PROGRESS] = "in_progress", [PLAN_ACTIVE] = "active",
    [PLAN_PAUSED] = "paused", [PLAN_ENDED] = "ended",
};

const char *plan_state_name(enum plan_state s)
{
    return s < PLAN_STATE_COUNT ? state_names[s] : "?";
}

enum plan_state plan_state_parse(const char *s)
{
    for (int i = PLAN_IN_PROGRESS; i < PLAN_STATE_COUNT; i++)
        if (s && strcmp(s, state_names[i]) == 0)
            return (enum plan_state)i;
    return PLAN_NONE;
}

int plan_state_next(enum plan_state from, enum plan_event e, enum plan_state paused_from,
                    enum plan_state *to)
{
    for (size_t i = 0; i < sizeof moves / sizeof moves[0]; i++)
        if (moves[i].event == e && (moves[i].from & (1u << from))) {
            *to = moves[i].to == PAUSED_FROM ? paused_from : (enum plan_state)moves[i].to;
            return 0;
        }
    return BTI_ERULE;
}
