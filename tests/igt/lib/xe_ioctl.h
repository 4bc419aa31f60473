/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Small helpers for the xe uAPI tests: opening the device, issuing ioctls
 * and wrapping the common requests (queries, buffer objects, mappings).
 *
 * Nothing here prints or aborts: helpers returning int report failure as a
 * negative errno value, helpers returning a pointer, a handle or a file
 * descriptor report it as NULL, 0 or -1 with errno set. Names starting with
 * two underscores take or return the raw ioctl arguments.
 */

#ifndef XE_IOCTL_H
#define XE_IOCTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <drm/drm.h>
#include <drm/xe_drm.h>

#define XE_DRIVER_NAME		"xe"
#define XE_MAX_CARDS		64
#define XE_RENDER_MINOR_BASE	128

#define SZ_4K		0x1000ULL
#define SZ_64K		0x10000ULL
#define SZ_1M		0x100000ULL
#define SZ_4M		0x400000ULL

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

/* Pointer to the 64-bit form the uAPI uses for user addresses. */
static inline uint64_t to_user_pointer(const void *ptr)
{
	return (uint64_t)(uintptr_t)ptr;
}

static inline void *from_user_pointer(uint64_t u64)
{
	return (void *)(uintptr_t)u64;
}

/* ioctl() retried on EINTR/EAGAIN; returns 0 or -errno. */
int __xe_ioctl(int fd, unsigned long request, void *arg);

/* Device nodes. */
bool xe_is_xe_device(int fd);
int xe_driver_name(int fd, char *name, size_t len);
int xe_open_node(const char *fmt, int index);
int drm_open_driver_xe(void);
int drm_open_driver_xe_nth(int n);
int xe_count_devices(void);
int xe_count_render_nodes(void);
int drm_open_render_xe(void);

/* DRM_IOCTL_XE_DEVICE_QUERY */
int __xe_query(int fd, struct drm_xe_device_query *q);
int __xe_query_size(int fd, uint32_t query, uint32_t *size);
void *xe_query_alloc(int fd, uint32_t query, uint32_t *size);
struct drm_xe_query_engines *xe_get_engines(int fd);
struct drm_xe_query_mem_regions *xe_get_mem_regions(int fd);
struct drm_xe_query_config *xe_get_config(int fd);
struct drm_xe_query_gt_list *xe_get_gt_list(int fd);
uint32_t xe_region_mask(int fd, uint16_t mem_class);
uint64_t xe_vram_size(int fd);
const struct drm_xe_mem_region *xe_find_region(const struct drm_xe_query_mem_regions *r,
					       uint16_t mem_class);
const char *xe_engine_class_name(uint16_t engine_class);

/* DRM_IOCTL_XE_GEM_CREATE and DRM_IOCTL_GEM_CLOSE */
int __xe_gem_create(int fd, struct drm_xe_gem_create *create);
int __xe_bo_create(int fd, uint32_t vm, uint64_t size, uint32_t placement, uint32_t flags,
		   uint16_t cpu_caching, uint32_t *handle);
uint32_t xe_bo_create(int fd, uint64_t size, uint32_t placement, uint16_t cpu_caching);
int gem_close(int fd, uint32_t handle);

/* DRM_IOCTL_XE_GEM_MMAP_OFFSET and mmap() */
int __xe_mmap_offset(int fd, struct drm_xe_gem_mmap_offset *mo);
int __xe_bo_mmap_offset(int fd, uint32_t handle, uint64_t *offset);
void *__xe_bo_map(int fd, uint32_t handle, size_t size, int prot);
void *xe_bo_map(int fd, uint32_t handle, size_t size);

/* Module parameters (/sys/module/xe/parameters). */
int xe_module_param(const char *name, long long *value);
int xe_devices_expected(void);

/* Capabilities of the calling thread. */
bool xe_has_cap(int cap);
int xe_drop_cap(int cap);

#endif /* XE_IOCTL_H */
