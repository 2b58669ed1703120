/*
 * Fuzz target: utf8_valid and text_valid, checked against a slow
 * decoder written the other way round (decode, then judge the code
 * point), so the two must agree on every input.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "parse.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Decodes one sequence at s[i..n); returns its length or 0 if invalid. */
static size_t
ref_one(const uint8_t *s, size_t i, size_t n)
{
	uint32_t cp, min;
	size_t len, k;

	if (s[i] < 0x80)
		return 1;
	if ((s[i] & 0xe0) == 0xc0) {
		len = 2;
		cp = s[i] & 0x1f;
		min = 0x80;
	} else if ((s[i] & 0xf0) == 0xe0) {
		len = 3;
		cp = s[i] & 0x0f;
		min = 0x800;
	} else if ((s[i] & 0xf8) == 0xf0) {
		len = 4;
		cp = s[i] & 0x07;
		min = 0x10000;
	} else
		return 0;
	if (n - i < len)
		return 0;
	for (k = 1; k < len; k++) {
		if ((s[i + k] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i + k] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

static int
ref_valid(const uint8_t *s, size_t n)
{
	size_t i = 0, k;

	while (i < n) {
		if ((k = ref_one(s, i, n)) == 0)
			return 0;
		i += k;
	}
	return 1;
}

static int
ref_text(const uint8_t *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((s[i] < 0x20 && s[i] != '\t' && s[i] != '\r' &&
		    s[i] != '\n') || s[i] == 0x7f)
			return 0;
	return ref_valid(s, n);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;

	if (utf8_valid(s, size) != ref_valid(data, size))
		abort();
	if (text_valid(s, size) != ref_text(data, size))
		abort();
	return 0;
}
