#include <stdlib.h>

#include "db.h"
#include "password.h"
#include "users.h"
#include "util.h"

int
user_create(const char *name, const char *email, const char *password,
    long long *id)
{
	char *hash = password_hash(password);
	long long n;

	if (hash == NULL)
		return -1;
	n = db_exec("INSERT INTO users (name, email, password_hash,"
	    " created_at, updated_at) VALUES (?, ?, ?, UTC_TIMESTAMP(),"
	    " UTC_TIMESTAMP())", "sss", name, email, hash);
	free(hash);
	if (n == -1)
		return db_errno() == DB_ER_DUP_ENTRY ? USER_EXISTS : -1;
	*id = db_insert_id();
	return 0;
}

long long
user_by_email(const char *email)
{
	struct dbres *r;
	long long id = 0;

	if ((r = db_query("SELECT id FROM users WHERE email = ?", "s",
	    email)) == NULL)
		return -1;
	if (db_next(r))
		id = db_int(r, 0);
	db_free(r);
	return db_failed() ? -1 : id;
}

/* The stored hash of a live account, or NULL (caller frees). */
static char *
stored_hash(const char *sql, const char *fmt, const char *email,
    long long uid, long long *id, int *err)
{
	struct dbres *r;
	char *hash = NULL;

	r = fmt[0] == 's' ? db_query(sql, fmt, email) : db_query(sql, fmt, uid);
	if (r == NULL) {
		*err = 1;
		return NULL;
	}
	if (db_next(r) && db_str(r, 1) != NULL) {
		*id = db_int(r, 0);
		hash = xstrdup(db_str(r, 1));
	}
	db_free(r);
	return hash;
}

int
user_authenticate(const char *email, const char *password, long long *id)
{
	int err = 0, ok;
	char *hash;

	hash = stored_hash("SELECT id, password_hash FROM users"
	    " WHERE email = ? AND deleted_at IS NULL", "s", email, 0, id, &err);
	if (err)
		return -1;
	if (hash == NULL) {
		password_burn(password);
		return 0;
	}
	ok = password_verify(hash, password);
	if (ok && password_needs_rehash(hash))
		user_set_password(*id, password);
	free(hash);
	return ok;
}

int
user_check_password(long long id, const char *password)
{
	int err = 0, ok;
	long long got;
	char *hash;

	hash = stored_hash("SELECT id, password_hash FROM users"
	    " WHERE id = ? AND deleted_at IS NULL", "i", NULL, id, &got, &err);
	ok = hash != NULL && password_verify(hash, password);
	free(hash);
	return ok;
}

int
user_set_password(long long id, const char *password)
{
	char *hash = password_hash(password);
	long long n;

	if (hash == NULL)
		return -1;
	n = db_exec("UPDATE users SET password_hash = ?, updated_at ="
	    " UTC_TIMESTAMP() WHERE id = ?", "si", hash, id);
	free(hash);
	return n == -1 ? -1 : 0;
}
