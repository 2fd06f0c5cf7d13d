/* libFuzzer target: the CSV import row reader (bti_import, cases and
 * coordinators) on a scratch database, each input in a transaction that
 * is rolled back.  The first byte chooses the table and the encoding. */
#include <stdint.h>
#include "bti/db.h"
#include "bti/error.h"
#include "bti/import.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct bti_db *db;
    if (!db)
        db = fz_db(0);
    if (size < 1)
        return 0;
    struct bti_import_in in = {
        .what = data[0] & 1 ? BTI_IMPORT_COORDINATORS : BTI_IMPORT_CASES,
        .name = "fuzz.csv",
        .data = (const char *)data + 1,
        .len = size - 1,
        .encoding = (enum bti_encoding)((data[0] >> 1) % 3),
        .skip_existing = (data[0] >> 3) & 1,
    };
    struct bti_import_out out = {0};
    if (bti_db_begin(db, 1) != BTI_OK)
        abort();
    bti_import(db, &in, &out);
    if (bti_db_rollback(db) != BTI_OK)
        abort();
    return 0;
}
