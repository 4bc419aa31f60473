// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The xe virtual GPU authors
 */

#include <linux/dma-mapping.h>
#include <linux/hmm.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>

#include <kunit/visibility.h>

#include "gpusvm.h"

/**
 * DOC: Overview
 *
 * GPU SVM lets a device use a process's memory at the process's own
 * addresses: the GPU faults, and the driver resolves the fault by finding
 * the CPU pages behind the address and mapping them in its page tables.
 * Nothing is pinned. The core mm says when pages change through MMU
 * interval notifiers, and the device lets go of them before the callback
 * returns.
 *
 * This helper owns the bookkeeping that is the same for every device:
 *
 * - Notifiers: &struct gpusvm_notifier covers an aligned slice of
 *   &gpusvm.notifier_size bytes. One is inserted when the first fault in
 *   its slice arrives and removed with its last range, so a huge, mostly
 *   untouched mirror costs only what the device touched.
 * - Ranges: &struct gpusvm_range is the unit the device maps, finds pages
 *   for and invalidates. Its size is chosen at fault time, the largest of
 *   &gpusvm.chunk_sizes that, aligned, covers the address and fits the CPU
 *   VMA, the notifier and the GPU mapping without overlapping another
 *   range (gpusvm_chunk_size()). Ranges are never split or resized: when
 *   the CPU unmaps part of one, the whole range goes.
 * - Pages: gpusvm_range_get_pages() runs hmm_range_fault() in the notifier
 *   sequence protocol of Documentation/mm/hmm.rst, retrying collisions for
 *   a bounded time, and maps the pages for DMA a CPU mapping at a time
 *   (a 2 MiB THP is one mapping).
 * - The notifier callback: it marks ranges the CPU unmapped and queues them
 *   for the garbage collector, lets the driver zap its PTEs through
 *   &gpusvm_ops.invalidate, then drops the ranges' DMA mappings.
 * - The garbage collector's list: unmapped ranges wait on it until the
 *   driver, holding its own lock, removes them (gpusvm_range_gc_next() and
 *   gpusvm_range_remove()). Drivers run it before handling each fault, so
 *   a fault never finds a stale range.
 *
 * It does not own page tables, TLBs, fault queues or device memory: the
 * driver does. It includes nothing from any driver; drivers plug in
 * through &struct gpusvm_ops.
 */

/**
 * DOC: Locking
 *
 * - The driver lock (named with gpusvm_driver_set_lock()) serialises every
 *   change of the notifier and range trees and every get-pages of one
 *   mirror: gpusvm_range_find_or_insert(), gpusvm_range_get_pages() and
 *   gpusvm_range_remove() assert it.
 * - mmap_lock is taken for reading only, inside this helper, under the
 *   driver lock; never for writing.
 * - &gpusvm.notifier_lock, under mmap_lock: held for writing by the
 *   notifier callback and by tree changes; for reading while a range's
 *   pages are published and while the driver commits PTEs after checking
 *   gpusvm_range_pages_valid(). It is taken in reclaim (the callback), so
 *   nothing under it allocates.
 * - &gpusvm.gc_lock, a spinlock, innermost: the garbage collector's list.
 *
 * So a fault handler takes: driver lock, then (inside the helper) mmap_lock,
 * then the notifier lock for reading, then the driver's page-table lock.
 * The callback takes the notifier lock for writing, then the driver's
 * page-table lock.
 */

/**
 * DOC: Examples
 *
 * A fault handler, with its driver lock held::
 *
 *	gc_run(svm);		// gpusvm_range_gc_next() + gpusvm_range_remove()
 *	range = gpusvm_range_find_or_insert(svm, addr, gpuva_start, gpuva_end, &ctx);
 *	if (IS_ERR(range))
 *		return PTR_ERR(range);
 *	retry:
 *	err = gpusvm_range_get_pages(svm, range, &ctx);
 *	if (err)
 *		return err;
 *	prepare_ptes(range);		// may allocate
 *	gpusvm_notifier_lock(svm);
 *	if (!gpusvm_range_pages_valid(svm, range)) {
 *		gpusvm_notifier_unlock(svm);
 *		goto retry;		// bounded in time
 *	}
 *	commit_ptes(range);		// allocates nothing
 *	gpusvm_notifier_unlock(svm);
 *
 * The notifier callback (&gpusvm_ops.invalidate)::
 *
 *	gpusvm_for_each_range(range, notifier, start, end)
 *		zap_ptes(range);
 *	tlb_invalidate_and_wait(start, end);
 *
 * The garbage collector, with the driver lock held::
 *
 *	while ((range = gpusvm_range_gc_next(svm)))
 *		gpusvm_range_remove(svm, range);
 */

static void gpusvm_assert_driver_locked(struct gpusvm *svm)
{
#ifdef CONFIG_LOCKDEP
	if (svm->lock_dep_map)
		lockdep_assert(lock_is_held(svm->lock_dep_map));
#endif
}

static unsigned long gpusvm_notifier_start(const struct gpusvm_notifier *notifier)
{
	return notifier->itree.start;
}

static unsigned long gpusvm_notifier_end(const struct gpusvm_notifier *notifier)
{
	return notifier->itree.last + 1;
}

static unsigned long gpusvm_range_npages(const struct gpusvm_range *range)
{
	return gpusvm_range_size(range) >> PAGE_SHIFT;
}

/**
 * gpusvm_init() - set up the mirror of a process
 * @svm: the mirror
 * @name: name for messages
 * @dev: the device pages are mapped for
 * @mm: the process; the mirror keeps it with mmgrab() until gpusvm_fini()
 * @device_private_page_owner: owner of device-private pages the device
 *	maps as they are instead of migrating them back (NULL for none)
 * @mm_start: first address to mirror
 * @mm_range: bytes to mirror
 * @notifier_size: bytes per notifier, a power of two, at least the
 *	largest chunk
 * @ops: the driver's hooks
 * @chunk_sizes: range sizes to choose from, descending powers of two
 *	ending with PAGE_SIZE; the array must outlive the mirror
 * @num_chunks: entries of @chunk_sizes
 *
 * Return: 0, or -EINVAL for inconsistent sizes or a missing hook.
 */
int gpusvm_init(struct gpusvm *svm, const char *name, struct device *dev,
		struct mm_struct *mm, void *device_private_page_owner,
		unsigned long mm_start, unsigned long mm_range,
		unsigned long notifier_size, const struct gpusvm_ops *ops,
		const unsigned long *chunk_sizes, unsigned int num_chunks)
{
	unsigned int i;

	if (!ops || !ops->invalidate || !num_chunks || !is_power_of_2(notifier_size) ||
	    !!ops->notifier_alloc != !!ops->notifier_free ||
	    !!ops->range_alloc != !!ops->range_free || !!ops->dma_map != !!ops->dma_unmap ||
	    chunk_sizes[num_chunks - 1] != PAGE_SIZE || notifier_size < chunk_sizes[0])
		return -EINVAL;
	for (i = 0; i < num_chunks; i++)
		if (!is_power_of_2(chunk_sizes[i]) || (i && chunk_sizes[i] >= chunk_sizes[i - 1]))
			return -EINVAL;

	svm->name = name;
	svm->dev = dev;
	svm->mm = mm;
	svm->device_private_page_owner = device_private_page_owner;
	svm->mm_start = mm_start;
	svm->mm_range = mm_range;
	svm->notifier_size = notifier_size;
	svm->ops = ops;
	svm->chunk_sizes = chunk_sizes;
	svm->num_chunks = num_chunks;
	init_rwsem(&svm->notifier_lock);
	svm->notifiers = RB_ROOT_CACHED;
	spin_lock_init(&svm->gc_lock);
	INIT_LIST_HEAD(&svm->gc_list);
#ifdef CONFIG_LOCKDEP
	svm->lock_dep_map = NULL;
#endif

	/* The callback takes the notifier lock in reclaim. */
	fs_reclaim_acquire(GFP_KERNEL);
	might_lock(&svm->notifier_lock);
	fs_reclaim_release(GFP_KERNEL);

	mmgrab(mm);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(gpusvm_init);

/* --- lookups ------------------------------------------------------------------ */

/**
 * gpusvm_chunk_size() - choose the size of a new range
 * @chunk_sizes: sizes to try, descending powers of two
 * @num_chunks: entries of @chunk_sizes
 * @addr: the faulting address
 * @lo: lowest address the range may start at (the CPU VMA, the notifier
 *	and the GPU mapping, intersected)
 * @hi: end of the window the range must fit in
 * @busy: tells whether an existing range overlaps [start, end)
 * @arg: passed to @busy
 *
 * Pure logic, so that it can be tested on its own.
 *
 * Return: the largest size whose aligned block around @addr fits in
 * [@lo, @hi) and overlaps no range, or 0 if none does.
 */
unsigned long gpusvm_chunk_size(const unsigned long *chunk_sizes, unsigned int num_chunks,
				unsigned long addr, unsigned long lo, unsigned long hi,
				bool (*busy)(void *arg, unsigned long start, unsigned long end),
				void *arg)
{
	unsigned int i;

	if (addr < lo || addr >= hi)
		return 0;

	for (i = 0; i < num_chunks; i++) {
		unsigned long size = chunk_sizes[i];
		unsigned long start = ALIGN_DOWN(addr, size);

		if (start < lo || start + size > hi || start + size < start)
			continue;
		if (!busy(arg, start, start + size))
			return size;
	}
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(gpusvm_chunk_size);

/**
 * gpusvm_notifier_find() - the notifier covering an address
 * @svm: the mirror
 * @addr: the address
 *
 * Call with the driver lock or the notifier lock held.
 *
 * Return: the notifier, or NULL.
 */
struct gpusvm_notifier *gpusvm_notifier_find(struct gpusvm *svm, unsigned long addr)
{
	struct interval_tree_node *node = interval_tree_iter_first(&svm->notifiers, addr, addr);

	return node ? container_of(node, struct gpusvm_notifier, itree) : NULL;
}
EXPORT_SYMBOL_IF_KUNIT(gpusvm_notifier_find);

/**
 * gpusvm_range_find() - the first range of a notifier overlapping an interval
 * @notifier: the notifier
 * @start: first address
 * @end: end of the interval
 *
 * Call with the driver lock or the notifier lock held.
 *
 * Return: the range with the lowest start, or NULL.
 */
struct gpusvm_range *gpusvm_range_find(struct gpusvm_notifier *notifier,
				       unsigned long start, unsigned long end)
{
	struct interval_tree_node *node;

	node = interval_tree_iter_first(&notifier->ranges, start, end - 1);
	return node ? container_of(node, struct gpusvm_range, itree) : NULL;
}
EXPORT_SYMBOL_IF_KUNIT(gpusvm_range_find);

/**
 * gpusvm_range_next() - the next range overlapping an interval
 * @range: the current one
 * @start: first address of the interval
 * @end: end of the interval
 *
 * Return: the next range, or NULL.
 */
struct gpusvm_range *gpusvm_range_next(struct gpusvm_range *range, unsigned long start,
				       unsigned long end)
{
	struct interval_tree_node *node = interval_tree_iter_next(&range->itree, start, end - 1);

	return node ? container_of(node, struct gpusvm_range, itree) : NULL;
}
EXPORT_SYMBOL_IF_KUNIT(gpusvm_range_next);

/**
 * gpusvm_has_range() - whether any range overlaps an interval
 * @svm: the mirror
 * @start: first address
 * @end: end of the interval
 *
 * Call with the driver lock held. The work is bounded by the notifiers in
 * the interval, which exist only where the device faulted.
 *
 * Return: true if a range overlaps [@start, @end).
 */
bool gpusvm_has_range(struct gpusvm *svm, unsigned long start, unsigned long end)
{
	struct interval_tree_node *node;

	gpusvm_assert_driver_locked(svm);
	for (node = interval_tree_iter_first(&svm->notifiers, start, end - 1); node;
	     node = interval_tree_iter_next(node, start, end - 1)) {
		struct gpusvm_notifier *notifier =
			container_of(node, struct gpusvm_notifier, itree);

		if (gpusvm_range_find(notifier, start, end))
			return true;
		cond_resched();
	}
	return false;
}
EXPORT_SYMBOL_IF_KUNIT(gpusvm_has_range);

/* --- the notifier callback ------------------------------------------------------ */

static void gpusvm_range_dma_unmap(struct gpusvm *svm, struct gpusvm_range *range,
				   unsigned long npages)
{
	unsigned long i;

	for (i = 0; i < npages; i += 1ul << range->dma[i].order) {
		struct gpusvm_dma *dma = &range->dma[i];

		if (svm->ops->dma_unmap)
			svm->ops->dma_unmap(svm, dma->pfn, dma->order, dma->addr);
		else
			dma_unmap_page(svm->dev, dma->addr, PAGE_SIZE << dma->order,
				       DMA_BIDIRECTIONAL);
	}
}

/* Drops a range's DMA mappings; the device no longer reaches the pages. */
static void gpusvm_range_unmap_pages_locked(struct gpusvm *svm, struct gpusvm_range *range)
{
	lockdep_assert_held_write(&svm->notifier_lock);
	if (!range->pages_valid)
		return;
	range->pages_valid = false;
	gpusvm_range_dma_unmap(svm, range, gpusvm_range_npages(range));
}

/**
 * gpusvm_range_unmap_pages() - make a range's pages invalid, as a notifier would
 * @svm: the mirror
 * @range: the range, which the device no longer maps
 *
 * Drops the DMA mappings; the next gpusvm_range_get_pages() finds the pages
 * again. For drivers that must let go of pages on their own (eviction, fault
 * injection).
 */
void gpusvm_range_unmap_pages(struct gpusvm *svm, struct gpusvm_range *range)
{
	down_write(&svm->notifier_lock);
	gpusvm_range_unmap_pages_locked(svm, range);
	up_write(&svm->notifier_lock);
}
EXPORT_SYMBOL_IF_KUNIT(gpusvm_range_unmap_pages);

/**
 * gpusvm_range_gc_add() - queue a range for the garbage collector
 * @svm: the mirror
 * @range: the range, which the CPU unmapped
 *
 * Allocates nothing; callable from the notifier callback. Queuing a range
 * twice is harmless.
 */
void gpusvm_range_gc_add(struct gpusvm *svm, struct gpusvm_range *range)
{
	spin_lock(&svm->gc_lock);
	if (list_empty(&range->gc_link))
		list_add_tail(&range->gc_link, &svm->gc_list);
	spin_unlock(&svm->gc_lock);
}
EXPORT_SYMBOL_IF_KUNIT(gpusvm_range_gc_add);

/**
 * gpusvm_range_gc_next() - take the next range off the garbage collector's list
 * @svm: the mirror
 *
 * The caller holds the driver lock, so the range cannot go meanwhile, and
 * removes it with gpusvm_range_remove().
 *
 * Return: the range, or NULL when the list is empty.
 */
struct gpusvm_range *gpusvm_range_gc_next(struct gpusvm *svm)
{
	struct gpusvm_range *range;

	gpusvm_assert_driver_locked(svm);
	spin_lock(&svm->gc_lock);
	range = list_first_entry_or_null(&svm->gc_list, struct gpusvm_range, gc_link);
	if (range)
		list_del_init(&range->gc_link);
	spin_unlock(&svm->gc_lock);
	return range;
}
EXPORT_SYMBOL_IF_KUNIT(gpusvm_range_gc_next);

static bool gpusvm_notifier_invalidate(struct mmu_interval_notifier *mni,
				       const struct mmu_notifier_range *mmu_range,
				       unsigned long cur_seq)
{
	struct gpusvm_notifier *notifier = container_of(mni, typeof(*notifier), notifier);
	struct gpusvm *svm = notifier->svm;
	struct gpusvm_range *range;

	/* Zapping waits for the TLB invalidation. */
	if (!mmu_notifier_range_blockable(mmu_range))
		return false;

	down_write(&svm->notifier_lock);
	mmu_interval_set_seq(mni, cur_seq);

	/* A range is never split: an unmap of any part of it ends all of it. */
	if (mmu_range->event == MMU_NOTIFY_UNMAP) {
		gpusvm_for_each_range(range, notifier, mmu_range->start, mmu_range->end) {
			range->unmapped = true;
			gpusvm_range_gc_add(svm, range);
		}
	}

	svm->ops->invalidate(svm, notifier, mmu_range);

	gpusvm_for_each_range(range, notifier, mmu_range->start, mmu_range->end)
		gpusvm_range_unmap_pages_locked(svm, range);
	up_write(&svm->notifier_lock);

	return true;
}

static const struct mmu_interval_notifier_ops gpusvm_notifier_ops = {
	.invalidate = gpusvm_notifier_invalidate,
};

/* --- notifiers and ranges ------------------------------------------------------- */

static void gpusvm_notifier_free(struct gpusvm *svm, struct gpusvm_notifier *notifier)
{
	if (svm->ops->notifier_free)
		svm->ops->notifier_free(notifier);
	else
		kfree(notifier);
}

static struct gpusvm_notifier *gpusvm_notifier_insert(struct gpusvm *svm, unsigned long addr)
{
	unsigned long slice = ALIGN_DOWN(addr, svm->notifier_size);
	unsigned long start = max(slice, svm->mm_start);
	/* A notifier covers its slice, but never reaches past the mirror. */
	unsigned long size = min(slice + svm->notifier_size - 1,
				 svm->mm_start + svm->mm_range - 1) - start + 1;
	struct gpusvm_notifier *notifier;
	int err;

	notifier = svm->ops->notifier_alloc ? svm->ops->notifier_alloc(svm) :
		   kzalloc(sizeof(*notifier), GFP_KERNEL_ACCOUNT);
	if (!notifier)
		return ERR_PTR(-ENOMEM);
	notifier->svm = svm;
	notifier->ranges = RB_ROOT_CACHED;
	notifier->itree.start = start;
	notifier->itree.last = start + size - 1;

	err = mmu_interval_notifier_insert(&notifier->notifier, svm->mm, start, size,
					   &gpusvm_notifier_ops);
	if (err) {
		gpusvm_notifier_free(svm, notifier);
		return ERR_PTR(err);
	}

	down_write(&svm->notifier_lock);
	interval_tree_insert(&notifier->itree, &svm->notifiers);
	up_write(&svm->notifier_lock);
	return notifier;
}

/* Removes a notifier without ranges; never from its own callback. */
static void gpusvm_notifier_remove(struct gpusvm *svm, struct gpusvm_notifier *notifier)
{
	down_write(&svm->notifier_lock);
	interval_tree_remove(&notifier->itree, &svm->notifiers);
	up_write(&svm->notifier_lock);
	/* Waits for a callback in flight. */
	mmu_interval_notifier_remove(&notifier->notifier);
	gpusvm_notifier_free(svm, notifier);
}

static bool gpusvm_notifier_busy(void *arg, unsigned long start, unsigned long end)
{
	return gpusvm_range_find(arg, start, end);
}

static struct gpusvm_range *gpusvm_range_alloc(struct gpusvm *svm, unsigned long npages)
{
	struct gpusvm_range *range;

	range = svm->ops->range_alloc ? svm->ops->range_alloc(svm) :
		kzalloc(sizeof(*range), GFP_KERNEL_ACCOUNT);
	if (!range)
		return NULL;

	range->dma = kvcalloc(npages, sizeof(*range->dma), GFP_KERNEL_ACCOUNT);
	if (!range->dma) {
		if (svm->ops->range_free)
			svm->ops->range_free(range);
		else
			kfree(range);
		return NULL;
	}
	INIT_LIST_HEAD(&range->gc_link);
	return range;
}

static void gpusvm_range_free(struct gpusvm *svm, struct gpusvm_range *range)
{
	kvfree(range->dma);
	if (svm->ops->range_free)
		svm->ops->range_free(range);
	else
		kfree(range);
}

/*
 * Sizes and inserts a new range around @addr, in the CPU VMA there. Under
 * mmap_lock, so that the VMA cannot be unmapped between the look and the
 * insertion: an unmap either came before (no VMA, -ENOENT) or will find
 * the range in the tree and queue it for the garbage collector.
 */
static struct gpusvm_range *gpusvm_range_place(struct gpusvm *svm,
					       struct gpusvm_notifier *notifier,
					       unsigned long addr, unsigned long lo,
					       unsigned long hi, const struct gpusvm_ctx *ctx)
{
	const unsigned long *chunks = svm->chunk_sizes;
	unsigned int num = svm->num_chunks;
	struct gpusvm_range *range = ERR_PTR(-ENOENT);
	struct vm_area_struct *vma;
	unsigned long size;

	/* Skip the sizes above the caller's limit; PAGE_SIZE always stays. */
	while (num > 1 && ctx->max_chunk && chunks[0] > ctx->max_chunk) {
		chunks++;
		num--;
	}

	if (mmap_read_lock_killable(svm->mm))
		return ERR_PTR(-EINTR);
	vma = vma_lookup(svm->mm, addr);
	if (!vma)
		goto out;
	lo = max3(lo, vma->vm_start, gpusvm_notifier_start(notifier));
	hi = min3(hi, vma->vm_end, gpusvm_notifier_end(notifier));
	size = gpusvm_chunk_size(chunks, num, addr, lo, hi, gpusvm_notifier_busy, notifier);
	if (!size)
		goto out;

	range = gpusvm_range_alloc(svm, size >> PAGE_SHIFT);
	if (!range) {
		range = ERR_PTR(-ENOMEM);
		goto out;
	}
	range->notifier = notifier;
	range->itree.start = ALIGN_DOWN(addr, size);
	range->itree.last = range->itree.start + size - 1;

	down_write(&svm->notifier_lock);
	interval_tree_insert(&range->itree, &notifier->ranges);
	up_write(&svm->notifier_lock);
out:
	mmap_read_unlock(svm->mm);
	return range;
}

/**
 * gpusvm_find_vma_start() - the first mirrored CPU address in an interval
 * @svm: the mirror
 * @start: first address
 * @end: end of the interval
 *
 * For walking a stretch of the address space without stopping at each
 * page of its holes. Takes mmap_lock for reading.
 *
 * Return: the lowest address in [@start, @end) that a CPU VMA covers, or
 * @end if none does (or the process has exited).
 */
unsigned long gpusvm_find_vma_start(struct gpusvm *svm, unsigned long start, unsigned long end)
{
	struct vm_area_struct *vma;
	unsigned long addr = end;

	if (!mmget_not_zero(svm->mm))
		return end;
	mmap_read_lock(svm->mm);
	vma = find_vma_intersection(svm->mm, start, end);
	if (vma)
		addr = max(start, vma->vm_start);
	mmap_read_unlock(svm->mm);
	mmput(svm->mm);
	return addr;
}
EXPORT_SYMBOL_IF_KUNIT(gpusvm_find_vma_start);

/**
 * gpusvm_range_find_or_insert() - the range a GPU fault falls in
 * @svm: the mirror
 * @addr: the faulting address
 * @gpuva_start: start of the GPU mapping that mirrors @addr
 * @gpuva_end: end of that mapping
 * @ctx: how to size a new range
 *
 * Finds the range covering @addr, or inserts one, with its notifier if the
 * slice had none. Call with the driver lock held; takes mmap_lock for
 * reading to look at the CPU VMA.
 *
 * Return: the range; ERR_PTR(-EINVAL) if @addr is not mirrored;
 * ERR_PTR(-ENOENT) if no CPU VMA covers @addr; ERR_PTR(-EFAULT) if the
 * process has exited; ERR_PTR(-ENOMEM); ERR_PTR(-EINTR) on a fatal signal.
 */
struct gpusvm_range *gpusvm_range_find_or_insert(struct gpusvm *svm, unsigned long addr,
						 unsigned long gpuva_start,
						 unsigned long gpuva_end,
						 const struct gpusvm_ctx *ctx)
{
	struct gpusvm_notifier *notifier;
	struct gpusvm_range *range;
	bool new_notifier = false;
	int err;

	gpusvm_assert_driver_locked(svm);
	if (addr < svm->mm_start || addr - svm->mm_start >= svm->mm_range ||
	    addr < gpuva_start || addr >= gpuva_end)
		return ERR_PTR(-EINVAL);

	notifier = gpusvm_notifier_find(svm, addr);
	if (notifier) {
		range = gpusvm_range_find(notifier, addr, addr + 1);
		if (range)
			return range;
	}

	if (!mmget_not_zero(svm->mm))
		return ERR_PTR(-EFAULT);
	if (!notifier) {
		notifier = gpusvm_notifier_insert(svm, addr);
		if (IS_ERR(notifier)) {
			err = PTR_ERR(notifier);
			goto err_mmput;
		}
		new_notifier = true;
	}

	range = gpusvm_range_place(svm, notifier, addr, gpuva_start, gpuva_end, ctx);
	if (IS_ERR(range)) {
		err = PTR_ERR(range);
		goto err_notifier;
	}
	mmput(svm->mm);
	return range;

err_notifier:
	if (new_notifier)
		gpusvm_notifier_remove(svm, notifier);
err_mmput:
	mmput(svm->mm);
	return ERR_PTR(err);
}
EXPORT_SYMBOL_IF_KUNIT(gpusvm_range_find_or_insert);

/**
 * gpusvm_range_remove() - remove a range, and its notifier if it was the last
 * @svm: the mirror
 * @range: the range; the driver no longer maps it
 *
 * Call with the driver lock held, never from the notifier callback. Frees
 * @range.
 */
void gpusvm_range_remove(struct gpusvm *svm, struct gpusvm_range *range)
{
	struct gpusvm_notifier *notifier = range->notifier;
	bool empty;

	gpusvm_assert_driver_locked(svm);

	down_write(&svm->notifier_lock);
	gpusvm_range_unmap_pages_locked(svm, range);
	interval_tree_remove(&range->itree, &notifier->ranges);
	empty = RB_EMPTY_ROOT(&notifier->ranges.rb_root);
	up_write(&svm->notifier_lock);

	spin_lock(&svm->gc_lock);
	list_del_init(&range->gc_link);
	spin_unlock(&svm->gc_lock);

	gpusvm_range_free(svm, range);
	if (empty)
		gpusvm_notifier_remove(svm, notifier);
}
EXPORT_SYMBOL_IF_KUNIT(gpusvm_range_remove);

/**
 * gpusvm_fini() - remove every range and notifier, and let go of the process
 * @svm: the mirror, with the driver lock held; the driver maps nothing
 *	 through it any more and no other call on it can start
 */
void gpusvm_fini(struct gpusvm *svm)
{
	struct interval_tree_node *node;

	while ((node = interval_tree_iter_first(&svm->notifiers, 0, ULONG_MAX))) {
		struct gpusvm_notifier *notifier =
			container_of(node, struct gpusvm_notifier, itree);
		struct gpusvm_range *range = gpusvm_range_find(notifier, 0, ULONG_MAX);

		/* Removing the last range removes the notifier. */
		if (range)
			gpusvm_range_remove(svm, range);
		else
			gpusvm_notifier_remove(svm, notifier);
		cond_resched();
	}
	mmdrop(svm->mm);
}
EXPORT_SYMBOL_IF_KUNIT(gpusvm_fini);

/* --- pages ------------------------------------------------------------------------- */

/* The largest block at page @i that the CPU maps as one and the range holds whole. */
static unsigned int gpusvm_block_order(unsigned long hmm_pfn, unsigned long i,
				       unsigned long npages)
{
	unsigned int order = hmm_pfn_to_map_order(hmm_pfn);
	unsigned long pfn = page_to_pfn(hmm_pfn_to_page(hmm_pfn));

	while (order && (!IS_ALIGNED(i, 1ul << order) || !IS_ALIGNED(pfn, 1ul << order) ||
			 i + (1ul << order) > npages))
		order--;
	return order;
}

/* Maps what hmm_range_fault() found; on failure nothing stays mapped. */
static int gpusvm_range_dma_map(struct gpusvm *svm, struct gpusvm_range *range,
				const unsigned long *pfns)
{
	unsigned long i, npages = gpusvm_range_npages(range);
	int err = 0;

	for (i = 0; i < npages; i += 1ul << range->dma[i].order) {
		struct gpusvm_dma *dma = &range->dma[i];
		struct page *page = hmm_pfn_to_page(pfns[i]);
		unsigned long j;

		dma->order = gpusvm_block_order(pfns[i], i, npages);
		dma->pfn = page_to_pfn(page);
		/* Every page of a block knows its size, so finds its block. */
		for (j = 1; j < 1ul << dma->order; j++)
			dma[j].order = dma->order;
		if (svm->ops->dma_map) {
			err = svm->ops->dma_map(svm, page, dma->order, &dma->addr);
		} else {
			dma->addr = dma_map_page(svm->dev, page, 0, PAGE_SIZE << dma->order,
						 DMA_BIDIRECTIONAL);
			if (dma_mapping_error(svm->dev, dma->addr))
				err = -EFAULT;
		}
		if (err) {
			gpusvm_range_dma_unmap(svm, range, i);
			return err;
		}
	}
	return 0;
}

/* hmm_range_fault() for writing, or for reading where the CPU may only read. */
static int gpusvm_range_fault(struct gpusvm *svm, struct gpusvm_range *range,
			      struct hmm_range *hmm_range, const struct gpusvm_ctx *ctx)
{
	int err;

	hmm_range->default_flags = HMM_PFN_REQ_FAULT;
	if (!ctx->read_only)
		hmm_range->default_flags |= HMM_PFN_REQ_WRITE;

	if (mmap_read_lock_killable(svm->mm))
		return -EINTR;
	err = hmm_range_fault(hmm_range);
	if (err == -EPERM && !ctx->read_only) {
		hmm_range->default_flags = HMM_PFN_REQ_FAULT;
		err = hmm_range_fault(hmm_range);
	}
	mmap_read_unlock(svm->mm);

	if (!err)
		range->read_only = !(hmm_range->default_flags & HMM_PFN_REQ_WRITE);
	return err;
}

/**
 * gpusvm_range_get_pages() - find a range's pages and map them for the device
 * @svm: the mirror
 * @range: the range
 * @ctx: the retry bound, and whether to map for reading only; counts
 *	 the restarts in &gpusvm_ctx.retries
 *
 * Runs hmm_range_fault() over the range, faulting pages in on the CPU side
 * as a CPU access would: for writing, unless the CPU mapping or @ctx is
 * read-only (then &gpusvm_range.read_only is set). The pages are mapped
 * for DMA and published with the notifier sequence they were found under;
 * a collision with the notifier restarts the whole step, until
 * @ctx->timeout_ms (default HMM_RANGE_DEFAULT_TIMEOUT) have passed. Pages
 * still valid from an earlier call are kept. Call with the driver lock
 * held; the caller still checks gpusvm_range_pages_valid() under the
 * notifier lock before using the pages.
 *
 * Return:
 * * 0 - the pages are mapped.
 * * -EFAULT - the address has no usable CPU mapping (unmapped, PROT_NONE,
 *   I/O memory) or the process has exited.
 * * -EBUSY - the memory kept changing for the whole time bound.
 * * -ENOMEM - out of memory.
 * * -EINTR - a fatal signal is pending.
 */
int gpusvm_range_get_pages(struct gpusvm *svm, struct gpusvm_range *range,
			   struct gpusvm_ctx *ctx)
{
	struct mmu_interval_notifier *mni = &range->notifier->notifier;
	unsigned long timeout = jiffies +
		msecs_to_jiffies(ctx->timeout_ms ?: HMM_RANGE_DEFAULT_TIMEOUT);
	unsigned long npages = gpusvm_range_npages(range);
	struct hmm_range hmm_range = {
		.notifier = mni,
		.start = gpusvm_range_start(range),
		.end = gpusvm_range_end(range),
		.dev_private_owner = svm->device_private_page_owner,
	};
	unsigned long *pfns;
	int err;

	gpusvm_assert_driver_locked(svm);
	if (READ_ONCE(range->pages_valid))
		return 0;

	if (!mmget_not_zero(svm->mm))
		return -EFAULT;
	pfns = kvmalloc_array(npages, sizeof(*pfns), GFP_KERNEL);
	if (!pfns) {
		err = -ENOMEM;
		goto out_mmput;
	}
	hmm_range.hmm_pfns = pfns;

	for (;;) {
		hmm_range.notifier_seq = mmu_interval_read_begin(mni);
		err = gpusvm_range_fault(svm, range, &hmm_range, ctx);
		if (!err)
			err = gpusvm_range_dma_map(svm, range, pfns);
		if (err && err != -EBUSY)
			break;

		if (!err) {
			down_read(&svm->notifier_lock);
			if (!mmu_interval_read_retry(mni, hmm_range.notifier_seq)) {
				WRITE_ONCE(range->pages_valid, true);
				up_read(&svm->notifier_lock);
				break;
			}
			up_read(&svm->notifier_lock);
			gpusvm_range_dma_unmap(svm, range, npages);
		}

		err = -EBUSY;
		if (time_after(jiffies, timeout))
			break;
		ctx->retries++;
		cond_resched();
	}

	kvfree(pfns);
out_mmput:
	mmput(svm->mm);
	return err == -EPERM ? -EFAULT : err;
}
EXPORT_SYMBOL_IF_KUNIT(gpusvm_range_get_pages);

/**
 * gpusvm_range_pages_valid() - whether a range's pages can be mapped on the GPU
 * @svm: the mirror, with the notifier lock held
 * @range: the range
 *
 * Return: true if the pages found by the last gpusvm_range_get_pages() are
 * still the CPU's: no invalidation hit the range since they were
 * published. They stay so until the notifier lock is dropped.
 */
bool gpusvm_range_pages_valid(struct gpusvm *svm, struct gpusvm_range *range)
{
	lockdep_assert_held(&svm->notifier_lock);
	/*
	 * Not the notifier's sequence: it moves on invalidations anywhere in
	 * the notifier. The callback clears the flag of every range it hits.
	 */
	return range->pages_valid;
}
EXPORT_SYMBOL_IF_KUNIT(gpusvm_range_pages_valid);
