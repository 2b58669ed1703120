#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "tokens.h"
#include "util.h"

static const char *const kinds[TOKEN__MAX] = {
	[TOKEN_RESET] = "reset",
	[TOKEN_CONFIRM] = "confirm",
	[TOKEN_DELETE] = "delete",
};

enum outcome
token_issue(enum token_kind k, long long user_id, const char *email,
    long long ttl, char token[TOKEN_HEX + 1])
{
	unsigned char h[32];

	/* Only an INSERT: a locking read of the account's tokens here would
	 * take gap locks that make concurrent sign-ups deadlock. Older links
	 * stop working because token_find takes only the newest. */
	token_new(token);
	sha256(token, strlen(token), h);
	if (db_exec("INSERT INTO account_tokens (user_id, kind, token_hash,"
	    " email, created_at, expires_at) VALUES (?, ?, ?, ?,"
	    " UTC_TIMESTAMP(), UTC_TIMESTAMP() + INTERVAL ? SECOND)",
	    "isbsi", user_id, kinds[k], h, sizeof(h), email, ttl) == -1)
		return db_error();
	return OK;
}

void
token_purge(void)
{
	/* Best effort: what is left is purged by the next call. */
	db_exec("DELETE FROM account_tokens WHERE expires_at <"
	    " UTC_TIMESTAMP() - INTERVAL 1 DAY LIMIT 100", "");
}

enum outcome
token_find(enum token_kind k, const char *token, int lock,
    long long *user_id, char **email)
{
	unsigned char h[32];
	struct dbres *res;
	int rc;

	*email = NULL;
	if (!token_valid(token))
		return E_NOT_FOUND;
	sha256(token, strlen(token), h);
	/* The newest of the account's links of this kind, or none. */
#define LIVE "SELECT t.user_id, t.email FROM account_tokens t" \
	" WHERE t.token_hash = ? AND t.kind = ? AND t.used_at IS NULL" \
	" AND t.expires_at > UTC_TIMESTAMP() AND NOT EXISTS (SELECT 1" \
	" FROM account_tokens n WHERE n.user_id = t.user_id" \
	" AND n.kind = t.kind AND n.id > t.id)"
	if (lock)
		res = db_query(LIVE " FOR UPDATE", "bs", h, sizeof(h),
		    kinds[k]);
	else
		res = db_query(LIVE, "bs", h, sizeof(h), kinds[k]);
#undef LIVE
	if (res == NULL)
		return db_error();
	if ((rc = db_next(res)) == 1) {
		*user_id = db_int(res, 0);
		*email = xstrdup(db_str(res, 1));
	}
	db_free(res);
	return rc == 1 ? OK : rc == 0 ? E_NOT_FOUND : db_error();
}

enum outcome
token_use_all(enum token_kind k, long long user_id)
{
	if (db_exec("UPDATE account_tokens SET used_at = UTC_TIMESTAMP()"
	    " WHERE user_id = ? AND kind = ? AND used_at IS NULL", "is",
	    user_id, kinds[k]) == -1)
		return db_error();
	return OK;
}
