/*
 * TEMPORARY: weak placeholders so the image links while the pieces are
 * written in parallel.  Each real definition overrides its placeholder.
 * This file is deleted once every piece has landed.
 */
#include "arch/x86/percpu.h"
#include "boot/boot_info.h"
#include "hv/config.h"
#include "hv/stop.h"
#include "hv/vmx_detect.h"
#include "mm/paging.h"
#include "mm/pmm.h"

#define WEAK __attribute__((weak))

WEAK void percpu_init_bsp(void) {}
WEAK void boot_info_log(const struct boot_info *bi) { (void)bi; }
WEAK void pmm_init(const struct boot_info *bi) { (void)bi; }
WEAK void paging_init(const struct boot_info *bi) { (void)bi; }
WEAK void pmm_reclaim_boot_services(const struct boot_info *bi) { (void)bi; }
WEAK bool vmx_detect(struct vmx_caps *caps) { (void)caps; return false; }
WEAK bool vmx_smoke_test(const struct vmx_caps *caps) { (void)caps; return false; }
