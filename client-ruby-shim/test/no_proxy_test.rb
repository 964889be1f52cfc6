# frozen_string_literal: true
# SPDX-License-Identifier: Apache-2.0

require "test_helper"
require "secrets_prefetch/config"
require "secrets_prefetch/no_proxy"
require "uri"

# NoProxy beyond the cases of fixtures/client-contract/proxies.json (EndpointAndProxyTest runs those): any value is
# entries or a ConfigError naming the variable, and domains and address ranges match exactly what a plain model of
# the rule says, as the extension's NoProxyPropertiesTest holds the Java side. A failure prints its seed;
# NO_PROXY_SEED=<seed> replays the run.
class NoProxyTest < Minitest::Test
  SEED = Integer(ENV.fetch("NO_PROXY_SEED", Random.new_seed.to_s[0, 9]))
  RUNS = 1000
  ENDPOINTS = %w[https://secretsmanager.eu-west-1.amazonaws.com http://127.0.0.1:4566 http://[fd00::1]:8080
                 http://localhost].map { |url| URI(url) }.freeze
  PIECES = ["a", ".", "*", ":", "[", "]", "/", "1", "0", "f", ",", "|", " ", "9", "-", "_", "\t"].freeze
  LABELS = %w[a b ab x-1 aws com].freeze

  def random = @random ||= Random.new(SEED)

  def bypasses?(entry, url) = SecretsPrefetch::NoProxy.parse("NO_PROXY", entry).bypasses?(URI(url))

  def test_any_value_is_entries_or_an_error_naming_the_variable_and_the_fix
    RUNS.times do
      value = if random.rand(2).zero?
                Array.new(random.rand(20)) { PIECES.sample(random: random) }.join
              else
                Array.new(random.rand(30)) { random.rand(0x20..0x7e).chr }.join
              end
      begin
        no_proxy = SecretsPrefetch::NoProxy.parse("no_proxy", value)
      rescue SecretsPrefetch::ConfigError => e
        assert e.message.start_with?("no_proxy entry \""), "seed #{SEED}: #{e.message}"
        assert e.message.end_with?("separated by commas; or * alone"), "seed #{SEED}: #{e.message}"
        next
      end
      ENDPOINTS.each { |uri| no_proxy.bypasses?(uri) }
    end
  end

  def test_a_domain_covers_itself_and_the_hosts_under_it_and_nothing_else
    RUNS.times do
      host = Array.new(random.rand(1..5)) { LABELS.sample(random: random) }.join(".")
      domain = Array.new(random.rand(1..3)) { LABELS.sample(random: random) }.join(".")
      entry = "#{random.rand(2).zero? ? '.' : ''}#{random.rand(2).zero? ? domain.upcase : domain}"
      expected = host == domain || host.end_with?(".#{domain}")
      assert_equal expected, bypasses?(entry, "https://#{host}"), "seed #{SEED}: #{entry} for #{host}"
      assert_equal host.end_with?(".#{domain}"), bypasses?("*.#{domain}", "https://#{host}"),
                   "seed #{SEED}: *.#{domain} for #{host}"
    end
  end

  def test_an_address_range_covers_exactly_the_addresses_that_share_its_prefix
    RUNS.times do
      address = random.rand(2**32)
      network = random.rand(2**32)
      bits = random.rand(0..32)
      mask = bits.zero? ? 0 : ((2**32) - 1) ^ ((2**(32 - bits)) - 1)
      entry = "#{dotted(network)}/#{bits}"
      assert_equal (address & mask) == (network & mask), bypasses?(entry, "http://#{dotted(address)}:4566"),
                   "seed #{SEED}: #{entry} for #{dotted(address)}"
    end
  end

  def dotted(address) = [24, 16, 8, 0].map { |shift| (address >> shift) & 0xff }.join(".")
end
