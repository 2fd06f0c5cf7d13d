/* Unit tests of lib/status.c: the start-of-day object's keys and counts. */
#include <check.h>
#include <string.h>
#include "bti/case.h"
#include "bti/status.h"
#include "testutil.h"

/* Add a referral for a new person received on `received`. */
static void referral(struct tu_db *t, const char *name, bti_date received)
{
    struct bti_person_in p = {.name = name, .born = tu_ymd(2010, 5, 5)};
    struct bti_referral_in in = {
        .person = &p, .source = "bti", .requests = "ip", .received = received};
    struct bti_referral_out out;
    TU_TX(t->db, bti_referral_add(t->db, &in, &out));
}

/* The number under key of obj. */
static int num(const cJSON *obj, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    ck_assert_msg(cJSON_IsNumber(v), "%s is no number", key);
    return v->valueint;
}

START_TEST(keys_and_counts)
{
    static const char *const keys[] = {"database",
                                       "today",
                                       "login",
                                       "role",
                                       "open_cases",
                                       "due_today",
                                       "due_next_14_days",
                                       "last_backup",
                                       "last_access_review",
                                       "audit_head"};
    struct tu_db t;
    cJSON *s = NULL;
    tu_open(&t);
    referral(&t, "Kari Testesen", t.ctx.today);
    referral(&t, "Ola Testesen", t.ctx.today - 25); /* a preliminary reply within 14 days */
    ck_assert_int_eq(bti_db_begin(t.db, 0), BTI_OK);
    ck_assert_int_eq(bti_status(t.db, 10, &s), BTI_OK);
    bti_db_rollback(t.db);
    const cJSON *m = s->child;
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++, m = m->next) {
        ck_assert_ptr_nonnull(m);
        ck_assert_str_eq(m->string, keys[i]);
    }
    ck_assert_ptr_null(m);
    const cJSON *open = cJSON_GetObjectItemCaseSensitive(s, "open_cases");
    ck_assert_int_eq(num(open, "received"), 2);
    ck_assert_int_eq(num(open, "active"), 0);
    ck_assert_int_ge(num(s, "due_next_14_days"), 1);
    ck_assert(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(s, "last_backup")));
    ck_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(s, "role")), "admin");
    char *text = cJSON_PrintUnformatted(s);
    ck_assert_ptr_null(strstr(text, "Testesen")); /* counts only */
    cJSON_free(text);
    cJSON_Delete(s);
    tu_close(&t);
}
END_TEST

Suite *make_status_suite(void)
{
    Suite *s = suite_create("status");
    TCase *tc = tcase_create("status");
    tcase_add_unchecked_fixture(tc, tu_fixture_begin, tu_fixture_end);
    tcase_add_test(tc, keys_and_counts);
    suite_add_tcase(s, tc);
    return s;
}
