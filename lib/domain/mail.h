/*
 * mail: one outgoing message composed whole, as it will be sent: headers
 * (Date, From, To, Subject, Message-ID, In-Reply-To and References for a
 * ticket's thread, Reply-To, Auto-Submitted) and a multipart/alternative
 * body of text/plain and text/html, both UTF-8 and quoted-printable, every
 * line CRLF and at most 78 bytes (a line holding only an address or a
 * Message-ID, which cannot be folded, may be longer for a long host). No
 * database; reads cfg (base_url, mail_from, mail_from_name, mail_secret,
 * mail_reply_to).
 */
#ifndef HD_MAIL_H
#define HD_MAIL_H

#include <time.h>

#include "buf.h"
#include "msgid.h"

struct mail {
	const char	*to_addr;	/* one plain address */
	const char	*to_name;	/* display name, "" for none */
	const char	*subject;
	const char	*text;		/* the text/plain part */
	const char	*html;		/* the text/html part: HTML our
					   templates escaped */
	long long	 ws;		/* what it is about: 0 for none */
	long long	 ticket;
};

/*
 * Appends the message to out and its Message-ID to msgid[MSGID_MAX].
 * Returns 0, or -1 with *why saying what was refused (nothing is
 * appended): a header value with CR, LF or NUL or invalid UTF-8, an
 * address that is not one plain address, a body that is not UTF-8, or a
 * configuration without base_url or mail_secret.
 */
int	mail_compose(const struct mail *, time_t now, struct buf *out,
	    char *msgid, const char **why);

#endif
