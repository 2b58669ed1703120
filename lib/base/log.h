/*
 * log: one line per request and errors with context, to stderr (the
 * supervisor or web server collects it). Untrusted text is made
 * printable before it is written, so a request cannot forge log lines.
 */
#ifndef HD_LOG_H
#define HD_LOG_H

#include <stddef.h>

/* The request id errors are tagged with; set by the core per request. */
void	log_set_request_id(const char *);
void	log_err(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_info(const char *, ...) __attribute__((format(printf, 1, 2)));
/* The request line: a path that carries a secret (/invite/TOKEN) is cut
 * before the secret, which becomes "[secret]"; statements: how many SQL
 * statements the request ran ("sql=N"). */
void	log_request(const char *method, const char *path, int status,
	    double ms, unsigned statements);
/* How many bytes of path log_request writes before the secret, if any. */
size_t	log_path_len(const char *path);

#endif
