/*
 * seccomp: the system calls a confined worker may make, as one table.
 *
 * An allow-list, measured: `strace -f` on every program across the
 * integration, browser and fault suites (uploads, downloads, the database
 * stopped and restarted, a worker killed, SIGTERM), with margin for the
 * rare paths of the same libraries (realloc's mremap, abort's tgkill,
 * threads argon2 may start). A call outside the list fails with ENOSYS,
 * as on a kernel that lacks it, so libc falls back where it can. The
 * calls that only an attacker makes kill the process instead: the
 * supervisor logs the signal (SIGSYS) and starts a fresh worker.
 *
 * A call from another architecture (i386 through `int $0x80`, or x32)
 * kills the process: the table holds x86_64 numbers only. On other
 * architectures there is no filter yet (see sandbox.h).
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>

#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/sched.h>
#include <linux/seccomp.h>

#include "config.h"
#include "log.h"
#include "sandbox.h"
#include "util.h"

#if defined(__x86_64__)

enum verdict {
	ALLOW,
	NOSYS,		/* refused as if the kernel lacked it */
	KILL,		/* no worker has a reason: kill the process */
	A_SOCKET,	/* allowed for some arguments (argument_check) */
	A_CLONE,
	A_NOEXEC,
	A_IOCTL,
	A_SELF,
};

static const struct rule {
	int		nr;
	enum verdict	v;
} rules[] = {
	/* Serving: the FastCGI and database sockets, the request's bytes
	 * (the hottest calls first: the filter is read top to bottom). */
	{ SYS_read, ALLOW },
	{ SYS_recvfrom, ALLOW },
	{ SYS_write, ALLOW },
	{ SYS_sendto, ALLOW },
	{ SYS_poll, ALLOW },
	{ SYS_accept, ALLOW },
	{ SYS_shutdown, ALLOW },
	{ SYS_close, ALLOW },
	{ SYS_getpid, ALLOW },
	{ SYS_readv, ALLOW },
	{ SYS_writev, ALLOW },
	{ SYS_recvmsg, ALLOW },
	{ SYS_sendmsg, ALLOW },
	{ SYS_ppoll, ALLOW },
	{ SYS_select, ALLOW },
	{ SYS_pselect6, ALLOW },
	{ SYS_accept4, ALLOW },
	/* The database connection (made again after MariaDB restarts):
	 * unix sockets only, the database's is the only one we reach. */
	{ SYS_socket, A_SOCKET },
	{ SYS_connect, ALLOW },
	{ SYS_setsockopt, ALLOW },
	{ SYS_getsockopt, ALLOW },
	{ SYS_getsockname, ALLOW },
	{ SYS_getpeername, ALLOW },
	{ SYS_fcntl, ALLOW },
	/* isatty() and FIONREAD; nothing that pushes input into a tty. */
	{ SYS_ioctl, A_IOCTL },
	/* Files: templates read on first use, upload spool files in TMPDIR
	 * (O_TMPFILE, else mkstemp and unlink). Landlock says where. */
	{ SYS_openat, ALLOW },
	{ SYS_newfstatat, ALLOW },
	{ SYS_fstat, ALLOW },
	{ SYS_lseek, ALLOW },
	{ SYS_pread64, ALLOW },
	{ SYS_pwrite64, ALLOW },
	{ SYS_unlink, ALLOW },
	{ SYS_unlinkat, ALLOW },
	/* Memory: malloc, free's trimming (madvise), realloc of mapped
	 * blocks (mremap). No new executable memory. */
	{ SYS_mmap, A_NOEXEC },
	{ SYS_mprotect, A_NOEXEC },
	{ SYS_munmap, ALLOW },
	{ SYS_mremap, ALLOW },
	{ SYS_madvise, ALLOW },
	{ SYS_brk, ALLOW },
	/* Time, waiting, randomness. */
	{ SYS_clock_gettime, ALLOW },
	{ SYS_clock_getres, ALLOW },
	{ SYS_gettimeofday, ALLOW },
	{ SYS_time, ALLOW },
	{ SYS_clock_nanosleep, ALLOW },
	{ SYS_nanosleep, ALLOW },
	{ SYS_getrandom, ALLOW },
	{ SYS_futex, ALLOW },
	{ SYS_sysinfo, ALLOW },		/* qsort sizes its buffer */
	{ SYS_sched_yield, ALLOW },
	{ SYS_sched_getaffinity, ALLOW },
	/* Signals (SIGTERM, SIGPIPE ignored, abort) and leaving. */
	{ SYS_rt_sigaction, ALLOW },
	{ SYS_rt_sigprocmask, ALLOW },
	{ SYS_rt_sigreturn, ALLOW },
	{ SYS_restart_syscall, ALLOW },
	{ SYS_sigaltstack, ALLOW },
	{ SYS_kill, A_SELF },
	{ SYS_tgkill, A_SELF },
	{ SYS_gettid, ALLOW },
	{ SYS_exit, ALLOW },
	{ SYS_exit_group, ALLOW },
	/* Threads (argon2 with argon2_p > 1): clone without namespaces;
	 * clone3's flags sit in memory a filter cannot read, so it is
	 * "missing" and glibc falls back to clone. */
	{ SYS_clone, A_CLONE },
	{ SYS_clone3, NOSYS },
	{ SYS_set_robust_list, ALLOW },
	{ SYS_rseq, ALLOW },
	/* Harmless reads of who and where we are. */
	{ SYS_getuid, ALLOW },
	{ SYS_geteuid, ALLOW },
	{ SYS_getgid, ALLOW },
	{ SYS_getegid, ALLOW },
	{ SYS_uname, ALLOW },
#if defined(__SANITIZE_ADDRESS__)
	/* The leak checker, at exit: a helper task (clone) that stops and
	 * reads this process's threads (ptrace; Landlock keeps it to our
	 * own), listing them from /proc (getdents64). */
	{ SYS_ptrace, ALLOW },
	{ SYS_prctl, ALLOW },
	{ SYS_wait4, ALLOW },
	{ SYS_getppid, ALLOW },
	{ SYS_getdents64, ALLOW },
	{ SYS_getdents, ALLOW },
	{ SYS_open, ALLOW },		/* its own, not libc's: no openat */
	{ SYS_readlink, ALLOW },
#else
	{ SYS_ptrace, KILL },
#endif
	/* Running another program, in any way. */
	{ SYS_execve, KILL },
	{ SYS_execveat, KILL },
	/* Reaching into other processes. */
	{ SYS_process_vm_readv, KILL },
	{ SYS_process_vm_writev, KILL },
	{ SYS_process_madvise, KILL },
	{ SYS_pidfd_getfd, KILL },
	{ SYS_kcmp, KILL },
	/* Namespaces, mounts, a new root. */
	{ SYS_unshare, KILL },
	{ SYS_setns, KILL },
	{ SYS_mount, KILL },
	{ SYS_umount2, KILL },
	{ SYS_pivot_root, KILL },
	{ SYS_chroot, KILL },
	{ SYS_open_tree, KILL },
	{ SYS_move_mount, KILL },
	{ SYS_fsopen, KILL },
	{ SYS_fsconfig, KILL },
	{ SYS_fsmount, KILL },
	{ SYS_fspick, KILL },
	{ SYS_mount_setattr, KILL },
	{ SYS_open_by_handle_at, KILL },
	/* The kernel's large attack surfaces. */
	{ SYS_bpf, KILL },
	{ SYS_io_uring_setup, KILL },
	{ SYS_io_uring_enter, KILL },
	{ SYS_io_uring_register, KILL },
	{ SYS_userfaultfd, KILL },
	{ SYS_perf_event_open, KILL },
	{ SYS_keyctl, KILL },
	{ SYS_add_key, KILL },
	{ SYS_request_key, KILL },
	{ SYS_personality, KILL },
	/* Identity and capabilities. */
	{ SYS_setuid, KILL },
	{ SYS_setgid, KILL },
	{ SYS_setreuid, KILL },
	{ SYS_setregid, KILL },
	{ SYS_setresuid, KILL },
	{ SYS_setresgid, KILL },
	{ SYS_setfsuid, KILL },
	{ SYS_setfsgid, KILL },
	{ SYS_setgroups, KILL },
	{ SYS_capset, KILL },
	/* The machine itself. */
	{ SYS_init_module, KILL },
	{ SYS_finit_module, KILL },
	{ SYS_delete_module, KILL },
	{ SYS_kexec_load, KILL },
	{ SYS_kexec_file_load, KILL },
	{ SYS_reboot, KILL },
	{ SYS_swapon, KILL },
	{ SYS_swapoff, KILL },
	{ SYS_acct, KILL },
	{ SYS_iopl, KILL },
	{ SYS_ioperm, KILL },
	{ SYS_settimeofday, KILL },
	{ SYS_clock_settime, KILL },
	{ SYS_clock_adjtime, KILL },
	{ SYS_adjtimex, KILL },
	{ SYS_sethostname, KILL },
	{ SYS_setdomainname, KILL },
	{ SYS_syslog, KILL },
};

/* Namespace flags of clone(); CLONE_NEWTIME exists only for clone3. */
#define CLONE_NS	(CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | \
			 CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID | \
			 CLONE_NEWNET)

#define MAX_INSNS	512

#define R_ALLOW		SECCOMP_RET_ALLOW
#define R_KILL		SECCOMP_RET_KILL_PROCESS
#define R_NOSYS		(SECCOMP_RET_ERRNO | ENOSYS)
#define R_EPERM		(SECCOMP_RET_ERRNO | EPERM)

/*
 * To measure again (a new library, libc or compiler): build with
 * CFLAGS='-O2 -g -DHD_SECCOMP_MEASURE', run the suites, and read the
 * calls the list lacks in the kernel log (`dmesg | grep type=1326`).
 */
#if defined(HD_SECCOMP_MEASURE)
#define R_OTHER		SECCOMP_RET_LOG
#else
#define R_OTHER		R_NOSYS
#endif

struct prog {
	struct sock_filter	f[MAX_INSNS];
	size_t			n;
	int			full;
};

static void
emit(struct prog *p, uint16_t code, uint32_t k, uint8_t jt, uint8_t jf)
{
	struct sock_filter s = { code, jt, jf, k };

	if (p->n == MAX_INSNS) {
		p->full = 1;
		return;
	}
	p->f[p->n++] = s;
}

static void
jump(struct prog *p, uint16_t op, uint32_t k, uint8_t jt, uint8_t jf)
{
	emit(p, BPF_JMP | op | BPF_K, k, jt, jf);
}

static void
ret(struct prog *p, uint32_t v)
{
	emit(p, BPF_RET | BPF_K, v, 0, 0);
}

static void
load(struct prog *p, uint32_t offset)
{
	emit(p, BPF_LD | BPF_W | BPF_ABS, offset, 0, 0);
}

/* The low 32 bits of argument i (x86_64 is little-endian). */
static void
arg(struct prog *p, int i)
{
	load(p, (uint32_t)offsetof(struct seccomp_data, args[i]));
}

/*
 * The instructions after a call's number matched; each path ends in a
 * RET. Arguments are read as their low 32 bits: each checked argument is
 * an int or flags that fit in them.
 */
static void
verdict(struct prog *p, enum verdict v)
{
	switch (v) {
	case ALLOW:
		ret(p, R_ALLOW);
		break;
	case NOSYS:
		ret(p, R_NOSYS);
		break;
	case KILL:
		ret(p, R_KILL);
		break;
	case A_SOCKET:	/* socket(domain, ...) */
		arg(p, 0);
		/* TCP only for a database over TCP (db_host, or the nodes
		 * of db_hosts), connected to again after it restarts;
		 * Landlock says which ports. */
		if ((cfg.db_host != NULL && *cfg.db_host != '\0') ||
		    (cfg.db_hosts != NULL && *cfg.db_hosts != '\0')) {
			jump(p, BPF_JEQ, AF_INET, 2, 0);
			jump(p, BPF_JEQ, AF_INET6, 1, 0);
		}
		jump(p, BPF_JEQ, AF_UNIX, 0, 1);
		ret(p, R_ALLOW);
		ret(p, R_EPERM);
		break;
	case A_CLONE:	/* clone(flags, ...): never a new namespace */
		arg(p, 0);
		jump(p, BPF_JSET, CLONE_NS, 0, 1);
		ret(p, R_KILL);
		ret(p, R_ALLOW);
		break;
	case A_NOEXEC:	/* mmap and mprotect(addr, len, prot, ...) */
		arg(p, 2);
		jump(p, BPF_JSET, PROT_EXEC, 0, 1);
		ret(p, R_EPERM);
		ret(p, R_ALLOW);
		break;
	case A_IOCTL:	/* ioctl(fd, request, ...) */
		arg(p, 1);
		jump(p, BPF_JEQ, TCGETS, 1, 0);
		jump(p, BPF_JEQ, FIONREAD, 0, 1);
		ret(p, R_ALLOW);
		ret(p, R_EPERM);
		break;
	case A_SELF:	/* kill and tgkill(pid, ...): this process only */
		arg(p, 0);
		jump(p, BPF_JEQ, (uint32_t)getpid(), 0, 1);
		ret(p, R_ALLOW);
		ret(p, R_EPERM);
		break;
	}
}

static void
build(struct prog *p)
{
	size_t i, at;

	/* Another architecture's numbers mean other calls: refuse them all,
	 * before the number is even looked at. */
	load(p, offsetof(struct seccomp_data, arch));
	jump(p, BPF_JEQ, AUDIT_ARCH_X86_64, 1, 0);
	ret(p, R_KILL);
	load(p, offsetof(struct seccomp_data, nr));
	/* x32 calls are x86_64's numbers with this bit. */
	jump(p, BPF_JGE, __X32_SYSCALL_BIT, 0, 1);
	ret(p, R_KILL);
	for (i = 0; i < nitems(rules); i++) {
		at = p->n;
		jump(p, BPF_JEQ, (uint32_t)rules[i].nr, 0, 0);
		verdict(p, rules[i].v);
		/* A mismatch skips this call's instructions (at most 7). */
		if (!p->full)
			p->f[at].jf = (uint8_t)(p->n - at - 1);
	}
	ret(p, R_OTHER);
}

int
seccomp_confine(void)
{
	static struct prog p;
	struct sock_fprog fp;

	memset(&p, 0, sizeof(p));
	build(&p);
	if (p.full) {
		errno = E2BIG;
		return -1;
	}
	fp.len = (unsigned short)p.n;
	fp.filter = p.f;
	return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &fp);
}

#else /* !__x86_64__ */

int
seccomp_confine(void)
{
	log_info("sandbox: no system call allow-list for this architecture "
	    "yet; Landlock and no_new_privs only");
	return 0;
}

#endif
