/*
 * outcome: what a model function's call came to, the one error
 * convention of the core. OK is 0 and every other outcome is nonzero, so
 * `if (f(...) != OK)` reads as "it did not happen". A function's comment
 * names the outcomes it returns; the web layer maps each to one HTTP
 * status (outcome_status, lib/web/http.h), in one place.
 *
 * E_DB and E_DB_UNKNOWN are the database's, never the user's: a page shows
 * them as 503 (db_unavailable), never as a mistake in what was typed.
 */
#ifndef HD_OUTCOME_H
#define HD_OUTCOME_H

enum outcome {
	OK = 0,
	E_NOT_FOUND,	/* no such thing here, or not visible to the actor */
	E_CONFLICT,	/* changed by someone else since it was read */
	E_INVALID,	/* the user's input is refused (or does not match) */
	E_FORBIDDEN,	/* the actor's role does not allow it */
	E_TAKEN,	/* the name or membership exists already */
	E_LAST_ADMIN,	/* the change would leave a workspace without admin */
	E_LIMITED,	/* too many attempts: the caller must wait */
	E_DB,		/* the database failed; nothing was changed */
	E_DB_UNKNOWN,	/* a write's answer was lost: it may have been
			   applied (db_outcome_unknown, db.h) */
	OUTCOME__MAX
};

/* "ok", "not found", ...: for logs and tests. */
const char	*outcome_name(enum outcome);

/* 1 for E_DB and E_DB_UNKNOWN. */
int		 outcome_is_db(enum outcome);

#endif
