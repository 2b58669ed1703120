/*
 * admin: a workspace's members and invitations, its settings and its
 * audit log, erasing a requester's data and deleting the workspace. Every route is R_WS with an admin permission, so the core
 * has answered 404 to outsiders and 403 to other roles already; ids in
 * the path are looked up only within r->ws.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "app.h"
#include "audit.h"
#include "erase.h"
#include "holds.h"
#include "i18n.h"
#include "mime.h"
#include "notify.h"
#include "outbox.h"
#include "quarantine.h"
#include "retention.h"
#include "usage.h"
#include "workspaces.h"

#define AUDIT_PAGE	50
#define FAILED_PAGE	50
#define USAGE_DAYS	30

static int
role_choice(const char *s)
{
	return (int)role_parse(s);
}

static const struct fkind roles =
    F_ENUM(role_choice, N_("Choose admin, agent or requester."));

static const struct field invite_fields[] = {
	{ "email", N_("Email"), F_EMAIL, 1, 3, 254 },
	{ "role", N_("Role"), &roles, 1, 0, 0 },
	{ NULL, NULL, 0, 0, 0, 0 }
};

static const struct field role_fields[] = {
	{ "role", N_("Role"), &roles, 1, 0, 0 },
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
    F_ENUM(new_mail_choice, N_("Choose who is told of new tickets."));

/* What erasing a person does to what they wrote here (erase.h). */
enum { TEXT_KEEP = 1, TEXT_REMOVE };

static int
erase_text_choice(const char *s)
{
	return str_eq(s, "keep") ? TEXT_KEEP : str_eq(s, "remove") ?
	    TEXT_REMOVE : 0;
}

static const struct fkind erase_text_kind =
    F_ENUM(erase_text_choice, N_("Choose what happens to an erased "
    "person's text."));

/* What happens to a ticket closed for the retention period. */
enum { CLOSED_DEFAULT = 1, CLOSED_ANONYMISE, CLOSED_DELETE };

static int
closed_action_choice(const char *s)
{
	return str_eq(s, "default") ? CLOSED_DEFAULT : str_eq(s, "anonymise") ?
	    CLOSED_ANONYMISE : str_eq(s, "delete") ? CLOSED_DELETE : 0;
}

static const struct fkind closed_action_kind =
    F_ENUM(closed_action_choice, N_("Choose what happens to closed tickets."));

static const struct field settings_fields[] = {
	{ "name", N_("Name"), F_TEXT, 1, 1, 100 },
	/* A checkbox: "1" when ticked, absent otherwise. */
	{ "portal_signup", N_("Portal sign-up"), F_TEXT, 0, 0, 1 },
	/* Absent (an older form): left as it is. */
	{ "new_ticket_to", N_("Mail about new tickets"), &new_mail_to, 0, 0,
	  0 },
	{ "new_ticket_address", N_("Address"), F_EMAIL, 0, 0, 254 },
	/* Absent (an older form): left as it is. */
	{ "erase_text", N_("Text of erased people"), &erase_text_kind, 0, 0,
	  0 },
	/* A checkbox: "1" when ticked, absent otherwise. */
	{ "require_2fa", N_("Two-factor sign-in"), F_TEXT, 0, 0, 1 },
	/* Retention (retention.h): empty is the default; absent, as is. */
	{ "retain_close_solved_days", N_("Days before solved tickets close"),
	  F_INT, 0,
	  0, RET_CLOSE_SOLVED_MAX },
	{ "retain_closed_days", N_("Days closed tickets are kept"), F_INT, 0, 0,
	  RET_CLOSED_MAX },
	{ "retain_closed_action", N_("After that"), &closed_action_kind, 0,
	  0, 0 },
	{ "retain_audit_days", N_("Days of activity log"), F_INT, 0,
	  RET_AUDIT_MIN, RET_AUDIT_MAX },
	{ "retain_usage_days", N_("Days of usage figures"), F_INT, 0, 1,
	  RET_USAGE_MAX },
	{ "retain_invitations_days", N_("Days of old invitations"), F_INT, 0, 1,
	  RET_INVITATIONS_MAX },
	{ "retain_quarantine_days", N_("Days of quarantined mail"), F_INT, 0, 1,
	  RET_QUARANTINE_MAX },
	/* Mail in (quarantine.h): empty clears it; absent, as is. */
	{ "inbound_address", N_("Inbound address"), F_EMAIL, 0, 0, 254 },
	{ NULL, NULL, 0, 0, 0, 0 }
};

static const struct field delete_fields[] = {
	{ "confirm_name", N_("Workspace name"), F_TEXT, 1, 1, 100 },
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
	int		 relative;	/* a path: base_url is not set */
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
	ctx_str(c, "title", _("Members"));
	json_object_object_add(c, "members", members);
	json_object_object_add(c, "invitations", invites);
	if (n) {
		ctx_str(c, "notice", n->text);
		ctx_str(c, "invite_link", n->link);
		if (n->relative)
			ctx_str(c, "invite_relative", "1");
	}
	if (f)
		return form_page(r, status, "admin/members", c, f, msg);
	return page(r, status, "admin/members", c);
}

static int
members(struct req *r)
{
	struct notice n = { NULL, NULL, 0 };

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
	char msg[160];
	int sent;

	form_begin(&f);
	if (form_read(r, invite_fields, &f) > 0)
		return members_page(r, 400, &f,
		    _("Please correct the marked fields."), NULL);
	email = req_form(r, "email");
	role = (enum role)form_int(&f, "role");
	if ((rc = member_by_email(r->ws->id, email, &member)) == OK) {
		form_refuse(&f, "email", _("This person is a member already. "
		    "Change their role in the list instead."));
		return members_page(r, 400, &f,
		    _("Please correct the marked fields."), NULL);
	}
	if (rc == E_NOT_FOUND)
		rc = limit_check(r, RATE_INVITE, msg, sizeof(msg));
	if (rc == E_LIMITED)
		return members_page(r, 429, &f, msg, NULL);
	form_end(&f);
	if (rc != OK)
		return outcome_page(r, rc);
	if (db_begin() == -1 ||
	    invite_create(r->ws->id, email, role, r->user->id, token,
	    &id) != OK ||
	    audit(&r->actor, r->ws->id, 0, "member.invite", "invitation",
	    id) != OK ||
	    db_commit() == -1)
		return db_unavailable(r);
	/* Only the token's hash is kept: this is its one showing, on the
	 * page this POST answers (200: a redirect would lose it). The link
	 * is absolute, from base_url (never the request's Host), as in the
	 * mail; a path only when base_url is not set, which the page then
	 * says. */
	n.relative = notify_url(&link, "/invite/") == -1;
	if (notify_configured())
		n.text = _("Invitation created and mailed to the person "
		    "invited. You can also pass this link on: it works once, "
		    "for 7 days, and cannot be shown again.");
	else
		n.text = _("Invitation created. Pass this link on to the "
		    "person invited: it works once, for 7 days, and cannot be "
		    "shown again.");
	buf_puts(&link, token);
	n.link = buf_str(&link);
	sent = members_page(r, 200, NULL, NULL, &n);
	buf_free(&link);
	return sent;
}

/* A change refused because of the workspace's state (409): nothing of it
 * is kept, and the page says why. */
static int
refused(struct req *r, const char *title, const char *message)
{
	struct json_object *c = page_ctx(r);

	db_rollback();
	json_object_object_add(c, "status", json_object_new_int(409));
	ctx_str(c, "reason", _(status_text(409)));
	ctx_str(c, "title", title);
	ctx_str(c, "message", message);
	return page(r, 409, "error", c);
}

/* The page for a change that would leave the workspace without an admin. */
static int
last_admin(struct req *r)
{
	return refused(r, _("A workspace needs an admin"), _("This is the only "
	    "admin of the workspace. Make another member an admin first, "
	    "then try again."));
}

/* After a change to one's own membership the admin pages may be gone. */
static int
after_member_change(struct req *r, long long uid, enum flash done)
{
	flash(r, done, 0);
	if (uid == r->user->id && !can(r, P_MEMBERS))
		return to_ws(r, "/tickets");
	return to_ws(r, "/admin/members");
}

/*
 * Finishes a role change or removal by the model's answer rc: 404 for a
 * member of no such id here, 409 for the last admin, else the audit row
 * (with detail, audit.h) and the commit. 1 when the change is done; 0 when the page is set.
 */
static int
member_change_done(struct req *r, enum outcome rc, const char *action,
    long long uid, const char *detail)
{
	if (rc == E_LAST_ADMIN) {
		last_admin(r);
		return 0;
	}
	if (rc == OK)
		rc = audit_detail(&r->actor, r->ws->id, 0, action, "user",
		    uid, detail);
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
	if (!member_change_done(r, rc, "member.role_change", uid,
	    role_name(role)))
		return 0;
	/* One's own role: what follows may no longer be allowed. */
	if (uid == r->user->id)
		r->ws->role = r->actor.role = role;
	return after_member_change(r, uid, FLASH_ROLE_CHANGED);
}

/*
 * Asks before a change on the members page: question, what it does, the
 * button's words; Cancel goes back to the members page.
 */
static void
ask(struct req *r, const char *question, const char *consequence,
    const char *button)
{
	struct buf back = BUF_INIT;
	struct confirm cf;

	buf_puts(&back, "/w/");
	url_escape(&back, r->ws->slug);
	buf_puts(&back, "/admin/members");
	cf.question = question;
	cf.consequence = consequence;
	cf.button = button;
	cf.cancel = buf_str(&back);
	confirm_page(r, &cf);
	buf_free(&back);
}

/*
 * The field of row id of list (member_list or invite_pending), for a
 * question about it; NULL when the page was answered instead (the
 * database, or a 404 for a row that is not there). Caller puts list.
 */
static const char *
asked_row(struct req *r, struct json_object *list, long long id,
    const char *field)
{
	struct json_object *row;

	if (list == NULL) {
		db_unavailable(r);
		return NULL;
	}
	if ((row = confirm_row(list, id)) == NULL) {
		error_page(r, 404, NULL);
		return NULL;
	}
	return confirm_str(row, field);
}

/* "Remove Sam Lee from Acme Support?", or "Leave Acme Support?" for
 * oneself: nothing removed yet. */
static int
remove_confirm(struct req *r, long long uid)
{
	struct json_object *list = NULL;
	struct buf q = BUF_INIT;
	const char *name;

	if (uid == r->user->id) {
		buf_printf(&q, _("Leave %s?"), r->ws->name);
		ask(r, buf_str(&q), _("You lose access to its tickets. What "
		    "you wrote there stays."), _("Leave"));
	} else if ((name = asked_row(r, list = member_list(r->ws->id), uid,
	    "name")) != NULL) {
		buf_printf(&q, _("Remove %s from %s?"), name, r->ws->name);
		ask(r, buf_str(&q), _("They lose access to its tickets. What "
		    "they wrote there stays."), _("Remove member"));
	}
	json_object_put(list);
	buf_free(&q);
	return 0;
}

static int
remove_member(struct req *r)
{
	long long uid = req_param_id(r, "user");
	enum outcome rc;

	if (uid == 0)
		return error_page(r, 404, NULL);
	if (!confirm_given(r))
		return remove_confirm(r, uid);
	rc = db_begin() == -1 ? db_error() : member_remove(r->ws->id, uid);
	if (!member_change_done(r, rc, "member.remove", uid, NULL))
		return 0;
	if (uid == r->user->id) {
		flash(r, FLASH_WS_LEFT, 0);
		return redirect(r, "/workspaces");
	}
	return after_member_change(r, uid, FLASH_MEMBER_REMOVED);
}

/* The page for suspending oneself. */
static int
not_self(struct req *r)
{
	return refused(r, _("You cannot suspend yourself"), _("An admin "
	    "suspends other members. To leave the workspace, use Leave "
	    "workspace instead."));
}

/* "Suspend Sam Lee in Acme Support?" or "Lift the suspension of Sam
 * Lee?": nothing changed yet. */
static int
suspend_confirm(struct req *r, long long uid, int on)
{
	struct json_object *list = member_list(r->ws->id);
	struct buf q = BUF_INIT;
	const char *name;

	if ((name = asked_row(r, list, uid, "name")) != NULL && on) {
		buf_printf(&q, _("Suspend %s in %s?"), name, r->ws->name);
		ask(r, buf_str(&q), _("They cannot open any page of this "
		    "workspace until the suspension is lifted. Their role and "
		    "everything they wrote stay."), _("Suspend member"));
	} else if (name != NULL) {
		buf_printf(&q, _("Lift the suspension of %s?"), name);
		ask(r, buf_str(&q), _("They can open this workspace's pages "
		    "again, with the role they had."), _("Lift suspension"));
	}
	json_object_put(list);
	buf_free(&q);
	return 0;
}

/* Suspends :user's access to the workspace (not one's own, not the last
 * admin's), or gives it back; nothing of theirs is deleted. Both after
 * the confirmation step. */
static int
suspend_change(struct req *r, int on)
{
	long long uid = req_param_id(r, "user");
	enum outcome rc;

	if (uid == 0)
		return error_page(r, 404, NULL);
	if (on && uid == r->user->id)
		return not_self(r);
	if (!confirm_given(r))
		return suspend_confirm(r, uid, on);
	if (db_begin() == -1)
		rc = db_error();
	else if (on)
		rc = member_suspend(r->ws->id, uid, r->user->id);
	else
		rc = member_unsuspend(r->ws->id, uid);
	if (!member_change_done(r, rc, on ? "member.suspend" :
	    "member.unsuspend", uid, NULL))
		return 0;
	return after_member_change(r, uid, on ? FLASH_MEMBER_SUSPENDED :
	    FLASH_MEMBER_UNSUSPENDED);
}

static int
suspend(struct req *r)
{
	return suspend_change(r, 1);
}

static int
unsuspend(struct req *r)
{
	return suspend_change(r, 0);
}

/* "Revoke the invitation for sam@example.com?": nothing revoked yet. */
static int
revoke_confirm(struct req *r, long long id)
{
	struct json_object *list = invite_pending(r->ws->id);
	struct buf q = BUF_INIT;
	const char *email;

	if ((email = asked_row(r, list, id, "email")) != NULL) {
		buf_printf(&q, _("Revoke the invitation for %s?"), email);
		ask(r, buf_str(&q), _("Its link stops working. You can invite "
		    "the same address again later."), _("Revoke invitation"));
	}
	json_object_put(list);
	buf_free(&q);
	return 0;
}

static int
revoke(struct req *r)
{
	long long id = req_param_id(r, "id");
	enum outcome rc;

	if (id == 0)
		return error_page(r, 404, NULL);
	if (!confirm_given(r))
		return revoke_confirm(r, id);
	rc = db_begin() == -1 ? db_error() : invite_revoke(r->ws->id, id);
	if (rc == OK)
		rc = audit(&r->actor, r->ws->id, 0, "invitation.revoke",
		    "invitation", id);
	if (rc != OK)
		return outcome_page(r, rc);
	if (db_commit() == -1)
		return db_unavailable(r);
	flash(r, FLASH_INVITE_REVOKED, 0);
	return to_ws(r, "/admin/members");
}

/* "3 messages in quarantine", so that admins notice mail waiting for
 * them. */
static void
quarantine_note(struct req *r, struct json_object *c)
{
	long long n = quarantine_count(&r->actor);
	char note[160];

	if (n < 0)
		snprintf(note, sizeof(note), "%s", _("how many messages wait "
		    "there could not be read just now."));
	else if (n == 0)
		snprintf(note, sizeof(note), "%s", _("no messages."));
	else
		snprintf(note, sizeof(note), trn("%lld message that could "
		    "not be read or routed, waiting for you.", "%lld messages "
		    "that could not be read or routed, waiting for you.",
		    (unsigned long)n), n);
	ctx_str(c, "quarantine_note", note);
	json_object_object_add(c, "quarantined",
	    json_object_new_boolean(n > 0));
}

/* The config's retention defaults, shown beside each choice. */
static struct json_object *
settings_ctx(struct req *r)
{
	struct json_object *c = page_ctx(r), *d = json_object_new_object();
	struct retention none = { -1, -1, -1, -1, -1, -1, -1 }, eff;

	ctx_str(c, "title", _("Settings"));
	retention_apply_defaults(&none, &eff);
	json_object_object_add(d, "close_solved",
	    json_object_new_int64(eff.close_solved));
	json_object_object_add(d, "closed", json_object_new_int64(eff.closed));
	/* Shown only, in words ("The default (anonymised)"). */
	ctx_str(d, "closed_action", eff.closed_delete ? _("deleted") :
	    _("anonymised"));
	json_object_object_add(d, "audit", json_object_new_int64(eff.audit));
	json_object_object_add(d, "usage", json_object_new_int64(eff.usage));
	json_object_object_add(d, "invitations",
	    json_object_new_int64(eff.invitations));
	json_object_object_add(d, "quarantine",
	    json_object_new_int64(eff.quarantine));
	json_object_object_add(c, "retention_defaults", d);
	quarantine_note(r, c);
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
	days_value(values, "retain_quarantine_days", own->quarantine);
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
	ctx_str(values, "require_2fa", r->ws->require_2fa ? "1" : "");
	if ((rc = ws_retention(r->ws->id, &own, &eff)) != OK) {
		json_object_put(values);
		json_object_put(c);
		return outcome_page(r, rc);
	}
	retention_values(values, &own);
	if ((rc = ws_inbound_address(r->ws->id, &to)) != OK) {
		json_object_put(values);
		json_object_put(c);
		return outcome_page(r, rc);
	}
	ctx_str(values, "inbound_address", to != NULL ? to : "");
	free(to);
	json_object_object_add(c, "values", values);
	return page(r, 200, "admin/settings", c);
}

/*
 * In the settings' transaction: the inbound address as posted, audited
 * when it changes. OK, E_TAKEN (another workspace's), E_DB.
 */
static enum outcome
inbound_post(struct req *r)
{
	const char *want = req_form(r, "inbound_address");
	enum outcome rc;
	char *was;
	int same;

	if (want == NULL)
		want = "";
	if ((rc = ws_inbound_address(r->ws->id, &was)) != OK)
		return rc;
	same = strcasecmp(was ? was : "", want) == 0;
	free(was);
	if (same)
		return OK;
	if ((rc = ws_set_inbound_address(r->ws->id, want)) != OK)
		return rc;
	return audit(&r->actor, r->ws->id, 0, "settings.inbound_address",
	    "workspace", r->ws->id);
}

static int
settings_post(struct req *r)
{
	const char *to = NULL, *inbound;
	struct retention own, eff;
	enum outcome rc;
	struct form f;
	int portal, choice = 0, erase = 0, tf, retention_posted, inbound_posted,
	    quarantine_posted;

	/* A form from before retention existed leaves it as it is (form_read
	 * makes every absent field empty), and one from before mail in its
	 * inbound address. */
	retention_posted = req_form(r, "retain_closed_days") != NULL;
	inbound_posted = req_form(r, "inbound_address") != NULL;
	quarantine_posted = req_form(r, "retain_quarantine_days") != NULL;
	form_begin(&f);
	if (form_read(r, settings_fields, &f) == 0) {
		switch ((choice = (int)form_int(&f, "new_ticket_to"))) {
		case NEW_ADDRESS:
			to = req_form(r, "new_ticket_address");
			/* What the outbox can write in a header, no more. */
			if (to == NULL || !mime_addr_ok(to))
				form_refuse(&f, "new_ticket_address",
				    _("Give one plain address, like "
				    "team@example.org."));
			break;
		case NEW_OFF:
			to = "";
			break;
		}
		/* What the mailgate can match a recipient with. */
		inbound = req_form(r, "inbound_address");
		if (inbound != NULL && *inbound != '\0' &&
		    !mime_addr_ok(inbound))
			form_refuse(&f, "inbound_address", _("Give one plain "
			    "address, like support@example.org, or leave it "
			    "empty."));
	}
	if (f.nerr > 0)
		return form_page(r, 400, "admin/settings", settings_ctx(r), &f,
		    _("Please correct the marked fields."));
	erase = (int)form_int(&f, "erase_text");
	if (db_begin() == -1 || ws_retention(r->ws->id, &own, &eff) != OK) {
		form_end(&f);
		return db_unavailable(r);
	}
	rc = inbound_posted ? inbound_post(r) : OK;
	if (rc == E_TAKEN) {
		db_rollback();
		form_refuse(&f, "inbound_address", _("Another workspace "
		    "receives mail at this address. Choose another one."));
		return form_page(r, 409, "admin/settings", settings_ctx(r), &f,
		    _("Please correct the marked fields."));
	}
	if (rc != OK) {
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
	/* Absent (a form from before mail in): as it is. */
	if (quarantine_posted)
		own.quarantine = days_posted(r, &f, "retain_quarantine_days");
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
	tf = str_eq(req_form(r, "require_2fa"), "1");
	if ((tf != r->ws->require_2fa &&
	    (ws_set_require_2fa(r->ws->id, tf) != OK ||
	    audit(&r->actor, r->ws->id, 0, tf ? "settings.require_2fa" :
	    "settings.allow_without_2fa", "workspace", r->ws->id) != OK)) ||
	    ws_update(r->ws->id, req_form(r, "name"), portal) != OK ||
	    (choice != 0 && ws_set_new_ticket_mail(r->ws->id, to) != OK) ||
	    (erase != 0 && ws_set_erase_text(r->ws->id,
	    erase == TEXT_REMOVE) != OK) ||
	    ws_set_retention(r->ws->id, &own) != OK ||
	    audit(&r->actor, r->ws->id, 0, "settings.update", "workspace",
	    r->ws->id) != OK ||
	    db_commit() == -1)
		return db_unavailable(r);
	flash(r, FLASH_SETTINGS_SAVED, 0);
	return to_ws(r, "/admin/settings");
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
		return error_page(r, 400, _("That page of the list does not "
		    "exist."));
	if ((rows = outbox_failures(r->ws->id, before, FAILED_PAGE,
	    &older)) == NULL)
		return db_unavailable(r);
	c = page_ctx(r);
	ctx_str(c, "title", _("Undelivered mail"));
	json_object_object_add(c, "rows", rows);
	if (older)
		json_object_object_add(c, "older",
		    json_object_new_int64(older));
	json_object_object_add(c, "paged", json_object_new_boolean(q != NULL));
	return page(r, 200, "admin/mail", c);
}

/*
 * The log's filters from source (req_query for the page, req_form for
 * the export): person, action, from, to. -1 when one is not of its form.
 */
static int
audit_filters(struct req *r,
    const char *(*get)(const struct req *, const char *),
    struct audit_filter *f)
{
	const char *person = get(r, "person");

	memset(f, 0, sizeof(*f));
	if (person && *person && parse_int(person, 1, LLONG_MAX,
	    &f->person) == -1)
		return -1;
	f->action = get(r, "action");
	f->from = get(r, "from");
	f->to = get(r, "to");
	/* An empty field of the GET form is no filter. */
	if (f->action && *f->action == '\0')
		f->action = NULL;
	if (f->from && *f->from == '\0')
		f->from = NULL;
	if (f->to && *f->to == '\0')
		f->to = NULL;
	return audit_filter_check(f) == OK ? 0 : -1;
}

/* "person=3&action=x&" for the next page's link: the filters kept. */
static void
filter_query(struct buf *b, const struct audit_filter *f)
{
	if (f->person)
		buf_printf(b, "person=%lld&", f->person);
	if (f->action) {
		buf_puts(b, "action=");
		url_escape(b, f->action);
		buf_putc(b, '&');
	}
	if (f->from)
		buf_printf(b, "from=%s&", f->from);	/* checked: digits, - */
	if (f->to)
		buf_printf(b, "to=%s&", f->to);
}

/* The members to filter by, the one chosen marked. */
static struct json_object *
people(struct req *r, long long chosen)
{
	struct json_object *list, *o, *v;
	size_t i, n;

	if ((list = member_list(r->ws->id)) == NULL)
		return NULL;
	for (i = 0, n = json_object_array_length(list); i < n; i++) {
		o = json_object_array_get_idx(list, i);
		json_object_object_add(o, "selected", json_object_new_boolean(
		    json_object_object_get_ex(o, "id", &v) &&
		    json_object_get_int64(v) == chosen));
	}
	return list;
}

/* Newest first, AUDIT_PAGE rows a page, keyed by ?before=ID (audit.h),
 * filtered by the GET form's person, action and dates. */
static int
audit_log(struct req *r)
{
	const char *q = req_query(r, "before");
	long long before = LLONG_MAX, older;
	struct json_object *c, *rows, *members, *fo;
	struct audit_filter f;
	struct buf next = BUF_INIT;

	if (q != NULL && parse_int(q, 1, LLONG_MAX, &before) == -1)
		return error_page(r, 400, _("That page of the log does not "
		    "exist."));
	if (audit_filters(r, req_query, &f) == -1)
		return error_page(r, 400, _("Choose a person and an action "
		    "from the lists, and give dates as YYYY-MM-DD."));
	if ((rows = audit_page(&r->actor, &f, before, AUDIT_PAGE,
	    &older)) == NULL)
		return db_unavailable(r);
	if ((members = people(r, f.person)) == NULL) {
		json_object_put(rows);
		return db_unavailable(r);
	}
	c = page_ctx(r);
	ctx_str(c, "title", _("Audit log"));
	json_object_object_add(c, "rows", rows);
	json_object_object_add(c, "people", members);
	json_object_object_add(c, "actions", audit_actions(f.action));
	fo = json_object_new_object();
	if (f.person)
		json_object_object_add(fo, "person",
		    json_object_new_int64(f.person));
	ctx_str(fo, "action", f.action);
	ctx_str(fo, "from", f.from);
	ctx_str(fo, "to", f.to);
	json_object_object_add(c, "f", fo);
	/* The pager's links keep the filters. */
	buf_printf(&next, "/w/%s/admin/audit?", r->ws->slug);
	filter_query(&next, &f);
	json_object_object_add(c, "filtered", json_object_new_boolean(
	    f.person || f.action || f.from || f.to));
	ctx_str(c, "newest", buf_str(&next));
	if (older) {
		buf_printf(&next, "before=%lld", older);
		ctx_str(c, "older", buf_str(&next));
	}
	buf_free(&next);
	json_object_object_add(c, "paged", json_object_new_boolean(q != NULL));
	return page(r, 200, "admin/audit", c);
}

/* ---- the log's export -------------------------------------------------- */

#define EXPORT_PAGE	500

/* The CSV's first line: export_cols by the names a reader expects. */
static const char csv_head[] = "\"id\",\"time\",\"actor_id\","
    "\"actor_name\",\"actor_email\",\"action\",\"description\","
    "\"object_type\",\"object_id\",\"ticket_number\",\"ip\",\"device\","
    "\"user_agent\"\r\n";

static const char *const export_cols[] = {
	"id", "time", "actor_id", "actor_name", "actor_email", "action",
	"words", "object_type", "object_id", "number", "ip", "device",
	"user_agent", NULL
};

/* One CSV cell (RFC 4180), defused: a spreadsheet runs a cell that
 * starts with = + - @ (or a tab or CR) as a formula, so such a cell
 * starts with ' instead. */
static void
csv_cell(struct buf *b, const char *s)
{
	const char *p;

	if (s == NULL)
		s = "";
	buf_putc(b, '"');
	if (strchr("=+-@\t\r", *s) != NULL && *s != '\0')
		buf_putc(b, '\'');
	for (p = s; *p; p++) {
		if (*p == '"')
			buf_putc(b, '"');
		buf_putc(b, *p);
	}
	buf_putc(b, '"');
}

static const char *
row_str(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v) ||
	    json_object_get_type(v) == json_type_null)
		return NULL;
	return json_object_get_string(v);
}

/* Rows as CSV lines or JSON array elements; -1 when the client went. */
static int
export_rows(struct req *r, struct json_object *rows, int json, int *first)
{
	struct json_object *o, *out;
	struct buf b = BUF_INIT;
	size_t i, j, n;
	int rc;

	for (i = 0, n = json_object_array_length(rows); i < n; i++) {
		o = json_object_array_get_idx(rows, i);
		if (json) {
			out = json_object_new_object();
			for (j = 0; export_cols[j]; j++) {
				struct json_object *v = NULL;

				json_object_object_get_ex(o, export_cols[j],
				    &v);
				json_object_object_add(out, export_cols[j],
				    json_object_get(v));
			}
			buf_puts(&b, *first ? "\n" : ",\n");
			buf_puts(&b, json_object_to_json_string_ext(out,
			    JSON_C_TO_STRING_PLAIN));
			json_object_put(out);
		} else {
			for (j = 0; export_cols[j]; j++) {
				if (j > 0)
					buf_putc(&b, ',');
				csv_cell(&b, row_str(o, export_cols[j]));
			}
			buf_puts(&b, "\r\n");
		}
		*first = 0;
	}
	rc = b.len ? resp_write(r, b.data, b.len) : 0;
	buf_free(&b);
	return rc;
}

/*
 * The filtered log, all of it, as CSV or JSON, made while it is sent, a
 * page of EXPORT_PAGE rows at a time (each page the filter's index range,
 * as on the page). The export is audited, and the row committed, before
 * the first byte (as cgi-bin/export.c); a failure half-way cuts the
 * download off (resp_abort).
 */
static int
audit_export(struct req *r)
{
	const char *format = req_form(r, "format");
	long long before = LLONG_MAX, older;
	struct json_object *rows;
	struct audit_filter f;
	char name[96];
	int json, first = 1;

	json = str_eq(format, "json");
	if (!json && !str_eq(format, "csv"))
		return error_page(r, 400, _("Choose CSV or JSON."));
	if (audit_filters(r, req_form, &f) == -1)
		return error_page(r, 400, _("Choose a person and an action "
		    "from the lists, and give dates as YYYY-MM-DD."));
	if (db_begin() == -1 ||
	    audit_detail(&r->actor, r->ws->id, 0, "audit.export",
	    "workspace", r->ws->id, json ? "JSON" : "CSV") != OK ||
	    db_commit() == -1)
		return db_unavailable(r);
	snprintf(name, sizeof(name), "audit-%s.%s", r->ws->slug,
	    json ? "json" : "csv");
	r->content_type = json ? "application/json" :
	    "text/csv; charset=utf-8";
	if (resp_begin_download(r, name) == -1)
		return 0;
	if (json ? resp_write(r, "[", 1) == -1 : resp_write(r, csv_head,
	    sizeof(csv_head) - 1) == -1)
		return 0;
	do {
		if ((rows = audit_page(&r->actor, &f, before, EXPORT_PAGE,
		    &older)) == NULL) {
			resp_abort(r, "the audit export failed (logged above)");
			return 0;
		}
		if (export_rows(r, rows, json, &first) == -1) {
			json_object_put(rows);
			return 0;
		}
		json_object_put(rows);
		before = older;
	} while (older != 0);
	if (json)
		resp_write(r, "\n]\n", 3);
	return 0;
}

/* Which features this workspace used, per day, the last USAGE_DAYS days:
 * counts of the requests of people who consented (usage.h). */
static int
usage(struct req *r)
{
	struct json_object *c, *t;

	if ((t = usage_table(&r->actor, USAGE_DAYS)) == NULL)
		return db_unavailable(r);
	c = page_ctx(r);
	ctx_str(c, "title", _("Usage"));
	json_object_object_add(c, "usage", t);
	json_object_object_add(c, "ndays", json_object_new_int(USAGE_DAYS));
	return page(r, 200, "admin/usage", c);
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
	struct json_object *c, *m, *hold;
	enum outcome rc;
	int text;

	if ((rc = requester_row(r, req_param_id(r, "user"), &m)) != OK)
		return outcome_page(r, rc);
	if ((rc = ws_erase_text(r->ws->id, &text)) != OK) {
		json_object_put(m);
		return outcome_page(r, rc);
	}
	if ((rc = hold_blocking_member(&r->actor, req_param_id(r, "user"),
	    &hold)) != OK) {
		json_object_put(m);
		return outcome_page(r, rc);
	}
	c = page_ctx(r);
	ctx_str(c, "title", _("Erase a requester's data"));
	json_object_object_add(c, "member", m);
	json_object_object_add(c, "erase_text", json_object_new_boolean(text));
	json_object_object_add(c, "hold", hold);
	return page(r, 200, "admin/erase", c);
}

/* The refusal of an erasure a legal hold stops: 409, naming the hold. */
static int
erase_held(struct req *r, long long uid)
{
	struct json_object *c, *m, *hold;
	enum outcome rc;

	db_rollback();
	if ((rc = requester_row(r, uid, &m)) != OK)
		return outcome_page(r, rc);
	if ((rc = hold_blocking_member(&r->actor, uid, &hold)) != OK) {
		json_object_put(m);
		return outcome_page(r, rc);
	}
	c = page_ctx(r);
	ctx_str(c, "title", _("Erase a requester's data"));
	json_object_object_add(c, "member", m);
	json_object_object_add(c, "hold", hold);
	json_object_object_add(c, "refused", json_object_new_boolean(1));
	return page(r, 409, "admin/erase", c);
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
	if (rc == E_CONFLICT)
		return erase_held(r, uid);
	if (rc == OK && db_commit() == -1)
		rc = db_error();
	if (rc != OK)
		return outcome_page(r, rc);
	flash(r, FLASH_REQUESTER_ERASED, 0);
	return to_ws(r, "/admin/members");
}

static int
delete_page(struct req *r, int status, struct form *f, const char *msg)
{
	struct json_object *c = page_ctx(r), *holds;
	int held;

	ctx_str(c, "title", _("Delete workspace"));
	if ((held = hold_any(r->ws->id)) == -1) {
		json_object_put(c);
		if (f)
			form_end(f);
		return db_unavailable(r);
	}
	if (held) {
		/* A workspace under a legal hold is not deleted: say why,
		 * with the holds, and offer no form. */
		if ((holds = hold_list(&r->actor)) == NULL) {
			json_object_put(c);
			if (f)
				form_end(f);
			return db_unavailable(r);
		}
		json_object_object_add(c, "holds", holds);
		json_object_object_add(c, "held", json_object_new_boolean(1));
		if (f)
			form_end(f);
		return page(r, status == 200 ? 200 : 409, "admin/delete", c);
	}
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
		form_refuse(&f, "confirm_name", _("That is not the workspace's "
		    "name. Type it exactly as it is shown."));
	if (f.nerr > 0)
		return delete_page(r, 400, &f,
		    _("The workspace was not deleted."));
	form_end(&f);
	rc = db_begin() == -1 ? db_error() :
	    workspace_delete(&r->actor, r->ws->id);
	if (rc == OK && db_commit() == -1)
		rc = db_error();
	if (rc == E_CONFLICT) {
		db_rollback();
		return delete_page(r, 409, NULL, NULL);
	}
	if (rc != OK)
		return outcome_page(r, rc);
	flash(r, FLASH_WS_DELETED, 0);
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
	{ M_POST, "/w/:slug/admin/members/:user/suspend", suspend, R_WS,
	    P_MEMBERS },
	{ M_POST, "/w/:slug/admin/members/:user/unsuspend", unsuspend, R_WS,
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
	{ M_POST, "/w/:slug/admin/audit/export", audit_export, R_WS, P_AUDIT },
	{ M_GET, "/w/:slug/admin/mail", mail_failures, R_WS, P_AUDIT },
	{ M_GET, "/w/:slug/admin/usage", usage, R_WS, P_AUDIT },
	{ 0, NULL, NULL, 0, 0 }
};

int
main(int argc, char **argv)
{
	return app_main(argc, argv, routes);
}
