/*
 * Readable labels for the keys of bti's output, for the formats people
 * read as documents (xlsx headers, the html page), and the words of the
 * human formats that follow the language (SPEC section 12): table and excel
 * headers, enum values, table dates.  A key not in the table is shown with
 * its first letter capitalised and '_' as a space.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "output.h"

static const struct {
    const char *key, *label;
} labels[] = {
    {"id", N_("Id")},
    {"case_id", N_("Case")},
    {"person_id", N_("Person id")},
    {"unit_id", N_("Unit id")},
    {"coordinator_id", N_("Coordinator id")},
    {"decision_id", N_("Decision")},
    {"nin", N_("National identity number")},
    {"bti", N_("BTI")},
    {"plo", N_("PLO")},
    {"ip", N_("IP")},
    {"max", N_("Maximum")},
    {"busiest_fifth_share", N_("Share held by the busiest fifth")},
    {"caseload_median", N_("Caseload median")},
    {"caseload_max", N_("Caseload maximum")},
    {"concentration", N_("Caseload concentration")},
    {"median_days", N_("Median days")},
    {"received_to_decided", N_("Received \xE2\x86\x92 decided")},
    {"decided_to_coordinator", N_("Decided \xE2\x86\x92 coordinator")},
    {"from", N_("From")},
    {"to", N_("To")},
    /* the other keys, labelled as the rule below would, so they translate */
    {"access", N_("Access")},
    {"access_rows", N_("Access rows")},
    {"action", N_("Action")},
    {"active", N_("Active")},
    {"actor", N_("Actor")},
    {"added", N_("Added")},
    {"adopted", N_("Adopted")},
    {"anonymous", N_("Anonymous")},
    {"appeal", N_("Appeal")},
    {"appeal_body", N_("Appeal body")},
    {"appeal_deadline", N_("Appeal deadline")},
    {"appeal_from", N_("Appeal from")},
    {"appeal_result", N_("Appeal result")},
    {"appeal_weeks", N_("Appeal weeks")},
    {"appealed", N_("Appealed")},
    {"appeals", N_("Appeals")},
    {"application", N_("Application")},
    {"appointed", N_("Appointed")},
    {"assignments", N_("Assignments")},
    {"at", N_("At")},
    {"attendances", N_("Attendances")},
    {"attendances_by_kind", N_("Attendances by kind")},
    {"attended", N_("Attended")},
    {"attendee_count", N_("Attendee count")},
    {"attendees", N_("Attendees")},
    {"audit_head", N_("Audit head")},
    {"audit_rows", N_("Audit rows")},
    {"backups", N_("Backups")},
    {"basis", N_("Basis")},
    {"born", N_("Born")},
    {"by", N_("By")},
    {"by_item", N_("By item")},
    {"by_kind", N_("By kind")},
    {"by_outcome", N_("By outcome")},
    {"by_source", N_("By source")},
    {"case_reviews", N_("Case reviews")},
    {"cases", N_("Cases")},
    {"change", N_("Change")},
    {"changed", N_("Changed")},
    {"changes", N_("Changes")},
    {"check", N_("Check")},
    {"child", N_("Child")},
    {"child_coordinator", N_("Child coordinator")},
    {"child_coordinator_id", N_("Child coordinator id")},
    {"close_cause", N_("Close cause")},
    {"closed", N_("Closed")},
    {"closure_id", N_("Closure id")},
    {"code", N_("Code")},
    {"command", N_("Command")},
    {"conclusion", N_("Conclusion")},
    {"consents", N_("Consents")},
    {"consents_counted", N_("Consents counted")},
    {"contributions", N_("Contributions")},
    {"cooperation", N_("Cooperation")},
    {"coordinator", N_("Coordinator")},
    {"coordinator_count", N_("Coordinator count")},
    {"coordinators", N_("Coordinators")},
    {"coordinators_attended", N_("Coordinators attended")},
    {"data", N_("Data")},
    {"database", N_("Database")},
    {"date", N_("Date")},
    {"days", N_("Days")},
    {"decided", N_("Decided")},
    {"decided_by", N_("Decided by")},
    {"decisions", N_("Decisions")},
    {"denied", N_("Denied")},
    {"detail", N_("Detail")},
    {"due", N_("Due")},
    {"due_next_14_days", N_("Due next 14 days")},
    {"due_today", N_("Due today")},
    {"ehr_registered", N_("Ehr registered")},
    {"email", N_("Email")},
    {"end", N_("End")},
    {"end_reason", N_("End reason")},
    {"ended", N_("Ended")},
    {"ended_count", N_("Ended count")},
    {"entity", N_("Entity")},
    {"entity_id", N_("Entity id")},
    {"erased", N_("Erased")},
    {"escalated", N_("Escalated")},
    {"escalations", N_("Escalations")},
    {"evaluated", N_("Evaluated")},
    {"evaluations", N_("Evaluations")},
    {"event", N_("Event")},
    {"expected", N_("Expected")},
    {"exports", N_("Exports")},
    {"fagdag", N_("Fagdag")},
    {"first", N_("First")},
    {"first_evaluation", N_("First evaluation")},
    {"forwarded", N_("Forwarded")},
    {"from_date", N_("From date")},
    {"gatherings", N_("Gatherings")},
    {"given", N_("Given")},
    {"given_by", N_("Given by")},
    {"goals", N_("Goals")},
    {"goals_note", N_("Goals note")},
    {"granted", N_("Granted")},
    {"granted_on", N_("Granted on")},
    {"group", N_("Group")},
    {"guidance", N_("Guidance")},
    {"hash", N_("Hash")},
    {"head", N_("Head")},
    {"held", N_("Held")},
    {"history", N_("History")},
    {"how", N_("How")},
    {"identified", N_("Identified")},
    {"identify", N_("Identify")},
    {"invited", N_("Invited")},
    {"item", N_("Item")},
    {"items", N_("Items")},
    {"journal", N_("Journal")},
    {"kind", N_("Kind")},
    {"last", N_("Last")},
    {"last_access_review", N_("Last access review")},
    {"last_backup", N_("Last backup")},
    {"late_reason", N_("Late reason")},
    {"led_by", N_("Led by")},
    {"login", N_("Login")},
    {"made", N_("Made")},
    {"may_consent", N_("May consent")},
    {"measures", N_("Measures")},
    {"median", N_("Median")},
    {"meeting_id", N_("Meeting id")},
    {"meetings", N_("Meetings")},
    {"member", N_("Member")},
    {"member_id", N_("Member id")},
    {"members", N_("Members")},
    {"metric", N_("Metric")},
    {"minutes", N_("Minutes")},
    {"missing", N_("Missing")},
    {"name", N_("Name")},
    {"need_ended", N_("Need ended")},
    {"new", N_("New")},
    {"next_evaluation", N_("Next evaluation")},
    {"note", N_("Note")},
    {"notified", N_("Notified")},
    {"old", N_("Old")},
    {"open_case_id", N_("Open case id")},
    {"open_cases", N_("Open cases")},
    {"org", N_("Org")},
    {"outcome", N_("Outcome")},
    {"overdue", N_("Overdue")},
    {"own_system", N_("Own system")},
    {"own_system_name", N_("Own system name")},
    {"parties", N_("Parties")},
    {"paused_from", N_("Paused from")},
    {"period", N_("Period")},
    {"period_end", N_("Period end")},
    {"person", N_("Person")},
    {"person_export", N_("Person export")},
    {"phone", N_("Phone")},
    {"plan", N_("Plan")},
    {"plan_id", N_("Plan id")},
    {"plan_status", N_("Plan status")},
    {"plans", N_("Plans")},
    {"posted", N_("Posted")},
    {"preliminary_replies", N_("Preliminary replies")},
    {"previous_case_id", N_("Previous case id")},
    {"previous_half_year", N_("Previous half year")},
    {"process_note", N_("Process note")},
    {"quashed", N_("Quashed")},
    {"reads", N_("Reads")},
    {"reason", N_("Reason")},
    {"received", N_("Received")},
    {"ref", N_("Ref")},
    {"referral_id", N_("Referral id")},
    {"referrals", N_("Referrals")},
    {"referrer", N_("Referrer")},
    {"relation", N_("Relation")},
    {"relative", N_("Relative")},
    {"relative_id", N_("Relative id")},
    {"relatives", N_("Relatives")},
    {"reported", N_("Reported")},
    {"requests", N_("Requests")},
    {"responsible", N_("Responsible")},
    {"result", N_("Result")},
    {"result_by", N_("Result by")},
    {"result_date", N_("Result date")},
    {"retired", N_("Retired")},
    {"reversed", N_("Reversed")},
    {"review", N_("Review")},
    {"review_count", N_("Review count")},
    {"reviews", N_("Reviews")},
    {"role", N_("Role")},
    {"rows", N_("Rows")},
    {"running", N_("Running")},
    {"samling", N_("Samling")},
    {"scope", N_("Scope")},
    {"section", N_("Section")},
    {"sent", N_("Sent")},
    {"since", N_("Since")},
    {"source", N_("Source")},
    {"stand_ins", N_("Stand ins")},
    {"start", N_("Start")},
    {"started", N_("Started")},
    {"started_count", N_("Started count")},
    {"status", N_("Status")},
    {"status_after", N_("Status after")},
    {"status_before", N_("Status before")},
    {"target", N_("Target")},
    {"temporary", N_("Temporary")},
    {"text", N_("Text")},
    {"this_period", N_("This period")},
    {"title", N_("Title")},
    {"to_date", N_("To date")},
    {"today", N_("Today")},
    {"training", N_("Training")},
    {"unit", N_("Unit")},
    {"until", N_("Until")},
    {"upheld", N_("Upheld")},
    {"user_preferred", N_("User preferred")},
    {"user_wish", N_("User wish")},
    {"valid_from", N_("Valid from")},
    {"valid_to", N_("Valid to")},
    {"value", N_("Value")},
    {"verified", N_("Verified")},
    {"void_reason", N_("Void reason")},
    {"voided", N_("Voided")},
    {"what", N_("What")},
    {"with", N_("With")},
    {"with_org", N_("With org")},
    {"withdrawn", N_("Withdrawn")},
};

/* An enum value in a human format: msgctxt "value" keeps "open" the value
 * apart from any message that happens to read the same. */
#define NV_(context, value) context "\004" value
static const char *const values[] = {
    /* case states */
    NV_("value", "received"),
    NV_("value", "review"),
    NV_("value", "granted"),
    NV_("value", "denied"),
    NV_("value", "appealed"),
    NV_("value", "active"),
    NV_("value", "closed"),
    NV_("value", "undecided"),
    /* sources, items, close causes */
    NV_("value", "bti"),
    NV_("value", "plo"),
    NV_("value", "application"),
    NV_("value", "coordinator"),
    NV_("value", "ip"),
    NV_("value", "child"),
    NV_("value", "need-ended"),
    NV_("value", "declined"),
    NV_("value", "moved"),
    NV_("value", "deceased"),
    NV_("value", "other"),
    /* roles, consent scopes and givers, plan entries */
    NV_("value", "none"),
    NV_("value", "report"),
    NV_("value", "caseworker"),
    NV_("value", "admin"),
    NV_("value", "plan"),
    NV_("value", "exchange"),
    NV_("value", "user"),
    NV_("value", "guardian"),
    NV_("value", "representative"),
    NV_("value", "relative"),
    NV_("value", "provider"),
    NV_("value", "goal"),
    NV_("value", "resource"),
    NV_("value", "need"),
    /* gatherings, appeal bodies and results */
    NV_("value", "samling"),
    NV_("value", "fagdag"),
    NV_("value", "training"),
    NV_("value", "guidance"),
    NV_("value", "ke"),
    NV_("value", "statsforvalteren"),
    NV_("value", "reversed"),
    NV_("value", "upheld"),
    NV_("value", "quashed"),
    /* the kinds of bti due */
    NV_("value", "preliminary_reply"),
    NV_("value", "not_notified"),
    NV_("value", "no_coordinator"),
    NV_("value", "not_reported"),
    NV_("value", "not_registered"),
    NV_("value", "no_journal_note"),
    NV_("value", "escalation"),
    NV_("value", "appeal_deadline_passed"),
    NV_("value", "appeal_not_forwarded"),
    NV_("value", "appeal_awaiting_result"),
    NV_("value", "plan_overdue"),
    NV_("value", "plan_paused"),
    NV_("value", "minutes_missing"),
    NV_("value", "coordinator_no_gathering"),
    NV_("value", "handbook_stale"),
    NV_("value", "access_log_review"),
    NV_("value", "samling_not_planned"),
    NV_("value", "fagdag_not_planned"),
    NV_("value", "retention_passed"),
    NV_("value", "ip_not_started"),
    NV_("value", "nothing_open"),
    NV_("value", "stand_in_overdue"),
};

/* The keys whose values are enum words. */
static const char *const value_keys[] = {
    "status",  "plan_status", "source",        "item",        "items",     "requests",
    "outcome", "close_cause", "role",          "scope",       "by",        "given_by",
    "kind",    "result",      "appeal_result", "appeal_body", "result_by",
};

const char *out_label(const char *key, char *buf, size_t size)
{
    for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
        if (strcmp(labels[i].key, key) == 0)
            return _(labels[i].label);
    snprintf(buf, size, "%s", key);
    for (char *p = buf; *p; p++)
        if (*p == '_' || *p == '.')
            *p = ' ';
    buf[0] = (char)toupper((unsigned char)buf[0]);
    return buf;
}

const char *out_header(const char *key)
{
    for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++) {
        if (strcmp(labels[i].key, key) != 0)
            continue;
        const char *label = _(labels[i].label);
        return label != labels[i].label ? label : key; /* dgettext: the msgid when untranslated */
    }
    return key;
}

const char *out_value(const char *key, const char *value)
{
    char msgid[64];
    size_t n = sizeof value_keys / sizeof value_keys[0], i = 0;
    while (i < n && strcmp(value_keys[i], key) != 0)
        i++;
    if (i == n || snprintf(msgid, sizeof msgid, "value\004%s", value) >= (int)sizeof msgid)
        return value;
    for (i = 0; i < sizeof values / sizeof values[0]; i++)
        if (strcmp(values[i], msgid) == 0) {
            const char *word = _(values[i]);
            return word != values[i] ? word : value;
        }
    return value;
}

const char *out_words(const char *key, const char *value, char *buf, size_t size)
{
    int dotted = strcmp(key, "section") == 0 || strcmp(key, "metric") == 0, translated = 0;
    size_t len = 0;
    for (const char *p = value; *p;) {
        char part[128];
        size_t n = strcspn(p, dotted ? "." : ",");
        snprintf(part, sizeof part, "%.*s", (int)n, p);
        const char *word = dotted ? out_header(part) : out_value(key, part);
        translated |= strcmp(word, part) != 0;
        int w = snprintf(buf + len, size - len, "%s%s", len ? (dotted ? " " : ",") : "", word);
        if (w < 0 || (size_t)w >= size - len)
            return value; /* too long to show translated */
        len += (size_t)w;
        p += n + (p[n] != '\0');
    }
    return translated ? buf : value;
}

char *out_date(const char *iso, char *buf, size_t size)
{
    struct tm tm = {0};
    static const char shape[] = "dddd-dd-dd";
    for (size_t i = 0; i < sizeof shape - 1; i++)
        if (shape[i] == 'd' ? !isdigit((unsigned char)iso[i]) : iso[i] != shape[i])
            return NULL;
    if (iso[10] != '\0' && iso[10] != ' ')
        return NULL;
    const char *rest = strptime(iso, "%Y-%m-%d", &tm);
    /* TRANSLATORS: how tables show a date (strftime): nb "%d.%m.%Y" */
    const char *fmt = _("%Y-%m-%d");
    if (!rest || strcmp(fmt, "%Y-%m-%d") == 0 || strftime(buf, size, fmt, &tm) == 0)
        return NULL;
    snprintf(buf + strlen(buf), size - strlen(buf), "%s", rest);
    return buf;
}
