/*
 * tmpl: HTML templates from html/NAME.html, compiled once per process and
 * rendered against a json-c object.
 *
 *   {{name}} {{a.b}}         the value, HTML-escaped (text and quoted
 *                            attributes alike: & < > " ' are escaped)
 *   {{raw name}}             the value unescaped: the one greppable way
 *   {{#if x}}..{{else}}..{{/if}}   {{#unless x}}..{{/unless}}
 *   {{#eq x "lit"}}..{{else}}..{{/eq}}  string equality with a literal
 *   {{#each list}}..{{else}}..{{/each}}  {{.}} the element, {{@index}}
 *   {{> partial}}            includes html/partial.html, same scope
 *   {{extends layout}}       first tag of a page: the page is rendered
 *                            where html/layout.html says {{yield}}
 *   {{! comment }}
 *
 * Lookups search the innermost scope first ({{#each}} pushes one) and
 * then outwards. Truthy: not null, not false, not "", not 0, not [].
 */
#ifndef HD_TMPL_H
#define HD_TMPL_H

#include <json-c/json.h>

#include "buf.h"
#include "escape.h"	/* html_escape */

struct tmpl;

/* Where templates live; set once at start-up. */
void	tmpl_set_dir(const char *dir);

/*
 * The compiled template "name" (html/name.html), compiled at first use
 * and cached for the life of the process. NULL when it does not exist
 * or does not compile; the reason is written to stderr.
 */
const struct tmpl *tmpl_get(const char *name);

/* Compiles from memory (unit tests, fuzzing); caller frees. */
struct tmpl *tmpl_compile(const char *name, const char *src, size_t len,
	    char *err, size_t errsz);
void	tmpl_free(struct tmpl *);

/* Appends the rendering to out. Returns 0, or -1 (a missing partial). */
int	tmpl_render(const struct tmpl *, struct json_object *ctx,
	    struct buf *out);

#endif
