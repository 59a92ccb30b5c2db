/*
 * I/O-instruction exits.  The guest owns the platform's ports; the I/O
 * bitmaps (hv/view/intercept.c) intercept only ports the hypervisor owns (the
 * emulator exit ports) and the power ports hv/view/power.c watches.  For the
 * former the policy is "nothing there": writes are dropped (warned once
 * per port), reads return all ones, as from an unclaimed ISA port.
 *
 * String forms (INS/OUTS, with or without REP) on those ports are
 * emulated element by element as on the virtual UART's (hv/exit/io_string.c:
 * the guest's paging and segment checks, #PF/#GP/#SS injected): INS stores
 * the all-ones data, OUTS reads its operand and drops it.
 */
#include "arch/x86/cpu.h"
#include "arch/x86/io.h"
#include "hv/exit/handlers.h"
#include "hv/view/pci_guard.h"
#include "hv/view/port_bytes.h"
#include "hv/view/power.h"
#include "hv/view/vuart_io.h"
#include "hv/vcpu/vcpu.h"
#include "hv/vmx/insn.h"
#include "lib/log.h"

#define WARNED_PORTS_MAX          16
#define ALL_ONES                  0xffffffffffffffffull

#define IO_PORTS                  0x10000u
#define IO_ACCESS_MAX             4u     /* bytes of one IN/OUT */

static uint16_t warned_ports[WARNED_PORTS_MAX];
static uint32_t warned_count;

/* The owners of each port (IO_OWNER_*), padded so that the bytes of an
 * access at 0xFFFF can be read in one load. */
static uint8_t port_owner[IO_PORTS + IO_ACCESS_MAX - 1];

void io_route(uint16_t first, uint32_t len, uint8_t owner)
{
	for (uint32_t p = first; p < (uint32_t)first + len && p < IO_PORTS; p++)
		port_owner[p] |= owner;
}

/* The table bytes an access of `size` bytes covers, by size. */
static const uint32_t access_bytes[IO_ACCESS_MAX + 1] = {
	0, 0xffu, 0xffffu, 0xffffffu, 0xffffffffu,
};

/* The owners of the ports an access of size bytes at port touches: one
 * load of four table bytes, the ones beyond size masked. */
static uint8_t io_owners(uint16_t port, uint8_t size)
{
	uint32_t owners;

	__builtin_memcpy(&owners, &port_owner[port], sizeof(owners));
	/* 1, 2 or 4; the qualification's 3 bits allow up to 8. */
	owners &= access_bytes[size > IO_ACCESS_MAX ? IO_ACCESS_MAX : size];
	owners |= owners >> (2 * PORT_BYTE_BITS);
	owners |= owners >> PORT_BYTE_BITS;
	return (uint8_t)owners;
}

/* Warn that the guest wrote a hypervisor-owned port: once per port for the
 * first WARNED_PORTS_MAX ports, every time for ports beyond those (too many
 * warnings rather than none). */
__attribute__((noinline))
static void warn_dropped_write(uint16_t port)
{
	for (uint32_t i = 0; i < warned_count; i++)
		if (warned_ports[i] == port)
			return;
	if (warned_count < WARNED_PORTS_MAX)
		warned_ports[warned_count++] = port;
	log_warn("guest wrote hypervisor-owned I/O port 0x%x: dropped (warned once)",
		 port);
}

/* Replace the low `size` bytes of a register, as IN does (a 32-bit
 * result zero-extends to 64 bits). */
static uint64_t merge_result(uint64_t old, uint8_t size, uint64_t value)
{
	switch (size) {
	case 1: return (old & ~0xffull) | (value & 0xff);
	case 2: return (old & ~0xffffull) | (value & 0xffff);
	default: return value & 0xffffffffull;
	}
}

/* One element of string I/O on a hypervisor-owned port, which has nothing
 * behind it: IN reads all ones, OUT is dropped (handle_io() warns). */
static uint32_t owned_element(struct vcpu *v, const struct qual_io *q,
			      uint32_t value)
{
	(void)v;
	(void)q;
	(void)value;
	return (uint32_t)ALL_ONES;
}

/* IN of size bytes from the real port. */
static uint32_t port_in(uint16_t port, uint8_t size)
{
	return size == 1 ? inb(port) : size == 2 ? inw(port) : inl(port);
}

/* OUT of the low size bytes of value to the real port. */
static void port_out(uint16_t port, uint8_t size, uint32_t value)
{
	if (size == 1)
		outb(port, (uint8_t)value);
	else if (size == 2)
		outw(port, (uint16_t)value);
	else
		outl(port, value);
}

/* Carry the access out on the hardware (see hv/exit/handlers.h). */
enum exit_action io_pass_through(struct vcpu *v, const struct qual_io *q)
{
	if (q->in)
		v->regs.rax = merge_result(v->regs.rax, q->size,
					   port_in(q->port, q->size));
	else
		port_out(q->port, q->size, (uint32_t)v->regs.rax);
	return EXIT_SKIP_INSTRUCTION;
}

/* I/O instruction exit: the owners of the ports the access touches (one
 * lookup, io_route()) say where it goes: the virtual UART and the 8259A
 * to hv/view/vuart_io.c, a PCI configuration, power or reset port to
 * hv/view/power.c; any other intercepted port is a hypervisor-owned one
 * with nothing behind it: writes are dropped (warned once), reads return
 * all ones.  The qualification is decoded here, once.  Skips the
 * instruction unless the power code said otherwise. */
enum exit_action handle_io(struct vcpu *v, const struct vmexit *e)
{
	struct qual_io q = qual_io_decode(e->qualification);
	uint8_t owners = io_owners(q.port, q.size);
	enum exit_action power_action;

	/* The guest's UART (and the 8259A ports it watches). */
	if ((owners & IO_OWNER_CONSOLE) && vuart_io_handle(v, &q, &power_action))
		return power_action;
	/* PCI configuration (hv/view/pci_guard.c) first: a dword at
	 * CONFIG_ADDRESS also covers 0xCF9. */
	if ((owners & IO_OWNER_PCI) && pci_guard_handle_io(v, &q, &power_action))
		return power_action;
	/* Power and reset registers (hv/view/power.c) are carried out or end the guest. */
	if ((owners & IO_OWNER_POWER) && power_handle_io(v, &q, &power_action))
		return power_action;
	if (!q.in)
		warn_dropped_write(q.port);
	if (q.string)
		return io_string_emulate(v, &q, owned_element);
	if (q.in)
		v->regs.rax = merge_result(v->regs.rax, q.size, ALL_ONES);
	return EXIT_SKIP_INSTRUCTION;
}
