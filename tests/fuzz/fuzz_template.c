/*
 * Fuzz target: the template engine. The input is compiled as template
 * source (as if it were html/NAME.html), linked against a few partials
 * and a layout loaded from disk with tmpl_load, and rendered against a
 * fixed context full of markup; and the same bytes go through
 * html_escape.
 *
 * Checked: compiling agrees with itself whatever error buffer it gets,
 * and says why when it fails; a compiled template always renders, the
 * same way each time; a template that has no {{raw}} and none of < > '
 * never shows one (every value went through html_escape or {{url}});
 * html_escape leaves none of < > " ' and every & starts one of its five
 * entities, and decoding them gives the input.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include "buf.h"
#include "tmpl.h"

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Arrays are short and {{#each}} is rationed (see below) so that nested
 * loops cannot make a rendering that runs for minutes. */
#define MAX_EACH	4

static const char context_json[] =
	"{"
	" \"title\": \"<script>alert('x')</script> & \\\"q\\\"\","
	" \"user\": { \"name\": \"O'Brien <b>\", \"id\": 7,"
	"   \"email\": \"a&b@example.com\" },"
	" \"items\": [ \"a<\", \"b&amp;\", 3, { \"x\": \"<y>\" } ],"
	" \"rows\": [ { \"name\": \"\\\"one\\\"\", \"ok\": true },"
	"   { \"name\": \"'two'\", \"ok\": false } ],"
	" \"empty\": [], \"zero\": 0, \"neg\": -5, \"pi\": 3.14,"
	" \"big\": 18446744073709551615, \"flag\": true, \"off\": false,"
	" \"nil\": null, \"s\": \"\", \"lt\": \"<\","
	" \"deep\": { \"a\": { \"b\": { \"c\": \"<deep>\" } } },"
	" \"ws\": { \"slug\": \"acme\", \"can_triage\": true }"
	"}";

/* Partials, a layout and a page; none has a < > ' or a {{raw}} of its
 * own, and all of them load. */
static const struct {
	const char *name, *src;
} files[] = {
	{ "p", "[{{title}}|{{user.name}}|{{url title}}]" },
	{ "q", "{{#each rows}}({{name}}:{{#if ok}}{{> p}}{{/if}}){{/each}}" },
	{ "layout", "L({{title}} {{yield}} {{> p}})" },
	{ "outer", "{{extends layout}}O({{yield}})" },
	{ "partials/flash", "{{#if flag}}F{{lt}}{{/if}}" },
};

static struct json_object *ctx;
static char dir[] = "/tmp/fuzz_template.XXXXXX";

static void
cleanup(void)
{
	char path[256];
	size_t i;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s.html", dir, files[i].name);
		unlink(path);
	}
	snprintf(path, sizeof(path), "%s/partials", dir);
	rmdir(path);
	rmdir(dir);
	json_object_put(ctx);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char path[256], err[256];
	size_t i;
	FILE *fp;

	(void)argc;
	(void)argv;
	if ((ctx = json_tokener_parse(context_json)) == NULL)
		abort();
	if (mkdtemp(dir) == NULL)
		abort();
	snprintf(path, sizeof(path), "%s/partials", dir);
	if (mkdir(path, 0700) == -1)
		abort();
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s.html", dir, files[i].name);
		if ((fp = fopen(path, "w")) == NULL)
			abort();
		fputs(files[i].src, fp);
		fclose(fp);
	}
	atexit(cleanup);
	if (tmpl_load(dir, err, sizeof(err)) == -1) {
		fprintf(stderr, "%s\n", err);
		abort();
	}
	return 0;
}

static size_t
count(const uint8_t *s, size_t n, const char *what)
{
	size_t k = 0, wl = strlen(what);
	const uint8_t *p;

	while ((p = memmem(s, n, what, wl)) != NULL) {
		k++;
		n -= (size_t)(p - s) + wl;
		s = p + wl;
	}
	return k;
}

static int
shows(const struct buf *b, int c)
{
	return memchr(buf_str(b), c, b->len) != NULL;
}

static void
check_escape(const uint8_t *data, size_t size)
{
	static const struct {
		const char *ent;
		char c;
	} ents[] = {
		{ "&amp;", '&' }, { "&lt;", '<' }, { "&gt;", '>' },
		{ "&quot;", '"' }, { "&#39;", '\'' },
	};
	struct buf b = BUF_INIT;
	size_t i, k, j = 0;

	html_escape(&b, (const char *)data, size);
	for (i = 0; i < b.len; i++, j++) {
		if (strchr("<>\"'", b.data[i]) != NULL && b.data[i] != '\0')
			abort();
		if (j >= size)
			abort();
		if (b.data[i] != '&') {
			if (b.data[i] != (char)data[j])
				abort();
			continue;
		}
		for (k = 0; k < sizeof(ents) / sizeof(ents[0]); k++)
			if (b.len - i >= strlen(ents[k].ent) &&
			    memcmp(b.data + i, ents[k].ent,
			    strlen(ents[k].ent)) == 0)
				break;
		if (k == sizeof(ents) / sizeof(ents[0]) ||
		    ents[k].c != (char)data[j])
			abort();
		i += strlen(ents[k].ent) - 1;
	}
	if (j != size)
		abort();
	buf_free(&b);
}

static void
check_template(const uint8_t *data, size_t size)
{
	struct tmpl *t, *t2, *t3;
	struct buf out = BUF_INIT, again = BUF_INIT;
	char err[256], tiny[8];

	memset(err, 'x', sizeof(err));
	t = tmpl_compile("fuzz", (const char *)data, size, err, sizeof(err));
	if (memchr(err, '\0', sizeof(err)) == NULL)
		abort();
	if ((t == NULL) != (err[0] != '\0') ||
	    (t == NULL && strncmp(err, "fuzz:", 5) != 0))
		abort();
	t2 = tmpl_compile(NULL, (const char *)data, size, NULL, 0);
	t3 = tmpl_compile("fuzz", (const char *)data, size, tiny,
	    sizeof(tiny));
	if ((t == NULL) != (t2 == NULL) || (t == NULL) != (t3 == NULL) ||
	    memchr(tiny, '\0', sizeof(tiny)) == NULL)
		abort();
	tmpl_free(t2);
	tmpl_free(t3);
	if (t == NULL)
		return;

	if (count(data, size, "each") <= MAX_EACH) {
		if (tmpl_render(t, ctx, &out) != 0 ||
		    tmpl_render(t, ctx, &again) != 0 || out.len != again.len ||
		    memcmp(buf_str(&out), buf_str(&again), out.len) != 0)
			abort();
		/* Only a template's own text can bring markup in. */
		if (count(data, size, "raw") == 0) {
			if (!memchr(data, '<', size) && shows(&out, '<'))
				abort();
			if (!memchr(data, '>', size) && shows(&out, '>'))
				abort();
			if (!memchr(data, '\'', size) && shows(&out, '\''))
				abort();
		}
	}
	buf_free(&out);
	buf_free(&again);
	tmpl_free(t);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check_escape(data, size);
	check_template(data, size);
	return 0;
}
