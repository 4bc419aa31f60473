/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright © 2026 The xe virtual GPU authors
 */

#ifndef _XE_DEVICE_TYPES_H_
#define _XE_DEVICE_TYPES_H_

#include <drm/drm_device.h>
#include <drm/ttm/ttm_device.h>
#include <drm/ttm/ttm_placement.h>

#include <linux/mutex.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>

#include "emu/xe_emu_hw.h"
#include "xe_ct_types.h"
#include "xe_hw_engine_types.h"
#include "xe_pagefault.h"
#include "xe_svm_types.h"
#include "xe_ttm_sys_mgr_types.h"
#include "xe_ttm_vram_mgr_types.h"

struct xe_exec_queue;

/* Memory-region instances, as userspace names them in placement masks. */
#define XE_MEM_REGION_SYSMEM	0
#define XE_MEM_REGION_VRAM0	1
#define XE_MEM_REGION_MASK	(BIT(XE_MEM_REGION_SYSMEM) | BIT(XE_MEM_REGION_VRAM0))

/* TTM placements. */
#define XE_PL_SYSTEM		TTM_PL_SYSTEM
#define XE_PL_TT		TTM_PL_TT
#define XE_PL_VRAM0		TTM_PL_VRAM

/**
 * struct xe_device_info - what the device is, read from its registers once
 */
struct xe_device_info {
	/** @devid: PCI-style device id */
	u16 devid;
	/** @revid: revision */
	u8 revid;
	/** @graphics_ver: graphics IP major version */
	u8 graphics_ver;
	/** @graphics_rel: graphics IP minor version */
	u8 graphics_rel;
	/** @va_bits: width of a GPU virtual address */
	u8 va_bits;
	/** @ref_clock: timestamp frequency in Hz */
	u32 ref_clock;
	/** @ct_version: the CT firmware's version, XE_EMU_REG_CT_VERSION */
	u32 ct_version;
	/** @dss_mask: enabled dual sub-slices */
	u32 dss_mask;
	/** @eu_mask: enabled SIMD16 execution units in each DSS */
	u32 eu_mask;
	/** @l3_bank_mask: enabled L3 banks */
	u32 l3_bank_mask;
};

/**
 * struct xe_device - one bound virtual GPU
 *
 * Everything here is set up at probe and torn down by managed actions;
 * nothing changes while the device is registered unless its member says
 * otherwise.
 */
struct xe_device {
	/** @drm: the DRM device; the structure is allocated around it */
	struct drm_device drm;
	/** @bus: how the CPU reaches the hardware */
	struct xe_emu_bus bus;
	/** @info: identification and capabilities */
	struct xe_device_info info;
	/** @hw_engines: the engines the fuses enable */
	struct xe_hw_engine hw_engines[XE_MAX_HW_ENGINES];
	/** @num_hw_engines: valid entries in @hw_engines */
	unsigned int num_hw_engines;
	/** @mem: memory management */
	struct {
		/** @mem.bdev: the TTM device */
		struct ttm_device bdev;
		/** @mem.vram_size: bytes of device memory */
		u64 vram_size;
		/** @mem.vram_bar: CPU mapping of all of device memory */
		void __iomem *vram_bar;
		/** @mem.vram: device-memory manager (XE_PL_VRAM0) */
		struct xe_ttm_vram_mgr vram;
		/** @mem.sys: system-memory manager (XE_PL_TT) */
		struct xe_ttm_sys_mgr sys;
	} mem;
	/**
	 * @dma_pages: shared DMA mappings of user pages, by page frame
	 * number (see DMA mappings of user pages)
	 */
	struct xarray dma_pages;
	/** @ct: command transport to the GT */
	struct xe_ct ct;
	/** @submit: hardware contexts */
	struct {
		/** @submit.contexts: exec queue of each context id */
		struct xarray contexts;
		/** @submit.free_slots: scheduler slots of destroyed queues */
		struct list_head free_slots;
		/** @submit.slots: every scheduler slot, for freeing at teardown */
		struct list_head all_slots;
		/** @submit.slot_lock: protects the slot lists */
		spinlock_t slot_lock;
		/**
		 * @submit.wq: runs the run_job and free_job work of every
		 * queue's scheduler
		 */
		struct workqueue_struct *wq;
	} submit;
	/** @tlb_inval: TLB invalidation */
	struct {
		/** @tlb_inval.lock: keeps seqnos in the order they are sent */
		struct mutex lock;
		/** @tlb_inval.seqno_next: last seqno sent, under @tlb_inval.lock */
		u32 seqno_next;
		/** @tlb_inval.seqno_done: last seqno the GT completed */
		u32 seqno_done;
		/** @tlb_inval.wq: woken when an invalidation completes */
		wait_queue_head_t wq;
		/** @tlb_inval.skip: debug knob: skip invalidations */
		bool skip;
	} tlb_inval;
	/** @pf: page-fault consumer */
	struct {
		/** @pf.queue: ring of reported faults */
		struct xe_pagefault_queue queue;
		/** @pf.workers: the workers draining the ring */
		struct xe_pagefault_worker workers[XE_PAGEFAULT_WORKERS];
		/** @pf.next_worker: the worker woken next, interrupt thread only */
		unsigned int next_worker;
		/** @pf.wq: where the worker runs */
		struct workqueue_struct *wq;
		/** @pf.handled: faults answered */
		atomic64_t handled;
		/** @pf.failed: faults answered with failure */
		atomic64_t failed;
	} pf;
	/** @migrate: BO moves through the copy engine */
	struct {
		/** @migrate.lock: serialises moves and replacing @migrate.q */
		struct mutex lock;
		/** @migrate.q: the kernel queue on the first copy engine */
		struct xe_exec_queue *q;
	} migrate;
	/** @svm: shared virtual memory counters and knobs */
	struct xe_svm_device svm;
	/** @vms_by_asid: every VM by address-space id, for fault handling */
	struct xarray vms_by_asid;
	/** @ufence_wq: woken on every user interrupt and queue ban */
	wait_queue_head_t ufence_wq;
};

/**
 * struct xe_file - what the driver keeps per open DRM file
 */
struct xe_file {
	/** @xe: the device */
	struct xe_device *xe;
	/** @drm: the DRM file */
	struct drm_file *drm;
	/** @vm: the file's VMs by id */
	struct {
		/** @vm.lock: protects @vm.xa */
		struct mutex lock;
		/** @vm.xa: the VMs */
		struct xarray xa;
	} vm;
	/** @exec_queue: the file's exec queues by id */
	struct {
		/** @exec_queue.lock: protects @exec_queue.xa */
		struct mutex lock;
		/** @exec_queue.xa: the queues */
		struct xarray xa;
	} exec_queue;
};

/**
 * to_xe_device() - the xe device around a DRM device
 * @dev: DRM device of the xe driver
 *
 * Return: the &struct xe_device.
 */
static inline struct xe_device *to_xe_device(const struct drm_device *dev)
{
	return container_of(dev, struct xe_device, drm);
}

/**
 * ttm_to_xe_device() - the xe device around a TTM device
 * @bdev: TTM device of the xe driver
 *
 * Return: the &struct xe_device.
 */
static inline struct xe_device *ttm_to_xe_device(struct ttm_device *bdev)
{
	return container_of(bdev, struct xe_device, mem.bdev);
}

#endif
