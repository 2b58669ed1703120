/*
 * Markdown limits (lib/markdown.h): nesting and rendered size are bounded
 * on input, ordinary Markdown renders as before, and a form field of type
 * F_MARKDOWN is refused with a message that names the limit. GitHub's
 * extensions (issue 13): tables, task lists, strikethrough and bare links
 * render, raw HTML in them stays out, and a table that fills millions of
 * cells is refused before it costs the machine.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "form.h"
#include "markdown.h"
#include "request.h"

/* n copies of unit, then tail (caller frees). */
static char *
rep(const char *unit, size_t n, const char *tail)
{
	struct buf b = BUF_INIT;
	size_t i;

	for (i = 0; i < n; i++)
		buf_puts(&b, unit);
	buf_puts(&b, tail);
	return buf_detach(&b);
}

/* The status of src; on MD_OK, also that the HTML is within the cap. */
static enum md_status
status_of(const char *src)
{
	enum md_status st;
	char *html;

	st = markdown_render(src, &html);
	if (st == MD_OK) {
		assert_non_null(html);
		assert_true(strlen(html) <= MD_HTML_MAX);
	} else
		assert_null(html);
	free(html);
	return st;
}

static enum md_status
status_rep(const char *unit, size_t n, const char *tail)
{
	char *src = rep(unit, n, tail);
	enum md_status st = status_of(src);

	free(src);
	return st;
}

static void
test_ordinary(void **state)
{
	char *html;

	(void)state;
	assert_int_equal(markdown_render("*a* **b** [c](/d)\n\n> e\n\n- f\n"
	    "  - g\n", &html), MD_OK);
	assert_string_equal(html, "<p><em>a</em> <strong>b</strong> "
	    "<a href=\"/d\">c</a></p>\n<blockquote>\n<p>e</p>\n</blockquote>\n"
	    "<ul>\n<li>f\n<ul>\n<li>g</li>\n</ul>\n</li>\n</ul>\n");
	free(html);
	/* Safe as before: raw HTML dropped, javascript: emptied. */
	assert_int_equal(markdown_render("<script>x</script>\n\n"
	    "[a](javascript:alert(1))", &html), MD_OK);
	assert_null(strstr(html, "<script"));
	assert_null(strstr(html, "javascript:"));
	free(html);
	assert_int_equal(status_of(""), MD_OK);
	assert_int_equal(status_of("***bold italic*** and ![**x**](/y)"),
	    MD_OK);
}

/* The limits are inclusive: 16 levels pass, the 17th is refused. */
static void
test_depth_edges(void **state)
{
	(void)state;
	assert_int_equal(status_rep(">", MD_BLOCK_DEPTH, " a"), MD_OK);
	assert_int_equal(status_rep(">", MD_BLOCK_DEPTH + 1, " a"),
	    MD_BLOCK_DEEP);
	assert_int_equal(status_rep("- ", MD_BLOCK_DEPTH, "a"), MD_OK);
	assert_int_equal(status_rep("- ", MD_BLOCK_DEPTH + 1, "a"),
	    MD_BLOCK_DEEP);
	/* A quote in a list in a quote: each counts once. */
	assert_int_equal(status_rep("> - ", MD_BLOCK_DEPTH / 2, "a"), MD_OK);
	assert_int_equal(status_rep("> - ", MD_BLOCK_DEPTH / 2 + 1, "a"),
	    MD_BLOCK_DEEP);
	/* 32 asterisks on each side are 16 nested <strong>. */
	{
		char *a = rep("**", MD_INLINE_DEPTH, "a"),
		    *b = rep("**", MD_INLINE_DEPTH, ""),
		    *c = rep("**", MD_INLINE_DEPTH + 1, "a"),
		    *d = rep("**", MD_INLINE_DEPTH + 1, "");
		struct buf s = BUF_INIT;

		buf_puts(&s, a);
		buf_puts(&s, b);
		assert_int_equal(status_of(buf_str(&s)), MD_OK);
		buf_reset(&s);
		buf_puts(&s, c);
		buf_puts(&s, d);
		assert_int_equal(status_of(buf_str(&s)), MD_INLINE_DEEP);
		buf_free(&s);
		free(a);
		free(b);
		free(c);
		free(d);
	}
}

/* What issue 7 reported: ten thousand levels were stored. */
static void
test_ten_thousand_levels(void **state)
{
	char *open, *close;
	struct buf s = BUF_INIT;

	(void)state;
	assert_int_equal(status_rep(">", 10000, " a"), MD_BLOCK_DEEP);
	assert_int_equal(status_rep("- ", 10000, "a"), MD_BLOCK_DEEP);
	assert_int_equal(status_rep("> ", 10000, "a"), MD_BLOCK_DEEP);
	assert_int_equal(status_rep("1. ", 10000, "a"), MD_BLOCK_DEEP);
	/* Brackets alone are text in cmark 0.30 and stay that size... */
	assert_int_equal(status_rep("[", 10000, "a"), MD_OK);
	/* ...but images nest: ![![![a](b)](b)](b) */
	open = rep("![", 10000, "a");
	close = rep("](b)", 10000, "");
	buf_puts(&s, open);
	buf_puts(&s, close);
	assert_int_equal(status_of(buf_str(&s)), MD_INLINE_DEEP);
	free(open);
	free(close);
	/* And links inside images inside links. */
	buf_reset(&s);
	open = rep("[![", 5000, "a");
	close = rep("](b)](c)", 5000, "");
	buf_puts(&s, open);
	buf_puts(&s, close);
	assert_int_equal(status_of(buf_str(&s)), MD_INLINE_DEEP);
	free(open);
	free(close);
	buf_reset(&s);
	open = rep("*", 10000, "a");
	close = rep("*", 10000, "");
	buf_puts(&s, open);
	buf_puts(&s, close);
	assert_int_equal(status_of(buf_str(&s)), MD_INLINE_DEEP);
	free(open);
	free(close);
	buf_free(&s);
}

/* 100 KB of '>' rendered to 2.7 MB; within the depth limit, 16 quotes
 * opened and closed every other line still grow 23-fold. */
static void
test_rendered_size(void **state)
{
	(void)state;
	assert_int_equal(status_rep(">", 100000, ""), MD_BLOCK_DEEP);
	assert_int_equal(status_rep(">>>>>>>>>>>>>>>>x\n\n", 5000, ""),
	    MD_HTML_LARGE);
	/* Large but ordinary: 100 KB of quotes marks is 600 KB escaped,
	 * 25,000 list items 275 KB. */
	assert_int_equal(status_rep("\"", 100000, ""), MD_OK);
	assert_int_equal(status_rep("- a\n", 25000, ""), MD_OK);
}

/* Text stored before the limits is shown escaped, as small as it is. */
static void
test_html_fallback(void **state)
{
	char *src = rep(">", 10000, " <b>"), *html;

	(void)state;
	html = markdown_html(src);
	assert_true(strlen(html) < 5 * strlen(src));
	assert_null(strstr(html, "<b>"));
	assert_null(strstr(html, "<blockquote>"));
	free(html);
	free(src);
	html = markdown_html("*a*");
	assert_string_equal(html, "<p><em>a</em></p>\n");
	free(html);
}

static const struct field md_fields[] = {
	{ "body", "Reply", F_MARKDOWN, 1, 1, 100000 },
	{ NULL, NULL, 0, 0, 0, 0 }
};

/* The HTML of src, which must render (caller frees). */
static char *
html_of(const char *src)
{
	char *html;

	assert_int_equal(markdown_render(src, &html), MD_OK);
	return html;
}

static void
test_table(void **state)
{
	char *html;

	(void)state;
	html = html_of("| Browser | Works? |\n|:--|--:|\n| Safari | *no* |\n");
	/* Focusable, as it may scroll inside itself (app.css). */
	assert_string_equal(html, "<table tabindex=\"0\">\n<thead>\n<tr>\n"
	    "<th align=\"left\">Browser</th>\n"
	    "<th align=\"right\">Works?</th>\n</tr>\n</thead>\n<tbody>\n"
	    "<tr>\n<td align=\"left\">Safari</td>\n"
	    "<td align=\"right\"><em>no</em></td>\n</tr>\n</tbody>\n"
	    "</table>\n");
	free(html);
	/* Raw HTML and javascript: in cells: dropped and emptied. */
	html = html_of("| <script>alert(1)</script> | [x](javascript:alert(1)) "
	    "|\n|---|---|\n| <img src=x onerror=alert(1)> | `<b>` |\n");
	assert_null(strstr(html, "<script"));
	assert_null(strstr(html, "<img"));
	assert_null(strstr(html, "javascript:"));
	assert_non_null(strstr(html, "<td><code>&lt;b&gt;</code></td>"));
	free(html);
}

static void
test_task_list(void **state)
{
	char *html;

	(void)state;
	/* Each checkbox named by its item's text: one <label>. */
	html = html_of("- [x] Checked the *status* page\n- [ ] Rolled back\n"
	    "  - [ ] nested\n");
	assert_string_equal(html, "<ul>\n<li><label><input type=\"checkbox\" "
	    "checked=\"\" disabled=\"\" /> Checked the <em>status</em> page"
	    "</label></li>\n<li><label><input type=\"checkbox\" disabled=\"\" "
	    "/> Rolled back</label>\n<ul>\n<li><label><input type=\"checkbox\" "
	    "disabled=\"\" /> nested</label></li>\n</ul>\n</li>\n</ul>\n");
	free(html);
	/* A loose list: the label inside the paragraph. */
	html = html_of("- [ ] a\n\n- [x] b\n");
	assert_string_equal(html, "<ul>\n<li>\n<p><label><input type=\"checkbox\""
	    " disabled=\"\" /> a</label></p>\n</li>\n<li>\n<p><label><input "
	    "type=\"checkbox\" checked=\"\" disabled=\"\" /> b</label></p>\n"
	    "</li>\n</ul>\n");
	free(html);
	/* Not a task: a literal bracket, and no checkbox. */
	html = html_of("- [y] no\n");
	assert_null(strstr(html, "<input"));
	free(html);
	html = html_of("- [ ] <script>x</script> <b onclick=y>z</b>\n"
	    "- [x] [y](javascript:alert(1))\n");
	assert_null(strstr(html, "<script"));
	assert_null(strstr(html, "<b"));
	assert_null(strstr(html, "javascript:"));
	assert_non_null(strstr(html, "<a href=\"\">y</a>"));
	free(html);
}

static void
test_strike_autolink(void **state)
{
	char *html;

	(void)state;
	/* A code block may scroll, so it is focusable; "<pre>" typed is
	 * text. */
	html = html_of("```\n<pre>\n```\n");
	assert_string_equal(html, "<pre tabindex=\"0\"><code>&lt;pre&gt;\n"
	    "</code></pre>\n");
	free(html);
	html = html_of("the ~~old~~ new build");
	assert_string_equal(html, "<p>the <del>old</del> new build</p>\n");
	free(html);
	html = html_of("see www.example.com/a?b=c or https://x.test/<b>");
	assert_string_equal(html, "<p>see <a href=\"http://www.example.com/"
	    "a?b=c\">www.example.com/a?b=c</a> or <a href=\"https://x.test/"
	    "\">https://x.test/</a><!-- raw HTML omitted --></p>\n");
	free(html);
	/* Only the schemes the extension knows become links. */
	html = html_of("javascript:alert(1) and data:text/html,x");
	assert_null(strstr(html, "<a"));
	free(html);
}

/* Struck text nests like emphasis, and counts as it. */
static void
test_strike_depth(void **state)
{
	struct buf s = BUF_INIT;
	size_t i;

	(void)state;
	/* ~~x ~~x ... a y~~ y~~: each pair is one <del> in the last. */
	for (i = 0; i < MD_INLINE_DEPTH; i++)
		buf_puts(&s, "~~x ");
	buf_puts(&s, "a");
	for (i = 0; i < MD_INLINE_DEPTH; i++)
		buf_puts(&s, " y~~");
	assert_int_equal(status_of(buf_str(&s)), MD_OK);
	buf_reset(&s);
	for (i = 0; i <= MD_INLINE_DEPTH; i++)
		buf_puts(&s, "~~x ");
	buf_puts(&s, "a");
	for (i = 0; i <= MD_INLINE_DEPTH; i++)
		buf_puts(&s, " y~~");
	assert_int_equal(status_of(buf_str(&s)), MD_INLINE_DEEP);
	buf_free(&s);
}

/*
 * cmark-gfm 0.29.0.gfm.6 fills every row up to the header's columns:
 * 4,000 columns over 4,000 one-letter lines (24 KB) were 16 million
 * cells, 4 GB and a minute. Refused now, within the memory budget, and
 * the next text renders as ever (nothing of the stopped parse is left).
 */
static void
test_table_amplification(void **state)
{
	struct buf b = BUF_INIT;
	char *html;
	int i;

	(void)state;
	for (i = 0; i < 4000; i++)
		buf_puts(&b, "|a");
	buf_puts(&b, "|\n");
	for (i = 0; i < 4000; i++)
		buf_puts(&b, "|-");
	buf_puts(&b, "|\n");
	for (i = 0; i < 4000; i++)
		buf_puts(&b, "x\n");
	assert_int_equal(status_of(buf_str(&b)), MD_HTML_LARGE);
	assert_int_equal(status_of(buf_str(&b)), MD_HTML_LARGE);
	buf_reset(&b);
	html = html_of("*a*");
	assert_string_equal(html, "<p><em>a</em></p>\n");
	free(html);
	/* An ordinary large table still renders: 2 columns, 20,000 rows. */
	buf_puts(&b, "|a|b|\n|-|-|\n");
	for (i = 0; i < 20000; i++)
		buf_puts(&b, "|c|d|\n");
	assert_int_equal(status_of(buf_str(&b)), MD_OK);
	html = html_of(buf_str(&b));
	assert_non_null(strstr(html, "<td>d</td>\n</tr>\n</tbody>\n</table>"));
	free(html);
	buf_free(&b);
}

/* form_check names the limit, keeps what was typed, and renders once. */
static void
test_form_field(void **state)
{
	struct req r;
	struct json_object *v, *e, *msg;
	const char *html, *again;
	char *src = rep(">", 10000, " a");

	(void)state;
	memset(&r, 0, sizeof(r));
	kv_add(&r.form, "body", 4, src, strlen(src));
	v = json_object_new_object();
	e = json_object_new_object();
	assert_int_equal(form_check(&r, md_fields, v, e), 1);
	assert_true(json_object_object_get_ex(e, "body", &msg));
	assert_string_equal(json_object_get_string(msg),
	    "Reply can nest quotes and lists at most 16 deep.");
	assert_true(json_object_object_get_ex(v, "body", &msg));
	assert_string_equal(json_object_get_string(msg), src);
	json_object_put(v);
	json_object_put(e);
	req_free(&r);

	memset(&r, 0, sizeof(r));
	kv_add(&r.form, "body", 4, " *fine* ", 8);
	assert_int_equal(form_check(&r, md_fields, NULL, NULL), 0);
	assert_int_equal(form_markdown(&r, req_form(&r, "body"), &html),
	    MD_OK);
	assert_string_equal(html, "<p><em>fine</em></p>\n");
	assert_int_equal(form_markdown(&r, "*fine*", &again), MD_OK);
	assert_ptr_equal(html, again);
	assert_int_equal(r.markdown.n, 1);
	req_free(&r);
	free(src);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ordinary),
		cmocka_unit_test(test_depth_edges),
		cmocka_unit_test(test_ten_thousand_levels),
		cmocka_unit_test(test_rendered_size),
		cmocka_unit_test(test_html_fallback),
		cmocka_unit_test(test_form_field),
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_task_list),
		cmocka_unit_test(test_strike_autolink),
		cmocka_unit_test(test_strike_depth),
		cmocka_unit_test(test_table_amplification),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
