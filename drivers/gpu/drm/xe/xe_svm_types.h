/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright © 2026 The xe virtual GPU authors
 */

#ifndef _XE_SVM_TYPES_H_
#define _XE_SVM_TYPES_H_

#include <linux/atomic.h>
#include <linux/mutex.h>
#include <linux/workqueue.h>

#include "gpusvm/gpusvm.h"

/*
 * Counters of gt0/stats. The per-size ones come in three, 4K, 64K and 2M,
 * in that order, from the first.
 */
enum xe_svm_stat {
	XE_SVM_STAT_PAGEFAULT_COUNT,
	XE_SVM_STAT_SIZE_PAGEFAULT_COUNT,
	XE_SVM_STAT_SIZE_VALID_PAGEFAULT_COUNT = XE_SVM_STAT_SIZE_PAGEFAULT_COUNT + 3,
	XE_SVM_STAT_SIZE_GET_PAGES_COUNT = XE_SVM_STAT_SIZE_VALID_PAGEFAULT_COUNT + 3,
	XE_SVM_STAT_SIZE_BIND_COUNT = XE_SVM_STAT_SIZE_GET_PAGES_COUNT + 3,
	XE_SVM_STAT_SIZE_PAGEFAULT_US = XE_SVM_STAT_SIZE_BIND_COUNT + 3,
	XE_SVM_STAT_SIZE_GET_PAGES_US = XE_SVM_STAT_SIZE_PAGEFAULT_US + 3,
	XE_SVM_STAT_SIZE_BIND_US = XE_SVM_STAT_SIZE_GET_PAGES_US + 3,
	XE_SVM_STAT_TLB_INVAL_COUNT = XE_SVM_STAT_SIZE_BIND_US + 3,
	XE_SVM_STAT_TLB_INVAL_US,
	XE_SVM_STAT_RETRY_COUNT,
	XE_SVM_STAT_COALESCED_COUNT,
	XE_SVM_STAT_FAULT_FAIL_COUNT,
	XE_SVM_STAT_GC_COUNT,
	XE_SVM_STAT_INVALIDATE_COUNT,
	/* Gauges: not reset. */
	XE_SVM_STAT_NOTIFIER_COUNT,
	XE_SVM_STAT_RANGE_COUNT,
	XE_SVM_STAT_NUM,
};

/**
 * struct xe_svm_device - SVM state shared by the VMs of a device
 */
struct xe_svm_device {
	/** @stats: counters, see enum xe_svm_stat */
	atomic64_t stats[XE_SVM_STAT_NUM];
	/** @range_max: debugfs svm_range_max: largest range a fault creates */
	u64 range_max;
	/**
	 * @inject_collisions: debugfs svm_inject_collisions (debug builds):
	 * commits left to fail as if the CPU memory had changed
	 */
	atomic_t inject_collisions;
};

/**
 * struct xe_svm_range - a range as the VM maps it
 */
struct xe_svm_range {
	/** @base: the SVM core's range */
	struct gpusvm_range base;
	/**
	 * @bound: the GPU page tables map the range, under &xe_vm.pt_lock;
	 * set only while the notifier lock is held and the pages are valid
	 */
	bool bound;
	/** @new: not yet seen by a fault handler, under &xe_svm.lock */
	bool new;
};

/**
 * struct xe_svm - the CPU-address mirror of a fault-mode VM
 */
struct xe_svm {
	/** @gpusvm: notifiers, ranges and pages */
	struct gpusvm gpusvm;
	/**
	 * @lock: the SVM core's driver lock: serialises range lookup,
	 * insertion, get-pages and removal. Inside &xe_vm.lock, outside
	 * mmap_lock; never taken with a reservation held.
	 */
	struct mutex lock;
	/** @gc_work: removes ranges the CPU unmapped when no fault comes */
	struct work_struct gc_work;
	/** @enabled: the VM is in fault mode and @gpusvm is set up */
	bool enabled;
};

#endif
