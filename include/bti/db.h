/*
 * The database: one SQLite file, opened the way SPEC sections 9 and 11
 * require, and the context every change is recorded with.
 *
 * A command runs as one transaction: bti_db_begin, the library calls,
 * bti_db_commit (or bti_db_rollback for a failure or --dry-run).
 */
#ifndef BTI_DB_H
#define BTI_DB_H

#include <cjson/cJSON.h>
#include "bti/date.h"
#include "bti/mem.h"

struct bti_db;

/* The roles.  report, caseworker and admin each may what the one before
 * may; a coordinator login (issue 20) is apart: it runs only the verbs
 * flagged for it, on the cases its coordinator holds or held. */
enum bti_role {
    BTI_ROLE_NONE,
    BTI_ROLE_REPORT,
    BTI_ROLE_CASEWORKER,
    BTI_ROLE_ADMIN,
    BTI_ROLE_COORDINATOR,
};

/* Who does what, for the audit and the access log.  The strings must
 * outlive the database handle. */
struct bti_ctx {
    const char *login;   /* the OS login, from getuid() */
    const char *actor;   /* on whose behalf (--actor, BTI_ACTOR), or NULL */
    const char *command; /* the command's name, never its arguments: "referral add" */
    bti_date today;      /* the effective today (--today, BTI_TODAY) */
    bti_date real_today; /* the real date in Europe/Oslo */
    int identify;        /* names and full nins may be returned */
    int pseudonymous;    /* listings label a person by the case id alone */
    int busy_ms;         /* busy timeout in milliseconds */
};

/* Create a new database at path: the directory 0700 (created if missing,
 * refused when another user owns it or others may enter it), the file 0600
 * created exclusively, the schema, and ctx->login as its first admin.
 * BTI_ERULE when a file exists at path. */
int bti_db_create(struct bti_db **out, const char *path, const struct bti_ctx *ctx);

/* Create a database as bti_db_create does but with no rows at all: the
 * target of a restore. */
int bti_db_create_empty(struct bti_db **out, const char *path, const struct bti_ctx *ctx);

/* An empty database (no admin) in memory, written nowhere: what a dry run
 * restores into. */
int bti_db_create_scratch(struct bti_db **out, const struct bti_ctx *ctx);

/* Non-zero when the database holds no row at all (as bti_db_create_empty
 * made it). */
int bti_db_is_empty(struct bti_db *db);

/* Put the database in WAL mode: one whose creation was stopped before it
 * got there (a killed restore), which a new restore may reuse.  The doctor
 * reports such a database; only a restore repairs it. */
int bti_db_wal(struct bti_db *db);

/* Put the new database a restore fills in rollback-journal mode until it
 * commits (bti_db_wal after): its pages go once, straight into the file,
 * not into the WAL and then again into the file, and no read looks for
 * them in the WAL (issue 19).  A restore stopped midway leaves a journal
 * that rolls the file back to empty when it is next opened. */
int bti_db_rollback_journal(struct bti_db *db);

/* Remove the database at path with its -wal, -shm and -journal files (a failed
 * restore leaves nothing behind).  The handle must be closed. */
void bti_db_remove(const char *path);

/* Share a database made by bti_db_create with a group (SPEC section 9,
 * shared mode): its directory 2770 and its files 0660, group gid.  A group
 * no person belongs to; people reach the data through a bti installed
 * setgid to it. */
int bti_db_share(const char *path, unsigned gid);

/* Open an existing database, migrating an older schema.  BTI_EDB when there
 * is no database at path, it lies on a network file system, or its schema is
 * newer than this bti.  The caller frees *out with bti_db_close.  A handle
 * serves one thread at a time (it holds no lock of its own); threads that
 * work at once each open their own. */
int bti_db_open(struct bti_db **out, const char *path, const struct bti_ctx *ctx);

/* Close the handle (NULL is accepted). */
void bti_db_close(struct bti_db *db);

/* Start the command's transaction: BEGIN IMMEDIATE for a write, so a busy
 * database is waited for up front (BTI_EBUSY past the timeout). */
int bti_db_begin(struct bti_db *db, int write);
int bti_db_commit(struct bti_db *db);

/* What the last commit did not finish though the change is committed (the
 * WAL truncation an erasure asks for, blocked by a reader), or NULL.  The
 * next write commit tries again; the doctor reports it meanwhile.  The
 * text is the handle's, valid until its next commit or its close. */
const char *bti_db_warning(const struct bti_db *db);

/* The path of the marker beside the database at path (out has PATH_MAX + 16
 * bytes) that says an erasure's old values may still wait in the WAL. */
char *bti_db_erased_marker(const char *path, char *out);

/* Roll back; the identified reads the command made are logged all the
 * same (their failure is returned). */
int bti_db_rollback(struct bti_db *db);

/* Non-zero when the command read identified data (its access rows wait
 * for the commit). */
int bti_db_identified_reads(const struct bti_db *db);

/* Forget those reads: their output was refused before anyone saw it. */
void bti_db_forget_reads(struct bti_db *db);

/* The role of the context's login: BTI_EDENIED when the login has none or
 * a lower one than `need` (a coordinator login is refused). */
int bti_db_require_role(struct bti_db *db, enum bti_role need);

/* Let the context's login in, as bti_db_require_role does, but a
 * coordinator login too when `own_cases` says its verb serves a
 * coordinator on its own cases.  From then on the handle is bound to what
 * the login may see: a coordinator login to its coordinator's cases
 * (bti_case_allowed), and person names in listings for every role but
 * `report` (unless --pseudonymous).  *have (may be NULL) gets the role. */
int bti_db_login(struct bti_db *db, enum bti_role need, int own_cases, enum bti_role *have);

/* Whether the login may see and change case_id: always, but a coordinator
 * login only the cases its coordinator holds or held.  Otherwise
 * BTI_EDENIED "not allowed", whether the case exists or not. */
int bti_case_allowed(struct bti_db *db, long long case_id);

/* The object a write created, as a new JSON object (bti_json_free): a case
 * as `case show` gives it, a person with the nin masked unless
 * --identify, anything else as its row with booleans true/false. */
int bti_entity_get(struct bti_db *db, const char *entity, long long id, cJSON **out);

/* The schema version this bti creates and understands. */
int bti_db_schema_version(void);

#endif
