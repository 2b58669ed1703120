/*
 * mime: the pieces of an Internet message (RFC 5322, MIME, RFC 2047) that
 * outgoing mail is made of. Pure code: no database, no configuration.
 *
 * Header values never carry a line break of their own: a value with CR,
 * LF or NUL is refused (mime_header_ok), never cleaned, so no input can
 * add a header. Every line written is at most MIME_LINE_MAX bytes and
 * ends in CRLF.
 */
#ifndef HD_MIME_H
#define HD_MIME_H

#include <stddef.h>
#include <time.h>

#include "buf.h"

#define MIME_LINE_MAX	78	/* RFC 5322's "SHOULD", CRLF not counted */
#define MIME_ADDR_MAX	254	/* RFC 5321 path limit less the brackets */

/* 1 when s is valid UTF-8 without CR, LF or NUL: usable in a header. */
int	mime_header_ok(const char *s);

/*
 * 1 when s is one plain address, local@domain: a dot-atom local part of
 * at most 64 bytes (no quoted strings, comments, display names or
 * routes), a domain of letters, digits and hyphens in dot-separated
 * labels, at most MIME_ADDR_MAX bytes in all. ASCII only.
 */
int	mime_addr_ok(const char *s);

/*
 * Appends "Name: value" CRLF for a text header (Subject). The value is
 * written as it is when it is short printable ASCII, otherwise as
 * RFC 2047 encoded-words (UTF-8, base64), each at most 75 bytes, split
 * only between characters, one per folded line. -1 when the value is not
 * mime_header_ok (nothing appended).
 */
int	mime_header_text(struct buf *, const char *name, const char *value);

/*
 * Appends "Name: display <addr>" CRLF (From, To, Reply-To); the display
 * name is encoded-words unless it is plain words of atext, and may be
 * "" (then only the address). -1 when the name is not mime_header_ok or
 * the address not mime_addr_ok (nothing appended).
 */
int	mime_header_addr(struct buf *, const char *name, const char *display,
	    const char *addr);

/* Appends "Date: <RFC 5322 date of t, UTC>" CRLF. */
void	mime_header_date(struct buf *, time_t);

/*
 * Appends text as quoted-printable: "\n" (or "\r\n") ends a line and is
 * written CRLF; lines longer than 76 bytes get soft breaks; "=", bytes
 * outside printable ASCII, a space or tab before a line end, and a
 * leading "." or "From " are encoded. Ends with one more CRLF, which
 * belongs to the MIME boundary that follows (RFC 2046), so the text
 * comes back exactly, its last line break included.
 */
void	mime_qp(struct buf *, const char *text);

#endif
