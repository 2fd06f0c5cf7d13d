/*
 * bti help [COMMAND]: without a command, the list of commands; with one,
 * its manual page (from the source tree beside the binary, else installed).
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "bti/error.h"
#include "cmd.h"

/* The man page of command in the tree beside the running binary, if any. */
static int tree_page(const char *command, char *path, size_t size)
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
    const char *dirs[] = {"/man", "/../man"};
    for (size_t i = 0; i < 2; i++) {
        snprintf(path, size, "%s%s/bti%s%s.1", exe, dirs[i], *command ? "-" : "", command);
        if (access(path, R_OK) == 0)
            return 1;
    }
    return 0;
}

/* help [COMMAND] */
static int help(struct cmd_ctx *c, int argc, char **argv)
{
    char *command = NULL, page[PATH_MAX + 32], path[PATH_MAX + 64];
    int opt = cmd_opt(c, argc, argv);
    if (opt != -1)
        return cmd_bad_option(c, opt, argv);
    if (argc - optind > 1)
        return bti_error_set(BTI_EUSAGE, "help takes one command");
    command = argc > optind ? argv[optind] : "";
    if (*command && !cmd_find_group(command))
        return BTI_EUSAGE;
    snprintf(page, sizeof page, "bti%s%s", *command ? "-" : "", command);
    fflush(stdout);
    if (tree_page(command, path, sizeof path))
        execlp("man", "man", "-l", path, (char *)NULL);
    else
        execlp("man", "man", page, (char *)NULL);
    return bti_error_set(BTI_EDB, "cannot run man");
}

static const struct cmd_verb verbs[] = {
    {NULL, help, 0, BTI_ROLE_NONE, "help [COMMAND]", "show bti's manual or a command's", NULL},
};
const struct cmd_group cmd_help_group = CMD_GROUP("help", "the manual pages", verbs);
