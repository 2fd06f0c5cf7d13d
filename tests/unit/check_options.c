/* Unit tests of the option reader (cmd/common.c: cmd_read_options): each
 * kind's value stored at its row's offset in the input struct, the readers
 * a row may name, a repeated option collected in order, and the one
 * wording of a refusal.  Only synthetic values. */
#include <check.h>
#include <getopt.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "../../cmd/cmd.h"
#include "bti/unit.h"
#include "testutil.h"

/* An input struct with a field for every kind and reader. */
struct all_args {
    int flag;
    const char *text, *name, *word, *choice;
    bti_date date;
    long long id, case_id, unit;
    unsigned states;
    struct cmd_list kinds;
    struct bti_person_in person;
};

#define AT(field) offsetof(struct all_args, field)
static const struct cmd_option opts[] = {
    {"flag", KIND_FLAG, AT(flag), "", 0, NULL, NULL},
    {"text", KIND_TEXT, AT(text), "", 0, NULL, NULL},
    {"name", KIND_NAME, AT(name), "", 0, NULL, NULL},
    {"word", KIND_WORD, AT(word), "", 0, NULL, NULL},
    {"when", KIND_DATE, AT(date), "", 0, NULL, NULL},
    {"id", KIND_ID, AT(id), "", 0, NULL, NULL},
    {"case", KIND_CASE, AT(case_id), "", 0, NULL, NULL},
    {"unit", KIND_UNIT, AT(unit), "", 0, NULL, NULL},
    {"status", KIND_STATE, AT(states), "", 0, NULL, NULL},
    {"kind", KIND_NAME, AT(kinds), "", 0, NULL, cmd_read_list},
    {"up", KIND_FLAG, AT(choice), "", 0, "down", cmd_read_choice},
    {"down", KIND_FLAG, AT(choice), "", 0, NULL, cmd_read_choice},
    {"born", KIND_DATE, AT(person.born), "", 0, "expected", cmd_read_born},
    {"expected", KIND_DATE, AT(person.born), "", 0, NULL, cmd_read_expected},
    {0}};
static const struct cmd_verb verb = {
    "test", NULL, 0, BTI_ROLE_NONE,
    "test [--flag] [--text TEXT] [--name NAME] [--word W] [--when DATE] [--id N] [--case CASE] "
    "[--unit U] [--status S]... [--kind K]... [--up | --down] [--born DATE | --expected DATE] ARG",
    "", opts};

/* Read the NULL-ended argv into a fresh a, as the dispatcher starts a verb. */
static int run(struct cmd_ctx *c, struct all_args *a, char **argv)
{
    int argc = 0;
    while (argv[argc])
        argc++;
    *a = (struct all_args){.date = BTI_NO_DATE, .person = {.born = BTI_NO_DATE, .expected = -1}};
    c->verb = &verb;
    optind = 0;
    return cmd_read_options(c, argc, argv, a);
}

/* Free what the reader kept until exit. */
static void release(struct cmd_ctx *c)
{
    for (size_t i = 0; i < c->nowned; i++)
        free(c->owned[i]);
    free(c->owned);
    c->owned = NULL;
    c->nowned = 0;
}

START_TEST(every_kind_goes_to_its_place)
{
    struct tu_db t;
    long long unit;
    tu_open(&t);
    TU_TX(t.db, bti_unit_add(t.db, "Familiesenteret", &unit));
    struct cmd_ctx c = {.db = t.db, .bctx = tu_ctx()};
    struct all_args a;
    char *argv[] = {"test", "--flag", "--text", "Pro\xcc\x88ve", "--name=Kari Testesen", "ARG",
                    "--word", "w", "--when", "2026-03-01", "--id", "7", "--case", "9",
                    "--unit", "Familiesenteret", "--status", "received", "--status", "closed",
                    "--kind", "b", "--kind", "a\xcc\x8a", "--down", "--expected", "2027-01-02",
                    NULL};
    ck_assert_int_eq(run(&c, &a, argv), 0);
    ck_assert_int_eq(a.flag, 1);
    ck_assert_str_eq(a.text, "Pr\xc3\xb6ve"); /* in Unicode normalisation form C */
    ck_assert_str_eq(a.name, "Kari Testesen");
    ck_assert_str_eq(a.word, "w");
    ck_assert_int_eq(a.date, tu_ymd(2026, 3, 1));
    ck_assert_int_eq(a.id, 7);
    ck_assert_int_eq(a.case_id, 9);
    ck_assert_int_eq(a.unit, unit);
    ck_assert_uint_eq(a.states, 1u << BTI_ST_RECEIVED | 1u << BTI_ST_CLOSED);
    ck_assert_uint_eq(a.kinds.n, 2); /* in the order given, each as its kind reads it */
    ck_assert_str_eq(a.kinds.v[0], "b");
    ck_assert_str_eq(a.kinds.v[1], "\xc3\xa5");
    ck_assert_str_eq(a.choice, "down");
    ck_assert_int_eq(a.person.born, tu_ymd(2027, 1, 2));
    ck_assert_int_eq(a.person.expected, 1);
    ck_assert_int_eq(optind, 26); /* the positional argument is left for the verb */
    ck_assert_str_eq(argv[optind], "ARG");
    release(&c);
    tu_close(&t);
}
END_TEST

START_TEST(what_is_not_given_stays_as_it_was)
{
    struct cmd_ctx c = {.bctx = tu_ctx()};
    struct all_args a;
    char *argv[] = {"test", "--born", "2020-05-06", NULL};
    ck_assert_int_eq(run(&c, &a, argv), 0);
    ck_assert_int_eq(a.person.born, tu_ymd(2020, 5, 6));
    ck_assert_int_eq(a.person.expected, 0); /* a birth */
    ck_assert_int_eq(a.date, BTI_NO_DATE);
    ck_assert_ptr_null(a.text);
    ck_assert_ptr_null(a.kinds.v);
    ck_assert_int_eq(a.flag, 0);
    release(&c);
}
END_TEST

/* Expect argv to be refused with rc and a message containing msg. */
static void refused(char **argv, int rc, const char *msg)
{
    struct cmd_ctx c = {.bctx = tu_ctx(), .db = NULL};
    struct all_args a;
    ck_assert_int_eq(run(&c, &a, argv), rc);
    ck_assert_msg(strstr(bti_error_last(), msg), "'%s' lacks '%s'", bti_error_last(), msg);
    release(&c);
}

START_TEST(refusals_have_one_wording)
{
    refused((char *[]){"test", "--id", "0", NULL}, BTI_EINVAL,
            "invalid --id: expected a positive whole number");
    refused((char *[]){"test", "--case", "x", NULL}, BTI_EINVAL, "invalid --case");
    refused((char *[]){"test", "--when", "31.02.2026", NULL}, BTI_EINVAL, "--when");
    refused((char *[]){"test", "--status", "sleeping", NULL}, BTI_EINVAL, "--status");
    refused((char *[]){"test", "--word", "a", "--word", "b", NULL}, BTI_EUSAGE,
            "option '--word' given twice");
    refused((char *[]){"test", "--wo", "a", NULL}, BTI_EUSAGE,
            "options are never abbreviated: write '--word' in full");
    refused((char *[]){"test", "--down", "--up", NULL}, BTI_EUSAGE,
            "--up and --down exclude each other");
    refused((char *[]){"test", "--nothing", NULL}, BTI_EUSAGE, "unknown option '--nothing'");
    refused((char *[]){"test", "--text", NULL}, BTI_EUSAGE, "option '--text' needs a value");
}
END_TEST

Suite *make_options_suite(void)
{
    Suite *s = suite_create("options");
    TCase *tc = tcase_create("options");
    tcase_add_unchecked_fixture(tc, tu_fixture_begin, tu_fixture_end);
    tcase_add_test(tc, every_kind_goes_to_its_place);
    tcase_add_test(tc, what_is_not_given_stays_as_it_was);
    tcase_add_test(tc, refusals_have_one_wording);
    suite_add_tcase(s, tc);
    return s;
}
