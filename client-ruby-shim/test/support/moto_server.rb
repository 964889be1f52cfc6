# frozen_string_literal: true
# SPDX-License-Identifier: Apache-2.0

require "json"
require "net/http"
require "open3"
require "socket"
require "tempfile"
require "tmpdir"
require "fileutils"
require "aws-sigv4"
require "support/moto_identities"

# A real Secrets Manager emulator for tests: `python3 -m moto.server` on a free loopback port, one per test
# process (MotoServer.shared), stopped at exit. Without moto the tests fail with the command that installs
# it; they are never skipped.
#
# That server accepts any signature. MotoServer.shared_verifying_signatures is a second one that checks
# every request's SigV4 signature against IAM credentials it made (user_credentials: an IAM user's keys;
# session_credentials: an assumed role's session, as Lambda gives them); see MotoServer.java in client-java
# for what it checks and what it does not.
class MotoServer
  ACCESS_KEY_ID = "testing"
  SECRET_ACCESS_KEY = "testing"
  REGION = "us-east-1"
  START_TIMEOUT_S = 60
  # moto's first requests are let through unauthenticated; MotoIdentities.create makes exactly this many.
  BOOTSTRAP_REQUESTS = 6
  VERIFYING_SERVER = File.join(File.dirname(TestSupport::FIXTURES), "moto", "verifying_server.py")

  # A request moto refused; carries the error code only (requests hold test values).
  class Failure < StandardError; end

  def self.shared
    @shared ||= start.tap { |server| at_exit { server.stop } }
  end

  def self.shared_verifying_signatures
    @shared_verifying ||= start_verifying_signatures.tap { |server| at_exit { server.stop } }
  end

  def self.start
    launch(["-m", "moto.server"], {})
  end

  # A server of its own that authenticates every request after creating its identities; stop it when done.
  def self.start_verifying_signatures
    server = launch([VERIFYING_SERVER], { "INITIAL_NO_AUTH_ACTION_COUNT" => BOOTSTRAP_REQUESTS.to_s })
    server.identities = MotoIdentities.create(server.endpoint)
    server
  rescue StandardError
    server&.stop
    raise
  end

  def self.launch(program, env)
    python = ENV.fetch("PYTHON", "python3")
    require_moto(python)
    port = TCPServer.open("127.0.0.1", 0) { |socket| socket.addr[1] }
    # Under Maven the log goes to target/test-logs, where the hygiene scan at the end of the build reads it.
    logs = ENV.fetch("SECRETS_PREFETCH_TEST_LOGS", Dir.tmpdir).tap { |dir| FileUtils.mkdir_p(dir) }
    log = Tempfile.create(["moto-#{port}-", ".log"], logs)
    pid = Process.spawn({ "INITIAL_NO_AUTH_ACTION_COUNT" => nil }.merge(env), python, *program, "-H", "127.0.0.1",
                        "-p", port.to_s, in: File::NULL, out: log, err: log)
    new(pid, port, log.path).tap(&:await_listening)
  end

  def self.require_moto(python)
    output, status = Open3.capture2e(python, "-c", "import moto.server")
    return if status.success?

    raise "moto (the Secrets Manager emulator these tests run against) is not installed for #{python}; " \
          "install it with: pip install \"moto[server]\"\n#{output}"
  rescue Errno::ENOENT
    raise "#{python} is needed to run moto (the Secrets Manager emulator); install Python 3, then: " \
          "pip install \"moto[server]\""
  end

  attr_reader :port
  attr_writer :identities

  def initialize(pid, port, log_path)
    @pid = pid
    @port = port
    @log_path = log_path
    @identities = nil
  end

  def endpoint = "http://127.0.0.1:#{port}"

  # An IAM user's keys (no session token), allowed secretsmanager:*; only on a verifying server.
  def user_credentials = require_identities.user

  # An assumed role's temporary keys and session token, allowed secretsmanager:*; only on a verifying server.
  def session_credentials = require_identities.session

  # Environment for a client that calls this server with the signed fallback: signed with +credentials+
  # (default: the user's keys on a verifying server, "testing" otherwise).
  def env(credentials = @identities&.user)
    keys = { "AWS_ACCESS_KEY_ID" => credentials&.access_key_id || ACCESS_KEY_ID,
             "AWS_SECRET_ACCESS_KEY" => credentials&.secret_access_key || SECRET_ACCESS_KEY }
    keys["AWS_SESSION_TOKEN"] = credentials.session_token if credentials&.session_token
    { "AWS_ENDPOINT_URL_SECRETS_MANAGER" => endpoint, "AWS_ENDPOINT_URL_SSM" => endpoint,
      "AWS_REGION" => REGION }.merge(keys)
  end

  def await_listening
    deadline = Process.clock_gettime(Process::CLOCK_MONOTONIC) + START_TIMEOUT_S
    until Process.clock_gettime(Process::CLOCK_MONOTONIC) > deadline
      if Process.waitpid(@pid, Process::WNOHANG)
        raise "moto exited with #{$?.exitstatus} before listening:\n#{File.read(@log_path)}"
      end

      begin
        TCPSocket.new("127.0.0.1", port).close
        return
      rescue SystemCallError
        sleep 0.05
      end
    end
    stop
    raise "moto did not listen on port #{port} within #{START_TIMEOUT_S} s:\n#{File.read(@log_path)}"
  end

  # Creates a secret; +string+ or +binary+ is its first value. Returns the ARN.
  def create_secret(name, string: nil, binary: nil, region: REGION)
    call("CreateSecret", secret_value({ "Name" => name }, string: string, binary: binary), region: region)["ARN"]
  end

  # Adds a new current value to +secret_id+ (the old one becomes AWSPREVIOUS).
  def put_secret_value(secret_id, string: nil, binary: nil, region: REGION)
    call("PutSecretValue", secret_value({ "SecretId" => secret_id }, string: string, binary: binary), region: region)
  end

  # Puts (or overwrites) an SSM parameter with a marked value; returns its new version.
  def put_parameter(name, value, type: "SecureString", region: REGION)
    call("PutParameter", { "Name" => name, "Value" => TestSupport.marked(value), "Type" => type, "Overwrite" => true },
         region: region, service: "ssm", target: "AmazonSSM")["Version"]
  end

  def call(action, payload, region: REGION, service: "secretsmanager", target: "secretsmanager")
    uri = URI(endpoint)
    body = JSON.generate(payload)
    headers = { "content-type" => "application/x-amz-json-1.1", "x-amz-target" => "#{target}.#{action}" }
    keys = @identities&.user
    signer = Aws::Sigv4::Signer.new(service: service, region: region,
                                    access_key_id: keys&.access_key_id || ACCESS_KEY_ID,
                                    secret_access_key: keys&.secret_access_key || SECRET_ACCESS_KEY)
    headers.merge!(signer.sign_request(http_method: "POST", url: uri.to_s, headers: headers, body: body).headers)
    response = Net::HTTP.start(uri.host, uri.port) { |http| http.post("/", body, headers) }
    parsed = JSON.parse(response.body)
    raise Failure, "moto #{action}: HTTP #{response.code} #{parsed['__type']}" unless response.code == "200"

    parsed
  end

  def stop
    Process.kill("TERM", @pid)
    Process.wait(@pid)
  rescue Errno::ESRCH, Errno::ECHILD
    nil
  end

  private

  def require_identities
    @identities or raise "this moto server accepts any signature and has no credentials of its own; " \
                         "use MotoServer.shared_verifying_signatures"
  end

  def secret_value(fields, string:, binary:)
    fields["SecretString"] = TestSupport.marked(string) if string
    fields["SecretBinary"] = [TestSupport.marked(binary.b)].pack("m0") if binary
    fields
  end
end
