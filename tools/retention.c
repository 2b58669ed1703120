/*
 * retention: applies what each workspace keeps (lib/domain/retention.h)
 * and the install's own retention (the retention_* keys, INSTALL), then
 * exits. Installed as helpdesk-retention; run daily by a systemd timer
 * (dist/helpdesk-retention.timer) or cron.
 *
 *	helpdesk-retention [--dry-run]
 *
 * Work goes in batches of retention_batch rows, each its own short
 * transaction, so no table the web programs write is locked for longer
 * than one batch. A pass that is stopped (SIGTERM, a lost database) has
 * committed whole batches only; the next pass goes on from there, and a
 * pass with nothing to do changes nothing. --dry-run prints what a pass
 * would do, per workspace and kind, and changes nothing.
 *
 * Prints one line per workspace and kind: "SLUG<TAB>KIND<TAB>N" (the
 * install's own data under "-"). Acts as the program "retention": the
 * history and audit rows it writes say so.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "actor.h"
#include "audit.h"
#include "config.h"
#include "db.h"
#include "log.h"
#include "retention.h"
#include "util.h"

/* A batch that meets a deadlock or a lock wait is tried again. */
#define TRIES		3
#define ER_LOCK_WAIT	1205
#define ER_DEADLOCK	1213

static volatile sig_atomic_t stopping;
static int dry_run;

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

/* One batch in its own transaction: OK with *n, or the failure. */
static enum outcome
batch(const struct actor *a, enum ret_kind k, const struct retention *r,
    long long *cursor, long long *n)
{
	enum outcome rc = E_DB;
	long long c;
	int t;

	for (t = 0; t < TRIES; t++) {
		c = *cursor;
		if (db_begin() == -1)
			return db_error();
		if ((rc = retention_step(a, k, r, cfg.retention_batch, &c,
		    n)) == OK) {
			if (db_commit() == -1)
				return db_error();
			*cursor = c;
			return OK;
		}
		db_rollback();
		if (db_errno() != ER_DEADLOCK && db_errno() != ER_LOCK_WAIT)
			break;
	}
	return rc;
}

/* Kinds whose steps write no audit row per row: one row says how the
 * pass purged them. */
static int
purge_kind(enum ret_kind k)
{
	return k != RK_CLOSE && k != RK_CLOSED && k != RK_UNCONFIRMED;
}

/* One kind of one workspace (or of the install): -1 on a failure. */
static int
run_kind(const struct actor *a, const char *slug, enum ret_kind k,
    const struct retention *r)
{
	long long total = 0, n, cursor = 0;
	struct timespec t0, t1;
	enum outcome rc;

	if (dry_run) {
		if ((rc = retention_count(a, k, r, &total)) != OK)
			goto err;
		printf("%s\t%s\t%lld\n", slug, ret_kind_name(k, r), total);
		return 0;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	do {
		if (stopping)
			break;
		if ((rc = batch(a, k, r, &cursor, &n)) != OK)
			goto err;
		total += n;
	} while (n > 0);
	if (total > 0 && purge_kind(k) && (db_begin() == -1 ||
	    audit(a, a->ws_id, 0, "retention.purge", ret_kind_name(k, r),
	    0) != OK || db_commit() == -1)) {
		db_rollback();
		log_err("retention: %s %s: done, but its audit row failed",
		    slug, ret_kind_name(k, r));
	}
	printf("%s\t%s\t%lld\n", slug, ret_kind_name(k, r), total);
	fflush(stdout);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (total > 0)
		log_info("retention: %s %s: %lld in %.1f s", slug,
		    ret_kind_name(k, r), total, seconds(&t0, &t1));
	return 0;
err:
	log_err("retention: %s %s: the database failed (%u); what was "
	    "committed stays, the next pass goes on", slug,
	    ret_kind_name(k, r), db_errno());
	return -1;
}

/* Every workspace, in id order (a keyset: workspaces made meanwhile are
 * met or left for the next pass). */
static int
workspaces(struct actor *a)
{
	struct retention own, eff;
	struct dbres *res;
	long long after = 0, id = 0;
	char slug[64];
	enum ret_kind k;
	int rc, failed = 0;

	for (;;) {
		if (stopping)
			return failed;
		if ((res = db_query("SELECT id, slug FROM workspaces WHERE"
		    " id > ? ORDER BY id LIMIT 1", "i", after)) == NULL)
			return -1;
		if ((rc = db_next(res)) == 1) {
			id = db_int(res, 0);
			snprintf(slug, sizeof(slug), "%s", db_str(res, 1));
		}
		db_free(res);
		if (rc == 0)
			return failed;
		if (rc == -1)
			return -1;
		after = id;
		if (ws_retention(id, &own, &eff) != OK)
			return -1;
		actor_workspace(a, id, slug, ROLE_NONE);
		for (k = 0; k < RK_FIRST_GLOBAL; k++)
			if (run_kind(a, slug, k, &eff) == -1)
				failed = -1;
	}
}

static void
usage(void)
{
	fprintf(stderr, "usage: retention [--dry-run]\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	struct sigaction sa;
	struct actor a;
	struct timespec t0, t1;
	enum ret_kind k;
	int rc = 0;

	if (argc == 2 && strcmp(argv[1], "--dry-run") == 0)
		dry_run = 1;
	else if (argc != 1)
		usage();
	if (config_load() == -1) {
		fprintf(stderr, "retention: not started: fix the "
		    "configuration\n");
		return 1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	clock_gettime(CLOCK_MONOTONIC, &t0);

	actor_system(&a, "retention", NULL);
	if (dry_run)
		printf("# dry run: nothing is changed\n");
	if (workspaces(&a) == -1)
		rc = 1;
	actor_workspace(&a, 0, NULL, ROLE_NONE);
	for (k = RK_FIRST_GLOBAL; k < RK__MAX && !stopping; k++)
		if (run_kind(&a, "-", k, NULL) == -1)
			rc = 1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	log_info("retention: %s in %.1f s%s", dry_run ? "dry run" : "pass",
	    seconds(&t0, &t1),
	    stopping ? " (stopped)" : rc ? " (with failures)" : "");
	db_close();
	return rc;
}
