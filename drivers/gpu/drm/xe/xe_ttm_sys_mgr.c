// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The xe virtual GPU authors
 */

#include <drm/drm_managed.h>
#include <drm/ttm/ttm_bo.h>
#include <drm/ttm/ttm_device.h>

#include "xe_device_types.h"
#include "xe_ttm_sys_mgr.h"

/**
 * DOC: System-memory manager
 *
 * BOs the GPU reaches in system memory live in XE_PL_TT. Their pages come
 * from TTM's pool when TTM populates them; this manager only bounds how
 * many bytes such BOs may hold at once, so that creating or evicting into
 * system memory fails with -ENOSPC instead of exhausting the machine. The
 * bound is a limit, not a reservation: it is read without a lock, so two
 * racing allocations may overshoot it by one BO.
 */

static int xe_ttm_sys_mgr_new(struct ttm_resource_manager *man,
			      struct ttm_buffer_object *tbo,
			      const struct ttm_place *place,
			      struct ttm_resource **res)
{
	struct ttm_resource *node;

	if (ttm_resource_manager_usage(man) + tbo->base.size > man->size)
		return -ENOSPC;

	node = kzalloc(sizeof(*node), GFP_KERNEL);
	if (!node)
		return -ENOMEM;

	ttm_resource_init(tbo, place, node);
	*res = node;
	return 0;
}

static void xe_ttm_sys_mgr_del(struct ttm_resource_manager *man,
			       struct ttm_resource *res)
{
	ttm_resource_fini(man, res);
	kfree(res);
}

static bool xe_ttm_sys_mgr_any(struct ttm_resource_manager *man,
			       struct ttm_resource *res,
			       const struct ttm_place *place, size_t size)
{
	return true;
}

static const struct ttm_resource_manager_func xe_ttm_sys_mgr_func = {
	.alloc = xe_ttm_sys_mgr_new,
	.free = xe_ttm_sys_mgr_del,
	.intersects = xe_ttm_sys_mgr_any,
	.compatible = xe_ttm_sys_mgr_any,
};

static void xe_ttm_sys_mgr_fini(struct drm_device *drm, void *arg)
{
	struct xe_device *xe = to_xe_device(drm);
	struct ttm_resource_manager *man = &xe->mem.sys.manager;

	ttm_resource_manager_set_used(man, false);
	if (ttm_resource_manager_evict_all(&xe->mem.bdev, man))
		return;

	ttm_resource_manager_cleanup(man);
	ttm_set_driver_manager(&xe->mem.bdev, XE_PL_TT, NULL);
}

/**
 * xe_ttm_sys_mgr_init() - set up the XE_PL_TT manager
 * @xe: the device
 * @size: most bytes of system memory BOs may hold at once
 *
 * Teardown is a managed action of the DRM device.
 *
 * Return: 0 or a negative errno.
 */
int xe_ttm_sys_mgr_init(struct xe_device *xe, u64 size)
{
	struct ttm_resource_manager *man = &xe->mem.sys.manager;

	man->use_tt = true;
	man->func = &xe_ttm_sys_mgr_func;
	ttm_resource_manager_init(man, &xe->mem.bdev, size);
	ttm_set_driver_manager(&xe->mem.bdev, XE_PL_TT, man);
	ttm_resource_manager_set_used(man, true);

	return drmm_add_action_or_reset(&xe->drm, xe_ttm_sys_mgr_fini, NULL);
}
