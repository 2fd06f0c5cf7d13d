/* libFuzzer target: text validation (bti_text_check for every kind), and
 * the width and search functions over what it accepts. */
#include <stdint.h>
#include <string.h>
#include "bti/error.h"
#include "bti/text.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = fz_string(data, size);
    static const enum bti_text_kind kinds[] = {BTI_TEXT_NAME, BTI_TEXT_LABEL, BTI_TEXT_FREE};
    for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++) {
        if (bti_text_check(s, kinds[i], "text") != BTI_OK)
            continue;
        if (!bti_text_is_utf8(s, strlen(s)))
            abort(); /* accepted text is valid UTF-8 */
        (void)bti_text_width(s);
        (void)bti_text_contains_fold(s, "ø");
        (void)bti_text_mentions_word(s, "ola");
    }
    free(s);
    return 0;
}
