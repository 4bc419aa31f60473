// SPDX-License-Identifier: GPL-2.0-only
/*
 * Concurrent submission: threads, each with its own exec queue spread over
 * every engine, submit jobs at the same time that increment one shared
 * counter with MI_ATOMIC and store into slots of their own. The threads
 * share one VM, or have a VM each mapping the same memory, or a file each;
 * in one variant they also bind and unbind in the shared VM between jobs,
 * in another the VM is in fault mode.
 *
 * At the end the counter must hold the exact number of increments and
 * every slot the value its job stored.
 *
 * The harness's EXPECT_*() and ASSERT_*() macros expand to two statements,
 * so they are always braced when they form the body of an if, else or for.
 * They are only used by the main thread.
 */

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "xe_ioctl.h"

/*
 * The harness keeps the pid of fork() in a non-volatile local of the
 * function calling setjmp(), into which test bodies get inlined; GCC then
 * warns about it. Only the path after a failed ASSERT_*() is affected.
 */
#pragma GCC diagnostic ignored "-Wclobbered"

#define NUM_THREADS	8
#define NUM_EXECS	32
#define INCS_PER_EXEC	4

/* The shared memory: the counter, then one slot per job. */
#define SHARED_ADDR	0x00200000ull
#define SHARED_SIZE	SZ_64K
#define COUNTER_OFFSET	0
#define SLOT_OFFSET(thread, exec) (SZ_4K + ((thread) * NUM_EXECS + (exec)) * 4)

/* Private objects of the rebind variant, one page per thread. */
#define PRIVATE_ADDR(thread) (0x00400000ull + (thread) * SZ_64K)

#define BATCH_STRIDE	128

enum mode {
	SHARED_VM,		/* one VM, the memory is an object */
	SHARED_VM_USERPTR,	/* one VM, the memory is user memory */
	SHARED_VM_REBIND,	/* one VM, threads also bind between their jobs */
	PRIVATE_VM,		/* a VM per thread, all mapping the same object */
	PRIVATE_FD,		/* a file and VM per thread, mapping the same user memory */
	FAULT_MODE,		/* one fault-mode VM, user fences only */
};

struct shared {
	int fd;
	enum mode mode;
	uint32_t vm_flags;
	uint32_t vm;		/* the shared VM, if any */
	struct xe_buf mem;	/* counter and slots */
	struct drm_xe_engine_class_instance engines[16];
	unsigned int num_engines;
	pthread_barrier_t barrier;
};

struct thread {
	pthread_t thread;
	struct shared *s;
	unsigned int id;
	int err;		/* first failure, as -errno or -1 */
	char what[128];		/* and what failed */
};

/*
 * Records the first failure of a thread: ret is 0 when all is well, else
 * -errno or another non-zero value. Returns whether ret is a failure.
 */
static bool __attribute__((format(printf, 4, 5)))
failed(struct thread *t, int ret, int line, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!ret)
		return false;
	if (!t->err) {
		t->err = ret < 0 ? ret : -1;
		n = snprintf(t->what, sizeof(t->what), "line %d (%d): ", line, ret);
		va_start(ap, fmt);
		vsnprintf(t->what + n, sizeof(t->what) - n, fmt, ap);
		va_end(ap);
	}
	return true;
}

#define FAILED(t, expr, ...) failed(t, expr, __LINE__, __VA_ARGS__)

/* The batch of job j: the increments and the slot's store. */
static void write_batch(struct xe_ctx *ctx, unsigned int id, unsigned int j)
{
	uint32_t *cs = xe_ctx_cs(ctx, j * BATCH_STRIDE);
	unsigned int i;

	for (i = 0; i < INCS_PER_EXEC; i++)
		cs = xe_emit_atomic(cs, ATOMIC_INC, SHARED_ADDR + COUNTER_OFFSET);
	cs = xe_emit_store_dword(cs, SHARED_ADDR + SLOT_OFFSET(id, j), id << 16 | j);
	xe_emit_bb_end(cs);
}

/* Submits every job, only the last one with an out-sync, and waits for it. */
static int run_jobs(struct thread *t, int fd, struct xe_ctx *ctx)
{
	uint64_t *fences = xe_ctx_fence(ctx);
	struct drm_xe_sync sync, *syncs;
	uint32_t syncobj = 0;
	unsigned int j;
	int ret;

	if (!ctx->lr) {
		syncobj = syncobj_create(fd, 0);
		if (FAILED(t, syncobj ? 0 : -errno, "syncobj_create"))
			return t->err;
	}

	for (j = 0; j < NUM_EXECS; j++) {
		syncs = NULL;
		if (ctx->lr) {
			/* Each job its own user fence, to see they come in order. */
			sync = xe_sync_ufence(ctx->batch.addr + XE_CTX_FENCE_OFFSET + 8 * j,
					      j + 1);
			syncs = &sync;
		} else if (j == NUM_EXECS - 1) {
			sync = xe_sync_syncobj(syncobj, true);
			syncs = &sync;
		}
		write_batch(ctx, t->id, j);
		ret = xe_exec(fd, ctx->queue, ctx->batch.addr + j * BATCH_STRIDE, syncs, !!syncs);
		if (FAILED(t, ret, "exec %u", j))
			goto out;
	}

	if (ctx->lr) {
		ret = xe_wait_ufence(fd, &fences[NUM_EXECS - 1], NUM_EXECS, ctx->queue,
				     3 * XE_TIMEOUT_NS);
		if (FAILED(t, ret, "wait for the last user fence"))
			goto out;
		for (j = 0; j < NUM_EXECS; j++) {
			if (FAILED(t, fences[j] != j + 1, "user fence %u reads %llu", j,
				   (unsigned long long)fences[j]))
				goto out;
		}
	} else {
		ret = syncobj_wait(fd, &syncobj, 1, 3 * XE_TIMEOUT_NS, 0);
		if (FAILED(t, ret, "syncobj wait"))
			goto out;
		ret = syncobj_fence_status(fd, syncobj);
		if (FAILED(t, ret != 1, "fence status %d", ret))
			goto out;
	}
out:
	if (syncobj)
		syncobj_destroy(fd, syncobj);
	return t->err;
}

/*
 * One job at a time, each with the thread's own object bound just before
 * and unbound right after, while the other threads do the same in the VM.
 */
static int run_jobs_rebind(struct thread *t, int fd, struct xe_ctx *ctx)
{
	const uint64_t addr = PRIVATE_ADDR(t->id);
	struct xe_buf priv;
	unsigned int j;
	uint32_t *cs;
	int ret;

	ret = xe_buf_create(fd, XE_BUF_SYSMEM, SZ_4K, &priv);
	if (FAILED(t, ret, "private object"))
		return t->err;

	for (j = 0; j < NUM_EXECS; j++) {
		write_batch(ctx, t->id, j);
		/* A store into the private object, in place of the batch end. */
		cs = xe_ctx_cs(ctx, j * BATCH_STRIDE) + INCS_PER_EXEC * 3 + 4;
		cs = xe_emit_store_dword(cs, addr + j * 4, ~(t->id << 16 | j));
		xe_emit_bb_end(cs);

		ret = xe_vm_bind_bo(fd, ctx->vm, priv.handle, 0, addr, SZ_4K, 0);
		if (FAILED(t, ret, "bind %u", j))
			break;
		ret = xe_ctx_run_at(ctx, j * BATCH_STRIDE, 3 * XE_TIMEOUT_NS);
		if (FAILED(t, ret, "job %u", j))
			break;
		ret = xe_vm_unbind(fd, ctx->vm, addr, SZ_4K);
		if (FAILED(t, ret, "unbind %u", j))
			break;
		if (FAILED(t, xe_rd32(priv.ptr, 4 * j) != ~(t->id << 16 | j),
			   "private store %u", j))
			break;
	}

	xe_buf_destroy(fd, &priv);
	return t->err;
}

/* Binds the shared memory in a VM of the thread's own. */
static int bind_shared(struct thread *t, int fd, uint32_t vm)
{
	struct shared *s = t->s;
	int ret;

	if (s->mode == PRIVATE_FD)
		ret = xe_vm_bind_userptr(fd, vm, s->mem.ptr, SHARED_ADDR, s->mem.size, 0);
	else
		ret = xe_vm_bind_bo(fd, vm, s->mem.handle, 0, SHARED_ADDR, s->mem.size, 0);
	FAILED(t, ret, "binding the shared memory");
	return ret;
}

static void *thread_main(void *arg)
{
	struct thread *t = arg;
	struct shared *s = t->s;
	const struct drm_xe_engine_class_instance *eci = &s->engines[t->id % s->num_engines];
	struct xe_ctx ctx = { 0 };
	uint32_t vm = s->vm;
	bool own_vm = false;
	int fd = s->fd;
	int ret;

	if (s->mode == PRIVATE_FD) {
		fd = drm_open_driver_xe();
		if (FAILED(t, fd < 0 ? -errno : 0, "open"))
			goto start;
	}
	if (!vm) {
		vm = xe_vm_create(fd, s->vm_flags);
		if (FAILED(t, vm ? 0 : -errno, "vm create"))
			goto start;
		own_vm = true;
		if (bind_shared(t, fd, vm))
			goto start;
	}
	ret = xe_ctx_init(fd, &ctx, vm, s->vm_flags, eci->engine_class, eci->engine_instance);
	FAILED(t, ret, "context on %s%u", xe_engine_class_name(eci->engine_class),
	       eci->engine_instance);

start:
	/* Every thread gets here, set up or not, or the others would wait for ever. */
	pthread_barrier_wait(&s->barrier);
	if (t->err)
		goto out;
	if (s->mode == SHARED_VM_REBIND)
		run_jobs_rebind(t, fd, &ctx);
	else
		run_jobs(t, fd, &ctx);
	FAILED(t, xe_exec_queue_banned(fd, ctx.queue), "queue banned");
	xe_ctx_fini(&ctx);
out:
	if (own_vm)
		xe_vm_destroy(fd, vm);
	if (fd >= 0 && fd != s->fd)
		close(fd);
	return NULL;
}

FIXTURE(xe_exec_threads) {
	int fd;
	struct shared s;
};

FIXTURE_SETUP(xe_exec_threads)
{
	struct drm_xe_query_engines *engines;
	uint32_t i;

	self->fd = drm_open_driver_xe();
	if (self->fd < 0 && !xe_devices_expected())
		SKIP(return, "no xe device found");
	ASSERT_GE(self->fd, 0) {
		TH_LOG("xe is loaded but no device could be opened: %s", strerror(errno));
	}

	memset(&self->s, 0, sizeof(self->s));
	self->s.fd = self->fd;
	engines = xe_get_engines(self->fd);
	ASSERT_NE(NULL, engines);
	ASSERT_LT(0u, engines->num_engines);
	for (i = 0; i < engines->num_engines && i < ARRAY_SIZE(self->s.engines); i++)
		self->s.engines[i] = engines->engines[i].instance;
	self->s.num_engines = i;
	free(engines);
}

FIXTURE_TEARDOWN(xe_exec_threads)
{
	close(self->fd);
}

static void run_threads(struct __test_metadata *_metadata, FIXTURE_DATA(xe_exec_threads) *self,
			enum mode mode)
{
	struct shared *s = &self->s;
	struct thread threads[NUM_THREADS];
	unsigned int i, j, expected, failed = 0;

	s->mode = mode;
	s->vm_flags = mode == FAULT_MODE ? DRM_XE_VM_CREATE_FLAG_LR_MODE |
					   DRM_XE_VM_CREATE_FLAG_FAULT_MODE : 0;
	ASSERT_EQ(0, xe_buf_create(self->fd, mode == SHARED_VM_USERPTR || mode == PRIVATE_FD ?
				   XE_BUF_USERPTR : XE_BUF_SYSMEM, SHARED_SIZE, &s->mem));
	if (mode != PRIVATE_VM && mode != PRIVATE_FD) {
		s->vm = xe_vm_create(self->fd, s->vm_flags);
		ASSERT_NE(0u, s->vm);
		ASSERT_EQ(0, xe_buf_bind(self->fd, s->vm, &s->mem, SHARED_ADDR, 0));
	}
	ASSERT_EQ(0, pthread_barrier_init(&s->barrier, NULL, NUM_THREADS));

	memset(threads, 0, sizeof(threads));
	for (i = 0; i < NUM_THREADS; i++) {
		threads[i].s = s;
		threads[i].id = i;
		ASSERT_EQ(0, pthread_create(&threads[i].thread, NULL, thread_main, &threads[i]));
	}
	for (i = 0; i < NUM_THREADS; i++) {
		pthread_join(threads[i].thread, NULL);
		EXPECT_EQ(0, threads[i].err) {
			TH_LOG("thread %u: %s", i, threads[i].what);
		}
		failed += threads[i].err != 0;
	}

	/* The totals only add up when every thread got through. */
	expected = NUM_THREADS * NUM_EXECS * INCS_PER_EXEC;
	if (!failed) {
		EXPECT_EQ(expected, xe_rd32(s->mem.ptr, COUNTER_OFFSET));
	}
	for (i = 0; i < NUM_THREADS; i++) {
		for (j = 0; j < NUM_EXECS && !threads[i].err; j++) {
			uint32_t v = xe_rd32(s->mem.ptr, SLOT_OFFSET(i, j));

			EXPECT_EQ(i << 16 | j, v) {
				TH_LOG("thread %u job %u", i, j);
			}
		}
	}

	pthread_barrier_destroy(&s->barrier);
	if (s->vm) {
		EXPECT_EQ(0, xe_vm_destroy(self->fd, s->vm));
	}
	xe_buf_destroy(self->fd, &s->mem);
}

TEST_F_TIMEOUT(xe_exec_threads, shared_vm, 300)
{
	run_threads(_metadata, self, SHARED_VM);
}

TEST_F_TIMEOUT(xe_exec_threads, shared_vm_userptr, 300)
{
	run_threads(_metadata, self, SHARED_VM_USERPTR);
}

TEST_F_TIMEOUT(xe_exec_threads, shared_vm_rebind, 300)
{
	run_threads(_metadata, self, SHARED_VM_REBIND);
}

TEST_F_TIMEOUT(xe_exec_threads, private_vm, 300)
{
	run_threads(_metadata, self, PRIVATE_VM);
}

TEST_F_TIMEOUT(xe_exec_threads, private_fd, 300)
{
	run_threads(_metadata, self, PRIVATE_FD);
}

TEST_F_TIMEOUT(xe_exec_threads, fault_mode, 300)
{
	run_threads(_metadata, self, FAULT_MODE);
}

TEST_HARNESS_MAIN
