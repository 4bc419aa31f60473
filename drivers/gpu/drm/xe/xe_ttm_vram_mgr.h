/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright © 2026 The xe virtual GPU authors
 */

#ifndef _XE_TTM_VRAM_MGR_H_
#define _XE_TTM_VRAM_MGR_H_

#include "xe_ttm_vram_mgr_types.h"

struct xe_device;

int xe_ttm_vram_mgr_init(struct xe_device *xe, struct xe_ttm_vram_mgr *mgr,
			 u64 size, u64 default_page_size);

/**
 * to_xe_ttm_vram_mgr_resource() - the VRAM allocation around a resource
 * @res: a resource of an XE_PL_VRAM0 manager
 *
 * Return: the &struct xe_ttm_vram_mgr_resource.
 */
static inline struct xe_ttm_vram_mgr_resource *
to_xe_ttm_vram_mgr_resource(struct ttm_resource *res)
{
	return container_of(res, struct xe_ttm_vram_mgr_resource, base);
}

/**
 * to_xe_ttm_vram_mgr() - the VRAM manager around a resource manager
 * @man: the resource manager of XE_PL_VRAM0
 *
 * Return: the &struct xe_ttm_vram_mgr.
 */
static inline struct xe_ttm_vram_mgr *
to_xe_ttm_vram_mgr(struct ttm_resource_manager *man)
{
	return container_of(man, struct xe_ttm_vram_mgr, manager);
}

#endif
