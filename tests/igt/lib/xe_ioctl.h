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
#define SZ_2M		0x200000ULL
#define SZ_4M		0x400000ULL
#define SZ_1G		0x40000000ULL

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
uint64_t xe_config(int fd, unsigned int param);
int xe_va_bits(int fd);
const struct drm_xe_mem_region *xe_find_region(const struct drm_xe_query_mem_regions *r,
					       uint16_t mem_class);
long long xe_region_used(int fd, uint16_t mem_class);
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

/* --- VMs, exec queues, execution and syncs ------------------------------ */

/* Generous limit for anything the GPU does: it is emulated, and slow. */
#define XE_TIMEOUT_NS		(10 * 1000000000LL)

/* Width of GPU virtual addresses. */
#define XE_VA_BITS		48

/* DRM_IOCTL_XE_VM_CREATE and DRM_IOCTL_XE_VM_DESTROY */
int __xe_vm_create(int fd, struct drm_xe_vm_create *create);
uint32_t xe_vm_create(int fd, uint32_t flags);
int __xe_vm_destroy(int fd, struct drm_xe_vm_destroy *destroy);
int xe_vm_destroy(int fd, uint32_t vm);

/* DRM_IOCTL_XE_VM_BIND */
int __xe_vm_bind(int fd, struct drm_xe_vm_bind *bind);
int xe_vm_bind_ops(int fd, uint32_t vm, uint32_t queue, struct drm_xe_vm_bind_op *ops,
		   uint32_t num_ops, struct drm_xe_sync *syncs, uint32_t num_syncs);
struct drm_xe_vm_bind_op xe_bind_op_map(uint32_t bo, uint64_t offset, uint64_t addr,
					uint64_t size, uint32_t flags);
struct drm_xe_vm_bind_op xe_bind_op_userptr(const void *ptr, uint64_t addr, uint64_t size,
					    uint32_t flags);
struct drm_xe_vm_bind_op xe_bind_op_null(uint64_t addr, uint64_t size);
struct drm_xe_vm_bind_op xe_bind_op_unmap(uint64_t addr, uint64_t size);
struct drm_xe_vm_bind_op xe_bind_op_unmap_all(uint32_t bo);
struct drm_xe_vm_bind_op xe_bind_op_prefetch(uint64_t addr, uint64_t size, uint32_t region);
struct drm_xe_vm_bind_op xe_bind_op_mirror(uint64_t addr, uint64_t size, uint32_t flags);
int xe_vm_bind_bo(int fd, uint32_t vm, uint32_t bo, uint64_t offset, uint64_t addr,
		  uint64_t size, uint32_t flags);
int xe_vm_bind_userptr(int fd, uint32_t vm, const void *ptr, uint64_t addr, uint64_t size,
		       uint32_t flags);
int xe_vm_bind_null(int fd, uint32_t vm, uint64_t addr, uint64_t size);
int xe_vm_bind_mirror(int fd, uint32_t vm, uint64_t addr, uint64_t size, uint32_t flags);
int xe_vm_unbind(int fd, uint32_t vm, uint64_t addr, uint64_t size);
int xe_vm_unbind_all(int fd, uint32_t vm, uint32_t bo);

/* DRM_IOCTL_XE_EXEC_QUEUE_CREATE, _DESTROY and _GET_PROPERTY */
int __xe_exec_queue_create(int fd, struct drm_xe_exec_queue_create *create);
uint32_t xe_exec_queue_create_placements(int fd, uint32_t vm,
					 const struct drm_xe_engine_class_instance *eci,
					 uint16_t num_placements, uint64_t extensions);
uint32_t xe_exec_queue_create(int fd, uint32_t vm, uint16_t engine_class,
			      uint16_t engine_instance);
uint32_t xe_bind_queue_create(int fd);
int __xe_exec_queue_destroy(int fd, struct drm_xe_exec_queue_destroy *destroy);
int xe_exec_queue_destroy(int fd, uint32_t queue);
int __xe_exec_queue_get_property(int fd, struct drm_xe_exec_queue_get_property *prop);
int xe_exec_queue_banned(int fd, uint32_t queue);
int xe_wait_banned(int fd, uint32_t queue, int64_t timeout_ns);
int xe_engine_count(int fd, uint16_t engine_class);

/* DRM_IOCTL_XE_EXEC */
int __xe_exec(int fd, struct drm_xe_exec *exec);
int xe_exec(int fd, uint32_t queue, uint64_t batch_addr, struct drm_xe_sync *syncs,
	    uint32_t num_syncs);
int xe_exec_wait(int fd, uint32_t queue, uint64_t batch_addr, int64_t timeout_ns);

/* DRM_IOCTL_XE_WAIT_USER_FENCE */
int __xe_wait_ufence(int fd, struct drm_xe_wait_user_fence *wait);
int xe_wait_ufence(int fd, const uint64_t *addr, uint64_t value, uint32_t queue,
		   int64_t timeout_ns);

/* struct drm_xe_sync entries. */
static inline struct drm_xe_sync xe_sync_syncobj(uint32_t handle, bool signal)
{
	struct drm_xe_sync s = {
		.type = DRM_XE_SYNC_TYPE_SYNCOBJ,
		.flags = signal ? DRM_XE_SYNC_FLAG_SIGNAL : 0,
		.handle = handle,
	};

	return s;
}

static inline struct drm_xe_sync xe_sync_timeline(uint32_t handle, uint64_t point, bool signal)
{
	struct drm_xe_sync s = {
		.type = DRM_XE_SYNC_TYPE_TIMELINE_SYNCOBJ,
		.flags = signal ? DRM_XE_SYNC_FLAG_SIGNAL : 0,
		.handle = handle,
		.timeline_value = point,
	};

	return s;
}

static inline struct drm_xe_sync xe_sync_ufence(uint64_t addr, uint64_t value)
{
	struct drm_xe_sync s = {
		.type = DRM_XE_SYNC_TYPE_USER_FENCE,
		.flags = DRM_XE_SYNC_FLAG_SIGNAL,
		.addr = addr,
		.timeline_value = value,
	};

	return s;
}

/* DRM syncobjs; timeouts are relative, in nanoseconds. */
uint32_t syncobj_create(int fd, uint32_t flags);
int syncobj_destroy(int fd, uint32_t handle);
int syncobj_wait(int fd, uint32_t *handles, uint32_t count, int64_t timeout_ns, uint32_t flags);
int syncobj_timeline_wait(int fd, uint32_t *handles, uint64_t *points, uint32_t count,
			  int64_t timeout_ns, uint32_t flags);
int syncobj_query(int fd, uint32_t handle, uint64_t *point);
int syncobj_fence_status(int fd, uint32_t handle);
int syncobj_signal(int fd, uint32_t *handles, uint32_t count);

/*
 * Accesses to memory the GPU reads or writes, done exactly once each time
 * they are called, at offset bytes from base.
 */
static inline uint32_t xe_rd32(const void *base, uint64_t offset)
{
	return __atomic_load_n((const uint32_t *)((const char *)base + offset), __ATOMIC_SEQ_CST);
}

static inline uint64_t xe_rd64(const void *base, uint64_t offset)
{
	return __atomic_load_n((const uint64_t *)((const char *)base + offset), __ATOMIC_SEQ_CST);
}

static inline void xe_wr32(void *base, uint64_t offset, uint32_t value)
{
	__atomic_store_n((uint32_t *)((char *)base + offset), value, __ATOMIC_SEQ_CST);
}

/* CLOCK_MONOTONIC in nanoseconds. */
int64_t xe_now_ns(void);

/* Page-aligned anonymous memory for userptr bindings; NULL on failure. */
void *xe_alloc_pages(size_t size);
void xe_free_pages(void *ptr, size_t size);

/*
 * A piece of memory the GPU and the CPU both reach: a buffer object and its
 * CPU mapping, or anonymous user memory.
 */
enum xe_buf_kind {
	XE_BUF_SYSMEM,
	XE_BUF_VRAM,
	XE_BUF_USERPTR,
};

struct xe_buf {
	enum xe_buf_kind kind;
	uint32_t handle;	/* 0 for user memory */
	void *ptr;		/* CPU address */
	uint64_t size;
	uint64_t addr;		/* GPU address of the last successful xe_buf_bind() */
};

const char *xe_buf_kind_name(enum xe_buf_kind kind);
int xe_buf_create(int fd, enum xe_buf_kind kind, uint64_t size, struct xe_buf *buf);
int xe_buf_bind(int fd, uint32_t vm, struct xe_buf *buf, uint64_t addr, uint32_t flags);
void xe_buf_destroy(int fd, struct xe_buf *buf);

/* Minor number of the device node fd was opened from, or -errno. */
int xe_device_minor(int fd);

/*
 * debugfs of the device fd was opened from: /sys/kernel/debug/dri/<minor>/,
 * whose name file must start with the driver's name. Values are decimal
 * numbers; a file may be gt0/stats, say. xe_gt_stat() reads one counter of
 * a GT's stats file, made of "name: value" lines.
 */
int xe_debugfs_path(int fd, const char *file, char *path, size_t len);
int xe_debugfs_read(int fd, const char *file, long long *value);
int xe_debugfs_write(int fd, const char *file, long long value);
int xe_gt_stat(int fd, unsigned int gt, const char *name, long long *value);

/*
 * A VM, an exec queue on one engine of it and a batch buffer bound in it:
 * what most tests running GPU work need. The batch buffer is system memory
 * of XE_CTX_BATCH_SIZE bytes bound in [XE_CTX_BATCH_ADDR, XE_CTX_BATCH_END),
 * GPU addresses tests keep clear of; its last page holds the user fence
 * xe_ctx_run() uses in long-running VMs.
 */
#define XE_CTX_BATCH_ADDR	0x10000000ull
#define XE_CTX_BATCH_END	0x20000000ull
#define XE_CTX_BATCH_SIZE	SZ_1M
#define XE_CTX_FENCE_OFFSET	(XE_CTX_BATCH_SIZE - SZ_4K)

struct xe_ctx {
	int fd;
	uint32_t vm;
	bool own_vm;		/* the VM was created by xe_ctx_init() */
	bool lr;		/* the VM is in LR mode: no syncobj out-syncs */
	uint32_t queue;
	struct xe_buf batch;
	uint64_t seqno;		/* last user fence value of xe_ctx_run() */
};

int xe_ctx_init(int fd, struct xe_ctx *ctx, uint32_t vm, uint32_t vm_flags,
		uint16_t engine_class, uint16_t engine_instance);
void xe_ctx_fini(struct xe_ctx *ctx);
uint32_t *xe_ctx_cs(struct xe_ctx *ctx, uint64_t offset);
uint64_t *xe_ctx_fence(struct xe_ctx *ctx);
int xe_ctx_run_at(struct xe_ctx *ctx, uint64_t offset, int64_t timeout_ns);
int xe_ctx_run(struct xe_ctx *ctx);
int xe_ctx_store(struct xe_ctx *ctx, const uint64_t *addrs, const uint32_t *values,
		 unsigned int count);

/*
 * GPU commands. The length field (bits 7:0) of a command holds its dword
 * count minus two. Addresses are GPU virtual addresses of the queue's VM.
 */
#define MI_NOOP			0u
#define MI_BATCH_BUFFER_END	(0x0au << 23)
#define MI_STORE_DATA_IMM	(0x20u << 23)
#define   MI_GGTT		(1u << 22)
#define   MI_SDI_QW		(1u << 21)
#define MI_FLUSH_DW		(0x26u << 23)
#define   MI_FLUSH_DW_STORE	(1u << 14)
#define MI_ATOMIC		(0x2fu << 23)
#define   MI_ATOMIC_INLINE	(1u << 18)
#define   MI_ATOMIC_OP(op)	((uint32_t)(op) << 8)
#define   ATOMIC_INC		0x05
#define   ATOMIC_DEC		0x06
#define   ATOMIC_ADD		0x07
#define   ATOMIC_SUB		0x08
#define   ATOMIC_CMPXCHG	0x0e
#define XE_MEM_SET		((2u << 29) | (0x5bu << 22))
#define XE_MEM_COPY		((2u << 29) | (0x5au << 22))
#define XE_CMD_LEN(dwords)	((uint32_t)(dwords) - 2)

/* Each emitter writes one command at cs and returns the dword after it. */
uint32_t *xe_emit_store_dword(uint32_t *cs, uint64_t addr, uint32_t value);
uint32_t *xe_emit_store_qword(uint32_t *cs, uint64_t addr, uint64_t value);
uint32_t *xe_emit_atomic(uint32_t *cs, uint32_t op, uint64_t addr);
uint32_t *xe_emit_atomic_inline(uint32_t *cs, uint32_t op, uint64_t addr, uint32_t op0,
				uint32_t op1);
uint32_t *xe_emit_flush_dw_store(uint32_t *cs, uint64_t addr, uint32_t value);
uint32_t *xe_emit_mem_set(uint32_t *cs, uint64_t dst, uint32_t len, uint8_t value);
uint32_t *xe_emit_mem_copy(uint32_t *cs, uint64_t dst, uint64_t src, uint32_t len);
uint32_t *xe_emit_bb_end(uint32_t *cs);

#endif /* XE_IOCTL_H */
