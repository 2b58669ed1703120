#ifndef SEARCHIDX_H
#define SEARCHIDX_H

#include <stddef.h>

#include "outcome.h"

/*
 * searchidx: the search index of our own (sql/025-search-words.sql,
 * docs/decisions.md "Search index"): the distinct words of each document
 * (a ticket's subject and body: doc 0; one comment: its id), cut by
 * search_doc_words as InnoDB FULLTEXT cuts them. Derived data: every
 * write to a document's text rewrites its words in the same transaction
 * (the caller's), deleting a ticket deletes its words (ON DELETE
 * CASCADE), and tools/search-reindex rebuilds it all from the tickets.
 *
 * All answer OK or E_DB / E_DB_UNKNOWN (db_error()), in a transaction.
 */

/*
 * The week an entry is filed under: its ticket's last update, as days
 * since year 0 divided by 7 (sql/029-search-recency.sql). Agents' search
 * reads a word newest week first (lib/domain/queue.c). An entry's week is
 * never older than its ticket's: whatever moves tickets.updated_at calls
 * searchidx_touch in the same transaction.
 */
#define SEARCH_BUCKET_SQL(col)	"(TO_DAYS(" col ") DIV 7)"
#define SEARCH_BUCKET_DAYS	7

/* The words of a new document doc of ticket (workspace ws): documents
 * are never edited, so it has none yet; internal: the document is a
 * note. */
enum outcome	searchidx_put(long long ws, long long ticket, long long doc,
		    int internal, const char *text);

/* After the ticket's updated_at moved: its entries filed under its new
 * week when that is another (one lookup when it is not). */
enum outcome	searchidx_touch(long long ticket);

/* The same for doc 0, whose text is the subject and the body. */
enum outcome	searchidx_put_ticket(long long ws, long long ticket,
		    const char *subject, const char *body);

/* Every document of a ticket again, from its rows (after its text was
 * replaced by erasure or retention). */
enum outcome	searchidx_ticket(long long ticket);

/*
 * Rows for the index gathered for one statement: the rebuild fills a
 * batch of tickets with one INSERT. searchidx_rows_add appends the words
 * of one document; searchidx_rows_flush inserts what was gathered and
 * empties it. -1 when out of memory.
 */
struct searchidx_rows;
struct searchidx_rows *searchidx_rows_new(void);
int		searchidx_rows_add(struct searchidx_rows *, long long ws,
		    long long ticket, long long doc, int internal,
		    const char *text);
size_t		searchidx_rows_count(const struct searchidx_rows *);
enum outcome	searchidx_rows_flush(struct searchidx_rows *);
/* A ticket's words deleted from the index and every document of it
 * gathered again into the rows (the rebuild's step for one ticket; the
 * caller flushes). */
enum outcome	searchidx_add_ticket(struct searchidx_rows *, long long ticket);
void		searchidx_rows_free(struct searchidx_rows *);

/*
 * Whether search may read the index: 1 when it holds every document
 * (a rebuild has completed, or the installation began with it), 0 while
 * an upgrade still waits for its first rebuild (search then uses
 * FULLTEXT), -1 on a database error. Read once per process and kept
 * once 1 (it never goes back but by hand).
 */
int		searchidx_ready(void);

/* Marks the index complete (the rebuild's last step), or not. */
enum outcome	searchidx_set_ready(int ready);

#endif
