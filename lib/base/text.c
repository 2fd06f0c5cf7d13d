/* Text values at the input boundary: UTF-8, length, control and invisible
 * characters; and display width, normalisation and case-folded search,
 * with the Unicode data of utf8proc (SPEC section 11), not tables of our
 * own. */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>
#include "bti/error.h"
#include "bti/text.h"
#include "base/intl.h"

/* An inclusive range of code points. */
struct range {
    uint32_t lo, hi;
};

/* The bidirectional marks, embeddings, overrides and isolates: text with
 * them may read otherwise than it is stored (SPEC section 5). */
static const struct range bidi[] = {
    {0x061C, 0x061C},
    {0x200E, 0x200F},
    {0x202A, 0x202E},
    {0x2066, 0x2069},
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* U+FE0F VARIATION SELECTOR-16: the emoji presentation, two columns. */
#define EMOJI_PRESENTATION 0xFE0F

/* Non-zero when cp lies in one of the n ranges r. */
static int in_ranges(uint32_t cp, const struct range *r, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (cp >= r[i].lo && cp <= r[i].hi)
            return 1;
    }
    return 0;
}

/* Decode one strict UTF-8 character from the len bytes at s into *cp.
 * Returns its length, or 0 when the bytes are not valid UTF-8 (truncated,
 * overlong, a surrogate or above U+10FFFF). */
static size_t decode(const unsigned char *s, size_t len, uint32_t *cp)
{
    utf8proc_int32_t c;
    utf8proc_ssize_t n = utf8proc_iterate(s, (utf8proc_ssize_t)len, &c);
    if (n <= 0)
        return 0;
    *cp = (uint32_t)c;
    return (size_t)n;
}

/* Decode the next character of the NUL-terminated s at *pos and advance
 * *pos; a byte that is not valid UTF-8 comes back as U+DC80..U+DCFF (a
 * lone surrogate, so it never equals a real character). */
static uint32_t next_char(const char *s, size_t *pos)
{
    const unsigned char *p = (const unsigned char *)s + *pos;
    uint32_t cp;
    size_t n = decode(p, strnlen((const char *)p, 4), &cp);
    if (n == 0) {
        *pos += 1;
        return 0xDC00 + p[0];
    }
    *pos += n;
    return cp;
}

/* Non-zero when each character of the len bytes at s decodes strictly. */
int bti_text_is_utf8(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        if (p[i] < 0x80) { /* ASCII, most of any text: decoded, it is itself */
            i++;
            continue;
        }
        uint32_t cp;
        size_t n = decode(p + i, len - i, &cp);
        if (n == 0)
            return 0;
        i += n;
    }
    return 1;
}

/* Non-zero when cp is a control character that text of kind may not hold:
 * Unicode Cc (C0, DEL, C1) and the bidirectional controls; free text may
 * hold newline and tab. */
static int is_forbidden_control(uint32_t cp, enum bti_text_kind kind)
{
    if (kind == BTI_TEXT_FREE && (cp == '\n' || cp == '\t'))
        return 0;
    return utf8proc_category((utf8proc_int32_t)cp) == UTF8PROC_CATEGORY_CC ||
           in_ranges(cp, bidi, COUNT(bidi));
}

/* Non-zero when cp is invisible where a name or label stands: a format
 * character (Cf: soft hyphen, zero-width space and joiners, the byte
 * order mark) or a line or paragraph separator (U+2028, U+2029). */
static int is_invisible(uint32_t cp)
{
    utf8proc_category_t cat = utf8proc_category((utf8proc_int32_t)cp);
    return cat == UTF8PROC_CATEGORY_CF || cat == UTF8PROC_CATEGORY_ZL ||
           cat == UTF8PROC_CATEGORY_ZP;
}

/* Non-zero when cp is white space: a space separator (Zs), tab or line end. */
static int is_space(uint32_t cp)
{
    return cp == '\t' || cp == '\n' || cp == '\r' ||
           utf8proc_category((utf8proc_int32_t)cp) == UTF8PROC_CATEGORY_ZS;
}

/* What a scan of a text finds. */
struct scan {
    size_t count;    /* characters */
    int control;     /* a control character kind forbids */
    uint32_t hidden; /* the first invisible character (0: none) */
    int blank;       /* nothing but white space */
};

/* Scan the characters of the valid UTF-8 s as text of kind. */
static void scan_chars(const char *s, enum bti_text_kind kind, struct scan *out)
{
    size_t pos = 0;
    *out = (struct scan){.blank = 1};
    while (s[pos] != '\0') {
        uint32_t cp = next_char(s, &pos);
        if (is_forbidden_control(cp, kind))
            out->control = 1;
        else if (kind != BTI_TEXT_FREE && !out->hidden && is_invisible(cp))
            out->hidden = cp;
        if (!is_space(cp))
            out->blank = 0;
        out->count++;
    }
}

/* Check emptiness, UTF-8, length, control and invisible characters, blank
 * values and a name's lead. */
int bti_text_check(const char *s, enum bti_text_kind kind, const char *what)
{
    size_t max = kind == BTI_TEXT_FREE ? BTI_TEXT_FREE_MAX : BTI_TEXT_NAME_MAX;
    struct scan sc;
    if (s == NULL || s[0] == '\0')
        return bti_error_set(BTI_EINVAL, _("%s is empty"), what);
    if (!bti_text_is_utf8(s, strlen(s)))
        return bti_error_set(BTI_EINVAL, _("%s is not valid UTF-8"), what);
    scan_chars(s, kind, &sc);
    if (sc.count > max)
        return bti_error_set(BTI_EINVAL, _("%s is longer than %zu characters"), what, max);
    if (sc.control)
        return bti_error_set(BTI_EINVAL, _("%s holds a control character"), what);
    if (sc.hidden)
        return bti_error_set(BTI_EINVAL, _("%s holds an invisible character (U+%04X)"), what,
                             (unsigned)sc.hidden);
    if (sc.blank)
        return bti_error_set(BTI_EINVAL, _("%s is blank"), what);
    if (kind == BTI_TEXT_NAME && strchr("=+-@", s[0]) != NULL)
        return bti_error_set(BTI_EINVAL, _("%s may not begin with '=', '+', '-' or '@'"), what);
    return BTI_OK;
}

/* Non-zero when cp is a regional indicator (two of them make a flag). */
static int is_regional(uint32_t cp)
{
    return cp >= 0x1F1E6 && cp <= 0x1F1FF;
}

/* The end (a byte offset) of the grapheme cluster (a user-perceived
 * character: a letter and its combining marks, an emoji sequence) that
 * starts at pos, and the columns it takes in *width: the widest of its
 * characters, two for an emoji presentation or a flag. */
static size_t cluster(const char *s, size_t pos, size_t *width)
{
    utf8proc_int32_t state = 0;
    int regional = 0;
    uint32_t cp = next_char(s, &pos);
    int w = utf8proc_charwidth((utf8proc_int32_t)cp);
    regional += is_regional(cp);
    while (s[pos] != '\0') {
        size_t next = pos;
        uint32_t c = next_char(s, &next);
        if (utf8proc_grapheme_break_stateful((utf8proc_int32_t)cp, (utf8proc_int32_t)c, &state))
            break;
        int cw = utf8proc_charwidth((utf8proc_int32_t)c);
        w = c == EMOJI_PRESENTATION ? 2 : cw > w ? cw : w;
        regional += is_regional(c);
        cp = c, pos = next;
    }
    *width = regional >= 2 ? 2 : (size_t)(w > 0 ? w : 0);
    return pos;
}

/* The sum of the columns of the grapheme clusters of s. */
size_t bti_text_width(const char *s)
{
    size_t pos = 0, width = 0, w;
    while (s[pos] != '\0') {
        pos = cluster(s, pos, &w);
        width += w;
    }
    return width;
}

/* The bytes of the longest start of s, in whole grapheme clusters, that
 * takes at most cols columns; its width in *width. */
size_t bti_text_fit(const char *s, size_t cols, size_t *width)
{
    size_t pos = 0, w;
    *width = 0;
    while (s[pos] != '\0') {
        size_t end = cluster(s, pos, &w);
        if (*width + w > cols)
            break;
        *width += w;
        pos = end;
    }
    return pos;
}

char *bti_text_nfc(const char *s)
{
    if (!bti_text_is_utf8(s, strlen(s)))
        return strdup(s);
    return (char *)utf8proc_NFC((const utf8proc_uint8_t *)s);
}

/* Copy the folded text in to out (which may be in: it never grows) with its
 * white space trimmed and each run of it made one space; returns out. */
static char *squeeze(const char *in, char *out)
{
    size_t pos = 0, o = 0;
    int gap = 0;
    while (in[pos] != '\0') {
        size_t start = pos;
        if (is_space(next_char(in, &pos))) {
            gap = o > 0;
            continue;
        }
        if (gap)
            out[o++] = ' ';
        gap = 0;
        memmove(out + o, in + start, pos - start);
        o += pos - start;
    }
    out[o] = '\0';
    return out;
}

/* s folded when it is all ASCII, where NFKC and case folding only lower
 * A-Z (issue 19: the import folds the name of everyone born on the day of
 * each new person, and utf8proc made a tenth of it at 300,000 cases); NULL
 * for any other text, or when memory runs out. */
static char *fold_ascii(const char *s)
{
    size_t n = 0;
    while (s[n] && (unsigned char)s[n] < 0x80)
        n++;
    char *out = s[n] ? NULL : malloc(n + 1);
    for (size_t i = 0; out && i <= n; i++)
        out[i] = s[i] >= 'A' && s[i] <= 'Z' ? (char)(s[i] - 'A' + 'a') : s[i];
    return out ? squeeze(out, out) : NULL;
}

char *bti_text_fold(const char *s)
{
    char *ascii = fold_ascii(s);
    if (ascii)
        return ascii;
    if (!bti_text_is_utf8(s, strlen(s)))
        return NULL;
    char *folded = (char *)utf8proc_NFKC_Casefold((const utf8proc_uint8_t *)s);
    return folded ? squeeze(folded, folded) : NULL;
}

/* Fold hay and needle and hand them to match; 0 when memory runs out. */
static int fold_both(const char *hay, const char *needle, int (*match)(const char *, const char *))
{
    char *h = bti_text_fold(hay), *n = bti_text_fold(needle);
    int found = h && n && match(h, n);
    free(h);
    free(n);
    return found;
}

/* Non-zero when needle occurs in hay (both folded). */
static int folded_contains(const char *hay, const char *needle)
{
    return strstr(hay, needle) != NULL;
}

int bti_text_contains_fold(const char *hay, const char *needle)
{
    return fold_both(hay, needle, folded_contains);
}

/* Non-zero when the byte at s starts no letter or digit (a word boundary):
 * the end, ASCII punctuation or space.  Non-ASCII counts as a letter. */
static int boundary(const char *s)
{
    unsigned char c = (unsigned char)*s;
    return c == '\0' || (c < 0x80 && !isalnum(c));
}

/* Non-zero when word occurs in hay (both folded) bounded on both sides. */
static int folded_mentions(const char *hay, const char *word)
{
    size_t n = strlen(word);
    if (n == 0)
        return 0;
    for (const char *p = strstr(hay, word); p; p = strstr(p + 1, word)) {
        if ((p == hay || boundary(p - 1)) && boundary(p + n))
            return 1;
    }
    return 0;
}

int bti_text_mentions_word(const char *hay, const char *word)
{
    return fold_both(hay, word, folded_mentions);
}
