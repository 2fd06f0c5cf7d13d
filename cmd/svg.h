/*
 * bti's own small SVG writer, for the charts of the gathering's page
 * (SPEC section 6): a few primitives (lines, rectangles, text) and a bar
 * chart drawn with them.  No script, no external resource.
 */
#ifndef BTI_SVG_H
#define BTI_SVG_H

#include <stdio.h>
#include <cjson/cJSON.h>

/* Write s with the characters XML gives meaning to escaped. */
void svg_escape(FILE *fp, const char *s);

/* Draw a bar chart of data (an object of numbers: one series; or of
 * objects of numbers: a series per inner key) as one inline <svg>.  A
 * value that is no number (a public report's "<5") gets no bar, only its
 * text.  label(key, buf, size) gives the readable name of a key. */
void svg_bar_chart(FILE *fp, const char *title, const cJSON *data,
                   const char *(*label)(const char *, char *, size_t));

#endif
