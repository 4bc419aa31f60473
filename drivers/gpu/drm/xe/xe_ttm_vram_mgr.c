// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The xe virtual GPU authors
 */

#include <drm/drm_buddy.h>
#include <drm/drm_managed.h>
#include <drm/ttm/ttm_bo.h>
#include <drm/ttm/ttm_device.h>
#include <drm/ttm/ttm_placement.h>

#include "xe_device_types.h"
#include "xe_ttm_vram_mgr.h"

/**
 * DOC: VRAM manager
 *
 * Device memory is handed to TTM by a resource manager built on the
 * kernel's buddy allocator. A resource is a list of buddy blocks, so a
 * large buffer need not be contiguous; the resource cursor
 * (xe_res_cursor.h) walks the blocks. TTM places buffers and evicts them
 * when the manager answers -ENOSPC; the manager never waits and never
 * evicts on its own.
 *
 * Locking: &xe_ttm_vram_mgr.lock protects the buddy allocator. It is taken
 * under a BO's reservation lock and takes nothing itself.
 */

static unsigned long xe_ttm_vram_mgr_flags(const struct ttm_place *place,
					   unsigned long lpfn, u64 size)
{
	unsigned long flags = 0;

	if (place->flags & TTM_PL_FLAG_TOPDOWN)
		flags |= GPU_BUDDY_TOPDOWN_ALLOCATION;
	if (place->flags & TTM_PL_FLAG_CONTIGUOUS)
		flags |= GPU_BUDDY_CONTIGUOUS_ALLOCATION;
	if (place->fpfn || lpfn != size >> PAGE_SHIFT)
		flags |= GPU_BUDDY_RANGE_ALLOCATION;

	return flags;
}

static int xe_ttm_vram_mgr_new(struct ttm_resource_manager *man,
			       struct ttm_buffer_object *tbo,
			       const struct ttm_place *place,
			       struct ttm_resource **res)
{
	struct xe_ttm_vram_mgr *mgr = to_xe_ttm_vram_mgr(man);
	struct xe_ttm_vram_mgr_resource *vres;
	u64 size = tbo->base.size, min_page_size;
	unsigned long lpfn;
	int err;

	lpfn = place->lpfn ?: man->size >> PAGE_SHIFT;
	if (place->fpfn >= lpfn || size > ((u64)(lpfn - place->fpfn) << PAGE_SHIFT))
		return -ENOSPC;

	min_page_size = mgr->default_page_size;
	if (tbo->page_alignment)
		min_page_size = max_t(u64, min_page_size,
				      (u64)tbo->page_alignment << PAGE_SHIFT);
	if (!IS_ALIGNED(size, min_page_size))
		return -EINVAL;

	vres = kzalloc(sizeof(*vres), GFP_KERNEL);
	if (!vres)
		return -ENOMEM;

	ttm_resource_init(tbo, place, &vres->base);
	INIT_LIST_HEAD(&vres->blocks);
	vres->flags = xe_ttm_vram_mgr_flags(place, lpfn, man->size);

	mutex_lock(&mgr->lock);
	if (size > mgr->mm.avail)
		err = -ENOSPC;
	else
		err = gpu_buddy_alloc_blocks(&mgr->mm, (u64)place->fpfn << PAGE_SHIFT,
					     (u64)lpfn << PAGE_SHIFT, size,
					     min_page_size, &vres->blocks,
					     vres->flags);
	mutex_unlock(&mgr->lock);
	if (err)
		goto err_fini;

	vres->base.start = gpu_buddy_block_offset(list_first_entry(&vres->blocks,
								   struct gpu_buddy_block,
								   link)) >> PAGE_SHIFT;
	*res = &vres->base;
	return 0;

err_fini:
	ttm_resource_fini(man, &vres->base);
	kfree(vres);
	return err;
}

static void xe_ttm_vram_mgr_del(struct ttm_resource_manager *man,
				struct ttm_resource *res)
{
	struct xe_ttm_vram_mgr_resource *vres = to_xe_ttm_vram_mgr_resource(res);
	struct xe_ttm_vram_mgr *mgr = to_xe_ttm_vram_mgr(man);

	mutex_lock(&mgr->lock);
	gpu_buddy_free_list(&mgr->mm, &vres->blocks, 0);
	mutex_unlock(&mgr->lock);

	ttm_resource_fini(man, res);
	kfree(vres);
}

static bool xe_ttm_vram_mgr_block_in(struct xe_ttm_vram_mgr *mgr,
				     struct gpu_buddy_block *block,
				     const struct ttm_place *place, bool inside)
{
	u64 fpfn = gpu_buddy_block_offset(block) >> PAGE_SHIFT;
	u64 lpfn = fpfn + (gpu_buddy_block_size(&mgr->mm, block) >> PAGE_SHIFT);
	u64 place_lpfn = place->lpfn ?: mgr->manager.size >> PAGE_SHIFT;

	if (inside)
		return fpfn >= place->fpfn && lpfn <= place_lpfn;
	return fpfn < place_lpfn && lpfn > place->fpfn;
}

static bool xe_ttm_vram_mgr_intersects(struct ttm_resource_manager *man,
				       struct ttm_resource *res,
				       const struct ttm_place *place,
				       size_t size)
{
	struct xe_ttm_vram_mgr_resource *vres = to_xe_ttm_vram_mgr_resource(res);
	struct xe_ttm_vram_mgr *mgr = to_xe_ttm_vram_mgr(man);
	struct gpu_buddy_block *block;

	if (!place->fpfn && !place->lpfn)
		return true;

	list_for_each_entry(block, &vres->blocks, link)
		if (xe_ttm_vram_mgr_block_in(mgr, block, place, false))
			return true;

	return false;
}

static bool xe_ttm_vram_mgr_compatible(struct ttm_resource_manager *man,
				       struct ttm_resource *res,
				       const struct ttm_place *place,
				       size_t size)
{
	struct xe_ttm_vram_mgr_resource *vres = to_xe_ttm_vram_mgr_resource(res);
	struct xe_ttm_vram_mgr *mgr = to_xe_ttm_vram_mgr(man);
	struct gpu_buddy_block *block;

	if ((place->flags & TTM_PL_FLAG_CONTIGUOUS) && !list_is_singular(&vres->blocks))
		return false;
	if (!place->fpfn && !place->lpfn)
		return true;

	list_for_each_entry(block, &vres->blocks, link)
		if (!xe_ttm_vram_mgr_block_in(mgr, block, place, true))
			return false;

	return true;
}

static void xe_ttm_vram_mgr_debug(struct ttm_resource_manager *man,
				  struct drm_printer *printer)
{
	struct xe_ttm_vram_mgr *mgr = to_xe_ttm_vram_mgr(man);

	mutex_lock(&mgr->lock);
	drm_printf(printer, "default page size: %llu KiB, avail: %llu MiB of %llu MiB\n",
		   mgr->default_page_size >> 10, mgr->mm.avail >> 20,
		   mgr->mm.size >> 20);
	drm_buddy_print(&mgr->mm, printer);
	mutex_unlock(&mgr->lock);
}

static const struct ttm_resource_manager_func xe_ttm_vram_mgr_func = {
	.alloc = xe_ttm_vram_mgr_new,
	.free = xe_ttm_vram_mgr_del,
	.intersects = xe_ttm_vram_mgr_intersects,
	.compatible = xe_ttm_vram_mgr_compatible,
	.debug = xe_ttm_vram_mgr_debug,
};

static void xe_ttm_vram_mgr_fini(struct drm_device *drm, void *arg)
{
	struct xe_device *xe = to_xe_device(drm);
	struct xe_ttm_vram_mgr *mgr = arg;
	struct ttm_resource_manager *man = &mgr->manager;

	ttm_resource_manager_set_used(man, false);
	if (ttm_resource_manager_evict_all(&xe->mem.bdev, man))
		return;

	drm_WARN_ON(drm, mgr->mm.avail != mgr->mm.size);
	gpu_buddy_fini(&mgr->mm);
	ttm_resource_manager_cleanup(man);
	ttm_set_driver_manager(&xe->mem.bdev, XE_PL_VRAM0, NULL);
	mutex_destroy(&mgr->lock);
}

/**
 * xe_ttm_vram_mgr_init() - put device memory under TTM's management
 * @xe: the device
 * @mgr: the manager to set up
 * @size: bytes of device memory, from offset 0
 * @default_page_size: smallest allocation, a power of two >= PAGE_SIZE
 *
 * Teardown is a managed action of the DRM device.
 *
 * Return: 0 or a negative errno.
 */
int xe_ttm_vram_mgr_init(struct xe_device *xe, struct xe_ttm_vram_mgr *mgr,
			 u64 size, u64 default_page_size)
{
	struct ttm_resource_manager *man = &mgr->manager;
	int err;

	mutex_init(&mgr->lock);
	mgr->default_page_size = default_page_size;
	man->func = &xe_ttm_vram_mgr_func;
	ttm_resource_manager_init(man, &xe->mem.bdev, size);

	err = gpu_buddy_init(&mgr->mm, size, PAGE_SIZE);
	if (err) {
		mutex_destroy(&mgr->lock);
		return err;
	}

	ttm_set_driver_manager(&xe->mem.bdev, XE_PL_VRAM0, man);
	ttm_resource_manager_set_used(man, true);

	return drmm_add_action_or_reset(&xe->drm, xe_ttm_vram_mgr_fini, mgr);
}
