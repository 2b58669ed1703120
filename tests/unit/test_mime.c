/* Outgoing mail's pure parts: RFC 2047 encoded-words, quoted-printable
 * lines, addresses, header refusal, signed Message-IDs and reply tokens,
 * and a whole composed message's lines. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "buf.h"
#include "config.h"
#include "mail.h"
#include "mime.h"
#include "msgid.h"
#include "parse.h"
#include "util.h"

static int
b64val(int c)
{
	const char *t = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const char *p = c ? strchr(t, c) : NULL;

	return p ? (int)(p - t) : -1;
}

/* Decodes base64 s[0..n) onto out. */
static void
unbase64(struct buf *out, const char *s, size_t n)
{
	unsigned acc = 0;
	int bits = 0;
	size_t i;

	for (i = 0; i < n && s[i] != '='; i++) {
		int v = b64val((unsigned char)s[i]);

		assert_true(v >= 0);
		acc = (acc << 6) | (unsigned)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			buf_putc(out, (int)((acc >> bits) & 0xff));
		}
	}
}

/* Every line of b ends in CRLF (no bare CR or LF) and is at most max
 * bytes; returns the number of lines. */
static int
lines_ok(const struct buf *b, size_t max)
{
	const char *p = b->data, *end = b->data + b->len, *e;
	int n = 0;

	while (p < end) {
		e = strstr(p, "\r\n");
		assert_non_null(e);
		assert_true((size_t)(e - p) <= max);
		assert_null(memchr(p, '\n', (size_t)(e - p)));
		assert_null(memchr(p, '\r', (size_t)(e - p)));
		p = e + 2;
		n++;
	}
	return n;
}

static void
test_encoded_words(void **state)
{
	/* 2- and 3-byte characters, long enough for several words. */
	const char *subj = "Grüße – “Überweisung” für Ärztinnen und Ärzte in Köln, "
	    "bitte bestätigen Sie die Änderung bis Freitag ✓✓✓";
	struct buf b = BUF_INIT, dec = BUF_INIT;
	const char *p;
	int words = 0;

	(void)state;
	assert_int_equal(mime_header_text(&b, "Subject", subj), 0);
	assert_true(lines_ok(&b, MIME_LINE_MAX) > 1);
	assert_true(str_startswith(b.data, "Subject: =?UTF-8?B?"));
	for (p = b.data; (p = strstr(p, "=?UTF-8?B?")) != NULL; words++) {
		const char *e = strstr(p + 10, "?=");
		struct buf one = BUF_INIT;

		assert_non_null(e);
		assert_true(e + 2 - p <= 75);
		unbase64(&one, p + 10, (size_t)(e - p - 10));
		/* Each word holds whole characters. */
		assert_true(utf8_valid(one.data, one.len));
		buf_add(&dec, one.data, one.len);
		buf_free(&one);
		p = e + 2;
	}
	assert_true(words > 2);
	assert_string_equal(buf_str(&dec), subj);
	buf_free(&b);
	buf_free(&dec);
}

static void
test_plain_and_refused_headers(void **state)
{
	struct buf b = BUF_INIT;

	(void)state;
	assert_int_equal(mime_header_text(&b, "Subject", "Your ticket #12"), 0);
	assert_string_equal(b.data, "Subject: Your ticket #12\r\n");
	buf_reset(&b);
	/* Text that looks like an encoded-word is encoded itself. */
	assert_int_equal(mime_header_text(&b, "Subject", "=?UTF-8?B?SGk=?="), 0);
	assert_false(str_startswith(b.data, "Subject: =?UTF-8?B?SGk=?=\r"));
	buf_reset(&b);
	assert_int_equal(mime_header_text(&b, "Subject", "Hi\r\nBcc: x@y.org"), -1);
	assert_int_equal(mime_header_text(&b, "Subject", "Hi\nBcc: x@y.org"), -1);
	assert_int_equal(mime_header_text(&b, "Subject", "Hi\rBcc: x@y.org"), -1);
	assert_int_equal(mime_header_text(&b, "Subject", "bad \xff utf-8"), -1);
	assert_int_equal(mime_header_addr(&b, "To", "A\nB", "a@b.org"), -1);
	assert_int_equal(mime_header_addr(&b, "To", "A", "a@b.org\r\nBcc: c@d.org"), -1);
	assert_int_equal((int)b.len, 0);
	assert_int_equal(mime_header_addr(&b, "To", "Ann Lee", "ann@b.org"), 0);
	assert_string_equal(b.data, "To: Ann Lee <ann@b.org>\r\n");
	buf_reset(&b);
	/* Specials in a name are encoded, never quoted by hand. */
	assert_int_equal(mime_header_addr(&b, "To", "Lee, Ann <x@evil.org>", "ann@b.org"), 0);
	assert_true(str_startswith(b.data, "To: =?UTF-8?B?"));
	assert_null(strstr(b.data, "evil"));
	buf_free(&b);
}

static void
test_addresses(void **state)
{
	static const char *const good[] = {
		"ann@example.org", "a.b+tag@mail.example.co.uk", "x_y-z@a-b.example",
		"o'brien@example.org",
	};
	static const char *const bad[] = {
		"", "ann", "@example.org", "ann@", "ann@example", "ann@@example.org",
		"a..b@example.org", ".a@example.org", "a.@example.org",
		"ann@-example.org", "ann@example-.org", "ann@exa_mple.org",
		"\"ann\"@example.org", "Ann <ann@example.org>", "ann@example.org, b@c.org",
		"ann @example.org", "ann@example.org\r\n", "zoë@example.org",
		"ann@[127.0.0.1]", "ann@example..org",
	};
	char longlocal[80];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		assert_true(mime_addr_ok(good[i]));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (mime_addr_ok(bad[i]))
			fail_msg("accepted %s", bad[i]);
	memset(longlocal, 'a', 65);
	strcpy(longlocal + 65, "@example.org");
	assert_false(mime_addr_ok(longlocal));
}

/* Decodes quoted-printable onto out (soft breaks removed). */
static void
unqp(struct buf *out, const struct buf *in)
{
	size_t i;

	for (i = 0; i < in->len; i++) {
		if (in->data[i] == '=' && in->data[i + 1] == '\r') {
			i += 2;
			continue;
		}
		if (in->data[i] == '=') {
			buf_putc(out, hex_value(in->data[i + 1]) << 4 |
			    hex_value(in->data[i + 2]));
			i += 2;
			continue;
		}
		buf_putc(out, in->data[i]);
	}
}

static void
test_quoted_printable(void **state)
{
	const char *text = "Hällo = 100%\n.starts with a dot\nFrom the desk\n"
	    "trailing \n\ttab\n"
	    "0123456789012345678901234567890123456789012345678901234567890123456789"
	    "0123456789ééééééééééééééééééééééééééééééé.From \n";
	struct buf b = BUF_INIT, dec = BUF_INIT, want = BUF_INIT;
	const char *p;

	(void)state;
	mime_qp(&b, text);
	lines_ok(&b, 76);
	assert_null(strstr(b.data, "\r\n."));
	assert_null(strstr(b.data, "\r\nFrom "));
	assert_false(str_startswith(b.data, "From ") || *b.data == '.');
	assert_null(strstr(b.data, " \r\n"));
	for (p = b.data; *p; p++)
		assert_true(*p == '\r' || *p == '\n' || *p == '\t' ||
		    (*p >= 0x20 && *p < 0x7f));
	unqp(&dec, &b);
	for (p = text; *p; p++)
		if (*p == '\n')
			buf_puts(&want, "\r\n");
		else
			buf_putc(&want, *p);
	/* The last CRLF belongs to the boundary that follows. */
	buf_puts(&want, "\r\n");
	assert_string_equal(dec.data, want.data);
	buf_free(&b);
	buf_free(&dec);
	buf_free(&want);
}

static void
set_config(void)
{
	static char url[] = "https://help.example.org", secret[] =
	    "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

	cfg.base_url = url;
	cfg.mail_secret = secret;
	cfg.mail_from = "help@example.org";
	cfg.mail_from_name = "Help Desk";
	cfg.mail_reply_to = "help+{token}@example.org";
}

static void
test_msgid(void **state)
{
	char id[MSGID_MAX], thread[MSGID_MAX], bad[MSGID_MAX], reply[300];
	long long ws = 0, t = 0;
	char *sig;

	(void)state;
	set_config();
	assert_int_equal(msgid_new(7, 42, id, sizeof(id)), 0);
	assert_true(str_startswith(id, "<hd.7.42."));
	assert_non_null(strstr(id, "@help.example.org>"));
	assert_int_equal(msgid_verify(id, &ws, &t), 0);
	assert_true(ws == 7 && t == 42);
	assert_int_equal(msgid_thread(7, 42, thread, sizeof(thread)), 0);
	assert_int_equal(msgid_verify(thread, &ws, &t), 0);
	assert_int_equal(msgid_thread(7, 0, thread, sizeof(thread)), -1);
	/* Another ticket under the same signature. */
	snprintf(bad, sizeof(bad), "<hd.7.43.%s", id + 9);
	assert_int_equal(msgid_verify(bad, &ws, &t), -1);
	/* One digit of the signature changed. */
	strcpy(bad, id);
	sig = strchr(bad, '@') - 1;
	*sig = *sig == '0' ? '1' : '0';
	assert_int_equal(msgid_verify(bad, &ws, &t), -1);
	/* Another host, another format, garbage. */
	strcpy(bad, id);
	strcpy(strchr(bad, '@'), "@evil.example>");
	assert_int_equal(msgid_verify(bad, &ws, &t), -1);
	assert_int_equal(msgid_verify("<x@help.example.org>", &ws, &t), -1);
	assert_int_equal(msgid_verify("<hd.7.42.>", &ws, &t), -1);
	assert_int_equal(msgid_verify("", &ws, &t), -1);
	/* Another secret: nothing signed before verifies. */
	cfg.mail_secret = "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100";
	assert_int_equal(msgid_verify(id, &ws, &t), -1);
	set_config();

	assert_int_equal(msgid_reply_to(7, 42, reply, sizeof(reply)), 0);
	assert_true(str_startswith(reply, "help+t7-42-"));
	assert_true(mime_addr_ok(reply));
	*strchr(reply, '@') = '\0';
	assert_int_equal(msgid_reply_verify(reply + 5, &ws, &t), 0);
	assert_true(ws == 7 && t == 42);
	reply[strlen(reply) - 1] ^= 1;
	assert_int_equal(msgid_reply_verify(reply + 5, &ws, &t), -1);
	assert_int_equal(msgid_reply_verify("t7-43-00000000000000000000", &ws, &t), -1);
	/* No ticket: no reply address of the {token} form. */
	assert_int_equal(msgid_reply_to(0, 0, reply, sizeof(reply)), 1);
}

static void
test_compose(void **state)
{
	struct mail m = {
		"zoe@example.org", "Zoë", "Réponse à votre demande",
		"Bonjour,\n\nvoici.\n", "<p>Bonjour,</p>\n", 3, 9
	};
	struct buf b = BUF_INIT;
	char id[MSGID_MAX];
	const char *why;

	(void)state;
	set_config();
	assert_int_equal(mail_compose(&m, 0, &b, id, &why), 0);
	lines_ok(&b, MIME_LINE_MAX);
	assert_true(str_startswith(b.data, "Date: Thu, 01 Jan 1970 00:00:00 +0000\r\n"));
	assert_non_null(strstr(b.data, "\r\nMessage-ID:\r\n <hd.3.9."));
	assert_non_null(strstr(b.data, "\r\nIn-Reply-To:\r\n <hd.3.9.thread."));
	assert_non_null(strstr(b.data, "\r\nReply-To: <help+t3-9-"));
	assert_non_null(strstr(b.data, "\r\nAuto-Submitted: auto-generated\r\n"));
	assert_non_null(strstr(b.data, "Content-Type: multipart/alternative;"));
	assert_non_null(strstr(b.data, "\r\n\r\nBonjour,\r\n\r\nvoici.\r\n\r\n--=_hd_"));
	buf_free(&b);

	/* Refused: nothing appended. */
	m.subject = "x\r\nBcc: a@b.org";
	assert_int_equal(mail_compose(&m, 0, &b, id, &why), -1);
	assert_non_null(why);
	m.subject = "ok";
	m.to_addr = "a@b.org>, c@d.org";
	assert_int_equal(mail_compose(&m, 0, &b, id, &why), -1);
	m.to_addr = "a@b.org";
	m.text = "bad \xc3";
	assert_int_equal(mail_compose(&m, 0, &b, id, &why), -1);
	assert_int_equal((int)b.len, 0);
	cfg.base_url = "";
	m.text = "ok";
	assert_int_equal(mail_compose(&m, 0, &b, id, &why), -1);
	assert_int_equal((int)b.len, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_encoded_words),
		cmocka_unit_test(test_plain_and_refused_headers),
		cmocka_unit_test(test_addresses),
		cmocka_unit_test(test_quoted_printable),
		cmocka_unit_test(test_msgid),
		cmocka_unit_test(test_compose),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
