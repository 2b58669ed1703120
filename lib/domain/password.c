#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <argon2.h>

#include "config.h"
#include "crypto.h"
#include "password.h"
#include "util.h"

#define SALT_LEN	16
#define HASH_LEN	32

char *
password_hash(const char *pw)
{
	unsigned char salt[SALT_LEN];
	size_t enclen;
	char *enc;
	int rc;

	random_bytes(salt, sizeof(salt));
	enclen = argon2_encodedlen((uint32_t)cfg.argon2_t,
	    (uint32_t)cfg.argon2_m_kib, (uint32_t)cfg.argon2_p, SALT_LEN,
	    HASH_LEN, Argon2_id);
	enc = xmalloc(enclen);
	rc = argon2id_hash_encoded((uint32_t)cfg.argon2_t,
	    (uint32_t)cfg.argon2_m_kib, (uint32_t)cfg.argon2_p, pw, strlen(pw),
	    salt, sizeof(salt), HASH_LEN, enc, enclen);
	if (rc != ARGON2_OK) {
		free(enc);
		return NULL;
	}
	return enc;
}

int
password_verify(const char *encoded, const char *pw)
{
	if (encoded == NULL || strncmp(encoded, "$argon2id$", 10) != 0)
		return 0;
	return argon2id_verify(encoded, pw, strlen(pw)) == ARGON2_OK;
}

int
password_needs_rehash(const char *encoded)
{
	char want[64];

	snprintf(want, sizeof(want), "$argon2id$v=19$m=%lld,t=%lld,p=%lld$",
	    cfg.argon2_m_kib, cfg.argon2_t, cfg.argon2_p);
	return strncmp(encoded, want, strlen(want)) != 0;
}

void
password_burn(const char *pw)
{
	char *h = password_hash(pw);

	free(h);
}
