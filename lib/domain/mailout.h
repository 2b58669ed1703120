/*
 * mailout: one mail to one person, rendered from our own templates
 * (html/mail/NAME.txt, plain text, not escaped, and html/mail/NAME.html,
 * escaped as any page; the engine is in lib/base) and added to the outbox
 * in the caller's transaction (outbox.h), so a change and its mail commit
 * together. Account mail (reset, confirmation) is sent with it; ticket
 * notifications choose their recipients in notify.c.
 *
 * Every link in a mail is absolute, built from cfg.base_url, never from
 * the request's Host header.
 */
#ifndef HD_MAILOUT_H
#define HD_MAILOUT_H

#include <json-c/json.h>

#include "outcome.h"

/* base_url + path (path starts with "/"); caller frees. NULL when
 * base_url is not set. */
char	*mail_link(const char *path);

/*
 * Renders mail/NAME.txt and mail/NAME.html with ctx (given away; it also
 * gets "base_url") and adds the mail to the outbox as kind, to one person
 * (to, name). OK; E_INVALID when the message cannot be made (an address
 * we cannot send to yet, mail not configured: logged, nothing added);
 * E_DB, E_DB_UNKNOWN.
 */
enum outcome mail_send(const char *kind, const char *name,
	    const char *to_addr, const char *to_name, const char *subject,
	    struct json_object *ctx);

/*
 * Mail is written in its recipient's language (issue 13): this sets the
 * language of account user_id (users.lang; English when unset, or for
 * 0, an address with no account), putting the current one in was for
 * mail_lang_restore. Mail a person causes themself (confirming an
 * address, a reset) goes out in the language of their request instead.
 */
#define MAIL_LANG_MAX	8
void	mail_lang_set(long long user_id, char was[MAIL_LANG_MAX]);
void	mail_lang_restore(const char was[MAIL_LANG_MAX]);

#endif
