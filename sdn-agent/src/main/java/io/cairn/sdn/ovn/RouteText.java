package io.cairn.sdn.ovn;

import io.cairn.sdn.IpPrefix;
import io.netty.util.NetUtil;

import java.net.InetAddress;

/**
 * Prefixes and addresses as ovn-nbctl writes them into ip_prefix and nexthop: RFC 5952 text for
 * IPv6, and a host route as the bare address, so rows Cairn writes look like hand-made ones.
 */
final class RouteText {

    private RouteText() {
    }

    static String prefix(IpPrefix prefix) {
        String address = address(prefix.address());
        int hostLength = prefix.isIpv4() ? 32 : 128;
        return prefix.length() == hostLength ? address : address + "/" + prefix.length();
    }

    static String address(InetAddress address) {
        return NetUtil.toAddressString(address);
    }

    /** The prefix in an ip_prefix column, or null when it is not one (a hand edit, say). */
    static IpPrefix parsePrefix(String text) {
        int slash = text.indexOf('/');
        InetAddress address = parseAddress(slash < 0 ? text : text.substring(0, slash));
        if (address == null) {
            return null;
        }
        try {
            int length = slash < 0 ? address.getAddress().length * 8 : Integer.parseInt(text.substring(slash + 1));
            return new IpPrefix(address, length);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** An IP literal, never a name to resolve; null when it is not one. */
    static InetAddress parseAddress(String text) {
        return NetUtil.createInetAddressFromIpAddressString(text);
    }
}
