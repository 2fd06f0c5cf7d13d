/* JSON text grown in place (lib/base/jtext.c). */
#ifndef BTI_BASE_JTEXT_H
#define BTI_BASE_JTEXT_H

#include <stddef.h>

/* JSON text grown in place (lib/base/jtext.c): short documents need no
 * allocation.  Once out of memory, `failed` is set and appending stops. */
struct jtext {
    char *s; /* NUL-terminated */
    size_t len, cap;
    int failed;
    char space[512];
};

void jtext_init(struct jtext *j);
void jtext_free(struct jtext *j); /* and ready for use again */
void jtext_raw(struct jtext *j, const char *s, size_t n);
void jtext_lit(struct jtext *j, const char *s);
/* An object's member name: '{' (first set) or ',', then "key": (a key
 * that needs no escape), in one append (issue 19: the audit's row images). */
void jtext_key(struct jtext *j, int first, const char *key);
void jtext_int(struct jtext *j, long long v);

#define JTEXT_INT_BUF 21 /* the longest long long and its NUL */
/* Write v into buf as "%lld" prints it; the length without the NUL. */
size_t jtext_format_int(long long v, char *buf);
void jtext_double(struct jtext *j, double v);      /* as cJSON prints a number */
void jtext_string(struct jtext *j, const char *s); /* quoted and escaped */

#endif
