/* Unit tests of lib/base/text.c. */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bti/error.h"
#include "bti/text.h"

/* A word that stands in every refused value and must never reach a message. */
#define SECRET "Hemmelig"

/* Encode code point cp as UTF-8 into out (5 bytes); returns out. */
static char *utf8(uint32_t cp, char *out)
{
    unsigned char *o = (unsigned char *)out;
    if (cp < 0x80) {
        o[0] = (unsigned char)cp, o[1] = 0;
    } else if (cp < 0x800) {
        o[0] = (unsigned char)(0xC0 | cp >> 6), o[1] = (unsigned char)(0x80 | (cp & 0x3F));
        o[2] = 0;
    } else if (cp < 0x10000) {
        o[0] = (unsigned char)(0xE0 | cp >> 12);
        o[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
        o[2] = (unsigned char)(0x80 | (cp & 0x3F)), o[3] = 0;
    } else {
        o[0] = (unsigned char)(0xF0 | cp >> 18);
        o[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3F));
        o[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
        o[3] = (unsigned char)(0x80 | (cp & 0x3F)), o[4] = 0;
    }
    return out;
}

/* A new string of n copies of unit; the caller frees it. */
static char *repeat(const char *unit, size_t n)
{
    size_t len = strlen(unit);
    char *s = malloc(len * n + 1);
    ck_assert_ptr_nonnull(s);
    for (size_t i = 0; i < n; i++)
        memcpy(s + i * len, unit, len);
    s[len * n] = '\0';
    return s;
}

/* s is refused as kind with the message "<what> <rule>", which quotes
 * neither s nor the secret word. */
static void refused(const char *s, enum bti_text_kind kind, const char *what, const char *rule)
{
    char want[256];
    snprintf(want, sizeof want, "%s %s", what, rule);
    bti_error_clear();
    ck_assert_int_eq(bti_text_check(s, kind, what), BTI_EINVAL);
    ck_assert_int_eq(bti_error_code(), BTI_EINVAL);
    ck_assert_str_eq(bti_error_last(), want);
    ck_assert_ptr_null(strstr(bti_error_last(), SECRET));
    if (strlen(s) >= 4)
        ck_assert_ptr_null(strstr(bti_error_last(), s));
}

static void accepted(const char *s, enum bti_text_kind kind)
{
    ck_assert_int_eq(bti_text_check(s, kind, "--name"), BTI_OK);
}

/* SECRET, the character cp and SECRET again. */
static char *around(uint32_t cp, char *out, size_t size)
{
    char c[5];
    snprintf(out, size, SECRET "%s" SECRET, utf8(cp, c));
    return out;
}

START_TEST(empty)
{
    refused("", BTI_TEXT_NAME, "--name", "is empty");
    refused("", BTI_TEXT_LABEL, "--ref", "is empty");
    refused("", BTI_TEXT_FREE, "--note", "is empty");
    refused("", BTI_TEXT_NAME, "column 'name'", "is empty");
}
END_TEST

/* Both sides of the 200-character bound, counting characters, not bytes. */
START_TEST(name_length)
{
    const char *units[] = {"a", "\xC3\xA6", "\xE2\x82\xAC", "\xF0\x9F\x98\x80", "e\xCC\x81"};
    const size_t per[] = {1, 1, 1, 1, 2};
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        for (int k = BTI_TEXT_NAME; k <= BTI_TEXT_LABEL; k++) {
            char *ok = repeat(units[i], 200 / per[i]);
            char *bad = repeat(units[i], 200 / per[i] + 1);
            accepted(ok, k);
            refused(bad, k, "--name", "is longer than 200 characters");
            free(ok);
            free(bad);
        }
    }
}
END_TEST

START_TEST(free_length)
{
    const char *units[] = {"a", "\xC3\xB8", "\xE6\x97\xA5", "\xF0\x9F\x98\x80"};
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        char *ok = repeat(units[i], 4000);
        char *bad = repeat(units[i], 4001);
        accepted(ok, BTI_TEXT_FREE);
        refused(bad, BTI_TEXT_FREE, "--note", "is longer than 4000 characters");
        refused(ok, BTI_TEXT_NAME, "--name", "is longer than 200 characters");
        free(ok);
        free(bad);
    }
}
END_TEST

/* Overlongs, surrogates, above U+10FFFF, bytes that cannot lead a
 * character and truncated sequences ("\x61" is an "a"). */
START_TEST(bad_utf8)
{
    const char *bad[] = {
        "\xC0\xAF",
        "\xC1\xBF",
        "\xE0\x80\xAF",
        "\xE0\x9F\xBF",
        "\xF0\x80\x80\xAF",
        "\xF0\x8F\xBF\xBF",
        "\xED\xA0\x80",
        "\xED\xBF\xBF",
        "\xED\xB0\x80",
        "\xF4\x90\x80\x80",
        "\xF5\x80\x80\x80",
        "\xF7\xBF\xBF\xBF",
        "\xF8\x88\x80\x80\x80",
        "\xFC\x84\x80\x80\x80\x80",
        "\xFE",
        "\xFF",
        "\x80",
        "\xBF",
        "\xC3",
        "\xE2\x82",
        "\xF0\x9F\x98",
        "\xC3\x61",
        "\xE2\x82\x61",
        "\xF0\x9F\x98\x61",
        "\xE2\x61\xAC",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char s[64];
        snprintf(s, sizeof s, SECRET "%s" SECRET, bad[i]);
        for (int k = BTI_TEXT_NAME; k <= BTI_TEXT_FREE; k++)
            refused(s, k, "--name", "is not valid UTF-8");
        ck_assert(!bti_text_is_utf8(bad[i], strlen(bad[i])));
    }
}
END_TEST

/* The edges of the valid ranges: U+007F..U+0080, U+07FF..U+0800, around
 * the surrogates, U+FFFF..U+10000 and U+10FFFF. */
START_TEST(good_utf8)
{
    const char *good[] = {"\x7F",         "\xC2\x80",         "\xDF\xBF",
                          "\xE0\xA0\x80", "\xED\x9F\xBF",     "\xEE\x80\x80",
                          "\xEF\xBF\xBF", "\xF0\x90\x80\x80", "\xF4\x8F\xBF\xBF"};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        ck_assert(bti_text_is_utf8(good[i], strlen(good[i])));
    ck_assert(bti_text_is_utf8("", 0));
    ck_assert(bti_text_is_utf8("a\0b", 3));
    ck_assert(!bti_text_is_utf8("\xC3\xA6", 1));
    ck_assert(bti_text_is_utf8("\xC3\xA6", 2));
    accepted("\xF4\x8F\xBF\xBF", BTI_TEXT_NAME);
    accepted("\xEE\x80\x80", BTI_TEXT_NAME);
}
END_TEST

/* Every C0 control and DEL: refused in names and labels; in free text all
 * but newline and tab. */
START_TEST(c0_controls)
{
    char s[64];
    for (uint32_t cp = 1; cp <= 0x7F; cp = cp == 0x1F ? 0x7F : cp + 1) {
        around(cp, s, sizeof s);
        refused(s, BTI_TEXT_NAME, "--name", "holds a control character");
        refused(s, BTI_TEXT_LABEL, "--ref", "holds a control character");
        if (cp == '\n' || cp == '\t')
            accepted(s, BTI_TEXT_FREE);
        else
            refused(s, BTI_TEXT_FREE, "--note", "holds a control character");
    }
    accepted("line one\nline two\n\tindented", BTI_TEXT_FREE);
    refused("line one\r\nline two", BTI_TEXT_FREE, "--note", "holds a control character");
    refused("Ola\nNordmann", BTI_TEXT_NAME, "--name", "holds a control character");
    refused("\t", BTI_TEXT_NAME, "--name", "holds a control character");
}
END_TEST

/* The C1 controls U+0080..U+009F, U+0085 (NEL) among them. */
START_TEST(c1_controls)
{
    char s[64];
    refused(SECRET "\xC2\x85" SECRET, BTI_TEXT_FREE, "--note", "holds a control character");
    for (uint32_t cp = 0x80; cp <= 0x9F; cp++) {
        around(cp, s, sizeof s);
        for (int k = BTI_TEXT_NAME; k <= BTI_TEXT_FREE; k++)
            refused(s, k, "--name", "holds a control character");
    }
    accepted(around(0xA0, s, sizeof s), BTI_TEXT_NAME);
}
END_TEST

START_TEST(bidi_controls)
{
    const uint32_t bidi[] = {0x061C, 0x200E, 0x200F, 0x202A, 0x202B, 0x202C,
                             0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069};
    const uint32_t fine[] = {0x061B, 0x061D, 0x2010, 0x202F, 0x2065, 0x2070};
    char s[64];
    for (size_t i = 0; i < sizeof bidi / sizeof bidi[0]; i++) {
        around(bidi[i], s, sizeof s);
        for (int k = BTI_TEXT_NAME; k <= BTI_TEXT_FREE; k++)
            refused(s, k, "--name", "holds a control character");
    }
    for (size_t i = 0; i < sizeof fine / sizeof fine[0]; i++) {
        around(fine[i], s, sizeof s);
        for (int k = BTI_TEXT_NAME; k <= BTI_TEXT_FREE; k++)
            accepted(s, k);
    }
}
END_TEST

START_TEST(leading_characters)
{
    const char *lead[] = {"=" SECRET, "+" SECRET, "-" SECRET, "@" SECRET, "=SUM(A1)", "@-"};
    for (size_t i = 0; i < sizeof lead / sizeof lead[0]; i++) {
        refused(lead[i], BTI_TEXT_NAME, "--name", "may not begin with '=', '+', '-' or '@'");
        accepted(lead[i], BTI_TEXT_LABEL);
        accepted(lead[i], BTI_TEXT_FREE);
    }
    refused("=", BTI_TEXT_NAME, "column 'name'", "may not begin with '=', '+', '-' or '@'");
    accepted("Kari Nordmann-Hansen", BTI_TEXT_NAME);
    accepted("Ola = Kari + Per @ home", BTI_TEXT_NAME);
    accepted(" =x", BTI_TEXT_NAME);
    accepted("\xC3\x86rlig \xC3\x98stby \xC3\x85se", BTI_TEXT_NAME);
}
END_TEST

START_TEST(width)
{
    ck_assert_uint_eq(bti_text_width(""), 0);
    ck_assert_uint_eq(bti_text_width("abc"), 3);
    ck_assert_uint_eq(bti_text_width("\xC3\xA6\xC3\xB8\xC3\xA5"), 3);
    ck_assert_uint_eq(bti_text_width("\xC3\x86rlig"), 5);
    ck_assert_uint_eq(bti_text_width("e\xCC\x81"), 1);
    ck_assert_uint_eq(bti_text_width("a\xE2\x80\x8B\x62"), 2);
    ck_assert_uint_eq(bti_text_width("\xE6\x97\xA5\xE6\x9C\xAC"), 4);
    ck_assert_uint_eq(bti_text_width("\xED\x95\x9C\xEA\xB5\xAD"), 4);
    ck_assert_uint_eq(bti_text_width("\xEF\xBC\xA1"), 2);
    ck_assert_uint_eq(bti_text_width("\xF0\x9F\x98\x80"), 2);
    ck_assert_uint_eq(bti_text_width("\xF0\xA0\x80\x80"), 2);
    ck_assert_uint_eq(bti_text_width("\xE2\x82\xAC"), 1);
}
END_TEST

/* ASCII is folded without utf8proc (issue 19): each ASCII character folds
 * as it does beside a non-ASCII one, which utf8proc folds. */
START_TEST(fold_ascii_as_utf8proc)
{
    for (int c = 1; c < 0x80; c++) {
        char ascii[16], mixed[24];
        snprintf(ascii, sizeof ascii, "%cAb  c\tZ", c);
        snprintf(mixed, sizeof mixed, "%s\xC3\x89", ascii);
        char *a = bti_text_fold(ascii), *m = bti_text_fold(mixed);
        ck_assert_ptr_nonnull(a);
        ck_assert_ptr_nonnull(m);
        size_t n = strlen(a);
        ck_assert_msg(strncmp(a, m, n) == 0 && strcmp(m + n, "\xC3\xA9") == 0,
                      "character %d: '%s' and '%s'", c, a, m);
        free(a);
        free(m);
    }
}
END_TEST

START_TEST(contains_fold)
{
    ck_assert(bti_text_contains_fold("\xC3\x98STBY", "\xC3\xB8stby"));
    ck_assert(bti_text_contains_fold("\xC3\xB8stby", "\xC3\x98STBY"));
    ck_assert(bti_text_contains_fold("Kari \xC3\x98stby", "\xC3\xB8STB"));
    ck_assert(bti_text_contains_fold("\xC3\x86RLIG", "\xC3\xA6rlig"));
    ck_assert(bti_text_contains_fold("Per \xC3\x85se", "\xC3\xA5SE"));
    ck_assert(bti_text_contains_fold("Nordmann", "NORDMANN"));
    ck_assert(bti_text_contains_fold("Nordmann", ""));
    ck_assert(bti_text_contains_fold("Hansen", "sen"));
    ck_assert(!bti_text_contains_fold("Hansen", "Hanssen"));
    ck_assert(!bti_text_contains_fold("", "a"));
    ck_assert(!bti_text_contains_fold("\xC3\x98stby", "ostby"));
    ck_assert(!bti_text_contains_fold("\xC3\x97", "\xC3\xB7"));
    ck_assert(!bti_text_contains_fold("\xC3\x98", "\xC3\xB9"));
    ck_assert(!bti_text_contains_fold("a\xC3\xA5", "\xA5"));
}
END_TEST

/* Invisible characters (issue 14, finding 8): refused in names and labels
 * with the code point named, accepted in free text. */
START_TEST(invisible_characters)
{
    const uint32_t hidden[] = {0x00AD, 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x2028, 0x2029};
    char s[64], rule[64];
    for (size_t i = 0; i < sizeof hidden / sizeof hidden[0]; i++) {
        around(hidden[i], s, sizeof s);
        snprintf(rule, sizeof rule, "holds an invisible character (U+%04X)", (unsigned)hidden[i]);
        refused(s, BTI_TEXT_NAME, "--name", rule);
        refused(s, BTI_TEXT_LABEL, "column 'referrer'", rule);
        accepted(s, BTI_TEXT_FREE);
    }
    refused("\xEF\xBB\xBFKari", BTI_TEXT_NAME, "column 'name'",
            "holds an invisible character (U+FEFF)");
}
END_TEST

/* A value of white space alone is blank, in every kind. */
START_TEST(blank)
{
    const char *blanks[] = {" ", "   ", "\xC2\xA0", " \xE3\x80\x80 "};
    for (size_t i = 0; i < sizeof blanks / sizeof blanks[0]; i++) {
        refused(blanks[i], BTI_TEXT_NAME, "--name", "is blank");
        refused(blanks[i], BTI_TEXT_LABEL, "--ref", "is blank");
        refused(blanks[i], BTI_TEXT_FREE, "--note", "is blank");
    }
    refused("\n\t ", BTI_TEXT_FREE, "--note", "is blank");
    accepted(" Kari ", BTI_TEXT_NAME);
}
END_TEST

/* Emoji, combining marks, sequences and flags, measured per grapheme. */
START_TEST(width_graphemes)
{
    ck_assert_uint_eq(bti_text_width("C\xCC\x8C\x61\xCC\x81hppes"), 7);       /* decomposed */
    ck_assert_uint_eq(bti_text_width("\xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD"), 2); /* skin tone */
    ck_assert_uint_eq(bti_text_width("\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9"
                                     "\xE2\x80\x8D\xF0\x9F\x91\xA7"),
                      2); /* a family: one ZWJ sequence */
    ck_assert_uint_eq(bti_text_width("\xF0\x9F\x87\xB3\xF0\x9F\x87\xB4"), 2); /* flag NO */
    ck_assert_uint_eq(bti_text_width("\xE2\x98\xBA\xEF\xB8\x8F"), 2);         /* emoji style */
    ck_assert_uint_eq(bti_text_width("\xE2\x80\xA6"), 1);
}
END_TEST

/* The longest start that fits, never splitting a character or cluster. */
START_TEST(fit)
{
    size_t w;
    ck_assert_uint_eq(bti_text_fit("abcdef", 3, &w), 3);
    ck_assert_uint_eq(w, 3);
    ck_assert_uint_eq(bti_text_fit("\xC3\xA6\xC3\xB8\xC3\xA5", 2, &w), 4);
    ck_assert_uint_eq(w, 2);
    ck_assert_uint_eq(bti_text_fit("e\xCC\x81x", 1, &w), 3);
    ck_assert_uint_eq(bti_text_fit("\xE6\x97\xA5\xE6\x9C\xAC", 3, &w), 3);
    ck_assert_uint_eq(w, 2);
    ck_assert_uint_eq(bti_text_fit("abc", 10, &w), 3);
    ck_assert_uint_eq(bti_text_fit("abc", 0, &w), 0);
}
END_TEST

/* Folding: case (Sami and Norwegian letters), composed against
 * decomposed, space trimmed and collapsed, invisible characters dropped. */
START_TEST(fold)
{
    char *k = bti_text_fold("  \xC4\x8C\xC3\xA1hppes   Nils\xC2\xAD ");
    ck_assert_str_eq(k, "\xC4\x8D\xC3\xA1hppes nils");
    free(k);
    ck_assert(bti_text_contains_fold("\xC4\x8C\xC3\xA1hppes", "\xC4\x8D\xC3\xA1hppes"));
    ck_assert(bti_text_contains_fold("C\xCC\x8C\x61\xCC\x81hppes", "\xC4\x8D\xC3\xA1hp"));
    ck_assert(bti_text_contains_fold("\xC4\x8C\xC3\xA1hppes", "c\xCC\x8C\x61\xCC\x81"));
    ck_assert(bti_text_mentions_word("Hei \xC4\x8C\xC3\xA1hppes!", "\xC4\x8D\xC3\xA1hppes"));
    ck_assert(!bti_text_mentions_word("\xC4\x8C\xC3\xA1hppesen", "\xC4\x8D\xC3\xA1hppes"));
    ck_assert_ptr_null(bti_text_fold("\xC3"));
    char *n = bti_text_nfc("C\xCC\x8C\x61\xCC\x81hppes");
    ck_assert_str_eq(n, "\xC4\x8C\xC3\xA1hppes");
    free(n);
}
END_TEST

Suite *make_text_suite(void)
{
    Suite *s = suite_create("text");
    TCase *tc = tcase_create("text");
    tcase_add_test(tc, empty);
    tcase_add_test(tc, name_length);
    tcase_add_test(tc, free_length);
    tcase_add_test(tc, bad_utf8);
    tcase_add_test(tc, good_utf8);
    tcase_add_test(tc, c0_controls);
    tcase_add_test(tc, c1_controls);
    tcase_add_test(tc, bidi_controls);
    tcase_add_test(tc, leading_characters);
    tcase_add_test(tc, width);
    tcase_add_test(tc, fold_ascii_as_utf8proc);
    tcase_add_test(tc, contains_fold);
    tcase_add_test(tc, invisible_characters);
    tcase_add_test(tc, blank);
    tcase_add_test(tc, width_graphemes);
    tcase_add_test(tc, fit);
    tcase_add_test(tc, fold);
    suite_add_tcase(s, tc);
    return s;
}
