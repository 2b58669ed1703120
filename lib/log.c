#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "log.h"

static char request_id[40] = "-";

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

void
log_request(const char *method, const char *path, int status, double ms)
{
	struct buf line = BUF_INIT;

	stamp(&line);
	buf_puts(&line, "req ");
	put_printable(&line, method, 16);
	buf_putc(&line, ' ');
	put_printable(&line, path, 512);
	buf_printf(&line, " %d %.1fms rid=%s\n", status, ms, request_id);
	fwrite(line.data, 1, line.len, stderr);
	fflush(stderr);
	buf_free(&line);
}
