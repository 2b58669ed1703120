/*
 * The worker sandbox (lib/sandbox.c), tried from inside. For each escape
 * in the table below a child confines itself with sandbox_enter(), as
 * every worker does, with the worker's settings (templates, TMPDIR), and
 * makes one attempt; the parent asserts that the child was killed
 * (SIGSYS) or that the call was refused with the expected errno. Landlock
 * is also tried alone, for what it must hold by itself. Another test does
 * what a worker does, which must still work.
 *
 * Needs x86_64 Linux with Landlock ABI 6 or later (CI's kernel), run as
 * root as CI does, so that "refused" never means merely "not root".
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <linux/landlock.h>
#include <linux/perf_event.h>
#include <linux/sched.h>

#include "config.h"
#include "util.h"
#include "sandbox.h"

static char base[] = "/tmp/test_sandbox.XXXXXX";
static char templates[256], spool[256], outside[256];
static char unix_path[sizeof(((struct sockaddr_un *)0)->sun_path)];
static int unix_listener = -1, abstract_listener = -1, tcp_listener = -1;
static uint16_t tcp_port;

/* Made in the child before it confines itself: what a worker could have
 * open already. */
static int early_fd = -1;
static pid_t parent;
static pid_t owner;	/* this test program */

enum layers { ALL, LANDLOCK };

static int
confine(enum layers l)
{
	if (l == ALL)
		return sandbox_enter();
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1)
		return -1;
	return landlock_confine();
}

/* Child exit codes: 0 the attempt worked, an errno it was refused. */
#define SETUP_FAILED	200

static int
run(enum layers l, void (*before)(void), int (*attempt)(void))
{
	pid_t pid;
	int st;

	fflush(NULL);
	if ((pid = fork()) == -1)
		fail_msg("fork: %s", strerror(errno));
	if (pid == 0) {
		parent = getppid();
		if (before != NULL)
			before();
		if (confine(l) == -1)
			_exit(SETUP_FAILED);
		/* _exit: no exit handlers (the leak checker) in a child. */
		_exit(attempt());
	}
	if (waitpid(pid, &st, 0) == -1)
		fail_msg("waitpid: %s", strerror(errno));
	return st;
}

/* The exit code for a call's return value r. */
static int
outcome(long r)
{
	return r == -1 ? errno : 0;
}

/* ---- running another program -------------------------------------------- */

static char *const true_argv[] = { "/bin/true", NULL };

static int
try_execve(void)
{
	return outcome(execve("/bin/true", true_argv, NULL));
}

/* A copy of /bin/true in memory, never on a path Landlock sees. */
static void
make_memfd(void)
{
	char b[65536];
	ssize_t n;
	int in;

	early_fd = (int)syscall(SYS_memfd_create, "x", 0);
	if (early_fd == -1 || (in = open("/bin/true", O_RDONLY)) == -1)
		_exit(SETUP_FAILED);
	while ((n = read(in, b, sizeof(b))) > 0)
		if (write(early_fd, b, (size_t)n) != n)
			_exit(SETUP_FAILED);
	close(in);
}

static int
try_memfd_create(void)
{
	return outcome(syscall(SYS_memfd_create, "x", 0));
}

static int
try_execveat_memfd(void)
{
	return outcome(syscall(SYS_execveat, early_fd, "", true_argv, NULL,
	    AT_EMPTY_PATH));
}

/*
 * The 32-bit entry point: `int $0x80` takes i386 call numbers and 32-bit
 * pointers, so the strings go below 4 GiB (MAP_32BIT).
 */
#define I386_EXECVE	11
#define I386_GETPID	20
#define I386_EXECVEAT	358

static long
int80(long nr, long a, long b, long c, long d, long e)
{
	long ret;

	__asm__ volatile ("int $0x80"
	    : "=a"(ret)
	    : "a"(nr), "b"(a), "c"(b), "d"(c), "S"(d), "D"(e)
	    : "memory", "r8", "r9", "r10", "r11");
	return (int)ret;	/* an i386 result: 32 bits */
}

static uint32_t *
low_argv(void)
{
	char *low = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
	uint32_t *argv;

	if (low == MAP_FAILED)
		_exit(SETUP_FAILED);
	strcpy(low, "/bin/true");
	low[16] = '\0';
	argv = (uint32_t *)(void *)(low + 64);
	argv[0] = (uint32_t)(uintptr_t)low;
	argv[1] = 0;
	return argv;
}

static int
i386_outcome(long r)
{
	return r < 0 ? (int)-r : 0;
}

static int
try_i386_execve(void)
{
	uint32_t *argv = low_argv();

	return i386_outcome(int80(I386_EXECVE, argv[0], (long)(uintptr_t)argv,
	    0, 0, 0));
}

static int
try_i386_execveat_memfd(void)
{
	uint32_t *argv = low_argv();
	/* An empty path: the string at low + 16. */
	long empty = (long)argv[0] + 16;

	return i386_outcome(int80(I386_EXECVEAT, early_fd, empty,
	    (long)(uintptr_t)argv, 0, AT_EMPTY_PATH));
}

static int
try_i386_getpid(void)
{
	int80(I386_GETPID, 0, 0, 0, 0, 0);
	return 0;
}

static int
try_x32_getpid(void)
{
	return outcome(syscall(__X32_SYSCALL_BIT | SYS_getpid));
}

/* ---- namespaces and other kernel surfaces -------------------------------- */

static int
try_clone_newuser(void)
{
	long r = syscall(SYS_clone, CLONE_NEWUSER | SIGCHLD, NULL, NULL, NULL,
	    0);

	if (r == 0)
		_exit(0);
	if (r > 0)
		waitpid((pid_t)r, NULL, 0);
	return outcome(r);
}

static int
try_clone3_newuser(void)
{
	struct clone_args ca;
	long r;

	memset(&ca, 0, sizeof(ca));
	ca.flags = CLONE_NEWUSER;
	ca.exit_signal = SIGCHLD;
	r = syscall(SYS_clone3, &ca, sizeof(ca));
	if (r == 0)
		_exit(0);
	if (r > 0)
		waitpid((pid_t)r, NULL, 0);
	return outcome(r);
}

static int
try_unshare(void)
{
	return outcome(unshare(CLONE_NEWUSER));
}

static int
try_io_uring(void)
{
	unsigned char params[120];	/* struct io_uring_params */

	memset(params, 0, sizeof(params));
	return outcome(syscall(SYS_io_uring_setup, 4, params));
}

static int
try_userfaultfd(void)
{
	return outcome(syscall(SYS_userfaultfd, O_CLOEXEC));
}

static int
try_keyctl(void)
{
	/* KEYCTL_GET_KEYRING_ID of KEY_SPEC_SESSION_KEYRING, creating it. */
	return outcome(syscall(SYS_keyctl, 0, -3, 1));
}

static int
try_perf_event_open(void)
{
	struct perf_event_attr pe;

	memset(&pe, 0, sizeof(pe));
	pe.size = sizeof(pe);
	pe.type = PERF_TYPE_SOFTWARE;
	pe.config = PERF_COUNT_SW_CPU_CLOCK;
	pe.disabled = 1;
	return outcome(syscall(SYS_perf_event_open, &pe, 0, -1, -1, 0));
}

static void
make_pidfd(void)
{
	if ((early_fd = (int)syscall(SYS_pidfd_open, getpid(), 0)) == -1)
		_exit(SETUP_FAILED);
}

static int
try_pidfd_getfd(void)
{
	return outcome(syscall(SYS_pidfd_getfd, early_fd, 0, 0));
}

static int
try_setresuid(void)
{
	return outcome(syscall(SYS_setresuid, 65534, 65534, 65534));
}

static int
try_ptrace_parent(void)
{
	return outcome(ptrace(PTRACE_ATTACH, parent, NULL, NULL));
}

static int
try_exec_mapping(void)
{
	void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? errno : 0;
}

static int
try_mprotect_exec(void)
{
	void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return 100;
	return outcome(mprotect(p, 4096, PROT_READ | PROT_EXEC));
}

/* ---- files, network, signals ---------------------------------------------- */

static int
try_truncate_outside(void)
{
	return outcome(truncate(outside, 0));
}

static int
try_write_outside(void)
{
	return outcome(open(outside, O_WRONLY | O_CLOEXEC));
}

static int
try_tcp_socket(void)
{
	return outcome(socket(AF_INET, SOCK_STREAM, 0));
}

static void
make_tcp_socket(void)
{
	if ((early_fd = socket(AF_INET, SOCK_STREAM, 0)) == -1)
		_exit(SETUP_FAILED);
}

static int
try_tcp_connect(void)
{
	struct sockaddr_in sin;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(tcp_port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return outcome(connect(early_fd, (struct sockaddr *)&sin,
	    sizeof(sin)));
}

static int
try_tcp_bind(void)
{
	struct sockaddr_in sin;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return outcome(bind(early_fd, (struct sockaddr *)&sin, sizeof(sin)));
}

/* The database's socket, a path. */
static void
path_addr(struct sockaddr_un *sun)
{
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	memcpy(sun->sun_path, unix_path, sizeof(unix_path));
}

static socklen_t
abstract_addr(struct sockaddr_un *sun)
{
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	snprintf(sun->sun_path + 1, sizeof(sun->sun_path) - 1,
	    "hd-test-sandbox-%d", (int)owner);
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 +
	    strlen(sun->sun_path + 1));
}

static int
try_abstract_unix(void)
{
	struct sockaddr_un sun;
	socklen_t len = abstract_addr(&sun);
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	if (fd == -1)
		return 100;
	return outcome(connect(fd, (struct sockaddr *)&sun, len));
}

static int
try_signal_parent(void)
{
	return outcome(kill(parent, 0));
}

/* ---- the escapes ---------------------------------------------------------- */

#define KILLED	(-1)

static const struct escape {
	const char	*what;
	enum layers	 layers;
	void		(*before)(void);
	int		(*attempt)(void);
	int		 want;		/* KILLED, or the errno */
} escapes[] = {
	/* Running another program, in any way. */
	{ "execve /bin/true", ALL, NULL, try_execve, KILLED },
	{ "memfd_create", ALL, NULL, try_memfd_create, ENOSYS },
	{ "execveat of a memfd made before", ALL, make_memfd,
	    try_execveat_memfd, KILLED },
	/* Another architecture's calls, even a harmless one. */
	{ "i386 execve", ALL, NULL, try_i386_execve, KILLED },
	{ "i386 execveat of a memfd", ALL, make_memfd,
	    try_i386_execveat_memfd, KILLED },
	{ "i386 getpid", ALL, NULL, try_i386_getpid, KILLED },
	{ "x32 getpid", ALL, NULL, try_x32_getpid, KILLED },
	/* Namespaces. clone3's flags cannot be checked: it is "missing",
	 * and glibc falls back to clone. */
	{ "clone CLONE_NEWUSER", ALL, NULL, try_clone_newuser, KILLED },
	{ "clone3 CLONE_NEWUSER", ALL, NULL, try_clone3_newuser, ENOSYS },
	{ "unshare CLONE_NEWUSER", ALL, NULL, try_unshare, KILLED },
	/* The kernel's large surfaces, identity, other processes. */
	{ "io_uring_setup", ALL, NULL, try_io_uring, KILLED },
	{ "userfaultfd", ALL, NULL, try_userfaultfd, KILLED },
	{ "keyctl", ALL, NULL, try_keyctl, KILLED },
	{ "perf_event_open", ALL, NULL, try_perf_event_open, KILLED },
	{ "pidfd_getfd", ALL, make_pidfd, try_pidfd_getfd, KILLED },
	{ "setresuid", ALL, NULL, try_setresuid, KILLED },
#if defined(__SANITIZE_ADDRESS__)
	/* The leak checker needs ptrace; Landlock keeps it to the worker. */
	{ "ptrace the parent", ALL, NULL, try_ptrace_parent, EPERM },
#else
	{ "ptrace the parent", ALL, NULL, try_ptrace_parent, KILLED },
#endif
	{ "an executable mapping", ALL, NULL, try_exec_mapping, EPERM },
	{ "mprotect to executable", ALL, NULL, try_mprotect_exec, EPERM },
	/* Files outside the templates and TMPDIR: truncate() is no call of
	 * a worker's, and Landlock refuses it too. */
	{ "truncate outside", ALL, NULL, try_truncate_outside, ENOSYS },
	{ "truncate outside (Landlock)", LANDLOCK, NULL, try_truncate_outside,
	    EACCES },
	{ "write outside", ALL, NULL, try_write_outside, EACCES },
	/* TCP, even with a socket made before confinement. */
	{ "TCP socket", ALL, NULL, try_tcp_socket, EPERM },
	{ "TCP connect", ALL, make_tcp_socket, try_tcp_connect, EACCES },
	{ "TCP connect (Landlock)", LANDLOCK, make_tcp_socket,
	    try_tcp_connect, EACCES },
	{ "TCP bind (Landlock)", LANDLOCK, make_tcp_socket, try_tcp_bind,
	    EACCES },
	/* Nothing beyond the worker itself. */
	{ "abstract unix socket", ALL, NULL, try_abstract_unix, EPERM },
	{ "abstract unix socket (Landlock)", LANDLOCK, NULL, try_abstract_unix,
	    EPERM },
	{ "signal the parent", ALL, NULL, try_signal_parent, EPERM },
	{ "signal the parent (Landlock)", LANDLOCK, NULL, try_signal_parent,
	    EPERM },
};

/* What happened to a child that made an attempt, as text. */
static const char *
describe(int st, char *b, size_t len)
{
	if (WIFSIGNALED(st))
		snprintf(b, len, "killed by signal %d", WTERMSIG(st));
	else if (WEXITSTATUS(st) == 0)
		snprintf(b, len, "the attempt worked");
	else if (WEXITSTATUS(st) == SETUP_FAILED)
		snprintf(b, len, "could not set up or confine the child");
	else
		snprintf(b, len, "refused with %s", strerror(WEXITSTATUS(st)));
	return b;
}

/* Every escape is tried and every failure reported, then the test fails. */
static void
test_escapes(void **state)
{
	const struct escape *e;
	char got[128];
	size_t i;
	int abi, st, ok, failed = 0;

	(void)state;
	abi = (int)syscall(SYS_landlock_create_ruleset, NULL, 0,
	    LANDLOCK_CREATE_RULESET_VERSION);
	if (abi < 6)
		fail_msg("this kernel's Landlock ABI is %d; the test needs 6 "
		    "(Linux 6.12)", abi);
	for (i = 0; i < nitems(escapes); i++) {
		e = &escapes[i];
		st = run(e->layers, e->before, e->attempt);
		if (e->want == KILLED)
			ok = WIFSIGNALED(st) && WTERMSIG(st) == SIGSYS;
		else
			ok = WIFEXITED(st) && WEXITSTATUS(st) == e->want;
		if (ok)
			continue;
		print_error("%s: %s, wanted %s\n", e->what,
		    describe(st, got, sizeof(got)), e->want == KILLED ?
		    "killed by SIGSYS" : strerror(e->want));
		failed++;
	}
	assert_int_equal(failed, 0);
}

/* ---- a database over TCP (db_host) ---------------------------------------- */

/* A new IPv4 socket to port, as libmariadb makes when it connects again. */
static int
connect_new(uint16_t port)
{
	struct sockaddr_in sin;
	int fd;

	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) == -1)
		return errno;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return outcome(connect(fd, (struct sockaddr *)&sin, sizeof(sin)));
}

static int
try_db_port(void)
{
	return connect_new(tcp_port);
}

/* Any other port: refused before it is tried (EACCES, not ECONNREFUSED). */
static int
try_other_port(void)
{
	return connect_new((uint16_t)(tcp_port == 65535 ? 1 : tcp_port + 1));
}

/*
 * With db_host set, a confined worker may make IPv4 sockets and connect
 * to db_port again (the database restarted), and nowhere else, nor bind.
 */
static void
test_database_over_tcp(void **state)
{
	int st;

	(void)state;
	cfg.db_host = "127.0.0.1";
	cfg.db_port = tcp_port;
	st = run(ALL, NULL, try_db_port);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
	st = run(ALL, NULL, try_other_port);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), EACCES);
	/* bind is no call of a worker's (seccomp: ENOSYS); Landlock alone
	 * refuses it too. */
	st = run(ALL, make_tcp_socket, try_tcp_bind);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), ENOSYS);
	st = run(LANDLOCK, make_tcp_socket, try_tcp_bind);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), EACCES);
	cfg.db_host = NULL;
}

/* ---- what a worker does still works --------------------------------------- */

static void *
thread_main(void *arg)
{
	return arg;
}

/* Each step's failure is its own exit code (100 + step). */
static int
do_worker_things(void)
{
	char path[300], b[64], *big;
	struct sockaddr_un sun;
	struct timespec ts = { 0, 1000000 };
	pthread_t th;
	void *back;
	int fd;

	snprintf(path, sizeof(path), "%s/page.html", templates);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1 ||
	    read(fd, b, sizeof(b)) != 4 || close(fd) == -1)
		return 101;
	/* The upload spool, both ways request.c makes it. */
	if ((fd = open(spool, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600)) == -1 ||
	    write(fd, "data", 4) != 4 || pread(fd, b, 4, 0) != 4 ||
	    close(fd) == -1)
		return 102;
	snprintf(path, sizeof(path), "%s/up.XXXXXX", spool);
	if ((fd = mkstemp(path)) == -1 || unlink(path) == -1 || close(fd))
		return 103;
	/* The database socket. */
	path_addr(&sun);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1 ||
	    connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1 ||
	    close(fd) == -1)
		return 104;
	if (getrandom(b, sizeof(b), 0) != (ssize_t)sizeof(b))
		return 105;
	/* Large blocks: mmap, mremap, munmap. */
	if ((big = malloc(1 << 20)) == NULL ||
	    (big = realloc(big, 8 << 20)) == NULL)
		return 106;
	memset(big, 1, 8 << 20);
	free(big);
	if (nanosleep(&ts, NULL) == -1 || time(NULL) == (time_t)-1 ||
	    clock_gettime(CLOCK_REALTIME, &ts) == -1)
		return 107;
	/* argon2 with argon2_p > 1 runs threads. */
	if (pthread_create(&th, NULL, thread_main, b) != 0 ||
	    pthread_join(th, &back) != 0 || back != b)
		return 108;
	(void)isatty(0);
	if (kill(getpid(), 0) == -1)
		return 109;
	return 0;
}

static void
test_worker_things_work(void **state)
{
	int st;

	(void)state;
	st = run(ALL, NULL, do_worker_things);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
}

/* ---- database nodes over TCP (db_hosts) ----------------------------------- */

static uint16_t other_port;

/* Any other port, though something listens there: refused. */
static int
try_unlisted_port(void)
{
	return connect_new(other_port);
}

static void
test_db_hosts(void **state)
{
	char hosts[64];
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	int other, st;

	(void)state;
	/* A second listener, whose port db_hosts does not name. */
	other = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_not_equal(other, -1);
	assert_int_equal(bind(other, (struct sockaddr *)&sin, len), 0);
	assert_int_equal(listen(other, 4), 0);
	assert_int_equal(getsockname(other, (struct sockaddr *)&sin, &len), 0);
	other_port = ntohs(sin.sin_port);
	snprintf(hosts, sizeof(hosts), "127.0.0.1:%u", (unsigned)tcp_port);
	cfg.db_hosts = hosts;
	st = run(ALL, NULL, try_db_port);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
	st = run(ALL, NULL, try_unlisted_port);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), EACCES);
	cfg.db_hosts = NULL;
	close(other);
}

/* ---- fixtures ------------------------------------------------------------ */

static int
listen_unix(struct sockaddr_un *sun, socklen_t len)
{
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd == -1 || bind(fd, (struct sockaddr *)sun, len) == -1 ||
	    listen(fd, 16) == -1)
		return -1;
	return fd;
}

static int
listen_tcp(void)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd == -1 || bind(fd, (struct sockaddr *)&sin, len) == -1 ||
	    listen(fd, 16) == -1 ||
	    getsockname(fd, (struct sockaddr *)&sin, &len) == -1)
		return -1;
	tcp_port = ntohs(sin.sin_port);
	return fd;
}

static int
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (f == NULL)
		return -1;
	fputs(text, f);
	return fclose(f);
}

static int
setup(void **state)
{
	struct sockaddr_un sun;
	char page[300];

	(void)state;
	if (mkdtemp(base) == NULL)
		return -1;
	snprintf(templates, sizeof(templates), "%s/html", base);
	snprintf(spool, sizeof(spool), "%s/tmp", base);
	snprintf(outside, sizeof(outside), "%s/outside.txt", base);
	snprintf(unix_path, sizeof(unix_path), "%s/db.sock", base);
	snprintf(page, sizeof(page), "%s/page.html", templates);
	if (mkdir(templates, 0700) == -1 || mkdir(spool, 0700) == -1 ||
	    write_file(page, "page") == -1 ||
	    write_file(outside, "keep me") == -1)
		return -1;
	/* The worker's settings: config.c's templates, the spool in TMPDIR. */
	cfg.templates = templates;
	setenv("TMPDIR", spool, 1);
	path_addr(&sun);
	if ((unix_listener = listen_unix(&sun, sizeof(sun))) == -1)
		return -1;
	owner = getpid();
	if ((abstract_listener = listen_unix(&sun, abstract_addr(&sun))) == -1)
		return -1;
	if ((tcp_listener = listen_tcp()) == -1)
		return -1;
	return 0;
}

static int
rm(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int
teardown(void **state)
{
	(void)state;
	close(unix_listener);
	close(abstract_listener);
	close(tcp_listener);
	nftw(base, rm, 16, FTW_DEPTH | FTW_PHYS);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_worker_things_work),
		cmocka_unit_test(test_escapes),
		cmocka_unit_test(test_database_over_tcp),
		cmocka_unit_test(test_db_hosts),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
