/*
 * The legal bases: the health-law rights and the municipality's duties are
 * appealed to statsforvalteren within four weeks (pasient- og
 * brukerrettighetsloven sections 7-2, 7-5); the other sectors' provisions
 * on individual plans within three weeks (forvaltningsloven section 29).
 */
#include <stdio.h>
#include <string.h>
#include "bti/basis.h"
#include "bti/error.h"
#include "internal.h"

static const struct basis {
    const char *code;
    const char *law;
    const char *item; /* the request item it is the health-law basis of, or NULL */
    int weeks;
    const char *body;
} bases[] = {
    {"pbrl-2-5", "pasient- og brukerrettighetsloven § 2-5 (individuell plan)", "ip", 4,
     "statsforvalteren"},
    {"pbrl-2-5b", "pasient- og brukerrettighetsloven § 2-5 b (koordinator)", "coordinator", 4,
     "statsforvalteren"},
    {"pbrl-2-5c", "pasient- og brukerrettighetsloven § 2-5 c (barnekoordinator)", "child", 4,
     "statsforvalteren"},
    {"hol-7-1", "helse- og omsorgstjenesteloven § 7-1 (individuell plan)", NULL, 4,
     "statsforvalteren"},
    {"hol-7-2", "helse- og omsorgstjenesteloven § 7-2 (koordinator)", NULL, 4, "statsforvalteren"},
    {"hol-7-2a", "helse- og omsorgstjenesteloven § 7-2 a (barnekoordinator)", NULL, 4,
     "statsforvalteren"},
    {"sotjl-28", "sosialtjenesteloven § 28 (individuell plan)", NULL, 3, "statsforvalteren"},
    {"bvl", "barnevernsloven (individuell plan)", NULL, 3, "statsforvalteren"},
    {"oppl", "opplæringslova (individuell plan)", NULL, 3, "statsforvalteren"},
};
#define NBASES (sizeof bases / sizeof bases[0])

/* The basis whose code is the n bytes at s, or NULL. */
static const struct basis *find(const char *s, size_t n)
{
    for (size_t i = 0; i < NBASES; i++)
        if (strlen(bases[i].code) == n && strncmp(s, bases[i].code, n) == 0)
            return &bases[i];
    return NULL;
}

int bti_basis_check(const char *codes)
{
    if (!codes || !*codes)
        return bti_error_set(BTI_EINVAL, "--basis names no code");
    for (const char *p = codes, *next; p; p = next) {
        size_t n = list_elem(p, &next);
        if (!find(p, n)) {
            bti_error_set(BTI_EINVAL, "invalid value for --basis: unknown code");
            return bti_error_set_hint("'bti basis list' shows the codes");
        }
    }
    return 0;
}

int bti_basis_weeks(const char *codes)
{
    int weeks = 0;
    for (const char *p = codes, *next; p; p = next) {
        const struct basis *b = find(p, list_elem(p, &next));
        if (b && b->weeks > weeks)
            weeks = b->weeks;
    }
    return weeks;
}

const char *bti_basis_of_item(const char *item)
{
    for (size_t i = 0; i < NBASES; i++)
        if (bases[i].item && strcmp(bases[i].item, item) == 0)
            return bases[i].code;
    return NULL;
}

bti_date bti_basis_deadline(const char *codes, bti_date notified)
{
    return bti_date_deadline_weeks(notified, bti_basis_weeks(codes));
}

static const struct bti_col basis_cols[] = {
    {"code", BTI_T_TEXT},        {"law", BTI_T_TEXT},         {"item", BTI_T_TEXT},
    {"appeal_weeks", BTI_T_INT}, {"appeal_body", BTI_T_TEXT},
};
const struct bti_cols bti_basis_cols = BTI_COLS(basis_cols);

int bti_basis_list(bti_row_fn fn, void *arg)
{
    for (size_t i = 0; i < NBASES; i++) {
        struct bti_value v[5] = {
            {.s = bases[i].code},
            {.s = bases[i].law},
            {.null = !bases[i].item, .s = bases[i].item},
            {.i = bases[i].weeks},
            {.s = bases[i].body},
        };
        struct bti_row row = {basis_cols, 5, v};
        int rc = fn(&row, arg);
        if (rc)
            return rc;
    }
    return 0;
}
