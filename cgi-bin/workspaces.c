/*
 * workspaces: a user's list of workspaces and creating one, joining one
 * through its portal, accepting an invitation, and leaving one.
 */
#include <string.h>

#include "app.h"
#include "audit.h"
#include "erase.h"
#include "i18n.h"
#include "workspaces.h"

static const struct field create_fields[] = {
	{ "name", N_("Name"), F_TEXT, 1, 1, 100 },
	{ "slug", "URL name", F_SLUG, 1, 2, 40 },
	{ NULL, NULL, 0, 0, 0, 0 }
};

/* The list of r's workspaces with the form to create one: blank (f
 * NULL) or again, as typed (form_page). */
static int
list_page(struct req *r, int status, struct form *f, const char *msg)
{
	struct json_object *c, *list;

	if ((list = ws_list(r->user->id)) == NULL) {
		if (f)
			form_end(f);
		return db_unavailable(r);
	}
	c = page_ctx(r);
	ctx_str(c, "title", _("Your workspaces"));
	json_object_object_add(c, "workspaces", list);
	if (f == NULL)
		return page(r, status, "workspaces/index", c);
	return form_page(r, status, "workspaces/index", c, f, msg);
}

static int
list(struct req *r)
{
	return list_page(r, 200, NULL, NULL);
}

static int
create(struct req *r)
{
	const char *slug;
	enum outcome rc;
	struct form f;
	long long id;

	form_begin(&f);
	if (form_read(r, create_fields, &f) == 0 &&
	    ws_slug_reserved(req_form(r, "slug")))
		form_refuse(&f, "slug", _("This URL name is reserved. Choose "
		    "another one."));
	if (f.nerr > 0)
		return list_page(r, 400, &f,
		    _("Please correct the marked fields."));
	slug = req_form(r, "slug");
	if (db_begin() == -1) {
		form_end(&f);
		return db_unavailable(r);
	}
	rc = ws_create(slug, req_form(r, "name"), r->user->id, &id);
	if (rc == E_TAKEN) {
		db_rollback();
		form_refuse(&f, "slug", _("Another workspace already uses this "
		    "URL name. Choose another one."));
		return list_page(r, 400, &f,
		    _("Please correct the marked fields."));
	}
	form_end(&f);
	if (rc == OK)
		rc = audit(&r->actor, id, 0, "workspace.create", "workspace",
		    id);
	if (rc != OK)
		return outcome_page(r, rc);
	if (db_commit() == -1)
		return db_unavailable(r);
	flash(r, FLASH_WS_CREATED, 0);
	return redirect_ws(r, slug, "/tickets");
}

static int
home(struct req *r)
{
	return redirect_ws(r, r->ws->slug, "/tickets");
}

/* What an account whose address is not confirmed may not do yet: join a
 * workspace as that address (the banner on every page offers the link
 * again). */
static int
unconfirmed(struct req *r, const char *why)
{
	return error_page(r, 403, why);
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
	enum outcome rc = ws_lookup(req_param(r, "slug"), r->user->id, ws);

	if (rc != OK && rc != E_NOT_FOUND)
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
	else if (!r->user->confirmed)
		unconfirmed(r, _("Joining a workspace is done as your email "
		    "address: confirm it first, with the link we mailed to "
		    "it."));
	else {
		struct buf title = BUF_INIT;

		c = page_ctx(r);
		/* As its heading says: "Join Acme Support". */
		buf_printf(&title, _("Join %s"), ws->name);
		ctx_str(c, "title", buf_str(&title));
		buf_free(&title);
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
	enum outcome rc;

	if (db_begin() == -1)
		return -1;
	if ((rc = ws_join(ws->id, r->user->id)) != OK && rc != E_TAKEN)
		return -1;
	/* Joined in another tab meanwhile: nothing to record. */
	if (rc == OK && audit(&r->actor, ws->id, 0, "workspace.join", "user",
	    r->user->id) != OK)
		return -1;
	return db_commit();
}

static int
join(struct req *r)
{
	struct workspace *ws;
	enum outcome rc = OK;
	enum portal p;
	char msg[160];

	if (portal(r, &ws, &p) == -1)
		return db_unavailable(r);
	if (p == PORTAL_CLOSED)
		error_page(r, 404, NULL);
	else if (p == PORTAL_OPEN && !r->user->confirmed)
		unconfirmed(r, _("Joining a workspace is done as your email "
		    "address: confirm it first, with the link we mailed to "
		    "it."));
	else if (p == PORTAL_OPEN &&
	    (rc = limit_check(r, RATE_JOIN, msg, sizeof(msg))) == E_LIMITED)
		limited_page(r, msg);
	else if (rc != OK)
		outcome_page(r, rc);
	else if (p == PORTAL_OPEN && join_as_requester(r, ws) == -1)
		db_unavailable(r);
	else {
		if (p == PORTAL_OPEN)
			flash(r, FLASH_WS_JOINED, 0);
		redirect_ws(r, ws->slug, "/tickets");
	}
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
	enum outcome rc;

	memset(inv, 0, sizeof(*inv));
	if (!r->user->confirmed) {
		unconfirmed(r, _("An invitation is for an email address: "
		    "confirm yours first, with the link we mailed to it, then "
		    "open the invitation again."));
		return 1;
	}

	rc = invite_find(req_param(r, "token"), r->user->email, lock, inv);
	if (rc == E_NOT_FOUND) {
		error_page(r, 404, NULL);
		return 1;
	}
	if (rc != OK)
		return -1;
	switch (inv->state) {
	case INVITE_VALID:
		return 0;
	case INVITE_USED:
		error_page(r, 410, _("This invitation has already been used. "
		    "An invitation link works only once."));
		break;
	case INVITE_EXPIRED:
		error_page(r, 410, _("This invitation has expired or was "
		    "withdrawn. Ask an admin of the workspace for a new one."));
		break;
	case INVITE_OTHER_EMAIL:
		error_page(r, 403, _("This invitation was sent to another "
		    "email address. Sign in with the account for that address "
		    "to accept it."));
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
		struct buf title = BUF_INIT;

		c = page_ctx(r);
		/* As its heading says: "Invitation to Acme Support". */
		buf_printf(&title, _("Invitation to %s"), inv.ws_name);
		ctx_str(c, "title", buf_str(&title));
		buf_free(&title);
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
	if (invite_accept(inv, r->user->id) != OK ||
	    audit(&r->actor, inv->ws_id, 0, "invitation.accept", "invitation",
	    inv->id) != OK)
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
	else if (rc == 0) {
		flash(r, FLASH_INVITE_ACCEPTED, 0);
		redirect_ws(r, inv.ws_slug, "/tickets");
	}
	invite_clear(&inv);
	return 0;
}

/* Where r's user stands in r->ws for leaving it. */
enum leave {
	LEAVE_OK,
	LEAVE_LAST_ADMIN,	/* the only admin, others are members */
	LEAVE_ONLY_MEMBER	/* nobody would be left: delete it instead */
};

static int
in_list(struct json_object *list, long long ws_id)
{
	size_t i, n = json_object_array_length(list);
	struct json_object *id;

	for (i = 0; i < n; i++)
		if (json_object_object_get_ex(json_object_array_get_idx(list,
		    i), "id", &id) && json_object_get_int64(id) == ws_id)
			return 1;
	return 0;
}

/* -1 on a database error. */
static int
leave_state(struct req *r, enum leave *st)
{
	struct json_object *blocked, *solo;

	if (erase_plan(r->user->id, &blocked, &solo) != OK)
		return -1;
	*st = in_list(blocked, r->ws->id) ? LEAVE_LAST_ADMIN :
	    in_list(solo, r->ws->id) ? LEAVE_ONLY_MEMBER : LEAVE_OK;
	json_object_put(blocked);
	json_object_put(solo);
	return 0;
}

static int
leave_page(struct req *r, int status, enum leave st)
{
	struct json_object *c = page_ctx(r);

	ctx_str(c, "title", _("Leave workspace"));
	if (st == LEAVE_LAST_ADMIN)
		ctx_str(c, "last_admin", "1");
	else if (st == LEAVE_ONLY_MEMBER)
		ctx_str(c, "only_member", "1");
	json_object_object_add(c, "is_admin",
	    json_object_new_boolean(can(r, P_SETTINGS)));
	return page(r, status, "workspaces/leave", c);
}

/* The confirmation step: plain forms, no script. */
static int
leave_form(struct req *r)
{
	enum leave st;

	if (leave_state(r, &st) == -1)
		return db_unavailable(r);
	return leave_page(r, 200, st);
}

/* Any member may leave, but the only admin of a workspace that has
 * other members (they hand it over first) and its only member. */
static int
leave(struct req *r)
{
	enum outcome rc;
	enum leave st;

	if (leave_state(r, &st) == -1)
		return db_unavailable(r);
	if (st != LEAVE_OK)
		return leave_page(r, 409, st);
	/* The page with the Leave button is the confirmation step. */
	if (!confirm_given(r))
		return leave_page(r, 200, st);
	rc = db_begin() == -1 ? db_error() :
	    member_remove(r->ws->id, r->user->id);
	if (rc == E_LAST_ADMIN) {
		/* Changed since the check above. */
		db_rollback();
		return leave_page(r, 409, LEAVE_LAST_ADMIN);
	}
	if (rc == OK)
		rc = audit(&r->actor, r->ws->id, 0, "member.leave", "user",
		    r->user->id);
	if (rc != OK)
		return outcome_page(r, rc);
	if (db_commit() == -1)
		return db_unavailable(r);
	flash(r, FLASH_WS_LEFT, 0);
	return redirect(r, "/workspaces");
}

static const struct route routes[] = {
	{ M_GET, "/workspaces", list, R_AUTH, 0 },
	{ M_POST, "/workspaces", create, R_AUTH, 0 },
	{ M_GET, "/w/:slug", home, R_WS, P_NONE },
	{ M_GET, "/w/:slug/leave", leave_form, R_WS, P_NONE },
	{ M_POST, "/w/:slug/leave", leave, R_WS, P_NONE },
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
