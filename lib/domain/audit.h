/*
 * audit: the activity log the privacy policy promises: who did what to
 * which object, from which address and browser, and when.
 */
#ifndef HD_AUDIT_H
#define HD_AUDIT_H

#include "http.h"

/*
 * Records action ("user.signin", "ticket.update") by r's user (or by
 * actor_id when r has none yet, as at sign-in) on an object. workspace_id
 * and object_id may be 0 for none. Returns -1 on error.
 */
int	audit(struct req *, long long workspace_id, long long actor_id,
	    const char *action, const char *object_type, long long object_id);

#endif
