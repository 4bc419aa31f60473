/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright © 2026 The xe virtual GPU authors
 */

#ifndef _XE_EMU_HW_H_
#define _XE_EMU_HW_H_

#include <linux/bits.h>
#include <linux/compiler_types.h>
#include <linux/types.h>

/**
 * DOC: Hardware contract of the virtual Xe GT
 *
 * This header is the register specification of the emulated device: the
 * only thing the driver knows about the hardware, and the only thing the
 * emulator promises. The driver reaches the device through a bus (struct
 * xe_emu_bus) handed over as platform data, exactly as a PCI driver reaches
 * silicon through its BARs. It never looks inside &struct xe_emu_hw, and the
 * emulator never calls into the driver.
 *
 * The device exposes:
 *
 * - a register file of 32-bit registers at the offsets below, read and
 *   written through &xe_emu_bus_ops.read32 and &xe_emu_bus_ops.write32.
 *   Reads of unknown offsets return 0, writes to read-only or unknown
 *   offsets are dropped, like writes to reserved MMIO;
 * - one interrupt line (see Interrupts) and two command-transport rings
 *   in system memory through which contexts are registered and run, page
 *   faults are reported and answered, and TLBs are invalidated (see
 *   Command transport);
 * - engines that execute contexts' rings of commands (see Commands),
 *   translating addresses through page tables the driver writes (see
 *   GPU MMU). The device reaches system memory by bus address (there is
 *   no IOMMU: a bus address is a physical address);
 * - device memory (VRAM) of XE_EMU_REG_VRAM_SIZE bytes at device-physical
 *   offsets 0 .. size - 1, visible to the CPU through a BAR that covers
 *   all of it (&xe_emu_bus.vram_bar). The BAR is a kernel mapping for the
 *   driver's own accesses; &xe_emu_bus_ops.vram_pfn gives the page frame
 *   backing a BAR offset, for mapping VRAM into user space.
 */

/* Identification, read-only. */
#define XE_EMU_REG_ID			0x0000
#define   XE_EMU_ID_DEVICE		GENMASK(15, 0)
#define   XE_EMU_ID_REVISION		GENMASK(23, 16)
#define XE_EMU_REG_GFX_VERSION		0x0004
#define   XE_EMU_GFX_VERSION_MAJOR	GENMASK(15, 8)
#define   XE_EMU_GFX_VERSION_MINOR	GENMASK(7, 0)

/*
 * Engine fuses, read-only: a set bit means the engine exists. Bits 0-7 are
 * copy engines BCS0-BCS7, bits 8-15 compute engines CCS0-CCS7.
 */
#define XE_EMU_REG_ENGINE_FUSE		0x0008
#define   XE_EMU_FUSE_BCS_MASK		GENMASK(7, 0)
#define   XE_EMU_FUSE_CCS_MASK		GENMASK(15, 8)
#define   XE_EMU_FUSE_CCS_SHIFT		8

/* Device-memory size in bytes, read-only, low and high dword. */
#define XE_EMU_REG_VRAM_SIZE_LO		0x0010
#define XE_EMU_REG_VRAM_SIZE_HI		0x0014

/* Frequency of the GT timestamp counter in Hz, read-only. */
#define XE_EMU_REG_TIMESTAMP_FREQ	0x0018

/* Width of a GPU virtual address in bits, read-only. */
#define XE_EMU_REG_VA_BITS		0x001c

/* Scratch register: holds whatever was last written, for bring-up checks. */
#define XE_EMU_REG_SCRATCH		0x0020

/*
 * Version of the firmware interface behind the command transport (the
 * GuC's role), read-only. The driver reports it as the GuC version.
 */
#define XE_EMU_REG_CT_VERSION		0x0024
#define   XE_EMU_CT_VERSION_MAJOR	GENMASK(23, 16)
#define   XE_EMU_CT_VERSION_MINOR	GENMASK(15, 8)
#define   XE_EMU_CT_VERSION_PATCH	GENMASK(7, 0)

/*
 * Topology fuses, read-only; a set bit is an enabled unit. Dual sub-slices
 * (DSS, each usable for 3D and compute work), SIMD16 execution units in
 * every DSS, and L3 cache banks.
 */
#define XE_EMU_REG_DSS_FUSE		0x0028
#define XE_EMU_REG_EU_FUSE		0x002c
#define XE_EMU_REG_L3_BANK_FUSE		0x0030

/*
 * GT timestamp counter, read-only: 64 bits counting at
 * XE_EMU_REG_TIMESTAMP_FREQ from device reset. The two halves are read
 * separately, so a reader that needs both reads high, low, high and
 * retries when the high half changed.
 */
#define XE_EMU_REG_TIMESTAMP_LO		0x0034
#define XE_EMU_REG_TIMESTAMP_HI		0x0038

/**
 * DOC: Interrupts
 *
 * The device has one interrupt line, the platform device's IRQ resource 0.
 * XE_EMU_REG_IRQ_STATUS latches events; the line is asserted while any
 * latched event is also set in XE_EMU_REG_IRQ_ENABLE. Writing 1 to a status
 * bit clears it (write-1-to-clear); the handler clears what it serves
 * before serving it, so an event that arrives meanwhile raises the line
 * again.
 */
#define XE_EMU_REG_IRQ_STATUS		0x0040
#define XE_EMU_REG_IRQ_ENABLE		0x0044
/* The G2H ring holds messages the driver has not consumed. */
#define   XE_EMU_IRQ_G2H		BIT(0)
/* A context on engine n executed MI_USER_INTERRUPT (n = fuse bit index). */
#define   XE_EMU_IRQ_USER(n)		BIT(8 + (n))
#define   XE_EMU_IRQ_USER_MASK		GENMASK(23, 8)

/**
 * DOC: Command transport (CT)
 *
 * Everything but register reads and writes goes through two rings of
 * dwords in system memory that the driver allocates: host-to-GPU (H2G)
 * and GPU-to-host (G2H), GuC-style. Each ring is described by a base bus
 * address (page aligned), a size in bytes (a power of two, 4 KiB to
 * 1 MiB) and a head and a tail, in dwords from the base:
 *
 * - H2G: the driver writes messages at the tail and then writes the new
 *   tail to XE_EMU_REG_H2G_TAIL, which is the doorbell. The device
 *   consumes messages in order and advances XE_EMU_REG_H2G_HEAD.
 * - G2H: the device writes messages at its tail, advances
 *   XE_EMU_REG_G2H_TAIL and latches XE_EMU_IRQ_G2H. The driver consumes
 *   and writes XE_EMU_REG_G2H_HEAD. When the ring lacks room for a
 *   message the device waits for the driver, so the driver must drain it.
 *
 * A ring is empty when head == tail and never filled completely. Set the
 * base and size registers, zero both heads and tails, then set
 * XE_EMU_CT_ENABLE in XE_EMU_REG_CT_CTL; clearing the bit stops the
 * device from reading and writing the rings (after the message it is
 * handling, if any). A message is a header dword followed by
 * XE_EMU_CT_LEN payload dwords, and may wrap around the ring's end.
 */
#define XE_EMU_REG_CT_CTL		0x0080
#define   XE_EMU_CT_ENABLE		BIT(0)
#define XE_EMU_REG_H2G_BASE_LO		0x0084
#define XE_EMU_REG_H2G_BASE_HI		0x0088
#define XE_EMU_REG_H2G_SIZE		0x008c
#define XE_EMU_REG_H2G_HEAD		0x0090
#define XE_EMU_REG_H2G_TAIL		0x0094
#define XE_EMU_REG_G2H_BASE_LO		0x00a4
#define XE_EMU_REG_G2H_BASE_HI		0x00a8
#define XE_EMU_REG_G2H_SIZE		0x00ac
#define XE_EMU_REG_G2H_HEAD		0x00b0
#define XE_EMU_REG_G2H_TAIL		0x00b4

/* One past the last register offset. */
#define XE_EMU_REG_SPACE		0x1000

#define XE_EMU_CT_ACTION		GENMASK(31, 16)
#define XE_EMU_CT_LEN			GENMASK(7, 0)
/* Longest payload of any message, in dwords. */
#define XE_EMU_CT_MAX_LEN		16

/*
 * H2G CONTEXT_REGISTER {ctx_id, desc_lo, desc_hi}: make context ctx_id
 * (below XE_EMU_MAX_CONTEXTS, not registered yet) known, with its
 * descriptor (struct xe_emu_ctx_desc) at the given bus address. The
 * descriptor must stay in place until the deregistration is done.
 */
#define XE_EMU_H2G_CONTEXT_REGISTER	0x0001
/*
 * H2G CONTEXT_RUN {ctx_id}: the context's ring tail moved; run it. Sent
 * after the new tail is written to the descriptor.
 */
#define XE_EMU_H2G_CONTEXT_RUN		0x0002
/*
 * H2G CONTEXT_DEREGISTER {ctx_id}: stop the context, forget it, and answer
 * with G2H CONTEXT_DEREGISTER_DONE once the device will never touch the
 * context's memory again. A context stalled on a fault is dropped with
 * its fault.
 */
#define XE_EMU_H2G_CONTEXT_DEREGISTER	0x0003
/*
 * H2G PAGE_FAULT_REPLY {fault_id, result}: answer G2H PAGE_FAULT
 * fault_id. Result 0 replays the faulting access; anything else kills the
 * context (G2H CONTEXT_ERROR, reason XE_EMU_CTX_ERR_FAULT).
 */
#define XE_EMU_H2G_PAGE_FAULT_REPLY	0x0010
/*
 * H2G TLB_INVALIDATE {seqno, asid, start_lo, start_hi, len_lo, len_hi}:
 * make every engine forget translations of address space asid in
 * [start, start + len) (all of it when len is 0), then answer with G2H
 * TLB_INVALIDATE_DONE {seqno}. Once the answer is sent, no access through
 * a forgotten translation is in flight or will start.
 */
#define XE_EMU_H2G_TLB_INVALIDATE	0x0020

/*
 * G2H PAGE_FAULT {fault_id, ctx_id, asid, va_lo, va_hi, access, engine,
 * level, reason}: context ctx_id, which is XE_EMU_CTX_FAULTABLE, stalled on
 * an access its page tables do not allow. access is XE_EMU_ACCESS_*,
 * engine is (class << 8 | instance) with XE_EMU_ENGINE_CLASS_*, level the
 * page-table level where the walk stopped (0 = PTE ... 3 = PML4) and
 * reason XE_EMU_FAULT_*. The context stays stalled, and other contexts
 * keep running, until PAGE_FAULT_REPLY for fault_id.
 */
#define XE_EMU_G2H_PAGE_FAULT		0x1001
/* G2H TLB_INVALIDATE_DONE {seqno}: see XE_EMU_H2G_TLB_INVALIDATE. */
#define XE_EMU_G2H_TLB_INVALIDATE_DONE	0x1002
/*
 * G2H CONTEXT_ERROR {ctx_id, reason, detail_lo, detail_hi}: the context
 * hit an error (reason XE_EMU_CTX_ERR_*; detail is the faulting address
 * or the offending command dword) and will not run again. Its descriptor
 * has status XE_EMU_CTX_STATUS_ERROR; it still has to be deregistered.
 */
#define XE_EMU_G2H_CONTEXT_ERROR	0x1003
/* G2H CONTEXT_DEREGISTER_DONE {ctx_id}: see CONTEXT_DEREGISTER. */
#define XE_EMU_G2H_CONTEXT_DEREGISTER_DONE 0x1004

#define XE_EMU_ACCESS_READ		0
#define XE_EMU_ACCESS_WRITE		1
#define XE_EMU_ACCESS_ATOMIC		2

/* No valid translation at the level given. */
#define XE_EMU_FAULT_NOT_PRESENT	0
/* Write or atomic through a read-only translation. */
#define XE_EMU_FAULT_WRITE_PROTECTED	1
/* Atomic on a page that is neither device memory nor XE_EMU_PTE_AE. */
#define XE_EMU_FAULT_ATOMIC		2

/* Access without a valid translation in a context that cannot fault. */
#define XE_EMU_CTX_ERR_CAT		1
/* Command unknown, malformed, or not allowed where it was found. */
#define XE_EMU_CTX_ERR_COMMAND		2
/* The driver answered a page fault with failure. */
#define XE_EMU_CTX_ERR_FAULT		3
/* A copy-engine transfer failed. */
#define XE_EMU_CTX_ERR_COPY		4
/* Ring, descriptor or physical address outside memory the device reaches. */
#define XE_EMU_CTX_ERR_DMA		5

#define XE_EMU_ENGINE_CLASS_COPY	1
#define XE_EMU_ENGINE_CLASS_COMPUTE	4

/*
 * XE_EMU_MAX_CONTEXTS - context ids are below this. As with the GuC, 16
 * bits of id: 0 is never registered, so 65535 contexts can exist at once.
 */
#define XE_EMU_MAX_CONTEXTS		65536

/**
 * struct xe_emu_ctx_desc - context descriptor, in system memory
 *
 * The driver fills it before CONTEXT_REGISTER and afterwards writes only
 * @ring_tail (then sends CONTEXT_RUN). The device reads @ring_tail and
 * writes @ring_head and @status. All fields are little endian.
 */
struct xe_emu_ctx_desc {
	/** @ring_base: bus address of the ring, page aligned */
	__le64 ring_base;
	/** @ring_size: bytes, a power of two from 4 KiB to 1 MiB */
	__le32 ring_size;
	/** @ring_head: byte offset of the next command, written by the device */
	__le32 ring_head;
	/** @ring_tail: byte offset after the last command, written by the driver */
	__le32 ring_tail;
	/** @flags: XE_EMU_CTX_* */
	__le32 flags;
	/**
	 * @pt_root: address of the top-level (PML4) page table, with
	 * XE_EMU_PTE_DM when it lives in device memory; unused by
	 * XE_EMU_CTX_PHYSICAL contexts
	 */
	__le64 pt_root;
	/** @asid: address-space id, named in faults and TLB invalidations */
	__le32 asid;
	/** @engine: (class << 8 | instance) of the engine that runs it */
	__le32 engine;
	/** @status: XE_EMU_CTX_STATUS_*, written by the device */
	__le32 status;
	/** @reserved: must be zero */
	__le32 reserved[5];
};

/* Page faults stall the context and are reported, instead of killing it. */
#define XE_EMU_CTX_FAULTABLE		BIT(0)
/*
 * Addresses are physical, not translated: a bus address of system memory,
 * or a device-memory offset with XE_EMU_ADDR_DM set. For the kernel's
 * migration contexts; batches cannot be started in such a context.
 */
#define XE_EMU_CTX_PHYSICAL		BIT(1)

#define XE_EMU_CTX_STATUS_IDLE		0
#define XE_EMU_CTX_STATUS_RUNNING	1
#define XE_EMU_CTX_STATUS_STALLED	2
#define XE_EMU_CTX_STATUS_ERROR		3

/* In a physical address: the address is a device-memory offset. */
#define XE_EMU_ADDR_DM			BIT_ULL(47)

/**
 * DOC: GPU MMU
 *
 * A context's addresses are translated by a 4-level table walk, 48-bit
 * virtual addresses, 512 eight-byte entries a table, tables 4 KiB and
 * aligned, in system memory or device memory (XE_EMU_PTE_DM in the entry
 * that points at them). Levels: 3 (PML4, VA bits 47:39), 2 (PDP, 38:30),
 * 1 (PD, 29:21), 0 (PT, 20:12). As on Xe hardware, bits 63:48 of a
 * virtual address are ignored: an address with any of them set reaches
 * the same page as its low 48 bits, and a fault reports those low bits.
 *
 * - An entry is valid with XE_EMU_PTE_PRESENT; its address field
 *   (XE_EMU_PTE_ADDR) is the next table or the page, a bus address or,
 *   with XE_EMU_PTE_DM, a device-memory offset.
 * - A level-1 entry with XE_EMU_PDE_PS_2M maps a 2 MiB page (address 2 MiB
 *   aligned); a level-2 entry with XE_EMU_PDE_PS_1G (the same bit) maps a
 *   1 GiB page (address 1 GiB aligned).
 * - A level-0 entry with XE_EMU_PTE_PS64 is one of the 16 entries of a
 *   64 KiB page: all 16 must be written, each with the address of its own
 *   4 KiB part, and the TLB may cache the whole 64 KiB from any of them.
 * - Leaves: XE_EMU_PTE_RW allows writes; atomics need RW and either DM or
 *   XE_EMU_PTE_AE (system memory with atomics enabled). XE_EMU_PTE_NULL
 *   maps nothing: reads return zero and writes are dropped.
 *
 * Each engine caches translations in its own TLB and forgets them only on
 * TLB_INVALIDATE (or when it runs out of room). A driver that rewrites
 * entries without invalidating sees the engines keep using the old ones.
 */
#define XE_EMU_PTE_PRESENT		BIT_ULL(0)
#define XE_EMU_PTE_RW			BIT_ULL(1)
#define XE_EMU_PDE_PS_2M		BIT_ULL(7)
#define XE_EMU_PDE_PS_1G		BIT_ULL(7)
#define XE_EMU_PTE_PS64			BIT_ULL(8)
#define XE_EMU_PTE_NULL			BIT_ULL(9)
#define XE_EMU_PTE_AE			BIT_ULL(10)
#define XE_EMU_PTE_DM			BIT_ULL(11)
#define XE_EMU_PTE_ADDR			GENMASK_ULL(47, 12)

/**
 * DOC: Commands
 *
 * Rings and batches hold commands in the Xe encoding: dword 0 carries the
 * type in bits 31:29 and, for MI commands, the opcode in bits 28:23; the
 * length field is the command's dword count minus two. Commands in a ring
 * are privileged: their XE_EMU_MI_GGTT address bits select physical
 * addresses. In a batch (started by MI_BATCH_BUFFER_START from a ring)
 * every address goes through the context's page tables and a set GGTT bit
 * is a command error. Batches do not nest: MI_BATCH_BUFFER_START in a
 * batch chains, the batch going on at the new address, which is how a
 * spinning batch loops. Anything not listed is a command error; so is
 * MEM_SET or MEM_COPY on a compute engine.
 *
 * - MI_NOOP (1 dword).
 * - MI_USER_INTERRUPT (1): latch XE_EMU_IRQ_USER for the engine.
 * - MI_ARB_CHECK (1): a preemption point; every command boundary is one
 *   here, so it does nothing more.
 * - MI_BATCH_BUFFER_END (1): back to the ring.
 * - MI_BATCH_BUFFER_START | XE_EMU_MI_BB_PPGTT (3): addr lo, hi; without
 *   XE_EMU_MI_BB_SECOND_LEVEL, which is a command error.
 * - MI_COND_BATCH_BUFFER_END | XE_EMU_MI_COND_COMPARE (4), batches only:
 *   compare dword, addr lo, hi. The batch ends unless the dword at addr is
 *   above the compare dword (unsigned); without the compare bit it is a
 *   command error.
 * - MI_STORE_DATA_IMM (4 or 5): addr lo, hi, data dword (or qword with
 *   XE_EMU_MI_SDI_QW), GGTT bit 22.
 * - MI_FLUSH_DW (2..5): with XE_EMU_MI_FLUSH_STOREDW a post-sync write of
 *   the immediate dword (length 4) or qword (length 5) to addr lo
 *   (| XE_EMU_MI_FLUSH_GGTT for physical), addr hi. Every command before
 *   it has completed when the write lands.
 * - MI_ATOMIC (3, or 11 with XE_EMU_MI_ATOMIC_INLINE): addr lo, hi, then
 *   8 operand dwords. Operations on dwords: INC, DEC (no operand), ADD,
 *   SUB (operand 0), CMPXCHG (write operand 1 if the value equals
 *   operand 0). XE_EMU_MI_ATOMIC_RETURN (return the old value) is not
 *   supported and is a command error; without XE_EMU_MI_ATOMIC_INLINE
 *   only INC and DEC are valid.
 * - MEM_SET (7): width - 1 (bytes), height - 1 (0), pitch - 1 (ignored),
 *   dst lo, dst hi, fill byte in bits 31:24: fills width bytes.
 * - MEM_COPY (10): width - 1 (bytes, or 4 KiB pages with
 *   XE_EMU_MEM_COPY_PAGE), height - 1 (0), src pitch - 1, dst pitch - 1
 *   (ignored), src lo, src hi, dst lo, dst hi, MOCS (ignored).
 */
#define XE_EMU_INSTR_TYPE		GENMASK(31, 29)
#define   XE_EMU_INSTR_MI		0
#define   XE_EMU_INSTR_BLT		2
#define XE_EMU_MI_OPCODE		GENMASK(28, 23)
#define XE_EMU_BLT_OPCODE		GENMASK(28, 22)
#define XE_EMU_INSTR_LEN		GENMASK(7, 0)

#define XE_EMU_MI(op)			((u32)(op) << 23)
#define XE_EMU_MI_NOOP			XE_EMU_MI(0x00)
#define XE_EMU_MI_USER_INTERRUPT	XE_EMU_MI(0x02)
#define XE_EMU_MI_ARB_CHECK		XE_EMU_MI(0x05)
#define XE_EMU_MI_BATCH_BUFFER_END	XE_EMU_MI(0x0a)
#define XE_EMU_MI_STORE_DATA_IMM	XE_EMU_MI(0x20)
#define   XE_EMU_MI_GGTT		BIT(22)
#define   XE_EMU_MI_SDI_QW		BIT(21)
#define XE_EMU_MI_FLUSH_DW		XE_EMU_MI(0x26)
#define   XE_EMU_MI_FLUSH_STOREDW	BIT(14)
#define   XE_EMU_MI_FLUSH_GGTT		BIT(2)
#define XE_EMU_MI_ATOMIC		XE_EMU_MI(0x2f)
#define   XE_EMU_MI_ATOMIC_RETURN	BIT(21)
#define   XE_EMU_MI_ATOMIC_INLINE	BIT(18)
#define   XE_EMU_MI_ATOMIC_OP		GENMASK(15, 8)
#define   XE_EMU_ATOMIC_CMPXCHG		0x0e
#define   XE_EMU_ATOMIC_INC		0x05
#define   XE_EMU_ATOMIC_DEC		0x06
#define   XE_EMU_ATOMIC_ADD		0x07
#define   XE_EMU_ATOMIC_SUB		0x08
#define XE_EMU_MI_BATCH_BUFFER_START	XE_EMU_MI(0x31)
#define   XE_EMU_MI_BB_SECOND_LEVEL	BIT(22)
#define   XE_EMU_MI_BB_PPGTT		BIT(8)
#define XE_EMU_MI_COND_BATCH_BUFFER_END	XE_EMU_MI(0x36)
#define   XE_EMU_MI_COND_COMPARE	BIT(21)

#define XE_EMU_BLT(op)			((2u << 29) | (u32)(op) << 22)
#define XE_EMU_MEM_COPY			XE_EMU_BLT(0x5a)
#define   XE_EMU_MEM_COPY_PAGE		BIT(19)
#define XE_EMU_MEM_SET			XE_EMU_BLT(0x5b)
#define   XE_EMU_MEM_SET_DATA		GENMASK(31, 24)

/* Dword count of a command, from dword 0: the length field plus two. */
#define XE_EMU_INSTR_DWORDS(dw0)	(((dw0) & XE_EMU_INSTR_LEN) + 2)

struct xe_emu_hw;

/**
 * struct xe_emu_bus_ops - how the CPU reaches the device
 *
 * All members are required and may be called from any context that may
 * sleep; read32 and write32 may also be called from atomic context.
 */
struct xe_emu_bus_ops {
	/**
	 * @read32: Read the 32-bit register at byte offset @reg.
	 */
	u32 (*read32)(struct xe_emu_hw *hw, u32 reg);
	/**
	 * @write32: Write @val to the 32-bit register at byte offset @reg.
	 */
	void (*write32)(struct xe_emu_hw *hw, u32 reg, u32 val);
	/**
	 * @vram_pfn: Page frame number backing the VRAM BAR at byte offset
	 * @offset, which must be below the VRAM size.
	 */
	unsigned long (*vram_pfn)(struct xe_emu_hw *hw, u64 offset);
};

/**
 * struct xe_emu_bus - what the device hands its driver (platform data)
 */
struct xe_emu_bus {
	/** @ops: bus operations */
	const struct xe_emu_bus_ops *ops;
	/** @hw: the device instance, opaque to the driver */
	struct xe_emu_hw *hw;
	/** @vram_bar: CPU mapping of all of VRAM */
	void __iomem *vram_bar;
};

/** XE_EMU_DEVICE_NAME - platform device name of the virtual GPU */
#define XE_EMU_DEVICE_NAME		"xe"

#endif
