/* The items of a request (lib/base/items.c), in the order of their bits
 * in the sets bti_items_parse returns. */
#ifndef BTI_BASE_ITEMS_H
#define BTI_BASE_ITEMS_H

#define NITEMS 3
extern const char *const item_names[NITEMS];

#endif
