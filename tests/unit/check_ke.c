/* Unit tests of lib/ke.c's escalations and meeting agenda, and of the
 * rule that only the options a synopsis shows with "..." repeat
 * (cmd_repeats).  Only synthetic persons. */
#include <check.h>
#include <stdio.h>
#include <string.h>
#include "../../cmd/cmd.h"
#include "bti/case.h"
#include "bti/error.h"
#include "bti/ke.h"
#include "bti/person.h"
#include "testutil.h"

/* A case for a new person received on 2026-10-01; its id. */
static long long new_case(struct tu_db *t, const char *name)
{
    struct bti_person_in p = {.name = name, .born = tu_ymd(1990, 5, 12)};
    struct bti_referral_in in = {
        .person = &p, .source = "bti", .requests = "coordinator", .received = tu_ymd(2026, 10, 1)};
    struct bti_referral_out out;
    TU_TX(t->db, bti_referral_add(t->db, &in, &out));
    return out.case_id;
}

/* The agenda of meeting (0: the next) as "case:reason:since|..." into r. */
static const char *agenda(struct tu_db *t, long long meeting, struct tu_rows *r)
{
    memset(r, 0, sizeof *r);
    r->key = "reason";
    ck_assert_int_eq(bti_meeting_agenda(t->db, meeting, tu_collect, r), BTI_OK);
    return r->text;
}

/* An anonymous review of case at meeting. */
static void review(struct tu_db *t, long long case_id, long long meeting)
{
    struct bti_review_in in = {.case_id = case_id,
                               .meeting_id = meeting,
                               .conclusion = "drøftet",
                               .journal = BTI_NO_DATE,
                               .anonymous = 1};
    long long id;
    enum bti_state before, after;
    TU_TX(t->db, bti_review_add(t->db, &in, &id, &before, &after));
}

START_TEST(escalate_keeps_the_state_and_is_audited)
{
    struct tu_db t;
    tu_open(&t);
    long long c = new_case(&t, "Ola Prøvesen");
    struct bti_escalation_in in = {.case_id = c, .date = tu_ymd(2026, 11, 1), .note = "uenige"};
    long long id;
    enum bti_state state;
    TU_TX(t.db, bti_escalate(t.db, &in, &id, &state));
    ck_assert_int_eq(id, 1);
    ck_assert_int_eq(state, BTI_ST_RECEIVED);
    ck_assert_int_eq(tu_count(&t, "SELECT count(*) FROM escalation WHERE escalated = "
                                  "'2026-11-01' AND note = 'uenige'"),
                     1);
    ck_assert_int_eq(tu_count(&t, "SELECT count(*) FROM audit WHERE entity = 'escalation'"), 1);
    in.note = NULL;
    TU_FAILS(t.db, bti_escalate(t.db, &in, &id, &state), BTI_EUSAGE);
    in.note = "uenige";
    in.date = tu_ymd(2026, 9, 30); /* before the case was received */
    TU_FAILS(t.db, bti_escalate(t.db, &in, &id, &state), BTI_EINVAL);
    in.case_id = 42;
    TU_FAILS(t.db, bti_escalate(t.db, &in, &id, &state), BTI_ENOTFOUND);
    tu_close(&t);
}
END_TEST

START_TEST(agenda_takes_items_off_after_an_earlier_meeting)
{
    struct tu_db t;
    tu_open(&t);
    long long c = new_case(&t, "Ola Prøvesen"), meeting;
    struct tu_rows r;
    ck_assert_str_eq(agenda(&t, 0, &r), "received");
    TU_TX(t.db, bti_meeting_add(t.db, tu_ymd(2026, 10, 15), NULL, 0, &meeting));
    review(&t, c, meeting);
    ck_assert_str_eq(agenda(&t, 0, &r), "");
    ck_assert_str_eq(agenda(&t, meeting, &r), "received"); /* what that meeting took */
    struct bti_escalation_in in = {.case_id = c, .date = tu_ymd(2026, 11, 1), .note = "uenige"};
    long long id;
    enum bti_state state;
    TU_TX(t.db, bti_escalate(t.db, &in, &id, &state));
    ck_assert_str_eq(agenda(&t, 0, &r), "escalation");
    ck_assert_int_eq(r.ids[0], c);
    ck_assert_str_eq(agenda(&t, meeting, &r), "received"); /* it came after that meeting */
    TU_FAILS(t.db, bti_meeting_agenda(t.db, 9, tu_collect, &r), BTI_ENOTFOUND);
    tu_close(&t);
}
END_TEST

START_TEST(only_options_shown_with_dots_repeat)
{
    static const char *const usage =
        "due [--unit U] [--coordinator C] [--kind K]... [--within DAYS] [--check]";
    ck_assert(cmd_repeats(usage, "kind"));
    ck_assert(!cmd_repeats(usage, "unit"));
    ck_assert(!cmd_repeats(usage, "coordinator"));
    ck_assert(!cmd_repeats(usage, "within"));
    ck_assert(!cmd_repeats(usage, "check"));
    ck_assert(cmd_repeats("case list [--status S]... [--open]", "status"));
    ck_assert(!cmd_repeats("case list [--status S]... [--open]", "open"));
    ck_assert(!cmd_repeats("case list [--statuses S]...", "status"));
    ck_assert(cmd_repeats("gathering attend GATHERING --coordinator C...", "coordinator"));
    ck_assert(cmd_repeats("ke meeting add [--date DATE] [--attendee MEMBER]...", "attendee"));
    ck_assert(!cmd_repeats("ke meeting add [--date DATE] [--attendee MEMBER]...", "date"));
    ck_assert(cmd_repeats("x [--flag]...", "flag"));
    ck_assert(!cmd_repeats("x [--flag] [--other O]...", "flag"));
}
END_TEST

Suite *make_ke_suite(void)
{
    Suite *s = suite_create("ke");
    TCase *tc = tcase_create("ke");
    tcase_set_timeout(tc, 30);
    tcase_add_unchecked_fixture(tc, tu_fixture_begin, tu_fixture_end);
    tcase_add_test(tc, escalate_keeps_the_state_and_is_audited);
    tcase_add_test(tc, agenda_takes_items_off_after_an_earlier_meeting);
    tcase_add_test(tc, only_options_shown_with_dots_repeat);
    suite_add_tcase(s, tc);
    return s;
}
