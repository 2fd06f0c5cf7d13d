/*
 * Helpers every command uses to read its options and hand its results to
 * the output layer, so that all commands read values the same way.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>
#include "bti/error.h"
#include "bti/text.h"
#include "base/intl.h"
#include "bti/coordinator.h"
#include "bti/unit.h"
#include "cmd.h"

#define VALUE_MAX (64 * 1024)

/* What cmd_opt returns for option i of the running verb: past every
 * character getopt_long may return ('?', ':'). */
#define OPTION_KEY(i) (256 + (i))

static int own(struct cmd_ctx *c, char *value);

int cmd_repeats(const char *usage, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = strstr(usage, "--"); p; p = strstr(p + 2, "--")) {
        const char *end = p + 2 + n, *word_end;
        if (strncmp(p + 2, name, n) != 0 || isalnum((unsigned char)*end) || *end == '-')
            continue;
        if (*end == ' ' && isupper((unsigned char)end[1])) /* its value word, "S]..." */
            word_end = end + 1 + strcspn(end + 1, " |)");
        else
            word_end = end + strspn(end, "]");
        const char *dots = strstr(end, "...");
        if (dots && dots <= word_end)
            return 1;
    }
    return 0;
}

int cmd_option_index(const struct cmd_option *opts, const char *name)
{
    for (int i = 0; opts && opts[i].name; i++)
        if (strcmp(opts[i].name, name) == 0)
            return i;
    return -1;
}

int cmd_option_words(const char *usage, const char *name, char *buf, size_t size)
{
    size_t n = strlen(name);
    for (const char *p = strstr(usage, "--"); p; p = strstr(p + 2, "--")) {
        const char *end = p + 2 + n;
        if (strncmp(p + 2, name, n) != 0 || *end != ' ')
            continue;
        size_t len = strspn(end + 1, "abcdefghijklmnopqrstuvwxyz0123456789-|");
        if (memchr(end + 1, '|', len) && len < size) {
            snprintf(buf, size, "%.*s", (int)len, end + 1);
            return 1;
        }
    }
    return 0;
}

/* The word on the command line that gave long option o (getopt_long just
 * returned it): "--name=X" or "--name" before its value. */
static const char *option_word(char **argv, const struct option *o)
{
    if (o->has_arg == required_argument && optarg == argv[optind - 1])
        return argv[optind - 2];
    return argv[optind - 1];
}

/* Whether option i of the running verb was given. */
static int seen(const struct cmd_ctx *c, int i)
{
    return i >= 0 && i < 64 && (c->opt_seen & 1ULL << i);
}

/* Note why cmd_opt refuses option index, for cmd_bad_option: '?'. */
static int refuse(struct cmd_ctx *c, enum cmd_opt_refusal why, int index)
{
    c->opt_refused = why;
    c->opt_index = index;
    return '?';
}

/* The option option i excludes, or that excludes it, if it was given. */
static int excluded_by(const struct cmd_ctx *c, int i)
{
    const struct cmd_option *opts = c->verb->opts;
    if (opts[i].excludes && seen(c, cmd_option_index(opts, opts[i].excludes)))
        return cmd_option_index(opts, opts[i].excludes);
    for (int j = 0; opts[j].name; j++)
        if (opts[j].excludes && !strcmp(opts[j].excludes, opts[i].name) && seen(c, j))
            return j;
    return -1;
}

static int one_of_seen(const struct cmd_ctx *c);

/* Refuse an abbreviated long option, a repeated one that does not
 * repeat, and one given with an option it excludes: usage errors, noted
 * for cmd_bad_option. */
static int check_long(struct cmd_ctx *c, char **argv, const struct option *opts, int index)
{
    const struct option *o = &opts[index];
    const char *word = option_word(argv, o);
    size_t n = strlen(o->name);
    if (strncmp(word, "--", 2) != 0 || strncmp(word + 2, o->name, n) != 0 ||
        (word[2 + n] != '\0' && word[2 + n] != '='))
        return refuse(c, CMD_OPT_ABBREVIATED, index);
    if (seen(c, index) && !cmd_repeats(c->verb->usage, o->name))
        return refuse(c, CMD_OPT_REPEATED, index);
    if (excluded_by(c, index) >= 0)
        return refuse(c, CMD_OPT_EXCLUDED, index);
    if ((c->verb->opts[index].rules & OPT_ONE_OF) && one_of_seen(c))
        return refuse(c, CMD_OPT_ONE_OF, index);
    c->opt_seen |= index < 64 ? 1ULL << index : 0;
    return o->val;
}

/* The number of the verb's OPT_ONE_OF options given so far; *any says
 * whether it has such options at all. */
static int one_of_count(const struct cmd_ctx *c, int *any)
{
    int n = 0;
    *any = 0;
    for (int i = 0; c->verb->opts && c->verb->opts[i].name; i++)
        if (c->verb->opts[i].rules & OPT_ONE_OF)
            *any = 1, n += seen(c, i);
    return n;
}

/* Whether one of the verb's OPT_ONE_OF options was given already. */
static int one_of_seen(const struct cmd_ctx *c)
{
    int any;
    return one_of_count(c, &any) > 0;
}

/* At the end of the options: '?' when a required one is missing or none of
 * the OPT_ONE_OF ones was given, else -1. */
static int check_required(struct cmd_ctx *c)
{
    int any;
    for (int i = 0; c->verb->opts && c->verb->opts[i].name; i++)
        if ((c->verb->opts[i].rules & OPT_REQUIRED) && !seen(c, i))
            return refuse(c, CMD_OPT_MISSING, i);
    if (one_of_count(c, &any) == 0 && any)
        return refuse(c, CMD_OPT_ONE_OF, 0);
    return -1;
}

/* The running verb's option table as getopt_long takes it. */
static const struct option *getopt_table(const struct cmd_ctx *c)
{
    static struct option table[65];
    size_t n = 0;
    for (const struct cmd_option *o = c->verb->opts; o && o->name && n < 64; o++, n++)
        table[n] = (struct option){o->name, o->kind == KIND_FLAG ? no_argument : required_argument,
                                   NULL, OPTION_KEY((int)n)};
    table[n] = (struct option){0, 0, 0, 0};
    return table;
}

/* The next option of the running verb (getopt_long over its option
 * table): OPTION_KEY of its index, -1 at the end; '?' and ':' are reported
 * as usage errors by cmd_bad_option.  An abbreviated long option, and one
 * given twice that the verb's synopsis does not show as repeating ("--name
 * X..."), are '?' too; so is the end when a required option is missing,
 * two that exclude each other were both given, or not exactly one of the
 * OPT_ONE_OF options (the one wording of each, for every verb). */
static int cmd_opt(struct cmd_ctx *c, int argc, char **argv)
{
    const struct option *opts = getopt_table(c);
    int index = -1;
    if (optind == 0) /* a new verb's options */
        c->opt_seen = 0;
    c->opt_refused = CMD_OPT_OK;
    opterr = 0;
    int opt = getopt_long(argc, argv, ":", opts, &index);
    if (opt == -1)
        return check_required(c);
    if (opt == '?' || opt == ':' || index < 0)
        return opt;
    return check_long(c, argv, opts, index);
}

/* The option word as a message may quote it: "--" and the letters, digits
 * and dashes of a name, never what is joined to it ("--nameOla" gives
 * "--name"); *more says whether something was cut off. */
static void option_name(char *out, size_t size, const char *word, int *more)
{
    size_t n = strspn(word, "-");
    n += strspn(word + n, "abcdefghijklmnopqrstuvwxyz0123456789-");
    if (n > 40)
        n = 40;
    *more = word[n] != '\0' && word[n] != '=';
    snprintf(out, size, "%.*s", (int)n, word);
}

/* The usage error for options i and j given together: the one whose row
 * says it excludes the other first, so the words never depend on their
 * order on the line. */
static void excluded_message(const struct cmd_option *opts, int i, int j)
{
    int first = opts[i].excludes && !strcmp(opts[i].excludes, opts[j].name) ? i : j;
    bti_error_set(BTI_EUSAGE, _("--%s and --%s exclude each other"), opts[first].name,
                  opts[first == i ? j : i].name);
}

/* The usage error for not exactly one of the verb's OPT_ONE_OF options:
 * "'ke decide' needs one of --grant, --deny and --void". */
static void one_of_message(const struct cmd_ctx *c)
{
    const struct cmd_option *opts = c->verb->opts;
    char list[256] = "";
    int total = 0, n = 0;
    for (int i = 0; opts[i].name; i++)
        total += (opts[i].rules & OPT_ONE_OF) != 0;
    for (int i = 0; opts[i].name; i++) {
        if (!(opts[i].rules & OPT_ONE_OF))
            continue;
        /* TRANSLATORS: the last separator of a list of options */
        const char *sep = n == 0 ? "" : n == total - 1 ? _(" and ") : ", ";
        size_t len = strlen(list);
        snprintf(list + len, sizeof list - len, "%s--%s", sep, opts[i].name);
        n++;
    }
    bti_error_set(BTI_EUSAGE, _("'%s' needs one of %s"), c->bctx.command, list);
}

/* The usage error for the option getopt just refused. */
static int cmd_bad_option(struct cmd_ctx *c, int opt, char **argv)
{
    /* name the option, never a value given with it: "--nmae=Kari" is '--nmae' */
    char word[64];
    int more = 0;
    const struct cmd_option *o = c->opt_refused != CMD_OPT_OK ? &c->verb->opts[c->opt_index] : NULL;
    if (c->opt_refused == CMD_OPT_ABBREVIATED)
        bti_error_set(BTI_EUSAGE, _("options are never abbreviated: write '--%s' in full"), o->name);
    else if (c->opt_refused == CMD_OPT_REPEATED)
        bti_error_set(BTI_EUSAGE, _("option '--%s' given twice"), o->name);
    else if (c->opt_refused == CMD_OPT_MISSING)
        bti_error_set(BTI_EUSAGE, _("'%s' needs --%s"), c->bctx.command, o->name);
    else if (c->opt_refused == CMD_OPT_EXCLUDED)
        excluded_message(c->verb->opts, c->opt_index, excluded_by(c, c->opt_index));
    else if (c->opt_refused == CMD_OPT_ONE_OF)
        one_of_message(c);
    if (c->opt_refused != CMD_OPT_OK)
        return bti_error_set_hint(_("usage: bti %s"), c->verb->usage);
    if (optopt > 0 && opt != ':') /* a long option's missing value sets optopt too */
        snprintf(word, sizeof word, "-%c", optopt);
    else
        option_name(word, sizeof word, argv[optind - 1], &more);
    if (opt == ':')
        bti_error_set(BTI_EUSAGE, _("option '%s' needs a value"), word);
    else
        bti_error_set(BTI_EUSAGE, _("unknown option %s'%s'%s"), more ? "starting " : "", word,
                      more ? _(" (the rest is not shown)") : "");
    return bti_error_set_hint(_("usage: bti %s"), c->verb->usage);
}

/* A flag: int 1. */
static int read_flag(struct cmd_ctx *c, const struct cmd_option *o, const char *arg, void *to)
{
    (void)c, (void)o, (void)arg;
    *(int *)to = 1;
    return 0;
}

/* A text or name: const char * through cmd_text. */
static int read_text(struct cmd_ctx *c, const struct cmd_option *o, const char *arg, void *to)
{
    (void)o;
    return cmd_text(c, arg, to);
}

/* Option o as a message about its value names it: "--name" into what. */
static const char *dashed(const struct cmd_option *o, char what[64])
{
    snprintf(what, 64, "--%s", o->name);
    return what;
}

/* A date: bti_date, the message naming the option. */
static int read_date(struct cmd_ctx *c, const struct cmd_option *o, const char *arg, void *to)
{
    char what[64];
    return cmd_date(c, arg, dashed(o, what), to);
}

/* An id or count (or a case): long long, the message naming the option. */
static int read_id(struct cmd_ctx *c, const struct cmd_option *o, const char *arg, void *to)
{
    char what[64];
    (void)c;
    return cmd_id(arg, dashed(o, what), to);
}

/* A unit by id or name: its id, a long long. */
static int read_unit(struct cmd_ctx *c, const struct cmd_option *o, const char *arg, void *to)
{
    (void)o;
    return cmd_unit(c, arg, to);
}

/* A coordinator by id or name: its id, a long long. */
static int read_coordinator(struct cmd_ctx *c, const struct cmd_option *o, const char *arg,
                            void *to)
{
    (void)o;
    return bti_coordinator_find(c->db, arg, to);
}

/* A case state: its bit or'ed into an unsigned set of states. */
static int read_state(struct cmd_ctx *c, const struct cmd_option *o, const char *arg, void *to)
{
    char what[64];
    enum bti_state st;
    (void)c;
    int rc = bti_state_read(arg, dashed(o, what), &st);
    *(unsigned *)to |= rc ? 0 : 1u << st;
    return rc;
}

int cmd_read_word(struct cmd_ctx *c, const struct cmd_option *o, const char *arg, void *to)
{
    (void)c, (void)o;
    *(const char **)to = arg;
    return 0;
}

int cmd_read_list(struct cmd_ctx *c, const struct cmd_option *o, const char *arg, void *to)
{
    struct cmd_list *list = to;
    const char *value = arg, **v = malloc((list->n + 1) * sizeof *v); /* kept until exit */
    int rc = v ? own(c, (char *)v) : bti_error_set(BTI_EDB, _("out of memory"));
    if (rc == 0 && (o->kind == KIND_TEXT || o->kind == KIND_NAME))
        rc = cmd_text(c, arg, &value);
    if (rc)
        return rc;
    if (list->n)
        memcpy(v, list->v, list->n * sizeof *v);
    v[list->n++] = value;
    list->v = v;
    return 0;
}

int cmd_read_choice(struct cmd_ctx *c, const struct cmd_option *o, const char *arg, void *to)
{
    (void)c, (void)arg;
    *(const char **)to = o->name;
    return 0;
}

/* The person whose born `to` points at. */
static struct bti_person_in *person_of(void *to)
{
    return (struct bti_person_in *)((char *)to - offsetof(struct bti_person_in, born));
}

int cmd_read_born(struct cmd_ctx *c, const struct cmd_option *o, const char *arg, void *to)
{
    person_of(to)->expected = 0; /* a birth, not an expected date (the table excludes --expected) */
    return read_date(c, o, arg, to);
}

int cmd_read_expected(struct cmd_ctx *c, const struct cmd_option *o, const char *arg, void *to)
{
    person_of(to)->expected = 1;
    return read_date(c, o, arg, to);
}

/* How a value of each kind is read when its row names no reader. */
static const cmd_reader kind_readers[] = {
    [KIND_FLAG] = read_flag,
    [KIND_TEXT] = read_text,
    [KIND_NAME] = read_text,
    [KIND_DATE] = read_date,
    [KIND_ID] = read_id,
    [KIND_CASE] = read_id,
    [KIND_UNIT] = read_unit,
    [KIND_COORDINATOR] = read_coordinator,
    [KIND_WORD] = cmd_read_word,
    [KIND_STATE] = read_state,
};

int cmd_read_options(struct cmd_ctx *c, int argc, char **argv, void *in)
{
    int opt, rc = 0;
    while (rc == 0 && (opt = cmd_opt(c, argc, argv)) != -1) {
        if (opt < OPTION_KEY(0))
            return cmd_bad_option(c, opt, argv);
        const struct cmd_option *o = &c->verb->opts[opt - OPTION_KEY(0)];
        cmd_reader read = o->read ? o->read : kind_readers[o->kind];
        rc = read(c, o, o->kind == KIND_FLAG ? NULL : optarg, (char *)in + o->at);
    }
    return rc;
}

int cmd_args(struct cmd_ctx *c, int argc, char **argv, int n, char **out, const char *names)
{
    int have = argc - optind;
    if (have < n) {
        bti_error_set(BTI_EUSAGE, _("missing %s"), names);
        return bti_error_set_hint(_("usage: bti %s"), c->verb->usage);
    }
    if (have > n) { /* not quoted: a stray word may be a name */
        bti_error_set(BTI_EUSAGE,
                      dngettext(BTI_TEXTDOMAIN, "%d argument too many", "%d arguments too many",
                                (unsigned long)(have - n)),
                      have - n);
        return bti_error_set_hint(_("usage: bti %s"), c->verb->usage);
    }
    for (int i = 0; i < n; i++)
        out[i] = argv[optind + i];
    return 0;
}

/* Read at most VALUE_MAX bytes of fp into a new string without its final
 * line end. */
static int read_value(FILE *fp, char **out)
{
    char *buf = malloc(VALUE_MAX + 1);
    if (!buf)
        return bti_error_set(BTI_EDB, _("out of memory"));
    size_t n = fread(buf, 1, VALUE_MAX + 1, fp);
    if (n > VALUE_MAX) {
        free(buf);
        return bti_error_set(BTI_EINVAL, _("a value read with @ is longer than 64 KiB"));
    }
    buf[n] = '\0';
    if (memchr(buf, '\0', n)) {
        free(buf);
        return bti_error_set(BTI_EINVAL, _("a value read with @ holds a NUL byte"));
    }
    if (n && buf[n - 1] == '\n')
        buf[--n] = '\0';
    if (n && buf[n - 1] == '\r')
        buf[--n] = '\0';
    *out = buf;
    return 0;
}

/* Read a value from standard input, without echo when it is a terminal. */
static int read_stdin(char **out)
{
    struct termios old, quiet;
    int tty = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &old) == 0;
    if (tty) {
        quiet = old;
        quiet.c_lflag &= ~(tcflag_t)ECHO;
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
        fputs(_("value: "), stderr);
    }
    char line[4096];
    int rc = 0;
    if (tty) {
        if (!fgets(line, sizeof line, stdin))
            line[0] = '\0';
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
        fputc('\n', stderr);
        line[strcspn(line, "\r\n")] = '\0';
        *out = strdup(line);
        rc = *out ? 0 : bti_error_set(BTI_EDB, _("out of memory"));
    } else {
        rc = read_value(stdin, out);
    }
    return rc;
}

void cmd_made(struct cmd_ctx *c, const char *path)
{
    snprintf(c->made, sizeof c->made, "%s", path);
}

void cmd_user_files(int on)
{
    static gid_t shared;
    if (getegid() == getgid() && !shared)
        return;
    if (on) {
        shared = getegid();
        if (setegid(getgid()) != 0)
            shared = 0;
    } else if (shared) {
        if (setegid(shared) == 0)
            shared = 0;
    }
}

int cmd_open_regular(const char *path, const char *prefix, int *fd, size_t *size)
{
    struct stat st;
    cmd_user_files(1);
    *fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    int err = errno;
    cmd_user_files(0);
    if (*fd < 0 && err == ELOOP)
        return bti_error_set(BTI_EINVAL, _("'%s%s' is a symbolic link: give the file itself"),
                             prefix, path);
    if (*fd < 0)
        return bti_error_set(BTI_EINVAL, _("cannot read '%s%s': %s"), prefix, path, strerror(err));
    if (fstat(*fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(*fd);
        *fd = -1;
        return bti_error_set(BTI_EINVAL, _("'%s%s' is not a regular file"), prefix, path);
    }
    if (size)
        *size = (size_t)st.st_size;
    return 0;
}

/* Read a value from a regular file (never a FIFO, device or symlink). */
static int read_file(const char *path, char **out)
{
    int fd;
    int rc = cmd_open_regular(path, "@", &fd, NULL);
    FILE *fp = rc ? NULL : fdopen(fd, "r");
    if (rc == 0 && !fp) {
        close(fd);
        rc = bti_error_set(BTI_EDB, _("cannot read '@%s': %s"), path, strerror(errno));
    }
    if (rc == 0) {
        rc = read_value(fp, out);
        fclose(fp);
    }
    return rc;
}

/* Non-zero when arg gives a value as @-, alone or as --option=@-. */
static int takes_stdin(const char *arg)
{
    size_t n = strlen(arg);
    return strcmp(arg, "@-") == 0 || (n > 3 && arg[0] == '-' && strcmp(arg + n - 3, "=@-") == 0);
}

/* Keep value (malloc'd) until exit. */
static int own(struct cmd_ctx *c, char *value)
{
    char **owned = realloc(c->owned, (c->nowned + 1) * sizeof *owned);
    if (!owned) {
        free(value);
        return bti_error_set(BTI_EDB, _("out of memory"));
    }
    c->owned = owned;
    c->owned[c->nowned++] = value;
    return 0;
}

int cmd_read_stdin_value(struct cmd_ctx *c, int argc, char **argv)
{
    int n = 0;
    for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
        n += takes_stdin(argv[i]);
    if (n > 1)
        return bti_error_set(BTI_EUSAGE, _("only one value can come from standard input (@-)"));
    if (n == 0)
        return 0;
    int rc = read_stdin(&c->stdin_value);
    return rc ? rc : own(c, c->stdin_value);
}

/* The raw value of a text argument: arg, or what @FILE or @- holds. */
static int raw_text(struct cmd_ctx *c, const char *arg, const char **out)
{
    if (arg[0] != '@') {
        *out = arg;
        return 0;
    }
    if (strcmp(arg, "@-") == 0 && c->stdin_value) {
        *out = c->stdin_value;
        return 0;
    }
    char *value = NULL;
    int rc = strcmp(arg, "@-") == 0 ? read_stdin(&value) : read_file(arg + 1, &value);
    if (rc == 0)
        rc = own(c, value);
    if (rc == 0)
        *out = value;
    return rc;
}

/* Non-zero when s is ASCII alone (already in every normal form). */
static int is_ascii(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s >= 0x80)
            return 0;
    return 1;
}

int cmd_text(struct cmd_ctx *c, const char *arg, const char **out)
{
    int rc = raw_text(c, arg, out);
    if (rc || is_ascii(*out))
        return rc;
    char *nfc = bti_text_nfc(*out);
    rc = nfc ? own(c, nfc) : bti_error_set(BTI_EDB, _("out of memory"));
    if (rc == 0)
        *out = nfc;
    return rc;
}

int cmd_date(struct cmd_ctx *c, const char *arg, const char *what, bti_date *out)
{
    return bti_date_parse(out, arg, c->bctx.today, what);
}

int cmd_id(const char *arg, const char *what, long long *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(arg, &end, 10);
    if (errno || end == arg || *end || v <= 0 || arg[0] == '+' || arg[0] == ' ')
        return bti_error_set(BTI_EINVAL, _("invalid %s: expected a positive whole number"), what);
    *out = v;
    return 0;
}

int cmd_id_arg(struct cmd_ctx *c, int argc, char **argv, const char *name, long long *id)
{
    char *arg;
    int rc = cmd_args(c, argc, argv, 1, &arg, name);
    return rc ? rc : cmd_id(arg, name, id);
}

int cmd_case(struct cmd_ctx *c, int argc, char **argv, long long *id)
{
    char *arg;
    int rc = cmd_args(c, argc, argv, 1, &arg, "CASE");
    return rc ? rc : cmd_case_id(c, arg, id);
}

int cmd_case_id(struct cmd_ctx *c, const char *arg, long long *id)
{
    int rc = cmd_id(arg, "CASE", id);
    return rc ? rc : bti_case_allowed(c->db, *id);
}

int cmd_date_note(struct cmd_ctx *c, int argc, char **argv, struct cmd_date_note *e)
{
    *e = (struct cmd_date_note){.date = BTI_NO_DATE};
    int rc = cmd_read_options(c, argc, argv, e);
    return rc ? rc : cmd_args(c, argc, argv, 0, NULL, "");
}

int cmd_unit(struct cmd_ctx *c, const char *arg, long long *out)
{
    return bti_unit_find(c->db, arg, out);
}

/* Write a line of a write's report after prefix: held with the summaries
 * until the write commits, and not at all with -q. */
static void say(struct cmd_ctx *c, const char *prefix, const char *fmt, va_list ap)
{
    FILE *fp = c->summaries ? c->summaries : stderr;
    if (c->quiet)
        return;
    fputs(prefix, fp);
    vfprintf(fp, fmt, ap);
    fputc('\n', fp);
}

void cmd_summary(struct cmd_ctx *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    say(c, c->dry_run ? _("dry run: ") : "", fmt, ap);
    va_end(ap);
}

void cmd_warning(struct cmd_ctx *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    say(c, _("bti: warning: "), fmt, ap);
    va_end(ap);
}

int cmd_created(struct cmd_ctx *c, const char *entity, long long id)
{
    if (c->out.format != OUT_JSON) {
        fprintf(c->out.fp, "%lld\n", id);
        return 0;
    }
    cJSON *obj;
    int rc = bti_entity_get(c->db, entity, id, &obj);
    return rc ? rc : cmd_object(c, obj);
}

int cmd_list_all(struct cmd_ctx *c, int argc, char **argv, const struct bti_cols *cols,
                 int (*list)(struct bti_db *db, bti_row_fn fn, void *arg))
{
    int rc = cmd_plain(c, argc, argv, 0, NULL, "");
    struct out_list *l = rc ? NULL : cmd_list_begin(c, cols);
    return rc ? rc : cmd_list_end(l, l ? list(c->db, out_list_row, l) : 0);
}

struct out_list *cmd_list_begin(struct cmd_ctx *c, const struct bti_cols *cols)
{
    return out_list_begin(&c->out, cols->col, cols->n);
}

int cmd_list_end(struct out_list *list, int rc)
{
    if (!list)
        return bti_error_code();
    int end = out_list_end(list);
    return rc ? rc : end;
}

int cmd_plain(struct cmd_ctx *c, int argc, char **argv, int n, char **out, const char *names)
{
    int rc = cmd_read_options(c, argc, argv, NULL);
    return rc ? rc : cmd_args(c, argc, argv, n, out, names);
}

int cmd_ask(const char *question)
{
    char answer[16];
    /* TRANSLATORS: the answers the question takes: rpmatch reads them by the locale */
    fprintf(stderr, _("%s [y/N] "), question);
    if (fgets(answer, sizeof answer, stdin) && rpmatch(answer) == 1)
        return 0;
    return bti_error_set(BTI_ERULE, _("not done: not confirmed"));
}

const char *cmd_state_word(enum bti_state s)
{
    return out_value("status", bti_state_name(s));
}

int cmd_confirm(struct cmd_ctx *c, const char *question)
{
    if (c->rehearsal) {
        snprintf(c->question, sizeof c->question, "%s", question);
        return 0;
    }
    if (c->dry_run || c->confirmed || !isatty(STDIN_FILENO))
        return 0;
    return cmd_ask(question);
}

int cmd_stop_at_first(const struct bti_row *row, void *arg)
{
    (void)row, (void)arg;
    return BTI_ECHECK;
}

int cmd_object(struct cmd_ctx *c, cJSON *obj)
{
    int rc = out_object(&c->out, obj);
    cJSON_Delete(obj);
    return rc;
}
