/* Attachments: file names normalised before anything else sees them,
 * content types from an allow-list, Content-Disposition, size labels,
 * and the upload limits as forms and refusals word them. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "attachments.h"
#include "buf.h"
#include "config.h"
#include "parse.h"

static void
expect_name(const char *in, const char *want)
{
	char *got = filename_normalize(in);
	char *again = filename_normalize(got);

	assert_string_equal(got, want);
	/* Normalising twice changes nothing (downloads do it again). */
	assert_string_equal(again, got);
	free(again);
	free(got);
}

static void
test_hostile_names(void **state)
{
	(void)state;
	/* A zero-width space does not hide the leading dot. */
	expect_name("\u200B.htaccess", "htaccess");
	expect_name(".htaccess", "htaccess");
	/* Separators go, then the dots they left at the front. */
	expect_name("../../x", "x");
	expect_name("..\\..\\x", "x");
	expect_name("/etc/passwd", "etcpasswd");
	expect_name("C:\\Users\\me\\a.txt", "CUsersmea.txt");
	expect_name("a/../b", "a..b");
	/* Controls: CR, LF, tab, NUL never gets here (C string), DEL, C1. */
	expect_name("a\r\nb", "ab");
	expect_name("a\tb\x1b[31mc", "ab[31mc");
	expect_name("x\x7f\xc2\x85y", "xy");
	/* The right-to-left override that shows "exe.jpg" as "gpj.exe". */
	expect_name("\u202Egpj.exe", "gpj.exe");
	expect_name("invoice\u202Efdp.exe", "invoicefdp.exe");
	expect_name("\uFEFFbom.txt", "bom.txt");
	expect_name("soft\u00ADhyphen", "softhyphen");
	expect_name("\u2066iso\u2069late", "isolate");
	expect_name("a\U000E0041\U000E007Fb", "ab");
	expect_name("a\u2028b\u2029c", "abc");
	/* Windows-forbidden characters. */
	expect_name("a<b>c:d\"e|f?g*h.txt", "abcdefgh.txt");
	expect_name("CON", "CON");
}

static void
test_dots_spaces_empty(void **state)
{
	(void)state;
	expect_name("...", "file");
	expect_name("", "file");
	expect_name("   ", "file");
	expect_name("///", "file");
	expect_name("\\/\\", "file");
	expect_name("\u200B\u200E", "file");
	expect_name(" . report .pdf. . ", "report .pdf");
	expect_name("name.", "name");
	expect_name("a..b", "a..b");
	{
		char *got = filename_normalize(NULL);

		assert_string_equal(got, "file");
		free(got);
	}
}

static void
test_unicode_kept(void **state)
{
	(void)state;
	expect_name("Résumé.pdf", "Résumé.pdf");
	expect_name("日本語のファイル.txt", "日本語のファイル.txt");
	expect_name("emoji \U0001F600.png", "emoji \U0001F600.png");
	/* Bytes that are not UTF-8 (not from the core) are dropped. */
	expect_name("\xff\xfe" "ab", "ab");
	expect_name("\xe2\x80", "file");
}

static char *
repeat(const char *s, size_t n, const char *tail)
{
	struct buf b = BUF_INIT;
	size_t i;

	for (i = 0; i < n; i++)
		buf_puts(&b, s);
	buf_puts(&b, tail);
	return buf_detach(&b);
}

static void
expect_capped(const char *s, size_t n, const char *tail, size_t want_len,
    const char *want_tail)
{
	char *in = repeat(s, n, tail), *got = filename_normalize(in);
	size_t len = strlen(got), tl = strlen(want_tail);

	assert_true(len <= FILENAME_MAX_BYTES);
	assert_int_equal(len, want_len);
	assert_true(utf8_valid(got, len));
	assert_true(len >= tl);
	assert_memory_equal(got + len - tl, want_tail, tl);
	free(in);
	free(got);
}

static void
test_long_names(void **state)
{
	(void)state;
	/* Fits exactly: nothing is cut. */
	expect_capped("a", 196, ".pdf", 200, ".pdf");
	expect_capped("a", 500, "", 200, "a");
	/* Two-byte characters: 196 bytes of stem, 98 of them. */
	expect_capped("é", 300, ".pdf", 200, "é.pdf");
	/* Three-byte: 196 is inside a character, so 195 (65 of them). */
	expect_capped("日", 100, ".txt", 199, "日.txt");
	/* Four-byte, no extension: 200 is a boundary. */
	expect_capped("\U0001F600", 60, "", 200, "\U0001F600");
	/* Three-byte, no extension: cut back to 198. */
	expect_capped("€", 80, "", 198, "€");
	/* An "extension" too long to keep is cut like the rest. */
	expect_capped("b", 250, "", 200, "b");
	{
		char *in = repeat("b", 250, ""), *name, *got;

		name = malloc(strlen(in) + 12);
		strcpy(name, "short.");
		strcat(name, in);
		got = filename_normalize(name);
		assert_int_equal(strlen(got), 200);
		assert_memory_equal(got, "short.bbb", 9);
		free(got);
		free(name);
		free(in);
	}
	/* A cut that ends on dots or spaces does not leave them. */
	{
		char *in = repeat("a", 195, "     .......x"), *got;

		/* The stem is cut inside "     ......" and loses them. */
		got = filename_normalize(in);
		assert_int_equal(strlen(got), 197);
		assert_string_equal(got + 190, "aaaaa.x");
		free(got);
		free(in);
	}
}

static void
test_content_types(void **state)
{
	static const char *const unsafe[] = {
		"a.svg", "a.SVG", "a.html", "a.htm", "a.xml", "a.xhtml",
		"a.js", "a.mjs", "a.css", "a.exe", "a.png.html", "png", ".png",
		"a.", "a", "",
	};
	size_t i;

	(void)state;
	assert_string_equal(content_type_for("a.png"), "image/png");
	assert_string_equal(content_type_for("a.PNG"), "image/png");
	assert_string_equal(content_type_for("a.jpg"), "image/jpeg");
	assert_string_equal(content_type_for("a.jpeg"), "image/jpeg");
	assert_string_equal(content_type_for("a.gif"), "image/gif");
	assert_string_equal(content_type_for("a.webp"), "image/webp");
	assert_string_equal(content_type_for("a.pdf"), "application/pdf");
	assert_string_equal(content_type_for("a.txt"), "text/plain");
	assert_string_equal(content_type_for("a.csv"), "text/csv");
	assert_string_equal(content_type_for("a.json"), "application/json");
	assert_string_equal(content_type_for("a.zip"), "application/zip");
	assert_string_equal(content_type_for("a.tar.gz"), "application/gzip");
	assert_string_equal(content_type_for("a.html.png"), "image/png");

	for (i = 0; i < sizeof(unsafe) / sizeof(unsafe[0]); i++)
		assert_string_equal(content_type_for(unsafe[i]),
		    "application/octet-stream");
	assert_string_equal(content_type_for(NULL), "application/octet-stream");
	/* Stored types are served only if they are on the list. */
	assert_string_equal(content_type_safe("image/png"), "image/png");
	assert_string_equal(content_type_safe("image/svg+xml"),
	    "application/octet-stream");
	assert_string_equal(content_type_safe("text/html"),
	    "application/octet-stream");
	assert_string_equal(content_type_safe("image/png; x"),
	    "application/octet-stream");
	assert_string_equal(content_type_safe(NULL),
	    "application/octet-stream");
}

static void
expect_disposition(const char *name, const char *want)
{
	struct buf b = BUF_INIT;

	content_disposition(&b, name);
	assert_string_equal(buf_str(&b), want);
	buf_free(&b);
}

static void
test_disposition(void **state)
{
	(void)state;
	expect_disposition("report.pdf",
	    "attachment; filename=\"report.pdf\"; filename*=UTF-8''report.pdf");
	expect_disposition("naïve \"x\"\\%.txt",
	    "attachment; filename=\"na_ve _x___.txt\"; "
	    "filename*=UTF-8''na%C3%AFve%20%22x%22%5C%25.txt");
	expect_disposition("日本.txt",
	    "attachment; filename=\"__.txt\"; "
	    "filename*=UTF-8''%E6%97%A5%E6%9C%AC.txt");
	expect_disposition("a;b=c,d'e(f)",
	    "attachment; filename=\"a;b=c,d'e(f)\"; "
	    "filename*=UTF-8''a%3Bb%3Dc%2Cd%27e%28f%29");
	/* Not from normalize, but a header never gets a line break. */
	expect_disposition("a\r\nb",
	    "attachment; filename=\"a__b\"; filename*=UTF-8''a%0D%0Ab");
}

static void
test_size_labels(void **state)
{
	static const struct { long long n; const char *want; } cases[] = {
		{ -5, "0 bytes" },
		{ 0, "0 bytes" },
		{ 1, "1 byte" },
		{ 1023, "1023 bytes" },
		{ 1024, "1.0 KB" },
		{ 1536, "1.5 KB" },
		{ 10 * 1024, "10 KB" },
		{ 1048575, "1.0 MB" },
		{ 1258291, "1.2 MB" },
		{ 26214400, "25 MB" },
		{ 26214401, "25 MB" },
		{ 3LL << 30, "3.0 GB" },
		{ 5LL << 50, "5120 TB" },
	};
	char out[32];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_label(cases[i].n, out, sizeof(out));
		assert_string_equal(out, cases[i].want);
	}
}

/* The limits the forms show and the refusals name come from the config,
 * in the formatter's words; the whole message's bound only when it binds
 * before files x file. */
static void
test_upload_limits(void **state)
{
	static const struct {
		long long files, file, request;
		const char *label, *total, *too_many, *too_large, *too_much;
	} cases[] = {
		{ 10, 26214400, 52428800, "25 MB", "50 MB",
		    "Too many files in one message: the limit is 10.",
		    "A file is larger than 25 MB, the limit for one file.",
		    "The message and its files are larger than 50 MB, the "
		    "limit for all of them together." },
		{ 3, 1536, 1LL << 20, "1.5 KB", NULL,
		    "Too many files in one message: the limit is 3.",
		    "A file is larger than 1.5 KB, the limit for one file.",
		    "The message and its files are larger than 1.0 MB, the "
		    "limit for all of them together." },
		{ 1, 1LL << 30, 1LL << 30, "1.0 GB", NULL,
		    "Too many files in one message: the limit is 1.",
		    "A file is larger than 1.0 GB, the limit for one file.",
		    "The message and its files are larger than 1.0 GB, the "
		    "limit for all of them together." },
	};
	struct json_object *o, *v;
	char out[160], small[20];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		cfg.max_files = cases[i].files;
		cfg.max_file = cases[i].file;
		cfg.max_request = cases[i].request;
		o = upload_limits();
		assert_true(json_object_object_get_ex(o, "files", &v));
		assert_int_equal(json_object_get_int64(v), cases[i].files);
		assert_true(json_object_object_get_ex(o, "file", &v));
		assert_string_equal(json_object_get_string(v), cases[i].label);
		if (cases[i].total) {
			assert_true(json_object_object_get_ex(o, "total", &v));
			assert_string_equal(json_object_get_string(v),
			    cases[i].total);
		} else
			assert_false(json_object_object_get_ex(o, "total", &v));
		json_object_put(o);
		upload_refusal(UPLOAD_FILES, out, sizeof(out));
		assert_string_equal(out, cases[i].too_many);
		upload_refusal(UPLOAD_FILE, out, sizeof(out));
		assert_string_equal(out, cases[i].too_large);
		upload_refusal(UPLOAD_TOTAL, out, sizeof(out));
		assert_string_equal(out, cases[i].too_much);
	}
	/* Cut to the buffer, never past it. */
	upload_refusal(UPLOAD_FILE, small, sizeof(small));
	assert_string_equal(small, "A file is larger th");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hostile_names),
		cmocka_unit_test(test_dots_spaces_empty),
		cmocka_unit_test(test_unicode_kept),
		cmocka_unit_test(test_long_names),
		cmocka_unit_test(test_content_types),
		cmocka_unit_test(test_disposition),
		cmocka_unit_test(test_size_labels),
		cmocka_unit_test(test_upload_limits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
