/*
 * guest_env: are we under VTxMicroHV, and what did the command line ask.
 */
#include "arch/x86/cpu.h"
#include "tests/guest/guest.h"
#include "tests/guest/multiboot.h"
#include "tests/guest/reset_attack.h"
#include "hv/exit/hypercall.h"

#define BENCH_DEFAULT_ITERATIONS 10000
#define WORD_MAX 64

struct guest_env guest_env;

static void detect_hypervisor(struct guest_env *e)
{
	/* Leaf 0x40000000 is read even without the hypervisor bit: the
	 * hypervisor answers it regardless, so a missing bit can be reported
	 * (cpuid_hypervisor_bit); on bare hardware the bytes never match. */
	e->cpuid_hv_bit = cpuid(1, 0).ecx & CPUID_1_ECX_HYPERVISOR;
	struct cpuid_regs s = cpuid(HV_CPUID_SIGNATURE_LEAF, 0);
	e->hv_max_leaf = s.eax;
	memcpy(e->hv_signature, &s.ebx, 4);
	memcpy(e->hv_signature + 4, &s.ecx, 4);
	memcpy(e->hv_signature + 8, &s.edx, 4);
	e->hv_signature[HV_SIGNATURE_LEN] = '\0';
	for (int i = 0; i < HV_SIGNATURE_LEN; i++)   /* printable, for messages */
		if (e->hv_signature[i] < ' ' || e->hv_signature[i] > '~')
			e->hv_signature[i] = '.';
	e->under_hv = memcmp(e->hv_signature, HV_CPUID_SIGNATURE,
			     HV_SIGNATURE_LEN) == 0;
	if (e->under_hv && e->hv_max_leaf >= HV_CPUID_FEATURES_LEAF)
		e->hv_features = cpuid(HV_CPUID_FEATURES_LEAF, 0).eax;
}

static bool word_is(const char *w, size_t len, const char *key)
{
	return len == strlen(key) && memcmp(w, key, len) == 0;
}

/* "iterations=N" (decimal); anything else leaves the default. */
static void parse_iterations(const char *w, size_t len, uint64_t *out)
{
	static const char key[] = "iterations=";
	size_t k = sizeof(key) - 1;
	uint64_t v = 0;

	if (len <= k || memcmp(w, key, k) != 0)
		return;
	for (size_t i = k; i < len; i++) {
		if (w[i] < '0' || w[i] > '9' || v > UINT32_MAX)
			return;
		v = v * 10 + (uint64_t)(w[i] - '0');
	}
	if (v)
		*out = v;
}

/* "reset=92|cf9w|kbcd": the reset request to make instead of the checks. */
static void parse_reset(const char *w, size_t len, uint8_t *out)
{
	static const char key[] = "reset=";
	size_t k = sizeof(key) - 1;

	if (len > k && memcmp(w, key, k) == 0)
		*out = (uint8_t)reset_attack_parse(w + k, len - k);
}

static void parse_word(struct guest_env *e, const char *w, size_t len)
{
	if (word_is(w, len, "bench"))
		e->bench = true;
	else if (word_is(w, len, "touch-hv-memory"))
		e->touch_hv_memory = true;
	else if (word_is(w, len, "unexpected-fault"))
		e->unexpected_fault = true;
	else if (word_is(w, len, "triple-fault"))
		e->triple_fault = true;
	else if (word_is(w, len, "halt-disabled"))
		e->halt_disabled = true;
	else if (word_is(w, len, "forge-verdict"))
		e->forge_verdict = true;
	else if (word_is(w, len, "spin-console"))
		e->spin_console = true;
	else if (word_is(w, len, "halt-console"))
		e->halt_console = true;
	else if (word_is(w, len, "quiet-console"))
		e->quiet_console = true;
	else if (word_is(w, len, "init-self"))
		e->init_self = true;
	else if (word_is(w, len, "ecam-hidden"))
		e->ecam_hidden = true;
	else {
		parse_iterations(w, len, &e->bench_iterations);
		parse_reset(w, len, &e->reset_attack);
	}
}

/* Loaders pass "<image path> <args>"; the path never matches a word. */
static void parse_cmdline(struct guest_env *e, const char *s)
{
	while (*s) {
		while (*s == ' ' || *s == '\t')
			s++;
		size_t len = 0;
		while (s[len] && s[len] != ' ' && s[len] != '\t')
			len++;
		if (len && len < WORD_MAX)
			parse_word(e, s, len);
		s += len;
	}
}

void guest_env_init(void)
{
	guest_env.bench_iterations = BENCH_DEFAULT_ITERATIONS;
	detect_hypervisor(&guest_env);
	parse_cmdline(&guest_env, mb_cmdline);
}
