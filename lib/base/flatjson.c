/*
 * Flat JSON objects as bti's export writes them (one row per line, and the
 * audit's change texts), read straight into an array of members: parsing
 * each line into a cJSON tree and freeing it was a fifth of a restore, and
 * the audit's change texts were parsed by cJSON a second time for the
 * tally (issue 19).  The file may have been tampered with, so this reads
 * only the exact shape the export writes and leaves anything else to
 * cJSON; where it reads a member, it reads what cJSON would.
 */
#include <ctype.h>
#include <string.h>
#include "base/flatjson.h"

/* The byte escape e (after a backslash) stands for, or 0: \u and any
 * escape JSON lacks are left to cJSON. */
static char unescape(char e)
{
    static const char plain[256] = {
        ['"'] = '"', ['\\'] = '\\', ['/'] = '/', ['b'] = '\b',
        ['f'] = '\f', ['n'] = '\n', ['r'] = '\r', ['t'] = '\t',
    };
    return plain[(unsigned char)e];
}

/* Decode the string whose text begins at s (past its opening quote) into
 * *buf as a C string, *buf moved past it; returns the position past its
 * closing quote, or NULL when it is left to cJSON.  Copied a byte at a
 * time: the runs between escapes are short (an audit change is JSON in a
 * string, every quote escaped), and strcspn's start per run cost a
 * quarter more (issue 19). */
static const char *string_at(const char *s, char **buf)
{
    static const unsigned char ends[256] = {[0] = 1, ['"'] = 1, ['\\'] = 1};
    char *out = *buf;
    for (;;) {
        while (!ends[(unsigned char)*s])
            *out++ = *s++;
        if (*s != '\\')
            break;
        if (!(*out++ = unescape(s[1])))
            return NULL;
        s += 2;
    }
    if (*s != '"')
        return NULL; /* the line ends inside the string */
    *out++ = '\0';
    *buf = out;
    return s + 1;
}

/* Read the integer of at most 15 digits (exact in a double) at s, as cJSON
 * reads it, into *v; returns the position past it, or NULL for any other
 * number (a fraction, an exponent, a leading zero, more digits). */
static const char *number_at(const char *s, double *v)
{
    int neg = *s == '-', n = 0;
    long long x = 0;
    s += neg;
    if (*s == '0') {
        s++;
        n = 1;
    } else {
        for (; *s >= '0' && *s <= '9' && n <= 15; s++, n++)
            x = 10 * x + (*s - '0');
    }
    if (n == 0 || n > 15 || (*s != ',' && *s != '}'))
        return NULL;
    *v = neg ? -(double)x : (double)x;
    return s;
}

/* Read the value at s into member m; returns the position past it, or
 * NULL when it is left to cJSON. */
static const char *value_at(const char *s, struct fj_member *m, char **buf)
{
    m->number = 0;
    m->string = NULL;
    if (*s == '"') {
        m->kind = FJ_STRING;
        m->string = *buf;
        return string_at(s + 1, buf);
    }
    if (*s == '-' || (*s >= '0' && *s <= '9')) {
        m->kind = FJ_NUMBER;
        return number_at(s, &m->number);
    }
    m->kind = FJ_NULL;
    return strncmp(s, "null", 4) == 0 ? s + 4 : NULL;
}

int fj_flat(const char *s, const char **end, struct fj_member *m, int max, char **buf)
{
    int n = 0;
    if (*s++ != '{')
        return -1;
    while (*s != '}') {
        if (n == max || *s != '"')
            return -1;
        m[n].key = *buf;
        s = string_at(s + 1, buf);
        if (!s || *s++ != ':' || !(s = value_at(s, &m[n], buf)))
            return -1;
        n++;
        if (*s == ',' && s[1] != '}')
            s++;
        else if (*s != '}')
            return -1;
    }
    *end = s + 1;
    return n;
}

int fj_from_cjson(const cJSON *o, struct fj_member *m, int max)
{
    int n = 0;
    for (const cJSON *x = o->child; x; x = x->next, n++) {
        if (n >= max)
            continue;
        m[n] = (struct fj_member){x->string, FJ_OTHER, 0, NULL};
        if (cJSON_IsNull(x))
            m[n].kind = FJ_NULL;
        else if (cJSON_IsNumber(x))
            m[n] = (struct fj_member){x->string, FJ_NUMBER, x->valuedouble, NULL};
        else if (cJSON_IsString(x))
            m[n] = (struct fj_member){x->string, FJ_STRING, 0, x->valuestring};
    }
    return n;
}

/* The largest integer a double holds exactly: 2^53. */
#define EXACT_LIMIT 9007199254740992.0

int fj_whole(double d, long long *out)
{
    /* the range first: converting a double beyond long long is undefined */
    if (!(d >= -EXACT_LIMIT && d <= EXACT_LIMIT) || d != (double)(long long)d)
        return 0;
    *out = (long long)d;
    return 1;
}

int fj_integer(const struct fj_member *m, long long *out)
{
    return m->kind == FJ_NUMBER && fj_whole(m->number, out);
}

/* Whether a and b are equal ignoring case, as cJSON compares keys. */
static int same_folded(const char *a, const char *b)
{
    for (; tolower((unsigned char)*a) == tolower((unsigned char)*b); a++, b++)
        if (*a == '\0')
            return 1;
    return 0;
}

const struct fj_member *fj_get(const struct fj_member *m, int n, const char *key)
{
    for (int i = 0; i < n; i++)
        if (m[i].key && same_folded(m[i].key, key))
            return &m[i];
    return NULL;
}

const struct fj_member *fj_get_exact(const struct fj_member *m, int n, const char *key)
{
    for (int i = 0; i < n; i++)
        if (m[i].key && strcmp(m[i].key, key) == 0)
            return &m[i];
    return NULL;
}
