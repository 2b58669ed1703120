/*
 * Unit tests for lib/tmpl.c: every construct, escaping, scopes, compile
 * errors, and partials/layouts from a temporary directory.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include "buf.h"
#include "tmpl.h"

static char tmpdir[] = "/tmp/test_tmpl.XXXXXX";

/* Compiles src, renders it against json (NULL: no context), compares. */
static void
expect_render(const char *src, const char *json, const char *want)
{
	struct buf out = BUF_INIT;
	struct json_object *ctx = NULL;
	struct tmpl *t;
	char err[256];

	t = tmpl_compile("test", src, strlen(src), err, sizeof(err));
	if (t == NULL)
		fail_msg("compile \"%s\": %s", src, err);
	if (json != NULL) {
		ctx = json_tokener_parse(json);
		assert_non_null(ctx);
	}
	assert_int_equal(tmpl_render(t, ctx, &out), 0);
	if (strcmp(buf_str(&out), want) != 0)
		fail_msg("\"%s\" gave \"%s\", want \"%s\"", src, buf_str(&out),
		    want);
	buf_free(&out);
	json_object_put(ctx);
	tmpl_free(t);
}

/* src must not compile, and the message must contain want. */
static void
expect_error(const char *src, const char *want)
{
	struct tmpl *t;
	char err[256];

	t = tmpl_compile("test", src, strlen(src), err, sizeof(err));
	if (t != NULL) {
		tmpl_free(t);
		fail_msg("\"%s\" compiled", src);
	}
	if (strstr(err, want) == NULL)
		fail_msg("\"%s\": error \"%s\" lacks \"%s\"", src, err, want);
}

/* Renders the loaded template name; returns tmpl_render's result. */
static int
render_file(const char *name, const char *json, struct buf *out)
{
	struct json_object *ctx = NULL;
	const struct tmpl *t;
	int rc;

	t = tmpl_get(name);
	assert_non_null(t);
	if (json != NULL) {
		ctx = json_tokener_parse(json);
		assert_non_null(ctx);
	}
	rc = tmpl_render(t, ctx, out);
	json_object_put(ctx);
	return rc;
}

static void
expect_file(const char *name, const char *json, const char *want)
{
	struct buf out = BUF_INIT;

	assert_int_equal(render_file(name, json, &out), 0);
	assert_string_equal(buf_str(&out), want);
	buf_free(&out);
}

/* Writes tmpdir/name.html, making subdirectories as name has them. */
static void
put(const char *name, const char *text)
{
	char path[512], *slash;
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s.html", tmpdir, name);
	for (slash = path + strlen(tmpdir) + 1; (slash = strchr(slash, '/'))
	    != NULL; slash++) {
		*slash = '\0';
		if (mkdir(path, 0700) == -1 && errno != EEXIST)
			fail_msg("mkdir %s: %s", path, strerror(errno));
		*slash = '/';
	}
	fp = fopen(path, "w");
	assert_non_null(fp);
	assert_int_equal(fputs(text, fp) < 0, 0);
	assert_int_equal(fclose(fp), 0);
}

static int
rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* An empty template directory for the next put()s. */
static void
fresh(void)
{
	assert_int_equal(nftw(tmpdir, rm_entry, 8, FTW_DEPTH | FTW_PHYS), 0);
	assert_int_equal(mkdir(tmpdir, 0700), 0);
}

/* Loads tmpdir; it must work. */
static void
load_ok(void)
{
	char err[512];

	if (tmpl_load(tmpdir, err, sizeof(err)) == -1)
		fail_msg("tmpl_load: %s", err);
}

/* Loading tmpdir must fail, saying "tmpdir/" + want. */
static void
load_fails(const char *want)
{
	char err[512], full[512];

	snprintf(full, sizeof(full), "%s/%s", tmpdir, want);
	if (tmpl_load(tmpdir, err, sizeof(err)) == 0)
		fail_msg("loaded, want \"%s\"", full);
	if (strstr(err, full) == NULL)
		fail_msg("error \"%s\" lacks \"%s\"", err, full);
}

static int
setup(void **state)
{
	(void)state;
	if (mkdtemp(tmpdir) == NULL)
		return -1;
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	return nftw(tmpdir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
}

/*
 * Plain constructs.
 */

static void
test_text(void **state)
{
	(void)state;
	expect_render("", NULL, "");
	expect_render("plain <b>html</b> & text", NULL,
	    "plain <b>html</b> & text");
	expect_render("a } b { c }} d", NULL, "a } b { c }} d");
	expect_render("}}", NULL, "}}");
}

static void
test_var(void **state)
{
	(void)state;
	expect_render("Hello, {{name}}!", "{\"name\":\"Ann\"}", "Hello, Ann!");
	expect_render("[{{ name }}][{{\tname\n}}]", "{\"name\":\"x\"}",
	    "[x][x]");
	expect_render("[{{missing}}]", "{}", "[]");
}

static void
test_values(void **state)
{
	(void)state;
	expect_render("{{s}}|{{i}}|{{n}}|{{d}}|{{d2}}|{{t}}|{{f}}|{{z}}|"
	    "{{o}}|{{a}}|{{missing}}",
	    "{\"s\":\"str\",\"i\":42,\"n\":-7,\"d\":1.5,\"d2\":0.1,"
	    "\"t\":true,\"f\":false,\"z\":null,\"o\":{\"k\":1},\"a\":[1,2]}",
	    "str|42|-7|1.5|0.1|true|false||||");
	expect_render("{{big}} {{max}} {{min}}",
	    "{\"big\":18446744073709551615,\"max\":9223372036854775807,"
	    "\"min\":-9223372036854775808}",
	    "18446744073709551615 9223372036854775807 -9223372036854775808");
	expect_render("{{d}}", "{\"d\":2.0}", "2");
}

static void
test_escape_text(void **state)
{
	(void)state;
	expect_render("<p>{{v}}</p>", "{\"v\":\"&<>\\\"'\"}",
	    "<p>&amp;&lt;&gt;&quot;&#39;</p>");
	expect_render("{{v}}", "{\"v\":\"<script>alert(1)</script>\"}",
	    "&lt;script&gt;alert(1)&lt;/script&gt;");
	expect_render("{{v}}", "{\"v\":\"&amp;\"}", "&amp;amp;");
}

static void
test_escape_attr(void **state)
{
	(void)state;
	expect_render("<input value=\"{{v}}\" title='{{v}}'>",
	    "{\"v\":\"\\\" onclick='x()' \\\"\"}",
	    "<input value=\"&quot; onclick=&#39;x()&#39; &quot;\" "
	    "title='&quot; onclick=&#39;x()&#39; &quot;'>");
}

static void
test_html_escape(void **state)
{
	struct buf out = BUF_INIT;

	(void)state;
	html_escape(&out, "a&b<c>d\"e'f", 11);
	assert_string_equal(buf_str(&out), "a&amp;b&lt;c&gt;d&quot;e&#39;f");
	buf_reset(&out);
	html_escape(&out, "", 0);
	assert_int_equal(out.len, 0);
	/* Binary-safe: a NUL passes and the length is honoured. */
	html_escape(&out, "x\0<yz", 3);
	assert_int_equal(out.len, 6);
	assert_memory_equal(out.data, "x\0&lt;", 6);
	buf_free(&out);
}

static void
test_raw(void **state)
{
	(void)state;
	expect_render("{{raw h}}|{{ raw  h }}|{{h}}",
	    "{\"h\":\"<b>&amp;</b>\"}",
	    "<b>&amp;</b>|<b>&amp;</b>|&lt;b&gt;&amp;amp;&lt;/b&gt;");
	expect_render("{{raw n}}{{raw a.b}}", "{\"n\":3,\"a\":{\"b\":\"<\"}}",
	    "3<");
}

static void
test_dotted(void **state)
{
	const char *ctx = "{\"a\":{\"b\":{\"c\":\"deep\"}},\"s\":\"str\","
	    "\"list\":[\"x\",\"y\"],\"n\":null}";

	(void)state;
	/* A dotted name follows object keys only: no index into a list. */
	expect_render("{{a.b.c}}|{{a.x.c}}|{{s.len}}|{{list.1}}|{{list.9}}|"
	    "{{n.x}}|{{nope.x}}", ctx, "deep||||||");
	expect_render("{{#if a.b}}y{{/if}}{{#if a.q}}n{{/if}}", ctx, "y");
}

/* What no template used is gone, and is an error, never silent. */
static void
test_removed(void **state)
{
	(void)state;
	expect_error("a{{! a note }}b", "test:1: unknown tag {{! a note}}");
	expect_error("{{!}}", "bad name");
	expect_error("{{#unless v}}none{{/unless}}",
	    "test:1: unknown block {{#unless}}");
	expect_error("{{#each l}}{{.}}{{/each}}", "bad name \".\"");
	expect_error("{{#each l}}{{@index}}{{/each}}", "bad name \"@index\"");
	expect_error("{{#if .}}{{/if}}", "bad name");
}

/*
 * Blocks.
 */

static void
test_if_truthiness(void **state)
{
	static const struct {
		const char	*v;
		const char	*want;
	} tab[] = {
		{ "null", "F" }, { "false", "F" }, { "\"\"", "F" },
		{ "0", "F" }, { "0.0", "F" }, { "[]", "F" },
		{ "true", "T" }, { "\"0\"", "T" }, { "\" \"", "T" },
		{ "1", "T" }, { "-1", "T" }, { "0.5", "T" }, { "[0]", "T" },
		{ "{}", "T" }, { "{\"a\":1}", "T" },
	};
	char json[64];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++) {
		snprintf(json, sizeof(json), "{\"v\":%s}", tab[i].v);
		expect_render("{{#if v}}T{{else}}F{{/if}}", json, tab[i].want);
	}
	expect_render("{{#if v}}T{{else}}F{{/if}}", "{}", "F");
	expect_render("{{#if v}}T{{/if}}", "{}", "");
}

static void
test_eq(void **state)
{
	const char *ctx = "{\"s\":\"open\",\"i\":42,\"t\":true,\"q\":\"a b\"}";

	(void)state;
	expect_render("{{#eq s \"open\"}}O{{else}}X{{/eq}}", ctx, "O");
	expect_render("{{#eq s \"closed\"}}O{{else}}X{{/eq}}", ctx, "X");
	expect_render("{{#eq s \"ope\"}}O{{/eq}}", ctx, "");
	expect_render("{{#eq i \"42\"}}y{{/eq}}{{#eq t \"true\"}}y{{/eq}}",
	    ctx, "yy");
	expect_render("{{#eq missing \"\"}}empty{{/eq}}", ctx, "empty");
	expect_render("{{ #eq  q  \"a b\" }}y{{/eq}}", ctx, "y");
	expect_render("{{#each l}}{{#eq n \"b\"}}[{{n}}]{{/eq}}{{/each}}",
	    "{\"l\":[{\"n\":\"a\"},{\"n\":\"b\"},{\"n\":\"c\"}]}",
	    "[b]");
}

static void
test_each(void **state)
{
	const char *tpl = "{{#each xs}}[{{v}}]{{else}}none{{/each}}";

	(void)state;
	expect_render(tpl, "{\"xs\":[{\"v\":\"a\"},{\"v\":\"<b>\"},"
	    "{\"v\":3}]}", "[a][&lt;b&gt;][3]");
	expect_render(tpl, "{\"xs\":[]}", "none");
	expect_render(tpl, "{}", "none");
	expect_render(tpl, "{\"xs\":\"str\"}", "none");
	expect_render(tpl, "{\"xs\":{\"a\":1}}", "none");
	expect_render("{{#each xs}}{{#each ys}}{{v}}{{/each}};{{/each}}",
	    "{\"xs\":[{\"ys\":[{\"v\":1},{\"v\":2}]},{\"ys\":[]},"
	    "{\"ys\":[{\"v\":3}]}]}", "12;;3;");
	/* An element that is no object has no names: they come from outside. */
	expect_render("{{#each xs}}[{{v}}]{{/each}}",
	    "{\"v\":\"out\",\"xs\":[1,\"a\",null,[2]]}",
	    "[out][out][out][out]");
}

static void
test_each_scope(void **state)
{
	const char *ctx =
	    "{\"title\":\"T\",\"name\":\"root\",\"user\":{\"name\":\"u\"},"
	    "\"groups\":["
	    "{\"name\":\"g1\",\"items\":[{\"name\":\"i1\"},{\"x\":1}]},"
	    "{\"name\":\"g2\",\"items\":[]}]}";

	(void)state;
	/* The second item has no name, so the group's shows through. */
	expect_render("{{#each groups}}{{name}}:{{#each items}}"
	    "{{name}}/{{title}};{{else}}empty;{{/each}}{{/each}}",
	    ctx, "g1:i1/T;g1/T;g2:empty;");
	/* The outer element comes back after the inner loop. */
	expect_render("{{#each groups}}{{#each items}}{{name}}{{/each}}"
	    "-{{name}} {{/each}}", ctx, "i1g1-g1 -g2 ");
	/* A dotted path starts from the scope chain. */
	expect_render("{{#each groups}}{{user.name}}{{/each}}", ctx, "uu");
	/* An explicit null in an inner scope hides the outer value. */
	expect_render("{{#each xs}}[{{name}}]{{/each}}",
	    "{\"name\":\"outer\",\"xs\":[{\"name\":null},{}]}",
	    "[][outer]");
}

static void
test_nested_ok(void **state)
{
	struct buf src = BUF_INIT;
	int i;

	(void)state;
	for (i = 0; i < 50; i++)
		buf_puts(&src, "{{#if v}}");
	buf_puts(&src, "deep");
	for (i = 0; i < 50; i++)
		buf_puts(&src, "{{/if}}");
	expect_render(buf_str(&src), "{\"v\":1}", "deep");
	buf_free(&src);
}

static void
test_yield_without_layout(void **state)
{
	(void)state;
	expect_render("a{{yield}}b", NULL, "ab");
}

static void
test_null_ctx(void **state)
{
	(void)state;
	expect_render("{{x}}{{a.b}}{{url x}}{{raw x}}{{#if x}}y{{else}}u"
	    "{{/if}}{{#eq x \"\"}}q{{/eq}}{{#each x}}{{else}}e{{/each}}",
	    NULL, "uqe");
}

static void
test_appends(void **state)
{
	struct buf out = BUF_INIT;
	struct tmpl *t;

	(void)state;
	t = tmpl_compile("t", "b", 1, NULL, 0);
	assert_non_null(t);
	buf_puts(&out, "a");
	assert_int_equal(tmpl_render(t, NULL, &out), 0);
	assert_int_equal(tmpl_render(t, NULL, &out), 0);
	assert_string_equal(buf_str(&out), "abb");
	/* tmpl_render(tmpl_get("typo"), ...) fails instead of crashing. */
	assert_int_equal(tmpl_render(NULL, NULL, &out), -1);
	assert_string_equal(buf_str(&out), "abb");
	buf_free(&out);
	tmpl_free(t);
}

static void
test_binary_text(void **state)
{
	static const char src[] = "a\0b{{x}}\0";
	struct buf out = BUF_INIT;
	struct json_object *ctx;
	struct tmpl *t;

	(void)state;
	t = tmpl_compile("t", src, sizeof(src) - 1, NULL, 0);
	assert_non_null(t);
	ctx = json_tokener_parse("{\"x\":\"<\"}");
	assert_int_equal(tmpl_render(t, ctx, &out), 0);
	assert_int_equal(out.len, 8);
	assert_memory_equal(out.data, "a\0b&lt;\0", 8);
	json_object_put(ctx);
	buf_free(&out);
	tmpl_free(t);
}

/*
 * Compile errors.
 */

static void
test_errors(void **state)
{
	(void)state;
	/* Unclosed: the line of the opening tag. */
	expect_error("a\n{{#if x}}\nb", "test:2: unclosed {{#if}}");
	expect_error("{{#each x}}{{#if y}}{{/if}}", "unclosed {{#each}}");
	/* Mismatched and stray closes. */
	expect_error("{{#if x}}\n{{/each}}",
	    "test:2: {{/each}} does not close {{#if}} from line 1");
	expect_error("\n\n{{/if}}", "test:3: {{/if}} closes nothing");
	expect_error("{{#if x}}{{/if x}}", "does not close");
	/* Unknown tags and blocks. */
	expect_error("{{foo bar}}", "test:1: unknown tag {{foo bar}}");
	expect_error("{{#with x}}{{/with}}", "unknown block {{#with}}");
	expect_error("{{else x}}", "unknown tag");
	expect_error("{{yield x}}", "unknown tag");
	expect_error("{{$x}}", "bad name");
	expect_error("{{a..b}}", "bad name");
	expect_error("{{.a}}", "bad name");
	expect_error("{{a.}}", "bad name");
	expect_error("{{raw}}", "bad name");
	expect_error("{{url}}", "bad name");
	expect_error("{{url a b}}", "bad name");
	expect_error("{{#if}}{{/if}}", "bad name");
	expect_error("{{#if a b}}{{/if}}", "takes one name");
	expect_error("{{#each}}{{/each}}", "bad name");
	/* Unterminated, with the line of the {{. */
	expect_error("a\nb {{x", "test:2: unterminated {{");
	expect_error("{{x never closed", "unterminated");
	/* Line numbers count newlines inside earlier tags too. */
	expect_error("{{ one\n}}\n{{/if}}", "test:3:");
	/* else. */
	expect_error("{{else}}", "{{else}} outside a block");
	expect_error("{{#if x}}{{else}}{{else}}{{/if}}",
	    "second {{else}} in {{#if}}");
	/* eq wants a quoted literal. */
	expect_error("{{#eq x}}{{/eq}}", "literal");
	expect_error("{{#eq x lit}}{{/eq}}", "literal");
	expect_error("{{#eq x \"a\" y}}{{/eq}}", "literal");
	expect_error("{{#eq x \"a\"b\"}}{{/eq}}", "literal");
	/* extends comes first, once, with a safe name. */
	expect_error("x{{extends layout}}", "must be the first tag");
	expect_error("{{x}}{{extends layout}}", "must be the first tag");
	expect_error("{{#if a}}{{extends layout}}{{/if}}",
	    "must be the first tag");
	expect_error("{{extends a}}{{extends b}}", "must be the first tag");
	expect_error("{{extends ../secret}}", "bad layout name");
	expect_error("{{extends}}", "bad layout name");
	/* Partial names never leave the template directory. */
	expect_error("{{> ../etc/passwd}}", "bad partial name");
	expect_error("{{> /etc/passwd}}", "bad partial name");
	expect_error("{{> a/b/c}}", "bad partial name");
	expect_error("{{>}}", "bad partial name");
}

static void
test_error_buffers(void **state)
{
	char small[8];

	(void)state;
	/* No buffer, or a tiny one, is fine. */
	assert_null(tmpl_compile("t", "{{", 2, NULL, 0));
	assert_null(tmpl_compile("t", "{{", 2, small, sizeof(small)));
	assert_true(strlen(small) < sizeof(small));
	assert_null(tmpl_compile(NULL, "{{/if}}", 7, small, sizeof(small)));
	/* NULL source is the empty template. */
	expect_render("", NULL, "");
	{
		struct tmpl *t = tmpl_compile("t", NULL, 0, NULL, 0);

		assert_non_null(t);
		tmpl_free(t);
	}
	tmpl_free(NULL);
}

static void
test_hostile(void **state)
{
	struct buf src = BUF_INIT;
	struct tmpl *t;
	int i;

	(void)state;
	expect_error("{{", "unterminated {{");
	expect_error("x{{ ", "unterminated {{");
	expect_error("{{}}", "empty tag");
	expect_error("{{ \n }}", "empty tag");
	expect_error("{{{x}}}", "bad name");
	expect_error("{{#}}", "unknown block");
	expect_error("{{/}}", "closes nothing");
	expect_error("{{>\n}}", "bad partial name");
	expect_render("}}", NULL, "}}");
	expect_render("{ {x} }", NULL, "{ {x} }");

	/* Deep nesting is refused, not a stack overflow. */
	for (i = 0; i < 100000; i++)
		buf_puts(&src, "{{#if a}}");
	expect_error(buf_str(&src), "nested deeper than");
	buf_reset(&src);
	for (i = 0; i < 100000; i++)
		buf_puts(&src, "{{/if}}");
	expect_error(buf_str(&src), "closes nothing");
	buf_reset(&src);
	for (i = 0; i < 100000; i++)
		buf_puts(&src, "{{#if a}}x{{/if}}");
	t = tmpl_compile("t", src.data, src.len, NULL, 0);
	assert_non_null(t);
	tmpl_free(t);
	buf_free(&src);
}

/* Every prefix and random junk must compile or fail cleanly, never crash. */
static void
test_fuzz(void **state)
{
	static const char full[] =
	    "{{extends layout}}<a title=\"{{t}}\" href=\"/{{url t}}\">"
	    "{{#each xs}}{{#if a}}{{raw t}}{{else}}{{> p}}{{/if}}"
	    "{{#eq x \"a\"}}{{a.b.c}}{{/eq}}{{/each}}{{#if u}}{{yield}}{{/if}}";
	static const char alpha[] = "{}#/>.\" \naeifqxlpu";
	struct json_object *ctx;
	struct buf out = BUF_INIT;
	struct tmpl *t;
	char src[48];
	size_t i, j, n;

	(void)state;
	fresh();
	put("layout", "<main>{{yield}}</main>");
	put("p", "[{{t}}]");
	load_ok();
	ctx = json_tokener_parse("{\"xs\":[\"a\",{\"a\":{\"b\":{}}},0],"
	    "\"t\":\"<\",\"x\":\"a\"}");
	for (i = 0; i <= sizeof(full) - 1; i++) {
		t = tmpl_compile("t", full, i, NULL, 0);
		if (t != NULL) {
			assert_int_equal(tmpl_render(t, ctx, &out), 0);
			tmpl_free(t);
		}
	}
	srand(1);
	for (i = 0; i < 20000; i++) {
		n = (size_t)rand() % sizeof(src);
		for (j = 0; j < n; j++)
			src[j] = alpha[(size_t)rand() % (sizeof(alpha) - 1)];
		t = tmpl_compile("t", src, n, NULL, 0);
		if (t != NULL) {
			buf_reset(&out);
			assert_int_equal(tmpl_render(t, ctx, &out), 0);
			tmpl_free(t);
		}
	}
	json_object_put(ctx);
	buf_free(&out);
}

/*
 * {{url x}}.
 */

static void
test_url(void **state)
{
	(void)state;
	/* Unreserved characters stay; the rest is %XX, "/" included. */
	expect_render("{{url v}}", "{\"v\":\"aZ09-._~\"}", "aZ09-._~");
	expect_render("/signup?next={{url v}}",
	    "{\"v\":\"/w/a b?q=1&r=2#top\"}",
	    "/signup?next=%2Fw%2Fa%20b%3Fq%3D1%26r%3D2%23top");
	/* Bytes, not characters: UTF-8 is encoded byte by byte. */
	expect_render("{{url v}}", "{\"v\":\"caf\\u00e9 \\u20ac\"}",
	    "caf%C3%A9%20%E2%82%AC");
	/* Nothing HTML would read is left, in text or an attribute. */
	expect_render("<a href=\"/x/{{url v}}\">", "{\"v\":\"\\\"'<>&%+\"}",
	    "<a href=\"/x/%22%27%3C%3E%26%25%2B\">");
	expect_render("{{url v}}", "{\"v\":\"a\\u0000b\\n\"}", "a%00b%0A");
	/* Numbers and booleans as {{x}} shows them; no value, nothing. */
	expect_render("{{url i}}/{{url n}}/{{url t}}/{{url z}}/{{url o}}/"
	    "{{url missing}}",
	    "{\"i\":42,\"n\":-1.5,\"t\":true,\"z\":null,\"o\":{\"a\":1}}",
	    "42/-1.5/true///");
	expect_render("{{ url  a.b }}", "{\"a\":{\"b\":\"x y\"}}", "x%20y");
}

/*
 * Files: loading a directory, partials, layouts.
 */

static void
test_partial(void **state)
{
	(void)state;
	fresh();
	put("partials/item", "<li>{{name}} {{title}}</li>");
	put("list", "<h1>{{title}}</h1><ul>{{#each xs}}{{> partials/item}}"
	    "{{/each}}</ul>{{ >  partials/item }}");
	load_ok();
	expect_file("list",
	    "{\"title\":\"T&\",\"name\":\"top\",\"xs\":[{\"name\":\"a\"},"
	    "{\"name\":\"<b>\"}]}",
	    "<h1>T&amp;</h1><ul><li>a T&amp;</li><li>&lt;b&gt; T&amp;"
	    "</li></ul><li>top T&amp;</li>");
	/* A partial may include another. */
	fresh();
	put("a", "a({{> b}})");
	put("b", "b({{> c}})");
	put("c", "c{{x}}");
	load_ok();
	expect_file("a", "{\"x\":1}", "a(b(c1))");
}

static void
test_extends(void **state)
{
	(void)state;
	fresh();
	put("layout", "<title>{{title}}</title><main>{{yield}}</main>"
	    "{{> partials/foot}}");
	put("page", "\n {{extends layout}}<h1>{{title}}</h1>"
	    "{{> partials/flash}}");
	put("partials/flash", "{{#if flash}}<p>{{flash}}</p>{{/if}}");
	put("partials/foot", "<p>{{title}}{{yield}}</p>");
	load_ok();
	/* A partial, even the layout's, yields nothing. */
	expect_file("page", "{\"title\":\"Hi\",\"flash\":\"saved\"}",
	    "<title>Hi</title><main><h1>Hi</h1><p>saved</p></main>"
	    "<p>Hi</p>");

	/* A layout rendered on its own yields nothing. */
	expect_file("layout", "{\"title\":\"L\"}",
	    "<title>L</title><main></main><p>L</p>");

	/* A page compiled from memory links to the loaded layout. */
	expect_file("page", "{\"title\":\"<\"}",
	    "<title>&lt;</title><main><h1>&lt;</h1></main><p>&lt;</p>");
	expect_render("{{extends layout}}x{{> partials/flash}}",
	    "{\"title\":\"t\",\"flash\":\"f\"}",
	    "<title>t</title><main>x<p>f</p></main><p>t</p>");
}

/* What tmpl_load reads: html/NAME.html and html/DIR/NAME.html, sorted,
 * nothing under static/, nothing but .html files. */
static void
test_load(void **state)
{
	char path[512];
	FILE *fp;

	(void)state;
	fresh();
	put("a", "A");
	put("sub/b", "B");
	put("static/errors/404", "{{#if never closed");
	put("static/c", "{{> nosuch}}");
	put("deeper/still/d", "{{#if never closed");
	put(".hidden", "{{#if never closed");
	snprintf(path, sizeof(path), "%s/notes.txt", tmpdir);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs("{{#if never closed", fp);
	fclose(fp);
	load_ok();
	expect_file("a", NULL, "A");
	expect_file("sub/b", NULL, "B");
	assert_null(tmpl_get("static/c"));
	assert_null(tmpl_get("deeper/still/d"));
	assert_null(tmpl_get("notes"));
	assert_null(tmpl_get(".hidden"));
}

/* html/mail/NAME.txt is a text template: {{x}} is not HTML-escaped there
 * ({{url}} still encodes), while mail/NAME.html escapes as any page. */
static void
test_load_text(void **state)
{
	struct json_object *c;
	struct buf out = BUF_INIT;
	char path[512];
	FILE *fp;

	(void)state;
	fresh();
	put("mail/hello", "<p>{{name}}</p>");
	snprintf(path, sizeof(path), "%s/mail/hello.txt", tmpdir);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs("Hello {{name}}, {{url name}}", fp);
	fclose(fp);
	load_ok();
	c = json_tokener_parse("{\"name\":\"Tom & <Jerry>\"}");
	assert_int_equal(tmpl_render(tmpl_get("mail/hello.txt"), c, &out), 0);
	assert_string_equal(buf_str(&out),
	    "Hello Tom & <Jerry>, Tom%20%26%20%3CJerry%3E");
	buf_reset(&out);
	assert_int_equal(tmpl_render(tmpl_get("mail/hello"), c, &out), 0);
	assert_string_equal(buf_str(&out), "<p>Tom &amp; &lt;Jerry&gt;</p>");
	json_object_put(c);
	buf_free(&out);
}

/*
 * A typo is an error of tmpl_load, naming the file and the line: at
 * start-up, before any visitor.
 */
static void
test_load_errors(void **state)
{
	struct tmpl *t;
	char err[256];

	(void)state;
	fresh();
	put("good", "good");
	load_ok();

	fresh();
	put("a", "ok");
	put("sub/page", "line 1\n{{#if x}}\nnever closed");
	load_fails("sub/page.html:2: unclosed {{#if}}");

	fresh();
	put("page", "\n\n{{#with x}}{{/with}}");
	load_fails("page.html:3: unknown block {{#with}}");

	fresh();
	put("page", "{{frob x}}");
	load_fails("page.html:1: unknown tag {{frob x}}");

	fresh();
	put("page", "a\n{{#if x}}\n{{> partials/nosuch}}{{/if}}");
	put("partials/such", "");
	load_fails("page.html:3: no partial \"partials/nosuch\"");

	fresh();
	put("page", "{{extends nosuch}}");
	load_fails("page.html:1: no layout \"nosuch\"");

	/* One layout per page: a layout extends nothing. */
	fresh();
	put("base", "<html>{{yield}}</html>");
	put("admin", "{{extends base}}<nav>{{yield}}</nav>");
	put("users", "\n{{extends admin}}users");
	load_fails("users.html:2: layout \"admin\" extends another");

	fresh();
	put("layout", "{{yield}}");
	put("p", "{{extends layout}}p");
	put("page", "x\n{{> p}}");
	load_fails("page.html:2: partial \"p\" extends a layout");

	/* Partials in a loop, however long. */
	fresh();
	put("self", "x{{> self}}");
	load_fails("self.html:1: \"self\" includes itself");
	fresh();
	put("loop_a", "{{> loop_b}}");
	put("loop_b", "{{#if t}}\n{{> loop_a}}{{/if}}");
	load_fails("loop_b.html:2: \"loop_a\" includes itself");
	fresh();
	put("selflayout", "{{extends selflayout}}x");
	load_fails("selflayout.html:1: layout \"selflayout\" extends another");

	fresh();
	put("Bad name", "x");
	load_fails("Bad name.html: a template's name is");

	/* A failed load keeps what was loaded before. */
	fresh();
	put("good", "good");
	load_ok();
	put("bad", "{{");
	load_fails("bad.html:1: unterminated {{");
	expect_file("good", NULL, "good");

	/* No directory at all. */
	assert_int_equal(tmpl_load("/nonexistent/html", err, sizeof(err)), -1);
	assert_string_equal(err, "/nonexistent/html: No such file or directory");

	/* From memory: the same errors, against what was loaded. */
	t = tmpl_compile("mem", "a\n\n{{> nosuch}}", 15, err, sizeof(err));
	assert_null(t);
	assert_string_equal(err, "mem:3: no partial \"nosuch\" (nosuch.html)");
	t = tmpl_compile("mem", "{{extends good}}x{{> good}}", 27, err,
	    sizeof(err));
	assert_non_null(t);
	tmpl_free(t);
}

static void
test_depth(void **state)
{
	char name[32], text[96];
	int i;

	(void)state;
	/* chain0 -> chain1 -> ... -> chain15: 16 deep, the limit. */
	fresh();
	for (i = 0; i < 15; i++) {
		snprintf(name, sizeof(name), "chain%d", i);
		snprintf(text, sizeof(text), "%d{{> chain%d}}", i, i + 1);
		put(name, text);
	}
	put("chain15", "end");
	load_ok();
	expect_file("chain0", NULL, "01234567891011121314end");
	/* One more is too deep, wherever the chain is entered. */
	put("chain15", "15{{> chain16}}");
	put("chain16", "end");
	load_fails("chain0.html:1: partials and layouts nested deeper than 16");
}

static void
test_cache(void **state)
{
	const struct tmpl *a;

	(void)state;
	fresh();
	put("cached", "one");
	put("partials/c", "p");
	load_ok();
	a = tmpl_get("cached");
	assert_non_null(a);
	assert_ptr_equal(tmpl_get("cached"), a);
	/* A changed file is not read again: compiled once per process. */
	put("cached", "two");
	assert_ptr_equal(tmpl_get("cached"), a);
	expect_file("cached", NULL, "one");
	assert_ptr_equal(tmpl_get("partials/c"), tmpl_get("partials/c"));
	assert_ptr_not_equal(tmpl_get("partials/c"), a);
}

static void
test_get_errors(void **state)
{
	char path[512];

	(void)state;
	fresh();
	put("cached", "one");
	snprintf(path, sizeof(path), "%s/isdir.html", tmpdir);
	assert_int_equal(mkdir(path, 0700), 0);
	load_ok();
	assert_null(tmpl_get("nosuch"));
	assert_null(tmpl_get(NULL));
	assert_null(tmpl_get(""));
	assert_null(tmpl_get("../cached"));
	assert_null(tmpl_get("partials/../cached"));
	assert_null(tmpl_get("/etc/passwd"));
	assert_null(tmpl_get("a/b/c"));
	assert_null(tmpl_get("partials/"));
	assert_null(tmpl_get("cached.html"));
	memset(path, 'a', 100);
	path[100] = '\0';
	assert_null(tmpl_get(path));
	/* A directory is not a template. */
	assert_null(tmpl_get("isdir"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_var),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_escape_text),
		cmocka_unit_test(test_escape_attr),
		cmocka_unit_test(test_html_escape),
		cmocka_unit_test(test_raw),
		cmocka_unit_test(test_dotted),
		cmocka_unit_test(test_removed),
		cmocka_unit_test(test_if_truthiness),
		cmocka_unit_test(test_eq),
		cmocka_unit_test(test_each),
		cmocka_unit_test(test_each_scope),
		cmocka_unit_test(test_nested_ok),
		cmocka_unit_test(test_yield_without_layout),
		cmocka_unit_test(test_null_ctx),
		cmocka_unit_test(test_appends),
		cmocka_unit_test(test_binary_text),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_error_buffers),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_fuzz),
		cmocka_unit_test(test_url),
		cmocka_unit_test(test_partial),
		cmocka_unit_test(test_extends),
		cmocka_unit_test(test_load),
		cmocka_unit_test(test_load_text),
		cmocka_unit_test(test_load_errors),
		cmocka_unit_test(test_depth),
		cmocka_unit_test(test_cache),
		cmocka_unit_test(test_get_errors),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
