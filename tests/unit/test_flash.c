/*
 * The flash cookie (lib/web/flash.c): what flash() sets, and what
 * flash_take() makes of a cookie, forged ones included: only a known
 * code shows, with a number only where one belongs, and the cookie is
 * cleared whatever it held.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "config.h"
#include "flash.h"
#include "http.h"
#include "util.h"

static const char *
set_cookie(const struct req *r)
{
	return kv_get(&r->headers, "Set-Cookie");
}

static void
test_flash_sets_code(void **state)
{
	struct req r;

	(void)state;
	memset(&r, 0, sizeof(r));
	flash(&r, FLASH_TICKET_OPENED, 12);
	assert_string_equal(set_cookie(&r), "hd_flash=opened.12; Path=/; "
	    "HttpOnly; SameSite=Lax; Max-Age=60");
	kv_free(&r.headers);
	memset(&r, 0, sizeof(r));
	flash(&r, FLASH_REPLY_SENT, 0);
	assert_string_equal(set_cookie(&r), "hd_flash=replied; Path=/; "
	    "HttpOnly; SameSite=Lax; Max-Age=60");
	kv_free(&r.headers);
}

/* The message value shows for cookie v on a GET (NULL: none). */
static void
check(const char *v, const char *shown)
{
	struct json_object *ctx = json_object_new_object(), *m;
	struct req r;

	memset(&r, 0, sizeof(r));
	r.method = M_GET;
	kv_add(&r.cookies, FLASH_COOKIE, strlen(FLASH_COOKIE), v, strlen(v));
	flash_take(&r, ctx, 1);
	if (shown == NULL)
		assert_false(json_object_object_get_ex(ctx, "flash", &m));
	else {
		assert_true(json_object_object_get_ex(ctx, "flash", &m));
		assert_string_equal(json_object_get_string(m), shown);
	}
	assert_string_equal(set_cookie(&r), "hd_flash=; Path=/; HttpOnly; "
	    "SameSite=Lax; Max-Age=0");
	json_object_put(ctx);
	kv_free(&r.cookies);
	kv_free(&r.headers);
}

static void
test_flash_take(void **state)
{
	(void)state;
	check("opened.12", "Ticket #12 opened.");
	check("replied", "Reply sent.");
	check("released.7", "The message was released as ticket #7.");
	check("opened", NULL);			/* a number belongs */
	check("replied.3", NULL);		/* none belongs */
	check("opened.12x", NULL);
	check("opened.-1", NULL);
	check("opened.", NULL);
	check("opened.1234567890123456", NULL);	/* 16 digits */
	check("opene", NULL);
	check("openedd", NULL);
	check("<b>hi</b>", NULL);
	check("", NULL);
}

/* Not on a POST (a form shown again is not the redirect's page), and an
 * error page clears without showing. */
static void
test_flash_take_when(void **state)
{
	struct json_object *ctx = json_object_new_object(), *m;
	struct req r;

	(void)state;
	memset(&r, 0, sizeof(r));
	r.method = M_POST;
	kv_add(&r.cookies, FLASH_COOKIE, 8, "replied", 7);
	flash_take(&r, ctx, 1);
	assert_null(set_cookie(&r));
	r.method = M_GET;
	flash_take(&r, ctx, 0);
	assert_false(json_object_object_get_ex(ctx, "flash", &m));
	assert_non_null(set_cookie(&r));
	json_object_put(ctx);
	kv_free(&r.cookies);
	kv_free(&r.headers);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_flash_sets_code),
		cmocka_unit_test(test_flash_take),
		cmocka_unit_test(test_flash_take_when),
	};

	cfg.cookie_secure = "never";
	return cmocka_run_group_tests(tests, NULL, NULL);
}
