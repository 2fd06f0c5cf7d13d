/*
 * The database's health and its backups (SPEC section 9): `bti doctor`
 * checks integrity, foreign keys, the audit chain, every data row against
 * its last audit entry, the schema, file modes, WAL and encryption;
 * `bti backup` copies the database with SQLite's online backup API.
 */
#ifndef BTI_DOCTOR_H
#define BTI_DOCTOR_H

#include <limits.h>
#ifndef PATH_MAX /* strict ISO C (-std=c11) hides it: Linux's own */
#include <linux/limits.h>
#endif
#include <sys/types.h>
#include "bti/db.h"
#include "bti/row.h"

/* The doctor's listing: check, status (ok, WARN, FAIL) and detail. */
extern const struct bti_cols bti_doctor_cols;

/* Run every check, handing one row per check that passed or warned, and
 * one per finding of a check that failed (at most 100, then a count), to
 * fn.  Details name tables, ids, columns and files, never a value.
 * BTI_ECHECK when a check failed (after all the rows), fn's non-zero
 * code, or a database error. */
int bti_doctor(struct bti_db *db, bti_row_fn fn, void *arg);

/* How a file system is encrypted. */
enum bti_crypt { BTI_CRYPT_NONE, BTI_CRYPT_DM, BTI_CRYPT_ECRYPTFS, BTI_CRYPT_FSCRYPT };

/* Whether the file system of device dev (a stat's st_dev) is ecryptfs or
 * lies on dm-crypt, looking it up in mountinfo (/proc/self/mountinfo) and
 * sys_block (/sys/dev/block; tests give stand-ins).  fscrypt is a file's
 * attribute and is not looked for here. */
enum bti_crypt bti_doctor_crypt(dev_t dev, const char *mountinfo, const char *sys_block);

/* What a backup wrote. */
struct bti_backup_info {
    char target[PATH_MAX]; /* the backup's absolute path */
    char sha256[65];       /* SHA-256 of its bytes, lowercase hex */
    long long bytes;
};

/* How a backup runs. */
struct bti_backup_opts {
    int dry_run; /* make and check the copy, then remove it */
    /* called with 1 before and 0 after work in the target's directory, to
     * use the user's own group there (a setgid bti); may be NULL */
    void (*user_files)(int on);
};

/* Copy the database into a new file at path with SQLite's online backup
 * API: a temporary 0600 file in path's directory, integrity_check on the
 * copy, fsync, then renamed into place without replacing anything, and
 * recorded in the audit and the access log.  Run it in a write
 * transaction.  BTI_ERULE when something exists at path (a symlink too: it
 * is never followed); BTI_EDB when its directory cannot be reached, keeps
 * no Unix file modes (vfat, exfat, ntfs, fuse, 9p), or the copy fails. */
int bti_backup(struct bti_db *db, const char *path, const struct bti_backup_opts *opts,
               struct bti_backup_info *out);

#endif
