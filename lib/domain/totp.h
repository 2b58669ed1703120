/*
 * totp: time-based one-time passwords (RFC 6238 over RFC 4226's HOTP),
 * as common authenticator apps make them: HMAC-SHA1, 30-second steps,
 * 6 digits; and base32 (RFC 4648, no padding), the form an app takes the
 * secret in. Pure functions: no database, no clock unless given one.
 */
#ifndef HD_TOTP_H
#define HD_TOTP_H

#include <stddef.h>
#include <stdint.h>

#define TOTP_STEP	30
#define TOTP_DIGITS	6
#define TOTP_SECRET_BYTES	20	/* 160 bits, RFC 4226's advice */
/* Base32 of TOTP_SECRET_BYTES: 32 characters. */
#define TOTP_SECRET_B32	32

/* The step a Unix time falls in. */
int64_t	totp_step(int64_t unix_time);
/* The code of one step as a number below 10^digits (6 to 8). */
uint32_t totp_code(const unsigned char *key, size_t keylen, int64_t step,
	    int digits);
/*
 * Checks a 6-digit code typed for unix_time against the steps from
 * now - window to now + window (the clock drift allowed). Returns the
 * step it matched, or -1. Compares every step, in constant time, so
 * the time taken says nothing about which one.
 */
int64_t	totp_verify(const unsigned char *key, size_t keylen,
	    const char *code, int64_t unix_time, int window);

/* Base32 of n bytes into out (size: (n * 8 + 4) / 5 + 1), upper case,
 * no padding. */
void	base32_encode(const unsigned char *, size_t n, char *out);
/* Decodes base32 (either case, spaces and '=' ignored) into at most
 * outsz bytes: the length, or -1 for a character outside the alphabet
 * or too long an input. */
long	base32_decode(const char *, unsigned char *out, size_t outsz);

#endif
