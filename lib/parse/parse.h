/*
 * parse: the parsers for outside input that carry no state of their own:
 * UTF-8 checks, application/x-www-form-urlencoded, Cookie headers,
 * multipart/form-data and User-Agent headers in words. Each takes a length and never reads past it;
 * each is a fuzz target (tests/fuzz/).
 */
#ifndef HD_PARSE_H
#define HD_PARSE_H

#include <stddef.h>

#include "kv.h"

/* Well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF). */
int	utf8_valid(const char *, size_t);
/* utf8_valid, and no NUL or C0/DEL control except tab, CR and LF. */
int	text_valid(const char *, size_t);

/*
 * Decodes name=value&... ('+' is a space, %XX escapes) and appends each
 * pair to out. Returns 0, or -1 on a malformed escape or more than
 * max_fields pairs (the caller answers 400).
 */
int	urlencoded_parse(const char *, size_t, struct kvlist *out,
	    size_t max_fields);

/*
 * Splits a Cookie header ("a=1; b=2") into pairs. Malformed pieces are
 * skipped, never fatal; quotes around a value are removed.
 */
void	cookie_parse(const char *, struct kvlist *out);

/*
 * A User-Agent header (n bytes, NUL not needed) in words for a person:
 * "Firefox on Windows", "Chrome on an Android phone", "Safari on an
 * iPhone", "curl", "Googlebot", "Unknown browser". The words come from
 * fixed tables only, never from the header, and are cut to fit out
 * (outsz bytes, always terminated; USERAGENT_WORDS is enough). Returns
 * out.
 */
#define USERAGENT_WORDS	64
const char *useragent_words(const char *ua, size_t n, char *out,
	    size_t outsz);

/*
 * A plain field's data is a NUL-terminated copy. A file's (a part with a
 * filename) is not copied: it points into the body given to the parser,
 * is not NUL-terminated, and lives as long as that body does.
 */
struct part {
	char		*name;
	char		*filename;	/* NULL for a plain field; raw, not
					   normalised */
	char		*content_type;	/* NULL when the part gave none */
	const char	*data;
	size_t		 len;
	int		 borrowed;	/* data is the body's: not freed */
};

struct partlist {
	struct part	*v;
	size_t		 n;
	size_t		 cap;
};

#define PARTLIST_INIT { NULL, 0, 0 }

/*
 * The boundary parameter of a multipart/form-data Content-Type, copied
 * into out (at most 70 characters, RFC 2046). Returns 0 or -1.
 */
int	multipart_boundary(const char *content_type, char *out, size_t outsz);

/*
 * Parses a whole multipart/form-data body. Returns 0, MULTIPART_LARGE
 * when the plain fields together pass max_text bytes (found while
 * searching for the end of the field that passes it, before it is
 * copied), or MULTIPART_BAD when the body is malformed or has more than
 * max_parts parts. Files in out point into body (struct part) and count
 * against no limit here.
 */
#define MULTIPART_BAD	(-1)
#define MULTIPART_LARGE	(-2)
int	multipart_parse(const char *body, size_t len, const char *boundary,
	    struct partlist *out, size_t max_parts, size_t max_text);

/*
 * multipart_parse, calling progress(arg, upto) whenever it has read about
 * MULTIPART_STEP more bytes of the body, up to upto. A caller whose body
 * is a mapped file may then let go of those pages, so a large upload is
 * never resident whole. That is only advice about memory: the parser may
 * look back at a part's headers once it has found where the part ends,
 * and the files point into the body.
 */
#define MULTIPART_STEP	(64 * 1024)
int	multipart_parse_paced(const char *body, size_t len,
	    const char *boundary, struct partlist *out, size_t max_parts,
	    size_t max_text, void (*progress)(void *arg, const char *upto),
	    void *arg);
/* Frees the parts and their copies; borrowed data stays the body's. */
void	partlist_free(struct partlist *);

#endif
