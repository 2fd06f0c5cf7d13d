/* Unit tests of lib/tally.c: the doctor's data check as a restore streams
 * the rows.  It may prove a restore's rows only where the doctor would
 * find nothing; anything else leaves them in doubt (then the doctor runs). */
#include <check.h>
#include <string.h>
#include "tally.h"
#include "store/store.h"
#include "testutil.h"

/* The columns of a made-up data table: an id, a name, and a status that
 * an older schema lacked (default 'x' as SQL text) and a count (default 0). */
static const struct tally_column cols[] = {
    {"id", 'i', NULL},
    {"name", 't', NULL},
    {"status", 't', "'x'"},
    {"count", 'i', "0"},
};
#define NCOLS 4

/* The number of the data table named name (db_table). */
static size_t table_number(const char *name)
{
    size_t i = 0;
    while (db_table(i) && strcmp(db_table(i), name) != 0)
        i++;
    ck_assert_ptr_nonnull(db_table(i));
    return i;
}

/* A new tally whose current table is `unit`, with the columns above. */
static struct tally *unit_tally(void)
{
    struct tally *t = NULL;
    ck_assert_int_eq(tally_new(&t), 0);
    ck_assert_int_eq(tally_table(t, table_number("unit"), cols, NCOLS), 0);
    return t;
}

/* Hand the tally the data row json as the restore binds it (a member it
 * lacks is the column's default). */
static void row(struct tally *t, const char *json)
{
    struct fj_member m[8];
    cJSON *o = cJSON_Parse(json);
    ck_assert_ptr_nonnull(o);
    int n = fj_from_cjson(o, m, 8);
    for (int k = 0; k < NCOLS; k++)
        tally_value(t, k, fj_get(m, n, cols[k].name));
    ck_assert_int_eq(tally_row(t), 0);
    cJSON_Delete(o);
}

/* Hand the tally an audit row of entity (id entity_id) with this change
 * text (NULL: erased). */
static void audit(struct tally *t, long long id, const char *entity, long long entity_id,
                  const char *change)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "id", (double)id);
    cJSON_AddStringToObject(o, "entity", entity);
    cJSON_AddNumberToObject(o, "entity_id", (double)entity_id);
    if (change)
        cJSON_AddStringToObject(o, "change", change);
    else
        cJSON_AddNullToObject(o, "change");
    struct fj_member m[4];
    ck_assert_int_eq(tally_audit(t, m, fj_from_cjson(o, m, 4)), 0);
    cJSON_Delete(o);
}

/* Whether the tally proves the rows, freeing it. */
static int proves(struct tally *t)
{
    int yes = tally_proves(t);
    tally_free(t);
    return yes;
}

START_TEST(rows_equal_to_their_last_entries_are_proved)
{
    struct tally *t = unit_tally();
    row(t, "{\"id\":1,\"name\":\"BOAK\",\"status\":\"a\",\"count\":2}");
    row(t, "{\"id\":2,\"name\":\"Familiesenteret\",\"status\":null,\"count\":0}");
    audit(t, 1, "unit", 1,
          "{\"old\":null,\"new\":{\"id\":1,\"name\":\"BOAX\",\"status\":\"a\","
          "\"count\":2}}");
    audit(t, 2, "unit", 2,
          "{\"old\":null,\"new\":{\"id\":2,\"name\":\"Familiesenteret\","
          "\"status\":null,\"count\":0}}");
    audit(t, 3, "unit", 1,
          "{\"old\":{\"id\":1},\"new\":{\"name\":\"BOAK\",\"id\":1,"
          "\"count\":2.0,\"status\":\"a\"}}");
    audit(t, 4, "restore", 0, "{\"sha256\":\"00\"}"); /* no data table's */
    ck_assert(proves(t));
}
END_TEST

START_TEST(the_entry_of_the_largest_id_decides_in_any_order)
{
    struct tally *t = unit_tally();
    row(t, "{\"id\":1,\"name\":\"BOAK\",\"status\":\"a\",\"count\":2}");
    audit(t, 9, "unit", 1, "{\"new\":{\"id\":1,\"name\":\"BOAK\",\"status\":\"a\",\"count\":2}}");
    audit(t, 5, "unit", 1, "{\"new\":{\"id\":1,\"name\":\"BOAX\",\"status\":\"a\",\"count\":2}}");
    ck_assert(proves(t));
    t = unit_tally();
    row(t, "{\"id\":1,\"name\":\"BOAK\",\"status\":\"a\",\"count\":2}");
    audit(t, 9, "unit", 1, "{\"new\":{\"id\":1,\"name\":\"BOAX\",\"status\":\"a\",\"count\":2}}");
    audit(t, 5, "unit", 1, "{\"new\":{\"id\":1,\"name\":\"BOAK\",\"status\":\"a\",\"count\":2}}");
    ck_assert(!proves(t));
}
END_TEST

START_TEST(a_row_that_differs_or_has_no_entry_is_in_doubt)
{
    static const char *const changes[] = {
        "{\"new\":{\"id\":1,\"name\":\"BOAX\",\"status\":\"a\",\"count\":2}}",         /* a value */
        "{\"new\":{\"id\":1,\"name\":\"BOAK\",\"status\":\"a\",\"count\":\"2\"}}",     /* a type */
        "{\"new\":{\"id\":1,\"name\":\"BOAK\",\"status\":\"a\",\"count\":2,\"x\":1}}", /* more */
        "{\"new\":{\"id\":1,\"name\":\"BOAK\",\"name\":\"BOAK\",\"status\":\"a\",\"count\":2}}",
        "{\"new\":{\"id\":1,\"name\":\"BOAK\",\"status\":\"a\",\"count\":2.5}}",
        "{\"new\":{\"id\":1,\"Name\":\"BOAK\",\"status\":\"a\",\"count\":2}}", /* case */
        "{\"new\":{\"id\":1,\"name\":\"BOAK\",\"status\":\"a\",\"count\":true}}",
        "{\"new\":null}", /* deleted */
        "{\"new\":[1]}",  /* unreadable */
        "not json",
    };
    for (size_t i = 0; i < sizeof changes / sizeof changes[0]; i++) {
        struct tally *t = unit_tally();
        row(t, "{\"id\":1,\"name\":\"BOAK\",\"status\":\"a\",\"count\":2}");
        audit(t, 1, "unit", 1, changes[i]);
        ck_assert_msg(!proves(t), "proved with %s", changes[i]);
    }
    struct tally *t = unit_tally();
    row(t, "{\"id\":1,\"name\":\"BOAK\",\"status\":\"a\",\"count\":2}");
    row(t, "{\"id\":2,\"name\":\"BOAX\",\"status\":\"a\",\"count\":2}");
    audit(t, 1, "unit", 1, "{\"new\":{\"id\":1,\"name\":\"BOAK\",\"status\":\"a\",\"count\":2}}");
    ck_assert(!proves(t)); /* unit 2 has no entry */
}
END_TEST

START_TEST(an_erased_last_entry_is_not_compared)
{
    struct tally *t = unit_tally();
    row(t, "{\"id\":1,\"name\":\"Blanked\",\"status\":\"a\",\"count\":2}");
    audit(t, 1, "unit", 1, "{\"new\":{\"id\":1,\"name\":\"BOAK\",\"status\":\"a\",\"count\":2}}");
    audit(t, 2, "unit", 1, NULL);
    ck_assert(proves(t));
}
END_TEST

START_TEST(the_last_entry_of_a_row_that_is_gone_must_be_erased)
{
    struct tally *t = unit_tally();
    audit(t, 1, "unit", 7, "{\"new\":{\"id\":7,\"name\":\"BOAK\",\"status\":\"a\",\"count\":2}}");
    audit(t, 2, "unit", 7, NULL);
    ck_assert(proves(t));
    t = unit_tally();
    audit(t, 2, "unit", 7, NULL);
    audit(t, 1, "unit", 7, "{\"new\":{\"id\":7,\"name\":\"BOAK\",\"status\":\"a\",\"count\":2}}");
    ck_assert(proves(t)); /* the erased entry is the later one */
    /* deleted or still there: the doctor decides */
    t = unit_tally();
    audit(t, 1, "unit", 7, "{\"old\":{\"id\":7},\"new\":null}");
    ck_assert(!proves(t));
    t = unit_tally();
    audit(t, 1, "unit", 7, "{\"new\":{\"id\":7,\"name\":\"BOAK\",\"status\":\"a\",\"count\":2}}");
    ck_assert(!proves(t));
}
END_TEST

START_TEST(a_column_an_image_lacks_is_its_default)
{
    /* an entry written before a migration added status and count */
    struct tally *t = unit_tally();
    row(t, "{\"id\":1,\"name\":\"BOAK\",\"status\":\"'x'\",\"count\":0}");
    row(t, "{\"id\":2,\"name\":\"BOAX\"}"); /* an export as old: the defaults were bound */
    audit(t, 1, "unit", 1, "{\"new\":{\"id\":1,\"name\":\"BOAK\"}}");
    audit(t, 2, "unit", 2, "{\"new\":{\"id\":2,\"name\":\"BOAX\"}}");
    ck_assert(proves(t));
    t = unit_tally();
    row(t, "{\"id\":1,\"name\":\"BOAK\",\"status\":\"'x'\",\"count\":3}");
    audit(t, 1, "unit", 1, "{\"new\":{\"id\":1,\"name\":\"BOAK\"}}");
    ck_assert(!proves(t));
}
END_TEST

START_TEST(rows_out_of_order_are_sorted_and_odd_keys_are_in_doubt)
{
    struct tally *t = unit_tally();
    row(t, "{\"id\":2,\"name\":\"B\",\"status\":\"a\",\"count\":2}");
    row(t, "{\"id\":1,\"name\":\"A\",\"status\":\"a\",\"count\":2}");
    audit(t, 1, "unit", 1, "{\"new\":{\"id\":1,\"name\":\"A\",\"status\":\"a\",\"count\":2}}");
    audit(t, 2, "unit", 2, "{\"new\":{\"id\":2,\"name\":\"B\",\"status\":\"a\",\"count\":2}}");
    ck_assert(proves(t));
    t = unit_tally();
    row(t, "{\"id\":\"1\",\"name\":\"A\",\"status\":\"a\",\"count\":2}"); /* converted by SQLite */
    audit(t, 1, "unit", 1, "{\"new\":{\"id\":1,\"name\":\"A\",\"status\":\"a\",\"count\":2}}");
    ck_assert(!proves(t));
    t = unit_tally();
    row(t, "{\"id\":1,\"name\":\"A\",\"status\":\"a\",\"count\":\"2\"}");
    audit(t, 1, "unit", 1, "{\"new\":{\"id\":1,\"name\":\"A\",\"status\":\"a\",\"count\":2}}");
    ck_assert(!proves(t));
}
END_TEST

/* Whether a row equal to A's id 1 below is proved by the change text of
 * its one audit entry. */
static int proved_by(const char *change)
{
    struct tally *t = unit_tally();
    row(t, "{\"id\":1,\"name\":\"A\",\"status\":\"a\",\"count\":2}");
    audit(t, 1, "unit", 1, change);
    return proves(t);
}

START_TEST(change_texts_are_read_as_the_doctor_reads_them)
{
    /* the export's shape, read without cJSON */
    ck_assert(proved_by("{\"old\":null,\"new\":{\"id\":1,\"name\":\"A\",\"status\":\"a\","
                        "\"count\":2}}"));
    ck_assert(proved_by("{\"old\":{\"id\":1,\"name\":\"B\",\"status\":null,\"count\":0},"
                        "\"new\":{\"id\":1,\"name\":\"A\",\"status\":\"a\",\"count\":2}}"));
    ck_assert(!proved_by("{\"old\":null,\"new\":{\"id\":1,\"name\":\"A\",\"status\":\"a\","
                         "\"count\":3}}"));
    ck_assert(!proved_by("{\"old\":null,\"new\":{\"id\":1,\"name\":\"A\",\"status\":\"a\","
                         "\"count\":2,\"extra\":1}}"));
    /* other shapes, read through cJSON as the doctor does */
    ck_assert(proved_by("{\"new\":{\"id\":1,\"name\":\"A\",\"status\":\"a\",\"count\":2},"
                        "\"old\":null}"));
    ck_assert(proved_by("{\"old\":null, \"new\":{\"id\":1,\"name\":\"\\u0041\",\"status\":\"a\","
                        "\"count\":2}} and after"));
    ck_assert(proved_by("{\"old\":null,\"new\":{\"id\":1,\"name\":\"A\",\"status\":\"a\","
                        "\"count\":2},\"new\":{\"id\":1}}")); /* the first "new" counts */
    ck_assert(!proved_by("{\"old\":null,\"New\":{\"id\":1,\"name\":\"A\",\"status\":\"a\","
                         "\"count\":2}}")); /* its key in its case */
    ck_assert(!proved_by("{\"old\":null,\"new\":null}"));
    ck_assert(!proved_by("{\"old\":null,\"new\":{\"id\":1,\"name\":\"A\",\"status\":\"a\","
                         "\"count\":2,\"count\":2}}")); /* a duplicate member */
}
END_TEST

Suite *make_tally_suite(void)
{
    Suite *s = suite_create("tally");
    TCase *tc = tcase_create("tally");
    tcase_add_test(tc, rows_equal_to_their_last_entries_are_proved);
    tcase_add_test(tc, the_entry_of_the_largest_id_decides_in_any_order);
    tcase_add_test(tc, a_row_that_differs_or_has_no_entry_is_in_doubt);
    tcase_add_test(tc, an_erased_last_entry_is_not_compared);
    tcase_add_test(tc, the_last_entry_of_a_row_that_is_gone_must_be_erased);
    tcase_add_test(tc, a_column_an_image_lacks_is_its_default);
    tcase_add_test(tc, rows_out_of_order_are_sorted_and_odd_keys_are_in_doubt);
    tcase_add_test(tc, change_texts_are_read_as_the_doctor_reads_them);
    suite_add_tcase(s, tc);
    return s;
}
