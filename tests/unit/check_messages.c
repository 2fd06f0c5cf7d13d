/* Unit tests of the library's messages in bokmål (SPEC section 12): po/nb.po
 * compiles with its formats checked, and under a Norwegian locale the
 * library speaks bokmål through its own text domain, whatever domain the
 * program has chosen; under C it speaks English as before. */
#include <check.h>
#include <libintl.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "bti/date.h"
#include "bti/error.h"
#include "base/intl.h"

static char dir[32];

/* Compile po/nb.po (msgfmt -c checks that every translation keeps its
 * format's arguments) into a fresh directory and bind bti's domain to it. */
static void setup(void)
{
    char cmd[256];
    snprintf(dir, sizeof dir, "/tmp/bti-msgXXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(cmd, sizeof cmd,
             "mkdir -p %s/nb/LC_MESSAGES && msgfmt -c -o %s/nb/LC_MESSAGES/bti.mo po/nb.po", dir,
             dir);
    ck_assert_int_eq(system(cmd), 0);
    ck_assert_ptr_nonnull(bindtextdomain(BTI_TEXTDOMAIN, dir));
}

/* Remove the compiled catalogue and return to the C locale. */
static void teardown(void)
{
    char cmd[64];
    setlocale(LC_ALL, "C");
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    ck_assert_int_eq(system(cmd), 0);
}

/* The message of a date the calendar lacks, under the locale named. */
static const char *bad_date_message(const char *locale)
{
    bti_date d;
    if (!setlocale(LC_ALL, locale))
        ck_abort_msg("the locale %s is missing (locale-gen nb_NO.UTF-8)", locale);
    textdomain("another-program"); /* the library keeps its own domain */
    ck_assert_int_eq(bti_date_parse(&d, "2026-02-30", 0, "--date"), BTI_EINVAL);
    return bti_error_last();
}

START_TEST(test_bokmal_under_norwegian_locale)
{
    ck_assert_str_eq(bad_date_message("nb_NO.UTF-8"),
                     "ugyldig dato for --date: '2026-02-30' (dagen finnes ikke)");
}
END_TEST

START_TEST(test_english_under_c)
{
    ck_assert_str_eq(bad_date_message("C"), "invalid date for --date: '2026-02-30' (no such day)");
}
END_TEST

Suite *make_messages_suite(void)
{
    Suite *s = suite_create("messages");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_bokmal_under_norwegian_locale);
    tcase_add_test(tc, test_english_under_c);
    suite_add_tcase(s, tc);
    return s;
}
