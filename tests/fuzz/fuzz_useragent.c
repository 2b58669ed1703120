/*
 * Fuzz target: useragent_words on the input (not NUL-terminated: the
 * function reads only the bytes given). The words must be one of ours,
 * so never a byte of the input: printable ASCII without markup, and
 * terminated within the buffer, however small.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
check(const char *s, size_t cap)
{
	size_t n = strnlen(s, cap);

	if (n == cap)
		abort();
	for (; *s != '\0'; s++)
		if (*s < ' ' || *s > '~' || strchr("<>&\"'", *s) != NULL)
			abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char out[USERAGENT_WORDS], tiny[6];
	char *copy;

	/* An exact-size copy, so reading past it is ASan's to catch. */
	if ((copy = malloc(size ? size : 1)) == NULL)
		return 0;
	memcpy(copy, data, size);
	useragent_words(copy, size, out, sizeof(out));
	check(out, sizeof(out));
	useragent_words(copy, size, tiny, sizeof(tiny));
	check(tiny, sizeof(tiny));
	if (strncmp(out, tiny, sizeof(tiny) - 1) != 0)
		abort();
	free(copy);
	return 0;
}
