#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <poll.h>

#include <mysql.h>
#include <errmsg.h>

#include "config.h"
#include "db.h"
#include "dbstmt.h"
#include "log.h"
#include "util.h"

#define MAX_PARAMS	48
/* Room for a number or a date printed as text. */
#define MIN_COLBUF	64

/*
 * A transaction is open, or was open when the connection was lost: then
 * every statement fails until the caller's commit or rollback, so that
 * nothing of it runs on a new connection outside the transaction.
 */
enum tx { TX_NONE, TX_OPEN, TX_LOST };

static MYSQL	*conn;
static enum tx	 tx;
static int	 committing;
static unsigned	 last_errno;
static int	 last_failed;
static int	 last_unknown;
static unsigned	 lost_errno;	/* why tx is TX_LOST */
static int	 conflicted;	/* its errno, since db_retry_start */
static int	 committed;	/* a COMMIT succeeded since then */

struct dbres {
	struct stmt	*s;		/* taken until db_free */
	MYSQL_RES	*meta;
	MYSQL_FIELD	*fields;
	unsigned	 ncols;
	MYSQL_BIND	*bind;
	char		**bufs;
	unsigned long	*lens;
	my_bool		*nulls;
	int		 failed;	/* a fetch failed: db_next says -1 */
};

/* Bound arguments, kept so a statement can be retried after reconnect. */
struct dbargs {
	MYSQL_BIND	 bind[MAX_PARAMS];
	long long	 ints[MAX_PARAMS];
	unsigned long	 lens[MAX_PARAMS];
	unsigned	 n;
};

static void
fail(const char *what, unsigned no, const char *msg)
{
	last_errno = no;
	last_failed = 1;
	/*
	 * A conflict is retried (db_retry), which logs it then. A deadlock
	 * or a Galera abort rolled the whole transaction back on the server
	 * (and a lock wait timeout is treated alike): the session is out of
	 * any transaction now, so whatever the caller sends next would
	 * commit on its own. It is lost, as with a broken link, until the
	 * caller's commit (which fails) or rollback.
	 */
	if (no == DB_ER_DEADLOCK || no == DB_ER_LOCK_WAIT_TIMEOUT ||
	    no == DB_ER_NOT_READY) {
		conflicted = no;
		if (tx == TX_OPEN) {
			tx = TX_LOST;
			lost_errno = no;
		}
		return;
	}
	/* Duplicates are an answer for the caller, not a fault. */
	if (no != DB_ER_DUP_ENTRY && msg != NULL)
		log_err("db: %s: %u %s", what, no, msg);
}

/*
 * The link is of no more use: broken, or (ER_UNKNOWN_COM_ERROR, 1047) the
 * node left the cluster's primary component and refuses all work, so
 * another node is to be tried as after a broken link. 1047 means the
 * statement was refused, but it is handled like a lost answer: safe.
 */
static int
gone(unsigned no)
{
	return no == CR_SERVER_GONE_ERROR || no == CR_SERVER_LOST ||
	    no == CR_CONNECTION_ERROR || no == CR_CONN_HOST_ERROR ||
	    no == DB_ER_NOT_READY;
}

/* Closes the connection; statements still read by a result are left to
 * their db_free. */
static void
drop_connection(void)
{
	if (conn)
		stmt_close_connection(conn);
	conn = NULL;
}

void
db_close(void)
{
	drop_connection();
	tx = TX_NONE;
}

/* The link broke: a transaction in progress went with it. */
static void
link_lost(void)
{
	drop_connection();
	if (tx == TX_OPEN) {
		tx = TX_LOST;
		lost_errno = CR_SERVER_LOST;
	}
}

/*
 * Connects to the database at host:port over TCP or, with host NULL, to
 * the unix socket db_socket. galera: a node of db_hosts. 0, or -1 with
 * the error recorded.
 */
static int patient;

void
db_patient(void)
{
	patient = 1;
}

static int
connect_to(const char *host, unsigned port, int galera)
{
	unsigned timeout = 3, rwtimeout = (unsigned)cfg.db_read_timeout;
	unsigned tcp = MYSQL_PROTOCOL_TCP;
	my_bool off = 0;
	/*
	 * On a Galera cluster (db_hosts), a read waits until the node has
	 * applied every write the cluster committed before it: a request
	 * may follow one served through another node (a redirect after a
	 * POST, a session signed in there), and must see its write.
	 */
	const char *init = galera ?
	    "SET time_zone = '+00:00', wsrep_sync_wait = 1" :
	    "SET time_zone = '+00:00'";

	if ((conn = mysql_init(NULL)) == NULL)
		die("mysql_init");
	mysql_options(conn, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
	/* A request gives up on a statement after db_read_timeout rather
	 * than hold its worker; a migration waits (db_patient). */
	if (!patient) {
		mysql_options(conn, MYSQL_OPT_READ_TIMEOUT, &rwtimeout);
		mysql_options(conn, MYSQL_OPT_WRITE_TIMEOUT, &rwtimeout);
	}
	mysql_options(conn, MYSQL_OPT_RECONNECT, &off);
	mysql_options(conn, MYSQL_SET_CHARSET_NAME, "utf8mb4");
	mysql_options(conn, MYSQL_INIT_COMMAND, init);
	/* A host is TCP, even "localhost", which the client library would
	 * otherwise take for the socket. */
	if (host != NULL)
		mysql_options(conn, MYSQL_OPT_PROTOCOL, &tcp);
	if (mysql_real_connect(conn, host, cfg.db_user, cfg.db_password,
	    cfg.db_name, port, host == NULL ? cfg.db_socket : NULL, 0) ==
	    NULL) {
		fail("connect", mysql_errno(conn), mysql_error(conn));
		mysql_close(conn);
		conn = NULL;
		return -1;
	}
	return 0;
}

/*
 * One database: the socket, or db_host over TCP (a database the host
 * gives, with a user and password). Several (db_hosts, a Galera
 * cluster): the nodes are tried in turn from the one that answered last,
 * so a dead node costs one refused (or timed out) connect, once per
 * worker, and the next node takes over.
 */
int
db_connect(void)
{
	static size_t current;
	struct dbhost h;
	size_t i, n;

	if (conn)
		return 0;
	if (cfg.db_hosts == NULL || *cfg.db_hosts == '\0') {
		if (cfg.db_host != NULL && *cfg.db_host != '\0')
			return connect_to(cfg.db_host, (unsigned)cfg.db_port,
			    0);
		return connect_to(NULL, 0, 0);
	}
	for (n = 0; config_db_host(n, &h) == 0; n++)
		;
	if (n == 0)
		die("db: db_hosts holds no host");
	for (i = 0; i < n; i++) {
		size_t at = (current + i) % n;

		if (config_db_host(at, &h) != 0)
			break;
		if (connect_to(h.host, (unsigned)h.port, 1) == 0) {
			if (at != current)
				log_info("db: now on %s:%lld", h.host,
				    h.port);
			current = at;
			return 0;
		}
	}
	return -1;
}

int
db_ping(void)
{
	if (db_connect() == -1)
		return -1;
	if (mysql_ping(conn) != 0) {
		link_lost();
		if (db_connect() == -1 || mysql_ping(conn) != 0)
			return -1;
	}
	return 0;
}

static void
bind_args(struct dbargs *a, const char *fmt, va_list ap)
{
	const char *f;

	memset(a, 0, sizeof(*a));
	for (f = fmt; *f; f++) {
		MYSQL_BIND *b = &a->bind[a->n];
		const char *s;

		if (a->n == MAX_PARAMS)
			die("db: too many parameters");
		switch (*f) {
		case 's':
			s = va_arg(ap, const char *);
			if (s == NULL) {
				b->buffer_type = MYSQL_TYPE_NULL;
				break;
			}
			b->buffer_type = MYSQL_TYPE_STRING;
			b->buffer = (void *)s;
			a->lens[a->n] = strlen(s);
			b->buffer_length = a->lens[a->n];
			b->length = &a->lens[a->n];
			break;
		case 'i':
			a->ints[a->n] = va_arg(ap, long long);
			b->buffer_type = MYSQL_TYPE_LONGLONG;
			b->buffer = &a->ints[a->n];
			break;
		case 'b':
			b->buffer_type = MYSQL_TYPE_BLOB;
			b->buffer = (void *)va_arg(ap, const void *);
			a->lens[a->n] = (unsigned long)va_arg(ap, size_t);
			b->buffer_length = a->lens[a->n];
			b->length = &a->lens[a->n];
			break;
		default:
			die("db: bad format letter '%c'", *f);
		}
		a->n++;
	}
}

/*
 * The server closed this idle link: it stopped, or was killed, or a
 * database node went away (db_hosts). Between statements a server sends
 * nothing, so a link with something to read (its end, an error packet)
 * is dead; finding out here, before anything is sent, lets any statement
 * go to a new connection, even a write. One poll, no round trip.
 */
static int
idle_link_closed(void)
{
	struct pollfd p;

	if (conn == NULL || (p.fd = (int)mysql_get_socket(conn)) < 0)
		return 0;
	p.events = POLLIN;
	p.revents = 0;
	return poll(&p, 1, 0) == 1;
}

/*
 * Whether the server still holds our transaction, from the status in
 * its last answer (a PREPARE's too). Galera rolled transactions back
 * between two statements for another node's write without any error
 * (tests/cluster/fault.test.js, several times a run): the statement
 * sent next ran on its own and committed (an audit row without its
 * ticket), and the transaction's COMMIT then succeeded with nothing in
 * it, so a page said "saved" for a ticket that was not. The status of
 * the next statement's PREPARE already shows it (seen each time).
 */
static int
server_in_transaction(void)
{
	unsigned status = 0;

	if (mariadb_get_infov(conn, MARIADB_CONNECTION_SERVER_STATUS,
	    &status) != 0)
		return 1;	/* unknown: as before */
	return (status & SERVER_STATUS_IN_TRANS) != 0;
}

/*
 * Whether a statement whose answer was lost may be sent again: only one
 * that changes nothing (a read, the start of a transaction). Anything
 * else may have taken effect before the link broke.
 */
static int
replayable(const char *sql)
{
	return strncasecmp(sql, "SELECT ", 7) == 0 ||
	    strcmp(sql, "START TRANSACTION") == 0;
}

/* Statements asked of run() in the life of the process (db_statements). */
static unsigned long long statements;

unsigned long long
db_statements(void)
{
	return statements;
}

/*
 * Prepares (or finds) and executes sql; the statement comes back taken.
 * A lost link is retried once, on a new connection, only where that
 * cannot do anything twice: when the statement never reached the server
 * (connecting or preparing failed), or when it is replayable outside a
 * transaction. A write or a COMMIT whose answer was lost fails with
 * db_outcome_unknown() set.
 */
static struct stmt *
run(enum pool pool, const char *sql, struct dbargs *a)
{
	struct stmt *s;
	unsigned no = 0;
	int attempt;

	last_unknown = 0;
	statements++;
	if (tx == TX_LOST) {
		fail("run", lost_errno, NULL);
		return NULL;
	}
	for (attempt = 0; attempt < 2; attempt++) {
		/* A retry that works leaves no error behind. */
		last_failed = 0;
		last_errno = 0;
		if (idle_link_closed()) {
			link_lost();
			if (tx == TX_LOST) {
				fail("run", CR_SERVER_LOST, NULL);
				return NULL;
			}
		}
		if (db_connect() == -1)
			return NULL;
		if ((s = stmt_take(conn, pool, sql, &no)) == NULL) {
			fail("prepare", no, NULL);	/* logged */
			if (!gone(no))
				return NULL;
			link_lost();
			if (tx == TX_LOST)
				return NULL;
			continue;		/* nothing was sent */
		}
		/* A statement prepared just now: its answer's status may
		 * show the transaction gone before anything ran. */
		if (tx == TX_OPEN && !committing && !server_in_transaction()) {
			log_err("db: the transaction was rolled back under it "
			    "(seen at prepare): %.60s", sql);
			fail("prepare", DB_ER_DEADLOCK, NULL);
			stmt_release(s);
			return NULL;
		}
		if (mysql_stmt_param_count(s->st) != a->n)
			die("db: %lu placeholders, %u arguments: %s",
			    mysql_stmt_param_count(s->st), a->n, sql);
		mysql_stmt_free_result(s->st);
		if (a->n && mysql_stmt_bind_param(s->st, a->bind) != 0) {
			fail("bind", mysql_stmt_errno(s->st),
			    mysql_stmt_error(s->st));
			stmt_release(s);
			return NULL;
		}
		if (mysql_stmt_execute(s->st) == 0) {
			/* A write in a transaction the server no longer
			 * has: lost, as on a deadlock, and this statement
			 * committed alone. The request must not say saved. */
			if (tx == TX_OPEN && !committing &&
			    mysql_stmt_field_count(s->st) == 0 &&
			    !server_in_transaction()) {
				log_err("db: the transaction was rolled back "
				    "under it: %.60s", sql);
				fail("execute", DB_ER_DEADLOCK, NULL);
				stmt_release(s);
				return NULL;
			}
			return s;
		}
		no = mysql_stmt_errno(s->st);
		fail("execute", no, mysql_stmt_error(s->st));
		stmt_release(s);
		if (!gone(no))
			return NULL;
		link_lost();
		if (committing || (tx == TX_NONE && !replayable(sql))) {
			last_unknown = 1;
			return NULL;
		}
		/* In a transaction, it went with the link: known failure. */
		if (tx == TX_LOST)
			return NULL;
	}
	return NULL;
}

long long
db_exec(const char *sql, const char *fmt, ...)
{
	struct dbargs a;
	va_list ap;
	struct stmt *s;
	long long n;

	va_start(ap, fmt);
	bind_args(&a, fmt, ap);
	va_end(ap);
	if ((s = run(POOL_CONST, sql, &a)) == NULL)
		return -1;
	n = (long long)mysql_stmt_affected_rows(s->st);
	stmt_release(s);
	return n;
}

long long
db_insert_id(void)
{
	return conn ? (long long)mysql_insert_id(conn) : 0;
}

/* The rows of a taken statement, read into memory; the result keeps the
 * statement taken until db_free. */
static struct dbres *
result(struct stmt *s)
{
	MYSQL_STMT *st = s->st;
	struct dbres *r;
	unsigned i;

	if (mysql_stmt_store_result(st) != 0) {
		fail("store", mysql_stmt_errno(st), mysql_stmt_error(st));
		if (gone(mysql_stmt_errno(st))) {
			stmt_release(s);
			link_lost();
			return NULL;
		}
		mysql_stmt_free_result(st);
		stmt_release(s);
		return NULL;
	}
	r = xcalloc(1, sizeof(*r));
	r->s = s;
	r->meta = mysql_stmt_result_metadata(st);
	r->ncols = r->meta ? mysql_num_fields(r->meta) : 0;
	r->fields = r->meta ? mysql_fetch_fields(r->meta) : NULL;
	r->bind = xcalloc(r->ncols, sizeof(*r->bind));
	r->bufs = xcalloc(r->ncols, sizeof(*r->bufs));
	r->lens = xcalloc(r->ncols, sizeof(*r->lens));
	r->nulls = xcalloc(r->ncols, sizeof(*r->nulls));
	for (i = 0; i < r->ncols; i++) {
		size_t sz = r->fields[i].max_length + 1;

		if (sz < MIN_COLBUF)
			sz = MIN_COLBUF;
		r->bufs[i] = xmalloc(sz);
		r->bind[i].buffer_type = MYSQL_TYPE_STRING;
		r->bind[i].buffer = r->bufs[i];
		r->bind[i].buffer_length = sz;
		r->bind[i].length = &r->lens[i];
		r->bind[i].is_null = &r->nulls[i];
	}
	if (r->ncols && mysql_stmt_bind_result(st, r->bind) != 0) {
		fail("bind result", mysql_stmt_errno(st), mysql_stmt_error(st));
		db_free(r);
		return NULL;
	}
	return r;
}

struct dbres *
db_query(const char *sql, const char *fmt, ...)
{
	struct dbargs a;
	va_list ap;
	struct stmt *s;

	va_start(ap, fmt);
	bind_args(&a, fmt, ap);
	va_end(ap);
	if ((s = run(POOL_CONST, sql, &a)) == NULL)
		return NULL;
	return result(s);
}

int
db_next(struct dbres *r)
{
	unsigned i;
	int rc;

	if (r->failed)
		return -1;
	if ((rc = mysql_stmt_fetch(r->s->st)) == MYSQL_NO_DATA)
		return 0;
	if (rc == 1) {
		fail("fetch", mysql_stmt_errno(r->s->st),
		    mysql_stmt_error(r->s->st));
		r->failed = 1;
		return -1;
	}
	/* Buffers are sized from max_length, so truncation cannot happen. */
	for (i = 0; i < r->ncols; i++)
		if (!r->nulls[i])
			r->bufs[i][r->lens[i] < r->bind[i].buffer_length ?
			    r->lens[i] : r->bind[i].buffer_length - 1] = '\0';
	return 1;
}

const char *
db_str(const struct dbres *r, unsigned i)
{
	if (i >= r->ncols || r->nulls[i])
		return NULL;
	return r->bufs[i];
}

size_t
db_len(const struct dbres *r, unsigned i)
{
	if (i >= r->ncols || r->nulls[i])
		return 0;
	return r->lens[i];
}

long long
db_int(const struct dbres *r, unsigned i)
{
	const char *s = db_str(r, i);

	return s ? strtoll(s, NULL, 10) : 0;
}

unsigned
db_ncols(const struct dbres *r)
{
	return r->ncols;
}

unsigned long long
db_nrows(const struct dbres *r)
{
	return mysql_stmt_num_rows(r->s->st);
}

static int
is_integer(enum enum_field_types t)
{
	return t == MYSQL_TYPE_TINY || t == MYSQL_TYPE_SHORT ||
	    t == MYSQL_TYPE_LONG || t == MYSQL_TYPE_LONGLONG ||
	    t == MYSQL_TYPE_INT24 || t == MYSQL_TYPE_YEAR;
}

struct json_object *
db_row_json(const struct dbres *r)
{
	struct json_object *o = json_object_new_object();
	unsigned i;

	for (i = 0; i < r->ncols; i++) {
		const char *s = db_str(r, i);
		struct json_object *v;

		if (s == NULL)
			v = NULL;
		else if (is_integer(r->fields[i].type))
			v = json_object_new_int64(strtoll(s, NULL, 10));
		else
			v = json_object_new_string_len(s, (int)r->lens[i]);
		json_object_object_add(o, r->fields[i].name, v);
	}
	return o;
}

struct json_object *
db_rows_json(struct dbres *r)
{
	struct json_object *a = json_object_new_array();
	int rc;

	while ((rc = db_next(r)) == 1)
		json_object_array_add(a, db_row_json(r));
	if (rc == -1) {
		json_object_put(a);
		return NULL;
	}
	return a;
}

struct json_object *
db_page_json(struct dbres *r, int n, long long *older)
{
	struct json_object *a = json_object_new_array();
	long long last = 0;
	int got = 0, rc;

	*older = 0;
	while ((rc = db_next(r)) == 1) {
		/* One row past the page says there is another. */
		if (got == n) {
			*older = last;
			break;
		}
		json_object_array_add(a, db_row_json(r));
		last = db_int(r, 0);
		got++;
	}
	if (rc == -1) {
		json_object_put(a);
		return NULL;
	}
	return a;
}

void
db_free(struct dbres *r)
{
	unsigned i;

	if (r == NULL)
		return;
	/* A statement that left its pool (the connection closed under
	 * it) is closed by stmt_release, which frees its rows too. */
	if (r->s->pooled)
		mysql_stmt_free_result(r->s->st);
	stmt_release(r->s);
	if (r->meta)
		mysql_free_result(r->meta);
	for (i = 0; i < r->ncols; i++)
		free(r->bufs[i]);
	free(r->bufs);
	free(r->bind);
	free(r->lens);
	free(r->nulls);
	free(r);
}

long long
db_scalar(const char *sql, const char *fmt, ...)
{
	struct dbargs a;
	va_list ap;
	struct stmt *s;
	struct dbres *r;
	long long v = -1;

	va_start(ap, fmt);
	bind_args(&a, fmt, ap);
	va_end(ap);
	if ((s = run(POOL_CONST, sql, &a)) == NULL || (r = result(s)) == NULL)
		return -1;
	if (db_next(r) == 1 && db_str(r, 0) != NULL)
		v = db_int(r, 0);
	db_free(r);
	return v;
}

int
db_begin(void)
{
	/* START TRANSACTION inside one would commit it: a bug to refuse. */
	if (tx != TX_NONE) {
		log_err("db: a transaction is open already");
		fail("begin", 0, NULL);
		return -1;
	}
	if (db_exec("START TRANSACTION", "") == -1)
		return -1;
	tx = TX_OPEN;
	return 0;
}

/*
 * The transaction stays open until COMMIT's answer is known: a COMMIT
 * sent and then lost in a broken link may or may not have been applied,
 * and must never be replayed (on a new connection it would commit an
 * empty transaction and report success).
 */
int
db_commit(void)
{
	long long rc;

	if (tx == TX_LOST) {
		tx = TX_NONE;
		fail("commit", lost_errno, NULL);
		return -1;
	}
	committing = 1;
	rc = db_exec("COMMIT", "");
	committing = 0;
	tx = TX_NONE;
	if (rc != -1)
		committed = 1;
	return rc == -1 ? -1 : 0;
}

void
db_rollback(void)
{
	enum tx was = tx;

	tx = TX_NONE;
	if (was == TX_OPEN && conn && mysql_rollback(conn) != 0)
		drop_connection();
}

int
db_in_transaction(void)
{
	return tx != TX_NONE;
}

int
db_outcome_unknown(void)
{
	return last_failed && last_unknown;
}

enum outcome
db_error(void)
{
	return db_outcome_unknown() ? E_DB_UNKNOWN : E_DB;
}

unsigned
db_errno(void)
{
	return last_errno;
}

int
db_failed(void)
{
	return last_failed;
}

int
db_run_script(const char *sql, size_t len)
{
	int status;

	if (db_connect() == -1)
		return -1;
	/*
	 * The one statement not prepared: a migration file from sql/, read
	 * by the migrate tool, never anything from a request. Prepared
	 * statements cannot carry several statements or most DDL.
	 */
	mysql_set_server_option(conn, MYSQL_OPTION_MULTI_STATEMENTS_ON);
	status = mysql_real_query(conn, sql, (unsigned long)len);
	/* Drain every result so that each statement's error is seen. */
	while (status == 0) {
		MYSQL_RES *res = mysql_store_result(conn);

		if (res)
			mysql_free_result(res);
		if ((status = mysql_next_result(conn)) > 0)
			break;
		if (status == -1) {
			status = 0;
			break;
		}
	}
	if (status != 0)
		fail("script", mysql_errno(conn), mysql_error(conn));
	mysql_set_server_option(conn, MYSQL_OPTION_MULTI_STATEMENTS_OFF);
	return status == 0 ? 0 : -1;
}

struct dbargs *
dbargs_new(void)
{
	return xcalloc(1, sizeof(struct dbargs));
}

static MYSQL_BIND *
dbargs_next(struct dbargs *a)
{
	if (a->n == MAX_PARAMS)
		die("db: too many parameters");
	return &a->bind[a->n];
}

void
dbargs_str(struct dbargs *a, const char *s)
{
	MYSQL_BIND *b = dbargs_next(a);

	if (s == NULL)
		b->buffer_type = MYSQL_TYPE_NULL;
	else {
		b->buffer_type = MYSQL_TYPE_STRING;
		b->buffer = (void *)s;
		a->lens[a->n] = strlen(s);
		b->buffer_length = a->lens[a->n];
		b->length = &a->lens[a->n];
	}
	a->n++;
}

void
dbargs_int(struct dbargs *a, long long v)
{
	MYSQL_BIND *b = dbargs_next(a);

	a->ints[a->n] = v;
	b->buffer_type = MYSQL_TYPE_LONGLONG;
	b->buffer = &a->ints[a->n];
	a->n++;
}

void
dbargs_free(struct dbargs *a)
{
	free(a);
}

/* Assembled SQL has a pool of its own, so that its many texts never
 * push out the constant statements. */
struct dbres *
db_query_args(const char *sql, struct dbargs *a)
{
	struct stmt *s;

	if ((s = run(POOL_BUILT, sql, a)) == NULL)
		return NULL;
	return result(s);
}

void
db_retry_start(void)
{
	conflicted = 0;
	committed = 0;
}

/*
 * Galera certifies a transaction at COMMIT against those other nodes
 * committed meanwhile: the loser gets 1213 and nothing of it was
 * applied; 1205 (a lock wait timed out) and 1047 (a node outside the
 * primary component) leave nothing applied either once rolled back. The
 * whole unit of work runs again, on a new connection, up to DB_RETRIES
 * times, after a random
 * pause that grows with each attempt, so that the same two writers do
 * not meet again.
 */
int
db_retry(int *attempt)
{
	struct timespec ts;
	long ms;
	int was;

	/* What a unit committed must not be done twice: a conflict after
	 * a COMMIT (in a later transaction) is the caller's to answer. */
	if (!conflicted || committed)
		return 0;
	if (*attempt >= DB_RETRIES) {
		log_err("db: conflict (%d) on each of %d attempts: given up",
		    conflicted, *attempt + 1);
		return 0;
	}
	/*
	 * On a new connection: a session whose transaction Galera aborted
	 * for another node's write was seen, on its next statement, to hang
	 * on the server ("Killed") until the read timeout. Closing it rolls
	 * back whatever it held.
	 */
	drop_connection();
	tx = TX_NONE;
	was = conflicted;
	conflicted = 0;
	++*attempt;
	ms = (long)arc4random_uniform(10U * (unsigned)*attempt) + 1;
	ts.tv_sec = 0;
	ts.tv_nsec = ms * 1000000L;
	nanosleep(&ts, NULL);
	log_info("db: conflict (%d), attempt %d", was, *attempt + 1);
	return 1;
}
