/*
 * router: a table of method + path pattern -> handler. A pattern is a
 * literal path with ":name" segments ("/w/:slug/tickets/:num") that match
 * one non-empty segment each. The first match wins; a path that matches
 * with another method gets 405 and an Allow header, none gets 404.
 */
#ifndef HD_ROUTER_H
#define HD_ROUTER_H

#include "http.h"

/* Route flags. */
#define R_AUTH	0x01	/* signed-in users only: others go to /signin */
#define R_WS	0x02	/* a workspace page: members of :slug only (authz.h) */

typedef int (*handler_fn)(struct req *);

struct route {
	enum method	 method;	/* M_GET also answers HEAD */
	const char	*pattern;
	handler_fn	 handler;
	int		 flags;
	int		 perm;		/* with R_WS: enum perm needed */
};

/*
 * Finds the route for r's method and path and fills r->params.
 * Returns the route, or NULL with *status set to 404 or 405 (and the
 * Allow header set on r).
 */
const struct route *route_match(const struct route *, struct req *,
	    int *status);

/* Matches one pattern against a path; 1 on a match. Exposed for tests. */
int	route_pattern_match(const char *pattern, const char *path,
	    struct kvlist *params);

#endif
