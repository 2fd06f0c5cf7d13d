/* SQLite's allocator for the bti program (cmd/sqlmem.c). */
#ifndef BTI_CMD_SQLMEM_H
#define BTI_CMD_SQLMEM_H

#include <sqlite3.h>

/* Give SQLite the program's allocator, size-class free lists for small
 * blocks, except under AddressSanitizer and valgrind.  Call before SQLite
 * starts. */
void cmd_sqlite_memory(void);

/* That allocator's methods (for its tests). */
const sqlite3_mem_methods *cmd_sqlite_allocator(void);

#endif
