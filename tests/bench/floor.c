/*
 * make bench's floor (SPEC section 10): the least a point command can do.
 * Opens the database, inserts one access row and commits it durably
 * (synchronous=FULL), then closes.  Usage: floor DB
 */
#include <sqlite3.h>
#include <stdio.h>

int main(int argc, char **argv)
{
    static const char sql[] =
        "PRAGMA synchronous=FULL;"
        "INSERT INTO access(at, login, command, entity, what, rows)"
        " VALUES (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 'bench', 'floor', 'ke_case', '1', 1);";
    sqlite3 *h = NULL;
    if (argc != 2 || sqlite3_open_v2(argv[1], &h, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK ||
        sqlite3_exec(h, sql, NULL, NULL, NULL) != SQLITE_OK) {
        fprintf(stderr, "floor: %s\n", h ? sqlite3_errmsg(h) : "usage: floor DB");
        sqlite3_close(h);
        return 1;
    }
    return sqlite3_close(h) == SQLITE_OK ? 0 : 1;
}
