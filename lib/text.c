/* Text values at the input boundary: UTF-8, length, control characters,
 * display width and case-folded search. */
#include <ctype.h>
#include <stdint.h>
#include <string.h>
#include "bti/error.h"
#include "bti/text.h"

/* An inclusive range of code points. */
struct range {
    uint32_t lo, hi;
};

static const struct range zero_width[] = {
    {0x0300, 0x036F}, {0x1AB0, 0x1AFF}, {0x1DC0, 0x1DFF},
    {0x200B, 0x200F}, {0x20D0, 0x20FF}, {0xFE20, 0xFE2F},
};

static const struct range wide[] = {
    {0x1100, 0x115F}, {0x2E80, 0xA4CF}, {0xAC00, 0xD7A3},   {0xF900, 0xFAFF},   {0xFE30, 0xFE4F},
    {0xFF00, 0xFF60}, {0xFFE0, 0xFFE6}, {0x1F300, 0x1F64F}, {0x1F900, 0x1F9FF}, {0x20000, 0x3FFFD},
};

static const struct range controls[] = {
    {0x0000, 0x001F}, {0x007F, 0x009F}, {0x061C, 0x061C},
    {0x200E, 0x200F}, {0x202A, 0x202E}, {0x2066, 0x2069},
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Non-zero when cp lies in one of the n ranges r. */
static int in_ranges(uint32_t cp, const struct range *r, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (cp >= r[i].lo && cp <= r[i].hi)
            return 1;
    }
    return 0;
}

/* The length of the sequence led by byte b, its payload bits in *cp and
 * the least code point it may encode in *min; 0 for a byte that cannot
 * lead (a continuation byte, 0xF8 and above). */
static int lead_byte(unsigned char b, uint32_t *cp, uint32_t *min)
{
    if (b < 0x80) {
        *cp = b, *min = 0;
        return 1;
    }
    if ((b & 0xE0) == 0xC0) {
        *cp = b & 0x1F, *min = 0x80;
        return 2;
    }
    if ((b & 0xF0) == 0xE0) {
        *cp = b & 0x0F, *min = 0x800;
        return 3;
    }
    if ((b & 0xF8) == 0xF0) {
        *cp = b & 0x07, *min = 0x10000;
        return 4;
    }
    return 0;
}

/* Decode one strict UTF-8 character from the len bytes at s into *cp.
 * Returns its length, or 0 when the bytes are not valid UTF-8 (truncated,
 * overlong, a surrogate or above U+10FFFF). */
static size_t decode(const unsigned char *s, size_t len, uint32_t *cp)
{
    uint32_t min;
    int n = lead_byte(s[0], cp, &min);
    if (n == 0 || (size_t)n > len)
        return 0;
    for (int i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        *cp = (*cp << 6) | (s[i] & 0x3F);
    }
    if (*cp < min || *cp > 0x10FFFF || (*cp >= 0xD800 && *cp <= 0xDFFF))
        return 0;
    return (size_t)n;
}

/* Decode the next character of the NUL-terminated s at *pos and advance
 * *pos; a byte that is not valid UTF-8 comes back as U+DC80..U+DCFF (a
 * lone surrogate, so it never equals or folds to a real character). */
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
        uint32_t cp;
        size_t n = decode(p + i, len - i, &cp);
        if (n == 0)
            return 0;
        i += n;
    }
    return 1;
}

/* Non-zero when cp is a control character that text of kind may not hold. */
static int is_forbidden_control(uint32_t cp, enum bti_text_kind kind)
{
    if (kind == BTI_TEXT_FREE && (cp == '\n' || cp == '\t'))
        return 0;
    return in_ranges(cp, controls, COUNT(controls));
}

/* Count the characters of the valid UTF-8 s into *count; non-zero when
 * one of them is a control character that kind forbids. */
static int scan_chars(const char *s, enum bti_text_kind kind, size_t *count)
{
    size_t pos = 0;
    int bad = 0;
    *count = 0;
    while (s[pos] != '\0') {
        if (is_forbidden_control(next_char(s, &pos), kind))
            bad = 1;
        (*count)++;
    }
    return bad;
}

/* Check emptiness, UTF-8, length, control characters and a name's lead. */
int bti_text_check(const char *s, enum bti_text_kind kind, const char *what)
{
    size_t max = kind == BTI_TEXT_FREE ? BTI_TEXT_FREE_MAX : BTI_TEXT_NAME_MAX;
    size_t count;
    if (s == NULL || s[0] == '\0')
        return bti_error_set(BTI_EINVAL, "%s is empty", what);
    if (!bti_text_is_utf8(s, strlen(s)))
        return bti_error_set(BTI_EINVAL, "%s is not valid UTF-8", what);
    int control = scan_chars(s, kind, &count);
    if (count > max)
        return bti_error_set(BTI_EINVAL, "%s is longer than %zu characters", what, max);
    if (control)
        return bti_error_set(BTI_EINVAL, "%s holds a control character", what);
    if (kind == BTI_TEXT_NAME && strchr("=+-@", s[0]) != NULL)
        return bti_error_set(BTI_EINVAL, "%s may not begin with '=', '+', '-' or '@'", what);
    return BTI_OK;
}

/* Columns the character cp takes on a terminal. */
static size_t char_width(uint32_t cp)
{
    if (in_ranges(cp, zero_width, COUNT(zero_width)))
        return 0;
    if (in_ranges(cp, wide, COUNT(wide)))
        return 2;
    return 1;
}

/* The sum of the columns of the characters of s. */
size_t bti_text_width(const char *s)
{
    size_t pos = 0, width = 0;
    while (s[pos] != '\0')
        width += char_width(next_char(s, &pos));
    return width;
}

/* cp in lower case: ASCII and the Latin-1 letters U+00C0..U+00DE (but the
 * multiplication sign U+00D7) fold 0x20 up; everything else is kept. */
static uint32_t fold(uint32_t cp)
{
    if (cp >= 'A' && cp <= 'Z')
        return cp + 0x20;
    if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7)
        return cp + 0x20;
    return cp;
}

/* Non-zero when needle matches hay from its start, folding case. */
static int prefix_fold(const char *hay, const char *needle)
{
    size_t h = 0, n = 0;
    while (needle[n] != '\0') {
        if (hay[h] == '\0')
            return 0;
        if (fold(next_char(hay, &h)) != fold(next_char(needle, &n)))
            return 0;
    }
    return 1;
}

/* Try a case-folded match of needle at each character of hay. */
int bti_text_contains_fold(const char *hay, const char *needle)
{
    size_t pos = 0;
    if (prefix_fold(hay, needle))
        return 1;
    while (hay[pos] != '\0') {
        next_char(hay, &pos);
        if (prefix_fold(hay + pos, needle))
            return 1;
    }
    return 0;
}

/* Non-zero when the byte at s starts no letter or digit (a word boundary):
 * the end, ASCII punctuation or space.  Non-ASCII counts as a letter. */
static int boundary(const char *s)
{
    unsigned char c = (unsigned char)*s;
    return c == '\0' || (c < 0x80 && !isalnum(c));
}

int bti_text_mentions_word(const char *hay, const char *word)
{
    size_t n = strlen(word), pos = 0;
    if (n == 0)
        return 0;
    while (hay[pos] != '\0') {
        /* folding keeps byte lengths (ASCII and Latin-1 letters), so a
         * match at pos ends n bytes on */
        int at_start = pos == 0 || boundary(hay + pos - 1);
        if (at_start && prefix_fold(hay + pos, word) && strlen(hay + pos) >= n &&
            boundary(hay + pos + n))
            return 1;
        next_char(hay, &pos);
    }
    return 0;
}
