/*
 * form: a handler declares its form as a table of fields, each with a type
 * and bounds; form_check validates the POSTed values against it and says
 * what is wrong with each, in words for the person who typed them.
 * Handlers read only the fields they declared (no mass assignment).
 */
#ifndef HD_FORM_H
#define HD_FORM_H

#include <json-c/json.h>

#include "http.h"
#include "markdown.h"

enum ftype {
	F_TEXT,		/* one line, trimmed */
	F_LONGTEXT,	/* lines allowed, trimmed */
	F_MARKDOWN,	/* F_LONGTEXT within the Markdown limits (markdown.h) */
	F_EMAIL,	/* trimmed, lower-cased, one @, a dot in the domain */
	F_PASSWORD,	/* never trimmed, never echoed back */
	F_SLUG,		/* a-z 0-9 and -, lower-cased */
	F__MAX
};

struct field {
	const char	*name;
	const char	*label;		/* for messages: "Email" */
	enum ftype	 type;
	int		 required;
	size_t		 min, max;	/* in characters */
};

/*
 * Checks r's form against fields (ended by a { NULL } entry). Normalised
 * values are written back into r->form. Every field but passwords is
 * copied into values (so a refused form shows what was typed), and each
 * problem goes into errors keyed by field name. Returns the error count.
 */
int	form_check(struct req *, const struct field *,
	    struct json_object *values, struct json_object *errors);

/*
 * The HTML of Markdown src, rendered at most once per request: form_check
 * renders an F_MARKDOWN field to check it, and the model that stores the
 * text asks again for the same text. Returns MD_OK with *html (owned by
 * r, valid until the request ends), or the limit src passes.
 */
enum md_status	form_markdown(struct req *, const char *src,
	    const char **html);

/* Characters (code points) in a valid UTF-8 string. */
size_t	utf8_len(const char *);

#endif
