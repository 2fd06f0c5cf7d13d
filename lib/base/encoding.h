/* Decoding an imported file without copying text that is UTF-8 already. */
#ifndef BTI_BASE_ENCODING_H
#define BTI_BASE_ENCODING_H

#include <stddef.h>
#include "bti/import.h"

/* bti_import_decode without its copy (issue 19: a copy of a large file was
 * a third of an import's peak memory): *text is the UTF-8 text of *textlen
 * bytes, either inside `in` (then *owned is NULL) or in *owned, a new
 * buffer the caller frees; the text is not NUL-terminated. */
int import_decode_view(const char *name, const char *in, size_t len, enum bti_encoding enc,
                       const char **text, size_t *textlen, char **owned, int *converted);

#endif
