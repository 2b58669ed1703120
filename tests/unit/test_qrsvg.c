/*
 * qr_svg and the AEAD beside it in the enrolment's path: the QR code is
 * an SVG with its three finder patterns where a scanner looks for them
 * and a quiet zone, escapes its title, and refuses what does not fit;
 * aead_seal/aead_open round-trip and refuse a changed byte, other
 * associated data and another key.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "crypto.h"
#include "qrsvg.h"

static void
qr_shape(void **state)
{
	char *svg, want[64];
	int size, w;

	(void)state;
	svg = qr_svg("otpauth://totp/Helpdesk:a%40b.example?secret="
	    "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Helpdesk", "QR <&>");
	assert_non_null(svg);
	assert_int_equal(sscanf(svg, "<svg xmlns=\"http://www.w3.org/2000/svg\""
	    " viewBox=\"0 0 %d", &size), 1);
	w = size - 8;	/* the quiet zone: 4 modules each side */
	assert_true(w >= 21 && (w - 17) % 4 == 0);	/* a QR version's width */
	/* The top row of each finder pattern: 7 dark modules in one run. */
	snprintf(want, sizeof(want), "M4 4h7v1h-7z");
	assert_non_null(strstr(svg, want));
	snprintf(want, sizeof(want), "M%d 4h7v1h-7z", w - 7 + 4);
	assert_non_null(strstr(svg, want));
	snprintf(want, sizeof(want), "M4 %dh7v1h-7z", w - 7 + 4);
	assert_non_null(strstr(svg, want));
	assert_non_null(strstr(svg, "<title>QR &lt;&amp;&gt;</title>"));
	assert_null(strstr(svg, "<&>"));
	free(svg);
}

static void
qr_too_long(void **state)
{
	char *big = malloc(5000), *svg;

	(void)state;
	memset(big, 'x', 4999);
	big[4999] = '\0';
	svg = qr_svg(big, "t");
	assert_null(svg);
	free(big);
}

static void
aead_round_trip(void **state)
{
	unsigned char key[32], other[32], out[20 + AEAD_OVERHEAD],
	    out2[sizeof(out)], back[20];
	const char msg[20] = "twenty bytes of key!";

	(void)state;
	memset(key, 7, sizeof(key));
	memset(other, 8, sizeof(other));
	assert_int_equal(aead_seal(key, "totp:1", 6, msg, 20, out), 0);
	assert_int_equal(aead_seal(key, "totp:1", 6, msg, 20, out2), 0);
	assert_memory_not_equal(out, out2, sizeof(out));	/* fresh nonce */
	assert_int_equal(aead_open(key, "totp:1", 6, out, sizeof(out), back),
	    0);
	assert_memory_equal(back, msg, 20);
	assert_int_equal(aead_open(key, "totp:2", 6, out, sizeof(out), back),
	    -1);
	assert_int_equal(aead_open(other, "totp:1", 6, out, sizeof(out), back),
	    -1);
	out[AEAD_NONCE + 3] ^= 1;
	assert_int_equal(aead_open(key, "totp:1", 6, out, sizeof(out), back),
	    -1);
	assert_int_equal(aead_open(key, "totp:1", 6, out, AEAD_OVERHEAD - 1,
	    back), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(qr_shape),
		cmocka_unit_test(qr_too_long),
		cmocka_unit_test(aead_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
