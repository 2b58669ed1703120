/*
 * workspaces: a user's list of workspaces and creating one, joining one
 * through its portal, and accepting an invitation.
 */
#include <string.h>

#include "app.h"
#include "audit.h"
#include "workspaces.h"

static const struct field create_fields[] = {
	{ "name", "Name", F_TEXT, 1, 1, 100 },
	{ "slug", "URL name", F_SLUG, 1, 2, 40 },
	{ NULL, NULL, 0, 0, 0, 0 }
};

static int
list_page(struct req *r, int status, struct json_object *values,
    struct json_object *errors, const char *msg)
{
	struct json_object *c, *list;

	if ((list = ws_list(r->user->id)) == NULL) {
		json_object_put(values);
		json_object_put(errors);
		return db_unavailable(r);
	}
	c = page_ctx(r);
	ctx_str(c, "title", "Your workspaces");
	json_object_object_add(c, "workspaces", list);
	json_object_object_add(c, "values", values);
	json_object_object_add(c, "errors", errors);
	ctx_str(c, "message", msg);
	return page(r, status, "workspaces/index", c);
}

static int
list(struct req *r)
{
	return list_page(r, 200, NULL, NULL, NULL);
}

static int
create_refused(struct req *r, struct json_object *values,
    struct json_object *errors, const char *slug_error)
{
	if (slug_error)
		json_object_object_add(errors, "slug",
		    json_object_new_string(slug_error));
	return list_page(r, 400, values, errors,
	    "Please correct the marked fields.");
}

static int
create(struct req *r)
{
	struct json_object *values = json_object_new_object();
	struct json_object *errors = json_object_new_object();
	const char *slug;
	long long id;
	int rc;

	if (form_check(r, create_fields, values, errors) > 0)
		return create_refused(r, values, errors, NULL);
	slug = req_form(r, "slug");
	if (ws_slug_reserved(slug))
		return create_refused(r, values, errors,
		    "This URL name is reserved. Choose another one.");
	if (db_begin() == -1)
		goto fail;
	rc = ws_create(slug, req_form(r, "name"), r->user->id, &id);
	if (rc == WS_SLUG_TAKEN) {
		db_rollback();
		return create_refused(r, values, errors,
		    "Another workspace already uses this URL name. "
		    "Choose another one.");
	}
	if (rc == -1 ||
	    audit(&r->actor, id, 0, "workspace.create", "workspace",
	    id) == -1 ||
	    db_commit() == -1)
		goto fail;
	json_object_put(values);
	json_object_put(errors);
	return redirect_ws(r, slug, "/tickets");
fail:
	json_object_put(values);
	json_object_put(errors);
	return db_unavailable(r);
}

static int
home(struct req *r)
{
	return redirect_ws(r, r->ws->slug, "/tickets");
}

enum portal {
	PORTAL_OPEN,
	PORTAL_MEMBER,
	PORTAL_CLOSED
};

/* What the portal of :slug offers r's user. A workspace without a portal
 * is as unknown to outsiders as one that does not exist. */
static int
portal(struct req *r, struct workspace **ws, enum portal *p)
{
	if (ws_lookup(req_param(r, "slug"), r->user->id, ws) == -1)
		return -1;
	if (*ws != NULL && (*ws)->role != ROLE_NONE)
		*p = PORTAL_MEMBER;
	else if (*ws != NULL && (*ws)->portal_signup)
		*p = PORTAL_OPEN;
	else
		*p = PORTAL_CLOSED;
	return 0;
}

static int
join_form(struct req *r)
{
	struct workspace *ws;
	struct json_object *c;
	enum portal p;

	if (portal(r, &ws, &p) == -1)
		return db_unavailable(r);
	if (p == PORTAL_MEMBER)
		redirect_ws(r, ws->slug, "/tickets");
	else if (p == PORTAL_CLOSED)
		error_page(r, 404, NULL);
	else {
		c = page_ctx(r);
		ctx_str(c, "title", ws->name);
		ctx_str(c, "join_slug", ws->slug);
		ctx_str(c, "join_name", ws->name);
		page(r, 200, "workspaces/join", c);
	}
	workspace_free(ws);
	return 0;
}

/* In one transaction: the membership and its audit row. */
static int
join_as_requester(struct req *r, const struct workspace *ws)
{
	int rc;

	if (db_begin() == -1)
		return -1;
	if ((rc = ws_join(ws->id, r->user->id)) == -1)
		return -1;
	/* Joined in another tab meanwhile: nothing to record. */
	if (rc == 0 && audit(&r->actor, ws->id, 0, "workspace.join", "user",
	    r->user->id) == -1)
		return -1;
	return db_commit();
}

static int
join(struct req *r)
{
	struct workspace *ws;
	enum portal p;

	if (portal(r, &ws, &p) == -1)
		return db_unavailable(r);
	if (p == PORTAL_CLOSED)
		error_page(r, 404, NULL);
	else if (p == PORTAL_OPEN && join_as_requester(r, ws) == -1)
		db_unavailable(r);
	else
		redirect_ws(r, ws->slug, "/tickets");
	workspace_free(ws);
	return 0;
}

/*
 * Finds the invitation in the path for the signed-in user. Returns 0 when
 * it can be accepted; otherwise the error page is written and 1 returned,
 * or -1 on a database error.
 */
static int
invitation(struct req *r, int lock, struct invitation *inv)
{
	int rc;

	rc = invite_find(req_param(r, "token"), r->user->email, lock, inv);
	if (rc == -1)
		return -1;
	if (rc == WS_NOT_FOUND) {
		error_page(r, 404, NULL);
		return 1;
	}
	switch (inv->state) {
	case INVITE_VALID:
		return 0;
	case INVITE_USED:
		error_page(r, 410, "This invitation has already been used. "
		    "An invitation link works only once.");
		break;
	case INVITE_EXPIRED:
		error_page(r, 410, "This invitation has expired or was "
		    "withdrawn. Ask an admin of the workspace for a new one.");
		break;
	case INVITE_OTHER_EMAIL:
		error_page(r, 403, "This invitation was sent to another email "
		    "address. Sign in with the account for that address to "
		    "accept it.");
		break;
	}
	return 1;
}

static int
invite_form(struct req *r)
{
	struct invitation inv;
	struct json_object *c;
	int rc;

	if ((rc = invitation(r, 0, &inv)) == -1)
		return db_unavailable(r);
	if (rc == 0) {
		c = page_ctx(r);
		ctx_str(c, "title", "Invitation");
		ctx_str(c, "token", req_param(r, "token"));
		ctx_str(c, "ws_name", inv.ws_name);
		ctx_str(c, "role", role_name(inv.role));
		page(r, 200, "workspaces/invite", c);
	}
	invite_clear(&inv);
	return 0;
}

/* In one transaction, the invitation row locked: two tabs accepting at
 * once use it once. 0 accepted, 1 refused (the page says why), -1. */
static int
accept(struct req *r, struct invitation *inv)
{
	int rc;

	memset(inv, 0, sizeof(*inv));
	if (db_begin() == -1)
		return -1;
	if ((rc = invitation(r, 1, inv)) != 0) {
		db_rollback();
		return rc;
	}
	if (invite_accept(inv, r->user->id) == -1 ||
	    audit(&r->actor, inv->ws_id, 0, "invitation.accept", "invitation",
	    inv->id) == -1)
		return -1;
	return db_commit();
}

static int
invite_accept_post(struct req *r)
{
	struct invitation inv;
	int rc;

	if ((rc = accept(r, &inv)) == -1)
		db_unavailable(r);
	else if (rc == 0)
		redirect_ws(r, inv.ws_slug, "/tickets");
	invite_clear(&inv);
	return 0;
}

static const struct route routes[] = {
	{ M_GET, "/workspaces", list, R_AUTH, 0 },
	{ M_POST, "/workspaces", create, R_AUTH, 0 },
	{ M_GET, "/w/:slug", home, R_WS, P_NONE },
	{ M_GET, "/w/:slug/join", join_form, R_AUTH, 0 },
	{ M_POST, "/w/:slug/join", join, R_AUTH, 0 },
	{ M_GET, "/invite/:token", invite_form, R_AUTH, 0 },
	{ M_POST, "/invite/:token", invite_accept_post, R_AUTH, 0 },
	{ 0, NULL, NULL, 0, 0 }
};

int
main(int argc, char **argv)
{
	return app_main(argc, argv, routes);
}
