// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The xe virtual GPU authors
 */

#include <kunit/resource.h>
#include <kunit/test.h>

#include <linux/highmem.h>
#include <linux/interval_tree.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/prandom.h>
#include <linux/random.h>
#include <linux/sizes.h>
#include <linux/uaccess.h>

#include "gpusvm/gpusvm.h"

/*
 * The SVM core, on its own. Chunk sizing is pure logic and is checked
 * against a table and against its definition on random inputs. The lookups
 * and the garbage collector's list are checked on trees built by hand. The
 * rest (notifier placement, range placement against CPU VMAs, pages, the
 * notifier callback) runs against a real process address space: the test
 * thread borrows one from kunit_vm_mmap() and maps what it needs in it.
 */

static const unsigned long gpusvm_test_chunks[] = { SZ_2M, SZ_64K, SZ_4K };

/* --- gpusvm_chunk_size() -------------------------------------------------------- */

struct gpusvm_test_span {
	unsigned long start;
	unsigned long end;
};

/* Existing ranges, as gpusvm_chunk_size() asks about them. */
struct gpusvm_test_busy {
	const struct gpusvm_test_span *spans;
	unsigned int count;
	/* Asked about a block that wraps past the top of the address space. */
	bool wrapped;
};

static bool gpusvm_test_overlaps(const struct gpusvm_test_busy *busy, unsigned long start,
				 unsigned long end)
{
	unsigned int i;

	for (i = 0; i < busy->count; i++)
		if (start < busy->spans[i].end && busy->spans[i].start < end)
			return true;
	return false;
}

static bool gpusvm_test_busy(void *arg, unsigned long start, unsigned long end)
{
	struct gpusvm_test_busy *busy = arg;

	if (end <= start)
		busy->wrapped = true;
	return gpusvm_test_overlaps(busy, start, end);
}

#define GPUSVM_TEST_MAX_SPANS	3

struct gpusvm_chunk_case {
	const char *name;
	/* the sizes above it are left out, like a caller's limit; 0: none */
	unsigned long max_chunk;
	unsigned long addr;
	unsigned long lo;
	unsigned long hi;
	struct gpusvm_test_span busy[GPUSVM_TEST_MAX_SPANS];
	unsigned int num_busy;
	unsigned long expected;
};

/* 1 TiB, an aligned place in the middle of a 64-bit address space. */
#define B		0x10000000000ul
#define TOP		ULONG_MAX

static const struct gpusvm_chunk_case gpusvm_chunk_cases[] = {
	{ "2M-fits", 0, B + 0x123456, B, B + SZ_4M, .expected = SZ_2M },
	{ "2M-second-block", 0, B + SZ_2M + 5, B, B + SZ_4M, .expected = SZ_2M },
	{ "2M-exact-window-first-byte", 0, B, B, B + SZ_2M, .expected = SZ_2M },
	{ "2M-exact-window-last-byte", 0, B + SZ_2M - 1, B, B + SZ_2M, .expected = SZ_2M },
	{ "2M-from-zero", 0, SZ_4K, 0, SZ_2M, .expected = SZ_2M },
	{ "lo-clips-2M", 0, B + SZ_1M, B + SZ_4K, B + SZ_4M, .expected = SZ_64K },
	{ "hi-clips-2M", 0, B + SZ_1M, B, B + SZ_2M - SZ_4K, .expected = SZ_64K },
	{ "lo-clips-64K", 0, B + SZ_1M + SZ_8K, B + SZ_1M + SZ_4K, B + SZ_4M,
	  .expected = SZ_4K },
	{ "hi-clips-64K", 0, B + SZ_1M + SZ_8K, B, B + SZ_1M + SZ_32K, .expected = SZ_4K },
	{ "4K-exact-window", 0, B + SZ_8K, B + SZ_8K, B + SZ_8K + SZ_4K, .expected = SZ_4K },
	{ "4K-exact-window-last-byte", 0, B + SZ_8K + SZ_4K - 1, B + SZ_8K,
	  B + SZ_8K + SZ_4K, .expected = SZ_4K },
	{ "window-smaller-than-page", 0, B + 2, B + 1, B + SZ_4K, .expected = 0 },
	{ "window-across-pages", 0, B + SZ_4K, B + 1, B + SZ_8K - 1, .expected = 0 },
	{ "addr-at-hi", 0, B + SZ_4M, B, B + SZ_4M, .expected = 0 },
	{ "addr-below-lo", 0, B - 1, B, B + SZ_4M, .expected = 0 },
	{ "empty-window", 0, B, B, B, .expected = 0 },
	{ "busy-forces-64K", 0, B + SZ_4K, B, B + SZ_4M,
	  { { B + SZ_1M + SZ_64K, B + SZ_1M + SZ_64K + SZ_4K } }, 1, SZ_64K },
	{ "busy-forces-4K", 0, B + SZ_4K, B, B + SZ_4M,
	  { { B + SZ_32K, B + SZ_32K + SZ_4K } }, 1, SZ_4K },
	{ "busy-several", 0, B + SZ_1M + SZ_16K, B, B + SZ_4M,
	  { { B, B + SZ_4K }, { B + SZ_1M + SZ_8K, B + SZ_1M + SZ_16K },
	    { B + SZ_1M + SZ_32K, B + SZ_2M } }, 3, SZ_4K },
	{ "busy-right-after-2M", 0, B, B, B + SZ_4M,
	  { { B + SZ_2M, B + SZ_2M + SZ_4K } }, 1, SZ_2M },
	{ "busy-right-before-2M", 0, B + SZ_2M - 1, B - SZ_2M, B + SZ_4M,
	  { { B - SZ_4K, B } }, 1, SZ_2M },
	{ "busy-page-itself", 0, B + SZ_4K, B, B + SZ_4M,
	  { { B + SZ_4K, B + SZ_8K } }, 1, 0 },
	{ "busy-whole-window", 0, B + SZ_1M, B, B + SZ_4M, { { B, B + SZ_4M } }, 1, 0 },
	{ "top-4K", 0, TOP - SZ_8K, TOP - SZ_4M + 1, TOP, .expected = SZ_4K },
	{ "top-last-page", 0, TOP - 5, TOP - SZ_4M + 1, TOP, .expected = 0 },
	{ "top-2M-below", 0, TOP - SZ_4M + SZ_1M, TOP - SZ_4M + 1, TOP, .expected = SZ_2M },
	{ "top-64K-below", 0, TOP - SZ_128K + 1, TOP - SZ_4M + 1, TOP,
	  .expected = SZ_64K },
	{ "max-64K", SZ_64K, B + SZ_4K, B, B + SZ_4M, .expected = SZ_64K },
	{ "max-64K-busy", SZ_64K, B + SZ_16K + SZ_4K, B, B + SZ_4M,
	  { { B + SZ_8K, B + SZ_8K + SZ_4K } }, 1, SZ_4K },
	{ "max-64K-clipped", SZ_64K, B + SZ_4K, B + SZ_4K, B + SZ_4M, .expected = SZ_4K },
	{ "max-4K", SZ_4K, B + SZ_4K, B, B + SZ_4M, .expected = SZ_4K },
	{ "max-4K-busy", SZ_4K, B + SZ_4K, B, B + SZ_4M,
	  { { B, B + SZ_8K } }, 1, 0 },
	{ "no-sizes", 1, B + SZ_4K, B, B + SZ_4M, .expected = 0 },
};

#undef B
#undef TOP

static void gpusvm_chunk_case_desc(const struct gpusvm_chunk_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(gpusvm_chunk, gpusvm_chunk_cases, gpusvm_chunk_case_desc);

static void gpusvm_chunk_size_test(struct kunit *test)
{
	const struct gpusvm_chunk_case *c = test->param_value;
	struct gpusvm_test_busy busy = { .spans = c->busy, .count = c->num_busy };
	unsigned int skip = 0;

	while (c->max_chunk && skip < ARRAY_SIZE(gpusvm_test_chunks) &&
	       gpusvm_test_chunks[skip] > c->max_chunk)
		skip++;
	KUNIT_EXPECT_EQ(test, gpusvm_chunk_size(gpusvm_test_chunks + skip,
						ARRAY_SIZE(gpusvm_test_chunks) - skip, c->addr,
						c->lo, c->hi, gpusvm_test_busy, &busy),
			c->expected);
	KUNIT_EXPECT_FALSE_MSG(test, busy.wrapped, "busy() asked about a wrapping block");
}

/* Whether the aligned block of @size around @addr may become a range. */
static bool gpusvm_test_fits(const struct gpusvm_test_busy *busy, unsigned long size,
			     unsigned long addr, unsigned long lo, unsigned long hi)
{
	unsigned long start = ALIGN_DOWN(addr, size);

	/* hi - start >= size: no sum that could wrap. */
	return addr >= lo && addr < hi && start >= lo && hi - start >= size &&
	       !gpusvm_test_overlaps(busy, start, start + size);
}

#define GPUSVM_TEST_SPAN	SZ_8M

/* An offset into the span: page aligned, or now and then any byte. */
static unsigned long gpusvm_test_offset(struct rnd_state *rnd)
{
	unsigned long off = prandom_u32_state(rnd) % GPUSVM_TEST_SPAN;

	return prandom_u32_state(rnd) % 8 ? ALIGN_DOWN(off, SZ_4K) : off;
}

/* One random draw; false once an invariant failed, to stop the flood. */
static bool gpusvm_chunk_size_random_one(struct kunit *test, struct rnd_state *rnd)
{
	struct gpusvm_test_span spans[GPUSVM_TEST_MAX_SPANS];
	unsigned int skip = prandom_u32_state(rnd) % ARRAY_SIZE(gpusvm_test_chunks);
	const unsigned long *chunks = gpusvm_test_chunks + skip;
	unsigned int i, num = ARRAY_SIZE(gpusvm_test_chunks) - skip;
	/* One draw in four at the very top of the address space. */
	bool top = !(prandom_u32_state(rnd) % 4);
	unsigned long base = top ? ULONG_MAX - GPUSVM_TEST_SPAN + 1 : 1ul << 40;
	unsigned long lo_off = gpusvm_test_offset(rnd);
	/* At the top, the last byte cannot be in a window: hi would wrap. */
	unsigned long hi_max = top ? GPUSVM_TEST_SPAN - 1 : GPUSVM_TEST_SPAN;
	unsigned long hi_off = min(lo_off + gpusvm_test_offset(rnd), hi_max);
	unsigned long lo = base + lo_off, hi = base + hi_off, addr, got, start;
	struct gpusvm_test_busy busy = { .spans = spans };

	if (hi > lo && prandom_u32_state(rnd) % 8)
		addr = lo + prandom_u32_state(rnd) % (hi - lo);
	else
		addr = base + prandom_u32_state(rnd) % GPUSVM_TEST_SPAN;

	busy.count = prandom_u32_state(rnd) % (GPUSVM_TEST_MAX_SPANS + 1);
	for (i = 0; i < busy.count; i++) {
		unsigned long len = SZ_4K << (prandom_u32_state(rnd) % 8);

		spans[i].start = base + ALIGN_DOWN(gpusvm_test_offset(rnd), SZ_4K);
		spans[i].end = spans[i].start + min(len, ULONG_MAX - spans[i].start);
	}

	got = gpusvm_chunk_size(chunks, num, addr, lo, hi, gpusvm_test_busy, &busy);

	for (i = 0; i < num && chunks[i] != got; i++)
		;
	if (got) {
		start = ALIGN_DOWN(addr, got);
		KUNIT_EXPECT_LT_MSG(test, i, num, "%#lx is not one of the sizes", got);
		KUNIT_EXPECT_TRUE_MSG(test, addr >= start && addr - start < got,
				      "block of %#lx does not hold %#lx", got, addr);
		KUNIT_EXPECT_TRUE_MSG(test, start >= lo && hi - start >= got,
				      "block [%#lx, +%#lx) leaves [%#lx, %#lx)", start, got,
				      lo, hi);
		KUNIT_EXPECT_FALSE_MSG(test, gpusvm_test_overlaps(&busy, start, start + got),
				       "block [%#lx, +%#lx) overlaps a range", start, got);
	}
	/* Every larger size, or every size when nothing was chosen, must not fit. */
	while (i-- > 0)
		KUNIT_EXPECT_FALSE_MSG(test, gpusvm_test_fits(&busy, chunks[i], addr, lo, hi),
				       "%#lx fits at %#lx in [%#lx, %#lx) but %#lx was chosen",
				       chunks[i], addr, lo, hi, got);
	KUNIT_EXPECT_FALSE_MSG(test, busy.wrapped, "busy() asked about a wrapping block");

	return !test->status;
}

/* Random windows, addresses and ranges; the seed is logged to replay a failure. */
static void gpusvm_chunk_size_random_test(struct kunit *test)
{
	u32 seed = get_random_u32();
	struct rnd_state rnd;
	unsigned int i;

	kunit_info(test, "seed %u\n", seed);
	prandom_seed_state(&rnd, seed);
	for (i = 0; i < 20000; i++) {
		if (!gpusvm_chunk_size_random_one(test, &rnd)) {
			kunit_info(test, "failed at draw %u\n", i);
			break;
		}
	}
}

/* --- lookups, on trees built by hand -------------------------------------------- */

/* A mirror with its trees and lists only: enough for the lookups and the GC list. */
static struct gpusvm *gpusvm_test_svm(struct kunit *test)
{
	struct gpusvm *svm = kunit_kzalloc(test, sizeof(*svm), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, svm);
	svm->name = "kunit";
	svm->notifier_size = SZ_512M;
	svm->chunk_sizes = gpusvm_test_chunks;
	svm->num_chunks = ARRAY_SIZE(gpusvm_test_chunks);
	init_rwsem(&svm->notifier_lock);
	svm->notifiers = RB_ROOT_CACHED;
	spin_lock_init(&svm->gc_lock);
	INIT_LIST_HEAD(&svm->gc_list);
	return svm;
}

static struct gpusvm_notifier *gpusvm_test_notifier(struct kunit *test, struct gpusvm *svm,
						    unsigned long start, unsigned long end)
{
	struct gpusvm_notifier *notifier = kunit_kzalloc(test, sizeof(*notifier), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, notifier);
	notifier->svm = svm;
	notifier->ranges = RB_ROOT_CACHED;
	notifier->itree.start = start;
	notifier->itree.last = end - 1;
	interval_tree_insert(&notifier->itree, &svm->notifiers);
	return notifier;
}

static struct gpusvm_range *gpusvm_test_range(struct kunit *test,
					      struct gpusvm_notifier *notifier,
					      unsigned long start, unsigned long end)
{
	struct gpusvm_range *range = kunit_kzalloc(test, sizeof(*range), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, range);
	range->notifier = notifier;
	range->itree.start = start;
	range->itree.last = end - 1;
	INIT_LIST_HEAD(&range->gc_link);
	interval_tree_insert(&range->itree, &notifier->ranges);
	return range;
}

#define N_BASE		((unsigned long)SZ_512M)

static void gpusvm_notifier_find_test(struct kunit *test)
{
	struct gpusvm *svm = gpusvm_test_svm(test);
	struct gpusvm_notifier *n1, *n2, *n4;

	KUNIT_EXPECT_NULL(test, gpusvm_notifier_find(svm, N_BASE));

	/* Two adjacent slices, a hole, and a slice cut short by the mirror's end. */
	n2 = gpusvm_test_notifier(test, svm, 2 * N_BASE, 3 * N_BASE);
	n1 = gpusvm_test_notifier(test, svm, N_BASE, 2 * N_BASE);
	n4 = gpusvm_test_notifier(test, svm, 4 * N_BASE, 4 * N_BASE + SZ_1M);

	gpusvm_notifier_lock(svm);
	KUNIT_EXPECT_NULL(test, gpusvm_notifier_find(svm, 0));
	KUNIT_EXPECT_NULL(test, gpusvm_notifier_find(svm, N_BASE - 1));
	KUNIT_EXPECT_PTR_EQ(test, gpusvm_notifier_find(svm, N_BASE), n1);
	KUNIT_EXPECT_PTR_EQ(test, gpusvm_notifier_find(svm, N_BASE + 12345), n1);
	KUNIT_EXPECT_PTR_EQ(test, gpusvm_notifier_find(svm, 2 * N_BASE - 1), n1);
	KUNIT_EXPECT_PTR_EQ(test, gpusvm_notifier_find(svm, 2 * N_BASE), n2);
	KUNIT_EXPECT_PTR_EQ(test, gpusvm_notifier_find(svm, 3 * N_BASE - 1), n2);
	KUNIT_EXPECT_NULL(test, gpusvm_notifier_find(svm, 3 * N_BASE));
	KUNIT_EXPECT_NULL(test, gpusvm_notifier_find(svm, 4 * N_BASE - 1));
	KUNIT_EXPECT_PTR_EQ(test, gpusvm_notifier_find(svm, 4 * N_BASE), n4);
	KUNIT_EXPECT_PTR_EQ(test, gpusvm_notifier_find(svm, 4 * N_BASE + SZ_1M - 1), n4);
	KUNIT_EXPECT_NULL(test, gpusvm_notifier_find(svm, 4 * N_BASE + SZ_1M));
	KUNIT_EXPECT_NULL(test, gpusvm_notifier_find(svm, ULONG_MAX));
	gpusvm_notifier_unlock(svm);
}

struct gpusvm_test_ranges {
	struct gpusvm *svm;
	struct gpusvm_notifier *notifier;
	/* In address order: inserted in another one. */
	struct gpusvm_range *r[4];
};

/*
 * [2M, 4M), [4M, 4M + 64K), [4M + 128K, 4M + 132K) and [8M, 10M) of the
 * slice at N_BASE: adjacent ranges, a hole, a lone page, and a gap.
 */
static void gpusvm_test_ranges(struct kunit *test, struct gpusvm_test_ranges *t)
{
	const unsigned long b = N_BASE;

	t->svm = gpusvm_test_svm(test);
	t->notifier = gpusvm_test_notifier(test, t->svm, b, b + N_BASE);
	t->r[3] = gpusvm_test_range(test, t->notifier, b + SZ_8M, b + SZ_8M + SZ_2M);
	t->r[1] = gpusvm_test_range(test, t->notifier, b + SZ_4M, b + SZ_4M + SZ_64K);
	t->r[0] = gpusvm_test_range(test, t->notifier, b + SZ_2M, b + SZ_4M);
	t->r[2] = gpusvm_test_range(test, t->notifier, b + SZ_4M + SZ_128K,
				    b + SZ_4M + SZ_128K + SZ_4K);
}

static void gpusvm_range_find_test(struct kunit *test)
{
	const unsigned long b = N_BASE;
	struct gpusvm_test_ranges t;
	struct gpusvm_notifier *empty;

	gpusvm_test_ranges(test, &t);
	empty = gpusvm_test_notifier(test, t.svm, 2 * N_BASE, 3 * N_BASE);

	gpusvm_notifier_lock(t.svm);
	KUNIT_EXPECT_NULL(test, gpusvm_range_find(empty, 2 * N_BASE, 3 * N_BASE));
	KUNIT_EXPECT_NULL(test, gpusvm_range_find(t.notifier, b, b + SZ_2M));
	KUNIT_EXPECT_NULL(test, gpusvm_range_find(t.notifier, b + SZ_2M - 1, b + SZ_2M));
	KUNIT_EXPECT_PTR_EQ(test, gpusvm_range_find(t.notifier, b + SZ_2M - 1, b + SZ_2M + 1),
			    t.r[0]);
	KUNIT_EXPECT_PTR_EQ(test, gpusvm_range_find(t.notifier, b + SZ_4M - 1, b + SZ_4M),
			    t.r[0]);
	KUNIT_EXPECT_PTR_EQ(test, gpusvm_range_find(t.notifier, b + SZ_4M, b + SZ_4M + 1),
			    t.r[1]);
	/* The lowest start wins when several overlap. */
	KUNIT_EXPECT_PTR_EQ(test, gpusvm_range_find(t.notifier, b + SZ_4M - 1, b + SZ_8M),
			    t.r[0]);
	KUNIT_EXPECT_PTR_EQ(test, gpusvm_range_find(t.notifier, 0, ULONG_MAX), t.r[0]);
	KUNIT_EXPECT_NULL(test, gpusvm_range_find(t.notifier, b + SZ_4M + SZ_64K,
						  b + SZ_4M + SZ_128K));
	KUNIT_EXPECT_PTR_EQ(test, gpusvm_range_find(t.notifier, b + SZ_4M + SZ_64K,
						    b + SZ_4M + SZ_128K + 1), t.r[2]);
	/* An interval inside a range finds it. */
	KUNIT_EXPECT_PTR_EQ(test, gpusvm_range_find(t.notifier, b + SZ_8M + SZ_1M,
						    b + SZ_8M + SZ_1M + 1), t.r[3]);
	KUNIT_EXPECT_NULL(test, gpusvm_range_find(t.notifier, b + SZ_8M + SZ_2M, b + SZ_16M));
	gpusvm_notifier_unlock(t.svm);
}

/* The ranges gpusvm_for_each_range() visits, checked against @expected in order. */
static void gpusvm_test_walk(struct kunit *test, struct gpusvm_test_ranges *t,
			     unsigned long start, unsigned long end,
			     struct gpusvm_range * const *expected, unsigned int count)
{
	struct gpusvm_range *range;
	unsigned int n = 0;

	gpusvm_notifier_lock(t->svm);
	gpusvm_for_each_range(range, t->notifier, start, end) {
		KUNIT_EXPECT_LT_MSG(test, n, count, "walk [%#lx, %#lx) visits too many", start,
				    end);
		if (n < count)
			KUNIT_EXPECT_PTR_EQ_MSG(test, range, expected[n],
						"walk [%#lx, %#lx), range %u", start, end, n);
		n++;
	}
	gpusvm_notifier_unlock(t->svm);
	KUNIT_EXPECT_EQ_MSG(test, n, count, "walk [%#lx, %#lx)", start, end);
}

static void gpusvm_range_walk_test(struct kunit *test)
{
	const unsigned long b = N_BASE;
	struct gpusvm_test_ranges t;

	gpusvm_test_ranges(test, &t);

	gpusvm_test_walk(test, &t, b, b + N_BASE, t.r, 4);
	gpusvm_test_walk(test, &t, 0, ULONG_MAX, t.r, 4);
	gpusvm_test_walk(test, &t, b + SZ_2M + SZ_1M, b + SZ_4M + SZ_128K + 1, t.r, 3);
	gpusvm_test_walk(test, &t, b + SZ_4M, b + SZ_8M + 1, t.r + 1, 3);
	/* Ends are exclusive: ranges that only touch the interval are not visited. */
	gpusvm_test_walk(test, &t, b + SZ_4M + SZ_64K, b + SZ_4M + SZ_128K, NULL, 0);
	gpusvm_test_walk(test, &t, b + SZ_4M + SZ_128K + SZ_4K, b + SZ_8M, NULL, 0);
	gpusvm_test_walk(test, &t, b, b + SZ_2M, NULL, 0);
	gpusvm_test_walk(test, &t, b + SZ_8M + SZ_1M, b + SZ_8M + SZ_1M + 1, t.r + 3, 1);
}

static void gpusvm_has_range_test(struct kunit *test)
{
	struct gpusvm *svm = gpusvm_test_svm(test);
	struct gpusvm_notifier *a, *c;

	KUNIT_EXPECT_FALSE(test, gpusvm_has_range(svm, 0, ULONG_MAX));

	/* A range at the end of one slice, an empty slice, a range near the start of the next. */
	a = gpusvm_test_notifier(test, svm, N_BASE, 2 * N_BASE);
	gpusvm_test_notifier(test, svm, 2 * N_BASE, 3 * N_BASE);
	c = gpusvm_test_notifier(test, svm, 3 * N_BASE, 4 * N_BASE);
	gpusvm_test_range(test, a, 2 * N_BASE - SZ_2M, 2 * N_BASE);
	gpusvm_test_range(test, c, 3 * N_BASE + SZ_4K, 3 * N_BASE + SZ_8K);

	KUNIT_EXPECT_FALSE(test, gpusvm_has_range(svm, 0, N_BASE));
	KUNIT_EXPECT_FALSE(test, gpusvm_has_range(svm, N_BASE, 2 * N_BASE - SZ_2M));
	KUNIT_EXPECT_TRUE(test, gpusvm_has_range(svm, N_BASE, 2 * N_BASE - SZ_2M + 1));
	KUNIT_EXPECT_TRUE(test, gpusvm_has_range(svm, 2 * N_BASE - 1, 2 * N_BASE + 1));
	/* Across the empty slice up to, then just into, the range of the next one. */
	KUNIT_EXPECT_FALSE(test, gpusvm_has_range(svm, 2 * N_BASE, 3 * N_BASE + SZ_4K));
	KUNIT_EXPECT_TRUE(test, gpusvm_has_range(svm, 2 * N_BASE, 3 * N_BASE + SZ_4K + 1));
	KUNIT_EXPECT_FALSE(test, gpusvm_has_range(svm, 3 * N_BASE + SZ_8K, 4 * N_BASE));
	KUNIT_EXPECT_TRUE(test, gpusvm_has_range(svm, 0, ULONG_MAX));
	KUNIT_EXPECT_FALSE(test, gpusvm_has_range(svm, 4 * N_BASE, ULONG_MAX));
}

/* --- the garbage collector's list ----------------------------------------------- */

static void gpusvm_gc_test(struct kunit *test)
{
	struct gpusvm *svm = gpusvm_test_svm(test);
	struct gpusvm_notifier *notifier = gpusvm_test_notifier(test, svm, N_BASE, 2 * N_BASE);
	struct gpusvm_range *r[3];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(r); i++)
		r[i] = gpusvm_test_range(test, notifier, N_BASE + i * SZ_2M,
					 N_BASE + (i + 1) * SZ_2M);

	KUNIT_EXPECT_NULL(test, gpusvm_range_gc_next(svm));

	/* Queuing twice keeps the first place; the list is FIFO. */
	gpusvm_range_gc_add(svm, r[1]);
	gpusvm_range_gc_add(svm, r[0]);
	gpusvm_range_gc_add(svm, r[1]);
	gpusvm_range_gc_add(svm, r[2]);
	gpusvm_range_gc_add(svm, r[0]);
	KUNIT_EXPECT_PTR_EQ(test, gpusvm_range_gc_next(svm), r[1]);
	KUNIT_EXPECT_PTR_EQ(test, gpusvm_range_gc_next(svm), r[0]);
	KUNIT_EXPECT_PTR_EQ(test, gpusvm_range_gc_next(svm), r[2]);
	KUNIT_EXPECT_NULL(test, gpusvm_range_gc_next(svm));
	for (i = 0; i < ARRAY_SIZE(r); i++)
		KUNIT_EXPECT_TRUE(test, list_empty(&r[i]->gc_link));

	/* A range taken off can be queued again. */
	gpusvm_range_gc_add(svm, r[0]);
	KUNIT_EXPECT_PTR_EQ(test, gpusvm_range_gc_next(svm), r[0]);
	KUNIT_EXPECT_NULL(test, gpusvm_range_gc_next(svm));

	/* A range removed meanwhile, as gpusvm_range_remove() does, is not returned. */
	for (i = 0; i < ARRAY_SIZE(r); i++)
		gpusvm_range_gc_add(svm, r[i]);
	spin_lock(&svm->gc_lock);
	list_del_init(&r[1]->gc_link);
	spin_unlock(&svm->gc_lock);
	KUNIT_EXPECT_PTR_EQ(test, gpusvm_range_gc_next(svm), r[0]);
	KUNIT_EXPECT_PTR_EQ(test, gpusvm_range_gc_next(svm), r[2]);
	KUNIT_EXPECT_NULL(test, gpusvm_range_gc_next(svm));
	KUNIT_EXPECT_TRUE(test, list_empty(&svm->gc_list));
}

/* --- against a process address space --------------------------------------------- */

#define GPUSVM_TEST_WINDOW	SZ_8M

/* A mirror of the test thread's own address space, with DMA done by bookkeeping. */
struct gpusvm_test_mirror {
	struct gpusvm svm;
	/* 4 MiB aligned; [base, base + GPUSVM_TEST_WINDOW) is mapped, read-write */
	unsigned long base;
	/* pages mapped and unmapped for "DMA" */
	unsigned long mapped;
	unsigned long unmapped;
	/* dma_map() calls, and the one to fail (0: none) */
	unsigned int map_calls;
	unsigned int fail_map_call;
	/* notifier callbacks, and whether one was for an unmap */
	unsigned int invalidations;
	bool saw_unmap;
};

static struct gpusvm_test_mirror *to_gpusvm_test_mirror(struct gpusvm *svm)
{
	return container_of(svm, struct gpusvm_test_mirror, svm);
}

static void gpusvm_test_invalidate(struct gpusvm *svm, struct gpusvm_notifier *notifier,
				   const struct mmu_notifier_range *mmu_range)
{
	struct gpusvm_test_mirror *m = to_gpusvm_test_mirror(svm);

	lockdep_assert_held_write(&svm->notifier_lock);
	m->invalidations++;
	if (mmu_range->event == MMU_NOTIFY_UNMAP)
		m->saw_unmap = true;
}

static int gpusvm_test_dma_map(struct gpusvm *svm, struct page *page, unsigned int order,
			       dma_addr_t *addr)
{
	struct gpusvm_test_mirror *m = to_gpusvm_test_mirror(svm);

	if (++m->map_calls == m->fail_map_call)
		return -ENOMEM;
	*addr = page_to_phys(page);
	m->mapped += 1ul << order;
	return 0;
}

static void gpusvm_test_dma_unmap(struct gpusvm *svm, unsigned long pfn, unsigned int order,
				  dma_addr_t addr)
{
	to_gpusvm_test_mirror(svm)->unmapped += 1ul << order;
}

/* Never called: gpusvm_init() refuses a free hook without its alloc hook. */
static void gpusvm_test_notifier_free(struct gpusvm_notifier *notifier)
{
}

static void gpusvm_test_range_free(struct gpusvm_range *range)
{
}

static const struct gpusvm_ops gpusvm_test_ops = {
	.invalidate = gpusvm_test_invalidate,
	.dma_map = gpusvm_test_dma_map,
	.dma_unmap = gpusvm_test_dma_unmap,
};

KUNIT_DEFINE_ACTION_WRAPPER(gpusvm_test_fini, gpusvm_fini, struct gpusvm *);

/* Maps [base, base + @size) in the test thread's address space, replacing what was there. */
static void gpusvm_test_mmap(struct kunit *test, unsigned long addr, unsigned long size,
			     unsigned long prot)
{
	KUNIT_ASSERT_EQ(test, vm_mmap(NULL, addr, size, prot,
				      MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS, 0), addr);
}

/*
 * Maps an aligned window in the test thread, which gets an address space
 * of its own for it, and mirrors [base + @start_off, + @size) of it.
 */
static struct gpusvm_test_mirror *gpusvm_test_mirror(struct kunit *test,
						     unsigned long start_off,
						     unsigned long size,
						     unsigned long notifier_size)
{
	struct gpusvm_test_mirror *m = kunit_kzalloc(test, sizeof(*m), GFP_KERNEL);
	unsigned long addr, base;

	KUNIT_ASSERT_NOT_NULL(test, m);
	addr = kunit_vm_mmap(test, NULL, 0, 2 * GPUSVM_TEST_WINDOW, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS, 0);
	KUNIT_ASSERT_FALSE_MSG(test, !addr || IS_ERR_VALUE(addr), "vm_mmap: %ld", (long)addr);
	KUNIT_ASSERT_NOT_NULL(test, current->mm);

	/* Keep just the window, so that its ends are VMA ends. */
	base = ALIGN(addr, SZ_4M);
	if (base > addr)
		KUNIT_ASSERT_EQ(test, vm_munmap(addr, base - addr), 0);
	KUNIT_ASSERT_EQ(test, vm_munmap(base + GPUSVM_TEST_WINDOW,
					addr + GPUSVM_TEST_WINDOW - base), 0);
	m->base = base;

	KUNIT_ASSERT_EQ(test, gpusvm_init(&m->svm, "kunit", NULL, current->mm, NULL,
					  base + start_off, size, notifier_size,
					  &gpusvm_test_ops, gpusvm_test_chunks,
					  ARRAY_SIZE(gpusvm_test_chunks)), 0);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, gpusvm_test_fini, &m->svm), 0);
	return m;
}

/* gpusvm_fini() while the process lives: nothing may stay behind. */
static void gpusvm_test_mirror_fini(struct kunit *test, struct gpusvm_test_mirror *m)
{
	kunit_release_action(test, gpusvm_test_fini, &m->svm);
	KUNIT_EXPECT_TRUE(test, RB_EMPTY_ROOT(&m->svm.notifiers.rb_root));
	KUNIT_EXPECT_EQ(test, m->unmapped, m->mapped);
}

static struct gpusvm_range *gpusvm_test_fault(struct gpusvm_test_mirror *m, unsigned long addr,
					      unsigned long max_chunk)
{
	struct gpusvm_ctx ctx = { .max_chunk = max_chunk };

	return gpusvm_range_find_or_insert(&m->svm, addr, m->svm.mm_start,
					   m->svm.mm_start + m->svm.mm_range, &ctx);
}

static void gpusvm_test_expect_range(struct kunit *test, struct gpusvm_range *range,
				     unsigned long start, unsigned long size)
{
	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR_OR_NULL(range), "expected [%#lx, +%#lx): %ld",
			       start, size, PTR_ERR(range));
	KUNIT_EXPECT_EQ(test, gpusvm_range_start(range), start);
	KUNIT_EXPECT_EQ(test, gpusvm_range_size(range), size);
}

static int gpusvm_test_count_notifiers(struct gpusvm *svm)
{
	struct interval_tree_node *node;
	int n = 0;

	for (node = interval_tree_iter_first(&svm->notifiers, 0, ULONG_MAX); node;
	     node = interval_tree_iter_next(node, 0, ULONG_MAX))
		n++;
	return n;
}

static bool gpusvm_test_pages_valid(struct gpusvm *svm, struct gpusvm_range *range)
{
	bool valid;

	gpusvm_notifier_lock(svm);
	valid = gpusvm_range_pages_valid(svm, range);
	gpusvm_notifier_unlock(svm);
	return valid;
}

static void gpusvm_init_args_test(struct kunit *test)
{
	static const unsigned long ascending[] = { SZ_4K, SZ_64K };
	static const unsigned long no_page[] = { SZ_2M, SZ_64K };
	static const unsigned long odd[] = { SZ_2M, SZ_64K + SZ_32K, SZ_4K };
	static const unsigned long twice[] = { SZ_64K, SZ_64K, SZ_4K };
	static const struct gpusvm_ops no_invalidate = { };
	static const struct gpusvm_ops half_notifier = {
		.invalidate = gpusvm_test_invalidate,
		.notifier_free = gpusvm_test_notifier_free,
	};
	static const struct gpusvm_ops half_range = {
		.invalidate = gpusvm_test_invalidate,
		.range_free = gpusvm_test_range_free,
	};
	static const struct gpusvm_ops half_dma = {
		.invalidate = gpusvm_test_invalidate,
		.dma_map = gpusvm_test_dma_map,
	};
	const struct {
		const char *what;
		const struct gpusvm_ops *ops;
		const unsigned long *chunks;
		unsigned int num;
		unsigned long notifier_size;
	} bad[] = {
		{ "no ops", NULL, gpusvm_test_chunks, 3, SZ_512M },
		{ "no invalidate", &no_invalidate, gpusvm_test_chunks, 3, SZ_512M },
		{ "notifier_free alone", &half_notifier, gpusvm_test_chunks, 3, SZ_512M },
		{ "range_free alone", &half_range, gpusvm_test_chunks, 3, SZ_512M },
		{ "dma_map alone", &half_dma, gpusvm_test_chunks, 3, SZ_512M },
		{ "no sizes", &gpusvm_test_ops, gpusvm_test_chunks, 0, SZ_512M },
		{ "notifier not a power of two", &gpusvm_test_ops, gpusvm_test_chunks, 3,
		  SZ_512M + SZ_4K },
		{ "notifier below the largest size", &gpusvm_test_ops, gpusvm_test_chunks, 3,
		  SZ_1M },
		{ "ascending sizes", &gpusvm_test_ops, ascending, 2, SZ_512M },
		{ "no page size", &gpusvm_test_ops, no_page, 2, SZ_512M },
		{ "size not a power of two", &gpusvm_test_ops, odd, 3, SZ_512M },
		{ "size twice", &gpusvm_test_ops, twice, 3, SZ_512M },
	};
	struct gpusvm *svm = kunit_kzalloc(test, sizeof(*svm), GFP_KERNEL);
	struct mm_struct *mm;
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, svm);
	/* An address space, so that a wrongly accepted call does no harm. */
	KUNIT_ASSERT_NE(test, kunit_vm_mmap(test, NULL, 0, SZ_4K, PROT_READ,
					    MAP_PRIVATE | MAP_ANONYMOUS, 0), 0);
	mm = current->mm;
	KUNIT_ASSERT_NOT_NULL(test, mm);

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		int err = gpusvm_init(svm, "kunit", NULL, mm, NULL, 0, TASK_SIZE,
				      bad[i].notifier_size, bad[i].ops, bad[i].chunks,
				      bad[i].num);

		KUNIT_EXPECT_EQ_MSG(test, err, -EINVAL, "%s", bad[i].what);
		if (!err)
			gpusvm_fini(svm);
	}

	/* The smallest valid set: one size, the page, in a notifier of one page. */
	KUNIT_EXPECT_EQ(test, gpusvm_init(svm, "kunit", NULL, mm, NULL, 0, TASK_SIZE, SZ_4K,
					  &gpusvm_test_ops, gpusvm_test_chunks + 2, 1), 0);
	gpusvm_fini(svm);
}

/*
 * Notifiers cover aligned slices, cut to the mirror: with 4 MiB slices and
 * the mirror [base + 1M, base + 7M), the two slices become [base + 1M,
 * base + 4M) and [base + 4M, base + 7M). Ranges stay inside their notifier.
 */
static void gpusvm_notifier_bounds_test(struct kunit *test)
{
	struct gpusvm_test_mirror *m = gpusvm_test_mirror(test, SZ_1M, 6 * SZ_1M, SZ_4M);
	struct gpusvm *svm = &m->svm;
	const unsigned long b = m->base;
	struct gpusvm_notifier *n1, *n2;
	struct gpusvm_range *r1, *r2, *r3;

	/* The 2M block would start below the mirror. */
	r1 = gpusvm_test_fault(m, b + SZ_1M + SZ_8K + SZ_4K, 0);
	gpusvm_test_expect_range(test, r1, b + SZ_1M, SZ_64K);
	n1 = r1->notifier;
	KUNIT_EXPECT_EQ(test, n1->itree.start, b + SZ_1M);
	KUNIT_EXPECT_EQ(test, n1->itree.last, b + SZ_4M - 1);
	KUNIT_EXPECT_PTR_EQ(test, gpusvm_notifier_find(svm, b + SZ_1M), n1);
	KUNIT_EXPECT_PTR_EQ(test, gpusvm_notifier_find(svm, b + SZ_4M - 1), n1);
	KUNIT_EXPECT_NULL(test, gpusvm_notifier_find(svm, b + SZ_1M - 1));
	KUNIT_EXPECT_NULL(test, gpusvm_notifier_find(svm, b + SZ_4M));

	r2 = gpusvm_test_fault(m, b + SZ_2M + 5, 0);
	gpusvm_test_expect_range(test, r2, b + SZ_2M, SZ_2M);
	KUNIT_EXPECT_PTR_EQ(test, r2->notifier, n1);

	/* The 2M block would end past the mirror. */
	r3 = gpusvm_test_fault(m, b + 6 * SZ_1M + SZ_4K, 0);
	gpusvm_test_expect_range(test, r3, b + 6 * SZ_1M, SZ_64K);
	n2 = r3->notifier;
	KUNIT_EXPECT_PTR_NE(test, n2, n1);
	KUNIT_EXPECT_EQ(test, n2->itree.start, b + SZ_4M);
	KUNIT_EXPECT_EQ(test, n2->itree.last, b + 7 * SZ_1M - 1);
	KUNIT_EXPECT_PTR_EQ(test, gpusvm_notifier_find(svm, b + 7 * SZ_1M - 1), n2);
	KUNIT_EXPECT_NULL(test, gpusvm_notifier_find(svm, b + 7 * SZ_1M));
	KUNIT_EXPECT_EQ(test, gpusvm_test_count_notifiers(svm), 2);

	/* A fault in a range finds it. */
	KUNIT_EXPECT_PTR_EQ(test, gpusvm_test_fault(m, b + SZ_4M - 1, 0), r2);
	KUNIT_EXPECT_PTR_EQ(test, gpusvm_test_fault(m, b + SZ_1M, 0), r1);

	/* Outside the mirror, even with a CPU mapping there. */
	KUNIT_EXPECT_EQ(test, PTR_ERR(gpusvm_test_fault(m, b + 7 * SZ_1M, 0)), -EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(gpusvm_test_fault(m, b + SZ_1M - 1, 0)), -EINVAL);
	KUNIT_EXPECT_EQ(test, gpusvm_test_count_notifiers(svm), 2);

	KUNIT_EXPECT_FALSE(test, gpusvm_has_range(svm, b, b + SZ_1M));
	KUNIT_EXPECT_FALSE(test, gpusvm_has_range(svm, b + SZ_1M + SZ_64K, b + SZ_2M));
	KUNIT_EXPECT_TRUE(test, gpusvm_has_range(svm, b + SZ_1M + SZ_64K, b + SZ_2M + 1));
	KUNIT_EXPECT_TRUE(test, gpusvm_has_range(svm, b, b + GPUSVM_TEST_WINDOW));

	gpusvm_test_mirror_fini(test, m);
}

/* A range fits the CPU VMA, the GPU mapping, the caller's limit and its neighbours. */
static void gpusvm_range_place_test(struct kunit *test)
{
	struct gpusvm_test_mirror *m = gpusvm_test_mirror(test, 0, GPUSVM_TEST_WINDOW,
							  GPUSVM_TEST_WINDOW);
	struct gpusvm_ctx ctx = {};
	struct gpusvm *svm = &m->svm;
	const unsigned long b = m->base;

	/* A read-only VMA at [3M, 4M): a VMA edge in the middle of a 2M block. */
	gpusvm_test_mmap(test, b + 3 * SZ_1M, SZ_1M, PROT_READ);

	gpusvm_test_expect_range(test, gpusvm_test_fault(m, b + SZ_2M + SZ_4K, 0),
				 b + SZ_2M, SZ_64K);
	gpusvm_test_expect_range(test, gpusvm_test_fault(m, b + 3 * SZ_1M + SZ_4K, 0),
				 b + 3 * SZ_1M, SZ_64K);

	/* The GPU mapping starts in the middle of the 64K block. */
	gpusvm_test_expect_range(test, gpusvm_range_find_or_insert(svm, b + SZ_4M + SZ_8K,
								   b + SZ_4M + SZ_4K,
								   b + 6 * SZ_1M, &ctx),
				 b + SZ_4M + SZ_8K, SZ_4K);
	/* Its neighbours: the page overlaps the 2M and 64K blocks around them. */
	gpusvm_test_expect_range(test, gpusvm_test_fault(m, b + SZ_4M + SZ_16K, 0),
				 b + SZ_4M + SZ_16K, SZ_4K);
	gpusvm_test_expect_range(test, gpusvm_test_fault(m, b + SZ_4M + SZ_64K + SZ_32K, 0),
				 b + SZ_4M + SZ_64K, SZ_64K);

	/* The caller's limit; below a page, a page. */
	gpusvm_test_expect_range(test, gpusvm_test_fault(m, b + 6 * SZ_1M + SZ_4K, SZ_64K),
				 b + 6 * SZ_1M, SZ_64K);
	gpusvm_test_expect_range(test, gpusvm_test_fault(m, b + 7 * SZ_1M, SZ_4K),
				 b + 7 * SZ_1M, SZ_4K);
	gpusvm_test_expect_range(test, gpusvm_test_fault(m, b + 7 * SZ_1M + SZ_64K,
							 SZ_64K + SZ_32K),
				 b + 7 * SZ_1M + SZ_64K, SZ_64K);
	gpusvm_test_expect_range(test, gpusvm_test_fault(m, b + 7 * SZ_1M + SZ_128K, 1),
				 b + 7 * SZ_1M + SZ_128K, SZ_4K);
	gpusvm_test_expect_range(test, gpusvm_test_fault(m, b + SZ_4K + 5, 0), b, SZ_2M);

	/* Outside the GPU mapping; then a hole in the CPU mapping. */
	KUNIT_EXPECT_EQ(test, PTR_ERR(gpusvm_range_find_or_insert(svm, b + 5 * SZ_1M, b,
								  b + 5 * SZ_1M, &ctx)),
			-EINVAL);
	KUNIT_ASSERT_EQ(test, vm_munmap(b + 5 * SZ_1M, SZ_64K), 0);
	KUNIT_EXPECT_EQ(test, PTR_ERR(gpusvm_test_fault(m, b + 5 * SZ_1M + SZ_4K, 0)), -ENOENT);
	gpusvm_test_expect_range(test, gpusvm_test_fault(m, b + 5 * SZ_1M + SZ_64K, 0),
				 b + 5 * SZ_1M + SZ_64K, SZ_64K);
	KUNIT_EXPECT_EQ(test, gpusvm_test_count_notifiers(svm), 1);

	gpusvm_test_mirror_fini(test, m);
}

/* A notifier lives exactly as long as it has ranges. */
static void gpusvm_notifier_lifetime_test(struct kunit *test)
{
	struct gpusvm_test_mirror *m = gpusvm_test_mirror(test, 0, GPUSVM_TEST_WINDOW, SZ_4M);
	struct gpusvm *svm = &m->svm;
	const unsigned long b = m->base;
	struct gpusvm_range *r1, *r2;

	/* No CPU mapping: the notifier inserted for the fault goes again. */
	KUNIT_ASSERT_EQ(test, vm_munmap(b + SZ_4M, SZ_4M), 0);
	KUNIT_EXPECT_EQ(test, PTR_ERR(gpusvm_test_fault(m, b + 5 * SZ_1M, 0)), -ENOENT);
	KUNIT_EXPECT_NULL(test, gpusvm_notifier_find(svm, b + 5 * SZ_1M));
	KUNIT_EXPECT_EQ(test, gpusvm_test_count_notifiers(svm), 0);

	r1 = gpusvm_test_fault(m, b + SZ_4K, 0);
	gpusvm_test_expect_range(test, r1, b, SZ_2M);
	r2 = gpusvm_test_fault(m, b + SZ_2M, SZ_4K);
	gpusvm_test_expect_range(test, r2, b + SZ_2M, SZ_4K);
	KUNIT_EXPECT_EQ(test, gpusvm_test_count_notifiers(svm), 1);

	gpusvm_range_remove(svm, r1);
	KUNIT_EXPECT_PTR_EQ(test, gpusvm_notifier_find(svm, b), r2->notifier);
	gpusvm_range_remove(svm, r2);
	KUNIT_EXPECT_NULL(test, gpusvm_notifier_find(svm, b));
	KUNIT_EXPECT_EQ(test, gpusvm_test_count_notifiers(svm), 0);

	gpusvm_test_expect_range(test, gpusvm_test_fault(m, b + SZ_4K, 0), b, SZ_2M);
	KUNIT_EXPECT_EQ(test, gpusvm_test_count_notifiers(svm), 1);

	gpusvm_test_mirror_fini(test, m);
}

/* The page at @addr, as the range's blocks give it. */
static struct page *gpusvm_test_page(struct gpusvm_range *range, unsigned long addr)
{
	unsigned long i = (addr - gpusvm_range_start(range)) >> PAGE_SHIFT;
	unsigned long first = ALIGN_DOWN(i, 1ul << range->dma[i].order);

	return pfn_to_page(range->dma[first].pfn + (i - first));
}

/* The blocks tile the range, each aligned, each known to its pages. */
static void gpusvm_test_expect_blocks(struct kunit *test, struct gpusvm_range *range)
{
	unsigned long i, j, npages = gpusvm_range_size(range) >> PAGE_SHIFT;

	for (i = 0; i < npages; i += 1ul << range->dma[i].order) {
		const struct gpusvm_dma *dma = &range->dma[i];

		KUNIT_EXPECT_TRUE(test, IS_ALIGNED(i, 1ul << dma->order));
		KUNIT_EXPECT_TRUE(test, IS_ALIGNED(dma->pfn, 1ul << dma->order));
		KUNIT_EXPECT_EQ(test, dma->addr, page_to_phys(pfn_to_page(dma->pfn)));
		for (j = 1; j < 1ul << dma->order && i + j < npages; j++)
			KUNIT_EXPECT_EQ(test, dma[j].order, dma->order);
	}
	KUNIT_EXPECT_EQ(test, i, npages);
}

/*
 * Pages are found and mapped, kept while valid, and dropped by the notifier
 * when the CPU unmaps a part of the range, which then waits for the garbage
 * collector as a whole.
 */
static void gpusvm_get_pages_test(struct kunit *test)
{
	struct gpusvm_test_mirror *m = gpusvm_test_mirror(test, 0, GPUSVM_TEST_WINDOW,
							  GPUSVM_TEST_WINDOW);
	const u64 magic = 0x5eed0fc0ffee600dull;
	struct gpusvm *svm = &m->svm;
	const unsigned long b = m->base;
	struct gpusvm_ctx ctx = {};
	struct gpusvm_range *range;
	u64 seen, *vaddr;

	KUNIT_ASSERT_EQ(test, copy_to_user((void __user *)(b + SZ_64K + 8), &magic,
					   sizeof(magic)), 0);

	range = gpusvm_test_fault(m, b + SZ_4K, 0);
	gpusvm_test_expect_range(test, range, b, SZ_2M);
	KUNIT_EXPECT_FALSE(test, gpusvm_test_pages_valid(svm, range));

	KUNIT_ASSERT_EQ(test, gpusvm_range_get_pages(svm, range, &ctx), 0);
	KUNIT_EXPECT_TRUE(test, gpusvm_test_pages_valid(svm, range));
	KUNIT_EXPECT_FALSE(test, range->read_only);
	KUNIT_EXPECT_EQ(test, m->mapped, SZ_2M >> PAGE_SHIFT);
	gpusvm_test_expect_blocks(test, range);

	/* The page found is the one the CPU wrote. */
	vaddr = kmap_local_page(gpusvm_test_page(range, b + SZ_64K));
	seen = vaddr[1];
	kunmap_local(vaddr);
	KUNIT_EXPECT_EQ(test, seen, magic);

	/* Still valid: nothing is found or mapped again. */
	KUNIT_EXPECT_EQ(test, gpusvm_range_get_pages(svm, range, &ctx), 0);
	KUNIT_EXPECT_EQ(test, m->mapped, SZ_2M >> PAGE_SHIFT);

	/* Dropped by the driver, found again. */
	gpusvm_range_unmap_pages(svm, range);
	KUNIT_EXPECT_FALSE(test, gpusvm_test_pages_valid(svm, range));
	KUNIT_EXPECT_EQ(test, m->unmapped, SZ_2M >> PAGE_SHIFT);
	KUNIT_EXPECT_EQ(test, gpusvm_range_get_pages(svm, range, &ctx), 0);
	KUNIT_EXPECT_TRUE(test, gpusvm_test_pages_valid(svm, range));
	KUNIT_EXPECT_EQ(test, m->mapped, 2 * (SZ_2M >> PAGE_SHIFT));

	/* One page of it unmapped by the CPU: the whole range goes. */
	KUNIT_ASSERT_EQ(test, vm_munmap(b + SZ_1M, SZ_4K), 0);
	KUNIT_EXPECT_TRUE(test, m->saw_unmap);
	KUNIT_EXPECT_TRUE(test, range->unmapped);
	KUNIT_EXPECT_FALSE(test, gpusvm_test_pages_valid(svm, range));
	KUNIT_EXPECT_EQ(test, m->unmapped, m->mapped);
	KUNIT_EXPECT_PTR_EQ(test, gpusvm_range_gc_next(svm), range);
	KUNIT_EXPECT_NULL(test, gpusvm_range_gc_next(svm));
	gpusvm_range_remove(svm, range);
	KUNIT_EXPECT_EQ(test, gpusvm_test_count_notifiers(svm), 0);

	gpusvm_test_mirror_fini(test, m);
}

/*
 * An invalidation elsewhere in the notifier leaves a range's pages alone:
 * once get-pages succeeds, with nothing changing since, the pages are valid.
 * A driver retries its bind until they are, so anything else would make a
 * fault spin until its time bound and fail.
 */
static void gpusvm_pages_valid_unrelated_test(struct kunit *test)
{
	struct gpusvm_test_mirror *m = gpusvm_test_mirror(test, 0, GPUSVM_TEST_WINDOW,
							  GPUSVM_TEST_WINDOW);
	struct gpusvm *svm = &m->svm;
	const unsigned long b = m->base;
	struct gpusvm_ctx ctx = {};
	struct gpusvm_range *a, *c;
	unsigned long mapped;

	/* In different 2M blocks, so that no huge page is shared. */
	a = gpusvm_test_fault(m, b + SZ_4K, SZ_64K);
	gpusvm_test_expect_range(test, a, b, SZ_64K);
	c = gpusvm_test_fault(m, b + SZ_2M + SZ_4K, SZ_64K);
	gpusvm_test_expect_range(test, c, b + SZ_2M, SZ_64K);
	KUNIT_ASSERT_PTR_EQ(test, a->notifier, c->notifier);
	KUNIT_ASSERT_EQ(test, gpusvm_range_get_pages(svm, a, &ctx), 0);
	KUNIT_ASSERT_EQ(test, gpusvm_range_get_pages(svm, c, &ctx), 0);

	KUNIT_ASSERT_EQ(test, vm_munmap(b + SZ_2M + SZ_8K, SZ_4K), 0);
	KUNIT_EXPECT_TRUE(test, c->unmapped);
	KUNIT_EXPECT_FALSE(test, a->unmapped);

	mapped = m->mapped;
	KUNIT_EXPECT_EQ(test, gpusvm_range_get_pages(svm, a, &ctx), 0);
	KUNIT_EXPECT_TRUE_MSG(test, gpusvm_test_pages_valid(svm, a),
			      "get-pages succeeded, yet the pages are not valid");
	KUNIT_EXPECT_LE(test, m->mapped - mapped, SZ_64K >> PAGE_SHIFT);
	gpusvm_test_expect_blocks(test, a);

	gpusvm_test_mirror_fini(test, m);
}

/* Read-only CPU mappings and read-only requests map for reading; PROT_NONE fails. */
static void gpusvm_get_pages_access_test(struct kunit *test)
{
	struct gpusvm_test_mirror *m = gpusvm_test_mirror(test, 0, GPUSVM_TEST_WINDOW,
							  GPUSVM_TEST_WINDOW);
	struct gpusvm *svm = &m->svm;
	const unsigned long b = m->base;
	struct gpusvm_ctx ctx = {}, ro = { .read_only = true };
	struct gpusvm_range *range;

	gpusvm_test_mmap(test, b + SZ_2M, SZ_2M, PROT_READ);
	gpusvm_test_mmap(test, b + SZ_4M, SZ_2M, PROT_NONE);

	range = gpusvm_test_fault(m, b + SZ_2M + SZ_4K, 0);
	gpusvm_test_expect_range(test, range, b + SZ_2M, SZ_2M);
	KUNIT_EXPECT_EQ(test, gpusvm_range_get_pages(svm, range, &ctx), 0);
	KUNIT_EXPECT_TRUE(test, range->read_only);
	KUNIT_EXPECT_TRUE(test, gpusvm_test_pages_valid(svm, range));

	range = gpusvm_test_fault(m, b + SZ_4K, SZ_64K);
	gpusvm_test_expect_range(test, range, b, SZ_64K);
	KUNIT_EXPECT_EQ(test, gpusvm_range_get_pages(svm, range, &ro), 0);
	KUNIT_EXPECT_TRUE(test, range->read_only);

	range = gpusvm_test_fault(m, b + SZ_64K, SZ_64K);
	gpusvm_test_expect_range(test, range, b + SZ_64K, SZ_64K);
	KUNIT_EXPECT_EQ(test, gpusvm_range_get_pages(svm, range, &ctx), 0);
	KUNIT_EXPECT_FALSE(test, range->read_only);

	range = gpusvm_test_fault(m, b + SZ_4M + SZ_4K, 0);
	gpusvm_test_expect_range(test, range, b + SZ_4M, SZ_2M);
	KUNIT_EXPECT_EQ(test, gpusvm_range_get_pages(svm, range, &ctx), -EFAULT);
	KUNIT_EXPECT_FALSE(test, gpusvm_test_pages_valid(svm, range));

	gpusvm_test_mirror_fini(test, m);
}

/* A DMA mapping failing half way leaves nothing mapped, and the next try works. */
static void gpusvm_get_pages_dma_error_test(struct kunit *test)
{
	struct gpusvm_test_mirror *m = gpusvm_test_mirror(test, 0, GPUSVM_TEST_WINDOW,
							  GPUSVM_TEST_WINDOW);
	struct gpusvm *svm = &m->svm;
	const unsigned long b = m->base;
	struct gpusvm_ctx ctx = {};
	struct gpusvm_range *range;

	/* A 1M read-write VMA: no huge page, so the 64K range is 16 blocks. */
	gpusvm_test_mmap(test, b + SZ_1M, SZ_1M, PROT_READ);
	range = gpusvm_test_fault(m, b + SZ_4K, 0);
	gpusvm_test_expect_range(test, range, b, SZ_64K);

	m->fail_map_call = 4;
	KUNIT_EXPECT_EQ(test, gpusvm_range_get_pages(svm, range, &ctx), -ENOMEM);
	KUNIT_EXPECT_EQ(test, m->map_calls, 4);
	KUNIT_EXPECT_EQ(test, m->mapped, 3);
	KUNIT_EXPECT_EQ(test, m->unmapped, m->mapped);
	KUNIT_EXPECT_FALSE(test, gpusvm_test_pages_valid(svm, range));

	m->fail_map_call = 0;
	KUNIT_EXPECT_EQ(test, gpusvm_range_get_pages(svm, range, &ctx), 0);
	KUNIT_EXPECT_TRUE(test, gpusvm_test_pages_valid(svm, range));
	KUNIT_EXPECT_EQ(test, m->mapped - m->unmapped, SZ_64K >> PAGE_SHIFT);

	gpusvm_test_mirror_fini(test, m);
}

static struct kunit_case gpusvm_cases[] = {
	KUNIT_CASE_PARAM(gpusvm_chunk_size_test, gpusvm_chunk_gen_params),
	KUNIT_CASE(gpusvm_chunk_size_random_test),
	KUNIT_CASE(gpusvm_notifier_find_test),
	KUNIT_CASE(gpusvm_range_find_test),
	KUNIT_CASE(gpusvm_range_walk_test),
	KUNIT_CASE(gpusvm_has_range_test),
	KUNIT_CASE(gpusvm_gc_test),
	KUNIT_CASE(gpusvm_init_args_test),
	KUNIT_CASE(gpusvm_notifier_bounds_test),
	KUNIT_CASE(gpusvm_range_place_test),
	KUNIT_CASE(gpusvm_notifier_lifetime_test),
	KUNIT_CASE(gpusvm_get_pages_test),
	KUNIT_CASE(gpusvm_pages_valid_unrelated_test),
	KUNIT_CASE(gpusvm_get_pages_access_test),
	KUNIT_CASE(gpusvm_get_pages_dma_error_test),
	{}
};

/* Named xe_* like the driver's other suites, whose results are collected together. */
static struct kunit_suite gpusvm_suite = {
	.name = "xe_gpusvm",
	.test_cases = gpusvm_cases,
};

kunit_test_suite(gpusvm_suite);
