/*
 * urlencoded: application/x-www-form-urlencoded bodies and query strings.
 * The input is checked completely before anything is added, so a -1
 * leaves the caller's list as it was.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "kv.h"
#include "parse.h"
#include "util.h"

/* Length of the piece starting at s: up to the next '&' or the end. */
static size_t
piece_len(const char *s, size_t len)
{
	const char *amp = memchr(s, '&', len);

	return amp ? (size_t)(amp - s) : len;
}

/* Length of the name part of a piece: up to the first '=' or the end. */
static size_t
name_len(const char *s, size_t len)
{
	const char *eq = memchr(s, '=', len);

	return eq ? (size_t)(eq - s) : len;
}

/*
 * Every '%' must start a whole escape. A name may not decode to NUL:
 * names are C strings and "a%00b" would silently become "a".
 */
static int
check_piece(const char *s, size_t len)
{
	size_t i, nlen = name_len(s, len);
	int hi, lo;

	for (i = 0; i < len; i++) {
		if (s[i] != '%')
			continue;
		if (len - i < 3)
			return -1;
		if ((hi = hex_value(s[i + 1])) < 0 || (lo = hex_value(s[i + 2])) < 0)
			return -1;
		if (i < nlen && hi == 0 && lo == 0)
			return -1;
		i += 2;
	}
	return 0;
}

/* Decodes an already checked run into out; returns the decoded length. */
static size_t
decode(const char *s, size_t len, char *out)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++) {
		if (s[i] == '+')
			out[n++] = ' ';
		else if (s[i] == '%') {
			out[n++] = (char)(hex_value(s[i + 1]) << 4 |
			    hex_value(s[i + 2]));
			i += 2;
		} else
			out[n++] = s[i];
	}
	return n;
}

int
urlencoded_parse(const char *s, size_t len, struct kvlist *out,
    size_t max_fields)
{
	size_t off, plen, nlen, dn, dv, count = 0;
	char *tmp;

	for (off = 0; off < len; off += plen + 1) {
		plen = piece_len(s + off, len - off);
		if (plen == 0)
			continue;
		if (++count > max_fields)
			return -1;
		if (check_piece(s + off, plen) == -1)
			return -1;
	}
	if (count == 0)
		return 0;

	/* Decoding only shrinks, so one scratch area of len bytes is enough. */
	tmp = xmalloc(len);
	for (off = 0; off < len; off += plen + 1) {
		plen = piece_len(s + off, len - off);
		if (plen == 0)
			continue;
		nlen = name_len(s + off, plen);
		dn = decode(s + off, nlen, tmp);
		if (nlen < plen)
			dv = decode(s + off + nlen + 1, plen - nlen - 1,
			    tmp + nlen);
		else
			dv = 0;
		kv_add(out, tmp, dn, tmp + nlen, dv);
	}
	free(tmp);
	return 0;
}
