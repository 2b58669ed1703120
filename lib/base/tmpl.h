/*
 * tmpl: HTML templates from html/NAME.html and html/DIR/NAME.html, all
 * compiled and linked together at start-up and rendered against a json-c
 * object.
 *
 *   {{name}} {{a.b}}         the value, HTML-escaped (text and quoted
 *                            attributes alike: & < > " ' are escaped)
 *   {{url name}}             the value percent-encoded for one path
 *                            segment or query value (all but A-Z a-z 0-9
 *                            - . _ ~), for a value placed inside a URL
 *   {{raw name}}             the value unescaped: the one greppable way
 *   {{time name}}            a UTC time ("2026-11-30 15:28:37") in the
 *                            viewer's zone (timefmt.h): on a page,
 *                            <time datetime=ISO title="absolute, zone">
 *                            "3 hours ago" under a week, else the
 *                            absolute time</time>; in html/mail/ the
 *                            absolute time with the zone's name
 *   {{date name}}            the same, showing the day alone
 *   {{#if x}}..{{else}}..{{/if}}
 *   {{#eq x "lit"}}..{{else}}..{{/eq}}  string equality with a literal
 *   {{#each list}}..{{else}}..{{/each}}  the body once per element, with
 *                            the element's keys in scope
 *   {{> partial}}            includes html/partial.html, same scope
 *   {{extends layout}}       first tag of a page: the page is rendered
 *                            where html/layout.html says {{yield}}; a
 *                            layout extends nothing
 *
 * html/mail/NAME.txt is a text template, named "mail/NAME.txt" (mail's
 * text/plain part): the same language, but {{x}} is the value as it is,
 * since plain text has nothing to escape.
 *
 * The engine is in lib/base, below the domain, so that the model renders
 * the mail it enqueues in its own transaction (docs/decisions.md, "Mail
 * (issue 9)").
 *
 * Lookups search the innermost scope first ({{#each}} pushes one) and
 * then outwards; a dotted name then follows object keys. Truthy: not
 * null, not false, not "", not 0, not []. "raw", "url", "else", "yield"
 * and "extends" are not names ("time" and "date" are, alone).
 */
#ifndef HD_TMPL_H
#define HD_TMPL_H

#include <json-c/json.h>

#include "buf.h"
#include "escape.h"	/* html_escape, url_segment */

struct tmpl;

/*
 * Compiles every template under dir (html/static/ is served as files,
 * and skipped) and links each partial and layout to the template it
 * names. Returns 0, or -1 with "FILE:LINE: why" in err: a syntax error,
 * a missing partial or layout, partials in a loop. On failure what was
 * loaded before stays. Once per process, before the sandbox closes the
 * disk; templates are never read again.
 */
int	tmpl_load(const char *dir, char *err, size_t errsz);

/*
 * The loaded template "name" (html/name.html) in the current language
 * (i18n_lang(); tmpl_load compiles one set per catalogue i18n_load
 * read, each unit of the source replaced by its translation: tunits.h),
 * or NULL (logged).
 */
const struct tmpl *tmpl_get(const char *name);

/*
 * Calls fn with every translatable unit (tunits.h) of every template
 * tmpl_load would load from dir, where it is ("html/x.html") and its
 * line: what tools/tmplpot lists. 0, or -1 with why in err.
 */
typedef void (*tmpl_unit_fn)(void *arg, const char *where, int line,
	    const char *unit);
int	tmpl_units(const char *dir, tmpl_unit_fn fn, void *arg, char *err,
	    size_t errsz);

/*
 * Compiles from memory (unit tests, fuzzing), linked against what
 * tmpl_load loaded, and valid until the next tmpl_load; caller frees.
 * NULL with "NAME:LINE: why" in err when it does not compile.
 */
struct tmpl *tmpl_compile(const char *name, const char *src, size_t len,
	    char *err, size_t errsz);
void	tmpl_free(struct tmpl *);

/*
 * Appends the rendering to out. Returns 0, or -1 for a NULL template:
 * a compiled template has nothing left that can fail.
 */
int	tmpl_render(const struct tmpl *, struct json_object *ctx,
	    struct buf *out);

#endif
