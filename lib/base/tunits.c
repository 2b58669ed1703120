/*
 * tunits: splits a template's source into translatable units (tunits.h).
 *
 * One pass over the source: a run of text, inline tags and values is
 * collected as pieces until something bounds it, then trimmed of spaces
 * and of inline tags whose other half is outside it, and handed to the
 * caller. The output is the source with what the caller returned in
 * place of each unit; "copied" says how much of the source is in it.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "tunits.h"
#include "util.h"

#define TU_NAME		16	/* bytes of a tag name kept */
#define TU_ATTRS	32	/* attributes of one tag looked at */

enum pkind {
	P_TEXT,
	P_VALUE,	/* {{x}}, {{raw x}}, {{url x}} */
	P_OPEN,		/* <strong ...> */
	P_CLOSE,	/* </strong> */
	P_VOID		/* <br> */
};

struct piece {
	enum pkind	 kind;
	size_t		 b, e;		/* src[b..e) */
	char		 name[TU_NAME];
};

struct splitter {
	const char	*src;
	size_t		 len;
	int		 plain;
	tunit_fn	 fn;
	void		*arg;
	struct buf	*out;
	size_t		 copied;
	struct piece	*pc;		/* the current run */
	size_t		 npc, cap;
	size_t		 lpos;		/* line_at's cache */
	int		 line;
};

static const char *const inline_tags[] = {
	"a", "strong", "em", "b", "i", "small", "code", "span", "abbr",
	"kbd", "br"
};

/* Elements whose content is never text to translate. */
static const char *const raw_tags[] = {
	"textarea", "script", "style", "pre"
};

/* What people read of a tag: data-label is shown by the stylesheet
 * (the queue's cards on a phone: content: attr(data-label)). */
static const char *const text_attrs[] = {
	"placeholder", "title", "aria-label", "alt", "data-label"
};

static int
in_list(const char *name, const char *const *list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(name, list[i]) == 0)
			return 1;
	return 0;
}

static int
sp(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int
starts(const struct splitter *s, size_t i, const char *lit)
{
	size_t n = strlen(lit);

	return i + n <= s->len && memcmp(s->src + i, lit, n) == 0;
}

/* The position after the next "lit" from i, or len. */
static size_t
past(const struct splitter *s, size_t i, const char *lit)
{
	const char *p;

	p = memmem(s->src + i, s->len - i, lit, strlen(lit));
	return p == NULL ? s->len : (size_t)(p - s->src) + strlen(lit);
}

static int
line_at(struct splitter *s, size_t pos)
{
	if (pos < s->lpos) {
		s->lpos = 0;
		s->line = 1;
	}
	for (; s->lpos < pos; s->lpos++)
		if (s->src[s->lpos] == '\n')
			s->line++;
	return s->line;
}

/*
 * {{#..}}, {{/..}}, {{> ..}}, {{else}}, {{yield}}, {{extends ..}}: what
 * bounds a unit. Anything else is a value inside it.
 */
static int
is_directive(const char *p, size_t n)
{
	size_t w;

	while (n > 0 && sp((unsigned char)*p)) {
		p++;
		n--;
	}
	if (n == 0 || *p == '#' || *p == '/' || *p == '>')
		return 1;
	for (w = 0; w < n && !sp((unsigned char)p[w]); w++)
		;
	return (w == 4 && memcmp(p, "else", 4) == 0) ||
	    (w == 5 && memcmp(p, "yield", 5) == 0) ||
	    (w == 7 && memcmp(p, "extends", 7) == 0);
}

/* An ASCII letter outside entities (&rarr;) and {{tags}}. */
static int
has_letter(const char *p, size_t n)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		if (p[i] == '{' && i + 1 < n && p[i + 1] == '{') {
			for (j = i + 2; j + 1 < n && !(p[j] == '}' &&
			    p[j + 1] == '}'); j++)
				;
			i = j + 1;
			continue;
		}
		if (p[i] == '&') {
			for (j = i + 1; j < n && j < i + 12 &&
			    (isalnum((unsigned char)p[j]) || p[j] == '#'); j++)
				;
			if (j < n && p[j] == ';') {
				i = j;
				continue;
			}
		}
		if (isalpha((unsigned char)p[i]))
			return 1;
	}
	return 0;
}

static void
add_piece(struct splitter *s, enum pkind kind, size_t b, size_t e,
    const char *name)
{
	struct piece *p;

	if (kind == P_TEXT && s->npc > 0 && s->pc[s->npc - 1].kind == P_TEXT &&
	    s->pc[s->npc - 1].e == b) {
		s->pc[s->npc - 1].e = e;
		return;
	}
	if (s->npc == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 32;
		s->pc = xrealloc(s->pc, s->cap * sizeof(*s->pc));
	}
	p = &s->pc[s->npc++];
	p->kind = kind;
	p->b = b;
	p->e = e;
	memset(p->name, 0, sizeof(p->name));
	if (name != NULL)
		strncpy(p->name, name, sizeof(p->name) - 1);
}

/* The unit's text as a msgid: in HTML each white space run one space. */
static char *
unit_text(const struct splitter *s, size_t b, size_t e)
{
	struct buf m = BUF_INIT;
	size_t i;

	for (i = b; i < e; i++) {
		if (!s->plain && sp((unsigned char)s->src[i])) {
			while (i + 1 < e && sp((unsigned char)s->src[i + 1]))
				i++;
			buf_putc(&m, ' ');
		} else
			buf_putc(&m, s->src[i]);
	}
	return buf_detach(&m);
}

/*
 * Replaces src[b..e) with what fn returns for it; quote, when not 0, is
 * the quote of the attribute value it is, which the translation must not
 * close.
 */
static void
emit_unit(struct splitter *s, size_t b, size_t e, int quote)
{
	const char *r;
	char *msgid;

	while (b < e && sp((unsigned char)s->src[b]))
		b++;
	while (e > b && sp((unsigned char)s->src[e - 1]))
		e--;
	if (b == e || !has_letter(s->src + b, e - b))
		return;
	msgid = unit_text(s, b, e);
	r = s->fn(s->arg, msgid, line_at(s, b));
	if (r != NULL && s->out != NULL) {
		buf_add(s->out, s->src + s->copied, b - s->copied);
		for (; *r != '\0'; r++)
			if (quote != 0 && *r == quote)
				buf_puts(s->out, "&quot;");
			else
				buf_putc(s->out, *r);
		s->copied = e;
	}
	free(msgid);
}

static int
has_match(const struct splitter *s, size_t k, size_t first, size_t last)
{
	const struct piece *p = &s->pc[k];
	int depth = 0;
	size_t j;

	if (p->kind == P_OPEN) {
		for (j = k + 1; j <= last; j++) {
			if (strcmp(s->pc[j].name, p->name) != 0)
				continue;
			if (s->pc[j].kind == P_OPEN)
				depth++;
			else if (s->pc[j].kind == P_CLOSE && depth-- == 0)
				return 1;
		}
		return 0;
	}
	for (j = k; j-- > first;) {
		if (strcmp(s->pc[j].name, p->name) != 0)
			continue;
		if (s->pc[j].kind == P_CLOSE)
			depth++;
		else if (s->pc[j].kind == P_OPEN && depth-- == 0)
			return 1;
	}
	return 0;
}

/* The close that matches the open at k, or (size_t)-1. */
static size_t
match_of(const struct splitter *s, size_t k, size_t last)
{
	int depth = 0;
	size_t j;

	for (j = k + 1; j <= last; j++) {
		if (strcmp(s->pc[j].name, s->pc[k].name) != 0)
			continue;
		if (s->pc[j].kind == P_OPEN)
			depth++;
		else if (s->pc[j].kind == P_CLOSE && depth-- == 0)
			return j;
	}
	return (size_t)-1;
}

static int
blank(const struct splitter *s, const struct piece *p)
{
	size_t i;

	if (p->kind != P_TEXT)
		return 0;
	for (i = p->b; i < p->e; i++)
		if (!sp((unsigned char)s->src[i]))
			return 0;
	return 1;
}

/* The run collected so far ends here: trimmed, it is a unit or not. */
static void
flush(struct splitter *s)
{
	size_t first = 0, last, k;
	int changed = 1, letter = 0;

	if (s->npc == 0)
		return;
	last = s->npc - 1;
	while (changed && first <= last) {
		changed = 0;
		if (blank(s, &s->pc[first]) || s->pc[first].kind == P_CLOSE ||
		    s->pc[first].kind == P_VOID ||
		    (s->pc[first].kind == P_OPEN &&
		    !has_match(s, first, first, last))) {
			first++;
			changed = 1;
			continue;
		}
		/* <a href="x">Done</a>: the unit is "Done". */
		if (first < last && s->pc[first].kind == P_OPEN &&
		    s->pc[last].kind == P_CLOSE &&
		    match_of(s, first, last) == last) {
			first++;
			last--;
			changed = 1;
			continue;
		}
		if (blank(s, &s->pc[last]) || s->pc[last].kind == P_OPEN ||
		    s->pc[last].kind == P_VOID ||
		    (s->pc[last].kind == P_CLOSE &&
		    !has_match(s, last, first, last))) {
			if (last == 0)
				break;
			last--;
			changed = 1;
		}
	}
	if (first <= last && last < s->npc) {
		for (k = first; k <= last; k++)
			if (s->pc[k].kind == P_TEXT && has_letter(s->src +
			    s->pc[k].b, s->pc[k].e - s->pc[k].b))
				letter = 1;
		if (letter)
			emit_unit(s, s->pc[first].b, s->pc[last].e, 0);
	}
	s->npc = 0;
}

/* Past the '>' of the tag that starts at i, over quotes and {{tags}}. */
static size_t
tag_end(const struct splitter *s, size_t i)
{
	char q;

	for (i++; i < s->len; i++) {
		if (starts(s, i, "{{")) {
			i = past(s, i + 2, "}}") - 1;
		} else if (s->src[i] == '"' || s->src[i] == '\'') {
			q = s->src[i];
			while (++i < s->len && s->src[i] != q)
				;
		} else if (s->src[i] == '>')
			return i + 1;
	}
	return s->len;
}

struct attr {
	char	 name[TU_NAME];
	size_t	 vb, ve;	/* the value, inside its quotes */
	int	 quote;
};

static size_t
read_attrs(const struct splitter *s, size_t i, size_t e, struct attr *a,
    size_t max)
{
	size_t n = 0, nb, k;

	while (i < e && n < max) {
		if (starts(s, i, "{{")) {
			i = past(s, i + 2, "}}");
			continue;
		}
		if (!isalpha((unsigned char)s->src[i])) {
			i++;
			continue;
		}
		nb = i;
		while (i < e && (isalnum((unsigned char)s->src[i]) ||
		    s->src[i] == '-' || s->src[i] == ':' || s->src[i] == '_'))
			i++;
		memset(&a[n], 0, sizeof(a[n]));
		for (k = 0; k < i - nb && k + 1 < TU_NAME; k++)
			a[n].name[k] = (char)tolower((unsigned char)
			    s->src[nb + k]);
		while (i < e && sp((unsigned char)s->src[i]))
			i++;
		if (i < e && s->src[i] == '=') {
			i++;
			while (i < e && sp((unsigned char)s->src[i]))
				i++;
			if (i < e && (s->src[i] == '"' || s->src[i] == '\'')) {
				a[n].quote = s->src[i];
				a[n].vb = ++i;
				while (i < e && s->src[i] != a[n].quote)
					i++;
				a[n].ve = i++;
			} else {
				a[n].vb = i;
				while (i < e && !sp((unsigned char)s->src[i]) &&
				    s->src[i] != '>')
					i++;
				a[n].ve = i;
			}
		}
		n++;
	}
	return n;
}

static int
attr_is(const struct splitter *s, const struct attr *a, const char *v)
{
	return a->ve - a->vb == strlen(v) &&
	    strncasecmp(s->src + a->vb, v, a->ve - a->vb) == 0;
}

/* The text attributes of a tag that bounds units (tunits.h). */
static void
tag_attrs(struct splitter *s, const char *tag, size_t b, size_t e)
{
	struct attr a[TU_ATTRS];
	size_t n, k;
	int button = 0;

	n = read_attrs(s, b + 1 + strlen(tag), e, a, TU_ATTRS);
	if (strcmp(tag, "input") == 0)
		for (k = 0; k < n; k++)
			if (strcmp(a[k].name, "type") == 0 &&
			    (attr_is(s, &a[k], "submit") ||
			    attr_is(s, &a[k], "button")))
				button = 1;
	for (k = 0; k < n; k++) {
		if (a[k].ve <= a[k].vb)
			continue;
		if (!in_list(a[k].name, text_attrs, nitems(text_attrs)) &&
		    !(button && strcmp(a[k].name, "value") == 0))
			continue;
		/* A value built with blocks is no sentence to translate. */
		if (memmem(s->src + a[k].vb, a[k].ve - a[k].vb, "{{#", 3) ||
		    memmem(s->src + a[k].vb, a[k].ve - a[k].vb, "{{/", 3) ||
		    memmem(s->src + a[k].vb, a[k].ve - a[k].vb, "{{else", 6))
			continue;
		emit_unit(s, a[k].vb, a[k].ve, a[k].quote);
	}
}

/* Is an inline tag of this name open in the run so far? */
static int
open_in_run(const struct splitter *s, const char *name)
{
	size_t k;
	int depth = 0;

	for (k = 0; k < s->npc; k++) {
		if (strcmp(s->pc[k].name, name) != 0)
			continue;
		if (s->pc[k].kind == P_OPEN)
			depth++;
		else if (s->pc[k].kind == P_CLOSE && depth > 0)
			depth--;
	}
	return depth > 0;
}

/* A tag at i: returns where scanning goes on. */
static size_t
html_tag(struct splitter *s, size_t i)
{
	char name[TU_NAME];
	size_t n = 0, j, e;
	int closing = s->src[i + 1] == '/';

	for (j = i + 1 + (size_t)closing; j < s->len &&
	    isalnum((unsigned char)s->src[j]); j++)
		if (n + 1 < sizeof(name))
			name[n++] = (char)tolower((unsigned char)s->src[j]);
	name[n] = '\0';
	e = tag_end(s, i);
	/* An inline tag built with blocks (<a {{#eq ..}}aria-current{{/eq}}>)
	 * bounds units like any other: no msgid carries a directive. */
	/* And so does the close of one opened before the run began:
	 * "Home</a> <a href=..>Back</a>" is two units. */
	if (in_list(name, inline_tags, nitems(inline_tags)) &&
	    memmem(s->src + i, e - i, "{{#", 3) == NULL &&
	    (!closing || open_in_run(s, name))) {
		add_piece(s, closing ? P_CLOSE : strcmp(name, "br") == 0 ?
		    P_VOID : P_OPEN, i, e, name);
		return e;
	}
	flush(s);
	if (closing)
		return e;
	tag_attrs(s, name, i, e);
	if (in_list(name, raw_tags, nitems(raw_tags))) {
		/* To the closing tag, which the next round sees. */
		for (j = e; j + 2 + n <= s->len; j++)
			if (s->src[j] == '<' && s->src[j + 1] == '/' &&
			    strncasecmp(s->src + j + 2, name, n) == 0)
				return j;
		return s->len;
	}
	return e;
}

static size_t
curly(struct splitter *s, size_t i)
{
	size_t e = past(s, i + 2, "}}");

	if (is_directive(s->src + i + 2, e - i - 2 >= 2 ? e - i - 4 : 0))
		flush(s);
	else
		add_piece(s, P_VALUE, i, e, NULL);
	return e;
}

static void
split_html(struct splitter *s)
{
	size_t i = 0;
	int c;

	while (i < s->len) {
		if (starts(s, i, "{{")) {
			i = curly(s, i);
			continue;
		}
		if (starts(s, i, "<!--")) {
			flush(s);
			i = past(s, i + 4, "-->");
			continue;
		}
		c = i + 1 < s->len ? (unsigned char)s->src[i + 1] : 0;
		if (s->src[i] == '<' && (isalpha(c) || c == '!' || (c == '/' &&
		    i + 2 < s->len && isalpha((unsigned char)s->src[i + 2])))) {
			i = html_tag(s, i);
			continue;
		}
		add_piece(s, P_TEXT, i, i + 1, NULL);
		i++;
	}
	flush(s);
}

/* A blank line from the '\n' at i? */
static int
blank_line(const struct splitter *s, size_t i)
{
	for (i++; i < s->len && (s->src[i] == ' ' || s->src[i] == '\t' ||
	    s->src[i] == '\r'); i++)
		;
	return i < s->len && s->src[i] == '\n';
}

static void
split_text(struct splitter *s)
{
	size_t i = 0;

	while (i < s->len) {
		if (starts(s, i, "{{")) {
			i = curly(s, i);
			continue;
		}
		if (s->src[i] == '\n' && blank_line(s, i))
			flush(s);
		add_piece(s, P_TEXT, i, i + 1, NULL);
		i++;
	}
	flush(s);
}

void
tunits(const char *src, size_t len, int plain, tunit_fn fn, void *arg,
    struct buf *out)
{
	struct splitter s;

	memset(&s, 0, sizeof(s));
	s.src = src;
	s.len = len;
	s.plain = plain;
	s.fn = fn;
	s.arg = arg;
	s.out = out;
	s.line = 1;
	if (plain)
		split_text(&s);
	else
		split_html(&s);
	if (out != NULL)
		buf_add(out, src + s.copied, len - s.copied);
	free(s.pc);
}
