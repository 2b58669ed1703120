#include <stdio.h>
#include <stdlib.h>

#include <json-c/json.h>

#include "audit.h"
#include "config.h"
#include "db.h"
#include "i18n.h"
#include "mailout.h"
#include "ratelimit.h"
#include "signin_alert.h"
#include "tokens.h"
#include "users.h"

/* In a transaction: the link and the mail to a's owner. */
static enum outcome
alert_mail(const struct account *acct, long long failures)
{
	char tok[TOKEN_HEX + 1], path[96], was[MAIL_LANG_MAX];
	struct json_object *c;
	enum outcome rc;
	char *link;

	if ((rc = token_issue(TOKEN_RESET, acct->id, acct->email,
	    cfg.reset_ttl, tok)) != OK)
		return rc;
	snprintf(path, sizeof(path), "/password/reset/%s", tok);
	/* No base_url: no mail can be sent, and the link goes unused. */
	if ((link = mail_link(path)) == NULL)
		return OK;
	c = json_object_new_object();
	json_object_object_add(c, "name", json_object_new_string(acct->name));
	json_object_object_add(c, "link", json_object_new_string(link));
	json_object_object_add(c, "failures", json_object_new_int64(failures));
	json_object_object_add(c, "window_minutes",
	    json_object_new_int64((cfg.throttle_window + 59) / 60));
	json_object_object_add(c, "alert_hours", json_object_new_int64(
	    (cfg.limit_signin_alert.window + 3599) / 3600));
	json_object_object_add(c, "minutes",
	    json_object_new_int64(cfg.reset_ttl / 60));
	free(link);
	/* Someone else's failures: in the owner's language, not theirs. */
	mail_lang_set(acct->id, was);
	rc = mail_send("user.signin_alert", "signin-alert", acct->email,
	    acct->name, _("Failed sign-ins to your account"), c);
	mail_lang_restore(was);
	return rc == E_INVALID ? OK : rc;
}

enum outcome
signin_alert(const struct actor *a, const char *email)
{
	struct account acct;
	char key[64];
	enum outcome rc;
	long long n, wait;

	/* The failure just recorded is in this transaction, and counts. */
	n = db_scalar("SELECT COUNT(*) FROM signin_failures WHERE email ="
	    " LEFT(?, 254) AND created_at > UTC_TIMESTAMP() - INTERVAL ?"
	    " SECOND", "si", email, cfg.throttle_window);
	if (n == -1)
		return db_error();
	if (n < cfg.signin_alert_after)
		return OK;
	if ((rc = user_find(email, &acct)) == E_NOT_FOUND)
		return OK;
	if (rc != OK)
		return rc;
	/* Counted only when a mail is due: one per account and window. The
	 * count is part of this transaction, so it stands or falls with the
	 * mail. */
	snprintf(key, sizeof(key), RATE_ALERT_KEY, acct.id);
	if ((rc = rate_take(key, &cfg.limit_signin_alert, &wait)) == OK &&
	    (rc = alert_mail(&acct, n)) == OK)
		rc = audit(a, 0, 0, "user.signin_alert", "user", acct.id);
	account_clear(&acct);
	return rc == E_LIMITED ? OK : rc;
}
