/*
 * attachments: file names, types and headers for uploads, and their rows.
 * See attachments.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "attachments.h"
#include "config.h"
#include "crypto.h"
#include "db.h"
#include "escape.h"
#include "i18n.h"
#include "log.h"
#include "util.h"

/* An extension longer than this is not worth keeping over the stem. */
#define EXT_KEEP_MAX	20
/*
 * Bytes of a blob per blob_chunks row: each is its own packet, well under
 * MariaDB's default max_allowed_packet (16M), and what a worker holds of
 * a file at a time on the way in and out.
 */
#define CHUNK_SIZE	(512 * 1024)

/*
 * Unicode general category Cf (format characters, Unicode 15): invisible,
 * and some reorder what is shown (U+202E makes "exe.txt" look like
 * "txt.exe"). U+2028 and U+2029 (line and paragraph separators) are not
 * Cf but break lines, so they go too.
 */
static const struct { unsigned lo, hi; } dropped[] = {
	{ 0x00ad, 0x00ad }, { 0x0600, 0x0605 }, { 0x061c, 0x061c },
	{ 0x06dd, 0x06dd }, { 0x070f, 0x070f }, { 0x0890, 0x0891 },
	{ 0x08e2, 0x08e2 }, { 0x180e, 0x180e }, { 0x200b, 0x200f },
	{ 0x2028, 0x202e }, { 0x2060, 0x2064 }, { 0x2066, 0x206f },
	{ 0xfeff, 0xfeff }, { 0xfff9, 0xfffb }, { 0x110bd, 0x110bd },
	{ 0x110cd, 0x110cd }, { 0x13430, 0x1343f }, { 0x1bca0, 0x1bca3 },
	{ 0x1d173, 0x1d17a }, { 0xe0001, 0xe0001 }, { 0xe0020, 0xe007f },
};

/* Types safe to label; a download is never shown inline anyway. */
static const struct { const char *ext, *type; } types[] = {
	{ "png", "image/png" },
	{ "jpg", "image/jpeg" },
	{ "jpeg", "image/jpeg" },
	{ "gif", "image/gif" },
	{ "webp", "image/webp" },
	{ "pdf", "application/pdf" },
	{ "txt", "text/plain" },
	{ "csv", "text/csv" },
	{ "json", "application/json" },
	{ "zip", "application/zip" },
	{ "gz", "application/gzip" },
};

/*
 * Decodes the character at s into *cp and returns its length in bytes,
 * or 0 for a byte that does not start a well-formed sequence (it is then
 * dropped). Never reads past a NUL: a NUL is not a continuation byte.
 */
static size_t
utf8_next(const unsigned char *s, unsigned *cp)
{
	size_t n, i;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] < 0xe0) {
		n = 2;
		*cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] < 0xf0) {
		n = 3;
		*cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] < 0xf5) {
		n = 4;
		*cp = s[0] & 0x07;
	} else
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		*cp = *cp << 6 | (s[i] & 0x3f);
	}
	return n;
}

static int
is_dropped(unsigned cp)
{
	size_t i;

	/* C0, DEL and C1 controls. */
	if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f))
		return 1;
	/* Path separators, and what Windows refuses in a name. */
	if (cp < 0x80 && strchr("/\\<>:\"|?*", (int)cp) != NULL)
		return 1;
	for (i = 0; i < nitems(dropped); i++)
		if (cp >= dropped[i].lo && cp <= dropped[i].hi)
			return 1;
	return 0;
}

static int
is_dot_space(char c)
{
	return c == '.' || c == ' ';
}

/* Cuts s to at most max bytes without splitting a character. */
static size_t
utf8_cut(const char *s, size_t len, size_t max)
{
	if (len <= max)
		return len;
	while (max > 0 && ((unsigned char)s[max] & 0xc0) == 0x80)
		max--;
	return max;
}

static size_t
trim_trailing(const char *s, size_t len)
{
	while (len > 0 && is_dot_space(s[len - 1]))
		len--;
	return len;
}

/* Caps b at FILENAME_MAX_BYTES, keeping a short extension. */
static void
cap_length(struct buf *b)
{
	const char *ext = strrchr(b->data, '.');
	size_t elen = ext ? strlen(ext) : 0, stem;
	char *e;

	if (b->len <= FILENAME_MAX_BYTES)
		return;
	if (ext == NULL || ext == b->data || elen > EXT_KEEP_MAX) {
		b->len = trim_trailing(b->data,
		    utf8_cut(b->data, b->len, FILENAME_MAX_BYTES));
		b->data[b->len] = '\0';
		return;
	}
	e = xstrdup(ext);
	stem = utf8_cut(b->data, (size_t)(ext - b->data),
	    FILENAME_MAX_BYTES - elen);
	/* Never empty: the stem starts with neither a dot nor a space. */
	b->len = trim_trailing(b->data, stem);
	b->data[b->len] = '\0';
	buf_puts(b, e);
	free(e);
}

char *
filename_normalize(const char *raw)
{
	const unsigned char *s = (const unsigned char *)(raw ? raw : "");
	struct buf b = BUF_INIT;
	size_t n, start;
	unsigned cp;

	while (*s != '\0') {
		if ((n = utf8_next(s, &cp)) == 0) {
			s++;
			continue;
		}
		if (!is_dropped(cp))
			buf_add(&b, s, n);
		s += n;
	}
	/* Only now: removing a character may have exposed a dot. */
	for (start = 0; start < b.len && is_dot_space(b.data[start]); start++)
		continue;
	if (start > 0) {
		memmove(b.data, b.data + start, b.len - start);
		b.len -= start;
	}
	b.len = trim_trailing(b.data, b.len);
	if (b.len == 0) {
		buf_free(&b);
		return xstrdup("file");
	}
	b.data[b.len] = '\0';
	cap_length(&b);
	return buf_detach(&b);
}

const char *
content_type_for(const char *name)
{
	const char *ext = name ? strrchr(name, '.') : NULL;
	size_t i;

	if (ext == NULL || ext == name)
		return CONTENT_TYPE_DEFAULT;
	for (i = 0; i < nitems(types); i++)
		if (strcasecmp(ext + 1, types[i].ext) == 0)
			return types[i].type;
	return CONTENT_TYPE_DEFAULT;
}

const char *
content_type_safe(const char *stored)
{
	size_t i;

	for (i = 0; stored != NULL && i < nitems(types); i++)
		if (strcmp(stored, types[i].type) == 0)
			return types[i].type;
	return CONTENT_TYPE_DEFAULT;
}

/* RFC 8187 attr-char: what filename* may carry unencoded. */
static int
is_attr_char(unsigned char c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9'))
		return 1;
	return c != '\0' && strchr("!#$&+-.^_`|~", c) != NULL;
}

void
content_disposition(struct buf *b, const char *name)
{
	const unsigned char *p;

	buf_puts(b, "attachment; filename=\"");
	/*
	 * The fallback for clients without filename*: one '_' per non-ASCII
	 * character, and for what could end or escape the quoted string.
	 * '%' too, since some clients percent-decode this form.
	 */
	for (p = (const unsigned char *)name; *p; p++) {
		if (*p >= 0x80) {
			if ((*p & 0xc0) != 0x80)
				buf_putc(b, '_');
		} else if (*p < 0x20 || *p == 0x7f || *p == '"' ||
		    *p == '\\' || *p == '%')
			buf_putc(b, '_');
		else
			buf_putc(b, *p);
	}
	buf_puts(b, "\"; filename*=UTF-8''");
	for (p = (const unsigned char *)name; *p; p++) {
		if (is_attr_char(*p))
			buf_putc(b, *p);
		else
			buf_printf(b, "%%%02X", *p);
	}
}

void
size_label(long long bytes, char *out, size_t outsz)
{
	static const char *const units[] = { "KB", "MB", "GB", "TB" };
	double v;
	size_t u = 0;

	if (bytes < 0)
		bytes = 0;
	if (bytes < 1024) {
		snprintf(out, outsz, "%lld %s", bytes,
		    bytes == 1 ? "byte" : "bytes");
		return;
	}
	/* Move up a unit where rounding would print "1024 KB". */
	v = (double)bytes / 1024;
	while (v >= 1023.95 && u + 1 < nitems(units)) {
		v /= 1024;
		u++;
	}
	if (v < 9.95)
		snprintf(out, outsz, "%.1f %s", v, units[u]);
	else
		snprintf(out, outsz, "%.0f %s", v, units[u]);
}

struct json_object *
upload_limits(void)
{
	struct json_object *o = json_object_new_object();
	char size[32];

	size_label(cfg.max_file, size, sizeof(size));
	json_object_object_add(o, "files", json_object_new_int64(cfg.max_files));
	json_object_object_add(o, "file", json_object_new_string(size));
	/* 10 files of 25 MB would be 250 MB: say the whole message's bound
	 * when it is the smaller (config.c bounds both, no overflow). */
	if (cfg.max_files * cfg.max_file > cfg.max_request) {
		size_label(cfg.max_request, size, sizeof(size));
		json_object_object_add(o, "total",
		    json_object_new_string(size));
	}
	return o;
}

/* text with its one "{key}" replaced by value, cut to outsz. A
 * translation moves the placeholder where its language wants it, which
 * a printf format read from a catalogue could not do safely. */
static void
put_subst(char *out, size_t outsz, const char *text, const char *key,
    const char *value)
{
	const char *at = strstr(text, key);

	if (at == NULL) {
		snprintf(out, outsz, "%s", text);
		return;
	}
	snprintf(out, outsz, "%.*s%s%s", (int)(at - text), text, value,
	    at + strlen(key));
}

void
upload_refusal(enum upload_limit which, char *out, size_t outsz)
{
	char n[32];

	switch (which) {
	case UPLOAD_FILES:
		snprintf(n, sizeof(n), "%lld", cfg.max_files);
		put_subst(out, outsz, _("Too many files in one message: the "
		    "limit is {n}."), "{n}", n);
		break;
	case UPLOAD_FILE:
		size_label(cfg.max_file, n, sizeof(n));
		put_subst(out, outsz, _("A file is larger than {size}, the "
		    "limit for one file."), "{size}", n);
		break;
	case UPLOAD_TOTAL:
		size_label(cfg.max_request, n, sizeof(n));
		put_subst(out, outsz, _("The message and its files are larger "
		    "than {size}, the limit for all of them together."),
		    "{size}", n);
		break;
	}
}

static size_t
piece(const struct upload *u, size_t off)
{
	return u->len - off < CHUNK_SIZE ? u->len - off : CHUNK_SIZE;
}

/* The source may let go of a piece the model is done with (upload.h). */
static void
release(const struct uploads *up, const void *p, size_t n)
{
	if (up->release != NULL)
		up->release(up->arg, p, n);
}

/* Hashes a file a chunk at a time, letting go of each chunk's pages. */
static void
file_hash(const struct uploads *up, const struct upload *u,
    unsigned char hash[32])
{
	struct sha256_state *st = sha256_begin();
	const char *data = u->data;
	size_t off, n;

	for (off = 0; off < u->len; off += n) {
		n = piece(u, off);
		sha256_update(st, data + off, n);
		release(up, data + off, n);
	}
	sha256_end(st, hash);
}

/*
 * Blobs are the workspace's own: the content address is (workspace,
 * SHA-256), so an upload reads and locks only rows of a's workspace, and
 * how long it takes says nothing about what other workspaces hold (issue 7).
 *
 * A blob the workspace stored already is not sent again. The insert still
 * says what to do with a duplicate, for a concurrent upload of the same
 * bytes in the same workspace (not IGNORE: that would turn every other
 * error into a warning too): it waits for the other transaction, and if
 * that committed, its chunks are there and the update changes nothing
 * (0 rows). Chunk n holds the bytes from n * CHUNK_SIZE on; an empty file
 * has none.
 */
static int
blob_store(const struct actor *a, const struct uploads *up,
    const struct upload *u, const unsigned char hash[32])
{
	long long have, seq, ws = a->ws_id;
	const char *data = u->data;
	size_t off, n;

	/* A shared lock: retention (retention.c, files_step) cannot
	 * delete this content between this look and our attachment row. */
	have = db_scalar("SELECT 1 FROM blobs WHERE workspace_id = ? AND"
	    " sha256 = ? LOCK IN SHARE MODE", "ib", ws, hash, (size_t)32);
	if (have == -1 && db_failed())
		return -1;	/* none is -1 too */
	if (have == 1)
		return 0;
	have = db_exec("INSERT INTO blobs (workspace_id, sha256, size,"
	    " created_at) VALUES (?, ?, ?, UTC_TIMESTAMP())"
	    " ON DUPLICATE KEY UPDATE size = size", "ibi", ws, hash,
	    (size_t)32, (long long)u->len);
	if (have == -1)
		return -1;
	if (have == 0)
		return 0;
	for (off = 0, seq = 0; off < u->len; off += n, seq++) {
		n = piece(u, off);
		if (db_exec("INSERT INTO blob_chunks (workspace_id, sha256, seq,"
		    " data) VALUES (?, ?, ?, ?)", "ibib", ws, hash, (size_t)32,
		    seq, data + off, n) == -1)
			return -1;
		release(up, data + off, n);
	}
	return 0;
}

/* The row is written only for a ticket of a's workspace (and a comment
 * of that ticket), whatever the caller passed: OK, E_NOT_FOUND, E_DB. */
static enum outcome
attachment_insert(const struct actor *a, const struct upload *u,
    const unsigned char hash[32], long long ticket_id, long long comment_id)
{
	char *name = filename_normalize(u->name);
	long long n;

	n = db_exec("INSERT INTO attachments (workspace_id, ticket_id,"
	    " comment_id, uploader_id, filename, content_type, size, sha256,"
	    " created_at)"
	    " SELECT t.workspace_id, t.id, NULLIF(?, 0), NULLIF(?, 0), ?, ?,"
	    " ?, ?, UTC_TIMESTAMP() FROM tickets t"
	    " WHERE t.id = ? AND t.workspace_id = ? AND (? = 0 OR EXISTS"
	    " (SELECT 1 FROM comments c WHERE c.id = ? AND c.ticket_id = t.id))",
	    "iissibiiii", comment_id, a->user_id, name,
	    content_type_for(name), (long long)u->len, hash, (size_t)32,
	    ticket_id, a->ws_id, comment_id, comment_id);
	free(name);
	if (n == -1)
		return db_error();
	if (n == 0) {
		log_err("attachment: ticket %lld comment %lld is not in "
		    "workspace %lld", ticket_id, comment_id, a->ws_id);
		return E_NOT_FOUND;
	}
	return OK;
}

enum outcome
attachments_save(const struct actor *a, const struct uploads *up,
    long long ticket_id, long long comment_id)
{
	unsigned char hash[32];
	enum outcome rc;
	size_t i;

	if (a->ws_id == 0)
		return E_NOT_FOUND;
	for (i = 0; i < up->n; i++) {
		const struct upload *u = &up->v[i];

		file_hash(up, u, hash);
		if (blob_store(a, up, u, hash) == -1)
			return db_error();
		if ((rc = attachment_insert(a, u, hash, ticket_id,
		    comment_id)) != OK)
			return rc;
	}
	/* The ticket page asks for attachments only when this is set
	 * (sql/027-page-statements.sql), committed with the rows. */
	if (up->n > 0 && db_exec("UPDATE tickets SET has_attachments = 1"
	    " WHERE id = ? AND workspace_id = ?", "ii", ticket_id,
	    a->ws_id) == -1)
		return db_error();
	return OK;
}

static struct json_object *
attachment_json(const struct actor *a, struct dbres *res)
{
	struct json_object *o = json_object_new_object();
	struct buf url = BUF_INIT;
	char label[32];
	long long id = db_int(res, 0), size = db_int(res, 3);

	json_object_object_add(o, "id", json_object_new_int64(id));
	json_object_object_add(o, "comment_id", db_str(res, 1) == NULL ? NULL :
	    json_object_new_int64(db_int(res, 1)));
	json_object_object_add(o, "filename",
	    json_object_new_string(db_str(res, 2)));
	json_object_object_add(o, "size", json_object_new_int64(size));
	/* Erased at its uploader's request (erase.h): no content left. */
	json_object_object_add(o, "removed",
	    json_object_new_boolean(db_int(res, 4) != 0));
	size_label(size, label, sizeof(label));
	json_object_object_add(o, "size_label",
	    json_object_new_string(label));
	buf_puts(&url, "/w/");
	url_escape(&url, a->ws_slug);
	buf_printf(&url, "/attachments/%lld", id);
	json_object_object_add(o, "url", json_object_new_string(buf_str(&url)));
	buf_free(&url);
	return o;
}

struct json_object *
attachments_json(const struct actor *a, long long ticket_id)
{
	struct json_object *list;
	struct dbres *res;
	int rc;

	res = db_query("SELECT a.id, a.comment_id, a.filename, a.size,"
	    " NOT EXISTS (SELECT 1 FROM blobs b WHERE"
	    " b.workspace_id = a.workspace_id AND b.sha256 = a.sha256)"
	    " FROM attachments a"
	    " JOIN tickets t ON t.id = a.ticket_id"
	    "  AND t.workspace_id = a.workspace_id"
	    " LEFT JOIN comments c ON c.id = a.comment_id"
	    "  AND c.ticket_id = a.ticket_id"
	    " WHERE a.ticket_id = ? AND a.workspace_id = ? AND"
	    AUTHZ_TICKET_VISIBLE("t")
	    " AND (a.comment_id IS NULL OR (c.id IS NOT NULL AND"
	    AUTHZ_COMMENT_VISIBLE("c") "))"
	    " ORDER BY a.id", "iiiiii", ticket_id, a->ws_id,
	    AUTHZ_TICKET_ARGS(a), AUTHZ_NOTE_ARG(a));
	if (res == NULL)
		return NULL;
	list = json_object_new_array();
	while ((rc = db_next(res)) == 1)
		json_object_array_add(list, attachment_json(a, res));
	db_free(res);
	if (rc == -1) {
		json_object_put(list);
		return NULL;
	}
	return list;
}

/*
 * One query decides: an id from another workspace, on a ticket the caller
 * may not see, or on a note they may not read is simply not found, the
 * same answer as an id that never existed.
 */
enum outcome
attachment_open(const struct actor *a, long long id,
    struct attachment_file *f)
{
	struct dbres *res;
	enum outcome rc = E_DB;
	int got;

	memset(f, 0, sizeof(*f));
	res = db_query("SELECT a.filename, a.content_type, b.size, b.sha256"
	    " FROM attachments a"
	    " JOIN tickets t ON t.id = a.ticket_id"
	    "  AND t.workspace_id = a.workspace_id"
	    " JOIN blobs b ON b.workspace_id = a.workspace_id"
	    "  AND b.sha256 = a.sha256"
	    " LEFT JOIN comments c ON c.id = a.comment_id"
	    "  AND c.ticket_id = a.ticket_id"
	    " WHERE a.id = ? AND a.workspace_id = ? AND"
	    AUTHZ_TICKET_VISIBLE("t")
	    " AND (a.comment_id IS NULL OR (c.id IS NOT NULL AND"
	    AUTHZ_COMMENT_VISIBLE("c") "))", "iiiiii", id, a->ws_id,
	    AUTHZ_TICKET_ARGS(a), AUTHZ_NOTE_ARG(a));
	if (res == NULL)
		return db_error();
	if ((got = db_next(res)) != 1) {
		rc = got == 0 ? E_NOT_FOUND : db_error();
		goto out;
	}
	f->size = db_int(res, 2);
	if (db_len(res, 3) != sizeof(f->sha256) || f->size < 0) {
		log_err("attachment %lld: a blob row that makes no sense", id);
		goto out;
	}
	memcpy(f->sha256, db_str(res, 3), sizeof(f->sha256));
	f->filename = xstrdup(db_str(res, 0));
	f->content_type = db_str(res, 1) ? xstrdup(db_str(res, 1)) : NULL;
	rc = OK;
out:
	db_free(res);
	return rc;
}

void
attachment_close(struct attachment_file *f)
{
	free(f->filename);
	free(f->content_type);
	memset(f, 0, sizeof(*f));
}

/*
 * The chunks of the blob in order, from a's workspace (blobs are per
 * workspace). The head of a download is out before this runs, so a
 * failure can only cut the body short: the client sees a truncated file
 * (shorter than its Content-Length), never a wrong one.
 */
int
attachment_send(const struct actor *a, long long id,
    const struct attachment_file *f,
    int (*write)(void *arg, const void *p, size_t n), void *arg)
{
	struct dbres *res;
	long long seq, sent = 0;
	size_t n;
	int got = 0;

	for (seq = 0; sent < f->size; seq++) {
		if ((res = db_query("SELECT data FROM blob_chunks WHERE"
		    " workspace_id = ? AND sha256 = ? AND seq = ?", "ibi",
		    a->ws_id, f->sha256, sizeof(f->sha256), seq)) == NULL ||
		    (got = db_next(res)) != 1 || (n = db_len(res, 0)) == 0 ||
		    (long long)n > f->size - sent) {
			log_err("attachment %lld: chunk %lld %s; sent %lld of "
			    "%lld bytes", id, seq, res == NULL || got == -1 ?
			    "unreadable" : "missing or too long", sent, f->size);
			db_free(res);
			return -1;
		}
		if (write(arg, db_str(res, 0), n) == -1) {
			db_free(res);
			return -1;	/* the reader went away */
		}
		sent += (long long)n;
		db_free(res);
	}
	return 0;
}
