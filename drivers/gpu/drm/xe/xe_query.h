/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright © 2026 The xe virtual GPU authors
 */

#ifndef _XE_QUERY_H_
#define _XE_QUERY_H_

struct drm_device;
struct drm_file;
struct drm_xe_query_engines;
struct xe_hw_engine;

void xe_query_engines_fill(const struct xe_hw_engine *engines, unsigned int count,
			   struct drm_xe_query_engines *reply);
int xe_query_ioctl(struct drm_device *dev, void *data, struct drm_file *file);

#endif
