/*
 * io: where a request comes from and its response goes to: a FastCGI
 * request, or plain CGI (the environment, stdin and stdout). Private to
 * the core; handlers never see it.
 */
#ifndef HD_IO_H
#define HD_IO_H

#include <stddef.h>
#include <fcgiapp.h>

struct io {
	FCGX_Request	*fcgi;	/* NULL under plain CGI */
};

const char	*io_env(const struct io *, const char *name);
/* Reads up to n bytes; returns the count (0 at the end), -1 on error. */
long		 io_read(const struct io *, char *, size_t n);
/* Writes n bytes; returns 0, or -1 when the client has gone away. */
int		 io_write(const struct io *, const void *, size_t n);
/*
 * Cuts the response off where it is: under FastCGI the connection to the
 * web server is shut without the end of the request, so the server ends
 * its response to the client as failed (nginx closes it without the
 * last chunk), never as complete. Plain CGI has no such signal: what was
 * written stays written, and nothing more is.
 */
void		 io_abort(const struct io *);

#endif
