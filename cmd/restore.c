/*
 * bti restore FILE: an export into a new database at the --db path.  Every
 * value is validated as the commands do, the audit chain verified (and
 * --head, if given), and the restore recorded with the file's SHA-256; on
 * any failure no database is left behind.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <nettle/sha2.h>
#include <sys/stat.h>
#include "base/intl.h"
#include "bti/error.h"
#include "bti/export.h"
#include "cmd.h"

#define LINE_LIMIT (1024 * 1024)
/* The bytes read from the export at a time: with stdio's 4 KiB, 220,000
 * reads at 100,000 cases, each a system call (issue 19). */
#define READ_BUFFER (1024 * 1024)
/* The blocks read ahead of the one being restored. */
#define READ_AHEAD 4

/* The export, read and hashed by a second thread a few blocks ahead of
 * the restore, which parses each block in place: hashing 600 MB of export
 * was a twentieth of a restore of 100,000 cases (issue 19).  The thread
 * touches nothing but the file, the blocks and the hash; every byte is
 * hashed exactly as it is restored. */
struct reader {
    int fd;
    int running; /* the thread was started (and is to be joined) */
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t moved; /* a block was filled or given back, or the reading ended */
    char *block[READ_AHEAD];
    size_t len[READ_AHEAD];
    long long filled, taken; /* blocks read so far; blocks the restore gave back */
    int end, error, stop;    /* the file ended; read's errno; the restore stopped */
    struct sha256_ctx hash;
};

/* Fill buf from fd: its size in bytes, fewer only at the end of the file;
 * -1 on an error (errno set). */
static ssize_t read_full(int fd, char *buf, size_t size)
{
    size_t got = 0;
    while (got < size) {
        ssize_t n = read(fd, buf + got, size - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        if (n == 0)
            break;
        got += (size_t)n;
    }
    return (ssize_t)got;
}

/* The reading thread: fill the free blocks in turn, hashing each, until
 * the file ends, a read fails or the restore stops. */
static void *read_ahead(void *arg)
{
    struct reader *rd = arg;
    for (int done = 0; !done;) {
        pthread_mutex_lock(&rd->lock);
        while (!rd->stop && rd->filled - rd->taken == READ_AHEAD)
            pthread_cond_wait(&rd->moved, &rd->lock);
        int k = (int)(rd->filled % READ_AHEAD);
        done = rd->stop;
        pthread_mutex_unlock(&rd->lock);
        if (done)
            break;
        ssize_t n = read_full(rd->fd, rd->block[k], READ_BUFFER);
        int error = n < 0 ? errno : 0;
        if (n > 0)
            sha256_update(&rd->hash, (size_t)n, (const uint8_t *)rd->block[k]);
        pthread_mutex_lock(&rd->lock);
        if (n > 0)
            rd->len[k] = (size_t)n, rd->filled++;
        rd->error = error;
        rd->end = n < READ_BUFFER;
        done = rd->end || error;
        pthread_cond_broadcast(&rd->moved);
        pthread_mutex_unlock(&rd->lock);
    }
    return NULL;
}

/* Start reading fd ahead, with every signal kept for the main thread. */
static int reader_start(struct reader *rd, int fd)
{
    *rd = (struct reader){.fd = fd};
    sha256_init(&rd->hash);
    pthread_mutex_init(&rd->lock, NULL);
    pthread_cond_init(&rd->moved, NULL);
    for (int k = 0; k < READ_AHEAD; k++)
        if (!(rd->block[k] = malloc(READ_BUFFER)))
            return bti_error_set(BTI_EDB, _("out of memory"));
    sigset_t all, was;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &was);
    int rc = pthread_create(&rd->thread, NULL, read_ahead, rd);
    pthread_sigmask(SIG_SETMASK, &was, NULL);
    rd->running = rc == 0;
    return rc ? bti_error_set(BTI_EDB, _("cannot start reading the export: %s"), strerror(rc)) : 0;
}

/* The next block read (*n 0 at the end of the file), to give back once
 * restored. */
static int reader_next(struct reader *rd, char **p, size_t *n)
{
    pthread_mutex_lock(&rd->lock);
    while (rd->filled == rd->taken && !rd->end && !rd->error)
        pthread_cond_wait(&rd->moved, &rd->lock);
    int k = (int)(rd->taken % READ_AHEAD);
    *n = rd->filled > rd->taken ? rd->len[k] : 0;
    *p = rd->block[k];
    int error = *n ? 0 : rd->error;
    pthread_mutex_unlock(&rd->lock);
    return error ? bti_error_set(BTI_EDB, _("cannot read the export: %s"), strerror(error)) : 0;
}

/* Give the block reader_next handed out back to the reading thread. */
static void reader_give_back(struct reader *rd)
{
    pthread_mutex_lock(&rd->lock);
    rd->taken++;
    pthread_cond_broadcast(&rd->moved);
    pthread_mutex_unlock(&rd->lock);
}

/* Stop the reading thread and free the blocks; digest (when not NULL)
 * gets the hash of the whole file as lowercase hex. */
static void reader_stop(struct reader *rd, char *digest)
{
    if (rd->running) {
        pthread_mutex_lock(&rd->lock);
        rd->stop = 1;
        pthread_cond_broadcast(&rd->moved);
        pthread_mutex_unlock(&rd->lock);
        pthread_join(rd->thread, NULL);
    }
    pthread_mutex_destroy(&rd->lock);
    pthread_cond_destroy(&rd->moved);
    for (int k = 0; k < READ_AHEAD; k++)
        free(rd->block[k]);
    uint8_t d[SHA256_DIGEST_SIZE];
    sha256_digest(&rd->hash, sizeof d, d);
    for (size_t i = 0; digest && i < sizeof d; i++)
        sprintf(digest + 2 * i, "%02x", d[i]);
}

/* A line begun in one block and ended in a later one, gathered. */
struct carry {
    char *s;
    size_t len, cap;
};

/* Append n bytes at p to the carried line numbered lineno. */
static int carry_add(struct carry *c, const char *p, size_t n, long long lineno)
{
    if (c->len + n > LINE_LIMIT)
        return bti_error_set(BTI_EINVAL, _("line %lld is longer than 1 MiB"), lineno);
    if (c->len + n + 1 > c->cap) {
        size_t cap = c->len + n + 1 > 2 * c->cap ? c->len + n + 1 : 2 * c->cap;
        char *more = realloc(c->s, cap);
        if (!more)
            return bti_error_set(BTI_EDB, _("out of memory"));
        c->s = more, c->cap = cap;
    }
    memcpy(c->s + c->len, p, n);
    c->len += n;
    c->s[c->len] = '\0';
    return 0;
}

/* Restore one line: n bytes with its line end, which a NUL replaced. */
static int one_line(struct bti_restore *r, const char *line, size_t n, long long lineno)
{
    if (n > LINE_LIMIT)
        return bti_error_set(BTI_EINVAL, _("line %lld is longer than 1 MiB"), lineno);
    return bti_restore_line(r, line, lineno);
}

/* Restore the lines of the block of n bytes at p, in place; a line it
 * does not end goes on in c. */
static int feed_block(struct bti_restore *r, char *p, size_t n, struct carry *c,
                      long long *lineno)
{
    char *end = p + n;
    int rc = 0;
    while (rc == 0 && p < end) {
        char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl)
            return carry_add(c, p, (size_t)(end - p), *lineno + 1);
        *nl = '\0';
        ++*lineno;
        if (c->len) {
            rc = carry_add(c, p, (size_t)(nl - p), *lineno);
            if (rc == 0)
                rc = one_line(r, c->s, c->len + 1, *lineno);
            c->len = 0;
        } else {
            rc = one_line(r, p, (size_t)(nl - p) + 1, *lineno);
        }
        p = nl + 1;
    }
    return rc;
}

/* Feed every line of the export to the restore. */
static int feed(struct reader *rd, struct bti_restore *r)
{
    struct carry c = {0};
    long long lineno = 0;
    char *p;
    size_t n;
    int rc;
    while ((rc = reader_next(rd, &p, &n)) == 0 && n) {
        rc = feed_block(r, p, n, &c, &lineno);
        reader_give_back(rd);
        if (rc)
            break;
    }
    if (rc == 0 && c.len) /* the last line, without a line end */
        rc = one_line(r, c.s, c.len, lineno + 1);
    free(c.s);
    return rc;
}

/* Restore the export on fd into the new database db inside one
 * transaction, written through a rollback journal and put in WAL mode
 * once committed. */
static int restore_into(struct bti_db *db, int fd, const char *head)
{
    struct bti_restore *r = NULL;
    struct reader rd;
    char digest[2 * SHA256_DIGEST_SIZE + 1];
    int rc = reader_start(&rd, fd);
    if (rc == 0)
        rc = bti_db_rollback_journal(db);
    if (rc == 0)
        rc = bti_db_begin(db, 1);
    if (rc == 0)
        rc = bti_restore_begin(db, &r);
    if (rc == 0)
        rc = feed(&rd, r);
    reader_stop(&rd, digest);
    if (rc) {
        bti_restore_free(r);
        bti_db_rollback(db);
        return rc;
    }
    rc = bti_restore_end(r, head, digest);
    if (rc == 0)
        return (rc = bti_db_commit(db)) ? rc : bti_db_wal(db);
    bti_db_rollback(db);
    return rc;
}

/* The database to restore into: a new one, or the empty one a restore that
 * was stopped (a crash) left behind. */
static int new_database(struct cmd_ctx *c, struct bti_db **db)
{
    int rc = bti_db_create_empty(db, c->db_path, &c->bctx);
    if (rc != BTI_ERULE)
        return rc;
    char message[512], hint[512];
    snprintf(message, sizeof message, "%s", bti_error_last());
    snprintf(hint, sizeof hint, "%s", bti_error_hint() ? bti_error_hint() : "");
    if (bti_db_open(db, c->db_path, &c->bctx) == 0 && bti_db_is_empty(*db))
        return bti_db_wal(*db);
    bti_db_close(*db);
    *db = NULL;
    bti_error_set(BTI_ERULE, "%s", message);
    return hint[0] ? bti_error_set_hint("%s", hint) : BTI_ERULE;
}

/* A dry run's database, in memory: refused as the real one would be when
 * something exists at the path. */
static int scratch_database(struct cmd_ctx *c, struct bti_db **db)
{
    struct stat st;
    if (lstat(c->db_path, &st) == 0) {
        bti_error_set(BTI_ERULE, _("a file already exists at '%s'"), c->db_path);
        return bti_error_set_hint(
            _("restore goes into a new database; choose another path with --db"));
    }
    return bti_db_create_scratch(db, &c->bctx);
}

/* restore FILE [--head HEAD] */
static int restore_cmd(struct cmd_ctx *c, int argc, char **argv)
{
    const char *head = NULL;
    struct bti_db *db = NULL;
    int fd = -1;
    char *path;
    int rc = cmd_read_options(c, argc, argv, &head);
    if (rc == 0)
        rc = cmd_args(c, argc, argv, 1, &path, "FILE");
    if (rc == 0)
        rc = cmd_open_regular(path, "", &fd, NULL);
    if (rc == 0)
        rc = c->dry_run ? scratch_database(c, &db) : new_database(c, &db);
    if (rc == 0)
        rc = restore_into(db, fd, head);
    bti_db_close(db);
    if (fd >= 0)
        close(fd);
    if (rc && db && !c->dry_run)
        bti_db_remove(c->db_path);
    if (rc == 0)
        cmd_summary(c, "%s %s",
                    c->dry_run ? _("the export checks out; nothing written to")
                               : _("restored into"),
                    c->db_path);
    return rc;
}

static const struct cmd_option restore_opts[] = {
    {"head", KIND_TEXT, 0, N_("the audit chain head kept off the host, to check against"), 0, NULL,
     cmd_read_word},
    {0}};

static const struct cmd_verb restore_verbs[] = {
    {NULL, restore_cmd, 0, BTI_ROLE_NONE, "restore FILE [--head HEAD]",
     N_("an export into a new database (you must be an admin in it)"), restore_opts},
};
const struct cmd_group cmd_restore_group =
    CMD_GROUP("restore", N_("an export into a new database"), restore_verbs);
