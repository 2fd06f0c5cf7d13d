/* Reading /etc/bti.conf. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bti/config.h"
#include "bti/error.h"
#include "base/intl.h"

/* Trim white space from both ends of s in place. */
static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && strchr(" \t\r\n", s[n - 1]))
        s[--n] = '\0';
    return s;
}

/* Apply one `key = value` setting. */
static int apply(struct bti_config *cfg, const char *key, const char *value)
{
    if (strcmp(key, "db") == 0 && *value && strlen(value) < sizeof cfg->db) {
        strcpy(cfg->db, value);
        return 0;
    }
    if (strcmp(key, "retention_years") == 0) {
        char *end;
        long years = strtol(value, &end, 10);
        if (*value && !*end && years >= 1 && years <= 100) {
            cfg->retention_years = (int)years;
            return 0;
        }
    }
    return -1;
}

int bti_config_read(const char *path, struct bti_config *cfg)
{
    cfg->db[0] = '\0';
    cfg->retention_years = 10;
    FILE *fp = fopen(path, "r");
    if (!fp)
        return errno == ENOENT ? 0 : bti_error_set(BTI_EDB, _("cannot read '%s'"), path);
    char line[PATH_MAX + 64];
    int lineno = 0, rc = 0;
    while (rc == 0 && fgets(line, sizeof line, fp)) {
        lineno++;
        char *s = trim(line), *eq = strchr(s, '=');
        if (!*s || *s == '#')
            continue;
        if (eq)
            *eq = '\0';
        if (!eq || apply(cfg, trim(s), trim(eq + 1)) != 0)
            rc = bti_error_set(BTI_EINVAL, _("%s:%d: not a known 'key = value' setting"), path,
                               lineno);
    }
    fclose(fp);
    return rc;
}
