#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "crypto.h"
#include "util.h"

void
random_bytes(void *p, size_t n)
{
	unsigned char *b = p;

	while (n > 0) {
		ssize_t got = getrandom(b, n, 0);

		if (got < 0)
			die("getrandom failed");
		b += got;
		n -= (size_t)got;
	}
}

void
hex_encode(const void *p, size_t n, char *out)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *b = p;
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = hex[b[i] >> 4];
		out[2 * i + 1] = hex[b[i] & 15];
	}
	out[2 * n] = '\0';
}

void
token_new(char *out)
{
	unsigned char raw[TOKEN_BYTES];

	random_bytes(raw, sizeof(raw));
	hex_encode(raw, sizeof(raw), out);
}

int
token_valid(const char *s)
{
	return s != NULL && strlen(s) == TOKEN_HEX &&
	    strspn(s, "0123456789abcdef") == TOKEN_HEX;
}

void
sha256(const void *p, size_t n, unsigned char out[32])
{
	unsigned int len = 32;

	if (!EVP_Digest(p, n, out, &len, EVP_sha256(), NULL))
		die("sha256 failed");
}

struct sha256_state {
	EVP_MD_CTX	*ctx;
};

struct sha256_state *
sha256_begin(void)
{
	struct sha256_state *st = xmalloc(sizeof(*st));

	if ((st->ctx = EVP_MD_CTX_new()) == NULL ||
	    !EVP_DigestInit_ex(st->ctx, EVP_sha256(), NULL))
		die("sha256 failed");
	return st;
}

void
sha256_update(struct sha256_state *st, const void *p, size_t n)
{
	if (!EVP_DigestUpdate(st->ctx, p, n))
		die("sha256 failed");
}

void
sha256_end(struct sha256_state *st, unsigned char out[32])
{
	unsigned int len = 32;

	if (!EVP_DigestFinal_ex(st->ctx, out, &len))
		die("sha256 failed");
	EVP_MD_CTX_free(st->ctx);
	free(st);
}

void
hmac_sha256(const void *key, size_t keylen, const void *msg, size_t msglen,
    unsigned char out[32])
{
	unsigned int len = 32;

	if (HMAC(EVP_sha256(), key, (int)keylen, msg, msglen, out, &len) == NULL)
		die("hmac failed");
}

int
aead_seal(const unsigned char key[32], const void *ad, size_t adlen,
    const void *in, size_t n, unsigned char *out)
{
	EVP_CIPHER_CTX *c;
	int len, ok;

	random_bytes(out, AEAD_NONCE);
	if ((c = EVP_CIPHER_CTX_new()) == NULL)
		return -1;
	ok = EVP_EncryptInit_ex(c, EVP_aes_256_gcm(), NULL, key, out) == 1 &&
	    EVP_EncryptUpdate(c, NULL, &len, ad, (int)adlen) == 1 &&
	    EVP_EncryptUpdate(c, out + AEAD_NONCE, &len, in, (int)n) == 1 &&
	    EVP_EncryptFinal_ex(c, out + AEAD_NONCE + len, &len) == 1 &&
	    EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_GET_TAG, AEAD_TAG,
	    out + AEAD_NONCE + n) == 1;
	EVP_CIPHER_CTX_free(c);
	return ok ? 0 : -1;
}

int
aead_open(const unsigned char key[32], const void *ad, size_t adlen,
    const unsigned char *in, size_t n, unsigned char *out)
{
	EVP_CIPHER_CTX *c;
	unsigned char tag[AEAD_TAG];
	size_t clen;
	int len, ok;

	if (n < AEAD_OVERHEAD)
		return -1;
	clen = n - AEAD_OVERHEAD;
	memcpy(tag, in + AEAD_NONCE + clen, AEAD_TAG);
	if ((c = EVP_CIPHER_CTX_new()) == NULL)
		return -1;
	ok = EVP_DecryptInit_ex(c, EVP_aes_256_gcm(), NULL, key, in) == 1 &&
	    EVP_DecryptUpdate(c, NULL, &len, ad, (int)adlen) == 1 &&
	    EVP_DecryptUpdate(c, out, &len, in + AEAD_NONCE, (int)clen) == 1 &&
	    EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_TAG, AEAD_TAG, tag) == 1 &&
	    EVP_DecryptFinal_ex(c, out + len, &len) == 1;
	EVP_CIPHER_CTX_free(c);
	return ok ? 0 : -1;
}
