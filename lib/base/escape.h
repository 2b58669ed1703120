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

/* Percent-encodes s for a URL path or query value that may hold "/"
 * (a local path passed on as next=): everything but ASCII letters,
 * digits and - . _ ~ / becomes %XX. */
void	url_escape(struct buf *out, const char *s);

/* Percent-encodes len bytes of s as one path segment or query value:
 * everything but RFC 3986's unreserved A-Z a-z 0-9 - . _ ~ becomes %XX,
 * "/" too. Nothing HTML must escape is left ({{url x}}, mail links). */
void	url_segment(struct buf *out, const char *s, size_t len);

#endif
