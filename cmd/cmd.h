/*
 * What every command file shares: the command table's types, the run
 * context, and the helpers that read option values the same way everywhere.
 *
 * The command table is three levels of data: the group table in cmd/bti.c
 * (bti case, bti ke, ...), each group's verb table in cmd/<noun>.c (its
 * synopsis, summary, role and flags), and each verb's option table beside
 * its function and its input struct (struct cmd_option: name, kind of
 * value, where the value goes in the input struct, one help line, the
 * rules: required, one of a set, excludes another, and a reader when the
 * kind's own way of reading does not fit).  A verb calls one reader,
 * cmd_read_options(c, argc, argv, &in), which fills its input struct by
 * that table and refuses unknown, abbreviated, repeated, missing and
 * excluded options with one wording each; the verb then reads its
 * positional arguments and checks what lies between its options.  `-h`
 * prints the table with its help lines; `bti __complete` offers its options
 * and their values by kind; the man page test checks each page's OPTIONS
 * against it.
 *
 * Adding a command touches its file, its table entry, its man page and its
 * tests only (the checklist):
 *   1. in cmd/<noun>.c: the verb function, its input struct (or the
 *      library's), its option table with each value's offsetof, and its row
 *      in the group's verb table (usage line, summary, role, flags, options);
 *   2. a new group goes into the group table in cmd/bti.c;
 *   3. the man page man/bti-<noun>.1 (and the list in man/bti.1), with an
 *      OPTIONS subsection describing exactly the options of its table;
 *   4. option reading, -h, the usage checks and completion need nothing:
 *      they follow the tables;
 *   5. end-to-end tests in tests/e2e/ for success and every error path;
 *   6. a README line when it is something an administrator does.
 */
#ifndef BTI_CMD_H
#define BTI_CMD_H

#include <getopt.h>
#include <limits.h>
#include <stddef.h>
#include "bti/date.h"
#include "bti/lifecycle.h"
#include "bti/db.h"
#include "bti/person.h"
#include "output.h"

enum cmd_flags {
    CMD_DB = 1,    /* opens the database */
    CMD_WRITE = 2, /* writes it (BEGIN IMMEDIATE; --dry-run rolls back) */
    CMD_PAGER = 4, /* a listing or show: paged at a terminal */
    CMD_LOGS = 8,  /* may read identified data: holds the write lock from the start, so the
                    * access row goes in with the read (SPEC section 9) */
    CMD_ASKS = 16, /* asks before it acts (cmd_confirm): at a terminal it runs first as a
                    * dry run to find the question, which is asked with no lock held */
    CMD_OWN_CASES = 32, /* a coordinator login may run it too, on the cases its coordinator
                         * holds or held (the library keeps it to them: bti_case_allowed) */
    CMD_FILE = 64, /* writes a FILE argument through the -o writer: --force applies */
};

struct cmd_ctx;

/* What an option's value is: how -h names it and what completion offers. */
enum cmd_kind {
    KIND_FLAG,        /* no value */
    KIND_TEXT,        /* free text; may be read from @FILE or @- */
    KIND_NAME,        /* a name; may be read from @FILE or @- */
    KIND_DATE,        /* a date (SPEC section 5): offers today and yesterday */
    KIND_ID,          /* a positive whole number: an id or a count */
    KIND_CASE,        /* a case id: offers the cases */
    KIND_UNIT,        /* a unit by id or name: offers the units */
    KIND_COORDINATOR, /* a coordinator by id or name: offers the coordinators */
    KIND_WORD,        /* one word of a set: the words the synopsis lists, "a|b|c" */
    KIND_STATE,       /* a case state: offers the states */
};

/* What the reader checks about an option once all are read. */
enum cmd_rule {
    OPT_REQUIRED = 1, /* the verb cannot run without it */
    OPT_ONE_OF = 2,   /* exactly one of the options so marked must be given */
};

struct cmd_option;

/* How an option's value is read into its place `to` (arg is NULL for a
 * flag): the way of its kind unless the row names another. */
typedef int (*cmd_reader)(struct cmd_ctx *c, const struct cmd_option *o, const char *arg, void *to);

/* One option of a verb, as data: cmd_read_options reads the command line
 * by it into the verb's input struct, -h describes it, the man page test
 * and completion follow it. */
struct cmd_option {
    const char *name;     /* the long name without "--" */
    enum cmd_kind kind;   /* its value */
    size_t at;            /* where the value goes: its offsetof in the verb's input struct */
    const char *help;     /* one line for -h, marked N_() */
    unsigned rules;       /* enum cmd_rule */
    const char *excludes; /* the name of an option it cannot be given with, or NULL */
    cmd_reader read;      /* NULL: the value is read as its kind is (cmd_read_options) */
};

/* The values of an option the synopsis shows as repeating ("--kind K..."),
 * in the order given (cmd_read_list). */
struct cmd_list {
    const char **v;
    size_t n;
};

struct cmd_verb {
    const char *name; /* NULL for a command without verbs */
    int (*fn)(struct cmd_ctx *c, int argc, char **argv);
    unsigned flags;
    enum bti_role role;
    const char *usage;   /* the synopsis after "bti " */
    const char *summary; /* one line */
    const struct cmd_option *opts; /* its options, ended by an empty row; NULL: none */
};

struct cmd_group {
    const char *name;
    const char *summary;
    const struct cmd_verb *verbs;
    size_t nverbs;
};

#define CMD_GROUP(name, summary, verbs)                                                            \
    {                                                                                              \
        name, summary, verbs, sizeof verbs / sizeof verbs[0]                                       \
    }

/* Why the option reader refused an option getopt_long accepted (SPEC section 5). */
enum cmd_opt_refusal {
    CMD_OPT_OK,
    CMD_OPT_ABBREVIATED,
    CMD_OPT_REPEATED,
    CMD_OPT_MISSING,   /* a required option is missing */
    CMD_OPT_EXCLUDED,  /* it was given with the option it excludes */
    CMD_OPT_ONE_OF,    /* not exactly one of the OPT_ONE_OF options was given */
};

struct cmd_ctx {
    struct bti_db *db;
    struct bti_ctx bctx;
    struct out_opts out;
    const struct cmd_verb *verb;
    char db_path[PATH_MAX];
    int quiet;
    int dry_run;
    char **owned; /* values read from @FILE or @-, freed at exit */
    size_t nowned;
    char *stdin_value; /* the @- value, read before the database is locked */
    FILE *summaries;   /* a write's summary lines, held until it commits */
    int rehearsal;     /* the dry run of a CMD_ASKS verb: cmd_confirm notes its question */
    char question[128];
    int confirmed;                    /* the question was answered yes */
    struct outfile *outfile;          /* -o FILE or export FILE: the private file written */
    int force;                        /* --force: that file may replace an existing one */
    char made[PATH_MAX];              /* a file the verb put in place: removed if it fails */
    unsigned long long opt_seen;      /* the verb's long options given so far, by index */
    enum cmd_opt_refusal opt_refused; /* why the reader refused the last option */
    int opt_index;                    /* which option it refused */
};

/* Note that the verb put a file at path (an export, a backup): the
 * dispatcher removes it when the command fails after all (its commit). */
void cmd_made(struct cmd_ctx *c, const char *path);

/* Read the running verb's options into its input struct `in`, each value
 * at its row's offset as its row's reader or its kind says:
 *   flag -> int 1; text, name -> const char * through cmd_text (@FILE, @-,
 *   NFC); date -> bti_date through cmd_date; id, case -> long long through
 *   cmd_id; unit, coordinator -> the long long id of the one named; word ->
 *   the const char * as given; state -> 1 << the state, or'ed into an unsigned.
 * Refuses, as usage errors with one wording for every verb, an unknown or
 * abbreviated option, one given twice that the synopsis does not show as
 * repeating ("--name X..."), a missing value or required option, two that
 * exclude each other, and not exactly one of the OPT_ONE_OF options.  Stops
 * at the first value that does not read; positional arguments stay for
 * the verb (optind is the first). */
int cmd_read_options(struct cmd_ctx *c, int argc, char **argv, void *in);

/* Readers a row may name for a value its kind does not read so: */
/* the argument as given (a word, code or name the library checks later) */
int cmd_read_word(struct cmd_ctx *c, const struct cmd_option *o, const char *arg, void *to);
/* each value added to a struct cmd_list in order: a text or name through
 * cmd_text, any other as given */
int cmd_read_list(struct cmd_ctx *c, const struct cmd_option *o, const char *arg, void *to);
/* a flag of a set (OPT_ONE_OF) that puts its own name into a const char * */
int cmd_read_choice(struct cmd_ctx *c, const struct cmd_option *o, const char *arg, void *to);
/* --born and --expected of a person: the date into the bti_person_in's born
 * (`to` is its address), and whether it is an expected one into expected */
int cmd_read_born(struct cmd_ctx *c, const struct cmd_option *o, const char *arg, void *to);
int cmd_read_expected(struct cmd_ctx *c, const struct cmd_option *o, const char *arg, void *to);

/* The index in the verb's table of the option named name, -1 when none. */
int cmd_option_index(const struct cmd_option *opts, const char *name);

/* The words of a KIND_WORD option as the synopsis `usage` lists them
 * ("--cause a|b|c"), copied into buf with '|' between; 0 when it lists none. */
int cmd_option_words(const char *usage, const char *name, char *buf, size_t size);

/* Whether the synopsis `usage` shows option --name with "..." (it may be
 * repeated): "[--status S]..." or "--coordinator C...". */
int cmd_repeats(const char *usage, const char *name);

/* Take exactly n positional arguments after the options into out[]. */
int cmd_args(struct cmd_ctx *c, int argc, char **argv, int n, char **out, const char *names);

/* Open a file the user named (a value, an import, an export or backup
 * target) with the user's own group, never the shared group of a setgid
 * bti: call cmd_user_files(1) before opening and cmd_user_files(0) after. */
void cmd_user_files(int on);

/* Open the file the user named at path for reading, with the user's own
 * group: a regular file, never through a symlink, never a FIFO or device
 * that could block or never end.  Messages name it as prefix + path; *size
 * (may be NULL) gets its size. */
int cmd_open_regular(const char *path, const char *prefix, int *fd, size_t *size);

/* Read the value of an @- argument now, before the command takes the
 * database's write lock (someone typing must not hold it). */
int cmd_read_stdin_value(struct cmd_ctx *c, int argc, char **argv);

/* A text value: the argument itself, or read from a file (@FILE) or
 * standard input (@-, without echo at a terminal); in Unicode
 * normalisation form C, the form bti stores text in. */
int cmd_text(struct cmd_ctx *c, const char *arg, const char **out);

/* A date argument for option `what`. */
int cmd_date(struct cmd_ctx *c, const char *arg, const char *what, bti_date *out);

/* A positive id for `what` (BTI_EINVAL when not one). */
int cmd_id(const char *arg, const char *what, long long *out);

/* Take exactly one positional argument after the options, the id `name`. */
int cmd_id_arg(struct cmd_ctx *c, int argc, char **argv, const char *name, long long *id);

/* The CASE argument, the one positional argument after the options. */
int cmd_case(struct cmd_ctx *c, int argc, char **argv, long long *id);

/* A CASE value: a positive id of a case the login may see (a coordinator
 * login: its own cases; BTI_EDENIED for any other, existing or not). */
int cmd_case_id(struct cmd_ctx *c, const char *arg, long long *id);

/* The options of a day's event (a handbook update, an access log review):
 * --date and --note. */
struct cmd_date_note {
    bti_date date;
    const char *note;
};
/* Read those options and no arguments into e (its date BTI_NO_DATE and its
 * note NULL unless given). */
int cmd_date_note(struct cmd_ctx *c, int argc, char **argv, struct cmd_date_note *e);

/* A unit given by id or unique name. */
int cmd_unit(struct cmd_ctx *c, const char *arg, long long *out);

/* Print a summary line of a write on stderr, unless -q: once the write
 * is committed (or its dry run done), never for one that failed. */
void cmd_summary(struct cmd_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Print "bti: warning: ..." about a write, as its summary lines are. */
void cmd_warning(struct cmd_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Print the id of the object a write created, or with --json the object
 * (bti_entity_get). */
int cmd_created(struct cmd_ctx *c, const char *entity, long long id);

/* A listing without arguments or filters: the rows list hands on, of cols. */
int cmd_list_all(struct cmd_ctx *c, int argc, char **argv, const struct bti_cols *cols,
                 int (*list)(struct bti_db *db, bti_row_fn fn, void *arg));

/* Start a listing with these columns; hand out_list_row and the result to
 * the library's list function, then cmd_list_end with what it returned. */
struct out_list *cmd_list_begin(struct cmd_ctx *c, const struct bti_cols *cols);

/* Finish the listing; returns rc, or the output's own failure. */
int cmd_list_end(struct out_list *list, int rc);

/* Take no options and exactly n positional arguments into out[]. */
int cmd_plain(struct cmd_ctx *c, int argc, char **argv, int n, char **out, const char *names);

/* Ask question "[y/N]" at a terminal (not for --dry-run, nor when stdin is
 * no terminal): BTI_ERULE unless the answer is yes.  A verb that asks is
 * flagged CMD_ASKS, so that the dispatcher asks while no lock is held. */
int cmd_confirm(struct cmd_ctx *c, const char *question);

/* Ask question "[y/N]" on the terminal now: BTI_ERULE unless yes. */
int cmd_ask(const char *question);

/* The name of case state s as a person reads it, in the user's language. */
const char *cmd_state_word(enum bti_state s);

/* A bti_row_fn that stops at the first row with BTI_ECHECK (for --check). */
int cmd_stop_at_first(const struct bti_row *row, void *arg);


/* Send the output to a new private file at target (SPEC section 6): the
 * one writer of -o FILE and export FILE. */
int cmd_output_file(struct cmd_ctx *c, const char *target);

/* Print one object through the output layer and free it. */
int cmd_object(struct cmd_ctx *c, cJSON *obj);

/* The command groups, for the dispatcher, help and completion. */
extern const struct cmd_group cmd_init_group, cmd_user_group, cmd_unit_group, cmd_person_group,
    cmd_referral_group, cmd_case_group, cmd_consent_group, cmd_ke_group, cmd_basis_group,
    cmd_coordinator_group, cmd_plan_group, cmd_group_group, cmd_gathering_group, cmd_report_group,
    cmd_due_group, cmd_import_group, cmd_export_group, cmd_restore_group, cmd_audit_group,
    cmd_doctor_group, cmd_backup_group, cmd_status_group, cmd_help_group;

/* The command group named name, or NULL with a usage error suggesting one. */
const struct cmd_group *cmd_find_group(const char *name);

/* Print the usage text of command (every command when it is ""). */
void cmd_print_usage(FILE *fp, const char *command);

/* The dispatcher: bti's main. */
int bti_main(int argc, char **argv);

#endif
