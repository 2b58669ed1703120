/*
 * Unit tests for lib/parse.h: UTF-8 checks, urlencoded forms, Cookie
 * headers and multipart/form-data. Every input is copied into a heap
 * block of exactly its length first, so AddressSanitizer catches a
 * parser that reads one byte too far.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "kv.h"
#include "parse.h"

#define L(s)	(s), (sizeof(s) - 1)

/* A copy of s[0..n) in a block of exactly n bytes, not NUL-terminated. */
static char *
exact(const char *s, size_t n)
{
	char *p = malloc(n ? n : 1);

	assert_non_null(p);
	memcpy(p, s, n);
	return p;
}

static int
u8(const char *s, size_t n)
{
	char *p = exact(s, n);
	int r = utf8_valid(p, n);

	free(p);
	return r;
}

static int
txt(const char *s, size_t n)
{
	char *p = exact(s, n);
	int r = text_valid(p, n);

	free(p);
	return r;
}

static int
form(const char *s, size_t n, struct kvlist *l, size_t max)
{
	char *p = exact(s, n);
	int r = urlencoded_parse(p, n, l, max);

	free(p);
	return r;
}

/* Files point into the body: each copy lives until the next mp call (the
 * last one until the group's teardown). */
static char *mp_body;

static int
mp(const char *s, size_t n, const char *boundary, struct partlist *pl,
    size_t max)
{
	free(mp_body);
	mp_body = exact(s, n);
	return multipart_parse(mp_body, n, boundary, pl, max, SIZE_MAX);
}

static int
mp_teardown(void **state)
{
	(void)state;
	free(mp_body);
	mp_body = NULL;
	return 0;
}

#define MP(lit, pl, max)	mp(L(lit), "b", (pl), (max))

/* Parses a body that must be rejected, and checks nothing was added. */
static void
mp_bad(const char *s, size_t n, size_t max)
{
	struct partlist pl = PARTLIST_INIT;

	assert_int_equal(mp(s, n, "b", &pl, max), -1);
	assert_int_equal(pl.n, 0);
	partlist_free(&pl);
}

#define MP_BAD(lit)	mp_bad(L(lit), 10)

/* utf8_valid */

static void
test_utf8_good(void **state)
{
	(void)state;
	assert_true(u8(L("")));
	assert_true(u8(L("plain ascii ~")));
	assert_true(u8(L("\xc3\xa9")));			/* U+00E9 */
	assert_true(u8(L("\xc2\x80")));			/* U+0080 */
	assert_true(u8(L("\xdf\xbf")));			/* U+07FF */
	assert_true(u8(L("\xe0\xa0\x80")));		/* U+0800 */
	assert_true(u8(L("\xe2\x82\xac")));		/* U+20AC */
	assert_true(u8(L("\xed\x9f\xbf")));		/* U+D7FF */
	assert_true(u8(L("\xee\x80\x80")));		/* U+E000 */
	assert_true(u8(L("\xef\xbf\xbf")));		/* U+FFFF */
	assert_true(u8(L("\xf0\x90\x80\x80")));		/* U+10000 */
	assert_true(u8(L("\xf0\x9f\x98\x80")));		/* U+1F600 */
	assert_true(u8(L("\xf4\x8f\xbf\xbf")));		/* U+10FFFF */
	assert_true(u8(L("a\0b")));			/* NUL is UTF-8 */
	assert_true(utf8_valid(NULL, 0));
	/* Only len bytes count: the bad byte after them is not looked at. */
	assert_true(u8("abc\xff", 3));
}

static void
test_utf8_bad(void **state)
{
	(void)state;
	/* Truncated at the end of the input. */
	assert_false(u8(L("\xc3")));
	assert_false(u8(L("ab\xe2\x82")));
	assert_false(u8(L("\xf0\x9f\x98")));
	assert_false(u8("\xc3\xa9", 1));
	assert_false(u8("\xf0\x9f\x98\x80", 3));
	/* Overlong forms of '/' and others. */
	assert_false(u8(L("\xc0\xaf")));
	assert_false(u8(L("\xc1\xbf")));
	assert_false(u8(L("\xe0\x80\xaf")));
	assert_false(u8(L("\xe0\x9f\xbf")));
	assert_false(u8(L("\xf0\x80\x80\xaf")));
	assert_false(u8(L("\xf0\x8f\xbf\xbf")));
	assert_false(u8(L("\xc0\x80")));	/* Java's NUL */
	/* UTF-16 surrogates. */
	assert_false(u8(L("\xed\xa0\x80")));		/* U+D800 */
	assert_false(u8(L("\xed\xbf\xbf")));		/* U+DFFF */
	/* A CESU-8 surrogate pair. */
	assert_false(u8(L("\xed\xa0\xbd\xed\xb8\x80")));
	/* Beyond U+10FFFF, and bytes that never occur. */
	assert_false(u8(L("\xf4\x90\x80\x80")));
	assert_false(u8(L("\xf5\x80\x80\x80")));
	assert_false(u8(L("\xf7\xbf\xbf\xbf")));
	assert_false(u8(L("\xf8\x88\x80\x80\x80")));
	assert_false(u8(L("\xfe")));
	assert_false(u8(L("\xff")));
	/* Stray and missing continuation bytes. */
	assert_false(u8(L("\x80")));
	assert_false(u8(L("a\xbf")));
	assert_false(u8(L("\xc3\x28")));
	assert_false(u8(L("\xe2\x28\xac")));
	assert_false(u8(L("\xe2\x82\x28")));
	assert_false(u8(L("\xf0\x9f\x28\x80")));
	assert_false(u8(L("\xc3\xa9\xa9")));
}

static void
test_text_valid(void **state)
{
	(void)state;
	assert_true(txt(L("")));
	assert_true(txt(L("Hello,\tworld\r\nline two\n")));
	assert_true(txt(L("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80")));
	assert_false(txt(L("a\0b")));
	assert_false(txt(L("\x01")));
	assert_false(txt(L("bell\x07")));
	assert_false(txt(L("esc\x1b[31m")));
	assert_false(txt(L("\x1f")));
	assert_false(txt(L("del\x7f")));
	assert_false(txt(L("\xc0\xaf")));
	assert_false(txt(L("\xed\xa0\x80")));
	assert_false(txt(L("ok\xc3")));
	assert_true(txt("ok\x01", 2));
}

/* urlencoded_parse */

static void
test_form_good(void **state)
{
	struct kvlist l = KVLIST_INIT;

	(void)state;
	assert_int_equal(form(L("a=1&b=two+words&c=%41%62%2b%2B%3d%3D"), &l,
	    10), 0);
	assert_int_equal(l.n, 3);
	assert_string_equal(l.v[0].name, "a");
	assert_string_equal(l.v[0].value, "1");
	assert_int_equal(l.v[0].vlen, 1);
	assert_string_equal(l.v[1].value, "two words");
	assert_string_equal(l.v[2].value, "Ab++==");
	assert_string_equal(kv_get(&l, "c"), "Ab++==");
	kv_free(&l);

	/* Names are decoded too; lower- and upper-case hex both work. */
	assert_int_equal(form(L("first+name=J%c3%b6rg&x%5By%5D=%E2%82%ac"),
	    &l, 10), 0);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.v[0].name, "first name");
	assert_string_equal(l.v[0].value, "J\xc3\xb6rg");
	assert_string_equal(l.v[1].name, "x[y]");
	assert_string_equal(l.v[1].value, "\xe2\x82\xac");
	kv_free(&l);

	/* Empty pieces skipped; no '=' means an empty value. */
	assert_int_equal(form(L("&&flag&&a=&b==x=&"), &l, 3), 0);
	assert_int_equal(l.n, 3);
	assert_string_equal(l.v[0].name, "flag");
	assert_string_equal(l.v[0].value, "");
	assert_int_equal(l.v[0].vlen, 0);
	assert_string_equal(l.v[1].name, "a");
	assert_string_equal(l.v[1].value, "");
	assert_string_equal(l.v[2].name, "b");
	assert_string_equal(l.v[2].value, "=x=");
	kv_free(&l);

	/* An empty name is kept; the caller looks names up, never "". */
	assert_int_equal(form(L("=v"), &l, 3), 0);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.v[0].name, "");
	assert_string_equal(l.v[0].value, "v");
	kv_free(&l);

	/* Nothing at all. */
	assert_int_equal(form(L(""), &l, 0), 0);
	assert_int_equal(form(L("&&&"), &l, 0), 0);
	assert_int_equal(l.n, 0);
	kv_free(&l);
}

static void
test_form_nul(void **state)
{
	struct kvlist l = KVLIST_INIT;

	(void)state;
	/* A NUL in a value is kept, with vlen saying so: text_valid
	 * rejects it later. */
	assert_int_equal(form(L("v=a%00b"), &l, 10), 0);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.v[0].vlen, 3);
	assert_memory_equal(l.v[0].value, "a\0b", 4);
	assert_false(text_valid(l.v[0].value, l.v[0].vlen));
	kv_free(&l);
	/* In a name it would cut the C string short, so it is refused. */
	assert_int_equal(form(L("a%00b=1"), &l, 10), -1);
	assert_int_equal(l.n, 0);
	kv_free(&l);
}

static void
test_form_bad(void **state)
{
	struct kvlist l = KVLIST_INIT;

	(void)state;
	assert_int_equal(form(L("%"), &l, 10), -1);
	assert_int_equal(form(L("a=%"), &l, 10), -1);
	assert_int_equal(form(L("a=%4"), &l, 10), -1);
	assert_int_equal(form(L("a=%4&b=1"), &l, 10), -1);
	assert_int_equal(form(L("a=%zz"), &l, 10), -1);
	assert_int_equal(form(L("a=%4g"), &l, 10), -1);
	assert_int_equal(form(L("a=%g4"), &l, 10), -1);
	assert_int_equal(form(L("%zz=1"), &l, 10), -1);
	assert_int_equal(form(L("a=% 41"), &l, 10), -1);
	/* The escape's digits lie past len: still truncated. */
	assert_int_equal(form("a=%41", 4, &l, 10), -1);
	/* A good pair before a bad one is not left behind. */
	assert_int_equal(form(L("a=1&b=2&c=%x"), &l, 10), -1);
	assert_int_equal(l.n, 0);
	kv_free(&l);
}

static void
test_form_limit(void **state)
{
	struct kvlist l = KVLIST_INIT;
	struct buf b = BUF_INIT;
	int i;

	(void)state;
	assert_int_equal(form(L("a=1&b=2&c=3"), &l, 3), 0);
	assert_int_equal(l.n, 3);
	kv_free(&l);
	assert_int_equal(form(L("a=1&b=2&c=3&d"), &l, 3), -1);
	assert_int_equal(l.n, 0);
	/* Empty pieces do not count towards the limit. */
	assert_int_equal(form(L("a&&&&&&b"), &l, 2), 0);
	assert_int_equal(l.n, 2);
	kv_free(&l);
	assert_int_equal(form(L("a"), &l, 0), -1);

	for (i = 0; i < 1001; i++)
		buf_printf(&b, "%sf%d=%d", i ? "&" : "", i, i);
	assert_int_equal(form(b.data, b.len, &l, 1000), -1);
	assert_int_equal(l.n, 0);
	assert_int_equal(form(b.data, b.len, &l, 1001), 0);
	assert_int_equal(l.n, 1001);
	assert_string_equal(kv_get(&l, "f1000"), "1000");
	kv_free(&l);
	buf_free(&b);
}

/* cookie_parse */

static void
test_cookie(void **state)
{
	struct kvlist l = KVLIST_INIT;

	(void)state;
	cookie_parse("sid=abc123; theme=dark", &l);
	assert_int_equal(l.n, 2);
	assert_string_equal(kv_get(&l, "sid"), "abc123");
	assert_string_equal(kv_get(&l, "theme"), "dark");
	kv_free(&l);

	/* Spaces and tabs around everything, quotes, '=' in a value. */
	cookie_parse(" \ta = 1 \t;\tb=\"quoted value\" ;c=x=y;d=\"\"", &l);
	assert_int_equal(l.n, 4);
	assert_string_equal(l.v[0].name, "a");
	assert_string_equal(l.v[0].value, "1");
	assert_string_equal(l.v[1].value, "quoted value");
	assert_int_equal(l.v[1].vlen, 12);
	assert_string_equal(l.v[2].value, "x=y");
	assert_string_equal(l.v[3].value, "");
	kv_free(&l);

	/* Only one pair of quotes is removed; a lone quote stays. */
	cookie_parse("a=\"\"x\"\"; b=\"; c=\"open; d=close\"", &l);
	assert_int_equal(l.n, 4);
	assert_string_equal(l.v[0].value, "\"x\"");
	assert_string_equal(l.v[1].value, "\"");
	assert_string_equal(l.v[2].value, "\"open");
	assert_string_equal(l.v[3].value, "close\"");
	kv_free(&l);

	/* Pieces without '=' or with an empty name are skipped. */
	cookie_parse("=x; =; ;;junk; good=1;  = 2 ;trailing=;", &l);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.v[0].name, "good");
	assert_string_equal(l.v[0].value, "1");
	assert_string_equal(l.v[1].name, "trailing");
	assert_string_equal(l.v[1].value, "");
	kv_free(&l);

	cookie_parse("", &l);
	cookie_parse(";", &l);
	cookie_parse("   ", &l);
	cookie_parse("noequals", &l);
	cookie_parse(NULL, &l);
	assert_int_equal(l.n, 0);
	kv_free(&l);
}

/* multipart_boundary */

static void
test_boundary_good(void **state)
{
	char out[71];
	char b70[71], ct[128];

	(void)state;
	assert_int_equal(multipart_boundary(
	    "multipart/form-data; boundary=----WebKitFormBoundaryX7a",
	    out, sizeof(out)), 0);
	assert_string_equal(out, "----WebKitFormBoundaryX7a");
	assert_int_equal(multipart_boundary(
	    "Multipart/Form-Data;BOUNDARY=abc", out, sizeof(out)), 0);
	assert_string_equal(out, "abc");
	assert_int_equal(multipart_boundary(
	    "multipart/form-data; boundary=\"a b'()+_,-./:=?z\"",
	    out, sizeof(out)), 0);
	assert_string_equal(out, "a b'()+_,-./:=?z");
	assert_int_equal(multipart_boundary(
	    "  multipart/form-data ; charset=\"utf-8\";  bOuNdArY = xyz ;"
	    " foo=bar;", out, sizeof(out)), 0);
	assert_string_equal(out, "xyz");
	/* Unquoted, with characters outside token. */
	assert_int_equal(multipart_boundary(
	    "multipart/form-data; boundary=a/b:c=d", out, sizeof(out)), 0);
	assert_string_equal(out, "a/b:c=d");

	memset(b70, 'x', 70);
	b70[70] = '\0';
	snprintf(ct, sizeof(ct), "multipart/form-data; boundary=%s", b70);
	assert_int_equal(multipart_boundary(ct, out, sizeof(out)), 0);
	assert_string_equal(out, b70);

	/* Exactly fits outsz with its NUL. */
	assert_int_equal(multipart_boundary(
	    "multipart/form-data; boundary=12345678", out, 9), 0);
	assert_string_equal(out, "12345678");
}

static void
test_boundary_bad(void **state)
{
	char out[80], ct[160], b71[72];

	(void)state;
	memset(b71, 'x', 71);
	b71[71] = '\0';
	snprintf(ct, sizeof(ct), "multipart/form-data; boundary=%s", b71);
	assert_int_equal(multipart_boundary(ct, out, sizeof(out)), -1);
	snprintf(ct, sizeof(ct), "multipart/form-data; boundary=\"%s\"", b71);
	assert_int_equal(multipart_boundary(ct, out, sizeof(out)), -1);

	assert_int_equal(multipart_boundary(
	    "multipart/form-data; boundary=12345678", out, 8), -1);
	assert_int_equal(multipart_boundary(
	    "multipart/form-data; boundary=a", out, 0), -1);
	assert_int_equal(multipart_boundary("text/plain; boundary=abc",
	    out, sizeof(out)), -1);
	assert_int_equal(multipart_boundary("multipart/mixed; boundary=abc",
	    out, sizeof(out)), -1);
	assert_int_equal(multipart_boundary(
	    "multipart/form-datax; boundary=abc", out, sizeof(out)), -1);
	assert_int_equal(multipart_boundary(
	    "application/x-www-form-urlencoded", out, sizeof(out)), -1);
	assert_int_equal(multipart_boundary("multipart/form-data",
	    out, sizeof(out)), -1);
	assert_int_equal(multipart_boundary("multipart/form-data; charset=x",
	    out, sizeof(out)), -1);
	assert_int_equal(multipart_boundary("multipart/form-data; boundary=",
	    out, sizeof(out)), -1);
	assert_int_equal(multipart_boundary(
	    "multipart/form-data; boundary=\"\"", out, sizeof(out)), -1);
	assert_int_equal(multipart_boundary(
	    "multipart/form-data; boundary=\"abc", out, sizeof(out)), -1);
	assert_int_equal(multipart_boundary(
	    "multipart/form-data; boundary=\"ab \"", out, sizeof(out)), -1);
	assert_int_equal(multipart_boundary(
	    "multipart/form-data; boundary=\"a\\\"b\"", out, sizeof(out)), -1);
	assert_int_equal(multipart_boundary(
	    "multipart/form-data; boundary=\"a\r\nb\"", out, sizeof(out)), -1);
	assert_int_equal(multipart_boundary(
	    "multipart/form-data; boundary=a; boundary=b", out, sizeof(out)),
	    -1);
	assert_int_equal(multipart_boundary(
	    "multipart/form-data; boundary=a b", out, sizeof(out)), -1);
	assert_int_equal(multipart_boundary(
	    "multipart/form-data boundary=a", out, sizeof(out)), -1);
	assert_int_equal(multipart_boundary(
	    "multipart/form-data; =a", out, sizeof(out)), -1);
	assert_int_equal(multipart_boundary("", out, sizeof(out)), -1);
	assert_int_equal(multipart_boundary(NULL, out, sizeof(out)), -1);
}

/* multipart_parse */

/* Binary file content: NUL, CR, LF, "--" and near-misses of "------b1". */
#define FILEDATA \
	"\0\x01\xff\r\n--\r\n----b\r\n------b\r\n-- ------b1x\r\n\r\n\r"

static void
test_mp_fields_and_file(void **state)
{
	static const char body[] =
	    "------b1\r\n"
	    "Content-Disposition: form-data; name=\"title\"\r\n"
	    "\r\n"
	    "Printer on fire\r\n"
	    "------b1\r\n"
	    "Content-Disposition: form-data; name=\"body\"\r\n"
	    "\r\n"
	    "line one\r\nline two\r\n"
	    "------b1\r\n"
	    "Content-Disposition: form-data; name=\"file\"; "
	    "filename=\"log.bin\"\r\n"
	    "Content-Type: application/octet-stream\r\n"
	    "\r\n"
	    FILEDATA
	    "\r\n------b1--\r\n";
	static const char file[] = FILEDATA;
	struct partlist pl = PARTLIST_INIT;

	(void)state;
	assert_int_equal(mp(L(body), "----b1", &pl, 10), 0);
	assert_int_equal(pl.n, 3);
	assert_string_equal(pl.v[0].name, "title");
	assert_null(pl.v[0].filename);
	assert_null(pl.v[0].content_type);
	assert_string_equal(pl.v[0].data, "Printer on fire");
	assert_int_equal(pl.v[0].len, 15);
	assert_false(pl.v[0].borrowed);
	assert_string_equal(pl.v[1].name, "body");
	assert_string_equal(pl.v[1].data, "line one\r\nline two");
	assert_null(pl.v[1].filename);
	assert_string_equal(pl.v[2].name, "file");
	assert_string_equal(pl.v[2].filename, "log.bin");
	assert_string_equal(pl.v[2].content_type, "application/octet-stream");
	assert_int_equal(pl.v[2].len, sizeof(file) - 1);
	assert_memory_equal(pl.v[2].data, file, sizeof(file) - 1);
	/* Not copied: it is where it was in the body. */
	assert_true(pl.v[2].borrowed);
	assert_ptr_equal(pl.v[2].data,
	    mp_body + sizeof(body) - sizeof(file) - strlen("\r\n------b1--\r\n"));
	partlist_free(&pl);
	assert_null(pl.v);
	assert_int_equal(pl.n, 0);
	partlist_free(&pl);
}

static void
test_mp_shapes(void **state)
{
	struct partlist pl = PARTLIST_INIT;

	(void)state;
	/* Preamble, transport padding, empty value, epilogue. */
	assert_int_equal(MP(
	    "This is a preamble.\r\n"
	    "--b \t\r\n"
	    "Content-Disposition: form-data; name=e\r\n\r\n"
	    "\r\n--b\r\n"
	    "Content-Disposition: form-data; name=\"f\"\r\n\r\n"
	    "\r\nx\r\n\r\n"
	    "\r\n--b--\r\nepilogue --b junk", &pl, 10), 0);
	assert_int_equal(pl.n, 2);
	assert_string_equal(pl.v[0].name, "e");
	assert_int_equal(pl.v[0].len, 0);
	assert_string_equal(pl.v[0].data, "");
	assert_string_equal(pl.v[1].data, "\r\nx\r\n\r\n");
	partlist_free(&pl);

	/* No parts at all; no CRLF after the closing delimiter. */
	assert_int_equal(MP("--b--", &pl, 10), 0);
	assert_int_equal(pl.n, 0);
	assert_int_equal(MP("--b\r\nContent-Disposition: form-data; name=a"
	    "\r\n\r\nv\r\n--b--", &pl, 0), -1);
	assert_int_equal(MP("--b--", &pl, 0), 0);

	/* Header names in any case; other headers ignored. */
	assert_int_equal(MP("--b\r\n"
	    "X-Whatever: yes\r\n"
	    "content-disposition:FORM-DATA;NAME=\"n\";FileName=\"a.txt\"\r\n"
	    "CONTENT-TYPE:   text/plain; charset=utf-8  \r\n"
	    "Content-Transfer-Encoding: 8bit\r\n"
	    "\r\nhi\r\n--b--\r\n", &pl, 10), 0);
	assert_int_equal(pl.n, 1);
	assert_string_equal(pl.v[0].name, "n");
	assert_string_equal(pl.v[0].filename, "a.txt");
	assert_string_equal(pl.v[0].content_type, "text/plain; charset=utf-8");
	assert_int_equal(pl.v[0].len, 2);
	assert_memory_equal(pl.v[0].data, "hi", 2);
	partlist_free(&pl);

	/* An empty filename is kept as "" (no file chosen). */
	assert_int_equal(MP("--b\r\n"
	    "Content-Disposition: form-data; name=\"f\"; filename=\"\"\r\n"
	    "Content-Type: application/octet-stream\r\n"
	    "\r\n\r\n--b--\r\n", &pl, 10), 0);
	assert_string_equal(pl.v[0].filename, "");
	assert_int_equal(pl.v[0].len, 0);
	partlist_free(&pl);
}

static void
test_mp_filenames(void **state)
{
	struct partlist pl = PARTLIST_INIT;

	(void)state;
	/* Backslash escapes in quoted-strings; unquoted tokens. */
	assert_int_equal(MP("--b\r\n"
	    "Content-Disposition: form-data; name=\"a\\\\b\\\"c\"; "
	    "filename=\"say \\\"hi\\\".txt\"\r\n\r\nx\r\n"
	    "--b\r\n"
	    "Content-Disposition: form-data; name=tok; filename=x.txt\r\n"
	    "\r\ny\r\n--b--\r\n", &pl, 10), 0);
	assert_int_equal(pl.n, 2);
	assert_string_equal(pl.v[0].name, "a\\b\"c");
	assert_string_equal(pl.v[0].filename, "say \"hi\".txt");
	assert_string_equal(pl.v[1].name, "tok");
	assert_string_equal(pl.v[1].filename, "x.txt");
	partlist_free(&pl);

	/* filename* wins whichever comes first. */
	assert_int_equal(MP("--b\r\n"
	    "Content-Disposition: form-data; name=\"f\"; "
	    "filename=\"EUR rates.txt\"; "
	    "filename*=UTF-8''%e2%82%AC%20rates.txt\r\n\r\nx\r\n"
	    "--b\r\n"
	    "Content-Disposition: form-data; name=\"g\"; "
	    "filename*=utf-8'en'%C3%A9.txt; filename=\"e.txt\"\r\n\r\ny\r\n"
	    "--b\r\n"
	    "Content-Disposition: form-data; name=\"h\"; "
	    "filename*=UTF-8''only\r\n\r\nz\r\n"
	    "--b--\r\n", &pl, 10), 0);
	assert_int_equal(pl.n, 3);
	assert_string_equal(pl.v[0].filename, "\xe2\x82\xac rates.txt");
	assert_string_equal(pl.v[1].filename, "\xc3\xa9.txt");
	assert_string_equal(pl.v[2].filename, "only");
	partlist_free(&pl);

	/* Another charset: the plain filename stays. */
	assert_int_equal(MP("--b\r\n"
	    "Content-Disposition: form-data; name=\"f\"; "
	    "filename*=ISO-8859-1''%E9.txt; filename=\"e.txt\"\r\n"
	    "\r\nx\r\n--b--\r\n", &pl, 10), 0);
	assert_string_equal(pl.v[0].filename, "e.txt");
	partlist_free(&pl);

	/* Hostile names stay raw: normalising them is the caller's job. */
	assert_int_equal(MP("--b\r\n"
	    "Content-Disposition: form-data; name=\"f\"; "
	    "filename*=UTF-8''..%2F..%2Fevil%0D%0AX-Injected:%201%0D%0A.sh\r\n"
	    "\r\nx\r\n"
	    "--b\r\n"
	    "Content-Disposition: form-data; name=\"g\"; "
	    "filename=\"C:\\\\dir\\\\..\\\\a\tb\x01.txt\"\r\n"
	    "\r\ny\r\n--b--\r\n", &pl, 10), 0);
	assert_string_equal(pl.v[0].filename,
	    "../../evil\r\nX-Injected: 1\r\n.sh");
	assert_string_equal(pl.v[1].filename, "C:\\dir\\..\\a\tb\x01.txt");
	partlist_free(&pl);

	/* Bad filename* encodings. */
	MP_BAD("--b\r\nContent-Disposition: form-data; name=\"f\"; "
	    "filename*=UTF-8''%zz\r\n\r\nx\r\n--b--\r\n");
	MP_BAD("--b\r\nContent-Disposition: form-data; name=\"f\"; "
	    "filename*=UTF-8''a%4\r\n\r\nx\r\n--b--\r\n");
	MP_BAD("--b\r\nContent-Disposition: form-data; name=\"f\"; "
	    "filename*=UTF-8''a%00b\r\n\r\nx\r\n--b--\r\n");
	MP_BAD("--b\r\nContent-Disposition: form-data; name=\"f\"; "
	    "filename*=UTF-8'a.txt\r\n\r\nx\r\n--b--\r\n");
	MP_BAD("--b\r\nContent-Disposition: form-data; name=\"f\"; "
	    "filename*=a.txt\r\n\r\nx\r\n--b--\r\n");
}

static void
test_mp_malformed(void **state)
{
	static const char full[] =
	    "--b\r\nContent-Disposition: form-data; name=a\r\n\r\nv\r\n--b--";

	struct partlist pl = PARTLIST_INIT;

	(void)state;
	assert_int_equal(mp(L(full), "b", &pl, 10), 0);
	partlist_free(&pl);
	/* Missing closing delimiter, in several ways. */
	MP_BAD("--b\r\nContent-Disposition: form-data; name=a\r\n\r\nv\r\n");
	MP_BAD("--b\r\nContent-Disposition: form-data; name=a\r\n\r\nv\r\n"
	    "--b");
	MP_BAD("--b\r\nContent-Disposition: form-data; name=a\r\n\r\nv\r\n"
	    "--b-");
	MP_BAD("--b\r\nContent-Disposition: form-data; name=a\r\n\r\nv\r\n"
	    "--b\r\n");
	MP_BAD("--b\r\nContent-Disposition: form-data; name=a\r\n\r\nv"
	    "--b--\r\n");
	MP_BAD("--b\r\nContent-Disposition: form-data; name=a\r\n\r\n");
	MP_BAD("--b\r\nContent-Disposition: form-data; name=a");
	MP_BAD("--b\r\n");
	MP_BAD("--b");
	MP_BAD("");
	MP_BAD("no delimiter at all");
	/* The closing "--" lies past len. */
	mp_bad(full, sizeof(full) - 2, 10);

	/* No name, empty name, no disposition, no headers. */
	MP_BAD("--b\r\nContent-Disposition: form-data; filename=\"a\"\r\n\r\n"
	    "v\r\n--b--\r\n");
	MP_BAD("--b\r\nContent-Disposition: form-data; name=\"\"\r\n\r\n"
	    "v\r\n--b--\r\n");
	MP_BAD("--b\r\nContent-Disposition: form-data\r\n\r\nv\r\n--b--\r\n");
	MP_BAD("--b\r\nContent-Type: text/plain\r\n\r\nv\r\n--b--\r\n");
	MP_BAD("--b\r\n\r\nv\r\n--b--\r\n");
	MP_BAD("--b\r\n\r\n--b--\r\n");

	/* Wrong disposition type; repeated things; bad syntax. */
	MP_BAD("--b\r\nContent-Disposition: attachment; name=a\r\n\r\n"
	    "v\r\n--b--\r\n");
	MP_BAD("--b\r\nContent-Disposition: form-data; name=a; name=b\r\n"
	    "\r\nv\r\n--b--\r\n");
	MP_BAD("--b\r\nContent-Disposition: form-data; name=a\r\n"
	    "Content-Disposition: form-data; name=b\r\n\r\nv\r\n--b--\r\n");
	MP_BAD("--b\r\nContent-Disposition: form-data; name=a\r\n"
	    "Content-Type: a\r\nContent-Type: b\r\n\r\nv\r\n--b--\r\n");
	MP_BAD("--b\r\nContent-Disposition: form-data; name=\"a\r\n\r\n"
	    "v\r\n--b--\r\n");
	MP_BAD("--b\r\nContent-Disposition: form-data; name=\"a\\\"\r\n\r\n"
	    "v\r\n--b--\r\n");
	MP_BAD("--b\r\nContent-Disposition: form-data; name=a b\r\n\r\n"
	    "v\r\n--b--\r\n");
	MP_BAD("--b\r\nContent-Disposition: form-data name=a\r\n\r\n"
	    "v\r\n--b--\r\n");
	MP_BAD("--b\r\nContent-Disposition: form-data; name\r\n\r\n"
	    "v\r\n--b--\r\n");
	MP_BAD("--b\r\nContent-Disposition: form-data; name=\r\n\r\n"
	    "v\r\n--b--\r\n");
	MP_BAD("--b\r\nContent-Disposition form-data; name=a\r\n\r\n"
	    "v\r\n--b--\r\n");
	MP_BAD("--b\r\n: x\r\nContent-Disposition: form-data; name=a\r\n\r\n"
	    "v\r\n--b--\r\n");
	/* Folding, bare LF or CR, NUL in the headers. */
	MP_BAD("--b\r\nContent-Disposition: form-data;\r\n name=a\r\n\r\n"
	    "v\r\n--b--\r\n");
	MP_BAD("--b\r\nContent-Disposition: form-data; name=a\nX: y\r\n\r\n"
	    "v\r\n--b--\r\n");
	MP_BAD("--b\r\nContent-Disposition: form-data; name=a\rX: y\r\n\r\n"
	    "v\r\n--b--\r\n");
	MP_BAD("--b\r\nContent-Disposition: form-data; name=\"a\0b\"\r\n\r\n"
	    "v\r\n--b--\r\n");
	/* LF-only line ends. */
	MP_BAD("--b\nContent-Disposition: form-data; name=a\n\nv\n--b--\n");
	/* Junk after a delimiter, or the boundary inside a part. */
	MP_BAD("--bx\r\nContent-Disposition: form-data; name=a\r\n\r\n"
	    "v\r\n--b--\r\n");
	MP_BAD("--b\r\nContent-Disposition: form-data; name=a\r\n\r\n"
	    "v\r\n--bx\r\n--b--\r\n");
	MP_BAD("--b\r\nContent-Disposition: form-data; name=a\r\n\r\n"
	    "--b\r\nv\r\n--b--\r\n");
	MP_BAD("--b\r\nContent-Disposition: form-data; name=a\r\n"
	    "--b\r\n\r\nv\r\n--b--\r\n");
	MP_BAD("--b\r\n--b\r\nContent-Disposition: form-data; name=a\r\n\r\n"
	    "v\r\n--b--\r\n");
}

static void
test_mp_boundary_arg(void **state)
{
	static const char body[] =
	    "--b\r\nContent-Disposition: form-data; name=a\r\n\r\nv\r\n--b--";
	struct partlist pl = PARTLIST_INIT;
	char b71[72];

	(void)state;
	memset(b71, 'b', 71);
	b71[71] = '\0';
	assert_int_equal(mp(L(body), "", &pl, 10), -1);
	assert_int_equal(mp(L(body), b71, &pl, 10), -1);
	assert_int_equal(mp(L(body), NULL, &pl, 10), -1);
	assert_int_equal(mp(L(body), "c", &pl, 10), -1);
	assert_int_equal(mp(L(body), "b", &pl, 10), 0);
	assert_int_equal(pl.n, 1);
	partlist_free(&pl);
}

static void
test_mp_limits(void **state)
{
	static const char three[] =
	    "--b\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n"
	    "--b\r\nContent-Disposition: form-data; name=b\r\n\r\n2\r\n"
	    "--b\r\nContent-Disposition: form-data; name=c\r\n\r\n3\r\n"
	    "--b--\r\n";
	struct partlist pl = PARTLIST_INIT;
	struct buf b = BUF_INIT;
	size_t i;

	(void)state;
	assert_int_equal(MP(three, &pl, 3), 0);
	assert_int_equal(pl.n, 3);
	/* A failed parse leaves the parts already in the list alone. */
	assert_int_equal(MP(three, &pl, 2), -1);
	assert_int_equal(pl.n, 3);
	assert_string_equal(pl.v[2].data, "3");
	partlist_free(&pl);
	mp_bad(L(three), 2);
	mp_bad(L(three), 0);

	/* A header block of exactly 8 KiB passes; one byte more fails. */
	buf_puts(&b, "--b\r\nContent-Disposition: form-data; name=a\r\nX: ");
	for (i = b.len - 5; i < 8192; i++)
		buf_putc(&b, 'x');
	buf_puts(&b, "\r\n\r\nv\r\n--b--\r\n");
	assert_int_equal(mp(b.data, b.len, "b", &pl, 10), 0);
	assert_string_equal(pl.v[0].data, "v");
	partlist_free(&pl);
	buf_reset(&b);
	buf_puts(&b, "--b\r\nContent-Disposition: form-data; name=a\r\nX: ");
	for (i = b.len - 5; i < 8193; i++)
		buf_putc(&b, 'x');
	buf_puts(&b, "\r\n\r\nv\r\n--b--\r\n");
	mp_bad(b.data, b.len, 10);

	/* A long header with no end at all. */
	buf_reset(&b);
	buf_puts(&b, "--b\r\nX: ");
	for (i = 0; i < 100000; i++)
		buf_putc(&b, 'x');
	buf_puts(&b, "\r\n--b--\r\n");
	mp_bad(b.data, b.len, 10);
	buf_free(&b);
}

static int
mp_text(const char *s, size_t n, struct partlist *pl, size_t max_text)
{
	free(mp_body);
	mp_body = exact(s, n);
	return multipart_parse(mp_body, n, "b", pl, 10, max_text);
}

#define MPT(lit, pl, max_text)	mp_text(L(lit), (pl), (max_text))

/*
 * Plain fields share a budget of bytes, checked while each one's end is
 * searched for: a field that passes it is refused without being copied,
 * before the parser has seen the rest of the body. Files do not count.
 */
static void
test_mp_text_budget(void **state)
{
	static const char two[] =
	    "--b\r\nContent-Disposition: form-data; name=a\r\n\r\naaaa\r\n"
	    "--b\r\nContent-Disposition: form-data; name=b\r\n\r\nbb\r\n"
	    "--b\r\nContent-Disposition: form-data; name=f; filename=x\r\n"
	    "\r\n0123456789\r\n--b--\r\n";
	static const char head[] =
	    "--b\r\nContent-Disposition: form-data; name=a\r\n\r\n";
	struct partlist pl = PARTLIST_INIT;
	struct buf b = BUF_INIT;
	size_t i;

	(void)state;
	assert_int_equal(MPT(two, &pl, 6), 0);
	assert_int_equal(pl.n, 3);
	partlist_free(&pl);
	assert_int_equal(MPT(two, &pl, 5), MULTIPART_LARGE);
	assert_int_equal(pl.n, 0);
	assert_int_equal(MPT(two, &pl, 3), MULTIPART_LARGE);
	/* A malformed body (here, one never closed) is still malformed
	 * within the budget. */
	assert_int_equal(mp_text(two, sizeof(two) - 1 - 9, &pl, 6),
	    MULTIPART_BAD);

	/*
	 * 4 MB of one field against a budget of 1 KB: refused though the
	 * body has no closing delimiter at all, so the parser stopped
	 * looking at 1 KB; the same body without a budget is malformed.
	 */
	buf_puts(&b, head);
	for (i = 0; i < 4 * 1024 * 1024; i++)
		buf_putc(&b, 'x');
	assert_int_equal(mp_text(b.data, b.len, &pl, 1024), MULTIPART_LARGE);
	assert_int_equal(mp_text(b.data, b.len, &pl, SIZE_MAX), MULTIPART_BAD);
	assert_int_equal(pl.n, 0);

	/* Exactly the budget passes; one byte more does not. */
	buf_reset(&b);
	buf_puts(&b, head);
	for (i = 0; i < 1024; i++)
		buf_putc(&b, 'x');
	buf_puts(&b, "\r\n--b--\r\n");
	assert_int_equal(mp_text(b.data, b.len, &pl, 1024), 0);
	assert_int_equal(pl.v[0].len, 1024);
	partlist_free(&pl);
	assert_int_equal(mp_text(b.data, b.len, &pl, 1023), MULTIPART_LARGE);
	assert_int_equal(mp_text(b.data, b.len, &pl, 0), MULTIPART_LARGE);
	buf_free(&b);
}

/*
 * A 25 MB file made of near-misses of the delimiter, and a body of very
 * many tiny parts: both must be linear. The clock check is loose so
 * that sanitizers and slow machines pass; quadratic work would not.
 */
static void
test_mp_large(void **state)
{
	static const char head[] = "--0123456789abcdef\r\n"
	    "Content-Disposition: form-data; name=f; filename=big\r\n\r\n";
	static const char miss[] = "\r\n--0123456789abcdeX";
	static const char tail[] = "\r\n--0123456789abcdef--\r\n";
	static const char tiny[] = "Content-Disposition: form-data; name=a"
	    "\r\n\r\n\r\n--b\r\n";
	struct partlist pl = PARTLIST_INIT;
	struct buf b = BUF_INIT;
	size_t n = 25 * 1024 * 1024 / (sizeof(miss) - 1), i;
	clock_t t0;

	(void)state;
	buf_grow(&b, 26 * 1024 * 1024);
	buf_add(&b, head, sizeof(head) - 1);
	for (i = 0; i < n; i++)
		buf_add(&b, miss, sizeof(miss) - 1);
	buf_add(&b, tail, sizeof(tail) - 1);
	t0 = clock();
	assert_int_equal(multipart_parse(b.data, b.len, "0123456789abcdef",
	    &pl, 10, SIZE_MAX), 0);
	assert_true(clock() - t0 < 20 * CLOCKS_PER_SEC);
	assert_int_equal(pl.n, 1);
	assert_int_equal(pl.v[0].len, n * (sizeof(miss) - 1));
	partlist_free(&pl);

	buf_reset(&b);
	buf_puts(&b, "--b\r\n");
	for (i = 0; i < 200000; i++)
		buf_add(&b, tiny, sizeof(tiny) - 1);
	/* No closing delimiter, and no part limit to stop early. */
	t0 = clock();
	assert_int_equal(multipart_parse(b.data, b.len, "b", &pl, SIZE_MAX,
	    SIZE_MAX), -1);
	assert_true(clock() - t0 < 20 * CLOCKS_PER_SEC);
	assert_int_equal(pl.n, 0);
	b.len -= 2;
	buf_puts(&b, "--\r\n");
	assert_int_equal(multipart_parse(b.data, b.len, "b", &pl, SIZE_MAX,
	    SIZE_MAX), 0);
	assert_int_equal(pl.n, 200000);
	partlist_free(&pl);
	buf_free(&b);
}

/* What multipart_parse_paced told its caller. */
struct told {
	const char	*last;
	size_t		 calls;
};

static void
told(void *arg, const char *upto)
{
	struct told *t = arg;

	assert_true(upto > t->last);
	t->last = upto;
	t->calls++;
}

/*
 * The delimiter search goes a window of MULTIPART_STEP at a time: a
 * closing delimiter (and a near miss) at every offset around the first
 * two window edges is found exactly where the whole-body search finds
 * it, and progress is told in order, within the body.
 */
static void
test_mp_paced(void **state)
{
	static const char head[] = "--b\r\n"
	    "Content-Disposition: form-data; name=f; filename=x\r\n\r\n";
	static const char tail[] = "\r\n--b--\r\n";
	struct partlist pl = PARTLIST_INIT, whole = PARTLIST_INIT;
	struct buf b = BUF_INIT;
	struct told t;
	size_t edge, len, i, hlen = sizeof(head) - 1;
	long d;
	char *body;

	(void)state;
	for (edge = 1; edge <= 2; edge++) {
		for (d = -12; d <= 12; d++) {
			/* The search starts where the data does, at hlen;
			 * the delimiter starts at hlen + len. */
			len = edge * MULTIPART_STEP + (size_t)d;
			buf_reset(&b);
			buf_add(&b, head, hlen);
			for (i = 0; i < len; i++)
				buf_putc(&b, 'x');
			/* A near miss across the same edge, one step back. */
			memcpy(b.data + hlen + len - MULTIPART_STEP / 2 - 2,
			    "\r\n--c", 5);
			buf_add(&b, tail, sizeof(tail) - 1);
			body = exact(b.data, b.len);
			t.last = body;
			t.calls = 0;
			assert_int_equal(multipart_parse_paced(body, b.len, "b",
			    &pl, 10, SIZE_MAX, told, &t), 0);
			assert_int_equal(multipart_parse(body, b.len, "b",
			    &whole, 10, SIZE_MAX), 0);
			assert_int_equal(pl.n, 1);
			assert_int_equal(pl.v[0].len, len);
			assert_ptr_equal(pl.v[0].data, body + hlen);
			assert_int_equal(whole.v[0].len, len);
			assert_true(t.calls >= (d < 0 ? edge - 1 : edge));
			assert_true(t.last <= body + b.len);
			partlist_free(&pl);
			partlist_free(&whole);
			free(body);
		}
	}
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf8_good),
		cmocka_unit_test(test_utf8_bad),
		cmocka_unit_test(test_text_valid),
		cmocka_unit_test(test_form_good),
		cmocka_unit_test(test_form_nul),
		cmocka_unit_test(test_form_bad),
		cmocka_unit_test(test_form_limit),
		cmocka_unit_test(test_cookie),
		cmocka_unit_test(test_boundary_good),
		cmocka_unit_test(test_boundary_bad),
		cmocka_unit_test(test_mp_fields_and_file),
		cmocka_unit_test(test_mp_shapes),
		cmocka_unit_test(test_mp_filenames),
		cmocka_unit_test(test_mp_malformed),
		cmocka_unit_test(test_mp_boundary_arg),
		cmocka_unit_test(test_mp_limits),
		cmocka_unit_test(test_mp_text_budget),
		cmocka_unit_test(test_mp_large),
		cmocka_unit_test(test_mp_paced),
	};

	return cmocka_run_group_tests(tests, NULL, mp_teardown);
}
