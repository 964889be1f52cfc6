# frozen_string_literal: true
# SPDX-License-Identifier: Apache-2.0

require "ipaddr"
require_relative "errors"

module SecretsPrefetch
  # The hosts NO_PROXY sends direct, matched as curl and Python match them (not as URI#find_proxy does) and exactly
  # as the extension does (fixtures/client-contract/proxies.json pins every rule): entries separated by "," (or the
  # AWS SDK for Java's "|"), trimmed, in any case. "example.com" and ".example.com" cover that host and every
  # subdomain; "*" matches any run of characters, so "*.example.com" covers the subdomains and "*" alone every
  # host. An address ("10.0.0.1", "fd00::1" or "[fd00::1]") or range ("10.0.0.0/8") covers an endpoint given by
  # address, compared as addresses, never by name resolution. "host:port" applies to that port only. Anything else
  # is a ConfigError naming the entry (host names and addresses are not secret).
  # @api private
  class NoProxy
    # An entry: +port+ nil for any; +name+ / +text+ patterns for a host name, or +network+ / +bits+ for addresses.
    Entry = Struct.new(:port, :name, :text, :network, :bits) do
      # Host name patterns cover a name or its subdomains, and an address as text; addresses only addresses.
      def matches?(host, address, call_port)
        return false unless port.nil? || port == call_port
        return (address ? text : name).match?(host) if network.nil?
        return false if address.nil? || address.family != network.family

        address.mask(bits) == network.mask(bits)
      end
    end

    NAME = /\A[a-z0-9_*-]+(\.[a-z0-9_*-]+)*\z/.freeze
    OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
    IPV4 = /\A#{OCTET}(\.#{OCTET}){3}\z/.freeze
    IPV6 = /\A[0-9a-f.]*:[0-9a-f:.]*\z/.freeze
    FORMS = "write host names (example.com, .example.com, *.example.com), addresses (10.0.0.1, fd00::1) or ranges " \
            "(10.0.0.0/8), each with an optional :port, separated by commas; or * alone"
    private_constant :Entry, :NAME, :OCTET, :IPV4, :IPV6, :FORMS

    # The entries of +value+, the value of the variable +name+.
    # @raise [ConfigError] naming the variable and the entry that is none of the forms above
    def self.parse(name, value)
      new(value.split(/[,|]/).filter_map do |item|
        text = Config.trim(item).downcase
        entry(name, text) unless text.empty?
      end)
    end

    def initialize(entries)
      @entries = entries.freeze
      freeze
    end

    NONE = new([])

    # Whether a call to +uri+ (a URI::HTTP) goes direct.
    def bypasses?(uri)
      host = uri.host.downcase.delete_prefix("[").delete_suffix("]")
      address = self.class.address(host)
      @entries.any? { |entry| entry.matches?(host, address, uri.port) }
    end

    # An IPv4 address in dotted decimal (four parts, no leading zeros) or an IPv6 address, as an IPAddr; an
    # IPv4-mapped IPv6 address is its IPv4 address. nil for anything else.
    def self.address(text)
      if IPV4.match?(text)
        IPAddr.new(text)
      elsif IPV6.match?(text)
        begin
          IPAddr.new(text).native
        rescue IPAddr::Error
          nil
        end
      end
    end

    def self.entry(variable, text)
      host = text
      port = nil
      bracketed = text.start_with?("[")
      if bracketed
        close = text.index("]")
        rest = close ? text[(close + 1)..] : ""
        raise invalid(variable, text) unless close && (rest.empty? || rest.start_with?(":"))

        host = text[1...close]
        port = port(variable, text, rest[1..]) unless rest.empty?
      elsif text.count(":") == 1
        # One colon is host:port; more are an IPv6 address, written without brackets as curl takes it.
        host, port_text = text.split(":", 2)
        port = port(variable, text, port_text)
      end
      address_text, prefix = host.include?("/") ? host.split("/", 2) : [host, nil]
      network = address(address_text)
      if network
        length = network.ipv4? ? 32 : 128
        bits = prefix.nil? ? length : prefix(variable, text, prefix, length)
        return Entry.new(port, nil, nil, network, bits)
      end

      name = host.delete_prefix(".")
      raise invalid(variable, text) if bracketed || !prefix.nil? || !NAME.match?(name)

      glob = name.split("*", -1).map { |part| Regexp.escape(part) }.join(".*")
      Entry.new(port, /\A(?:.*\.)?#{glob}\z/, /\A#{glob}\z/, nil, nil)
    end

    def self.port(variable, text, port)
      return port.to_i if port.match?(/\A[0-9]{1,5}\z/) && (1..65_535).cover?(port.to_i)

      raise ConfigError, "#{variable} entry #{text.inspect} has a port that is not a number from 1 to 65535; #{FORMS}"
    end

    def self.prefix(variable, text, prefix, length)
      return prefix.to_i if prefix.match?(/\A[0-9]{1,3}\z/) && prefix.to_i <= length

      raise ConfigError, "#{variable} entry #{text.inspect} is an address range whose prefix length is not a " \
                         "number from 0 to #{length}; #{FORMS}"
    end

    def self.invalid(variable, text)
      ConfigError.new("#{variable} entry #{text.inspect} is not a host name, address or address range; #{FORMS}")
    end
    private_class_method :entry, :port, :prefix, :invalid
  end
end
