#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "form.h"
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

static const char *
check_one(struct req *r, struct kv *kv, const struct field *f, char *msg,
    size_t msgsz)
{
	enum md_status st;
	const char *html;

	size_t n;

	if (f->type != F_PASSWORD)
		trim_kv(kv);
	if (f->type == F_EMAIL || f->type == F_SLUG)
		str_lower_ascii(kv->value);
	n = utf8_len(kv->value);
	if (n == 0) {
		if (!f->required)
			return NULL;
		snprintf(msg, msgsz, "%s is required.", f->label);
		return msg;
	}
	if (f->type == F_TEXT || f->type == F_EMAIL || f->type == F_SLUG)
		if (strpbrk(kv->value, "\r\n\t") != NULL) {
			snprintf(msg, msgsz, "%s must be one line.", f->label);
			return msg;
		}
	if (n < f->min) {
		snprintf(msg, msgsz, "%s must be at least %zu characters.",
		    f->label, f->min);
		return msg;
	}
	if (f->max && n > f->max) {
		snprintf(msg, msgsz, "%s must be at most %zu characters.",
		    f->label, f->max);
		return msg;
	}
	if (f->type == F_EMAIL && !email_ok(kv->value)) {
		snprintf(msg, msgsz, "%s must be an email address like "
		    "name@example.com.", f->label);
		return msg;
	}
	if (f->type == F_SLUG && !slug_ok(kv->value)) {
		snprintf(msg, msgsz, "%s may use only a-z, 0-9 and inner "
		    "dashes.", f->label);
		return msg;
	}
	if (f->type == F_MARKDOWN &&
	    (st = form_markdown(r, kv->value, &html)) != MD_OK) {
		snprintf(msg, msgsz, "%s %s", f->label, md_status_text(st));
		return msg;
	}
	return NULL;
}

int
form_check(struct req *r, const struct field *fields,
    struct json_object *values, struct json_object *errors)
{
	const struct field *f;
	char msg[256];
	int nerr = 0;

	for (f = fields; f->name != NULL; f++) {
		struct kv *kv = (struct kv *)kv_find(&r->form, f->name);
		const char *err;

		if (kv == NULL) {
			/* Absent: treat as empty, so required says so. */
			kv_add(&r->form, f->name, strlen(f->name), "", 0);
			kv = &r->form.v[r->form.n - 1];
		}
		err = check_one(r, kv, f, msg, sizeof(msg));
		if (values && f->type != F_PASSWORD)
			json_object_object_add(values, f->name,
			    json_object_new_string(kv->value));
		if (err) {
			nerr++;
			if (errors)
				json_object_object_add(errors, f->name,
				    json_object_new_string(err));
		}
	}
	return nerr;
}
