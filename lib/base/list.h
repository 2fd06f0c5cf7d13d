/* Comma lists, id lists and words from a set (lib/base/list.c): no
 * database. */
#ifndef BTI_BASE_LIST_H
#define BTI_BASE_LIST_H

#include <stddef.h>

/* The length of the element of a comma-separated list that starts at p;
 * *next gets where the next one starts, or NULL after the last.  A comma at
 * the end gives a last, empty element, so callers that refuse empty
 * elements refuse it too:
 *     for (const char *p = s, *next; p; p = next) { n = list_elem(p, &next); ... } */
size_t list_elem(const char *p, const char **next);

/* Whether name is one of names, a NULL-terminated list (none when names
 * is NULL). */
int list_has(const char *const *names, const char *name);

/* Copy the comma-separated list s into out (size bytes) with the spaces
 * around each comma trimmed ("fastlege, skole" is "fastlege,skole"); an
 * empty element, or a list longer than out, is BTI_EINVAL naming `what`. */
int list_trim(const char *s, char *out, size_t size, const char *what);

/* Whether an access row's id list ("1-4,7,9-12", as db_rows_logged
 * writes it) holds id.  Older rows that end in ",+N more" hold only the ids
 * they name. */
int ids_hold(const char *list, long long id);

/* Check s against a NULL-terminated list of words; BTI_EINVAL naming
 * `what` and listing them. */
int check_word(const char *s, const char *const *words, const char *what);

#endif
