/*
 * Who owns what the library hands back.
 *
 * What a function makes and hands back (an object through a `**out`, or a
 * header's "new string") is the caller's, and goes back through the _free
 * that goes with it; every _free accepts NULL:
 *
 *     struct bti_db *       bti_db_close
 *     struct bti_restore *  bti_restore_free (bti_restore_end frees it too)
 *     cJSON *               bti_json_free
 *     char *                bti_free
 *
 * What comes back const (an error message, a state's name, a row of the
 * table of law, the columns of a listing, the values a bti_row_fn gets) is
 * the library's: never freed, and valid as its header says.  A function
 * that writes into the caller's buffer (bti_date_format, bti_law_cite, ...)
 * returns that buffer and allocates nothing.
 */
#ifndef BTI_MEM_H
#define BTI_MEM_H

#include <cjson/cJSON.h>

/* Free a string the library returned (bti_text_nfc, bti_text_fold,
 * bti_import_decode's text).  NULL is accepted. */
void bti_free(void *p);

/* Free a JSON object the library returned (bti_case_show, bti_status, ...),
 * with everything in it.  NULL is accepted. */
void bti_json_free(cJSON *obj);

#endif
