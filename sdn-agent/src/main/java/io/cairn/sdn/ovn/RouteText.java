package io.cairn.sdn.ovn;

import io.cairn.sdn.IpPrefix;
import io.netty.util.NetUtil;

import java.net.InetAddress;

/**
 * Prefixes and addresses as ovn-nbctl writes them into ip_prefix and nexthop: RFC 5952 text for
 * IPv6, and a host route as the bare address, so rows Cairn writes look like hand-made ones.
 * IPv6 text stays IPv6 both ways, an IPv4-mapped address (RFC 4291 2.5.5.2) included, so that
 * such a route reads back as the route it was written from.
 */
final class RouteText {

    private RouteText() {
    }

    static String prefix(IpPrefix prefix) {
        String address = address(prefix.address());
        int hostLength = prefix.isIpv4() ? 32 : 128;
        return prefix.length() == hostLength ? address : address + "/" + prefix.length();
    }

    /** RFC 5952 text; an IPv4-mapped address with its IPv4 part dotted, as its section 5 recommends. */
    static String address(InetAddress address) {
        return NetUtil.toAddressString(address, true);
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
        if (text.indexOf(':') < 0) {
            return NetUtil.createInetAddressFromIpAddressString(text);
        }
        if (!NetUtil.isValidIpV6Address(text)) {
            return null;
        }
        try {
            // Netty would read "::ffff:10.1.2.4" as IPv4; IpPrefix keeps IPv6 text IPv6.
            return IpPrefix.parse(text + "/128").address();
        } catch (IllegalArgumentException e) {
            return null; // valid to Netty, not to IpPrefix: a scope id ("fe80::1%eth0")
        }
    }
}
