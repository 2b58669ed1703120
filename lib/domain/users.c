#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "password.h"
#include "users.h"
#include "workspaces.h"
#include "util.h"

enum outcome
user_create(const char *name, const char *email, const char *password,
    long long *id)
{
	char *hash = password_hash(password);
	long long n;

	if (hash == NULL)
		return E_DB;
	n = db_exec("INSERT INTO users (name, email, password_hash,"
	    " created_at, updated_at) VALUES (?, ?, ?, UTC_TIMESTAMP(),"
	    " UTC_TIMESTAMP())", "sss", name, email, hash);
	free(hash);
	if (n == -1)
		return db_errno() == DB_ER_DUP_ENTRY ? E_TAKEN : db_error();
	*id = db_insert_id();
	return OK;
}

enum outcome
user_create_unclaimed(const char *name, const char *email, long long *id)
{
	if (db_exec("INSERT INTO users (name, email, password_hash,"
	    " created_at, updated_at) VALUES (?, ?, NULL, UTC_TIMESTAMP(),"
	    " UTC_TIMESTAMP())", "ss", name, email) == -1)
		return db_errno() == DB_ER_DUP_ENTRY ? E_TAKEN : db_error();
	*id = db_insert_id();
	return OK;
}

/* The first column of the one row sql finds, as a number. */
static enum outcome
one_id(struct dbres *r, long long *id)
{
	int rc;

	if (r == NULL)
		return db_error();
	if ((rc = db_next(r)) == 1)
		*id = db_int(r, 0);
	db_free(r);
	return rc == 1 ? OK : rc == 0 ? E_NOT_FOUND : db_error();
}

enum outcome
user_by_email(const char *email, long long *id)
{
	return one_id(db_query("SELECT id FROM users WHERE email = ?", "s",
	    email), id);
}

/* The stored hash of a live account (caller frees) and its id: OK,
 * E_NOT_FOUND, E_DB. */
static enum outcome
stored_hash(struct dbres *r, long long *id, char **hash)
{
	int rc;

	*hash = NULL;
	if (r == NULL)
		return db_error();
	if ((rc = db_next(r)) == 1 && db_str(r, 1) != NULL) {
		*id = db_int(r, 0);
		*hash = xstrdup(db_str(r, 1));
	}
	db_free(r);
	if (rc == -1)
		return db_error();
	return *hash != NULL ? OK : E_NOT_FOUND;
}

enum outcome
user_authenticate(const char *email, const char *password, long long *id)
{
	enum outcome rc;
	char *hash;
	int ok;

	rc = stored_hash(db_query("SELECT id, password_hash FROM users"
	    " WHERE email = ? AND deleted_at IS NULL", "s", email), id, &hash);
	if (rc == E_NOT_FOUND) {
		password_burn(password);
		return E_INVALID;
	}
	if (rc != OK)
		return rc;
	ok = password_verify(hash, password);
	if (ok && password_needs_rehash(hash))
		user_set_password(*id, password);
	free(hash);
	return ok ? OK : E_INVALID;
}

enum outcome
user_check_password(long long id, const char *password)
{
	enum outcome rc;
	long long got;
	char *hash;
	int ok;

	rc = stored_hash(db_query("SELECT id, password_hash FROM users"
	    " WHERE id = ? AND deleted_at IS NULL", "i", id), &got, &hash);
	if (rc == E_NOT_FOUND)
		return E_INVALID;
	if (rc != OK)
		return rc;
	ok = password_verify(hash, password);
	free(hash);
	return ok ? OK : E_INVALID;
}

enum outcome
user_set_name(long long id, const char *name)
{
	/* No row changed is not an error: the same name again. */
	if (db_exec("UPDATE users SET name = ?, updated_at = UTC_TIMESTAMP()"
	    " WHERE id = ? AND deleted_at IS NULL", "si", name, id) == -1)
		return db_error();
	/* The name is in the assignee lists workers keep. */
	return ws_changed_for_user(id);
}

enum outcome
user_set_password(long long id, const char *password)
{
	char *hash = password_hash(password);
	long long n;

	if (hash == NULL)
		return E_DB;
	n = db_exec("UPDATE users SET password_hash = ?, updated_at ="
	    " UTC_TIMESTAMP() WHERE id = ?", "si", hash, id);
	free(hash);
	return n == -1 ? db_error() : OK;
}

/* One account row (id, name, email, confirmed) into *a. */
static enum outcome
one_account(struct dbres *res, struct account *a)
{
	int rc;

	memset(a, 0, sizeof(*a));
	if (res == NULL)
		return db_error();
	if ((rc = db_next(res)) == 1) {
		a->id = db_int(res, 0);
		a->name = xstrdup(db_str(res, 1));
		a->email = xstrdup(db_str(res, 2));
		a->confirmed = db_int(res, 3) != 0;
	}
	db_free(res);
	return rc == 1 ? OK : rc == 0 ? E_NOT_FOUND : db_error();
}

enum outcome
user_load(long long id, struct account *a)
{
	return one_account(db_query("SELECT id, name, email,"
	    " email_confirmed_at IS NOT NULL FROM users"
	    " WHERE id = ? AND deleted_at IS NULL", "i", id), a);
}

enum outcome
user_find(const char *email, struct account *a)
{
	return one_account(db_query("SELECT id, name, email,"
	    " email_confirmed_at IS NOT NULL FROM users"
	    " WHERE email = ? AND deleted_at IS NULL", "s", email), a);
}

void
account_clear(struct account *a)
{
	free(a->name);
	free(a->email);
	memset(a, 0, sizeof(*a));
}

enum outcome
user_confirm_email(long long id, const char *email)
{
	if (db_exec("UPDATE users SET email = ?, email_confirmed_at ="
	    " UTC_TIMESTAMP(), updated_at = UTC_TIMESTAMP() WHERE id = ?",
	    "si", email, id) == -1)
		return db_errno() == DB_ER_DUP_ENTRY ? E_TAKEN : db_error();
	return OK;
}

enum outcome
user_confirmed(long long id)
{
	long long n = db_scalar("SELECT COUNT(*) FROM users WHERE id = ? AND"
	    " deleted_at IS NULL AND email_confirmed_at IS NOT NULL", "i", id);

	if (n == -1)
		return db_error();
	return n == 1 ? OK : E_FORBIDDEN;
}
