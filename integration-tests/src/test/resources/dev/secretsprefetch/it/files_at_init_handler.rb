# frozen_string_literal: true
# SPDX-License-Identifier: Apache-2.0

# A function without a client: it reads the extension's per-secret files (FILES, comma-separated, in
# SECRETS_PREFETCH_DIR) with plain Ruby, once at module level, as init code does, and again per request.
# It answers SHA-256 fingerprints, or "missing", never values. INIT_WORK_MS of CPU work before the init's
# read stands for the rest of a function's init (loading its code), for the benchmark.

require "digest"

def read_files
  dir = ENV.fetch("SECRETS_PREFETCH_DIR", "/tmp/secrets-prefetch")
  ENV.fetch("FILES").split(",").to_h do |file|
    path = File.join(dir, file)
    [file, File.file?(path) ? Digest::SHA256.hexdigest(File.binread(path)) : "missing"]
  end
end

work_until = Process.clock_gettime(Process::CLOCK_MONOTONIC) + (Integer(ENV.fetch("INIT_WORK_MS", "0")) / 1000.0)
nil while Process.clock_gettime(Process::CLOCK_MONOTONIC) < work_until

AT_INIT = read_files

def handler(event:, context:) # rubocop:disable Lint/UnusedMethodArgument
  { "init" => AT_INIT, "invoke" => read_files }
end
