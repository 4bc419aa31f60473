/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright © 2026 The xe virtual GPU authors
 */

#ifndef _XE_EMU_H_
#define _XE_EMU_H_

#include <linux/types.h>

struct xe_emu_hw;

int xe_emu_init(unsigned int num_devices, u64 vram_size);
void xe_emu_fini(void);

u32 xe_emu_reg_read(struct xe_emu_hw *hw, u32 reg);
void xe_emu_reg_write(struct xe_emu_hw *hw, u32 reg, u32 val);

#endif
