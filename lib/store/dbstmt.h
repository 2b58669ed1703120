/*
 * dbstmt: the prepared statements of db.c's one connection (internal to
 * lib/store/db.c).
 *
 * A statement is taken for one call, and stays taken while a result
 * (struct dbres) reads from it: a taken statement is never closed or
 * reused under its user. Statements are cached by SQL text in two pools,
 * so that the texts assembled at run time (db_query_args: the queue's
 * filters) can never push out the constant ones, nor grow without bound:
 *
 *   POOL_CONST  the constant SQL of db_query, db_exec and db_scalar
 *   POOL_BUILT  SQL assembled from constant fragments at run time
 *
 * A full pool evicts its least recently used idle statement, one at a
 * time. When the cached statement for a text is taken (the same SQL run
 * while its first result is open), or every one in the pool is, a
 * private statement is prepared, closed when released.
 */
#ifndef HD_DBSTMT_H
#define HD_DBSTMT_H

#include <stdint.h>

#include <mysql.h>

enum pool { POOL_CONST, POOL_BUILT, POOL__MAX };

struct stmt {
	MYSQL		*conn;		/* prepared on */
	MYSQL_STMT	*st;
	char		*sql;		/* the cache key */
	uint64_t	 hash;
	unsigned long	 used;		/* when last taken, for eviction */
	int		 taken;
	int		 pooled;	/* 0: closed when released */
	struct stmt	*prev, *next;	/* every statement not closed */
};

/*
 * The statement for sql, prepared on conn if needed, marked taken.
 * NULL when preparing failed: *err is MariaDB's error number (logged).
 */
struct stmt *stmt_take(MYSQL *conn, enum pool, const char *sql,
	    unsigned *err);
/* Gives a statement back; one that left its pool is closed now. */
void	stmt_release(struct stmt *);
/*
 * Closes conn and its idle statements. A statement still taken (a result
 * reads from it) leaves its pool and is closed by its stmt_release(),
 * never under its reader; conn itself is freed after the last of those,
 * because libmariadb reads stored rows through the connection handle.
 */
void	stmt_close_connection(MYSQL *conn);

#endif
