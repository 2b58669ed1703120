/*
 * searchidx: the search index's writes (searchidx.h). A document's words
 * go in as one INSERT whatever their number: the rows travel as one JSON
 * array that JSON_TABLE turns back into rows, so the statement is
 * constant (one prepared statement, one round trip) and no list of
 * placeholders caps a document's words.
 */
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "log.h"
#include "searchidx.h"
#include "tickets.h"
#include "util.h"

/* Two spellings the collation calls equal ("café", "cafe") are one row:
 * the duplicate key is expected and keeps the row. The week of each
 * entry is its ticket's, read from the ticket's row (sql/029). */
#define INSERT_ROWS \
	"INSERT INTO search_words (ticket_id, word, doc_id, workspace_id," \
	" internal, bucket) SELECT j.t, j.w, j.d, j.ws, j.i," \
	" " SEARCH_BUCKET_SQL("tk.updated_at") " FROM JSON_TABLE(?," \
	" '$[*]' COLUMNS (t BIGINT UNSIGNED PATH '$[0]'," \
	" d BIGINT UNSIGNED PATH '$[1]', ws BIGINT UNSIGNED PATH '$[2]'," \
	" i TINYINT PATH '$[3]'," \
	" w VARCHAR(84) CHARACTER SET utf8mb4 PATH '$[4]')) j" \
	" JOIN tickets tk ON tk.id = j.t" \
	" ON DUPLICATE KEY UPDATE internal = VALUES(internal)"

struct searchidx_rows {
	struct json_object	*rows;
	size_t			 n;
	/* the document being added, for add_word */
	long long		 ws, ticket, doc;
	int			 internal;
};

struct searchidx_rows *
searchidx_rows_new(void)
{
	struct searchidx_rows *r = xcalloc(1, sizeof(*r));

	r->rows = json_object_new_array();
	return r;
}

void
searchidx_rows_free(struct searchidx_rows *r)
{
	if (r == NULL)
		return;
	json_object_put(r->rows);
	free(r);
}

size_t
searchidx_rows_count(const struct searchidx_rows *r)
{
	return r->n;
}

/* One word (n bytes, not NUL-terminated) of the current document; ASCII
 * lower-cased, as FULLTEXT keeps its words (the collation folds the
 * rest when read). */
static void
add_word(const char *w, size_t n, void *arg)
{
	struct searchidx_rows *r = arg;
	struct json_object *row = json_object_new_array();
	char word[SEARCH_INDEX_MAX_CHARS * 4 + 1];
	size_t i;

	/* search_doc_words gives at most 84 characters of at most 4
	 * bytes each. */
	if (n >= sizeof(word))
		n = sizeof(word) - 1;
	for (i = 0; i < n; i++)
		word[i] = w[i] >= 'A' && w[i] <= 'Z' ? w[i] + 32 : w[i];
	word[n] = '\0';
	json_object_array_add(row, json_object_new_int64(r->ticket));
	json_object_array_add(row, json_object_new_int64(r->doc));
	json_object_array_add(row, json_object_new_int64(r->ws));
	json_object_array_add(row, json_object_new_int(r->internal));
	json_object_array_add(row, json_object_new_string_len(word, (int)n));
	json_object_array_add(r->rows, row);
	r->n++;
}

int
searchidx_rows_add(struct searchidx_rows *r, long long ws, long long ticket,
    long long doc, int internal, const char *text)
{
	r->ws = ws;
	r->ticket = ticket;
	r->doc = doc;
	r->internal = internal != 0;
	if (text == NULL)
		return 0;
	return search_doc_words(text, strlen(text), add_word, r) == -1 ?
	    -1 : 0;
}

enum outcome
searchidx_rows_flush(struct searchidx_rows *r)
{
	long long rc;

	if (r->n == 0)
		return OK;
	rc = db_exec(INSERT_ROWS, "s", json_object_to_json_string_ext(r->rows,
	    JSON_C_TO_STRING_PLAIN));
	json_object_put(r->rows);
	r->rows = json_object_new_array();
	r->n = 0;
	return rc == -1 ? db_error() : OK;
}

enum outcome
searchidx_put(long long ws, long long ticket, long long doc, int internal,
    const char *text)
{
	struct searchidx_rows *r;
	enum outcome rc;

	/*
	 * No DELETE first: a document is never edited, so a new one has no
	 * words yet (erasure and retention rewrite the whole ticket:
	 * searchidx_ticket). A DELETE by (ticket_id, doc_id) reads and
	 * locks every entry of the ticket (the key is ticket_id, word,
	 * doc_id): on the bench's ticket taking every reply, adding a
	 * comment fell from 1,132 to 152 a second as the ticket grew.
	 */
	r = searchidx_rows_new();
	if (searchidx_rows_add(r, ws, ticket, doc, internal, text) == -1) {
		log_err("searchidx: out of memory");
		rc = E_DB;
	} else
		rc = searchidx_rows_flush(r);
	searchidx_rows_free(r);
	return rc;
}

/* Subject and body as one text; a line break keeps their words apart,
 * as FULLTEXT keeps its columns'. */
static char *
ticket_text(const char *subject, const char *body)
{
	size_t ns = subject ? strlen(subject) : 0, nb = body ? strlen(body) : 0;
	char *t = xmalloc(ns + nb + 2);

	memcpy(t, subject ? subject : "", ns);
	t[ns] = '\n';
	memcpy(t + ns + 1, body ? body : "", nb);
	t[ns + nb + 1] = '\0';
	return t;
}

enum outcome
searchidx_put_ticket(long long ws, long long ticket, const char *subject,
    const char *body)
{
	char *t = ticket_text(subject, body);
	enum outcome rc;

	rc = searchidx_put(ws, ticket, 0, 0, t);
	free(t);
	return rc;
}

/*
 * A ticket's words deleted and every document of it gathered again into
 * r: its row first, by a locking read, which waits for a reply being
 * written to it (comment_add locks the ticket first) and so serialises
 * the two; then its comments, by locking reads too (the newest committed
 * rows, whatever the transaction's snapshot), so that no reply committed
 * meanwhile is lost.
 */
enum outcome
searchidx_add_ticket(struct searchidx_rows *r, long long ticket)
{
	struct dbres *res;
	enum outcome rc = OK;
	char *t = NULL;
	long long ws = 0;
	int n;

	if ((res = db_query("SELECT workspace_id, subject, body FROM tickets"
	    " WHERE id = ? LOCK IN SHARE MODE", "i", ticket)) == NULL)
		return db_error();
	if ((n = db_next(res)) == 1) {
		ws = db_int(res, 0);
		t = ticket_text(db_str(res, 1), db_str(res, 2));
	}
	db_free(res);
	if (n == -1)
		return db_error();
	if (db_exec("DELETE FROM search_words WHERE ticket_id = ?", "i",
	    ticket) == -1) {
		free(t);
		return db_error();
	}
	if (n == 0)
		return OK;	/* deleted meanwhile: nothing to find */
	n = searchidx_rows_add(r, ws, ticket, 0, 0, t);
	free(t);
	if (n == -1)
		return E_DB;
	if ((res = db_query("SELECT workspace_id, id, internal, body FROM"
	    " comments WHERE ticket_id = ? LOCK IN SHARE MODE", "i",
	    ticket)) == NULL)
		return db_error();
	while (rc == OK && (n = db_next(res)) == 1)
		if (searchidx_rows_add(r, db_int(res, 0), ticket,
		    db_int(res, 1), (int)db_int(res, 2), db_str(res, 3)) == -1)
			rc = E_DB;
	db_free(res);
	if (rc == OK && n == -1)
		rc = db_error();
	return rc;
}

enum outcome
searchidx_ticket(long long ticket)
{
	struct searchidx_rows *r = searchidx_rows_new();
	enum outcome rc;

	if ((rc = searchidx_add_ticket(r, ticket)) == OK)
		rc = searchidx_rows_flush(r);
	searchidx_rows_free(r);
	return rc;
}

enum outcome
searchidx_touch(long long ticket)
{
	long long stale;

	/* Every entry of a ticket has the same week: one tells. */
	stale = db_scalar("SELECT (SELECT w.bucket FROM search_words w WHERE"
	    " w.ticket_id = t.id LIMIT 1) <> " SEARCH_BUCKET_SQL("t.updated_at")
	    " FROM tickets t WHERE t.id = ?", "i", ticket);
	if (stale == -1 && db_failed())
		return db_error();
	if (stale != 1)
		return OK;	/* the same week, or no words */
	if (db_exec("UPDATE search_words w JOIN tickets t ON t.id = w.ticket_id"
	    " SET w.bucket = " SEARCH_BUCKET_SQL("t.updated_at")
	    " WHERE w.ticket_id = ?", "i", ticket) == -1)
		return db_error();
	return OK;
}

static int ready;

int
searchidx_ready(void)
{
	long long v;

	if (ready)
		return 1;
	v = db_scalar("SELECT complete FROM search_state WHERE id = 1", "");
	if (v == -1)
		return db_failed() ? -1 : 0;
	ready = v == 1;
	return ready;
}

enum outcome
searchidx_set_ready(int on)
{
	if (db_exec("UPDATE search_state SET complete = ? WHERE id = 1", "i",
	    (long long)(on != 0)) == -1)
		return db_error();
	ready = on != 0;
	return OK;
}
