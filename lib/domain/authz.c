#include <stdlib.h>
#include <string.h>

#include "authz.h"
#include "db.h"
#include "util.h"

/*
 * The permission matrix. docs/permissions.md is this table in words, and
 * tests/integration/permissions.test.js checks every cell through HTTP.
 */
static const unsigned char matrix[ROLE__MAX][P__MAX] = {
	[ROLE_NONE] = { 0 },
	[ROLE_REQUESTER] = {
		[P_NONE] = 1, [P_TICKET_CREATE] = 1, [P_COMMENT] = 1,
	},
	[ROLE_AGENT] = {
		[P_NONE] = 1, [P_TICKET_CREATE] = 1, [P_TICKET_VIEW_ALL] = 1,
		[P_TICKET_TRIAGE] = 1, [P_COMMENT] = 1, [P_NOTE] = 1,
	},
	[ROLE_ADMIN] = {
		[P_NONE] = 1, [P_TICKET_CREATE] = 1, [P_TICKET_VIEW_ALL] = 1,
		[P_TICKET_TRIAGE] = 1, [P_COMMENT] = 1, [P_NOTE] = 1,
		[P_MEMBERS] = 1, [P_SETTINGS] = 1, [P_AUDIT] = 1,
	},
};

static const char *const role_names[ROLE__MAX] = {
	[ROLE_NONE] = "none", [ROLE_REQUESTER] = "requester",
	[ROLE_AGENT] = "agent", [ROLE_ADMIN] = "admin",
};

int
role_can(enum role role, enum perm p)
{
	if (role < 0 || role >= ROLE__MAX || p < 0 || p >= P__MAX)
		return 0;
	return matrix[role][p];
}

int
can(const struct req *r, enum perm p)
{
	return r->ws != NULL && role_can(r->ws->role, p);
}

const char *
role_name(enum role role)
{
	return role >= 0 && role < ROLE__MAX ? role_names[role] : "none";
}

enum role
role_parse(const char *s)
{
	int i;

	for (i = ROLE_REQUESTER; i < ROLE__MAX; i++)
		if (str_eq(s, role_names[i]))
			return (enum role)i;
	return ROLE_NONE;
}

int
authz_load(struct req *r)
{
	const char *slug = req_param(r, "slug");
	struct dbres *res;
	int status = 404;

	if (slug == NULL || r->user == NULL)
		return 404;
	res = db_query("SELECT w.id, w.slug, w.name, w.portal_signup, m.role"
	    " FROM workspaces w JOIN memberships m ON m.workspace_id = w.id"
	    " WHERE w.slug = ? AND m.user_id = ?", "si", slug, r->user->id);
	if (res == NULL)
		return -1;
	if (db_next(res)) {
		r->ws = xcalloc(1, sizeof(*r->ws));
		r->ws->id = db_int(res, 0);
		r->ws->slug = xstrdup(db_str(res, 1));
		r->ws->name = xstrdup(db_str(res, 2));
		r->ws->portal_signup = (int)db_int(res, 3);
		r->ws->role = role_parse(db_str(res, 4));
		status = 0;
	}
	db_free(res);
	return status;
}

const char *
authz_ticket_updated(const struct req *r)
{
	return can(r, P_TICKET_VIEW_ALL) ? "t.updated_at" :
	    "t.public_updated_at";
}

void
workspace_free(struct workspace *ws)
{
	if (ws == NULL)
		return;
	free(ws->slug);
	free(ws->name);
	free(ws);
}
