/* The items a case requests and is decided on (coordinator, ip, child) as
 * a set of bits, and as the comma list a person writes. */
#include <stdio.h>
#include <string.h>
#include "bti/case.h"
#include "bti/error.h"
#include "base/items.h"
#include "base/list.h"
#include "base/intl.h"

const char *const item_names[NITEMS] = {"coordinator", "ip", "child"};

int bti_items_parse(const char *s, unsigned *items, const char *what)
{
    char trimmed[64];
    *items = 0;
    if (!s || !*s)
        return bti_error_set(BTI_EINVAL, _("%s names no item"), what);
    int rc = list_trim(s, trimmed, sizeof trimmed, what);
    if (rc)
        return rc;
    for (const char *p = trimmed, *next; p; p = next) {
        size_t n = list_elem(p, &next);
        unsigned bit = 0;
        for (int i = 0; i < NITEMS; i++)
            if (strlen(item_names[i]) == n && strncmp(p, item_names[i], n) == 0)
                bit = 1u << i;
        if (!bit)
            return bti_error_set(BTI_EINVAL,
                                 _("invalid value for %s: expected coordinator, ip "
                                   "or child, comma-separated"),
                                 what);
        *items |= bit;
    }
    return 0;
}

char *bti_items_format(unsigned items, char *buf, size_t size)
{
    size_t len = 0;
    buf[0] = '\0';
    for (int i = 0; i < NITEMS; i++)
        if (items & (1u << i))
            len += (size_t)snprintf(buf + len, size > len ? size - len : 0, "%s%s", len ? "," : "",
                                    item_names[i]);
    return buf;
}
