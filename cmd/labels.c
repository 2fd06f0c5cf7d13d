/*
 * Readable labels for the keys of bti's output, for the formats people
 * read as documents (xlsx headers, the html page).  One table, so that a
 * later translation (SPEC section 12) has one place to go; a key not in it
 * is shown with its first letter capitalised and '_' as a space.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include "output.h"

static const struct {
    const char *key, *label;
} labels[] = {
    {"id", "Id"},
    {"case_id", "Case"},
    {"person_id", "Person id"},
    {"unit_id", "Unit id"},
    {"coordinator_id", "Coordinator id"},
    {"decision_id", "Decision"},
    {"nin", "National identity number"},
    {"bti", "BTI"},
    {"plo", "PLO"},
    {"ip", "IP"},
    {"max", "Maximum"},
    {"busiest_fifth_share", "Share held by the busiest fifth"},
    {"caseload_median", "Caseload median"},
    {"caseload_max", "Caseload maximum"},
    {"concentration", "Caseload concentration"},
    {"median_days", "Median days"},
    {"received_to_decided", "Received \xE2\x86\x92 decided"},
    {"decided_to_coordinator", "Decided \xE2\x86\x92 coordinator"},
    {"from", "From"},
    {"to", "To"},
};

const char *out_label(const char *key, char *buf, size_t size)
{
    for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
        if (strcmp(labels[i].key, key) == 0)
            return labels[i].label;
    snprintf(buf, size, "%s", key);
    for (char *p = buf; *p; p++)
        if (*p == '_' || *p == '.')
            *p = ' ';
    buf[0] = (char)toupper((unsigned char)buf[0]);
    return buf;
}
