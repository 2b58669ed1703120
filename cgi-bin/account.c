/* account: a user's own account: profile and password. */
#include "app.h"
#include "audit.h"
#include "password.h"
#include "users.h"

static const struct field password_fields[] = {
	{ "current", "Current password", F_PASSWORD, 1, 1, PASSWORD_MAX },
	{ "password", "New password", F_PASSWORD, 1, PASSWORD_MIN,
	    PASSWORD_MAX },
	{ NULL, NULL, 0, 0, 0, 0 }
};

static int
account_page(struct req *r, int status, struct json_object *errors,
    const char *msg, const char *notice)
{
	struct json_object *c = page_ctx(r);

	json_object_object_add(c, "errors", errors);
	if (msg)
		json_object_object_add(c, "message",
		    json_object_new_string(msg));
	if (notice)
		json_object_object_add(c, "notice",
		    json_object_new_string(notice));
	return page(r, status, "account", c);
}

static int
show(struct req *r)
{
	const char *done = req_query(r, "done");

	return account_page(r, 200, NULL, NULL, str_eq(done, "password") ?
	    "Your password was changed. Other sessions were signed out." :
	    NULL);
}

static int
change_password(struct req *r)
{
	struct json_object *errors = json_object_new_object();

	if (form_check(r, password_fields, NULL, errors) > 0)
		return account_page(r, 400, errors,
		    "Please correct the marked fields.", NULL);
	if (!user_check_password(r->user->id, req_form(r, "current"))) {
		json_object_object_add(errors, "current",
		    json_object_new_string("That is not your current "
		    "password."));
		return account_page(r, 400, errors,
		    "Please correct the marked fields.", NULL);
	}
	json_object_put(errors);
	/* A new password ends every session, this one included; then this
	 * browser gets a fresh one so the user stays signed in here. */
	if (db_begin() == -1 ||
	    user_set_password(r->user->id, req_form(r, "password")) == -1 ||
	    session_revoke_all(r->user->id) == -1 ||
	    audit(&r->actor, 0, 0, "user.password_change", "user",
	    r->user->id) == -1 ||
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
	{ 0, NULL, NULL, 0, 0 }
};

int
main(int argc, char **argv)
{
	return app_main(argc, argv, routes);
}
