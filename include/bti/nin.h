/*
 * Norwegian national identity numbers (fodselsnummer), D-numbers and
 * synthetic test numbers (SPEC section 1).
 *
 * A nin is 11 digits DDMMYYIIIKK: birth date, individual number and two
 * mod-11 check digits.  A D-number adds 40 to the day; a synthetic test
 * number (the national synthetic population) adds 80 to the month.  The
 * century comes from the individual number.
 */
#ifndef BTI_NIN_H
#define BTI_NIN_H

#include "bti/date.h"

#define BTI_NIN_LEN 11
/* Room for a nin, a masked nin or "DDMMYY NNNNN" and its NUL. */
#define BTI_NIN_BUF 13

/* Check nin: 11 digits, valid check digits, a real birth date.  On success
 * the birth date goes to *born (may be NULL).  On failure BTI_EINVAL with a
 * message naming `what` and the rule broken, never the value. */
int bti_nin_check(const char *nin, bti_date *born, const char *what);

/* Check nin and that it agrees with the birth date `born`. */
int bti_nin_check_born(const char *nin, bti_date born, const char *what);

/* Normalise a nin as a spreadsheet may hold it: "DDMMYY NNNNN" loses its
 * space, and 10 digits (Excel dropped the leading zero) get it back, with
 * *padded set.  out has BTI_NIN_BUF bytes.  No check-digit validation:
 * call bti_nin_check on the result. */
int bti_nin_normalize(char *out, const char *in, int *padded, const char *what);

/* The nin as printed without --identify: the first six digits and five
 * asterisks.  out has BTI_NIN_BUF bytes; returns out. */
char *bti_nin_mask(const char *nin, char *out);

/* The nin as "DDMMYY NNNNN" (the excel dialect keeps its leading zero). */
char *bti_nin_spaced(const char *nin, char *out);

#endif
