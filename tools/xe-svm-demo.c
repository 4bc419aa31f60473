// SPDX-License-Identifier: GPL-2.0-only
/*
 * xe-svm-demo: a GPU program over plain malloc'd memory, shaped like a SYCL
 * or CUDA program using shared allocations.
 *
 * The program mallocs its arrays, creates a fault-mode VM that mirrors its
 * whole address space (VM_BIND with DRM_XE_VM_BIND_FLAG_CPU_ADDR_MIRROR) and
 * has the GPU work on the arrays at their CPU addresses, with nothing bound
 * or pinned beforehand:
 *
 *   squares  the compute engine stores squares[i] = i * i + 7 into every
 *            element of an array that starts and ends off page boundaries,
 *            one MI_STORE_DATA_IMM per element;
 *   copy     the copy engine copies an 8 MiB array (2 MiB aligned) to an odd
 *            address of another one (MEM_COPY);
 *   fill     the copy engine fills a third array, of odd size, with one byte
 *            value (MEM_SET).
 *
 * The destinations are never touched by the CPU before the GPU writes them,
 * so their pages are allocated by the GPU's faults. Batches and user fences
 * are malloc'd too. The CPU then checks every element, and the guard bytes
 * around each destination, frees the copy's destination and runs one more
 * job, so the ranges of the freed memory are garbage-collected, and prints
 * what the kernel's fault handler did, from the device's statistics in
 * debugfs (gt0/stats, reset at start).
 *
 * Exit status: 0 when every value is right and every GPU job completed,
 * 1 otherwise. The statistics need root and debugfs; without them the
 * program still runs its jobs and checks them.
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include <drm/drm.h>
#include <drm/xe_drm.h>

#define MI_BATCH_BUFFER_END	(0x0a << 23)
#define MI_STORE_DATA_IMM	(0x20 << 23)
#define MEM_COPY		(2u << 29 | 0x5a << 22)
#define MEM_SET			(2u << 29 | 0x5b << 22)

#define KIB			1024ull
#define MIB			(1024 * KIB)
#define COPY_SIZE		(8 * MIB)
#define COPY_DST_OFFSET		4
#define FILL_SIZE		(3 * MIB + 5)
#define FILL_BYTE		0xa5
#define NR_SQUARES		262147
#define GUARD			0xee
#define GUARD32			0xdeadbeefu
#define WAIT_NS			(300ll * 1000000000)
#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))

static int fd;
static char debugfs[64];

static void die(const char *what, int err)
{
	fprintf(stderr, "xe-svm-demo: %s: %s\n", what, strerror(err));
	exit(1);
}

static int xioctl(unsigned long req, void *arg)
{
	int ret;

	do {
		ret = ioctl(fd, req, arg);
	} while (ret == -1 && (errno == EINTR || errno == EAGAIN));
	return ret == -1 ? -errno : 0;
}

static void xioctl_or_die(unsigned long req, void *arg, const char *what)
{
	int ret = xioctl(req, arg);

	if (ret)
		die(what, -ret);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void *xmalloc(size_t size)
{
	void *p = malloc(size);

	if (!p)
		die("malloc", ENOMEM);
	return p;
}

/* --- the device ------------------------------------------------------------ */

/* The debugfs directory of DRM minor @minor, if it belongs to xe. */
static bool find_debugfs(int minor)
{
	char path[96], name[16] = "";
	FILE *f;

	snprintf(debugfs, sizeof(debugfs), "/sys/kernel/debug/dri/%d", minor);
	snprintf(path, sizeof(path), "%s/name", debugfs);
	f = fopen(path, "r");
	if (f) {
		if (!fgets(name, sizeof(name), f))
			name[0] = 0;
		fclose(f);
	}
	if (strncmp(name, "xe", 2)) {
		debugfs[0] = 0;
		return false;
	}
	return true;
}

static void open_device(void)
{
	char path[32], name[8];
	int i;

	for (i = 0; i < 64; i++) {
		struct drm_version v = { .name = name, .name_len = sizeof(name) - 1 };

		snprintf(path, sizeof(path), "/dev/dri/card%d", i);
		fd = open(path, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			continue;
		memset(name, 0, sizeof(name));
		if (!ioctl(fd, DRM_IOCTL_VERSION, &v) && !strcmp(name, "xe")) {
			find_debugfs(i);
			printf("device: %s\n", path);
			return;
		}
		close(fd);
	}
	fprintf(stderr, "xe-svm-demo: no xe device under /dev/dri\n");
	exit(1);
}

static void *query(uint32_t id)
{
	struct drm_xe_device_query q = { .query = id };
	void *data;

	xioctl_or_die(DRM_IOCTL_XE_DEVICE_QUERY, &q, "DEVICE_QUERY");
	data = calloc(1, q.size);
	if (!data)
		die("DEVICE_QUERY", ENOMEM);
	q.data = (uintptr_t)data;
	xioctl_or_die(DRM_IOCTL_XE_DEVICE_QUERY, &q, "DEVICE_QUERY");
	return data;
}

/* The GPU VA width, or exits when the device cannot mirror CPU memory. */
static unsigned int svm_va_bits(void)
{
	struct drm_xe_query_config *c = query(DRM_XE_DEVICE_QUERY_CONFIG);
	unsigned int bits = c->info[DRM_XE_QUERY_CONFIG_VA_BITS];
	bool svm = c->info[DRM_XE_QUERY_CONFIG_FLAGS] &
		   DRM_XE_QUERY_CONFIG_FLAG_HAS_CPU_ADDR_MIRROR;

	free(c);
	if (!svm) {
		fprintf(stderr, "xe-svm-demo: the device cannot mirror CPU memory (no %s)\n",
			"DRM_XE_QUERY_CONFIG_FLAG_HAS_CPU_ADDR_MIRROR");
		exit(1);
	}
	return bits;
}

/* The first engine of GT 0 of class @cls, else of class @alt. */
static struct drm_xe_engine_class_instance find_engine(uint16_t cls, uint16_t alt)
{
	struct drm_xe_query_engines *q = query(DRM_XE_DEVICE_QUERY_ENGINES);
	struct drm_xe_engine_class_instance eci = { .engine_class = 0xffff };
	uint32_t i;

	for (i = 0; i < q->num_engines; i++) {
		const struct drm_xe_engine_class_instance *e = &q->engines[i].instance;

		if (e->gt_id || (e->engine_class != cls && e->engine_class != alt))
			continue;
		if (eci.engine_class != cls)
			eci = *e;
	}
	free(q);
	if (eci.engine_class == 0xffff) {
		fprintf(stderr, "xe-svm-demo: no engine of class %u on GT 0\n", cls);
		exit(1);
	}
	return eci;
}

/* --- GPU jobs -------------------------------------------------------------- */

static uint32_t svm_vm_create(unsigned int va_bits)
{
	struct drm_xe_vm_create c = {
		.flags = DRM_XE_VM_CREATE_FLAG_LR_MODE | DRM_XE_VM_CREATE_FLAG_FAULT_MODE,
	};
	struct drm_xe_vm_bind b = {
		.num_binds = 1,
		.bind = {
			.op = DRM_XE_VM_BIND_OP_MAP,
			.flags = DRM_XE_VM_BIND_FLAG_CPU_ADDR_MIRROR,
			.addr = 0,
			.range = 1ull << va_bits,
		},
	};

	xioctl_or_die(DRM_IOCTL_XE_VM_CREATE, &c, "VM_CREATE (LR and fault mode)");
	b.vm_id = c.vm_id;
	xioctl_or_die(DRM_IOCTL_XE_VM_BIND, &b, "VM_BIND of the CPU address mirror");
	return c.vm_id;
}

static uint32_t queue_create(uint32_t vm, struct drm_xe_engine_class_instance *eci)
{
	struct drm_xe_exec_queue_create c = {
		.width = 1, .num_placements = 1, .vm_id = vm, .instances = (uintptr_t)eci,
	};

	xioctl_or_die(DRM_IOCTL_XE_EXEC_QUEUE_CREATE, &c, "EXEC_QUEUE_CREATE");
	return c.exec_queue_id;
}

/* Runs the batch at CPU address @batch; the GPU writes 1 to @fence when done. */
static void submit(uint32_t q, const uint32_t *batch, uint64_t *fence)
{
	struct drm_xe_sync sync = {
		.type = DRM_XE_SYNC_TYPE_USER_FENCE, .flags = DRM_XE_SYNC_FLAG_SIGNAL,
		.addr = (uintptr_t)fence, .timeline_value = 1,
	};
	struct drm_xe_exec e = {
		.exec_queue_id = q, .address = (uintptr_t)batch, .num_batch_buffer = 1,
		.num_syncs = 1, .syncs = (uintptr_t)&sync,
	};

	*fence = 0;
	xioctl_or_die(DRM_IOCTL_XE_EXEC, &e, "EXEC");
}

static bool wait_fence(uint32_t q, uint64_t *fence, const char *job)
{
	struct drm_xe_wait_user_fence w = {
		.addr = (uintptr_t)fence, .op = DRM_XE_UFENCE_WAIT_OP_EQ, .value = 1,
		.mask = ~0ull, .timeout = WAIT_NS, .exec_queue_id = q,
	};
	int ret = xioctl(DRM_IOCTL_XE_WAIT_USER_FENCE, &w);

	if (ret)
		fprintf(stderr, "xe-svm-demo: %s job: WAIT_USER_FENCE: %s\n", job,
			strerror(-ret));
	return !ret;
}

static uint32_t *emit_store(uint32_t *cs, const void *dst, uint32_t value)
{
	uint64_t addr = (uintptr_t)dst;

	*cs++ = MI_STORE_DATA_IMM | (4 - 2);
	*cs++ = (uint32_t)addr;
	*cs++ = addr >> 32;
	*cs++ = value;
	return cs;
}

static uint32_t *emit_copy(uint32_t *cs, void *dst, const void *src, uint64_t len)
{
	uint64_t s = (uintptr_t)src, d = (uintptr_t)dst;

	*cs++ = MEM_COPY | (10 - 2);
	*cs++ = len - 1;
	*cs++ = 0;	/* height - 1 */
	*cs++ = 0;	/* source pitch - 1 */
	*cs++ = 0;	/* destination pitch - 1 */
	*cs++ = (uint32_t)s;
	*cs++ = s >> 32;
	*cs++ = (uint32_t)d;
	*cs++ = d >> 32;
	*cs++ = 0;	/* MOCS */
	return cs;
}

static uint32_t *emit_set(uint32_t *cs, void *dst, uint8_t value, uint64_t len)
{
	uint64_t d = (uintptr_t)dst;

	*cs++ = MEM_SET | (7 - 2);
	*cs++ = len - 1;
	*cs++ = 0;	/* height - 1 */
	*cs++ = 0;	/* pitch - 1 */
	*cs++ = (uint32_t)d;
	*cs++ = d >> 32;
	*cs++ = (uint32_t)value << 24;
	return cs;
}

/* --- fault handler statistics -------------------------------------------- */

struct stats {
	bool ok;
	unsigned int n;
	struct {
		char name[48];
		unsigned long long value;
	} c[96];
};

static void stats_reset(void)
{
	char path[96];
	FILE *f;

	if (!debugfs[0])
		return;
	snprintf(path, sizeof(path), "%s/gt0/stats", debugfs);
	f = fopen(path, "w");
	if (!f || fputs("0\n", f) == EOF || fclose(f)) {
		fprintf(stderr, "xe-svm-demo: resetting %s: %s\n", path, strerror(errno));
		debugfs[0] = 0;
	}
}

static void stats_read(struct stats *s)
{
	char path[96], line[128];
	FILE *f;

	s->ok = false;
	s->n = 0;
	if (!debugfs[0])
		return;
	snprintf(path, sizeof(path), "%s/gt0/stats", debugfs);
	f = fopen(path, "r");
	if (!f)
		return;
	while (s->n < ARRAY_SIZE(s->c) && fgets(line, sizeof(line), f))
		if (sscanf(line, "%47[^:]: %llu", s->c[s->n].name, &s->c[s->n].value) == 2)
			s->n++;
	fclose(f);
	s->ok = s->n > 0;
}

/* A counter's value, or -1 if the statistics do not have it. */
static long long counter(const struct stats *s, const char *fmt, const char *size)
{
	char name[48];
	unsigned int i;

	snprintf(name, sizeof(name), fmt, size);
	for (i = 0; i < s->n; i++)
		if (!strcmp(s->c[i].name, name))
			return s->c[i].value;
	return -1;
}

static void print_cell(long long v)
{
	if (v < 0)
		printf(" %10s", "-");
	else
		printf(" %10lld", v);
}

static void print_mean(long long us, long long n)
{
	if (us < 0 || n <= 0)
		printf(" %10s", "-");
	else
		printf(" %10.1f", (double)us / n);
}

/* One row of the per-range-size table: @fmt has a %s for the size. */
static void print_row(const struct stats *s, const char *label, const char *fmt)
{
	static const char * const sizes[] = { "4K", "64K", "2M" };
	long long sum = 0;
	unsigned int i;

	printf("  %-26s", label);
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		long long v = counter(s, fmt, sizes[i]);

		print_cell(v);
		sum = v < 0 || sum < 0 ? -1 : sum + v;
	}
	print_cell(sum);
	printf("\n");
}

static void print_mean_row(const struct stats *s, const char *label, const char *us_fmt,
			   const char *n_fmt)
{
	static const char * const sizes[] = { "4K", "64K", "2M" };
	long long us_sum = 0, n_sum = 0;
	unsigned int i;

	printf("  %-26s", label);
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		long long us = counter(s, us_fmt, sizes[i]), n = counter(s, n_fmt, sizes[i]);

		print_mean(us, n);
		us_sum = us < 0 || us_sum < 0 ? -1 : us_sum + us;
		n_sum = n < 0 || n_sum < 0 ? -1 : n_sum + n;
	}
	print_mean(us_sum, n_sum);
	printf("\n");
}

static void print_line(const struct stats *s, const char *label, const char *name)
{
	long long v = counter(s, name, "");

	printf("  %-26s", label);
	if (v < 0)
		printf(" %10s\n", "-");
	else
		printf(" %10lld\n", v);
}

static void print_stats(const struct stats *s)
{
	long long tlb = counter(s, "svm_tlb_inval_count", "");
	long long tlb_us = counter(s, "svm_tlb_inval_us", "");

	if (!s->ok) {
		printf("fault handler: no statistics (%s/gt0/stats not readable)\n",
		       debugfs[0] ? debugfs : "debugfs of the device");
		return;
	}
	printf("fault handler (gt0/stats since the start):\n");
	printf("  %-26s %10s %10s %10s %10s\n", "range size", "4 KiB", "64 KiB", "2 MiB",
	       "all");
	print_row(s, "GPU page faults", "svm_%s_pagefault_count");
	print_row(s, "  found the range valid", "svm_%s_valid_pagefault_count");
	print_row(s, "get-pages (hmm_range_fault)", "svm_%s_get_pages_count");
	print_row(s, "binds (PTE writes)", "svm_%s_bind_count");
	print_row(s, "get-pages time, us", "svm_%s_get_pages_us");
	print_row(s, "bind time, us", "svm_%s_bind_us");
	print_row(s, "fault time, us", "svm_%s_pagefault_us");
	print_mean_row(s, "mean get-pages, us", "svm_%s_get_pages_us", "svm_%s_get_pages_count");
	print_mean_row(s, "mean bind, us", "svm_%s_bind_us", "svm_%s_bind_count");
	print_mean_row(s, "mean per fault, us", "svm_%s_pagefault_us", "svm_%s_pagefault_count");
	printf("\n");
	print_line(s, "GPU page faults, all", "svm_pagefault_count");
	print_line(s, "coalesced faults", "svm_coalesced_count");
	print_line(s, "failed faults", "svm_fault_fail_count");
	print_line(s, "retries (notifier races)", "svm_retry_count");
	print_line(s, "invalidations (notifier)", "svm_invalidate_count");
	print_line(s, "garbage-collector runs", "svm_gc_count");
	print_line(s, "TLB invalidations", "svm_tlb_inval_count");
	printf("  %-26s", "mean TLB invalidation, us");
	print_mean(tlb_us, tlb);
	printf("\n");
	print_line(s, "live notifiers", "svm_notifier_count");
	print_line(s, "live ranges", "svm_range_count");
}

/* --- the program ----------------------------------------------------------- */

static bool check_bytes(const char *what, const uint8_t *p, size_t n, uint8_t expect)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (p[i] != expect) {
			fprintf(stderr, "xe-svm-demo: %s: byte %zu is %#x, expected %#x\n", what,
				i, p[i], expect);
			return false;
		}
	}
	return true;
}

static bool check_copy(const uint8_t *src, const uint8_t *dst_alloc)
{
	const uint8_t *dst = dst_alloc + COPY_DST_OFFSET;
	size_t i;

	for (i = 0; i < COPY_SIZE; i++) {
		if (dst[i] != src[i]) {
			fprintf(stderr, "xe-svm-demo: copy: byte %zu is %#x, expected %#x\n", i,
				dst[i], src[i]);
			return false;
		}
	}
	return check_bytes("copy, guard before", dst_alloc, COPY_DST_OFFSET, GUARD) &&
	       check_bytes("copy, guard after", dst + COPY_SIZE, 64, GUARD);
}

static bool check_squares(const uint32_t *sq)
{
	uint32_t i;

	if (sq[0] != GUARD32 || sq[NR_SQUARES + 1] != GUARD32) {
		fprintf(stderr, "xe-svm-demo: squares: guard overwritten\n");
		return false;
	}
	for (i = 0; i < NR_SQUARES; i++) {
		if (sq[i + 1] != i * i + 7) {
			fprintf(stderr, "xe-svm-demo: squares[%u] is %u, expected %u\n", i,
				sq[i + 1], i * i + 7);
			return false;
		}
	}
	return true;
}

static bool check_fill(const uint8_t *fill)
{
	return check_bytes("fill, guard before", fill, 1, GUARD) &&
	       check_bytes("fill", fill + 1, FILL_SIZE - 2, FILL_BYTE) &&
	       check_bytes("fill, guard after", fill + FILL_SIZE - 1, 1, GUARD);
}

int main(void)
{
	struct drm_xe_engine_class_instance ccs, bcs;
	uint32_t *sq, *sq_batch, *copy_batch, *tail_batch, *cs, vm, q_ccs, q_bcs, i;
	uint8_t *src, *dst, *fill, *tail;
	uint64_t *fences;
	bool ok = true;
	struct stats s;
	double t0, t;

	setvbuf(stdout, NULL, _IOLBF, 0);
	open_device();
	vm = svm_vm_create(svm_va_bits());
	ccs = find_engine(DRM_XE_ENGINE_CLASS_COMPUTE, DRM_XE_ENGINE_CLASS_RENDER);
	bcs = find_engine(DRM_XE_ENGINE_CLASS_COPY, DRM_XE_ENGINE_CLASS_COPY);
	q_ccs = queue_create(vm, &ccs);
	q_bcs = queue_create(vm, &bcs);
	stats_reset();

	/* The data: plain malloc. Only the source and the guards are written by the CPU. */
	if (posix_memalign((void **)&src, 2 * MIB, COPY_SIZE))
		die("posix_memalign", ENOMEM);
	for (i = 0; i < COPY_SIZE; i++)
		src[i] = i * 2654435761u >> 24;
	dst = xmalloc(COPY_DST_OFFSET + COPY_SIZE + 64);
	memset(dst, GUARD, COPY_DST_OFFSET);
	memset(dst + COPY_DST_OFFSET + COPY_SIZE, GUARD, 64);
	sq = xmalloc((NR_SQUARES + 2) * sizeof(*sq));
	sq[0] = GUARD32;
	sq[NR_SQUARES + 1] = GUARD32;
	fill = xmalloc(FILL_SIZE);
	fill[0] = GUARD;
	fill[FILL_SIZE - 1] = GUARD;
	fences = xmalloc(3 * sizeof(*fences));

	printf("data (malloc'd; the GPU uses the CPU addresses, nothing is bound or pinned):\n");
	printf("  %-8s %8.2f MiB at %p  source of the copy, written by the CPU\n", "source",
	       (double)COPY_SIZE / MIB, (void *)src);
	printf("  %-8s %8.2f MiB at %p  copy destination, at +%d (copy engine, MEM_COPY)\n",
	       "copy", (double)COPY_SIZE / MIB, (void *)(dst + COPY_DST_OFFSET),
	       COPY_DST_OFFSET);
	printf("  %-8s %8.2f MiB at %p  %u squares, one MI_STORE_DATA_IMM each (compute engine)\n",
	       "squares", (double)NR_SQUARES * 4 / MIB, (void *)(sq + 1), NR_SQUARES);
	printf("  %-8s %8.2f MiB at %p  filled with %#x (copy engine, MEM_SET)\n", "fill",
	       (double)(FILL_SIZE - 2) / MIB, (void *)(fill + 1), FILL_BYTE);

	/* The batches, in malloc'd memory as well. */
	sq_batch = xmalloc(NR_SQUARES * 16 + 16);
	cs = sq_batch;
	for (i = 0; i < NR_SQUARES; i++)
		cs = emit_store(cs, &sq[i + 1], i * i + 7);
	*cs = MI_BATCH_BUFFER_END;
	copy_batch = xmalloc(256);
	cs = emit_copy(copy_batch, dst + COPY_DST_OFFSET, src, COPY_SIZE);
	cs = emit_set(cs, fill + 1, FILL_BYTE, FILL_SIZE - 2);
	*cs = MI_BATCH_BUFFER_END;
	printf("  %-8s %8.2f MiB, user fences in a malloc'd array\n", "batches",
	       (double)(NR_SQUARES * 16 + 16 + 256) / MIB);

	t0 = now();
	submit(q_ccs, sq_batch, &fences[0]);
	submit(q_bcs, copy_batch, &fences[1]);
	ok &= wait_fence(q_bcs, &fences[1], "copy");
	t = now() - t0;
	ok &= wait_fence(q_ccs, &fences[0], "squares");
	printf("GPU jobs: copy and fill %.1f ms, squares %.1f ms (running together)\n", t * 1e3,
	       (now() - t0) * 1e3);
	if (!ok)
		return 1;

	ok &= check_copy(src, dst);
	ok &= check_squares(sq);
	ok &= check_fill(fill);
	printf("check: %s (%llu bytes copied, %u squares, %llu bytes filled, guards intact)\n",
	       ok ? "every value is right" : "WRONG VALUES", COPY_SIZE, NR_SQUARES,
	       FILL_SIZE - 2);

	/*
	 * free() returns the copy destination to the kernel: its GPU mappings are
	 * invalidated and its ranges queued for the garbage collector, which the
	 * next fault runs. The next job writes into memory the GPU has not seen.
	 */
	free(dst);
	tail = xmalloc(4 * KIB);
	tail_batch = xmalloc(64);
	cs = emit_store(tail_batch, tail, 0x600dcafe);
	*cs = MI_BATCH_BUFFER_END;
	submit(q_ccs, tail_batch, &fences[2]);
	if (!wait_fence(q_ccs, &fences[2], "after free"))
		return 1;
	if (*(uint32_t *)tail != 0x600dcafe) {
		fprintf(stderr, "xe-svm-demo: after free: %#x, expected 0x600dcafe\n",
			*(uint32_t *)tail);
		ok = false;
	}
	printf("after free(copy destination): one more job wrote %#x, %s\n", *(uint32_t *)tail,
	       *(uint32_t *)tail == 0x600dcafe ? "right" : "WRONG");

	printf("\n");
	stats_read(&s);
	print_stats(&s);
	if (s.ok && counter(&s, "svm_fault_fail_count", "") > 0) {
		fprintf(stderr, "xe-svm-demo: the kernel reports failed faults\n");
		ok = false;
	}
	printf("\nxe-svm-demo: %s\n", ok ? "PASS" : "FAIL");
	return ok ? 0 : 1;
}
