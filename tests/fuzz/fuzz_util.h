/* Shared helpers of the libFuzzer targets (tests/fuzz/fuzz_*.c): the
 * input as a NUL-terminated string, and a scratch database made once per
 * process in its own mkdtemp directory (removed at exit).  Only synthetic
 * data ever reaches these targets. */
#ifndef BTI_FUZZ_UTIL_H
#define BTI_FUZZ_UTIL_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "bti/date.h"
#include "bti/db.h"

/* The input as a new NUL-terminated string (free). */
static inline char *fz_string(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        abort();
    memcpy(s, data, size);
    s[size] = '\0';
    return s;
}

static char fz_dir[32], fz_path[64];
static struct bti_ctx fz_ctx;

/* Remove the scratch database and its directory. */
static inline void fz_cleanup(void)
{
    static const char *const tails[] = {"", "-wal", "-shm", "-journal"};
    char p[80];
    for (size_t i = 0; i < sizeof tails / sizeof *tails; i++) {
        snprintf(p, sizeof p, "%s%s", fz_path, tails[i]);
        unlink(p);
    }
    rmdir(fz_dir);
}

/* A scratch database at a new path: empty (for restore) or with the
 * schema and its admin (for import).  The context is login root (the seed export's admin), today
 * 2026-11-22. */
static inline struct bti_db *fz_db(int empty)
{
    snprintf(fz_dir, sizeof fz_dir, "/tmp/bti-fuzz-XXXXXX");
    if (!mkdtemp(fz_dir))
        abort();
    snprintf(fz_path, sizeof fz_path, "%s/bti.db", fz_dir);
    bti_date today = 0;
    bti_date_from_ymd(&today, 2026, 11, 22);
    fz_ctx.login = "root"; /* the admin of the restore seed */
    fz_ctx.command = empty ? "restore" : "import cases";
    fz_ctx.today = fz_ctx.real_today = today;
    fz_ctx.identify = 1;
    fz_ctx.busy_ms = 1000;
    struct bti_db *db = NULL;
    int rc =
        empty ? bti_db_create_empty(&db, fz_path, &fz_ctx) : bti_db_create(&db, fz_path, &fz_ctx);
    if (rc != 0)
        abort();
    atexit(fz_cleanup);
    return db;
}

#endif
