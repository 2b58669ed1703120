#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "form.h"
#include "i18n.h"
#include "util.h"

size_t
utf8_len(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

/* Trims ASCII white space in place, keeping vlen true. */
static void
trim_kv(struct kv *kv)
{
	char *s = kv->value, *e = kv->value + kv->vlen;

	while (s < e && isspace((unsigned char)*s))
		s++;
	while (e > s && isspace((unsigned char)e[-1]))
		e--;
	kv->vlen = (size_t)(e - s);
	memmove(kv->value, s, kv->vlen);
	kv->value[kv->vlen] = '\0';
}

static int
email_ok(const char *s)
{
	const char *at = strchr(s, '@');

	if (at == NULL || at == s || strchr(at + 1, '@') != NULL)
		return 0;
	if (strchr(at + 1, '.') == NULL || at[1] == '.' ||
	    s[strlen(s) - 1] == '.')
		return 0;
	for (; *s; s++)
		if ((unsigned char)*s <= ' ' || strchr("<>()[],;:\"\\", *s))
			return 0;
	return 1;
}

static int
slug_ok(const char *s)
{
	if (*s == '-' || (*s && s[strlen(s) - 1] == '-'))
		return 0;
	for (; *s; s++)
		if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s)
		    && *s != '-')
			return 0;
	return 1;
}

enum md_status
form_markdown(struct req *r, const char *src, const char **html)
{
	/* The form check and the model share one rendering: the model's
	 * actor carries the same cache (server.c). */
	return markdown_cached(&r->markdown, src, html);
}

#define INCOMPLETE	N_("The form was incomplete. Reload the page.")
#define ID_MAX		((long long)1 << 62)

/* The number of a typed field (F_INT, F_ENUM, F_ID) that is not empty, in
 * *num; NULL, or what is wrong. */
const struct fkind form_kinds[FB__MAX] = {
	[FB_TEXT] = { FB_TEXT, NULL, NULL },
	[FB_LONGTEXT] = { FB_LONGTEXT, NULL, NULL },
	[FB_MARKDOWN] = { FB_MARKDOWN, NULL, NULL },
	[FB_EMAIL] = { FB_EMAIL, NULL, NULL },
	[FB_PASSWORD] = { FB_PASSWORD, NULL, NULL },
	[FB_SLUG] = { FB_SLUG, NULL, NULL },
	[FB_INT] = { FB_INT, NULL, NULL },
	[FB_ENUM] = { FB_ENUM, NULL, NULL },	/* only through F_ENUM() */
	[FB_ID] = { FB_ID, NULL, NULL },
};

static const char *
check_typed(const struct field *f, const char *label, const char *v,
    long long *num, char *msg, size_t msgsz)
{
	switch (f->type->base) {
	case FB_INT:
		if (parse_int(v, (long long)f->min, (long long)f->max,
		    num) == 0)
			return NULL;
		snprintf(msg, msgsz, _("%s must be a whole number from %zu to "
		    "%zu."), label, f->min, f->max);
		return msg;
	case FB_ENUM:
		if (f->type->parse && (*num = f->type->parse(v)) != 0)
			return NULL;
		return _(f->type->refused);
	case FB_ID:
		if (strcmp(v, "none") == 0) {
			*num = 0;
			return NULL;
		}
		if (parse_int(v, 1, ID_MAX, num) == 0)
			return NULL;
		if (f->type->refused != NULL)
			return _(f->type->refused);
		snprintf(msg, msgsz, _("%s is not one of the list."), label);
		return msg;
	default:
		return NULL;
	}
}

static int
typed(const struct fkind *k)
{
	return k->base == FB_INT || k->base == FB_ENUM || k->base == FB_ID;
}

static const char *
check_one(struct req *r, struct kv *kv, const struct field *f,
    long long *num, char *msg, size_t msgsz)
{
	/* Labels are N_() in the field tables: shown translated. */
	const char *label = f->label ? _(f->label) : f->name;
	enum fbase k = f->type->base;
	enum md_status st;
	const char *html;
	size_t n;

	*num = 0;
	if (k != FB_PASSWORD)
		trim_kv(kv);
	if (k == FB_EMAIL || k == FB_SLUG)
		str_lower_ascii(kv->value);
	n = utf8_len(kv->value);
	if (n == 0) {
		if (!f->required)
			return NULL;
		/* A list's empty choice is a choice not made. */
		if (f->type->refused != NULL)
			return _(f->type->refused);
		snprintf(msg, msgsz, _("%s is required."), label);
		return msg;
	}
	if (typed(f->type))
		return check_typed(f, label, kv->value, num, msg, msgsz);
	if (k == FB_TEXT || k == FB_EMAIL || k == FB_SLUG)
		if (strpbrk(kv->value, "\r\n\t") != NULL) {
			snprintf(msg, msgsz, _("%s must be one line."), label);
			return msg;
		}
	if (n < f->min) {
		snprintf(msg, msgsz, _("%s must be at least %zu characters."),
		    label, f->min);
		return msg;
	}
	if (f->max && n > f->max) {
		snprintf(msg, msgsz, _("%s must be at most %zu characters."),
		    label, f->max);
		return msg;
	}
	if (k == FB_EMAIL && !email_ok(kv->value)) {
		snprintf(msg, msgsz, _("%s must be an email address like "
		    "name@example.com."), label);
		return msg;
	}
	if (k == FB_SLUG && !slug_ok(kv->value)) {
		snprintf(msg, msgsz, _("%s may use only a-z, 0-9 and inner "
		    "dashes."), label);
		return msg;
	}
	if (k == FB_MARKDOWN &&
	    (st = form_markdown(r, kv->value, &html)) != MD_OK) {
		snprintf(msg, msgsz, "%s %s", label, _(md_status_text(st)));
		return msg;
	}
	return NULL;
}

/* form_check, and the typed values into f when f is not NULL. */
static int
check_fields(struct req *r, const struct field *fields,
    struct json_object *values, struct json_object *errors, struct form *tf)
{
	const struct field *f;
	char msg[256];
	int nerr = 0;

	for (f = fields; f->name != NULL; f++) {
		struct kv *kv = (struct kv *)kv_find(&r->form, f->name);
		const char *err;
		long long num;

		if (kv == NULL) {
			/* Absent: treat as empty, so required says so. */
			kv_add(&r->form, f->name, strlen(f->name), "", 0);
			kv = &r->form.v[r->form.n - 1];
		}
		err = check_one(r, kv, f, &num, msg, sizeof(msg));
		/* Nobody typed a hidden field: the page was old or cut. */
		if (err && f->label == NULL)
			err = _(INCOMPLETE);
		if (values && f->type->base != FB_PASSWORD)
			json_object_object_add(values, f->name,
			    json_object_new_string(kv->value));
		if (err) {
			nerr++;
			if (errors)
				json_object_object_add(errors, f->name,
				    json_object_new_string(err));
		} else if (tf && typed(f->type)) {
			if (tf->ntyped == FORM_TYPED)
				die("form: more than %d typed fields",
				    FORM_TYPED);
			tf->typed[tf->ntyped].name = f->name;
			tf->typed[tf->ntyped++].v = num;
		}
	}
	return nerr;
}

int
form_check(struct req *r, const struct field *fields,
    struct json_object *values, struct json_object *errors)
{
	return check_fields(r, fields, values, errors, NULL);
}

void
form_begin(struct form *f)
{
	memset(f, 0, sizeof(*f));
	f->values = json_object_new_object();
	f->errors = json_object_new_object();
}

void
form_end(struct form *f)
{
	json_object_put(f->values);
	json_object_put(f->errors);
	memset(f, 0, sizeof(*f));
}

int
form_read(struct req *r, const struct field *fields, struct form *f)
{
	f->nerr += check_fields(r, fields, f->values, f->errors, f);
	return f->nerr;
}

long long
form_int(const struct form *f, const char *name)
{
	size_t i;

	for (i = 0; i < f->ntyped; i++)
		if (strcmp(f->typed[i].name, name) == 0)
			return f->typed[i].v;
	return 0;
}

void
form_refuse(struct form *f, const char *name, const char *msg)
{
	json_object_object_add(f->errors, name, json_object_new_string(msg));
	f->nerr++;
}

const char *
form_first_error(const struct form *f)
{
	struct json_object_iterator it, end;

	if (f->errors == NULL)
		return NULL;
	it = json_object_iter_begin(f->errors);
	end = json_object_iter_end(f->errors);
	return json_object_iter_equal(&it, &end) ? NULL :
	    json_object_get_string(json_object_iter_peek_value(&it));
}

int
form_page(struct req *r, int status, const char *tmpl,
    struct json_object *c, struct form *f, const char *msg)
{
	if (status == 503) {
		/* The text first: the rollback is a statement of its own. */
		msg = db_unavailable_text();
		db_rollback();
	}
	json_object_object_add(c, "values", f->values);
	json_object_object_add(c, "errors", f->errors);
	ctx_str(c, "message", msg);
	f->values = f->errors = NULL;
	form_end(f);
	return page(r, status, tmpl, c);
}

void
form_summary(struct json_object *c)
{
	struct json_object *errors, *list;
	struct json_object_iterator it, end;

	if (!json_object_object_get_ex(c, "errors", &errors) ||
	    !json_object_is_type(errors, json_type_object) ||
	    json_object_object_length(errors) == 0 ||
	    json_object_object_get_ex(c, "error_list", NULL))
		return;
	list = json_object_new_array();
	it = json_object_iter_begin(errors);
	end = json_object_iter_end(errors);
	for (; !json_object_iter_equal(&it, &end);
	    json_object_iter_next(&it)) {
		struct json_object *e = json_object_new_object();

		json_object_object_add(e, "field",
		    json_object_new_string(json_object_iter_peek_name(&it)));
		json_object_object_add(e, "message",
		    json_object_get(json_object_iter_peek_value(&it)));
		json_object_array_add(list, e);
	}
	json_object_object_add(c, "error_list", list);
}
