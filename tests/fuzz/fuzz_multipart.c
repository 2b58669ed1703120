/*
 * Fuzz target: multipart_boundary and multipart_parse. Input: one byte
 * of max_parts (low four bits) and max_text (high four bits: 0 for no
 * limit, else 8 bytes a step), a Content-Type line up to '\n', then the
 * body. When the line yields no boundary, "b" is used so the body is
 * still fuzzed.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Fields are NUL-terminated copies; files lie inside the body. */
static int
data_ok(const struct part *p, const char *body, size_t bodylen)
{
	size_t off;

	if (!p->borrowed)
		return p->data[p->len] == '\0';
	if (p->data < body || (off = (size_t)(p->data - body)) > bodylen)
		return 0;
	return p->len <= bodylen - off;
}

/* Bytes of the plain fields in pl from the n0th on. */
static size_t
text_bytes(const struct partlist *pl, size_t n0)
{
	size_t i, n = 0;

	for (i = n0; i < pl->n; i++)
		if (pl->v[i].filename == NULL)
			n += pl->v[i].len;
	return n;
}

/*
 * The text budget only ever turns an answer into MULTIPART_LARGE, and
 * only when the plain fields really pass it: without it the same body
 * is malformed, or parses with more text than the budget.
 */
static void
check_budget(int rc, const char *body, size_t blen, const char *boundary,
    size_t max, size_t max_text)
{
	struct partlist all = PARTLIST_INIT;
	int rc_all = multipart_parse(body, blen, boundary, &all, max,
	    SIZE_MAX);

	if (rc == 0 && (rc_all != 0 || text_bytes(&all, 0) > max_text))
		abort();
	if (rc == MULTIPART_BAD && rc_all != MULTIPART_BAD)
		abort();
	if (rc == MULTIPART_LARGE && (rc_all == MULTIPART_LARGE ||
	    (rc_all == 0 && text_bytes(&all, 0) <= max_text)))
		abort();
	partlist_free(&all);
}

static void
check(const struct partlist *pl, size_t max, const char *body,
    size_t bodylen)
{
	const struct part *p;
	size_t i, total = 0;

	if (pl->n > max)
		abort();
	for (i = 0; i < pl->n; i++) {
		p = &pl->v[i];
		if (p->name == NULL || p->name[0] == '\0' || p->data == NULL ||
		    p->borrowed != (p->filename != NULL) ||
		    !data_ok(p, body, bodylen))
			abort();
		total += p->len;
	}
	if (total > bodylen)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct partlist pl = PARTLIST_INIT;
	const uint8_t *nl;
	char *ct, *body, boundary[71];
	size_t max, max_text, ctlen, blen, n0;
	int rc;

	if (size < 1)
		return 0;
	max = data[0] % 16;
	max_text = data[0] >> 4 ? (size_t)(data[0] >> 4) * 8 : SIZE_MAX;
	data++;
	size--;
	nl = memchr(data, '\n', size);
	ctlen = nl ? (size_t)(nl - data) : size;
	if ((ct = malloc(ctlen + 1)) == NULL)
		return 0;
	memcpy(ct, data, ctlen);
	ct[ctlen] = '\0';
	if (multipart_boundary(ct, boundary, sizeof(boundary)) == -1)
		strcpy(boundary, "b");
	else if (strlen(boundary) == 0 || strlen(boundary) > 70)
		abort();
	free(ct);

	/* A copy of exactly the body's size, so overreads are caught. */
	blen = nl ? size - ctlen - 1 : 0;
	if ((body = malloc(blen ? blen : 1)) == NULL)
		return 0;
	memcpy(body, data + size - blen, blen);

	if ((rc = multipart_parse(body, blen, boundary, &pl, max,
	    max_text)) == 0) {
		check(&pl, max, body, blen);
		if (text_bytes(&pl, 0) > max_text)
			abort();
		/* Again into the same list: same answer, appended. */
		n0 = pl.n;
		if (multipart_parse(body, blen, boundary, &pl, max,
		    max_text) != 0 || pl.n != 2 * n0)
			abort();
	} else if (pl.n != 0 || (rc != MULTIPART_BAD &&
	    rc != MULTIPART_LARGE))
		abort();
	if (max_text != SIZE_MAX)
		check_budget(rc, body, blen, boundary, max, max_text);
	partlist_free(&pl);
	free(body);
	return 0;
}
