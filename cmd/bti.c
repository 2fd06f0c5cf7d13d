/*
 * The dispatcher: global options, the command table, the common set-up of
 * every command (today, login, database, role, transaction) and the one
 * place where results become exit codes (SPEC sections 5 and 7).
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <locale.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#include "base/intl.h"
#include "bti/config.h"
#include "bti/case.h"
#include "bti/coordinator.h"
#include "bti/error.h"
#include "base/intl.h"
#include "bti/lifecycle.h"
#include "bti/unit.h"
#include "bti/text.h"
#include "cmd.h"
#include "outfile.h"

/* The command table: the groups; each group's verbs and each verb's
 * options are tables in cmd/<noun>.c (the layout and the checklist of
 * adding a command: cmd.h). */
static const struct cmd_group *const groups[] = {
    &cmd_init_group,      &cmd_user_group,        &cmd_unit_group,    &cmd_person_group,
    &cmd_referral_group,  &cmd_case_group,        &cmd_consent_group, &cmd_ke_group,
    &cmd_basis_group,     &cmd_coordinator_group, &cmd_plan_group,    &cmd_group_group,
    &cmd_gathering_group, &cmd_report_group,      &cmd_due_group,     &cmd_import_group,
    &cmd_export_group,    &cmd_restore_group,     &cmd_audit_group,   &cmd_doctor_group,
    &cmd_backup_group,    &cmd_status_group,      &cmd_help_group,
};
#define NGROUPS (sizeof groups / sizeof groups[0])

/* The global options, accepted anywhere on the line (SPEC section 5). */
enum global_id {
    G_DB,
    G_FORMAT,
    G_JSON,
    G_CSV,
    G_EXCEL,
    G_XLSX,
    G_OUTPUT,
    G_FORCE,
    G_RAW,
    G_ACTOR,
    G_IDENTIFY,
    G_PSEUDONYMOUS,
    G_TODAY,
    G_DRY_RUN,
    G_QUIET,
    G_NO_PAGER,
    G_COLOR,
    G_HELP,
    G_VERSION,
};

static const struct global {
    const char *name;
    int takes_value;
    enum global_id id;
} globals[] = {
    {"--db", 1, G_DB},       {"--format", 1, G_FORMAT},
    {"--json", 0, G_JSON},   {"--csv", 0, G_CSV},
    {"--excel", 0, G_EXCEL}, {"--xlsx", 0, G_XLSX},
    {"-o", 1, G_OUTPUT},     {"--output", 1, G_OUTPUT},
    {"--force", 0, G_FORCE}, {"--raw", 0, G_RAW},
    {"--actor", 1, G_ACTOR}, {"--identify", 0, G_IDENTIFY},
    {"--pseudonymous", 0, G_PSEUDONYMOUS},
    {"--today", 1, G_TODAY}, {"--dry-run", 0, G_DRY_RUN},
    {"-q", 0, G_QUIET},      {"--no-pager", 0, G_NO_PAGER},
    {"--color", 1, G_COLOR}, {"-h", 0, G_HELP},
    {"--help", 0, G_HELP},   {"--version", 0, G_VERSION},
    {"--quiet", 0, G_QUIET},
};

/* The global options as given. */
struct globals {
    const char *db, *format, *actor, *today, *color, *output;
    int identify, pseudonymous, dry_run, quiet, no_pager, help, version, raw, force;
};

/* Match arg against a global option; *value points at an inline "=value". */
static const struct global *match_global(const char *arg, const char **value)
{
    for (size_t i = 0; i < sizeof globals / sizeof globals[0]; i++) {
        size_t n = strlen(globals[i].name);
        if (strncmp(arg, globals[i].name, n) != 0)
            continue;
        if (arg[n] == '\0') {
            *value = NULL;
            return &globals[i];
        }
        if (arg[n] == '=' && globals[i].takes_value) {
            *value = arg + n + 1;
            return &globals[i];
        }
    }
    return NULL;
}

/* Record one global option's value in g. */
static void set_global(struct globals *g, enum global_id id, const char *v)
{
    switch (id) {
    case G_DB: g->db = v; break;
    case G_FORMAT: g->format = v; break;
    case G_JSON: g->format = "json"; break;
    case G_CSV: g->format = "csv"; break;
    case G_EXCEL: g->format = "excel"; break;
    case G_XLSX: g->format = "xlsx"; break;
    case G_OUTPUT: g->output = v; break;
    case G_FORCE: g->force = 1; break;
    case G_RAW: g->raw = 1; break;
    case G_ACTOR: g->actor = v; break;
    case G_IDENTIFY: g->identify = 1; break;
    case G_PSEUDONYMOUS: g->pseudonymous = 1; break;
    case G_TODAY: g->today = v; break;
    case G_DRY_RUN: g->dry_run = 1; break;
    case G_QUIET: g->quiet = 1; break;
    case G_NO_PAGER: g->no_pager = 1; break;
    case G_COLOR: g->color = v; break;
    case G_HELP: g->help = 1; break;
    case G_VERSION: g->version = 1; break;
    }
}

/* Take the global options out of argv wherever they stand (up to "--"),
 * leaving the command's words in order; one that takes a value may be
 * given once.  Returns the new argc, -1 for a usage error. */
static int take_globals(int argc, char **argv, struct globals *g)
{
    int out = 1, i = 1;
    unsigned seen = 0;
    for (; i < argc && strcmp(argv[i], "--") != 0; i++) {
        const char *value;
        const struct global *opt = match_global(argv[i], &value);
        if (!opt) {
            argv[out++] = argv[i];
            continue;
        }
        if (opt->takes_value && (seen & 1U << opt->id))
            return bti_error_set(BTI_EUSAGE, _("option '%s' given twice"), opt->name), -1;
        seen |= 1U << opt->id;
        if (opt->takes_value && !value) {
            if (i + 1 == argc)
                return bti_error_set(BTI_EUSAGE, _("option '%s' needs a value"), opt->name), -1;
            value = argv[++i];
        }
        set_global(g, opt->id, value);
    }
    while (i < argc)
        argv[out++] = argv[i++];
    argv[out] = NULL;
    return out;
}

/* Edit distance of a and b, capped at 9: enough to suggest a word. */
static int distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 30 || lb > 30)
        return 9;
    int d[32][32];
    for (size_t i = 0; i <= la; i++)
        d[i][0] = (int)i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = (int)j;
    for (size_t i = 1; i <= la; i++)
        for (size_t j = 1; j <= lb; j++) {
            int sub = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
            int del = d[i - 1][j] + 1, ins = d[i][j - 1] + 1;
            d[i][j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
        }
    return d[la][lb];
}

/* Refuse an unknown word, suggesting the nearest of words[] and listing all. */
static int unknown_word(const char *kind, const char *where, const char *word,
                        const char *const *words, size_t n)
{
    const char *best = NULL;
    int best_d = 3;
    char list[512] = "";
    for (size_t i = 0; i < n; i++) {
        int d = distance(word, words[i]);
        if (d < best_d || (strncmp(word, words[i], strlen(word)) == 0 && best_d > 1 && *word))
            best = words[i], best_d = d < best_d ? d : 1;
        snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", i ? ", " : "", words[i]);
    }
    bti_error_set(BTI_EUSAGE, _("unknown %s%s: '%s'"), kind, where, word);
    if (best)
        return bti_error_set_hint(_("did you mean '%s'? valid: %s"), best, list);
    return bti_error_set_hint(_("valid: %s"), list);
}

/* The group named name, or an error suggesting one. */
const struct cmd_group *cmd_find_group(const char *name)
{
    const char *words[NGROUPS];
    size_t n = 0;
    for (size_t i = 0; i < NGROUPS; i++) {
        if (strcmp(groups[i]->name, name) == 0)
            return groups[i];
        words[n++] = groups[i]->name;
    }
    unknown_word(_("command"), "", name, words, n);
    return NULL;
}

/* The first word of verb name v is w (a verb may be two words: "meeting add"). */
static int first_word_is(const char *v, const char *w)
{
    size_t n = strcspn(v, " ");
    return strlen(w) == n && strncmp(v, w, n) == 0;
}

/* Collect the distinct words at position `second` (0 or 1) of the verbs of
 * g whose first word is `first` (NULL: all verbs). */
static size_t verb_words(const struct cmd_group *g, const char *first, int second,
                         const char **words, char bufs[][32], size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < g->nverbs && n < max; i++) {
        const char *v = g->verbs[i].name, *sp = strchr(v, ' ');
        if ((first && !first_word_is(v, first)) || (second && !sp))
            continue;
        snprintf(bufs[n], 32, "%.*s", (int)(second ? strlen(sp + 1) : strcspn(v, " ")),
                 second ? sp + 1 : v);
        int dup = 0;
        for (size_t j = 0; j < n; j++)
            dup |= strcmp(bufs[j], bufs[n]) == 0;
        if (!dup)
            words[n] = bufs[n], n++;
    }
    return n;
}

/* The verb of group g named by the first one or two of words[0..n); *used
 * gets how many words it took.  The single verb of a verbless group takes none. */
static const struct cmd_verb *find_verb(const struct cmd_group *g, int n, char **words, int *used)
{
    const char *list[32];
    char bufs[32][32], where[64];
    *used = 0;
    if (g->verbs[0].name == NULL)
        return &g->verbs[0];
    for (size_t i = 0; n > 0 && i < g->nverbs; i++) {
        const char *v = g->verbs[i].name, *sp = strchr(v, ' ');
        if (!first_word_is(v, words[0]))
            continue;
        if (!sp)
            return *used = 1, &g->verbs[i];
        if (n > 1 && strcmp(sp + 1, words[1]) == 0)
            return *used = 2, &g->verbs[i];
    }
    int nested = n > 0 && verb_words(g, words[0], 1, list, bufs, 32) > 0;
    size_t count = verb_words(g, nested ? words[0] : NULL, nested, list, bufs, 32);
    snprintf(where, sizeof where, _(" of '%s%s%s'"), g->name, nested ? " " : "",
             nested ? words[0] : "");
    if (n > nested)
        return unknown_word(_("subcommand"), where, words[nested], list, count), NULL;
    bti_error_set(BTI_EUSAGE, _("'%s%s%s' needs a subcommand"), g->name, nested ? " " : "",
                  nested ? words[0] : "");
    return NULL;
}

/* The word -h shows for the value of option o of verb v: its words
 * ("a|b|c") for a word from a set, else what the kind takes. */
static const char *value_word(const struct cmd_verb *v, const struct cmd_option *o, char *buf,
                              size_t size)
{
    static const char *const words[] = {
        [KIND_FLAG] = "",       [KIND_TEXT] = "TEXT",     [KIND_NAME] = "NAME",
        [KIND_DATE] = "DATE",   [KIND_ID] = "N",          [KIND_CASE] = "CASE",
        [KIND_UNIT] = "UNIT",   [KIND_COORDINATOR] = "C", [KIND_WORD] = "WORD",
        [KIND_STATE] = "STATE",
    };
    if (o->kind == KIND_WORD && cmd_option_words(v->usage, o->name, buf, size))
        return buf;
    return words[o->kind];
}

/* Print the options of verb v, each with its value and help line, as git's
 * -h does. */
static void print_options(FILE *fp, const struct cmd_verb *v)
{
    char words[128], head[160];
    fprintf(fp, "\n%s\n", _("options:"));
    for (const struct cmd_option *o = v->opts; o->name; o++) {
        const char *value = value_word(v, o, words, sizeof words);
        int n = snprintf(head, sizeof head, "--%s%s%s", o->name, *value ? " " : "", value);
        fprintf(fp, "    %s", head);
        if (n > 24)
            fprintf(fp, "\n    %24s", "");
        else
            fprintf(fp, "%*s", 24 - n, "");
        fprintf(fp, "  %s%s\n", _(o->help), (o->rules & OPT_REQUIRED) ? _(" (required)") : "");
    }
}

/* Print the usage of one verb: synopsis, summary and its options. */
static void print_verb_usage(FILE *fp, const struct cmd_verb *v)
{
    fprintf(fp, _("usage: bti %s\n\n%s\n"), v->usage, _(v->summary));
    if (v->opts && v->opts[0].name)
        print_options(fp, v);
    fputs(_("\nglobal options: bti -h; the manual: bti help COMMAND\n"), fp);
}

/* Whether verb v's name begins with the word `first` ("member" of
 * "member add"). */
static int verb_begins(const struct cmd_verb *v, const char *first)
{
    size_t n = strlen(first);
    return v->name && strncmp(v->name, first, n) == 0 && (v->name[n] == ' ' || !v->name[n]);
}

/* Print the verbs of a group with their synopses: those that begin with
 * the word `first` when some do (bti ke member -h), else all. */
static void print_group_usage(FILE *fp, const struct cmd_group *g, const char *first)
{
    int some = 0;
    for (size_t i = 0; first && i < g->nverbs; i++)
        some |= verb_begins(&g->verbs[i], first);
    fprintf(fp, _("usage: bti %s <subcommand> [options] [args]\n\n%s:\n"), g->name, _(g->summary));
    for (size_t i = 0; i < g->nverbs; i++)
        if (!some || verb_begins(&g->verbs[i], first))
            fprintf(fp, "  bti %s\n      %s\n", g->verbs[i].usage, _(g->verbs[i].summary));
}

/* Print every command with its summary. */
static void print_commands(FILE *fp)
{
    fputs(_("usage: bti [global options] <command> [<subcommand>] [options] [args]\n\n"
            "commands:\n"),
          fp);
    for (size_t i = 0; i < NGROUPS; i++)
        fprintf(fp, "  %-12s %s\n", groups[i]->name, _(groups[i]->summary));
    fputs(_("\nglobal options: --db PATH, --format table|json|csv|excel|xlsx|html (--json, --csv,\n"
            "  --excel, --xlsx), -o/--output FILE, --force, --raw, --actor NAME, --identify,\n"
            "  --pseudonymous, --today DATE, --dry-run, -q/--quiet, --no-pager,\n"
            "  --color auto|never|always, -h/--help, --version\n"
            "\n'bti help COMMAND' shows a command's manual.\n"),
          fp);
}

/* Print the usage text of command (every command when it is "") on fp: what
 * `bti help` shows where man cannot. */
void cmd_print_usage(FILE *fp, const char *command)
{
    const struct cmd_group *g = *command ? cmd_find_group(command) : NULL;
    if (g)
        print_group_usage(fp, g, NULL);
    else
        print_commands(fp);
}

/* The OS login of the real user id, never $USER. */
static const char *os_login(void)
{
    static char buf[64];
    struct passwd *pw = getpwuid(getuid());
    if (pw && pw->pw_name)
        return pw->pw_name;
    snprintf(buf, sizeof buf, "uid-%u", (unsigned)getuid());
    return buf;
}

/* Non-zero when bti runs setgid (shared mode, SPEC section 9): the group
 * gives access to the database, so --db and BTI_DB are ignored. */
static int shared_mode(void)
{
    return getegid() != getgid();
}

/* The database path: --db, BTI_DB, db= in /etc/bti.conf, or
 * $XDG_DATA_HOME/bti/bti.db (~/.local/share/bti/bti.db). */
static int db_path(const char *option, char *buf, size_t size)
{
    struct bti_config cfg;
    const char *env = getenv("BTI_DB");
    if (shared_mode()) { /* the database is the one the administrator configured */
        int rc = bti_config_read(BTI_CONFIG_PATH, &cfg);
        snprintf(buf, size, "%s", cfg.db);
        if (rc == 0 && !cfg.db[0])
            rc = bti_error_set(BTI_EDB, _("a setgid bti needs db= in %s"), BTI_CONFIG_PATH);
        return rc;
    }
    if (option || (env && *env)) {
        snprintf(buf, size, "%s", option ? option : env);
        return 0;
    }
    int rc = bti_config_read(BTI_CONFIG_PATH, &cfg);
    if (rc || cfg.db[0]) {
        snprintf(buf, size, "%s", cfg.db);
        return rc;
    }
    const char *xdg = getenv("XDG_DATA_HOME"), *home = getenv("HOME");
    if (xdg && *xdg == '/')
        snprintf(buf, size, "%s/bti/bti.db", xdg);
    else
        snprintf(buf, size, "%s/.local/share/bti/bti.db", home ? home : ".");
    return 0;
}

/* Whether to colour: --color, else at a terminal; never with a non-empty
 * NO_COLOR (no-color.org: an empty one does not count). */
static int use_color(const char *when, int *out)
{
    int tty = isatty(STDOUT_FILENO);
    const char *term = getenv("TERM");
    if (when && strcmp(when, "always") && strcmp(when, "never") && strcmp(when, "auto"))
        return bti_error_set(BTI_EINVAL, _("invalid value for --color: expected auto, never or "
                                           "always"));
    const char *no_color = getenv("NO_COLOR");
    *out = !(no_color && *no_color) &&
           ((when && !strcmp(when, "always")) ||
            ((!when || !strcmp(when, "auto")) && tty && !(term && !strcmp(term, "dumb"))));
    return 0;
}

/* Milliseconds to wait for a locked database: BTI_BUSY_TIMEOUT seconds, or 5. */
static int busy_ms(int *out)
{
    const char *s = getenv("BTI_BUSY_TIMEOUT");
    char *end;
    double secs = s ? strtod(s, &end) : 5;
    *out = 5000;
    if (s && (end == s || *end || !(secs >= 0 && secs <= 3600)))
        return bti_error_set(BTI_EINVAL,
                             _("BTI_BUSY_TIMEOUT must be a number of seconds from 0 to 3600"));
    *out = (int)(secs * 1000);
    return 0;
}

/* Fill the run context from the global options. */
static int set_up(struct cmd_ctx *c, const struct globals *g, const char *command)
{
    int rc = bti_date_today(&c->bctx.today, g->today, getenv("BTI_TODAY"));
    if (rc == 0)
        rc = bti_date_today(&c->bctx.real_today, NULL, NULL);
    c->bctx.login = os_login();
    c->bctx.actor = g->actor ? g->actor : getenv("BTI_ACTOR");
    if (c->bctx.actor && !*c->bctx.actor)
        c->bctx.actor = NULL;
    if (rc == 0 && c->bctx.actor)
        rc = bti_text_check(c->bctx.actor, BTI_TEXT_NAME, "--actor");
    c->bctx.command = command;
    c->bctx.identify = g->identify;
    c->bctx.pseudonymous = g->pseudonymous;
    if (rc == 0 && g->identify && g->pseudonymous)
        rc = bti_error_set(BTI_EUSAGE, _("--identify and --pseudonymous exclude each other"));
    if (rc == 0)
        rc = busy_ms(&c->bctx.busy_ms);
    c->quiet = g->quiet;
    c->dry_run = g->dry_run;
    c->out.raw = g->raw;
    c->out.fp = stdout;
    c->out.width = out_terminal_width(STDOUT_FILENO);
    c->force = g->force;
    if (rc == 0 && g->force && !g->output && !(c->verb->flags & CMD_FILE)) {
        bti_error_set(BTI_EUSAGE, _("--force goes with -o FILE (or export FILE)"));
        rc = bti_error_set_hint(_("bti -o FILE --force ..."));
    }
    if (rc == 0 && g->format)
        rc = out_format_parse(&c->out.format, g->format);
    if (rc == 0 && g->output)
        rc = cmd_output_file(c, g->output);
    if (rc == 0 && c->out.format == OUT_XLSX && c->out.fp == stdout && isatty(STDOUT_FILENO)) {
        bti_error_set(BTI_EUSAGE, _("xlsx is not for a terminal"));
        rc = bti_error_set_hint(_("write it to a file with -o FILE, or into a pipe"));
    }
    if (rc == 0)
        rc = use_color(g->color, &c->out.color);
    if (rc == 0)
        rc = db_path(g->db, c->db_path, sizeof c->db_path);
    return rc;
}

/* Non-zero when the program that the shell command `cmd` starts with can
 * run: a path that is executable, or a name found on PATH. */
static int can_run(const char *cmd)
{
    char word[NAME_MAX + 1], path[PATH_MAX];
    size_t n = strcspn(cmd, " \t");
    if (n == 0 || n >= sizeof word)
        return 0;
    memcpy(word, cmd, n);
    word[n] = '\0';
    if (strchr(word, '/'))
        return access(word, X_OK) == 0;
    const char *dirs = getenv("PATH");
    for (const char *d = dirs ? dirs : "/usr/bin:/bin"; *d;) {
        size_t len = strcspn(d, ":");
        int fits = snprintf(path, sizeof path, "%.*s/%s", (int)(len ? len : 1), len ? d : ".",
                            word) < (int)sizeof path;
        if (fits && access(path, X_OK) == 0)
            return 1;
        d += len + (d[len] == ':');
    }
    return 0;
}

/* Start $PAGER (less by default, with LESS=FRX when LESS is unset, as git
 * does, so colours pass and short output is not paged) for a listing at a
 * terminal.  A pager that cannot run means plain output, with a warning
 * when it was the user's choice. */
static FILE *start_pager(const struct cmd_ctx *c, const struct globals *g)
{
    if (g->no_pager || !(c->verb->flags & CMD_PAGER) || c->out.format != OUT_TABLE ||
        c->out.fp != stdout || !isatty(STDOUT_FILENO))
        return NULL;
    const char *pager = getenv("PAGER");
    if (pager && (!*pager || !strcmp(pager, "cat")))
        return NULL;
    if (!can_run(pager ? pager : "less")) {
        if (pager && !g->quiet)
            fprintf(stderr, _("bti: warning: cannot run the pager '%.*s'\n"),
                    (int)strcspn(pager, " \t"), pager);
        return NULL;
    }
    setenv("LESS", "FRX", 0);
    fflush(stdout);
    return popen(pager ? pager : "less", "w");
}

/* Flush fp; a full disk is an error, a closed pipe is not (what was read
 * is still logged, what was written still done). */
static int flush_output(FILE *fp)
{
    if (fflush(fp) == 0 && !ferror(fp))
        return 0;
    if (errno == EPIPE)
        return 0;
    return bti_error_set(BTI_EDB, _("cannot write output: %s"), strerror(errno));
}

/* Hold the output in memory when standard output is a file others can
 * read, so that identified output can be refused before it lands there;
 * *guarded gets the stream (NULL when not held).  --identify is not refused
 * here: `export FILE` reads identified data but writes none of it to
 * standard output. */
static int guard_begin(struct cmd_ctx *c, FILE **guarded, char **text, size_t *len)
{
    *guarded = NULL;
    if (c->out.fp != stdout || !outfile_stdout_readable())
        return 0;
    *guarded = open_memstream(text, len);
    if (!*guarded)
        return bti_error_set(BTI_EDB, _("out of memory"));
    c->out.fp = *guarded;
    return 0;
}

/* Refuse what guard_begin holds when the verb read identified data or was
 * asked to show it (--identify) (its reads are then not logged, since
 * nothing is shown); before the commit.  Output that went to a file of the
 * verb's own (`export FILE`) is not standard output's. */
static int guard_refuse(struct cmd_ctx *c, FILE *guarded, int rc)
{
    if (!guarded || rc != 0 || c->outfile ||
        !(c->bctx.identify || bti_db_identified_reads(c->db)))
        return rc;
    bti_db_forget_reads(c->db);
    return outfile_identified_refused();
}

/* Release what guard_begin held: written to standard output unless the
 * command failed. */
static int guard_end(struct cmd_ctx *c, FILE *guarded, char **text, size_t *len, int rc)
{
    if (!guarded)
        return rc;
    fclose(guarded); /* sets *text and *len */
    c->out.fp = stdout;
    if (rc == 0 && *len > 0)
        fwrite(*text, 1, *len, stdout);
    free(*text);
    *text = NULL;
    return rc;
}

/* Somewhere to hold what a logging read prints until its access row is
 * committed (SPEC section 9: a read that cannot be logged shows nothing):
 * an unnamed file beside the database (O_TMPFILE: a kill leaves nothing,
 * memory stays flat), else memory. */
static FILE *hold_output(const struct cmd_ctx *c, char **mem, size_t *len)
{
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%s", c->db_path);
    int fd = open(dirname(dir), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    FILE *fp = fd >= 0 ? fdopen(fd, "w+") : NULL;
    if (fd >= 0 && !fp)
        close(fd);
    return fp ? fp : open_memstream(mem, len);
}

/* Write what was held to out, once the read is logged, and close it. */
static int release_output(FILE *held, char **mem, const size_t *len, FILE *out, int show)
{
    char buf[64 * 1024];
    size_t n;
    int rc = fflush(held) == 0
                 ? 0
                 : bti_error_set(BTI_EDB, _("cannot write output: %s"), strerror(errno));
    if (rc == 0 && show && *mem) /* held in memory: fflush set *mem and *len */
        rc = fwrite(*mem, 1, *len, out) == *len ? 0 : flush_output(out);
    else if (rc == 0 && show) {
        rewind(held);
        while (rc == 0 && (n = fread(buf, 1, sizeof buf, held)) > 0)
            rc = fwrite(buf, 1, n, out) == n ? 0 : flush_output(out);
    }
    fclose(held);
    free(*mem);
    return rc;
}

/* Open the database, check the role, and run the verb in one transaction:
 * committed on success, rolled back on failure or --dry-run.  A write's
 * output is flushed before the commit: a change whose report could not be
 * written is not made. */
static int run_in_db(struct cmd_ctx *c, int argc, char **argv)
{
    const struct cmd_verb *v = c->verb;
    int write = (v->flags & CMD_WRITE) != 0;
    int lock = write || (v->flags & CMD_LOGS);
    char *summaries = NULL, *guarded_text = NULL;
    size_t summaries_len = 0, guarded_len = 0;
    FILE *guarded;
    int rc = guard_begin(c, &guarded, &guarded_text, &guarded_len);
    if (rc)
        return rc;
    /* a guarded verb's report waits too: it may yet be refused */
    c->summaries = write || guarded ? open_memstream(&summaries, &summaries_len) : NULL;
    FILE *out = c->out.fp, *held = NULL;
    char *mem = NULL;
    size_t mem_len = 0;
    if (lock && !write && !(held = hold_output(c, &mem, &mem_len)))
        rc = bti_error_set(BTI_EDB, _("out of memory"));
    if (held)
        c->out.fp = held;
    if (rc == 0)
        rc = bti_db_open(&c->db, c->db_path, &c->bctx);
    if (rc == 0)
        rc = bti_db_login(c->db, c->bctx.identify ? BTI_ROLE_ADMIN : v->role,
                          !c->bctx.identify && (v->flags & CMD_OWN_CASES), NULL);
    if (rc == 0)
        rc = bti_db_begin(c->db, lock);
    if (rc == 0)
        rc = v->fn(c, argc, argv);
    if (rc == BTI_EDB && errno == EPIPE)
        rc = 0; /* the reader went away: what was read is still logged */
    rc = guard_refuse(c, guarded, rc);
    if (write) { /* a write's report lands before its commit: unwritten, it is not made */
        rc = guard_end(c, guarded, &guarded_text, &guarded_len, rc);
        guarded = NULL;
    }
    if (rc == 0 && write)
        rc = flush_output(c->out.fp);
    /* before the commit (a failed commit removes it); held output only
     * reaches the file after the commit, so run_verb links that file */
    if (rc == 0 && c->outfile && !c->dry_run && !held)
        rc = outfile_link(c->outfile);
    if (rc == 0 && !(write && c->dry_run)) {
        rc = bti_db_commit(c->db);
        if (rc == 0 && bti_db_warning(c->db))
            cmd_warning(c, "%s", bti_db_warning(c->db));
    } else {
        int logged = bti_db_rollback(c->db);
        rc = rc ? rc : logged;
    }
    bti_db_close(c->db);
    c->db = NULL;
    if (held) {
        c->out.fp = out;
        int shown = release_output(held, &mem, &mem_len, out, rc == 0);
        rc = rc ? rc : shown;
    }
    rc = guard_end(c, guarded, &guarded_text, &guarded_len, rc);
    if (rc && c->made[0])
        unlink(c->made); /* a file whose read or write was not recorded */
    c->made[0] = '\0';
    if (c->summaries) {
        fclose(c->summaries);
        c->summaries = NULL;
        if (rc == 0)
            fputs(summaries, stderr);
        free(summaries);
    }
    return rc;
}

/* Run a verb that asks before it acts, at a terminal: first as a quiet dry
 * run that checks everything and finds its question, then, answered while
 * no lock is held (a person typing must not block the others), for real. */
static int run_asking(struct cmd_ctx *c, int argc, char **argv)
{
    FILE *out = c->out.fp;
    char *discarded = NULL;
    size_t len = 0;
    int quiet = c->quiet, dry_run = c->dry_run;
    c->out.fp = open_memstream(&discarded, &len);
    c->rehearsal = c->quiet = c->dry_run = 1;
    int rc = c->out.fp ? run_in_db(c, argc, argv) : bti_error_set(BTI_EDB, _("out of memory"));
    if (c->out.fp)
        fclose(c->out.fp);
    free(discarded);
    c->out.fp = out, c->rehearsal = 0, c->quiet = quiet, c->dry_run = dry_run;
    if (rc == 0 && c->question[0])
        rc = cmd_ask(c->question);
    c->confirmed = rc == 0;
    optind = 0;
    return rc ? rc : run_in_db(c, argc, argv);
}

/* Page through $PAGER what a verb that holds the write lock printed, once
 * it is done: a person reading must not block the others. */
static int run_paged(struct cmd_ctx *c, FILE *pager, int argc, char **argv)
{
    char *text = NULL;
    size_t len = 0;
    c->out.fp = open_memstream(&text, &len);
    int rc = c->out.fp ? run_in_db(c, argc, argv) : bti_error_set(BTI_EDB, _("out of memory"));
    if (c->out.fp)
        fclose(c->out.fp);
    c->out.fp = pager;
    if (text)
        fwrite(text, 1, len, pager);
    free(text);
    return rc;
}

/* Run the verb: parse nothing more than it does, with or without the database. */
static int run_verb(struct cmd_ctx *c, const struct globals *g, int argc, char **argv)
{
    unsigned flags = c->verb->flags;
    FILE *pager = start_pager(c, g);
    if (pager)
        c->out.fp = pager;
    optind = 0;
    int rc;
    if (!(flags & CMD_DB))
        rc = c->verb->fn(c, argc, argv);
    else if ((flags & CMD_ASKS) && !c->dry_run && isatty(STDIN_FILENO))
        rc = run_asking(c, argc, argv);
    else if (pager && (flags & (CMD_WRITE | CMD_LOGS)))
        rc = run_paged(c, pager, argc, argv);
    else
        rc = run_in_db(c, argc, argv);
    if (pager)
        pclose(pager);
    if (rc == 0 && c->outfile && !c->dry_run)
        rc = outfile_link(c->outfile);
    return rc;
}

/* Flush standard output at the end, unless the command failed already
 * (exit flushes it then, and its message stands). */
static int finish_output(int rc)
{
    return rc ? rc : flush_output(stdout);
}

/* Print the last error (and hint) on stderr. */
static void report(int rc, int quiet)
{
    if (rc == 0 || !*bti_error_last()) /* a silent failure: due --check */
        return;
    fprintf(stderr, _("bti: error: %s\n"), bti_error_last());
    if (bti_error_hint() && !quiet)
        fprintf(stderr, _("hint: %s\n"), bti_error_hint());
}

/* Process safety before anything else: private files, no core dumps, and
 * EPIPE instead of SIGPIPE so a closed pipe is handled. */
static void harden(void)
{
    struct rlimit none = {0, 0};
    umask(shared_mode() ? 007 : 077); /* shared: the group shares the database's files */
    setrlimit(RLIMIT_CORE, &none);
    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    signal(SIGPIPE, SIG_IGN);
}

/* The translations beside the running binary when it runs from the tree
 * (build/bti, or ./bti with build/ beside it), else the installed ones. */
static const char *locale_dir(char *buf, size_t size)
{
    char exe[PATH_MAX - 64];
    struct stat st;
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    char *slash = n > 0 ? (exe[n] = '\0', strrchr(exe, '/')) : NULL;
    const char *dirs[] = {"/locale", "/build/locale"};
    for (size_t i = 0; slash && i < 2; i++) {
        *slash = '\0';
        snprintf(buf, size, "%s%s", exe, dirs[i]);
        if (stat(buf, &st) == 0 && S_ISDIR(st.st_mode))
            return buf;
    }
    return BTI_LOCALEDIR;
}

/* Speak the user's language (SPEC section 12): messages, questions and
 * table dates follow the locale; numbers never do, so LC_NUMERIC stays "C"
 * and printf and strtod keep the '.' that JSON and CSV need.  Only the
 * categories bti reads are loaded (characters, messages, dates): each
 * other one is a file or two to open at every start (issue 19). */
static void set_language(void)
{
    char dir[PATH_MAX];
    setlocale(LC_CTYPE, "");
    setlocale(LC_MESSAGES, "");
    setlocale(LC_TIME, "");
    bindtextdomain(BTI_TEXTDOMAIN, locale_dir(dir, sizeof dir));
    bind_textdomain_codeset(BTI_TEXTDOMAIN, "UTF-8");
}

/* Find the verb for the words left after the global options; `-h` prints usage. */
static int dispatch(struct cmd_ctx *c, const struct globals *g, int argc, char **argv)
{
    const struct cmd_group *grp = cmd_find_group(argv[1]);
    if (!grp)
        return BTI_EUSAGE;
    int used, verbless = grp->verbs[0].name == NULL;
    const struct cmd_verb *v = find_verb(grp, argc - 2, argv + 2, &used);
    if (g->help && v)
        print_verb_usage(stdout, v);
    else if (g->help)
        print_group_usage(stdout, grp, argc > 2 ? argv[2] : NULL);
    if (g->help) {
        bti_error_clear();
        return 0;
    }
    if (!v) {
        if (argc < 3)
            print_group_usage(stderr, grp, NULL);
        return BTI_EUSAGE;
    }
    char command[64];
    snprintf(command, sizeof command, "%s%s%s", grp->name, verbless ? "" : " ",
             verbless ? "" : v->name);
    c->verb = v;
    int rc = set_up(c, g, command);
    if (rc == 0)
        rc = cmd_read_stdin_value(c, argc - 1 - used, argv + 1 + used);
    return rc ? rc : run_verb(c, g, argc - 1 - used, argv + 1 + used);
}

/* Drop the global options (and their values) from the words typed so far,
 * keeping the last word, the one being completed; *db gets the value of
 * --db (NULL when not given).  Returns the new count. */
static int drop_globals(int n, char **words, const char **db)
{
    int out = 0;
    *db = NULL;
    for (int i = 0; i < n; i++) {
        const char *value;
        const struct global *g = i < n - 1 ? match_global(words[i], &value) : NULL;
        if (g && g->id == G_DB)
            *db = value ? value : i < n - 2 ? words[i + 1] : NULL;
        if (!g)
            words[out++] = words[i];
        else if (g->takes_value && !value && i < n - 2)
            i++; /* its value */
    }
    return out;
}

/* A bti_row_fn for completion: print the row's column named arg. */
static int print_column(const struct bti_row *row, void *arg)
{
    for (size_t i = 0; i < row->ncols; i++) {
        const struct bti_value *v = &row->vals[i];
        if (strcmp(row->cols[i].key, arg) != 0 || v->null)
            continue;
        if (row->cols[i].type == BTI_T_INT)
            printf("%lld\n", v->i);
        else
            puts(v->s);
    }
    return 0;
}

/* Print the cases (open ones, by id), units or coordinators (by name) the
 * login may see, for completion: from the database when one can be
 * opened, read without a lock or an access row (pseudonymous: no name is
 * read), nothing otherwise. */
static void complete_from_db(enum cmd_kind kind, const char *db_option)
{
    struct bti_ctx ctx = {
        .login = os_login(), .command = "__complete", .pseudonymous = 1, .busy_ms = 200};
    struct bti_case_filter open = {.open = 1};
    struct bti_db *db = NULL;
    char path[PATH_MAX];
    int rc = bti_date_today(&ctx.today, NULL, NULL);
    ctx.real_today = ctx.today;
    if (rc == 0)
        rc = db_path(db_option, path, sizeof path);
    if (rc == 0)
        rc = bti_db_open(&db, path, &ctx);
    if (rc == 0)
        rc = bti_db_login(db, BTI_ROLE_CASEWORKER, 1, NULL);
    if (rc == 0)
        rc = bti_db_begin(db, 0);
    if (rc == 0 && kind == KIND_CASE)
        bti_case_list(db, &open, print_column, "id");
    else if (rc == 0 && kind == KIND_UNIT)
        bti_unit_list(db, print_column, "name");
    else if (rc == 0 && kind == KIND_COORDINATOR)
        bti_coordinator_list(db, 0, print_column, "name");
    if (rc == 0)
        bti_db_rollback(db);
    bti_db_close(db);
    bti_error_clear();
}

/* Print the values completion offers for option o of verb v, by its kind:
 * the words of a set, the case states, today and yesterday for a date,
 * the cases, units and coordinators of the database at db_option. */
static void complete_values(const struct cmd_verb *v, const struct cmd_option *o,
                            const char *db_option)
{
    char words[128];
    if (o->kind == KIND_WORD && cmd_option_words(v->usage, o->name, words, sizeof words))
        for (char *w = strtok(words, "|"); w; w = strtok(NULL, "|"))
            puts(w);
    for (int st = BTI_ST_NONE + 1; o->kind == KIND_STATE && st < BTI_ST_COUNT; st++)
        puts(bti_state_name((enum bti_state)st));
    if (o->kind == KIND_DATE)
        puts("today"), puts("yesterday");
    if (o->kind == KIND_CASE || o->kind == KIND_UNIT || o->kind == KIND_COORDINATOR)
        complete_from_db(o->kind, db_option);
}

/* The option of verb v that word names ("--cause"), or NULL. */
static const struct cmd_option *verb_option(const struct cmd_verb *v, const char *word)
{
    int i = v && v->opts && !strncmp(word, "--", 2) ? cmd_option_index(v->opts, word + 2) : -1;
    return i >= 0 ? &v->opts[i] : NULL;
}

/* Print the verb's options (when there is one) and the global options. */
static void complete_options(const struct cmd_verb *v)
{
    for (const struct cmd_option *o = v && v->opts ? v->opts : NULL; o && o->name; o++)
        printf("--%s\n", o->name);
    for (size_t i = 0; i < sizeof globals / sizeof globals[0]; i++)
        puts(globals[i].name);
}

/* bti __complete WORD...: the candidates for the last word, one a line:
 * command names, then subcommands (one or two words), then the verb's
 * options and the global options; the value of an option, from its kind;
 * options alone for a word that begins with '-'.  Runs before any set-up,
 * so a bad environment never silences completion. */
static int complete(int n, char **words)
{
    const char *list[32];
    char bufs[32][32];
    const char *db;
    n = drop_globals(n, words, &db);
    int typed = n - 1, used = 0; /* words before the one being completed */
    const char *cur = n > 0 ? words[n - 1] : "";
    const struct cmd_group *grp = typed >= 1 ? cmd_find_group(words[0]) : NULL;
    const struct cmd_verb *v = grp ? find_verb(grp, typed - 1, words + 1, &used) : NULL;
    const struct cmd_option *value_of = typed >= 2 ? verb_option(v, words[n - 2]) : NULL;
    size_t count = 0;
    bti_error_clear();
    if (value_of && value_of->kind != KIND_FLAG) {
        complete_values(v, value_of, db);
        return 0;
    }
    if (cur[0] == '-') {
        complete_options(v);
        return 0;
    }
    if (typed < 1)
        for (size_t i = 0; i < NGROUPS; i++)
            puts(groups[i]->name);
    if (grp && !v && typed <= 2)
        count = verb_words(grp, typed == 2 ? words[1] : NULL, typed == 2, list, bufs, 32);
    for (size_t i = 0; i < count; i++)
        puts(list[i]);
    if (v)
        complete_options(v);
    return 0;
}

int bti_main(int argc, char **argv)
{
    struct globals g = {0};
    struct cmd_ctx c = {0};
    harden();
    set_language();
    if (argc > 1 && strcmp(argv[1], "__complete") == 0)
        return complete(argc - 2, argv + 2);
    argc = take_globals(argc, argv, &g);
    int rc = argc < 0 ? BTI_EUSAGE : 0;
    if (rc == 0 && g.version)
        printf("bti %s\n", BTI_VERSION);
    else if (rc == 0 && argc < 2) {
        print_commands(g.help ? stdout : stderr);
        rc = g.help ? 0 : BTI_EUSAGE;
        if (rc)
            bti_error_set(rc, _("no command given"));
    } else if (rc == 0)
        rc = dispatch(&c, &g, argc, argv);
    rc = finish_output(rc);
    if (c.outfile) {
        outfile_close(c.outfile, rc != 0);
        free(c.outfile);
    }
    report(rc, g.quiet);
    for (size_t i = 0; i < c.nowned; i++)
        free(c.owned[i]);
    free(c.owned);
    return rc;
}
