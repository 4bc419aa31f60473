/* SPDX-License-Identifier: MIT */
/*
 * Userspace interface of the xe DRM driver.
 *
 * The numbers, layouts and names below form a binary contract with user
 * programs: once published they are never changed or reused, only added to.
 */

#ifndef _UAPI_XE_DRM_H_
#define _UAPI_XE_DRM_H_

#include "drm.h"

#if defined(__cplusplus)
extern "C" {
#endif

/*
 * How this file is laid out:
 *   1. ioctl numbers and request codes,
 *   2. the extension mechanism shared by all requests,
 *   3. the replies of DEVICE_QUERY, in the order of the query ids,
 *   4. the arguments of the remaining ioctls, in ioctl number order.
 */

/**
 * DOC: Xe uAPI Overview
 *
 * A client talks to an xe device by opening its primary node
 * (``/dev/dri/cardN``) or its render node (``/dev/dri/renderDN``) and
 * issuing the driver specific ioctls declared here, next to the generic
 * DRM ones (``DRM_IOCTL_VERSION``, ``DRM_IOCTL_GEM_CLOSE``, syncobjs, ...).
 * Every argument block is a fixed size structure built only from explicitly
 * sized fields, so that 32-bit and 64-bit processes share one layout, and
 * every block keeps reserved space for later growth. Reserved and padding
 * fields must be zero when handed to the kernel ("MBZ" below); the kernel
 * refuses the call with -EINVAL otherwise. That rule is what lets a field
 * be given a meaning later without confusing old programs.
 *
 * Request codes and argument layouts match the upstream Linux xe driver,
 * so programs built for it can be compiled against this header and run
 * unchanged on the part of the interface this driver provides.
 *
 * This driver services:
 *  - &DRM_IOCTL_XE_DEVICE_QUERY
 *  - &DRM_IOCTL_XE_GEM_CREATE
 *  - &DRM_IOCTL_XE_GEM_MMAP_OFFSET
 *  - &DRM_IOCTL_XE_VM_CREATE
 *  - &DRM_IOCTL_XE_VM_DESTROY
 *  - &DRM_IOCTL_XE_VM_BIND (binds complete before the call returns;
 *    the CHECK_PXP flag is refused; CPU_ADDR_MIRROR needs a fault-mode VM)
 *  - &DRM_IOCTL_XE_EXEC_QUEUE_CREATE
 *  - &DRM_IOCTL_XE_EXEC_QUEUE_DESTROY
 *  - &DRM_IOCTL_XE_EXEC_QUEUE_GET_PROPERTY
 *  - &DRM_IOCTL_XE_EXEC
 *  - &DRM_IOCTL_XE_WAIT_USER_FENCE
 *
 * Performance observation streams (OA) are not part of this interface.
 */

/*
 * Driver private ioctls are numbered relative to DRM_COMMAND_BASE; DRM
 * leaves 0x60 of them to each driver. The list has no gaps.
 */
#define DRM_XE_DEVICE_QUERY		0x00
#define DRM_XE_GEM_CREATE		0x01
#define DRM_XE_GEM_MMAP_OFFSET		0x02
#define DRM_XE_VM_CREATE		0x03
#define DRM_XE_VM_DESTROY		0x04
#define DRM_XE_VM_BIND			0x05
#define DRM_XE_EXEC_QUEUE_CREATE	0x06
#define DRM_XE_EXEC_QUEUE_DESTROY	0x07
#define DRM_XE_EXEC_QUEUE_GET_PROPERTY	0x08
#define DRM_XE_EXEC			0x09
#define DRM_XE_WAIT_USER_FENCE		0x0a

#define DRM_IOCTL_XE_DEVICE_QUERY \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_XE_DEVICE_QUERY, struct drm_xe_device_query)
#define DRM_IOCTL_XE_GEM_CREATE \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_XE_GEM_CREATE, struct drm_xe_gem_create)
#define DRM_IOCTL_XE_GEM_MMAP_OFFSET \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_XE_GEM_MMAP_OFFSET, struct drm_xe_gem_mmap_offset)
#define DRM_IOCTL_XE_VM_CREATE \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_XE_VM_CREATE, struct drm_xe_vm_create)
#define DRM_IOCTL_XE_VM_DESTROY \
	DRM_IOW(DRM_COMMAND_BASE + DRM_XE_VM_DESTROY, struct drm_xe_vm_destroy)
#define DRM_IOCTL_XE_VM_BIND \
	DRM_IOW(DRM_COMMAND_BASE + DRM_XE_VM_BIND, struct drm_xe_vm_bind)
#define DRM_IOCTL_XE_EXEC_QUEUE_CREATE \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_XE_EXEC_QUEUE_CREATE, struct drm_xe_exec_queue_create)
#define DRM_IOCTL_XE_EXEC_QUEUE_DESTROY \
	DRM_IOW(DRM_COMMAND_BASE + DRM_XE_EXEC_QUEUE_DESTROY, struct drm_xe_exec_queue_destroy)
#define DRM_IOCTL_XE_EXEC_QUEUE_GET_PROPERTY \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_XE_EXEC_QUEUE_GET_PROPERTY, \
		 struct drm_xe_exec_queue_get_property)
#define DRM_IOCTL_XE_EXEC \
	DRM_IOW(DRM_COMMAND_BASE + DRM_XE_EXEC, struct drm_xe_exec)
#define DRM_IOCTL_XE_WAIT_USER_FENCE \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_XE_WAIT_USER_FENCE, struct drm_xe_wait_user_fence)

/**
 * DOC: Xe IOCTL Extensions
 *
 * Nearly every argument block starts with a 64-bit ``extensions`` field.
 * Rather than growing a structure each time a request learns something
 * new, optional input is passed as a singly linked list of extension
 * records living in the caller's memory. ``extensions`` holds the address
 * of the first record (or zero for none), and each record begins with a
 * struct drm_xe_user_extension that names its own kind and points at the
 * next one. The kernel walks the list and handles the records one after
 * the other; a record of a kind the request does not know makes the whole
 * call fail with -EINVAL.
 *
 * The kinds understood are defined by each request separately, so the same
 * number can mean different things for two different ioctls. This driver
 * does not accept any extension yet; a non-zero ``extensions`` field is
 * rejected with -EINVAL everywhere.
 *
 * Building a list of two records:
 *
 * .. code-block:: C
 *
 *	struct drm_xe_ext_set_property second = {
 *		.base.next_extension = 0,
 *		.base.name = SOME_EXTENSION,
 *		.property = SOME_OTHER_PROPERTY,
 *		.value = 2,
 *	};
 *	struct drm_xe_ext_set_property first = {
 *		.base.next_extension = (uintptr_t)&second,
 *		.base.name = SOME_EXTENSION,
 *		.property = SOME_PROPERTY,
 *		.value = 1,
 *	};
 *
 *	args.extensions = (uintptr_t)&first;
 */

/**
 * struct drm_xe_user_extension - header common to all extension records
 *
 * Placed at the very start of every extension record, it tells the kernel
 * what the record is and where the list continues.
 */
struct drm_xe_user_extension {
	/**
	 * @next_extension: User address of the following record, zero on
	 * the last one.
	 */
	__u64 next_extension;

	/**
	 * @name: Kind of the record, as a number whose meaning is private
	 * to the ioctl (or sub-structure) the list is attached to.
	 */
	__u32 name;

	/** @pad: Padding, MBZ. */
	__u32 pad;
};

/**
 * struct drm_xe_ext_set_property - extension record assigning one property
 *
 * A general purpose record: it sets the property numbered @property of the
 * object being created or changed to @value. Which properties exist
 * depends on the ioctl receiving the record.
 */
struct drm_xe_ext_set_property {
	/** @base: Common extension header. */
	struct drm_xe_user_extension base;

	/** @property: Number of the property to set. */
	__u32 property;

	/** @pad: Padding, MBZ. */
	__u32 pad;

	/** @value: New value of the property. */
	__u64 value;

	/** @reserved: Reserved for future use, MBZ. */
	__u64 reserved[2];
};

/**
 * struct drm_xe_engine_class_instance - names one engine of the device
 *
 * An engine is identified by its class, its index within that class and
 * the GT it belongs to. The engines query reports engines this way, and
 * exec queue creation takes the same triple to choose where work runs.
 *
 * Values of @engine_class:
 *  - %DRM_XE_ENGINE_CLASS_RENDER - 3D and general purpose engine
 *  - %DRM_XE_ENGINE_CLASS_COPY - blitter, moves and fills memory
 *  - %DRM_XE_ENGINE_CLASS_VIDEO_DECODE - media decode engine
 *  - %DRM_XE_ENGINE_CLASS_VIDEO_ENHANCE - media post-processing engine
 *  - %DRM_XE_ENGINE_CLASS_COMPUTE - compute-only engine
 *  - %DRM_XE_ENGINE_CLASS_VM_BIND - no hardware behind it; used only to
 *    create queues that order page table updates (VM binds) and never
 *    reported by the engines query
 */
struct drm_xe_engine_class_instance {
#define DRM_XE_ENGINE_CLASS_RENDER		0
#define DRM_XE_ENGINE_CLASS_COPY		1
#define DRM_XE_ENGINE_CLASS_VIDEO_DECODE	2
#define DRM_XE_ENGINE_CLASS_VIDEO_ENHANCE	3
#define DRM_XE_ENGINE_CLASS_COMPUTE		4
#define DRM_XE_ENGINE_CLASS_VM_BIND		5
	/** @engine_class: One of the DRM_XE_ENGINE_CLASS_* values. */
	__u16 engine_class;
	/** @engine_instance: Index of the engine inside its class. */
	__u16 engine_instance;
	/** @gt_id: Id of the GT holding the engine, see struct drm_xe_gt. */
	__u16 gt_id;
	/** @pad: Padding, MBZ. */
	__u16 pad;
};

/**
 * struct drm_xe_engine - one entry of the engines query
 */
struct drm_xe_engine {
	/** @instance: Which engine this entry describes. */
	struct drm_xe_engine_class_instance instance;

	/** @reserved: Reserved for future use, returned as zero. */
	__u64 reserved[3];
};

/**
 * struct drm_xe_query_engines - reply of %DRM_XE_DEVICE_QUERY_ENGINES
 *
 * Lists every hardware engine user work can be submitted to. Each
 * (class, instance, GT) triple occurs only once.
 */
struct drm_xe_query_engines {
	/** @num_engines: Number of entries in @engines. */
	__u32 num_engines;
	/** @pad: Padding, returned as zero. */
	__u32 pad;
	/** @engines: The engine entries. */
	struct drm_xe_engine engines[];
};

/**
 * enum drm_xe_memory_class - kinds of memory a buffer object can live in
 */
enum drm_xe_memory_class {
	/**
	 * @DRM_XE_MEM_REGION_CLASS_SYSMEM: Ordinary RAM of the host, reached
	 * by the device over its bus.
	 */
	DRM_XE_MEM_REGION_CLASS_SYSMEM = 0,
	/**
	 * @DRM_XE_MEM_REGION_CLASS_VRAM: Memory attached to the device itself
	 * (video memory), only present on discrete devices.
	 */
	DRM_XE_MEM_REGION_CLASS_VRAM
};

/**
 * struct drm_xe_mem_region - describes one memory region of the device
 *
 * Sizes are in bytes.
 */
struct drm_xe_mem_region {
	/**
	 * @mem_class: Kind of memory, a value of enum drm_xe_memory_class.
	 */
	__u16 mem_class;
	/**
	 * @instance: Number of the region. Bit @instance of a placement mask
	 * (see &drm_xe_gem_create.placement) selects this region. Callers
	 * must look the number up here instead of assuming an order.
	 */
	__u16 instance;
	/**
	 * @min_page_size: Granularity of allocations in this region. Buffer
	 * objects that may be placed here need a size that is a multiple of
	 * it, and GPU mappings of such objects need addresses and lengths
	 * that are multiples of it; requests breaking this fail with
	 * -EINVAL.
	 */
	__u32 min_page_size;
	/**
	 * @total_size: Capacity of the region available to buffer objects.
	 */
	__u64 total_size;
	/**
	 * @used: Amount of the region currently taken by buffer objects.
	 * Only filled in for callers holding CAP_PERFMON or CAP_SYS_ADMIN;
	 * everybody else reads zero.
	 */
	__u64 used;
	/**
	 * @cpu_visible_size: Part of the region the CPU can reach through
	 * a mapping, never more than @total_size. When the whole of VRAM is
	 * visible it equals @total_size. Only meaningful for VRAM regions;
	 * zero for system memory.
	 */
	__u64 cpu_visible_size;
	/**
	 * @cpu_visible_used: Amount of the CPU visible part currently taken.
	 * Like @used it is only reported to CAP_PERFMON or CAP_SYS_ADMIN
	 * holders, and like @cpu_visible_size only for VRAM regions; zero
	 * otherwise.
	 */
	__u64 cpu_visible_used;
	/** @reserved: Reserved for future use, returned as zero. */
	__u64 reserved[6];
};

/**
 * struct drm_xe_query_mem_regions - reply of %DRM_XE_DEVICE_QUERY_MEM_REGIONS
 */
struct drm_xe_query_mem_regions {
	/** @num_mem_regions: Number of entries in @mem_regions. */
	__u32 num_mem_regions;
	/** @pad: Padding, returned as zero. */
	__u32 pad;
	/** @mem_regions: One entry per memory region. */
	struct drm_xe_mem_region mem_regions[];
};

/**
 * struct drm_xe_query_config - reply of %DRM_XE_DEVICE_QUERY_CONFIG
 *
 * A table of 64-bit values describing the device as a whole. The meaning
 * of each slot of @info is given by its index:
 *
 *  - %DRM_XE_QUERY_CONFIG_REV_AND_DEVICE_ID - PCI device id in bits 0-15,
 *    hardware revision in bits 16-23
 *  - %DRM_XE_QUERY_CONFIG_FLAGS - a bit set made of:
 *
 *    - %DRM_XE_QUERY_CONFIG_FLAG_HAS_VRAM - the device has VRAM
 *      that buffer objects can be placed in
 *    - %DRM_XE_QUERY_CONFIG_FLAG_HAS_LOW_LATENCY - exec queues may be
 *      created with %DRM_XE_EXEC_QUEUE_LOW_LATENCY_HINT
 *    - %DRM_XE_QUERY_CONFIG_FLAG_HAS_CPU_ADDR_MIRROR - VM binds with
 *      %DRM_XE_VM_BIND_FLAG_CPU_ADDR_MIRROR are supported
 *  - %DRM_XE_QUERY_CONFIG_MIN_ALIGNMENT - smallest alignment, in bytes,
 *    that GPU virtual addresses and buffer sizes must respect
 *  - %DRM_XE_QUERY_CONFIG_VA_BITS - width in bits of GPU virtual addresses
 *  - %DRM_XE_QUERY_CONFIG_MAX_EXEC_QUEUE_PRIORITY - highest exec queue
 *    priority the calling process is allowed to request
 *
 * Newer kernels may append slots; @num_params says how many are present.
 */
struct drm_xe_query_config {
	/** @num_params: Number of valid slots in @info. */
	__u32 num_params;

	/** @pad: Padding, returned as zero. */
	__u32 pad;

#define DRM_XE_QUERY_CONFIG_REV_AND_DEVICE_ID		0
#define DRM_XE_QUERY_CONFIG_FLAGS			1
#define DRM_XE_QUERY_CONFIG_FLAG_HAS_VRAM		(1 << 0)
#define DRM_XE_QUERY_CONFIG_FLAG_HAS_LOW_LATENCY	(1 << 1)
#define DRM_XE_QUERY_CONFIG_FLAG_HAS_CPU_ADDR_MIRROR	(1 << 2)
#define DRM_XE_QUERY_CONFIG_MIN_ALIGNMENT		2
#define DRM_XE_QUERY_CONFIG_VA_BITS			3
#define DRM_XE_QUERY_CONFIG_MAX_EXEC_QUEUE_PRIORITY	4
	/** @info: The values, indexed by the DRM_XE_QUERY_CONFIG_* numbers. */
	__u64 info[];
};

/**
 * struct drm_xe_gt - describes one GT
 *
 * A GT ("graphics technology") is the block of a device that holds
 * engines together with the caches and clocks they share. Devices have a
 * main GT and may have a separate media GT.
 *
 * Values of @type:
 *  - %DRM_XE_QUERY_GT_TYPE_MAIN - render, copy and compute engines
 *  - %DRM_XE_QUERY_GT_TYPE_MEDIA - video engines only
 */
struct drm_xe_gt {
#define DRM_XE_QUERY_GT_TYPE_MAIN		0
#define DRM_XE_QUERY_GT_TYPE_MEDIA		1
	/** @type: One of the DRM_XE_QUERY_GT_TYPE_* values. */
	__u16 type;
	/** @tile_id: Tile the GT sits on; informational. */
	__u16 tile_id;
	/**
	 * @gt_id: Id of the GT, unique within the device; it is what
	 * &drm_xe_engine_class_instance.gt_id refers to.
	 */
	__u16 gt_id;
	/** @pad: Padding, returned as zero. */
	__u16 pad[3];
	/**
	 * @reference_clock: Frequency, in Hz, of the clock the GT's
	 * timestamps count.
	 */
	__u32 reference_clock;
	/**
	 * @near_mem_regions: Placement style mask (bit N stands for the
	 * region with &drm_xe_mem_region.instance N) of the regions the
	 * engines of this GT reach fastest.
	 */
	__u64 near_mem_regions;
	/**
	 * @far_mem_regions: Mask of the same form holding the regions the
	 * engines of this GT can reach only through extra hops, such as
	 * system memory seen from a discrete device or the VRAM of another
	 * tile.
	 */
	__u64 far_mem_regions;
	/** @ip_ver_major: Major version of the GT's graphics or media IP. */
	__u16 ip_ver_major;
	/** @ip_ver_minor: Minor version of the GT's graphics or media IP. */
	__u16 ip_ver_minor;
	/** @ip_ver_rev: Revision (stepping) of the GT's graphics or media IP. */
	__u16 ip_ver_rev;
	/** @pad2: Padding, returned as zero. */
	__u16 pad2;
	/** @reserved: Reserved for future use, returned as zero. */
	__u64 reserved[7];
};

/**
 * struct drm_xe_query_gt_list - reply of %DRM_XE_DEVICE_QUERY_GT_LIST
 */
struct drm_xe_query_gt_list {
	/** @num_gt: Number of entries in @gt_list. */
	__u32 num_gt;
	/** @pad: Padding, returned as zero. */
	__u32 pad;
	/** @gt_list: One entry per GT. */
	struct drm_xe_gt gt_list[];
};

/**
 * struct drm_xe_query_topology_mask - one record of the topology reply
 *
 * The reply of %DRM_XE_DEVICE_QUERY_GT_TOPOLOGY is a sequence of these
 * records, packed one after the other; each covers one GT and one kind of
 * unit and is followed directly by its @num_bytes mask bytes. A set bit
 * means the corresponding unit is present and enabled; byte 0 holds units
 * 0 to 7.
 *
 * Values of @type:
 *  - %DRM_XE_TOPO_DSS_GEOMETRY - dual sub-slices usable for 3D work
 *  - %DRM_XE_TOPO_DSS_COMPUTE - dual sub-slices usable for compute work
 *  - %DRM_XE_TOPO_L3_BANK - enabled L3 cache banks; absent when the
 *    kernel cannot find them out
 *  - %DRM_XE_TOPO_EU_PER_DSS - SIMD8 execution units inside each dual
 *    sub-slice; absent on hardware without SIMD8 units
 *  - %DRM_XE_TOPO_SIMD16_EU_PER_DSS - SIMD16 execution units inside each
 *    dual sub-slice; absent on hardware without SIMD16 units
 */
struct drm_xe_query_topology_mask {
	/** @gt_id: GT the record describes. */
	__u16 gt_id;

#define DRM_XE_TOPO_DSS_GEOMETRY	1
#define DRM_XE_TOPO_DSS_COMPUTE		2
#define DRM_XE_TOPO_L3_BANK		3
#define DRM_XE_TOPO_EU_PER_DSS		4
#define DRM_XE_TOPO_SIMD16_EU_PER_DSS	5
	/** @type: Kind of unit, one of the DRM_XE_TOPO_* values. */
	__u16 type;

	/** @num_bytes: Length of @mask in bytes. */
	__u32 num_bytes;

	/** @mask: Presence bits, least significant byte first. */
	__u8 mask[];
};

/**
 * struct drm_xe_query_engine_cycles - GPU and CPU clocks sampled together
 *
 * Used with %DRM_XE_DEVICE_QUERY_ENGINE_CYCLES. Unlike the other queries,
 * the caller fills in part of the structure (@eci and @clockid) before the
 * call, and the kernel completes it. Together with
 * &drm_xe_gt.reference_clock the result lets userspace translate engine
 * timestamps into CPU time. -EINVAL for an engine the device does not
 * have or an unsupported clock.
 */
struct drm_xe_query_engine_cycles {
	/** @eci: Input: engine whose timestamp counter is sampled. */
	struct drm_xe_engine_class_instance eci;

	/**
	 * @clockid: Input: CPU clock to sample, as for clock_gettime(); one
	 * of CLOCK_MONOTONIC, CLOCK_MONOTONIC_RAW, CLOCK_REALTIME,
	 * CLOCK_BOOTTIME or CLOCK_TAI.
	 */
	__s32 clockid;

	/** @width: Output: number of valid bits in @engine_cycles. */
	__u32 width;

	/** @engine_cycles: Output: value of the engine timestamp counter. */
	__u64 engine_cycles;

	/**
	 * @cpu_timestamp: Output: the chosen CPU clock in nanoseconds, read
	 * just before the engine counter.
	 */
	__u64 cpu_timestamp;

	/**
	 * @cpu_delta: Output: nanoseconds that elapsed while the engine
	 * counter was being read, bounding the error of the pair.
	 */
	__u64 cpu_delta;
};

/**
 * struct drm_xe_query_uc_fw_version - version of a micro-controller firmware
 *
 * Used with %DRM_XE_DEVICE_QUERY_UC_FW_VERSION: the caller picks the
 * firmware in @uc_type, the kernel fills in the version numbers.
 */
struct drm_xe_query_uc_fw_version {
	/** @uc_type: Input: which firmware, an XE_QUERY_UC_TYPE_* value. */
#define XE_QUERY_UC_TYPE_GUC_SUBMISSION 0
#define XE_QUERY_UC_TYPE_HUC 1
	__u16 uc_type;

	/** @pad: Padding, MBZ. */
	__u16 pad;

	/** @branch_ver: Branch number of the firmware version. */
	__u32 branch_ver;
	/** @major_ver: Major number of the firmware version. */
	__u32 major_ver;
	/** @minor_ver: Minor number of the firmware version. */
	__u32 minor_ver;
	/** @patch_ver: Patch number of the firmware version. */
	__u32 patch_ver;

	/** @pad2: Padding, MBZ. */
	__u32 pad2;

	/** @reserved: Reserved for future use, MBZ. */
	__u64 reserved;
};

/**
 * struct drm_xe_oa_unit - one performance observation (OA) unit
 *
 * Layout of the records of struct drm_xe_query_oa_units. Each record is
 * followed directly by the next one, so a record takes
 * sizeof(struct drm_xe_oa_unit) + @num_engines * sizeof(@eci[0]) bytes.
 */
struct drm_xe_oa_unit {
	/** @extensions: Extension list, none defined; returned as zero. */
	__u64 extensions;

	/** @oa_unit_id: Id of the unit, used to open a stream on it. */
	__u32 oa_unit_id;

	/** @oa_unit_type: Kind of unit (render/compute or media). */
	__u32 oa_unit_type;

	/** @capabilities: Bit set of the stream features the unit offers. */
	__u64 capabilities;

	/** @oa_timestamp_freq: Frequency of the unit's timestamps, in Hz. */
	__u64 oa_timestamp_freq;

	/** @reserved: Reserved for future use, returned as zero. */
	__u64 reserved[4];

	/** @num_engines: Number of entries of @eci. */
	__u64 num_engines;

	/** @eci: The engines whose work the unit observes. */
	struct drm_xe_engine_class_instance eci[];
};

/**
 * struct drm_xe_query_oa_units - reply of %DRM_XE_DEVICE_QUERY_OA_UNITS
 *
 * A header followed by @num_oa_units records of struct drm_xe_oa_unit,
 * which vary in length. The virtual device has no OA unit: its reply is
 * the header alone, with @num_oa_units zero.
 */
struct drm_xe_query_oa_units {
	/** @extensions: Extension list, none defined; returned as zero. */
	__u64 extensions;

	/** @num_oa_units: Number of records that follow. */
	__u32 num_oa_units;

	/** @pad: Padding, returned as zero. */
	__u32 pad;

	/**
	 * @oa_units: The records, struct drm_xe_oa_unit each; declared as
	 * 64-bit words because they have a flexible array of their own.
	 */
	__u64 oa_units[];
};

/**
 * struct drm_xe_device_query - argument of &DRM_IOCTL_XE_DEVICE_QUERY
 *
 * Asks the driver for one piece of information about the device, chosen
 * by @query, to be written into a caller supplied buffer at @data. The
 * reply layouts are the struct drm_xe_query_* types above.
 *
 * Because replies vary in length, a query is normally done in two calls.
 * The first passes @size = 0: nothing is written to @data and the kernel
 * stores the length the reply needs in @size. The second passes a buffer
 * of exactly that length. Any other non-zero @size makes the call fail
 * with -EINVAL; a @data address that cannot be written yields -EFAULT.
 *
 * Values of @query, and whether this driver answers them:
 *  - %DRM_XE_DEVICE_QUERY_ENGINES - struct drm_xe_query_engines
 *  - %DRM_XE_DEVICE_QUERY_MEM_REGIONS - struct drm_xe_query_mem_regions
 *  - %DRM_XE_DEVICE_QUERY_CONFIG - struct drm_xe_query_config
 *  - %DRM_XE_DEVICE_QUERY_GT_LIST - struct drm_xe_query_gt_list
 *  - %DRM_XE_DEVICE_QUERY_HWCONFIG - opaque table of hardware attributes
 *    stored as key/length/value words, as handed out by the firmware;
 *    empty (length 0) on this device
 *  - %DRM_XE_DEVICE_QUERY_GT_TOPOLOGY - records of struct
 *    drm_xe_query_topology_mask
 *  - %DRM_XE_DEVICE_QUERY_ENGINE_CYCLES - struct
 *    drm_xe_query_engine_cycles
 *  - %DRM_XE_DEVICE_QUERY_UC_FW_VERSION - struct
 *    drm_xe_query_uc_fw_version; -ENODEV for a firmware the device
 *    does not run (the HuC: there are no media engines)
 *  - %DRM_XE_DEVICE_QUERY_OA_UNITS - struct drm_xe_query_oa_units;
 *    always empty, the device has no OA unit
 *  - %DRM_XE_DEVICE_QUERY_PXP_STATUS - protected content status; not
 *    answered
 *  - %DRM_XE_DEVICE_QUERY_EU_STALL - EU stall sampling properties; not
 *    answered
 *
 * Queries that are not answered fail with -EINVAL, like unknown ones.
 *
 * Reading the memory region list:
 *
 * .. code-block:: C
 *
 *	struct drm_xe_device_query q = {
 *		.query = DRM_XE_DEVICE_QUERY_MEM_REGIONS,
 *	};
 *	struct drm_xe_query_mem_regions *regions;
 *
 *	if (ioctl(fd, DRM_IOCTL_XE_DEVICE_QUERY, &q))
 *		return -errno;
 *	regions = calloc(1, q.size);
 *	q.data = (uintptr_t)regions;
 *	if (ioctl(fd, DRM_IOCTL_XE_DEVICE_QUERY, &q))
 *		return -errno;
 *	for (unsigned int i = 0; i < regions->num_mem_regions; i++)
 *		printf("region %u: %llu bytes\n",
 *		       regions->mem_regions[i].instance,
 *		       regions->mem_regions[i].total_size);
 */
struct drm_xe_device_query {
	/** @extensions: Extension list, see struct drm_xe_user_extension. */
	__u64 extensions;

#define DRM_XE_DEVICE_QUERY_ENGINES		0
#define DRM_XE_DEVICE_QUERY_MEM_REGIONS		1
#define DRM_XE_DEVICE_QUERY_CONFIG		2
#define DRM_XE_DEVICE_QUERY_GT_LIST		3
#define DRM_XE_DEVICE_QUERY_HWCONFIG		4
#define DRM_XE_DEVICE_QUERY_GT_TOPOLOGY		5
#define DRM_XE_DEVICE_QUERY_ENGINE_CYCLES	6
#define DRM_XE_DEVICE_QUERY_UC_FW_VERSION	7
#define DRM_XE_DEVICE_QUERY_OA_UNITS		8
#define DRM_XE_DEVICE_QUERY_PXP_STATUS		9
#define DRM_XE_DEVICE_QUERY_EU_STALL		10
	/** @query: What to return, one of the DRM_XE_DEVICE_QUERY_* values. */
	__u32 query;

	/**
	 * @size: Length in bytes of the buffer at @data; zero to ask for
	 * the length of the reply, which the kernel then stores here.
	 */
	__u32 size;

	/** @data: User address of the buffer receiving the reply. */
	__u64 data;

	/** @reserved: Reserved for future use, MBZ. */
	__u64 reserved[2];
};

/**
 * struct drm_xe_gem_create - argument of &DRM_IOCTL_XE_GEM_CREATE
 *
 * Allocates a buffer object (BO) and returns a GEM handle to it, private
 * to the file descriptor it was created on. The handle is dropped with
 * the generic ``DRM_IOCTL_GEM_CLOSE``; the memory goes away once no handle
 * and no CPU mapping refers to it any more.
 *
 * @placement is a bit mask of memory region instances (see
 * &drm_xe_mem_region.instance) the object may be stored in. The kernel
 * picks among them and may move the object between them, for instance
 * pushing an idle object out of full VRAM into system memory; the
 * contents survive such moves.
 *
 * Bits of @flags:
 *  - %DRM_XE_GEM_CREATE_FLAG_DEFER_BACKING - do not allocate memory
 *    until the object is first used
 *  - %DRM_XE_GEM_CREATE_FLAG_SCANOUT - the object may be shown by the
 *    display engine; incompatible with %DRM_XE_GEM_CPU_CACHING_WB
 *  - %DRM_XE_GEM_CREATE_FLAG_NEEDS_VISIBLE_VRAM - whenever the object is
 *    in VRAM, keep it in the part the CPU can map (which matters when
 *    only a window of VRAM is CPU visible). Requires a VRAM region in
 *    @placement. Listing system memory in @placement as well lets the
 *    kernel fall back to it when the visible part is full.
 *
 * Values of @cpu_caching, the caching used by CPU mappings of the object:
 *  - %DRM_XE_GEM_CPU_CACHING_WB - write-back, i.e. cached. Only allowed
 *    for objects that can never be in VRAM.
 *  - %DRM_XE_GEM_CPU_CACHING_WC - write-combined, i.e. uncached with
 *    buffered writes. Required for objects that may be in VRAM and
 *    recommended for scanout.
 *
 * Errors: -EINVAL for a malformed request (non-zero reserved fields, an
 * unknown flag, an empty or unknown placement, a size of zero or not a
 * multiple of the regions' &drm_xe_mem_region.min_page_size, a bad caching
 * mode or combination), -ENOSPC when the object cannot fit in any region
 * it is allowed in, -ENOENT for an unknown @vm_id.
 */
struct drm_xe_gem_create {
	/** @extensions: Extension list, see struct drm_xe_user_extension. */
	__u64 extensions;

	/**
	 * @size: Size of the object in bytes; a non-zero multiple of the
	 * minimum page size of every region in @placement.
	 */
	__u64 size;

	/**
	 * @placement: Mask of the region instances the object may live in;
	 * bit N selects the region whose instance is N.
	 */
	__u32 placement;

#define DRM_XE_GEM_CREATE_FLAG_DEFER_BACKING		(1 << 0)
#define DRM_XE_GEM_CREATE_FLAG_SCANOUT			(1 << 1)
#define DRM_XE_GEM_CREATE_FLAG_NEEDS_VISIBLE_VRAM	(1 << 2)
	/** @flags: Bit set of DRM_XE_GEM_CREATE_FLAG_* values. */
	__u32 flags;

	/**
	 * @vm_id: Zero for an object that can be shared, or the id of the VM
	 * the object is private to. A private object can only be bound into
	 * that VM and cannot be exported as a dma-buf.
	 */
	__u32 vm_id;

	/**
	 * @handle: Output: the new GEM handle, never zero. Must be zero on
	 * input.
	 */
	__u32 handle;

#define DRM_XE_GEM_CPU_CACHING_WB	1
#define DRM_XE_GEM_CPU_CACHING_WC	2
	/**
	 * @cpu_caching: CPU caching mode of the object, a
	 * DRM_XE_GEM_CPU_CACHING_* value. Mappings of the object made with
	 * mmap() use it. On discrete devices, while the object sits in
	 * system memory, the kernel may map it write-back regardless, as the
	 * device snoops CPU caches there; userspace does not see a
	 * difference apart from speed.
	 */
	__u16 cpu_caching;
	/** @pad: Padding, MBZ. */
	__u16 pad[3];

	/** @reserved: Reserved for future use, MBZ. */
	__u64 reserved[2];
};

/**
 * struct drm_xe_gem_mmap_offset - argument of &DRM_IOCTL_XE_GEM_MMAP_OFFSET
 *
 * Buffer objects are mapped into a process by calling mmap() on the DRM
 * file descriptor with a special offset identifying the object. This
 * ioctl returns that offset. The mapping must be shared (MAP_SHARED) and
 * may not extend past the end of the object. It keeps the object alive
 * even after its handle has been closed, until it is unmapped.
 *
 * Errors: -EINVAL for non-zero @flags or reserved fields, -ENOENT when
 * @handle does not name an object of this file descriptor.
 */
struct drm_xe_gem_mmap_offset {
	/** @extensions: Extension list, see struct drm_xe_user_extension. */
	__u64 extensions;

	/** @handle: GEM handle of the object to map. */
	__u32 handle;

	/** @flags: No flags are defined yet, MBZ. */
	__u32 flags;

	/**
	 * @offset: Output: value to pass as the offset argument of mmap();
	 * a multiple of the page size.
	 */
	__u64 offset;

	/** @reserved: Reserved for future use, MBZ. */
	__u64 reserved[2];
};

/**
 * struct drm_xe_vm_create - argument of &DRM_IOCTL_XE_VM_CREATE
 *
 * Creates a GPU virtual address space (VM). Buffer objects and user memory
 * are made visible to the GPU by binding them at addresses of a VM, and
 * every exec queue runs inside one VM.
 *
 * Bits of @flags:
 *  - %DRM_XE_VM_CREATE_FLAG_SCRATCH_PAGE - GPU accesses to addresses with
 *    nothing bound land on a dummy page instead of faulting
 *  - %DRM_XE_VM_CREATE_FLAG_LR_MODE - long running mode: jobs on queues
 *    of this VM may run without a time limit. Since such jobs might never
 *    finish, their completion cannot be reported through dma-fence based
 *    objects: a sync with %DRM_XE_SYNC_FLAG_SIGNAL set must then be a
 *    %DRM_XE_SYNC_TYPE_USER_FENCE.
 *  - %DRM_XE_VM_CREATE_FLAG_FAULT_MODE - only together with LR_MODE:
 *    the GPU takes recoverable page faults, so memory can be populated on
 *    first access and a VM may bind more memory than is resident. The
 *    device has to support it.
 */
struct drm_xe_vm_create {
	/** @extensions: Extension list, see struct drm_xe_user_extension. */
	__u64 extensions;

#define DRM_XE_VM_CREATE_FLAG_SCRATCH_PAGE	(1 << 0)
#define DRM_XE_VM_CREATE_FLAG_LR_MODE		(1 << 1)
#define DRM_XE_VM_CREATE_FLAG_FAULT_MODE	(1 << 2)
	/** @flags: Bit set of DRM_XE_VM_CREATE_FLAG_* values. */
	__u32 flags;

	/** @vm_id: Output: id of the new VM. */
	__u32 vm_id;

	/** @reserved: Reserved for future use, MBZ. */
	__u64 reserved[2];
};

/**
 * struct drm_xe_vm_destroy - argument of &DRM_IOCTL_XE_VM_DESTROY
 *
 * Drops the VM named @vm_id. Its bindings disappear with it.
 */
struct drm_xe_vm_destroy {
	/** @vm_id: Id of the VM to destroy. */
	__u32 vm_id;

	/** @pad: Padding, MBZ. */
	__u32 pad;

	/** @reserved: Reserved for future use, MBZ. */
	__u64 reserved[2];
};

/**
 * struct drm_xe_vm_bind_op - one change to the contents of a VM
 *
 * Values of @op:
 *  - %DRM_XE_VM_BIND_OP_MAP - map @range bytes of buffer object @obj,
 *    starting @obj_offset bytes into it, at GPU address @addr
 *  - %DRM_XE_VM_BIND_OP_UNMAP - remove whatever is mapped in
 *    [@addr, @addr + @range)
 *  - %DRM_XE_VM_BIND_OP_MAP_USERPTR - map @range bytes of the calling
 *    process's memory, starting at CPU address @userptr, at @addr
 *  - %DRM_XE_VM_BIND_OP_UNMAP_ALL - remove every mapping of @obj
 *  - %DRM_XE_VM_BIND_OP_PREFETCH - move the buffer objects mapped in
 *    [@addr, @addr + @range) into region @prefetch_mem_region_instance
 *    and fill in the page tables of every mapping there, as if the GPU
 *    had touched it all. Mappings that only overlap the range are
 *    prefetched whole; user memory stays where it is and is only mapped.
 *    @obj, @obj_offset and every flag but
 *    %DRM_XE_VM_BIND_FLAG_IMMEDIATE must be zero; a region the device
 *    lacks, or one a buffer object in the range was not created for,
 *    gives -EINVAL.
 *
 * Bits of @flags:
 *  - %DRM_XE_VM_BIND_FLAG_READONLY - the GPU may only read the mapping
 *  - %DRM_XE_VM_BIND_FLAG_IMMEDIATE - in a fault mode VM, fill in the
 *    page tables right away rather than on first access; always the case
 *    in other VMs
 *  - %DRM_XE_VM_BIND_FLAG_NULL - map nothing: reads return zero and
 *    writes are discarded (sparse resources). Use with
 *    %DRM_XE_VM_BIND_OP_MAP and zero @obj and @obj_offset.
 *  - %DRM_XE_VM_BIND_FLAG_DUMPABLE - include the mapping in device error
 *    dumps
 *  - %DRM_XE_VM_BIND_FLAG_CHECK_PXP - refuse the bind if @obj holds
 *    protected content whose key is no longer valid
 *  - %DRM_XE_VM_BIND_FLAG_CPU_ADDR_MIRROR - make the range follow the
 *    process's CPU address space: the GPU sees at @addr the memory that
 *    the CPU sees at @addr + @cpu_addr_mirror_offset. Use with
 *    %DRM_XE_VM_BIND_OP_MAP, zero @obj and zero offset, in a VM created
 *    with %DRM_XE_VM_CREATE_FLAG_FAULT_MODE; the GPU faults the memory in
 *    as it touches it, and nothing is pinned. Unmapping part of a mirror
 *    fails with -EBUSY while the GPU still maps memory there. Only
 *    available when the config query reports
 *    %DRM_XE_QUERY_CONFIG_FLAG_HAS_CPU_ADDR_MIRROR.
 */
struct drm_xe_vm_bind_op {
	/** @extensions: Extension list, see struct drm_xe_user_extension. */
	__u64 extensions;

	/**
	 * @obj: GEM handle of the buffer object; MBZ for MAP_USERPTR, UNMAP
	 * and NULL or CPU address mirror bindings.
	 */
	__u32 obj;

	/**
	 * @pat_index: Entry of the device's page attribute table to put in
	 * the page table entries of the mapping. The table is defined by the
	 * hardware; an entry selects GPU caching, coherency with CPU caches
	 * and compression for the mapping. Objects created with
	 * %DRM_XE_GEM_CPU_CACHING_WB, user memory and imported dma-bufs need
	 * an entry that is at least one-way coherent; the kernel refuses
	 * entries that do not fit. For NULL and CPU address mirror bindings
	 * no memory is mapped and any entry, zero included, is accepted.
	 */
	__u16 pat_index;

	/** @pad: Padding, MBZ. */
	__u16 pad;

	union {
		/**
		 * @obj_offset: Byte offset into @obj where the mapping
		 * starts; not used by UNMAP.
		 */
		__u64 obj_offset;

		/** @userptr: CPU address of the memory to map (MAP_USERPTR). */
		__u64 userptr;

		/**
		 * @cpu_addr_mirror_offset: With
		 * %DRM_XE_VM_BIND_FLAG_CPU_ADDR_MIRROR, distance between the
		 * GPU address @addr and the CPU address it mirrors. Only 0
		 * (identical addresses) is accepted so far.
		 */
		__s64 cpu_addr_mirror_offset;
	};

	/** @range: Length of the range in bytes; MBZ for UNMAP_ALL. */
	__u64 range;

	/** @addr: GPU virtual address of the range; MBZ for UNMAP_ALL. */
	__u64 addr;

#define DRM_XE_VM_BIND_OP_MAP		0x0
#define DRM_XE_VM_BIND_OP_UNMAP		0x1
#define DRM_XE_VM_BIND_OP_MAP_USERPTR	0x2
#define DRM_XE_VM_BIND_OP_UNMAP_ALL	0x3
#define DRM_XE_VM_BIND_OP_PREFETCH	0x4
	/** @op: Operation, one of the DRM_XE_VM_BIND_OP_* values. */
	__u32 op;

#define DRM_XE_VM_BIND_FLAG_READONLY		(1 << 0)
#define DRM_XE_VM_BIND_FLAG_IMMEDIATE		(1 << 1)
#define DRM_XE_VM_BIND_FLAG_NULL		(1 << 2)
#define DRM_XE_VM_BIND_FLAG_DUMPABLE		(1 << 3)
#define DRM_XE_VM_BIND_FLAG_CHECK_PXP		(1 << 4)
#define DRM_XE_VM_BIND_FLAG_CPU_ADDR_MIRROR	(1 << 5)
	/** @flags: Bit set of DRM_XE_VM_BIND_FLAG_* values. */
	__u32 flags;

	/**
	 * @prefetch_mem_region_instance: For PREFETCH only: instance number
	 * (not a mask) of the region to move the memory to.
	 */
	__u32 prefetch_mem_region_instance;

	/** @pad2: Padding, MBZ. */
	__u32 pad2;

	/** @reserved: Reserved for future use, MBZ. */
	__u64 reserved[3];
};

/**
 * struct drm_xe_vm_bind - argument of &DRM_IOCTL_XE_VM_BIND
 *
 * Applies one or more struct drm_xe_vm_bind_op to a VM, in submission
 * order on the chosen bind queue: they start once every sync in @syncs
 * without %DRM_XE_SYNC_FLAG_SIGNAL has signalled, and the syncs with that
 * flag are signalled when they are complete. The interface allows the
 * changes to complete after the call returns; this driver waits for the
 * in-syncs and completes them before returning.
 *
 * With a single operation it is stored inline in @bind; with several,
 * @vector_of_binds points at an array of @num_binds operations.
 *
 * Mapping a piece of user memory:
 *
 * .. code-block:: C
 *
 *	void *mem = aligned_alloc(SZ_64K, SZ_64K);
 *	struct drm_xe_vm_bind args = {
 *		.vm_id = vm_id,
 *		.num_binds = 1,
 *		.bind = {
 *			.op = DRM_XE_VM_BIND_OP_MAP_USERPTR,
 *			.userptr = (uintptr_t)mem,
 *			.range = SZ_64K,
 *			.addr = 0x100000,
 *		},
 *		.num_syncs = 1,
 *		.syncs = (uintptr_t)&done,
 *	};
 *
 *	ioctl(fd, DRM_IOCTL_XE_VM_BIND, &args);
 */
struct drm_xe_vm_bind {
	/** @extensions: Extension list, see struct drm_xe_user_extension. */
	__u64 extensions;

	/** @vm_id: Id of the VM to change. */
	__u32 vm_id;

	/**
	 * @exec_queue_id: Queue that orders the operations: an exec queue of
	 * class %DRM_XE_ENGINE_CLASS_VM_BIND created on the same VM, or zero
	 * for the VM's default bind queue.
	 */
	__u32 exec_queue_id;

	/** @pad: Padding, MBZ. */
	__u32 pad;

	/** @num_binds: Number of operations. */
	__u32 num_binds;

	union {
		/** @bind: The operation, when @num_binds is 1. */
		struct drm_xe_vm_bind_op bind;

		/**
		 * @vector_of_binds: User address of an array of @num_binds
		 * struct drm_xe_vm_bind_op, when @num_binds is more than 1.
		 */
		__u64 vector_of_binds;
	};

	/** @pad2: Padding, MBZ. */
	__u32 pad2;

	/** @num_syncs: Number of entries in @syncs. */
	__u32 num_syncs;

	/** @syncs: User address of an array of struct drm_xe_sync. */
	__u64 syncs;

	/** @reserved: Reserved for future use, MBZ. */
	__u64 reserved[2];
};

/**
 * struct drm_xe_exec_queue_create - argument of &DRM_IOCTL_XE_EXEC_QUEUE_CREATE
 *
 * Creates an exec queue: a context through which batch buffers are
 * submitted to engines of one class, within one VM.
 *
 * @instances holds @width times @num_placements engines. @width is the
 * number of batch buffers each submission carries (they run side by side
 * on @width engines); @num_placements is the number of engines the kernel
 * may choose from for each of them. The array is grouped by choice: the
 * engine for batch buffer i, choice j, is found at index i + j * @width.
 *
 * Properties such as the scheduling priority are given with
 * struct drm_xe_ext_set_property records of name
 * %DRM_XE_EXEC_QUEUE_EXTENSION_SET_PROPERTY:
 *  - %DRM_XE_EXEC_QUEUE_SET_PROPERTY_PRIORITY - priority, up to the value
 *    of %DRM_XE_QUERY_CONFIG_MAX_EXEC_QUEUE_PRIORITY
 *  - %DRM_XE_EXEC_QUEUE_SET_PROPERTY_TIMESLICE - timeslice length in
 *    microseconds
 *
 * A queue running on the first copy engine:
 *
 * .. code-block:: C
 *
 *	struct drm_xe_engine_class_instance engine = {
 *		.engine_class = DRM_XE_ENGINE_CLASS_COPY,
 *	};
 *	struct drm_xe_exec_queue_create args = {
 *		.width = 1,
 *		.num_placements = 1,
 *		.vm_id = vm_id,
 *		.instances = (uintptr_t)&engine,
 *	};
 *
 *	ioctl(fd, DRM_IOCTL_XE_EXEC_QUEUE_CREATE, &args);
 */
struct drm_xe_exec_queue_create {
#define DRM_XE_EXEC_QUEUE_EXTENSION_SET_PROPERTY		0
#define   DRM_XE_EXEC_QUEUE_SET_PROPERTY_PRIORITY		0
#define   DRM_XE_EXEC_QUEUE_SET_PROPERTY_TIMESLICE		1

	/** @extensions: Extension list, see struct drm_xe_user_extension. */
	__u64 extensions;

	/** @width: Number of batch buffers per submission. */
	__u16 width;

	/** @num_placements: Number of candidate engines per batch buffer. */
	__u16 num_placements;

	/** @vm_id: VM the queue's work runs in. */
	__u32 vm_id;

	/**
	 * @flags: Bit set of DRM_XE_EXEC_QUEUE_* values:
	 *
	 *  - %DRM_XE_EXEC_QUEUE_LOW_LATENCY_HINT - the queue's work is
	 *    latency sensitive: the device should run its engines at a
	 *    speed that favours quick completion over power. Accepted when
	 *    %DRM_XE_QUERY_CONFIG_FLAG_HAS_LOW_LATENCY is reported.
	 */
	__u32 flags;
#define DRM_XE_EXEC_QUEUE_LOW_LATENCY_HINT	(1 << 0)

	/** @exec_queue_id: Output: id of the new queue. */
	__u32 exec_queue_id;

	/**
	 * @instances: User address of the array of
	 * struct drm_xe_engine_class_instance described above.
	 */
	__u64 instances;

	/** @reserved: Reserved for future use, MBZ. */
	__u64 reserved[2];
};

/**
 * struct drm_xe_exec_queue_destroy - argument of &DRM_IOCTL_XE_EXEC_QUEUE_DESTROY
 */
struct drm_xe_exec_queue_destroy {
	/** @exec_queue_id: Id of the queue to destroy. */
	__u32 exec_queue_id;

	/** @pad: Padding, MBZ. */
	__u32 pad;

	/** @reserved: Reserved for future use, MBZ. */
	__u64 reserved[2];
};

/**
 * struct drm_xe_exec_queue_get_property - argument of
 * &DRM_IOCTL_XE_EXEC_QUEUE_GET_PROPERTY
 *
 * Reads one property of an exec queue. Values of @property:
 *  - %DRM_XE_EXEC_QUEUE_GET_PROPERTY_BAN - non-zero once the queue has
 *    been banned, for instance after a GPU hang it caused; a banned queue
 *    accepts no further work
 */
struct drm_xe_exec_queue_get_property {
	/** @extensions: Extension list, see struct drm_xe_user_extension. */
	__u64 extensions;

	/** @exec_queue_id: Id of the queue. */
	__u32 exec_queue_id;

#define DRM_XE_EXEC_QUEUE_GET_PROPERTY_BAN	0
	/** @property: Property to read, a DRM_XE_EXEC_QUEUE_GET_PROPERTY_* value. */
	__u32 property;

	/** @value: Output: value of the property. */
	__u64 value;

	/** @reserved: Reserved for future use, MBZ. */
	__u64 reserved[2];
};

/**
 * struct drm_xe_sync - a dependency or completion signal of a request
 *
 * Binds and executions take arrays of these. Without
 * %DRM_XE_SYNC_FLAG_SIGNAL the entry is an input: the work waits for it.
 * With the flag it is an output, signalled when the work is done.
 *
 * Values of @type:
 *  - %DRM_XE_SYNC_TYPE_SYNCOBJ - a binary DRM syncobj, named by @handle
 *  - %DRM_XE_SYNC_TYPE_TIMELINE_SYNCOBJ - point @timeline_value of a
 *    timeline DRM syncobj named by @handle
 *  - %DRM_XE_SYNC_TYPE_USER_FENCE - a 64-bit word at @addr that receives
 *    @timeline_value when signalled; output only
 *
 * Signalling a syncobj once a job completes:
 *
 * .. code-block:: C
 *
 *	struct drm_syncobj_create create = { };
 *	struct drm_xe_sync done = {
 *		.type = DRM_XE_SYNC_TYPE_SYNCOBJ,
 *		.flags = DRM_XE_SYNC_FLAG_SIGNAL,
 *	};
 *
 *	ioctl(fd, DRM_IOCTL_SYNCOBJ_CREATE, &create);
 *	done.handle = create.handle;
 *	// pass &done in drm_xe_exec.syncs, then wait with
 *	// DRM_IOCTL_SYNCOBJ_WAIT on create.handle
 */
struct drm_xe_sync {
	/** @extensions: Extension list, see struct drm_xe_user_extension. */
	__u64 extensions;

#define DRM_XE_SYNC_TYPE_SYNCOBJ		0x0
#define DRM_XE_SYNC_TYPE_TIMELINE_SYNCOBJ	0x1
#define DRM_XE_SYNC_TYPE_USER_FENCE		0x2
	/** @type: Kind of entry, a DRM_XE_SYNC_TYPE_* value. */
	__u32 type;

#define DRM_XE_SYNC_FLAG_SIGNAL	(1 << 0)
	/** @flags: Bit set of DRM_XE_SYNC_FLAG_* values. */
	__u32 flags;

	union {
		/** @handle: Syncobj handle, for the syncobj types. */
		__u32 handle;

		/**
		 * @addr: Location of a user fence, 8-byte aligned. In an exec
		 * it is a GPU virtual address of the queue's VM; in a VM bind
		 * it is a CPU address of the calling process. Either way it
		 * must stay valid until the fence has been written.
		 */
		__u64 addr;
	};

	/**
	 * @timeline_value: Point on the timeline for
	 * %DRM_XE_SYNC_TYPE_TIMELINE_SYNCOBJ (must be non-zero), or value
	 * written for %DRM_XE_SYNC_TYPE_USER_FENCE.
	 */
	__u64 timeline_value;

	/** @reserved: Reserved for future use, MBZ. */
	__u64 reserved[2];
};

/**
 * struct drm_xe_exec - argument of &DRM_IOCTL_XE_EXEC
 *
 * Submits work to an exec queue: the GPU starts executing batch buffers at
 * the given addresses of the queue's VM, after the input syncs have
 * signalled, and signals the output syncs when it is finished.
 *
 * .. code-block:: C
 *
 *	struct drm_xe_exec args = {
 *		.exec_queue_id = queue_id,
 *		.num_syncs = 1,
 *		.syncs = (uintptr_t)&done,
 *		.address = batch_gpu_addr,
 *		.num_batch_buffer = 1,
 *	};
 *
 *	ioctl(fd, DRM_IOCTL_XE_EXEC, &args);
 */
struct drm_xe_exec {
	/** @extensions: Extension list, see struct drm_xe_user_extension. */
	__u64 extensions;

	/** @exec_queue_id: Queue to submit to. */
	__u32 exec_queue_id;

#define DRM_XE_MAX_SYNCS 1024
	/** @num_syncs: Number of entries in @syncs, at most %DRM_XE_MAX_SYNCS. */
	__u32 num_syncs;

	/** @syncs: User address of an array of struct drm_xe_sync. */
	__u64 syncs;

	/**
	 * @address: GPU address of the batch buffer when @num_batch_buffer
	 * is 1; otherwise user address of an array of @num_batch_buffer
	 * GPU addresses.
	 */
	__u64 address;

	/**
	 * @num_batch_buffer: Number of batch buffers; equal to the width of
	 * the queue.
	 */
	__u16 num_batch_buffer;

	/** @pad: Padding, MBZ. */
	__u16 pad[3];

	/** @reserved: Reserved for future use, MBZ. */
	__u64 reserved[2];
};

/**
 * struct drm_xe_wait_user_fence - argument of &DRM_IOCTL_XE_WAIT_USER_FENCE
 *
 * Sleeps until the 64-bit word at @addr satisfies
 *
 *	(word & @mask) @op (@value & @mask)
 *
 * or until the timeout expires. The condition is checked again whenever
 * the engines of @exec_queue_id report progress.
 *
 * Values of @op:
 *  - %DRM_XE_UFENCE_WAIT_OP_EQ - equal
 *  - %DRM_XE_UFENCE_WAIT_OP_NEQ - not equal
 *  - %DRM_XE_UFENCE_WAIT_OP_GT - greater than
 *  - %DRM_XE_UFENCE_WAIT_OP_GTE - greater than or equal
 *  - %DRM_XE_UFENCE_WAIT_OP_LT - less than
 *  - %DRM_XE_UFENCE_WAIT_OP_LTE - less than or equal
 *
 * Bits of @flags:
 *  - %DRM_XE_UFENCE_WAIT_FLAG_ABSTIME - @timeout is a point in time
 *    rather than a duration
 *
 * @mask selects the bits that take part, e.g. 0xffffffff to compare the
 * low 32 bits only, or ~0 for the whole word.
 */
struct drm_xe_wait_user_fence {
	/** @extensions: Extension list, see struct drm_xe_user_extension. */
	__u64 extensions;

	/** @addr: CPU address of the word to watch, 8-byte aligned. */
	__u64 addr;

#define DRM_XE_UFENCE_WAIT_OP_EQ	0x0
#define DRM_XE_UFENCE_WAIT_OP_NEQ	0x1
#define DRM_XE_UFENCE_WAIT_OP_GT	0x2
#define DRM_XE_UFENCE_WAIT_OP_GTE	0x3
#define DRM_XE_UFENCE_WAIT_OP_LT	0x4
#define DRM_XE_UFENCE_WAIT_OP_LTE	0x5
	/** @op: Comparison, a DRM_XE_UFENCE_WAIT_OP_* value. */
	__u16 op;

#define DRM_XE_UFENCE_WAIT_FLAG_ABSTIME	(1 << 0)
	/** @flags: Bit set of DRM_XE_UFENCE_WAIT_FLAG_* values. */
	__u16 flags;

	/** @pad: Padding, MBZ. */
	__u32 pad;

	/** @value: Value to compare against. */
	__u64 value;

	/** @mask: Bits of the word and of @value that are compared. */
	__u64 mask;

	/**
	 * @timeout: Limit of the wait in nanoseconds; negative to wait
	 * forever. Without %DRM_XE_UFENCE_WAIT_FLAG_ABSTIME it is a duration
	 * and the kernel writes back the time that was left, so that a call
	 * interrupted by a signal can simply be repeated. With the flag it is
	 * a CLOCK_MONOTONIC deadline and is left untouched.
	 */
	__s64 timeout;

	/** @exec_queue_id: Queue whose progress wakes the waiter. */
	__u32 exec_queue_id;

	/** @pad2: Padding, MBZ. */
	__u32 pad2;

	/** @reserved: Reserved for future use, MBZ. */
	__u64 reserved[2];
};

#if defined(__cplusplus)
}
#endif

#endif /* _UAPI_XE_DRM_H_ */
