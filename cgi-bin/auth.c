/*
 * auth: sign-up, sign-in and sign-out, and the home page that sends
 * each visitor where they belong.
 */
#include <stdio.h>
#include <stdlib.h>

#include "app.h"
#include "audit.h"
#include "password.h"
#include "throttle.h"
#include "users.h"

static const struct field signup_fields[] = {
	{ "name", "Name", F_TEXT, 1, 1, 100 },
	{ "email", "Email", F_EMAIL, 1, 3, 254 },
	{ "password", "Password", F_PASSWORD, 1, PASSWORD_MIN, PASSWORD_MAX },
	{ NULL, NULL, 0, 0, 0, 0 }
};

static const struct field signin_fields[] = {
	{ "email", "Email", F_EMAIL, 1, 3, 254 },
	{ "password", "Password", F_PASSWORD, 1, 1, PASSWORD_MAX },
	{ NULL, NULL, 0, 0, 0, 0 }
};

static int
home(struct req *r)
{
	return redirect(r, r->user ? "/workspaces" : "/signin");
}

/* Where to go after signing in: back to the page that asked, or home. */
static const char *
after_signin(const struct req *r)
{
	const char *next = safe_next(r);

	return next ? next : "/";
}

/* The sign-in or sign-up page, with where to go after it; f is the form
 * again (form_page), or NULL for a blank one. */
static int
auth_page(struct req *r, int status, const char *tmpl, struct form *f,
    const char *msg)
{
	struct json_object *c = page_ctx(r);

	ctx_str(c, "next", safe_next(r));
	if (f == NULL)
		return page(r, status, tmpl, c);
	return form_page(r, status, tmpl, c, f, msg);
}

/* Signed in or up from this browser: it is known to the account from now
 * on, and only its own failures will slow it down (throttle.h). */
static void
known_browser(struct req *r, const char *email)
{
	char *device = throttle_success(&r->actor, email);

	resp_cookie(r, DEVICE_COOKIE, device, DEVICE_MAX_AGE);
	free(device);
}

static int
signup_form(struct req *r)
{
	if (r->user)
		return redirect(r, after_signin(r));
	return auth_page(r, 200, "signup", NULL, NULL);
}

static int
signup_post(struct req *r)
{
	struct form f;
	enum outcome rc;
	long long id;

	form_begin(&f);
	if (form_read(r, signup_fields, &f) > 0)
		return auth_page(r, 400, "signup", &f,
		    "Please correct the marked fields.");
	rc = user_create(req_form(r, "name"), req_form(r, "email"),
	    req_form(r, "password"), &id);
	if (rc == E_TAKEN)
		form_refuse(&f, "email", "An account with this email already "
		    "exists. Sign in instead.");
	/* A lost answer is never "the account exists": this request may
	 * have made it (db.h). The form again, as typed. */
	if (rc != OK)
		return auth_page(r, outcome_status(rc), "signup", &f,
		    "Please correct the marked fields.");
	form_end(&f);
	if (session_start(r, id) == -1)
		return db_unavailable(r);
	known_browser(r, req_form(r, "email"));
	audit(&r->actor, 0, id, "user.signup", "user", id);
	return redirect(r, after_signin(r));
}

/* This source tried too many wrong passwords: it waits, nobody else does. */
static int
too_many(struct req *r, long long wait)
{
	char secs[24];

	snprintf(secs, sizeof(secs), "%lld", wait);
	resp_header(r, "Retry-After", secs);
	return error_page(r, 429, "Too many failed sign-ins from here. "
	    "Wait a minute and try again.");
}

static int
signin_form(struct req *r)
{
	if (r->user)
		return redirect(r, after_signin(r));
	return auth_page(r, 200, "signin", NULL, NULL);
}

static int
signin_post(struct req *r)
{
	const char *email, *pw;
	long long id = 0, wait;
	enum outcome rc;
	struct form f;

	form_begin(&f);
	if (form_read(r, signin_fields, &f) > 0)
		return auth_page(r, 400, "signin", &f,
		    "Please enter your email and password.");
	email = req_form(r, "email");
	pw = req_form(r, "password");
	if ((rc = throttle_check(&r->actor, email, &wait)) != OK) {
		form_end(&f);
		if (rc == E_LIMITED)
			return too_many(r, wait);
		return outcome_page(r, rc);
	}
	if ((rc = user_authenticate(email, pw, &id)) == E_INVALID) {
		throttle_fail(&r->actor, email);
		audit(&r->actor, 0, 0, "user.signin_failed", "user", 0);
		/* One answer for an unknown email and a wrong password. */
		return auth_page(r, 400, "signin", &f,
		    "That email and password do not match an account.");
	}
	form_end(&f);
	if (rc != OK)
		return outcome_page(r, rc);
	if (session_start(r, id) == -1)
		return db_unavailable(r);
	known_browser(r, email);
	audit(&r->actor, 0, id, "user.signin", "user", id);
	return redirect(r, after_signin(r));
}

static int
signout(struct req *r)
{
	if (r->user)
		audit(&r->actor, 0, 0, "user.signout", "user", r->user->id);
	if (session_end(r) == -1)
		return db_unavailable(r);
	return redirect(r, "/signin");
}

static const struct route routes[] = {
	{ M_GET, "/", home, 0, 0 },
	{ M_GET, "/signup", signup_form, 0, 0 },
	{ M_POST, "/signup", signup_post, 0, 0 },
	{ M_GET, "/signin", signin_form, 0, 0 },
	{ M_POST, "/signin", signin_post, 0, 0 },
	{ M_POST, "/signout", signout, 0, 0 },
	{ 0, NULL, NULL, 0, 0 }
};

int
main(int argc, char **argv)
{
	return app_main(argc, argv, routes);
}
