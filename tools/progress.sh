# tools/progress.sh: progress of the long steps of the tools/ scripts
# (kernel build, downloads, apt-get), sourced by them.  POSIX sh.
#
# The script sets PROGRESS_NAME (its name, the prefix of every line) and
# TOOL_LOG (the file the steps' full output is appended to).  A step's
# output goes only to TOOL_LOG; stderr gets one line saying what starts
# (say) and, while the step runs, how far it got:
#   - on a terminal, one line rewritten every second (elapsed time and the
#     log's last line, e.g. the kernel build's "CC kernel/fork.o"), erased
#     when the step ends;
#   - otherwise (a log file, CI, make test's tee) one line after
#     PROGRESS_EVERY seconds (default 30), the next after twice that, then
#     every four times that (30 s, 90 s, 210 s, 330 s...): a step of minutes
#     adds a handful of lines, not its output (7 for a 12-minute build).
# Nothing is shown for a step that ends within its first second.
# shellcheck shell=sh

PROGRESS_EVERY=${PROGRESS_EVERY:-30}
# A running step is polled every PROGRESS_POLL seconds (its end is seen
# that soon); every PROGRESS_POLLS polls (about a second) its progress is
# looked at.
PROGRESS_POLL=0.25
PROGRESS_POLLS=4

# say TEXT: one line on stderr, "NAME: TEXT".
say() {
    echo "$PROGRESS_NAME: $*" >&2
}

# progress_lines: number of lines in TOOL_LOG.
progress_lines() {
    wc -l <"$TOOL_LOG" | tr -d ' '
}

# progress_detail: what a progress line adds after the elapsed time; a
# step sets PROGRESS_DETAIL to a command printing its own (e.g. bytes
# downloaded).  By default the number of log lines the step wrote (if any)
# and, on a terminal, the last of them with its blanks squeezed.
progress_detail() {
    if [ -n "${PROGRESS_DETAIL:-}" ]; then
        eval "$PROGRESS_DETAIL"
        return
    fi
    progress_new=$(( $(progress_lines) - progress_start_lines ))
    if [ "$progress_new" = 0 ]; then
        return
    elif [ -t 2 ]; then
        printf ', %s lines: %s' "$progress_new" \
            "$(tail -n 1 "$TOOL_LOG" | tr -s ' \t' '  ' | sed 's/^ //')"
    else
        printf ', %s lines of output' "$progress_new"
    fi
}

# progress_show WHAT: the progress line when one is due (see the top).
progress_show() {
    progress_secs=$(( $(date +%s) - progress_start ))
    if [ -t 2 ]; then
        printf '\r\033[K%s' "$(printf '%s: %s, %s s%s' "$PROGRESS_NAME" "$1" \
            "$progress_secs" "$(progress_detail)" |
            cut -c "1-$((progress_columns - 1))")" >&2
    elif [ "$progress_secs" -ge "$progress_due" ]; then
        echo "$PROGRESS_NAME: $1, $progress_secs s$(progress_detail)" >&2
        [ "$progress_step" -ge $((4 * PROGRESS_EVERY)) ] ||
            progress_step=$((2 * progress_step))
        progress_due=$((progress_due + progress_step))
    fi
}

# progress_columns: the terminal's width (80 when unknown).
progress_columns() {
    progress_cols=$(stty size <&2 2>/dev/null | cut -d' ' -f2)
    case $progress_cols in ''|*[!0-9]*|0) progress_cols=80 ;; esac
    echo "$progress_cols"
}

# progress_run WHAT CMD...: run CMD with its output appended to TOOL_LOG,
# showing its progress on stderr as WHAT (see the top).  Ctrl-C or a kill
# stops CMD too.  Status of CMD.
progress_run() {
    progress_what=$1
    shift
    progress_start_lines=$(progress_lines)
    progress_columns=$(progress_columns)
    progress_start=$(date +%s)
    progress_due=$PROGRESS_EVERY
    progress_step=$PROGRESS_EVERY
    "$@" </dev/null >>"$TOOL_LOG" 2>&1 &
    progress_pid=$!
    # A background job of a script ignores SIGINT: pass it on by hand.
    trap 'kill "$progress_pid" 2>/dev/null; exit 130' INT
    trap 'kill "$progress_pid" 2>/dev/null; exit 143' TERM HUP
    progress_polls=0
    while kill -0 "$progress_pid" 2>/dev/null; do
        sleep "$PROGRESS_POLL"
        progress_polls=$((progress_polls + 1))
        if [ $((progress_polls % PROGRESS_POLLS)) = 0 ]; then
            progress_show "$progress_what"
        fi
    done
    if wait "$progress_pid"; then progress_status=0; else progress_status=$?; fi
    trap - INT TERM HUP
    if [ -t 2 ] && [ $progress_polls -ge $PROGRESS_POLLS ]; then
        printf '\r\033[K' >&2
    fi
    return $progress_status
}

# progress_failed WHAT: say WHAT failed, show the last lines the last step
# wrote to TOOL_LOG and exit 1.
progress_failed() {
    say "$1 failed; last lines of $TOOL_LOG:"
    tail -n "+$((progress_start_lines + 1))" "$TOOL_LOG" | tail -n 20 |
        sed 's/^/    | /' >&2
    exit 1
}
