#!/usr/bin/env bash
# Process and port helpers shared by the local Kafka and PostgreSQL scripts (sourced, not run).
# The sourcing script defines die().

# Root's tools (runuser, useradd) live in the sbin directories, which a minimal PATH leaves out.
case ":$PATH:" in
  *:/usr/sbin:*) ;;
  *) export PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin" ;;
esac

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# A free TCP port on 127.0.0.1 below the kernel's ephemeral range (ip_local_port_range): a client
# reconnecting to a stopped broker/server could otherwise get that very port as its source port
# (TCP self-connect) and block the restart. Ports given in $* are skipped.
free_port() {
  local lo=32768 hi min=10000 max p tries=0
  read -r lo hi </proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || true
  max=$((lo - 1))
  ((max > min + 1000)) || { min=20000 max=29999; }
  if command -v node >/dev/null; then
    node -e '
      const net = require("net");
      const [min, max, ...skip] = process.argv.slice(1).map(Number);
      let tries = 0;
      (function attempt() {
        if (++tries > 200) process.exit(1);
        const port = min + Math.floor(Math.random() * (max - min + 1));
        if (skip.includes(port)) return attempt();
        const server = net.createServer();
        server.once("error", attempt);
        server.listen(port, "127.0.0.1", () => server.close(() => console.log(port)));
      })();' "$min" "$max" "$@" && return 0
  elif command -v python3 >/dev/null; then
    python3 -c '
import random, socket, sys
lo, hi, skip = int(sys.argv[1]), int(sys.argv[2]), set(map(int, sys.argv[3:]))
for _ in range(200):
    p = random.randint(lo, hi)
    if p in skip: continue
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", p)); print(p); sys.exit(0)
    except OSError: pass
    finally: s.close()
sys.exit(1)' "$min" "$max" "$@" && return 0
  else
    while ((tries++ < 200)); do
      p=$((min + RANDOM % (max - min + 1)))
      [[ " $* " == *" $p "* ]] && continue
      port_in_use "$p" || { echo "$p"; return 0; }
    done
  fi
  die "could not find a free port"
}

# Alive = exists and is not a zombie. Orphans are reaped late by some PID 1s (seen here: ~1.5 s),
# and `kill -0` succeeds on a zombie.
alive() {
  local st
  st="$(cat "/proc/$1/stat" 2>/dev/null)" || return 1
  st="${st##*) }"
  [[ -n "$st" && "${st%% *}" != Z ]]
}
