#include "outcome.h"

static const char *const names[OUTCOME__MAX] = {
	[OK] = "ok",
	[E_NOT_FOUND] = "not found",
	[E_CONFLICT] = "conflict",
	[E_INVALID] = "invalid",
	[E_FORBIDDEN] = "forbidden",
	[E_TAKEN] = "taken",
	[E_LAST_ADMIN] = "last admin",
	[E_LIMITED] = "limited",
	[E_DB] = "database error",
	[E_DB_UNKNOWN] = "database outcome unknown",
};

const char *
outcome_name(enum outcome o)
{
	return (unsigned)o < OUTCOME__MAX ? names[o] : "unknown outcome";
}

int
outcome_is_db(enum outcome o)
{
	return o == E_DB || o == E_DB_UNKNOWN;
}
