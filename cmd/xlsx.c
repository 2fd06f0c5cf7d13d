/*
 * The xlsx format (SPEC section 6), through libxlsxwriter: numbers are
 * number cells, dates date cells, every text a text cell (never run as a
 * formula), under a bold frozen header row of readable labels with an
 * autofilter and fitting widths; a report opens with its title and period,
 * and its charts get a sheet of their own.
 *
 * libxlsxwriter writes a named file when the workbook closes: bti names it
 * through /proc/self/fd of an unnamed temporary file (O_TMPFILE, 0600), so
 * no name ever holds the data, and copies it to the output when done.
 *
 * The library is loaded when the first workbook starts, not when bti
 * starts: with the libcrypto it needs it is three quarters of the dynamic
 * linking every command would pay (issue 19).
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <xlsxwriter.h>
#include "bti/date.h"
#include "base/intl.h"
#include "bti/error.h"
#include "bti/text.h"
#include "xlsx.h"

/* Widest column, in characters. */
#define MAX_WIDTH 60
/* Most columns a sheet sizes. */
#define MAX_COLS 64

struct xlsx {
    int fd; /* the unnamed file libxlsxwriter writes */
    lxw_workbook *wb;
    lxw_worksheet *ws; /* the sheet being written */
    lxw_format *bold, *date, *time, *decimal;
    lxw_row_t row;    /* the next row of ws */
    lxw_row_t header; /* ws's header row */
    size_t ncols;     /* ws's columns */
    double width[MAX_COLS];
    const struct out_opts *opts;
};

/* The libxlsxwriter functions bti calls. */
#define LXW_FUNCTIONS(X)                                                                        \
    X(workbook_new) X(workbook_add_format) X(workbook_add_worksheet) X(workbook_add_chart)      \
    X(workbook_close) X(format_set_bold) X(format_set_num_format) X(worksheet_write_string)     \
    X(worksheet_write_number) X(worksheet_write_boolean) X(worksheet_write_datetime)           \
    X(worksheet_set_column) X(worksheet_autofilter) X(worksheet_freeze_panes)                  \
    X(worksheet_insert_chart) X(chart_title_set_name) X(chart_add_series)                      \
    X(chart_series_set_categories) X(chart_series_set_values) X(chart_series_set_name)         \
    X(chart_legend_set_position) X(lxw_strerror)

/* Each of them, once load_lxw found it, typed as its header declares it. */
static struct {
#define LXW_POINTER(f) __typeof__(f) *f;
    LXW_FUNCTIONS(LXW_POINTER)
#undef LXW_POINTER
} lxw;

/* Load libxlsxwriter (BTI_XLSX_SONAME, the library bti was built against)
 * and find the functions bti calls, once. */
static int load_lxw(void)
{
    static void *lib;
    if (lib)
        return 0;
    void *h = dlopen(BTI_XLSX_SONAME, RTLD_NOW | RTLD_LOCAL);
    const char *missing = h ? NULL : dlerror();
#define LXW_FIND(f)                                                                             \
    if (!missing && !(*(void **)&lxw.f = dlsym(h, #f)))                                        \
        missing = #f;
    LXW_FUNCTIONS(LXW_FIND)
#undef LXW_FIND
    if (missing) {
        if (h)
            dlclose(h);
        return bti_error_set(BTI_EDB, _("cannot load the xlsx library %s: %s"), BTI_XLSX_SONAME,
                             missing);
    }
    lib = h;
    return 0;
}

/* Set the error for a failed workbook and return its code. */
static int xlsx_error(lxw_error e)
{
    return bti_error_set(BTI_EDB, _("cannot write the xlsx: %s"), lxw.lxw_strerror(e));
}

/* Widen column c to fit text. */
static void fit(struct xlsx *x, size_t c, const char *text)
{
    double w = (double)bti_text_width(text) + 2;
    if (c < MAX_COLS && w > x->width[c])
        x->width[c] = w < MAX_WIDTH ? w : MAX_WIDTH;
}

/* Write a text cell (never a formula) and widen its column. */
static void text_cell(struct xlsx *x, lxw_row_t r, size_t c, const char *s, lxw_format *f)
{
    lxw.worksheet_write_string(x->ws, r, (lxw_col_t)c, s, f);
    fit(x, c, s);
}

/* Write a number cell: integral ones plain, decimals shown with two. */
static void number_cell(struct xlsx *x, lxw_row_t r, size_t c, double d)
{
    char buf[32];
    int integral = d == (double)(long long)d;
    lxw.worksheet_write_number(x->ws, r, (lxw_col_t)c, d, integral ? NULL : x->decimal);
    snprintf(buf, sizeof buf, integral ? "%.0f" : "%.2f", d);
    fit(x, c, buf);
}

/* The local (Oslo) time of a UTC timestamp, as "YYYY-MM-DD HH:MM:SS" in
 * buf (32 bytes); s itself when it is no timestamp. */
static const char *local_time(const char *s, char *buf)
{
    time_t t;
    if (strlen(s) != 20 || s[10] != 'T' || s[19] != 'Z' || bti_time_parse_utc(s, &t) != 0)
        return s;
    return bti_time_format_local(t, buf);
}

/* Write a date ("YYYY-MM-DD") or local time ("YYYY-MM-DD HH:MM:SS") cell;
 * anything else as text. */
static void date_cell(struct xlsx *x, lxw_row_t r, size_t c, const char *s, int with_time)
{
    lxw_datetime dt = {0};
    int n = sscanf(s, "%4d-%2d-%2d %2d:%2d:%lf", &dt.year, &dt.month, &dt.day, &dt.hour, &dt.min,
                   &dt.sec);
    if (n < 3) {
        text_cell(x, r, c, s, NULL);
        return;
    }
    lxw.worksheet_write_datetime(x->ws, r, (lxw_col_t)c, &dt, with_time ? x->time : x->date);
    fit(x, c, with_time ? "2026-01-01 00:00" : "2026-01-01");
}

/* Set the columns' widths of the sheet written so far. */
static void set_widths(struct xlsx *x)
{
    for (size_t c = 0; x->ws && c < x->ncols && c < MAX_COLS; c++)
        lxw.worksheet_set_column(x->ws, (lxw_col_t)c, (lxw_col_t)c, x->width[c], NULL);
}

/* Finish the sheet being written: its widths, and the autofilter over its
 * header and rows. */
static void close_sheet(struct xlsx *x)
{
    if (x->ws && x->ncols > 0 && x->row > x->header + 1)
        lxw.worksheet_autofilter(x->ws, x->header, 0, x->row - 1, (lxw_col_t)(x->ncols - 1));
    set_widths(x);
}

/* Start a new sheet, finishing the one before. */
static void new_sheet(struct xlsx *x, const char *name)
{
    char clean[32];
    size_t n = 0;
    close_sheet(x);
    for (const char *p = name; *p && n < sizeof clean - 1; p++)
        clean[n++] = strchr("[]:*?/\\", *p) ? ' ' : *p;
    clean[n] = '\0';
    x->ws = lxw.workbook_add_worksheet(x->wb, clean);
    if (!x->ws) /* a name taken already: the next "SheetN" */
        x->ws = lxw.workbook_add_worksheet(x->wb, NULL);
    x->row = x->header = 0;
    x->ncols = 0;
    memset(x->width, 0, sizeof x->width);
}

/* The title and period rows of a report, then a blank row. */
static void title_rows(struct xlsx *x)
{
    char period[64];
    if (!x->opts->title)
        return;
    text_cell(x, x->row++, 0, x->opts->title, x->bold);
    if (x->opts->from) {
        snprintf(period, sizeof period, "%s \xE2\x80\x93 %s", x->opts->from, x->opts->to);
        text_cell(x, x->row++, 0, period, NULL);
    }
    x->row++;
}

/* The bold header row of labels for keys, frozen. */
static void header_row(struct xlsx *x, const char *const *keys, size_t n)
{
    char buf[128];
    x->header = x->row;
    x->ncols = n;
    for (size_t c = 0; c < n; c++)
        text_cell(x, x->row, c, out_label(keys[c], buf, sizeof buf), x->bold);
    x->row++;
    lxw.worksheet_freeze_panes(x->ws, x->row, 0);
}

struct xlsx *xlsx_begin(const struct out_opts *opts)
{
    const char *dir = getenv("TMPDIR");
    char path[64];
    if (load_lxw() != 0)
        return NULL;
    struct xlsx *x = calloc(1, sizeof *x);
    if (!x) {
        bti_error_set(BTI_EDB, _("out of memory"));
        return NULL;
    }
    x->opts = opts;
    x->fd = open(dir && *dir == '/' ? dir : "/tmp", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (x->fd < 0) {
        bti_error_set(BTI_EDB, _("cannot make a temporary file: %s"), strerror(errno));
        free(x);
        return NULL;
    }
    snprintf(path, sizeof path, "/proc/self/fd/%d", x->fd);
    x->wb = lxw.workbook_new(path);
    if (!x->wb) {
        bti_error_set(BTI_EDB, _("cannot start the xlsx"));
        close(x->fd);
        free(x);
        return NULL;
    }
    x->bold = lxw.workbook_add_format(x->wb);
    lxw.format_set_bold(x->bold);
    x->date = lxw.workbook_add_format(x->wb);
    lxw.format_set_num_format(x->date, "yyyy-mm-dd");
    x->time = lxw.workbook_add_format(x->wb);
    lxw.format_set_num_format(x->time, "yyyy-mm-dd hh:mm");
    x->decimal = lxw.workbook_add_format(x->wb);
    lxw.format_set_num_format(x->decimal, "0.00");
    return x;
}

int xlsx_list_begin(struct xlsx *x, const char *sheet, const struct bti_col *cols, size_t ncols)
{
    const char *keys[MAX_COLS];
    if (ncols > MAX_COLS)
        return bti_error_set(BTI_EDB, _("internal error: too many columns"));
    for (size_t c = 0; c < ncols; c++)
        keys[c] = cols[c].key;
    new_sheet(x, sheet);
    title_rows(x);
    header_row(x, keys, ncols);
    return 0;
}

int xlsx_list_row(struct xlsx *x, const struct bti_col *cols, const struct bti_row *row)
{
    char buf[32], words[512];
    for (size_t c = 0; c < x->ncols && c < row->ncols; c++) {
        const struct bti_value *v = &row->vals[c];
        enum bti_type t = cols[c].type;
        int number = t == BTI_T_INT || t == BTI_T_REAL;
        if (v->null || (!number && t != BTI_T_BOOL && !v->s))
            continue;
        if (number && v->s)
            text_cell(x, x->row, c, v->s, NULL); /* a count a public report hides */
        else if (t == BTI_T_INT)
            number_cell(x, x->row, c, (double)v->i);
        else if (t == BTI_T_REAL)
            number_cell(x, x->row, c, v->r);
        else if (t == BTI_T_BOOL)
            lxw.worksheet_write_boolean(x->ws, x->row, (lxw_col_t)c, (int)v->i, NULL),
                fit(x, c, "FALSE");
        else if (t == BTI_T_DATE)
            date_cell(x, x->row, c, v->s, 0);
        else if (t == BTI_T_TIME)
            date_cell(x, x->row, c, local_time(v->s, buf), 1);
        else
            text_cell(x, x->row, c, out_words(cols[c].key, v->s, words, sizeof words), NULL);
    }
    x->row++;
    return 0;
}

/* Non-zero when v fits one cell: a scalar, or an array of scalars. */
static int one_cell(const cJSON *v)
{
    const cJSON *e;
    if (cJSON_IsObject(v))
        return 0;
    if (!cJSON_IsArray(v))
        return 1;
    cJSON_ArrayForEach(e, v) if (cJSON_IsArray(e) || cJSON_IsObject(e)) return 0;
    return 1;
}

/* Write an array of scalars as one text cell, its elements joined by commas, as the CSV cell is. */
static void joined_cell(struct xlsx *x, lxw_row_t r, size_t c, const cJSON *arr)
{
    char text[4096] = "", num[32];
    const cJSON *e;
    cJSON_ArrayForEach(e, arr)
    {
        const char *s =
            cJSON_IsNumber(e) ? out_people_number(e->valuedouble, num) : cJSON_GetStringValue(e);
        size_t len = strlen(text);
        snprintf(text + len, sizeof text - len, "%s%s", len ? "," : "", s ? s : "");
    }
    text_cell(x, r, c, text, NULL);
}

/* Write a JSON value that fits one cell: a number, a date, or text. */
static void json_cell(struct xlsx *x, lxw_row_t r, size_t c, const cJSON *v)
{
    char buf[32];
    const char *s = cJSON_GetStringValue(v);
    bti_date d;
    if (cJSON_IsArray(v) && one_cell(v)) {
        joined_cell(x, r, c, v);
    } else if (cJSON_IsArray(v) || cJSON_IsObject(v)) { /* a part of a row: its JSON */
        char *json = cJSON_PrintUnformatted(v);
        if (json)
            text_cell(x, r, c, json, NULL);
        cJSON_free(json);
    } else if (cJSON_IsNumber(v)) {
        number_cell(x, r, c, v->valuedouble);
    } else if (cJSON_IsBool(v)) {
        lxw.worksheet_write_boolean(x->ws, r, (lxw_col_t)c, cJSON_IsTrue(v), NULL);
    } else if (s && strlen(s) == 10 && s[4] == '-' && bti_date_parse(&d, s, 0, "date") == 0) {
        date_cell(x, r, c, s, 0);
    } else if (s && local_time(s, buf) != s) {
        date_cell(x, r, c, buf, 1);
    } else if (s) {
        text_cell(x, r, c, s, NULL);
    }
}

/* The keys of the objects in arr, each once, in first-seen order. */
static size_t array_keys(const cJSON *arr, const char **keys, size_t max)
{
    size_t n = 0;
    const cJSON *e, *m;
    cJSON_ArrayForEach(e, arr)
    {
        cJSON_ArrayForEach(m, e)
        {
            size_t k = 0;
            while (k < n && strcmp(keys[k], m->string) != 0)
                k++;
            if (k == n && n < max)
                keys[n++] = m->string;
        }
    }
    return n;
}

/* A sheet of one row per object of arr. */
static void array_sheet(struct xlsx *x, const char *name, const cJSON *arr)
{
    const char *keys[MAX_COLS];
    char buf[128];
    const cJSON *e;
    size_t n = array_keys(arr, keys, MAX_COLS);
    new_sheet(x, out_label(name, buf, sizeof buf));
    title_rows(x);
    header_row(x, keys, n);
    cJSON_ArrayForEach(e, arr)
    {
        for (size_t c = 0; c < n; c++)
            json_cell(x, x->row, c, cJSON_GetObjectItemCaseSensitive(e, keys[c]));
        x->row++;
    }
}

/* Rows of label and value for the members of obj, nested objects as
 * "section metric" labels; arrays as in json_cell. */
static void value_rows(struct xlsx *x, const char *prefix, const cJSON *obj)
{
    char key[256], buf[128];
    const cJSON *m;
    cJSON_ArrayForEach(m, obj)
    {
        snprintf(key, sizeof key, "%s%s%s", prefix, *prefix ? " " : "",
                 out_label(m->string, buf, sizeof buf));
        if (cJSON_IsObject(m)) {
            value_rows(x, key, m);
            continue;
        }
        text_cell(x, x->row, 0, key, NULL);
        json_cell(x, x->row++, 1, m);
    }
}

int xlsx_object(struct xlsx *x, const cJSON *obj)
{
    static const char *const value_keys[] = {"item", "value"};
    const cJSON *m;
    int scalars = 0;
    cJSON_ArrayForEach(m, obj) scalars |= one_cell(m);
    if (scalars) {
        new_sheet(x, x->opts->title ? x->opts->title : "bti");
        title_rows(x);
        header_row(x, value_keys, 2);
        cJSON_ArrayForEach(m, obj) if (one_cell(m))
        {
            char buf[128];
            text_cell(x, x->row, 0, out_label(m->string, buf, sizeof buf), NULL);
            json_cell(x, x->row++, 1, m);
        }
    }
    cJSON_ArrayForEach(m, obj)
    {
        char buf[128];
        if (cJSON_IsArray(m) && !one_cell(m)) {
            array_sheet(x, m->string, m);
        } else if (cJSON_IsObject(m) && strcmp(m->string, "period") != 0) {
            new_sheet(x, out_label(m->string, buf, sizeof buf));
            title_rows(x);
            header_row(x, value_keys, 2);
            value_rows(x, "", m);
        }
    }
    if (!x->ws) { /* nothing at all: an empty sheet */
        new_sheet(x, "bti");
        title_rows(x);
    }
    return 0;
}

/* The series of a chart's data: the inner keys of its first object
 * member, or one unnamed series when its members are numbers. */
static size_t chart_series(const cJSON *data, const char **names, size_t max)
{
    const cJSON *m, *s;
    size_t n = 0;
    cJSON_ArrayForEach(m, data)
    {
        if (!cJSON_IsObject(m))
            continue;
        cJSON_ArrayForEach(s, m) if (n < max) names[n++] = s->string;
        return n;
    }
    names[0] = "value";
    return 1;
}

/* One chart: its data table at row r, column 0, and the column chart
 * beside it.  Returns the rows it takes. */
static lxw_row_t chart_block(struct xlsx *x, lxw_row_t r, const cJSON *chart)
{
    const char *series[8];
    char buf[128], sheet[32] = "Charts";
    const cJSON *data = cJSON_GetObjectItem(chart, "data"), *m;
    const char *title = cJSON_GetStringValue(cJSON_GetObjectItem(chart, "title"));
    size_t ns = chart_series(data, series, 8), ncat = 0;
    text_cell(x, r, 0, title ? title : "", x->bold);
    for (size_t s = 0; s < ns; s++)
        text_cell(x, r + 1, s + 1, out_label(series[s], buf, sizeof buf), x->bold);
    cJSON_ArrayForEach(m, data)
    {
        lxw_row_t row = r + 2 + (lxw_row_t)ncat++;
        text_cell(x, row, 0, out_label(m->string, buf, sizeof buf), NULL);
        for (size_t s = 0; s < ns; s++)
            json_cell(x, row, s + 1, cJSON_IsObject(m) ? cJSON_GetObjectItem(m, series[s]) : m);
    }
    lxw_row_t rows = (lxw_row_t)ncat + 3;
    if (ncat == 0 || ns == 0) /* nothing to draw: the title and an empty table say so */
        return rows;
    lxw_chart *c = lxw.workbook_add_chart(x->wb, LXW_CHART_COLUMN);
    lxw.chart_title_set_name(c, title ? title : "");
    for (size_t s = 0; s < ns; s++) {
        lxw_chart_series *cs = lxw.chart_add_series(c, NULL, NULL);
        lxw.chart_series_set_categories(cs, sheet, r + 2, 0, r + 1 + (lxw_row_t)ncat, 0);
        lxw.chart_series_set_values(cs, sheet, r + 2, (lxw_col_t)(s + 1), r + 1 + (lxw_row_t)ncat,
                                (lxw_col_t)(s + 1));
        lxw.chart_series_set_name(cs, out_label(series[s], buf, sizeof buf));
    }
    if (ns == 1)
        lxw.chart_legend_set_position(c, LXW_CHART_LEGEND_NONE);
    lxw.worksheet_insert_chart(x->ws, r, (lxw_col_t)(ns + 2), c);
    return rows > 17 ? rows : 17; /* a chart is about 15 rows high */
}

int xlsx_charts(struct xlsx *x, const cJSON *charts)
{
    const cJSON *chart;
    lxw_row_t r = 0;
    new_sheet(x, "Charts");
    x->ncols = 8;
    cJSON_ArrayForEach(chart, charts) r += chart_block(x, r, chart);
    x->row = x->header; /* no autofilter on the charts' sheet */
    return 0;
}

/* Copy the finished file to fp. */
static int copy_out(int fd, FILE *fp)
{
    char buf[65536];
    ssize_t n;
    off_t at = 0;
    while ((n = pread(fd, buf, sizeof buf, at)) > 0) {
        if (fwrite(buf, 1, (size_t)n, fp) != (size_t)n)
            return bti_error_set(BTI_EDB, _("cannot write output: %s"), strerror(errno));
        at += n;
    }
    if (n < 0)
        return bti_error_set(BTI_EDB, _("cannot read the xlsx back: %s"), strerror(errno));
    return 0;
}

int xlsx_end(struct xlsx *x, FILE *fp, int failed)
{
    if (!x)
        return 0;
    if (!x->ws) {
        new_sheet(x, "bti");
        title_rows(x);
    }
    close_sheet(x);
    lxw_error e = lxw.workbook_close(x->wb);
    int rc = failed ? 0 : e != LXW_NO_ERROR ? xlsx_error(e) : copy_out(x->fd, fp);
    close(x->fd);
    free(x);
    return rc;
}
