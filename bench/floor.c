/*
 * floor: the cheapest dynamic page our lib/ can serve, for `make bench`:
 * the whole request path of a real program (FastCGI, request checks,
 * session lookup, routing, security headers, the log line) and one
 * primary-key query, answered as plain text. Every page's throughput is
 * reported as a ratio to this one.
 *
 * Not a product program: it lives in bench/, is not in nginx/routes.conf
 * and only bench/run starts it (nginx/helpdesk-dev.conf.in sends
 * /_bench/floor to its socket).
 */
#include <stdio.h>

#include "app.h"

static int
floor_page(struct req *r)
{
	struct dbres *res;
	char out[160];
	int rc;

	res = db_query("SELECT id, name FROM users WHERE id = ?", "i", 1LL);
	if (res == NULL)
		return db_unavailable(r);
	if ((rc = db_next(res)) == 1)
		snprintf(out, sizeof(out), "user %lld\n", db_int(res, 0));
	else
		snprintf(out, sizeof(out), "no user\n");
	db_free(res);
	if (rc == -1)
		return db_unavailable(r);
	return text(r, 200, out);
}

static const struct route routes[] = {
	{ M_GET, "/_bench/floor", floor_page, 0, P_NONE },
	{ 0, NULL, NULL, 0, 0 }
};

int
main(int argc, char **argv)
{
	return app_main(argc, argv, routes);
}
