/*
 * Fuzz target: filename_normalize and content_disposition. The input is
 * an uploaded file name (a C string, so up to a NUL). The core passes
 * only valid UTF-8 (request.c); other bytes must still be safe, and the
 * UTF-8 of the result is checked when the input was valid.
 *
 * The name: never empty, no / \ <>:"|?* and no C0, DEL or C1 control, no
 * bidi override or zero-width character, no dot or space at either end,
 * at most FILENAME_MAX_BYTES, and normalising it again changes nothing.
 * The header: no CR, LF or other control, the quoted fallback is plain
 * ASCII without " \ or %, and filename* decodes back to the name.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "attachments.h"
#include "buf.h"
#include "parse.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static void
check_header(const char *name, int normalised)
{
	static const char pre[] = "attachment; filename=\"";
	static const char mid[] = "\"; filename*=UTF-8''";
	struct buf b = BUF_INIT, dec = BUF_INIT;
	const char *h, *q, *star;
	size_t i, chars = 0;

	content_disposition(&b, name);
	h = buf_str(&b);
	if (strlen(h) != b.len)
		abort();
	for (i = 0; i < b.len; i++)
		if ((unsigned char)h[i] < 0x20 || (unsigned char)h[i] >= 0x7f)
			abort();
	if (strncmp(h, pre, sizeof(pre) - 1) != 0)
		abort();
	q = h + sizeof(pre) - 1;
	/* The fallback ends at the first quote: nothing escapes it. */
	if ((star = strstr(q, mid)) == NULL || strchr(q, '"') != star)
		abort();
	for (i = 0; q + i < star; i++)
		if (q[i] == '\\' || q[i] == '%')
			abort();
	for (i = 0; name[i] != '\0'; i++)
		if (((unsigned char)name[i] & 0xc0) != 0x80)
			chars++;
	/* One character of the fallback per character of the name. */
	if (normalised && (size_t)(star - q) != chars)
		abort();
	for (star += sizeof(mid) - 1; *star != '\0'; star++) {
		if (*star == '%') {
			if (hexval(star[1]) < 0 || hexval(star[2]) < 0)
				abort();
			buf_putc(&dec, hexval(star[1]) << 4 | hexval(star[2]));
			star += 2;
		} else if (strchr("!#$&+-.^_`|~", *star) != NULL ||
		    (*star >= 'a' && *star <= 'z') ||
		    (*star >= 'A' && *star <= 'Z') ||
		    (*star >= '0' && *star <= '9'))
			buf_putc(&dec, *star);
		else
			abort();
	}
	if (strcmp(buf_str(&dec), name) != 0)
		abort();
	buf_free(&dec);
	buf_free(&b);
}

static void
check_name(const char *n, int valid_in)
{
	static const char *const hidden[] = {
		"\xe2\x80\xae", "\xe2\x80\x8b", "\xef\xbb\xbf", "\xe2\x81\xa6",
		"\xc2\xad", "\xe2\x80\xa8",
	};
	size_t len = strlen(n), i;
	char *again;

	if (len == 0 || len > FILENAME_MAX_BYTES)
		abort();
	if (n[0] == '.' || n[0] == ' ' || n[len - 1] == '.' ||
	    n[len - 1] == ' ')
		abort();
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)n[i];

		if (c < 0x20 || c == 0x7f || strchr("/\\<>:\"|?*", c) != NULL)
			abort();
		/* U+0080..U+009F, encoded. */
		if (c == 0xc2 && i + 1 < len &&
		    (unsigned char)n[i + 1] >= 0x80 &&
		    (unsigned char)n[i + 1] <= 0x9f)
			abort();
	}
	for (i = 0; i < sizeof(hidden) / sizeof(hidden[0]); i++)
		if (strstr(n, hidden[i]) != NULL)
			abort();
	if (valid_in && !utf8_valid(n, len))
		abort();
	again = filename_normalize(n);
	if (strcmp(again, n) != 0)
		abort();
	free(again);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *raw, *name;
	int valid;

	if ((raw = malloc(size + 1)) == NULL)
		return 0;
	memcpy(raw, data, size);
	raw[size] = '\0';
	valid = utf8_valid(raw, strlen(raw));
	name = filename_normalize(raw);
	check_name(name, valid);
	check_header(name, valid);
	/* Downloads normalise again, but the header is safe regardless. */
	check_header(raw, 0);
	free(name);
	free(raw);
	return 0;
}
