#!/usr/bin/env python3
"""Time from starting keydrill in a pseudo-terminal to its first prompt, median of N runs (ms)."""
import os, pty, select, sys, termios, time, tempfile
binary, runs = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 20
times = []
tmp = tempfile.mkdtemp()
for _ in range(runs):
    env = dict(os.environ, TERM="xterm", LANG="C.UTF-8", NO_COLOR="1", KEYDRILL_HISTORY=tmp + "/hist")
    start = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:
        os.execve(binary, [binary, "--state", tmp + "/state"], env)
    out = b""
    while b"> " not in out:
        r, _, _ = select.select([fd], [], [], 5)
        if not r:
            sys.exit("no prompt")
        out += os.read(fd, 4096)
    times.append((time.perf_counter() - start) * 1000)
    # libedit prints the prompt, then puts the terminal in raw mode: a byte that arrives before
    # that is read in canonical mode (and may be lost in the switch). Send end-of-input once the
    # terminal is raw.
    deadline = time.time() + 5
    while termios.tcgetattr(fd)[3] & termios.ICANON and time.time() < deadline:
        time.sleep(0.0005)
    os.write(fd, b"\x04")
    os.waitpid(pid, 0)
    os.close(fd)
times.sort()
print(f"{times[len(times) // 2]:.1f}")
