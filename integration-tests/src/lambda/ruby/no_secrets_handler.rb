# frozen_string_literal: true

# The baseline: the same function without secrets.

def handler(event:, context:) # rubocop:disable Lint/UnusedMethodArgument
  { "init" => {}, "request" => {} }
end
