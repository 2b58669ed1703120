/*
 * gen: writes the bench workspace as tab-separated files for LOAD DATA
 * INFILE (bench/load loads them): one workspace "bench" with an admin,
 * agents and requesters, tickets with tags, public comments, internal
 * notes and a few history events, and the per-status counters.
 *
 *	gen [-s SCALE] DIR
 *
 * SCALE 1.0 (the default) is 1,000,000 tickets, 3,000,000 comments and
 * notes, 100 agents and 100,000 requesters; SCALE 0.01 is a quick try.
 * The output is the same for the same SCALE (a seeded generator), except
 * the password hash, which has a random salt.
 *
 * What the bench relies on, written to DIR/meta.env:
 *   - everyone's password is BENCH_PASSWORD (one argon2id hash, made with
 *     the costs of $HELPDESK_CONFIG, shared by every user);
 *   - ticket #1 has exactly 20 thread entries (comments, notes, events)
 *     and belongs to the bench requester;
 *   - the word BENCH_WORD occurs in about 0.5% of the tickets' bodies and
 *     nowhere else, so a search for it matches thousands of tickets;
 *     BENCH_RARE_WORD in about 3 tickets in 100,000;
 *   - a second workspace, BENCH_SMALL_SLUG, with 1% as many tickets
 *     (10,000 at SCALE 1) after the first's, whose agents are the first
 *     ten of "bench": a search there must not pay for the big one.
 *
 * Files: users, workspaces, memberships, tickets, ticket_tags, comments,
 * ticket_events, ticket_counts, search_words (.tsv), in the column order
 * of bench/load. search_words is the search index (sql/025), cut by the
 * model's own search_doc_words, as tools/search-reindex would write it.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "tickets.h"
#include "password.h"
#include "searchidx.h"
#include "util.h"

/* Bumped when the output changes, so bench/run regenerates. */
#define GEN_VERSION	"4"

#define PASSWORD	"bench-password"
#define WORD		"zeppelin"
#define RARE_WORD	"quokka"
#define SLUG		"bench"
#define SMALL_SLUG	"small"
#define WS_ID		1
#define SMALL_WS_ID	2
#define SMALL_AGENTS	10	/* the first agents of "bench" */
#define ADMIN_ID	1
#define VIEW_TICKET	1	/* the ticket with 20 thread entries */
#define COMMENT_TICKET	2	/* the ticket the comment scenario posts to */

/* 2022-06-01 00:00:00 UTC: the first ticket. Tickets span three years. */
#define EPOCH		1654041600LL
#define SPAN		(3LL * 365 * 86400)

static const char *const status_names[ST__MAX] = {
	"", "new", "open", "pending", "solved", "closed",
};

/* ---- a small deterministic generator (splitmix64) ---------------------- */

static uint64_t seed = 0x68656c70ULL;

static uint64_t
rnd64(void)
{
	uint64_t z = (seed += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* A number in [0, n). */
static uint64_t
rnd(uint64_t n)
{
	return n ? rnd64() % n : 0;
}

/* 1 with probability pct/1000. */
static int
chance(unsigned permille)
{
	return rnd(1000) < permille;
}

/* ---- words ------------------------------------------------------------ */

static const char *const words[] = {
	"account", "address", "after", "again", "agent", "alert", "already",
	"android", "answer", "anyone", "app", "around", "attached", "backup",
	"balance", "bank", "battery", "because", "before", "being", "below",
	"billing", "blank", "broken", "browser", "button", "cache", "calendar",
	"camera", "cancel", "card", "cart", "change", "charged", "chart",
	"check", "chrome", "client", "closed", "colleague", "column",
	"company", "computer", "config", "connect", "contact", "contract",
	"copy", "corrupt", "coupon", "crash", "credit", "customer",
	"dashboard", "data", "database", "date", "deadline", "delay",
	"delete", "delivery", "desktop", "device", "discount", "disk",
	"display", "document", "domain", "download", "driver", "duplicate",
	"during", "email", "empty", "error", "every", "excel", "expired",
	"export", "failed", "field", "file", "filter", "firefox", "firewall",
	"folder", "font", "form", "freeze", "friday", "gateway", "graph",
	"group", "happens", "header", "help", "history", "home", "hours",
	"image", "import", "inbox", "install", "instead", "invoice", "iphone",
	"issue", "keyboard", "label", "language", "laptop", "later", "layout",
	"license", "link", "list", "loading", "locked", "login", "logo",
	"mailbox", "manager", "message", "meeting", "memory", "menu",
	"minutes", "missing", "mobile", "modem", "monday", "monitor",
	"month", "morning", "mouse", "network", "never", "notification",
	"number", "office", "offline", "order", "outlook", "package", "page",
	"paper", "parcel", "password", "payment", "pdf", "phone", "picture",
	"plan", "please", "plugin", "portal", "price", "printer", "problem",
	"profile", "project", "proxy", "quote", "receipt", "refund",
	"release", "reminder", "remote", "report", "request", "reset",
	"restart", "return", "router", "safari", "scanner", "schedule",
	"screen", "search", "second", "server", "session", "settings",
	"setup", "share", "shipping", "signature", "since", "slow", "software",
	"spreadsheet", "status", "still", "storage", "subscription", "support",
	"sync", "system", "table", "tablet", "team", "template", "today",
	"token", "tracking", "training", "transfer", "twice", "update",
	"upgrade", "upload", "user", "version", "video", "warehouse", "week",
	"window", "windows", "wireless", "work", "yesterday", "zip",
	"the", "the", "the", "a", "a", "is", "is", "to", "to", "and", "and",
	"of", "in", "on", "it", "my", "our", "we", "not", "with", "for",
	"this", "that", "when", "but", "now", "again", "all", "some", "can",
	"cannot", "does", "doesn't", "won't", "shows", "keeps", "gets",
	"stopped", "started", "working", "appears", "seems", "tried",
};

static const char *const starters[] = {
	"Since this morning", "After the last update", "When I try to log in",
	"Our team noticed that", "Could you please check why",
	"I am not sure but", "Every time I open the app", "Since Monday",
	"As discussed on the phone", "Following up on my last message,",
	"Hi, quick question:", "It looks like", "Sorry to bother you again,",
	"For the third time,", "Thanks for the quick reply.",
	"We still see that", "One of our customers reports that",
};

static const char *const replies[] = {
	"Thanks for reporting this, I'm looking into it now.",
	"Could you send a screenshot of the error?",
	"Fixed on our side: please try again and let us know.",
	"I have forwarded this to the billing team.",
	"Can you tell me which browser and version you use?",
	"This should be solved with the next release.",
	"We have refunded the duplicate payment.",
	"I reset the account; you should get an email shortly.",
};

static const char *const note_texts[] = {
	"Same root cause as last week's incident; linking internally.",
	"Customer is on the enterprise plan: reply within 4 hours.",
	"Escalated to second level, waiting for engineering.",
	"Known issue, see the release notes draft.",
};

static const char *const tags[] = {
	"billing", "login", "bug", "feature", "refund", "vpn", "printer",
	"email", "mobile", "export", "shipping", "account", "vip",
	"performance", "security", "onboarding", "hardware", "network",
	"invoice", "outage",
};

static const char *const first_names[] = {
	"Ada", "Alan", "Grace", "Linus", "Margaret", "Dennis", "Barbara",
	"Ken", "Frances", "Niklaus", "Radia", "John", "Hedy", "Edsger",
	"Katherine", "Donald", "Sophie", "Tim", "Joan", "Guido", "Zoë",
	"José", "Amélie", "Jürgen", "Søren", "Chloé", "Mateo", "Priya",
	"Wei", "Aisha", "Olga", "Kwame", "Yuki", "Fatima", "Lars", "Ines",
};

static const char *const last_names[] = {
	"Lovelace", "Turing", "Hopper", "Torvalds", "Hamilton", "Ritchie",
	"Liskov", "Thompson", "Allen", "Wirth", "Perlman", "Backus", "Lamarr",
	"Dijkstra", "Johnson", "Knuth", "Wilson", "Berners", "Clarke",
	"Rossum", "Martin", "García", "Müller", "Nielsen", "Dubois", "Rossi",
	"Sharma", "Chen", "Okafor", "Novak", "Tanaka", "Haddad", "Berg",
	"Silva", "Kowalski", "Ivanova",
};

/* ---- text ------------------------------------------------------------- */

struct text {
	char	*s;
	size_t	 len, cap;
};

static void
put(struct text *t, const char *s)
{
	size_t n = strlen(s);

	if (t->len + n + 1 > t->cap) {
		t->cap = (t->len + n + 1) * 2;
		t->s = xrealloc(t->s, t->cap);
	}
	memcpy(t->s + t->len, s, n + 1);
	t->len += n;
}

static void
putf(struct text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
putf(struct text *t, const char *fmt, ...)
{
	char tmp[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	put(t, tmp);
}

#define PICK(a)	((a)[rnd(nitems(a))])

/* A sentence of about n words; plant (if not NULL) is put in it. */
static void
sentence(struct text *t, unsigned n, const char *plant)
{
	unsigned i, at = plant ? (unsigned)rnd(n) : n;
	int starter = chance(300);
	size_t first;

	if (starter) {
		put(t, PICK(starters));
		put(t, " ");
	}
	first = t->len;
	for (i = 0; i < n; i++) {
		const char *w = PICK(words);

		if (i)
			put(t, " ");
		if (i == at) {
			put(t, plant);
			put(t, " ");
		}
		/* Numbers make the vocabulary long-tailed, as real
		 * tickets' order, invoice and error numbers do. */
		if (chance(40))
			putf(t, "#%u ", (unsigned)rnd(100000));
		if (chance(15)) {
			put(t, "**");
			put(t, w);
			put(t, "**");
		} else
			put(t, w);
	}
	put(t, ".");
	if (!starter && t->s[first] >= 'a' && t->s[first] <= 'z')
		t->s[first] = (char)(t->s[first] - 'a' + 'A');
}

/* A paragraph or two of sentences; about `words` words in all. */
static void
paragraphs(struct text *t, unsigned nwords, const char *plant)
{
	unsigned done = 0, plant_at = plant ? (unsigned)rnd(nwords) : ~0u;

	while (done < nwords) {
		unsigned n = 6 + (unsigned)rnd(10);

		if (done)
			put(t, chance(250) ? "\n\n" : " ");
		sentence(t, n, plant_at >= done && plant_at < done + n ?
		    plant : NULL);
		done += n;
	}
}

static void
subject(struct text *t)
{
	unsigned i, n = 3 + (unsigned)rnd(6);

	for (i = 0; i < n; i++) {
		const char *w = PICK(words);

		if (i == 0) {
			char cap[64];

			snprintf(cap, sizeof(cap), "%s", w);
			if (cap[0] >= 'a' && cap[0] <= 'z')
				cap[0] = (char)(cap[0] - 'a' + 'A');
			put(t, cap);
		} else {
			put(t, " ");
			put(t, w);
		}
	}
}

/* ---- output ----------------------------------------------------------- */

static const char *outdir;

static FILE *
out(const char *name)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s.tsv", outdir, name);
	if ((f = fopen(path, "w")) == NULL)
		die("gen: %s: %s", path, strerror(errno));
	setvbuf(f, NULL, _IOFBF, 1 << 20);
	return f;
}

static void
done(FILE *f)
{
	if (fflush(f) != 0 || ferror(f) || fclose(f) != 0)
		die("gen: write failed: %s", strerror(errno));
}

/* A field for LOAD DATA's default escaping (\t, \n, \\). */
static void
field(FILE *f, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '\t':
			fputs("\\t", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		default:
			putc(*s, f);
		}
	}
}

static const char *
when(long long t)
{
	static char s[32];
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(s, sizeof(s), "%Y-%m-%d %H:%M:%S", &tm);
	return s;
}

/* ---- progress --------------------------------------------------------- */

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double started;
static int last_pct = -1;

static void
progress(const char *what, long long i, long long n)
{
	int pct = n ? (int)(i * 100 / n) : 100, k;
	char bar[41];

	if (pct == last_pct)
		return;
	last_pct = pct;
	for (k = 0; k < 40; k++)
		bar[k] = k < pct * 40 / 100 ? '#' : '.';
	bar[40] = '\0';
	fprintf(stderr, "\r  %-22s [%s] %3d%% %5.0fs", what, bar, pct,
	    now() - started);
	if (i == n) {
		fputc('\n', stderr);
		last_pct = -1;
	}
}

/* ---- the workspace ---------------------------------------------------- */

struct sizes {
	long long tickets, comments, agents, requesters;
	long long small;	/* tickets of the second workspace */
};

static long long
scaled(double scale, long long full, long long min)
{
	long long n = (long long)(scale * (double)full + 0.5);

	return n < min ? min : n;
}

/* Users 1 admin, 2.. agents, then requesters. */
static long long
agent_id(const struct sizes *z, long long k)	/* k in [0, agents) */
{
	(void)z;
	return 2 + k;
}

static long long
requester_id(const struct sizes *z, long long k)	/* k in [0, requesters) */
{
	return 2 + z->agents + k;
}

static void
person_name(struct text *t, long long id)
{
	uint64_t h = (uint64_t)id * 0x9e3779b97f4a7c15ULL;

	t->len = 0;
	putf(t, "%s %s", first_names[(h >> 20) % nitems(first_names)],
	    last_names[(h >> 40) % nitems(last_names)]);
}

static void
write_people(const struct sizes *z, const char *hash)
{
	FILE *u = out("users"), *m = out("memberships");
	struct text name = { 0 };
	long long id, total = 1 + z->agents + z->requesters;
	const char *created = "2022-01-03 09:00:00";

	for (id = 1; id <= total; id++) {
		char email[64];
		const char *role;

		if (id == ADMIN_ID) {
			snprintf(email, sizeof(email), "admin@bench.example");
			role = "admin";
		} else if (id < 2 + z->agents) {
			snprintf(email, sizeof(email), "agent%lld@bench.example",
			    id - 1);
			role = "agent";
		} else {
			snprintf(email, sizeof(email), "user%lld@bench.example",
			    id - 1 - z->agents);
			role = "requester";
		}
		person_name(&name, id);
		fprintf(u, "%lld\t", id);
		field(u, name.s);
		/* Addresses confirmed: notifications go to everyone, as
		 * in a workspace in use. */
		fprintf(u, "\t%s\t%s\t%s\t%s\t\\N\t%s\n", email, hash,
		    created, created, created);
		fprintf(m, "%d\t%lld\t%s\t%s\n", WS_ID, id, role, created);
		/* "small": the admin, the first agents, 1% of requesters. */
		if (id == ADMIN_ID ||
		    (id < 2 + z->agents && id - 2 < SMALL_AGENTS) ||
		    (id >= 2 + z->agents && id - 2 - z->agents <
		    (z->requesters / 100 > 10 ? z->requesters / 100 : 10)))
			fprintf(m, "%d\t%lld\t%s\t%s\n", SMALL_WS_ID, id,
			    role, created);
		if (id % 1000 == 0 || id == total)
			progress("users", id, total);
	}
	done(u);
	done(m);
	free(name.s);
}

/* Status by age: old tickets are mostly closed, recent ones in work. */
static int
pick_status(long long i, long long n)
{
	unsigned r = (unsigned)rnd(100);

	if (i * 10 < n * 9)
		return r < 70 ? ST_CLOSED : r < 95 ? ST_SOLVED :
		    r < 98 ? ST_PENDING : ST_OPEN;
	return r < 30 ? ST_NEW : r < 70 ? ST_OPEN : r < 85 ? ST_PENDING :
	    ST_SOLVED;
}

static int
pick_priority(void)
{
	unsigned r = (unsigned)rnd(100);

	return r < 20 ? 1 : r < 75 ? 2 : r < 95 ? 3 : 4;
}

struct counters {
	long long status[2][ST__MAX];	/* per workspace: [0] bench, [1] small */
	long long comment_id, event_id, planted, rare, requester_tickets;
	long long small_planted, words;
};

/* What differs between the two workspaces. */
struct wsgen {
	int		 id, big;	/* big: "bench", with the bench's tickets */
	long long	 first_id, n;	/* ticket ids first_id .. first_id+n-1 */
	long long	 agents, requesters;	/* the first k of each */
};

struct files {
	FILE	*tickets, *tags, *comments, *events, *words;
};

static void
write_event(FILE *e, struct counters *c, int ws, long long ticket,
    long long actor, const char *fieldname, const char *from, const char *to,
    long long at)
{
	fprintf(e, "%lld\t%lld\t%d\t%lld\t%s\t%s\t%s\t%s\n", ++c->event_id,
	    ticket, ws, actor, fieldname, from, to, when(at));
}

/* ---- the search index (sql/025-search-words.sql) ------------------------ */

/* A ticket's rows, written sorted by the primary key (ticket_id, word,
 * doc_id) so that LOAD DATA appends to the table instead of splitting
 * pages. */
struct wordrow {
	char		 w[SEARCH_INDEX_MAX_CHARS * 4 + 1];
	long long	 doc;
	int		 internal;
};

static struct {
	struct wordrow	*v;
	size_t		 n, cap;
	long long	 doc;
	int		 internal;
} rows;

static void
doc_word(const char *w, size_t n, void *arg)
{
	struct wordrow *r;
	size_t i;

	(void)arg;
	if (rows.n == rows.cap) {
		rows.cap = rows.cap ? rows.cap * 2 : 1024;
		rows.v = xrealloc(rows.v, rows.cap * sizeof(*rows.v));
	}
	r = &rows.v[rows.n++];
	if (n >= sizeof(r->w))
		n = sizeof(r->w) - 1;
	/* Lower case, as the index's collation compares. */
	for (i = 0; i < n; i++)
		r->w[i] = (char)((unsigned char)w[i] < 0x80 ?
		    tolower((unsigned char)w[i]) : w[i]);
	r->w[n] = '\0';
	r->doc = rows.doc;
	r->internal = rows.internal;
}

/* The words of one document, as the model cuts them, kept for the
 * ticket's flush. */
static void
index_doc(long long doc, int internal, const char *text)
{
	rows.doc = doc;
	rows.internal = internal;
	if (search_doc_words(text, strlen(text), doc_word, NULL) == -1)
		die("gen: out of memory");
}

static int
row_cmp(const void *a, const void *b)
{
	const struct wordrow *x = a, *y = b;
	int c = strcmp(x->w, y->w);

	return c ? c : (x->doc > y->doc) - (x->doc < y->doc);
}

/* MariaDB's TO_DAYS of a Unix time (TO_DAYS('1970-01-01') is 719528). */
#define TO_DAYS(t)	((t) / 86400 + 719528)

/* The ticket's rows, filed under the week of its last update (updated,
 * as SEARCH_BUCKET_SQL computes it; sql/029). */
static void
flush_rows(FILE *f, struct counters *c, int ws, long long ticket,
    long long updated)
{
	long long bucket = TO_DAYS(updated) / SEARCH_BUCKET_DAYS;
	size_t i;

	qsort(rows.v, rows.n, sizeof(*rows.v), row_cmp);
	/* ticket_id, word, doc_id, workspace_id, internal, bucket */
	for (i = 0; i < rows.n; i++)
		fprintf(f, "%lld\t%s\t%lld\t%d\t%d\t%lld\n", ticket,
		    rows.v[i].w, rows.v[i].doc, ws, rows.v[i].internal, bucket);
	c->words += (long long)rows.n;
	rows.n = 0;
}

static void
write_comment(const struct files *o, struct counters *c, int ws,
    long long ticket, long long author, const char *body, int internal,
    long long at)
{
	fprintf(o->comments, "%lld\t%lld\t%d\t%lld\t", ++c->comment_id,
	    ticket, ws, author);
	field(o->comments, body);
	fprintf(o->comments, "\t%d\t%s\n", internal, when(at));
	index_doc(c->comment_id, internal, body);
}

/*
 * Ticket #1: the requester's, 20 thread entries an hour apart: 16 public
 * comments, 2 internal notes (entries 5 and 13) and 2 events (entries 2
 * and 7). Returns the time of the last one (a public comment, so the
 * requester's "updated" too).
 */
static long long
ticket_one_thread(const struct files *o, struct counters *c, long long ticket,
    long long requester, long long agent, long long t0)
{
	struct text body = { 0 };
	long long at = t0;
	int j;

	for (j = 0; j < 20; j++) {
		at = t0 + (j + 1) * 3600LL;
		if (j == 1) {
			write_event(o->events, c, WS_ID, ticket, agent,
			    "status", "new", "open", at);
			continue;
		}
		if (j == 6) {
			write_event(o->events, c, WS_ID, ticket, agent,
			    "priority", "normal", "high", at);
			continue;
		}
		body.len = 0;
		if (j == 4 || j == 12) {
			put(&body, PICK(note_texts));
			write_comment(o, c, WS_ID, ticket, agent, body.s, 1,
			    at);
			continue;
		}
		if (j % 2 == 0)
			put(&body, PICK(replies));
		else
			paragraphs(&body, 20 + (unsigned)rnd(30), NULL);
		write_comment(o, c, WS_ID, ticket, j % 2 == 0 ? agent :
		    requester, body.s, 0, at);
	}
	free(body.s);
	return at;
}

/* Comments per ticket of w: each lands on a random ticket (about 3 each,
 * some with none, some with many); "bench"'s ticket #1 has its own 18. */
static unsigned char *
spread_comments(const struct wsgen *w, long long comments)
{
	unsigned char *ncom = xcalloc((size_t)w->n + 1, 1);
	long long k, i;

	for (k = w->big ? 18 : 0; k < comments; k++) {
		i = (w->big ? 2 : 1) + (long long)rnd((uint64_t)(w->n -
		    (w->big ? 1 : 0)));
		if (ncom[i] < 255)
			ncom[i]++;
		else
			k--;
	}
	return ncom;
}

static void
write_tickets(const struct sizes *z, const struct wsgen *w,
    const struct files *o, struct counters *c)
{
	struct text subj = { 0 }, body = { 0 }, tagl = { 0 }, com = { 0 };
	unsigned char *ncom;
	long long num, gap = SPAN / w->n, every;
	long long *status = c->status[w->big ? 0 : 1];
	char what[64];

	ncom = spread_comments(w, w->n * z->comments / z->tickets);
	/* The bench requester has a page or two of tickets. */
	every = w->n / 40 > 1 ? w->n / 40 : 1;
	snprintf(what, sizeof(what), "tickets of %s",
	    w->big ? SLUG : SMALL_SLUG);

	for (num = 1; num <= w->n; num++) {
		long long i = w->first_id + num - 1, k;
		long long created = EPOCH + (num - 1) * gap +
		    (long long)rnd((uint64_t)gap), updated, pub;
		long long requester, assignee = 0, agent;
		int status_ = pick_status(num, w->n), prio = pick_priority();
		int view = w->big && num == VIEW_TICKET;
		int plant = (!w->big || num > COMMENT_TICKET) && chance(5);
		int rare = !plant && rnd(100000) < 3;
		unsigned ntags = (unsigned)rnd(4), n, j;
		const char *chosen[3];

		if (w->big && (view || num % every == 0))
			requester = requester_id(z, 0);
		else
			requester = requester_id(z,
			    (long long)rnd((uint64_t)w->requesters));
		if (w->big && requester == requester_id(z, 0))
			c->requester_tickets++;
		if (status_ != ST_NEW ? chance(900) : chance(200))
			assignee = agent_id(z,
			    (long long)rnd((uint64_t)w->agents));
		if (view) {
			status_ = ST_OPEN;
			prio = 3;
			assignee = agent_id(z, 0);
		}
		if (w->big && num == COMMENT_TICKET)
			status_ = ST_OPEN;
		status[status_]++;
		if (w->big) {
			c->planted += plant;
			c->rare += rare;
		} else
			c->small_planted += plant;

		subj.len = body.len = tagl.len = 0;
		subject(&subj);
		paragraphs(&body, 25 + (unsigned)rnd(50), plant ? WORD :
		    rare ? RARE_WORD : NULL);

		/* Tags: up to three distinct ones. */
		for (n = 0; n < ntags; n++) {
			const char *tag = PICK(tags);

			for (j = 0; j < n && strcmp(chosen[j], tag) != 0; j++)
				;
			if (j < n)
				break;	/* a repeat ends the list */
			chosen[n] = tag;
			if (tagl.len)
				put(&tagl, ",");
			put(&tagl, tag);
			fprintf(o->tags, "%lld\t%d\t%s\n", i, w->id, tag);
		}

		/* The thread: comments after the ticket, in time order. */
		agent = assignee ? assignee :
		    agent_id(z, (long long)rnd((uint64_t)w->agents));
		if (view)
			updated = pub = ticket_one_thread(o, c, i,
			    requester, agent, created);
		else {
			long long at = created;

			pub = created;	/* moved by what requesters see */
			for (k = 0; k < ncom[num]; k++) {
				int internal = chance(200);

				at += 600 + (long long)rnd(2 * 86400);
				com.len = 0;
				if (internal)
					put(&com, PICK(note_texts));
				else {
					if (k % 2 == 0) {
						put(&com, PICK(replies));
						put(&com, "\n\n");
					}
					paragraphs(&com,
					    10 + (unsigned)rnd(30), NULL);
				}
				write_comment(o, c, w->id, i, internal ||
				    k % 2 == 0 ? agent : requester, com.s,
				    internal, at);
				if (!internal)
					pub = at;
			}
			/* A few tickets show their history. */
			if (status_ != ST_NEW && chance(20)) {
				at += 60;
				write_event(o->events, c, w->id, i, agent,
				    "status", "new", status_names[status_], at);
				pub = at;
			}
			updated = at;
		}

		/* id, workspace_id, number, subject, body, status, priority,
		 * requester_id, assignee_id, tags, version, created_at,
		 * updated_at, public_updated_at */
		fprintf(o->tickets, "%lld\t%d\t%lld\t", i, w->id, num);
		field(o->tickets, subj.s);
		fputc('\t', o->tickets);
		field(o->tickets, body.s);
		fprintf(o->tickets, "\t%d\t%d\t%lld\t", status_, prio,
		    requester);
		if (assignee)
			fprintf(o->tickets, "%lld\t", assignee);
		else
			fputs("\\N\t", o->tickets);
		fprintf(o->tickets, "%s\t1\t%s\t", tagl.s ? tagl.s : "",
		    when(created));
		fprintf(o->tickets, "%s\t", when(updated));
		fprintf(o->tickets, "%s\n", when(pub));

		/* Document 0: subject and description, as MATCH (subject,
		 * body) sees them. */
		put(&subj, "\n");
		put(&subj, body.s);
		index_doc(0, 0, subj.s);
		flush_rows(o->words, c, w->id, i, updated);
		if (num % 1000 == 0 || num == w->n)
			progress(what, num, w->n);
	}
	free(ncom);
	free(subj.s);
	free(body.s);
	free(tagl.s);
	free(com.s);
}

static void
write_all_tickets(const struct sizes *z, struct counters *c)
{
	struct files o = { out("tickets"), out("ticket_tags"),
	    out("comments"), out("ticket_events"), out("search_words") };
	struct wsgen big = { WS_ID, 1, 1, z->tickets, z->agents,
	    z->requesters };
	struct wsgen small = { SMALL_WS_ID, 0, z->tickets + 1, z->small,
	    z->agents < SMALL_AGENTS ? z->agents : SMALL_AGENTS,
	    z->requesters / 100 > 10 ? z->requesters / 100 : 10 };

	write_tickets(z, &big, &o, c);
	write_tickets(z, &small, &o, c);
	done(o.tickets);
	done(o.tags);
	done(o.comments);
	done(o.events);
	done(o.words);
}

static void
write_rest(const struct sizes *z, const struct counters *c)
{
	FILE *w = out("workspaces"), *n = out("ticket_counts");
	int s;

	/* id, slug, name, portal_signup, next_number, created_at,
	 * updated_at */
	fprintf(w, "%d\t%s\tBench Co\t0\t%lld\t2022-01-03 09:00:00\t"
	    "2022-01-03 09:00:00\n", WS_ID, SLUG, z->tickets + 1);
	fprintf(w, "%d\t%s\tSmall Co\t0\t%lld\t2022-01-03 09:00:00\t"
	    "2022-01-03 09:00:00\n", SMALL_WS_ID, SMALL_SLUG, z->small + 1);
	for (s = 1; s < ST__MAX; s++) {
		fprintf(n, "%d\t%d\t%lld\n", WS_ID, s, c->status[0][s]);
		fprintf(n, "%d\t%d\t%lld\n", SMALL_WS_ID, s, c->status[1][s]);
	}
	done(w);
	done(n);
}

static void
write_meta(const struct sizes *z, const struct counters *c, double scale)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/meta.env", outdir);
	if ((f = fopen(path, "w")) == NULL)
		die("gen: %s: %s", path, strerror(errno));
	fprintf(f, "# written by bench/gen\n"
	    "BENCH_GEN_VERSION=%s\n"
	    "BENCH_SCALE=%g\n"
	    "BENCH_SLUG=%s\n"
	    "BENCH_TICKETS=%lld\n"
	    "BENCH_COMMENTS=%lld\n"
	    "BENCH_EVENTS=%lld\n"
	    "BENCH_AGENTS=%lld\n"
	    "BENCH_REQUESTERS=%lld\n"
	    "BENCH_PASSWORD=%s\n"
	    "BENCH_AGENT_EMAIL=agent1@bench.example\n"
	    "BENCH_REQUESTER_EMAIL=user1@bench.example\n"
	    "BENCH_REQUESTER_TICKETS=%lld\n"
	    "BENCH_WORD=%s\n"
	    "BENCH_WORD_TICKETS=%lld\n"
	    "BENCH_VIEW_TICKET=%d\n"
	    "BENCH_COMMENT_TICKET=%d\n"
	    "BENCH_RARE_WORD=%s\n"
	    "BENCH_RARE_TICKETS=%lld\n"
	    "BENCH_SMALL_SLUG=%s\n"
	    "BENCH_SMALL_TICKETS=%lld\n"
	    "BENCH_SMALL_WORD_TICKETS=%lld\n"
	    "BENCH_TICKETS_ALL=%lld\n"
	    "BENCH_SEARCH_WORDS=%lld\n",
	    GEN_VERSION, scale, SLUG, z->tickets, c->comment_id, c->event_id,
	    z->agents, z->requesters, PASSWORD, c->requester_tickets, WORD,
	    c->planted, VIEW_TICKET, COMMENT_TICKET, RARE_WORD, c->rare,
	    SMALL_SLUG, z->small, c->small_planted, z->tickets + z->small,
	    c->words);
	if (fclose(f) != 0)
		die("gen: %s: %s", path, strerror(errno));
}

static void
usage(void)
{
	fprintf(stderr, "usage: gen [-s SCALE] DIR\n"
	    "  SCALE 1.0: 1,000,000 tickets, 3,000,000 comments and notes,\n"
	    "  100 agents, 100,000 requesters (at least 0.0001, at most 10)\n"
	    "gen -V prints the version of the data it writes\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	struct counters c;
	struct sizes z;
	double scale = 1.0;
	char *end, *hash;
	int ch;

	while ((ch = getopt(argc, argv, "s:V")) != -1) {
		switch (ch) {
		case 's':
			errno = 0;
			scale = strtod(optarg, &end);
			if (errno || end == optarg || *end != '\0' ||
			    !(scale >= 0.0001 && scale <= 10))
				usage();
			break;
		case 'V':
			printf("%s\n", GEN_VERSION);
			return 0;
		default:
			usage();
		}
	}
	if (optind != argc - 1)
		usage();
	outdir = argv[optind];
	if (mkdir(outdir, 0755) == -1 && errno != EEXIST)
		die("gen: %s: %s", outdir, strerror(errno));

	z.tickets = scaled(scale, 1000000, 100);
	z.comments = scaled(scale, 3000000, 300);
	z.agents = scaled(scale, 100, 2);
	z.requesters = scaled(scale, 100000, 10);
	z.small = scaled(scale, 10000, 100);

	/* One hash for everyone, with the costs the stack is configured
	 * with, so signing in never re-hashes. */
	if (config_load() == -1)
		return 1;
	if ((hash = password_hash(PASSWORD)) == NULL)
		die("gen: password_hash failed");

	memset(&c, 0, sizeof(c));
	started = now();
	write_people(&z, hash);
	write_all_tickets(&z, &c);
	write_rest(&z, &c);
	write_meta(&z, &c, scale);
	fprintf(stderr, "  generated %lld tickets, %lld comments and notes, "
	    "%lld events, %lld users in %.1fs\n", z.tickets + z.small,
	    c.comment_id,
	    c.event_id, 1 + z.agents + z.requesters, now() - started);
	free(hash);
	return 0;
}
