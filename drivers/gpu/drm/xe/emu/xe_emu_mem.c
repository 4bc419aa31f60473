// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The xe virtual GPU authors
 */

#include <linux/highmem.h>
#include <linux/memremap.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/sizes.h>
#include <linux/string.h>

#include "xe_emu.h"
#include "xe_emu_hw.h"
#include "xe_emu_types.h"

/**
 * DOC: Device memory accesses
 *
 * Everything the device reads or writes outside its registers goes through
 * this file: ring and descriptor fetches, page-table walks, command
 * payloads. Addresses are device addresses (see XE_EMU_PA_DM): a bus
 * address of system memory, or a VRAM offset.
 *
 * There is no IOMMU, so a bus address is a physical address. The device
 * reaches a system page when its frame is valid and is ordinary memory
 * (device-private and other ZONE_DEVICE frames have no kernel mapping);
 * each page is mapped with kmap_local_page() for the access. VRAM is the
 * vmalloc'd backing store. An access that leaves reachable memory fails
 * with -EFAULT, possibly after the reachable part was done, like a DMA
 * that aborts midway; callers turn that into XE_EMU_CTX_ERR_DMA.
 *
 * Accesses may cross page boundaries and are split at them. Dword and
 * qword accesses at naturally aligned addresses are single loads and
 * stores (READ_ONCE/WRITE_ONCE), so the driver never sees them torn;
 * MI_ATOMIC operations are compare-and-exchange loops on the mapped dword,
 * atomic against the CPU and every other engine.
 */

/**
 * DOC: Locking
 *
 * None: callers serialise what needs it. Mapping a page never sleeps, so
 * every function here may be called under a spinlock.
 */

/**
 * struct xe_emu_map - a device address mapped for the CPU
 */
struct xe_emu_map {
	/** @vaddr: CPU address of the first byte */
	void *vaddr;
	/** @len: bytes contiguously mapped from @vaddr */
	size_t len;
	/** @kmapped: @vaddr comes from kmap_local_page() */
	bool kmapped;
};

static int xe_emu_map(struct xe_emu_hw *hw, u64 pa, size_t len, struct xe_emu_map *map)
{
	unsigned long pfn;
	struct page *page;

	if (pa & XE_EMU_PA_DM) {
		u64 offset = pa & ~XE_EMU_PA_DM;

		if (offset >= hw->vram_size)
			return -EFAULT;
		map->vaddr = hw->vram + offset;
		map->len = min_t(u64, len, hw->vram_size - offset);
		map->kmapped = false;
		return 0;
	}

	pfn = PHYS_PFN(pa);
	if (!pfn_valid(pfn))
		return -EFAULT;
	page = pfn_to_page(pfn);
	if (is_zone_device_page(page))
		return -EFAULT;

	map->vaddr = kmap_local_page(page) + offset_in_page(pa);
	map->len = min_t(size_t, len, PAGE_SIZE - offset_in_page(pa));
	map->kmapped = true;
	return 0;
}

static void xe_emu_unmap(struct xe_emu_map *map)
{
	if (map->kmapped)
		kunmap_local(map->vaddr);
}

/**
 * xe_emu_mem_phys() - decode a physical address of the contract
 * @addr: a bus address, or a VRAM offset with XE_EMU_ADDR_DM
 * @pa: the device address
 *
 * Return: false if @addr has bits above the 48-bit physical space set.
 */
bool xe_emu_mem_phys(u64 addr, u64 *pa)
{
	if (addr & ~GENMASK_ULL(47, 0))
		return false;
	if (addr & XE_EMU_ADDR_DM)
		*pa = XE_EMU_PA_DM | (addr & ~XE_EMU_ADDR_DM);
	else
		*pa = addr;
	return true;
}

/**
 * xe_emu_mem_bus_addr() - encode a device address the way the contract does
 * @pa: device address
 *
 * Return: @pa with XE_EMU_ADDR_DM in place of the internal VRAM marker, for
 * the detail field of CONTEXT_ERROR.
 */
u64 xe_emu_mem_bus_addr(u64 pa)
{
	if (pa & XE_EMU_PA_DM)
		return XE_EMU_ADDR_DM | (pa & ~XE_EMU_PA_DM);
	return pa;
}

/**
 * xe_emu_mem_reachable() - check that the device reaches a range
 * @hw: the device
 * @pa: device address of the range
 * @len: bytes
 *
 * Return: true if every byte of the range is in memory the device reaches.
 */
bool xe_emu_mem_reachable(struct xe_emu_hw *hw, u64 pa, u64 len)
{
	struct xe_emu_map map;

	while (len) {
		if (xe_emu_map(hw, pa, min_t(u64, len, SZ_1G), &map))
			return false;
		xe_emu_unmap(&map);
		pa += map.len;
		len -= map.len;
	}
	return true;
}

/**
 * xe_emu_mem_read() - read device-visible memory
 * @hw: the device
 * @pa: device address
 * @buf: destination
 * @len: bytes
 *
 * Return: 0, or -EFAULT if part of the range is not reachable.
 */
int xe_emu_mem_read(struct xe_emu_hw *hw, u64 pa, void *buf, size_t len)
{
	struct xe_emu_map map;

	while (len) {
		if (xe_emu_map(hw, pa, len, &map))
			return -EFAULT;
		memcpy(buf, map.vaddr, map.len);
		xe_emu_unmap(&map);
		buf += map.len;
		pa += map.len;
		len -= map.len;
	}
	return 0;
}

/**
 * xe_emu_mem_write() - write device-visible memory
 * @hw: the device
 * @pa: device address
 * @buf: source
 * @len: bytes
 *
 * Return: 0, or -EFAULT if part of the range is not reachable.
 */
int xe_emu_mem_write(struct xe_emu_hw *hw, u64 pa, const void *buf, size_t len)
{
	struct xe_emu_map map;

	while (len) {
		if (xe_emu_map(hw, pa, len, &map))
			return -EFAULT;
		memcpy(map.vaddr, buf, map.len);
		xe_emu_unmap(&map);
		buf += map.len;
		pa += map.len;
		len -= map.len;
	}
	return 0;
}

/**
 * xe_emu_mem_fill() - fill device-visible memory with a byte
 * @hw: the device
 * @pa: device address
 * @val: the byte
 * @len: bytes
 * @bad: where the first unreachable address is stored on failure
 *
 * Return: 0, or -EFAULT if part of the range is not reachable.
 */
int xe_emu_mem_fill(struct xe_emu_hw *hw, u64 pa, u8 val, size_t len, u64 *bad)
{
	struct xe_emu_map map;

	while (len) {
		if (xe_emu_map(hw, pa, len, &map)) {
			*bad = pa;
			return -EFAULT;
		}
		memset(map.vaddr, val, map.len);
		xe_emu_unmap(&map);
		pa += map.len;
		len -= map.len;
	}
	return 0;
}

/**
 * xe_emu_mem_copy() - copy between two device-visible ranges
 * @hw: the device
 * @dst: device address of the destination
 * @src: device address of the source
 * @len: bytes
 * @bad: where the first unreachable address is stored on failure
 *
 * Overlapping ranges are copied piecewise, each piece as if by memmove().
 *
 * Return: 0, or -EFAULT if part of either range is not reachable.
 */
int xe_emu_mem_copy(struct xe_emu_hw *hw, u64 dst, u64 src, size_t len, u64 *bad)
{
	struct xe_emu_map s, d;

	while (len) {
		if (xe_emu_map(hw, src, len, &s)) {
			*bad = src;
			return -EFAULT;
		}
		if (xe_emu_map(hw, dst, s.len, &d)) {
			xe_emu_unmap(&s);
			*bad = dst;
			return -EFAULT;
		}
		memmove(d.vaddr, s.vaddr, d.len);
		xe_emu_unmap(&d);
		xe_emu_unmap(&s);
		src += d.len;
		dst += d.len;
		len -= d.len;
	}
	return 0;
}

/**
 * xe_emu_mem_read32() - read a little-endian dword
 * @hw: the device
 * @pa: device address
 * @val: the value, in CPU order
 *
 * An aligned dword is read with a single load.
 *
 * Return: 0, or -EFAULT if the dword is not reachable.
 */
int xe_emu_mem_read32(struct xe_emu_hw *hw, u64 pa, u32 *val)
{
	struct xe_emu_map map;
	__le32 v;

	if (!IS_ALIGNED(pa, sizeof(v))) {
		if (xe_emu_mem_read(hw, pa, &v, sizeof(v)))
			return -EFAULT;
		*val = le32_to_cpu(v);
		return 0;
	}
	if (xe_emu_map(hw, pa, sizeof(v), &map))
		return -EFAULT;
	*val = le32_to_cpu(READ_ONCE(*(__le32 *)map.vaddr));
	xe_emu_unmap(&map);
	return 0;
}

/**
 * xe_emu_mem_write32() - write a little-endian dword
 * @hw: the device
 * @pa: device address
 * @val: the value, in CPU order
 *
 * An aligned dword is written with a single store.
 *
 * Return: 0, or -EFAULT if the dword is not reachable.
 */
int xe_emu_mem_write32(struct xe_emu_hw *hw, u64 pa, u32 val)
{
	struct xe_emu_map map;
	__le32 v = cpu_to_le32(val);

	if (!IS_ALIGNED(pa, sizeof(v)))
		return xe_emu_mem_write(hw, pa, &v, sizeof(v));
	if (xe_emu_map(hw, pa, sizeof(v), &map))
		return -EFAULT;
	WRITE_ONCE(*(__le32 *)map.vaddr, v);
	xe_emu_unmap(&map);
	return 0;
}

/**
 * xe_emu_mem_read64() - read a little-endian qword
 * @hw: the device
 * @pa: device address
 * @val: the value, in CPU order
 *
 * An aligned qword is read with a single load.
 *
 * Return: 0, or -EFAULT if the qword is not reachable.
 */
int xe_emu_mem_read64(struct xe_emu_hw *hw, u64 pa, u64 *val)
{
	struct xe_emu_map map;
	__le64 v;

	if (!IS_ALIGNED(pa, sizeof(v))) {
		if (xe_emu_mem_read(hw, pa, &v, sizeof(v)))
			return -EFAULT;
		*val = le64_to_cpu(v);
		return 0;
	}
	if (xe_emu_map(hw, pa, sizeof(v), &map))
		return -EFAULT;
	*val = le64_to_cpu(READ_ONCE(*(__le64 *)map.vaddr));
	xe_emu_unmap(&map);
	return 0;
}

static u32 xe_emu_atomic_result(u32 op, u32 old, u32 src0, u32 src1)
{
	switch (op) {
	case XE_EMU_ATOMIC_INC:
		return old + 1;
	case XE_EMU_ATOMIC_DEC:
		return old - 1;
	case XE_EMU_ATOMIC_ADD:
		return old + src0;
	case XE_EMU_ATOMIC_SUB:
		return old - src0;
	case XE_EMU_ATOMIC_CMPXCHG:
		return old == src0 ? src1 : old;
	default:
		return old;
	}
}

/**
 * xe_emu_mem_atomic() - read-modify-write a dword atomically
 * @hw: the device
 * @pa: device address, dword aligned
 * @op: XE_EMU_ATOMIC_*
 * @src0: first operand (ADD, SUB: the value; CMPXCHG: the expected value)
 * @src1: second operand (CMPXCHG: the new value)
 *
 * The operation is atomic against the CPU and every other engine.
 *
 * Return: 0, -EINVAL for a misaligned address, or -EFAULT if the dword is
 * not reachable.
 */
int xe_emu_mem_atomic(struct xe_emu_hw *hw, u64 pa, u32 op, u32 src0, u32 src1)
{
	struct xe_emu_map map;
	u32 *p, old, new;

	if (!IS_ALIGNED(pa, sizeof(u32)))
		return -EINVAL;
	if (xe_emu_map(hw, pa, sizeof(u32), &map))
		return -EFAULT;

	p = map.vaddr;
	old = READ_ONCE(*p);
	do {
		u32 val = le32_to_cpu((__force __le32)old);

		new = (__force u32)cpu_to_le32(xe_emu_atomic_result(op, val, src0, src1));
		if (new == old)
			break;
	} while (!try_cmpxchg(p, &old, new));

	xe_emu_unmap(&map);
	return 0;
}
