/*
 * htmlsan: an allow-list over libxml2's HTML parser (htmlsan.h). The
 * parser only builds a tree, the way a browser would recover it; we
 * write every byte of the output ourselves from a table of what may be
 * kept, escaping all text and attribute values, so nothing the parser
 * left in (comments, processing instructions, entities, namespaces)
 * can reach a page unless the table names it.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include "buf.h"
#include "escape.h"
#include "htmlsan.h"

/* Deeper than this, a subtree is left out. libxml2 itself keeps no
 * more than 256 levels, so this bounds the recursion, never the text. */
#define MAX_DEPTH	300
#define REL		"nofollow noopener noreferrer"

enum what {
	UNWRAP,		/* not kept, its children are */
	KEEP,
	DROP,		/* not kept, nor anything inside */
	VOID		/* kept, has no end tag */
};

/* Attributes kept, per element: */
#define A_NONE	0
#define A_HREF	1	/* a: href (checked), title */
#define A_IMG	2	/* img: src (cid: only), alt, width, height */
#define A_CELL	3	/* td, th: colspan, rowspan, align, valign */
#define A_ALIGN	4	/* align */
#define A_OL	5	/* ol: start */

static const struct elem {
	const char	*name;
	enum what	 what;
	int		 attrs;
	int		 block;		/* a line break in html_to_text */
} elems[] = {
	{ "a",		KEEP,	A_HREF,	0 },
	{ "abbr",	KEEP,	A_NONE,	0 },
	{ "address",	KEEP,	A_NONE,	1 },
	{ "applet",	DROP,	A_NONE,	0 },
	{ "article",	UNWRAP,	A_NONE,	1 },
	{ "aside",	UNWRAP,	A_NONE,	1 },
	{ "audio",	DROP,	A_NONE,	0 },
	{ "b",		KEEP,	A_NONE,	0 },
	{ "base",	DROP,	A_NONE,	0 },
	{ "basefont",	DROP,	A_NONE,	0 },
	{ "bgsound",	DROP,	A_NONE,	0 },
	{ "big",	UNWRAP,	A_NONE,	0 },
	{ "blockquote",	KEEP,	A_NONE,	1 },
	{ "br",		VOID,	A_NONE,	1 },
	{ "button",	DROP,	A_NONE,	0 },
	{ "canvas",	DROP,	A_NONE,	0 },
	{ "caption",	KEEP,	A_NONE,	1 },
	{ "center",	UNWRAP,	A_NONE,	1 },
	{ "cite",	KEEP,	A_NONE,	0 },
	{ "code",	KEEP,	A_NONE,	0 },
	{ "datalist",	DROP,	A_NONE,	0 },
	{ "dd",		KEEP,	A_NONE,	1 },
	{ "del",	KEEP,	A_NONE,	0 },
	{ "dialog",	DROP,	A_NONE,	0 },
	{ "div",	KEEP,	A_ALIGN, 1 },
	{ "dl",		KEEP,	A_NONE,	1 },
	{ "dt",		KEEP,	A_NONE,	1 },
	{ "em",		KEEP,	A_NONE,	0 },
	{ "embed",	DROP,	A_NONE,	0 },
	{ "fieldset",	UNWRAP,	A_NONE,	1 },
	{ "footer",	UNWRAP,	A_NONE,	1 },
	{ "form",	UNWRAP,	A_NONE,	1 },
	{ "frame",	DROP,	A_NONE,	0 },
	{ "frameset",	DROP,	A_NONE,	0 },
	{ "h1",		KEEP,	A_ALIGN, 1 },
	{ "h2",		KEEP,	A_ALIGN, 1 },
	{ "h3",		KEEP,	A_ALIGN, 1 },
	{ "h4",		KEEP,	A_ALIGN, 1 },
	{ "h5",		KEEP,	A_ALIGN, 1 },
	{ "h6",		KEEP,	A_ALIGN, 1 },
	{ "head",	DROP,	A_NONE,	0 },
	{ "header",	UNWRAP,	A_NONE,	1 },
	{ "hr",		VOID,	A_NONE,	1 },
	{ "i",		KEEP,	A_NONE,	0 },
	{ "iframe",	DROP,	A_NONE,	0 },
	{ "img",	VOID,	A_IMG,	0 },
	{ "input",	DROP,	A_NONE,	0 },
	{ "ins",	KEEP,	A_NONE,	0 },
	{ "isindex",	DROP,	A_NONE,	0 },
	{ "kbd",	KEEP,	A_NONE,	0 },
	{ "keygen",	DROP,	A_NONE,	0 },
	{ "li",		KEEP,	A_NONE,	1 },
	{ "link",	DROP,	A_NONE,	0 },
	{ "main",	UNWRAP,	A_NONE,	1 },
	{ "map",	DROP,	A_NONE,	0 },
	{ "mark",	KEEP,	A_NONE,	0 },
	{ "math",	DROP,	A_NONE,	0 },
	{ "meta",	DROP,	A_NONE,	0 },
	{ "meter",	DROP,	A_NONE,	0 },
	{ "nav",	UNWRAP,	A_NONE,	1 },
	{ "noembed",	DROP,	A_NONE,	0 },
	{ "noframes",	DROP,	A_NONE,	0 },
	{ "noscript",	DROP,	A_NONE,	0 },
	{ "object",	DROP,	A_NONE,	0 },
	{ "ol",		KEEP,	A_OL,	1 },
	{ "optgroup",	DROP,	A_NONE,	0 },
	{ "option",	DROP,	A_NONE,	0 },
	{ "output",	DROP,	A_NONE,	0 },
	{ "p",		KEEP,	A_ALIGN, 1 },
	{ "param",	DROP,	A_NONE,	0 },
	{ "picture",	DROP,	A_NONE,	0 },
	{ "plaintext",	DROP,	A_NONE,	0 },
	{ "pre",	KEEP,	A_NONE,	1 },
	{ "progress",	DROP,	A_NONE,	0 },
	{ "q",		KEEP,	A_NONE,	0 },
	{ "s",		KEEP,	A_NONE,	0 },
	{ "samp",	KEEP,	A_NONE,	0 },
	{ "script",	DROP,	A_NONE,	0 },
	{ "section",	UNWRAP,	A_NONE,	1 },
	{ "select",	DROP,	A_NONE,	0 },
	{ "small",	KEEP,	A_NONE,	0 },
	{ "source",	DROP,	A_NONE,	0 },
	{ "span",	KEEP,	A_NONE,	0 },
	{ "strike",	KEEP,	A_NONE,	0 },
	{ "strong",	KEEP,	A_NONE,	0 },
	{ "style",	DROP,	A_NONE,	0 },
	{ "sub",	KEEP,	A_NONE,	0 },
	{ "sup",	KEEP,	A_NONE,	0 },
	{ "svg",	DROP,	A_NONE,	0 },
	{ "table",	KEEP,	A_NONE,	1 },
	{ "tbody",	KEEP,	A_NONE,	0 },
	{ "td",		KEEP,	A_CELL,	0 },
	{ "template",	DROP,	A_NONE,	0 },
	{ "textarea",	DROP,	A_NONE,	0 },
	{ "tfoot",	KEEP,	A_NONE,	0 },
	{ "th",		KEEP,	A_CELL,	0 },
	{ "thead",	KEEP,	A_NONE,	0 },
	{ "title",	DROP,	A_NONE,	0 },
	{ "tr",		KEEP,	A_NONE,	1 },
	{ "track",	DROP,	A_NONE,	0 },
	{ "tt",		KEEP,	A_NONE,	0 },
	{ "u",		KEEP,	A_NONE,	0 },
	{ "ul",		KEEP,	A_NONE,	1 },
	{ "var",	KEEP,	A_NONE,	0 },
	{ "video",	DROP,	A_NONE,	0 },
	{ "wbr",	VOID,	A_NONE,	0 },
	{ "xml",	DROP,	A_NONE,	0 },
	{ "xmp",	DROP,	A_NONE,	0 },
};

static const struct elem unknown = { NULL, UNWRAP, A_NONE, 0 };

static int
elem_cmp(const void *k, const void *e)
{
	return strcasecmp(k, ((const struct elem *)e)->name);
}

/* What to do with an element: namespaced ones ("o:p", "v:shape") and
 * every name not in the table are unwrapped. */
static const struct elem *
elem_of(const xmlNode *n)
{
	const struct elem *e;

	if (n->ns != NULL || n->name == NULL)
		return &unknown;
	e = bsearch(n->name, elems, sizeof(elems) / sizeof(elems[0]),
	    sizeof(elems[0]), elem_cmp);
	return e != NULL ? e : &unknown;
}

static xmlDoc *
parse(const char *html, size_t len)
{
	if (len > INT_MAX)
		len = INT_MAX;
	/* IGNORE_ENC: the bytes are UTF-8 already, whatever a <meta> in
	 * them claims (mailparse converted them). */
	return htmlReadMemory(html, (int)len, NULL, "UTF-8",
	    HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
	    HTML_PARSE_RECOVER | HTML_PARSE_IGNORE_ENC);
}

/* An attribute's value (entities decoded by the parser), or NULL. */
static char *
attr(const xmlNode *n, const char *name)
{
	const xmlAttr *a;

	for (a = n->properties; a != NULL; a = a->next)
		if (a->ns == NULL && a->name != NULL &&
		    strcasecmp((const char *)a->name, name) == 0)
			return (char *)xmlNodeGetContent((const xmlNode *)a);
	return NULL;
}

/*
 * A link's address when it is http:, https: or mailto:, or NULL. The
 * value is the parser's, entities already decoded ("jav&#x61;script:"
 * is "javascript:" here), then read as a browser's URL parser reads it:
 * controls and spaces at either end trimmed, tabs and newlines anywhere
 * removed ("java\tscript:" is "javascript:"). Any other control left is
 * no link at all. Only then is the scheme compared.
 */
static char *
safe_href(const xmlNode *n)
{
	const unsigned char *v, *e;
	char *raw, *s;
	size_t k = 0;

	if ((raw = attr(n, "href")) == NULL)
		return NULL;
	v = (const unsigned char *)raw;
	e = v + strlen(raw);
	while (v < e && *v <= ' ')
		v++;
	while (e > v && e[-1] <= ' ')
		e--;
	if ((s = malloc((size_t)(e - v) + 1)) == NULL)
		goto no;
	for (; v < e; v++) {
		if (*v == '\t' || *v == '\n' || *v == '\r')
			continue;
		if (*v < ' ' || *v == 0x7f)
			goto no;
		s[k++] = (char)*v;
	}
	s[k] = '\0';
	xmlFree(raw);
	if (strncasecmp(s, "http://", 7) == 0 ||
	    strncasecmp(s, "https://", 8) == 0 ||
	    strncasecmp(s, "mailto:", 7) == 0) {
		/* The scheme written in lower case, as every check reads it. */
		for (k = 0; s[k] != ':'; k++)
			s[k] = (char)(s[k] | 0x20);
		return s;
	}
	free(s);
	return NULL;
no:
	free(s);
	xmlFree(raw);
	return NULL;
}

/* A number attribute (colspan, width) kept only when it is digits. */
static void
put_num_attr(struct buf *out, const xmlNode *n, const char *name)
{
	char *v;
	size_t i;

	if ((v = attr(n, name)) == NULL)
		return;
	for (i = 0; v[i] >= '0' && v[i] <= '9' && i < 6; i++)
		;
	if (i > 0 && v[i] == '\0')
		buf_printf(out, " %s=\"%s\"", name, v);
	xmlFree(v);
}

static void
put_word_attr(struct buf *out, const xmlNode *n, const char *name,
    const char *const *allowed)
{
	char *v;

	if ((v = attr(n, name)) == NULL)
		return;
	for (; *allowed != NULL; allowed++)
		if (strcasecmp(v, *allowed) == 0) {
			buf_printf(out, " %s=\"%s\"", name, *allowed);
			break;
		}
	xmlFree(v);
}

static void
put_text_attr(struct buf *out, const xmlNode *n, const char *name)
{
	char *v;

	if ((v = attr(n, name)) == NULL)
		return;
	buf_printf(out, " %s=\"", name);
	html_escape(out, v, strlen(v));
	buf_putc(out, '"');
	xmlFree(v);
}

static const char *const aligns[] = {
	"left", "right", "center", "justify", NULL
};
static const char *const valigns[] = { "top", "middle", "bottom", NULL };

/* --- html_sanitise ---------------------------------------------------- */

static int
has_class(const xmlNode *n, const char *cls)
{
	char *v, *p;
	size_t k = strlen(cls);
	int r = 0;

	if ((v = attr(n, "class")) == NULL)
		return 0;
	for (p = v; (p = strstr(p, cls)) != NULL; p += k)
		if ((p == v || p[-1] == ' ' || p[-1] == '\t') &&
		    (p[k] == '\0' || p[k] == ' ' || p[k] == '\t'))
			r = 1;
	xmlFree(v);
	return r;
}

static int
attr_is(const xmlNode *n, const char *name, const char *value)
{
	char *v;
	int r;

	if ((v = attr(n, name)) == NULL)
		return 0;
	r = strcasecmp(v, value) == 0;
	xmlFree(v);
	return r;
}

/* The quoted earlier message of a Gmail or Apple Mail reply. */
static int
quote_block(const xmlNode *n)
{
	return n->type == XML_ELEMENT_NODE &&
	    (has_class(n, "gmail_quote") || has_class(n, "gmail_extra") ||
	    has_class(n, "yahoo_quoted") ||
	    (strcasecmp((const char *)n->name, "blockquote") == 0 &&
	    attr_is(n, "type", "cite")));
}

/* Outlook's, and Thunderbird's "On ... wrote:" line above its
 * blockquote: this element and everything after it is the quote. */
static int
quote_start(const xmlNode *n)
{
	return n->type == XML_ELEMENT_NODE && (attr_is(n, "id",
	    "divRplyFwdMsg") || attr_is(n, "id", "appendonsend") ||
	    has_class(n, "moz-cite-prefix"));
}

struct san {
	struct buf	 out;
	int		 folded;	/* inside <details> already */
	int		 in_p;		/* <p> written and still open */
};

static void	san_children(struct san *, const xmlNode *, int);

static void
san_open(struct buf *out, const xmlNode *n, const struct elem *e)
{
	char *v;

	buf_printf(out, "<%s", e->name);
	switch (e->attrs) {
	case A_HREF:
		break;		/* san_node writes it */
	case A_IMG:
		/* cid_img checked it: "cid:" in any case, then something. */
		v = attr(n, "src");
		buf_puts(out, " src=\"cid:");
		html_escape(out, v + 4, strlen(v + 4));
		buf_putc(out, '"');
		xmlFree(v);
		put_text_attr(out, n, "alt");
		put_num_attr(out, n, "width");
		put_num_attr(out, n, "height");
		break;
	case A_CELL:
		put_num_attr(out, n, "colspan");
		put_num_attr(out, n, "rowspan");
		put_word_attr(out, n, "align", aligns);
		put_word_attr(out, n, "valign", valigns);
		break;
	case A_ALIGN:
		put_word_attr(out, n, "align", aligns);
		break;
	case A_OL:
		put_num_attr(out, n, "start");
		break;
	}
	buf_putc(out, '>');
}

/* A cid: image, the only kind we show (the mail carries it). */
static int
cid_img(const xmlNode *n)
{
	char *v;
	int r;

	if ((v = attr(n, "src")) == NULL)
		return 0;
	r = strncasecmp(v, "cid:", 4) == 0 && v[4] != '\0';
	xmlFree(v);
	return r;
}

static void
san_node(struct san *s, const xmlNode *n, int depth)
{
	const struct elem *e;
	char *href, *alt;

	if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
		if (n->content != NULL)
			html_escape(&s->out, (const char *)n->content,
			    strlen((const char *)n->content));
		return;
	}
	if (n->type != XML_ELEMENT_NODE || depth > MAX_DEPTH)
		return;
	e = elem_of(n);
	if (!s->folded && quote_block(n)) {
		s->folded = 1;
		buf_puts(&s->out, "<details><summary>Quoted text</summary>");
		san_node(s, n, depth);
		buf_puts(&s->out, "</details>");
		s->folded = 0;
		return;
	}
	switch (e->what) {
	case DROP:
		return;
	case UNWRAP:
		san_children(s, n, depth + 1);
		return;
	case VOID:
		if (e->attrs == A_IMG && !cid_img(n)) {
			/* No remote image: its words instead. */
			if ((alt = attr(n, "alt")) != NULL) {
				html_escape(&s->out, alt, strlen(alt));
				xmlFree(alt);
			}
			return;
		}
		san_open(&s->out, n, e);
		return;
	case KEEP:
		break;
	}
	/*
	 * libxml2 drops namespace prefixes, so Outlook's <o:p> arrives as a
	 * <p> inside a <p>, which a browser would not nest (it closes the
	 * first): such a paragraph is unwrapped.
	 */
	if (strcmp(e->name, "p") == 0 && s->in_p > 0) {
		san_children(s, n, depth + 1);
		return;
	}
	if (e->attrs == A_HREF) {
		if ((href = safe_href(n)) == NULL) {
			san_children(s, n, depth + 1);
			return;
		}
		buf_puts(&s->out, "<a href=\"");
		html_escape(&s->out, href, strlen(href));
		buf_puts(&s->out, "\" rel=\"" REL "\"");
		put_text_attr(&s->out, n, "title");
		buf_putc(&s->out, '>');
		free(href);
	} else
		san_open(&s->out, n, e);
	if (strcmp(e->name, "p") == 0)
		s->in_p++;
	san_children(s, n, depth + 1);
	if (strcmp(e->name, "p") == 0)
		s->in_p--;
	buf_printf(&s->out, "</%s>", e->name);
}

static void
san_children(struct san *s, const xmlNode *n, int depth)
{
	const xmlNode *c;

	for (c = n->children; c != NULL; c = c->next) {
		if (!s->folded && quote_start(c)) {
			s->folded = 1;
			buf_puts(&s->out,
			    "<details><summary>Quoted text</summary>");
			for (; c != NULL; c = c->next)
				san_node(s, c, depth);
			buf_puts(&s->out, "</details>");
			s->folded = 0;
			return;
		}
		san_node(s, c, depth);
	}
}

char *
html_sanitise(const char *html, size_t len)
{
	struct san s;
	xmlDoc *doc;
	xmlNode *root;

	memset(&s, 0, sizeof(s));
	if (html != NULL && len > 0 && (doc = parse(html, len)) != NULL) {
		if ((root = xmlDocGetRootElement(doc)) != NULL)
			san_node(&s, root, 0);
		xmlFreeDoc(doc);
	}
	if (s.out.data == NULL)
		return strdup("");
	return buf_detach(&s.out);
}

/* --- html_to_text --------------------------------------------------------- */

struct txt {
	struct buf	 out;
	int		 pre;		/* inside <pre>: spaces kept */
	size_t		 quote;		/* blockquotes around: "> " lines */
};

/*
 * Writes n bytes of text, each line inside a quote starting with one
 * ">" per level and a space. The prefix is written as lines start, so
 * a quote costs nothing more however deep or long it is.
 */
static void
put(struct txt *t, const char *s, size_t n)
{
	size_t i, k;

	for (i = 0; i < n; i++) {
		if (s[i] != '\n' && t->quote > 0 && (t->out.len == 0 ||
		    t->out.data[t->out.len - 1] == '\n')) {
			for (k = 0; k < t->quote; k++)
				buf_putc(&t->out, '>');
			buf_putc(&t->out, ' ');
		}
		buf_putc(&t->out, s[i]);
	}
}

static void
puts_(struct txt *t, const char *s)
{
	put(t, s, strlen(s));
}

/* A line break unless the output already ends with one (or is empty). */
static void
newline(struct buf *b)
{
	if (b->len > 0 && b->data[b->len - 1] != '\n')
		buf_putc(b, '\n');
}

/* A blank line, at most one, between paragraphs. */
static void
blankline(struct buf *b)
{
	newline(b);
	if (b->len > 1 && b->data[b->len - 2] != '\n')
		buf_putc(b, '\n');
}

static void
txt_text(struct txt *t, const char *s)
{
	int space;

	if (t->pre) {
		puts_(t, s);
		return;
	}
	/* Runs of white space are one space, none at a line's start. */
	for (; *s != '\0'; s++) {
		space = *s == ' ' || *s == '\t' || *s == '\n' || *s == '\r';
		if (!space) {
			put(t, s, 1);
			continue;
		}
		if (t->out.len > 0 && t->out.data[t->out.len - 1] != ' ' &&
		    t->out.data[t->out.len - 1] != '\n')
			buf_putc(&t->out, ' ');
	}
}

static void	txt_children(struct txt *, const xmlNode *, int);

/* Elements set apart from what surrounds them by a blank line. */
static int
para(const char *name)
{
	static const char *const p[] = {
		"p", "pre", "table", "ul", "ol", "h1", "h2", "h3", "h4", "h5",
		"h6", NULL
	};
	size_t i;

	for (i = 0; p[i] != NULL; i++)
		if (strcmp(name, p[i]) == 0)
			return 1;
	return 0;
}

static void
txt_node(struct txt *t, const xmlNode *n, int depth)
{
	const struct elem *e;
	const char *name;
	char *href;
	size_t mark;

	if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
		if (n->content != NULL)
			txt_text(t, (const char *)n->content);
		return;
	}
	if (n->type != XML_ELEMENT_NODE || depth > MAX_DEPTH)
		return;
	e = elem_of(n);
	if (e->what == DROP)
		return;
	name = e->name != NULL ? e->name : "";
	if (strcmp(name, "br") == 0) {
		buf_putc(&t->out, '\n');
		return;
	}
	if (strcmp(name, "hr") == 0) {
		newline(&t->out);
		puts_(t, "----\n");
		return;
	}
	if (strcmp(name, "blockquote") == 0) {
		blankline(&t->out);
		t->quote++;
		txt_children(t, n, depth + 1);
		t->quote--;
		blankline(&t->out);
		return;
	}
	if (strcmp(name, "img") == 0)
		return;
	if (para(name))
		blankline(&t->out);
	else if (e->block)
		newline(&t->out);
	if (strcmp(name, "li") == 0)
		puts_(t, "- ");
	if (strcmp(name, "td") == 0 || strcmp(name, "th") == 0) {
		if (t->out.len > 0 && t->out.data[t->out.len - 1] != '\n' &&
		    t->out.data[t->out.len - 1] != ' ')
			buf_putc(&t->out, ' ');
	}
	if (strcmp(name, "pre") == 0)
		t->pre++;
	mark = t->out.len;
	txt_children(t, n, depth + 1);
	if (strcmp(name, "pre") == 0)
		t->pre--;
	if (strcmp(name, "a") == 0 && (href = safe_href(n)) != NULL) {
		const char *addr = href;

		if (strncasecmp(addr, "mailto:", 7) == 0)
			addr += 7;
		/* The address once: not again when it is the text. */
		if (t->out.len - mark != strlen(addr) ||
		    memcmp(t->out.data + mark, addr, strlen(addr)) != 0) {
			puts_(t, " <");
			puts_(t, addr);
			puts_(t, ">");
		}
		free(href);
	}
	if (para(name))
		blankline(&t->out);
	else if (e->block)
		newline(&t->out);
}

static void
txt_children(struct txt *t, const xmlNode *n, int depth)
{
	const xmlNode *c;

	for (c = n->children; c != NULL; c = c->next)
		txt_node(t, c, depth);
}

/* Trailing spaces on each line and blank lines at either end go. */
static char *
txt_tidy(const char *s)
{
	struct buf b = BUF_INIT;
	const char *p = s, *e;
	size_t n;

	while (*p == '\n')
		p++;
	for (; *p != '\0'; p = e + (*e != '\0')) {
		e = strchr(p, '\n');
		if (e == NULL)
			e = p + strlen(p);
		n = (size_t)(e - p);
		while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
			n--;
		buf_add(&b, p, n);
		if (*e == '\n')
			buf_putc(&b, '\n');
	}
	while (b.len > 0 && b.data[b.len - 1] == '\n')
		b.data[--b.len] = '\0';
	if (b.data == NULL)
		return strdup("");
	return buf_detach(&b);
}

char *
html_to_text(const char *html, size_t len)
{
	struct txt t;
	xmlDoc *doc;
	xmlNode *root;
	char *r;

	memset(&t, 0, sizeof(t));
	if (html != NULL && len > 0 && (doc = parse(html, len)) != NULL) {
		if ((root = xmlDocGetRootElement(doc)) != NULL)
			txt_node(&t, root, 0);
		xmlFreeDoc(doc);
	}
	r = txt_tidy(buf_str(&t.out));
	buf_free(&t.out);
	return r;
}
