/* Typed form fields (integer, enumeration, id, hidden): parsed once by
 * form_read and handed to the handler as numbers, with the refusal the
 * field declares; and the one mapping of outcomes to HTTP statuses. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "app.h"
#include "request.h"
#include "tickets.h"

static const struct fkind statuses =
    F_ENUM(status_parse, "Choose a status from the list.");
static const struct fkind people = F_ID_OF("Choose someone from the list.");

static const struct field fields[] = {
	{ "version", NULL, F_INT, 1, 1, 100 },
	{ "count", "Count", F_INT, 0, 0, 10 },
	{ "status", "Status", &statuses, 1, 0, 0 },
	{ "who", "Who", &people, 0, 0, 0 },
	{ "ref", "Reference", F_ID, 0, 0, 0 },
	{ NULL, NULL, 0, 0, 0, 0 }
};

static void
add(struct req *r, const char *k, const char *v)
{
	kv_add(&r->form, k, strlen(k), v, strlen(v));
}

static const char *
get(struct json_object *o, const char *k)
{
	struct json_object *v;

	return json_object_object_get_ex(o, k, &v) ?
	    json_object_get_string(v) : NULL;
}

static void
test_typed_values(void **state)
{
	struct req r;
	struct form f;

	(void)state;
	memset(&r, 0, sizeof(r));
	add(&r, "version", " 42 ");
	add(&r, "count", "0");
	add(&r, "status", "pending");
	add(&r, "who", "none");
	add(&r, "ref", "7");
	form_begin(&f);
	assert_int_equal(form_read(&r, fields, &f), 0);
	assert_int_equal(form_int(&f, "version"), 42);
	assert_int_equal(form_int(&f, "count"), 0);
	assert_int_equal(form_int(&f, "status"), ST_PENDING);
	assert_int_equal(form_int(&f, "who"), 0);
	assert_int_equal(form_int(&f, "ref"), 7);
	assert_int_equal(form_int(&f, "undeclared"), 0);
	/* What was typed, trimmed, for the page again. */
	assert_string_equal(get(f.values, "status"), "pending");
	assert_string_equal(get(f.values, "version"), "42");
	assert_null(form_first_error(&f));
	form_end(&f);
	req_free(&r);
}

static void
test_typed_refusals(void **state)
{
	struct req r;
	struct form f;

	(void)state;
	memset(&r, 0, sizeof(r));
	add(&r, "version", "101");
	add(&r, "count", "-1");
	add(&r, "status", "bogus");
	add(&r, "who", "12x");
	add(&r, "ref", "0");
	form_begin(&f);
	assert_int_equal(form_read(&r, fields, &f), 5);
	/* A hidden field nobody typed: the page was old or cut. */
	assert_string_equal(get(f.errors, "version"),
	    "The form was incomplete. Reload the page.");
	assert_string_equal(get(f.errors, "count"),
	    "Count must be a whole number from 0 to 10.");
	assert_string_equal(get(f.errors, "status"),
	    "Choose a status from the list.");
	assert_string_equal(get(f.errors, "who"),
	    "Choose someone from the list.");
	assert_string_equal(get(f.errors, "ref"),
	    "Reference is not one of the list.");
	assert_string_equal(form_first_error(&f),
	    "The form was incomplete. Reload the page.");
	/* Nothing refused is handed on as a number. */
	assert_int_equal(form_int(&f, "status"), 0);
	assert_string_equal(get(f.values, "status"), "bogus");
	form_end(&f);
	req_free(&r);
}

static void
test_typed_missing(void **state)
{
	struct req r;
	struct form f;

	(void)state;
	memset(&r, 0, sizeof(r));
	form_begin(&f);
	/* version and status are required; an empty list is a choice not
	 * made. */
	assert_int_equal(form_read(&r, fields, &f), 2);
	assert_string_equal(get(f.errors, "status"),
	    "Choose a status from the list.");
	assert_null(get(f.errors, "who"));
	form_refuse(&f, "who", "Nobody by that name.");
	assert_int_equal(f.nerr, 3);
	form_end(&f);
	req_free(&r);
}

static void
test_outcomes(void **state)
{
	(void)state;
	assert_int_equal(OK, 0);
	assert_int_equal(outcome_status(OK), 200);
	assert_int_equal(outcome_status(E_NOT_FOUND), 404);
	assert_int_equal(outcome_status(E_CONFLICT), 409);
	assert_int_equal(outcome_status(E_LAST_ADMIN), 409);
	assert_int_equal(outcome_status(E_INVALID), 400);
	assert_int_equal(outcome_status(E_TAKEN), 400);
	assert_int_equal(outcome_status(E_FORBIDDEN), 403);
	assert_int_equal(outcome_status(E_LIMITED), 429);
	/* The database's failures are never the user's: 503. */
	assert_int_equal(outcome_status(E_DB), 503);
	assert_int_equal(outcome_status(E_DB_UNKNOWN), 503);
	assert_true(outcome_is_db(E_DB) && outcome_is_db(E_DB_UNKNOWN));
	assert_false(outcome_is_db(E_INVALID));
	assert_string_equal(outcome_name(E_NOT_FOUND), "not found");
	assert_string_equal(outcome_name(OUTCOME__MAX), "unknown outcome");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_typed_values),
		cmocka_unit_test(test_typed_refusals),
		cmocka_unit_test(test_typed_missing),
		cmocka_unit_test(test_outcomes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
