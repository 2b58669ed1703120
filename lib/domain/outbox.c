#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "db.h"
#include "mail.h"
#include "outbox.h"
#include "util.h"

#define BACKOFF_MIN	60
#define BACKOFF_MAX	3600
#define ERROR_MAX	500	/* bytes of last_error kept */

static int
kind_ok(const char *k)
{
	size_t n = strlen(k);

	return n > 0 && n <= 32 &&
	    strspn(k, "abcdefghijklmnopqrstuvwxyz0123456789._") == n;
}

enum outcome
outbox_add(const char *kind, const struct mail *m, long long *id,
    const char **why)
{
	struct buf msg = BUF_INIT;
	char msgid[MSGID_MAX];
	enum outcome rc = E_INVALID;

	*id = 0;
	*why = NULL;
	if (!kind_ok(kind)) {
		*why = "unknown kind of mail";
		goto out;
	}
	if (mail_compose(m, time(NULL), &msg, msgid, why) == -1)
		goto out;
	if (db_exec("INSERT INTO outbox (workspace_id, ticket_id, kind, "
	    "to_addr, to_name, subject, message_id, message, created_at, "
	    "next_attempt_at) VALUES (NULLIF(?, 0), NULLIF(?, 0), ?, ?, ?, "
	    "?, ?, ?, NOW(), NOW())", "iisssssb", m->ws, m->ticket, kind,
	    m->to_addr, m->to_name, m->subject, msgid, msg.data, msg.len) != 1) {
		rc = db_error();
		goto out;
	}
	*id = db_insert_id();
	rc = OK;
out:
	buf_free(&msg);
	return rc;
}

void
outbox_free(struct outmsg *msgs, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		free(msgs[i].to_addr);
		free(msgs[i].message);
	}
	free(msgs);
}

int
outbox_claim(const char *who, int max, long long lease, struct outmsg **out)
{
	struct dbres *r;
	struct outmsg *msgs;
	int n = 0, rc = 0;

	*out = NULL;
	/* One statement: the rows it takes are locked until it commits, so
	 * a second mailer's claim sees them claimed and skips them. A claim
	 * whose lease ran out (its mailer died) is due again. */
	if (db_exec("UPDATE outbox SET claimed_by = ?, claimed_until = "
	    "NOW() + INTERVAL ? SECOND, attempts = attempts + 1 "
	    "WHERE sent_at IS NULL AND failed_at IS NULL "
	    "AND next_attempt_at <= NOW() "
	    "AND (claimed_until IS NULL OR claimed_until < NOW()) "
	    "ORDER BY next_attempt_at, id LIMIT ?", "sii", who, lease,
	    (long long)max) == -1)
		return -1;
	if ((r = db_query("SELECT id, to_addr, message, attempts, "
	    "TIMESTAMPDIFF(SECOND, created_at, NOW()) FROM outbox "
	    "WHERE claimed_by = ? AND sent_at IS NULL AND failed_at IS NULL "
	    "ORDER BY next_attempt_at, id", "s", who)) == NULL)
		return -1;
	msgs = xcalloc((size_t)max, sizeof(*msgs));
	while (n < max && (rc = db_next(r)) == 1) {
		struct outmsg *m = &msgs[n++];

		m->id = db_int(r, 0);
		m->to_addr = xstrdup(db_str(r, 1));
		m->len = db_len(r, 2);
		m->message = xstrndup(db_str(r, 2), m->len);
		m->attempts = db_int(r, 3);
		m->age = db_int(r, 4);
	}
	db_free(r);
	if (rc == -1) {			/* a short batch is no batch */
		outbox_free(msgs, n);
		return -1;
	}
	*out = msgs;
	return n;
}

int
outbox_sent(long long id, const char *who)
{
	long long n;

	n = db_exec("UPDATE outbox SET sent_at = NOW(), claimed_by = NULL, "
	    "claimed_until = NULL WHERE id = ? AND claimed_by = ? "
	    "AND sent_at IS NULL", "is", id, who);
	return n < 0 ? -1 : n > 0;
}

long long
outbox_backoff(long long attempts)
{
	long long d = BACKOFF_MIN;

	while (--attempts > 0 && d < BACKOFF_MAX)
		d *= 2;
	return d < BACKOFF_MAX ? d : BACKOFF_MAX;
}

int
outbox_failed(const struct outmsg *m, const char *who, const char *error,
    long long give_up_after, int *gave_up)
{
	char err[ERROR_MAX + 1], *p;
	long long n;

	/* Kept printable: it is shown to admins and written to logs. */
	snprintf(err, sizeof(err), "%s", error);
	for (p = err; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || (unsigned char)*p > 0x7e)
			*p = '?';
	*gave_up = m->age >= give_up_after;
	if (*gave_up)
		n = db_exec("UPDATE outbox SET failed_at = NOW(), "
		    "last_error = ?, claimed_by = NULL, claimed_until = NULL "
		    "WHERE id = ? AND claimed_by = ? AND sent_at IS NULL",
		    "sis", err, m->id, who);
	else
		n = db_exec("UPDATE outbox SET next_attempt_at = NOW() + "
		    "INTERVAL ? SECOND, last_error = ?, claimed_by = NULL, "
		    "claimed_until = NULL WHERE id = ? AND claimed_by = ? "
		    "AND sent_at IS NULL", "isis", outbox_backoff(m->attempts),
		    err, m->id, who);
	return n < 0 ? -1 : n > 0;
}

int
outbox_release(long long id, const char *who)
{
	long long n;

	/* Untried: the attempt it was counted as is given back. */
	n = db_exec("UPDATE outbox SET claimed_by = NULL, claimed_until = NULL, "
	    "attempts = attempts - 1 WHERE id = ? AND claimed_by = ? "
	    "AND sent_at IS NULL", "is", id, who);
	return n < 0 ? -1 : n > 0;
}

struct json_object *
outbox_failures(long long ws_id, long long before, int n, long long *older)
{
	struct json_object *rows;
	struct dbres *res;

	*older = 0;
	res = db_query("SELECT id, to_addr, subject, kind, attempts,"
	    " COALESCE(last_error, '') AS last_error,"
	    " DATE_FORMAT(created_at, '%Y-%m-%d %H:%i:%s') AS created,"
	    " DATE_FORMAT(failed_at, '%Y-%m-%d %H:%i:%s') AS failed"
	    " FROM outbox WHERE workspace_id = ? AND failed_at IS NOT NULL"
	    " AND id < ? ORDER BY id DESC LIMIT ?", "iii", ws_id, before,
	    (long long)n + 1);
	if (res == NULL)
		return NULL;
	rows = db_page_json(res, n, older);
	db_free(res);
	return rows;
}
