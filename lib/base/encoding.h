/* Decoding an imported file without copying text that is UTF-8 already. */
#ifndef BTI_BASE_ENCODING_H
#define BTI_BASE_ENCODING_H

#include <stddef.h>
#include "bti/import.h"

/* bti_import_decode without its copy (issue 19: a copy of a large file was
 * a third of an import's peak memory): *text is the UTF-8 text of *textlen
 * bytes, either inside `in` (then *owned is NULL) or in *owned, a new
 * buffer the caller frees; the text is not NUL-terminated. */
int import_decode_view(const char *name, const char *in, size_t len, enum bti_encoding enc,
                       const char **text, size_t *textlen, char **owned, int *converted);

/* A file's text read in parts as UTF-8 (issue 19: an import held the
 * whole file, a third of its peak memory at 300,000 cases).  Opening reads
 * the file through once: its byte order mark, its encoding (auto: whether
 * all of it is UTF-8), whether every byte decodes (the error names line
 * and character, as bti_import_decode's does), its lines and whether it
 * holds anything but white space.  Then text_in_more reads it again a part
 * at a time into the window text[start, end), which the reader empties from
 * the front by moving start. */
struct text_in {
    const char *name; /* the file as messages name it */
    const char *data; /* the file's bytes, or NULL: read from fd */
    int fd;
    size_t len;        /* the file's bytes (as its size was when opened) */
    size_t skip;       /* the UTF-8 byte order mark dropped */
    const char *from;  /* the encoding converted from (an iconv name), or NULL */
    void *cd;          /* the conversion (an iconv_t), or NULL */
    size_t off;        /* the bytes read so far */
    char raw[64 * 1024];
    size_t rawlen;     /* bytes read and not yet decoded */
    long long line, character; /* where the decoded text has come to */
    int cr;            /* the last byte decoded was a carriage return */
    char *text;
    size_t start, end, cap;
    int eof;            /* the whole file is in the window or read */
    long long lines;    /* the lines of the text (line ends + 1) */
    int blank;          /* the text is only spaces, tabs and line ends */
};

/* Open the len bytes at data, or when data is NULL the regular file fd of
 * len bytes, as enc; *converted says whether it is read as Windows-1252.
 * Refuses what bti_import_decode refuses; a file that grows while it is
 * read is BTI_EINVAL.  text_in_close frees it, also after a failure. */
int text_in_open(struct text_in *t, const char *name, const char *data, int fd, size_t len,
                 enum bti_encoding enc, int *converted);

/* Read and decode the next part of the file onto the end of the window
 * (after dropping text[0, start)); sets eof after the last. */
int text_in_more(struct text_in *t);

/* Free what t holds. */
void text_in_close(struct text_in *t);

#endif
