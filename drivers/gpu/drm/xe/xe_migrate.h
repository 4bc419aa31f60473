/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright © 2026 The xe virtual GPU authors
 */

#ifndef _XE_MIGRATE_H_
#define _XE_MIGRATE_H_

#include <linux/types.h>

struct ttm_buffer_object;
struct ttm_resource;
struct xe_device;

int xe_migrate_init(struct xe_device *xe);
int xe_migrate_copy(struct xe_device *xe, struct ttm_buffer_object *tbo,
		    struct ttm_resource *vram, bool to_vram);
int xe_migrate_clear(struct xe_device *xe, struct ttm_resource *vram, u64 size);

#endif
