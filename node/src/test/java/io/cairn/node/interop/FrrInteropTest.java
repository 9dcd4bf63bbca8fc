package io.cairn.node.interop;

/** Cairn against FRR bgpd ({@link RouteServerInteropContract}); S is GoBGP. */
class FrrInteropTest extends RouteServerInteropContract {

    @Override
    protected RouterDaemon router(DaemonSpec spec) {
        return new FrrDaemon(spec);
    }

    @Override
    protected int block() {
        return 102;
    }

    /** FRR's only way is "dont-capability-negotiate", which also drops MP-BGP (no IPv6 at all). */
    @Override
    protected String cannotDisableAs4() {
        return "FRR bgpd has no per-neighbor knob to disable the 4-octet AS capability";
    }
}
