/*
 * bti import: coordinators and cases from a spreadsheet's CSV file, so the
 * KE's old overview moves into bti.  Only a regular file is read; every bad
 * row is reported as FILE:LINE before the import is refused whole.
 */
#include <stdio.h>
#include <unistd.h>
#include "base/intl.h"
#include "bti/error.h"
#include "bti/import.h"
#include "cmd.h"

/* Warnings printed before the rest are only counted. */
#define WARNINGS_MAX 100

/* What the notes of one import are printed with. */
struct printer {
    const char *file;
    int quiet;
    int tty;            /* stderr is a terminal: progress is shown */
    int progress;       /* the width of the progress line shown, or 0 */
    long long warnings; /* warnings seen */
};

/* Clear a progress line from the terminal. */
static void clear_progress(struct printer *p)
{
    if (p->progress)
        fprintf(stderr, "\r%*s\r", p->progress, "");
    p->progress = 0;
}

/* Print one note of the import on stderr. */
static void print_note(enum bti_import_note note, long long line, const char *msg, void *arg)
{
    struct printer *p = arg;
    if (note == BTI_IMPORT_PROGRESS && p->tty && !p->quiet) {
        fputc('\r', stderr);
        p->progress = fprintf(stderr, _("bti: import: %lld rows read"), line);
        return;
    }
    if (note == BTI_IMPORT_PROGRESS || (note != BTI_IMPORT_ERROR && p->quiet))
        return;
    clear_progress(p);
    if (note == BTI_IMPORT_ENCODING)
        fprintf(stderr, _("bti: note: %s is not UTF-8; read as Windows-1252\n"), p->file);
    else if (note == BTI_IMPORT_ERROR)
        fprintf(stderr, _("bti: error: %s:%lld: %s\n"), p->file, line, msg);
    else if (++p->warnings <= WARNINGS_MAX)
        fprintf(stderr, _("bti: warning: %s:%lld: %s\n"), p->file, line, msg);
}

/* Say how many warnings were not printed. */
static void print_rest(struct printer *p)
{
    clear_progress(p);
    if (p->warnings > WARNINGS_MAX && !p->quiet)
        fprintf(stderr, _("bti: warning: %s: %lld more warnings not shown\n"), p->file,
                p->warnings - WARNINGS_MAX);
}

/* --encoding E: the encoding the file is read in. */
static int read_encoding(struct cmd_ctx *c, const struct cmd_option *o, const char *arg, void *to)
{
    (void)c, (void)o;
    return bti_encoding_parse(to, arg);
}

/* import coordinators|cases FILE [--skip-existing] [--encoding E] */
static int import_file(struct cmd_ctx *c, int argc, char **argv, enum bti_import_what what)
{
    struct bti_import_in in = {.what = what, .encoding = BTI_ENC_AUTO};
    struct bti_import_out out;
    struct printer p = {.quiet = c->quiet, .tty = isatty(STDERR_FILENO)};
    char *file = NULL;
    int rc = cmd_read_options(c, argc, argv, &in);
    if (rc == 0)
        rc = cmd_args(c, argc, argv, 1, &file, "FILE");
    if (rc == 0)
        rc = cmd_open_regular(file, "", &in.fd, &in.len);
    if (rc)
        return rc;
    in.name = p.file = file;
    in.fn = print_note;
    in.arg = &p;
    rc = bti_import(c->db, &in, &out);
    print_rest(&p);
    close(in.fd);
    if (rc == 0)
        cmd_summary(c, _("imported %lld %s (%lld skipped)"), out.imported,
                    what == BTI_IMPORT_CASES ? _("cases") : _("coordinators"), out.skipped);
    return rc;
}

/* import cases FILE [--skip-existing] [--encoding E] */
static int import_cases(struct cmd_ctx *c, int argc, char **argv)
{
    return import_file(c, argc, argv, BTI_IMPORT_CASES);
}

/* import coordinators FILE [--skip-existing] [--encoding E] */
static int import_coordinators(struct cmd_ctx *c, int argc, char **argv)
{
    return import_file(c, argc, argv, BTI_IMPORT_COORDINATORS);
}

static const struct cmd_option import_opts[] = {
    {"skip-existing", KIND_FLAG, offsetof(struct bti_import_in, skip_existing),
     N_("skip rows already in the database"), 0, NULL, NULL},
    {"encoding", KIND_WORD, offsetof(struct bti_import_in, encoding),
     N_("the file's encoding (default auto)"), 0, NULL, read_encoding},
    {0}};

#define W (CMD_DB | CMD_WRITE)

static const struct cmd_verb verbs[] = {
    {"coordinators", import_coordinators, W, BTI_ROLE_ADMIN,
     "import coordinators FILE [--skip-existing] [--encoding auto|utf-8|windows-1252]",
     N_("add coordinators from a CSV file with the columns name, unit, email, phone"), import_opts},
    {"cases", import_cases, W, BTI_ROLE_ADMIN,
     "import cases FILE [--skip-existing] [--encoding auto|utf-8|windows-1252]",
     N_("replay cases from a CSV file (a spreadsheet's overview) through the lifecycle"),
     import_opts},
};
const struct cmd_group cmd_import_group =
    CMD_GROUP("import", N_("coordinators and cases from a spreadsheet's CSV file"), verbs);
