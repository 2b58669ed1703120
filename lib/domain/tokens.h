/*
 * tokens: the single-use links of an account (sql/010-account-tokens.sql).
 * A link carries a random token (TOKEN_HEX digits); the table keeps only
 * its SHA-256, the address the link was sent to, and when it expires. A
 * token works once: using one uses up every unused token of its kind for
 * the account, and only the newest link of a kind works (a new one
 * replaces those issued before it).
 *
 *   TOKEN_RESET    a new password (cfg.reset_ttl)
 *   TOKEN_CONFIRM  the address becomes the account's, confirmed: a new
 *                  account's own, or a change to a new one
 *                  (cfg.confirm_ttl)
 *   TOKEN_DELETE   the account is deleted: the confirmation of an
 *                  account without a password (cfg.confirm_ttl)
 */
#ifndef HD_TOKENS_H
#define HD_TOKENS_H

#include "crypto.h"
#include "outcome.h"

enum token_kind {
	TOKEN_RESET,
	TOKEN_CONFIRM,
	TOKEN_DELETE,
	TOKEN__MAX
};

/* A link for user_id sent to email, valid for ttl seconds, into
 * token[]: earlier ones of this kind stop working. In the caller's
 * transaction (one INSERT). OK, E_DB, E_DB_UNKNOWN. */
enum outcome token_issue(enum token_kind, long long user_id,
	    const char *email, long long ttl, char token[TOKEN_HEX + 1]);
/* Deletes tokens expired a day ago, a few at a time: outside any
 * transaction, best effort. */
void	token_purge(void);

/*
 * The live token (unused, not expired) of this kind: OK with its account
 * in *user_id and the address it was sent to in *email (caller frees);
 * E_NOT_FOUND for an unknown, used or expired one alike; E_DB. With lock
 * (in a transaction) the row stays locked until commit, so two tabs use a
 * link once.
 */
enum outcome token_find(enum token_kind, const char *token, int lock,
	    long long *user_id, char **email);

/* Uses up every unused token of this kind of user_id (the one just
 * taken included). OK, E_DB, E_DB_UNKNOWN. */
enum outcome token_use_all(enum token_kind, long long user_id);

#endif
