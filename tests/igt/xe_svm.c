// SPDX-License-Identifier: GPL-2.0-only
/*
 * Shared virtual memory: a fault-mode VM (LR_MODE | FAULT_MODE) whose GPU
 * addresses [0, 1 << va_bits) mirror the process's CPU address space
 * (VM_BIND MAP with DRM_XE_VM_BIND_FLAG_CPU_ADDR_MIRROR). The GPU then works
 * on plain CPU memory at its CPU addresses, with nothing bound or pinned:
 * batches and user fences live in malloc'd memory, and every access the GPU
 * makes is resolved by a fault.
 *
 * The tests cover:
 *  - the bind's arguments, the config flag, read-only mirrors, mirrors of
 *    part of the address space, BO mappings inside a mirror, and UNMAP of
 *    mirrored parts the GPU still uses (-EBUSY);
 *  - every kind of CPU memory: malloc (small, large and unaligned),
 *    private and shared anonymous mappings, files mapped shared and
 *    private, MAP_FIXED, the stack, .data and .bss, mlock'd memory;
 *  - the CPU changing memory the GPU uses: free and malloc again, munmap
 *    (whole and partial), mremap, mprotect, MADV_DONTNEED and fork;
 *  - threads and processes using the GPU at once;
 *  - huge mostly untouched mappings, which cost only what the GPU touches;
 *  - the notifier-sequence retry protocol, with collisions injected by the
 *    debug kernel (svm_inject_collisions; those tests skip without it) or
 *    caused by a CPU thread, and its time bound;
 *  - a fault storm of many queues on one page, answered by one resolution;
 *  - accesses with no usable CPU memory behind them, which fail quietly:
 *    the queue is banned, the VM keeps working.
 *
 * Every value the GPU writes is read back by the CPU, and what the GPU was
 * not asked to write is checked unchanged. The fault handler's counters
 * (gt0/stats in the device's debugfs directory) are printed where they tell
 * what happened, and checked where the design fixes them.
 *
 * The harness's EXPECT_*() and ASSERT_*() macros expand to two statements,
 * so they are always braced when they form the body of an if, else or for.
 */

#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <pthread.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "xe_ioctl.h"

/*
 * The harness keeps the pid of fork() in a non-volatile local of the
 * function calling setjmp(), into which test bodies get inlined; GCC then
 * warns about it. Only the path after a failed ASSERT_*() is affected.
 */
#pragma GCC diagnostic ignored "-Wclobbered"

#define VM_FLAGS	(DRM_XE_VM_CREATE_FLAG_LR_MODE | DRM_XE_VM_CREATE_FLAG_FAULT_MODE)

/* What the GPU writes to a user fence when a job is done. */
#define FENCE_DONE	0xd0d0f00dull

/* Generous: a fault on 2 MiB of mirrored memory takes a while in a debug guest. */
#define WAIT_NS		(60 * 1000000000LL)
#define MS		1000000LL

#define PAGE		SZ_4K

/* The batch of a fixture: 16 KiB of commands, and its user fence, malloc'd. */
#define BATCH_DWORDS	4096

#define KNOB_INJECT	"svm_inject_collisions"
#define INJECT_ALWAYS	4294967295ll
/* The fault handler's time bound for retries (XE_SVM_RETRY_MS). */
#define RETRY_MS	2000

struct svm_batch {
	uint64_t fence;
	uint32_t cs[BATCH_DWORDS];
};

FIXTURE(xe_svm) {
	int fd;
	uint32_t vm;		/* fault mode, mirrors [0, mirror_end) */
	uint64_t mirror_end;
	uint32_t queue;		/* compute engine 0 */
	uint32_t copy;		/* copy engine 0 */
	struct svm_batch *batch;
	bool knob;		/* svm_inject_collisions exists */
};

static uint64_t addr_of(const void *ptr)
{
	return to_user_pointer(ptr);
}

/* A fault-mode VM mirroring [0, end) of the CPU's address space; 0 with errno. */
static uint32_t svm_vm_create(int fd, uint64_t end, uint32_t mirror_flags)
{
	uint32_t vm = xe_vm_create(fd, VM_FLAGS);
	int ret;

	if (!vm)
		return 0;
	ret = xe_vm_bind_mirror(fd, vm, 0, end, mirror_flags);
	if (ret) {
		xe_vm_destroy(fd, vm);
		errno = -ret;
		return 0;
	}
	return vm;
}

FIXTURE_SETUP(xe_svm)
{
	self->fd = drm_open_driver_xe();
	if (self->fd < 0 && !xe_devices_expected())
		SKIP(return, "no xe device found");
	ASSERT_GE(self->fd, 0) {
		TH_LOG("xe is loaded but no device could be opened: %s", strerror(errno));
	}
	if (!(xe_config(self->fd, DRM_XE_QUERY_CONFIG_FLAGS) &
	      DRM_XE_QUERY_CONFIG_FLAG_HAS_CPU_ADDR_MIRROR))
		SKIP(return, "the device cannot mirror CPU memory");

	/* A test killed on a timeout may have left collisions injected. */
	self->knob = !xe_debugfs_write(self->fd, KNOB_INJECT, 0);

	self->mirror_end = 1ull << xe_va_bits(self->fd);
	self->vm = svm_vm_create(self->fd, self->mirror_end, 0);
	ASSERT_NE(0u, self->vm) {
		TH_LOG("mirror VM: %s", strerror(errno));
	}
	self->queue = xe_exec_queue_create(self->fd, self->vm, DRM_XE_ENGINE_CLASS_COMPUTE, 0);
	ASSERT_NE(0u, self->queue);
	self->copy = xe_exec_queue_create(self->fd, self->vm, DRM_XE_ENGINE_CLASS_COPY, 0);
	ASSERT_NE(0u, self->copy);
	self->batch = malloc(sizeof(*self->batch));
	ASSERT_NE(NULL, self->batch);
}

FIXTURE_TEARDOWN(xe_svm)
{
	if (self->knob)
		xe_debugfs_write(self->fd, KNOB_INJECT, 0);
	free(self->batch);
	if (self->copy)
		xe_exec_queue_destroy(self->fd, self->copy);
	if (self->queue)
		xe_exec_queue_destroy(self->fd, self->queue);
	if (self->vm)
		xe_vm_destroy(self->fd, self->vm);
	if (self->fd >= 0)
		close(self->fd);
}

/* --- running jobs ------------------------------------------------------- */

/* Runs the batch at cs on queue; the GPU writes FENCE_DONE to *fence when done. */
static int svm_submit(int fd, uint32_t queue, const uint32_t *cs, uint64_t *fence)
{
	struct drm_xe_sync sync = xe_sync_ufence(addr_of(fence), FENCE_DONE);

	__atomic_store_n(fence, 0, __ATOMIC_SEQ_CST);
	return xe_exec(fd, queue, addr_of(cs), &sync, 1);
}

static int svm_wait(int fd, uint32_t queue, uint64_t *fence, int64_t timeout_ns)
{
	return xe_wait_ufence(fd, fence, FENCE_DONE, queue, timeout_ns);
}

/* 0 once the job completed; the error of EXEC or of the wait (-EIO: banned). */
static int svm_run(int fd, uint32_t queue, const uint32_t *cs, uint64_t *fence)
{
	int ret = svm_submit(fd, queue, cs, fence);

	return ret ?: svm_wait(fd, queue, fence, WAIT_NS);
}

static int run_batch(FIXTURE_DATA(xe_svm) *self, uint32_t queue)
{
	return svm_run(self->fd, queue, self->batch->cs, &self->batch->fence);
}

/* The fixture's batch becomes "store value at ptr". */
static void store_batch(FIXTURE_DATA(xe_svm) *self, const void *ptr, uint32_t value)
{
	uint32_t *cs = self->batch->cs;

	cs = xe_emit_store_dword(cs, addr_of(ptr), value);
	xe_emit_bb_end(cs);
}

static int store_run(FIXTURE_DATA(xe_svm) *self, void *ptr, uint32_t value)
{
	store_batch(self, ptr, value);
	return run_batch(self, self->queue);
}

/*
 * The fixture's batch, run on a new queue of the VM on engine class 0,
 * must fail: the wait reports the ban, the fence stays unwritten, the queue
 * is banned.
 */
static void expect_fail(struct __test_metadata *_metadata, FIXTURE_DATA(xe_svm) *self,
			uint16_t engine_class)
{
	uint32_t queue = xe_exec_queue_create(self->fd, self->vm, engine_class, 0);

	ASSERT_NE(0u, queue);
	EXPECT_EQ(-EIO, run_batch(self, queue));
	EXPECT_EQ(0u, __atomic_load_n(&self->batch->fence, __ATOMIC_SEQ_CST));
	EXPECT_EQ(1, xe_wait_banned(self->fd, queue, XE_TIMEOUT_NS));
	EXPECT_EQ(0, xe_exec_queue_destroy(self->fd, queue));
}

/* --- memory ---------------------------------------------------------------- */

/* size bytes of fresh anonymous memory at an address aligned to align, or NULL. */
static void *map_aligned(size_t size, size_t align)
{
	size_t len = size + align;
	char *p, *a;

	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	a = (char *)(((uintptr_t)p + align - 1) & ~(uintptr_t)(align - 1));
	if (a > p)
		munmap(p, a - p);
	if (a + size < p + len)
		munmap(a + size, p + len - (a + size));
	return a;
}

/*
 * size bytes of fresh anonymous memory between two PROT_NONE pages: a CPU
 * VMA of its own, so that the ranges the GPU faults in stay inside it.
 */
static void *map_isolated(size_t size)
{
	char *p = mmap(NULL, size + 2 * PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	if (mprotect(p + PAGE, size, PROT_READ | PROT_WRITE)) {
		munmap(p, size + 2 * PAGE);
		return NULL;
	}
	return p + PAGE;
}

static void unmap_isolated(void *ptr, size_t size)
{
	munmap((char *)ptr - PAGE, size + 2 * PAGE);
}

static uint32_t rd32(const void *ptr)
{
	return xe_rd32(ptr, 0);
}

/* The first dword where a and b differ, or -1. */
static long first_diff(const void *a, const void *b, size_t size)
{
	const uint8_t *x = a, *y = b;
	size_t i;

	if (!memcmp(a, b, size))
		return -1;
	for (i = 0; i < size; i++)
		if (x[i] != y[i])
			return i & ~3ul;
	return -1;
}

/* Expects size bytes at ptr to be those at want, and tells where they are not. */
static void expect_bytes(struct __test_metadata *_metadata, const void *ptr, const void *want,
			 size_t size, const char *what)
{
	long off = first_diff(ptr, want, size);
	size_t n = 0, i;

	if (off < 0)
		return;
	for (i = off; i + 4 <= size; i += 4)
		n += memcmp((const char *)ptr + i, (const char *)want + i, 4) != 0;
	EXPECT_EQ(-1, off) {
		uint32_t got = 0, exp = 0;

		memcpy(&got, (const char *)ptr + off, off + 4 <= (long)size ? 4 : size - off);
		memcpy(&exp, (const char *)want + off, off + 4 <= (long)size ? 4 : size - off);
		TH_LOG("%s: offset %#lx of %#zx (%p) is %#x, expected %#x; %zu dwords differ",
		       what, off, size, (const char *)ptr + off, got, exp, n);
	}
}

static uint32_t gpu_value(uint32_t tag, unsigned int k)
{
	return (tag << 16 | (k & 0xffff)) ^ 0x80008000u;
}

/*
 * The GPU stores values derived from tag into [ptr, ptr + size): the first
 * and last dwords, and one dword in each page between (in every stride
 * bytes, for large sizes); then it increments three dwords twice, with
 * MI_ATOMIC, which reads what the CPU left there. The CPU then compares
 * every byte with what it expects: its own bytes wherever the GPU wrote
 * nothing.
 *
 * fresh: the memory was never touched and reads zero; the CPU does not
 * touch it before the GPU does, so the GPU's faults bring the pages in.
 * Otherwise the CPU first writes values of its own into the dwords the
 * atomics increment.
 */
static void gpu_write_check_on(struct __test_metadata *_metadata, FIXTURE_DATA(xe_svm) *self,
			       uint32_t queue, void *ptr, size_t size, uint32_t tag, bool fresh)
{
	uint32_t *cs = self->batch->cs, *limit = cs + BATCH_DWORDS - 16;
	uint8_t *mem = ptr, *shadow;
	uint64_t atomics[3], off, stride = PAGE;
	unsigned int k = 0, i;
	uint32_t v;

	ASSERT_EQ(0u, addr_of(ptr) & 3);
	ASSERT_GE(size, 16u);
	while (size / stride > 768)
		stride *= 2;
	atomics[0] = 4;
	atomics[1] = (size / 2) & ~3ul;
	atomics[2] = (size - 8) & ~3ul;

	shadow = calloc(1, size);
	ASSERT_NE(NULL, shadow);
	if (!fresh) {
		for (i = 0; i < 3; i++)
			xe_wr32(mem, atomics[i], 0x1000 * (i + 1) + tag);
		memcpy(shadow, mem, size);
	}

	/* The first dword, one in each stride, the last dword. */
	off = 0;
	while (off + 4 <= size && cs < limit) {
		v = gpu_value(tag, k++);
		cs = xe_emit_store_dword(cs, addr_of(mem + off), v);
		memcpy(shadow + off, &v, 4);
		if (off == ((size - 4) & ~3ul))
			break;
		off = (addr_of(mem + off) + stride) / stride * stride - addr_of(mem);
		if (off + 4 > size)
			off = (size - 4) & ~3ul;
	}
	for (i = 0; i < 3 && cs < limit; i++) {
		cs = xe_emit_atomic(cs, ATOMIC_INC, addr_of(mem + atomics[i]));
		cs = xe_emit_atomic(cs, ATOMIC_INC, addr_of(mem + atomics[i]));
		memcpy(&v, shadow + atomics[i], 4);
		v += 2;
		memcpy(shadow + atomics[i], &v, 4);
	}
	ASSERT_LT(cs, limit);
	xe_emit_bb_end(cs);

	ASSERT_EQ(0, run_batch(self, queue)) {
		TH_LOG("%u stores into %#zx bytes at %p", k, size, ptr);
	}
	expect_bytes(_metadata, mem, shadow, size, "after the GPU's writes");
	free(shadow);
}

static void gpu_write_check(struct __test_metadata *_metadata, FIXTURE_DATA(xe_svm) *self,
			    void *ptr, size_t size, uint32_t tag, bool fresh)
{
	gpu_write_check_on(_metadata, self, self->queue, ptr, size, tag, fresh);
}

/* --- the device's counters ------------------------------------------------- */

/* A counter of gt0/stats, or -1 if it cannot be read. */
static long long stat_get(int fd, const char *name)
{
	long long value;

	return xe_gt_stat(fd, 0, name, &value) ? -1 : value;
}

static bool stats_readable(int fd)
{
	return stat_get(fd, "svm_range_count") >= 0;
}

/* Sum over the range sizes of svm_<size>_<what>. */
static long long stat_sizes(int fd, const char *what)
{
	static const char * const sizes[] = { "4K", "64K", "2M" };
	long long sum = 0, v;
	char name[64];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		snprintf(name, sizeof(name), "svm_%s_%s", sizes[i], what);
		v = stat_get(fd, name);
		if (v < 0)
			return -1;
		sum += v;
	}
	return sum;
}

/* --- the bind ----------------------------------------------------------------- */

TEST_F_TIMEOUT(xe_svm, config_flag, 30)
{
	uint64_t flags = xe_config(self->fd, DRM_XE_QUERY_CONFIG_FLAGS);

	EXPECT_NE(0u, flags & DRM_XE_QUERY_CONFIG_FLAG_HAS_CPU_ADDR_MIRROR);
	EXPECT_EQ(48, xe_va_bits(self->fd));
}

static int bind_op(int fd, uint32_t vm, struct drm_xe_vm_bind_op op)
{
	return xe_vm_bind_ops(fd, vm, 0, &op, 1, NULL, 0);
}

/* The mirror flag's arguments, one wrong field at a time. */
TEST_F_TIMEOUT(xe_svm, mirror_args, 60)
{
	const uint64_t end = self->mirror_end;
	struct drm_xe_vm_bind_op op;
	struct xe_buf bo;
	uint32_t vm;
	char *mem;

	/* Only fault-mode VMs follow the CPU. */
	vm = xe_vm_create(self->fd, 0);
	ASSERT_NE(0u, vm);
	EXPECT_EQ(-EINVAL, xe_vm_bind_mirror(self->fd, vm, 0, end, 0));
	EXPECT_EQ(0, xe_vm_destroy(self->fd, vm));
	vm = xe_vm_create(self->fd, DRM_XE_VM_CREATE_FLAG_LR_MODE);
	ASSERT_NE(0u, vm);
	EXPECT_EQ(-EINVAL, xe_vm_bind_mirror(self->fd, vm, 0, end, 0));
	EXPECT_EQ(0, xe_vm_destroy(self->fd, vm));

	vm = xe_vm_create(self->fd, VM_FLAGS);
	ASSERT_NE(0u, vm);
	ASSERT_EQ(0, xe_buf_create(self->fd, XE_BUF_SYSMEM, SZ_64K, &bo));

	op = xe_bind_op_mirror(0, end, 0);
	op.obj = bo.handle;
	EXPECT_EQ(-EINVAL, bind_op(self->fd, vm, op));
	op = xe_bind_op_mirror(0, end, 0);
	op.cpu_addr_mirror_offset = SZ_4K;
	EXPECT_EQ(-EINVAL, bind_op(self->fd, vm, op));
	op.cpu_addr_mirror_offset = -(int64_t)SZ_4K;
	EXPECT_EQ(-EINVAL, bind_op(self->fd, vm, op));
	op = xe_bind_op_mirror(0, end, DRM_XE_VM_BIND_FLAG_NULL);
	EXPECT_EQ(-EINVAL, bind_op(self->fd, vm, op));

	/* The flag on every other op. */
	op = xe_bind_op_unmap(0, end);
	op.flags |= DRM_XE_VM_BIND_FLAG_CPU_ADDR_MIRROR;
	EXPECT_EQ(-EINVAL, bind_op(self->fd, vm, op));
	mem = map_aligned(SZ_64K, SZ_64K);
	ASSERT_NE(NULL, mem);
	op = xe_bind_op_userptr(mem, addr_of(mem), SZ_64K, DRM_XE_VM_BIND_FLAG_CPU_ADDR_MIRROR);
	EXPECT_EQ(-EINVAL, bind_op(self->fd, vm, op));
	op = xe_bind_op_prefetch(0, end, 0);
	op.flags |= DRM_XE_VM_BIND_FLAG_CPU_ADDR_MIRROR;
	EXPECT_EQ(-EINVAL, bind_op(self->fd, vm, op));

	/* None of that left a mapping behind: the same VM still mirrors once. */
	EXPECT_EQ(0, xe_vm_bind_mirror(self->fd, vm, 0, end, 0));
	EXPECT_EQ(0, xe_vm_destroy(self->fd, vm));

	/* Nor did it disturb the fixture's VM. */
	ASSERT_EQ(0, store_run(self, mem + 0x40, 0x600d));
	EXPECT_EQ(0x600du, rd32(mem + 0x40));

	munmap(mem, SZ_64K);
	xe_buf_destroy(self->fd, &bo);
}

/* Only [base, base + 2 MiB) is mirrored: the GPU reaches nothing outside it. */
TEST_F_TIMEOUT(xe_svm, mirror_window, 60)
{
	char *win = map_aligned(SZ_2M, SZ_2M);
	struct svm_batch *b = (struct svm_batch *)win;
	uint32_t *outside = malloc(64), vm, queue, *cs;

	ASSERT_NE(NULL, win);
	ASSERT_NE(NULL, outside);
	outside[0] = 0x1234;
	vm = svm_vm_create(self->fd, 0, 0);
	EXPECT_EQ(0u, vm);
	vm = xe_vm_create(self->fd, VM_FLAGS);
	ASSERT_NE(0u, vm);
	ASSERT_EQ(0, xe_vm_bind_mirror(self->fd, vm, addr_of(win), SZ_2M, 0));
	queue = xe_exec_queue_create(self->fd, vm, DRM_XE_ENGINE_CLASS_COMPUTE, 0);
	ASSERT_NE(0u, queue);

	cs = xe_emit_store_dword(b->cs, addr_of(win + SZ_1M), 0xa1);
	cs = xe_emit_store_dword(cs, addr_of(win + SZ_2M - 4), 0xa2);
	xe_emit_bb_end(cs);
	ASSERT_EQ(0, svm_run(self->fd, queue, b->cs, &b->fence));
	EXPECT_EQ(0xa1u, rd32(win + SZ_1M));
	EXPECT_EQ(0xa2u, rd32(win + SZ_2M - 4));

	cs = xe_emit_store_dword(b->cs, addr_of(outside), 0xbad);
	xe_emit_bb_end(cs);
	EXPECT_EQ(-EIO, svm_run(self->fd, queue, b->cs, &b->fence));
	EXPECT_EQ(1, xe_wait_banned(self->fd, queue, XE_TIMEOUT_NS));
	EXPECT_EQ(0x1234u, outside[0]);

	xe_exec_queue_destroy(self->fd, queue);
	xe_vm_destroy(self->fd, vm);
	free(outside);
	munmap(win, SZ_2M);
}

/*
 * A read-only mirror: the GPU reads CPU memory (the batch, a copy's
 * source) but may not write it. The fence and the copy's destination are
 * a BO bound where its CPU mapping is, so the CPU sees them at the same
 * address.
 */
TEST_F_TIMEOUT(xe_svm, mirror_readonly, 60)
{
	struct svm_batch *b = malloc(sizeof(*b));
	uint32_t *src = malloc(256), vm, queue, *cs, *dst;
	struct xe_buf bo;
	unsigned int i;

	ASSERT_NE(NULL, b);
	ASSERT_NE(NULL, src);
	for (i = 0; i < 64; i++)
		src[i] = 0x3000 + i * 7;
	vm = svm_vm_create(self->fd, self->mirror_end, DRM_XE_VM_BIND_FLAG_READONLY);
	ASSERT_NE(0u, vm);
	ASSERT_EQ(0, xe_buf_create(self->fd, XE_BUF_SYSMEM, SZ_64K, &bo));
	ASSERT_EQ(0, xe_vm_bind_bo(self->fd, vm, bo.handle, 0, addr_of(bo.ptr), SZ_64K, 0));
	queue = xe_exec_queue_create(self->fd, vm, DRM_XE_ENGINE_CLASS_COPY, 0);
	ASSERT_NE(0u, queue);
	dst = (uint32_t *)((char *)bo.ptr + SZ_4K);

	cs = xe_emit_mem_copy(b->cs, addr_of(dst), addr_of(src), 256);
	cs = xe_emit_store_dword(cs, addr_of(dst + 100), 0x77);
	xe_emit_bb_end(cs);
	ASSERT_EQ(0, svm_run(self->fd, queue, b->cs, (uint64_t *)bo.ptr));
	expect_bytes(_metadata, dst, src, 256, "copied through a read-only mirror");
	EXPECT_EQ(0x77u, dst[100]);

	cs = xe_emit_store_dword(b->cs, addr_of(src + 3), 0xbad);
	xe_emit_bb_end(cs);
	EXPECT_EQ(-EIO, svm_run(self->fd, queue, b->cs, (uint64_t *)bo.ptr));
	EXPECT_EQ(1, xe_wait_banned(self->fd, queue, XE_TIMEOUT_NS));
	EXPECT_EQ(0x3000u + 3 * 7, src[3]);

	xe_exec_queue_destroy(self->fd, queue);
	xe_vm_destroy(self->fd, vm);
	xe_buf_destroy(self->fd, &bo);
	free(src);
	free(b);
}

/*
 * A BO bound inside the mirror replaces that part of it, over live CPU
 * memory: the GPU's writes land in the BO, the CPU memory keeps its bytes.
 * Unbinding the BO leaves a hole; mirroring the hole again makes the GPU
 * reach the CPU memory once more.
 */
TEST_F_TIMEOUT(xe_svm, bo_in_mirror, 60)
{
	char *mem = map_aligned(SZ_64K, SZ_64K), *near = malloc(64);
	uint8_t want[SZ_64K];
	struct xe_buf bo;

	ASSERT_NE(NULL, mem);
	ASSERT_NE(NULL, near);
	memset(mem, 0x11, SZ_64K);
	memset(want, 0x11, SZ_64K);
	ASSERT_EQ(0, xe_buf_create(self->fd, XE_BUF_SYSMEM, SZ_64K, &bo));
	ASSERT_EQ(0, xe_vm_bind_bo(self->fd, self->vm, bo.handle, 0, addr_of(mem), SZ_64K, 0));

	ASSERT_EQ(0, store_run(self, mem + 0x10, 0xb0));
	ASSERT_EQ(0, store_run(self, mem + SZ_64K - 4, 0xb1));
	EXPECT_EQ(0xb0u, xe_rd32(bo.ptr, 0x10));
	EXPECT_EQ(0xb1u, xe_rd32(bo.ptr, SZ_64K - 4));
	expect_bytes(_metadata, mem, want, SZ_64K, "CPU memory under a BO binding");

	/* The mirror around the BO still works. */
	ASSERT_EQ(0, store_run(self, near, 0xc0));
	EXPECT_EQ(0xc0u, rd32(near));

	/* Without the BO, nothing is mapped there. */
	ASSERT_EQ(0, xe_vm_unbind(self->fd, self->vm, addr_of(mem), SZ_64K));
	store_batch(self, mem + 0x20, 0xbad);
	expect_fail(_metadata, self, DRM_XE_ENGINE_CLASS_COMPUTE);
	EXPECT_EQ(0u, xe_rd32(bo.ptr, 0x20));
	expect_bytes(_metadata, mem, want, SZ_64K, "CPU memory in a hole of the mirror");

	/* Mirrored again: the GPU writes the CPU memory. */
	ASSERT_EQ(0, xe_vm_bind_mirror(self->fd, self->vm, addr_of(mem), SZ_64K, 0));
	ASSERT_EQ(0, store_run(self, mem + 0x30, 0xd0));
	memset(want + 0x30, 0, 4);
	want[0x30] = 0xd0;
	expect_bytes(_metadata, mem, want, SZ_64K, "CPU memory mirrored again");
	EXPECT_EQ(0xb0u, xe_rd32(bo.ptr, 0x10));

	munmap(mem, SZ_64K);
	free(near);
	xe_buf_destroy(self->fd, &bo);
}

/*
 * UNMAP of mirrored addresses the GPU still maps fails with -EBUSY and
 * changes nothing; once the CPU unmapped the memory, its ranges are
 * collected and UNMAP succeeds. Untouched parts unmap at once.
 */
TEST_F_TIMEOUT(xe_svm, unmap_busy, 60)
{
	char *mem = map_aligned(SZ_2M, SZ_2M), *idle = map_aligned(SZ_2M, SZ_2M);
	uint64_t addr = addr_of(mem);
	struct xe_buf bo;

	ASSERT_NE(NULL, mem);
	ASSERT_NE(NULL, idle);
	ASSERT_EQ(0, store_run(self, mem + SZ_1M, 0x51));
	EXPECT_EQ(0x51u, rd32(mem + SZ_1M));

	EXPECT_EQ(-EBUSY, xe_vm_unbind(self->fd, self->vm, addr, SZ_2M));
	EXPECT_EQ(-EBUSY, xe_vm_unbind(self->fd, self->vm, addr + SZ_64K, SZ_64K));
	EXPECT_EQ(-EBUSY, xe_vm_unbind(self->fd, self->vm, 0, self->mirror_end));
	/* A BO over it would remove that part of the mirror too. */
	ASSERT_EQ(0, xe_buf_create(self->fd, XE_BUF_SYSMEM, SZ_64K, &bo));
	EXPECT_EQ(-EBUSY, xe_vm_bind_bo(self->fd, self->vm, bo.handle, 0, addr, SZ_64K, 0));
	xe_buf_destroy(self->fd, &bo);
	ASSERT_EQ(0, store_run(self, mem + SZ_1M + 4, 0x52));
	EXPECT_EQ(0x52u, rd32(mem + SZ_1M + 4));

	/* Memory the GPU never touched is not busy. */
	EXPECT_EQ(0, xe_vm_unbind(self->fd, self->vm, addr_of(idle), SZ_2M));
	store_batch(self, idle, 0xbad);
	expect_fail(_metadata, self, DRM_XE_ENGINE_CLASS_COMPUTE);
	EXPECT_EQ(0, xe_vm_bind_mirror(self->fd, self->vm, addr_of(idle), SZ_2M, 0));
	ASSERT_EQ(0, store_run(self, idle + 8, 0x53));
	EXPECT_EQ(0x53u, rd32(idle + 8));

	/* Gone on the CPU: the ranges go with it. */
	ASSERT_EQ(0, munmap(mem, SZ_2M));
	EXPECT_EQ(0, xe_vm_unbind(self->fd, self->vm, addr, SZ_2M));
	EXPECT_EQ(0, xe_vm_bind_mirror(self->fd, self->vm, addr, SZ_2M, 0));
	ASSERT_EQ(mem, mmap(mem, SZ_2M, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0));
	ASSERT_EQ(0, store_run(self, mem + 12, 0x54));
	EXPECT_EQ(0x54u, rd32(mem + 12));
	EXPECT_EQ(0u, rd32(mem + SZ_1M));

	munmap(mem, SZ_2M);
	munmap(idle, SZ_2M);
}

/* --- kinds of CPU memory -------------------------------------------------- */

TEST_F_TIMEOUT(xe_svm, malloc_small, 60)
{
	char *p = malloc(100);

	ASSERT_NE(NULL, p);
	memset(p, 0x5c, 100);
	gpu_write_check(_metadata, self, p, 100, 1, false);
	free(p);
}

/* Over 2 MiB, off every alignment: 2 MiB, 64 KiB and 4 KiB ranges at once. */
TEST_F_TIMEOUT(xe_svm, malloc_large, 60)
{
	const size_t size = SZ_2M + 3 * PAGE + 20;
	char *p = malloc(size);

	ASSERT_NE(NULL, p);
	EXPECT_NE(0u, addr_of(p) & (PAGE - 1));
	gpu_write_check(_metadata, self, p, size, 2, true);
	memset(p + 8, 0x3e, size - 16);
	gpu_write_check(_metadata, self, p, size, 3, false);
	free(p);
}

TEST_F_TIMEOUT(xe_svm, mmap_private, 60)
{
	const size_t size = SZ_1M + PAGE;
	char *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	ASSERT_NE(MAP_FAILED, p);
	gpu_write_check(_metadata, self, p, size, 4, true);
	munmap(p, size);
}

/* An unlinked file in /tmp, filled by the CPU through write(). */
static int tmp_file(size_t size)
{
	char name[] = "/tmp/xe_svm.XXXXXX";
	uint8_t buf[PAGE];
	size_t off, i;
	int fd;

	fd = open("/tmp", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd < 0) {
		fd = mkstemp(name);
		if (fd < 0)
			return -1;
		unlink(name);
	}
	for (off = 0; off < size; off += sizeof(buf)) {
		for (i = 0; i < sizeof(buf); i++)
			buf[i] = (off + i) * 31 >> 3;
		if (pwrite(fd, buf, sizeof(buf), off) != sizeof(buf)) {
			close(fd);
			return -1;
		}
	}
	return fd;
}

/*
 * A file mapped shared: the GPU's writes are the file's, read() sees them.
 * Mapped private: they go to the process's copies, the file keeps its bytes.
 */
static void file_mapping(struct __test_metadata *_metadata, FIXTURE_DATA(xe_svm) *self,
			 int flags)
{
	const size_t size = 64 * PAGE;
	uint8_t *map, *before, *file;
	int fd = tmp_file(size);

	ASSERT_LE(0, fd);
	map = mmap(NULL, size, PROT_READ | PROT_WRITE, flags, fd, 0);
	ASSERT_NE(MAP_FAILED, map);
	before = malloc(size);
	file = malloc(size);
	ASSERT_NE(NULL, before);
	ASSERT_NE(NULL, file);
	memcpy(before, map, size);

	gpu_write_check(_metadata, self, map, size, 5, false);
	ASSERT_EQ((ssize_t)size, pread(fd, file, size, 0));
	if (flags & MAP_SHARED)
		expect_bytes(_metadata, file, map, size, "file after GPU writes (shared)");
	else
		expect_bytes(_metadata, file, before, size, "file after GPU writes (private)");

	/* Again, now that the CPU's page tables hold what the GPU wrote. */
	gpu_write_check(_metadata, self, map, size, 6, false);
	ASSERT_EQ((ssize_t)size, pread(fd, file, size, 0));
	if (flags & MAP_SHARED)
		expect_bytes(_metadata, file, map, size, "file after more GPU writes (shared)");
	else
		expect_bytes(_metadata, file, before, size, "file after more GPU writes (private)");

	free(file);
	free(before);
	munmap(map, size);
	close(fd);
}

TEST_F_TIMEOUT(xe_svm, file_shared, 60)
{
	file_mapping(_metadata, self, MAP_SHARED);
}

TEST_F_TIMEOUT(xe_svm, file_private, 60)
{
	file_mapping(_metadata, self, MAP_PRIVATE);
}

/*
 * Shared anonymous memory: the GPU's writes are seen by another process,
 * and the GPU sees what that process wrote.
 */
TEST_F_TIMEOUT(xe_svm, shared_anon, 60)
{
	const size_t size = 16 * PAGE;
	uint32_t *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	uint32_t *cs;
	int status;
	pid_t pid;

	ASSERT_NE(MAP_FAILED, p);
	gpu_write_check(_metadata, self, p, size, 7, true);

	p[2048] = 41;
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		/* The child checks a GPU value, then bumps a counter. */
		if (p[0] != gpu_value(7, 0))
			_exit(1);
		p[2048]++;
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));

	cs = xe_emit_atomic(self->batch->cs, ATOMIC_INC, addr_of(&p[2048]));
	xe_emit_bb_end(cs);
	ASSERT_EQ(0, run_batch(self, self->queue));
	EXPECT_EQ(43u, p[2048]);
	munmap(p, size);
}

/*
 * MAP_FIXED at an address of our choosing; then MAP_FIXED again over it,
 * which replaces the pages: the GPU must write the new ones.
 */
TEST_F_TIMEOUT(xe_svm, map_fixed, 60)
{
	const size_t size = SZ_2M;
	uint64_t addr = 0x5a5a00000000ull;
	uint8_t *p = MAP_FAILED;
	unsigned int i;

	for (i = 0; i < 16 && p == MAP_FAILED; i++, addr += 16 * SZ_1G)
		p = mmap((void *)(uintptr_t)addr, size, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	ASSERT_NE(MAP_FAILED, p);
	gpu_write_check(_metadata, self, p, size, 8, true);

	ASSERT_EQ(p, mmap(p, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
			  -1, 0));
	gpu_write_check(_metadata, self, p, size, 9, true);
	munmap(p, size);
}

TEST_F_TIMEOUT(xe_svm, stack, 60)
{
	uint32_t buf[4096];

	memset(buf, 0x21, sizeof(buf));
	gpu_write_check(_metadata, self, buf, sizeof(buf), 10, false);
	memset(buf + 1, 0x22, 64);
	gpu_write_check(_metadata, self, buf + 1, 64, 11, false);
}

static uint32_t data_buf[8192] = { 0x12345678, [8191] = 0x9abcdef0 };
static uint32_t bss_buf[8192];

TEST_F_TIMEOUT(xe_svm, static_data, 60)
{
	EXPECT_EQ(0x9abcdef0u, data_buf[8191]);
	gpu_write_check(_metadata, self, data_buf, sizeof(data_buf), 12, false);
}

TEST_F_TIMEOUT(xe_svm, static_bss, 60)
{
	gpu_write_check(_metadata, self, bss_buf, sizeof(bss_buf), 13, true);
}

/* Locked pages are as good as any other. */
TEST_F_TIMEOUT(xe_svm, mlocked, 60)
{
	const size_t size = SZ_1M;
	char *p = map_aligned(size, SZ_64K);

	ASSERT_NE(NULL, p);
	ASSERT_EQ(0, mlock(p, size)) {
		TH_LOG("mlock: %s", strerror(errno));
	}
	gpu_write_check(_metadata, self, p, size, 14, true);
	gpu_write_check(_metadata, self, p, size, 15, false);
	EXPECT_EQ(0, munlock(p, size));
	munmap(p, size);
}

/*
 * The batch itself in malloc'd memory, across a page boundary, run twice
 * with the CPU rewriting it in between: the GPU executes what the CPU wrote
 * last.
 */
TEST_F_TIMEOUT(xe_svm, batch_malloc, 60)
{
	char *mem = malloc(4 * PAGE);
	uint32_t *out = malloc(64 * sizeof(uint32_t)), *batch, *cs;
	uint64_t *fence;
	unsigned int i, round;

	ASSERT_NE(NULL, mem);
	ASSERT_NE(NULL, out);
	memset(out, 0, 64 * sizeof(uint32_t));
	/* 64 stores of 16 bytes from 256 bytes before a page boundary. */
	batch = (uint32_t *)(mem + ((PAGE - addr_of(mem) % PAGE) % PAGE) + PAGE - 256);
	fence = (uint64_t *)(batch + 64 * 4 + 2);
	for (round = 0; round < 2; round++) {
		cs = batch;
		for (i = 0; i < 64; i++)
			cs = xe_emit_store_dword(cs, addr_of(&out[i]), round << 16 | i);
		xe_emit_bb_end(cs);
		ASSERT_EQ(0, svm_run(self->fd, self->queue, batch, fence));
		EXPECT_EQ(FENCE_DONE, *fence);
		for (i = 0; i < 64; i++) {
			EXPECT_EQ(round << 16 | i, out[i]) {
				TH_LOG("round %u store %u", round, i);
			}
		}
	}
	free(out);
	free(mem);
}

/*
 * User fences in malloc'd memory, one per job, and one in a page the CPU
 * never touched, which the GPU's fence write brings in.
 */
TEST_F_TIMEOUT(xe_svm, fence_malloc, 60)
{
	const unsigned int jobs = 16;
	uint64_t *fences = malloc(jobs * sizeof(*fences)), *fresh;
	uint32_t *out = calloc(jobs, sizeof(uint32_t)), *batches, *cs;
	struct drm_xe_sync sync;
	unsigned int i;

	ASSERT_NE(NULL, fences);
	ASSERT_NE(NULL, out);
	batches = malloc(jobs * 8 * sizeof(uint32_t));
	ASSERT_NE(NULL, batches);
	fresh = map_isolated(PAGE);
	ASSERT_NE(NULL, fresh);

	for (i = 0; i < jobs; i++) {
		fences[i] = 0;
		cs = xe_emit_store_dword(batches + 8 * i, addr_of(&out[i]), 0xfe00 + i);
		xe_emit_bb_end(cs);
	}
	for (i = 0; i < jobs; i++) {
		sync = xe_sync_ufence(addr_of(&fences[i]), 0x100 + i);
		ASSERT_EQ(0, xe_exec(self->fd, self->queue, addr_of(batches + 8 * i), &sync, 1));
	}
	ASSERT_EQ(0, xe_wait_ufence(self->fd, &fences[jobs - 1], 0x100 + jobs - 1, self->queue,
				    WAIT_NS));
	for (i = 0; i < jobs; i++) {
		EXPECT_EQ(0x100u + i, fences[i]);
		EXPECT_EQ(0xfe00u + i, out[i]);
	}

	sync = xe_sync_ufence(addr_of(fresh + 7), FENCE_DONE);
	ASSERT_EQ(0, xe_exec(self->fd, self->queue, addr_of(batches), &sync, 1));
	ASSERT_EQ(0, xe_wait_ufence(self->fd, fresh + 7, FENCE_DONE, self->queue, WAIT_NS));
	EXPECT_EQ(FENCE_DONE, fresh[7]);
	EXPECT_EQ(0u, fresh[6]);
	EXPECT_EQ(0u, fresh[8]);

	unmap_isolated(fresh, PAGE);
	free(batches);
	free(out);
	free(fences);
}

/* --- the CPU changes memory the GPU uses ---------------------------------- */

/* Polls gt0/stats until svm_range_count is at most max; returns the last value. */
static long long wait_ranges_at_most(int fd, long long max)
{
	int64_t deadline = xe_now_ns() + 10000 * MS;
	long long n;

	for (;;) {
		n = stat_get(fd, "svm_range_count");
		if (n <= max || xe_now_ns() > deadline)
			return n;
		usleep(20000);
	}
}

/*
 * free() returns large blocks to the kernel and malloc() maps new ones,
 * often at the same address: each time the GPU writes the new memory, and
 * the ranges of the freed memory are collected, not accumulated.
 */
TEST_F_TIMEOUT(xe_svm, free_malloc, 120)
{
	const size_t big = SZ_1M + 64, small = 200;
	long long r0, r1, gc0;
	unsigned int i;
	char *p;

	/* Large blocks from mmap() and back to munmap(), every time. */
	ASSERT_EQ(1, mallopt(M_MMAP_THRESHOLD, 128 * 1024));
	xe_emit_bb_end(self->batch->cs);
	ASSERT_EQ(0, run_batch(self, self->queue));
	r0 = stat_get(self->fd, "svm_range_count");
	gc0 = stat_get(self->fd, "svm_gc_count");

	for (i = 0; i < 4; i++) {
		p = malloc(big);
		ASSERT_NE(NULL, p);
		ksft_print_msg("round %u: %zu bytes at %p\n", i, big, p);
		gpu_write_check(_metadata, self, p, big, 20 + i, true);
		free(p);

		p = malloc(small);
		ASSERT_NE(NULL, p);
		memset(p, 0x40 + i, small);
		gpu_write_check(_metadata, self, p, small, 30 + i, false);
		free(p);
	}

	if (r0 < 0)
		SKIP(return, "no gt0/stats: range accounting not checked");
	/* The heap may hold a range or two more than at the start. */
	r1 = wait_ranges_at_most(self->fd, r0 + 2);
	ksft_print_msg("ranges: %lld at the start, %lld at the end; %lld garbage collections\n",
		       r0, r1, stat_get(self->fd, "svm_gc_count") - gc0);
	EXPECT_LE(r1, r0 + 2);
	EXPECT_LT(gc0, stat_get(self->fd, "svm_gc_count"));
}

/*
 * munmap() of memory the GPU used: its ranges go, a GPU access there then
 * fails, and memory mapped again at the address works.
 */
TEST_F_TIMEOUT(xe_svm, munmap, 60)
{
	char *p = map_aligned(SZ_2M, SZ_2M);
	long long r0, r1;

	ASSERT_NE(NULL, p);
	gpu_write_check(_metadata, self, p, SZ_2M, 40, true);
	r0 = stat_get(self->fd, "svm_range_count");
	ASSERT_EQ(0, munmap(p, SZ_2M));
	if (r0 >= 0) {
		r1 = wait_ranges_at_most(self->fd, r0 - 1);
		EXPECT_GT(r0, r1) {
			TH_LOG("%lld ranges before munmap(), %lld after", r0, r1);
		}
	}

	store_batch(self, p + 0x100, 0xbad);
	expect_fail(_metadata, self, DRM_XE_ENGINE_CLASS_COMPUTE);

	ASSERT_EQ(p, mmap(p, SZ_2M, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0));
	gpu_write_check(_metadata, self, p, SZ_2M, 41, true);
	munmap(p, SZ_2M);
}

/*
 * munmap() of half of a 2 MiB block the GPU mapped as one range: the range
 * goes, the other half still works (with a new range), the unmapped half
 * makes the queue that touches it fail, and a new queue works.
 */
TEST_F_TIMEOUT(xe_svm, munmap_partial, 60)
{
	char *p = map_aligned(SZ_2M, SZ_2M);
	long long gp2m;
	uint32_t queue;

	ASSERT_NE(NULL, p);
	gp2m = stat_get(self->fd, "svm_2M_get_pages_count");
	gpu_write_check(_metadata, self, p, SZ_2M, 42, true);
	if (gp2m >= 0)
		EXPECT_LT(gp2m, stat_get(self->fd, "svm_2M_get_pages_count"));

	ASSERT_EQ(0, munmap(p + SZ_1M, SZ_1M));
	gpu_write_check(_metadata, self, p, SZ_1M, 43, false);

	store_batch(self, p + SZ_1M + PAGE, 0xbad);
	expect_fail(_metadata, self, DRM_XE_ENGINE_CLASS_COMPUTE);

	queue = xe_exec_queue_create(self->fd, self->vm, DRM_XE_ENGINE_CLASS_COMPUTE, 0);
	ASSERT_NE(0u, queue);
	gpu_write_check_on(_metadata, self, queue, p, SZ_1M, 44, false);
	EXPECT_EQ(0, xe_exec_queue_banned(self->fd, queue));
	xe_exec_queue_destroy(self->fd, queue);
	munmap(p, SZ_1M);
}

/*
 * mremap() moves memory the GPU wrote: the CPU finds the data at the new
 * address, the GPU reads and writes it there, the old address is gone.
 */
TEST_F_TIMEOUT(xe_svm, mremap_move, 60)
{
	const size_t size = 64 * PAGE;
	char *a = map_aligned(size, SZ_64K), *b = map_aligned(size, SZ_64K);
	uint8_t *want = malloc(size);

	ASSERT_NE(NULL, a);
	ASSERT_NE(NULL, b);
	ASSERT_NE(NULL, want);
	gpu_write_check(_metadata, self, a, size, 50, true);
	memcpy(want, a, size);

	ASSERT_EQ(b, mremap(a, size, size, MREMAP_MAYMOVE | MREMAP_FIXED, b));
	expect_bytes(_metadata, b, want, size, "moved by mremap()");
	gpu_write_check(_metadata, self, b, size, 51, false);

	store_batch(self, a + 0x40, 0xbad);
	expect_fail(_metadata, self, DRM_XE_ENGINE_CLASS_COMPUTE);

	free(want);
	munmap(b, size);
}

/*
 * mprotect(): with PROT_READ the GPU may read (fetch a batch, copy from
 * it) but not write; with PROT_NONE not even read; with write access back
 * it writes again. The CPU's data stays as it was throughout.
 */
TEST_F_TIMEOUT(xe_svm, mprotect, 60)
{
	const size_t size = 4 * PAGE;
	uint8_t *p = map_isolated(size), *dst = malloc(size), *want = malloc(size);
	uint32_t *ro_cs, *cs, queue;
	size_t i;

	ASSERT_NE(NULL, p);
	ASSERT_NE(NULL, dst);
	ASSERT_NE(NULL, want);
	for (i = 0; i < size; i++)
		p[i] = i * 7;
	ASSERT_EQ(0, store_run(self, p + 4, 0x1111));
	/* A batch in the last page, run once the memory is read-only. */
	ro_cs = (uint32_t *)(p + 3 * PAGE);
	cs = xe_emit_store_dword(ro_cs, addr_of(dst + 0x20), 0x5555);
	xe_emit_bb_end(cs);
	memcpy(want, p, size);
	EXPECT_EQ(0x1111u, rd32(p + 4));

	ASSERT_EQ(0, mprotect(p, size, PROT_READ));
	store_batch(self, p + 8, 0xbad);
	expect_fail(_metadata, self, DRM_XE_ENGINE_CLASS_COMPUTE);
	ASSERT_EQ(0, svm_run(self->fd, self->queue, ro_cs, &self->batch->fence));
	EXPECT_EQ(0x5555u, rd32(dst + 0x20));
	cs = xe_emit_mem_copy(self->batch->cs, addr_of(dst), addr_of(p), size);
	xe_emit_bb_end(cs);
	ASSERT_EQ(0, run_batch(self, self->copy));
	expect_bytes(_metadata, dst, want, size, "copied from read-only memory");
	expect_bytes(_metadata, p, want, size, "read-only memory");

	ASSERT_EQ(0, mprotect(p, size, PROT_NONE));
	expect_fail(_metadata, self, DRM_XE_ENGINE_CLASS_COPY);
	queue = xe_exec_queue_create(self->fd, self->vm, DRM_XE_ENGINE_CLASS_COMPUTE, 0);
	ASSERT_NE(0u, queue);
	EXPECT_EQ(-EIO, svm_run(self->fd, queue, ro_cs, &self->batch->fence));
	xe_exec_queue_destroy(self->fd, queue);

	ASSERT_EQ(0, mprotect(p, size, PROT_READ | PROT_WRITE));
	expect_bytes(_metadata, p, want, size, "memory given write access back");
	gpu_write_check(_metadata, self, p, size, 60, false);

	free(want);
	free(dst);
	unmap_isolated(p, size);
}

/*
 * MADV_DONTNEED on part of memory the GPU mapped: a GPU read then finds
 * zeros there, and the GPU's bytes elsewhere; GPU writes work.
 */
TEST_F_TIMEOUT(xe_svm, madv_dontneed, 60)
{
	const size_t size = 16 * PAGE;
	uint8_t *p = map_isolated(size), *dst = malloc(size), *want = malloc(size);
	uint32_t *cs;

	ASSERT_NE(NULL, p);
	ASSERT_NE(NULL, dst);
	ASSERT_NE(NULL, want);
	memset(p, 0x77, size);
	gpu_write_check(_metadata, self, p, size, 70, false);
	memcpy(want, p, size);

	ASSERT_EQ(0, madvise(p + 4 * PAGE, 8 * PAGE, MADV_DONTNEED));
	memset(want + 4 * PAGE, 0, 8 * PAGE);
	memset(dst, 0xee, size);
	cs = xe_emit_mem_copy(self->batch->cs, addr_of(dst), addr_of(p), size);
	xe_emit_bb_end(cs);
	ASSERT_EQ(0, run_batch(self, self->copy));
	expect_bytes(_metadata, dst, want, size, "GPU read after MADV_DONTNEED");

	gpu_write_check(_metadata, self, p, size, 71, false);

	free(want);
	free(dst);
	unmap_isolated(p, size);
}

/*
 * The child of fork_cow(): after the parent's go, checks it sees the
 * memory as it was at fork() (not what the parent's GPU wrote since), then
 * has its own GPU write its own copy. Returns 0, or the step that failed.
 */
static int fork_child(uint32_t *p, int go)
{
	struct svm_batch *b = malloc(sizeof(*b));
	uint32_t vm, queue, *cs;
	int fd, ret = 0;
	char c;

	if (!b || read(go, &c, 1) != 1)
		return 10;
	if (rd32(&p[0]) != 0xc0 || rd32(&p[1]) != 0x61 || rd32(&p[2]) || rd32(&p[3]))
		return 11;

	fd = drm_open_driver_xe();
	if (fd < 0)
		return 12;
	vm = svm_vm_create(fd, 1ull << xe_va_bits(fd), 0);
	if (!vm)
		return 13;
	queue = xe_exec_queue_create(fd, vm, DRM_XE_ENGINE_CLASS_COMPUTE, 0);
	if (!queue)
		return 14;
	cs = xe_emit_store_dword(b->cs, addr_of(&p[3]), 0xc3);
	cs = xe_emit_atomic(cs, ATOMIC_INC, addr_of(&p[1]));
	xe_emit_bb_end(cs);
	if (svm_run(fd, queue, b->cs, &b->fence))
		ret = 15;
	else if (rd32(&p[0]) != 0xc0 || rd32(&p[1]) != 0x62 || rd32(&p[2]) ||
		 rd32(&p[3]) != 0xc3)
		ret = 16;

	xe_exec_queue_destroy(fd, queue);
	xe_vm_destroy(fd, vm);
	close(fd);
	free(b);
	return ret;
}

/*
 * fork(): memory the GPU mapped becomes copy-on-write. The parent's GPU
 * writes its own copy (the child does not see them), the child, with its
 * own device file and VM, writes its own (the parent does not see them).
 */
TEST_F_TIMEOUT(xe_svm, fork_cow, 60)
{
	uint32_t *p = map_isolated(4 * PAGE);
	int go[2], status;
	pid_t pid;

	ASSERT_NE(NULL, p);
	p[0] = 0xc0;
	ASSERT_EQ(0, store_run(self, &p[1], 0x61));
	ASSERT_EQ(0, pipe(go));

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		close(go[1]);
		_exit(fork_child(p, go[0]));
	}
	close(go[0]);

	ASSERT_EQ(0, store_run(self, &p[2], 0x62));
	EXPECT_EQ(0x62u, p[2]);
	ASSERT_EQ(1, write(go[1], "g", 1));
	close(go[1]);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status)) {
		TH_LOG("the child failed at step %d", WEXITSTATUS(status));
	}

	EXPECT_EQ(0xc0u, p[0]);
	EXPECT_EQ(0x61u, p[1]);
	EXPECT_EQ(0x62u, p[2]);
	EXPECT_EQ(0u, p[3]);
	ASSERT_EQ(0, store_run(self, &p[3], 0x63));
	EXPECT_EQ(0x63u, p[3]);
	unmap_isolated(p, 4 * PAGE);
}

/* --- threads and processes ------------------------------------------------------ */

/* The compute and copy engines of GT 0: how many, at most max. */
static unsigned int gt0_engines(int fd, struct drm_xe_engine_class_instance *out,
				unsigned int max)
{
	struct drm_xe_query_engines *q = xe_get_engines(fd);
	unsigned int i, n = 0;

	if (!q)
		return 0;
	for (i = 0; i < q->num_engines && n < max; i++) {
		const struct drm_xe_engine_class_instance *e = &q->engines[i].instance;

		if (e->gt_id == 0 && (e->engine_class == DRM_XE_ENGINE_CLASS_COMPUTE ||
				      e->engine_class == DRM_XE_ENGINE_CLASS_COPY))
			out[n++] = *e;
	}
	free(q);
	return n;
}

struct worker {
	pthread_t thread;
	int fd;
	uint32_t vm;
	struct drm_xe_engine_class_instance eci;
	unsigned int idx;
	unsigned int iters;
	uint32_t *shared;	/* hammer: the page all workers use */
	unsigned int nr_shared;	/* hammer: dwords every worker increments */
	char why[192];		/* empty, or what went wrong */
};

#define worker_fail(w, ...) snprintf((w)->why, sizeof((w)->why), __VA_ARGS__)

static uint32_t worker_queue(struct worker *w)
{
	uint32_t queue = xe_exec_queue_create(w->fd, w->vm, w->eci.engine_class,
					      w->eci.engine_instance);

	if (!queue)
		worker_fail(w, "exec queue on engine %u:%u: %s", w->eci.engine_class,
			    w->eci.engine_instance, strerror(errno));
	return queue;
}

/*
 * A worker of its own: a queue and a malloc'd buffer of its own, which the
 * GPU fills in every iteration (a dword in every 256 bytes) and the CPU
 * checks.
 */
static void *own_buffer_worker(void *arg)
{
	struct worker *w = arg;
	size_t size = SZ_64K + w->idx * PAGE + 4 * w->idx + 100, n = size / 256, i;
	struct svm_batch *b = malloc(sizeof(*b));
	uint32_t *buf = malloc(size), queue, *cs;
	unsigned int it;
	int ret;

	if (!b || !buf) {
		worker_fail(w, "malloc failed");
		goto out;
	}
	queue = worker_queue(w);
	if (!queue)
		goto out;
	for (it = 0; it < w->iters && !w->why[0]; it++) {
		cs = b->cs;
		for (i = 0; i < n; i++)
			cs = xe_emit_store_dword(cs, addr_of(&buf[i * 64]),
						 w->idx << 24 | it << 16 | i);
		xe_emit_bb_end(cs);
		ret = svm_run(w->fd, queue, b->cs, &b->fence);
		if (ret) {
			worker_fail(w, "iteration %u: %s", it, strerror(-ret));
			break;
		}
		for (i = 0; i < n; i++) {
			if (buf[i * 64] != (w->idx << 24 | it << 16 | i)) {
				worker_fail(w, "iteration %u: dword %zu is %#x", it, i * 64,
					    buf[i * 64]);
				break;
			}
		}
	}
	xe_exec_queue_destroy(w->fd, queue);
out:
	free(buf);
	free(b);
	return NULL;
}

/*
 * A worker on the shared page: in each iteration its GPU job increments
 * every shared counter and a mixed counter, and stores into its own slot,
 * while its CPU thread writes another slot of its own and increments the
 * mixed counter too.
 */
static void *shared_worker(void *arg)
{
	struct worker *w = arg;
	struct svm_batch *b = malloc(sizeof(*b));
	uint32_t *gpu_slot = &w->shared[256 + w->idx], *cpu_slot = &w->shared[512 + w->idx];
	uint32_t *mixed = &w->shared[w->nr_shared], queue, *cs;
	unsigned int it, i;
	int ret;

	if (!b) {
		worker_fail(w, "malloc failed");
		return NULL;
	}
	queue = worker_queue(w);
	if (!queue)
		goto out;
	for (it = 0; it < w->iters; it++) {
		cs = b->cs;
		for (i = 0; i < w->nr_shared; i++)
			cs = xe_emit_atomic(cs, ATOMIC_INC, addr_of(&w->shared[i]));
		cs = xe_emit_atomic(cs, ATOMIC_INC, addr_of(mixed));
		cs = xe_emit_store_dword(cs, addr_of(gpu_slot), it + 1);
		xe_emit_bb_end(cs);
		ret = svm_submit(w->fd, queue, b->cs, &b->fence);
		__atomic_store_n(cpu_slot, it + 1, __ATOMIC_SEQ_CST);
		__atomic_fetch_add(mixed, 1, __ATOMIC_SEQ_CST);
		if (!ret)
			ret = svm_wait(w->fd, queue, &b->fence, WAIT_NS);
		if (ret) {
			worker_fail(w, "iteration %u: %s", it, strerror(-ret));
			break;
		}
		if (xe_rd32(gpu_slot, 0) != it + 1 || xe_rd32(cpu_slot, 0) != it + 1) {
			worker_fail(w, "iteration %u: slots hold %#x (GPU) and %#x (CPU)", it,
				    xe_rd32(gpu_slot, 0), xe_rd32(cpu_slot, 0));
			break;
		}
	}
	xe_exec_queue_destroy(w->fd, queue);
out:
	free(b);
	return NULL;
}

static void run_workers(struct __test_metadata *_metadata, FIXTURE_DATA(xe_svm) *self,
			struct worker *w, unsigned int n, void *(*fn)(void *))
{
	struct drm_xe_engine_class_instance eng[16];
	unsigned int ne = gt0_engines(self->fd, eng, ARRAY_SIZE(eng)), i;

	ASSERT_LT(0u, ne);
	for (i = 0; i < n; i++) {
		w[i].fd = self->fd;
		w[i].vm = self->vm;
		w[i].eci = eng[i % ne];
		w[i].idx = i;
		ASSERT_EQ(0, pthread_create(&w[i].thread, NULL, fn, &w[i]));
	}
	for (i = 0; i < n; i++) {
		ASSERT_EQ(0, pthread_join(w[i].thread, NULL));
		EXPECT_STREQ("", w[i].why) {
			TH_LOG("thread %u on engine %u:%u", i, w[i].eci.engine_class,
			       w[i].eci.engine_instance);
		}
	}
}

/* Threads sharing the VM, each with its own queue and buffer. */
TEST_F_TIMEOUT(xe_svm, threads_own_buffers, 120)
{
	struct worker w[8] = {};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(w); i++)
		w[i].iters = 6;
	run_workers(_metadata, self, w, ARRAY_SIZE(w), own_buffer_worker);
}

/* Threads hammering one page with GPU atomics and CPU writes. */
TEST_F_TIMEOUT(xe_svm, threads_shared_buffer, 120)
{
	const unsigned int n = 6, iters = 10, counters = 16;
	uint32_t *page = map_aligned(PAGE, PAGE);
	struct worker w[6] = {};
	unsigned int i;

	ASSERT_NE(NULL, page);
	for (i = 0; i < n; i++) {
		w[i].iters = iters;
		w[i].shared = page;
		w[i].nr_shared = counters;
	}
	run_workers(_metadata, self, w, n, shared_worker);
	for (i = 0; i < counters; i++) {
		EXPECT_EQ(n * iters, page[i]) {
			TH_LOG("counter %u", i);
		}
	}
	EXPECT_EQ(2 * n * iters, page[counters]);
	for (i = 0; i < n; i++) {
		EXPECT_EQ(iters, page[256 + i]);
		EXPECT_EQ(iters, page[512 + i]);
	}
	munmap(page, PAGE);
}

/*
 * A process of its own: device file, VM, queue and malloc'd buffer. Returns
 * 0, or the step that failed.
 */
static int process_child(unsigned int idx, struct drm_xe_engine_class_instance eci, int start)
{
	struct worker w = { .eci = eci, .idx = idx, .iters = 4 };
	char c;

	if (read(start, &c, 1) != 0)
		return 10;
	w.fd = drm_open_driver_xe();
	if (w.fd < 0)
		return 11;
	w.vm = svm_vm_create(w.fd, 1ull << xe_va_bits(w.fd), 0);
	if (!w.vm)
		return 12;
	own_buffer_worker(&w);
	if (w.why[0])
		ksft_print_msg("process %u: %s\n", idx, w.why);
	xe_vm_destroy(w.fd, w.vm);
	close(w.fd);
	return w.why[0] ? 13 : 0;
}

/* Processes at once, each with its own device file and VM. */
TEST_F_TIMEOUT(xe_svm, processes, 120)
{
	struct drm_xe_engine_class_instance eng[16];
	unsigned int ne = gt0_engines(self->fd, eng, ARRAY_SIZE(eng)), i;
	pid_t pids[4];
	int start[2], status;

	ASSERT_LT(0u, ne);
	ASSERT_EQ(0, pipe(start));
	for (i = 0; i < ARRAY_SIZE(pids); i++) {
		pids[i] = fork();
		ASSERT_LE(0, pids[i]);
		if (pids[i] == 0) {
			close(start[1]);
			_exit(process_child(i, eng[i % ne], start[0]));
		}
	}
	/* Closing the pipe starts them all. */
	close(start[0]);
	close(start[1]);
	for (i = 0; i < ARRAY_SIZE(pids); i++) {
		ASSERT_EQ(pids[i], waitpid(pids[i], &status, 0));
		ASSERT_TRUE(WIFEXITED(status));
		EXPECT_EQ(0, WEXITSTATUS(status)) {
			TH_LOG("process %u failed at step %d", i, WEXITSTATUS(status));
		}
	}
}

/* --- overcommit ------------------------------------------------------------------ */

/* The process's resident memory, in bytes, or -1. */
static long long rss_bytes(void)
{
	long long size, resident;
	FILE *f = fopen("/proc/self/statm", "re");
	int n;

	if (!f)
		return -1;
	n = fscanf(f, "%lld %lld", &size, &resident);
	fclose(f);
	return n == 2 ? resident * sysconf(_SC_PAGESIZE) : -1;
}

/*
 * 64 GiB mapped with MAP_NORESERVE, all of it mirrored, a few pages of it
 * touched by the GPU: the ranges, the notifiers and the memory grow by what
 * was touched, not by what is mirrored.
 */
TEST_F_TIMEOUT(xe_svm, overcommit, 120)
{
	const uint64_t size = 64 * SZ_1G;
	const unsigned int n = 8;
	long long r0, r1, n0, n1, rss0, rss1;
	uint64_t off[8];
	unsigned int i;
	uint32_t *cs;
	char *p;

	if (!stats_readable(self->fd))
		SKIP(return, "no gt0/stats in debugfs");
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
		 -1, 0);
	ASSERT_NE(MAP_FAILED, p);

	/* The batch's own range first. */
	xe_emit_bb_end(self->batch->cs);
	ASSERT_EQ(0, run_batch(self, self->queue));
	r0 = stat_get(self->fd, "svm_range_count");
	n0 = stat_get(self->fd, "svm_notifier_count");
	rss0 = rss_bytes();

	cs = self->batch->cs;
	for (i = 0; i < n; i++) {
		off[i] = i * (size / n) + (i * 97 % 512) * PAGE + 0x40 + i * 8 * 4;
		cs = xe_emit_store_dword(cs, addr_of(p + off[i]), 0x0c000000 | i);
	}
	xe_emit_bb_end(cs);
	ASSERT_EQ(0, run_batch(self, self->queue));
	rss1 = rss_bytes();
	r1 = stat_get(self->fd, "svm_range_count");
	n1 = stat_get(self->fd, "svm_notifier_count");

	ksft_print_msg("%u pages touched in %llu GiB mirrored:\n", n,
		       (unsigned long long)(size >> 30));
	ksft_print_msg("  ranges %lld -> %lld, notifiers %lld -> %lld, resident +%lld KiB\n",
		       r0, r1, n0, n1, (rss1 - rss0) >> 10);
	EXPECT_LE((long long)n, r1 - r0);
	EXPECT_GE((long long)n + 2, r1 - r0);
	EXPECT_GE((long long)n + 2, n1 - n0);
	/* A range holds up to 2 MiB, faulted in whole. */
	EXPECT_GE((long long)(n * SZ_2M + 8 * SZ_1M), rss1 - rss0);

	for (i = 0; i < n; i++) {
		EXPECT_EQ(0x0c000000u | i, rd32(p + off[i])) {
			TH_LOG("page %u at offset %#llx", i, (unsigned long long)off[i]);
		}
		EXPECT_EQ(0u, rd32(p + off[i] - 4));
		EXPECT_EQ(0u, rd32(p + off[i] + 4));
	}
	munmap(p, size);
}

/* --- the retry protocol ------------------------------------------------------------ */

/* Collisions injected: the faults retry, three times in all, and succeed. */
TEST_F_TIMEOUT(xe_svm, retry_injected, 60)
{
	const size_t size = 16 * PAGE;
	long long retry0, retries, left = -1;
	void *p;

	if (!self->knob)
		SKIP(return, "no %s (not a debug kernel)", KNOB_INJECT);
	if (!stats_readable(self->fd))
		SKIP(return, "no gt0/stats in debugfs");
	p = map_isolated(size);
	ASSERT_NE(NULL, p);

	retry0 = stat_get(self->fd, "svm_retry_count");
	ASSERT_EQ(0, xe_debugfs_write(self->fd, KNOB_INJECT, 3));
	gpu_write_check(_metadata, self, p, size, 80, true);
	retries = stat_get(self->fd, "svm_retry_count") - retry0;
	EXPECT_EQ(0, xe_debugfs_read(self->fd, KNOB_INJECT, &left));
	EXPECT_EQ(0, xe_debugfs_write(self->fd, KNOB_INJECT, 0));
	ksft_print_msg("3 collisions injected: %lld retries, %lld left\n", retries, left);
	EXPECT_LE(3, retries);
	EXPECT_EQ(0, left);
	unmap_isolated(p, size);
}

#define RACE_PAGES	11	/* pages the racer drops: the first TARGETS are the GPU's */
#define RACE_TARGETS	4

struct racer {
	pthread_t thread;
	uint8_t *pages;
	unsigned int gen[RACE_PAGES];	/* odd while a page is being dropped */
	bool targets;			/* the target pages too, or only the others */
	bool stop;
	unsigned long rounds;
	char why[128];
};

/*
 * Every 2 to 12 ms, drops a random page of the race (MADV_DONTNEED), or of
 * those that are not targets,
 * writes a marker into it and checks it: each drop invalidates the GPU's
 * range and bumps the notifier sequence under the GPU's faults. A page's
 * generation is odd from just before the drop to after the marker.
 *
 * The pace leaves a fault's get-pages (several ms for 64 KiB in a debug
 * guest) a fair chance between two drops. A drop every millisecond or two
 * makes nearly every attempt collide, until the retry time bound fails the
 * fault: by design, and retry_time_bound tests that.
 */
static void *racer_thread(void *arg)
{
	struct racer *r = arg;
	unsigned int seed = 1, i;
	uint8_t *page;
	uint32_t v;

	while (!__atomic_load_n(&r->stop, __ATOMIC_SEQ_CST)) {
		if (__atomic_load_n(&r->targets, __ATOMIC_SEQ_CST))
			i = rand_r(&seed) % RACE_PAGES;
		else
			i = RACE_TARGETS + rand_r(&seed) % (RACE_PAGES - RACE_TARGETS);
		page = r->pages + i * PAGE;
		v = 0x7ace0000 | (r->rounds & 0xffff);
		__atomic_fetch_add(&r->gen[i], 1, __ATOMIC_SEQ_CST);
		if (madvise(page, PAGE, MADV_DONTNEED)) {
			snprintf(r->why, sizeof(r->why), "madvise: %s", strerror(errno));
			break;
		}
		xe_wr32(page, 0x80, v);
		__atomic_fetch_add(&r->gen[i], 1, __ATOMIC_SEQ_CST);
		if (xe_rd32(page, 0x80) != v) {
			snprintf(r->why, sizeof(r->why), "page %u lost the racer's marker", i);
			break;
		}
		__atomic_store_n(&r->rounds, r->rounds + 1, __ATOMIC_SEQ_CST);
		usleep(2000 + rand_r(&seed) % 10000);
	}
	return NULL;
}

/*
 * Checks a target page after job k. If the racer left it alone, exactly:
 * the GPU's store at 0x40, the CPU's marker at 0x100 and its copy by the
 * GPU at 0x200, zeros elsewhere. If the racer dropped it meanwhile, each of
 * these may also have become zero, and the racer's marker may be at 0x80,
 * but nothing else may appear: no value of an earlier job, which only a
 * stale GPU mapping could bring. Returns NULL or what is wrong.
 */
static const char *race_page_check(const uint8_t *page, uint32_t store, uint32_t marker,
				   bool strict, char *why, size_t len)
{
	static const struct {
		unsigned int off;
		bool marker;
	} slots[] = { { 0x40, false }, { 0x100, true }, { 0x200, true } };
	unsigned int off, i;
	uint32_t v, want;

	for (off = 0; off < PAGE; off += 4) {
		v = xe_rd32(page, off);
		want = 0;
		for (i = 0; i < ARRAY_SIZE(slots); i++)
			if (slots[i].off == off)
				want = slots[i].marker ? marker : store;
		if (v == want || (!strict && !v))
			continue;
		if (!strict && off == 0x80 && (v & 0xffff0000) == 0x7ace0000)
			continue;
		snprintf(why, len, "offset %#x is %#x, expected %#x%s", off, v, want,
			 strict ? "" : " or 0 (the racer dropped the page)");
		return why;
	}
	return NULL;
}

/*
 * A CPU thread drops and rewrites pages of the 64 KiB range the GPU works
 * in, the GPU's own pages among them, while the GPU's jobs run. Before each
 * job the test itself drops the target pages and writes a new marker into
 * each; the job, submitted after that madvise() returned, stores into each
 * page and copies its marker. Where the racer did not touch a page during
 * the job, the page must hold exactly that; a stale GPU mapping of the
 * pages dropped before the job would leave zeros where the GPU stored, or
 * copy an earlier marker. Where the racer did, values may be lost, but no
 * stale one may appear. The racer spares the target pages in every other
 * job, so that half of the jobs at least get the exact check.
 */
TEST_F_TIMEOUT(xe_svm, retry_cpu_race, 120)
{
	const unsigned int iters = 16;
	uint8_t *area = map_isolated(2 * SZ_64K), *mem, *t;
	unsigned int k, i, gen[RACE_TARGETS], strict = 0, raced = 0;
	long long retry0, inval0, fail0, gp0, us0;
	struct racer racer = {};
	unsigned long rounds;
	const char *bad;
	struct svm_batch *b;
	char why[128];
	uint32_t *cs;

	ASSERT_NE(NULL, area);
	/* One 64 KiB range: the batch in pages 0-4, the race in pages 5-15. */
	mem = (uint8_t *)((addr_of(area) + SZ_64K - 1) & ~(SZ_64K - 1));
	b = (struct svm_batch *)mem;
	ASSERT_GE(5 * PAGE, sizeof(*b));
	racer.pages = mem + 5 * PAGE;
	retry0 = stat_get(self->fd, "svm_retry_count");
	inval0 = stat_get(self->fd, "svm_invalidate_count");
	fail0 = stat_get(self->fd, "svm_fault_fail_count");
	gp0 = stat_sizes(self->fd, "get_pages_count");
	us0 = stat_sizes(self->fd, "get_pages_us");
	ASSERT_EQ(0, pthread_create(&racer.thread, NULL, racer_thread, &racer));

	for (k = 0; k < iters && !_metadata->exit_code; k++) {
		__atomic_store_n(&racer.targets, k & 1, __ATOMIC_SEQ_CST);
		for (i = 0; i < RACE_TARGETS; i++)
			gen[i] = __atomic_load_n(&racer.gen[i], __ATOMIC_SEQ_CST);
		rounds = __atomic_load_n(&racer.rounds, __ATOMIC_SEQ_CST);
		ASSERT_EQ(0, madvise(racer.pages, RACE_TARGETS * PAGE, MADV_DONTNEED));
		cs = b->cs;
		for (i = 0; i < RACE_TARGETS; i++) {
			t = racer.pages + i * PAGE;
			xe_wr32(t, 0x100, 0xc0de0000 | k << 8 | i);
			cs = xe_emit_store_dword(cs, addr_of(t + 0x40), 0xa0000000 | k << 8 | i);
			cs = xe_emit_mem_copy(cs, addr_of(t + 0x200), addr_of(t + 0x100), 4);
		}
		xe_emit_bb_end(cs);
		ASSERT_EQ(0, svm_run(self->fd, self->copy, b->cs, &b->fence)) {
			TH_LOG("job %u, after %lu CPU drops: %lld retries, %lld failed faults", k,
			       racer.rounds, stat_get(self->fd, "svm_retry_count") - retry0,
			       stat_get(self->fd, "svm_fault_fail_count") - fail0);
		}
		raced += __atomic_load_n(&racer.rounds, __ATOMIC_SEQ_CST) != rounds;
		for (i = 0; i < RACE_TARGETS; i++) {
			uint32_t store = 0xa0000000 | k << 8 | i, marker = 0xc0de0000 | k << 8 | i;

			/* Exact if the racer left the page alone from before the drop to now. */
			bad = race_page_check(racer.pages + i * PAGE, store, marker, true, why,
					      sizeof(why));
			if (!(gen[i] & 1) &&
			    gen[i] == __atomic_load_n(&racer.gen[i], __ATOMIC_SEQ_CST))
				strict++;
			else
				bad = race_page_check(racer.pages + i * PAGE, store, marker, false,
						      why, sizeof(why));
			EXPECT_EQ(NULL, bad) {
				TH_LOG("job %u, target page %u: %s", k, i, bad);
			}
		}
	}

	__atomic_store_n(&racer.stop, true, __ATOMIC_SEQ_CST);
	ASSERT_EQ(0, pthread_join(racer.thread, NULL));
	EXPECT_STREQ("", racer.why);
	ksft_print_msg("%u jobs, %u of them raced by %lu CPU drops in all\n", iters, raced,
		       racer.rounds);
	ksft_print_msg("%u of %u target pages checked exactly\n", strict,
		       iters * RACE_TARGETS);
	ksft_print_msg("%lld get-pages taking %lld ms in all (restarts included)\n",
		       stat_sizes(self->fd, "get_pages_count") - gp0,
		       (stat_sizes(self->fd, "get_pages_us") - us0) / 1000);
	ksft_print_msg("%lld retries, %lld invalidations, %lld failed faults\n",
		       stat_get(self->fd, "svm_retry_count") - retry0,
		       stat_get(self->fd, "svm_invalidate_count") - inval0,
		       stat_get(self->fd, "svm_fault_fail_count") - fail0);
	/* The race happened, and the exact check was not left out. */
	EXPECT_LE(iters / 2, raced);
	EXPECT_LE(iters / 2 * RACE_TARGETS - 2, strict);
	unmap_isolated(area, 2 * SZ_64K);
}

struct neighbor {
	pthread_t thread;
	uint8_t *pages;
	unsigned int nr_pages;
	bool stop;
	unsigned long rounds;
	char why[128];
};

/*
 * Every 1 to 3 ms, makes a random page of its own read-only and writable
 * again: nothing the GPU uses. mprotect() takes mmap_lock for writing, so
 * it runs as soon as a fault's get-pages lets go of it for reading: right
 * before the fault commits.
 */
static void *neighbor_thread(void *arg)
{
	struct neighbor *n = arg;
	unsigned int seed = 2;
	uint8_t *page;

	while (!__atomic_load_n(&n->stop, __ATOMIC_SEQ_CST)) {
		page = n->pages + rand_r(&seed) % n->nr_pages * PAGE;
		if (mprotect(page, PAGE, PROT_READ) ||
		    mprotect(page, PAGE, PROT_READ | PROT_WRITE)) {
			snprintf(n->why, sizeof(n->why), "mprotect: %s", strerror(errno));
			break;
		}
		__atomic_store_n(&n->rounds, n->rounds + 1, __ATOMIC_SEQ_CST);
		usleep(1000 + rand_r(&seed) % 2000);
	}
	return NULL;
}

#define NOTIFIER_SPAN	(512 * SZ_1M)	/* svm_notifier_size's default */

/*
 * A CPU thread changes the protection of pages the GPU never uses while
 * the GPU faults in one 4 KiB range after another, all in one notifier's
 * span: each fault page a VMA of its own in a 2 MiB block of its own, the
 * thread's pages further on. Each change bumps the notifier's sequence
 * under the faults but invalidates none of the GPU's ranges: a fault that
 * collides must find its pages again under the new sequence and succeed,
 * however often that happens.
 */
TEST_F_TIMEOUT(xe_svm, retry_neighbor_race, 120)
{
	const unsigned int jobs = 8, per_job = 8, nr = jobs * per_job;
	const size_t len = 2 * NOTIFIER_SPAN;
	long long retry0, fail0;
	struct neighbor nb = {};
	uint8_t *map, *span;
	unsigned int j, i;
	uint32_t *cs;
	int ret = 0;

	map = mmap(NULL, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	ASSERT_NE(MAP_FAILED, map);
	span = (uint8_t *)((addr_of(map) + NOTIFIER_SPAN - 1) & ~(NOTIFIER_SPAN - 1));
	for (i = 0; i < nr; i++)
		ASSERT_EQ(0, mprotect(span + i * 4 * SZ_1M, PAGE, PROT_READ | PROT_WRITE));
	nb.pages = span + NOTIFIER_SPAN / 2;
	nb.nr_pages = 64;
	ASSERT_EQ(0, mprotect(nb.pages, nb.nr_pages * PAGE, PROT_READ | PROT_WRITE));
	/* Populated: protection changes of mapped pages go through the notifier. */
	memset(nb.pages, 1, nb.nr_pages * PAGE);
	retry0 = stat_get(self->fd, "svm_retry_count");
	fail0 = stat_get(self->fd, "svm_fault_fail_count");
	/* The batch's own range first: only the stores fault under the race. */
	xe_emit_bb_end(self->batch->cs);
	ASSERT_EQ(0, run_batch(self, self->queue));
	ASSERT_EQ(0, pthread_create(&nb.thread, NULL, neighbor_thread, &nb));

	for (j = 0; j < jobs && !ret; j++) {
		cs = self->batch->cs;
		for (i = j * per_job; i < (j + 1) * per_job; i++)
			cs = xe_emit_store_dword(cs, addr_of(span + i * 4 * SZ_1M + 0x10),
						 0xe0 + i);
		xe_emit_bb_end(cs);
		ret = run_batch(self, self->queue);
	}

	__atomic_store_n(&nb.stop, true, __ATOMIC_SEQ_CST);
	ASSERT_EQ(0, pthread_join(nb.thread, NULL));
	EXPECT_STREQ("", nb.why);
	ksft_print_msg("%u jobs against %lu protection changes elsewhere in the notifier\n", j,
		       nb.rounds);
	ksft_print_msg("%lld retries, %lld failed faults\n",
		       stat_get(self->fd, "svm_retry_count") - retry0,
		       stat_get(self->fd, "svm_fault_fail_count") - fail0);
	ASSERT_EQ(0, ret) {
		TH_LOG("job %u", j - 1);
	}
	for (i = 0; i < nr; i++) {
		EXPECT_EQ(0xe0 + i, rd32(span + i * 4 * SZ_1M + 0x10)) {
			TH_LOG("page %u", i);
		}
	}
	munmap(map, len);
}

/* --- kernel log ------------------------------------------------------------------------ */

/* /dev/kmsg, positioned after the last record so far, or -1. */
static int kmsg_open(void)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd >= 0)
		lseek(fd, 0, SEEK_END);
	return fd;
}

/* Expects no kernel record of level warning or worse since kmsg_open(). */
static void kmsg_expect_quiet(struct __test_metadata *_metadata, int fd)
{
	unsigned int pri, n = 0;
	char rec[1024], *text;
	ssize_t len;

	if (fd < 0)
		return;
	for (;;) {
		len = read(fd, rec, sizeof(rec) - 1);
		if (len < 0 && errno == EPIPE)
			continue;
		if (len <= 0)
			break;
		rec[len] = '\0';
		if (sscanf(rec, "%u,", &pri) != 1 || pri >> 3 || (pri & 7) > 4)
			continue;
		text = strchr(rec, ';');
		TH_LOG("kernel: %s", text ? text + 1 : rec);
		n++;
	}
	close(fd);
	EXPECT_EQ(0u, n);
}

/*
 * Collisions on every commit: the fault gives up after the time bound, the
 * queue is banned, the kernel stays quiet, and without collisions the VM
 * works again.
 */
TEST_F_TIMEOUT(xe_svm, retry_time_bound, 90)
{
	const size_t size = 8 * PAGE;
	uint8_t *mem = map_isolated(size);
	struct svm_batch *b = (struct svm_batch *)mem;
	uint32_t *target = (uint32_t *)(mem + size - PAGE), queue, *cs;
	int64_t t0, elapsed;
	int kmsg, ret;

	if (!self->knob)
		SKIP(return, "no %s (not a debug kernel)", KNOB_INJECT);
	ASSERT_NE(NULL, mem);
	cs = xe_emit_store_dword(b->cs, addr_of(target), 0x77);
	xe_emit_bb_end(cs);
	queue = xe_exec_queue_create(self->fd, self->vm, DRM_XE_ENGINE_CLASS_COMPUTE, 0);
	ASSERT_NE(0u, queue);
	kmsg = kmsg_open();

	ASSERT_EQ(0, xe_debugfs_write(self->fd, KNOB_INJECT, INJECT_ALWAYS));
	t0 = xe_now_ns();
	ret = svm_submit(self->fd, queue, b->cs, &b->fence);
	if (!ret)
		ret = svm_wait(self->fd, queue, &b->fence, 30000 * MS);
	elapsed = (xe_now_ns() - t0) / MS;
	ASSERT_EQ(0, xe_debugfs_write(self->fd, KNOB_INJECT, 0));

	ksft_print_msg("every commit colliding: the job failed with %d after %lld ms\n", ret,
		       (long long)elapsed);
	EXPECT_TRUE(ret == -EIO || ret == -ETIME) {
		TH_LOG("the wait returned %d (%s)", ret, strerror(-ret));
	}
	EXPECT_LE(RETRY_MS, elapsed);
	EXPECT_GT(RETRY_MS + 5000, elapsed);
	EXPECT_EQ(1, xe_wait_banned(self->fd, queue, XE_TIMEOUT_NS));
	EXPECT_EQ(0u, *target);
	EXPECT_EQ(0u, b->fence);
	xe_exec_queue_destroy(self->fd, queue);
	kmsg_expect_quiet(_metadata, kmsg);

	ASSERT_EQ(0, svm_run(self->fd, self->queue, b->cs, &b->fence));
	EXPECT_EQ(0x77u, *target);
	unmap_isolated(mem, size);
}

/* --- fault storm ------------------------------------------------------------------------ */

/*
 * 64 queues on every engine store into the same page at once: one fault
 * resolves the page's range, the faults queued meanwhile are answered with
 * it (coalesced), and later ones find it valid. Every store lands.
 */
TEST_F_TIMEOUT(xe_svm, fault_storm, 120)
{
	static const char * const size_stats[] = {
		"svm_4K_get_pages_count", "svm_64K_get_pages_count", "svm_2M_get_pages_count",
	};
	const unsigned int nq = 64;
	struct drm_xe_engine_class_instance eng[16];
	unsigned int ne = gt0_engines(self->fd, eng, ARRAY_SIZE(eng)), i;
	long long pf0, co0, va0, gp0, rt0, pf, co, va, gp, rt, sz0[3], sz[3];
	uint8_t *jobs = map_aligned(SZ_64K, SZ_64K);
	uint32_t *page = map_aligned(SZ_2M, SZ_2M), queues[64], *cs;
	uint64_t *fences = (uint64_t *)(jobs + SZ_64K / 2);

	if (!stats_readable(self->fd))
		SKIP(return, "no gt0/stats in debugfs");
	ASSERT_LT(0u, ne);
	ASSERT_NE(NULL, jobs);
	ASSERT_NE(NULL, page);
	for (i = 0; i < nq; i++) {
		queues[i] = xe_exec_queue_create(self->fd, self->vm, eng[i % ne].engine_class,
						 eng[i % ne].engine_instance);
		ASSERT_NE(0u, queues[i]) {
			TH_LOG("queue %u: %s", i, strerror(errno));
		}
		cs = xe_emit_store_dword((uint32_t *)(jobs + i * 256), addr_of(&page[i]),
					 0x57000000 | i);
		cs = xe_emit_atomic(cs, ATOMIC_INC, addr_of(&page[512]));
		xe_emit_bb_end(cs);
	}
	/* The jobs' memory faulted in beforehand: the storm is on the page alone. */
	ASSERT_EQ(0, store_run(self, jobs + SZ_64K - 4, 1));

	pf0 = stat_get(self->fd, "svm_pagefault_count");
	co0 = stat_get(self->fd, "svm_coalesced_count");
	va0 = stat_sizes(self->fd, "valid_pagefault_count");
	gp0 = stat_sizes(self->fd, "get_pages_count");
	rt0 = stat_get(self->fd, "svm_retry_count");
	for (i = 0; i < 3; i++)
		sz0[i] = stat_get(self->fd, size_stats[i]);
	for (i = 0; i < nq; i++) {
		ASSERT_EQ(0, svm_submit(self->fd, queues[i], (uint32_t *)(jobs + i * 256),
					&fences[i])) {
			TH_LOG("queue %u", i);
		}
	}
	for (i = 0; i < nq; i++) {
		EXPECT_EQ(0, svm_wait(self->fd, queues[i], &fences[i], WAIT_NS)) {
			TH_LOG("queue %u", i);
		}
	}
	pf = stat_get(self->fd, "svm_pagefault_count") - pf0;
	co = stat_get(self->fd, "svm_coalesced_count") - co0;
	va = stat_sizes(self->fd, "valid_pagefault_count") - va0;
	gp = stat_sizes(self->fd, "get_pages_count") - gp0;
	rt = stat_get(self->fd, "svm_retry_count") - rt0;
	for (i = 0; i < 3; i++)
		sz[i] = stat_get(self->fd, size_stats[i]) - sz0[i];
	ksft_print_msg("%u queues on %u engines: %lld faults, %lld coalesced\n", nq, ne, pf, co);
	ksft_print_msg("  %lld found the range valid, %lld retries\n", va, rt);
	ksft_print_msg("  %lld get-pages: 4K %lld, 64K %lld, 2M %lld\n", gp, sz[0], sz[1], sz[2]);

	for (i = 0; i < nq; i++) {
		EXPECT_EQ(0x57000000u | i, page[i]) {
			TH_LOG("queue %u", i);
		}
		EXPECT_EQ(FENCE_DONE, fences[i]);
	}
	EXPECT_EQ(nq, page[512]);
	for (i = nq; i < SZ_2M / 4; i++) {
		if (i != 512 && page[i]) {
			EXPECT_EQ(0u, page[i]) {
				TH_LOG("dword %u", i);
			}
			break;
		}
	}
	EXPECT_LT(0, co);
	/* One resolution for the page, plus one per retry; a little slack. */
	EXPECT_GE(4 + rt, gp);

	for (i = 0; i < nq; i++)
		xe_exec_queue_destroy(self->fd, queues[i]);
	munmap(page, SZ_2M);
	munmap(jobs, SZ_64K);
}

/* --- what fails ------------------------------------------------------------------------- */

/*
 * GPU accesses with no CPU memory behind them, inside the mirror: a hole
 * the CPU unmapped, the page at 4 KiB (below any mapping), the first page
 * above the user address space; a read as well as writes. Each bans its
 * queue without a word from the kernel; the VM keeps working.
 */
TEST_F_TIMEOUT(xe_svm, fault_unmapped, 60)
{
	char *hole = map_aligned(3 * PAGE, PAGE), *dst = malloc(64), *buf = malloc(PAGE);
	long long fail0 = stat_get(self->fd, "svm_fault_fail_count");
	int kmsg = kmsg_open();
	uint32_t queue, *cs;

	ASSERT_NE(NULL, hole);
	ASSERT_NE(NULL, dst);
	ASSERT_NE(NULL, buf);
	ASSERT_EQ(0, munmap(hole, 3 * PAGE));
	memset(dst, 0x3c, 64);

	store_batch(self, hole + PAGE, 0xbad);
	expect_fail(_metadata, self, DRM_XE_ENGINE_CLASS_COMPUTE);
	store_batch(self, (void *)(uintptr_t)SZ_4K, 0xbad);
	expect_fail(_metadata, self, DRM_XE_ENGINE_CLASS_COMPUTE);
	store_batch(self, (void *)(uintptr_t)((1ull << 47) + SZ_4K), 0xbad);
	expect_fail(_metadata, self, DRM_XE_ENGINE_CLASS_COMPUTE);
	cs = xe_emit_mem_copy(self->batch->cs, addr_of(dst), addr_of(hole + PAGE), 64);
	xe_emit_bb_end(cs);
	expect_fail(_metadata, self, DRM_XE_ENGINE_CLASS_COPY);
	EXPECT_EQ(0x3c3c3c3cu, rd32(dst));
	if (fail0 >= 0)
		EXPECT_LE(fail0 + 4, stat_get(self->fd, "svm_fault_fail_count"));
	kmsg_expect_quiet(_metadata, kmsg);

	/* The fixture's queues never failed; a new queue works too. */
	memset(buf, 0, PAGE);
	gpu_write_check(_metadata, self, buf, PAGE, 90, false);
	queue = xe_exec_queue_create(self->fd, self->vm, DRM_XE_ENGINE_CLASS_COMPUTE, 0);
	ASSERT_NE(0u, queue);
	gpu_write_check_on(_metadata, self, queue, buf, PAGE, 91, false);
	xe_exec_queue_destroy(self->fd, queue);
	free(buf);
	free(dst);
}

TEST_HARNESS_MAIN
