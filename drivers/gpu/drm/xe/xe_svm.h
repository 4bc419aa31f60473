/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright © 2026 The xe virtual GPU authors
 */

#ifndef _XE_SVM_H_
#define _XE_SVM_H_

#include <linux/types.h>

struct xe_device;
struct xe_vm;
struct xe_vma;

/**
 * struct xe_svm_span - what a resolved fault made the GPU able to reach
 */
struct xe_svm_span {
	/** @start: first address */
	u64 start;
	/** @end: end of the span; 0 when there is none */
	u64 end;
	/** @writable: writes and atomics are allowed too */
	bool writable;
};

void xe_svm_device_init(struct xe_device *xe);
void xe_svm_debugfs_register(struct xe_device *xe);
int xe_svm_init(struct xe_vm *vm);
void xe_svm_close(struct xe_vm *vm);
void xe_svm_fini(struct xe_vm *vm);
int xe_svm_check_unbind(struct xe_vm *vm, u64 start, u64 end);
int xe_svm_handle_fault(struct xe_vm *vm, struct xe_vma *vma, u64 addr, u32 access,
			struct xe_svm_span *span);
int xe_svm_prefetch(struct xe_vm *vm, struct xe_vma *vma, u64 start, u64 end);
void xe_svm_coalesced(struct xe_device *xe, unsigned int n);

#endif
