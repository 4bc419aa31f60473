// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The xe virtual GPU authors
 */

#include <kunit/device.h>
#include <kunit/test.h>

#include <linux/dma-mapping.h>
#include <linux/sizes.h>

#include "emu/xe_emu_hw.h"
#include "xe_device_types.h"
#include "xe_pt.h"
#include "xe_vm_types.h"

/*
 * The tables are walked here in software, as the GPU's MMU walks them,
 * and the leaf found for each address is checked against the backing.
 */

struct xe_pt_test {
	struct xe_device xe;
	struct xe_vm vm;
};

/* A backing of fake bus addresses: base + offset, contiguous for @run. */
struct xe_pt_test_backing {
	struct xe_pt_backing base;
	u64 addr;
	u64 run;
};

static u64 xe_pt_test_page(struct xe_pt_backing *backing, u64 offset, u64 *contig)
{
	struct xe_pt_test_backing *b = container_of(backing, typeof(*b), base);

	*contig = b->run - offset % b->run;
	return b->addr + offset;
}

/* What a NULL mapping's backing answers: nothing, everywhere. */
static u64 xe_pt_test_null_page(struct xe_pt_backing *backing, u64 offset, u64 *contig)
{
	*contig = U64_MAX;
	return 0;
}

static int xe_pt_test_init(struct kunit *test)
{
	struct xe_pt_test *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	struct device *dev;

	KUNIT_ASSERT_NOT_NULL(test, t);
	dev = kunit_device_register(test, "xe-pt-test");
	KUNIT_ASSERT_FALSE(test, IS_ERR(dev));
	dev->dma_mask = &dev->coherent_dma_mask;
	KUNIT_ASSERT_EQ(test, dma_set_mask_and_coherent(dev, DMA_BIT_MASK(64)), 0);

	t->xe.drm.dev = dev;
	t->vm.xe = &t->xe;
	mutex_init(&t->vm.pt_lock);
	t->vm.pt_root = xe_pt_create(&t->vm, 3);
	KUNIT_ASSERT_NOT_NULL(test, t->vm.pt_root);
	test->priv = t;
	return 0;
}

static void xe_pt_test_exit(struct kunit *test)
{
	struct xe_pt_test *t = test->priv;

	xe_pt_destroy(&t->vm, t->vm.pt_root);
	mutex_destroy(&t->vm.pt_lock);
}

/* Returns the leaf entry for @va and the size of the page it maps. */
static u64 xe_pt_test_walk(struct xe_pt_test *t, u64 va, u64 *size)
{
	struct xe_pt *pt = t->vm.pt_root;
	int level;

	for (level = 3; level >= 0; level--) {
		unsigned int idx = (va >> (12 + 9 * level)) & 511;
		u64 entry = pt->entries[idx];

		if (!(entry & XE_EMU_PTE_PRESENT))
			return 0;
		if (level == 0) {
			*size = entry & XE_EMU_PTE_PS64 ? SZ_64K : SZ_4K;
			return entry;
		}
		if (level == 1 && (entry & XE_EMU_PDE_PS_2M)) {
			*size = SZ_2M;
			return entry;
		}
		if (level == 2 && (entry & XE_EMU_PDE_PS_1G)) {
			*size = SZ_1G;
			return entry;
		}
		/* The entry must point at the child the driver tracks. */
		if ((entry & XE_EMU_PTE_ADDR) != pt->children[idx]->dma)
			return 0;
		pt = pt->children[idx];
	}
	return 0;
}

static void xe_pt_test_map(struct kunit *test, u64 start, u64 end,
			   struct xe_pt_test_backing *b, bool *replaced)
{
	struct xe_pt_test *t = test->priv;

	KUNIT_ASSERT_EQ(test, xe_pt_prepare(&t->vm, start, end, &b->base, replaced), 0);
	mutex_lock(&t->vm.pt_lock);
	KUNIT_ASSERT_EQ(test, xe_pt_commit_locked(&t->vm, start, end, &b->base, replaced), 0);
	mutex_unlock(&t->vm.pt_lock);
}

static void xe_pt_test_check(struct kunit *test, u64 start, u64 end,
			     struct xe_pt_test_backing *b, u64 want_size)
{
	struct xe_pt_test *t = test->priv;
	u64 va, size = 0;

	for (va = start; va < end; va += SZ_4K) {
		u64 leaf = xe_pt_test_walk(t, va, &size);
		u64 page = size == SZ_1G ? va & ~(u64)(SZ_1G - 1) :
			   size == SZ_2M ? va & ~(u64)(SZ_2M - 1) :
			   size == SZ_64K ? va & ~(u64)(SZ_4K - 1) : va;

		KUNIT_ASSERT_TRUE_MSG(test, leaf & XE_EMU_PTE_PRESENT, "va %#llx", va);
		KUNIT_ASSERT_EQ_MSG(test, size, want_size, "va %#llx", va);
		KUNIT_ASSERT_EQ_MSG(test, leaf & XE_EMU_PTE_ADDR,
				    (b->addr + page - start) & XE_EMU_PTE_ADDR, "va %#llx", va);
		KUNIT_ASSERT_EQ(test, leaf & (XE_EMU_PTE_RW | XE_EMU_PTE_DM),
				b->base.flags & (XE_EMU_PTE_RW | XE_EMU_PTE_DM));
	}
}

static void xe_pt_4k_test(struct kunit *test)
{
	struct xe_pt_test_backing b = {
		.base = { .page = xe_pt_test_page, .flags = XE_EMU_PTE_PRESENT | XE_EMU_PTE_RW },
		.addr = 0x12345000, .run = SZ_4K,
	};
	bool replaced = false;

	xe_pt_test_map(test, 0x7f0000001000ull, 0x7f0000009000ull, &b, &replaced);
	KUNIT_EXPECT_FALSE(test, replaced);
	xe_pt_test_check(test, 0x7f0000001000ull, 0x7f0000009000ull, &b, SZ_4K);
}

/* 64K-contiguous, aligned backing over aligned VAs uses 64K groups. */
static void xe_pt_64k_test(struct kunit *test)
{
	struct xe_pt_test_backing b = {
		.base = { .page = xe_pt_test_page, .flags = XE_EMU_PTE_PRESENT },
		.addr = 0x40000000, .run = SZ_64K,
	};
	struct xe_pt_test *t = test->priv;
	u64 size = 0;
	bool replaced = false;

	xe_pt_test_map(test, SZ_1M, SZ_1M + SZ_256K, &b, &replaced);
	xe_pt_test_check(test, SZ_1M, SZ_1M + SZ_256K, &b, SZ_64K);
	/* Read-only: RW stays clear. */
	KUNIT_EXPECT_FALSE(test, xe_pt_test_walk(t, SZ_1M, &size) & XE_EMU_PTE_RW);
}

/* 2M-contiguous, aligned backing over a whole 2M entry uses one leaf. */
static void xe_pt_2m_test(struct kunit *test)
{
	struct xe_pt_test_backing b = {
		.base = { .page = xe_pt_test_page,
			  .flags = XE_EMU_PTE_PRESENT | XE_EMU_PTE_RW | XE_EMU_PTE_DM },
		.addr = SZ_1G | XE_EMU_PTE_DM, .run = SZ_2M,
	};
	struct xe_pt_test *t = test->priv;
	u64 start = 0x200000000ull, size;
	bool replaced = false;

	xe_pt_test_map(test, start, start + SZ_4M, &b, &replaced);
	xe_pt_test_check(test, start, start + SZ_4M, &b, SZ_2M);
	/* No level-0 table was needed. */
	KUNIT_EXPECT_NULL(test, t->vm.pt_root->children[0]->children[8]->children[0]);
	KUNIT_EXPECT_NE(test, xe_pt_test_walk(t, start + SZ_2M, &size), 0);
}

/* A backing contiguous over whole 1G entries (a NULL range) uses 1G leaves. */
static void xe_pt_1g_test(struct kunit *test)
{
	struct xe_pt_test_backing b = {
		.base = { .page = xe_pt_test_null_page,
			  .flags = XE_EMU_PTE_PRESENT | XE_EMU_PTE_NULL },
	};
	struct xe_pt_test *t = test->priv;
	u64 start = 3ull * SZ_1G, size = 0;
	bool replaced = false;

	xe_pt_test_map(test, start, start + 2ull * SZ_1G, &b, &replaced);
	KUNIT_EXPECT_NE(test, xe_pt_test_walk(t, start + SZ_1G + SZ_4K, &size), 0);
	KUNIT_EXPECT_EQ(test, size, (u64)SZ_1G);
	/* No level-1 table below a 1G leaf. */
	KUNIT_EXPECT_NULL(test, t->vm.pt_root->children[0]->children[3]);
	mutex_lock(&t->vm.pt_lock);
	KUNIT_EXPECT_TRUE(test, xe_pt_clear_locked(&t->vm, start, start + 2ull * SZ_1G));
	mutex_unlock(&t->vm.pt_lock);
	KUNIT_EXPECT_EQ(test, xe_pt_test_walk(t, start, &size), 0);
}

/*
 * The whole 48-bit space with edges that are not 1G aligned: a few tables
 * at each end, 1G leaves between, and prepare finishes in one pass per
 * missing table instead of re-walking the range.
 */
static void xe_pt_huge_range_test(struct kunit *test)
{
	struct xe_pt_test_backing b = {
		.base = { .page = xe_pt_test_null_page,
			  .flags = XE_EMU_PTE_PRESENT | XE_EMU_PTE_NULL },
	};
	struct xe_pt_test *t = test->priv;
	u64 start = SZ_4K, end = (1ull << 47) - SZ_4K, size = 0;
	bool replaced = false;

	xe_pt_test_map(test, start, end, &b, &replaced);
	KUNIT_EXPECT_NE(test, xe_pt_test_walk(t, start, &size), 0);
	KUNIT_EXPECT_EQ(test, size, (u64)SZ_4K);
	KUNIT_EXPECT_NE(test, xe_pt_test_walk(t, SZ_2M, &size), 0);
	KUNIT_EXPECT_EQ(test, size, (u64)SZ_2M);
	KUNIT_EXPECT_NE(test, xe_pt_test_walk(t, 1ull << 46, &size), 0);
	KUNIT_EXPECT_EQ(test, size, (u64)SZ_1G);
	KUNIT_EXPECT_NE(test, xe_pt_test_walk(t, end - SZ_4K, &size), 0);
	KUNIT_EXPECT_EQ(test, size, (u64)SZ_4K);
	KUNIT_EXPECT_EQ(test, xe_pt_test_walk(t, end, &size), 0);
}

/* A 2M range whose backing is not contiguous falls back to 4K leaves. */
static void xe_pt_fallback_test(struct kunit *test)
{
	struct xe_pt_test_backing b = {
		.base = { .page = xe_pt_test_page, .flags = XE_EMU_PTE_PRESENT },
		.addr = SZ_2M + SZ_4K, .run = SZ_1M,
	};
	bool replaced = false;

	xe_pt_test_map(test, SZ_2M * 5, SZ_2M * 6, &b, &replaced);
	xe_pt_test_check(test, SZ_2M * 5, SZ_2M * 6, &b, SZ_4K);
}

/* Clearing reports present entries, rebinding over them too; commit needs prepare. */
static void xe_pt_clear_test(struct kunit *test)
{
	struct xe_pt_test_backing b = {
		.base = { .page = xe_pt_test_page, .flags = XE_EMU_PTE_PRESENT | XE_EMU_PTE_RW },
		.addr = 0x80000000, .run = SZ_4K,
	};
	struct xe_pt_test *t = test->priv;
	bool replaced = false;
	u64 size, va = 0x10000000;

	xe_pt_test_map(test, va, va + SZ_64K, &b, &replaced);
	KUNIT_EXPECT_FALSE(test, replaced);
	xe_pt_test_map(test, va, va + SZ_64K, &b, &replaced);
	KUNIT_EXPECT_TRUE(test, replaced);

	mutex_lock(&t->vm.pt_lock);
	KUNIT_EXPECT_TRUE(test, xe_pt_clear_locked(&t->vm, va + SZ_4K, va + SZ_8K));
	KUNIT_EXPECT_FALSE(test, xe_pt_clear_locked(&t->vm, va + SZ_4K, va + SZ_8K));
	/* Nothing prepared at this address: commit must ask for it. */
	replaced = false;
	KUNIT_EXPECT_EQ(test, xe_pt_commit_locked(&t->vm, 100ull * SZ_1G, 100ull * SZ_1G + SZ_4K,
						  &b.base, &replaced), -EAGAIN);
	mutex_unlock(&t->vm.pt_lock);

	KUNIT_EXPECT_EQ(test, xe_pt_test_walk(t, va + SZ_4K, &size), 0);
	KUNIT_EXPECT_NE(test, xe_pt_test_walk(t, va, &size), 0);
	KUNIT_EXPECT_NE(test, xe_pt_test_walk(t, va + SZ_8K, &size), 0);
}

static struct kunit_case xe_pt_cases[] = {
	KUNIT_CASE(xe_pt_4k_test),
	KUNIT_CASE(xe_pt_64k_test),
	KUNIT_CASE(xe_pt_2m_test),
	KUNIT_CASE(xe_pt_1g_test),
	KUNIT_CASE(xe_pt_huge_range_test),
	KUNIT_CASE(xe_pt_fallback_test),
	KUNIT_CASE(xe_pt_clear_test),
	{}
};

static struct kunit_suite xe_pt_suite = {
	.name = "xe_pt",
	.init = xe_pt_test_init,
	.exit = xe_pt_test_exit,
	.test_cases = xe_pt_cases,
};

kunit_test_suite(xe_pt_suite);
