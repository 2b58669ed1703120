/*
 * response: status, headers and body, and the pages built from templates.
 * Every response, error pages included, carries the security headers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attachments.h"
#include "authz.h"
#include "config.h"
#include "cookies.h"
#include "db.h"
#include "flash.h"
#include "form.h"
#include "http.h"
#include "i18n.h"
#include "io.h"
#include "lang.h"
#include "log.h"
#include "policy.h"
#include "response.h"
#include "session.h"
#include "tmpl.h"
#include "util.h"
#include "workspaces.h"

/* No inline script or style anywhere: templates link static files. */
static const char *const security_headers[][2] = {
	{ "Content-Security-Policy", "default-src 'self'; script-src 'self'; "
	    "style-src 'self'; img-src 'self' data:; object-src 'none'; "
	    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'" },
	{ "X-Content-Type-Options", "nosniff" },
	{ "X-Frame-Options", "DENY" },
	{ "Referrer-Policy", "same-origin" },
	{ "Cross-Origin-Opener-Policy", "same-origin" },
	{ "Permissions-Policy", "camera=(), microphone=(), geolocation=()" },
};

const char *
status_text(int status)
{
	switch (status) {
	case 200: return "OK";
	case 201: return N_("Created");
	case 204: return N_("No Content");
	case 303: return N_("See Other");
	case 304: return N_("Not Modified");
	case 400: return N_("Bad Request");
	case 403: return N_("Forbidden");
	case 404: return N_("Not Found");
	case 405: return N_("Method Not Allowed");
	case 409: return N_("Conflict");
	case 410: return N_("Gone");
	case 413: return N_("Content Too Large");
	case 422: return N_("Unprocessable Content");
	case 429: return N_("Too Many Requests");
	case 500: return N_("Internal Server Error");
	case 503: return N_("Service Unavailable");
	default: return _("Unknown");
	}
}

/* Header values never carry CR or LF: no response splitting. */
static int
header_safe(const char *s)
{
	return strpbrk(s, "\r\n") == NULL;
}

void
resp_header(struct req *r, const char *name, const char *value)
{
	if (!header_safe(name) || !header_safe(value)) {
		log_err("refused a header with CR/LF: %s", name);
		return;
	}
	kv_add(&r->headers, name, strlen(name), value, strlen(value));
}

static int
cookie_secure(const struct req *r)
{
	if (strcmp(cfg.cookie_secure, "always") == 0)
		return 1;
	if (strcmp(cfg.cookie_secure, "never") == 0)
		return 0;
	return r->https;
}

void
resp_cookie(struct req *r, const char *name, const char *value,
    long long max_age)
{
	struct buf b = BUF_INIT;

	/* The cookies page lists every cookie we set: one not in its
	 * registry is a bug, never a cookie. */
	if (cookie_find(name) == NULL) {
		log_err("refused to set cookie %s: not in lib/web/cookies.c",
		    name);
		return;
	}
	buf_printf(&b, "%s=%s; Path=/; HttpOnly; SameSite=Lax", name, value);
	if (max_age >= 0)
		buf_printf(&b, "; Max-Age=%lld", max_age);
	if (cookie_secure(r))
		buf_puts(&b, "; Secure");
	resp_header(r, "Set-Cookie", buf_str(&b));
	buf_free(&b);
}

/* The workspace as templates see it: names, role, and what the caller may
 * do, so a page shows only the links and forms that will work. */
static struct json_object *
ws_json(struct req *r)
{
	struct json_object *w = json_object_new_object();
	static const struct { const char *key; enum perm p; } flags[] = {
		{ "can_view_all", P_TICKET_VIEW_ALL },
		{ "can_triage", P_TICKET_TRIAGE },
		{ "can_note", P_NOTE },
		{ "can_members", P_MEMBERS },
		{ "can_settings", P_SETTINGS },
		{ "can_audit", P_AUDIT },
		{ "can_holds", P_HOLDS },
	};
	size_t i;

	json_object_object_add(w, "id", json_object_new_int64(r->ws->id));
	json_object_object_add(w, "slug", json_object_new_string(r->ws->slug));
	json_object_object_add(w, "name", json_object_new_string(r->ws->name));
	json_object_object_add(w, "role",
	    json_object_new_string(role_name(r->actor.role)));
	for (i = 0; i < nitems(flags); i++)
		json_object_object_add(w, flags[i].key,
		    json_object_new_boolean(can(r, flags[i].p)));
	return w;
}

/*
 * The policy changed since this person last accepted it or saw its
 * notice: the page says so (layout.html), once, and that it did is
 * recorded. Only on a page that is read (GET), never inside a write's
 * transaction, and once the actor is built (not on the core's own error
 * pages, which come before it); if the record fails, the notice shows
 * again next time.
 */
static void
policy_notice(struct req *r, struct json_object *c)
{
	if (r->user->policy_seen || r->method != M_GET ||
	    r->actor.user_id != r->user->id || db_in_transaction())
		return;
	if (policy_notice_shown(&r->actor) != OK)
		return;
	r->user->policy_seen = 1;
	json_object_object_add(c, "policy_notice",
	    json_object_new_string(cfg.policy_version));
}

struct json_object *
page_ctx(struct req *r)
{
	struct json_object *c = json_object_new_object();

	json_object_object_add(c, "csrf",
	    json_object_new_string(csrf_token(r)));
	if (r->user) {
		struct json_object *u = json_object_new_object();

		json_object_object_add(u, "id",
		    json_object_new_int64(r->user->id));
		json_object_object_add(u, "name",
		    json_object_new_string(r->user->name));
		json_object_object_add(u, "email",
		    json_object_new_string(r->user->email));
		json_object_object_add(u, "confirmed",
		    json_object_new_boolean(r->user->confirmed));
		json_object_object_add(c, "user", u);
		policy_notice(r, c);
	}
	if (r->ws) {
		json_object_object_add(c, "ws", ws_json(r));
		/* For partials/upload-limits: the forms with a file input
		 * are all in a workspace. */
		json_object_object_add(c, "upload", upload_limits());
	}
	return c;
}

/*
 * A page's title when its handler gave none: the layout shows it first in
 * <title>, then the workspace and the product, so a tab, a bookmark and a
 * screen reader say where this is ("New ticket · Acme Support ·
 * Helpdesk"). A handler sets "title" for a page whose title depends on
 * what it shows (a ticket's number and subject).
 */
static const char *
default_title(const char *tmpl)
{
	static const struct {
		const char	*tmpl, *title;
	} titles[] = {
		{ "account", N_("Your account") },
		{ "account/2fa", N_("Two-factor sign-in") },
		{ "account/2fa-codes", N_("Your recovery codes") },
		{ "account/data", N_("Your data") },
		{ "account/delete", N_("Delete your account") },
		{ "account/deleted", N_("Account deleted") },
		{ "account/privacy", N_("Privacy choices") },
		{ "admin/audit", N_("Audit log") },
		{ "admin/delete", N_("Delete workspace") },
		{ "admin/erase", "Erase a requester's data" },
		{ "admin/hold-lift", N_("Lift a legal hold") },
		{ "admin/holds", N_("Legal holds") },
		{ "admin/mail", N_("Undelivered mail") },
		{ "admin/members", N_("Members") },
		{ "admin/quarantine", N_("Quarantine") },
		{ "admin/quarantine-message", N_("Quarantined message") },
		{ "admin/settings", N_("Settings") },
		{ "admin/usage", N_("Usage") },
		{ "email/confirm", N_("Confirm your email address") },
		{ "password/forgot", N_("Forgot your password") },
		{ "password/reset", N_("New password") },
		{ "policy/contact", N_("Contact") },
		{ "policy/cookies", N_("Cookies") },
		{ "signin", N_("Sign in") },
		{ "signin-code", N_("Two-factor sign-in") },
		{ "signup", N_("Sign up") },
		{ "tickets/new", N_("New ticket") },
		{ "tickets/queue", N_("Tickets") },
		{ "tickets/show", N_("Ticket") },
		{ "workspaces/index", N_("Your workspaces") },
		{ "workspaces/invite", N_("Invitation") },
		{ "workspaces/join", N_("Join a workspace") },
		{ "workspaces/leave", N_("Leave workspace") },
	};
	size_t i;

	for (i = 0; i < nitems(titles); i++)
		if (strcmp(titles[i].tmpl, tmpl) == 0)
			return titles[i].title;
	return NULL;
}

/*
 * Roles, statuses and priorities are values (class names, {{#eq}}
 * operands) and words shown to people: beside each string "role",
 * "status", "priority" of the page's data, and each "field", "from" and
 * "to" of a ticket's history, goes "role_label" (...): the word in the
 * page's language, or the value itself when it is no such word (a
 * person's name), which templates show.
 */
static const char *const value_words[] = {
	N_("admin"), N_("agent"), N_("requester"),
	N_("new"), N_("open"), N_("pending"), N_("solved"), N_("closed"),
	N_("low"), N_("normal"), N_("high"), N_("urgent"),
	N_("status"), N_("priority"), N_("assignee"), N_("tags"),
};

static void
add_labels(struct json_object *o, int depth)
{
	static const char *const keys[] = {
		"role", "status", "priority", "field", "from", "to"
	};
	struct json_object *v;
	char key[32];
	size_t i, k, n;

	if (depth > 8)
		return;
	if (json_object_is_type(o, json_type_array)) {
		n = json_object_array_length(o);
		for (i = 0; i < n; i++)
			add_labels(json_object_array_get_idx(o, i), depth + 1);
		return;
	}
	if (!json_object_is_type(o, json_type_object))
		return;
	json_object_object_foreach(o, ok, ov) {
		(void)ok;
		add_labels(ov, depth + 1);
	}
	for (k = 0; k < nitems(keys); k++) {
		if (!json_object_object_get_ex(o, keys[k], &v) ||
		    !json_object_is_type(v, json_type_string))
			continue;
		for (i = 0; i < nitems(value_words); i++)
			if (strcmp(json_object_get_string(v),
			    value_words[i]) == 0)
				break;
		snprintf(key, sizeof(key), "%s_label", keys[k]);
		json_object_object_add(o, key, json_object_new_string(
		    i < nitems(value_words) ? _(value_words[i]) :
		    json_object_get_string(v)));
	}
}

int
page(struct req *r, int status, const char *name, struct json_object *ctx)
{
	const struct tmpl *t = tmpl_get(name);
	struct json_object *v;

	/* The message after an action belongs on the page it led to. */
	flash_take(r, ctx, status == 200);
	if (!json_object_object_get_ex(ctx, "title", &v))
		ctx_str(ctx, "title", _(default_title(name)));
	/* Which page this is, for the navigation's aria-current. */
	ctx_str(ctx, "here", name);
	lang_ctx(r, ctx);
	add_labels(ctx, 0);
	form_summary(ctx);
	buf_reset(&r->body);
	if (t == NULL || tmpl_render(t, ctx, &r->body) == -1) {
		log_err("template %s failed", name);
		json_object_put(ctx);
		buf_reset(&r->body);
		r->status = 500;
		r->content_type = "text/plain; charset=utf-8";
		buf_puts(&r->body, "Internal Server Error\n");
		return 0;
	}
	json_object_put(ctx);
	r->status = status;
	r->content_type = "text/html; charset=utf-8";
	return 0;
}

const char *
safe_next(const struct req *r)
{
	const char *n = kv_get(&r->query, "next");

	if (n == NULL)
		n = kv_get(&r->form, "next");
	return url_is_local(n) ? n : NULL;
}

int
redirect(struct req *r, const char *location)
{
	/* Only local paths: never an open redirect (util.h). */
	if (!url_is_local(location))
		location = "/";
	resp_header(r, "Location", location);
	buf_reset(&r->body);
	r->status = 303;
	r->content_type = "text/plain; charset=utf-8";
	return 0;
}

int
redirect_ws(struct req *r, const char *slug, const char *rest)
{
	struct buf to = BUF_INIT;

	buf_puts(&to, "/w/");
	url_escape(&to, slug);
	buf_puts(&to, rest);
	redirect(r, buf_str(&to));
	buf_free(&to);
	return 0;
}

void
ctx_str(struct json_object *c, const char *key, const char *value)
{
	if (value)
		json_object_object_add(c, key, json_object_new_string(value));
}

static const char *
error_title(int status)
{
	switch (status) {
	case 400: return _("That request was not understood");
	case 403: return _("Not allowed");
	case 404: return _("Page not found");
	case 405: return _("Method not allowed");
	case 409: return _("Someone else changed this first");
	case 410: return _("This link has expired");
	case 413: return _("That was too large");
	case 429: return _("Too many attempts");
	case 503: return _("Temporarily unavailable");
	default: return _("Something went wrong");
	}
}

int
error_page(struct req *r, int status, const char *message)
{
	struct json_object *c = page_ctx(r);

	json_object_object_add(c, "status", json_object_new_int(status));
	json_object_object_add(c, "reason",
	    json_object_new_string(_(status_text(status))));
	json_object_object_add(c, "title",
	    json_object_new_string(error_title(status)));
	json_object_object_add(c, "message",
	    json_object_new_string(message ? message : ""));
	json_object_object_add(c, "was_post",
	    json_object_new_boolean(r->method == M_POST));
	return page(r, status, "error", c);
}

int
text(struct req *r, int status, const char *body)
{
	buf_reset(&r->body);
	buf_puts(&r->body, body);
	r->status = status;
	r->content_type = "text/plain; charset=utf-8";
	return 0;
}

/* The status line and every header, security headers included. */
static void
send_head(struct req *r, long long content_length)
{
	struct buf h = BUF_INIT;
	size_t i;

	if (r->status == 0)
		r->status = 200;
	buf_printf(&h, "Status: %d %s\r\n", r->status, status_text(r->status));
	buf_printf(&h, "Content-Type: %s\r\n",
	    r->content_type ? r->content_type : "text/plain; charset=utf-8");
	/* None for a stream: nginx sends it chunked, and its end (the
	 * last chunk) only when the program ended the request. */
	if (content_length >= 0)
		buf_printf(&h, "Content-Length: %lld\r\n", content_length);
	/* Pages show private data: never store them in shared caches. */
	buf_puts(&h, "Cache-Control: no-store\r\n");
	/* The same URL answers in the language the request asks for. */
	buf_puts(&h, "Vary: Accept-Language, Cookie\r\n");
	for (i = 0; i < nitems(security_headers); i++) {
		const char *v = security_headers[i][1];

		if (i == 0 && r->csp != NULL)
			v = r->csp;
		buf_printf(&h, "%s: %s\r\n", security_headers[i][0], v);
	}
	for (i = 0; i < r->headers.n; i++)
		buf_printf(&h, "%s: %s\r\n", r->headers.v[i].name,
		    r->headers.v[i].value);
	buf_puts(&h, "\r\n");
	io_write(r->io, h.data, h.len);
	buf_free(&h);
	r->sent = 1;
}

int
resp_begin(struct req *r, long long content_length)
{
	if (r->sent || content_length < 0)
		return -1;
	send_head(r, content_length);
	return 0;
}

int
resp_begin_download(struct req *r, const char *filename)
{
	struct buf cd = BUF_INIT;
	char *name;

	if (r->sent)
		return -1;
	/* Our own names, but this is a header: normalised like any. */
	name = filename_normalize(filename);
	content_disposition(&cd, name);
	resp_header(r, "Content-Disposition", buf_str(&cd));
	resp_header(r, "Cross-Origin-Resource-Policy", "same-origin");
	buf_free(&cd);
	free(name);
	if (r->status == 0)
		r->status = 200;
	r->csp = "default-src 'none'; sandbox";
	send_head(r, -1);
	return 0;
}

void
resp_abort(struct req *r, const char *why)
{
	if (!r->sent || r->aborted)
		return;
	log_err("response cut short (%s %s): %s", r->method_name, r->path,
	    why);
	r->aborted = 1;
	io_abort(r->io);
}

int
resp_write(struct req *r, const void *p, size_t n)
{
	if (!r->sent || r->aborted)
		return -1;
	if (r->method == M_HEAD || n == 0)
		return 0;
	return io_write(r->io, p, n);
}

void
resp_send(struct req *r)
{
	if (r->sent)
		return;
	send_head(r, (long long)r->body.len);
	if (r->method != M_HEAD && r->body.len)
		io_write(r->io, r->body.data, r->body.len);
}
