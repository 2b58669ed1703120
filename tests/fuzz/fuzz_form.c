/*
 * Fuzz target: form_check. The input is a urlencoded body; what passes
 * the core's gate (urlencoded_parse, then text_valid on every name and
 * value, as request.c does) is checked against a sign-up-like form with
 * one field of each type.
 *
 * Checked: the count is the number of errors; values holds every field
 * but the password; a field without an error is what its type promises
 * (trimmed, one line, within its bounds in characters, an email with one
 * @ and lower case, a slug of a-z 0-9 and inner dashes); the password is
 * never touched; and checking again changes nothing.
 */
#include <ctype.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "form.h"
#include "http.h"
#include "kv.h"
#include "parse.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const struct field fields[] = {
	{ "name", "Name", F_TEXT, 1, 1, 100 },
	{ "email", "Email", F_EMAIL, 1, 3, 254 },
	{ "password", "Password", F_PASSWORD, 1, 8, 200 },
	{ "slug", "Address", F_SLUG, 0, 2, 40 },
	{ "body", "Message", F_LONGTEXT, 0, 0, 2000 },
	{ "tag", "Tag", F_TEXT, 0, 0, 0 },
	{ NULL, NULL, 0, 0, 0, 0 }
};

static void
check_field(const struct field *f, const struct kv *kv, int has_err)
{
	const char *s = kv->value, *at;
	size_t n = kv->vlen, chars;

	if (strlen(s) != n)
		abort();
	if (has_err)
		return;
	chars = utf8_len(s);
	if (chars == 0) {
		if (f->required)
			abort();
		return;
	}
	if (chars < f->min || (f->max && chars > f->max))
		abort();
	if (f->type == F_PASSWORD)
		return;
	if (isspace((unsigned char)s[0]) || isspace((unsigned char)s[n - 1]))
		abort();
	if (f->type != F_LONGTEXT && strpbrk(s, "\r\n\t") != NULL)
		abort();
	if (f->type == F_EMAIL) {
		if ((at = strchr(s, '@')) == NULL || at == s ||
		    strchr(at + 1, '@') != NULL || strchr(at + 1, '.') == NULL)
			abort();
		for (; *s; s++)
			if (isupper((unsigned char)*s) ||
			    (unsigned char)*s <= ' ')
				abort();
	}
	if (f->type == F_SLUG) {
		if (s[0] == '-' || s[n - 1] == '-' ||
		    strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789-") != n)
			abort();
	}
}

/* A copy of every pair, to compare with after checking. */
static void
copy_list(struct kvlist *to, const struct kvlist *from)
{
	size_t i;

	for (i = 0; i < from->n; i++)
		kv_add(to, from->v[i].name, strlen(from->v[i].name),
		    from->v[i].value, from->v[i].vlen);
}

static int
same_kv(const struct kv *a, const struct kv *b)
{
	return strcmp(a->name, b->name) == 0 && a->vlen == b->vlen &&
	    memcmp(a->value, b->value, a->vlen) == 0;
}

static void
check_form(struct req *r)
{
	struct json_object *values, *errors, *v2, *e2;
	struct kvlist before = KVLIST_INIT, after = KVLIST_INIT;
	const struct field *f;
	const struct kv *kv, *old;
	struct json_object *v;
	size_t i;
	int nerr;

	copy_list(&before, &r->form);
	values = json_object_new_object();
	errors = json_object_new_object();
	nerr = form_check(r, fields, values, errors);
	if (nerr < 0 || (size_t)nerr != (size_t)json_object_object_length(errors))
		abort();
	for (f = fields; f->name != NULL; f++) {
		if ((kv = kv_find(&r->form, f->name)) == NULL)
			abort();
		check_field(f, kv, json_object_object_get_ex(errors, f->name,
		    NULL));
		if (f->type == F_PASSWORD) {
			if (json_object_object_get_ex(values, f->name, NULL))
				abort();
			old = kv_find(&before, f->name);
			if (old != NULL ? !same_kv(old, kv) : kv->vlen != 0)
				abort();
			continue;
		}
		/* What is shown again is what was checked (up to a NUL). */
		if (!json_object_object_get_ex(values, f->name, &v) ||
		    strcmp(json_object_get_string(v), kv->value) != 0)
			abort();
	}
	/* Fields the form does not declare are left alone. */
	for (i = 0; i < before.n; i++) {
		for (f = fields; f->name != NULL; f++)
			if (strcmp(f->name, before.v[i].name) == 0)
				break;
		if (f->name == NULL && !same_kv(&before.v[i], &r->form.v[i]))
			abort();
	}

	/* Normalised values pass through unchanged the second time. */
	copy_list(&after, &r->form);
	v2 = json_object_new_object();
	e2 = json_object_new_object();
	if (form_check(r, fields, v2, e2) != nerr ||
	    !json_object_equal(values, v2) || !json_object_equal(errors, e2) ||
	    after.n != r->form.n)
		abort();
	for (i = 0; i < after.n; i++)
		if (!same_kv(&after.v[i], &r->form.v[i]))
			abort();
	json_object_put(values);
	json_object_put(errors);
	json_object_put(v2);
	json_object_put(e2);
	kv_free(&before);
	kv_free(&after);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct req r;
	size_t i;

	memset(&r, 0, sizeof(r));
	if (urlencoded_parse((const char *)data, size, &r.form, 32) == 0) {
		for (i = 0; i < r.form.n; i++)
			if (!text_valid(r.form.v[i].name,
			    strlen(r.form.v[i].name)) ||
			    !text_valid(r.form.v[i].value, r.form.v[i].vlen))
				break;
		if (i == r.form.n)
			check_form(&r);
	}
	kv_free(&r.form);
	return 0;
}
