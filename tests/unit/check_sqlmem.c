/* Unit tests of SQLite's allocator for the bti program (cmd/sqlmem.c):
 * sizes, alignment, reuse of freed blocks, realloc keeping the contents,
 * small blocks from malloc once its chunks are spent. */
#include <check.h>
#include <stdint.h>
#include <string.h>
#include "sqlmem.h"

START_TEST(a_block_holds_what_was_asked_and_is_aligned)
{
    const sqlite3_mem_methods *m = cmd_sqlite_allocator();
    static const int sizes[] = {1, 8, 15, 16, 17, 100, 1023, 1024, 1025, 5000};
    for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
        char *p = m->xMalloc(sizes[i]);
        ck_assert_ptr_nonnull(p);
        ck_assert_int_eq((uintptr_t)p % 8, 0);
        ck_assert_int_ge(m->xSize(p), sizes[i]);
        ck_assert_int_eq(m->xSize(p), m->xRoundup(sizes[i]));
        memset(p, 0xa5, (size_t)m->xSize(p));
        m->xFree(p);
    }
    ck_assert_int_eq(m->xSize(NULL), 0);
    m->xFree(NULL);
}
END_TEST

START_TEST(a_freed_small_block_is_reused_by_its_size_class)
{
    const sqlite3_mem_methods *m = cmd_sqlite_allocator();
    void *a = m->xMalloc(40);
    m->xFree(a);
    ck_assert_ptr_eq(m->xMalloc(48), a); /* the same class of 48 bytes */
    void *b = m->xMalloc(40);
    ck_assert_ptr_ne(b, a);
    m->xFree(a);
    m->xFree(b);
}
END_TEST

START_TEST(realloc_keeps_the_contents)
{
    const sqlite3_mem_methods *m = cmd_sqlite_allocator();
    char *p = m->xMalloc(20);
    memcpy(p, "nineteen characters", 20);
    ck_assert_ptr_eq(m->xRealloc(p, 30), p); /* still its class of 32 */
    char *q = m->xRealloc(p, 3000);          /* small to large */
    ck_assert_str_eq(q, "nineteen characters");
    ck_assert_int_ge(m->xSize(q), 3000);
    char *r = m->xRealloc(q, 10); /* and back, cut to what fits */
    ck_assert_int_eq(memcmp(r, "nineteen c", 10), 0);
    ck_assert_int_eq(m->xSize(r), 16);
    m->xFree(r);
}
END_TEST

/* More small blocks than the chunks hold (64 of 64 KiB): the rest come
 * from malloc, and every one holds its bytes and is freed. */
START_TEST(small_blocks_past_the_chunks_come_from_malloc)
{
    const sqlite3_mem_methods *m = cmd_sqlite_allocator();
    enum { N = 6000 }; /* of 1 KiB and their headers: past 4 MiB */
    static char *p[N];
    for (int i = 0; i < N; i++) {
        p[i] = m->xMalloc(1000);
        ck_assert_ptr_nonnull(p[i]);
        ck_assert_int_eq((uintptr_t)p[i] % 8, 0);
        ck_assert_int_eq(m->xSize(p[i]), 1008);
        memset(p[i], i % 251, 1000);
    }
    for (int i = 0; i < N; i++) {
        ck_assert_int_eq((unsigned char)p[i][999], i % 251);
        char *q = m->xRealloc(p[i], 1001); /* the same class: in place */
        ck_assert_ptr_eq(q, p[i]);
        m->xFree(q);
    }
}
END_TEST

Suite *make_sqlmem_suite(void)
{
    Suite *s = suite_create("sqlmem");
    TCase *tc = tcase_create("sqlmem");
    tcase_add_test(tc, a_block_holds_what_was_asked_and_is_aligned);
    tcase_add_test(tc, a_freed_small_block_is_reused_by_its_size_class);
    tcase_add_test(tc, realloc_keeps_the_contents);
    tcase_add_test(tc, small_blocks_past_the_chunks_come_from_malloc);
    suite_add_tcase(s, tc);
    return s;
}
