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
/* SHA-256 over data given piece by piece: begin, update..., end (which
 * frees the state). */
struct sha256_state;
struct sha256_state *sha256_begin(void);
void	sha256_update(struct sha256_state *, const void *, size_t);
void	sha256_end(struct sha256_state *, unsigned char out[32]);
void	hmac_sha256(const void *key, size_t keylen, const void *msg,
	    size_t msglen, unsigned char out[32]);

/*
 * AES-256-GCM with a fresh random nonce: out (n + AEAD_OVERHEAD bytes)
 * is nonce, ciphertext and tag; ad is bound to it without being stored
 * (aead_open needs the same). 0, or -1 when libcrypto fails.
 */
#define AEAD_NONCE	12
#define AEAD_TAG	16
#define AEAD_OVERHEAD	(AEAD_NONCE + AEAD_TAG)
int	aead_seal(const unsigned char key[32], const void *ad, size_t adlen,
	    const void *in, size_t n, unsigned char *out);
/* The reverse, into out (n - AEAD_OVERHEAD bytes): 0, or -1 when the
 * input was changed, the ad differs or the key is another. */
int	aead_open(const unsigned char key[32], const void *ad, size_t adlen,
	    const unsigned char *in, size_t n, unsigned char *out);

#endif
