/* bti: the working tool of a municipality's koordinerende enhet. */
#include <sqlite3.h>
#include "cmd.h"
#include "sqlmem.h"

int main(int argc, char **argv)
{
    /* SQLite counts every allocation under a global mutex for
     * sqlite3_memory_used(), which bti never asks; without the count an
     * import runs a tenth faster.  It is set before SQLite starts, and by
     * the program, since it holds for the whole process; so is its
     * allocator (cmd/sqlmem.c). */
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    cmd_sqlite_memory();
    return bti_main(argc, argv);
}
