#include <stdio.h>
#include <string.h>

#include "audit.h"
#include "buf.h"
#include "config.h"
#include "crypto.h"
#include "db.h"
#include "i18n.h"
#include "ratelimit.h"
#include "util.h"

/* Every action, its bound and what a refusal calls it. */
static const struct {
	const char		*name;	/* in keys and "limit.NAME" */
	const struct rate	*rate;
	const char		*done;	/* "You have ... in a short time." */
} actions[RATE__MAX] = {
	[RATE_SIGNUP] = { "signup", &cfg.limit_signup,
	    N_("Many accounts were made from your address") },
	[RATE_PASSWORD] = { "password", &cfg.limit_password,
	    N_("You have changed your password many times") },
	[RATE_TICKET_CREATE] = { "ticket_create", &cfg.limit_ticket_create,
	    N_("You have opened many tickets") },
	[RATE_REPLY] = { "reply", &cfg.limit_reply,
	    N_("You have sent many replies") },
	[RATE_UPLOAD] = { "upload", &cfg.limit_upload,
	    N_("You have sent many files") },
	[RATE_INVITE] = { "invite", &cfg.limit_invite,
	    N_("You have sent many invitations") },
	[RATE_JOIN] = { "join", &cfg.limit_join,
	    N_("You have joined many workspaces") },
};

/* One key of a request, and what the count said of it. */
struct rkey {
	unsigned char		 h[32];
	const struct rate	*rate;
	int			 refused;	/* past its bound */
	int			 first;		/* the first refusal this window */
	long long		 wait;		/* seconds to the window's end */
};

static void
rkey_set(struct rkey *k, const char *key, const struct rate *r)
{
	memset(k, 0, sizeof(*k));
	sha256(key, strlen(key), k->h);
	k->rate = r;
}

/*
 * Adds one to the current window of each of n (1 or 2) keys, then reads
 * them back: 0, or -1 on a database error. A count read is at least this
 * request's own, so two requests racing for the last place may both be
 * refused, never both let through.
 */
static int
count(struct rkey *k, size_t n)
{
	struct dbres *res;
	long long changed;
	size_t i;
	int rc;

	/* UNIX_TIMESTAMP() is the database's clock: every node agrees on
	 * where a window starts and ends. */
	if (n == 2)
		changed = db_exec("INSERT INTO rate_counts (key_hash, win_end,"
		    " hits) VALUES (?, (UNIX_TIMESTAMP() DIV ? + 1) * ?, 1),"
		    " (?, (UNIX_TIMESTAMP() DIV ? + 1) * ?, 1) ON DUPLICATE"
		    " KEY UPDATE hits = LEAST(hits + 1, 1000000000)", "biibii",
		    k[0].h, sizeof(k[0].h), k[0].rate->window, k[0].rate->window,
		    k[1].h, sizeof(k[1].h), k[1].rate->window,
		    k[1].rate->window);
	else
		changed = db_exec("INSERT INTO rate_counts (key_hash, win_end,"
		    " hits) VALUES (?, (UNIX_TIMESTAMP() DIV ? + 1) * ?, 1)"
		    " ON DUPLICATE KEY UPDATE hits = LEAST(hits + 1,"
		    " 1000000000)", "bii", k[0].h, sizeof(k[0].h),
		    k[0].rate->window, k[0].rate->window);
	if (changed == -1)
		return -1;
	if (n == 2)
		res = db_query("SELECT key_hash, hits, win_end -"
		    " UNIX_TIMESTAMP() FROM rate_counts WHERE key_hash IN"
		    " (?, ?) AND win_end > UNIX_TIMESTAMP()", "bb",
		    k[0].h, sizeof(k[0].h), k[1].h, sizeof(k[1].h));
	else
		res = db_query("SELECT key_hash, hits, win_end -"
		    " UNIX_TIMESTAMP() FROM rate_counts WHERE key_hash = ?"
		    " AND win_end > UNIX_TIMESTAMP()", "b",
		    k[0].h, sizeof(k[0].h));
	if (res == NULL)
		return -1;
	while ((rc = db_next(res)) == 1) {
		long long hits = db_int(res, 1), left = db_int(res, 2);

		for (i = 0; i < n; i++) {
			if (db_len(res, 0) != sizeof(k[i].h) ||
			    memcmp(db_str(res, 0), k[i].h, sizeof(k[i].h)) != 0 ||
			    hits <= k[i].rate->n)
				continue;
			k[i].refused = 1;
			k[i].first |= hits == k[i].rate->n + 1;
			if (left > k[i].wait)
				k[i].wait = left;
		}
	}
	db_free(res);
	if (rc == -1)
		return -1;
	/* Each updated row counts 2, an inserted one 1: a new window was
	 * begun, so past ones go, a few at a time, never in a caller's
	 * transaction (they would stay locked until it ends). */
	if (changed < 2 * (long long)n && !db_in_transaction())
		db_exec("DELETE FROM rate_counts WHERE win_end <="
		    " UNIX_TIMESTAMP() LIMIT 100", "");
	return 0;
}

/* OK, or E_LIMITED with the longest wait and, on the first refusal of a
 * key in its window, an audit row "limit.NAME". */
static enum outcome
verdict(const struct actor *a, const char *name, struct rkey *k, size_t n,
    long long *retry_after)
{
	char action[64];
	int first = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		if (!k[i].refused)
			continue;
		first |= k[i].first;
		if (k[i].wait > *retry_after)
			*retry_after = k[i].wait;
	}
	if (*retry_after == 0)
		return OK;
	if (first) {
		snprintf(action, sizeof(action), "limit.%s", name);
		audit(a, a->ws_id, 0, action, "user", a->user_id);
	}
	return E_LIMITED;
}

enum outcome
rate_limit(const struct actor *a, enum rate_action act,
    long long *retry_after)
{
	const char *name = actions[act].name;
	struct buf key = BUF_INIT;
	struct rkey k[2];
	size_t n = 0;

	*retry_after = 0;
	buf_printf(&key, "%s:client:%s", name, a->addr ? a->addr : "-");
	rkey_set(&k[n++], buf_str(&key), actions[act].rate);
	if (a->user_id > 0) {
		buf_reset(&key);
		buf_printf(&key, "%s:user:%lld", name, a->user_id);
		rkey_set(&k[n++], buf_str(&key), actions[act].rate);
	}
	buf_free(&key);
	if (count(k, n) == -1)
		return db_error();
	return verdict(a, name, k, n, retry_after);
}

enum outcome
rate_mail(const struct actor *a, const char *kind, const char *email,
    long long *retry_after)
{
	struct buf key = BUF_INIT;
	struct rate client = { cfg.mail_limit_client, cfg.mail_limit_window };
	struct rate address = { cfg.mail_limit_address,
	    cfg.mail_limit_window };
	struct rkey k[2];

	*retry_after = 0;
	buf_printf(&key, "%s:client:%s", kind, a->addr ? a->addr : "-");
	rkey_set(&k[0], buf_str(&key), &client);
	buf_reset(&key);
	/* erase.c deletes these keys of an erased person's address. */
	buf_printf(&key, "%s:address:%s", kind, email);
	rkey_set(&k[1], buf_str(&key), &address);
	buf_free(&key);
	if (count(k, 2) == -1)
		return db_error();
	return verdict(a, kind, k, 2, retry_after);
}

enum outcome
rate_take(const char *key, const struct rate *r, long long *retry_after)
{
	struct rkey k;

	*retry_after = 0;
	rkey_set(&k, key, r);
	if (count(&k, 1) == -1)
		return db_error();
	*retry_after = k.refused ? k.wait : 0;
	return k.refused ? E_LIMITED : OK;
}

enum outcome
rate_forget_user(long long uid)
{
	unsigned char h[32];
	char key[64];
	size_t i;

	for (i = 0; i <= RATE__MAX; i++) {
		/* One past the actions: the sign-in alert's key. */
		if (i < RATE__MAX)
			snprintf(key, sizeof(key), "%s:user:%lld",
			    actions[i].name, uid);
		else
			snprintf(key, sizeof(key), RATE_ALERT_KEY, uid);
		sha256(key, strlen(key), h);
		if (db_exec("DELETE FROM rate_counts WHERE key_hash = ?", "b",
		    h, sizeof(h)) == -1)
			return db_error();
	}
	return OK;
}

const char *
rate_refusal(enum rate_action act, long long wait, char *buf, size_t len)
{
	/* The largest unit that still says it well, rounded up. */
	static const struct { long long below, secs; } units[] = {
		{ 60, 1 },
		{ 2 * 3600, 60 },
		{ 2 * 86400, 3600 },
		{ 0, 86400 },
	};
	char span[48];
	unsigned long u;
	long long n;
	size_t i;

	for (i = 0; i + 1 < nitems(units) && wait >= units[i].below; i++)
		;
	n = (wait + units[i].secs - 1) / units[i].secs;
	u = (unsigned long)n;
	/* One msgid per unit: its plural is the language's own. */
	switch (i) {
	case 0:
		snprintf(span, sizeof(span), trn("%lld second", "%lld seconds",
		    u), n);
		break;
	case 1:
		snprintf(span, sizeof(span), trn("%lld minute", "%lld minutes",
		    u), n);
		break;
	case 2:
		snprintf(span, sizeof(span), trn("%lld hour", "%lld hours", u),
		    n);
		break;
	default:
		snprintf(span, sizeof(span), trn("%lld day", "%lld days"
		    , u), n);
		break;
	}
	snprintf(buf, len, _("%s in a short time. Try again in %s."),
	    _(actions[act].done), span);
	return buf;
}
