# The low-memory kernel (tests/lowmem/lowmem.c): one 32-bit multiboot (v1)
# kernel linked at four addresses, for tests/boot/66-bochs-low-memory.sh.
# Included by the top Makefile.  Outputs $(BUILD)/lowmem/lowmem-<N>m.elf.

LOWMEM_DIR     := tests/lowmem
LOWMEM_OUT     := $(BUILD)/lowmem
LOWMEM_MIB     := 1 2 4 16
LOWMEM_ELFS    := $(foreach m,$(LOWMEM_MIB),$(LOWMEM_OUT)/lowmem-$(m)m.elf)
LOWMEM_OBJS    := $(LOWMEM_OUT)/entry.o $(LOWMEM_OUT)/lowmem.o
.SECONDARY: $(LOWMEM_OBJS)

LOWMEM_CFLAGS  := -std=gnu11 -O2 -m32 -march=i686 -ffreestanding -fno-pic \
                  -fno-pie -fno-stack-protector -fno-asynchronous-unwind-tables \
                  -mgeneral-regs-only -fno-builtin -Wall -Wextra -Werror \
                  -Wstrict-prototypes -Wmissing-prototypes -I. -MMD -MP
LOWMEM_LDFLAGS := -m elf_i386 -nostdlib -static -no-pie -z max-page-size=0x1000 \
                  -z noexecstack --no-warn-rwx-segments --build-id=none

$(LOWMEM_OUT)/%.o: $(LOWMEM_DIR)/%.c
	@mkdir -p $(dir $@)
	$(call say,LOWMEMCC,$<)
	$(Q)$(CC) $(LOWMEM_CFLAGS) -c $< -o $@

$(LOWMEM_OUT)/%.o: $(LOWMEM_DIR)/%.S
	@mkdir -p $(dir $@)
	$(call say,LOWMEMAS,$<)
	$(Q)$(CC) $(LOWMEM_CFLAGS) -D__ASSEMBLY__ -c $< -o $@

# lowmem-<N>m.elf: linked at N MiB.
$(LOWMEM_OUT)/lowmem-%m.elf: $(LOWMEM_OBJS) $(LOWMEM_DIR)/lowmem.ld
	$(call say,LOWMEMLD,$@)
	$(Q)$(LD) $(LOWMEM_LDFLAGS) --defsym=LOWMEM_LOAD_ADDR=$$(($* << 20)) \
	      -T $(LOWMEM_DIR)/lowmem.ld -o $@ $(LOWMEM_OBJS)

.PHONY: lowmem
lowmem: $(LOWMEM_ELFS)

-include $(wildcard $(LOWMEM_OUT)/*.d)
