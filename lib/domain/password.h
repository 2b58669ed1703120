/*
 * password: argon2id hashes in the PHC string format
 * ($argon2id$v=19$m=...,t=...,p=...$salt$hash), with the cost from the
 * config; a hash made with other costs is re-made at the next sign-in.
 */
#ifndef HD_PASSWORD_H
#define HD_PASSWORD_H

#define PASSWORD_MIN	10
#define PASSWORD_MAX	1024

/* The encoded hash (caller frees), or NULL on failure. */
char	*password_hash(const char *);
/* 1 when password matches encoded. */
int	 password_verify(const char *encoded, const char *password);
/* 1 when encoded was made with costs other than the configured ones. */
int	 password_needs_rehash(const char *encoded);
/* Spends the time of one verification: answers for unknown accounts take
 * as long as for known ones. */
void	 password_burn(const char *password);

#endif
