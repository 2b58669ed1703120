/* account: a user's own account: profile, name, address, password,
 * notifications, privacy choices (consent.h), and "Your data": what we
 * hold about them, with their sessions to sign out. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "audit.h"
#include "consent.h"
#include "mailout.h"
#include "notify.h"
#include "mydata.h"
#include "password.h"
#include "ratelimit.h"
#include "sessions.h"
#include "tokens.h"
#include "users.h"

/* Rows of each list on the "Your data" page (each shows its total). */
#define DATA_ROWS	20

/* As at sign-up (auth.c). */
static const struct field name_fields[] = {
	{ "name", "Name", F_TEXT, 1, 1, 100 },
	{ NULL, NULL, 0, 0, 0, 0 }
};

static const struct field email_fields[] = {
	{ "email", "New email", F_EMAIL, 1, 3, 254 },
	{ "email_current", "Current password", F_PASSWORD, 1, 1,
	    PASSWORD_MAX },
	{ NULL, NULL, 0, 0, 0, 0 }
};

/* What ?done= says on the account page after a change. */
static const struct {
	const char	*done;
	const char	*text;
} notices[] = {
	{ "password", "Your password was changed. Other sessions were "
	    "signed out." },
	{ "reset", "Your new password is set. Every other session of the "
	    "account was signed out." },
	{ "confirmed", "Your email address is confirmed." },
	{ "email", "We sent a link to your new address. Your address "
	    "changes when you open it." },
	{ "resent", "We sent a new confirmation link to your address." },
	{ "notifications", "Your notification settings were saved." },
	{ "name", "Your name was changed." },
};

/* What ?done= says on the "Your data" page. */
static const struct {
	const char	*done;
	const char	*text;
} data_notices[] = {
	{ "ended", "That session was signed out." },
	{ "others", "Every other session was signed out." },
};

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
	size_t i;

	for (i = 0; i < nitems(notices); i++)
		if (str_eq(req_query(r, "done"), notices[i].done))
			ctx_str(c, "notice", notices[i].text);
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

/* A correction of one's name, checked as at sign-up. */
static int
change_name(struct req *r)
{
	enum outcome rc = OK;
	struct form f;

	form_begin(&f);
	if (form_read(r, name_fields, &f) > 0)
		return form_page(r, 400, "account", account_ctx(r), &f,
		    "Please correct the marked fields.");
	if (db_begin() == -1)
		rc = db_error();
	if (rc == OK)
		rc = user_set_name(r->user->id, req_form(r, "name"));
	if (rc == OK)
		rc = audit(&r->actor, 0, 0, "user.name_change", "user",
		    r->user->id);
	if (rc == OK && db_commit() == -1)
		rc = db_error();
	if (rc != OK)
		return form_page(r, outcome_status(rc), "account",
		    account_ctx(r), &f, NULL);
	form_end(&f);
	return redirect(r, "/account?done=name");
}

/* "Your data": what we hold about the signed-in person. */
static int
data_show(struct req *r)
{
	struct json_object *c, *d, *s;
	long long total;
	size_t i;

	if ((d = mydata_load(&r->actor, DATA_ROWS)) == NULL)
		return db_unavailable(r);
	if ((s = session_list(&r->actor, r->session_id, DATA_ROWS,
	    &total)) == NULL) {
		json_object_put(d);
		return db_unavailable(r);
	}
	c = page_ctx(r);
	ctx_str(c, "title", "Your data");
	json_object_object_add(c, "data", d);
	json_object_object_add(c, "sessions", s);
	json_object_object_add(c, "sessions_total",
	    json_object_new_int64(total));
	json_object_object_add(c, "others", json_object_new_boolean(
	    total > 1));
	for (i = 0; i < nitems(data_notices); i++)
		if (str_eq(req_query(r, "done"), data_notices[i].done))
			ctx_str(c, "notice", data_notices[i].text);
	return page(r, 200, "account/data", c);
}

/* Signs out one of the person's sessions; another person's is a 404 and
 * stays signed in (sessions.h). This browser's own is signing out. */
static int
session_end_post(struct req *r)
{
	long long id = req_param_id(r, "id");
	enum outcome rc;

	if (id == 0)
		return outcome_page(r, E_NOT_FOUND);
	if (db_begin() == -1)
		return db_unavailable(r);
	if ((rc = session_end_one(&r->actor, id)) != OK)
		return outcome_page(r, rc);
	if ((rc = audit(&r->actor, 0, 0, "user.session_end", "session",
	    id)) != OK || db_commit() == -1)
		return db_unavailable(r);
	if (id == r->session_id) {
		/* The row is gone: the cookie goes too. */
		r->session_id = 0;
		if (session_end(r) == -1)
			return db_unavailable(r);
		return redirect(r, "/signin");
	}
	return redirect(r, "/account/data?done=ended");
}

static int
sessions_end_others(struct req *r)
{
	long long n;

	if (db_begin() == -1 ||
	    session_end_others(&r->actor, r->session_id, &n) != OK ||
	    audit(&r->actor, 0, 0, "user.sessions_end_others", "user",
	    r->user->id) != OK ||
	    db_commit() == -1)
		return db_unavailable(r);
	return redirect(r, "/account/data?done=others");
}

/* Too many mails asked for from here or for this address. */
static int
mail_too_many(struct req *r, struct form *f, long long wait)
{
	char secs[24];

	snprintf(secs, sizeof(secs), "%lld", wait);
	resp_header(r, "Retry-After", secs);
	return form_page(r, 429, "account", account_ctx(r), f, "We sent enough "
	    "mail for now. Wait an hour and try again.");
}

/*
 * In a transaction: a confirmation link for r's account and the address
 * email, mailed there (tmpl: "confirm" for its own address,
 * "email-change" for a new one). OK; E_INVALID when no mail can be sent
 * to it (the form says so); E_DB, E_DB_UNKNOWN.
 */
static enum outcome
confirm_link(struct req *r, const char *email, const char *tmpl,
    const char *subject)
{
	char tok[TOKEN_HEX + 1], path[96];
	struct json_object *c;
	enum outcome rc;
	char *link;

	if ((rc = token_issue(TOKEN_CONFIRM, r->user->id, email,
	    cfg.confirm_ttl, tok)) != OK)
		return rc;
	snprintf(path, sizeof(path), "/email/confirm/%s", tok);
	if ((link = mail_link(path)) == NULL)
		return E_INVALID;
	c = json_object_new_object();
	ctx_str(c, "name", r->user->name);
	ctx_str(c, "old_email", r->user->email);
	ctx_str(c, "link", link);
	json_object_object_add(c, "hours",
	    json_object_new_int64(cfg.confirm_ttl / 3600));
	free(link);
	return mail_send(str_eq(tmpl, "confirm") ? "email.confirm" :
	    "email.change", tmpl, email, r->user->name, subject, c);
}

static const char *const cannot_mail = "We cannot send mail to this "
    "address: addresses with letters outside ASCII are not supported "
    "yet.";

/*
 * A new address takes effect only when a link mailed to it is opened
 * (auth.c, /email/confirm/TOKEN); until then the account keeps its old
 * one. The current password is asked, as for a new password.
 */
static int
change_email(struct req *r)
{
	const char *email;
	long long other, wait;
	enum outcome rc;
	struct form f;

	form_begin(&f);
	if (form_read(r, email_fields, &f) > 0)
		return form_page(r, 400, "account", account_ctx(r), &f,
		    "Please correct the marked fields.");
	email = req_form(r, "email");
	rc = user_check_password(r->user->id, req_form(r, "email_current"));
	if (rc == E_INVALID)
		form_refuse(&f, "email_current", "That is not your current "
		    "password.");
	else if (rc != OK)
		return form_page(r, outcome_status(rc), "account",
		    account_ctx(r), &f, NULL);
	else if (str_eq(email, r->user->email))
		form_refuse(&f, "email", "That is your address already.");
	else if ((rc = user_by_email(email, &other)) == OK)
		form_refuse(&f, "email", "An account with this email already "
		    "exists.");
	else if (rc != E_NOT_FOUND)
		return form_page(r, outcome_status(rc), "account",
		    account_ctx(r), &f, NULL);
	if (f.nerr > 0)
		return form_page(r, 400, "account", account_ctx(r), &f,
		    "Please correct the marked fields.");
	if ((rc = rate_mail(&r->actor, "confirm", email, &wait)) == E_LIMITED)
		return mail_too_many(r, &f, wait);
	if (rc == OK && db_begin() == -1)
		rc = db_error();
	if (rc == OK)
		rc = confirm_link(r, email, "email-change",
		    "Confirm your new email address");
	if (rc == E_INVALID) {
		form_refuse(&f, "email", cannot_mail);
		return form_page(r, 400, "account", account_ctx(r), &f,
		    "Please correct the marked fields.");
	}
	if (rc == OK)
		rc = audit(&r->actor, 0, 0, "user.email_change_request",
		    "user", r->user->id);
	if (rc == OK && db_commit() == -1)
		rc = db_error();
	if (rc != OK)
		return form_page(r, outcome_status(rc), "account",
		    account_ctx(r), &f, NULL);
	form_end(&f);
	return redirect(r, "/account?done=email");
}

/* A new confirmation link for the account's own address, throttled like
 * every mail a visitor can ask for. */
static int
resend(struct req *r)
{
	enum outcome rc;
	long long wait;
	struct form f;

	form_begin(&f);
	if (r->user->confirmed) {
		form_end(&f);
		return redirect(r, "/account?done=confirmed");
	}
	rc = rate_mail(&r->actor, "confirm", r->user->email, &wait);
	if (rc == E_LIMITED)
		return mail_too_many(r, &f, wait);
	if (rc == OK && db_begin() == -1)
		rc = db_error();
	if (rc == OK)
		rc = confirm_link(r, r->user->email, "confirm",
		    "Confirm your email address");
	if (rc == E_INVALID)
		return form_page(r, 400, "account", account_ctx(r), &f,
		    cannot_mail);
	if (rc == OK && db_commit() == -1)
		rc = db_error();
	if (rc != OK)
		return form_page(r, outcome_status(rc), "account",
		    account_ctx(r), &f, NULL);
	form_end(&f);
	return redirect(r, "/account?done=resent");
}

/* ---- privacy choices: optional processing, off until granted --------- */

static const struct fkind purposes = F_ENUM(purpose_parse,
    "Choose one of the listed purposes.");

static const struct field consent_fields[] = {
	{ "purpose", NULL, &purposes, 1, 0, 0 },
	{ "granted", NULL, F_INT, 1, 0, 1 },
	{ NULL, NULL, 0, 0, 0, 0 }
};

static int
privacy_choices(struct req *r)
{
	struct json_object *c = page_ctx(r), *state, *history;

	if ((state = consent_state(r->user->id)) == NULL ||
	    (history = consent_history(r->user->id)) == NULL) {
		json_object_put(state);
		json_object_put(c);
		return db_unavailable(r);
	}
	json_object_object_add(c, "purposes", state);
	json_object_object_add(c, "history", history);
	ctx_str(c, "version", cfg.policy_version);
	if (str_eq(req_query(r, "done"), "granted"))
		ctx_str(c, "notice", "Thank you: your choice is saved.");
	else if (str_eq(req_query(r, "done"), "withdrawn"))
		ctx_str(c, "notice", "Withdrawn: we no longer do this.");
	return page(r, 200, "account/privacy", c);
}

/* One grant or withdrawal: a row of the history and its audit row. */
static int
privacy_choice_post(struct req *r)
{
	struct form f;
	int granted;

	form_begin(&f);
	if (form_read(r, consent_fields, &f) > 0) {
		form_end(&f);
		return error_page(r, 400, "Choose one of the listed "
		    "purposes.");
	}
	granted = form_int(&f, "granted") == 1;
	if (db_begin() == -1 ||
	    consent_set(&r->actor, (enum purpose)form_int(&f, "purpose"),
	    granted) != OK ||
	    db_commit() == -1) {
		form_end(&f);
		return db_unavailable(r);
	}
	form_end(&f);
	return redirect(r, granted ? "/account/privacy?done=granted" :
	    "/account/privacy?done=withdrawn");
}

static const struct route routes[] = {
	{ M_GET, "/account", show, R_AUTH, 0 },
	{ M_POST, "/account/password", change_password, R_AUTH, 0 },
	{ M_POST, "/account/email", change_email, R_AUTH, 0 },
	{ M_POST, "/account/confirm", resend, R_AUTH, 0 },
	{ M_POST, "/account/notifications", change_notifications, R_AUTH, 0 },
	{ M_POST, "/account/name", change_name, R_AUTH, 0 },
	{ M_GET, "/account/data", data_show, R_AUTH, 0 },
	{ M_POST, "/account/sessions/others", sessions_end_others, R_AUTH, 0 },
	{ M_POST, "/account/sessions/:id/end", session_end_post, R_AUTH, 0 },
	{ M_GET, "/account/privacy", privacy_choices, R_AUTH, 0 },
	{ M_POST, "/account/privacy", privacy_choice_post, R_AUTH, 0 },
	{ 0, NULL, NULL, 0, 0 }
};

int
main(int argc, char **argv)
{
	return app_main(argc, argv, routes);
}
