# tests/boot/guest-checks.sh: assertions on the in-tree test guest's serial
# lines (sourced after lib.sh by the boot tests that run it).
# shellcheck shell=bash
#
# The expected checks come from tests/guest/check_table.c itself, so a check
# that silently stops running (or stops printing) fails the test: each table
# row must print exactly one "[guest] PASS <name>" line, in table order.

CHECK_TABLE=$ROOT/tests/guest/check_table.c
# The one check that only runs on request (guest word touch-hv-memory) and
# then ends the run with an EPT violation; it is always the table's last.
TOUCH_CHECK=hv_memory_touch
# Fewer rows than this means the table's format changed under the parser.
CHECK_TABLE_MIN_ROWS=10
# The hypervisor-owned ports check port_hv_owned writes (the emulator exit
# ports, hv/view/intercept.c): the hypervisor warns once per port, however
# often the guest writes it.
HV_OWNED_PORTS="0xf4 0xf5 0xf6 0xf7 0x8900"
# Checks that FAIL under today's hypervisor, on purpose (each must print
# FAIL, so one that starts to pass fails the test until it is taken off
# this list).  None: the virtual LAPIC (hv/lapic/) passes every LAPIC
# check the bare emulator passes, on both back ends.
HV_KNOWN_FAILS=""

# check_names: the table's check names, one a line, in run order.
check_names()
{
	sed -nE 's/^[[:space:]]*\{ *"([A-Za-z0-9_]+)", *check_[A-Za-z0-9_]+ *\},?$/\1/p' \
		"$CHECK_TABLE"
}

# guest_result_names: the names of the guest's PASS/FAIL/SKIP lines, in order.
guest_result_names()
{
	sed -nE 's/^\[guest\] (PASS|FAIL|SKIP) ([A-Za-z0-9_]+).*$/\2/p' "$SERIAL"
}

# expect_hv_port_warnings: one "dropped (warned once)" line per port the
# guest wrote in port_hv_owned; the guest itself cannot see the warning.
expect_hv_port_warnings()
{
	local port line n
	ran || return 0
	for port in $HV_OWNED_PORTS; do
		line="[hv] warn: guest wrote hypervisor-owned I/O port $port: dropped (warned once)"
		n=$(grep -cxF -- "$line" "$SERIAL")
		[ "$n" = 1 ] || case_fail "$n line(s) '$line', want 1"
	done
	return 0
}

# known_fail NAME: NAME is on HV_KNOWN_FAILS.
known_fail()
{
	case " $HV_KNOWN_FAILS " in *" $1 "*) return 0 ;; esac
	return 1
}

known_fail_count()
{
	echo $HV_KNOWN_FAILS | wc -w
}

# expect_guest_verdict: the hypervisor's verdict on a full run of the
# table: PASS, or FAIL while HV_KNOWN_FAILS is not empty (the guest then
# reports failure through HC_TEST_EXIT).
expect_guest_verdict()
{
	if [ "$(known_fail_count)" = 0 ]; then
		expect_order '^\[guest\] summary: ' '^\[hv\] vcpu0: guest stopped: guest reported success \(HC_TEST_EXIT\)$'
		expect_verdict PASS 'guest reported success (HC_TEST_EXIT)'
	else
		expect_order '^\[guest\] summary: ' '^\[hv\] vcpu0: guest stopped: guest reported failure \(HC_TEST_EXIT\)$'
		expect_verdict FAIL 'guest reported failure (HC_TEST_EXIT)'
	fi
}

# expect_guest_checks all|touch: every check of the table passed (those of
# HV_KNOWN_FAILS failed), in order.
#   all:   hv_memory_touch was skipped (not requested) and the summary line
#          counts the rest as passed
#   touch: the run ended inside hv_memory_touch (no result line for it, no
#          summary): its read never returned to the guest
expect_guest_checks()
{
	local mode=$1 names want got n name
	ran || return 0
	names=$(check_names)
	n=$(grep -c . <<<"$names")
	if [ "$n" -lt "$CHECK_TABLE_MIN_ROWS" ] ||
	   [ "$(tail -n 1 <<<"$names")" != "$TOUCH_CHECK" ]; then
		case_fail "test defect: read $n check(s) from $CHECK_TABLE, last '$(tail -n 1 <<<"$names")'; want >= $CHECK_TABLE_MIN_ROWS ending with $TOUCH_CHECK"
		return 0
	fi
	for name in $names; do
		[ "$name" = "$TOUCH_CHECK" ] && continue
		if known_fail "$name"; then
			expect_regex "^\[guest\] FAIL $name: " "'[guest] FAIL $name' (HV_KNOWN_FAILS)"
		else
			expect_line "[guest] PASS $name"
		fi
	done
	[ "$(grep -c '^\[guest\] FAIL' "$SERIAL")" = "$(known_fail_count)" ] ||
		case_fail "$(grep -c '^\[guest\] FAIL' "$SERIAL") guest FAIL line(s), want the $(known_fail_count) of HV_KNOWN_FAILS"
	expect_hv_port_warnings
	# port_io's line written by REP OUTSB reached the serial log, not
	# dropped as a write to a port the hypervisor keeps.
	expect_line '[guest] port_io: this line went out through rep outsb'
	expect_absent '^\[hv\] warn: guest wrote hypervisor-owned I/O port 0x3f8' \
		'a COM1 write dropped'
	case $mode in
	all)
		want=$names
		expect_regex "^\[guest\] SKIP $TOUCH_CHECK: " "'[guest] SKIP $TOUCH_CHECK' line"
		expect_line "[guest] summary: $((n - 1 - $(known_fail_count))) passed, $(known_fail_count) failed, 1 skipped"
		;;
	touch)
		want=$(grep -vx "$TOUCH_CHECK" <<<"$names")
		expect_absent "^\[guest\] (PASS|FAIL|SKIP) $TOUCH_CHECK" \
			"result line of $TOUCH_CHECK (the read returned to the guest)"
		expect_absent '^\[guest\] summary:' 'guest summary (the guest went on)'
		;;
	*)
		case_fail "test defect: expect_guest_checks $mode"
		return 0
		;;
	esac
	got=$(guest_result_names)
	[ "$got" = "$want" ] ||
		case_fail "guest check results $(echo $got | wc -w) in order [$(echo $got | tr ' ' ',')], want $(echo $want | wc -w) [$(echo $want | tr ' ' ',')]"
	return 0
}

# exit_stats_table: the rows of the exit-statistics table printed under the
# "[hv] vcpu0: exit statistics" header (not the one HC_EXIT_STATS prints
# mid-run, which has no header).
exit_stats_table()
{
	awk '/^\[hv\] vcpu0: exit statistics/ { on = 1; next }
	     on && /^\[hv\]   / { print; next }
	     on { exit }' "$SERIAL"
}

# expect_exit_stats NAME-ERE [COUNT]: the exit-statistics table the
# hypervisor prints when the guest stops: its header, a row for the exit
# reason NAME-ERE (e.g. 'CPUID \(10\)') with COUNT exits (default: any), and
# a total row.
expect_exit_stats()
{
	local count=${2:-[0-9]+}
	ran || return 0
	expect_regex '^\[hv\] vcpu0: exit statistics( |:|$)' 'exit statistics header'
	exit_stats_table | grep -qE "^\[hv\]   $1 +$count +[0-9]+ +[0-9]+\$" ||
		case_fail "missing exit statistics row /$1/ with count $count"
	exit_stats_table | grep -qE '^\[hv\]   total +[0-9]+ +[0-9]+ +[0-9]+$' ||
		case_fail 'missing exit statistics total row'
	return 0
}

# expect_vmx_controls: the hypervisor printed the VMX controls it uses.
expect_vmx_controls()
{
	expect_regex '^\[hv\] VMX controls: pin 0x[0-9a-f]+ proc 0x[0-9a-f]+ proc2 0x[0-9a-f]+ exit 0x[0-9a-f]+ entry 0x[0-9a-f]+$' \
		'"[hv] VMX controls:" line'
}
