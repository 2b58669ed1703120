/*
 * holds: a workspace's legal holds (lib/domain/holds.h), for its admins:
 * the list of active and lifted holds, the form that places one (the
 * whole workspace, a ticket by its number, or a member's data), and
 * lifting one after a confirmation step. Every route is R_WS with
 * P_HOLDS: the core has answered 404 to outsiders and 403 to other roles.
 */
#include "app.h"
#include "holds.h"
#include "i18n.h"
#include "workspaces.h"

static int
scope_choice(const char *s)
{
	return (int)hold_scope_parse(s);
}

static const struct fkind scopes =
    F_ENUM(scope_choice, N_("Choose what the hold covers."));
static const struct fkind member_id = F_ID_OF(N_("Choose a member."));

static const struct field place_fields[] = {
	{ "scope", N_("What the hold covers"), &scopes, 1, 0, 0 },
	{ "ticket", N_("Ticket number"), F_INT, 0, 1, 999999999999LL },
	{ "member", N_("Member"), &member_id, 0, 0, 0 },
	{ "reason", N_("Reason"), F_LONGTEXT, 1, 1, HOLD_REASON_MAX },
	{ NULL, NULL, 0, 0, 0, 0 }
};

/* Marks the member chosen in a form shown again. */
static void
mark_chosen(struct json_object *members, long long uid)
{
	size_t i, n = json_object_array_length(members);
	struct json_object *m, *id;

	for (i = 0; uid != 0 && i < n; i++) {
		m = json_object_array_get_idx(members, i);
		if (json_object_object_get_ex(m, "id", &id) &&
		    json_object_get_int64(id) == uid)
			json_object_object_add(m, "selected",
			    json_object_new_boolean(1));
	}
}

/* The page: the holds, and the form (f as typed, or empty). */
static int
holds_page(struct req *r, int status, struct form *f, const char *msg)
{
	struct json_object *c, *holds, *members;

	if ((holds = hold_list(&r->actor)) == NULL ||
	    (members = member_list(r->ws->id)) == NULL) {
		json_object_put(holds);
		if (f)
			form_end(f);
		return db_unavailable(r);
	}
	if (f)
		mark_chosen(members, form_int(f, "member"));
	c = page_ctx(r);
	ctx_str(c, "title", _("Legal holds"));
	json_object_object_add(c, "holds", holds);
	json_object_object_add(c, "members", members);
	if (f)
		return form_page(r, status, "admin/holds", c, f, msg);
	return page(r, status, "admin/holds", c);
}

static int
list(struct req *r)
{
	return holds_page(r, 200, NULL, NULL);
}

static int
place(struct req *r)
{
	enum hold_scope scope;
	enum outcome rc;
	struct form f;
	long long id, num = 0, uid = 0;

	form_begin(&f);
	form_read(r, place_fields, &f);
	scope = (enum hold_scope)form_int(&f, "scope");
	if (scope == HOLD_TICKET &&
	    (num = form_int(&f, "ticket")) == 0 &&
	    !json_object_object_get_ex(f.errors, "ticket", NULL))
		form_refuse(&f, "ticket", _("Give the ticket's number."));
	if (scope == HOLD_PERSON && (uid = form_int(&f, "member")) == 0 &&
	    !json_object_object_get_ex(f.errors, "member", NULL))
		form_refuse(&f, "member", _("Choose a member."));
	if (f.nerr > 0)
		return holds_page(r, 400, &f, _("Please correct the marked "
		    "fields."));
	rc = db_begin() == -1 ? db_error() : hold_place(&r->actor, scope,
	    num, uid, req_form(r, "reason"), &id);
	if (rc == OK && db_commit() == -1)
		rc = db_error();
	if (rc == E_NOT_FOUND) {
		db_rollback();
		if (scope == HOLD_TICKET)
			form_refuse(&f, "ticket", _("This workspace has no "
			    "ticket with that number."));
		else
			form_refuse(&f, "member", _("Choose a member of this "
			    "workspace."));
		return holds_page(r, 400, &f, _("Please correct the marked "
		    "fields."));
	}
	if (outcome_is_db(rc))
		return holds_page(r, 503, &f, NULL);
	form_end(&f);
	if (rc != OK)
		return outcome_page(r, rc);
	flash(r, FLASH_HOLD_PLACED, 0);
	return redirect_ws(r, r->ws->slug, "/admin/holds");
}

/* The confirmation step of lifting a hold. */
static int
lift_form(struct req *r)
{
	struct json_object *c, *hold;
	enum outcome rc;

	if ((rc = hold_get(&r->actor, req_param_id(r, "id"), &hold)) != OK)
		return outcome_page(r, rc);
	c = page_ctx(r);
	ctx_str(c, "title", _("Lift a legal hold"));
	json_object_object_add(c, "hold", hold);
	return page(r, 200, "admin/hold-lift", c);
}

static int
lift(struct req *r)
{
	long long id = req_param_id(r, "id");
	enum outcome rc;

	if (id == 0)
		return error_page(r, 404, NULL);
	rc = db_begin() == -1 ? db_error() : hold_lift(&r->actor, id);
	if (rc == OK && db_commit() == -1)
		rc = db_error();
	if (rc != OK)
		return outcome_page(r, rc);
	flash(r, FLASH_HOLD_LIFTED, 0);
	return redirect_ws(r, r->ws->slug, "/admin/holds");
}

static const struct route routes[] = {
	{ M_GET, "/w/:slug/admin/holds", list, R_WS, P_HOLDS },
	{ M_POST, "/w/:slug/admin/holds", place, R_WS, P_HOLDS },
	{ M_GET, "/w/:slug/admin/holds/:id/lift", lift_form, R_WS, P_HOLDS },
	{ M_POST, "/w/:slug/admin/holds/:id/lift", lift, R_WS, P_HOLDS },
	{ 0, NULL, NULL, 0, 0 }
};

int
main(int argc, char **argv)
{
	return app_main(argc, argv, routes);
}
