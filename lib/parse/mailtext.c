/*
 * mailtext: the text of a mail as HTML, and where its quoted part
 * begins (mailtext.h). Pure string code over text that mailparse made
 * valid UTF-8; it still never reads past a NUL or a length, since the
 * web calls it on what the database holds.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "escape.h"
#include "mailtext.h"

#define REL	"nofollow noopener noreferrer"

/* Where a bare http(s) address ends: at space, a bracket or a quote,
 * less the punctuation that ends a sentence around it. */
static size_t
url_len(const char *s, size_t n)
{
	size_t k = 0, open = 0, close = 0, i;

	while (k < n && (unsigned char)s[k] > ' ' && s[k] != '<' &&
	    s[k] != '>' && s[k] != '"' && s[k] != '\'' && s[k] != '`' &&
	    s[k] != 0x7f)
		k++;
	for (i = 0; i < k; i++) {
		if (s[i] == '(')
			open++;
		else if (s[i] == ')')
			close++;
	}
	while (k > 0) {
		char c = s[k - 1];

		if (c == '.' || c == ',' || c == ';' || c == ':' ||
		    c == '!' || c == '?' || c == ']' || c == '}' ||
		    c == '*' || c == '_') {
			k--;
			continue;
		}
		if (c == ')' && close > open) {
			close--;
			k--;
			continue;
		}
		break;
	}
	return k;
}

/* A link starts at s[i] when "http://" or "https://" with something
 * after it follows a start of text, a space or an opening bracket. */
static size_t
link_at(const char *s, size_t i, size_t n)
{
	size_t p, k;

	if (i > 0 && !(s[i - 1] == ' ' || s[i - 1] == '\t' ||
	    s[i - 1] == '\n' || s[i - 1] == '(' || s[i - 1] == '<' ||
	    s[i - 1] == '[' || s[i - 1] == '"' || s[i - 1] == '\''))
		return 0;
	if (n - i > 8 && strncasecmp(s + i, "https://", 8) == 0)
		p = 8;
	else if (n - i > 7 && strncasecmp(s + i, "http://", 7) == 0)
		p = 7;
	else
		return 0;
	k = url_len(s + i, n - i);
	return k > p ? k : 0;
}

/*
 * Escaped text with its line breaks kept and bare addresses linked. A
 * space at the start of a line or after another space is a no-break
 * space, so indented lines and aligned columns keep their shape.
 */
static void
text_html(struct buf *out, const char *s, size_t n)
{
	size_t i = 0, start = 0, k, p;

	while (i < n) {
		if (s[i] == '\n') {
			html_escape(out, s + start, i - start);
			buf_puts(out, "<br>\n");
			start = ++i;
			continue;
		}
		if (s[i] == ' ' && (i == 0 || s[i - 1] == ' ' ||
		    s[i - 1] == '\n')) {
			html_escape(out, s + start, i - start);
			buf_puts(out, "&nbsp;");
			start = ++i;
			continue;
		}
		if ((s[i] == 'h' || s[i] == 'H') &&
		    (k = link_at(s, i, n)) > 0) {
			html_escape(out, s + start, i - start);
			/* The scheme in lower case, as every check reads it. */
			p = s[i + 4] == ':' ? 7 : 8;
			buf_puts(out, p == 7 ? "<a href=\"http://" :
			    "<a href=\"https://");
			html_escape(out, s + i + p, k - p);
			buf_puts(out, "\" rel=\"" REL "\">");
			html_escape(out, s + i, k);
			buf_puts(out, "</a>");
			i += k;
			start = i;
			continue;
		}
		i++;
	}
	html_escape(out, s + start, n - start);
}

/* The part without the blank lines at its end. */
static size_t
trim_end(const char *s, size_t n)
{
	while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == ' ' ||
	    s[n - 1] == '\t' || s[n - 1] == '\r'))
		n--;
	return n;
}

char *
mailtext_html(const char *text, size_t reply_len)
{
	struct buf out = BUF_INIT;
	size_t n = text != NULL ? strlen(text) : 0, q;

	if (reply_len > n)
		reply_len = n;
	/* Never inside a character (a caller's stale or odd length). */
	while (reply_len > 0 && reply_len < n &&
	    ((unsigned char)text[reply_len] & 0xc0) == 0x80)
		reply_len--;
	q = reply_len;
	/* The quote starts after the blank lines that end the reply. */
	while (q < n && (text[q] == '\n' || text[q] == '\r'))
		q++;
	buf_puts(&out, "<div class=\"mailtext\">");
	text_html(&out, text != NULL ? text : "",
	    trim_end(text != NULL ? text : "", reply_len));
	buf_puts(&out, "</div>");
	if (q < n && trim_end(text + q, n - q) > 0) {
		buf_puts(&out, "<details class=\"mailquote\"><summary>Quoted "
		    "text</summary><div class=\"mailtext\">");
		text_html(&out, text + q, trim_end(text + q, n - q));
		buf_puts(&out, "</div></details>");
	}
	return buf_detach(&out);
}

/* --- where the quote begins ---------------------------------------------- */

struct line {
	const char	*s;
	size_t		 n;	/* without the \n, and without a \r */
};

static int
starts(const struct line *l, const char *w)
{
	size_t k = strlen(w);

	return l->n >= k && strncasecmp(l->s, w, k) == 0;
}

/* The line ends with w, spaces (and NBSP) after it ignored. */
static int
ends(const struct line *l, const char *w)
{
	size_t k = strlen(w), n = l->n;

	for (;;) {
		if (n > 0 && (l->s[n - 1] == ' ' || l->s[n - 1] == '\t'))
			n--;
		else if (n > 1 && (unsigned char)l->s[n - 2] == 0xc2 &&
		    (unsigned char)l->s[n - 1] == 0xa0)
			n -= 2;
		else
			break;
	}
	return n >= k && strncasecmp(l->s + n - k, w, k) == 0;
}

static int
contains(const struct line *l, const char *w)
{
	size_t k = strlen(w), i;

	for (i = 0; i + k <= l->n; i++)
		if (strncasecmp(l->s + i, w, k) == 0)
			return 1;
	return 0;
}

static int
blank(const struct line *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (l->s[i] != ' ' && l->s[i] != '\t')
			return 0;
	return 1;
}

/* "On ... wrote:", "Am ... schrieb ...:", "Le ... a écrit :" and their
 * kin, on one line or wrapped over two (a long name and address). */
static int
attribution(const struct line *l, const struct line *next)
{
	struct line two;
	static const struct {
		const char *start, *mid, *end;
	} forms[] = {
		{ "On ", NULL, "wrote:" },
		{ "Am ", "schrieb", ":" },
		{ "Le ", "crit", ":" },		/* a écrit */
		{ "El ", "escribi", ":" },	/* escribió */
		{ "Op ", "schreef", ":" },
		{ "Il ", "scritto", ":" },
		{ "Em ", "escreveu", ":" },
	};
	size_t i;

	for (i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		if (!starts(l, forms[i].start))
			continue;
		if (ends(l, forms[i].end) &&
		    (forms[i].mid == NULL || contains(l, forms[i].mid)))
			return 1;
		/* Wrapped: the end on the next line. */
		if (next == NULL || next->n == 0 || l->n > 200)
			continue;
		two.s = next->s;
		two.n = next->n;
		if (ends(&two, forms[i].end) && (forms[i].mid == NULL ||
		    contains(l, forms[i].mid) || contains(&two, forms[i].mid)))
			return 1;
	}
	return 0;
}

/* Outlook's header block: "From: x" then, within three lines, "Sent:"
 * or "Date:" (or the German "Von:" ... "Gesendet:"). */
static int
outlook_header(const struct line *v, size_t i, size_t nl)
{
	size_t k;

	if (!starts(&v[i], "From:") && !starts(&v[i], "Von:") &&
	    !starts(&v[i], "De :") && !starts(&v[i], "De:"))
		return 0;
	/* The headers of a forwarded message are what was sent on to us,
	 * not an earlier message quoted: never folded. */
	for (k = i; k > 0 && blank(&v[k - 1]); k--)
		;
	if (k > 0 && (contains(&v[k - 1], "forwarded message") ||
	    contains(&v[k - 1], "weitergeleitete nachricht") ||
	    contains(&v[k - 1], "message transf")))
		return 0;
	for (k = i + 1; k < nl && k <= i + 3; k++)
		if (starts(&v[k], "Sent:") || starts(&v[k], "Date:") ||
		    starts(&v[k], "Gesendet:") || starts(&v[k], "Envoy"))
			return 1;
	return 0;
}

static int
separator(const struct line *l)
{
	size_t i;

	if (starts(l, "-----Original Message-----") ||
	    starts(l, "----- Original Message -----") ||
	    starts(l, "-----Ursprüngliche Nachricht-----") ||
	    starts(l, "-----Message d'origine-----"))
		return 1;
	/* Outlook on the web: a line of underscores above the headers. */
	if (l->n < 20)
		return 0;
	for (i = 0; i < l->n; i++)
		if (l->s[i] != '_')
			return 0;
	return 1;
}

static int
quoted(const struct line *l)
{
	return l->n > 0 && l->s[0] == '>';
}

size_t
mailtext_reply_len(const char *text)
{
	struct line *v = NULL;
	size_t n, nl = 0, cap = 0, i, at, tail;
	const char *p, *e;

	if (text == NULL)
		return 0;
	n = strlen(text);
	for (p = text; p < text + n; p = e + 1) {
		if ((e = memchr(p, '\n', (size_t)(text + n - p))) == NULL)
			e = text + n;
		if (nl == cap) {
			struct line *nv;

			cap = cap ? cap * 2 : 64;
			if ((nv = reallocarray(v, cap, sizeof(*v))) == NULL) {
				free(v);
				return n;
			}
			v = nv;
		}
		v[nl].s = p;
		v[nl].n = (size_t)(e - p);
		if (v[nl].n > 0 && p[v[nl].n - 1] == '\r')
			v[nl].n--;
		nl++;
		if (e == text + n)
			break;
	}

	/* A trailing run of ">" lines and blank lines is a quote. */
	tail = nl;
	for (i = nl; i > 0; i--) {
		if (quoted(&v[i - 1]))
			tail = i - 1;
		else if (!blank(&v[i - 1]))
			break;
	}

	for (i = 0; i < nl && i < tail; i++) {
		if ((v[i].n == 3 && memcmp(v[i].s, "-- ", 3) == 0) ||
		    separator(&v[i]) || outlook_header(v, i, nl) ||
		    attribution(&v[i], i + 1 < nl ? &v[i + 1] : NULL))
			break;
	}
	at = i < tail ? i : tail;

	/* Folding everything would leave nothing to read: fold nothing. */
	for (i = 0; i < at; i++)
		if (!blank(&v[i]))
			break;
	if (at >= nl || i == at) {
		free(v);
		return n;
	}
	n = (size_t)(v[at].s - text);
	free(v);
	return n;
}
