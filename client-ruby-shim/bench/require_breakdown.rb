# frozen_string_literal: true
# SPDX-License-Identifier: Apache-2.0

# Where the shim's cold-start time goes: `require "secrets_prefetch"` + the first SecretsPrefetch.get from a
# ready manifest, in fresh ruby processes after `require "json"` (as in a Lambda function, whose runtime has
# loaded json before the handler), broken down into
#   - each of the shim's files: its own load time (compile + run), without the files it loads itself;
#   - the first get;
#   - garbage collections during the two (count; and the same process with GC.disable, for the time they cost);
#   - objects allocated.
# Times are the process's CPU time (CLOCK_PROCESS_CPUTIME_ID), which time slices lost to other processes on a
# busy machine do not inflate. Companion of require_and_get.rb (which measures wall time, from outside and
# inside); medians and minima over ROUNDS.
#
#   ruby bench/require_breakdown.rb [ROUNDS]

require "json"
require "tmpdir"
require "fileutils"
require "rbconfig"

ROUNDS = Integer(ARGV.fetch(0, "30"))
LIB = File.expand_path("../lib", __dir__)

# Runs inside each measured process: times every require_relative of the shim's files (exclusive of nested
# ones), then the first get.
PROBE = <<~'RUBY'
  clock = -> { Process.clock_gettime(Process::CLOCK_PROCESS_CPUTIME_ID, :float_millisecond) }
  require "json"
  GC.disable if ENV["BENCH_NO_GC"]
  files = Hash.new(0.0)
  stack = []
  Kernel.prepend(Module.new do
    define_method(:require_relative) do |path|
      base = File.dirname(caller_locations(1, 1).first.absolute_path)
      started = clock.()
      stack.push(0.0)
      result = require(File.expand_path(path, base))
      nested = stack.pop
      took = clock.() - started
      files[File.basename(path, ".rb")] += took - nested
      stack[-1] += took unless stack.empty?
      result
    end
  end)
  gc = GC.count
  objects = GC.stat(:total_allocated_objects)
  started = clock.()
  stack.push(0.0)
  require "secrets_prefetch"
  files["secrets_prefetch"] += clock.() - started - stack.pop
  required = clock.()
  SecretsPrefetch.get("db")
  done = clock.()
  print JSON.generate("files" => files, "require" => required - started, "first get" => done - required,
                      "total" => done - started, "gc runs" => GC.count - gc,
                      "objects" => GC.stat(:total_allocated_objects) - objects)
RUBY

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

def probe(env)
  output = IO.popen(env, [RbConfig.ruby, "-I", LIB, "-e", PROBE], &:read)
  raise "probe failed" unless $?.success?

  JSON.parse(output)
end

def median(values) = values.sort[values.size / 2]

dir = manifest_dir
env = { "SECRETS_PREFETCH_DIR" => dir, "SECRETS_PREFETCH_LOG_LEVEL" => "warn" }
with_gc = []
without_gc = []
2.times { probe(env) } # warm the page cache
ROUNDS.times do
  with_gc << probe(env)
  without_gc << probe(env.merge("BENCH_NO_GC" => "1"))
end
FileUtils.rm_rf(dir)

puts "ruby #{RUBY_VERSION} (#{RUBY_PLATFORM}), #{ROUNDS} rounds of fresh processes, after require \"json\"; CPU ms"
puts format("%-22s %16s %16s", "", "median (min) ms", "GC off: median")
show = lambda do |label, pick|
  puts format("%-22s %8.2f (%5.2f) %16.2f", label, median(with_gc.map(&pick)), with_gc.map(&pick).min,
              median(without_gc.map(&pick)))
end
with_gc.first["files"].each_key { |file| show.("  #{file}.rb", ->(r) { r["files"].fetch(file, 0.0) }) }
show.("require (all files)", ->(r) { r["require"] })
show.("first get", ->(r) { r["first get"] })
show.("require + first get", ->(r) { r["total"] })
puts format("%-22s %8d", "GC runs (median)", median(with_gc.map { |r| r["gc runs"] }))
puts format("%-22s %8d", "objects allocated", median(with_gc.map { |r| r["objects"] }))
