/*
 * demo: loads the demo data that `make run` shows, once: three people, a
 * workspace, and a few dozen tickets with replies, internal notes and an
 * attachment. Running it again changes nothing. The sign-ins it prints
 * are for a local trial only.
 *
 * It writes through the same lib/ functions the pages use, as each demo
 * person in turn, so the data is what the product would have made.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attachments.h"
#include "authz.h"
#include "config.h"
#include "db.h"
#include "http.h"
#include "tickets.h"
#include "users.h"
#include "util.h"
#include "workspaces.h"

#define DEMO_PASSWORD	"demo-password"
#define DEMO_SLUG	"acme"

enum { ADMIN, AGENT, REQUESTER, REQUESTER2, NPEOPLE };

static struct demo_user {
	const char	*name;
	const char	*email;
	enum role	 role;
	long long	 id;
} people[NPEOPLE] = {
	{ "Ada Admin", "admin@demo.example", ROLE_ADMIN, 0 },
	{ "Alan Agent", "agent@demo.example", ROLE_AGENT, 0 },
	{ "Grace Requester", "requester@demo.example", ROLE_REQUESTER, 0 },
	{ "Linus Customer", "linus@demo.example", ROLE_REQUESTER, 0 },
};

static const char *const subjects[] = {
	"Cannot sign in after password reset",
	"Invoice #2291 charged twice",
	"Export to CSV drops accented names",
	"Printer on floor 3 shows paper jam",
	"Request: dark mode for the dashboard",
	"VPN disconnects every 10 minutes",
	"How do I add a colleague?",
	"Refund for cancelled order",
	"Email notifications arrive late",
	"Mobile app crashes on upload",
	"Change billing address",
	"Slow search on large projects",
};

static const char *const bodies[] = {
	"Since this morning I get *invalid credentials*, even after the "
	    "reset link.\n\nBrowser: Firefox 128.",
	"My card was charged **twice** for the same invoice. Please refund "
	    "one of them.",
	"Names like *Zoë* or *José* come out garbled in the export.",
	"It says paper jam, but there is no paper stuck anywhere.",
	"Working late would be easier on the eyes with a dark theme.",
};

static const char *const replies[] = {
	"Thanks for reporting this, I'm looking into it now.",
	"Could you send a screenshot of the error?",
	"Here it is, see above.",
	"Fixed on our side: please try again and let us know.",
};

static const char *const notes[] = {
	"Same root cause as last week's incident; linking internally.",
	"Customer is on the enterprise plan: reply within 4 hours.",
};

/* A request as person p in the workspace, for the lib/ functions. */
static void
act_as(struct req *r, struct user *u, struct workspace *ws, int p)
{
	u->id = people[p].id;
	u->name = (char *)people[p].name;
	u->email = (char *)people[p].email;
	ws->role = people[p].role;
	r->user = u;
	r->ws = ws;
}

static int
make_people(void)
{
	size_t i;

	for (i = 0; i < NPEOPLE; i++) {
		int rc = user_create(people[i].name, people[i].email,
		    DEMO_PASSWORD, &people[i].id);

		if (rc == USER_EXISTS)
			people[i].id = db_scalar("SELECT id FROM users WHERE"
			    " email = ?", "s", people[i].email);
		else if (rc == -1)
			return -1;
		if (people[i].id <= 0)
			return -1;
	}
	return 0;
}

static int
attach_log(struct req *r, long long ticket_id)
{
	static char log[] = "2026-11-28 09:14:02 ERROR auth: token expired\n"
	    "2026-11-28 09:14:05 ERROR auth: token expired\n";
	struct part p;

	memset(&p, 0, sizeof(p));
	p.name = "files";
	p.filename = "error.log";
	p.data = log;
	p.len = sizeof(log) - 1;
	r->files.v = &p;
	r->files.n = 1;
	if (attachments_save(r, ticket_id, 0) == -1)
		return -1;
	r->files.v = NULL;
	r->files.n = 0;
	return 0;
}

/* Ticket i: opened by a requester, answered, sometimes noted, triaged. */
static int
make_ticket(struct req *r, struct user *u, struct workspace *ws, int i)
{
	struct ticket_change ch;
	long long id, num;
	int k;

	act_as(r, u, ws, i % 3 == 0 ? REQUESTER2 : REQUESTER);
	num = ticket_create(r, subjects[i % nitems(subjects)],
	    bodies[i % nitems(bodies)], r->user->id, &id);
	if (num == -1 || (i == 0 && attach_log(r, id) == -1))
		return -1;
	for (k = 0; k < i % 4; k++) {
		act_as(r, u, ws, k % 2 == 0 ? AGENT : REQUESTER);
		if (comment_add(r, id, replies[k], 0) == -1)
			return -1;
	}
	act_as(r, u, ws, AGENT);
	if (i % 4 == 1 && comment_add(r, id, notes[i % nitems(notes)], 1) == -1)
		return -1;
	memset(&ch, 0, sizeof(ch));
	ch.status = 1 + i % 5;
	ch.priority = 1 + (i * 7) % 4;
	ch.assignee = i % 2 ? people[AGENT].id : -1;
	ch.tags = i % 3 ? "billing" : "login,urgent-customer";
	return ticket_update(r, id, db_scalar("SELECT version FROM tickets"
	    " WHERE id = ?", "i", id), &ch) == 0 ? 0 : -1;
}

static int
make_workspace(void)
{
	struct req r;
	struct user u;
	struct workspace ws;
	size_t i;
	int n;

	if (db_scalar("SELECT COUNT(*) FROM workspaces WHERE slug = ?", "s",
	    DEMO_SLUG) > 0)
		return 0;
	memset(&r, 0, sizeof(r));
	memset(&ws, 0, sizeof(ws));
	r.remote_addr = "127.0.0.1";
	r.user_agent = "demo loader";
	ws.slug = DEMO_SLUG;
	ws.name = "Acme Support";
	if (db_begin() == -1 ||
	    ws_create(DEMO_SLUG, ws.name, people[ADMIN].id, &ws.id) != 0 ||
	    ws_update(ws.id, ws.name, 1) == -1)
		return -1;
	for (i = AGENT; i < NPEOPLE; i++)
		if (db_exec("INSERT INTO memberships (workspace_id, user_id,"
		    " role, created_at) VALUES (?, ?, ?, UTC_TIMESTAMP())",
		    "iis", ws.id, people[i].id, role_name(people[i].role)) != 1)
			return -1;
	for (n = 0; n < 36; n++)
		if (make_ticket(&r, &u, &ws, n) == -1)
			return -1;
	kv_free(&r.markdown);
	return db_commit();
}

int
main(void)
{
	size_t i;

	if (config_load() == -1)
		return 1;
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
	for (i = 0; i < NPEOPLE; i++)
		printf("  %-10s %s\n", role_name(people[i].role),
		    people[i].email);
	db_close();
	return 0;
}
