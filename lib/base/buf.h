/*
 * buf: a growable byte string that carries its length, is binary-safe
 * and is always NUL-terminated. Every function that may reallocate says
 * so; growth checks size_t overflow and aborts on allocation failure,
 * since a half-written page is worse than a restarted worker.
 */
#ifndef HD_BUF_H
#define HD_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
	char	*data;	/* NUL-terminated; NULL until the first write */
	size_t	 len;
	size_t	 cap;
};

#define BUF_INIT { NULL, 0, 0 }

/* All of these may reallocate b->data. */
void	 buf_grow(struct buf *, size_t extra);
void	 buf_add(struct buf *, const void *, size_t);
void	 buf_puts(struct buf *, const char *);
void	 buf_putc(struct buf *, int);
void	 buf_printf(struct buf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	 buf_vprintf(struct buf *, const char *, va_list)
	    __attribute__((format(printf, 2, 0)));

void	 buf_reset(struct buf *);	/* len = 0, keeps the memory */
void	 buf_free(struct buf *);
const char *buf_str(const struct buf *);	/* "" when empty */
char	*buf_detach(struct buf *);	/* caller frees; b is emptied */

#endif
