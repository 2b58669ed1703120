#include <stdio.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "config.h"
#include "crypto.h"
#include "db.h"
#include "throttle.h"
#include "util.h"

#define NONCE_HEX	32

/* Which failures a bound counts. */
enum counter {
	C_DEVICE,	/* this known browser's, for this account */
	C_PAIR,		/* this account's, from this address */
	C_ADDRESS,	/* this address's, for any account */
	C_ACCOUNT,	/* this account's, from everywhere */
};

/*
 * The MAC of a device cookie: HMAC over the account's email, a random
 * nonce and the time it was issued, keyed by the site secret. The email
 * itself is never in the cookie.
 */
static void
device_mac(const char *email, const char *nonce, long long issued,
    char out[TOKEN_HEX + 1])
{
	unsigned char mac[32];
	char msg[400];
	int n;

	n = snprintf(msg, sizeof(msg), "device:%s:%s:%lld", email, nonce,
	    issued);
	if (n < 0 || (size_t)n >= sizeof(msg))
		n = 0;	/* longer than any valid email: matches nothing */
	hmac_sha256(cfg.secret, strlen(cfg.secret), msg, (size_t)n, mac);
	hex_encode(mac, sizeof(mac), out);
}

static int
all_hex(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (hex_value((unsigned char)s[i]) == -1)
			return 0;
	return 1;
}

/*
 * 1 when the browser's device cookie was issued for email within
 * DEVICE_MAX_AGE; then id is the SHA-256 of the cookie (hex), the key its
 * own failures are counted under.
 */
static int
known_device(const struct actor *a, const char *email,
    char id[TOKEN_HEX + 1])
{
	const char *c = a->device, *dot;
	char nonce[NONCE_HEX + 1], want[TOKEN_HEX + 1], num[24];
	unsigned char h[32];
	long long issued, now = (long long)time(NULL);

	if (c == NULL || strlen(c) < NONCE_HEX + 3 + TOKEN_HEX ||
	    c[NONCE_HEX] != '.' || !all_hex(c, NONCE_HEX))
		return 0;
	dot = strchr(c + NONCE_HEX + 1, '.');
	if (dot == NULL || (size_t)(dot - c) - NONCE_HEX - 1 >= sizeof(num) ||
	    strlen(dot + 1) != TOKEN_HEX)
		return 0;
	memcpy(num, c + NONCE_HEX + 1, (size_t)(dot - c) - NONCE_HEX - 1);
	num[(dot - c) - NONCE_HEX - 1] = '\0';
	if (parse_int(num, 0, now, &issued) == -1 ||
	    now - issued >= DEVICE_MAX_AGE)
		return 0;
	memcpy(nonce, c, NONCE_HEX);
	nonce[NONCE_HEX] = '\0';
	device_mac(email, nonce, issued, want);
	if (!ct_memeq(want, dot + 1, TOKEN_HEX))
		return 0;
	sha256(c, strlen(c), h);
	hex_encode(h, sizeof(h), id);
	return 1;
}

/* Failures one bound counts in the window, and seconds since the last. */
static int
failures(enum counter k, const struct actor *a, const char *email,
    const char *device, long long *n, long long *since)
{
#define COUNT "SELECT COUNT(*), TIMESTAMPDIFF(SECOND, MAX(created_at)," \
	" UTC_TIMESTAMP()) FROM signin_failures WHERE "
#define RECENT " AND created_at > UTC_TIMESTAMP() - INTERVAL ? SECOND"
	struct dbres *res = NULL;
	long long w = cfg.throttle_window;

	switch (k) {
	case C_DEVICE:
		res = db_query(COUNT "device = ?" RECENT, "si", device, w);
		break;
	case C_PAIR:
		res = db_query(COUNT "email = ? AND ip = ?" RECENT, "ssi",
		    email, a->addr, w);
		break;
	case C_ADDRESS:
		res = db_query(COUNT "ip = ?" RECENT, "si", a->addr, w);
		break;
	case C_ACCOUNT:
		res = db_query(COUNT "email = ?" RECENT, "si", email, w);
		break;
	}
#undef COUNT
#undef RECENT
	/* COUNT(*) always has a row: none is an error too. */
	if (res == NULL || db_next(res) != 1) {
		db_free(res);
		return -1;
	}
	*n = db_int(res, 0);
	*since = db_str(res, 1) ? db_int(res, 1) : 0;
	db_free(res);
	return 0;
}

/*
 * Seconds to wait after n failures against a bound of limit, the last
 * `since` seconds ago: none below the bound, then THROTTLE_DELAY doubled
 * for each failure beyond it, at most throttle_window.
 */
static long long
wait_left(long long n, long long limit, long long since)
{
	long long d = THROTTLE_DELAY, i;

	if (n < limit)
		return 0;
	for (i = limit; i < n && d < cfg.throttle_window; i++)
		d *= 2;
	if (d > cfg.throttle_window)
		d = cfg.throttle_window;
	return since < d ? d - since : 0;
}

enum outcome
throttle_check(const struct actor *a, const char *email,
    long long *retry_after)
{
	static const struct { enum counter k; int known; } bounds[] = {
		{ C_DEVICE, 1 },
		{ C_PAIR, 0 }, { C_ADDRESS, 0 }, { C_ACCOUNT, 0 },
	};
	char device[TOKEN_HEX + 1];
	int known = known_device(a, email, device);
	long long n, since, limit, w;
	size_t i;

	*retry_after = 0;
	for (i = 0; i < nitems(bounds); i++) {
		if (bounds[i].known != known)
			continue;
		if (failures(bounds[i].k, a, email, device, &n, &since) == -1)
			return E_DB;
		limit = bounds[i].k == C_ADDRESS ? cfg.throttle_ip :
		    bounds[i].k == C_ACCOUNT ? cfg.throttle_account_all :
		    cfg.throttle_account;
		if ((w = wait_left(n, limit, since)) > *retry_after)
			*retry_after = w;
	}
	return *retry_after > 0 ? E_LIMITED : OK;
}

void
throttle_fail(const struct actor *a, const char *email)
{
	char device[TOKEN_HEX + 1];
	int known = known_device(a, email, device);

	db_exec("INSERT INTO signin_failures (email, ip, device, created_at)"
	    " VALUES (LEFT(?, 254), ?, ?, UTC_TIMESTAMP())", "sss", email,
	    a->addr, known ? device : NULL);
	/* In a transaction the caller purges after it (throttle_purge):
	 * the DELETE's range lock would make concurrent failures wait on
	 * each other, or deadlock. */
	if (!db_in_transaction())
		throttle_purge();
}

void
throttle_purge(void)
{
	/* Old rows are useless; drop them where we write anyway. */
	db_exec("DELETE FROM signin_failures WHERE created_at <"
	    " UTC_TIMESTAMP() - INTERVAL ? SECOND LIMIT 100", "i",
	    cfg.throttle_window);
}

char *
throttle_success(const struct actor *a, const char *email)
{
	char device[TOKEN_HEX + 1], nonce[NONCE_HEX + 1], mac[TOKEN_HEX + 1];
	unsigned char raw[NONCE_HEX / 2];
	long long now = (long long)time(NULL);
	struct buf v = BUF_INIT;

	/* Only this source's failures: an attacker's elsewhere still count. */
	if (known_device(a, email, device))
		db_exec("DELETE FROM signin_failures WHERE device = ?", "s",
		    device);
	db_exec("DELETE FROM signin_failures WHERE email = ? AND ip = ?"
	    " AND device IS NULL", "ss", email, a->addr);
	random_bytes(raw, sizeof(raw));
	hex_encode(raw, sizeof(raw), nonce);
	device_mac(email, nonce, now, mac);
	buf_printf(&v, "%s.%lld.%s", nonce, now, mac);
	return buf_detach(&v);
}
