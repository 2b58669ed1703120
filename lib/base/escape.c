#include <string.h>

#include "escape.h"

void
html_escape(struct buf *out, const char *s, size_t len)
{
	const char *rep;
	size_t i, start = 0;

	if (s == NULL || len == 0)
		return;
	for (i = 0; i < len; i++) {
		switch (s[i]) {
		case '&':
			rep = "&amp;";
			break;
		case '<':
			rep = "&lt;";
			break;
		case '>':
			rep = "&gt;";
			break;
		case '"':
			rep = "&quot;";
			break;
		case '\'':
			rep = "&#39;";
			break;
		default:
			continue;
		}
		buf_add(out, s + start, i - start);
		buf_puts(out, rep);
		start = i + 1;
	}
	buf_add(out, s + start, len - start);
}

void
url_escape(struct buf *b, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || strchr("-._~/", c))
			buf_putc(b, c);
		else
			buf_printf(b, "%%%02X", c);
	}
}

void
url_segment(struct buf *out, const char *s, size_t len)
{
	static const char hex[] = "0123456789ABCDEF";
	char pct[3] = { '%', '0', '0' };
	size_t i, start = 0;
	unsigned char c;

	for (i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '.' ||
		    c == '_' || c == '~')
			continue;
		buf_add(out, s + start, i - start);
		pct[1] = hex[c >> 4];
		pct[2] = hex[c & 0xf];
		buf_add(out, pct, sizeof(pct));
		start = i + 1;
	}
	buf_add(out, s + start, len - start);
}
