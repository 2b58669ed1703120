/*
 * htmlsan: HTML from outside (a mail's HTML part) made safe to show in
 * our pages, by an allow-list over libxml2's HTML parser: only the
 * elements and attributes of plain formatted text survive (p, br, div,
 * span, b, strong, i, em, u, s, a, ul, ol, li, blockquote, pre, code,
 * h1-h6, table, thead, tbody, tr, th, td, hr, img with a cid: source
 * only...); script, style, head, forms, iframes, objects, event
 * attributes, style attributes, and any link but http:, https: and
 * mailto: are dropped (their text kept where it is text). No remote
 * images: an <img> keeps only its alt text unless its src is cid:.
 * Links get rel="nofollow noopener noreferrer".
 *
 * Pure code: no database, no configuration; a fuzz target.
 */
#ifndef HD_HTMLSAN_H
#define HD_HTMLSAN_H

#include <stddef.h>

/* The sanitised HTML of len bytes of UTF-8 (malloc'd, never NULL; "" for
 * nothing left). */
char	*html_sanitise(const char *html, size_t len);

/* The text a person reads in len bytes of HTML: blocks and <br> become
 * line breaks, links keep their address in brackets. malloc'd. */
char	*html_to_text(const char *html, size_t len);

#endif
