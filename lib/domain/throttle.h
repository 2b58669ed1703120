/*
 * throttle: sign-in attempts, counted per account and source, so that
 * nobody can lock an account's owner out.
 *
 * A browser that has signed in to an account before carries a "device"
 * cookie for it (DEVICE_COOKIE: HMAC-signed, a year long). From such a
 * browser only its own failures count. From any other, failures are
 * counted per account and address, per address, and per account from
 * everywhere (a higher bound). Past a bound the source is refused (429)
 * for a window that doubles with each further failure, from
 * THROTTLE_DELAY seconds up to throttle_window: it is slowed, never
 * locked, and a correct password from a known browser always works
 * unless that browser itself guessed wrong too often.
 */
#ifndef HD_THROTTLE_H
#define HD_THROTTLE_H

#include "actor.h"
#include "outcome.h"

#define DEVICE_COOKIE	"hd_device"
#define DEVICE_MAX_AGE	(365LL * 24 * 3600)
#define THROTTLE_DELAY	10

/*
 * The source is the actor's address and device cookie (actor.h).
 *
 * OK when this source may try email's password; E_LIMITED when it must
 * wait (*retry_after seconds); E_DB.
 */
enum outcome throttle_check(const struct actor *, const char *email,
	    long long *retry_after);
/* A wrong password (or unknown email) from this source. In a
 * transaction, the caller runs throttle_purge after it ends. */
void	throttle_fail(const struct actor *, const char *email);
/* Deletes up to 100 failures older than throttle_window. */
void	throttle_purge(void);
/*
 * Signed in (or up) as email: forgets this source's failures and returns
 * a fresh device cookie for the account (caller frees), for the browser
 * to keep as DEVICE_COOKIE for DEVICE_MAX_AGE.
 */
char	*throttle_success(const struct actor *, const char *email);

#endif
