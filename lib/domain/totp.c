#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "totp.h"

static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

int64_t
totp_step(int64_t unix_time)
{
	/* Floor division: a time before 1970 is never a step we accept,
	 * but it must not round towards step 0 either. */
	return unix_time >= 0 ? unix_time / TOTP_STEP :
	    -((-unix_time + TOTP_STEP - 1) / TOTP_STEP);
}

uint32_t
totp_code(const unsigned char *key, size_t keylen, int64_t step, int digits)
{
	static const uint32_t pow10[] = { 1, 10, 100, 1000, 10000, 100000,
	    1000000, 10000000, 100000000 };
	unsigned char msg[8], mac[EVP_MAX_MD_SIZE];
	unsigned int maclen = 0;
	uint64_t c = (uint64_t)step;
	uint32_t bin;
	unsigned off;
	int i;

	if (digits < 6 || digits > 8)
		digits = TOTP_DIGITS;
	/* The counter, big-endian (RFC 4226 5.2). */
	for (i = 7; i >= 0; i--) {
		msg[i] = (unsigned char)(c & 0xff);
		c >>= 8;
	}
	if (HMAC(EVP_sha1(), key, (int)keylen, msg, sizeof(msg), mac,
	    &maclen) == NULL || maclen < 20)
		return 0xffffffffu;	/* matches no code: never < 10^8 */
	/* Dynamic truncation (RFC 4226 5.3). */
	off = mac[maclen - 1] & 0x0f;
	bin = (uint32_t)(mac[off] & 0x7f) << 24 |
	    (uint32_t)mac[off + 1] << 16 | (uint32_t)mac[off + 2] << 8 |
	    (uint32_t)mac[off + 3];
	return bin % pow10[digits];
}

/* The code typed as a number: exactly TOTP_DIGITS digits (spaces between
 * groups allowed, as apps show "123 456"), or -1. */
static long
typed_code(const char *s)
{
	long v = 0;
	int n = 0;

	if (s == NULL)
		return -1;
	for (; *s != '\0'; s++) {
		if (*s == ' ')
			continue;
		if (*s < '0' || *s > '9' || ++n > TOTP_DIGITS)
			return -1;
		v = v * 10 + (*s - '0');
	}
	return n == TOTP_DIGITS ? v : -1;
}

int64_t
totp_verify(const unsigned char *key, size_t keylen, const char *code,
    int64_t unix_time, int window)
{
	long want = typed_code(code);
	int64_t now = totp_step(unix_time), found = -1, s;
	uint32_t got;
	int hit;

	if (want < 0)
		return -1;
	for (s = now - window; s <= now + window; s++) {
		got = totp_code(key, keylen, s, TOTP_DIGITS);
		hit = (got == (uint32_t)want);
		/* Keeps the first match without leaving the loop early. */
		found = (hit & (found == -1)) ? s : found;
	}
	return found;
}

void
base32_encode(const unsigned char *in, size_t n, char *out)
{
	unsigned buf = 0;
	int bits = 0;
	size_t i, o = 0;

	for (i = 0; i < n; i++) {
		buf = (buf << 8 | in[i]) & 0xffff;
		bits += 8;
		while (bits >= 5) {
			out[o++] = alphabet[(buf >> (bits - 5)) & 31];
			bits -= 5;
		}
	}
	if (bits > 0)
		out[o++] = alphabet[(buf << (5 - bits)) & 31];
	out[o] = '\0';
}

long
base32_decode(const char *s, unsigned char *out, size_t outsz)
{
	unsigned buf = 0;
	int bits = 0, v;
	size_t o = 0;
	const char *p;

	for (; *s != '\0'; s++) {
		if (*s == ' ' || *s == '=' || *s == '-')
			continue;
		if (*s >= 'a' && *s <= 'z')
			p = strchr(alphabet, *s - 'a' + 'A');
		else
			p = *s != '\0' ? strchr(alphabet, *s) : NULL;
		if (p == NULL || *p == '\0')
			return -1;
		v = (int)(p - alphabet);
		buf = (buf << 5 | (unsigned)v) & 0xffff;
		bits += 5;
		if (bits >= 8) {
			if (o >= outsz)
				return -1;
			out[o++] = (unsigned char)(buf >> (bits - 8));
			bits -= 8;
		}
	}
	return (long)o;
}
