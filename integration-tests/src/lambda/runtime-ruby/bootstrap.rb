# frozen_string_literal: true
# SPDX-License-Identifier: Apache-2.0

# A small Lambda runtime for Ruby: the Runtime API loop that Lambda's managed Ruby runtime runs, enough to
# run a handler the way it would. The handler is "file.method" (a top-level method in
# $LAMBDA_TASK_ROOT/file.rb) or "file.Module::Class.method", called as method(event:, context:).
#
# Lambda's runtime puts $LAMBDA_TASK_ROOT and /opt/ruby/lib on the load path; the simulator does the same
# through RUBYLIB.

require "json"
require "net/http"

$stdout.sync = true
$stderr.sync = true

module LambdaRuntime
  API_PREFIX = "/2018-06-01/runtime"

  # What the handler gets as context:, with the names Lambda's Ruby runtime uses.
  class Context
    attr_reader :aws_request_id, :invoked_function_arn, :function_name, :function_version,
                :memory_limit_in_mb, :log_group_name, :log_stream_name, :deadline_ms

    def initialize(request_id:, function_arn:, deadline_ms:)
      @aws_request_id = request_id
      @invoked_function_arn = function_arn
      @deadline_ms = deadline_ms
      @function_name = ENV["AWS_LAMBDA_FUNCTION_NAME"]
      @function_version = ENV["AWS_LAMBDA_FUNCTION_VERSION"]
      @memory_limit_in_mb = ENV["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"]
      @log_group_name = ENV["AWS_LAMBDA_LOG_GROUP_NAME"]
      @log_stream_name = ENV["AWS_LAMBDA_LOG_STREAM_NAME"]
    end

    def get_remaining_time_in_millis
      @deadline_ms - (Time.now.to_f * 1000).to_i
    end
  end

  # The Runtime API over one kept-alive loopback connection.
  class Client
    def initialize(host_and_port)
      host, port = host_and_port.split(":")
      @http = Net::HTTP.new(host, Integer(port))
      @http.read_timeout = nil # GET next blocks until there is an invoke
      @http.start
    end

    def next_invocation
      response = @http.request(Net::HTTP::Get.new("#{API_PREFIX}/invocation/next"))
      raise "GET invocation/next answered #{response.code}: #{response.body}" unless response.code == "200"

      response
    end

    def respond(request_id, body)
      post("#{API_PREFIX}/invocation/#{request_id}/response", body, {})
    end

    def report_error(path, error_type, error)
      post(path, JSON.generate(error), { "Lambda-Runtime-Function-Error-Type" => error_type })
    end

    private

    def post(path, body, headers)
      request = Net::HTTP::Post.new(path, { "Content-Type" => "application/json" }.merge(headers))
      request.body = body
      response = @http.request(request)
      warn "POST #{path} answered #{response.code}: #{response.body}" unless response.code == "202"
    end
  end

  def self.error_document(exception, prefix)
    {
      "errorMessage" => exception.message,
      "errorType" => "#{prefix}<#{exception.class.name}>",
      "stackTrace" => exception.backtrace || []
    }
  end

  def self.load_handler(handler, task_root)
    file, method_path = handler.to_s.split(".", 2)
    raise ArgumentError, "handler #{handler.inspect} must be file.method" if file.to_s.empty? || method_path.to_s.empty?

    require File.join(task_root, file)
    if method_path.include?("::") || method_path.include?(".")
      owner_name, method_name = method_path.split(/\.(?=[^.]+\z)/, 2)
      owner = Object.const_get(owner_name)
      ->(event, context) { owner.public_send(method_name, event: event, context: context) }
    else
      top_level = TOPLEVEL_BINDING.receiver
      unless top_level.respond_to?(method_path, true)
        raise NameError, "#{file}.rb defines no method #{method_path}"
      end

      ->(event, context) { top_level.send(method_path, event: event, context: context) }
    end
  end

  def self.run
    client = Client.new(ENV.fetch("AWS_LAMBDA_RUNTIME_API"))
    begin
      handler = load_handler(ENV.fetch("_HANDLER"), ENV.fetch("LAMBDA_TASK_ROOT"))
    rescue Exception => e # rubocop:disable Lint/RescueException -- init errors of any kind go to Lambda
      document = error_document(e, "Init")
      warn "Init error: #{document['errorType']}: #{e.message}"
      client.report_error("#{API_PREFIX}/init/error", document["errorType"], document)
      exit 1
    end
    loop do
      invocation = client.next_invocation
      request_id = invocation["Lambda-Runtime-Aws-Request-Id"]
      context = Context.new(request_id: request_id,
                            function_arn: invocation["Lambda-Runtime-Invoked-Function-Arn"],
                            deadline_ms: invocation["Lambda-Runtime-Deadline-Ms"].to_i)
      begin
        event = invocation.body.to_s.empty? ? nil : JSON.parse(invocation.body)
        result = handler.call(event, context)
        client.respond(request_id, JSON.generate(result))
      rescue StandardError, ScriptError => e
        document = error_document(e, "Function")
        warn "Function error: #{document['errorType']}: #{e.message}"
        client.report_error("#{API_PREFIX}/invocation/#{request_id}/error", document["errorType"], document)
      end
    end
  end
end

LambdaRuntime.run if $PROGRAM_NAME == __FILE__
