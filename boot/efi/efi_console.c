/*
 * The log while the firmware runs.  ConOut (CHAR16 strings, "\r\n" line
 * ends) is a sink until ExitBootServices.  The UART becomes one once hv.cfg
 * has said which port - unless a console device already sits on a UART
 * (OVMF mirrors ConOut on COM1): then the firmware's serial driver owns the
 * port and every line reaches it through ConOut, so our UART is left to the
 * core (or set up after a failed ExitBootServices, to report it).  Sharing the port with the firmware's driver
 * failed serial_init's loopback test under OVMF in Bochs, and would print
 * each line twice.
 */
#include "boot/efi/efi_boot.h"

#include "drivers/serial.h"
#include "lib/log.h"
#include "lib/str.h"

/* Characters converted per OutputString call (plus room for "\r\n"). */
#define CONOUT_CHUNK 128

static CHAR16 to_char16(char c)
{
	unsigned char u = (unsigned char)c;

	if (c == '\n' || c == '\r' || c == '\t')
		return (CHAR16)u;
	return ascii_printable(u) ? (CHAR16)u : (CHAR16)'?';
}

static void efi_console_sink(const char *text, size_t len)
{
	SIMPLE_TEXT_OUTPUT_INTERFACE *out = efi_st->ConOut;
	CHAR16 buf[CONOUT_CHUNK + 3];
	size_t n = 0;

	if (!out)
		return;
	for (size_t i = 0; i < len; i++) {
		if (text[i] == '\n')
			buf[n++] = L'\r';
		buf[n++] = to_char16(text[i]);
		if (n >= CONOUT_CHUNK || i + 1 == len) {
			buf[n] = 0;
			out->OutputString(out, buf);
			n = 0;
		}
	}
}

void efi_char16_to_ascii(const CHAR16 *in, char *out, size_t out_size)
{
	size_t n = 0;

	if (out_size == 0)
		return;
	for (; in && *in && n + 1 < out_size; in++)
		out[n++] = ascii_printable(*in) ? (char)*in : '?';
	out[n] = '\0';
}

/* Names of the EFI_STATUS codes the loader can meet (UEFI spec, Appendix
 * D "Status Codes"), for error messages. */
static const char *const efi_error_names[] = {
	[EFI_LOAD_ERROR & ~EFI_ERROR_MASK]        = "load error",
	[EFI_INVALID_PARAMETER & ~EFI_ERROR_MASK] = "invalid parameter",
	[EFI_UNSUPPORTED & ~EFI_ERROR_MASK]       = "unsupported",
	[EFI_BAD_BUFFER_SIZE & ~EFI_ERROR_MASK]   = "bad buffer size",
	[EFI_BUFFER_TOO_SMALL & ~EFI_ERROR_MASK]  = "buffer too small",
	[EFI_NOT_READY & ~EFI_ERROR_MASK]         = "not ready",
	[EFI_DEVICE_ERROR & ~EFI_ERROR_MASK]      = "device error",
	[EFI_WRITE_PROTECTED & ~EFI_ERROR_MASK]   = "write protected",
	[EFI_OUT_OF_RESOURCES & ~EFI_ERROR_MASK]  = "out of resources",
	[EFI_VOLUME_CORRUPTED & ~EFI_ERROR_MASK]  = "volume corrupted",
	[EFI_VOLUME_FULL & ~EFI_ERROR_MASK]       = "volume full",
	[EFI_NO_MEDIA & ~EFI_ERROR_MASK]          = "no media",
	[EFI_MEDIA_CHANGED & ~EFI_ERROR_MASK]     = "media changed",
	[EFI_NOT_FOUND & ~EFI_ERROR_MASK]         = "not found",
	[EFI_ACCESS_DENIED & ~EFI_ERROR_MASK]     = "access denied",
};

const char *efi_status_str(EFI_STATUS status)
{
	uint64_t code = status & ~EFI_ERROR_MASK;

	if (status == EFI_SUCCESS)
		return "success";
	if (!EFI_ERROR(status) ||
	    code >= sizeof(efi_error_names) / sizeof(efi_error_names[0]) ||
	    !efi_error_names[code])
		return "unexpected status";
	return efi_error_names[code];
}

static EFI_GUID text_out_guid = EFI_SIMPLE_TEXT_OUTPUT_PROTOCOL_GUID;
static EFI_GUID device_path_guid = EFI_DEVICE_PATH_PROTOCOL_GUID;

static bool console_mirrored_on_uart;
static bool serial_deferred;
static uint16_t deferred_port;
static uint32_t deferred_baud;

static bool device_path_has_uart(const EFI_DEVICE_PATH *dp)
{
	for (; dp && !IsDevicePathEnd(dp); dp = NextDevicePathNode(dp)) {
		if ((size_t)DevicePathNodeLength(dp) < sizeof(*dp))
			return false;
		if (DevicePathType(dp) == MESSAGING_DEVICE_PATH &&
		    DevicePathSubType(dp) == MSG_UART_DP)
			return true;
	}
	return false;
}

/* Is any text-output device a terminal on a serial port? */
static bool text_output_on_uart(void)
{
	EFI_HANDLE *handles = NULL;
	UINTN count = 0;
	bool found = false;

	if (EFI_ERROR(efi_bs->LocateHandleBuffer(ByProtocol, &text_out_guid,
						 NULL, &count, &handles)))
		return false;
	for (UINTN i = 0; i < count && !found; i++) {
		EFI_DEVICE_PATH *dp = NULL;

		if (!EFI_ERROR(efi_bs->HandleProtocol(handles[i],
						      &device_path_guid,
						      (void **)&dp)))
			found = device_path_has_uart(dp);
	}
	efi_bs->FreePool(handles);
	return found;
}

static void serial_start(uint16_t port, uint32_t baud)
{
	struct uart_regs at = uart_regs_io(port);

	if (serial_init(&at, baud))
		log_add_sink(serial_write);
	else
		log_warn("efi: no UART at %#x", port);
}

void efi_log_start(void)
{
	log_add_sink(efi_console_sink);
	console_mirrored_on_uart = text_output_on_uart();
}

void efi_log_serial(uint16_t port, uint32_t baud)
{
	EFI_TPL old_tpl;

	if (console_mirrored_on_uart) {
		serial_deferred = true;
		deferred_port = port;
		deferred_baud = baud;
		return;
	}
	/* A terminal driver polling the UART from a timer event would eat
	 * the byte of serial_init's loopback test: no events at
	 * TPL_HIGH_LEVEL. */
	old_tpl = efi_bs->RaiseTPL(TPL_HIGH_LEVEL);
	serial_start(port, baud);
	efi_bs->RestoreTPL(old_tpl);
}

void efi_log_leave_firmware(void)
{
	log_remove_sink(efi_console_sink);
}

/*
 * After ExitBootServices the core programs the UART itself (hv_main), so a
 * deferred UART is set up here only to report a failure.  Doing it in both
 * places would run serial_init's loopback test right after our own output,
 * while the transmitter is still busy, which Bochs fails.
 */
void efi_log_firmware_gone(bool left)
{
	if (serial_deferred && !left)
		serial_start(deferred_port, deferred_baud);
	serial_deferred = false;
}

void efi_log_stop(void)
{
	log_remove_sink(efi_console_sink);
	log_remove_sink(serial_write);
}
