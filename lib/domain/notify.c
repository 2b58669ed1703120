#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "authz.h"
#include "buf.h"
#include "config.h"
#include "db.h"
#include "i18n.h"
#include "escape.h"
#include "log.h"
#include "mailout.h"
#include "mail.h"
#include "mime.h"
#include "notify.h"
#include "outbox.h"
#include "timefmt.h"
#include "tmpl.h"
#include "util.h"
#include "workspaces.h"

static const char *const kind_names[NK__MAX] = {
	"ticket_new", "reply", "assigned", "solved"
};

/* The outbox's kind of each (outbox.h). */
static const char *const outbox_kinds[NK__MAX] = {
	"ticket.new", "ticket.reply", "ticket.assigned", "ticket.solved"
};

/*
 * Whether user alias U's address may be mailed (recipient_ok): confirmed
 * as theirs, or the address of an account that mail made and nobody has
 * claimed (no password: users.h, user_create_unclaimed). Such a person
 * wrote in from that address and is answered there, as every mail
 * helpdesk does; an account signed up on the web with a password is
 * mailed only once its owner confirms the address, so nobody can sign up
 * with another's address to have them mailed (docs/decisions.md, "Mail
 * in: routing").
 */
#define RECIPIENT_CONFIRMED(U)	" (" U ".email_confirmed_at IS NOT NULL" \
				" OR " U ".password_hash IS NULL) "

struct recipient {
	long long	 id;		/* 0: an address, no account */
	char		*name;
	char		*email;
	int		 confirmed;
	const char	*reason;	/* why this person gets it */
	char		*tz;		/* their time zone; NULL: UTC */
	char		*lang;		/* their language; NULL: English */
};

struct recipients {
	struct recipient	*r;
	size_t			 n, cap;
};

/* What a ticket's mail says about it. */
struct about {
	long long	 ws, ticket, number;
	char		*subject, *body, *body_html, *ws_name, *ws_slug;
};

const char *
notify_kind_name(enum notify_kind k)
{
	return k < NK__MAX ? kind_names[k] : "";
}

int
notify_configured(void)
{
	return cfg.base_url != NULL && *cfg.base_url != '\0' &&
	    cfg.mail_from != NULL && *cfg.mail_from != '\0' &&
	    cfg.mail_secret != NULL && *cfg.mail_secret != '\0';
}

/* Only a member whose address may be mailed (RECIPIENT_CONFIRMED). */
static int
recipient_ok(const struct recipient *r)
{
	return r->confirmed;
}

int
notify_url(struct buf *out, const char *path)
{
	size_t n;

	if (cfg.base_url == NULL || *cfg.base_url == '\0')
		return -1;
	n = strlen(cfg.base_url);
	/* base_url may end in "/": one slash between the two. */
	while (n > 0 && cfg.base_url[n - 1] == '/')
		n--;
	buf_add(out, cfg.base_url, n);
	buf_puts(out, path);
	return 0;
}

static void
jset(struct json_object *o, const char *key, const char *v)
{
	json_object_object_add(o, key, json_object_new_string(v ? v : ""));
}

/* Messages this process added to the outbox (what a fan-out made). */
static long long enqueued;

static void
recipients_add(struct recipients *rs, long long id, const char *name,
    const char *email, int confirmed, const char *reason, const char *tz,
    const char *lang)
{
	struct recipient *r;

	if (rs->n == rs->cap) {
		rs->cap = rs->cap ? rs->cap * 2 : 8;
		rs->r = xrealloc(rs->r, rs->cap * sizeof(*rs->r));
	}
	r = &rs->r[rs->n++];
	r->id = id;
	r->name = xstrdup(name);
	r->email = xstrdup(email);
	r->confirmed = confirmed;
	r->reason = reason;
	r->tz = tz != NULL ? xstrdup(tz) : NULL;
	r->lang = lang != NULL ? xstrdup(lang) : NULL;
}

static void
recipients_free(struct recipients *rs)
{
	size_t i;

	for (i = 0; i < rs->n; i++) {
		free(rs->r[i].name);
		free(rs->r[i].email);
		free(rs->r[i].tz);
		free(rs->r[i].lang);
	}
	free(rs->r);
	memset(rs, 0, sizeof(*rs));
}

/* Reads (id, name, email, confirmed, time zone, language) rows into rs:
 * 0, or -1 for the database. */
static int
recipients_read(struct dbres *res, struct recipients *rs, const char *reason)
{
	int rc;

	if (res == NULL)
		return -1;
	while ((rc = db_next(res)) == 1)
		recipients_add(rs, db_int(res, 0), db_str(res, 1),
		    db_str(res, 2), db_int(res, 3) != 0, reason,
		    db_str(res, 4), db_str(res, 5));
	db_free(res);
	return rc == -1 ? -1 : 0;
}

static void
about_free(struct about *t)
{
	free(t->subject);
	free(t->body);
	free(t->body_html);
	free(t->ws_name);
	free(t->ws_slug);
	memset(t, 0, sizeof(*t));
}

/* The ticket of a's workspace: OK, E_NOT_FOUND, E_DB. */
static enum outcome
about_load(const struct actor *a, long long ticket_id, struct about *t)
{
	struct dbres *res;
	int rc;

	memset(t, 0, sizeof(*t));
	res = db_query("SELECT t.number, t.subject, t.body,"
	    " COALESCE(t.body_html, ''), w.name, w.slug FROM tickets t"
	    " JOIN workspaces w ON w.id = t.workspace_id"
	    " WHERE t.id = ? AND t.workspace_id = ?", "ii", ticket_id,
	    a->ws_id);
	if (res == NULL)
		return db_error();
	if ((rc = db_next(res)) == 1) {
		t->ws = a->ws_id;
		t->ticket = ticket_id;
		t->number = db_int(res, 0);
		t->subject = xstrdup(db_str(res, 1));
		t->body = xstrdup(db_str(res, 2));
		t->body_html = xstrdup(db_str(res, 3));
		t->ws_name = xstrdup(db_str(res, 4));
		t->ws_slug = xstrdup(db_str(res, 5));
	}
	db_free(res);
	return rc == 1 ? OK : rc == 0 ? E_NOT_FOUND : db_error();
}

/* What every mail about the ticket shows: its number, subject and
 * workspace, an absolute link to it and to the account page. */
static struct json_object *
about_ctx(const struct about *t, enum notify_kind k, const struct actor *a,
    const char *when)
{
	struct json_object *c = json_object_new_object();
	struct buf b = BUF_INIT;

	jset(c, "kind", kind_names[k]);
	json_object_object_add(c, "number", json_object_new_int64(t->number));
	jset(c, "subject", t->subject);
	jset(c, "ws_name", t->ws_name);
	jset(c, "actor", a->user_name ? a->user_name : _("Someone"));
	/* When it happened (the event's time, not the fan-out's): shown in
	 * each recipient's zone (enqueue). */
	jset(c, "when", when);
	/* The description, for the kinds that show it. */
	jset(c, "description_text", t->body);
	jset(c, "description_html", t->body_html);
	notify_url(&b, "/w/");
	url_segment(&b, t->ws_slug, strlen(t->ws_slug));
	buf_printf(&b, "/tickets/%lld", t->number);
	jset(c, "link", buf_str(&b));
	buf_reset(&b);
	notify_url(&b, "/account#notifications");
	jset(c, "account_url", buf_str(&b));
	buf_reset(&b);
	notify_url(&b, "/w/");
	url_segment(&b, t->ws_slug, strlen(t->ws_slug));
	buf_puts(&b, "/admin/settings");
	jset(c, "settings_url", buf_str(&b));
	buf_free(&b);
	return c;
}

/*
 * Renders html/mail/NAME.html and NAME.txt against c for one recipient
 * and adds the message to the outbox. A recipient the message cannot be
 * written to (an address mail_compose refuses) is skipped, logged by id:
 * OK. E_DB when the outbox was not written.
 */
static enum outcome
enqueue(const char *okind, const char *tmpl, struct json_object *c,
    const struct recipient *r, const char *subject, long long ws,
    long long ticket)
{
	struct buf html = BUF_INIT, text = BUF_INIT, name = BUF_INIT;
	struct mail m;
	const char *why;
	enum outcome rc = OK;
	long long id;
	char viewer[64];

	jset(c, "name", r->name);
	jset(c, "reason", _(r->reason));
	jset(c, "lang", i18n_lang());
	json_object_object_add(c, "member", json_object_new_boolean(r->id > 0));
	buf_printf(&name, "%s.txt", tmpl);
	/* Times in the recipient's zone, then back to the viewer's. */
	snprintf(viewer, sizeof(viewer), "%s", tz_name());
	tz_set(r->tz);
	if (tmpl_render(tmpl_get(tmpl), c, &html) == -1 ||
	    tmpl_render(tmpl_get(buf_str(&name)), c, &text) == -1) {
		tz_set(viewer);
		log_err("notify: no template %s: %s not mailed", tmpl, okind);
		goto out;
	}
	tz_set(viewer);
	memset(&m, 0, sizeof(m));
	m.to_addr = r->email;
	m.to_name = r->name;
	m.subject = subject;
	m.text = buf_str(&text);
	m.html = buf_str(&html);
	m.ws = ws;
	m.ticket = ticket;
	rc = outbox_add(okind, &m, &id, &why);
	if (rc == OK)
		enqueued++;
	if (rc == E_INVALID) {
		/* Never an address in a log: the account's id says who. */
		log_err("notify: %s to user %lld not mailed: %s", okind, r->id,
		    why ? why : "refused");
		rc = OK;
	}
out:
	buf_free(&html);
	buf_free(&text);
	buf_free(&name);
	return rc;
}

/*
 * Mails each acceptable recipient about ticket t, each in their own
 * language: the subject is the number and the subject, as helpdesks
 * write them, between before and after (msgids: "Re: ").
 */
static enum outcome
send_all(enum notify_kind k, const struct actor *a, const struct about *t,
    struct json_object *c, const struct recipients *rs, const char *before,
    const char *after)
{
	struct buf subject = BUF_INIT;
	char was[MAIL_LANG_MAX];
	enum outcome rc = OK;
	size_t i;

	snprintf(was, sizeof(was), "%s", i18n_lang());
	for (i = 0; i < rs->n && rc == OK; i++) {
		if (!recipient_ok(&rs->r[i]) || rs->r[i].id == a->user_id)
			continue;
		/* Read with the recipient, not one query each (a new
		 * ticket mails every agent). */
		i18n_set(rs->r[i].lang);
		buf_reset(&subject);
		buf_printf(&subject, "%s[#%lld] %s%s", *before ? _(before) : "",
		    t->number, t->subject, *after ? _(after) : "");
		jset(c, "actor", a->user_name ? a->user_name : _("Someone"));
		rc = enqueue(outbox_kinds[k], "mail/ticket", c, &rs->r[i],
		    buf_str(&subject), t->ws, t->ticket);
		mail_lang_restore(was);
	}
	buf_free(&subject);
	return rc;
}

/*
 * Members of a's workspace who have not turned kind k off, but the actor
 * and those whose access is suspended (mail about the workspace is
 * access to it):
 * the select list of every recipient query, then "AND ...".
 */
#define MEMBER_RECIPIENTS \
	"SELECT u.id, u.name, u.email," RECIPIENT_CONFIRMED("u") "," \
	" u.time_zone, u.lang" \
	" FROM users u JOIN memberships m ON m.user_id = u.id" \
	" AND m.workspace_id = ? AND m.suspended_at IS NULL" \
	" WHERE u.deleted_at IS NULL AND u.id <> ?" \
	" AND NOT EXISTS (SELECT 1 FROM notification_prefs p" \
	" WHERE p.user_id = u.id AND p.kind = ?) "

static enum outcome
notify_kind(enum notify_kind k, const struct actor *a, long long ticket_id,
    const char *when, const struct recipients *rs, const char *text,
    const char *html, const char *before, const char *after)
{
	struct json_object *c;
	struct about t;
	enum outcome rc;

	if ((rc = about_load(a, ticket_id, &t)) != OK)
		return rc == E_NOT_FOUND ? OK : rc;
	c = about_ctx(&t, k, a, when);
	/* A reply's own text, in both parts. */
	if (text != NULL) {
		jset(c, "text", text);
		jset(c, "html", html);
	}
	rc = send_all(k, a, &t, c, rs, before, after);
	json_object_put(c);
	about_free(&t);
	return rc;
}

/*
 * The mailer's side: each renders the mail of one event for every
 * recipient as they are now and adds it to the outbox, in the fan-out's
 * transaction (notify_fanout). a is the event's actor, in its workspace.
 */
static enum outcome
fan_ticket_new(const struct actor *a, long long ticket_id, const char *when)
{
	struct recipients rs = { NULL, 0, 0 };
	const char *roles[AUTHZ_ROLES];
	enum outcome rc;
	char *to = NULL;

	if ((rc = ws_new_ticket_mail(a->ws_id, &to)) != OK)
		return rc;
	if (to != NULL && *to == '\0') {
		free(to);
		return OK;
	}
	if (to != NULL) {
		/* The workspace's own address: no account, no preference. */
		recipients_add(&rs, 0, "", to, 1, N_("the settings of this "
		    "workspace send mail about new tickets to this address"),
		    NULL, NULL);
	} else {
		authz_roles(P_TICKET_VIEW_ALL, roles);
		if (recipients_read(db_query(MEMBER_RECIPIENTS "AND"
		    AUTHZ_ROLE_IN("m.role") "ORDER BY u.id", "iissss",
		    a->ws_id, a->user_id, kind_names[NK_TICKET_NEW],
		    AUTHZ_ROLES_ARGS(roles)), &rs, N_("you are an agent of "
		    "this workspace")) == -1) {
			rc = db_error();
			goto out;
		}
	}
	rc = notify_kind(NK_TICKET_NEW, a, ticket_id, when, &rs, NULL, NULL,
	    "", "");
out:
	free(to);
	recipients_free(&rs);
	return rc;
}

static enum outcome
fan_reply(const struct actor *a, long long ticket_id, long long comment_id,
    const char *when)
{
	struct recipients rs = { NULL, 0, 0 };
	char *text = NULL, *html = NULL;
	struct dbres *res;
	enum outcome rc;
	int got;

	/* Only a public reply: a note is read in the ticket, by those who
	 * may. */
	res = db_query("SELECT body, COALESCE(body_html, '') FROM comments"
	    " WHERE id = ? AND ticket_id = ? AND workspace_id = ? AND"
	    " internal = 0", "iii", comment_id, ticket_id, a->ws_id);
	if (res == NULL)
		return db_error();
	if ((got = db_next(res)) == 1) {
		text = xstrdup(db_str(res, 0));
		html = xstrdup(db_str(res, 1));
	}
	db_free(res);
	if (got != 1)
		return got == 0 ? OK : db_error();
	if (recipients_read(db_query(MEMBER_RECIPIENTS "AND u.id = (SELECT"
	    " requester_id FROM tickets WHERE id = ?)", "iisi", a->ws_id,
	    a->user_id, kind_names[NK_REPLY], ticket_id), &rs,
	    N_("you opened this ticket")) == -1 ||
	    recipients_read(db_query(MEMBER_RECIPIENTS "AND u.id IN (SELECT"
	    " user_id FROM ticket_cc WHERE ticket_id = ?) AND u.id <> (SELECT"
	    " requester_id FROM tickets WHERE id = ?) ORDER BY u.id", "iisii",
	    a->ws_id, a->user_id, kind_names[NK_REPLY], ticket_id, ticket_id),
	    &rs, N_("you are copied on this ticket")) == -1)
		rc = db_error();
	else
		rc = notify_kind(NK_REPLY, a, ticket_id, when, &rs, text, html,
		    N_("Re: "), "");
	free(text);
	free(html);
	recipients_free(&rs);
	return rc;
}

static enum outcome
fan_assigned(const struct actor *a, long long ticket_id,
    long long assignee_id, const char *when)
{
	struct recipients rs = { NULL, 0, 0 };
	enum outcome rc;

	if (recipients_read(db_query(MEMBER_RECIPIENTS "AND u.id = ?",
	    "iisi", a->ws_id, a->user_id, kind_names[NK_ASSIGNED],
	    assignee_id), &rs, N_("the ticket was assigned to you")) == -1)
		rc = db_error();
	else
		rc = notify_kind(NK_ASSIGNED, a, ticket_id, when, &rs, NULL,
		    NULL, "", N_(" (assigned to you)"));
	recipients_free(&rs);
	return rc;
}

static enum outcome
fan_solved(const struct actor *a, long long ticket_id, const char *when)
{
	struct recipients rs = { NULL, 0, 0 };
	enum outcome rc;

	if (recipients_read(db_query(MEMBER_RECIPIENTS "AND u.id = (SELECT"
	    " requester_id FROM tickets WHERE id = ?)", "iisi", a->ws_id,
	    a->user_id, kind_names[NK_SOLVED], ticket_id), &rs,
	    N_("you opened this ticket")) == -1)
		rc = db_error();
	else
		rc = notify_kind(NK_SOLVED, a, ticket_id, when, &rs, NULL,
		    NULL, "", N_(" (solved)"));
	recipients_free(&rs);
	return rc;
}

/* ---- events: what the change writes ------------------------------------- */

/*
 * One row naming what happened (sql/028): the request pays for this
 * INSERT only, whoever is told; the mailer renders (notify_fanout).
 */
static enum outcome
event_add(const struct actor *a, enum notify_kind k, long long ticket_id,
    long long comment_id, long long target_id)
{
	if (!notify_configured())
		return OK;
	if (db_exec("INSERT INTO notify_events (workspace_id, ticket_id, kind,"
	    " actor_id, comment_id, target_id, created_at, next_attempt_at)"
	    " VALUES (?, ?, ?, NULLIF(?, 0), NULLIF(?, 0), NULLIF(?, 0),"
	    " UTC_TIMESTAMP(), UTC_TIMESTAMP())", "iisiii", a->ws_id,
	    ticket_id, kind_names[k], a->user_id, comment_id,
	    target_id) != 1)
		return db_error();
	return OK;
}

enum outcome
notify_ticket_new(const struct actor *a, long long ticket_id)
{
	return event_add(a, NK_TICKET_NEW, ticket_id, 0, 0);
}

enum outcome
notify_reply(const struct actor *a, long long ticket_id, long long comment_id)
{
	return event_add(a, NK_REPLY, ticket_id, comment_id, 0);
}

enum outcome
notify_assigned(const struct actor *a, long long ticket_id,
    long long assignee_id)
{
	/* Assigning oneself tells nobody: no event either. */
	if (assignee_id <= 0 || assignee_id == a->user_id)
		return OK;
	return event_add(a, NK_ASSIGNED, ticket_id, 0, assignee_id);
}

enum outcome
notify_solved(const struct actor *a, long long ticket_id)
{
	return event_add(a, NK_SOLVED, ticket_id, 0, 0);
}

/* ---- events: what the mailer does with them ------------------------------ */

/* One event as read for its fan-out. */
struct event {
	long long	 id, ws, ticket, actor, comment, target;
	long long	 attempts, age;
	int		 kind;		/* enum notify_kind, or -1 unknown */
	char		 when[20];	/* created_at, UTC */
};

static int
kind_of(const char *name)
{
	int k;

	for (k = 0; k < NK__MAX; k++)
		if (name != NULL && strcmp(name, kind_names[k]) == 0)
			return k;
	return -1;
}

/*
 * Locks the oldest due event in the open transaction: 1 (in *e), 0 when
 * none is due, -1. SKIP LOCKED: a second mailer takes the next one
 * instead of waiting for this one; on a Galera cluster two nodes may
 * both take it, and the second commit fails (its DELETE conflicts), so
 * it is fanned out once there too.
 */
static int
event_lock(struct event *e)
{
	struct dbres *res;
	int rc;

	memset(e, 0, sizeof(*e));
	res = db_query("SELECT id, workspace_id, ticket_id, kind,"
	    " COALESCE(actor_id, 0), COALESCE(comment_id, 0),"
	    " COALESCE(target_id, 0), attempts,"
	    " TIMESTAMPDIFF(SECOND, created_at, UTC_TIMESTAMP()),"
	    " DATE_FORMAT(created_at, '%Y-%m-%d %H:%i:%s')"
	    " FROM notify_events WHERE next_attempt_at <= UTC_TIMESTAMP()"
	    " ORDER BY next_attempt_at, id LIMIT 1 FOR UPDATE SKIP LOCKED",
	    "");
	if (res == NULL)
		return -1;
	if ((rc = db_next(res)) == 1) {
		e->id = db_int(res, 0);
		e->ws = db_int(res, 1);
		e->ticket = db_int(res, 2);
		e->kind = kind_of(db_str(res, 3));
		e->actor = db_int(res, 4);
		e->comment = db_int(res, 5);
		e->target = db_int(res, 6);
		e->attempts = db_int(res, 7);
		e->age = db_int(res, 8);
		snprintf(e->when, sizeof(e->when), "%s", db_str(res, 9));
	}
	db_free(res);
	return rc;
}

/* Renders e's mail for its recipients (the outbox rows); the actor is
 * the event's, read now: OK, E_DB. */
static enum outcome
event_render(const struct event *e, int *mailed)
{
	struct actor a;
	struct dbres *res;
	enum outcome rc = OK;
	char *name = NULL;
	long long before;
	int got;

	actor_system(&a, "mailer", NULL);
	actor_workspace(&a, e->ws, NULL, ROLE_NONE);
	if (e->actor > 0) {
		res = db_query("SELECT name FROM users WHERE id = ?", "i",
		    e->actor);
		if (res == NULL)
			return db_error();
		if ((got = db_next(res)) == 1)
			name = xstrdup(db_str(res, 0));
		db_free(res);
		if (got == -1)
			return db_error();
		actor_user(&a, e->actor, name, NULL);
	}
	before = enqueued;
	switch (e->kind) {
	case NK_TICKET_NEW:
		rc = fan_ticket_new(&a, e->ticket, e->when);
		break;
	case NK_REPLY:
		rc = fan_reply(&a, e->ticket, e->comment, e->when);
		break;
	case NK_ASSIGNED:
		rc = fan_assigned(&a, e->ticket, e->target, e->when);
		break;
	case NK_SOLVED:
		rc = fan_solved(&a, e->ticket, e->when);
		break;
	default:
		/* A kind this build does not know (a newer one wrote it):
		 * left for it rather than dropped. */
		log_err("notify: event %lld of an unknown kind left", e->id);
		rc = E_INVALID;
	}
	free(name);
	*mailed = (int)(enqueued - before);
	return rc;
}

/*
 * A fan-out that failed (rolled back): tried again after the outbox's
 * backoff, or given up (deleted, logged) once the event is older than
 * mail_give_up_after, as its mail would be. Outside a transaction.
 */
static void
event_postpone(const struct event *e)
{
	if (e->age >= cfg.mail_give_up_after) {
		if (db_exec("DELETE FROM notify_events WHERE id = ?", "i",
		    e->id) == 1)
			log_err("notify: event %lld given up after %lld "
			    "attempts", e->id, e->attempts + 1);
		return;
	}
	if (db_exec("UPDATE notify_events SET attempts = attempts + 1,"
	    " next_attempt_at = UTC_TIMESTAMP() + INTERVAL ? SECOND"
	    " WHERE id = ?", "ii", outbox_backoff(e->attempts + 1),
	    e->id) == 1)
		log_err("notify: event %lld not fanned out (attempt %lld); "
		    "next in %llds", e->id, e->attempts + 1,
		    outbox_backoff(e->attempts + 1));
}

int
notify_fanout(int *mailed)
{
	struct event e;
	enum outcome rc;
	int got;

	*mailed = 0;
	if (db_begin() == -1)
		return -1;
	if ((got = event_lock(&e)) != 1) {
		db_rollback();
		return got;
	}
	rc = event_render(&e, mailed);
	/* The event goes with the mail it became: both, or neither. */
	if (rc == OK && db_exec("DELETE FROM notify_events WHERE id = ?", "i",
	    e.id) != 1)
		rc = E_DB;
	if (rc == OK && db_commit() == 0)
		return 1;
	db_rollback();
	*mailed = 0;
	event_postpone(&e);
	return db_failed() ? -1 : 1;
}

enum outcome
notify_invite(long long ws_id, const char *email, long long invited_by,
    const char *token)
{
	struct json_object *c;
	struct recipient r;
	struct dbres *res;
	struct buf b = BUF_INIT, subject = BUF_INIT;
	enum outcome rc;
	int got;

	if (!notify_configured())
		return OK;
	res = db_query("SELECT w.name, COALESCE(u.name, '') FROM workspaces w"
	    " LEFT JOIN users u ON u.id = ? WHERE w.id = ?", "ii", invited_by,
	    ws_id);
	if (res == NULL)
		return db_error();
	c = json_object_new_object();
	if ((got = db_next(res)) == 1) {
		jset(c, "ws_name", db_str(res, 0));
		jset(c, "inviter", db_str(res, 1));
		/* An invited address may have no account yet: the mail
		 * is in the language of the admin who invites. */
		buf_printf(&subject, _("Invitation to %s"), db_str(res, 0));
	}
	db_free(res);
	if (got != 1) {
		rc = got == 0 ? E_NOT_FOUND : db_error();
		goto out;
	}
	notify_url(&b, "/invite/");
	buf_puts(&b, token);
	jset(c, "link", buf_str(&b));
	json_object_object_add(c, "days", json_object_new_int(INVITE_DAYS));
	memset(&r, 0, sizeof(r));
	r.name = (char *)"";
	r.email = (char *)email;
	r.reason = N_("an admin of this workspace invited this address");
	rc = enqueue("invite", "mail/invite", c, &r, buf_str(&subject), ws_id,
	    0);
out:
	json_object_put(c);
	buf_free(&b);
	buf_free(&subject);
	return rc;
}

struct json_object *
notify_prefs(long long user_id)
{
	struct json_object *list, *o;
	struct dbres *res;
	int off[NK__MAX] = { 0 }, rc, k;

	res = db_query("SELECT kind FROM notification_prefs WHERE"
	    " user_id = ?", "i", user_id);
	if (res == NULL)
		return NULL;
	while ((rc = db_next(res)) == 1)
		for (k = 0; k < NK__MAX; k++)
			if (strcmp(db_str(res, 0), kind_names[k]) == 0)
				off[k] = 1;
	db_free(res);
	if (rc == -1)
		return NULL;
	list = json_object_new_array();
	for (k = 0; k < NK__MAX; k++) {
		o = json_object_new_object();
		jset(o, "kind", kind_names[k]);
		json_object_object_add(o, "on",
		    json_object_new_boolean(!off[k]));
		json_object_array_add(list, o);
	}
	return list;
}

enum outcome
notify_prefs_set(long long user_id, const int on[NK__MAX])
{
	int k;

	for (k = 0; k < NK__MAX; k++) {
		if (on[k] && db_exec("DELETE FROM notification_prefs WHERE"
		    " user_id = ? AND kind = ?", "is", user_id,
		    kind_names[k]) == -1)
			return db_error();
		if (!on[k] && db_exec("INSERT IGNORE INTO notification_prefs"
		    " (user_id, kind, created_at) VALUES (?, ?,"
		    " UTC_TIMESTAMP())", "is", user_id, kind_names[k]) == -1)
			return db_error();
	}
	return OK;
}

enum outcome
ws_new_ticket_mail(long long ws_id, char **to)
{
	struct dbres *res;
	int rc;

	*to = NULL;
	res = db_query("SELECT new_ticket_mail FROM workspaces WHERE id = ?",
	    "i", ws_id);
	if (res == NULL)
		return db_error();
	/* db_str is NULL for SQL NULL: every agent and admin. */
	if ((rc = db_next(res)) == 1 && db_str(res, 0) != NULL)
		*to = xstrdup(db_str(res, 0));
	db_free(res);
	return rc == 1 ? OK : rc == 0 ? E_NOT_FOUND : db_error();
}

enum outcome
ws_set_new_ticket_mail(long long ws_id, const char *to)
{
	if (to != NULL && *to != '\0' && !mime_addr_ok(to))
		return E_INVALID;
	if (db_exec("UPDATE workspaces SET new_ticket_mail = ? WHERE id = ?",
	    "si", to, ws_id) == -1)
		return db_error();
	return OK;
}
