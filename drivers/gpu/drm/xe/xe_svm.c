// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The xe virtual GPU authors
 */

#include <linux/debugfs.h>
#include <linux/ktime.h>
#include <linux/moduleparam.h>
#include <linux/sched/mm.h>
#include <linux/seq_file.h>
#include <linux/sizes.h>
#include <linux/slab.h>

#include <drm/drm_file.h>
#include <drm/drm_print.h>

#include "emu/xe_emu_hw.h"
#include "xe_device_types.h"
#include "xe_dma_pages.h"
#include "xe_pt.h"
#include "xe_svm.h"
#include "xe_vm.h"
#include "xe_vm_types.h"

#define CREATE_TRACE_POINTS
#include "xe_svm_trace.h"

/**
 * DOC: Shared virtual memory
 *
 * A VM_BIND MAP with DRM_XE_VM_BIND_FLAG_CPU_ADDR_MIRROR in a fault-mode
 * VM makes a stretch of the GPU address space mirror the process's CPU
 * address space at the same addresses: a &struct xe_vma with
 * XE_VMA_CPU_MIRROR and nothing behind it. The GPU faults on it, and the
 * fault handler resolves the address through the SVM core
 * (drivers/gpu/drm/xe/gpusvm/): run the garbage collector, find or insert
 * the range, find its pages, stage the PTEs outside the notifier lock and
 * commit them under it only if the pages are still valid, else retry, for
 * at most XE_SVM_RETRY_MS. A fault with no CPU memory behind it, or a
 * write to memory the CPU may only read, fails: the GT kills the context.
 *
 * Each range owns its PTEs (&xe_svm_range.bound); the mirror VMA itself is
 * never bound. The notifier callback zaps the PTEs of the ranges it hits,
 * invalidates the TLBs and waits; ranges the CPU unmapped go to the
 * garbage collector, which the fault handler runs first and a work item
 * runs when no fault comes. Binds that would remove part of a mirror where
 * ranges still exist fail with -EBUSY, after collecting garbage: the
 * GPU is still using that memory.
 *
 * When several contexts fault on one range, the first fault resolves it;
 * faults still queued for the same range are answered with it (see Page
 * faults), and faults that arrive meanwhile find the range valid and are
 * answered without get-pages or bind. Both count as coalesced.
 *
 * Atomics: the range's PTEs allow atomics on system memory (XE_EMU_PTE_AE).
 *
 * Observability: gt0/stats in the device's debugfs directory counts faults
 * by range size, get-pages, binds and their time, TLB invalidations,
 * retries, coalesced faults and garbage collection, and holds the number
 * of live notifiers and ranges; writing to it resets the counters. The
 * xe_svm_* tracepoints report each fault and its stages, range insertion
 * and removal, invalidations and retries. svm_range_max limits the size
 * of new ranges; svm_inject_collisions (CONFIG_DRM_XE_DEBUG) makes commits
 * fail as if the memory had changed.
 *
 * Locking, outermost first: &xe_vm.lock (read in faults, write in binds),
 * &xe_svm.lock (the SVM core's driver lock), mmap_lock (read, inside the
 * core), the notifier lock, &xe_vm.pt_lock. &xe_svm.lock is never taken
 * with a reservation held: it ranks above mmap_lock, which ranks above
 * reservations.
 */

/* How long one fault may keep retrying collisions with the CPU. */
#define XE_SVM_RETRY_MS		2000

static const unsigned long xe_svm_chunk_sizes[] = { SZ_2M, SZ_64K, SZ_4K };
static const char * const xe_svm_size_names[] = { "4K", "64K", "2M" };

static unsigned int xe_svm_notifier_size_mb = 512;

static int xe_svm_notifier_size_set(const char *val, const struct kernel_param *kp)
{
	unsigned int mb;
	int err = kstrtouint(val, 0, &mb);

	if (err)
		return err;
	/* A notifier holds whole ranges of the largest size. */
	if (!is_power_of_2(mb) || mb < 2 || mb > SZ_64K)
		return -EINVAL;
	*(unsigned int *)kp->arg = mb;
	return 0;
}

static const struct kernel_param_ops xe_svm_notifier_size_ops = {
	.set = xe_svm_notifier_size_set,
	.get = param_get_uint,
};

module_param_cb(svm_notifier_size, &xe_svm_notifier_size_ops, &xe_svm_notifier_size_mb, 0444);
MODULE_PARM_DESC(svm_notifier_size,
		 "SVM MMU-notifier size in MiB, a power of two from 2 to 65536 (default 512)");

static struct xe_vm *to_xe_vm_svm(struct gpusvm *svm)
{
	return container_of(svm, struct xe_vm, svm.gpusvm);
}

static struct xe_svm_range *to_xe_svm_range(struct gpusvm_range *range)
{
	return container_of(range, struct xe_svm_range, base);
}

static void xe_svm_stat_add(struct xe_device *xe, enum xe_svm_stat stat, s64 val)
{
	atomic64_add(val, &xe->svm.stats[stat]);
}

static unsigned int xe_svm_size_index(unsigned long size)
{
	return size >= SZ_2M ? 2 : size >= SZ_64K ? 1 : 0;
}

/* --- the SVM core's hooks -------------------------------------------------- */

static struct gpusvm_notifier *xe_svm_notifier_alloc(struct gpusvm *svm)
{
	struct gpusvm_notifier *notifier = kzalloc(sizeof(*notifier), GFP_KERNEL_ACCOUNT);

	if (notifier)
		xe_svm_stat_add(to_xe_vm_svm(svm)->xe, XE_SVM_STAT_NOTIFIER_COUNT, 1);
	return notifier;
}

static void xe_svm_notifier_free(struct gpusvm_notifier *notifier)
{
	xe_svm_stat_add(to_xe_vm_svm(notifier->svm)->xe, XE_SVM_STAT_NOTIFIER_COUNT, -1);
	kfree(notifier);
}

static struct gpusvm_range *xe_svm_range_alloc(struct gpusvm *svm)
{
	struct xe_svm_range *range = kzalloc(sizeof(*range), GFP_KERNEL_ACCOUNT);

	if (!range)
		return NULL;
	range->new = true;
	xe_svm_stat_add(to_xe_vm_svm(svm)->xe, XE_SVM_STAT_RANGE_COUNT, 1);
	return &range->base;
}

static void xe_svm_range_free(struct gpusvm_range *range)
{
	struct xe_vm *vm = to_xe_vm_svm(range->notifier->svm);

	xe_svm_stat_add(vm->xe, XE_SVM_STAT_RANGE_COUNT, -1);
	kfree(to_xe_svm_range(range));
}

static int xe_svm_dma_map(struct gpusvm *svm, struct page *page, unsigned int order,
			  dma_addr_t *addr)
{
	return xe_dma_page_map_order(to_xe_vm_svm(svm)->xe, page, order, addr);
}

static void xe_svm_dma_unmap(struct gpusvm *svm, unsigned long pfn, unsigned int order,
			     dma_addr_t addr)
{
	xe_dma_page_unmap_order(to_xe_vm_svm(svm)->xe, pfn, order, addr);
}

static int xe_svm_tlb_inval(struct xe_vm *vm, u64 start, u64 end)
{
	ktime_t t = ktime_get();
	int err = xe_vm_invalidate_tlb(vm, start, end);

	xe_svm_stat_add(vm->xe, XE_SVM_STAT_TLB_INVAL_COUNT, 1);
	xe_svm_stat_add(vm->xe, XE_SVM_STAT_TLB_INVAL_US, ktime_us_delta(ktime_get(), t));
	return err;
}

/* Zaps a range's PTEs; widens [*start, *end) to what needs a TLB invalidation. */
static void xe_svm_range_zap_locked(struct xe_vm *vm, struct xe_svm_range *range,
				    u64 *start, u64 *end)
{
	lockdep_assert_held(&vm->pt_lock);
	if (!range->bound)
		return;
	range->bound = false;
	if (xe_pt_clear_locked(vm, gpusvm_range_start(&range->base),
			       gpusvm_range_end(&range->base))) {
		*start = min_t(u64, *start, gpusvm_range_start(&range->base));
		*end = max_t(u64, *end, gpusvm_range_end(&range->base));
	}
}

/*
 * The notifier callback: the CPU mapping of part of a notifier changes.
 * Zaps what the GPU maps there and waits for the TLBs; allocates nothing
 * and waits on no fence a job could need.
 */
static void xe_svm_invalidate(struct gpusvm *svm, struct gpusvm_notifier *notifier,
			      const struct mmu_notifier_range *mmu_range)
{
	struct xe_vm *vm = to_xe_vm_svm(svm);
	struct gpusvm_range *range;
	u64 start = U64_MAX, end = 0;

	trace_xe_svm_invalidate(vm->asid, mmu_range->start, mmu_range->end, mmu_range->event);

	mutex_lock(&vm->pt_lock);
	gpusvm_for_each_range(range, notifier, mmu_range->start, mmu_range->end)
		xe_svm_range_zap_locked(vm, to_xe_svm_range(range), &start, &end);
	mutex_unlock(&vm->pt_lock);

	if (end > start) {
		xe_svm_stat_add(vm->xe, XE_SVM_STAT_INVALIDATE_COUNT, 1);
		xe_svm_tlb_inval(vm, start, end);
	}
	if (mmu_range->event == MMU_NOTIFY_UNMAP)
		queue_work(system_unbound_wq, &vm->svm.gc_work);
}

static const struct gpusvm_ops xe_svm_ops = {
	.notifier_alloc = xe_svm_notifier_alloc,
	.notifier_free = xe_svm_notifier_free,
	.range_alloc = xe_svm_range_alloc,
	.range_free = xe_svm_range_free,
	.invalidate = xe_svm_invalidate,
	.dma_map = xe_svm_dma_map,
	.dma_unmap = xe_svm_dma_unmap,
};

/* --- garbage collection ------------------------------------------------------ */

static void xe_svm_range_remove(struct xe_vm *vm, struct gpusvm_range *range)
{
	u64 start = U64_MAX, end = 0;

	mutex_lock(&vm->pt_lock);
	xe_svm_range_zap_locked(vm, to_xe_svm_range(range), &start, &end);
	mutex_unlock(&vm->pt_lock);
	if (end > start)
		xe_svm_tlb_inval(vm, start, end);

	trace_xe_svm_range_remove(vm->asid, gpusvm_range_start(range), gpusvm_range_end(range));
	gpusvm_range_remove(&vm->svm.gpusvm, range);
}

/* Removes the ranges the CPU unmapped. */
static void xe_svm_gc_locked(struct xe_vm *vm)
{
	struct gpusvm_range *range;
	unsigned int removed = 0;

	lockdep_assert_held(&vm->svm.lock);
	while ((range = gpusvm_range_gc_next(&vm->svm.gpusvm))) {
		xe_svm_range_remove(vm, range);
		removed++;
		cond_resched();
	}
	if (removed)
		xe_svm_stat_add(vm->xe, XE_SVM_STAT_GC_COUNT, 1);
}

static void xe_svm_gc_work(struct work_struct *work)
{
	struct xe_vm *vm = container_of(work, struct xe_vm, svm.gc_work);

	down_read(&vm->lock);
	if (!vm->closed) {
		mutex_lock(&vm->svm.lock);
		xe_svm_gc_locked(vm);
		mutex_unlock(&vm->svm.lock);
	}
	up_read(&vm->lock);
}

/* --- the VM's mirror ------------------------------------------------------------ */

/**
 * xe_svm_init() - set up the CPU-address mirror of a fault-mode VM
 * @vm: the VM, being created by the calling process
 *
 * Return: 0, or a negative errno.
 */
int xe_svm_init(struct xe_vm *vm)
{
	struct xe_svm *svm = &vm->svm;
	int err;

	mutex_init(&svm->lock);
	INIT_WORK(&svm->gc_work, xe_svm_gc_work);
	err = gpusvm_init(&svm->gpusvm, "xe", vm->xe->drm.dev, current->mm, vm->xe, 0,
			  TASK_SIZE, (unsigned long)xe_svm_notifier_size_mb << 20, &xe_svm_ops,
			  xe_svm_chunk_sizes, ARRAY_SIZE(xe_svm_chunk_sizes));
	if (err) {
		mutex_destroy(&svm->lock);
		return err;
	}
	gpusvm_driver_set_lock(&svm->gpusvm, &svm->lock);
	svm->enabled = true;
	return 0;
}

/**
 * xe_svm_close() - remove every range of a closing VM
 * @vm: the VM, closed, with &xe_vm.lock held for writing and no
 *	reservation; its mirror VMAs are already unbound
 *
 * The caller then waits for the garbage collector with xe_svm_fini().
 */
void xe_svm_close(struct xe_vm *vm)
{
	lockdep_assert_held_write(&vm->lock);
	if (!vm->svm.enabled)
		return;

	mutex_lock(&vm->svm.lock);
	gpusvm_fini(&vm->svm.gpusvm);
	mutex_unlock(&vm->svm.lock);
}

/**
 * xe_svm_fini() - wait for the garbage collector of a closed VM
 * @vm: the VM, after xe_svm_close() and without &xe_vm.lock
 */
void xe_svm_fini(struct xe_vm *vm)
{
	if (!vm->svm.enabled)
		return;
	/* No notifier is left to queue it again. */
	cancel_work_sync(&vm->svm.gc_work);
	mutex_destroy(&vm->svm.lock);
	vm->svm.enabled = false;
}

/**
 * xe_svm_check_unbind() - may [@start, @end) stop being mirrored?
 * @vm: the VM, with &xe_vm.lock held for writing and no reservation
 * @start: first address the bind removes from a mirror VMA
 * @end: end of it
 *
 * Collects garbage first, so memory the CPU already unmapped does not count.
 *
 * Return: 0, or -EBUSY if the GPU still maps memory there.
 */
int xe_svm_check_unbind(struct xe_vm *vm, u64 start, u64 end)
{
	int err = 0;

	lockdep_assert_held_write(&vm->lock);
	if (!vm->svm.enabled)
		return 0;

	mutex_lock(&vm->svm.lock);
	xe_svm_gc_locked(vm);
	if (gpusvm_has_range(&vm->svm.gpusvm, start, end))
		err = -EBUSY;
	mutex_unlock(&vm->svm.lock);
	return err;
}

/* --- binding a range ----------------------------------------------------------- */

struct xe_svm_backing {
	struct xe_pt_backing base;
	struct gpusvm_range *range;
};

static u64 xe_svm_range_page(struct xe_pt_backing *backing, u64 offset, u64 *contig)
{
	struct xe_svm_backing *b = container_of(backing, struct xe_svm_backing, base);
	const struct gpusvm_dma *dma = b->range->dma;
	unsigned long i = offset >> PAGE_SHIFT;
	unsigned long head = round_down(i, 1ul << dma[i].order);

	*contig = (head + (1ul << dma[i].order) - i) << PAGE_SHIFT;
	return dma[head].addr + ((u64)(i - head) << PAGE_SHIFT);
}

/* Debug knob: a commit fails as if the CPU had changed the memory meanwhile. */
static bool xe_svm_inject_collision(struct xe_device *xe)
{
	if (!IS_ENABLED(CONFIG_DRM_XE_DEBUG))
		return false;
	if (atomic_read(&xe->svm.inject_collisions) == -1)
		return true;
	return atomic_dec_if_positive(&xe->svm.inject_collisions) >= 0;
}

/*
 * Stages a range's PTEs, then commits them under the notifier lock if its
 * pages are still valid. Return: 0; -EAGAIN if they are not (find them
 * again); -ENOMEM; the error of a TLB invalidation.
 */
static int xe_svm_range_bind(struct xe_vm *vm, struct xe_svm_range *range)
{
	struct gpusvm *svm = &vm->svm.gpusvm;
	u64 start = gpusvm_range_start(&range->base), end = gpusvm_range_end(&range->base);
	struct xe_svm_backing b = {
		.base.page = xe_svm_range_page,
		.base.flags = XE_EMU_PTE_PRESENT | XE_EMU_PTE_AE,
		.range = &range->base,
	};
	bool replaced = false;
	int err;

	if (xe_svm_inject_collision(vm->xe)) {
		gpusvm_range_unmap_pages(svm, &range->base);
		return -EAGAIN;
	}
	if (!range->base.read_only)
		b.base.flags |= XE_EMU_PTE_RW;

	do {
		err = xe_pt_prepare(vm, start, end, &b.base, &replaced);
		if (err)
			return err;

		gpusvm_notifier_lock(svm);
		if (!gpusvm_range_pages_valid(svm, &range->base)) {
			gpusvm_notifier_unlock(svm);
			return -EAGAIN;
		}
		mutex_lock(&vm->pt_lock);
		/* -EAGAIN here: a table is missing after all; prepare again. */
		err = xe_pt_commit_locked(vm, start, end, &b.base, &replaced);
		if (!err)
			range->bound = true;
		mutex_unlock(&vm->pt_lock);
		gpusvm_notifier_unlock(svm);
	} while (err == -EAGAIN);

	if (replaced)
		err = xe_svm_tlb_inval(vm, start, end);
	return err;
}

/* Whether the range already serves the access: no get-pages, no bind. */
static bool xe_svm_range_serves(struct xe_vm *vm, struct xe_svm_range *range, bool write)
{
	bool valid;

	gpusvm_notifier_lock(&vm->svm.gpusvm);
	valid = range->bound && gpusvm_range_pages_valid(&vm->svm.gpusvm, &range->base) &&
		!(write && range->base.read_only);
	gpusvm_notifier_unlock(&vm->svm.gpusvm);
	return valid;
}

struct xe_svm_fault {
	struct gpusvm_range *range;
	u32 retries;
	u32 get_pages_us;
	u32 bind_us;
	bool valid;
};

/* Finds the pages and binds them until both happen under one sequence. */
static int xe_svm_fault_resolve(struct xe_vm *vm, struct xe_svm_fault *f,
				struct gpusvm_ctx *ctx, bool write)
{
	unsigned long timeout = jiffies + msecs_to_jiffies(XE_SVM_RETRY_MS);
	unsigned int idx = xe_svm_size_index(gpusvm_range_size(f->range));
	struct xe_device *xe = vm->xe;
	unsigned int retries;
	ktime_t t;
	int err;

	for (;;) {
		t = ktime_get();
		retries = ctx->retries;
		err = gpusvm_range_get_pages(&vm->svm.gpusvm, f->range, ctx);
		f->get_pages_us += ktime_us_delta(ktime_get(), t);
		/* Collisions inside get-pages count as retries too. */
		f->retries += ctx->retries - retries;
		xe_svm_stat_add(xe, XE_SVM_STAT_RETRY_COUNT, ctx->retries - retries);
		xe_svm_stat_add(xe, XE_SVM_STAT_SIZE_GET_PAGES_COUNT + idx, 1);
		if (err)
			return err;
		if (write && f->range->read_only)
			return -EACCES;

		t = ktime_get();
		err = xe_svm_range_bind(vm, to_xe_svm_range(f->range));
		f->bind_us += ktime_us_delta(ktime_get(), t);
		xe_svm_stat_add(xe, XE_SVM_STAT_SIZE_BIND_COUNT + idx, 1);
		if (err != -EAGAIN)
			return err;

		f->retries++;
		xe_svm_stat_add(xe, XE_SVM_STAT_RETRY_COUNT, 1);
		trace_xe_svm_retry(vm->asid, gpusvm_range_start(f->range),
				   gpusvm_range_end(f->range));
		if (time_after(jiffies, timeout))
			return -EBUSY;
	}
}

/* Whether a fault failed for memory around @addr rather than at it. */
static bool xe_svm_range_misfits(struct gpusvm_range *range, int err)
{
	return (err == -EFAULT || err == -EACCES) && gpusvm_range_size(range) > SZ_4K;
}

/*
 * Finds or inserts the range at @addr and makes it serve the access:
 * found valid, or pages found and bound. With &xe_svm.lock held.
 */
static int xe_svm_range_get(struct xe_vm *vm, struct xe_vma *vma, u64 addr,
			    struct gpusvm_ctx *ctx, bool write, struct xe_svm_fault *f)
{
	struct xe_svm_range *range;
	int err;

	for (;;) {
		f->range = gpusvm_range_find_or_insert(&vm->svm.gpusvm, addr, xe_vma_start(vma),
						       xe_vma_end(vma), ctx);
		if (IS_ERR(f->range)) {
			err = PTR_ERR(f->range);
			f->range = NULL;
			return err;
		}
		range = to_xe_svm_range(f->range);
		if (range->new) {
			range->new = false;
			trace_xe_svm_range_insert(vm->asid, gpusvm_range_start(f->range),
						  gpusvm_range_end(f->range));
		}

		f->valid = xe_svm_range_serves(vm, range, write);
		err = f->valid ? 0 : xe_svm_fault_resolve(vm, f, ctx, write);
		if (!xe_svm_range_misfits(f->range, err))
			return err;
		/*
		 * The CPU mapping of part of the range changed since it was
		 * sized (unmapped, mprotect()ed): try a smaller one at @addr.
		 */
		ctx->max_chunk = gpusvm_range_size(f->range) / 2;
		xe_svm_range_remove(vm, f->range);
	}
}

static void xe_svm_fault_account(struct xe_vm *vm, const struct xe_svm_fault *f, u32 total_us)
{
	struct xe_device *xe = vm->xe;
	unsigned int idx;

	if (!f->range)
		return;
	idx = xe_svm_size_index(gpusvm_range_size(f->range));
	xe_svm_stat_add(xe, XE_SVM_STAT_SIZE_PAGEFAULT_COUNT + idx, 1);
	xe_svm_stat_add(xe, XE_SVM_STAT_SIZE_PAGEFAULT_US + idx, total_us);
	xe_svm_stat_add(xe, XE_SVM_STAT_SIZE_GET_PAGES_US + idx, f->get_pages_us);
	xe_svm_stat_add(xe, XE_SVM_STAT_SIZE_BIND_US + idx, f->bind_us);
	if (f->valid) {
		xe_svm_stat_add(xe, XE_SVM_STAT_SIZE_VALID_PAGEFAULT_COUNT + idx, 1);
		xe_svm_stat_add(xe, XE_SVM_STAT_COALESCED_COUNT, 1);
	}
}

/**
 * xe_svm_handle_fault() - resolve a GPU fault on mirrored memory
 * @vm: the VM, with &xe_vm.lock held for reading
 * @vma: the mirror VMA that covers @addr
 * @addr: the faulting address
 * @access: XE_EMU_ACCESS_*
 * @span: set to the range that now serves the access, for answering
 *	  other faults on it
 *
 * Return:
 * * 0 - the access can be replayed.
 * * -EACCES - a write or atomic to memory the CPU, or the mirror, only
 *   lets the GPU read.
 * * -ENOENT - no CPU mapping covers @addr.
 * * -EFAULT - the CPU mapping is not usable (PROT_NONE, I/O memory) or
 *   the process has exited.
 * * -EINVAL - @addr is outside the process's address space.
 * * -EBUSY - the memory kept changing for XE_SVM_RETRY_MS.
 * * -ENOMEM, -EINTR - out of memory, or a fatal signal.
 */
int xe_svm_handle_fault(struct xe_vm *vm, struct xe_vma *vma, u64 addr, u32 access,
			struct xe_svm_span *span)
{
	struct xe_device *xe = vm->xe;
	struct gpusvm_ctx ctx = {
		.max_chunk = READ_ONCE(xe->svm.range_max),
		.timeout_ms = XE_SVM_RETRY_MS,
		.read_only = xe_vma_read_only(vma),
	};
	bool write = access != XE_EMU_ACCESS_READ;
	struct xe_svm_fault f = {};
	ktime_t start = ktime_get();
	u32 total_us;
	int err;

	lockdep_assert_held(&vm->lock);
	trace_xe_svm_fault(vm->asid, addr, access);
	xe_svm_stat_add(xe, XE_SVM_STAT_PAGEFAULT_COUNT, 1);

	mutex_lock(&vm->svm.lock);
	/* Unmapped ranges first, so the view of the CPU's memory is current. */
	xe_svm_gc_locked(vm);
	err = xe_svm_range_get(vm, vma, addr, &ctx, write, &f);
	if (!err) {
		span->start = gpusvm_range_start(f.range);
		span->end = gpusvm_range_end(f.range);
		span->writable = !f.range->read_only;
	}
	mutex_unlock(&vm->svm.lock);

	total_us = ktime_us_delta(ktime_get(), start);
	xe_svm_fault_account(vm, &f, total_us);
	if (err)
		xe_svm_stat_add(xe, XE_SVM_STAT_FAULT_FAIL_COUNT, 1);
	trace_xe_svm_fault_done(vm->asid, addr, f.range ? gpusvm_range_start(f.range) : 0,
				f.range ? gpusvm_range_end(f.range) : 0, err, f.retries, f.valid,
				f.get_pages_us, f.bind_us, total_us);
	return err;
}

/**
 * xe_svm_prefetch() - bring mirrored memory in ahead of the GPU
 * @vm: the VM, with &xe_vm.lock held for writing and no reservation
 * @vma: a mirror VMA
 * @start: first address to prefetch
 * @end: end of it
 *
 * Does for each range of [@start, @end) ∩ @vma what a GPU read fault
 * would, skipping the holes of the CPU address space, so the GPU finds
 * the memory bound. Mirrored memory stays in system memory: this is what
 * a PREFETCH of a mirror does, whatever region it names.
 *
 * Return: 0; -EINTR on a fatal signal; the errors of xe_svm_handle_fault().
 */
int xe_svm_prefetch(struct xe_vm *vm, struct xe_vma *vma, u64 start, u64 end)
{
	struct gpusvm_ctx ctx = {
		.max_chunk = READ_ONCE(vm->xe->svm.range_max),
		.timeout_ms = XE_SVM_RETRY_MS,
		.read_only = xe_vma_read_only(vma),
	};
	struct gpusvm *svm = &vm->svm.gpusvm;
	u64 addr = max(start, xe_vma_start(vma));
	int err = 0;

	end = min(end, xe_vma_end(vma));
	mutex_lock(&vm->svm.lock);
	xe_svm_gc_locked(vm);
	while (!err && (addr = gpusvm_find_vma_start(svm, addr, end)) < end) {
		struct xe_svm_fault f = {};

		if (fatal_signal_pending(current)) {
			err = -EINTR;
			break;
		}
		ctx.max_chunk = READ_ONCE(vm->xe->svm.range_max);
		err = xe_svm_range_get(vm, vma, addr, &ctx, false, &f);
		if (f.range)
			addr = gpusvm_range_end(f.range);
		cond_resched();
	}
	mutex_unlock(&vm->svm.lock);
	return err;
}

/**
 * xe_svm_coalesced() - count faults answered by another fault's resolution
 * @xe: the device
 * @n: how many
 */
void xe_svm_coalesced(struct xe_device *xe, unsigned int n)
{
	xe_svm_stat_add(xe, XE_SVM_STAT_COALESCED_COUNT, n);
	xe_svm_stat_add(xe, XE_SVM_STAT_PAGEFAULT_COUNT, n);
}

/* --- debugfs ------------------------------------------------------------------------ */

static void xe_svm_stat_name(enum xe_svm_stat stat, char *buf, size_t len)
{
	static const char * const sized[] = {
		"pagefault_count", "valid_pagefault_count", "get_pages_count", "bind_count",
		"pagefault_us", "get_pages_us", "bind_us",
	};
	static const char * const plain[] = {
		[XE_SVM_STAT_PAGEFAULT_COUNT] = "svm_pagefault_count",
		[XE_SVM_STAT_TLB_INVAL_COUNT] = "svm_tlb_inval_count",
		[XE_SVM_STAT_TLB_INVAL_US] = "svm_tlb_inval_us",
		[XE_SVM_STAT_RETRY_COUNT] = "svm_retry_count",
		[XE_SVM_STAT_COALESCED_COUNT] = "svm_coalesced_count",
		[XE_SVM_STAT_FAULT_FAIL_COUNT] = "svm_fault_fail_count",
		[XE_SVM_STAT_GC_COUNT] = "svm_gc_count",
		[XE_SVM_STAT_INVALIDATE_COUNT] = "svm_invalidate_count",
		[XE_SVM_STAT_NOTIFIER_COUNT] = "svm_notifier_count",
		[XE_SVM_STAT_RANGE_COUNT] = "svm_range_count",
	};

	if (stat >= XE_SVM_STAT_SIZE_PAGEFAULT_COUNT && stat < XE_SVM_STAT_TLB_INVAL_COUNT) {
		unsigned int i = stat - XE_SVM_STAT_SIZE_PAGEFAULT_COUNT;

		snprintf(buf, len, "svm_%s_%s", xe_svm_size_names[i % 3], sized[i / 3]);
	} else {
		snprintf(buf, len, "%s", plain[stat]);
	}
}

static int xe_svm_stats_show(struct seq_file *m, void *data)
{
	struct xe_device *xe = m->private;
	enum xe_svm_stat stat;
	char name[48];

	for (stat = 0; stat < XE_SVM_STAT_NUM; stat++) {
		xe_svm_stat_name(stat, name, sizeof(name));
		seq_printf(m, "%s: %lld\n", name, atomic64_read(&xe->svm.stats[stat]));
	}
	return 0;
}

static int xe_svm_stats_open(struct inode *inode, struct file *file)
{
	return single_open(file, xe_svm_stats_show, inode->i_private);
}

static ssize_t xe_svm_stats_write(struct file *file, const char __user *buf, size_t len,
				  loff_t *pos)
{
	struct xe_device *xe = ((struct seq_file *)file->private_data)->private;
	enum xe_svm_stat stat;

	for (stat = 0; stat < XE_SVM_STAT_NOTIFIER_COUNT; stat++)
		atomic64_set(&xe->svm.stats[stat], 0);
	return len;
}

static const struct file_operations xe_svm_stats_fops = {
	.owner = THIS_MODULE,
	.open = xe_svm_stats_open,
	.read = seq_read,
	.write = xe_svm_stats_write,
	.llseek = seq_lseek,
	.release = single_release,
};

static int xe_svm_range_max_set(void *data, u64 val)
{
	struct xe_device *xe = data;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(xe_svm_chunk_sizes); i++) {
		if (val == xe_svm_chunk_sizes[i]) {
			WRITE_ONCE(xe->svm.range_max, val);
			return 0;
		}
	}
	return -EINVAL;
}

static int xe_svm_range_max_get(void *data, u64 *val)
{
	*val = READ_ONCE(((struct xe_device *)data)->svm.range_max);
	return 0;
}

DEFINE_DEBUGFS_ATTRIBUTE(xe_svm_range_max_fops, xe_svm_range_max_get, xe_svm_range_max_set,
			 "%llu\n");

static int xe_svm_inject_set(void *data, u64 val)
{
	struct xe_device *xe = data;

	if (val > U32_MAX)
		return -EINVAL;
	/* U32_MAX: every commit collides, until the knob is reset. */
	atomic_set(&xe->svm.inject_collisions, val == U32_MAX ? -1 : min_t(u64, val, INT_MAX));
	return 0;
}

static int xe_svm_inject_get(void *data, u64 *val)
{
	int n = atomic_read(&((struct xe_device *)data)->svm.inject_collisions);

	*val = n == -1 ? U32_MAX : n;
	return 0;
}

DEFINE_DEBUGFS_ATTRIBUTE(xe_svm_inject_fops, xe_svm_inject_get, xe_svm_inject_set, "%llu\n");

/**
 * xe_svm_device_init() - set up the device's SVM counters and knobs
 * @xe: the device
 */
void xe_svm_device_init(struct xe_device *xe)
{
	xe->svm.range_max = xe_svm_chunk_sizes[0];
}

/**
 * xe_svm_debugfs_register() - add gt0/stats and the SVM knobs
 * @xe: the device, registered
 */
void xe_svm_debugfs_register(struct xe_device *xe)
{
	struct dentry *root = xe->drm.primary->debugfs_root;
	struct dentry *gt = debugfs_create_dir("gt0", root);

	debugfs_create_file("stats", 0600, gt, xe, &xe_svm_stats_fops);
	debugfs_create_file("svm_range_max", 0600, root, xe, &xe_svm_range_max_fops);
	if (IS_ENABLED(CONFIG_DRM_XE_DEBUG))
		debugfs_create_file("svm_inject_collisions", 0600, root, xe,
				    &xe_svm_inject_fops);
}
