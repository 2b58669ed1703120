/*
 * mailin: one incoming message, stored: as a new ticket, as a reply on
 * the ticket it answers, or in the quarantine (quarantine.h), through
 * the same model functions as the web (tickets.h, attachments.h), with
 * the sender as the actor (docs/decisions.md, "Mail in").
 *
 * Routing, in order:
 *  - the workspace is the one whose inbound_address (or that address
 *    with a "+tag", or our reply address with a valid token) the message
 *    was sent to: the envelope recipient when the MTA gives it, else the
 *    first of the parsed recipients (mailparse.h's order) that names one;
 *  - it answers ticket N only when a signed reference of ours verifies
 *    (msgid.h: In-Reply-To or References, or the reply address) for that
 *    workspace AND the sender may post on that ticket; a sender who is an
 *    agent posts as that agent only when the message answers mail we
 *    sent to that agent. Otherwise it is a new ticket (or quarantined);
 *  - an unknown sender becomes a requester (an account without a
 *    password, claimed later by a password reset) where the workspace's
 *    portal allows sign-up; otherwise the message is quarantined;
 *  - automatic mail (mailparse.h's autoflags, our own Message-IDs, an
 *    X-Loop of ours) never notifies anyone and never starts a loop;
 *  - the same Message-ID for the same workspace is stored once
 *    (mail_seen);
 *  - anything that cannot be parsed or routed is quarantined whole.
 *
 * Needs mailparse_init() first (it links GMime).
 */
#ifndef HD_MAILIN_H
#define HD_MAILIN_H

#include <stddef.h>

enum mailin_result {
	MAILIN_STORED,		/* stored (or already stored): exit 0 */
	MAILIN_TEMPFAIL,	/* not stored, try again later: exit 75 */
};

/* What became of a message, for the program's one log line and tests. */
struct mailin_report {
	const char	*outcome;	/* ticket, reply, quarantine,
					   duplicate, ignored */
	long long	 ws_id;
	long long	 ticket_number;	/* 0 when none */
	long long	 comment_id;	/* 0 when none */
	long long	 quarantine_id;	/* 0 when none */
	const char	*reason_code;	/* a quarantine's, or NULL */
};

/*
 * Stores len bytes of one message. recipient is the envelope recipient
 * the MTA gave (NULL when none). The database connection is opened and
 * every write is one transaction, retried as db.h's policy says; a
 * database that cannot be reached is MAILIN_TEMPFAIL, never a loss.
 */
enum mailin_result mailin_deliver(const char *raw, size_t len,
	    const char *recipient, struct mailin_report *);

#endif
