/*
 * admin: a workspace's members and invitations, its settings and its
 * audit log, erasing a requester's data and deleting the workspace. Every route is R_WS with an admin permission, so the core
 * has answered 404 to outsiders and 403 to other roles already; ids in
 * the path are looked up only within r->ws.
 */
#include <limits.h>
#include <stdio.h>

#include "app.h"
#include "audit.h"
#include "erase.h"
#include "mime.h"
#include "notify.h"
#include "outbox.h"
#include "retention.h"
#include "workspaces.h"

#define AUDIT_PAGE	50
#define FAILED_PAGE	50

static int
role_choice(const char *s)
{
	return (int)role_parse(s);
}

static const struct fkind roles =
    F_ENUM(role_choice, "Choose admin, agent or requester.");

static const struct field invite_fields[] = {
	{ "email", "Email", F_EMAIL, 1, 3, 254 },
	{ "role", "Role", &roles, 1, 0, 0 },
	{ NULL, NULL, 0, 0, 0, 0 }
};

static const struct field role_fields[] = {
	{ "role", "Role", &roles, 1, 0, 0 },
	{ NULL, NULL, 0, 0, 0, 0 }
};

/* Who is told of a new ticket (notify.h). */
enum { NEW_AGENTS = 1, NEW_ADDRESS, NEW_OFF };

static int
new_mail_choice(const char *s)
{
	return str_eq(s, "agents") ? NEW_AGENTS : str_eq(s, "address") ?
	    NEW_ADDRESS : str_eq(s, "off") ? NEW_OFF : 0;
}

static const struct fkind new_mail_to =
    F_ENUM(new_mail_choice, "Choose who is told of new tickets.");

/* What erasing a person does to what they wrote here (erase.h). */
enum { TEXT_KEEP = 1, TEXT_REMOVE };

static int
erase_text_choice(const char *s)
{
	return str_eq(s, "keep") ? TEXT_KEEP : str_eq(s, "remove") ?
	    TEXT_REMOVE : 0;
}

static const struct fkind erase_text_kind =
    F_ENUM(erase_text_choice, "Choose what happens to an erased "
    "person's text.");

/* What happens to a ticket closed for the retention period. */
enum { CLOSED_DEFAULT = 1, CLOSED_ANONYMISE, CLOSED_DELETE };

static int
closed_action_choice(const char *s)
{
	return str_eq(s, "default") ? CLOSED_DEFAULT : str_eq(s, "anonymise") ?
	    CLOSED_ANONYMISE : str_eq(s, "delete") ? CLOSED_DELETE : 0;
}

static const struct fkind closed_action_kind =
    F_ENUM(closed_action_choice, "Choose what happens to closed tickets.");

static const struct field settings_fields[] = {
	{ "name", "Name", F_TEXT, 1, 1, 100 },
	/* A checkbox: "1" when ticked, absent otherwise. */
	{ "portal_signup", "Portal sign-up", F_TEXT, 0, 0, 1 },
	/* Absent (an older form): left as it is. */
	{ "new_ticket_to", "Mail about new tickets", &new_mail_to, 0, 0, 0 },
	{ "new_ticket_address", "Address", F_EMAIL, 0, 0, 254 },
	/* Absent (an older form): left as it is. */
	{ "erase_text", "Text of erased people", &erase_text_kind, 0, 0, 0 },
	/* Retention (retention.h): empty is the default; absent, as is. */
	{ "retain_close_solved_days", "Days before solved tickets close", F_INT, 0,
	  0, RET_CLOSE_SOLVED_MAX },
	{ "retain_closed_days", "Days closed tickets are kept", F_INT, 0, 0,
	  RET_CLOSED_MAX },
	{ "retain_closed_action", "After that", &closed_action_kind, 0, 0, 0 },
	{ "retain_audit_days", "Days of activity log", F_INT, 0,
	  RET_AUDIT_MIN, RET_AUDIT_MAX },
	{ "retain_usage_days", "Days of usage figures", F_INT, 0, 1,
	  RET_USAGE_MAX },
	{ "retain_invitations_days", "Days of old invitations", F_INT, 0, 1,
	  RET_INVITATIONS_MAX },
	{ NULL, NULL, 0, 0, 0, 0 }
};

static const struct field delete_fields[] = {
	{ "confirm_name", "Workspace name", F_TEXT, 1, 1, 100 },
	{ NULL, NULL, 0, 0, 0, 0 }
};

/* Sends r to a page of its workspace: "/w/SLUG" + rest. */
static int
to_ws(struct req *r, const char *rest)
{
	return redirect_ws(r, r->ws->slug, rest);
}

/* Marks the caller's own row, which the page words differently. */
static void
mark_self(struct json_object *members, long long self)
{
	size_t i, n = json_object_array_length(members);

	for (i = 0; i < n; i++) {
		struct json_object *m = json_object_array_get_idx(members, i);
		struct json_object *id;

		if (json_object_object_get_ex(m, "id", &id))
			json_object_object_add(m, "is_self",
			    json_object_new_boolean(
			    json_object_get_int64(id) == self));
	}
}

struct notice {
	const char	*text;
	const char	*link;	/* an invitation link, shown this once */
};

/* The members page: with a notice, or with the invitation form again
 * (f, as typed: form_page). */
static int
members_page(struct req *r, int status, struct form *f, const char *msg,
    const struct notice *n)
{
	struct json_object *c, *members, *invites = NULL;

	if ((members = member_list(r->ws->id)) == NULL ||
	    (invites = invite_pending(r->ws->id)) == NULL) {
		json_object_put(members);
		if (f)
			form_end(f);
		return db_unavailable(r);
	}
	mark_self(members, r->user->id);
	c = page_ctx(r);
	ctx_str(c, "title", "Members");
	json_object_object_add(c, "members", members);
	json_object_object_add(c, "invitations", invites);
	if (n) {
		ctx_str(c, "notice", n->text);
		ctx_str(c, "invite_link", n->link);
	}
	if (f)
		return form_page(r, status, "admin/members", c, f, msg);
	return page(r, status, "admin/members", c);
}

static int
members(struct req *r)
{
	static const struct { const char *done, *text; } notices[] = {
		{ "role", "The role was changed." },
		{ "removed", "The member was removed from the workspace." },
		{ "revoked", "The invitation was revoked; its link no longer "
		    "works." },
		{ "erased", "The requester's data was erased from this "
		    "workspace." },
	};
	const char *done = req_query(r, "done");
	struct notice n = { NULL, NULL };
	size_t i;

	for (i = 0; i < nitems(notices); i++)
		if (str_eq(done, notices[i].done))
			n.text = notices[i].text;
	return members_page(r, 200, NULL, NULL, &n);
}

static int
invite(struct req *r)
{
	char token[TOKEN_HEX + 1];
	struct buf link = BUF_INIT;
	struct notice n;
	const char *email;
	enum outcome rc;
	enum role role;
	struct form f;
	long long id, member;
	int sent;

	form_begin(&f);
	if (form_read(r, invite_fields, &f) > 0)
		return members_page(r, 400, &f,
		    "Please correct the marked fields.", NULL);
	email = req_form(r, "email");
	role = (enum role)form_int(&f, "role");
	if ((rc = member_by_email(r->ws->id, email, &member)) == OK) {
		form_refuse(&f, "email", "This person is a member already. "
		    "Change their role in the list instead.");
		return members_page(r, 400, &f,
		    "Please correct the marked fields.", NULL);
	}
	form_end(&f);
	if (rc != E_NOT_FOUND)
		return outcome_page(r, rc);
	if (db_begin() == -1 ||
	    invite_create(r->ws->id, email, role, r->user->id, token,
	    &id) != OK ||
	    audit(&r->actor, r->ws->id, 0, "member.invite", "invitation",
	    id) != OK ||
	    db_commit() == -1)
		return db_unavailable(r);
	/* Only the token's hash is kept: this is its one showing. The link
	 * is absolute, from base_url (never the request's Host), as in the
	 * mail; a path when mail is not configured. */
	if (notify_url(&link, "/invite/") == 0)
		n.text = "Invitation created and mailed to the person invited. "
		    "You can also pass this link on: it works once, for 7 "
		    "days, and cannot be shown again.";
	else
		n.text = "Invitation created. Pass this link on to the person "
		    "invited: it works once, for 7 days, and cannot be shown "
		    "again.";
	buf_puts(&link, token);
	n.link = buf_str(&link);
	sent = members_page(r, 200, NULL, NULL, &n);
	buf_free(&link);
	return sent;
}

/* The page for a change that would leave the workspace without an admin. */
static int
last_admin(struct req *r)
{
	struct json_object *c = page_ctx(r);

	db_rollback();
	json_object_object_add(c, "status", json_object_new_int(409));
	ctx_str(c, "reason", status_text(409));
	ctx_str(c, "title", "A workspace needs an admin");
	ctx_str(c, "message", "This is the only admin of the workspace. Make "
	    "another member an admin first, then try again.");
	return page(r, 409, "error", c);
}

/* After a change to one's own membership the admin pages may be gone. */
static int
after_member_change(struct req *r, long long uid, const char *done)
{
	struct buf rest = BUF_INIT;

	if (uid == r->user->id && !can(r, P_MEMBERS))
		return to_ws(r, "/tickets");
	buf_printf(&rest, "/admin/members?done=%s", done);
	to_ws(r, buf_str(&rest));
	buf_free(&rest);
	return 0;
}

/*
 * Finishes a role change or removal by the model's answer rc: 404 for a
 * member of no such id here, 409 for the last admin, else the audit row
 * and the commit. 1 when the change is done; 0 when the page is set.
 */
static int
member_change_done(struct req *r, enum outcome rc, const char *action,
    long long uid)
{
	if (rc == E_LAST_ADMIN) {
		last_admin(r);
		return 0;
	}
	if (rc == OK)
		rc = audit(&r->actor, r->ws->id, 0, action, "user", uid);
	if (rc != OK) {
		outcome_page(r, rc);
		return 0;
	}
	if (db_commit() == -1) {
		db_unavailable(r);
		return 0;
	}
	return 1;
}

static int
change_role(struct req *r)
{
	long long uid = req_param_id(r, "user");
	enum outcome rc;
	enum role role;
	struct form f;

	if (uid == 0)
		return error_page(r, 404, NULL);
	form_begin(&f);
	form_read(r, role_fields, &f);
	role = (enum role)form_int(&f, "role");
	form_end(&f);
	if (role == ROLE_NONE)
		return error_page(r, 400, roles.refused);
	rc = db_begin() == -1 ? db_error() :
	    member_set_role(r->ws->id, uid, role);
	if (!member_change_done(r, rc, "member.role_change", uid))
		return 0;
	/* One's own role: what follows may no longer be allowed. */
	if (uid == r->user->id)
		r->ws->role = r->actor.role = role;
	return after_member_change(r, uid, "role");
}

static int
remove_member(struct req *r)
{
	long long uid = req_param_id(r, "user");
	enum outcome rc;

	if (uid == 0)
		return error_page(r, 404, NULL);
	rc = db_begin() == -1 ? db_error() : member_remove(r->ws->id, uid);
	if (!member_change_done(r, rc, "member.remove", uid))
		return 0;
	if (uid == r->user->id)
		return redirect(r, "/workspaces");
	return after_member_change(r, uid, "removed");
}

static int
revoke(struct req *r)
{
	long long id = req_param_id(r, "id");
	enum outcome rc;

	if (id == 0)
		return error_page(r, 404, NULL);
	rc = db_begin() == -1 ? db_error() : invite_revoke(r->ws->id, id);
	if (rc == OK)
		rc = audit(&r->actor, r->ws->id, 0, "invitation.revoke",
		    "invitation", id);
	if (rc != OK)
		return outcome_page(r, rc);
	if (db_commit() == -1)
		return db_unavailable(r);
	return to_ws(r, "/admin/members?done=revoked");
}

/* The config's retention defaults, shown beside each choice. */
static struct json_object *
settings_ctx(struct req *r)
{
	struct json_object *c = page_ctx(r), *d = json_object_new_object();
	struct retention none = { -1, -1, -1, -1, -1, -1 }, eff;

	ctx_str(c, "title", "Settings");
	retention_apply_defaults(&none, &eff);
	json_object_object_add(d, "close_solved",
	    json_object_new_int64(eff.close_solved));
	json_object_object_add(d, "closed", json_object_new_int64(eff.closed));
	ctx_str(d, "closed_action", eff.closed_delete ? "deleted" :
	    "anonymised");
	json_object_object_add(d, "audit", json_object_new_int64(eff.audit));
	json_object_object_add(d, "usage", json_object_new_int64(eff.usage));
	json_object_object_add(d, "invitations",
	    json_object_new_int64(eff.invitations));
	json_object_object_add(c, "retention_defaults", d);
	return c;
}

/* A day count as the form shows it: "" for the default. */
static void
days_value(struct json_object *values, const char *name, long long v)
{
	char buf[24];

	if (v < 0)
		buf[0] = '\0';
	else
		snprintf(buf, sizeof(buf), "%lld", v);
	ctx_str(values, name, buf);
}

static void
retention_values(struct json_object *values, const struct retention *own)
{
	days_value(values, "retain_close_solved_days", own->close_solved);
	days_value(values, "retain_closed_days", own->closed);
	ctx_str(values, "retain_closed_action", own->closed_delete < 0 ?
	    "default" : own->closed_delete ? "delete" : "anonymise");
	days_value(values, "retain_audit_days", own->audit);
	days_value(values, "retain_usage_days", own->usage);
	days_value(values, "retain_invitations_days", own->invitations);
}

/* A posted day count (form_read has passed it): empty is the default
 * (-1). */
static long long
days_posted(struct req *r, const struct form *f, const char *name)
{
	const char *v = req_form(r, name);

	return v == NULL || *v == '\0' ? -1 : form_int(f, name);
}

static int
settings(struct req *r)
{
	struct json_object *c = settings_ctx(r);
	struct json_object *values = json_object_new_object();
	struct retention own, eff;
	enum outcome rc;
	char *to;
	int erase;

	if ((rc = ws_new_ticket_mail(r->ws->id, &to)) != OK) {
		json_object_put(values);
		json_object_put(c);
		return outcome_page(r, rc);
	}
	ctx_str(values, "name", r->ws->name);
	ctx_str(values, "portal_signup", r->ws->portal_signup ? "1" : "");
	ctx_str(values, "new_ticket_to", to == NULL ? "agents" : *to == '\0' ?
	    "off" : "address");
	ctx_str(values, "new_ticket_address", to != NULL ? to : "");
	free(to);
	if ((rc = ws_erase_text(r->ws->id, &erase)) != OK) {
		json_object_put(values);
		json_object_put(c);
		return outcome_page(r, rc);
	}
	ctx_str(values, "erase_text", erase ? "remove" : "keep");
	if ((rc = ws_retention(r->ws->id, &own, &eff)) != OK) {
		json_object_put(values);
		json_object_put(c);
		return outcome_page(r, rc);
	}
	retention_values(values, &own);
	json_object_object_add(c, "values", values);
	if (str_eq(req_query(r, "done"), "1"))
		ctx_str(c, "notice", "The settings were saved.");
	return page(r, 200, "admin/settings", c);
}

static int
settings_post(struct req *r)
{
	const char *to = NULL;
	struct retention own, eff;
	struct form f;
	int portal, choice = 0, erase = 0, retention_posted;

	/* A form from before retention existed leaves it as it is (form_read
	 * makes every absent field empty). */
	retention_posted = req_form(r, "retain_closed_days") != NULL;
	form_begin(&f);
	if (form_read(r, settings_fields, &f) == 0) {
		switch ((choice = (int)form_int(&f, "new_ticket_to"))) {
		case NEW_ADDRESS:
			to = req_form(r, "new_ticket_address");
			/* What the outbox can write in a header, no more. */
			if (to == NULL || !mime_addr_ok(to))
				form_refuse(&f, "new_ticket_address", "Give one "
				    "plain address, like team@example.org.");
			break;
		case NEW_OFF:
			to = "";
			break;
		}
	}
	if (f.nerr > 0)
		return form_page(r, 400, "admin/settings", settings_ctx(r), &f,
		    "Please correct the marked fields.");
	erase = (int)form_int(&f, "erase_text");
	if (db_begin() == -1 || ws_retention(r->ws->id, &own, &eff) != OK) {
		form_end(&f);
		return db_unavailable(r);
	}
	if (retention_posted) {
		own.close_solved = days_posted(r, &f,
		    "retain_close_solved_days");
		own.closed = days_posted(r, &f, "retain_closed_days");
		own.audit = days_posted(r, &f, "retain_audit_days");
		own.usage = days_posted(r, &f, "retain_usage_days");
		own.invitations = days_posted(r, &f,
		    "retain_invitations_days");
	}
	switch (form_int(&f, "retain_closed_action")) {
	case CLOSED_DEFAULT:
		own.closed_delete = -1;
		break;
	case CLOSED_ANONYMISE:
	case CLOSED_DELETE:
		own.closed_delete = form_int(&f, "retain_closed_action") ==
		    CLOSED_DELETE;
		break;
	}
	form_end(&f);
	portal = str_eq(req_form(r, "portal_signup"), "1");
	if (ws_update(r->ws->id, req_form(r, "name"), portal) != OK ||
	    (choice != 0 && ws_set_new_ticket_mail(r->ws->id, to) != OK) ||
	    (erase != 0 && ws_set_erase_text(r->ws->id,
	    erase == TEXT_REMOVE) != OK) ||
	    ws_set_retention(r->ws->id, &own) != OK ||
	    audit(&r->actor, r->ws->id, 0, "settings.update", "workspace",
	    r->ws->id) != OK ||
	    db_commit() == -1)
		return db_unavailable(r);
	return to_ws(r, "/admin/settings?done=1");
}

/* Mail that could not be delivered, newest first, FAILED_PAGE a page,
 * keyed by ?before=ID like the audit log (outbox_failures). */
static int
mail_failures(struct req *r)
{
	const char *q = req_query(r, "before");
	long long before = LLONG_MAX, older;
	struct json_object *c, *rows;

	if (q != NULL && parse_int(q, 1, LLONG_MAX, &before) == -1)
		return error_page(r, 400, "That page of the list does not "
		    "exist.");
	if ((rows = outbox_failures(r->ws->id, before, FAILED_PAGE,
	    &older)) == NULL)
		return db_unavailable(r);
	c = page_ctx(r);
	ctx_str(c, "title", "Undelivered mail");
	json_object_object_add(c, "rows", rows);
	if (older)
		json_object_object_add(c, "older",
		    json_object_new_int64(older));
	json_object_object_add(c, "paged", json_object_new_boolean(q != NULL));
	return page(r, 200, "admin/mail", c);
}

/* Newest first, AUDIT_PAGE rows a page, keyed by ?before=ID (audit.h). */
static int
audit_log(struct req *r)
{
	const char *q = req_query(r, "before");
	long long before = LLONG_MAX, older;
	struct json_object *c, *rows;

	if (q != NULL && parse_int(q, 1, LLONG_MAX, &before) == -1)
		return error_page(r, 400, "That page of the log does not "
		    "exist.");
	if ((rows = audit_page(r->ws->id, before, AUDIT_PAGE, &older)) == NULL)
		return db_unavailable(r);
	c = page_ctx(r);
	ctx_str(c, "title", "Audit log");
	json_object_object_add(c, "rows", rows);
	if (older)
		json_object_object_add(c, "older",
		    json_object_new_int64(older));
	json_object_object_add(c, "paged", json_object_new_boolean(q != NULL));
	return page(r, 200, "admin/audit", c);
}

static int
admin_home(struct req *r)
{
	return to_ws(r, "/admin/members");
}

/* The requester :user of this workspace, as the members list shows
 * them: OK with *m (caller puts), E_NOT_FOUND (no such requester here),
 * E_DB. */
static enum outcome
requester_row(struct req *r, long long uid, struct json_object **m)
{
	struct json_object *list, *v;
	enum outcome rc = E_NOT_FOUND;
	size_t i, n;

	*m = NULL;
	if ((list = member_list(r->ws->id)) == NULL)
		return E_DB;
	for (i = 0, n = json_object_array_length(list); i < n; i++) {
		struct json_object *o = json_object_array_get_idx(list, i);

		if (json_object_object_get_ex(o, "id", &v) &&
		    json_object_get_int64(v) == uid &&
		    json_object_object_get_ex(o, "role", &v) &&
		    str_eq(json_object_get_string(v),
		    role_name(ROLE_REQUESTER))) {
			*m = json_object_get(o);
			rc = OK;
		}
	}
	json_object_put(list);
	return rc;
}

/* The confirmation step of erasing a requester's data. */
static int
erase_form(struct req *r)
{
	struct json_object *c, *m;
	enum outcome rc;
	int text;

	if ((rc = requester_row(r, req_param_id(r, "user"), &m)) != OK)
		return outcome_page(r, rc);
	if ((rc = ws_erase_text(r->ws->id, &text)) != OK) {
		json_object_put(m);
		return outcome_page(r, rc);
	}
	c = page_ctx(r);
	ctx_str(c, "title", "Erase a requester's data");
	json_object_object_add(c, "member", m);
	json_object_object_add(c, "erase_text", json_object_new_boolean(text));
	return page(r, 200, "admin/erase", c);
}

static int
erase_post(struct req *r)
{
	long long uid = req_param_id(r, "user");
	enum outcome rc;
	int gone;

	if (uid == 0)
		return error_page(r, 404, NULL);
	rc = db_begin() == -1 ? db_error() :
	    workspace_erase_member(&r->actor, uid, &gone);
	if (rc == E_FORBIDDEN)
		rc = E_NOT_FOUND;	/* only requesters have this page */
	if (rc == OK && db_commit() == -1)
		rc = db_error();
	if (rc != OK)
		return outcome_page(r, rc);
	return to_ws(r, "/admin/members?done=erased");
}

static int
delete_page(struct req *r, int status, struct form *f, const char *msg)
{
	struct json_object *c = page_ctx(r);

	ctx_str(c, "title", "Delete workspace");
	if (f)
		return form_page(r, status, "admin/delete", c, f, msg);
	return page(r, status, "admin/delete", c);
}

static int
delete_form(struct req *r)
{
	return delete_page(r, 200, NULL, NULL);
}

/* The admin types the workspace's name, as it is, to confirm. */
static int
delete_post(struct req *r)
{
	enum outcome rc;
	struct form f;

	form_begin(&f);
	if (form_read(r, delete_fields, &f) == 0 &&
	    !str_eq(req_form(r, "confirm_name"), r->ws->name))
		form_refuse(&f, "confirm_name", "That is not the workspace's "
		    "name. Type it exactly as it is shown.");
	if (f.nerr > 0)
		return delete_page(r, 400, &f,
		    "The workspace was not deleted.");
	form_end(&f);
	rc = db_begin() == -1 ? db_error() :
	    workspace_delete(&r->actor, r->ws->id);
	if (rc == OK && db_commit() == -1)
		rc = db_error();
	if (rc != OK)
		return outcome_page(r, rc);
	return redirect(r, "/workspaces");
}

static const struct route routes[] = {
	{ M_GET, "/w/:slug/admin", admin_home, R_WS, P_MEMBERS },
	{ M_GET, "/w/:slug/admin/members", members, R_WS, P_MEMBERS },
	{ M_POST, "/w/:slug/admin/members/invite", invite, R_WS, P_MEMBERS },
	{ M_POST, "/w/:slug/admin/members/:user/role", change_role, R_WS,
	    P_MEMBERS },
	{ M_POST, "/w/:slug/admin/members/:user/remove", remove_member, R_WS,
	    P_MEMBERS },
	{ M_POST, "/w/:slug/admin/invitations/:id/revoke", revoke, R_WS,
	    P_MEMBERS },
	{ M_GET, "/w/:slug/admin/members/:user/erase", erase_form, R_WS,
	    P_MEMBERS },
	{ M_POST, "/w/:slug/admin/members/:user/erase", erase_post, R_WS,
	    P_MEMBERS },
	{ M_GET, "/w/:slug/admin/delete", delete_form, R_WS, P_SETTINGS },
	{ M_POST, "/w/:slug/admin/delete", delete_post, R_WS, P_SETTINGS },
	{ M_GET, "/w/:slug/admin/settings", settings, R_WS, P_SETTINGS },
	{ M_POST, "/w/:slug/admin/settings", settings_post, R_WS, P_SETTINGS },
	{ M_GET, "/w/:slug/admin/audit", audit_log, R_WS, P_AUDIT },
	{ M_GET, "/w/:slug/admin/mail", mail_failures, R_WS, P_AUDIT },
	{ 0, NULL, NULL, 0, 0 }
};

int
main(int argc, char **argv)
{
	return app_main(argc, argv, routes);
}
