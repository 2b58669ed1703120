/*
 * queue: one page of tickets under filters, a sort and a search, by keyset
 * pagination: the page after a cursor is an index range scan, as fast at
 * row 100,000 as at row 1. The SQL is assembled from the constant
 * fragments below; every value is a placeholder.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "actor.h"
#include "buf.h"
#include "config.h"
#include "db.h"
#include "searchidx.h"
#include "tickets.h"
#include "util.h"
#include "wordchar.h"

enum sort { SORT_UPDATED, SORT_CREATED, SORT_PRIORITY };

static enum sort
sort_of(const char *s)
{
	if (str_eq(s, "created"))
		return SORT_CREATED;
	if (str_eq(s, "priority"))
		return SORT_PRIORITY;
	return SORT_UPDATED;
}

/* A cursor is up to three numbers joined by '.'; returns how many. */
static int
cursor_parse(const char *s, long long v[3])
{
	int n = 0;

	while (s && *s && n < 3) {
		char num[24];
		size_t len = strcspn(s, ".");

		if (len == 0 || len >= sizeof(num))
			return 0;
		memcpy(num, s, len);
		num[len] = '\0';
		if (parse_int(num, 0, (long long)1 << 62, &v[n++]) == -1)
			return 0;
		s += len + (s[len] == '.');
	}
	return s && *s ? 0 : n;
}

/*
 * The length in bytes of the word at s (0 when s starts no word), at
 * most n bytes; its characters in *chars. Words are cut where InnoDB
 * FULLTEXT's parser cuts them (wordchar.h), so that the search, its
 * index and the highlight agree on what a word is.
 */
static size_t
word_len(const char *s, size_t n, size_t *chars)
{
	size_t at = 0, k;

	*chars = 0;
	while (at < n && word_char(s + at, n - at, &k)) {
		at += k;
		(*chars)++;
	}
	return at;
}

/* The bytes from s to the next word's start (or n). */
static size_t
gap_len(const char *s, size_t n)
{
	size_t at = 0, k;

	while (at < n && !word_char(s + at, n - at, &k))
		at += k;
	return at;
}

/*
 * The words of a search as an InnoDB boolean query: each word must occur,
 * as a prefix ("+refund* +card*"). Operators typed by the user are
 * dropped, so no input is a syntax error. The cost is bounded: a word
 * shorter than SEARCH_MIN_CHARS (not indexed by InnoDB, and as a prefix
 * it would expand to every term it starts) is left out, and so is every
 * word after SEARCH_MAX_WORDS.
 */
char *
search_terms(const char *q, int *dropped)
{
	struct buf b = BUF_INIT;
	const char *end = q + strlen(q);
	size_t len, chars;
	int words = 0;

	*dropped = 0;
	for (;;) {
		q += gap_len(q, (size_t)(end - q));
		if (q == end)
			break;
		len = word_len(q, (size_t)(end - q), &chars);
		if (chars < SEARCH_MIN_CHARS)
			*dropped |= SEARCH_SHORT;
		else if (words == SEARCH_MAX_WORDS) {
			*dropped |= SEARCH_MANY;
			break;
		} else {
			buf_puts(&b, words++ ? " +" : "+");
			buf_add(&b, q, len);
			buf_putc(&b, '*');
		}
		q += len;
	}
	return buf_detach(&b);
}

/* "#42" or "42": a search for a ticket number. */
static long long
number_query(const char *q)
{
	long long n;

	if (*q == '#')
		q++;
	return parse_int(q, 1, (long long)1 << 62, &n) == 0 ? n : 0;
}

int
search_dropped(const char *q)
{
	int dropped = 0;

	if (q != NULL && *q != '\0' && number_query(q) == 0)
		free(search_terms(q, &dropped));
	return dropped;
}

/* ---- the words of a document, for a search index (issue 14) ------------- */

struct span {
	const char	*p;
	size_t		 n;
};

/* Byte order with ASCII letters folded: equal spans are adjacent. */
static int
span_cmp(const void *a, const void *b)
{
	const struct span *x = a, *y = b;
	size_t i, n = x->n < y->n ? x->n : y->n;
	int cx, cy;

	for (i = 0; i < n; i++) {
		cx = tolower((unsigned char)x->p[i]);
		cy = tolower((unsigned char)y->p[i]);
		if (cx != cy)
			return cx - cy;
	}
	return x->n < y->n ? -1 : x->n > y->n;
}

/*
 * InnoDB's default stopwords (INFORMATION_SCHEMA.INNODB_FT_DEFAULT_STOPWORD)
 * of SEARCH_MIN_CHARS characters or more: FULLTEXT does not index them,
 * so "the" finds "there" and "them" but never "the"; the index keeps
 * them out too, to find what FULLTEXT finds. InnoDB compares them under
 * the column's collation, so "Thé" is one too: compared here with ASCII
 * case folded only (a stopword with an accent typed in is rare enough
 * to be indexed).
 */
static const char *const stopwords[] = {
	"about", "are", "com", "for", "from", "how", "that", "the", "this",
	"und", "was", "what", "when", "where", "who", "will", "with", "www",
};

static int
is_stopword(const char *w, size_t n)
{
	size_t i;

	for (i = 0; i < nitems(stopwords); i++)
		if (strlen(stopwords[i]) == n &&
		    strncasecmp(stopwords[i], w, n) == 0)
			return 1;
	return 0;
}

int
search_doc_words(const char *text, size_t len,
    void (*fn)(const char *, size_t, void *), void *arg)
{
	struct span *v = NULL, *nv;
	size_t nv_len = 0, cap = 0, n, chars, i;
	const char *p = text, *end = text + len;

	while ((p += gap_len(p, (size_t)(end - p))) < end) {
		n = word_len(p, (size_t)(end - p), &chars);
		if (chars >= SEARCH_MIN_CHARS &&
		    chars <= SEARCH_INDEX_MAX_CHARS && !is_stopword(p, n)) {
			if (nv_len == cap) {
				cap = cap ? cap * 2 : 64;
				nv = realloc(v, cap * sizeof(*v));
				if (nv == NULL) {
					free(v);
					return -1;
				}
				v = nv;
			}
			v[nv_len].p = p;
			v[nv_len++].n = n;
		}
		p += n;
	}
	if (nv_len > 1)
		qsort(v, nv_len, sizeof(*v), span_cmp);
	for (i = 0, n = 0; i < nv_len; i++)
		if (i == 0 || span_cmp(&v[i - 1], &v[i]) != 0) {
			fn(v[i].p, v[i].n, arg);
			n++;
		}
	free(v);
	return (int)n;
}

/* ---- highlighting ---------------------------------------------------------- */

/* The code point at s (n bytes left) and its length in *len; a byte that
 * does not start a valid sequence stands for itself, so the walk never
 * leaves a character half marked. */
static unsigned long
utf8_next(const unsigned char *s, size_t n, size_t *len)
{
	unsigned long c = utf8_decode((const char *)s, n, len);

	return c == 0 ? s[0] : c;
}

/*
 * Lower case for what a comparison needs: ASCII, Latin-1, Latin
 * Extended-A, Greek and Cyrillic capitals (the database's collation also
 * ignores accents; a highlight of "cafe" in "Café" is left out).
 */
static unsigned long
fold(unsigned long c)
{
	if (c >= 'A' && c <= 'Z')
		return c + 32;
	if (c < 0xc0)
		return c;
	if (c <= 0xde && c != 0xd7)
		return c + 32;
	if ((c >= 0x100 && c <= 0x137) || (c >= 0x14a && c <= 0x177))
		return c | 1;
	if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17e))
		return c & 1 ? c + 1 : c;
	if (c == 0x178)
		return 0xff;
	if (c >= 0x391 && c <= 0x3a9 && c != 0x3a2)
		return c + 32;
	if (c >= 0x410 && c <= 0x42f)
		return c + 32;
	if (c >= 0x400 && c <= 0x40f)
		return c + 80;
	return c;
}

/* The bytes of word w (n bytes) that term t (m bytes) is a prefix of,
 * case-insensitively, or 0. */
static size_t
prefix_of(const char *w, size_t n, const char *t, size_t m)
{
	const unsigned char *a = (const unsigned char *)w;
	const unsigned char *b = (const unsigned char *)t;
	size_t i = 0, j = 0, la, lb;

	while (j < m) {
		if (i >= n)
			return 0;
		if (fold(utf8_next(a + i, n - i, &la)) !=
		    fold(utf8_next(b + j, m - j, &lb)))
			return 0;
		i += la;
		j += lb;
	}
	return i;
}

static void
segment_add(struct json_object *list, const char *s, size_t n, int hit)
{
	struct json_object *o;

	if (n == 0)
		return;
	o = json_object_new_object();
	json_object_object_add(o, "text", json_object_new_string_len(s,
	    (int)n));
	json_object_object_add(o, "hit", json_object_new_boolean(hit));
	json_object_array_add(list, o);
}

/* The longest prefix of the word at w (n bytes) that a term matches.
 * terms is search_terms's "+one* +two*": words of word bytes only. */
static size_t
longest_hit(const char *w, size_t n, const char *terms)
{
	size_t best = 0, k, m;

	while (*terms) {
		terms += strspn(terms, "+ ");
		m = strcspn(terms, "* ");
		if (m > 0 && (k = prefix_of(w, n, terms, m)) > best)
			best = k;
		terms += m;
		terms += strspn(terms, "*");
	}
	return best;
}

/*
 * Appends text (n bytes) to list in segments, hits where a word of it
 * starts with one of terms (search_terms's "+one* +two*"). Returns the
 * number of hits.
 */
static int
segments(struct json_object *list, const char *text, size_t len,
    const char *terms)
{
	const char *p = text, *plain = text, *end = text + len;
	size_t n, k, chars;
	int hits = 0;

	while (terms && *terms && (p += gap_len(p, (size_t)(end - p))) <
	    end) {
		n = word_len(p, (size_t)(end - p), &chars);
		if ((k = longest_hit(p, n, terms)) > 0) {
			segment_add(list, plain, (size_t)(p - plain), 0);
			segment_add(list, p, k, 1);
			plain = p + k;
			hits++;
		}
		p += n;
	}
	segment_add(list, plain, (size_t)(end - plain), 0);
	return hits;
}

/* The search's terms, or NULL when q searches no words (caller frees). */
static char *
terms_of(const char *q)
{
	int dropped;

	if (q == NULL || *q == '\0' || number_query(q) != 0)
		return NULL;
	return search_terms(q, &dropped);
}

struct json_object *
search_highlight(const char *text, const char *q)
{
	struct json_object *list = json_object_new_array();
	char *terms;

	if (text == NULL)
		return list;
	terms = terms_of(q);
	segments(list, text, strlen(text), terms);
	free(terms);
	return list;
}

/* Where the first hit in text is, or NULL. */
static const char *
first_hit(const char *text, const char *terms)
{
	const char *p = text, *end = text + strlen(text);
	size_t n, chars;

	while ((p += gap_len(p, (size_t)(end - p))) < end) {
		n = word_len(p, (size_t)(end - p), &chars);
		if (longest_hit(p, n, terms) > 0)
			return p;
		p += n;
	}
	return NULL;
}

/* p moved back (or on, with dir 1) to the start of a character. */
static const char *
char_start(const char *p, const char *min, int dir)
{
	while (p > min && ((unsigned char)*p & 0xc0) == 0x80)
		p += dir > 0 ? 1 : -1;
	return p;
}

struct json_object *
search_snippet(const char *text, const char *q)
{
	struct json_object *list = NULL;
	struct buf b = BUF_INIT;
	const char *hit, *from, *to, *end, *p;
	char *terms = terms_of(q);

	if (text == NULL || terms == NULL || *terms == '\0' ||
	    (hit = first_hit(text, terms)) == NULL)
		goto out;
	end = text + strlen(text);
	/* Some context before the hit, from the start of a word. */
	from = hit - text > SNIPPET_BEFORE ? hit - SNIPPET_BEFORE : text;
	if (from > text) {
		from = char_start(from, text, 1);
		for (p = from; p < hit && !isspace((unsigned char)*p); p++)
			continue;
		if (p < hit)
			from = p + 1;
	}
	/* At most SNIPPET_BYTES, ending after a word where there is one. */
	to = end - from > SNIPPET_BYTES ? from + SNIPPET_BYTES : end;
	if (to < end) {
		to = char_start(to, from, -1);
		for (p = to; p > hit && !isspace((unsigned char)p[-1]); p--)
			continue;
		if (p > hit)
			to = p;
	}
	/* Line breaks and runs of spaces as one space. */
	for (p = from; p < to; p++) {
		if (isspace((unsigned char)*p)) {
			if (b.len > 0 && buf_str(&b)[b.len - 1] != ' ')
				buf_putc(&b, ' ');
		} else
			buf_putc(&b, *p);
	}
	if (b.len > 0 && b.data[b.len - 1] == ' ')
		b.data[--b.len] = '\0';
	list = json_object_new_array();
	if (from > text)
		segment_add(list, "\xe2\x80\xa6 ", 4, 0);	/* "… " */
	segments(list, buf_str(&b), b.len, terms);
	if (to < end)
		segment_add(list, " \xe2\x80\xa6", 4, 0);
out:
	buf_free(&b);
	free(terms);
	return list;
}

/*
 * How a search is read (docs/decisions.md "Search index"). Until the
 * index is complete (searchidx_ready), FULLTEXT: every match found, then
 * sorted. From the index, by a capped count of each word's entries:
 * when one word has at most search_set_max (config.h), the set: that word's
 * documents, the other words probed in the same document, joined to
 * tickets and sorted (about 2 us a match, and the exact count comes
 * with the page); when every word is common, the walk: the queue's own
 * newest-first index read with an EXISTS probe per ticket, stopping at
 * the page (about 1 us a ticket walked, tickets / matches of them per
 * match), counted apart by ticket_queue_count.
 */
enum plan { PLAN_FULLTEXT, PLAN_SET, PLAN_WALK };

/*
 * A probe "this word as a prefix, in this ticket's document" by LIKE is
 * a ref on ticket_id alone (MariaDB does not range on the word after an
 * outer reference): every entry of the ticket is read, ~65-140 of them
 * (measured: a count of "printer invoice" 0.98 s). By an exact word it is
 * a lookup on the whole primary key (0.17 s). So a prefix that stands
 * for at most SEARCH_EXACT_MAX words of the workspace (read by one index
 * dive a word: word_skip_scan) is probed as those words, each its own EXISTS;
 * the placeholders of one statement stay within SEARCH_PARAMS_MAX (db.c
 * takes 48; the filters, cursor and page take up to 15).
 */
#define SEARCH_EXACT_MAX	8
#define SEARCH_PARAMS_MAX	30

struct search {
	char		*terms;		/* search_terms's "+one* +two*" */
	enum plan	 plan;
	int		 n, driver;	/* words; the rarest (PLAN_SET) */
	/* each word as a LIKE pattern: "pri%", '_' escaped by '!' */
	char		*like[SEARCH_MAX_WORDS];
	/* the words of the workspace each stands for, or none (LIKE) */
	char		*exact[SEARCH_MAX_WORDS][SEARCH_EXACT_MAX];
	int		 nexact[SEARCH_MAX_WORDS];
	/* a walk read by recency instead (recent_page): word driver's
	 * entries from week lo on */
	int		 recent;
	long long	 lo;
	int		 by_week;	/* PREP_BY_WEEK planned it */
};

static void
unexpand(struct search *sr, int i)
{
	int k;

	for (k = 0; k < sr->nexact[i]; k++)
		free(sr->exact[i][k]);
	sr->nexact[i] = 0;
}

static void
search_free(struct search *sr)
{
	int i;

	free(sr->terms);
	for (i = 0; i < sr->n; i++) {
		free(sr->like[i]);
		unexpand(sr, i);
	}
	memset(sr, 0, sizeof(*sr));
}

/* What one word's probe binds: its exact words, or its pattern. */
static int
probe_params(const struct search *sr, int i)
{
	return sr->nexact[i] ? sr->nexact[i] : 1;
}

/* The placeholders the search's SQL binds (add_search, add_search_walk). */
static int
search_params(const struct search *sr)
{
	int i, skip = sr->plan == PLAN_WALK ? 0 : sr->driver, others = 0;

	for (i = 0; i < sr->n; i++)
		if (i != skip)
			others += probe_params(sr, i);
	if (sr->plan == PLAN_WALK)
		return probe_params(sr, 0) * (1 + others);
	return 2 + others;
}

/*
 * The distinct words of the workspace word i's pattern stands for, at
 * most SEARCH_EXACT_MAX + 1, into sr->exact[i] (the first
 * SEARCH_EXACT_MAX): one index dive a word, each starting after the last.
 * A GROUP BY's loose index scan did this in one statement when run alone,
 * but under concurrent load MariaDB's estimate flipped it to reading
 * every entry of the word (455,287 rows, 0.29 s, for "printer" at the
 * bench's million tickets). The count, or -1 on a database error.
 */
static int
word_skip_scan(const struct actor *a, struct search *sr, int i)
{
	struct dbres *res;
	char *last = NULL;
	int k, rc;

	for (k = 0; k < SEARCH_EXACT_MAX + 1; k++) {
		res = db_query("SELECT word FROM search_words FORCE INDEX"
		    " (search_words_word) WHERE workspace_id = ? AND word > ?"
		    " AND word LIKE ? ESCAPE '!' ORDER BY workspace_id, word"
		    " LIMIT 1", "iss", a->ws_id, last ? last : "",
		    sr->like[i]);
		if (res == NULL)
			goto err;
		if ((rc = db_next(res)) == 1) {
			free(last);
			last = xstrdup(db_str(res, 0));
			if (k < SEARCH_EXACT_MAX)
				sr->exact[i][k] = xstrdup(last);
		}
		db_free(res);
		if (rc == -1)
			goto err;
		if (rc == 0)
			break;
	}
	free(last);
	return k;
err:
	free(last);
	return -1;
}

/*
 * The exact words of the workspace each probed word stands for (at most
 * SEARCH_EXACT_MAX, else LIKE), within SEARCH_PARAMS_MAX. 0; 1 when a
 * word stands for none (nothing can match); -1 on a database error.
 */
static int
search_expand(const struct actor *a, struct search *sr)
{
	int i, k, most;

	for (i = 0; i < sr->n; i++) {
		if (sr->plan == PLAN_SET && i == sr->driver)
			continue;	/* read by its range, not probed */
		if ((k = word_skip_scan(a, sr, i)) == -1)
			return -1;
		sr->nexact[i] = k > SEARCH_EXACT_MAX ? SEARCH_EXACT_MAX : k;
		if (k == 0)
			return 1;
		if (k > SEARCH_EXACT_MAX)
			unexpand(sr, i);
	}
	while (search_params(sr) > SEARCH_PARAMS_MAX) {
		for (i = 0, most = -1; i < sr->n; i++)
			if (sr->nexact[i] && (most == -1 ||
			    sr->nexact[i] > sr->nexact[most]))
				most = i;
		if (most == -1)
			break;
		unexpand(sr, most);
	}
	return 0;
}

/* The LIKE patterns of terms ("+one* +two*": word characters only). */
static void
search_patterns(struct search *sr)
{
	const char *t = sr->terms;
	struct buf b;
	size_t m;

	while (*t && sr->n < SEARCH_MAX_WORDS) {
		t += strspn(t, "+ ");
		if ((m = strcspn(t, "* ")) == 0)
			break;
		b = (struct buf)BUF_INIT;
		for (; m > 0; m--, t++) {
			if (*t == '_')
				buf_putc(&b, '!');
			buf_putc(&b, *t);
		}
		buf_putc(&b, '%');
		sr->like[sr->n++] = buf_detach(&b);
		t += strspn(t, "*");
	}
}

static int	count_by_index(struct buf *, struct dbargs *,
		    const struct actor *, const struct queue_filter *,
		    const struct search *, long long, int);

/* How search_plan plans (search_prepare's callers). */
enum prep {
	PREP_PLAN,	/* by the words' capped counts, probes as patterns */
	PREP_EXPAND,	/* the same, the probes' exact words found */
	/* no counts when every word expands to exact words: the walk's
	 * shape, read by week (recent_page) or counted by the word index
	 * (count_by_index), which need no plan */
	PREP_BY_WEEK
};

/*
 * The plan for the search's terms: FULLTEXT, the set driven by the word
 * with the fewest entries, or the walk, and the probes' exact words. 0;
 * 1 when a word is in no document (nothing matches); -1 on a database
 * error. PREP_PLAN leaves the probes patterns (a count by the word
 * index probes nothing).
 */
static int
search_plan(const struct actor *a, struct search *sr, enum prep how)
{
	long long n, least = -1, cap = cfg.search_set_max;
	int i, rc, ready = searchidx_ready();

	sr->plan = PLAN_FULLTEXT;
	if (ready == -1)
		return -1;
	if (ready == 0)
		return 0;
	search_patterns(sr);
	if (how == PREP_BY_WEEK) {
		/* Each capped count reads up to cap + 1 entries (about
		 * 0.7 ms at 2000); the week's read needs none. */
		sr->plan = PLAN_WALK;
		if ((rc = search_expand(a, sr)) != 0)
			return rc;
		for (i = 0; i < sr->n && sr->nexact[i] > 0; i++)
			;
		if (i == sr->n) {
			sr->by_week = 1;
			return 0;
		}
		/* A word read by LIKE has no week to read by: the plan by
		 * counts, as ever. */
		for (i = 0; i < sr->n; i++)
			unexpand(sr, i);
		how = PREP_EXPAND;
	}
	for (i = 0; i < sr->n; i++) {
		/* At most cap + 1 entries of the word index. */
		n = db_scalar("SELECT COUNT(*) FROM (SELECT 1 FROM search_words"
		    " WHERE workspace_id = ? AND word LIKE ? ESCAPE '!'"
		    " LIMIT ?) c", "isi", a->ws_id, sr->like[i], cap + 1);
		if (n == -1)
			return -1;
		if (least == -1 || n < least) {
			least = n;
			sr->driver = i;
		}
		/* One rare word of several drives the set (below): the
		 * others' capped counts, each as dear as its cap, are not
		 * needed. */
		if (sr->n > 1 && n <= cap)
			break;
	}
	if (least == 0)
		return 1;	/* a word no document has */
	sr->plan = least <= cap ? PLAN_SET : PLAN_WALK;
	/* More words, one of them rare: the rare word's documents, each
	 * probed for the others by their exact words (search_expand).
	 * FULLTEXT was faster at 100k on ROW_FORMAT=COMPRESSED (7-10 ms
	 * against 90-150 ms for "zeppelin printer"), but it reads every
	 * word's whole list: "printer" is in 250,000 documents at a
	 * million tickets, and the index's pages are no longer compressed
	 * in the buffer pool (PAGE_COMPRESSED). */
	if (how == PREP_PLAN || (sr->plan == PLAN_SET && sr->n == 1))
		return 0;	/* nothing to probe */
	return search_expand(a, sr);
}

/* Word i in the same document as alias "a"'s entry: one EXISTS by
 * pattern, or one for each of its exact words. */
static void
add_probe(struct buf *sql, struct dbargs *args, const struct search *sr,
    int i)
{
	int k;

	if (sr->nexact[i] == 0) {
		buf_puts(sql, " AND EXISTS (SELECT 1 FROM search_words b"
		    " WHERE b.ticket_id = a.ticket_id AND b.doc_id = a.doc_id"
		    " AND b.word LIKE ? ESCAPE '!')");
		dbargs_str(args, sr->like[i]);
		return;
	}
	for (k = 0; k < sr->nexact[i]; k++) {
		buf_puts(sql, k ? " OR" : " AND (");
		buf_puts(sql, " EXISTS (SELECT 1 FROM search_words b WHERE"
		    " b.ticket_id = a.ticket_id AND b.word = ? AND"
		    " b.doc_id = a.doc_id)");
		dbargs_str(args, sr->exact[i][k]);
	}
	buf_putc(sql, ')');
}

/* The other words of the search (all but skip) in the same document. */
static void
add_same_doc(struct buf *sql, struct dbargs *args, const struct search *sr,
    int skip)
{
	int i;

	for (i = 0; i < sr->n; i++)
		if (i != skip)
			add_probe(sql, args, sr, i);
}

/*
 * A walk's words read by recency (recent_page): the driving word's
 * entries filed from week sr->lo on (each of its exact words a range of
 * the word key), the others probed in the same document; only tickets
 * updated since that week's first day, so that an entry filed newer than
 * its ticket (sql/029) is never taken for a recent one.
 */
static void
add_search_recent(struct buf *sql, struct dbargs *args,
    const struct actor *a, const struct search *sr)
{
	int k, d = sr->driver;

	buf_puts(sql, " JOIN (SELECT DISTINCT a.ticket_id AS tid FROM"
	    " search_words a WHERE a.workspace_id = ? AND a.word IN (");
	dbargs_int(args, a->ws_id);
	for (k = 0; k < sr->nexact[d]; k++) {
		buf_puts(sql, k ? ", ?" : "?");
		dbargs_str(args, sr->exact[d][k]);
	}
	buf_puts(sql, ") AND a.bucket >= ? AND");
	buf_puts(sql, authz_entry_visible(a));
	dbargs_int(args, sr->lo);
	add_same_doc(sql, args, sr, d);
	buf_puts(sql, ") m ON m.tid = t.id AND t.updated_at >= FROM_DAYS(?)");
	dbargs_int(args, sr->lo * SEARCH_BUCKET_DAYS);
}

/* The tickets the search finds, as a join on t (FULLTEXT and the set). */
static void
add_search(struct buf *sql, struct dbargs *args, const struct actor *a,
    const struct search *sr)
{
	if (sr->plan == PLAN_SET) {
		/* A note's words are its own document's: internal is
		 * checked on the driving word's entry alone. */
		buf_puts(sql, " JOIN (SELECT DISTINCT a.ticket_id AS tid FROM"
		    " search_words a WHERE a.workspace_id = ? AND a.word LIKE"
		    " ? ESCAPE '!' AND");
		buf_puts(sql, authz_entry_visible(a));
		dbargs_int(args, a->ws_id);
		dbargs_str(args, sr->like[sr->driver]);
		add_same_doc(sql, args, sr, sr->driver);
		buf_puts(sql, ") m ON m.tid = t.id");
		return;
	}
	if (sr->recent) {
		add_search_recent(sql, args, a, sr);
		return;
	}
	if (sr->plan != PLAN_FULLTEXT)
		return;
	buf_puts(sql, " JOIN (SELECT id AS tid FROM tickets WHERE"
	    " workspace_id = ? AND MATCH (subject, body) AGAINST (? IN"
	    " BOOLEAN MODE) UNION SELECT c.ticket_id FROM comments c WHERE"
	    " c.workspace_id = ? AND" AUTHZ_COMMENT_VISIBLE("c") "AND"
	    " MATCH (c.body) AGAINST (? IN BOOLEAN MODE)) m ON m.tid = t.id");
	dbargs_int(args, a->ws_id);
	dbargs_str(args, sr->terms);
	dbargs_int(args, a->ws_id);
	dbargs_int(args, AUTHZ_NOTE_ARG(a));
	dbargs_str(args, sr->terms);
}

/* The walk's condition on each ticket t: one of its documents the caller
 * sees holds every word; the first word by pattern, or one EXISTS for
 * each of its exact words. */
static void
add_search_walk(struct buf *sql, struct dbargs *args, const struct actor *a,
    const struct search *sr)
{
	int k = 0;

	buf_puts(sql, " AND (");
	do {
		if (k > 0)
			buf_puts(sql, " OR");
		if (sr->nexact[0]) {
			buf_puts(sql, " EXISTS (SELECT 1 FROM search_words a"
			    " WHERE a.ticket_id = t.id AND a.word = ? AND");
			dbargs_str(args, sr->exact[0][k]);
		} else {
			buf_puts(sql, " EXISTS (SELECT 1 FROM search_words a"
			    " WHERE a.ticket_id = t.id AND a.word LIKE ?"
			    " ESCAPE '!' AND");
			dbargs_str(args, sr->like[0]);
		}
		buf_puts(sql, authz_entry_visible(a));
		add_same_doc(sql, args, sr, 0);
		buf_putc(sql, ')');
	} while (++k < sr->nexact[0]);
	buf_putc(sql, ')');
}

static void
add_filters(struct buf *sql, struct dbargs *args,
    const struct queue_filter *f)
{
	if (f->status) {
		buf_puts(sql, " AND t.status = ?");
		dbargs_int(args, f->status);
	}
	if (f->priority) {
		buf_puts(sql, " AND t.priority = ?");
		dbargs_int(args, f->priority);
	}
	if (f->assignee == -1)
		buf_puts(sql, " AND t.assignee_id IS NULL");
	else if (f->assignee > 0) {
		buf_puts(sql, " AND t.assignee_id = ?");
		dbargs_int(args, f->assignee);
	}
	if (f->requester > 0) {
		buf_puts(sql, " AND t.requester_id = ?");
		dbargs_int(args, f->requester);
	}
}

/*
 * Which filters and sorts apply: only those on what the caller sees
 * (authz.h). For a requester, priority, assignee, requester and tag are
 * ignored, and the priority sort is the default one, so those give the
 * very page they would get without them.
 */
void
queue_filter_scope(const struct actor *a, struct queue_filter *f)
{
	if (actor_can(a, P_TICKET_VIEW_ALL))
		return;
	f->priority = 0;
	f->assignee = 0;
	f->requester = 0;
	f->tag = NULL;
	if (sort_of(f->sort) == SORT_PRIORITY)
		f->sort = NULL;
}

/* Appends the constant SQL s with every "@" in it replaced by col, a
 * column name from authz_ticket_updated (our SQL has no other "@"). */
static void
put_col(struct buf *sql, const char *s, const char *col)
{
	for (; *s; s++) {
		if (*s == '@')
			buf_puts(sql, col);
		else
			buf_putc(sql, *s);
	}
}

/*
 * The keyset condition for the rows after the cursor (rev 0: later in
 * the sort, that is older or lower) or before it (rev 1), as constant SQL
 * with "@" for the "updated" column the caller sees
 * (authz_ticket_updated) and "<"/">" swapped in reverse. The leading
 * "<=" is what lets MariaDB start an index range at the cursor rather
 * than filter every row before it; for the priority sort, two ranges of
 * the priority index: the rest of this priority from the cursor on, and
 * every lower (or higher) priority.
 */
static const char *const keyset_sql[][2] = {
	[SORT_CREATED] = { " AND t.id < ?", " AND t.id > ?" },
	[SORT_UPDATED] = {
		" AND @ <= FROM_UNIXTIME(?) AND"
		" (@ < FROM_UNIXTIME(?) OR t.id < ?)",
		" AND @ >= FROM_UNIXTIME(?) AND"
		" (@ > FROM_UNIXTIME(?) OR t.id > ?)" },
	[SORT_PRIORITY] = {
		" AND (t.priority < ? OR (t.priority = ? AND"
		" @ <= FROM_UNIXTIME(?) AND (@ < FROM_UNIXTIME(?) OR"
		" t.id < ?)))",
		" AND (t.priority > ? OR (t.priority = ? AND"
		" @ >= FROM_UNIXTIME(?) AND (@ > FROM_UNIXTIME(?) OR"
		" t.id > ?)))" },
};

/* Returns -1 for a cursor that does not fit the sort. */
static int
add_keyset(struct buf *sql, struct dbargs *args, enum sort s,
    const char *cursor, int rev, const char *upd)
{
	/* Which of the cursor's numbers each "?" binds, in order. */
	static const int binds[][5] = {
		[SORT_CREATED] = { 0, -1 },
		[SORT_UPDATED] = { 0, 0, 1, -1 },
		[SORT_PRIORITY] = { 0, 0, 1, 1, 2 },
	};
	static const int parts[] = {
		[SORT_CREATED] = 1, [SORT_UPDATED] = 2, [SORT_PRIORITY] = 3,
	};
	long long v[3];
	size_t i;

	if (cursor == NULL || *cursor == '\0')
		return 0;
	if (cursor_parse(cursor, v) != parts[s])
		return -1;
	put_col(sql, keyset_sql[s][rev], upd);
	for (i = 0; i < nitems(binds[s]) && binds[s][i] != -1; i++)
		dbargs_int(args, v[binds[s][i]]);
	return 0;
}

/* "@" stands for the "updated" column the caller sees; the second is
 * the reverse order, to read the page before a cursor. */
static const char *const order_by[][2] = {
	[SORT_UPDATED] = { " ORDER BY @ DESC, t.id DESC",
	    " ORDER BY @, t.id" },
	[SORT_CREATED] = { " ORDER BY t.id DESC", " ORDER BY t.id" },
	[SORT_PRIORITY] = { " ORDER BY t.priority DESC, @ DESC, t.id DESC",
	    " ORDER BY t.priority, @, t.id" },
};

static char *
cursor_of(struct dbres *res, enum sort s)
{
	char c[80];

	/* Columns 7, 8, 9: UNIX_TIMESTAMP(the caller's "updated"), id,
	 * priority. */
	if (s == SORT_CREATED)
		snprintf(c, sizeof(c), "%lld", db_int(res, 8));
	else if (s == SORT_UPDATED)
		snprintf(c, sizeof(c), "%lld.%lld", db_int(res, 7),
		    db_int(res, 8));
	else
		snprintf(c, sizeof(c), "%lld.%lld.%lld", db_int(res, 9),
		    db_int(res, 7), db_int(res, 8));
	return xstrdup(c);
}

/* The snippet of a row's text, read in two columns (SNIPPET_SQL). */
static struct json_object *
snippet_of(struct dbres *res, const char *q)
{
	struct json_object *o;
	struct buf text = BUF_INIT;

	buf_puts(&text, db_str(res, 11) ? db_str(res, 11) : "");
	buf_puts(&text, db_str(res, 12) ? db_str(res, 12) : "");
	o = search_snippet(buf_str(&text), q);
	buf_free(&text);
	return o;
}

/* A row of the page; priority and assignee only for those who see them
 * (authz.h); the subject in segments when searching words (q). */
static struct json_object *
row_json(struct dbres *res, int details, const char *q)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "number",
	    json_object_new_int64(db_int(res, 0)));
	json_object_object_add(o, "subject",
	    json_object_new_string(db_str(res, 1)));
	if (q != NULL) {
		json_object_object_add(o, "subject_parts",
		    search_highlight(db_str(res, 1), q));
		json_object_object_add(o, "snippet",
		    snippet_of(res, q));
	}
	json_object_object_add(o, "status",
	    json_object_new_string(status_name((int)db_int(res, 2))));
	json_object_object_add(o, "updated",
	    json_object_new_string(db_str(res, 4)));
	json_object_object_add(o, "requester",
	    json_object_new_string(db_str(res, 5)));
	if (!details)
		return o;
	json_object_object_add(o, "priority",
	    json_object_new_string(priority_name((int)db_int(res, 3))));
	if (db_str(res, 6))
		json_object_object_add(o, "assignee",
		    json_object_new_string(db_str(res, 6)));
	return o;
}

/*
 * The search of f, if it searches words: its terms and plan in *sr
 * (search_free frees them; how as search_plan's). 0; 1 when the
 * search has no word left to find (nothing matches); -1 on a database
 * error.
 */
static int
search_prepare(const struct actor *a, const struct queue_filter *f,
    struct search *sr, enum prep how)
{
	int dropped;

	memset(sr, 0, sizeof(*sr));
	if (!f->q || !*f->q || number_query(f->q) != 0)
		return 0;
	sr->terms = search_terms(f->q, &dropped);
	if (*sr->terms == '\0')
		return 1;
	return search_plan(a, sr, how);
}

/*
 * The tickets the filters and the search sr (search_prepare) select, as
 * "FROM tickets t ... WHERE ..." (without cursor or order), read through
 * index when not NULL (page_index).
 */
static void
add_selection(struct buf *sql, struct dbargs *args, const struct actor *a,
    const struct queue_filter *f, const char *index, const struct search *sr)
{
	long long num = 0;

	buf_puts(sql, " FROM tickets t");
	if (index) {
		buf_puts(sql, " FORCE INDEX (");
		buf_puts(sql, index);
		buf_putc(sql, ')');
	}
	if (f->tag && *f->tag) {
		buf_puts(sql, " JOIN ticket_tags tg ON tg.ticket_id = t.id"
		    " AND tg.tag = ?");
		dbargs_str(args, f->tag);
	}
	if (f->q && *f->q)
		num = number_query(f->q);
	if (sr->terms)
		add_search(sql, args, a, sr);
	/* Agents see every ticket; anyone else only their own (authz.h). */
	if (!actor_can(a, P_TICKET_VIEW_ALL)) {
		buf_puts(sql, AUTHZ_TICKET_MINE_JOIN("t"));
		dbargs_int(args, a->ws_id);
		dbargs_int(args, a->user_id);
		dbargs_int(args, a->user_id);
	}
	buf_puts(sql, " WHERE t.workspace_id = ?");
	dbargs_int(args, a->ws_id);
	if (num) {
		buf_puts(sql, " AND t.number = ?");
		dbargs_int(args, num);
	}
	add_filters(sql, args, f);
	if (sr->terms && sr->plan == PLAN_WALK && !sr->recent)
		add_search_walk(sql, args, a, sr);
}

/*
 * The index that reads an agent's page in its order, from the cursor on,
 * for the sorts and filters one index serves: (workspace_id, [the one
 * equality filter,] [priority,] updated_at, id). NULL for anything else
 * (search, tags, two filters, the created sort, a requester's view).
 *
 * Why force it: InnoDB caps a range's estimate at half the table, so the
 * keyset range and every index on workspace_id alone all look alike
 * (47,145 rows of 94,291 at 100,000 tickets), and which one serves the
 * ORDER BY ... LIMIT is decided afresh on each execution. Measured at
 * 100,000 tickets, the page 10,000 rows deep: alone it read 26 index
 * entries every time, but with two or more connections running it, most
 * executions walked tickets_updated on workspace_id alone from the top
 * to the cursor (10,026 rows), 4 times the first page's MariaDB CPU
 * (bench/notes.md, "The deep queue page under load").
 */
static const char *
page_index(const struct actor *a, const struct queue_filter *f, enum sort s,
    int search)
{
	const char *one = NULL;
	int n = 0;

	if (search || !actor_can(a, P_TICKET_VIEW_ALL) || (f->tag && *f->tag))
		return NULL;
	if (f->status && ++n)
		one = "tickets_status";
	if (f->priority && ++n)
		one = "tickets_priority";
	if (f->assignee && ++n)
		one = "tickets_assignee";
	if (f->requester > 0 && ++n)
		one = "tickets_requester";
	if (s == SORT_UPDATED)
		return n == 0 ? "tickets_updated" : n == 1 ? one : NULL;
	/* (workspace_id, priority, updated_at, id): the priority sort,
	 * whole or of one priority. */
	if (s == SORT_PRIORITY && (n == 0 || (n == 1 && f->priority)))
		return "tickets_priority";
	return NULL;
}

/*
 * The page's query for the search sr (search_prepare; none when not
 * search): up to TICKETS_PAGE + 1 rows after f->after (or from the
 * start), or before f->before when rev. The page's ids come from tickets alone,
 * by index; only those rows are then joined to their people (with the
 * joins inside, MariaDB walked every row before the cursor). Before a
 * cursor, the inner query reads the nearest rows in reverse and the
 * outer one puts them back in the queue's order, the extra row first.
 *
 * A search's matches are all read and sorted whatever the page (the
 * full-text lookup has no order to stop early by), so they are counted
 * on the way, before the cursor applies: COUNT(*) OVER () in a derived
 * table named t again, with "upd" standing for the "updated" column, so
 * that the cursor and the order read the same. The last column is that
 * count, NULL when not searching, and after it the start of the
 * ticket's text for a snippet. Counting apart would run the full-text
 * lookup twice (measured: +50% a search). The walk over the search
 * index (search_plan) reads only as far as the page instead, in the
 * queue's own shape, and its count is ticket_queue_count's.
 *
 * NULL on a database error; an empty page for a stale or forged cursor
 * or a search without a word to find.
 */
static struct dbres *
page_query(const struct actor *a, const struct queue_filter *f, enum sort s,
    int rev, int search, const struct search *sr, int *empty)
{
	struct buf sql = BUF_INIT;
	struct dbargs *args = dbargs_new();
	struct dbres *res = NULL;
	const char *upd = authz_ticket_updated(a), *key = upd;
	int counted = search && sr->plan != PLAN_WALK;

	put_col(&sql, "SELECT t.number, t.subject, t.status, t.priority,"
	    " DATE_FORMAT(@, '%Y-%m-%d %H:%i:%s'), rq.name, asg.name,"
	    " UNIX_TIMESTAMP(@), t.id, t.priority, ", upd);
	if (counted) {
		put_col(&sql, "p.n, " SNIPPET_SQL " FROM"
		    " (SELECT t.id, t.n FROM (SELECT t.id,"
		    " t.priority, @ AS upd, COUNT(*) OVER () AS n", upd);
		key = "t.upd";
	} else if (search)
		buf_puts(&sql, "NULL, " SNIPPET_SQL " FROM"
		    " (SELECT t.id");
	else
		buf_puts(&sql, "NULL, NULL, NULL FROM (SELECT t.id");
	add_selection(&sql, args, a, f, page_index(a, f, s, search), sr);
	if (counted)
		buf_puts(&sql, ") t WHERE 1 = 1");
	if (add_keyset(&sql, args, s, rev ? f->before : f->after, rev,
	    key) == -1) {
		*empty = 1;
		goto out;
	}
	put_col(&sql, order_by[s][rev], key);
	buf_puts(&sql, " LIMIT ?) p JOIN tickets t ON t.id = p.id"
	    " JOIN users rq ON rq.id = t.requester_id"
	    " LEFT JOIN users asg ON asg.id = t.assignee_id");
	dbargs_int(args, TICKETS_PAGE + 1);
	put_col(&sql, order_by[s][0], upd);
	res = db_query_args(buf_str(&sql), args);
out:
	dbargs_free(args);
	buf_free(&sql);
	return res;
}

/*
 * Recency (sql/029, docs/decisions.md "Search index"): entries are filed
 * by the week of their ticket's last update, so a word's newest weeks
 * hold its newest matches. One statement reads the newest `reads` entries
 * of every exact word of every word (one backward range of the word key
 * each) as (word, week, entries). For a word, the weeks after the one
 * where one of its exact words' read stopped were read whole: every
 * match updated since the first day of the next week (its bound) has an
 * entry of that word from there on, and there are at most reads of them
 * an exact word. The driver is the word whose bound goes furthest back
 * (the rarest lately); sr->driver and sr->lo are set. 1; 0 when every
 * word's newest week alone holds more than reads of an exact word's
 * entries (the walk is short then); -1 on a database error.
 */
static int
recent_bound(const struct actor *a, struct search *sr, long long reads)
{
	struct buf sql = BUF_INIT;
	struct dbargs *args = dbargs_new();
	struct dbres *res;
	long long got[SEARCH_MAX_WORDS][SEARCH_EXACT_MAX] = { { 0 } };
	long long last[SEARCH_MAX_WORDS][SEARCH_EXACT_MAX] = { { 0 } };
	long long lo[SEARCH_MAX_WORDS] = { 0 }, have[SEARCH_MAX_WORDS] = { 0 };
	long long (*rows)[3];
	size_t nrows, r = 0, j;
	int i, k, best = -1, parts = 0, rc;

	/* Words read by LIKE have no range to read newest first; three
	 * placeholders an exact word, within db.c's 48. */
	for (i = 0, k = 0; i < sr->n; i++)
		k += sr->nexact[i];
	if (k == 0 || k * 3 > SEARCH_PARAMS_MAX + 15) {
		dbargs_free(args);
		return 0;
	}
	buf_puts(&sql, "SELECT x.i, x.k, x.b, COUNT(*) FROM (");
	for (i = 0; i < sr->n; i++)
		for (k = 0; k < sr->nexact[i]; k++) {
			buf_printf(&sql, "%s(SELECT %d AS i, %d AS k, bucket"
			    " AS b FROM search_words WHERE workspace_id = ?"
			    " AND word = ? ORDER BY bucket DESC LIMIT ?)",
			    parts++ ? " UNION ALL " : "", i, k);
			dbargs_int(args, a->ws_id);
			dbargs_str(args, sr->exact[i][k]);
			dbargs_int(args, reads);
		}
	buf_puts(&sql, ") x GROUP BY x.i, x.k, x.b ORDER BY x.b DESC");
	res = db_query_args(buf_str(&sql), args);
	dbargs_free(args);
	buf_free(&sql);
	if (res == NULL)
		return -1;
	nrows = (size_t)db_nrows(res);
	rows = xcalloc(nrows + 1, sizeof(*rows));
	/* Newest week first: an exact word's last row is its oldest week. */
	while ((rc = db_next(res)) == 1 && r < nrows) {
		i = (int)db_int(res, 0);
		k = (int)db_int(res, 1);
		if (i < 0 || i >= sr->n || k < 0 || k >= sr->nexact[i])
			continue;
		rows[r][0] = i;
		rows[r][1] = db_int(res, 2);
		rows[r][2] = db_int(res, 3);
		got[i][k] += rows[r][2];
		last[i][k] = rows[r++][1];
	}
	db_free(res);
	/* An exact word read to its limit may have more in its oldest
	 * week: only the weeks after it were read whole. */
	for (i = 0; rc != -1 && i < sr->n; i++)
		for (k = 0; k < sr->nexact[i]; k++)
			if (got[i][k] >= reads && last[i][k] + 1 > lo[i])
				lo[i] = last[i][k] + 1;
	for (j = 0; j < r; j++)
		if (rows[j][1] >= lo[rows[j][0]])
			have[rows[j][0]] += rows[j][2];
	free(rows);
	if (rc == -1)
		return -1;
	for (i = 0; i < sr->n; i++)
		if (sr->nexact[i] > 0 && have[i] > 0 && (best == -1 ||
		    lo[i] < lo[best]))
			best = i;
	if (best == -1)
		return 0;
	sr->driver = best;
	sr->lo = lo[best];
	return 1;
}

/* Entries read for a week bound, in turn (recent_page): a word in 0.5% of
 * a million tickets over three years has about 32 a week. */
static const long long recent_reads[] = { 128, 1024 };

/*
 * An agent's pages of a search (search_plan, PREP_BY_WEEK), in the
 * queue's default order and without filters, read by recency: the
 * newest weeks of the driving word's entries (recent_bound), the others
 * probed, joined to the tickets and sorted, instead of the queue walked
 * newest first with a probe a ticket (26 / (share of tickets matching)
 * of them: 5,000 for a word in 0.5%). Taken when those weeks hold a
 * whole page, or hold every entry of the driver (then read as the set,
 * counted with the page); otherwise more weeks. 1 with *res (or
 * *empty); 0 when every word's newest week alone held more entries than
 * were read (every word is dense lately: the walk is short); 2 when the
 * weeks read held fewer matches than a page (the words seldom meet: the
 * caller plans by counts); -1 on a database error.
 */
static int
recent_page(const struct actor *a, const struct queue_filter *f,
    struct search *sr, struct dbres **res, int *empty)
{
	size_t i;
	int rc, shortpage = 0;

	for (i = 0; i < sizeof(recent_reads) / sizeof(*recent_reads); i++) {
		if ((rc = recent_bound(a, sr, recent_reads[i])) == -1)
			return -1;
		if (rc == 0)
			continue;	/* the newest week alone is more */
		shortpage = 1;
		/* Every entry of the driver read: it is rare, and the
		 * set (counted with the page) is that read. */
		if (sr->lo == 0)
			sr->plan = PLAN_SET;
		else
			sr->recent = 1;
		*res = page_query(a, f, SORT_UPDATED, 0, 1, sr, empty);
		sr->recent = 0;
		if (*res == NULL)
			return *empty ? 1 : -1;
		if (db_nrows(*res) > TICKETS_PAGE || sr->plan == PLAN_SET)
			return 1;
		db_free(*res);
		*res = NULL;
	}
	return shortpage ? 2 : 0;
}

/* Whether an agent's search without filters: every match is a ticket
 * whose entry the word index holds (recent_page, count_by_index). */
static int
unfiltered_agent(const struct actor *a, const struct queue_filter *f)
{
	return actor_can(a, P_TICKET_VIEW_ALL) && !f->status &&
	    !f->priority && !f->assignee && f->requester <= 0 &&
	    !(f->tag && *f->tag);
}

/*
 * Reads up to TICKETS_PAGE + 1 rows after f->after (or from the start),
 * or before f->before when rev (page_query), for a search by recency
 * when it can (recent_page). NULL on a database error; an empty page
 * for a stale or forged cursor or a search without a word to find.
 */
/*
 * Entries of the driving word a count of more words reads at most
 * (count_by_week): each is probed for the others, and two words that
 * seldom meet would otherwise be counted by reading all of the driver's
 * (6,500 entries, 30 ms, for "zeppelin printer" at the bench's million
 * tickets).
 */
#define COUNT_ENTRIES_MAX	2000

/* A round number below n (n >= 1), for "More than ...": 213 gives 200,
 * 26 gives 20, 1000 gives 900. */
static long long
round_below(long long n)
{
	long long p = 1;

	while (p * 10 <= n - 1)
		p *= 10;
	return (n - 1) / p * p;
}

/*
 * The count of a page read by week (recent_page) or walked for dense
 * words, by the word index with the plan the page used: at most max, *more when past
 * it. One word: its distinct tickets (count_by_index). More words: the
 * first COUNT_ENTRIES_MAX entries of the driver, probed; when that is not
 * all of them and fewer than max match, what is known is "more than" a
 * round number below the matches seen or the page's rows read (shown).
 * 0, or -1 on a database error.
 */
static int
count_by_week(const struct actor *a, const struct queue_filter *f,
    const struct search *sr, long long shown, long long max,
    long long *found, int *more)
{
	struct buf sql = BUF_INIT;
	struct dbargs *args = dbargs_new();
	struct dbres *res = NULL;
	long long seen = -1;
	int rc = -1;

	if (sr->n == 1) {
		if (!count_by_index(&sql, args, a, f, sr, max, 1))
			goto out;
	} else {
		/* Agents read notes: every document counts. */
		buf_puts(&sql, "SELECT COUNT(DISTINCT CASE WHEN TRUE");
		add_same_doc(&sql, args, sr, sr->driver);
		buf_puts(&sql, " THEN a.ticket_id END), COUNT(*) FROM (SELECT"
		    " ticket_id, doc_id FROM search_words WHERE workspace_id"
		    " = ? AND word LIKE ? ESCAPE '!' LIMIT ?) a");
		dbargs_int(args, a->ws_id);
		dbargs_str(args, sr->like[sr->driver]);
		dbargs_int(args, COUNT_ENTRIES_MAX);
	}
	if ((res = db_query_args(buf_str(&sql), args)) == NULL ||
	    db_next(res) != 1)
		goto out;
	*found = db_int(res, 0);
	if (sr->n > 1)
		seen = db_int(res, 1);
	if ((*more = *found > max))
		*found = max;
	else if (seen == COUNT_ENTRIES_MAX && (*found > 0 || shown > 0)) {
		*more = 1;
		*found = round_below(*found > shown ? *found : shown);
	}
	rc = 0;
out:
	db_free(res);
	dbargs_free(args);
	buf_free(&sql);
	return rc;
}

static struct dbres *
page_rows(const struct actor *a, const struct queue_filter *f, enum sort s,
    int rev, int search, long long max, long long *found, int *more,
    int *empty)
{
	struct dbres *res = NULL;
	struct search sr;
	int by_week;

	*empty = 0;
	/* An agent's search in the default order, after a cursor or none:
	 * by week (recent_page). */
	by_week = search && s == SORT_UPDATED && !rev &&
	    unfiltered_agent(a, f);
	switch (search_prepare(a, f, &sr, by_week ? PREP_BY_WEEK :
	    PREP_EXPAND)) {
	case -1:
		goto out;
	case 1:
		*empty = 1;
		goto out;
	}
	if (sr.by_week) {
		switch (recent_page(a, f, &sr, &res, empty)) {
		case -1:
			goto out;
		case 0:
			/* Dense words: the walk, as expanded. */
			res = page_query(a, f, s, rev, search, &sr, empty);
			/* FALLTHROUGH */
		case 1:
			/* Counted here with the plan in hand, rather than
			 * planned again by ticket_queue_count; the set
			 * counts itself (COUNT(*) OVER ()). */
			if (res && sr.plan != PLAN_SET && count_by_week(a, f,
			    &sr, (long long)db_nrows(res), max, found,
			    more) == -1) {
				db_free(res);
				res = NULL;
			}
			goto out;
		}
		/* The newest weeks held too few matches: the plan by the
		 * words' counts (a set when one has at most
		 * search_set_max). */
		search_free(&sr);
		switch (search_prepare(a, f, &sr, PREP_EXPAND)) {
		case -1:
			goto out;
		case 1:
			*empty = 1;
			goto out;
		}
	}
	res = page_query(a, f, s, rev, search, &sr, empty);
out:
	search_free(&sr);
	return res;
}

struct json_object *
ticket_queue(const struct actor *a, const struct queue_filter *given,
    char **next, char **prev, long long max, long long *found, int *more)
{
	struct queue_filter scoped = *given, *f = &scoped;
	struct dbres *res;
	struct json_object *rows;
	char *cur[TICKETS_PAGE + 1];
	const char *q;
	enum sort s;
	int n = 0, i, first, rev, empty, rc = 0;

	*next = *prev = NULL;
	*found = -1;
	*more = 0;
	queue_filter_scope(a, f);
	s = sort_of(f->sort);
	if (f->after && *f->after)
		f->before = NULL;
	rev = f->before && *f->before;
	q = f->q && *f->q && number_query(f->q) == 0 ? f->q : NULL;
	if ((res = page_rows(a, f, s, rev, q != NULL, max, found, more,
	    &empty)) == NULL && !empty)
		return NULL;
	rows = json_object_new_array();
	while (res && n <= TICKETS_PAGE && (rc = db_next(res)) == 1) {
		json_object_array_add(rows, row_json(res,
		    actor_can(a, P_TICKET_VIEW_ALL), q));
		cur[n++] = cursor_of(res, s);
		if (q && db_str(res, 10))
			*found = db_int(res, 10);
	}
	db_free(res);
	if (res && rc == -1) {
		json_object_put(rows);
		rows = NULL;
		goto out;
	}
	if (rev && n < TICKETS_PAGE) {
		/* Fewer than a page before the cursor: the first page. */
		json_object_put(rows);
		for (i = 0; i < n; i++)
			free(cur[i]);
		f->before = NULL;
		return ticket_queue(a, f, next, prev, max, found, more);
	}
	/* Before a cursor, an extra row is the previous page's last (and
	 * comes first); otherwise the next page's first (and comes last). */
	first = rev && n == TICKETS_PAGE + 1;
	if (first)
		json_object_array_del_idx(rows, 0, 1);
	else if (n == TICKETS_PAGE + 1)
		json_object_array_del_idx(rows, TICKETS_PAGE, 1);
	if (n > 0 && (first || (!rev && f->after && *f->after)))
		*prev = xstrdup(cur[first]);
	if (n > 0 && (rev || n == TICKETS_PAGE + 1))
		*next = xstrdup(cur[first + (n > TICKETS_PAGE ?
		    TICKETS_PAGE : n) - 1]);
out:
	for (i = 0; i < n; i++)
		free(cur[i]);
	return rows;
}

/*
 * The count of a walk (search_plan) over an agent's whole queue, as
 * "SELECT ..." binding max: the driving word's distinct tickets in the
 * word index, each probed for the other words in its document (sr
 * expanded when there are others), at most max + 1; its cost follows how
 * common the driving word is (about max + 1 entries for one word),
 * where a walk as far as max + 1 matches reads the whole workspace when
 * the words seldom meet (60 s for "zeppelin printer" at the bench's
 * million tickets). 0 when another count applies (filters, a
 * requester's view, more words not yet expanded).
 */
static int
count_by_index(struct buf *sql, struct dbargs *args, const struct actor *a,
    const struct queue_filter *f, const struct search *sr, long long max,
    int expanded)
{
	if (sr->plan == PLAN_FULLTEXT || (sr->n > 1 && !expanded) ||
	    !unfiltered_agent(a, f))
		return 0;
	/* Agents see notes: every document counts. */
	buf_puts(sql, "SELECT COUNT(*) FROM (SELECT DISTINCT a.ticket_id FROM"
	    " search_words a WHERE a.workspace_id = ? AND a.word LIKE ?"
	    " ESCAPE '!'");
	dbargs_int(args, a->ws_id);
	dbargs_str(args, sr->like[sr->driver]);
	add_same_doc(sql, args, sr, sr->driver);
	buf_puts(sql, " LIMIT ?) c");
	dbargs_int(args, max + 1);
	return 1;
}

int
ticket_queue_count(const struct actor *a, const struct queue_filter *given,
    long long max, long long *n, int *more)
{
	struct queue_filter scoped = *given, *f = &scoped;
	struct buf sql = BUF_INIT;
	struct dbargs *args = dbargs_new();
	struct dbres *res = NULL;
	struct search sr;
	int rc = 0, bounded = 0;

	*n = 0;
	*more = 0;
	memset(&sr, 0, sizeof(sr));
	queue_filter_scope(a, f);
	/* An agent's queue, whole or of one status: kept count, exact. */
	if (actor_can(a, P_TICKET_VIEW_ALL) && !(f->q && *f->q) &&
	    !(f->tag && *f->tag) && !f->priority && !f->assignee &&
	    !f->requester) {
		buf_puts(&sql, "SELECT COALESCE(SUM(n), 0) FROM ticket_counts"
		    " WHERE workspace_id = ?");
		dbargs_int(args, a->ws_id);
		if (f->status) {
			buf_puts(&sql, " AND status = ?");
			dbargs_int(args, f->status);
		}
	} else {
		/* An agent's search without filters is counted by the word
		 * index, which needs no plan; driven, for more words, by
		 * the rarest lately (recent_bound). Otherwise the plan's
		 * probes are expanded only when there are probes. */
		if (unfiltered_agent(a, f)) {
			if ((rc = search_prepare(a, f, &sr, PREP_BY_WEEK)) ==
			    0 && sr.by_week && sr.n > 1 &&
			    recent_bound(a, &sr, recent_reads[0]) == -1)
				rc = -1;
		} else if ((rc = search_prepare(a, f, &sr, PREP_PLAN)) == 0 &&
		    sr.terms && sr.plan != PLAN_FULLTEXT &&
		    !(sr.plan == PLAN_SET && sr.n == 1))
			rc = search_expand(a, &sr);
		if (rc != 0) {
			rc = rc == 1 ? 0 : -1;	/* nothing to find: 0 */
			goto out;
		}
		bounded = 1;
		if (!count_by_index(&sql, args, a, f, &sr, max, 1)) {
			buf_puts(&sql, "SELECT COUNT(*) FROM (SELECT t.id");
			add_selection(&sql, args, a, f, NULL, &sr);
			/* At most max + 1 rows, whatever matches. */
			buf_puts(&sql, " LIMIT ?) c");
			dbargs_int(args, max + 1);
		}
	}
	if ((res = db_query_args(buf_str(&sql), args)) == NULL ||
	    db_next(res) != 1)
		rc = -1;
	else if ((*n = db_int(res, 0)) > max && bounded) {
		*n = max;
		*more = 1;
	}
	db_free(res);
out:
	dbargs_free(args);
	buf_free(&sql);
	search_free(&sr);
	return rc;
}
