/*
 * zipstream: a zip archive written as a stream, through Debian's
 * libarchive, to a sink function: nothing is seeked back to, no entry is
 * held whole, and an entry's size need not be known before its bytes
 * (it then carries a data descriptor, as any zip tool reads).
 *
 * A zip is whole only with its central directory, which zip_close
 * writes last. zip_abort never writes it: an archive cut short by a
 * failure is refused by every unzip, never taken for a complete one
 * (docs/decisions.md, "Exports are zip files, streamed").
 */
#ifndef HD_ZIPSTREAM_H
#define HD_ZIPSTREAM_H

#include <stddef.h>
#include <time.h>

struct zipstream;

/* Where the bytes go: 0, or -1 to stop (the reader went away). */
typedef int (*zip_sink)(void *arg, const void *p, size_t n);

/* A new archive writing to sink(arg, ...); NULL when libarchive
 * refuses (logged). */
struct zipstream *zip_open(zip_sink, void *arg);

/*
 * Starts entry path (UTF-8, '/' between folders) of size bytes, or -1
 * when unknown; compress: deflate (text) rather than store (files,
 * mostly compressed already). The previous entry ends here. 0 or -1.
 */
int	zip_entry(struct zipstream *, const char *path, long long size,
	    time_t mtime, int compress);
/* Bytes of the current entry. 0 or -1. */
int	zip_write(struct zipstream *, const void *, size_t);
int	zip_puts(struct zipstream *, const char *);

/* Writes the central directory and frees: 0 when the archive went out
 * whole, -1 otherwise (logged). */
int	zip_close(struct zipstream *);
/* Frees without another byte to the sink: the archive stays unfinished.
 * NULL is allowed. */
void	zip_abort(struct zipstream *);

/* Why the last call failed, for the log. */
const char *zip_error(const struct zipstream *);

#endif
