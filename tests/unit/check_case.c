/* Unit tests of lib/case.c: referrals, requests, case listing, showing and
 * editing.  Only synthetic persons and nins (month + 80). */
#include <check.h>
#include <stdio.h>
#include <string.h>
#include "bti/case.h"
#include "bti/error.h"
#include "bti/person.h"
#include "bti/unit.h"
#include "testutil.h"

/* A referral for a new person named name (born 1990-05-12 + n days). */
static struct bti_referral_out refer_new(struct tu_db *t, const char *name, int n,
                                         const char *requests)
{
    struct bti_person_in p = {.name = name, .born = tu_ymd(1990, 5, 12) + n};
    struct bti_referral_in in = {.person = &p,
                                 .source = "bti",
                                 .requests = requests,
                                 .referrer = "fastlege",
                                 .received = tu_ymd(2026, 11, 2)};
    struct bti_referral_out out;
    TU_TX(t->db, bti_referral_add(t->db, &in, &out));
    ck_assert_int_gt(out.case_id, 0);
    return out;
}

/* The result of a referral that should be refused (rolled back). */
static int refer_rc(struct tu_db *t, const struct bti_referral_in *in)
{
    struct bti_referral_out out;
    ck_assert_int_eq(bti_db_begin(t->db, 1), BTI_OK);
    int rc = bti_referral_add(t->db, in, &out);
    bti_db_rollback(t->db);
    return rc;
}

/* The case's requested items in id order, comma-separated, into buf. */
static char *items_of(struct tu_db *t, long long case_id, char *buf, size_t size)
{
    char sql[160];
    snprintf(sql, sizeof sql,
             "SELECT group_concat(item, ',') FROM (SELECT item FROM request"
             " WHERE case_id = %lld ORDER BY id)",
             case_id);
    return tu_query(t, sql, buf, size);
}

/* The ids of the cases f lists, as "1,3". */
static char *listed(struct bti_db *db, struct bti_case_filter f, char *buf, size_t size)
{
    struct tu_rows r = {0};
    ck_assert_int_eq(bti_case_list(db, &f, tu_collect, &r), BTI_OK);
    buf[0] = '\0';
    for (int i = 0; i < r.n && i < 64; i++) {
        size_t len = strlen(buf);
        snprintf(buf + len, size - len, "%s%lld", i ? "," : "", r.ids[i]);
    }
    return buf;
}

START_TEST(referral_creates_received_case_with_requests)
{
    struct tu_db t;
    tu_open(&t);
    long long audit = tu_count(&t, "SELECT count(*) FROM audit");
    struct bti_referral_out out = refer_new(&t, "Kari Nordmann", 0, "ip,coordinator");
    char buf[64];
    ck_assert_int_eq(out.before, BTI_ST_NONE);
    ck_assert_int_eq(out.after, BTI_ST_RECEIVED);
    ck_assert_int_gt(out.person_id, 0);
    ck_assert_int_gt(out.referral_id, 0);
    enum bti_state st = BTI_ST_NONE;
    ck_assert_int_eq(bti_case_state(t.db, out.case_id, &st), BTI_OK);
    ck_assert_int_eq(st, BTI_ST_RECEIVED);
    ck_assert_str_eq(items_of(&t, out.case_id, buf, sizeof buf), "coordinator,ip");
    ck_assert_str_eq(tu_query(&t,
                              "SELECT source || ' ' || referrer || ' ' || received"
                              " FROM referral",
                              buf, sizeof buf),
                     "bti fastlege 2026-11-02");
    ck_assert_int_eq(tu_count(&t, "SELECT count(*) FROM request WHERE referral_id ="
                                  " (SELECT id FROM referral)"),
                     2);
    /* person, case, referral and two requests, each audited */
    ck_assert_int_eq(tu_count(&t, "SELECT count(*) FROM audit"), audit + 5);
    ck_assert_int_eq(tu_count(&t, "SELECT count(*) FROM audit WHERE entity = 'request'"), 2);
    ck_assert_int_eq(bti_case_state(t.db, 99, NULL), BTI_ENOTFOUND);
    tu_close(&t);
}
END_TEST

START_TEST(referral_without_date_is_received_today)
{
    struct tu_db t;
    tu_open(&t);
    struct bti_person_in p = {.name = "Kari Nordmann", .born = tu_ymd(1990, 5, 12)};
    struct bti_referral_in in = {
        .person = &p, .source = "plo", .requests = "child", .received = BTI_NO_DATE};
    struct bti_referral_out out;
    TU_TX(t.db, bti_referral_add(t.db, &in, &out));
    char buf[64];
    ck_assert_str_eq(tu_query(&t,
                              "SELECT received || ' ' || source || ' '"
                              " || coalesce(referrer, 'none') FROM referral",
                              buf, sizeof buf),
                     "2026-11-22 plo none");
    tu_close(&t);
}
END_TEST

START_TEST(second_referral_for_open_case_refused_with_hint)
{
    struct tu_db t;
    tu_open(&t);
    struct bti_referral_out first = refer_new(&t, "Kari Nordmann", 0, "ip");
    struct bti_referral_in in = {.person_id = first.person_id,
                                 .source = "application",
                                 .requests = "coordinator",
                                 .received = BTI_NO_DATE};
    ck_assert_int_eq(refer_rc(&t, &in), BTI_ERULE);
    char want[32];
    snprintf(want, sizeof want, "--case %lld", first.case_id);
    ck_assert_msg(bti_error_hint() && strstr(bti_error_hint(), want), "hint: %s",
                  bti_error_hint() ? bti_error_hint() : "(none)");
    ck_assert_int_eq(tu_count(&t, "SELECT count(*) FROM ke_case"), 1);
    ck_assert_int_eq(tu_count(&t, "SELECT count(*) FROM referral"), 1);
    tu_close(&t);
}
END_TEST

START_TEST(referral_by_name_of_existing_person_refused)
{
    struct tu_db t;
    tu_open(&t);
    struct bti_referral_out first = refer_new(&t, "Kari Nordmann", 0, "ip");
    struct bti_person_in p = {.name = "Kari Nordmann", .born = tu_ymd(1990, 5, 12)};
    struct bti_referral_in in = {
        .person = &p, .source = "bti", .requests = "coordinator", .received = BTI_NO_DATE};
    ck_assert_int_eq(refer_rc(&t, &in), BTI_ERULE);
    char want[32];
    snprintf(want, sizeof want, "--person %lld", first.person_id);
    ck_assert_msg(bti_error_hint() && strstr(bti_error_hint(), want), "hint: %s",
                  bti_error_hint() ? bti_error_hint() : "(none)");
    ck_assert_int_eq(tu_count(&t, "SELECT count(*) FROM person"), 1);
    tu_close(&t);
}
END_TEST

START_TEST(case_option_adds_requests_once)
{
    struct tu_db t;
    tu_open(&t);
    struct bti_referral_out first = refer_new(&t, "Kari Nordmann", 0, "ip");
    struct bti_referral_in in = {.case_id = first.case_id,
                                 .source = "application",
                                 .requests = "child,coordinator",
                                 .received = BTI_NO_DATE};
    struct bti_referral_out out;
    TU_TX(t.db, bti_referral_add(t.db, &in, &out));
    ck_assert_int_eq(out.case_id, first.case_id);
    ck_assert_int_eq(out.person_id, first.person_id);
    ck_assert_int_eq(out.before, BTI_ST_RECEIVED);
    ck_assert_int_eq(out.after, BTI_ST_RECEIVED);
    char buf[64];
    ck_assert_str_eq(items_of(&t, first.case_id, buf, sizeof buf), "ip,coordinator,child");
    ck_assert_int_eq(tu_count(&t, "SELECT count(*) FROM referral"), 2);
    ck_assert_int_eq(tu_count(&t, "SELECT count(*) FROM ke_case"), 1);
    in.requests = "ip";
    ck_assert_int_eq(refer_rc(&t, &in), BTI_ERULE);
    in.requests = "coordinator";
    ck_assert_int_eq(refer_rc(&t, &in), BTI_ERULE);
    ck_assert_int_eq(tu_count(&t, "SELECT count(*) FROM request"), 3);
    in.case_id = 99;
    ck_assert_int_eq(refer_rc(&t, &in), BTI_ENOTFOUND);
    tu_close(&t);
}
END_TEST

START_TEST(closed_case_takes_no_requests_and_new_case_links_it)
{
    struct tu_db t;
    tu_open(&t);
    struct bti_referral_out first = refer_new(&t, "Kari Nordmann", 0, "ip");
    enum bti_state before;
    TU_TX(t.db, bti_case_close(t.db, first.case_id, "need-ended", BTI_NO_DATE, &before));
    struct bti_referral_in in = {.case_id = first.case_id,
                                 .source = "bti",
                                 .requests = "coordinator",
                                 .received = BTI_NO_DATE};
    ck_assert_int_eq(refer_rc(&t, &in), BTI_ERULE);
    in.case_id = 0;
    in.person_id = first.person_id;
    struct bti_referral_out out;
    TU_TX(t.db, bti_referral_add(t.db, &in, &out));
    ck_assert_int_ne(out.case_id, first.case_id);
    ck_assert_int_eq(out.after, BTI_ST_RECEIVED);
    char sql[96];
    snprintf(sql, sizeof sql, "SELECT previous_case_id FROM ke_case WHERE id = %lld", out.case_id);
    ck_assert_int_eq(tu_count(&t, sql), first.case_id);
    tu_close(&t);
}
END_TEST

START_TEST(received_after_today_is_invalid)
{
    struct tu_db t;
    tu_open(&t);
    struct bti_person_in p = {.name = "Kari Nordmann", .born = tu_ymd(1990, 5, 12)};
    struct bti_referral_in in = {
        .person = &p, .source = "bti", .requests = "ip", .received = tu_ymd(2026, 11, 23)};
    ck_assert_int_eq(refer_rc(&t, &in), BTI_EINVAL);
    ck_assert_int_eq(tu_count(&t, "SELECT count(*) FROM person"), 0);
    in.received = tu_ymd(2026, 11, 22);
    struct bti_referral_out out;
    TU_TX(t.db, bti_referral_add(t.db, &in, &out));
    tu_close(&t);
}
END_TEST

/* A referral for none or several of a known person, a new person and a
 * case is a bad value of the library's caller (not a usage error), and
 * writes nothing. */
START_TEST(exactly_one_of_person_name_case)
{
    struct tu_db t;
    tu_open(&t);
    struct bti_referral_out first = refer_new(&t, "Kari Nordmann", 0, "ip"), out;
    struct bti_person_in p = {.name = "Ola Nordmann", .born = tu_ymd(1991, 1, 1)};
    struct bti_referral_in none = {.source = "bti", .requests = "child", .received = BTI_NO_DATE};
    TU_BAD_VALUE(&t, bti_referral_add(t.db, &none, &out));
    ck_assert_str_eq(bti_error_last(), "a referral is for exactly one of a known person, a new"
                                       " person and an open case");
    struct bti_referral_in two = none;
    two.person = &p;
    two.person_id = first.person_id;
    TU_BAD_VALUE(&t, bti_referral_add(t.db, &two, &out));
    two.person_id = 0;
    two.case_id = first.case_id;
    TU_BAD_VALUE(&t, bti_referral_add(t.db, &two, &out));
    two.person = NULL;
    two.person_id = first.person_id;
    TU_BAD_VALUE(&t, bti_referral_add(t.db, &two, &out));
    two.person = &p;
    TU_BAD_VALUE(&t, bti_referral_add(t.db, &two, &out));
    ck_assert_int_eq(tu_count(&t, "SELECT count(*) FROM referral"), 1);
    ck_assert_int_eq(tu_count(&t, "SELECT count(*) FROM person"), 1);
    tu_close(&t);
}
END_TEST

START_TEST(bad_source_and_requests_are_invalid)
{
    struct tu_db t;
    tu_open(&t);
    struct bti_person_in p = {.name = "Kari Nordmann", .born = tu_ymd(1990, 5, 12)};
    struct bti_referral_in in = {
        .person = &p, .source = "email", .requests = "ip", .received = BTI_NO_DATE};
    ck_assert_int_eq(refer_rc(&t, &in), BTI_EINVAL);
    in.source = NULL;
    ck_assert_int_eq(refer_rc(&t, &in), BTI_EINVAL);
    in.source = "bti";
    in.requests = "ip,plan";
    ck_assert_int_eq(refer_rc(&t, &in), BTI_EINVAL);
    in.requests = NULL;
    ck_assert_int_eq(refer_rc(&t, &in), BTI_EINVAL);
    in.requests = "ip";
    in.referrer = "fastlege\x1b[31m";
    ck_assert_int_eq(refer_rc(&t, &in), BTI_EINVAL);
    ck_assert_int_eq(tu_count(&t, "SELECT count(*) FROM person"), 0);
    tu_close(&t);
}
END_TEST

START_TEST(items_parse_and_format)
{
    static const struct {
        const char *s;
        unsigned items;
    } good[] = {{"coordinator", 1},
                {"ip", 2},
                {"child", 4},
                {"child,ip", 6},
                {"ip,coordinator", 3},
                {"coordinator,ip,child", 7},
                {"ip ", 2},
                {" ip", 2}, /* spaces around commas are trimmed */
                {"coordinator, ip", 3}};
    static const char *const bad[] = {"",           ",",   "Coordinator", "ip,,child",
                                      "ip, ,child", " ",   "ips",         "coordinator;ip",
                                      ",ip",        "ip,", "plan",        "ip,x"};
    unsigned items = 0;
    char buf[64];
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        ck_assert_msg(bti_items_parse(good[i].s, &items, "--requests") == BTI_OK, "refused %s",
                      good[i].s);
        ck_assert_uint_eq(items, good[i].items);
    }
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ck_assert_msg(bti_items_parse(bad[i], &items, "--covers") == BTI_EINVAL, "accepted '%s'",
                      bad[i]);
        ck_assert_ptr_nonnull(strstr(bti_error_last(), "--covers"));
    }
    ck_assert_int_eq(bti_items_parse(NULL, &items, "--requests"), BTI_EINVAL);
    ck_assert_str_eq(bti_items_format(7, buf, sizeof buf), "coordinator,ip,child");
    ck_assert_str_eq(bti_items_format(5, buf, sizeof buf), "coordinator,child");
    ck_assert_str_eq(bti_items_format(2, buf, sizeof buf), "ip");
    ck_assert_str_eq(bti_items_format(0, buf, sizeof buf), "");
    for (unsigned set = 1; set < 8; set++) {
        ck_assert_int_eq(bti_items_parse(bti_items_format(set, buf, sizeof buf), &items, "x"),
                         BTI_OK);
        ck_assert_uint_eq(items, set);
    }
}
END_TEST

/* Four cases: 1 received, 2 review, 3 closed, 4 received with a unit. */
static long long four_cases(struct tu_db *t)
{
    refer_new(t, "Kari Ærlig", 0, "ip");
    refer_new(t, "Ola Østby", 1, "coordinator");
    refer_new(t, "Åse Ås", 2, "ip,child");
    refer_new(t, "per hansen", 3, "coordinator");
    long long unit;
    TU_TX(t->db, bti_unit_add(t->db, "Familiesenter", &unit));
    sqlite3 *h = tu_raw(t->path);
    char sql[320];
    snprintf(sql, sizeof sql,
             "UPDATE ke_case SET status = 'review' WHERE id = 2;"
             " UPDATE ke_case SET status = 'closed', closed = '2026-11-22', close_cause = 'other'"
             " WHERE id = 3; UPDATE ke_case SET unit_id = %lld WHERE id = 4",
             unit);
    tu_exec_ok(h, sql);
    sqlite3_close(h);
    return unit;
}

START_TEST(case_list_filters)
{
    struct tu_db t;
    tu_open(&t);
    long long unit = four_cases(&t);
    char buf[64];
    struct bti_case_filter any = {0};
    ck_assert_str_eq(listed(t.db, any, buf, sizeof buf), "1,2,3,4");
    struct bti_case_filter f = any;
    f.statuses = 1u << BTI_ST_REVIEW;
    ck_assert_str_eq(listed(t.db, f, buf, sizeof buf), "2");
    f.statuses = 1u << BTI_ST_RECEIVED;
    ck_assert_str_eq(listed(t.db, f, buf, sizeof buf), "1,4");
    f.statuses = 1u << BTI_ST_CLOSED;
    ck_assert_str_eq(listed(t.db, f, buf, sizeof buf), "3");
    f.statuses = 1u << BTI_ST_RECEIVED | 1u << BTI_ST_REVIEW; /* any of them */
    ck_assert_str_eq(listed(t.db, f, buf, sizeof buf), "1,2,4");
    f = any;
    f.open = 1;
    ck_assert_str_eq(listed(t.db, f, buf, sizeof buf), "1,2,4");
    f = any;
    f.unit_id = unit;
    ck_assert_str_eq(listed(t.db, f, buf, sizeof buf), "4");
    f = any;
    f.name = "ØSTBY";
    ck_assert_str_eq(listed(t.db, f, buf, sizeof buf), "2");
    f.name = "å";
    ck_assert_str_eq(listed(t.db, f, buf, sizeof buf), "3");
    f.open = 1;
    ck_assert_str_eq(listed(t.db, f, buf, sizeof buf), "");
    f = any;
    f.limit = 2;
    ck_assert_str_eq(listed(t.db, f, buf, sizeof buf), "1,2");
    tu_close(&t);
}
END_TEST

START_TEST(case_list_names_only_with_identify)
{
    struct tu_db t;
    tu_open(&t);
    four_cases(&t);
    struct bti_case_filter any = {0};
    struct tu_rows r = {.key = "person"};
    ck_assert_int_eq(bti_case_list(t.db, &any, tu_collect, &r), BTI_OK);
    ck_assert_str_eq(r.text, "NULL|NULL|NULL|NULL");
    struct bti_ctx c = t.ctx;
    c.identify = 1;
    struct bti_db *db = tu_reopen(&t, &c);
    memset(&r, 0, sizeof r);
    r.key = "person";
    struct bti_case_filter f = {.open = 1};
    ck_assert_int_eq(bti_case_list(db, &f, tu_collect, &r), BTI_OK);
    bti_db_close(db);
    ck_assert_str_eq(r.text, "Kari Ærlig|Ola Østby|per hansen");
    char buf[64];
    ck_assert_str_eq(tu_query(&t,
                              "SELECT entity || ' ' || what || ' ' || rows FROM access"
                              " ORDER BY id DESC LIMIT 1",
                              buf, sizeof buf),
                     "ke_case 1,2,4 3");
    tu_close(&t);
}
END_TEST

START_TEST(case_show_holds_everything_and_is_logged)
{
    struct tu_db t;
    tu_open(&t);
    char nin[12];
    struct bti_person_in p = {
        .name = "Kari Nordmann", .born = BTI_NO_DATE, .nin = tu_nin(nin, 1990, 5, 12, 0)};
    struct bti_referral_in in = {
        .person = &p, .source = "bti", .requests = "ip", .received = tu_ymd(2026, 11, 2)};
    struct bti_referral_out out;
    TU_TX(t.db, bti_referral_add(t.db, &in, &out));
    struct bti_referral_in more = {.case_id = out.case_id,
                                   .source = "plo",
                                   .requests = "coordinator",
                                   .received = tu_ymd(2026, 11, 10)};
    TU_TX(t.db, bti_referral_add(t.db, &more, &out));
    cJSON *obj = NULL;
    TU_TX(t.db, bti_case_show(t.db, out.case_id, &obj)); /* logged as the read ends */
    ck_assert_ptr_nonnull(obj);
    ck_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(obj, "status")), "received");
    ck_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(obj, "received")), "2026-11-02");
    cJSON *person = cJSON_GetObjectItem(obj, "person");
    ck_assert(cJSON_IsObject(person));
    ck_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(person, "name")), "Kari Nordmann");
    const char *shown = cJSON_GetStringValue(cJSON_GetObjectItem(person, "nin"));
    ck_assert_ptr_nonnull(shown);
    ck_assert_int_eq(strncmp(shown, nin, 6), 0);
    ck_assert_str_eq(shown + 6, "*****");
    cJSON *requests = cJSON_GetObjectItem(obj, "requests");
    ck_assert_int_eq(cJSON_GetArraySize(requests), 2);
    ck_assert_str_eq(
        cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetArrayItem(requests, 0), "item")), "ip");
    cJSON *referrals = cJSON_GetObjectItem(obj, "referrals");
    ck_assert_int_eq(cJSON_GetArraySize(referrals), 2);
    ck_assert_str_eq(
        cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetArrayItem(referrals, 1), "source")),
        "plo");
    cJSON *history = cJSON_GetObjectItem(obj, "history");
    ck_assert_int_ge(cJSON_GetArraySize(history), 2);
    ck_assert_str_eq(
        cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetArrayItem(history, 0), "date")),
        "2026-11-02");
    ck_assert_str_eq(
        cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetArrayItem(history, 1), "date")),
        "2026-11-10");
    char *text = cJSON_PrintUnformatted(obj);
    ck_assert_ptr_null(strstr(text, nin));
    cJSON_free(text);
    cJSON_Delete(obj);
    char buf[64], want[64];
    snprintf(want, sizeof want, "ke_case %lld 1 tester", out.case_id);
    ck_assert_str_eq(tu_query(&t,
                              "SELECT entity || ' ' || what || ' ' || rows || ' ' || login"
                              " FROM access",
                              buf, sizeof buf),
                     want);
    obj = NULL;
    ck_assert_int_eq(bti_case_show(t.db, 99, &obj), BTI_ENOTFOUND);
    ck_assert_ptr_null(obj);
    ck_assert_int_eq(tu_count(&t, "SELECT count(*) FROM access"), 1);
    tu_close(&t);
}
END_TEST

START_TEST(case_edit_changes_first_referral_with_reason)
{
    struct tu_db t;
    tu_open(&t);
    struct bti_referral_out first = refer_new(&t, "Kari Nordmann", 0, "ip");
    struct bti_referral_in more = {.case_id = first.case_id,
                                   .source = "plo",
                                   .requests = "child",
                                   .referrer = "sykehus",
                                   .received = tu_ymd(2026, 11, 10)};
    struct bti_referral_out out;
    TU_TX(t.db, bti_referral_add(t.db, &more, &out));
    struct bti_case_edit e = {.referrer = "BUP", .received = tu_ymd(2026, 11, 1)};
    TU_TX(t.db, bti_case_edit(t.db, first.case_id, &e, "wrong referrer at intake"));
    char buf[128];
    ck_assert_str_eq(tu_query(&t,
                              "SELECT group_concat(referrer || ' ' || received, '|') FROM"
                              " (SELECT * FROM referral ORDER BY id)",
                              buf, sizeof buf),
                     "BUP 2026-11-01|sykehus 2026-11-10");
    const char *last = "SELECT %s FROM audit ORDER BY id DESC LIMIT 1";
    char sql[160];
#define LAST(x) (snprintf(sql, sizeof sql, last, x), tu_query(&t, sql, buf, sizeof buf))
    ck_assert_str_eq(LAST("entity"), "referral");
    ck_assert_int_eq(atoll(LAST("entity_id")), first.referral_id);
    ck_assert_str_eq(LAST("json_extract(change, '$.old.referrer')"), "fastlege");
    ck_assert_str_eq(LAST("json_extract(change, '$.new.referrer')"), "BUP");
    ck_assert_str_eq(LAST("json_extract(change, '$.old.received')"), "2026-11-02");
    ck_assert_str_eq(LAST("json_extract(change, '$.new.received')"), "2026-11-01");
    ck_assert_str_eq(LAST("json_extract(change, '$.reason')"), "wrong referrer at intake");
#undef LAST
    /* only the referrer: the date stays */
    struct bti_case_edit r = {.referrer = "fastlege", .received = BTI_NO_DATE};
    TU_TX(t.db, bti_case_edit(t.db, first.case_id, &r, "back"));
    ck_assert_str_eq(tu_query(&t, "SELECT referrer || ' ' || received FROM referral WHERE id = 1",
                              buf, sizeof buf),
                     "fastlege 2026-11-01");
    tu_close(&t);
}
END_TEST

START_TEST(case_edit_refusals)
{
    struct tu_db t;
    tu_open(&t);
    struct bti_referral_out first = refer_new(&t, "Kari Nordmann", 0, "ip");
    long long audit = tu_count(&t, "SELECT count(*) FROM audit");
    struct bti_case_edit e = {.referrer = "BUP", .received = BTI_NO_DATE};
    ck_assert_int_eq(bti_db_begin(t.db, 1), BTI_OK);
    int rc = bti_case_edit(t.db, first.case_id, &e, NULL);
    bti_db_rollback(t.db);
    ck_assert_int_ne(rc, BTI_OK);
    TU_FAILS(t.db, bti_case_edit(t.db, 99, &e, "typo"), BTI_ENOTFOUND);
    e.received = tu_ymd(2026, 11, 23);
    TU_FAILS(t.db, bti_case_edit(t.db, first.case_id, &e, "typo"), BTI_EINVAL);
    e.received = BTI_NO_DATE;
    e.referrer = "line\nbreak";
    TU_FAILS(t.db, bti_case_edit(t.db, first.case_id, &e, "typo"), BTI_EINVAL);
    ck_assert_int_eq(tu_count(&t, "SELECT count(*) FROM audit"), audit);
    tu_close(&t);
}
END_TEST

Suite *make_case_suite(void)
{
    Suite *s = suite_create("case");
    TCase *tc = tcase_create("case");
    tcase_set_timeout(tc, 30);
    tcase_add_unchecked_fixture(tc, tu_fixture_begin, tu_fixture_end);
    tcase_add_test(tc, referral_creates_received_case_with_requests);
    tcase_add_test(tc, referral_without_date_is_received_today);
    tcase_add_test(tc, second_referral_for_open_case_refused_with_hint);
    tcase_add_test(tc, referral_by_name_of_existing_person_refused);
    tcase_add_test(tc, case_option_adds_requests_once);
    tcase_add_test(tc, closed_case_takes_no_requests_and_new_case_links_it);
    tcase_add_test(tc, received_after_today_is_invalid);
    tcase_add_test(tc, exactly_one_of_person_name_case);
    tcase_add_test(tc, bad_source_and_requests_are_invalid);
    tcase_add_test(tc, items_parse_and_format);
    tcase_add_test(tc, case_list_filters);
    tcase_add_test(tc, case_list_names_only_with_identify);
    tcase_add_test(tc, case_show_holds_everything_and_is_logged);
    tcase_add_test(tc, case_edit_changes_first_referral_with_reason);
    tcase_add_test(tc, case_edit_refusals);
    suite_add_tcase(s, tc);
    return s;
}
