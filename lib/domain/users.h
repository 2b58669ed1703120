/* users: accounts. Emails are stored lower-cased and unique. */
#ifndef HD_USERS_H
#define HD_USERS_H

#define USER_EXISTS	(-2)

/* Creates an account; returns 0 and sets *id, USER_EXISTS, or -1. */
int	user_create(const char *name, const char *email, const char *password,
	    long long *id);
/*
 * Checks an email and password. Returns 1 and sets *id on a match, 0 on
 * a mismatch (unknown email or wrong password: the same answer, in the
 * same time), -1 on a database error. Re-hashes on a cost change.
 */
int	user_authenticate(const char *email, const char *password,
	    long long *id);
/* The id of the account with this email (lower case, as stored), 0 when
 * there is none, -1 on a database error. */
long long user_by_email(const char *email);
/* Sets a new password for id; -1 on error. */
int	user_set_password(long long id, const char *password);
/* 1 when password is id's current password. */
int	user_check_password(long long id, const char *password);

#endif
