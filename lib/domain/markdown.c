/*
 * markdown: CommonMark to HTML through cmark, within limits. See
 * markdown.h.
 *
 * cmark itself neither recurses nor limits nesting: a document of ten
 * thousand `>` parses to ten thousand nested quotes, and `![` nests
 * images as deep. After parsing, the tree is walked with cmark's
 * iterator (a loop, not recursion) to measure nesting, and only a
 * document within the limits is rendered. Depth alone does not bound
 * the HTML (16 quotes opened and closed on every other line are 23
 * times the input), so its size is checked too. Reference links are
 * expanded at most to about the input's size by cmark 0.30.2 itself.
 */
#include <stdlib.h>
#include <string.h>

#include <cmark.h>

#include "buf.h"
#include "escape.h"
#include "i18n.h"
#include "kv.h"
#include "markdown.h"
#include "util.h"

/*
 * Since cmark 0.29 safe is the default: without CMARK_OPT_UNSAFE, raw
 * HTML and dangerous URLs are not passed through. Hard breaks: people
 * type a line break in a ticket and mean it.
 */
#define MD_OPTIONS	(CMARK_OPT_DEFAULT | CMARK_OPT_HARDBREAKS)

/* The messages below name the limits. */
_Static_assert(MD_BLOCK_DEPTH == 16 && MD_INLINE_DEPTH == 16 &&
    MD_HTML_MAX == 1024 * 1024, "md_status_text names the limits");

static const char *const status_text[MD__MAX] = {
	[MD_OK] = N_("is fine."),
	[MD_BLOCK_DEEP] = N_("can nest quotes and lists at most 16 deep."),
	[MD_INLINE_DEEP] = N_("can nest links, images and emphasis at most 16 "
	    "deep."),
	[MD_HTML_LARGE] = N_("is too large once formatted (more than 1 MB of "
	    "HTML): use less nesting and fewer repeated links."),
};

const char *
md_status_text(enum md_status st)
{
	return st < MD__MAX ? status_text[st] : "";
}

/* 1 for a block that nests (quotes, lists), 2 for an inline one, else 0. */
static int
nesting_kind(cmark_node_type t)
{
	switch (t) {
	case CMARK_NODE_BLOCK_QUOTE:
	case CMARK_NODE_LIST:
		return 1;
	case CMARK_NODE_EMPH:
	case CMARK_NODE_STRONG:
	case CMARK_NODE_LINK:
	case CMARK_NODE_IMAGE:
		return 2;
	default:
		return 0;
	}
}

/* Walks the tree and stops at the first node nested too deep. */
static enum md_status
check_depth(cmark_node *doc)
{
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	enum md_status st = MD_OK;
	int depth[3] = { 0, 0, 0 }, k;

	if (it == NULL)
		die("cmark: out of memory");
	while (st == MD_OK && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		k = nesting_kind(cmark_node_get_type(cmark_iter_get_node(it)));
		if (k == 0)
			continue;
		/* Only containers get EXIT, and every kind counted is one. */
		if (ev == CMARK_EVENT_EXIT)
			depth[k]--;
		else if (++depth[k] > (k == 1 ? MD_BLOCK_DEPTH :
		    MD_INLINE_DEPTH))
			st = k == 1 ? MD_BLOCK_DEEP : MD_INLINE_DEEP;
	}
	cmark_iter_free(it);
	return st;
}

enum md_status
markdown_render(const char *src, char **html)
{
	cmark_node *doc;
	enum md_status st;
	char *out;

	*html = NULL;
	if ((doc = cmark_parse_document(src, strlen(src), MD_OPTIONS)) ==
	    NULL)
		die("cmark: out of memory");
	if ((st = check_depth(doc)) != MD_OK)
		goto out;
	if ((out = cmark_render_html(doc, MD_OPTIONS)) == NULL)
		die("cmark: out of memory");
	if (strlen(out) > MD_HTML_MAX)
		st = MD_HTML_LARGE;
	else
		*html = xstrdup(out);
	free(out);
out:
	cmark_node_free(doc);
	return st;
}

char *
markdown_html(const char *src)
{
	struct buf b = BUF_INIT;
	char *html;

	if (markdown_render(src, &html) == MD_OK)
		return html;
	buf_puts(&b, "<p>");
	html_escape(&b, src, strlen(src));
	buf_puts(&b, "</p>\n");
	return buf_detach(&b);
}

enum md_status
markdown_cached(struct kvlist *cache, const char *src, const char **html)
{
	const struct kv *kv;
	enum md_status st;
	char *out;

	/*
	 * Rendering is the costly part of a write (cmark 0.30 has inputs
	 * that take quadratic time): a form's check and the model that
	 * stores the text share it.
	 */
	if ((kv = kv_find(cache, src)) == NULL) {
		if ((st = markdown_render(src, &out)) != MD_OK)
			return st;
		kv_add(cache, src, strlen(src), out, strlen(out));
		free(out);
		kv = &cache->v[cache->n - 1];
	}
	*html = kv->value;
	return MD_OK;
}
