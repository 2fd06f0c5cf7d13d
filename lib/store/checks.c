/*
 * The CHECK constraints' IN lists as OR chains (issue 19).  SQLite codes
 * `x IN ('a', 'b', 'c')` in a CHECK as a temporary B-tree built anew for
 * every row written (OpenEphemeral without a Once guard): an import paid
 * for about eight per case.  `(x = 'a' OR x = 'b' OR x = 'c')` is true,
 * false or NULL exactly when the IN list is, and costs a few comparisons.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>
#include "store/checks.h"
#include "base/intl.h"

/* Whether c may be part of a bare word (a keyword, a name or a number). */
static int is_word(char c)
{
    return isalnum((unsigned char)c) || c == '_' || c == '$' || (unsigned char)c >= 0x80;
}

/* p past any spaces and comments. */
static const char *skip_space(const char *p)
{
    for (;;) {
        while (isspace((unsigned char)*p))
            p++;
        if (p[0] == '-' && p[1] == '-')
            p += strcspn(p, "\n");
        else if (p[0] == '/' && p[1] == '*') {
            const char *e = strstr(p + 2, "*/");
            p = e ? e + 2 : p + strlen(p);
        } else
            return p;
    }
}

/* The end of the token at p (not a space): a quoted string or name (its
 * doubled quotes inside), a bare word, or one character. */
static const char *token_end(const char *p)
{
    if (*p == '\'' || *p == '"' || *p == '`' || *p == '[') {
        char close = *p == '[' ? ']' : *p;
        for (p++; *p; p++)
            if (*p == close && (close == ']' || *++p != close))
                return p + (close == ']');
        return p;
    }
    if (!is_word(*p))
        return p + 1;
    while (is_word(*p))
        p++;
    return p;
}

/* Whether the token s..e is the word w (any case). */
static int word_is(const char *s, const char *e, const char *w)
{
    return (size_t)(e - s) == strlen(w) && strncasecmp(s, w, (size_t)(e - s)) == 0;
}

/* The end of the literal at p, a string or a (signed) number; NULL when p
 * holds something else. */
static const char *literal_end(const char *p)
{
    if (*p == '\'') {
        const char *e = token_end(p);
        return e - p >= 2 && e[-1] == '\'' ? e : NULL;
    }
    const char *s = p + (*p == '+' || *p == '-');
    if (!isdigit((unsigned char)*s) && !(*s == '.' && isdigit((unsigned char)s[1])))
        return NULL;
    int hex = s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
    for (s++; is_word(*s) || *s == '.' ||
              (!hex && (*s == '+' || *s == '-') && (s[-1] == 'e' || s[-1] == 'E'));
         s++)
        ;
    return s;
}

/* When the name s..e begins `name IN (literal, ...)`, the end of the list,
 * and (when out is not NULL) the list written to out as an OR chain;
 * otherwise NULL and nothing written. */
static const char *in_list(const char *s, const char *e, sqlite3_str *out)
{
    if (!(*s == '"' || *s == '`' || *s == '[' || (is_word(*s) && !isdigit((unsigned char)*s))))
        return NULL;
    const char *in = skip_space(e);
    const char *in_end = token_end(in);
    const char *p = skip_space(in_end);
    if (!word_is(in, in_end, "IN") || *p != '(')
        return NULL;
    for (int n = 0;; n++) {
        const char *lit = skip_space(p + 1);
        const char *lit_end = literal_end(lit);
        if (!lit_end)
            return NULL;
        if (out)
            sqlite3_str_appendf(out, "%s%.*s = %.*s", n ? " OR " : "(", (int)(e - s), s,
                                (int)(lit_end - lit), lit);
        p = skip_space(lit_end);
        if (*p == ')') {
            if (out)
                sqlite3_str_appendchar(out, 1, ')');
            return p + 1;
        }
        if (*p != ',')
            return NULL;
    }
}

/* Whether an operand may begin after the token s..e such that an IN right
 * after it takes exactly that operand as its left side: after an opening
 * parenthesis, a comma, or a word that binds looser than IN. */
static int operand_may_start(const char *s, const char *e)
{
    static const char *const looser[] = {"AND", "OR", "NOT", "WHEN", "THEN", "ELSE", NULL};
    if (*s == '(' || *s == ',')
        return 1;
    for (int i = 0; looser[i]; i++)
        if (word_is(s, e, looser[i]))
            return 1;
    return 0;
}

/* Copy the parenthesised CHECK expression at p to out with its IN lists as
 * OR chains; the end of the expression. */
static const char *rewrite_check(sqlite3_str *out, const char *p)
{
    int depth = 0, may_start = 0, between = 0;
    while (*p) {
        const char *s = skip_space(p);
        sqlite3_str_append(out, p, (int)(s - p));
        if (!*s)
            return s;
        const char *e = token_end(s);
        if (may_start && in_list(s, e, NULL)) {
            p = in_list(s, e, out);
            may_start = 0;
            continue;
        }
        sqlite3_str_append(out, s, (int)(e - s));
        p = e;
        if (*s == '(')
            depth++;
        else if (*s == ')' && --depth == 0)
            return p;
        /* the AND of `a BETWEEN b AND c` ends no operand: c IN (...) would
         * take the BETWEEN as its left side */
        may_start = operand_may_start(s, e) && !(between && word_is(s, e, "AND"));
        if (word_is(s, e, "BETWEEN"))
            between = 1;
        else if (word_is(s, e, "AND"))
            between = 0;
    }
    return p;
}

char *checks_in_as_or(const char *sql)
{
    sqlite3_str *out = sqlite3_str_new(NULL);
    const char *p = sql;
    while (*p) {
        const char *s = skip_space(p);
        sqlite3_str_append(out, p, (int)(s - p));
        if (!*s)
            break;
        const char *e = token_end(s);
        sqlite3_str_append(out, s, (int)(e - s));
        p = e;
        const char *open = skip_space(e);
        if (word_is(s, e, "CHECK") && *open == '(') {
            sqlite3_str_append(out, e, (int)(open - e));
            p = rewrite_check(out, open);
        }
    }
    if (sqlite3_str_errcode(out) != SQLITE_OK) {
        sqlite3_free(sqlite3_str_finish(out));
        return NULL;
    }
    char *text = sqlite3_str_finish(out); /* NULL when empty */
    return text ? text : sqlite3_mprintf("%s", "");
}

/* The UPDATEs of sqlite_schema that give each table whose CHECKs have IN
 * lists its rewritten SQL, appended to updates; *n gets how many. */
static int schema_updates(struct bti_db *db, sqlite3_str *updates, int *n)
{
    static const char sql[] = "SELECT name, sql FROM sqlite_schema"
                              " WHERE type = 'table' AND sql IS NOT NULL ORDER BY name";
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db->h, sql, -1, &st, NULL) != SQLITE_OK)
        return db_fail(db, sqlite3_errcode(db->h), _("cannot read the schema"));
    int rc = 0, step;
    while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
        const char *old = (const char *)sqlite3_column_text(st, 1);
        char *new = checks_in_as_or(old);
        if (!new)
            rc = bti_error_set(BTI_EDB, _("out of memory"));
        else if (strcmp(old, new) != 0) {
            sqlite3_str_appendf(updates,
                                "UPDATE sqlite_schema SET sql = %Q WHERE type = 'table'"
                                " AND name = %Q;",
                                new, (const char *)sqlite3_column_text(st, 0));
            ++*n;
        }
        sqlite3_free(new);
    }
    if (rc == 0 && step != SQLITE_DONE)
        rc = db_fail(db, step, _("cannot read the schema"));
    sqlite3_finalize(st);
    return rc;
}

/* One integer a PRAGMA returns (prepared here, not cached: the schema
 * changes under it). */
static int pragma_int(struct bti_db *db, const char *sql, long long *out)
{
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(db->h, sql, -1, &st, NULL);
    if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        *out = sqlite3_column_int64(st, 0);
        rc = SQLITE_OK;
    }
    sqlite3_finalize(st);
    return rc == SQLITE_OK ? 0 : db_fail(db, rc, _("cannot migrate the schema"));
}

/* Whether PRAGMA quick_check finds the database sound (and so the new
 * CREATE TABLE texts parse). */
static int quick_check(struct bti_db *db)
{
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(db->h, "PRAGMA quick_check", -1, &st, NULL);
    int ok = rc == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW &&
             strcmp((const char *)sqlite3_column_text(st, 0), "ok") == 0 &&
             sqlite3_step(st) == SQLITE_DONE;
    if (!ok && rc == SQLITE_OK)
        rc = sqlite3_errcode(db->h) == SQLITE_OK ? SQLITE_CORRUPT : sqlite3_errcode(db->h);
    sqlite3_finalize(st);
    return ok ? 0 : db_fail(db, rc, _("cannot migrate the schema"));
}

int checks_as_or_chains(struct bti_db *db)
{
    sqlite3_str *updates = sqlite3_str_new(db->h);
    int n = 0;
    long long version = 0;
    int rc = schema_updates(db, updates, &n);
    if (rc == 0 && sqlite3_str_errcode(updates) != SQLITE_OK)
        rc = bti_error_set(BTI_EDB, _("out of memory"));
    if (rc == 0 && n > 0)
        rc = pragma_int(db, "PRAGMA schema_version", &version);
    char *script = rc == 0 && n > 0 ? sqlite3_mprintf("PRAGMA writable_schema = ON; %s"
                                                      " PRAGMA schema_version = %lld;",
                                                      sqlite3_str_value(updates), version + 1)
                                    : NULL;
    sqlite3_free(sqlite3_str_finish(updates));
    if (rc != 0 || n == 0)
        return rc;
    if (!script)
        return bti_error_set(BTI_EDB, _("out of memory"));
    /* Defensive mode forbids writable_schema and setting schema_version:
     * it is off for these statements only, and back as it was whatever
     * they do, with writable_schema off again. */
    int defensive = 1;
    sqlite3_db_config(db->h, SQLITE_DBCONFIG_DEFENSIVE, -1, &defensive);
    sqlite3_db_config(db->h, SQLITE_DBCONFIG_DEFENSIVE, 0, (int *)0);
    int erc = sqlite3_exec(db->h, script, NULL, NULL, NULL);
    if (erc != SQLITE_OK)
        erc = sqlite3_errcode(db->h);
    sqlite3_exec(db->h, "PRAGMA writable_schema = OFF", NULL, NULL, NULL);
    sqlite3_db_config(db->h, SQLITE_DBCONFIG_DEFENSIVE, defensive, (int *)0);
    sqlite3_free(script);
    if (erc != SQLITE_OK)
        return db_fail(db, erc, _("cannot migrate the schema"));
    return quick_check(db);
}
