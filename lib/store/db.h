/*
 * db: the one MariaDB connection of this process. Statements are always
 * prepared, with ? placeholders, and cached per process by their SQL text
 * (lib/store/dbstmt.h), so a page prepares each statement once in the life of a
 * worker. A statement is never closed while a result reads from it, and
 * SQL assembled at run time (db_query_args) is cached apart from the
 * constant SQL, in a small pool no request can grow.
 *
 * With db_hosts (config.h) the connection is TCP to the first of the
 * listed database nodes that answers, starting from the one that
 * answered last; each such connection sets wsrep_sync_wait = 1, so that
 * its reads see every write the cluster committed before them.
 *
 * Arguments are described by a format string, one letter each:
 *   s  const char *  (NULL binds SQL NULL)
 *   i  long long
 *   b  const void *, size_t  (binary)
 *
 * A lost connection is reopened and the statement retried once only
 * where nothing can happen twice: the statement never reached the server
 * (connecting or preparing failed, or the server had closed the idle
 * link before it was sent: a database restarted, a cluster node gone),
 * or it is a SELECT (or START TRANSACTION) outside a transaction.
 * Otherwise the call fails:
 *   - inside a transaction, the transaction is gone with the link (what a
 *     rollback would have done); every statement fails until the
 *     caller's db_commit (-1) or db_rollback. So after a deadlock or a
 *     Galera abort (1213, 1205, 1047), which roll the whole transaction
 *     back on the server: nothing the caller sends after it may commit
 *     on its own, even if the caller overlooked the error;
 *   - a write outside a transaction, or a COMMIT, whose answer was lost
 *     may or may not have taken effect: db_outcome_unknown() says so, and
 *     the caller must not report success, nor a conflict it may have
 *     caused itself (a duplicate key on a retry).
 */
#ifndef HD_DB_H
#define HD_DB_H

#include <stddef.h>
#include <json-c/json.h>

#include "outcome.h"

struct dbres;

int	db_connect(void);		/* 0 or -1; called lazily too */
/* Connections made from now on wait for a statement as long as it takes
 * (migrations: a table rebuilt on a large installation), not
 * db_read_timeout. */
void	db_patient(void);
void	db_close(void);
int	db_ping(void);			/* 0 when the server answers */

/* Runs a statement that returns rows. NULL on error. */
struct dbres *db_query(const char *sql, const char *fmt, ...);
/*
 * Advances to the next row: 1 on a row, 0 at the end, -1 on an error
 * (and -1 again if called after one). Every loop tells the end from an
 * error, and a loop that ends on -1 fails its function:
 *
 *	while ((rc = db_next(res)) == 1)
 *		...;
 *	db_free(res);
 *	if (rc == -1)
 *		return db_error();
 */
int	db_next(struct dbres *);
/* Column i of the current row: NULL for SQL NULL. */
const char *db_str(const struct dbres *, unsigned);
size_t	db_len(const struct dbres *, unsigned);
long long db_int(const struct dbres *, unsigned);
unsigned db_ncols(const struct dbres *);
/* How many rows the result holds (all are read when it is returned). */
unsigned long long db_nrows(const struct dbres *);
/* The current row as an object keyed by column name. */
struct json_object *db_row_json(const struct dbres *);
/* All remaining rows as an array of objects; NULL on an error. */
struct json_object *db_rows_json(struct dbres *);
/*
 * One page of a keyset list queried with LIMIT n + 1 and its id in column
 * 0: at most n rows as objects; *older is the id of the page's last row
 * when one more row says there is another page, else 0. NULL on error.
 */
struct json_object *db_page_json(struct dbres *, int n, long long *older);
void	db_free(struct dbres *);

/*
 * Arguments gathered at run time, for a statement assembled from constant
 * SQL fragments (the queue's filters): the SQL text never holds input,
 * only placeholders. Strings are referenced, not copied.
 */
struct dbargs;
struct dbargs *dbargs_new(void);
void	dbargs_str(struct dbargs *, const char *);
void	dbargs_int(struct dbargs *, long long);
void	dbargs_free(struct dbargs *);
struct dbres *db_query_args(const char *sql, struct dbargs *);

/* Runs a statement without rows: affected rows, or -1 on error. */
long long db_exec(const char *sql, const char *fmt, ...);
long long db_insert_id(void);

/* One row, one column, as a number; -1 when none or on error
 * (db_failed() tells which). */
long long db_scalar(const char *sql, const char *fmt, ...);

int	db_begin(void);
int	db_commit(void);
void	db_rollback(void);
int	db_in_transaction(void);

/* The last error: MariaDB's number (1062 is a duplicate key). */
unsigned db_errno(void);
int	db_failed(void);		/* 1 when the last call failed */
/* 1 when the last call failed after its statement reached the server, so
 * whether it took effect is unknown (a write or COMMIT whose answer was
 * lost). */
int	db_outcome_unknown(void);
/* The outcome of the last call that failed: E_DB_UNKNOWN when
 * db_outcome_unknown(), else E_DB (outcome.h). */
enum outcome db_error(void);

/*
 * Statements run so far by this process (each db_query, db_exec,
 * db_scalar, db_query_args, START TRANSACTION and COMMIT counts one,
 * whether it succeeded or not): the web core logs how many a request ran,
 * so that a page's round trips to the database are seen and tested
 * (tests/integration/statements.test.js).
 */
unsigned long long db_statements(void);

/* Runs trusted multi-statement SQL (migrations only). */
int	db_run_script(const char *sql, size_t len);

#define DB_ER_DUP_ENTRY 1062
#define DB_ER_LOCK_WAIT_TIMEOUT 1205
#define DB_ER_DEADLOCK	1213	/* also Galera's certification failure */
#define DB_ER_NOT_READY	1047	/* WSREP has not yet prepared node */

/*
 * Conflicts: one policy for every transaction. A unit of work (a request,
 * a batch of a tool) calls db_retry_start before it begins; when it is
 * over, db_retry says whether it met a deadlock, a lock wait timeout, a
 * Galera certification failure (1213 at COMMIT) or a node outside the
 * primary component, so that nothing of the failed transaction took
 * effect and the whole unit should run again: 1 (after rolling back and
 * a short pause; *attempt counted), or 0 when it met none, when a COMMIT
 * of the unit succeeded (that must not be done twice), or when it has
 * run DB_RETRIES extra times. The caller must not have sent anything
 * outside the database yet (a streamed response, a mail), and should ask
 * only when the unit failed.
 */
#define DB_RETRIES	8
void	db_retry_start(void);
int	db_retry(int *attempt);

#endif
