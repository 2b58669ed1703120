#include <string.h>

#include "featurename.h"

/* Named features; any other route is named after its path (below). */
static const struct {
	enum method	 method;
	const char	*pattern;
	const char	*name;
} named[] = {
	{ M_GET,  "/w/:slug", "workspace.home" },
	{ M_GET,  "/w/:slug/tickets", "tickets.queue" },
	{ M_GET,  "/w/:slug/tickets/new", "tickets.new" },
	{ M_POST, "/w/:slug/tickets/new", "tickets.create" },
	{ M_GET,  "/w/:slug/tickets/:num", "tickets.view" },
	{ M_POST, "/w/:slug/tickets/:num", "tickets.triage" },
	{ M_POST, "/w/:slug/tickets/:num/comments", "tickets.reply" },
	{ M_GET,  "/w/:slug/attachments/:id", "attachments.download" },
	{ M_GET,  "/w/:slug/admin/audit", "admin.audit" },
	{ M_POST, "/w/:slug/admin/audit/export", "admin.audit.export" },
	{ M_GET,  "/w/:slug/admin/usage", "admin.usage" },
	{ 0, NULL, NULL }
};

/* "/w/:slug/admin/members/:user/role" -> "admin.members.role", and a
 * POST's ".save" after: the path's fixed segments. */
static void
from_path(const struct route *rt, char *out, size_t outsz)
{
	const char *p = rt->pattern;
	size_t n = 0;

	if (strncmp(p, "/w/:slug", 8) == 0)
		p += 8;
	while (*p && n + 1 < outsz) {
		const char *seg = *p == '/' ? p + 1 : p;
		size_t len = strcspn(seg, "/");

		if (len > 0 && *seg != ':') {
			if (n > 0 && n + 1 < outsz)
				out[n++] = '.';
			while (len > 0 && n + 1 < outsz && *seg) {
				out[n++] = *seg++;
				len--;
			}
		}
		p = seg + len;
	}
	out[n] = '\0';
	if (n == 0)
		strncat(out, "workspace", outsz - 1);
	if (rt->method == M_POST && n + 5 < outsz)
		strncat(out, ".save", outsz - n - 1);
}

const char *
route_feature(const struct route *rt, const struct req *r, char *out,
    size_t outsz)
{
	const char *q;
	size_t i, max = outsz > 41 ? 41 : outsz;

	if (outsz == 0)
		return out;
	out[0] = '\0';
	for (i = 0; named[i].pattern; i++)
		if (named[i].method == rt->method &&
		    strcmp(named[i].pattern, rt->pattern) == 0) {
			strncat(out, named[i].name, max - 1);
			break;
		}
	if (named[i].pattern == NULL)
		from_path(rt, out, max);
	/* The queue with words to look for is the search. */
	if (strcmp(out, "tickets.queue") == 0 &&
	    (q = req_query(r, "q")) != NULL && *q != '\0') {
		out[0] = '\0';
		strncat(out, "tickets.search", max - 1);
	}
	return out;
}
