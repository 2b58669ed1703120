/*
 * cookie: the request's Cookie header ("a=1; b=2"). Browsers send what
 * they were given, and other sites on the same host may have set junk,
 * so a bad piece is skipped rather than failing the whole request.
 */
#include <stddef.h>
#include <string.h>

#include "kv.h"
#include "parse.h"

static int
is_ows(char c)
{
	return c == ' ' || c == '\t';
}

/* Narrows [*s, *s + *len) to drop spaces and tabs at both ends. */
static void
trim(const char **s, size_t *len)
{
	while (*len > 0 && is_ows(**s)) {
		(*s)++;
		(*len)--;
	}
	while (*len > 0 && is_ows((*s)[*len - 1]))
		(*len)--;
}

static void
cookie_piece(const char *s, size_t len, struct kvlist *out)
{
	const char *eq, *name, *val;
	size_t nlen, vlen;

	if ((eq = memchr(s, '=', len)) == NULL)
		return;
	name = s;
	nlen = (size_t)(eq - s);
	val = eq + 1;
	vlen = len - nlen - 1;
	trim(&name, &nlen);
	trim(&val, &vlen);
	if (nlen == 0)
		return;
	/* RFC 6265 allows the value in one pair of double quotes. */
	if (vlen >= 2 && val[0] == '"' && val[vlen - 1] == '"') {
		val++;
		vlen -= 2;
	}
	kv_add(out, name, nlen, val, vlen);
}

void
cookie_parse(const char *h, struct kvlist *out)
{
	const char *semi;

	if (h == NULL)
		return;
	for (;;) {
		semi = strchr(h, ';');
		cookie_piece(h, semi ? (size_t)(semi - h) : strlen(h), out);
		if (semi == NULL)
			break;
		h = semi + 1;
	}
}
