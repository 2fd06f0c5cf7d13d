/* Marking strings a person reads for translation (SPEC section 12).
 *
 * _() translates at run time in bti's own text domain, so the library
 * translates its messages even when a program other than bti has set its own
 * domain; N_() only marks a string in a static table for xgettext, and the
 * code translates it with _() where it is shown.  Machine formats (JSON keys,
 * CSV headers, enum values in JSON and CSV) are never marked. */
#ifndef BTI_BASE_INTL_H
#define BTI_BASE_INTL_H

#include <libintl.h>

#define BTI_TEXTDOMAIN "bti"
#define _(msgid) dgettext(BTI_TEXTDOMAIN, msgid)
#define N_(msgid) msgid

#endif
