/* firstrun: the next steps in an empty workspace (firstrun.h). */
#include <stdlib.h>

#include "authz.h"
#include "config.h"
#include "escape.h"
#include "firstrun.h"
#include "http.h"
#include "notify.h"
#include "tickets.h"
#include "workspaces.h"

/* The portal's address for requesters: absolute from base_url, as in
 * mail (never the request's Host); the path when base_url is not set. */
static void
portal_link(struct req *r, struct json_object *o)
{
	struct buf u = BUF_INIT;

	if (notify_url(&u, "/w/") == -1)
		buf_puts(&u, "/w/");
	url_escape(&u, r->ws->slug);
	buf_puts(&u, "/join");
	ctx_str(o, "portal", buf_str(&u));
	buf_free(&u);
}

/* What the staff see beside the steps: the portal if it is open, and the
 * inbound address mail to the workspace goes to. */
static int
staff_steps(struct req *r, struct json_object *o)
{
	char *inbound = NULL;
	enum outcome rc;

	if (r->ws->portal_signup)
		portal_link(r, o);
	rc = ws_inbound_address(r->ws->id, &inbound);
	if (rc != OK && rc != E_NOT_FOUND)
		return -1;
	if (inbound)
		ctx_str(o, "inbound", inbound);
	free(inbound);
	return 0;
}

int
first_run(struct req *r, struct json_object *c)
{
	struct json_object *tickets, *o;
	const char *after = req_query(r, "after");
	const char *before = req_query(r, "before");
	int any;

	if (!json_object_object_get_ex(c, "tickets", &tickets) ||
	    json_object_array_length(tickets) > 0 || (after && *after) ||
	    (before && *before))
		return 0;
	if (ticket_any(&r->actor, &any) != OK)
		return -1;
	if (any)
		return 0;
	o = json_object_new_object();
	json_object_object_add(o, "staff",
	    json_object_new_boolean(can(r, P_TICKET_VIEW_ALL)));
	json_object_object_add(o, "invite",
	    json_object_new_boolean(can(r, P_MEMBERS)));
	json_object_object_add(o, "settings",
	    json_object_new_boolean(can(r, P_SETTINGS)));
	if (can(r, P_TICKET_VIEW_ALL) && staff_steps(r, o) == -1) {
		json_object_put(o);
		return -1;
	}
	json_object_object_add(c, "first_run", o);
	return 0;
}
