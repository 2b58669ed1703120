/*
 * msgid: the Message-IDs of our mail and the reply address, each carrying
 * a ticket reference signed with HMAC-SHA256 under mail_secret, so that
 * incoming mail (a reply's In-Reply-To, or the address it was sent to)
 * can name a ticket that nobody outside could have made up.
 *
 *   <hd.WS.TICKET.UNIQUE.SIG@HOST>
 *
 * WS and TICKET are ids (0 for none), UNIQUE is 16 random hex digits, or
 * "thread" for the ticket's thread root that every mail about the ticket
 * names in In-Reply-To and References (so mail clients thread them),
 * SIG is the first 128 bits of HMAC-SHA256(mail_secret, "hd.WS.TICKET.
 * UNIQUE") in hex, and HOST is base_url's host.
 *
 * The reply address is mail_reply_to with "{token}" replaced by
 * tWS-TICKET-SIG (80 bits of HMAC over "reply.WS.TICKET"). All of these
 * need cfg.base_url and cfg.mail_secret (config_check_mail).
 */
#ifndef HD_MSGID_H
#define HD_MSGID_H

#include <stddef.h>

#define MSGID_MAX	320	/* bytes of an id with its brackets and NUL */

/* A fresh Message-ID for a mail about ticket (ws, ticket); 0 or -1. */
int	msgid_new(long long ws, long long ticket, char *out, size_t);
/* The ticket's thread root; 0 or -1 (also for ticket 0). */
int	msgid_thread(long long ws, long long ticket, char *out, size_t);
/* 0 and the reference when id ("<...>") is one of ours, correctly
 * signed; -1 otherwise. */
int	msgid_verify(const char *id, long long *ws, long long *ticket);

/* The Reply-To address for a mail about (ws, ticket): 0, or 1 when none
 * is configured (mail_reply_to empty, or a {token} form and no ticket),
 * or -1 when the result is no valid address. */
int	msgid_reply_to(long long ws, long long ticket, char *out, size_t);
/* 0 and the reference when token (the part of a reply address that
 * stood for {token}) is one of ours, correctly signed; -1 otherwise. */
int	msgid_reply_verify(const char *token, long long *ws, long long *ticket);

#endif
