#!/usr/bin/env python3
"""ovsdb-server's own cost of loading N routes (every other one ECMP over two next hops, so 1.5 N
Logical_Router_Static_Route rows) into a fresh OVN northbound database, without Cairn: the
transactions Cairn's ovn driver sends (a fence "wait", one "insert" per row, one "mutate" of the
router's static_routes), BATCH prefixes each, DEPTH of them in flight. Prints wall time,
ovsdb-server CPU time (from /proc) and the bytes it sent back. Needs ovn-central.

usage: ovsdb-probe.py VARIANT N BATCH DEPTH
  cairn          the monitor Cairn used before: owned routes with inserts, the router with static_routes
  noinsert       the monitor Cairn uses now: route inserts not sent ("select": {"insert": false})
  noinsert-nosr  as noinsert, without static_routes in the router's columns
  none           no monitor at all
  noext          rows without the external_ids owner tag (noinsert monitor)
  manymut        as noinsert, but one "mutate" per inserted row instead of one per transaction
"""
import json, os, queue, socket, subprocess, sys, tempfile, threading, time

variant, n, batch, depth = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
d = tempfile.mkdtemp(prefix="ovsdb-probe-")
db, sock = d + "/nb.db", d + "/nb.sock"
subprocess.check_call(["ovsdb-tool", "create", db, "/usr/share/ovn/ovn-nb.ovsschema"])
srv = subprocess.Popen(["ovsdb-server", db, "--remote=punix:" + sock, "--no-chdir",
                        "--log-file=" + d + "/nb.log", "-vconsole:off", "--unixctl=" + d + "/nb.ctl"])
for _ in range(200):
    if os.path.exists(sock): break
    time.sleep(0.05)
s = socket.socket(socket.AF_UNIX); s.connect(sock)
dec = json.JSONDecoder(); buf = ""; nid = 0; received = 0

# Sending from its own thread: ovsdb-server stops reading a client whose replies back up, so a
# client that blocks in send() without reading deadlocks with it.
out = queue.Queue()
threading.Thread(target=lambda: [s.sendall(m) for m in iter(out.get, None)], daemon=True).start()

def send(method, params):
    global nid
    nid += 1
    out.put(json.dumps({"method": method, "params": params, "id": nid}).encode())
    return nid

def recv_until(idwant):
    """Reads messages until the reply to idwant; returns it. Counts bytes received."""
    global buf, received
    while True:
        buf = buf.lstrip()
        try:
            msg, end = dec.raw_decode(buf)
            buf = buf[end:]
            if msg.get("id") == idwant and "result" in msg:
                return msg
            if msg.get("method") == "echo":
                out.put(json.dumps({"result": msg["params"], "error": None, "id": msg["id"]}).encode())
            continue
        except ValueError:
            pass
        chunk = s.recv(1 << 20)
        if not chunk: raise SystemExit("closed")
        received += len(chunk)
        buf += chunk.decode()

def cpu():
    f = open("/proc/%d/stat" % srv.pid).read().rsplit(")", 1)[1].split()
    return (int(f[11]) + int(f[12])) * 10

r = recv_until(send("transact", ["OVN_Northbound", {"op": "insert", "table": "Logical_Router",
                                                     "row": {"name": "lr0"}, "uuid-name": "r"}]))
router = r["result"][0]["uuid"][1]
owner = ["map", [["cairn-owner", "cairn"]]]
if variant != "none":
    route_sel = {"columns": ["ip_prefix", "nexthop", "external_ids", "policy", "output_port", "options", "bfd", "route_table"],
                 "where": [["external_ids", "includes", owner]]}
    if variant.startswith("noinsert") or variant == "manymut":
        route_sel["select"] = {"initial": True, "insert": False, "delete": True, "modify": True}
    rcols = ["name", "static_routes", "external_ids"] if variant != "noinsert-nosr" else ["name", "external_ids"]
    recv_until(send("monitor_cond", ["OVN_Northbound", "m", {
        "Logical_Router": [{"columns": rcols, "where": [["name", "==", "lr0"]]}],
        "Logical_Router_Static_Route": [route_sel]}]))

def txn(k, start, count):
    ops = [{"op": "wait", "table": "Logical_Router", "timeout": 0,
            "where": [["_uuid", "==", ["uuid", router]]], "columns": ["_uuid"], "until": "==",
            "rows": [{"_uuid": ["uuid", router]}]}]
    names = []
    for i in range(start, start + count):
        net = (10 << 24) + (i << 8)
        pfx = "%d.%d.%d.0/24" % (net >> 24, (net >> 16) & 255, (net >> 8) & 255)
        for hop in (["10.1.2.4"] if i % 2 == 0 else ["10.1.2.4", "10.1.2.5"]):
            row = {"ip_prefix": pfx, "nexthop": hop}
            if variant != "noext": row["external_ids"] = owner
            nm = "r%d" % len(names); names.append(["named-uuid", nm])
            ops.append({"op": "insert", "table": "Logical_Router_Static_Route", "uuid-name": nm, "row": row})
    if variant == "manymut":
        for nm in names:
            ops.append({"op": "mutate", "table": "Logical_Router", "where": [["_uuid", "==", ["uuid", router]]],
                        "mutations": [["static_routes", "insert", nm]]})
    else:
        ops.append({"op": "mutate", "table": "Logical_Router", "where": [["_uuid", "==", ["uuid", router]]],
                    "mutations": [["static_routes", "insert", ["set", names]]]})
    return ["OVN_Northbound"] + ops

payloads = [txn(k, k, min(batch, n - k)) for k in range(0, n, batch)]
c0, t0, received = cpu(), time.time(), 0
inflight = []
for p in payloads:
    inflight.append(send("transact", p))
    if len(inflight) >= depth:
        r = recv_until(inflight.pop(0))
        assert all("error" not in x for x in r["result"]), r["result"][:3]
while inflight:
    r = recv_until(inflight.pop(0))
    assert all("error" not in x for x in r["result"]), str(r["result"])[:300]
t1, c1 = time.time(), cpu()
print("%-14s n=%d batch=%d depth=%d: wall %6d ms  server cpu %6d ms  received %5.1f MB  load %s" % (
    variant, n, batch, depth, (t1 - t0) * 1000, c1 - c0, received / 1e6, open("/proc/loadavg").read().split()[0]))
srv.terminate(); srv.wait()
subprocess.call(["rm", "-rf", d])
