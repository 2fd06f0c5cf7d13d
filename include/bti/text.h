/*
 * Validation of text values at the input boundary (SPEC section 5), and
 * their display width.
 */
#ifndef BTI_TEXT_H
#define BTI_TEXT_H

#include <stddef.h>
#include "bti/mem.h"

enum bti_text_kind {
    BTI_TEXT_NAME,  /* a name: at most 200 characters, one line, no leading = + - @ */
    BTI_TEXT_LABEL, /* a label, reference or code: at most 200 characters, one line */
    BTI_TEXT_FREE,  /* free text: at most 4,000 characters, newline and tab allowed */
};

#define BTI_TEXT_NAME_MAX 200
#define BTI_TEXT_FREE_MAX 4000

/* Check s as a value of kind: not empty and not blank (white space alone),
 * valid UTF-8 (no overlongs, no surrogates), within the length in
 * characters, no control characters (Unicode Cc, C1 controls,
 * bidirectional marks, overrides and isolates; free text may hold newline
 * and tab), for a name or label no invisible characters (Unicode Cf such
 * as a soft hyphen, zero-width characters or a byte order mark, and the
 * line and paragraph separators U+2028, U+2029), and for a name no leading
 * '=', '+', '-' or '@'.  On failure BTI_EINVAL with a message naming
 * `what` and the rule, never quoting s. */
int bti_text_check(const char *s, enum bti_text_kind kind, const char *what);

/* Non-zero when s is valid UTF-8. */
int bti_text_is_utf8(const char *s, size_t len);

/* Columns s takes on a terminal, counted per grapheme cluster (a letter
 * with its combining marks, an emoji sequence) with utf8proc's widths: ae,
 * o-slash and a-ring one, East Asian wide characters and emoji two,
 * combining marks none.  s is valid UTF-8. */
size_t bti_text_width(const char *s);

/* The length in bytes of the longest start of s, in whole grapheme
 * clusters, that takes at most cols columns; its width goes to *width. */
size_t bti_text_fit(const char *s, size_t cols, size_t *width);

/* s in Unicode normalisation form C (the form bti stores names in): a new
 * string for the caller to free (bti_free); s copied as is when it is not valid
 * UTF-8 (the check refuses it later); NULL when out of memory. */
char *bti_text_nfc(const char *s);

/* The key two texts are compared by: NFKC with case folding (so "Č" and
 * "č", composed and decomposed, match), default-ignorable characters
 * dropped, white space trimmed and each run of it one space.  A new string
 * for the caller to free (bti_free); NULL when s is not valid UTF-8 or memory runs
 * out. */
char *bti_text_fold(const char *s);

/* Non-zero when needle occurs in hay, both compared as bti_text_fold
 * keys, for --name filters. */
int bti_text_contains_fold(const char *hay, const char *needle);

/* Non-zero when word occurs in hay as a whole word (compared as
 * bti_text_fold keys; bounded by the ends, spaces or punctuation). */
int bti_text_mentions_word(const char *hay, const char *word);

#endif
