# frozen_string_literal: true
# SPDX-License-Identifier: Apache-2.0

# A function that needs secrets at start-up and per request. SecretsPrefetch.get reads them from the
# layer's manifest when the extension runs (waiting while it is still fetching), and calls Secrets Manager
# itself when it does not.
#
# Init fetches every id in SECRET_IDS; an event {"get": ["id", ...]} fetches more. The answer holds SHA-256
# fingerprints, never values.

require "digest"
require "secrets_prefetch"

def fingerprints(ids)
  ids.to_h { |id| [id, Digest::SHA256.hexdigest(SecretsPrefetch.get(id))] }
end

AT_INIT = fingerprints(ENV.fetch("SECRET_IDS", "").split(",").map(&:strip).reject(&:empty?))

def handler(event:, context:) # rubocop:disable Lint/UnusedMethodArgument
  requested = event.is_a?(Hash) ? Array(event["get"]) : []
  { "init" => AT_INIT, "request" => fingerprints(requested) }
end
