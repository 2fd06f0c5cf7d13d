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
#include <unistd.h>
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

/* ---- reading a file in parts (issue 19) ---------------------------------------------------- */

/* Read up to n bytes of the file at t->off into buf; *got is 0 at its end.
 * A file that holds more than its size when opened has grown meanwhile. */
static int read_part(struct text_in *t, char *buf, size_t n, size_t *got)
{
    char probe;
    ssize_t r;
    *got = 0;
    if (n > t->len - t->off)
        n = t->len - t->off;
    if (t->data) {
        memcpy(buf, t->data + t->off, n);
        *got = n;
    } else {
        do
            r = n ? pread(t->fd, buf, n, (off_t)t->off) : pread(t->fd, &probe, 1, (off_t)t->len);
        while (r < 0 && errno == EINTR);
        if (r < 0)
            return bti_error_set(BTI_EDB, _("cannot read '%s': %s"), t->name, strerror(errno));
        if (!n && r)
            return bti_error_set(BTI_EINVAL, _("'%s' grew while it was read"), t->name);
        *got = n ? (size_t)r : 0;
    }
    t->off += *got;
    return 0;
}

/* Count the line ends of the n decoded bytes at s, and whether they are
 * all white space. */
static void tally(struct text_in *t, const char *s, size_t n)
{
    for (const char *p = s; (p = memchr(p, '\n', n - (size_t)(p - s))) != NULL; p++)
        t->lines++;
    for (size_t i = 0; t->blank && i < n; i++)
        t->blank = s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n';
}

/* Move the position (line, character) over the n decoded bytes at s, the
 * way an editor counts: LF, CRLF and CR each end a line. */
static void advance(struct text_in *t, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char b = (unsigned char)s[i];
        if (b == '\r' || (b == '\n' && !t->cr))
            t->line++, t->character = 1;
        else if (b != '\n' && (b & 0xC0) != 0x80)
            t->character++;
        t->cr = b == '\r';
    }
}

/* The bytes at the end of the n at s that begin a character not yet
 * whole (it goes on in the next part). */
static size_t unfinished(const char *s, size_t n)
{
    for (size_t k = 1; k <= 3 && k <= n; k++) {
        unsigned char b = (unsigned char)s[n - k];
        if ((b & 0xC0) == 0x80)
            continue;
        size_t need = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
        return need > k ? k : 0;
    }
    return 0;
}

/* Read the (unconverted) text through once: tally it and, when check is
 * set, whether all of it is UTF-8 into *valid. */
static int scan_utf8(struct text_in *t, int check, int *valid)
{
    size_t held = 0, got;
    *valid = 1;
    do {
        int rc = read_part(t, t->raw + held, sizeof t->raw - held, &got);
        if (rc)
            return rc;
        tally(t, t->raw + held, got);
        size_t n = held + got, keep = got ? unfinished(t->raw, n) : 0;
        if (check && *valid)
            *valid = bti_text_is_utf8(t->raw, n - keep);
        memmove(t->raw, t->raw + n - keep, keep);
        held = keep;
    } while (got);
    return 0;
}

/* Convert the raw bytes onto the end of the window; a sequence cut at the
 * end of a part waits for the next, unless the file ends there. */
static int convert_part(struct text_in *t, int last)
{
    char *ip = t->raw, *op = t->text + t->end;
    size_t inleft = t->rawlen, outleft = t->cap - t->end;
    size_t r = iconv((iconv_t)t->cd, &ip, &inleft, &op, &outleft);
    int err = errno;
    advance(t, t->text + t->end, (size_t)(op - (t->text + t->end)));
    t->end = (size_t)(op - t->text);
    memmove(t->raw, ip, inleft);
    t->rawlen = inleft;
    if (r != (size_t)-1 || (err == EINVAL && !last))
        return 0;
    if (err == EILSEQ || err == EINVAL)
        return bti_error_set(BTI_EINVAL, _("%s:%lld: not valid %s at character %lld of the line"),
                             t->name, t->line, t->from, t->character);
    return bti_error_set(BTI_EDB, _("cannot read %s: %s"), t->from, strerror(err));
}

int text_in_more(struct text_in *t)
{
    size_t room = sizeof t->raw * 3 + 1, got; /* a part's text at most (Windows-1252) */
    if (t->start)
        memmove(t->text, t->text + t->start, t->end - t->start);
    t->end -= t->start;
    t->start = 0;
    if (t->cap - t->end < room) {
        char *grown = realloc(t->text, t->end + room);
        if (!grown)
            return bti_error_set(BTI_EDB, _("out of memory"));
        t->text = grown;
        t->cap = t->end + room;
    }
    int rc = read_part(t, t->raw + t->rawlen, sizeof t->raw - t->rawlen, &got);
    t->rawlen += got;
    t->eof = got == 0;
    if (rc == 0 && t->cd)
        return convert_part(t, t->eof);
    if (rc == 0) {
        memcpy(t->text + t->end, t->raw, t->rawlen);
        t->end += t->rawlen;
        t->rawlen = 0;
    }
    return rc;
}

/* Go back to the start of the text (after the UTF-8 byte order mark),
 * with a fresh conversion. */
static int rewind_text(struct text_in *t)
{
    t->off = t->skip;
    t->rawlen = t->start = t->end = 0;
    t->eof = t->cr = 0;
    t->line = t->character = 1;
    if (t->cd)
        iconv_close((iconv_t)t->cd);
    t->cd = NULL;
    if (!t->from)
        return 0;
    iconv_t cd = iconv_open("UTF-8", t->from);
    if (cd == (iconv_t)-1)
        return bti_error_set(BTI_EDB, _("cannot read %s: %s"), t->from, strerror(errno));
    t->cd = cd;
    return 0;
}

/* Convert the whole text once: every byte must decode; tally the text. */
static int scan_converted(struct text_in *t)
{
    int rc = rewind_text(t);
    t->lines = 1, t->blank = 1;
    while (rc == 0 && !t->eof) {
        rc = text_in_more(t);
        tally(t, t->text + t->start, t->end - t->start);
        t->start = t->end;
    }
    return rc;
}

int text_in_open(struct text_in *t, const char *name, const char *data, int fd, size_t len,
                 enum bti_encoding enc, int *converted)
{
    char head[3];
    size_t got;
    int valid = 1;
    memset(t, 0, sizeof *t);
    t->name = name, t->data = data, t->fd = fd, t->len = len;
    t->lines = 1, t->blank = 1;
    int rc = read_part(t, head, sizeof head, &got);
    *converted = 0;
    if (rc == 0 && utf16_bom(head, got)) {
        t->from = "UTF-16";
    } else if (rc == 0) {
        t->skip = got == 3 && memcmp(head, bom, 3) == 0 ? 3 : 0;
        t->off = t->skip;
        if (enc != BTI_ENC_WINDOWS_1252)
            rc = scan_utf8(t, enc == BTI_ENC_AUTO, &valid);
        *converted = enc == BTI_ENC_WINDOWS_1252 || !valid;
        t->from = *converted ? "Windows-1252" : NULL;
    }
    if (rc == 0 && t->from)
        rc = scan_converted(t);
    return rc ? rc : rewind_text(t);
}

void text_in_close(struct text_in *t)
{
    if (t->cd)
        iconv_close((iconv_t)t->cd);
    t->cd = NULL;
    free(t->text);
    t->text = NULL;
}
