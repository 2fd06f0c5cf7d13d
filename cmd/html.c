/*
 * The gathering's page: one self-contained html file with inline CSS, the
 * charts as inline SVG from bti's own writer, and the figures in plain
 * tables.  Nothing in it loads anything.
 */
#include <stdlib.h>
#include <string.h>
#include "base/intl.h"
#include "bti/error.h"
#include "html.h"
#include "svg.h"

struct html {
    FILE *fp;
    const struct bti_col *cols;
    size_t ncols;
    int sections;      /* a long-form report: a table per section */
    char section[128]; /* the section whose table is open */
    int open;          /* a table is open */
};

static const char style[] =
    "@page{size:A4;margin:15mm}"
    "body{font-family:sans-serif;color:#222;max-width:180mm;margin:0 auto;font-size:11pt}"
    "h1{font-size:18pt;margin-bottom:2pt}h2{font-size:13pt;margin:14pt 0 4pt}"
    ".meta{color:#555;margin-top:0}"
    ".charts{display:flex;flex-wrap:wrap;gap:6mm}"
    "figure{margin:0;break-inside:avoid;page-break-inside:avoid}"
    "table{border-collapse:collapse;break-inside:avoid;page-break-inside:avoid}"
    "th,td{border-bottom:1px solid #ccc;padding:2pt 8pt;text-align:left}"
    "td.n{text-align:right;font-variant-numeric:tabular-nums}";

/* Write s as html text. */
static void text(FILE *fp, const char *s)
{
    svg_escape(fp, s);
}

/* Write the label of a dotted key: each part's label, joined by spaces. */
static void dotted_label(FILE *fp, const char *key)
{
    char part[128], buf[128];
    while (*key) {
        size_t n = strcspn(key, ".");
        snprintf(part, sizeof part, "%.*s", (int)n, key);
        text(fp, out_label(part, buf, sizeof buf));
        key += n;
        if (*key == '.') {
            key++;
            putc(' ', fp);
        }
    }
}

/* The page's head, title, period and date made. */
static void heading(FILE *fp, const struct out_opts *o)
{
    const char *title = o->title ? o->title : "bti";
    /* TRANSLATORS: the language code of the html page (nb) */
    fprintf(fp, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n<title>",
            _("en"));
    text(fp, title);
    fprintf(fp, "</title>\n<style>%s</style>\n</head>\n<body>\n<h1>", style);
    text(fp, title);
    fputs("</h1>\n<p class=\"meta\">", fp);
    if (o->from)
        fprintf(fp, _("Period %s \xE2\x80\x93 %s"), o->from, o->to);
    if (o->made)
        fprintf(fp, _("%sMade %s"), o->from ? " \xC2\xB7 " : "", o->made);
    fputs("</p>\n", fp);
}

/* Each chart as a figure of inline SVG. */
static void charts(FILE *fp, const cJSON *charts)
{
    const cJSON *c;
    fputs("<section class=\"charts\">\n", fp);
    cJSON_ArrayForEach(c, charts)
    {
        const char *title = cJSON_GetStringValue(cJSON_GetObjectItem(c, "title"));
        fputs("<figure>\n", fp);
        svg_bar_chart(fp, title ? title : "", cJSON_GetObjectItem(c, "data"), out_label);
        fputs("</figure>\n", fp);
    }
    fputs("</section>\n", fp);
}

/* Open a table with a header of the columns from `first` on. */
static void table_open(struct html *h, size_t first)
{
    char buf[128];
    fputs("<table>\n<tr>", h->fp);
    for (size_t c = first; c < h->ncols; c++) {
        fputs("<th>", h->fp);
        text(h->fp, out_label(h->cols[c].key, buf, sizeof buf));
        fputs("</th>", h->fp);
    }
    fputs("</tr>\n", h->fp);
    h->open = 1;
}

/* Close the open table. */
static void table_close(struct html *h)
{
    if (h->open)
        fputs("</table>\n", h->fp);
    h->open = 0;
}

struct html *html_begin(const struct out_opts *opts, const struct bti_col *cols, size_t ncols)
{
    struct html *h = calloc(1, sizeof *h);
    if (!h) {
        bti_error_set(BTI_EDB, _("out of memory"));
        return NULL;
    }
    h->fp = opts->fp;
    h->cols = cols;
    h->ncols = ncols;
    h->sections = ncols > 1 && strcmp(cols[0].key, "section") == 0;
    heading(h->fp, opts);
    if (opts->charts)
        charts(h->fp, opts->charts);
    return h;
}

/* Write one value as a table cell: numbers right-aligned, for people. */
static void cell(FILE *fp, const char *key, enum bti_type type, const struct bti_value *v,
                 int metric)
{
    char num[32], words[512];
    int number = type == BTI_T_INT || type == BTI_T_REAL; /* "<5" too */
    fputs(number ? "<td class=\"n\">" : "<td>", fp);
    if (v->null)
        ;
    else if (type == BTI_T_INT && !v->s)
        fprintf(fp, "%lld", v->i);
    else if (type == BTI_T_REAL && !v->s)
        fputs(out_people_number(v->r, num), fp);
    else if (type == BTI_T_BOOL)
        fputs(v->i ? _("yes") : _("no"), fp);
    else if (metric)
        dotted_label(fp, v->s);
    else if (v->s)
        text(fp, out_words(key, v->s, words, sizeof words));
    fputs("</td>", fp);
}

int html_list_row(struct html *h, const struct bti_row *row)
{
    size_t first = h->sections ? 1 : 0;
    const char *section = h->sections && row->vals[0].s ? row->vals[0].s : "";
    if (h->sections && (!h->open || strcmp(section, h->section) != 0)) {
        table_close(h);
        fputs("<h2>", h->fp);
        dotted_label(h->fp, section);
        fputs("</h2>\n", h->fp);
        snprintf(h->section, sizeof h->section, "%s", section);
    }
    if (!h->open)
        table_open(h, first);
    fputs("<tr>", h->fp);
    for (size_t c = first; c < h->ncols && c < row->ncols; c++)
        cell(h->fp, h->cols[c].key, h->cols[c].type, &row->vals[c], h->sections && c == 1);
    fputs("</tr>\n", h->fp);
    return ferror(h->fp) ? bti_error_set(BTI_EDB, _("cannot write output")) : 0;
}

int html_end(struct html *h)
{
    if (!h)
        return 0;
    table_close(h);
    fputs("</body>\n</html>\n", h->fp);
    int rc = ferror(h->fp) ? bti_error_set(BTI_EDB, _("cannot write output")) : 0;
    free(h);
    return rc;
}
