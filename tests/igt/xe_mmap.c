// SPDX-License-Identifier: GPL-2.0-only
/*
 * DRM_IOCTL_XE_GEM_MMAP_OFFSET and CPU mappings of buffer objects: argument
 * checking, mapping limits, zeroed new objects, data persistence across
 * mappings, lifetime after GEM_CLOSE and VRAM eviction.
 *
 * The harness's EXPECT_*() and ASSERT_*() macros expand to two statements,
 * so they are always braced when they form the body of an if, else or for.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/types.h>
#include <unistd.h>

#include <linux/capability.h>

#include "kselftest_harness.h"
#include "xe_ioctl.h"

#ifndef CAP_PERFMON
#define CAP_PERFMON 38
#endif

#define BO_SIZE		SZ_1M
#define EVICT_BO_SIZE	SZ_4M

struct bo_kind {
	const char *name;
	bool vram;
	uint16_t cpu_caching;
};

static const struct bo_kind kinds[] = {
	{ "sysmem-wb", false, DRM_XE_GEM_CPU_CACHING_WB },
	{ "sysmem-wc", false, DRM_XE_GEM_CPU_CACHING_WC },
	{ "vram", true, DRM_XE_GEM_CPU_CACHING_WC },
};

FIXTURE(xe_mmap) {
	int fd;
	uint32_t sysmem;
	uint32_t vram;
	uint64_t vram_size;
	size_t page;
};

FIXTURE_SETUP(xe_mmap)
{
	self->fd = drm_open_driver_xe();
	if (self->fd < 0 && !xe_devices_expected())
		SKIP(return, "no xe device found");
	ASSERT_GE(self->fd, 0) {
		TH_LOG("xe is loaded but no device could be opened: %s", strerror(errno));
	}

	self->sysmem = xe_region_mask(self->fd, DRM_XE_MEM_REGION_CLASS_SYSMEM);
	self->vram = xe_region_mask(self->fd, DRM_XE_MEM_REGION_CLASS_VRAM);
	self->vram_size = xe_vram_size(self->fd);
	self->page = sysconf(_SC_PAGESIZE);
	ASSERT_NE(0u, self->sysmem);
	ASSERT_NE(0u, self->vram);
	ASSERT_NE(0u, self->vram_size);
}

FIXTURE_TEARDOWN(xe_mmap)
{
	close(self->fd);
}

static uint32_t create_kind(const FIXTURE_DATA(xe_mmap) *self, const struct bo_kind *k,
			    uint64_t size)
{
	return xe_bo_create(self->fd, size, k->vram ? self->vram : self->sysmem, k->cpu_caching);
}

static uint64_t pattern(uint32_t seed, size_t i)
{
	return ((uint64_t)seed << 40) ^ (i * 0x9e3779b97f4a7c15ull) ^ i;
}

/*
 * The mapped memory must really be written and read back: keep the compiler
 * from forwarding values of fill() to check() or dropping stores.
 */
static inline void barrier(void)
{
	__asm__ __volatile__("" : : : "memory");
}

static void fill(void *ptr, size_t size, uint32_t seed)
{
	uint64_t *p = ptr;
	size_t i;

	for (i = 0; i < size / sizeof(*p); i++)
		p[i] = pattern(seed, i);
	barrier();
}

/* Index of the first word not matching the pattern, or -1. */
static ssize_t check(const void *ptr, size_t size, uint32_t seed)
{
	const uint64_t *p = ptr;
	size_t i;

	barrier();
	for (i = 0; i < size / sizeof(*p); i++)
		if (p[i] != pattern(seed, i))
			return i;
	return -1;
}

/* Index of the first non-zero word, or -1. */
static ssize_t check_zero(const void *ptr, size_t size)
{
	const uint64_t *p = ptr;
	size_t i;

	barrier();
	for (i = 0; i < size / sizeof(*p); i++)
		if (p[i])
			return i;
	return -1;
}

static void *map_bo(int fd, uint64_t offset, size_t size)
{
	void *ptr = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)offset);

	return ptr == MAP_FAILED ? NULL : ptr;
}

TEST_F(xe_mmap, invalid_extensions)
{
	struct drm_xe_user_extension ext = { .name = 0 };
	struct drm_xe_gem_mmap_offset mo;
	uint32_t handle;

	handle = xe_bo_create(self->fd, SZ_4K, self->sysmem, DRM_XE_GEM_CPU_CACHING_WB);
	ASSERT_NE(0u, handle);

	memset(&mo, 0, sizeof(mo));
	mo.handle = handle;
	mo.extensions = to_user_pointer(&ext);
	EXPECT_EQ(-EINVAL, __xe_mmap_offset(self->fd, &mo));

	mo.extensions = 1;
	EXPECT_EQ(-EINVAL, __xe_mmap_offset(self->fd, &mo));

	mo.extensions = 0;
	EXPECT_EQ(0, __xe_mmap_offset(self->fd, &mo));
	EXPECT_EQ(0, gem_close(self->fd, handle));
}

TEST_F(xe_mmap, invalid_flags)
{
	uint32_t flags[] = { 1, 2, 1u << 31, ~0u };
	struct drm_xe_gem_mmap_offset mo;
	uint32_t handle;
	size_t i;

	handle = xe_bo_create(self->fd, SZ_4K, self->sysmem, DRM_XE_GEM_CPU_CACHING_WB);
	ASSERT_NE(0u, handle);

	for (i = 0; i < ARRAY_SIZE(flags); i++) {
		memset(&mo, 0, sizeof(mo));
		mo.handle = handle;
		mo.flags = flags[i];
		EXPECT_EQ(-EINVAL, __xe_mmap_offset(self->fd, &mo)) {
			TH_LOG("flags %#x", flags[i]);
		}
	}
	EXPECT_EQ(0, gem_close(self->fd, handle));
}

TEST_F(xe_mmap, invalid_reserved)
{
	struct drm_xe_gem_mmap_offset mo;
	uint32_t handle;
	size_t i;

	handle = xe_bo_create(self->fd, SZ_4K, self->sysmem, DRM_XE_GEM_CPU_CACHING_WB);
	ASSERT_NE(0u, handle);

	for (i = 0; i < ARRAY_SIZE(mo.reserved); i++) {
		memset(&mo, 0, sizeof(mo));
		mo.handle = handle;
		mo.reserved[i] = 1;
		EXPECT_EQ(-EINVAL, __xe_mmap_offset(self->fd, &mo));

		mo.reserved[i] = ~0ull;
		EXPECT_EQ(-EINVAL, __xe_mmap_offset(self->fd, &mo));
	}
	EXPECT_EQ(0, gem_close(self->fd, handle));
}

/* Handles that do not name an object of this file descriptor. */
TEST_F(xe_mmap, invalid_handle)
{
	uint32_t bad[] = { 0, 1, 0x7fffffff, ~0u };
	uint32_t handle, other;
	uint64_t offset;
	size_t i;
	int fd2;

	/* no object exists on this file descriptor yet */
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		EXPECT_EQ(-ENOENT, __xe_bo_mmap_offset(self->fd, bad[i], &offset)) {
			TH_LOG("handle %#x", bad[i]);
		}
	}

	/* a closed handle */
	handle = xe_bo_create(self->fd, SZ_4K, self->sysmem, DRM_XE_GEM_CPU_CACHING_WB);
	ASSERT_NE(0u, handle);
	ASSERT_EQ(0, __xe_bo_mmap_offset(self->fd, handle, &offset));
	ASSERT_EQ(0, gem_close(self->fd, handle));
	EXPECT_EQ(-ENOENT, __xe_bo_mmap_offset(self->fd, handle, &offset));

	/* a handle that only exists on another file descriptor */
	fd2 = drm_open_driver_xe();
	ASSERT_GE(fd2, 0);
	other = xe_bo_create(fd2, SZ_4K, self->sysmem, DRM_XE_GEM_CPU_CACHING_WB);
	ASSERT_NE(0u, other);
	EXPECT_EQ(-ENOENT, __xe_bo_mmap_offset(self->fd, other, &offset));
	EXPECT_EQ(0, __xe_bo_mmap_offset(fd2, other, &offset));
	EXPECT_EQ(0, gem_close(fd2, other));
	close(fd2);
}

/* Offsets are page aligned, distinct per object and usable with mmap(). */
TEST_F(xe_mmap, offset)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(kinds); i++) {
		uint64_t off_a, off_b;
		uint32_t a, b;
		void *ptr;

		a = create_kind(self, &kinds[i], SZ_64K);
		b = create_kind(self, &kinds[i], SZ_64K);
		ASSERT_NE(0u, a);
		ASSERT_NE(0u, b);

		ASSERT_EQ(0, __xe_bo_mmap_offset(self->fd, a, &off_a));
		ASSERT_EQ(0, __xe_bo_mmap_offset(self->fd, b, &off_b));
		EXPECT_EQ(0u, off_a % self->page);
		EXPECT_EQ(0u, off_b % self->page);
		EXPECT_NE(off_a, off_b) {
			TH_LOG("%s: two objects share offset %#llx", kinds[i].name,
			       (unsigned long long)off_a);
		}

		ptr = map_bo(self->fd, off_a, SZ_64K);
		EXPECT_NE(NULL, ptr) {
			TH_LOG("%s: mmap: %s", kinds[i].name, strerror(errno));
		}
		if (ptr) {
			EXPECT_EQ(0, munmap(ptr, SZ_64K));
		}

		EXPECT_EQ(0, gem_close(self->fd, a));
		EXPECT_EQ(0, gem_close(self->fd, b));
	}
}

/* A mapping may cover part or all of the object, but not more. */
TEST_F(xe_mmap, map_length)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(kinds); i++) {
		const size_t size = 2 * self->page;
		uint64_t offset;
		uint32_t handle;
		void *ptr;

		handle = create_kind(self, &kinds[i], size);
		ASSERT_NE(0u, handle);
		ASSERT_EQ(0, __xe_bo_mmap_offset(self->fd, handle, &offset));

		errno = 0;
		ptr = mmap(NULL, size + self->page, PROT_READ | PROT_WRITE, MAP_SHARED,
			   self->fd, (off_t)offset);
		EXPECT_EQ(MAP_FAILED, ptr) {
			TH_LOG("%s: mapping past the end succeeded", kinds[i].name);
		}
		EXPECT_EQ(EINVAL, errno);
		if (ptr != MAP_FAILED)
			munmap(ptr, size + self->page);

		ptr = map_bo(self->fd, offset, self->page);
		ASSERT_NE(NULL, ptr);
		fill(ptr, self->page, 7);
		EXPECT_EQ(0, munmap(ptr, self->page));

		ptr = map_bo(self->fd, offset, size);
		ASSERT_NE(NULL, ptr);
		EXPECT_EQ(-1, check(ptr, self->page, 7));
		EXPECT_EQ(-1, check_zero((char *)ptr + self->page, self->page));
		EXPECT_EQ(0, munmap(ptr, size));

		EXPECT_EQ(0, gem_close(self->fd, handle));
	}
}

/* New objects read as zero, even when memory of a freed object is reused. */
TEST_F(xe_mmap, zero_fill)
{
	size_t i;
	int round;

	for (i = 0; i < ARRAY_SIZE(kinds); i++) {
		for (round = 0; round < 4; round++) {
			uint32_t handle;
			void *ptr;

			handle = create_kind(self, &kinds[i], BO_SIZE);
			ASSERT_NE(0u, handle);
			ptr = xe_bo_map(self->fd, handle, BO_SIZE);
			ASSERT_NE(NULL, ptr);

			EXPECT_EQ(-1, check_zero(ptr, BO_SIZE)) {
				TH_LOG("%s, round %d: new object is not zeroed", kinds[i].name,
				       round);
			}

			/* dirty it for the next round */
			memset(ptr, 0xff, BO_SIZE);
			EXPECT_EQ(0, munmap(ptr, BO_SIZE));
			EXPECT_EQ(0, gem_close(self->fd, handle));
		}
	}
}

/* Data written through a mapping is there in a later mapping. */
TEST_F(xe_mmap, persist)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(kinds); i++) {
		uint32_t handle;
		void *ptr;

		handle = create_kind(self, &kinds[i], BO_SIZE);
		ASSERT_NE(0u, handle);

		ptr = xe_bo_map(self->fd, handle, BO_SIZE);
		ASSERT_NE(NULL, ptr);
		fill(ptr, BO_SIZE, 100 + i);
		EXPECT_EQ(-1, check(ptr, BO_SIZE, 100 + i));
		EXPECT_EQ(0, munmap(ptr, BO_SIZE));

		/* a fresh offset lookup and a fresh mapping */
		ptr = xe_bo_map(self->fd, handle, BO_SIZE);
		ASSERT_NE(NULL, ptr);
		EXPECT_EQ(-1, check(ptr, BO_SIZE, 100 + i)) {
			TH_LOG("%s: data lost after munmap", kinds[i].name);
		}

		/* overwrite, unmap, look again */
		fill(ptr, BO_SIZE, 200 + i);
		EXPECT_EQ(0, munmap(ptr, BO_SIZE));
		ptr = xe_bo_map(self->fd, handle, BO_SIZE);
		ASSERT_NE(NULL, ptr);
		EXPECT_EQ(-1, check(ptr, BO_SIZE, 200 + i));
		EXPECT_EQ(0, munmap(ptr, BO_SIZE));

		EXPECT_EQ(0, gem_close(self->fd, handle));
	}
}

/* Two simultaneous mappings of one object see each other's writes. */
TEST_F(xe_mmap, two_mappings)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(kinds); i++) {
		uint32_t handle;
		void *a, *b;

		handle = create_kind(self, &kinds[i], BO_SIZE);
		ASSERT_NE(0u, handle);
		a = xe_bo_map(self->fd, handle, BO_SIZE);
		b = xe_bo_map(self->fd, handle, BO_SIZE);
		ASSERT_NE(NULL, a);
		ASSERT_NE(NULL, b);
		ASSERT_NE(a, b);

		fill(a, BO_SIZE, 300 + i);
		EXPECT_EQ(-1, check(b, BO_SIZE, 300 + i)) {
			TH_LOG("%s: second mapping misses writes of the first", kinds[i].name);
		}

		fill(b, BO_SIZE, 400 + i);
		EXPECT_EQ(-1, check(a, BO_SIZE, 400 + i)) {
			TH_LOG("%s: first mapping misses writes of the second", kinds[i].name);
		}

		EXPECT_EQ(0, munmap(a, BO_SIZE));
		EXPECT_EQ(-1, check(b, BO_SIZE, 400 + i));
		EXPECT_EQ(0, munmap(b, BO_SIZE));
		EXPECT_EQ(0, gem_close(self->fd, handle));
	}
}

/* A mapping keeps the object alive after its handle is closed. */
TEST_F(xe_mmap, close_while_mapped)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(kinds); i++) {
		uint64_t offset;
		uint32_t handle;
		void *ptr;

		handle = create_kind(self, &kinds[i], BO_SIZE);
		ASSERT_NE(0u, handle);
		ptr = xe_bo_map(self->fd, handle, BO_SIZE);
		ASSERT_NE(NULL, ptr);
		fill(ptr, BO_SIZE, 500 + i);

		ASSERT_EQ(0, gem_close(self->fd, handle));
		EXPECT_EQ(-ENOENT, __xe_bo_mmap_offset(self->fd, handle, &offset));

		EXPECT_EQ(-1, check(ptr, BO_SIZE, 500 + i)) {
			TH_LOG("%s: data lost after GEM_CLOSE", kinds[i].name);
		}
		fill(ptr, BO_SIZE, 600 + i);
		EXPECT_EQ(-1, check(ptr, BO_SIZE, 600 + i));

		EXPECT_EQ(0, munmap(ptr, BO_SIZE));
	}
}

/*
 * Twice the VRAM size in VRAM-only objects, each filled through a mapping:
 * objects pushed out of VRAM keep their contents.
 */
TEST_F_TIMEOUT(xe_mmap, evict, 600)
{
	struct drm_xe_query_mem_regions *regions;
	const struct drm_xe_mem_region *vram;
	uint32_t *handles;
	size_t count, i;
	long avail;
	void *ptr;

	count = 2 * self->vram_size / EVICT_BO_SIZE;
	ASSERT_GE(count, 2u);

	avail = sysconf(_SC_AVPHYS_PAGES);
	if (avail > 0 && (uint64_t)avail * self->page < count * EVICT_BO_SIZE + 64 * SZ_1M)
		SKIP(return, "not enough free memory for %zu MiB of evicted objects",
		     (size_t)(count * EVICT_BO_SIZE / SZ_1M));

	handles = calloc(count, sizeof(*handles));
	ASSERT_NE(NULL, handles);

	for (i = 0; i < count; i++) {
		handles[i] = xe_bo_create(self->fd, EVICT_BO_SIZE, self->vram,
					  DRM_XE_GEM_CPU_CACHING_WC);
		ASSERT_NE(0u, handles[i]) {
			TH_LOG("object %zu of %zu: %s", i, count, strerror(errno));
		}
		ptr = xe_bo_map(self->fd, handles[i], EVICT_BO_SIZE);
		ASSERT_NE(NULL, ptr) {
			TH_LOG("mapping object %zu: %s", i, strerror(errno));
		}
		fill(ptr, EVICT_BO_SIZE, i + 1);
		ASSERT_EQ(0, munmap(ptr, EVICT_BO_SIZE));
	}

	if (xe_has_cap(CAP_PERFMON) || xe_has_cap(CAP_SYS_ADMIN)) {
		regions = xe_get_mem_regions(self->fd);
		ASSERT_NE(NULL, regions);
		vram = xe_find_region(regions, DRM_XE_MEM_REGION_CLASS_VRAM);
		ASSERT_NE(NULL, vram);
		EXPECT_LE(vram->used, vram->total_size);
		EXPECT_GT(vram->used, 0u);
		free(regions);
	}

	/* oldest first, then newest first: each check may evict others again */
	for (i = 0; i < 2 * count; i++) {
		size_t n = i < count ? i : 2 * count - 1 - i;
		ssize_t bad;

		ptr = xe_bo_map(self->fd, handles[n], EVICT_BO_SIZE);
		ASSERT_NE(NULL, ptr);
		bad = check(ptr, EVICT_BO_SIZE, n + 1);
		EXPECT_EQ(-1, bad) {
			TH_LOG("object %zu, word %zd: %#llx", n, bad,
			       (unsigned long long)((uint64_t *)ptr)[bad]);
		}
		ASSERT_EQ(0, munmap(ptr, EVICT_BO_SIZE));
	}

	for (i = 0; i < count; i++) {
		EXPECT_EQ(0, gem_close(self->fd, handles[i]));
	}
	free(handles);
}


static int write_knob(const char *path, const char *value)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, value, strlen(value));
	close(fd);
	return n < 0 ? -errno : 0;
}

/*
 * A move whose copy the copy engine fails leaves the object where it was,
 * contents intact; the next move, on a fresh migration queue, succeeds.
 */
TEST_F_TIMEOUT(xe_mmap, evict_copy_fail, 300)
{
	const char *knob = "/sys/kernel/debug/xe_emu/0/copy_fail";
	uint64_t half = self->vram_size / 2;
	uint32_t a, b;
	void *ptr;

	if (access(knob, W_OK))
		SKIP(return, "no %s (needs a debug kernel)", knob);

	a = xe_bo_create(self->fd, half, self->vram, DRM_XE_GEM_CPU_CACHING_WC);
	ASSERT_NE(0u, a);
	ptr = xe_bo_map(self->fd, a, half);
	ASSERT_NE(NULL, ptr);
	fill(ptr, half, 0xa11);
	ASSERT_EQ(0, munmap(ptr, half));

	/* Making room for b must evict a, and that copy fails. */
	ASSERT_EQ(0, write_knob(knob, "1"));
	b = xe_bo_create(self->fd, self->vram_size, self->vram, DRM_XE_GEM_CPU_CACHING_WC);
	EXPECT_EQ(0u, b);
	write_knob(knob, "0");
	if (b)
		gem_close(self->fd, b);

	ptr = xe_bo_map(self->fd, a, half);
	ASSERT_NE(NULL, ptr);
	EXPECT_EQ(-1, check(ptr, half, 0xa11));
	ASSERT_EQ(0, munmap(ptr, half));

	/* Without the fault, the same request goes through and a moves intact. */
	b = xe_bo_create(self->fd, self->vram_size, self->vram, DRM_XE_GEM_CPU_CACHING_WC);
	ASSERT_NE(0u, b);
	ptr = xe_bo_map(self->fd, a, half);
	ASSERT_NE(NULL, ptr);
	EXPECT_EQ(-1, check(ptr, half, 0xa11));
	ASSERT_EQ(0, munmap(ptr, half));

	EXPECT_EQ(0, gem_close(self->fd, b));
	EXPECT_EQ(0, gem_close(self->fd, a));
}

TEST_HARNESS_MAIN
