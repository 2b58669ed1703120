/*
 * sandbox: what a worker gives up once it is ready to serve (FastCGI
 * workers, and a CGI process before its one request).
 *
 *  - no_new_privs: nothing it runs can gain privileges;
 *  - Landlock, with the newest ABI the kernel offers (landlock.c): files
 *    only under the templates and the time zones (read) and TMPDIR (upload spool files), no
 *    TCP bind or connect (but connect to db_port when the database is
 *    over TCP, db_host), no signals or abstract unix sockets beyond
 *    itself. Without Landlock, or with an old ABI, a log line says what
 *    stays open;
 *  - seccomp, an allow-list of the system calls the workers were measured
 *    to make (seccomp.c; sockets: unix, and IPv4/IPv6 only with
 *    db_host): anything else fails with ENOSYS; exec, ptrace,
 *    namespaces, io_uring, keyrings, setuid and the like, and any call of
 *    another architecture (i386, x32), kill the process. x86_64 only: on
 *    other architectures a log line says the filter is missing.
 */
#ifndef HD_SANDBOX_H
#define HD_SANDBOX_H

/* All of the above. Returns 0, or -1 when a step the kernel offers
 * failed (logged). */
int	sandbox_enter(void);

/* The two layers alone, for tests; each returns 0 or -1 (errno). */
int	landlock_confine(void);
int	seccomp_confine(void);

#endif
