// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The xe virtual GPU authors
 */

#include <linux/dma-buf.h>
#include <linux/io.h>
#include <linux/mm.h>

#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_gem_ttm_helper.h>
#include <drm/drm_managed.h>
#include <drm/ttm/ttm_bo.h>
#include <drm/ttm/ttm_device.h>
#include <drm/ttm/ttm_tt.h>
#include <drm/xe_drm.h>

#include <kunit/visibility.h>

#include "xe_assert.h"
#include "xe_bo.h"
#include "xe_device_types.h"
#include "xe_macros.h"
#include "xe_migrate.h"
#include "xe_res_cursor.h"
#include "xe_ttm_sys_mgr.h"
#include "xe_ttm_vram_mgr.h"
#include "xe_vm.h"

/**
 * DOC: Buffer objects
 *
 * A BO is a TTM buffer object whose GEM object userspace holds by handle.
 * It may live in system memory (XE_PL_TT: pages from TTM's pool, reached
 * by the GPU through their DMA addresses) or in device memory
 * (XE_PL_VRAM0: buddy blocks of VRAM), in the order of preference its
 * creation asked for. TTM moves it between them: to make room in VRAM it
 * evicts a BO to system memory, and it brings the BO back when it is next
 * validated for the GPU. Nothing is lost on the way: every move copies,
 * with the copy engine (see Migration), and a copy that fails leaves the
 * BO where it was.
 *
 * New backing store is always zeroed: pool pages are allocated zeroed and
 * new VRAM is cleared by the copy engine before a BO can see it.
 *
 * The CPU maps a BO through GEM_MMAP_OFFSET; a fault maps wherever the BO
 * lives at that moment (system pages, or VRAM through the device's BAR),
 * and a move unmaps every CPU mapping first, so the next access faults
 * again and sees the new place.
 *
 * Locking: the BO's reservation lock (&ttm_buffer_object.base.resv)
 * protects its placement and backing store; TTM takes it around moves,
 * faults and validation.
 */

static const struct ttm_place xe_sys_place = {
	.mem_type = XE_PL_SYSTEM,
};

static const struct ttm_place xe_tt_place = {
	.mem_type = XE_PL_TT,
};

static const struct ttm_placement xe_sys_placement = {
	.num_placement = 1,
	.placement = &xe_sys_place,
};

static const struct ttm_placement xe_tt_placement = {
	.num_placement = 1,
	.placement = &xe_tt_place,
};

static bool xe_bo_is_xe_bo(struct ttm_buffer_object *tbo);

static void xe_bo_placement_init(struct xe_bo *bo)
{
	struct ttm_place *place = bo->placements;

	if (bo->flags & XE_BO_FLAG_VRAM0)
		*place++ = (struct ttm_place){ .mem_type = XE_PL_VRAM0 };
	if (bo->flags & XE_BO_FLAG_SYSTEM)
		*place++ = (struct ttm_place){ .mem_type = XE_PL_TT };

	bo->placement.num_placement = place - bo->placements;
	bo->placement.placement = bo->placements;
}

/* --- TTM backend ---------------------------------------------------------- */

static struct ttm_tt *xe_ttm_tt_create(struct ttm_buffer_object *tbo,
				       u32 page_flags)
{
	struct xe_bo *bo = ttm_to_xe_bo(tbo);
	enum ttm_caching caching = ttm_cached;
	struct ttm_tt *tt;

	tt = kzalloc(sizeof(*tt), GFP_KERNEL);
	if (!tt)
		return NULL;

	if (bo->cpu_caching == DRM_XE_GEM_CPU_CACHING_WC)
		caching = ttm_write_combined;

	/*
	 * Whatever the previous placement, pages reach userspace zeroed; and
	 * the pool maps them for the device, which reaches them by bus address.
	 */
	if (ttm_sg_tt_init(tt, tbo, page_flags | TTM_TT_FLAG_ZERO_ALLOC, caching)) {
		kfree(tt);
		return NULL;
	}

	return tt;
}

static int xe_ttm_tt_populate(struct ttm_device *bdev, struct ttm_tt *tt,
			      struct ttm_operation_ctx *ctx)
{
	return ttm_pool_alloc(&bdev->pool, tt, ctx);
}

static void xe_ttm_tt_unpopulate(struct ttm_device *bdev, struct ttm_tt *tt)
{
	ttm_pool_free(&bdev->pool, tt);
}

static void xe_ttm_tt_destroy(struct ttm_device *bdev, struct ttm_tt *tt)
{
	ttm_tt_fini(tt);
	kfree(tt);
}

static void xe_evict_flags(struct ttm_buffer_object *tbo,
			   struct ttm_placement *placement)
{
	/* VRAM spills to system memory the GPU can still reach; TT swaps. */
	if (xe_bo_is_xe_bo(tbo) && tbo->resource->mem_type == XE_PL_VRAM0)
		*placement = xe_tt_placement;
	else
		*placement = xe_sys_placement;
}

static int xe_bo_move(struct ttm_buffer_object *tbo, bool evict,
		      struct ttm_operation_ctx *ctx,
		      struct ttm_resource *new_mem, struct ttm_place *hop)
{
	struct xe_device *xe = ttm_to_xe_device(tbo->bdev);
	struct ttm_resource *old_mem = tbo->resource;
	u32 old_type = old_mem ? old_mem->mem_type : XE_PL_SYSTEM;
	u32 new_type = new_mem->mem_type;
	bool has_data = tbo->ttm && ttm_tt_is_populated(tbo->ttm);
	int err;

	err = ttm_bo_wait_ctx(tbo, ctx);
	if (err)
		return err;

	/* No GPU mapping may reach the old place once data starts to move. */
	if (old_mem && xe_bo_is_xe_bo(tbo)) {
		err = xe_vm_bo_move_notify(ttm_to_xe_bo(tbo));
		if (err)
			return err;
	}

	if (new_type == XE_PL_VRAM0) {
		if (old_type == XE_PL_VRAM0)
			return -EINVAL;	/* one VRAM region: never asked */
		err = has_data ? xe_migrate_copy(xe, tbo, new_mem, true) :
				 xe_migrate_clear(xe, new_mem, tbo->base.size);
		if (err)
			return err;
		/* Frees the system pages, which VRAM now holds a copy of. */
		ttm_bo_move_sync_cleanup(tbo, new_mem);
		return 0;
	}

	if (old_type == XE_PL_VRAM0) {
		if (new_type == XE_PL_SYSTEM) {
			/* Bounce through TT, which brings populated pages. */
			*hop = xe_tt_place;
			return -EMULTIHOP;
		}
		err = xe_migrate_copy(xe, tbo, old_mem, false);
		if (err)
			return err;
	}

	/* Between system placements the pages stay where they are. */
	ttm_bo_move_null(tbo, new_mem);
	return 0;
}

static int xe_ttm_io_mem_reserve(struct ttm_device *bdev, struct ttm_resource *mem)
{
	switch (mem->mem_type) {
	case XE_PL_SYSTEM:
	case XE_PL_TT:
		return 0;
	case XE_PL_VRAM0:
		/*
		 * Reached through the BAR page by page (io_mem_pfn), never
		 * through bus.offset, as blocks need not be contiguous. The
		 * BAR is backed by ordinary memory here, so it is mapped
		 * cached, like the kernel's own mapping of it.
		 */
		mem->bus.is_iomem = true;
		mem->bus.caching = ttm_cached;
		mem->bus.offset = (u64)mem->start << PAGE_SHIFT;
		return 0;
	default:
		return -EINVAL;
	}
}

static unsigned long xe_ttm_io_mem_pfn(struct ttm_buffer_object *tbo,
				       unsigned long page_offset)
{
	struct xe_device *xe = ttm_to_xe_device(tbo->bdev);
	struct xe_res_cursor cur;

	/* TTM asks only for resources io_mem_reserve() called I/O memory. */
	xe_assert(xe, tbo->resource->mem_type == XE_PL_VRAM0);
	xe_res_first(tbo->resource, &xe->mem.vram.mm,
		     (u64)page_offset << PAGE_SHIFT, PAGE_SIZE, &cur);
	return xe->bus.ops->vram_pfn(xe->bus.hw, cur.start);
}

static int xe_ttm_access_memory(struct ttm_buffer_object *tbo,
				unsigned long offset, void *buf, int len,
				int write)
{
	struct xe_device *xe = ttm_to_xe_device(tbo->bdev);
	struct xe_res_cursor cur;
	int done = 0;

	if (tbo->resource->mem_type != XE_PL_VRAM0)
		return -EIO;

	for (xe_res_first(tbo->resource, &xe->mem.vram.mm, offset, len, &cur);
	     cur.remaining; xe_res_next(&cur, cur.size)) {
		void __iomem *bar = xe->mem.vram_bar + cur.start;

		if (write)
			memcpy_toio(bar, buf + done, cur.size);
		else
			memcpy_fromio(buf + done, bar, cur.size);
		done += cur.size;
	}

	return done;
}

static void xe_ttm_bo_destroy(struct ttm_buffer_object *tbo)
{
	struct xe_bo *bo = ttm_to_xe_bo(tbo);

	drm_gem_object_release(&tbo->base);
	xe_vm_put(bo->vm);
	kfree(bo);
}

const struct ttm_device_funcs xe_ttm_funcs = {
	.ttm_tt_create = xe_ttm_tt_create,
	.ttm_tt_populate = xe_ttm_tt_populate,
	.ttm_tt_unpopulate = xe_ttm_tt_unpopulate,
	.ttm_tt_destroy = xe_ttm_tt_destroy,
	.eviction_valuable = ttm_bo_eviction_valuable,
	.evict_flags = xe_evict_flags,
	.move = xe_bo_move,
	.io_mem_reserve = xe_ttm_io_mem_reserve,
	.io_mem_pfn = xe_ttm_io_mem_pfn,
	.access_memory = xe_ttm_access_memory,
};

static bool xe_bo_is_xe_bo(struct ttm_buffer_object *tbo)
{
	return tbo->destroy == xe_ttm_bo_destroy;
}

/* --- GEM object -------------------------------------------------------------- */

static void xe_gem_object_free(struct drm_gem_object *obj)
{
	ttm_bo_put(container_of(obj, struct ttm_buffer_object, base));
}

static struct dma_buf *xe_gem_prime_export(struct drm_gem_object *obj, int flags)
{
	/* Sharing BOs through dma-buf is not implemented. */
	return ERR_PTR(-EOPNOTSUPP);
}

static vm_fault_t xe_gem_fault(struct vm_fault *vmf)
{
	struct ttm_buffer_object *tbo = vmf->vma->vm_private_data;
	struct drm_device *drm = tbo->base.dev;
	vm_fault_t ret;
	int idx;

	ret = ttm_bo_vm_reserve(tbo, vmf);
	if (ret)
		return ret;

	if (drm_dev_enter(drm, &idx)) {
		ret = ttm_bo_vm_fault_reserved(vmf, vmf->vma->vm_page_prot,
					       TTM_BO_VM_NUM_PREFAULT);
		drm_dev_exit(idx);
	} else {
		/* The device is gone: keep the process alive on a dummy page. */
		ret = ttm_bo_vm_dummy_page(vmf, vmf->vma->vm_page_prot);
	}

	if (ret == VM_FAULT_RETRY && !(vmf->flags & FAULT_FLAG_RETRY_NOWAIT))
		return ret;

	dma_resv_unlock(tbo->base.resv);
	return ret;
}

static const struct vm_operations_struct xe_gem_vm_ops = {
	.fault = xe_gem_fault,
	.open = ttm_bo_vm_open,
	.close = ttm_bo_vm_close,
	.access = ttm_bo_vm_access,
};

static const struct drm_gem_object_funcs xe_gem_object_funcs = {
	.free = xe_gem_object_free,
	.export = xe_gem_prime_export,
	.mmap = drm_gem_ttm_mmap,
	.print_info = drm_gem_ttm_print_info,
	.vm_ops = &xe_gem_vm_ops,
};

/**
 * xe_bo_create_user() - create a BO for userspace
 * @xe: the device
 * @vm: VM the BO is private to (its reservation must be held), or NULL
 * @size: size in bytes, page aligned
 * @flags: XE_BO_FLAG_*; at least one of SYSTEM and VRAM0
 * @cpu_caching: DRM_XE_GEM_CPU_CACHING_WB or _WC
 *
 * Without XE_BO_FLAG_DEFER_BACKING the BO gets its backing store, zeroed,
 * in the most preferred placement that has room, evicting others from
 * VRAM if needed. With it, the BO starts without backing store; the first
 * CPU fault or validation provides it.
 *
 * Return: the BO with one reference, or ERR_PTR(-ENOSPC) when no
 * placement can hold it, -ENOMEM, or -EINTR/-ERESTARTSYS on a signal.
 */
struct xe_bo *xe_bo_create_user(struct xe_device *xe, struct xe_vm *vm, u64 size,
				u32 flags, u16 cpu_caching)
{
	struct ttm_operation_ctx ctx = { .interruptible = true };
	const struct ttm_placement *initial;
	struct xe_bo *bo;
	int err;

	bo = kzalloc(sizeof(*bo), GFP_KERNEL);
	if (!bo)
		return ERR_PTR(-ENOMEM);

	bo->flags = flags;
	bo->cpu_caching = cpu_caching;
	bo->ttm.base.funcs = &xe_gem_object_funcs;
	xe_bo_placement_init(bo);
	drm_gem_private_object_init(&xe->drm, &bo->ttm.base, size);
	if (vm)
		bo->vm = xe_vm_get(vm);

	initial = flags & XE_BO_FLAG_DEFER_BACKING ? &xe_sys_placement : &bo->placement;
	/* On failure this calls xe_ttm_bo_destroy(), which frees @bo. */
	err = ttm_bo_init_reserved(&xe->mem.bdev, &bo->ttm, ttm_bo_type_device,
				   (struct ttm_placement *)initial, 0, &ctx,
				   NULL, vm ? xe_vm_resv(vm) : NULL, xe_ttm_bo_destroy);
	if (err)
		return ERR_PTR(err);

	if (!vm)
		ttm_bo_unreserve(&bo->ttm);
	return bo;
}

/**
 * xe_bo_migrate() - move a BO into one memory region
 * @bo: the BO, reserved
 * @region: XE_MEM_REGION_*, a region the device has
 *
 * The BO keeps the placements it was created with; since @region is one
 * of them, later validations leave it there until TTM evicts it.
 *
 * Return: 0; -EINVAL when the BO was not created for @region; -ENOMEM or
 * -ENOSPC when the region has no room for it even after eviction;
 * -EINTR or -ERESTARTSYS on a signal.
 */
int xe_bo_migrate(struct xe_bo *bo, u32 region)
{
	struct ttm_operation_ctx ctx = { .interruptible = true };
	bool vram = region == XE_MEM_REGION_VRAM0;
	struct ttm_place place = { .mem_type = vram ? XE_PL_VRAM0 : XE_PL_TT };
	struct ttm_placement placement = { .num_placement = 1, .placement = &place };

	dma_resv_assert_held(bo->ttm.base.resv);
	if (!(bo->flags & (vram ? XE_BO_FLAG_VRAM0 : XE_BO_FLAG_SYSTEM)))
		return -EINVAL;
	return ttm_bo_validate(&bo->ttm, &placement, &ctx);
}

static void xe_bo_ttm_fini(struct drm_device *drm, void *arg)
{
	struct xe_device *xe = to_xe_device(drm);

	ttm_device_fini(&xe->mem.bdev);
}

/**
 * xe_bo_init_ttm() - set up TTM and the memory managers of a device
 * @xe: the device, with &xe_device.mem.vram_size and vram_bar known
 *
 * Teardown is a managed action of the DRM device; it runs once the last
 * BO is gone.
 *
 * Return: 0 or a negative errno.
 */
int xe_bo_init_ttm(struct xe_device *xe)
{
	u64 sys_size = (u64)totalram_pages() << PAGE_SHIFT >> 1;
	int err;

	err = ttm_device_init(&xe->mem.bdev, &xe_ttm_funcs, xe->drm.dev,
			      xe->drm.anon_inode->i_mapping,
			      xe->drm.vma_offset_manager, false, false);
	if (err)
		return err;

	err = drmm_add_action_or_reset(&xe->drm, xe_bo_ttm_fini, NULL);
	if (err)
		return err;

	err = xe_ttm_sys_mgr_init(xe, sys_size);
	if (err)
		return err;

	return xe_ttm_vram_mgr_init(xe, &xe->mem.vram, xe->mem.vram_size, PAGE_SIZE);
}

/* --- uAPI -------------------------------------------------------------------- */

#define XE_GEM_CREATE_FLAGS	(DRM_XE_GEM_CREATE_FLAG_DEFER_BACKING |		\
				 DRM_XE_GEM_CREATE_FLAG_SCANOUT |		\
				 DRM_XE_GEM_CREATE_FLAG_NEEDS_VISIBLE_VRAM)

/**
 * xe_gem_create_check() - check the arguments of GEM_CREATE
 * @args: the arguments as userspace passed them
 * @region_mask: memory regions the device has, by instance
 *
 * Checks every field that does not need device state; the ioctl checks
 * the rest (the VM, and whether any region can hold the size).
 *
 * Return: 0 if the arguments are well formed, -EINVAL otherwise.
 */
VISIBLE_IF_KUNIT int xe_gem_create_check(const struct drm_xe_gem_create *args,
					 u32 region_mask)
{
	u32 vram_mask = region_mask & ~BIT(XE_MEM_REGION_SYSMEM);

	if (args->extensions || args->reserved[0] || args->reserved[1] ||
	    args->pad[0] || args->pad[1] || args->pad[2] || args->handle)
		return -EINVAL;
	if (args->flags & ~XE_GEM_CREATE_FLAGS)
		return -EINVAL;
	if (!args->placement || args->placement & ~region_mask)
		return -EINVAL;
	if ((args->flags & DRM_XE_GEM_CREATE_FLAG_NEEDS_VISIBLE_VRAM) &&
	    !(args->placement & vram_mask))
		return -EINVAL;
	if (args->cpu_caching != DRM_XE_GEM_CPU_CACHING_WB &&
	    args->cpu_caching != DRM_XE_GEM_CPU_CACHING_WC)
		return -EINVAL;
	/* Device memory is only ever mapped write-combined on discrete parts. */
	if (args->cpu_caching == DRM_XE_GEM_CPU_CACHING_WB &&
	    ((args->placement & vram_mask) ||
	     (args->flags & DRM_XE_GEM_CREATE_FLAG_SCANOUT)))
		return -EINVAL;
	if (!args->size || !IS_ALIGNED(args->size, PAGE_SIZE))
		return -EINVAL;

	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(xe_gem_create_check);

static bool xe_bo_size_fits(struct xe_device *xe, u64 size, u32 flags)
{
	if ((flags & XE_BO_FLAG_VRAM0) && size <= xe->mem.vram_size)
		return true;
	return (flags & XE_BO_FLAG_SYSTEM) && size <= xe->mem.sys.manager.size;
}

/**
 * xe_gem_create_ioctl() - DRM_IOCTL_XE_GEM_CREATE
 * @dev: DRM device
 * @data: &struct drm_xe_gem_create
 * @file: the caller's DRM file
 *
 * A BO created with a VM id is private to that VM: it shares the VM's
 * reservation and can only be bound in that VM.
 *
 * Return: 0 with the new handle in &drm_xe_gem_create.handle; -EINVAL for
 * malformed arguments, -ENOENT for an unknown VM, -ENOSPC when no allowed
 * region can hold the size, -ENOMEM, or -EINTR/-ERESTARTSYS on a signal.
 */
int xe_gem_create_ioctl(struct drm_device *dev, void *data, struct drm_file *file)
{
	struct xe_device *xe = to_xe_device(dev);
	struct drm_xe_gem_create *args = data;
	struct xe_vm *vm = NULL;
	u32 flags = 0;
	struct xe_bo *bo;
	u32 handle;
	int err;

	if (XE_IOCTL_DBG(xe, xe_gem_create_check(args, XE_MEM_REGION_MASK)))
		return -EINVAL;

	if (args->placement & BIT(XE_MEM_REGION_SYSMEM))
		flags |= XE_BO_FLAG_SYSTEM;
	if (args->placement & BIT(XE_MEM_REGION_VRAM0))
		flags |= XE_BO_FLAG_VRAM0;
	if (args->flags & DRM_XE_GEM_CREATE_FLAG_DEFER_BACKING)
		flags |= XE_BO_FLAG_DEFER_BACKING;
	if (XE_IOCTL_DBG(xe, !xe_bo_size_fits(xe, args->size, flags)))
		return -ENOSPC;

	if (args->vm_id) {
		vm = xe_vm_lookup(file->driver_priv, args->vm_id);
		if (XE_IOCTL_DBG(xe, !vm))
			return -ENOENT;
		err = dma_resv_lock_interruptible(xe_vm_resv(vm), NULL);
		if (err) {
			xe_vm_put(vm);
			return err;
		}
	}

	bo = xe_bo_create_user(xe, vm, args->size, flags, args->cpu_caching);
	if (vm) {
		dma_resv_unlock(xe_vm_resv(vm));
		xe_vm_put(vm);
	}
	if (IS_ERR(bo))
		return PTR_ERR(bo);

	err = drm_gem_handle_create(file, &bo->ttm.base, &handle);
	/* The handle, if any, holds its own reference. */
	xe_bo_put(bo);
	if (err)
		return err;

	args->handle = handle;
	return 0;
}

/**
 * xe_gem_mmap_offset_ioctl() - DRM_IOCTL_XE_GEM_MMAP_OFFSET
 * @dev: DRM device
 * @data: &struct drm_xe_gem_mmap_offset
 * @file: the caller's DRM file
 *
 * Return: 0 with the fake offset to pass to mmap() on the DRM file in
 * &drm_xe_gem_mmap_offset.offset; -EINVAL for malformed arguments, -ENOENT
 * for an unknown handle.
 */
int xe_gem_mmap_offset_ioctl(struct drm_device *dev, void *data,
			     struct drm_file *file)
{
	struct xe_device *xe = to_xe_device(dev);
	struct drm_xe_gem_mmap_offset *args = data;
	struct drm_gem_object *obj;

	if (XE_IOCTL_DBG(xe, args->extensions || args->flags ||
			 args->reserved[0] || args->reserved[1]))
		return -EINVAL;

	obj = drm_gem_object_lookup(file, args->handle);
	if (XE_IOCTL_DBG(xe, !obj))
		return -ENOENT;

	args->offset = drm_vma_node_offset_addr(&obj->vma_node);
	drm_gem_object_put(obj);
	return 0;
}
