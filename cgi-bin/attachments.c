/*
 * attachments: GET /w/SLUG/attachments/ID, the bytes of one attachment
 * for someone who may see the message it belongs to. Always a download,
 * typed from an allow-list, under a policy that lets nothing run.
 * Downloads are not audited: far too many, and they change nothing.
 */
#include <limits.h>
#include <stdlib.h>

#include "app.h"
#include "attachments.h"

/*
 * One query decides: an id from another workspace, on a ticket the caller
 * may not see, or on a note they may not read is simply not found, the
 * same page as an id that never existed.
 */
#define DOWNLOAD_SQL \
	"SELECT a.filename, a.content_type, b.data FROM attachments a" \
	" JOIN tickets t ON t.id = a.ticket_id" \
	"  AND t.workspace_id = a.workspace_id" \
	" JOIN blobs b ON b.sha256 = a.sha256" \
	" LEFT JOIN comments c ON c.id = a.comment_id" \
	"  AND c.ticket_id = a.ticket_id" \
	" WHERE a.id = ? AND a.workspace_id = ? AND" \
	AUTHZ_TICKET_VISIBLE("t") \
	" AND (a.comment_id IS NULL OR (c.id IS NOT NULL AND" \
	AUTHZ_COMMENT_VISIBLE("c") "))"

static void
send_file(struct req *r, const char *stored_name, const char *stored_type,
    const char *data, size_t len)
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
	buf_reset(&r->body);
	buf_add(&r->body, data, len);
	r->status = 200;
	r->content_type = content_type_safe(stored_type);
	r->csp = "default-src 'none'; sandbox";
}

static int
download(struct req *r)
{
	struct dbres *res;
	long long id;

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
	send_file(r, db_str(res, 0), db_str(res, 1), db_str(res, 2),
	    db_len(res, 2));
	db_free(res);
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
