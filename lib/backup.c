/*
 * bti backup (SPEC section 9): SQLite's online backup API into a temporary
 * file beside the target, integrity_check on the copy, fsync, and a rename
 * that never replaces anything; recorded in the audit and the access log.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>
#include <nettle/base16.h>
#include <nettle/sha2.h>
#include "bti/doctor.h"
#include "store/store.h"
#include "base/intl.h"

/* File systems that keep no Unix file modes: a copy there is open to all. */
static const struct {
    long type;
    const char *name;
} modeless_fs[] = {
    {0x4d44, "vfat"},      {0x2011BAB0, "exfat"}, {0x5346544e, "ntfs"},
    {0x7366746e, "ntfs3"}, {0x65735546, "fuse"},  {0x01021997, "9p"},
};

/* The files SQLite may keep beside a database while it is open. */
static const char *const sidecars[] = {"-journal", "-wal", "-shm"};

/* The absolute path of `path` (its directory resolved) in target, and the
 * directory in dir (both PATH_MAX bytes). */
static int resolve(const char *path, char *dir, char *target)
{
    char d[PATH_MAX], b[PATH_MAX];
    if (strlen(path) >= sizeof d)
        return bti_error_set(BTI_EINVAL, _("the backup path is too long"));
    snprintf(d, sizeof d, "%s", path);
    snprintf(b, sizeof b, "%s", path);
    const char *base = basename(b);
    if (!*path || path[strlen(path) - 1] == '/' || !strcmp(base, ".") || !strcmp(base, ".."))
        return bti_error_set(BTI_EINVAL, _("the backup path '%s' names no file"), path);
    if (!realpath(dirname(d), dir))
        return bti_error_set(BTI_EDB, _("cannot reach the directory of '%s': %s"), path,
                             strerror(errno));
    int n = snprintf(target, PATH_MAX, "%s%s%s", dir, strcmp(dir, "/") ? "/" : "", base);
    return n < PATH_MAX ? 0 : bti_error_set(BTI_EINVAL, _("the backup path is too long"));
}

/* Refuse a directory on a file system without Unix file modes. */
static int check_fs(const char *dir)
{
    struct statfs fs;
    if (statfs(dir, &fs) != 0)
        return bti_error_set(BTI_EDB, _("cannot read the directory '%s': %s"), dir,
                             strerror(errno));
    for (size_t i = 0; i < sizeof modeless_fs / sizeof modeless_fs[0]; i++) {
        if ((long)(unsigned)fs.f_type != modeless_fs[i].type)
            continue;
        bti_error_set(BTI_EDB, _("'%s' is on %s, a file system without Unix file modes"), dir,
                      modeless_fs[i].name);
        return bti_error_set_hint(_("a backup holds every identity: keep it where only you can "
                                    "read it"));
    }
    return 0;
}

/* The refusal of a target that exists. */
static int exists_error(const char *target)
{
    bti_error_set(BTI_ERULE, _("something already exists at '%s'"), target);
    return bti_error_set_hint(_("bti backup never replaces a file; name a new one"));
}

/* Refuse a target that exists, be it a file, a directory or a symlink. */
static int check_free(const char *target)
{
    struct stat st;
    if (lstat(target, &st) == 0)
        return exists_error(target);
    if (errno != ENOENT)
        return bti_error_set(BTI_EDB, _("cannot read '%s': %s"), target, strerror(errno));
    return 0;
}

/* Create the temporary file beside target: 0600, exclusive, no symlink
 * followed.  Its path goes to tmp (PATH_MAX bytes), its descriptor to fd. */
static int make_temp(const char *dir, const char *target, char *tmp, int *fd)
{
    char b[PATH_MAX];
    snprintf(b, sizeof b, "%s", target);
    int n = snprintf(tmp, PATH_MAX, "%s/.%s.XXXXXX", dir, basename(b));
    if (n < 0 || n + 16 >= PATH_MAX)
        return bti_error_set(BTI_EINVAL, _("the backup path is too long"));
    *fd = mkostemp(tmp, O_CLOEXEC | O_NOFOLLOW);
    if (*fd < 0)
        return bti_error_set(BTI_EDB, _("cannot create a file in '%s': %s"), dir, strerror(errno));
    return 0;
}

/* Remove the temporary file and anything SQLite left beside it. */
static void remove_temp(const char *tmp)
{
    char side[PATH_MAX + 16];
    unlink(tmp);
    for (size_t i = 0; i < sizeof sidecars / sizeof sidecars[0]; i++) {
        snprintf(side, sizeof side, "%s%s", tmp, sidecars[i]);
        unlink(side);
    }
}

/* Open path with SQLite (flags and no symlink followed) into *out. */
static int open_raw(struct bti_db *db, const char *path, int flags, sqlite3 **out)
{
    int rc = sqlite3_open_v2(path, out, flags | SQLITE_OPEN_NOFOLLOW | SQLITE_OPEN_EXRESCODE, NULL);
    if (rc != SQLITE_OK)
        return bti_error_set(BTI_EDB, _("cannot open '%s': %s"), path, sqlite3_errstr(rc));
    sqlite3_busy_timeout(*out, db_busy_ms(db));
    return 0;
}

/* Copy all of src into dst with the online backup API. */
static int run_backup(sqlite3 *src, sqlite3 *dst)
{
    sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
    if (!b)
        return bti_error_set(BTI_EDB, _("cannot start the backup: %s"), sqlite3_errmsg(dst));
    int rc = sqlite3_backup_step(b, -1);
    int fin = sqlite3_backup_finish(b);
    if (rc == SQLITE_DONE)
        rc = fin;
    return rc == SQLITE_OK ? 0 : db_fail(NULL, rc, _("the backup failed"));
}

/* integrity_check on the copy: one row, "ok". */
static int check_copy(sqlite3 *h)
{
    sqlite3_stmt *st = NULL;
    int ok = sqlite3_prepare_v2(h, "PRAGMA integrity_check", -1, &st, NULL) == SQLITE_OK &&
             sqlite3_step(st) == SQLITE_ROW;
    const char *first = ok ? (const char *)sqlite3_column_text(st, 0) : NULL;
    ok = first && strcmp(first, "ok") == 0 && sqlite3_step(st) == SQLITE_DONE;
    sqlite3_finalize(st);
    return ok ? 0 : bti_error_set(BTI_EDB, _("the copy fails its integrity check"));
}

/* The SHA-256 and size of the file open at fd, which is then synced. */
static int hash_file(int fd, struct bti_backup_info *out)
{
    uint8_t buf[64 * 1024], digest[SHA256_DIGEST_SIZE];
    struct sha256_ctx h;
    off_t off = 0;
    ssize_t n;
    sha256_init(&h);
    while ((n = pread(fd, buf, sizeof buf, off)) > 0) {
        sha256_update(&h, (size_t)n, buf);
        off += n;
    }
    if (n < 0 || fsync(fd) != 0)
        return bti_error_set(BTI_EDB, _("cannot read back the copy: %s"), strerror(errno));
    sha256_digest(&h, sizeof digest, digest);
    base16_encode_update(out->sha256, sizeof digest, digest);
    out->sha256[2 * SHA256_DIGEST_SIZE] = '\0';
    out->bytes = off;
    return 0;
}

/* Move tmp to target unless something is there: renameat2 with
 * RENAME_NOREPLACE, or where the file system lacks it, link and unlink. */
static int place(const char *tmp, const char *target)
{
    int rc = renameat2(AT_FDCWD, tmp, AT_FDCWD, target, RENAME_NOREPLACE);
    if (rc != 0 && (errno == EINVAL || errno == ENOSYS)) {
        rc = link(tmp, target);
        if (rc == 0)
            unlink(tmp);
    }
    if (rc == 0)
        return 0;
    if (errno == EEXIST)
        return exists_error(target);
    return bti_error_set(BTI_EDB, _("cannot put the backup at '%s': %s"), target, strerror(errno));
}

/* fsync the directory, so the new name survives a crash. */
static int sync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    int rc = fd >= 0 && fsync(fd) == 0 ? 0 : errno;
    if (fd >= 0)
        close(fd);
    return rc ? bti_error_set(BTI_EDB, _("cannot sync '%s': %s"), dir, strerror(rc)) : 0;
}

/* The access log (a backup holds every identity: the row count is the
 * persons') and the audit row {"target", "sha256"}. */
static int record(struct bti_db *db, const struct bti_backup_info *b)
{
    long long persons = 0;
    int rc = db_int(db, &persons, "SELECT count(*) FROM person", "");
    if (rc == 0)
        rc = access_log(db, "backup", b->target, persons);
    if (rc)
        return rc;
    cJSON *change = cJSON_CreateObject();
    if (!change || !cJSON_AddStringToObject(change, "target", b->target) ||
        !cJSON_AddStringToObject(change, "sha256", b->sha256)) {
        cJSON_Delete(change);
        return bti_error_set(BTI_EDB, _("out of memory"));
    }
    return audit_append(db, "backup", 0, change);
}

/* One backup under way. */
struct backup {
    struct bti_db *db;
    const struct bti_backup_opts *opts;
    char dir[PATH_MAX]; /* FILE's directory, resolved */
    char tmp[PATH_MAX]; /* the temporary file */
    int fd;             /* open on it, -1 when there is none */
    sqlite3 *src;       /* the second connection the copy reads through */
};

/* Switch to the user's own group (on) and back around work in FILE's
 * directory, where the caller asks for it (a setgid bti). */
static void as_user(const struct backup *b, int on)
{
    if (b->opts->user_files)
        b->opts->user_files(on);
}

/* Resolve and check the target and create the temporary file beside it. */
static int prepare(struct backup *b, const char *path, char *target)
{
    int rc = resolve(path, b->dir, target);
    if (rc == 0)
        rc = check_fs(b->dir);
    if (rc == 0)
        rc = check_free(target);
    return rc ? rc : make_temp(b->dir, target, b->tmp, &b->fd);
}

/* Open the database again, read-only, and start a read there.  SQLite
 * refuses to back up from a connection that holds a write transaction;
 * the command's write lock keeps the committed state this one reads the
 * same as the command's.  Reading now opens the -wal and -shm files while
 * bti still has its own group. */
static int open_source(struct backup *b)
{
    int rc = open_raw(b->db, sqlite3_db_filename(b->db->h, "main"), SQLITE_OPEN_READONLY, &b->src);
    if (rc)
        return rc;
    rc = sqlite3_exec(b->src, "BEGIN; SELECT count(*) FROM sqlite_master", NULL, NULL, NULL);
    return rc == SQLITE_OK ? 0 : db_fail(NULL, rc, _("cannot read the database"));
}

/* Copy the database into the temporary file and check the copy. */
static int copy_into(struct backup *b)
{
    sqlite3 *dst = NULL;
    int rc = open_raw(b->db, b->tmp, SQLITE_OPEN_READWRITE, &dst);
    if (rc == 0)
        rc = run_backup(b->src, dst);
    if (rc == 0)
        rc = check_copy(dst);
    if (sqlite3_close(dst) != SQLITE_OK && rc == 0)
        rc = bti_error_set(BTI_EDB, _("cannot close the copy"));
    return rc;
}

/* Copy, check, hash and sync the temporary file, then put it in place
 * (for a dry run, remove it). */
static int write_copy(struct backup *b, struct bti_backup_info *out)
{
    int rc = copy_into(b);
    if (rc == 0)
        rc = hash_file(b->fd, out);
    close(b->fd); /* only now: closing a descriptor drops SQLite's locks on the file */
    b->fd = -1;
    if (rc == 0 && !b->opts->dry_run)
        rc = place(b->tmp, out->target);
    if (rc || b->opts->dry_run)
        remove_temp(b->tmp);
    return rc || b->opts->dry_run ? rc : sync_dir(b->dir);
}

int bti_backup(struct bti_db *db, const char *path, const struct bti_backup_opts *opts,
               struct bti_backup_info *out)
{
    struct backup b = {.db = db, .opts = opts, .fd = -1};
    memset(out, 0, sizeof *out);
    as_user(&b, 1);
    int rc = prepare(&b, path, out->target);
    as_user(&b, 0);
    if (rc == 0)
        rc = open_source(&b);
    as_user(&b, 1);
    if (rc == 0)
        rc = write_copy(&b, out);
    if (b.fd >= 0) { /* the source could not be read */
        close(b.fd);
        remove_temp(b.tmp);
    }
    as_user(&b, 0);
    sqlite3_close(b.src);
    return rc ? rc : record(db, out);
}
