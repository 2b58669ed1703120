#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit.h"
#include "buf.h"
#include "config.h"
#include "crypto.h"
#include "db.h"
#include "escape.h"
#include "log.h"
#include "totp.h"
#include "twofactor.h"
#include "util.h"

/* Steps either side of now a code is accepted for (clock drift). */
#define WINDOW		1
#define SEALED_MAX	(TOTP_SECRET_BYTES + AEAD_OVERHEAD)
#define RECOVERY_RAW	10	/* bytes: 16 base32 characters */

#define EXEC(...)	do { if (db_exec(__VA_ARGS__) == -1) \
	return db_error(); } while (0)

/*
 * Keys derived from the config's secret (64 hex digits, checked at
 * start-up), one per use, so that the CSRF tokens and device cookies
 * keyed by the same secret never share a key with these.
 */
static void
derive(const char *label, unsigned char out[32])
{
	unsigned char raw[32];
	size_t i;

	for (i = 0; i < sizeof(raw); i++)
		raw[i] = (unsigned char)(hex_value(cfg.secret[2 * i]) << 4 |
		    hex_value(cfg.secret[2 * i + 1]));
	hmac_sha256(raw, sizeof(raw), label, strlen(label), out);
	explicit_bzero(raw, sizeof(raw));
}

/* The associated data of a user's sealed secret: their id. */
static int
seal_ad(long long uid, char *ad, size_t sz)
{
	return snprintf(ad, sz, "totp:%lld", uid);
}

static enum outcome
audit_user(const struct actor *a, long long uid, const char *action)
{
	return audit(a, 0, uid, action, "user", uid);
}

/* user_id's secret, opened: OK with key[TOTP_SECRET_BYTES] and the last
 * step used, E_NOT_FOUND (none, or not enabled when want_enabled, or
 * enabled when not), E_DB. Locks the row in a transaction. */
static enum outcome
load_secret(long long uid, int want_enabled, unsigned char *key,
    long long *last_step)
{
	unsigned char k[32];
	struct dbres *res;
	char ad[32];
	enum outcome rc = E_NOT_FOUND;
	int n;

	res = db_query("SELECT secret, enabled_at IS NOT NULL, last_step"
	    " FROM user_totp WHERE user_id = ? FOR UPDATE", "i", uid);
	if (res == NULL)
		return db_error();
	if ((n = db_next(res)) == -1)
		rc = db_error();
	else if (n == 1 && (db_int(res, 1) != 0) == want_enabled) {
		derive("helpdesk totp secret seal v1", k);
		seal_ad(uid, ad, sizeof(ad));
		if (db_len(res, 0) != SEALED_MAX ||
		    aead_open(k, ad, strlen(ad), (const unsigned char *)
		    db_str(res, 0), SEALED_MAX, key) == -1) {
			/* The config's secret changed since enrolment: only
			 * a recovery code can sign this account in now. */
			log_err("twofactor: the secret of user %lld does not "
			    "open", uid);
			rc = E_NOT_FOUND;
		} else {
			*last_step = db_int(res, 2);
			rc = OK;
		}
		explicit_bzero(k, sizeof(k));
	}
	db_free(res);
	return rc;
}

enum outcome
twofactor_status(long long uid, struct twofactor_status *st)
{
	struct dbres *res;
	int n;

	memset(st, 0, sizeof(*st));
	res = db_query("SELECT enabled_at IS NOT NULL,"
	    " DATE_FORMAT(enabled_at, '%Y-%m-%d %H:%i:%s'),"
	    " (SELECT COUNT(*) FROM totp_recovery r WHERE r.user_id = ?"
	    " AND r.used_at IS NULL) FROM user_totp WHERE user_id = ?", "ii",
	    uid, uid);
	if (res == NULL)
		return db_error();
	if ((n = db_next(res)) == 1) {
		st->enabled = db_int(res, 0) != 0;
		st->pending = !st->enabled;
		if (st->enabled && db_str(res, 1) != NULL)
			snprintf(st->since, sizeof(st->since), "%s",
			    db_str(res, 1));
		st->recovery_left = db_int(res, 2);
	}
	db_free(res);
	return n == -1 ? db_error() : OK;
}

enum outcome
twofactor_begin(const struct actor *a)
{
	unsigned char key[TOTP_SECRET_BYTES], k[32], sealed[SEALED_MAX];
	char ad[32];
	long long on;

	on = db_scalar("SELECT COUNT(*) FROM user_totp WHERE user_id = ?"
	    " AND enabled_at IS NOT NULL", "i", a->user_id);
	if (on < 0)
		return db_error();
	if (on > 0)
		return E_CONFLICT;
	random_bytes(key, sizeof(key));
	derive("helpdesk totp secret seal v1", k);
	seal_ad(a->user_id, ad, sizeof(ad));
	if (aead_seal(k, ad, strlen(ad), key, sizeof(key), sealed) == -1) {
		explicit_bzero(key, sizeof(key));
		explicit_bzero(k, sizeof(k));
		return E_DB;
	}
	explicit_bzero(key, sizeof(key));
	explicit_bzero(k, sizeof(k));
	EXEC("REPLACE INTO user_totp (user_id, secret, created_at, enabled_at,"
	    " last_step) VALUES (?, ?, UTC_TIMESTAMP(), NULL, 0)", "ib",
	    a->user_id, sealed, sizeof(sealed));
	return OK;
}

/* "ABCD EFGH ...": groups of four, as the eye copies them. */
static char *
grouped(const char *b32)
{
	struct buf b = BUF_INIT;
	size_t i;

	for (i = 0; b32[i] != '\0'; i++) {
		if (i > 0 && i % 4 == 0)
			buf_putc(&b, ' ');
		buf_putc(&b, b32[i]);
	}
	return buf_detach(&b);
}

enum outcome
twofactor_pending(const struct actor *a, char **group, char **uri)
{
	unsigned char key[TOTP_SECRET_BYTES];
	char b32[TOTP_SECRET_B32 + 1];
	const char *issuer = *cfg.mail_from_name ? cfg.mail_from_name :
	    "Helpdesk";
	struct buf u = BUF_INIT, label = BUF_INIT;
	long long last;
	enum outcome rc;

	*group = *uri = NULL;
	if ((rc = load_secret(a->user_id, 0, key, &last)) != OK)
		return rc;
	base32_encode(key, sizeof(key), b32);
	explicit_bzero(key, sizeof(key));
	/* Key URI format (Google Authenticator's wiki): the label is
	 * "issuer:account", each part percent-encoded. */
	buf_printf(&label, "%s:%s", issuer, a->user_email ? a->user_email :
	    "");
	buf_puts(&u, "otpauth://totp/");
	url_escape(&u, buf_str(&label));
	buf_printf(&u, "?secret=%s&issuer=", b32);
	url_escape(&u, issuer);
	buf_printf(&u, "&algorithm=SHA1&digits=%d&period=%d", TOTP_DIGITS,
	    TOTP_STEP);
	buf_free(&label);
	*group = grouped(b32);
	*uri = buf_detach(&u);
	explicit_bzero(b32, sizeof(b32));
	return OK;
}

/* A recovery code as typed: lower case, without spaces or dashes, 16
 * base32 characters; 0, or -1 when it cannot be one. */
static int
recovery_norm(const char *s, char out[17])
{
	size_t n = 0;
	int c;

	for (; s != NULL && *s != '\0'; s++) {
		c = (unsigned char)*s;
		if (c == ' ' || c == '-')
			continue;
		if (c >= 'A' && c <= 'Z')
			c += 'a' - 'A';
		if (!((c >= 'a' && c <= 'z') || (c >= '2' && c <= '7')) ||
		    n >= 16)
			return -1;
		out[n++] = (char)c;
	}
	out[n] = '\0';
	return n == 16 ? 0 : -1;
}

/* In a transaction: RECOVERY_CODES fresh codes for uid, replacing any. */
static enum outcome
recovery_new(long long uid, char codes[RECOVERY_CODES][RECOVERY_LEN + 1])
{
	unsigned char raw[RECOVERY_RAW], h[32];
	char b32[17], norm[17];
	int i, j, o;

	EXEC("DELETE FROM totp_recovery WHERE user_id = ?", "i", uid);
	for (i = 0; i < RECOVERY_CODES; i++) {
		random_bytes(raw, sizeof(raw));
		base32_encode(raw, sizeof(raw), b32);
		for (j = 0, o = 0; j < 16; j++) {
			if (j > 0 && j % 4 == 0)
				codes[i][o++] = '-';
			codes[i][o++] = (char)(b32[j] >= 'A' && b32[j] <= 'Z' ?
			    b32[j] - 'A' + 'a' : b32[j]);
		}
		codes[i][o] = '\0';
		recovery_norm(codes[i], norm);
		sha256(norm, 16, h);
		EXEC("INSERT INTO totp_recovery (user_id, code_hash, created_at)"
		    " VALUES (?, ?, UTC_TIMESTAMP())", "ib", uid, h, sizeof(h));
	}
	explicit_bzero(raw, sizeof(raw));
	explicit_bzero(b32, sizeof(b32));
	return OK;
}

/* Accepts step for uid only when it is newer than the last accepted:
 * OK, E_INVALID (used already), E_DB. */
static enum outcome
use_step(long long uid, long long step)
{
	long long n = db_exec("UPDATE user_totp SET last_step = ? WHERE"
	    " user_id = ? AND last_step < ?", "iii", step, uid, step);

	if (n == -1)
		return db_error();
	return n == 1 ? OK : E_INVALID;
}

enum outcome
twofactor_confirm(const struct actor *a, const char *code,
    char codes[RECOVERY_CODES][RECOVERY_LEN + 1])
{
	unsigned char key[TOTP_SECRET_BYTES];
	long long last, step;
	enum outcome rc;

	if ((rc = load_secret(a->user_id, 0, key, &last)) != OK)
		return rc;
	step = totp_verify(key, sizeof(key), code, (int64_t)time(NULL),
	    WINDOW);
	explicit_bzero(key, sizeof(key));
	if (step < 0)
		return E_INVALID;
	if ((rc = use_step(a->user_id, step)) != OK)
		return rc;
	EXEC("UPDATE user_totp SET enabled_at = UTC_TIMESTAMP() WHERE"
	    " user_id = ?", "i", a->user_id);
	if ((rc = recovery_new(a->user_id, codes)) != OK)
		return rc;
	return audit_user(a, a->user_id, "2fa.enrol");
}

/* A recovery code of uid's, used up: OK, E_INVALID, E_DB. */
static enum outcome
use_recovery(long long uid, const char *code)
{
	unsigned char h[32];
	char norm[17];
	long long n;

	if (recovery_norm(code, norm) == -1)
		return E_INVALID;
	sha256(norm, 16, h);
	n = db_exec("UPDATE totp_recovery SET used_at = UTC_TIMESTAMP()"
	    " WHERE user_id = ? AND code_hash = ? AND used_at IS NULL"
	    " LIMIT 1", "ib", uid, h, sizeof(h));
	if (n == -1)
		return db_error();
	return n == 1 ? OK : E_INVALID;
}

enum outcome
twofactor_check(const struct actor *a, long long uid, const char *code,
    int *recovery)
{
	unsigned char key[TOTP_SECRET_BYTES];
	long long last = 0, step, on;
	enum outcome rc;

	*recovery = 0;
	/* Locks the row: two tabs with the same code, one wins. */
	rc = load_secret(uid, 1, key, &last);
	if (rc == E_NOT_FOUND) {
		/* On, but the secret does not open (the config's secret
		 * changed): recovery codes still work. */
		on = db_scalar("SELECT COUNT(*) FROM user_totp WHERE"
		    " user_id = ? AND enabled_at IS NOT NULL", "i", uid);
		if (on < 0)
			return db_error();
		if (on == 0)
			return E_NOT_FOUND;
	} else if (rc != OK)
		return rc;
	if (rc == OK && strlen(code) <= TOTP_DIGITS + 1 &&
	    strspn(code, "0123456789 ") == strlen(code)) {
		step = totp_verify(key, sizeof(key), code,
		    (int64_t)time(NULL), WINDOW);
		explicit_bzero(key, sizeof(key));
		rc = step < 0 ? E_INVALID : use_step(uid, step);
	} else {
		explicit_bzero(key, sizeof(key));
		if ((rc = use_recovery(uid, code)) == OK)
			*recovery = 1;
	}
	if (rc != OK && rc != E_INVALID)
		return rc;
	if (audit_user(a, uid, rc == E_INVALID ? "2fa.fail" :
	    *recovery ? "2fa.recovery_use" : "2fa.use") != OK)
		return db_error();
	return rc;
}

enum outcome
twofactor_erase(long long uid)
{
	EXEC("DELETE FROM totp_recovery WHERE user_id = ?", "i", uid);
	EXEC("DELETE FROM user_totp WHERE user_id = ?", "i", uid);
	return OK;
}

enum outcome
twofactor_remove(const struct actor *a, long long uid)
{
	long long n;

	EXEC("DELETE FROM totp_recovery WHERE user_id = ?", "i", uid);
	if ((n = db_exec("DELETE FROM user_totp WHERE user_id = ?", "i",
	    uid)) == -1)
		return db_error();
	if (n == 0)
		return E_NOT_FOUND;
	return audit_user(a, uid, "2fa.remove");
}

static void
token_mac(long long uid, long long expires, char out[TOKEN_HEX + 1])
{
	unsigned char k[32], mac[32];
	char msg[64];
	int n;

	derive("helpdesk 2fa pending v1", k);
	n = snprintf(msg, sizeof(msg), "%lld.%lld", uid, expires);
	hmac_sha256(k, sizeof(k), msg, (size_t)n, mac);
	hex_encode(mac, sizeof(mac), out);
	explicit_bzero(k, sizeof(k));
}

void
twofactor_token(long long uid, char out[TWOFACTOR_TOKEN_MAX])
{
	long long expires = (long long)time(NULL) + TWOFACTOR_MAX_AGE;
	char mac[TOKEN_HEX + 1];

	token_mac(uid, expires, mac);
	snprintf(out, TWOFACTOR_TOKEN_MAX, "%lld.%lld.%s", uid, expires, mac);
}

long long
twofactor_token_user(const char *t)
{
	char part[24], mac[TOKEN_HEX + 1];
	const char *d1, *d2;
	long long uid, expires, now = (long long)time(NULL);

	if (t == NULL || (d1 = strchr(t, '.')) == NULL ||
	    (d2 = strchr(d1 + 1, '.')) == NULL || strlen(d2 + 1) != TOKEN_HEX)
		return 0;
	if ((size_t)(d1 - t) >= sizeof(part))
		return 0;
	memcpy(part, t, (size_t)(d1 - t));
	part[d1 - t] = '\0';
	if (parse_int(part, 1, 0x7fffffffffffffffLL, &uid) == -1)
		return 0;
	if ((size_t)(d2 - d1 - 1) >= sizeof(part))
		return 0;
	memcpy(part, d1 + 1, (size_t)(d2 - d1 - 1));
	part[d2 - d1 - 1] = '\0';
	if (parse_int(part, 0, 0x7fffffffffffffffLL, &expires) == -1 ||
	    expires <= now || expires > now + TWOFACTOR_MAX_AGE)
		return 0;
	token_mac(uid, expires, mac);
	return ct_memeq(mac, d2 + 1, TOKEN_HEX) ? uid : 0;
}
