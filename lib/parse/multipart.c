/*
 * multipart: multipart/form-data request bodies (RFC 7578, RFC 2046)
 * and the boundary parameter of their Content-Type.
 *
 * The body is walked once from front to back: each part's closing
 * delimiter is searched for from where the part starts, and its header
 * block is looked for only before that delimiter, so the work is linear
 * in the body however it is shaped. Anything the grammar does not
 * allow is an error rather than a guess, since a lenient parser is one
 * that can be made to disagree with the browser about where a part ends.
 *
 * Plain fields are copied, within a budget for all of them that is
 * checked while the end of each is searched for, so an oversized field
 * is refused before any of it is copied; files are left where they are
 * in the body (an upload spooled to a mapped file is not copied into
 * memory), and the search for a delimiter reports its progress through
 * a long part.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "parse.h"
#include "util.h"

#define BOUNDARY_MAX	70	/* RFC 2046 */
#define HEADER_MAX	8192	/* bytes of one part's header block */

/* A read position in a header value that is not NUL-terminated. */
struct cur {
	const char	*p;
	const char	*end;
};

/* Where the caller of multipart_parse_paced last heard we had read to. */
struct pace {
	void		(*progress)(void *, const char *);
	void		*arg;
	const char	*told;
};

static int
is_ows(char c)
{
	return c == ' ' || c == '\t';
}

/* RFC 7230 tchar. */
static int
is_tchar(char c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9'))
		return 1;
	return c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

/* RFC 2046 bchars, less the space, which is checked on its own. */
static int
is_bchar(char c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9'))
		return 1;
	return c != '\0' && strchr("'()+_,-./:=?", c) != NULL;
}

/* Case-insensitive comparison of s[0..n) with the lower-case lit. */
static int
ieq(const char *s, size_t n, const char *lit)
{
	size_t i;
	char c;

	if (strlen(lit) != n)
		return 0;
	for (i = 0; i < n; i++) {
		c = s[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c != lit[i])
			return 0;
	}
	return 1;
}

/*
 * The first needle (which starts with CR, and for the delimiter is at
 * most 74 bytes) in s[0..n), or NULL. Each CR costs at most nlen
 * compares, so this stays linear. Not memmem: sanitizer builds check
 * its whole haystack on every call, which makes many small parts
 * quadratic, and it needs _GNU_SOURCE.
 */
static const char *
find_cr(const char *s, size_t n, const char *needle, size_t nlen)
{
	const char *cr;

	while (n >= nlen) {
		if ((cr = memchr(s, '\r', n - nlen + 1)) == NULL)
			return NULL;
		if (memcmp(cr, needle, nlen) == 0)
			return cr;
		n -= (size_t)(cr - s) + 1;
		s = cr + 1;
	}
	return NULL;
}

static void
pace_at(struct pace *pc, const char *p)
{
	if (pc->progress != NULL && p - pc->told >= MULTIPART_STEP) {
		pc->progress(pc->arg, p);
		pc->told = p;
	}
}

/*
 * find_cr for a delimiter, a window of MULTIPART_STEP starting points at
 * a time, so a long part's progress is told as it is read. Each window
 * holds the whole of a delimiter that starts in it.
 */
static const char *
find_dlm(struct pace *pc, const char *s, size_t n, const char *dlm,
    size_t dlen)
{
	const char *m;

	while (n >= MULTIPART_STEP + dlen) {
		if ((m = find_cr(s, MULTIPART_STEP + dlen - 1, dlm, dlen)) !=
		    NULL)
			return m;
		s += MULTIPART_STEP;
		n -= MULTIPART_STEP;
		pace_at(pc, s);
	}
	return find_cr(s, n, dlm, dlen);
}

static void
skip_ows(struct cur *c)
{
	while (c->p < c->end && is_ows(*c->p))
		c->p++;
}

/* Consumes a run of tchars and returns its length (maybe 0). */
static size_t
token(struct cur *c)
{
	const char *s = c->p;

	while (c->p < c->end && is_tchar(*c->p))
		c->p++;
	return (size_t)(c->p - s);
}

/*
 * A parameter value: a quoted-string, whose backslash escapes are
 * undone, or a bare run up to the next separator. The bare form is wider
 * than a token because boundaries may hold '/', ':', '=' and the like,
 * and senders do not always quote them.
 */
static int
param_value(struct cur *c, struct buf *out)
{
	const char *s;

	if (c->p < c->end && *c->p == '"') {
		c->p++;
		for (;;) {
			if (c->p == c->end)
				return -1;
			if (*c->p == '"')
				break;
			if (*c->p == '\\' && ++c->p == c->end)
				return -1;
			buf_add(out, c->p++, 1);
		}
		c->p++;
		return 0;
	}
	s = c->p;
	while (c->p < c->end && *c->p != ';' && *c->p != '"' &&
	    *c->p != '\\' && (unsigned char)*c->p > ' ' && *c->p != 0x7f)
		c->p++;
	if (c->p == s)
		return -1;
	buf_add(out, s, (size_t)(c->p - s));
	return 0;
}

/*
 * Reads the next "; name=value" parameter into *name, *nlen and val.
 * Empty parameters (";;", a trailing ';') are passed over. Returns 1 for
 * a parameter, 0 at the end, -1 on bad syntax.
 */
static int
next_param(struct cur *c, const char **name, size_t *nlen, struct buf *val)
{
	for (;;) {
		skip_ows(c);
		if (c->p == c->end)
			return 0;
		if (*c->p != ';')
			return -1;
		c->p++;
		skip_ows(c);
		if (c->p == c->end)
			return 0;
		if (*c->p != ';')
			break;
	}
	*name = c->p;
	if ((*nlen = token(c)) == 0)
		return -1;
	skip_ows(c);
	if (c->p == c->end || *c->p != '=')
		return -1;
	c->p++;
	skip_ows(c);
	buf_reset(val);
	if (param_value(c, val) == -1)
		return -1;
	return 1;
}

static int
boundary_ok(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n > BOUNDARY_MAX || s[n - 1] == ' ')
		return 0;
	for (i = 0; i < n; i++)
		if (s[i] != ' ' && !is_bchar(s[i]))
			return 0;
	return 1;
}

/* Matches "type/subtype" (case-insensitive) at the cursor. */
static int
media_type(struct cur *c, const char *type, const char *subtype)
{
	const char *s;
	size_t n;

	skip_ows(c);
	s = c->p;
	n = token(c);
	if (!ieq(s, n, type) || c->p == c->end || *c->p != '/')
		return 0;
	c->p++;
	s = c->p;
	n = token(c);
	return ieq(s, n, subtype);
}

int
multipart_boundary(const char *ct, char *out, size_t outsz)
{
	struct cur c;
	struct buf v = BUF_INIT;
	char b[BOUNDARY_MAX + 1];
	const char *name;
	size_t nlen, blen = 0;
	int r;

	if (ct == NULL || out == NULL)
		return -1;
	c.p = ct;
	c.end = ct + strlen(ct);
	if (!media_type(&c, "multipart", "form-data"))
		return -1;
	while ((r = next_param(&c, &name, &nlen, &v)) == 1) {
		if (!ieq(name, nlen, "boundary"))
			continue;
		/* Two boundaries: no way to know which the sender meant. */
		if (blen != 0 || !boundary_ok(v.data, v.len))
			goto err;
		memcpy(b, v.data, v.len);
		blen = v.len;
	}
	if (r == -1 || blen == 0 || blen >= outsz)
		goto err;
	memcpy(out, b, blen);
	out[blen] = '\0';
	buf_free(&v);
	return 0;
err:
	buf_free(&v);
	return -1;
}

/*
 * An RFC 5987 ext-value, charset'language'percent-encoded. Sets *out to
 * the decoded bytes, or to NULL for a charset other than UTF-8 (the
 * plain filename is used then). A NUL is refused: the result is a C
 * string and would be cut short.
 */
static int
ext_value(const char *s, size_t n, char **out)
{
	const char *q1, *q2, *end = s + n;
	struct buf b = BUF_INIT;
	int hi, lo;
	char ch;

	*out = NULL;
	if ((q1 = memchr(s, '\'', n)) == NULL ||
	    (q2 = memchr(q1 + 1, '\'', (size_t)(end - q1 - 1))) == NULL)
		return -1;
	if (!ieq(s, (size_t)(q1 - s), "utf-8"))
		return 0;
	for (s = q2 + 1; s < end; s++) {
		if (*s != '%') {
			buf_add(&b, s, 1);
			continue;
		}
		if (end - s < 3 || (hi = hex_value(s[1])) < 0 ||
		    (lo = hex_value(s[2])) < 0 || (hi == 0 && lo == 0))
			goto err;
		ch = (char)(hi << 4 | lo);
		buf_add(&b, &ch, 1);
		s += 2;
	}
	*out = buf_detach(&b);
	return 0;
err:
	buf_free(&b);
	return -1;
}

/* Content-Disposition: form-data; name="..."; filename="..." */
static int
disposition(const char *s, size_t n, struct part *pt)
{
	struct cur c = { s, s + n };
	struct buf v = BUF_INIT;
	const char *name, *t;
	char *fext = NULL;
	size_t nlen;
	int r, seen_fext = 0;

	skip_ows(&c);
	t = c.p;
	nlen = token(&c);
	if (!ieq(t, nlen, "form-data"))
		return -1;
	while ((r = next_param(&c, &name, &nlen, &v)) == 1) {
		/* A repeated parameter is ambiguous, so it is refused. */
		if (ieq(name, nlen, "name")) {
			if (pt->name != NULL || v.len == 0)
				goto err;
			pt->name = xstrndup(v.data, v.len);
		} else if (ieq(name, nlen, "filename")) {
			if (pt->filename != NULL)
				goto err;
			pt->filename = xstrndup(buf_str(&v), v.len);
		} else if (ieq(name, nlen, "filename*")) {
			if (seen_fext ||
			    ext_value(buf_str(&v), v.len, &fext) == -1)
				goto err;
			seen_fext = 1;
		}
	}
	if (r == -1 || pt->name == NULL)
		goto err;
	/* RFC 6266: filename* wins over filename when both are given. */
	if (fext != NULL) {
		free(pt->filename);
		pt->filename = fext;
	}
	buf_free(&v);
	return 0;
err:
	free(fext);
	buf_free(&v);
	return -1;
}

/* One "Name: value" line of a part's header block, without its CRLF. */
static int
header_line(const char *s, size_t n, struct part *pt)
{
	const char *colon, *v;
	size_t nlen, vlen, i;

	/* No NUL, no lone CR or LF, no obsolete line folding. */
	if (memchr(s, '\0', n) || memchr(s, '\r', n) || memchr(s, '\n', n))
		return -1;
	if ((colon = memchr(s, ':', n)) == NULL)
		return -1;
	nlen = (size_t)(colon - s);
	while (nlen > 0 && is_ows(s[nlen - 1]))
		nlen--;
	if (nlen == 0)
		return -1;
	for (i = 0; i < nlen; i++)
		if (!is_tchar(s[i]))
			return -1;
	v = colon + 1;
	vlen = n - (size_t)(v - s);
	while (vlen > 0 && is_ows(*v)) {
		v++;
		vlen--;
	}
	while (vlen > 0 && is_ows(v[vlen - 1]))
		vlen--;

	if (ieq(s, nlen, "content-disposition")) {
		if (pt->name != NULL)
			return -1;
		return disposition(v, vlen, pt);
	}
	if (ieq(s, nlen, "content-type")) {
		if (pt->content_type != NULL)
			return -1;
		pt->content_type = xstrndup(v, vlen);
	}
	return 0;
}

static int
header_block(const char *s, size_t n, struct part *pt)
{
	const char *end = s + n, *eol;

	for (;;) {
		if ((eol = find_cr(s, (size_t)(end - s), "\r\n", 2)) == NULL)
			eol = end;
		if (header_line(s, (size_t)(eol - s), pt) == -1)
			return -1;
		if (eol == end)
			return 0;
		s = eol + 2;
	}
}

static void
part_clear(struct part *pt)
{
	free(pt->name);
	free(pt->filename);
	free(pt->content_type);
	if (!pt->borrowed)
		free((char *)pt->data);
	memset(pt, 0, sizeof(*pt));
}

/*
 * The header block of the part at p (just past a delimiter line): the
 * first blank line within HEADER_MAX bytes, with no delimiter starting
 * before the data (in the headers, or opening the data, which makes the
 * body malformed). Returns where the data starts, or NULL.
 */
static const char *
part_head(const char *p, const char *end, const char *dlm, size_t dlen,
    struct part *pt)
{
	const char *h;
	size_t win = (size_t)(end - p), n;

	/* No header block at all means no name either. */
	if (win >= 2 && p[0] == '\r' && p[1] == '\n')
		return NULL;
	if (win > HEADER_MAX + 4)
		win = HEADER_MAX + 4;
	if ((h = find_cr(p, win, "\r\n\r\n", 4)) == NULL)
		return NULL;
	/* From the CRLF before the part: a delimiter that starts before
	 * the data, even one that runs into it. */
	n = (size_t)(h + 4 - (p - 2)) + dlen - 1;
	if (n > (size_t)(end - (p - 2)))
		n = (size_t)(end - (p - 2));
	if (find_cr(p - 2, n, dlm, dlen) != NULL)
		return NULL;
	if (header_block(p, (size_t)(h - p), pt) == -1 || pt->name == NULL)
		return NULL;
	return h + 4;
}

/*
 * Reads the part that starts at *pp (just past a delimiter line, so
 * (*pp)[-2] is its CRLF) and moves *pp to just past the delimiter that
 * ends it. dlm is CRLF "--" boundary. A plain field is copied, and
 * *text_left (the bytes plain fields may still have) shrinks by its
 * size; one that would pass it is refused as soon as the search for its
 * end has gone that far, before anything is copied (MULTIPART_LARGE).
 */
static int
one_part(struct pace *pc, const char **pp, const char *end, const char *dlm,
    size_t dlen, size_t *text_left, struct part *pt)
{
	const char *m, *data;
	char *copy;
	size_t n;
	int rc = MULTIPART_BAD;

	memset(pt, 0, sizeof(*pt));
	if ((data = part_head(*pp, end, dlm, dlen, pt)) == NULL)
		goto err;
	n = (size_t)(end - data);
	/* A plain field's data, then its delimiter, within the budget. */
	if (pt->filename == NULL && n > dlen && n - dlen > *text_left)
		n = *text_left + dlen;
	if ((m = find_dlm(pc, data, n, dlm, dlen)) == NULL) {
		if (n < (size_t)(end - data))
			rc = MULTIPART_LARGE;
		goto err;
	}
	pt->len = (size_t)(m - data);
	if (pt->filename != NULL) {
		pt->data = data;
		pt->borrowed = 1;
	} else {
		copy = xmalloc(pt->len + 1);
		memcpy(copy, data, pt->len);
		copy[pt->len] = '\0';
		pt->data = copy;
		*text_left -= pt->len;
	}
	*pp = m + dlen;
	pace_at(pc, *pp);
	return 0;
err:
	part_clear(pt);
	return rc;
}

/*
 * After "--boundary": "--" closes the body (the epilogue is ignored);
 * otherwise optional transport padding and a CRLF start another part.
 * Returns 1 for another part, 0 for the end, -1 for anything else.
 */
static int
after_delimiter(const char **pp, const char *end)
{
	const char *p = *pp;

	if (end - p >= 2 && p[0] == '-' && p[1] == '-')
		return 0;
	while (p < end && is_ows(*p))
		p++;
	if (end - p >= 2 && p[0] == '\r' && p[1] == '\n') {
		*pp = p + 2;
		return 1;
	}
	return -1;
}

static void
partlist_push(struct partlist *l, const struct part *pt)
{
	if (l->n == l->cap) {
		if (l->cap > SIZE_MAX / 2 / sizeof(*l->v))
			die("partlist: size overflow");
		l->cap = l->cap ? l->cap * 2 : 8;
		l->v = xrealloc(l->v, l->cap * sizeof(*l->v));
	}
	l->v[l->n++] = *pt;
}

/* Drops the parts past the first n, so a failed parse adds nothing. */
static void
partlist_truncate(struct partlist *l, size_t n)
{
	while (l->n > n)
		part_clear(&l->v[--l->n]);
}

int
multipart_parse(const char *body, size_t len, const char *boundary,
    struct partlist *out, size_t max_parts, size_t max_text)
{
	return multipart_parse_paced(body, len, boundary, out, max_parts,
	    max_text, NULL, NULL);
}

int
multipart_parse_paced(const char *body, size_t len, const char *boundary,
    struct partlist *out, size_t max_parts, size_t max_text,
    void (*progress)(void *, const char *), void *arg)
{
	char dlm[4 + BOUNDARY_MAX];
	const char *p, *m, *end;
	struct pace pc = { progress, arg, body };
	struct part pt;
	size_t blen, dlen, n0 = out->n;
	int r, rc = MULTIPART_BAD;

	if (body == NULL || boundary == NULL)
		return -1;
	for (blen = 0; blen <= BOUNDARY_MAX && boundary[blen] != '\0'; blen++)
		continue;
	if (blen == 0 || blen > BOUNDARY_MAX)
		return -1;
	memcpy(dlm, "\r\n--", 4);
	memcpy(dlm + 4, boundary, blen);
	dlen = 4 + blen;
	end = body + len;

	/* The first delimiter opens the body or ends a preamble line. */
	if (len >= dlen - 2 && memcmp(body, dlm + 2, dlen - 2) == 0)
		p = body + dlen - 2;
	else if ((m = find_dlm(&pc, body, len, dlm, dlen)) != NULL)
		p = m + dlen;
	else
		return -1;

	while ((r = after_delimiter(&p, end)) == 1) {
		if (out->n - n0 >= max_parts) {
			rc = MULTIPART_BAD;
			goto err;
		}
		if ((rc = one_part(&pc, &p, end, dlm, dlen, &max_text, &pt)) !=
		    0)
			goto err;
		partlist_push(out, &pt);
	}
	rc = MULTIPART_BAD;
	if (r == -1)
		goto err;
	return 0;
err:
	partlist_truncate(out, n0);
	return rc;
}

void
partlist_free(struct partlist *l)
{
	partlist_truncate(l, 0);
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
}
