/* account: a user's own account: profile, password and notifications. */
#include "app.h"
#include "audit.h"
#include "notify.h"
#include "password.h"
#include "users.h"

static const struct field password_fields[] = {
	{ "current", "Current password", F_PASSWORD, 1, 1, PASSWORD_MAX },
	{ "password", "New password", F_PASSWORD, 1, PASSWORD_MIN,
	    PASSWORD_MAX },
	{ NULL, NULL, 0, 0, 0, 0 }
};

/* The page's context with the notification settings as stored (left
 * out when they cannot be read: the form that failed is shown anyway). */
static struct json_object *
account_ctx(struct req *r)
{
	struct json_object *c = page_ctx(r), *prefs;

	if ((prefs = notify_prefs(r->user->id)) != NULL)
		json_object_object_add(c, "notify", prefs);
	return c;
}

static int
account_page(struct req *r, int status, struct json_object *c)
{
	struct json_object *prefs;

	if ((prefs = notify_prefs(r->user->id)) == NULL) {
		json_object_put(c);
		return db_unavailable(r);
	}
	json_object_object_add(c, "notify", prefs);
	return page(r, status, "account", c);
}

static int
show(struct req *r)
{
	struct json_object *c = page_ctx(r);

	if (str_eq(req_query(r, "done"), "password"))
		ctx_str(c, "notice", "Your password was changed. Other "
		    "sessions were signed out.");
	if (str_eq(req_query(r, "done"), "notifications"))
		ctx_str(c, "notice", "Your notification settings were saved.");
	return account_page(r, 200, c);
}

/* Each kind is a checkbox: "1" when ticked, absent when not. */
static int
change_notifications(struct req *r)
{
	int on[NK__MAX], k;

	for (k = 0; k < NK__MAX; k++)
		on[k] = str_eq(req_form(r, notify_kind_name(k)), "1");
	if (db_begin() == -1 ||
	    notify_prefs_set(r->user->id, on) != OK ||
	    audit(&r->actor, 0, 0, "user.notifications", "user",
	    r->user->id) != OK ||
	    db_commit() == -1)
		return db_unavailable(r);
	return redirect(r, "/account?done=notifications");
}

static int
change_password(struct req *r)
{
	enum outcome rc;
	struct form f;

	form_begin(&f);
	if (form_read(r, password_fields, &f) > 0)
		return form_page(r, 400, "account", account_ctx(r), &f,
		    "Please correct the marked fields.");
	/* Only a wrong password is the user's mistake: a database that
	 * cannot tell is a 503 (passwords are never echoed, so no form). */
	rc = user_check_password(r->user->id, req_form(r, "current"));
	if (rc == E_INVALID) {
		form_refuse(&f, "current", "That is not your current "
		    "password.");
		return form_page(r, 400, "account", account_ctx(r), &f,
		    "Please correct the marked fields.");
	}
	form_end(&f);
	if (rc != OK)
		return outcome_page(r, rc);
	/* A new password ends every session, this one included; then this
	 * browser gets a fresh one so the user stays signed in here. */
	if (db_begin() == -1 ||
	    user_set_password(r->user->id, req_form(r, "password")) != OK ||
	    session_revoke_all(r->user->id) == -1 ||
	    audit(&r->actor, 0, 0, "user.password_change", "user",
	    r->user->id) != OK ||
	    db_commit() == -1)
		return db_unavailable(r);
	r->session_id = 0;
	if (session_start(r, r->user->id) == -1)
		return db_unavailable(r);
	return redirect(r, "/account?done=password");
}

static const struct route routes[] = {
	{ M_GET, "/account", show, R_AUTH, 0 },
	{ M_POST, "/account/password", change_password, R_AUTH, 0 },
	{ M_POST, "/account/notifications", change_notifications, R_AUTH, 0 },
	{ 0, NULL, NULL, 0, 0 }
};

int
main(int argc, char **argv)
{
	return app_main(argc, argv, routes);
}
