/* libFuzzer target: the /etc/bti.conf reader (bti_config_read) over a
 * memory file named through /proc/self/fd. */
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>
#include "bti/config.h"
#include "bti/error.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int fd = memfd_create("bti.conf", 0);
    if (fd < 0 || write(fd, data, size) != (ssize_t)size)
        abort();
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    struct bti_config cfg;
    if (bti_config_read(path, &cfg) == BTI_OK &&
        (cfg.retention_years < 1 || cfg.retention_years > 100))
        abort(); /* an accepted file gives a retention within its bounds */
    close(fd);
    return 0;
}
