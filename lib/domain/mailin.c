/*
 * mailin: one incoming message routed and stored (mailin.h), in one
 * transaction that also records its Message-ID in mail_seen, so that a
 * message is stored once or not at all however often it is delivered.
 * The rules, and why each is so: docs/decisions.md, "Mail in: routing".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "actor.h"
#include "attachments.h"
#include "audit.h"
#include "buf.h"
#include "config.h"
#include "crypto.h"
#include "db.h"
#include "i18n.h"
#include "escape.h"
#include "kv.h"
#include "log.h"
#include "mail.h"
#include "mailin.h"
#include "mailparse.h"
#include "msgid.h"
#include "notify.h"
#include "outbox.h"
#include "tickets.h"
#include "tmpl.h"
#include "upload.h"
#include "users.h"
#include "util.h"
#include "workspaces.h"

#define CHUNK		(512 * 1024)	/* bytes per chunk */
#define TRIES		3		/* transactions per message */
#define NAME_CHARS	100		/* users.name */
#define SUBJECT_CHARS	200		/* tickets.subject */
/* Bytes of a body (text, or its HTML) stored in a row: the row's insert is
 * one packet, which MariaDB's max_allowed_packet (16 MB by default)
 * bounds with the body's HTML beside it, and a lost packet would read as
 * a lost link, tried again forever. Past it, the raw message holds all. */
#define BODY_MAX	(4 * 1024 * 1024)

/* Why a message is kept in the quarantine: a code for tests and
 * filters, and words for the admin who reads the list. */
enum qreason {
	Q_NONE,
	Q_TOO_LARGE,
	Q_UNPARSEABLE,
	Q_NO_WORKSPACE,
	Q_NO_SENDER,
	Q_AUTOMATIC,
	Q_LOOP,
	Q_SENDER_NOT_ALLOWED,
	Q_UNVERIFIED_AGENT,
	Q_FILE_TOO_LARGE,
	Q_TOO_MANY_FILES,
	Q_BODY_TOO_LARGE,
	Q_STORE_FAILED,
};

static const struct {
	const char	*code;
	const char	*words;
} reasons[] = {
	[Q_NONE] = { "", "" },
	[Q_TOO_LARGE] = { "too_large", "The message is larger than "
	    "mail_max_bytes, so it was kept unread." },
	[Q_UNPARSEABLE] = { "unparseable", "The message could not be "
	    "read as mail" },
	[Q_NO_WORKSPACE] = { "no_workspace", "It was sent to an address "
	    "that is no workspace's inbound address." },
	[Q_NO_SENDER] = { "no_sender", "It names no single sender "
	    "address in From." },
	[Q_AUTOMATIC] = { "automatic", "It was written by a machine (an "
	    "auto-reply, a bounce or list mail): such mail never opens a "
	    "ticket or notifies anyone." },
	[Q_LOOP] = { "loop", "It is our own mail coming back (our "
	    "address or Message-ID): storing it as a ticket would start a "
	    "mail loop." },
	[Q_SENDER_NOT_ALLOWED] = { "sender_not_allowed", "The sender may "
	    "not write here" },
	[Q_UNVERIFIED_AGENT] = { "unverified_agent", "It comes from an "
	    "agent's address but answers no mail we sent to that agent, so "
	    "it was not posted in their name (a From can be forged)." },
	[Q_FILE_TOO_LARGE] = { "file_too_large", "An attached file is "
	    "larger than max_file" },
	[Q_TOO_MANY_FILES] = { "too_many_files", "It has more attachments "
	    "than a ticket takes from one mail (64); the message is kept "
	    "whole." },
	[Q_BODY_TOO_LARGE] = { "body_too_large", "Its text is larger than "
	    "a ticket holds (4 MB); the message is kept whole." },
	[Q_STORE_FAILED] = { "store_failed", "Storing it as a ticket or "
	    "reply failed" },
};

/* The workspace a message is for. */
struct wsrow {
	long long	 id;
	char		*slug;
	char		*name;
	int		 portal;
};

/* Everything decided about one message. */
struct route {
	struct wsrow	 ws;		/* id 0: none */
	long long	 token_ticket;	/* from a reply address of ws */
	enum qreason	 q;
	char		 detail[200];	/* words added to q's */
	/* The sender's account, if any, and their membership of ws. */
	long long	 uid;
	char		*uname;
	enum role	 role;
	int		 suspended;
	long long	 target;	/* the ticket id it answers, or 0 */
};

static void
wsrow_clear(struct wsrow *w)
{
	free(w->slug);
	free(w->name);
	memset(w, 0, sizeof(*w));
}

static void
route_clear(struct route *r)
{
	wsrow_clear(&r->ws);
	free(r->uname);
	memset(r, 0, sizeof(*r));
}

/* The first n characters of UTF-8 s (a column's length is in
 * characters), malloc'd; "" for NULL. */
static char *
utf8_cut(const char *s, size_t n)
{
	size_t i = 0, chars = 0;

	if (s == NULL)
		return xstrdup("");
	for (; s[i] != '\0'; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80 && chars++ == n)
			break;
	return xstrndup(s, i);
}

/* Control characters (an encoded word may hold a line break) become
 * spaces: a name or subject is one line, as the web's forms ask. */
static void
one_line(char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			*s = ' ';
}

/* ---- the workspace ------------------------------------------------------- */

/* Reads one workspace row: 1, 0 when none, -1 on an error. */
static int
ws_read(struct dbres *res, struct wsrow *w)
{
	int rc;

	if (res == NULL)
		return -1;
	if ((rc = db_next(res)) == 1) {
		w->id = db_int(res, 0);
		w->slug = xstrdup(db_str(res, 1));
		w->name = xstrdup(db_str(res, 2));
		w->portal = db_int(res, 3) != 0;
	}
	db_free(res);
	return rc;
}

#define WS_COLS	"SELECT id, slug, name, portal_signup FROM workspaces"

static int
ws_by_address(const char *addr, struct wsrow *w)
{
	/* The column's collation compares without case. */
	return ws_read(db_query(WS_COLS " WHERE inbound_address = ?", "s",
	    addr), w);
}

static int
ws_by_id(long long id, struct wsrow *w)
{
	return ws_read(db_query(WS_COLS " WHERE id = ?", "i", id), w);
}

/*
 * The token of addr when it is mail_reply_to's "{token}" form (compared
 * without case, as mail systems do), into tok: 0, or -1 when it is not.
 */
static int
reply_token(const char *addr, char *tok, size_t toksz)
{
	const char *tmpl = cfg.mail_reply_to, *brace;
	size_t pre, post, len = strlen(addr);

	if ((brace = strstr(tmpl, "{token}")) == NULL)
		return -1;
	pre = (size_t)(brace - tmpl);
	post = strlen(brace + 7);
	if (len <= pre + post || len - pre - post >= toksz ||
	    strncasecmp(addr, tmpl, pre) != 0 ||
	    strcasecmp(addr + len - post, brace + 7) != 0)
		return -1;
	memcpy(tok, addr + pre, len - pre - post);
	tok[len - pre - post] = '\0';
	return 0;
}

/* "local+tag@domain" into base "local@domain" and tag: 0, or -1. */
static int
plus_split(const char *addr, char *base, size_t basesz, char *tag,
    size_t tagsz)
{
	const char *plus = strchr(addr, '+'), *at = strrchr(addr, '@');

	if (plus == NULL || at == NULL || plus > at ||
	    (size_t)(at - plus) > tagsz ||
	    (size_t)(plus - addr) + strlen(at) >= basesz)
		return -1;
	snprintf(base, basesz, "%.*s%s", (int)(plus - addr), addr, at);
	snprintf(tag, tagsz, "%.*s", (int)(at - plus - 1), plus + 1);
	return 0;
}

/*
 * Looks at one address the message was sent to: a workspace's inbound
 * address, the same with "+tag", or a reply address of ours. The first
 * address that names a workspace decides it; a reply token counts only
 * for that workspace. 0, or -1 on a database error.
 */
static int
route_address(const char *addr, struct route *r)
{
	char tok[128], base[256];
	long long w, t;
	struct wsrow ws;
	int rc;

	memset(&ws, 0, sizeof(ws));
	if (reply_token(addr, tok, sizeof(tok)) == 0) {
		if (msgid_reply_verify(tok, &w, &t) == -1)
			return 0;
		if (r->ws.id == 0 && (rc = ws_by_id(w, &r->ws)) != 1)
			return rc;
		if (r->ws.id == w && r->token_ticket == 0)
			r->token_ticket = t;
		return 0;
	}
	if ((rc = ws_by_address(addr, &ws)) == -1)
		return -1;
	if (rc == 0 && plus_split(addr, base, sizeof(base), tok,
	    sizeof(tok)) == 0) {
		if ((rc = ws_by_address(base, &ws)) == -1)
			return -1;
		if (rc == 1 && msgid_reply_verify(tok, &w, &t) == 0 &&
		    w == ws.id && (r->ws.id == 0 || r->ws.id == w) &&
		    r->token_ticket == 0)
			r->token_ticket = t;
	}
	if (rc == 1 && r->ws.id == 0)
		r->ws = ws;
	else
		wsrow_clear(&ws);
	return 0;
}

/* The envelope recipient first, then what the headers name. */
static int
route_workspace(const struct inmail *m, const char *recipient,
    struct route *r)
{
	char *lower;
	size_t i;
	int rc = 0;

	if (recipient != NULL && *recipient != '\0') {
		lower = xstrdup(recipient);
		str_lower_ascii(lower);
		rc = route_address(lower, r);
		free(lower);
	}
	for (i = 0; m != NULL && i < m->nrcpts && rc == 0; i++)
		rc = route_address(m->rcpts[i].addr, r);
	return rc;
}

/* ---- automatic mail ------------------------------------------------------ */

/* Q_AUTOMATIC, Q_LOOP, or Q_NONE for mail a person wrote; -1 on a
 * database error. */
static int
automatic(const struct inmail *m)
{
	long long w, t, n;

	if (m->autoflags != 0)
		return Q_AUTOMATIC;
	/* Our own mail: sent from our address, marked by our X-Loop, or
	 * bearing a Message-ID only we can make. A reply names our ids in
	 * In-Reply-To, never as its own. */
	if (*cfg.mail_from != '\0' && ((m->from.addr != NULL &&
	    strcasecmp(m->from.addr, cfg.mail_from) == 0) ||
	    (m->x_loop != NULL && strcasestr(m->x_loop, cfg.mail_from))))
		return Q_LOOP;
	if (m->message_id != NULL && msgid_verify(m->message_id, &w, &t) == 0)
		return Q_LOOP;
	/* From a workspace's own inbound address: a mailbox forwarding
	 * to itself, or our mail relayed back under that name. */
	if (m->from.addr != NULL) {
		n = db_scalar("SELECT COUNT(*) FROM workspaces WHERE"
		    " inbound_address = ?", "s", m->from.addr);
		if (n < 0)
			return -1;
		if (n > 0)
			return Q_LOOP;
	}
	return Q_NONE;
}

/* ---- the sender ---------------------------------------------------------- */

/* The sender's account and membership of r->ws: 0, or -1. */
static int
route_sender(const struct inmail *m, struct route *r)
{
	struct account acct;
	struct dbres *res;
	enum outcome rc;
	int n;

	rc = user_find(m->from.addr, &acct);
	if (rc == E_NOT_FOUND)
		return 0;
	if (rc != OK)
		return -1;
	r->uid = acct.id;
	r->uname = xstrdup(acct.name);
	account_clear(&acct);
	if (r->ws.id == 0)
		return 0;
	res = db_query("SELECT role, suspended_at IS NOT NULL FROM"
	    " memberships WHERE workspace_id = ? AND user_id = ?", "ii",
	    r->ws.id, r->uid);
	if (res == NULL)
		return -1;
	if ((n = db_next(res)) == 1) {
		r->role = role_parse(db_str(res, 0));
		r->suspended = db_int(res, 1) != 0;
	}
	db_free(res);
	return n == -1 ? -1 : 0;
}

/* ---- the ticket it answers ----------------------------------------------- */

/* The ticket of r->ws that id (a Message-ID, or NULL) names with a valid
 * signature: its id, 0 when none, -1 on an error. */
static long long
ticket_of_ref(const struct route *r, const char *id)
{
	long long w, t, n;

	if (id == NULL || msgid_verify(id, &w, &t) == -1 || w != r->ws.id ||
	    t <= 0)
		return 0;
	n = db_scalar("SELECT id FROM tickets WHERE id = ? AND"
	    " workspace_id = ?", "ii", t, r->ws.id);
	if (n < 0)
		return db_failed() ? -1 : 0;
	return n;
}

/* In-Reply-To, then References newest first, then the reply address:
 * the first that verifies for this workspace names the ticket. */
static int
route_target(const struct inmail *m, struct route *r)
{
	long long t;
	size_t i;

	if ((t = ticket_of_ref(r, m->in_reply_to)) != 0)
		goto found;
	for (i = m->nreferences; i > 0; i--)
		if ((t = ticket_of_ref(r, m->references[i - 1])) != 0)
			goto found;
	if (r->token_ticket == 0)
		return 0;
	t = db_scalar("SELECT id FROM tickets WHERE id = ? AND"
	    " workspace_id = ?", "ii", r->token_ticket, r->ws.id);
	if (t < 0)
		return db_failed() ? -1 : 0;
found:
	if (t == -1)
		return -1;
	r->target = t;
	return 0;
}

/*
 * For an agent: 1 when a reference of the message is the Message-ID of
 * mail we sent about the ticket to the agent's own address (they could
 * have read it), 0 when none is, -1 on an error. Without the outbox row
 * (retention deleted it) the answer is 0: never posted in their name.
 */
static int
agent_verified(const struct inmail *m, const struct route *r,
    const char *email)
{
	const char *ids[MAILPARSE_MAX_REFS + 1];
	size_t n = 0, i;
	long long w, t, k;

	if (m->in_reply_to != NULL)
		ids[n++] = m->in_reply_to;
	for (i = 0; i < m->nreferences; i++)
		ids[n++] = m->references[i];
	for (i = 0; i < n; i++) {
		if (msgid_verify(ids[i], &w, &t) == -1 || w != r->ws.id ||
		    t != r->target)
			continue;
		k = db_scalar("SELECT COUNT(*) FROM outbox WHERE"
		    " message_id = ? AND to_addr = ?", "ss", ids[i], email);
		if (k < 0)
			return -1;
		if (k > 0)
			return 1;
	}
	return 0;
}

/* 1 when uid requested the ticket or is copied on it, 0, -1. */
static int
on_ticket(long long ticket_id, long long uid)
{
	long long n = db_scalar("SELECT (SELECT COUNT(*) FROM tickets WHERE"
	    " id = ? AND requester_id = ?) + (SELECT COUNT(*) FROM ticket_cc"
	    " WHERE ticket_id = ? AND user_id = ?)", "iiii", ticket_id, uid,
	    ticket_id, uid);

	return n < 0 ? -1 : n > 0;
}

/* ---- mail_seen ----------------------------------------------------------- */

/* The dedupe key: the Message-ID's SHA-256, or the whole message's. */
static void
seen_key(const struct inmail *m, const char *raw, size_t len,
    unsigned char key[32])
{
	if (m != NULL && m->message_id != NULL)
		sha256(m->message_id, strlen(m->message_id), key);
	else
		sha256(raw, len, key);
}

/* Claims the message for ws: 1, 0 when it was stored before, -1. The
 * row's unique key holds a second delivery until this one commits. */
static int
seen_claim(long long ws, const unsigned char key[32], long long *id)
{
	if (db_exec("INSERT INTO mail_seen (workspace_id, msgid_sha256,"
	    " outcome, created_at) VALUES (?, ?, 'ticket', UTC_TIMESTAMP())",
	    "ib", ws, key, (size_t)32) == -1)
		return db_errno() == DB_ER_DUP_ENTRY ? 0 : -1;
	*id = db_insert_id();
	return 1;
}

static int
seen_set(long long id, const struct mailin_report *rep, long long ticket_id)
{
	return db_exec("UPDATE mail_seen SET outcome = ?, ticket_id ="
	    " NULLIF(?, 0), comment_id = NULLIF(?, 0), quarantine_id ="
	    " NULLIF(?, 0) WHERE id = ?", "siiii", rep->outcome, ticket_id,
	    rep->comment_id, rep->quarantine_id, id) == -1 ? -1 : 0;
}

/* ---- the quarantine ------------------------------------------------------ */

static int
chunks_add(long long qid, const char *raw, size_t len)
{
	size_t off, n;
	long long seq = 0;

	for (off = 0; off < len; off += n, seq++) {
		n = len - off < CHUNK ? len - off : CHUNK;
		if (db_exec("INSERT INTO mail_quarantine_chunks (quarantine_id,"
		    " seq, data) VALUES (?, ?, ?)", "iib", qid, seq,
		    raw + off, n) == -1)
			return -1;
	}
	return 0;
}

static int
body_too_large(const struct inmail *m)
{
	return strlen(m->text) > BODY_MAX ||
	    (m->html != NULL && strlen(m->html) > BODY_MAX);
}

/* Keeps the message whole, with what was parsed of it: OK with *qid. */
static enum outcome
quarantine_add(const struct actor *a, const struct route *r,
    const struct inmail *m, const char *raw, size_t len, long long *qid)
{
	char *from_addr, *from_name, *subject, *msgid, *why;
	const char *text = NULL, *html = NULL;
	long long reply_len = 0;
	unsigned char sum[32];
	struct buf reason = BUF_INIT;
	long long rc;

	buf_puts(&reason, reasons[r->q].words);
	if (*r->detail != '\0')
		buf_printf(&reason, ": %s", r->detail);
	if (reasons[r->q].words[strlen(reasons[r->q].words) - 1] != '.')
		buf_putc(&reason, '.');
	why = utf8_cut(buf_str(&reason), 500);
	buf_free(&reason);
	from_addr = utf8_cut(m ? m->from.addr : NULL, 254);
	from_name = utf8_cut(m ? m->from.name : NULL, 200);
	subject = utf8_cut(m ? m->subject : NULL, 500);
	msgid = utf8_cut(m ? m->message_id : NULL, 320);
	sha256(raw, len, sum);
	/* What failed to store may be what is too big to store: the raw
	 * message holds it all anyway. */
	if (m != NULL && r->q != Q_STORE_FAILED && !body_too_large(m)) {
		text = m->text;
		html = m->html;
		reply_len = (long long)m->reply_len;
	}
	rc = db_exec("INSERT INTO mail_quarantine (workspace_id, reason_code,"
	    " reason, from_addr, from_name, subject, message_id, body_text,"
	    " reply_len, body_html, sender_id, size, sha256, created_at)"
	    " VALUES (NULLIF(?, 0), ?, ?, ?, ?, ?, ?, ?, ?, ?, NULLIF(?, 0),"
	    " ?, ?, UTC_TIMESTAMP())", "isssssssisiib", r->ws.id,
	    reasons[r->q].code, why, from_addr, from_name, subject, msgid,
	    text, reply_len, html, r->uid, (long long)len, sum, sizeof(sum));
	free(why);
	free(from_addr);
	free(from_name);
	free(subject);
	free(msgid);
	if (rc != 1)
		return db_error();
	*qid = db_insert_id();
	if (chunks_add(*qid, raw, len) == -1)
		return db_error();
	return audit_detail(a, r->ws.id, 0, "mail.quarantine", "quarantine",
	    *qid, reasons[r->q].code);
}

/* ---- tickets and replies ------------------------------------------------- */

/* The name of a new account: the display name, or the address's local
 * part; one line of at most NAME_CHARS characters. */
static char *
sender_name(const struct mailaddr *from)
{
	const char *src = from->name;
	char *s, *p;
	size_t n;

	if (src == NULL || strspn(src, " \t") == strlen(src)) {
		src = from->addr;
		n = strcspn(src, "@");
	} else
		n = strlen(src);
	s = xstrndup(src, n);
	one_line(s);
	p = utf8_cut(s, NAME_CHARS);
	free(s);
	if (*p == '\0') {
		free(p);
		p = xstrdup("Mail sender");
	}
	return p;
}

/*
 * Makes the sender a requester of r->ws: an account without a password
 * when they have none, and the membership. *made says whether the
 * account is new (they are told how to claim it). OK, E_DB.
 */
static enum outcome
sender_join(struct actor *a, const struct inmail *m, struct route *r,
    int *made)
{
	enum outcome rc;

	*made = 0;
	if (r->uid == 0) {
		r->uname = sender_name(&m->from);
		if ((rc = user_create_unclaimed(r->uname, m->from.addr,
		    &r->uid)) != OK)
			return rc == E_TAKEN ? E_DB : rc;
		*made = 1;
		if ((rc = audit(a, 0, r->uid, "user.signup", "user",
		    r->uid)) != OK)
			return rc;
	}
	if ((rc = member_add(r->ws.id, r->uid, ROLE_REQUESTER)) != OK)
		return rc == E_TAKEN ? E_DB : rc;
	r->role = ROLE_REQUESTER;
	actor_user(a, r->uid, r->uname, m->from.addr);
	actor_workspace(a, r->ws.id, r->ws.slug, ROLE_REQUESTER);
	return audit(a, r->ws.id, 0, "workspace.join", "user", r->uid);
}

/* Tells the owner of a new account that their ticket was opened and how
 * to see it on the web (the reset flow sets a password and confirms the
 * address). Sent once, when the account is made. */
static enum outcome
received_mail(const struct route *r, const char *email, long long ticket_id,
    long long num, const char *subject)
{
	struct json_object *c;
	struct buf html = BUF_INIT, text = BUF_INIT, u = BUF_INIT,
	    subj = BUF_INIT;
	struct mail mm;
	enum outcome rc = OK;
	const char *why;
	long long id;

	if (!notify_configured())
		return OK;
	c = json_object_new_object();
	json_object_object_add(c, "name", json_object_new_string(r->uname));
	json_object_object_add(c, "ws_name",
	    json_object_new_string(r->ws.name));
	json_object_object_add(c, "subject", json_object_new_string(subject));
	json_object_object_add(c, "number", json_object_new_int64(num));
	/* A new account has no language yet: English, as i18n is set for
	 * a program that serves no request. */
	json_object_object_add(c, "lang", json_object_new_string(i18n_lang()));
	json_object_object_add(c, "reason", json_object_new_string(_("a "
	    "message from this address reached us. If you did not write to "
	    "us, ignore it: nobody can sign in to the account without a "
	    "password set through this address")));
	notify_url(&u, "/w/");
	url_segment(&u, r->ws.slug, strlen(r->ws.slug));
	buf_printf(&u, "/tickets/%lld", num);
	json_object_object_add(c, "link", json_object_new_string(buf_str(&u)));
	buf_reset(&u);
	notify_url(&u, "/password/forgot");
	json_object_object_add(c, "forgot_url",
	    json_object_new_string(buf_str(&u)));
	if (tmpl_render(tmpl_get("mail/received"), c, &html) == -1 ||
	    tmpl_render(tmpl_get("mail/received.txt"), c, &text) == -1) {
		log_err("mailin: no template mail/received: not mailed");
		goto out;
	}
	buf_printf(&subj, "[#%lld] %s", num, subject);
	memset(&mm, 0, sizeof(mm));
	mm.to_addr = email;
	mm.to_name = r->uname;
	mm.subject = buf_str(&subj);
	mm.text = buf_str(&text);
	mm.html = buf_str(&html);
	mm.ws = r->ws.id;
	mm.ticket = ticket_id;
	if ((rc = outbox_add("ticket.received", &mm, &id, &why)) ==
	    E_INVALID) {
		log_err("mailin: user %lld not told of their ticket: %s",
		    r->uid, why ? why : "refused");
		rc = OK;
	}
out:
	json_object_put(c);
	buf_free(&html);
	buf_free(&text);
	buf_free(&u);
	buf_free(&subj);
	return rc;
}

/* The files of the message as uploads (the model normalises names). */
static void
uploads_of(const struct inmail *m, struct upload *v, struct uploads *up)
{
	size_t i;

	for (i = 0; i < m->nfiles; i++) {
		v[i].name = m->files[i].filename;
		v[i].data = m->files[i].data;
		v[i].len = m->files[i].len;
	}
	memset(up, 0, sizeof(*up));
	up->v = v;
	up->n = m->nfiles;
}

static void
body_of(const struct inmail *m, struct body *b)
{
	memset(b, 0, sizeof(*b));
	b->text = m->text;
	if (m->html != NULL && *m->html != '\0') {
		b->format = BODY_MAIL_HTML;
		b->html = m->html;
	} else {
		b->format = BODY_MAIL_TEXT;
		b->reply_len = m->reply_len;
	}
}

/* A new ticket, or a reply on r->target, as the actor a. */
static enum outcome
store(struct actor *a, const struct inmail *m, const struct route *r,
    int made, struct mailin_report *rep, long long *ticket_id)
{
	struct upload v[MAILPARSE_MAX_FILES];
	struct uploads up;
	struct body b;
	enum outcome rc;
	char *subject;

	uploads_of(m, v, &up);
	body_of(m, &b);
	if (r->target != 0) {
		*ticket_id = r->target;
		if ((rc = comment_add_body(a, r->target, &b, 0,
		    &rep->comment_id)) != OK ||
		    (rc = attachments_save(a, &up, r->target,
		    rep->comment_id)) != OK)
			return rc;
		rep->outcome = "reply";
		rep->ticket_number = db_scalar("SELECT number FROM tickets"
		    " WHERE id = ?", "i", r->target);
		return audit(a, r->ws.id, 0, "comment.create", "comment",
		    rep->comment_id);
	}
	/* The subject as written (prefixes such as "Re:" and "AW:" too:
	 * which are prefixes is a guess in every language). */
	subject = utf8_cut(m->subject, SUBJECT_CHARS);
	one_line(subject);
	if (subject[strspn(subject, " ")] == '\0') {
		free(subject);
		subject = xstrdup("(no subject)");
	}
	rc = ticket_create_body(a, subject, &b, r->uid, &rep->ticket_number,
	    ticket_id);
	if (rc == OK)
		rc = attachments_save(a, &up, *ticket_id, 0);
	if (rc == OK)
		rc = audit(a, r->ws.id, 0, "ticket.create", "ticket",
		    *ticket_id);
	if (rc == OK && made)
		rc = received_mail(r, m->from.addr, *ticket_id,
		    rep->ticket_number, subject);
	free(subject);
	rep->outcome = "ticket";
	return rc;
}

/* ---- routing ------------------------------------------------------------- */

/* The first file past max_file, named in r->detail: 1, or 0. */
static int
file_too_large(const struct inmail *m, struct route *r)
{
	char size[32];
	size_t i;

	for (i = 0; i < m->nfiles; i++) {
		if ((long long)m->files[i].len <= cfg.max_file)
			continue;
		size_label((long long)m->files[i].len, size, sizeof(size));
		snprintf(r->detail, sizeof(r->detail), "%.120s (%s)",
		    m->files[i].filename, size);
		return 1;
	}
	return 0;
}

/*
 * Decides where a parsed message goes (r->q, or r->target and the
 * sender), reading what it needs: 0, or -1 on a database error.
 */
static int
decide(const struct inmail *m, struct route *r)
{
	int v;

	/* The sender's account, also for a quarantined message (its
	 * sender_id: export and erasure find it by that). */
	if (m->from.addr != NULL && route_sender(m, r) == -1)
		return -1;
	if (r->ws.id == 0) {
		r->q = Q_NO_WORKSPACE;
		return 0;
	}
	if (m->from.addr == NULL) {
		r->q = Q_NO_SENDER;
		return 0;
	}
	if ((v = automatic(m)) == -1)
		return -1;
	if ((r->q = (enum qreason)v) != Q_NONE)
		return 0;
	if (file_too_large(m, r)) {
		r->q = Q_FILE_TOO_LARGE;
		return 0;
	}
	if (m->nfiles_over > 0) {
		r->q = Q_TOO_MANY_FILES;
		return 0;
	}
	if (body_too_large(m)) {
		r->q = Q_BODY_TOO_LARGE;
		return 0;
	}
	if (route_target(m, r) == -1)
		return -1;
	if (r->role != ROLE_NONE && r->suspended) {
		r->q = Q_SENDER_NOT_ALLOWED;
		snprintf(r->detail, sizeof(r->detail), "their access to the "
		    "workspace is suspended");
		return 0;
	}
	if (r->role == ROLE_AGENT || r->role == ROLE_ADMIN) {
		/* A From is easily forged: an agent's mail is theirs only
		 * when it answers mail we sent them about that ticket. */
		if (r->target == 0)
			r->q = Q_UNVERIFIED_AGENT;
		else if ((v = agent_verified(m, r, m->from.addr)) == -1)
			return -1;
		else if (v == 0)
			r->q = Q_UNVERIFIED_AGENT;
		return 0;
	}
	if (r->role == ROLE_NONE && !r->ws.portal) {
		r->q = Q_SENDER_NOT_ALLOWED;
		snprintf(r->detail, sizeof(r->detail), "they are no member, "
		    "and the workspace's portal does not let people sign up");
		return 0;
	}
	/* Anyone else answers a ticket only when it is theirs. */
	if (r->target != 0 && r->uid != 0) {
		if ((v = on_ticket(r->target, r->uid)) == -1)
			return -1;
		if (v == 0)
			r->target = 0;
	} else
		r->target = 0;
	return 0;
}

/* A failure worth another try: the server, the link or a lock, not our
 * data. */
static int
transient(void)
{
	unsigned e = db_errno();

	/* 1205 lock wait, 1213 deadlock, 2xxx the client's link. */
	return db_outcome_unknown() || e == 1205 || e == 1213 || e >= 2000;
}

/*
 * One try of the transaction: OK, or the outcome that failed it with
 * *again set when another try may succeed. early is a quarantine reason
 * known before routing (Q_NONE: route it), detail its words.
 */
static enum outcome
deliver_once(const char *raw, size_t len, const struct inmail *m,
    enum qreason early, const char *detail, const char *recipient,
    struct mailin_report *rep, int *again)
{
	struct kvlist rendered = KVLIST_INIT;
	struct route r;
	struct actor a;
	unsigned char key[32];
	long long seen = 0, ticket_id = 0;
	enum outcome rc = E_DB;
	int made = 0, n;

	memset(&r, 0, sizeof(r));
	memset(rep, 0, sizeof(*rep));
	*again = 0;
	actor_system(&a, "mail", &rendered);
	if (db_begin() == -1) {
		*again = transient();
		goto out;
	}
	if (route_workspace(m, recipient, &r) == -1)
		goto fail;
	rep->ws_id = r.ws.id;
	seen_key(early == Q_TOO_LARGE ? NULL : m, raw, len, key);
	if ((n = seen_claim(r.ws.id, key, &seen)) == -1)
		goto fail;
	if (n == 0) {
		db_rollback();
		rep->outcome = "duplicate";
		rc = OK;
		goto out;
	}
	snprintf(r.detail, sizeof(r.detail), "%s", detail ? detail : "");
	if ((r.q = early) == Q_NONE && decide(m, &r) == -1)
		goto fail;
	actor_workspace(&a, r.ws.id, r.ws.slug, ROLE_NONE);
	if (r.q != Q_NONE) {
		if ((rc = quarantine_add(&a, &r, m, raw, len,
		    &rep->quarantine_id)) != OK)
			goto fail;
		rep->outcome = "quarantine";
		rep->reason_code = reasons[r.q].code;
	} else {
		/* Two first mails of one sender at once: the second waits
		 * on the first's new account, then finds it taken. Its
		 * next try finds the account. */
		if (r.role == ROLE_NONE && (rc = sender_join(&a, m, &r,
		    &made)) != OK) {
			*again = db_errno() == DB_ER_DUP_ENTRY;
			goto fail;
		}
		actor_user(&a, r.uid, r.uname, m->from.addr);
		actor_workspace(&a, r.ws.id, r.ws.slug, r.role);
		if ((rc = store(&a, m, &r, made, rep, &ticket_id)) != OK)
			goto fail;
	}
	if (seen_set(seen, rep, ticket_id) == -1 || db_commit() == -1) {
		rc = db_error();
		goto fail;
	}
	rc = OK;
	goto out;
fail:
	if (rc == OK)
		rc = db_error();
	*again = *again || transient();
	db_rollback();
out:
	kv_free(&rendered);
	route_clear(&r);
	return rc;
}

enum mailin_result
mailin_deliver(const char *raw, size_t len, const char *recipient,
    struct mailin_report *rep)
{
	struct inmail *m = NULL;
	enum qreason early = Q_NONE;
	enum outcome rc = E_DB;
	char err[200] = "";
	int i, again = 1;

	memset(rep, 0, sizeof(*rep));
	if ((long long)len > cfg.mail_max_bytes)
		early = Q_TOO_LARGE;
	else if (mailparse(raw, len, &m, err, sizeof(err)) == -1) {
		early = Q_UNPARSEABLE;
		m = NULL;
	}
	for (i = 0; i < TRIES && again; i++) {
		if (i > 0)
			sleep((unsigned)i);
		rc = deliver_once(raw, len, m, early, err, recipient, rep,
		    &again);
		if (rc == OK)
			break;
	}
	/* A store that fails on our side, not the server's, would fail
	 * again at every retry of the MTA: keep the message whole instead,
	 * for an admin to see, and log why. */
	if (rc != OK && !again && early == Q_NONE) {
		log_err("mailin: storing failed (%s, MariaDB error %u): kept "
		    "in the quarantine", outcome_name(rc), db_errno());
		snprintf(err, sizeof(err), "%s (MariaDB error %u)",
		    outcome_name(rc), db_errno());
		rc = deliver_once(raw, len, m, Q_STORE_FAILED, err, recipient,
		    rep, &again);
	}
	inmail_free(m);
	if (rc != OK) {
		memset(rep, 0, sizeof(*rep));
		return MAILIN_TEMPFAIL;
	}
	return MAILIN_STORED;
}
