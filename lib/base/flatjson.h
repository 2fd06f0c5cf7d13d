/* Flat JSON objects as bti's export writes them, read without a tree
 * (lib/base/flatjson.c): private to lib/. */
#ifndef BTI_FLATJSON_H
#define BTI_FLATJSON_H

#include <cjson/cJSON.h>

/* One member of a JSON object: its key and value, as cJSON parses them
 * (a value that is no null, number or string is FJ_OTHER). */
struct fj_member {
    const char *key;
    enum fj_kind { FJ_NULL, FJ_NUMBER, FJ_STRING, FJ_OTHER } kind;
    double number;      /* FJ_NUMBER */
    const char *string; /* FJ_STRING */
};

/* Read the object at s into at most max members m (their keys and strings
 * decoded into *buf, which moves past them; strlen(s) + 1 bytes of room
 * are always enough) and set *end just past it.  It reads one shape only,
 * the one the export writes: no white space, values that are null,
 * strings without \u escapes or integers of at most 15 digits.  Returns
 * the number of members, or -1 for anything else (more than max members
 * too): then cJSON must read s, which gives the same members wherever
 * this returns any (tests/unit/check_flatjson.c). */
int fj_flat(const char *s, const char **end, struct fj_member *m, int max, char **buf);

/* The members of cJSON object o in m (at most max of them, its first);
 * returns how many it has. */
int fj_from_cjson(const cJSON *o, struct fj_member *m, int max);

/* Whether d is a whole number a double holds exactly (at most 2^53 from
 * zero); then *out is it. */
int fj_whole(double d, long long *out);

/* Whether m is such a whole number, as an integer column's value must be;
 * then *out is it. */
int fj_integer(const struct fj_member *m, long long *out);

/* The first of n members whose key is key ignoring case, as
 * cJSON_GetObjectItem finds it, or NULL. */
const struct fj_member *fj_get(const struct fj_member *m, int n, const char *key);

/* The first of n members whose key is key, as
 * cJSON_GetObjectItemCaseSensitive finds it, or NULL. */
const struct fj_member *fj_get_exact(const struct fj_member *m, int n, const char *key);

#endif
