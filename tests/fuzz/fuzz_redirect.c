/*
 * Fuzz target: url_is_local against a model of how a browser resolves a
 * Location header (the WHATWG URL parser's decision of the origin). An
 * accepted target that the model sends to another origin, or that the
 * browser would read as something else than what we checked, aborts.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int
c0_or_space(unsigned char c)
{
	return c <= 0x20;
}

static int
alpha(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/*
 * What the parser works on: leading and trailing C0 controls and spaces
 * stripped, then every TAB, LF and CR removed wherever it is. Returns a
 * fresh string.
 */
static char *
browser_input(const char *s)
{
	size_t n = strlen(s), i, o = 0;
	char *t;

	while (n > 0 && c0_or_space((unsigned char)s[n - 1]))
		n--;
	while (n > 0 && c0_or_space((unsigned char)*s)) {
		s++;
		n--;
	}
	t = malloc(n + 1);
	if (t == NULL)
		abort();
	for (i = 0; i < n; i++)
		if (s[i] != '\t' && s[i] != '\n' && s[i] != '\r')
			t[o++] = s[i];
	t[o] = '\0';
	return t;
}

/* A scheme: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":". */
static int
has_scheme(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	if (!alpha(*p))
		return 0;
	for (p++; alpha(*p) || (*p >= '0' && *p <= '9') || *p == '+' ||
	    *p == '-' || *p == '.'; p++)
		;
	return *p == ':';
}

/*
 * 1 when a browser on an http(s) page of ours would leave our origin for
 * this Location: an absolute URL (any scheme, counted as foreign), or a
 * scheme-relative one, where "\" counts as "/" (http and https are
 * "special" schemes).
 */
static int
other_origin(const char *location)
{
	char *t = browser_input(location);
	int foreign;

	foreign = has_scheme(t) ||
	    ((t[0] == '/' || t[0] == '\\') && (t[1] == '/' || t[1] == '\\'));
	free(t);
	return foreign;
}

/* The browser reads exactly the bytes we checked. */
static int
read_as_is(const char *location)
{
	char *t = browser_input(location);
	int same = strcmp(t, location) == 0 && strchr(t, '\\') == NULL;

	free(t);
	return same;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s;

	if ((s = malloc(size + 1)) == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (url_is_local(s) && (other_origin(s) || !read_as_is(s) ||
	    s[0] != '/'))
		abort();
	free(s);
	return 0;
}
