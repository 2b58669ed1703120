/*
 * Unit tests for lib/base/i18n.c and tunits.c (issue 13): the splitter's
 * units, a .mo made by msgfmt read back with plurals, a translation that
 * changes its tags left out, Accept-Language, and templates compiled per
 * language.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "buf.h"
#include "i18n.h"
#include "tmpl.h"
#include "tunits.h"

static char tmpdir[] = "/tmp/test_i18n.XXXXXX";

static const char *
collect(void *arg, const char *unit, int line)
{
	struct buf *b = arg;

	(void)line;
	if (b->len > 0)
		buf_putc(b, '|');
	buf_puts(b, unit);
	return NULL;
}

static void
expect_units(const char *src, int plain, const char *want)
{
	struct buf got = BUF_INIT, out = BUF_INIT;

	tunits(src, strlen(src), plain, collect, &got, &out);
	if (strcmp(buf_str(&got), want) != 0)
		fail_msg("units of \"%s\": \"%s\", want \"%s\"", src,
		    buf_str(&got), want);
	/* Nothing replaced: the source comes out as it went in. */
	assert_string_equal(buf_str(&out), src);
	buf_free(&got);
	buf_free(&out);
}

static void
test_units(void **state)
{
	(void)state;
	expect_units("<p>Hello <strong>world</strong>.</p>", 0,
	    "Hello <strong>world</strong>.");
	expect_units("<p><a href=\"/x\">Done</a></p>", 0, "Done");
	expect_units("<p>\n  Two\n   lines </p>", 0, "Two lines");
	expect_units("{{#if x}}Yes{{else}}No, {{name}}{{/if}}", 0,
	    "Yes|No, {{name}}");
	expect_units("<input type=\"submit\" value=\"Save it\" "
	    "placeholder=\"Type here\"><img alt=\"A cat\" src=\"c.png\">", 0,
	    "Save it|Type here|A cat");
	expect_units("<input type=\"text\" value=\"{{v}} kept\">", 0, "");
	expect_units("<td>{{n}}</td><td>&middot;</td><td>2</td>", 0, "");
	expect_units("<textarea>Some text</textarea><pre>code here</pre>", 0,
	    "");
	expect_units("<!-- not this --><p>This</p>", 0, "This");
	expect_units("<a {{#if c}}aria-current=\"page\"{{/if}} href=\"/\">"
	    "Home</a> <a href=\"/b\">Back</a>", 0, "Home|Back");
	expect_units("<nav aria-label=\"Main\"><b>{{x}}</b></nav>", 0, "Main");
	expect_units("Hello {{name}},\n\nLine one\nline two\n"
	    "{{#if x}}More{{/if}}\n", 1,
	    "Hello {{name}},|Line one\nline two|More");
}

static const char *
shout(void *arg, const char *unit, int line)
{
	struct buf *b = arg;
	size_t i;

	(void)line;
	buf_reset(b);
	for (i = 0; unit[i] != '\0'; i++)
		buf_putc(b, unit[i] == '"' ? '"' : toupper((unsigned char)
		    unit[i]));
	return buf_str(b);
}

static void
test_replace(void **state)
{
	struct buf tmp = BUF_INIT, out = BUF_INIT;
	const char *src = "<p>Hi <em>you</em>!</p><input type=\"submit\" "
	    "value=\"Go\" title='say \"x\"'>";

	(void)state;
	tunits(src, strlen(src), 0, shout, &tmp, &out);
	/* A quote in a translation never closes its attribute. */
	assert_string_equal(buf_str(&out), "<p>HI <EM>YOU</EM>!</p><input "
	    "type=\"submit\" value=\"GO\" title='SAY \"X\"'>");
	buf_free(&tmp);
	buf_free(&out);
}

static void
write_file(const char *name, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	assert_non_null(f = fopen(path, "w"));
	fputs(text, f);
	fclose(f);
}

static int
setup(void **state)
{
	char cmd[512];

	(void)state;
	if (mkdtemp(tmpdir) == NULL)
		return -1;
	write_file("de.po",
	    "msgid \"\"\nmsgstr \"\"\n"
	    "\"Content-Type: text/plain; charset=UTF-8\\n\"\n"
	    "\"Plural-Forms: nplurals=2; plural=(n != 1);\\n\"\n\n"
	    "msgid \"Hello\"\nmsgstr \"Hallo\"\n\n"
	    "msgid \"Hi {{name}}\"\nmsgstr \"Hallo {{name}}\"\n\n"
	    "msgid \"Bad {{name}}\"\nmsgstr \"Schlecht {{nom}}\"\n\n"
	    "msgid \"Save\"\nmsgstr \"Speichern\"\n\n"
	    "msgid \"%lu ticket\"\nmsgid_plural \"%lu tickets\"\n"
	    "msgstr[0] \"%lu Ticket\"\nmsgstr[1] \"%lu Tickets\"\n");
	write_file("page.html", "<h1>Hello</h1><p>Hi {{name}}</p>"
	    "<p>Bad {{name}}</p><button>Save</button>");
	snprintf(cmd, sizeof(cmd), "msgfmt -o %s/de.mo %s/de.po", tmpdir,
	    tmpdir);
	if (system(cmd) != 0)
		return -1;
	return 0;
}

static int
teardown(void **state)
{
	char cmd[512];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static void
test_catalogue(void **state)
{
	const char *const *l;
	char err[256];

	(void)state;
	assert_int_equal(i18n_load(tmpdir, err, sizeof(err)), 0);
	l = i18n_available();
	assert_string_equal(l[0], "en");
	assert_string_equal(l[1], "de");
	assert_null(l[2]);
	assert_string_equal(i18n_name("de"), "Deutsch");
	assert_null(i18n_name("fr"));

	i18n_set("de");
	assert_string_equal(i18n_lang(), "de");
	assert_string_equal(_("Hello"), "Hallo");
	assert_string_equal(_("Hi {{name}}"), "Hallo {{name}}");
	/* Its tags changed: left out, English shown. */
	assert_string_equal(_("Bad {{name}}"), "Bad {{name}}");
	assert_string_equal(_("Not there"), "Not there");
	assert_string_equal(trn("%lu ticket", "%lu tickets", 1), "%lu Ticket");
	assert_string_equal(trn("%lu ticket", "%lu tickets", 2), "%lu Tickets");
	assert_string_equal(trn("%lu ticket", "%lu tickets", 0), "%lu Tickets");
	assert_string_equal(trn("%lu file", "%lu files", 1), "%lu file");
	i18n_set("de-AT");
	assert_string_equal(i18n_lang(), "de");
	i18n_set("xx");
	assert_string_equal(i18n_lang(), "en");
	assert_string_equal(_("Hello"), "Hello");
	assert_string_equal(trn("%lu ticket", "%lu tickets", 2), "%lu tickets");
	i18n_set(NULL);
}

static void
test_tags(void **state)
{
	(void)state;
	assert_true(i18n_same_tags("<a href=\"x\">A</a> {{b}}",
	    "{{b}} <a href=\"x\">Ä</a>"));
	assert_false(i18n_same_tags("<a href=\"x\">A</a>", "<a href=\"y\">A</a>"
	    ));
	assert_false(i18n_same_tags("%s of %d", "%d von %s %s"));
	assert_false(i18n_same_tags("{{x}}", "{{x}} {{x}}"));
}

static void
test_negotiate(void **state)
{
	const char *l;

	(void)state;
	assert_non_null(l = i18n_negotiate("de-DE,de;q=0.9,en;q=0.8"));
	assert_string_equal(l, "de");
	assert_non_null(l = i18n_negotiate("fr-CH, fr;q=0.9, en;q=0.5"));
	assert_string_equal(l, "en");
	assert_non_null(l = i18n_negotiate("en-GB;q=0.8, DE;q=0.9"));
	assert_string_equal(l, "de");
	assert_non_null(l = i18n_negotiate("en, de"));
	assert_string_equal(l, "en");
	assert_null(i18n_negotiate("fr"));
	assert_null(i18n_negotiate("de;q=0"));
	assert_null(i18n_negotiate("deu, dex"));
	assert_null(i18n_negotiate(""));
	assert_null(i18n_negotiate(NULL));
	assert_null(i18n_negotiate(";;,,q=1"));
}

static void
render(const char *lang, const char *want)
{
	struct buf out = BUF_INIT;
	struct json_object *c = json_tokener_parse("{\"name\":\"Ana\"}");

	i18n_set(lang);
	assert_int_equal(tmpl_render(tmpl_get("page"), c, &out), 0);
	assert_string_equal(buf_str(&out), want);
	json_object_put(c);
	buf_free(&out);
	i18n_set(NULL);
}

static void
test_templates(void **state)
{
	char err[256];

	(void)state;
	assert_int_equal(i18n_load(tmpdir, err, sizeof(err)), 0);
	assert_int_equal(tmpl_load(tmpdir, err, sizeof(err)), 0);
	render(NULL, "<h1>Hello</h1><p>Hi Ana</p><p>Bad Ana</p>"
	    "<button>Save</button>");
	render("de", "<h1>Hallo</h1><p>Hallo Ana</p><p>Bad Ana</p>"
	    "<button>Speichern</button>");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_units),
		cmocka_unit_test(test_replace),
		cmocka_unit_test(test_catalogue),
		cmocka_unit_test(test_tags),
		cmocka_unit_test(test_negotiate),
		cmocka_unit_test(test_templates),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
