/*
 * bti error codes and the last error message.
 *
 * Every library function that can fail returns an int from enum bti_rc.
 * The values are the process exit codes of SPEC section 7, so the command
 * line maps them 1:1.  On failure the library leaves a message (and maybe a
 * hint) that bti_error_last() and bti_error_hint() return until the next
 * failure.  The message and the hint are the library's (never freed) and
 * kept per thread until that thread's next failure.  Messages never quote
 * a name, nin or free text: they name the field, line and rule instead.
 */
#ifndef BTI_ERROR_H
#define BTI_ERROR_H

enum bti_rc {
    BTI_OK = 0,
    BTI_ERULE = 1,     /* refused by a rule */
    BTI_EUSAGE = 2,    /* unknown command or option, missing argument */
    BTI_ENOTFOUND = 3, /* no such case, person, unit, ... */
    BTI_EINVAL = 4,    /* a bad value */
    BTI_EBUSY = 5,     /* database locked past the timeout */
    BTI_EDB = 6,       /* database or I/O failure, no database, newer schema */
    BTI_ECHECK = 7,    /* a check found a problem */
    BTI_EDENIED = 8,   /* login lacks the role */
};

/* Set the message for code rc (printf-style) and return rc.  Clears the hint. */
int bti_error_set(int rc, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Set the hint line that goes with the current message.  Returns the current code. */
int bti_error_set_hint(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The message of the last failure, or "" when none. */
const char *bti_error_last(void);

/* The hint of the last failure, or NULL when none. */
const char *bti_error_hint(void);

/* The code of the last failure, or BTI_OK. */
int bti_error_code(void);

void bti_error_clear(void);

#endif
