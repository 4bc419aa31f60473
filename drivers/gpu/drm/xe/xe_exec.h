/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright © 2026 The xe virtual GPU authors
 */

#ifndef _XE_EXEC_H_
#define _XE_EXEC_H_

struct drm_device;
struct drm_file;

int xe_exec_ioctl(struct drm_device *dev, void *data, struct drm_file *file);
int xe_wait_user_fence_ioctl(struct drm_device *dev, void *data, struct drm_file *file);

#endif
