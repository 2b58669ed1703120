/*
 * stmt_lifetime: lib/db against the stack's real MariaDB, meant to run
 * under valgrind (the statement handles live inside libmariadb, where
 * AddressSanitizer sees nothing). HELPDESK_CONFIG names the stack's
 * config. Exits non-zero when a check fails; valgrind's own exit code
 * reports invalid accesses.
 *
 * Each case keeps a result open across something that once closed its
 * statement under it: the statement cache filling up, the connection
 * dropping, the same SQL run again while its first result is open.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <mysql.h>

#include "config.h"
#include "db.h"

/* Far more distinct statements than any cache slot count. */
#define DISTINCT	1100

static int failures;

static void
check(int ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "stmt_lifetime: FAILED: %s\n", what);
		failures++;
	}
}

/* An open result of two rows, 7 and 8. */
static struct dbres *
open_result(void)
{
	return db_query("SELECT ? AS v UNION ALL SELECT ?", "ii", 7LL, 8LL);
}

/* Reads the rest of r (expecting 7 then 8) and frees it. */
static void
finish_result(struct dbres *r, const char *what)
{
	check(r != NULL, what);
	if (r == NULL)
		return;
	check(db_next(r) == 1 && db_int(r, 0) == 7, what);
	check(db_next(r) == 1 && db_int(r, 0) == 8, what);
	check(db_next(r) == 0, what);
	db_free(r);
}

/* (a) Many distinct statements, constant-style and assembled, while a
 * result is open. */
static void
cache_fills(void)
{
	struct dbres *open = open_result(), *r;
	char sql[64];
	int i;

	for (i = 0; i < DISTINCT; i++) {
		struct dbargs *a = dbargs_new();

		snprintf(sql, sizeof(sql), "SELECT ? + %d", i);
		check(db_scalar(sql, "i", 1LL) == i + 1, "db_scalar while open");
		snprintf(sql, sizeof(sql), "SELECT ? - %d", i);
		dbargs_int(a, 1LL);
		r = db_query_args(sql, a);
		check(r != NULL && db_next(r) == 1 && db_int(r, 0) == 1 - i,
		    "db_query_args while open");
		db_free(r);
		dbargs_free(a);
	}
	finish_result(open, "result open while the cache filled");
}

/* The connection's id, then killed from a connection of our own. */
static void
kill_connection(void)
{
	long long id = db_scalar("SELECT CONNECTION_ID()", "");
	MYSQL *k = mysql_init(NULL);
	char q[64];

	check(id > 0, "connection id");
	if (mysql_real_connect(k, NULL, cfg.db_user, cfg.db_password,
	    cfg.db_name, 0, cfg.db_socket, 0) == NULL) {
		fprintf(stderr, "stmt_lifetime: %s\n", mysql_error(k));
		exit(2);
	}
	snprintf(q, sizeof(q), "KILL CONNECTION %lld", id);
	check(mysql_query(k, q) == 0, "KILL");
	mysql_close(k);
}

/* (b) A result open, the connection killed, another statement (which
 * finds the connection gone and reconnects), then the result read. */
static void
connection_drops(void)
{
	struct dbres *open = open_result();

	/* Prepared before, so that it fails at execute, not at prepare. */
	check(db_scalar("SELECT 40 + ?", "i", 1LL) == 41, "a read");
	kill_connection();
	/* A read outside a transaction is retried on a new connection. */
	check(db_scalar("SELECT 40 + ?", "i", 2LL) == 42,
	    "a read after the connection dropped");
	finish_result(open, "result open while the connection dropped");
}

/* (c) The same SQL while its first result is still open. */
static void
nested_same_sql(void)
{
	struct dbres *a = open_result(), *b = open_result();

	finish_result(b, "inner result of the same SQL");
	finish_result(a, "outer result of the same SQL");
}

/* (d) Two results open when the connection drops, freed in either
 * order, and db_close() with a result open. */
static void
close_with_results_open(void)
{
	struct dbres *a = open_result(), *b;

	b = db_query("SELECT 1 AS one UNION ALL SELECT 2", "");
	kill_connection();
	check(db_scalar("SELECT 1", "") == 1, "a read after the drop");
	db_free(b);
	finish_result(a, "result open across a drop");
	a = open_result();
	db_close();
	finish_result(a, "result open across db_close()");
}

/* (e) What is retried after the link drops, and what is not. */
static void
retry_policy(void)
{
	check(db_exec("DO ?", "i", 1LL) == 0, "a statement");
	kill_connection();
	/*
	 * The server closed the link while it was idle (a restart, a
	 * cluster node gone): that is seen before anything is sent, so
	 * even a write goes to a new connection. (A write whose answer is
	 * lost after it was sent fails as unknown and is not sent again:
	 * tests/faults/lost-writes.test.js breaks the link in between
	 * through a proxy.) The kill takes effect a moment after KILL
	 * answers.
	 */
	usleep(200 * 1000);
	check(db_exec("DO ?", "i", 1LL) == 0 && !db_outcome_unknown(),
	    "a write after the idle link was closed goes to a new one");
	check(db_exec("DO ?", "i", 2LL) == 0 && !db_outcome_unknown(),
	    "the next call works too");

	check(db_begin() == 0, "begin");
	kill_connection();
	check(db_exec("DO ?", "i", 3LL) == -1 && !db_outcome_unknown(),
	    "in a transaction, a lost link is a known failure");
	check(db_scalar("SELECT 1", "") == -1,
	    "nothing else runs in the lost transaction");
	check(db_commit() == -1, "its commit fails");
	check(db_scalar("SELECT 2", "") == 2, "after it, calls work again");
}

static const struct {
	const char	*name;
	void		(*fn)(void);
} cases[] = {
	{ "cache", cache_fills },
	{ "drop", connection_drops },
	{ "nested", nested_same_sql },
	{ "close", close_with_results_open },
	{ "policy", retry_policy },
};

/* Runs the cases named on the command line, or all of them. */
int
main(int argc, char **argv)
{
	size_t i;
	int j;

	signal(SIGPIPE, SIG_IGN);	/* as in the workers */
	if (config_load() == -1)
		return 2;
	if (db_connect() == -1) {
		fprintf(stderr, "stmt_lifetime: cannot connect\n");
		return 2;
	}
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int want = argc == 1;

		for (j = 1; j < argc; j++)
			want |= strcmp(argv[j], cases[i].name) == 0;
		if (want)
			cases[i].fn();
	}
	db_close();
	mysql_library_end();
	if (failures == 0)
		printf("stmt_lifetime: ok\n");
	return failures ? 1 : 0;
}
