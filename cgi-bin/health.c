/* health: GET /healthz answers "ok" while the database answers. */
#include "app.h"

static int
healthz(struct req *r)
{
	if (db_ping() == -1)
		return text(r, 503, "unavailable\n");
	return text(r, 200, "ok\n");
}

static const struct route routes[] = {
	{ M_GET, "/healthz", healthz, 0, 0 },
	{ 0, NULL, NULL, 0, 0 }
};

int
main(int argc, char **argv)
{
	return app_main(argc, argv, routes);
}
