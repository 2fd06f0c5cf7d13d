/*
 * SQLite's allocator for the bti program (issue 19).  The system's SQLite
 * is built without lookaside memory, so every parse node, schema object
 * and cursor it makes is a malloc and a free: a fifth of a point
 * command's instructions went to glibc's allocator.  Blocks up to SMALL
 * bytes come instead from per-size free lists carved out of 64 KiB
 * chunks, which are never given back (a command is a short process), up
 * to CHUNKS_MAX of them; larger blocks, and small ones once the chunks
 * are spent, go to malloc.  Each block is preceded by its size, 8 bytes,
 * so blocks stay 8-byte aligned as SQLite needs.  Single-threaded, as bti
 * is.  Under AddressSanitizer and valgrind SQLite keeps the system's
 * allocator, so they still see every block.
 */
#include <sqlite3.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <valgrind/valgrind.h>
#include "sqlmem.h"

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif
#ifndef UNDER_ASAN
#define UNDER_ASAN 0
#endif

#define GRAIN 16    /* the size classes' step */
#define SMALL 1024  /* the largest block served from the free lists */
#define CHUNK 65536 /* what the free lists are carved from */
#define HEADER 8    /* the size before each block */
/* A point command's parse needs a few chunks.  A free list keeps what its
 * class once held, never coalesced, so without a bound a long import held
 * every class's peak at once: 84 MB at 300,000 cases against malloc's 45. */
#define CHUNKS_MAX 64
#define FROM_MALLOC 1 /* set in a header: the block is malloc's (sizes are even) */

static void *free_list[SMALL / GRAIN + 1]; /* per class: the first free block */
static void *chunks;                       /* every chunk, linked by its first word */
static int nchunks;                        /* how many */
static char *next, *end;                   /* what is left of the newest chunk */

/* The size class (a multiple of GRAIN) that holds n bytes. */
static int class_of(int n)
{
    return (n + GRAIN - 1) / GRAIN * GRAIN;
}

/* A new block of size bytes and its header from the newest chunk, taking
 * a new chunk when it has no room; NULL when the chunks are spent or out
 * of memory. */
static uint64_t *carve(size_t size)
{
    if ((size_t)(end - next) < size) {
        void **chunk = nchunks < CHUNKS_MAX ? malloc(CHUNK) : NULL;
        if (!chunk)
            return NULL;
        *chunk = chunks; /* the list keeps every chunk reachable */
        chunks = chunk;
        nchunks++;
        next = (char *)chunk + GRAIN;
        end = (char *)chunk + CHUNK;
    }
    uint64_t *h = (uint64_t *)next;
    next += size;
    return h;
}

/* xRoundup: what a request of n bytes gets. */
static int mem_roundup(int n)
{
    return n <= SMALL ? class_of(n) : (n + 7) & ~7;
}

/* xMalloc: a block of at least n bytes. */
static void *mem_malloc(int n)
{
    int size = mem_roundup(n > 0 ? n : 1);
    uint64_t *h = NULL;
    if (size <= SMALL && (h = free_list[size / GRAIN]) != NULL)
        free_list[size / GRAIN] = *(void **)(h + 1);
    else if (size <= SMALL)
        h = carve(HEADER + (size_t)size);
    if (h)
        *h = (uint64_t)size;
    else if ((h = malloc(HEADER + (size_t)size)) != NULL)
        *h = (uint64_t)size | FROM_MALLOC;
    else
        return NULL;
    return h + 1;
}

/* xFree: a chunk's block goes back on its class's list, malloc's to free. */
static void mem_free(void *p)
{
    if (!p)
        return;
    uint64_t *h = (uint64_t *)p - 1;
    if (*h & FROM_MALLOC) {
        free(h);
        return;
    }
    *(void **)p = free_list[*h / GRAIN];
    free_list[*h / GRAIN] = h;
}

/* xSize: the bytes a block can hold. */
static int mem_size(void *p)
{
    return p ? (int)(((uint64_t *)p)[-1] & ~(uint64_t)FROM_MALLOC) : 0;
}

/* xRealloc: p as a block of n bytes, p itself when its size is right. */
static void *mem_realloc(void *p, int n)
{
    int have = mem_size(p);
    if (p && mem_roundup(n) == have)
        return p;
    void *q = mem_malloc(n);
    if (q && p) {
        memcpy(q, p, (size_t)(have < n ? have : n));
        mem_free(p);
    }
    return q;
}

/* xInit and xShutdown: nothing to do. */
static int mem_init(void *arg)
{
    (void)arg;
    return SQLITE_OK;
}

static void mem_shutdown(void *arg)
{
    (void)arg;
}

const sqlite3_mem_methods *cmd_sqlite_allocator(void)
{
    static const sqlite3_mem_methods methods = {mem_malloc,  mem_free, mem_realloc,  mem_size,
                                                mem_roundup, mem_init, mem_shutdown, NULL};
    return &methods;
}

void cmd_sqlite_memory(void)
{
    if (!UNDER_ASAN && !RUNNING_ON_VALGRIND)
        sqlite3_config(SQLITE_CONFIG_MALLOC, cmd_sqlite_allocator());
}
