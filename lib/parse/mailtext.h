/*
 * mailtext: how the text of a mail is shown (docs/decisions.md, "Mail
 * bodies"). A mail is not Markdown: it is shown as the person wrote it,
 * escaped, its lines kept, bare http(s) addresses made links, and the
 * quoted earlier message or signature after reply_len folded into a
 * <details> element, never dropped. Pure code, no GMime: the web
 * programs render stored mail text with it.
 */
#ifndef HD_MAILTEXT_H
#define HD_MAILTEXT_H

#include <stddef.h>

/* The HTML of text (UTF-8) whose first reply_len bytes are the new part
 * (reply_len >= strlen(text): nothing folded). malloc'd, never NULL:
 * <div class="mailtext">, then <details class="mailquote"> around the
 * quote when there is one (app.css styles both). */
char	*mailtext_html(const char *text, size_t reply_len);

/* Where the quoted part of text begins ("On ... wrote:", "-----Original
 * Message-----", lines starting with ">", a "-- " signature): the
 * length of the new part, strlen(text) when there is none. */
size_t	 mailtext_reply_len(const char *text);

#endif
