/*
 * config: one file of "key = value" lines (# starts a comment), found at
 * $HELPDESK_CONFIG or /etc/helpdesk/helpdesk.conf. Every key may be
 * overridden by the environment as HELPDESK_<KEY> (upper case). Keys and
 * defaults are the table in config.c and INSTALL; an unknown key in the
 * file is an error, so a typo never silently falls back to a default.
 */
#ifndef HD_CONFIG_H
#define HD_CONFIG_H

/* A rate limit, "30/3600": at most n in each window of that many seconds
 * (lib/domain/ratelimit.h). */
struct rate {
	long long	 n;
	long long	 window;
};

struct config {
	const char	*db_socket;
	const char	*db_name;
	const char	*db_user;
	const char	*db_password;
	const char	*db_host;	/* "" is db_socket; else TCP (shared
					   hosting's database) */
	long long	 db_port;
	long long	 db_read_timeout;
	/* on: a program applies sql_dir's new migrations before serving
	 * (lib/store/migrate.h, migrate_if_behind). */
	const char	*auto_migrate;
	const char	*templates;	/* directory of *.html */
	const char	*locale_dir;	/* LANG.mo catalogues (issue 13) */
	const char	*sql_dir;	/* migrations, for the migrate tool */
	const char	*secret;	/* 64 hex digits: keys CSRF tokens */
	long long	 max_form;	/* bytes of a urlencoded body */
	long long	 max_request;	/* bytes of any body (uploads) */
	long long	 max_file;	/* bytes of one uploaded file */
	long long	 max_files;	/* files in one request */
	long long	 argon2_t;
	long long	 argon2_m_kib;
	long long	 argon2_p;
	long long	 session_idle;	/* seconds without a request */
	long long	 session_max;	/* seconds from sign-in */
	long long	 throttle_window;	/* seconds */
	long long	 throttle_account;	/* per account and address, or
						   per known browser */
	long long	 throttle_ip;		/* failures per address */
	long long	 throttle_account_all;	/* per account, from browsers
						   that never signed in to it */
	const char	*cookie_secure;	/* auto, always or never */
	const char	*sandbox;	/* on or off: sandbox.h */
	long long	 listen_backlog;	/* connections waiting for a
					   worker (capped by somaxconn) */
	/* Outgoing mail (lib/domain/outbox.h, tools/mailer.c). */
	const char	*base_url;	/* public origin: https://host[:port] */
	const char	*mail_from;	/* envelope and From: address */
	const char	*mail_from_name;	/* From: display name */
	const char	*mail_reply_to;	/* "" or an address; {token} = ticket */
	const char	*mail_secret;	/* 64 hex digits: signs Message-IDs */
	const char	*mail_transport;	/* smtp or sendmail */
	const char	*smtp_url;	/* smtp://host:port or smtps://host:port */
	const char	*smtp_tls;	/* required or none (loopback only) */
	const char	*smtp_user;
	const char	*smtp_password;	/* never logged */
	const char	*smtp_ca_file;	/* "" or a CA bundle to trust */
	const char	*sendmail_path;
	long long	 mail_give_up_after;	/* seconds from enqueue */
	long long	 mail_poll_ms;	/* between looks at an empty outbox */
	/* Incoming mail (lib/domain/mailin.h, tools/mailgate.c). */
	long long	 mail_max_bytes;	/* a bigger message is kept whole in
					   the quarantine, unparsed */
	/* Account links (lib/domain/tokens.h) and their limiter. */
	long long	 reset_ttl;	/* seconds a reset link works */
	long long	 confirm_ttl;	/* seconds a confirmation link works */
	long long	 mail_limit_window;	/* seconds */
	long long	 mail_limit_address;	/* account mails per address */
	long long	 mail_limit_client;	/* account mails per client */
	/* The general limiter (lib/domain/ratelimit.h): per account and per
	 * client address, each action its own bound. */
	struct rate	 limit_signup;
	struct rate	 limit_password;
	struct rate	 limit_ticket_create;
	struct rate	 limit_reply;
	struct rate	 limit_upload;
	struct rate	 limit_invite;
	struct rate	 limit_join;
	/* Failed sign-ins against one account (throttle_window) that mail
	 * its owner, and at most one such mail per limit_signin_alert. */
	long long	 signin_alert_after;
	struct rate	 limit_signin_alert;
	/* The privacy policy and terms (lib/domain/policy.h). */
	const char	*policy_file;	/* Markdown, rendered at start-up */
	const char	*policy_version;	/* of the policy and the terms */
	const char	*terms_file;	/* Markdown, rendered at start-up */
	const char	*contact_email;	/* for privacy requests; "" is
					   mail_from */
	/* Retention (lib/domain/retention.h, tools/retention.c): days; the
	 * first six are a workspace's defaults, which its settings page
	 * overrides within the same bounds. 0 is never where allowed. */
	long long	 retention_close_solved_days;	/* solved -> closed */
	long long	 retention_closed_days;	/* closed -> deleted or
						   anonymised */
	const char	*retention_closed_action;	/* delete or anonymise */
	long long	 retention_audit_days;
	long long	 retention_usage_days;
	long long	 retention_invitations_days;	/* after expiry or
							   acceptance */
	long long	 retention_sessions_days;	/* after expiry */
	long long	 retention_signin_failures_days;
	long long	 retention_tokens_days;	/* after expiry or use */
	long long	 retention_rate_counts_days;
	long long	 retention_outbox_days;	/* after sent or given up */
	long long	 retention_unconfirmed_days;	/* accounts erased */
	/* Mail in (issue 12): quarantined messages (a workspace's default,
	 * as the first six), and the Message-IDs kept against duplicates
	 * (long enough for MTA retries and IMAP re-polls: at least a
	 * week). */
	long long	 retention_quarantine_days;
	long long	 retention_mail_seen_days;
	long long	 retention_batch;	/* rows per transaction */
	/* Mail in by IMAP (tools/mailpoll.c, helpdesk-mailpoll). */
	const char	*imap_url;	/* imaps://host[:port]/MAILBOX */
	const char	*imap_user;
	const char	*imap_password;	/* never logged */
	const char	*imap_recipient;	/* the mailbox's address: routing */
	const char	*imap_done;	/* "delete" or a folder to move to */
	long long	 imap_poll_seconds;
	/* "" (the unix socket db_socket) or the database nodes to try in
	 * turn, "host:port,host:port" (lib/store/db.h). */
	const char	*db_hosts;
	/* The queue's count of results: exact up to this many, "more than"
	 * beyond, so that counting reads at most this many + 1 rows. */
	long long	 queue_count_max;
	/* A search from the index reads every match and sorts them when its
	 * rarest word has at most this many entries, and walks the queue
	 * newest first past it (docs/decisions.md "Search index"). */
	long long	 search_set_max;
};

extern struct config cfg;

/* Loads defaults, the file and the environment. Returns 0, or -1 with
 * the reason on stderr. */
int	config_load(void);
/* What the mailer needs on top (base_url, mail_from, mail_secret, a
 * transport it can use): 0, or -1 with the reason on stderr. */
int	config_check_mail(void);
/* 1 when host (of smtp_url, brackets allowed) is a loopback address. */
int	config_host_is_loopback(const char *host);

/* An origin "scheme://host[:port]" (a trailing "/" allowed, nothing
 * else): 0 and its parts, or -1. host keeps IPv6 brackets. */
struct origin {
	char		scheme[8];
	char		host[256];
	long long	port;	/* 0 when not given */
};
int	config_origin(const char *url, struct origin *);

/* One entry of db_hosts: 0, 1 past the last entry, -1 malformed (the
 * loaded config never holds one). */
#define DB_HOSTS_MAX	8
struct dbhost {
	char		host[256];
	long long	port;
};
int	config_db_host(size_t i, struct dbhost *);

#endif
