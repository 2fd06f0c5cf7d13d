/*
 * JSON text written straight from values: the audit's change documents.
 * An import writes a million of them, and a cJSON tree per row (built,
 * printed through the double formatter, freed) cost more than the rows.
 * The text is what cJSON_PrintUnformatted would print for the same values.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/jtext.h"

void jtext_init(struct jtext *j)
{
    j->s = j->space;
    j->s[0] = '\0';
    j->len = 0;
    j->cap = sizeof j->space;
    j->failed = 0;
}

void jtext_free(struct jtext *j)
{
    if (j->s != j->space)
        free(j->s);
    jtext_init(j);
}

/* Make room for n more bytes and the terminating NUL; 0 when out of memory. */
static int reserve(struct jtext *j, size_t n)
{
    if (j->failed)
        return 0;
    if (j->len + n < j->cap)
        return 1;
    size_t cap = j->cap;
    while (j->len + n >= cap)
        cap *= 2;
    char *s = j->s == j->space ? malloc(cap) : realloc(j->s, cap);
    if (!s) {
        j->failed = 1;
        return 0;
    }
    if (j->s == j->space)
        memcpy(s, j->space, j->len + 1);
    j->s = s;
    j->cap = cap;
    return 1;
}

void jtext_raw(struct jtext *j, const char *s, size_t n)
{
    if (!reserve(j, n))
        return;
    memcpy(j->s + j->len, s, n);
    j->len += n;
    j->s[j->len] = '\0';
}

void jtext_key(struct jtext *j, int first, const char *key)
{
    size_t n = strlen(key);
    if (!reserve(j, n + 4))
        return;
    char *p = j->s + j->len;
    *p++ = first ? '{' : ',';
    *p++ = '"';
    memcpy(p, key, n);
    p += n;
    *p++ = '"';
    *p++ = ':';
    *p = '\0';
    j->len += n + 4;
}

void jtext_lit(struct jtext *j, const char *s)
{
    jtext_raw(j, s, strlen(s));
}

size_t jtext_format_int(long long v, char *buf)
{
    /* by hand: snprintf's format machinery was 4% of an import (issue 19) */
    unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    char digits[JTEXT_INT_BUF];
    size_t n = 0, len = 0;
    do
        digits[n++] = (char)('0' + u % 10);
    while ((u /= 10) != 0);
    if (v < 0)
        buf[len++] = '-';
    while (n)
        buf[len++] = digits[--n];
    buf[len] = '\0';
    return len;
}

void jtext_int(struct jtext *j, long long v)
{
    char buf[JTEXT_INT_BUF];
    jtext_raw(j, buf, jtext_format_int(v, buf));
}

/* cJSON's way: 15 significant digits when they read back the same, else 17. */
void jtext_double(struct jtext *j, double v)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%1.15g", v);
    if (strtod(buf, NULL) != v)
        snprintf(buf, sizeof buf, "%1.17g", v);
    jtext_lit(j, buf);
}

/* Whether byte c must be escaped inside a JSON string. */
static int needs_escape(unsigned char c)
{
    return c == '"' || c == '\\' || c < 0x20;
}

/* The escape of byte c (one that needs it) into out. */
static void escape(unsigned char c, char out[8])
{
    static const char named[] = "\"\"\\\\\bb\ff\nn\rr\tt";
    for (const char *p = named; *p; p += 2)
        if ((unsigned char)*p == c) {
            out[0] = '\\', out[1] = p[1], out[2] = '\0';
            return;
        }
    snprintf(out, 8, "\\u%04x", c);
}

void jtext_string(struct jtext *j, const char *s)
{
    jtext_raw(j, "\"", 1);
    const char *run = s; /* the start of bytes that stand for themselves */
    for (const char *p = s; *p; p++) {
        char esc[8];
        if (!needs_escape((unsigned char)*p))
            continue;
        escape((unsigned char)*p, esc);
        jtext_raw(j, run, (size_t)(p - run));
        jtext_lit(j, esc);
        run = p + 1;
    }
    jtext_lit(j, run);
    jtext_raw(j, "\"", 1);
}
