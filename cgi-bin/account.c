/* account: a user's own account: profile, name, address, password,
 * notifications, privacy choices (consent.h), "Your data": what we hold
 * about them, with their sessions to sign out, and deleting it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "audit.h"
#include "consent.h"
#include "erase.h"
#include "holds.h"
#include "i18n.h"
#include "mailout.h"
#include "notify.h"
#include "mydata.h"
#include "password.h"
#include "prefs.h"
#include "ratelimit.h"
#include "sessions.h"
#include "throttle.h"
#include "tokens.h"
#include "twofactor.h"
#include "users.h"
#include "qrsvg.h"
#include "timefmt.h"

/* Rows of each list on the "Your data" page (each shows its total). */
#define DATA_ROWS	20

/* As at sign-up (auth.c). */
static const struct field name_fields[] = {
	{ "name", N_("Name"), F_TEXT, 1, 1, 100 },
	{ NULL, NULL, 0, 0, 0, 0 }
};

static const struct field email_fields[] = {
	{ "email", N_("New email"), F_EMAIL, 1, 3, 254 },
	{ "email_current", N_("Current password"), F_PASSWORD, 1, 1,
	    PASSWORD_MAX },
	{ NULL, NULL, 0, 0, 0, 0 }
};



static const struct field password_fields[] = {
	{ "current", N_("Current password"), F_PASSWORD, 1, 1, PASSWORD_MAX },
	{ "password", N_("New password"), F_PASSWORD, 1, PASSWORD_MIN,
	    PASSWORD_MAX },
	{ NULL, NULL, 0, 0, 0, 0 }
};

static const struct fkind queue_views =
    F_ENUM(queue_view_parse, "Choose a queue view from the list.");

/* Preferences: the lists are checked by the model (prefs.h). */
static const struct field prefs_fields[] = {
	{ "lang", "Language", F_TEXT, 0, 0, 16 },
	{ "time_zone", "Time zone", F_TEXT, 0, 0, 64 },
	{ "queue_view", "Default queue view", &queue_views, 1, 0, 0 },
	{ NULL, NULL, 0, 0, 0, 0 }
};

static struct json_object *
option(const char *value, const char *label, int selected)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "value", json_object_new_string(value));
	json_object_object_add(o, "label", json_object_new_string(label));
	json_object_object_add(o, "selected",
	    json_object_new_boolean(selected));
	return o;
}

/* The zones in groups by their region ("America/New_York" under
 * "America"); "UTC" first, on its own. */
static struct json_object *
zone_groups(const char *chosen)
{
	struct json_object *groups = json_object_new_array(), *g = NULL;
	struct json_object *list = NULL;
	char region[64] = "", label[64], *p;
	const char *z, *slash;
	size_t i, n;

	for (i = 0; (z = tz_at(i)) != NULL; i++) {
		if (strcmp(z, "UTC") == 0 || (slash = strchr(z, '/')) == NULL)
			continue;
		n = (size_t)(slash - z);
		if (g == NULL || n >= sizeof(region) ||
		    strncmp(region, z, n) != 0 || region[n] != '\0') {
			snprintf(region, sizeof(region), "%.*s", (int)n, z);
			g = json_object_new_object();
			json_object_object_add(g, "region",
			    json_object_new_string(region));
			list = json_object_new_array();
			json_object_object_add(g, "zones", list);
			json_object_array_add(groups, g);
		}
		/* "America/Argentina/Buenos_Aires": what follows the
		 * region, with spaces for the underscores. */
		snprintf(label, sizeof(label), "%s", slash + 1);
		for (p = label; (p = strchr(p, '_')) != NULL; p++)
			*p = ' ';
		json_object_array_add(list, option(z, label,
		    str_eq(z, chosen)));
	}
	return groups;
}

/*
 * The Preferences form: lang, tz and view as chosen (stored, or typed
 * into a form that was refused). A typed zone not in the list is kept
 * as the selected choice, beside its message.
 */
static void
prefs_ctx(struct json_object *c, const char *lang, const char *tz, int view)
{
	struct json_object *langs = json_object_new_array(), *views;
	struct buf now = BUF_INIT;
	const char *const *l;
	int v;

	if (lang == NULL)
		lang = "";
	if (tz == NULL || *tz == '\0')
		tz = "UTC";
	json_object_array_add(langs, option("", _("Automatic (from your "
	    "browser)"), *lang == '\0'));
	for (l = i18n_available(); *l != NULL; l++)
		json_object_array_add(langs, option(*l, i18n_name(*l) ?
		    i18n_name(*l) : *l, str_eq(*l, lang)));
	json_object_object_add(c, "lang_options", langs);
	json_object_object_add(c, "utc_selected",
	    json_object_new_boolean(str_eq(tz, "UTC")));
	if (!tz_valid(tz))
		ctx_str(c, "typed_zone", tz);
	json_object_object_add(c, "zone_groups", zone_groups(tz));
	views = json_object_new_array();
	for (v = QV_ALL; v < QV__MAX; v++)
		json_object_array_add(views, option(queue_view_name(v),
		    _(queue_view_label(v)), v == view));
	json_object_object_add(c, "queue_views", views);
	/* What the stored zone (this request's) makes of now. */
	time_absolute(&now, time(NULL), 1);
	ctx_str(c, "zone_now", buf_str(&now));
	buf_free(&now);
}

static void
prefs_stored(struct req *r, struct json_object *c)
{
	prefs_ctx(c, r->user->lang, r->user->time_zone,
	    queue_view_of(r->user->queue_view));
}

/* The page's context with the notification settings as stored (left
 * out when they cannot be read: the form that failed is shown anyway). */
static struct json_object *
account_ctx(struct req *r)
{
	struct json_object *c = page_ctx(r), *prefs;

	if ((prefs = notify_prefs(r->user->id)) != NULL)
		json_object_object_add(c, "notify", prefs);
	prefs_stored(r, c);
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
	prefs_stored(r, c);
	return page(r, status, "account", c);
}

/* The refused Preferences form, with what was typed chosen in it. */
static int
prefs_refused(struct req *r, int status, struct form *f)
{
	struct json_object *c = page_ctx(r), *prefs;

	if ((prefs = notify_prefs(r->user->id)) != NULL)
		json_object_object_add(c, "notify", prefs);
	prefs_ctx(c, req_form(r, "lang"), req_form(r, "time_zone"),
	    queue_view_parse(req_form(r, "queue_view")));
	return form_page(r, status, "account", c, f, status == 400 ?
	    _("Please correct the marked fields.") : NULL);
}

/* Language, time zone and queue view: each from its list. */
static int
change_prefs(struct req *r)
{
	const char *lang, *tz;
	enum outcome rc = OK;
	struct form f;

	form_begin(&f);
	form_read(r, prefs_fields, &f);
	lang = req_form(r, "lang");
	tz = req_form(r, "time_zone");
	if (lang != NULL && *lang != '\0' && i18n_name(lang) == NULL)
		form_refuse(&f, "lang", _("Choose a language from the list."));
	if (tz != NULL && *tz != '\0' && !tz_valid(tz))
		form_refuse(&f, "time_zone",
		    _("Choose a time zone from the list."));
	if (f.nerr > 0)
		return prefs_refused(r, 400, &f);
	if (db_begin() == -1)
		rc = db_error();
	if (rc == OK)
		rc = prefs_set(&r->actor, lang, tz,
		    (int)form_int(&f, "queue_view"));
	if (rc == OK && db_commit() == -1)
		rc = db_error();
	if (rc != OK)
		return prefs_refused(r, outcome_status(rc), &f);
	form_end(&f);
	flash(r, FLASH_PREFS_SAVED, 0);
	return redirect(r, "/account");
}

static int
show(struct req *r)
{
	return account_page(r, 200, page_ctx(r));
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
	flash(r, FLASH_NOTIFICATIONS_SAVED, 0);
	return redirect(r, "/account");
}

static int
change_password(struct req *r)
{
	enum outcome rc;
	struct form f;
	char msg[160];

	form_begin(&f);
	if (form_read(r, password_fields, &f) > 0)
		return form_page(r, 400, "account", account_ctx(r), &f,
		    _("Please correct the marked fields."));
	/* Before the current password is checked: this bounds guesses at
	 * it from a session left open, too. */
	if ((rc = limit_check(r, RATE_PASSWORD, msg, sizeof(msg))) != OK)
		return form_page(r, outcome_status(rc), "account",
		    account_ctx(r), &f, rc == E_LIMITED ? msg : NULL);
	/* Only a wrong password is the user's mistake: a database that
	 * cannot tell is a 503 (passwords are never echoed, so no form). */
	rc = user_check_password(r->user->id, req_form(r, "current"));
	if (rc == E_INVALID) {
		form_refuse(&f, "current", _("That is not your current "
		    "password."));
		return form_page(r, 400, "account", account_ctx(r), &f,
		    _("Please correct the marked fields."));
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
	flash(r, FLASH_PASSWORD_CHANGED, 0);
	return redirect(r, "/account");
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
		    _("Please correct the marked fields."));
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
	flash(r, FLASH_NAME_CHANGED, 0);
	return redirect(r, "/account");
}

/* "Your data": what we hold about the signed-in person. */
static int
data_show(struct req *r)
{
	struct twofactor_status tf;
	struct json_object *c, *d, *s;
	long long total;

	if ((d = mydata_load(&r->actor, DATA_ROWS)) == NULL)
		return db_unavailable(r);
	if ((s = session_list(&r->actor, r->session_id, DATA_ROWS,
	    &total)) == NULL) {
		json_object_put(d);
		return db_unavailable(r);
	}
	if (twofactor_status(r->user->id, &tf) != OK) {
		json_object_put(d);
		json_object_put(s);
		return db_unavailable(r);
	}
	c = page_ctx(r);
	ctx_str(c, "title", _("Your data"));
	json_object_object_add(c, "data", d);
	json_object_object_add(c, "two_factor",
	    json_object_new_boolean(tf.enabled));
	ctx_str(c, "two_factor_since", tf.since);
	json_object_object_add(c, "sessions", s);
	json_object_object_add(c, "sessions_total",
	    json_object_new_int64(total));
	json_object_object_add(c, "others", json_object_new_boolean(
	    total > 1));
	return page(r, 200, "account/data", c);
}

/* Signs out one of the person's sessions; another person's is a 404 and
 * stays signed in (sessions.h). This browser's own is signing out. */
/* "Sign out Firefox on Linux?": nothing ended yet. Only a session of
 * the list on the "Your data" page, where the button is. */
static int
session_end_confirm(struct req *r, long long id)
{
	struct json_object *list, *s;
	struct buf q = BUF_INIT;
	struct confirm cf;
	long long total;

	if ((list = session_list(&r->actor, r->session_id, DATA_ROWS,
	    &total)) == NULL)
		return db_unavailable(r);
	if ((s = confirm_row(list, id)) == NULL) {
		json_object_put(list);
		return outcome_page(r, E_NOT_FOUND);
	}
	buf_printf(&q, _("Sign out %s (%s)?"), confirm_str(s, "browser"),
	    confirm_str(s, "ip"));
	cf.question = buf_str(&q);
	cf.consequence = id == r->session_id ? _("This is the browser you are "
	    "using: you will have to sign in again.") : _("Whoever uses that "
	    "browser will have to sign in again.");
	cf.button = _("Sign out that session");
	cf.cancel = "/account/data";
	confirm_page(r, &cf);
	json_object_put(list);
	buf_free(&q);
	return 0;
}

static int
session_end_post(struct req *r)
{
	long long id = req_param_id(r, "id");
	enum outcome rc;

	if (id == 0)
		return outcome_page(r, E_NOT_FOUND);
	if (!confirm_given(r))
		return session_end_confirm(r, id);
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
	flash(r, FLASH_SESSION_ENDED, 0);
	return redirect(r, "/account/data");
}

static int
sessions_end_others(struct req *r)
{
	struct confirm cf = { _("Sign out every other session?"),
	    _("Every browser signed in to your account but this one will have "
	    "to sign in again."), _("Sign out other sessions"), "/account/data"
	    };
	long long n;

	if (!confirm_given(r))
		return confirm_page(r, &cf);
	if (db_begin() == -1 ||
	    session_end_others(&r->actor, r->session_id, &n) != OK ||
	    audit(&r->actor, 0, 0, "user.sessions_end_others", "user",
	    r->user->id) != OK ||
	    db_commit() == -1)
		return db_unavailable(r);
	flash(r, FLASH_SESSIONS_ENDED, 0);
	return redirect(r, "/account/data");
}

/* Too many mails asked for from here or for this address. */
static int
mail_too_many(struct req *r, struct form *f, long long wait)
{
	char secs[24];

	snprintf(secs, sizeof(secs), "%lld", wait);
	resp_header(r, "Retry-After", secs);
	return form_page(r, 429, "account", account_ctx(r), f, _("We sent "
	    "enough mail for now. Wait an hour and try again."));
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

static const char *const cannot_mail = N_("We cannot send mail to this "
    "address: addresses with letters outside ASCII are not supported "
    "yet.");

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
		    _("Please correct the marked fields."));
	email = req_form(r, "email");
	rc = user_check_password(r->user->id, req_form(r, "email_current"));
	if (rc == E_INVALID)
		form_refuse(&f, "email_current", _("That is not your current "
		    "password."));
	else if (rc != OK)
		return form_page(r, outcome_status(rc), "account",
		    account_ctx(r), &f, NULL);
	else if (str_eq(email, r->user->email))
		form_refuse(&f, "email", _("That is your address already."));
	else if ((rc = user_by_email(email, &other)) == OK)
		form_refuse(&f, "email", _("An account with this email already "
		    "exists."));
	else if (rc != E_NOT_FOUND)
		return form_page(r, outcome_status(rc), "account",
		    account_ctx(r), &f, NULL);
	if (f.nerr > 0)
		return form_page(r, 400, "account", account_ctx(r), &f,
		    _("Please correct the marked fields."));
	if ((rc = rate_mail(&r->actor, "confirm", email, &wait)) == E_LIMITED)
		return mail_too_many(r, &f, wait);
	if (rc == OK && db_begin() == -1)
		rc = db_error();
	if (rc == OK)
		rc = confirm_link(r, email, "email-change",
		    _("Confirm your new email address"));
	if (rc == E_INVALID) {
		form_refuse(&f, "email", cannot_mail);
		return form_page(r, 400, "account", account_ctx(r), &f,
		    _("Please correct the marked fields."));
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
	flash(r, FLASH_EMAIL_LINK_SENT, 0);
	return redirect(r, "/account");
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
		flash(r, FLASH_EMAIL_CONFIRMED, 0);
		return redirect(r, "/account");
	}
	rc = rate_mail(&r->actor, "confirm", r->user->email, &wait);
	if (rc == E_LIMITED)
		return mail_too_many(r, &f, wait);
	if (rc == OK && db_begin() == -1)
		rc = db_error();
	if (rc == OK)
		rc = confirm_link(r, r->user->email, "confirm",
		    _("Confirm your email address"));
	if (rc == E_INVALID)
		return form_page(r, 400, "account", account_ctx(r), &f,
		    cannot_mail);
	if (rc == OK && db_commit() == -1)
		rc = db_error();
	if (rc != OK)
		return form_page(r, outcome_status(rc), "account",
		    account_ctx(r), &f, NULL);
	form_end(&f);
	flash(r, FLASH_CONFIRM_RESENT, 0);
	return redirect(r, "/account");
}

/* ---- privacy choices: optional processing, off until granted --------- */

static const struct fkind purposes = F_ENUM(purpose_parse,
    N_("Choose one of the listed purposes."));

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
		return error_page(r, 400, _("Choose one of the listed "
		    "purposes."));
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
	flash(r, granted ? FLASH_CONSENT_GRANTED : FLASH_CONSENT_WITHDRAWN, 0);
	return redirect(r, "/account/privacy");
}

static const struct field delete_fields[] = {
	{ "current", N_("Your password"), F_PASSWORD, 1, 1, PASSWORD_MAX },
	{ NULL, NULL, 0, 0, 0, 0 }
};

/*
 * The deletion page's context: the workspaces that stop it (the only
 * admin where others are members) and those deleted with it (the only
 * member), and whether a password or a mailed link confirms it. NULL on
 * a database error.
 */
static struct json_object *
delete_ctx(struct req *r)
{
	struct json_object *c, *blocked, *solo, *kept;
	int has;

	if (erase_plan(r->user->id, &blocked, &solo) != OK)
		return NULL;
	if (user_has_password(r->user->id, &has) != OK ||
	    (kept = hold_for_person(r->user->id)) == NULL) {
		json_object_put(blocked);
		json_object_put(solo);
		return NULL;
	}
	c = page_ctx(r);
	ctx_str(c, "title", _("Delete your account"));
	json_object_object_add(c, "blocked", blocked);
	json_object_object_add(c, "solo", solo);
	json_object_object_add(c, "has_password",
	    json_object_new_boolean(has));
	/* What legal holds will keep, and why (holds.h). */
	json_object_object_add(c, "kept", kept);
	return c;
}

static int
delete_form(struct req *r)
{
	struct json_object *c;

	if ((c = delete_ctx(r)) == NULL)
		return db_unavailable(r);
	if (str_eq(req_query(r, "sent"), "1"))
		ctx_str(c, "notice", _("We sent the link to your address. "
		    "Open it in this browser to delete the account."));
	return page(r, 200, "account/delete", c);
}

/*
 * Erases r's account in one transaction and signs this browser out (the
 * erasure deleted every session row; the cookie goes too). 1 when done;
 * 0 when a page is set (the sole-admin page, 409, or a database error).
 * With token, the mailed link is used up in the same transaction.
 */
static int
delete_now(struct req *r, const char *token, struct json_object **kept)
{
	struct json_object *c;
	enum outcome rc;
	long long uid;
	char *email = NULL;

	*kept = NULL;
	if (db_begin() == -1) {
		db_unavailable(r);
		return 0;
	}
	rc = OK;
	if (token != NULL) {
		rc = token_find(TOKEN_DELETE, token, 1, &uid, &email);
		free(email);
		if (rc == OK && uid != r->user->id)
			rc = E_NOT_FOUND;
	}
	/* What legal holds keep, read in the erasure's transaction, before
	 * the memberships it names workspaces by are gone. */
	if (rc == OK && (*kept = hold_for_person(r->user->id)) == NULL)
		rc = E_DB;
	if (rc == OK)
		rc = user_erase(&r->actor, r->user->id);
	if (rc == OK && db_commit() == -1)
		rc = db_error();
	if (rc != OK) {
		json_object_put(*kept);
		*kept = NULL;
	}
	if (rc == E_LAST_ADMIN) {
		db_rollback();
		if ((c = delete_ctx(r)) == NULL)
			db_unavailable(r);
		else
			page(r, 409, "account/delete", c);
		return 0;
	}
	if (rc != OK) {
		outcome_page(r, rc);
		return 0;
	}
	r->session_id = 0;	/* its row went with the account */
	session_end(r);
	/* "This browser signed in to this account before": no account. */
	resp_cookie(r, DEVICE_COOKIE, "", 0);
	return 1;
}

/*
 * After the erasure: signed out. When legal holds kept something, this
 * answer is the page that says what and why (the person can look it up
 * nowhere afterwards); otherwise the plain page, by redirect.
 */
static int
deleted_page(struct req *r, struct json_object *kept)
{
	struct json_object *c;

	if (json_object_array_length(kept) == 0) {
		json_object_put(kept);
		return redirect(r, "/account/deleted");
	}
	/* Signed out: the page is a visitor's. */
	free(r->user->name);
	free(r->user->email);
	free(r->user);
	r->user = NULL;
	c = page_ctx(r);
	ctx_str(c, "title", _("Account deleted"));
	json_object_object_add(c, "kept", kept);
	return page(r, 200, "account/deleted", c);
}

static int
delete_post(struct req *r)
{
	struct json_object *c, *kept;
	enum outcome rc;
	struct form f;

	form_begin(&f);
	if (form_read(r, delete_fields, &f) == 0) {
		rc = user_check_password(r->user->id, req_form(r, "current"));
		if (rc == E_INVALID)
			form_refuse(&f, "current", _("That is not your "
			    "password."));
		else if (rc != OK) {
			form_end(&f);
			return outcome_page(r, rc);
		}
	}
	if (f.nerr > 0) {
		if ((c = delete_ctx(r)) == NULL) {
			form_end(&f);
			return db_unavailable(r);
		}
		return form_page(r, 400, "account/delete", c, &f,
		    _("Your account was not deleted."));
	}
	form_end(&f);
	if (!delete_now(r, NULL, &kept))
		return 0;
	return deleted_page(r, kept);
}

/* An account without a password confirms its deletion by a link mailed
 * to its address, throttled like every mail a visitor can ask for. */
static int
delete_mail(struct req *r)
{
	char tok[TOKEN_HEX + 1], path[96], secs[24];
	struct json_object *c;
	enum outcome rc;
	long long wait;
	char *link;

	rc = rate_mail(&r->actor, "delete", r->user->email, &wait);
	if (rc == E_LIMITED) {
		snprintf(secs, sizeof(secs), "%lld", wait);
		resp_header(r, "Retry-After", secs);
		return error_page(r, 429, _("We sent enough mail for now. Wait "
		    "an hour and try again."));
	}
	if (rc == OK && db_begin() == -1)
		rc = db_error();
	if (rc == OK)
		rc = token_issue(TOKEN_DELETE, r->user->id, r->user->email,
		    cfg.confirm_ttl, tok);
	if (rc == OK) {
		snprintf(path, sizeof(path), "/account/delete/link/%s", tok);
		if ((link = mail_link(path)) == NULL)
			rc = E_INVALID;
		else {
			c = json_object_new_object();
			ctx_str(c, "name", r->user->name);
			ctx_str(c, "link", link);
			json_object_object_add(c, "hours",
			    json_object_new_int64(cfg.confirm_ttl / 3600));
			free(link);
			rc = mail_send("account.delete", "account-delete",
			    r->user->email, r->user->name,
			    _("Delete your account"), c);
		}
	}
	if (rc == E_INVALID) {
		db_rollback();
		return error_page(r, 400, cannot_mail);
	}
	if (rc == OK)
		rc = audit(&r->actor, 0, 0, "user.delete_request", "user",
		    r->user->id);
	if (rc == OK && db_commit() == -1)
		rc = db_error();
	if (rc != OK)
		return outcome_page(r, rc);
	return redirect(r, "/account/delete?sent=1");
}

/* The mailed link: the same page, confirmed with one button, in a
 * browser signed in to the account the link was sent for. */
static int
delete_link(struct req *r)
{
	const char *token = req_param(r, "token");
	struct json_object *c;
	struct buf action = BUF_INIT;
	enum outcome rc;
	long long uid;
	char *email;

	rc = token_find(TOKEN_DELETE, token, 0, &uid, &email);
	free(email);
	if (rc == OK && uid != r->user->id)
		rc = E_NOT_FOUND;
	if (rc != OK)
		return outcome_page(r, rc);
	if ((c = delete_ctx(r)) == NULL)
		return db_unavailable(r);
	buf_puts(&action, "/account/delete/link/");
	buf_puts(&action, token);	/* token_find checked: hex digits */
	ctx_str(c, "link_action", buf_str(&action));
	buf_free(&action);
	return page(r, 200, "account/delete", c);
}

static int
delete_link_post(struct req *r)
{
	struct json_object *kept;

	if (!delete_now(r, req_param(r, "token"), &kept))
		return 0;
	return deleted_page(r, kept);
}

/* After deletion: signed out, nothing to look up. */
static int
deleted(struct req *r)
{
	struct json_object *c = page_ctx(r);

	ctx_str(c, "title", _("Account deleted"));
	return page(r, 200, "account/deleted", c);
}

/* ---- two-factor sign-in (twofactor.h) ----------------------------------- */

static const struct field tf_confirm_fields[] = {
	{ "code", N_("Code"), F_TEXT, 1, 1, 20 },
	{ NULL, NULL, 0, 0, 0, 0 }
};

static const struct field tf_remove_fields[] = {
	{ "password", N_("Password"), F_PASSWORD, 1, 1, PASSWORD_MAX },
	{ "code", N_("Code"), F_TEXT, 1, 1, 40 },
	{ NULL, NULL, 0, 0, 0, 0 }
};


/*
 * The two-factor page's context: the state, and while enrolment waits,
 * the QR code and the secret (never once it is on). NULL on a database
 * error.
 */
static struct json_object *
tf_ctx(struct req *r)
{
	struct json_object *c, *o;
	struct twofactor_status st;
	char *group = NULL, *uri = NULL, *svg;

	if (twofactor_status(r->user->id, &st) != OK)
		return NULL;
	if (st.pending && twofactor_pending(&r->actor, &group, &uri) == E_DB)
		return NULL;
	c = page_ctx(r);
	ctx_str(c, "title", _("Two-factor sign-in"));
	o = json_object_new_object();
	json_object_object_add(o, "enabled",
	    json_object_new_boolean(st.enabled));
	ctx_str(o, "since", st.since);
	json_object_object_add(o, "recovery_left",
	    json_object_new_int64(st.recovery_left));
	if (group != NULL && (svg = qr_svg(uri, _("QR code of your "
	    "authenticator secret"))) != NULL) {
		json_object_object_add(o, "pending",
		    json_object_new_boolean(1));
		ctx_str(o, "secret", group);
		ctx_str(o, "qr", svg);
		free(svg);
	}
	free(group);
	free(uri);
	json_object_object_add(c, "tf", o);
	return c;
}

static int
tf_show(struct req *r)
{
	struct json_object *c;

	if ((c = tf_ctx(r)) == NULL)
		return db_unavailable(r);
	return page(r, 200, "account/2fa", c);
}

/* A new secret, waiting for its first code; the page then shows it. */
static int
tf_setup(struct req *r)
{
	enum outcome rc;

	if (db_begin() == -1)
		return db_unavailable(r);
	if ((rc = twofactor_begin(&r->actor)) == E_CONFLICT) {
		db_rollback();
		return redirect(r, "/account/2fa");
	}
	if (rc != OK || db_commit() == -1)
		return db_unavailable(r);
	return redirect(r, "/account/2fa");
}

/* The first code turns it on; the recovery codes are shown this once. */
static int
tf_confirm(struct req *r)
{
	char codes[RECOVERY_CODES][RECOVERY_LEN + 1];
	struct json_object *c, *list;
	enum outcome rc;
	struct form f;
	int i;

	form_begin(&f);
	if (form_read(r, tf_confirm_fields, &f) > 0)
		goto refuse;
	if (db_begin() == -1)
		return db_unavailable(r);
	rc = twofactor_confirm(&r->actor, req_form(r, "code"), codes);
	if (rc == E_INVALID) {
		db_rollback();
		form_refuse(&f, "code", _("That is not the code your app shows "
		    "now. Check the time on your phone and try the next "
		    "code."));
		goto refuse;
	}
	if (rc == E_NOT_FOUND) {
		db_rollback();
		form_end(&f);
		return redirect(r, "/account/2fa");
	}
	if (rc != OK || db_commit() == -1)
		return db_unavailable(r);
	form_end(&f);
	c = page_ctx(r);
	ctx_str(c, "title", _("Your recovery codes"));
	list = json_object_new_array();
	for (i = 0; i < RECOVERY_CODES; i++) {
		struct json_object *o = json_object_new_object();

		ctx_str(o, "code", codes[i]);
		json_object_array_add(list, o);
	}
	explicit_bzero(codes, sizeof(codes));
	json_object_object_add(c, "codes", list);
	/* Shown once (every page is Cache-Control: no-store). */
	return page(r, 200, "account/2fa-codes", c);
refuse:
	if ((c = tf_ctx(r)) == NULL)
		return db_unavailable(r);
	return form_page(r, 400, "account/2fa", c, &f,
	    _("Two-factor sign-in is not on yet."));
}

/* Off, with the password and a current or recovery code, throttled like
 * sign-in: a stolen session alone cannot turn it off. */
static int
tf_remove(struct req *r)
{
	struct json_object *c;
	enum outcome rc;
	long long wait;
	struct form f;
	int recovery;
	char secs[24];

	form_begin(&f);
	if (form_read(r, tf_remove_fields, &f) > 0)
		goto refuse;
	if ((rc = throttle_check(&r->actor, r->user->email, &wait)) ==
	    E_LIMITED) {
		form_end(&f);
		snprintf(secs, sizeof(secs), "%lld", wait);
		resp_header(r, "Retry-After", secs);
		return error_page(r, 429, _("Too many wrong passwords or "
		    "codes. Wait a minute and try again."));
	}
	if (rc != OK)
		return outcome_page(r, rc);
	rc = user_check_password(r->user->id, req_form(r, "password"));
	if (rc == E_INVALID) {
		throttle_fail(&r->actor, r->user->email);
		audit(&r->actor, 0, 0, "2fa.fail", "user", r->user->id);
		form_refuse(&f, "password", _("That is not your password."));
		goto refuse;
	}
	if (rc != OK)
		return outcome_page(r, rc);
	if (db_begin() == -1)
		return db_unavailable(r);
	rc = twofactor_check(&r->actor, r->user->id, req_form(r, "code"),
	    &recovery);
	if (rc == E_INVALID) {
		if (db_commit() == -1)
			return db_unavailable(r);
		throttle_fail(&r->actor, r->user->email);
		form_refuse(&f, "code", _("That code is not right, or was used "
		    "already."));
		goto refuse;
	}
	if (rc == E_NOT_FOUND) {
		db_rollback();
		form_end(&f);
		return redirect(r, "/account/2fa");
	}
	if (rc != OK || twofactor_remove(&r->actor, r->user->id) != OK ||
	    db_commit() == -1)
		return db_unavailable(r);
	form_end(&f);
	flash(r, FLASH_2FA_REMOVED, 0);
	return redirect(r, "/account/2fa");
refuse:
	if ((c = tf_ctx(r)) == NULL)
		return db_unavailable(r);
	return form_page(r, 400, "account/2fa", c, &f,
	    _("Two-factor sign-in is still on."));
}

static const struct route routes[] = {
	{ M_GET, "/account", show, R_AUTH, 0 },
	{ M_POST, "/account/password", change_password, R_AUTH, 0 },
	{ M_POST, "/account/email", change_email, R_AUTH, 0 },
	{ M_POST, "/account/confirm", resend, R_AUTH, 0 },
	{ M_POST, "/account/notifications", change_notifications, R_AUTH, 0 },
	{ M_POST, "/account/preferences", change_prefs, R_AUTH, 0 },
	{ M_POST, "/account/name", change_name, R_AUTH, 0 },
	{ M_GET, "/account/data", data_show, R_AUTH, 0 },
	{ M_POST, "/account/sessions/others", sessions_end_others, R_AUTH, 0 },
	{ M_POST, "/account/sessions/:id/end", session_end_post, R_AUTH, 0 },
	{ M_GET, "/account/privacy", privacy_choices, R_AUTH, 0 },
	{ M_POST, "/account/privacy", privacy_choice_post, R_AUTH, 0 },
	{ M_GET, "/account/delete", delete_form, R_AUTH, 0 },
	{ M_POST, "/account/delete", delete_post, R_AUTH, 0 },
	{ M_POST, "/account/delete/mail", delete_mail, R_AUTH, 0 },
	{ M_GET, "/account/delete/link/:token", delete_link, R_AUTH, 0 },
	{ M_POST, "/account/delete/link/:token", delete_link_post, R_AUTH, 0 },
	{ M_GET, "/account/deleted", deleted, 0, 0 },
	{ M_GET, "/account/2fa", tf_show, R_AUTH, 0 },
	{ M_POST, "/account/2fa/setup", tf_setup, R_AUTH, 0 },
	{ M_POST, "/account/2fa/confirm", tf_confirm, R_AUTH, 0 },
	{ M_POST, "/account/2fa/remove", tf_remove, R_AUTH, 0 },
	{ 0, NULL, NULL, 0, 0 }
};

int
main(int argc, char **argv)
{
	return app_main(argc, argv, routes);
}
