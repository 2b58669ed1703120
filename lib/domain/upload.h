/*
 * upload: files handed to the model (attachments_save), whoever received
 * them: a web form's parts, a mail's attachments, the demo's bytes in
 * memory.
 *
 * A file may be far larger than a worker should hold: the model reads it
 * a piece at a time and, after each piece, calls release so that the
 * source can let go of it (the web core drops those pages of the spooled
 * request body: tests/integration/memory.test.js). release may be NULL
 * for files that sit in memory anyway.
 */
#ifndef HD_UPLOAD_H
#define HD_UPLOAD_H

#include <stddef.h>

struct upload {
	const char	*name;		/* as sent: not normalised */
	const void	*data;		/* len bytes, not NUL-terminated */
	size_t		 len;
};

struct uploads {
	const struct upload *v;
	size_t		 n;
	/* Done with len bytes at p of one of the files: it may go. */
	void		(*release)(void *arg, const void *p, size_t len);
	void		*arg;
};

#endif
