#include <string.h>
#include <time.h>

#include "buf.h"
#include "mime.h"
#include "parse.h"

/* Input bytes per encoded-word: 39 bytes are 52 base64 characters, and
 * "=?UTF-8?B?" "?=" add 12: 64, so "Subject: " and a word fit in 78. */
#define EW_BYTES	39
/* Quoted-printable lines: 76 bytes with the soft break's "=". */
#define QP_LINE		76

static const char b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int
mime_header_ok(const char *s)
{
	size_t n = strlen(s);

	return strcspn(s, "\r\n") == n && utf8_valid(s, n);
}

static int
is_atext(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || (c != '\0' && strchr("!#$%&'*+-/=?^_`{|}~", c) != NULL);
}

int
mime_addr_ok(const char *s)
{
	const char *at = strrchr(s, '@'), *p;
	size_t label = 0;

	if (at == NULL || at == s || at - s > 64 || strlen(s) > MIME_ADDR_MAX)
		return 0;
	/* Local part: dot-atom, no leading, trailing or double dot. */
	for (p = s; p < at; p++) {
		if (*p == '.') {
			if (p == s || p + 1 == at || p[1] == '.')
				return 0;
		} else if (!is_atext((unsigned char)*p))
			return 0;
	}
	/* Domain: labels of letters, digits and inner hyphens, two or more. */
	if (at[1] == '\0' || strchr(at + 1, '.') == NULL)
		return 0;
	for (p = at + 1; ; p++) {
		if (*p == '.' || *p == '\0') {
			if (label == 0 || label > 63 || p[-1] == '-')
				return 0;
			if (*p == '\0')
				return 1;
			label = 0;
			continue;
		}
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || (*p == '-' && label > 0)))
			return 0;
		label++;
	}
}

static void
base64(struct buf *b, const unsigned char *s, size_t n)
{
	size_t i;

	for (i = 0; i + 2 < n; i += 3) {
		buf_putc(b, b64[s[i] >> 2]);
		buf_putc(b, b64[((s[i] & 3) << 4) | (s[i + 1] >> 4)]);
		buf_putc(b, b64[((s[i + 1] & 15) << 2) | (s[i + 2] >> 6)]);
		buf_putc(b, b64[s[i + 2] & 63]);
	}
	if (n - i == 1) {
		buf_putc(b, b64[s[i] >> 2]);
		buf_putc(b, b64[(s[i] & 3) << 4]);
		buf_puts(b, "==");
	} else if (n - i == 2) {
		buf_putc(b, b64[s[i] >> 2]);
		buf_putc(b, b64[((s[i] & 3) << 4) | (s[i + 1] >> 4)]);
		buf_putc(b, b64[(s[i + 1] & 15) << 2]);
		buf_putc(b, '=');
	}
}

/* Writes s (valid UTF-8) as encoded-words, one per line after the first,
 * each ending before a character, never inside one. */
static void
encoded_words(struct buf *b, const char *s)
{
	size_t n = strlen(s), at = 0, take;

	while (at < n) {
		take = n - at < EW_BYTES ? n - at : EW_BYTES;
		/* Back off to the start of a character. */
		while (at + take < n &&
		    ((unsigned char)s[at + take] & 0xc0) == 0x80)
			take--;
		if (at > 0)
			buf_puts(b, "\r\n ");
		buf_puts(b, "=?UTF-8?B?");
		base64(b, (const unsigned char *)s + at, take);
		buf_puts(b, "?=");
		at += take;
	}
}

/* Printable ASCII that no reader could take for an encoded-word. */
static int
plain_ascii(const char *s)
{
	const char *p;

	for (p = s; *p != '\0'; p++)
		if (*p < 0x20 || *p > 0x7e)
			return 0;
	return strstr(s, "=?") == NULL;
}

int
mime_header_text(struct buf *b, const char *name, const char *value)
{
	if (!mime_header_ok(value))
		return -1;
	buf_printf(b, "%s: ", name);
	if (plain_ascii(value) &&
	    strlen(name) + 2 + strlen(value) <= MIME_LINE_MAX)
		buf_puts(b, value);
	else
		encoded_words(b, value);
	buf_puts(b, "\r\n");
	return 0;
}

/* Words of atext separated by single spaces: a phrase as it is. */
static int
plain_phrase(const char *s)
{
	const char *p;

	if (*s == '\0' || *s == ' ')
		return 0;
	for (p = s; *p != '\0'; p++)
		if (!is_atext((unsigned char)*p) &&
		    !(*p == ' ' && p[1] != ' ' && p[1] != '\0'))
			return 0;
	return strstr(s, "=?") == NULL;
}

int
mime_header_addr(struct buf *b, const char *name, const char *display,
    const char *addr)
{
	size_t len;

	if (!mime_header_ok(display) || !mime_addr_ok(addr))
		return -1;
	buf_printf(b, "%s: ", name);
	if (*display == '\0') {
		buf_printf(b, "<%s>\r\n", addr);
		return 0;
	}
	len = strlen(name) + 2 + strlen(display) + strlen(addr) + 3;
	if (plain_phrase(display) && len <= MIME_LINE_MAX)
		buf_printf(b, "%s <%s>\r\n", display, addr);
	else {
		encoded_words(b, display);
		/* An address cannot be folded: it gets a line of its own. */
		buf_printf(b, "\r\n <%s>\r\n", addr);
	}
	return 0;
}

void
mime_header_date(struct buf *b, time_t t)
{
	static const char *const day[] = {
		"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"
	};
	static const char *const mon[] = {
		"Jan", "Feb", "Mar", "Apr", "May", "Jun",
		"Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
	};
	struct tm tm;

	/* Names from tables, not strftime: no locale can change them. */
	gmtime_r(&t, &tm);
	buf_printf(b, "Date: %s, %02d %s %04d %02d:%02d:%02d +0000\r\n",
	    day[tm.tm_wday], tm.tm_mday, mon[tm.tm_mon], tm.tm_year + 1900,
	    tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* 1 when the text at s ends a line: "\n", "\r\n" or the end. */
static int
line_end(const char *s)
{
	return *s == '\0' || *s == '\n' || (s[0] == '\r' && s[1] == '\n');
}

void
mime_qp(struct buf *b, const char *text)
{
	const char *p;
	size_t col = 0;
	char rep[4];
	size_t replen;

	for (p = text; *p != '\0'; p++) {
		unsigned char c = (unsigned char)*p;

		if (c == '\r' && p[1] == '\n')
			continue;
		if (c == '\n') {
			buf_puts(b, "\r\n");
			col = 0;
			continue;
		}
		/* Encode what a transport could change: "=", controls and
		 * 8-bit bytes, trailing white space, a "." or "From " that
		 * starts a line. */
		if (c == '=' || (c < 0x20 && c != '\t') || c > 0x7e ||
		    ((c == ' ' || c == '\t') && line_end(p + 1)) ||
		    (col == 0 && (c == '.' || strncmp(p, "From ", 5) == 0))) {
			rep[0] = '=';
			rep[1] = "0123456789ABCDEF"[c >> 4];
			rep[2] = "0123456789ABCDEF"[c & 15];
			replen = 3;
		} else {
			rep[0] = (char)c;
			replen = 1;
		}
		/* Room for the soft break's "=" at the end of the line. */
		if (col + replen > QP_LINE - 1) {
			buf_puts(b, "=\r\n");
			col = 0;
			if (replen == 1 && (c == '.' || strncmp(p, "From ", 5) == 0)) {
				p--;
				continue;
			}
		}
		buf_add(b, rep, replen);
		col += replen;
	}
	/* The CRLF before a boundary belongs to the boundary (RFC 2046):
	 * one more, so the text's own last line break is kept. */
	buf_puts(b, "\r\n");
}
