# frozen_string_literal: true
# SPDX-License-Identifier: Apache-2.0

# Cold-start cost of the Ruby shim: `require "secrets_prefetch"` + the first SecretsPrefetch.get from a
# manifest, in fresh ruby processes, run side by side with a bare `ruby -e ''` and `ruby -e 'require "json"'`
# so the result is a difference and a ratio rather than an absolute number on a noisy machine.
#
# The Lambda Ruby runtime (aws_lambda_ric) has required json and net/http before it loads the handler, so
# the shim's own cost in a function is the "shim after json" column.
#
#   ruby bench/require_and_get.rb [ROUNDS [OTHER_LIB]]      (or: rake bench)
#
# OTHER_LIB, another copy of the shim's lib/ (e.g. an earlier commit's, from `git archive`), adds a variant that
# runs it, interleaved with the others, for a before/after comparison in one run.
#
# BENCH_PRELOAD="json net/http logger stringio time" loads more than json before the shim (the "json inside"
# column then times all of them), closer to what aws_lambda_ric has loaded when it loads a handler: whether a
# garbage collection falls inside the shim's part depends on how full the heap already is.

require "json"
require "tmpdir"
require "fileutils"
require "rbconfig"

ROUNDS = Integer(ARGV.fetch(0, "40"))
LIB = File.expand_path("../lib", __dir__)
OTHER_LIB = ARGV[1] && File.expand_path(ARGV[1])
CLOCK = "Process.clock_gettime(Process::CLOCK_MONOTONIC, :float_millisecond)"
CPU = "Process.clock_gettime(Process::CLOCK_PROCESS_CPUTIME_ID, :float_millisecond)"
PRELOAD = ENV.fetch("BENCH_PRELOAD", "json").split
LOAD = "#{PRELOAD.inspect}.each { |library| require library }"

# Each script prints, from inside the process, the milliseconds of `require "json"` and of
# `require "secrets_prefetch"` + first get, how many AWS / net/http files are loaded, and the CPU time of the
# shim's part (which time slices lost to other processes on a busy machine do not inflate).
SHIM = "t0 = #{CLOCK}; #{LOAD}; f1 = $LOADED_FEATURES.size; t1 = #{CLOCK}; c1 = #{CPU}; " \
       "require 'secrets_prefetch'; SecretsPrefetch.get('db'); print t1 - t0, ' ', #{CLOCK} - t1, ' ', " \
       "$LOADED_FEATURES.drop(f1).grep(%r{aws-|seahorse|net/http}).size, ' ', #{CPU} - c1"
# name => [script, lib directory]
VARIANTS = {
  "ruby -e ''" => ["", LIB],
  "require json" => ["t0 = #{CLOCK}; #{LOAD}; print #{CLOCK} - t0, ' 0 0'", LIB],
  "require + get" => [SHIM, LIB]
}.merge(OTHER_LIB ? { "other lib" => [SHIM, OTHER_LIB] } : {}).freeze

def manifest_dir
  dir = Dir.mktmpdir("secrets-prefetch-bench-")
  secrets = %w[db api-key signing-key].to_h do |name|
    [name, { "secretId" => "prod/#{name}",
             "arn" => "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/#{name}-AbCdEf",
             "versionId" => "11111111-1111-4111-8111-111111111111", "versionStages" => ["AWSCURRENT"],
             "fetchedAtEpochMs" => 1, "secretString" => "{\"password\":\"bench-value-#{name}\"}" }]
  end
  File.write(File.join(dir, "manifest.json"),
             JSON.generate("formatVersion" => 1, "generation" => 1, "state" => "ready", "writtenAtEpochMs" => 1,
                           "writer" => "bench/0", "secrets" => secrets))
  dir
end

def run((script, lib), env)
  started = Process.clock_gettime(Process::CLOCK_MONOTONIC, :float_millisecond)
  output = IO.popen(env, [RbConfig.ruby, "-I", lib, "-e", script], &:read)
  wall = Process.clock_gettime(Process::CLOCK_MONOTONIC, :float_millisecond) - started
  raise "ruby -e #{script.inspect} failed" unless $?.success?

  [wall, *output.split.map(&:to_f)]
end

def median(values) = values.sort[values.size / 2]
def p90(values) = values.sort[(values.size * 0.9).floor.clamp(0, values.size - 1)]

dir = manifest_dir
env = { "SECRETS_PREFETCH_DIR" => dir, "SECRETS_PREFETCH_LOG_LEVEL" => "warn" }
results = VARIANTS.keys.to_h { |name| [name, []] }
3.times { VARIANTS.each_value { |script| run(script, env) } } # warm the page cache
ROUNDS.times do |round|
  order = round.even? ? VARIANTS.to_a : VARIANTS.to_a.reverse
  order.each { |name, variant| results[name] << run(variant, env) }
end
FileUtils.rm_rf(dir)

bare = median(results["ruby -e ''"].map(&:first))
puts "ruby #{RUBY_VERSION} (#{RUBY_PLATFORM}), #{ROUNDS} rounds, variants interleaved, order alternating"
puts "other lib: #{OTHER_LIB}" if OTHER_LIB
puts "loaded before the shim: #{PRELOAD.join(' ')}"
puts format("%-14s %12s %10s %22s %20s %20s %20s", "variant", "wall median", "wall p90", "vs ruby -e ''",
            "json inside", "shim after json", "shim CPU")
results.each do |name, runs|
  wall = median(runs.map(&:first))
  inside = ->(i) { runs.first.size > i && runs.first[i].positive? ? runs.map { |r| r[i] } : nil }
  show = ->(v) { v ? format("%.2f (min %.2f) ms", median(v), v.min) : "-" }
  puts format("%-14s %9.1f ms %7.1f ms %+10.1f ms (x%.2f) %20s %20s %20s", name, wall, p90(runs.map(&:first)),
              wall - bare, wall / bare, show.(inside.(1)), show.(inside.(2)), show.(inside.(4)))
end
puts "AWS SDK / aws-sigv4 / net/http files the shim loaded for require + get: " \
     "#{results['require + get'].map { |r| r[3] }.max.to_i}"
puts "load average at the end: #{File.read('/proc/loadavg').split.first(3).join(' ')}" if File.exist?("/proc/loadavg")
