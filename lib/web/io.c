#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>

#include "io.h"

const char *
io_env(const struct io *io, const char *name)
{
	if (io->fcgi)
		return FCGX_GetParam(name, io->fcgi->envp);
	return getenv(name);
}

long
io_read(const struct io *io, char *p, size_t n)
{
	size_t got;

	if (n > 1 << 30)
		n = 1 << 30;
	if (io->fcgi)
		return FCGX_GetStr(p, (int)n, io->fcgi->in);
	got = fread(p, 1, n, stdin);
	return ferror(stdin) ? -1 : (long)got;
}

int
io_write(const struct io *io, const void *p, size_t n)
{
	if (io->fcgi) {
		/* FCGX_PutStr takes an int: write large bodies in pieces. */
		const char *s = p;

		while (n > 0) {
			int chunk = n > 1 << 20 ? 1 << 20 : (int)n;

			if (FCGX_PutStr(s, chunk, io->fcgi->out) < 0)
				return -1;	/* the client went away */
			s += chunk;
			n -= (size_t)chunk;
		}
		return 0;
	}
	return fwrite(p, 1, n, stdout) == n ? 0 : -1;
}

void
io_abort(const struct io *io)
{
	/* Every later write fails (EPIPE, SIGPIPE is ignored) and
	 * FCGX_Finish_r closes the socket without FCGI_END_REQUEST. */
	if (io->fcgi && io->fcgi->ipcFd >= 0)
		shutdown(io->fcgi->ipcFd, SHUT_RDWR);
	else if (io->fcgi == NULL)
		fflush(stdout);
}
