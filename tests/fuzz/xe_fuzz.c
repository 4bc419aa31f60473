// SPDX-License-Identifier: GPL-2.0-only
/*
 * xe_fuzz: a structure-aware fuzzer of the xe uAPI and of the DRM core
 * ioctls an xe client uses (GEM, PRIME, syncobjs, GET_CAP, VERSION).
 *
 * Each worker process keeps pools of live objects: file descriptors (one
 * shared by every worker, its own primary and render nodes, the second
 * device, extra ones opened and closed at random), buffer objects, VMs of
 * every kind (plain, scratch-page, long-running, fault-mode), exec and
 * bind queues, syncobjs, CPU mappings of BOs, exported dma-bufs and sync
 * files, and user memory for userptr binds (an mmap'd arena with guard
 * pages, a few malloc'd buffers, read-only pages, BO mappings).  Every call
 * is built from valid values taken from those pools, then one or a few
 * fields are mutated to boundary values, pointers are replaced by NULL,
 * unmapped, read-only, kernel, non-canonical, misaligned or page-straddling
 * ones, and `extensions` fields get chains with loops, bad names and bad
 * links.
 *
 * Deep paths: each thread owns a "lane", a VM with a batch BO and a
 * userptr bound in it and an exec queue, on which it runs real batches
 * (MI_STORE_DATA_IMM, MI_BATCH_BUFFER_END) with syncobj, timeline and user
 * fence syncs and checks what the GPU wrote; it rebinds the lane's live
 * mappings with vectors of interacting ops (map a userptr then unmap it,
 * split a mapping and restore it, UNMAP_ALL and map again), and now and
 * then runs a batch that never ends so that the job times out.
 *
 * Shared virtual memory: a fault-mode lane mirrors part of the process's
 * address space (CPU_ADDR_MIRROR binds of all of it, of a window around
 * some memory, read-only now and then) and runs batches that live in, and
 * store to, plain mmap'd and malloc'd memory, their user fence in mmap'd
 * memory too.  A batch must either complete with every store read back
 * right, or get its queue banned; wrong data from a completed batch fails
 * the run unless the CPU changed that memory meanwhile (each thread's SVM
 * memory has a sequence count the churning thread bumps around every
 * change) or another thread's call may have changed the mappings the batch
 * used (such calls are logged), and so does a store through a read-only
 * mirror that worked.  The lane also unbinds parts of its mirror (-EBUSY
 * while the GPU maps memory there), prefetches it, and makes mirror binds
 * the uAPI forbids, which must fail.
 *
 * Chaos: several worker processes with several threads each; one more
 * thread per process replaces, protects and discards pages of the userptr
 * arena under the binds, and unmaps, moves (mremap), protects, discards
 * and maps again the SVM memory under the batches, and forks now and then;
 * fds are closed while other threads use them; the
 * supervisor SIGKILLs workers, preferably while they are inside an ioctl,
 * reaps them and starts new ones.
 *
 * Bounds: --seconds and --calls; every blocking call is interrupted by a
 * per-thread timer signal if it outlives its budget, every wait has a
 * timeout and every loop a bound.  The supervisor reports, as kselftest
 * TAP, calls per ioctl, calls per second, the errno histogram of each
 * ioctl and the deep paths reached, and fails when a worker died of a
 * signal it did not send or a call returned an errno that no xe or DRM
 * ioctl documents.  Kernel reports are found in the kernel log by the test
 * runner.
 *
 * Reproducing: the same --seed gives every thread the same sequence of
 * decisions; the interleaving of threads and processes still varies, so
 * --procs 1 --threads 1 --seed N reproduces most closely.
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "xe_ioctl.h"

#ifndef sigev_notify_thread_id
#define sigev_notify_thread_id _sigev_un._tid
#endif

#define DEFAULT_SEED		0x5eed0001ull
#define DEFAULT_SECONDS		60
#define DEFAULT_PROCS		3
#define DEFAULT_THREADS		3
#define DEFAULT_JOB_TIMEOUT_MS	1500
#define MAX_PROCS		16
#define MAX_THREADS		16

#define NSEC_PER_MSEC		1000000ll
#define NSEC_PER_SEC		1000000000ll

/* --- options -------------------------------------------------------------- */

struct options {
	uint64_t seed;
	bool seed_random;
	unsigned int seconds;
	uint64_t calls;		/* 0: no bound */
	unsigned int procs;
	unsigned int threads;
	int job_timeout_ms;	/* written to the module parameter; 0: left alone */
	bool no_kill;		/* the supervisor kills nobody */
	bool trace;		/* every call on stderr */
	bool core_counts;	/* huge syncobj array counts, see clamp_count() */
};

static struct options opt = {
	.seed = DEFAULT_SEED,
	.seconds = DEFAULT_SECONDS,
	.procs = DEFAULT_PROCS,
	.threads = DEFAULT_THREADS,
	.job_timeout_ms = DEFAULT_JOB_TIMEOUT_MS,
};

/* --- random numbers ------------------------------------------------------- */

struct rng {
	uint64_t s;
};

/* splitmix64: tiny, fast, and any seed (zero included) is fine. */
static uint64_t rnd64(struct rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* Uniform in [0, n); 0 when n is 0. */
static uint32_t rnd(struct rng *r, uint32_t n)
{
	return (uint32_t)(((rnd64(r) >> 32) * n) >> 32);
}

static bool chance(struct rng *r, unsigned int pct)
{
	return rnd(r, 100) < pct;
}

static uint64_t mix_seed(uint64_t seed, uint64_t a, uint64_t b)
{
	struct rng r = { .s = seed ^ (a * 0xd1b54a32d192ed03ull) ^ (b * 0x8cb92ba72f3d8dd7ull) };

	return rnd64(&r);
}

/* --- ioctls and the shared statistics ------------------------------------ */

enum ioc {
	IOC_XE_DEVICE_QUERY,
	IOC_XE_GEM_CREATE,
	IOC_XE_GEM_MMAP_OFFSET,
	IOC_XE_VM_CREATE,
	IOC_XE_VM_DESTROY,
	IOC_XE_VM_BIND,
	IOC_XE_EXEC_QUEUE_CREATE,
	IOC_XE_EXEC_QUEUE_DESTROY,
	IOC_XE_EXEC_QUEUE_GET_PROPERTY,
	IOC_XE_EXEC,
	IOC_XE_WAIT_USER_FENCE,
	IOC_XE_UNDEFINED,	/* undefined driver numbers, wrong sizes */
	IOC_VERSION,
	IOC_GET_CAP,
	IOC_GEM_CLOSE,
	IOC_PRIME_HANDLE_TO_FD,
	IOC_PRIME_FD_TO_HANDLE,
	IOC_SYNCOBJ_CREATE,
	IOC_SYNCOBJ_DESTROY,
	IOC_SYNCOBJ_WAIT,
	IOC_SYNCOBJ_TIMELINE_WAIT,
	IOC_SYNCOBJ_SIGNAL,
	IOC_SYNCOBJ_TIMELINE_SIGNAL,
	IOC_SYNCOBJ_RESET,
	IOC_SYNCOBJ_QUERY,
	IOC_SYNCOBJ_TRANSFER,
	IOC_SYNCOBJ_HANDLE_TO_FD,
	IOC_SYNCOBJ_FD_TO_HANDLE,
	IOC_SYNCOBJ_EVENTFD,
	IOC_NR
};

static const char *const ioc_name[IOC_NR] = {
	[IOC_XE_DEVICE_QUERY] = "XE_DEVICE_QUERY",
	[IOC_XE_GEM_CREATE] = "XE_GEM_CREATE",
	[IOC_XE_GEM_MMAP_OFFSET] = "XE_GEM_MMAP_OFFSET",
	[IOC_XE_VM_CREATE] = "XE_VM_CREATE",
	[IOC_XE_VM_DESTROY] = "XE_VM_DESTROY",
	[IOC_XE_VM_BIND] = "XE_VM_BIND",
	[IOC_XE_EXEC_QUEUE_CREATE] = "XE_EXEC_QUEUE_CREATE",
	[IOC_XE_EXEC_QUEUE_DESTROY] = "XE_EXEC_QUEUE_DESTROY",
	[IOC_XE_EXEC_QUEUE_GET_PROPERTY] = "XE_EXEC_QUEUE_GET_PROPERTY",
	[IOC_XE_EXEC] = "XE_EXEC",
	[IOC_XE_WAIT_USER_FENCE] = "XE_WAIT_USER_FENCE",
	[IOC_XE_UNDEFINED] = "xe undefined/resized",
	[IOC_VERSION] = "VERSION",
	[IOC_GET_CAP] = "GET_CAP",
	[IOC_GEM_CLOSE] = "GEM_CLOSE",
	[IOC_PRIME_HANDLE_TO_FD] = "PRIME_HANDLE_TO_FD",
	[IOC_PRIME_FD_TO_HANDLE] = "PRIME_FD_TO_HANDLE",
	[IOC_SYNCOBJ_CREATE] = "SYNCOBJ_CREATE",
	[IOC_SYNCOBJ_DESTROY] = "SYNCOBJ_DESTROY",
	[IOC_SYNCOBJ_WAIT] = "SYNCOBJ_WAIT",
	[IOC_SYNCOBJ_TIMELINE_WAIT] = "SYNCOBJ_TIMELINE_WAIT",
	[IOC_SYNCOBJ_SIGNAL] = "SYNCOBJ_SIGNAL",
	[IOC_SYNCOBJ_TIMELINE_SIGNAL] = "SYNCOBJ_TIMELINE_SIGNAL",
	[IOC_SYNCOBJ_RESET] = "SYNCOBJ_RESET",
	[IOC_SYNCOBJ_QUERY] = "SYNCOBJ_QUERY",
	[IOC_SYNCOBJ_TRANSFER] = "SYNCOBJ_TRANSFER",
	[IOC_SYNCOBJ_HANDLE_TO_FD] = "SYNCOBJ_HANDLE_TO_FD",
	[IOC_SYNCOBJ_FD_TO_HANDLE] = "SYNCOBJ_FD_TO_HANDLE",
	[IOC_SYNCOBJ_EVENTFD] = "SYNCOBJ_EVENTFD",
};

/* Deep paths: counted when a call got past argument checking into the real work. */
enum path {
	PATH_EXEC_VERIFIED,	/* a lane batch ran and its stores were read back */
	PATH_EXEC_MISMATCH,	/* ... ran, but other threads had moved its memory */
	PATH_EXEC_LR,		/* lane batch completed in a long-running VM */
	PATH_EXEC_FAULT_MODE,	/* ... in a fault-mode VM */
	PATH_SYNC_TIMELINE,	/* a timeline point signalled by a job was waited for */
	PATH_UFENCE_SIGNALLED,	/* a user fence was written and waited for */
	PATH_BIND_VECTOR,	/* a vector bind of several ops succeeded */
	PATH_BIND_USERPTR_MAP_UNMAP, /* map userptr + unmap it in one vector succeeded */
	PATH_BIND_REMAP,	/* a mapping split by a bind over part of it */
	PATH_BIND_UNMAP_ALL,	/* UNMAP_ALL of a mapped BO */
	PATH_BIND_USERPTR,	/* userptr binds that succeeded */
	PATH_BIND_NULL_HUGE,	/* NULL binds of 1 GiB or more */
	PATH_BIND_UFENCE,	/* bind signalled a user fence */
	PATH_TIMELINE_ON_BINARY, /* timeline in-sync at a non-zero point on a binary syncobj */
	PATH_QUEUE_BANNED,	/* a lane queue got banned and was replaced */
	PATH_JOB_TIMEOUT,	/* a never-ending batch was submitted */
	PATH_QUEUE_PRIORITY,	/* a queue created with property extensions */
	PATH_PRIME_OTHER_DEVICE, /* a dma-buf imported on the other device */
	PATH_BO_MMAP_TOUCHED,	/* a BO mapping read and written by the CPU */
	PATH_CPU_FAULT,		/* a CPU touch of a mapping faulted (caught) */
	PATH_SVM_MIRROR,	/* a lane's VM mirrored (part of) the address space */
	PATH_SVM_MIRROR_BUSY,	/* a bind over a mirror refused: the GPU maps memory there */
	PATH_SVM_UNMIRROR,	/* part of a mirror unbound */
	PATH_SVM_SPLIT,		/* a BO or NULL mapping put inside a mirror */
	PATH_SVM_PREFETCH,	/* a PREFETCH over a mirror succeeded */
	PATH_SVM_REFUSED,	/* mirror binds the uAPI forbids, refused */
	PATH_SVM_VERIFIED,	/* a batch in CPU memory ran, its stores read back */
	PATH_SVM_VERIFIED_RO,	/* ... read from a read-only mirror, stores to a BO */
	PATH_SVM_CHANGED,	/* ... ran, but its memory or mirror changed meanwhile */
	PATH_SVM_BANNED_CHURN,	/* its queue banned; the CPU changed the memory meanwhile */
	PATH_SVM_BANNED_PREDICTED, /* ... banned: not mirrored, or stores to a read-only mirror */
	PATH_SVM_BANNED_FOREIGN, /* ... banned: mirror unknown, or others' calls on the lane */
	PATH_SVM_BANNED_OTHER,	/* ... banned, the cause not seen by the thread */
	PATH_SVM_UNPREDICTED,	/* ran although a ban was predicted (another bind?) */
	PATH_SVM_TIMEOUT,	/* banned by the job timeout, or not done when waited for */
	PATH_SVM_CHURN,		/* SVM memory unmapped, moved, protected, discarded */
	PATH_SVM_FORK,		/* forks of a process with mirrored memory */
	PATH_CHURN,		/* pages of the userptr arena replaced or discarded */
	PATH_FD_CLOSED,		/* an fd in use by other threads closed */
	PATH_INTERRUPTED,	/* a call interrupted by the watchdog timer */
	PATH_CHILD_KILLED,	/* workers SIGKILLed by the supervisor */
	PATH_CHILD_KILLED_IN_IOCTL, /* ... while inside an ioctl */
	PATH_NR
};

static const char *const path_name[PATH_NR] = {
	[PATH_EXEC_VERIFIED] = "batches run, stores verified",
	[PATH_EXEC_MISMATCH] = "batches run, memory moved meanwhile",
	[PATH_EXEC_LR] = "batches completed in LR VMs",
	[PATH_EXEC_FAULT_MODE] = "batches completed in fault-mode VMs",
	[PATH_SYNC_TIMELINE] = "timeline points signalled by jobs",
	[PATH_UFENCE_SIGNALLED] = "user fences signalled",
	[PATH_BIND_VECTOR] = "vector binds",
	[PATH_BIND_USERPTR_MAP_UNMAP] = "vector map+unmap of a userptr",
	[PATH_BIND_REMAP] = "binds splitting a mapping",
	[PATH_BIND_UNMAP_ALL] = "UNMAP_ALL of a mapped BO",
	[PATH_BIND_USERPTR] = "userptr binds",
	[PATH_BIND_NULL_HUGE] = "NULL binds >= 1 GiB",
	[PATH_BIND_UFENCE] = "binds with user fences",
	[PATH_TIMELINE_ON_BINARY] = "timeline in-syncs on binary syncobjs",
	[PATH_QUEUE_BANNED] = "lane queues banned and replaced",
	[PATH_JOB_TIMEOUT] = "never-ending batches submitted",
	[PATH_QUEUE_PRIORITY] = "queues created with properties",
	[PATH_PRIME_OTHER_DEVICE] = "dma-bufs imported on the other device",
	[PATH_BO_MMAP_TOUCHED] = "BO mappings touched by the CPU",
	[PATH_CPU_FAULT] = "CPU faults on mappings (caught)",
	[PATH_SVM_MIRROR] = "mirror binds",
	[PATH_SVM_MIRROR_BUSY] = "binds over mirrors refused busy",
	[PATH_SVM_UNMIRROR] = "mirror unbinds",
	[PATH_SVM_SPLIT] = "mappings put inside a mirror",
	[PATH_SVM_PREFETCH] = "prefetches of mirrors",
	[PATH_SVM_REFUSED] = "forbidden mirror binds refused",
	[PATH_SVM_VERIFIED] = "SVM batches verified",
	[PATH_SVM_VERIFIED_RO] = "... of them from a read-only mirror",
	[PATH_SVM_CHANGED] = "SVM batches, memory changed meanwhile",
	[PATH_SVM_BANNED_CHURN] = "SVM batches banned after CPU changes",
	[PATH_SVM_BANNED_PREDICTED] = "SVM batches banned as predicted",
	[PATH_SVM_BANNED_FOREIGN] = "SVM batches banned, others' calls maybe",
	[PATH_SVM_BANNED_OTHER] = "SVM batches banned, cause unseen",
	[PATH_SVM_UNPREDICTED] = "SVM batches run where a ban was due",
	[PATH_SVM_TIMEOUT] = "SVM batches timed out or lost",
	[PATH_SVM_CHURN] = "SVM memory churned",
	[PATH_SVM_FORK] = "forks with mirrored memory",
	[PATH_CHURN] = "userptr arena pages churned",
	[PATH_FD_CLOSED] = "fds closed while shared",
	[PATH_INTERRUPTED] = "calls interrupted by the watchdog",
	[PATH_CHILD_KILLED] = "workers SIGKILLed",
	[PATH_CHILD_KILLED_IN_IOCTL] = "... of them inside an ioctl",
};

/* errno slots of the histogram: 0 is success, ERR_RESTART any ERESTART*, ERR_OTHER the rest. */
#define ERR_MAX		134
#define ERR_RESTART	(ERR_MAX + 1)
#define ERR_OTHER	(ERR_MAX + 2)
#define ERR_SLOTS	(ERR_MAX + 3)

#define MAX_BAD		16
#define MAX_WRONG	4
#define SVM_LOG		4096	/* entries of a bind log (see svm_log_add()) */
#define SVM_LOG_UNSURE	(~0ull)	/* a lane's base: its own bind failed, who knows */
#define SVM_KEY_QUEUE(id)	(1ull << 32 | (id))

struct svm_log {
	uint64_t head;
	struct {
		uint64_t pos;	/* its index + 1, once written */
		uint64_t start, end;
		uint64_t key;	/* a VM id, or a queue's: see SVM_KEY_QUEUE() */
	} e[SVM_LOG];
};

struct worker_slot {
	pid_t pid;
	int in_ioctl;		/* threads of the worker inside an ioctl now */
	int cur_ioc;		/* the last ioctl one of them entered */
	uint32_t generation;
};

/* Shared by the supervisor and every worker: a MAP_SHARED anonymous mapping. */
struct stats {
	int64_t deadline_ns;	/* CLOCK_MONOTONIC */
	int stop;
	uint64_t total;
	uint64_t calls[IOC_NR];
	uint64_t ns[IOC_NR];		/* time spent in the calls */
	uint64_t max_ns[IOC_NR];
	uint64_t hist[IOC_NR][ERR_SLOTS];
	uint64_t paths[PATH_NR];
	struct svm_log svm_log;	/* of the shared fd */
	uint32_t nwrong;	/* wrong results of the SVM checks: the run fails */
	char wrong[MAX_WRONG][240];
	uint64_t unexpected;
	uint32_t nbad;
	struct {
		int ioc;
		int err;
	} bad[MAX_BAD];
	struct worker_slot workers[MAX_PROCS];
};

static struct stats *st;

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
}

static bool should_stop(void)
{
	return __atomic_load_n(&st->stop, __ATOMIC_RELAXED) || now_ns() >= st->deadline_ns;
}

static void request_stop(void)
{
	__atomic_store_n(&st->stop, 1, __ATOMIC_RELAXED);
}

static void path_hit(enum path p)
{
	__atomic_add_fetch(&st->paths[p], 1, __ATOMIC_RELAXED);
}

/* A result the kernel must not produce: kept for the report, and the run fails. */
static void __attribute__((format(printf, 1, 2))) wrong(const char *fmt, ...)
{
	uint32_t i = __atomic_fetch_add(&st->nwrong, 1, __ATOMIC_RELAXED);
	char text[sizeof(st->wrong[0])];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	fprintf(stderr, "xe_fuzz[%d]: %s\n", getpid(), text);
	if (i < MAX_WRONG)
		memcpy(st->wrong[i], text, sizeof(text));
}

/*
 * The errnos an xe or DRM core ioctl may return.  ERESTART* never reach
 * userspace, but are listed so that such a report shows up as accepted
 * rather than as a fuzzer failure of its own.
 */
static bool errno_documented(int err)
{
	switch (err) {
	case EINVAL: case EFAULT: case ENOENT: case ENOMEM: case ENOSPC:
	case EBUSY: case EINTR: case ETIME: case ETIMEDOUT: case EIO:
	case EPERM: case EACCES: case EOPNOTSUPP: case EOVERFLOW: case ENODEV:
	case E2BIG: case EDEADLK: case ECANCELED: case EAGAIN: case ENOTTY:
	case EBADF: case EMFILE: case ENFILE: case ENOSYS:
		return true;
	default:
		return err >= 512 && err <= 516;	/* ERESTARTSYS .. ERESTART_RESTARTBLOCK */
	}
}

static int err_slot(int err)
{
	if (err >= 0 && err <= ERR_MAX)
		return err;
	if (err >= 512 && err <= 516)
		return ERR_RESTART;
	return ERR_OTHER;
}

static void record(enum ioc ioc, int err, uint64_t ns)
{
	uint64_t total, max;

	__atomic_add_fetch(&st->calls[ioc], 1, __ATOMIC_RELAXED);
	__atomic_add_fetch(&st->ns[ioc], ns, __ATOMIC_RELAXED);
	max = __atomic_load_n(&st->max_ns[ioc], __ATOMIC_RELAXED);
	while (ns > max && !__atomic_compare_exchange_n(&st->max_ns[ioc], &max, ns, false,
							__ATOMIC_RELAXED, __ATOMIC_RELAXED))
		;
	__atomic_add_fetch(&st->hist[ioc][err_slot(err)], 1, __ATOMIC_RELAXED);
	total = __atomic_add_fetch(&st->total, 1, __ATOMIC_RELAXED);
	if (opt.calls && total >= opt.calls)
		request_stop();

	if (err && !errno_documented(err)) {
		uint32_t i = __atomic_fetch_add(&st->nbad, 1, __ATOMIC_RELAXED);

		__atomic_add_fetch(&st->unexpected, 1, __ATOMIC_RELAXED);
		if (i < MAX_BAD) {
			st->bad[i].ioc = ioc;
			st->bad[i].err = err;
		}
	}
}

/* --- signals: the watchdog timer and caught CPU faults ------------------- */

static __thread timer_t guard_timer;
static __thread bool guard_ready;
static __thread volatile sig_atomic_t guard_fired;
static __thread sigjmp_buf touch_jmp;
static __thread volatile sig_atomic_t touch_armed;

static void guard_handler(int sig)
{
	guard_fired = 1;
}

static void fault_handler(int sig, siginfo_t *si, void *uc)
{
	if (touch_armed) {
		touch_armed = 0;
		siglongjmp(touch_jmp, 1);
	}
	/* Not ours to catch: die of it, the supervisor reports it. */
	signal(sig, SIG_DFL);
}

static void install_handlers(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = guard_handler;	/* no SA_RESTART: blocking calls return EINTR */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = fault_handler;
	sa.sa_flags = SA_SIGINFO | SA_NODEFER;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);

	signal(SIGPIPE, SIG_IGN);
}

/* A per-thread timer that interrupts the thread's blocking calls. */
static void guard_init(void)
{
	struct sigevent sev;

	memset(&sev, 0, sizeof(sev));
	sev.sigev_notify = SIGEV_THREAD_ID;
	sev.sigev_signo = SIGUSR1;
	sev.sigev_notify_thread_id = (pid_t)syscall(SYS_gettid);
	guard_ready = !timer_create(CLOCK_MONOTONIC, &sev, &guard_timer);
}

static void guard_fini(void)
{
	if (guard_ready)
		timer_delete(guard_timer);
	guard_ready = false;
}

static void guard_arm(unsigned int ms)
{
	struct itimerspec its = {
		.it_value = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * NSEC_PER_MSEC },
		/* Again and again, should the call restart itself. */
		.it_interval = { .tv_nsec = 50 * NSEC_PER_MSEC },
	};

	guard_fired = 0;
	if (guard_ready)
		timer_settime(guard_timer, 0, &its, NULL);
}

static void guard_disarm(void)
{
	struct itimerspec its;

	memset(&its, 0, sizeof(its));
	if (guard_ready)
		timer_settime(guard_timer, 0, &its, NULL);
}

/* --- the ioctl wrapper ----------------------------------------------------- */

static struct worker_slot *my_slot;	/* of this worker process */
static __thread unsigned int my_tid;
static __thread uint64_t my_calls;

/* Budget of a call before the watchdog interrupts it, in ms. */
#define GUARD_MS		3000
#define GUARD_WAIT_MS		400

/*
 * One ioctl, never retried: returns its result or -errno.  The errno is
 * recorded, and judged, under ioc.
 */
static int xioctl_guard(enum ioc ioc, int fd, unsigned long req, void *arg, unsigned int ms)
{
	int ret, err = 0;
	int64_t t0;

	if (my_slot) {
		__atomic_store_n(&my_slot->cur_ioc, ioc, __ATOMIC_RELAXED);
		__atomic_add_fetch(&my_slot->in_ioctl, 1, __ATOMIC_RELAXED);
	}
	guard_arm(ms);
	t0 = now_ns();
	ret = ioctl(fd, req, arg);
	if (ret == -1)
		err = errno;
	t0 = now_ns() - t0;
	guard_disarm();
	if (my_slot)
		__atomic_sub_fetch(&my_slot->in_ioctl, 1, __ATOMIC_RELAXED);

	if (guard_fired && (err == EINTR || err == EAGAIN))
		path_hit(PATH_INTERRUPTED);
	record(ioc, err, (uint64_t)t0);
	my_calls++;
	if (opt.trace)
		fprintf(stderr, "xe_fuzz[%d.%u] %" PRIu64 " %s fd %d = %d (%s)\n", getpid(), my_tid,
			my_calls, ioc_name[ioc], fd, err ? -err : ret, err ? strerror(err) : "ok");
	return err ? -err : ret;
}

static int xioctl(enum ioc ioc, int fd, unsigned long req, void *arg)
{
	return xioctl_guard(ioc, fd, req, arg, GUARD_MS);
}

/*
 * Reads (and, if write, rewrites) one byte per page of [p, p + len); a
 * fault is caught and reported as false.
 */
static bool touch(void *p, size_t len, bool write)
{
	volatile uint8_t *c = p;
	size_t off;

	if (sigsetjmp(touch_jmp, 1)) {
		path_hit(PATH_CPU_FAULT);
		return false;
	}
	touch_armed = 1;
	for (off = 0; off < len; off += 4096) {
		uint8_t v = c[off];

		if (write)
			c[off] = v;
	}
	touch_armed = 0;
	return true;
}

/* --- the device, as the supervisor found it ------------------------------ */

#define MAX_ENGINES	32

static struct {
	int ndev;			/* xe devices (primary nodes) */
	uint32_t sysmem, vram;		/* placement masks */
	uint64_t vram_size;
	uint32_t min_page;		/* largest min_page_size of a region */
	uint64_t max_prio;		/* MAX_EXEC_QUEUE_PRIORITY */
	bool mirror;			/* CPU_ADDR_MIRROR binds work */
	unsigned int neng;
	struct drm_xe_engine_class_instance eng[MAX_ENGINES];
} dev;

/* --- a worker's world: fds, object pools, user memory ---------------------- */

enum {
	FD_SHARED,	/* opened by the supervisor, shared by every worker */
	FD_OWN,		/* this worker's primary node */
	FD_RENDER,	/* this worker's render node */
	FD_OTHER,	/* the second device, if any */
	FD_EXTRA,	/* from here on: opened and closed at random */
	NR_FDS = FD_EXTRA + 4
};

struct fdslot {
	int fd;
	uint32_t gen;	/* bumped when the slot's fd is closed */
	int dev;
};

enum okind { O_BO, O_VM, O_QUEUE, O_SYNCOBJ, O_NKIND };

/* obj.flags */
#define BO_VRAM		(1u << 0)
#define BO_IMPORTED	(1u << 1)
#define BO_PRIVATE	(1u << 2)
#define Q_BIND		(1u << 0)
#define SO_TIMELINE	(1u << 0)
#define VM_LANE		(1u << 7)	/* a lane's VM (see below) */
/* O_VM flags are the DRM_XE_VM_CREATE_FLAG_* the VM was created with. */

struct obj {
	uint32_t id;
	uint8_t fdi;
	uint8_t flags;
	uint16_t aux;		/* O_QUEUE: engine class */
	uint32_t gen;		/* of the fd slot when created */
	uint32_t ref;		/* O_QUEUE: VM id; O_BO: private VM id */
	uint64_t size;		/* O_BO: bytes; O_SYNCOBJ: last point used */
};

#define POOL_MAX	40

struct pool {
	struct obj o[POOL_MAX];
	int n;
};

/* User memory a userptr bind may name. */
enum mkind { M_ARENA, M_MALLOC, M_RO, M_BOMAP, M_NKIND };

struct mem {
	uint8_t *ptr;
	uint64_t size;
	uint8_t kind;
};

#define MEM_MAX		32
#define XFD_MAX		12

/* Other fds: exported dma-bufs, syncobj fds, sync files, eventfds. */
enum xkind { X_DMABUF, X_SYNCOBJ, X_SYNC_FILE };

#define ARENA_SIZE	(32ull << 20)
#define CHURN_SIZE	(8ull << 20)
#define HUGE_SIZE	(1ull << 41)	/* PROT_NONE, for userptr ranges of TiBs */
#define MALLOC_BUFS	4
#define SCRATCH_SIZE	(512u << 10)
#define RO_SIZE		(64u << 10)

/*
 * SVM memory, for the batches of fault-mode lanes: each thread has a
 * stretch of an area mapped at a fixed address, below where mmap() places
 * anything (the heap, libraries and other mappings lie above it), so the
 * churning thread may leave holes in it that nothing else fills.  A
 * thread's stretch holds a page of user fences, the data (batches and
 * what they store) and a spare room that mremap() moves data pages into;
 * the rest is PROT_NONE.  Each thread also has a buffer of malloc'd
 * memory, page-aligned within a larger allocation.
 */
#define SVM_BASE	0x100000000000ull	/* 16 TiB */
#define SVM_STRIDE	(1ull << 20)
#define SVM_AREA	(MAX_THREADS * SVM_STRIDE)
#define SVM_FENCES	0x0ull
#define SVM_DATA	0x10000ull
#define SVM_DATA_SIZE	0x80000ull
#define SVM_SPARE	0xa0000ull
#define SVM_SPARE_SIZE	0x40000ull
#define SVM_HEAP_SIZE	0x10000ull

struct svm_mem {
	uint8_t *base;		/* the fence page; data at SVM_DATA */
	uint8_t *heap;		/* SVM_HEAP_SIZE bytes of malloc'd memory */
	uint32_t seq;		/* odd while the churning thread changes the memory */
	bool lost;		/* a hole could not be mapped again: not used any more */
};

static struct world {
	pthread_mutex_t lock;
	struct fdslot fds[NR_FDS];
	struct pool pool[O_NKIND];
	struct mem mems[MEM_MAX];
	int nmem;
	int xfd[XFD_MAX];
	uint8_t xkind[XFD_MAX];
	int nxfd;
	uint8_t *arena;		/* [page guard][chunks ...][churn][page guard] */
	uint64_t arena_next;
	uint8_t *huge;
	uint8_t *noaccess;	/* a PROT_NONE page */
	uint8_t *malloc_buf[MALLOC_BUFS];
	uint64_t malloc_size[MALLOC_BUFS];
	struct svm_mem svm[MAX_THREADS];
	unsigned int nsvm;	/* threads with SVM memory; 0 without a mirror */
	struct svm_log svm_log;	/* of the worker's own fd */
} W = { .lock = PTHREAD_MUTEX_INITIALIZER };

#define LOCK()		pthread_mutex_lock(&W.lock)
#define UNLOCK()	pthread_mutex_unlock(&W.lock)

static uint8_t *churn_base(void)
{
	return W.arena + ARENA_SIZE - 4096 - CHURN_SIZE;
}

/* A thread: its random numbers, its scratch memory, its lane (below). */
struct lane;

struct fz {
	struct rng r;
	unsigned int idx;
	uint8_t *scratch;	/* SCRATCH_SIZE, then a PROT_NONE page */
	size_t sp;
	uint8_t *ro;		/* RO_SIZE, read-only except while being filled */
	uint64_t *fences;	/* a page of user fences for binds */
	int evfd;
	struct lane *lane;
	uint32_t svm_seq;	/* SVM batches of the thread, in every lane it had */
	uint32_t svm_abandoned;	/* svm_seq of the last one whose end was not seen */
};

static int fd_at(int fdi)
{
	return __atomic_load_n(&W.fds[fdi].fd, __ATOMIC_RELAXED);
}

static uint32_t gen_at(int fdi)
{
	return __atomic_load_n(&W.fds[fdi].gen, __ATOMIC_RELAXED);
}

/* A slot holding an open fd, weighted towards the worker's own. */
static int pick_fdi(struct fz *f)
{
	unsigned int i, p = rnd(&f->r, 100);
	int fdi;

	if (p < 45)
		fdi = FD_OWN;
	else if (p < 70)
		fdi = FD_SHARED;
	else if (p < 80)
		fdi = FD_RENDER;
	else if (p < 85)
		fdi = FD_OTHER;
	else
		fdi = FD_EXTRA + rnd(&f->r, NR_FDS - FD_EXTRA);
	for (i = 0; i < NR_FDS && fd_at(fdi) < 0; i++)
		fdi = (fdi + 1) % NR_FDS;
	return fd_at(fdi) < 0 ? FD_OWN : fdi;
}

static bool obj_match(const struct obj *o, int fdi, uint32_t need, uint32_t skip)
{
	return (fdi < 0 || o->fdi == fdi) && (o->flags & need) == need && !(o->flags & skip);
}

/* Copies (or, with take, removes) a random matching object; false if none. */
static bool pool_get(struct fz *f, enum okind k, int fdi, uint32_t need, uint32_t skip,
		     bool take, struct obj *out)
{
	struct pool *p = &W.pool[k];
	bool found = false;
	int i, start;

	LOCK();
	if (p->n) {
		start = rnd(&f->r, p->n);
		for (i = 0; i < p->n; i++) {
			int j = (start + i) % p->n;

			if (!obj_match(&p->o[j], fdi, need, skip))
				continue;
			*out = p->o[j];
			if (take)
				p->o[j] = p->o[--p->n];
			found = true;
			break;
		}
	}
	UNLOCK();
	return found;
}

static bool pool_pick(struct fz *f, enum okind k, int fdi, uint32_t need, uint32_t skip,
		      struct obj *out)
{
	return pool_get(f, k, fdi, need, skip, false, out);
}

static bool pool_take(struct fz *f, enum okind k, int fdi, uint32_t need, uint32_t skip,
		      struct obj *out)
{
	return pool_get(f, k, fdi, need, skip, true, out);
}

static void pool_update(enum okind k, const struct obj *o)
{
	struct pool *p = &W.pool[k];
	int i;

	LOCK();
	for (i = 0; i < p->n; i++) {
		if (p->o[i].id == o->id && p->o[i].fdi == o->fdi && p->o[i].gen == o->gen) {
			p->o[i] = *o;
			break;
		}
	}
	UNLOCK();
}

static void obj_destroy(enum okind k, const struct obj *o)
{
	int fd = fd_at(o->fdi);

	if (fd < 0 || gen_at(o->fdi) != o->gen)
		return;
	switch (k) {
	case O_BO: {
		struct drm_gem_close c = { .handle = o->id };

		xioctl(IOC_GEM_CLOSE, fd, DRM_IOCTL_GEM_CLOSE, &c);
		break;
	}
	case O_VM: {
		struct drm_xe_vm_destroy d = { .vm_id = o->id };

		xioctl(IOC_XE_VM_DESTROY, fd, DRM_IOCTL_XE_VM_DESTROY, &d);
		break;
	}
	case O_QUEUE: {
		struct drm_xe_exec_queue_destroy d = { .exec_queue_id = o->id };

		xioctl(IOC_XE_EXEC_QUEUE_DESTROY, fd, DRM_IOCTL_XE_EXEC_QUEUE_DESTROY, &d);
		break;
	}
	case O_SYNCOBJ: {
		struct drm_syncobj_destroy d = { .handle = o->id };

		xioctl(IOC_SYNCOBJ_DESTROY, fd, DRM_IOCTL_SYNCOBJ_DESTROY, &d);
		break;
	}
	default:
		break;
	}
}

/* Adds an object; when the pool is full a random one is evicted and destroyed. */
static void pool_add(struct fz *f, enum okind k, const struct obj *o)
{
	struct pool *p = &W.pool[k];
	struct obj old;
	bool evict = false;

	LOCK();
	if (p->n == POOL_MAX) {
		int i = rnd(&f->r, p->n);

		old = p->o[i];
		p->o[i] = *o;
		evict = true;
	} else {
		p->o[p->n++] = *o;
	}
	UNLOCK();
	if (evict)
		obj_destroy(k, &old);
}

static struct obj new_obj(int fdi, uint32_t id, uint8_t flags)
{
	struct obj o = { .id = id, .fdi = (uint8_t)fdi, .flags = flags, .gen = gen_at(fdi) };

	return o;
}

/*
 * An id of kind k for a call on fdi: mostly a live one, else 0, a small
 * number (often another worker's object on the shared fd), ~0, or an object
 * of another fd.
 */
static uint32_t pick_id(struct fz *f, enum okind k, int fdi, uint32_t need, uint32_t skip)
{
	struct obj o;

	if (chance(&f->r, 90) && pool_pick(f, k, fdi, need, skip, &o))
		return o.id;
	switch (rnd(&f->r, 5)) {
	case 0:
		return 0;
	case 1:
		return 1 + rnd(&f->r, 64);
	case 2:
		return ~0u;
	case 3:
		return (uint32_t)rnd64(&f->r);
	default:
		return pool_pick(f, k, -1, 0, 0, &o) ? o.id : 1;
	}
}

/* Registers an fd of another kind; the one it replaces is closed. */
static void xfd_add(struct fz *f, int fd, enum xkind kind)
{
	int old = -1;

	LOCK();
	if (W.nxfd == XFD_MAX) {
		int i = rnd(&f->r, W.nxfd);

		old = W.xfd[i];
		W.xfd[i] = fd;
		W.xkind[i] = kind;
	} else {
		W.xfd[W.nxfd] = fd;
		W.xkind[W.nxfd++] = kind;
	}
	UNLOCK();
	if (old >= 0)
		close(old);
}

/* An fd of the given kind (or any kind if kind < 0); -1 if none. */
static int xfd_pick(struct fz *f, int kind)
{
	int i, start, fd = -1;

	LOCK();
	if (W.nxfd) {
		start = rnd(&f->r, W.nxfd);
		for (i = 0; i < W.nxfd; i++) {
			int j = (start + i) % W.nxfd;

			if (kind < 0 || W.xkind[j] == kind) {
				fd = W.xfd[j];
				break;
			}
		}
	}
	UNLOCK();
	return fd;
}

/* --- user memory ------------------------------------------------------------ */

static void mem_add(struct fz *f, uint8_t *ptr, uint64_t size, enum mkind kind)
{
	struct mem old = { 0 };

	LOCK();
	if (W.nmem == MEM_MAX) {
		int i = rnd(&f->r, W.nmem);

		old = W.mems[i];
		W.mems[i].ptr = ptr;
		W.mems[i].size = size;
		W.mems[i].kind = kind;
	} else {
		W.mems[W.nmem].ptr = ptr;
		W.mems[W.nmem].size = size;
		W.mems[W.nmem++].kind = kind;
	}
	UNLOCK();
	/* Arena chunks are only ever replaced; BO mappings go away. */
	if (old.ptr && (old.kind == M_BOMAP || old.kind == M_RO))
		munmap(old.ptr, old.size);
}

static bool mem_pick(struct fz *f, struct mem *out)
{
	bool found = false;

	LOCK();
	if (W.nmem) {
		*out = W.mems[rnd(&f->r, W.nmem)];
		found = true;
	}
	UNLOCK();
	return found;
}

/*
 * A new chunk of the arena, mapped fresh over whatever was there: the
 * arena never has holes another mmap() could land in.
 */
static uint8_t *arena_chunk(struct fz *f, uint64_t size)
{
	uint64_t room = ARENA_SIZE - CHURN_SIZE - 2 * 4096;
	uint64_t off;
	uint8_t *p;

	LOCK();
	if (W.arena_next + size > room)
		W.arena_next = 0;
	off = W.arena_next;
	W.arena_next += size + (chance(&f->r, 50) ? 4096 : 0);
	UNLOCK();

	p = W.arena + 4096 + off;
	if (mmap(p, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1,
		 0) == MAP_FAILED)
		return NULL;
	if (chance(&f->r, 70))
		memset(p, 0x5a, size);	/* populated; else faulted in by the kernel */
	return p;
}

/* Memory of the arena is "freed" by mapping PROT_NONE pages over it. */
static void arena_release(uint8_t *p, uint64_t size)
{
	mmap(p, size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE, -1, 0);
}

static void *reserve(uint64_t size)
{
	void *p = mmap(NULL, size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

/* --- where arguments live: valid and hostile pointers --------------------- */

/* Bump allocation in the thread's scratch area, reset before each action. */
static uint8_t *scratch_alloc(struct fz *f, size_t len, size_t align)
{
	size_t sp = (f->sp + align - 1) & ~(align - 1);

	if (sp + len > SCRATCH_SIZE)
		sp = 0;
	if (len > SCRATCH_SIZE)
		len = SCRATCH_SIZE;
	f->sp = sp + len;
	return f->scratch + sp;
}

enum pk {
	PK_VALID, PK_NULL, PK_UNMAPPED, PK_RO, PK_KERNEL, PK_MISALIGNED, PK_STRADDLE,
	PK_NONCANON, PK_TOP, PK_NR
};

#define KERNEL_ADDR	0xffff888000000000ull
#define USER_TOP	0x00007ffffffff000ull

/* A pointer value that is wrong for the kernel, never one into our own memory. */
static uint64_t bad_ptr(struct fz *f, uint64_t valid)
{
	switch (rnd(&f->r, 8)) {
	case 0:
		return 0;
	case 1:
		return (uint64_t)(uintptr_t)W.noaccess + 8 * rnd(&f->r, 512);
	case 2:
		return KERNEL_ADDR + 8 * rnd(&f->r, 1 << 20);
	case 3:
		return valid + 1 + rnd(&f->r, 7);
	case 4:
		return 0x0000800000000000ull + 4096 * rnd(&f->r, 16);
	case 5:
		return USER_TOP - 8 * rnd(&f->r, 4);
	case 6:
		return ~0ull - rnd(&f->r, 64);
	default:
		return 1ull << 63;
	}
}

static uint64_t place_kind(struct fz *f, const void *src, size_t len, enum pk kind)
{
	uint8_t *p;
	size_t cut;

	switch (kind) {
	case PK_NULL:
		return 0;
	case PK_UNMAPPED:
		return (uint64_t)(uintptr_t)W.noaccess + 8 * rnd(&f->r, 64);
	case PK_RO:
		if (len > RO_SIZE || mprotect(f->ro, RO_SIZE, PROT_READ | PROT_WRITE))
			break;
		p = f->ro + (RO_SIZE - len) / 64 * 64 * (rnd(&f->r, 2));
		if (src)
			memcpy(p, src, len);
		else
			memset(p, 0, len);
		mprotect(f->ro, RO_SIZE, PROT_READ);
		return (uint64_t)(uintptr_t)p;
	case PK_KERNEL:
		return KERNEL_ADDR + 64 * rnd(&f->r, 1 << 16);
	case PK_MISALIGNED:
		p = scratch_alloc(f, len + 8, 64) + 1 + rnd(&f->r, 7);
		if (src)
			memcpy(p, src, len);
		else
			memset(p, 0, len);
		return (uint64_t)(uintptr_t)p;
	case PK_STRADDLE:
		/* The first cut bytes are readable, the rest is the guard page. */
		if (len < 2)
			return (uint64_t)(uintptr_t)W.noaccess;
		cut = 1 + rnd(&f->r, len - 1);
		p = f->scratch + SCRATCH_SIZE - cut;
		if (src)
			memcpy(p, src, cut);
		else
			memset(p, 0, cut);
		return (uint64_t)(uintptr_t)p;
	case PK_NONCANON:
		return 0x0000800000000000ull - (len > 1 ? rnd(&f->r, (uint32_t)len) : 0);
	case PK_TOP:
		/* Crosses the top of user space: access_ok() refuses it whole. */
		return USER_TOP - (len > 1 ? 1 + rnd(&f->r, (uint32_t)len - 1) : 0);
	default:
		break;
	}
	p = scratch_alloc(f, len ? len : 8, 64);
	if (src)
		memcpy(p, src, len);
	else
		memset(p, 0, len);
	return (uint64_t)(uintptr_t)p;
}

/* Places len bytes of src (zeros if NULL); with probability bad_pct somewhere hostile. */
static uint64_t place(struct fz *f, const void *src, size_t len, unsigned int bad_pct)
{
	enum pk kind = PK_VALID;

	if (chance(&f->r, bad_pct))
		kind = 1 + rnd(&f->r, PK_NR - 1);
	return place_kind(f, src, len, kind);
}

/* --- values ------------------------------------------------------------------ */

static const uint64_t boundary[] = {
	0, 1, 2, 3, 7, 8, 0x7f, 0x80, 0xff, 0x100, 0xfff, 0x1000, 0x1001, 0xffff, 0x10000,
	0x7fffffff, 0x80000000, 0xffffffff, 0x100000000ull, 0x100001000ull,
	0x7fffffffffffffffull, 0x8000000000000000ull, 0xffffffffffffffffull,
	0xfffffffffffff000ull, 1ull << 47, (1ull << 47) - 0x1000, 1ull << 48,
	(1ull << 48) - 0x1000, (1ull << 48) + 0x1000, 1ull << 40, 1ull << 30, 1ull << 21,
	KERNEL_ADDR, USER_TOP,
};

/* A value near valid or on a boundary, cut to bits. */
static uint64_t mutate_value(struct fz *f, uint64_t valid, unsigned int bits)
{
	uint64_t v;

	switch (rnd(&f->r, 10)) {
	case 0: case 1: case 2:
		v = boundary[rnd(&f->r, ARRAY_SIZE(boundary))];
		break;
	case 3:
		v = valid + 1;
		break;
	case 4:
		v = valid - 1;
		break;
	case 5:
		v = valid ^ (1ull << rnd(&f->r, bits));
		break;
	case 6:
		v = valid + 4096ull * (1 + rnd(&f->r, 16));
		break;
	case 7:
		v = -valid;
		break;
	case 8:
		v = valid | (~0ull << rnd(&f->r, bits));
		break;
	default:
		v = rnd64(&f->r);
		break;
	}
	return bits >= 64 ? v : v & ((1ull << bits) - 1);
}

enum fk { FK_VAL, FK_MBZ, FK_PTR, FK_EXT };

struct fld {
	uint16_t off;
	uint8_t size;
	uint8_t kind;
};

#define FLD(T, m, k)	{ offsetof(T, m), sizeof(((T *)0)->m), k }

static uint64_t ext_chain(struct fz *f);

static uint64_t fld_get(const uint8_t *p, unsigned int size)
{
	uint64_t v = 0;

	memcpy(&v, p, size > 8 ? 8 : size);	/* little endian */
	return v;
}

static void fld_set(uint8_t *p, unsigned int size, uint64_t v)
{
	memcpy(p, &v, size > 8 ? 8 : size);
}

/*
 * With probability pct, changes one to three fields of the structure at s:
 * values get boundary values, MBZ fields non-zero ones, pointers hostile
 * ones, extensions a hostile chain.  Returns how many fields it changed.
 */
static int mutate(struct fz *f, void *s, const struct fld *fl, size_t n, unsigned int pct)
{
	int i, count;

	if (!n || !chance(&f->r, pct))
		return 0;
	count = chance(&f->r, 70) ? 1 : 2 + rnd(&f->r, 2);
	for (i = 0; i < count; i++) {
		const struct fld *d = &fl[rnd(&f->r, n)];
		uint8_t *p = (uint8_t *)s + d->off;
		unsigned int size = d->size;
		uint64_t v;

		/* Arrays: one 8-byte element of them. */
		if (size > 8) {
			p += 8 * rnd(&f->r, size / 8);
			size = 8;
		}
		v = fld_get(p, size);
		switch (d->kind) {
		case FK_MBZ:
			v = chance(&f->r, 50) ? 1ull << rnd(&f->r, size * 8) :
						mutate_value(f, v, size * 8);
			if (!v)
				v = 1;
			break;
		case FK_PTR:
			v = bad_ptr(f, v);
			break;
		case FK_EXT:
			v = ext_chain(f);
			break;
		default:
			v = mutate_value(f, v, size * 8);
			break;
		}
		fld_set(p, size, v);
	}
	return count;
}

/*
 * DRM core (6.12) allocates syncobj handle and point arrays with
 * kmalloc_array(count_handles, ...) without __GFP_NOWARN: a count of 2^31
 * trips the page allocator's order WARN in drm_syncobj_array_find().  This
 * tree cannot change DRM core, so by default counts stay below what
 * kmalloc serves without it; --huge-core-counts lifts the bound.
 */
#define CORE_MAX_COUNT	(1u << 16)

static uint32_t clamp_count(uint32_t count)
{
	return opt.core_counts || count <= CORE_MAX_COUNT ? count : CORE_MAX_COUNT;
}

/* --- extension chains ---------------------------------------------------------- */

static struct drm_xe_ext_set_property *ext_alloc(struct fz *f)
{
	struct drm_xe_ext_set_property *e = (void *)scratch_alloc(f, sizeof(*e), 8);

	memset(e, 0, sizeof(*e));
	e->base.name = DRM_XE_EXEC_QUEUE_EXTENSION_SET_PROPERTY;
	e->property = rnd(&f->r, 2);
	e->value = rnd(&f->r, 3);
	return e;
}

static uint64_t uptr(const void *p)
{
	return (uint64_t)(uintptr_t)p;
}

/*
 * Valid exec queue properties: one or two records setting the priority
 * (at most the allowed maximum) or the timeslice.
 */
static uint64_t ext_props(struct fz *f)
{
	struct drm_xe_ext_set_property *a = ext_alloc(f), *b;

	a->property = DRM_XE_EXEC_QUEUE_SET_PROPERTY_PRIORITY;
	a->value = rnd(&f->r, (uint32_t)dev.max_prio + 1);
	if (chance(&f->r, 50)) {
		b = ext_alloc(f);
		b->property = DRM_XE_EXEC_QUEUE_SET_PROPERTY_TIMESLICE;
		b->value = 1 + rnd(&f->r, 100000);
		a->base.next_extension = uptr(b);
	}
	return uptr(a);
}

/* A hostile chain: loops, long chains, bad names and padding, bad links. */
static uint64_t ext_chain(struct fz *f)
{
	struct drm_xe_ext_set_property *a, *b, *prev;
	unsigned int i, n;

	switch (rnd(&f->r, 9)) {
	case 0:		/* a -> a */
		a = ext_alloc(f);
		a->base.next_extension = uptr(a);
		return uptr(a);
	case 1:		/* a -> b -> a */
		a = ext_alloc(f);
		b = ext_alloc(f);
		a->base.next_extension = uptr(b);
		b->base.next_extension = uptr(a);
		return uptr(a);
	case 2:		/* long */
		n = 2 + rnd(&f->r, chance(&f->r, 50) ? 20 : 300);
		a = prev = ext_alloc(f);
		for (i = 1; i < n; i++) {
			b = ext_alloc(f);
			prev->base.next_extension = uptr(b);
			prev = b;
		}
		return uptr(a);
	case 3:		/* bad name */
		a = ext_alloc(f);
		a->base.name = (uint32_t)mutate_value(f, 0, 32);
		if (!a->base.name)
			a->base.name = 1;
		return uptr(a);
	case 4:		/* bad link at the end */
		a = ext_alloc(f);
		b = ext_alloc(f);
		a->base.next_extension = uptr(b);
		b->base.next_extension = bad_ptr(f, uptr(b));
		return uptr(a);
	case 5:		/* padding */
		a = ext_alloc(f);
		a->base.pad = 1u << rnd(&f->r, 32);
		return uptr(a);
	case 6:		/* bad property or value */
		a = ext_alloc(f);
		a->property = (uint32_t)mutate_value(f, a->property, 32);
		a->value = mutate_value(f, a->value, 64);
		return uptr(a);
	case 7:		/* the record itself somewhere hostile */
		a = ext_alloc(f);
		return place(f, a, sizeof(*a), 100);
	default:
		return ext_props(f);
	}
}

/* --- DEVICE_QUERY, GEM, PRIME ---------------------------------------------- */

#define NELEM(a)	ARRAY_SIZE(a)

static void do_query(struct fz *f)
{
	static const struct fld flds[] = {
		FLD(struct drm_xe_device_query, extensions, FK_EXT),
		FLD(struct drm_xe_device_query, query, FK_VAL),
		FLD(struct drm_xe_device_query, size, FK_VAL),
		FLD(struct drm_xe_device_query, data, FK_PTR),
		FLD(struct drm_xe_device_query, reserved, FK_MBZ),
	};
	struct drm_xe_device_query q = { .query = rnd(&f->r, 12) };
	int fd = fd_at(pick_fdi(f));

	if (chance(&f->r, 5))
		q.query = (uint32_t)mutate_value(f, q.query, 32);
	if (chance(&f->r, 10))
		mutate(f, &q, flds, NELEM(flds), 100);
	if (xioctl(IOC_XE_DEVICE_QUERY, fd, DRM_IOCTL_XE_DEVICE_QUERY, &q) || !q.size)
		return;
	q.data = place(f, NULL, q.size, 15);
	mutate(f, &q, flds, NELEM(flds), 20);
	xioctl(IOC_XE_DEVICE_QUERY, fd, DRM_IOCTL_XE_DEVICE_QUERY, &q);
}

static void do_gem_create(struct fz *f)
{
	static const struct fld flds[] = {
		FLD(struct drm_xe_gem_create, extensions, FK_EXT),
		FLD(struct drm_xe_gem_create, size, FK_VAL),
		FLD(struct drm_xe_gem_create, placement, FK_VAL),
		FLD(struct drm_xe_gem_create, flags, FK_VAL),
		FLD(struct drm_xe_gem_create, vm_id, FK_VAL),
		FLD(struct drm_xe_gem_create, handle, FK_MBZ),
		FLD(struct drm_xe_gem_create, cpu_caching, FK_VAL),
		FLD(struct drm_xe_gem_create, pad, FK_MBZ),
		FLD(struct drm_xe_gem_create, reserved, FK_MBZ),
	};
	int fdi = pick_fdi(f), fd = fd_at(fdi);
	struct drm_xe_gem_create c = { .size = (uint64_t)dev.min_page << rnd(&f->r, 6) };
	struct obj vm, o;
	uint8_t flags = 0;

	if (chance(&f->r, 5))
		c.size = (uint64_t)(2 + rnd(&f->r, 15)) << 20;
	if (dev.vram && chance(&f->r, 40)) {
		c.placement = dev.vram | (chance(&f->r, 30) ? dev.sysmem : 0);
		c.cpu_caching = DRM_XE_GEM_CPU_CACHING_WC;
		if (chance(&f->r, 10))
			c.flags |= DRM_XE_GEM_CREATE_FLAG_NEEDS_VISIBLE_VRAM;
		flags |= BO_VRAM;
	} else {
		c.placement = dev.sysmem;
		c.cpu_caching = chance(&f->r, 70) ? DRM_XE_GEM_CPU_CACHING_WB :
						    DRM_XE_GEM_CPU_CACHING_WC;
	}
	if (chance(&f->r, 10))
		c.flags |= DRM_XE_GEM_CREATE_FLAG_DEFER_BACKING;
	if (c.cpu_caching == DRM_XE_GEM_CPU_CACHING_WC && chance(&f->r, 5))
		c.flags |= DRM_XE_GEM_CREATE_FLAG_SCANOUT;
	if (chance(&f->r, 15) && pool_pick(f, O_VM, fdi, 0, 0, &vm)) {
		c.vm_id = vm.id;
		flags |= BO_PRIVATE;
	}
	mutate(f, &c, flds, NELEM(flds), 20);
	if (xioctl(IOC_XE_GEM_CREATE, fd, DRM_IOCTL_XE_GEM_CREATE, &c))
		return;
	o = new_obj(fdi, c.handle, flags);
	o.size = c.size;
	o.ref = c.vm_id;
	pool_add(f, O_BO, &o);
}

/* GEM_MMAP_OFFSET, then mmap() of the offset and CPU accesses to the mapping. */
static void do_mmap_offset(struct fz *f)
{
	static const struct fld flds[] = {
		FLD(struct drm_xe_gem_mmap_offset, extensions, FK_EXT),
		FLD(struct drm_xe_gem_mmap_offset, handle, FK_VAL),
		FLD(struct drm_xe_gem_mmap_offset, flags, FK_MBZ),
		FLD(struct drm_xe_gem_mmap_offset, reserved, FK_MBZ),
	};
	int fdi = pick_fdi(f), fd = fd_at(fdi);
	struct drm_xe_gem_mmap_offset mo = { 0 };
	uint64_t len, off;
	struct obj bo;
	int prot;
	void *p;

	if (!pool_pick(f, O_BO, fdi, 0, 0, &bo))
		return;
	mo.handle = bo.id;
	if (mutate(f, &mo, flds, NELEM(flds), 15))
		return (void)xioctl(IOC_XE_GEM_MMAP_OFFSET, fd, DRM_IOCTL_XE_GEM_MMAP_OFFSET, &mo);
	if (xioctl(IOC_XE_GEM_MMAP_OFFSET, fd, DRM_IOCTL_XE_GEM_MMAP_OFFSET, &mo))
		return;

	len = bo.size;
	off = mo.offset;
	if (chance(&f->r, 10))
		len = chance(&f->r, 50) ? len + 4096 : len / 2;
	if (chance(&f->r, 5))
		off += 4096;
	if (!len)
		return;
	prot = chance(&f->r, 80) ? PROT_READ | PROT_WRITE : PROT_READ;
	p = mmap(NULL, len, prot, MAP_SHARED, fd, (off_t)off);
	if (p == MAP_FAILED)
		return;
	if (touch(p, len, prot & PROT_WRITE))
		path_hit(PATH_BO_MMAP_TOUCHED);
	/* Whole mappings may be handed to userptr binds later. */
	if (len == bo.size && off == mo.offset && chance(&f->r, 60))
		mem_add(f, p, len, M_BOMAP);
	else
		munmap(p, len);
}

static void do_gem_close(struct fz *f)
{
	int fdi = pick_fdi(f), fd = fd_at(fdi);
	struct drm_gem_close c = { 0 };
	struct obj bo;

	if (chance(&f->r, 75) && pool_take(f, O_BO, fdi, 0, 0, &bo))
		c.handle = bo.id;
	else
		c.handle = pick_id(f, O_BO, fdi, 0, 0);
	if (chance(&f->r, 5))
		c.pad = 1u << rnd(&f->r, 32);
	xioctl(IOC_GEM_CLOSE, fd, DRM_IOCTL_GEM_CLOSE, &c);
	if (chance(&f->r, 10))
		xioctl(IOC_GEM_CLOSE, fd, DRM_IOCTL_GEM_CLOSE, &c);
}

static void do_prime_export(struct fz *f)
{
	int fdi = pick_fdi(f), fd = fd_at(fdi);
	struct drm_prime_handle h = { .flags = DRM_CLOEXEC, .fd = -1 };

	h.handle = pick_id(f, O_BO, fdi, 0, BO_PRIVATE);
	if (chance(&f->r, 50))
		h.flags |= DRM_RDWR;
	if (chance(&f->r, 10))
		h.flags = (uint32_t)mutate_value(f, h.flags, 32);
	if (xioctl(IOC_PRIME_HANDLE_TO_FD, fd, DRM_IOCTL_PRIME_HANDLE_TO_FD, &h))
		return;
	if (h.fd >= 0)
		xfd_add(f, h.fd, X_DMABUF);
}

/* Any fd at all, for calls that expect a particular kind. */
static int wild_fd(struct fz *f)
{
	switch (rnd(&f->r, 6)) {
	case 0:
		return -1;
	case 1:
		return fd_at(pick_fdi(f));
	case 2:
		return f->evfd;
	case 3:
		return 1000 + rnd(&f->r, 1000);	/* not open */
	default:
		return xfd_pick(f, -1);
	}
}

static void do_prime_import(struct fz *f)
{
	int fdi = pick_fdi(f), fd = fd_at(fdi);
	struct drm_prime_handle h = { 0 };
	struct obj o;
	off_t size;

	h.fd = chance(&f->r, 80) ? xfd_pick(f, X_DMABUF) : wild_fd(f);
	if (chance(&f->r, 5))
		h.flags = 1u << rnd(&f->r, 32);
	if (chance(&f->r, 5))
		h.handle = (uint32_t)rnd64(&f->r);
	if (xioctl(IOC_PRIME_FD_TO_HANDLE, fd, DRM_IOCTL_PRIME_FD_TO_HANDLE, &h))
		return;
	if (W.fds[fdi].dev != 0)
		path_hit(PATH_PRIME_OTHER_DEVICE);
	size = lseek(h.fd, 0, SEEK_END);
	o = new_obj(fdi, h.handle, BO_IMPORTED);
	o.size = size > 0 ? (uint64_t)size : 4096;
	pool_add(f, O_BO, &o);
}

/* --- the lanes' mappings, and calls that may change them under SVM batches ---------- */

/* GPU addresses of a lane's mappings (see the lanes); hot for everyone else too. */
#define LANE_BO_ADDR	0x1a0000000ull
#define LANE_UPTR_ADDR	0x1b0000000ull
#define LANE_CHURN_ADDR	0x1c0000000ull
#define LANE_HANG_ADDR	0x1f0000000ull	/* never bound by a lane */

#define LANE_BO_SIZE	0x10000ull
#define LANE_UPTR_SIZE	0x10000ull
#define LANE_CHURN_SIZE	0x40000ull
#define LANE_DATA	0x8000ull	/* offset of the stores in the lane's BO */
#define LANE_FENCES	0xf000ull	/* ... of the user fences */
#define LANE_MAX_STORES	8

/*
 * Random VM_BINDs may land in another thread's lane (its VM is in the pool,
 * or its id is guessed) and change the mappings an SVM batch uses, random
 * VM_DESTROYs may take the VM away, and random EXECs and queue destroys
 * with a guessed id may hit the lane's queue.  Those on the worker's own
 * fd and on the shared one (the lanes' fds) are logged before the call:
 * each op with the VM and the range it maps or unmaps (a destroy of a VM:
 * everything), the queue of an exec or destroy.  A lane judging a batch
 * looks for entries on its VM, since it last bound the memory, that cover
 * an address the batch used, and for entries on its queue.  An entry not
 * yet (or never, its writer killed) written, or a log that went round
 * since, counts as one that does.
 */
static struct svm_log *svm_log_of(int fdi)
{
	return fdi == FD_OWN ? &W.svm_log : fdi == FD_SHARED ? &st->svm_log : NULL;
}

static void svm_log_add(int fdi, uint64_t key, uint64_t start, uint64_t end)
{
	struct svm_log *log = svm_log_of(fdi);
	uint64_t i;

	if (!log || !W.nsvm)
		return;
	i = __atomic_fetch_add(&log->head, 1, __ATOMIC_SEQ_CST);
	__atomic_store_n(&log->e[i % SVM_LOG].pos, 0, __ATOMIC_SEQ_CST);
	log->e[i % SVM_LOG].start = start;
	log->e[i % SVM_LOG].end = end < start ? ~0ull : end;
	log->e[i % SVM_LOG].key = key;
	__atomic_store_n(&log->e[i % SVM_LOG].pos, i + 1, __ATOMIC_SEQ_CST);
}

/* An op of a random bind: UNMAP_ALL may take a lane's BO away. */
static void svm_log_op(int fdi, uint32_t vm, const struct drm_xe_vm_bind_op *o)
{
	switch (o->op) {
	case DRM_XE_VM_BIND_OP_MAP:
	case DRM_XE_VM_BIND_OP_MAP_USERPTR:
	case DRM_XE_VM_BIND_OP_UNMAP:
		svm_log_add(fdi, vm, o->addr, o->addr + o->range);
		break;
	case DRM_XE_VM_BIND_OP_UNMAP_ALL:
		svm_log_add(fdi, vm, LANE_BO_ADDR, LANE_BO_ADDR + LANE_BO_SIZE);
		break;
	default:
		break;
	}
}

/* The log position a lane starts from when it binds: a little back, for calls on their way. */
static uint64_t svm_log_pos(int fdi)
{
	struct svm_log *log = svm_log_of(fdi);
	uint64_t head = log ? __atomic_load_n(&log->head, __ATOMIC_SEQ_CST) : 0;

	return head > 16 ? head - 16 : 0;
}

/* Whether a call logged from position from on may have changed key at [a, a + len). */
static bool svm_log_hit(int fdi, uint64_t key, uint64_t from, uint64_t a, uint64_t len)
{
	struct svm_log *log = svm_log_of(fdi);
	uint64_t head, i;

	if (!log)
		return false;
	head = __atomic_load_n(&log->head, __ATOMIC_SEQ_CST);
	if (head - from > SVM_LOG)
		return true;
	for (i = from; i < head; i++) {
		const typeof(log->e[0]) *e = &log->e[i % SVM_LOG];
		bool hit;

		if (__atomic_load_n(&e->pos, __ATOMIC_SEQ_CST) != i + 1)
			return true;
		hit = e->key == key && e->start < a + len && a < e->end;
		if (__atomic_load_n(&e->pos, __ATOMIC_SEQ_CST) != i + 1 || hit)
			return true;
	}
	return false;
}

/* --- VMs and exec queues ------------------------------------------------------- */

static const uint32_t vm_kinds[] = {
	0,
	DRM_XE_VM_CREATE_FLAG_SCRATCH_PAGE,
	DRM_XE_VM_CREATE_FLAG_LR_MODE,
	DRM_XE_VM_CREATE_FLAG_LR_MODE | DRM_XE_VM_CREATE_FLAG_FAULT_MODE,
	DRM_XE_VM_CREATE_FLAG_LR_MODE | DRM_XE_VM_CREATE_FLAG_SCRATCH_PAGE,
};

static void vm_new(struct fz *f, int fdi, unsigned int mutate_pct)
{
	static const struct fld flds[] = {
		FLD(struct drm_xe_vm_create, extensions, FK_EXT),
		FLD(struct drm_xe_vm_create, flags, FK_VAL),
		FLD(struct drm_xe_vm_create, vm_id, FK_MBZ),
		FLD(struct drm_xe_vm_create, reserved, FK_MBZ),
	};
	struct drm_xe_vm_create c = { .flags = vm_kinds[rnd(&f->r, NELEM(vm_kinds))] };
	struct obj o;

	mutate(f, &c, flds, NELEM(flds), mutate_pct);
	if (xioctl(IOC_XE_VM_CREATE, fd_at(fdi), DRM_IOCTL_XE_VM_CREATE, &c))
		return;
	o = new_obj(fdi, c.vm_id, (uint8_t)c.flags);
	pool_add(f, O_VM, &o);
}

static void do_vm_create(struct fz *f)
{
	vm_new(f, pick_fdi(f), 15);
}

static void do_vm_destroy(struct fz *f)
{
	static const struct fld flds[] = {
		FLD(struct drm_xe_vm_destroy, vm_id, FK_VAL),
		FLD(struct drm_xe_vm_destroy, pad, FK_MBZ),
		FLD(struct drm_xe_vm_destroy, reserved, FK_MBZ),
	};
	int fdi = pick_fdi(f), fd = fd_at(fdi);
	struct drm_xe_vm_destroy d = { 0 };
	struct obj vm;

	if (chance(&f->r, 70) && pool_take(f, O_VM, fdi, 0, chance(&f->r, 90) ? VM_LANE : 0, &vm))
		d.vm_id = vm.id;
	else
		d.vm_id = pick_id(f, O_VM, fdi, 0, 0);
	mutate(f, &d, flds, NELEM(flds), 10);
	/* It may be a lane's VM, with an SVM batch running. */
	svm_log_add(fdi, d.vm_id, 0, ~0ull);
	xioctl(IOC_XE_VM_DESTROY, fd, DRM_IOCTL_XE_VM_DESTROY, &d);
}

/* Fills eci with up to max placements of one class; returns how many. */
static unsigned int pick_placements(struct fz *f, struct drm_xe_engine_class_instance *eci,
				    unsigned int max)
{
	const struct drm_xe_engine_class_instance *first = &dev.eng[rnd(&f->r, dev.neng)];
	unsigned int i, n = 0, want = chance(&f->r, 80) ? 1 : 1 + rnd(&f->r, max);

	for (i = 0; i < dev.neng && n < want; i++)
		if (dev.eng[i].engine_class == first->engine_class)
			eci[n++] = dev.eng[i];
	return n;
}

static uint32_t queue_create(struct fz *f, int fdi, uint32_t vm, uint16_t *cls, bool props,
			     unsigned int mutate_pct)
{
	static const struct fld flds[] = {
		FLD(struct drm_xe_exec_queue_create, extensions, FK_EXT),
		FLD(struct drm_xe_exec_queue_create, width, FK_VAL),
		FLD(struct drm_xe_exec_queue_create, num_placements, FK_VAL),
		FLD(struct drm_xe_exec_queue_create, vm_id, FK_VAL),
		FLD(struct drm_xe_exec_queue_create, flags, FK_MBZ),
		FLD(struct drm_xe_exec_queue_create, exec_queue_id, FK_MBZ),
		FLD(struct drm_xe_exec_queue_create, instances, FK_PTR),
		FLD(struct drm_xe_exec_queue_create, reserved, FK_MBZ),
	};
	struct drm_xe_engine_class_instance eci[MAX_ENGINES];
	struct drm_xe_exec_queue_create c = { .width = 1, .vm_id = vm };
	unsigned int n = pick_placements(f, eci, 4);

	if (!vm) {
		memset(eci, 0, sizeof(eci[0]));
		eci[0].engine_class = DRM_XE_ENGINE_CLASS_VM_BIND;
		n = 1;
	}
	*cls = eci[0].engine_class;
	c.num_placements = (uint16_t)n;
	c.instances = place(f, eci, n * sizeof(eci[0]), mutate_pct / 3);
	if (props)
		c.extensions = ext_props(f);
	mutate(f, &c, flds, NELEM(flds), mutate_pct);
	if (xioctl(IOC_XE_EXEC_QUEUE_CREATE, fd_at(fdi), DRM_IOCTL_XE_EXEC_QUEUE_CREATE, &c))
		return 0;
	if (props)
		path_hit(PATH_QUEUE_PRIORITY);
	return c.exec_queue_id;
}

static void queue_new(struct fz *f, int fdi)
{
	bool bind = chance(&f->r, 20);
	uint32_t vm = 0, id;
	uint16_t cls;
	struct obj o;

	if (!bind) {
		if (!pool_pick(f, O_VM, fdi, 0, 0, &o)) {
			vm_new(f, fdi, 0);
			if (!pool_pick(f, O_VM, fdi, 0, 0, &o))
				return;
		}
		vm = o.id;
	}
	id = queue_create(f, fdi, vm, &cls, chance(&f->r, 20), 20);
	if (!id)
		return;
	o = new_obj(fdi, id, bind ? Q_BIND : 0);
	o.ref = vm;
	o.aux = cls;
	pool_add(f, O_QUEUE, &o);
}

static void do_queue_create(struct fz *f)
{
	queue_new(f, pick_fdi(f));
}

static void do_queue_destroy(struct fz *f)
{
	static const struct fld flds[] = {
		FLD(struct drm_xe_exec_queue_destroy, exec_queue_id, FK_VAL),
		FLD(struct drm_xe_exec_queue_destroy, pad, FK_MBZ),
		FLD(struct drm_xe_exec_queue_destroy, reserved, FK_MBZ),
	};
	int fdi = pick_fdi(f);
	struct drm_xe_exec_queue_destroy d = { 0 };
	struct obj q;

	if (chance(&f->r, 70) && pool_take(f, O_QUEUE, fdi, 0, 0, &q))
		d.exec_queue_id = q.id;
	else
		d.exec_queue_id = pick_id(f, O_QUEUE, fdi, 0, 0);
	mutate(f, &d, flds, NELEM(flds), 10);
	svm_log_add(fdi, SVM_KEY_QUEUE(d.exec_queue_id), 0, ~0ull);
	xioctl(IOC_XE_EXEC_QUEUE_DESTROY, fd_at(fdi), DRM_IOCTL_XE_EXEC_QUEUE_DESTROY, &d);
}

static void do_queue_get_property(struct fz *f)
{
	static const struct fld flds[] = {
		FLD(struct drm_xe_exec_queue_get_property, extensions, FK_EXT),
		FLD(struct drm_xe_exec_queue_get_property, exec_queue_id, FK_VAL),
		FLD(struct drm_xe_exec_queue_get_property, property, FK_VAL),
		FLD(struct drm_xe_exec_queue_get_property, value, FK_VAL),
		FLD(struct drm_xe_exec_queue_get_property, reserved, FK_MBZ),
	};
	int fdi = pick_fdi(f);
	struct drm_xe_exec_queue_get_property p = {
		.exec_queue_id = pick_id(f, O_QUEUE, fdi, 0, 0),
		.property = DRM_XE_EXEC_QUEUE_GET_PROPERTY_BAN,
	};

	mutate(f, &p, flds, NELEM(flds), 20);
	xioctl(IOC_XE_EXEC_QUEUE_GET_PROPERTY, fd_at(fdi), DRM_IOCTL_XE_EXEC_QUEUE_GET_PROPERTY,
	       &p);
}

/* --- VERSION, GET_CAP, undefined requests ------------------------------------- */

static void do_version(struct fz *f)
{
	int fd = fd_at(pick_fdi(f));
	struct drm_version v;
	size_t len[3];
	unsigned int i;
	char *buf[3];

	memset(&v, 0, sizeof(v));
	for (i = 0; i < 3; i++) {
		len[i] = chance(&f->r, 20) ? 0 : rnd(&f->r, 64);
		buf[i] = (char *)(uintptr_t)place(f, NULL, 64, 10);
		if (chance(&f->r, 5))
			len[i] = (size_t)mutate_value(f, len[i], 64);
	}
	v.name_len = len[0];
	v.name = buf[0];
	v.date_len = len[1];
	v.date = buf[1];
	v.desc_len = len[2];
	v.desc = buf[2];
	xioctl(IOC_VERSION, fd, DRM_IOCTL_VERSION, &v);
}

static void do_get_cap(struct fz *f)
{
	struct drm_get_cap c = { .capability = rnd(&f->r, 0x18) };

	if (chance(&f->r, 10))
		c.capability = mutate_value(f, c.capability, 64);
	xioctl(IOC_GET_CAP, fd_at(pick_fdi(f)), DRM_IOCTL_GET_CAP, &c);
}

/*
 * Driver request numbers xe does not define, and defined ones with another
 * size or direction, on random bytes.
 */
static void do_undefined(struct fz *f)
{
	unsigned int nr, size = rnd(&f->r, 256), dir = rnd(&f->r, 4), i;
	uint8_t *arg = scratch_alloc(f, 512, 64);
	unsigned long req;

	for (i = 0; i < 512; i += 8) {
		uint64_t v = chance(&f->r, 70) ? 0 : mutate_value(f, 0, 64);

		memcpy(arg + i, &v, 8);
	}
	if (chance(&f->r, 50))
		nr = DRM_COMMAND_BASE + DRM_XE_WAIT_USER_FENCE + 1 +
		     rnd(&f->r, DRM_COMMAND_END - DRM_COMMAND_BASE - DRM_XE_WAIT_USER_FENCE - 1);
	else
		nr = DRM_COMMAND_BASE + rnd(&f->r, DRM_XE_WAIT_USER_FENCE + 1);
	req = _IOC(dir, DRM_IOCTL_BASE, nr, size);
	xioctl(IOC_XE_UNDEFINED, fd_at(pick_fdi(f)), req,
	       chance(&f->r, 90) ? (void *)arg : (void *)(uintptr_t)bad_ptr(f, uptr(arg)));
}

/* --- fds: opened, and closed under the other threads' feet ----------------- */

static int open_node(int dev_index, bool render)
{
	return render ? drm_open_render_xe() : drm_open_driver_xe_nth(dev_index);
}

static void do_fd_open(struct fz *f)
{
	int fdi = FD_EXTRA + rnd(&f->r, NR_FDS - FD_EXTRA), fd, d;
	bool render = chance(&f->r, 30);

	if (fd_at(fdi) >= 0)
		return;
	d = dev.ndev > 1 && chance(&f->r, 30) ? 1 : 0;
	fd = open_node(d, render && !d);
	if (fd < 0)
		return;
	LOCK();
	if (W.fds[fdi].fd < 0) {
		W.fds[fdi].dev = d;
		__atomic_store_n(&W.fds[fdi].fd, fd, __ATOMIC_RELAXED);
		fd = -1;
	}
	UNLOCK();
	if (fd >= 0)
		close(fd);
}

/* Forgets everything of slot fdi, then closes its fd (the kernel frees the rest). */
static void do_fd_close(struct fz *f)
{
	int fdi = FD_EXTRA + rnd(&f->r, NR_FDS - FD_EXTRA), fd, k, i;

	LOCK();
	fd = W.fds[fdi].fd;
	if (fd >= 0) {
		__atomic_store_n(&W.fds[fdi].fd, -1, __ATOMIC_RELAXED);
		__atomic_add_fetch(&W.fds[fdi].gen, 1, __ATOMIC_RELAXED);
		for (k = 0; k < O_NKIND; k++) {
			struct pool *p = &W.pool[k];

			for (i = 0; i < p->n; )
				if (p->o[i].fdi == fdi)
					p->o[i] = p->o[--p->n];
				else
					i++;
		}
	}
	UNLOCK();
	if (fd < 0)
		return;
	close(fd);
	path_hit(PATH_FD_CLOSED);
}

/* --- user memory for userptr binds ------------------------------------------- */

static void do_mem_alloc(struct fz *f)
{
	uint64_t size = 4096ull << rnd(&f->r, 8);
	uint8_t *p;

	if (chance(&f->r, 15)) {
		/* Read-only pages, filled before they became read-only. */
		p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			return;
		memset(p, 0xa5, size);
		mprotect(p, size, PROT_READ);
		mem_add(f, p, size, M_RO);
		return;
	}
	p = arena_chunk(f, size);
	if (p)
		mem_add(f, p, size, M_ARENA);
}

/* Replaces a chunk of the arena by inaccessible pages, bound or not. */
static void do_mem_free(struct fz *f)
{
	struct mem m;

	if (!mem_pick(f, &m) || m.kind != M_ARENA)
		return;
	if (chance(&f->r, 50))
		arena_release(m.ptr, m.size);
	else
		madvise(m.ptr, m.size, MADV_DONTNEED);
	path_hit(PATH_CHURN);
}

/* --- syncobjs -------------------------------------------------------------------- */

static void do_syncobj_create(struct fz *f)
{
	int fdi = pick_fdi(f);
	struct drm_syncobj_create c = { 0 };
	struct obj o;

	if (chance(&f->r, 30))
		c.flags = DRM_SYNCOBJ_CREATE_SIGNALED;
	if (chance(&f->r, 5))
		c.flags = (uint32_t)mutate_value(f, c.flags, 32);
	if (chance(&f->r, 3))
		c.handle = (uint32_t)rnd64(&f->r);
	if (xioctl(IOC_SYNCOBJ_CREATE, fd_at(fdi), DRM_IOCTL_SYNCOBJ_CREATE, &c))
		return;
	o = new_obj(fdi, c.handle, chance(&f->r, 40) ? SO_TIMELINE : 0);
	pool_add(f, O_SYNCOBJ, &o);
}

static void do_syncobj_destroy(struct fz *f)
{
	int fdi = pick_fdi(f);
	struct drm_syncobj_destroy d = { 0 };
	struct obj o;

	if (chance(&f->r, 70) && pool_take(f, O_SYNCOBJ, fdi, 0, 0, &o))
		d.handle = o.id;
	else
		d.handle = pick_id(f, O_SYNCOBJ, fdi, 0, 0);
	if (chance(&f->r, 5))
		d.pad = 1;
	xioctl(IOC_SYNCOBJ_DESTROY, fd_at(fdi), DRM_IOCTL_SYNCOBJ_DESTROY, &d);
}

/* An absolute CLOCK_MONOTONIC timeout: mostly short, sometimes hostile. */
static int64_t abs_timeout(struct fz *f)
{
	switch (rnd(&f->r, 10)) {
	case 0: case 1:
		return 0;
	case 2:
		return now_ns() - (int64_t)rnd(&f->r, 1000) * NSEC_PER_MSEC;
	case 3:
		/* Past the watchdog: the call is interrupted. */
		return (int64_t)mutate_value(f, INT64_MAX, 64);
	default:
		return now_ns() + (int64_t)rnd(&f->r, 20) * NSEC_PER_MSEC;
	}
}

/* A point on a syncobj's timeline relative to the last one used. */
static uint64_t pick_point(struct fz *f, const struct obj *o)
{
	switch (rnd(&f->r, 8)) {
	case 0:
		return 0;
	case 1:
		return o->size;
	case 2:
		return mutate_value(f, o->size, 64);
	default:
		return o->size + 1 + rnd(&f->r, 3);
	}
}

/* Up to max handles (and points) of syncobjs of fdi; returns how many. */
static unsigned int fill_handles(struct fz *f, int fdi, uint32_t *h, uint64_t *pts,
				 unsigned int max)
{
	unsigned int i, n = 1 + rnd(&f->r, max);
	struct obj o;

	for (i = 0; i < n; i++) {
		if (i && chance(&f->r, 5)) {
			h[i] = h[i - 1];	/* duplicates */
			if (pts)
				pts[i] = pts[i - 1];
			continue;
		}
		memset(&o, 0, sizeof(o));
		if (chance(&f->r, 90) && pool_pick(f, O_SYNCOBJ, fdi, 0, 0, &o))
			h[i] = o.id;
		else
			h[i] = pick_id(f, O_SYNCOBJ, fdi, 0, 0);
		if (pts)
			pts[i] = pick_point(f, &o);
	}
	return n;
}

#define WAIT_FLAGS_ALL	(DRM_SYNCOBJ_WAIT_FLAGS_WAIT_ALL | \
			 DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT | \
			 DRM_SYNCOBJ_WAIT_FLAGS_WAIT_AVAILABLE | \
			 DRM_SYNCOBJ_WAIT_FLAGS_WAIT_DEADLINE)

static uint32_t wait_flags(struct fz *f)
{
	uint32_t flags = (uint32_t)rnd64(&f->r) & WAIT_FLAGS_ALL;

	if (chance(&f->r, 5))
		flags |= 1u << rnd(&f->r, 32);
	return flags;
}

static void do_syncobj_wait(struct fz *f, bool timeline)
{
	static const struct fld flds[] = {
		FLD(struct drm_syncobj_timeline_wait, handles, FK_PTR),
		FLD(struct drm_syncobj_timeline_wait, points, FK_PTR),
		FLD(struct drm_syncobj_timeline_wait, count_handles, FK_VAL),
		FLD(struct drm_syncobj_timeline_wait, first_signaled, FK_MBZ),
		FLD(struct drm_syncobj_timeline_wait, pad, FK_MBZ),
	};
	int fdi = pick_fdi(f), fd = fd_at(fdi);
	struct drm_syncobj_timeline_wait tw;
	struct drm_syncobj_wait w;
	uint32_t h[8];
	uint64_t pts[8];
	unsigned int n = fill_handles(f, fdi, h, pts, 8);

	memset(&tw, 0, sizeof(tw));
	tw.handles = place(f, h, n * sizeof(h[0]), 8);
	tw.points = place(f, pts, n * sizeof(pts[0]), 8);
	tw.count_handles = n;
	tw.flags = wait_flags(f);
	tw.timeout_nsec = abs_timeout(f);
	tw.deadline_nsec = now_ns() + rnd(&f->r, 10) * NSEC_PER_MSEC;
	mutate(f, &tw, flds, NELEM(flds), 10);
	tw.count_handles = clamp_count(tw.count_handles);
	if (timeline) {
		xioctl_guard(IOC_SYNCOBJ_TIMELINE_WAIT, fd, DRM_IOCTL_SYNCOBJ_TIMELINE_WAIT, &tw,
			     GUARD_WAIT_MS);
		return;
	}
	memset(&w, 0, sizeof(w));
	w.handles = tw.handles;
	w.timeout_nsec = tw.timeout_nsec;
	w.count_handles = tw.count_handles;
	w.flags = tw.flags & ~DRM_SYNCOBJ_WAIT_FLAGS_WAIT_AVAILABLE;
	w.first_signaled = tw.first_signaled;
	w.pad = tw.pad;
	w.deadline_nsec = tw.deadline_nsec;
	xioctl_guard(IOC_SYNCOBJ_WAIT, fd, DRM_IOCTL_SYNCOBJ_WAIT, &w, GUARD_WAIT_MS);
}

/* SIGNAL, RESET (binary arrays), TIMELINE_SIGNAL and QUERY (with points). */
static void do_syncobj_array(struct fz *f, enum ioc ioc)
{
	int fdi = pick_fdi(f), fd = fd_at(fdi);
	struct drm_syncobj_timeline_array ta;
	struct drm_syncobj_array a;
	unsigned int n, i;
	uint32_t h[8];
	uint64_t pts[8];
	int ret;

	n = fill_handles(f, fdi, h, pts, 8);
	if (ioc == IOC_SYNCOBJ_SIGNAL || ioc == IOC_SYNCOBJ_RESET) {
		memset(&a, 0, sizeof(a));
		a.handles = place(f, h, n * sizeof(h[0]), 8);
		a.count_handles = chance(&f->r, 5) ? clamp_count(mutate_value(f, n, 32)) : n;
		if (chance(&f->r, 5))
			a.pad = 1;
		xioctl(ioc, fd, ioc == IOC_SYNCOBJ_SIGNAL ? DRM_IOCTL_SYNCOBJ_SIGNAL :
			   DRM_IOCTL_SYNCOBJ_RESET, &a);
		return;
	}

	memset(&ta, 0, sizeof(ta));
	ta.handles = place(f, h, n * sizeof(h[0]), 8);
	ta.points = ioc == IOC_SYNCOBJ_QUERY ? place(f, NULL, n * 8, 8) :
					       place(f, pts, n * sizeof(pts[0]), 8);
	ta.count_handles = chance(&f->r, 5) ? clamp_count(mutate_value(f, n, 32)) : n;
	if (ioc == IOC_SYNCOBJ_QUERY && chance(&f->r, 50))
		ta.flags = DRM_SYNCOBJ_QUERY_FLAGS_LAST_SUBMITTED;
	if (chance(&f->r, 5))
		ta.flags = 1u << rnd(&f->r, 32);
	ret = xioctl(ioc, fd, ioc == IOC_SYNCOBJ_QUERY ? DRM_IOCTL_SYNCOBJ_QUERY :
		     DRM_IOCTL_SYNCOBJ_TIMELINE_SIGNAL, &ta);
	if (ret || ioc != IOC_SYNCOBJ_TIMELINE_SIGNAL)
		return;
	/* Remember the highest points signalled. */
	for (i = 0; i < n; i++) {
		struct obj o;

		if (pool_pick(f, O_SYNCOBJ, fdi, 0, 0, &o) && o.id == h[i] && pts[i] > o.size &&
		    pts[i] < (1ull << 40)) {
			o.size = pts[i];
			pool_update(O_SYNCOBJ, &o);
		}
	}
}

static void do_syncobj_transfer(struct fz *f)
{
	static const struct fld flds[] = {
		FLD(struct drm_syncobj_transfer, src_handle, FK_VAL),
		FLD(struct drm_syncobj_transfer, dst_handle, FK_VAL),
		FLD(struct drm_syncobj_transfer, src_point, FK_VAL),
		FLD(struct drm_syncobj_transfer, dst_point, FK_VAL),
		FLD(struct drm_syncobj_transfer, flags, FK_VAL),
		FLD(struct drm_syncobj_transfer, pad, FK_MBZ),
	};
	int fdi = pick_fdi(f);
	struct drm_syncobj_transfer t;
	struct obj src = { 0 }, dst = { 0 };

	memset(&t, 0, sizeof(t));
	if (!pool_pick(f, O_SYNCOBJ, fdi, 0, 0, &src) || !pool_pick(f, O_SYNCOBJ, fdi, 0, 0, &dst))
		return;
	t.src_handle = src.id;
	t.dst_handle = dst.id;
	t.src_point = src.flags & SO_TIMELINE ? pick_point(f, &src) : 0;
	t.dst_point = dst.flags & SO_TIMELINE ? dst.size + 1 : 0;
	if (chance(&f->r, 10))
		t.flags = DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT;
	mutate(f, &t, flds, NELEM(flds), 15);
	if (!xioctl_guard(IOC_SYNCOBJ_TRANSFER, fd_at(fdi), DRM_IOCTL_SYNCOBJ_TRANSFER, &t,
			  GUARD_WAIT_MS) && t.dst_point > dst.size && t.dst_point < (1ull << 40)) {
		dst.size = t.dst_point;
		pool_update(O_SYNCOBJ, &dst);
	}
}

static void do_syncobj_handle_to_fd(struct fz *f)
{
	int fdi = pick_fdi(f);
	struct drm_syncobj_handle h = { .fd = -1 };
	bool sync_file = chance(&f->r, 40);

	h.handle = pick_id(f, O_SYNCOBJ, fdi, 0, 0);
	if (sync_file)
		h.flags = DRM_SYNCOBJ_HANDLE_TO_FD_FLAGS_EXPORT_SYNC_FILE;
	if (chance(&f->r, 5))
		h.flags = 1u << rnd(&f->r, 32);
	if (chance(&f->r, 5))
		h.pad = 1;
	if (chance(&f->r, 5))
		h.fd = (int32_t)rnd64(&f->r);
	if (xioctl(IOC_SYNCOBJ_HANDLE_TO_FD, fd_at(fdi), DRM_IOCTL_SYNCOBJ_HANDLE_TO_FD, &h))
		return;
	if (h.fd >= 0)
		xfd_add(f, h.fd, sync_file ? X_SYNC_FILE : X_SYNCOBJ);
}

static void do_syncobj_fd_to_handle(struct fz *f)
{
	int fdi = pick_fdi(f);
	struct drm_syncobj_handle h = { 0 };
	bool import = chance(&f->r, 40);
	struct obj o;

	h.fd = chance(&f->r, 80) ? xfd_pick(f, import ? X_SYNC_FILE : X_SYNCOBJ) : wild_fd(f);
	if (import) {
		h.flags = DRM_SYNCOBJ_FD_TO_HANDLE_FLAGS_IMPORT_SYNC_FILE;
		h.handle = pick_id(f, O_SYNCOBJ, fdi, 0, 0);
	}
	if (chance(&f->r, 5))
		h.flags = 1u << rnd(&f->r, 32);
	if (chance(&f->r, 5))
		h.pad = 1;
	if (xioctl(IOC_SYNCOBJ_FD_TO_HANDLE, fd_at(fdi), DRM_IOCTL_SYNCOBJ_FD_TO_HANDLE, &h))
		return;
	if (!import) {
		o = new_obj(fdi, h.handle, 0);
		pool_add(f, O_SYNCOBJ, &o);
	}
}

static void do_syncobj_eventfd(struct fz *f)
{
	int fdi = pick_fdi(f);
	struct drm_syncobj_eventfd e;
	struct obj o = { 0 };
	uint64_t v;

	memset(&e, 0, sizeof(e));
	if (pool_pick(f, O_SYNCOBJ, fdi, 0, 0, &o))
		e.handle = o.id;
	else
		e.handle = pick_id(f, O_SYNCOBJ, fdi, 0, 0);
	e.point = o.flags & SO_TIMELINE ? pick_point(f, &o) : 0;
	e.fd = chance(&f->r, 85) ? f->evfd : wild_fd(f);
	if (chance(&f->r, 30))
		e.flags = DRM_SYNCOBJ_WAIT_FLAGS_WAIT_AVAILABLE;
	if (chance(&f->r, 5))
		e.flags = 1u << rnd(&f->r, 32);
	if (chance(&f->r, 5))
		e.pad = 1;
	xioctl(IOC_SYNCOBJ_EVENTFD, fd_at(fdi), DRM_IOCTL_SYNCOBJ_EVENTFD, &e);
	if (read(f->evfd, &v, sizeof(v)) < 0)
		v = 0;	/* non-blocking: nothing signalled yet */
}

/* --- VM_BIND ------------------------------------------------------------------------ */

static uint64_t pick_addr(struct fz *f, uint64_t range)
{
	static const uint64_t hot[] = {
		0, 0x1000, 0x10000, 0x100000, 0x200000, 0x400000, 0x600000, 0x10000000,
		LANE_BO_ADDR, LANE_UPTR_ADDR, LANE_CHURN_ADDR, 1ull << 32, 1ull << 40,
	};
	uint64_t a;

	switch (rnd(&f->r, 10)) {
	case 0:
		a = (1ull << 48) - range;	/* at the top of the VA space */
		break;
	case 1:
		a = (1ull << 47) - range;
		break;
	case 2:
		a = rnd64(&f->r) & ((1ull << 47) - 1);
		break;
	default:
		a = hot[rnd(&f->r, NELEM(hot))] + 4096ull * rnd(&f->r, 32);
		break;
	}
	return a & ~0xfffull;
}

static uint64_t pick_range(struct fz *f)
{
	unsigned int p = rnd(&f->r, 100);

	if (p < 75)
		return 4096ull << rnd(&f->r, 9);
	if (p < 92)
		return (2ull << 20) << rnd(&f->r, 5);
	return (1ull << 30) << rnd(&f->r, 17);	/* 1 GiB .. 64 TiB */
}

static uint32_t bind_flags(struct fz *f)
{
	uint32_t flags = 0;

	if (chance(&f->r, 10))
		flags |= DRM_XE_VM_BIND_FLAG_READONLY;
	if (chance(&f->r, 50))
		flags |= DRM_XE_VM_BIND_FLAG_IMMEDIATE;
	if (chance(&f->r, 10))
		flags |= DRM_XE_VM_BIND_FLAG_DUMPABLE;
	if (chance(&f->r, 3))
		flags |= chance(&f->r, 50) ? DRM_XE_VM_BIND_FLAG_CHECK_PXP :
					     DRM_XE_VM_BIND_FLAG_CPU_ADDR_MIRROR;
	return flags;
}

static struct drm_xe_vm_bind_op op_base(struct fz *f, uint32_t op, uint64_t addr, uint64_t range)
{
	struct drm_xe_vm_bind_op o;

	memset(&o, 0, sizeof(o));
	o.op = op;
	o.addr = addr;
	o.range = range;
	o.flags = bind_flags(f);
	o.pat_index = chance(&f->r, 80) ? 0 : rnd(&f->r, 32);
	if (op == DRM_XE_VM_BIND_OP_UNMAP || op == DRM_XE_VM_BIND_OP_UNMAP_ALL)
		o.flags &= DRM_XE_VM_BIND_FLAG_IMMEDIATE;
	return o;
}

/* MAP of a BO of fdi (bo may be NULL: any), range clipped to the object. */
static struct drm_xe_vm_bind_op op_map(struct fz *f, int fdi, const struct obj *bo,
				       uint64_t addr, uint64_t range)
{
	struct drm_xe_vm_bind_op o = op_base(f, DRM_XE_VM_BIND_OP_MAP, addr, range);
	struct obj any;

	if (!bo && pool_pick(f, O_BO, fdi, 0, 0, &any))
		bo = &any;
	o.flags &= ~DRM_XE_VM_BIND_FLAG_NULL;
	if (!bo) {
		o.obj = pick_id(f, O_BO, fdi, 0, 0);
		return o;
	}
	o.obj = bo->id;
	if (bo->size >= 4096 && o.range > bo->size)
		o.range = bo->size & ~0xfffull;
	if (bo->size > o.range && chance(&f->r, 30))
		o.obj_offset = (rnd64(&f->r) % (bo->size - o.range + 1)) & ~0xfffull;
	return o;
}

static struct drm_xe_vm_bind_op op_null(struct fz *f, uint64_t addr, uint64_t range)
{
	struct drm_xe_vm_bind_op o = op_base(f, DRM_XE_VM_BIND_OP_MAP, addr, range);

	o.flags |= DRM_XE_VM_BIND_FLAG_NULL;
	return o;
}

/*
 * MAP_USERPTR of user memory: arena chunks (possibly reaching past their
 * end, within the arena), the churned region, malloc'd buffers, read-only
 * pages, BO mappings; rarely TiB ranges, wrapping or kernel-half ones.
 */
static struct drm_xe_vm_bind_op op_userptr(struct fz *f, uint64_t addr, uint64_t range)
{
	struct drm_xe_vm_bind_op o = op_base(f, DRM_XE_VM_BIND_OP_MAP_USERPTR, addr, range);
	uint8_t *arena_end = W.arena + ARENA_SIZE - 4096;
	unsigned int p = rnd(&f->r, 100), i;
	struct mem m;

	o.flags &= ~DRM_XE_VM_BIND_FLAG_NULL;
	if (p < 4) {
		/* TiB-sized, over reserved inaccessible memory. */
		o.userptr = uptr(W.huge);
		o.range = (1ull << 30) << rnd(&f->r, 12);
		if (o.range > HUGE_SIZE)
			o.range = HUGE_SIZE;
	} else if (p < 6) {
		/* Wrapping past 2^64, or above the user half. */
		o.userptr = chance(&f->r, 50) ? 0xfffffffffffff000ull - 4096 * rnd(&f->r, 4) :
						 USER_TOP - 4096 * rnd(&f->r, 4);
		o.range = 4096ull << rnd(&f->r, 6);
	} else if (p < 25) {
		o.range = o.range > CHURN_SIZE ? CHURN_SIZE : o.range;
		o.userptr = uptr(churn_base()) + ((rnd64(&f->r) % (CHURN_SIZE - o.range + 1)) &
						  ~0xfffull);
	} else if (p < 35) {
		i = rnd(&f->r, MALLOC_BUFS);
		o.userptr = uptr(W.malloc_buf[i]);
		if (o.range > W.malloc_size[i])
			o.range = W.malloc_size[i];
	} else if (mem_pick(f, &m)) {
		o.userptr = uptr(m.ptr);
		if (m.kind == M_ARENA && chance(&f->r, 20)) {
			if (o.userptr + o.range > uptr(arena_end))
				o.range = (uptr(arena_end) - o.userptr) & ~0xfffull;
		} else if (o.range > m.size) {
			o.range = m.size;
		}
		if (m.kind == M_RO && chance(&f->r, 60))
			o.flags |= DRM_XE_VM_BIND_FLAG_READONLY;
	} else {
		o.userptr = uptr(W.malloc_buf[0]);
		o.range = 4096;
	}
	return o;
}

static struct drm_xe_vm_bind_op op_unmap(struct fz *f, uint64_t addr, uint64_t range)
{
	return op_base(f, DRM_XE_VM_BIND_OP_UNMAP, addr, range);
}

static struct drm_xe_vm_bind_op op_unmap_all(struct fz *f, uint32_t bo)
{
	struct drm_xe_vm_bind_op o = op_base(f, DRM_XE_VM_BIND_OP_UNMAP_ALL, 0, 0);

	o.obj = bo;
	return o;
}

/*
 * MAP with CPU_ADDR_MIRROR (refused but in fault-mode VMs): all of the
 * address space, the SVM area, part of a thread's SVM memory, a thread's
 * malloc'd buffer, or the range given; read-only now and then.
 */
static struct drm_xe_vm_bind_op op_mirror(struct fz *f, uint64_t addr, uint64_t range)
{
	struct drm_xe_vm_bind_op o = op_base(f, DRM_XE_VM_BIND_OP_MAP, addr, range);
	struct svm_mem *m = W.nsvm ? &W.svm[rnd(&f->r, W.nsvm)] : NULL;

	o.flags &= DRM_XE_VM_BIND_FLAG_READONLY | DRM_XE_VM_BIND_FLAG_IMMEDIATE |
		   DRM_XE_VM_BIND_FLAG_DUMPABLE;
	o.flags |= DRM_XE_VM_BIND_FLAG_CPU_ADDR_MIRROR;
	switch (rnd(&f->r, 5)) {
	case 0:
		o.addr = 0;
		o.range = 1ull << 48;
		break;
	case 1:
		o.addr = SVM_BASE;
		o.range = SVM_AREA;
		break;
	case 2:
		if (!m)
			break;
		o.addr = uptr(m->base) + 4096ull * rnd(&f->r, SVM_STRIDE / 4096);
		o.range = 4096ull << rnd(&f->r, 9);
		break;
	case 3:
		if (!m)
			break;
		o.addr = uptr(m->heap);
		o.range = SVM_HEAP_SIZE;
		break;
	default:
		break;
	}
	return o;
}

/* PREFETCH into system memory or VRAM (any instance, now and then). */
static struct drm_xe_vm_bind_op op_prefetch(struct fz *f, uint64_t addr, uint64_t range)
{
	struct drm_xe_vm_bind_op o = op_base(f, DRM_XE_VM_BIND_OP_PREFETCH, addr, range);
	uint32_t mask = dev.vram && chance(&f->r, 50) ? dev.vram : dev.sysmem;

	o.flags &= DRM_XE_VM_BIND_FLAG_IMMEDIATE;
	o.prefetch_mem_region_instance = chance(&f->r, 5) ? rnd(&f->r, 34) :
				       (uint32_t)__builtin_ctz(mask);
	return o;
}

static const struct fld op_flds[] = {
	FLD(struct drm_xe_vm_bind_op, extensions, FK_EXT),
	FLD(struct drm_xe_vm_bind_op, obj, FK_VAL),
	FLD(struct drm_xe_vm_bind_op, pat_index, FK_VAL),
	FLD(struct drm_xe_vm_bind_op, pad, FK_MBZ),
	FLD(struct drm_xe_vm_bind_op, obj_offset, FK_VAL),
	FLD(struct drm_xe_vm_bind_op, range, FK_VAL),
	FLD(struct drm_xe_vm_bind_op, addr, FK_VAL),
	FLD(struct drm_xe_vm_bind_op, op, FK_VAL),
	FLD(struct drm_xe_vm_bind_op, flags, FK_VAL),
	FLD(struct drm_xe_vm_bind_op, prefetch_mem_region_instance, FK_VAL),
	FLD(struct drm_xe_vm_bind_op, pad2, FK_MBZ),
	FLD(struct drm_xe_vm_bind_op, reserved, FK_MBZ),
};

static const struct fld sync_flds[] = {
	FLD(struct drm_xe_sync, extensions, FK_EXT),
	FLD(struct drm_xe_sync, type, FK_VAL),
	FLD(struct drm_xe_sync, flags, FK_VAL),
	FLD(struct drm_xe_sync, addr, FK_VAL),
	FLD(struct drm_xe_sync, timeline_value, FK_VAL),
	FLD(struct drm_xe_sync, reserved, FK_MBZ),
};

/*
 * Up to max syncs on syncobjs of fdi: binary and timeline, in and out,
 * timeline points at 0 and beyond (on binary syncobjs too), and one user
 * fence at ufence_addr (a CPU address for binds, a GPU one for execs).
 */
static unsigned int fill_syncs(struct fz *f, int fdi, struct drm_xe_sync *s, unsigned int max,
			       uint64_t ufence_addr, uint64_t ufence_value, unsigned int mutate_pct)
{
	unsigned int i, n = rnd(&f->r, max + 1);
	bool ufence = false;
	struct obj o;

	for (i = 0; i < n; i++) {
		memset(&s[i], 0, sizeof(s[i]));
		if (!ufence && ufence_addr && chance(&f->r, 25)) {
			s[i] = xe_sync_ufence(ufence_addr, ufence_value);
			ufence = !chance(&f->r, 5);
		} else if (pool_pick(f, O_SYNCOBJ, fdi, 0, 0, &o)) {
			bool signal = chance(&f->r, 50);
			bool timeline = o.flags & SO_TIMELINE ? !chance(&f->r, 10) :
							     chance(&f->r, 10);

			if (timeline) {
				uint64_t point = signal ? o.size + 1 : pick_point(f, &o);

				s[i] = xe_sync_timeline(o.id, point, signal);
				if (!signal && point && !(o.flags & SO_TIMELINE))
					path_hit(PATH_TIMELINE_ON_BINARY);
				if (signal) {
					o.size = point;
					pool_update(O_SYNCOBJ, &o);
				}
			} else {
				s[i] = xe_sync_syncobj(o.id, signal);
			}
		} else {
			s[i] = xe_sync_syncobj(pick_id(f, O_SYNCOBJ, fdi, 0, 0), chance(&f->r, 50));
		}
		mutate(f, &s[i], sync_flds, NELEM(sync_flds), mutate_pct);
	}
	return n;
}

static int vm_bind(struct fz *f, int fdi, uint32_t vm, uint32_t queue,
		   struct drm_xe_vm_bind_op *ops, unsigned int n, struct drm_xe_sync *syncs,
		   unsigned int nsyncs, unsigned int mutate_pct)
{
	static const struct fld flds[] = {
		FLD(struct drm_xe_vm_bind, extensions, FK_EXT),
		FLD(struct drm_xe_vm_bind, vm_id, FK_VAL),
		FLD(struct drm_xe_vm_bind, exec_queue_id, FK_VAL),
		FLD(struct drm_xe_vm_bind, pad, FK_MBZ),
		FLD(struct drm_xe_vm_bind, num_binds, FK_VAL),
		FLD(struct drm_xe_vm_bind, pad2, FK_MBZ),
		FLD(struct drm_xe_vm_bind, num_syncs, FK_VAL),
		FLD(struct drm_xe_vm_bind, syncs, FK_PTR),
		FLD(struct drm_xe_vm_bind, reserved, FK_MBZ),
		FLD(struct drm_xe_vm_bind, vector_of_binds, FK_PTR),
	};
	struct drm_xe_vm_bind b;
	unsigned int i;
	int64_t t0;
	int ret;

	for (i = 0; i < n; i++)
		mutate(f, &ops[i], op_flds, NELEM(op_flds), mutate_pct / 4);
	memset(&b, 0, sizeof(b));
	b.vm_id = vm;
	b.exec_queue_id = queue;
	b.num_binds = n;
	if (n == 1)
		b.bind = ops[0];
	else
		b.vector_of_binds = place(f, ops, n * sizeof(ops[0]), mutate_pct / 4);
	b.num_syncs = nsyncs;
	b.syncs = nsyncs ? place(f, syncs, nsyncs * sizeof(syncs[0]), mutate_pct / 4) : 0;
	/* The last field (the vector pointer) only when there is a vector. */
	mutate(f, &b, flds, NELEM(flds) - (n == 1), mutate_pct);
	/* The lanes' own binds change nothing another lane uses. */
	for (i = 0; mutate_pct && i < n; i++)
		svm_log_op(fdi, b.vm_id, &ops[i]);
	t0 = now_ns();
	ret = xioctl(IOC_XE_VM_BIND, fd_at(fdi), DRM_IOCTL_XE_VM_BIND, &b);
	t0 = now_ns() - t0;
	/* Far past the watchdog: which ops, for whoever reads the console log. */
	for (i = 0; t0 > 2 * GUARD_MS * NSEC_PER_MSEC && i < n; i++)
		fprintf(stderr, "xe_fuzz[%d]: VM_BIND took %.1f s (%d): op %u flags %#x addr %#"
			PRIx64 " range %#" PRIx64 " obj %u\n", getpid(), t0 / 1e9, ret, ops[i].op,
			ops[i].flags, (uint64_t)ops[i].addr, (uint64_t)ops[i].range, ops[i].obj);
	return ret;
}

/* Vectors whose ops act on each other's mappings. */
enum scenario {
	SC_RANDOM,
	SC_UPTR_MAP_UNMAP,	/* map a userptr, unmap it again */
	SC_UPTR_UNMAP_PART,	/* ... unmap part of it, maybe map the hole again */
	SC_UPTR_THEN_BO,	/* ... map a BO over part of it */
	SC_SPLIT,		/* map a BO, map another over its middle, restore */
	SC_UNMAP_ALL,		/* map a BO twice, UNMAP_ALL it */
	SC_NULL_THEN,		/* NULL-map a (maybe huge) range, map and unmap inside it */
	SC_ACROSS,		/* three kinds of mappings, one unmap across them */
	SC_MIRROR,		/* mirror, a BO inside, unmap part, prefetch */
	SC_NR
};

#define MAX_OPS		16

static struct drm_xe_vm_bind_op op_random(struct fz *f, int fdi)
{
	uint64_t range = pick_range(f), addr = pick_addr(f, range);
	struct obj bo;

	switch (rnd(&f->r, 6)) {
	case 0:
		return op_map(f, fdi, NULL, addr, range);
	case 1:
		return op_userptr(f, addr, range);
	case 2:
		return op_null(f, addr, range);
	case 3:
		return op_unmap(f, addr, range);
	case 4:
		return chance(&f->r, 50) ? op_mirror(f, addr, range) : op_prefetch(f, addr, range);
	default:
		return op_unmap_all(f, pool_pick(f, O_BO, fdi, 0, 0, &bo) ? bo.id : 0);
	}
}

static unsigned int scenario(struct fz *f, int fdi, enum scenario sc,
			     struct drm_xe_vm_bind_op *ops)
{
	uint64_t range = 4096ull << (1 + rnd(&f->r, 8)), pages = range / 4096;
	uint64_t a = pick_addr(f, 4 * range);
	uint64_t off = 4096 * rnd(&f->r, (uint32_t)pages);
	uint64_t len = 4096 * (1 + rnd(&f->r, (uint32_t)(pages - off / 4096)));
	unsigned int n = 0, i;
	struct obj bo;
	bool have_bo = pool_pick(f, O_BO, fdi, 0, 0, &bo);

	switch (sc) {
	case SC_UPTR_MAP_UNMAP:
		ops[n++] = op_userptr(f, a, range);
		ops[n++] = op_unmap(f, a, ops[0].range);
		break;
	case SC_UPTR_UNMAP_PART:
		ops[n++] = op_userptr(f, a, range);
		ops[n++] = op_unmap(f, a + off, len);
		if (chance(&f->r, 50))
			ops[n++] = op_userptr(f, a + off, len);
		break;
	case SC_UPTR_THEN_BO:
		ops[n++] = op_userptr(f, a, range);
		ops[n++] = op_map(f, fdi, NULL, a + off, len);
		if (chance(&f->r, 40))
			ops[n++] = op_unmap(f, a, range);
		break;
	case SC_SPLIT:
		ops[n++] = op_map(f, fdi, have_bo ? &bo : NULL, a, range);
		ops[n++] = chance(&f->r, 50) ? op_map(f, fdi, NULL, a + off, len) :
					       op_null(f, a + off, len);
		if (chance(&f->r, 50))
			ops[n++] = op_map(f, fdi, have_bo ? &bo : NULL, a, range);
		break;
	case SC_UNMAP_ALL:
		if (!have_bo)
			break;
		ops[n++] = op_map(f, fdi, &bo, a, range);
		ops[n++] = op_map(f, fdi, &bo, a + 2 * range, range);
		ops[n++] = op_unmap_all(f, bo.id);
		break;
	case SC_NULL_THEN:
		range = chance(&f->r, 30) ? pick_range(f) : range;
		ops[n++] = op_null(f, a, range);
		ops[n++] = op_map(f, fdi, NULL, a + off, len);
		ops[n++] = op_unmap(f, a + off, len);
		break;
	case SC_ACROSS:
		ops[n++] = op_map(f, fdi, NULL, a, range);
		ops[n++] = op_userptr(f, a + range, range);
		ops[n++] = op_null(f, a + 2 * range, range);
		ops[n++] = op_unmap(f, a - (chance(&f->r, 50) ? 4096 : 0), 3 * range + 4096);
		break;
	case SC_MIRROR:
		ops[n++] = op_mirror(f, a, range);
		a = ops[0].addr;
		range = ops[0].range;
		off = range > 4096 ? 4096 * (rnd64(&f->r) % (range / 4096)) : 0;
		ops[n++] = chance(&f->r, 70) ? op_map(f, fdi, NULL, a + off, len) :
					       op_null(f, a + off, len);
		if (chance(&f->r, 50))
			ops[n++] = op_unmap(f, a + off, len);
		if (chance(&f->r, 50))
			ops[n++] = op_prefetch(f, a, chance(&f->r, 80) ? len : range);
		break;
	default:
		break;
	}
	/* Random ops around them, or instead of them. */
	for (i = n ? rnd(&f->r, 3) : 1 + rnd(&f->r, 8); i && n < MAX_OPS; i--)
		ops[n++] = op_random(f, fdi);
	return n;
}

/* Counts the deep paths a successful vector went through. */
static void bind_paths(enum scenario sc, const struct drm_xe_vm_bind_op *ops, unsigned int n)
{
	unsigned int i;

	if (n > 1)
		path_hit(PATH_BIND_VECTOR);
	if (sc == SC_UPTR_MAP_UNMAP && n > 1)
		path_hit(PATH_BIND_USERPTR_MAP_UNMAP);
	if (sc == SC_SPLIT || sc == SC_UPTR_THEN_BO || sc == SC_UPTR_UNMAP_PART)
		path_hit(PATH_BIND_REMAP);
	if (sc == SC_UNMAP_ALL && n > 2)
		path_hit(PATH_BIND_UNMAP_ALL);
	for (i = 0; i < n; i++) {
		if (ops[i].op == DRM_XE_VM_BIND_OP_MAP_USERPTR)
			path_hit(PATH_BIND_USERPTR);
		if (ops[i].op == DRM_XE_VM_BIND_OP_MAP &&
		    (ops[i].flags & DRM_XE_VM_BIND_FLAG_NULL) && ops[i].range >= (1ull << 30))
			path_hit(PATH_BIND_NULL_HUGE);
		if (ops[i].op == DRM_XE_VM_BIND_OP_MAP &&
		    (ops[i].flags & DRM_XE_VM_BIND_FLAG_CPU_ADDR_MIRROR))
			path_hit(PATH_SVM_MIRROR);
	}
}

static int wait_ufence(int fd, uint64_t addr, uint64_t value, uint32_t queue, int64_t timeout)
{
	struct drm_xe_wait_user_fence w = {
		.addr = addr,
		.op = DRM_XE_UFENCE_WAIT_OP_EQ,
		.value = value,
		.mask = ~0ull,
		.timeout = timeout,
		.exec_queue_id = queue,
	};

	return xioctl_guard(IOC_XE_WAIT_USER_FENCE, fd, DRM_IOCTL_XE_WAIT_USER_FENCE, &w,
			    (unsigned int)(timeout / NSEC_PER_MSEC) + GUARD_WAIT_MS);
}

static void do_vm_bind(struct fz *f)
{
	struct drm_xe_vm_bind_op ops[MAX_OPS];
	struct drm_xe_sync syncs[4];
	enum scenario sc = rnd(&f->r, SC_NR);
	int fdi = pick_fdi(f);
	uint64_t *fence = &f->fences[rnd(&f->r, 512)];
	uint64_t value = rnd64(&f->r) | 1;
	unsigned int n, ns = 0, i;
	uint32_t vm, queue = 0;
	struct obj o;

	/* An fd without VMs gets one, mostly. */
	if (!pool_pick(f, O_VM, fdi, 0, 0, &o) && chance(&f->r, 80))
		vm_new(f, fdi, 0);
	vm = pick_id(f, O_VM, fdi, 0, 0);
	if (chance(&f->r, 25))
		queue = pick_id(f, O_QUEUE, fdi, Q_BIND, 0);
	n = scenario(f, fdi, sc, ops);
	if (chance(&f->r, 40))
		ns = fill_syncs(f, fdi, syncs, 3, uptr(fence), value, 5);
	*fence = 0;
	if (vm_bind(f, fdi, vm, queue, ops, n, syncs, ns, 15))
		return;
	bind_paths(sc, ops, n);
	for (i = 0; i < ns; i++)
		if (syncs[i].type == DRM_XE_SYNC_TYPE_USER_FENCE && syncs[i].addr == uptr(fence) &&
		    !wait_ufence(fd_at(fdi), uptr(fence), value, 0, 100 * NSEC_PER_MSEC))
			path_hit(PATH_BIND_UFENCE);
}

/* --- EXEC and WAIT_USER_FENCE ------------------------------------------------------ */

static const struct fld exec_flds[] = {
	FLD(struct drm_xe_exec, extensions, FK_EXT),
	FLD(struct drm_xe_exec, exec_queue_id, FK_VAL),
	FLD(struct drm_xe_exec, num_syncs, FK_VAL),
	FLD(struct drm_xe_exec, syncs, FK_PTR),
	FLD(struct drm_xe_exec, address, FK_VAL),
	FLD(struct drm_xe_exec, num_batch_buffer, FK_VAL),
	FLD(struct drm_xe_exec, pad, FK_MBZ),
	FLD(struct drm_xe_exec, reserved, FK_MBZ),
};

/* Execs on any queue, of whatever lies at a hot address of its VM. */
static void do_exec(struct fz *f)
{
	int fdi = pick_fdi(f);
	struct drm_xe_sync syncs[4];
	struct drm_xe_exec e;
	unsigned int ns;
	struct obj o;

	if (!pool_pick(f, O_QUEUE, fdi, 0, Q_BIND, &o) && chance(&f->r, 80))
		queue_new(f, fdi);
	memset(&e, 0, sizeof(e));
	e.exec_queue_id = pick_id(f, O_QUEUE, fdi, 0, Q_BIND);
	e.address = pick_addr(f, 4096);
	e.num_batch_buffer = 1;
	ns = fill_syncs(f, fdi, syncs, 4, pick_addr(f, 4096) + 8 * rnd(&f->r, 512),
			rnd64(&f->r), 5);
	e.num_syncs = ns;
	e.syncs = ns ? place(f, syncs, ns * sizeof(syncs[0]), 5) : 0;
	mutate(f, &e, exec_flds, NELEM(exec_flds), 20);
	svm_log_add(fdi, SVM_KEY_QUEUE(e.exec_queue_id), 0, ~0ull);
	xioctl(IOC_XE_EXEC, fd_at(fdi), DRM_IOCTL_XE_EXEC, &e);
}

static void do_wait_ufence(struct fz *f)
{
	static const struct fld flds[] = {
		FLD(struct drm_xe_wait_user_fence, extensions, FK_EXT),
		FLD(struct drm_xe_wait_user_fence, addr, FK_PTR),
		FLD(struct drm_xe_wait_user_fence, op, FK_VAL),
		FLD(struct drm_xe_wait_user_fence, flags, FK_VAL),
		FLD(struct drm_xe_wait_user_fence, pad, FK_MBZ),
		FLD(struct drm_xe_wait_user_fence, value, FK_VAL),
		FLD(struct drm_xe_wait_user_fence, mask, FK_VAL),
		FLD(struct drm_xe_wait_user_fence, timeout, FK_VAL),
		FLD(struct drm_xe_wait_user_fence, exec_queue_id, FK_VAL),
		FLD(struct drm_xe_wait_user_fence, pad2, FK_MBZ),
		FLD(struct drm_xe_wait_user_fence, reserved, FK_MBZ),
	};
	static const uint64_t masks[] = { ~0ull, 0xffffffffull, 0, 1, 0xff00ff00ff00ff00ull };
	int fdi = pick_fdi(f);
	struct drm_xe_wait_user_fence w;
	uint64_t *slot = &f->fences[rnd(&f->r, 512)];

	memset(&w, 0, sizeof(w));
	w.addr = chance(&f->r, 80) ? uptr(slot) : uptr(f->ro) + 8 * rnd(&f->r, 64);
	w.op = rnd(&f->r, 6);
	w.value = chance(&f->r, 50) ? *slot : rnd64(&f->r);
	w.mask = masks[rnd(&f->r, NELEM(masks))];
	if (chance(&f->r, 20)) {
		w.flags = DRM_XE_UFENCE_WAIT_FLAG_ABSTIME;
		w.timeout = abs_timeout(f);
	} else {
		w.timeout = chance(&f->r, 10) ? -1 : (int64_t)rnd(&f->r, 20) * NSEC_PER_MSEC;
	}
	if (chance(&f->r, 50))
		w.exec_queue_id = pick_id(f, O_QUEUE, fdi, 0, 0);
	mutate(f, &w, flds, NELEM(flds), 20);
	xioctl_guard(IOC_XE_WAIT_USER_FENCE, fd_at(fdi), DRM_IOCTL_XE_WAIT_USER_FENCE, &w,
		     GUARD_WAIT_MS);
}

/* memcpy() that survives a faulting source or destination; false if it faulted. */
static bool guarded_copy(void *dst, const void *src, size_t len)
{
	if (sigsetjmp(touch_jmp, 1)) {
		path_hit(PATH_CPU_FAULT);
		return false;
	}
	touch_armed = 1;
	memcpy(dst, src, len);
	touch_armed = 0;
	return true;
}

/* --- lanes: real work on a VM of one's own ------------------------------------------ */

struct lane {
	bool up;
	int fdi;
	uint32_t vm, vm_flags, queue, bo, so, tl;
	uint16_t cls;
	bool vram;
	uint8_t *map;		/* the BO, mapped */
	uint8_t *umem;		/* the userptr, between guard pages */
	uint64_t point;		/* last point of tl a job signals */
	uint64_t seq;
	int64_t hang_end;	/* a never-ending job runs until about then */
	bool unsettled;		/* the queue has a job whose end was not seen */
	unsigned int failures;
	/*
	 * SVM, in fault-mode lanes: the last mirror the lane bound,
	 * [mir_lo, mir_hi) but for [hole_lo, hole_hi), unbound since.
	 */
	enum { MIR_NONE, MIR_KNOWN, MIR_UNKNOWN } mir;
	bool mir_ro;
	unsigned int mirrors;	/* mirror binds that succeeded */
	uint64_t mir_lo, mir_hi, hole_lo, hole_hi;
	/* Where the bind log stood when the lane bound all, its BO, its last mirror, its queue */
	uint64_t log_base, bo_base, mir_base, queue_base;
};

static void pool_forget(enum okind k, int fdi, uint32_t id)
{
	struct pool *p = &W.pool[k];
	int i;

	LOCK();
	for (i = 0; i < p->n; i++) {
		if (p->o[i].fdi == fdi && p->o[i].id == id) {
			p->o[i] = p->o[--p->n];
			break;
		}
	}
	UNLOCK();
}

static void lane_down(struct fz *f, struct lane *l)
{
	struct obj o;

	if (l->queue) {
		o = new_obj(l->fdi, l->queue, 0);
		obj_destroy(O_QUEUE, &o);
	}
	if (l->vm) {
		pool_forget(O_VM, l->fdi, l->vm);
		o = new_obj(l->fdi, l->vm, 0);
		obj_destroy(O_VM, &o);
	}
	if (l->bo) {
		pool_forget(O_BO, l->fdi, l->bo);
		o = new_obj(l->fdi, l->bo, 0);
		obj_destroy(O_BO, &o);
	}
	if (l->so) {
		o = new_obj(l->fdi, l->so, 0);
		obj_destroy(O_SYNCOBJ, &o);
	}
	if (l->tl) {
		o = new_obj(l->fdi, l->tl, 0);
		obj_destroy(O_SYNCOBJ, &o);
	}
	if (l->map)
		munmap(l->map, LANE_BO_SIZE);
	if (l->umem)
		munmap(l->umem - 4096, LANE_UPTR_SIZE + 8192);
	memset(l, 0, sizeof(*l));
}

static uint32_t lane_syncobj(int fdi)
{
	struct drm_syncobj_create c = { 0 };

	return xioctl(IOC_SYNCOBJ_CREATE, fd_at(fdi), DRM_IOCTL_SYNCOBJ_CREATE, &c) ? 0 : c.handle;
}

static bool lane_queue(struct fz *f, struct lane *l)
{
	l->unsettled = false;
	l->queue_base = svm_log_pos(l->fdi);
	l->queue = queue_create(f, l->fdi, l->vm, &l->cls, chance(&f->r, 20), 0);
	return l->queue != 0;
}

/* The ops binding the lane's BO, userptr and a piece of the churned region. */
static unsigned int lane_ops(struct fz *f, struct lane *l, struct drm_xe_vm_bind_op *ops)
{
	uint32_t flags = DRM_XE_VM_BIND_FLAG_IMMEDIATE;
	uint64_t churn = (rnd64(&f->r) % (CHURN_SIZE - LANE_CHURN_SIZE)) & ~0xfffull;

	/* In fault mode, let the GPU fault them in now and then. */
	if ((l->vm_flags & DRM_XE_VM_CREATE_FLAG_FAULT_MODE) && chance(&f->r, 50))
		flags = 0;
	ops[0] = xe_bind_op_map(l->bo, 0, LANE_BO_ADDR, LANE_BO_SIZE, flags);
	ops[1] = xe_bind_op_userptr(l->umem, LANE_UPTR_ADDR, LANE_UPTR_SIZE, flags);
	ops[2] = xe_bind_op_userptr(churn_base() + churn, LANE_CHURN_ADDR, LANE_CHURN_SIZE, flags);
	return 3;
}

/* Binds them, in one vector. */
static int lane_bind_all(struct fz *f, struct lane *l)
{
	uint64_t pos = svm_log_pos(l->fdi);
	struct drm_xe_vm_bind_op ops[3];
	int ret;

	ret = vm_bind(f, l->fdi, l->vm, 0, ops, lane_ops(f, l, ops), NULL, 0, 0);
	/* A vector that failed may have done part of its work. */
	l->bo_base = ret ? SVM_LOG_UNSURE : pos;
	return ret;
}

static bool lane_up(struct fz *f, struct lane *l)
{
	struct drm_xe_vm_create vc = { .flags = vm_kinds[rnd(&f->r, NELEM(vm_kinds))] };
	struct drm_xe_gem_create gc = { .size = LANE_BO_SIZE };
	uint8_t *res;
	struct obj o;

	/* More fault-mode lanes where they can run SVM batches. */
	if (W.nsvm && chance(&f->r, 30))
		vc.flags = DRM_XE_VM_CREATE_FLAG_LR_MODE | DRM_XE_VM_CREATE_FLAG_FAULT_MODE;
	memset(l, 0, sizeof(*l));
	l->fdi = chance(&f->r, 75) ? FD_OWN : FD_SHARED;
	l->log_base = svm_log_pos(l->fdi);
	l->bo_base = l->log_base;
	if (xioctl(IOC_XE_VM_CREATE, fd_at(l->fdi), DRM_IOCTL_XE_VM_CREATE, &vc))
		goto err;
	l->vm = vc.vm_id;
	l->vm_flags = vc.flags;
	o = new_obj(l->fdi, l->vm, (uint8_t)(vc.flags | VM_LANE));
	pool_add(f, O_VM, &o);

	l->vram = dev.vram && chance(&f->r, 30);
	gc.placement = l->vram ? dev.vram : dev.sysmem;
	gc.cpu_caching = l->vram ? DRM_XE_GEM_CPU_CACHING_WC : DRM_XE_GEM_CPU_CACHING_WB;
	if (xioctl(IOC_XE_GEM_CREATE, fd_at(l->fdi), DRM_IOCTL_XE_GEM_CREATE, &gc))
		goto err;
	l->bo = gc.handle;
	l->map = __xe_bo_map(fd_at(l->fdi), l->bo, LANE_BO_SIZE, PROT_READ | PROT_WRITE);
	if (!l->map || !touch(l->map, LANE_BO_SIZE, true))
		goto err;
	o = new_obj(l->fdi, l->bo, l->vram ? BO_VRAM : 0);
	o.size = LANE_BO_SIZE;
	pool_add(f, O_BO, &o);

	res = reserve(LANE_UPTR_SIZE + 8192);
	if (!res || mmap(res + 4096, LANE_UPTR_SIZE, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED)
		goto err;
	l->umem = res + 4096;
	memset(l->umem, 0, LANE_UPTR_SIZE);

	l->so = lane_syncobj(l->fdi);
	l->tl = lane_syncobj(l->fdi);
	if (!l->so || !l->tl || lane_bind_all(f, l) || !lane_queue(f, l))
		goto err;
	l->up = true;
	return true;
err:
	lane_down(f, l);
	return false;
}

static int64_t last_hang_ns;	/* of this worker, under W.lock */

/* CPU address of a lane's GPU address, or NULL outside its BO and userptr. */
static uint8_t *lane_cpu(struct lane *l, uint64_t gpu)
{
	if (gpu >= LANE_BO_ADDR && gpu < LANE_BO_ADDR + LANE_BO_SIZE)
		return l->map + (gpu - LANE_BO_ADDR);
	if (gpu >= LANE_UPTR_ADDR && gpu < LANE_UPTR_ADDR + LANE_UPTR_SIZE)
		return l->umem + (gpu - LANE_UPTR_ADDR);
	return NULL;
}

/* After a failed exec: a banned or vanished queue is replaced; a lane failing on is rebuilt. */
static void lane_failed(struct fz *f, struct lane *l, int err)
{
	struct obj o;

	if (++l->failures > 4) {
		lane_down(f, l);
		return;
	}
	if (err != -ECANCELED && err != -ENOENT && err != -EINVAL)
		return;
	if (err == -ECANCELED)
		path_hit(PATH_QUEUE_BANNED);
	o = new_obj(l->fdi, l->queue, 0);
	obj_destroy(O_QUEUE, &o);
	l->hang_end = 0;
	if (!lane_queue(f, l))
		lane_down(f, l);
}

static int lane_exec(struct fz *f, struct lane *l, uint64_t addr, struct drm_xe_sync *s,
		     unsigned int ns)
{
	struct drm_xe_exec e;

	memset(&e, 0, sizeof(e));
	e.exec_queue_id = l->queue;
	e.num_syncs = ns;
	e.syncs = ns ? place(f, s, ns * sizeof(s[0]), 0) : 0;
	e.address = addr;
	e.num_batch_buffer = 1;
	return xioctl(IOC_XE_EXEC, fd_at(l->fdi), DRM_IOCTL_XE_EXEC, &e);
}

/*
 * Runs a batch of stores into the lane's BO, userptr and churned range,
 * with syncobj, timeline and user fence syncs, waits for it (a short
 * while) and reads back what it stored.
 */
static void lane_run(struct fz *f, struct lane *l)
{
	static const uint64_t bases[] = {
		LANE_BO_ADDR + LANE_DATA, LANE_UPTR_ADDR, LANE_CHURN_ADDR,
	};
	bool lr = l->vm_flags & DRM_XE_VM_CREATE_FLAG_LR_MODE, ufence, done = false, ok = true;
	uint64_t seq = ++l->seq, boff = (seq & 1) * 0x1000, addrs[LANE_MAX_STORES];
	uint64_t fence_off = LANE_FENCES + 8 * (seq % 64), zero = 0;
	unsigned int k = 1 + rnd(&f->r, LANE_MAX_STORES), i, ns = 0;
	uint32_t batch[LANE_MAX_STORES * 4 + 1], vals[LANE_MAX_STORES], *cs = batch;
	int fd = fd_at(l->fdi), ret;
	struct drm_xe_sync s[5];
	bool bad_sync = false;

	for (i = 0; i < k; i++) {
		addrs[i] = bases[rnd(&f->r, 3)] + 4 * (i + LANE_MAX_STORES * rnd(&f->r, 256));
		vals[i] = (uint32_t)(seq * LANE_MAX_STORES + i) ^ 0xa5000000u;
		cs = xe_emit_store_dword(cs, addrs[i], vals[i]);
	}
	cs = xe_emit_bb_end(cs);
	if (!guarded_copy(l->map + boff, batch, (cs - batch) * sizeof(*cs))) {
		lane_failed(f, l, -EFAULT);
		return;
	}

	ufence = lr || chance(&f->r, 30);
	if (ufence) {
		guarded_copy(l->map + fence_off, &zero, sizeof(zero));
		s[ns++] = xe_sync_ufence(LANE_BO_ADDR + fence_off, seq);
	}
	if (!lr) {
		s[ns++] = xe_sync_timeline(l->tl, l->point + 1, true);
		if (chance(&f->r, 50))
			s[ns++] = xe_sync_syncobj(l->so, true);
		if (l->point && chance(&f->r, 30))
			s[ns++] = xe_sync_timeline(l->tl, l->point, false);
		if (chance(&f->r, 5)) {
			/* A timeline point on the binary syncobj: refused. */
			s[ns++] = xe_sync_timeline(l->so, 1 + rnd(&f->r, 4), false);
			path_hit(PATH_TIMELINE_ON_BINARY);
			bad_sync = true;
		}
	}
	ret = lane_exec(f, l, LANE_BO_ADDR + boff, s, ns);
	if (ret) {
		if (!bad_sync)
			lane_failed(f, l, ret);
		return;
	}
	l->failures = 0;
	if (!lr) {
		struct drm_syncobj_timeline_wait w;
		uint64_t point = ++l->point;

		memset(&w, 0, sizeof(w));
		w.handles = place(f, &l->tl, sizeof(l->tl), 0);
		w.points = place(f, &point, sizeof(point), 0);
		w.count_handles = 1;
		w.timeout_nsec = now_ns() + NSEC_PER_SEC;
		done = !xioctl_guard(IOC_SYNCOBJ_TIMELINE_WAIT, fd, DRM_IOCTL_SYNCOBJ_TIMELINE_WAIT,
				     &w, 1500);
		if (done)
			path_hit(PATH_SYNC_TIMELINE);
	}
	if (ufence) {
		ret = wait_ufence(fd, uptr(l->map + fence_off), seq, l->queue,
				  lr ? NSEC_PER_SEC : 100 * NSEC_PER_MSEC);
		if (!ret)
			path_hit(PATH_UFENCE_SIGNALLED);
		if (lr)
			done = !ret;
	}
	if (!done) {
		l->unsettled = true;
		return;
	}
	for (i = 0; i < k; i++) {
		uint8_t *p = lane_cpu(l, addrs[i]);
		uint32_t v = 0;

		if (p && (!guarded_copy(&v, p, sizeof(v)) || v != vals[i]))
			ok = false;
	}
	path_hit(ok ? PATH_EXEC_VERIFIED : PATH_EXEC_MISMATCH);
	if (ok && lr)
		path_hit(l->vm_flags & DRM_XE_VM_CREATE_FLAG_FAULT_MODE ? PATH_EXEC_FAULT_MODE :
									 PATH_EXEC_LR);
}

/*
 * Vectors over the lane's live mappings: replace, split and restore,
 * UNMAP_ALL and map again, userptrs mapped and unmapped in one go; then a
 * run shows whether the lane still works.
 */
static void lane_rebind(struct fz *f, struct lane *l)
{
	uint32_t flags = DRM_XE_VM_BIND_FLAG_IMMEDIATE;
	uint64_t off = LANE_DATA + 4096 * rnd(&f->r, 7), half = LANE_UPTR_SIZE / 2;
	uint64_t *fence = &f->fences[rnd(&f->r, 512)], value = rnd64(&f->r) | 1;
	struct drm_xe_vm_bind_op ops[4];
	enum scenario sc = SC_RANDOM;
	struct drm_xe_sync sync;
	unsigned int n = 0, ns = 0;
	uint8_t *tmp;
	struct obj bo;

	if ((l->vm_flags & DRM_XE_VM_CREATE_FLAG_FAULT_MODE) && chance(&f->r, 50))
		flags = 0;
	switch (rnd(&f->r, 7)) {
	case 0:
		ops[n++] = xe_bind_op_unmap(LANE_BO_ADDR, LANE_BO_SIZE);
		ops[n++] = xe_bind_op_map(l->bo, 0, LANE_BO_ADDR, LANE_BO_SIZE, flags);
		break;
	case 1:		/* a new userptr next to the lane's, gone again at once */
		tmp = arena_chunk(f, 4096ull << rnd(&f->r, 5));
		if (!tmp)
			return;
		ops[n++] = xe_bind_op_userptr(tmp, LANE_UPTR_ADDR + LANE_UPTR_SIZE, 4096, flags);
		ops[n++] = xe_bind_op_unmap(LANE_UPTR_ADDR + LANE_UPTR_SIZE, 4096);
		sc = SC_UPTR_MAP_UNMAP;
		break;
	case 2:		/* ... over the lane's, partly unmapped, the lane's put back */
		tmp = arena_chunk(f, LANE_UPTR_SIZE);
		if (!tmp)
			return;
		ops[n++] = xe_bind_op_userptr(tmp, LANE_UPTR_ADDR, LANE_UPTR_SIZE, flags);
		ops[n++] = xe_bind_op_unmap(LANE_UPTR_ADDR + 4096 * rnd(&f->r, 8), 4096);
		ops[n++] = xe_bind_op_userptr(l->umem, LANE_UPTR_ADDR, LANE_UPTR_SIZE, flags);
		sc = SC_UPTR_UNMAP_PART;
		break;
	case 3:		/* split the BO mapping, then restore the piece */
		if (chance(&f->r, 50) && pool_pick(f, O_BO, l->fdi, 0, BO_PRIVATE, &bo))
			ops[n++] = xe_bind_op_map(bo.id, 0, LANE_BO_ADDR + off, 4096, flags);
		else
			ops[n++] = xe_bind_op_null(LANE_BO_ADDR + off, 4096);
		ops[n++] = xe_bind_op_map(l->bo, off, LANE_BO_ADDR + off, 4096, flags);
		sc = SC_SPLIT;
		break;
	case 4:
		ops[n++] = xe_bind_op_unmap_all(l->bo);
		ops[n++] = xe_bind_op_map(l->bo, 0, LANE_BO_ADDR, LANE_BO_SIZE, flags);
		sc = SC_UNMAP_ALL;
		break;
	case 5:		/* the userptr half unmapped, half mapped back */
		ops[n++] = xe_bind_op_unmap(LANE_UPTR_ADDR, half);
		ops[n++] = xe_bind_op_userptr(l->umem, LANE_UPTR_ADDR, half, flags);
		sc = SC_UPTR_UNMAP_PART;
		break;
	default:	/* everything again, over itself */
		if (lane_bind_all(f, l))
			l->failures++;
		lane_run(f, l);
		return;
	}
	if (chance(&f->r, 30) || (l->vm_flags & DRM_XE_VM_CREATE_FLAG_LR_MODE)) {
		*fence = 0;
		sync = xe_sync_ufence(uptr(fence), value);
		ns = chance(&f->r, 70);
	}
	if (vm_bind(f, l->fdi, l->vm, 0, ops, n, &sync, ns, 0)) {
		l->failures++;
		l->bo_base = SVM_LOG_UNSURE;
		return;
	}
	bind_paths(sc, ops, n);
	if (ns && !wait_ufence(fd_at(l->fdi), uptr(fence), value, 0, 100 * NSEC_PER_MSEC))
		path_hit(PATH_BIND_UFENCE);
	lane_run(f, l);
}

/*
 * A batch at an address nothing is bound at, in a scratch-page VM: the
 * engine executes zeros (MI_NOOP) until the job times out and the queue is
 * banned; half the time the queue is destroyed while the job runs.
 */
static void lane_hang(struct fz *f, struct lane *l)
{
	struct drm_xe_sync s = xe_sync_syncobj(l->so, true);
	int64_t now = now_ns();
	bool go;
	struct obj o;

	if (!(l->vm_flags & DRM_XE_VM_CREATE_FLAG_SCRATCH_PAGE) ||
	    (l->vm_flags & DRM_XE_VM_CREATE_FLAG_LR_MODE) || l->hang_end)
		return;
	LOCK();
	go = now - last_hang_ns > 4 * NSEC_PER_SEC;
	if (go)
		last_hang_ns = now;
	UNLOCK();
	if (!go || lane_exec(f, l, LANE_HANG_ADDR, &s, 1))
		return;
	path_hit(PATH_JOB_TIMEOUT);
	l->hang_end = now + (int64_t)(opt.job_timeout_ms > 0 ? opt.job_timeout_ms : 10000) *
		      NSEC_PER_MSEC + NSEC_PER_SEC;
	if (chance(&f->r, 50)) {
		o = new_obj(l->fdi, l->queue, 0);
		obj_destroy(O_QUEUE, &o);
		l->hang_end = 0;
		if (!lane_queue(f, l))
			lane_down(f, l);
	}
}

/* --- SVM: lanes running batches in the process's own memory ------------------------ */

#define SVM_VA_END	(1ull << 48)
#define SVM_WAIT_MS	2000
#define SVM_MAGIC	0x5c000000u	/* stored values: SVM_MAGIC | seq << 3 | store */
#define SVM_SEQ_MASK	0x1fffffu
#define SVM_BO_DATA	0xc000ull	/* where in the lane's BO SVM batches store */
#define SVM_MAX_STORES	8

static struct svm_mem *svm_mem_of(struct fz *f)
{
	struct svm_mem *m = f->idx < W.nsvm ? &W.svm[f->idx] : NULL;

	return m && !__atomic_load_n(&m->lost, __ATOMIC_RELAXED) ? m : NULL;
}

/*
 * Whether a GPU access to [a, a + len) should work by what the lane bound:
 * 1 yes, 0 no (not mirrored, or a store to a read-only mirror), -1 unknown
 * (outside the last mirror, where an earlier one may remain).
 */
static int svm_predict(const struct lane *l, uint64_t a, uint64_t len, bool write)
{
	if (l->mir == MIR_UNKNOWN)
		return -1;
	if (l->mir == MIR_NONE)
		return 0;
	if (a < l->hole_hi && a + len > l->hole_lo)
		return 0;
	if (a < l->mir_lo || a + len > l->mir_hi)
		return l->mirrors > 1 ? -1 : 0;
	return write && l->mir_ro ? 0 : 1;
}

/* The worse of two predictions: 0, then -1, then 1. */
static int svm_worse(int a, int b)
{
	return !a || !b ? 0 : a < 0 || b < 0 ? -1 : 1;
}

/*
 * A window to mirror: all of the address space, the thread's SVM memory,
 * its malloc'd buffer, the SVM area of every thread, or all from the SVM
 * memory to the malloc'd buffer; somewhat wider, aligned to 4 KiB .. 1 GiB.
 */
static void svm_window(struct fz *f, struct svm_mem *m, uint64_t *lo, uint64_t *hi)
{
	static const uint64_t aligns[] = { 4096, 65536, 2ull << 20, 1ull << 30 };
	uint64_t align = aligns[rnd(&f->r, NELEM(aligns))];
	uint64_t base = uptr(m->base), heap = uptr(m->heap), s, e;

	switch (rnd(&f->r, 6)) {
	case 0:
		*lo = 0;
		*hi = SVM_VA_END;
		return;
	case 1:
		s = base;
		e = base + SVM_STRIDE;
		break;
	case 2:
		s = heap;
		e = heap + SVM_HEAP_SIZE;
		break;
	case 3:
		s = SVM_BASE;
		e = SVM_BASE + SVM_AREA;
		break;
	default:
		s = base < heap ? base : heap;
		e = base < heap ? heap + SVM_HEAP_SIZE : base + SVM_STRIDE;
		break;
	}
	s -= 4096ull * rnd(&f->r, 16);
	e += 4096ull * rnd(&f->r, 16);
	*lo = s & ~(align - 1);
	*hi = (e + align - 1) & ~(align - 1);
	if (*hi > SVM_VA_END)
		*hi = SVM_VA_END;
}

/* A bind of the lane's own failed: a VM gone or failing on is rebuilt. */
static void lane_bind_failed(struct fz *f, struct lane *l, int err)
{
	if (err == -ENOENT || ++l->failures > 4)
		lane_down(f, l);
}

/*
 * Mirrors a window, read-only now and then; where it covers the lane's own
 * mappings they are bound again over it in the same vector.  Refused with
 * -EBUSY while the GPU maps memory in a mirror it would replace.
 */
static void lane_mirror(struct fz *f, struct lane *l, struct svm_mem *m)
{
	struct drm_xe_vm_bind_op ops[4];
	bool ro = chance(&f->r, 15);
	uint64_t lo, hi, pos;
	unsigned int n = 1;
	int ret;

	svm_window(f, m, &lo, &hi);
	memset(&ops[0], 0, sizeof(ops[0]));
	ops[0].op = DRM_XE_VM_BIND_OP_MAP;
	ops[0].flags = DRM_XE_VM_BIND_FLAG_CPU_ADDR_MIRROR;
	if (ro)
		ops[0].flags |= DRM_XE_VM_BIND_FLAG_READONLY;
	if (chance(&f->r, 30))
		ops[0].flags |= DRM_XE_VM_BIND_FLAG_IMMEDIATE;
	ops[0].addr = lo;
	ops[0].range = hi - lo;
	if (lo < LANE_CHURN_ADDR + LANE_CHURN_SIZE && hi > LANE_BO_ADDR)
		n += lane_ops(f, l, ops + 1);
	pos = svm_log_pos(l->fdi);
	ret = vm_bind(f, l->fdi, l->vm, 0, ops, n, NULL, 0, 0);
	if (ret == -EBUSY) {
		path_hit(PATH_SVM_MIRROR_BUSY);
		return;
	}
	if (ret) {
		/* Part of the vector may be in place: the lane cannot tell. */
		l->mir = MIR_UNKNOWN;
		if (n > 1)
			l->bo_base = SVM_LOG_UNSURE;
		lane_bind_failed(f, l, ret);
		return;
	}
	path_hit(PATH_SVM_MIRROR);
	l->mir_base = pos;
	if (n > 1)
		l->bo_base = pos;
	l->mir = MIR_KNOWN;
	l->mir_ro = ro;
	l->mir_lo = lo;
	l->mir_hi = hi;
	l->hole_lo = 0;
	l->hole_hi = 0;
	l->mirrors++;
}

/*
 * Unbinds part of the mirror: a piece of the thread's data, its fence
 * page, its malloc'd buffer, or the whole window; -EBUSY while the GPU maps
 * memory there (once the CPU unmapped that memory, its ranges go and the
 * unbind works).  Or puts a BO or NULL mapping inside the mirror, over the
 * spare room, and maybe takes it away again.
 */
static void lane_unmirror(struct fz *f, struct lane *l, struct svm_mem *m)
{
	uint64_t data = uptr(m->base) + SVM_DATA, a, len;
	struct drm_xe_vm_bind_op op;
	bool whole = false;
	int ret;

	switch (rnd(&f->r, 6)) {
	case 0:
	case 1:
		len = 4096ull << rnd(&f->r, 6);
		a = data + ((rnd64(&f->r) % (SVM_DATA_SIZE - len + 1)) & ~0xfffull);
		break;
	case 2:
		a = uptr(m->base) + SVM_FENCES;
		len = 4096;
		break;
	case 3:
		a = uptr(m->heap);
		len = SVM_HEAP_SIZE;
		break;
	case 4:
		whole = l->mir == MIR_KNOWN;
		a = whole ? l->mir_lo : data;
		len = whole ? l->mir_hi - l->mir_lo : SVM_DATA_SIZE;
		break;
	default:
		len = 4096ull << rnd(&f->r, 4);
		a = uptr(m->base) + SVM_SPARE + 4096ull * rnd(&f->r, (SVM_SPARE_SIZE - len) / 4096);
		if (chance(&f->r, 50))
			op = xe_bind_op_map(l->bo, 0, a, len, 0);
		else
			op = xe_bind_op_null(a, len);
		ret = vm_bind(f, l->fdi, l->vm, 0, &op, 1, NULL, 0, 0);
		if (ret == -EBUSY)
			path_hit(PATH_SVM_MIRROR_BUSY);
		else if (!ret)
			path_hit(PATH_SVM_SPLIT);
		else
			lane_bind_failed(f, l, ret);
		/* The spare room is no batch's: the lane's view stays as it was. */
		if (!ret && chance(&f->r, 50)) {
			op = xe_bind_op_unmap(a, len);
			ret = vm_bind(f, l->fdi, l->vm, 0, &op, 1, NULL, 0, 0);
			if (ret)
				lane_bind_failed(f, l, ret);
		}
		return;
	}
	op = xe_bind_op_unmap(a, len);
	ret = vm_bind(f, l->fdi, l->vm, 0, &op, 1, NULL, 0, 0);
	if (ret == -EBUSY) {
		path_hit(PATH_SVM_MIRROR_BUSY);
		return;
	}
	if (ret) {
		lane_bind_failed(f, l, ret);
		return;
	}
	path_hit(PATH_SVM_UNMIRROR);
	if (l->mir != MIR_KNOWN)
		return;
	if (whole) {
		l->mir = l->mirrors > 1 ? MIR_UNKNOWN : MIR_NONE;
	} else if (l->hole_lo == l->hole_hi || (l->hole_lo == a && l->hole_hi == a + len)) {
		l->hole_lo = a;
		l->hole_hi = a + len;
	} else {
		l->mir = MIR_UNKNOWN;	/* two holes: more than the lane keeps track of */
	}
}

/*
 * PREFETCH over the mirror: a piece of the thread's data, its malloc'd
 * buffer, its whole stretch of the SVM area (with PROT_NONE parts, which
 * cannot be mirrored), or the whole window.
 */
static void lane_prefetch(struct fz *f, struct lane *l, struct svm_mem *m)
{
	uint32_t mask = dev.vram && chance(&f->r, 30) ? dev.vram : dev.sysmem;
	struct drm_xe_vm_bind_op op;
	uint64_t a, len;
	int ret;

	switch (rnd(&f->r, 8)) {
	case 0:
	case 1:
	case 2:
		len = 4096ull << rnd(&f->r, 8);
		a = uptr(m->base) + SVM_DATA +
		    ((rnd64(&f->r) % (SVM_DATA_SIZE - len + 1)) & ~0xfffull);
		break;
	case 3:
	case 4:
		a = uptr(m->heap);
		len = SVM_HEAP_SIZE;
		break;
	case 5:
	case 6:
		a = uptr(m->base);
		len = SVM_STRIDE;
		break;
	default:
		a = l->mir == MIR_KNOWN ? l->mir_lo : uptr(m->base);
		len = l->mir == MIR_KNOWN ? l->mir_hi - l->mir_lo : SVM_STRIDE;
		break;
	}
	op = xe_bind_op_prefetch(a, len, (uint32_t)__builtin_ctz(mask));
	ret = vm_bind(f, l->fdi, l->vm, 0, &op, 1, NULL, 0, 0);
	if (!ret)
		path_hit(PATH_SVM_PREFETCH);
	else if (ret == -ENOENT)
		lane_down(f, l);
}

/*
 * Mirror binds the uAPI forbids, each alone in its call: with a BO, an
 * offset or NULL, with another op than MAP, unaligned, empty, past the
 * 48 bits of the address space or wrapping.  The arguments alone make them
 * wrong, whatever became of the VM: one that succeeds fails the run.
 */
static void lane_mirror_forbidden(struct fz *f, struct lane *l, struct svm_mem *m)
{
	static const char *const what[] = {
		"a BO", "an offset", "NULL", "UNMAP", "PREFETCH", "MAP_USERPTR", "UNMAP_ALL",
		"an unaligned address", "an unaligned range", "an empty range",
		"a range past 2^48", "a wrapping range",
	};
	unsigned int k = rnd(&f->r, NELEM(what));
	struct drm_xe_vm_bind_op o;
	uint64_t lo, hi;

	svm_window(f, m, &lo, &hi);
	memset(&o, 0, sizeof(o));
	o.op = DRM_XE_VM_BIND_OP_MAP;
	o.flags = DRM_XE_VM_BIND_FLAG_CPU_ADDR_MIRROR;
	o.addr = lo;
	o.range = hi - lo;
	switch (k) {
	case 0:
		o.obj = l->bo;
		if (o.range > LANE_BO_SIZE)
			o.range = LANE_BO_SIZE;
		break;
	case 1:
		o.obj_offset = chance(&f->r, 50) ? 4096ull << rnd(&f->r, 30) :
						   -(4096ull << rnd(&f->r, 30));
		break;
	case 2:
		o.flags |= DRM_XE_VM_BIND_FLAG_NULL;
		break;
	case 3:
		o.op = DRM_XE_VM_BIND_OP_UNMAP;
		break;
	case 4:
		o.op = DRM_XE_VM_BIND_OP_PREFETCH;
		o.prefetch_mem_region_instance = (uint32_t)__builtin_ctz(dev.sysmem);
		break;
	case 5:
		o.op = DRM_XE_VM_BIND_OP_MAP_USERPTR;
		o.userptr = uptr(m->base) + SVM_DATA;
		o.range = SVM_DATA_SIZE;
		break;
	case 6:
		o.op = DRM_XE_VM_BIND_OP_UNMAP_ALL;
		o.obj = l->bo;
		o.addr = 0;
		o.range = 0;
		break;
	case 7:
		o.addr += 1 + rnd(&f->r, 4095);
		break;
	case 8:
		o.range += 1 + rnd(&f->r, 4095);
		break;
	case 9:
		o.range = 0;
		break;
	case 10:
		o.range = SVM_VA_END - o.addr + 4096ull * (1 + rnd(&f->r, 1u << 20));
		break;
	default:
		o.addr = ~0xfffull - 4096ull * rnd(&f->r, 16);
		o.range = 4096ull << rnd(&f->r, 30);
		break;
	}
	if (vm_bind(f, l->fdi, l->vm, 0, &o, 1, NULL, 0, 0)) {
		path_hit(PATH_SVM_REFUSED);
		return;
	}
	wrong("VM_BIND accepted a CPU_ADDR_MIRROR bind with %s: op %u flags %#x addr %#" PRIx64
	      " range %#" PRIx64 " obj %u obj_offset %#" PRIx64 " (seed %#" PRIx64 ")",
	      what[k], o.op, o.flags, (uint64_t)o.addr, (uint64_t)o.range, o.obj,
	      (uint64_t)o.obj_offset, opt.seed);
	l->mir = MIR_UNKNOWN;
}

/* A mirror in a VM that is not in fault mode: refused (unless the id now names another VM). */
static void lane_mirror_nonfault(struct fz *f, struct lane *l)
{
	struct drm_xe_vm_bind_op o;

	memset(&o, 0, sizeof(o));
	o.op = DRM_XE_VM_BIND_OP_MAP;
	o.flags = DRM_XE_VM_BIND_FLAG_CPU_ADDR_MIRROR;
	o.addr = chance(&f->r, 50) ? 0 : SVM_BASE;
	o.range = o.addr ? SVM_AREA : SVM_VA_END;
	if (vm_bind(f, l->fdi, l->vm, 0, &o, 1, NULL, 0, 0))
		path_hit(PATH_SVM_REFUSED);
}

/*
 * Whether another thread's call may have changed what the batch used at
 * [a, a + len) (a GPU address) since the lane bound it: the mirror where
 * the last one covers it, the BO, or else since the lane was set up.
 */
static bool lane_foreign(const struct lane *l, uint64_t a, uint64_t len)
{
	uint64_t from = l->log_base;

	if (a >= LANE_BO_ADDR && a < LANE_BO_ADDR + LANE_BO_SIZE)
		from = l->bo_base;
	else if (l->mir == MIR_KNOWN && a >= l->mir_lo && a + len <= l->mir_hi)
		from = l->mir_base;
	return from == SVM_LOG_UNSURE || svm_log_hit(l->fdi, l->vm, from, a, len);
}

enum svm_where { SW_DATA, SW_HEAP, SW_BO };

struct svm_spot {
	uint8_t *cpu;
	uint64_t gpu;
	bool mirror;	/* GPU address = CPU address, through the mirror */
};

/* A 4-byte aligned spot of len bytes (align: 4 or 64) in the kind of memory given. */
static struct svm_spot svm_spot(struct fz *f, struct lane *l, struct svm_mem *m,
				enum svm_where w, size_t len, size_t align)
{
	struct svm_spot s = { .mirror = w != SW_BO };
	uint64_t size, off;
	uint8_t *base;

	switch (w) {
	case SW_DATA:
		base = m->base + SVM_DATA;
		size = SVM_DATA_SIZE;
		break;
	case SW_HEAP:
		base = m->heap;
		size = SVM_HEAP_SIZE;
		break;
	default:
		base = l->map + SVM_BO_DATA;
		size = LANE_FENCES - SVM_BO_DATA;
		break;
	}
	off = (rnd64(&f->r) % ((size - len) / align + 1)) * align;
	s.cpu = base + off;
	s.gpu = s.mirror ? uptr(s.cpu) : LANE_BO_ADDR + SVM_BO_DATA + off;
	return s;
}

static bool svm_overlap(const struct svm_spot *a, size_t alen, const struct svm_spot *b,
			size_t blen)
{
	return a->cpu < b->cpu + blen && b->cpu < a->cpu + alen;
}

/* Whether value v, read where this thread's batch stored, is one of its abandoned batches'. */
static bool svm_stale(struct fz *f, uint32_t v, uint32_t seq)
{
	uint32_t s = (v >> 3) & SVM_SEQ_MASK;

	return f->svm_abandoned && (v & 0xff000000u) == SVM_MAGIC && s != (seq & SVM_SEQ_MASK) &&
	       s <= (f->svm_abandoned & SVM_SEQ_MASK);
}

/* A ban nothing the thread saw explains: what a reader of the kernel log needs. */
static void svm_unseen(struct fz *f, struct lane *l, uint32_t seq, int64_t ns,
		       const struct svm_spot *b, const struct svm_spot *t, unsigned int n,
		       const struct svm_spot *fence)
{
	char stores[SVM_MAX_STORES * 20] = "", *p = stores;
	unsigned int i;

	path_hit(PATH_SVM_BANNED_OTHER);
	for (i = 0; i < n; i++)
		p += snprintf(p, stores + sizeof(stores) - p, " %#" PRIx64, t[i].gpu);
	fprintf(stderr, "xe_fuzz[%d]: %.3f s: SVM batch %u of thread %u banned after %.3f s, "
		"cause unseen: VM %u queue %u, batch at %#" PRIx64 ", fence at %#" PRIx64
		", stores at%s; mirror [%#" PRIx64 ", %#" PRIx64 ")%s\n", getpid(),
		now_ns() / 1e9, seq, f->idx, ns / 1e9, l->vm, l->queue, b->gpu, fence->gpu,
		stores, l->mir_lo, l->mir_hi, l->mir_ro ? " read-only" : "");
}

/* The job timeout in force (the module's default if the fuzzer could not set it). */
static int64_t job_timeout_ns(void)
{
	return (int64_t)(opt.job_timeout_ms > 0 ? opt.job_timeout_ms : 10000) * NSEC_PER_MSEC;
}

/* Replaces the lane's queue (banned, or with a job it gave up on). */
static void lane_requeue(struct fz *f, struct lane *l)
{
	struct obj o = new_obj(l->fdi, l->queue, 0);

	obj_destroy(O_QUEUE, &o);
	l->hang_end = 0;
	if (!lane_queue(f, l))
		lane_down(f, l);
}

/*
 * A batch in the thread's SVM memory or malloc'd buffer, at its CPU
 * address, storing into both and into the lane's BO, with a user fence in
 * the SVM memory's fence page (or in the BO); mostly placed where the
 * lane's mirror covers it, now and then not.  Then either the fence came
 * and every store reads back right, or a store reads wrong while the
 * thread's memory changed, or another thread's call may have changed the
 * mappings the batch used; anything else fails the run, as does a store
 * through a read-only mirror that worked.  Or the queue was banned: as
 * predicted, after the CPU changed the memory, with the mappings unsure,
 * by the job timeout, or for a cause not seen.  Given up on after
 * SVM_WAIT_MS: the lane is rebuilt, so that the job cannot store later into
 * memory another batch uses.
 */
static void lane_svm_run(struct fz *f, struct lane *l, struct svm_mem *m)
{
	uint32_t seq = ++f->svm_seq, batch[SVM_MAX_STORES * 4 + 1], *cs = batch;
	unsigned int k = 1 + rnd(&f->r, SVM_MAX_STORES), n = 0, i, j, tries;
	bool ro = l->mir == MIR_KNOWN && l->mir_ro, ro_write = false, bo_moved = false;
	uint32_t vals[SVM_MAX_STORES], got = 0, zero32 = 0, seq0;
	uint64_t fence_val = 0xfe0000000000ull | seq, zero = 0;
	int pred, ret, fd = fd_at(l->fdi), bad = -1;
	struct svm_spot b, t[SVM_MAX_STORES], fence;
	bool churned, foreign, faulted = false;
	int64_t t0;
	struct drm_xe_sync sync;
	enum svm_where w;
	size_t blen;

	/* A ban must be this batch's doing. */
	if (l->unsettled) {
		lane_requeue(f, l);
		if (!l->up)
			return;
	}
	/* The batch: in memory the mirror covers, mostly. */
	blen = 4 * (4 * k + 1);
	w = chance(&f->r, 70) ? SW_DATA : SW_HEAP;
	b = svm_spot(f, l, m, w, blen, chance(&f->r, 30) ? 4 : 64);
	if (!svm_predict(l, b.gpu, blen, false) && chance(&f->r, 80))
		b = svm_spot(f, l, m, w == SW_DATA ? SW_HEAP : SW_DATA, blen, 64);
	pred = svm_predict(l, b.gpu, blen, false);

	/* The stores: distinct, clear of the batch; to the BO more with a read-only mirror. */
	for (i = 0; i < k; i++) {
		unsigned int p = rnd(&f->r, 100);

		w = p < (ro ? 15u : 45u) ? SW_DATA : p < (ro ? 30u : 80u) ? SW_HEAP : SW_BO;
		for (tries = 0; tries < 4; tries++) {
			t[n] = svm_spot(f, l, m, w, 4, 4);
			/* Not mirrored: elsewhere, mostly. */
			if (t[n].mirror && !svm_predict(l, t[n].gpu, 4, true) &&
			    chance(&f->r, 80)) {
				w = w == SW_DATA ? SW_HEAP : SW_BO;
				continue;
			}
			for (j = 0; j < n && !svm_overlap(&t[n], 4, &t[j], 4); j++)
				;
			if (j == n && !svm_overlap(&t[n], 4, &b, blen))
				break;
		}
		if (tries == 4)
			continue;
		vals[n] = SVM_MAGIC | (seq & SVM_SEQ_MASK) << 3 | n;
		if (t[n].mirror) {
			pred = svm_worse(pred, svm_predict(l, t[n].gpu, 4, true));
			ro_write |= ro && svm_predict(l, t[n].gpu, 4, false) > 0;
		}
		cs = xe_emit_store_dword(cs, t[n].gpu, vals[n]);
		n++;
	}
	cs = xe_emit_bb_end(cs);
	blen = (cs - batch) * sizeof(*cs);

	/* The user fence: in the fence page, or in the BO. */
	if (chance(&f->r, ro ? 30 : 75)) {
		fence.cpu = m->base + SVM_FENCES + 8 * rnd(&f->r, 512);
		fence.gpu = uptr(fence.cpu);
		pred = svm_worse(pred, svm_predict(l, fence.gpu, 8, true));
		ro_write |= ro && svm_predict(l, fence.gpu, 8, false) > 0;
	} else {
		fence.cpu = l->map + LANE_FENCES + 8 * (seq % 64);
		fence.gpu = LANE_BO_ADDR + LANE_FENCES + 8 * (seq % 64);
	}

	seq0 = __atomic_load_n(&m->seq, __ATOMIC_SEQ_CST);
	for (i = 0; i < n; i++)
		guarded_copy(t[i].cpu, &zero32, sizeof(zero32));
	guarded_copy(fence.cpu, &zero, sizeof(zero));
	/* Memory the CPU cannot write now: another time. */
	if (!guarded_copy(b.cpu, batch, blen))
		return;
	sync = xe_sync_ufence(fence.gpu, fence_val);
	t0 = now_ns();
	ret = lane_exec(f, l, b.gpu, &sync, 1);
	if (ret) {
		lane_failed(f, l, ret);
		return;
	}
	l->failures = 0;
	ret = wait_ufence(fd, uptr(fence.cpu), fence_val, l->queue, SVM_WAIT_MS * NSEC_PER_MSEC);
	if (ret == -ETIME)	/* the ban may not have been seen yet */
		ret = wait_ufence(fd, uptr(fence.cpu), fence_val, l->queue,
				  200 * NSEC_PER_MSEC);
	t0 = now_ns() - t0;
	churned = seq0 != __atomic_load_n(&m->seq, __ATOMIC_SEQ_CST) || (seq0 & 1);
	foreign = lane_foreign(l, b.gpu, blen) || lane_foreign(l, fence.gpu, 8) ||
		  svm_log_hit(l->fdi, SVM_KEY_QUEUE(l->queue), l->queue_base, 0, 1);
	for (i = 0; i < n; i++)
		foreign |= lane_foreign(l, t[i].gpu, 4);

	if (ret == -EIO) {
		/* Faults slow enough (get-pages retried under churn) hit the job timeout. */
		if (t0 >= job_timeout_ns() - 100 * NSEC_PER_MSEC)
			path_hit(PATH_SVM_TIMEOUT);
		else if (churned)
			path_hit(PATH_SVM_BANNED_CHURN);
		else if (!pred)
			path_hit(PATH_SVM_BANNED_PREDICTED);
		else if (foreign || pred < 0)
			path_hit(PATH_SVM_BANNED_FOREIGN);
		else
			svm_unseen(f, l, seq, t0, &b, t, n, &fence);
		lane_requeue(f, l);
		return;
	}
	if (ret) {
		path_hit(PATH_SVM_TIMEOUT);
		f->svm_abandoned = seq;
		lane_down(f, l);
		return;
	}
	path_hit(PATH_UFENCE_SIGNALLED);
	if (!pred && !foreign)
		path_hit(PATH_SVM_UNPREDICTED);
	if (!pred && !foreign && ro_write)
		wrong("SVM batch %u of thread %u (pid %d, seed %#" PRIx64 ") stored through the "
		      "read-only mirror [%#" PRIx64 ", %#" PRIx64 ") and completed", seq, f->idx,
		      getpid(), opt.seed, l->mir_lo, l->mir_hi);
	for (i = 0; i < n; i++) {
		uint32_t v = 0;

		if (guarded_copy(&v, t[i].cpu, sizeof(v)) && v == vals[i])
			continue;
		if (!t[i].mirror) {
			bo_moved = true;	/* the BO mapping is everyone's to rebind */
		} else if (bad < 0) {
			bad = (int)i;
			got = v;
			faulted = !guarded_copy(&v, t[i].cpu, sizeof(v));
		}
	}
	if (bad < 0 && !bo_moved) {
		path_hit(PATH_SVM_VERIFIED);
		if (ro && svm_predict(l, b.gpu, blen, false) > 0)
			path_hit(PATH_SVM_VERIFIED_RO);
		return;
	}
	if (bad < 0 || churned || faulted || foreign || svm_stale(f, got, seq)) {
		path_hit(PATH_SVM_CHANGED);
		return;
	}
	wrong("SVM batch %u of thread %u (pid %d, seed %#" PRIx64 ") completed, but %#" PRIx64
	      " reads %#x instead of %#x: batch at %#" PRIx64 ", %u stores, fence at %#" PRIx64
	      ", mirror %s [%#" PRIx64 ", %#" PRIx64 ")%s, hole [%#" PRIx64 ", %#" PRIx64 ")",
	      seq, f->idx, getpid(), opt.seed, t[bad].gpu, got, vals[bad], b.gpu, n, fence.gpu,
	      l->mir == MIR_KNOWN ? "known" : l->mir == MIR_NONE ? "none" : "unknown",
	      l->mir_lo, l->mir_hi, l->mir_ro ? " read-only" : "", l->hole_lo, l->hole_hi);
}

/* What a fault-mode lane does with SVM: mostly batches; binds, unbinds, prefetches. */
static void lane_svm(struct fz *f, struct lane *l, struct svm_mem *m)
{
	unsigned int p = rnd(&f->r, 100);

	if (l->mir == MIR_NONE && chance(&f->r, 90))
		p = 0;
	if (p < 10)
		lane_mirror(f, l, m);
	else if (p < 18)
		lane_unmirror(f, l, m);
	else if (p < 24)
		lane_prefetch(f, l, m);
	else if (p < 30)
		lane_mirror_forbidden(f, l, m);
	else if (p < 32)
		lane_down(f, l);	/* a fresh VM, mirrored anew */
	else
		lane_svm_run(f, l, m);
}

static void do_lane(struct fz *f)
{
	struct lane *l = f->lane;
	unsigned int p = rnd(&f->r, 100);
	struct svm_mem *m;

	if (!l->up && !lane_up(f, l))
		return;
	m = svm_mem_of(f);
	if (m && (l->vm_flags & DRM_XE_VM_CREATE_FLAG_FAULT_MODE) && chance(&f->r, 60)) {
		lane_svm(f, l, m);
		return;
	}
	if (m && !(l->vm_flags & DRM_XE_VM_CREATE_FLAG_FAULT_MODE) && chance(&f->r, 2)) {
		lane_mirror_nonfault(f, l);
		return;
	}
	if (p < 60)
		lane_run(f, l);
	else if (p < 90)
		lane_rebind(f, l);
	else
		lane_hang(f, l);
}

/* --- threads and worker processes ----------------------------------------------- */

static void do_syncobj_wait_binary(struct fz *f) { do_syncobj_wait(f, false); }
static void do_syncobj_wait_timeline(struct fz *f) { do_syncobj_wait(f, true); }
static void do_syncobj_signal(struct fz *f) { do_syncobj_array(f, IOC_SYNCOBJ_SIGNAL); }
static void do_syncobj_reset(struct fz *f) { do_syncobj_array(f, IOC_SYNCOBJ_RESET); }
static void do_syncobj_query(struct fz *f) { do_syncobj_array(f, IOC_SYNCOBJ_QUERY); }

static void do_syncobj_timeline_signal(struct fz *f)
{
	do_syncobj_array(f, IOC_SYNCOBJ_TIMELINE_SIGNAL);
}

static const struct action {
	void (*fn)(struct fz *f);
	unsigned int weight;
} actions[] = {
	{ do_query, 4 },
	{ do_gem_create, 8 },
	{ do_gem_close, 4 },
	{ do_mmap_offset, 5 },
	{ do_prime_export, 2 },
	{ do_prime_import, 2 },
	{ do_vm_create, 4 },
	{ do_vm_destroy, 2 },
	{ do_vm_bind, 22 },
	{ do_queue_create, 5 },
	{ do_queue_destroy, 2 },
	{ do_queue_get_property, 2 },
	{ do_exec, 8 },
	{ do_wait_ufence, 4 },
	{ do_syncobj_create, 5 },
	{ do_syncobj_destroy, 2 },
	{ do_syncobj_wait_binary, 3 },
	{ do_syncobj_wait_timeline, 3 },
	{ do_syncobj_signal, 2 },
	{ do_syncobj_timeline_signal, 2 },
	{ do_syncobj_reset, 1 },
	{ do_syncobj_query, 2 },
	{ do_syncobj_transfer, 2 },
	{ do_syncobj_handle_to_fd, 2 },
	{ do_syncobj_fd_to_handle, 2 },
	{ do_syncobj_eventfd, 1 },
	{ do_lane, 20 },
	{ do_mem_alloc, 3 },
	{ do_mem_free, 2 },
	{ do_fd_open, 1 },
	{ do_fd_close, 1 },
	{ do_version, 1 },
	{ do_get_cap, 1 },
	{ do_undefined, 2 },
};

static void *fuzz_thread(void *arg)
{
	struct fz *f = arg;
	unsigned int total = 0, i, p;

	for (i = 0; i < NELEM(actions); i++)
		total += actions[i].weight;
	guard_init();
	my_tid = f->idx;
	while (!should_stop()) {
		p = rnd(&f->r, total);
		for (i = 0; p >= actions[i].weight; i++)
			p -= actions[i].weight;
		f->sp = 0;
		actions[i].fn(f);
	}
	guard_fini();
	return NULL;
}

/* Maps pages where a hole was made; false if the place was taken meanwhile. */
static bool svm_refill(uint8_t *p, uint64_t size, int prot)
{
	void *q = mmap(p, size, prot, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE |
		       (prot == PROT_NONE ? MAP_NORESERVE : 0), -1, 0);

	if (q == p)
		return true;
	if (q != MAP_FAILED)
		munmap(q, size);	/* taken as a hint */
	return false;
}

/*
 * A fork: the parent's private pages become copy-on-write under the
 * GPU's mappings, and the child keeps them a moment before it exits.  At
 * most one a second; the thread's SVM sequence is not bumped: the parent's
 * memory must keep what the GPU stores.
 */
static void svm_fork(struct rng *r)
{
	static int64_t last;
	unsigned int pause = 1000 + rnd(r, 4000);
	int64_t now = now_ns();
	pid_t pid;

	if (now - last < NSEC_PER_SEC)
		return;
	last = now;
	pid = fork();
	if (pid == 0) {
		usleep(pause);
		_exit(0);
	}
	if (pid > 0 && waitpid(pid, NULL, 0) == pid)
		path_hit(PATH_SVM_FORK);
}

/*
 * Changes the SVM memory of a thread under its batches, with the thread's
 * sequence odd meanwhile: holes (munmap, mremap away and back, a shrunk
 * mapping) mapped again after a moment, pages made read-only or
 * inaccessible for a moment, discarded, replaced or rewritten in place; the
 * fence page and the malloc'd buffer now and then.  A hole that cannot be
 * filled again (something else was mapped there) puts the memory out of use.
 */
static void svm_churn(struct rng *r)
{
	struct svm_mem *m = &W.svm[rnd(r, W.nsvm)];
	uint64_t size = 4096ull << rnd(r, 6), hoff = 4096ull * rnd(r, 16);
	uint64_t hlen = 4096ull << rnd(r, 4);
	uint8_t *spare = m->base + SVM_SPARE;
	uint8_t *p = m->base + SVM_DATA + ((rnd64(r) % (SVM_DATA_SIZE - size + 1)) & ~0xfffull);
	unsigned int pause = 200 + rnd(r, 1500), op = rnd(r, 17);
	const int rw = PROT_READ | PROT_WRITE;
	bool ok = true;

	if (__atomic_load_n(&m->lost, __ATOMIC_RELAXED))
		return;
	if (op == 16) {
		svm_fork(r);
		return;
	}
	if (hoff + hlen > SVM_HEAP_SIZE)
		hlen = SVM_HEAP_SIZE - hoff;
	__atomic_add_fetch(&m->seq, 1, __ATOMIC_SEQ_CST);
	switch (op) {
	case 0:
	case 1:
		munmap(p, size);
		usleep(pause);
		ok = svm_refill(p, size, rw);
		break;
	case 2:
	case 3:
		if (mremap(p, size, size, MREMAP_MAYMOVE | MREMAP_FIXED, spare) == MAP_FAILED)
			break;
		usleep(pause);
		if (mremap(spare, size, size, MREMAP_MAYMOVE | MREMAP_FIXED, p) == MAP_FAILED) {
			munmap(spare, size);
			ok = svm_refill(p, size, rw);
		}
		ok = svm_refill(spare, size, PROT_NONE) && ok;
		break;
	case 4:
		if (size < 8192 || mremap(p, size, size / 2, 0) == MAP_FAILED)
			break;
		usleep(pause);
		ok = svm_refill(p + size / 2, size / 2, rw);
		break;
	case 5:
	case 6:
		mprotect(p, size, PROT_READ);
		usleep(pause);
		mprotect(p, size, rw);
		break;
	case 7:
		mprotect(p, size, PROT_NONE);
		usleep(pause);
		mprotect(p, size, rw);
		break;
	case 8:
	case 9:
		madvise(p, size, MADV_DONTNEED);
		break;
	case 10:
		mmap(p, size, rw, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
		break;
	case 11:
		touch(p, size, true);	/* the CPU's stores race the GPU's */
		break;
	case 12:
		p = m->base + SVM_FENCES;
		munmap(p, 4096);
		usleep(pause);
		ok = svm_refill(p, 4096, rw);
		break;
	case 13:
	case 14:
		madvise(m->heap + hoff, hlen, MADV_DONTNEED);
		break;
	default:
		mprotect(m->heap + hoff, hlen, PROT_READ);
		usleep(pause);
		mprotect(m->heap + hoff, hlen, rw);
		break;
	}
	__atomic_add_fetch(&m->seq, 1, __ATOMIC_SEQ_CST);
	if (!ok)
		__atomic_store_n(&m->lost, true, __ATOMIC_RELAXED);
	path_hit(PATH_SVM_CHURN);
}

/*
 * Changes the pages of the churned region under the binds: fresh pages
 * mapped over old ones, pages discarded, made read-only or inaccessible
 * for a moment.  The region is never left with a hole.  Every 10 to 60 ms,
 * changes some SVM memory too (see svm_churn()).
 */
static void *churn_thread(void *arg)
{
	struct rng *r = arg;
	uint8_t *base = churn_base();
	int64_t next_svm = 0;

	while (!should_stop()) {
		uint64_t size = 4096ull << rnd(r, 8);
		uint8_t *p = base + ((rnd64(r) % (CHURN_SIZE - size + 1)) & ~0xfffull);

		if (W.nsvm && now_ns() >= next_svm) {
			svm_churn(r);
			next_svm = now_ns() + (10 + rnd(r, 50)) * NSEC_PER_MSEC;
		}
		switch (rnd(r, 5)) {
		case 0:
			if (mmap(p, size, PROT_READ | PROT_WRITE,
				 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) != MAP_FAILED)
				memset(p, 0x3c, size);
			break;
		case 1:
			madvise(p, size, MADV_DONTNEED);
			break;
		case 2:
			mprotect(p, size, PROT_READ);
			usleep(200 + rnd(r, 1000));
			mprotect(p, size, PROT_READ | PROT_WRITE);
			break;
		case 3:
			mmap(p, size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
			usleep(200 + rnd(r, 1000));
			mmap(p, size, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
			break;
		default:
			memset(p, 0x3d, size);
			break;
		}
		path_hit(PATH_CHURN);
		usleep(500 + rnd(r, 3000));
	}
	return NULL;
}

static int shared_fd = -1;

static struct fz *fz_new(unsigned int idx, uint64_t seed)
{
	struct fz *f = calloc(1, sizeof(*f));

	if (!f)
		return NULL;
	f->idx = idx;
	f->r.s = seed;
	f->scratch = mmap(NULL, SCRATCH_SIZE + 4096, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	f->ro = mmap(NULL, RO_SIZE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	f->fences = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	f->lane = calloc(1, sizeof(*f->lane));
	f->evfd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (f->scratch == MAP_FAILED || f->ro == MAP_FAILED || f->fences == MAP_FAILED ||
	    !f->lane || f->evfd < 0)
		return NULL;
	mprotect(f->scratch + SCRATCH_SIZE, 4096, PROT_NONE);
	return f;
}

/*
 * The SVM memory of each thread (see SVM_BASE); without a fixed area that
 * nothing else can be mapped into, the lanes run no SVM batches.
 */
static void svm_init(void)
{
	uint8_t *area;
	unsigned int i;

	if (!dev.mirror)
		return;
	area = mmap((void *)(uintptr_t)SVM_BASE, SVM_AREA, PROT_NONE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE, -1, 0);
	if (area == MAP_FAILED)
		return;
	if (area != (uint8_t *)(uintptr_t)SVM_BASE) {
		munmap(area, SVM_AREA);
		return;
	}
	for (i = 0; i < opt.threads; i++) {
		struct svm_mem *m = &W.svm[i];
		uint8_t *heap = malloc(SVM_HEAP_SIZE + 4096);

		m->base = area + i * SVM_STRIDE;
		if (!heap ||
		    mmap(m->base + SVM_FENCES, 4096, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED ||
		    mmap(m->base + SVM_DATA, SVM_DATA_SIZE, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED)
			return;
		m->heap = (uint8_t *)(((uintptr_t)heap + 4095) & ~(uintptr_t)4095);
		memset(m->heap, 0, SVM_HEAP_SIZE);
		W.nsvm = i + 1;
	}
}

static bool world_init(void)
{
	unsigned int i;

	for (i = 0; i < NR_FDS; i++)
		W.fds[i].fd = -1;
	W.fds[FD_SHARED].fd = shared_fd;
	W.fds[FD_OWN].fd = drm_open_driver_xe();
	W.fds[FD_RENDER].fd = drm_open_render_xe();
	if (dev.ndev > 1) {
		W.fds[FD_OTHER].fd = drm_open_driver_xe_nth(1);
		W.fds[FD_OTHER].dev = 1;
	}
	if (W.fds[FD_OWN].fd < 0)
		return false;

	W.arena = reserve(ARENA_SIZE);
	W.huge = reserve(HUGE_SIZE);
	W.noaccess = reserve(4096);
	if (!W.arena || !W.noaccess)
		return false;
	if (!W.huge)
		W.huge = W.arena;
	if (mmap(churn_base(), CHURN_SIZE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED)
		return false;
	memset(churn_base(), 0x3c, CHURN_SIZE);
	for (i = 0; i < MALLOC_BUFS; i++) {
		void *p;

		W.malloc_size[i] = 4096ull << (2 * i);
		if (posix_memalign(&p, 4096, W.malloc_size[i]))
			return false;
		memset(p, 0, W.malloc_size[i]);
		W.malloc_buf[i] = p;
	}
	svm_init();
	return true;
}

/* A worker process: opt.threads fuzzing threads and a churning one. */
static void __attribute__((noreturn)) worker_main(unsigned int slot, uint32_t generation)
{
	pthread_t th[MAX_THREADS + 1];
	struct rng churn_rng;
	unsigned int i, n = 0;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() == 1)
		_exit(0);
	if (!world_init()) {
		fprintf(stderr, "xe_fuzz: worker %u: setup failed: %s\n", slot, strerror(errno));
		_exit(3);
	}
	my_slot = &st->workers[slot];
	churn_rng.s = mix_seed(opt.seed, slot * 1000 + generation, 999);
	for (i = 0; i < opt.threads; i++) {
		struct fz *f = fz_new(i, mix_seed(opt.seed, slot * 1000 + generation, i));

		if (f && !pthread_create(&th[n], NULL, fuzz_thread, f))
			n++;
	}
	if (!pthread_create(&th[n], NULL, churn_thread, &churn_rng))
		n++;
	for (i = 0; i < n; i++)
		pthread_join(th[i], NULL);
	_exit(0);
}

/* --- the supervisor ---------------------------------------------------------------- */

#define MAX_PROBLEMS	16

static struct {
	char text[MAX_PROBLEMS][160];
	unsigned int n, total;
	unsigned int started, killed, stuck;
} sup;

static void problem(const char *fmt, ...)
{
	va_list ap;

	sup.total++;
	if (sup.n == MAX_PROBLEMS)
		return;
	va_start(ap, fmt);
	vsnprintf(sup.text[sup.n++], sizeof(sup.text[0]), fmt, ap);
	va_end(ap);
}

static bool killed_by_us[MAX_PROCS];

/* Where each thread of a process that would not end waits in the kernel. */
static void show_stuck(pid_t pid)
{
	char path[320], wchan[128];
	struct dirent *de;
	DIR *dir;

	snprintf(path, sizeof(path), "/proc/%d/task", pid);
	dir = opendir(path);
	if (!dir)
		return;
	while ((de = readdir(dir))) {
		FILE *file;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/%d/task/%s/wchan", pid, de->d_name);
		file = fopen(path, "re");
		if (!file)
			continue;
		if (fgets(wchan, sizeof(wchan), file))
			printf("# pid %d thread %s waits in %s\n", pid, de->d_name, wchan);
		fclose(file);
	}
	closedir(dir);
}

static void start_worker(unsigned int slot)
{
	struct worker_slot *w = &st->workers[slot];
	pid_t pid;

	fflush(stdout);
	fflush(stderr);
	w->in_ioctl = 0;
	killed_by_us[slot] = false;
	pid = fork();
	if (pid == 0)
		worker_main(slot, w->generation);
	w->pid = pid > 0 ? pid : 0;
	w->generation++;
	if (pid > 0)
		sup.started++;
}

static void judge(unsigned int slot, int status)
{
	if (WIFSIGNALED(status)) {
		if (WTERMSIG(status) == SIGKILL && killed_by_us[slot])
			return;
		problem("worker %u (pid %d) died of signal %d (%s) the fuzzer did not send", slot,
			st->workers[slot].pid, WTERMSIG(status), strsignal(WTERMSIG(status)));
	} else if (WIFEXITED(status) && WEXITSTATUS(status)) {
		problem("worker %u (pid %d) exited with status %d", slot, st->workers[slot].pid,
			WEXITSTATUS(status));
	}
}

/* Reaps exited workers; returns the slot of one, or -1. */
static int reap(void)
{
	unsigned int i;
	int status;
	pid_t pid;

	pid = waitpid(-1, &status, WNOHANG);
	if (pid <= 0)
		return -1;
	for (i = 0; i < opt.procs; i++) {
		if (st->workers[i].pid == pid) {
			judge(i, status);
			st->workers[i].pid = 0;
			return (int)i;
		}
	}
	return -1;
}

/* SIGKILLs a worker, preferably while one of its threads is inside an ioctl. */
static void kill_one(struct rng *r)
{
	unsigned int slot = rnd(r, opt.procs), i;
	struct worker_slot *w = &st->workers[slot];
	bool inside = false;

	if (!w->pid || killed_by_us[slot])
		return;
	for (i = 0; i < 50 && !inside; i++) {
		inside = __atomic_load_n(&w->in_ioctl, __ATOMIC_RELAXED) > 0;
		if (!inside)
			usleep(1000);
	}
	killed_by_us[slot] = true;
	kill(w->pid, SIGKILL);
	sup.killed++;
	path_hit(PATH_CHILD_KILLED);
	if (inside)
		path_hit(PATH_CHILD_KILLED_IN_IOCTL);
}

static unsigned int alive(void)
{
	unsigned int i, n = 0;

	for (i = 0; i < opt.procs; i++)
		n += st->workers[i].pid != 0;
	return n;
}

/* Waits until every worker is reaped or until deadline; returns how many remain. */
static unsigned int reap_all(int64_t deadline)
{
	while (alive() && now_ns() < deadline)
		if (reap() < 0)
			usleep(20000);
	return alive();
}

static void supervise(int64_t t0)
{
	struct rng r = { .s = mix_seed(opt.seed, 0xfeed, 0) };
	int64_t next_kill = t0 + (1000 + rnd(&r, 2000)) * NSEC_PER_MSEC;
	int64_t next_report = t0 + 10 * NSEC_PER_SEC, grace;
	unsigned int i, kills = 0;

	for (i = 0; i < opt.procs; i++)
		start_worker(i);
	while (!should_stop()) {
		usleep(20000);
		while (reap() >= 0)
			;
		for (i = 0; i < opt.procs && !should_stop(); i++)
			if (!st->workers[i].pid)
				start_worker(i);
		if (!opt.no_kill && now_ns() >= next_kill) {
			kill_one(&r);
			next_kill = now_ns() + (500 + rnd(&r, 2500)) * NSEC_PER_MSEC;
			/*
			 * Now and then a fresh shared fd: what the killed
			 * workers left on the old one is freed once no worker
			 * holds it any more.
			 */
			if (++kills % 8 == 0) {
				int fd = drm_open_driver_xe();

				if (fd >= 0) {
					close(shared_fd);
					shared_fd = fd;
				}
			}
		}
		if (now_ns() >= next_report) {
			double secs = (now_ns() - t0) / 1e9;
			uint64_t total = __atomic_load_n(&st->total, __ATOMIC_RELAXED);

			printf("# progress: %.0f s, %" PRIu64 " calls (%.0f/s), %u workers "
			       "started, %u killed\n", secs, total, total / secs, sup.started,
			       sup.killed);
			fflush(stdout);
			next_report += 10 * NSEC_PER_SEC;
		}
	}
	request_stop();

	/*
	 * A never-ending job may hold a worker for up to a job timeout, and
	 * tearing down a worker's VMs, queues and userptrs at exit takes
	 * seconds in a debug guest.
	 */
	grace = (int64_t)(opt.job_timeout_ms > 0 ? opt.job_timeout_ms : 10000) * NSEC_PER_MSEC +
		20 * NSEC_PER_SEC;
	if (!reap_all(now_ns() + grace))
		return;
	for (i = 0; i < opt.procs; i++) {
		if (st->workers[i].pid) {
			show_stuck(st->workers[i].pid);
			problem("worker %u (pid %d) still running %.0f s after the end "
				"(%d threads in ioctls, last %s), killed", i, st->workers[i].pid,
				grace / 1e9, st->workers[i].in_ioctl,
				ioc_name[st->workers[i].cur_ioc]);
			killed_by_us[i] = true;
			kill(st->workers[i].pid, SIGKILL);
		}
	}
	sup.stuck = reap_all(now_ns() + 10 * NSEC_PER_SEC);
	if (sup.stuck)
		problem("%u workers did not die of SIGKILL within 10 s: stuck in the kernel",
			sup.stuck);
}

/* --- report ------------------------------------------------------------------------ */

static const char *errno_label(int slot, char *buf, size_t len)
{
	const char *name;

	if (slot == ERR_RESTART)
		return "ERESTART*";
	if (slot == ERR_OTHER)
		return "E>134";
	name = strerrorname_np(slot);
	if (name)
		return name;
	snprintf(buf, len, "E%d", slot);
	return buf;
}

/* One line per ioctl: calls, successes, then the errnos, most frequent first. */
static void report_ioctl(enum ioc ioc)
{
	uint64_t hist[ERR_SLOTS];
	char line[1024], buf[16];
	int pos, i, best;

	memcpy(hist, st->hist[ioc], sizeof(hist));
	pos = snprintf(line, sizeof(line), "# %-27s %8" PRIu64 " %8" PRIu64 " %8.2f %8.1f ",
		       ioc_name[ioc], st->calls[ioc], hist[0],
		       st->calls[ioc] ? st->ns[ioc] / 1e6 / st->calls[ioc] : 0.0,
		       st->max_ns[ioc] / 1e6);
	for (;;) {
		best = 0;
		for (i = 1; i < ERR_SLOTS; i++)
			if (hist[i] > hist[best] || (!best && hist[i]))
				best = i;
		if (!best || pos >= (int)sizeof(line) - 40)
			break;
		pos += snprintf(line + pos, sizeof(line) - pos, " %s:%" PRIu64,
				errno_label(best, buf, sizeof(buf)), hist[best]);
		hist[best] = 0;
	}
	printf("%s\n", line);
}

static bool report(int64_t t0)
{
	double secs = (now_ns() - t0) / 1e9;
	unsigned int i, nbad;
	char buf[16];
	bool ok;

	printf("# calls: %" PRIu64 " in %.1f s, %.0f calls/s, %u workers started, %u SIGKILLed\n",
	       st->total, secs, st->total / (secs > 0 ? secs : 1), sup.started, sup.killed);
	printf("# %-27s %8s %8s %8s %8s  errno histogram\n", "ioctl", "calls", "ok",
	       "avg ms", "max ms");
	for (i = 0; i < IOC_NR; i++)
		report_ioctl(i);
	printf("# deep paths reached:\n");
	for (i = 0; i < PATH_NR; i++)
		printf("#   %-40s %9" PRIu64 "\n", path_name[i], st->paths[i]);

	nbad = st->nbad < MAX_BAD ? st->nbad : MAX_BAD;
	for (i = 0; i < nbad; i++)
		printf("# undocumented errno: %s returned %s (%d)\n", ioc_name[st->bad[i].ioc],
		       errno_label(err_slot(st->bad[i].err), buf, sizeof(buf)), st->bad[i].err);
	if (st->unexpected > nbad)
		printf("# ... %" PRIu64 " calls returned undocumented errnos in all\n",
		       st->unexpected);
	for (i = 0; i < st->nwrong && i < MAX_WRONG; i++)
		printf("# wrong: %s\n", st->wrong[i]);
	if (st->nwrong > MAX_WRONG)
		printf("# ... %u wrong results in all\n", st->nwrong);
	for (i = 0; i < sup.n; i++)
		printf("# problem: %s\n", sup.text[i]);
	if (sup.total > sup.n)
		printf("# ... %u problems in all\n", sup.total);

	ok = !st->unexpected && !sup.total && !st->nwrong;
	/* The first reason on the result line, where a short report shows it. */
	if (st->nwrong)
		printf("not ok 1 fuzz # %s\n", st->wrong[0]);
	else if (sup.n)
		printf("not ok 1 fuzz # %s\n", sup.text[0]);
	else if (nbad)
		printf("not ok 1 fuzz # %s returned undocumented errno %d\n",
		       ioc_name[st->bad[0].ioc], st->bad[0].err);
	else
		printf("%s 1 fuzz\n", ok ? "ok" : "not ok");
	fflush(stdout);
	return ok;
}

/* --- main ---------------------------------------------------------------------------- */

#define JOB_TIMEOUT_PARAM	"/sys/module/xe/parameters/job_timeout_ms"

static int write_param(const char *path, long long value)
{
	FILE *file = fopen(path, "we");
	int ret = 0;

	if (!file)
		return -errno;
	if (fprintf(file, "%lld\n", value) < 0)
		ret = -EIO;
	if (fclose(file) && !ret)
		ret = -errno;
	return ret;
}

static bool probe_device(int fd)
{
	struct drm_xe_query_engines *engines = xe_get_engines(fd);
	struct drm_xe_query_mem_regions *regions = xe_get_mem_regions(fd);
	struct drm_xe_query_config *config = xe_get_config(fd);
	uint32_t i;

	if (!engines || !regions || !config || !engines->num_engines)
		goto out;
	for (i = 0; i < engines->num_engines && dev.neng < MAX_ENGINES; i++)
		dev.eng[dev.neng++] = engines->engines[i].instance;
	dev.min_page = 4096;
	for (i = 0; i < regions->num_mem_regions; i++) {
		const struct drm_xe_mem_region *m = &regions->mem_regions[i];

		if (m->instance >= 32)
			continue;
		if (m->mem_class == DRM_XE_MEM_REGION_CLASS_SYSMEM) {
			dev.sysmem |= 1u << m->instance;
		} else {
			dev.vram |= 1u << m->instance;
			dev.vram_size += m->total_size;
		}
		if (m->min_page_size > dev.min_page)
			dev.min_page = m->min_page_size;
	}
	if (config->num_params > DRM_XE_QUERY_CONFIG_MAX_EXEC_QUEUE_PRIORITY)
		dev.max_prio = config->info[DRM_XE_QUERY_CONFIG_MAX_EXEC_QUEUE_PRIORITY];
	if (config->num_params > DRM_XE_QUERY_CONFIG_FLAGS)
		dev.mirror = config->info[DRM_XE_QUERY_CONFIG_FLAGS] &
			     DRM_XE_QUERY_CONFIG_FLAG_HAS_CPU_ADDR_MIRROR;
	dev.ndev = xe_count_devices();
out:
	free(engines);
	free(regions);
	free(config);
	return dev.neng && dev.sysmem;
}

static void usage(FILE *out, const char *prog)
{
	fprintf(out, "Usage: %s [OPTIONS]\n"
	       "Fuzzes the xe uAPI and the DRM core ioctls an xe client uses; prints TAP.\n\n"
	       "  --seed N|random      seed of every decision (default %#llx); \"random\"\n"
	       "                       picks one from the time and pid and prints it\n"
	       "  --seconds S          wall-clock bound (default %u)\n"
	       "  --calls N            bound on the number of ioctls (default: none)\n"
	       "  --procs N            worker processes (default %u, at most %u)\n"
	       "  --threads N          fuzzing threads per worker (default %u, at most %u)\n"
	       "  --job-timeout-ms MS  job timeout set while fuzzing, restored after\n"
	       "                       (default %u; 0 leaves it alone)\n"
	       "  --no-kill            the supervisor SIGKILLs no worker\n"
	       "  --huge-core-counts   syncobj array counts up to 2^32-1 (DRM core WARNs\n"
	       "                       on them in 6.12; off by default)\n"
	       "  --trace              every call on stderr\n",
	       prog, (unsigned long long)DEFAULT_SEED, DEFAULT_SECONDS, DEFAULT_PROCS, MAX_PROCS,
	       DEFAULT_THREADS, MAX_THREADS, DEFAULT_JOB_TIMEOUT_MS);
}

static bool parse_args(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "seed", required_argument, NULL, 's' },
		{ "seconds", required_argument, NULL, 'S' },
		{ "calls", required_argument, NULL, 'c' },
		{ "procs", required_argument, NULL, 'p' },
		{ "threads", required_argument, NULL, 't' },
		{ "job-timeout-ms", required_argument, NULL, 'j' },
		{ "no-kill", no_argument, NULL, 'k' },
		{ "trace", no_argument, NULL, 'T' },
		{ "huge-core-counts", no_argument, NULL, 'H' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	int c;

	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 's':
			if (!strcmp(optarg, "random"))
				opt.seed_random = true;
			else
				opt.seed = strtoull(optarg, NULL, 0);
			break;
		case 'S':
			opt.seconds = strtoul(optarg, NULL, 0);
			break;
		case 'c':
			opt.calls = strtoull(optarg, NULL, 0);
			break;
		case 'p':
			opt.procs = strtoul(optarg, NULL, 0);
			break;
		case 't':
			opt.threads = strtoul(optarg, NULL, 0);
			break;
		case 'j':
			opt.job_timeout_ms = (int)strtol(optarg, NULL, 0);
			break;
		case 'k':
			opt.no_kill = true;
			break;
		case 'T':
			opt.trace = true;
			break;
		case 'H':
			opt.core_counts = true;
			break;
		case 'h':
			usage(stdout, argv[0]);
			exit(0);
		default:
			usage(stderr, argv[0]);
			return false;
		}
	}
	if (optind < argc || !opt.procs || opt.procs > MAX_PROCS || !opt.threads ||
	    opt.threads > MAX_THREADS || !opt.seconds) {
		usage(stderr, argv[0]);
		return false;
	}
	if (opt.seed_random)
		opt.seed = (uint64_t)now_ns() ^ ((uint64_t)getpid() << 32) ^ (uint64_t)time(NULL);
	return true;
}

int main(int argc, char **argv)
{
	long long saved_timeout = -1;
	int64_t t0;
	bool ok;

	if (!parse_args(argc, argv))
		return 2;
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("TAP version 13\n1..1\n");
	printf("# seed %" PRIu64 " (%#" PRIx64 ")%s: reproduce with --seed %" PRIu64 "\n",
	       opt.seed, opt.seed, opt.seed_random ? ", picked at random" : "", opt.seed);

	shared_fd = drm_open_driver_xe();
	if (shared_fd < 0) {
		if (xe_devices_expected()) {
			printf("# xe is loaded but no device could be opened: %s\n",
			       strerror(errno));
			printf("not ok 1 fuzz\n");
			return 1;
		}
		printf("ok 1 fuzz # SKIP no xe device\n");
		return 4;
	}
	if (!probe_device(shared_fd)) {
		printf("# the device queries failed\nnot ok 1 fuzz\n");
		return 1;
	}
	printf("# %d devices, %u engines, sysmem %#x vram %#x (%" PRIu64 " MiB), %u s, "
	       "%u procs x %u threads%s%s%s\n", dev.ndev, dev.neng, dev.sysmem, dev.vram,
	       dev.vram_size >> 20, opt.seconds, opt.procs, opt.threads,
	       opt.calls ? ", bounded in calls" : "", opt.no_kill ? ", no kills" : "",
	       dev.mirror ? "" : ", no CPU address mirror");

	st = mmap(NULL, sizeof(*st), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (st == MAP_FAILED) {
		printf("# mmap of the statistics failed\nnot ok 1 fuzz\n");
		return 1;
	}
	memset(st, 0, sizeof(*st));

	if (opt.job_timeout_ms > 0 && !xe_module_param("job_timeout_ms", &saved_timeout) &&
	    !write_param(JOB_TIMEOUT_PARAM, opt.job_timeout_ms)) {
		printf("# job_timeout_ms %lld -> %d while fuzzing\n", saved_timeout,
		       opt.job_timeout_ms);
	} else {
		saved_timeout = -1;
		opt.job_timeout_ms = 0;
	}

	install_handlers();
	t0 = now_ns();
	st->deadline_ns = t0 + (int64_t)opt.seconds * NSEC_PER_SEC;
	supervise(t0);
	ok = report(t0);

	if (saved_timeout >= 0)
		write_param(JOB_TIMEOUT_PARAM, saved_timeout);
	close(shared_fd);
	return ok ? 0 : 1;
}
