/*
 * Private output files (SPEC section 6): the one writer behind `-o FILE`
 * and `export FILE`.  The output goes to an unnamed temporary file (0600)
 * in the target's directory and gets its name only when the command has
 * succeeded: a kill or a failure leaves nothing behind.
 */
#ifndef BTI_OUTFILE_H
#define BTI_OUTFILE_H

#include <limits.h>
#include <stdio.h>

struct outfile {
    FILE *fp; /* where the output goes until it is linked */
    int fd;
    int force;  /* replace an existing target (through a rename) */
    int linked; /* the target holds the output */
    char target[PATH_MAX];
    char dir[PATH_MAX];
};

/* Open the unnamed file for target: BTI_ERULE when target exists (unless
 * force), BTI_EDB when its directory lies on a file system without Unix
 * modes or allows no file.  Close with outfile_close even on failure. */
int outfile_open(struct outfile *f, const char *target, int force);

/* Flush and sync the output and give it the target's name (once). */
int outfile_link(struct outfile *f);

/* Close the file; a linked target is removed again when `failed` (the
 * command failed after linking it, at its commit). */
void outfile_close(struct outfile *f, int failed);

/* Non-zero when standard output is a regular file others can read. */
int outfile_stdout_readable(void);

/* Refuse identified output to such a standard output (BTI_ERULE). */
int outfile_identified_refused(void);

#endif
