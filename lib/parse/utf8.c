/*
 * utf8: strict UTF-8 (RFC 3629) and "plain text" checks for outside
 * input. Both take a length and never read past it.
 */
#include <stddef.h>

#include "parse.h"

/*
 * Returns how many continuation bytes follow lead byte c and narrows the
 * allowed range of the first one, so that overlongs (E0 80..9F, F0
 * 80..8F), surrogates (ED A0..BF) and code points above U+10FFFF (F4
 * 90..BF) are rejected by one range test. Returns -1 for a byte that can
 * never start a sequence: continuations, C0/C1 (overlong two-byte forms)
 * and F5..FF.
 */
static int
lead(unsigned char c, unsigned char *lo, unsigned char *hi)
{
	*lo = 0x80;
	*hi = 0xbf;
	if (c < 0xc2)
		return -1;
	if (c < 0xe0)
		return 1;
	if (c < 0xf0) {
		if (c == 0xe0)
			*lo = 0xa0;
		else if (c == 0xed)
			*hi = 0x9f;
		return 2;
	}
	if (c < 0xf5) {
		if (c == 0xf0)
			*lo = 0x90;
		else if (c == 0xf4)
			*hi = 0x8f;
		return 3;
	}
	return -1;
}

int
utf8_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned char lo, hi;
	size_t i = 0, k;
	int need;

	while (i < len) {
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		if ((need = lead(p[i], &lo, &hi)) < 0)
			return 0;
		/* A sequence cut off by the end of the input. */
		if (len - i - 1 < (size_t)need)
			return 0;
		if (p[i + 1] < lo || p[i + 1] > hi)
			return 0;
		for (k = 2; k <= (size_t)need; k++)
			if (p[i + k] < 0x80 || p[i + k] > 0xbf)
				return 0;
		i += (size_t)need + 1;
	}
	return 1;
}

int
text_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i;

	for (i = 0; i < len; i++) {
		if (p[i] == '\t' || p[i] == '\r' || p[i] == '\n')
			continue;
		if (p[i] < 0x20 || p[i] == 0x7f)
			return 0;
	}
	return utf8_valid(s, len);
}
