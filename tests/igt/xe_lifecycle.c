// SPDX-License-Identifier: GPL-2.0-only
/*
 * Lifecycle of clients and of their objects, and exhaustion of resources:
 *  - processes that exit, or are killed, with jobs in flight or with a GPU
 *    page fault held up in the fault handler (reply delayed, or dropped so
 *    that the context stays stalled until its queue goes);
 *  - VMs destroyed under queues with running jobs, queues destroyed with
 *    jobs running, and a job that runs forever until the job timeout bans
 *    its queue;
 *  - one DRM file used by two processes, inherited through fork() or passed
 *    over a unix socket (SCM_RIGHTS), and buffer sharing through PRIME;
 *  - unloading the module while a file is open, and loading it again;
 *  - one process taking all VRAM, much system memory, thousands of VMs,
 *    every exec queue its file may hold or thousands of syncobjs, while another
 *    process keeps running jobs, and everything coming back once it exits.
 *
 * Tests check what the kernel reports (errnos, fence statuses, bans), what
 * the GPU wrote, how child processes ended and how long that took, and that
 * the device still works afterwards for a bystander or a new process.
 * Every wait is bounded: a process that blocks in the kernel fails its test,
 * with its state and kernel stack logged, instead of wedging the run.
 *
 * Faults are injected through the emulator's debugfs knobs and the
 * job_timeout_ms module parameter (debug kernels, as root). The values found
 * at start are put back after each test, failed ones included, before each
 * test in case one was cut short, and when the program ends.
 *
 * The harness's EXPECT_*() and ASSERT_*() macros expand to two statements,
 * so they are always braced when they form the body of an if, else or for.
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/capability.h>

#include "kselftest_harness.h"
#include "xe_ioctl.h"

/*
 * The harness keeps the pid of fork() in a non-volatile local of the
 * function calling setjmp(), into which test bodies get inlined; GCC then
 * warns about it. Only the path after a failed ASSERT_*() is affected.
 */
#pragma GCC diagnostic ignored "-Wclobbered"

#define FAULT_VM	(DRM_XE_VM_CREATE_FLAG_LR_MODE | DRM_XE_VM_CREATE_FLAG_FAULT_MODE)

/* GPU addresses, away from the context batch buffers. */
#define DATA_ADDR	0x00200000ull
#define DATA2_ADDR	0x00400000ull
/* Never bound: in a VM with a scratch page, reads there return zeroes (MI_NOOP). */
#define NOWHERE_ADDR	0x100000000000ull

#define NSEC_PER_MSEC	1000000ll
#define NSEC_PER_SEC	1000000000ll

/* Slow jobs: each command waits ENGINE_DELAY_US, so a job takes about 0.1 s. */
#define ENGINE_DELAY_US	1000
#define SLOW_ATOMICS	100u
#define BUSY_JOBS	8u

/* --- knobs ------------------------------------------------------------------ */

#define EMU_DEBUGFS	"/sys/kernel/debug/xe_emu"
#define EMU_DEVICES	8	/* devices of the KUnit tests start at 8 */
#define XE_MODULE	"/sys/module/xe"
#define XE_PARAMS	XE_MODULE "/parameters"
#define JOB_TIMEOUT	XE_PARAMS "/job_timeout_ms"

enum knob {
	FAULT_REPLY_DELAY_MS,
	DROP_FAULT_REPLIES,
	ENGINE_DELAY,
	NUM_KNOBS
};

static const char *const knob_names[NUM_KNOBS] = {
	[FAULT_REPLY_DELAY_MS] = "fault_reply_delay_ms",
	[DROP_FAULT_REPLIES] = "drop_fault_replies",
	[ENGINE_DELAY] = "engine_delay_us",
};

/* What the knobs and parameters were when the program started. */
static struct {
	pid_t pid;
	long long knobs[EMU_DEVICES][NUM_KNOBS];	/* -1: no such knob */
	long long job_timeout_ms;			/* -1: unknown */
	char num_devices[16];
	char vram_size_mb[16];
} saved;

static int read_ll(const char *path, long long *value)
{
	FILE *f = fopen(path, "re");
	int ret;

	if (!f)
		return -errno;
	ret = fscanf(f, "%lld", value) == 1 ? 0 : -EINVAL;
	fclose(f);
	return ret;
}

static int write_ll(const char *path, long long value)
{
	char buf[32];
	int fd, len, ret = 0;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	len = snprintf(buf, sizeof(buf), "%lld\n", value);
	if (write(fd, buf, len) != len)
		ret = errno ? -errno : -EIO;
	close(fd);
	return ret;
}

/* First line of a file, without its newline; 0 or -errno. */
static int read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "re");
	char *nl;

	buf[0] = '\0';
	if (!f)
		return -errno;
	if (!fgets(buf, len, f))
		buf[0] = '\0';
	fclose(f);
	nl = strchr(buf, '\n');
	if (nl)
		*nl = '\0';
	return 0;
}

static void knob_path(char *path, size_t len, int dev, enum knob knob)
{
	snprintf(path, len, EMU_DEBUGFS "/%d/%s", dev, knob_names[knob]);
}

/* Sets a knob on every device; returns how many devices have it, or -errno. */
static int knob_set(enum knob knob, long long value)
{
	char path[128];
	int dev, count = 0, ret;

	for (dev = 0; dev < EMU_DEVICES; dev++) {
		knob_path(path, sizeof(path), dev, knob);
		if (access(path, F_OK))
			continue;
		ret = write_ll(path, value);
		if (ret)
			return ret;
		count++;
	}
	return count;
}

/* Sum of a knob over the devices, or -1 if no device has it. */
static long long knob_sum(enum knob knob)
{
	long long sum = -1, value;
	char path[128];
	int dev;

	for (dev = 0; dev < EMU_DEVICES; dev++) {
		knob_path(path, sizeof(path), dev, knob);
		if (read_ll(path, &value))
			continue;
		sum = (sum < 0 ? 0 : sum) + value;
	}
	return sum;
}

/* Sum over the devices of one counter of the emulator's stats, or -1. */
static long long emu_stat(const char *name)
{
	long long sum = -1, value;
	char path[128], line[128];
	size_t len = strlen(name);
	int dev;
	FILE *f;

	for (dev = 0; dev < EMU_DEVICES; dev++) {
		snprintf(path, sizeof(path), EMU_DEBUGFS "/%d/stats", dev);
		f = fopen(path, "re");
		if (!f)
			continue;
		while (fgets(line, sizeof(line), f)) {
			if (strncmp(line, name, len) || line[len] != ':')
				continue;
			if (sscanf(line + len + 1, "%lld", &value) == 1)
				sum = (sum < 0 ? 0 : sum) + value;
		}
		fclose(f);
	}
	return sum;
}

static void knobs_restore(void)
{
	char path[128];
	int dev, knob;

	for (dev = 0; dev < EMU_DEVICES; dev++) {
		for (knob = 0; knob < NUM_KNOBS; knob++) {
			if (saved.knobs[dev][knob] < 0)
				continue;
			knob_path(path, sizeof(path), dev, knob);
			if (!access(path, W_OK))
				write_ll(path, saved.knobs[dev][knob]);
		}
	}
	if (saved.job_timeout_ms > 0 && !access(JOB_TIMEOUT, W_OK))
		write_ll(JOB_TIMEOUT, saved.job_timeout_ms);
}

static void __attribute__((constructor)) knobs_save(void)
{
	char path[128];
	int dev, knob;

	saved.pid = getpid();
	for (dev = 0; dev < EMU_DEVICES; dev++) {
		for (knob = 0; knob < NUM_KNOBS; knob++) {
			knob_path(path, sizeof(path), dev, knob);
			if (read_ll(path, &saved.knobs[dev][knob]))
				saved.knobs[dev][knob] = -1;
		}
	}
	if (read_ll(JOB_TIMEOUT, &saved.job_timeout_ms))
		saved.job_timeout_ms = -1;
	read_line(XE_PARAMS "/num_devices", saved.num_devices, sizeof(saved.num_devices));
	read_line(XE_PARAMS "/vram_size_mb", saved.vram_size_mb, sizeof(saved.vram_size_mb));
}

static void __attribute__((destructor)) knobs_restore_at_exit(void)
{
	if (getpid() == saved.pid)
		knobs_restore();
}

#define REQUIRE_KNOB(knob) do { \
		if (knob_sum(knob) < 0) \
			SKIP(return, "no %s knob (a debug kernel and root are needed)", \
			     knob_names[knob]); \
	} while (0)

/* --- child processes ---------------------------------------------------------- */

/*
 * Children report a failed check on stderr, as a TAP comment, and exit with
 * status 1; the parent checks the status. They never use the harness's
 * ASSERT_*(), whose jump target belongs to the test process.
 */
static void __attribute__((noreturn)) child_fail(int line, const char *what, long long expected,
						 long long seen, int err)
{
	fprintf(stderr,
		"#   process %d, line %d: %s: expected %lld (%#llx), got %lld (%#llx)%s%s\n",
		(int)getpid(), line, what, expected, expected, seen, seen,
		err ? "; errno: " : "", err ? strerror(err) : "");
	_exit(1);
}

#define CHILD_EQ(expected, seen) do { \
		long long __exp = (long long)(expected), __seen = (long long)(seen); \
		if (__exp != __seen) \
			child_fail(__LINE__, #seen, __exp, __seen, 0); \
	} while (0)

#define CHILD_TRUE(cond) do { \
		int __err = errno; \
		if (!(cond)) \
			child_fail(__LINE__, #cond, 1, 0, __err); \
	} while (0)

static const char *status_str(int status, char *buf, size_t len)
{
	if (WIFEXITED(status))
		snprintf(buf, len, "exited with status %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(buf, len, "was killed by signal %d", WTERMSIG(status));
	else
		snprintf(buf, len, "ended with wait status %#x", status);
	return buf;
}

/* Logs the scheduler state, wait channel and kernel stack of a process. */
static void log_task(struct __test_metadata *_metadata, pid_t pid)
{
	char path[64], line[256], *p;
	int n = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if (!read_line(path, line, sizeof(line))) {
		p = strrchr(line, ')');
		TH_LOG("process %d is in state %c", (int)pid, p && p[1] && p[2] ? p[2] : '?');
	}
	snprintf(path, sizeof(path), "/proc/%d/wchan", (int)pid);
	if (!read_line(path, line, sizeof(line)) && line[0])
		TH_LOG("waiting in %s", line);
	snprintf(path, sizeof(path), "/proc/%d/stack", (int)pid);
	f = fopen(path, "re");
	while (f && n++ < 16 && fgets(line, sizeof(line), f)) {
		p = strchr(line, '\n');
		if (p)
			*p = '\0';
		TH_LOG("  %s", line);
	}
	if (f)
		fclose(f);
}

/*
 * Waits up to timeout_ms for the child to end. Returns how many
 * milliseconds that took, or -1 if it did not end in time: it is then
 * killed, and if even that does not end it (a task blocked in the kernel)
 * its state is logged and it is left behind.
 */
static long reap(struct __test_metadata *_metadata, pid_t pid, long timeout_ms, int *status)
{
	int64_t start = xe_now_ns(), deadline = start + timeout_ms * NSEC_PER_MSEC;
	pid_t ret;

	*status = 0;
	for (;;) {
		ret = waitpid(pid, status, WNOHANG);
		if (ret == pid)
			return (xe_now_ns() - start) / NSEC_PER_MSEC;
		if (ret < 0) {
			TH_LOG("waitpid(%d): %s", (int)pid, strerror(errno));
			return -1;
		}
		if (xe_now_ns() > deadline)
			break;
		usleep(2000);
	}

	TH_LOG("process %d still runs after %ld ms", (int)pid, timeout_ms);
	log_task(_metadata, pid);
	kill(pid, SIGKILL);
	deadline = xe_now_ns() + 5 * NSEC_PER_SEC;
	while (xe_now_ns() < deadline) {
		if (waitpid(pid, status, WNOHANG) == pid) {
			TH_LOG("process %d ended once killed", (int)pid);
			return -1;
		}
		usleep(10000);
	}
	TH_LOG("process %d did not end when killed either: it is blocked in the kernel",
	       (int)pid);
	log_task(_metadata, pid);
	return -1;
}

/* State and process group of a process, from /proc; 0 or -errno. */
static int proc_stat(pid_t pid, char *state, pid_t *pgrp)
{
	char path[64], line[512], *p;
	int ppid, group;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if (read_line(path, line, sizeof(line)))
		return -errno;
	p = strrchr(line, ')');
	if (!p || sscanf(p + 1, " %c %d %d", state, &ppid, &group) != 3)
		return -EINVAL;
	*pgrp = group;
	return 0;
}

/*
 * Kills what a failed test left running: the processes of the test's
 * process group other than the caller, its leader. Waits a little for them
 * to go, and logs those that do not.
 */
static void kill_leftovers(struct __test_metadata *_metadata)
{
	pid_t pids[64], self = getpid(), group = getpgrp(), pgrp;
	unsigned int count = 0, i;
	int64_t deadline;
	struct dirent *e;
	char state;
	DIR *d;

	d = opendir("/proc");
	while (d && (e = readdir(d)) && count < ARRAY_SIZE(pids)) {
		pid_t pid = atoi(e->d_name);

		if (pid <= 0 || pid == self || proc_stat(pid, &state, &pgrp) || pgrp != group ||
		    state == 'Z')
			continue;
		TH_LOG("process %d (state %c) was left running: killing it", (int)pid, state);
		kill(pid, SIGKILL);
		pids[count++] = pid;
	}
	if (d)
		closedir(d);

	deadline = xe_now_ns() + 5 * NSEC_PER_SEC;
	for (i = 0; i < count; i++) {
		while (!proc_stat(pids[i], &state, &pgrp) && state != 'Z' &&
		       xe_now_ns() < deadline)
			usleep(10000);
		if (!proc_stat(pids[i], &state, &pgrp) && state != 'Z') {
			TH_LOG("process %d does not end: it is blocked in the kernel",
			       (int)pids[i]);
			log_task(_metadata, pids[i]);
		}
	}
}

/* The child ended, in time, with _exit(0). */
static void expect_child_ok(struct __test_metadata *_metadata, long ms, int status,
			    const char *who)
{
	char buf[64];

	ASSERT_LE(0, ms) {
		TH_LOG("%s did not end in time", who);
	}
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		TH_LOG("%s %s", who, status_str(status, buf, sizeof(buf)));
	}
}

/* One byte from fd within timeout_ms: the byte, -ETIME, or -EPIPE at EOF. */
static int read_byte(int fd, long timeout_ms)
{
	int64_t deadline = xe_now_ns() + timeout_ms * NSEC_PER_MSEC;
	struct pollfd p = { .fd = fd, .events = POLLIN };
	unsigned char c;
	int ret;

	for (;;) {
		int64_t left = (deadline - xe_now_ns()) / NSEC_PER_MSEC;

		if (left < 0)
			return -ETIME;
		ret = poll(&p, 1, (int)left);
		if (ret < 0 && errno == EINTR)
			continue;
		if (ret < 0)
			return -errno;
		if (!ret)
			return -ETIME;
		ret = read(fd, &c, 1);
		if (ret == 1)
			return c;
		if (!ret)
			return -EPIPE;
		if (errno != EINTR)
			return -errno;
	}
}

/* Exactly len bytes from fd within timeout_ms: 0, -ETIME or -EPIPE. */
static int read_all(int fd, void *buf, size_t len, long timeout_ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	char *dst = buf;
	ssize_t n;

	while (len) {
		if (poll(&p, 1, (int)timeout_ms) <= 0)
			return -ETIME;
		n = read(fd, dst, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n ? -errno : -EPIPE;
		dst += n;
		len -= n;
	}
	return 0;
}

static void write_byte(int fd, char c)
{
	if (write(fd, &c, 1) != 1)
		perror("write");
}

static void *shared_alloc(size_t size)
{
	void *ptr = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	return ptr == MAP_FAILED ? NULL : ptr;
}

/* Polls until emu_stat(name) exceeds than, for up to timeout_ms. */
static bool wait_stat_above(const char *name, long long than, long timeout_ms)
{
	int64_t deadline = xe_now_ns() + timeout_ms * NSEC_PER_MSEC;

	while (emu_stat(name) <= than) {
		if (xe_now_ns() > deadline)
			return false;
		usleep(2000);
	}
	return true;
}

/* Polls until the dword at ptr is non-zero, for up to timeout_ms. */
static bool wait_nonzero(const void *ptr, long timeout_ms)
{
	int64_t deadline = xe_now_ns() + timeout_ms * NSEC_PER_MSEC;

	while (!xe_rd32(ptr, 0)) {
		if (xe_now_ns() > deadline)
			return false;
		usleep(1000);
	}
	return true;
}

/* --- batches ------------------------------------------------------------------ */

static void store_batch(struct xe_ctx *ctx, uint64_t offset, uint64_t addr, uint32_t value)
{
	uint32_t *cs = xe_ctx_cs(ctx, offset);

	cs = xe_emit_store_dword(cs, addr, value);
	xe_emit_bb_end(cs);
}

/* count increments of the dword at addr: with the engine delay, a slow job. */
static void slow_batch(struct xe_ctx *ctx, uint64_t offset, uint64_t addr, unsigned int count)
{
	uint32_t *cs = xe_ctx_cs(ctx, offset);

	while (count--)
		cs = xe_emit_atomic(cs, ATOMIC_INC, addr);
	xe_emit_bb_end(cs);
}

/*
 * In the calling process: a job of a new context (VM, batch and queue) on
 * fd stores a value into system memory, in a VM of the given flags.
 * Returns 0, or a negative error of the step that failed.
 */
static int run_store(int fd, uint32_t vm_flags, uint32_t value)
{
	struct xe_ctx ctx;
	struct xe_buf buf;
	int ret;

	ret = xe_ctx_init(fd, &ctx, 0, vm_flags, DRM_XE_ENGINE_CLASS_COMPUTE, 0);
	if (ret)
		return ret;
	ret = xe_buf_create(fd, XE_BUF_SYSMEM, SZ_64K, &buf);
	if (!ret) {
		ret = xe_buf_bind(fd, ctx.vm, &buf, DATA_ADDR, 0);
		if (!ret) {
			store_batch(&ctx, 0, DATA_ADDR + 0x40, value);
			ret = xe_ctx_run(&ctx);
		}
		if (!ret && xe_rd32(buf.ptr, 0x40) != value)
			ret = -EIO;
		xe_buf_destroy(fd, &buf);
	}
	xe_ctx_fini(&ctx);
	return ret;
}

/* A new process opens the device and runs jobs, with and without page faults. */
static void expect_new_process_works(struct __test_metadata *_metadata)
{
	int status, fd;
	pid_t pid;
	long ms;

	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		fd = drm_open_driver_xe();
		CHILD_TRUE(fd >= 0);
		CHILD_EQ(0, run_store(fd, 0, 0xf7e50000));
		CHILD_EQ(0, run_store(fd, FAULT_VM, 0xf7e50001));
		close(fd);
		_exit(0);
	}
	ms = reap(_metadata, pid, 30000, &status);
	expect_child_ok(_metadata, ms, status, "a new process using the device");
}

/* --- the fixture --------------------------------------------------------------- */

static void ensure_xe_loaded(struct __test_metadata *_metadata);

FIXTURE(xe_lifecycle) {
	int fd;
};

FIXTURE_SETUP(xe_lifecycle)
{
	/* In case a test before this one was cut short. */
	knobs_restore();
	signal(SIGPIPE, SIG_IGN);

	self->fd = drm_open_driver_xe();
	if (self->fd < 0 && !xe_devices_expected())
		SKIP(return, "no xe device found");
	ASSERT_GE(self->fd, 0) {
		TH_LOG("xe is loaded but no device could be opened: %s", strerror(errno));
	}
}

/* In the parent of the test process, which may have died in any state. */
FIXTURE_TEARDOWN_PARENT(xe_lifecycle)
{
	kill_leftovers(_metadata);
	ensure_xe_loaded(_metadata);
	knobs_restore();
}

/* --- exit and SIGKILL with jobs in flight ------------------------------------------ */

/*
 * In a child: opens the device, queues BUSY_JOBS slow jobs on each of two
 * compute engines, incrementing a counter in VRAM and one in user memory
 * (shared, when given) or VRAM, and reports 'S' once they run. Then, with
 * wait, waits for the last job (the parent kills it meanwhile); else
 * returns at once, leaving everything open and running.
 */
static int busy_child(int report, uint32_t *shared, bool wait)
{
	struct drm_xe_sync sync;
	struct xe_ctx a, b;
	struct xe_buf vram;
	uint32_t syncobj;
	unsigned int i;
	int fd;

	fd = drm_open_driver_xe();
	CHILD_TRUE(fd >= 0);
	CHILD_EQ(0, xe_ctx_init(fd, &a, 0, 0, DRM_XE_ENGINE_CLASS_COMPUTE, 0));
	CHILD_EQ(0, xe_ctx_init(fd, &b, a.vm, 0, DRM_XE_ENGINE_CLASS_COMPUTE, 1));
	CHILD_EQ(0, xe_buf_create(fd, XE_BUF_VRAM, SZ_64K, &vram));
	CHILD_EQ(0, xe_buf_bind(fd, a.vm, &vram, DATA_ADDR, 0));
	if (shared)
		CHILD_EQ(0, xe_vm_bind_userptr(fd, a.vm, shared, DATA2_ADDR, SZ_4K, 0));
	slow_batch(&a, 0, DATA_ADDR, SLOW_ATOMICS);
	slow_batch(&b, 0, shared ? DATA2_ADDR : DATA_ADDR + 8, SLOW_ATOMICS);
	syncobj = syncobj_create(fd, 0);
	CHILD_TRUE(syncobj);
	sync = xe_sync_syncobj(syncobj, true);

	for (i = 0; i < BUSY_JOBS; i++) {
		CHILD_EQ(0, xe_exec(fd, a.queue, a.batch.addr, NULL, 0));
		CHILD_EQ(0, xe_exec(fd, b.queue, b.batch.addr, &sync, i == BUSY_JOBS - 1));
	}
	/* Running: the first job has started counting. */
	CHILD_TRUE(wait_nonzero(vram.ptr, 10000));
	write_byte(report, 'S');
	if (!wait)
		return 0;

	syncobj_wait(fd, &syncobj, 1, 60 * NSEC_PER_SEC, 0);
	fprintf(stderr, "#   process %d: the jobs completed before it was killed\n",
		(int)getpid());
	return 2;
}

/* Commands a busy_child() would run if nothing stopped its jobs. */
#define BUSY_COMMANDS	(2ll * BUSY_JOBS * (SLOW_ATOMICS + 1))

/*
 * Starts busy_child() with the engine delay set; returns its pid once it
 * has queued its jobs and they are running.
 */
static pid_t start_busy_child(struct __test_metadata *_metadata, uint32_t *shared, bool wait,
			      long long *commands)
{
	int p[2], ret;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC)) {
		TH_LOG("pipe: %s", strerror(errno));
		return -1;
	}
	knob_set(ENGINE_DELAY, ENGINE_DELAY_US);
	*commands = emu_stat("commands");

	pid = fork();
	if (!pid) {
		close(p[0]);
		_exit(busy_child(p[1], shared, wait));
	}
	close(p[1]);
	ret = pid < 0 ? -errno : read_byte(p[0], 30000);
	close(p[0]);
	if (ret != 'S') {
		TH_LOG("the busy process's jobs do not run: %d", ret);
		if (pid > 0) {
			kill(pid, SIGKILL);
			waitpid(pid, NULL, 0);
		}
		return -1;
	}
	return pid;
}

/* After the busy process ended: no engine runs anything any more. */
static void expect_engines_quiet(struct __test_metadata *_metadata, long long before)
{
	long long now = emu_stat("commands");

	usleep(300000);
	EXPECT_EQ(now, emu_stat("commands")) {
		TH_LOG("the engines still run jobs of a process that is gone");
	}
	TH_LOG("%lld commands ran, of %lld for all the jobs", now - before, BUSY_COMMANDS);
}

/*
 * A process with slow jobs in flight on two engines exits without waiting
 * for them: its file is closed at exit, which stops the jobs instead of
 * running them to the end, promptly; the device works on.
 */
TEST_F_TIMEOUT(xe_lifecycle, exit_busy, 60)
{
	long long before;
	int status;
	long ms;
	pid_t pid;

	REQUIRE_KNOB(ENGINE_DELAY);
	pid = start_busy_child(_metadata, NULL, false, &before);
	ASSERT_LT(0, pid);
	ms = reap(_metadata, pid, 15000, &status);
	expect_child_ok(_metadata, ms, status, "the busy process");
	TH_LOG("the exit took %ld ms", ms);
	EXPECT_GT(5000, ms);
	EXPECT_GT(BUSY_COMMANDS, emu_stat("commands") - before) {
		TH_LOG("exit waited for the jobs to complete instead of stopping them");
	}
	expect_engines_quiet(_metadata, before);

	knobs_restore();
	EXPECT_EQ(0, run_store(self->fd, 0, 0x600d));
}

/*
 * The same with user memory bound in the VM: at exit the process's memory
 * goes first (its file only after), and the driver lets the jobs of a VM
 * without faults finish before taking user memory from them. So exit
 * waits for every job, which all run to the end; then nothing writes to
 * the memory any more.
 */
TEST_F_TIMEOUT(xe_lifecycle, exit_busy_userptr, 60)
{
	uint32_t *shared;
	long long before;
	int status;
	long ms;
	pid_t pid;

	REQUIRE_KNOB(ENGINE_DELAY);
	shared = shared_alloc(SZ_4K);
	ASSERT_NE(NULL, shared);
	pid = start_busy_child(_metadata, shared, false, &before);
	ASSERT_LT(0, pid);
	ms = reap(_metadata, pid, 20000, &status);
	expect_child_ok(_metadata, ms, status, "the busy process");
	TH_LOG("the exit took %ld ms", ms);
	EXPECT_EQ(BUSY_JOBS * SLOW_ATOMICS, xe_rd32(shared, 0));
	usleep(200000);
	EXPECT_EQ(BUSY_JOBS * SLOW_ATOMICS, xe_rd32(shared, 0));
	expect_engines_quiet(_metadata, before);

	knobs_restore();
	EXPECT_EQ(0, run_store(self->fd, 0, 0x600d));
	munmap(shared, SZ_4K);
}

/* Killed while it waits for its slow jobs: it dies promptly, jobs stop. */
TEST_F_TIMEOUT(xe_lifecycle, kill_busy, 60)
{
	long long before;
	char buf[64];
	int status;
	long ms;
	pid_t pid;

	REQUIRE_KNOB(ENGINE_DELAY);
	pid = start_busy_child(_metadata, NULL, true, &before);
	ASSERT_LT(0, pid);
	usleep(100000);
	ASSERT_EQ(0, kill(pid, SIGKILL));
	ms = reap(_metadata, pid, 15000, &status);
	ASSERT_LE(0, ms);
	EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) {
		TH_LOG("the busy process %s", status_str(status, buf, sizeof(buf)));
	}
	TH_LOG("it took %ld ms to die", ms);
	EXPECT_GT(5000, ms);
	EXPECT_GT(BUSY_COMMANDS, emu_stat("commands") - before);
	expect_engines_quiet(_metadata, before);

	knobs_restore();
	expect_new_process_works(_metadata);
}

/* --- processes with a page fault outstanding -------------------------------------- */

/*
 * In a child: a job in a fault-mode VM stores into a buffer bound but not
 * faulted in yet (its batch buffer too): the GPU faults. Reports 'S' once
 * submitted, then waits for the job's user fence up to wait_ms. Returns 0
 * when that wait timed out: the job was held up.
 */
static int fault_child(int report, long wait_ms)
{
	struct drm_xe_sync sync;
	struct xe_buf buf;
	struct xe_ctx ctx;
	int fd, ret;

	fd = drm_open_driver_xe();
	CHILD_TRUE(fd >= 0);
	CHILD_EQ(0, xe_ctx_init(fd, &ctx, 0, FAULT_VM, DRM_XE_ENGINE_CLASS_COMPUTE, 0));
	CHILD_EQ(0, xe_buf_create(fd, XE_BUF_SYSMEM, SZ_64K, &buf));
	CHILD_EQ(0, xe_buf_bind(fd, ctx.vm, &buf, DATA_ADDR, 0));
	store_batch(&ctx, 0, DATA_ADDR + 0x10, 0xfa17);
	sync = xe_sync_ufence(ctx.batch.addr + XE_CTX_FENCE_OFFSET, 1);
	CHILD_EQ(0, xe_exec(fd, ctx.queue, ctx.batch.addr, &sync, 1));
	write_byte(report, 'S');

	ret = xe_wait_ufence(fd, xe_ctx_fence(&ctx), 1, ctx.queue, wait_ms * NSEC_PER_MSEC);
	CHILD_EQ(-ETIME, ret);
	CHILD_EQ(0, xe_rd32(buf.ptr, 0x10));
	return 0;
}

static pid_t start_fault_child(struct __test_metadata *_metadata, long wait_ms)
{
	int p[2], ret;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC))
		return -1;
	pid = fork();
	if (!pid) {
		close(p[0]);
		_exit(fault_child(p[1], wait_ms));
	}
	close(p[1]);
	ret = pid < 0 ? -errno : read_byte(p[0], 30000);
	close(p[0]);
	if (ret != 'S') {
		TH_LOG("the faulting process did not submit its job: %d", ret);
		if (pid > 0) {
			kill(pid, SIGKILL);
			waitpid(pid, NULL, 0);
		}
		return -1;
	}
	return pid;
}

/*
 * Killed while the reply to its page fault is held back by the device:
 * the process dies promptly; the reply, acted upon after the context is
 * gone, harms nothing; new processes fault and run as usual.
 */
TEST_F_TIMEOUT(xe_lifecycle, kill_fault_delayed, 60)
{
	const long delay_ms = 1000;
	long long faults, replies;
	int64_t faulted;
	char buf[64];
	int status;
	long ms;
	pid_t pid;

	REQUIRE_KNOB(FAULT_REPLY_DELAY_MS);
	faults = emu_stat("faults");
	replies = emu_stat("fault_replies");
	ASSERT_LT(0, knob_set(FAULT_REPLY_DELAY_MS, delay_ms));

	pid = start_fault_child(_metadata, 60000);
	ASSERT_LT(0, pid);
	ASSERT_TRUE(wait_stat_above("faults", faults, 10000)) {
		TH_LOG("the job did not fault");
		kill(pid, SIGKILL);
	}
	faulted = xe_now_ns();
	usleep(100000);
	ASSERT_EQ(0, kill(pid, SIGKILL));
	ms = reap(_metadata, pid, 15000, &status);
	ASSERT_LE(0, ms);
	EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) {
		TH_LOG("the faulting process %s", status_str(status, buf, sizeof(buf)));
	}
	TH_LOG("it took %ld ms to die, %lld fault replies were acted upon meanwhile", ms,
	       emu_stat("fault_replies") - replies);
	EXPECT_GT(5000, ms);

	/* Let the held reply arrive for the dead context, then check the device. */
	knobs_restore();
	while (xe_now_ns() < faulted + (delay_ms + 500) * NSEC_PER_MSEC)
		usleep(10000);
	expect_new_process_works(_metadata);
}

/*
 * The reply is dropped: the context stays stalled on its fault for good,
 * until its queue goes. Killing the process (while it waits for the job)
 * still ends it promptly, and the device works on.
 */
TEST_F_TIMEOUT(xe_lifecycle, kill_fault_dropped, 60)
{
	int64_t deadline;
	long long drops;
	char buf[64];
	int status;
	long ms;
	pid_t pid;

	REQUIRE_KNOB(DROP_FAULT_REPLIES);
	ASSERT_LT(0, knob_set(DROP_FAULT_REPLIES, 1));
	drops = knob_sum(DROP_FAULT_REPLIES);

	pid = start_fault_child(_metadata, 60000);
	ASSERT_LT(0, pid);
	/* The device counts the knob down as it drops the reply. */
	deadline = xe_now_ns() + 10 * NSEC_PER_SEC;
	while (knob_sum(DROP_FAULT_REPLIES) >= drops && xe_now_ns() < deadline)
		usleep(2000);
	ASSERT_GT(drops, knob_sum(DROP_FAULT_REPLIES)) {
		TH_LOG("no fault reply was dropped");
		kill(pid, SIGKILL);
		reap(_metadata, pid, 10000, &status);
	}
	usleep(100000);
	ASSERT_EQ(0, kill(pid, SIGKILL));
	ms = reap(_metadata, pid, 15000, &status);
	ASSERT_LE(0, ms);
	EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) {
		TH_LOG("the faulting process %s", status_str(status, buf, sizeof(buf)));
	}
	TH_LOG("it took %ld ms to die", ms);
	EXPECT_GT(5000, ms);

	knobs_restore();
	expect_new_process_works(_metadata);
}

/* The same, with the process simply exiting once its wait timed out. */
TEST_F_TIMEOUT(xe_lifecycle, exit_fault_dropped, 60)
{
	const long wait_ms = 500;
	int status;
	long ms;
	pid_t pid;

	REQUIRE_KNOB(DROP_FAULT_REPLIES);
	ASSERT_LT(0, knob_set(DROP_FAULT_REPLIES, 1));

	pid = start_fault_child(_metadata, wait_ms);
	ASSERT_LT(0, pid);
	ms = reap(_metadata, pid, 15000, &status);
	/* Status 0: the wait timed out, the job was stalled. */
	expect_child_ok(_metadata, ms, status, "the faulting process");
	TH_LOG("it ended %ld ms after submitting (%ld ms of which waiting)", ms, wait_ms);
	EXPECT_GT(5000 + wait_ms, ms);

	knobs_restore();
	expect_new_process_works(_metadata);
}

/* --- destroying VMs and queues under running jobs ---------------------------------- */

/* Statuses of the fences of syncobjs, for the log. */
static void log_fences(struct __test_metadata *_metadata, int fd, const uint32_t *syncobjs,
		       unsigned int count)
{
	char line[256];
	size_t len = 0;
	unsigned int i;

	for (i = 0; i < count && len < sizeof(line) - 8; i++)
		len += snprintf(line + len, sizeof(line) - len, " %d",
				syncobj_fence_status(fd, syncobjs[i]));
	TH_LOG("fence statuses (1: completed):%s", line);
}

/*
 * The VM goes while two queues of it, on a compute and on the copy engine,
 * have slow jobs running and queued, and a third queue is idle: VM_DESTROY
 * succeeds, the jobs end (completed or failed) and signal their out-syncs,
 * the queues accept no more work but can still be destroyed, and the
 * device works on. EXEC on the idle queue fails with -ENOENT (its VM is
 * closed); the busy ones may have been banned first, as their jobs lost
 * their mappings, and then fail with -ECANCELED.
 */
TEST_F_TIMEOUT(xe_lifecycle, vm_destroy_busy, 60)
{
	const uint16_t classes[2] = { DRM_XE_ENGINE_CLASS_COMPUTE, DRM_XE_ENGINE_CLASS_COPY };
	uint32_t syncobjs[2 * 4], vm, idle, count[2];
	struct drm_xe_sync sync;
	struct xe_ctx ctx[2];
	struct xe_buf data;
	unsigned int i, j;
	int64_t start;
	int ret;

	REQUIRE_KNOB(ENGINE_DELAY);
	vm = xe_vm_create(self->fd, 0);
	ASSERT_NE(0u, vm);
	ASSERT_EQ(0, xe_buf_create(self->fd, XE_BUF_SYSMEM, SZ_64K, &data));
	ASSERT_EQ(0, xe_buf_bind(self->fd, vm, &data, DATA_ADDR, 0));
	for (i = 0; i < 2; i++) {
		ASSERT_EQ(0, xe_ctx_init(self->fd, &ctx[i], vm, 0, classes[i], 0));
		slow_batch(&ctx[i], 0, DATA_ADDR + 8 * i, SLOW_ATOMICS);
	}
	idle = xe_exec_queue_create(self->fd, vm, DRM_XE_ENGINE_CLASS_COMPUTE, 1);
	ASSERT_NE(0u, idle);

	ASSERT_LT(0, knob_set(ENGINE_DELAY, ENGINE_DELAY_US));
	for (j = 0; j < 4; j++) {
		for (i = 0; i < 2; i++) {
			syncobjs[2 * j + i] = syncobj_create(self->fd, 0);
			ASSERT_NE(0u, syncobjs[2 * j + i]);
			sync = xe_sync_syncobj(syncobjs[2 * j + i], true);
			ASSERT_EQ(0, xe_exec(self->fd, ctx[i].queue, ctx[i].batch.addr, &sync, 1));
		}
	}
	ASSERT_TRUE(wait_nonzero(data.ptr, 10000));

	start = xe_now_ns();
	ASSERT_EQ(0, xe_vm_destroy(self->fd, vm));
	TH_LOG("VM_DESTROY took %lld ms", (long long)(xe_now_ns() - start) / NSEC_PER_MSEC);

	EXPECT_EQ(-ENOENT, xe_exec(self->fd, idle, ctx[0].batch.addr, NULL, 0));
	EXPECT_EQ(0, xe_exec_queue_banned(self->fd, idle));
	/* -ENOENT: the queue's VM is closed; -ECANCELED: the queue got banned. */
	for (i = 0; i < 2; i++) {
		ret = xe_exec(self->fd, ctx[i].queue, ctx[i].batch.addr, NULL, 0);
		EXPECT_TRUE(ret == -ENOENT || ret == -ECANCELED) {
			TH_LOG("EXEC on a queue of a destroyed VM: %d", ret);
		}
		TH_LOG("EXEC on the %s queue of the destroyed VM: %s",
		       xe_engine_class_name(classes[i]), strerror(-ret));
	}

	ASSERT_EQ(0, syncobj_wait(self->fd, syncobjs, ARRAY_SIZE(syncobjs), XE_TIMEOUT_NS,
				  DRM_SYNCOBJ_WAIT_FLAGS_WAIT_ALL));
	TH_LOG("all fences signalled %lld ms after VM_DESTROY",
	       (long long)(xe_now_ns() - start) / NSEC_PER_MSEC);
	log_fences(_metadata, self->fd, syncobjs, ARRAY_SIZE(syncobjs));
	for (i = 0; i < ARRAY_SIZE(syncobjs); i++) {
		EXPECT_NE(0, syncobj_fence_status(self->fd, syncobjs[i]));
		EXPECT_EQ(0, syncobj_destroy(self->fd, syncobjs[i]));
	}
	for (i = 0; i < 2; i++)
		count[i] = xe_rd32(data.ptr, 8 * i);
	TH_LOG("increments done: %u and %u of %u", count[0], count[1], 4 * SLOW_ATOMICS);
	usleep(200000);
	for (i = 0; i < 2; i++) {
		EXPECT_EQ(count[i], xe_rd32(data.ptr, 8 * i));
	}

	knobs_restore();
	EXPECT_EQ(0, xe_exec_queue_destroy(self->fd, idle));
	for (i = 0; i < 2; i++) {
		EXPECT_EQ(0, xe_exec_queue_destroy(self->fd, ctx[i].queue));
		ctx[i].queue = 0;
		ctx[i].batch.addr = 0;	/* nothing to unbind any more */
		xe_ctx_fini(&ctx[i]);
	}
	EXPECT_EQ(-ENOENT, xe_vm_destroy(self->fd, vm));
	xe_buf_destroy(self->fd, &data);
	EXPECT_EQ(0, run_store(self->fd, 0, 0x600d));
}

/*
 * The same in a fault-mode VM: the job running there loses its mappings
 * and cannot fault them back; a waiter on its user fence is told the
 * queue is dead (-EIO) or sees the fence, instead of waiting on.
 */
TEST_F_TIMEOUT(xe_lifecycle, vm_destroy_busy_fault, 60)
{
	struct drm_xe_sync sync;
	struct xe_buf data;
	struct xe_ctx ctx;
	unsigned int i;
	int64_t start;
	uint32_t count;
	int ret;

	REQUIRE_KNOB(ENGINE_DELAY);
	ASSERT_EQ(0, xe_ctx_init(self->fd, &ctx, 0, FAULT_VM, DRM_XE_ENGINE_CLASS_COMPUTE, 0));
	ASSERT_EQ(0, xe_buf_create(self->fd, XE_BUF_SYSMEM, SZ_64K, &data));
	ASSERT_EQ(0, xe_buf_bind(self->fd, ctx.vm, &data, DATA_ADDR, 0));
	slow_batch(&ctx, 0, DATA_ADDR, SLOW_ATOMICS);

	ASSERT_LT(0, knob_set(ENGINE_DELAY, ENGINE_DELAY_US));
	for (i = 1; i <= 4; i++) {
		sync = xe_sync_ufence(DATA_ADDR + 0x100 + 8 * i, i);
		ASSERT_EQ(0, xe_exec(self->fd, ctx.queue, ctx.batch.addr, &sync, 1));
	}
	ASSERT_TRUE(wait_nonzero(data.ptr, 10000));

	start = xe_now_ns();
	ASSERT_EQ(0, xe_vm_destroy(self->fd, ctx.vm));
	ctx.own_vm = false;
	TH_LOG("VM_DESTROY took %lld ms", (long long)(xe_now_ns() - start) / NSEC_PER_MSEC);

	ret = xe_wait_ufence(self->fd, (uint64_t *)((char *)data.ptr + 0x100 + 8 * 4), 4,
			     ctx.queue, XE_TIMEOUT_NS);
	TH_LOG("the wait for the last job ended after %lld ms: %d",
	       (long long)(xe_now_ns() - start) / NSEC_PER_MSEC, ret);
	EXPECT_TRUE(ret == -EIO || ret == 0) {
		TH_LOG("waiting for a job of a destroyed VM: %d", ret);
	}
	ret = xe_exec(self->fd, ctx.queue, ctx.batch.addr, &sync, 1);
	EXPECT_TRUE(ret == -ENOENT || ret == -ECANCELED) {
		TH_LOG("EXEC on a queue of a destroyed VM: %d", ret);
	}
	TH_LOG("EXEC on the queue of the destroyed VM: %s", strerror(-ret));
	count = xe_rd32(data.ptr, 0);
	TH_LOG("%u of %u increments done", count, 4 * SLOW_ATOMICS);
	usleep(200000);
	EXPECT_EQ(count, xe_rd32(data.ptr, 0));

	knobs_restore();
	EXPECT_EQ(0, xe_exec_queue_destroy(self->fd, ctx.queue));
	ctx.queue = 0;
	ctx.batch.addr = 0;
	xe_ctx_fini(&ctx);
	xe_buf_destroy(self->fd, &data);
	EXPECT_EQ(0, run_store(self->fd, FAULT_VM, 0x600d));
}

struct ufence_waiter {
	int fd;
	uint32_t queue;
	const uint64_t *addr;
	uint64_t value;
	int ret;
	int64_t end;
};

static void *ufence_waiter(void *arg)
{
	struct ufence_waiter *w = arg;

	w->ret = xe_wait_ufence(w->fd, w->addr, w->value, w->queue, 20 * NSEC_PER_SEC);
	w->end = xe_now_ns();
	return NULL;
}

/*
 * EXEC_QUEUE_DESTROY with slow jobs running and queued returns promptly;
 * the jobs stop; their out-syncs signal, with an error for those that did
 * not complete; a thread waiting for the last job's user fence on the queue
 * learns that the queue is dead (-EIO) at once instead of timing out.
 */
static void queue_destroy_busy(struct __test_metadata *_metadata,
			       FIXTURE_DATA(xe_lifecycle) *self, bool lr)
{
	struct ufence_waiter w = { .fd = self->fd, .value = BUSY_JOBS };
	uint32_t syncobjs[BUSY_JOBS], count;
	struct drm_xe_sync syncs[2];
	struct timespec ts;
	struct xe_buf data;
	struct xe_ctx ctx;
	pthread_t thread;
	unsigned int i;
	int64_t start;
	long ms;

	REQUIRE_KNOB(ENGINE_DELAY);
	ASSERT_EQ(0, xe_ctx_init(self->fd, &ctx, 0, lr ? DRM_XE_VM_CREATE_FLAG_LR_MODE : 0,
				 DRM_XE_ENGINE_CLASS_COMPUTE, 0));
	ASSERT_EQ(0, xe_buf_create(self->fd, XE_BUF_SYSMEM, SZ_64K, &data));
	ASSERT_EQ(0, xe_buf_bind(self->fd, ctx.vm, &data, DATA_ADDR, 0));
	slow_batch(&ctx, 0, DATA_ADDR, SLOW_ATOMICS);

	ASSERT_LT(0, knob_set(ENGINE_DELAY, ENGINE_DELAY_US));
	for (i = 0; i < BUSY_JOBS; i++) {
		syncs[0] = xe_sync_ufence(DATA_ADDR + 0x100 + 8 * i, i + 1);
		if (!lr) {
			syncobjs[i] = syncobj_create(self->fd, 0);
			ASSERT_NE(0u, syncobjs[i]);
			syncs[1] = xe_sync_syncobj(syncobjs[i], true);
		}
		ASSERT_EQ(0, xe_exec(self->fd, ctx.queue, ctx.batch.addr, syncs, lr ? 1 : 2));
	}
	w.queue = ctx.queue;
	w.addr = (const uint64_t *)((char *)data.ptr + 0x100 + 8 * (BUSY_JOBS - 1));
	ASSERT_EQ(0, pthread_create(&thread, NULL, ufence_waiter, &w));
	ASSERT_TRUE(wait_nonzero(data.ptr, 10000));
	usleep(50000);

	start = xe_now_ns();
	ASSERT_EQ(0, xe_exec_queue_destroy(self->fd, ctx.queue));
	ms = (xe_now_ns() - start) / NSEC_PER_MSEC;
	ctx.queue = 0;
	TH_LOG("EXEC_QUEUE_DESTROY took %ld ms", ms);
	EXPECT_GT(3000, ms);

	if (!lr) {
		ASSERT_EQ(0, syncobj_wait(self->fd, syncobjs, BUSY_JOBS, 5 * NSEC_PER_SEC,
					  DRM_SYNCOBJ_WAIT_FLAGS_WAIT_ALL));
		TH_LOG("the fences signalled within %lld ms of the destroy",
		       (long long)(xe_now_ns() - start) / NSEC_PER_MSEC);
		log_fences(_metadata, self->fd, syncobjs, BUSY_JOBS);
		for (i = 0; i < BUSY_JOBS; i++) {
			int status = syncobj_fence_status(self->fd, syncobjs[i]);

			EXPECT_TRUE(status == 1 || status == -ECANCELED) {
				TH_LOG("job %u: fence status %d", i, status);
			}
		}
		EXPECT_EQ(-ECANCELED, syncobj_fence_status(self->fd, syncobjs[BUSY_JOBS - 1]));
		for (i = 0; i < BUSY_JOBS; i++) {
			EXPECT_EQ(0, syncobj_destroy(self->fd, syncobjs[i]));
		}
	}

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += 10;
	ASSERT_EQ(0, pthread_timedjoin_np(thread, NULL, &ts)) {
		TH_LOG("the user fence waiter still waits 10 s after the destroy");
	}
	TH_LOG("the waiter returned %d, %lld ms after the destroy", w.ret,
	       (long long)(w.end - start) / NSEC_PER_MSEC);
	EXPECT_EQ(-EIO, w.ret);
	EXPECT_GT(3 * NSEC_PER_SEC, w.end - start);

	count = xe_rd32(data.ptr, 0);
	TH_LOG("%u of %u increments done", count, BUSY_JOBS * SLOW_ATOMICS);
	EXPECT_GT(BUSY_JOBS * SLOW_ATOMICS, count);
	EXPECT_EQ(0u, xe_rd64(data.ptr, 0x100 + 8 * (BUSY_JOBS - 1)));
	usleep(200000);
	EXPECT_EQ(count, xe_rd32(data.ptr, 0));

	/* A new queue of the same VM runs. */
	knobs_restore();
	ctx.queue = xe_exec_queue_create(self->fd, ctx.vm, DRM_XE_ENGINE_CLASS_COMPUTE, 0);
	ASSERT_NE(0u, ctx.queue);
	store_batch(&ctx, 0, DATA_ADDR + 0x40, 0x600d);
	EXPECT_EQ(0, xe_ctx_run(&ctx));
	EXPECT_EQ(0x600du, xe_rd32(data.ptr, 0x40));

	xe_buf_destroy(self->fd, &data);
	xe_ctx_fini(&ctx);
}

TEST_F_TIMEOUT(xe_lifecycle, queue_destroy_busy, 60)
{
	queue_destroy_busy(_metadata, self, false);
}

TEST_F_TIMEOUT(xe_lifecycle, queue_destroy_busy_lr, 60)
{
	queue_destroy_busy(_metadata, self, true);
}

/* --- one file, two processes ------------------------------------------------------ */

struct shared_ids {
	uint32_t bo;
	uint32_t queue;
	uint32_t vm;
	uint32_t syncobj;
};

/*
 * fork(): the child uses the parent's file through the inherited fd: it
 * runs a job on the parent's queue writing into the parent's buffer, and
 * creates a buffer and a queue of its own, which stay in the file after
 * it exits, where the parent finds them. The parent works on.
 */
TEST_F_TIMEOUT(xe_lifecycle, fork_shared_file, 60)
{
	struct shared_ids ids;
	struct xe_buf data;
	struct xe_ctx ctx;
	int status, p[2];
	uint32_t *mine;
	long ms;
	pid_t pid;

	ASSERT_EQ(0, xe_ctx_init(self->fd, &ctx, 0, 0, DRM_XE_ENGINE_CLASS_COMPUTE, 0));
	ASSERT_EQ(0, xe_buf_create(self->fd, XE_BUF_SYSMEM, SZ_64K, &data));
	ASSERT_EQ(0, xe_buf_bind(self->fd, ctx.vm, &data, DATA_ADDR, 0));
	store_batch(&ctx, 0, DATA_ADDR, 0xf0e1);
	ASSERT_EQ(0, xe_ctx_run(&ctx));
	ASSERT_EQ(0xf0e1u, xe_rd32(data.ptr, 0));
	ASSERT_EQ(0, pipe2(p, O_CLOEXEC));

	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		struct xe_buf own;
		uint32_t queue;

		close(p[0]);
		store_batch(&ctx, 0x1000, DATA_ADDR + 4, 0xc41d);
		CHILD_EQ(0, xe_exec_wait(self->fd, ctx.queue, ctx.batch.addr + 0x1000,
					 XE_TIMEOUT_NS));
		CHILD_EQ(0xc41d, xe_rd32(data.ptr, 4));

		CHILD_EQ(0, xe_buf_create(self->fd, XE_BUF_SYSMEM, SZ_4K, &own));
		CHILD_EQ(0, xe_buf_bind(self->fd, ctx.vm, &own, DATA2_ADDR, 0));
		queue = xe_exec_queue_create(self->fd, ctx.vm, DRM_XE_ENGINE_CLASS_COMPUTE, 1);
		CHILD_TRUE(queue);
		store_batch(&ctx, 0x2000, DATA2_ADDR + 8, 0xb0b0);
		CHILD_EQ(0, xe_exec_wait(self->fd, queue, ctx.batch.addr + 0x2000,
					 XE_TIMEOUT_NS));
		CHILD_EQ(0xb0b0, xe_rd32(own.ptr, 8));

		ids.bo = own.handle;
		ids.queue = queue;
		CHILD_EQ(sizeof(ids), write(p[1], &ids, sizeof(ids)));
		_exit(0);
	}
	close(p[1]);
	EXPECT_EQ(0, read_all(p[0], &ids, sizeof(ids), 30000));
	close(p[0]);
	ms = reap(_metadata, pid, 30000, &status);
	expect_child_ok(_metadata, ms, status, "the child");
	EXPECT_EQ(0xc41du, xe_rd32(data.ptr, 4));

	/* What the child created is in the shared file. */
	mine = xe_bo_map(self->fd, ids.bo, SZ_4K);
	ASSERT_NE(NULL, mine) {
		TH_LOG("the child's buffer %u: %s", ids.bo, strerror(errno));
	}
	EXPECT_EQ(0xb0b0u, xe_rd32(mine, 8));
	munmap(mine, SZ_4K);
	EXPECT_EQ(0, xe_exec_queue_banned(self->fd, ids.queue));
	EXPECT_EQ(0, xe_exec_queue_destroy(self->fd, ids.queue));
	EXPECT_EQ(0, xe_vm_unbind(self->fd, ctx.vm, DATA2_ADDR, SZ_4K));
	EXPECT_EQ(0, gem_close(self->fd, ids.bo));

	store_batch(&ctx, 0, DATA_ADDR + 12, 0x9a7e);
	EXPECT_EQ(0, xe_ctx_run(&ctx));
	EXPECT_EQ(0x9a7eu, xe_rd32(data.ptr, 12));

	xe_buf_destroy(self->fd, &data);
	xe_ctx_fini(&ctx);
}

/*
 * fork(): the child queues slow jobs on a queue it creates in the shared
 * file and exits at once, while the parent keeps running jobs. The file
 * stays open in the parent, so the child's exit must not stop its jobs:
 * they all complete and signal success.
 */
TEST_F_TIMEOUT(xe_lifecycle, fork_child_exits_busy, 60)
{
	const unsigned int jobs = 4;
	struct shared_ids ids;
	struct xe_buf data;
	struct xe_ctx ctx;
	int status, p[2];
	unsigned int i;
	long ms;
	pid_t pid;

	REQUIRE_KNOB(ENGINE_DELAY);
	ASSERT_EQ(0, xe_ctx_init(self->fd, &ctx, 0, 0, DRM_XE_ENGINE_CLASS_COMPUTE, 0));
	ASSERT_EQ(0, xe_buf_create(self->fd, XE_BUF_SYSMEM, SZ_64K, &data));
	ASSERT_EQ(0, xe_buf_bind(self->fd, ctx.vm, &data, DATA_ADDR, 0));
	slow_batch(&ctx, 0x8000, DATA_ADDR + 0x100, SLOW_ATOMICS);
	ASSERT_EQ(0, pipe2(p, O_CLOEXEC));
	ASSERT_LT(0, knob_set(ENGINE_DELAY, ENGINE_DELAY_US));

	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		struct drm_xe_sync sync;

		close(p[0]);
		ids.queue = xe_exec_queue_create(self->fd, ctx.vm, DRM_XE_ENGINE_CLASS_COMPUTE, 1);
		CHILD_TRUE(ids.queue);
		ids.syncobj = syncobj_create(self->fd, 0);
		CHILD_TRUE(ids.syncobj);
		sync = xe_sync_syncobj(ids.syncobj, true);
		for (i = 0; i < jobs; i++)
			CHILD_EQ(0, xe_exec(self->fd, ids.queue, ctx.batch.addr + 0x8000, &sync,
					    i == jobs - 1));
		CHILD_EQ(sizeof(ids), write(p[1], &ids, sizeof(ids)));
		_exit(0);
	}
	close(p[1]);
	ASSERT_EQ(0, read_all(p[0], &ids, sizeof(ids), 30000));
	close(p[0]);

	/* Meanwhile the child exits. */
	for (i = 0; i < 8; i++) {
		store_batch(&ctx, 64 * i, DATA_ADDR + 4 * i, 0x7a00 + i);
		EXPECT_EQ(0, xe_ctx_run_at(&ctx, 64 * i, XE_TIMEOUT_NS)) {
			TH_LOG("job %u", i);
		}
		EXPECT_EQ(0x7a00 + i, xe_rd32(data.ptr, 4 * i));
	}
	ms = reap(_metadata, pid, 30000, &status);
	expect_child_ok(_metadata, ms, status, "the child");
	TH_LOG("%u of %u increments done when the parent had run its jobs",
	       xe_rd32(data.ptr, 0x100), jobs * SLOW_ATOMICS);

	ASSERT_EQ(0, syncobj_wait(self->fd, &ids.syncobj, 1, 2 * XE_TIMEOUT_NS, 0));
	EXPECT_EQ(1, syncobj_fence_status(self->fd, ids.syncobj));
	EXPECT_EQ(jobs * SLOW_ATOMICS, xe_rd32(data.ptr, 0x100));
	EXPECT_EQ(0, xe_exec_queue_destroy(self->fd, ids.queue));
	EXPECT_EQ(0, syncobj_destroy(self->fd, ids.syncobj));

	knobs_restore();
	xe_buf_destroy(self->fd, &data);
	xe_ctx_fini(&ctx);
}

/* Sends fd and a message over a unix socket. */
static int send_fd(int sock, int fd, const void *data, size_t len)
{
	char control[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { .iov_base = (void *)data, .iov_len = len };
	struct msghdr msg = {
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = control,
		.msg_controllen = sizeof(control),
	};
	struct cmsghdr *cmsg;

	memset(control, 0, sizeof(control));
	cmsg = CMSG_FIRSTHDR(&msg);
	cmsg->cmsg_level = SOL_SOCKET;
	cmsg->cmsg_type = SCM_RIGHTS;
	cmsg->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cmsg), &fd, sizeof(int));
	return sendmsg(sock, &msg, 0) == (ssize_t)len ? 0 : -errno;
}

/* Receives a file descriptor and a message of len bytes; the fd, or -errno. */
static int recv_fd(int sock, void *data, size_t len, long timeout_ms)
{
	char control[CMSG_SPACE(sizeof(int))];
	struct pollfd p = { .fd = sock, .events = POLLIN };
	struct iovec iov = { .iov_base = data, .iov_len = len };
	struct msghdr msg = {
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = control,
		.msg_controllen = sizeof(control),
	};
	struct cmsghdr *cmsg;
	int fd;

	if (poll(&p, 1, (int)timeout_ms) != 1)
		return -ETIME;
	if (recvmsg(sock, &msg, MSG_CMSG_CLOEXEC) != (ssize_t)len)
		return -EPIPE;
	cmsg = CMSG_FIRSTHDR(&msg);
	if (!cmsg || cmsg->cmsg_level != SOL_SOCKET || cmsg->cmsg_type != SCM_RIGHTS)
		return -ENOENT;
	memcpy(&fd, CMSG_DATA(cmsg), sizeof(int));
	return fd;
}

struct scm_objects {
	uint32_t vm;
	uint32_t queue;
	uint32_t data;
	uint32_t batch;
	uint64_t batch_addr;
};

#define SCM_PATTERN(i)	(0x5ca1ab1eu ^ (i))

/* The receiving end: uses the parent's objects through the fd it was sent. */
static int scm_receiver(int sock)
{
	struct shared_ids reply = { 0 };
	struct scm_objects objs;
	uint32_t *data, *batch, *cs;
	unsigned int i;
	int fd;

	fd = recv_fd(sock, &objs, sizeof(objs), 30000);
	CHILD_TRUE(fd >= 0);
	CHILD_TRUE(xe_is_xe_device(fd));

	data = xe_bo_map(fd, objs.data, SZ_64K);
	CHILD_TRUE(data);
	for (i = 0; i < 16; i++)
		CHILD_EQ(SCM_PATTERN(i), xe_rd32(data, 4 * i));

	batch = xe_bo_map(fd, objs.batch, XE_CTX_BATCH_SIZE);
	CHILD_TRUE(batch);
	cs = (uint32_t *)((char *)batch + 0x3000);
	cs = xe_emit_store_dword(cs, DATA_ADDR + 0x100, 0x5ec0);
	xe_emit_bb_end(cs);
	CHILD_EQ(0, xe_exec_wait(fd, objs.queue, objs.batch_addr + 0x3000, XE_TIMEOUT_NS));
	CHILD_EQ(0x5ec0, xe_rd32(data, 0x100));

	/* Objects of its own, created in the same file. */
	reply.vm = xe_vm_create(fd, 0);
	CHILD_TRUE(reply.vm);
	reply.bo = xe_bo_create(fd, SZ_4K, xe_region_mask(fd, DRM_XE_MEM_REGION_CLASS_SYSMEM),
				DRM_XE_GEM_CPU_CACHING_WB);
	CHILD_TRUE(reply.bo);
	CHILD_EQ(sizeof(reply), write(sock, &reply, sizeof(reply)));

	munmap(batch, XE_CTX_BATCH_SIZE);
	munmap(data, SZ_64K);
	close(fd);
	return 0;
}

/*
 * A file descriptor sent to another process over a unix socket: it is the
 * same DRM file, so the receiver reaches the sender's objects (maps its
 * buffer, runs a job on its queue) and what it creates is the sender's too.
 */
TEST_F_TIMEOUT(xe_lifecycle, scm_rights_fd, 60)
{
	struct shared_ids reply;
	struct scm_objects objs;
	struct xe_buf data;
	struct xe_ctx ctx;
	int status, sv[2], fd;
	unsigned int i;
	long ms;
	pid_t pid;

	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		close(sv[0]);
		close(self->fd);	/* only what it is sent */
		_exit(scm_receiver(sv[1]));
	}
	close(sv[1]);

	/* A file that only this process has. */
	fd = drm_open_driver_xe();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, xe_ctx_init(fd, &ctx, 0, 0, DRM_XE_ENGINE_CLASS_COMPUTE, 0));
	ASSERT_EQ(0, xe_buf_create(fd, XE_BUF_SYSMEM, SZ_64K, &data));
	ASSERT_EQ(0, xe_buf_bind(fd, ctx.vm, &data, DATA_ADDR, 0));
	for (i = 0; i < 16; i++)
		xe_wr32(data.ptr, 4 * i, SCM_PATTERN(i));

	objs.vm = ctx.vm;
	objs.queue = ctx.queue;
	objs.data = data.handle;
	objs.batch = ctx.batch.handle;
	objs.batch_addr = ctx.batch.addr;
	ASSERT_EQ(0, send_fd(sv[0], fd, &objs, sizeof(objs)));
	EXPECT_EQ(0, read_all(sv[0], &reply, sizeof(reply), 30000));
	ms = reap(_metadata, pid, 30000, &status);
	expect_child_ok(_metadata, ms, status, "the receiver");
	close(sv[0]);

	EXPECT_EQ(0x5ec0u, xe_rd32(data.ptr, 0x100));
	EXPECT_EQ(0, xe_vm_destroy(fd, reply.vm));
	EXPECT_EQ(0, gem_close(fd, reply.bo));
	store_batch(&ctx, 0, DATA_ADDR + 0x104, 0x600d);
	EXPECT_EQ(0, xe_ctx_run(&ctx));
	EXPECT_EQ(0x600du, xe_rd32(data.ptr, 0x104));

	xe_buf_destroy(fd, &data);
	xe_ctx_fini(&ctx);
	close(fd);
}

/*
 * PRIME: a buffer exported as a dma-buf and imported by another process
 * through a file of its own, where a job writes into it. The driver does
 * not implement dma-buf export yet and refuses it with -EOPNOTSUPP; the
 * buffer stays usable.
 */
TEST_F_TIMEOUT(xe_lifecycle, prime_other_process, 60)
{
	struct drm_prime_handle exp;
	struct xe_buf data;
	struct xe_ctx ctx;
	int status, sv[2], ret;
	long ms;
	pid_t pid;

	ASSERT_EQ(0, xe_ctx_init(self->fd, &ctx, 0, 0, DRM_XE_ENGINE_CLASS_COMPUTE, 0));
	ASSERT_EQ(0, xe_buf_create(self->fd, XE_BUF_SYSMEM, SZ_64K, &data));
	xe_wr32(data.ptr, 0, 0x9e1);

	memset(&exp, 0, sizeof(exp));
	exp.handle = data.handle;
	exp.flags = DRM_CLOEXEC | DRM_RDWR;
	exp.fd = -1;
	ret = __xe_ioctl(self->fd, DRM_IOCTL_PRIME_HANDLE_TO_FD, &exp);
	if (ret) {
		TH_LOG("PRIME export: %s", strerror(-ret));
		EXPECT_EQ(-EOPNOTSUPP, ret);
		/* Nothing changed for the buffer. */
		ASSERT_EQ(0, xe_buf_bind(self->fd, ctx.vm, &data, DATA_ADDR, 0));
		store_batch(&ctx, 0, DATA_ADDR + 0x20, 0x1e0);
		EXPECT_EQ(0, xe_ctx_run(&ctx));
		EXPECT_EQ(0x1e0u, xe_rd32(data.ptr, 0x20));
		EXPECT_EQ(0x9e1u, xe_rd32(data.ptr, 0));
		xe_buf_destroy(self->fd, &data);
		xe_ctx_fini(&ctx);
		return;
	}

	ASSERT_LE(0, exp.fd);
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		struct drm_prime_handle imp;
		struct xe_ctx other;
		char token;
		int fd;

		close(sv[0]);
		close(self->fd);
		memset(&imp, 0, sizeof(imp));
		imp.fd = recv_fd(sv[1], &token, 1, 30000);
		CHILD_TRUE(imp.fd >= 0);
		fd = drm_open_driver_xe();
		CHILD_TRUE(fd >= 0);
		CHILD_EQ(0, __xe_ioctl(fd, DRM_IOCTL_PRIME_FD_TO_HANDLE, &imp));
		CHILD_EQ(0, xe_ctx_init(fd, &other, 0, 0, DRM_XE_ENGINE_CLASS_COMPUTE, 0));
		CHILD_EQ(0, xe_vm_bind_bo(fd, other.vm, imp.handle, 0, DATA_ADDR, SZ_64K, 0));
		store_batch(&other, 0, DATA_ADDR + 0x20, 0x1e0);
		CHILD_EQ(0, xe_ctx_run(&other));
		xe_ctx_fini(&other);
		close(fd);
		_exit(0);
	}
	close(sv[1]);
	ASSERT_EQ(0, send_fd(sv[0], exp.fd, "x", 1));
	close(exp.fd);
	ms = reap(_metadata, pid, 30000, &status);
	expect_child_ok(_metadata, ms, status, "the importer");
	close(sv[0]);
	EXPECT_EQ(0x1e0u, xe_rd32(data.ptr, 0x20));
	EXPECT_EQ(0x9e1u, xe_rd32(data.ptr, 0));

	xe_buf_destroy(self->fd, &data);
	xe_ctx_fini(&ctx);
}

/* --- exhaustion -------------------------------------------------------------------- */

enum hog_kind {
	HOG_VRAM,
	HOG_SYSMEM,
	HOG_VMS,
	HOG_QUEUES,
	HOG_SYNCOBJS,
};

static const char *const hog_names[] = {
	[HOG_VRAM] = "VRAM buffers",
	[HOG_SYSMEM] = "system memory buffers",
	[HOG_VMS] = "VMs",
	[HOG_QUEUES] = "exec queues",
	[HOG_SYNCOBJS] = "syncobjs",
};

#define HOG_SYSMEM_BO		(16 * SZ_1M)
#define HOG_SYSMEM_CAP		8
#define HOG_VMS_CAP		5000
#define HOG_VMS_BUDGET_NS	(2 * NSEC_PER_SEC)
/* VMs are bounded by memory only: the second hog need not take as long. */
#define HOG_VMS_AGAIN		500
/* Exec queues one file may hold; the hog asks for more. */
#define QUEUES_PER_FILE		8192u
#define HOG_QUEUES_CAP		(2 * QUEUES_PER_FILE)
#define HOG_SYNCOBJS_CAP	4000

struct hog_result {
	unsigned int count;
	int err;		/* errno of the failed creation; 0: the cap or time stopped it */
	int64_t ns;
};

struct bystander_result {
	int vm_ret;		/* creating a VM */
	int pre_ret;		/* a job on the queue created before the hog came */
	int new_ret;		/* a job in a new VM, on a new queue, into new memory */
	char why[128];
};

struct exhaust {
	struct hog_result hog[2];		/* the hog, and the one after it exited */
	struct bystander_result by[2];		/* while the hog holds everything, after */
};

/* Creates objects until a creation fails, cap objects exist, or budget_ns passed. */
static void hog_fill(int fd, enum hog_kind kind, unsigned int cap, int64_t budget_ns,
		     struct hog_result *res)
{
	uint32_t vram = xe_region_mask(fd, DRM_XE_MEM_REGION_CLASS_VRAM);
	uint32_t sys = xe_region_mask(fd, DRM_XE_MEM_REGION_CLASS_SYSMEM);
	uint64_t vram_bo = xe_vram_size(fd) / 16;
	int64_t start = xe_now_ns();
	uint32_t vm = 0, handle;
	int ret = 0;

	res->count = 0;
	res->err = 0;
	if (kind == HOG_QUEUES) {
		vm = xe_vm_create(fd, 0);
		if (!vm) {
			res->err = errno;
			return;
		}
	}
	while (res->count < cap) {
		switch (kind) {
		case HOG_VRAM:
			ret = __xe_bo_create(fd, 0, vram_bo, vram, 0, DRM_XE_GEM_CPU_CACHING_WC,
					     &handle);
			break;
		case HOG_SYSMEM:
			ret = __xe_bo_create(fd, 0, HOG_SYSMEM_BO, sys, 0,
					     DRM_XE_GEM_CPU_CACHING_WB, &handle);
			break;
		case HOG_VMS:
			ret = xe_vm_create(fd, 0) ? 0 : -errno;
			break;
		case HOG_QUEUES:
			ret = xe_exec_queue_create(fd, vm, DRM_XE_ENGINE_CLASS_COMPUTE,
						   res->count % 4) ? 0 : -errno;
			break;
		case HOG_SYNCOBJS:
			ret = syncobj_create(fd, res->count & 1 ? DRM_SYNCOBJ_CREATE_SIGNALED : 0) ?
			      0 : -errno;
			break;
		}
		if (ret) {
			res->err = -ret;
			break;
		}
		res->count++;
		if (budget_ns && xe_now_ns() - start > budget_ns)
			break;
	}
	res->ns = xe_now_ns() - start;
}

/* The hog: fills, reports 'H', holds everything until release reads EOF, exits. */
static int hog_child(enum hog_kind kind, unsigned int cap, int64_t budget_ns,
		     struct hog_result *res, int ready, int release)
{
	int fd = drm_open_driver_xe();

	CHILD_TRUE(fd >= 0);
	hog_fill(fd, kind, cap, budget_ns, res);
	write_byte(ready, 'H');
	read_byte(release, 300000);
	return 0;	/* exit frees it all */
}

/* Starts a hog and waits until it holds what it could get; its pid, or -1. */
static pid_t start_hog(struct __test_metadata *_metadata, enum hog_kind kind, unsigned int cap,
		       int64_t budget_ns, struct hog_result *res, int *release)
{
	int ready[2], rel[2], ret;
	pid_t pid;

	if (pipe2(ready, O_CLOEXEC) || pipe2(rel, O_CLOEXEC))
		return -1;
	pid = fork();
	if (!pid) {
		close(ready[0]);
		close(rel[1]);
		_exit(hog_child(kind, cap, budget_ns, res, ready[1], rel[0]));
	}
	close(ready[1]);
	close(rel[0]);
	*release = rel[1];
	ret = pid < 0 ? -errno : read_byte(ready[0], 90000);
	close(ready[0]);
	if (ret != 'H') {
		TH_LOG("the hog did not report: %d", ret);
		if (pid > 0) {
			close(rel[1]);
			kill(pid, SIGKILL);
			waitpid(pid, NULL, 0);
		}
		return -1;
	}
	TH_LOG("the hog made %u %s in %lld ms, then %s", res->count, hog_names[kind],
	       (long long)res->ns / NSEC_PER_MSEC,
	       res->err ? strerror(res->err) : "stopped (cap or time)");
	return pid;
}

/* In the bystander: one job in a new VM, on a new queue, into new memory. */
static void bystander_try(int fd, enum xe_buf_kind kind, struct xe_ctx *pre,
			  struct bystander_result *res)
{
	struct xe_buf buf;
	struct xe_ctx ctx;
	uint32_t vm;
	int ret;

	res->why[0] = '\0';
	store_batch(pre, 0, DATA_ADDR + 0x20, 0xb5);
	res->pre_ret = xe_ctx_run(pre);

	vm = xe_vm_create(fd, 0);
	res->vm_ret = vm ? 0 : -errno;
	if (!vm)
		return;
	ret = xe_ctx_init(fd, &ctx, vm, 0, DRM_XE_ENGINE_CLASS_COMPUTE, 2);
	if (ret) {
		snprintf(res->why, sizeof(res->why), "batch buffer and queue: %s", strerror(-ret));
		goto out_vm;
	}
	ret = xe_buf_create(fd, kind, SZ_64K, &buf);
	if (ret) {
		snprintf(res->why, sizeof(res->why), "%s buffer: %s", xe_buf_kind_name(kind),
			 strerror(-ret));
		goto out_ctx;
	}
	ret = xe_buf_bind(fd, vm, &buf, DATA_ADDR, 0);
	if (ret) {
		snprintf(res->why, sizeof(res->why), "bind: %s", strerror(-ret));
		goto out_buf;
	}
	store_batch(&ctx, 0, DATA_ADDR + 0x30, 0xb75d);
	ret = xe_ctx_run(&ctx);
	if (ret)
		snprintf(res->why, sizeof(res->why), "job: %s", strerror(-ret));
	else if (xe_rd32(buf.ptr, 0x30) != 0xb75d)
		ret = -EIO;
	if (ret == -EIO)
		snprintf(res->why, sizeof(res->why), "the job wrote %#x", xe_rd32(buf.ptr, 0x30));
out_buf:
	xe_buf_destroy(fd, &buf);
out_ctx:
	xe_ctx_fini(&ctx);
out_vm:
	xe_vm_destroy(fd, vm);
	res->new_ret = ret;
}

/*
 * The bystander: opens the device and sets up a context before the hog
 * comes, reports 'R', then at each 'G' tries the context and new objects
 * and reports 'D'.
 */
static int bystander_child(enum xe_buf_kind kind, struct exhaust *sh, int go, int done)
{
	struct xe_buf data;
	struct xe_ctx pre;
	int fd, phase;

	fd = drm_open_driver_xe();
	CHILD_TRUE(fd >= 0);
	CHILD_EQ(0, xe_ctx_init(fd, &pre, 0, 0, DRM_XE_ENGINE_CLASS_COMPUTE, 1));
	CHILD_EQ(0, xe_buf_create(fd, XE_BUF_SYSMEM, SZ_4K, &data));
	CHILD_EQ(0, xe_buf_bind(fd, pre.vm, &data, DATA_ADDR, 0));
	write_byte(done, 'R');
	for (phase = 0; phase < 2; phase++) {
		if (read_byte(go, 300000) != 'G')
			break;
		xe_wr32(data.ptr, 0x20, 0);
		bystander_try(fd, kind, &pre, &sh->by[phase]);
		if (!sh->by[phase].pre_ret && xe_rd32(data.ptr, 0x20) != 0xb5)
			sh->by[phase].pre_ret = -EIO;
		write_byte(done, 'D');
	}
	xe_buf_destroy(fd, &data);
	xe_ctx_fini(&pre);
	close(fd);
	return 0;
}

/* Polls until the region holds at most bytes, for up to timeout_ms. */
static long long wait_region_used(int fd, uint16_t mem_class, long long bytes, long timeout_ms)
{
	int64_t deadline = xe_now_ns() + timeout_ms * NSEC_PER_MSEC;
	long long used;

	for (;;) {
		used = xe_region_used(fd, mem_class);
		if (used <= bytes || xe_now_ns() > deadline)
			return used;
		usleep(10000);
	}
}

static void check_bystander(struct __test_metadata *_metadata, enum hog_kind kind,
			    const struct bystander_result *by, bool hog_holds)
{
	const char *when = hog_holds ? "while the hog holds everything" : "after the hog exited";

	EXPECT_EQ(0, by->pre_ret) {
		TH_LOG("%s, a job on the bystander's queue: %d", when, by->pre_ret);
	}
	EXPECT_EQ(0, by->vm_ret) {
		TH_LOG("%s, a VM for the bystander: %d", when, by->vm_ret);
	}
	EXPECT_EQ(0, by->new_ret) {
		TH_LOG("%s, the bystander's new job: %d (%s)", when, by->new_ret, by->why);
	}
}

/* An object larger than its region can ever hold is refused at once. */
static void expect_too_big(struct __test_metadata *_metadata, int fd, enum hog_kind kind)
{
	uint32_t handle = 0;
	int ret;

	if (kind == HOG_VRAM)
		ret = __xe_bo_create(fd, 0, xe_vram_size(fd) + SZ_64K,
				     xe_region_mask(fd, DRM_XE_MEM_REGION_CLASS_VRAM), 0,
				     DRM_XE_GEM_CPU_CACHING_WC, &handle);
	else
		ret = __xe_bo_create(fd, 0, 1ull << 46,
				     xe_region_mask(fd, DRM_XE_MEM_REGION_CLASS_SYSMEM), 0,
				     DRM_XE_GEM_CPU_CACHING_WB, &handle);
	EXPECT_EQ(-ENOSPC, ret);
	if (!ret)
		gem_close(fd, handle);
}

/*
 * A hog process creates objects of one kind until that fails (or up to a
 * bound) and holds them. Meanwhile a bystander, there before the hog, runs
 * a job on its queue and one in a new VM, queue and buffer. Once the hog
 * exits, all it had is freed: memory use is back where it was, another hog
 * gets as many objects again (VMs: up to HOG_VMS_AGAIN), and the bystander
 * works as before.
 */
static void exhaust(struct __test_metadata *_metadata, FIXTURE_DATA(xe_lifecycle) *self,
		    enum hog_kind kind, unsigned int cap, int64_t budget_ns)
{
	enum xe_buf_kind buf_kind = kind == HOG_VRAM ? XE_BUF_VRAM : XE_BUF_SYSMEM;
	long long vram0, sys0, used;
	int go[2], done[2], release, status;
	struct exhaust *sh;
	pid_t by, hog;
	long ms;

	sh = shared_alloc(sizeof(*sh));
	ASSERT_NE(NULL, sh);
	ASSERT_EQ(0, pipe2(go, O_CLOEXEC));
	ASSERT_EQ(0, pipe2(done, O_CLOEXEC));
	by = fork();
	ASSERT_LE(0, by);
	if (!by) {
		close(go[1]);
		close(done[0]);
		_exit(bystander_child(buf_kind, sh, go[0], done[1]));
	}
	close(go[0]);
	close(done[1]);
	ASSERT_EQ('R', read_byte(done[0], 30000));
	vram0 = xe_region_used(self->fd, DRM_XE_MEM_REGION_CLASS_VRAM);
	sys0 = xe_region_used(self->fd, DRM_XE_MEM_REGION_CLASS_SYSMEM);

	hog = start_hog(_metadata, kind, cap, budget_ns, &sh->hog[0], &release);
	ASSERT_LT(0, hog);
	switch (kind) {
	case HOG_VRAM:
		/* VRAM-only objects beyond VRAM's size push older ones out. */
		EXPECT_TRUE(sh->hog[0].err == 0 || sh->hog[0].err == ENOSPC ||
			    sh->hog[0].err == ENOMEM);
		EXPECT_LE(16u, sh->hog[0].count);
		break;
	case HOG_SYSMEM:
	case HOG_SYNCOBJS:
		EXPECT_EQ(0, sh->hog[0].err);
		EXPECT_EQ(cap, sh->hog[0].count);
		break;
	case HOG_VMS:
		EXPECT_TRUE(sh->hog[0].err == 0 || sh->hog[0].err == ENOSPC ||
			    sh->hog[0].err == ENOMEM);
		EXPECT_LE(100u, sh->hog[0].count);
		break;
	case HOG_QUEUES:
		/* The file's share of queue ids is taken; the device has more. */
		EXPECT_EQ(ENOSPC, sh->hog[0].err);
		EXPECT_EQ(QUEUES_PER_FILE, sh->hog[0].count);
		break;
	}
	if (vram0 >= 0) {
		TH_LOG("VRAM used: %lld MiB before, %lld MiB now; system memory: %lld, %lld MiB",
		       vram0 >> 20, xe_region_used(self->fd, DRM_XE_MEM_REGION_CLASS_VRAM) >> 20,
		       sys0 >> 20, xe_region_used(self->fd, DRM_XE_MEM_REGION_CLASS_SYSMEM) >> 20);
	}

	if (kind == HOG_VRAM || kind == HOG_SYSMEM)
		expect_too_big(_metadata, self->fd, kind);

	write_byte(go[1], 'G');
	ASSERT_EQ('D', read_byte(done[0], 60000));
	check_bystander(_metadata, kind, &sh->by[0], true);

	close(release);
	ms = reap(_metadata, hog, 60000, &status);
	expect_child_ok(_metadata, ms, status, "the hog");
	TH_LOG("the hog took %ld ms to exit", ms);

	if (vram0 >= 0) {
		used = wait_region_used(self->fd, DRM_XE_MEM_REGION_CLASS_VRAM, vram0, 5000);
		EXPECT_GE(vram0, used) {
			TH_LOG("VRAM used: %lld bytes before the hog, %lld after", vram0, used);
		}
		used = wait_region_used(self->fd, DRM_XE_MEM_REGION_CLASS_SYSMEM, sys0, 5000);
		EXPECT_GE(sys0, used) {
			TH_LOG("system memory used: %lld bytes before the hog, %lld after",
			       sys0, used);
		}
	}

	/* Everything came back: another hog gets as much, without a time limit. */
	cap = sh->hog[0].count;
	if (kind == HOG_VMS && cap > HOG_VMS_AGAIN)
		cap = HOG_VMS_AGAIN;
	hog = start_hog(_metadata, kind, cap, 0, &sh->hog[1], &release);
	ASSERT_LT(0, hog);
	EXPECT_EQ(cap, sh->hog[1].count) {
		TH_LOG("after the first hog exited, the second got %u %s: %s", sh->hog[1].count,
		       hog_names[kind], strerror(sh->hog[1].err));
	}
	close(release);
	ms = reap(_metadata, hog, 60000, &status);
	expect_child_ok(_metadata, ms, status, "the second hog");

	write_byte(go[1], 'G');
	ASSERT_EQ('D', read_byte(done[0], 60000));
	check_bystander(_metadata, kind, &sh->by[1], false);
	close(go[1]);
	ms = reap(_metadata, by, 30000, &status);
	expect_child_ok(_metadata, ms, status, "the bystander");
	close(done[0]);
	munmap(sh, sizeof(*sh));
}

TEST_F_TIMEOUT(xe_lifecycle, exhaust_vram, 120)
{
	/* One and a half times VRAM, in objects of a sixteenth of it. */
	exhaust(_metadata, self, HOG_VRAM, 24, 0);
}

TEST_F_TIMEOUT(xe_lifecycle, exhaust_sysmem, 120)
{
	exhaust(_metadata, self, HOG_SYSMEM, HOG_SYSMEM_CAP, 0);
}

TEST_F_TIMEOUT(xe_lifecycle, exhaust_vms, 120)
{
	exhaust(_metadata, self, HOG_VMS, HOG_VMS_CAP, HOG_VMS_BUDGET_NS);
}

TEST_F_TIMEOUT(xe_lifecycle, exhaust_queues, 300)
{
	exhaust(_metadata, self, HOG_QUEUES, HOG_QUEUES_CAP, 0);
}

TEST_F_TIMEOUT(xe_lifecycle, exhaust_syncobjs, 120)
{
	exhaust(_metadata, self, HOG_SYNCOBJS, HOG_SYNCOBJS_CAP, 0);
}

/* --- unloading the module ------------------------------------------------------------ */

/*
 * Runs a command with its output collected in out; returns its exit
 * status, or -1 if it could not be run or did not end in time.
 */
static int run_cmd(struct __test_metadata *_metadata, char *out, size_t len,
		   char *const argv[])
{
	int p[2], status;
	size_t got = 0;
	ssize_t n;
	long ms;
	pid_t pid;

	out[0] = '\0';
	if (pipe2(p, O_CLOEXEC))
		return -1;
	pid = fork();
	if (!pid) {
		dup2(p[1], 1);
		dup2(p[1], 2);
		execvp(argv[0], argv);
		_exit(127);
	}
	close(p[1]);
	while (pid > 0 && got < len - 1 && (n = read(p[0], out + got, len - 1 - got)) > 0)
		got += n;
	out[got] = '\0';
	while (got && out[got - 1] == '\n')
		out[--got] = '\0';
	close(p[0]);
	if (pid < 0)
		return -1;
	ms = reap(_metadata, pid, 60000, &status);
	if (ms < 0 || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

static int modprobe(struct __test_metadata *_metadata, bool remove, const char *num_devices,
		    const char *vram_size_mb)
{
	char devices[48], vram[48], out[512];
	char *argv[5] = { "modprobe", "xe", devices, vram, NULL };
	int ret;

	if (remove) {
		argv[1] = "-r";
		argv[2] = "xe";
		argv[3] = NULL;
	} else {
		snprintf(devices, sizeof(devices), "num_devices=%s", num_devices);
		snprintf(vram, sizeof(vram), "vram_size_mb=%s", vram_size_mb);
	}
	ret = run_cmd(_metadata, out, sizeof(out), argv);
	TH_LOG("modprobe %s: status %d%s%s", remove ? "-r xe" : "xe", ret, out[0] ? ": " : "",
	       out);
	return ret;
}

static void ensure_xe_loaded(struct __test_metadata *_metadata)
{
	if (!access(XE_MODULE, F_OK) || !saved.num_devices[0])
		return;
	TH_LOG("xe is not loaded: loading it again");
	modprobe(_metadata, false, saved.num_devices, saved.vram_size_mb);
}

/* Logs the processes that have a DRM device node open. */
static void log_dri_users(struct __test_metadata *_metadata)
{
	char path[600], target[64];
	struct dirent *p, *f;
	DIR *procs, *fds;
	ssize_t n;

	procs = opendir("/proc");
	while (procs && (p = readdir(procs))) {
		if (p->d_name[0] < '1' || p->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/fd", p->d_name);
		fds = opendir(path);
		while (fds && (f = readdir(fds))) {
			snprintf(path, sizeof(path), "/proc/%s/fd/%s", p->d_name, f->d_name);
			n = readlink(path, target, sizeof(target) - 1);
			if (n <= 0)
				continue;
			target[n] = '\0';
			if (!strncmp(target, "/dev/dri/", 9))
				TH_LOG("process %s has %s open", p->d_name, target);
		}
		if (fds)
			closedir(fds);
	}
	if (procs)
		closedir(procs);
}

static bool dir_empty(const char *path)
{
	struct dirent *e;
	bool empty = true;
	DIR *d = opendir(path);

	while (d && (e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			empty = false;
	if (d)
		closedir(d);
	return empty;
}

/*
 * modprobe -r xe with a file open, and objects and mappings in it, fails
 * (the module is in use) and changes nothing; once the file is closed it
 * succeeds, and xe loads again with the same parameters and works.
 */
TEST_F_TIMEOUT(xe_lifecycle, rmmod_busy, 120)
{
	char num_devices[16], vram_size_mb[16];
	long long refcnt = -1;
	struct xe_buf data;
	struct xe_ctx ctx;
	int64_t deadline;
	int fd, ret;

	if (geteuid())
		SKIP(return, "unloading modules needs root");
	if (access(XE_MODULE "/refcnt", R_OK))
		SKIP(return, "xe is not a module");
	if (!dir_empty(XE_MODULE "/holders"))
		SKIP(return, "other modules use xe");
	ASSERT_EQ(0, read_line(XE_PARAMS "/num_devices", num_devices, sizeof(num_devices)));
	ASSERT_EQ(0, read_line(XE_PARAMS "/vram_size_mb", vram_size_mb, sizeof(vram_size_mb)));
	close(self->fd);
	self->fd = -1;

	fd = drm_open_driver_xe();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, xe_ctx_init(fd, &ctx, 0, 0, DRM_XE_ENGINE_CLASS_COMPUTE, 0));
	ASSERT_EQ(0, xe_buf_create(fd, XE_BUF_VRAM, SZ_64K, &data));
	ASSERT_EQ(0, xe_buf_bind(fd, ctx.vm, &data, DATA_ADDR, 0));
	store_batch(&ctx, 0, DATA_ADDR, 1);
	ASSERT_EQ(0, xe_ctx_run(&ctx));

	ASSERT_EQ(0, read_ll(XE_MODULE "/refcnt", &refcnt));
	EXPECT_LT(0, refcnt);
	EXPECT_NE(0, modprobe(_metadata, true, NULL, NULL));
	ASSERT_EQ(0, access(XE_MODULE, F_OK)) {
		TH_LOG("xe was unloaded with a file open");
	}
	errno = 0;
	ret = syscall(SYS_delete_module, "xe", O_NONBLOCK);
	EXPECT_EQ(-1, ret);
	EXPECT_TRUE(errno == EWOULDBLOCK || errno == EBUSY) {
		TH_LOG("delete_module: %s", strerror(errno));
	}
	ASSERT_EQ(0, access(XE_MODULE, F_OK));

	/* Nothing changed for the file. */
	store_batch(&ctx, 0, DATA_ADDR + 4, 2);
	EXPECT_EQ(0, xe_ctx_run(&ctx));
	EXPECT_EQ(1u, xe_rd32(data.ptr, 0));
	EXPECT_EQ(2u, xe_rd32(data.ptr, 4));
	xe_buf_destroy(fd, &data);
	xe_ctx_fini(&ctx);
	close(fd);

	deadline = xe_now_ns() + 5 * NSEC_PER_SEC;
	while (!read_ll(XE_MODULE "/refcnt", &refcnt) && refcnt && xe_now_ns() < deadline)
		usleep(10000);
	EXPECT_EQ(0, refcnt) {
		log_dri_users(_metadata);
	}
	ASSERT_EQ(0, modprobe(_metadata, true, NULL, NULL));
	EXPECT_NE(0, access(XE_MODULE, F_OK));

	ASSERT_EQ(0, modprobe(_metadata, false, num_devices, vram_size_mb));
	deadline = xe_now_ns() + 5 * NSEC_PER_SEC;
	while ((fd = drm_open_driver_xe()) < 0 && xe_now_ns() < deadline)
		usleep(10000);
	ASSERT_LE(0, fd);
	EXPECT_EQ(atoi(num_devices), xe_count_devices());
	EXPECT_EQ(0, run_store(fd, 0, 0x600d));
	EXPECT_EQ(0, run_store(fd, FAULT_VM, 0x600e));
	close(fd);
	/* The parameters and knobs are back at their defaults: put back ours. */
	knobs_restore();
}

/* --- the job timeout --------------------------------------------------------------- */

enum timeout_stage {
	TS_OPEN,
	TS_CREATE,
	TS_EXEC,
	TS_WAIT,
	TS_BAN,
	TS_DESTROY,
	TS_DONE,
};

static const char *const timeout_stages[] = {
	[TS_OPEN] = "opening the device",
	[TS_CREATE] = "creating the VM and queue",
	[TS_EXEC] = "submitting the job",
	[TS_WAIT] = "waiting for the job to time out",
	[TS_BAN] = "checking the ban",
	[TS_DESTROY] = "destroying the queue",
	[TS_DONE] = "done",
};

struct timeout_report {
	int stage;
	int exec_ret, wait_ret, fence_status, banned, exec_after_ret, destroy_ret;
	int64_t wait_ns, destroy_ns, destroy_start;
};

static void set_stage(struct timeout_report *r, int stage)
{
	__atomic_store_n(&r->stage, stage, __ATOMIC_SEQ_CST);
}

/* A job that never ends: the batch is where nothing is bound but scratch. */
static int timeout_child(struct timeout_report *r)
{
	struct drm_xe_sync sync;
	uint32_t vm, queue, syncobj;
	int64_t start;
	int fd;

	set_stage(r, TS_OPEN);
	fd = drm_open_driver_xe();
	CHILD_TRUE(fd >= 0);
	set_stage(r, TS_CREATE);
	vm = xe_vm_create(fd, DRM_XE_VM_CREATE_FLAG_SCRATCH_PAGE);
	CHILD_TRUE(vm);
	queue = xe_exec_queue_create(fd, vm, DRM_XE_ENGINE_CLASS_COMPUTE, 0);
	CHILD_TRUE(queue);
	syncobj = syncobj_create(fd, 0);
	CHILD_TRUE(syncobj);

	set_stage(r, TS_EXEC);
	sync = xe_sync_syncobj(syncobj, true);
	start = xe_now_ns();
	r->exec_ret = xe_exec(fd, queue, NOWHERE_ADDR, &sync, 1);
	set_stage(r, TS_WAIT);
	r->wait_ret = syncobj_wait(fd, &syncobj, 1, 20 * NSEC_PER_SEC, 0);
	r->wait_ns = xe_now_ns() - start;
	r->fence_status = syncobj_fence_status(fd, syncobj);

	set_stage(r, TS_BAN);
	r->banned = xe_wait_banned(fd, queue, 5 * NSEC_PER_SEC);
	r->exec_after_ret = xe_exec(fd, queue, NOWHERE_ADDR, NULL, 0);

	r->destroy_start = xe_now_ns();
	set_stage(r, TS_DESTROY);
	r->destroy_ret = xe_exec_queue_destroy(fd, queue);
	r->destroy_ns = xe_now_ns() - r->destroy_start;

	syncobj_destroy(fd, syncobj);
	xe_vm_destroy(fd, vm);
	close(fd);
	set_stage(r, TS_DONE);
	return 0;
}

/*
 * With job_timeout_ms at 500, a job that runs forever (NOOPs read from the
 * scratch page) times out: its fence signals -ETIME, the queue is banned
 * and refuses more work, and EXEC_QUEUE_DESTROY then returns within
 * seconds. All of it runs in a child, so that a destroy blocking in the
 * kernel fails the test (with the task's stack logged) instead of hanging.
 */
TEST_F_TIMEOUT(xe_lifecycle, job_timeout, 120)
{
	struct timeout_report *r;
	int64_t deadline, start;
	int status, stage;
	long long value;
	bool ended = false;
	char buf[64];
	pid_t pid;

	if (read_ll(JOB_TIMEOUT, &value) || access(JOB_TIMEOUT, W_OK))
		SKIP(return, "job_timeout_ms cannot be set (root is needed)");
	r = shared_alloc(sizeof(*r));
	ASSERT_NE(NULL, r);
	r->stage = -1;
	ASSERT_EQ(0, write_ll(JOB_TIMEOUT, 500));

	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid)
		_exit(timeout_child(r));

	/* The timeout is read when a queue is created: put it back once it is. */
	start = xe_now_ns();
	deadline = start + 60 * NSEC_PER_SEC;
	for (;;) {
		stage = __atomic_load_n(&r->stage, __ATOMIC_SEQ_CST);
		if (stage >= TS_EXEC && !access(JOB_TIMEOUT, W_OK))
			write_ll(JOB_TIMEOUT, value);
		if (waitpid(pid, &status, WNOHANG) == pid) {
			ended = true;
			break;
		}
		/* The destroy gets 8 s; the rest of the child bounds its own waits. */
		if (stage == TS_DESTROY &&
		    xe_now_ns() - r->destroy_start > 8 * NSEC_PER_SEC)
			break;
		if (xe_now_ns() > deadline)
			break;
		usleep(5000);
	}
	knobs_restore();
	stage = __atomic_load_n(&r->stage, __ATOMIC_SEQ_CST);
	if (!ended) {
		TH_LOG("the process is still %s after %lld ms", timeout_stages[stage],
		       (long long)(xe_now_ns() - (stage == TS_DESTROY ? r->destroy_start : start)) /
		       NSEC_PER_MSEC);
		EXPECT_LE(0, reap(_metadata, pid, 0, &status));
	} else {
		EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) {
			TH_LOG("the process %s while %s", status_str(status, buf, sizeof(buf)),
			       timeout_stages[stage]);
		}
	}

	/* What the stages that were passed found. */
	if (stage > TS_EXEC) {
		EXPECT_EQ(0, r->exec_ret);
	}
	if (stage > TS_WAIT) {
		TH_LOG("the job ended after %lld ms, fence status %d",
		       (long long)r->wait_ns / NSEC_PER_MSEC, r->fence_status);
		EXPECT_EQ(0, r->wait_ret);
		/* What the driver documents for a job that timed out. */
		EXPECT_EQ(-ETIME, r->fence_status);
		EXPECT_GT(10 * NSEC_PER_SEC, r->wait_ns);
	}
	if (stage > TS_BAN) {
		EXPECT_EQ(1, r->banned);
		EXPECT_EQ(-ECANCELED, r->exec_after_ret);
	}
	ASSERT_EQ(TS_DONE, stage) {
		TH_LOG("the process did not get past %s", timeout_stages[stage]);
	}
	TH_LOG("EXEC_QUEUE_DESTROY took %lld ms", (long long)r->destroy_ns / NSEC_PER_MSEC);
	EXPECT_EQ(0, r->destroy_ret);
	EXPECT_GT(5 * NSEC_PER_SEC, r->destroy_ns);
	munmap(r, sizeof(*r));

	expect_new_process_works(_metadata);
}

/* --- DRM core ioctls through our file ---------------------------------------------- */

/*
 * Syncobj ioctls with handle counts no allocation could serve fail with
 * ENOMEM and no kernel warning (the core would size its arrays by them);
 * sane counts keep working.
 */
TEST_F(xe_lifecycle, syncobj_huge_counts)
{
	static const uint32_t counts[] = { 1u << 20, 0x7fffffff, 0xffffffff };
	uint32_t handle = syncobj_create(self->fd, DRM_SYNCOBJ_CREATE_SIGNALED);
	uint64_t point = 0;
	unsigned int i;

	ASSERT_NE(0u, handle);
	for (i = 0; i < sizeof(counts) / sizeof(counts[0]); i++) {
		struct drm_syncobj_wait wait = {
			.handles = to_user_pointer(&handle),
			.count_handles = counts[i],
		};
		struct drm_syncobj_timeline_wait twait = {
			.handles = to_user_pointer(&handle),
			.points = to_user_pointer(&point),
			.count_handles = counts[i],
		};
		struct drm_syncobj_array array = {
			.handles = to_user_pointer(&handle),
			.count_handles = counts[i],
		};
		struct drm_syncobj_timeline_array tarray = {
			.handles = to_user_pointer(&handle),
			.points = to_user_pointer(&point),
			.count_handles = counts[i],
		};

		EXPECT_EQ(-ENOMEM, __xe_ioctl(self->fd, DRM_IOCTL_SYNCOBJ_WAIT, &wait));
		EXPECT_EQ(-ENOMEM, __xe_ioctl(self->fd, DRM_IOCTL_SYNCOBJ_TIMELINE_WAIT, &twait));
		EXPECT_EQ(-ENOMEM, __xe_ioctl(self->fd, DRM_IOCTL_SYNCOBJ_RESET, &array));
		EXPECT_EQ(-ENOMEM, __xe_ioctl(self->fd, DRM_IOCTL_SYNCOBJ_SIGNAL, &array));
		EXPECT_EQ(-ENOMEM, __xe_ioctl(self->fd, DRM_IOCTL_SYNCOBJ_TIMELINE_SIGNAL,
					      &tarray));
		EXPECT_EQ(-ENOMEM, __xe_ioctl(self->fd, DRM_IOCTL_SYNCOBJ_QUERY, &tarray));
	}

	/* One handle: the calls reach the core and work. */
	{
		struct drm_syncobj_array array = {
			.handles = to_user_pointer(&handle),
			.count_handles = 1,
		};
		struct drm_syncobj_wait wait = {
			.handles = to_user_pointer(&handle),
			.count_handles = 1,
		};

		EXPECT_EQ(0, __xe_ioctl(self->fd, DRM_IOCTL_SYNCOBJ_RESET, &array));
		EXPECT_EQ(0, __xe_ioctl(self->fd, DRM_IOCTL_SYNCOBJ_SIGNAL, &array));
		EXPECT_EQ(0, __xe_ioctl(self->fd, DRM_IOCTL_SYNCOBJ_WAIT, &wait));
	}
}

TEST_HARNESS_MAIN
