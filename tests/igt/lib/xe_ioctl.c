// SPDX-License-Identifier: GPL-2.0-only
/*
 * Helpers shared by the xe uAPI tests.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/capability.h>

#include "xe_ioctl.h"

int __xe_ioctl(int fd, unsigned long request, void *arg)
{
	int ret;

	do {
		ret = ioctl(fd, request, arg);
	} while (ret == -1 && (errno == EINTR || errno == EAGAIN));

	return ret == -1 ? -errno : ret;
}

/* --- device nodes ------------------------------------------------------- */

int xe_driver_name(int fd, char *name, size_t len)
{
	struct drm_version v;
	int ret;

	memset(&v, 0, sizeof(v));
	memset(name, 0, len);
	v.name = name;
	v.name_len = len - 1;

	ret = __xe_ioctl(fd, DRM_IOCTL_VERSION, &v);
	if (ret)
		return ret;
	name[len - 1] = '\0';
	return 0;
}

bool xe_is_xe_device(int fd)
{
	char name[32];

	if (xe_driver_name(fd, name, sizeof(name)))
		return false;
	return strcmp(name, XE_DRIVER_NAME) == 0;
}

int xe_open_node(const char *fmt, int index)
{
	char path[64];

	snprintf(path, sizeof(path), fmt, index);
	return open(path, O_RDWR | O_CLOEXEC);
}

/*
 * Opens the n-th (from 0) node matching fmt that belongs to xe. On failure
 * errno is ENODEV, or the error of the last node that exists but could not
 * be opened.
 */
static int open_nth_xe(const char *fmt, int first, int n)
{
	int i, fd, err = ENODEV;

	for (i = first; i < first + XE_MAX_CARDS; i++) {
		fd = xe_open_node(fmt, i);
		if (fd < 0) {
			if (errno != ENOENT)
				err = errno;
			continue;
		}
		if (xe_is_xe_device(fd) && n-- == 0)
			return fd;
		close(fd);
	}

	errno = err;
	return -1;
}

static int count_xe(const char *fmt, int first)
{
	int i, fd, count = 0;

	for (i = first; i < first + XE_MAX_CARDS; i++) {
		fd = xe_open_node(fmt, i);
		if (fd < 0)
			continue;
		if (xe_is_xe_device(fd))
			count++;
		close(fd);
	}

	return count;
}

int drm_open_driver_xe_nth(int n)
{
	return open_nth_xe("/dev/dri/card%d", 0, n);
}

int drm_open_driver_xe(void)
{
	return drm_open_driver_xe_nth(0);
}

int xe_count_devices(void)
{
	return count_xe("/dev/dri/card%d", 0);
}

int xe_count_render_nodes(void)
{
	return count_xe("/dev/dri/renderD%d", XE_RENDER_MINOR_BASE);
}

int drm_open_render_xe(void)
{
	return open_nth_xe("/dev/dri/renderD%d", XE_RENDER_MINOR_BASE, 0);
}

/* --- queries ------------------------------------------------------------ */

int __xe_query(int fd, struct drm_xe_device_query *q)
{
	return __xe_ioctl(fd, DRM_IOCTL_XE_DEVICE_QUERY, q);
}

int __xe_query_size(int fd, uint32_t query, uint32_t *size)
{
	struct drm_xe_device_query q = { .query = query };
	int ret;

	ret = __xe_query(fd, &q);
	if (!ret)
		*size = q.size;
	return ret;
}

void *xe_query_alloc(int fd, uint32_t query, uint32_t *size)
{
	struct drm_xe_device_query q = { .query = query };
	void *data;
	int ret;

	ret = __xe_query(fd, &q);
	if (ret) {
		errno = -ret;
		return NULL;
	}

	/* Never hand out NULL for an empty reply: NULL means failure. */
	data = calloc(1, q.size ? q.size : 1);
	if (!data)
		return NULL;

	if (q.size) {
		q.data = to_user_pointer(data);
		ret = __xe_query(fd, &q);
		if (ret) {
			free(data);
			errno = -ret;
			return NULL;
		}
	}

	if (size)
		*size = q.size;
	return data;
}

struct drm_xe_query_engines *xe_get_engines(int fd)
{
	return xe_query_alloc(fd, DRM_XE_DEVICE_QUERY_ENGINES, NULL);
}

struct drm_xe_query_mem_regions *xe_get_mem_regions(int fd)
{
	return xe_query_alloc(fd, DRM_XE_DEVICE_QUERY_MEM_REGIONS, NULL);
}

struct drm_xe_query_config *xe_get_config(int fd)
{
	return xe_query_alloc(fd, DRM_XE_DEVICE_QUERY_CONFIG, NULL);
}

struct drm_xe_query_gt_list *xe_get_gt_list(int fd)
{
	return xe_query_alloc(fd, DRM_XE_DEVICE_QUERY_GT_LIST, NULL);
}

const struct drm_xe_mem_region *xe_find_region(const struct drm_xe_query_mem_regions *r,
					       uint16_t mem_class)
{
	uint32_t i;

	for (i = 0; i < r->num_mem_regions; i++)
		if (r->mem_regions[i].mem_class == mem_class)
			return &r->mem_regions[i];
	return NULL;
}

uint32_t xe_region_mask(int fd, uint16_t mem_class)
{
	struct drm_xe_query_mem_regions *r = xe_get_mem_regions(fd);
	uint32_t mask = 0, i;

	if (!r)
		return 0;
	for (i = 0; i < r->num_mem_regions; i++)
		if (r->mem_regions[i].mem_class == mem_class &&
		    r->mem_regions[i].instance < 32)
			mask |= 1u << r->mem_regions[i].instance;
	free(r);
	return mask;
}

uint64_t xe_vram_size(int fd)
{
	struct drm_xe_query_mem_regions *r = xe_get_mem_regions(fd);
	const struct drm_xe_mem_region *vram;
	uint64_t size = 0;

	if (!r)
		return 0;
	vram = xe_find_region(r, DRM_XE_MEM_REGION_CLASS_VRAM);
	if (vram)
		size = vram->total_size;
	free(r);
	return size;
}

const char *xe_engine_class_name(uint16_t engine_class)
{
	switch (engine_class) {
	case DRM_XE_ENGINE_CLASS_RENDER:
		return "rcs";
	case DRM_XE_ENGINE_CLASS_COPY:
		return "bcs";
	case DRM_XE_ENGINE_CLASS_VIDEO_DECODE:
		return "vcs";
	case DRM_XE_ENGINE_CLASS_VIDEO_ENHANCE:
		return "vecs";
	case DRM_XE_ENGINE_CLASS_COMPUTE:
		return "ccs";
	default:
		return "unknown";
	}
}

/* --- buffer objects ----------------------------------------------------- */

int __xe_gem_create(int fd, struct drm_xe_gem_create *create)
{
	return __xe_ioctl(fd, DRM_IOCTL_XE_GEM_CREATE, create);
}

int __xe_bo_create(int fd, uint32_t vm, uint64_t size, uint32_t placement, uint32_t flags,
		   uint16_t cpu_caching, uint32_t *handle)
{
	struct drm_xe_gem_create create = {
		.size = size,
		.placement = placement,
		.flags = flags,
		.vm_id = vm,
		.cpu_caching = cpu_caching,
	};
	int ret;

	ret = __xe_gem_create(fd, &create);
	if (!ret)
		*handle = create.handle;
	return ret;
}

uint32_t xe_bo_create(int fd, uint64_t size, uint32_t placement, uint16_t cpu_caching)
{
	uint32_t handle = 0;
	int ret;

	ret = __xe_bo_create(fd, 0, size, placement, 0, cpu_caching, &handle);
	if (ret) {
		errno = -ret;
		return 0;
	}
	return handle;
}

int gem_close(int fd, uint32_t handle)
{
	struct drm_gem_close close_args = { .handle = handle };

	return __xe_ioctl(fd, DRM_IOCTL_GEM_CLOSE, &close_args);
}

/* --- mappings ----------------------------------------------------------- */

int __xe_mmap_offset(int fd, struct drm_xe_gem_mmap_offset *mo)
{
	return __xe_ioctl(fd, DRM_IOCTL_XE_GEM_MMAP_OFFSET, mo);
}

int __xe_bo_mmap_offset(int fd, uint32_t handle, uint64_t *offset)
{
	struct drm_xe_gem_mmap_offset mo = { .handle = handle };
	int ret;

	ret = __xe_mmap_offset(fd, &mo);
	if (!ret)
		*offset = mo.offset;
	return ret;
}

void *__xe_bo_map(int fd, uint32_t handle, size_t size, int prot)
{
	uint64_t offset;
	void *ptr;
	int ret;

	ret = __xe_bo_mmap_offset(fd, handle, &offset);
	if (ret) {
		errno = -ret;
		return NULL;
	}

	ptr = mmap(NULL, size, prot, MAP_SHARED, fd, (off_t)offset);
	return ptr == MAP_FAILED ? NULL : ptr;
}

void *xe_bo_map(int fd, uint32_t handle, size_t size)
{
	return __xe_bo_map(fd, handle, size, PROT_READ | PROT_WRITE);
}

/* --- module parameters ------------------------------------------------- */

int xe_module_param(const char *name, long long *value)
{
	char path[128];
	FILE *f;
	int ret;

	snprintf(path, sizeof(path), "/sys/module/%s/parameters/%s", XE_DRIVER_NAME, name);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	ret = fscanf(f, "%lld", value) == 1 ? 0 : -EINVAL;
	fclose(f);
	return ret;
}

int xe_devices_expected(void)
{
	long long n;

	if (xe_module_param("num_devices", &n))
		return 0;
	return n > 0 ? (int)n : 0;
}

/* --- capabilities ------------------------------------------------------- */

static int caps_get(struct __user_cap_data_struct data[2])
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
		.pid = 0,
	};

	return syscall(SYS_capget, &hdr, data) ? -errno : 0;
}

static int caps_set(struct __user_cap_data_struct data[2])
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
		.pid = 0,
	};

	return syscall(SYS_capset, &hdr, data) ? -errno : 0;
}

bool xe_has_cap(int cap)
{
	struct __user_cap_data_struct data[2];

	memset(data, 0, sizeof(data));
	if (caps_get(data))
		return false;
	return data[cap / 32].effective & (1u << (cap % 32));
}

/*
 * Removes @cap from the effective set of the calling thread; the kernel's
 * capable() checks look at that set only.
 */
int xe_drop_cap(int cap)
{
	struct __user_cap_data_struct data[2];
	int ret;

	memset(data, 0, sizeof(data));
	ret = caps_get(data);
	if (ret)
		return ret;
	data[cap / 32].effective &= ~(1u << (cap % 32));
	return caps_set(data);
}
