/*
 * The output layer (SPEC section 6): every listing and every show comes out
 * as an aligned table, JSON, CSV or the excel dialect of CSV.
 *
 * JSON and CSV stream row by row.  A table buffers its first 1,000 rows to
 * size the columns, prints them, and keeps those widths for later rows; at
 * a terminal it fits the terminal's width by shortening its widest text
 * columns, each shortened cell ending in "…".
 * Write errors are found with ferror() after each row and a final fflush().
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include "bti/date.h"
#include "bti/error.h"
#include "bti/nin.h"
#include "bti/text.h"
#include "base/flatjson.h"
#include "html.h"
#include "output.h"
#include "xlsx.h"

/* Rows a table buffers to size its columns. */
#define TABLE_SIZING_ROWS 1000

/* Fitting the terminal: a header is shortened to this many columns (but
 * never below its column's data), a text column to TABLE_MIN_TEXT, and
 * both to TABLE_MIN_LAST when still too wide. */
#define TABLE_MIN_HEADER 8
#define TABLE_MIN_TEXT 10
#define TABLE_MIN_LAST 4

/* Digits a number column sized on a full buffer keeps spare for the rows
 * after it (ids grow: 1,000 rows up to id 9,999 leave room for 999,999). */
#define TABLE_SPARE_DIGITS 2

/* Columns between two table columns. */
#define TABLE_GAP 2

/* What ends a shortened cell. */
static const char ellipsis[] = "\xE2\x80\xA6";

/* Room for a formatted number or a local time. */
#define NUM_BUF 32

static const char utf8_bom[] = "\xEF\xBB\xBF";

/* What sets the two CSV dialects apart. */
struct dialect {
    char sep;        /* field separator */
    const char *eol; /* line end */
    int bom;         /* a UTF-8 byte order mark opens the output */
    char decimal;    /* decimal point of a REAL */
    int spaced_nin;  /* an 11-digit nin is written "DDMMYY NNNNN" */
    int rounded;     /* decimals rounded for people (0.33, not 0.33333333333333331) */
};

static const struct dialect dialect_csv = {',', "\n", 0, '.', 0, 0};
static const struct dialect dialect_excel = {';', "\r\n", 1, ',', 1, 1};
/* How a table writes its numbers (its separators are unused). */
static const struct dialect dialect_table = {' ', "\n", 0, '.', 0, 1};

/* A growing string; `oom` is set when an allocation failed. */
struct buf {
    char *p;
    size_t len, cap;
    int oom;
};

/* An aligned table: column headers, alignment, widths and the rows buffered
 * until the widths are known. */
struct table {
    FILE *fp;
    int color;
    size_t ncols;
    const char **keys;    /* header cells (not owned) */
    unsigned char *right; /* right-aligned (numeric) columns */
    unsigned char *text;  /* text columns, which may be shortened to fit */
    size_t fit;           /* the width to fit into (0: no limit) */
    size_t *width;        /* column widths, once sized */
    size_t *data;         /* the widest cell of each column (not the header) */
    char **row;           /* the next row's cells, filled by the caller */
    char **cells;         /* buffered rows, ncols cells each */
    size_t nrows;         /* buffered rows */
    int sized;            /* widths fixed and header printed */
};

struct out_list {
    struct out_opts opts;
    const struct dialect *dialect; /* CSV and excel */
    const struct bti_col *cols;
    size_t ncols;
    size_t nrows; /* rows written so far */
    int started;  /* CSV header written */
    struct table table;
    struct xlsx *xlsx; /* the workbook of an xlsx listing */
    struct html *html; /* the page of an html listing */
};

/* Set the error for a failed write and return its code. */
static int write_error(void)
{
    return bti_error_set(BTI_EDB, _("cannot write output"));
}

/* Set the error for a failed allocation and return its code. */
static int oom_error(void)
{
    return bti_error_set(BTI_EDB, _("out of memory"));
}

/* 0 when fp has seen no write error, else the write error. */
static int check_fp(FILE *fp)
{
    return ferror(fp) ? write_error() : 0;
}

/* Flush fp; 0, or the write error when this or an earlier write failed. */
static int flush_fp(FILE *fp)
{
    if (fflush(fp) != 0 || ferror(fp))
        return write_error();
    return 0;
}

/* Append n bytes of s to b; on allocation failure mark b and drop them. */
static void buf_add(struct buf *b, const char *s, size_t n)
{
    if (b->oom)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 64;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *p = realloc(b->p, cap);
        if (!p) {
            b->oom = 1;
            return;
        }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

/* Append the string s to b. */
static void buf_str(struct buf *b, const char *s)
{
    buf_add(b, s, strlen(s));
}

/* Append n spaces to b. */
static void buf_pad(struct buf *b, size_t n)
{
    static const char spaces[] = "                                ";
    while (n > 0) {
        size_t k = n < sizeof spaces - 1 ? n : sizeof spaces - 1;
        buf_add(b, spaces, k);
        n -= k;
    }
}

/* The string built in b, handed over (NULL when out of memory). */
static char *buf_take(struct buf *b)
{
    if (b->oom) {
        free(b->p);
        return NULL;
    }
    return b->p ? b->p : strdup("");
}

/* Write s (n bytes) as one line, bold when asked. */
static int line_write(FILE *fp, const char *s, size_t n, int bold)
{
    if (bold)
        fputs("\033[1m", fp);
    if (n > 0)
        fwrite(s, 1, n, fp);
    if (bold)
        fputs("\033[0m", fp);
    putc('\n', fp);
    return check_fp(fp);
}

/* Write the line built in b without its trailing spaces, and free b. */
static int buf_line(FILE *fp, struct buf *b, int bold)
{
    int rc;
    if (b->oom) {
        rc = oom_error();
    } else {
        while (b->len > 0 && b->p[b->len - 1] == ' ')
            b->len--;
        rc = line_write(fp, b->p, b->len, bold);
    }
    free(b->p);
    return rc;
}

/* Write d into buf (NUM_BUF bytes) with 15 significant digits, or 17 when 15
 * do not read back as d, and `decimal` as the decimal point.  Returns buf. */
static char *fmt_real(double d, char decimal, char *buf)
{
    snprintf(buf, NUM_BUF, "%.15g", d);
    if (strtod(buf, NULL) != d)
        snprintf(buf, NUM_BUF, "%.17g", d);
    for (char *p = buf; *p; p++)
        if (*p == '.' || *p == ',')
            *p = decimal;
    return buf;
}

/* Write d into buf (NUM_BUF bytes) rounded for people: at most two
 * decimals, trailing zeros dropped, `decimal` as the decimal point. */
static char *fmt_people(double d, char decimal, char *buf)
{
    snprintf(buf, NUM_BUF, "%.2f", d);
    char *dot = strchr(buf, '.');
    if (dot) {
        char *end = buf + strlen(buf);
        while (end > dot && (end[-1] == '0' || end[-1] == '.'))
            *--end = '\0';
        if (*dot)
            *dot = decimal;
    }
    return strcmp(buf, "-0") == 0 ? strcpy(buf, "0") : buf;
}

char *out_people_number(double d, char *buf)
{
    return fmt_people(d, '.', buf);
}

/* Write a decimal for a dialect: rounded for people, or in full. */
static char *fmt_decimal(double d, const struct dialect *dl, char *buf)
{
    return dl->rounded ? fmt_people(d, dl->decimal, buf) : fmt_real(d, dl->decimal, buf);
}

/* Write a JSON number into buf: an integer when integral, else as
 * fmt_decimal. */
static char *fmt_number(double d, const struct dialect *dl, char *buf)
{
    long long whole;
    if (fj_whole(d, &whole)) {
        snprintf(buf, NUM_BUF, "%lld", whole);
        return buf;
    }
    return fmt_decimal(d, dl, buf);
}

/* The local (Oslo) time of the UTC timestamp s, written into buf (NUM_BUF
 * bytes), or NULL when s is not a "YYYY-MM-DDTHH:MM:SSZ" timestamp. */
static const char *local_time(const char *s, char *buf)
{
    time_t t;
    if (strlen(s) != 20 || s[10] != 'T' || s[19] != 'Z' || bti_time_parse_utc(s, &t) != 0)
        return NULL;
    return bti_time_format_local(t, buf);
}

/* A copy of s fit for one table line: control characters (newline, tab,
 * escape, C1 controls) become a space.  NULL when out of memory. */
static char *display_copy(const char *s)
{
    char *d = malloc(strlen(s) + 1), *o = d;
    if (!d)
        return NULL;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (p[0] == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F) {
            *o++ = ' ';
            p++;
        } else {
            *o++ = (*p < 0x20 || *p == 0x7F) ? ' ' : (char)*p;
        }
    }
    *o = '\0';
    return d;
}

/* Non-zero when v holds no value (a NULL, or a string column without one). */
static int is_null(enum bti_type type, const struct bti_value *v)
{
    if (v->null)
        return 1;
    return type != BTI_T_INT && type != BTI_T_REAL && type != BTI_T_BOOL && !v->s;
}

/* Non-zero when a number column's value is text: a count a public report
 * hides ("<5"). */
static int is_hidden_number(enum bti_type type, const struct bti_value *v)
{
    return (type == BTI_T_INT || type == BTI_T_REAL) && v->s;
}

/* Value i of row; a NULL when the row is short. */
static const struct bti_value *row_value(const struct bti_row *row, size_t i)
{
    static const struct bti_value null_value = {.null = 1};
    return i < row->ncols ? &row->vals[i] : &null_value;
}

/* ---- JSON ---------------------------------------------------------------- */

/* Write the character at p as a JSON string needs it; returns the bytes
 * used.  U+2028 and U+2029 are escaped because JavaScript reads them as line
 * ends; other UTF-8 passes as is. */
static size_t json_char(FILE *fp, const unsigned char *p)
{
    static const char from[] = "\"\\\b\f\n\r\t";
    static const char to[] = "\"\\bfnrt";
    const char *hit = strchr(from, *p);
    if (hit) {
        putc('\\', fp);
        putc(to[hit - from], fp);
    } else if (*p < 0x20) {
        fprintf(fp, "\\u%04x", *p);
    } else if (p[0] == 0xE2 && p[1] == 0x80 && (p[2] == 0xA8 || p[2] == 0xA9)) {
        fputs(p[2] == 0xA8 ? "\\u2028" : "\\u2029", fp);
        return 3;
    } else {
        putc(*p, fp);
    }
    return 1;
}

/* Whether the byte at p stands for itself in a JSON string (0xE2 may
 * begin U+2028 or U+2029, so json_char looks at it). */
static int json_plain(const unsigned char *p)
{
    return *p >= 0x20 && *p != '"' && *p != '\\' && *p != 0xE2;
}

/* Write the n bytes at s inside a JSON string: each run of plain bytes in
 * one write, the rest through json_char. */
static void json_chars(FILE *fp, const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + n;
    while (p < end) {
        const unsigned char *run = p;
        while (p < end && json_plain(p))
            p++;
        fwrite(run, 1, (size_t)(p - run), fp);
        if (p < end)
            p += json_char(fp, p);
    }
}

/* Write s as a JSON string. */
static void json_string(FILE *fp, const char *s)
{
    putc('"', fp);
    json_chars(fp, s, strlen(s));
    putc('"', fp);
}

/* Write the comma-joined words of s as a JSON array of strings. */
static void json_list(FILE *fp, const char *s)
{
    putc('[', fp);
    while (*s) {
        size_t n = strcspn(s, ",");
        putc('"', fp);
        json_chars(fp, s, n);
        putc('"', fp);
        s += n;
        if (*s == ',' && *++s)
            putc(',', fp);
    }
    putc(']', fp);
}

/* Write one value of a column of type `type` as JSON. */
static void json_value(FILE *fp, enum bti_type type, const struct bti_value *v)
{
    char num[NUM_BUF];
    if (is_null(type, v))
        fputs("null", fp);
    else if (type == BTI_T_LIST)
        json_list(fp, v->s);
    else if (type == BTI_T_OBJECT)
        fputs(v->s, fp); /* the library's own JSON text */
    else if (is_hidden_number(type, v))
        json_string(fp, v->s);
    else if (type == BTI_T_INT)
        fprintf(fp, "%lld", v->i);
    else if (type == BTI_T_REAL)
        fputs(isfinite(v->r) ? fmt_real(v->r, '.', num) : "null", fp);
    else if (type == BTI_T_BOOL)
        fputs(v->i ? "true" : "false", fp);
    else
        json_string(fp, v->s);
}

/* Write one row as a JSON object on its own line of the array. */
static int json_row(struct out_list *l, const struct bti_row *row)
{
    FILE *fp = l->opts.fp;
    fputs(l->nrows > 0 ? ",\n{" : "[{", fp);
    for (size_t i = 0; i < l->ncols; i++) {
        if (i > 0)
            putc(',', fp);
        json_string(fp, l->cols[i].key);
        putc(':', fp);
        json_value(fp, l->cols[i].type, row_value(row, i));
    }
    putc('}', fp);
    return check_fp(fp);
}

/* Close the JSON array: "]" after rows, "[]" when there were none. */
static int json_end(struct out_list *l)
{
    fputs(l->nrows > 0 ? "]\n" : "[]\n", l->opts.fp);
    return check_fp(l->opts.fp);
}

/* ---- CSV and excel ------------------------------------------------------- */

/* Skip the digits at *s; returns how many there were. */
static size_t skip_digits(const char **s)
{
    size_t n = 0;
    while (**s >= '0' && **s <= '9') {
        (*s)++;
        n++;
    }
    return n;
}

/* Non-zero when s is all one number as a spreadsheet reads it: an optional
 * sign, digits with at most one decimal point or comma, an optional
 * exponent ("-12", "+4.5", "-0,5", "1e5"). */
static int is_number(const char *s)
{
    if (*s == '+' || *s == '-')
        s++;
    size_t digits = skip_digits(&s);
    if (*s == '.' || *s == ',') {
        s++;
        digits += skip_digits(&s);
    }
    if (digits == 0)
        return 0;
    if (*s == 'e' || *s == 'E') {
        s++;
        if (*s == '+' || *s == '-')
            s++;
        if (skip_digits(&s) == 0)
            return 0;
    }
    return *s == '\0';
}

/* Non-zero when a spreadsheet would run the cell s as a formula. */
static int is_formula(const char *s)
{
    return *s != '\0' && strchr("=+-@\t\r", *s) != NULL && !is_number(s);
}

/* Non-zero when the cell s must be quoted in dialect d: it holds the
 * separator, a quote, CR or LF, or starts or ends with a space or tab. */
static int needs_quotes(const struct dialect *d, const char *s)
{
    size_t n = strlen(s);
    if (n > 0 && (s[0] == ' ' || s[0] == '\t' || s[n - 1] == ' ' || s[n - 1] == '\t'))
        return 1;
    for (; *s; s++)
        if (*s == d->sep || *s == '"' || *s == '\r' || *s == '\n')
            return 1;
    return 0;
}

/* Write the text cell s: quoted (quotes doubled) when needed, with a
 * leading ' when it would run as a formula, unless raw. */
static void csv_text(FILE *fp, const struct dialect *d, const char *s, int raw)
{
    int quote = needs_quotes(d, s);
    if (quote)
        putc('"', fp);
    if (!raw && is_formula(s))
        putc('\'', fp);
    for (; *s; s++) {
        if (*s == '"')
            putc('"', fp);
        putc(*s, fp);
    }
    if (quote)
        putc('"', fp);
}

/* The nin s as "DDMMYY NNNNN" in buf (13 bytes) when it is 11 digits; a
 * masked or other value is returned as is. */
static const char *nin_spaced(const char *s, char *buf)
{
    const char *p = s;
    return skip_digits(&p) == 11 && *p == '\0' ? bti_nin_spaced(s, buf) : s;
}

/* Write one value of a column of type `type` as a CSV cell.  Numbers are
 * never neutralised: they cannot run as a formula. */
static void csv_value(FILE *fp, const struct dialect *d, int raw, enum bti_type type,
                      const struct bti_value *v)
{
    char buf[NUM_BUF];
    if (is_null(type, v))
        return;
    if (is_hidden_number(type, v))
        csv_text(fp, d, v->s, raw);
    else if (type == BTI_T_INT)
        fprintf(fp, "%lld", v->i);
    else if (type == BTI_T_REAL)
        fputs(fmt_number(v->r, d, buf), fp);
    else if (type == BTI_T_BOOL)
        fputs(v->i ? "true" : "false", fp);
    else if (type == BTI_T_NIN && d->spaced_nin)
        csv_text(fp, d, nin_spaced(v->s, buf), raw);
    else
        csv_text(fp, d, v->s, raw);
}

/* Write the BOM (when the dialect has one) and the header row, once. */
static int csv_start(struct out_list *l)
{
    FILE *fp = l->opts.fp;
    if (l->started)
        return 0;
    l->started = 1;
    if (l->dialect->bom)
        fputs(utf8_bom, fp);
    for (size_t i = 0; i < l->ncols; i++) {
        if (i > 0)
            putc(l->dialect->sep, fp);
        csv_text(fp, l->dialect,
                 l->dialect == &dialect_excel ? out_header(l->cols[i].key) : l->cols[i].key,
                 l->opts.raw);
    }
    if (l->opts.from)
        fprintf(fp, "%cfrom%cto", l->dialect->sep, l->dialect->sep);
    fputs(l->dialect->eol, fp);
    return check_fp(fp);
}

/* Write one row as a CSV line. */
static int csv_row(struct out_list *l, const struct bti_row *row)
{
    FILE *fp = l->opts.fp;
    int rc = csv_start(l);
    if (rc)
        return rc;
    for (size_t i = 0; i < l->ncols; i++) {
        struct bti_value v = *row_value(row, i);
        char words[512];
        if (i > 0)
            putc(l->dialect->sep, fp);
        if (l->dialect == &dialect_excel && !v.null &&
            (l->cols[i].type == BTI_T_TEXT || l->cols[i].type == BTI_T_LIST))
            v.s = out_words(l->cols[i].key, v.s, words, sizeof words); /* for people */
        csv_value(fp, l->dialect, l->opts.raw, l->cols[i].type, &v);
    }
    if (l->opts.from)
        fprintf(fp, "%c%s%c%s", l->dialect->sep, l->opts.from, l->dialect->sep, l->opts.to);
    fputs(l->dialect->eol, fp);
    return check_fp(fp);
}

/* ---- Tables -------------------------------------------------------------- */

/* Set up t for ncols columns, written and fitted as opts say; the caller
 * fills t->keys, t->right and t->text.  Returns 0, or the allocation
 * error. */
static int table_init(struct table *t, const struct out_opts *opts, size_t ncols)
{
    size_t n = ncols > 0 ? ncols : 1;
    memset(t, 0, sizeof *t);
    t->fp = opts->fp;
    t->color = opts->color;
    t->fit = opts->width;
    t->ncols = ncols;
    t->keys = calloc(n, sizeof *t->keys);
    t->right = calloc(n, sizeof *t->right);
    t->text = calloc(n, sizeof *t->text);
    t->width = calloc(n, sizeof *t->width);
    t->data = calloc(n, sizeof *t->data);
    t->row = calloc(n, sizeof *t->row);
    t->cells = calloc(n * TABLE_SIZING_ROWS, sizeof *t->cells);
    if (!t->keys || !t->right || !t->text || !t->width || !t->data || !t->row || !t->cells)
        return oom_error();
    return 0;
}

/* Free n cells and clear them. */
static void free_cells(char **cells, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(cells[i]);
        cells[i] = NULL;
    }
}

/* Free t and any rows still buffered. */
static void table_free(struct table *t)
{
    if (t->cells)
        free_cells(t->cells, t->nrows * t->ncols);
    if (t->row)
        free_cells(t->row, t->ncols);
    free(t->keys);
    free(t->right);
    free(t->text);
    free(t->width);
    free(t->data);
    free(t->row);
    free(t->cells);
}

/* The passes of fitting a table, each shortening the widest columns above
 * that pass's floor until the line fits: long headers over narrow data
 * first, then text cells, then both as far as they go. */
enum fit_pass { FIT_HEADERS, FIT_TEXT, FIT_ALL, FIT_PASSES };

/* The width column c may be shortened to in pass p: a header down to
 * TABLE_MIN_HEADER (TABLE_MIN_LAST in the last pass) but never below the
 * data; text data down to TABLE_MIN_TEXT (TABLE_MIN_LAST). */
static size_t fit_floor(const struct table *t, size_t c, enum fit_pass p)
{
    size_t head = p == FIT_ALL ? TABLE_MIN_LAST : TABLE_MIN_HEADER;
    size_t text = p == FIT_ALL ? TABLE_MIN_LAST : p == FIT_TEXT ? TABLE_MIN_TEXT : SIZE_MAX;
    size_t data = t->text[c] && t->data[c] > text ? text : t->data[c];
    size_t floor = t->width[c] > head ? head : t->width[c];
    return floor > data ? floor : data;
}

/* The column widest above its floor in pass p, or t->ncols when none is. */
static size_t widest_above(const struct table *t, enum fit_pass p)
{
    size_t best = t->ncols, best_w = 0;
    for (size_t c = 0; c < t->ncols; c++) {
        if (t->width[c] > fit_floor(t, c, p) && t->width[c] > best_w)
            best = c, best_w = t->width[c];
    }
    return best;
}

/* Shorten columns, one column at a time and the widest first, pass by
 * pass, until the line fits t->fit or nothing more can give. */
static void table_fit(struct table *t)
{
    size_t line = TABLE_GAP * (t->ncols - 1), c;
    for (c = 0; c < t->ncols; c++)
        line += t->width[c];
    for (enum fit_pass p = 0; t->fit && p < FIT_PASSES; p++) {
        while (line > t->fit && (c = widest_above(t, p)) < t->ncols) {
            t->width[c]--;
            line--;
        }
    }
}

/* Size each column to the widest of its header and its buffered cells, in
 * display columns (not bytes); give number columns spare digits when more
 * rows may follow the buffer; then fit the terminal. */
static void table_size(struct table *t)
{
    for (size_t r = 0; r < t->nrows; r++) {
        for (size_t c = 0; c < t->ncols; c++) {
            size_t w = bti_text_width(t->cells[r * t->ncols + c]);
            if (w > t->data[c])
                t->data[c] = w;
        }
    }
    for (size_t c = 0; c < t->ncols; c++) {
        if (t->right[c] && t->nrows == TABLE_SIZING_ROWS)
            t->data[c] += TABLE_SPARE_DIGITS;
        t->width[c] = bti_text_width(out_header(t->keys[c]));
        if (t->data[c] > t->width[c])
            t->width[c] = t->data[c];
    }
    table_fit(t);
}

/* Append cell s to b in `width` columns: padded (numbers to the right),
 * or when wider, shortened to end in "…" (a number, never shortened,
 * overflows; its header is shortened as any). */
static void table_cell_add(struct buf *b, const char *s, size_t width, int right, int header)
{
    size_t w = bti_text_width(s);
    if (w > width && (!right || header) && width > 0) {
        buf_add(b, s, bti_text_fit(s, width - 1, &w));
        buf_str(b, ellipsis);
        buf_pad(b, width - 1 - w);
        return;
    }
    size_t pad = w < width ? width - w : 0;
    if (right)
        buf_pad(b, pad);
    buf_str(b, s);
    if (!right)
        buf_pad(b, pad);
}

/* Print one line of cells (the header's when `header`) in the column
 * widths, two spaces apart, no trailing spaces; the header bold when
 * colour is on. */
static int table_line(struct table *t, const char *const *cells, int header)
{
    struct buf b = {0};
    for (size_t c = 0; c < t->ncols; c++) {
        if (c > 0)
            buf_pad(&b, TABLE_GAP);
        table_cell_add(&b, cells[c], t->width[c], t->right[c], header);
    }
    return buf_line(t->fp, &b, header && t->color);
}

/* Size the columns on the buffered rows, print the header and those rows,
 * and free them.  Prints nothing when no row came. */
static int table_flush(struct table *t)
{
    int rc;
    if (t->sized || t->nrows == 0)
        return 0;
    table_size(t);
    t->sized = 1;
    const char **heads = calloc(t->ncols ? t->ncols : 1, sizeof *heads);
    for (size_t c = 0; heads && c < t->ncols; c++)
        heads[c] = out_header(t->keys[c]);
    rc = heads ? table_line(t, heads, 1) : oom_error();
    free(heads);
    for (size_t r = 0; r < t->nrows; r++) {
        char **row = t->cells + r * t->ncols;
        if (!rc)
            rc = table_line(t, (const char *const *)row, 0);
        free_cells(row, t->ncols);
    }
    t->nrows = 0;
    return rc;
}

/* Add the row in t->row (its cells are taken over): buffered while the
 * columns are being sized, printed at once after that. */
static int table_add(struct table *t)
{
    for (size_t c = 0; c < t->ncols; c++) {
        if (!t->row[c]) {
            free_cells(t->row, t->ncols);
            return oom_error();
        }
    }
    if (t->sized) {
        int rc = table_line(t, (const char *const *)t->row, 0);
        free_cells(t->row, t->ncols);
        return rc;
    }
    memcpy(t->cells + t->nrows * t->ncols, t->row, t->ncols * sizeof *t->row);
    memset(t->row, 0, t->ncols * sizeof *t->row);
    if (++t->nrows == TABLE_SIZING_ROWS)
        return table_flush(t);
    return 0;
}

static char *pairs_cell(const cJSON *obj);

/* The JSON object text s as key=value pairs for a table cell (a new
 * string, or NULL when out of memory). */
static char *object_text_cell(const char *s)
{
    cJSON *obj = cJSON_Parse(s);
    char *cell = obj ? pairs_cell(obj) : display_copy(s);
    cJSON_Delete(obj);
    return cell;
}

/* The text of one value in a table cell: TIME in local time, DATE and TIME
 * in the language's date format, BOOL yes/no, an enum word of key in the
 * language, NULL empty, an OBJECT as key=value pairs.  A new string, or NULL
 * when out of memory. */
static char *table_cell(const char *key, enum bti_type type, const struct bti_value *v)
{
    char buf[NUM_BUF], date[NUM_BUF], words[512];
    const char *s = v->s;
    if (is_null(type, v)) {
        s = "";
    } else if (is_hidden_number(type, v)) {
        s = v->s;
    } else if (type == BTI_T_INT) {
        snprintf(buf, sizeof buf, "%lld", v->i);
        s = buf;
    } else if (type == BTI_T_REAL) {
        s = fmt_people(v->r, '.', buf);
    } else if (type == BTI_T_BOOL) {
        s = v->i ? _("yes") : _("no");
    } else if (type == BTI_T_TIME && local_time(v->s, buf)) {
        s = out_date(buf, date, sizeof date) ? date : buf;
    } else if (type == BTI_T_DATE) {
        s = out_date(v->s, date, sizeof date) ? date : v->s;
    } else if (type == BTI_T_TEXT || type == BTI_T_LIST) {
        s = out_words(key, v->s, words, sizeof words);
    } else if (type == BTI_T_OBJECT) {
        return object_text_cell(v->s);
    }
    return display_copy(s);
}

/* Set up the table of a listing: its keys as headers, numbers right-aligned,
 * text columns the ones to shorten. */
static int list_table_init(struct out_list *l)
{
    int rc = table_init(&l->table, &l->opts, l->ncols);
    if (rc) {
        table_free(&l->table);
        return rc;
    }
    for (size_t i = 0; i < l->ncols; i++) {
        l->table.keys[i] = l->cols[i].key;
        l->table.right[i] = l->cols[i].type == BTI_T_INT || l->cols[i].type == BTI_T_REAL;
        l->table.text[i] = l->cols[i].type == BTI_T_TEXT;
    }
    return 0;
}

/* Add one row of a listing to its table. */
static int table_row(struct out_list *l, const struct bti_row *row)
{
    for (size_t i = 0; i < l->ncols; i++)
        l->table.row[i] = table_cell(l->cols[i].key, l->cols[i].type, row_value(row, i));
    return table_add(&l->table);
}

/* ---- Listings ------------------------------------------------------------ */

/* Refuse html where it is not made: it is the page of a report with charts. */
static int html_refused(void)
{
    bti_error_set(BTI_EUSAGE, _("--format html is for report semiannual and person export"));
    return bti_error_set_hint(_("use --format table, json, csv, excel or xlsx"));
}

/* Start the document of an xlsx or html listing; 0, or the error. */
static int list_document_begin(struct out_list *l)
{
    if (l->opts.format == OUT_HTML && !l->opts.charts)
        return html_refused();
    if (l->opts.format == OUT_HTML) {
        l->html = html_begin(&l->opts, l->cols, l->ncols);
        return l->html ? 0 : bti_error_code();
    }
    l->xlsx = xlsx_begin(&l->opts);
    if (!l->xlsx)
        return bti_error_code();
    return xlsx_list_begin(l->xlsx, l->opts.title ? l->opts.title : "bti", l->cols, l->ncols);
}

/* Finish an xlsx or html listing: its charts, and the document written. */
static int list_document_end(struct out_list *l)
{
    int rc = 0;
    if (l->opts.format == OUT_HTML)
        return html_end(l->html);
    if (l->opts.charts)
        rc = xlsx_charts(l->xlsx, l->opts.charts);
    int end = xlsx_end(l->xlsx, l->opts.fp, rc != 0);
    return rc ? rc : end;
}

/* Start a listing; cols (not copied) must live until out_list_end. */
struct out_list *out_list_begin(const struct out_opts *opts, const struct bti_col *cols,
                                size_t ncols)
{
    struct out_list *l = calloc(1, sizeof *l);
    if (!l) {
        oom_error();
        return NULL;
    }
    l->opts = *opts;
    l->cols = cols;
    l->ncols = ncols;
    l->dialect = opts->format == OUT_EXCEL ? &dialect_excel : &dialect_csv;
    if (opts->format == OUT_TABLE && list_table_init(l) != 0) {
        free(l);
        return NULL;
    }
    if ((opts->format == OUT_XLSX || opts->format == OUT_HTML) && list_document_begin(l) != 0) {
        xlsx_end(l->xlsx, NULL, 1);
        html_end(l->html);
        free(l);
        return NULL;
    }
    return l;
}

/* Write one row in the listing's format (a table may buffer it). */
int out_list_row(const struct bti_row *row, void *list)
{
    struct out_list *l = list;
    int rc;
    if (l->opts.format == OUT_TABLE)
        rc = table_row(l, row);
    else if (l->opts.format == OUT_JSON)
        rc = json_row(l, row);
    else if (l->opts.format == OUT_XLSX)
        rc = xlsx_list_row(l->xlsx, l->cols, row);
    else if (l->opts.format == OUT_HTML)
        rc = html_list_row(l->html, row);
    else
        rc = csv_row(l, row);
    l->nrows++;
    return rc;
}

/* Finish the listing, flush the stream and free the listing. */
int out_list_end(struct out_list *l)
{
    int rc;
    if (!l)
        return 0;
    if (l->opts.format == OUT_TABLE)
        rc = table_flush(&l->table);
    else if (l->opts.format == OUT_JSON)
        rc = json_end(l);
    else if (l->opts.format == OUT_XLSX || l->opts.format == OUT_HTML)
        rc = list_document_end(l);
    else
        rc = csv_start(l);
    if (!rc)
        rc = flush_fp(l->opts.fp);
    if (l->opts.format == OUT_TABLE)
        table_free(&l->table);
    free(l);
    return rc;
}

/* ---- Objects (show) ------------------------------------------------------ */

/* The key of a member ("" for an array element). */
static const char *key_of(const cJSON *item)
{
    return item->string ? item->string : "";
}

/* Non-zero when item is a string, number, boolean or null. */
static int is_scalar(const cJSON *item)
{
    return !cJSON_IsArray(item) && !cJSON_IsObject(item);
}

/* Non-zero when arr is an array holding at least one object. */
static int has_object(const cJSON *arr)
{
    for (const cJSON *e = arr->child; e; e = e->next)
        if (cJSON_IsObject(e))
            return 1;
    return 0;
}

/* Non-zero when item is shown as a titled section: an object, or an array
 * that is empty or holds only objects. */
static int is_section(const cJSON *item)
{
    if (cJSON_IsObject(item))
        return 1;
    if (!cJSON_IsArray(item))
        return 0;
    for (const cJSON *e = item->child; e; e = e->next)
        if (!cJSON_IsObject(e))
            return 0;
    return 1;
}

static char *object_cell(const cJSON *item, const char *key);

/* The elements of arr as one cell joined by sep (a new string, or NULL);
 * its elements are words of arr's key ("requests": coordinator, ip). */
static char *joined_cell(const cJSON *arr, const char *sep)
{
    struct buf b = {0};
    for (const cJSON *e = arr->child; e; e = e->next) {
        char *s = object_cell(e, key_of(arr));
        if (!s) {
            free(b.p);
            return NULL;
        }
        if (e != arr->child)
            buf_str(&b, sep);
        buf_str(&b, s);
        free(s);
    }
    return buf_take(&b);
}

/* The members of obj as "key=value" pairs, nulls left out, for a table
 * cell: a decision's appeal reads "id=1 received=2026-02-10
 * result=upheld" (a new string, or NULL). */
static char *pairs_cell(const cJSON *obj)
{
    struct buf b = {0};
    const cJSON *m;
    cJSON_ArrayForEach(m, obj)
    {
        if (cJSON_IsNull(m))
            continue;
        char *v = object_cell(m, key_of(m));
        if (!v) {
            free(b.p);
            return NULL;
        }
        if (b.len)
            buf_str(&b, " ");
        buf_str(&b, key_of(m));
        buf_str(&b, "=");
        buf_str(&b, v);
        free(v);
    }
    return buf_take(&b);
}

/* The text of a JSON value in a table: timestamps in local time, integral
 * numbers as integers, yes/no, null empty, an array of scalars comma-joined,
 * an object as key=value pairs and an array of objects as those joined by
 * "; "; enum words of key in the reader's language.  A new string, or NULL
 * when out of memory. */
static char *object_cell(const cJSON *item, const char *key)
{
    char buf[NUM_BUF], date[NUM_BUF];
    const char *s = "";
    if (!item || cJSON_IsNull(item))
        s = "";
    else if (cJSON_IsString(item))
        s = local_time(item->valuestring, buf) ? buf : out_value(key, item->valuestring);
    else if (cJSON_IsNumber(item))
        s = fmt_number(item->valuedouble, &dialect_table, buf);
    else if (cJSON_IsBool(item))
        s = cJSON_IsTrue(item) ? _("yes") : _("no");
    else if (cJSON_IsArray(item))
        return joined_cell(item, has_object(item) ? "; " : ", ");
    else
        return pairs_cell(item);
    if (cJSON_IsString(item) && out_date(s, date, sizeof date))
        s = date;
    return display_copy(s);
}

/* Print one "key: value" line after `indent`, the value at column kw + 2. */
static int key_line(FILE *fp, const char *indent, size_t kw, const cJSON *m)
{
    struct buf b = {0};
    char *v = object_cell(m, key_of(m));
    if (!v)
        return oom_error();
    buf_str(&b, indent);
    buf_str(&b, out_header(key_of(m)));
    buf_str(&b, ":");
    buf_pad(&b, kw - bti_text_width(out_header(key_of(m))) + 1);
    buf_str(&b, v);
    free(v);
    return buf_line(fp, &b, 0);
}

/* Print the members of obj that are not sections (every member when `all`)
 * as "key: value" lines with the values aligned.  *printed counts them. */
static int object_lines(FILE *fp, const cJSON *obj, const char *indent, int all, size_t *printed)
{
    size_t kw = 0;
    const cJSON *m;
    cJSON_ArrayForEach(m, obj)
    {
        if ((all || !is_section(m)) && bti_text_width(out_header(key_of(m))) > kw)
            kw = bti_text_width(out_header(key_of(m)));
    }
    cJSON_ArrayForEach(m, obj)
    {
        if (!all && is_section(m))
            continue;
        int rc = key_line(fp, indent, kw, m);
        if (rc)
            return rc;
        (*printed)++;
    }
    return 0;
}

/* The keys of the objects in arr, each once, in first-seen order: a new
 * array (its strings belong to arr) with *n keys, or NULL. */
static const char **union_keys(const cJSON *arr, size_t *n)
{
    size_t cap = 1;
    const cJSON *e, *m;
    cJSON_ArrayForEach(e, arr)
    {
        cap += (size_t)cJSON_GetArraySize(e);
    }
    const char **keys = calloc(cap, sizeof *keys);
    *n = 0;
    if (!keys)
        return NULL;
    cJSON_ArrayForEach(e, arr)
    {
        cJSON_ArrayForEach(m, e)
        {
            size_t k = 0;
            while (k < *n && strcmp(keys[k], key_of(m)) != 0)
                k++;
            if (k == *n)
                keys[(*n)++] = key_of(m);
        }
    }
    return keys;
}

/* Non-zero when column `key` of arr holds numbers and nothing else but nulls. */
static int numeric_column(const cJSON *arr, const char *key)
{
    int numbers = 0;
    const cJSON *e;
    cJSON_ArrayForEach(e, arr)
    {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(e, key);
        if (cJSON_IsNumber(v))
            numbers = 1;
        else if (v && !cJSON_IsNull(v))
            return 0;
    }
    return numbers;
}

/* Fill and print the table t with one row per object of arr. */
static int sub_table_rows(struct table *t, const cJSON *arr)
{
    const cJSON *e;
    for (size_t c = 0; c < t->ncols; c++) {
        t->right[c] = (unsigned char)numeric_column(arr, t->keys[c]);
        t->text[c] = !t->right[c];
    }
    cJSON_ArrayForEach(e, arr)
    {
        for (size_t c = 0; c < t->ncols; c++)
            t->row[c] = object_cell(cJSON_GetObjectItemCaseSensitive(e, t->keys[c]), t->keys[c]);
        int rc = table_add(t);
        if (rc)
            return rc;
    }
    return table_flush(t);
}

/* Print an array of objects as a table whose columns are the union of their
 * keys; "(none)" when it is empty. */
static int sub_table(const struct out_opts *opts, const cJSON *arr)
{
    struct table t;
    size_t ncols;
    const char **keys = union_keys(arr, &ncols);
    if (!keys)
        return oom_error();
    if (ncols == 0) {
        free(keys);
        return line_write(opts->fp, _("(none)"), strlen(_("(none)")), 0);
    }
    int rc = table_init(&t, opts, ncols);
    if (!rc) {
        memcpy(t.keys, keys, ncols * sizeof *keys);
        rc = sub_table_rows(&t, arr);
    }
    table_free(&t);
    free(keys);
    return rc;
}

/* Print each section of obj: a blank line (unless nothing came before), the
 * key as a title, then the sub-table or the object's own lines, indented. */
static int object_sections(const struct out_opts *opts, const cJSON *obj, size_t printed)
{
    FILE *fp = opts->fp;
    const cJSON *m;
    cJSON_ArrayForEach(m, obj)
    {
        if (!is_section(m))
            continue;
        if (printed++ > 0)
            putc('\n', fp);
        const char *title = out_header(key_of(m));
        int rc = line_write(fp, title, strlen(title), opts->color);
        if (!rc && cJSON_IsArray(m))
            rc = sub_table(opts, m);
        else if (!rc)
            rc = object_lines(fp, m, "  ", 1, &printed);
        if (rc)
            return rc;
    }
    return 0;
}

/* Print obj for a person: its scalar lines, then its sections. */
static int object_table(const struct out_opts *opts, const cJSON *obj)
{
    size_t printed = 0;
    int rc = object_lines(opts->fp, obj, "", 0, &printed);
    if (rc)
        return rc;
    return object_sections(opts, obj, printed);
}

/* Print obj as one line of compact JSON. */
static int object_json(FILE *fp, const cJSON *obj)
{
    char *s = cJSON_PrintUnformatted(obj);
    if (!s)
        return oom_error();
    fputs(s, fp);
    putc('\n', fp);
    cJSON_free(s);
    return check_fp(fp);
}

/* Non-zero when m fits one CSV cell: a scalar, or an array of strings
 * (a list, which the cell joins with commas). */
static int fits_cell(const cJSON *m)
{
    if (is_scalar(m))
        return 1;
    if (!cJSON_IsArray(m))
        return 0;
    for (const cJSON *e = m->child; e; e = e->next)
        if (!cJSON_IsString(e))
            return 0;
    return 1;
}

/* Write the strings of the array m joined by commas as one CSV cell. */
static void csv_list(FILE *fp, const struct dialect *d, int raw, const cJSON *m)
{
    struct buf b = {0};
    for (const cJSON *e = m->child; e; e = e->next) {
        if (e != m->child)
            buf_str(&b, ",");
        buf_str(&b, e->valuestring);
    }
    char *s = buf_take(&b);
    if (s)
        csv_text(fp, d, s, raw);
    free(s);
}

/* Write member m's value as a CSV cell: numbers as numbers, a "nin" spaced
 * in the excel dialect, other strings as text cells, a list joined by
 * commas. */
static void csv_member(FILE *fp, const struct dialect *d, int raw, const cJSON *m)
{
    char buf[NUM_BUF];
    if (cJSON_IsArray(m))
        csv_list(fp, d, raw, m);
    else if (cJSON_IsNumber(m))
        fputs(fmt_number(m->valuedouble, d, buf), fp);
    else if (cJSON_IsBool(m))
        fputs(cJSON_IsTrue(m) ? "true" : "false", fp);
    else if (cJSON_IsString(m) && d->spaced_nin && strcmp(key_of(m), "nin") == 0)
        csv_text(fp, d, nin_spaced(m->valuestring, buf), raw);
    else if (cJSON_IsString(m))
        csv_text(fp, d, m->valuestring, raw);
}

/* Write a flat obj as a header and one row; BTI_EUSAGE when it holds an
 * object or an array of anything but strings. */
static int object_csv(FILE *fp, const struct dialect *d, int raw, const cJSON *obj)
{
    const cJSON *m;
    cJSON_ArrayForEach(m, obj)
    {
        if (!fits_cell(m)) {
            bti_error_set(BTI_EUSAGE, _("this output does not fit one CSV table"));
            return bti_error_set_hint(_("use --json"));
        }
    }
    if (d->bom)
        fputs(utf8_bom, fp);
    for (int pass = 0; pass < 2; pass++) {
        cJSON_ArrayForEach(m, obj)
        {
            if (m != obj->child)
                putc(d->sep, fp);
            if (pass == 0)
                csv_text(fp, d, key_of(m), raw);
            else
                csv_member(fp, d, raw, m);
        }
        fputs(d->eol, fp);
    }
    return check_fp(fp);
}

/* Write obj as a workbook: its sheets, and a report's charts. */
static int object_xlsx(const struct out_opts *opts, const cJSON *obj)
{
    struct xlsx *x = xlsx_begin(opts);
    if (!x)
        return bti_error_code();
    int rc = xlsx_object(x, obj);
    if (rc == 0 && opts->charts)
        rc = xlsx_charts(x, opts->charts);
    int end = xlsx_end(x, opts->fp, rc != 0);
    return rc ? rc : end;
}

/* Write one object (a `show`) in the chosen format, and flush. */
int out_object(const struct out_opts *opts, const cJSON *obj)
{
    int rc;
    if (opts->format == OUT_JSON)
        rc = object_json(opts->fp, obj);
    else if (opts->format == OUT_TABLE)
        rc = object_table(opts, obj);
    else if (opts->format == OUT_XLSX)
        rc = object_xlsx(opts, obj);
    else if (opts->format == OUT_HTML && opts->title && !opts->from)
        rc = out_object_html(opts->fp, obj, opts->title);
    else if (opts->format == OUT_HTML)
        rc = html_refused();
    else
        rc = object_csv(opts->fp, opts->format == OUT_EXCEL ? &dialect_excel : &dialect_csv,
                        opts->raw, obj);
    return rc ? rc : flush_fp(opts->fp);
}

size_t out_terminal_width(int fd)
{
    struct winsize ws;
    const char *env = getenv("COLUMNS");
    char *end;
    if (!isatty(fd))
        return 0;
    long cols = env ? strtol(env, &end, 10) : 0;
    if (env && end != env && *end == '\0' && cols > 0)
        return (size_t)cols;
    return ioctl(fd, TIOCGWINSZ, &ws) == 0 ? ws.ws_col : 0;
}

/* Parse a --format value. */
int out_format_parse(enum out_format *out, const char *s)
{
    static const struct {
        const char *name;
        enum out_format format;
    } names[] = {
        {"table", OUT_TABLE}, {"json", OUT_JSON}, {"csv", OUT_CSV},
        {"excel", OUT_EXCEL}, {"xlsx", OUT_XLSX}, {"html", OUT_HTML},
    };
    for (size_t i = 0; s && i < sizeof names / sizeof names[0]; i++) {
        if (strcmp(s, names[i].name) == 0) {
            *out = names[i].format;
            return 0;
        }
    }
    return bti_error_set(BTI_EINVAL,
                         _("invalid value for --format: expected table, json, csv, excel, xlsx or "
                           "html"));
}
