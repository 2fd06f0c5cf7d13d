/*
 * Import of coordinators and cases from a spreadsheet's CSV file (SPEC
 * section 5): the KE's old overview moves into bti row by row, each case
 * replayed through the lifecycle as the commands would record it.
 *
 * The file comes as bytes or as a regular file the caller opened, read in
 * parts so that a large file is never held whole.  It is
 * read as UTF-8, UTF-16 with a byte order mark, or Windows-1252 (a UTF-8
 * byte order mark is dropped), its separator is ',', ';' or a tab (from the
 * header line), its line ends LF, CRLF or CR.  The header row names the columns from a fixed list; the names never
 * become SQL.  Every bad row is handed to the caller's callback as it is
 * found (up to BTI_IMPORT_REPORT_MAX rows), and then the import fails
 * whole: the caller rolls the transaction back, so nothing is written.
 */
#ifndef BTI_IMPORT_H
#define BTI_IMPORT_H

#include <stddef.h>
#include "bti/db.h"

/* Bad rows reported before the rest are only counted. */
#define BTI_IMPORT_REPORT_MAX 100

/* Rows between two progress calls. */
#define BTI_IMPORT_PROGRESS_EVERY 1000

/* A line (or a row running over several lines) longer than this is invalid. */
#define BTI_IMPORT_LINE_MAX (1024 * 1024)

enum bti_import_what {
    BTI_IMPORT_CASES,        /* name, born, nin, source, requests, received, ... */
    BTI_IMPORT_COORDINATORS, /* name, unit, email, phone */
};

enum bti_encoding {
    BTI_ENC_AUTO,         /* valid UTF-8 as UTF-8, anything else as Windows-1252 */
    BTI_ENC_UTF8,         /* UTF-8: invalid bytes are reported per cell */
    BTI_ENC_WINDOWS_1252, /* always converted from Windows-1252 */
    /* A file that starts with a UTF-16 byte order mark is UTF-16 in each. */
};

/* What the import tells its caller while it runs. */
enum bti_import_note {
    BTI_IMPORT_ERROR,    /* a bad row: "column 'x': what is wrong" (line set) */
    BTI_IMPORT_WARNING,  /* a value read with a repair, such as a 10-digit nin */
    BTI_IMPORT_ENCODING, /* the file is read as Windows-1252 (line 0, msg NULL) */
    BTI_IMPORT_PROGRESS, /* line holds the data rows read so far (msg NULL) */
};

/* Receives the notes.  msg names columns and rules, never a value of a
 * cell; it lives only during the call. */
typedef void (*bti_import_fn)(enum bti_import_note note, long long line, const char *msg,
                              void *arg);

struct bti_import_in {
    enum bti_import_what what;
    const char *name; /* the file as messages name it */
    const char *data; /* the file's bytes (need not end in NUL), or NULL: */
    int fd;           /* read the regular file fd (twice, in parts, with pread) */
    size_t len;       /* the bytes at data, or the file's size */
    enum bti_encoding encoding;
    int skip_existing; /* skip rows matching a person (or coordinator) who exists */
    bti_import_fn fn;  /* may be NULL */
    void *arg;
};

struct bti_import_out {
    long long rows;     /* data rows read (not the header, not blank lines) */
    long long imported; /* rows replayed */
    long long skipped;  /* rows matching an existing person (--skip-existing) */
    long long bad;      /* rows reported bad (the header counts as one) */
};

/* Import the file into db inside the caller's write transaction.  Returns
 * 0 when every row was imported or skipped.  With bad rows: BTI_EINVAL when
 * any row holds a bad value (or names an unknown unit or coordinator),
 * BTI_ERULE when every bad row was refused by a rule (a person who exists,
 * a step the lifecycle does not allow); the caller must then roll back.
 * A database failure stops the import at once with its own code. */
int bti_import(struct bti_db *db, const struct bti_import_in *in, struct bti_import_out *out);

/* Parse auto, utf-8 or windows-1252 into *out; BTI_EINVAL otherwise. */
int bti_encoding_parse(enum bti_encoding *out, const char *s);

/* The file's text as UTF-8, decoded through iconv: a UTF-16 byte order
 * mark means UTF-16 whatever enc says; else a UTF-8 byte order mark is
 * dropped and the rest read as enc (auto: valid UTF-8 as it is, anything
 * else as Windows-1252).  *out is a new NUL-terminated string of *outlen
 * bytes (bti_free); *converted says whether it was read as Windows-1252.  A
 * sequence the encoding does not allow is BTI_EINVAL naming the file (as
 * name), the line and the character. */
int bti_import_decode(const char *name, const char *in, size_t len, enum bti_encoding enc,
                      char **out, size_t *outlen, int *converted);

/* The separator of a CSV text, from its first line outside quotes: a tab
 * when it holds more tabs than commas and semicolons (Excel's "Unicode
 * text" and "Text (tab delimited)"), else ';' when it holds more
 * semicolons than commas, else ','. */
char bti_import_delimiter(const char *text, size_t len);

#endif
