/*
 * audit: the activity log the privacy policy promises: who did what to
 * which object, from which address and browser, and when; and the
 * admin's view of it: each action in words, its object by the number the
 * pages use, the browser as a device in words, filtered by person,
 * action and date range.
 */
#ifndef HD_AUDIT_H
#define HD_AUDIT_H

#include <json-c/json.h>

#include "actor.h"
#include "outcome.h"

/*
 * Records action ("user.signin", "ticket.update") by a's user (or by
 * actor_id when a has none yet, as at sign-in) on an object, with a's
 * address and browser, or the name of the program acting (actor.h) in
 * the browser's place. workspace_id and object_id may be 0 for none.
 * OK, E_DB or E_DB_UNKNOWN.
 */
enum outcome audit(const struct actor *, long long workspace_id,
	    long long actor_id, const char *action, const char *object_type,
	    long long object_id);
/* audit with a detail its words need (a role change's new role): a fixed
 * word of the code's, at most 32 ASCII characters, never input. */
enum outcome audit_detail(const struct actor *, long long workspace_id,
	    long long actor_id, const char *action, const char *object_type,
	    long long object_id, const char *detail);

/* Which rows of the actor's workspace: each 0 or NULL for any. Dates are
 * "YYYY-MM-DD" (UTC), both days included; audit_filter_check says
 * whether they are. */
struct audit_filter {
	long long	 person;	/* the acting user's id */
	const char	*action;	/* "ticket.update" */
	const char	*from;
	const char	*to;
};

/* E_INVALID when an action or date is not of its form, else OK. */
enum outcome	 audit_filter_check(const struct audit_filter *);

/*
 * One page of the actor's workspace's log, newest first: at most n rows
 * matching f with an id below before, as [{ id, time, action, detail,
 * actor_id, actor_name, actor_email, object_type, object_id, number
 * (the ticket's number for a ticket or a reply, else absent),
 * object_name (a person's name), before, object, after (the action in
 * words: before + object + after, object the part to link), words (the
 * whole sentence, the actor first), ip, user_agent, device (in words)
 * }]. Pages are keyed by the last id shown, so a page costs one index
 * range however deep it is (each filter's index: sql/018-audit-usage.sql),
 * and rows written meanwhile never shift it. *older is the id to pass as
 * before for the next page, 0 when this is the last. NULL on a database
 * error.
 */
struct json_object *audit_page(const struct actor *,
	    const struct audit_filter *, long long before, int n,
	    long long *older);

/* The actions that have words, for a filter's list: [{ action, label }]. */
struct json_object *audit_actions(const char *selected);

#endif
