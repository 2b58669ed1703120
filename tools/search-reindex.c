/*
 * search-reindex: rebuilds the search index (lib/domain/searchidx.h,
 * sql/025-search-words.sql) from the tickets and their comments, then
 * marks it complete so that search reads it instead of FULLTEXT.
 * Installed as helpdesk-search-reindex; run once after the upgrade that
 * brings migration 025 (INSTALL), and again whenever the index is in
 * doubt. Safe beside the live programs.
 *
 *	helpdesk-search-reindex [WORKSPACE-SLUG]
 *
 * Tickets go in id order in batches of BATCH, each batch its own short
 * transaction: every ticket's words are deleted and written again from
 * its rows, read by locking reads (searchidx_add_ticket), so a reply
 * written at the same time is either read by the batch or waits for it,
 * and a batch that meets a deadlock runs again. It never reads the live
 * index in one long statement (INSERT ... SELECT from it held locks long
 * enough for a concurrent reply to time out: bench/notes.md). A run that
 * is stopped (SIGTERM, a lost database) keeps the batches it committed
 * and leaves the index as it was marked; the next run starts over.
 *
 * With a workspace's slug, only its tickets, and the mark is left alone
 * (a complete index needs every workspace). Prints "tickets N words M
 * seconds S" at the end.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "db.h"
#include "log.h"
#include "searchidx.h"
#include "util.h"

/* Tickets per transaction: ~150 words each, one INSERT of some 30,000
 * rows (about 1.5 MB of JSON, well under max_allowed_packet). */
#define BATCH	200

static volatile sig_atomic_t stopping;

static void
on_signal(int sig)
{
	(void)sig;
	stopping = 1;
}

static double
seconds(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) +
	    (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

/* The ids of the next batch after *after (workspace ws, 0: all) into
 * ids: how many, or -1. */
static int
next_ids(long long ws, long long after, long long *ids)
{
	struct dbres *res;
	int n = 0, rc = 0;

	if (ws)
		res = db_query("SELECT id FROM tickets WHERE workspace_id = ?"
		    " AND id > ? ORDER BY id LIMIT ?", "iii", ws, after,
		    (long long)BATCH);
	else
		res = db_query("SELECT id FROM tickets WHERE id > ?"
		    " ORDER BY id LIMIT ?", "ii", after, (long long)BATCH);
	if (res == NULL)
		return -1;
	while (n < BATCH && (rc = db_next(res)) == 1)
		ids[n++] = db_int(res, 0);
	db_free(res);
	return rc == -1 ? -1 : n;
}

/* One batch in its own transaction, run again after a conflict. */
static enum outcome
batch(const long long *ids, int n, size_t *words)
{
	struct searchidx_rows *r;
	enum outcome rc;
	int i, attempt = 0;

	db_retry_start();
	do {
		r = searchidx_rows_new();
		rc = db_begin() == -1 ? db_error() : OK;
		for (i = 0; i < n && rc == OK; i++)
			rc = searchidx_add_ticket(r, ids[i]);
		*words = searchidx_rows_count(r);
		if (rc == OK)
			rc = searchidx_rows_flush(r);
		if (rc == OK && db_commit() == -1)
			rc = db_error();
		if (rc != OK)
			db_rollback();
		searchidx_rows_free(r);
	} while (rc != OK && db_retry(&attempt));
	return rc;
}

static long long
workspace_id(const char *slug)
{
	long long id = db_scalar("SELECT id FROM workspaces WHERE slug = ?",
	    "s", slug);

	if (id == -1 && !db_failed())
		fprintf(stderr, "search-reindex: no workspace \"%s\"\n", slug);
	return id;
}

int
main(int argc, char **argv)
{
	struct sigaction sa;
	struct timespec t0, t1;
	long long ids[BATCH], ws = 0, after = 0, tickets = 0, words = 0;
	size_t w;
	int n = 0;

	if (argc > 2 || (argc == 2 && argv[1][0] == '-')) {
		fprintf(stderr, "usage: search-reindex [WORKSPACE-SLUG]\n");
		return 2;
	}
	if (config_load() == -1) {
		fprintf(stderr, "search-reindex: not started: fix the "
		    "configuration\n");
		return 1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	if (argc == 2 && (ws = workspace_id(argv[1])) == -1)
		return 1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (!stopping && (n = next_ids(ws, after, ids)) > 0) {
		if (batch(ids, n, &w) != OK)
			goto err;
		tickets += n;
		words += (long long)w;
		after = ids[n - 1];
	}
	if (n == -1 && !stopping)
		goto err;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (stopping) {
		log_info("search-reindex: stopped after %lld tickets", tickets);
		db_close();
		return 1;
	}
	if (ws == 0 && searchidx_set_ready(1) != OK)
		goto err;
	printf("tickets %lld words %lld seconds %.1f\n", tickets, words,
	    seconds(&t0, &t1));
	log_info("search-reindex: %lld tickets, %lld words in %.1f s%s",
	    tickets, words, seconds(&t0, &t1), ws ? " (one workspace)" :
	    ", search reads the index");
	db_close();
	return 0;
err:
	log_err("search-reindex: the database failed (%u) after %lld "
	    "tickets; what was committed stays, run it again", db_errno(),
	    tickets);
	db_close();
	return 1;
}
