/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright © 2026 The xe virtual GPU authors
 */

#ifndef _XE_ASSERT_H_
#define _XE_ASSERT_H_

#include <drm/drm_print.h>

#include "xe_device_types.h"

/**
 * xe_assert() - check a debug-only invariant
 * @xe: the device
 * @cond: what must hold
 *
 * With CONFIG_DRM_XE_DEBUG the condition is evaluated and a failure warns
 * once with the condition's text; otherwise it is only type-checked, so it
 * must have no side effects. Conditions that can happen in production are
 * handled with drm_WARN_ON() and a fallback instead.
 */
#if IS_ENABLED(CONFIG_DRM_XE_DEBUG)
#define xe_assert(xe, cond)						\
	drm_WARN_ONCE(&(xe)->drm, !(cond), "xe_assert(%s) failed\n", #cond)
#else
#define xe_assert(xe, cond)	do { (void)(xe); BUILD_BUG_ON_INVALID(cond); } while (0)
#endif

#endif
