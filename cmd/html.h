/*
 * The html format of the output layer (SPEC section 6): the page for the
 * coordinators' gathering, one self-contained file (inline CSS and SVG, no
 * script, no external resource) that prints on A4.
 */
#ifndef BTI_HTML_H
#define BTI_HTML_H

#include "output.h"

struct html;

/* Start the page on opts->fp: title, period, the date made and the charts
 * of opts; the rows that follow become plain tables.  NULL with the error
 * set on failure. */
struct html *html_begin(const struct out_opts *opts, const struct bti_col *cols, size_t ncols);

/* Add one row: a long-form report (its first column "section") gets a
 * table per section, anything else one table. */
int html_list_row(struct html *h, const struct bti_row *row);

/* Finish the page and free h; 0, or the write error. */
int html_end(struct html *h);

#endif
