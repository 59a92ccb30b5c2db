# tests/boot/console-lib.sh: boot tests that type on the console (sourced
# after lib.sh).  Bochs puts COM1 on a TCP server on the loopback interface
# (tools/bochsrc.sh --com1-socket) and waits for the client,
# tests/console/client.py, which runs a script of expect/type/send lines
# and records everything it receives as the case's serial log.
# shellcheck shell=bash

CLIENT=$ROOT/tests/console/client.py
# A free TCP port on the loopback interface.
free_port()
{
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# run_bochs_console SCRIPT BOCHSRC-OPTIONS...: Bochs with COM1 on a socket
# and the client typing SCRIPT; the client's own failures fail the case.
run_bochs_console()
{
	local script=$1 port client
	shift
	port=$(free_port)
	python3 "$CLIENT" "$port" "$SERIAL_RAW" "$script" >"$CASE_DIR/client.out" 2>&1 &
	client=$!
	run_bochs --com1-socket "$port" "$@"
	wait "$client" || case_fail "client: $(head -n 3 "$CASE_DIR/client.out" | tr '\n' ' ')"
	clean_serial
}

