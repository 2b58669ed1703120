/*
 * attachments: GET /w/SLUG/attachments/ID, the bytes of one attachment
 * for someone who may see the message it belongs to. Always a download,
 * typed from an allow-list, under a policy that lets nothing run.
 * Downloads are not audited: far too many, and they change nothing.
 *
 * The file is streamed: the head goes out once the one query below has
 * allowed it, then the blob a chunk at a time (lib/attachments.c), so a
 * worker never holds more than a chunk of it.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "attachments.h"

/*
 * One query decides: an id from another workspace, on a ticket the caller
 * may not see, or on a note they may not read is simply not found, the
 * same page as an id that never existed.
 */
#define DOWNLOAD_SQL \
	"SELECT a.filename, a.content_type, b.size, b.sha256" \
	" FROM attachments a" \
	" JOIN tickets t ON t.id = a.ticket_id" \
	"  AND t.workspace_id = a.workspace_id" \
	" JOIN blobs b ON b.workspace_id = a.workspace_id" \
	"  AND b.sha256 = a.sha256" \
	" LEFT JOIN comments c ON c.id = a.comment_id" \
	"  AND c.ticket_id = a.ticket_id" \
	" WHERE a.id = ? AND a.workspace_id = ? AND" \
	AUTHZ_TICKET_VISIBLE("t") \
	" AND (a.comment_id IS NULL OR (c.id IS NOT NULL AND" \
	AUTHZ_COMMENT_VISIBLE("c") "))"

/* Blobs are per workspace (lib/attachments.c): the caller's, as above. */
#define CHUNK_SQL \
	"SELECT data FROM blob_chunks WHERE workspace_id = ? AND sha256 = ?" \
	" AND seq = ?"

static void
file_head(struct req *r, const char *stored_name, const char *stored_type)
{
	struct buf cd = BUF_INIT;
	char *name;

	/* Stored names were normalised; once more, since this is a header. */
	name = filename_normalize(stored_name);
	content_disposition(&cd, name);
	resp_header(r, "Content-Disposition", buf_str(&cd));
	/* Other sites may not embed it, even where a cookie would go along. */
	resp_header(r, "Cross-Origin-Resource-Policy", "same-origin");
	buf_free(&cd);
	free(name);
	r->status = 200;
	r->content_type = content_type_safe(stored_type);
	r->csp = "default-src 'none'; sandbox";
}

/*
 * Sends the chunks of a blob of size bytes in order. The head is out, so
 * a failure can only cut the body short: the client sees a truncated
 * download (shorter than Content-Length), never a wrong file.
 */
static void
send_chunks(struct req *r, long long id, const unsigned char hash[32],
    long long size)
{
	struct dbres *res;
	long long seq, sent = 0;
	size_t n;

	for (seq = 0; sent < size; seq++) {
		if ((res = db_query(CHUNK_SQL, "ibi", r->ws->id, hash,
		    (size_t)32, seq)) == NULL || !db_next(res) ||
		    (n = db_len(res, 0)) == 0 || (long long)n > size - sent) {
			log_err("attachment %lld: chunk %lld %s; sent %lld of "
			    "%lld bytes", id, seq, res == NULL || db_failed() ?
			    "unreadable" : "missing or too long", sent, size);
			db_free(res);
			return;
		}
		if (resp_write(r, db_str(res, 0), n) == -1) {
			db_free(res);
			return;	/* the client went away */
		}
		sent += (long long)n;
		db_free(res);
	}
}

static int
download(struct req *r)
{
	struct dbres *res;
	unsigned char hash[32];
	long long id, size;

	if (parse_int(req_param(r, "id"), 1, LLONG_MAX, &id) == -1)
		return error_page(r, 404, NULL);
	res = db_query(DOWNLOAD_SQL, "iiiiii", id, r->ws->id,
	    AUTHZ_TICKET_ARGS(r), AUTHZ_NOTE_ARG(r));
	if (res == NULL)
		return db_unavailable(r);
	if (!db_next(res)) {
		db_free(res);
		if (db_failed())
			return db_unavailable(r);
		return error_page(r, 404, NULL);
	}
	size = db_int(res, 2);
	if (db_len(res, 3) != sizeof(hash) || size < 0) {
		db_free(res);
		return db_unavailable(r);
	}
	memcpy(hash, db_str(res, 3), sizeof(hash));
	file_head(r, db_str(res, 0), db_str(res, 1));
	db_free(res);
	if (resp_begin(r, size) == -1 || r->method == M_HEAD)
		return 0;
	send_chunks(r, id, hash, size);
	return 0;
}

static const struct route routes[] = {
	{ M_GET, "/w/:slug/attachments/:id", download, R_WS, P_NONE },
	{ 0, NULL, NULL, 0, 0 }
};

int
main(int argc, char **argv)
{
	return app_main(argc, argv, routes);
}
