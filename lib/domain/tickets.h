/*
 * tickets: the ticket model. Every function takes the actor (actor.h),
 * and every query is scoped by its workspace and role through the
 * predicates in authz.h: a ticket, comment or note the actor may not see
 * is never read, counted or searched. Writes record the actor's user (none
 * for a system actor) as the author of what they add.
 */
#ifndef HD_TICKETS_H
#define HD_TICKETS_H

#include <stddef.h>

#include <json-c/json.h>

#include "actor.h"
#include "outcome.h"

enum { ST_NEW = 1, ST_OPEN, ST_PENDING, ST_SOLVED, ST_CLOSED, ST__MAX };
enum { PR_LOW = 1, PR_NORMAL, PR_HIGH, PR_URGENT, PR__MAX };

#define TICKETS_PAGE	25

const char	*status_name(int);
int		 status_parse(const char *);	/* 0 if unknown */
const char	*priority_name(int);
int		 priority_parse(const char *);	/* 0 if unknown */

/*
 * What a ticket's or comment's body was written as (sql/021-mail-in.sql):
 * Markdown typed in our forms, or a mail (mailin.h), whose text is shown
 * as written (mailtext.h) and never read as Markdown, or whose HTML was
 * kept after the allow-list (htmlsan.h).
 */
enum body_format {
	BODY_MARKDOWN	= 0,
	BODY_MAIL_TEXT	= 1,
	BODY_MAIL_HTML	= 2,
};

struct body {
	enum body_format format;
	const char	*text;		/* Markdown, or the mail's text:
					   body either way */
	size_t		 reply_len;	/* BODY_MAIL_TEXT: bytes of the new
					   part; the rest is folded */
	const char	*html;		/* BODY_MAIL_HTML: sanitised */
};

/* In a transaction: opens a ticket for requester_id, and sets its *num
 * and *id. OK, E_INVALID (body past the Markdown limits), E_NOT_FOUND (no
 * such workspace), E_DB. */
enum outcome	 ticket_create(const struct actor *, const char *subject,
		    const char *body, long long requester_id, long long *num,
		    long long *id);
/* The same with a body of any format (a mail's). */
enum outcome	 ticket_create_body(const struct actor *, const char *subject,
		    const struct body *, long long requester_id,
		    long long *num, long long *id);

/*
 * The ticket numbered num, if the caller may see it: OK with *out set
 * (caller frees), E_NOT_FOUND when not (404), E_DB. Its has_attachments
 * is false when no file was ever stored on it (attachments_json would
 * find none).
 */
enum outcome	 ticket_load(const struct actor *, long long num,
		    struct json_object **out);

/* Public comments and, for those who may read them, internal notes, with
 * history events, in time order. NULL on a database error. */
struct json_object *ticket_thread(const struct actor *, long long ticket_id);

/* In a transaction: adds a comment (internal: a note) and sets *id. OK,
 * E_FORBIDDEN (a note without P_NOTE), E_INVALID (past the Markdown
 * limits), E_NOT_FOUND (no such ticket here), E_DB. */
enum outcome	 comment_add(const struct actor *, long long ticket_id,
		    const char *body, int internal, long long *id);
/* The same with a body of any format (a mail's). */
enum outcome	 comment_add_body(const struct actor *, long long ticket_id,
		    const struct body *, int internal, long long *id);

/* A triage change: 0 in a field leaves it as it is. */
struct ticket_change {
	int		 status;
	int		 priority;
	long long	 assignee;	/* -1: unassign */
	const char	*tags;		/* NULL: unchanged */
	const char	*cc;		/* emails from cc_normalize; NULL:
					   unchanged */
};

/* In a transaction: applies ch if the ticket is still at version. OK,
 * E_CONFLICT (another version), E_NOT_FOUND (no such ticket here),
 * E_INVALID (ch->assignee may not be assigned), E_DB. */
enum outcome	 ticket_update(const struct actor *, long long ticket_id,
		    long long version, const struct ticket_change *);

struct queue_filter {
	int		 status;
	int		 priority;
	long long	 assignee;	/* 0 any, -1 unassigned, else user id */
	long long	 requester;	/* 0 any */
	const char	*tag;
	const char	*sort;		/* updated, created, priority */
	const char	*after;		/* keyset cursor: the page after it */
	const char	*before;	/* keyset cursor: the page before it
					   (when after is not given) */
	const char	*q;		/* search text, or NULL */
};

/*
 * One page of visible tickets; *next is the cursor of the next page
 * (after=) or NULL at the end, *prev the cursor of the previous one
 * (before=) or NULL on the first page (caller frees both). A page before
 * a cursor is read in reverse by the same index and shown in order; when
 * fewer than a page's rows are left before it, the first page is shown.
 * NULL on a database error. Filters the caller may not use are ignored
 * (queue_filter_scope). When searching words, each row also has
 * "subject_parts" (search_highlight) and, when its text has a hit near
 * its start, a "snippet" (search_snippet), and *found is how many tickets
 * the search and filters match, counted with the page (-1 otherwise, or
 * when the page is empty: ticket_queue_count then): exact, or, for an
 * agent's search read by week, at most max with *more set past it (as
 * ticket_queue_count's).
 */
struct json_object *ticket_queue(const struct actor *,
		    const struct queue_filter *, char **next, char **prev,
		    long long max, long long *found, int *more);

/*
 * How many tickets the queue's filters and search match (cursors aside),
 * counting at most max + 1 by the queue's own indexes, so that the cost
 * is bounded at any size: *n exact, or *more set when more than max
 * match (*n is then max). An agent's whole queue, or one status of it,
 * is exact at any size (from ticket_counts). A search is counted with
 * its page instead (ticket_queue's *found). 0, or -1 on a database
 * error.
 */
int		 ticket_queue_count(const struct actor *,
		    const struct queue_filter *, long long max, long long *n,
		    int *more);
/*
 * The same count from the status counts the page read already
 * (ticket_counts(a)), without a statement, when the filters (scoped to
 * a) are at most a status: 1 with *n and *more as ticket_queue_count
 * would set them, or 0 when they need ticket_queue_count.
 */
int		 ticket_queue_count_known(const struct actor *,
		    const struct queue_filter *, struct json_object *counts,
		    long long max, long long *n, int *more);

/*
 * text in segments for a page, [{text, hit}], hit true where a word of
 * text starts with a word of the search q (as search_terms has them:
 * prefixes, case-insensitive for Latin, Greek and Cyrillic letters; the
 * marked part is the matched prefix, whole characters). One segment
 * without hits when q has no words or is a ticket number. Concatenated,
 * the segments are text.
 */
struct json_object *search_highlight(const char *text, const char *q);

/*
 * A few words of text around its first hit for the search q, in segments
 * as search_highlight's, with "… " before and " …" after where text was
 * cut; whitespace runs as one space. NULL when nothing in text is a hit.
 * The queue reads the first SNIPPET_FROM characters of a ticket's text
 * for it; a snippet starts SNIPPET_BEFORE bytes before the hit (at a
 * word) and holds at most SNIPPET_BYTES.
 */
#define SNIPPET_FROM	"1000"
/* The text the snippet is found in, as two VARCHAR(500) columns: LEFT()
 * of a MEDIUMTEXT is a BLOB, and so is a string column longer than 512
 * characters in a temporary table; either put the page's 26-row sort
 * into an on-disk (Aria) temporary table, a file a search, and MariaDB
 * 10.11.19 once crashed dropping one under load (bench/notes.md). */
#define SNIPPET_SQL	"CAST(LEFT(t.body, 500) AS CHAR(500))," \
	" CAST(SUBSTRING(t.body, 501, 500) AS CHAR(500))"
#define SNIPPET_BEFORE	60
#define SNIPPET_BYTES	240
struct json_object *search_snippet(const char *text, const char *q);

/* Clears the filters and sort that do not apply to the caller: for a
 * requester, all but status, search and the "updated" or "created" sort,
 * since the rest would tell them what only agents see (authz.h). */
void		 queue_filter_scope(const struct actor *,
		    struct queue_filter *);

/*
 * Search bounds, whatever is typed: at most SEARCH_MAX_WORDS words, each
 * of at least SEARCH_MIN_CHARS characters (InnoDB's default
 * innodb_ft_min_token_size: it indexes no shorter word, and as a prefix
 * one would expand to every term it starts). search_terms returns the
 * InnoDB boolean query ("+refund* +card*"; "" when no word is left;
 * caller frees) and sets *dropped to what it left out; search_dropped
 * says that for a search box's text (0 for a ticket number, "#42").
 */
#define SEARCH_MAX_WORDS	8
#define SEARCH_MIN_CHARS	3
#define SEARCH_SHORT		0x1	/* words too short */
#define SEARCH_MANY		0x2	/* words after the first 8 */
char		*search_terms(const char *, int *dropped);
int		 search_dropped(const char *);

/*
 * The words a search index keeps of one document (a ticket's subject and
 * body, or one comment): each distinct word of SEARCH_MIN_CHARS to
 * SEARCH_INDEX_MAX_CHARS characters (InnoDB's innodb_ft_min/max_token_size),
 * cut where InnoDB FULLTEXT cuts them (wordchar.h, as search_terms reads
 * them), InnoDB's default stopwords left out, once each with ASCII
 * letters folded (other letters are folded by the table's collation). fn
 * gets each word (not NUL-terminated) in folded byte order. Returns how
 * many, or -1 when out of memory. docs/decisions.md "Search index".
 */
#define SEARCH_INDEX_MAX_CHARS	84
int		 search_doc_words(const char *, size_t,
		    void (*)(const char *, size_t, void *), void *);

/* Counts of visible tickets per status: [{status, name, n}]; NULL on a
 * database error. */
struct json_object *ticket_counts(const struct actor *);

/* Whether a's workspace has any ticket a may see (its own or one it is
 * copied on, for those who do not see all): one indexed EXISTS probe,
 * for the first-run guidance of an empty queue. OK and *any, E_DB. */
enum outcome	 ticket_any(const struct actor *, int *any);

/* The members who may be assigned tickets (P_ASSIGNEE: agents and
 * admins), by name: [{ id, name }]; NULL on a database error. Kept per
 * worker for a's workspace version (actor.h; without one, read every
 * time). */
struct json_object *ticket_assignees(const struct actor *);
/* OK when user uid may be assigned tickets of a's workspace, E_NOT_FOUND
 * when not, E_DB. */
enum outcome	 ticket_assignee_ok(const struct actor *, long long uid);

/* Normalises "a, B  c" to "a,b,c" (lower case, unique, at most 10
 * tags of 40 characters); returns NULL when a tag is invalid. */
char		*tags_normalize(const char *);

/*
 * Checks "a@x.org, B@y.org" names members of the workspace: OK with *out
 * "a@x.org,b@y.org" (sorted, unique; caller frees), E_INVALID with *bad
 * the reason when one is not a member or there are more than 20, E_DB.
 */
enum outcome	 cc_normalize(const struct actor *, const char *,
		    char **out, const char **bad);

#endif
