/* sandbox.c — the seccomp filter a reader worker enters once its engine is
 * loaded. From then on it decodes untrusted images and runs recognition,
 * which needs memory, its socket, the clock, threads (libde265 decodes HEIC
 * with a few) and exit — nothing else. Everything outside the allow-list
 * fails with EPERM: opening any file (the master key, tenant databases),
 * sockets and connections, exec, ptrace, signals to other processes,
 * namespaces, io_uring, module and mount calls. EPERM rather than a kill so
 * that a library probing something optional (a locale file, a cache) fails
 * softly; what matters is that it cannot succeed. A process the worker forks
 * inherits the filter. */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "core/error.h"
#include "receipt/reader.h"

#if defined(__x86_64__)
#define SANDBOX_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define SANDBOX_ARCH AUDIT_ARCH_AARCH64
#endif

#ifdef SANDBOX_ARCH
/* Allowed whatever their arguments. */
static const int allowed[] = {
	__NR_read, __NR_write, __NR_readv, __NR_writev, __NR_sendto, __NR_recvfrom, __NR_close, __NR_fstat,
	__NR_newfstatat, __NR_lseek, __NR_mmap, __NR_munmap, __NR_mremap, __NR_mprotect, __NR_madvise, __NR_brk,
	__NR_futex, __NR_clock_gettime, __NR_clock_getres, __NR_gettimeofday, __NR_clock_nanosleep,
	__NR_nanosleep, __NR_getrusage, __NR_getrlimit, __NR_setrlimit, __NR_prlimit64, __NR_getpid, __NR_gettid,
	__NR_getppid, __NR_rt_sigaction, __NR_rt_sigprocmask, __NR_rt_sigreturn, __NR_sigaltstack, __NR_exit,
	__NR_exit_group, __NR_clone, __NR_clone3, __NR_set_robust_list, __NR_rseq, __NR_sched_yield,
	__NR_sched_getaffinity, __NR_getrandom, __NR_restart_syscall, __NR_membarrier,
#ifdef __NR_poll
	__NR_poll,
#endif
	__NR_ppoll,
};
#endif

int recam_reader_sandbox_enter(void)
{
#ifndef SANDBOX_ARCH
	return RECAM_EINTERNAL; /* no filter for this architecture: say so, the caller logs it */
#else
	enum { N = sizeof(allowed) / sizeof(allowed[0]) };
	_Static_assert(2 * N + 5 < 256, "BPF jumps are 8-bit");
	const pid_t self = getpid();
	/* 5 (arch, nr, x32) + 2 per allowed call + 6 (tgkill/tkill to itself only; EPERM) */
	struct sock_filter f[5 + 2 * N + 6];
	size_t k = 0;
	f[k++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch));
	f[k++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SANDBOX_ARCH, 1, 0);
	f[k++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS);
	f[k++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr));
	/* x32 calls come with the x86-64 arch and bit 30 set: none allowed */
	size_t x32 = k;
	f[k++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 0x40000000u, 0, 0); /* jt set below */
	for (size_t i = 0; i < N; i++) {
		f[k++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned)allowed[i], 0, 1);
		f[k++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	}
	/* abort() and raise() signal the process itself: tgkill(self, ...), tkill */
	f[k++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_tgkill, 1, 0);
	f[k++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_tkill, 0, 3);
	f[k++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[0]));
	f[k++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned)self, 0, 1);
	f[k++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	f[x32].jt = (unsigned char)(k - x32 - 1);
	f[k++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (EPERM & SECCOMP_RET_DATA));
	struct sock_fprog prog = {.len = (unsigned short)k, .filter = f};
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 || prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) != 0)
		return RECAM_EINTERNAL;
	return 0;
#endif
}
