# In-tree test guest: a freestanding multiboot (v1) kernel, built apart from
# the hypervisor image (its own objects, flags and linker script).  Included
# by the top Makefile.  Outputs:
#   $(BUILD)/guest/testguest.elf   checks; command line `bench` for the
#                                  micro-benchmarks, `touch-hv-memory` to
#                                  read the hypervisor's range as a last check
#   $(BUILD)/guest/testguest.iso   BIOS GRUB ISO booting it (manual tests)

GUEST_DIR     := tests/guest
GUEST_OUT     := $(BUILD)/guest
GUEST_SRCS    := $(wildcard $(GUEST_DIR)/*.c $(GUEST_DIR)/*.S)
GUEST_OBJS    := $(patsubst %,$(GUEST_OUT)/obj/%.o,$(basename $(GUEST_SRCS)))

# Non-PIC, static, at 1 MiB.  No SSE: the guest never enables it for
# compiled code (the xsetbv check only sets XCR0).
GUEST_CFLAGS  := -std=gnu11 -O2 -g -m64 -ffreestanding -fno-pic -fno-pie \
                 -static -fno-stack-protector -fno-strict-aliasing \
                 -fno-omit-frame-pointer -fno-asynchronous-unwind-tables \
                 -mno-red-zone -mgeneral-regs-only -mno-mmx -mno-sse \
                 -mno-sse2 -fno-builtin \
                 -Wall -Wextra -Werror -Wstrict-prototypes \
                 -Wmissing-prototypes -Wshadow -Wpointer-arith -Wvla \
                 -I. -MMD -MP
GUEST_LDFLAGS := -nostdlib -static -no-pie -z max-page-size=0x1000 \
                 -z noexecstack --no-warn-rwx-segments --build-id=none

$(GUEST_OUT)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(call say,GUESTCC,$<)
	$(Q)$(CC) $(GUEST_CFLAGS) -c $< -o $@

$(GUEST_OUT)/obj/%.o: %.S
	@mkdir -p $(dir $@)
	$(call say,GUESTAS,$<)
	$(Q)$(CC) $(GUEST_CFLAGS) -D__ASSEMBLY__ -c $< -o $@

$(GUEST_OUT)/testguest.elf: $(GUEST_OBJS) $(GUEST_DIR)/guest.ld
	$(call say,GUESTLD,$@)
	$(Q)$(LD) $(GUEST_LDFLAGS) -T $(GUEST_DIR)/guest.ld -o $@ $(GUEST_OBJS)

$(GUEST_OUT)/testguest.iso: $(GUEST_OUT)/testguest.elf $(GUEST_DIR)/grub.cfg
	@mkdir -p $(GUEST_OUT)/iso/boot/grub
	$(call say,MKISO,$@)
	$(Q)cp $(GUEST_OUT)/testguest.elf $(GUEST_OUT)/iso/boot/testguest.elf
	$(Q)cp $(GUEST_DIR)/grub.cfg $(GUEST_OUT)/iso/boot/grub/grub.cfg
	$(Q)grub-mkrescue -d /usr/lib/grub/i386-pc -o $@ \
	    --install-modules="multiboot normal iso9660 biosdisk serial terminal" \
	    --locales= --fonts= --themes= $(GUEST_OUT)/iso 2>/dev/null

.PHONY: testguest
testguest: $(GUEST_OUT)/testguest.elf

-include $(shell find $(GUEST_OUT)/obj -name '*.d' 2>/dev/null)
