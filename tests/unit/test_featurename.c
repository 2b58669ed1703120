/* Usage data's feature names (lib/web/featurename.h): the named routes,
 * the search, names made from a path, and the 40-character bound. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "featurename.h"
#include "request.h"

static int h(struct req *r) { (void)r; return 0; }

static const char *
name_of(enum method m, const char *pattern, const char *q)
{
	static char out[48];
	struct route rt = { m, pattern, h, R_WS, 0 };
	struct req r;

	memset(&r, 0, sizeof(r));
	if (q)
		kv_add(&r.query, "q", 1, q, strlen(q));
	route_feature(&rt, &r, out, sizeof(out));
	req_free(&r);
	return out;
}

static void
test_named(void **state)
{
	(void)state;
	assert_string_equal(name_of(M_GET, "/w/:slug/tickets", NULL),
	    "tickets.queue");
	assert_string_equal(name_of(M_GET, "/w/:slug/tickets", ""),
	    "tickets.queue");
	assert_string_equal(name_of(M_GET, "/w/:slug/tickets", "printer"),
	    "tickets.search");
	assert_string_equal(name_of(M_POST, "/w/:slug/tickets/:num/comments",
	    NULL), "tickets.reply");
	assert_string_equal(name_of(M_GET, "/w/:slug", NULL),
	    "workspace.home");
}

static void
test_from_path(void **state)
{
	(void)state;
	assert_string_equal(name_of(M_POST, "/w/:slug/admin/members/:user/role",
	    NULL), "admin.members.role.save");
	assert_string_equal(name_of(M_GET, "/w/:slug/admin/members", NULL),
	    "admin.members");
	assert_string_equal(name_of(M_GET, "/w/:slug/leave", NULL), "leave");
	assert_true(strlen(name_of(M_GET, "/w/:slug/aaaaaaaaaaaaaaaaaaaa/"
	    "bbbbbbbbbbbbbbbbbbbbbbbb/cccccccccccc", NULL)) <= 40);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_named),
		cmocka_unit_test(test_from_path),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
