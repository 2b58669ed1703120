/* Fuzz target: cookie_parse on the input as a C string. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kv.h"
#include "parse.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int
edge_space(const char *s)
{
	size_t n = strlen(s);

	return n > 0 && (s[0] == ' ' || s[0] == '\t' || s[n - 1] == ' ' ||
	    s[n - 1] == '\t');
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kvlist l = KVLIST_INIT;
	char *s;
	size_t i;

	if ((s = malloc(size + 1)) == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	cookie_parse(s, &l);
	for (i = 0; i < l.n; i++) {
		if (l.v[i].name[0] == '\0' || edge_space(l.v[i].name) ||
		    strchr(l.v[i].name, ';') || strchr(l.v[i].name, '=') ||
		    strchr(l.v[i].value, ';') ||
		    l.v[i].vlen != strlen(l.v[i].value))
			abort();
	}
	kv_free(&l);
	free(s);
	return 0;
}
