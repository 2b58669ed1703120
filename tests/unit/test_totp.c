/*
 * totp: RFC 6238's test vectors (Appendix B, SHA-1), RFC 4226's HOTP
 * values (Appendix D), the window of totp_verify, and base32 (RFC 4648
 * section 10) both ways.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "totp.h"

static const unsigned char key[] = "12345678901234567890";
#define KEYLEN	20

static void
rfc6238_vectors(void **state)
{
	static const struct { int64_t t; uint32_t code; } v[] = {
		{ 59, 94287082 }, { 1111111109, 7081804 },
		{ 1111111111, 14050471 }, { 1234567890, 89005924 },
		{ 2000000000, 69279037 }, { 20000000000LL, 65353130 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		assert_int_equal(totp_code(key, KEYLEN, totp_step(v[i].t), 8),
		    v[i].code);
		/* The six digits an app shows are the last six. */
		assert_int_equal(totp_code(key, KEYLEN, totp_step(v[i].t), 6),
		    v[i].code % 1000000);
	}
}

static void
rfc4226_hotp(void **state)
{
	static const uint32_t v[] = { 755224, 287082, 359152, 969429, 338314,
	    254676, 287922, 162583, 399871, 520489 };
	int64_t c;

	(void)state;
	for (c = 0; c < 10; c++)
		assert_int_equal(totp_code(key, KEYLEN, c, 6), v[c]);
}

static void
verify_window(void **state)
{
	int64_t t = 1111111111, s = totp_step(t);
	char code[8];

	(void)state;
	/* 1111111111 is step 37037037: "050471". */
	assert_int_equal(totp_verify(key, KEYLEN, "050471", t, 1), s);
	assert_int_equal(totp_verify(key, KEYLEN, "050 471", t, 1), s);
	/* One step either side is accepted, and says which step it was. */
	assert_int_equal(totp_verify(key, KEYLEN, "050471", t + 30, 1), s);
	assert_int_equal(totp_verify(key, KEYLEN, "050471", t - 30, 1), s);
	/* Two steps away is not. */
	assert_int_equal(totp_verify(key, KEYLEN, "050471", t + 60, 1), -1);
	assert_int_equal(totp_verify(key, KEYLEN, "050471", t - 60, 1), -1);
	/* Not six digits: never a match. */
	assert_int_equal(totp_verify(key, KEYLEN, "50471", t, 1), -1);
	assert_int_equal(totp_verify(key, KEYLEN, "0504711", t, 1), -1);
	assert_int_equal(totp_verify(key, KEYLEN, "05047a", t, 1), -1);
	assert_int_equal(totp_verify(key, KEYLEN, "", t, 1), -1);
	assert_int_equal(totp_verify(key, KEYLEN, NULL, t, 1), -1);
	/* A wrong code of the right shape. */
	snprintf(code, sizeof(code), "%06u",
	    (totp_code(key, KEYLEN, s, 6) + 1) % 1000000);
	assert_int_equal(totp_verify(key, KEYLEN, code, t, 0), -1);
}

static void
base32(void **state)
{
	static const struct { const char *in, *out; } v[] = {
		{ "", "" }, { "f", "MY" }, { "fo", "MZXQ" }, { "foo", "MZXW6" },
		{ "foob", "MZXW6YQ" }, { "fooba", "MZXW6YTB" },
		{ "foobar", "MZXW6YTBOI" },
	};
	unsigned char back[40];
	char out[64];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		base32_encode((const unsigned char *)v[i].in,
		    strlen(v[i].in), out);
		assert_string_equal(out, v[i].out);
		assert_int_equal(base32_decode(v[i].out, back, sizeof(back)),
		    (long)strlen(v[i].in));
		assert_memory_equal(back, v[i].in, strlen(v[i].in));
	}
	/* The RFC 6238 key, as an app is given it, and back in groups. */
	base32_encode(key, KEYLEN, out);
	assert_string_equal(out, "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
	assert_int_equal(base32_decode("gezd gnbv gy3t qojq gezd gnbv gy3t "
	    "qojq", back, sizeof(back)), KEYLEN);
	assert_memory_equal(back, key, KEYLEN);
	assert_int_equal(base32_decode("MZ1", back, sizeof(back)), -1);
	assert_int_equal(base32_decode("MZXW6YTBOI", back, 3), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rfc6238_vectors),
		cmocka_unit_test(rfc4226_hotp),
		cmocka_unit_test(verify_window),
		cmocka_unit_test(base32),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
