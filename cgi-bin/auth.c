/*
 * auth: sign-up, sign-in and sign-out, the home page (what this is, for
 * visitors; their workspaces, for the signed-in), the links mailed to an account (a password
 * reset and an address confirmation), and the pages anyone may read
 * before signing up: the privacy policy, the terms, the contact for
 * privacy requests and the cookies.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "audit.h"
#include "cookies.h"
#include "i18n.h"
#include "mailout.h"
#include "password.h"
#include "policy.h"
#include "ratelimit.h"
#include "signin_alert.h"
#include "throttle.h"
#include "tokens.h"
#include "twofactor.h"
#include "users.h"

static const struct field signup_fields[] = {
	{ "name", N_("Name"), F_TEXT, 1, 1, 100 },
	{ "email", N_("Email"), F_EMAIL, 1, 3, 254 },
	{ "password", N_("Password"), F_PASSWORD, 1, PASSWORD_MIN,
	    PASSWORD_MAX },
	{ NULL, NULL, 0, 0, 0, 0 }
};

static const struct field signin_fields[] = {
	{ "email", N_("Email"), F_EMAIL, 1, 3, 254 },
	{ "password", N_("Password"), F_PASSWORD, 1, 1, PASSWORD_MAX },
	{ NULL, NULL, 0, 0, 0, 0 }
};

/* A code from the app, or a recovery code ("abcd-efgh-ijkl-mnop"). */
static const struct field code_fields[] = {
	{ "code", N_("Code"), F_TEXT, 1, 1, 40 },
	{ NULL, NULL, 0, 0, 0, 0 }
};

static const struct field forgot_fields[] = {
	{ "email", N_("Email"), F_EMAIL, 1, 3, 254 },
	{ NULL, NULL, 0, 0, 0, 0 }
};

static const struct field reset_fields[] = {
	{ "password", N_("New password"), F_PASSWORD, 1, PASSWORD_MIN,
	    PASSWORD_MAX },
	{ NULL, NULL, 0, 0, 0, 0 }
};

/* "/": a visitor reads what this is, with the ways in; a signed-in
 * person goes on to their workspaces. */
static int
home(struct req *r)
{
	struct json_object *c;

	if (r->user)
		return redirect(r, "/workspaces");
	c = page_ctx(r);
	ctx_str(c, "title", _("A privacy-first helpdesk"));
	return page(r, 200, "landing", c);
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

/*
 * In a transaction: a confirmation link for account id, mailed to email
 * (its own at sign-up). An address we cannot send to (mail not
 * configured, an internationalised address) leaves the account
 * unconfirmed, as the notice on every page then says; it is not an
 * error of the sign-up. OK, E_DB, E_DB_UNKNOWN.
 */
static enum outcome
confirm_mail(long long id, const char *name, const char *email)
{
	char tok[TOKEN_HEX + 1], path[96];
	struct json_object *c;
	enum outcome rc;
	char *link;

	if ((rc = token_issue(TOKEN_CONFIRM, id, email, cfg.confirm_ttl,
	    tok)) != OK)
		return rc;
	snprintf(path, sizeof(path), "/email/confirm/%s", tok);
	if ((link = mail_link(path)) == NULL)
		return OK;
	c = json_object_new_object();
	ctx_str(c, "name", name);
	ctx_str(c, "link", link);
	json_object_object_add(c, "hours",
	    json_object_new_int64(cfg.confirm_ttl / 3600));
	free(link);
	rc = mail_send("email.confirm", "confirm", email, name,
	    _("Confirm your email address"), c);
	return rc == E_INVALID ? OK : rc;
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
	char msg[160];

	form_begin(&f);
	if (form_read(r, signup_fields, &f) > 0)
		return auth_page(r, 400, "signup", &f,
		    _("Please correct the marked fields."));
	if ((rc = limit_check(r, RATE_SIGNUP, msg, sizeof(msg))) != OK)
		return auth_page(r, outcome_status(rc), "signup", &f,
		    rc == E_LIMITED ? msg : NULL);
	rc = user_create(req_form(r, "name"), req_form(r, "email"),
	    req_form(r, "password"), &id);
	if (rc == E_TAKEN)
		form_refuse(&f, "email", _("An account with this email already "
		    "exists. Sign in instead."));
	/* A lost answer is never "the account exists": this request may
	 * have made it (db.h). The form again, as typed. */
	if (rc != OK)
		return auth_page(r, outcome_status(rc), "signup", &f,
		    _("Please correct the marked fields."));
	form_end(&f);
	/* The link and its mail commit together, after the account: if they
	 * fail, the account stays unconfirmed and the banner on every page
	 * offers the link again. The record of the policy version accepted
	 * goes with them: if it is lost, the notice of the current version
	 * shows on the next page instead. */
	if (db_begin() == -1 ||
	    policy_accept_signup(&r->actor, id) != OK ||
	    confirm_mail(id, req_form(r, "name"), req_form(r, "email")) != OK ||
	    db_commit() == -1) {
		db_rollback();
		log_err("sign-up: no confirmation link or policy record for "
		    "user %lld", id);
	}
	if (session_start(r, id) == -1)
		return db_unavailable(r);
	known_browser(r, req_form(r, "email"));
	audit(&r->actor, 0, id, "user.signup", "user", id);
	return redirect(r, after_signin(r));
}

/* A page that says one thing, with a link onwards (html/notice.html). */
static int
notice(struct req *r, int status, const char *title, const char *message,
    const char *detail, const char *link, const char *link_text)
{
	struct json_object *c = page_ctx(r);

	ctx_str(c, "title", title);
	ctx_str(c, "message", message);
	ctx_str(c, "detail", detail);
	ctx_str(c, "link", link);
	ctx_str(c, "link_text", link_text);
	return page(r, status, "notice", c);
}

/* This source tried too many wrong passwords: it waits, nobody else does. */
static int
too_many(struct req *r, long long wait)
{
	char secs[24];

	snprintf(secs, sizeof(secs), "%lld", wait);
	resp_header(r, "Retry-After", secs);
	return notice(r, 429, _("Too many attempts"), _("Too many failed "
	    "sign-ins from here. Wait a minute and try again."),
	    _("If you forgot your password, you can reset it by email."),
	    "/password/forgot", _("Reset your password"));
}

/*
 * A wrong password (or an unknown email): the failure, its audit row and,
 * after repeated ones, the mail to the account's owner, in one
 * transaction. The page answers the same whatever happens here.
 */
static void
failed_signin(struct req *r, const char *email)
{
	long long target;

	/* The account the attempt targeted, when the address has one, so
	 * its owner sees it on their access page (mydata.h). The same query
	 * for an unknown address: no timing tells. */
	if (user_by_email(email, &target) != OK)
		target = 0;
	if (db_begin() == -1)
		goto err;
	throttle_fail(&r->actor, email);
	if (audit(&r->actor, 0, 0, "user.signin_failed", "user", target) !=
	    OK ||
	    signin_alert(&r->actor, email) != OK || db_commit() == -1)
		goto err;
	throttle_purge();
	return;
err:
	db_rollback();
	log_err("sign-in: the failure was not recorded");
}

static int
signin_form(struct req *r)
{
	if (r->user)
		return redirect(r, after_signin(r));
	return auth_page(r, 200, "signin", NULL, NULL);
}

static int code_first(struct req *, long long);

static int
signin_post(struct req *r)
{
	struct twofactor_status tf;
	const char *email, *pw;
	long long id = 0, wait;
	enum outcome rc;
	struct form f;

	form_begin(&f);
	if (form_read(r, signin_fields, &f) > 0)
		return auth_page(r, 400, "signin", &f,
		    _("Please enter your email and password."));
	email = req_form(r, "email");
	pw = req_form(r, "password");
	if ((rc = throttle_check(&r->actor, email, &wait)) != OK) {
		form_end(&f);
		if (rc == E_LIMITED)
			return too_many(r, wait);
		return outcome_page(r, rc);
	}
	if ((rc = user_authenticate(email, pw, &id)) == E_INVALID) {
		failed_signin(r, email);
		/* One answer for an unknown email and a wrong password. */
		return auth_page(r, 400, "signin", &f,
		    _("That email and password do not match an account."));
	}
	form_end(&f);
	if (rc != OK)
		return outcome_page(r, rc);
	if ((rc = twofactor_status(id, &tf)) != OK)
		return outcome_page(r, rc);
	if (tf.enabled)
		return code_first(r, id);
	if (session_start(r, id) == -1)
		return db_unavailable(r);
	known_browser(r, email);
	audit(&r->actor, 0, id, "user.signin", "user", id);
	return redirect(r, after_signin(r));
}

/* ---- the second step: a code from the app ------------------------------ */

/* The password was right and the account has two-factor on: no session
 * yet, only the signed pending state, and the page that asks for the
 * code. The device cookie, too, waits for the code. */
static int
code_first(struct req *r, long long id)
{
	char tok[TWOFACTOR_TOKEN_MAX];
	struct buf to = BUF_INIT;
	const char *next = safe_next(r);

	twofactor_token(id, tok);
	resp_cookie(r, TWOFACTOR_COOKIE, tok, TWOFACTOR_MAX_AGE);
	buf_puts(&to, "/signin/code");
	if (next != NULL) {
		buf_puts(&to, "?next=");
		url_escape(&to, next);
	}
	redirect(r, buf_str(&to));
	buf_free(&to);
	return 0;
}

/* The account the pending state names, or 0 (none, forged, expired). */
static long long
pending_user(struct req *r)
{
	return twofactor_token_user(kv_get(&r->cookies, TWOFACTOR_COOKIE));
}

/* Back to the password: the pending state is gone or never was. */
static int
code_expired(struct req *r)
{
	resp_cookie(r, TWOFACTOR_COOKIE, "", 0);
	return notice(r, 400, _("Sign in again"), _("This sign-in took too "
	    "long or was already finished. Enter your email and password "
	    "again."), NULL, "/signin", _("Sign in"));
}

static int
code_form(struct req *r)
{
	if (r->user)
		return redirect(r, after_signin(r));
	if (pending_user(r) == 0)
		return redirect(r, "/signin");
	return auth_page(r, 200, "signin-code", NULL, NULL);
}

static int
code_post(struct req *r)
{
	long long id = pending_user(r), wait;
	struct account a;
	enum outcome rc;
	struct form f;
	int recovery;

	if (id == 0)
		return code_expired(r);
	form_begin(&f);
	if (form_read(r, code_fields, &f) > 0)
		return auth_page(r, 400, "signin-code", &f,
		    _("Enter the 6-digit code from your app, or a recovery "
		    "code."));
	if ((rc = user_load(id, &a)) != OK) {
		form_end(&f);
		return rc == E_NOT_FOUND ? code_expired(r) :
		    outcome_page(r, rc);
	}
	/* Throttled as the password is, counted against the same account
	 * and source (throttle.h): a code is guessed no faster. */
	if ((rc = throttle_check(&r->actor, a.email, &wait)) != OK) {
		form_end(&f);
		account_clear(&a);
		return rc == E_LIMITED ? too_many(r, wait) :
		    outcome_page(r, rc);
	}
	if (db_begin() == -1) {
		account_clear(&a);
		return auth_page(r, 503, "signin-code", &f, NULL);
	}
	rc = twofactor_check(&r->actor, id, req_form(r, "code"), &recovery);
	/* A wrong code is committed too: its audit row. */
	if ((rc == OK || rc == E_INVALID) && db_commit() == -1)
		rc = db_error();
	if (rc == E_INVALID) {
		throttle_fail(&r->actor, a.email);
		account_clear(&a);
		form_refuse(&f, "code", _("That code is not right, or was "
		    "used already. Wait for the next code and try again."));
		return auth_page(r, 400, "signin-code", &f,
		    _("That code did not sign you in."));
	}
	if (rc != OK) {
		db_rollback();
		account_clear(&a);
		if (rc == E_NOT_FOUND)
			return code_expired(r);
		return auth_page(r, outcome_status(rc), "signin-code", &f,
		    NULL);
	}
	form_end(&f);
	resp_cookie(r, TWOFACTOR_COOKIE, "", 0);
	if (session_start(r, id) == -1) {
		account_clear(&a);
		return db_unavailable(r);
	}
	known_browser(r, a.email);
	account_clear(&a);
	audit(&r->actor, 0, id, "user.signin", "user", id);
	/* A recovery code is spent: the account page says how many are
	 * left and offers new ones. */
	if (recovery)
		flash(r, FLASH_2FA_RECOVERY_USED, 0);
	return redirect(r, recovery ? "/account/2fa" :
	    after_signin(r));
}

static int
signout(struct req *r)
{
	if (r->user)
		audit(&r->actor, 0, 0, "user.signout", "user", r->user->id);
	if (session_end(r) == -1)
		return db_unavailable(r);
	flash(r, FLASH_SIGNED_OUT, 0);
	return redirect(r, "/signin");
}

/* ---- password reset ---------------------------------------------------- */

/* Too many mails asked for from here or for this address. */
static int
mail_too_many(struct req *r, long long wait)
{
	char secs[24];

	snprintf(secs, sizeof(secs), "%lld", wait);
	resp_header(r, "Retry-After", secs);
	return notice(r, 429, _("Too many requests"), _("We sent enough mail "
	    "for now. Wait an hour and try again."), NULL, "/signin",
	    _("Back to sign in"));
}

/* A link that is unknown, used or expired: one answer for all three. */
static int
link_gone(struct req *r, const char *again, const char *again_text)
{
	return notice(r, 410, _("This link has expired"), _("This link has "
	    "expired or was already used: each link works once."), NULL,
	    again, again_text);
}

static int
forgot_form(struct req *r)
{
	return page(r, 200, "password/forgot", page_ctx(r));
}

/*
 * In a transaction: a reset link for a, mailed to a's address. OK, E_DB,
 * E_DB_UNKNOWN.
 */
static enum outcome
reset_mail(struct req *r, const struct account *a)
{
	char tok[TOKEN_HEX + 1], path[96];
	struct json_object *c;
	enum outcome rc;
	char *link;

	if ((rc = token_issue(TOKEN_RESET, a->id, a->email, cfg.reset_ttl,
	    tok)) != OK)
		return rc;
	snprintf(path, sizeof(path), "/password/reset/%s", tok);
	if ((link = mail_link(path)) != NULL) {
		c = json_object_new_object();
		ctx_str(c, "name", a->name);
		ctx_str(c, "link", link);
		json_object_object_add(c, "minutes",
		    json_object_new_int64(cfg.reset_ttl / 60));
		free(link);
		rc = mail_send("password.reset", "reset", a->email, a->name,
		    _("Reset your password"), c);
		if (rc == E_INVALID)
			rc = OK;
	}
	if (rc == OK)
		rc = audit(&r->actor, 0, a->id, "user.reset_request", "user",
		    a->id);
	return rc;
}

/*
 * The same page whether or not an account has the address, and nearly
 * the same time: the only difference is a token and a mail written.
 */
static int
forgot_post(struct req *r)
{
	struct account a;
	enum outcome rc;
	long long wait;
	struct form f;

	form_begin(&f);
	if (form_read(r, forgot_fields, &f) > 0)
		return form_page(r, 400, "password/forgot", page_ctx(r), &f,
		    _("Please enter the email address of your account."));
	rc = rate_mail(&r->actor, "reset", req_form(r, "email"), &wait);
	if (rc == E_LIMITED) {
		form_end(&f);
		return mail_too_many(r, wait);
	}
	if (rc != OK)
		return form_page(r, outcome_status(rc), "password/forgot",
		    page_ctx(r), &f, NULL);
	token_purge();
	rc = user_find(req_form(r, "email"), &a);
	if (rc == OK) {
		if (db_begin() == -1)
			rc = db_error();
		else if ((rc = reset_mail(r, &a)) == OK && db_commit() == -1)
			rc = db_error();
		account_clear(&a);
	}
	if (rc != OK && rc != E_NOT_FOUND)
		return form_page(r, outcome_status(rc), "password/forgot",
		    page_ctx(r), &f, NULL);
	form_end(&f);
	return notice(r, 200, _("Check your email"), _("If an account uses "
	    "this address, we sent it a link to choose a new password."),
	    _("The link works once, for a short time. No mail? Look in the "
	    "spam folder, or check the address you typed."), "/signin",
	    _("Back to sign in"));
}

/* The form of a reset link: its context (the form's own address). */
static struct json_object *
reset_ctx(struct req *r, const char *email)
{
	struct json_object *c = page_ctx(r);
	struct buf action = BUF_INIT;

	buf_puts(&action, "/password/reset/");
	url_escape(&action, req_param(r, "token"));
	ctx_str(c, "action", buf_str(&action));
	ctx_str(c, "email", email);
	ctx_str(c, "title", _("New password"));
	buf_free(&action);
	return c;
}

static int
reset_form(struct req *r)
{
	enum outcome rc;
	long long uid;
	char *email;

	rc = token_find(TOKEN_RESET, req_param(r, "token"), 0, &uid, &email);
	if (rc == E_NOT_FOUND)
		return link_gone(r, "/password/forgot",
		    _("Ask for a new link"));
	if (rc != OK)
		return outcome_page(r, rc);
	page(r, 200, "password/reset", reset_ctx(r, email));
	free(email);
	return 0;
}

/*
 * In a transaction, the link's row locked (two tabs use it once): the
 * new password, every link of the account used up, and every session
 * ended. The link reached its address, so that address is confirmed.
 * OK with *a the account, E_NOT_FOUND (the link is gone), E_DB.
 */
static enum outcome
reset_apply(struct req *r, struct account *a)
{
	enum outcome rc;
	long long uid;
	char *email = NULL;

	memset(a, 0, sizeof(*a));
	if (db_begin() == -1)
		return db_error();
	if ((rc = token_find(TOKEN_RESET, req_param(r, "token"), 1, &uid,
	    &email)) != OK || (rc = user_load(uid, a)) != OK)
		goto done;
	if ((rc = user_set_password(uid, req_form(r, "password"))) != OK ||
	    (rc = token_use_all(TOKEN_RESET, uid)) != OK)
		goto done;
	if (!a->confirmed && str_eq(email, a->email) &&
	    (rc = user_confirm_email(uid, email)) != OK)
		goto done;
	if (session_revoke_all(uid) == -1)
		rc = db_error();
	else
		rc = audit(&r->actor, 0, uid, "user.password_reset", "user",
		    uid);
	if (rc == OK && db_commit() == -1)
		rc = db_error();
done:
	free(email);
	if (rc != OK)
		db_rollback();
	return rc;
}

static int
reset_post(struct req *r)
{
	struct twofactor_status tf;
	struct account a;
	enum outcome rc;
	struct form f;
	char *email;
	long long uid;

	form_begin(&f);
	if (form_read(r, reset_fields, &f) > 0) {
		/* The form again only while its link still works. */
		rc = token_find(TOKEN_RESET, req_param(r, "token"), 0, &uid,
		    &email);
		if (rc != OK) {
			form_end(&f);
			return rc == E_NOT_FOUND ? link_gone(r,
			    "/password/forgot", _("Ask for a new link")) :
			    outcome_page(r, rc);
		}
		rc = form_page(r, 400, "password/reset", reset_ctx(r, email),
		    &f, _("Please choose another password."));
		free(email);
		return rc;
	}
	form_end(&f);
	if ((rc = reset_apply(r, &a)) == E_NOT_FOUND)
		return link_gone(r, "/password/forgot",
		    _("Ask for a new link"));
	if (rc != OK)
		return outcome_page(r, rc);
	/* Every session of the account ended, this browser's too if it was
	 * one (another account's is ended by session_start): it signs in
	 * anew. */
	if (r->user && r->user->id == a.id)
		r->session_id = 0;
	/* A reset link proves the mailbox, not the second factor: with
	 * two-factor on, the code is asked for as at sign-in. */
	if ((rc = twofactor_status(a.id, &tf)) != OK) {
		account_clear(&a);
		return outcome_page(r, rc);
	}
	if (tf.enabled) {
		uid = a.id;
		account_clear(&a);
		if (r->user && r->user->id == uid && session_end(r) == -1)
			return db_unavailable(r);
		return code_first(r, uid);
	}
	if (session_start(r, a.id) == -1) {
		account_clear(&a);
		return db_unavailable(r);
	}
	known_browser(r, a.email);
	account_clear(&a);
	flash(r, FLASH_PASSWORD_RESET, 0);
	return redirect(r, "/account");
}

/* ---- address confirmation ------------------------------------------------- */

static int
confirm_form(struct req *r)
{
	struct json_object *c;
	struct buf action = BUF_INIT;
	struct account a;
	enum outcome rc;
	long long uid;
	char *email;

	rc = token_find(TOKEN_CONFIRM, req_param(r, "token"), 0, &uid, &email);
	if (rc == E_NOT_FOUND)
		return link_gone(r, "/account", _("Your account"));
	if (rc != OK)
		return outcome_page(r, rc);
	if ((rc = user_load(uid, &a)) != OK) {
		free(email);
		return rc == E_NOT_FOUND ? link_gone(r, "/", _("Start page")) :
		    outcome_page(r, rc);
	}
	c = page_ctx(r);
	buf_puts(&action, "/email/confirm/");
	url_escape(&action, req_param(r, "token"));
	ctx_str(c, "action", buf_str(&action));
	ctx_str(c, "email", email);
	ctx_str(c, "name", a.name);
	ctx_str(c, "title", _("Confirm your email address"));
	buf_free(&action);
	free(email);
	account_clear(&a);
	return page(r, 200, "email/confirm", c);
}

/* In a transaction: tells the old address of an account that it is no
 * longer the account's. No link: nothing in it can undo the change. */
static enum outcome
changed_mail(const struct account *a, const char *new_email)
{
	struct json_object *c = json_object_new_object();
	enum outcome rc;

	ctx_str(c, "name", a->name);
	ctx_str(c, "new_email", new_email);
	ctx_str(c, "mail_from", cfg.mail_from);
	rc = mail_send("email.changed", "email-changed", a->email, a->name,
	    _("Your email address was changed"), c);
	return rc == E_INVALID ? OK : rc;
}

/*
 * In a transaction, the link's row locked: the address becomes the
 * account's, confirmed; on a change, the links mailed to the old address
 * stop working and the old address is told (when it was confirmed: an
 * unconfirmed one may be someone else's typo). OK with *uid, E_NOT_FOUND
 * (the link is gone), E_TAKEN (another account has the address now),
 * E_DB.
 */
static enum outcome
confirm_apply(struct req *r, long long *uid)
{
	struct account a;
	enum outcome rc;
	char *email = NULL;
	int changed;

	memset(&a, 0, sizeof(a));
	if (db_begin() == -1)
		return db_error();
	if ((rc = token_find(TOKEN_CONFIRM, req_param(r, "token"), 1, uid,
	    &email)) != OK || (rc = user_load(*uid, &a)) != OK)
		goto done;
	changed = !str_eq(email, a.email);
	if ((rc = user_confirm_email(*uid, email)) != OK ||
	    (rc = token_use_all(TOKEN_CONFIRM, *uid)) != OK)
		goto done;
	if (changed && ((rc = token_use_all(TOKEN_RESET, *uid)) != OK ||
	    (a.confirmed && (rc = changed_mail(&a, email)) != OK)))
		goto done;
	rc = audit(&r->actor, 0, *uid, changed ? "user.email_change" :
	    "user.email_confirm", "user", *uid);
	if (rc == OK && db_commit() == -1)
		rc = db_error();
done:
	free(email);
	account_clear(&a);
	if (rc != OK)
		db_rollback();
	return rc;
}

static int
confirm_post(struct req *r)
{
	enum outcome rc;
	long long uid = 0;

	if ((rc = confirm_apply(r, &uid)) == E_NOT_FOUND)
		return link_gone(r, "/account", _("Your account"));
	if (rc == E_TAKEN)
		return notice(r, 409, _("That address is taken"), _("Another "
		    "account uses this address now, so it cannot be yours "
		    "too."), NULL, "/account", _("Your account"));
	if (rc != OK)
		return outcome_page(r, rc);
	if (r->user && r->user->id == uid) {
		flash(r, FLASH_EMAIL_CONFIRMED, 0);
		return redirect(r, "/account");
	}
	return notice(r, 200, _("Address confirmed"), _("Your email address is "
	    "confirmed."), NULL, r->user ? "/" : "/signin",
	    r->user ? _("Start page") : _("Sign in"));
}

/* ---- the privacy policy, terms, contact and cookies pages ------------ */

/* A page of the policy: its title, the version, and the contact. */
static struct json_object *
policy_ctx(struct req *r, const char *title)
{
	struct json_object *c = page_ctx(r);

	ctx_str(c, "title", title);
	ctx_str(c, "version", cfg.policy_version);
	if (*policy_contact() != '\0')
		ctx_str(c, "contact", policy_contact());
	return c;
}

static int
privacy_page(struct req *r)
{
	struct json_object *c = policy_ctx(r, _("Privacy policy"));

	ctx_str(c, "html", policy_html());
	return page(r, 200, "policy/document", c);
}

static int
terms_page(struct req *r)
{
	struct json_object *c = policy_ctx(r, _("Terms of service"));

	ctx_str(c, "html", terms_html());
	return page(r, 200, "policy/document", c);
}

static int
contact_page(struct req *r)
{
	struct json_object *c = policy_ctx(r, _("Contact"));
	const char *to = policy_contact();
	struct buf mailto = BUF_INIT;

	if (*to != '\0') {
		buf_puts(&mailto, "mailto:");
		url_segment(&mailto, to, strlen(to));
		ctx_str(c, "mailto", buf_str(&mailto));
		buf_free(&mailto);
	}
	return page(r, 200, "policy/contact", c);
}

static int
cookies_page(struct req *r)
{
	struct json_object *c = policy_ctx(r, _("Cookies"));

	json_object_object_add(c, "cookies", cookies_json());
	return page(r, 200, "policy/cookies", c);
}

static const struct route routes[] = {
	{ M_GET, "/", home, 0, 0 },
	{ M_GET, "/signup", signup_form, 0, 0 },
	{ M_POST, "/signup", signup_post, 0, 0 },
	{ M_GET, "/signin", signin_form, 0, 0 },
	{ M_POST, "/signin", signin_post, 0, 0 },
	{ M_GET, "/signin/code", code_form, 0, 0 },
	{ M_POST, "/signin/code", code_post, 0, 0 },
	{ M_POST, "/signout", signout, 0, 0 },
	{ M_GET, "/password/forgot", forgot_form, 0, 0 },
	{ M_POST, "/password/forgot", forgot_post, 0, 0 },
	{ M_GET, "/password/reset/:token", reset_form, 0, 0 },
	{ M_POST, "/password/reset/:token", reset_post, 0, 0 },
	{ M_GET, "/email/confirm/:token", confirm_form, 0, 0 },
	{ M_POST, "/email/confirm/:token", confirm_post, 0, 0 },
	{ M_GET, "/privacy", privacy_page, 0, 0 },
	{ M_GET, "/terms", terms_page, 0, 0 },
	{ M_GET, "/contact", contact_page, 0, 0 },
	{ M_GET, "/cookies", cookies_page, 0, 0 },
	{ 0, NULL, NULL, 0, 0 }
};

int
main(int argc, char **argv)
{
	return app_main(argc, argv, routes);
}
