// SPDX-License-Identifier: GPL-2.0-only
/*
 * DRM_IOCTL_XE_GEM_CREATE: valid placements, caching modes and flags, the
 * rejection of every malformed field on its own, size limits and VRAM
 * overcommit.
 *
 * The harness's EXPECT_*() and ASSERT_*() macros expand to two statements,
 * so they are always braced when they form the body of an if, else or for.
 */

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "xe_ioctl.h"

#define KNOWN_FLAGS (DRM_XE_GEM_CREATE_FLAG_DEFER_BACKING | \
		     DRM_XE_GEM_CREATE_FLAG_SCANOUT | \
		     DRM_XE_GEM_CREATE_FLAG_NEEDS_VISIBLE_VRAM)

FIXTURE(xe_create) {
	int fd;
	uint32_t sysmem;	/* placement bit of system memory */
	uint32_t vram;		/* placement bit of VRAM */
	uint64_t vram_size;
};

FIXTURE_SETUP(xe_create)
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
	ASSERT_NE(0u, self->sysmem);
	ASSERT_NE(0u, self->vram);
	ASSERT_NE(0u, self->vram_size);
}

FIXTURE_TEARDOWN(xe_create)
{
	close(self->fd);
}

/* A request that succeeds: one page of cached system memory. */
static struct drm_xe_gem_create sysmem_args(const FIXTURE_DATA(xe_create) *self)
{
	struct drm_xe_gem_create c = {
		.size = SZ_4K,
		.placement = self->sysmem,
		.cpu_caching = DRM_XE_GEM_CPU_CACHING_WB,
	};

	return c;
}

/* A request that succeeds: one page of VRAM. */
static struct drm_xe_gem_create vram_args(const FIXTURE_DATA(xe_create) *self)
{
	struct drm_xe_gem_create c = {
		.size = SZ_4K,
		.placement = self->vram,
		.cpu_caching = DRM_XE_GEM_CPU_CACHING_WC,
	};

	return c;
}

/* Creates the object, checks the handle and closes it again; returns -errno. */
static int create_and_close(int fd, struct drm_xe_gem_create c)
{
	int ret;

	ret = __xe_gem_create(fd, &c);
	if (ret)
		return ret;
	if (!c.handle)
		return -EBADF;
	return gem_close(fd, c.handle);
}

TEST_F(xe_create, sysmem)
{
	const uint64_t sizes[] = { SZ_4K, 2 * SZ_4K, SZ_64K, SZ_1M, SZ_4M + SZ_4K };
	const uint16_t caching[] = { DRM_XE_GEM_CPU_CACHING_WB, DRM_XE_GEM_CPU_CACHING_WC };
	struct drm_xe_gem_create c;
	size_t i, j;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		for (j = 0; j < ARRAY_SIZE(caching); j++) {
			c = sysmem_args(self);
			c.size = sizes[i];
			c.cpu_caching = caching[j];
			ASSERT_EQ(0, __xe_gem_create(self->fd, &c)) {
				TH_LOG("size %#llx, caching %u", (unsigned long long)sizes[i],
				       caching[j]);
			}
			EXPECT_NE(0u, c.handle);
			EXPECT_EQ(0, gem_close(self->fd, c.handle));
		}
	}
}

TEST_F(xe_create, vram)
{
	const uint64_t sizes[] = { SZ_4K, 2 * SZ_4K, SZ_64K, SZ_1M, SZ_4M + SZ_4K };
	struct drm_xe_gem_create c;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		c = vram_args(self);
		c.size = sizes[i];
		ASSERT_EQ(0, __xe_gem_create(self->fd, &c)) {
			TH_LOG("size %#llx", (unsigned long long)sizes[i]);
		}
		EXPECT_NE(0u, c.handle);
		EXPECT_EQ(0, gem_close(self->fd, c.handle));
	}
}

/* Objects allowed in both regions. */
TEST_F(xe_create, vram_or_sysmem)
{
	struct drm_xe_gem_create c = vram_args(self);

	c.placement = self->vram | self->sysmem;
	EXPECT_EQ(0, create_and_close(self->fd, c));

	c.size = SZ_1M;
	EXPECT_EQ(0, create_and_close(self->fd, c));
}

/* Every defined flag, alone and together, in a placement it is valid for. */
TEST_F(xe_create, valid_flags)
{
	struct drm_xe_gem_create c;

	c = sysmem_args(self);
	c.flags = DRM_XE_GEM_CREATE_FLAG_DEFER_BACKING;
	EXPECT_EQ(0, create_and_close(self->fd, c));

	c = vram_args(self);
	c.flags = DRM_XE_GEM_CREATE_FLAG_DEFER_BACKING;
	EXPECT_EQ(0, create_and_close(self->fd, c));

	c = sysmem_args(self);
	c.cpu_caching = DRM_XE_GEM_CPU_CACHING_WC;
	c.flags = DRM_XE_GEM_CREATE_FLAG_SCANOUT;
	EXPECT_EQ(0, create_and_close(self->fd, c));

	c = vram_args(self);
	c.flags = DRM_XE_GEM_CREATE_FLAG_SCANOUT;
	EXPECT_EQ(0, create_and_close(self->fd, c));

	c = vram_args(self);
	c.flags = DRM_XE_GEM_CREATE_FLAG_NEEDS_VISIBLE_VRAM;
	EXPECT_EQ(0, create_and_close(self->fd, c));

	c = vram_args(self);
	c.placement |= self->sysmem;
	c.flags = DRM_XE_GEM_CREATE_FLAG_NEEDS_VISIBLE_VRAM;
	EXPECT_EQ(0, create_and_close(self->fd, c));

	c = vram_args(self);
	c.flags = KNOWN_FLAGS;
	EXPECT_EQ(0, create_and_close(self->fd, c));
}

/* Live objects get distinct non-zero handles; a closed handle is gone. */
TEST_F(xe_create, unique_handles)
{
	uint32_t handles[64];
	size_t i, j;

	for (i = 0; i < ARRAY_SIZE(handles); i++) {
		handles[i] = xe_bo_create(self->fd, SZ_4K, i & 1 ? self->vram : self->sysmem,
					  DRM_XE_GEM_CPU_CACHING_WC);
		ASSERT_NE(0u, handles[i]);
		for (j = 0; j < i; j++) {
			ASSERT_NE(handles[j], handles[i]);
		}
	}

	for (i = 0; i < ARRAY_SIZE(handles); i++) {
		EXPECT_EQ(0, gem_close(self->fd, handles[i]));
	}

	/* Closing twice fails in the DRM core. */
	EXPECT_EQ(-EINVAL, gem_close(self->fd, handles[0]));
}

TEST_F(xe_create, invalid_extensions)
{
	struct drm_xe_user_extension ext = { .name = 0 };
	uint64_t values[] = { to_user_pointer(&ext), 1, ~0ull };
	struct drm_xe_gem_create c;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(values); i++) {
		c = sysmem_args(self);
		c.extensions = values[i];
		EXPECT_EQ(-EINVAL, __xe_gem_create(self->fd, &c));
		EXPECT_EQ(0u, c.handle);
	}
	EXPECT_EQ(0, create_and_close(self->fd, sysmem_args(self)));
}

TEST_F(xe_create, invalid_reserved)
{
	struct drm_xe_gem_create c;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(c.reserved); i++) {
		c = sysmem_args(self);
		c.reserved[i] = 1;
		EXPECT_EQ(-EINVAL, __xe_gem_create(self->fd, &c));

		c = vram_args(self);
		c.reserved[i] = ~0ull;
		EXPECT_EQ(-EINVAL, __xe_gem_create(self->fd, &c));
	}
}

TEST_F(xe_create, invalid_pad)
{
	struct drm_xe_gem_create c;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(c.pad); i++) {
		c = sysmem_args(self);
		c.pad[i] = 1;
		EXPECT_EQ(-EINVAL, __xe_gem_create(self->fd, &c)) {
			TH_LOG("pad[%zu]", i);
		}

		c = vram_args(self);
		c.pad[i] = 0xffff;
		EXPECT_EQ(-EINVAL, __xe_gem_create(self->fd, &c)) {
			TH_LOG("pad[%zu]", i);
		}
	}
}

/* handle is output only and must be zero on input. */
TEST_F(xe_create, nonzero_handle)
{
	struct drm_xe_gem_create c;
	uint32_t live;

	live = xe_bo_create(self->fd, SZ_4K, self->sysmem, DRM_XE_GEM_CPU_CACHING_WB);
	ASSERT_NE(0u, live);

	c = sysmem_args(self);
	c.handle = 1;
	EXPECT_EQ(-EINVAL, __xe_gem_create(self->fd, &c));

	c = sysmem_args(self);
	c.handle = live;
	EXPECT_EQ(-EINVAL, __xe_gem_create(self->fd, &c));

	c = sysmem_args(self);
	c.handle = ~0u;
	EXPECT_EQ(-EINVAL, __xe_gem_create(self->fd, &c));

	EXPECT_EQ(0, gem_close(self->fd, live));
}

TEST_F(xe_create, invalid_flags)
{
	struct drm_xe_gem_create c;
	unsigned int bit;

	for (bit = 0; bit < 32; bit++) {
		if (KNOWN_FLAGS & (1u << bit))
			continue;

		c = sysmem_args(self);
		c.flags = 1u << bit;
		EXPECT_EQ(-EINVAL, __xe_gem_create(self->fd, &c)) {
			TH_LOG("flag bit %u", bit);
		}

		c = vram_args(self);
		c.flags = DRM_XE_GEM_CREATE_FLAG_NEEDS_VISIBLE_VRAM | (1u << bit);
		EXPECT_EQ(-EINVAL, __xe_gem_create(self->fd, &c)) {
			TH_LOG("flag bit %u with NEEDS_VISIBLE_VRAM", bit);
		}
	}
}

TEST_F(xe_create, invalid_placement)
{
	const uint32_t valid = self->sysmem | self->vram;
	uint32_t bad[] = { 0, 1u << 2, 1u << 31, ~0u, valid | (1u << 2), self->sysmem << 16 };
	struct drm_xe_gem_create c;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		c = sysmem_args(self);
		c.cpu_caching = DRM_XE_GEM_CPU_CACHING_WC;
		c.placement = bad[i];
		EXPECT_EQ(-EINVAL, __xe_gem_create(self->fd, &c)) {
			TH_LOG("placement %#x", bad[i]);
		}
	}
}

/* NEEDS_VISIBLE_VRAM makes no sense without VRAM in the placement. */
TEST_F(xe_create, visible_vram_needs_vram)
{
	struct drm_xe_gem_create c;

	c = sysmem_args(self);
	c.flags = DRM_XE_GEM_CREATE_FLAG_NEEDS_VISIBLE_VRAM;
	EXPECT_EQ(-EINVAL, __xe_gem_create(self->fd, &c));

	c = sysmem_args(self);
	c.cpu_caching = DRM_XE_GEM_CPU_CACHING_WC;
	c.flags = DRM_XE_GEM_CREATE_FLAG_NEEDS_VISIBLE_VRAM;
	EXPECT_EQ(-EINVAL, __xe_gem_create(self->fd, &c));
}

TEST_F(xe_create, invalid_cpu_caching)
{
	uint16_t bad[] = { 0, 3, 4, 0x100, 0xffff };
	struct drm_xe_gem_create c;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		c = sysmem_args(self);
		c.cpu_caching = bad[i];
		EXPECT_EQ(-EINVAL, __xe_gem_create(self->fd, &c)) {
			TH_LOG("sysmem, cpu_caching %u", bad[i]);
		}

		c = vram_args(self);
		c.cpu_caching = bad[i];
		EXPECT_EQ(-EINVAL, __xe_gem_create(self->fd, &c)) {
			TH_LOG("vram, cpu_caching %u", bad[i]);
		}
	}
}

/* Write-back caching is refused for anything that may live in VRAM. */
TEST_F(xe_create, wb_vram)
{
	struct drm_xe_gem_create c;

	c = vram_args(self);
	c.cpu_caching = DRM_XE_GEM_CPU_CACHING_WB;
	EXPECT_EQ(-EINVAL, __xe_gem_create(self->fd, &c));

	c.placement = self->vram | self->sysmem;
	EXPECT_EQ(-EINVAL, __xe_gem_create(self->fd, &c));

	c.flags = DRM_XE_GEM_CREATE_FLAG_NEEDS_VISIBLE_VRAM;
	EXPECT_EQ(-EINVAL, __xe_gem_create(self->fd, &c));
}

/* Scanout objects must not be write-back. */
TEST_F(xe_create, scanout_wb)
{
	struct drm_xe_gem_create c = sysmem_args(self);

	c.flags = DRM_XE_GEM_CREATE_FLAG_SCANOUT;
	EXPECT_EQ(-EINVAL, __xe_gem_create(self->fd, &c));

	c.flags |= DRM_XE_GEM_CREATE_FLAG_DEFER_BACKING;
	EXPECT_EQ(-EINVAL, __xe_gem_create(self->fd, &c));
}

/* Sizes must be non-zero multiples of the 4 KiB minimum page size. */
TEST_F(xe_create, invalid_size)
{
	uint64_t bad[] = { 0, 1, 512, SZ_4K - 1, SZ_4K + 1, SZ_4K + 2048, 2 * SZ_4K - 1,
			   SZ_1M + 8 };
	struct drm_xe_gem_create c;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		c = sysmem_args(self);
		c.size = bad[i];
		EXPECT_EQ(-EINVAL, __xe_gem_create(self->fd, &c)) {
			TH_LOG("sysmem, size %#llx", (unsigned long long)bad[i]);
		}

		c = vram_args(self);
		c.size = bad[i];
		EXPECT_EQ(-EINVAL, __xe_gem_create(self->fd, &c)) {
			TH_LOG("vram, size %#llx", (unsigned long long)bad[i]);
		}
	}
}

/* Objects bigger than every region they may be placed in. */
TEST_F(xe_create, too_large)
{
	struct drm_xe_gem_create c;

	c = vram_args(self);
	c.size = 1ull << 40;
	EXPECT_EQ(-ENOSPC, __xe_gem_create(self->fd, &c));

	c = vram_args(self);
	c.size = self->vram_size + SZ_4K;
	EXPECT_EQ(-ENOSPC, __xe_gem_create(self->fd, &c));

	c = vram_args(self);
	c.size = 2 * self->vram_size;
	EXPECT_EQ(-ENOSPC, __xe_gem_create(self->fd, &c));

	c = sysmem_args(self);
	c.size = -1ull << 32;
	EXPECT_EQ(-ENOSPC, __xe_gem_create(self->fd, &c));

	c = sysmem_args(self);
	c.cpu_caching = DRM_XE_GEM_CPU_CACHING_WC;
	c.placement = self->sysmem | self->vram;
	c.size = -1ull << 32;
	EXPECT_EQ(-ENOSPC, __xe_gem_create(self->fd, &c));
}

/* No VM can exist yet, so any vm_id is unknown. */
TEST_F(xe_create, invalid_vm)
{
	uint32_t ids[] = { 1, 2, 0x1000, ~0u };
	struct drm_xe_gem_create c;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(ids); i++) {
		c = sysmem_args(self);
		c.vm_id = ids[i];
		EXPECT_EQ(-ENOENT, __xe_gem_create(self->fd, &c)) {
			TH_LOG("vm_id %u", ids[i]);
		}

		c = vram_args(self);
		c.vm_id = ids[i];
		EXPECT_EQ(-ENOENT, __xe_gem_create(self->fd, &c)) {
			TH_LOG("vm_id %u", ids[i]);
		}
	}
}

/* One object may take the whole of VRAM. */
TEST_F(xe_create, vram_full_size)
{
	struct drm_xe_gem_create c = vram_args(self);

	c.size = self->vram_size;
	EXPECT_EQ(0, create_and_close(self->fd, c));
}

/* Creating twice the VRAM size in VRAM-only objects works: older ones get evicted. */
TEST_F_TIMEOUT(xe_create, vram_overcommit, 300)
{
	const uint64_t bo_size = SZ_4M;
	uint32_t *handles;
	size_t count, i;

	count = 2 * self->vram_size / bo_size;
	ASSERT_GT(count, 0u);
	handles = calloc(count, sizeof(*handles));
	ASSERT_NE(NULL, handles);

	for (i = 0; i < count; i++) {
		handles[i] = xe_bo_create(self->fd, bo_size, self->vram,
					  DRM_XE_GEM_CPU_CACHING_WC);
		ASSERT_NE(0u, handles[i]) {
			TH_LOG("object %zu of %zu: %s", i, count, strerror(errno));
		}
	}

	for (i = 0; i < count; i++) {
		EXPECT_EQ(0, gem_close(self->fd, handles[i]));
	}
	free(handles);
}

/* The render node accepts object creation as well. */
TEST_F(xe_create, render_node)
{
	struct drm_xe_gem_create c;
	int rfd;

	rfd = drm_open_render_xe();
	ASSERT_GE(rfd, 0);

	c = sysmem_args(self);
	EXPECT_EQ(0, create_and_close(rfd, c));
	c = vram_args(self);
	EXPECT_EQ(0, create_and_close(rfd, c));
	close(rfd);
}

TEST_HARNESS_MAIN
