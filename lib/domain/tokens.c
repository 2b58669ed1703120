#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "tokens.h"
#include "util.h"

static const char *const kinds[TOKEN__MAX] = {
	[TOKEN_RESET] = "reset",
	[TOKEN_CONFIRM] = "confirm",
};

enum outcome
token_issue(enum token_kind k, long long user_id, const char *email,
    long long ttl, char token[TOKEN_HEX + 1])
{
	unsigned char h[32];
	enum outcome rc;

	if ((rc = token_use_all(k, user_id)) != OK)
		return rc;
	token_new(token);
	sha256(token, strlen(token), h);
	/* Expired rows go where a write happens anyway. */
	if (db_exec("DELETE FROM account_tokens WHERE expires_at <"
	    " UTC_TIMESTAMP() - INTERVAL 1 DAY LIMIT 100", "") == -1 ||
	    db_exec("INSERT INTO account_tokens (user_id, kind, token_hash,"
	    " email, created_at, expires_at) VALUES (?, ?, ?, ?,"
	    " UTC_TIMESTAMP(), UTC_TIMESTAMP() + INTERVAL ? SECOND)",
	    "isbsi", user_id, kinds[k], h, sizeof(h), email, ttl) == -1)
		return db_error();
	return OK;
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
	if (lock)
		res = db_query("SELECT user_id, email FROM account_tokens"
		    " WHERE token_hash = ? AND kind = ? AND used_at IS NULL"
		    " AND expires_at > UTC_TIMESTAMP() FOR UPDATE", "bs",
		    h, sizeof(h), kinds[k]);
	else
		res = db_query("SELECT user_id, email FROM account_tokens"
		    " WHERE token_hash = ? AND kind = ? AND used_at IS NULL"
		    " AND expires_at > UTC_TIMESTAMP()", "bs", h, sizeof(h),
		    kinds[k]);
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
