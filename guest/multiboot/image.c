/*
 * Multiboot (v1) image parsing: find and check the header (Multiboot 0.6.96,
 * 3.1 "OS image format"), then take the load layout from the a.out kludge
 * address fields when flag 16 is set, else from the ELF program headers
 * (as GRUB does).  Pure; the image is read with memcpy, so it may sit at any
 * alignment.
 */
#include "guest/multiboot/image.h"


#include "guest/multiboot/elf.h"
#include "guest/multiboot/multiboot.h"
#include "lib/format.h"
#include "lib/str.h"

/* Header flags this loader understands; video (bit 2) is accepted and
 * ignored: the guest gets whatever display the firmware left. */
#define MB1_SUPPORTED_REQUIRED (MB1_HEADER_PAGE_ALIGN | \
				MB1_HEADER_MEMORY_INFO | MB1_HEADER_VIDEO_MODE)

struct parser {
	const uint8_t *img;
	uint64_t size;
	struct mb1_image *out;
	char *err;
	size_t err_size;
};

/* One PT_LOAD program header, whichever ELF class it came from. */
struct load_phdr {
	uint64_t offset, vaddr, paddr, filesz, memsz;
};

/* Report into the parser's error buffer and return false. */
#define fail(p, ...) format_error((p)->err, (p)->err_size, __VA_ARGS__)

/* The 32-bit word at file offset off, which need not be aligned; the caller
 * has checked that its 4 bytes lie in the file. */
static uint32_t read32(const struct parser *p, uint64_t off)
{
	uint32_t v;

	memcpy(&v, p->img + off, sizeof(v));
	return v;
}

/* True when [off, off + len) lies inside the file. */
static bool in_file(const struct parser *p, uint64_t off, uint64_t len)
{
	return off <= p->size && len <= p->size - off;
}

/* A name for an enum mb1_format value, for log lines; never NULL. */
const char *mb1_format_name(uint32_t format)
{
	switch (format) {
	case MB1_FORMAT_AOUT_KLUDGE: return "a.out kludge";
	case MB1_FORMAT_ELF32: return "ELF32";
	case MB1_FORMAT_ELF64: return "ELF64";
	default: return "unknown format";
	}
}

/* ---- the header ---------------------------------------------------------- */

/* Whether magic + flags + checksum of the candidate header at off sum to 0
 * (mod 2^32); its 12 bytes must lie in the file. */
static bool checksum_ok(const struct parser *p, uint64_t off)
{
	return (uint32_t)(read32(p, off) + read32(p, off + 4) +
			  read32(p, off + 8)) == 0;
}

/* Report the candidate header at off whose checksum does not hold, with the
 * three words and their sum so the user sees which one is wrong; false. */
static bool bad_checksum(struct parser *p, uint64_t off)
{
	uint32_t flags = read32(p, off + 4), sum = read32(p, off + 8);

	return fail(p, "multiboot header at offset %#llx has a bad checksum: "
		    "magic %#x + flags %#x + checksum %#x = %#x, not 0",
		    (unsigned long long)off, MB1_HEADER_MAGIC, flags, sum,
		    (uint32_t)(MB1_HEADER_MAGIC + flags + sum));
}

/* The first magic at a 4-byte boundary whose checksum holds, with all 12
 * magic bytes inside the first 8192 (GRUB's rule).  A magic with a bad
 * checksum is reported only when no good one follows. */
static bool find_header(struct parser *p)
{
	uint64_t limit = p->size < MB1_HEADER_SEARCH_LIMIT ?
			 p->size : MB1_HEADER_SEARCH_LIMIT;
	uint64_t first_bad = UINT64_MAX;

	if (p->size < MB1_HEADER_MAGIC_SIZE)
		return fail(p, "file is %llu bytes, too short to hold a "
			    "multiboot header", (unsigned long long)p->size);
	for (uint64_t off = 0; off + MB1_HEADER_MAGIC_SIZE <= limit;
	     off += MB1_HEADER_ALIGN) {
		if (read32(p, off) != MB1_HEADER_MAGIC)
			continue;
		if (checksum_ok(p, off)) {
			p->out->header_offset = (uint32_t)off;
			p->out->header_flags = read32(p, off + 4);
			return true;
		}
		if (first_bad == UINT64_MAX)
			first_bad = off;
	}
	if (first_bad != UINT64_MAX)
		return bad_checksum(p, first_bad);
	return fail(p, "no multiboot header (magic %#x at a 4-byte boundary) "
		    "in the first %d bytes", MB1_HEADER_MAGIC,
		    MB1_HEADER_SEARCH_LIMIT);
}

/* Refuse a header whose required-feature bits (the low 16 flags) ask for
 * something this loader cannot give; unknown bits from 16 up are optional
 * and ignored, as the spec allows. */
static bool check_flags(struct parser *p)
{
	uint32_t unknown = p->out->header_flags & MB1_HEADER_REQUIRED_MASK &
			   ~(uint32_t)MB1_SUPPORTED_REQUIRED;

	if (unknown)
		return fail(p, "header flags %#x require feature bit(s) %#x "
			    "this loader does not support (it supports 0 "
			    "page-aligned modules, 1 memory information, "
			    "2 video mode, ignored)", p->out->header_flags,
			    unknown);
	return true;
}

/* ---- a.out kludge -------------------------------------------------------- */

/* The file bytes the a.out kludge header h loads, into s: from
 * header_addr - load_addr before the header to load_end_addr (0: the end of
 * the file).  False when the addresses are out of order or the range does
 * not lie inside the file. */
static bool aout_file_range(struct parser *p, const struct mb1_header *h,
			    struct mb1_segment *s)
{
	uint64_t skip = h->header_addr - h->load_addr;

	if (h->load_addr > h->header_addr)
		return fail(p, "a.out kludge: load_addr %#x is above "
			    "header_addr %#x", h->load_addr, h->header_addr);
	if (skip > p->out->header_offset)
		return fail(p, "a.out kludge: header_addr - load_addr = %#llx "
			    "exceeds the header's file offset %#x, so loading "
			    "would start before the file",
			    (unsigned long long)skip, p->out->header_offset);
	s->file_offset = p->out->header_offset - skip;
	if (h->load_end_addr == 0) {
		s->file_size = p->size - s->file_offset;
		return true;
	}
	if (h->load_end_addr <= h->load_addr)
		return fail(p, "a.out kludge: load_end_addr %#x is not above "
			    "load_addr %#x", h->load_end_addr, h->load_addr);
	s->file_size = h->load_end_addr - h->load_addr;
	if (!in_file(p, s->file_offset, s->file_size))
		return fail(p, "a.out kludge: segment [%#x, %#x) needs file "
			    "bytes [%#llx, %#llx) but the file is %llu bytes",
			    h->load_addr, h->load_end_addr,
			    (unsigned long long)s->file_offset,
			    (unsigned long long)(s->file_offset + s->file_size),
			    (unsigned long long)p->size);
	return true;
}

/* The one segment and the entry from the a.out kludge fields of the header
 * find_header found; bss_end_addr (0: none) extends the segment with zeroes.
 * False when the fields are truncated or inconsistent. */
static bool parse_aout(struct parser *p)
{
	struct mb1_header h;
	struct mb1_segment *s = &p->out->segments[0];

	if (!in_file(p, p->out->header_offset, MB1_HEADER_ADDR_SIZE))
		return fail(p, "multiboot header at offset %#x is truncated: "
			    "the a.out kludge fields need %d bytes, the file "
			    "is %llu bytes", p->out->header_offset,
			    MB1_HEADER_ADDR_SIZE, (unsigned long long)p->size);
	memset(&h, 0, sizeof(h));
	memcpy(&h, p->img + p->out->header_offset, MB1_HEADER_ADDR_SIZE);
	if (!aout_file_range(p, &h, s))
		return false;
	s->dest = h.load_addr;
	s->mem_size = s->file_size;
	if (h.bss_end_addr) {
		if (h.bss_end_addr < s->dest + s->file_size)
			return fail(p, "a.out kludge: bss_end_addr %#x is below "
				    "the end of the loaded data %#llx",
				    h.bss_end_addr,
				    (unsigned long long)(s->dest + s->file_size));
		s->mem_size = h.bss_end_addr - s->dest;
	}
	p->out->format = MB1_FORMAT_AOUT_KLUDGE;
	p->out->entry = h.entry_addr;
	p->out->segment_count = 1;
	return true;
}

/* ---- ELF ----------------------------------------------------------------- */

/* Read program header i into the class-neutral form; false when it is
 * not a PT_LOAD with memory. */
static bool read_phdr(const struct parser *p, bool is64, uint64_t off,
		      struct load_phdr *ph)
{
	if (is64) {
		struct elf64_phdr h;

		memcpy(&h, p->img + off, sizeof(h));
		*ph = (struct load_phdr){ h.p_offset, h.p_vaddr, h.p_paddr,
					  h.p_filesz, h.p_memsz };
		return h.p_type == PT_LOAD && h.p_memsz;
	}
	struct elf32_phdr h;

	memcpy(&h, p->img + off, sizeof(h));
	*ph = (struct load_phdr){ h.p_offset, h.p_vaddr, h.p_paddr,
				  h.p_filesz, h.p_memsz };
	return h.p_type == PT_LOAD && h.p_memsz;
}

/* Append the PT_LOAD header ph (program header number index, for messages)
 * as a segment loaded at its p_paddr, as GRUB does.  False when its file
 * bytes lie outside the file, p_filesz exceeds p_memsz or there are more
 * than MB1_SEGMENTS_MAX. */
static bool add_elf_segment(struct parser *p, uint32_t index,
			    const struct load_phdr *ph)
{
	struct mb1_image *out = p->out;

	if (ph->filesz > ph->memsz)
		return fail(p, "ELF program header %u: p_filesz %#llx exceeds "
			    "p_memsz %#llx", index,
			    (unsigned long long)ph->filesz,
			    (unsigned long long)ph->memsz);
	if (!in_file(p, ph->offset, ph->filesz))
		return fail(p, "ELF program header %u: file bytes [%#llx, "
			    "%#llx) lie beyond the end of the file (%llu bytes)",
			    index, (unsigned long long)ph->offset,
			    (unsigned long long)(ph->offset + ph->filesz),
			    (unsigned long long)p->size);
	if (out->segment_count == MB1_SEGMENTS_MAX)
		return fail(p, "ELF has more than %d loadable segments",
			    MB1_SEGMENTS_MAX);
	out->segments[out->segment_count++] = (struct mb1_segment){
		.dest = ph->paddr, .file_offset = ph->offset,
		.file_size = ph->filesz, .mem_size = ph->memsz,
	};
	return true;
}

/* The entry point is virtual (e_entry); like GRUB, move it into the
 * physical range of the segment whose virtual range holds it. */
static void translate_entry(struct mb1_image *out, uint64_t e_entry,
			    const struct load_phdr *ph)
{
	if (e_entry >= ph->vaddr && e_entry - ph->vaddr < ph->memsz)
		out->entry = e_entry - ph->vaddr + ph->paddr;
}

/* The segments from the phnum program headers at file offset phoff, and the
 * entry: e_entry moved into the physical range of the segment that holds it,
 * else left as it is for check_entry to judge.  False when the table or a
 * segment lies outside the file. */
static bool parse_phdrs(struct parser *p, bool is64, uint64_t phoff,
			uint16_t phnum, uint64_t e_entry)
{
	uint64_t phsize = is64 ? sizeof(struct elf64_phdr)
			       : sizeof(struct elf32_phdr);
	struct load_phdr ph;

	if (!in_file(p, phoff, phsize * phnum))
		return fail(p, "ELF program headers [%#llx, %#llx) lie beyond "
			    "the end of the file (%llu bytes)",
			    (unsigned long long)phoff,
			    (unsigned long long)(phoff + phsize * phnum),
			    (unsigned long long)p->size);
	p->out->entry = UINT64_MAX;
	for (uint16_t i = 0; i < phnum; i++) {
		if (!read_phdr(p, is64, phoff + i * phsize, &ph))
			continue;
		if (!add_elf_segment(p, i, &ph))
			return false;
		translate_entry(p->out, e_entry, &ph);
	}
	if (p->out->entry == UINT64_MAX)
		p->out->entry = e_entry;    /* reported by check_entry */
	return true;
}

/* Check e_ident (ELF magic, class 32 or 64, little-endian) and put the class
 * in *elf_class.  Reached only when the header has no a.out kludge, so a
 * file that is not ELF is reported as lacking both. */
static bool check_elf_ident(struct parser *p, uint8_t *elf_class)
{
	const uint8_t *id = p->img;

	if (!in_file(p, 0, EI_NIDENT) || memcmp(id, ELFMAG, SELFMAG) != 0)
		return fail(p, "not an ELF file (bad magic) and the multiboot "
			    "header has no a.out kludge (flag 16)");
	if (id[EI_CLASS] != ELFCLASS32 && id[EI_CLASS] != ELFCLASS64)
		return fail(p, "ELF class %u is neither ELF32 (1) nor ELF64 (2)",
			    id[EI_CLASS]);
	if (id[EI_DATA] != ELFDATA2LSB)
		return fail(p, "ELF data encoding %u is not little-endian (1)",
			    id[EI_DATA]);
	*elf_class = id[EI_CLASS];
	return true;
}

/* Check the class-specific fields of the ELF header: the machine and the
 * program header entry size against the ones wanted; name ("ELF32" or
 * "ELF64") starts the message. */
static bool check_elf_header(struct parser *p, const char *name,
			     uint16_t machine, uint16_t want_machine,
			     uint16_t phentsize, uint16_t want_phentsize)
{
	if (machine != want_machine)
		return fail(p, "%s machine %u is not %s (%u)", name, machine,
			    want_machine == EM_386 ? "EM_386" : "EM_X86_64",
			    want_machine);
	if (phentsize != want_phentsize)
		return fail(p, "%s e_phentsize %u is not %u", name, phentsize,
			    want_phentsize);
	return true;
}

/* The layout of an ELF32 file whose e_ident is checked: an i386 header,
 * then its program headers. */
static bool parse_elf32(struct parser *p)
{
	struct elf32_ehdr e;

	if (!in_file(p, 0, sizeof(e)))
		return fail(p, "ELF32 header truncated: file is %llu bytes",
			    (unsigned long long)p->size);
	memcpy(&e, p->img, sizeof(e));
	if (!check_elf_header(p, "ELF32", e.e_machine, EM_386, e.e_phentsize,
			      sizeof(struct elf32_phdr)))
		return false;
	p->out->format = MB1_FORMAT_ELF32;
	return parse_phdrs(p, false, e.e_phoff, e.e_phnum, e.e_entry);
}

/* The layout of an ELF64 file whose e_ident is checked: an x86-64 header,
 * then its program headers. */
static bool parse_elf64(struct parser *p)
{
	struct elf64_ehdr e;

	if (!in_file(p, 0, sizeof(e)))
		return fail(p, "ELF64 header truncated: file is %llu bytes",
			    (unsigned long long)p->size);
	memcpy(&e, p->img, sizeof(e));
	if (!check_elf_header(p, "ELF64", e.e_machine, EM_X86_64,
			      e.e_phentsize, sizeof(struct elf64_phdr)))
		return false;
	p->out->format = MB1_FORMAT_ELF64;
	return parse_phdrs(p, true, e.e_phoff, e.e_phnum, e.e_entry);
}

/* The layout from the ELF program headers, for either class. */
static bool parse_elf(struct parser *p)
{
	uint8_t elf_class = 0;

	if (!check_elf_ident(p, &elf_class))
		return false;
	return elf_class == ELFCLASS32 ? parse_elf32(p) : parse_elf64(p);
}

/* ---- the layout ---------------------------------------------------------- */

/* Check segment i: no wrap, below 4 GiB (multiboot addresses are 32-bit),
 * clear of every earlier segment, so checking each segment in turn covers
 * every pair.  False naming the segment(s) otherwise. */
static bool check_segment_place(struct parser *p, uint32_t i)
{
	const struct mb1_segment *s = &p->out->segments[i];
	uint64_t end = s->dest + s->mem_size;

	if (end < s->dest)
		return fail(p, "segment %u at %#llx, %#llx bytes, wraps around "
			    "the address space", i, (unsigned long long)s->dest,
			    (unsigned long long)s->mem_size);
	if (end > MB1_ADDRESS_LIMIT)
		return fail(p, "segment %u [%#llx, %#llx) reaches above 4 GiB",
			    i, (unsigned long long)s->dest,
			    (unsigned long long)end);
	for (uint32_t j = 0; j < i; j++) {
		const struct mb1_segment *o = &p->out->segments[j];

		if (s->dest < o->dest + o->mem_size && o->dest < end)
			return fail(p, "segments %u and %u overlap at %#llx",
				    j, i, (unsigned long long)(s->dest > o->dest
						? s->dest : o->dest));
	}
	return true;
}

/* The entry must lie in bytes some segment takes from the file: bss is
 * zeroes, so an entry there would run no code of the kernel's. */
static bool check_entry(struct parser *p)
{
	const struct mb1_image *out = p->out;

	for (uint32_t i = 0; i < out->segment_count; i++) {
		const struct mb1_segment *s = &out->segments[i];

		if (out->entry >= s->dest && out->entry - s->dest < s->file_size)
			return true;
	}
	return fail(p, "entry point %#llx lies outside every loaded segment",
		    (unsigned long long)out->entry);
}

/* Check the parsed layout as a whole: at least one segment, each well
 * placed, the entry inside one. */
static bool check_layout(struct parser *p)
{
	if (p->out->segment_count == 0)
		return fail(p, "no loadable segment");
	for (uint32_t i = 0; i < p->out->segment_count; i++)
		if (!check_segment_place(p, i))
			return false;
	return check_entry(p);
}

/* Parse the image (see image.h): the header and its flags, then the layout
 * from the a.out kludge fields when flag 16 is set, else from ELF.  out is
 * zeroed first and err emptied, so both say nothing stale. */
bool mb1_image_parse(const void *image, uint64_t size, struct mb1_image *out,
		     char *err, size_t err_size)
{
	struct parser p = { image, size, out, err, err_size };
	bool ok;

	memset(out, 0, sizeof(*out));
	if (err_size)
		err[0] = '\0';
	if (!find_header(&p) || !check_flags(&p))
		return false;
	if (out->header_flags & MB1_HEADER_AOUT_KLUDGE)
		ok = parse_aout(&p);
	else
		ok = parse_elf(&p);
	return ok && check_layout(&p);
}
