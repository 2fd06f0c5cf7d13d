/*
 * A test-only SQLite VFS that injects I/O faults (issue 14): loaded into a
 * test run of bti with LD_PRELOAD, never linked into the bti that ships.
 * Its constructor registers, as the default VFS, a wrapper around the
 * default one that fails the Nth call of one kind and every later one (a
 * full disk stays full, a failing device keeps failing):
 *
 *     BTI_FAULT=write:N:full      xWrite returns SQLITE_FULL
 *     BTI_FAULT=write:N:ioerr     xWrite returns SQLITE_IOERR_WRITE
 *     BTI_FAULT=sync:N:ioerr      xSync returns SQLITE_IOERR_FSYNC (full: SQLITE_FULL)
 *     BTI_FAULT=truncate:N:ioerr  xTruncate returns SQLITE_IOERR_TRUNCATE
 *     BTI_FAULT=read:N:ioerr      read(2) fails with EIO (full too: a read
 *                                 has no full disk)
 *     BTI_FAULT=thread:N:ioerr    pthread_create fails with EAGAIN (full too)
 *
 * The last two are no VFS calls but interposed here: bti's own read(2) of
 * a file (restore's of the export; SQLite reads with pread and stdio with
 * glibc's own call), and the start of a thread (restore's reader).
 *
 * Calls are counted over every file the process opens.  When the fault
 * fires it says so once on stderr ("faultvfs: injected"), so a sweep over
 * N knows when N has passed the last call of the kind.
 */
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>

enum kind { K_NONE, K_WRITE, K_SYNC, K_TRUNCATE, K_READ, K_THREAD, K_KINDS };

static sqlite3_vfs *base_vfs;
static sqlite3_vfs fault_vfs;
static enum kind fault_kind;
static long fault_at, counts[K_KINDS];
static int fault_full, fault_said;

/* A file of the wrapper: the real file follows it in the same block. */
struct ffile {
    sqlite3_file file;
    sqlite3_file *real;
};

/* Count a call of kind k; the error to return, or SQLITE_OK. */
static int fault(enum kind k, int ioerr)
{
    if (k != fault_kind || ++counts[k] < fault_at)
        return SQLITE_OK;
    if (!fault_said) {
        static const char msg[] = "faultvfs: injected\n";
        fault_said = write(2, msg, sizeof msg - 1) > 0;
    }
    return fault_full ? SQLITE_FULL : ioerr;
}

#define REAL(f) (((struct ffile *)(f))->real)

static int f_close(sqlite3_file *f)
{
    return REAL(f)->pMethods->xClose(REAL(f));
}
static int f_read(sqlite3_file *f, void *buf, int n, sqlite3_int64 off)
{
    return REAL(f)->pMethods->xRead(REAL(f), buf, n, off);
}
static int f_write(sqlite3_file *f, const void *buf, int n, sqlite3_int64 off)
{
    int rc = fault(K_WRITE, SQLITE_IOERR_WRITE);
    return rc ? rc : REAL(f)->pMethods->xWrite(REAL(f), buf, n, off);
}
static int f_truncate(sqlite3_file *f, sqlite3_int64 size)
{
    int rc = fault(K_TRUNCATE, SQLITE_IOERR_TRUNCATE);
    return rc ? rc : REAL(f)->pMethods->xTruncate(REAL(f), size);
}
static int f_sync(sqlite3_file *f, int flags)
{
    int rc = fault(K_SYNC, SQLITE_IOERR_FSYNC);
    return rc ? rc : REAL(f)->pMethods->xSync(REAL(f), flags);
}
static int f_size(sqlite3_file *f, sqlite3_int64 *size)
{
    return REAL(f)->pMethods->xFileSize(REAL(f), size);
}
static int f_lock(sqlite3_file *f, int l)
{
    return REAL(f)->pMethods->xLock(REAL(f), l);
}
static int f_unlock(sqlite3_file *f, int l)
{
    return REAL(f)->pMethods->xUnlock(REAL(f), l);
}
static int f_reserved(sqlite3_file *f, int *out)
{
    return REAL(f)->pMethods->xCheckReservedLock(REAL(f), out);
}
static int f_control(sqlite3_file *f, int op, void *arg)
{
    return REAL(f)->pMethods->xFileControl(REAL(f), op, arg);
}
static int f_sector(sqlite3_file *f)
{
    return REAL(f)->pMethods->xSectorSize(REAL(f));
}
static int f_caps(sqlite3_file *f)
{
    return REAL(f)->pMethods->xDeviceCharacteristics(REAL(f));
}
static int f_shm_map(sqlite3_file *f, int pg, int pgsz, int extend, void volatile **out)
{
    return REAL(f)->pMethods->xShmMap(REAL(f), pg, pgsz, extend, out);
}
static int f_shm_lock(sqlite3_file *f, int off, int n, int flags)
{
    return REAL(f)->pMethods->xShmLock(REAL(f), off, n, flags);
}
static void f_shm_barrier(sqlite3_file *f)
{
    REAL(f)->pMethods->xShmBarrier(REAL(f));
}
static int f_shm_unmap(sqlite3_file *f, int del)
{
    return REAL(f)->pMethods->xShmUnmap(REAL(f), del);
}
static int f_fetch(sqlite3_file *f, sqlite3_int64 off, int n, void **out)
{
    return REAL(f)->pMethods->xFetch(REAL(f), off, n, out);
}
static int f_unfetch(sqlite3_file *f, sqlite3_int64 off, void *p)
{
    return REAL(f)->pMethods->xUnfetch(REAL(f), off, p);
}

static const sqlite3_io_methods fault_io = {
    3,          f_close,       f_read,      f_write,   f_truncate, f_sync, f_size,
    f_lock,     f_unlock,      f_reserved,  f_control, f_sector,   f_caps, f_shm_map,
    f_shm_lock, f_shm_barrier, f_shm_unmap, f_fetch,   f_unfetch,
};

/* Open the real file behind the wrapper's. */
static int f_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags, int *out)
{
    (void)vfs;
    struct ffile *p = (struct ffile *)f;
    p->real = (sqlite3_file *)&p[1];
    p->file.pMethods = NULL;
    int rc = base_vfs->xOpen(base_vfs, name, p->real, flags, out);
    if (p->real->pMethods)
        p->file.pMethods = &fault_io;
    return rc;
}

/* Read BTI_FAULT ("kind:N:full|ioerr"); 0 when it is unset or malformed. */
static int read_setting(void)
{
    const char *s = getenv("BTI_FAULT");
    char kind[16], how[16];
    long n;
    if (!s || sscanf(s, "%15[a-z]:%ld:%15[a-z]", kind, &n, how) != 3 || n < 1)
        return 0;
    fault_kind = !strcmp(kind, "write")      ? K_WRITE
                 : !strcmp(kind, "sync")     ? K_SYNC
                 : !strcmp(kind, "truncate") ? K_TRUNCATE
                 : !strcmp(kind, "read")     ? K_READ
                 : !strcmp(kind, "thread")   ? K_THREAD
                                             : K_NONE;
    fault_at = n;
    fault_full = !strcmp(how, "full");
    return fault_kind != K_NONE;
}

/* read(2) of bti's own: the Nth and every later one fails with BTI_FAULT=read. */
ssize_t read(int fd, void *buf, size_t n)
{
    if (fault(K_READ, 1)) {
        errno = EIO;
        return -1;
    }
    return syscall(SYS_read, fd, buf, n);
}

/* pthread_create of bti's own: the Nth and every later one fails with
 * BTI_FAULT=thread, as when the process may start no more threads. */
int pthread_create(pthread_t *thread, const pthread_attr_t *attr, void *(*start)(void *),
                   void *arg)
{
    int (*real)(pthread_t *, const pthread_attr_t *, void *(*)(void *), void *);
    if (fault(K_THREAD, 1))
        return EAGAIN;
    *(void **)&real = dlsym(RTLD_NEXT, "pthread_create");
    return real ? real(thread, attr, start, arg) : ENOSYS;
}

/* Register the wrapper as the default VFS when BTI_FAULT asks for faults
 * of SQLite's calls. */
__attribute__((constructor)) static void faultvfs_init(void)
{
    if (!read_setting() || fault_kind == K_READ || fault_kind == K_THREAD)
        return;
    base_vfs = sqlite3_vfs_find(NULL);
    if (!base_vfs)
        return;
    fault_vfs = *base_vfs;
    fault_vfs.zName = "bti-fault";
    fault_vfs.szOsFile = (int)sizeof(struct ffile) + base_vfs->szOsFile;
    fault_vfs.xOpen = f_open;
    fault_vfs.pNext = NULL;
    sqlite3_vfs_register(&fault_vfs, 1);
}
