/*
 * tunits: the translatable units of a template's source (issue 13,
 * docs/decisions.md "Languages"). One splitter serves both sides: the
 * loader replaces each unit with its translation before it compiles a
 * language's templates (tmpl.c), and tools/tmplpot lists every unit as a
 * .pot entry, so what is extracted is exactly what is looked up.
 *
 * In an HTML template a unit is a maximal run of text, with the inline
 * tags a, strong, em, b, i, small, code, span, abbr, kbd and br and value
 * tags {{x}} inside it, bounded by every other tag and by the block
 * directives ({{#..}}, {{else}}, {{/..}}, {{> ..}}, {{extends}},
 * {{yield}}); inline tags that open or close outside the run are left out
 * of it at either end. Also a unit: the value of the attributes
 * placeholder, title, aria-label, alt and data-label (which the
 * stylesheet shows) of a tag that is not inline, and
 * the value of an <input type="submit"> or "button". The unit is trimmed
 * and its white space runs made one space (that is what HTML shows). A run
 * with no ASCII letter outside tags, values and entities ("·", "{{n}}",
 * "&times;") is not a unit. Nothing inside <textarea>, <script>, <style>,
 * <pre> or a comment is.
 *
 * In a text template (html/mail/NAME.txt) a unit is a paragraph: lines
 * up to a blank line or a block directive, trimmed, line breaks kept.
 */
#ifndef HD_TUNITS_H
#define HD_TUNITS_H

#include <stddef.h>

#include "buf.h"

/*
 * Called with each unit (NUL-terminated) and the line it starts on;
 * returns what replaces it in the output, or NULL to keep the source.
 */
typedef const char *(*tunit_fn)(void *arg, const char *unit, int line);

/* Appends src to out with each unit replaced as fn says. */
void	tunits(const char *src, size_t len, int plain, tunit_fn fn, void *arg,
	    struct buf *out);

#endif
