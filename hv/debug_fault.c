/*
 * debug-fault= (see hv/debug_fault.h): the option's meaning lives here,
 * the mechanism that raises an exception in arch/x86/trap.c.
 */
#include "arch/x86/panic.h"
#include "arch/x86/trap.h"
#include "boot/config.h"
#include "drivers/stop.h"
#include "hv/debug_fault.h"
#include "lib/log.h"

/* Raise the exception debug-fault= asks for (see hv/debug_fault.h). */
void debug_fault_raise(uint32_t kind)
{
	static const uint8_t vectors[] = {
		[DEBUG_FAULT_UD] = VECTOR_UD, [DEBUG_FAULT_PF] = VECTOR_PF,
		[DEBUG_FAULT_GP] = VECTOR_GP, [DEBUG_FAULT_DE] = VECTOR_DE,
		[DEBUG_FAULT_MC] = VECTOR_MC,
	};

	if (kind == DEBUG_FAULT_PANIC)
		panic("debug_fault_raise: panic requested by debug-fault=panic");
	if (kind == DEBUG_FAULT_NONE || kind >= sizeof(vectors))
		return;
	log_info("debug-fault: raising #%s on purpose",
		 trap_mnemonic(vectors[kind]));
	trap_raise(vectors[kind]);
	log_error("debug-fault: #%s did not happen",
		  trap_mnemonic(vectors[kind]));
	hv_stop(false, "debug-fault raised no exception");
}
