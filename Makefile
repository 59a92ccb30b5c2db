# Micro-hypervisor build.  `make` builds build/hv.elf, build/hv.efi and
# build/hv.iso; `make run`, `make test` and `make bench` are described in
# README.md.  Every source in CORE_DIRS below is part of the core, linked
# into both images; boot/mb2 and boot/efi belong to one image each.

BUILD      := build
CC         := gcc
LD         := ld
OBJCOPY    := objcopy
HOSTCC     := gcc

# One short line per step (`  CC      hv/main.c`), as Linux's kbuild prints;
# `make V=1` prints every command instead, `make -s` neither.  Compiler
# messages show in full either way.  $(call say,TAG,WHAT) is the short
# line, $(Q) hides a command.
ifeq ($(V),1)
Q          :=
say         =
else
Q          := @
say         = @printf '  %-7s %s\n' '$(1)' '$(2)'
endif
ifneq ($(findstring s,$(firstword -$(MAKEFLAGS))),)
say         =
endif

# The core runs identity-mapped wherever it is loaded: position-independent
# code with hidden visibility needs no GOT and links both as a fixed-address
# ELF (multiboot2) and as a relocatable PE (UEFI).  No SSE: the guest owns
# the FPU/vector state, the hypervisor never touches it.
# Indirect calls and jumps of the core as retpolines (inline thunks: no
# symbols to provide), so a guest cannot steer them through the branch
# target buffer; returns are covered by the RSB fill after every VM exit
# (hv/vcpu/mitigations.h).
RETPOLINE  := -mindirect-branch=thunk-inline -mindirect-branch-register
WARN       := -Wall -Wextra -Werror -Wstrict-prototypes -Wmissing-prototypes \
              -Wshadow -Wpointer-arith -Wvla
CFLAGS     := -std=gnu11 -O2 -g $(WARN) -ffreestanding -fno-stack-protector \
              -fno-strict-aliasing -fno-omit-frame-pointer \
              -fpic -fvisibility=hidden -fno-asynchronous-unwind-tables \
              -mno-red-zone -mgeneral-regs-only -mno-mmx -mno-sse -mno-sse2 \
              $(RETPOLINE) -I. -MMD -MP
ASFLAGS    := -I. -MMD -MP -D__ASSEMBLY__

EFI_INC    := /usr/include/efi
EFI_LIB    := /usr/lib
EFI_CFLAGS := $(CFLAGS) -I$(EFI_INC) -I$(EFI_INC)/x86_64 -fshort-wchar \
              -DGNU_EFI_USE_MS_ABI -Wno-strict-prototypes -Wno-missing-prototypes

CORE_DIRS  := lib arch/x86 drivers mm boot guest guest/multiboot guest/linux \
              guest/acpi hv hv/vmx hv/vmcs hv/exit hv/vcpu hv/view hv/monitor \
              hv/lapic
CORE_SRCS  := $(foreach d,$(CORE_DIRS),$(wildcard $(d)/*.c $(d)/*.S))
MB2_SRCS   := $(wildcard boot/mb2/*.c boot/mb2/*.S)
EFI_SRCS   := $(wildcard boot/efi/*.c boot/efi/*.S)

obj = $(patsubst %,$(BUILD)/obj/%.o,$(basename $(1)))
CORE_OBJS  := $(call obj,$(CORE_SRCS))
MB2_OBJS   := $(call obj,$(MB2_SRCS))
EFI_OBJS   := $(call obj,$(EFI_SRCS))

.PHONY: all run test unit boot-test bench clean deps fuzz fuzz-targets memtest-test
all: $(BUILD)/hv.elf $(BUILD)/hv.efi $(BUILD)/hv.iso

$(BUILD)/obj/boot/efi/%.o: boot/efi/%.c
	@mkdir -p $(dir $@)
	$(call say,CC,$<)
	$(Q)$(CC) $(EFI_CFLAGS) -c $< -o $@

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(call say,CC,$<)
	$(Q)$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/obj/%.o: %.S
	@mkdir -p $(dir $@)
	$(call say,AS,$<)
	$(Q)$(CC) $(CFLAGS) $(ASFLAGS) -c $< -o $@

# Multiboot2 image: a static PIE at the physical address in linker/hv-mb2.ld
# (position-independent so that it can move itself: boot/image_move.c).
# The image GRUB loads carries no debug info (a fifth of the size, and GRUB
# reads it at about 3.5 MB/s from a CD in Bochs); hv.elf.debug keeps the
# symbols for addr2line on panic stack traces.
$(BUILD)/hv.elf.debug: $(MB2_OBJS) $(CORE_OBJS) linker/hv-mb2.ld
	$(call say,LD,$@)
	$(Q)$(LD) -nostdlib -pie --no-dynamic-linker -z text -z max-page-size=0x1000 \
	      -z noexecstack -T linker/hv-mb2.ld -o $@ $(MB2_OBJS) $(CORE_OBJS)

$(BUILD)/hv.elf: $(BUILD)/hv.elf.debug
	$(call say,OBJCOPY,$@)
	$(Q)$(OBJCOPY) --strip-debug --add-gnu-debuglink=$< $< $@

# UEFI application: GNU-EFI's crt0 and self-relocation, our linker script.
# -z defs: a shared link would leave undefined symbols for a dynamic loader
# that does not exist (GNU-EFI's _relocate applies only RELATIVE relocations).
$(BUILD)/hv.so: $(EFI_OBJS) $(CORE_OBJS) linker/hv-efi.ld
	$(call say,LD,$@)
	$(Q)$(LD) -nostdlib -znocombreloc -z noexecstack -z defs -shared -Bsymbolic \
	      -T linker/hv-efi.ld -o $@ $(EFI_LIB)/crt0-efi-x86_64.o \
	      $(EFI_OBJS) $(CORE_OBJS) -L$(EFI_LIB) -lefi -lgnuefi

$(BUILD)/hv.efi: $(BUILD)/hv.so
	$(call say,OBJCOPY,$@)
	$(Q)$(OBJCOPY) -j .text -j .sdata -j .data -j .dynamic -j .dynsym -j .rel \
	           -j .rela -j .rel.* -j .rela.* -j .reloc \
	           --target=efi-app-x86_64 --subsystem=10 $< $@

# Hybrid BIOS/UEFI ISO (CD-ROM, raw disk, USB stick) with the default entry.
$(BUILD)/hv.iso: $(BUILD)/hv.elf tools/mkiso.sh boot/grub.cfg
	$(call say,MKISO,$@)
	$(Q)tools/mkiso.sh $@ boot/grub.cfg $(BUILD)/hv.elf

# In-tree test guests (their own freestanding build).
-include tests/guest/guest.mk
-include tests/lowmem/lowmem.mk

# ---- host unit tests ------------------------------------------------------
# Pure sources compiled for Linux together with tests/unit/*.c.
UNIT_UNDER_TEST := boot/boot_info.c mm/memmap.c lib/format.c lib/cmdline.c boot/config.c mm/mtrr.c mm/ept.c boot/efi_memmap.c boot/efi_config.c lib/str_copy.c lib/log_level.c mm/pmm.c hv/vmx/feature_control.c boot/mb2/multiboot2.c hv/vmx/caps.c hv/vmx/ctls.c hv/vmx/ctls_names.c hv/exit/table.c hv/view/cpuid.c hv/vmx/vm_instruction_error.c guest/multiboot/image.c guest/multiboot/info.c hv/vmcs/entry_check.c hv/vmcs/entry_check_ctls.c hv/vmcs/entry_check_guest.c hv/exit/stats.c guest/linux/bzimage.c guest/linux/boot_params.c guest/acpi/tables.c guest/acpi/synth.c arch/x86/madt.c drivers/uart_line.c hv/vcpu/init_state.c hv/view/msr_policy.c hv/view/mtrr_view.c
UNIT_UNDER_TEST += hv/lapic/vlapic.c hv/lapic/vlapic_timer.c hv/lapic/vlapic_base.c hv/lapic/vlapic_icr.c
UNIT_UNDER_TEST += hv/vcpu/page_walk.c hv/vcpu/seg_check.c
UNIT_UNDER_TEST += hv/exit/tss.c
UNIT_UNDER_TEST += drivers/dmar.c drivers/vtd.c
UNIT_UNDER_TEST += lib/ring.c hv/view/vuart.c hv/monitor/parse.c
UNIT_UNDER_TEST += boot/image_reloc.c mm/place.c
UNIT_UNDER_TEST += boot/efi_load_options.c
UNIT_UNDER_TEST += arch/x86/madt_irq.c
UNIT_UNDER_TEST += hv/view/cpu_features.c arch/x86/mce_flags.c
UNIT_SRCS  := $(wildcard tests/unit/*.c) $(UNIT_UNDER_TEST)
UNIT_CFLAGS := -std=gnu11 -O1 -g $(WARN) -Wno-missing-prototypes -I. \
               -DHOST_UNIT_TEST -fsanitize=address,undefined \
               -fno-sanitize-recover=all
# The MMIO instruction decoder and write watch (a line of their own, apart
# from the list above, so that branches adding to that list merge).
UNIT_SRCS  += arch/x86/insn_decode.c hv/vcpu/mmio_regs.c \
              hv/view/mmio_judge.c guest/acpi/mcfg.c

# The screen console's font and renderer.
UNIT_SRCS  += lib/font.c lib/fb_draw.c drivers/fbcon.c

# The serial= choices: PCI 16550 discovery.
UNIT_SRCS  += drivers/pci_uart.c drivers/spcr.c

# The one ACPI walk (RSDP -> XSDT/RSDT -> a table).
UNIT_SRCS  += arch/x86/acpi.c

$(BUILD)/unit-tests: $(UNIT_SRCS) $(wildcard tests/unit/*.h) $(wildcard */*.h */*/*.h */*/*/*.h)
	@mkdir -p $(dir $@)
	$(call say,HOSTCC,$@)
	$(Q)$(HOSTCC) $(UNIT_CFLAGS) -o $@ $(UNIT_SRCS)

# The screen-dump reader of the screen-console boot test (tools/fbshot.c).
$(BUILD)/fbshot: tools/fbshot.c lib/fb_draw.c lib/font.c lib/fb_draw.h lib/font.h
	@mkdir -p $(dir $@)
	$(call say,HOSTCC,$@)
	$(Q)$(HOSTCC) -std=gnu11 -O2 $(WARN) -Wno-missing-prototypes -I. \
		-DHOST_UNIT_TEST -o $@ tools/fbshot.c lib/fb_draw.c lib/font.c

unit: $(BUILD)/unit-tests
	$(BUILD)/unit-tests

# ---- host fuzz targets (docs/fuzzing.md) ----------------------------------
# One libFuzzer binary per tests/fuzz/fuzz_*.c, linked with the pure
# sources that read boot input (a subset of UNIT_UNDER_TEST, instrumented
# once, in $(BUILD)/fuzz/obj), and a seed corpus written by
# tests/fuzz/seeds.c.  `make test` runs each for a
# few seconds (tests/run.sh); `make fuzz` for FUZZ_SECONDS each.
FUZZ_CC      := clang
FUZZ_SECONDS ?= 60
FUZZ_NAMES   := $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BINS    := $(patsubst %,$(BUILD)/fuzz/fuzz_%,$(FUZZ_NAMES))
FUZZ_CFLAGS  := -std=gnu11 -O1 -g $(WARN) -Wno-missing-prototypes -I. \
                -DHOST_UNIT_TEST -fno-sanitize-recover=all
FUZZ_SAN     := address,undefined
FUZZ_UNDER_TEST := boot/mb2/multiboot2.c guest/multiboot/image.c \
                   guest/multiboot/info.c guest/linux/bzimage.c \
                   guest/linux/boot_params.c arch/x86/madt.c \
                   boot/efi_memmap.c boot/efi_config.c guest/acpi/tables.c \
                   lib/cmdline.c boot/config.c mm/memmap.c boot/boot_info.c lib/format.c \
                   lib/str_copy.c lib/log_level.c
FUZZ_UNDER_TEST += hv/vcpu/page_walk.c
FUZZ_UNDER_TEST += drivers/dmar.c
FUZZ_UNDER_TEST += drivers/spcr.c
FUZZ_UNDER_TEST += hv/monitor/parse.c
FUZZ_UNDER_TEST += lib/fb_draw.c lib/font.c      # boot_info_fb_surface
FUZZ_UNDER_TEST += boot/efi_load_options.c
FUZZ_UNDER_TEST += arch/x86/acpi.c
FUZZ_UNDER_TEST += arch/x86/madt_irq.c
FUZZ_OBJS    := $(patsubst %.c,$(BUILD)/fuzz/obj/%.o,$(FUZZ_UNDER_TEST) tests/fuzz/common.c)
FUZZ_OBJS    += $(BUILD)/fuzz/obj/arch/x86/insn_decode.o   # the MMIO decoder (fuzz_insn_decode)
FUZZ_HDRS    := $(wildcard tests/fuzz/*.h) $(wildcard */*.h */*/*.h */*/*/*.h)
.SECONDARY: $(FUZZ_OBJS)

$(BUILD)/fuzz/obj/%.o: %.c $(FUZZ_HDRS)
	@mkdir -p $(dir $@)
	$(call say,FUZZCC,$<)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link,$(FUZZ_SAN) -c $< -o $@

$(BUILD)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_OBJS) $(FUZZ_HDRS)
	$(call say,FUZZLD,$@)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer,$(FUZZ_SAN) -o $@ $< $(FUZZ_OBJS)

# The seed generator is an ordinary host program.
$(BUILD)/fuzz/seeds: tests/fuzz/seeds.c $(FUZZ_HDRS)
	@mkdir -p $(dir $@)
	$(call say,HOSTCC,$@)
	$(Q)$(HOSTCC) -std=gnu11 -O1 -g $(WARN) -Wno-missing-prototypes -I. -o $@ $<

$(BUILD)/fuzz/seeds.stamp: $(BUILD)/fuzz/seeds
	$(call say,SEEDS,$(BUILD)/fuzz/seed-corpus)
	$(Q)rm -rf $(BUILD)/fuzz/seed-corpus
	$(Q)$(BUILD)/fuzz/seeds $(BUILD)/fuzz/seed-corpus
	@touch $@

fuzz-targets: $(FUZZ_BINS) $(BUILD)/fuzz/seeds.stamp

fuzz:
	@tools/deps.sh test
	@$(MAKE) --no-print-directory fuzz-targets
	@BUILD="$(BUILD)" FUZZ_SECONDS="$(FUZZ_SECONDS)" tests/fuzz/run.sh

# ---- runs -----------------------------------------------------------------
# `make usb DEV=/dev/sdX [YES=1] [IMAGE=my.iso]`: write the hybrid image to
# a USB stick, refusing a disk that is not removable, mounted, the running
# system's, or too small (tools/usb-write.sh, docs/hardware.md).
.PHONY: usb
IMAGE      ?= $(BUILD)/hv.iso
usb: $(BUILD)/hv.iso
	@test -n "$(DEV)" || { echo "make usb: say which disk: make usb DEV=/dev/sdX"; exit 2; }
	@YES="$(YES)" tools/usb-write.sh "$(IMAGE)" "$(DEV)"

deps:
	@tools/deps.sh build

run:
	@tools/deps.sh run
	@$(MAKE) --no-print-directory all
	@BUILD="$(BUILD)" tools/run.sh

test:
	@tools/deps.sh test
	@$(MAKE) --no-print-directory all $(BUILD)/unit-tests $(BUILD)/guest/testguest.elf lowmem \
		$(BUILD)/fbshot
	@$(MAKE) --no-print-directory fuzz-targets || \
		echo "make: the fuzz targets did not build; tests/run.sh reports them"
	@BUILD="$(BUILD)" tests/run.sh $(FILTER)

# Optional: Debian's memtest86+ bare and under the hypervisor in Bochs
# (tests/optional/memtest.sh, a few minutes; not part of `make test`).
memtest-test:
	@tools/deps.sh test
	@$(MAKE) --no-print-directory all
	@BUILD="$(BUILD)" tests/optional/memtest.sh

bench:
	@tools/deps.sh test
	@$(MAKE) --no-print-directory all
	@BUILD="$(BUILD)" tests/bench.sh

clean:
	$(call say,CLEAN,$(BUILD))
	$(Q)rm -rf $(BUILD)

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
