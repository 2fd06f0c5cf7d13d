/* libFuzzer target: the restore reader (an export file is untrusted
 * input): the input's lines fed to bti_restore_line on an empty scratch
 * database, then bti_restore_end, in a transaction that is rolled back. */
#include <stdint.h>
#include <string.h>
#include "bti/db.h"
#include "bti/error.h"
#include "bti/export.h"
#include "fuzz_util.h"

/* Feed s line by line (LF ends a line); the first failure ends it. */
static int feed(struct bti_restore *r, char *s)
{
    long long lineno = 0;
    for (char *line = s; line;) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        int rc = bti_restore_line(r, line, ++lineno);
        if (rc != BTI_OK)
            return rc;
        line = nl ? nl + 1 : NULL;
    }
    return BTI_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct bti_db *db;
    if (!db)
        db = fz_db(1);
    char *s = fz_string(data, size);
    struct bti_restore *r = NULL;
    if (bti_db_begin(db, 1) != BTI_OK)
        abort();
    if (bti_restore_begin(db, &r) == BTI_OK) {
        if (feed(r, s) == BTI_OK)
            bti_restore_end(r, NULL, "00");
        else
            bti_restore_free(r);
    }
    if (bti_db_rollback(db) != BTI_OK)
        abort();
    free(s);
    return 0;
}
