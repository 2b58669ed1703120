/*
 * markdown: comments and notes are written in CommonMark and rendered by
 * cmark with raw HTML off: HTML in the source is dropped, and links to
 * javascript:, vbscript:, file: and non-image data: URLs are emptied.
 */
#ifndef HD_MARKDOWN_H
#define HD_MARKDOWN_H

/* The HTML for src (caller frees). Safe to print with {{raw}}. */
char	*markdown_html(const char *src);

#endif
