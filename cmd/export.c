/*
 * bti export and bti restore: the whole database as one JSON document, a
 * row per line (SPEC section 6).  An export holds every identity: it needs
 * --identify, goes only to a private file (written through a temporary
 * file and a rename) or to a stdout others cannot read, and is logged.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>
#include "bti/error.h"
#include "bti/export.h"
#include "cmd.h"

/* File systems that keep no Unix modes: an export there would be readable
 * by anyone who mounts it. */
static const long no_modes_fs[] = {0x4d44,     0x2011BAB0, 0x5346544e,
                                   0x7366746e, 0x65735546, 0x01021997};

/* Refuse a target directory on a file system without Unix modes. */
static int check_modes_fs(const char *dir)
{
    struct statfs fs;
    if (statfs(dir, &fs) != 0)
        return bti_error_set(BTI_EDB, "cannot reach the directory '%s': %s", dir, strerror(errno));
    for (size_t i = 0; i < sizeof no_modes_fs / sizeof no_modes_fs[0]; i++)
        if ((long)(unsigned)fs.f_type == no_modes_fs[i])
            return bti_error_set(BTI_EDB, "'%s' is on a file system without Unix modes", dir);
    return 0;
}

/* Write one line and its line end to the FILE in arg. */
static int write_line(const char *line, size_t len, void *arg)
{
    FILE *fp = arg;
    if (fwrite(line, 1, len, fp) != len || putc('\n', fp) == EOF)
        return bti_error_set(BTI_EDB, "cannot write the export: %s", strerror(errno));
    return 0;
}

/* Refuse a stdout that is a file others may read. */
static int check_stdout(void)
{
    struct stat st;
    if (fstat(STDOUT_FILENO, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 077)) {
        bti_error_set(BTI_ERULE, "standard output is a file others can read");
        return bti_error_set_hint("write to a FILE argument, which bti keeps private");
    }
    return 0;
}

/* Put the finished temporary file at target: without replacing an existing
 * file unless force (link(2) refuses an existing name). */
static int put_in_place(const char *tmp, const char *target, int force)
{
    int rc = force ? rename(tmp, target) : link(tmp, target);
    if (rc != 0 && errno == EEXIST) {
        bti_error_set(BTI_ERULE, "'%s' exists", target);
        return bti_error_set_hint("choose another name, or replace it with --force");
    }
    if (rc != 0)
        return bti_error_set(BTI_EDB, "cannot write '%s': %s", target, strerror(errno));
    if (!force)
        unlink(tmp);
    return 0;
}

/* Export into a temporary file beside target, then move it into place. */
static int export_to_file(struct cmd_ctx *c, const char *target, int force, long long *rows)
{
    char buf[PATH_MAX], tmp[PATH_MAX + 32];
    snprintf(buf, sizeof buf, "%s", target);
    const char *dir = dirname(buf); /* "." for a bare name */
    snprintf(tmp, sizeof tmp, "%s/.bti-export.%ld", dir, (long)getpid());
    int rc = check_modes_fs(dir);
    cmd_user_files(1);
    int fd = rc ? -1 : open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    cmd_user_files(0);
    if (rc == 0 && fd < 0)
        return bti_error_set(BTI_EDB, "cannot create a file in '%s': %s", dir, strerror(errno));
    FILE *fp = rc ? NULL : fdopen(fd, "w");
    if (rc == 0 && !fp)
        rc = bti_error_set(BTI_EDB, "cannot write the export: %s", strerror(errno));
    if (rc == 0)
        rc = bti_export(c->db, write_line, fp, rows);
    if (fp && (fflush(fp) != 0 || fsync(fileno(fp)) != 0) && rc == 0)
        rc = bti_error_set(BTI_EDB, "cannot write the export: %s", strerror(errno));
    if (fp)
        fclose(fp);
    if (rc == 0)
        rc = put_in_place(tmp, target, force);
    if (rc == 0)
        cmd_made(c, target);
    if (fd >= 0)
        unlink(tmp);
    return rc;
}

/* Take a line and keep nothing. */
static int discard_line(const char *line, size_t len, void *arg)
{
    (void)line, (void)len, (void)arg;
    return 0;
}

/* A dry run to a FILE: every check and the whole read (logged), but no
 * file: refused where the real export would be. */
static int export_dry_run(struct cmd_ctx *c, const char *target, int force, long long *rows)
{
    char buf[PATH_MAX];
    struct stat st;
    snprintf(buf, sizeof buf, "%s", target);
    int rc = check_modes_fs(dirname(buf));
    if (rc == 0 && !force && lstat(target, &st) == 0) {
        bti_error_set(BTI_ERULE, "'%s' exists", target);
        return bti_error_set_hint("choose another name, or replace it with --force");
    }
    return rc ? rc : bti_export(c->db, discard_line, NULL, rows);
}

/* export --identify [FILE] [--force] */
static int export_cmd(struct cmd_ctx *c, int argc, char **argv)
{
    int force = 0, opt, rc = 0;
    long long rows = 0;
    while (rc == 0 && (opt = cmd_opt(c, argc, argv)) != -1)
        rc = opt == 'f' ? (force = 1, 0) : cmd_bad_option(c, opt, argv);
    if (rc == 0 && argc - optind > 1)
        rc = cmd_args(c, argc, argv, 1, NULL, "FILE");
    if (rc == 0 && !c->bctx.identify) {
        bti_error_set(BTI_EUSAGE, "an export holds every identity: it needs --identify");
        return bti_error_set_hint("bti export --identify FILE");
    }
    const char *target = rc == 0 && argc > optind ? argv[optind] : NULL;
    if (rc == 0 && target && c->dry_run)
        rc = export_dry_run(c, target, force, &rows);
    else if (rc == 0 && target)
        rc = export_to_file(c, target, force, &rows);
    else if (rc == 0)
        rc = check_stdout() ? bti_error_code() : bti_export(c->db, write_line, c->out.fp, &rows);
    if (rc == 0)
        cmd_summary(c, "%s %lld rows%s%s", c->dry_run && target ? "would export" : "exported", rows,
                    target ? " to " : "", target ? target : "");
    return rc;
}

static const struct option export_opts[] = {{"force", no_argument, 0, 'f'}, {0, 0, 0, 0}};

static const struct cmd_verb export_verbs[] = {
    {NULL, export_cmd, CMD_DB | CMD_LOGS, BTI_ROLE_ADMIN, "export --identify [FILE] [--force]",
     "the whole database as one JSON document, a row per line (logged)", export_opts},
};
const struct cmd_group cmd_export_group =
    CMD_GROUP("export", "the whole database as JSON", export_verbs);
