/*
 * attachments: GET /w/SLUG/attachments/ID, the bytes of one attachment
 * for someone who may see the message it belongs to. Always a download,
 * typed from an allow-list, under a policy that lets nothing run.
 * Downloads are not audited: far too many, and they change nothing.
 *
 * The file is streamed: the head goes out once attachment_open has
 * allowed it, then the blob a chunk at a time (attachment_send), so a
 * worker never holds more than a chunk of it.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "attachments.h"

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

/* attachment_send's writer: the response body. */
static int
body_write(void *arg, const void *p, size_t n)
{
	return resp_write(arg, p, n);
}

static int
download(struct req *r)
{
	struct attachment_file f;
	enum outcome rc;
	long long id;

	if (parse_int(req_param(r, "id"), 1, LLONG_MAX, &id) == -1)
		return error_page(r, 404, NULL);
	/* Not found, not visible and another workspace's: one answer. */
	if ((rc = attachment_open(&r->actor, id, &f)) != OK)
		return outcome_page(r, rc);
	file_head(r, f.filename, f.content_type);
	/* The head is out: a failure now can only cut the body short. */
	if (resp_begin(r, f.size) == 0 && r->method != M_HEAD)
		attachment_send(&r->actor, id, &f, body_write, r);
	attachment_close(&f);
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
