# frozen_string_literal: true
# SPDX-License-Identifier: Apache-2.0

require_relative "../secrets_prefetch"

# Opt-in: `require "secrets_prefetch/secrets"` defines a top-level Secrets, so that Secrets.get("db") reads the
# same in Ruby handlers as in Java ones. It is a module of its own that forwards to SecretsPrefetch: an
# application that reopens Secrets changes only Secrets, never SecretsPrefetch. The shim never defines it on
# its own (an application's own Secrets, defined before or after, would clash with it); requiring this file
# where Secrets is already something else raises a NameError saying so.
if defined?(::Secrets) && !(::Secrets.is_a?(Module) && ::Secrets.instance_variable_get(:@secrets_prefetch_alias))
  raise NameError.new("require \"secrets_prefetch/secrets\": Secrets is already defined (#{::Secrets.inspect}), " \
                      "so it cannot be the alias of SecretsPrefetch; call SecretsPrefetch.get instead", :Secrets)
end

unless defined?(::Secrets)
  # Secrets.get / get_binary / get_field / get_json: SecretsPrefetch's methods, forwarded.
  module Secrets
    @secrets_prefetch_alias = true

    class << self
      %i[get get_binary get_field get_json].each do |method|
        define_method(method) { |*args| SecretsPrefetch.public_send(method, *args) }
      end
    end
  end
end
