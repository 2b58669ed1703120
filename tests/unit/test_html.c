/*
 * Unit tests of html/ itself: every template and partial loads as the
 * programs load them at start-up, each file the loader should take is
 * one it took, and every value placed inside a URL attribute goes
 * through {{url x}}. Run from the repository root (HD_TEMPLATES=DIR
 * for another directory).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <json-c/json.h>

#include "buf.h"
#include "tmpl.h"

static const char	*dir = "html";
static struct buf	 problems = BUF_INIT;

/* dir/x/y.html -> "x/y", dir/mail/y.txt -> "mail/y.txt"; NULL for what
 * is not a template's file. */
static const char *
template_name(const char *path, char *name, size_t sz)
{
	size_t dl = strlen(dir), len = strlen(path), cut;

	if (strncmp(path, dir, dl) != 0 || path[dl] != '/' || len < dl + 6)
		return NULL;
	if (strcmp(path + len - 5, ".html") == 0)
		cut = 5;
	else if (strcmp(path + len - 4, ".txt") == 0 &&
	    strncmp(path + dl, "/mail/", 6) == 0)
		cut = 0;
	else
		return NULL;
	path += dl + 1;
	len -= dl + 1;
	if (strncmp(path, "static/", 7) == 0 || len - cut >= sz)
		return NULL;
	memcpy(name, path, len - cut);
	name[len - cut] = '\0';
	return name;
}

static int
read_file(const char *path, struct buf *b)
{
	char chunk[4096];
	size_t n;
	FILE *fp;

	if ((fp = fopen(path, "r")) == NULL)
		return -1;
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		buf_add(b, chunk, n);
	fclose(fp);
	return 0;
}

static int
line_of(const char *s, const char *at)
{
	int line = 1;

	for (; s < at; s++)
		line += *s == '\n';
	return line;
}

/* Each {{x}} in href="..." (action, src, formaction) must be {{url x}},
 * unless it is the whole value: a URL the handler made. */
static void
check_urls(const char *path, const char *s)
{
	static const char *attrs[] = { " href=\"", " action=\"", " src=\"",
	    " formaction=\"" };
	const char *p, *v, *w, *end, *tag, *close;
	size_t i, n;

	for (i = 0; i < sizeof(attrs) / sizeof(attrs[0]); i++) {
		for (p = s; (p = strstr(p, attrs[i])) != NULL; p = end) {
			v = p + strlen(attrs[i]);
			/* The value ends at a quote outside any tag. */
			for (end = v; *end != '\0' && *end != '"'; end++)
				if (strncmp(end, "{{", 2) == 0 &&
				    (close = strstr(end, "}}")) != NULL)
					end = close + 1;
			for (tag = v; (tag = strstr(tag, "{{")) != NULL &&
			    tag < end; tag = close) {
				if ((close = strstr(tag, "}}")) == NULL)
					break;
				n = (size_t)(close - tag) + 2;
				for (w = tag + 2; *w == ' '; w++)
					continue;
				if (*w == '#' || *w == '/' ||
				    strncmp(w, "else", 4) == 0 ||
				    strncmp(w, "url ", 4) == 0)
					continue;
				if (tag == v && close + 2 == end)
					continue;
				buf_printf(&problems, "%s:%d: %.*s inside a URL: "
				    "use {{url ...}}\n", path, line_of(s, tag),
				    (int)n, tag);
			}
		}
	}
}

/* Every file: taken by tmpl_load, compiles on its own, URLs encoded. */
static int
visit(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	struct buf src = BUF_INIT;
	struct tmpl *t;
	char name[128], err[512];

	(void)sb;
	(void)ftw;
	if (flag != FTW_F || template_name(path, name, sizeof(name)) == NULL)
		return 0;
	if (tmpl_get(name) == NULL)
		buf_printf(&problems, "%s: not loaded as \"%s\"\n", path, name);
	if (read_file(path, &src) == -1) {
		buf_printf(&problems, "%s: cannot read\n", path);
		return 0;
	}
	t = tmpl_compile(path, buf_str(&src), src.len, err, sizeof(err));
	if (t == NULL)
		buf_printf(&problems, "%s\n", err);
	tmpl_free(t);
	check_urls(path, buf_str(&src));
	buf_free(&src);
	return 0;
}

static void
test_loads(void **state)
{
	char err[512];

	(void)state;
	if (tmpl_load(dir, err, sizeof(err)) == -1)
		fail_msg("%s", err);
}

static void
test_every_file(void **state)
{
	int count = 0;

	(void)state;
	buf_reset(&problems);
	assert_int_equal(nftw(dir, visit, 16, FTW_PHYS), 0);
	if (problems.len > 0) {
		print_error("%s", buf_str(&problems));
		fail_msg("html/ has the problems above");
	}
	/* The walk saw the templates the programs name. */
	count += tmpl_get("layout") != NULL;
	count += tmpl_get("error") != NULL;
	count += tmpl_get("partials/form-message") != NULL;
	assert_int_equal(count, 3);
}

/* Rendering never fails, whatever a handler left out. */
static void
test_renders_empty(void **state)
{
	static const char *names[] = { "layout", "error", "signin", "signup",
	    "account", "tickets/show", "tickets/queue", "admin/members" };
	struct json_object *ctx = json_object_new_object();
	struct buf out = BUF_INIT;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		buf_reset(&out);
		assert_int_equal(tmpl_render(tmpl_get(names[i]), ctx, &out), 0);
		assert_true(out.len > 0);
	}
	json_object_put(ctx);
	buf_free(&out);
}

/* The sign-in link keeps a next= whole: & # ? space and UTF-8 encoded. */
static void
test_next_encoded(void **state)
{
	struct json_object *ctx;
	struct buf out = BUF_INIT;

	(void)state;
	ctx = json_tokener_parse("{\"next\":\"/w/a?q=caf\\u00e9 x&s=1#top\"}");
	assert_non_null(ctx);
	assert_int_equal(tmpl_render(tmpl_get("signin"), ctx, &out), 0);
	assert_non_null(strstr(buf_str(&out), "href=\"/signup?next="
	    "%2Fw%2Fa%3Fq%3Dcaf%C3%A9%20x%26s%3D1%23top\""));
	/* The hidden field is an attribute, not a URL: HTML-escaped. */
	assert_non_null(strstr(buf_str(&out), "name=\"next\" value=\""
	    "/w/a?q=caf\xc3\xa9 x&amp;s=1#top\""));
	json_object_put(ctx);
	buf_free(&out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_loads),
		cmocka_unit_test(test_every_file),
		cmocka_unit_test(test_renders_empty),
		cmocka_unit_test(test_next_encoded),
	};

	if (getenv("HD_TEMPLATES") != NULL)
		dir = getenv("HD_TEMPLATES");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
