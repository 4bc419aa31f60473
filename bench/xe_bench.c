// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The xe virtual GPU authors
 *
 * xe_bench: measures the submission and fault paths of the xe driver in the
 * machine it runs on. Every figure is printed next to a reference measured
 * in the same run, so results from an emulated machine compare as ratios.
 *
 *   jobs        empty batches per second through EXEC (syncobj out-fence
 *               per job, wait for the last), and the round-trip latency of
 *               one job (EXEC to user fence seen), p50 and p99
 *   faults      GPU page faults serviced per second in a fault-mode VM:
 *               one batch touches N BO mappings once each, first with every
 *               mapping faulted in lazily, then prebound in a VM without
 *               faults; the difference is the cost of faulting
 *   migrate     bytes per second the copy engine moves between system
 *               memory and VRAM: two VMs each use a VRAM BO of 60% of VRAM
 *               in turn, so every job moves the other BO out and its own
 *               back in
 *   memcpy      CPU memcpy bandwidth of this machine, the reference for
 *               data-moving paths
 *   svm         shared virtual memory: the GPU working on malloc'd memory
 *               through a CPU address mirror, every access faulting first
 *               (see the comment above bench_svm())
 *
 * Last comes one line, "JSON {...}", with every figure, for scripts.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <drm/drm.h>
#include <drm/xe_drm.h>

#define MI_BATCH_BUFFER_END	(0x0a << 23)
#define MI_STORE_DATA_IMM	(0x20 << 23)
#define BATCH_VA		0x100000ull
#define DATA_VA			0x10000000ull
#define SZ_4K			0x1000ull
#define SZ_64K			0x10000ull
#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))

static int fd;
static int card;
static double tsc_hz;

/* Every figure, for the JSON line. */
static struct {
	double memcpy_mibs;
	double jobs_per_s, job_us, rt_p50_us, rt_p99_us;
	double faults_per_s, fault_us;
	double migrate_mibs;
} res;

static double monotonic(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

/*
 * A guest without an HPET or PM timer may run its clock off jiffies;
 * the TSC ticks steadily under emulation, so time is read from it,
 * calibrated once against CLOCK_MONOTONIC over a second.
 */
static void calibrate(void)
{
	double t0 = monotonic(), t;
	uint64_t c0 = rdtsc();

	while ((t = monotonic()) - t0 < 1.0)
		;
	tsc_hz = (rdtsc() - c0) / (t - t0);
	printf("clock: TSC at %.0f MHz, calibrated against CLOCK_MONOTONIC\n", tsc_hz / 1e6);
}

static double now(void)
{
	return rdtsc() / tsc_hz;
}

static void xioctl(unsigned long req, void *arg, const char *what)
{
	if (ioctl(fd, req, arg)) {
		fprintf(stderr, "xe_bench: %s: %s\n", what, strerror(errno));
		exit(1);
	}
}

static int open_xe(void)
{
	char path[32], name[8];
	int i;

	for (i = 0; i < 16; i++) {
		struct drm_version v = { .name = name, .name_len = sizeof(name) - 1 };
		int f;

		snprintf(path, sizeof(path), "/dev/dri/card%d", i);
		f = open(path, O_RDWR | O_CLOEXEC);
		if (f < 0)
			continue;
		memset(name, 0, sizeof(name));
		if (!ioctl(f, DRM_IOCTL_VERSION, &v) && !strcmp(name, "xe")) {
			card = i;
			return f;
		}
		close(f);
	}
	fprintf(stderr, "xe_bench: no xe device\n");
	exit(1);
}

static uint32_t vm_create(uint32_t flags)
{
	struct drm_xe_vm_create c = { .flags = flags };

	xioctl(DRM_IOCTL_XE_VM_CREATE, &c, "VM_CREATE");
	return c.vm_id;
}

static uint32_t bo_create_in(uint64_t size, uint32_t placement, void **map)
{
	struct drm_xe_gem_create c = {
		.size = size, .placement = placement,
		.cpu_caching = placement & 2 ? DRM_XE_GEM_CPU_CACHING_WC :
					       DRM_XE_GEM_CPU_CACHING_WB,
	};
	struct drm_xe_gem_mmap_offset mo = {};

	xioctl(DRM_IOCTL_XE_GEM_CREATE, &c, "GEM_CREATE");
	if (map) {
		mo.handle = c.handle;
		xioctl(DRM_IOCTL_XE_GEM_MMAP_OFFSET, &mo, "GEM_MMAP_OFFSET");
		*map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, mo.offset);
		if (*map == MAP_FAILED) {
			perror("xe_bench: mmap");
			exit(1);
		}
	}
	return c.handle;
}

static uint32_t bo_create(uint64_t size, void **map)
{
	return bo_create_in(size, 1, map);
}

static uint64_t vram_size(void)
{
	struct drm_xe_device_query q = { .query = DRM_XE_DEVICE_QUERY_MEM_REGIONS };
	struct drm_xe_query_mem_regions *r;
	uint64_t size = 0;
	unsigned int i;

	xioctl(DRM_IOCTL_XE_DEVICE_QUERY, &q, "DEVICE_QUERY");
	r = calloc(1, q.size);
	q.data = (uintptr_t)r;
	xioctl(DRM_IOCTL_XE_DEVICE_QUERY, &q, "DEVICE_QUERY");
	for (i = 0; i < r->num_mem_regions; i++)
		if (r->mem_regions[i].mem_class == DRM_XE_MEM_REGION_CLASS_VRAM)
			size = r->mem_regions[i].total_size;
	free(r);
	return size;
}

static void bind(uint32_t vm, uint32_t bo, uint64_t addr, uint64_t size)
{
	struct drm_xe_vm_bind b = {
		.vm_id = vm, .num_binds = 1,
		.bind = { .obj = bo, .range = size, .addr = addr, .op = DRM_XE_VM_BIND_OP_MAP },
	};

	xioctl(DRM_IOCTL_XE_VM_BIND, &b, "VM_BIND");
}

static uint32_t queue_create(uint32_t vm)
{
	struct drm_xe_engine_class_instance eci = { .engine_class = DRM_XE_ENGINE_CLASS_COMPUTE };
	struct drm_xe_exec_queue_create c = {
		.width = 1, .num_placements = 1, .vm_id = vm, .instances = (uintptr_t)&eci,
	};

	xioctl(DRM_IOCTL_XE_EXEC_QUEUE_CREATE, &c, "EXEC_QUEUE_CREATE");
	return c.exec_queue_id;
}

static void exec(uint32_t q, struct drm_xe_sync *sync)
{
	struct drm_xe_exec e = {
		.exec_queue_id = q, .address = BATCH_VA, .num_batch_buffer = 1,
		.num_syncs = sync ? 1 : 0, .syncs = (uintptr_t)sync,
	};

	xioctl(DRM_IOCTL_XE_EXEC, &e, "EXEC");
}

static void wait_ufence(uint64_t *addr, uint64_t value, uint32_t q)
{
	struct drm_xe_wait_user_fence w = {
		.addr = (uintptr_t)addr, .op = DRM_XE_UFENCE_WAIT_OP_EQ, .value = value,
		.mask = ~0ull, .timeout = 30ll * 1000000000, .exec_queue_id = q,
	};

	xioctl(DRM_IOCTL_XE_WAIT_USER_FENCE, &w, "WAIT_USER_FENCE");
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void bench_jobs(unsigned int n)
{
	struct drm_syncobj_create sc = {};
	struct drm_syncobj_wait sw = { .count_handles = 1, .timeout_nsec = INT64_MAX };
	struct drm_xe_sync sync = { .type = DRM_XE_SYNC_TYPE_SYNCOBJ,
				    .flags = DRM_XE_SYNC_FLAG_SIGNAL };
	uint32_t vm = vm_create(0), q, *batch;
	uint64_t *ufence;
	double t0, t, *lat;
	unsigned int i;

	bind(vm, bo_create(SZ_64K, (void **)&batch), BATCH_VA, SZ_64K);
	batch[0] = MI_BATCH_BUFFER_END;
	ufence = (uint64_t *)(batch + 0x1000);
	q = queue_create(vm);
	xioctl(DRM_IOCTL_SYNCOBJ_CREATE, &sc, "SYNCOBJ_CREATE");
	sync.handle = sc.handle;
	sw.handles = (uintptr_t)&sc.handle;

	/* Warm up: page tables, TLB, context. */
	exec(q, &sync);
	xioctl(DRM_IOCTL_SYNCOBJ_WAIT, &sw, "SYNCOBJ_WAIT");

	t0 = now();
	for (i = 0; i < n; i++)
		exec(q, &sync);
	xioctl(DRM_IOCTL_SYNCOBJ_WAIT, &sw, "SYNCOBJ_WAIT");
	t = now() - t0;
	printf("jobs: %u empty batches in %.3f s: %.0f jobs/s, %.1f us/job\n",
	       n, t, n / t, t / n * 1e6);
	res.jobs_per_s = n / t;
	res.job_us = t / n * 1e6;

	lat = calloc(n / 4, sizeof(*lat));
	sync.type = DRM_XE_SYNC_TYPE_USER_FENCE;
	sync.addr = BATCH_VA + 0x4000;
	for (i = 0; i < n / 4; i++) {
		sync.timeline_value = i + 1;
		t0 = now();
		exec(q, &sync);
		wait_ufence(ufence, i + 1, q);
		lat[i] = (now() - t0) * 1e6;
	}
	qsort(lat, n / 4, sizeof(*lat), cmp_double);
	printf("jobs: round trip (EXEC to user fence): p50 %.0f us, p99 %.0f us\n",
	       lat[n / 8], lat[n / 4 * 99 / 100]);
	res.rt_p50_us = lat[n / 8];
	res.rt_p99_us = lat[n / 4 * 99 / 100];
	free(lat);
}

/* One batch storing once into each of @n mappings; returns its run time. */
static double run_touch(uint32_t vm_flags, unsigned int n)
{
	struct drm_xe_sync sync = { .type = DRM_XE_SYNC_TYPE_USER_FENCE,
				    .flags = DRM_XE_SYNC_FLAG_SIGNAL,
				    .addr = BATCH_VA + 0x8000, .timeline_value = 1 };
	uint32_t vm = vm_create(vm_flags), q, *batch, *cs, bo;
	uint64_t *ufence;
	unsigned int i;
	double t0, t;

	bind(vm, bo_create(SZ_64K, (void **)&batch), BATCH_VA, SZ_64K);
	ufence = (uint64_t *)((char *)batch + 0x8000);
	bo = bo_create(n * SZ_64K, NULL);
	for (i = 0; i < n; i++)
		bind(vm, bo, DATA_VA + i * 2 * SZ_64K, SZ_64K);

	cs = batch;
	for (i = 0; i < n; i++) {
		uint64_t addr = DATA_VA + i * 2 * SZ_64K;

		*cs++ = MI_STORE_DATA_IMM | (4 - 2);
		*cs++ = (uint32_t)addr;
		*cs++ = addr >> 32;
		*cs++ = i;
	}
	*cs++ = MI_BATCH_BUFFER_END;

	q = queue_create(vm);
	t0 = now();
	exec(q, &sync);
	wait_ufence(ufence, 1, q);
	t = now() - t0;
	return t;
}

static void bench_faults(unsigned int n)
{
	double lazy = run_touch(DRM_XE_VM_CREATE_FLAG_LR_MODE | DRM_XE_VM_CREATE_FLAG_FAULT_MODE, n);
	double bound = run_touch(0, n);

	printf("faults: %u BO mappings touched once: %.3f s faulting, %.3f s prebound\n",
	       n, lazy, bound);
	printf("faults: %.0f faults/s, %.1f us per fault (fault, bind, reply, replay)\n",
	       n / (lazy - bound), (lazy - bound) / n * 1e6);
	res.faults_per_s = n / (lazy - bound);
	res.fault_us = (lazy - bound) / n * 1e6;
}

static void bench_migrate(unsigned int rounds)
{
	uint64_t size = vram_size() * 6 / 10 & ~(SZ_64K - 1);
	struct drm_syncobj_create sc = {};
	struct drm_syncobj_wait sw = { .count_handles = 1, .timeout_nsec = INT64_MAX };
	struct drm_xe_sync sync = { .type = DRM_XE_SYNC_TYPE_SYNCOBJ,
				    .flags = DRM_XE_SYNC_FLAG_SIGNAL };
	uint32_t vm[2], q[2], *batch[2];
	unsigned int i;
	double t0, t;

	xioctl(DRM_IOCTL_SYNCOBJ_CREATE, &sc, "SYNCOBJ_CREATE");
	sync.handle = sc.handle;
	sw.handles = (uintptr_t)&sc.handle;
	for (i = 0; i < 2; i++) {
		vm[i] = vm_create(0);
		bind(vm[i], bo_create(SZ_64K, (void **)&batch[i]), BATCH_VA, SZ_64K);
		batch[i][0] = MI_STORE_DATA_IMM | (4 - 2);
		batch[i][1] = (uint32_t)DATA_VA;
		batch[i][2] = DATA_VA >> 32;
		batch[i][3] = i;
		batch[i][4] = MI_BATCH_BUFFER_END;
		bind(vm[i], bo_create_in(size, 2, NULL), DATA_VA, size);
		q[i] = queue_create(vm[i]);
	}

	/* Each job brings its BO back into VRAM, pushing the other one out. */
	exec(q[0], &sync);
	xioctl(DRM_IOCTL_SYNCOBJ_WAIT, &sw, "SYNCOBJ_WAIT");
	t0 = now();
	for (i = 1; i <= rounds; i++) {
		exec(q[i & 1], &sync);
		xioctl(DRM_IOCTL_SYNCOBJ_WAIT, &sw, "SYNCOBJ_WAIT");
	}
	t = now() - t0;
	printf("migrate: %u jobs, each moving %llu MiB out of and %llu MiB into VRAM: %.0f MiB/s\n",
	       rounds, (unsigned long long)size >> 20, (unsigned long long)size >> 20,
	       2.0 * rounds * size / (1 << 20) / t);
	res.migrate_mibs = 2.0 * rounds * size / (1 << 20) / t;
}

static void bench_memcpy(void)
{
	size_t size = 64 << 20;
	char *a = malloc(size), *b = malloc(size);
	volatile char sink;
	double t0, t;
	int i;

	memset(a, 1, size);
	memset(b, 2, size);
	t0 = now();
	for (i = 0; i < 4; i++) {
		memcpy(i & 1 ? a : b, i & 1 ? b : a, size);
		/* Read what was copied, so the copy cannot be elided. */
		sink = (i & 1 ? a : b)[i * 4096];
	}
	t = now() - t0;
	(void)sink;
	printf("memcpy: %.0f MiB/s\n", 4 * 64 / t);
	res.memcpy_mibs = 4 * 64 / t;
	free(a);
	free(b);
}

/*
 * svm: shared virtual memory. Each case uses a fresh VM in LR and fault mode
 * whose whole address space mirrors the process (VM_BIND with
 * DRM_XE_VM_BIND_FLAG_CPU_ADDR_MIRROR), so the GPU reaches malloc'd memory
 * at its CPU address and faults on every page it has not touched yet.
 * Batches, user fences and copy destinations live in a buffer object bound
 * inside the mirror at the address of its CPU mapping, so that the only
 * faults are those of the memory under test.
 *
 *   first touch   the copy engine reads a 64 MiB malloc (touched by the
 *                 CPU, so its pages exist) into a BO, one MEM_COPY per
 *                 range, with the largest range (debugfs svm_range_max)
 *                 4 KiB, 64 KiB and 2 MiB; next to memcpy and to
 *                 lib/test_hmm's dmirror reading the same amount through
 *                 its own HMM mirror (HMM_DMIRROR_READ)
 *   latency       p50, p99 and maximum of each stage of a fault (get-pages, bind,
 *                 total), from the xe_svm_fault_done trace events of the
 *                 first touch with 4 KiB and with 2 MiB ranges
 *   live ranges   the cost of new faults when 1, 1000 or 100000 ranges
 *                 exist already: the GPU first reads that many pages of a
 *                 PROT_READ anonymous mapping, which all map the zero page,
 *                 then 5 rounds of 256 more
 *   queues        64 exec queues storing into one page that none has seen
 *                 yet, all submitted at once: how the faults coalesce
 *
 * The section is skipped, with the reason, when the driver cannot mirror
 * CPU memory. svm_range_max is set back to 2 MiB on exit.
 */
#define MEM_COPY		(2u << 29 | 0x5a << 22)
#define MEM_SET			(2u << 29 | 0x5b << 22)
#define SZ_2M			0x200000ull
#define SVM_SIZE		(64ull << 20)
#define SVM_CTRL_SIZE		(4ull << 20)
#define SVM_FENCES		(SVM_CTRL_SIZE - SZ_64K)
#define SVM_SCRATCH		(SVM_CTRL_SIZE - SZ_4K)
#define SVM_BATCH_CMDS		16384
#define SVM_NEW_FAULTS		256
#define SVM_ROUNDS		5
#define SVM_QUEUES		64
#define SVM_WAIT_NS		(600ll * 1000000000)

#define HMM_DMIRROR_READ	_IOWR('H', 0x00, struct hmm_dmirror_cmd)

/* From lib/test_hmm_uapi.h of the kernel. */
struct hmm_dmirror_cmd {
	uint64_t addr;
	uint64_t ptr;
	uint64_t npages;
	uint64_t cpages;
	uint64_t faults;
};

/* A fault-mode VM mirroring the process, with a BO for batches and fences. */
struct svm_vm {
	uint32_t vm, q, ctrl_bo;
	uint32_t *ctrl;
};

struct svm_stats {
	unsigned int n;
	struct {
		char name[48];
		unsigned long long value;
	} c[96];
};

/* Fault service times of one range size, in microseconds. */
struct svm_lat {
	unsigned int n, cap;
	unsigned int *us[3];	/* get_pages, bind, total */
};

static const char * const svm_stage[] = { "get_pages", "bind", "total" };
static char svm_debugfs[64];
static char svm_clock[32] = "unknown";
static unsigned int svm_va_bits;
static bool svm_range_max_changed;

static void svm_fail(const char *what, int err)
{
	fprintf(stderr, "xe_bench: svm: %s: %s\n", what, strerror(err));
	exit(1);
}

static int svm_ioctl(unsigned long req, void *arg)
{
	int ret;

	do {
		ret = ioctl(fd, req, arg);
	} while (ret == -1 && (errno == EINTR || errno == EAGAIN));
	return ret == -1 ? -errno : 0;
}

static void svm_xioctl(unsigned long req, void *arg, const char *what)
{
	int ret = svm_ioctl(req, arg);

	if (ret)
		svm_fail(what, -ret);
}

static int write_file(const char *path, const char *text)
{
	int f = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC), ret = 0;

	if (f < 0)
		return -errno;
	if (write(f, text, strlen(text)) < 0)
		ret = -errno;
	close(f);
	return ret;
}

static int svm_write_range_max(unsigned long long bytes)
{
	char path[96], text[32];

	snprintf(path, sizeof(path), "%s/svm_range_max", svm_debugfs);
	snprintf(text, sizeof(text), "%llu\n", bytes);
	svm_range_max_changed = true;
	return write_file(path, text);
}

static void svm_range_max_restore(void)
{
	if (svm_range_max_changed && !svm_write_range_max(SZ_2M))
		svm_range_max_changed = false;
}

static void svm_set_range_max(unsigned long long bytes)
{
	int ret = svm_write_range_max(bytes);

	if (ret)
		svm_fail("writing svm_range_max", -ret);
}

static void svm_stats_reset(void)
{
	char path[96];
	int ret;

	snprintf(path, sizeof(path), "%s/gt0/stats", svm_debugfs);
	ret = write_file(path, "0\n");
	if (ret)
		svm_fail("resetting gt0/stats", -ret);
}

static void svm_stats_read(struct svm_stats *s)
{
	char path[96], line[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/gt0/stats", svm_debugfs);
	f = fopen(path, "r");
	if (!f)
		svm_fail("reading gt0/stats", errno);
	s->n = 0;
	while (s->n < ARRAY_SIZE(s->c) && fgets(line, sizeof(line), f))
		if (sscanf(line, "%47[^:]: %llu", s->c[s->n].name, &s->c[s->n].value) == 2)
			s->n++;
	fclose(f);
}

/* A counter, 0 if absent. */
static unsigned long long svm_stat(const struct svm_stats *s, const char *name)
{
	unsigned int i;

	for (i = 0; i < s->n; i++)
		if (!strcmp(s->c[i].name, name))
			return s->c[i].value;
	return 0;
}

/* Sum of a counter over the three range sizes; @fmt has a %s for the size. */
static unsigned long long svm_stat_sizes(const struct svm_stats *s, const char *fmt)
{
	static const char * const sizes[] = { "4K", "64K", "2M" };
	unsigned long long sum = 0;
	char name[48];
	unsigned int i;

	for (i = 0; i < 3; i++) {
		snprintf(name, sizeof(name), fmt, sizes[i]);
		sum += svm_stat(s, name);
	}
	return sum;
}

static double svm_mean_fault_us(const struct svm_stats *s)
{
	unsigned long long n = svm_stat_sizes(s, "svm_%s_pagefault_count");

	return n ? (double)svm_stat_sizes(s, "svm_%s_pagefault_us") / n : 0;
}

static uint32_t svm_vm_create(void)
{
	struct drm_xe_vm_create c = {
		.flags = DRM_XE_VM_CREATE_FLAG_LR_MODE | DRM_XE_VM_CREATE_FLAG_FAULT_MODE,
	};

	svm_xioctl(DRM_IOCTL_XE_VM_CREATE, &c, "VM_CREATE");
	return c.vm_id;
}

static int svm_bind_mirror(uint32_t vm)
{
	struct drm_xe_vm_bind b = {
		.vm_id = vm, .num_binds = 1,
		.bind = {
			.op = DRM_XE_VM_BIND_OP_MAP, .flags = DRM_XE_VM_BIND_FLAG_CPU_ADDR_MIRROR,
			.addr = 0, .range = 1ull << svm_va_bits,
		},
	};

	return svm_ioctl(DRM_IOCTL_XE_VM_BIND, &b);
}

static void svm_vm_destroy(uint32_t vm)
{
	struct drm_xe_vm_destroy d = { .vm_id = vm };

	svm_xioctl(DRM_IOCTL_XE_VM_DESTROY, &d, "VM_DESTROY");
}

/* A system-memory BO mapped by the CPU, bound at the address of that mapping. */
static uint32_t svm_bo(uint32_t vm, uint64_t size, void **map)
{
	uint32_t bo = bo_create(size, map);
	struct drm_xe_vm_bind b = {
		.vm_id = vm, .num_binds = 1,
		.bind = {
			.obj = bo, .range = size, .addr = (uintptr_t)*map,
			.op = DRM_XE_VM_BIND_OP_MAP, .flags = DRM_XE_VM_BIND_FLAG_IMMEDIATE,
		},
	};

	svm_xioctl(DRM_IOCTL_XE_VM_BIND, &b, "VM_BIND of a BO inside the mirror");
	return bo;
}

static void svm_bo_free(uint32_t bo, void *map, uint64_t size)
{
	struct drm_gem_close c = { .handle = bo };

	munmap(map, size);
	svm_xioctl(DRM_IOCTL_GEM_CLOSE, &c, "GEM_CLOSE");
}

static uint32_t svm_queue(uint32_t vm, const struct drm_xe_engine_class_instance *eci)
{
	struct drm_xe_exec_queue_create c = {
		.width = 1, .num_placements = 1, .vm_id = vm, .instances = (uintptr_t)eci,
	};

	svm_xioctl(DRM_IOCTL_XE_EXEC_QUEUE_CREATE, &c, "EXEC_QUEUE_CREATE");
	return c.exec_queue_id;
}

static void svm_queue_destroy(uint32_t q)
{
	struct drm_xe_exec_queue_destroy d = { .exec_queue_id = q };

	svm_xioctl(DRM_IOCTL_XE_EXEC_QUEUE_DESTROY, &d, "EXEC_QUEUE_DESTROY");
}

static uint64_t *svm_fence(struct svm_vm *v, unsigned int i)
{
	return (uint64_t *)((char *)v->ctrl + SVM_FENCES) + i;
}

static void svm_exec(uint32_t q, const uint32_t *batch, uint64_t *fence)
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
	svm_xioctl(DRM_IOCTL_XE_EXEC, &e, "EXEC");
}

static void svm_wait(uint32_t q, uint64_t *fence)
{
	struct drm_xe_wait_user_fence w = {
		.addr = (uintptr_t)fence, .op = DRM_XE_UFENCE_WAIT_OP_EQ, .value = 1,
		.mask = ~0ull, .timeout = SVM_WAIT_NS, .exec_queue_id = q,
	};

	svm_xioctl(DRM_IOCTL_XE_WAIT_USER_FENCE, &w, "WAIT_USER_FENCE");
}

/* Runs the batch at the start of the control BO; returns its time in seconds. */
static double svm_run(struct svm_vm *v)
{
	double t0 = now();

	svm_exec(v->q, v->ctrl, svm_fence(v, 0));
	svm_wait(v->q, svm_fence(v, 0));
	return now() - t0;
}

static void svm_open(struct svm_vm *v)
{
	struct drm_xe_engine_class_instance bcs = { .engine_class = DRM_XE_ENGINE_CLASS_COPY };
	int ret;

	v->vm = svm_vm_create();
	ret = svm_bind_mirror(v->vm);
	if (ret)
		svm_fail("VM_BIND of the CPU address mirror", -ret);
	v->ctrl_bo = svm_bo(v->vm, SVM_CTRL_SIZE, (void **)&v->ctrl);
	v->q = svm_queue(v->vm, &bcs);

	/* Fault the BO in (at both ends) outside what is measured. */
	v->ctrl[0] = MI_BATCH_BUFFER_END;
	svm_run(v);
}

static void svm_close(struct svm_vm *v)
{
	svm_queue_destroy(v->q);
	svm_vm_destroy(v->vm);
	svm_bo_free(v->ctrl_bo, v->ctrl, SVM_CTRL_SIZE);
}

static uint32_t *emit_copy(uint32_t *cs, uint64_t dst, uint64_t src, uint64_t len)
{
	*cs++ = MEM_COPY | (10 - 2);
	*cs++ = len - 1;
	*cs++ = 0;		/* height - 1 */
	*cs++ = 0;		/* source pitch - 1 */
	*cs++ = 0;		/* destination pitch - 1 */
	*cs++ = (uint32_t)src;
	*cs++ = src >> 32;
	*cs++ = (uint32_t)dst;
	*cs++ = dst >> 32;
	*cs++ = 0;		/* MOCS */
	return cs;
}

static uint32_t *emit_set(uint32_t *cs, uint64_t dst, uint64_t len)
{
	*cs++ = MEM_SET | (7 - 2);
	*cs++ = len - 1;
	*cs++ = 0;		/* height - 1 */
	*cs++ = 0;		/* pitch - 1 */
	*cs++ = (uint32_t)dst;
	*cs++ = dst >> 32;
	*cs++ = 0;		/* fill byte */
	return cs;
}

/* Has the copy engine read one dword of each of @n pages from @addr on. */
static double svm_read_pages(struct svm_vm *v, const char *addr, unsigned long n)
{
	uint64_t scratch = (uintptr_t)v->ctrl + SVM_SCRATCH;
	unsigned long i, done;
	double t = 0;

	for (done = 0; done < n; done += i) {
		uint32_t *cs = v->ctrl;

		for (i = 0; i < SVM_BATCH_CMDS && done + i < n; i++)
			cs = emit_copy(cs, scratch, (uintptr_t)addr + (done + i) * SZ_4K, 4);
		*cs = MI_BATCH_BUFFER_END;
		t += svm_run(v);
	}
	return t;
}

static void *svm_malloc_touched(uint8_t value)
{
	void *p;

	if (posix_memalign(&p, SZ_2M, SVM_SIZE))
		svm_fail("posix_memalign", ENOMEM);
	memset(p, value, SVM_SIZE);
	return p;
}

/* --- trace events ---------------------------------------------------------- */

static char trace_dir[96];

static int trace_write(const char *file, const char *text)
{
	char path[160];

	snprintf(path, sizeof(path), "%s/%s", trace_dir, file);
	return write_file(path, text);
}

/* Sets up a trace instance recording xe_svm_fault_done; prints why not if it cannot. */
static bool trace_open(void)
{
	static const char * const roots[] = { "/sys/kernel/tracing", "/sys/kernel/debug/tracing" };
	const char *root = NULL;
	char path[160];
	unsigned int i;
	int ret;

	for (i = 0; i < 2 && !root; i++) {
		snprintf(path, sizeof(path), "%s/events", roots[i]);
		if (access(path, F_OK) && i == 0)
			mount("nodev", roots[0], "tracefs", 0, NULL);
		if (!access(path, F_OK))
			root = roots[i];
	}
	if (!root) {
		printf("svm: fault latency: skipped, no tracefs (kernel without tracing?)\n");
		return false;
	}
	snprintf(path, sizeof(path), "%s/events/xe/xe_svm_fault_done", root);
	if (access(path, F_OK)) {
		printf("svm: fault latency: skipped, no trace event xe/xe_svm_fault_done\n");
		return false;
	}
	snprintf(trace_dir, sizeof(trace_dir), "%s/instances/xe_bench", root);
	if (mkdir(trace_dir, 0755) && errno != EEXIST)
		snprintf(trace_dir, sizeof(trace_dir), "%s", root);
	trace_write("buffer_size_kb", "16384\n");
	ret = trace_write("events/xe/xe_svm_fault_done/enable", "0\n");
	if (ret) {
		printf("svm: fault latency: skipped, cannot use %s: %s\n", trace_dir,
		       strerror(-ret));
		return false;
	}
	return true;
}

static void trace_close(void)
{
	char root[96];

	if (!strstr(trace_dir, "/instances/"))
		return;
	snprintf(root, sizeof(root), "%s", trace_dir);
	rmdir(root);
}

static void trace_start(void)
{
	trace_write("trace", "");
	trace_write("events/xe/xe_svm_fault_done/enable", "1\n");
	trace_write("tracing_on", "1\n");
}

static void lat_add(struct svm_lat *l, unsigned int gp, unsigned int bind, unsigned int total)
{
	unsigned int i;

	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 4096;
		for (i = 0; i < 3; i++) {
			l->us[i] = realloc(l->us[i], l->cap * sizeof(*l->us[i]));
			if (!l->us[i])
				svm_fail("realloc", ENOMEM);
		}
	}
	l->us[0][l->n] = gp;
	l->us[1][l->n] = bind;
	l->us[2][l->n] = total;
	l->n++;
}

static int cmp_uint(const void *a, const void *b)
{
	unsigned int x = *(const unsigned int *)a, y = *(const unsigned int *)b;

	return x < y ? -1 : x > y;
}

/* The value of field @name (with its '=') of a trace event, or -1 if absent. */
static long long trace_field(const char *ev, const char *name)
{
	const char *p = strstr(ev, name);

	return p ? strtoll(p + strlen(name), NULL, 0) : -1;
}

/*
 * Stops recording and collects, from the events of faults that got pages
 * and bound a range of @size bytes, each stage's time. Returns the number of
 * events the buffer lost.
 */
static unsigned long trace_collect(struct svm_lat *l, uint64_t size)
{
	unsigned long entries = 0, written = 0;
	char path[160], line[512];
	unsigned int i;
	FILE *f;

	trace_write("events/xe/xe_svm_fault_done/enable", "0\n");
	snprintf(path, sizeof(path), "%s/trace", trace_dir);
	f = fopen(path, "r");
	if (!f)
		svm_fail("reading the trace buffer", errno);
	while (fgets(line, sizeof(line), f)) {
		const char *ev = strstr(line, "xe_svm_fault_done: ");
		long long start, end, gp, bind, total;

		if (sscanf(line, "# entries-in-buffer/entries-written: %lu/%lu", &entries,
			   &written) == 2 || !ev)
			continue;
		start = trace_field(ev, " start=");
		end = trace_field(ev, " end=");
		gp = trace_field(ev, " get_pages_us=");
		bind = trace_field(ev, " bind_us=");
		total = trace_field(ev, " total_us=");
		if (trace_field(ev, " err=") || trace_field(ev, " valid=") ||
		    end - start != (long long)size || gp < 0 || bind < 0 || total < 0)
			continue;
		lat_add(l, gp, bind, total);
	}
	fclose(f);
	for (i = 0; i < 3; i++)
		if (l->n)
			qsort(l->us[i], l->n, sizeof(*l->us[i]), cmp_uint);
	return written > entries ? written - entries : 0;
}

/* --- the cases ------------------------------------------------------------- */

struct first_touch {
	unsigned long long range_max;
	double s, mibs;
	unsigned long long faults;
	double fault_us;
};

/*
 * The copy engine reads a fresh 64 MiB malloc into a BO, one MEM_COPY per
 * range: a command that faults is executed again from its start once the
 * fault is resolved, so one command per range keeps every byte copied once.
 */
static void svm_first_touch(struct first_touch *ft, struct svm_lat *lat)
{
	uint8_t *src, *dst;
	struct svm_stats s;
	struct svm_vm v;
	uint32_t *cs, bo;
	uint64_t off;

	svm_set_range_max(ft->range_max);
	svm_open(&v);
	bo = svm_bo(v.vm, SVM_SIZE, (void **)&dst);
	src = svm_malloc_touched(0x5a);

	/* Have the BO's pages and page tables in place before timing. */
	cs = emit_set(v.ctrl, (uintptr_t)dst, SVM_SIZE);
	*cs = MI_BATCH_BUFFER_END;
	svm_run(&v);

	cs = v.ctrl;
	for (off = 0; off < SVM_SIZE; off += ft->range_max)
		cs = emit_copy(cs, (uintptr_t)dst + off, (uintptr_t)src + off, ft->range_max);
	*cs = MI_BATCH_BUFFER_END;
	svm_stats_reset();
	if (lat)
		trace_start();
	ft->s = svm_run(&v);
	if (lat) {
		unsigned long lost = trace_collect(lat, ft->range_max);

		if (lost)
			printf("svm: fault latency: the trace buffer lost %lu events\n", lost);
	}
	svm_stats_read(&s);
	ft->mibs = SVM_SIZE / (1024.0 * 1024.0) / ft->s;
	ft->faults = svm_stat(&s, "svm_pagefault_count");
	ft->fault_us = svm_mean_fault_us(&s);
	if (memcmp(src, dst, SVM_SIZE))
		svm_fail("first touch: the BO differs from the malloc'd source", EIO);

	free(src);
	svm_close(&v);
	svm_bo_free(bo, dst, SVM_SIZE);
}

/* lib/test_hmm's dmirror reading a 64 MiB malloc; MiB/s, or 0 if unavailable. */
static double svm_dmirror(unsigned long long *faults, double *secs)
{
	struct hmm_dmirror_cmd cmd = { .npages = SVM_SIZE / SZ_4K };
	uint8_t *src, *dst;
	int dfd, ret;
	double t0;

	ret = system("modprobe -q test_hmm");
	dfd = open("/dev/hmm_dmirror0", O_RDWR | O_CLOEXEC);
	if (dfd < 0) {
		printf("svm: dmirror: unavailable (modprobe test_hmm: %d, /dev/hmm_dmirror0: %s)\n",
		       ret, strerror(errno));
		return 0;
	}
	src = svm_malloc_touched(0xa5);
	dst = svm_malloc_touched(0);
	cmd.addr = (uintptr_t)src;
	cmd.ptr = (uintptr_t)dst;
	t0 = now();
	if (ioctl(dfd, HMM_DMIRROR_READ, &cmd))
		svm_fail("HMM_DMIRROR_READ", errno);
	*secs = now() - t0;
	if (cmd.cpages != SVM_SIZE / SZ_4K || memcmp(src, dst, SVM_SIZE))
		svm_fail("HMM_DMIRROR_READ: wrong data", EIO);
	*faults = cmd.faults;
	close(dfd);
	free(src);
	free(dst);
	return SVM_SIZE / (1024.0 * 1024.0) / *secs;
}

struct live_ranges {
	unsigned long n, live;
	double fault_us, wall_us, setup_s, munmap_ms;
};

/* Waits up to a second for the garbage collector to bring the live ranges down to @n. */
static void svm_wait_ranges(unsigned long long n)
{
	struct svm_stats s;
	double t0 = now();

	do {
		svm_stats_read(&s);
		if (svm_stat(&s, "svm_range_count") <= n)
			return;
		usleep(1000);
	} while (now() - t0 < 1);
}

/*
 * The cost of new 4 KiB faults with @lr->n ranges already there: SVM_ROUNDS
 * rounds of SVM_NEW_FAULTS faults, each round's pages unmapped and their
 * ranges collected before the next, so that every round sees @lr->n ranges.
 * The wall time per fault is the median of the rounds; the handler's time
 * is the mean over all rounds.
 */
static void svm_live_ranges(struct live_ranges *lr)
{
	unsigned long pages = lr->n + SVM_ROUNDS * SVM_NEW_FAULTS;
	unsigned long long us = 0, faults = 0;
	double wall[SVM_ROUNDS], t0;
	struct svm_stats s;
	struct svm_vm v;
	unsigned int r;
	char *map;

	svm_set_range_max(SZ_4K);
	svm_open(&v);
	map = mmap(NULL, pages * SZ_4K, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
		   -1, 0);
	if (map == MAP_FAILED)
		svm_fail("mmap", errno);
	lr->setup_s = svm_read_pages(&v, map, lr->n);
	svm_stats_read(&s);
	lr->live = svm_stat(&s, "svm_range_count");

	for (r = 0; r < SVM_ROUNDS; r++) {
		char *fresh = map + (lr->n + r * SVM_NEW_FAULTS) * SZ_4K;

		svm_stats_reset();
		wall[r] = svm_read_pages(&v, fresh, SVM_NEW_FAULTS) * 1e6 / SVM_NEW_FAULTS;
		svm_stats_read(&s);
		us += svm_stat_sizes(&s, "svm_%s_pagefault_us");
		faults += svm_stat_sizes(&s, "svm_%s_pagefault_count");
		munmap(fresh, SVM_NEW_FAULTS * SZ_4K);
		svm_wait_ranges(lr->live);
	}
	if (faults < SVM_ROUNDS * SVM_NEW_FAULTS)
		printf("svm: live ranges: only %llu faults for %u new pages\n", faults,
		       SVM_ROUNDS * SVM_NEW_FAULTS);
	qsort(wall, SVM_ROUNDS, sizeof(wall[0]), cmp_double);
	lr->wall_us = wall[SVM_ROUNDS / 2];
	lr->fault_us = faults ? (double)us / faults : 0;

	t0 = now();
	munmap(map, pages * SZ_4K);
	lr->munmap_ms = (now() - t0) * 1e3;
	svm_close(&v);
}

struct queues {
	unsigned int engines;
	double ms;
	unsigned long long faults, coalesced, valid, get_pages;
};

static unsigned int gt0_engines(struct drm_xe_engine_class_instance *eci, unsigned int max)
{
	struct drm_xe_device_query dq = { .query = DRM_XE_DEVICE_QUERY_ENGINES };
	struct drm_xe_query_engines *e;
	unsigned int i, n = 0;

	svm_xioctl(DRM_IOCTL_XE_DEVICE_QUERY, &dq, "DEVICE_QUERY");
	e = calloc(1, dq.size);
	dq.data = (uintptr_t)e;
	svm_xioctl(DRM_IOCTL_XE_DEVICE_QUERY, &dq, "DEVICE_QUERY");
	for (i = 0; i < e->num_engines && n < max; i++)
		if (!e->engines[i].instance.gt_id)
			eci[n++] = e->engines[i].instance;
	free(e);
	return n;
}

/* SVM_QUEUES queues, spread over GT 0's engines, each storing into one new page. */
static void svm_queues(struct queues *r)
{
	struct drm_xe_engine_class_instance eci[64];
	uint32_t q[SVM_QUEUES], *target;
	struct svm_stats s;
	struct svm_vm v;
	unsigned int i;
	char *region;
	double t0;

	svm_set_range_max(SZ_2M);
	svm_open(&v);
	r->engines = gt0_engines(eci, 64);
	region = mmap(NULL, 2 * SZ_2M, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		      -1, 0);
	if (region == MAP_FAILED)
		svm_fail("mmap", errno);
	target = (uint32_t *)(((uintptr_t)region + SZ_2M - 1) & ~(SZ_2M - 1));
	memset(target, 0, SZ_4K);

	for (i = 0; i < SVM_QUEUES; i++) {
		uint32_t *cs = v.ctrl + i * 16;

		*cs++ = MI_STORE_DATA_IMM | (4 - 2);
		*cs++ = (uint32_t)(uintptr_t)&target[i];
		*cs++ = (uint64_t)(uintptr_t)&target[i] >> 32;
		*cs++ = i + 1;
		*cs = MI_BATCH_BUFFER_END;
		q[i] = svm_queue(v.vm, &eci[i % r->engines]);
	}
	svm_stats_reset();
	t0 = now();
	for (i = 0; i < SVM_QUEUES; i++)
		svm_exec(q[i], v.ctrl + i * 16, svm_fence(&v, i));
	for (i = 0; i < SVM_QUEUES; i++)
		svm_wait(q[i], svm_fence(&v, i));
	r->ms = (now() - t0) * 1e3;
	svm_stats_read(&s);
	r->faults = svm_stat(&s, "svm_pagefault_count");
	r->coalesced = svm_stat(&s, "svm_coalesced_count");
	r->valid = svm_stat_sizes(&s, "svm_%s_valid_pagefault_count");
	r->get_pages = svm_stat_sizes(&s, "svm_%s_get_pages_count");
	for (i = 0; i < SVM_QUEUES; i++) {
		if (target[i] != i + 1)
			svm_fail("queues: a store is missing", EIO);
		svm_queue_destroy(q[i]);
	}
	munmap(region, 2 * SZ_2M);
	svm_close(&v);
}

/*
 * The kernel's clock source: kernel-side times (gt0/stats, trace events) have
 * its resolution, which is a whole tick when it is jiffies.
 */
static void svm_read_clock(void)
{
	FILE *f = fopen("/sys/devices/system/clocksource/clocksource0/current_clocksource", "r");

	if (!f)
		return;
	if (fscanf(f, "%31s", svm_clock) != 1)
		snprintf(svm_clock, sizeof(svm_clock), "unknown");
	fclose(f);
	if (strstr(svm_clock, "jiffies")) {
		printf("svm: note: the kernel's clock source is %s, so kernel-side times\n",
		       svm_clock);
		printf("svm: (gt0/stats, trace events) are whole ticks: their means over many\n");
		printf("svm: faults hold, their percentiles do not\n");
	}
}

/* Whether SVM can be measured here; prints why not. */
static bool svm_probe(void)
{
	struct drm_xe_device_query q = { .query = DRM_XE_DEVICE_QUERY_CONFIG };
	struct drm_xe_query_config *c;
	char path[96], name[16] = "";
	bool flag;
	FILE *f;
	int ret;
	uint32_t vm;

	xioctl(DRM_IOCTL_XE_DEVICE_QUERY, &q, "DEVICE_QUERY");
	c = calloc(1, q.size);
	q.data = (uintptr_t)c;
	xioctl(DRM_IOCTL_XE_DEVICE_QUERY, &q, "DEVICE_QUERY");
	flag = c->info[DRM_XE_QUERY_CONFIG_FLAGS] & DRM_XE_QUERY_CONFIG_FLAG_HAS_CPU_ADDR_MIRROR;
	svm_va_bits = c->info[DRM_XE_QUERY_CONFIG_VA_BITS];
	free(c);

	vm = svm_vm_create();
	ret = svm_bind_mirror(vm);
	svm_vm_destroy(vm);
	if (ret) {
		printf("svm: skipped: VM_BIND of a CPU address mirror fails (%s)%s\n",
		       strerror(-ret), flag ? "" : ", the device reports no SVM support");
		return false;
	}

	snprintf(svm_debugfs, sizeof(svm_debugfs), "/sys/kernel/debug/dri/%d", card);
	snprintf(path, sizeof(path), "%s/name", svm_debugfs);
	f = fopen(path, "r");
	if (f) {
		if (!fgets(name, sizeof(name), f))
			name[0] = 0;
		fclose(f);
	}
	snprintf(path, sizeof(path), "%s/svm_range_max", svm_debugfs);
	if (strncmp(name, "xe", 2) || access(path, W_OK)) {
		printf("svm: skipped: no writable %s (needs root and debugfs)\n", path);
		return false;
	}
	return true;
}

static void print_lat(const char *size, const struct svm_lat *l)
{
	unsigned int i;

	if (!l->n) {
		printf("svm:   %-6s %7u   (no events)\n", size, 0);
		return;
	}
	printf("svm:   %-6s %7u", size, l->n);
	for (i = 0; i < 3; i++)
		printf("   %6u %6u %6u", l->us[i][l->n / 2], l->us[i][(l->n - 1) * 99 / 100],
		       l->us[i][l->n - 1]);
	printf("\n");
}

static void json_lat(const char *size, const struct svm_lat *l, bool last)
{
	unsigned int i;

	printf("\"%s\": {\"n\": %u", size, l->n);
	for (i = 0; i < 3 && l->n; i++) {
		printf(", \"%s_p50_us\": %u, \"%s_p99_us\": %u", svm_stage[i],
		       l->us[i][l->n / 2], svm_stage[i], l->us[i][(l->n - 1) * 99 / 100]);
		printf(", \"%s_max_us\": %u", svm_stage[i], l->us[i][l->n - 1]);
	}
	printf("}%s", last ? "" : ", ");
}

static void print_json(bool svm, const struct first_touch *ft, double dm_mibs,
		       unsigned long long dm_faults, bool traced, const struct svm_lat *lat,
		       const struct live_ranges *lr, unsigned int nlr, const struct queues *qs)
{
	unsigned int i;

	printf("JSON {\"memcpy_mibs\": %.1f, \"jobs_per_s\": %.0f, \"job_us\": %.2f, ",
	       res.memcpy_mibs, res.jobs_per_s, res.job_us);
	printf("\"round_trip_p50_us\": %.0f, \"round_trip_p99_us\": %.0f, ",
	       res.rt_p50_us, res.rt_p99_us);
	printf("\"bo_faults_per_s\": %.0f, \"bo_fault_us\": %.1f, \"migrate_mibs\": %.1f, ",
	       res.faults_per_s, res.fault_us, res.migrate_mibs);
	if (!svm) {
		printf("\"svm\": null}\n");
		return;
	}
	printf("\"svm\": {\"kernel_clock\": \"%s\", \"first_touch\": [", svm_clock);
	for (i = 0; i < 3; i++) {
		printf("{\"range_max\": %llu, \"s\": %.4f, \"mibs\": %.1f, ",
		       ft[i].range_max, ft[i].s, ft[i].mibs);
		printf("\"x_memcpy\": %.4f, \"x_dmirror\": %.4f, ", ft[i].mibs / res.memcpy_mibs,
		       dm_mibs ? ft[i].mibs / dm_mibs : 0);
		printf("\"faults\": %llu, \"fault_us\": %.1f}%s", ft[i].faults, ft[i].fault_us,
		       i < 2 ? ", " : "");
	}
	printf("], \"dmirror_mibs\": %.1f, \"dmirror_faults\": %llu, ", dm_mibs, dm_faults);
	printf("\"fault_latency\": ");
	if (traced) {
		printf("{");
		json_lat("4K", &lat[0], false);
		json_lat("2M", &lat[1], true);
		printf("}, ");
	} else {
		printf("null, ");
	}
	printf("\"live_ranges\": [");
	for (i = 0; i < nlr; i++) {
		printf("{\"ranges\": %lu, \"live\": %lu, \"fault_us\": %.1f, ", lr[i].n,
		       lr[i].live, lr[i].fault_us);
		printf("\"wall_us\": %.1f, \"x_one\": %.3f, \"munmap_ms\": %.1f}%s", lr[i].wall_us,
		       lr[i].wall_us / lr[0].wall_us, lr[i].munmap_ms, i + 1 < nlr ? ", " : "");
	}
	printf("], \"queues\": {\"queues\": %u, \"engines\": %u, \"ms\": %.2f, ", SVM_QUEUES,
	       qs->engines, qs->ms);
	printf("\"faults\": %llu, \"coalesced\": %llu, \"valid\": %llu, \"get_pages\": %llu}}}\n",
	       qs->faults, qs->coalesced, qs->valid, qs->get_pages);
}

static void bench_svm(unsigned long max_ranges)
{
	static const unsigned long nranges[] = { 1, 1000, 100000 };
	struct first_touch ft[3] = {
		{ .range_max = SZ_4K }, { .range_max = SZ_64K }, { .range_max = SZ_2M },
	};
	struct first_touch traced[2] = { { .range_max = SZ_4K }, { .range_max = SZ_2M } };
	struct live_ranges lr[3] = {};
	struct svm_lat lat[2] = {};
	unsigned long long dm_faults = 0;
	double dm_mibs, dm_s = 0;
	struct queues qs = {};
	unsigned int i, nlr = 0;
	bool tracing;

	if (!svm_probe()) {
		print_json(false, NULL, 0, 0, false, NULL, NULL, 0, NULL);
		return;
	}
	atexit(svm_range_max_restore);
	svm_read_clock();

	for (i = 0; i < 3; i++)
		svm_first_touch(&ft[i], NULL);
	dm_mibs = svm_dmirror(&dm_faults, &dm_s);
	printf("svm: first touch of a 64 MiB malloc, read by the copy engine into a BO\n");
	printf("svm:   %-10s %9s %9s %9s %9s %8s %9s\n", "range max", "time s", "MiB/s",
	       "x memcpy", "x dmirror", "faults", "us/fault");
	for (i = 0; i < 3; i++) {
		printf("svm:   %6llu KiB %9.4f %9.1f %9.4f ", ft[i].range_max >> 10, ft[i].s,
		       ft[i].mibs, ft[i].mibs / res.memcpy_mibs);
		if (dm_mibs)
			printf("%9.4f", ft[i].mibs / dm_mibs);
		else
			printf("%9s", "-");
		printf(" %8llu %9.1f\n", ft[i].faults, ft[i].fault_us);
	}
	printf("svm:   %-10s %9.4f %9.1f %9.4f ", "memcpy", 64 / res.memcpy_mibs,
	       res.memcpy_mibs, 1.0);
	if (dm_mibs)
		printf("%9.4f\n", res.memcpy_mibs / dm_mibs);
	else
		printf("%9s\n", "-");
	if (dm_mibs)
		printf("svm:   %-10s %9.4f %9.1f %9.4f %9.4f %8llu   (HMM_DMIRROR_READ)\n",
		       "dmirror", dm_s, dm_mibs, dm_mibs / res.memcpy_mibs, 1.0, dm_faults);

	tracing = trace_open();
	if (tracing) {
		for (i = 0; i < 2; i++)
			svm_first_touch(&traced[i], &lat[i]);
		trace_close();
		printf("svm: fault service time, us (xe_svm_fault_done events of the first\n");
		printf("svm: touch, faults that got pages and bound a range)\n");
		printf("svm:   %-6s %7s   %20s   %20s   %20s\n", "range", "faults",
		       "get_pages p50/99/max", "bind p50/p99/max", "total p50/p99/max");
		print_lat("4 KiB", &lat[0]);
		print_lat("2 MiB", &lat[1]);
	}

	for (i = 0; i < 3 && nranges[i] <= max_ranges; i++) {
		lr[i].n = nranges[i];
		svm_live_ranges(&lr[i]);
		nlr++;
	}
	printf("svm: fault cost with live ranges: new 4 KiB faults (GPU reads of untouched\n");
	printf("svm: PROT_READ memory), wall time per fault (median of %u rounds of %u) and\n",
	       SVM_ROUNDS, SVM_NEW_FAULTS);
	printf("svm: the handler's own time (mean)\n");
	printf("svm:   %8s %8s %10s %10s %10s %10s %9s %9s\n", "ranges", "live", "wall us",
	       "x 1 range", "handler us", "x 1 range", "setup s", "munmap ms");
	for (i = 0; i < nlr; i++)
		printf("svm:   %8lu %8lu %10.1f %10.3f %10.1f %10.3f %9.2f %9.1f\n", lr[i].n,
		       lr[i].live, lr[i].wall_us, lr[i].wall_us / lr[0].wall_us, lr[i].fault_us,
		       lr[i].fault_us / lr[0].fault_us, lr[i].setup_s, lr[i].munmap_ms);

	svm_queues(&qs);
	printf("svm: %u exec queues on %u engines storing into one new page at once:\n",
	       SVM_QUEUES, qs.engines);
	printf("svm:   %.2f ms, %llu faults, %llu coalesced, %llu found valid, %llu get-pages\n",
	       qs.ms, qs.faults, qs.coalesced, qs.valid, qs.get_pages);

	svm_range_max_restore();
	if (svm_range_max_changed)
		printf("svm: could not set svm_range_max back to 2 MiB\n");
	print_json(true, ft, dm_mibs, dm_faults, tracing, lat, lr, nlr, &qs);
}

int main(int argc, char **argv)
{
	unsigned int jobs = argc > 1 ? atoi(argv[1]) : 2000;
	unsigned int faults = argc > 2 ? atoi(argv[2]) : 256;
	unsigned long ranges = argc > 3 ? strtoul(argv[3], NULL, 0) : 100000;

	fd = open_xe();
	calibrate();
	bench_memcpy();
	bench_jobs(jobs);
	bench_faults(faults);
	bench_migrate(8);
	bench_svm(ranges);
	return 0;
}
