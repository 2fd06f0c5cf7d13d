/*
 * bti restore FILE: an export into a new database at the --db path.  Every
 * value is validated as the commands do, the audit chain verified (and
 * --head, if given), and the restore recorded with the file's SHA-256; on
 * any failure no database is left behind.
 */
#include <errno.h>
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

/* Open the export at path for reading (cmd_open_regular). */
static int open_export(const char *path, FILE **out)
{
    int fd;
    int rc = cmd_open_regular(path, "", &fd, NULL);
    *out = rc ? NULL : fdopen(fd, "r");
    if (rc == 0 && !*out) {
        close(fd);
        rc = bti_error_set(BTI_EDB, _("cannot read '%s': %s"), path, strerror(errno));
    }
    static char buffer[READ_BUFFER]; /* one export a process */
    if (rc == 0)
        setvbuf(*out, buffer, _IOFBF, sizeof buffer);
    return rc;
}

/* Feed every line of fp to the restore, hashing the bytes as they pass. */
static int feed(FILE *fp, struct bti_restore *r, struct sha256_ctx *hash)
{
    char *line = NULL;
    size_t cap = 0;
    long long lineno = 0;
    ssize_t n;
    int rc = 0;
    while (rc == 0 && (n = getline(&line, &cap, fp)) != -1) {
        lineno++;
        sha256_update(hash, (size_t)n, (const uint8_t *)line);
        if (n > LINE_LIMIT)
            rc = bti_error_set(BTI_EINVAL, _("line %lld is longer than 1 MiB"), lineno);
        if (n && line[n - 1] == '\n')
            line[--n] = '\0';
        if (rc == 0)
            rc = bti_restore_line(r, line, lineno);
    }
    if (rc == 0 && ferror(fp))
        rc = bti_error_set(BTI_EDB, _("cannot read the export: %s"), strerror(errno));
    free(line);
    return rc;
}

/* The hash as lowercase hex. */
static void hex(struct sha256_ctx *hash, char *out)
{
    uint8_t d[SHA256_DIGEST_SIZE];
    sha256_digest(hash, sizeof d, d);
    for (size_t i = 0; i < sizeof d; i++)
        sprintf(out + 2 * i, "%02x", d[i]);
}

/* Restore fp into the new database db inside one transaction, written
 * through a rollback journal and put in WAL mode once committed. */
static int restore_into(struct bti_db *db, FILE *fp, const char *head)
{
    struct bti_restore *r = NULL;
    struct sha256_ctx hash;
    char digest[2 * SHA256_DIGEST_SIZE + 1];
    sha256_init(&hash);
    int rc = bti_db_rollback_journal(db);
    if (rc == 0)
        rc = bti_db_begin(db, 1);
    if (rc == 0)
        rc = bti_restore_begin(db, &r);
    if (rc == 0)
        rc = feed(fp, r, &hash);
    if (rc) {
        bti_restore_free(r);
        bti_db_rollback(db);
        return rc;
    }
    hex(&hash, digest);
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
    FILE *fp = NULL;
    char *path;
    int rc = cmd_read_options(c, argc, argv, &head);
    if (rc == 0)
        rc = cmd_args(c, argc, argv, 1, &path, "FILE");
    if (rc == 0)
        rc = open_export(path, &fp);
    if (rc == 0)
        rc = c->dry_run ? scratch_database(c, &db) : new_database(c, &db);
    if (rc == 0)
        rc = restore_into(db, fp, head);
    bti_db_close(db);
    if (fp)
        fclose(fp);
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
