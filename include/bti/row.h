/*
 * Rows as the library hands them to the command line's output layer.
 *
 * A listing is a fixed list of typed columns and a stream of rows, each row
 * one value per column.  The library calls a bti_row_fn per row; nothing is
 * buffered, so memory does not grow with the rows.  The values belong to
 * the library and live only during the call.
 */
#ifndef BTI_ROW_H
#define BTI_ROW_H

#include <stddef.h>

enum bti_type {
    BTI_T_INT,  /* an integer (ids, counts); a count a public report hides ("<5") is .s */
    BTI_T_REAL, /* a decimal number (medians); decimal comma in the excel dialect */
    BTI_T_TEXT, /* any text */
    BTI_T_DATE, /* an ISO date YYYY-MM-DD */
    BTI_T_TIME, /* a UTC timestamp YYYY-MM-DDTHH:MM:SSZ; local time in tables */
    BTI_T_BOOL, /* true / false */
    BTI_T_NIN,  /* a nin, masked unless identified; DDMMYY NNNNN in excel */
    BTI_T_LIST, /* words joined by commas ("coordinator,ip"): a JSON array of strings;
                 * the CSV cell and the table keep the joined text */
    BTI_T_OBJECT, /* a JSON object's text, written as the object in JSON, as its text
                   * in CSV, and as key=value pairs in a table */
};

struct bti_col {
    const char *key; /* snake_case: the JSON key and the CSV header */
    enum bti_type type;
};

struct bti_value {
    int null;
    long long i;   /* BTI_T_INT, BTI_T_BOOL */
    double r;      /* BTI_T_REAL */
    const char *s; /* BTI_T_TEXT, _DATE, _TIME, _NIN */
};

struct bti_row {
    const struct bti_col *cols;
    size_t ncols;
    const struct bti_value *vals;
};

/* The columns of a listing, fixed for the listing's whole life. */
struct bti_cols {
    const struct bti_col *col;
    size_t n;
};

#define BTI_COLS(array)                                                                            \
    {                                                                                              \
        array, sizeof array / sizeof array[0]                                                      \
    }

/* Called once per row; a non-zero return stops the listing and is returned
 * by the listing function (use a bti_rc). */
typedef int (*bti_row_fn)(const struct bti_row *row, void *arg);

#endif
