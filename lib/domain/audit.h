/*
 * audit: the activity log the privacy policy promises: who did what to
 * which object, from which address and browser, and when.
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

/*
 * One page of workspace ws_id's log, newest first: at most n rows with an
 * id below before, as [{ id, time, action, object_type, object_id, ip,
 * user_agent, actor_name, actor_email }]. Pages are keyed by the last id
 * shown, so a page costs one index range however deep it is, and rows
 * written meanwhile never shift it. *older is the id to pass as before
 * for the next page, 0 when this is the last. NULL on a database error.
 */
struct json_object *audit_page(long long ws_id, long long before, int n,
	    long long *older);

#endif
