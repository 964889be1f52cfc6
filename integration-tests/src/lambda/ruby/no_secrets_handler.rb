# frozen_string_literal: true
# SPDX-License-Identifier: Apache-2.0

# The baseline: the same function without secrets.

def handler(event:, context:) # rubocop:disable Lint/UnusedMethodArgument
  { "init" => {}, "request" => {} }
end
