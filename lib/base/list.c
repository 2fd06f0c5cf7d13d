/* Comma lists, the access log's id lists and words from a set: checks that
 * need no database. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/list.h"
#include "bti/error.h"
#include "base/intl.h"

size_t list_elem(const char *p, const char **next)
{
    size_t n = strcspn(p, ",");
    *next = p[n] == ',' ? p + n + 1 : NULL;
    return n;
}

int list_trim(const char *s, char *out, size_t size, const char *what)
{
    size_t len = 0;
    out[0] = '\0';
    for (const char *p = s, *next; p; p = next) {
        size_t n = list_elem(p, &next);
        while (n && *p == ' ')
            p++, n--;
        while (n && p[n - 1] == ' ')
            n--;
        if (n == 0)
            return bti_error_set(BTI_EINVAL, _("%s holds an empty element"), what);
        if (len + n + 2 > size)
            return bti_error_set(BTI_EINVAL, _("%s is too long"), what);
        len += (size_t)snprintf(out + len, size - len, "%s%.*s", len ? "," : "", (int)n, p);
    }
    return 0;
}

/* The first and last id of one element of an id list ("7" or "9-12"), of
 * n bytes at p; 0 for anything else (the "+N more" of older rows). */
static int id_run(const char *p, size_t n, long long *first, long long *last)
{
    char buf[48], *end;
    if (n == 0 || n >= sizeof buf || !isdigit((unsigned char)p[0]))
        return 0;
    memcpy(buf, p, n);
    buf[n] = '\0';
    *first = *last = strtoll(buf, &end, 10);
    if (*end == '-' && isdigit((unsigned char)end[1]))
        *last = strtoll(end + 1, &end, 10);
    return *end == '\0';
}

int ids_hold(const char *list, long long id)
{
    for (const char *p = list, *next; p; p = next) {
        long long first, last;
        size_t n = list_elem(p, &next);
        if (id_run(p, n, &first, &last) && first <= id && id <= last)
            return 1;
    }
    return 0;
}

int check_word(const char *s, const char *const *words, const char *what)
{
    char list[512] = "";
    for (const char *const *w = words; *w; w++) {
        if (s && strcmp(s, *w) == 0)
            return 0;
        size_t len = strlen(list);
        snprintf(list + len, sizeof list - len, "%s%s", w == words ? "" : ", ", *w);
    }
    return bti_error_set(BTI_EINVAL, _("invalid value for %s: expected %s"), what, list);
}

int list_has(const char *const *names, const char *name)
{
    for (; names && *names; names++)
        if (strcmp(*names, name) == 0)
            return 1;
    return 0;
}
