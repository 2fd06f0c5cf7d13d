/* Unit tests of lib/base/lifecycle.c: every (state, event) pair against the
 * table of SPEC section 3, written out here on its own. */
#include <check.h>
#include <stdio.h>
#include <string.h>
#include "bti/error.h"
#include "bti/lifecycle.h"

#define NS BTI_ST_COUNT
#define NE BTI_EV_COUNT

/* SPEC section 3, written out per state and event: NULL refused; "="
 * the state stays; "<" back to the previous state; else the new state's
 * name.  Events not listed for a state are refused.  Besides the table's
 * own rows: a reply, a unit change, a consent and a group member need an
 * open case; a plan starts on a granted or active one; an escalation is
 * taken in any open state (SPEC sections 3 and 4). */
/* clang-format off */
static const char *const to[NS][NE] = {
    [BTI_ST_NONE] = {[BTI_EV_REFERRAL] = "received"},
    [BTI_ST_RECEIVED] = {[BTI_EV_REVIEW] = "review",
                         [BTI_EV_GRANT] = "granted",
                         [BTI_EV_DENY_ALL] = "denied",
                         [BTI_EV_DENY_PART] = "=",
                         [BTI_EV_VOID] = "<",
                         [BTI_EV_APPEAL] = "=",
                         [BTI_EV_REVERSED] = "granted",
                         [BTI_EV_QUASHED] = "=",
                         [BTI_EV_UPHELD] = "=",
                         [BTI_EV_UPHELD_OPEN] = "=",
                         [BTI_EV_REQUEST] = "=",
                         [BTI_EV_REPLY] = "=",
                         [BTI_EV_UNIT] = "=",
                         [BTI_EV_CONSENT] = "=",
                         [BTI_EV_GROUP_ADD] = "=",
                         [BTI_EV_ESCALATE] = "=",
                         [BTI_EV_CLOSE] = "closed"},
    [BTI_ST_REVIEW] = {[BTI_EV_REVIEW] = "=",
                       [BTI_EV_GRANT] = "granted",
                       [BTI_EV_DENY_ALL] = "denied",
                       [BTI_EV_DENY_PART] = "=",
                       [BTI_EV_VOID] = "<",
                       [BTI_EV_APPEAL] = "=",
                       [BTI_EV_REVERSED] = "granted",
                       [BTI_EV_QUASHED] = "=",
                       [BTI_EV_UPHELD] = "=",
                       [BTI_EV_UPHELD_OPEN] = "=",
                       [BTI_EV_REQUEST] = "=",
                       [BTI_EV_REPLY] = "=",
                       [BTI_EV_UNIT] = "=",
                       [BTI_EV_CONSENT] = "=",
                       [BTI_EV_GROUP_ADD] = "=",
                       [BTI_EV_ESCALATE] = "=",
                       [BTI_EV_CLOSE] = "closed"},
    [BTI_ST_GRANTED] = {[BTI_EV_REVIEW] = "=",
                        [BTI_EV_GRANT] = "granted",
                        [BTI_EV_DENY_PART] = "=",
                        [BTI_EV_VOID] = "<",
                        [BTI_EV_APPEAL] = "=",
                        [BTI_EV_REVERSED] = "granted",
                        [BTI_EV_QUASHED] = "=",
                        [BTI_EV_UPHELD] = "=",
                        [BTI_EV_UPHELD_OPEN] = "=",
                        [BTI_EV_ASSIGN] = "active",
                        [BTI_EV_REQUEST] = "=",
                        [BTI_EV_REPLY] = "=",
                        [BTI_EV_UNIT] = "=",
                        [BTI_EV_CONSENT] = "=",
                        [BTI_EV_GROUP_ADD] = "=",
                        [BTI_EV_ESCALATE] = "=",
                        [BTI_EV_PLAN_START] = "=",
                        [BTI_EV_CLOSE] = "closed"},
    [BTI_ST_DENIED] = {[BTI_EV_REVIEW] = "=",
                       [BTI_EV_VOID] = "<",
                       [BTI_EV_APPEAL] = "appealed",
                       [BTI_EV_REVERSED] = "granted",
                       [BTI_EV_QUASHED] = "=",
                       [BTI_EV_UPHELD] = "=",
                       [BTI_EV_UPHELD_OPEN] = "=",
                       [BTI_EV_REQUEST] = "received",
                       [BTI_EV_REPLY] = "=",
                       [BTI_EV_UNIT] = "=",
                       [BTI_EV_CONSENT] = "=",
                       [BTI_EV_GROUP_ADD] = "=",
                       [BTI_EV_ESCALATE] = "=",
                       [BTI_EV_CLOSE] = "closed"},
    [BTI_ST_APPEALED] = {[BTI_EV_REVIEW] = "=",
                         [BTI_EV_VOID] = "<",
                         [BTI_EV_APPEAL] = "=",
                         [BTI_EV_REVERSED] = "granted",
                         [BTI_EV_QUASHED] = "review",
                         [BTI_EV_UPHELD] = "closed",
                         [BTI_EV_UPHELD_OPEN] = "received",
                         [BTI_EV_REQUEST] = "=",
                         [BTI_EV_REPLY] = "=",
                         [BTI_EV_UNIT] = "=",
                         [BTI_EV_CONSENT] = "=",
                         [BTI_EV_GROUP_ADD] = "=",
                         [BTI_EV_ESCALATE] = "=",
                         [BTI_EV_CLOSE] = "closed"},
    [BTI_ST_ACTIVE] = {[BTI_EV_REVIEW] = "=",
                       [BTI_EV_GRANT] = "active",
                       [BTI_EV_DENY_PART] = "=",
                       [BTI_EV_VOID] = "<",
                       [BTI_EV_APPEAL] = "=",
                       [BTI_EV_REVERSED] = "active",
                       [BTI_EV_QUASHED] = "=",
                       [BTI_EV_UPHELD] = "=",
                       [BTI_EV_ASSIGN] = "active",
                       [BTI_EV_REASSIGN] = "active",
                       [BTI_EV_STAND_IN] = "=",
                       [BTI_EV_END] = "=",
                       [BTI_EV_END_LAST] = "granted",
                       [BTI_EV_UPHELD_OPEN] = "=",
                       [BTI_EV_REQUEST] = "=",
                       [BTI_EV_REPLY] = "=",
                       [BTI_EV_UNIT] = "=",
                       [BTI_EV_CONSENT] = "=",
                       [BTI_EV_GROUP_ADD] = "=",
                       [BTI_EV_PLAN_START] = "=",
                       [BTI_EV_ESCALATE] = "=",
                       [BTI_EV_CLOSE] = "closed"},
    [BTI_ST_CLOSED] = {[BTI_EV_REOPEN] = "<"},
};
/* clang-format on */

/* The options the allowed pairs need: u --unit, r --reason, c --cause
 * (the same for every state an event is allowed from, but for a
 * coordinator assign: only a change of coordinator needs --reason). */
static const char *const needs_of[NE] = {
    [BTI_EV_GRANT] = "u", [BTI_EV_DENY_ALL] = "r", [BTI_EV_DENY_PART] = "r",
    [BTI_EV_VOID] = "r",  [BTI_EV_REVERSED] = "u", [BTI_EV_REASSIGN] = "r",
    [BTI_EV_CLOSE] = "c", [BTI_EV_REOPEN] = "r",   [BTI_EV_ESCALATE] = "n",
    [BTI_EV_STAND_IN] = "r",
    [BTI_EV_END] = "r",   [BTI_EV_END_LAST] = "r",
};

/* The command that raises each event (SPEC section 5). */
static const char *const command[NE] = {
    [BTI_EV_REFERRAL] = "referral add",
    [BTI_EV_REVIEW] = "ke review",
    [BTI_EV_GRANT] = "ke decide",
    [BTI_EV_DENY_ALL] = "ke decide",
    [BTI_EV_DENY_PART] = "ke decide",
    [BTI_EV_VOID] = "ke decide",
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

/* The commands that only need the state: not ways on of SPEC section 3's
 * table, so a refusal does not offer them. */
static const int guard[NE] = {
    [BTI_EV_REPLY] = 1,     [BTI_EV_UNIT] = 1,       [BTI_EV_CONSENT] = 1,
    [BTI_EV_GROUP_ADD] = 1, [BTI_EV_PLAN_START] = 1,
};

static const char *const state_name[NS] = {
    "none", "received", "review", "granted", "denied", "appealed", "active", "closed",
};

/* The state named s in state_name. */
static enum bti_state named(const char *s)
{
    for (int i = 0; i < NS; i++)
        if (strcmp(state_name[i], s) == 0)
            return (enum bti_state)i;
    ck_abort_msg("no state %s", s);
    return BTI_ST_NONE;
}

static struct bti_event_args full_args(enum bti_state previous)
{
    struct bti_event_args a = {.unit_id = 7,
                               .reason = "registered in error",
                               .cause = "other",
                               .note = "stuck",
                               .previous = previous};
    return a;
}

START_TEST(every_pair_follows_the_spec_table)
{
    static const enum bti_state previous[] = {BTI_ST_RECEIVED, BTI_ST_ACTIVE};
    int allowed = 0, refused = 0;
    for (int s = 0; s < NS; s++) {
        for (int e = 0; e < NE; e++) {
            const char *want = to[s][e];
            if (!want) {
                enum bti_state got = (enum bti_state)99;
                struct bti_event_args a = full_args(BTI_ST_RECEIVED);
                int rc = bti_lifecycle_next(s, e, &a, &got);
                ck_assert_msg(rc == BTI_ERULE, "%s + event %d: allowed (to %d), expected refusal",
                              state_name[s], e, got);
                refused++;
                continue;
            }
            for (size_t p = 0; p < 2; p++) {
                enum bti_state got = (enum bti_state)99, expect;
                struct bti_event_args a = full_args(previous[p]);
                int rc = bti_lifecycle_next(s, e, &a, &got);
                ck_assert_msg(rc == BTI_OK, "%s + event %d: refused (%d: %s)", state_name[s], e, rc,
                              bti_error_last());
                expect = !strcmp(want, "=")   ? (enum bti_state)s
                         : !strcmp(want, "<") ? previous[p]
                                              : named(want);
                ck_assert_msg(got == expect, "%s + event %d: went to %d, expected %s",
                              state_name[s], e, got, state_name[expect]);
            }
            allowed++;
        }
    }
    ck_assert_int_eq(allowed + refused, NS * NE);
    ck_assert_int_eq(allowed, 104); /* the 86 before issue 12, and its 18 pairs */
}
END_TEST

START_TEST(refusal_names_state_and_allowed_commands)
{
    for (int s = 0; s < NS; s++) {
        for (int e = 0; e < NE; e++) {
            if (to[s][e])
                continue;
            enum bti_state got;
            struct bti_event_args a = {0};
            ck_assert_int_eq(bti_lifecycle_next(s, e, &a, &got), BTI_ERULE);
            const char *msg = bti_error_last();
            char quoted[32];
            snprintf(quoted, sizeof quoted, "'%s'", state_name[s]);
            ck_assert_msg(strstr(msg, quoted) != NULL,
                          "%s + event %d: message '%s' lacks the state", state_name[s], e, msg);
            const char *list = strstr(msg, "allowed");
            list = list ? list : msg;
            /* the ways on of SPEC section 3's table are offered; the commands
             * that only need the state are not */
            for (int ok = 0; ok < NE; ok++) {
                char cmd[64];
                snprintf(cmd, sizeof cmd, "'%s'", command[ok]);
                if (!guard[ok])
                    ck_assert_msg(!to[s][ok] || strstr(list, command[ok]) != NULL,
                                  "%s + event %d: message '%s' does not list '%s'", state_name[s],
                                  e, msg, command[ok]);
                else
                    ck_assert_msg(strstr(list, cmd) == NULL, "%s + event %d: message '%s' lists %s",
                                  state_name[s], e, msg, cmd);
            }
        }
    }
}
END_TEST

/* A pair without a value it needs is a missing argument (exit 2): the
 * message names the command and the value, not the option; the hint names
 * the option that gives it on the command line. */
START_TEST(missing_values_are_usage_errors_named_as_values)
{
    for (int s = 0; s < NS; s++) {
        for (int e = 0; e < NE; e++) {
            for (const char *n = to[s][e] ? needs_of[e] : NULL; n && *n; n++) {
                for (int empty = 0; empty < 2; empty++) {
                    struct bti_event_args a = full_args(BTI_ST_RECEIVED);
                    const char *opt = *n == 'u'   ? "--unit"
                                      : *n == 'r' ? "--reason"
                                      : *n == 'n' ? "--note"
                                                  : "--cause";
                    const char *value = *n == 'u'   ? "needs a responsible unit"
                                        : *n == 'r' ? "needs a reason"
                                        : *n == 'n' ? "needs a note"
                                                    : "needs a cause";
                    if (*n == 'u')
                        a.unit_id = empty ? -1 : 0;
                    else if (*n == 'r')
                        a.reason = empty ? "" : NULL;
                    else if (*n == 'n')
                        a.note = empty ? "" : NULL;
                    else
                        a.cause = empty ? "" : NULL;
                    enum bti_state got;
                    int rc = bti_lifecycle_next(s, e, &a, &got);
                    ck_assert_msg(rc == BTI_EUSAGE, "%s + event %d without %s gave %d",
                                  state_name[s], e, opt, rc);
                    char want[128];
                    snprintf(want, sizeof want, "'%s' %s", bti_event_command(e), value);
                    ck_assert_str_eq(bti_error_last(), want);
                    ck_assert_msg(bti_error_hint() && strstr(bti_error_hint(), opt) != NULL,
                                  "hint '%s' lacks %s", bti_error_hint(), opt);
                }
            }
        }
    }
}
END_TEST

START_TEST(pairs_without_needs_take_no_options)
{
    for (int s = 0; s < NS; s++) {
        for (int e = 0; e < NE; e++) {
            if (!to[s][e] || needs_of[e])
                continue;
            struct bti_event_args a = {.previous = BTI_ST_RECEIVED};
            enum bti_state got;
            int rc = bti_lifecycle_next(s, e, &a, &got);
            ck_assert_msg(rc == BTI_OK, "%s + event %d without options gave %d (%s)", state_name[s],
                          e, rc, bti_error_last());
        }
    }
}
END_TEST

START_TEST(spot_checks_of_the_table)
{
    struct bti_event_args a = full_args(BTI_ST_REVIEW);
    enum bti_state got;
    ck_assert_int_eq(bti_lifecycle_next(BTI_ST_ACTIVE, BTI_EV_GRANT, &a, &got), BTI_OK);
    ck_assert_int_eq(got, BTI_ST_ACTIVE); /* active stays active */
    ck_assert_int_eq(bti_lifecycle_next(BTI_ST_APPEALED, BTI_EV_UPHELD, &a, &got), BTI_OK);
    ck_assert_int_eq(got, BTI_ST_CLOSED);
    ck_assert_int_eq(bti_lifecycle_next(BTI_ST_CLOSED, BTI_EV_REOPEN, &a, &got), BTI_OK);
    ck_assert_int_eq(got, BTI_ST_REVIEW);
    struct bti_event_args none = {0};
    ck_assert_int_eq(bti_lifecycle_next(BTI_ST_GRANTED, BTI_EV_ASSIGN, &none, &got), BTI_OK);
    ck_assert_int_eq(got, BTI_ST_ACTIVE);
    ck_assert_int_eq(bti_lifecycle_next(BTI_ST_ACTIVE, BTI_EV_REASSIGN, &none, &got), BTI_EUSAGE);
    ck_assert_int_eq(bti_lifecycle_next(BTI_ST_GRANTED, BTI_EV_REASSIGN, &a, &got), BTI_ERULE);
    ck_assert_int_eq(bti_lifecycle_next(BTI_ST_CLOSED, BTI_EV_CLOSE, &none, &got), BTI_ERULE);
    ck_assert_int_eq(bti_lifecycle_next(BTI_ST_RECEIVED, BTI_EV_REFERRAL, &a, &got), BTI_ERULE);
}
END_TEST

START_TEST(state_names_round_trip)
{
    for (int s = BTI_ST_RECEIVED; s < NS; s++) {
        ck_assert_str_eq(bti_state_name(s), state_name[s]);
        ck_assert_int_eq(bti_state_parse(state_name[s]), s);
        ck_assert_int_eq(bti_state_parse(bti_state_name(s)), s);
    }
    ck_assert_int_eq(bti_state_parse("bogus"), BTI_ST_NONE);
    ck_assert_int_eq(bti_state_parse(""), BTI_ST_NONE);
    ck_assert_int_eq(bti_state_parse(NULL), BTI_ST_NONE);
    ck_assert_int_eq(bti_state_parse("Received"), BTI_ST_NONE);
    ck_assert_int_eq(bti_state_parse("received "), BTI_ST_NONE);
}
END_TEST

START_TEST(open_states)
{
    static const int open[NS] = {[BTI_ST_RECEIVED] = 1, [BTI_ST_REVIEW] = 1,   [BTI_ST_GRANTED] = 1,
                                 [BTI_ST_DENIED] = 1,   [BTI_ST_APPEALED] = 1, [BTI_ST_ACTIVE] = 1};
    for (int s = 0; s < NS; s++)
        ck_assert_msg(!bti_state_is_open(s) == !open[s], "%s: is_open %d", state_name[s],
                      bti_state_is_open(s));
}
END_TEST

START_TEST(event_commands)
{
    for (int e = 0; e < NE; e++)
        ck_assert_msg(strncmp(bti_event_command(e), command[e], strlen(command[e])) == 0,
                      "event %d: '%s'", e, bti_event_command(e));
}
END_TEST

Suite *make_lifecycle_suite(void)
{
    Suite *s = suite_create("lifecycle");
    TCase *tc = tcase_create("lifecycle");
    tcase_add_test(tc, every_pair_follows_the_spec_table);
    tcase_add_test(tc, refusal_names_state_and_allowed_commands);
    tcase_add_test(tc, missing_values_are_usage_errors_named_as_values);
    tcase_add_test(tc, pairs_without_needs_take_no_options);
    tcase_add_test(tc, spot_checks_of_the_table);
    tcase_add_test(tc, state_names_round_trip);
    tcase_add_test(tc, open_states);
    tcase_add_test(tc, event_commands);
    suite_add_tcase(s, tc);
    return s;
}
