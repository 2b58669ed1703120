/*
 * ratelimit: a small limiter of requests that send mail (a password
 * reset, a confirmation link), counted per key over a sliding window in
 * MariaDB (sql/010-account-tokens.sql, rate_events). A key names what is
 * counted, "reset:address:ann@example.org" or "reset:client:192.0.2.1";
 * only its SHA-256 is stored. Kept to this one call so that the general
 * limiter of issue 11 can take its place.
 */
#ifndef HD_RATELIMIT_H
#define HD_RATELIMIT_H

#include "actor.h"
#include "outcome.h"

/*
 * One more request under key, when fewer than max were counted in the
 * last window seconds: OK (and it is counted); E_LIMITED when the bound
 * is reached (not counted: whoever floods a key keeps it shut for no
 * longer than a window after they stop), *retry_after the seconds until
 * the oldest counted one leaves the window; E_DB.
 */
enum outcome rate_hit(const char *key, long long max, long long window,
	    long long *retry_after);

/*
 * A request of kind ("reset", "confirm") that mails email, from the
 * actor's client: counted per client (cfg.mail_limit_client) and per
 * address (cfg.mail_limit_address) over cfg.mail_limit_window, whether
 * or not an account has the address, so the answer tells nothing. OK,
 * E_LIMITED with *retry_after, E_DB.
 */
enum outcome rate_mail(const struct actor *, const char *kind,
	    const char *email, long long *retry_after);

#endif
