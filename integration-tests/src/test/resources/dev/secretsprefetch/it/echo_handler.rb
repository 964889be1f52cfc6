# frozen_string_literal: true
# SPDX-License-Identifier: Apache-2.0

# Init code notes the runtime's environment; the handler echoes the event, or fails or dawdles on request.

require "json"

journal = ENV["STAND_IN_JOURNAL"]
File.write(File.join(journal, "runtime.env.json"), JSON.generate(ENV.to_h)) if journal

def handler(event:, context:)
  raise ArgumentError, "asked to fail: #{event['fail']}" if event["fail"]

  sleep(event["sleep"]) if event["sleep"]
  { "echo" => event, "requestId" => context.aws_request_id, "function" => context.function_name }
end
