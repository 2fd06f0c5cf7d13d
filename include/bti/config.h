/*
 * /etc/bti.conf: `key = value` lines, `#` comments.  Keys: db (the
 * database path), retention_years (how long closed cases are kept,
 * default 10).
 */
#ifndef BTI_CONFIG_H
#define BTI_CONFIG_H

#include <limits.h>
#ifndef PATH_MAX /* strict ISO C (-std=c11) hides it: Linux's own */
#include <linux/limits.h>
#endif

#define BTI_CONFIG_PATH "/etc/bti.conf"

struct bti_config {
    char db[PATH_MAX]; /* "" when not set */
    int retention_years;
};

/* Read the file at path into *out (defaults first).  A missing file is no
 * error; an unknown key or a bad value is BTI_EINVAL naming the line. */
int bti_config_read(const char *path, struct bti_config *out);

#endif
