/*
 * firstrun: what a workspace's queue shows when there is no ticket in it
 * at all (issue 13): the next steps instead of "No tickets match.".
 * Admins and agents are told to invite their team, open the first ticket
 * and share the portal (its link, absolute, and the workspace's inbound
 * mail address when it has one); a requester to open their first
 * request. html/workspaces/first-run.html words it.
 */
#ifndef HD_FIRSTRUN_H
#define HD_FIRSTRUN_H

#include <json-c/json.h>

#include "http.h"

/*
 * Adds "first_run" to the queue page's context c when its "tickets" are
 * empty on the first page (no ?after=) and r's caller may see no ticket
 * of the workspace at all, whatever the filters: one EXISTS probe, asked
 * only then, so a queue with rows costs nothing more. 0, or -1 on a
 * database error (the caller answers 503).
 */
int	first_run(struct req *, struct json_object *c);

#endif
