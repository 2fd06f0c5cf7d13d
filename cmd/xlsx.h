/*
 * The xlsx format of the output layer (SPEC section 6), through
 * libxlsxwriter: a workbook of typed cells, built in an unnamed temporary
 * file and copied to the output when finished.
 */
#ifndef BTI_XLSX_H
#define BTI_XLSX_H

#include <stdio.h>
#include <cjson/cJSON.h>
#include "output.h"

struct xlsx;

/* Start a workbook for output with opts (title, period; kept by pointer).
 * NULL with the error set on failure. */
struct xlsx *xlsx_begin(const struct out_opts *opts);

/* Start a listing's sheet: the title rows of a report, then the bold,
 * frozen header of the columns' labels. */
int xlsx_list_begin(struct xlsx *x, const char *sheet, const struct bti_col *cols, size_t ncols);

/* Write one row of the listing as typed cells. */
int xlsx_list_row(struct xlsx *x, const struct bti_col *cols, const struct bti_row *row);

/* Write an object: its scalars on a first sheet, each array of objects
 * and each object (but the period) on a sheet of its own. */
int xlsx_object(struct xlsx *x, const cJSON *obj);

/* Add the sheet "Charts": each chart's small table and a native column
 * chart over it (charts as in struct out_opts). */
int xlsx_charts(struct xlsx *x, const cJSON *charts);

/* Close the workbook and copy it to fp (not when `failed`); frees x. */
int xlsx_end(struct xlsx *x, FILE *fp, int failed);

#endif
