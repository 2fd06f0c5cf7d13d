/* libFuzzer target: the date parser (bti_date_parse), every form a
 * command or an imported cell may give, and the round trip of what it
 * accepts. */
#include <stdint.h>
#include <string.h>
#include "bti/date.h"
#include "bti/error.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = fz_string(data, size);
    bti_date today = 0, d = 0;
    bti_date_from_ymd(&today, 2026, 11, 22);
    if (bti_date_parse(&d, s, today, "date") == BTI_OK) {
        char buf[16], again[16];
        bti_date e = 0;
        bti_date_format(d, buf);
        if (bti_date_parse(&e, buf, today, "date") != BTI_OK || e != d)
            abort(); /* an accepted date prints as one that reads back the same */
        bti_date_format(bti_date_next_working_day(d), again);
    }
    free(s);
    return 0;
}
