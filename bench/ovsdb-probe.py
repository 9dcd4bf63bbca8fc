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
  nomut          as noinsert, but the routes are not added to the router's static_routes (rows
                 stay unreferenced: a root-table-like floor for the insert itself; the server
                 garbage-collects them at commit, so it is a lower bound, not a layout Cairn can use)
  uuid           as noinsert, each insert names its row's uuid ("uuid" member, an ovsdb-server
                 extension) and the mutate refers to those uuids instead of named uuids
  routers        as noinsert, but each transaction adds its rows to a router of its own (one per
                 batch), so no static_routes set grows beyond a batch: what the one big set costs
  none-reread    no monitor during the load; then the noinsert monitor is started and its initial
                 dump of the router and the owned routes is read (counted in the figures)

Environment:
  PROBE_DIR=/dev/shm   where the database file goes (default: the system's temp directory)
  PROBE_ECMP=0         one next hop per prefix (N rows) instead of every other prefix ECMP (1.5 N)
"""
import json, os, uuid, queue, socket, subprocess, sys, tempfile, threading, time

variant, n, batch, depth = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
ecmp = os.environ.get("PROBE_ECMP", "1") != "0"
d = tempfile.mkdtemp(prefix="ovsdb-probe-", dir=os.environ.get("PROBE_DIR"))
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
        # Decoding is tried again only once the data so far ends like a message, so that a reply
        # of tens of MB (a monitor's initial rows) is not re-parsed for every chunk.
        parts = [buf]
        while True:
            chunk = s.recv(1 << 20)
            if not chunk: raise SystemExit("closed")
            received += len(chunk)
            parts.append(chunk.decode())
            if chunk.rstrip().endswith(b"}"): break
        buf = "".join(parts)

def cpu():
    f = open("/proc/%d/stat" % srv.pid).read().rsplit(")", 1)[1].split()
    return (int(f[11]) + int(f[12])) * 10

r = recv_until(send("transact", ["OVN_Northbound", {"op": "insert", "table": "Logical_Router",
                                                     "row": {"name": "lr0"}, "uuid-name": "r"}]))
router = r["result"][0]["uuid"][1]
others = []
if variant == "routers":
    r = recv_until(send("transact", ["OVN_Northbound"] + [
        {"op": "insert", "table": "Logical_Router", "row": {"name": "lr%d" % (k + 1)}} for k in range(0, n, batch)]))
    others = [x["uuid"][1] for x in r["result"]]
owner = ["map", [["cairn-owner", "cairn"]]]
def start_monitor():
    route_sel = {"columns": ["ip_prefix", "nexthop", "external_ids", "policy", "output_port", "options", "bfd", "route_table"],
                 "where": [["external_ids", "includes", owner]]}
    if variant != "cairn":
        route_sel["select"] = {"initial": True, "insert": False, "delete": True, "modify": True}
    rcols = ["name", "static_routes", "external_ids"] if variant != "noinsert-nosr" else ["name", "external_ids"]
    recv_until(send("monitor_cond", ["OVN_Northbound", "m", {
        "Logical_Router": [{"columns": rcols, "where": [["name", "==", "lr0"]]}],
        "Logical_Router_Static_Route": [route_sel]}]))

if not variant.startswith("none"):
    start_monitor()

def txn(k, start, count):
    ops = [{"op": "wait", "table": "Logical_Router", "timeout": 0,
            "where": [["_uuid", "==", ["uuid", router]]], "columns": ["_uuid"], "until": "==",
            "rows": [{"_uuid": ["uuid", router]}]}]
    names = []
    for i in range(start, start + count):
        net = (10 << 24) + (i << 8)
        pfx = "%d.%d.%d.0/24" % (net >> 24, (net >> 16) & 255, (net >> 8) & 255)
        for hop in (["10.1.2.4"] if i % 2 == 0 or not ecmp else ["10.1.2.4", "10.1.2.5"]):
            row = {"ip_prefix": pfx, "nexthop": hop}
            if variant != "noext": row["external_ids"] = owner
            op = {"op": "insert", "table": "Logical_Router_Static_Route", "row": row}
            if variant == "uuid":
                u = str(uuid.uuid4()); op["uuid"] = u; names.append(["uuid", u])
            else:
                nm = "r%d" % len(names); names.append(["named-uuid", nm]); op["uuid-name"] = nm
            ops.append(op)
    if variant == "manymut":
        for nm in names:
            ops.append({"op": "mutate", "table": "Logical_Router", "where": [["_uuid", "==", ["uuid", router]]],
                        "mutations": [["static_routes", "insert", nm]]})
    elif variant != "nomut":
        target = others[start // batch] if others else router
        ops.append({"op": "mutate", "table": "Logical_Router", "where": [["_uuid", "==", ["uuid", target]]],
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
if variant == "none-reread":
    start_monitor()
t1, c1 = time.time(), cpu()
log = open(d + "/nb.log").read()
print("%-14s n=%d rows=%d batch=%d depth=%d dir=%s: wall %6d ms  server cpu %6d ms  received %5.1f MB"
      "  db %5.1f MB%s  load %s" % (
    variant, n, n * 3 // 2 if ecmp else n, batch, depth, os.path.dirname(d), (t1 - t0) * 1000, c1 - c0,
    received / 1e6, os.path.getsize(db) / 1e6, "  COMPACTED" if "compact" in log.lower() else "",
    " ".join(open("/proc/loadavg").read().split()[:3])))
srv.terminate(); srv.wait()
subprocess.call(["rm", "-rf", d])
