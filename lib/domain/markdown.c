/*
 * markdown: GitHub Flavored Markdown to HTML through cmark-gfm, within
 * limits. See markdown.h.
 *
 * cmark-gfm itself neither recurses nor limits nesting: a document of ten
 * thousand `>` parses to ten thousand nested quotes, and `![` nests
 * images as deep. After parsing, the tree is walked with cmark's
 * iterator (a loop, not recursion) to measure nesting, and only a
 * document within the limits is rendered. Depth alone does not bound
 * the HTML (16 quotes opened and closed on every other line are 23
 * times the input), so its size is checked too.
 *
 * Nor does cmark-gfm 0.29.0.gfm.6 (Debian 12) bound what a table costs:
 * every row is filled up to the header's column count, so a header of
 * 4,000 columns over 4,000 one-letter lines (24 KB) parses to 16 million
 * cells, 4 GB of memory and 160 MB of HTML (later upstream versions cap
 * it; Debian 12 has no backport). So the parser and renderer allocate
 * from md_mem, which counts what is live and, past MD_MEM_MAX, jumps
 * back to markdown_render, which frees all of it at once: the text is
 * refused as too large once formatted, before the machine runs out.
 */
#include <setjmp.h>
#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmark-gfm.h>
#include <cmark-gfm-core-extensions.h>

#include "buf.h"
#include "escape.h"
#include "i18n.h"
#include "kv.h"
#include "markdown.h"
#include "util.h"

/*
 * Since cmark 0.29 safe is the default: without CMARK_OPT_UNSAFE, raw
 * HTML and dangerous URLs are not passed through (also in table cells
 * and task items: the extensions render their text with the same
 * renderer). Hard breaks: people type a line break in a ticket and mean
 * it.
 */
#define MD_OPTIONS	(CMARK_OPT_DEFAULT | CMARK_OPT_HARDBREAKS)

/*
 * What GitHub and Zendesk users type: tables, task lists, ~~struck~~ and
 * bare www. and https:// links. Not tagfilter (raw HTML is off anyway)
 * nor footnotes.
 */
static const char *const extensions[] = {
	"table", "tasklist", "strikethrough", "autolink", NULL,
};

/*
 * Bytes the parser and renderer may hold at once. The largest ordinary
 * texts the form takes (100 KB of list items, emphasis, quotes marks or
 * table rows) peak at 12 to 35 MB (a test program's whole RSS); a table
 * costs about 160 bytes a cell.
 */
#define MD_MEM_MAX	(64 * 1024 * 1024)

/* Each block md_mem hands out follows this header: all blocks are on
 * one list, so that a jump out of cmark frees every one. */
struct md_blk {
	struct md_blk	*prev, *next;
	size_t		 size;
};
#define MD_HDR	((sizeof(struct md_blk) + alignof(max_align_t) - 1) / \
		    alignof(max_align_t) * alignof(max_align_t))

/* One render at a time per process (the programs are single-threaded). */
static struct {
	struct md_blk	*head;
	size_t		 live;
	jmp_buf		 full;
	int		 armed;
} arena;

static void
blk_link(struct md_blk *b)
{
	b->prev = NULL;
	b->next = arena.head;
	if (arena.head != NULL)
		arena.head->prev = b;
	arena.head = b;
}

static void
blk_unlink(struct md_blk *b)
{
	if (b->prev != NULL)
		b->prev->next = b->next;
	else
		arena.head = b->next;
	if (b->next != NULL)
		b->next->prev = b->prev;
}

/* Past the budget: back to markdown_render, which frees everything. */
static void
charge(size_t size)
{
	if (size > MD_MEM_MAX || arena.live > MD_MEM_MAX - size) {
		if (arena.armed)
			longjmp(arena.full, 1);
		die("cmark: an allocation outside markdown_render");
	}
	arena.live += size;
}

static void *
md_calloc(size_t n, size_t size)
{
	struct md_blk *b;

	if (size != 0 && n > (SIZE_MAX - MD_HDR) / size)
		charge(SIZE_MAX);
	charge(n * size);
	if ((b = calloc(1, MD_HDR + n * size)) == NULL)
		die("cmark: out of memory");
	b->size = n * size;
	blk_link(b);
	return (char *)b + MD_HDR;
}

static void *
md_realloc(void *p, size_t size)
{
	struct md_blk *b, *nb;

	if (p == NULL)
		return md_calloc(1, size);
	b = (struct md_blk *)((char *)p - MD_HDR);
	if (size > b->size)
		charge(size - b->size);
	else
		arena.live -= b->size - size;
	blk_unlink(b);
	if ((nb = realloc(b, MD_HDR + size)) == NULL)
		die("cmark: out of memory");
	nb->size = size;
	blk_link(nb);
	return (char *)nb + MD_HDR;
}

static void
md_free(void *p)
{
	struct md_blk *b;

	if (p == NULL)
		return;
	b = (struct md_blk *)((char *)p - MD_HDR);
	arena.live -= b->size;
	blk_unlink(b);
	free(b);
}

/* After a jump: what cmark held when it was stopped. */
static void
arena_clear(void)
{
	struct md_blk *b;

	while ((b = arena.head) != NULL) {
		arena.head = b->next;
		free(b);
	}
	arena.live = 0;
}

static cmark_mem md_mem = { md_calloc, md_realloc, md_free };

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

/* 1 for a block that nests (quotes, lists), 2 for an inline one, else 0.
 * A table holds no blocks, and its cells only inlines. */
static int
nesting_kind(cmark_node *n)
{
	switch (cmark_node_get_type(n)) {
	case CMARK_NODE_BLOCK_QUOTE:
	case CMARK_NODE_LIST:
		return 1;
	case CMARK_NODE_EMPH:
	case CMARK_NODE_STRONG:
	case CMARK_NODE_LINK:
	case CMARK_NODE_IMAGE:
		return 2;
	default:
		/* The extension's type is registered at run time and not
		 * exported: its name is. */
		return strcmp(cmark_node_get_type_string(n), "strikethrough") ==
		    0 ? 2 : 0;
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
		k = nesting_kind(cmark_iter_get_node(it));
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

/*
 * A task item's checkbox needs a name, and the item's text is it (axe:
 * "label"); cmark-gfm writes a bare <input> before the text. So the
 * checkbox and the first paragraph's inlines go into one <label>, a
 * custom inline node (written as given, raw HTML off or not), and the
 * item loses the extension that would write a second checkbox. An item
 * that opens with another block keeps the bare checkbox.
 */
static void
label_task(cmark_node *item)
{
	static const char box[] =
	    "<label><input type=\"checkbox\" disabled=\"\" /> ";
	static const char checked[] =
	    "<label><input type=\"checkbox\" checked=\"\" disabled=\"\" /> ";
	cmark_node *para, *label, *c;

	para = cmark_node_first_child(item);
	if (para == NULL || cmark_node_get_type(para) != CMARK_NODE_PARAGRAPH)
		return;
	label = cmark_node_new_with_mem(CMARK_NODE_CUSTOM_INLINE, &md_mem);
	cmark_node_set_on_enter(label,
	    cmark_gfm_extensions_get_tasklist_item_checked(item) ? checked :
	    box);
	cmark_node_set_on_exit(label, "</label>");
	while ((c = cmark_node_first_child(para)) != NULL)
		cmark_node_append_child(label, c);
	cmark_node_append_child(para, label);
	cmark_node_set_syntax_extension(item, NULL);
}

/* Every task item, listed first: the tree changes only after the walk. */
static void
label_tasks(cmark_node *doc)
{
	cmark_syntax_extension *tasklist = cmark_find_syntax_extension(
	    "tasklist");
	cmark_node **items = NULL, *n;
	size_t len = 0, cap = 0, i;
	cmark_iter *it;

	it = cmark_iter_new(doc);
	while (cmark_iter_next(it) != CMARK_EVENT_DONE) {
		n = cmark_iter_get_node(it);
		if (cmark_iter_get_event_type(it) != CMARK_EVENT_ENTER ||
		    cmark_node_get_type(n) != CMARK_NODE_ITEM ||
		    cmark_node_get_syntax_extension(n) != tasklist)
			continue;
		if (len == cap) {
			cap = cap ? cap * 2 : 16;
			items = md_realloc(items, cap * sizeof(*items));
		}
		items[len++] = n;
	}
	cmark_iter_free(it);
	for (i = 0; i < len; i++)
		label_task(items[i]);
	md_free(items);
}

/*
 * A code block or table wider than the page scrolls inside itself
 * (app.css), and a region that scrolls must be reachable by keyboard
 * (axe: scrollable-region-focusable). cmark writes exactly "<pre>" and
 * "<table>" for them, and nothing else can: text is escaped, raw HTML
 * off, and the only custom node is label_task's.
 */
static void
focusable(struct buf *b, const char *html)
{
	static const struct {
		const char *tag, *with;
	} subst[] = {
		{ "<pre>", "<pre tabindex=\"0\">" },
		{ "<table>", "<table tabindex=\"0\">" },
	};
	const char *p, *lt;
	size_t i;

	buf_grow(b, strlen(html) + 1);
	for (p = html; (lt = strchr(p, '<')) != NULL; ) {
		buf_add(b, p, (size_t)(lt - p));
		for (i = 0; i < sizeof(subst) / sizeof(subst[0]); i++)
			if (strncmp(lt, subst[i].tag,
			    strlen(subst[i].tag)) == 0)
				break;
		if (i < sizeof(subst) / sizeof(subst[0])) {
			buf_puts(b, subst[i].with);
			p = lt + strlen(subst[i].tag);
		} else {
			buf_putc(b, '<');
			p = lt + 1;
		}
	}
	buf_puts(b, p);
}

/* A parser with the extensions attached (a missing one is fatal). */
static cmark_parser *
parser_new(void)
{
	cmark_syntax_extension *ext;
	cmark_parser *p;
	size_t i;

	cmark_gfm_core_extensions_ensure_registered();
	p = cmark_parser_new_with_mem(MD_OPTIONS, &md_mem);
	for (i = 0; extensions[i] != NULL; i++)
		if ((ext = cmark_find_syntax_extension(extensions[i])) ==
		    NULL || !cmark_parser_attach_syntax_extension(p, ext))
			die("cmark-gfm: no extension %s", extensions[i]);
	return p;
}

/* Parses, checks and renders src; the caller frees what md_mem holds. */
static enum md_status
render(const char *src, char **html)
{
	struct buf b = BUF_INIT;
	cmark_parser *p;
	cmark_node *doc;
	enum md_status st;
	char *out;

	p = parser_new();
	cmark_parser_feed(p, src, strlen(src));
	doc = cmark_parser_finish(p);
	if ((st = check_depth(doc)) != MD_OK)
		return st;
	label_tasks(doc);
	out = cmark_render_html_with_mem(doc, MD_OPTIONS,
	    cmark_parser_get_syntax_extensions(p), &md_mem);
	focusable(&b, out);
	if (b.len > MD_HTML_MAX) {
		buf_free(&b);
		return MD_HTML_LARGE;
	}
	*html = buf_detach(&b);
	return MD_OK;
}

enum md_status
markdown_render(const char *src, char **html)
{
	volatile enum md_status st;

	*html = NULL;
	/*
	 * Everything cmark allocated is freed below, whether it returned or
	 * was stopped: its parser, tree and HTML are never used after.
	 */
	if (setjmp(arena.full) == 0) {
		arena.armed = 1;
		st = render(src, html);
	} else
		st = MD_HTML_LARGE;
	arena.armed = 0;
	arena_clear();
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
