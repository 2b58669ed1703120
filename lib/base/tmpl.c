/*
 * tmpl: a template is parsed once into a tree of nodes; when every
 * template is in, each {{> partial}} and {{extends layout}} is linked to
 * the template it names and checked for loops and depth. Rendering then
 * walks the trees against json-c values, allocates nothing but output
 * and has nothing left that can fail. Names in tags are split at their
 * dots while compiling, and the scope chain of {{#each}} lives on the C
 * stack.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "timefmt.h"
#include "i18n.h"
#include "tmpl.h"
#include "tunits.h"
#include "util.h"

#define TMPL_MAXNEST	64	/* blocks inside blocks in one template */
#define TMPL_MAXDEPTH	16	/* partials and layouts inside each other */
#define TMPL_MAXNAME	64	/* bytes of a template name */
#define TMPL_SHOW	40	/* bytes of a bad tag quoted in an error */
#define TMPL_STATIC	"static"	/* html/static/: files nginx serves */
#define TMPL_TEXT	".txt"		/* text templates keep it in their name */
#define TMPL_TEXT_DIR	"mail"		/* and live only in html/mail/: a .txt
					   elsewhere is not a template */

enum ntype {
	N_TEXT,
	N_VAR,
	N_RAW,
	N_URL,
	N_TIME,
	N_DATE,
	N_IF,
	N_EQ,
	N_EACH,
	N_INCLUDE,
	N_YIELD
};

/* a, a.b.c */
struct path {
	size_t		 nseg;
	char		**seg;	/* seg[0] owns the bytes of all of them */
};

struct node {
	enum ntype	 type;
	struct node	*next;
	struct node	*body;	/* blocks */
	struct node	*alt;	/* blocks: after {{else}} */
	struct path	 path;	/* var, raw, url and blocks */
	const char	*text;	/* text: points into tmpl->src */
	char		*str;	/* include: template name; eq: the literal */
	size_t		 len;	/* of text or str */
	int		 line;	/* include: for linking's messages */
	int		 html;	/* time, date: <time> on a page, not in mail */
	struct tmpl	*ref;	/* include: the partial, once linked */
};

/* A partial or the layout a template names, and where it names it. */
struct ref {
	struct tmpl	*t;
	int		 line;
};

enum mark {
	M_NEW,
	M_OPEN,		/* being measured: met again, it is a loop */
	M_DONE
};

struct tmpl {
	char		*name;	/* "signin": what tmpl_get and {{>}} name */
	char		*where;	/* "html/signin.html": for messages */
	char		*src;	/* text nodes point into it */
	char		*layout;	/* from {{extends}}, or NULL */
	int		 layout_line;
	struct tmpl	*layout_t;	/* the layout, once linked */
	struct node	*root;
	struct ref	*refs;	/* partials and layout, once linked */
	size_t		 nrefs;
	enum mark	 mark;
	int		 height;	/* 1 + the deepest of refs */
};

/* Templates loaded together, which link only to each other. */
struct set {
	struct tmpl	**t;
	size_t		  n, cap;
};

/* One set per language, in the order of i18n_available(): English
 * first, then each catalogue's translation of the same sources. */
static struct set	loaded[I18N_MAX + 1];

static void	free_nodes(struct node *);

/*
 * Messages: "WHERE:LINE: why", or "WHERE: why" without a line.
 */

static int
vsay(char *err, size_t errsz, const char *where, int line, const char *fmt,
    va_list ap) __attribute__((format(printf, 5, 0)));
static int
say(char *err, size_t errsz, const char *where, int line, const char *fmt,
    ...) __attribute__((format(printf, 5, 6)));

static int
vsay(char *err, size_t errsz, const char *where, int line, const char *fmt,
    va_list ap)
{
	int n;

	if (err == NULL || errsz == 0)
		return -1;
	if (line > 0)
		n = snprintf(err, errsz, "%s:%d: ", where, line);
	else
		n = snprintf(err, errsz, "%s: ", where);
	if (n >= 0 && (size_t)n < errsz)
		vsnprintf(err + n, errsz - (size_t)n, fmt, ap);
	return -1;
}

static int
say(char *err, size_t errsz, const char *where, int line, const char *fmt,
    ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsay(err, errsz, where, line, fmt, ap);
	va_end(ap);
	return -1;
}

/*
 * Compiling.
 */

struct span {
	const char	*p;
	size_t		 n;
};

struct frame {
	struct node	 *block;	/* NULL at the top level */
	struct node	**tail;		/* where the next node goes */
	int		  line;
	int		  in_else;
};

struct parser {
	struct tmpl	*t;
	char		*err;
	size_t		 errsz;
	int		 line;
	int		 seen;	/* anything {{extends}} may not follow */
	int		 plain;	/* a .txt template: {{x}} is not escaped */
	int		 top;
	struct frame	 stack[TMPL_MAXNEST + 1];
};

static int
perr(struct parser *p, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
perr(struct parser *p, int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsay(p->err, p->errsz, p->t->where, line, fmt, ap);
	va_end(ap);
	return -1;
}

static int
is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int
name_char(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_' || c == '-';
}

/* How much of s an error message quotes, for "%.*s". */
static int
show(struct span s)
{
	return (int)(s.n > TMPL_SHOW ? TMPL_SHOW : s.n);
}

static struct span
trim(struct span s)
{
	while (s.n > 0 && is_space(s.p[0])) {
		s.p++;
		s.n--;
	}
	while (s.n > 0 && is_space(s.p[s.n - 1]))
		s.n--;
	return s;
}

/* Puts the first word of s in *word and returns the rest, trimmed. */
static struct span
next_word(struct span s, struct span *word)
{
	size_t i = 0;

	while (i < s.n && !is_space(s.p[i]))
		i++;
	word->p = s.p;
	word->n = i;
	s.p += i;
	s.n -= i;
	return trim(s);
}

static int
span_is(struct span s, const char *lit)
{
	return s.n == strlen(lit) && memcmp(s.p, lit, s.n) == 0;
}

static int
count_lines(const char *s, const char *end)
{
	int n = 0;

	for (; s < end; s++)
		if (*s == '\n')
			n++;
	return n;
}

/* "signin", "partials/flash": never a way out of the directory. */
static int
valid_name(const char *s, size_t n)
{
	size_t i, slashes = 0;

	if (n == 0 || n > TMPL_MAXNAME || s[0] == '/' || s[n - 1] == '/')
		return 0;
	for (i = 0; i < n; i++) {
		if (s[i] == '/')
			slashes++;
		else if (!name_char((unsigned char)s[i]))
			return 0;
	}
	return slashes <= 1;
}

/* Splits a.b.c here so that rendering never has to. */
static int
parse_path(struct span s, struct path *path)
{
	size_t i, nseg = 1;
	char *q;

	if (s.n == 0 || s.p[0] == '.' || s.p[s.n - 1] == '.')
		return -1;
	for (i = 0; i < s.n; i++) {
		if (s.p[i] == '.') {
			if (s.p[i - 1] == '.')
				return -1;
			nseg++;
		} else if (!name_char((unsigned char)s.p[i]))
			return -1;
	}
	path->nseg = nseg;
	path->seg = xcalloc(nseg, sizeof(*path->seg));
	path->seg[0] = xstrndup(s.p, s.n);
	for (i = 1, q = path->seg[0]; (q = strchr(q, '.')) != NULL; i++) {
		*q++ = '\0';
		path->seg[i] = q;
	}
	return 0;
}

static const char *
block_name(enum ntype type)
{
	switch (type) {
	case N_IF:
		return "if";
	case N_EQ:
		return "eq";
	case N_EACH:
		return "each";
	default:
		return "?";
	}
}

static struct node *
add_node(struct parser *p, enum ntype type)
{
	struct frame *f = &p->stack[p->top];
	struct node *n;

	n = xcalloc(1, sizeof(*n));
	n->type = type;
	*f->tail = n;
	f->tail = &n->next;
	return n;
}

static void
add_text(struct parser *p, const char *s, size_t len)
{
	struct node *n;
	size_t i;

	if (len == 0)
		return;
	for (i = 0; i < len; i++)
		if (!is_space((unsigned char)s[i]))
			p->seen = 1;
	n = add_node(p, N_TEXT);
	n->text = s;
	n->len = len;
}

static int
tag_var(struct parser *p, enum ntype type, struct span s, int line)
{
	struct node *n;

	n = add_node(p, type);
	if (parse_path(s, &n->path) == -1)
		return perr(p, line, "bad name \"%.*s\"%s", show(s), s.p,
		    type == N_RAW ? " in {{raw}}" : type == N_URL ?
		    " in {{url}}" : "");
	return 0;
}

/*
 * {{time x}}, {{date x}}: a UTC time in the viewer's zone (timefmt.h).
 * A page shows a <time> element with the absolute time on hover; mail
 * (html/mail/, text or HTML) is read later, and shows the absolute time
 * with the zone's name.
 */
static int
tag_time(struct parser *p, enum ntype type, struct span s, int line)
{
	struct node *n;

	n = add_node(p, type);
	n->html = !p->plain && strncmp(p->t->name, TMPL_TEXT_DIR "/",
	    sizeof(TMPL_TEXT_DIR)) != 0;
	if (parse_path(s, &n->path) == -1)
		return perr(p, line, "bad name \"%.*s\" in {{%s}}", show(s),
		    s.p, type == N_DATE ? "date" : "time");
	return 0;
}

/* The "..." of {{#eq x "..."}}; it has no escapes and no quote inside. */
static int
eq_literal(struct span s, struct node *n)
{
	if (s.n < 2 || s.p[0] != '"' || s.p[s.n - 1] != '"' ||
	    memchr(s.p + 1, '"', s.n - 2) != NULL)
		return -1;
	n->str = xstrndup(s.p + 1, s.n - 2);
	n->len = s.n - 2;
	return 0;
}

static int
tag_open(struct parser *p, struct span s, int line)
{
	struct span kw, arg, rest;
	struct frame *f;
	struct node *n;
	enum ntype type;

	s = next_word(trim(s), &kw);
	if (span_is(kw, "if"))
		type = N_IF;
	else if (span_is(kw, "eq"))
		type = N_EQ;
	else if (span_is(kw, "each"))
		type = N_EACH;
	else
		return perr(p, line, "unknown block {{#%.*s}}", show(kw),
		    kw.p);
	if (p->top == TMPL_MAXNEST)
		return perr(p, line, "blocks nested deeper than %d",
		    TMPL_MAXNEST);
	rest = next_word(s, &arg);
	if (type != N_EQ && rest.n != 0)
		return perr(p, line, "{{#%s}} takes one name",
		    block_name(type));

	n = add_node(p, type);
	if (parse_path(arg, &n->path) == -1)
		return perr(p, line, "bad name \"%.*s\" in {{#%s}}", show(arg),
		    arg.p, block_name(type));
	if (type == N_EQ && eq_literal(rest, n) == -1)
		return perr(p, line, "{{#eq}} wants a name and a \"literal\"");

	f = &p->stack[++p->top];
	f->block = n;
	f->tail = &n->body;
	f->line = line;
	f->in_else = 0;
	return 0;
}

static int
tag_else(struct parser *p, int line)
{
	struct frame *f = &p->stack[p->top];

	if (p->top == 0)
		return perr(p, line, "{{else}} outside a block");
	if (f->in_else)
		return perr(p, line, "second {{else}} in {{#%s}} from line %d",
		    block_name(f->block->type), f->line);
	f->in_else = 1;
	f->tail = &f->block->alt;
	return 0;
}

static int
tag_close(struct parser *p, struct span s, int line)
{
	struct frame *f = &p->stack[p->top];
	const char *want;

	s = trim(s);
	if (p->top == 0)
		return perr(p, line, "{{/%.*s}} closes nothing", show(s), s.p);
	want = block_name(f->block->type);
	if (!span_is(s, want))
		return perr(p, line, "{{/%.*s}} does not close {{#%s}} "
		    "from line %d", show(s), s.p, want, f->line);
	p->top--;
	return 0;
}

static int
tag_include(struct parser *p, struct span s, int line)
{
	struct node *n;

	s = trim(s);
	if (!valid_name(s.p, s.n))
		return perr(p, line, "bad partial name \"%.*s\"", show(s), s.p);
	n = add_node(p, N_INCLUDE);
	n->str = xstrndup(s.p, s.n);
	n->len = s.n;
	n->line = line;
	return 0;
}

static int
tag_extends(struct parser *p, struct span s, int line)
{
	if (p->top != 0 || p->seen)
		return perr(p, line, "{{extends}} must be the first tag");
	if (!valid_name(s.p, s.n))
		return perr(p, line, "bad layout name \"%.*s\"", show(s), s.p);
	p->t->layout = xstrndup(s.p, s.n);
	p->t->layout_line = line;
	/* Only white space came before; it is not part of the page. */
	free_nodes(p->t->root);
	p->t->root = NULL;
	p->stack[0].tail = &p->t->root;
	return 0;
}

/* Tags that start with a word: else, yield, extends, raw, url, a name. */
static int
tag_word(struct parser *p, struct span s, int line)
{
	struct span word, rest;

	rest = next_word(s, &word);
	if (span_is(word, "else") && rest.n == 0)
		return tag_else(p, line);
	if (span_is(word, "yield") && rest.n == 0) {
		add_node(p, N_YIELD);
		return 0;
	}
	if (span_is(word, "extends"))
		return tag_extends(p, rest, line);
	if (span_is(word, "raw"))
		return tag_var(p, N_RAW, rest, line);
	if (span_is(word, "url"))
		return tag_var(p, N_URL, rest, line);
	if ((span_is(word, "time") || span_is(word, "date")) && rest.n > 0)
		return tag_time(p, span_is(word, "date") ? N_DATE : N_TIME,
		    rest, line);
	/* Plain text has no markup to escape: {{x}} is the value. */
	if (rest.n == 0)
		return tag_var(p, p->plain ? N_RAW : N_VAR, word, line);
	return perr(p, line, "unknown tag {{%.*s}}", show(s), s.p);
}

static int
parse_tag(struct parser *p, struct span s, int line)
{
	struct span arg;
	int rc;

	s = trim(s);
	if (s.n == 0)
		return perr(p, line, "empty tag {{}}");
	arg.p = s.p + 1;
	arg.n = s.n - 1;
	switch (s.p[0]) {
	case '#':
		rc = tag_open(p, arg, line);
		break;
	case '/':
		rc = tag_close(p, arg, line);
		break;
	case '>':
		rc = tag_include(p, arg, line);
		break;
	default:
		rc = tag_word(p, s, line);
		break;
	}
	p->seen = 1;
	return rc;
}

static int
parse(struct parser *p, const char *src, size_t len)
{
	const char *pos = src, *end = src + len, *open, *close;
	struct span tag;
	struct frame *f;

	while (pos < end) {
		open = memmem(pos, (size_t)(end - pos), "{{", 2);
		if (open == NULL) {
			add_text(p, pos, (size_t)(end - pos));
			break;
		}
		add_text(p, pos, (size_t)(open - pos));
		p->line += count_lines(pos, open);
		close = memmem(open + 2, (size_t)(end - open - 2), "}}", 2);
		if (close == NULL)
			return perr(p, p->line, "unterminated {{");
		tag.p = open + 2;
		tag.n = (size_t)(close - tag.p);
		if (parse_tag(p, tag, p->line) == -1)
			return -1;
		p->line += count_lines(open, close);
		pos = close + 2;
	}
	if (p->top > 0) {
		f = &p->stack[p->top];
		return perr(p, f->line, "unclosed {{#%s}}",
		    block_name(f->block->type));
	}
	return 0;
}

static void
free_nodes(struct node *n)
{
	struct node *next;

	for (; n != NULL; n = next) {
		next = n->next;
		free_nodes(n->body);
		free_nodes(n->alt);
		if (n->path.seg != NULL)
			free(n->path.seg[0]);
		free(n->path.seg);
		free(n->str);
		free(n);
	}
}

void
tmpl_free(struct tmpl *t)
{
	if (t == NULL)
		return;
	free_nodes(t->root);
	free(t->name);
	free(t->where);
	free(t->src);
	free(t->layout);
	free(t->refs);
	free(t);
}

/* A text template (html/mail/NAME.txt, named "mail/NAME.txt"). */
static int
is_plain(const char *name)
{
	size_t n = strlen(name);

	return n > 4 && strcmp(name + n - 4, TMPL_TEXT) == 0;
}

/* Parses src; partials and layout are linked later (link()). */
static struct tmpl *
compile(const char *name, const char *where, const char *src, size_t len,
    char *err, size_t errsz)
{
	struct parser p;
	struct tmpl *t;

	t = xcalloc(1, sizeof(*t));
	t->name = xstrdup(name);
	t->where = xstrdup(where);
	t->src = xstrndup(src, len);

	memset(&p, 0, sizeof(p));
	p.t = t;
	p.err = err;
	p.errsz = errsz;
	p.line = 1;
	p.plain = is_plain(name);
	p.stack[0].tail = &t->root;
	if (parse(&p, t->src, len) == -1)
		goto err;
	return t;
err:
	tmpl_free(t);
	return NULL;
}

/*
 * Linking: every name a template gives in {{> }} and {{extends}} becomes
 * a pointer to a template of the same set, so that a missing partial is
 * an error at start-up and rendering never looks anything up.
 */

static struct tmpl *
set_find(const struct set *s, const char *name)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (strcmp(s->t[i]->name, name) == 0)
			return s->t[i];
	return NULL;
}

static void
set_add(struct set *s, struct tmpl *t)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 16;
		s->t = xrealloc(s->t, s->cap * sizeof(*s->t));
	}
	s->t[s->n++] = t;
}

static void
set_free(struct set *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		tmpl_free(s->t[i]);
	free(s->t);
	memset(s, 0, sizeof(*s));
}

static void
add_ref(struct tmpl *t, struct tmpl *to, int line)
{
	t->refs = xrealloc(t->refs, (t->nrefs + 1) * sizeof(*t->refs));
	t->refs[t->nrefs].t = to;
	t->refs[t->nrefs].line = line;
	t->nrefs++;
}

static int
link_nodes(struct tmpl *t, struct node *n, const struct set *s, char *err,
    size_t errsz)
{
	for (; n != NULL; n = n->next) {
		if (n->type == N_INCLUDE) {
			if ((n->ref = set_find(s, n->str)) == NULL)
				return say(err, errsz, t->where, n->line,
				    "no partial \"%s\" (%s.html)", n->str,
				    n->str);
			if (n->ref->layout != NULL)
				return say(err, errsz, t->where, n->line,
				    "partial \"%s\" extends a layout", n->str);
			add_ref(t, n->ref, n->line);
		}
		if (link_nodes(t, n->body, s, err, errsz) == -1 ||
		    link_nodes(t, n->alt, s, err, errsz) == -1)
			return -1;
	}
	return 0;
}

static int
link(struct tmpl *t, const struct set *s, char *err, size_t errsz)
{
	if (link_nodes(t, t->root, s, err, errsz) == -1)
		return -1;
	if (t->layout == NULL)
		return 0;
	if ((t->layout_t = set_find(s, t->layout)) == NULL)
		return say(err, errsz, t->where, t->layout_line,
		    "no layout \"%s\" (%s.html)", t->layout, t->layout);
	/* One layout per page: the layout of a layout is not a feature. */
	if (t->layout_t->layout != NULL)
		return say(err, errsz, t->where, t->layout_line,
		    "layout \"%s\" extends another", t->layout);
	add_ref(t, t->layout_t, t->layout_line);
	return 0;
}

/*
 * How deep rendering t goes into partials and its layout: never in a
 * loop, and at most TMPL_MAXDEPTH, so that rendering needs no check.
 */
static int
measure(struct tmpl *t, char *err, size_t errsz)
{
	struct ref *r;
	size_t i;

	t->mark = M_OPEN;
	t->height = 1;
	for (i = 0; i < t->nrefs; i++) {
		r = &t->refs[i];
		if (r->t->mark == M_OPEN)
			return say(err, errsz, t->where, r->line,
			    "\"%s\" includes itself", r->t->name);
		if (r->t->mark == M_NEW && measure(r->t, err, errsz) == -1)
			return -1;
		if (r->t->height >= TMPL_MAXDEPTH)
			return say(err, errsz, t->where, r->line, "partials "
			    "and layouts nested deeper than %d",
			    TMPL_MAXDEPTH);
		if (r->t->height + 1 > t->height)
			t->height = r->t->height + 1;
	}
	t->mark = M_DONE;
	return 0;
}

struct tmpl *
tmpl_compile(const char *name, const char *src, size_t len, char *err,
    size_t errsz)
{
	struct tmpl *t;

	if (src == NULL) {
		src = "";
		len = 0;
	}
	if (name == NULL)
		name = "template";
	if (err != NULL && errsz > 0)
		err[0] = '\0';
	if ((t = compile(name, name, src, len, err, errsz)) == NULL)
		return NULL;
	if (link(t, &loaded[0], err, errsz) == -1 ||
	    measure(t, err, errsz) == -1) {
		tmpl_free(t);
		return NULL;
	}
	return t;
}

/*
 * Loading a directory.
 */

static int
read_file(const char *path, struct buf *b, char *err, size_t errsz)
{
	char chunk[8192];
	size_t n;
	FILE *fp;
	int rc = 0;

	if ((fp = fopen(path, "re")) == NULL)
		return say(err, errsz, path, 0, "%s", strerror(errno));
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		buf_add(b, chunk, n);
	if (ferror(fp))
		rc = say(err, errsz, path, 0, "%s", strerror(errno));
	fclose(fp);
	return rc;
}

/* The current language's translation of a unit (tunits.h), if any. */
static const char *
translate_unit(void *arg, const char *unit, int line)
{
	const char *t = tr(unit);

	(void)arg;
	(void)line;
	return t == unit ? NULL : t;
}

/*
 * The source in the current language: each unit replaced by its
 * translation before compiling, so that rendering is the same work in
 * every language (docs/decisions.md, "Languages (issue 13)").
 */
static void
translate(struct buf *src, const char *name)
{
	struct buf out = BUF_INIT;

	if (strcmp(i18n_lang(), "en") == 0)
		return;
	tunits(buf_str(src), src->len, is_plain(name), translate_unit, NULL,
	    &out);
	buf_free(src);
	*src = out;
}

/* tmpl_units: who is told of each unit instead of compiling. */
static struct visit {
	tmpl_unit_fn	 fn;
	void		*arg;
	const char	*where;
} *visiting;

static const char *
visit_unit(void *arg, const char *unit, int line)
{
	struct visit *v = arg;

	v->fn(v->arg, v->where, line, unit);
	return NULL;
}

static int
load_file(struct set *s, const char *name, const char *path, char *err,
    size_t errsz)
{
	struct buf src = BUF_INIT;
	struct tmpl *t;

	/* A text template's name keeps its ".txt". */
	if (!valid_name(name, strlen(name) - (is_plain(name) ? 4 : 0))) {
		say(err, errsz, path, 0, "a template's name is letters, "
		    "digits, - and _ (at most %d)", TMPL_MAXNAME);
		goto err;
	}
	if (read_file(path, &src, err, errsz) == -1)
		goto err;
	if (visiting != NULL) {
		visiting->where = path;
		tunits(buf_str(&src), src.len, is_plain(name), visit_unit,
		    visiting, NULL);
		buf_free(&src);
		return 0;
	}
	translate(&src, name);
	if ((t = compile(name, path, buf_str(&src), src.len, err,
	    errsz)) == NULL)
		goto err;
	set_add(s, t);
	buf_free(&src);
	return 0;
err:
	buf_free(&src);
	return -1;
}

/*
 * Adds dir/NAME.html, or dir/sub/NAME.html (and dir/mail/NAME.txt, named
 * with its ".txt"), in the order of their names;
 * in dir itself, also each subdirectory but static/.
 */
static int
load_dir(struct set *s, const char *dir, const char *sub, char *err,
    size_t errsz)
{
	struct buf path = BUF_INIT, file = BUF_INIT, name = BUF_INIT;
	struct dirent **ents = NULL;
	struct stat st;
	const char *e;
	int i, n, rc = -1;
	size_t len;

	buf_puts(&path, dir);
	if (sub != NULL)
		buf_printf(&path, "/%s", sub);
	if ((n = scandir(path.data, &ents, NULL, alphasort)) == -1) {
		say(err, errsz, path.data, 0, "%s", strerror(errno));
		goto done;
	}
	for (i = 0; i < n; i++) {
		e = ents[i]->d_name;
		len = strlen(e);
		if (e[0] == '.')
			continue;
		buf_reset(&file);
		buf_printf(&file, "%s/%s", path.data, e);
		if (stat(file.data, &st) == -1) {
			say(err, errsz, file.data, 0, "%s", strerror(errno));
			goto done;
		}
		if (S_ISDIR(st.st_mode)) {
			if (sub == NULL && strcmp(e, TMPL_STATIC) != 0 &&
			    load_dir(s, dir, e, err, errsz) == -1)
				goto done;
			continue;
		}
		if (!S_ISREG(st.st_mode))
			continue;
		buf_reset(&name);
		if (sub != NULL)
			buf_printf(&name, "%s/", sub);
		if (len > 5 && strcmp(e + len - 5, ".html") == 0)
			buf_add(&name, e, len - 5);
		else if (len > 4 && strcmp(e + len - 4, TMPL_TEXT) == 0 &&
		    str_eq(sub, TMPL_TEXT_DIR))
			buf_add(&name, e, len);
		else
			continue;
		if (load_file(s, buf_str(&name), file.data, err, errsz) == -1)
			goto done;
	}
	rc = 0;
done:
	for (i = 0; i < n; i++)
		free(ents[i]);
	free(ents);
	buf_free(&path);
	buf_free(&file);
	buf_free(&name);
	return rc;
}

/* The templates of dir in the current language, into s. */
static int
load_set(struct set *s, const char *dir, char *err, size_t errsz)
{
	size_t i;

	if (load_dir(s, dir, NULL, err, errsz) == -1)
		return -1;
	for (i = 0; i < s->n; i++)
		if (link(s->t[i], s, err, errsz) == -1)
			return -1;
	for (i = 0; i < s->n; i++)
		if (s->t[i]->mark == M_NEW &&
		    measure(s->t[i], err, errsz) == -1)
			return -1;
	return 0;
}

int
tmpl_load(const char *dir, char *err, size_t errsz)
{
	struct set s[I18N_MAX + 1];
	const char *const *langs = i18n_available();
	char *was = xstrdup(i18n_lang());
	char lerr[512];
	size_t i, k;

	memset(s, 0, sizeof(s));
	if (err != NULL && errsz > 0)
		err[0] = '\0';
	/* English is the source: its errors stop start-up. */
	i18n_set(NULL);
	if (load_set(&s[0], dir, err, errsz) == -1)
		goto err;
	/* A translation that does not compile (its tags are checked when
	 * the catalogue loads, so it should not happen) costs only that
	 * language, which then shows English. */
	for (k = 1; k <= I18N_MAX && langs[k] != NULL; k++) {
		i18n_set(langs[k]);
		if (load_set(&s[k], dir, lerr, sizeof(lerr)) == -1) {
			fprintf(stderr, "tmpl: %s: %s; showing English\n",
			    langs[k], lerr);
			set_free(&s[k]);
		}
	}
	i18n_set(was);
	free(was);
	for (i = 0; i <= I18N_MAX; i++) {
		set_free(&loaded[i]);
		loaded[i] = s[i];
	}
	return 0;
err:
	i18n_set(was);
	free(was);
	for (i = 0; i <= I18N_MAX; i++)
		set_free(&s[i]);
	return -1;
}

int
tmpl_units(const char *dir, tmpl_unit_fn fn, void *arg, char *err,
    size_t errsz)
{
	struct set s = { NULL, 0, 0 };
	struct visit v = { fn, arg, NULL };
	int rc;

	visiting = &v;
	rc = load_dir(&s, dir, NULL, err, errsz);
	visiting = NULL;
	set_free(&s);
	return rc;
}

/* The set of the current language, or English's. */
static const struct set *
current_set(void)
{
	const char *const *langs = i18n_available();
	const char *lang = i18n_lang();
	size_t k;

	for (k = 1; k <= I18N_MAX && langs[k] != NULL; k++)
		if (strcmp(langs[k], lang) == 0 && loaded[k].n > 0)
			return &loaded[k];
	return &loaded[0];
}

const struct tmpl *
tmpl_get(const char *name)
{
	struct tmpl *t;

	if (name != NULL && (t = set_find(current_set(), name)) != NULL)
		return t;
	fprintf(stderr, "tmpl: no template \"%.*s\"\n", TMPL_MAXNAME,
	    name != NULL ? name : "");
	return NULL;
}

/*
 * Rendering.
 */

struct scope {
	struct json_object	*obj;
	const struct scope	*up;
};

/* What {{yield}} renders: the page a layout wraps. */
struct yield {
	const struct node	*body;
	const struct scope	*scope;
};

static void	render_list(struct buf *, const struct node *,
		    const struct scope *, const struct yield *);

/* The innermost scope that has key wins, even when its value is null. */
static struct json_object *
lookup_scope(const struct scope *sc, const char *key)
{
	struct json_object *v;

	for (; sc != NULL; sc = sc->up)
		if (json_object_is_type(sc->obj, json_type_object) &&
		    json_object_object_get_ex(sc->obj, key, &v))
			return v;
	return NULL;
}

static struct json_object *
lookup(const struct path *path, const struct scope *sc)
{
	struct json_object *o, *v;
	size_t i;

	o = lookup_scope(sc, path->seg[0]);
	for (i = 1; i < path->nseg && o != NULL; i++)
		o = json_object_is_type(o, json_type_object) &&
		    json_object_object_get_ex(o, path->seg[i], &v) ? v : NULL;
	return o;
}

static size_t
fmt_len(int n)
{
	return n < 0 ? 0 : (size_t)n;
}

static size_t
fmt_int(char *tmp, size_t sz, struct json_object *o)
{
	int64_t i = json_object_get_int64(o);

	/* json-c clamps values it keeps as uint64 to INT64_MAX here. */
	if (i == INT64_MAX)
		return fmt_len(snprintf(tmp, sz, "%" PRIu64,
		    json_object_get_uint64(o)));
	return fmt_len(snprintf(tmp, sz, "%" PRId64, i));
}

/* The shortest of %.15g and %.17g that reads back the same: 0.1, not
 * 0.10000000000000001. */
static size_t
fmt_double(char *tmp, size_t sz, double d)
{
	int n;

	n = snprintf(tmp, sz, "%.15g", d);
	if (strtod(tmp, NULL) != d)
		n = snprintf(tmp, sz, "%.17g", d);
	return fmt_len(n);
}

/* The text {{x}} shows; tmp holds it when it has to be formatted. */
static const char *
val_text(struct json_object *o, char *tmp, size_t sz, size_t *len)
{
	switch (json_object_get_type(o)) {
	case json_type_string:
		*len = (size_t)json_object_get_string_len(o);
		return json_object_get_string(o);
	case json_type_boolean:
		*len = json_object_get_boolean(o) ? 4 : 5;
		return json_object_get_boolean(o) ? "true" : "false";
	case json_type_int:
		*len = fmt_int(tmp, sz, o);
		return tmp;
	case json_type_double:
		*len = fmt_double(tmp, sz, json_object_get_double(o));
		return tmp;
	case json_type_null:
	case json_type_object:
	case json_type_array:
		break;
	}
	*len = 0;
	return "";
}

static int
val_truthy(struct json_object *o)
{
	switch (json_object_get_type(o)) {
	case json_type_boolean:
		return json_object_get_boolean(o);
	case json_type_int:
		return json_object_get_int64(o) != 0;
	case json_type_double:
		return json_object_get_double(o) != 0.0;
	case json_type_string:
		return json_object_get_string_len(o) > 0;
	case json_type_array:
		return json_object_array_length(o) > 0;
	case json_type_object:
		return 1;
	case json_type_null:
		break;
	}
	return 0;
}

static int
val_eq(struct json_object *o, const char *lit, size_t litlen)
{
	char tmp[32];
	const char *s;
	size_t len;

	s = val_text(o, tmp, sizeof(tmp), &len);
	return len == litlen && memcmp(s, lit, len) == 0;
}

static void
render_var(struct buf *out, const struct node *n, const struct scope *sc)
{
	char tmp[32];
	const char *s;
	size_t len;

	s = val_text(lookup(&n->path, sc), tmp, sizeof(tmp), &len);
	if (n->type == N_TIME || n->type == N_DATE)
		time_render(out, len > 0 ? s : "", n->html,
		    n->type == N_DATE);
	else if (n->type == N_RAW)
		buf_add(out, s, len);
	else if (n->type == N_URL)
		url_segment(out, s, len);
	else
		html_escape(out, s, len);
}

static void
render_each(struct buf *out, const struct node *n, const struct scope *sc,
    const struct yield *y)
{
	struct json_object *list = lookup(&n->path, sc);
	struct scope elem;
	size_t i, len;

	if (!json_object_is_type(list, json_type_array) ||
	    (len = json_object_array_length(list)) == 0) {
		render_list(out, n->alt, sc, y);
		return;
	}
	elem.up = sc;
	for (i = 0; i < len; i++) {
		elem.obj = json_object_array_get_idx(list, i);
		render_list(out, n->body, &elem, y);
	}
}

/* A page that extends a layout is rendered by the layout's {{yield}}. */
static void
render_tmpl(struct buf *out, const struct tmpl *t, const struct scope *sc)
{
	struct yield page;

	if (t->layout_t == NULL) {
		render_list(out, t->root, sc, NULL);
		return;
	}
	page.body = t->root;
	page.scope = sc;
	render_list(out, t->layout_t->root, sc, &page);
}

static void
render_node(struct buf *out, const struct node *n, const struct scope *sc,
    const struct yield *y)
{
	switch (n->type) {
	case N_TEXT:
		buf_add(out, n->text, n->len);
		break;
	case N_VAR:
	case N_RAW:
	case N_URL:
	case N_TIME:
	case N_DATE:
		render_var(out, n, sc);
		break;
	case N_IF:
		render_list(out, val_truthy(lookup(&n->path, sc)) ? n->body :
		    n->alt, sc, y);
		break;
	case N_EQ:
		render_list(out, val_eq(lookup(&n->path, sc), n->str, n->len) ?
		    n->body : n->alt, sc, y);
		break;
	case N_EACH:
		render_each(out, n, sc, y);
		break;
	case N_INCLUDE:
		/* A partial has no layout (link()), and yields nothing. */
		render_tmpl(out, n->ref, sc);
		break;
	case N_YIELD:
		if (y != NULL)
			render_list(out, y->body, y->scope, NULL);
		break;
	}
}

static void
render_list(struct buf *out, const struct node *n, const struct scope *sc,
    const struct yield *y)
{
	for (; n != NULL; n = n->next)
		render_node(out, n, sc, y);
}

int
tmpl_render(const struct tmpl *t, struct json_object *ctx, struct buf *out)
{
	struct scope root = { ctx, NULL };

	/* tmpl_render(tmpl_get(name), ...) needs no check of its own. */
	if (t == NULL)
		return -1;
	render_tmpl(out, t, &root);
	return 0;
}
