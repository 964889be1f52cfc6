// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.extension.config;

import java.net.InetAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The hosts that {@code NO_PROXY} sends direct, matched as curl and Python match them rather than as the AWS SDK
 * for Java v2 does ({@code fixtures/client-contract/proxies.json} pins every rule, and says where the SDK
 * differs): entries separated by {@code ,} (or the SDK's {@code |}), trimmed, in any case. {@code example.com} and
 * {@code .example.com} cover that host and every subdomain; {@code *} matches any run of characters, so
 * {@code *.example.com} covers the subdomains and {@code *} alone every host. An address ({@code 10.0.0.1},
 * {@code fd00::1} or {@code [fd00::1]}) or range ({@code 10.0.0.0/8}) covers an endpoint given by address, compared
 * as addresses, never by name resolution. {@code host:port} applies to that port only (443 or 80 when the endpoint
 * names none). Anything else is a configuration error naming the entry: host names and addresses are not secret.
 */
final class NoProxy {

    static final NoProxy NONE = new NoProxy(List.of());

    private static final Pattern NAME = Pattern.compile("[a-z0-9_*-]+(\\.[a-z0-9_*-]+)*");
    private static final Pattern PORT = Pattern.compile("[0-9]{1,5}");
    private static final String OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
    private static final Pattern IPV4 = Pattern.compile(OCTET + "(\\." + OCTET + "){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-f.]*:[0-9a-f:.]*");
    private static final String WHITESPACE = " \t\n\u000b\f\r";
    private static final String FORMS = "write host names (example.com, .example.com, *.example.com), addresses "
            + "(10.0.0.1, fd00::1) or ranges (10.0.0.0/8), each with an optional :port, separated by commas; "
            + "or * alone";

    private final List<Entry> entries;

    private NoProxy(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /** The entries of {@code value}, the value of the variable {@code name}. */
    static NoProxy parse(String name, String value) throws ConfigException {
        List<Entry> entries = new ArrayList<>();
        for (String item : value.split("[,|]")) {
            String text = trim(item).toLowerCase(Locale.ROOT);
            if (!text.isEmpty()) {
                entries.add(entry(name, text));
            }
        }
        return new NoProxy(entries);
    }

    /** Whether a call to {@code endpoint} goes direct. */
    boolean bypasses(URI endpoint) {
        String host = endpoint.getHost().toLowerCase(Locale.ROOT);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port = endpoint.getPort() >= 0 ? endpoint.getPort()
                : "https".equalsIgnoreCase(endpoint.getScheme()) ? 443 : 80;
        Optional<byte[]> address = address(host);
        for (Entry entry : entries) {
            if ((entry.port() == 0 || entry.port() == port) && entry.matches(host, address)) {
                return true;
            }
        }
        return false;
    }

    private sealed interface Entry permits Name, Range {
        /** The port the entry is limited to, 0 for any. */
        int port();

        boolean matches(String host, Optional<byte[]> address);
    }

    /** A host name pattern: the host or a subdomain for names; the whole text for an endpoint given by address. */
    private record Name(Pattern name, Pattern text, int port) implements Entry {
        @Override
        public boolean matches(String host, Optional<byte[]> address) {
            return (address.isPresent() ? text : name).matcher(host).matches();
        }
    }

    /** An address ({@code bits} its whole length) or a range of them. */
    private record Range(byte[] network, int bits, int port) implements Entry {
        @Override
        public boolean matches(String host, Optional<byte[]> address) {
            if (address.isEmpty() || address.get().length != network.length) {
                return false;
            }
            byte[] a = address.get();
            for (int i = 0; i < bits; i++) {
                int mask = 0x80 >>> (i % 8);
                if ((a[i / 8] & mask) != (network[i / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }
    }

    private static Entry entry(String variable, String text) throws ConfigException {
        String host = text;
        int port = 0;
        boolean bracketed = text.startsWith("[");
        int colon = text.indexOf(':');
        if (bracketed) {
            int close = text.indexOf(']');
            String rest = close < 0 ? "" : text.substring(close + 1);
            if (close < 0 || !(rest.isEmpty() || rest.startsWith(":"))) {
                throw invalid(variable, text);
            }
            host = text.substring(1, close);
            port = rest.isEmpty() ? 0 : port(variable, text, rest.substring(1));
        } else if (colon >= 0 && colon == text.lastIndexOf(':')) {
            // One colon is host:port; more are an IPv6 address, written without brackets as curl takes it.
            host = text.substring(0, colon);
            port = port(variable, text, text.substring(colon + 1));
        }
        int slash = host.indexOf('/');
        Optional<byte[]> address = address(slash < 0 ? host : host.substring(0, slash));
        if (address.isPresent()) {
            int length = address.get().length * 8;
            int bits = slash < 0 ? length : prefix(variable, text, host.substring(slash + 1), length);
            return new Range(address.get(), bits, port);
        }
        String name = host.startsWith(".") ? host.substring(1) : host;
        if (bracketed || slash >= 0 || !NAME.matcher(name).matches()) {
            throw invalid(variable, text);
        }
        String glob = glob(name);
        return new Name(Pattern.compile("(?:.*\\.)?" + glob), Pattern.compile(glob), port);
    }

    /** {@code text} without the whitespace every client trims (space, tab, line feed, vertical tab, form feed, CR). */
    private static String trim(String text) {
        int start = 0;
        int end = text.length();
        while (start < end && WHITESPACE.indexOf(text.charAt(start)) >= 0) {
            start++;
        }
        while (end > start && WHITESPACE.indexOf(text.charAt(end - 1)) >= 0) {
            end--;
        }
        return text.substring(start, end);
    }

    /** {@code *} as any run of characters, everything else literally. */
    private static String glob(String name) {
        StringBuilder regex = new StringBuilder();
        String[] parts = name.split("\\*", -1);
        for (int i = 0; i < parts.length; i++) {
            regex.append(i == 0 ? "" : ".*").append(parts[i].isEmpty() ? "" : Pattern.quote(parts[i]));
        }
        return regex.toString();
    }

    /**
     * The bytes of an IPv4 address in dotted decimal (four parts, no leading zeros: other tools read {@code 010} as
     * octal) or of an IPv6 address; an IPv4-mapped IPv6 address is its IPv4 address.
     */
    static Optional<byte[]> address(String text) {
        if (IPV4.matcher(text).matches()) {
            return Optional.of(InetAddress.ofLiteral(text).getAddress());
        }
        if (!IPV6.matcher(text).matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.ofLiteral(text).getAddress());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static int port(String variable, String text, String port) throws ConfigException {
        if (!PORT.matcher(port).matches() || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
            throw new ConfigException(variable + " entry " + Echo.quoted(text) + " has a port that is not a number "
                    + "from 1 to 65535; " + FORMS);
        }
        return Integer.parseInt(port);
    }

    private static int prefix(String variable, String text, String prefix, int length) throws ConfigException {
        if (!prefix.matches("[0-9]{1,3}") || Integer.parseInt(prefix) > length) {
            throw new ConfigException(variable + " entry " + Echo.quoted(text) + " is an address range whose prefix "
                    + "length is not a number from 0 to " + length + "; " + FORMS);
        }
        return Integer.parseInt(prefix);
    }

    private static ConfigException invalid(String variable, String text) {
        return new ConfigException(variable + " entry " + Echo.quoted(text) + " is not a host name, address or "
                + "address range; " + FORMS);
    }
}
