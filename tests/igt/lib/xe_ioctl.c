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
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include <linux/capability.h>
#include <linux/sync_file.h>

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

/* Bytes a region holds, as the query reports it to root; -1 if not reported. */
long long xe_region_used(int fd, uint16_t mem_class)
{
	struct drm_xe_query_mem_regions *regions = xe_get_mem_regions(fd);
	const struct drm_xe_mem_region *r;
	long long used = -1;

	if (!regions)
		return -1;
	r = xe_find_region(regions, mem_class);
	if (r && (xe_has_cap(CAP_PERFMON) || xe_has_cap(CAP_SYS_ADMIN)))
		used = r->used;
	free(regions);
	return used;
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

/* One value of the config query, or 0 if the query fails or lacks it. */
uint64_t xe_config(int fd, unsigned int param)
{
	struct drm_xe_query_config *config = xe_get_config(fd);
	uint64_t value = 0;

	if (!config)
		return 0;
	if (param < config->num_params)
		value = config->info[param];
	free(config);
	return value;
}

/* Width of the device's GPU virtual addresses, as the config query reports it. */
int xe_va_bits(int fd)
{
	uint64_t bits = xe_config(fd, DRM_XE_QUERY_CONFIG_VA_BITS);

	return bits ? (int)bits : XE_VA_BITS;
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

/* --- VMs ---------------------------------------------------------------- */

int __xe_vm_create(int fd, struct drm_xe_vm_create *create)
{
	return __xe_ioctl(fd, DRM_IOCTL_XE_VM_CREATE, create);
}

uint32_t xe_vm_create(int fd, uint32_t flags)
{
	struct drm_xe_vm_create create = { .flags = flags };
	int ret;

	ret = __xe_vm_create(fd, &create);
	if (ret) {
		errno = -ret;
		return 0;
	}
	return create.vm_id;
}

int __xe_vm_destroy(int fd, struct drm_xe_vm_destroy *destroy)
{
	return __xe_ioctl(fd, DRM_IOCTL_XE_VM_DESTROY, destroy);
}

int xe_vm_destroy(int fd, uint32_t vm)
{
	struct drm_xe_vm_destroy destroy = { .vm_id = vm };

	return __xe_vm_destroy(fd, &destroy);
}

int __xe_vm_bind(int fd, struct drm_xe_vm_bind *bind)
{
	return __xe_ioctl(fd, DRM_IOCTL_XE_VM_BIND, bind);
}

int xe_vm_bind_ops(int fd, uint32_t vm, uint32_t queue, struct drm_xe_vm_bind_op *ops,
		   uint32_t num_ops, struct drm_xe_sync *syncs, uint32_t num_syncs)
{
	struct drm_xe_vm_bind bind = {
		.vm_id = vm,
		.exec_queue_id = queue,
		.num_binds = num_ops,
		.num_syncs = num_syncs,
		.syncs = to_user_pointer(syncs),
	};

	if (num_ops == 1)
		bind.bind = ops[0];
	else
		bind.vector_of_binds = to_user_pointer(ops);
	return __xe_vm_bind(fd, &bind);
}

struct drm_xe_vm_bind_op xe_bind_op_map(uint32_t bo, uint64_t offset, uint64_t addr,
					uint64_t size, uint32_t flags)
{
	struct drm_xe_vm_bind_op op = {
		.obj = bo,
		.obj_offset = offset,
		.range = size,
		.addr = addr,
		.op = DRM_XE_VM_BIND_OP_MAP,
		.flags = flags,
	};

	return op;
}

struct drm_xe_vm_bind_op xe_bind_op_userptr(const void *ptr, uint64_t addr, uint64_t size,
					    uint32_t flags)
{
	struct drm_xe_vm_bind_op op = {
		.userptr = to_user_pointer(ptr),
		.range = size,
		.addr = addr,
		.op = DRM_XE_VM_BIND_OP_MAP_USERPTR,
		.flags = flags,
	};

	return op;
}

struct drm_xe_vm_bind_op xe_bind_op_null(uint64_t addr, uint64_t size)
{
	struct drm_xe_vm_bind_op op = {
		.range = size,
		.addr = addr,
		.op = DRM_XE_VM_BIND_OP_MAP,
		.flags = DRM_XE_VM_BIND_FLAG_NULL,
	};

	return op;
}

struct drm_xe_vm_bind_op xe_bind_op_unmap(uint64_t addr, uint64_t size)
{
	struct drm_xe_vm_bind_op op = {
		.range = size,
		.addr = addr,
		.op = DRM_XE_VM_BIND_OP_UNMAP,
	};

	return op;
}

struct drm_xe_vm_bind_op xe_bind_op_unmap_all(uint32_t bo)
{
	struct drm_xe_vm_bind_op op = {
		.obj = bo,
		.op = DRM_XE_VM_BIND_OP_UNMAP_ALL,
	};

	return op;
}

struct drm_xe_vm_bind_op xe_bind_op_prefetch(uint64_t addr, uint64_t size, uint32_t region)
{
	struct drm_xe_vm_bind_op op = {
		.range = size,
		.addr = addr,
		.op = DRM_XE_VM_BIND_OP_PREFETCH,
		.prefetch_mem_region_instance = region,
	};

	return op;
}

/* GPU addresses [addr, addr + size) follow the CPU's same addresses. */
struct drm_xe_vm_bind_op xe_bind_op_mirror(uint64_t addr, uint64_t size, uint32_t flags)
{
	struct drm_xe_vm_bind_op op = {
		.range = size,
		.addr = addr,
		.op = DRM_XE_VM_BIND_OP_MAP,
		.flags = flags | DRM_XE_VM_BIND_FLAG_CPU_ADDR_MIRROR,
	};

	return op;
}

int xe_vm_bind_bo(int fd, uint32_t vm, uint32_t bo, uint64_t offset, uint64_t addr,
		  uint64_t size, uint32_t flags)
{
	struct drm_xe_vm_bind_op op = xe_bind_op_map(bo, offset, addr, size, flags);

	return xe_vm_bind_ops(fd, vm, 0, &op, 1, NULL, 0);
}

int xe_vm_bind_userptr(int fd, uint32_t vm, const void *ptr, uint64_t addr, uint64_t size,
		       uint32_t flags)
{
	struct drm_xe_vm_bind_op op = xe_bind_op_userptr(ptr, addr, size, flags);

	return xe_vm_bind_ops(fd, vm, 0, &op, 1, NULL, 0);
}

int xe_vm_bind_null(int fd, uint32_t vm, uint64_t addr, uint64_t size)
{
	struct drm_xe_vm_bind_op op = xe_bind_op_null(addr, size);

	return xe_vm_bind_ops(fd, vm, 0, &op, 1, NULL, 0);
}

int xe_vm_bind_mirror(int fd, uint32_t vm, uint64_t addr, uint64_t size, uint32_t flags)
{
	struct drm_xe_vm_bind_op op = xe_bind_op_mirror(addr, size, flags);

	return xe_vm_bind_ops(fd, vm, 0, &op, 1, NULL, 0);
}

int xe_vm_unbind(int fd, uint32_t vm, uint64_t addr, uint64_t size)
{
	struct drm_xe_vm_bind_op op = xe_bind_op_unmap(addr, size);

	return xe_vm_bind_ops(fd, vm, 0, &op, 1, NULL, 0);
}

int xe_vm_unbind_all(int fd, uint32_t vm, uint32_t bo)
{
	struct drm_xe_vm_bind_op op = xe_bind_op_unmap_all(bo);

	return xe_vm_bind_ops(fd, vm, 0, &op, 1, NULL, 0);
}

/* --- exec queues -------------------------------------------------------- */

int __xe_exec_queue_create(int fd, struct drm_xe_exec_queue_create *create)
{
	return __xe_ioctl(fd, DRM_IOCTL_XE_EXEC_QUEUE_CREATE, create);
}

uint32_t xe_exec_queue_create_placements(int fd, uint32_t vm,
					 const struct drm_xe_engine_class_instance *eci,
					 uint16_t num_placements, uint64_t extensions)
{
	struct drm_xe_exec_queue_create create = {
		.extensions = extensions,
		.width = 1,
		.num_placements = num_placements,
		.vm_id = vm,
		.instances = to_user_pointer(eci),
	};
	int ret;

	ret = __xe_exec_queue_create(fd, &create);
	if (ret) {
		errno = -ret;
		return 0;
	}
	return create.exec_queue_id;
}

uint32_t xe_exec_queue_create(int fd, uint32_t vm, uint16_t engine_class,
			      uint16_t engine_instance)
{
	struct drm_xe_engine_class_instance eci = {
		.engine_class = engine_class,
		.engine_instance = engine_instance,
	};

	return xe_exec_queue_create_placements(fd, vm, &eci, 1, 0);
}

uint32_t xe_bind_queue_create(int fd)
{
	return xe_exec_queue_create(fd, 0, DRM_XE_ENGINE_CLASS_VM_BIND, 0);
}

int __xe_exec_queue_destroy(int fd, struct drm_xe_exec_queue_destroy *destroy)
{
	return __xe_ioctl(fd, DRM_IOCTL_XE_EXEC_QUEUE_DESTROY, destroy);
}

int xe_exec_queue_destroy(int fd, uint32_t queue)
{
	struct drm_xe_exec_queue_destroy destroy = { .exec_queue_id = queue };

	return __xe_exec_queue_destroy(fd, &destroy);
}

int __xe_exec_queue_get_property(int fd, struct drm_xe_exec_queue_get_property *prop)
{
	return __xe_ioctl(fd, DRM_IOCTL_XE_EXEC_QUEUE_GET_PROPERTY, prop);
}

/* 1 if the queue is banned, 0 if not, or -errno. */
int xe_exec_queue_banned(int fd, uint32_t queue)
{
	struct drm_xe_exec_queue_get_property prop = {
		.exec_queue_id = queue,
		.property = DRM_XE_EXEC_QUEUE_GET_PROPERTY_BAN,
	};
	int ret;

	ret = __xe_exec_queue_get_property(fd, &prop);
	if (ret)
		return ret;
	return prop.value ? 1 : 0;
}

/*
 * Polls the ban property until it reads 1 or timeout_ns passed: a ban may be
 * recorded shortly after the failing job's fence signalled. Returns the
 * last value read, or -errno.
 */
int xe_wait_banned(int fd, uint32_t queue, int64_t timeout_ns)
{
	int64_t deadline = xe_now_ns() + timeout_ns;
	int ret;

	for (;;) {
		ret = xe_exec_queue_banned(fd, queue);
		if (ret != 0 || xe_now_ns() > deadline)
			return ret;
		usleep(1000);
	}
}

/* Number of engines of a class the engines query reports, or -errno. */
int xe_engine_count(int fd, uint16_t engine_class)
{
	struct drm_xe_query_engines *engines = xe_get_engines(fd);
	int count = 0;
	uint32_t i;

	if (!engines)
		return -errno;
	for (i = 0; i < engines->num_engines; i++)
		if (engines->engines[i].instance.engine_class == engine_class)
			count++;
	free(engines);
	return count;
}

/* --- execution ---------------------------------------------------------- */

int __xe_exec(int fd, struct drm_xe_exec *exec)
{
	return __xe_ioctl(fd, DRM_IOCTL_XE_EXEC, exec);
}

int xe_exec(int fd, uint32_t queue, uint64_t batch_addr, struct drm_xe_sync *syncs,
	    uint32_t num_syncs)
{
	struct drm_xe_exec exec = {
		.exec_queue_id = queue,
		.num_syncs = num_syncs,
		.syncs = to_user_pointer(syncs),
		.address = batch_addr,
		.num_batch_buffer = 1,
	};

	return __xe_exec(fd, &exec);
}

/*
 * Runs the batch at batch_addr and waits for it through a syncobj. Returns
 * the error of EXEC or of the wait (-ETIME when the job did not finish in
 * time), or else the status of the job's fence: 0 when the job completed,
 * a negative error when it failed.
 */
int xe_exec_wait(int fd, uint32_t queue, uint64_t batch_addr, int64_t timeout_ns)
{
	struct drm_xe_sync sync;
	uint32_t syncobj;
	int ret;

	syncobj = syncobj_create(fd, 0);
	if (!syncobj)
		return -errno;

	sync = xe_sync_syncobj(syncobj, true);
	ret = xe_exec(fd, queue, batch_addr, &sync, 1);
	if (!ret)
		ret = syncobj_wait(fd, &syncobj, 1, timeout_ns, 0);
	if (!ret) {
		ret = syncobj_fence_status(fd, syncobj);
		if (ret > 0)
			ret = 0;
		else if (ret == 0)
			ret = -EBUSY;	/* signalled, yet still pending? */
	}
	syncobj_destroy(fd, syncobj);
	return ret;
}

int __xe_wait_ufence(int fd, struct drm_xe_wait_user_fence *wait)
{
	return __xe_ioctl(fd, DRM_IOCTL_XE_WAIT_USER_FENCE, wait);
}

/* Waits until *addr == value, woken by progress of queue (may be 0). */
int xe_wait_ufence(int fd, const uint64_t *addr, uint64_t value, uint32_t queue,
		   int64_t timeout_ns)
{
	struct drm_xe_wait_user_fence wait = {
		.addr = to_user_pointer(addr),
		.op = DRM_XE_UFENCE_WAIT_OP_EQ,
		.value = value,
		.mask = ~0ull,
		.timeout = timeout_ns,
		.exec_queue_id = queue,
	};

	return __xe_wait_ufence(fd, &wait);
}

/* --- syncobjs ----------------------------------------------------------- */

uint32_t syncobj_create(int fd, uint32_t flags)
{
	struct drm_syncobj_create create = { .flags = flags };
	int ret;

	ret = __xe_ioctl(fd, DRM_IOCTL_SYNCOBJ_CREATE, &create);
	if (ret) {
		errno = -ret;
		return 0;
	}
	return create.handle;
}

int syncobj_destroy(int fd, uint32_t handle)
{
	struct drm_syncobj_destroy destroy = { .handle = handle };

	return __xe_ioctl(fd, DRM_IOCTL_SYNCOBJ_DESTROY, &destroy);
}

int64_t xe_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Relative timeout to the absolute CLOCK_MONOTONIC time the ioctls take. */
static int64_t abs_timeout(int64_t timeout_ns)
{
	if (timeout_ns <= 0)
		return 0;
	return xe_now_ns() + timeout_ns;
}

int syncobj_wait(int fd, uint32_t *handles, uint32_t count, int64_t timeout_ns, uint32_t flags)
{
	struct drm_syncobj_wait wait = {
		.handles = to_user_pointer(handles),
		.timeout_nsec = abs_timeout(timeout_ns),
		.count_handles = count,
		.flags = flags,
	};

	return __xe_ioctl(fd, DRM_IOCTL_SYNCOBJ_WAIT, &wait);
}

int syncobj_timeline_wait(int fd, uint32_t *handles, uint64_t *points, uint32_t count,
			  int64_t timeout_ns, uint32_t flags)
{
	struct drm_syncobj_timeline_wait wait = {
		.handles = to_user_pointer(handles),
		.points = to_user_pointer(points),
		.timeout_nsec = abs_timeout(timeout_ns),
		.count_handles = count,
		.flags = flags,
	};

	return __xe_ioctl(fd, DRM_IOCTL_SYNCOBJ_TIMELINE_WAIT, &wait);
}

/* Last signalled point of a timeline syncobj. */
int syncobj_query(int fd, uint32_t handle, uint64_t *point)
{
	struct drm_syncobj_timeline_array array = {
		.handles = to_user_pointer(&handle),
		.points = to_user_pointer(point),
		.count_handles = 1,
	};

	return __xe_ioctl(fd, DRM_IOCTL_SYNCOBJ_QUERY, &array);
}

/*
 * Status of the fence a binary syncobj holds, read through a sync file: 1
 * when it signalled without error, 0 while it is pending, the fence's
 * (negative) error when it signalled with one, or -errno of the export.
 */
int syncobj_fence_status(int fd, uint32_t handle)
{
	struct drm_syncobj_handle args = {
		.handle = handle,
		.flags = DRM_SYNCOBJ_HANDLE_TO_FD_FLAGS_EXPORT_SYNC_FILE,
		.fd = -1,
	};
	struct sync_file_info info;
	int ret;

	ret = __xe_ioctl(fd, DRM_IOCTL_SYNCOBJ_HANDLE_TO_FD, &args);
	if (ret)
		return ret;

	memset(&info, 0, sizeof(info));
	ret = ioctl(args.fd, SYNC_IOC_FILE_INFO, &info) ? -errno : info.status;
	close(args.fd);
	return ret;
}

int syncobj_signal(int fd, uint32_t *handles, uint32_t count)
{
	struct drm_syncobj_array array = {
		.handles = to_user_pointer(handles),
		.count_handles = count,
	};

	return __xe_ioctl(fd, DRM_IOCTL_SYNCOBJ_SIGNAL, &array);
}

/* --- memory ------------------------------------------------------------- */

void *xe_alloc_pages(size_t size)
{
	void *ptr = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (ptr == MAP_FAILED)
		return NULL;
	/* Fault the pages in, zeroed, so they exist when the kernel looks. */
	memset(ptr, 0, size);
	return ptr;
}

void xe_free_pages(void *ptr, size_t size)
{
	if (ptr)
		munmap(ptr, size);
}

const char *xe_buf_kind_name(enum xe_buf_kind kind)
{
	switch (kind) {
	case XE_BUF_SYSMEM:
		return "sysmem";
	case XE_BUF_VRAM:
		return "vram";
	case XE_BUF_USERPTR:
		return "userptr";
	}
	return "unknown";
}

/* Creates the memory, zeroed and mapped for the CPU; returns 0 or -errno. */
int xe_buf_create(int fd, enum xe_buf_kind kind, uint64_t size, struct xe_buf *buf)
{
	uint32_t placement;
	uint16_t caching;
	int ret;

	memset(buf, 0, sizeof(*buf));
	buf->kind = kind;
	buf->size = size;

	if (kind == XE_BUF_USERPTR) {
		buf->ptr = xe_alloc_pages(size);
		return buf->ptr ? 0 : -errno;
	}

	if (kind == XE_BUF_VRAM) {
		placement = xe_region_mask(fd, DRM_XE_MEM_REGION_CLASS_VRAM);
		caching = DRM_XE_GEM_CPU_CACHING_WC;
	} else {
		placement = xe_region_mask(fd, DRM_XE_MEM_REGION_CLASS_SYSMEM);
		caching = DRM_XE_GEM_CPU_CACHING_WB;
	}
	if (!placement)
		return -ENODEV;

	ret = __xe_bo_create(fd, 0, size, placement, 0, caching, &buf->handle);
	if (ret)
		return ret;

	buf->ptr = xe_bo_map(fd, buf->handle, size);
	if (!buf->ptr) {
		ret = -errno;
		gem_close(fd, buf->handle);
		buf->handle = 0;
		return ret;
	}
	return 0;
}

/* Binds the whole of buf at addr; returns 0 or -errno of VM_BIND. */
int xe_buf_bind(int fd, uint32_t vm, struct xe_buf *buf, uint64_t addr, uint32_t flags)
{
	int ret;

	if (buf->kind == XE_BUF_USERPTR)
		ret = xe_vm_bind_userptr(fd, vm, buf->ptr, addr, buf->size, flags);
	else
		ret = xe_vm_bind_bo(fd, vm, buf->handle, 0, addr, buf->size, flags);
	if (!ret)
		buf->addr = addr;
	return ret;
}

void xe_buf_destroy(int fd, struct xe_buf *buf)
{
	if (buf->ptr)
		munmap(buf->ptr, buf->size);
	if (buf->handle)
		gem_close(fd, buf->handle);
	memset(buf, 0, sizeof(*buf));
}

int xe_device_minor(int fd)
{
	struct stat st;

	if (fstat(fd, &st))
		return -errno;
	if (!S_ISCHR(st.st_mode))
		return -ENOTTY;
	return minor(st.st_rdev);
}

/* --- debugfs ------------------------------------------------------------ */

int xe_debugfs_path(int fd, const char *file, char *path, size_t len)
{
	char name[64] = "";
	int minor, ret;
	FILE *f;

	minor = xe_device_minor(fd);
	if (minor < 0)
		return minor;
	snprintf(path, len, "/sys/kernel/debug/dri/%d/name", minor);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	ret = fgets(name, sizeof(name), f) ? 0 : -EIO;
	fclose(f);
	if (ret)
		return ret;
	if (strncmp(name, XE_DRIVER_NAME, strlen(XE_DRIVER_NAME)))
		return -ENODEV;
	if ((size_t)snprintf(path, len, "/sys/kernel/debug/dri/%d/%s", minor, file) >= len)
		return -ENAMETOOLONG;
	return 0;
}

int xe_debugfs_read(int fd, const char *file, long long *value)
{
	char path[256];
	FILE *f;
	int ret;

	ret = xe_debugfs_path(fd, file, path, sizeof(path));
	if (ret)
		return ret;
	f = fopen(path, "re");
	if (!f)
		return -errno;
	ret = fscanf(f, "%lld", value) == 1 ? 0 : -EINVAL;
	fclose(f);
	return ret;
}

int xe_debugfs_write(int fd, const char *file, long long value)
{
	char path[256], buf[32];
	int dfd, len, ret;

	ret = xe_debugfs_path(fd, file, path, sizeof(path));
	if (ret)
		return ret;
	dfd = open(path, O_WRONLY | O_CLOEXEC);
	if (dfd < 0)
		return -errno;
	len = snprintf(buf, sizeof(buf), "%lld\n", value);
	if (write(dfd, buf, len) != len)
		ret = -errno;
	close(dfd);
	return ret;
}

/* Returns 0, -ENOENT when the file has no such counter, or another -errno. */
int xe_gt_stat(int fd, unsigned int gt, const char *name, long long *value)
{
	char path[256], line[160], file[32];
	size_t len = strlen(name);
	FILE *f;
	int ret;

	snprintf(file, sizeof(file), "gt%u/stats", gt);
	ret = xe_debugfs_path(fd, file, path, sizeof(path));
	if (ret)
		return ret;
	f = fopen(path, "re");
	if (!f)
		return -errno;
	ret = -ENOENT;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, name, len) || line[len] != ':')
			continue;
		ret = sscanf(line + len + 1, "%lld", value) == 1 ? 0 : -EINVAL;
		break;
	}
	fclose(f);
	return ret;
}

/* --- GPU commands ------------------------------------------------------- */

uint32_t *xe_emit_store_dword(uint32_t *cs, uint64_t addr, uint32_t value)
{
	*cs++ = MI_STORE_DATA_IMM | XE_CMD_LEN(4);
	*cs++ = (uint32_t)addr;
	*cs++ = (uint32_t)(addr >> 32);
	*cs++ = value;
	return cs;
}

uint32_t *xe_emit_store_qword(uint32_t *cs, uint64_t addr, uint64_t value)
{
	*cs++ = MI_STORE_DATA_IMM | MI_SDI_QW | XE_CMD_LEN(5);
	*cs++ = (uint32_t)addr;
	*cs++ = (uint32_t)(addr >> 32);
	*cs++ = (uint32_t)value;
	*cs++ = (uint32_t)(value >> 32);
	return cs;
}

uint32_t *xe_emit_atomic(uint32_t *cs, uint32_t op, uint64_t addr)
{
	*cs++ = MI_ATOMIC | MI_ATOMIC_OP(op) | XE_CMD_LEN(3);
	*cs++ = (uint32_t)addr;
	*cs++ = (uint32_t)(addr >> 32);
	return cs;
}

uint32_t *xe_emit_atomic_inline(uint32_t *cs, uint32_t op, uint64_t addr, uint32_t op0,
				uint32_t op1)
{
	int i;

	*cs++ = MI_ATOMIC | MI_ATOMIC_INLINE | MI_ATOMIC_OP(op) | XE_CMD_LEN(11);
	*cs++ = (uint32_t)addr;
	*cs++ = (uint32_t)(addr >> 32);
	*cs++ = op0;
	*cs++ = op1;
	for (i = 0; i < 6; i++)
		*cs++ = 0;
	return cs;
}

uint32_t *xe_emit_flush_dw_store(uint32_t *cs, uint64_t addr, uint32_t value)
{
	*cs++ = MI_FLUSH_DW | MI_FLUSH_DW_STORE | XE_CMD_LEN(4);
	*cs++ = (uint32_t)addr;
	*cs++ = (uint32_t)(addr >> 32);
	*cs++ = value;
	return cs;
}

/* Copy engine only: fills len bytes (at least 1) at dst with value. */
uint32_t *xe_emit_mem_set(uint32_t *cs, uint64_t dst, uint32_t len, uint8_t value)
{
	*cs++ = XE_MEM_SET | XE_CMD_LEN(7);
	*cs++ = len - 1;
	*cs++ = 0;
	*cs++ = 0;
	*cs++ = (uint32_t)dst;
	*cs++ = (uint32_t)(dst >> 32);
	*cs++ = (uint32_t)value << 24;
	return cs;
}

/* Copy engine only: copies len bytes (at least 1) from src to dst. */
uint32_t *xe_emit_mem_copy(uint32_t *cs, uint64_t dst, uint64_t src, uint32_t len)
{
	*cs++ = XE_MEM_COPY | XE_CMD_LEN(10);
	*cs++ = len - 1;
	*cs++ = 0;
	*cs++ = 0;
	*cs++ = 0;
	*cs++ = (uint32_t)src;
	*cs++ = (uint32_t)(src >> 32);
	*cs++ = (uint32_t)dst;
	*cs++ = (uint32_t)(dst >> 32);
	*cs++ = 0;
	return cs;
}

uint32_t *xe_emit_bb_end(uint32_t *cs)
{
	*cs++ = MI_BATCH_BUFFER_END;
	return cs;
}

/* --- contexts ------------------------------------------------------------ */

/*
 * Sets up ctx on the engine given: in vm if it is not 0, else in a new VM
 * created with vm_flags (in the former case pass the flags vm was created
 * with: they tell xe_ctx_run() how to wait). The batch buffer of a context
 * in its own VM is at XE_CTX_BATCH_ADDR; contexts sharing a VM get distinct
 * slots of XE_CTX_BATCH_SIZE above it, up to XE_CTX_BATCH_END.
 * Returns 0 or -errno.
 */
int xe_ctx_init(int fd, struct xe_ctx *ctx, uint32_t vm, uint32_t vm_flags,
		uint16_t engine_class, uint16_t engine_instance)
{
	static unsigned int next_slot;
	const unsigned int slots = (XE_CTX_BATCH_END - XE_CTX_BATCH_ADDR) / XE_CTX_BATCH_SIZE;
	uint64_t batch_addr = XE_CTX_BATCH_ADDR;
	int ret;

	if (vm)
		batch_addr += (1 + __atomic_fetch_add(&next_slot, 1, __ATOMIC_RELAXED) %
			       (slots - 1)) * XE_CTX_BATCH_SIZE;

	memset(ctx, 0, sizeof(*ctx));
	ctx->fd = fd;
	ctx->lr = vm_flags & DRM_XE_VM_CREATE_FLAG_LR_MODE;
	ctx->vm = vm;
	if (!vm) {
		ctx->vm = xe_vm_create(fd, vm_flags);
		if (!ctx->vm)
			return -errno;
		ctx->own_vm = true;
	}

	ret = xe_buf_create(fd, XE_BUF_SYSMEM, XE_CTX_BATCH_SIZE, &ctx->batch);
	if (ret)
		goto err_vm;
	ret = xe_buf_bind(fd, ctx->vm, &ctx->batch, batch_addr, 0);
	if (ret)
		goto err_batch;

	ctx->queue = xe_exec_queue_create(fd, ctx->vm, engine_class, engine_instance);
	if (!ctx->queue) {
		ret = -errno;
		goto err_batch;
	}
	return 0;

err_batch:
	xe_buf_destroy(fd, &ctx->batch);
err_vm:
	if (ctx->own_vm)
		xe_vm_destroy(fd, ctx->vm);
	memset(ctx, 0, sizeof(*ctx));
	return ret;
}

void xe_ctx_fini(struct xe_ctx *ctx)
{
	if (ctx->queue)
		xe_exec_queue_destroy(ctx->fd, ctx->queue);
	if (ctx->batch.addr)
		xe_vm_unbind(ctx->fd, ctx->vm, ctx->batch.addr, ctx->batch.size);
	xe_buf_destroy(ctx->fd, &ctx->batch);
	if (ctx->own_vm)
		xe_vm_destroy(ctx->fd, ctx->vm);
	memset(ctx, 0, sizeof(*ctx));
}

/* CPU address of the batch buffer at offset. */
uint32_t *xe_ctx_cs(struct xe_ctx *ctx, uint64_t offset)
{
	return (uint32_t *)((char *)ctx->batch.ptr + offset);
}

/* CPU address of the user fence xe_ctx_run() uses. */
uint64_t *xe_ctx_fence(struct xe_ctx *ctx)
{
	return (uint64_t *)((char *)ctx->batch.ptr + XE_CTX_FENCE_OFFSET);
}

/*
 * Runs the batch at offset of the batch buffer and waits for it: through a
 * syncobj (see xe_exec_wait()), or in LR VMs through a user fence written
 * after the batch. Returns 0 once the job completed; the error of EXEC;
 * -ETIME if it did not finish in time; a negative error if it failed (the
 * fence's error, or -EIO from WAIT_USER_FENCE when the queue got banned).
 */
int xe_ctx_run_at(struct xe_ctx *ctx, uint64_t offset, int64_t timeout_ns)
{
	uint64_t *fence = xe_ctx_fence(ctx);
	struct drm_xe_sync sync;
	int ret;

	if (!ctx->lr)
		return xe_exec_wait(ctx->fd, ctx->queue, ctx->batch.addr + offset, timeout_ns);

	sync = xe_sync_ufence(ctx->batch.addr + XE_CTX_FENCE_OFFSET, ++ctx->seqno);
	ret = xe_exec(ctx->fd, ctx->queue, ctx->batch.addr + offset, &sync, 1);
	if (ret)
		return ret;
	ret = xe_wait_ufence(ctx->fd, fence, ctx->seqno, ctx->queue, timeout_ns);
	return ret;
}

int xe_ctx_run(struct xe_ctx *ctx)
{
	return xe_ctx_run_at(ctx, 0, XE_TIMEOUT_NS);
}

/* Runs one batch storing values[i] at GPU address addrs[i], and waits. */
int xe_ctx_store(struct xe_ctx *ctx, const uint64_t *addrs, const uint32_t *values,
		 unsigned int count)
{
	uint32_t *cs = xe_ctx_cs(ctx, 0);
	unsigned int i;

	for (i = 0; i < count; i++)
		cs = xe_emit_store_dword(cs, addrs[i], values[i]);
	xe_emit_bb_end(cs);
	return xe_ctx_run(ctx);
}
