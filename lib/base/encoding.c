/*
 * Reading an imported file's bytes as UTF-8, through glibc's iconv: UTF-8
 * (its byte order mark dropped), UTF-16 with a byte order mark (Excel's
 * "Unicode text"), the Windows-1252 code page Norwegian Excel saves "CSV
 * (semikolondelt)" in; and the separator of the header line.
 */
#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>
#include "bti/error.h"
#include "bti/import.h"
#include "bti/text.h"
#include "base/encoding.h"
#include "base/intl.h"

static const char bom[] = "\xEF\xBB\xBF";

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
                         _("invalid value for --encoding: expected auto, utf-8 or windows-1252"));
}

/* Refuse the bytes that follow the len bytes of UTF-8 at text, which are
 * not valid `from`: named by their line and character, as a person
 * finds them in an editor. */
static int invalid_at(const char *name, const char *from, const char *text, size_t len)
{
    long long line = 1, character = 1;
    for (size_t i = 0; i < len; i++) {
        unsigned char b = (unsigned char)text[i];
        if (b == '\n' || (b == '\r' && (i + 1 == len || text[i + 1] != '\n')))
            line++, character = 1;
        else if (b != '\r' && (b & 0xC0) != 0x80)
            character++;
    }
    return bti_error_set(BTI_EINVAL, _("%s:%lld: not valid %s at character %lld of the line"), name,
                         line, from, character);
}

/* The len bytes at in, in the encoding `from` (an iconv name), as a new
 * NUL-terminated UTF-8 string (glibc iconv: no hand tables). */
static int convert(const char *name, const char *from, const char *in, size_t len, char **out,
                   size_t *outlen)
{
    iconv_t cd = iconv_open("UTF-8", from);
    if (cd == (iconv_t)-1)
        return bti_error_set(BTI_EDB, _("cannot read %s: %s"), from, strerror(errno));
    size_t cap = len * 3 + 1, inleft = len, outleft = cap - 1;
    char *buf = malloc(cap), *ip = (char *)in, *op = buf;
    int rc = 0;
    if (!buf)
        rc = bti_error_set(BTI_EDB, _("out of memory"));
    else if (iconv(cd, &ip, &inleft, &op, &outleft) == (size_t)-1)
        rc = errno == EILSEQ || errno == EINVAL
                 ? invalid_at(name, from, buf, (size_t)(op - buf))
                 : bti_error_set(BTI_EDB, _("cannot read %s: %s"), from, strerror(errno));
    iconv_close(cd);
    if (rc) {
        free(buf);
        return rc;
    }
    *op = '\0';
    *out = buf;
    *outlen = (size_t)(op - buf);
    return 0;
}

/* A new NUL-terminated copy of the len bytes at in. */
static int copy_text(const char *in, size_t len, char **out, size_t *outlen)
{
    char *buf = malloc(len + 1);
    if (!buf)
        return bti_error_set(BTI_EDB, _("out of memory"));
    memcpy(buf, in, len);
    buf[len] = '\0';
    *out = buf;
    *outlen = len;
    return 0;
}

/* Non-zero when the len bytes at in start with a UTF-16 byte order mark. */
static int utf16_bom(const char *in, size_t len)
{
    return len >= 2 && (memcmp(in, "\xFF\xFE", 2) == 0 || memcmp(in, "\xFE\xFF", 2) == 0);
}

int import_decode_view(const char *name, const char *in, size_t len, enum bti_encoding enc,
                       const char **text, size_t *textlen, char **owned, int *converted)
{
    *converted = 0;
    *owned = NULL;
    int rc = 0;
    if (utf16_bom(in, len)) {
        rc = convert(name, "UTF-16", in, len, owned, textlen);
    } else {
        if (len >= 3 && memcmp(in, bom, 3) == 0) {
            in += 3;
            len -= 3;
        }
        *converted =
            enc == BTI_ENC_WINDOWS_1252 || (enc == BTI_ENC_AUTO && !bti_text_is_utf8(in, len));
        if (*converted)
            rc = convert(name, "Windows-1252", in, len, owned, textlen);
        else
            *textlen = len;
    }
    *text = *owned ? *owned : in;
    return rc;
}

int bti_import_decode(const char *name, const char *in, size_t len, enum bti_encoding enc,
                      char **out, size_t *outlen, int *converted)
{
    const char *text;
    char *owned;
    int rc = import_decode_view(name, in, len, enc, &text, outlen, &owned, converted);
    if (rc == 0 && !owned)
        rc = copy_text(text, *outlen, &owned, outlen);
    *out = rc ? NULL : owned;
    return rc;
}

char bti_import_delimiter(const char *text, size_t len)
{
    size_t commas = 0, semicolons = 0, tabs = 0;
    int quoted = 0;
    for (size_t i = 0; i < len && (quoted || (text[i] != '\n' && text[i] != '\r')); i++) {
        if (text[i] == '"')
            quoted = !quoted;
        else if (!quoted)
            commas += text[i] == ',', semicolons += text[i] == ';', tabs += text[i] == '\t';
    }
    if (tabs > commas && tabs > semicolons)
        return '\t';
    return semicolons > commas ? ';' : ',';
}
