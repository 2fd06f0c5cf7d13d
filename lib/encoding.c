/*
 * Reading an imported file's bytes as UTF-8: the byte order mark, the
 * Windows-1252 code page Norwegian Excel saves "CSV (semikolondelt)" in,
 * and the separator of the header line.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "bti/error.h"
#include "bti/import.h"
#include "bti/text.h"

static const char bom[] = "\xEF\xBB\xBF";

/* The code points of Windows-1252 bytes 0x80-0x9F; 0 marks the five the
 * code page leaves undefined (they keep their own value, a C1 control). */
static const uint16_t cp1252_high[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178,
};

int bti_encoding_parse(enum bti_encoding *out, const char *s)
{
    static const struct {
        const char *name;
        enum bti_encoding enc;
    } names[] = {
        {"auto", BTI_ENC_AUTO},
        {"utf-8", BTI_ENC_UTF8},
        {"windows-1252", BTI_ENC_WINDOWS_1252},
    };
    for (size_t i = 0; s && i < sizeof names / sizeof names[0]; i++)
        if (strcmp(s, names[i].name) == 0) {
            *out = names[i].enc;
            return 0;
        }
    return bti_error_set(BTI_EINVAL,
                         "invalid value for --encoding: expected auto, utf-8 or windows-1252");
}

/* Write code point cp (below 0x10000) as UTF-8 at p; returns the bytes written. */
static size_t put_utf8(char *p, unsigned cp)
{
    if (cp < 0x80) {
        p[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        p[0] = (char)(0xC0 | (cp >> 6));
        p[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    p[0] = (char)(0xE0 | (cp >> 12));
    p[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    p[2] = (char)(0x80 | (cp & 0x3F));
    return 3;
}

int bti_cp1252_to_utf8(const char *in, size_t len, char **out, size_t *outlen)
{
    char *buf = malloc(len * 3 + 1);
    size_t n = 0;
    if (!buf)
        return bti_error_set(BTI_EDB, "out of memory");
    for (size_t i = 0; i < len; i++) {
        unsigned char b = (unsigned char)in[i];
        unsigned cp = b >= 0x80 && b < 0xA0 && cp1252_high[b - 0x80] ? cp1252_high[b - 0x80] : b;
        n += put_utf8(buf + n, cp);
    }
    buf[n] = '\0';
    *out = buf;
    *outlen = n;
    return 0;
}

/* A new NUL-terminated copy of the len bytes at in. */
static int copy_text(const char *in, size_t len, char **out, size_t *outlen)
{
    char *buf = malloc(len + 1);
    if (!buf)
        return bti_error_set(BTI_EDB, "out of memory");
    memcpy(buf, in, len);
    buf[len] = '\0';
    *out = buf;
    *outlen = len;
    return 0;
}

int bti_import_decode(const char *in, size_t len, enum bti_encoding enc, char **out, size_t *outlen,
                      int *converted)
{
    if (len >= 3 && memcmp(in, bom, 3) == 0) {
        in += 3;
        len -= 3;
    }
    *converted = enc == BTI_ENC_WINDOWS_1252 || (enc == BTI_ENC_AUTO && !bti_text_is_utf8(in, len));
    return *converted ? bti_cp1252_to_utf8(in, len, out, outlen) : copy_text(in, len, out, outlen);
}

char bti_import_delimiter(const char *text, size_t len)
{
    size_t commas = 0, semicolons = 0;
    int quoted = 0;
    for (size_t i = 0; i < len && (quoted || (text[i] != '\n' && text[i] != '\r')); i++) {
        if (text[i] == '"')
            quoted = !quoted;
        else if (!quoted)
            commas += text[i] == ',', semicolons += text[i] == ';';
    }
    return semicolons > commas ? ';' : ',';
}
