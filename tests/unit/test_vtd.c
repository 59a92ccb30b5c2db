/* drivers/vtd.c: capability decoding, walk depth, fault records. */
#include "drivers/vtd.h"
#include "tests/unit/test.h"

/* QEMU 7.2's intel-iommu with its defaults (aw-bits=39), as the
 * hypervisor logged them in tests/boot/63-qemu-vtd.sh: ND 2, SAGAW 39-bit
 * 3-level only, MGAW 39, FRO 0x22 (x 16), NFR 1, PSI, SLLPS 2M and 1G,
 * MAMV; ECAP QI, IR, PT, IRO 0xf (x 16), no coherency bit. */
#define QEMU_CAP   0x00d2008c22260206ull
#define QEMU_ECAP  0x0000000000f00f4aull

TEST(vtd_caps_qemu)
{
	struct vtd_caps c;

	vtd_caps_decode(QEMU_CAP, QEMU_ECAP, &c);
	CHECK_EQ(c.sagaw, VTD_SAGAW_39_3LEVEL);
	CHECK_EQ(c.mgaw, 39);
	CHECK(c.pages_2m);
	CHECK(c.pages_1g);
	CHECK(!c.coherent);
	CHECK(!c.rwbf);
	CHECK(!c.caching_mode);
	CHECK_EQ(c.fault_offset, 0x220);
	CHECK_EQ(c.fault_records, 1);
	CHECK_EQ(c.iotlb_offset, 0xf0);
	CHECK_EQ(vtd_levels(&c, 1ull << 39), 3);
	CHECK_EQ(vtd_levels(&c, (1ull << 39) + 4096), 0);
}

TEST(vtd_caps_bits)
{
	struct vtd_caps c;

	vtd_caps_decode(VTD_CAP_RWBF | VTD_CAP_CM |
			(uint64_t)VTD_SAGAW_48_4LEVEL << VTD_CAP_SAGAW_SHIFT |
			46ull << VTD_CAP_MGAW_SHIFT |
			7ull << VTD_CAP_NFR_SHIFT, VTD_ECAP_C | VTD_ECAP_SMTS, &c);
	CHECK(c.rwbf);
	CHECK(c.caching_mode);
	CHECK(c.coherent);
	CHECK(c.scalable);
	CHECK(!c.pages_2m);
	CHECK(!c.pages_1g);
	CHECK_EQ(c.mgaw, 47);
	CHECK_EQ(c.fault_records, 8);
	CHECK_EQ(vtd_levels(&c, 1ull << 46), 4);
	c.sagaw = 0;
	CHECK_EQ(vtd_levels(&c, 1ull << 30), 0);
}

TEST(vtd_fault_record)
{
	/* A write by 00:03.0 to 0x7000123 blocked: reason 5. */
	struct vtd_fault f = vtd_fault_decode(0x7000123,
					      VTD_FRCD_F | 5ull << 32 | 0x18);

	CHECK_EQ(f.source_id, 0x18);
	CHECK_EQ(f.reason, 5);
	CHECK(!f.read);
	CHECK_EQ(f.address, 0x7000000);
	f = vtd_fault_decode(0x1000, VTD_FRCD_F | VTD_FRCD_T | 6ull << 32 |
				     0x0210);
	CHECK(f.read);
	CHECK_EQ(f.source_id >> 8, 2);
	CHECK_STR(vtd_fault_reason_name(5), "write to a page not mapped writable");
	CHECK_STR(vtd_fault_reason_name(6), "read of a page not mapped readable");
	CHECK_STR(vtd_fault_reason_name(0), "other reason");
	CHECK_STR(vtd_fault_reason_name(0xff), "other reason");
}

/* QEMU 7.2's intel-iommu with aw-bits=48, caching-mode=on,
 * x-scalable-mode=on, device-iotlb=on, as logged in
 * tests/boot/63-qemu-vtd.sh: 39- and 48-bit walks, caching mode, device
 * TLBs, scalable mode. */
TEST(vtd_caps_qemu_48bit)
{
	struct vtd_caps c;

	vtd_caps_decode(0x00d2008c222f0686ull, 0x0000480080f00f4eull, &c);
	CHECK_EQ(c.sagaw, VTD_SAGAW_39_3LEVEL | VTD_SAGAW_48_4LEVEL);
	CHECK_EQ(c.mgaw, 48);
	CHECK(c.caching_mode);
	CHECK(c.scalable);
	CHECK(!c.coherent);
	CHECK_EQ(c.iotlb_offset, 0xf0);
	CHECK_EQ(vtd_levels(&c, 1ull << 39), 4);
}
