// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The xe virtual GPU authors
 */

#include <linux/dma-mapping.h>
#include <linux/hmm.h>
#include <linux/mm.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include <drm/drm_exec.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/ttm/ttm_tt.h>
#include <drm/xe_drm.h>

#include "emu/xe_emu_hw.h"
#include "xe_bo.h"
#include "xe_device.h"
#include "xe_device_types.h"
#include "xe_dma_pages.h"
#include "xe_exec_queue.h"
#include "xe_macros.h"
#include "xe_pt.h"
#include "xe_res_cursor.h"
#include "xe_svm.h"
#include "xe_sync.h"
#include "xe_tlb_inval.h"
#include "xe_vm.h"

/**
 * DOC: VM
 *
 * A VM is a GPU address space: a drm_gpuvm tree of VMAs, each mapping a
 * BO, user memory (userptr) or nothing (NULL), and the page tables that
 * put those mappings into the GPU MMU (see Page tables).
 *
 * In a VM created without FAULT_MODE, mappings are written when they are
 * bound, and the GPU must never meet a missing one: a BO that TTM moves
 * has its mappings zapped and re-written before the next job runs (the
 * job's exec revalidates it), and jobs keep BOs in place with their fences
 * in the VM's and the BOs' reservation objects. In a FAULT_MODE VM nothing
 * is written at bind time: the GPU faults and the page-fault handler binds
 * what it touched; a moved BO just has its mappings zapped, and the GPU
 * faults them back in.
 *
 * Userptr VMAs follow Documentation/mm/hmm.rst: pages are found with
 * hmm_range_fault() under a notifier sequence number, never pinned, and
 * the mapping is committed under &xe_vm.pt_lock only if the sequence is
 * still valid, otherwise the whole step is retried. The notifier callback
 * takes &xe_vm.pt_lock, zaps the PTEs, invalidates the TLBs and waits for
 * that, then unmaps the pages for DMA; it allocates nothing. In a VM
 * without FAULT_MODE it first waits for the VM's jobs, so a running job
 * never loses memory under it.
 *
 * Sizes come from userspace, so no step's work or memory is allowed to
 * grow with them unchecked: userptr pages are found and mapped a chunk at
 * a time, with the CPU yielded between chunks and the task's death
 * noticed; their DMA addresses are charged to the caller's memory cgroup
 * and allocated only when first needed; a GPU fault on a BO or NULL
 * mapping binds a bounded window around the faulting address, not the
 * whole mapping; and loops over page tables and VMAs yield.
 *
 * Locking, outermost first: &xe_vm.lock (rwsem), then mmap_lock (read,
 * for hmm_range_fault()), then BO reservations (drm_exec, the VM's first),
 * then &xe_vm.pt_lock, then &xe_ct.lock.
 */

#define XE_VM_VA_BITS		48
#define XE_VM_MAX_ASID		(BIT(20) - 1)
#define XE_VM_NUM_PAT		32
#define XE_VM_BIND_MAX_OPS	1024
#define XE_USERPTR_RETRY_MS	2000
/* User pages are looked up and mapped this many at a time. */
#define XE_USERPTR_CHUNK_PAGES	512
/*
 * A GPU fault on a BO or NULL mapping binds this much around the faulting
 * address, not the whole VMA: one fault does bounded work whatever the
 * mapping's size, and the fault workers, shared by every process, stay
 * available to the others.
 */
#define XE_FAULT_BIND_BO	SZ_16M
#define XE_FAULT_BIND_NULL	SZ_1G

static struct xe_vma *to_xe_vma(struct drm_gpuva *gpuva)
{
	return container_of(gpuva, struct xe_vma, gpuva);
}

static struct xe_bo *xe_vma_bo(const struct xe_vma *vma)
{
	return gem_to_xe_bo(vma->gpuva.gem.obj);
}

/* --- what a VMA maps --------------------------------------------------------- */

struct xe_vma_backing {
	struct xe_pt_backing base;
	struct xe_vma *vma;
	struct xe_device *xe;
	/* Offset in the VMA of the range being written. */
	u64 skip;
};

static u64 xe_vma_bo_page(struct xe_pt_backing *backing, u64 offset, u64 *contig)
{
	struct xe_vma_backing *b = container_of(backing, struct xe_vma_backing, base);
	struct xe_vma *vma = b->vma;
	struct ttm_buffer_object *tbo = &xe_vma_bo(vma)->ttm;
	u64 bo_offset = vma->gpuva.gem.offset + b->skip + offset;
	struct ttm_tt *tt = tbo->ttm;
	pgoff_t i, first = bo_offset >> PAGE_SHIFT;
	dma_addr_t addr;

	if (tbo->resource->mem_type == XE_PL_VRAM0) {
		struct xe_res_cursor cur;

		xe_res_first(tbo->resource, &b->xe->mem.vram.mm, bo_offset,
			     tbo->base.size - bo_offset, &cur);
		*contig = cur.size;
		return cur.start | XE_EMU_PTE_DM;
	}

	/* System pages: contiguous as far as the DMA addresses follow. */
	addr = tt->dma_address[first];
	for (i = first + 1; i < tt->num_pages && i - first < SZ_2M / PAGE_SIZE; i++)
		if (tt->dma_address[i] != addr + ((i - first) << PAGE_SHIFT))
			break;
	*contig = (u64)(i - first) << PAGE_SHIFT;
	return addr;
}

static u64 xe_vma_userptr_page(struct xe_pt_backing *backing, u64 offset, u64 *contig)
{
	struct xe_vma_backing *b = container_of(backing, struct xe_vma_backing, base);

	*contig = PAGE_SIZE;
	return b->vma->userptr.pages[(b->skip + offset) >> PAGE_SHIFT].addr;
}

static u64 xe_vma_null_page(struct xe_pt_backing *backing, u64 offset, u64 *contig)
{
	*contig = U64_MAX;
	return 0;
}

static void xe_vma_backing_init(struct xe_vma_backing *b, struct xe_vma *vma, u64 skip)
{
	b->vma = vma;
	b->xe = vma->vm->xe;
	b->skip = skip;
	b->base.flags = XE_EMU_PTE_PRESENT;
	if (!(vma->flags & XE_VMA_READ_ONLY))
		b->base.flags |= XE_EMU_PTE_RW;

	if (vma->flags & XE_VMA_NULL) {
		b->base.page = xe_vma_null_page;
		b->base.flags |= XE_EMU_PTE_NULL;
	} else if (vma->flags & XE_VMA_USERPTR) {
		b->base.page = xe_vma_userptr_page;
		/* System memory with atomics: buffers, not mirrored SVM ranges. */
		b->base.flags |= XE_EMU_PTE_AE;
	} else {
		b->base.page = xe_vma_bo_page;
		b->base.flags |= XE_EMU_PTE_AE;
	}
}

/* --- binding ----------------------------------------------------------------- */

/**
 * xe_vm_invalidate_tlb() - make the GT forget translations of a range
 * @vm: the VM
 * @start: first byte
 * @end: end of the range
 *
 * Waits until the GT confirms. Allocates nothing.
 *
 * Return: 0, or the invalidation's error (the GT stopped answering).
 */
int xe_vm_invalidate_tlb(struct xe_vm *vm, u64 start, u64 end)
{
	return xe_tlb_inval_range(vm->xe, vm->asid, start, end - start);
}

static bool xe_vma_userptr_valid(struct xe_vma *vma)
{
	lockdep_assert_held(&vma->vm->pt_lock);
	return vma->userptr.mapped &&
	       !mmu_interval_read_retry(&vma->userptr.notifier, vma->userptr.notifier_seq);
}

/*
 * Writes the PTEs of [@start, @end) of a VMA. For a BO, the caller holds
 * its reservation and the BO is where it will stay; for a userptr, its
 * pages were just found and the commit only happens if they are still
 * current. &xe_vma.bound says the whole VMA is mapped.
 */
static int xe_vma_bind_range(struct xe_vma *vma, u64 start, u64 end)
{
	struct xe_vm *vm = vma->vm;
	struct xe_vma_backing b;
	bool replaced = false;
	int err;

	xe_vma_backing_init(&b, vma, start - xe_vma_start(vma));
	do {
		err = xe_pt_prepare(vm, start, end, &b.base, &replaced);
		if (err)
			return err;

		mutex_lock(&vm->pt_lock);
		if ((vma->flags & XE_VMA_USERPTR) && !xe_vma_userptr_valid(vma)) {
			mutex_unlock(&vm->pt_lock);
			return -EAGAIN;
		}
		err = xe_pt_commit_locked(vm, start, end, &b.base, &replaced);
		if (!err && start == xe_vma_start(vma) && end == xe_vma_end(vma))
			vma->bound = true;
		mutex_unlock(&vm->pt_lock);
	} while (err == -EAGAIN);

	if (replaced)
		err = xe_vm_invalidate_tlb(vm, start, end);
	return err;
}

static int xe_vma_bind(struct xe_vma *vma)
{
	return xe_vma_bind_range(vma, xe_vma_start(vma), xe_vma_end(vma));
}

/* Binds the @size-aligned window around @addr, clipped to the VMA. */
static int xe_vma_bind_window(struct xe_vma *vma, u64 addr, u64 size)
{
	u64 start = max(round_down(addr, size), xe_vma_start(vma));
	u64 end = min(round_down(addr, size) + size, xe_vma_end(vma));

	return xe_vma_bind_range(vma, start, end);
}

/* Zaps a VMA's PTEs; the caller invalidates the TLB if this returns true. */
static bool xe_vma_zap_locked(struct xe_vma *vma)
{
	lockdep_assert_held(&vma->vm->pt_lock);
	vma->bound = false;
	return xe_pt_clear_locked(vma->vm, xe_vma_start(vma), xe_vma_end(vma));
}

static int xe_vma_unbind(struct xe_vma *vma)
{
	struct xe_vm *vm = vma->vm;
	bool zapped;

	mutex_lock(&vm->pt_lock);
	zapped = xe_vma_zap_locked(vma);
	mutex_unlock(&vm->pt_lock);

	return zapped ? xe_vm_invalidate_tlb(vm, xe_vma_start(vma), xe_vma_end(vma)) : 0;
}

/* --- userptr ----------------------------------------------------------------- */

static void xe_userptr_dma_unmap(struct xe_device *xe, const struct xe_userptr_page *pages,
				 unsigned long npages)
{
	unsigned long i;

	for (i = 0; i < npages; i++) {
		xe_dma_page_unmap_order(xe, pages[i].pfn, 0, pages[i].addr);
		if (!((i + 1) % XE_USERPTR_CHUNK_PAGES))
			cond_resched();
	}
}

static void xe_userptr_unmap_locked(struct xe_vma *vma)
{
	lockdep_assert_held(&vma->vm->pt_lock);
	if (!vma->userptr.mapped)
		return;

	xe_userptr_dma_unmap(vma->vm->xe, vma->userptr.pages,
			     vma->gpuva.va.range >> PAGE_SHIFT);
	vma->userptr.mapped = false;
}

static bool xe_userptr_invalidate(struct mmu_interval_notifier *mni,
				  const struct mmu_notifier_range *range,
				  unsigned long cur_seq)
{
	struct xe_vma *vma = container_of(mni, struct xe_vma, userptr.notifier);
	struct xe_vm *vm = vma->vm;
	bool zapped;

	if (!mmu_notifier_range_blockable(range))
		return false;

	/* Without faults, let running jobs finish before taking their memory. */
	if (!xe_vm_in_fault_mode(vm))
		dma_resv_wait_timeout(xe_vm_resv(vm), DMA_RESV_USAGE_BOOKKEEP, false,
				      MAX_SCHEDULE_TIMEOUT);

	mutex_lock(&vm->pt_lock);
	mmu_interval_set_seq(mni, cur_seq);
	zapped = xe_vma_zap_locked(vma);
	if (zapped)
		xe_vm_invalidate_tlb(vm, xe_vma_start(vma), xe_vma_end(vma));
	xe_userptr_unmap_locked(vma);
	mutex_unlock(&vm->pt_lock);

	return true;
}

static const struct mmu_interval_notifier_ops xe_userptr_notifier_ops = {
	.invalidate = xe_userptr_invalidate,
};

/*
 * Finds and maps for DMA one chunk of a userptr's pages, @n pages from
 * CPU address @start, under notifier sequence @seq.
 */
static int xe_userptr_map_chunk(struct xe_vma *vma, unsigned long seq, unsigned long start,
				unsigned long n, unsigned long *pfns,
				struct xe_userptr_page *pages)
{
	struct xe_userptr *uptr = &vma->userptr;
	struct mm_struct *mm = uptr->notifier.mm;
	struct xe_device *xe = vma->vm->xe;
	struct hmm_range range = {
		.notifier = &uptr->notifier,
		.notifier_seq = seq,
		.start = start,
		.end = start + (n << PAGE_SHIFT),
		.hmm_pfns = pfns,
		.default_flags = HMM_PFN_REQ_FAULT |
				 (vma->flags & XE_VMA_READ_ONLY ? 0 : HMM_PFN_REQ_WRITE),
		.dev_private_owner = vma->vm->xe,
	};
	unsigned long i;
	int err;

	if (fatal_signal_pending(current))
		return -EINTR;
	if (mmap_read_lock_killable(mm))
		return -EINTR;
	err = hmm_range_fault(&range);
	mmap_read_unlock(mm);
	/* A write-enabled mapping of memory the process may only read. */
	if (err == -EPERM)
		return -EFAULT;
	if (err)
		return err;

	for (i = 0; i < n; i++) {
		struct page *page = hmm_pfn_to_page(pfns[i]);

		pages[i].pfn = page_to_pfn(page);
		err = xe_dma_page_map(xe, page, &pages[i].addr);
		if (err) {
			xe_userptr_dma_unmap(xe, pages, i);
			return err;
		}
	}
	cond_resched();
	return 0;
}

/*
 * Finds the pages behind a userptr VMA and maps them for DMA, a chunk at a
 * time, all under one notifier sequence number; the caller commits PTEs
 * only if it is still valid (xe_vma_bind() checks). The array of DMA
 * addresses is sized by the user's range: it is charged to the caller and
 * may fail, quietly, with -ENOMEM.
 */
static int xe_userptr_get_pages(struct xe_vma *vma)
{
	struct xe_userptr *uptr = &vma->userptr;
	struct mm_struct *mm = uptr->notifier.mm;
	unsigned long npages = vma->gpuva.va.range >> PAGE_SHIFT;
	unsigned long timeout = jiffies + msecs_to_jiffies(XE_USERPTR_RETRY_MS);
	unsigned long start = vma->gpuva.gem.offset;
	unsigned long seq, done, n = 0;
	struct xe_userptr_page *pages;
	unsigned long *pfns;
	int err;

	if (!mmget_not_zero(mm))
		return -EFAULT;

	pfns = kmalloc_array(XE_USERPTR_CHUNK_PAGES, sizeof(*pfns), GFP_KERNEL);
	pages = kvmalloc_array(npages, sizeof(*pages), GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
	if (!pfns || !pages) {
		err = -ENOMEM;
		goto out;
	}

	for (;;) {
		seq = mmu_interval_read_begin(&uptr->notifier);
		for (done = 0, err = 0; !err && done < npages; done += n) {
			n = min_t(unsigned long, npages - done, XE_USERPTR_CHUNK_PAGES);
			err = xe_userptr_map_chunk(vma, seq, start + (done << PAGE_SHIFT), n,
						   pfns, pages + done);
		}
		if (!err)
			break;
		/* The chunk that failed mapped nothing. */
		xe_userptr_dma_unmap(vma->vm->xe, pages, done - n);
		if (err != -EBUSY || time_after(jiffies, timeout))
			goto out;
	}

	mutex_lock(&vma->vm->pt_lock);
	xe_userptr_unmap_locked(vma);
	swap(uptr->pages, pages);
	uptr->notifier_seq = seq;
	uptr->mapped = true;
	mutex_unlock(&vma->vm->pt_lock);
out:
	kvfree(pages);
	kfree(pfns);
	mmput(mm);
	return err;
}

/*
 * Finds the pages and binds them, until both happen under one sequence;
 * -EBUSY when the memory kept changing for XE_USERPTR_RETRY_MS.
 */
static int xe_userptr_bind(struct xe_vma *vma)
{
	unsigned long timeout = jiffies + msecs_to_jiffies(XE_USERPTR_RETRY_MS);
	int err;

	do {
		err = xe_userptr_get_pages(vma);
		if (!err)
			err = xe_vma_bind(vma);
		if (err == -EAGAIN && time_after(jiffies, timeout))
			err = -EBUSY;
	} while (err == -EAGAIN);

	return err;
}

/* --- VMAs -------------------------------------------------------------------- */

/*
 * Unlinking a VMA may drop the last reference to its BO, whose release
 * must not run under the reservations a bind or close holds: the BO's
 * reference is kept here and dropped once they are released.
 */
struct xe_obj_puts {
	struct drm_gem_object **objs;
	u32 count, size;
};

static void xe_obj_puts_hold(struct xe_obj_puts *puts, struct drm_gem_object *obj)
{
	if (!obj)
		return;
	if (puts->count == puts->size) {
		u32 size = max(16u, 2 * puts->size);
		void *objs = krealloc_array(puts->objs, size, sizeof(*puts->objs), GFP_KERNEL);

		/* Without memory, keep the reference for good rather than free early. */
		if (WARN_ON_ONCE(!objs)) {
			drm_gem_object_get(obj);
			return;
		}
		puts->objs = objs;
		puts->size = size;
	}
	drm_gem_object_get(obj);
	puts->objs[puts->count++] = obj;
}

static void xe_obj_puts_release(struct xe_obj_puts *puts)
{
	while (puts->count)
		drm_gem_object_put(puts->objs[--puts->count]);
	kfree(puts->objs);
	puts->objs = NULL;
	puts->size = 0;
}

static struct xe_vma *xe_vma_create(struct xe_vm *vm, u32 flags)
{
	struct xe_vma *vma = kzalloc(sizeof(*vma), GFP_KERNEL_ACCOUNT);

	if (!vma)
		return NULL;
	vma->vm = vm;
	vma->flags = flags;
	return vma;
}

static int xe_vma_userptr_init(struct xe_vma *vma)
{
	int err;

	err = mmu_interval_notifier_insert(&vma->userptr.notifier, current->mm,
					   vma->gpuva.gem.offset, vma->gpuva.va.range,
					   &xe_userptr_notifier_ops);
	/* A failed insert may have set fields, but took no reference. */
	vma->userptr.registered = !err;
	return err;
}

static void xe_vma_destroy(struct xe_vma *vma)
{
	if (vma->flags & XE_VMA_USERPTR) {
		if (vma->userptr.registered)
			mmu_interval_notifier_remove(&vma->userptr.notifier);
		mutex_lock(&vma->vm->pt_lock);
		xe_userptr_unmap_locked(vma);
		mutex_unlock(&vma->vm->pt_lock);
		kvfree(vma->userptr.pages);
	}
	kfree(vma);
}

/* --- the VM ------------------------------------------------------------------ */

static void xe_vm_free(struct drm_gpuvm *gpuvm)
{
	struct xe_vm *vm = container_of(gpuvm, struct xe_vm, gpuvm);
	struct xe_device *xe = vm->xe;

	/* Every VM is closed before its last reference goes. */
	drm_WARN_ON(&xe->drm, vm->svm.enabled);

	/*
	 * Engines may still cache translations of this address space (a
	 * scratch VM's are never zapped): forget them all before the id
	 * goes to another VM. No context uses the VM any more.
	 */
	xe_tlb_inval_range(xe, vm->asid, 0, 0);
	xe_pt_destroy(vm, vm->pt_root);
	xe_pt_destroy(vm, vm->scratch[0]);
	xe_pt_destroy(vm, vm->scratch[1]);
	xa_erase(&xe->vms_by_asid, vm->asid);
	mutex_destroy(&vm->pt_lock);
	kfree(vm);
}

static int xe_vm_bo_validate(struct drm_gpuvm_bo *vm_bo, struct drm_exec *exec)
{
	struct xe_bo *bo = gem_to_xe_bo(vm_bo->obj);
	struct ttm_operation_ctx ctx = { .interruptible = true };

	return ttm_bo_validate(&bo->ttm, &bo->placement, &ctx);
}

static const struct drm_gpuvm_ops xe_gpuvm_ops = {
	.vm_free = xe_vm_free,
	.vm_bo_validate = xe_vm_bo_validate,
};

static int xe_vm_init_scratch(struct xe_vm *vm)
{
	/* Level-1 entries: 2 MiB leaves of nothing. */
	vm->empty[0] = XE_EMU_PTE_PRESENT | XE_EMU_PTE_RW | XE_EMU_PTE_NULL;
	vm->empty[1] = vm->empty[0] | XE_EMU_PDE_PS_2M;

	vm->scratch[1] = xe_pt_create(vm, 1);
	if (!vm->scratch[1])
		return -ENOMEM;
	vm->empty[2] = xe_pt_table_entry(vm->scratch[1]);

	vm->scratch[0] = xe_pt_create(vm, 2);
	if (!vm->scratch[0])
		return -ENOMEM;
	vm->empty[3] = xe_pt_table_entry(vm->scratch[0]);
	return 0;
}

static struct xe_vm *xe_vm_create(struct xe_device *xe, u32 flags)
{
	struct drm_gem_object *resv_obj;
	struct xe_vm *vm;
	int err;

	vm = kzalloc(sizeof(*vm), GFP_KERNEL_ACCOUNT);
	if (!vm)
		return ERR_PTR(-ENOMEM);

	vm->xe = xe;
	vm->flags = flags;
	init_rwsem(&vm->lock);
	mutex_init(&vm->pt_lock);
	/* MMU notifiers and TTM moves take pt_lock under reclaim. */
	fs_reclaim_acquire(GFP_KERNEL);
	might_lock(&vm->pt_lock);
	fs_reclaim_release(GFP_KERNEL);

	err = xa_alloc(&xe->vms_by_asid, &vm->asid, vm, XA_LIMIT(1, XE_VM_MAX_ASID),
		       GFP_KERNEL);
	if (err) {
		err = err == -EBUSY ? -ENOSPC : err;
		goto err_free;
	}

	if (flags & XE_VM_FLAG_SCRATCH_PAGE) {
		err = xe_vm_init_scratch(vm);
		if (err)
			goto err_pt;
	}

	vm->pt_root = xe_pt_create(vm, 3);
	if (!vm->pt_root) {
		err = -ENOMEM;
		goto err_pt;
	}

	resv_obj = drm_gpuvm_resv_object_alloc(&xe->drm);
	if (!resv_obj) {
		err = -ENOMEM;
		goto err_pt;
	}

	drm_gpuvm_init(&vm->gpuvm, "xe", DRM_GPUVM_RESV_PROTECTED, &xe->drm, resv_obj,
		       0, BIT_ULL(XE_VM_VA_BITS), 0, 0, &xe_gpuvm_ops);
	drm_gem_object_put(resv_obj);

	if (flags & XE_VM_FLAG_FAULT_MODE) {
		err = xe_svm_init(vm);
		if (err) {
			xe_vm_put(vm);
			return ERR_PTR(err);
		}
	}
	return vm;

err_pt:
	xe_pt_destroy(vm, vm->pt_root);
	xe_pt_destroy(vm, vm->scratch[0]);
	xe_pt_destroy(vm, vm->scratch[1]);
	xa_erase(&xe->vms_by_asid, vm->asid);
err_free:
	mutex_destroy(&vm->pt_lock);
	kfree(vm);
	return ERR_PTR(err);
}

/* Removes every VMA; the VM is closed and no job can run in it any more. */
static void xe_vm_close(struct xe_vm *vm)
{
	struct xe_obj_puts puts = {};
	struct drm_gpuva *gpuva, *next;
	struct drm_exec exec;
	int err;

	/*
	 * The mirror goes first, without reservations (its lock ranks above
	 * them): the GPU stops reaching mirrored memory, then every range and
	 * notifier is removed, and the garbage collector is waited for.
	 */
	down_write(&vm->lock);
	vm->closed = true;
	drm_gpuvm_for_each_va(gpuva, &vm->gpuvm) {
		if (to_xe_vma(gpuva)->flags & XE_VMA_CPU_MIRROR)
			xe_vma_unbind(to_xe_vma(gpuva));
		cond_resched();
	}
	xe_svm_close(vm);
	up_write(&vm->lock);
	xe_svm_fini(vm);

	down_write(&vm->lock);
	drm_exec_init(&exec, DRM_EXEC_IGNORE_DUPLICATES, 0);
	drm_exec_until_all_locked(&exec) {
		err = drm_gpuvm_prepare_vm(&vm->gpuvm, &exec, 0);
		drm_exec_retry_on_contention(&exec);
		if (!err)
			err = drm_gpuvm_prepare_objects(&vm->gpuvm, &exec, 0);
		drm_exec_retry_on_contention(&exec);
	}

	drm_gpuvm_for_each_va_safe(gpuva, next, &vm->gpuvm) {
		struct xe_vma *vma = to_xe_vma(gpuva);

		xe_vma_unbind(vma);
		xe_obj_puts_hold(&puts, gpuva->gem.obj);
		drm_gpuva_unlink(gpuva);
		drm_gpuva_remove(gpuva);
		xe_vma_destroy(vma);
		/* Userspace decides how many VMAs there are. */
		cond_resched();
	}
	drm_exec_fini(&exec);
	xe_obj_puts_release(&puts);
	up_write(&vm->lock);
}

/**
 * xe_vm_pt_root() - the address the GT walks the VM's tables from
 * @vm: the VM
 *
 * Return: the top-level table's address, for a context descriptor.
 */
u64 xe_vm_pt_root(struct xe_vm *vm)
{
	return vm->pt_root->dma;
}

/**
 * xe_vm_lookup() - find a VM of a file
 * @xef: the file
 * @id: the VM's id
 *
 * Return: the VM with a reference, or NULL.
 */
struct xe_vm *xe_vm_lookup(struct xe_file *xef, u32 id)
{
	struct xe_vm *vm;

	mutex_lock(&xef->vm.lock);
	vm = xa_load(&xef->vm.xa, id);
	if (vm)
		xe_vm_get(vm);
	mutex_unlock(&xef->vm.lock);
	return vm;
}

/**
 * xe_vm_file_close() - destroy every VM a closing file still has
 * @xef: the file
 */
void xe_vm_file_close(struct xe_file *xef)
{
	struct xe_vm *vm;
	unsigned long id;

	xa_for_each(&xef->vm.xa, id, vm) {
		xa_erase(&xef->vm.xa, id);
		xe_vm_close(vm);
		xe_vm_put(vm);
	}
}

#define XE_VM_CREATE_FLAGS	(DRM_XE_VM_CREATE_FLAG_SCRATCH_PAGE |	\
				 DRM_XE_VM_CREATE_FLAG_LR_MODE |	\
				 DRM_XE_VM_CREATE_FLAG_FAULT_MODE)

/**
 * xe_vm_create_ioctl() - DRM_IOCTL_XE_VM_CREATE
 * @dev: DRM device
 * @data: &struct drm_xe_vm_create
 * @file: the caller's DRM file
 *
 * LR_MODE makes jobs long-running: they report completion through user
 * fences only. Without FAULT_MODE such a VM keeps its memory in place the
 * way other VMs do, by the jobs' internal fences (there are no preemption
 * fences to evict under a running job; every batch of this GPU ends).
 *
 * Return: 0 with the VM's id in &drm_xe_vm_create.vm_id; -EINVAL for
 * malformed arguments (unknown flags, FAULT_MODE without LR_MODE,
 * SCRATCH_PAGE with FAULT_MODE, set extensions or reserved fields);
 * -ENOSPC when every address-space id is taken; -ENOMEM.
 */
int xe_vm_create_ioctl(struct drm_device *dev, void *data, struct drm_file *file)
{
	struct xe_device *xe = to_xe_device(dev);
	struct xe_file *xef = file->driver_priv;
	struct drm_xe_vm_create *args = data;
	struct xe_vm *vm;
	u32 id, flags = 0;
	int err;

	if (XE_IOCTL_DBG(xe, args->extensions) ||
	    XE_IOCTL_DBG(xe, args->reserved[0] || args->reserved[1]) ||
	    XE_IOCTL_DBG(xe, args->vm_id) ||
	    XE_IOCTL_DBG(xe, args->flags & ~XE_VM_CREATE_FLAGS))
		return -EINVAL;
	if (XE_IOCTL_DBG(xe, (args->flags & DRM_XE_VM_CREATE_FLAG_FAULT_MODE) &&
			 !(args->flags & DRM_XE_VM_CREATE_FLAG_LR_MODE)) ||
	    XE_IOCTL_DBG(xe, (args->flags & DRM_XE_VM_CREATE_FLAG_FAULT_MODE) &&
			 (args->flags & DRM_XE_VM_CREATE_FLAG_SCRATCH_PAGE)))
		return -EINVAL;

	if (args->flags & DRM_XE_VM_CREATE_FLAG_SCRATCH_PAGE)
		flags |= XE_VM_FLAG_SCRATCH_PAGE;
	if (args->flags & DRM_XE_VM_CREATE_FLAG_LR_MODE)
		flags |= XE_VM_FLAG_LR_MODE;
	if (args->flags & DRM_XE_VM_CREATE_FLAG_FAULT_MODE)
		flags |= XE_VM_FLAG_FAULT_MODE;

	/*
	 * The first notifier of a process sets up its MMU-notifier state under
	 * mmap_write_lock; do it here, so userptr binds and faults only ever
	 * take mmap_lock for reading.
	 */
	err = mmu_notifier_register(NULL, current->mm);
	if (err)
		return err;

	vm = xe_vm_create(xe, flags);
	if (IS_ERR(vm))
		return PTR_ERR(vm);

	mutex_lock(&xef->vm.lock);
	err = xa_alloc(&xef->vm.xa, &id, vm, xa_limit_32b, GFP_KERNEL);
	mutex_unlock(&xef->vm.lock);
	if (err) {
		/* Closing lets go of the process a mirror holds. */
		xe_vm_close(vm);
		xe_vm_put(vm);
		return err;
	}

	args->vm_id = id;
	return 0;
}

/**
 * xe_vm_destroy_ioctl() - DRM_IOCTL_XE_VM_DESTROY
 * @dev: DRM device
 * @data: &struct drm_xe_vm_destroy
 * @file: the caller's DRM file
 *
 * Unmaps everything at once; exec queues still using the VM keep it alive
 * but cannot run new jobs.
 *
 * Return: 0; -EINVAL for set pad or reserved fields; -ENOENT for an
 * unknown id.
 */
int xe_vm_destroy_ioctl(struct drm_device *dev, void *data, struct drm_file *file)
{
	struct xe_device *xe = to_xe_device(dev);
	struct xe_file *xef = file->driver_priv;
	struct drm_xe_vm_destroy *args = data;
	struct xe_vm *vm;

	if (XE_IOCTL_DBG(xe, args->pad) ||
	    XE_IOCTL_DBG(xe, args->reserved[0] || args->reserved[1]))
		return -EINVAL;

	mutex_lock(&xef->vm.lock);
	vm = xa_erase(&xef->vm.xa, args->vm_id);
	mutex_unlock(&xef->vm.lock);
	if (XE_IOCTL_DBG(xe, !vm))
		return -ENOENT;

	xe_vm_close(vm);
	xe_vm_put(vm);
	return 0;
}

/* --- VM_BIND ----------------------------------------------------------------- */

#define XE_VM_BIND_FLAGS	(DRM_XE_VM_BIND_FLAG_READONLY |		\
				 DRM_XE_VM_BIND_FLAG_IMMEDIATE |	\
				 DRM_XE_VM_BIND_FLAG_NULL |		\
				 DRM_XE_VM_BIND_FLAG_DUMPABLE |		\
				 DRM_XE_VM_BIND_FLAG_CPU_ADDR_MIRROR)

#define XE_VM_BIND_FLAGS_NO_OBJ	(DRM_XE_VM_BIND_FLAG_NULL | DRM_XE_VM_BIND_FLAG_CPU_ADDR_MIRROR)

static int xe_vm_bind_op_check(struct xe_device *xe, const struct drm_xe_vm_bind_op *op)
{
	bool mirror = op->flags & DRM_XE_VM_BIND_FLAG_CPU_ADDR_MIRROR;
	u64 end, uend;

	if (XE_IOCTL_DBG(xe, op->extensions) || XE_IOCTL_DBG(xe, op->pad) ||
	    XE_IOCTL_DBG(xe, op->pad2) ||
	    XE_IOCTL_DBG(xe, op->reserved[0] || op->reserved[1] || op->reserved[2]) ||
	    XE_IOCTL_DBG(xe, op->flags & ~XE_VM_BIND_FLAGS) ||
	    XE_IOCTL_DBG(xe, op->pat_index >= XE_VM_NUM_PAT) ||
	    XE_IOCTL_DBG(xe, op->prefetch_mem_region_instance &&
			 op->op != DRM_XE_VM_BIND_OP_PREFETCH))
		return -EINVAL;

	/* A mirror maps nothing but the CPU's own addresses. */
	if (XE_IOCTL_DBG(xe, mirror && op->op != DRM_XE_VM_BIND_OP_MAP) ||
	    XE_IOCTL_DBG(xe, mirror && (op->flags & DRM_XE_VM_BIND_FLAG_NULL)))
		return -EINVAL;

	switch (op->op) {
	case DRM_XE_VM_BIND_OP_MAP:
		/* A BO, or nothing (NULL) or the CPU's memory (mirror) instead. */
		if (XE_IOCTL_DBG(xe, !!op->obj == !!(op->flags & XE_VM_BIND_FLAGS_NO_OBJ)))
			return -EINVAL;
		if (XE_IOCTL_DBG(xe, !op->obj && op->obj_offset))
			return -EINVAL;
		break;
	case DRM_XE_VM_BIND_OP_MAP_USERPTR:
		if (XE_IOCTL_DBG(xe, op->obj) ||
		    XE_IOCTL_DBG(xe, op->flags & DRM_XE_VM_BIND_FLAG_NULL) ||
		    XE_IOCTL_DBG(xe, !PAGE_ALIGNED(op->userptr)) ||
		    XE_IOCTL_DBG(xe, check_add_overflow(op->userptr, op->range, &uend)))
			return -EINVAL;
		/* Nothing past the top of the process's address space is its memory. */
		if (XE_IOCTL_DBG(xe, uend > TASK_SIZE))
			return -EFAULT;
		break;
	case DRM_XE_VM_BIND_OP_UNMAP:
		/* A page-aligned obj_offset is ignored, as upstream does. */
		if (XE_IOCTL_DBG(xe, op->obj) ||
		    XE_IOCTL_DBG(xe, op->flags & ~DRM_XE_VM_BIND_FLAG_IMMEDIATE))
			return -EINVAL;
		break;
	case DRM_XE_VM_BIND_OP_UNMAP_ALL:
		if (XE_IOCTL_DBG(xe, !op->obj) || XE_IOCTL_DBG(xe, op->addr || op->range) ||
		    XE_IOCTL_DBG(xe, op->obj_offset) ||
		    XE_IOCTL_DBG(xe, op->flags & ~DRM_XE_VM_BIND_FLAG_IMMEDIATE))
			return -EINVAL;
		return 0;
	case DRM_XE_VM_BIND_OP_PREFETCH:
		if (XE_IOCTL_DBG(xe, op->obj) || XE_IOCTL_DBG(xe, op->obj_offset) ||
		    XE_IOCTL_DBG(xe, op->flags & ~DRM_XE_VM_BIND_FLAG_IMMEDIATE) ||
		    XE_IOCTL_DBG(xe, op->prefetch_mem_region_instance >= 32 ||
				 !(BIT(op->prefetch_mem_region_instance) & XE_MEM_REGION_MASK)))
			return -EINVAL;
		break;
	default:
		XE_IOCTL_DBG(xe, true);
		return -EINVAL;
	}

	if (XE_IOCTL_DBG(xe, !op->range) ||
	    XE_IOCTL_DBG(xe, !PAGE_ALIGNED(op->addr) || !PAGE_ALIGNED(op->range)) ||
	    XE_IOCTL_DBG(xe, check_add_overflow(op->addr, op->range, &end)) ||
	    XE_IOCTL_DBG(xe, end > BIT_ULL(XE_VM_VA_BITS)) ||
	    XE_IOCTL_DBG(xe, !PAGE_ALIGNED(op->obj_offset)))
		return -EINVAL;

	return 0;
}

struct xe_vm_bind_ctx {
	struct xe_vm *vm;
	struct drm_file *file;
	struct drm_exec *exec;
	u64 dirty_start, dirty_end;
	/* New userptr VMAs, set up once the reservations are dropped. */
	struct xe_vma **userptrs;
	u32 num_userptrs, max_userptrs;
	bool *userptr_bind;
	struct xe_obj_puts puts;
};

static void xe_vm_bind_dirty(struct xe_vm_bind_ctx *ctx, u64 start, u64 end)
{
	ctx->dirty_start = min(ctx->dirty_start, start);
	ctx->dirty_end = max(ctx->dirty_end, end);
}

static int xe_vm_bind_new_vma(struct xe_vm_bind_ctx *ctx, struct drm_gpuva_op_map *map,
			      u32 flags, struct drm_gpuvm_bo *vm_bo, bool bind_now)
{
	struct xe_vm *vm = ctx->vm;
	struct xe_vma *vma;
	int err;

	vma = xe_vma_create(vm, flags);
	if (!vma)
		return -ENOMEM;

	drm_gpuva_map(&vm->gpuvm, &vma->gpuva, map);
	if (vm_bo)
		drm_gpuva_link(&vma->gpuva, vm_bo);

	if (flags & XE_VMA_USERPTR) {
		/*
		 * Inserting a notifier and finding pages take mmap_lock, which
		 * ranks above reservations: done after they are dropped.
		 */
		if (drm_WARN_ON(&vm->xe->drm, ctx->num_userptrs == ctx->max_userptrs)) {
			err = -ENOMEM;
			goto err_remove;
		}
		ctx->userptr_bind[ctx->num_userptrs] = bind_now;
		ctx->userptrs[ctx->num_userptrs++] = vma;
	} else if (bind_now) {
		err = xe_vma_bind(vma);
		if (err)
			goto err_remove;
	}
	return 0;

err_remove:
	xe_vma_unbind(vma);
	if (vm_bo)
		drm_gpuva_unlink(&vma->gpuva);
	drm_gpuva_remove(&vma->gpuva);
	xe_vma_destroy(vma);
	return err;
}

/*
 * A userptr VMA made earlier in this VM_BIND waits in &xe_vm_bind_ctx.userptrs
 * for its notifier; when a later op of the same bind removes it, it must
 * leave that list before it is freed. Returns whether it was to be bound.
 */
static bool xe_vm_bind_forget_userptr(struct xe_vm_bind_ctx *ctx, struct xe_vma *vma)
{
	u32 i;

	if (!(vma->flags & XE_VMA_USERPTR) || vma->userptr.registered)
		return false;

	for (i = 0; i < ctx->num_userptrs; i++) {
		if (ctx->userptrs[i] == vma) {
			ctx->userptrs[i] = NULL;
			return ctx->userptr_bind[i];
		}
	}
	drm_WARN_ON(&ctx->vm->xe->drm, true);
	return false;
}

/* Removes a VMA; returns whether it was, or was about to be, bound. */
static bool xe_vm_bind_drop_vma(struct xe_vm_bind_ctx *ctx, struct xe_vma *vma)
{
	bool zapped, bound = vma->bound;

	/*
	 * Without faults, a job using the mapping would die on its removal:
	 * removals wait for the VM's jobs, as if ordered after them.
	 */
	if (!xe_vm_in_fault_mode(ctx->vm) && vma->bound)
		dma_resv_wait_timeout(xe_vm_resv(ctx->vm), DMA_RESV_USAGE_BOOKKEEP, false,
				      MAX_SCHEDULE_TIMEOUT);

	/*
	 * A mirror's PTEs belong to its ranges, and none is left where the
	 * bind removes it (xe_vm_bind_check_mirrors()): the pieces that stay
	 * keep theirs.
	 */
	zapped = false;
	if (!(vma->flags & XE_VMA_CPU_MIRROR)) {
		mutex_lock(&ctx->vm->pt_lock);
		zapped = xe_vma_zap_locked(vma);
		mutex_unlock(&ctx->vm->pt_lock);
	}
	if (zapped)
		xe_vm_bind_dirty(ctx, xe_vma_start(vma), xe_vma_end(vma));
	bound |= xe_vm_bind_forget_userptr(ctx, vma);
	xe_obj_puts_hold(&ctx->puts, vma->gpuva.gem.obj);
	drm_gpuva_unlink(&vma->gpuva);
	drm_gpuva_remove(&vma->gpuva);
	xe_vma_destroy(vma);
	return bound;
}

static int xe_vm_bind_apply(struct xe_vm_bind_ctx *ctx, struct drm_gpuva_ops *ops,
			    u32 flags, struct drm_gpuvm_bo *vm_bo)
{
	bool bind_now = !xe_vm_in_fault_mode(ctx->vm);
	struct drm_gpuva_op *op;
	int err = 0;

	drm_gpuva_for_each_op(op, ops) {
		switch (op->op) {
		case DRM_GPUVA_OP_MAP:
			err = xe_vm_bind_new_vma(ctx, &op->map, flags, vm_bo, bind_now);
			break;
		case DRM_GPUVA_OP_REMAP: {
			struct xe_vma *old = to_xe_vma(op->remap.unmap->va);
			struct drm_gpuvm_bo *old_bo = old->gpuva.vm_bo;
			u32 old_flags = old->flags;
			bool was_bound;

			if (old_bo)
				drm_gpuvm_bo_get(old_bo);
			was_bound = xe_vm_bind_drop_vma(ctx, old);
			/* The pieces that stay keep their mapping. */
			if (op->remap.prev)
				err = xe_vm_bind_new_vma(ctx, op->remap.prev, old_flags,
							 old_bo, was_bound);
			if (!err && op->remap.next)
				err = xe_vm_bind_new_vma(ctx, op->remap.next, old_flags,
							 old_bo, was_bound);
			drm_gpuvm_bo_put(old_bo);
			break;
		}
		case DRM_GPUVA_OP_UNMAP:
			xe_vm_bind_drop_vma(ctx, to_xe_vma(op->unmap.va));
			break;
		default:
			break;
		}
		if (err)
			return err;
		cond_resched();
	}

	return 0;
}

/*
 * PREFETCH, under the reservations: moves each BO mapped in [@start, @end)
 * into @region and binds every BO and NULL VMA there, whole, as faults
 * would have. Userptr and mirror VMAs have no region to move to; they are
 * bound once the reservations are dropped, by xe_vm_bind_prefetch_user().
 */
static int xe_vm_bind_prefetch(struct xe_vm_bind_ctx *ctx, u64 start, u64 end, u32 region)
{
	struct drm_gpuva *gpuva;
	int err;

	drm_gpuvm_for_each_va_range(gpuva, &ctx->vm->gpuvm, start, end) {
		struct xe_vma *vma = to_xe_vma(gpuva);

		cond_resched();
		/* Mirrored memory is found by faults, range by range. */
		if (vma->flags & (XE_VMA_USERPTR | XE_VMA_CPU_MIRROR))
			continue;
		if (gpuva->gem.obj) {
			err = xe_bo_migrate(gem_to_xe_bo(gpuva->gem.obj), region);
			if (XE_IOCTL_DBG(ctx->vm->xe, err))
				return err;
		}
		err = xe_vma_bind(vma);
		if (err)
			return err;
	}
	return 0;
}

/*
 * PREFETCH, once the reservations are dropped: binds the userptr VMAs, and
 * the ranges of mirrored memory in the op's range.
 */
static int xe_vm_bind_prefetch_user(struct xe_vm_bind_ctx *ctx,
				    const struct drm_xe_vm_bind_op *ops, u32 num)
{
	struct drm_gpuva *gpuva;
	u32 i;
	int err;

	for (i = 0; i < num; i++) {
		u64 start = ops[i].addr, end = ops[i].addr + ops[i].range;

		if (ops[i].op != DRM_XE_VM_BIND_OP_PREFETCH)
			continue;
		drm_gpuvm_for_each_va_range(gpuva, &ctx->vm->gpuvm, start, end) {
			struct xe_vma *vma = to_xe_vma(gpuva);

			if (vma->flags & XE_VMA_USERPTR)
				err = xe_userptr_bind(vma);
			else if (vma->flags & XE_VMA_CPU_MIRROR)
				err = xe_svm_prefetch(ctx->vm, vma, start, end);
			else
				err = 0;
			if (err)
				return err;
		}
	}
	return 0;
}

static int xe_vm_bind_one(struct xe_vm_bind_ctx *ctx, const struct drm_xe_vm_bind_op *op,
			  struct drm_gem_object *obj)
{
	struct xe_vm *vm = ctx->vm;
	struct xe_device *xe = vm->xe;
	struct drm_gpuvm_bo *vm_bo = NULL;
	struct drm_gpuva_ops *ops;
	u32 flags = 0;
	int err;

	if (op->flags & DRM_XE_VM_BIND_FLAG_READONLY)
		flags |= XE_VMA_READ_ONLY;
	if (op->flags & DRM_XE_VM_BIND_FLAG_NULL)
		flags |= XE_VMA_NULL;
	if (op->flags & DRM_XE_VM_BIND_FLAG_CPU_ADDR_MIRROR) {
		/* Only the GPU's faults can follow the CPU's memory. */
		if (XE_IOCTL_DBG(xe, !xe_vm_in_fault_mode(vm)))
			return -EINVAL;
		flags |= XE_VMA_CPU_MIRROR;
	}

	switch (op->op) {
	case DRM_XE_VM_BIND_OP_MAP:
		if (obj) {
			if (XE_IOCTL_DBG(xe, op->obj_offset > obj->size ||
					 op->range > obj->size - op->obj_offset) ||
			    XE_IOCTL_DBG(xe, gem_to_xe_bo(obj)->vm &&
					 gem_to_xe_bo(obj)->vm != vm))
				return -EINVAL;
			vm_bo = drm_gpuvm_bo_obtain(&vm->gpuvm, obj);
			if (IS_ERR(vm_bo))
				return PTR_ERR(vm_bo);
			drm_gpuvm_bo_extobj_add(vm_bo);
			if (!xe_vm_in_fault_mode(vm)) {
				err = xe_vm_bo_validate(vm_bo, ctx->exec);
				if (err)
					goto out;
			}
		}
		ops = drm_gpuvm_sm_map_ops_create(&vm->gpuvm, op->addr, op->range, obj,
						  op->obj_offset);
		break;
	case DRM_XE_VM_BIND_OP_MAP_USERPTR:
		flags |= XE_VMA_USERPTR;
		ops = drm_gpuvm_sm_map_ops_create(&vm->gpuvm, op->addr, op->range, NULL,
						  op->userptr);
		break;
	case DRM_XE_VM_BIND_OP_UNMAP:
		ops = drm_gpuvm_sm_unmap_ops_create(&vm->gpuvm, op->addr, op->range);
		break;
	case DRM_XE_VM_BIND_OP_UNMAP_ALL:
		vm_bo = drm_gpuvm_bo_find(&vm->gpuvm, obj);
		if (!vm_bo)
			return 0;
		ops = drm_gpuvm_bo_unmap_ops_create(vm_bo);
		break;
	case DRM_XE_VM_BIND_OP_PREFETCH:
		return xe_vm_bind_prefetch(ctx, op->addr, op->addr + op->range,
					   op->prefetch_mem_region_instance);
	default:
		return -EINVAL;
	}

	if (IS_ERR(ops)) {
		err = PTR_ERR(ops);
		goto out;
	}
	err = xe_vm_bind_apply(ctx, ops, flags, vm_bo);
	drm_gpuva_ops_free(&vm->gpuvm, ops);
out:
	drm_gpuvm_bo_put(vm_bo);
	return err;
}

/*
 * Gives the new userptr VMAs their notifier and, outside fault mode, their
 * pages and PTEs. A VMA whose set-up fails is removed again, and so is
 * every later one when an earlier step already failed.
 */
static int xe_vm_bind_userptrs(struct xe_vm_bind_ctx *ctx, int err)
{
	u32 i;

	for (i = 0; i < ctx->num_userptrs; i++) {
		struct xe_vma *vma = ctx->userptrs[i];
		int ret = err;

		/* Removed again by a later op of the same bind. */
		if (!vma)
			continue;
		if (!ret)
			ret = xe_vma_userptr_init(vma);
		if (!ret && ctx->userptr_bind[i])
			ret = xe_userptr_bind(vma);
		if (ret) {
			xe_vma_unbind(vma);
			drm_gpuva_remove(&vma->gpuva);
			xe_vma_destroy(vma);
			err = ret;
		}
	}
	return err;
}

/*
 * Binds that remove part of a mirror must find no range there: the GPU
 * still uses that memory (-EBUSY). Checked before anything changes, and
 * before reservations are taken; faults cannot add ranges meanwhile, as
 * they take &xe_vm.lock for reading.
 */
static int xe_vm_bind_check_mirrors(struct xe_vm *vm, const struct drm_xe_vm_bind_op *ops,
				    u32 num)
{
	struct drm_gpuva *gpuva;
	u32 i;
	int err;

	for (i = 0; i < num; i++) {
		u64 start = ops[i].addr, end = ops[i].addr + ops[i].range;

		if (ops[i].op == DRM_XE_VM_BIND_OP_UNMAP_ALL ||
		    ops[i].op == DRM_XE_VM_BIND_OP_PREFETCH)
			continue;
		drm_gpuvm_for_each_va_range(gpuva, &vm->gpuvm, start, end) {
			struct xe_vma *vma = to_xe_vma(gpuva);

			if (!(vma->flags & XE_VMA_CPU_MIRROR))
				continue;
			err = xe_svm_check_unbind(vm, max(start, xe_vma_start(vma)),
						  min(end, xe_vma_end(vma)));
			if (XE_IOCTL_DBG(vm->xe, err))
				return err;
		}
	}
	return 0;
}

/* Locks the VM, every BO named, and every BO mapped where binds land. */
static int xe_vm_bind_lock(struct xe_vm_bind_ctx *ctx, const struct drm_xe_vm_bind_op *ops,
			   struct drm_gem_object **objs, u32 num)
{
	struct drm_gpuvm *gpuvm = &ctx->vm->gpuvm;
	u32 i;
	int err;

	err = drm_gpuvm_prepare_vm(gpuvm, ctx->exec, 0);
	for (i = 0; !err && i < num; i++) {
		if (objs[i])
			err = drm_exec_lock_obj(ctx->exec, objs[i]);
		if (!err && ops[i].op != DRM_XE_VM_BIND_OP_UNMAP_ALL)
			err = drm_gpuvm_prepare_range(gpuvm, ctx->exec, ops[i].addr,
						      ops[i].range, 0);
	}
	return err;
}

static int xe_vm_bind_lookup_objs(struct xe_vm_bind_ctx *ctx,
				  const struct drm_xe_vm_bind_op *ops,
				  struct drm_gem_object **objs, u32 num)
{
	struct xe_device *xe = ctx->vm->xe;
	u32 i;

	for (i = 0; i < num; i++) {
		if (!ops[i].obj)
			continue;
		objs[i] = drm_gem_object_lookup(ctx->file, ops[i].obj);
		if (XE_IOCTL_DBG(xe, !objs[i]))
			return -ENOENT;
	}
	return 0;
}

static int xe_vm_bind_copy_ops(struct xe_device *xe, struct drm_xe_vm_bind *args,
			       struct drm_xe_vm_bind_op **ops)
{
	struct drm_xe_vm_bind_op *v;
	u32 i;
	int err;

	if (args->num_binds == 1) {
		*ops = &args->bind;
		return xe_vm_bind_op_check(xe, &args->bind);
	}

	v = kvmalloc_array(args->num_binds, sizeof(*v), GFP_KERNEL);
	if (!v)
		return -ENOMEM;
	if (copy_from_user(v, u64_to_user_ptr(args->vector_of_binds),
			   sizeof(*v) * args->num_binds)) {
		kvfree(v);
		return -EFAULT;
	}

	for (i = 0; i < args->num_binds; i++) {
		err = xe_vm_bind_op_check(xe, &v[i]);
		if (err) {
			kvfree(v);
			return err;
		}
	}
	*ops = v;
	return 0;
}

/**
 * xe_vm_bind_ioctl() - DRM_IOCTL_XE_VM_BIND
 * @dev: DRM device
 * @data: &struct drm_xe_vm_bind
 * @file: the caller's DRM file
 *
 * Binds are carried out before the ioctl returns: the page tables are
 * written (or, in a fault-mode VM, left for the GPU to fault in), the TLBs
 * invalidated where a mapping went away, and then the out-syncs signalled.
 * In-syncs are waited for first.
 *
 * PREFETCH moves each BO mapped in its range into the region it names and
 * binds every mapping there, whole, as if the GPU had touched all of it;
 * userptrs have their pages found and bound, and so has mirrored memory in
 * the range, in system memory, range by range. VMAs are not split: one that
 * only overlaps the range is prefetched entirely.
 *
 * Return: 0; -EINVAL for malformed arguments, or a PREFETCH into a region
 * a BO in its range was not created for; -ENOENT for an unknown VM, BO or
 * bind queue; -EFAULT for unreadable arrays or user memory that cannot be
 * mirrored; -ENOMEM or -ENOSPC when a region has no room for a prefetched
 * BO; -EBUSY when a bind would remove mirrored memory the GPU still maps,
 * or user memory kept changing while its pages were found; -EINTR or
 * -ERESTARTSYS on a signal; -ETIMEDOUT if the GT stopped answering TLB
 * invalidations.
 */
int xe_vm_bind_ioctl(struct drm_device *dev, void *data, struct drm_file *file)
{
	struct xe_device *xe = to_xe_device(dev);
	struct xe_file *xef = file->driver_priv;
	struct drm_xe_vm_bind *args = data;
	struct drm_xe_vm_bind_op *ops = NULL;
	struct xe_sync_entry *syncs = NULL;
	struct xe_vm_bind_ctx ctx = {
		.file = file,
		.dirty_start = U64_MAX,
	};
	struct drm_gem_object **objs = NULL;
	struct xe_exec_queue *q = NULL;
	struct drm_exec exec;
	u32 i, num_syncs = 0;
	int err;

	if (XE_IOCTL_DBG(xe, args->extensions) || XE_IOCTL_DBG(xe, args->pad) ||
	    XE_IOCTL_DBG(xe, args->pad2) ||
	    XE_IOCTL_DBG(xe, args->reserved[0] || args->reserved[1]) ||
	    XE_IOCTL_DBG(xe, !args->num_binds || args->num_binds > XE_VM_BIND_MAX_OPS))
		return -EINVAL;

	err = xe_vm_bind_copy_ops(xe, args, &ops);
	if (err)
		goto out_ops;

	ctx.vm = xe_vm_lookup(xef, args->vm_id);
	if (XE_IOCTL_DBG(xe, !ctx.vm)) {
		err = -ENOENT;
		goto out_ops;
	}

	if (args->exec_queue_id) {
		q = xe_exec_queue_lookup(xef, args->exec_queue_id);
		if (XE_IOCTL_DBG(xe, !q)) {
			err = -ENOENT;
			goto out_vm;
		}
		if (XE_IOCTL_DBG(xe, !(q->flags & XE_EXEC_QUEUE_BIND))) {
			err = -EINVAL;
			goto out_vm;
		}
	}

	objs = kvcalloc(args->num_binds, sizeof(*objs), GFP_KERNEL);
	/* An op makes at most three VMAs: its own and two pieces it cuts. */
	ctx.max_userptrs = 3 * args->num_binds;
	ctx.userptrs = kvcalloc(ctx.max_userptrs, sizeof(*ctx.userptrs), GFP_KERNEL);
	ctx.userptr_bind = kvcalloc(ctx.max_userptrs, sizeof(bool), GFP_KERNEL);
	if (!objs || !ctx.userptrs || !ctx.userptr_bind) {
		err = -ENOMEM;
		goto out_vm;
	}
	err = xe_vm_bind_lookup_objs(&ctx, ops, objs, args->num_binds);
	if (err)
		goto out_vm;

	err = xe_sync_parse_array(xe, xef, args->syncs, args->num_syncs, &syncs,
				  &num_syncs);
	if (err)
		goto out_vm;
	err = xe_sync_wait_in(syncs, num_syncs);
	if (err)
		goto out_syncs;

	down_write(&ctx.vm->lock);
	if (XE_IOCTL_DBG(xe, ctx.vm->closed)) {
		err = -ENOENT;
		goto out_unlock;
	}
	err = xe_vm_bind_check_mirrors(ctx.vm, ops, args->num_binds);
	if (err)
		goto out_unlock;

	drm_exec_init(&exec, DRM_EXEC_INTERRUPTIBLE_WAIT | DRM_EXEC_IGNORE_DUPLICATES, 0);
	ctx.exec = &exec;
	drm_exec_until_all_locked(&exec) {
		err = xe_vm_bind_lock(&ctx, ops, objs, args->num_binds);
		drm_exec_retry_on_contention(&exec);
	}
	for (i = 0; !err && i < args->num_binds; i++)
		err = xe_vm_bind_one(&ctx, &ops[i], objs[i]);
	if (ctx.dirty_end > ctx.dirty_start) {
		int inval = xe_vm_invalidate_tlb(ctx.vm, ctx.dirty_start, ctx.dirty_end);

		err = err ?: inval;
	}
	drm_exec_fini(&exec);
	xe_obj_puts_release(&ctx.puts);
	err = xe_vm_bind_userptrs(&ctx, err);
	if (!err)
		err = xe_vm_bind_prefetch_user(&ctx, ops, args->num_binds);

	if (!err)
		err = xe_sync_signal_now(syncs, num_syncs);
out_unlock:
	up_write(&ctx.vm->lock);
out_syncs:
	xe_sync_free_array(syncs, num_syncs);
out_vm:
	for (i = 0; objs && i < args->num_binds; i++)
		drm_gem_object_put(objs[i]);
	kvfree(objs);
	kvfree(ctx.userptrs);
	kvfree(ctx.userptr_bind);
	xe_exec_queue_put(q);
	xe_vm_put(ctx.vm);
out_ops:
	if (ops != &args->bind)
		kvfree(ops);
	return err;
}

/* --- BO moves, execution and faults ------------------------------------------ */

/**
 * xe_vm_bo_move_notify() - a BO is about to leave its placement
 * @bo: the BO, reserved, idle for the GPU where VMs wait for jobs
 *
 * Zaps the PTEs of every VMA that maps the BO and waits for the TLB
 * invalidations, so the GPU cannot reach the old placement any more. VMs
 * without faults re-bind at their next exec; fault-mode VMs fault back in.
 *
 * Return: 0, or the error of a TLB invalidation.
 */
int xe_vm_bo_move_notify(struct xe_bo *bo)
{
	struct drm_gem_object *obj = &bo->ttm.base;
	struct drm_gpuvm_bo *vm_bo;
	struct drm_gpuva *gpuva;
	int ret = 0;

	dma_resv_assert_held(obj->resv);
	drm_gem_for_each_gpuvm_bo(vm_bo, obj) {
		struct xe_vm *vm = container_of(vm_bo->vm, struct xe_vm, gpuvm);

		drm_gpuvm_bo_for_each_va(gpuva, vm_bo) {
			struct xe_vma *vma = to_xe_vma(gpuva);
			bool zapped;
			int err;

			mutex_lock(&vm->pt_lock);
			zapped = xe_vma_zap_locked(vma);
			mutex_unlock(&vm->pt_lock);
			if (zapped) {
				err = xe_vm_invalidate_tlb(vm, xe_vma_start(vma), xe_vma_end(vma));
				ret = ret ?: err;
			}
		}
		if (!xe_vm_in_fault_mode(vm))
			drm_gpuvm_bo_evict(vm_bo, true);
	}

	return ret;
}

/**
 * xe_vm_userptr_refresh() - find the pages of userptrs that lost theirs
 * @vm: a VM without FAULT_MODE, with &xe_vm.lock held and no reservation
 *	(finding pages takes mmap_lock, which ranks above them)
 *
 * Return: 0; -EFAULT if a userptr's memory is gone; -ENOMEM; -EBUSY if
 * the memory kept changing.
 */
int xe_vm_userptr_refresh(struct xe_vm *vm)
{
	struct drm_gpuva *gpuva;
	int err;

	lockdep_assert_held(&vm->lock);
	drm_gpuvm_for_each_va(gpuva, &vm->gpuvm) {
		struct xe_vma *vma = to_xe_vma(gpuva);
		bool valid;

		cond_resched();
		if (!(vma->flags & XE_VMA_USERPTR))
			continue;
		mutex_lock(&vm->pt_lock);
		valid = vma->bound && xe_vma_userptr_valid(vma);
		mutex_unlock(&vm->pt_lock);
		if (valid)
			continue;

		err = xe_userptr_get_pages(vma);
		if (err)
			return err;
	}

	return 0;
}

/**
 * xe_vm_rebind() - bring every mapping of a VM back before a job runs
 * @vm: a VM without FAULT_MODE, with &xe_vm.lock held, every BO of the VM
 *	reserved and validated, and userptr pages found by
 *	xe_vm_userptr_refresh()
 *
 * Return: 0; -EAGAIN if userptr pages changed since they were found (find
 * them again and retry); -ENOMEM; the error of a TLB invalidation.
 */
int xe_vm_rebind(struct xe_vm *vm)
{
	struct drm_gpuva *gpuva;
	int err;

	lockdep_assert_held(&vm->lock);
	drm_gpuvm_for_each_va(gpuva, &vm->gpuvm) {
		struct xe_vma *vma = to_xe_vma(gpuva);
		bool bound;

		cond_resched();
		mutex_lock(&vm->pt_lock);
		bound = vma->bound;
		mutex_unlock(&vm->pt_lock);
		if (bound)
			continue;

		err = xe_vma_bind(vma);
		if (err)
			return err;
	}

	return 0;
}

/**
 * xe_vm_handle_fault() - resolve a GPU page fault in a fault-mode VM
 * @vm: the VM
 * @addr: faulting address
 * @access: XE_EMU_ACCESS_*
 * @span: set, for a fault on mirrored memory, to what the resolution made
 *	  reachable (see xe_svm_handle_fault()); untouched otherwise
 *
 * Mirrored memory is resolved range by range by xe_svm_handle_fault().
 * Otherwise, binds the mapping that covers @addr: the whole of a userptr VMA, whose
 * pages are found together, and for a BO (validated first, so moved back
 * if TTM evicted it) or a NULL mapping the aligned window of
 * XE_FAULT_BIND_BO or XE_FAULT_BIND_NULL bytes around @addr, so that the
 * work of one fault does not grow with the size of the mapping.
 *
 * Return: 0 when the access can be replayed; -EACCES for a write or
 * atomic through a read-only mapping; -ENOENT when nothing is mapped
 * there; -EFAULT when user memory is gone; other errors of validation.
 */
int xe_vm_handle_fault(struct xe_vm *vm, u64 addr, u32 access, struct xe_svm_span *span)
{
	struct drm_gpuva *gpuva;
	struct xe_vma *vma;
	struct drm_exec exec;
	int err;

	down_read(&vm->lock);
	gpuva = vm->closed ? NULL : drm_gpuva_find_first(&vm->gpuvm, addr, 1);
	if (!gpuva) {
		err = -ENOENT;
		goto out;
	}
	vma = to_xe_vma(gpuva);
	if ((vma->flags & XE_VMA_READ_ONLY) && access != XE_EMU_ACCESS_READ) {
		err = -EACCES;
		goto out;
	}

	if (vma->flags & XE_VMA_CPU_MIRROR) {
		err = xe_svm_handle_fault(vm, vma, addr, access, span);
		goto out;
	}
	if (vma->flags & XE_VMA_USERPTR) {
		err = xe_userptr_bind(vma);
		goto out;
	}
	if (vma->flags & XE_VMA_NULL) {
		err = xe_vma_bind_window(vma, addr, XE_FAULT_BIND_NULL);
		goto out;
	}

	drm_exec_init(&exec, 0, 0);
	drm_exec_until_all_locked(&exec) {
		err = drm_exec_lock_obj(&exec, gpuva->gem.obj);
		drm_exec_retry_on_contention(&exec);
	}
	if (!err)
		err = xe_vm_bo_validate(gpuva->vm_bo, &exec);
	if (!err)
		err = xe_vma_bind_window(vma, addr, XE_FAULT_BIND_BO);
	drm_exec_fini(&exec);
out:
	up_read(&vm->lock);
	return err;
}
