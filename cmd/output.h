/*
 * The one output layer: every listing and every show goes through here and
 * comes out as an aligned table, JSON, CSV or the excel dialect (SPEC
 * section 6).  The terminal may change decoration (colour), never the format.
 */
#ifndef BTI_OUTPUT_H
#define BTI_OUTPUT_H

#include <stdio.h>
#include <cjson/cJSON.h>
#include "base/intl.h"
#include "bti/row.h"

enum out_format { OUT_TABLE, OUT_JSON, OUT_CSV, OUT_EXCEL, OUT_XLSX, OUT_HTML };

struct out_opts {
    enum out_format format;
    int raw;      /* CSV without formula neutralising */
    int color;    /* decorate table headers (only ever set for a terminal) */
    FILE *fp;     /* where the data goes (stdout, or the pager) */
    size_t width; /* the terminal's columns a table fits into (0: no limit) */
    /* a report's title and period (ISO dates), or NULL: CSV adds the
     * columns from and to, xlsx and html open with title and period; an
     * object's html page (person export) is titled by title alone */
    const char *title, *from, *to;
    const char *made; /* the date a report was made (html) */
    /* a report's charts (xlsx and html): an array of {title, data}, data an
     * object of numbers, or of objects of numbers (a series per inner key) */
    const cJSON *charts;
};

struct out_list;

/* Start a listing with these columns.  Returns NULL on allocation failure
 * (with the bti error set). */
struct out_list *out_list_begin(const struct out_opts *opts, const struct bti_col *cols,
                                size_t ncols);

/* Write one row; a bti_row_fn, so the library can call it directly with the
 * out_list as its argument.  Returns 0, or BTI_EDB on a write error. */
int out_list_row(const struct bti_row *row, void *list);

/* Finish the listing (the closing "]" of JSON; the buffered rows of a table)
 * and free it.  Returns 0, or BTI_EDB on a write error. */
int out_list_end(struct out_list *list);

/* Write one object (a `show`).  JSON: the object.  Table: "key: value" lines,
 * then each array of objects as a titled sub-table.  CSV/excel: a header
 * and one row when the object is flat; BTI_EUSAGE when it holds arrays or
 * objects (the shape does not fit one CSV table). */
int out_object(const struct out_opts *opts, const cJSON *obj);

/* The columns of the terminal that fd is, for out_opts.width: COLUMNS when
 * it is a positive number, else the terminal's own size; 0 when fd is no
 * terminal. */
size_t out_terminal_width(int fd);

/* Write one object as a self-contained html page titled `title`
 * (cmd/output_html.c); BTI_EUSAGE without a title: the command has no
 * page. */
int out_object_html(FILE *fp, const cJSON *obj, const char *title);

/* The readable label of an output key (a header in xlsx and html): from
 * the one table of labels, or made from the key in buf (size bytes). */
const char *out_label(const char *key, char *buf, size_t size);

/* The header of key in the table and excel formats: its translated label,
 * or the key itself where the language is English (SPEC section 12). */
const char *out_header(const char *key);

/* value in the human formats: translated when key holds enum words. */
const char *out_value(const char *key, const char *value);

/* value in the human formats with each of its words translated: the
 * comma-separated enum words of a list, the dotted keys of a report's
 * section and metric; value itself when no word translates, else buf. */
const char *out_words(const char *key, const char *value, char *buf, size_t size);

/* A table's date: iso's leading YYYY-MM-DD in the language's format, and
 * the rest of iso as it is, into buf; NULL when iso stays as it is. */
char *out_date(const char *iso, char *buf, size_t size);

/* Write d into buf (32 bytes) rounded for people: at most two decimals,
 * trailing zeros dropped.  Returns buf. */
char *out_people_number(double d, char *buf);

/* Parse a --format value; BTI_EINVAL for anything else. */
int out_format_parse(enum out_format *out, const char *s);

#endif
