/*
 * ratelimit: the one limiter of what a person or a client address may
 * do in a span of time, kept in MariaDB (sql/019-limits.sql, rate_counts)
 * so that it holds across every program and every app node.
 *
 * A key names what is counted: "reply:user:42", "reply:client:192.0.2.1",
 * "reset:address:ann@example.org"; only its SHA-256 is stored. Windows
 * are fixed (aligned to multiples of their length): each key has one
 * counter row per window, one INSERT .. ON DUPLICATE KEY UPDATE adds a
 * request to every key of the action and one SELECT by primary key reads
 * them back. Refused requests count too, yet never lengthen the wait: it
 * ends with the window. Bursts across a window's edge may reach twice
 * the bound (docs/decisions.md, "One rate limiter").
 */
#ifndef HD_RATELIMIT_H
#define HD_RATELIMIT_H

#include <stddef.h>

#include "actor.h"
#include "config.h"
#include "outcome.h"

/* What a person does that is limited, each bound by its config key
 * limit_NAME, per account and per client address. */
enum rate_action {
	RATE_SIGNUP,		/* per address only: there is no account yet */
	RATE_PASSWORD,		/* a new password on the account page */
	RATE_TICKET_CREATE,
	RATE_REPLY,		/* replies and internal notes */
	RATE_UPLOAD,		/* a request that sends files */
	RATE_INVITE,
	RATE_JOIN,		/* joining a workspace by its portal */
	RATE__MAX
};

/* The key of the mail about failed sign-ins to an account (signin_alert.h),
 * one per account and window: a format of the account's id. */
#define RATE_ALERT_KEY	"signin_alert:user:%lld"

/*
 * One more action by the actor: counted under the actor's account (when
 * signed in) and under its client address, each against limit_NAME. OK;
 * E_LIMITED when either bound is passed, *retry_after the seconds until
 * that window ends; E_DB. The first refusal of each key in a window is
 * audited as "limit.NAME" (later ones in the same window are not: a
 * flood writes one row, not one per request).
 */
enum outcome rate_limit(const struct actor *, enum rate_action,
	    long long *retry_after);

/*
 * A request of kind ("reset", "confirm", "delete") that mails email, from
 * the actor's client: counted per client (cfg.mail_limit_client) and per
 * address (cfg.mail_limit_address) over cfg.mail_limit_window, whether
 * or not an account has the address, so the answer tells nothing. OK,
 * E_LIMITED with *retry_after (audited as "limit.KIND" like rate_limit),
 * E_DB.
 */
enum outcome rate_mail(const struct actor *, const char *kind,
	    const char *email, long long *retry_after);

/*
 * One more under key alone, against r: OK, E_LIMITED (*retry_after), E_DB.
 * Not audited: for callers that limit what they do themselves (the mail
 * to an account's owner about failed sign-ins). May run in a transaction.
 */
enum outcome rate_take(const char *key, const struct rate *r,
	    long long *retry_after);

/*
 * In the caller's transaction (an account's erasure): the counters kept
 * under user_id's account, of every action and of the mail about failed
 * sign-ins. OK, E_DB.
 */
enum outcome rate_forget_user(long long user_id);

/*
 * What a refusal says to the person: "You have sent many replies in a
 * short time. Try again in 12 minutes." into buf.
 */
const char *rate_refusal(enum rate_action, long long retry_after,
	    char *buf, size_t len);

#endif
