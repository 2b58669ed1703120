/*
 * quarantine: mail that could not be read or routed (mailin.h stores it
 * in mail_quarantine, whole), for a workspace's admins to look at, then
 * release into a ticket or delete. It is personal data: the sender's
 * export and erasure cover it (export.c, erase.c), and retention deletes
 * it after retention_quarantine_days (retention.c), but for what a legal
 * hold keeps (HOLD_QUARANTINE_FREE_SQL, holds.h).
 *
 * Release never parses mail (web workers do not link GMime): the ticket
 * is made from the text and sanitised HTML that mailin kept when it
 * parsed, with the original message attached whole as an .eml file; a
 * message that could not be parsed becomes a ticket that says so, with
 * the original attached.
 *
 * Functions that take an actor act in its workspace and need P_SETTINGS
 * (its admins): a message of another workspace, or of none, is
 * E_NOT_FOUND, as one that never existed. Mail of no workspace is the
 * site operator's, through helpdesk-quarantine (tools/quarantine.c) and
 * the _site functions below (docs/decisions.md, "Quarantine").
 */
#ifndef HD_QUARANTINE_H
#define HD_QUARANTINE_H

#include <stddef.h>

#include <json-c/json.h>

#include "actor.h"
#include "outcome.h"

#define QUARANTINE_PAGE		50
#define QUARANTINE_FILENAME	"original.eml"

/*
 * One page of the workspace's quarantine, newest first: at most
 * QUARANTINE_PAGE of [{ id, received, from_addr, from_name, subject,
 * reason, reason_code, size, size_label }] with an id below before.
 * *next is the before of the next page, 0 at the end. NULL on a
 * database error (or without P_SETTINGS).
 */
struct json_object *quarantine_list(const struct actor *, long long before,
	    long long *next);

/* How many messages the workspace's quarantine holds; -1 on an error. */
long long	 quarantine_count(const struct actor *);

/*
 * One message's details, without its bytes: the list's keys and
 * message_id, body (HTML to show as it is: the kept sanitised HTML, else
 * the text through mailtext_html; absent when the message could not be
 * read), body_kind ("html", "text"), and who a release makes its
 * requester (quarantine_release): requester ({ id, name, email }) for a
 * member who sent it, or new_requester (the address) when an account
 * is to be made; neither when it is the admin. OK with *out (caller
 * puts), E_NOT_FOUND, E_DB.
 */
enum outcome	 quarantine_load(const struct actor *, long long id,
		    struct json_object **out);

/* The message's size, for a download's head: OK, E_NOT_FOUND, E_DB. */
enum outcome	 quarantine_size(const struct actor *, long long id,
		    long long *size);

/*
 * Sends the bytes of message id (of size bytes, as quarantine_size
 * said), a chunk at a time, to write(arg, p, n), which returns 0, or -1
 * to stop. 0 when every byte went, -1 otherwise (logged). For the
 * actor's workspace; ws_id < 0 (the _site callers) for mail of none.
 */
int		 quarantine_send(long long ws_id, long long id,
		    long long size,
		    int (*write)(void *arg, const void *p, size_t n),
		    void *arg);

/*
 * In a transaction: a ticket from the message, opened by the actor (an
 * admin) and requested by the sender: the member with its From address;
 * else, when no account has that address, a new requester account
 * without a password (users.h, user_create_unclaimed: as mailin makes
 * one for an unknown sender), which its owner claims by the password
 * reset; else (no address, or an account that is no member here: nobody
 * is made a member by someone else's release) the admin. Its text
 * (body_format 1) or sanitised HTML (2) as kept, or a line saying it
 * could not be read; the original attached as QUARANTINE_FILENAME; the
 * message deleted and its mail_seen row pointed at the ticket; audited
 * ("quarantine.release"). OK with *number, E_NOT_FOUND, E_DB,
 * E_DB_UNKNOWN.
 */
enum outcome	 quarantine_release(const struct actor *, long long id,
		    long long *number);

/* In a transaction: deletes it and its bytes, audited
 * ("quarantine.delete"). OK, E_NOT_FOUND, E_DB, E_DB_UNKNOWN. */
enum outcome	 quarantine_delete(const struct actor *, long long id);

/*
 * The site operator's view of mail that reached no workspace
 * (workspace_id NULL), which no workspace admin sees: the list (as
 * quarantine_list, every row, oldest first, NULL on an error), one
 * message (as quarantine_load) and its deletion (in a transaction,
 * audited with no workspace). a is a system actor.
 */
struct json_object *quarantine_site_list(void);
enum outcome	 quarantine_site_load(long long id,
		    struct json_object **out);
enum outcome	 quarantine_site_delete(const struct actor *, long long id);

#endif
