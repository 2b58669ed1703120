/*
 * outbox: mail waiting to be sent (sql/009-outbox.sql). A change that
 * causes mail calls outbox_add inside its own transaction, so the change
 * and its mail commit together or not at all; the message is composed
 * whole when it is added and never changes after, so a retry or a second
 * delivery sends the same bytes with the same Message-ID.
 *
 * The mailer (tools/mailer.c) claims a batch with one UPDATE that sets
 * claimed_by to its own claim token and claimed_until to a lease: no
 * other mailer takes those rows until the lease runs out. Each message is
 * then marked sent, or scheduled again with a growing delay, or given up
 * with the failure kept (failed_at, last_error) once it is older than
 * mail_give_up_after. A mailer that dies leaves its claim to expire, and
 * the message is claimed and sent again: at most one copy too many,
 * never none.
 */
#ifndef HD_OUTBOX_H
#define HD_OUTBOX_H

#include <stddef.h>

#include <json-c/json.h>

#include "mail.h"
#include "outcome.h"

/*
 * Composes m and adds it to the outbox in the caller's transaction (or
 * alone, outside one). kind names what caused it ("ticket.reply",
 * "password.reset": lower-case letters, digits, "." and "_"). Sets *id
 * and returns OK; or, with nothing added, E_INVALID (the message was
 * refused: *why says why) or E_DB / E_DB_UNKNOWN (db_error()).
 */
enum outcome outbox_add(const char *kind, const struct mail *m,
	    long long *id, const char **why);

/* One claimed message. */
struct outmsg {
	long long	 id;
	char		*to_addr;
	char		*message;	/* the whole message, CRLF lines */
	size_t		 len;
	long long	 attempts;	/* this one included */
	long long	 age;		/* seconds since it was added */
};

/*
 * Claims up to max due messages for lease seconds under the claim token
 * who (unique per claim) and returns them in *msgs (outbox_free). The
 * number claimed, or -1 when the database failed.
 */
int	outbox_claim(const char *who, int max, long long lease,
	    struct outmsg **msgs);
void	outbox_free(struct outmsg *, int n);

/* The outcome of one claimed message. Each changes the row only while
 * the claim is still who's; 1 when it did, 0 when the claim was lost
 * (the lease ran out and another mailer took it), -1 on a database
 * failure. */
int	outbox_sent(long long id, const char *who);
/* A failed attempt: tried again after a delay that doubles with each
 * attempt (1 minute up to 1 hour), or given up when the message is
 * older than give_up_after seconds. *gave_up says which. */
int	outbox_failed(const struct outmsg *, const char *who,
	    const char *error, long long give_up_after, int *gave_up);
/* Gives the claim back untried (the mailer is stopping). */
int	outbox_release(long long id, const char *who);

/*
 * The admins' view: messages about workspace ws_id that were given up,
 * newest first, n a page, with ids below before; *older is the cursor of
 * the next page, 0 at the end. [{ id, to_addr, subject, kind, attempts,
 * last_error, created, failed }]; NULL on a database error. Only the
 * workspace's own: mail about an account (reset, confirmation) has no
 * workspace and shows nowhere here.
 */
struct json_object *outbox_failures(long long ws_id, long long before, int n,
	    long long *older);

/* The delay before attempt number attempts + 1, in seconds. */
long long outbox_backoff(long long attempts);

#endif
