/*
 * form: a handler declares its form as a table of fields, each with a type
 * and bounds; form_check validates the POSTed values against it and says
 * what is wrong with each, in words for the person who typed them.
 * Handlers read only the fields they declared (no mass assignment), and
 * numbers, choices and ids only typed (form_int): a handler never parses
 * a form's string itself.
 *
 *	struct form f;
 *
 *	form_begin(&f);
 *	if (form_read(r, fields, &f) > 0)
 *		return form_page(r, 400, "tickets/new", page_ctx(r), &f,
 *		    "Please correct the marked fields.");
 *	... form_int(&f, "priority") ...
 *	form_end(&f);
 */
#ifndef HD_FORM_H
#define HD_FORM_H

#include <json-c/json.h>

#include "http.h"
#include "markdown.h"

/* What a field holds. Texts are bounded in characters by min and max. */
enum fbase {
	FB_TEXT,	/* one line, trimmed */
	FB_LONGTEXT,	/* lines allowed, trimmed */
	FB_MARKDOWN,	/* FB_LONGTEXT within the Markdown limits (markdown.h) */
	FB_EMAIL,	/* trimmed, lower-cased, one @, a dot in the domain */
	FB_PASSWORD,	/* never trimmed, never echoed back */
	FB_SLUG,	/* a-z 0-9 and -, lower-cased */
	FB_INT,		/* a decimal integer in [min, max] */
	FB_ENUM,	/* one of a list: parse gives its number, never 0 */
	FB_ID,		/* a positive id; empty or "none" is none (0) */
	FB__MAX
};

/* A field's kind: its base, and for a list its values and refusal. */
struct fkind {
	enum fbase	 base;
	int		(*parse)(const char *);	/* FB_ENUM: 0 for none */
	const char	*refused;	/* FB_ENUM, FB_ID: "Choose a status
					   from the list." */
};

extern const struct fkind form_kinds[FB__MAX];
#define F_TEXT		(&form_kinds[FB_TEXT])
#define F_LONGTEXT	(&form_kinds[FB_LONGTEXT])
#define F_MARKDOWN	(&form_kinds[FB_MARKDOWN])
#define F_EMAIL		(&form_kinds[FB_EMAIL])
#define F_PASSWORD	(&form_kinds[FB_PASSWORD])
#define F_SLUG		(&form_kinds[FB_SLUG])
#define F_INT		(&form_kinds[FB_INT])
#define F_ID		(&form_kinds[FB_ID])
/* A list's kind, declared once per list:
 *	static const struct fkind statuses =
 *	    F_ENUM(status_parse, "Choose a status from the list.");
 * and an id whose refusal names what to choose. */
#define F_ENUM(parse, refused)	{ FB_ENUM, (parse), (refused) }
#define F_ID_OF(refused)	{ FB_ID, NULL, (refused) }

struct field {
	const char	*name;
	const char	*label;		/* for messages: "Email"; NULL for a
					   hidden field, whose refusal says the
					   form was incomplete */
	const struct fkind *type;
	int		 required;
	size_t		 min, max;	/* characters (max 0: any); FB_INT:
					   the least and the most */
};

/* A form read for a handler: what was typed, what is wrong, and the typed
 * values of its F_INT, F_ENUM and F_ID fields. */
#define FORM_TYPED	16
struct form {
	struct json_object *values;	/* as typed, passwords never */
	struct json_object *errors;	/* field name -> message */
	int		 nerr;
	size_t		 ntyped;
	struct {
		const char	*name;
		long long	 v;
	}		 typed[FORM_TYPED];
};

/*
 * Checks r's form against fields (ended by a { NULL } entry). Normalised
 * values are written back into r->form. Every field but passwords is
 * copied into values (so a refused form shows what was typed), and each
 * problem goes into errors keyed by field name. Returns the error count.
 */
int	form_check(struct req *, const struct field *,
	    struct json_object *values, struct json_object *errors);

/* An empty form; form_end (or form_page) lets go of it. */
void	form_begin(struct form *);
void	form_end(struct form *);
/* form_check of fields into f (again for a second table): returns the
 * error count of f so far. */
int	form_read(struct req *, const struct field *, struct form *);
/* The typed value of an F_INT, F_ENUM or F_ID field that passed: a
 * number, a choice's number, an id (0 for none); 0 if there is none. */
long long form_int(const struct form *, const char *name);
/* Refuses field name with msg (a check only the model can make). */
void	form_refuse(struct form *, const char *name, const char *msg);
/* The first message of f's errors, or NULL. */
const char *form_first_error(const struct form *);

/*
 * The form's page again, with nothing typed lost: c (page_ctx, with what
 * else the page shows) gets f's values and errors and msg, and tmpl is
 * rendered with status (400 for the user's input; outcome_status of an
 * outcome). For 503 the message is db_unavailable_text() and the
 * transaction is rolled back. f is left empty.
 */
int	form_page(struct req *, int status, const char *tmpl,
	    struct json_object *c, struct form *f, const char *msg);

/*
 * The error summary of a page (partials/form-message.html): when c has a
 * non-empty "errors" object (field name -> message), c gets "error_list",
 * [{ field, message }] in the form's order, so the summary links each
 * message to its field (whose id is its name). page() calls it for every
 * page, so every form has it.
 */
void	form_summary(struct json_object *c);

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
