/*
 * request: builds a struct req from the web server's variables and body.
 * Sizes are capped before anything is parsed, and every piece of text a
 * handler may read is checked to be valid UTF-8 without control bytes.
 *
 * A multipart body (uploads, up to max_request) never sits in memory: it
 * is copied a chunk at a time into an anonymous temp file, which is mapped
 * read-only and parsed in place; files stay in the mapping (r->files) and
 * pages that have been read are let go again as the parser and the
 * handler move on, so a worker's resident size does not follow the upload.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <unistd.h>

#include "attachments.h"
#include "buf.h"
#include "config.h"
#include "crypto.h"
#include "http.h"
#include "i18n.h"
#include "io.h"
#include "log.h"
#include "request.h"
#include "throttle.h"
#include "util.h"
#include "workspaces.h"

#define MAX_FIELDS	1000
#define MAX_PATH	2048
#define SPOOL_CHUNK	(64 * 1024)	/* read from the web server at once */

/* Where the pages of the spool behind the parser start. */
struct behind {
	struct req	*r;
	const char	*from;
};

/* Percent-decodes the path part of REQUEST_URI ('+' stays '+'). */
static char *
path_decode(const char *uri)
{
	size_t n = strcspn(uri, "?#"), i, o = 0;
	char *out;

	if (n > MAX_PATH)
		return NULL;
	out = xmalloc(n + 1);
	for (i = 0; i < n; i++) {
		if (uri[i] == '%') {
			int hi, lo;

			if (i + 2 >= n)
				goto bad;
			hi = hex_value((unsigned char)uri[i + 1]);
			lo = hex_value((unsigned char)uri[i + 2]);
			if (hi < 0 || lo < 0)
				goto bad;
			out[o++] = (char)(hi << 4 | lo);
			i += 2;
		} else
			out[o++] = uri[i];
	}
	out[o] = '\0';
	if (o == 0 || out[0] != '/' || !text_valid(out, o) ||
	    strpbrk(out, "\r\n\t") != NULL)
		goto bad;
	return out;
bad:
	free(out);
	return NULL;
}

static int
kv_all_text(const struct kvlist *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (!text_valid(l->v[i].name, strlen(l->v[i].name)) ||
		    !text_valid(l->v[i].value, l->v[i].vlen))
			return 0;
	return 1;
}

static enum method
method_of(const char *m)
{
	if (m == NULL)
		return M_OTHER;
	if (strcmp(m, "GET") == 0)
		return M_GET;
	if (strcmp(m, "HEAD") == 0)
		return M_HEAD;
	if (strcmp(m, "POST") == 0)
		return M_POST;
	return M_OTHER;
}

static int
read_body(const struct io *io, size_t len, char **out)
{
	char *body = xmalloc(len + 1);
	size_t got = 0;

	while (got < len) {
		long n = io_read(io, body + got, len - got);

		if (n <= 0)
			break;
		got += (size_t)n;
	}
	if (got != len) {
		free(body);
		return 400;
	}
	body[len] = '\0';
	*out = body;
	return 0;
}

/*
 * An anonymous file in TMPDIR (or /tmp): nothing to clean up, it goes
 * with its last descriptor or mapping. Where O_TMPFILE is not supported,
 * a named file unlinked at once.
 */
static int
spool_open(void)
{
	const char *dir = getenv("TMPDIR");
	struct buf path = BUF_INIT;
	int fd;

	if (dir == NULL || *dir == '\0')
		dir = "/tmp";
	if ((fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600)) != -1)
		return fd;
	buf_printf(&path, "%s/helpdesk-upload.XXXXXX", dir);
	if ((fd = mkstemp(path.data)) != -1)
		unlink(path.data);
	else
		log_err("upload: no temp file in %s: %s", dir,
		    strerror(errno));
	buf_free(&path);
	return fd;
}

static int
write_all(int fd, const char *p, size_t n)
{
	ssize_t w;

	while (n > 0) {
		if ((w = write(fd, p, n)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/*
 * Copies a body of len (> 0) bytes from the web server into a temp file
 * and maps it read-only as r->spool. The descriptor is closed at once:
 * the mapping keeps the file. Returns 0, 400 for a short body, or 503
 * when the file cannot be written (a full disk is not the client's
 * fault).
 */
static int
spool_body(struct req *r, const struct io *io, size_t len)
{
	static char chunk[SPOOL_CHUNK];
	size_t got = 0, want;
	void *map;
	long n;
	int fd, status = 503;

	if ((fd = spool_open()) == -1)
		return 503;
	while (got < len) {
		want = len - got < sizeof(chunk) ? len - got : sizeof(chunk);
		if ((n = io_read(io, chunk, want)) <= 0) {
			status = 400;
			goto out;
		}
		if (write_all(fd, chunk, (size_t)n) == -1) {
			log_err("upload: writing the temp file: %s",
			    strerror(errno));
			goto out;
		}
		got += (size_t)n;
	}
	if ((map = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, 0)) ==
	    MAP_FAILED) {
		log_err("upload: mmap: %s", strerror(errno));
		goto out;
	}
	r->spool = map;
	r->spool_len = len;
	status = 0;
out:
	close(fd);
	return status;
}

void
req_release(struct req *r, const void *p, size_t n)
{
	static uintptr_t pagesz;
	uintptr_t base = (uintptr_t)r->spool, lo = (uintptr_t)p, hi;

	if (r->spool == NULL || n == 0 || lo < base ||
	    lo >= base + r->spool_len)
		return;
	if (pagesz == 0)
		pagesz = (uintptr_t)sysconf(_SC_PAGESIZE);
	hi = n > base + r->spool_len - lo ? base + r->spool_len : lo + n;
	/* Whole pages, widened: a page let go is only read in again. */
	lo &= ~(pagesz - 1);
	madvise((void *)lo, hi - lo, MADV_DONTNEED);
}

/* The parser has read the spool up to upto: let the pages behind go. */
static void
parsed_to(void *arg, const char *upto)
{
	struct behind *b = arg;

	req_release(b->r, b->from, (size_t)(upto - b->from));
	b->from = upto;
}

/* The model is done with a piece of an upload (upload.h). */
static void
upload_read(void *arg, const void *p, size_t n)
{
	req_release(arg, p, n);
}

/* r->files as the model takes them: each piece it reads is let go. */
static void
uploads_of(struct req *r)
{
	struct upload *v;
	size_t i;

	if (r->files.n == 0)
		return;
	v = xcalloc(r->files.n, sizeof(*v));
	for (i = 0; i < r->files.n; i++) {
		v[i].name = r->files.v[i].filename;
		v[i].data = r->files.v[i].data;
		v[i].len = r->files.v[i].len;
	}
	r->uploads.v = v;
	r->uploads.n = r->files.n;
	r->uploads.release = upload_read;
	r->uploads.arg = r;
}

/* Moves multipart parts into form fields and files, checking limits. */
static int
split_parts(struct req *r, struct partlist *parts)
{
	size_t i, nfiles = 0;

	for (i = 0; i < parts->n; i++) {
		struct part *p = &parts->v[i];

		if (!text_valid(p->name, strlen(p->name)))
			return 400;
		if (p->filename == NULL) {
			/* The parser held their sizes to max_form. */
			if (!text_valid(p->data, p->len))
				return 400;
			kv_add(&r->form, p->name, strlen(p->name), p->data,
			    p->len);
			continue;
		}
		/* A file input left empty arrives as a part with no name. */
		if (p->filename[0] == '\0' && p->len == 0)
			continue;
		/* A refused file does not refuse the form: the handler
		 * shows why and keeps what was typed. */
		if (++nfiles > (size_t)cfg.max_files) {
			upload_refusal(UPLOAD_FILES, r->upload_msg,
			    sizeof(r->upload_msg));
			r->upload_error = r->upload_msg;
			continue;
		}
		if (p->len > (size_t)cfg.max_file) {
			upload_refusal(UPLOAD_FILE, r->upload_msg,
			    sizeof(r->upload_msg));
			r->upload_error = r->upload_msg;
			continue;
		}
		if (!utf8_valid(p->filename, strlen(p->filename)))
			return 400;
		if (r->files.n == r->files.cap) {
			r->files.cap = r->files.cap ? r->files.cap * 2 : 4;
			r->files.v = xrealloc(r->files.v,
			    r->files.cap * sizeof(*r->files.v));
		}
		r->files.v[r->files.n++] = *p;
		memset(p, 0, sizeof(*p));
	}
	return 0;
}

static int
read_multipart(struct req *r, const struct io *io, size_t len,
    const char *boundary)
{
	struct partlist parts = PARTLIST_INIT;
	struct behind b;
	int status;

	if ((status = spool_body(r, io, len)) != 0)
		return status;
	b.r = r;
	b.from = r->spool;
	/*
	 * Plain fields together get what a urlencoded body gets, and one
	 * that would pass it is refused while the parser looks for its end,
	 * before any of it is copied.
	 */
	switch (multipart_parse_paced(r->spool, len, boundary, &parts,
	    MAX_FIELDS, (size_t)cfg.max_form, parsed_to, &b)) {
	case 0:
		status = split_parts(r, &parts);
		break;
	case MULTIPART_LARGE:
		status = 413;
		break;
	default:
		status = 400;
	}
	partlist_free(&parts);
	if (status == 0)
		uploads_of(r);
	return status;
}

static int
read_form(struct req *r, const struct io *io)
{
	const char *ctype = io_env(io, "CONTENT_TYPE");
	const char *clen = io_env(io, "CONTENT_LENGTH");
	long long len = 0;
	char *body = NULL, boundary[80];
	int multipart, status;

	if (clen != NULL && *clen != '\0' &&
	    parse_int(clen, 0, (long long)1 << 40, &len) == -1)
		return 400;
	if (len == 0)
		return 0;
	if (ctype == NULL)
		ctype = "";
	multipart = multipart_boundary(ctype, boundary, sizeof(boundary)) == 0;
	if (len > (multipart ? cfg.max_request : cfg.max_form)) {
		/* The refusal page names the bound files share. */
		if (multipart) {
			upload_refusal(UPLOAD_TOTAL, r->upload_msg,
			    sizeof(r->upload_msg));
			r->upload_error = r->upload_msg;
		}
		return 413;
	}
	if (multipart)
		return read_multipart(r, io, (size_t)len, boundary);
	if ((status = read_body(io, (size_t)len, &body)) != 0)
		return status;
	if (strncasecmp(ctype, "application/x-www-form-urlencoded", 33) == 0) {
		if (urlencoded_parse(body, (size_t)len, &r->form,
		    MAX_FIELDS) == -1 || !kv_all_text(&r->form))
			status = 400;
	}
	/* Other bodies are not forms: read (so the connection is clean)
	 * and ignored. */
	free(body);
	return status;
}

int
req_read(struct req *r, const struct io *io)
{
	const char *uri = io_env(io, "REQUEST_URI");
	const char *qs = io_env(io, "QUERY_STRING");
	const char *https = io_env(io, "HTTPS");
	const char *cookie = io_env(io, "HTTP_COOKIE");
	static char rid[17];

	r->method_name = io_env(io, "REQUEST_METHOD");
	if (r->method_name == NULL)
		r->method_name = "GET";
	r->method = method_of(r->method_name);
	r->remote_addr = io_env(io, "REMOTE_ADDR");
	if (r->remote_addr == NULL)
		r->remote_addr = "";
	r->user_agent = io_env(io, "HTTP_USER_AGENT");
	if (r->user_agent == NULL)
		r->user_agent = "";
	r->request_id = io_env(io, "REQUEST_ID");
	if (r->request_id == NULL || strlen(r->request_id) > 64) {
		unsigned char raw[8];

		random_bytes(raw, sizeof(raw));
		hex_encode(raw, sizeof(raw), rid);
		r->request_id = rid;
	}
	r->https = https != NULL && (strcmp(https, "on") == 0 ||
	    strcmp(https, "1") == 0);
	if (cookie)
		cookie_parse(cookie, &r->cookies);

	if (uri == NULL)
		uri = io_env(io, "PATH_INFO");
	if ((r->path = path_decode(uri ? uri : "/")) == NULL) {
		r->path = xstrdup("/");
		return 400;
	}
	if (qs != NULL && (urlencoded_parse(qs, strlen(qs), &r->query,
	    MAX_FIELDS) == -1 || !kv_all_text(&r->query)))
		return 400;
	if (r->method == M_POST)
		return read_form(r, io);
	return 0;
}

void
req_free(struct req *r)
{
	free(r->path);
	kv_free(&r->query);
	kv_free(&r->form);
	kv_free(&r->cookies);
	kv_free(&r->params);
	kv_free(&r->headers);
	kv_free(&r->markdown);
	/* The files point into the spool: they go first. */
	free((void *)r->uploads.v);
	partlist_free(&r->files);
	if (r->spool != NULL)
		munmap(r->spool, r->spool_len);
	buf_free(&r->body);
	if (r->user) {
		free(r->user->name);
		free(r->user->email);
		free(r->user);
	}
	free(r->session_token);
	free(r->anon_token);
	workspace_free(r->ws);
	workspace_free(r->ws_read);
}

void
req_actor(struct req *r)
{
	struct actor *a = &r->actor;

	memset(a, 0, sizeof(*a));
	a->addr = r->remote_addr;
	a->agent = r->user_agent;
	a->device = kv_get(&r->cookies, DEVICE_COOKIE);
	a->rendered = &r->markdown;
	if (r->user != NULL)
		actor_user(a, r->user->id, r->user->name, r->user->email);
	if (r->ws != NULL) {
		actor_workspace(a, r->ws->id, r->ws->slug, r->ws->role);
		a->ws_version = r->ws->version;
	}
}

int
can(const struct req *r, enum perm p)
{
	return actor_can(&r->actor, p);
}

const char *
req_param(const struct req *r, const char *name)
{
	return kv_get(&r->params, name);
}

long long
req_param_id(const struct req *r, const char *name)
{
	long long id;

	if (parse_int(req_param(r, name), 1, (long long)1 << 62, &id) == -1)
		return 0;
	return id;
}

const char *
req_query(const struct req *r, const char *name)
{
	return kv_get(&r->query, name);
}

const char *
req_form(const struct req *r, const char *name)
{
	return kv_get(&r->form, name);
}
