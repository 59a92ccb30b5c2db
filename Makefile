# Micro-hypervisor build.  `make` builds build/hv.elf, build/hv.efi and
# build/hv.iso; `make run`, `make test` and `make bench` are described in
# README.md.  Every source in CORE_DIRS below is part of the core, linked
# into both images; boot/mb2 and boot/efi belong to one image each.

BUILD      := build
CC         := gcc
LD         := ld
OBJCOPY    := objcopy
HOSTCC     := gcc

# The core runs identity-mapped wherever it is loaded: position-independent
# code with hidden visibility needs no GOT and links both as a fixed-address
# ELF (multiboot2) and as a relocatable PE (UEFI).  No SSE: the guest owns
# the FPU/vector state, the hypervisor never touches it.
WARN       := -Wall -Wextra -Werror -Wstrict-prototypes -Wmissing-prototypes \
              -Wshadow -Wpointer-arith -Wvla
CFLAGS     := -std=gnu11 -O2 -g $(WARN) -ffreestanding -fno-stack-protector \
              -fno-strict-aliasing -fno-omit-frame-pointer \
              -fpic -fvisibility=hidden -fno-asynchronous-unwind-tables \
              -mno-red-zone -mgeneral-regs-only -mno-mmx -mno-sse -mno-sse2 \
              -I. -MMD -MP
ASFLAGS    := -I. -MMD -MP -D__ASSEMBLY__

EFI_INC    := /usr/include/efi
EFI_LIB    := /usr/lib
EFI_CFLAGS := $(CFLAGS) -I$(EFI_INC) -I$(EFI_INC)/x86_64 -fshort-wchar \
              -DGNU_EFI_USE_MS_ABI -Wno-strict-prototypes -Wno-missing-prototypes

CORE_DIRS  := lib arch/x86 drivers mm boot guest guest/multiboot guest/linux \
              guest/acpi hv hv/vmx hv/vmcs hv/exit hv/vcpu hv/view
CORE_SRCS  := $(foreach d,$(CORE_DIRS),$(wildcard $(d)/*.c $(d)/*.S))
MB2_SRCS   := $(wildcard boot/mb2/*.c boot/mb2/*.S)
EFI_SRCS   := $(wildcard boot/efi/*.c boot/efi/*.S)

obj = $(patsubst %,$(BUILD)/obj/%.o,$(basename $(1)))
CORE_OBJS  := $(call obj,$(CORE_SRCS))
MB2_OBJS   := $(call obj,$(MB2_SRCS))
EFI_OBJS   := $(call obj,$(EFI_SRCS))

.PHONY: all run test unit boot-test bench clean deps
all: $(BUILD)/hv.elf $(BUILD)/hv.efi $(BUILD)/hv.iso

$(BUILD)/obj/boot/efi/%.o: boot/efi/%.c
	@mkdir -p $(dir $@)
	$(CC) $(EFI_CFLAGS) -c $< -o $@

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/obj/%.o: %.S
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(ASFLAGS) -c $< -o $@

# Multiboot2 image: a static ELF at the physical address in linker/hv-mb2.ld.
# The image GRUB loads carries no debug info (a fifth of the size, and GRUB
# reads it at about 3.5 MB/s from a CD in Bochs); hv.elf.debug keeps the
# symbols for addr2line on panic stack traces.
$(BUILD)/hv.elf.debug: $(MB2_OBJS) $(CORE_OBJS) linker/hv-mb2.ld
	$(LD) -nostdlib -static -z max-page-size=0x1000 -z noexecstack \
	      --no-dynamic-linker -T linker/hv-mb2.ld -o $@ $(MB2_OBJS) $(CORE_OBJS)

$(BUILD)/hv.elf: $(BUILD)/hv.elf.debug
	$(OBJCOPY) --strip-debug --add-gnu-debuglink=$< $< $@

# UEFI application: GNU-EFI's crt0 and self-relocation, our linker script.
# -z defs: a shared link would leave undefined symbols for a dynamic loader
# that does not exist (GNU-EFI's _relocate applies only RELATIVE relocations).
$(BUILD)/hv.so: $(EFI_OBJS) $(CORE_OBJS) linker/hv-efi.ld
	$(LD) -nostdlib -znocombreloc -z noexecstack -z defs -shared -Bsymbolic \
	      -T linker/hv-efi.ld -o $@ $(EFI_LIB)/crt0-efi-x86_64.o \
	      $(EFI_OBJS) $(CORE_OBJS) -L$(EFI_LIB) -lefi -lgnuefi

$(BUILD)/hv.efi: $(BUILD)/hv.so
	$(OBJCOPY) -j .text -j .sdata -j .data -j .dynamic -j .dynsym -j .rel \
	           -j .rela -j .rel.* -j .rela.* -j .reloc \
	           --target=efi-app-x86_64 --subsystem=10 $< $@

# Hybrid BIOS/UEFI ISO (CD-ROM, raw disk, USB stick) with the default entry.
$(BUILD)/hv.iso: $(BUILD)/hv.elf tools/mkiso.sh boot/grub.cfg
	tools/mkiso.sh $@ boot/grub.cfg $(BUILD)/hv.elf

# In-tree test guests (their own freestanding build).
-include tests/guest/guest.mk

# ---- host unit tests ------------------------------------------------------
# Pure sources compiled for Linux together with tests/unit/*.c.
UNIT_UNDER_TEST := boot/boot_info.c lib/format.c lib/cmdline.c hv/config.c mm/mtrr.c mm/ept.c boot/efi_memmap.c boot/efi_config.c lib/str_copy.c lib/log_level.c mm/pmm.c hv/vmx/feature_control.c boot/mb2/multiboot2.c hv/vmx/caps.c hv/vmx/ctls.c hv/vmx/ctls_names.c hv/exit/table.c hv/view/cpuid.c hv/view/msr_policy.c hv/view/mtrr_view.c hv/vmx/vm_instruction_error.c guest/multiboot/image.c guest/multiboot/info.c hv/vmcs/entry_check.c hv/vmcs/entry_check_ctls.c hv/vmcs/entry_check_guest.c hv/exit/stats.c guest/linux/bzimage.c guest/linux/boot_params.c guest/acpi/tables.c guest/acpi/synth.c arch/x86/madt.c
UNIT_SRCS  := $(wildcard tests/unit/*.c) $(UNIT_UNDER_TEST)
UNIT_CFLAGS := -std=gnu11 -O1 -g $(WARN) -Wno-missing-prototypes -I. \
               -DHOST_UNIT_TEST -fsanitize=address,undefined \
               -fno-sanitize-recover=all

$(BUILD)/unit-tests: $(UNIT_SRCS) $(wildcard tests/unit/*.h) $(wildcard */*.h */*/*.h */*/*/*.h)
	@mkdir -p $(dir $@)
	$(HOSTCC) $(UNIT_CFLAGS) -o $@ $(UNIT_SRCS)

unit: $(BUILD)/unit-tests
	$(BUILD)/unit-tests

# ---- runs -----------------------------------------------------------------
deps:
	@tools/deps.sh build

run:
	@tools/deps.sh run
	@$(MAKE) --no-print-directory all
	@BUILD="$(BUILD)" tools/run.sh

test:
	@tools/deps.sh test
	@$(MAKE) --no-print-directory all $(BUILD)/unit-tests $(BUILD)/guest/testguest.elf
	@BUILD="$(BUILD)" tests/run.sh $(FILTER)

bench:
	@tools/deps.sh test
	@$(MAKE) --no-print-directory all
	@BUILD="$(BUILD)" tests/bench.sh

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
