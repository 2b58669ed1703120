#include <string.h>

#include "buf.h"
#include "config.h"
#include "crypto.h"
#include "db.h"
#include "ratelimit.h"

enum outcome
rate_hit(const char *key, long long max, long long window,
    long long *retry_after)
{
	unsigned char h[32];
	struct dbres *res;
	long long n, oldest;

	*retry_after = 0;
	sha256(key, strlen(key), h);
	res = db_query("SELECT COUNT(*), TIMESTAMPDIFF(SECOND, MIN(created_at),"
	    " UTC_TIMESTAMP()) FROM rate_events WHERE key_hash = ? AND"
	    " created_at > UTC_TIMESTAMP() - INTERVAL ? SECOND", "bi",
	    h, sizeof(h), window);
	/* COUNT(*) always has a row: none is an error too. */
	if (res == NULL || db_next(res) != 1) {
		db_free(res);
		return E_DB;
	}
	n = db_int(res, 0);
	oldest = db_str(res, 1) ? db_int(res, 1) : 0;
	db_free(res);
	if (n >= max) {
		*retry_after = window - oldest > 1 ? window - oldest : 1;
		return E_LIMITED;
	}
	if (db_exec("INSERT INTO rate_events (key_hash, created_at) VALUES"
	    " (?, UTC_TIMESTAMP())", "b", h, sizeof(h)) == -1)
		return db_error();
	/* Old rows go where a write happens anyway; best effort. */
	db_exec("DELETE FROM rate_events WHERE created_at <"
	    " UTC_TIMESTAMP() - INTERVAL 1 DAY LIMIT 100", "");
	return OK;
}

enum outcome
rate_mail(const struct actor *a, const char *kind, const char *email,
    long long *retry_after)
{
	struct buf k = BUF_INIT;
	enum outcome rc;

	buf_printf(&k, "%s:client:%s", kind, a->addr ? a->addr : "-");
	rc = rate_hit(buf_str(&k), cfg.mail_limit_client,
	    cfg.mail_limit_window, retry_after);
	if (rc == OK) {
		buf_reset(&k);
		buf_printf(&k, "%s:address:%s", kind, email);
		rc = rate_hit(buf_str(&k), cfg.mail_limit_address,
		    cfg.mail_limit_window, retry_after);
	}
	buf_free(&k);
	return rc;
}
