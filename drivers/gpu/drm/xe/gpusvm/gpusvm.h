/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright © 2026 The xe virtual GPU authors
 */

#ifndef _GPUSVM_H_
#define _GPUSVM_H_

#include <linux/interval_tree.h>
#include <linux/list.h>
#include <linux/lockdep.h>
#include <linux/mmu_notifier.h>
#include <linux/rwsem.h>
#include <linux/spinlock.h>
#include <linux/types.h>

struct device;
struct gpusvm;
struct gpusvm_notifier;
struct gpusvm_range;
struct page;

/**
 * struct gpusvm_ops - what a driver plugs into GPU SVM
 */
struct gpusvm_ops {
	/**
	 * @notifier_alloc: Optional. Allocate a notifier, usually embedded in
	 * a driver structure. Default: kzalloc.
	 */
	struct gpusvm_notifier *(*notifier_alloc)(struct gpusvm *svm);
	/** @notifier_free: Optional, required with @notifier_alloc. */
	void (*notifier_free)(struct gpusvm_notifier *notifier);
	/**
	 * @range_alloc: Optional. Allocate a range, usually embedded in a
	 * driver structure; GFP_KERNEL allocation is allowed. Default: kzalloc.
	 */
	struct gpusvm_range *(*range_alloc)(struct gpusvm *svm);
	/** @range_free: Optional, required with @range_alloc. Free a range. */
	void (*range_free)(struct gpusvm_range *range);
	/**
	 * @invalidate: Required. The CPU mapping of [start, end) of
	 * @mmu_range is about to change: make the GPU stop using it. Called
	 * with the notifier lock held for writing, after ranges hit by an
	 * unmap were marked unmapped and queued for the garbage collector, and
	 * before their DMA mappings are dropped: zap the PTEs of every range
	 * the device maps in the interval, invalidate the TLBs and wait for
	 * that. Must not allocate memory or wait on anything that does.
	 */
	void (*invalidate)(struct gpusvm *svm, struct gpusvm_notifier *notifier,
			   const struct mmu_notifier_range *mmu_range);
	/**
	 * @dma_map: Optional. Map 2^@order pages from @page for the device.
	 * Default: dma_map_page() of the whole block.
	 */
	int (*dma_map)(struct gpusvm *svm, struct page *page, unsigned int order,
		       dma_addr_t *addr);
	/**
	 * @dma_unmap: Optional, required with @dma_map. Undo @dma_map; called
	 * from the notifier callback, so it must not allocate.
	 */
	void (*dma_unmap)(struct gpusvm *svm, unsigned long pfn, unsigned int order,
			  dma_addr_t addr);
};

/**
 * struct gpusvm_dma - how the device reaches one block of a range
 */
struct gpusvm_dma {
	/** @addr: bus address of the block */
	dma_addr_t addr;
	/** @pfn: first page frame of the block */
	unsigned long pfn;
	/** @order: the block is 2^@order pages */
	unsigned int order;
};

/**
 * struct gpusvm_notifier - an MMU interval notifier over a fixed-size,
 * aligned slice of the address space, and the ranges inside it
 */
struct gpusvm_notifier {
	/** @svm: the owner */
	struct gpusvm *svm;
	/** @notifier: what the core mm calls on invalidation */
	struct mmu_interval_notifier notifier;
	/** @itree: node in &gpusvm.notifiers */
	struct interval_tree_node itree;
	/**
	 * @ranges: the ranges, changed with the driver lock and the notifier
	 * lock for writing both held
	 */
	struct rb_root_cached ranges;
};

/**
 * struct gpusvm_range - a piece of a notifier the GPU mirrors as one unit
 *
 * Sized and placed once, at fault time; never split or resized.
 */
struct gpusvm_range {
	/** @notifier: the notifier it is in */
	struct gpusvm_notifier *notifier;
	/** @itree: node in &gpusvm_notifier.ranges */
	struct interval_tree_node itree;
	/** @gc_link: entry in &gpusvm.gc_list, under &gpusvm.gc_lock */
	struct list_head gc_link;
	/**
	 * @dma: one entry per page; the entry of a block's first page
	 * describes the block, the others are unused. Written by
	 * gpusvm_range_get_pages() while @pages_valid is false, read under
	 * the notifier lock.
	 */
	struct gpusvm_dma *dma;
	/**
	 * @pages_valid: @dma maps the pages the CPU has now; cleared by the
	 * notifier callback. Under the notifier lock.
	 */
	bool pages_valid;
	/** @read_only: the CPU mapping was read-only when pages were found */
	bool read_only;
	/**
	 * @unmapped: the CPU unmapped some of the range; it waits for the
	 * garbage collector. Set under the notifier lock, never cleared.
	 */
	bool unmapped;
};

/**
 * struct gpusvm_ctx - how a caller wants one operation done
 */
struct gpusvm_ctx {
	/** @max_chunk: largest range to create, 0 for no limit */
	unsigned long max_chunk;
	/** @timeout_ms: how long get-pages retries on collisions, 0 for default */
	unsigned int timeout_ms;
	/** @read_only: map for reading only, whatever the CPU may do */
	bool read_only;
	/**
	 * @retries: out: times gpusvm_range_get_pages() started over because
	 * the memory changed under it; added to, never reset
	 */
	unsigned int retries;
};

/**
 * struct gpusvm - the GPU mirror of one process address space
 */
struct gpusvm {
	/** @name: for messages */
	const char *name;
	/** @dev: the device pages are mapped for */
	struct device *dev;
	/** @mm: the process, held with mmgrab() */
	struct mm_struct *mm;
	/** @device_private_page_owner: owner of device pages mapped in place */
	void *device_private_page_owner;
	/** @mm_start: first mirrored address */
	unsigned long mm_start;
	/** @mm_range: bytes mirrored from @mm_start */
	unsigned long mm_range;
	/** @notifier_size: bytes of one notifier, a power of two */
	unsigned long notifier_size;
	/** @chunk_sizes: range sizes, descending powers of two, last PAGE_SIZE */
	const unsigned long *chunk_sizes;
	/** @num_chunks: entries of @chunk_sizes */
	unsigned int num_chunks;
	/** @ops: the driver's hooks */
	const struct gpusvm_ops *ops;
	/**
	 * @notifier_lock: the "driver->update" lock of hmm.rst. Read: a
	 * range's pages are being checked or published. Write: the notifier
	 * callback, and changes to the notifier and range trees. Taken in
	 * reclaim: nothing that allocates may run under it.
	 */
	struct rw_semaphore notifier_lock;
	/** @notifiers: interval tree of notifiers, changed as the ranges are */
	struct rb_root_cached notifiers;
	/** @gc_lock: protects @gc_list; innermost */
	spinlock_t gc_lock;
	/** @gc_list: unmapped ranges waiting for the garbage collector */
	struct list_head gc_list;
#ifdef CONFIG_LOCKDEP
	/** @lock_dep_map: the driver lock that serialises tree changes */
	struct lockdep_map *lock_dep_map;
#endif
};

/**
 * gpusvm_driver_set_lock() - name the driver lock for lockdep checks
 * @svm: the mirror
 * @lock: a lock with a dep_map (mutex, rw_semaphore), held around every
 *	  gpusvm_range_find_or_insert(), gpusvm_range_remove() and
 *	  gpusvm_range_get_pages() of @svm
 */
#ifdef CONFIG_LOCKDEP
#define gpusvm_driver_set_lock(svm, lock) ((svm)->lock_dep_map = &(lock)->dep_map)
#else
#define gpusvm_driver_set_lock(svm, lock) do { (void)(svm); (void)(lock); } while (0)
#endif

/**
 * gpusvm_notifier_lock() - take the notifier lock for reading
 * @svm: the mirror
 */
#define gpusvm_notifier_lock(svm)	down_read(&(svm)->notifier_lock)

/**
 * gpusvm_notifier_unlock() - drop the notifier lock taken for reading
 * @svm: the mirror
 */
#define gpusvm_notifier_unlock(svm)	up_read(&(svm)->notifier_lock)

/**
 * gpusvm_range_start() - first address of a range
 * @range: the range
 *
 * Return: the address.
 */
static inline unsigned long gpusvm_range_start(const struct gpusvm_range *range)
{
	return range->itree.start;
}

/**
 * gpusvm_range_end() - end of a range
 * @range: the range
 *
 * Return: the first address after it.
 */
static inline unsigned long gpusvm_range_end(const struct gpusvm_range *range)
{
	return range->itree.last + 1;
}

/**
 * gpusvm_range_size() - bytes of a range
 * @range: the range
 *
 * Return: the size.
 */
static inline unsigned long gpusvm_range_size(const struct gpusvm_range *range)
{
	return gpusvm_range_end(range) - gpusvm_range_start(range);
}

int gpusvm_init(struct gpusvm *svm, const char *name, struct device *dev,
		struct mm_struct *mm, void *device_private_page_owner,
		unsigned long mm_start, unsigned long mm_range,
		unsigned long notifier_size, const struct gpusvm_ops *ops,
		const unsigned long *chunk_sizes, unsigned int num_chunks);
void gpusvm_fini(struct gpusvm *svm);

unsigned long gpusvm_chunk_size(const unsigned long *chunk_sizes, unsigned int num_chunks,
				unsigned long addr, unsigned long lo, unsigned long hi,
				bool (*busy)(void *arg, unsigned long start, unsigned long end),
				void *arg);
struct gpusvm_notifier *gpusvm_notifier_find(struct gpusvm *svm, unsigned long addr);
struct gpusvm_range *gpusvm_range_find(struct gpusvm_notifier *notifier,
				       unsigned long start, unsigned long end);
struct gpusvm_range *gpusvm_range_next(struct gpusvm_range *range, unsigned long start,
				       unsigned long end);
bool gpusvm_has_range(struct gpusvm *svm, unsigned long start, unsigned long end);
unsigned long gpusvm_find_vma_start(struct gpusvm *svm, unsigned long start, unsigned long end);

struct gpusvm_range *gpusvm_range_find_or_insert(struct gpusvm *svm, unsigned long addr,
						 unsigned long gpuva_start,
						 unsigned long gpuva_end,
						 const struct gpusvm_ctx *ctx);
int gpusvm_range_get_pages(struct gpusvm *svm, struct gpusvm_range *range,
			   struct gpusvm_ctx *ctx);
bool gpusvm_range_pages_valid(struct gpusvm *svm, struct gpusvm_range *range);
void gpusvm_range_unmap_pages(struct gpusvm *svm, struct gpusvm_range *range);
void gpusvm_range_remove(struct gpusvm *svm, struct gpusvm_range *range);

void gpusvm_range_gc_add(struct gpusvm *svm, struct gpusvm_range *range);
struct gpusvm_range *gpusvm_range_gc_next(struct gpusvm *svm);

/**
 * gpusvm_for_each_range() - walk the ranges of a notifier that overlap an interval
 * @range: the cursor
 * @notifier: the notifier
 * @start: first address
 * @end: end of the interval
 *
 * The trees must not change meanwhile: hold the driver lock or the
 * notifier lock.
 */
#define gpusvm_for_each_range(range, notifier, start, end)			\
	for ((range) = gpusvm_range_find((notifier), (start), (end));		\
	     (range);								\
	     (range) = gpusvm_range_next((range), (start), (end)))

#endif
