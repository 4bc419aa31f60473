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
 */

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
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

static int fd;
static double tsc_hz;

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
		if (!ioctl(f, DRM_IOCTL_VERSION, &v) && !strcmp(name, "xe"))
			return f;
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
	free(a);
	free(b);
}

int main(int argc, char **argv)
{
	unsigned int jobs = argc > 1 ? atoi(argv[1]) : 2000;
	unsigned int faults = argc > 2 ? atoi(argv[2]) : 256;

	fd = open_xe();
	calibrate();
	bench_memcpy();
	bench_jobs(jobs);
	bench_faults(faults);
	bench_migrate(8);
	return 0;
}
