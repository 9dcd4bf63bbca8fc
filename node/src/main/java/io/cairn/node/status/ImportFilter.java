package io.cairn.node.status;

import io.cairn.node.bgp.wire.Prefix;
import io.cairn.node.rib.Path;

import java.util.List;

/**
 * Why a learned path is kept in the Adj-RIB-In but not accepted for the SDN, as operators see
 * it in {@code routes learned}. DESIGN.md's import rule: a prefix equal to or more specific
 * than a VNet prefix would hijack the VNet itself.
 */
public final class ImportFilter {

    /** The reason shown for a learned prefix inside the VNet. */
    public static final String VNET_OVERLAP = "vnet-overlap";

    private final List<Prefix> vnet;

    public ImportFilter(List<Prefix> vnet) {
        this.vnet = List.copyOf(vnet);
    }

    /** The reason {@code path} is filtered, or null when it is accepted. */
    public String reason(Path path) {
        for (Prefix v : vnet) {
            if (v.covers(path.prefix())) {
                return VNET_OVERLAP;
            }
        }
        return null;
    }
}
