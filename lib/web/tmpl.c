/*
 * tmpl: a template is parsed once into a tree of nodes; rendering walks
 * the tree against json-c values and allocates nothing but output.
 * Names in tags are split at their dots while compiling, and the scope
 * chain of {{#each}} lives on the C stack.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "escape.h"
#include "tmpl.h"
#include "util.h"

#define TMPL_MAXNEST	64	/* blocks inside blocks in one template */
#define TMPL_MAXDEPTH	16	/* partials and layouts inside each other */
#define TMPL_MAXNAME	64	/* bytes of a template name */
#define TMPL_SHOW	40	/* bytes of a bad tag quoted in an error */

enum ntype {
	N_TEXT,
	N_VAR,
	N_RAW,
	N_IF,
	N_UNLESS,
	N_EQ,
	N_EACH,
	N_INCLUDE,
	N_YIELD
};

enum pkind {
	P_NAME,		/* a, a.b.c */
	P_DOT,		/* . */
	P_INDEX		/* @index */
};

struct path {
	enum pkind	 kind;
	size_t		 nseg;
	char		**seg;	/* seg[0] owns the bytes of all of them */
};

struct node {
	enum ntype	 type;
	struct node	*next;
	struct node	*body;	/* blocks */
	struct node	*alt;	/* blocks: after {{else}} */
	struct path	 path;	/* var, raw and blocks */
	const char	*text;	/* text: points into tmpl->src */
	char		*str;	/* include: template name; eq: the literal */
	size_t		 len;	/* of text or str */
};

struct tmpl {
	char		*name;	/* for messages */
	char		*src;	/* text nodes point into it */
	char		*layout;	/* from {{extends}}, or NULL */
	struct node	*root;
};

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
	int		 top;
	struct frame	 stack[TMPL_MAXNEST + 1];
};

static int	parse_tag(struct parser *, struct span, int);
static void	free_nodes(struct node *);

static int
perr(struct parser *p, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
perr(struct parser *p, int line, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (p->err == NULL || p->errsz == 0)
		return -1;
	n = snprintf(p->err, p->errsz, "%s:%d: ", p->t->name, line);
	if (n >= 0 && (size_t)n < p->errsz) {
		va_start(ap, fmt);
		vsnprintf(p->err + n, p->errsz - (size_t)n, fmt, ap);
		va_end(ap);
	}
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

	if (span_is(s, ".")) {
		path->kind = P_DOT;
		return 0;
	}
	if (span_is(s, "@index")) {
		path->kind = P_INDEX;
		return 0;
	}
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
	path->kind = P_NAME;
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
	case N_UNLESS:
		return "unless";
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
		return perr(p, line, "bad name \"%.*s\"", show(s), s.p);
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
	else if (span_is(kw, "unless"))
		type = N_UNLESS;
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
	/* Only white space came before; it is not part of the page. */
	free_nodes(p->t->root);
	p->t->root = NULL;
	p->stack[0].tail = &p->t->root;
	return 0;
}

/* Tags that start with a word: else, yield, extends, raw, or a name. */
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
	if (rest.n == 0)
		return tag_var(p, N_VAR, word, line);
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
	case '!':
		return 0;
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
	free(t->src);
	free(t->layout);
	free(t);
}

struct tmpl *
tmpl_compile(const char *name, const char *src, size_t len, char *err,
    size_t errsz)
{
	struct parser p;
	struct tmpl *t;

	if (src == NULL) {
		src = "";
		len = 0;
	}
	if (err != NULL && errsz > 0)
		err[0] = '\0';
	t = xcalloc(1, sizeof(*t));
	t->name = xstrdup(name != NULL ? name : "template");
	t->src = xstrndup(src, len);

	memset(&p, 0, sizeof(p));
	p.t = t;
	p.err = err;
	p.errsz = errsz;
	p.line = 1;
	p.stack[0].tail = &t->root;
	if (parse(&p, t->src, len) == -1)
		goto err;
	return t;
err:
	tmpl_free(t);
	return NULL;
}

/*
 * The per-process cache. Entries live until the directory changes,
 * which in practice is never after start-up (the unit tests do it).
 */

struct cached {
	char		*name;
	struct tmpl	*t;
};

static char		*tmpl_dir;
static struct cached	*cache;
static size_t		 ncache, cachecap;

static void
cache_clear(void)
{
	size_t i;

	for (i = 0; i < ncache; i++) {
		free(cache[i].name);
		tmpl_free(cache[i].t);
	}
	free(cache);
	cache = NULL;
	ncache = cachecap = 0;
}

void
tmpl_set_dir(const char *dir)
{
	if (str_eq(dir, tmpl_dir))
		return;
	cache_clear();
	free(tmpl_dir);
	tmpl_dir = dir != NULL ? xstrdup(dir) : NULL;
}

static int
read_all(FILE *fp, struct buf *b)
{
	char chunk[8192];
	size_t n;

	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		buf_add(b, chunk, n);
	return ferror(fp) ? -1 : 0;
}

static struct tmpl *
load(const char *name)
{
	struct buf path = BUF_INIT, src = BUF_INIT;
	struct tmpl *t = NULL;
	char err[256];
	FILE *fp;

	buf_printf(&path, "%s/%s.html", tmpl_dir != NULL ? tmpl_dir : "html",
	    name);
	if ((fp = fopen(path.data, "re")) == NULL) {
		fprintf(stderr, "tmpl: %s: %s\n", path.data, strerror(errno));
		goto done;
	}
	if (read_all(fp, &src) == -1) {
		fprintf(stderr, "tmpl: %s: %s\n", path.data, strerror(errno));
		fclose(fp);
		goto done;
	}
	fclose(fp);
	t = tmpl_compile(path.data, buf_str(&src), src.len, err, sizeof(err));
	if (t == NULL)
		fprintf(stderr, "tmpl: %s\n", err);
done:
	buf_free(&path);
	buf_free(&src);
	return t;
}

const struct tmpl *
tmpl_get(const char *name)
{
	struct tmpl *t;
	size_t i;

	if (name == NULL || !valid_name(name, strlen(name))) {
		fprintf(stderr, "tmpl: bad template name \"%.*s\"\n",
		    TMPL_MAXNAME, name != NULL ? name : "");
		return NULL;
	}
	for (i = 0; i < ncache; i++)
		if (strcmp(cache[i].name, name) == 0)
			return cache[i].t;
	/* Failures are not cached: the next request says why again. */
	if ((t = load(name)) == NULL)
		return NULL;
	if (ncache == cachecap) {
		cachecap = cachecap ? cachecap * 2 : 16;
		cache = xrealloc(cache, cachecap * sizeof(*cache));
	}
	cache[ncache].name = xstrdup(name);
	cache[ncache].t = t;
	ncache++;
	return t;
}

/*
 * Rendering.
 */

struct scope {
	struct json_object	*obj;
	const struct scope	*up;
	size_t			 index;
	int			 each;	/* pushed by {{#each}}: index is set */
};

/* What {{yield}} renders: the page a layout wraps. */
struct yield {
	const struct node	*body;
	const struct scope	*scope;
	const struct yield	*up;	/* for a layout that extends another */
};

struct render {
	struct buf	*out;
	int		 depth;
};

/* A looked-up value: a json-c object, or the number {{@index}}. */
struct val {
	struct json_object	*obj;
	size_t			 index;
	int			 isindex;
};

static int	render_list(struct render *, const struct node *,
		    const struct scope *, const struct yield *);
static int	render_tmpl(struct render *, const struct tmpl *,
		    const struct scope *, const struct yield *);

/* A key of an object, or a decimal index into an array. */
static struct json_object *
child(struct json_object *o, const char *key)
{
	struct json_object *v;
	long long i;

	if (json_object_is_type(o, json_type_object))
		return json_object_object_get_ex(o, key, &v) ? v : NULL;
	if (json_object_is_type(o, json_type_array) &&
	    parse_int(key, 0, INT32_MAX, &i) == 0 &&
	    (size_t)i < json_object_array_length(o))
		return json_object_array_get_idx(o, (size_t)i);
	return NULL;
}

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

static struct val
lookup(const struct path *path, const struct scope *sc)
{
	struct val v = { NULL, 0, 0 };
	size_t i;

	switch (path->kind) {
	case P_DOT:
		v.obj = sc->obj;
		return v;
	case P_INDEX:
		for (; sc != NULL; sc = sc->up)
			if (sc->each) {
				v.index = sc->index;
				v.isindex = 1;
				break;
			}
		return v;
	case P_NAME:
		break;
	}
	v.obj = lookup_scope(sc, path->seg[0]);
	for (i = 1; i < path->nseg && v.obj != NULL; i++)
		v.obj = child(v.obj, path->seg[i]);
	return v;
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
val_text(const struct val *v, char *tmp, size_t sz, size_t *len)
{
	struct json_object *o = v->obj;

	if (v->isindex) {
		*len = fmt_len(snprintf(tmp, sz, "%zu", v->index));
		return tmp;
	}
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
val_truthy(const struct val *v)
{
	struct json_object *o = v->obj;

	if (v->isindex)
		return v->index != 0;
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
val_eq(const struct val *v, const char *lit, size_t litlen)
{
	char tmp[32];
	const char *s;
	size_t len;

	s = val_text(v, tmp, sizeof(tmp), &len);
	return len == litlen && memcmp(s, lit, len) == 0;
}

static void
render_var(struct render *r, const struct node *n, const struct scope *sc)
{
	struct val v = lookup(&n->path, sc);
	char tmp[32];
	const char *s;
	size_t len;

	s = val_text(&v, tmp, sizeof(tmp), &len);
	if (n->type == N_RAW)
		buf_add(r->out, s, len);
	else
		html_escape(r->out, s, len);
}

static int
render_each(struct render *r, const struct node *n, const struct scope *sc,
    const struct yield *y)
{
	struct val v = lookup(&n->path, sc);
	struct scope elem;
	size_t i, len;

	if (!json_object_is_type(v.obj, json_type_array) ||
	    (len = json_object_array_length(v.obj)) == 0)
		return render_list(r, n->alt, sc, y);
	elem.up = sc;
	elem.each = 1;
	for (i = 0; i < len; i++) {
		elem.obj = json_object_array_get_idx(v.obj, i);
		elem.index = i;
		if (render_list(r, n->body, &elem, y) == -1)
			return -1;
	}
	return 0;
}

static int
render_node(struct render *r, const struct node *n, const struct scope *sc,
    const struct yield *y)
{
	const struct tmpl *t;
	struct val v;

	switch (n->type) {
	case N_TEXT:
		buf_add(r->out, n->text, n->len);
		return 0;
	case N_VAR:
	case N_RAW:
		render_var(r, n, sc);
		return 0;
	case N_IF:
		v = lookup(&n->path, sc);
		return render_list(r, val_truthy(&v) ? n->body : n->alt, sc, y);
	case N_UNLESS:
		v = lookup(&n->path, sc);
		return render_list(r, val_truthy(&v) ? n->alt : n->body, sc, y);
	case N_EQ:
		v = lookup(&n->path, sc);
		return render_list(r, val_eq(&v, n->str, n->len) ? n->body :
		    n->alt, sc, y);
	case N_EACH:
		return render_each(r, n, sc, y);
	case N_INCLUDE:
		if ((t = tmpl_get(n->str)) == NULL)
			return -1;
		return render_tmpl(r, t, sc, y);
	case N_YIELD:
		if (y == NULL)
			return 0;
		return render_list(r, y->body, y->scope, y->up);
	}
	return 0;
}

static int
render_list(struct render *r, const struct node *n, const struct scope *sc,
    const struct yield *y)
{
	for (; n != NULL; n = n->next)
		if (render_node(r, n, sc, y) == -1)
			return -1;
	return 0;
}

/* A page that extends a layout is rendered by the layout's {{yield}}. */
static int
render_tmpl(struct render *r, const struct tmpl *t, const struct scope *sc,
    const struct yield *y)
{
	const struct tmpl *layout;
	struct yield page;
	int rc;

	if (r->depth >= TMPL_MAXDEPTH) {
		fprintf(stderr, "tmpl: %s: partials and layouts nested deeper "
		    "than %d\n", t->name, TMPL_MAXDEPTH);
		return -1;
	}
	r->depth++;
	if (t->layout == NULL)
		rc = render_list(r, t->root, sc, y);
	else if ((layout = tmpl_get(t->layout)) == NULL)
		rc = -1;
	else {
		page.body = t->root;
		page.scope = sc;
		page.up = y;
		rc = render_tmpl(r, layout, sc, &page);
	}
	r->depth--;
	return rc;
}

int
tmpl_render(const struct tmpl *t, struct json_object *ctx, struct buf *out)
{
	struct render r = { out, 0 };
	struct scope root = { ctx, NULL, 0, 0 };

	/* tmpl_render(tmpl_get(name), ...) needs no check of its own. */
	if (t == NULL)
		return -1;
	return render_tmpl(&r, t, &root, NULL);
}
