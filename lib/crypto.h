/*
 * crypto: random tokens, SHA-256 and HMAC, through OpenSSL's libcrypto.
 * Tokens are 32 random bytes from getrandom(2), carried as 64 hex digits.
 */
#ifndef HD_CRYPTO_H
#define HD_CRYPTO_H

#include <stddef.h>

#define TOKEN_BYTES	32
#define TOKEN_HEX	(TOKEN_BYTES * 2)

void	random_bytes(void *, size_t);
/* A fresh random token as hex into out[TOKEN_HEX + 1]. */
void	token_new(char *out);
/* 1 when s is exactly TOKEN_HEX lower-case hex digits. */
int	token_valid(const char *s);
void	hex_encode(const void *, size_t, char *out);	/* out: 2n + 1 */
void	sha256(const void *, size_t, unsigned char out[32]);
void	hmac_sha256(const void *key, size_t keylen, const void *msg,
	    size_t msglen, unsigned char out[32]);

#endif
