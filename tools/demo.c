/*
 * demo: loads the demo data that `make run` shows, once: the staff and
 * customers of a software company's support desk, a workspace, and some
 * forty tickets from the past six weeks with their threads (replies,
 * notes between agents, answers by mail) and a few attachments
 * (tools/demo-tickets.h). Running it again changes nothing. The sign-ins
 * it prints are for a local trial only.
 *
 * It writes through the same model functions the pages use, acting as
 * each demo person in turn (struct actor, named "demo"), so the data is
 * what the product would have made. Only the times are the demo's own:
 * the model stamps everything UTC_TIMESTAMP(), so after each step the
 * loader moves what that step wrote back to its place in the past
 * (move_back), in the same transaction. Nothing but the demo does that.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "actor.h"
#include "attachments.h"
#include "audit.h"
#include "config.h"
#include "tmpl.h"
#include "db.h"
#include "i18n.h"
#include "kv.h"
#include "policy.h"
#include "searchidx.h"
#include "tickets.h"
#include "users.h"
#include "util.h"
#include "workspaces.h"

#define DEMO_PASSWORD	"demo-password"
#define DEMO_SLUG	"acme"
#define DEMO_PRINTED	5	/* people[] whose sign-ins are printed */

#include "demo-tickets.h"

/* The printed sign-ins (admin@, agent@, requester@, linus@) are the ones
 * README and the tests name: their addresses stay as they are. */
static struct demo_user {
	const char	*name;
	const char	*email;
	enum role	 role;
	long long	 id;
} people[NPEOPLE] = {
	{ "Maria Keller", "admin@demo.example", ROLE_ADMIN, 0 },
	{ "Tom Brennan", "agent@demo.example", ROLE_AGENT, 0 },
	{ "Priya Shah", "priya@demo.example", ROLE_AGENT, 0 },
	{ "Grace Okafor", "requester@demo.example", ROLE_REQUESTER, 0 },
	{ "Linus Berg", "linus@demo.example", ROLE_REQUESTER, 0 },
	{ "Hannah Schmidt", "hannah.schmidt@northwind.example",
	    ROLE_REQUESTER, 0 },
	{ "Diego Ramírez", "diego@ramirez-design.example", ROLE_REQUESTER, 0 },
	{ "Chloé Martin", "chloe.martin@brightpath.example", ROLE_REQUESTER,
	    0 },
	{ "Kenji Watanabe", "kenji@watanabe-labs.example", ROLE_REQUESTER, 0 },
	{ "Samira Haddad", "samira.haddad@oakfield.example", ROLE_REQUESTER,
	    0 },
};

/* The demo workspace, and Markdown rendered while loading it. */
static long long ws_id;
static struct kvlist rendered = KVLIST_INIT;

/* When the loader started, and a minute before it: rows stamped at or
 * after `fresh` are the ones the current step wrote. */
static time_t now;
static char fresh[20];

/* Person p, in the demo workspace with their role, as the loader. */
static void
act_as(struct actor *a, int p)
{
	actor_system(a, "demo", &rendered);
	actor_workspace(a, ws_id, DEMO_SLUG, people[p].role);
	actor_user(a, people[p].id, people[p].name, people[p].email);
}

static int
make_people(void)
{
	size_t i;

	for (i = 0; i < NPEOPLE; i++) {
		enum outcome rc = user_create(people[i].name, people[i].email,
		    DEMO_PASSWORD, &people[i].id);
		struct actor a;

		/* As if they had signed up: they accepted the policy. */
		if (rc == OK) {
			actor_system(&a, "demo", &rendered);
			if (db_begin() == -1 || (rc = policy_accept_signup(&a,
			    people[i].id)) != OK || db_commit() == -1) {
				db_rollback();
				return -1;
			}
		}
		if (rc == E_TAKEN)
			rc = user_by_email(people[i].email, &people[i].id);
		/* Demo people stand for colleagues whose address is known:
		 * confirmed, so they are copied and notified like anyone. */
		if (rc == OK)
			rc = user_confirm_email(people[i].id, people[i].email);
		if (rc != OK)
			return -1;
	}
	return 0;
}

/* UTC time t as a DATETIME literal. */
static void
datetime(time_t t, char *buf, size_t sz)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, sz, "%Y-%m-%d %H:%M:%S", &tm);
}

/*
 * Demo only: moves what the last step wrote for ticket id (the ticket
 * itself on its first step, comments, attachments, triage events, audit
 * rows) back to `when`. The rows are told apart by their stamp: the
 * model wrote them at or after `fresh`, and everything moved before is
 * weeks earlier.
 */
static int
move_back(long long id, time_t when)
{
	static const char *const moves[] = {
		"UPDATE tickets SET created_at = ? WHERE id = ?"
		    " AND created_at >= ?",
		"UPDATE comments SET created_at = ? WHERE ticket_id = ?"
		    " AND created_at >= ?",
		"UPDATE attachments SET created_at = ? WHERE ticket_id = ?"
		    " AND created_at >= ?",
		"UPDATE ticket_events SET created_at = ? WHERE ticket_id = ?"
		    " AND created_at >= ?",
	};
	char at[20];
	size_t i;

	datetime(when, at, sizeof(at));
	for (i = 0; i < nitems(moves); i++)
		if (db_exec(moves[i], "sis", at, id, fresh) == -1)
			return -1;
	return db_exec("UPDATE audit_log SET created_at = ?"
	    " WHERE workspace_id = ? AND created_at >= ?", "sis", at, ws_id,
	    fresh) == -1 ? -1 : 0;
}

/* Demo only: the ticket's "last updated" times from its moved rows, as
 * migration 006 derives them (public: replies and status changes). */
static int
settle(long long id)
{
	return db_exec("UPDATE tickets t SET"
	    " t.updated_at = GREATEST(t.created_at,"
	    "  COALESCE((SELECT MAX(c.created_at) FROM comments c"
	    "   WHERE c.ticket_id = t.id), t.created_at),"
	    "  COALESCE((SELECT MAX(e.created_at) FROM ticket_events e"
	    "   WHERE e.ticket_id = t.id), t.created_at)),"
	    " t.public_updated_at = GREATEST(t.created_at,"
	    "  COALESCE((SELECT MAX(c.created_at) FROM comments c"
	    "   WHERE c.ticket_id = t.id AND c.internal = 0), t.created_at),"
	    "  COALESCE((SELECT MAX(e.created_at) FROM ticket_events e"
	    "   WHERE e.ticket_id = t.id AND e.field = 'status'),"
	    "   t.created_at))"
	    " WHERE t.id = ?", "i", id) == -1 ||
	    searchidx_touch(id) != OK ? -1 : 0;
}

/* CRC-32 (PNG chunks), bit by bit: a few kilobytes, once. */
static uint32_t
crc32_of(uint32_t crc, const unsigned char *p, size_t n)
{
	int k;

	crc = ~crc;
	while (n-- > 0) {
		crc ^= *p++;
		for (k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xedb88320U & -(crc & 1));
	}
	return ~crc;
}

static unsigned char *
put32(unsigned char *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
	return p + 4;
}

#define PNG_W	240
#define PNG_H	120
#define PNG_ROW	(1 + PNG_W * 3)
#define PNG_RAW	(PNG_H * PNG_ROW)
/* Signature, IHDR, IDAT (zlib header, stored blocks of at most 65535
 * bytes with 5 bytes each, Adler-32), IEND. */
#define PNG_MAX	(8 + 25 + 12 + 2 + PNG_RAW + 5 * (PNG_RAW / 65535 + 1) + \
	4 + 12)

static void
fill(unsigned char *raw, int x0, int y0, int x1, int y1, uint32_t rgb)
{
	int x, y;

	for (y = y0; y < y1; y++)
		for (x = x0; x < x1; x++) {
			unsigned char *px = raw + y * PNG_ROW + 1 + x * 3;

			px[0] = rgb >> 16;
			px[1] = rgb >> 8;
			px[2] = rgb;
		}
}

/* The screenshot of the timeline ticket: a window with task bars, two
 * labels drawn over each other, and the red box the thread talks of.
 * Uncompressed (stored deflate blocks), so no zlib is needed. */
static size_t
draw_png(unsigned char *out)
{
	static unsigned char raw[PNG_RAW];
	static const unsigned char sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n',
	    0x1a, '\n' };
	unsigned char *p = out, *chunk;
	uint32_t a = 1, b = 0;
	size_t i, left;
	int y;

	fill(raw, 0, 0, PNG_W, PNG_H, 0xffffff);
	fill(raw, 0, 0, PNG_W, 14, 0xe5e7eb);		/* title bar */
	fill(raw, 6, 5, 10, 9, 0xef4444);
	fill(raw, 13, 5, 17, 9, 0xf59e0b);
	fill(raw, 20, 5, 24, 9, 0x22c55e);
	for (y = 30; y < PNG_W; y += 30)		/* day lines */
		fill(raw, y, 14, y + 1, PNG_H, 0xf1f5f9);
	fill(raw, 20, 24, 120, 32, 0x3b82f6);		/* task bars */
	fill(raw, 60, 44, 200, 52, 0x3b82f6);
	fill(raw, 60, 58, 170, 66, 0x8b5cf6);
	fill(raw, 100, 84, 220, 92, 0x3b82f6);
	fill(raw, 62, 70, 118, 74, 0x1f2937);		/* labels, overlapping */
	fill(raw, 66, 72, 130, 76, 0x374151);
	fill(raw, 54, 40, 56, 82, 0xdc2626);		/* the red box */
	fill(raw, 136, 40, 138, 82, 0xdc2626);
	fill(raw, 54, 40, 138, 42, 0xdc2626);
	fill(raw, 54, 80, 138, 82, 0xdc2626);

	memcpy(p, sig, sizeof(sig));
	p += sizeof(sig);
	p = put32(p, 13);
	chunk = p;
	memcpy(p, "IHDR", 4);
	p = put32(put32(p + 4, PNG_W), PNG_H);
	*p++ = 8;		/* bits per sample */
	*p++ = 2;		/* RGB */
	*p++ = 0;
	*p++ = 0;
	*p++ = 0;
	p = put32(p, crc32_of(0, chunk, p - chunk));

	chunk = p + 4;
	memcpy(chunk, "IDAT", 4);
	p = chunk + 4;
	*p++ = 0x78;
	*p++ = 0x01;
	for (i = 0; i < PNG_RAW; i += left) {
		left = PNG_RAW - i < 65535 ? PNG_RAW - i : 65535;
		*p++ = i + left == PNG_RAW;	/* final block, stored */
		*p++ = left & 0xff;
		*p++ = left >> 8;
		*p++ = ~left & 0xff;
		*p++ = (~left >> 8) & 0xff;
		memcpy(p, raw + i, left);
		p += left;
	}
	for (i = 0; i < PNG_RAW; i++) {
		a = (a + raw[i]) % 65521;
		b = (b + a) % 65521;
	}
	p = put32(p, b << 16 | a);
	put32(chunk - 4, (uint32_t)(p - chunk - 4));
	p = put32(p, crc32_of(0, chunk, p - chunk));
	p = put32(p, 0);
	memcpy(p, "IEND", 4);
	p = put32(p + 4, crc32_of(0, p, 4));
	return p - out;
}

/* File f, as bytes in memory (nothing to let go of, upload.h), sent
 * with the message just written (comment_id 0: the opening one). */
static int
attach(const struct actor *a, enum demo_file f, long long ticket_id,
    long long comment_id)
{
	static const char console[] =
	    "[09:14:02.311] POST /api/session 401 (Unauthorized)\n"
	    "[09:14:02.315] auth: reset token already used "
	    "(issued 09:02:47, first used 09:02:49)\n"
	    "[09:14:02.316] Error: invalid email or password\n"
	    "[09:15:40.102] POST /api/session 401 (Unauthorized)\n"
	    "[09:15:40.104] Error: invalid email or password\n";
	static const char usage[] =
	    "member,email,role,status,last_sign_in\n"
	    "Hannah Schmidt,hannah.schmidt@northwind.example,admin,active,"
	    "today\n"
	    "Jan Peters,jan.peters@northwind.example,member,active,today\n"
	    "Aylin Demir,aylin.demir@northwind.example,member,active,"
	    "yesterday\n"
	    "Marek Nowak,marek.nowak@northwind.example,member,active,today\n"
	    "Sofia Rossi,sofia.rossi@northwind.example,member,active,"
	    "3 days ago\n"
	    "Ben Fischer,ben.fischer@northwind.example,member,active,today\n"
	    "Lena Vogel,lena.vogel@northwind.example,member,active,"
	    "yesterday\n"
	    "Omar Aziz,omar.aziz@northwind.example,member,active,today\n"
	    "Eva Lindqvist,eva.lindqvist@northwind.example,guest,active,"
	    "last week\n"
	    "Jonas Weber,jonas.weber@northwind.example,member,invited,\n"
	    "Petra Lang,petra.lang@northwind.example,member,invited,\n";
	static const char webhook[] =
	    "delivery  event          endpoint                          "
	    "result\n"
	    "wh_81f3   task.updated   https://hooks.watanabe-labs.example "
	    "timeout after 10.0 s (connected, no response)\n"
	    "wh_81f4   task.created   https://hooks.watanabe-labs.example "
	    "timeout after 10.0 s (connected, no response)\n"
	    "wh_81f9   task.updated   https://hooks.watanabe-labs.example "
	    "timeout after 10.0 s (connected, no response)\n"
	    "wh_8202   comment.added  https://hooks.watanabe-labs.example "
	    "timeout after 10.0 s (connected, no response)\n";
	static unsigned char png[PNG_MAX];
	struct upload file;
	struct uploads files;

	switch (f) {
	case F_CONSOLE_LOG:
		file = (struct upload){ "console-log.txt", console,
		    sizeof(console) - 1 };
		break;
	case F_USAGE_CSV:
		file = (struct upload){ "usage-report.csv", usage,
		    sizeof(usage) - 1 };
		break;
	case F_TIMELINE_PNG:
		file = (struct upload){ "timeline-overlap.png", png, 0 };
		file.len = draw_png(png);
		break;
	case F_WEBHOOK_LOG:
		file = (struct upload){ "webhook-deliveries.txt", webhook,
		    sizeof(webhook) - 1 };
		break;
	default:
		return 0;
	}
	memset(&files, 0, sizeof(files));
	files.v = &file;
	files.n = 1;
	return attachments_save(a, &files, ticket_id, comment_id) == OK ? 0 :
	    -1;
}

/* A mail's body as mailin stores it: the new part shown, the rest (a
 * signature, the quoted message) folded. */
static void
mail_body(const char *text, struct body *b)
{
	const char *fold;

	memset(b, 0, sizeof(*b));
	b->format = BODY_MAIL_TEXT;
	b->text = text;
	if ((fold = strstr(text, "\n-- \n")) == NULL)
		fold = strstr(text, " wrote:\n> ");
	if (fold != NULL)
		while (fold > text && fold[-1] != '\n')
			fold--;
	b->reply_len = fold != NULL ? (size_t)(fold - text) : strlen(text);
}

/* The version a triage change starts from, as an agent sees it. */
static long long
version_of(const struct actor *a, long long num)
{
	struct json_object *t, *v;
	long long version = -1;

	if (ticket_load(a, num, &t) != OK)
		return -1;
	if (json_object_object_get_ex(t, "version", &v))
		version = json_object_get_int64(v);
	json_object_put(t);
	return version;
}

/* A moment of ticket i's life, `after` minutes after it opened, and a few
 * seconds apart from any other (no two rows share a time). */
static time_t
moment(size_t i, int after, int n)
{
	time_t t = now - (time_t)tickets[i].ago * 60 + (time_t)after * 60 +
	    (time_t)((i * 37 + (size_t)n * 11) % 50);

	return t < now - 60 ? t : now - 60 - n;
}

/* Step n of ticket i (id), as the person who wrote it. */
static int
make_step(size_t i, int n, long long id)
{
	const struct demo_step *s = &tickets[i].steps[n];
	struct actor a;
	struct body b;
	long long cid;

	act_as(&a, s->who);
	if (s->mail)
		mail_body(s->text, &b);
	if ((s->mail ? comment_add_body(&a, id, &b, s->internal, &cid) :
	    comment_add(&a, id, s->text, s->internal, &cid)) != OK ||
	    attach(&a, s->file, id, cid) == -1 ||
	    audit(&a, ws_id, 0, s->internal ? "note.create" :
	    "comment.create", "comment", cid) != OK)
		return -1;
	return move_back(id, moment(i, s->after, n + 1));
}

/* A triage change to ticket i by its agent (or the first agent when it
 * has none), at `after` minutes: n tells the moments apart. */
static int
change(size_t i, const struct ticket_change *ch, int after, int n,
    long long num, long long id)
{
	const struct demo_ticket *t = &tickets[i];
	struct actor a;

	act_as(&a, t->assignee >= 0 ? t->assignee : AGENT);
	if (ticket_update(&a, id, version_of(&a, num), ch) != OK ||
	    audit(&a, ws_id, 0, "ticket.update", "ticket", id) != OK)
		return -1;
	return move_back(id, moment(i, after, n));
}

/* Triage as an agent does it first: who takes it, how urgent, tags. */
static int
triage(size_t i, int after, long long num, long long id)
{
	const struct demo_ticket *t = &tickets[i];
	struct ticket_change ch;

	memset(&ch, 0, sizeof(ch));
	ch.priority = t->priority == P_NORMAL ? 0 : t->priority;
	ch.assignee = t->assignee >= 0 ? people[t->assignee].id : 0;
	ch.tags = *t->tags != '\0' ? t->tags : NULL;
	if (ch.priority == 0 && ch.assignee == 0 && ch.tags == NULL)
		return 0;
	return change(i, &ch, after < 1 ? 1 : after, 8, num, id);
}

/* Where the thread left ticket i: pending, solved or closed (an agent's
 * reply has already made it open). */
static int
conclude(size_t i, int after, long long num, long long id)
{
	struct ticket_change ch;

	if (tickets[i].status == S_NEW || tickets[i].status == S_OPEN)
		return 0;
	memset(&ch, 0, sizeof(ch));
	ch.status = tickets[i].status;
	return change(i, &ch, after, 9, num, id);
}

static int
is_staff(int who)
{
	return people[who].role != ROLE_REQUESTER;
}

/* Ticket i: opened by its requester (by mail or on the web), triaged
 * before an agent first acts on it, its thread, where it ended; each at
 * its own time. */
static int
make_ticket(size_t i)
{
	const struct demo_ticket *t = &tickets[i];
	struct actor a;
	struct body b;
	long long id, num;
	int n, last = 0, triaged = 0;

	act_as(&a, t->requester);
	if (t->mail)
		mail_body(t->body, &b);
	if ((t->mail ? ticket_create_body(&a, t->subject, &b, a.user_id,
	    &num, &id) : ticket_create(&a, t->subject, t->body, a.user_id,
	    &num, &id)) != OK ||
	    attach(&a, t->file, id, 0) == -1 ||
	    audit(&a, ws_id, 0, "ticket.create", "ticket", id) != OK ||
	    move_back(id, moment(i, 0, 0)) == -1)
		return -1;
	for (n = 0; n < (int)nitems(t->steps) && t->steps[n].text != NULL;
	    n++) {
		if (!triaged && is_staff(t->steps[n].who)) {
			if (triage(i, t->steps[n].after - 1, num, id) == -1)
				return -1;
			triaged = 1;
		}
		if (make_step(i, n, id) == -1)
			return -1;
		last = t->steps[n].after;
	}
	if ((!triaged && triage(i, last + 2, num, id) == -1) ||
	    conclude(i, last + 3, num, id) == -1)
		return -1;
	return settle(id);
}

static int
make_workspace(void)
{
	struct workspace *ws;
	enum outcome rc;
	size_t i;
	char at[20];

	if ((rc = ws_lookup(DEMO_SLUG, 0, &ws)) == OK) {
		workspace_free(ws);
		return 0;
	}
	if (rc != E_NOT_FOUND)
		return -1;
	now = time(NULL);
	datetime(now - 60, fresh, sizeof(fresh));
	if (db_begin() == -1 ||
	    ws_create(DEMO_SLUG, "Acme Support", people[ADMIN].id,
	    &ws_id) != OK ||
	    ws_update(ws_id, "Acme Support", 1) != OK)
		goto err;
	for (i = AGENT; i < NPEOPLE; i++)
		if (member_add(ws_id, people[i].id, people[i].role) != OK)
			goto err;
	/* Demo only: the desk has existed since before its first ticket. */
	datetime(now - (time_t)(tickets[0].ago + H(24)) * 60, at, sizeof(at));
	if (db_exec("UPDATE workspaces SET created_at = ?, updated_at = ?"
	    " WHERE id = ?", "ssi", at, at, ws_id) == -1 ||
	    db_exec("UPDATE memberships SET created_at = ?"
	    " WHERE workspace_id = ?", "si", at, ws_id) == -1 ||
	    db_exec("UPDATE audit_log SET created_at = ?"
	    " WHERE workspace_id = ? AND created_at >= ?", "sis", at, ws_id,
	    fresh) == -1)
		goto err;
	for (i = 0; i < nitems(tickets); i++)
		if (make_ticket(i) == -1)
			goto err;
	kv_free(&rendered);
	return db_commit();
err:
	db_rollback();
	return -1;
}

int
main(void)
{
	char err[512];
	size_t i;

	if (config_load() == -1)
		return 1;
	/* The model mails what the demo does (notify.h), as for anyone. */
	if (i18n_load(cfg.locale_dir, err, sizeof(err)) == -1) {
		fprintf(stderr, "demo: %s\n", err);
		return 1;
	}
	if (tmpl_load(cfg.templates, err, sizeof(err)) == -1) {
		fprintf(stderr, "demo: templates: %s\n", err);
		return 1;
	}
	if (db_connect() == -1) {
		fprintf(stderr, "demo: cannot connect to the database\n");
		return 1;
	}
	if (make_people() == -1 || make_workspace() == -1) {
		fprintf(stderr, "demo: loading the demo data failed\n");
		return 1;
	}
	printf("Demo workspace: http://127.0.0.1:%s/w/%s/tickets\n",
	    getenv("PORT") ? getenv("PORT") : "8080", DEMO_SLUG);
	printf("Demo sign-ins (password for each: %s):\n", DEMO_PASSWORD);
	for (i = 0; i < DEMO_PRINTED; i++)
		printf("  %-10s %s\n", role_name(people[i].role),
		    people[i].email);
	db_close();
	return 0;
}
