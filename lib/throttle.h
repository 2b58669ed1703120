/*
 * throttle: sign-in attempts. Failures are counted per account and per
 * client address over throttle_window seconds; past throttle_account or
 * throttle_ip failures, sign-in answers 429 until the window moves on.
 */
#ifndef HD_THROTTLE_H
#define HD_THROTTLE_H

/* 1 when email or ip has failed too often, 0 if not, -1 on error. */
int	throttle_blocked(const char *email, const char *ip);
void	throttle_fail(const char *email, const char *ip);
/* A good sign-in clears the account's failures (not the address's). */
void	throttle_clear(const char *email);

#endif
