/*
 * Redirect locality: url_is_local, and redirect() and safe_next() that
 * rely on it. The refused targets are the ways browsers turn a path that
 * looks local into another site (TAB, CR, LF dropped; "\" read as "/").
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "http.h"
#include "request.h"
#include "util.h"

static const char *const local[] = {
	"/",
	"/workspaces",
	"/w/acme/tickets/42",
	"/w/acme/tickets?status=open&q=a%20b",
	"/%09/evil.example",		/* stays a path: %09 is not decoded */
	"/%2F%2Fevil.example",
	"/%5Cevil.example",
	"/a//b",			/* "//" after the first segment */
	"/account?done=password",
	"/a:b@c",
};

static const char *const foreign[] = {
	"",
	"//evil.example",
	"/\\evil.example",
	"/\t/evil.example",
	"/\t\\evil.example",
	"/\n/evil.example",
	"/\r/evil.example",
	"/\r\n/evil.example",
	"\t//evil.example",
	" /\t/evil.example",
	"/ /evil.example",
	"/\x0b/evil.example",
	"/\x0c/evil.example",
	"/\x7f/evil.example",
	"/ok\\..\\..\\evil",
	"/ok\t",
	"/ok\r\nSet-Cookie: x=1",
	"/caf\xc3\xa9",
	"https://evil.example/",
	"http:evil.example",
	"javascript:alert(1)",
	"evil.example",
	"\\\\evil.example",
};

static void
test_url_is_local(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < nitems(local); i++)
		if (!url_is_local(local[i]))
			fail_msg("refused a local path: %s", local[i]);
	for (i = 0; i < nitems(foreign); i++)
		if (url_is_local(foreign[i]))
			fail_msg("accepted foreign target #%zu", i);
	assert_false(url_is_local(NULL));
}

static void
test_redirect_refuses_foreign(void **state)
{
	struct req r;
	size_t i;

	(void)state;
	for (i = 0; i < nitems(foreign); i++) {
		memset(&r, 0, sizeof(r));
		redirect(&r, foreign[i]);
		assert_int_equal(r.status, 303);
		assert_string_equal(kv_get(&r.headers, "Location"), "/");
		req_free(&r);
	}
	memset(&r, 0, sizeof(r));
	redirect(&r, "/w/acme/tickets/1");
	assert_string_equal(kv_get(&r.headers, "Location"),
	    "/w/acme/tickets/1");
	req_free(&r);
}

static void
test_safe_next(void **state)
{
	struct req r;
	size_t i;

	(void)state;
	for (i = 0; i < nitems(foreign); i++) {
		memset(&r, 0, sizeof(r));
		kv_add(&r.query, "next", 4, foreign[i], strlen(foreign[i]));
		assert_null(safe_next(&r));
		req_free(&r);
		memset(&r, 0, sizeof(r));
		kv_add(&r.form, "next", 4, foreign[i], strlen(foreign[i]));
		assert_null(safe_next(&r));
		req_free(&r);
	}
	memset(&r, 0, sizeof(r));
	kv_add(&r.form, "next", 4, "/account", 8);
	assert_string_equal(safe_next(&r), "/account");
	req_free(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_url_is_local),
		cmocka_unit_test(test_redirect_refuses_foreign),
		cmocka_unit_test(test_safe_next),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
