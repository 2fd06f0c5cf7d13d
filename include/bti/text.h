/*
 * Validation of text values at the input boundary (SPEC section 5), and
 * their display width.
 */
#ifndef BTI_TEXT_H
#define BTI_TEXT_H

#include <stddef.h>

enum bti_text_kind {
    BTI_TEXT_NAME,  /* a name: at most 200 characters, one line, no leading = + - @ */
    BTI_TEXT_LABEL, /* a label, reference or code: at most 200 characters, one line */
    BTI_TEXT_FREE,  /* free text: at most 4,000 characters, newline and tab allowed */
};

#define BTI_TEXT_NAME_MAX 200
#define BTI_TEXT_FREE_MAX 4000

/* Check s as a value of kind: not empty, valid UTF-8 (no overlongs, no
 * surrogates), within the length in characters, no control characters
 * (Unicode Cc, C1 controls, bidirectional overrides and isolates; free text
 * may hold newline and tab), and for a name no leading '=', '+', '-' or
 * '@'.  On failure BTI_EINVAL with a message naming `what` and the rule,
 * never quoting s. */
int bti_text_check(const char *s, enum bti_text_kind kind, const char *what);

/* Non-zero when s is valid UTF-8. */
int bti_text_is_utf8(const char *s, size_t len);

/* Columns s takes on a terminal: one per character (ae, o-slash and a-ring
 * are one column), two for East Asian wide characters, none for combining
 * marks.  s is valid UTF-8. */
size_t bti_text_width(const char *s);

/* Case-insensitive (ASCII and Latin-1 letters such as AE/ae) substring test,
 * for --name filters.  Non-zero when needle occurs in hay. */
int bti_text_contains_fold(const char *hay, const char *needle);

/* Non-zero when word occurs in hay as a whole word (case folded as
 * bti_text_contains_fold; bounded by the ends, spaces or punctuation). */
int bti_text_mentions_word(const char *hay, const char *word);

#endif
