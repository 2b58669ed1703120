#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <mysql.h>
#include <errmsg.h>

#include "config.h"
#include "db.h"
#include "log.h"
#include "util.h"

#define MAX_PARAMS	48
/* Slots of the statement cache (a power of two); past 3/4 full it is
 * emptied and refilled, which only costs re-preparing. */
#define CACHE_SLOTS	1024
/* Room for a number or a date printed as text. */
#define MIN_COLBUF	64

static MYSQL	*conn;
static int	 in_tx;
static unsigned	 last_errno;
static int	 last_failed;

/* Prepared statements, keyed by SQL text, for the life of the connection. */
static struct cached {
	char		*sql;
	MYSQL_STMT	*st;
} cache[CACHE_SLOTS];
static size_t ncache;

struct dbres {
	MYSQL_STMT	*st;
	MYSQL_RES	*meta;
	MYSQL_FIELD	*fields;
	unsigned	 ncols;
	MYSQL_BIND	*bind;
	char		**bufs;
	unsigned long	*lens;
	my_bool		*nulls;
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
	/* Duplicates are an answer for the caller, not a fault. */
	if (no != DB_ER_DUP_ENTRY)
		log_err("db: %s: %u %s", what, no, msg);
}

static int
gone(unsigned no)
{
	return no == CR_SERVER_GONE_ERROR || no == CR_SERVER_LOST ||
	    no == CR_CONNECTION_ERROR || no == CR_CONN_HOST_ERROR;
}

static void
cache_clear(void)
{
	size_t i;

	for (i = 0; i < CACHE_SLOTS; i++) {
		if (cache[i].sql == NULL)
			continue;
		mysql_stmt_close(cache[i].st);
		free(cache[i].sql);
		cache[i].sql = NULL;
	}
	ncache = 0;
}

/* FNV-1a: the slot where sql's probe starts. */
static size_t
slot_of(const char *sql)
{
	uint64_t h = 14695981039346656037ULL;

	for (; *sql; sql++)
		h = (h ^ (unsigned char)*sql) * 1099511628211ULL;
	return (size_t)h & (CACHE_SLOTS - 1);
}

void
db_close(void)
{
	cache_clear();
	if (conn)
		mysql_close(conn);
	conn = NULL;
	in_tx = 0;
}

int
db_connect(void)
{
	unsigned timeout = 3, rwtimeout = 30;
	my_bool off = 0;

	if (conn)
		return 0;
	if ((conn = mysql_init(NULL)) == NULL)
		die("mysql_init");
	mysql_options(conn, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
	mysql_options(conn, MYSQL_OPT_READ_TIMEOUT, &rwtimeout);
	mysql_options(conn, MYSQL_OPT_WRITE_TIMEOUT, &rwtimeout);
	mysql_options(conn, MYSQL_OPT_RECONNECT, &off);
	mysql_options(conn, MYSQL_SET_CHARSET_NAME, "utf8mb4");
	mysql_options(conn, MYSQL_INIT_COMMAND, "SET time_zone = '+00:00'");
	if (mysql_real_connect(conn, NULL, cfg.db_user, cfg.db_password,
	    cfg.db_name, 0, cfg.db_socket, 0) == NULL) {
		fail("connect", mysql_errno(conn), mysql_error(conn));
		mysql_close(conn);
		conn = NULL;
		return -1;
	}
	return 0;
}

int
db_ping(void)
{
	if (db_connect() == -1)
		return -1;
	if (mysql_ping(conn) != 0) {
		db_close();
		if (db_connect() == -1 || mysql_ping(conn) != 0)
			return -1;
	}
	return 0;
}

static MYSQL_STMT *
prepare(const char *sql)
{
	MYSQL_STMT *st;
	my_bool on = 1;
	size_t i;

	for (i = slot_of(sql); cache[i].sql != NULL; i = (i + 1) & (CACHE_SLOTS - 1))
		if (strcmp(cache[i].sql, sql) == 0)
			return cache[i].st;
	if ((st = mysql_stmt_init(conn)) == NULL)
		die("mysql_stmt_init");
	if (mysql_stmt_prepare(st, sql, strlen(sql)) != 0) {
		fail("prepare", mysql_stmt_errno(st), mysql_stmt_error(st));
		mysql_stmt_close(st);
		return NULL;
	}
	mysql_stmt_attr_set(st, STMT_ATTR_UPDATE_MAX_LENGTH, &on);
	if (ncache >= CACHE_SLOTS / 4 * 3)
		cache_clear();
	for (i = slot_of(sql); cache[i].sql != NULL; i = (i + 1) & (CACHE_SLOTS - 1))
		;
	cache[i].sql = xstrdup(sql);
	cache[i].st = st;
	ncache++;
	return st;
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

/* Prepares (or finds) and executes sql; retries once on a lost link. */
static MYSQL_STMT *
run(const char *sql, struct dbargs *a)
{
	MYSQL_STMT *st;
	int attempt;

	last_failed = 0;
	last_errno = 0;
	for (attempt = 0; attempt < 2; attempt++) {
		unsigned no;

		if (db_connect() == -1)
			return NULL;
		if ((st = prepare(sql)) == NULL) {
			no = last_errno;
			goto retry;
		}
		if (mysql_stmt_param_count(st) != a->n)
			die("db: %lu placeholders, %u arguments: %s",
			    mysql_stmt_param_count(st), a->n, sql);
		mysql_stmt_free_result(st);
		if (a->n && mysql_stmt_bind_param(st, a->bind) != 0) {
			fail("bind", mysql_stmt_errno(st), mysql_stmt_error(st));
			return NULL;
		}
		if (mysql_stmt_execute(st) == 0)
			return st;
		no = mysql_stmt_errno(st);
		fail("execute", no, mysql_stmt_error(st));
retry:
		if (!gone(no) || in_tx) {
			if (gone(no))
				db_close();
			return NULL;
		}
		db_close();
	}
	return NULL;
}

long long
db_exec(const char *sql, const char *fmt, ...)
{
	struct dbargs a;
	va_list ap;
	MYSQL_STMT *st;

	va_start(ap, fmt);
	bind_args(&a, fmt, ap);
	va_end(ap);
	if ((st = run(sql, &a)) == NULL)
		return -1;
	return (long long)mysql_stmt_affected_rows(st);
}

long long
db_insert_id(void)
{
	return conn ? (long long)mysql_insert_id(conn) : 0;
}

static struct dbres *
result(MYSQL_STMT *st)
{
	struct dbres *r;
	unsigned i;

	if (mysql_stmt_store_result(st) != 0) {
		fail("store", mysql_stmt_errno(st), mysql_stmt_error(st));
		return NULL;
	}
	r = xcalloc(1, sizeof(*r));
	r->st = st;
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
	MYSQL_STMT *st;

	va_start(ap, fmt);
	bind_args(&a, fmt, ap);
	va_end(ap);
	if ((st = run(sql, &a)) == NULL)
		return NULL;
	return result(st);
}

int
db_next(struct dbres *r)
{
	unsigned i;
	int rc = mysql_stmt_fetch(r->st);

	if (rc == MYSQL_NO_DATA)
		return 0;
	if (rc == 1) {
		fail("fetch", mysql_stmt_errno(r->st), mysql_stmt_error(r->st));
		return 0;
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

	while (db_next(r))
		json_object_array_add(a, db_row_json(r));
	return a;
}

void
db_free(struct dbres *r)
{
	unsigned i;

	if (r == NULL)
		return;
	mysql_stmt_free_result(r->st);
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
	MYSQL_STMT *st;
	struct dbres *r;
	long long v = -1;

	va_start(ap, fmt);
	bind_args(&a, fmt, ap);
	va_end(ap);
	if ((st = run(sql, &a)) == NULL || (r = result(st)) == NULL)
		return -1;
	if (db_next(r) && db_str(r, 0) != NULL)
		v = db_int(r, 0);
	db_free(r);
	return v;
}

int
db_begin(void)
{
	if (db_exec("START TRANSACTION", "") == -1)
		return -1;
	in_tx = 1;
	return 0;
}

int
db_commit(void)
{
	in_tx = 0;
	return db_exec("COMMIT", "") == -1 ? -1 : 0;
}

void
db_rollback(void)
{
	if (!in_tx)
		return;
	in_tx = 0;
	if (conn && mysql_rollback(conn) != 0)
		db_close();
}

int
db_in_transaction(void)
{
	return in_tx;
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

struct dbres *
db_query_args(const char *sql, struct dbargs *a)
{
	MYSQL_STMT *st;

	if ((st = run(sql, a)) == NULL)
		return NULL;
	return result(st);
}
