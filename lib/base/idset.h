/* A set of row ids as a bitmap (lib/base/idset.c): memory by the largest
 * id, one bit an id, not by how many times the ids come; no database. */
#ifndef BTI_BASE_IDSET_H
#define BTI_BASE_IDSET_H

#include <stddef.h>

/* The ids a set holds: 1 up to IDSET_MAX - 1 (8 MiB of bitmap at most). */
#define IDSET_MAX (1LL << 26)

/* Zero-initialised: empty.  Free it with idset_free. */
struct idset {
    unsigned char *bits; /* bit id % 8 of byte id / 8 */
    size_t nbytes;
};

/* Put id in s: 1 when it was not there, 0 when it was, -1 when s cannot
 * hold it (out of memory, or id outside 1 .. IDSET_MAX - 1). */
int idset_add(struct idset *s, long long id);

/* The smallest id of s not below from, or 0 when there is none:
 *     for (long long id = idset_next(s, 1); id; id = idset_next(s, id + 1)) */
long long idset_next(const struct idset *s, long long from);

void idset_free(struct idset *s);

#endif
