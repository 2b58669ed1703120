#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "consent.h"
#include "crypto.h"
#include "db.h"
#include "session.h"
#include "timefmt.h"
#include "util.h"
#include "workspaces.h"

/* A session's last_seen is written at most this often (seconds). */
#define TOUCH_EVERY	60

static void
token_hash(const char *token, unsigned char out[32])
{
	sha256(token, strlen(token), out);
}

/* A preference column into its buffer: "" when NULL or too long (the
 * columns are sized as the buffers, so too long means not ours). */
static void
pref_copy(char *dst, size_t size, const struct dbres *res, unsigned col)
{
	const char *v = db_str(res, col);

	dst[0] = '\0';
	if (v != NULL && strlen(v) < size)
		memcpy(dst, v, strlen(v) + 1);
}

/*
 * The session's statement, with or without the membership of a
 * workspace: both are constant SQL (db.h), the second with the columns
 * and joins of ws_lookup (workspaces.h) and the slug bound between the
 * policy version and the token.
 */
#define SESSION_COLUMNS "SELECT s.id, u.id, u.name, u.email," \
	" TIMESTAMPDIFF(SECOND, s.last_seen_at, UTC_TIMESTAMP())," \
	" u.email_confirmed_at IS NOT NULL, pa.user_id IS NOT NULL," \
	/* The newest answer about usage data: one probe of \
	 * consents_user, in the query every page makes anyway, so a \
	 * withdrawal applies from the very next request. */ \
	" COALESCE((SELECT c.granted FROM consents c" \
	" WHERE c.user_id = u.id AND c.purpose = ?" \
	" ORDER BY c.id DESC LIMIT 1), 0)," \
	" u.lang, u.time_zone, u.queue_view"
#define SESSION_NCOLS	11
#define SESSION_FROM " FROM sessions s JOIN users u ON u.id = s.user_id" \
	/* Whether the current policy was accepted or its notice shown: \
	 * one primary-key probe in the query every page makes anyway. */ \
	" LEFT JOIN policy_acks pa ON pa.user_id = u.id" \
	" AND pa.version = ?"
#define SESSION_WHERE " WHERE s.token_hash = ? AND u.deleted_at IS NULL" \
	" AND s.last_seen_at > UTC_TIMESTAMP() - INTERVAL ? SECOND" \
	" AND s.created_at > UTC_TIMESTAMP() - INTERVAL ? SECOND"

static struct dbres *
session_query(const unsigned char h[32], const char *slug)
{
	if (slug == NULL)
		return db_query(SESSION_COLUMNS SESSION_FROM SESSION_WHERE,
		    "ssbii", purpose_name(PURPOSE_USAGE), cfg.policy_version,
		    h, (size_t)32, cfg.session_idle, cfg.session_max);
	return db_query(SESSION_COLUMNS "," WS_MEMBER_COLUMNS SESSION_FROM
	    WS_MEMBER_JOIN("u.id") SESSION_WHERE, "sssbii",
	    purpose_name(PURPOSE_USAGE), cfg.policy_version, slug, h,
	    (size_t)32, cfg.session_idle, cfg.session_max);
}

/* The signed-in user of the session's row. */
static void
session_user(struct req *r, const struct dbres *res)
{
	r->session_id = db_int(res, 0);
	r->user = xcalloc(1, sizeof(*r->user));
	r->user->id = db_int(res, 1);
	r->user->name = xstrdup(db_str(res, 2));
	r->user->email = xstrdup(db_str(res, 3));
	r->user->confirmed = db_int(res, 5) != 0;
	r->user->policy_seen = db_int(res, 6) != 0;
	r->user->usage = db_int(res, 7) == 1;
	pref_copy(r->user->lang, sizeof(r->user->lang), res, 8);
	pref_copy(r->user->time_zone, sizeof(r->user->time_zone), res, 9);
	pref_copy(r->user->queue_view, sizeof(r->user->queue_view), res, 10);
	/* Every time on the page is shown in the viewer's zone. */
	tz_set(r->user->time_zone);
}

int
session_load(struct req *r, const char *slug)
{
	const char *tok = kv_get(&r->cookies, SESSION_COOKIE);
	const char *anon = kv_get(&r->cookies, ANON_COOKIE);
	unsigned char h[32];
	struct dbres *res;
	int rc;

	if (token_valid(anon))
		r->anon_token = xstrdup(anon);
	if (!token_valid(tok))
		return 0;
	token_hash(tok, h);
	if ((res = session_query(h, slug)) == NULL)
		return -1;
	if ((rc = db_next(res)) == 1) {
		session_user(r, res);
		r->session_token = xstrdup(tok);
		if (slug != NULL) {
			r->ws_read = ws_member_row(res, SESSION_NCOLS);
			r->ws_was_read = 1;
		}
		if (db_int(res, 4) >= TOUCH_EVERY)
			db_exec("UPDATE sessions SET last_seen_at ="
			    " UTC_TIMESTAMP() WHERE id = ?", "i", r->session_id);
	}
	db_free(res);
	return rc == -1 ? -1 : 0;
}

int
session_start(struct req *r, long long user_id)
{
	char tok[TOKEN_HEX + 1];
	unsigned char h[32];

	/* A new token at every sign-in: no session fixation. */
	if (r->session_id)
		session_end(r);
	token_new(tok);
	token_hash(tok, h);
	/* Expired rows go here, where a write happens anyway. */
	db_exec("DELETE FROM sessions WHERE user_id = ? AND"
	    " (last_seen_at < UTC_TIMESTAMP() - INTERVAL ? SECOND OR"
	    " created_at < UTC_TIMESTAMP() - INTERVAL ? SECOND)",
	    "iii", user_id, cfg.session_idle, cfg.session_max);
	if (db_exec("INSERT INTO sessions (token_hash, user_id, created_at,"
	    " last_seen_at, ip, user_agent) VALUES (?, ?, UTC_TIMESTAMP(),"
	    " UTC_TIMESTAMP(), ?, LEFT(?, 255))", "biss", h, sizeof(h),
	    user_id, r->remote_addr, r->user_agent) == -1)
		return -1;
	r->session_id = db_insert_id();
	free(r->session_token);
	r->session_token = xstrdup(tok);
	resp_cookie(r, SESSION_COOKIE, tok, -1);
	return 0;
}

int
session_end(struct req *r)
{
	/* The cookie stays until the row is gone: a browser told it has
	 * signed out must not leave a live session behind. */
	if (r->session_id && db_exec("DELETE FROM sessions WHERE id = ?",
	    "i", r->session_id) == -1)
		return -1;
	r->session_id = 0;
	free(r->session_token);
	r->session_token = NULL;
	resp_cookie(r, SESSION_COOKIE, "", 0);
	return 0;
}

int
session_revoke_all(long long user_id)
{
	return db_exec("DELETE FROM sessions WHERE user_id = ?", "i",
	    user_id) == -1 ? -1 : 0;
}

/* The secret as bytes, decoded once per process (config checked it is
 * 64 hex digits). */
static const unsigned char *
csrf_key(void)
{
	static unsigned char key[32];
	static int ready;
	size_t i;

	for (i = 0; !ready && i < sizeof(key); i++)
		key[i] = (unsigned char)(hex_value(cfg.secret[2 * i]) << 4 |
		    hex_value(cfg.secret[2 * i + 1]));
	ready = 1;
	return key;
}

static void
csrf_for(const char *binding, char out[TOKEN_HEX + 1])
{
	unsigned char mac[32];
	struct buf msg = BUF_INIT;

	buf_printf(&msg, "csrf:%s", binding);
	hmac_sha256(csrf_key(), 32, msg.data, msg.len, mac);
	hex_encode(mac, sizeof(mac), out);
	buf_free(&msg);
}

const char *
csrf_token(struct req *r)
{
	static char tok[TOKEN_HEX + 1];

	if (r->session_token == NULL && r->anon_token == NULL) {
		char anon[TOKEN_HEX + 1];

		token_new(anon);
		r->anon_token = xstrdup(anon);
		resp_cookie(r, ANON_COOKIE, anon, -1);
	}
	csrf_for(r->session_token ? r->session_token : r->anon_token, tok);
	return tok;
}

int
csrf_ok(struct req *r)
{
	const char *got = kv_get(&r->form, CSRF_FIELD);
	char want[TOKEN_HEX + 1];

	if (got == NULL || strlen(got) != TOKEN_HEX)
		return 0;
	if (r->session_token)
		csrf_for(r->session_token, want);
	else if (r->anon_token)
		csrf_for(r->anon_token, want);
	else
		return 0;
	return ct_memeq(got, want, TOKEN_HEX);
}
