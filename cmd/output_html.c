/*
 * The output layer's html page for one object (person export --format
 * html, issue 20): a readable, self-contained page to hand to a person,
 * with inline CSS, no script and no external resource, printable on A4.
 * Scalar members are a list of terms; an array of flat objects a table;
 * an object or an array of objects with parts of their own a section.
 */
#include <errno.h>
#include <string.h>
#include "bti/error.h"
#include "svg.h" /* svg_escape: the one escaper of the html and SVG writers */
#include "output.h"

static const char page_css[] =
    "body{font:11pt/1.4 sans-serif;margin:2em;max-width:60em;color:#111}"
    "h1{font-size:1.6em}h2{font-size:1.3em;border-bottom:1px solid #999;margin-top:1.6em}"
    "h3,h4,h5,h6{font-size:1.1em;margin-top:1.2em}"
    "dl{display:grid;grid-template-columns:max-content auto;gap:.1em 1em}dt{font-weight:bold}"
    "dd{margin:0}table{border-collapse:collapse;margin:.4em 0;font-size:.9em}"
    "th,td{border:1px solid #bbb;padding:.15em .4em;text-align:left;vertical-align:top;"
    "overflow-wrap:anywhere}"
    "th{background:#eee}section{margin-left:.6em}.none{color:#666}"
    "code{font-size:.85em;word-break:break-all}"
    "@page{size:A4;margin:15mm}";

/* Whether member m is an array holding an object. */
static int holds_objects(const cJSON *m)
{
    const cJSON *e;
    if (!cJSON_IsArray(m))
        return 0;
    cJSON_ArrayForEach(e, m)
    {
        if (cJSON_IsObject(e))
            return 1;
    }
    return 0;
}

/* Whether array arr is a table: objects none of whose members holds
 * objects in an array (an object member is a cell of compact JSON). */
static int is_table(const cJSON *arr)
{
    const cJSON *e, *m;
    cJSON_ArrayForEach(e, arr)
    {
        if (!cJSON_IsObject(e))
            return 0;
        cJSON_ArrayForEach(m, e)
        {
            if (holds_objects(m))
                return 0;
        }
    }
    return 1;
}

/* Whether member m is a part of its own (a section): an object, or an
 * array holding one. */
static int is_part(const cJSON *m)
{
    return cJSON_IsObject(m) || holds_objects(m);
}

/* Write a scalar (or an array of scalars, comma-joined; an object as
 * compact JSON) as text. */
static void html_value(FILE *fp, const cJSON *v)
{
    char num[32], *json;
    const cJSON *m;
    if (cJSON_IsObject(v) && (json = cJSON_PrintUnformatted(v)) != NULL) {
        fputs("<code>", fp);
        svg_escape(fp, json);
        fputs("</code>", fp);
        cJSON_free(json);
    } else if (cJSON_IsArray(v) && cJSON_GetArraySize(v) == 0)
        fprintf(fp, "<span class=\"none\">%s</span>", _("none"));
    else if (cJSON_IsString(v))
        svg_escape(fp, v->valuestring);
    else if (cJSON_IsNumber(v))
        snprintf(num, sizeof num, "%.15g", v->valuedouble), fputs(num, fp);
    else if (cJSON_IsBool(v))
        fputs(cJSON_IsTrue(v) ? _("yes") : _("no"), fp);
    else if (cJSON_IsArray(v))
        cJSON_ArrayForEach(m, v)
        {
            if (m != v->child)
                fputs(", ", fp);
            html_value(fp, m);
        }
    else
        fputs("<span class=\"none\">–</span>", fp);
}

/* Write an array of flat objects as one table, the first one's keys as columns. */
static void html_table(FILE *fp, const cJSON *arr)
{
    const cJSON *row, *m;
    fputs("<table><tr>", fp);
    cJSON_ArrayForEach(m, arr->child)
    {
        fputs("<th>", fp);
        svg_escape(fp, out_header(m->string));
        fputs("</th>", fp);
    }
    fputs("</tr>\n", fp);
    cJSON_ArrayForEach(row, arr)
    {
        fputs("<tr>", fp);
        cJSON_ArrayForEach(m, arr->child)
        {
            fputs("<td>", fp);
            html_value(fp, cJSON_GetObjectItemCaseSensitive(row, m->string));
            fputs("</td>", fp);
        }
        fputs("</tr>\n", fp);
    }
    fputs("</table>\n", fp);
}

static void html_member(FILE *fp, const char *title, const cJSON *v, int level);

/* Write an object: its scalars as a list of terms, then its parts. */
static void html_object(FILE *fp, const cJSON *obj, int level)
{
    const cJSON *m;
    int terms = 0;
    cJSON_ArrayForEach(m, obj)
    {
        if (is_part(m))
            continue;
        fputs(terms++ ? "<dt>" : "<dl><dt>", fp);
        svg_escape(fp, out_header(m->string));
        fputs("</dt><dd>", fp);
        html_value(fp, m);
        fputs("</dd>\n", fp);
    }
    if (terms)
        fputs("</dl>\n", fp);
    cJSON_ArrayForEach(m, obj)
    {
        if (is_part(m))
            html_member(fp, out_header(m->string), m, level);
    }
}

/* Write a part titled `title` at heading level `level`: an object, a table
 * of flat objects, or a section per object. */
static void html_member(FILE *fp, const char *title, const cJSON *v, int level)
{
    const cJSON *m;
    int h = level < 6 ? level : 6, i = 0;
    fprintf(fp, "<section><h%d>", h);
    svg_escape(fp, title);
    fprintf(fp, "</h%d>\n", h);
    if (cJSON_IsObject(v))
        html_object(fp, v, level + 1);
    else if (cJSON_GetArraySize(v) == 0)
        fprintf(fp, "<p class=\"none\">%s</p>\n", _("none"));
    else if (is_table(v))
        html_table(fp, v);
    else
        cJSON_ArrayForEach(m, v)
        {
            char sub[128];
            const cJSON *id = cJSON_GetObjectItemCaseSensitive(m, "id");
            snprintf(sub, sizeof sub, "%s: %d", title, cJSON_IsNumber(id) ? id->valueint : ++i);
            html_member(fp, sub, m, level + 1);
        }
    fputs("</section>\n", fp);
}

int out_object_html(FILE *fp, const cJSON *obj, const char *title)
{
    if (!title) {
        bti_error_set(BTI_EUSAGE, _("--format html is for report semiannual and person export"));
        return bti_error_set_hint(_("use --json"));
    }
    fprintf(fp, "<!DOCTYPE html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\"><title>",
            _("en"));
    svg_escape(fp, title);
    fprintf(fp, "</title><style>%s</style></head>\n<body><h1>", page_css);
    svg_escape(fp, title);
    fputs("</h1>\n", fp);
    html_object(fp, obj, 2);
    fputs("</body></html>\n", fp);
    if (ferror(fp))
        return bti_error_set(BTI_EDB, _("cannot write output: %s"), strerror(errno));
    return 0;
}
