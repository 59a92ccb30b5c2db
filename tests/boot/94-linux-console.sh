#!/bin/bash
# The small Linux kernel with a busybox shell on ttyS0 (console-shell on
# its command line, tests/linux/init), driven by a client on COM1
# (tests/console/client.py through Bochs's loopback socket): the guest's
# virtual 16550 carries the console both ways, interrupt-driven.  A command
# typed into the shell runs and its output comes back; three Ctrl-A while
# the shell waits for input enter the hypervisor's monitor, which answers
# stats, regs and gva (the kernel text through its page tables); c resumes, and the shell still works.  Then a flood of
# random bytes (every value, partial escape sequences) reaches a raw-mode
# reader in the guest exactly as sent (md5sum), an unknown monitor command
# gets its one-line error, and the client powers the guest off from the
# shell.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/linux-lib.sh"
. "$(dirname "$0")/console-lib.sh"

FLOOD_BYTES=3000
FLOOD_SEED=11

linux_small_assets

case_begin shell
cat >"$CASE_DIR/client.script" <<SCRIPT
expect \[init\] shell on the console 600
expect shell# 60
type echo round-\$((6*7))\r
expect round-42.*shell# 60
sleep 1
send \x01\x01\x01
expect monitor: guest paused at rip 0x[0-9a-f]+ .*\(hv\)  60
type stats\r
expect total .*\(hv\)  30
type regs\r
expect interruptibility .*\(hv\)  30
type gva 0xffffffff81000000\r
expect GVA 0xffffffff81000000 -> GPA 0x[0-9a-f]+.*\(hv\)  30
type frobnicate\r
expect unknown command 'frobnicate'.*\(hv\)  30
type c\r
expect monitor: guest resumed 30
type echo after-\$((7*8))\r
expect after-56.*shell# 60
type stty raw -echo; echo flood-\$((2+3)); head -c $FLOOD_BYTES >/flood; stty sane; echo; echo flood-\$((4+5)); md5sum </flood\r
expect flood-5 60
flood $FLOOD_BYTES $FLOOD_SEED
expect flood-9 300
expect {FLOOD} 60
expect shell# 60
type poweroff -f\r
SCRIPT
linux_iso "$CASE_DIR/hv.iso" "$LINUX_SMALL" "$LINUX_CMDLINE_SMALL console-shell" "$LINUX_INITRD"
BOCHS_TIMEOUT=$LINUX_SMALL_TIMEOUT run_bochs_console "$CASE_DIR/client.script" \
	--model "$LINUX_MODEL" --cpus "$LINUX_CPUS" --ignore-bad-msrs 1 --cdrom "$CASE_DIR/hv.iso"
expect_linux_booted '[hv] micro-hypervisor starting (multiboot2, BIOS)'
expect_line '[init] shell on the console'
expect_regex '^\[hv\] monitor: guest paused at rip 0x[0-9a-f]+ \(help: commands, c: continue\)$' 'the monitor'"'"'s banner'
expect_line '[hv] monitor: guest resumed'
expect_regex '^round-42$' 'the first command'"'"'s output'
expect_regex '^after-56$' 'the command after the monitor'
expect_regex '^[0-9a-f]{32}  -$' 'the MD5 of the flood'
case_end
finish
