/*
 * zipstream: an archive is whole only when zip_close wrote its end (the
 * central directory's end record); zip_abort, a sink that stops, and a
 * size that does not match never leave one. Unknown sizes and UTF-8
 * names are written as they are.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "buf.h"
#include "zipstream.h"

/* The end of central directory record's signature. */
static const char EOCD[] = "PK\005\006";

struct sink {
	struct buf	 b;
	long		 fail_after;	/* bytes accepted before refusing;
					   -1: never refuse */
};

static int
to_buf(void *arg, const void *p, size_t n)
{
	struct sink *s = arg;

	if (s->fail_after >= 0 && (long)(s->b.len + n) > s->fail_after)
		return -1;
	buf_add(&s->b, p, n);
	return 0;
}

static int
has_end(const struct sink *s)
{
	return s->b.len >= 22 && memmem(s->b.data, s->b.len, EOCD, 4) != NULL;
}

static void
test_close_writes_end(void **state)
{
	struct sink s = { BUF_INIT, -1 };
	struct zipstream *z;
	const char *name = "files/x/1-Grüße 日本.txt";

	(void)state;
	assert_non_null(z = zip_open(to_buf, &s));
	assert_int_equal(zip_entry(z, "export.json", -1, 0, 1), 0);
	assert_int_equal(zip_puts(z, "{\"format\":\"helpdesk-export\"}"), 0);
	assert_int_equal(zip_entry(z, name, 5, 0, 0), 0);
	assert_int_equal(zip_write(z, "hello", 5), 0);
	assert_false(has_end(&s));
	assert_int_equal(zip_close(z), 0);
	assert_true(has_end(&s));
	/* The name went in as UTF-8 bytes, unchanged. */
	assert_non_null(memmem(s.b.data, s.b.len, name, strlen(name)));
	/* A stored entry's bytes are there as they are. */
	assert_non_null(memmem(s.b.data, s.b.len, "hello", 5));
	buf_free(&s.b);
}

static void
test_abort_writes_nothing_more(void **state)
{
	struct sink s = { BUF_INIT, -1 };
	struct zipstream *z;
	char big[100000];
	size_t before;

	(void)state;
	memset(big, 'x', sizeof(big));
	assert_non_null(z = zip_open(to_buf, &s));
	assert_int_equal(zip_entry(z, "a.bin", sizeof(big) * 2, 0, 0), 0);
	assert_int_equal(zip_write(z, big, sizeof(big)), 0);
	before = s.b.len;
	zip_abort(z);
	assert_int_equal(s.b.len, before);
	assert_false(has_end(&s));
	buf_free(&s.b);
	zip_abort(NULL);
}

static void
test_sink_stops(void **state)
{
	struct sink s = { BUF_INIT, 1000 };
	struct zipstream *z;
	char big[300000];

	(void)state;
	memset(big, 'y', sizeof(big));
	assert_non_null(z = zip_open(to_buf, &s));
	assert_int_equal(zip_entry(z, "a.bin", -1, 0, 0), 0);
	/* Blocks of 64 KiB: the sink refuses the first. */
	assert_int_equal(zip_write(z, big, sizeof(big)), -1);
	assert_string_equal(zip_error(z), "the reader went away");
	assert_int_equal(zip_close(z), -1);
	assert_false(has_end(&s));
	buf_free(&s.b);
}

static void
test_size_mismatch(void **state)
{
	struct sink s = { BUF_INIT, -1 };
	struct zipstream *z;

	(void)state;
	assert_non_null(z = zip_open(to_buf, &s));
	assert_int_equal(zip_entry(z, "a.txt", 3, 0, 0), 0);
	/* More bytes than declared are refused, not written. */
	assert_int_equal(zip_write(z, "abcdef", 6), -1);
	zip_abort(z);
	assert_false(has_end(&s));
	buf_free(&s.b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_close_writes_end),
		cmocka_unit_test(test_abort_writes_nothing_more),
		cmocka_unit_test(test_sink_stops),
		cmocka_unit_test(test_size_mismatch),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
