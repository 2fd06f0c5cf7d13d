/*
 * Private output files (SPEC section 6): `-o FILE` and `export FILE` write
 * through an unnamed temporary file (O_TMPFILE, 0600) in the target's
 * directory, linked into place only when the command has succeeded, so a
 * kill or a failure leaves nothing behind.  An existing name is refused
 * unless --force, which replaces it through a rename; a directory on a file
 * system without Unix modes is refused.  Also the guard that keeps
 * identified output out of a standard output others can read.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>
#include "bti/error.h"
#include "cmd.h"
#include "outfile.h"

/* File systems that keep no Unix modes (vfat, exfat, ntfs, ntfs3, fuse,
 * 9p): a file there would be readable by anyone who mounts it. */
static const long no_modes_fs[] = {0x4d44,     0x2011BAB0, 0x5346544e,
                                   0x7366746e, 0x65735546, 0x01021997};

/* Refuse a target directory on a file system without Unix modes. */
static int check_modes_fs(const char *dir)
{
    struct statfs fs;
    if (statfs(dir, &fs) != 0)
        return bti_error_set(BTI_EDB, _("cannot reach the directory '%s': %s"), dir,
                             strerror(errno));
    for (size_t i = 0; i < sizeof no_modes_fs / sizeof no_modes_fs[0]; i++)
        if ((long)(unsigned)fs.f_type == no_modes_fs[i])
            return bti_error_set(BTI_EDB, _("'%s' is on a file system without Unix modes"), dir);
    return 0;
}

/* The refusal of an existing target. */
static int exists_error(const char *target)
{
    bti_error_set(BTI_ERULE, _("'%s' exists"), target);
    return bti_error_set_hint(_("choose another name, or replace it with --force"));
}

int outfile_open(struct outfile *f, const char *target, int force)
{
    char buf[PATH_MAX];
    struct stat st;
    memset(f, 0, sizeof *f);
    f->fd = -1;
    if (snprintf(f->target, sizeof f->target, "%s", target) >= (int)sizeof f->target || !*target)
        return bti_error_set(BTI_EINVAL, _("invalid output file name"));
    f->force = force;
    snprintf(buf, sizeof buf, "%s", target);
    snprintf(f->dir, sizeof f->dir, "%s", dirname(buf)); /* "." for a bare name */
    if (!force && lstat(target, &st) == 0)
        return exists_error(target);
    int rc = check_modes_fs(f->dir);
    if (rc)
        return rc;
    cmd_user_files(1);
    f->fd = open(f->dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
    int err = errno;
    cmd_user_files(0);
    if (f->fd < 0)
        return bti_error_set(BTI_EDB, _("cannot create a file in '%s': %s"), f->dir, strerror(err));
    f->fp = fdopen(f->fd, "w");
    if (!f->fp)
        return bti_error_set(BTI_EDB, _("cannot write '%s': %s"), target, strerror(errno));
    return 0;
}

/* Give the unnamed file the name `name` (link(2) refuses an existing one). */
static int link_as(const struct outfile *f, const char *name)
{
    char proc[64];
    snprintf(proc, sizeof proc, "/proc/self/fd/%d", f->fd);
    cmd_user_files(1);
    int rc = linkat(AT_FDCWD, proc, AT_FDCWD, name, AT_SYMLINK_FOLLOW);
    int err = errno;
    cmd_user_files(0);
    errno = err;
    return rc;
}

/* Replace the target: link under a hidden name beside it, then rename. */
static int replace_target(struct outfile *f)
{
    char tmp[PATH_MAX + 64];
    snprintf(tmp, sizeof tmp, "%s/.bti-output.%ld", f->dir, (long)getpid());
    unlink(tmp);
    if (link_as(f, tmp) != 0)
        return -1;
    if (rename(tmp, f->target) != 0) {
        int err = errno;
        unlink(tmp);
        errno = err;
        return -1;
    }
    return 0;
}

int outfile_link(struct outfile *f)
{
    if (f->linked)
        return 0;
    if (fflush(f->fp) != 0 || ferror(f->fp) || fsync(f->fd) != 0)
        return bti_error_set(BTI_EDB, _("cannot write '%s': %s"), f->target, strerror(errno));
    int rc = link_as(f, f->target);
    if (rc != 0 && errno == EEXIST && f->force)
        rc = replace_target(f);
    if (rc != 0 && errno == EEXIST)
        return exists_error(f->target);
    if (rc != 0)
        return bti_error_set(BTI_EDB, _("cannot write '%s': %s"), f->target, strerror(errno));
    f->linked = 1;
    return 0;
}

void outfile_close(struct outfile *f, int failed)
{
    if (f->linked && failed)
        unlink(f->target);
    if (f->fp)
        fclose(f->fp);
    else if (f->fd >= 0)
        close(f->fd);
    f->fp = NULL;
    f->fd = -1;
}

int outfile_stdout_readable(void)
{
    struct stat st;
    return fstat(STDOUT_FILENO, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 077);
}

int outfile_identified_refused(void)
{
    bti_error_set(BTI_ERULE, _("identified output to a standard output that is a file others can "
                               "read"));
    return bti_error_set_hint(_("write it to a private file with -o FILE"));
}

int cmd_output_file(struct cmd_ctx *c, const char *target)
{
    if (c->outfile)
        return bti_error_set(BTI_EUSAGE, _("give -o FILE or a FILE argument, not both"));
    c->outfile = malloc(sizeof *c->outfile);
    if (!c->outfile)
        return bti_error_set(BTI_EDB, _("out of memory"));
    int rc = outfile_open(c->outfile, target, c->force);
    c->out.fp = c->outfile->fp ? c->outfile->fp : c->out.fp;
    return rc;
}
