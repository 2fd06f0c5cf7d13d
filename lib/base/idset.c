/* A set of row ids as a bitmap (lib/base/idset.h). */
#include <stdlib.h>
#include <string.h>
#include "base/idset.h"

/* Grow s's bitmap to hold byte, doubling; -1 without memory. */
static int idset_grow(struct idset *s, size_t byte)
{
    size_t n = s->nbytes ? s->nbytes : 4096;
    while (n <= byte)
        n *= 2;
    unsigned char *grown = realloc(s->bits, n);
    if (!grown)
        return -1;
    memset(grown + s->nbytes, 0, n - s->nbytes);
    s->bits = grown, s->nbytes = n;
    return 0;
}

int idset_add(struct idset *s, long long id)
{
    if (id < 1 || id >= IDSET_MAX)
        return -1;
    size_t byte = (size_t)(id / 8);
    unsigned char bit = (unsigned char)(1u << (id % 8));
    if (byte >= s->nbytes && idset_grow(s, byte))
        return -1;
    if (s->bits[byte] & bit)
        return 0;
    s->bits[byte] |= bit;
    return 1;
}

long long idset_next(const struct idset *s, long long from)
{
    for (size_t byte = (size_t)(from < 1 ? 0 : from / 8); byte < s->nbytes; byte++)
        for (int bit = 0; s->bits[byte] && bit < 8; bit++) {
            long long id = (long long)byte * 8 + bit;
            if (id >= from && (s->bits[byte] & (1u << bit)))
                return id;
        }
    return 0;
}

void idset_free(struct idset *s)
{
    free(s->bits);
    s->bits = NULL;
    s->nbytes = 0;
}
