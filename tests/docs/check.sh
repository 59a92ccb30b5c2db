#!/bin/bash
# tests/docs/check.sh [--self-test]: the tables the docs repeat from the
# code, checked against the code.  One line per table:
#   PASS docs/<name>   or   FAIL docs/<name>: <what differs>
# (the format tests/run.sh counts).
#
#   docs/guest-checks    docs/guests.md's check table and summary line
#                        against tests/guest/check_table.c
#   docs/guest-cmdline   docs/guests.md's command-line words against
#                        tests/guest/env.c
#   docs/exit-table      docs/vmx.md's exit-handling table (number, name,
#                        handler, and the policy its handler implies), its
#                        list of unused numbers and the statistics range
#                        against hv/exit/table.c and hv/exit/reason.h
#   docs/hypercalls      docs/hypercalls.md's call, error and feature tables
#                        and limits against hv/exit/hypercall.h and .c
#   docs/hv-cmdline      docs/boot.md's command-line words against the words
#                        the hypervisor's code parses
#
# --self-test: run every check on a copy of the tree with one deliberate
# mistake per check and expect it to FAIL (PASS docs/self-test/<name> when
# it does), so that a check that cannot fail is caught too.
#
# ROOT (default: this repository) names the tree to check.
set -uo pipefail

ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
SELF=$(cd "$(dirname "$0")" && pwd)/$(basename "$0")
# Fewer rows than these means a table's format changed under the parser.
MIN_CHECK_ROWS=10
MIN_EXIT_ROWS=60

# section FILE START-ERE: the rows of the first Markdown table after the
# first line matching START-ERE (leading blanks dropped, so tables inside
# list items count).
section()
{
	awk -v start="$2" '
		{ line = $0; sub(/^[ \t]+/, "", line) }
		!on && line ~ start { on = 1; next }
		on && line ~ /^\|/ { seen = 1; print line; next }
		on && seen { exit }' "$1"
}

# cells: table rows on stdin -> their cells, tab-separated and trimmed,
# without the header and delimiter rows and without backquotes.  "\|"
# inside a cell is kept as "|".
cells()
{
	sed -e 's/\\|/\x01/g' -e 's/`//g' | awk -F'|' '
		NR <= 2 { next }
		{
			out = ""
			for (i = 2; i < NF; i++) {
				c = $i
				gsub(/^[ \t]+|[ \t]+$/, "", c)
				gsub(/\x01/, "|", c)
				out = out (i > 2 ? "\t" : "") c
			}
			print out
		}'
}

# differ WHAT WANT GOT: when the two lists differ, one line saying how
# (the lines only the code has, then those only the doc has).
differ()
{
	local what=$1 want=$2 got=$3
	[ "$want" = "$got" ] && return 0
	echo "$what differ: $(diff <(echo "$want") <(echo "$got") |
		sed -n -e 's/^< /code has /p' -e 's/^> /doc has /p' |
		tr '\t' '/' | head -n 6 | paste -sd ';' | sed 's/;/; /g')"
}

# ---- docs/guest-checks ----------------------------------------------------

check_guest_checks()
{
	local table=$ROOT/tests/guest/check_table.c doc=$ROOT/docs/guests.md
	local code docs n summary
	code=$(sed -nE 's/^[[:space:]]*\{ *"([A-Za-z0-9_]+)", *check_[A-Za-z0-9_]+ *\},?$/\1/p' "$table")
	n=$(grep -c . <<<"$code")
	if [ "$n" -lt "$MIN_CHECK_ROWS" ]; then
		echo "read $n check(s) from tests/guest/check_table.c (format changed?)"
		return
	fi
	docs=$(section "$doc" '^The checks, in run order' | cells | cut -f1 | tr -d '`')
	differ "check names in run order" "$code" "$docs"
	# Every check passes but hv_memory_touch, which is skipped unless asked.
	summary=$(grep -oE '\[guest\] summary: [0-9]+ passed, [0-9]+ failed, [0-9]+ skipped' "$doc" | head -n 1)
	[ "$summary" = "[guest] summary: $((n - 1)) passed, 0 failed, 1 skipped" ] ||
		echo "summary line: doc '$summary', code has $n checks: want '[guest] summary: $((n - 1)) passed, 0 failed, 1 skipped'"
}

check_guest_cmdline()
{
	local code docs
	code=$( { grep -oE 'word_is\(w, len, "[a-z-]+"\)' "$ROOT/tests/guest/env.c" |
			sed -E 's/.*"(.*)".*/\1/'
		  grep -oE 'key\[\] = "[a-z-]+="' "$ROOT/tests/guest/env.c" |
			sed -E 's/.*"(.*)="/\1/'; } | sort)
	docs=$(section "$ROOT/docs/guests.md" '^Command-line words \(after the module' |
		cells | cut -f1 | tr -d '`' | sed 's/=.*//' | sort)
	[ -n "$code" ] || { echo "no words found in tests/guest/env.c (format changed?)"; return; }
	differ "test guest command-line words" "$code" "$docs"
}

# ---- docs/exit-table ------------------------------------------------------

# exit_rows: "number<TAB>name<TAB>handler" for every row of hv/exit/table.c.
exit_rows()
{
	local defs
	defs=$(sed -nE 's/^#define (EXIT_REASON_[A-Z0-9_]+)[[:space:]]+([0-9]+)\b.*/\1 \2/p' \
		"$ROOT/hv/exit/reason.h")
	grep -oE 'ROW(_SIMPLE|_INSN)?\(EXIT_REASON_[A-Z0-9_]+, *"[^"]*", *[a-z_0-9]+' "$ROOT/hv/exit/table.c" |
		sed -E 's/ROW(_SIMPLE|_INSN)?\((EXIT_REASON_[A-Z0-9_]+), *"([^"]*)", *([a-z_0-9]+)/\2\t\3\t\4/' |
		while IFS=$'\t' read -r sym name handler; do
			printf '%s\t%s\t%s\n' "$(awk -v s="$sym" '$1 == s { print $2 }' <<<"$defs")" \
				"$name" "$handler"
		done | sort -n
}

# expand "35, 38, 80-83" into one number a line.
expand_numbers()
{
	tr ',' '\n' | tr -d ' ' | awk -F- 'NF == 1 && $1 != "" { print $1 }
		NF == 2 { for (i = $1; i <= $2; i++) print i }'
}

# The policy text a handler implies, by its first words.
policy_mismatch()
{
	awk -F'\t' '
		function want(h) {
			if (h == "inject_ud") return "#UD"
			if (h == "exit_unexpected") return "Unexpected"
			if (h == "exit_entry_failure") return "Reported with the VMCS dump"
			return ""
		}
		{
			w = want($3)
			for (p in pre) if (index($4, pre[p]) == 1 && pre[p] != w)
				print "reason " $1 " (" $3 "): policy text \"" $4 "\" does not fit the handler"
			if (w != "" && index($4, w) != 1)
				print "reason " $1 " (" $3 "): policy text should start \"" w "\""
		}
		BEGIN { pre[1] = "#UD"; pre[2] = "Unexpected"; pre[3] = "Reported with the VMCS dump" }'
}

check_exit_table()
{
	local doc=$ROOT/docs/vmx.md code docs n max unused_doc unused_code stats
	code=$(exit_rows)
	n=$(grep -c . <<<"$code")
	if [ "$n" -lt "$MIN_EXIT_ROWS" ] || grep -qP '^\t' <<<"$code"; then
		echo "read $n row(s) from hv/exit/table.c, or a row without a number in hv/exit/reason.h (format changed?)"
		return
	fi
	docs=$(section "$doc" '^\| # \| name \| handler \|' | sed '1i| # | name | handler | policy |' | cells)
	differ "exit table rows (number, name, handler)" "$code" "$(cut -f1-3 <<<"$docs")"
	policy_mismatch <<<"$docs"
	max=$(sed -nE 's/^#define EXIT_REASON_MAX[[:space:]]+([0-9]+).*/\1/p' "$ROOT/hv/exit/reason.h")
	unused_code=$(comm -23 <(seq 0 "$max" | sort) <(cut -f1 <<<"$code" | sort) | sort -n)
	unused_doc=$(tr '\n' ' ' <"$doc" | grep -oE 'Numbers +without +a +row +\([0-9, -]+\)' |
		sed -E 's/.*\((.*)\)/\1/' | expand_numbers)
	differ "numbers without a row" "$unused_code" "$unused_doc"
	stats=$(tr '\n' ' ' <"$doc" | grep -oE 'per-reason +counts +for +reasons +0-[0-9]+' | grep -oE '[0-9]+$')
	[ "$stats" = "$max" ] ||
		echo "exit statistics: doc says per-reason counts for 0-${stats:-?}, code keeps 0-$max (EXIT_REASON_SLOTS)"
}

# ---- docs/hypercalls ------------------------------------------------------

# defines PREFIX FILE: "NAME<TAB>value" for each #define PREFIX... number.
defines()
{
	sed -nE "s/^#define ($1[A-Z0-9_]*)[[:space:]]+(\(1u << )?(0x[0-9a-fA-F]+|[0-9]+)\)?.*/\1\t\3/p" "$2"
}

check_hypercalls()
{
	local h=$ROOT/hv/exit/hypercall.h c=$ROOT/hv/exit/hypercall.c
	local doc=$ROOT/docs/hypercalls.md code docs v mask
	code=$(defines HC_ "$h" | grep -v '^HC_ERR_' | awk -F'\t' '{ print $2 "\t" $1 }' | sort -n)
	docs=$(section "$doc" '^## Calls' | cells | cut -f1,2 | tr -d '`' | grep -v '^other')
	differ "calls (number, name)" "$code" "$docs"
	code=$(defines HC_ERR_ "$h" | sort)
	docs=$(section "$doc" '^- Errors:' | sed 's/^ *//' | cells | cut -f1,2 | tr -d '`' |
		sed -E 's/\t([0-9]+) \(RAX = -\1\)$/\t\1/' | sort)
	differ "errors (name, value)" "$code" "$docs"
	code=$(defines HV_FEATURE_ "$h" | sort)
	docs=$(section "$doc" '^\| bit \(leaf 0x40000001 EAX\)' | sed '1i| bit | name | meaning |' |
		cells | awk -F'\t' '{ gsub(/`/, "", $2); print $2 "\t" $1 }' | sort)
	differ "feature bits (name, bit)" "$code" "$docs"
	mask=0
	for v in $(cut -f2 <<<"$code"); do mask=$((mask | (1 << v))); done
	grep -q "reports all three now (EAX = 0x$(printf '%x' $mask))" "$doc" ||
		echo "feature mask: code 0x$(printf '%x' $mask), doc '$(grep -oE 'EAX = 0x[0-9a-f]+\)' "$doc")'"
	v=$(defines HV_ABI_VERSION "$h" | cut -f2)
	grep -q "\`HV_ABI_VERSION\` = $v " "$doc" ||
		echo "HV_ABI_VERSION: code $v, doc '$(grep -oE '`HV_ABI_VERSION` = [0-9a-fx]+' "$doc")'"
	v=$(grep -oE '"[^"]+"' <<<"$(grep HV_CPUID_SIGNATURE\  "$h")" | head -n 1)
	grep -qF "signature \`$v\`" "$doc" || echo "signature: code $v, doc differs"
	v=$(defines CONSOLE_WRITE_MAX "$c" | cut -f2)
	grep -qF "length in bytes (at most $v)" "$doc" ||
		echo "HC_CONSOLE_WRITE limit: code $v, doc '$(grep -oE 'at most [0-9]+\)' "$doc" | head -n 1)'"
	v=$(defines CONSOLE_LINE_MAX "$c" | cut -f2)
	grep -qF "(or per $v bytes)" "$doc" ||
		echo "HC_CONSOLE_WRITE line length: code $v, doc '$(grep -oE 'or per [0-9]+ bytes' "$doc")'"
}

# ---- docs/hv-cmdline ------------------------------------------------------

# hv_words: the hypervisor command-line words its code parses.  Guest
# loaders (guest/) read the guest's command line and tests/ the test
# guest's; lib/cmdline.c defines the parsers.
hv_words()
{
	local f key
	grep -rlE --include='*.c' '(config_value|cmdline_get|cmdline_has)\(' \
		"$ROOT"/{arch,boot,drivers,hv,lib,mm} 2>/dev/null |
	while read -r f; do
		grep -oE '(config_value|cmdline_get|cmdline_has)\([a-z_>.-]+, *("[a-z0-9-]+"|[A-Z_]+)' "$f" |
			sed -E 's/.*, *//' |
			while read -r key; do
				case $key in
				\"*) echo "${key//\"/}" ;;
				*) sed -nE "s/^#define $key[[:space:]]+\"([a-z0-9-]+)\".*/\1/p" "$f" ;;
				esac
			done
	done | sort -u
}

check_hv_cmdline()
{
	local code docs
	code=$(hv_words)
	[ "$(grep -c . <<<"$code")" -ge 5 ] ||
		{ echo "found only [$code] in the code (format changed?)"; return; }
	docs=$(section "$ROOT/docs/boot.md" '^The command-line words the hypervisor understands' |
		cells | cut -f1 | tr -d '`' | sed -E 's/[=[].*//' | sort -u)
	differ "hypervisor command-line words" "$code" "$docs"
}

# ---- running --------------------------------------------------------------

CHECKS="guest-checks guest-cmdline exit-table hypercalls hv-cmdline"

run_check()
{
	local name=$1 out
	out=$("check_${name//-/_}" 2>&1)
	if [ -z "$out" ]; then
		echo "PASS docs/$name"
	else
		echo "FAIL docs/$name: $(head -n 1 <<<"$out")"
		tail -n +2 <<<"$out" | sed 's/^/    /'
	fi
}

# ---- self-test: each check must FAIL on a tree with one mistake -----------

# mistake NAME DIR: make the mistake check NAME must catch, in the copy DIR.
mistake()
{
	case $1 in
	guest-checks)  # a check added to the code but not to the doc
		sed -i 's/^\(\t{ "cr4_vmxe", check_cr4_vmxe },\)$/\1\n\t{ "cr4_extra", check_cr4_vmxe },/' \
			"$2/tests/guest/check_table.c" ;;
	guest-cmdline)
		sed -i 's/"triple-fault"/"triple-faults"/' "$2/tests/guest/env.c" ;;
	exit-table)    # the handler of one reason changes
		sed -i 's/ROW(EXIT_REASON_GETSEC, "GETSEC", inject_ud)/ROW(EXIT_REASON_GETSEC, "GETSEC", exit_unexpected)/' \
			"$2/hv/exit/table.c" ;;
	hypercalls)
		sed -i 's/^#define HC_GET_HV_RANGES        4/#define HC_GET_HV_RANGES        5/' \
			"$2/hv/exit/hypercall.h" ;;
	hv-cmdline)    # a new option in the code only
		sed -i 's/cmdline_has(cmdline, "test-exit")/cmdline_has(cmdline, "test-exit-now")/' \
			"$2/boot/config.c" ;;
	esac
}

self_test()
{
	local name dir out
	for name in $CHECKS; do
		dir=$(mktemp -d)
		cp -a "$ROOT"/{arch,boot,docs,drivers,hv,lib,mm,tests} "$dir"/
		out=$(ROOT=$dir bash "$SELF" "$name")
		if [ "$out" != "PASS docs/$name" ]; then
			echo "FAIL docs/self-test/$name: fails on the unchanged tree: $out"
		else
			mistake "$name" "$dir"
			out=$(ROOT=$dir bash "$SELF" "$name" | head -n 1)
			case $out in
			"FAIL docs/$name:"*) echo "PASS docs/self-test/$name (caught: ${out#FAIL docs/$name: })" ;;
			*) echo "FAIL docs/self-test/$name: a deliberate mistake went unnoticed: $out" ;;
			esac
		fi
		rm -rf "$dir"
	done
}

case ${1:-} in
--self-test) self_test ;;
"") for name in $CHECKS; do run_check "$name"; done ;;
*) run_check "$1" ;;
esac
