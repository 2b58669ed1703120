/*
 * twofactor: two-factor sign-in with an authenticator app (totp.h):
 * enrolment, the second step of sign-in, single-use recovery codes, and
 * removal; and the signed state a browser holds between the password and
 * the code.
 *
 * The secret is stored sealed (AES-256-GCM, crypto.h) under a key derived
 * from the config's secret, bound to the account's id; it is shown only
 * while enrolment waits for its first code, never after, and never
 * logged. Recovery codes are stored as their SHA-256 only (80 random bits
 * each: a leaked table does not give them back). A code is accepted for
 * a step newer than the last one accepted, so no code works twice.
 *
 * Functions that change data are "in a transaction" (the caller's
 * db_begin()) and write their own audit row: "2fa.enrol", "2fa.use",
 * "2fa.recovery_use", "2fa.fail", "2fa.remove".
 */
#ifndef HD_TWOFACTOR_H
#define HD_TWOFACTOR_H

#include "actor.h"
#include "outcome.h"

#define RECOVERY_CODES	10
/* "abcd-efgh-ijkl-mnop": 16 base32 characters in groups of four. */
#define RECOVERY_LEN	19

/* Between the password and the code: the browser's signed pending state
 * (a cookie, registered in lib/web/cookies.c), good for this long. */
#define TWOFACTOR_COOKIE	"hd_2fa"
#define TWOFACTOR_MAX_AGE	300
/* uid "." expiry "." 64 hex digits of MAC */
#define TWOFACTOR_TOKEN_MAX	112

struct twofactor_status {
	int		enabled;
	int		pending;	/* a secret waits for its first code */
	char		since[20];	/* "YYYY-MM-DD HH:MM:SS" UTC, or "" */
	long long	recovery_left;	/* unused recovery codes */
};

/* user_id's two-factor state: OK, E_DB. */
enum outcome	twofactor_status(long long user_id, struct twofactor_status *);

/* In a transaction: a new secret for the actor's account, waiting for
 * its first code (any earlier waiting one is replaced). OK, E_CONFLICT
 * (two-factor is on already), E_DB, E_DB_UNKNOWN. */
enum outcome	twofactor_begin(const struct actor *);

/*
 * The waiting secret of the actor's account as base32 in groups of four
 * (to type into an app) and as the otpauth:// URI an app scans (both
 * caller frees). OK, E_NOT_FOUND (none waits: not begun, or on already),
 * E_DB.
 */
enum outcome	twofactor_pending(const struct actor *, char **grouped,
		    char **uri);

/*
 * In a transaction: the first code from the app turns two-factor on, and
 * RECOVERY_CODES new recovery codes are written into codes, to be shown
 * once. Audited ("2fa.enrol"). OK, E_INVALID (not the code), E_NOT_FOUND
 * (nothing waits), E_DB, E_DB_UNKNOWN.
 */
enum outcome	twofactor_confirm(const struct actor *, const char *code,
		    char codes[RECOVERY_CODES][RECOVERY_LEN + 1]);

/*
 * In a transaction: checks a code for user_id (the actor's own, or the
 * account signing in): six digits are an app's code, anything else a
 * recovery code, which is used up. Audited either way ("2fa.use",
 * "2fa.recovery_use", "2fa.fail"), so commit on E_INVALID too. *recovery
 * says which kind matched. OK, E_INVALID (wrong, or a code already used),
 * E_NOT_FOUND (two-factor is off), E_DB.
 */
enum outcome	twofactor_check(const struct actor *, long long user_id,
		    const char *code, int *recovery);

/* In a transaction: turns two-factor off for user_id, forgetting the
 * secret and every recovery code. Audited ("2fa.remove"). The caller
 * checked the password and a code. OK, E_NOT_FOUND (it was off), E_DB. */
enum outcome	twofactor_remove(const struct actor *, long long user_id);

/* Deletes user_id's secret and recovery codes, unaudited: erasure's part
 * (erase.c), in its transaction. OK, E_DB. */
enum outcome	twofactor_erase(long long user_id);

/* The pending state for user_id, valid TWOFACTOR_MAX_AGE seconds, into
 * out[TWOFACTOR_TOKEN_MAX]. */
void	twofactor_token(long long user_id, char out[TWOFACTOR_TOKEN_MAX]);
/* The user id a pending state was made for, or 0 when it is forged,
 * malformed or expired. */
long long twofactor_token_user(const char *token);

#endif
