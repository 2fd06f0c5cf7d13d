/*
 * The SVG writer: primitives and the bar chart of the gathering's page.
 */
#include <string.h>
#include "output.h"
#include "svg.h"

/* The chart's size and the room around its plot, in pixels. */
enum { WIDTH = 320, HEIGHT = 240, LEFT = 36, RIGHT = 8, TOP = 46, BOTTOM = 62 };

/* The series' colours, in order (repeated past the last). */
static const char *const colours[] = {"#4e79a7", "#f28e2b", "#59a14f", "#e15759"};
#define NCOLOURS (sizeof colours / sizeof colours[0])

/* Most series a chart draws. */
#define MAX_SERIES 8

void svg_escape(FILE *fp, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&': fputs("&amp;", fp); break;
        case '<': fputs("&lt;", fp); break;
        case '>': fputs("&gt;", fp); break;
        case '"': fputs("&quot;", fp); break;
        case '\'': fputs("&#39;", fp); break;
        default: putc(*s, fp);
        }
    }
}

/* A line from (x1, y1) to (x2, y2). */
static void svg_line(FILE *fp, double x1, double y1, double x2, double y2, const char *colour)
{
    fprintf(fp, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>\n", x1, y1,
            x2, y2, colour);
}

/* A filled rectangle. */
static void svg_rect(FILE *fp, double x, double y, double w, double h, const char *fill)
{
    fprintf(fp, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>\n", x, y,
            w, h, fill);
}

/* Text at (x, y): anchor start, middle or end; rotated by `angle` degrees
 * around its anchor when not 0. */
static void svg_text(FILE *fp, double x, double y, const char *anchor, int size, int angle,
                     const char *s)
{
    fprintf(fp, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"%d\"", x, y, anchor,
            size);
    if (angle)
        fprintf(fp, " transform=\"rotate(%d %.1f %.1f)\"", angle, x, y);
    fputs(">", fp);
    svg_escape(fp, s);
    fputs("</text>\n", fp);
}

/* The series of data: the inner keys of its first object member, or one
 * unnamed series (NULL) when its members are plain values. */
static size_t series_of(const cJSON *data, const char **names)
{
    const cJSON *m, *s;
    size_t n = 0;
    cJSON_ArrayForEach(m, data)
    {
        if (!cJSON_IsObject(m))
            continue;
        cJSON_ArrayForEach(s, m) if (n < MAX_SERIES) names[n++] = s->string;
        return n;
    }
    names[0] = NULL;
    return 1;
}

/* The value of series `name` of category m (m itself when NULL). */
static const cJSON *value_of(const cJSON *m, const char *name)
{
    return name ? cJSON_GetObjectItem(m, name) : m;
}

/* The largest number in data, at least 1. */
static double largest(const cJSON *data, const char **names, size_t ns)
{
    double max = 1;
    const cJSON *m;
    cJSON_ArrayForEach(m, data)
    {
        for (size_t s = 0; s < ns; s++) {
            const cJSON *v = value_of(m, names[s]);
            if (cJSON_IsNumber(v) && v->valuedouble > max)
                max = v->valuedouble;
        }
    }
    return max;
}

/* The value axis: a step of 1, 2 or 5 times a power of ten giving at most
 * five ticks, and its top; lines and numbers at each tick. */
static double value_axis(FILE *fp, double max, double plot_h)
{
    static const double factors[] = {2, 2.5, 2}; /* 1, 2, 5, 10, 20, 50, ... */
    double step = 1, top = 0;
    for (size_t i = 0; max / step > 5; i++)
        step *= factors[i % 3];
    while (top < max)
        top += step;
    for (double v = 0; v <= top + step / 2; v += step) {
        char num[32];
        double y = TOP + plot_h - v / top * plot_h;
        snprintf(num, sizeof num, "%g", v);
        svg_line(fp, LEFT, y, WIDTH - RIGHT, y, v == 0 ? "#333" : "#ddd");
        svg_text(fp, LEFT - 4, y + 4, "end", 10, 0, num);
    }
    svg_line(fp, LEFT, TOP, LEFT, TOP + plot_h, "#333");
    return top;
}

/* One bar with its value above it; no bar for a hidden value ("<5"). */
static void bar(FILE *fp, double x, double w, const cJSON *v, double top, double plot_h,
                const char *colour)
{
    char num[32];
    const char *text = cJSON_GetStringValue(v);
    double h = 0;
    if (cJSON_IsNumber(v)) {
        h = v->valuedouble / top * plot_h;
        out_people_number(v->valuedouble, num);
        text = num;
        svg_rect(fp, x, TOP + plot_h - h, w, h, colour);
    }
    if (text)
        svg_text(fp, x + w / 2, TOP + plot_h - h - 3, "middle", 9, 0, text);
}

/* The legend of several series, along the top. */
static void legend(FILE *fp, const char **names, size_t ns,
                   const char *(*label)(const char *, char *, size_t))
{
    char buf[128];
    double x = LEFT;
    for (size_t s = 0; ns > 1 && s < ns; s++) {
        const char *text = label(names[s], buf, sizeof buf);
        svg_rect(fp, x, 22, 9, 9, colours[s % NCOLOURS]);
        svg_text(fp, x + 12, 30, "start", 10, 0, text);
        x += 20 + 6 * (double)strlen(text);
    }
}

void svg_bar_chart(FILE *fp, const char *title, const cJSON *data,
                   const char *(*label)(const char *, char *, size_t))
{
    const char *names[MAX_SERIES];
    char buf[128];
    const cJSON *m;
    size_t ns = series_of(data, names), ncat = (size_t)cJSON_GetArraySize(data);
    double plot_h = HEIGHT - TOP - BOTTOM, plot_w = WIDTH - LEFT - RIGHT;
    fprintf(fp,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" width=\"%d\" "
            "height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" font-family=\"sans-serif\">\n",
            WIDTH, HEIGHT, WIDTH, HEIGHT);
    fputs("<title>", fp);
    svg_escape(fp, title);
    fputs("</title>\n", fp);
    svg_text(fp, 4, 14, "start", 12, 0, title);
    legend(fp, names, ns, label);
    double top = value_axis(fp, largest(data, names, ns), plot_h);
    double slot = ncat ? plot_w / (double)ncat : plot_w, bar_w = slot * 0.7 / (double)ns;
    size_t i = 0;
    cJSON_ArrayForEach(m, data)
    {
        double x0 = LEFT + slot * (double)i++ + slot * 0.15;
        for (size_t s = 0; s < ns; s++)
            bar(fp, x0 + bar_w * (double)s, bar_w, value_of(m, names[s]), top, plot_h,
                colours[s % NCOLOURS]);
        svg_text(fp, x0 + slot * 0.35, TOP + plot_h + 12, "end", 10, -30,
                 label(m->string, buf, sizeof buf));
    }
    fputs("</svg>\n", fp);
}
