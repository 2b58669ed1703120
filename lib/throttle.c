#include "config.h"
#include "db.h"
#include "throttle.h"

int
throttle_blocked(const char *email, const char *ip)
{
	long long by_account, by_ip;

	by_account = db_scalar("SELECT COUNT(*) FROM signin_failures"
	    " WHERE email = ? AND created_at > UTC_TIMESTAMP() -"
	    " INTERVAL ? SECOND", "si", email, cfg.throttle_window);
	by_ip = db_scalar("SELECT COUNT(*) FROM signin_failures"
	    " WHERE ip = ? AND created_at > UTC_TIMESTAMP() -"
	    " INTERVAL ? SECOND", "si", ip, cfg.throttle_window);
	if (by_account < 0 || by_ip < 0)
		return -1;
	return by_account >= cfg.throttle_account || by_ip >= cfg.throttle_ip;
}

void
throttle_fail(const char *email, const char *ip)
{
	db_exec("INSERT INTO signin_failures (email, ip, created_at)"
	    " VALUES (LEFT(?, 254), ?, UTC_TIMESTAMP())", "ss", email, ip);
	/* Old rows are useless; drop them where we write anyway. */
	db_exec("DELETE FROM signin_failures WHERE created_at <"
	    " UTC_TIMESTAMP() - INTERVAL ? SECOND LIMIT 100", "i",
	    cfg.throttle_window);
}

void
throttle_clear(const char *email)
{
	db_exec("DELETE FROM signin_failures WHERE email = ?", "s", email);
}
