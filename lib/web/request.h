/* request: reading a struct req from the web server (core only). */
#ifndef HD_REQUEST_H
#define HD_REQUEST_H

#include "http.h"
#include "io.h"

/* Returns 0, or the status to refuse the request with (400, 413). */
int	req_read(struct req *, const struct io *);
void	req_free(struct req *);
/*
 * Builds r->actor from what the core has loaded: the signed-in user, the
 * membership in r->ws (R_WS routes), the client's address, browser and
 * device cookie, and the request's Markdown cache. Called once the
 * membership is loaded, before the route's permission is checked.
 */
void	req_actor(struct req *);

#endif
