/*
 * The parts of the ELF format (System V ABI, "Object Files") a guest loader
 * reads: the file header's identification, type and program-header fields,
 * and program headers, for ELF32 and ELF64.  Little-endian x86 only.
 */
#ifndef GUEST_ELF_H
#define GUEST_ELF_H

#include <stdint.h>

#define EI_NIDENT     16
#define EI_MAG0       0
#define EI_CLASS      4
#define EI_DATA       5
#define ELFMAG        "\177ELF"
#define SELFMAG       4
#define ELFCLASS32    1
#define ELFCLASS64    2
#define ELFDATA2LSB   1
#define EM_386        3
#define EM_X86_64     62
#define PT_LOAD       1

struct elf32_ehdr {
	uint8_t e_ident[EI_NIDENT];
	uint16_t e_type, e_machine;
	uint32_t e_version;
	uint32_t e_entry, e_phoff, e_shoff;
	uint32_t e_flags;
	uint16_t e_ehsize, e_phentsize, e_phnum;
	uint16_t e_shentsize, e_shnum, e_shstrndx;
};
_Static_assert(sizeof(struct elf32_ehdr) == 52, "elf32_ehdr layout");

struct elf64_ehdr {
	uint8_t e_ident[EI_NIDENT];
	uint16_t e_type, e_machine;
	uint32_t e_version;
	uint64_t e_entry, e_phoff, e_shoff;
	uint32_t e_flags;
	uint16_t e_ehsize, e_phentsize, e_phnum;
	uint16_t e_shentsize, e_shnum, e_shstrndx;
};
_Static_assert(sizeof(struct elf64_ehdr) == 64, "elf64_ehdr layout");

struct elf32_phdr {
	uint32_t p_type;
	uint32_t p_offset, p_vaddr, p_paddr;
	uint32_t p_filesz, p_memsz;
	uint32_t p_flags, p_align;
};
_Static_assert(sizeof(struct elf32_phdr) == 32, "elf32_phdr layout");

struct elf64_phdr {
	uint32_t p_type, p_flags;
	uint64_t p_offset, p_vaddr, p_paddr;
	uint64_t p_filesz, p_memsz;
	uint64_t p_align;
};
_Static_assert(sizeof(struct elf64_phdr) == 56, "elf64_phdr layout");

#endif
