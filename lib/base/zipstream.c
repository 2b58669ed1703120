/*
 * zipstream: libarchive's zip writer behind a few calls (zipstream.h).
 */
#include <stdlib.h>
#include <string.h>

#include <archive.h>
#include <archive_entry.h>

#include "log.h"
#include "zipstream.h"

/* libarchive gathers output into blocks of this size before the sink
 * sees them: few, large writes to the client, and a bounded buffer. */
#define ZIP_BLOCK	(64 * 1024)

struct zipstream {
	struct archive	*a;
	zip_sink	 sink;
	void		*arg;
	int		 dead;		/* aborted, or the sink stopped */
	int		 open;		/* an entry is being written */
	const char	*why;
};

static la_ssize_t
zip_cb_write(struct archive *a, void *p, const void *data, size_t n)
{
	struct zipstream *z = p;

	(void)a;
	if (z->dead)
		return -1;
	if (z->sink(z->arg, data, n) == -1) {
		z->dead = 1;
		z->why = "the reader went away";
		return -1;
	}
	return (la_ssize_t)n;
}

static int
zip_fail(struct zipstream *z, const char *what)
{
	if (z->why == NULL)
		z->why = archive_error_string(z->a);
	if (z->why == NULL)
		z->why = what;
	return -1;
}

struct zipstream *
zip_open(zip_sink sink, void *arg)
{
	struct zipstream *z;

	if ((z = calloc(1, sizeof(*z))) == NULL)
		return NULL;
	z->sink = sink;
	z->arg = arg;
	if ((z->a = archive_write_new()) == NULL)
		goto err;
	/*
	 * Names are UTF-8 whatever the process's locale (the zip's UTF-8
	 * flag): libarchive would otherwise convert them from the C
	 * locale and refuse every non-ASCII name. No padding after the
	 * end: a zip's last bytes are its directory's end record.
	 */
	if (archive_write_set_format_zip(z->a) != ARCHIVE_OK ||
	    archive_write_set_options(z->a, "zip:hdrcharset=UTF-8") !=
	    ARCHIVE_OK ||
	    archive_write_set_bytes_per_block(z->a, ZIP_BLOCK) != ARCHIVE_OK ||
	    archive_write_set_bytes_in_last_block(z->a, 1) != ARCHIVE_OK ||
	    archive_write_open2(z->a, z, NULL, zip_cb_write, NULL, NULL) !=
	    ARCHIVE_OK)
		goto err;
	return z;
err:
	log_err("zip: cannot start an archive: %s", z->a ?
	    archive_error_string(z->a) : "out of memory");
	if (z->a)
		archive_write_free(z->a);
	free(z);
	return NULL;
}

int
zip_entry(struct zipstream *z, const char *path, long long size,
    time_t mtime, int compress)
{
	struct archive_entry *e;
	int rc;

	if (z->dead)
		return zip_fail(z, "aborted");
	if (z->open && archive_write_finish_entry(z->a) != ARCHIVE_OK)
		return zip_fail(z, "finishing an entry");
	z->open = 0;
	if ((compress ? archive_write_zip_set_compression_deflate(z->a) :
	    archive_write_zip_set_compression_store(z->a)) != ARCHIVE_OK)
		return zip_fail(z, "choosing compression");
	if ((e = archive_entry_new()) == NULL)
		return zip_fail(z, "out of memory");
	archive_entry_set_pathname_utf8(e, path);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0644);
	archive_entry_set_mtime(e, mtime, 0);
	/* Unset, libarchive writes the sizes after the data. */
	if (size >= 0)
		archive_entry_set_size(e, size);
	rc = archive_write_header(z->a, e);
	archive_entry_free(e);
	if (rc != ARCHIVE_OK)
		return zip_fail(z, "writing an entry's header");
	z->open = 1;
	return 0;
}

int
zip_write(struct zipstream *z, const void *p, size_t n)
{
	const char *s = p;

	while (n > 0) {
		la_ssize_t w;

		if (z->dead || !z->open)
			return zip_fail(z, "no entry open");
		/* A short count means the entry's declared size is
		 * reached: the caller's size was wrong. */
		if ((w = archive_write_data(z->a, s, n)) <= 0)
			return zip_fail(z, w == 0 ? "more bytes than the "
			    "entry's size" : "writing data");
		s += w;
		n -= (size_t)w;
	}
	return 0;
}

int
zip_puts(struct zipstream *z, const char *s)
{
	return zip_write(z, s, strlen(s));
}

int
zip_close(struct zipstream *z)
{
	int rc = -1;

	if (!z->dead && (!z->open ||
	    archive_write_finish_entry(z->a) == ARCHIVE_OK) &&
	    archive_write_close(z->a) == ARCHIVE_OK && !z->dead)
		rc = 0;
	if (rc == -1)
		log_err("zip: the archive's end was not written: %s",
		    z->why ? z->why : archive_error_string(z->a) ?
		    archive_error_string(z->a) : "unknown");
	/* After a failed close, free must not try again: every write now
	 * goes nowhere. */
	z->dead = 1;
	archive_write_free(z->a);
	free(z);
	return rc;
}

void
zip_abort(struct zipstream *z)
{
	if (z == NULL)
		return;
	/* archive_write_free closes an open archive, which would write
	 * the directory: the dead sink swallows it, so nothing of it
	 * reaches the reader. */
	z->dead = 1;
	archive_write_free(z->a);
	free(z);
}

const char *
zip_error(const struct zipstream *z)
{
	return z->why ? z->why : "unknown";
}
