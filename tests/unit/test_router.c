/* Router: pattern matching, parameters, 404 and 405 with Allow. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "router.h"
#include "request.h"

static int h_root(struct req *r) { (void)r; return 0; }
static int h_ticket(struct req *r) { (void)r; return 1; }
static int h_post(struct req *r) { (void)r; return 2; }

static const struct route routes[] = {
	{ M_GET, "/", h_root, 0, 0 },
	{ M_GET, "/w/:slug/tickets/:num", h_ticket, 0, 0 },
	{ M_POST, "/w/:slug/tickets/:num", h_post, 0, 0 },
	{ M_POST, "/signout", h_post, 0, 0 },
	{ 0, NULL, NULL, 0, 0 }
};

static void
request(struct req *r, enum method m, const char *path)
{
	memset(r, 0, sizeof(*r));
	r->method = m;
	r->path = strdup(path);
}

static void
test_literal_and_params(void **state)
{
	struct req r;
	const struct route *rt;
	int st = 0;

	(void)state;
	request(&r, M_GET, "/w/acme/tickets/42");
	rt = route_match(routes, &r, &st);
	assert_non_null(rt);
	assert_ptr_equal(rt->handler, h_ticket);
	assert_string_equal(req_param(&r, "slug"), "acme");
	assert_string_equal(req_param(&r, "num"), "42");
	req_free(&r);

	request(&r, M_POST, "/w/acme/tickets/42");
	rt = route_match(routes, &r, &st);
	assert_ptr_equal(rt->handler, h_post);
	req_free(&r);
}

static void
test_head_uses_get(void **state)
{
	struct req r;
	int st = 0;

	(void)state;
	request(&r, M_HEAD, "/");
	assert_non_null(route_match(routes, &r, &st));
	req_free(&r);
}

static void
test_not_found(void **state)
{
	static const char *paths[] = {
		"/w/acme/tickets", "/w/acme/tickets/", "/w//tickets/1",
		"/w/acme/tickets/1/x", "//", "/signout/", "/SIGNOUT", "",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		struct req r;
		int st = 0;

		request(&r, M_GET, paths[i]);
		assert_null(route_match(routes, &r, &st));
		assert_int_equal(st, 404);
		assert_int_equal(r.params.n, 0);
		req_free(&r);
	}
}

static void
test_method_not_allowed(void **state)
{
	struct req r;
	int st = 0;

	(void)state;
	request(&r, M_GET, "/signout");
	assert_null(route_match(routes, &r, &st));
	assert_int_equal(st, 405);
	assert_string_equal(kv_get(&r.headers, "Allow"), "POST");
	req_free(&r);

	request(&r, M_OTHER, "/w/a/tickets/1");
	assert_null(route_match(routes, &r, &st));
	assert_int_equal(st, 405);
	assert_string_equal(kv_get(&r.headers, "Allow"), "GET, HEAD, POST");
	req_free(&r);
}

static void
test_pattern_only(void **state)
{
	struct kvlist p = KVLIST_INIT;

	(void)state;
	assert_true(route_pattern_match("/a/:x", "/a/b", &p));
	assert_string_equal(kv_get(&p, "x"), "b");
	kv_free(&p);
	assert_false(route_pattern_match("/a/:x/c", "/a/b/d", &p));
	assert_int_equal(p.n, 0);
	kv_free(&p);
	assert_false(route_pattern_match("/a", "/ab", NULL));
	assert_false(route_pattern_match("/ab", "/a", NULL));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_literal_and_params),
		cmocka_unit_test(test_head_uses_get),
		cmocka_unit_test(test_not_found),
		cmocka_unit_test(test_method_not_allowed),
		cmocka_unit_test(test_pattern_only),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
