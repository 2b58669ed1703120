#include <stdlib.h>
#include <string.h>

#include <cmark.h>

#include "markdown.h"
#include "util.h"

char *
markdown_html(const char *src)
{
	char *html, *copy;

	/*
	 * Since cmark 0.29 safe is the default: without CMARK_OPT_UNSAFE,
	 * raw HTML and dangerous URLs are not passed through. Hard breaks:
	 * people type a line break in a ticket and mean it.
	 */
	html = cmark_markdown_to_html(src, strlen(src),
	    CMARK_OPT_DEFAULT | CMARK_OPT_HARDBREAKS);
	if (html == NULL)
		die("cmark: out of memory");
	copy = xstrdup(html);
	free(html);
	return copy;
}
