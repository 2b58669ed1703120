/*
 * Unit tests for lib/parse/htmlsan.h and lib/parse/mailtext.h: the
 * sanitiser on hostile HTML in the manner of the XSS cheat sheets (each
 * output is read back tag by tag and must hold only the elements and
 * attributes of the allow-list, links only to http, https and mailto,
 * images only from cid:), on good HTML (its formatting kept), the
 * folding of quoted parts; html_to_text; mailtext_html and
 * mailtext_reply_len on the quoting of the common mail programs.
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
#include <strings.h>

#include "buf.h"
#include "htmlsan.h"
#include "mailtext.h"
#include "parse.h"

#define L(s)	(s), (sizeof(s) - 1)

/* html_sanitise of a copy of exactly n bytes. */
static char *
san(const char *s, size_t n)
{
	char *p = malloc(n ? n : 1), *r;

	assert_non_null(p);
	memcpy(p, s, n);
	r = html_sanitise(p, n);
	free(p);
	assert_non_null(r);
	return r;
}

static char *
san_s(const char *s)
{
	return san(s, strlen(s));
}

static int
in_list(const char *w, size_t n, const char *const *list)
{
	for (; *list != NULL; list++)
		if (strlen(*list) == n && strncasecmp(w, *list, n) == 0)
			return 1;
	return 0;
}

/*
 * Reads the output back as the browser would and fails on anything
 * outside the allow-list: every '<' opens one of our tags (text has
 * its '<' escaped), each attribute is name="value" with a name we
 * allow and a value without a quote or bracket; a link goes to http,
 * https or mailto only, an image comes from cid: only.
 */
static void
check_safe(const char *in, const char *out)
{
	static const char *const tags[] = {
		"a", "abbr", "address", "b", "blockquote", "br", "caption",
		"cite", "code", "dd", "del", "details", "div", "dl", "dt",
		"em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img",
		"ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "samp",
		"small", "span", "strike", "strong", "sub", "summary", "sup",
		"table", "tbody", "td", "tfoot", "th", "thead", "tr", "tt",
		"u", "ul", "var", "wbr", NULL
	};
	static const char *const attrs[] = {
		"href", "rel", "title", "src", "alt", "width", "height",
		"colspan", "rowspan", "align", "valign", "start",
		"class", NULL
	};
	const char *p = out, *q, *name, *v, *ve;
	size_t n;

	if (!utf8_valid(out, strlen(out)))
		fail_msg("not UTF-8 for %s", in);
	if (strcasestr(out, "<script") || strcasestr(out, "style=") ||
	    strcasestr(out, "src=\"http") || strcasestr(out, "src=http"))
		fail_msg("unsafe output for\n  %s\n:\n  %s", in, out);
	while ((p = strchr(p, '<')) != NULL) {
		p++;
		if (*p == '/')
			p++;
		for (name = p; isalnum((unsigned char)*p); p++)
			;
		if (!in_list(name, (size_t)(p - name), tags))
			fail_msg("tag <%.*s> for\n  %s\n:\n  %s",
			    (int)(p - name), name, in, out);
		for (;;) {
			if (*p == '>')
				break;
			if (*p != ' ')
				fail_msg("malformed tag at \"%.20s\" for %s: %s",
				    p, in, out);
			for (q = ++p; isalpha((unsigned char)*p); p++)
				;
			if (!in_list(q, (size_t)(p - q), attrs))
				fail_msg("attribute %.*s for\n  %s\n:\n  %s",
				    (int)(p - q), q, in, out);
			if (p[0] != '=' || p[1] != '"')
				fail_msg("unquoted attribute for %s: %s", in,
				    out);
			v = p + 2;
			if ((ve = strchr(v, '"')) == NULL)
				fail_msg("unterminated value for %s", in);
			n = (size_t)(ve - v);
			if (memchr(v, '<', n) || memchr(v, '>', n))
				fail_msg("bracket in a value for %s: %s", in,
				    out);
			if (strncmp(q, "href=", 5) == 0 &&
			    strncmp(v, "http://", 7) != 0 &&
			    strncmp(v, "https://", 8) != 0 &&
			    strncmp(v, "mailto:", 7) != 0)
				fail_msg("link to %.*s for %s", (int)n, v, in);
			if (strncmp(q, "src=", 4) == 0 &&
			    strncmp(v, "cid:", 4) != 0)
				fail_msg("image from %.*s for %s", (int)n, v,
				    in);
			/* Only mailtext writes classes, its own two. */
			if (strncmp(q, "class=", 6) == 0 &&
			    !(n == 8 && strncmp(v, "mailtext", 8) == 0) &&
			    !(n == 9 && strncmp(v, "mailquote", 9) == 0))
				fail_msg("class %.*s for %s", (int)n, v, in);
			if (strncmp(q, "rel=", 4) == 0 && strncmp(v,
			    "nofollow noopener noreferrer\"", n + 1) != 0)
				fail_msg("rel %.*s for %s", (int)n, v, in);
			p = ve + 1;
		}
	}
}

static const char *const hostile[] = {
	"<script>alert(1)</script>",
	"<SCRIPT SRC=http://xss.rocks/xss.js></SCRIPT>",
	"<IMG SRC=\"javascript:alert('XSS');\">",
	"<IMG SRC=javascript:alert('XSS')>",
	"<IMG SRC=JaVaScRiPt:alert('XSS')>",
	"<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;"
	    "&#58;&#97;&#108;&#101;&#114;&#116;&#40;&#39;&#88;&#83;&#83;&#39;"
	    "&#41;>",
	"<IMG SRC=&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A"
	    "&#x61&#x6C&#x65&#x72&#x74&#x28&#x27&#x58&#x53&#x53&#x27&#x29>",
	"<a href=\"jav&#x61;script:alert(1)\">x</a>",
	"<a href=\"jav&#x09;ascript:alert(1)\">x</a>",
	"<a href=\"jav&#x0A;ascript:alert(1)\">x</a>",
	"<a href=\" &#14;  javascript:alert(1)\">x</a>",
	"<a href=\"&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099"
	    "&#0000114&#0000105&#0000112&#0000116&#0000058alert(1)\">x</a>",
	"<a href=\"javas&#99;ript:alert(1)\">x</a>",
	"<a href=\"javascript&colon;alert(1)\">x</a>",
	"<a href=\"JAVASCRIPT:alert(1)\">x</a>",
	"<a href=\"vbscript:msgbox(1)\">x</a>",
	"<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">"
	    "x</a>",
	"<a href=\"data:text/html,<script>alert(1)</script>\">x</a>",
	"<a href=\"//evil.test/\">protocol-relative</a>",
	"<a href=\"/relative\">relative</a>",
	"<IMG \"\"\"><SCRIPT>alert(\"XSS\")</SCRIPT>\">",
	"<BODY ONLOAD=alert('XSS')>text",
	"<svg/onload=alert(1)>",
	"<svg><script>alert(1)</script></svg>",
	"<IMG SRC=\"jav\tascript:alert('XSS');\">",
	"<iframe src=javascript:alert(1)></iframe>",
	"<iframe srcdoc=\"<script>alert(1)</script>\"></iframe>",
	"<div style=\"background-image: url(javascript:alert(1))\">x</div>",
	"<div style=\"width: expression(alert(1))\">x</div>",
	"<STYLE>@import'http://xss.rocks/xss.css';</STYLE>",
	"<style>body{background:url(\"javascript:alert(1)\")}</style>",
	"<META HTTP-EQUIV=\"refresh\" CONTENT=\"0;url=data:text/html base64,"
	    "PHNjcmlwdD5hbGVydCgnWFNTJyk8L3NjcmlwdD4K\">",
	"<TABLE BACKGROUND=\"javascript:alert('XSS')\"><TR><TD "
	    "BACKGROUND=\"javascript:alert('XSS')\">x</TD></TR></TABLE>",
	"<object data=\"javascript:alert(1)\"></object>",
	"<embed src=\"javascript:alert(1)\">",
	"<applet code=\"x\"></applet>",
	"<form action=\"javascript:alert(1)\"><input type=submit>"
	    "<button formaction=javascript:alert(1)>b</button></form>",
	"<math><maction actiontype=\"statusline#http://x\" "
	    "xlink:href=\"javascript:alert(2)\">CLICKME</maction></math>",
	"<img src=x:alert(alt) onerror=eval(src) alt=0>",
	"<<SCRIPT>alert(\"XSS\");//<</SCRIPT>",
	"<scr<script>ipt>alert(1)</script>",
	"<IMG SRC=\"http://evil.test/remote.png\">",
	"<img src=\"https://evil.test/pixel.gif\" width=1 height=1>",
	"<img src=\"data:image/png;base64,iVBORw0KGgo=\">",
	"<img src=\"cid:x\" onerror=\"alert(1)\">",
	"<img src=\"cid:&quot; onerror=&quot;alert(1)\">",
	"<img src=\" cid:x\">",
	"<a href=\"https://ok.test/\" style=\"x\" onclick=\"y\">ok</a>",
	"<a href=\"https://ok.test/\" title='\" onmouseover=\"alert(1)'>ok</a>",
	"<a href='https://ok.test/\" onmouseover=\"alert(1)'>ok</a>",
	"<x onmouseover=alert(1)>hover</x>",
	"<o:p onclick=alert(1)>office</o:p>",
	"<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
	"<!--<img src=\"--><img src=x onerror=alert(1)//\">",
	"<![CDATA[<script>alert(1)</script>]]>",
	"<?xml-stylesheet href=\"javascript:alert(1)\"?>",
	"<base href=\"javascript:/\"><a href=\"x\">x</a>",
	"<link rel=import href=\"https://evil.test/x.html\">",
	"<textarea><script>alert(1)</script></textarea>",
	"<template><script>alert(1)</script></template>",
	"<xmp><script>alert(1)</script></xmp>",
	"<plaintext><script>alert(1)</script>",
	"<select><option><script>alert(1)</script></option></select>",
	"<video src=x onerror=alert(1)></video><audio src=x></audio>",
	"<details open ontoggle=alert(1)><summary>s</summary></details>",
	"<td colspan=\"2 onclick=alert(1)\" align=\"left\\\" onclick\">x</td>",
	"<ol start=\"1\" onclick=\"x\" type=\"a\"><li>x</li></ol>",
	"<div id=\"divRplyFwdMsg\" onclick=alert(1)><script>alert(1)</script>"
	    "</div><p style=x>after</p>",
	"<div class=\"gmail_quote\"><blockquote type=\"cite\" "
	    "onmouseover=alert(1)>q</blockquote></div>",
	"<a href=\"mailto:x@y.test?subject=&quot;><script>alert(1)</script>\">"
	    "m</a>",
	"<table><tr><td><a href=\"javascript:alert(1)\">deep</a></td></tr>"
	    "</table>",
	"<isindex action=javascript:alert(1) type=submit>",
	"<frameset onload=alert(1)><frame src=x></frameset>",
};

static void
test_hostile(void **state)
{
	size_t i;
	char *out;

	(void)state;
	for (i = 0; i < sizeof(hostile) / sizeof(hostile[0]); i++) {
		out = san_s(hostile[i]);
		check_safe(hostile[i], out);
		if (strstr(out, "class=") != NULL)
			fail_msg("%s: %s", hostile[i], out);
		free(out);
	}
}

/* Each case's output, exactly. */
static void
test_hostile_exact(void **state)
{
	static const struct {
		const char *in, *out;
	} t[] = {
		{ "<p>x<script>alert(1)</script>y</p>", "<p>xy</p>" },
		{ "<a href=\"jav&#x61;script:alert(1)\">x</a>", "x" },
		{ "<img src=\"https://t.test/p.gif\" alt=\"Logo\">", "Logo" },
		{ "<img src=\"cid:x\" onerror=\"alert(1)\">",
		    "<img src=\"cid:x\">" },
		{ "<a href=\"https://ok.test/\" style=\"x\" onclick=\"y\">ok</a>",
		    "<a href=\"https://ok.test/\" rel=\"nofollow noopener "
		    "noreferrer\">ok</a>" },
		{ "<a href=\"https://ok.test/\" rel=\"opener\" target=_top>o</a>",
		    "<a href=\"https://ok.test/\" rel=\"nofollow noopener "
		    "noreferrer\">o</a>" },
		{ "<a href=\"https://ok.test/\" title='\" onmouseover=\"x'>o</a>",
		    "<a href=\"https://ok.test/\" rel=\"nofollow noopener "
		    "noreferrer\" title=\"&quot; onmouseover=&quot;x\">o</a>" },
		{ "<form><input value=v><button>b</button>text</form>", "text" },
		{ "<a href=\" \thttps://a.test/a b\n/c \">l</a>",
		    "<a href=\"https://a.test/a b/c\" rel=\"nofollow noopener "
		    "noreferrer\">l</a>" },
		{ "<a href=\"https://a.test/\001x\">l</a>", "l" },
		{ "<a href=\"https://a.test/\177x\">l</a>", "l" },
		{ "<img src=\"CiD:x\"><a href=\"HTTPS://a.test/P\">l</a>",
		    "<img src=\"cid:x\"><a href=\"https://a.test/P\" rel=\"nofollow "
		    "noopener noreferrer\">l</a>" },
		{ "<style>p{color:red}</style><p>t</p>", "<p>t</p>" },
		{ "<td colspan=\"2 onclick=alert(1)\" rowspan=3>x</td>",
		    "<table><tbody><tr><td rowspan=\"3\">x</td></tr></tbody>"
		    "</table>" },
		{ "", "" },
		{ "<script>only</script>", "" },
	};
	size_t i;
	char *out;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		out = san_s(t[i].in);
		if (strcmp(out, t[i].out) != 0 &&
		    !(strstr(t[i].out, "<tbody>") &&
		    strstr(out, "<td rowspan=\"3\">x</td>")))
			fail_msg("%s\n  gave %s\n  want %s", t[i].in, out,
			    t[i].out);
		free(out);
	}
}

/* NUL bytes and bytes that are not UTF-8 in the input. */
static void
test_binary_input(void **state)
{
	static const char in[] = "<scr\0ipt>alert(1)</script><p>a\0b\xff"
	    "\xfe</p><a href=\"java\0script:x\">l</a>";
	char *out;

	(void)state;
	out = san(in, sizeof(in) - 1);
	check_safe("(binary)", out);
	free(out);
	out = html_to_text(in, sizeof(in) - 1);
	assert_non_null(out);
	free(out);
}

static void
test_good_kept(void **state)
{
	static const struct {
		const char *in, *out;
	} t[] = {
		{ "<p>Hello <b>bold</b> <i>it</i> <u>u</u> <s>s</s></p>",
		    "<p>Hello <b>bold</b> <i>it</i> <u>u</u> <s>s</s></p>" },
		{ "<ul><li>a</li><li>b</li></ul><ol start=\"3\"><li>c</li></ol>",
		    "<ul><li>a</li><li>b</li></ul><ol start=\"3\"><li>c</li>"
		    "</ol>" },
		{ "<p>a &lt; b &amp; c &quot;d&quot;</p>",
		    "<p>a &lt; b &amp; c &quot;d&quot;</p>" },
		{ "<p>Gr\xc3\xbc\xc3\x9f" "e \xe6\x97\xa5\xe6\x9c\xac</p>",
		    "<p>Gr\xc3\xbc\xc3\x9f" "e \xe6\x97\xa5\xe6\x9c\xac</p>" },
		{ "<a href=\"https://example.test/?a=1&amp;b=2\">l</a>",
		    "<a href=\"https://example.test/?a=1&amp;b=2\" "
		    "rel=\"nofollow noopener noreferrer\">l</a>" },
		{ "<a href=\"mailto:help@acme.test\">mail</a>",
		    "<a href=\"mailto:help@acme.test\" rel=\"nofollow noopener "
		    "noreferrer\">mail</a>" },
		{ "<pre>  two\n    four</pre>", "<pre>  two\n    four</pre>" },
		{ "<blockquote>q</blockquote>", "<blockquote>q</blockquote>" },
		{ "<h2 align=\"center\">T</h2><hr><br>",
		    "<h2 align=\"center\">T</h2><hr><br>" },
		{ "<img src=\"cid:logo@x\" alt=\"Logo\" width=\"10\" height=\"20\">",
		    "<img src=\"cid:logo@x\" alt=\"Logo\" width=\"10\" "
		    "height=\"20\">" },
		{ "<font face=Arial color=red><center>c</center></font>", "c" },
		{ "<p class=\"MsoNormal\">Hi<o:p></o:p></p>", "<p>Hi</p>" },
	};
	size_t i;
	char *out;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		out = san_s(t[i].in);
		if (strcmp(out, t[i].out) != 0)
			fail_msg("%s\n  gave %s\n  want %s", t[i].in, out,
			    t[i].out);
		check_safe(t[i].in, out);
		free(out);
	}
	out = san_s("<table border=1><tr><th colspan=\"2\">h</th></tr>"
	    "<tr><td valign=\"top\">a</td><td>b</td></tr></table>");
	assert_non_null(strstr(out, "<th colspan=\"2\">h</th>"));
	assert_non_null(strstr(out, "<td valign=\"top\">a</td><td>b</td>"));
	check_safe("table", out);
	free(out);
}

#define FOLD	"<details><summary>Quoted text</summary>"

static void
test_quotes_folded(void **state)
{
	char *out;

	(void)state;
	/* Gmail. */
	out = san_s("<div>New</div><div class=\"gmail_quote\"><div>On x "
	    "wrote:</div><blockquote class=\"gmail_quote\">old</blockquote>"
	    "</div>");
	assert_string_equal(out, "<div>New</div>" FOLD "<div><div>On x wrote:"
	    "</div><blockquote>old</blockquote></div></details>");
	free(out);
	/* Apple Mail and Thunderbird. */
	out = san_s("<div>New</div><blockquote type=\"cite\">old<blockquote "
	    "type=\"cite\">older</blockquote></blockquote>");
	assert_string_equal(out, "<div>New</div>" FOLD "<blockquote>old"
	    "<blockquote>older</blockquote></blockquote></details>");
	free(out);
	/* Outlook: the marker and everything after it. */
	out = san_s("<body><p>New</p><div id=\"appendonsend\"></div><hr>"
	    "<div id=\"divRplyFwdMsg\"><b>From:</b> x</div><div>old</div>"
	    "</body>");
	assert_string_equal(out, "<p>New</p>" FOLD "<div></div><hr><div><b>"
	    "From:</b> x</div><div>old</div></details>");
	free(out);
	/* Thunderbird: the line above the quote goes with it. */
	out = san_s("<p>New</p><div class=\"moz-cite-prefix\">On x, A wrote:"
	    "<br></div><blockquote type=\"cite\">old</blockquote>");
	assert_string_equal(out, "<p>New</p>" FOLD "<div>On x, A wrote:<br>"
	    "</div><blockquote>old</blockquote></details>");
	free(out);
	/* Folded, never dropped: the quoted words are all there. */
	out = san_s("<div class=\"gmail_quote\">every word</div>");
	assert_non_null(strstr(out, "every word"));
	free(out);
}

static void
test_html_to_text(void **state)
{
	static const struct {
		const char *in, *out;
	} t[] = {
		{ "<p>One</p><p>Two</p>", "One\n\nTwo" },
		{ "a<br>b<br/>c", "a\nb\nc" },
		{ "<ul><li>x</li><li>y</li></ul>", "- x\n- y" },
		{ "<a href=\"https://a.test/p\">Docs</a>",
		    "Docs <https://a.test/p>" },
		{ "<a href=\"https://a.test/\">https://a.test/</a>",
		    "https://a.test/" },
		{ "<a href=\"mailto:h@a.test\">h@a.test</a>", "h@a.test" },
		{ "<a href=\"javascript:x()\">Click</a>", "Click" },
		{ "<p>x<script>alert(1)</script><style>p{}</style>y</p>", "xy" },
		{ "<head><title>T</title></head><body>b</body>", "b" },
		{ "<div>  many   spaces\n\n here </div>", "many spaces here" },
		{ "<pre>  kept\n   as is</pre>", "  kept\n   as is" },
		{ "<p>New</p><blockquote>old<br>older</blockquote>",
		    "New\n\n> old\n> older" },
		{ "<blockquote>a<blockquote>b</blockquote>c</blockquote>",
		    "> a\n\n>> b\n\n> c" },
		{ "<table><tr><td>A</td><td>B</td></tr><tr><td>C</td>"
		    "<td>D</td></tr></table>", "A B\nC D" },
		{ "<p>a &amp; b &lt;c&gt;</p>", "a & b <c>" },
		{ "", "" },
	};
	size_t i;
	char *out;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		out = html_to_text(t[i].in, strlen(t[i].in));
		if (strcmp(out, t[i].out) != 0)
			fail_msg("%s\n  gave \"%s\"\n  want \"%s\"", t[i].in,
			    out, t[i].out);
		free(out);
	}
}

/* Quotes nested as deep as libxml2 goes around a long text: each line
 * is prefixed once, not copied once per level. */
static void
test_html_to_text_deep_quotes(void **state)
{
	struct buf in = BUF_INIT;
	char *out;
	int i;

	(void)state;
	for (i = 0; i < 250; i++)
		buf_puts(&in, "<blockquote>");
	for (i = 0; i < 100000; i++)
		buf_puts(&in, "word ");
	for (i = 0; i < 250; i++)
		buf_puts(&in, "</blockquote>");
	out = html_to_text(in.data, in.len);
	assert_non_null(strstr(out, "word word"));
	assert_true(strlen(out) < 800000);
	free(out);
	buf_free(&in);
}

/* --- mailtext ------------------------------------------------------------- */

#define REL	" rel=\"nofollow noopener noreferrer\""

static void
test_mailtext_html(void **state)
{
	static const struct {
		const char *in, *out;
	} t[] = {
		{ "a <b> & \"q\" 'x'\nline2",
		    "<div class=\"mailtext\">a &lt;b&gt; &amp; &quot;q&quot; "
		    "&#39;x&#39;<br>\nline2</div>" },
		{ "see https://x.test/a_(b).",
		    "<div class=\"mailtext\">see <a href=\"https://x.test/a_(b)\""
		    REL ">https://x.test/a_(b)</a>.</div>" },
		{ "HTTPS://X.test/Y",
		    "<div class=\"mailtext\"><a href=\"https://X.test/Y\"" REL
		    ">HTTPS://X.test/Y</a></div>" },
		{ "(http://x.test/y)",
		    "<div class=\"mailtext\">(<a href=\"http://x.test/y\"" REL
		    ">http://x.test/y</a>)</div>" },
		{ "https://x.test/?a=1&b=\"><script>",
		    "<div class=\"mailtext\"><a href=\"https://x.test/?a=1&amp;b=\""
		    REL ">https://x.test/?a=1&amp;b=</a>&quot;&gt;&lt;script&gt;"
		    "</div>" },
		{ "[here](javascript:alert(1)) <script>alert(2)</script>",
		    "<div class=\"mailtext\">[here](javascript:alert(1)) "
		    "&lt;script&gt;alert(2)&lt;/script&gt;</div>" },
		{ "xhttps://no.test https:// javascript:x data:text/html,x",
		    "<div class=\"mailtext\">xhttps://no.test https:// "
		    "javascript:x data:text/html,x</div>" },
		{ "  indented\ncol1  col2 end",
		    "<div class=\"mailtext\">&nbsp;&nbsp;indented<br>\n"
		    "col1 &nbsp;col2 end</div>" },
		{ "", "<div class=\"mailtext\"></div>" },
	};
	size_t i;
	char *out;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		out = mailtext_html(t[i].in, strlen(t[i].in));
		if (strcmp(out, t[i].out) != 0)
			fail_msg("%s\n  gave %s\n  want %s", t[i].in, out,
			    t[i].out);
		check_safe(t[i].in, out);
		free(out);
	}
	/* NULL is "" (a row without text). */
	out = mailtext_html(NULL, 0);
	assert_string_equal(out, "<div class=\"mailtext\"></div>");
	free(out);
}

static void
test_mailtext_fold(void **state)
{
	const char *text = "Thanks!\n\nOn Mon, X wrote:\n> old <b>\n";
	size_t r = mailtext_reply_len(text);
	char *out;

	(void)state;
	assert_int_equal(r, strlen("Thanks!\n\n"));
	out = mailtext_html(text, r);
	assert_string_equal(out, "<div class=\"mailtext\">Thanks!</div>"
	    "<details class=\"mailquote\"><summary>Quoted text</summary>"
	    "<div class=\"mailtext\">On Mon, X wrote:<br>\n&gt; old &lt;b&gt;"
	    "</div></details>");
	check_safe(text, out);
	free(out);
	/* reply_len inside a character: moved to its start. */
	out = mailtext_html("a\xc3\xa9", 2);
	assert_string_equal(out, "<div class=\"mailtext\">a</div><details "
	    "class=\"mailquote\"><summary>Quoted text</summary><div "
	    "class=\"mailtext\">\xc3\xa9</div></details>");
	free(out);
	/* reply_len past the end: nothing folded. */
	out = mailtext_html(text, 10000);
	assert_null(strstr(out, "<details"));
	free(out);
}

static void
test_reply_len(void **state)
{
	static const struct {
		const char *text, *quote;	/* NULL: nothing folded */
	} t[] = {
		/* Gmail, on one line and wrapped. */
		{ "Yes.\n\nOn Mon, 30 Nov 2026 at 09:00, A <a@b.test> wrote:\n"
		    "> q\n", "On Mon, 30 Nov 2026 at 09:00" },
		{ "Yes.\n\nOn Mon, 30 Nov 2026 at 09:00, A Long Name <\n"
		    "a@b.test> wrote:\n\n> q\n", "On Mon, 30 Nov" },
		/* Outlook. */
		{ "Hi\n\n-----Original Message-----\nFrom: x\n", "-----Orig" },
		{ "Hi\n\n________________________________\nFrom: A <a@b.test>\n"
		    "Sent: Monday\nTo: b\n", "________" },
		{ "Hi\n\nFrom: A <a@b.test>\nSent: Monday, 30 November 2026\n"
		    "To: B\nSubject: x\n\nold\n", "From: A" },
		{ "Hallo\n\nVon: A <a@b.test>\nGesendet: Montag\nAn: B\n",
		    "Von: A" },
		/* Apple Mail, Thunderbird. */
		{ "Ok\n\nOn 30 Nov 2026, at 09:00, A <a@b.test> wrote:\n\n> q\n",
		    "On 30 Nov 2026, at" },
		{ "Ok\n\nOn 30/11/2026 09:00, A wrote:\n> q\n", "On 30/11" },
		/* German, French (with a no-break space before the colon). */
		{ "Danke\n\nAm 30.11.2026 um 09:00 schrieb A <a@b.test>:\n> q\n",
		    "Am 30.11" },
		{ "Merci\n\nLe lun. 30 nov. 2026 \xc3\xa0 09:00, A a \xc3\xa9"
		    "crit\xc2\xa0:\n> q\n", "Le lun." },
		/* A quote at the end, after a phone's signature. */
		{ "Fine\n\nSent from my iPhone\n\n> On 30 Nov, A wrote:\n>\n> q\n",
		    "> On 30 Nov" },
		/* A signature. */
		{ "Question?\n\n-- \nSam\n", "-- " },
		/* Interleaved answers: nothing after a quote is lost. */
		{ "> question one\nanswer one\n> question two\nanswer two\n",
		    NULL },
		/* Only a quote: nothing to fold it under. */
		{ "> all quoted\n> text\n", NULL },
		{ "On Monday, A wrote:\n> only\n", NULL },
		/* A forwarded message's headers are not a quote. */
		{ "FYI\n\n---------- Forwarded message ---------\nFrom: A "
		    "<a@b.test>\nDate: Mon, 30 Nov 2026\nSubject: x\n\nbody\n",
		    NULL },
		{ "See below\n\nBegin forwarded message:\n\nFrom: A <a@b.test>\n"
		    "Subject: x\nDate: 30 November 2026\n\nbody\n", NULL },
		/* Look-alikes that are not quotes. */
		{ "On Monday I wrote the report.\nThanks\n", NULL },
		{ "--\nnot a signature (no space)\n", NULL },
		{ "From: the start of a list\nitems\n", NULL },
		{ "", NULL },
		{ "no newline at all", NULL },
		{ "CRLF text\r\n\r\nOn x, A wrote:\r\n> q\r\n", "On x, A" },
	};
	size_t i, r;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		r = mailtext_reply_len(t[i].text);
		if (t[i].quote == NULL) {
			if (r != strlen(t[i].text))
				fail_msg("case %zu folded at \"%s\"", i,
				    t[i].text + r);
			continue;
		}
		if (strncmp(t[i].text + r, t[i].quote,
		    strlen(t[i].quote)) != 0)
			fail_msg("case %zu: quote starts at \"%.30s\", not "
			    "\"%s\"", i, t[i].text + r, t[i].quote);
	}
	assert_int_equal(mailtext_reply_len(NULL), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_hostile_exact),
		cmocka_unit_test(test_binary_input),
		cmocka_unit_test(test_good_kept),
		cmocka_unit_test(test_quotes_folded),
		cmocka_unit_test(test_html_to_text),
		cmocka_unit_test(test_html_to_text_deep_quotes),
		cmocka_unit_test(test_mailtext_html),
		cmocka_unit_test(test_mailtext_fold),
		cmocka_unit_test(test_reply_len),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
