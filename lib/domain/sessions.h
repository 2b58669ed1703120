/*
 * sessions: a person's own signed-in browsers, as the "Your data" page
 * lists them and signs them out. (Starting and checking a session is the
 * web layer's, lib/web/session.h: it owns the cookie.)
 *
 * Every function here acts on the actor's own sessions only: an id of
 * someone else's session is E_NOT_FOUND, the same answer as an id that
 * never was, and that session stays alive. Functions that change data
 * are "in a transaction": the caller's db_begin(), so the change and its
 * audit row commit together.
 */
#ifndef HD_SESSIONS_H
#define HD_SESSIONS_H

#include <json-c/json.h>

#include "actor.h"
#include "outcome.h"

/*
 * The actor's live sessions (neither idle nor older than the configured
 * limits), the most recently used first, at most n: [{ id, browser (in
 * words, useragent_words), ip, started, last_seen, current (1 for the
 * session current, the caller's own browser) }], and *total of them.
 * Times are "YYYY-MM-DD HH:MM" UTC. NULL on a database error.
 */
struct json_object *session_list(const struct actor *, long long current,
	    int n, long long *total);

/* In a transaction: signs out the actor's session id. OK, E_NOT_FOUND
 * (no such session of the actor's), E_DB, E_DB_UNKNOWN. */
enum outcome	session_end_one(const struct actor *, long long id);

/* In a transaction: signs out every session of the actor's but keep
 * (0: every one); *ended says how many. OK, E_DB, E_DB_UNKNOWN. */
enum outcome	session_end_others(const struct actor *, long long keep,
		    long long *ended);

#endif
