/*
 * escape: text made safe for where it goes, appended to a buf. Pure
 * functions of their input, used by every layer that writes HTML or URLs
 * (templates, rendered Markdown, links the model hands to pages).
 */
#ifndef HD_ESCAPE_H
#define HD_ESCAPE_H

#include <stddef.h>

#include "buf.h"

/* HTML-escapes len bytes of s (& < > " ') onto out: safe in text and in
 * quoted attributes alike. */
void	html_escape(struct buf *out, const char *s, size_t len);

/* Percent-encodes s for a URL query value or path segment: everything but
 * ASCII letters, digits and - . _ ~ / becomes %XX. */
void	url_escape(struct buf *out, const char *s);

#endif
