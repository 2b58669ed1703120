/*
 * markdown: comments and notes are written in GitHub Flavored Markdown
 * (CommonMark with tables, task lists, ~~strikethrough~~ and bare links)
 * and rendered by cmark-gfm with raw HTML off: HTML in the source is
 * dropped, and links to javascript:, vbscript:, file: and non-image
 * data: URLs are emptied. A task's checkbox is disabled and labelled by
 * its item's text; code blocks and tables are focusable, as they may
 * scroll (app.css).
 *
 * Input is bounded as well as escaped: nesting is limited (each level of
 * `>` costs 27 bytes of HTML, and ten thousand levels are a few bytes of
 * typing), and so is the size of the HTML, which is kept and sent on
 * every view, and the memory cmark may use on the way (a table fills
 * every row to its header's width): past it, MD_HTML_LARGE.
 */
#ifndef HD_MARKDOWN_H
#define HD_MARKDOWN_H

#include <stddef.h>

/* Quotes and lists inside each other (a list item is its list's level). */
#define MD_BLOCK_DEPTH	16
/* Links, images, emphasis and strikethrough inside each other. */
#define MD_INLINE_DEPTH	16
/* Bytes of rendered HTML. */
#define MD_HTML_MAX	(1024 * 1024)

enum md_status {
	MD_OK,
	MD_BLOCK_DEEP,		/* quotes and lists past MD_BLOCK_DEPTH */
	MD_INLINE_DEEP,		/* links, images, emphasis past MD_INLINE_DEPTH */
	MD_HTML_LARGE,		/* HTML past MD_HTML_MAX */
	MD__MAX
};

/*
 * Renders src into *html (caller frees) if it is within the limits
 * above; otherwise *html is NULL and the status says which limit it
 * passes. The HTML is safe to print with {{raw}}.
 */
enum md_status	 markdown_render(const char *src, char **html);

/* The limit a status names, as the end of a sentence for the person who
 * typed the text: "can nest quotes and lists at most 16 deep." */
const char	*md_status_text(enum md_status);

/*
 * markdown_render for text that was accepted before the limits: text
 * past them comes back escaped as one paragraph, never refused.
 */
char		*markdown_html(const char *src);

/*
 * markdown_render at most once per unit of work (a web request, a batch
 * job): cache maps each source to its HTML, so a form's check and the
 * model that stores the text render it once. Returns MD_OK with *html
 * (owned by cache, valid until it is freed), or the limit src passes.
 */
struct kvlist;
enum md_status	 markdown_cached(struct kvlist *cache, const char *src,
		    const char **html);

#endif
