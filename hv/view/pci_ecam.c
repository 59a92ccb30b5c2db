/*
 * The hypervisor's PCI UART hidden in ECAM (see hv/view/pci_ecam.h).
 */
#include "hv/view/pci_ecam.h"

#include "arch/x86/acpi.h"
#include "arch/x86/extable.h"
#include "guest/acpi/mcfg.h"
#include "hv/exit/mmio.h"
#include "lib/cmdline.h"
#include "lib/log.h"
#include "mm/guest_mem.h"

#define ECAM_PAGE_MASK          ((1ull << ECAM_FUNCTION_SHIFT) - 1)
#define TEST_ECAM_OPTION        "test-ecam"
#define TEST_ECAM_VALUE_MAX     24

static uint64_t found_page;     /* pci_ecam_find()'s page, 0: none */
static struct pci_bdf found_fn;
static uint64_t hidden_page;    /* out of the guest's EPT, 0: none */

/* Find the page and check it reads fn's IDs (see pci_ecam.h). */
void pci_ecam_find(const struct boot_info *bi, struct pci_bdf fn)
{
	struct acpi_source src = { bi->rsdp_data, acpi_map_identity, NULL };
	uint32_t ecam_id, cf8_id;
	uint64_t page;

	if (!bi->has_rsdp || !acpi_ecam_function_page(&src, fn, &page)) {
		log_info("pci: no MCFG entry covers %02x:%02x.%x: it is hidden "
			 "through 0xCF8/0xCFC only", fn.bus, fn.dev, fn.fn);
		return;
	}
	if (!memcpy_safe(&ecam_id, (const void *)(uintptr_t)(page + PCI_VENDOR_ID),
			 sizeof(ecam_id))) {
		log_warn("pci: %02x:%02x.%x's ECAM page %#llx (MCFG) is not "
			 "readable: not hidden there", fn.bus, fn.dev, fn.fn,
			 (unsigned long long)page);
		return;
	}
	cf8_id = pci_read32(fn, PCI_VENDOR_ID);
	if (ecam_id != cf8_id) {
		log_warn("pci: %02x:%02x.%x's ECAM page %#llx (MCFG) reads IDs "
			 "%08x, 0xCF8/0xCFC %08x: the MCFG is wrong; not hidden "
			 "there", fn.bus, fn.dev, fn.fn, (unsigned long long)page,
			 ecam_id, cf8_id);
		return;
	}
	log_info("pci: %02x:%02x.%x's ECAM page %#llx (MCFG) reads IDs %08x, "
		 "as 0xCF8/0xCFC does", fn.bus, fn.dev, fn.fn,
		 (unsigned long long)page, ecam_id);
	found_page = page;
	found_fn = fn;
}

/* test-ecam=ADDR's page, 0 without the word (a bad value warns). */
static uint64_t test_page(const char *cmdline)
{
	char value[TEST_ECAM_VALUE_MAX];
	uint64_t addr;

	if (!cmdline_get(cmdline, TEST_ECAM_OPTION, value, sizeof(value)))
		return 0;
	if (!parse_u64(value, &addr) || !(addr & ~ECAM_PAGE_MASK)) {
		log_warn("command line: " TEST_ECAM_OPTION "=%s: not a page "
			 "address", value);
		return 0;
	}
	return addr & ~ECAM_PAGE_MASK;
}

/* Take the page out of the guest's EPT (see pci_ecam.h). */
void pci_ecam_hide(const char *cmdline)
{
	uint64_t test = test_page(cmdline);
	uint64_t page = test ? test : found_page;

	if (!page)
		return;
	if (!guest_mem_hide_page(page)) {
		log_warn("pci: ECAM page %#llx cannot be left out of the guest's "
			 "EPT: the guest reaches that function through ECAM",
			 (unsigned long long)page);
		return;
	}
	hidden_page = page;
	if (test)
		log_info("pci: ECAM page %#llx (" TEST_ECAM_OPTION " stand-in) "
			 "hidden from the guest: loads read all ones, stores "
			 "dropped", (unsigned long long)page);
	else
		log_info("pci: ECAM page %#llx (%02x:%02x.%x) hidden from the "
			 "guest: loads read all ones, stores dropped",
			 (unsigned long long)page, found_fn.bus, found_fn.dev,
			 found_fn.fn);
}

/* An access to the hidden page: no device answers (see pci_ecam.h). */
bool pci_ecam_access(struct vcpu *v, const struct vmexit *e, uint64_t gpa,
		     bool write, enum exit_action *action)
{
	if (!hidden_page || (gpa & ~ECAM_PAGE_MASK) != hidden_page)
		return false;
	*action = mmio_emulate_absent(v, e, write, "access to the hidden PCI "
				      "function's ECAM page by an instruction "
				      "the decoder does not accept");
	return true;
}
