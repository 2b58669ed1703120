/* dbstmt: prepared statements, cached in pools; see dbstmt.h. */
#include <stdlib.h>
#include <string.h>

#include "dbstmt.h"
#include "log.h"
#include "util.h"

/*
 * The code holds about 90 constant statements: the constant pool has
 * room for all of them several times over, and is never full in
 * practice. The queue's filters make some 860 texts; the 32 most recent
 * are plenty for the pages people actually flip between.
 */
#define CONST_MAX	256
#define BUILT_MAX	32

static struct stmt *const_slots[CONST_MAX];
static struct stmt *built_slots[BUILT_MAX];

static struct slots {
	struct stmt	**e;
	size_t		  n, max;
} pools[POOL__MAX] = {
	[POOL_CONST] = { const_slots, 0, CONST_MAX },
	[POOL_BUILT] = { built_slots, 0, BUILT_MAX },
};

/* Every statement not yet closed, pooled or not. */
static struct stmt *live;

/*
 * Connections closed while results still read from their statements:
 * libmariadb reads a statement's stored rows through its connection
 * handle, so the handle is freed only after the last such result.
 */
static struct retired {
	MYSQL		*conn;
	size_t		 readers;
	struct retired	*next;
} *retired;

/* Ages for eviction: bumped at every take. */
static unsigned long ticks;

/* FNV-1a of the text: compared before the text itself. */
static uint64_t
hash_of(const char *sql)
{
	uint64_t h = 14695981039346656037ULL;

	for (; *sql; sql++)
		h = (h ^ (unsigned char)*sql) * 1099511628211ULL;
	return h;
}

static struct stmt *
prepare(MYSQL *conn, const char *sql, uint64_t h, unsigned *err)
{
	struct stmt *s;
	MYSQL_STMT *st;
	my_bool on = 1;

	if ((st = mysql_stmt_init(conn)) == NULL)
		die("mysql_stmt_init");
	if (mysql_stmt_prepare(st, sql, strlen(sql)) != 0) {
		*err = mysql_stmt_errno(st);
		log_err("db: prepare: %u %s", *err, mysql_stmt_error(st));
		mysql_stmt_close(st);
		return NULL;
	}
	/* Result buffers are sized from max_length (db.c). */
	mysql_stmt_attr_set(st, STMT_ATTR_UPDATE_MAX_LENGTH, &on);
	s = xcalloc(1, sizeof(*s));
	s->conn = conn;
	s->st = st;
	s->sql = xstrdup(sql);
	s->hash = h;
	s->next = live;
	if (live)
		live->prev = s;
	live = s;
	return s;
}

/* A retired connection lost a reader: closed after its last. */
static void
unretire(MYSQL *conn)
{
	struct retired **p, *r;

	for (p = &retired; (r = *p) != NULL; p = &r->next) {
		if (r->conn != conn)
			continue;
		if (--r->readers == 0) {
			mysql_close(r->conn);
			*p = r->next;
			free(r);
		}
		return;
	}
}

static void
stmt_free(struct stmt *s)
{
	MYSQL *conn = s->conn;

	if (s->prev)
		s->prev->next = s->next;
	else
		live = s->next;
	if (s->next)
		s->next->prev = s->prev;
	mysql_stmt_close(s->st);
	free(s->sql);
	free(s);
	unretire(conn);
}

static struct stmt *
lookup(struct slots *p, const char *sql, uint64_t h)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (p->e[i]->hash == h && strcmp(p->e[i]->sql, sql) == 0)
			return p->e[i];
	return NULL;
}

static void
remove_at(struct slots *p, size_t i)
{
	p->e[i]->pooled = 0;
	p->e[i] = p->e[--p->n];
}

/* Makes room for one by closing the least recently used idle statement;
 * 0 when there is room, -1 when every statement is taken. */
static int
make_room(struct slots *p)
{
	struct stmt *s;
	size_t i, lru = p->n;

	if (p->n < p->max)
		return 0;
	for (i = 0; i < p->n; i++)
		if (!p->e[i]->taken &&
		    (lru == p->n || p->e[i]->used < p->e[lru]->used))
			lru = i;
	if (lru == p->n)
		return -1;
	s = p->e[lru];
	remove_at(p, lru);
	stmt_free(s);
	return 0;
}

struct stmt *
stmt_take(MYSQL *conn, enum pool which, const char *sql, unsigned *err)
{
	struct slots *p = &pools[which];
	uint64_t h = hash_of(sql);
	struct stmt *s = lookup(p, sql, h);

	if (s == NULL || s->taken) {
		int cache = s == NULL;

		if ((s = prepare(conn, sql, h, err)) == NULL)
			return NULL;
		/* Otherwise a private one (the cached one is in use, or
		 * all are), closed when released. */
		if (cache && make_room(p) == 0) {
			p->e[p->n++] = s;
			s->pooled = 1;
		}
	}
	s->taken = 1;
	s->used = ++ticks;
	return s;
}

void
stmt_release(struct stmt *s)
{
	if (s == NULL)
		return;
	s->taken = 0;
	if (!s->pooled)
		stmt_free(s);
}

void
stmt_close_connection(MYSQL *conn)
{
	struct stmt *s, *next;
	struct retired *r;
	size_t w, readers = 0;

	for (w = 0; w < POOL__MAX; w++)
		while (pools[w].n > 0)
			remove_at(&pools[w], pools[w].n - 1);
	for (s = live; s != NULL; s = next) {
		next = s->next;
		if (s->conn != conn)
			continue;
		if (s->taken)
			readers++;
		else
			stmt_free(s);
	}
	if (readers == 0) {
		mysql_close(conn);
		return;
	}
	r = xcalloc(1, sizeof(*r));
	r->conn = conn;
	r->readers = readers;
	r->next = retired;
	retired = r;
}
