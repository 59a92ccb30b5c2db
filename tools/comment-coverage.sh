#!/bin/bash
# tools/comment-coverage.sh [DIR...]: per folder, how many C function
# definitions have a comment ending on the line just above them (above the
# return-type line when the signature spans lines; a "/* ---- Section */"
# banner does not count).  Default: hv mm guest.
# A definition is a body opened by "{" alone at column 0 (kernel style);
# "-v" lists the uncommented ones as FILE:LINE NAME.
set -euo pipefail
verbose=0
if [ "${1:-}" = "-v" ]; then verbose=1; shift; fi
[ $# -gt 0 ] || set -- hv mm guest

total=0 commented=0
for dir in "$@"; do
	read -r n c < <(find "$dir" -name '*.c' -print0 | sort -z |
		xargs -0 awk -v verbose="$verbose" '
		FNR == 1 { delete line }
		{ line[FNR] = $0 }
		/^\{$/ {
			# Walk back over the signature to its first line.
			s = FNR - 1
			while (s > 1 && line[s - 1] !~ /^$|;$|}$|\*\/$|^#/)
				s--
			n++
			# A "/* ---- Section ---- */" banner is not about the function.
			if (s > 1 && line[s - 1] ~ /\*\/[ \t]*$/ &&
			    line[s - 1] !~ /^\/\* ---/)
				c++
			else if (verbose) {
				name = ""
				for (i = s; i < FNR; i++)
					name = name " " line[i]
				sub(/\(.*/, "", name); sub(/.*[ *]/, "", name)
				print FILENAME ":" s " " name > "/dev/stderr"
			}
		}
		END { print n + 0, c + 0 }')
	printf '%-8s %4d functions, %4d commented (%d%%)\n' "$dir" "$n" "$c" \
		$(( n ? 100 * c / n : 0 ))
	total=$((total + n)) commented=$((commented + c))
done
printf '%-8s %4d functions, %4d commented (%d%%)\n' total "$total" \
	"$commented" $(( total ? 100 * commented / total : 0 ))
