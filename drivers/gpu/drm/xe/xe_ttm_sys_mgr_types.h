/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright © 2026 The xe virtual GPU authors
 */

#ifndef _XE_TTM_SYS_MGR_TYPES_H_
#define _XE_TTM_SYS_MGR_TYPES_H_

#include <drm/ttm/ttm_resource.h>

/**
 * struct xe_ttm_sys_mgr - accounting for GPU-mapped system memory
 *
 * Pages come from the TTM pool when the BO is populated; the manager only
 * bounds how much system memory BOs may hold at once.
 */
struct xe_ttm_sys_mgr {
	/** @manager: the TTM resource manager; sizes are in bytes */
	struct ttm_resource_manager manager;
};

#endif
