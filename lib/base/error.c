/* The last error: a code, a message and an optional hint. */
#include <stdarg.h>
#include <stdio.h>
#include "bti/error.h"

static _Thread_local int last_code;
static _Thread_local char last_msg[512];
static _Thread_local char last_hint[512];

int bti_error_set(int rc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(last_msg, sizeof last_msg, fmt, ap);
    va_end(ap);
    last_hint[0] = '\0';
    last_code = rc;
    return rc;
}

int bti_error_set_hint(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(last_hint, sizeof last_hint, fmt, ap);
    va_end(ap);
    return last_code;
}

const char *bti_error_last(void)
{
    return last_msg;
}

const char *bti_error_hint(void)
{
    return last_hint[0] ? last_hint : NULL;
}

int bti_error_code(void)
{
    return last_code;
}

void bti_error_clear(void)
{
    last_code = 0;
    last_msg[0] = '\0';
    last_hint[0] = '\0';
}
