#include <stdio.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "config.h"
#include "crypto.h"
#include "mail.h"
#include "mime.h"
#include "msgid.h"
#include "parse.h"

/* The body of each part as quoted-printable under its content type. */
static void
part(struct buf *b, const char *boundary, const char *type, const char *text)
{
	buf_printf(b, "--%s\r\n", boundary);
	buf_printf(b, "Content-Type: %s; charset=UTF-8\r\n", type);
	buf_puts(b, "Content-Transfer-Encoding: quoted-printable\r\n\r\n");
	mime_qp(b, text);
}

static int
headers(const struct mail *m, time_t now, struct buf *b, const char *msgid,
    const char **why)
{
	char thread[MSGID_MAX], reply[MIME_ADDR_MAX + 1];
	int rc;

	mime_header_date(b, now);
	if (mime_header_addr(b, "From", cfg.mail_from_name, cfg.mail_from)) {
		*why = "mail_from is not one plain address";
		return -1;
	}
	if (mime_header_addr(b, "To", m->to_name, m->to_addr)) {
		*why = "the recipient's name or address is not allowed in a header";
		return -1;
	}
	if (mime_header_text(b, "Subject", m->subject)) {
		*why = "the subject is not allowed in a header";
		return -1;
	}
	/* An id cannot be folded inside: each goes on a line of its own. */
	buf_printf(b, "Message-ID:\r\n %s\r\n", msgid);
	if (m->ticket > 0) {
		if (msgid_thread(m->ws, m->ticket, thread, sizeof(thread))) {
			*why = "no thread id";
			return -1;
		}
		buf_printf(b, "In-Reply-To:\r\n %s\r\n", thread);
		buf_printf(b, "References:\r\n %s\r\n", thread);
	}
	if ((rc = msgid_reply_to(m->ws, m->ticket, reply, sizeof(reply))) == -1) {
		*why = "mail_reply_to does not make an address";
		return -1;
	}
	if (rc == 0)
		mime_header_addr(b, "Reply-To", "", reply);
	/* RFC 3834: no vacation or out-of-office replies to this. */
	buf_puts(b, "Auto-Submitted: auto-generated\r\n");
	buf_puts(b, "X-Auto-Response-Suppress: All\r\n");
	buf_puts(b, "MIME-Version: 1.0\r\n");
	return 0;
}

int
mail_compose(const struct mail *m, time_t now, struct buf *out, char *msgid,
    const char **why)
{
	struct buf b = BUF_INIT;
	unsigned char r[12];
	char boundary[64], hex[25];

	*why = NULL;
	if (!utf8_valid(m->text, strlen(m->text)) ||
	    !utf8_valid(m->html, strlen(m->html))) {
		*why = "the body is not UTF-8";
		return -1;
	}
	if (msgid_new(m->ws, m->ticket, msgid, MSGID_MAX) == -1) {
		*why = "base_url or mail_secret is not set";
		return -1;
	}
	if (headers(m, now, &b, msgid, why) == -1)
		goto err;
	/* Quoted-printable writes "=" as "=3D", so a boundary that starts
	 * with "=_" can never occur in a part. */
	random_bytes(r, sizeof(r));
	hex_encode(r, sizeof(r), hex);
	snprintf(boundary, sizeof(boundary), "=_hd_%s", hex);
	buf_printf(&b, "Content-Type: multipart/alternative;\r\n"
	    " boundary=\"%s\"\r\n\r\n", boundary);
	part(&b, boundary, "text/plain", m->text);
	part(&b, boundary, "text/html", m->html);
	buf_printf(&b, "--%s--\r\n", boundary);
	buf_add(out, b.data, b.len);
	buf_free(&b);
	return 0;
err:
	buf_free(&b);
	return -1;
}
