#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "log.h"

static char request_id[40] = "-";

/*
 * Paths that carry a secret in the segment after the prefix (a bearer
 * token: whoever reads it can use it). A request line is logged up to the
 * prefix, then "[secret]". nginx's access log applies the same list (the
 * $helpdesk_log_uri map in the nginx configs): add a new one in both places.
 * Query strings are never logged at all.
 */
static const char *const secret_paths[] = {
	"/invite/",
	"/password/reset/",
	"/email/confirm/",
	"/account/delete/link/",
};

void
log_set_request_id(const char *id)
{
	snprintf(request_id, sizeof(request_id), "%s", id ? id : "-");
}

/* Appends s with anything outside printable ASCII as \xNN. */
static void
put_printable(struct buf *b, const char *s, size_t max)
{
	size_t i;

	for (i = 0; s[i] != '\0' && i < max; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c >= 0x7f || c == '\\')
			buf_printf(b, "\\x%02x", c);
		else
			buf_putc(b, c);
	}
}

static void
stamp(struct buf *b)
{
	char ts[32];
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%SZ", &tm);
	buf_printf(b, "%s [%d] ", ts, (int)getpid());
}

static void __attribute__((format(printf, 2, 0)))
vlog(const char *level, const char *fmt, va_list ap)
{
	struct buf msg = BUF_INIT, line = BUF_INIT;

	buf_vprintf(&msg, fmt, ap);
	stamp(&line);
	buf_printf(&line, "%s rid=%s ", level, request_id);
	put_printable(&line, buf_str(&msg), 2000);
	buf_putc(&line, '\n');
	fwrite(line.data, 1, line.len, stderr);
	fflush(stderr);
	buf_free(&msg);
	buf_free(&line);
}

void
log_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog("error", fmt, ap);
	va_end(ap);
}

void
log_info(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog("info", fmt, ap);
	va_end(ap);
}

/*
 * How much of path may be logged: up to the end of the first secret prefix
 * found anywhere in it (so "//invite/x" is cut too), or all of it.
 */
size_t
log_path_len(const char *path)
{
	size_t i, n = strlen(path);
	const char *p;

	for (i = 0; i < sizeof(secret_paths) / sizeof(secret_paths[0]); i++)
		if ((p = strcasestr(path, secret_paths[i])) != NULL &&
		    (size_t)(p - path) + strlen(secret_paths[i]) < n)
			n = (size_t)(p - path) + strlen(secret_paths[i]);
	return n;
}

void
log_request(const char *method, const char *path, int status, double ms,
    unsigned statements)
{
	struct buf line = BUF_INIT;
	size_t keep;

	stamp(&line);
	buf_puts(&line, "req ");
	put_printable(&line, method, 16);
	buf_putc(&line, ' ');
	if (path == NULL)
		path = "-";
	keep = log_path_len(path);
	put_printable(&line, path, keep < 512 ? keep : 512);
	if (path[keep] != '\0')
		buf_puts(&line, "[secret]");
	buf_printf(&line, " %d %.1fms sql=%u rid=%s\n", status, ms, statements,
	    request_id);
	fwrite(line.data, 1, line.len, stderr);
	fflush(stderr);
	buf_free(&line);
}
