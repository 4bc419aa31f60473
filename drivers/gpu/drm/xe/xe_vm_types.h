/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright © 2026 The xe virtual GPU authors
 */

#ifndef _XE_VM_TYPES_H_
#define _XE_VM_TYPES_H_

#include <linux/mmu_notifier.h>
#include <linux/mutex.h>
#include <linux/rwsem.h>

#include <drm/drm_gpuvm.h>

#include "xe_svm_types.h"

struct xe_device;
struct xe_pt;

/* VM_CREATE flags the VM was created with. */
#define XE_VM_FLAG_SCRATCH_PAGE		BIT(0)
#define XE_VM_FLAG_LR_MODE		BIT(1)
#define XE_VM_FLAG_FAULT_MODE		BIT(2)

/**
 * struct xe_vm - a GPU address space
 */
struct xe_vm {
	/** @gpuvm: the VA tree and BO tracking; its resv protects its lists */
	struct drm_gpuvm gpuvm;
	/** @xe: the device */
	struct xe_device *xe;
	/** @flags: XE_VM_FLAG_*, fixed at creation */
	u32 flags;
	/** @asid: address-space id the GT knows the VM by */
	u32 asid;
	/**
	 * @lock: outermost VM lock: binds take it for writing, execution and
	 * fault handling for reading
	 */
	struct rw_semaphore lock;
	/**
	 * @pt_lock: protects the page-table tree and every VMA's
	 * &xe_vma.bound; also the notifier lock of userptr VMAs. Taken in
	 * MMU-notifier callbacks and TTM moves: nothing under it allocates.
	 */
	struct mutex pt_lock;
	/** @pt_root: the top-level table */
	struct xe_pt *pt_root;
	/** @empty: the empty entry of each level (see Page tables) */
	u64 empty[4];
	/** @scratch: shared scratch tables (levels 2 and 1), scratch VMs only */
	struct xe_pt *scratch[2];
	/** @svm: the CPU-address mirror, in fault-mode VMs */
	struct xe_svm svm;
	/** @closed: destroyed by userspace; no new binds or jobs */
	bool closed;
};

/* The VMA maps its range read-only. */
#define XE_VMA_READ_ONLY	BIT(0)
/* The VMA maps nothing: reads return zero, writes are dropped. */
#define XE_VMA_NULL		BIT(1)
/* The VMA mirrors user memory (userptr). */
#define XE_VMA_USERPTR		BIT(2)
/* The VMA mirrors the CPU address space (SVM); its ranges own the PTEs. */
#define XE_VMA_CPU_MIRROR	BIT(3)

/**
 * struct xe_userptr_page - one page of a userptr, as the device reaches it
 */
struct xe_userptr_page {
	/** @pfn: the page, the key of its shared DMA mapping */
	unsigned long pfn;
	/** @addr: its bus address */
	dma_addr_t addr;
};

/**
 * struct xe_userptr - the user memory behind a userptr VMA
 *
 * Pages are found with hmm_range_fault() and never pinned; the notifier
 * tells when they change, and the VMA's PTEs go before the pages do.
 */
struct xe_userptr {
	/** @notifier: MMU interval notifier over the VMA's CPU range */
	struct mmu_interval_notifier notifier;
	/** @notifier_seq: sequence the current pages were found under */
	unsigned long notifier_seq;
	/**
	 * @pages: each page and its bus address while mapped, under
	 * pt_lock; allocated when pages are first needed, not at bind time
	 */
	struct xe_userptr_page *pages;
	/** @mapped: @pages holds mappings, protected by &xe_vm.pt_lock */
	bool mapped;
	/**
	 * @registered: @notifier is in the mm's interval tree; until then the
	 * VMA exists only inside the VM_BIND that creates it
	 */
	bool registered;
};

/**
 * struct xe_vma - one mapping in a VM
 */
struct xe_vma {
	/** @gpuva: the VA node (range, BO and offset) */
	struct drm_gpuva gpuva;
	/** @vm: the VM */
	struct xe_vm *vm;
	/** @flags: XE_VMA_*, fixed at creation */
	u32 flags;
	/** @bound: the PTEs map the range, protected by &xe_vm.pt_lock */
	bool bound;
	/** @userptr: the user memory, for XE_VMA_USERPTR VMAs */
	struct xe_userptr userptr;
};

#endif
