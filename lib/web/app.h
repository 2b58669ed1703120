/*
 * app: what a program in cgi-bin/ includes. A program is a route table
 * and its handlers; main() is one call:
 *
 *	int main(int argc, char **argv) { return app_main(argc, argv, routes); }
 *
 * Run with "-s SOCKET [-n WORKERS]" it listens on a unix socket and keeps
 * WORKERS processes serving it, restarting any that die. Without -s it
 * serves FastCGI on standard input (mod_fcgid, spawn-fcgi), or one plain
 * CGI request when standard input is not a socket.
 */
#ifndef HD_APP_H
#define HD_APP_H

#include <json-c/json.h>

#include "authz.h"
#include "config.h"
#include "confirm.h"
#include "db.h"
#include "flash.h"
#include "form.h"
#include "http.h"
#include "log.h"
#include "outcome.h"
#include "ratelimit.h"
#include "router.h"
#include "session.h"
#include "util.h"
#include "workspaces.h"

int	app_main(int argc, char **argv, const struct route *);

/* The page for a database failure: 503, and it says so. A form whose
 * write failed is shown again instead, with db_unavailable_text() as its
 * message and status 503, so that nothing typed is lost. Either way the
 * text says when the write may have been applied (db_outcome_unknown). */
int	db_unavailable(struct req *);
const char *db_unavailable_text(void);

/*
 * The one mapping of outcomes (outcome.h) to HTTP statuses: OK 200,
 * E_NOT_FOUND 404, E_CONFLICT and E_LAST_ADMIN 409, E_INVALID and E_TAKEN
 * 400 (the user's input), E_FORBIDDEN 403, E_LIMITED 429, E_DB and
 * E_DB_UNKNOWN 503.
 */
int	outcome_status(enum outcome);
/* The page for an outcome other than OK when the handler has nothing
 * more to say: db_unavailable for E_DB and E_DB_UNKNOWN, otherwise the
 * error page of its status; an open transaction is rolled back. */
int	outcome_page(struct req *, enum outcome);

/*
 * One more limited action by the request's actor (ratelimit.h): OK; or
 * E_LIMITED with the Retry-After header set and msg filled with what the
 * page says ("... Try again in 12 minutes."), for the handler to show
 * its form again at 429 with what was typed, or limited_page; E_DB.
 */
enum outcome limit_check(struct req *, enum rate_action, char *msg,
	    size_t len);
/* The 429 page for an action without a form, saying msg. */
int	limited_page(struct req *, const char *msg);

#endif
