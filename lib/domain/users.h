/* users: accounts. Emails are stored lower-cased and unique. */
#ifndef HD_USERS_H
#define HD_USERS_H

#include "outcome.h"

/* Creates an account and sets *id: OK, E_TAKEN (the email has one),
 * E_DB or E_DB_UNKNOWN. */
enum outcome	user_create(const char *name, const char *email,
		    const char *password, long long *id);
/*
 * Creates an account without a password for someone who wrote to a
 * workspace by mail (mailin.h): nobody can sign in to it until its
 * owner sets a password through the reset link sent to the address,
 * which also confirms the address. OK, E_TAKEN, E_DB or E_DB_UNKNOWN.
 */
enum outcome	user_create_unclaimed(const char *name, const char *email,
		    long long *id);
/*
 * Checks an email and password: OK with *id set on a match, E_INVALID on
 * a mismatch (unknown email or wrong password: the same answer, in the
 * same time), E_DB. Re-hashes on a cost change.
 */
enum outcome	user_authenticate(const char *email, const char *password,
		    long long *id);
/* The id of the account with this email (lower case, as stored): OK with
 * *id set, E_NOT_FOUND, E_DB. */
enum outcome	user_by_email(const char *email, long long *id);
/* A live account as the mail flows need it. */
struct account {
	long long	 id;
	char		*name;
	char		*email;
	int		 confirmed;	/* email_confirmed_at is set */
};

/* The live account id, or the one whose address is email: OK with *a
 * filled (account_clear), E_NOT_FOUND, E_DB. */
enum outcome	user_load(long long id, struct account *a);
enum outcome	user_find(const char *email, struct account *a);
void		account_clear(struct account *);

/*
 * Makes email id's address, confirmed now (a confirmation link was
 * followed, or a reset link sent to it): OK, E_TAKEN (another account has
 * it), E_DB, E_DB_UNKNOWN.
 */
enum outcome	user_confirm_email(long long id, const char *email);
/* OK when id's address is confirmed, E_FORBIDDEN when it is not (or id
 * has no live account), E_DB. */
enum outcome	user_confirmed(long long id);

/* In a transaction: sets id's name (checked as at sign-up: 1 to 100
 * characters of one line), and bumps the version of their workspaces
 * (ws_changed_for_user): OK, E_DB or E_DB_UNKNOWN. The same name again
 * is OK. */
enum outcome	user_set_name(long long id, const char *name);
/* Sets a new password for id: OK, E_DB or E_DB_UNKNOWN. */
enum outcome	user_set_password(long long id, const char *password);
/* OK when password is id's current password, E_INVALID when it is not
 * (or id has no live account), E_DB when that cannot be told. */
enum outcome	user_check_password(long long id, const char *password);

#endif
