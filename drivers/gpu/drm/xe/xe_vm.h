/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright © 2026 The xe virtual GPU authors
 */

#ifndef _XE_VM_H_
#define _XE_VM_H_

#include "xe_vm_types.h"

struct drm_device;
struct drm_file;
struct xe_bo;
struct xe_file;
struct xe_svm_span;

struct xe_vm *xe_vm_lookup(struct xe_file *xef, u32 id);
void xe_vm_file_close(struct xe_file *xef);
u64 xe_vm_pt_root(struct xe_vm *vm);
int xe_vm_invalidate_tlb(struct xe_vm *vm, u64 start, u64 end);
int xe_vm_bo_move_notify(struct xe_bo *bo);
int xe_vm_userptr_refresh(struct xe_vm *vm);
int xe_vm_rebind(struct xe_vm *vm);
int xe_vm_handle_fault(struct xe_vm *vm, u64 addr, u32 access, struct xe_svm_span *span);

int xe_vm_create_ioctl(struct drm_device *dev, void *data, struct drm_file *file);
int xe_vm_destroy_ioctl(struct drm_device *dev, void *data, struct drm_file *file);
int xe_vm_bind_ioctl(struct drm_device *dev, void *data, struct drm_file *file);

/**
 * xe_vm_get() - take a reference to a VM
 * @vm: the VM
 *
 * Return: @vm.
 */
static inline struct xe_vm *xe_vm_get(struct xe_vm *vm)
{
	drm_gpuvm_get(&vm->gpuvm);
	return vm;
}

/**
 * xe_vm_put() - drop a reference to a VM
 * @vm: the VM, or NULL
 */
static inline void xe_vm_put(struct xe_vm *vm)
{
	if (vm)
		drm_gpuvm_put(&vm->gpuvm);
}

/**
 * xe_vm_resv() - the reservation object of a VM
 * @vm: the VM
 *
 * Return: the reservation shared by the VM's private BOs.
 */
static inline struct dma_resv *xe_vm_resv(struct xe_vm *vm)
{
	return drm_gpuvm_resv(&vm->gpuvm);
}

/**
 * xe_vm_in_fault_mode() - does the VM bind on GPU faults?
 * @vm: the VM
 *
 * Return: true for FAULT_MODE VMs.
 */
static inline bool xe_vm_in_fault_mode(const struct xe_vm *vm)
{
	return vm->flags & XE_VM_FLAG_FAULT_MODE;
}

/**
 * xe_vm_in_lr_mode() - may the VM's jobs run for ever?
 * @vm: the VM
 *
 * Return: true for LR_MODE VMs, whose jobs signal only user fences.
 */
static inline bool xe_vm_in_lr_mode(const struct xe_vm *vm)
{
	return vm->flags & XE_VM_FLAG_LR_MODE;
}

/**
 * xe_vma_start() - first address of a VMA
 * @vma: the VMA
 *
 * Return: the address.
 */
static inline u64 xe_vma_start(const struct xe_vma *vma)
{
	return vma->gpuva.va.addr;
}

/**
 * xe_vma_end() - end of a VMA
 * @vma: the VMA
 *
 * Return: the first address after it.
 */
static inline u64 xe_vma_end(const struct xe_vma *vma)
{
	return vma->gpuva.va.addr + vma->gpuva.va.range;
}

/**
 * xe_vma_read_only() - may the GPU only read through a VMA?
 * @vma: the VMA
 *
 * Return: true for VMAs bound with DRM_XE_VM_BIND_FLAG_READONLY.
 */
static inline bool xe_vma_read_only(const struct xe_vma *vma)
{
	return vma->flags & XE_VMA_READ_ONLY;
}

#endif
