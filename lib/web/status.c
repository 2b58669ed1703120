/*
 * status: the one mapping of the core's outcomes (outcome.h) to HTTP
 * statuses. A handler that has nothing more to say about an outcome
 * answers outcome_page(r, rc); one that shows a form again uses
 * outcome_status(rc) as the form's status.
 */
#include <stdio.h>

#include "app.h"

int
outcome_status(enum outcome o)
{
	switch (o) {
	case OK:
		return 200;
	case E_NOT_FOUND:
		return 404;
	case E_CONFLICT:
	case E_LAST_ADMIN:
		return 409;
	/* A name or membership that exists is the user's input to
	 * change, as the form says: 400, like any refused field. */
	case E_INVALID:
	case E_TAKEN:
		return 400;
	case E_FORBIDDEN:
		return 403;
	case E_LIMITED:
		return 429;
	case E_DB:
	case E_DB_UNKNOWN:
	case OUTCOME__MAX:
		break;
	}
	return 503;
}

int
outcome_page(struct req *r, enum outcome o)
{
	if (outcome_is_db(o) || o == OK || o >= OUTCOME__MAX)
		return db_unavailable(r);
	db_rollback();
	return error_page(r, outcome_status(o), NULL);
}

enum outcome
limit_check(struct req *r, enum rate_action act, char *msg, size_t len)
{
	char secs[24];
	long long wait;
	enum outcome rc;

	*msg = '\0';
	if ((rc = rate_limit(&r->actor, act, &wait)) != E_LIMITED)
		return rc;
	snprintf(secs, sizeof(secs), "%lld", wait);
	resp_header(r, "Retry-After", secs);
	rate_refusal(act, wait, msg, len);
	return rc;
}

int
limited_page(struct req *r, const char *msg)
{
	db_rollback();
	return error_page(r, 429, msg);
}
