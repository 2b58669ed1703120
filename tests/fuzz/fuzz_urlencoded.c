/*
 * Fuzz target: urlencoded_parse. The first byte is max_fields. What
 * parses is encoded again with every byte escaped and parsed a second
 * time: the pairs must come back the same.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "kv.h"
#include "parse.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
encode(struct buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t i;

	for (i = 0; i < n; i++) {
		buf_putc(b, '%');
		buf_putc(b, hex[(unsigned char)s[i] >> 4]);
		buf_putc(b, hex[(unsigned char)s[i] & 0xf]);
	}
}

static void
roundtrip(const struct kvlist *l)
{
	struct kvlist again = KVLIST_INIT;
	struct buf b = BUF_INIT;
	size_t i;

	for (i = 0; i < l->n; i++) {
		if (i > 0)
			buf_putc(&b, '&');
		encode(&b, l->v[i].name, strlen(l->v[i].name));
		buf_putc(&b, '=');
		encode(&b, l->v[i].value, l->v[i].vlen);
	}
	if (urlencoded_parse(buf_str(&b), b.len, &again, l->n) != 0 ||
	    again.n != l->n)
		abort();
	for (i = 0; i < l->n; i++)
		if (strcmp(again.v[i].name, l->v[i].name) != 0 ||
		    again.v[i].vlen != l->v[i].vlen ||
		    memcmp(again.v[i].value, l->v[i].value,
		    l->v[i].vlen) != 0)
			abort();
	kv_free(&again);
	buf_free(&b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kvlist l = KVLIST_INIT;
	size_t max, i;

	if (size < 1)
		return 0;
	max = data[0];
	if (urlencoded_parse((const char *)data + 1, size - 1, &l, max) == 0) {
		if (l.n > max)
			abort();
		for (i = 0; i < l.n; i++)
			if (l.v[i].vlen >= size || l.v[i].value[l.v[i].vlen])
				abort();
		roundtrip(&l);
	} else if (l.n != 0)
		abort();
	kv_free(&l);
	return 0;
}
