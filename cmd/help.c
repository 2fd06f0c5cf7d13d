/*
 * bti help [COMMAND]: without a command, the list of commands; with one,
 * its manual page (from the source tree beside the binary, else installed),
 * in bokmål under a Norwegian locale (SPEC section 12).  Where man is
 * missing, or has no such page, the usage text instead.
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "bti/error.h"
#include "cmd.h"

/* The language of the man pages for the user: "nb" when the first of
 * LC_ALL, LC_MESSAGES and LANG that is set (the one gettext goes by) names
 * nb, nn or no, else NULL for English. */
static const char *page_language(void)
{
    const char *vars[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
    for (size_t i = 0; i < sizeof vars / sizeof *vars; i++) {
        const char *v = getenv(vars[i]);
        if (!v || !*v)
            continue;
        int norwegian = (!strncmp(v, "nb", 2) || !strncmp(v, "nn", 2) || !strncmp(v, "no", 2)) &&
                        strchr("_.@", v[2]) != NULL;  /* v[2] == '\0' matches too */
        return norwegian ? "nb" : NULL;
    }
    return NULL;
}

/* The man page of command in the tree beside the running binary, if any:
 * in language's pages (po4a writes them into the build directory: beside
 * build/bti, or under build/ beside the copy ./bti), else the English one
 * in man/. */
static int tree_page(const char *command, const char *language, char *path, size_t size)
{
    char exe[PATH_MAX - 64];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return 0;
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (!slash)
        return 0;
    *slash = '\0';
    char dirs[4][16];
    size_t count = 0;
    if (language) {
        snprintf(dirs[count++], sizeof *dirs, "/man/%s", language);
        snprintf(dirs[count++], sizeof *dirs, "/build/man/%s", language);
    }
    strcpy(dirs[count++], "/man");
    strcpy(dirs[count++], "/../man");
    for (size_t i = 0; i < count; i++) {
        snprintf(path, size, "%s%s/bti%s%s.1", exe, dirs[i], *command ? "-" : "", command);
        if (access(path, R_OK) == 0)
            return 1;
    }
    return 0;
}

/* man's exit status when it has no such page (man-db), and the shell's
 * when a program cannot be found. */
#define MAN_NO_PAGE 16
#define NOT_FOUND 127

/* Run man on the page (`-l` for a file; an installed page in language's
 * pages when there is one, `-L`): its exit status, NOT_FOUND when it cannot
 * run, 0 when its reader closed the pipe.  man gets the default SIGPIPE
 * (bti ignores it), so a closed pipe ends it quietly. */
static int run_man(const char *page, int file, const char *language)
{
    int status;
    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0)
        return NOT_FOUND;
    if (pid == 0) {
        signal(SIGPIPE, SIG_DFL);
        if (file)
            execlp("man", "man", "-l", page, (char *)NULL);
        else if (language)
            execlp("man", "man", "-L", language, page, (char *)NULL);
        else
            execlp("man", "man", page, (char *)NULL);
        _exit(NOT_FOUND);
    }
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return NOT_FOUND;
    if (WIFSIGNALED(status))
        return WTERMSIG(status) == SIGPIPE ? 0 : NOT_FOUND;
    return WEXITSTATUS(status);
}

/* help [COMMAND] */
static int help(struct cmd_ctx *c, int argc, char **argv)
{
    char *command = NULL, page[PATH_MAX + 32], path[PATH_MAX + 64];
    int rc = cmd_read_options(c, argc, argv, NULL);
    if (rc)
        return rc;
    if (argc - optind > 1)
        return bti_error_set(BTI_EUSAGE, _("help takes one command"));
    command = argc > optind ? argv[optind] : "";
    if (*command && !cmd_find_group(command))
        return BTI_EUSAGE;
    snprintf(page, sizeof page, "bti%s%s", *command ? "-" : "", command);
    const char *language = page_language();
    int in_tree = tree_page(command, language, path, sizeof path);
    int status = run_man(in_tree ? path : page, in_tree, language);
    if (status == NOT_FOUND || status == MAN_NO_PAGE) {
        cmd_print_usage(stdout, command);
        return 0;
    }
    return status ? bti_error_set(BTI_EDB, _("man exited with status %d"), status) : 0;
}

static const struct cmd_verb verbs[] = {
    {NULL, help, 0, BTI_ROLE_NONE, "help [COMMAND]", N_("show bti's manual or a command's"), NULL},
};
const struct cmd_group cmd_help_group = CMD_GROUP("help", N_("the manual pages"), verbs);
