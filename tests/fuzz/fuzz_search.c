/*
 * Fuzz target: search_terms, on text as the core lets it through (valid
 * UTF-8 without control bytes). Whatever is typed, the result is at most
 * SEARCH_MAX_WORDS terms "+word*" of letters and digits, each of at least
 * SEARCH_MIN_CHARS characters, separated by single spaces: no operator
 * of InnoDB's boolean mode gets through, and the cost stays bounded.
 */
#include <ctype.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"
#include "tickets.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Checks one "+word*" at s; returns its length, or aborts. */
static size_t
check_term(const char *s)
{
	size_t n = 1, chars = 0;

	if (s[0] != '+')
		abort();
	for (; isalnum((unsigned char)s[n]) || s[n] == '_' ||
	    ((unsigned char)s[n] & 0x80);
	    n++)
		if (((unsigned char)s[n] & 0xc0) != 0x80)
			chars++;
	if (chars < SEARCH_MIN_CHARS || s[n] != '*')
		abort();
	return n + 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *in, *out, *p;
	int dropped, terms = 0;

	if (!text_valid((const char *)data, size) ||
	    memchr(data, '\0', size) != NULL)
		return 0;
	in = malloc(size + 1);
	memcpy(in, data, size);
	in[size] = '\0';
	out = search_terms(in, &dropped);
	for (p = out; *p; ) {
		p += check_term(p);
		terms++;
		if (*p == ' ')
			p++;
		else if (*p != '\0')
			abort();
	}
	if (terms > SEARCH_MAX_WORDS ||
	    ((dropped & SEARCH_MANY) && terms != SEARCH_MAX_WORDS) ||
	    (dropped & ~(SEARCH_SHORT | SEARCH_MANY)))
		abort();
	free(out);
	free(in);
	return 0;
}
