/*
 * quarantine: mail that could not be read or routed (mailin.h stores it
 * in mail_quarantine, whole), for a workspace's admins to look at, then
 * release into a ticket or delete. It is personal data: the sender's
 * export and erasure cover it (export.c, erase.c), and retention deletes
 * it after retention_quarantine_days.
 *
 * Release never parses mail (web workers do not link GMime): the ticket
 * is made from the text and sanitised HTML that mailin kept when it
 * parsed, with the original message attached whole as an .eml file; a
 * message that could not be parsed becomes a ticket that says so, with
 * the original attached.
 */
#ifndef HD_QUARANTINE_H
#define HD_QUARANTINE_H

#include <json-c/json.h>

#include "actor.h"
#include "outcome.h"

/* One page of the workspace's quarantine, newest first (P_ADMIN). */
struct json_object *quarantine_list(const struct actor *, long long before,
	    long long *next);

/* One message's details, without its bytes. */
enum outcome	 quarantine_load(const struct actor *, long long id,
		    struct json_object **out);

/* In a transaction: a ticket from the message, requested by requester_id
 * (the sender's account, made if need be, or the admin). Sets *number. */
enum outcome	 quarantine_release(const struct actor *, long long id,
		    long long requester_id, long long *number);

/* In a transaction: deletes it (audited). */
enum outcome	 quarantine_delete(const struct actor *, long long id);

#endif
