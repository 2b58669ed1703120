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
#include "db.h"
#include "form.h"
#include "http.h"
#include "log.h"
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

#endif
