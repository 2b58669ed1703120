/* Form validation: trimming, lengths in characters, emails, slugs, and
 * that a refused form keeps every value but the password. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "form.h"
#include "request.h"

static const struct field fields[] = {
	{ "name", "Name", F_TEXT, 1, 2, 5 },
	{ "email", "Email", F_EMAIL, 1, 3, 254 },
	{ "slug", "Address", F_SLUG, 0, 2, 20 },
	{ "password", "Password", F_PASSWORD, 1, 4, 100 },
	{ NULL, NULL, 0, 0, 0, 0 }
};

static void
add(struct req *r, const char *k, const char *v)
{
	kv_add(&r->form, k, strlen(k), v, strlen(v));
}

static int
check(struct req *r, struct json_object **values, struct json_object **errors)
{
	*values = json_object_new_object();
	*errors = json_object_new_object();
	return form_check(r, fields, *values, *errors);
}

static const char *
get(struct json_object *o, const char *k)
{
	struct json_object *v;

	return json_object_object_get_ex(o, k, &v) ?
	    json_object_get_string(v) : NULL;
}

static void
test_good(void **state)
{
	struct req r;
	struct json_object *v, *e;

	(void)state;
	memset(&r, 0, sizeof(r));
	add(&r, "name", "  Zoë  ");
	add(&r, "email", " Ada@Example.COM ");
	add(&r, "slug", "Acme-Co");
	add(&r, "password", " pw with spaces ");
	assert_int_equal(check(&r, &v, &e), 0);
	assert_string_equal(req_form(&r, "name"), "Zoë");
	assert_string_equal(req_form(&r, "email"), "ada@example.com");
	assert_string_equal(req_form(&r, "slug"), "acme-co");
	assert_string_equal(req_form(&r, "password"), " pw with spaces ");
	assert_null(get(v, "password"));
	json_object_put(v);
	json_object_put(e);
	req_free(&r);
}

static void
test_bad_keeps_values(void **state)
{
	struct req r;
	struct json_object *v, *e;

	(void)state;
	memset(&r, 0, sizeof(r));
	add(&r, "name", "toolong");
	add(&r, "email", "a@b");
	add(&r, "slug", "-x-");
	add(&r, "password", "abc");
	assert_int_equal(check(&r, &v, &e), 4);
	assert_string_equal(get(v, "name"), "toolong");
	assert_string_equal(get(v, "email"), "a@b");
	assert_null(get(v, "password"));
	assert_non_null(strstr(get(e, "name"), "at most 5"));
	assert_non_null(strstr(get(e, "email"), "email address"));
	assert_non_null(strstr(get(e, "slug"), "a-z"));
	assert_non_null(strstr(get(e, "password"), "at least 4"));
	json_object_put(v);
	json_object_put(e);
	req_free(&r);
}

static void
test_missing_and_optional(void **state)
{
	struct req r;
	struct json_object *v, *e;

	(void)state;
	memset(&r, 0, sizeof(r));
	assert_int_equal(check(&r, &v, &e), 3);	/* slug is optional */
	assert_non_null(strstr(get(e, "name"), "required"));
	assert_null(get(e, "slug"));
	json_object_put(v);
	json_object_put(e);
	req_free(&r);
}

static void
test_lengths_count_characters(void **state)
{
	struct req r;
	struct json_object *v, *e;

	(void)state;
	memset(&r, 0, sizeof(r));
	add(&r, "name", "ééééé");	/* 5 characters, 10 bytes */
	add(&r, "email", "x@y.example");
	add(&r, "password", "abcd");
	assert_int_equal(check(&r, &v, &e), 0);
	json_object_put(v);
	json_object_put(e);
	req_free(&r);
	assert_int_equal(utf8_len("aé€😀"), 4);
}

static void
test_one_line(void **state)
{
	struct req r;
	struct json_object *v, *e;

	(void)state;
	memset(&r, 0, sizeof(r));
	add(&r, "name", "a\r\nb");
	add(&r, "email", "x@y.example");
	add(&r, "password", "abcd");
	assert_int_equal(check(&r, &v, &e), 1);
	assert_non_null(strstr(get(e, "name"), "one line"));
	json_object_put(v);
	json_object_put(e);
	req_free(&r);
}

static void
test_emails(void **state)
{
	static const struct { const char *in; int ok; } cases[] = {
		{ "a@b.co", 1 }, { "first.last+tag@sub.example.org", 1 },
		{ "@b.co", 0 }, { "a@", 0 }, { "a@@b.co", 0 }, { "a@b", 0 },
		{ "a b@c.co", 0 }, { "a@b.co.", 0 }, { "a@.co", 0 },
		{ "<a>@b.co", 0 }, { "a@b,c.co", 0 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct req r;
		struct json_object *v, *e;

		memset(&r, 0, sizeof(r));
		add(&r, "name", "Ann");
		add(&r, "email", cases[i].in);
		add(&r, "password", "abcd");
		assert_int_equal(check(&r, &v, &e) == 0, cases[i].ok);
		json_object_put(v);
		json_object_put(e);
		req_free(&r);
	}
}

/* The error summary: one entry per field in error, in the form's order,
 * each naming its field (the id the summary links to); none without
 * errors, and a page's own list is kept. */
static void
test_summary(void **state)
{
	struct json_object *c, *e, *list, *item, *v;

	(void)state;
	c = json_object_new_object();
	e = json_object_new_object();
	json_object_object_add(e, "email", json_object_new_string("Email is "
	    "required."));
	json_object_object_add(e, "password", json_object_new_string("Too "
	    "short."));
	json_object_object_add(c, "errors", e);
	form_summary(c);
	assert_true(json_object_object_get_ex(c, "error_list", &list));
	assert_int_equal(json_object_array_length(list), 2);
	item = json_object_array_get_idx(list, 0);
	assert_true(json_object_object_get_ex(item, "field", &v));
	assert_string_equal(json_object_get_string(v), "email");
	assert_true(json_object_object_get_ex(item, "message", &v));
	assert_string_equal(json_object_get_string(v), "Email is required.");
	item = json_object_array_get_idx(list, 1);
	assert_true(json_object_object_get_ex(item, "field", &v));
	assert_string_equal(json_object_get_string(v), "password");
	/* Twice: the list is built once. */
	form_summary(c);
	assert_true(json_object_object_get_ex(c, "error_list", &list));
	assert_int_equal(json_object_array_length(list), 2);
	json_object_put(c);

	c = json_object_new_object();
	json_object_object_add(c, "errors", json_object_new_object());
	form_summary(c);
	assert_false(json_object_object_get_ex(c, "error_list", NULL));
	json_object_put(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_bad_keeps_values),
		cmocka_unit_test(test_missing_and_optional),
		cmocka_unit_test(test_lengths_count_characters),
		cmocka_unit_test(test_one_line),
		cmocka_unit_test(test_emails),
		cmocka_unit_test(test_summary),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
