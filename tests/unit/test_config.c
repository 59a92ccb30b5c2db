/* boot/config.c: defaults, each option, and bad values keeping defaults. */
#include "boot/config.h"
#include "lib/log.h"
#include "tests/unit/test.h"

TEST(config_defaults)
{
	struct hv_config c;

	config_parse("", &c);
	CHECK(c.serial_enabled);
	CHECK_EQ(c.serial_port, 0x3f8);
	CHECK_EQ(c.serial_baud, 115200);
	CHECK_EQ(c.log_level, LOG_INFO);
	CHECK(!c.test_exit);
	CHECK(!c.guest_required);
	CHECK_STR(c.guest, "guest");
	CHECK_EQ(c.debug_fault, DEBUG_FAULT_NONE);
	CHECK_STR(c.error, "");
	config_parse(NULL, &c);
	CHECK_STR(c.error, "");
}

TEST(config_all_options)
{
	struct hv_config c;

	config_parse("serial=0x2f8,57600 loglevel=debug test-exit guest=linux "
		     "debug-fault=pf unrelated=1", &c);
	CHECK_STR(c.error, "");
	CHECK(c.serial_enabled);
	CHECK_EQ(c.serial_port, 0x2f8);
	CHECK_EQ(c.serial_baud, 57600);
	CHECK_EQ(c.log_level, LOG_DEBUG);
	CHECK(c.test_exit);
	CHECK(c.guest_required);
	CHECK_STR(c.guest, "linux");
	CHECK_EQ(c.debug_fault, DEBUG_FAULT_PF);
}

TEST(config_serial_forms)
{
	struct hv_config c;

	config_parse("serial=off", &c);
	CHECK(!c.serial_enabled);
	CHECK_STR(c.error, "");
	config_parse("serial=760", &c);         /* decimal 0x2f8, default baud */
	CHECK_EQ(c.serial_port, 0x2f8);
	CHECK_EQ(c.serial_baud, 115200);
	CHECK_STR(c.error, "");
	config_parse("serial=0x3e8,9600", &c);
	CHECK_EQ(c.serial_port, 0x3e8);
	CHECK_EQ(c.serial_baud, 9600);
}

TEST(config_bad_serial_keeps_default)
{
	static const char *const bad[] = {
		"serial=", "serial", "serial=com1", "serial=0", "serial=0x10000",
		"serial=0xfffa", "serial=0x2f8,", "serial=0x2f8,0",
		"serial=0x2f8,110", "serial=0x2f8,230400", "serial=0x2f8,fast",
	};
	struct hv_config c;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		config_parse(bad[i], &c);
		if (!c.error[0] || c.serial_port != 0x3f8 ||
		    c.serial_baud != 115200 || !c.serial_enabled) {
			test_fail(__FILE__, __LINE__, "'%s' accepted (error '%s')",
				  bad[i], c.error);
			return;
		}
	}
	config_parse("serial=0x2f8,110", &c);
	CHECK(strstr(c.error, "115200") != NULL);
}

TEST(config_bad_loglevel_and_fault)
{
	struct hv_config c;

	config_parse("loglevel=verbose", &c);
	CHECK_EQ(c.log_level, LOG_INFO);
	CHECK(strstr(c.error, "loglevel=verbose") != NULL);
	config_parse("debug-fault=nmi", &c);
	CHECK_EQ(c.debug_fault, DEBUG_FAULT_NONE);
	CHECK(strstr(c.error, "debug-fault=nmi") != NULL);
	config_parse("loglevel=warn debug-fault=ud", &c);
	CHECK_EQ(c.log_level, LOG_WARN);
	CHECK_EQ(c.debug_fault, DEBUG_FAULT_UD);
	config_parse("loglevel=error debug-fault=gp", &c);
	CHECK_EQ(c.log_level, LOG_ERROR);
	CHECK_EQ(c.debug_fault, DEBUG_FAULT_GP);
	config_parse("debug-fault=de", &c);
	CHECK_EQ(c.debug_fault, DEBUG_FAULT_DE);
	config_parse("debug-fault=panic", &c);
	CHECK_EQ(c.debug_fault, DEBUG_FAULT_PANIC);
}

TEST(config_keeps_first_error)
{
	struct hv_config c;

	config_parse("serial=bad loglevel=bad", &c);
	CHECK(strstr(c.error, "serial=bad") != NULL);
	CHECK_EQ(c.log_level, LOG_INFO);
}

TEST(config_guest_name_too_long)
{
	struct hv_config c;

	config_parse("guest=a-module-name-far-longer-than-thirty-one-chars", &c);
	CHECK(c.error[0]);
	CHECK(!c.guest_required);
	CHECK_STR(c.guest, "guest");
	config_parse("guest=", &c);
	CHECK(c.error[0]);
	CHECK(!c.guest_required);
}

TEST(config_iommu)
{
	struct hv_config c;

	config_parse("", &c);
	CHECK_EQ(c.iommu, IOMMU_AUTO);
	CHECK(!c.debug_iommu_dma);
	config_parse("iommu=required debug-iommu-dma", &c);
	CHECK_STR(c.error, "");
	CHECK_EQ(c.iommu, IOMMU_REQUIRED);
	CHECK(c.debug_iommu_dma);
	config_parse("iommu=off", &c);
	CHECK_EQ(c.iommu, IOMMU_OFF);
	config_parse("iommu=auto", &c);
	CHECK_EQ(c.iommu, IOMMU_AUTO);
	config_parse("iommu=strict", &c);
	CHECK_EQ(c.iommu, IOMMU_AUTO);
	CHECK(strstr(c.error, "iommu=strict") != NULL);
}

TEST(config_halt_disabled)
{
	struct hv_config c;

	config_parse("", &c);
	CHECK(!c.halt_disabled_stop);                /* default: wait */
	config_parse("on-halt-disabled=stop", &c);
	CHECK_STR(c.error, "");
	CHECK(c.halt_disabled_stop);
	config_parse("on-halt-disabled=wait", &c);
	CHECK(!c.halt_disabled_stop);
	config_parse("on-halt-disabled=never", &c);
	CHECK(!c.halt_disabled_stop);
	CHECK_STR(c.error, "on-halt-disabled=never: use wait or stop");
}

TEST(config_console_outputs)
{
	struct hv_config c;

	config_parse("", &c);
	CHECK(c.console_fb && c.serial_enabled);
	config_parse("console=serial", &c);
	CHECK(!c.console_fb && c.serial_enabled);
	config_parse("console=fb", &c);
	CHECK(c.console_fb && !c.serial_enabled);
	config_parse("console=serial,fb", &c);
	CHECK(c.console_fb && c.serial_enabled);
	CHECK_STR(c.error, "");
	config_parse("serial=off console=fb,serial", &c);
	CHECK(c.console_fb && !c.serial_enabled);       /* serial=off wins */
	config_parse("console=fb,vga", &c);             /* unknown: defaults */
	CHECK(c.console_fb && c.serial_enabled);
	CHECK(strstr(c.error, "console=fb,vga: unknown output 'vga'") != NULL);
}
