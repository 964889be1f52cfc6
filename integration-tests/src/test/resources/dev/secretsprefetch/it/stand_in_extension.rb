# frozen_string_literal: true
# SPDX-License-Identifier: Apache-2.0

# A scriptable stand-in extension for the simulator's own tests: ARGV[0] picks a behaviour, ARGV[1] is the
# launcher's $0 (its file name is the extension's name). It notes what happens in
# $STAND_IN_JOURNAL/<name>.log and its environment in <name>.env.json.

require "json"
require "net/http"

$stdout.sync = true
behaviour = ARGV.fetch(0)
name = File.basename(ARGV.fetch(1))
journal_dir = ENV.fetch("STAND_IN_JOURNAL")
journal = File.open(File.join(journal_dir, "#{name}.log"), "a")
journal.sync = true
File.write(File.join(journal_dir, "#{name}.env.json"), JSON.generate(ENV.to_h))

exit 3 if behaviour == "crash"

host, port = ENV.fetch("AWS_LAMBDA_RUNTIME_API").split(":")
http = Net::HTTP.new(host, Integer(port))
http.read_timeout = nil
http.start

register_as = behaviour == "wrong-name" ? "not-#{name}" : name
events = behaviour == "shutdown-only" ? ["SHUTDOWN"] : %w[INVOKE SHUTDOWN]
request = Net::HTTP::Post.new("/2020-01-01/extension/register", "Lambda-Extension-Name" => register_as)
request.body = JSON.generate("events" => events)
response = http.request(request)
journal.puts("register #{response.code} #{response.body}")
exit 4 unless response.code == "200"
id = response["Lambda-Extension-Identifier"]

if behaviour == "init-error"
  request = Net::HTTP::Post.new("/2020-01-01/extension/init/error",
                                "Lambda-Extension-Identifier" => id,
                                "Lambda-Extension-Function-Error-Type" => "Extension.ConfigInvalid")
  request.body = JSON.generate("errorMessage" => "stand-in configuration is invalid", "errorType" => "ConfigInvalid")
  journal.puts("init-error #{http.request(request).code}")
  exit 1
end
sleep if behaviour == "never-ready"

loop do
  response = http.request(Net::HTTP::Get.new("/2020-01-01/extension/event/next", "Lambda-Extension-Identifier" => id))
  event = JSON.parse(response.body)
  case event["eventType"]
  when "INVOKE"
    journal.puts("invoke #{event['requestId']} #{event['invokedFunctionArn']}")
  when "SHUTDOWN"
    journal.puts("shutdown #{event['shutdownReason']} #{event['deadlineMs']}")
    sleep if behaviour == "ignore-shutdown"
    exit 0
  else
    journal.puts("unexpected #{response.code} #{response.body}")
    exit 5
  end
end
