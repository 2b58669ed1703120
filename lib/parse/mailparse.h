/*
 * mailparse: one RFC 5322 message, as an MTA or an IMAP server hands it
 * to us, into what a ticket is made of (issue 12). Built on GMime 3.
 *
 * Outside input, from anyone on the Internet: nothing here trusts a
 * header, a declared charset, a boundary or a length. Every string in a
 * struct inmail is valid UTF-8 without NUL (text_valid), whatever the
 * message declared: charsets are converted (RFC 2047 words and RFC 2231
 * parameters included), and a charset that lies falls back to
 * Windows-1252 or to U+FFFD, never to failure. Only a message with no
 * usable header block at all is refused (the caller quarantines it).
 *
 * The parse is pure: no database, no configuration; it is a fuzz target
 * (tests/fuzz/fuzz_mailparse.c). Only programs that read mail link GMime
 * (the mailgate, its tests): the web workers never parse mail.
 */
#ifndef HD_MAILPARSE_H
#define HD_MAILPARSE_H

#include <stddef.h>
#include <time.h>

#define MAILPARSE_MAX_REFS	64	/* References kept, newest last */
#define MAILPARSE_MAX_RCPTS	64	/* recipients kept */
#define MAILPARSE_MAX_FILES	64	/* attachments kept */

struct mailaddr {
	char		*name;		/* display name, "" when none */
	char		*addr;		/* local@domain, lower-cased; never
					   NULL in a list */
};

/* An attachment or inline image. */
struct mailfile {
	char		*filename;	/* from Content-Disposition or
					   Content-Type name, decoded; raw
					   (the model normalises it); a
					   made-up "part-N.ext" when none */
	char		*content_type;	/* lower-case type/subtype as
					   declared (informative only) */
	char		*content_id;	/* without <>, or NULL */
	int		 is_inline;	/* an image the HTML refers to */
	unsigned char	*data;		/* decoded bytes */
	size_t		 len;
};

/* Signs that a message was written by a machine (RFC 3834, RFC 2919,
 * bounces): such mail never starts a ticket's notifications. */
enum mailauto {
	MAILAUTO_AUTO_SUBMITTED	= 1 << 0,	/* Auto-Submitted other than
						   "no" */
	MAILAUTO_PRECEDENCE	= 1 << 1,	/* Precedence bulk, junk, list
						   or auto_reply */
	MAILAUTO_LIST		= 1 << 2,	/* List-Id or List-Post */
	MAILAUTO_BOUNCE		= 1 << 3,	/* Return-Path <>, multipart/
						   report, or From MAILER-DAEMON
						   or postmaster */
	MAILAUTO_AUTOREPLY	= 1 << 4,	/* X-Autoreply, X-Autorespond,
						   X-Auto-Response-Suppress: All
						   or OOF, Outlook's OOF class */
};

struct inmail {
	char		*message_id;	/* "<...>" or NULL when none */
	char		*in_reply_to;	/* the first "<...>", or NULL */
	char		*references[MAILPARSE_MAX_REFS];
	size_t		 nreferences;
	struct mailaddr	 from;		/* addr NULL when missing or not
					   one address */
	struct mailaddr	*reply_to;	/* NULL when none */
	/* To, Cc, Delivered-To, X-Original-To and Envelope-To, in that
	 * order, each address once. */
	struct mailaddr	 rcpts[MAILPARSE_MAX_RCPTS];
	size_t		 nrcpts;
	char		*subject;	/* "" when none */
	time_t		 date;		/* 0 when missing or unreadable */
	unsigned	 autoflags;	/* enum mailauto */
	char		*x_loop;	/* X-Loop's value, or NULL */
	/*
	 * The body as text: the text/plain alternative, or text made from
	 * the HTML when there is none; "" when the message has no body.
	 * reply_len is how much of it is the new part: what follows is a
	 * quoted earlier message or a signature ("-- "), folded when shown.
	 */
	char		*text;
	size_t		 reply_len;
	/* The HTML alternative through the allow-list (htmlsan.h), with
	 * cid: images pointing at nothing (the files below carry them),
	 * inside <div class="mailhtml"> (app.css keeps it within its box),
	 * a forwarded message's text after it; or NULL when the message
	 * has no HTML. */
	char		*html;
	struct mailfile	 files[MAILPARSE_MAX_FILES];
	size_t		 nfiles;
	/* Attachments past MAILPARSE_MAX_FILES, not kept: the caller
	 * decides whether the message whole is kept (the quarantine). */
	size_t		 nfiles_over;
	/* A forwarded message (message/rfc822) is one more file, whole,
	 * "forwarded.eml", and its text follows the body's. */
};

/*
 * Parses len bytes. 0 and *out (inmail_free it), or -1 with a reason
 * for the quarantine in err (errsz bytes, always terminated) when the
 * bytes are no message at all.
 */
int	mailparse(const char *raw, size_t len, struct inmail **out,
	    char *err, size_t errsz);
void	inmail_free(struct inmail *);

/* Starts and stops GMime; mailparse needs one mailparse_init first. */
void	mailparse_init(void);
void	mailparse_shutdown(void);

#endif
