/*
 * Fuzz target: markdown_html, whose output is printed with {{raw}}. The
 * input is a comment (a C string, so up to a NUL). The output is read
 * back as HTML by a strict scanner that knows what cmark-gfm writes with
 * raw HTML off and its table, tasklist, strikethrough and autolink
 * extensions on: the tags and attributes it uses (an <input> only as a
 * task's disabled checkbox, in a <label>: lib/domain/markdown.c),
 * double-quoted values and
 * nothing else, every & an entity, and no href or src whose scheme a
 * browser would run or open (after decoding entities and dropping the
 * white space and controls browsers ignore). Anything else aborts: no
 * <script, no javascript: link, no <img onerror=.
 */
#include <ctype.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "markdown.h"
#include "parse.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const char *const tags[] = {
	"a", "blockquote", "br", "code", "em", "h1", "h2", "h3", "h4", "h5",
	"h6", "hr", "img", "li", "ol", "p", "pre", "strong", "ul",
	/* The extensions' (issue 13). */
	"del", "input", "label", "table", "tbody", "td", "th", "thead", "tr",
	NULL,
};

static const char *const attrs[] = {
	"alt", "class", "href", "src", "start", "title",
	"align", "checked", "disabled", "tabindex", "type", NULL,
};

/* The only <input> the tasklist extension writes. */
static const char *const inputs[] = {
	"<input type=\"checkbox\" disabled=\"\" />",
	"<input type=\"checkbox\" checked=\"\" disabled=\"\" />",
	NULL,
};

static int
in_list(const char *const *list, const char *s, size_t n)
{
	for (; *list != NULL; list++)
		if (strlen(*list) == n && memcmp(*list, s, n) == 0)
			return 1;
	return 0;
}

/* Length of the entity at s ("&amp;", "&#39;", "&#x27;"), or 0. */
static size_t
entity_len(const char *s)
{
	size_t i = 1;

	if (s[i] == '#') {
		i++;
		if (s[i] == 'x' || s[i] == 'X') {
			i++;
			while (isxdigit((unsigned char)s[i]))
				i++;
		} else
			while (isdigit((unsigned char)s[i]))
				i++;
	} else
		while (isalnum((unsigned char)s[i]))
			i++;
	if (i < 3 || s[i] != ';')
		return 0;
	return i + 1;
}

/* Decodes the entities cmark writes; any other named one aborts. */
static void
decode(struct buf *b, const char *s, size_t n)
{
	static const struct {
		const char *ent;
		char c;
	} named[] = {
		{ "&amp;", '&' }, { "&lt;", '<' }, { "&gt;", '>' },
		{ "&quot;", '"' },
	};
	size_t i = 0, k, el;
	unsigned long cp;

	while (i < n) {
		if (s[i] != '&') {
			buf_putc(b, s[i++]);
			continue;
		}
		el = entity_len(s + i);
		if (el == 0 || i + el > n)
			abort();
		if (s[i + 1] == '#') {
			if (s[i + 2] == 'x' || s[i + 2] == 'X')
				cp = strtoul(s + i + 3, NULL, 16);
			else
				cp = strtoul(s + i + 2, NULL, 10);
			/* Only what matters for a scheme: ASCII. */
			buf_putc(b, cp < 0x80 ? (int)cp : '?');
		} else {
			for (k = 0; k < sizeof(named) / sizeof(named[0]); k++)
				if (strlen(named[k].ent) == el &&
				    memcmp(s + i, named[k].ent, el) == 0)
					break;
			if (k == sizeof(named) / sizeof(named[0]))
				abort();
			buf_putc(b, named[k].c);
		}
		i += el;
	}
}

static int
prefix(const char *s, const char *p)
{
	return strncmp(s, p, strlen(p)) == 0;
}

/* A URL attribute value as a browser would take its scheme. */
static void
check_url(const char *v, size_t n)
{
	struct buf raw = BUF_INIT, u = BUF_INIT;
	size_t i;

	decode(&raw, v, n);
	for (i = 0; i < raw.len; i++)
		if ((unsigned char)raw.data[i] > 0x20)
			buf_putc(&u, tolower((unsigned char)raw.data[i]));
	if (prefix(buf_str(&u), "javascript:") ||
	    prefix(buf_str(&u), "vbscript:") || prefix(buf_str(&u), "file:"))
		abort();
	if (prefix(buf_str(&u), "data:") &&
	    !prefix(buf_str(&u), "data:image/png") &&
	    !prefix(buf_str(&u), "data:image/gif") &&
	    !prefix(buf_str(&u), "data:image/jpeg") &&
	    !prefix(buf_str(&u), "data:image/webp"))
		abort();
	buf_free(&raw);
	buf_free(&u);
}

/* The tag at s[0] == '<'; returns its length. */
static size_t
check_tag(const char *s)
{
	static const char omitted[] = "<!-- raw HTML omitted -->";
	size_t i = 1, n, an, vn;
	const char *an_p;

	if (prefix(s, "<!--")) {
		if (!prefix(s, omitted))
			abort();
		return sizeof(omitted) - 1;
	}
	if (prefix(s, "<input")) {
		for (n = 0; inputs[n] != NULL; n++)
			if (prefix(s, inputs[n]))
				return strlen(inputs[n]);
		abort();
	}
	if (s[i] == '/')
		i++;
	n = strspn(s + i, "abcdefghijklmnopqrstuvwxyz0123456789");
	if (!in_list(tags, s + i, n))
		abort();
	i += n;
	for (;;) {
		if (s[i] == '>')
			return i + 1;
		if (s[i] == ' ' && s[i + 1] == '/' && s[i + 2] == '>')
			return i + 3;
		if (s[i] != ' ' || s[1] == '/')
			abort();
		i++;
		an_p = s + i;
		an = strspn(an_p, "abcdefghijklmnopqrstuvwxyz");
		if (!in_list(attrs, an_p, an) || an_p[an] != '=' ||
		    an_p[an + 1] != '"')
			abort();
		i += an + 2;
		vn = strcspn(s + i, "\"<>");
		if (s[i + vn] != '"')
			abort();
		if ((an == 4 && memcmp(an_p, "href", 4) == 0) ||
		    (an == 3 && memcmp(an_p, "src", 3) == 0))
			check_url(s + i, vn);
		i += vn + 1;
	}
}

/* Whether the tag at s has what outside its quoted attribute values. */
static int
unquoted_has(const char *s, const char *what)
{
	size_t wl = strlen(what);
	int quoted = 0;

	for (; *s != '\0' && (quoted || *s != '>'); s++) {
		if (*s == '"')
			quoted = !quoted;
		else if (!quoted && strncasecmp(s, what, wl) == 0)
			return 1;
	}
	return 0;
}

static void
check_html(const char *h)
{
	const char *p, *img;
	size_t i, n;

	for (i = 0; h[i] != '\0'; ) {
		switch (h[i]) {
		case '<':
			i += check_tag(h + i);
			break;
		case '>':
			abort();
		case '&':
			if ((n = entity_len(h + i)) == 0)
				abort();
			i += n;
			break;
		default:
			i++;
		}
	}
	/* What the scanner already rules out, said the plain way too. */
	if (strcasestr(h, "<script") != NULL ||
	    strcasestr(h, "href=\"javascript:") != NULL)
		abort();
	for (p = h; (img = strstr(p, "<img")) != NULL; p = img + 4)
		if (unquoted_has(img, "onerror"))
			abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *src, *html, *md;

	if ((src = malloc(size + 1)) == NULL)
		return 0;
	memcpy(src, data, size);
	src[size] = '\0';
	html = markdown_html(src);
	check_html(html);
	/* Within the limits it is cmark's HTML, and no larger than allowed;
	 * past them, the escaped text (markdown.h). */
	if (markdown_render(src, &md) == MD_OK) {
		if (strlen(md) > MD_HTML_MAX || strcmp(md, html) != 0)
			abort();
		free(md);
	}
	/* cmark replaces what is not UTF-8; valid input stays valid. */
	if (utf8_valid(src, strlen(src)) && !utf8_valid(html, strlen(html)))
		abort();
	free(html);
	free(src);
	return 0;
}
