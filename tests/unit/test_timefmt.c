/*
 * Unit tests for lib/base/timefmt.c and the {{time}}/{{date}} directives
 * of lib/base/tmpl.c: the zone list, conversion across daylight saving
 * changes, the relative words at their boundaries, and what a page and
 * a mail template render. The zones are the system's (tzdata).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "buf.h"
#include "timefmt.h"
#include "tmpl.h"

static time_t
at(const char *s)
{
	time_t t;

	if (time_parse(s, &t) == -1)
		fail_msg("time_parse(\"%s\")", s);
	return t;
}

static void
expect_abs(const char *zone, const char *utc, const char *want)
{
	struct buf b = BUF_INIT;

	tz_set(zone);
	time_absolute(&b, at(utc), 1);
	if (strcmp(buf_str(&b), want) != 0)
		fail_msg("%s in %s: \"%s\", want \"%s\"", utc, zone,
		    buf_str(&b), want);
	buf_free(&b);
}

static void
expect_rel(long ago, const char *want)
{
	struct buf b = BUF_INIT;
	time_t now = at("2026-11-30 12:00:00");

	if (want == NULL) {
		assert_int_equal(time_relative(&b, now - ago, now), -1);
		assert_int_equal(b.len, 0);
	} else {
		assert_int_equal(time_relative(&b, now - ago, now), 0);
		if (strcmp(buf_str(&b), want) != 0)
			fail_msg("%ld s ago: \"%s\", want \"%s\"", ago,
			    buf_str(&b), want);
	}
	buf_free(&b);
}

static void
expect_render(const char *name, const char *src, const char *json,
    const char *want)
{
	struct buf out = BUF_INIT;
	struct json_object *ctx = json_tokener_parse(json);
	struct tmpl *t;
	char err[256];

	if ((t = tmpl_compile(name, src, strlen(src), err, sizeof(err))) ==
	    NULL)
		fail_msg("compile \"%s\": %s", src, err);
	assert_int_equal(tmpl_render(t, ctx, &out), 0);
	if (strcmp(buf_str(&out), want) != 0)
		fail_msg("\"%s\" gave \"%s\", want \"%s\"", src, buf_str(&out),
		    want);
	buf_free(&out);
	json_object_put(ctx);
	tmpl_free(t);
}

static void
test_zones(void **state)
{
	char err[256];
	size_t i, n;

	(void)state;
	assert_true(tz_count() > 300);
	assert_true(tz_valid("UTC"));
	assert_true(tz_valid("Europe/Berlin"));
	assert_true(tz_valid("America/Argentina/Buenos_Aires"));
	assert_false(tz_valid(""));
	assert_false(tz_valid(NULL));
	assert_false(tz_valid("Mars/Olympus_Mons"));
	assert_false(tz_valid("../../etc/passwd"));
	assert_false(tz_valid("europe/berlin"));
	for (i = 1; i < tz_count(); i++)
		assert_true(strcmp(tz_at(i - 1), tz_at(i)) < 0);
	assert_null(tz_at(tz_count()));
	/* Read again, the list is the same, not doubled. */
	n = tz_count();
	assert_int_equal(tz_load(err, sizeof(err)), 0);
	assert_int_equal(tz_count(), n);
	/* Not in the list: UTC, never a guess. */
	tz_set("Mars/Olympus_Mons");
	assert_string_equal(tz_name(), "UTC");
	tz_set(NULL);
	assert_string_equal(tz_name(), "UTC");
	tz_set("Asia/Tokyo");
	assert_string_equal(tz_name(), "Asia/Tokyo");
}

static void
test_parse(void **state)
{
	time_t t;

	(void)state;
	assert_int_equal(time_parse("2026-11-30 15:28:37", &t), 0);
	assert_int_equal((long long)t, 1796052517LL);
	assert_int_equal(time_parse("2026-11-30 15:28", &t), 0);
	assert_int_equal((long long)t, 1796052480LL);
	assert_int_equal(time_parse("2026-11-30", &t), 0);
	assert_int_equal((long long)t, 1795996800LL);
	assert_int_equal(time_parse("", &t), -1);
	assert_int_equal(time_parse("yesterday", &t), -1);
	assert_int_equal(time_parse("2026-11-30 15:28 UTC", &t), -1);
	assert_int_equal(time_parse("2026-13-01", &t), -1);
	assert_int_equal(time_parse("2026-11-30 25:00:00", &t), -1);
	assert_int_equal(time_parse("2026-11-30 15:28:37x", &t), -1);
}

/* Each side of a daylight saving change. */
static void
test_dst(void **state)
{
	(void)state;
	/* New York springs forward at 2:00 EST on 8 March 2026 (07:00Z). */
	expect_abs("America/New_York", "2026-03-08 06:59:59",
	    "8 Mar 2026, 01:59 EST (America/New_York)");
	expect_abs("America/New_York", "2026-03-08 07:00:00",
	    "8 Mar 2026, 03:00 EDT (America/New_York)");
	/* and falls back at 2:00 EDT on 1 November (06:00Z): 01:xx twice. */
	expect_abs("America/New_York", "2026-11-01 05:30:00",
	    "1 Nov 2026, 01:30 EDT (America/New_York)");
	expect_abs("America/New_York", "2026-11-01 06:30:00",
	    "1 Nov 2026, 01:30 EST (America/New_York)");
	/* Berlin leaves summer time at 01:00Z on 25 October 2026. */
	expect_abs("Europe/Berlin", "2026-10-25 00:59:00",
	    "25 Oct 2026, 02:59 CEST (Europe/Berlin)");
	expect_abs("Europe/Berlin", "2026-10-25 01:00:00",
	    "25 Oct 2026, 02:00 CET (Europe/Berlin)");
	/* A day that is another date there. */
	expect_abs("Pacific/Auckland", "2026-12-31 12:00:00",
	    "1 Jan 2027, 01:00 NZDT (Pacific/Auckland)");
	/* A zone without letters for its abbreviation. */
	expect_abs("Asia/Dubai", "2026-06-01 00:00:00",
	    "1 Jun 2026, 04:00 +04 (Asia/Dubai)");
	expect_abs("UTC", "2026-06-01 00:00:00", "1 Jun 2026, 00:00 UTC");
	expect_abs("", "2026-06-01 00:00:00", "1 Jun 2026, 00:00 UTC");
}

static void
test_relative(void **state)
{
	(void)state;
	expect_rel(0, "just now");
	expect_rel(59, "just now");
	expect_rel(-59, "just now");
	expect_rel(60, "1 minute ago");
	expect_rel(119, "1 minute ago");
	expect_rel(120, "2 minutes ago");
	expect_rel(3599, "59 minutes ago");
	expect_rel(3600, "1 hour ago");
	expect_rel(2 * 3600, "2 hours ago");
	expect_rel(86399, "23 hours ago");
	expect_rel(86400, "1 day ago");
	expect_rel(6 * 86400 + 86399, "6 days ago");
	expect_rel(7 * 86400, NULL);
	expect_rel(-7 * 86400, NULL);
	expect_rel(-3600, "in 1 hour");
	expect_rel(-2 * 86400, "in 2 days");
	expect_rel(-300, "in 5 minutes");
}

static void
test_directive(void **state)
{
	(void)state;
	time_fix_now(at("2026-11-30 18:00:00"));
	tz_set("Europe/Berlin");
	/* A week and more ago: the absolute time, the full one on hover. */
	expect_render("page", "{{time t}}", "{\"t\": \"2026-11-02 15:28:37\"}",
	    "<time datetime=\"2026-11-02T15:28:37Z\" title=\"2 Nov 2026, "
	    "16:28 CET (Europe/Berlin)\">2 Nov 2026, 16:28 CET</time>");
	/* Recent: relative, the absolute time in the title. */
	expect_render("page", "{{time t}}", "{\"t\": \"2026-11-30 15:28:37\"}",
	    "<time datetime=\"2026-11-30T15:28:37Z\" title=\"30 Nov 2026, "
	    "16:28 CET (Europe/Berlin)\">2 hours ago</time>");
	expect_render("page", "{{date t}}", "{\"t\": \"2026-11-30 23:30:00\"}",
	    "<time datetime=\"2026-11-30T23:30:00Z\" title=\"1 Dec 2026, "
	    "00:30 CET (Europe/Berlin)\">1 Dec 2026</time>");
	/* Mail is read later: the absolute time, in text and HTML alike. */
	expect_render("mail/x.txt", "{{time t}}",
	    "{\"t\": \"2026-11-30 15:28:37\"}",
	    "30 Nov 2026, 16:28 CET (Europe/Berlin)");
	expect_render("mail/x", "<p>{{time t}}</p>",
	    "{\"t\": \"2026-11-30 15:28:37\"}",
	    "<p>30 Nov 2026, 16:28 CET (Europe/Berlin)</p>");
	/* Nothing, or not a time: nothing, or the text escaped. */
	expect_render("page", "[{{time t}}]", "{}", "[]");
	expect_render("page", "[{{time t}}]", "{\"t\": \"\"}", "[]");
	expect_render("page", "{{time t}}", "{\"t\": \"<b>soon</b>\"}",
	    "&lt;b&gt;soon&lt;/b&gt;");
	/* "time" alone is still a name. */
	expect_render("page", "{{time}} {{time time}}",
	    "{\"time\": \"2026-11-30 17:59:00\"}",
	    "2026-11-30 17:59:00 <time datetime=\"2026-11-30T17:59:00Z\" "
	    "title=\"30 Nov 2026, 18:59 CET (Europe/Berlin)\">1 minute ago"
	    "</time>");
	tz_set(NULL);
	expect_render("page", "{{time t}}", "{\"t\": \"2026-11-02 15:28:37\"}",
	    "<time datetime=\"2026-11-02T15:28:37Z\" title=\"2 Nov 2026, "
	    "15:28 UTC\">2 Nov 2026, 15:28 UTC</time>");
	time_fix_now(0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_zones),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_dst),
		cmocka_unit_test(test_relative),
		cmocka_unit_test(test_directive),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
