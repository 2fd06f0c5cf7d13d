/* Unit tests of lib/doctor.c and lib/backup.c: the doctor's checks against
 * a database changed behind bti's back (through a raw SQLite connection),
 * the encryption lookup on stand-in /proc and /sys files, and backups. */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include "bti/db.h"
#include "bti/doctor.h"
#include "bti/error.h"
#include "bti/person.h"
#include "bti/unit.h"
#include "testutil.h"

/* The doctor's rows as "check|status|detail" lines, and counts. */
struct report {
    int rows, fails, warns;
    char text[16384];
};

static int collect(const struct bti_row *row, void *arg)
{
    struct report *r = arg;
    size_t len = strlen(r->text);
    snprintf(r->text + len, sizeof r->text - len, "%s|%s|%s\n", row->vals[0].s, row->vals[1].s,
             row->vals[2].s);
    r->rows++;
    r->fails += strcmp(row->vals[1].s, "FAIL") == 0;
    r->warns += strcmp(row->vals[1].s, "WARN") == 0;
    return 0;
}

/* Run the doctor in a read transaction, as the command does; its code. */
static int doctor(struct bti_db *db, struct report *r)
{
    memset(r, 0, sizeof *r);
    ck_assert_int_eq(bti_db_begin(db, 0), BTI_OK);
    int rc = bti_doctor(db, collect, r);
    bti_db_rollback(db);
    return rc;
}

/* Require the doctor to pass: no FAIL row, exit code 0. */
static void assert_clean(struct bti_db *db)
{
    struct report r;
    int rc = doctor(db, &r);
    ck_assert_msg(rc == BTI_OK && r.fails == 0, "doctor: %d (%s)\n%s", rc, bti_error_last(),
                  r.text);
}

/* Require the doctor to fail (exit 7) with `line` among its rows; the
 * report is left in r for more checks. */
static void assert_finds(struct bti_db *db, struct report *r, const char *line)
{
    int rc = doctor(db, r);
    ck_assert_msg(rc == BTI_ECHECK, "doctor: %d, expected %d\n%s", rc, BTI_ECHECK, r->text);
    ck_assert_msg(strstr(r->text, line), "no row '%s' in:\n%s", line, r->text);
}

/* A database with a unit and two persons (one edited): all audited. */
static void open_with_data(struct tu_db *t)
{
    long long id;
    struct bti_person_in ola = {"Ola Prøvesen", tu_ymd(1980, 1, 31), 0, NULL};
    struct bti_person_in kari = {"Kari Testesen", tu_ymd(2010, 5, 5), 0, NULL};
    struct bti_person_in fix = {"Ola Rettesen", BTI_NO_DATE, -1, NULL};
    tu_open(t);
    TU_TX(t->db, bti_unit_add(t->db, "Familiesenter", &id));
    TU_TX(t->db, bti_person_add(t->db, &ola, &id));
    TU_TX(t->db, bti_person_edit(t->db, id, &fix, "skrivefeil"));
    TU_TX(t->db, bti_person_add(t->db, &kari, &id));
}

/* Run sql through a raw connection, behind bti's back. */
static void behind_back(const struct tu_db *t, const char *sql)
{
    sqlite3 *h = tu_raw(t->path);
    tu_exec_ok(h, sql);
    sqlite3_close(h);
}

START_TEST(fresh_database_is_clean)
{
    struct tu_db t;
    struct report r;
    tu_open(&t);
    ck_assert_int_eq(doctor(t.db, &r), BTI_OK);
    const char *checks[] = {"integrity|ok", "foreign keys|ok", "audit chain|ok", "erasures|ok",
                            "data|ok",      "dates|ok",        "caches|ok",      "triggers|ok",
                            "schema|ok",    "permissions|ok",  "wal|ok"};
    for (size_t i = 0; i < sizeof checks / sizeof checks[0]; i++)
        ck_assert_msg(strstr(r.text, checks[i]), "no '%s' in:\n%s", checks[i], r.text);
    ck_assert_msg(strstr(r.text, "encryption|"), "%s", r.text);
    ck_assert_int_eq(r.rows, 12);
    tu_close(&t);
}
END_TEST

START_TEST(database_after_writes_is_clean)
{
    struct tu_db t;
    open_with_data(&t);
    assert_clean(t.db);
    tu_close(&t);
}
END_TEST

START_TEST(changed_row_is_found_by_table_id_and_column)
{
    struct tu_db t;
    struct report r;
    open_with_data(&t);
    behind_back(&t, "UPDATE person SET name = 'Mallory Endret', born = '1981-01-31' WHERE id = 1");
    assert_finds(t.db, &r, "data|FAIL|person 1 differs from audit row 4 in: name, born\n");
    ck_assert_msg(strstr(r.text, "data|FAIL|1 finding; 3 of 4 rows match"), "%s", r.text);
    ck_assert_msg(strstr(r.text, "audit chain|ok"), "the chain still holds:\n%s", r.text);
    ck_assert_ptr_null(strstr(r.text, "Mallory"));
    ck_assert_ptr_null(strstr(r.text, "Rettesen"));
    ck_assert_ptr_null(strstr(r.text, "1981"));
    tu_close(&t);
}
END_TEST

START_TEST(changed_flag_is_found)
{
    struct tu_db t;
    struct report r;
    open_with_data(&t);
    behind_back(&t, "UPDATE person SET expected = 1 WHERE id = 2");
    assert_finds(t.db, &r, "data|FAIL|person 2 differs from audit row 5 in: expected\n");
    tu_close(&t);
}
END_TEST

START_TEST(row_without_audit_is_found)
{
    struct tu_db t;
    struct report r;
    open_with_data(&t);
    behind_back(&t, "INSERT INTO unit(name) VALUES ('Skyggeenhet')");
    assert_finds(t.db, &r, "data|FAIL|unit 2 has no audit entry\n");
    tu_close(&t);
}
END_TEST

START_TEST(deleted_row_is_found)
{
    struct tu_db t;
    struct report r;
    open_with_data(&t);
    behind_back(&t, "DELETE FROM person WHERE id = 2");
    assert_finds(t.db, &r, "data|FAIL|audit row 5 says person 2 exists, but it does not\n");
    tu_close(&t);
}
END_TEST

START_TEST(row_audited_as_deleted_is_found)
{
    struct tu_db t;
    struct report r;
    open_with_data(&t);
    sqlite3 *h = tu_raw(t.path);
    tu_exec_ok(h, "DROP TRIGGER audit_only_erase");
    tu_exec_ok(h, "UPDATE audit SET change = json_set(change, '$.new', json('null'))"
                  " WHERE id = 5");
    sqlite3_close(h);
    assert_finds(t.db, &r, "data|FAIL|person 2 exists, but audit row 5 says it was deleted\n");
    ck_assert_msg(strstr(r.text, "audit chain|FAIL|audit row 5 does not match the chain"), "%s",
                  r.text);
    ck_assert_msg(strstr(r.text, "triggers|FAIL|trigger audit_only_erase is missing"), "%s",
                  r.text);
    tu_close(&t);
}
END_TEST

START_TEST(audit_values_nulled_without_an_erasure_are_found)
{
    struct tu_db t;
    struct report r;
    open_with_data(&t);
    /* issue 14, finding 1: the trigger dropped and put back, the values
     * nulled without an erasure, and the data changed: the doctor finds it */
    char trigger[2048];
    tu_query(&t, "SELECT sql FROM sqlite_master WHERE name = 'audit_only_erase'", trigger,
             sizeof trigger);
    behind_back(&t, "DROP TRIGGER audit_only_erase");
    behind_back(&t, "UPDATE audit SET change = NULL, salt = NULL WHERE entity = 'person'");
    behind_back(&t, trigger);
    behind_back(&t, "UPDATE person SET name = 'Slettet' WHERE id = 1");
    ck_assert_int_eq(doctor(t.db, &r), BTI_ECHECK);
    ck_assert_msg(strstr(r.text, "erasures|FAIL|audit row 3 (person 1) lost its values, but no"
                                 " erasure entry names it"),
                  "%s", r.text);
    ck_assert_msg(strstr(r.text, "data|ok|2 rows match their last audit entry; 2 not compared:"
                                 " their audit values were erased"),
                  "%s", r.text);
    tu_close(&t);
}
END_TEST

START_TEST(many_findings_are_capped_and_counted)
{
    struct tu_db t;
    struct report r;
    tu_open(&t);
    sqlite3 *h = tu_raw(t.path);
    tu_exec_ok(h, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 150)"
                  " INSERT INTO unit(name) SELECT 'Enhet ' || i FROM n");
    sqlite3_close(h);
    assert_finds(t.db, &r, "data|FAIL|50 more findings not shown\n");
    ck_assert_int_eq(r.fails, 100 + 1 + 1);
    ck_assert_msg(strstr(r.text, "data|FAIL|150 findings; 1 of 151 rows match"), "%s", r.text);
    tu_close(&t);
}
END_TEST

/* Issue 19: a derived cache written behind the triggers' back. */
START_TEST(stale_cache_is_found)
{
    struct tu_db t;
    struct report r;
    open_with_data(&t);
    tu_referred_case(&t, "ip");
    assert_clean(t.db);
    behind_back(&t, "UPDATE request_standing SET outcome = 'granted', on_date = '2026-10-02';"
                    "INSERT INTO request_standing VALUES (9, 1, 'ip', '2026-10-01', 1, NULL, NULL)");
    assert_finds(t.db, &r,
                 "caches|FAIL|request 1: its derived standing differs from its decisions\n");
    ck_assert_msg(strstr(r.text, "caches|FAIL|request 9: its derived standing differs"), "%s",
                  r.text);
    ck_assert_msg(strstr(r.text, "data|ok"), "the audited rows still hold:\n%s", r.text);
    tu_close(&t);
}
END_TEST

START_TEST(dropped_trigger_is_found)
{
    struct tu_db t;
    struct report r;
    open_with_data(&t);
    behind_back(&t, "DROP TRIGGER access_no_delete");
    assert_finds(t.db, &r, "triggers|FAIL|trigger access_no_delete is missing\n");
    ck_assert_int_eq(r.fails, 1);
    tu_close(&t);
}
END_TEST

START_TEST(altered_trigger_is_found)
{
    struct tu_db t;
    struct report r;
    open_with_data(&t);
    behind_back(&t, "DROP TRIGGER audit_no_delete;"
                    " CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit WHEN 0"
                    " BEGIN SELECT RAISE(ABORT, 'the audit is append-only'); END;");
    assert_finds(t.db, &r, "triggers|FAIL|trigger audit_no_delete differs from the one bti made\n");
    tu_close(&t);
}
END_TEST

START_TEST(added_trigger_is_found)
{
    struct tu_db t;
    struct report r;
    open_with_data(&t);
    behind_back(&t, "CREATE TRIGGER person_copy AFTER UPDATE ON person"
                    " BEGIN SELECT 1; END;");
    assert_finds(t.db, &r, "triggers|FAIL|trigger person_copy was not made by bti\n");
    tu_close(&t);
}
END_TEST

START_TEST(column_added_after_the_audit_reads_as_its_default)
{
    /* a migration that adds a column (issue 12's migration 9) leaves the
     * audit entries of older rows without it: they match at the default */
    struct tu_db t;
    struct report r;
    open_with_data(&t);
    behind_back(&t, "ALTER TABLE person ADD COLUMN extra INTEGER NOT NULL DEFAULT 0;"
                    "ALTER TABLE person ADD COLUMN note TEXT");
    doctor(t.db, &r);
    ck_assert_msg(strstr(r.text, "data|ok|4 rows match"), "%s", r.text);
    behind_back(&t, "UPDATE person SET extra = 1 WHERE id = 2; UPDATE person SET note = 'x'"
                    " WHERE id = 1");
    assert_finds(t.db, &r, "data|FAIL|person 1 differs from audit row 4 in: note\n");
    ck_assert_msg(strstr(r.text, "data|FAIL|person 2 differs from audit row 5 in: extra\n"), "%s",
                  r.text);
    tu_close(&t);
}
END_TEST

START_TEST(changed_schema_is_found)
{
    struct tu_db t;
    struct report r;
    open_with_data(&t);
    behind_back(&t, "DROP INDEX person_name_born; CREATE TABLE stash(x TEXT)");
    assert_finds(t.db, &r, "schema|FAIL|index person_name_born is missing\n");
    ck_assert_msg(strstr(r.text, "schema|FAIL|table stash was not made by bti\n"), "%s", r.text);
    tu_close(&t);
}
END_TEST

START_TEST(dangling_reference_is_found)
{
    struct tu_db t;
    struct report r;
    open_with_data(&t);
    behind_back(&t, "PRAGMA foreign_keys = OFF;"
                    " INSERT INTO relative(person_id, name, relation) VALUES (99, 'X', 'mor')");
    assert_finds(t.db, &r,
                 "foreign keys|FAIL|relative 1 refers to a person row that does not"
                 " exist\n");
    tu_close(&t);
}
END_TEST

START_TEST(open_file_modes_are_found)
{
    struct tu_db t;
    struct report r;
    char line[256];
    open_with_data(&t);
    ck_assert_int_eq(chmod(t.path, 0644), 0);
    snprintf(line, sizeof line, "permissions|FAIL|'%s' has mode 0644; it should be 0600\n", t.path);
    assert_finds(t.db, &r, line);
    ck_assert_int_eq(chmod(t.path, 0600), 0);
    ck_assert_int_eq(chmod(t.dir, 0750), 0);
    snprintf(line, sizeof line, "permissions|FAIL|'%s' has mode 0750; it should be 0700\n", t.dir);
    assert_finds(t.db, &r, line);
    tu_close(&t);
}
END_TEST

/* Give path mode `mode` and group gid. */
static void share(const char *path, mode_t mode, gid_t gid)
{
    ck_assert_msg(chown(path, (uid_t)-1, gid) == 0, "chown %s", path);
    ck_assert_msg(chmod(path, mode) == 0, "chmod %s", path);
}

START_TEST(shared_layout_is_accepted_and_checked)
{
    struct tu_db t;
    struct report r;
    char line[256], side[160];
    const gid_t nogroup = 65534; /* a group no person belongs to */
    if (geteuid() != 0)
        return; /* only root may give files another group */
    open_with_data(&t);
    share(t.dir, 02770, nogroup);
    share(t.path, 0660, nogroup);
    for (int i = 0; i < 2; i++) {
        snprintf(side, sizeof side, "%s%s", t.path, i ? "-shm" : "-wal");
        if (access(side, F_OK) == 0)
            share(side, 0660, nogroup);
    }
    ck_assert_int_eq(doctor(t.db, &r), BTI_OK);
    ck_assert_msg(strstr(r.text, "permissions|ok|shared: "), "%s", r.text);
    share(t.path, 0664, nogroup);
    snprintf(line, sizeof line, "permissions|FAIL|'%s' has mode 0664; it should be 0660\n", t.path);
    assert_finds(t.db, &r, line);
    share(t.path, 0660, 0);
    snprintf(line, sizeof line,
             "permissions|FAIL|'%s' belongs to group 0, not to the database's"
             " group 65534\n",
             t.path);
    assert_finds(t.db, &r, line);
    tu_close(&t);
}
END_TEST

/* Write text to dir/rel, making the directories on the way. */
static void put(const char *dir, const char *rel, const char *text)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    for (char *p = path + strlen(dir) + 1; (p = strchr(p, '/')) != NULL; p++) {
        *p = '\0';
        ck_assert_msg(mkdir(path, 0700) == 0 || errno == EEXIST, "mkdir %s", path);
        *p = '/';
    }
    FILE *fp = fopen(path, "w");
    ck_assert_ptr_nonnull(fp);
    fputs(text, fp);
    fclose(fp);
}

START_TEST(encryption_is_found_in_mountinfo_and_sysfs)
{
    char dir[32], info[64], sys[64];
    tu_mkdtemp(dir);
    put(dir, "mountinfo",
        "22 1 254:0 / / rw,relatime shared:1 - ext4 /dev/mapper/root rw\n"
        "23 22 254:1 / /home rw - ext4 /dev/mapper/vg-home rw\n"
        "24 22 8:1 / /boot rw - ext4 /dev/sda1 rw\n"
        "25 22 0:50 / /home/x/Private rw - ecryptfs /home/x/.Private rw\n"
        "26 22 254:3 / /srv rw - xfs /dev/mapper/vg-srv rw\n");
    put(dir, "sys/254:0/dm/uuid", "CRYPT-LUKS2-0123-root\n");
    put(dir, "sys/254:1/dm/uuid", "LVM-abc\n");
    put(dir, "sys/254:1/slaves/dm-2/dev", "254:2\n");
    put(dir, "sys/254:2/dm/uuid", "CRYPT-LUKS2-4567-pv\n");
    put(dir, "sys/254:3/dm/uuid", "LVM-def\n");
    put(dir, "sys/254:3/slaves/sda2/dev", "8:2\n");
    snprintf(info, sizeof info, "%s/mountinfo", dir);
    snprintf(sys, sizeof sys, "%s/sys", dir);
    ck_assert_int_eq(bti_doctor_crypt(makedev(254, 0), info, sys), BTI_CRYPT_DM);
    ck_assert_int_eq(bti_doctor_crypt(makedev(254, 1), info, sys), BTI_CRYPT_DM);
    ck_assert_int_eq(bti_doctor_crypt(makedev(8, 1), info, sys), BTI_CRYPT_NONE);
    ck_assert_int_eq(bti_doctor_crypt(makedev(0, 50), info, sys), BTI_CRYPT_ECRYPTFS);
    ck_assert_int_eq(bti_doctor_crypt(makedev(254, 3), info, sys), BTI_CRYPT_NONE);
    ck_assert_int_eq(bti_doctor_crypt(makedev(9, 9), info, sys), BTI_CRYPT_NONE);
    ck_assert_int_eq(bti_doctor_crypt(makedev(254, 0), "/nonexistent", sys), BTI_CRYPT_NONE);
    tu_rmtree(dir);
}
END_TEST

/* Back up t's database to path in a write transaction, as the command
 * does; the code.  Committed on success but for a dry run. */
static int backup(struct tu_db *t, const char *path, int dry_run, struct bti_backup_info *b)
{
    struct bti_backup_opts opts = {dry_run, NULL};
    ck_assert_int_eq(bti_db_begin(t->db, 1), BTI_OK);
    int rc = bti_backup(t->db, path, &opts, b);
    if (rc == 0 && !dry_run)
        ck_assert_int_eq(bti_db_commit(t->db), BTI_OK);
    else
        bti_db_rollback(t->db);
    return rc;
}

START_TEST(backup_is_a_checked_private_copy_recorded_in_the_audit)
{
    struct tu_db t;
    struct bti_backup_info b;
    struct stat st;
    char path[160], buf[256], sql[512];
    open_with_data(&t);
    snprintf(path, sizeof path, "%s/copy.db", t.dir);
    ck_assert_int_eq(backup(&t, path, 0, &b), BTI_OK);
    ck_assert_str_eq(b.target, path);
    ck_assert_int_eq(strlen(b.sha256), 64);
    ck_assert_int_eq(lstat(path, &st), 0);
    ck_assert_int_eq(st.st_mode & 07777, 0600);
    ck_assert_int_eq(st.st_size, b.bytes);
    sqlite3 *h = tu_raw(path);
    ck_assert_str_eq(tu_text(h, "PRAGMA integrity_check", buf, sizeof buf), "ok");
    ck_assert_str_eq(tu_text(h, "SELECT name FROM person WHERE id = 1", buf, sizeof buf),
                     "Ola Rettesen");
    ck_assert_int_eq(tu_int(h, "SELECT count(*) FROM audit"), 5);
    sqlite3_close(h);
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM audit WHERE entity = 'backup' AND entity_id IS NULL"
             " AND json_extract(change, '$.target') = '%s'"
             " AND json_extract(change, '$.sha256') = '%s'",
             path, b.sha256);
    ck_assert_int_eq(tu_count(&t, sql), 1);
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM access WHERE entity = 'backup' AND what = '%s' AND rows = 2",
             path);
    ck_assert_int_eq(tu_count(&t, sql), 1);
    assert_clean(t.db);
    tu_close(&t);
}
END_TEST

START_TEST(backup_never_replaces_or_follows)
{
    struct tu_db t;
    struct bti_backup_info b;
    char file[160], planted[160], target[160], buf[64];
    tu_open(&t);
    snprintf(file, sizeof file, "%s/old.db", t.dir);
    put(t.dir, "old.db", "keep me");
    ck_assert_int_eq(backup(&t, file, 0, &b), BTI_ERULE);
    FILE *fp = fopen(file, "r");
    ck_assert_ptr_nonnull(fgets(buf, sizeof buf, fp));
    fclose(fp);
    ck_assert_str_eq(buf, "keep me");
    snprintf(planted, sizeof planted, "%s/planted.db", t.dir);
    snprintf(target, sizeof target, "%s/elsewhere.db", t.dir);
    ck_assert_int_eq(symlink(target, planted), 0);
    ck_assert_int_eq(backup(&t, planted, 0, &b), BTI_ERULE);
    ck_assert_int_eq(access(target, F_OK), -1);
    ck_assert_int_eq(tu_count(&t, "SELECT count(*) FROM audit WHERE entity = 'backup'"), 0);
    tu_close(&t);
}
END_TEST

/* What a backup's user_files hook was called with, in order. */
static char switches[16];

static void note_switch(int on)
{
    size_t n = strlen(switches);
    if (n + 1 < sizeof switches)
        switches[n] = on ? '1' : '0';
}

START_TEST(backup_works_in_the_target_directory_as_the_user)
{
    struct tu_db t;
    struct bti_backup_info b;
    struct bti_backup_opts opts = {0, note_switch};
    char path[160];
    tu_open(&t);
    snprintf(path, sizeof path, "%s/copy.db", t.dir);
    memset(switches, 0, sizeof switches);
    ck_assert_int_eq(bti_db_begin(t.db, 1), BTI_OK);
    ck_assert_int_eq(bti_backup(t.db, path, &opts, &b), BTI_OK);
    ck_assert_int_eq(bti_db_commit(t.db), BTI_OK);
    ck_assert_str_eq(switches, "1010");
    memset(switches, 0, sizeof switches);
    ck_assert_int_eq(bti_db_begin(t.db, 1), BTI_OK);
    ck_assert_int_eq(bti_backup(t.db, path, &opts, &b), BTI_ERULE);
    bti_db_rollback(t.db);
    ck_assert_str_eq(switches, "1010");
    tu_close(&t);
}
END_TEST

START_TEST(backup_into_a_missing_directory_fails)
{
    struct tu_db t;
    struct bti_backup_info b;
    char path[160];
    tu_open(&t);
    snprintf(path, sizeof path, "%s/no/such/dir/copy.db", t.dir);
    ck_assert_int_eq(backup(&t, path, 0, &b), BTI_EDB);
    ck_assert_int_eq(backup(&t, "", 0, &b), BTI_EINVAL);
    tu_close(&t);
}
END_TEST

START_TEST(backup_dry_run_leaves_no_file)
{
    struct tu_db t;
    struct bti_backup_info b;
    char path[160];
    tu_open(&t);
    snprintf(path, sizeof path, "%s/copy.db", t.dir);
    ck_assert_int_eq(backup(&t, path, 1, &b), BTI_OK);
    ck_assert_int_eq(strlen(b.sha256), 64);
    ck_assert_int_eq(access(path, F_OK), -1);
    ck_assert_int_eq(tu_count(&t, "SELECT count(*) FROM audit WHERE entity = 'backup'"), 0);
    tu_close(&t);
}
END_TEST

Suite *make_doctor_suite(void)
{
    Suite *s = suite_create("doctor");
    TCase *tc = tcase_create("doctor");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, fresh_database_is_clean);
    tcase_add_test(tc, database_after_writes_is_clean);
    tcase_add_test(tc, changed_row_is_found_by_table_id_and_column);
    tcase_add_test(tc, changed_flag_is_found);
    tcase_add_test(tc, row_without_audit_is_found);
    tcase_add_test(tc, deleted_row_is_found);
    tcase_add_test(tc, row_audited_as_deleted_is_found);
    tcase_add_test(tc, audit_values_nulled_without_an_erasure_are_found);
    tcase_add_test(tc, many_findings_are_capped_and_counted);
    tcase_add_test(tc, stale_cache_is_found);
    tcase_add_test(tc, dropped_trigger_is_found);
    tcase_add_test(tc, altered_trigger_is_found);
    tcase_add_test(tc, added_trigger_is_found);
    tcase_add_test(tc, column_added_after_the_audit_reads_as_its_default);
    tcase_add_test(tc, changed_schema_is_found);
    tcase_add_test(tc, dangling_reference_is_found);
    tcase_add_test(tc, open_file_modes_are_found);
    tcase_add_test(tc, shared_layout_is_accepted_and_checked);
    tcase_add_test(tc, encryption_is_found_in_mountinfo_and_sysfs);
    tcase_add_test(tc, backup_is_a_checked_private_copy_recorded_in_the_audit);
    tcase_add_test(tc, backup_never_replaces_or_follows);
    tcase_add_test(tc, backup_works_in_the_target_directory_as_the_user);
    tcase_add_test(tc, backup_into_a_missing_directory_fails);
    tcase_add_test(tc, backup_dry_run_leaves_no_file);
    tcase_add_unchecked_fixture(tc, tu_fixture_begin, tu_fixture_end);
    suite_add_tcase(s, tc);
    return s;
}
