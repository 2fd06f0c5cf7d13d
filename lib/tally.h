/* The doctor's data check as a restore streams the export (lib/tally.c):
 * private to lib/. */
#ifndef BTI_TALLY_H
#define BTI_TALLY_H

#include <stddef.h>
#include "base/flatjson.h"

/* A digest of each data row and the outcome of the last audit entry of
 * its (table, id), kept while a restore's rows go in, so that the doctor
 * need not read the audit back row by row to compare them (issue 19). */
struct tally;

/* One column of a data table as the restore reads it: name, declared type
 * ('i' integer, 't' text, 'b' blob) and default as SQL text (or NULL). */
struct tally_column {
    const char *name;
    char type;
    const char *dflt;
};

/* A new, empty tally in *out; free it with tally_free (NULL is fine). */
int tally_new(struct tally **out);
void tally_free(struct tally *t);

/* The rows that follow are of data table number table (db_table(table)),
 * with these n columns (copied). */
int tally_table(struct tally *t, size_t table, const struct tally_column *cols, int n);

/* Column k of the data row being restored, as the restore bound it: x is
 * the row's member for the column, NULL when the export lacks the column
 * (its default was bound).  Called for k = 0, 1, ... in order. */
void tally_value(struct tally *t, int k, const struct fj_member *x);

/* The data row whose columns tally_value took is in. */
int tally_row(struct tally *t);

/* The n members of an audit row the restore bound; after every data row. */
int tally_audit(struct tally *t, const struct fj_member *row, int n);

/* Non-zero when every data row equals the values of its last audit entry
 * or that entry was erased, and the last entry of every row that is gone
 * was erased: what the doctor's data check would find, so that it need not
 * run.  Zero when anything is in doubt: then the doctor runs that check
 * and names what is wrong. */
int tally_proves(struct tally *t);

#endif
