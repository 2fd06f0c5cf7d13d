/* libFuzzer target: the nin validator (bti_nin_check, bti_nin_normalize)
 * and the masking of what it accepts. */
#include <stdint.h>
#include <string.h>
#include "bti/error.h"
#include "bti/nin.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = fz_string(data, size);
    bti_date born = 0;
    char norm[BTI_NIN_BUF], masked[BTI_NIN_BUF], spaced[BTI_NIN_BUF];
    int padded = 0;
    if (bti_nin_check(s, &born, "nin") == BTI_OK) {
        if (strlen(s) != 11 || bti_nin_check_born(s, born, "nin") != BTI_OK)
            abort(); /* an accepted nin is 11 digits and agrees with its own date */
        bti_nin_mask(s, masked);
        bti_nin_spaced(s, spaced);
    }
    if (bti_nin_normalize(norm, s, &padded, "nin") == BTI_OK)
        (void)bti_nin_check(norm, &born, "nin");
    free(s);
    return 0;
}
