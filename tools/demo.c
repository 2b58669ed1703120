/*
 * demo: loads the demo data that `make run` shows, once: three people, a
 * workspace, and a few dozen tickets with replies, internal notes and an
 * attachment. Running it again changes nothing. The sign-ins it prints
 * are for a local trial only.
 *
 * It writes through the same model functions the pages use, acting as
 * each demo person in turn (struct actor, named "demo"), so the data is
 * what the product would have made.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "actor.h"
#include "attachments.h"
#include "config.h"
#include "tmpl.h"
#include "db.h"
#include "kv.h"
#include "policy.h"
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

/* The demo workspace, and Markdown rendered while loading it. */
static long long ws_id;
static struct kvlist rendered = KVLIST_INIT;

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

/* A log file, sent with the first ticket: bytes in memory, so nothing
 * to let go of (upload.h). */
static int
attach_log(const struct actor *a, long long ticket_id)
{
	static const char log[] = "2026-11-28 09:14:02 ERROR auth: token "
	    "expired\n2026-11-28 09:14:05 ERROR auth: token expired\n";
	const struct upload file = { "error.log", log, sizeof(log) - 1 };
	const struct uploads files = { &file, 1, NULL, NULL };

	return attachments_save(a, &files, ticket_id, 0) == OK ? 0 : -1;
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

/* Ticket i: opened by a requester, answered, sometimes noted, triaged. */
static int
make_ticket(int i)
{
	struct ticket_change ch;
	struct actor a;
	long long id, num, cid;
	int k;

	act_as(&a, i % 3 == 0 ? REQUESTER2 : REQUESTER);
	if (ticket_create(&a, subjects[i % nitems(subjects)],
	    bodies[i % nitems(bodies)], a.user_id, &num, &id) != OK ||
	    (i == 0 && attach_log(&a, id) == -1))
		return -1;
	for (k = 0; k < i % 4; k++) {
		act_as(&a, k % 2 == 0 ? AGENT : REQUESTER);
		if (comment_add(&a, id, replies[k], 0, &cid) != OK)
			return -1;
	}
	act_as(&a, AGENT);
	if (i % 4 == 1 && comment_add(&a, id, notes[i % nitems(notes)], 1,
	    &cid) != OK)
		return -1;
	memset(&ch, 0, sizeof(ch));
	ch.status = 1 + i % 5;
	ch.priority = 1 + (i * 7) % 4;
	ch.assignee = i % 2 ? people[AGENT].id : -1;
	ch.tags = i % 3 ? "billing" : "login,urgent-customer";
	return ticket_update(&a, id, version_of(&a, num), &ch) == OK ? 0 : -1;
}

static int
make_workspace(void)
{
	struct workspace *ws;
	enum outcome rc;
	size_t i;
	int n;

	if ((rc = ws_lookup(DEMO_SLUG, 0, &ws)) == OK) {
		workspace_free(ws);
		return 0;
	}
	if (rc != E_NOT_FOUND)
		return -1;
	if (db_begin() == -1 ||
	    ws_create(DEMO_SLUG, "Acme Support", people[ADMIN].id,
	    &ws_id) != OK ||
	    ws_update(ws_id, "Acme Support", 1) != OK)
		return -1;
	for (i = AGENT; i < NPEOPLE; i++)
		if (member_add(ws_id, people[i].id, people[i].role) != OK)
			return -1;
	for (n = 0; n < 36; n++)
		if (make_ticket(n) == -1)
			return -1;
	kv_free(&rendered);
	return db_commit();
}
int
main(void)
{
	char err[512];
	size_t i;

	if (config_load() == -1)
		return 1;
	/* The model mails what the demo does (notify.h), as for anyone. */
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
	for (i = 0; i < NPEOPLE; i++)
		printf("  %-10s %s\n", role_name(people[i].role),
		    people[i].email);
	db_close();
	return 0;
}
