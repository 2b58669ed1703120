#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "config.h"
#include "db.h"
#include "i18n.h"
#include "log.h"
#include "mailout.h"
#include "notify.h"
#include "outbox.h"
#include "tmpl.h"
#include "util.h"

char *
mail_link(const char *path)
{
	struct buf b = BUF_INIT;

	if (notify_url(&b, path) == -1) {
		buf_free(&b);
		return NULL;
	}
	return buf_detach(&b);
}

enum outcome
mail_send(const char *kind, const char *name, const char *to_addr,
    const char *to_name, const char *subject, struct json_object *ctx)
{
	struct buf tname = BUF_INIT, hname = BUF_INIT;
	struct buf text = BUF_INIT, html = BUF_INIT;
	enum outcome rc = E_INVALID;
	const char *why = NULL;
	struct mail m;
	long long id;

	json_object_object_add(ctx, "base_url",
	    json_object_new_string(cfg.base_url));
	json_object_object_add(ctx, "lang",
	    json_object_new_string(i18n_lang()));
	buf_printf(&tname, "mail/%s.txt", name);
	buf_printf(&hname, "mail/%s", name);
	if (tmpl_render(tmpl_get(buf_str(&tname)), ctx, &text) == -1 ||
	    tmpl_render(tmpl_get(buf_str(&hname)), ctx, &html) == -1) {
		log_err("mail %s: template missing", name);
		goto done;
	}
	memset(&m, 0, sizeof(m));
	m.to_addr = to_addr;
	m.to_name = to_name;
	m.subject = subject;
	m.text = buf_str(&text);
	m.html = buf_str(&html);
	if ((rc = outbox_add(kind, &m, &id, &why)) == E_INVALID)
		log_err("mail %s not sent: %s", kind, why ? why : "refused");
done:
	json_object_put(ctx);
	buf_free(&tname);
	buf_free(&hname);
	buf_free(&text);
	buf_free(&html);
	return rc;
}

void
mail_lang_set(long long user_id, char was[MAIL_LANG_MAX])
{
	struct dbres *res;

	snprintf(was, MAIL_LANG_MAX, "%s", i18n_lang());
	i18n_set(NULL);
	if (user_id <= 0)
		return;
	/* A failed read leaves English: the mail still goes. */
	res = db_query("SELECT lang FROM users WHERE id = ?", "i", user_id);
	if (res != NULL && db_next(res) == 1)
		i18n_set(db_str(res, 0));
	db_free(res);
}

void
mail_lang_restore(const char was[MAIL_LANG_MAX])
{
	i18n_set(was);
}
